"""``train_and_evaluate(config, workdir)``: one readable training loop.

Data from ``munsell_jax.lab.data`` (cached, exact labels), a Flax NNX model found
by name in ``munsell_jax.nn``, the objectives of ``munsell_jax.lab.objectives``, optax
AdamW with gradient clipping, reduce-on-plateau or warm-up + cosine, optional
gradient accumulation and parameter EMA, a jitted split/merge step with
donated buffers on device-resident batches, early stopping, and orbax
checkpoints (latest and best) from which a restarted run resumes by itself.

Directions and normalisation (inside the model's I/O, not the data):

- ``from_xyY``: xyY in, seen through ``config.inputs`` (``munsell_jax.encoding.
  xyY_inputs``, applied inside the loss so the round trip compares raw xyY);
  out, the layout of ``config.encoding`` (``munsell_jax.encoding``:
  ``[hue/10, value/10, chroma/50, code/10]`` by default);
- ``to_xyY``: the layout of ``config.inputs`` in (``munsell_jax.encoding.
  specification_inputs``: ``[hue/10, value/10, chroma/50, code/10]`` by
  default), xyY out.

Two-stage models can be trained stage by stage (``config.opt.stage_epochs``):
the base is trained first in ``workdir/base`` (a run of its own, which resumes
too), then frozen while the error predictor learns its residuals.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import time
import warnings
from pathlib import Path

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np
import optax
import orbax.checkpoint as ocp
from flax import nnx
from jax.sharding import NamedSharding
from jax.sharding import PartitionSpec as P
from tqdm.auto import tqdm

from munsell_jax import encoding as encoding_lib
from munsell_jax import losses
from munsell_jax.hub import build_model, load_params, model_folder
from munsell_jax.lab import data as data_lib
from munsell_jax.lab import objectives
from munsell_jax.nn import ARCHITECTURES, io_features
from munsell_jax.renotation import maximum_chroma

__all__ = [
    "Trainable",
    "base_config",
    "build",
    "checkpoint_args",
    "default_config",
    "initialize_distributed",
    "load_dataset",
    "load_run",
    "make_loss_fn",
    "make_pmap_train_step",
    "make_train_step",
    "split_rows",
    "train_and_evaluate",
    "validate",
    "with_budget",
]

BUDGETS = ("full", "cpu")
PARALLEL = ("sharding", "pmap")  # config.parallel: how a step is split over the devices
PMAP_AXIS = "devices"  # the named axis of the pmap step's collectives
CPU_BUDGET_SIZE = 200_000  # grid samples of the CPU budget (90% of them trained on)


def default_config(direction: str = "from_xyY", architecture: str = "Multi-MLP"):
    """The full config of a row of ``ARCHITECTURES``, every field commented.

    ``configs/<direction>/<name>.py`` call this and change what their
    experiment changes (the big_vision habit: a config is a record).
    """
    arch = ARCHITECTURES[(direction, architecture)]
    config = ml_collections.ConfigDict()
    config.direction = direction  # "from_xyY" (xyY -> Munsell) or "to_xyY"
    config.architecture = architecture  # the row of results/architectures.md
    config.encoding = arch.encoding  # output layout (from_xyY only): munsell_jax.encoding
    # Input layout: from_xyY "xyY" or "lightness"; to_xyY "scaled", "cartesian",
    # "harmonic", "lattice" or "grid" (munsell_jax.encoding.xyY_inputs /
    # specification_inputs); an architecture may need its own (ARCHITECTURES).
    config.inputs = arch.inputs or ("xyY" if direction == "from_xyY" else "scaled")
    config.seed = 0  # model initialisation and batch order
    config.init_from = ""  # a run or shipped model folder: start from its parameters (fine-tuning)
    # Arithmetic of the trained network at inference, in JAX and in its ONNX
    # graph alike (training is float32 either way): "float32", or "float64"
    # where float32 rounding would move the outputs by more than 1e-5 of range
    # (a Cartesian model's hue near grey; munsell_jax.lab.export).
    config.inference_precision = "float32"
    # Data parallelism over every device (of every process): "sharding" (one
    # jitted step on a NamedSharding mesh; XLA inserts the gradient all-reduce)
    # or "pmap" (state replicated per device, the batch split [devices,
    # batch/devices], gradients averaged with lax.pmean). The same loss curve
    # either way (dropout masks aside), and the same checkpoints: it may change
    # on resume.
    config.parallel = "sharding"

    config.data = ml_collections.ConfigDict()
    config.data.name = "grid"  # a sampler of munsell_jax.lab.data
    config.data.size = 500_000
    config.data.seed = 0
    config.data.data_dir = "data"  # the cache, relative to the working directory
    config.data.validation_fraction = 0.1

    config.model = ml_collections.ConfigDict({"name": arch.family, **arch.kwargs})

    config.loss = ml_collections.ConfigDict()
    config.loss.kind = "mse"  # munsell_jax.lab.objectives.KINDS: mse, mae, huber, precision
    config.loss.delta = 0.01  # Huber knee (normalised units), also of "precision"
    config.loss.weights = ()  # per regressed output; () = all 1
    config.loss.code_weight = 1.0  # cross-entropy of the code logits, if any
    config.loss.boundary_weight = 1.0  # 3.0 = the weighted boundary loss
    config.loss.gamut_weight = 0.0  # chroma beyond the renotation data (from_xyY)
    config.loss.circular_hue = False  # the published negative result
    config.loss.uncertainty_weighting = False  # learned weights of the loss terms
    config.loss.delta_e_weight = 0.0  # > 0: + CIEDE2000 round trip (from_xyY), see losses
    config.loss.forward = "exact"  # the round trip's Munsell -> xyY: "exact" or "approximator"
    config.loss.approximator = "to_xyY/approximator"  # which, for "approximator" (a to_xyY model)
    # The "probabilistic" encoding's head (munsell_jax.nn.probabilistic): the
    # negative log-likelihood of the exact hue angle and chroma under its
    # distribution, and the pinball loss of its Delta-E bound against the
    # actual round-trip CIEDE2000 of the point answer.
    config.loss.nll_weight = 0.0
    config.loss.bound_weight = 0.0

    config.opt = ml_collections.ConfigDict()
    config.opt.batch_size = 1024
    config.opt.epochs = 200
    config.opt.learning_rate = 1e-3
    config.opt.weight_decay = 1e-5
    config.opt.clip_norm = 1.0
    config.opt.schedule = "constant"  # or "warmup_cosine"
    config.opt.warmup_epochs = 0
    config.opt.plateau_factor = 0.5
    config.opt.plateau_patience = 10  # epochs; 0 turns reduce-on-plateau off
    config.opt.early_stopping_patience = 20  # epochs
    config.opt.accumulate_steps = 1  # gradient accumulation (optax.MultiSteps)
    config.opt.ema_decay = 0.0  # > 0: evaluate with an EMA of the parameters
    config.opt.stage_epochs = ()  # two-stage: epochs of the earlier stages, innermost first
    config.opt.eval_batch_size = 16_384

    config.progress = True  # a progress bar per epoch (on a terminal)
    config.mlflow = False  # also log to MLflow (local file store in workdir/mlruns)
    return config


class Trainable(nnx.Module):
    """What the optimiser updates: the model and, when asked, the loss weighting."""

    def __init__(self, model: nnx.Module, weighting: objectives.UncertaintyWeighting | None = None):
        self.model = model
        self.weighting = weighting


def with_budget(config: ml_collections.ConfigDict, budget: str, *, cpu_epochs: int):
    """A zoo config at ``budget``: ``"full"`` (as written: the published-scale run,
    for a GPU) or ``"cpu"`` (about two CPU-minutes: ``CPU_BUDGET_SIZE`` samples,
    ``cpu_epochs`` epochs, for each stage of a two-stage model too, of a cosine
    schedule from the config's learning rate, no plateau or early stop).

    ``configs/<direction>/<name>.py:cpu`` selects the CPU budget; the rows of
    ``results/zoo`` (``scripts/train_zoo.py``) are trained at it.
    """
    if budget not in BUDGETS:
        raise ValueError(f"budget must be one of {BUDGETS}, not {budget!r}")
    if budget == "cpu":
        config.data.size = CPU_BUDGET_SIZE
        config.opt.epochs = cpu_epochs
        config.opt.stage_epochs = tuple(cpu_epochs for _ in config.opt.stage_epochs)
        config.opt.schedule = "warmup_cosine"
        config.opt.warmup_epochs = 0
        config.opt.plateau_patience = 0
        config.opt.early_stopping_patience = cpu_epochs
    return config


def _arrays(config, dataset: data_lib.Dataset) -> tuple[np.ndarray, ...]:
    """``(inputs, targets, code labels, row weights, maximum chroma / 50)`` per row."""
    spec = dataset.specification
    loss = config.get("loss", {})
    weights = objectives.boundary_weights(spec, factor=loss.get("boundary_weight", 1.0))
    if config.direction == "from_xyY":
        targets, labels = encoding_lib.encode(encoding_lib.output_encoding(config), spec)
        inputs = dataset.xyY
        cmax = np.asarray(maximum_chroma(spec[:, [0, 1, 3]])) / 50
    elif config.direction == "to_xyY":
        inputs = encoding_lib.specification_inputs(spec, inputs=encoding_lib.input_layout(config))
        targets = dataset.xyY
        labels, cmax = np.full(len(spec), -1), np.full(len(spec), np.nan)
    else:
        raise ValueError(
            f"config.direction must be 'from_xyY' or 'to_xyY', not {config.direction!r}"
        )
    return (
        np.asarray(inputs, np.float32),
        np.asarray(targets, np.float32),
        np.asarray(labels, np.int32),
        np.asarray(weights, np.float32),
        np.asarray(cmax, np.float32),
    )


def load_dataset(config: ml_collections.ConfigDict) -> data_lib.Dataset:
    """The (cached) data set of ``config.data``: the rows a run trains and validates on."""
    return data_lib.load_or_generate(
        config.data.name,
        size=config.data.size,
        seed=config.data.seed,
        data_dir=config.data.data_dir,
        progress=False,
    )


def split_rows(config: ml_collections.ConfigDict, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``(validation rows, training rows)`` of a data set of ``n`` rows: a
    permutation seeded by ``config.data.seed``, the first
    ``config.data.validation_fraction`` of it for validation."""
    order = np.random.default_rng(config.data.seed).permutation(n)
    n_val = int(round(config.data.validation_fraction * n))
    return order[:n_val], order[n_val:]


def make_loss_fn(config: ml_collections.ConfigDict):
    """``loss_fn(trainable, batch) -> (loss, terms)`` for ``config``'s loss and encoding.

    ``batch`` is ``(x, targets, labels, row_weights, max_chroma)``; ``terms`` are
    the per-output losses (then the code cross-entropy, the gamut penalty and
    the round-trip CIEDE2000 when on), already multiplied by their weights;
    ``loss`` is their sum, or their uncertainty-weighted sum. With the
    defaults the loss is the MSE over every output.
    """
    enc = encoding_lib.output_encoding(config)
    cfg = ml_collections.ConfigDict(losses_defaults())
    cfg.update(config.get("loss", {}))
    weights = np.ones(enc.n_regression) if not cfg.weights else np.asarray(cfg.weights)
    if weights.shape != (enc.n_regression,):
        raise ValueError(f"config.loss.weights needs {enc.n_regression} values, got {cfg.weights}")
    weights_R = jnp.asarray(weights / enc.n_regression, jnp.float32)
    if cfg.kind not in objectives.KINDS:
        raise ValueError(f"config.loss.kind must be one of {objectives.KINDS}, not {cfg.kind!r}")
    gamut = cfg.gamut_weight > 0 and enc.chroma_output is not None
    delta_e = cfg.get("delta_e_weight", 0.0) > 0
    if delta_e and config.direction != "from_xyY":
        raise ValueError("config.loss.delta_e_weight is for xyY -> Munsell models")
    forward = None
    if delta_e and cfg.get("forward", "exact") == "approximator":
        from munsell_jax.hub import approximator

        forward = approximator(cfg.get("approximator", "to_xyY/approximator"))
    elif delta_e and cfg.get("forward", "exact") != "exact":
        raise ValueError("config.loss.forward must be 'exact' or 'approximator'")

    see = encoding_lib.input_layout(config) if config.direction == "from_xyY" else None
    probabilistic = enc.name == "probabilistic"
    nll = probabilistic and cfg.get("nll_weight", 0.0) > 0
    bound = probabilistic and cfg.get("bound_weight", 0.0) > 0
    if not probabilistic and (cfg.get("nll_weight", 0.0) or cfg.get("bound_weight", 0.0)):
        raise ValueError("config.loss.nll_weight and bound_weight need the probabilistic encoding")
    if probabilistic:
        from munsell_jax.nn import probabilistic as head_lib

    def loss_fn(trainable: Trainable, batch):
        x_BxI, y_BxR, labels_B, w_B, cmax_B = batch
        in_BxI = x_BxI if see is None else encoding_lib.xyY_inputs(x_BxI, inputs=see)
        out_BxO = trainable.model(in_BxI)
        e_BxR = objectives.regression_errors(
            out_BxO[:, : enc.n_regression],
            y_BxR,
            hue_output=enc.hue_output,
            circular_hue=cfg.circular_hue,
        )
        per_BxR = objectives.elementwise_loss(e_BxR, kind=cfg.kind, delta=cfg.delta)
        terms = [jnp.mean(w_B[:, None] * per_BxR, axis=0) * weights_R]
        if enc.n_logits:
            ce = objectives.code_cross_entropy(out_BxO[:, enc.n_regression :], labels_B)
            terms.append(cfg.code_weight * ce[None])
        if gamut:
            penalty_B = objectives.gamut_penalty(out_BxO[:, enc.chroma_output], cmax_B)
            terms.append(cfg.gamut_weight * jnp.mean(w_B * penalty_B)[None])
        if nll:
            r2_B = y_BxR[:, 0] ** 2 + y_BxR[:, 1] ** 2
            chromatic_B = r2_B > 0
            exact = {
                "hue": jnp.arctan2(y_BxR[:, 1], jnp.where(chromatic_B, y_BxR[:, 0], 1.0)),
                "chroma": 50 * jnp.sqrt(r2_B),
            }
            parts = head_lib.distribution(out_BxO).log_prob_parts(exact)
            # A grey has no hue: only its chroma is scored.
            nll_B = -(jnp.where(chromatic_B, parts["hue"], 0.0) + parts["chroma"])
            terms.append(cfg.nll_weight * jnp.mean(w_B * nll_B)[None])
        if delta_e or bound:
            # The perceptual round trip: decode, back to xyY, CIEDE2000 against the input.
            spec_Bx4 = encoding_lib.decode(enc, out_BxO)
            de_B, valid_B = losses.munsell_delta_e(spec_Bx4, x_BxI, forward=forward)
            if delta_e:
                loss_de = jnp.sum(de_B) / jnp.maximum(jnp.sum(valid_B), 1)
                terms.append(cfg.delta_e_weight * loss_de[None])
            if bound:
                loss_bound = head_lib.bound_loss(out_BxO, de_B, valid_B.astype(de_B.dtype))
                terms.append(cfg.bound_weight * loss_bound[None])
        terms_K = jnp.concatenate(terms)
        if trainable.weighting is not None:
            return trainable.weighting(terms_K), terms_K
        return jnp.sum(terms_K), terms_K

    return loss_fn


def losses_defaults() -> dict:
    """``config.loss`` of ``default_config`` as a dict (what an absent field means)."""
    return default_config().loss.to_dict()


def _optimizer(config: ml_collections.ConfigDict, steps_per_epoch: int):
    opt = config.opt
    k = opt.get("accumulate_steps", 1)
    updates_per_epoch = max(steps_per_epoch // k, 1)
    learning_rate = opt.learning_rate
    if opt.get("schedule", "constant") == "warmup_cosine":
        warmup = max(opt.get("warmup_epochs", 0) * updates_per_epoch, 1)
        learning_rate = optax.warmup_cosine_decay_schedule(
            0.0,
            opt.learning_rate,
            warmup_steps=warmup,
            decay_steps=max(opt.epochs * updates_per_epoch, warmup + 1),
            end_value=opt.learning_rate * 1e-2,
        )
    elif opt.get("schedule", "constant") != "constant":
        raise ValueError("config.opt.schedule must be 'constant' or 'warmup_cosine'")
    parts = [
        optax.clip_by_global_norm(opt.clip_norm),
        optax.adamw(learning_rate, weight_decay=opt.weight_decay),
    ]
    if opt.plateau_patience > 0:
        # Patience counts epochs: the plateau test averages one epoch of losses.
        parts.append(
            optax.contrib.reduce_on_plateau(
                factor=opt.plateau_factor,
                patience=opt.plateau_patience,
                accumulation_size=updates_per_epoch,
            )
        )
    tx = optax.chain(*parts)
    return optax.MultiSteps(tx, every_k_schedule=k).gradient_transformation() if k > 1 else tx


def _step_body(graphdef, loss_fn, *, wrt, ema_decay: float, axis_name: str | None = None):
    """``step(state, ema, batch) -> (state, ema, loss)``, untransformed: the one
    training step both ``parallel`` modes compile.

    With ``axis_name`` (inside ``jax.pmap``) each device sees its part of the
    batch: the loss and the gradients are averaged over that axis before the
    update (the global batch's, as every term is a mean over rows), BatchNorm
    takes its statistics over it, and dropout draws each device's masks from
    its own key.
    """

    def scalar_loss(trainable, batch):
        return loss_fn(trainable, batch)[0]

    def step(state, ema, batch):
        trainable, optimizer = nnx.merge(graphdef, state)
        keys = _per_device(trainable, axis_name) if axis_name is not None else []
        grad_fn = nnx.value_and_grad(scalar_loss, argnums=nnx.DiffState(0, wrt))
        loss, grads = grad_fn(trainable, batch)
        if axis_name is not None:
            loss, grads = jax.lax.pmean((loss, grads), axis_name)
            for stream, key in keys:  # the replicated keys back (their counts moved on)
                stream.key[...] = key
        optimizer.update(trainable, grads, value=loss)
        if ema_decay > 0:
            params = nnx.state(trainable.model, nnx.Param)
            ema = jax.tree.map(lambda e, p: ema_decay * e + (1 - ema_decay) * p, ema, params)
        return nnx.state((trainable, optimizer)), ema, loss

    return step


def _per_device(trainable: nnx.Module, axis_name: str) -> list:
    """Make a merged ``trainable`` see one device's share of a pmapped batch:
    BatchNorm averages its statistics over ``axis_name`` (so they, and the
    running averages, are the global batch's), and every RNG stream's key gets
    the device index folded in. Returns ``(stream, replicated key)`` pairs to
    put back after the forward pass."""
    keys = []
    for _, node in nnx.iter_graph(trainable):
        if isinstance(node, nnx.BatchNorm):
            node.axis_name = axis_name
        elif isinstance(node, nnx.RngStream):
            keys.append((node, node.key[...]))
            node.key[...] = jax.random.fold_in(node.key[...], jax.lax.axis_index(axis_name))
    return keys


def make_train_step(
    graphdef, batch_sharding: NamedSharding, loss_fn, *, wrt=nnx.Param, ema_decay=0.0
):
    """The jitted training step on ``nnx.split((trainable, optimizer))`` state.

    ``step(state, ema, batch) -> (state, ema, loss)``: gradients of ``loss_fn``
    with respect to the ``wrt`` parameters only (the rest stay frozen), an
    optimiser update, and ``ema <- d ema + (1 - d) params`` when ``ema_decay``
    is > 0 (``ema`` is None otherwise). The state and EMA buffers are donated;
    the batch is split over ``batch_sharding``'s mesh (``config.parallel =
    "sharding"``).
    """
    step = _step_body(graphdef, loss_fn, wrt=wrt, ema_decay=ema_decay)

    @functools.partial(jax.jit, donate_argnums=(0, 1))
    def train_step(state, ema, batch):
        return step(state, ema, jax.lax.with_sharding_constraint(batch, batch_sharding))

    return train_step


def make_pmap_train_step(graphdef, loss_fn, *, wrt=nnx.Param, ema_decay=0.0):
    """``make_train_step``'s step under ``jax.pmap`` (``config.parallel = "pmap"``).

    ``step(state, ema, batch) -> (state, ema, loss)`` on state and EMA
    replicated over the local devices (a leading axis of
    ``jax.local_device_count()``) and a batch reshaped to ``[devices,
    batch / devices, ...]``; the loss and gradients are averaged with
    ``jax.lax.pmean`` over the ``PMAP_AXIS`` axis, which spans every process's
    devices after ``jax.distributed.initialize()``. Every output has the
    leading device axis (all replicas equal). State and EMA are donated.
    """
    step = _step_body(graphdef, loss_fn, wrt=wrt, ema_decay=ema_decay, axis_name=PMAP_AXIS)
    return jax.pmap(step, axis_name=PMAP_AXIS, donate_argnums=(0, 1))


def build(config: ml_collections.ConfigDict, steps_per_epoch: int = 1):
    """``(trainable, optimizer, wrt)`` for ``config``, freshly initialised."""
    model = build_model(config)
    layout = encoding_lib.input_layout(config)
    n_in = io_features(config.direction, config.get("encoding", "regression"), inputs=layout)[0]
    weighting = None
    if config.get("loss", {}).get("uncertainty_weighting", False):
        trial = make_loss_fn(config)
        enc = encoding_lib.output_encoding(config)
        batch = (
            jnp.zeros((1, n_in)),
            jnp.zeros((1, enc.n_regression)),
            jnp.zeros((1,), jnp.int32),
            jnp.ones((1,)),
            jnp.ones((1,)),
        )
        n_terms = trial(Trainable(model), batch)[1].shape[0]
        weighting = objectives.UncertaintyWeighting(n_terms)
    trainable = Trainable(model, weighting)
    wrt = nnx.Param
    if config.opt.get("stage_epochs", ()):
        # Everything under the two-stage model's base stays as stage one left it.
        wrt = nnx.All(nnx.Param, nnx.Not(nnx.PathContains("base")))
    optimizer = nnx.Optimizer(trainable, _optimizer(config, steps_per_epoch), wrt=wrt)
    return trainable, optimizer, wrt


def base_config(config: ml_collections.ConfigDict) -> ml_collections.ConfigDict:
    """The config of a two-stage model's base, trained as a run of its own."""
    if config.model.name != "two_stage":
        raise ValueError("config.opt.stage_epochs is for two_stage models")
    base = ml_collections.ConfigDict(config.to_dict())
    from munsell_jax.nn.two_stage import DEFAULT_BASE

    named = config.model.get("base")
    base.model = ml_collections.ConfigDict(named.to_dict() if named else DEFAULT_BASE)
    base.opt.epochs = config.opt.stage_epochs[-1]
    base.opt.stage_epochs = tuple(config.opt.stage_epochs[:-1])
    base.architecture = f"{config.get('architecture', '')} (base)"
    return base


def checkpoint_args(state, ema, progress, *, save: bool):
    """Orbax arguments saving (``save``) or restoring a run's checkpoint: the
    state of the model and optimiser, the EMA parameters (when not None) and the
    progress record (epoch, best validation loss, epochs since the best)."""
    items = {"state": nnx.to_pure_dict(state)}
    if ema is not None:
        items["ema"] = nnx.to_pure_dict(ema)
    if save:
        args = {k: ocp.args.StandardSave(v) for k, v in items.items()}
        return ocp.args.Composite(**args, progress=ocp.args.JsonSave(progress))
    args = {k: ocp.args.StandardRestore(v) for k, v in items.items()}
    return ocp.args.Composite(**args, progress=ocp.args.JsonRestore())


def load_run(
    workdir: str | Path, *, which: str = "best"
) -> tuple[nnx.Module, ml_collections.ConfigDict]:
    """The trained network of a run directory (or a shipped model) and its config.

    ``workdir`` is a run (orbax checkpoints), a folder with ``params.npz`` (a
    shipped model's files, ``munsell_jax.hub``), or a shipped model's name.
    ``which`` is ``"best"`` (lowest validation loss) or ``"latest"``. With an
    EMA in the run, the EMA parameters are loaded (as evaluation uses them).
    The network is in evaluation mode (BatchNorm running statistics, no dropout).
    """
    workdir = model_folder(workdir).resolve()  # orbax wants absolute paths
    config = ml_collections.ConfigDict(json.loads((workdir / "config.json").read_text()))
    if (workdir / "params.npz").exists() and not (workdir / "checkpoints").exists():
        return load_params(build_model(config), workdir / "params.npz"), config
    trainable, optimizer, _ = build(config)
    ema = nnx.state(trainable.model, nnx.Param) if config.opt.get("ema_decay", 0) > 0 else None
    state = nnx.state((trainable, optimizer))
    with ocp.CheckpointManager(workdir / "checkpoints" / which) as manager:
        step = manager.best_step() if which == "best" else manager.latest_step()
        if step is None:
            raise FileNotFoundError(f"no {which} checkpoint in {workdir}")
        restored = manager.restore(step, args=checkpoint_args(state, ema, {}, save=False))
    nnx.replace_by_pure_dict(state, restored["state"])
    nnx.update((trainable, optimizer), state)
    if ema is not None:
        nnx.replace_by_pure_dict(ema, restored["ema"])
        nnx.update(trainable.model, ema)
    trainable.model.eval()
    return trainable.model, config


def _mlflow(config, workdir: Path):
    if not config.get("mlflow", False):
        return None
    try:
        import mlflow
    except ImportError as error:
        raise RuntimeError(
            "config.mlflow is set but MLflow is not installed: pip install mlflow"
        ) from error
    mlflow.set_tracking_uri((workdir / "mlruns").as_uri())
    mlflow.set_experiment(config.get("architecture", config.model.name) or "munsell_jax")
    run = mlflow.start_run(run_name=workdir.name)
    flat = {}
    for group, values in config.to_dict().items():
        for k, v in values.items() if isinstance(values, dict) else [("", values)]:
            flat[f"{group}.{k}" if k else group] = str(v)[:250]
    mlflow.log_params(flat)
    return mlflow, run


# Fields a resumed run may change: how long it trains, how it reports, and how
# a step is split over the devices (the same run either way).
RESUMABLE = (
    "opt.epochs",
    "opt.early_stopping_patience",
    "progress",
    "mlflow",
    "data.data_dir",
    "parallel",
)


def validate(config: ml_collections.ConfigDict) -> None:
    """Raise a one-line ValueError for a config no run should start from."""
    opt, data = config.opt, config.data
    lr, epochs, batch = opt.learning_rate, opt.epochs, opt.batch_size
    steps, ema = opt.get("accumulate_steps", 1), opt.get("ema_decay", 0.0)
    parallel = config.get("parallel", "sharding")
    rules = {
        "parallel": (parallel, parallel in PARALLEL),
        "opt.learning_rate": (lr, math.isfinite(lr) and lr >= 0),  # 0: a frozen run
        "opt.epochs": (epochs, isinstance(epochs, int) and epochs >= 1),
        "opt.batch_size": (batch, isinstance(batch, int) and batch >= 1),
        "opt.weight_decay": (opt.get("weight_decay", 0.0), opt.get("weight_decay", 0.0) >= 0),
        "opt.clip_norm": (opt.get("clip_norm", 1.0), opt.get("clip_norm", 1.0) > 0),
        "opt.accumulate_steps": (steps, isinstance(steps, int) and steps >= 1),
        "opt.ema_decay": (ema, 0 <= ema < 1),
        "data.size": (data.size, data.size >= 1),
        "data.validation_fraction": (
            data.validation_fraction,
            0 < data.validation_fraction < 1,
        ),
    }
    hints = {"parallel": f" (one of {', '.join(map(repr, PARALLEL))})"}
    for field, (value, ok) in rules.items():
        if not ok:
            raise ValueError(
                f"config.{field} = {value!r} is not a valid setting{hints.get(field, '')}"
            )


def initialize_distributed() -> bool:
    """Join a multi-process run when the environment asks for one; return
    whether this process is part of one (``jax.process_count() > 1`` then).

    Before anything touches a device, ``train_and_evaluate`` (and so
    ``munsell-jax train``) calls ``jax.distributed.initialize`` when

    - ``MUNSELL_JAX_COORDINATOR=host:port``, with ``MUNSELL_JAX_NUM_PROCESSES``
      and ``MUNSELL_JAX_PROCESS_ID``: explicitly (any machine, a CPU test);
    - ``MUNSELL_JAX_DISTRIBUTED=1``: with no arguments, which finds the
      cluster itself (SLURM, Open MPI, TPU pod slices, Kubernetes, ...).

    Nothing happens without them, or when JAX's distributed runtime is up
    already (a caller initialised it). CPU collectives across processes use
    gloo (``jax_cpu_collectives_implementation``, JAX's default).

    Raises:
      ValueError: ``MUNSELL_JAX_COORDINATOR`` without integer process settings.
    """
    if jax.distributed.is_initialized():
        return jax.process_count() > 1
    coordinator = os.environ.get("MUNSELL_JAX_COORDINATOR", "")
    auto = os.environ.get("MUNSELL_JAX_DISTRIBUTED", "") not in ("", "0")
    if not coordinator and not auto:
        return False
    kwargs = {}
    if coordinator:
        try:
            kwargs = {
                "coordinator_address": coordinator,
                "num_processes": int(os.environ["MUNSELL_JAX_NUM_PROCESSES"]),
                "process_id": int(os.environ["MUNSELL_JAX_PROCESS_ID"]),
            }
        except (KeyError, ValueError):
            raise ValueError(
                "MUNSELL_JAX_COORDINATOR needs MUNSELL_JAX_NUM_PROCESSES and "
                "MUNSELL_JAX_PROCESS_ID (integers)"
            ) from None
    if jax.config.jax_cpu_collectives_implementation in (None, "", "none"):
        jax.config.update("jax_cpu_collectives_implementation", "gloo")
    jax.distributed.initialize(**kwargs)
    return jax.process_count() > 1


def _flat(tree: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat |= _flat(value, f"{prefix}{key}.")
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _claim(workdir: Path, config: ml_collections.ConfigDict) -> Path:
    """Take ``workdir`` for this run: refuse it while another live process trains
    there or when it holds a run of another config; write ``config.json``;
    return the lock file to remove when done."""
    lock = workdir / ".lock"
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        try:
            owner = int(lock.read_text() or 0)
            os.kill(owner, 0)  # raises when no such process: a stale lock
        except (ValueError, ProcessLookupError):
            lock.unlink(missing_ok=True)
            return _claim(workdir, config)
        except PermissionError:  # alive, and someone else's
            pass
        raise RuntimeError(
            f"{workdir} is in use by process {owner} (its {lock.name}); wait for it, or "
            "train in another --workdir"
        ) from None
    with os.fdopen(fd, "w") as f:
        f.write(str(os.getpid()))
    try:
        new = json.loads(config.to_json_best_effort())
        saved = workdir / "config.json"
        if saved.exists():
            old = _flat(json.loads(saved.read_text()))
            changed = [
                f"{k}: {old.get(k)!r} -> {v!r}"
                for k, v in _flat(new).items()
                if k not in RESUMABLE and old.get(k) != v
            ] + [f"{k}: removed" for k in old if k not in _flat(new) and k not in RESUMABLE]
            if changed:
                raise ValueError(
                    f"{workdir} holds a run of another config ({'; '.join(changed[:3])}): "
                    "train in a new --workdir, or delete this one to start over"
                )
        saved.write_text(config.to_json_best_effort(indent=2) + "\n")
    except BaseException:
        lock.unlink(missing_ok=True)
        raise
    return lock


def _restore(latest: ocp.CheckpointManager, best: ocp.CheckpointManager, args):
    """The newest readable checkpoint, latest's steps first and then best's, or
    None when there is none. An unreadable one (a run killed while writing it, a
    damaged disk) is skipped with a warning, and every step after the one
    restored is deleted, so the run continues from there.

    Raises:
      RuntimeError: there are checkpoints but none can be read.
    """
    candidates = [(m, step) for m in (latest, best) for step in sorted(m.all_steps(), reverse=True)]
    for manager, step in candidates:
        try:
            restored = manager.restore(step, args=args)
        except Exception as error:  # orbax, TensorStore and JSON raise their own kinds
            warnings.warn(
                f"checkpoint {manager.directory}/{step} is unreadable "
                f"({type(error).__name__}); trying an older one",
                stacklevel=3,
            )
            continue
        for m in (latest, best):
            for later in [s for s in m.all_steps() if s > restored["progress"]["epoch"]]:
                m.delete(later)
        return restored
    if candidates:
        raise RuntimeError(
            f"no checkpoint under {latest.directory.parent} can be read; "
            "delete that folder to train from the start"
        )
    return None


def _silent(*args, **kwargs) -> None:
    """``print`` for the processes other than process 0."""


def _replicate(tree, sharding: NamedSharding):
    """``jax.device_put(tree, sharding)`` for a replicated ``sharding`` of every
    process's devices, each leaf (host or local device arrays) holding the same
    value in every process. With several processes each copies its own to its
    devices: device_put would compare the values across processes first (an
    all-gather of the whole data set, where NaN never equals itself)."""
    if jax.process_count() == 1:
        return jax.device_put(tree, sharding)
    devices = sorted(sharding.addressable_devices, key=lambda d: d.id)

    def one(x):
        copies = [jax.device_put(x, d) for d in devices]
        return jax.make_array_from_single_device_arrays(x.shape, sharding, copies)

    return jax.tree.map(one, tree)


def _pmap_layout(batch_size: int, replicated: NamedSharding):
    """``(to_devices, from_devices, device_batch)`` for the pmap step.

    ``to_devices``: a tree of arrays replicated on ``replicated``'s mesh -> one
    replica per local device (the pmap step's state); ``from_devices``: back,
    from the first local replica; ``device_batch``: a global batch (the same in
    every process) -> this process's share, ``[local devices, batch /
    devices, ...]`` over its local devices, device ``d`` of process ``p``
    taking rows ``(p * local + d) * batch / devices`` onwards, as the
    ``"data"`` mesh axis splits them.
    """
    local, processes = jax.local_device_count(), jax.process_count()
    per_device = batch_size // (local * processes)
    spread = NamedSharding(jax.sharding.Mesh(np.array(jax.local_devices()), ("d",)), P("d"))

    def to_devices(tree):
        def one(x):
            value = x.addressable_data(0)
            return jax.device_put(jnp.broadcast_to(value[None], (local, *value.shape)), spread)

        return jax.tree.map(one, tree)

    def from_devices(tree):
        return _replicate(jax.tree.map(lambda x: x.addressable_data(0)[0], tree), replicated)

    @jax.jit
    def share(batch):
        mine = jax.process_index()
        return jax.tree.map(
            lambda x: x.reshape(processes, local, per_device, *x.shape[1:])[mine], batch
        )

    def device_batch(batch):
        return jax.device_put(share(batch), spread)

    return to_devices, from_devices, device_batch


def train_and_evaluate(config: ml_collections.ConfigDict, workdir: str | Path) -> dict:
    """Train ``config`` in ``workdir``, resuming from its latest checkpoint.

    Writes ``workdir/checkpoints/{latest,best}`` (orbax), ``metrics.jsonl`` (one
    line per epoch) and ``config.json``. Returns the last epoch's metrics. A
    run resumes only its own config (``RESUMABLE`` fields may change), and holds
    ``workdir/.lock`` while it trains.

    In a multi-process run (``initialize_distributed``) every process calls
    this with the same config and a ``workdir`` they all see (a shared file
    system, as orbax needs): process 0 alone takes the lock and writes
    ``config.json``, ``metrics.jsonl`` and the console output, and all of them
    write the checkpoints together.

    Raises:
      ValueError: an invalid config, or a workdir holding another config's run.
      RuntimeError: another live process is training in ``workdir``.
      FloatingPointError: the training loss became NaN or inf.
    """
    validate(config)
    initialize_distributed()
    workdir = Path(workdir).resolve()
    lock, refused = None, None
    if jax.process_index() == 0:
        workdir.mkdir(parents=True, exist_ok=True)
        try:
            lock = _claim(workdir, config)
        except Exception as error:  # raised below, once the others know
            refused = error
    if jax.process_count() > 1:  # the others learn process 0's answer, not hang
        from jax.experimental import multihost_utils

        claimed = bool(multihost_utils.broadcast_one_to_all(np.int32(refused is None)))
        if not claimed and refused is None:
            raise RuntimeError(f"process 0 could not take {workdir} (its error says why)")
    if refused is not None:
        raise refused
    try:
        return _train(config, workdir)
    finally:
        if lock is not None:
            lock.unlink(missing_ok=True)


def _train(config: ml_collections.ConfigDict, workdir: Path) -> dict:

    # Stage one of a two-stage model: its base, trained (or resumed) first.
    base_model = None
    if config.opt.get("stage_epochs", ()):
        train_and_evaluate(base_config(config), workdir / "base")
        base_model, _ = load_run(workdir / "base")

    # Data: exact labels from the engine (float64), trained in float32.
    dataset = load_dataset(config)
    arrays = _arrays(config, dataset)
    val_rows, train_rows = split_rows(config, len(arrays[0]))
    # Data parallel over every device (of every process, after
    # jax.distributed.initialize()), each process holding the same (seeded)
    # data. "sharding": arrays and parameters replicated, each batch split
    # along a "data" mesh axis; XLA inserts the gradient all-reduce. One device
    # is the same program on a mesh of one. "pmap": the same step under
    # jax.pmap (make_pmap_train_step); validation and checkpoints use the
    # replicated mesh state in both modes, so the two write the same files.
    pmap = config.get("parallel", "sharding") == "pmap"
    primary = jax.process_index() == 0
    mesh = jax.make_mesh((jax.device_count(),), ("data",), axis_types=(jax.sharding.AxisType.Auto,))
    replicated, split = NamedSharding(mesh, P()), NamedSharding(mesh, P("data"))
    batch_size = config.opt.batch_size
    if batch_size % mesh.size:
        raise ValueError(f"batch_size {batch_size} must divide evenly over {mesh.size} devices")
    # pmap: each process batches on its first device and feeds its own devices.
    train = tuple(a[train_rows] for a in arrays)
    train = jax.device_put(train, jax.local_devices()[0]) if pmap else _replicate(train, replicated)
    val = _replicate(tuple(a[val_rows] for a in arrays), replicated)
    steps_per_epoch = len(train_rows) // batch_size

    # Model and optimiser.
    trainable, optimizer, wrt = build(config, steps_per_epoch)
    if base_model is not None:
        nnx.update(trainable.model.base, nnx.state(base_model))
    if config.get("init_from", ""):
        # Fine-tuning: another run's (EMA) parameters, same architecture; a
        # checkpoint of this run, when there is one, overrides them below.
        start_model, _ = load_run(config.init_from)  # a run, a model folder or a shipped name
        nnx.update(trainable.model, nnx.state(start_model))
    trainable.model.train()
    ema_decay = config.opt.get("ema_decay", 0.0)
    ema = None
    if ema_decay > 0:  # its own buffers: the step donates both
        ema = jax.tree.map(jnp.copy, nnx.state(trainable.model, nnx.Param))
    graphdef, state = nnx.split((trainable, optimizer))
    state, ema = _replicate((state, ema), replicated)
    # On a CPU host several steps in flight can deadlock in the all-reduce.
    block_each_step = mesh.size > 1 and jax.default_backend() == "cpu"

    loss_fn = make_loss_fn(config)
    if pmap:
        train_step = make_pmap_train_step(graphdef, loss_fn, wrt=wrt, ema_decay=ema_decay)
    else:
        train_step = make_train_step(graphdef, split, loss_fn, wrt=wrt, ema_decay=ema_decay)
    to_devices, from_devices, device_batch = _pmap_layout(batch_size, replicated)

    @jax.jit
    def eval_terms(state, ema, batch):
        trainable, _ = nnx.merge(graphdef, state)
        if ema is not None:
            nnx.update(trainable.model, ema)
        trainable.model.eval()
        return loss_fn(trainable, batch)[1]

    def validation_loss(state, ema) -> float:
        # Unweighted sum of the terms, chunked so a large set fits in memory.
        n, chunk, total = len(val_rows), config.opt.get("eval_batch_size", 16_384), 0.0
        for start in range(0, n, chunk):
            batch = tuple(a[start : start + chunk] for a in val)
            total += float(jnp.sum(eval_terms(state, ema, batch))) * len(batch[0])
        return total / n

    # Checkpoints: the two latest (to resume; the older one in case the newer
    # cannot be read) and the best by validation loss. Every process saves
    # (orbax writes each array once, from process 0's replica); the two
    # managers' cross-process barriers need names of their own.
    def barriers(prefix: str) -> ocp.options.MultiprocessingOptions:
        return ocp.options.MultiprocessingOptions(barrier_sync_key_prefix=prefix)

    latest = ocp.CheckpointManager(
        workdir / "checkpoints" / "latest",
        options=ocp.CheckpointManagerOptions(
            max_to_keep=2, create=True, multiprocessing_options=barriers("latest")
        ),
    )
    best = ocp.CheckpointManager(
        workdir / "checkpoints" / "best",
        options=ocp.CheckpointManagerOptions(
            max_to_keep=1,
            create=True,
            best_fn=lambda m: m["val_loss"],
            best_mode="min",
            multiprocessing_options=barriers("best"),
        ),
    )
    progress = {"epoch": 0, "best_val_loss": math.inf, "epochs_since_best": 0}
    restored = _restore(latest, best, checkpoint_args(state, ema, progress, save=False))
    if restored is not None:
        nnx.replace_by_pure_dict(state, restored["state"])
        if ema is not None:
            nnx.replace_by_pure_dict(ema, restored["ema"])
        progress = dict(restored["progress"])
    # The log holds exactly the epochs of the state resumed from (a killed run
    # may have logged an epoch after its last checkpoint).
    log_file = workdir / "metrics.jsonl"
    if primary and log_file.exists():
        kept = [
            line
            for line in log_file.read_text().splitlines()
            if line.strip() and json.loads(line)["epoch"] <= progress["epoch"]
        ]
        log_file.write_text("".join(f"{line}\n" for line in kept))

    tracker = _mlflow(config, workdir) if primary else None
    say = print if primary else _silent
    processes = f" in {jax.process_count()} processes" if jax.process_count() > 1 else ""
    say(
        f"training {config.get('architecture') or config.model.name} ({config.direction}) on "
        f"{len(train_rows):,} rows, {steps_per_epoch} steps per epoch, {mesh.size} device(s)"
        f"{processes} ({jax.default_backend()}, {'pmap' if pmap else 'sharding'})"
    )
    metrics: dict = {}
    key = jax.random.key(config.seed)
    # pmap: the step's own replicas of the state, one per local device.
    step_state, step_ema = to_devices((state, ema)) if pmap else (state, ema)
    with log_file.open("a") if primary else contextlib.nullcontext() as log:
        for epoch in range(progress["epoch"], config.opt.epochs):
            if progress["epochs_since_best"] >= config.opt.early_stopping_patience:
                since = progress["epochs_since_best"]
                say(f"early stop: no better validation loss in {since} epochs")
                break
            start = time.perf_counter()
            step_losses = []
            batches = data_lib.epoch_batches(jax.random.fold_in(key, epoch), train, batch_size)
            bar = tqdm(
                batches,
                total=steps_per_epoch,
                desc=f"epoch {epoch + 1}/{config.opt.epochs}",
                leave=False,
                disable=None if config.get("progress", True) and primary else True,
            )
            for batch in bar:
                if pmap:
                    batch = device_batch(batch)
                step_state, step_ema, loss = train_step(step_state, step_ema, batch)
                if block_each_step:
                    loss.block_until_ready()
                step_losses.append(loss.addressable_data(0).reshape(()) if pmap else loss)
            state, ema = from_devices((step_state, step_ema)) if pmap else (step_state, step_ema)
            train_loss = float(jnp.mean(jnp.stack(step_losses)))  # one host fetch per epoch
            if not math.isfinite(train_loss):
                raise FloatingPointError(
                    f"training loss is {train_loss} at epoch {epoch + 1}; lower "
                    "config.opt.learning_rate or check the data"
                )
            val_loss = validation_loss(state, ema)
            if val_loss < progress["best_val_loss"]:
                progress["best_val_loss"], progress["epochs_since_best"] = val_loss, 0
            else:
                progress["epochs_since_best"] += 1
            progress["epoch"] = epoch + 1
            metrics = {
                "epoch": epoch + 1,
                "train_loss": train_loss,
                "val_loss": val_loss,
                "seconds": round(time.perf_counter() - start, 3),
            }
            if log is not None:
                log.write(json.dumps(metrics) + "\n")
                log.flush()
            if tracker is not None:
                tracker[0].log_metrics(
                    {k: v for k, v in metrics.items() if k != "epoch"}, step=epoch + 1
                )
            latest.save(epoch + 1, args=checkpoint_args(state, ema, progress, save=True))
            best.save(
                epoch + 1,
                args=checkpoint_args(state, ema, progress, save=True),
                metrics={"val_loss": val_loss},
            )
            say(
                f"epoch {epoch + 1}/{config.opt.epochs}: train {train_loss:.3e} "
                f"val {val_loss:.3e} ({metrics['seconds']:.1f} s)"
            )
    if tracker is not None:
        tracker[0].end_run()
    latest.wait_until_finished()
    best.wait_until_finished()
    latest.close()
    best.close()
    return metrics
