"""The shipped models: what the package carries, and one ``load_model`` for them.

A deliberate few learned converters travel inside the package, each in
``munsell_jax/models/<direction>/<name>/``: ``config.json`` (the config that
trained it), ``params.npz`` (its inference parameters: no optimiser state),
``model.onnx`` (the same function as one ONNX graph) and ``metrics.json`` (the
evaluation protocol's figures, git commit, data, seed and training time).
``"to_xyY/exact"`` is the exact Munsell -> xyY engine itself (JAX, and its
ONNX graph).

- ``shipped_models()``: the names;
- ``load_model(name, backend="jax" | "onnx")``: a numpy-in, numpy-out callable
  (the ONNX backend needs ``pip install 'munsell_jax[onnx]'``);
- ``load_converter(name)``: the Flax NNX module (raw inputs to raw outputs);
- ``approximator(name)``: a differentiable Munsell -> xyY NNX module, the
  forward of ``munsell_delta_e_loss(..., forward=...)``.

A name may also be a folder holding the same files (``config.json`` and
``params.npz``), such as a model written by ``munsell_jax.lab.ship``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from munsell_jax.encoding import (
    decode,
    input_layout,
    output_encoding,
    specification_inputs,
    xyY_inputs,
)
from munsell_jax.nn import get_model, io_features
from munsell_jax.renotation import project_to_renotation

__all__ = [
    "ENGINE",
    "INVERSE",
    "MODELS",
    "PARAMS",
    "SHIPPED",
    "BoundedPrediction",
    "Converter",
    "approximator",
    "bounded",
    "build_model",
    "engine_predict",
    "float64_model",
    "inverse_predict",
    "load_converter",
    "load_model",
    "load_params",
    "model_folder",
    "predictor",
    "save_params",
    "shipped_models",
]

MODELS = Path(__file__).resolve().parent / "models"
ENGINE = "to_xyY/exact"
INVERSE = "from_xyY/exact"
# name -> what it is for (the README's "picking a shipped model" table).
SHIPPED = {
    "from_xyY/residual_mlp_cartesian_exact5": "the most accurate xyY -> Munsell model; "
    "the first guess of xyY_to_munsell(init='model')",
    "from_xyY/mlp_base_hue_angle_exact": "the fastest xyY -> Munsell model",
    "to_xyY/lattice_mlp_exact": "the most accurate learned Munsell -> xyY model "
    "(a differentiable approximator of the engine)",
    "to_xyY/approximator": "a small, fast differentiable Munsell -> xyY approximator",
    ENGINE: "the exact Munsell -> xyY engine (JAX; ONNX graph of the same interpolation)",
    INVERSE: "the exact xyY -> Munsell inverse as one ONNX graph (the cell walk of "
    "xyY_to_munsell, float64 inside)",
    "from_xyY/probabilistic": "the most accurate xyY -> Munsell model, with a calibrated "
    "90% bound on each answer's CIEDE2000 (load_model returns a BoundedPrediction); the "
    "model of xyY_to_munsell(init='model', tolerance=...)",
}
PARAMS = "params.npz"


def shipped_models() -> tuple[str, ...]:
    """Names of the models the package carries, ``"<direction>/<name>"``."""
    return tuple(SHIPPED)


def model_folder(name: str | Path) -> Path:
    """The folder of a shipped model (``"from_xyY/<name>"``) or a model folder path.

    Raises:
      FileNotFoundError: ``name`` is neither a shipped model nor a folder.
    """
    if str(name) in SHIPPED:
        return MODELS / str(name)
    path = Path(name)
    if path.is_dir():
        return path
    raise FileNotFoundError(
        f"no model {str(name)!r}: not a shipped model ({', '.join(SHIPPED)}) nor a folder"
    )


def _read_config(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "config.json").read_text())


def build_model(config: Mapping[str, Any], *, seed: int | None = None) -> nnx.Module:
    """A freshly initialised network of ``config`` (a dict or ConfigDict with
    ``direction``, ``model`` = ``{"name": <family of munsell_jax.nn>, ...}`` and
    optionally ``encoding`` and ``inputs``); ``seed`` defaults to ``config["seed"]``."""
    n_in, n_out = io_features(
        config["direction"], config.get("encoding", "regression"), inputs=input_layout(config)
    )
    spec = config["model"]
    spec = spec.to_dict() if hasattr(spec, "to_dict") else dict(spec)
    kwargs = {k: v for k, v in spec.items() if k != "name"}
    seed = config.get("seed", 0) if seed is None else seed
    return get_model(
        spec["name"], in_features=n_in, out_features=n_out, rngs=nnx.Rngs(seed), **kwargs
    )


def _leaves(model: nnx.Module) -> dict[str, Any]:
    """Every variable of ``model`` but its random-number state, keyed ``a/b/c``."""
    state = nnx.state(model, nnx.Not(nnx.RngState))
    flat = {}

    def visit(prefix: str, tree) -> None:
        if isinstance(tree, Mapping):
            for key, value in tree.items():
                visit(f"{prefix}/{key}" if prefix else str(key), value)
        else:
            flat[prefix] = tree

    visit("", nnx.to_pure_dict(state))
    return flat


def save_params(model: nnx.Module, file: str | Path) -> Path:
    """Write ``model``'s inference variables (parameters, batch statistics; no
    optimiser state, no random-number state) to an ``.npz`` file."""
    file = Path(file)
    file.parent.mkdir(parents=True, exist_ok=True)
    arrays = {key: np.asarray(value) for key, value in _leaves(model).items()}
    with file.open("wb") as f:
        np.savez(f, **arrays)
    return file


def load_params(model: nnx.Module, file: str | Path) -> nnx.Module:
    """Fill ``model`` (built by ``build_model`` from the same config) with the
    variables of ``file`` (``save_params``); returns it in evaluation mode.

    Raises:
      ValueError: the file and the model do not hold the same variables and shapes.
    """
    state = nnx.state(model, nnx.Not(nnx.RngState))
    pure = nnx.to_pure_dict(state)
    with np.load(file) as saved:
        expected = _leaves(model)
        if set(saved.files) != set(expected):
            missing = sorted(set(expected) - set(saved.files))[:3]
            extra = sorted(set(saved.files) - set(expected))[:3]
            raise ValueError(f"{file} does not match the model: missing {missing}, extra {extra}")
        for key, value in expected.items():
            array = saved[key]
            if array.shape != np.shape(value):
                raise ValueError(f"{file}: {key} has shape {array.shape}, not {np.shape(value)}")
            node = pure
            *parents, last = key.split("/")
            for part in parents:
                node = node[part] if part in node else node[int(part)]
            node[last if last in node else int(last)] = jnp.asarray(array, np.asarray(value).dtype)
    nnx.replace_by_pure_dict(state, pure)
    nnx.update(model, state)
    model.eval()
    return model


def float64_model(model: nnx.Module) -> nnx.Module:
    """A float64 copy of an NNX ``model`` (call it with x64 enabled): floating
    variables cast, and the modules' ``param_dtype`` / ``dtype`` set to float64."""
    graphdef, state = nnx.split(model)
    state = jax.tree.map(
        lambda a: a.astype(jnp.float64) if jnp.issubdtype(a.dtype, jnp.floating) else a, state
    )
    copy = nnx.merge(graphdef, state)
    for _, module in nnx.iter_graph(copy):
        if isinstance(module, nnx.Module):
            for attr in ("param_dtype", "dtype"):
                value = getattr(module, attr, None)
                if value is not None and jnp.issubdtype(value, jnp.floating):
                    setattr(module, attr, jnp.float64)
    return copy


class BoundedPrediction(NamedTuple):
    """What a probabilistic converter (``munsell_jax.nn.probabilistic``) returns.

    Attributes:
      specification: ``[..., 4]`` its answer, as any xyY -> Munsell converter's.
      delta_e_bound: ``[...]`` its bound on the answer's round-trip CIEDE2000
        (``munsell_to_xyY(specification)`` against the input): about 90% of
        colours fall within it (the figure is in the model's ``metrics.json``).
    """

    specification: Any
    delta_e_bound: Any


def bounded(config: Mapping[str, Any]) -> bool:
    """Whether a model of ``config`` gives a Delta-E bound (``BoundedPrediction``)."""
    return config["direction"] == "from_xyY" and output_encoding(config).name == "probabilistic"


class Converter(nnx.Module):
    """A learned converter on raw values, normalisation inside.

    ``from_xyY``: ``xyY [..., 3]`` -> ``specification [..., 4]`` (``[hue, value,
    chroma, code]``, greys ``[0, V, 0, 0]``), projected into the renotation
    data (``project_to_renotation``) so that every answer exists; ``to_xyY``:
    the reverse. It is a
    Flax NNX module: jit it, differentiate through it, compose it with a model.
    The function its ONNX graph computes; the outputs have the inputs' float dtype.
    """

    def __init__(self, network: nnx.Module, config: Mapping[str, Any]):
        self.network = network
        self.direction = str(config["direction"])
        self.encoding = output_encoding(config)
        self.inputs = input_layout(config)

    def __call__(self, x: jax.Array) -> jax.Array:
        return self.bounded(x).specification if self.has_bound else self._run(x)[0]

    @property
    def has_bound(self) -> bool:
        """Whether the network has a Delta-E bound head (``bounded``)."""
        return self.encoding.name == "probabilistic"

    def bounded(self, x: jax.Array) -> BoundedPrediction:
        """A probabilistic converter's answer and Delta-E bound (what its ONNX
        graph computes): ``BoundedPrediction([..., 4], [...])``."""
        if not self.has_bound:
            raise ValueError(f"a {self.encoding.name!r} model has no Delta-E bound")
        out, bound = self._run(x)
        return BoundedPrediction(out, bound)

    def _run(self, x: jax.Array) -> tuple[jax.Array, jax.Array | None]:
        x = jnp.asarray(x)
        if x.ndim != 2:  # the networks take [B, F]
            flat, bound = self._run(x.reshape(-1, x.shape[-1]))
            bound = None if bound is None else bound.reshape(x.shape[:-1])
            return flat.reshape(*x.shape[:-1], flat.shape[-1]), bound
        bound = None
        if self.direction == "from_xyY":
            raw = self.network(xyY_inputs(x, inputs=self.inputs))
            out = project_to_renotation(decode(self.encoding, raw))  # every answer exists
            if self.has_bound:
                from munsell_jax.nn.probabilistic import head

                bound = head(raw).delta_e_bound
        else:
            out = self.network(specification_inputs(x, inputs=self.inputs))
        # A NaN or inf input is a NaN row, the same in XLA and onnxruntime (whose
        # Max/Min/Relu may turn NaN into a number), never a made-up answer.
        finite = jnp.all(jnp.isfinite(x), axis=-1)
        out = jnp.where(finite[:, None], out, jnp.nan)
        # float32 in, float32 out, even where a network's constants are float64 under x64.
        dtype = x.dtype if jnp.issubdtype(x.dtype, jnp.floating) else out.dtype
        if bound is not None:
            bound = jnp.where(finite, bound, jnp.nan).astype(dtype)
        return out.astype(dtype), bound


def load_converter(name: str | Path) -> Converter:
    """The shipped model ``name`` (or a model folder) as a ``Converter`` module,
    float32, in evaluation mode."""
    folder = model_folder(name)
    if str(name) == ENGINE:
        raise ValueError(f"{ENGINE} is the exact engine: use munsell_jax.munsell_to_xyY")
    config = _read_config(folder)
    network = load_params(build_model(config), folder / PARAMS)
    return Converter(network, config)


def approximator(name: str | Path) -> Converter:
    """A shipped differentiable Munsell -> xyY approximator as an NNX module.

    ``f(spec [..., 4]) -> xyY [..., 3]`` (raw units, float32), differentiable
    and jit-able: the forward of ``munsell_delta_e_loss(..., forward=f)`` when
    the exact engine is not wanted. ``"to_xyY/lattice_mlp_exact"`` is the most
    accurate, ``"to_xyY/approximator"`` the smallest; ``name`` may also be a
    model folder.
    """
    converter = load_converter(name)
    if converter.direction != "to_xyY":
        raise ValueError(f"{name} is a {converter.direction} model, not Munsell -> xyY")
    return converter


def engine_predict(dtype) -> Callable[[jax.Array], jax.Array]:
    """The exact engine as a float32-out function computing in ``dtype``: what
    ``load_model(ENGINE)`` runs and what its ONNX graph is traced from."""
    from munsell_jax.renotation import munsell_to_xyY

    def predict(specification):
        return munsell_to_xyY(specification.astype(dtype)).astype(jnp.float32)

    return predict


def inverse_predict(xyY: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """What the exact inverse's graph (``INVERSE``) computes, in JAX: float32
    ``xyY [N, 3]`` -> float32 ``(specification [N, 4], residual [N])``, from
    ``xyY_to_munsell`` (the cell walk) on the float32 input, in float64."""
    from munsell_jax.inverse import xyY_to_munsell

    xyY = np.asarray(xyY, np.float32)
    with jax.enable_x64(True):
        result = xyY_to_munsell(jnp.asarray(xyY, jnp.float64))
        return (
            np.asarray(result.specification, np.float32),
            np.asarray(result.residual, np.float32),
        )


def _onnx_session(file: Path):
    try:
        import onnxruntime as ort
    except ImportError as error:
        raise ImportError(
            "the ONNX backend needs onnxruntime: pip install 'munsell_jax[onnx]'"
        ) from error
    return ort.InferenceSession(str(file), providers=["CPUExecutionProvider"])


@functools.cache
def _load_cached(name: str, backend: str, x64: bool) -> Callable[[np.ndarray], np.ndarray]:
    return _load(name, backend=backend, x64=x64)


def _load(
    name: str | Path, *, backend: str, x64: bool, onnx_file: str | Path | None = None
) -> Callable[[np.ndarray], np.ndarray]:
    folder = model_folder(name)
    if backend == "onnx":
        session = _onnx_session(Path(onnx_file) if onnx_file is not None else folder / "model.onnx")
        input_name = session.get_inputs()[0].name

        two = len(session.get_outputs()) == 2 and session.get_outputs()[1].name == "delta_e_bound"

        def run_onnx(inputs):
            outputs = session.run(None, {input_name: np.asarray(inputs, np.float32)})
            return BoundedPrediction(*outputs[:2]) if two else outputs[0]

        return run_onnx
    if backend != "jax":
        raise ValueError(f"backend must be 'jax' or 'onnx', not {backend!r}")
    if str(name) == ENGINE:
        engine = jax.jit(engine_predict(jnp.float64 if x64 else jnp.float32))
        return lambda inputs: np.asarray(engine(jnp.asarray(_checked(inputs, 4, dtype=None))))
    if str(name) == INVERSE:
        return lambda inputs: inverse_predict(_checked(inputs, 3, dtype=None))[0]
    if not (folder / PARAMS).exists():
        raise FileNotFoundError(
            f"no {PARAMS} in {folder}: for a training run, use munsell_jax.lab.train.load_run"
        )
    config = _read_config(folder)
    return predictor(load_params(build_model(config), folder / PARAMS), config)


def predictor(network: nnx.Module, config: Mapping[str, Any]) -> Callable[[np.ndarray], Any]:
    """A jitted numpy-in, numpy-out predictor of a trained ``network`` and its
    ``config``: the ``Converter``, float32 in and out (a probabilistic model's
    gives a ``BoundedPrediction`` of numpy arrays). With
    ``config["inference_precision"] == "float64"`` the network computes in
    float64 between them (as its float64 ONNX graph does), whether or not x64
    is enabled globally.

    Raises (when called):
      ValueError: the inputs' last axis is not 3 (from_xyY) or 4 (to_xyY).
    """
    converter = Converter(network, config)
    width = 3 if converter.direction == "from_xyY" else 4
    precision = config.get("inference_precision") or "float32"
    with_bound = bounded(config)

    def call(module, x):
        return module.bounded(x) if with_bound else module(x)

    def numpy(out):
        return BoundedPrediction(*map(np.asarray, out)) if with_bound else np.asarray(out)

    if precision == "float32":
        # Split once: nnx.jit would walk the module's graph on every call (about
        # 0.7 ms, most of a batch-1 call).
        graphdef, state = nnx.split(converter)
        predict = jax.jit(lambda state, x: call(nnx.merge(graphdef, state), x))

        def run(inputs):
            return numpy(predict(state, _checked(inputs, width)))

        return run
    if precision != "float64":
        raise ValueError(f"inference_precision must be 'float32' or 'float64', not {precision!r}")
    with jax.enable_x64(True):
        graphdef, state = nnx.split(float64_model(converter))

        @jax.jit
        def predict64(x):
            out = call(nnx.merge(graphdef, state), x.astype(jnp.float64))
            return jax.tree.map(lambda a: a.astype(jnp.float32), out)

    def run64(inputs):
        with jax.enable_x64(True):  # traced and called with x64, or float64 is float32
            return numpy(predict64(jnp.asarray(_checked(inputs, width))))

    return run64


def _checked(inputs, width: int, dtype=np.float32) -> np.ndarray:
    """``inputs`` as an array (of ``dtype``; None keeps theirs) whose last axis is ``width``."""
    array = np.asarray(inputs, dtype)
    if array.ndim < 1 or array.shape[-1] != width:
        raise ValueError(f"expected inputs of shape [..., {width}], got {array.shape}")
    return array


def load_model(
    name: str | Path, *, backend: str = "jax", onnx_file: str | Path | None = None
) -> Callable[[np.ndarray], np.ndarray]:
    """A shipped model (see ``shipped_models()``) or a model folder as a callable.

    Args:
      name: ``"<direction>/<name>"`` of a shipped model, or a folder with
        ``config.json`` and ``params.npz`` (and ``model.onnx`` for ONNX);
        ``"to_xyY/exact"`` is the exact engine (JAX: float64 when x64 is
        enabled).
      backend: ``"jax"`` (jitted Flax network) or ``"onnx"`` (``model.onnx`` in
        onnxruntime: ``pip install 'munsell_jax[onnx]'``).
      onnx_file: with ``backend="onnx"``, this file instead of the folder's
        ``model.onnx``.

    Returns:
      ``predict(inputs) -> outputs``, numpy in and out, float32: ``[N, 3]`` xyY
      -> ``[N, 4]`` specifications (from_xyY), or the reverse (to_xyY); a
      probabilistic model (``"from_xyY/probabilistic"``) returns a
      ``BoundedPrediction(specification [N, 4], delta_e_bound [N])``. Loaded
      once per process for a shipped name.
    """
    x64 = bool(jax.config.jax_enable_x64)
    if onnx_file is None and str(name) in SHIPPED:
        return _load_cached(str(name), backend, x64)
    return _load(name, backend=backend, x64=x64, onnx_file=onnx_file)
