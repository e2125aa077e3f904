"""ONNX export of trained models (jax2onnx), and parity with JAX.

``export(path)`` rebuilds a run's (or shipped model's) network, wraps it in
the pure raw-in, raw-out ``munsell_jax.hub.Converter`` (normalisation, and for
code-logit models argmax + 1, inside the graph), and writes ``model.onnx``:

- from_xyY: input ``xyY`` ``[B, 3]`` float32 -> output ``specification``
  ``[B, 4]`` (``[hue, value, chroma, code]``, greys ``[0, V, 0, 0]``);
- to_xyY: input ``specification`` ``[B, 4]`` -> output ``xyY`` ``[B, 3]``;
- a dynamic batch dimension ``B``; LayerNorm kept as one ONNX op; two-stage
  models (base + error predictor) are one graph;
- the conventions, direction, architecture, git commit and internal precision
  in the model's metadata (``onnx.ModelProto.metadata_props``).

``precision="float64"`` keeps the float32 inputs and outputs but computes inside
the graph in float64 (float64 weights, a Cast after the input and before the
output). A model's ``config.inference_precision`` says which precision it
ships in, and the JAX backend (``munsell_jax.load_model``) computes in the same
one. A float32 graph differs from XLA by about 1e-6 in the raw network outputs
(summation order), which a Cartesian model's hue (the angle of two outputs that
shrink with the chroma) magnifies by 1/chroma near grey; those models ship in
float64 (``benchmarks/bench_onnx_precision.py``).

``export_engine()`` writes the exact Munsell -> xyY engine itself
(``munsell_jax.renotation.munsell_to_xyY``: renotation tables as constants,
gathers and interpolation, float64 inside) to the package's
``models/to_xyY/exact/model.onnx``, so non-JAX users get exact conversion too;
specifications outside the renotation data give NaN rows, as in JAX.

``parity(name)`` compares a model's graph in onnxruntime with its JAX backend.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

from munsell_jax.hub import (
    ENGINE,
    MODELS,
    Converter,
    engine_predict,
    float64_model,
    load_model,
    model_folder,
    predictor,
)

__all__ = [
    "CONVENTIONS",
    "ENGINE",
    "engine_parity",
    "export",
    "export_engine",
    "float64_predict_function",
    "parity",
    "predict_function",
    "sample_inputs",
]

CONVENTIONS = (
    "specification = [hue, value, chroma, code]: hue in (0, 10], value in [0, 10], chroma >= 0, "
    "code 1=B 2=BG 3=G 4=GY 5=Y 6=YR 7=R 8=RP 9=P 10=PB; greys [0, V, 0, 0]. "
    "xyY under illuminant C (CIE 1931 2 degree), Y in [0, 1]. float32."
)
OUTPUT_RANGE = {"from_xyY": np.array([10.0, 10.0, 50.0, 10.0]), "to_xyY": np.ones(3)}


def predict_function(model, config) -> Callable[[jax.Array], jax.Array]:
    """A pure raw-in, raw-out function of a trained network (in evaluation
    mode): ``munsell_jax.hub.Converter``, the function its graph computes."""
    return Converter(model, config)


def float64_predict_function(model, config) -> Callable[[jax.Array], jax.Array]:
    """``predict_function`` of a float64 copy of ``model``, float32 in and out
    (call, and trace, with x64 enabled): what a float64 graph computes."""
    inner = float64_model(Converter(model, config))
    return lambda inputs: inner(inputs.astype(jnp.float64)).astype(jnp.float32)


def _names(direction: str) -> tuple[str, str]:
    return ("xyY", "specification") if direction == "from_xyY" else ("specification", "xyY")


def _float32_input(proto) -> None:
    """Make a double-precision graph's input float32, with a Cast to double after it."""
    import onnx

    (value,) = proto.graph.input
    tensor = value.type.tensor_type
    if tensor.elem_type == onnx.TensorProto.FLOAT:
        return
    if tensor.elem_type != onnx.TensorProto.DOUBLE:
        raise ValueError(f"unexpected input type {tensor.elem_type} in a float64 export")
    tensor.elem_type = onnx.TensorProto.FLOAT
    inner = value.name + "_float64"
    for node in proto.graph.node:
        for i, name in enumerate(node.input):
            if name == value.name:
                node.input[i] = inner
    cast = onnx.helper.make_node(
        "Cast", [value.name], [inner], name="input_to_float64", to=onnx.TensorProto.DOUBLE
    )
    proto.graph.node.insert(0, cast)


def _elem_types(proto) -> dict[str, int]:
    """Element type of every named value of ``proto`` (inputs, initializers,
    constants and shape-inferred intermediates)."""
    import onnx

    inferred = onnx.shape_inference.infer_shapes(proto)
    types = {t.name: t.data_type for t in proto.graph.initializer}
    for value in (*inferred.graph.value_info, *inferred.graph.input, *inferred.graph.output):
        types[value.name] = value.type.tensor_type.elem_type
    for node in proto.graph.node:
        if node.op_type == "Constant" and node.attribute and node.attribute[0].name == "value":
            types[node.output[0]] = node.attribute[0].t.data_type
    return types


def _compute_in(proto, op_type: str, inputs: tuple[int, ...], elem_type: int, as_type: int) -> None:
    """Run every ``op_type`` node whose data ``inputs`` are ``elem_type`` on Casts
    of them to ``as_type``, and Cast its output back: for ops onnxruntime's CPU
    provider has no kernel of that type for (exact for the values they carry)."""
    import onnx

    types = _elem_types(proto)
    nodes = []
    for node in proto.graph.node:
        if node.op_type == op_type and types.get(node.input[inputs[0]]) == elem_type:
            casts = []
            for i in inputs:
                source, node.input[i] = node.input[i], f"{node.input[i]}_as_{as_type}_{node.name}"
                casts.append(onnx.helper.make_node("Cast", [source], [node.input[i]], to=as_type))
            output = node.output[0]
            node.output[0] = f"{output}_as_{as_type}"
            back = onnx.helper.make_node("Cast", [node.output[0]], [output], to=elem_type)
            nodes += [*casts, node, back]
        else:
            nodes.append(node)
    del proto.graph.node[:]
    proto.graph.node.extend(nodes)


def _onehot_in_float(proto) -> None:
    """onnxruntime's CPU OneHot has no double output: compute each double OneHot
    in float32 (0s and 1s, exact) and Cast the result to double."""
    import onnx

    _compute_in(proto, "OneHot", (2,), onnx.TensorProto.DOUBLE, onnx.TensorProto.FLOAT)


def _bool_where_in_int(proto) -> None:
    """onnxruntime's CPU Where has no bool kernel: select on int32 0s and 1s."""
    import onnx

    _compute_in(proto, "Where", (1, 2), onnx.TensorProto.BOOL, onnx.TensorProto.INT32)


def export(
    path: str | Path, *, out: str | Path | None = None, precision: str | None = None
) -> Path:
    """Export the model in ``path`` (a run, a model folder or a shipped name) to
    ``out`` (default ``path/model.onnx``); returns the file.

    ``precision`` is the graph's internal arithmetic: ``"float32"``, or
    ``"float64"`` (float64 weights and arithmetic between a Cast of the float32
    input and a Cast of the output back to float32; the inputs and outputs stay
    float32 either way). It is recorded in the metadata as ``precision``. The
    default is the run's ``config.inference_precision`` (float32 unless set);
    an explicit precision for the folder's own ``model.onnx`` is written to its
    ``config.json`` too, so the JAX backend computes as the graph does."""
    import json

    from jax2onnx import to_onnx

    from munsell_jax.lab.train import load_run

    if precision not in (None, "float32", "float64"):
        raise ValueError(f"precision must be 'float32' or 'float64', not {precision!r}")
    path = model_folder(path)
    model, config = load_run(path)
    if precision is None:
        precision = config.get("inference_precision", "float32")
    elif out is None and precision != config.get("inference_precision", "float32"):
        saved = json.loads((path / "config.json").read_text())
        saved["inference_precision"] = precision
        (path / "config.json").write_text(json.dumps(saved, indent=2) + "\n")
    input_name, output_name = _names(config.direction)
    width = 3 if config.direction == "from_xyY" else 4
    options = dict(
        model_name=f"munsell_jax_{config.direction}",
        input_names=[input_name],
        output_names=[output_name],
        normalization_mode="prefer_native",
    )
    if precision == "float64":
        with jax.enable_x64(True):
            predict = float64_predict_function(model, config)
            # jax2onnx makes the graph input double; _float32_input restores float32.
            proto = to_onnx(predict, [("B", width)], enable_double_precision=True, **options)
        _float32_input(proto)
        _onehot_in_float(proto)
    else:
        with warnings.catch_warnings():
            # jax2onnx traces in float32 and says so once per float64 constant.
            warnings.filterwarnings("ignore", message="Explicitly requested dtype float64")
            proto = to_onnx(predict_function(model, config), [("B", width)], **options)
    metadata = {
        "direction": config.direction,
        "architecture": str(config.get("architecture", config.model.name)),
        "encoding": str(config.get("encoding", "regression")),
        "conventions": CONVENTIONS,
        "precision": precision,
    }
    return _save(proto, metadata, Path(out) if out is not None else path / "model.onnx")


def _save(proto, metadata: dict[str, str], out: Path) -> Path:
    """Check an exported graph (float32 I/O, ``onnx.checker``, and for a float64
    graph an onnxruntime session, so an op with no double kernel fails here, not
    at load), record ``metadata`` with the git commit, and write it to ``out``."""
    import onnx

    from munsell_jax.lab.provenance import git_commit

    for io in (*proto.graph.input, *proto.graph.output):
        if io.type.tensor_type.elem_type != onnx.TensorProto.FLOAT:
            raise AssertionError(f"{io.name} is not float32 in the {metadata['precision']} export")
    onnx.helper.set_model_props(
        proto,
        {**metadata, "git_commit": str(git_commit()), "producer": "munsell_jax (jax2onnx)"},
    )
    onnx.checker.check_model(proto)
    if metadata["precision"] == "float64":
        import onnxruntime as ort

        ort.InferenceSession(proto.SerializeToString(), providers=["CPUExecutionProvider"])
    out.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(proto, out)
    return out


def export_engine(out: str | Path | None = None) -> Path:
    """Export the exact Munsell -> xyY engine to ONNX; returns the file.

    The graph is ``munsell_jax.renotation.munsell_to_xyY`` traced by jax2onnx in
    float64: the renotation tables are constants, the lookups gathers, the
    hue, chroma and value interpolations as colour-science does them. Input
    ``specification`` ``[B, 4]`` float32 (``[hue, value, chroma, code]``, greys
    with chroma 0), output ``xyY`` ``[B, 3]`` float32, within float32 rounding
    (about 5e-8) of the engine in float64; rows outside the renotation data
    (see ``renotation_valid``) are NaN. ``out`` defaults to the package's
    ``munsell_jax/models/to_xyY/exact/model.onnx``.
    """
    import logging

    from jax2onnx import to_onnx

    options = dict(
        model_name="munsell_jax_exact_to_xyY",
        input_names=["specification"],
        output_names=["xyY"],
    )
    serde = logging.getLogger("onnx_ir.serde")  # unknown-type notes on shape-only values
    level = serde.level
    serde.setLevel(logging.ERROR)
    try:
        with jax.enable_x64(True):
            proto = to_onnx(
                engine_predict(jnp.float64), [("B", 4)], enable_double_precision=True, **options
            )
    finally:
        serde.setLevel(level)
    _float32_input(proto)
    _bool_where_in_int(proto)
    metadata = {
        "direction": "to_xyY",
        "architecture": "exact renotation interpolation (munsell_jax munsell_to_xyY)",
        "conventions": CONVENTIONS + " Rows outside the renotation data are NaN.",
        "precision": "float64",
    }
    return _save(
        proto,
        metadata,
        Path(out) if out is not None else MODELS / ENGINE / "model.onnx",
    )


def engine_parity(onnx_file: str | Path | None = None, *, n: int = 10_000) -> dict:
    """The exported engine in onnxruntime vs the engine in JAX (float64) on ``n``
    specifications spanning the domain (about a third outside the data) and
    the REAL colours: the largest xyY difference where both answer, the rows
    where only one answers (NaN in the other: should be 0), and the batch
    sizes (1, 7, 2,734) the file accepts."""
    from munsell_jax.lab.evaluate import evaluation_sets
    from munsell_jax.renotation import munsell_to_xyY

    onnx_predict = load_model(ENGINE, backend="onnx", onnx_file=onnx_file)
    with jax.enable_x64(True):
        real = np.asarray(evaluation_sets()["real"].specification, np.float32)
        inputs = np.concatenate([sample_inputs("to_xyY", n), real])
        a = np.asarray(jax.jit(munsell_to_xyY)(jnp.asarray(inputs, jnp.float64)))
    b = onnx_predict(inputs)
    nan_a, nan_b = np.isnan(a).any(-1), np.isnan(b).any(-1)
    both = ~nan_a & ~nan_b
    return {
        "n": len(inputs),
        "n_nan": int(nan_a.sum()),
        "nan_mismatches": int(np.sum(nan_a != nan_b)),
        "max_abs_diff": float(np.max(np.abs(a[both] - b[both]))),
        "batches_accepted": [
            batch for batch in (1, 7, 2_734) if onnx_predict(inputs[:batch]).shape == (batch, 3)
        ],
    }


def sample_inputs(direction: str, n: int = 10_000, seed: int = 0) -> np.ndarray:
    """Raw float32 inputs for parity checks: ``n`` spanning the domain, then the
    hard places. xyY -> Munsell: ``n // 2`` colours within 1e-7 to 1e-2 of the
    white point in xy (where a hue is the angle of a short vector), the REAL
    colours, and ``n // 4`` at the ends of Y (below value 1, at 1). Munsell ->
    xyY: ``n // 4`` each of greys, hues on a renotation step, values on an
    integer and chromas at the data's maximum, and the REAL specifications."""
    from colour.notation.datasets.munsell import MUNSELL_COLOURS_REAL

    from munsell_jax.colorimetry import ILLUMINANT_C_xy
    from munsell_jax.lab.data import nominal_specifications
    from munsell_jax.renotation import maximum_chroma

    rng = np.random.default_rng(seed)
    if direction == "from_xyY":
        xyY = np.stack(
            [rng.uniform(0.05, 0.65, n), rng.uniform(0.05, 0.65, n), rng.uniform(0, 1, n)], -1
        )
        m = n // 2
        radius, angle = 10 ** rng.uniform(-7, -2, m), rng.uniform(0, 2 * np.pi, m)
        near_grey = np.stack(
            [
                ILLUMINANT_C_xy[0] + radius * np.cos(angle),
                ILLUMINANT_C_xy[1] + radius * np.sin(angle),
                rng.uniform(0.005, 1, m),
            ],
            -1,
        )
        real = np.array([xyY for _, xyY in MUNSELL_COLOURS_REAL]) / [1, 1, 100]
        ends = np.stack(
            [
                rng.uniform(0.2, 0.45, n // 4),
                rng.uniform(0.2, 0.45, n // 4),
                rng.choice([1e-4, 0.005, 0.0118, 0.99, 1.0], n // 4),
            ],
            -1,
        )
        return np.concatenate([xyY, near_grey, real, ends]).astype(np.float32)
    spec = np.stack(
        [
            rng.uniform(0.01, 10, n),
            rng.uniform(1, 9.9, n),
            rng.uniform(0, 30, n),
            rng.integers(1, 11, n),
        ],
        -1,
    )
    k = n // 4
    greys, steps, integers, edge = (spec[i * k : (i + 1) * k].copy() for i in range(4))
    greys[:, [0, 2, 3]] = 0.0
    steps[:, 0] = 2.5 * rng.integers(1, 5, k) + rng.choice([0, 1e-4, -1e-4], k)
    integers[:, 1] = rng.integers(1, 10, k) + rng.choice([0, 1e-4, -1e-4], k)
    edge[:, 2] = np.asarray(maximum_chroma(edge[:, [0, 1, 3]]))
    real = np.array(nominal_specifications(MUNSELL_COLOURS_REAL))
    return np.concatenate([spec, greys, steps, integers, edge, real]).astype(np.float32)


def parity(path: str | Path, *, n: int = 10_000, onnx_file: str | Path | None = None) -> dict:
    """onnxruntime vs JAX on ``n`` inputs spanning the domain, and batch sizes 1,
    7 and 2,734: the largest difference divided by each output's range (hue 10,
    value 10, chroma 50, xyY 1) and (xyY -> Munsell) the number of differing
    hue codes. ``onnx_file`` checks that file instead of the folder's
    ``model.onnx``. For the exact engine (``ENGINE``), ``engine_parity``'s report
    with its difference as ``max_abs_diff_over_range`` (xyY's range is 1)."""
    import json

    if str(path) == ENGINE:
        report = engine_parity(onnx_file, n=n)
        return {"max_abs_diff_over_range": report["max_abs_diff"], **report}
    from munsell_jax.lab.train import load_run

    path = model_folder(path)
    direction = json.loads((path / "config.json").read_text())["direction"]
    jax_predict = predictor(*load_run(path))
    onnx_predict = load_model(path, backend="onnx", onnx_file=onnx_file)
    inputs = sample_inputs(direction, n)
    a, b = jax_predict(inputs), onnx_predict(inputs)
    report = {
        "n": len(inputs),
        "max_abs_diff_over_range": float(np.max(np.abs(a - b) / OUTPUT_RANGE[direction])),
        "batches_accepted": [],
    }
    if direction == "from_xyY":
        report["code_mismatches"] = int(np.sum(a[:, 3] != b[:, 3]))
    for batch in (1, 7, 2_734):
        out = onnx_predict(inputs[:batch])
        if out.shape == (batch, a.shape[1]):
            report["batches_accepted"].append(batch)
    return report
