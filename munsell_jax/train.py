"""``train_and_evaluate(config, workdir)``: one readable training loop.

Data from ``munsell_jax.data`` (cached, exact labels), a Flax NNX model found
by name in ``munsell_jax.nn``, optax AdamW with gradient clipping and
reduce-on-plateau, a jitted split/merge step with donated buffers on
device-resident batches, early stopping, and orbax checkpoints (latest and
best) from which a restarted run resumes by itself.

Directions and normalisation (inside the model's I/O, not the data):

- ``from_xyY``: xyY in, ``[hue/10, value/10, chroma/50, code/10]`` out;
- ``to_xyY``: ``[hue/10, value/10, chroma/50, code/10]`` in, xyY out.
"""

from __future__ import annotations

import functools
import json
import math
import time
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

from munsell_jax import data as data_lib
from munsell_jax.nn import get_model

__all__ = ["SPEC_SCALE", "make_train_step", "train_and_evaluate"]

SPEC_SCALE = np.array([10.0, 10.0, 50.0, 10.0])  # specification -> roughly [0, 1]


def _io(direction: str, dataset: data_lib.Dataset) -> tuple[np.ndarray, np.ndarray]:
    spec = dataset.specification / SPEC_SCALE
    if direction == "from_xyY":
        return dataset.xyY, spec
    if direction == "to_xyY":
        return spec, dataset.xyY
    raise ValueError(f"config.direction must be 'from_xyY' or 'to_xyY', not {direction!r}")


def _optimizer(config: ml_collections.ConfigDict, steps_per_epoch: int):
    opt = config.opt
    return optax.chain(
        optax.clip_by_global_norm(opt.clip_norm),
        optax.adamw(opt.learning_rate, weight_decay=opt.weight_decay),
        # Patience counts epochs: the plateau test averages one epoch of losses.
        optax.contrib.reduce_on_plateau(
            factor=opt.plateau_factor,
            patience=opt.plateau_patience,
            accumulation_size=steps_per_epoch,
        ),
    )


def _loss(model: nnx.Module, x_BxI: jax.Array, y_BxO: jax.Array) -> jax.Array:
    return jnp.mean((model(x_BxI) - y_BxO) ** 2)


def make_train_step(graphdef, batch_sharding: NamedSharding):
    """The jitted training step on ``nnx.split((model, optimizer))`` state.

    ``step(state, x_BxI, y_BxO) -> (state, loss)``; the state buffers are
    donated and the batch is split over ``batch_sharding``'s mesh.
    """

    @functools.partial(jax.jit, donate_argnums=0)
    def train_step(state, x_BxI, y_BxO):
        x_BxI, y_BxO = jax.lax.with_sharding_constraint((x_BxI, y_BxO), batch_sharding)
        model, optimizer = nnx.merge(graphdef, state)
        loss, grads = nnx.value_and_grad(_loss)(model, x_BxI, y_BxO)
        optimizer.update(model, grads, value=loss)
        return nnx.state((model, optimizer)), loss

    return train_step


def train_and_evaluate(config: ml_collections.ConfigDict, workdir: str | Path) -> dict:
    """Train ``config`` in ``workdir``, resuming from its latest checkpoint.

    Writes ``workdir/checkpoints/{latest,best}`` (orbax), ``metrics.jsonl`` (one
    line per epoch) and ``config.json``. Returns the last epoch's metrics.

    Raises:
      FloatingPointError: the training loss became NaN or inf.
    """
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "config.json").write_text(config.to_json_best_effort(indent=2) + "\n")

    # Data: exact labels from the engine (float64), trained in float32.
    dataset = data_lib.load_or_generate(
        config.data.name,
        size=config.data.size,
        seed=config.data.seed,
        data_dir=config.data.data_dir,
        progress=False,
    )
    inputs, targets = _io(config.direction, dataset)
    order = np.random.default_rng(config.data.seed).permutation(len(inputs))
    n_val = int(round(config.data.validation_fraction * len(inputs)))
    val_rows, train_rows = order[:n_val], order[n_val:]
    # Data parallel over every local device: arrays and parameters replicated,
    # each batch split along a "data" mesh axis; XLA inserts the gradient
    # all-reduce. One device is the same program on a mesh of one.
    mesh = jax.make_mesh(
        (jax.local_device_count(),), ("data",), axis_types=(jax.sharding.AxisType.Auto,)
    )
    replicated, split = NamedSharding(mesh, P()), NamedSharding(mesh, P("data"))
    batch_size = config.opt.batch_size
    if batch_size % mesh.size:
        raise ValueError(f"batch_size {batch_size} must divide evenly over {mesh.size} devices")
    train_x, train_y, val_x, val_y = jax.device_put(
        tuple(
            np.asarray(a[rows], np.float32)
            for rows in (train_rows, val_rows)
            for a in (inputs, targets)
        ),
        replicated,
    )
    steps_per_epoch = len(train_x) // batch_size

    # Model and optimiser.
    model = get_model(
        config.model.name,
        in_features=inputs.shape[1],
        out_features=targets.shape[1],
        rngs=nnx.Rngs(config.seed),
        **{k: v for k, v in config.model.items() if k != "name"},
    )
    optimizer = nnx.Optimizer(model, _optimizer(config, steps_per_epoch), wrt=nnx.Param)
    graphdef, state = nnx.split((model, optimizer))
    state = jax.device_put(state, replicated)
    # On a CPU host several steps in flight can deadlock in the all-reduce.
    block_each_step = mesh.size > 1 and jax.default_backend() == "cpu"

    train_step = make_train_step(graphdef, split)

    @jax.jit
    def eval_loss(state, x_BxI, y_BxO):
        model, _ = nnx.merge(graphdef, state)
        return _loss(model, x_BxI, y_BxO)

    # Checkpoints: the latest (to resume) and the best by validation loss.
    options = dict(max_to_keep=1, create=True)
    latest = ocp.CheckpointManager(
        workdir / "checkpoints" / "latest", options=ocp.CheckpointManagerOptions(**options)
    )
    best = ocp.CheckpointManager(
        workdir / "checkpoints" / "best",
        options=ocp.CheckpointManagerOptions(
            **options, best_fn=lambda m: m["val_loss"], best_mode="min"
        ),
    )
    progress = {"epoch": 0, "best_val_loss": math.inf, "epochs_since_best": 0}
    if latest.latest_step() is not None:
        restored = latest.restore(
            latest.latest_step(),
            args=ocp.args.Composite(
                state=ocp.args.StandardRestore(nnx.to_pure_dict(state)),
                progress=ocp.args.JsonRestore(),
            ),
        )
        nnx.replace_by_pure_dict(state, restored["state"])
        progress = dict(restored["progress"])

    print(
        f"training {config.model.name} ({config.direction}) on {len(train_x):,} rows, "
        f"{steps_per_epoch} steps per epoch, {mesh.size} device(s) ({jax.default_backend()})"
    )
    metrics: dict = {}
    key = jax.random.key(config.seed)
    with (workdir / "metrics.jsonl").open("a") as log:
        for epoch in range(progress["epoch"], config.opt.epochs):
            if progress["epochs_since_best"] >= config.opt.early_stopping_patience:
                break
            start = time.perf_counter()
            losses = []
            batches = data_lib.epoch_batches(
                jax.random.fold_in(key, epoch), (train_x, train_y), batch_size
            )
            for x_BxI, y_BxO in batches:
                state, loss = train_step(state, x_BxI, y_BxO)
                if block_each_step:
                    loss.block_until_ready()
                losses.append(loss)
            train_loss = float(jnp.mean(jnp.stack(losses)))  # one host fetch per epoch
            if not math.isfinite(train_loss):
                raise FloatingPointError(
                    f"training loss is {train_loss} at epoch {epoch + 1}; lower "
                    "config.opt.learning_rate or check the data"
                )
            val_loss = float(eval_loss(state, val_x, val_y))
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
            log.write(json.dumps(metrics) + "\n")
            log.flush()
            pure = nnx.to_pure_dict(state)
            save_args = ocp.args.Composite(
                state=ocp.args.StandardSave(pure), progress=ocp.args.JsonSave(progress)
            )
            latest.save(epoch + 1, args=save_args)
            best.save(epoch + 1, args=save_args, metrics={"val_loss": val_loss})
            print(
                f"epoch {epoch + 1}/{config.opt.epochs}: train {train_loss:.3e} "
                f"val {val_loss:.3e} ({metrics['seconds']:.1f} s)"
            )
    latest.wait_until_finished()
    best.wait_until_finished()
    latest.close()
    best.close()
    return metrics
