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

``export_inverse()`` writes the exact xyY -> Munsell inverse as one graph
(``INVERSE``, ``models/from_xyY/exact/model.onnx``): ``xyY_to_munsell``'s
cell walk, float64 inside, the second chances on the rows that need them
only; outputs ``specification`` and ``residual``.

``parity(name)`` compares a model's graph in onnxruntime with its JAX backend.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from munsell_jax.hub import (
    ENGINE,
    INVERSE,
    MODELS,
    BoundedPrediction,
    Converter,
    bounded,
    engine_predict,
    float64_model,
    inverse_predict,
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
    "export_inverse",
    "inverse_parity",
    "write_inverse_metrics",
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


def _call(converter: Converter) -> Callable:
    # A probabilistic model's graph has two outputs: the answer and its bound.
    return (lambda x: tuple(converter.bounded(x))) if converter.has_bound else converter


def predict_function(model, config) -> Callable[[jax.Array], Any]:
    """A pure raw-in, raw-out function of a trained network (in evaluation
    mode): ``munsell_jax.hub.Converter``, the function its graph computes (for
    a probabilistic model, ``(specification, delta_e_bound)``)."""
    return _call(Converter(model, config))


def float64_predict_function(model, config) -> Callable[[jax.Array], Any]:
    """``predict_function`` of a float64 copy of ``model``, float32 in and out
    (call, and trace, with x64 enabled): what a float64 graph computes."""
    inner = _call(float64_model(Converter(model, config)))
    return lambda inputs: jax.tree.map(
        lambda a: a.astype(jnp.float32), inner(inputs.astype(jnp.float64))
    )


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
        output_names=[output_name, "delta_e_bound"] if bounded(config) else [output_name],
        normalization_mode="prefer_native",
    )
    if precision == "float64":
        with jax.enable_x64(True):
            predict = float64_predict_function(model, config)
            # jax2onnx makes the graph input double; _float32_input restores float32.
            if bounded(config):
                # Through the jaxpr: jax2onnx's own luminance_to_value (in the
                # polar inputs) mixes int32 and int64.
                (rows,) = jax.export.symbolic_shape("B")
                proto = _primitive_graph(
                    predict,
                    [jax.ShapeDtypeStruct((rows, width), jnp.float64)],
                    options["input_names"],
                    options["output_names"],
                    options["model_name"],
                )
                _drop_unused_initializers(proto)
                _float32_storage(proto)
            else:
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


def _float32_storage(proto, min_size: int = 256) -> None:
    """Store each float64 constant whose values are all float32 numbers (the
    trained weights, cast up) as float32, with a Cast to double in the graph:
    half the file, the same float64 values (onnxruntime folds the Cast at load)."""
    import onnx
    from onnx import numpy_helper

    kept, casts = [], []
    for tensor in proto.graph.initializer:
        if tensor.data_type == onnx.TensorProto.DOUBLE:
            array = numpy_helper.to_array(tensor)
            single = array.astype(np.float32)
            if array.size >= min_size and np.array_equal(single.astype(np.float64), array):
                stored = numpy_helper.from_array(single, tensor.name + "_float32")
                kept.append(stored)
                casts.append(
                    onnx.helper.make_node(
                        "Cast", [stored.name], [tensor.name], to=onnx.TensorProto.DOUBLE
                    )
                )
                continue
        kept.append(tensor)
    del proto.graph.initializer[:]
    proto.graph.initializer.extend(kept)
    for cast in reversed(casts):
        proto.graph.node.insert(0, cast)


def _drop_unused_initializers(proto) -> None:
    """Remove the constants no node reads (a replayed jaxpr leaves some behind)."""
    used = {name for node in proto.graph.node for name in node.input}
    used |= {output.name for output in proto.graph.output}
    kept = [tensor for tensor in proto.graph.initializer if tensor.name in used]
    del proto.graph.initializer[:]
    proto.graph.initializer.extend(kept)


def _dedupe_initializers(proto) -> None:
    """Keep one copy of each constant tensor: the traced solver repeats the
    renotation tables in every forward evaluation it makes."""
    seen: dict[tuple, str] = {}
    rename: dict[str, str] = {}
    kept = []
    for tensor in proto.graph.initializer:
        key = (tensor.data_type, tuple(tensor.dims), tensor.raw_data)
        if tensor.raw_data and key in seen:
            rename[tensor.name] = seen[key]
        else:
            seen.setdefault(key, tensor.name)
            kept.append(tensor)
    del proto.graph.initializer[:]
    proto.graph.initializer.extend(kept)
    for node in proto.graph.node:
        for i, name in enumerate(node.input):
            if name in rename:
                node.input[i] = rename[name]


def _primitive_graph(function, specs, input_names, output_names, name: str):
    """``function`` as an ONNX graph (float64), through its jaxpr: jax2onnx
    sees only primitives (its own versions of some jax.numpy functions differ)."""
    import logging

    from jax2onnx import to_onnx

    closed = jax.make_jaxpr(function)(*specs)

    def replay(*args):
        return tuple(jax.core.eval_jaxpr(closed.jaxpr, closed.consts, *args))

    serde = logging.getLogger("onnx_ir.serde")  # unknown-type notes on shape-only values
    level = serde.level
    serde.setLevel(logging.ERROR)
    try:
        return to_onnx(
            replay,
            list(specs),
            enable_double_precision=True,
            model_name=name,
            input_names=input_names,
            output_names=output_names,
        )
    finally:
        serde.setLevel(level)


def export_inverse(out: str | Path | None = None) -> Path:
    """Export the exact xyY -> Munsell inverse to ONNX as one graph; returns the file.

    The graph computes ``xyY_to_munsell`` (its default, the cell walk) in
    float64, as its three row-wise stages (``inverse.CELL_WALK_STAGES``):
    the walk's first cells for every row; the second chances for the rows
    it leaves outside their cell or beyond the data only (``NonZero``, then
    ``Gather`` and ``ScatterND``: a batch pays for them in proportion to
    those rows, as JAX's ``while_loop`` does); the answer and its residual
    through the exact forward. Every row gets ``xyY_to_munsell``'s answer.
    Input ``xyY`` ``[B, 3]`` float32; outputs ``specification`` ``[B, 4]``,
    ``residual`` ``[B]`` (xy distance of the answer's exact forward to the
    input) and ``ok`` ``[B]`` (1.0 where ``xyY_to_munsell``'s ``ok``, else
    0.0), float32. ``out`` defaults to the package's
    ``munsell_jax/models/from_xyY/exact/model.onnx``. About a minute.
    """
    from munsell_jax.inverse import CELL_WALK_STAGES as stages

    with jax.enable_x64(True):
        (rows,), (pending,) = jax.export.symbolic_shape("B"), jax.export.symbolic_shape("P")
        f64, i32 = jnp.float64, jnp.int32
        spec = jax.ShapeDtypeStruct
        first = _primitive_graph(
            stages.first,
            [spec((rows, 3), f64)],
            ["xyY"],
            ["step", "k", "u", "w", "pending"],
            "first",
        )
        second = _primitive_graph(
            stages.second,
            [spec((pending, 3), f64), spec((pending,), i32), spec((pending,), i32)],
            ["xyY", "step_in", "k_in"],
            ["step", "k", "u", "w"],
            "second",
        )
        answer = _primitive_graph(
            stages.answer,
            [spec((rows, 3), f64), spec((rows,), i32), spec((rows,), i32)]
            + [spec((rows,), f64)] * 2,
            ["xyY", "step", "k", "u", "w"],
            ["specification", "residual", "ok"],
            "answer",
        )
    for graph in (first, second, answer):
        _drop_broadcasts(graph)
    proto = _chain_stages(first, second, answer)
    _bool_where_in_int(proto)
    _dedupe_initializers(proto)
    metadata = {
        "direction": "from_xyY",
        "architecture": (
            "exact inverse: munsell_jax xyY_to_munsell's cell walk (closed-form inverse of "
            "colour's interpolation inside each renotation cell, walking to the cell it points "
            "to; second chances for the rows it leaves outside their cell)"
        ),
        "conventions": CONVENTIONS
        + " Outputs: specification [B, 4]; residual [B], the xy distance between the"
        " input and the exact forward of the specification; ok [B], 1 where the answer"
        " reproduces the input (exists, residual <= 1e-4 and |Y error| <= 1e-5), else 0"
        " (beyond the data, below value 1, Y outside [0, 1], NaN).",
        "precision": "float64",
    }
    return _save(proto, metadata, Path(out) if out is not None else MODELS / INVERSE / "model.onnx")


_BROADCASTING = {
    "Add", "And", "Div", "Equal", "Greater", "GreaterOrEqual", "Less", "LessOrEqual", "Max",
    "Min", "Mul", "Or", "Pow", "Sub", "Where", "Xor",
}  # fmt: skip


def _drop_broadcasts(proto) -> None:
    """Remove the ``Expand`` nodes a JAX broadcast becomes where ONNX's own
    broadcasting does the same: an ``Expand`` to its input's shape, and an
    ``Expand`` feeding an elementwise op another input of which already has
    the expanded shape (so the op's output keeps it). Then drop the nodes
    nothing reads. onnxruntime runs each node on its own, so these cost time
    that XLA's fusion hides. Needs the shapes jax2onnx records
    (``value_info``, symbolic batch dimensions by name)."""
    graph = proto.graph

    def shape(name):
        info = shapes.get(name)
        if info is None or not info.type.tensor_type.HasField("shape"):
            return None
        dims = [d.dim_param or (d.dim_value if d.HasField("dim_value") else None)
                for d in info.type.tensor_type.shape.dim]  # fmt: skip
        return None if None in dims or "" in dims else tuple(dims)

    shapes = {v.name: v for v in (*graph.value_info, *graph.input, *graph.output)}
    for tensor in graph.initializer:
        shapes[tensor.name] = _tensor_info(tensor)
    consumers: dict[str, list] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    outputs = {v.name for v in graph.output}
    for node in graph.node:
        if node.op_type != "Expand" or node.output[0] in outputs:
            continue
        source, expanded = node.input[0], node.output[0]
        wanted = shape(expanded)
        if wanted is None:
            continue
        for user in consumers.get(expanded, []):
            same = shape(source) == wanted
            others = [shape(name) for name in user.input if name != expanded]
            if same or (user.op_type in _BROADCASTING and wanted in others):
                for i, name in enumerate(user.input):
                    if name == expanded:
                        user.input[i] = source
                consumers.setdefault(source, []).append(user)
    _drop_dead_nodes(proto)


def _tensor_info(tensor):
    from onnx import helper

    return helper.make_tensor_value_info(tensor.name, tensor.data_type, list(tensor.dims))


def _drop_dead_nodes(proto) -> None:
    """Remove nodes none of whose outputs is read, until none is left."""
    graph = proto.graph
    while True:
        read = {name for node in graph.node for name in node.input}
        read |= {v.name for v in graph.output}
        live = [node for node in graph.node if any(name in read for name in node.output)]
        if len(live) == len(graph.node):
            return
        del graph.node[:]
        graph.node.extend(live)


def _chain_stages(first, second, answer):
    """One graph of the inverse's three stage graphs: ``xyY`` (float32) -> Cast
    -> first -> the pending rows (``NonZero``) -> Gather -> second ->
    ScatterND into the first stage's cells -> answer -> Casts to float32.
    ``axis_0`` (the constant 0) is also the index of the extra row and the
    slices' start and axis."""
    import onnx
    from onnx import TensorProto, helper

    first, second, answer = (
        onnx.compose.add_prefix(graph, f"{name}/")
        for graph, name in ((first, "first"), (second, "second"), (answer, "answer"))
    )
    rename = {"first/xyY": "xyY64", "answer/xyY": "xyY64"}

    def stage(graph):
        for node in graph.graph.node:
            for i, name in enumerate(node.input):
                node.input[i] = rename.get(name, name)
        return list(graph.graph.node)

    nodes = [helper.make_node("Cast", ["xyY"], ["xyY64"], to=TensorProto.DOUBLE), *stage(first)]
    nodes += [
        helper.make_node("NonZero", ["first/pending"], ["rows_1xP"]),
        helper.make_node("Squeeze", ["rows_1xP", "axis_0"], ["rows"]),
        helper.make_node("Unsqueeze", ["rows", "axis_1"], ["rows_Px1"]),
        helper.make_node("Shape", ["rows"], ["n_pending"]),
        # One more row (row 0, its answer dropped): the stage never sees an
        # empty batch, which some of onnxruntime's reshapes cannot take.
        helper.make_node("Concat", ["rows", "axis_0"], ["rows_plus_one"], axis=0),
        helper.make_node("Gather", ["xyY64", "rows_plus_one"], ["second/xyY"], axis=0),
        helper.make_node("Gather", ["first/step", "rows_plus_one"], ["second/step_in"], axis=0),
        helper.make_node("Gather", ["first/k", "rows_plus_one"], ["second/k_in"], axis=0),
        *stage(second),
    ]
    for name in ("step", "k", "u", "w"):
        nodes += [
            helper.make_node(
                "Slice", [f"second/{name}", "axis_0", "n_pending", "axis_0"], [f"second_{name}"]
            ),
            helper.make_node(
                "ScatterND", [f"first/{name}", "rows_Px1", f"second_{name}"], [f"answer/{name}"]
            ),
        ]
    nodes += stage(answer)
    nodes += [
        helper.make_node("Cast", [f"answer/{name}"], [name], to=TensorProto.FLOAT)
        for name in ("specification", "residual", "ok")
    ]
    batch = ["B"]
    graph = helper.make_graph(
        nodes,
        "munsell_jax_exact_from_xyY",
        [helper.make_tensor_value_info("xyY", TensorProto.FLOAT, [*batch, 3])],
        [
            helper.make_tensor_value_info("specification", TensorProto.FLOAT, [*batch, 4]),
            helper.make_tensor_value_info("residual", TensorProto.FLOAT, batch),
            helper.make_tensor_value_info("ok", TensorProto.FLOAT, batch),
        ],
        initializer=[
            *(t for graph in (first, second, answer) for t in graph.graph.initializer),
            helper.make_tensor("axis_0", TensorProto.INT64, [1], [0]),
            helper.make_tensor("axis_1", TensorProto.INT64, [1], [1]),
        ],
    )
    return helper.make_model(
        graph, opset_imports=list(first.opset_import), ir_version=first.ir_version
    )


def _float32_outputs(proto) -> None:
    """Make a double-precision graph's outputs float32, with a Cast before each."""
    import onnx

    for value in proto.graph.output:
        tensor = value.type.tensor_type
        if tensor.elem_type != onnx.TensorProto.DOUBLE:
            continue
        tensor.elem_type = onnx.TensorProto.FLOAT
        inner = value.name + "_float64"
        for node in proto.graph.node:
            for names in (node.input, node.output):
                for i, name in enumerate(names):
                    if name == value.name:
                        names[i] = inner
        proto.graph.node.append(
            onnx.helper.make_node(
                "Cast",
                [inner],
                [value.name],
                name=f"{value.name}_to_float32",
                to=onnx.TensorProto.FLOAT,
            )
        )


def inverse_parity(onnx_file: str | Path | None = None, *, n: int = 10_000) -> dict:
    """The exact inverse's graph in onnxruntime vs ``inverse_predict`` in JAX on
    ``sample_inputs("from_xyY", n)`` (REAL, random, near white, the ends of
    Y): the largest difference between the exact forwards of the two answers
    (``max_abs_diff``, in xyY; near white a hue is ill-conditioned, so the
    specifications themselves are compared where the chroma exceeds 1:
    ``max_spec_diff_over_range``), the largest residual difference, how many
    rows' forwards differ by more than 1e-6, and the batch sizes (1, 7, 2,734)
    the file accepts."""
    from munsell_jax.renotation import munsell_to_xyY_unmasked

    session = _inverse_session(onnx_file)
    inputs = sample_inputs("from_xyY", n)
    finite = np.isfinite(inputs).all(-1)
    inputs = inputs[finite]
    spec_jax, residual_jax = inverse_predict(inputs)
    spec_onnx, residual_onnx, _ = session(inputs)
    with jax.enable_x64(True):
        forward = jax.jit(lambda s: munsell_to_xyY_unmasked(s)[0])
        a = np.asarray(forward(jnp.asarray(spec_jax, jnp.float64)))
        b = np.asarray(forward(jnp.asarray(spec_onnx, jnp.float64)))
    chromatic = (spec_jax[:, 2] > 1) & (spec_onnx[:, 2] > 1)
    return {
        "n": len(inputs),
        "max_abs_diff": float(np.max(np.abs(a - b))),
        "max_spec_diff_over_range": float(
            np.max(np.abs(spec_jax - spec_onnx)[chromatic] / OUTPUT_RANGE["from_xyY"])
        ),
        "max_residual_diff": float(np.max(np.abs(residual_jax - residual_onnx))),
        # Rounding differs between XLA and onnxruntime; in colour's 1e-3 snapping
        # zones, where the forward jumps, that can end a solve on the other side.
        "rows_differing_above_1e-6": int(np.sum(np.max(np.abs(a - b), axis=-1) > 1e-6)),
        "batches_accepted": [
            batch for batch in (1, 7, 2_734) if session(inputs[:batch])[0].shape == (batch, 4)
        ],
    }


def write_inverse_metrics(onnx_file: str | Path | None = None) -> Path:
    """Score the exact inverse's graph by the evaluation protocol (both sets,
    onnxruntime, with timings) and write ``models/from_xyY/exact/metrics.json``."""
    import json

    from munsell_jax.lab.evaluate import evaluate, mark_held_out
    from munsell_jax.lab.provenance import git_commit

    session = _inverse_session(onnx_file)
    metrics, _ = evaluate("from_xyY", lambda xyY: session(xyY)[0])
    metrics = {
        "name": "exact",
        "direction": "from_xyY",
        "architecture": "exact inverse as one ONNX graph (xyY_to_munsell's cell walk; "
        "onnxruntime, CPU)",
        "parameters": None,
        "data": "the renotation tables",
        "device": "cpu (onnxruntime)",
        "git_commit": git_commit(),
        **metrics,
    }
    mark_held_out(metrics, None)  # judged on exactness, as the exact engine
    out = MODELS / INVERSE / "metrics.json"
    out.write_text(json.dumps(metrics, indent=2) + "\n")
    return out


def _inverse_session(onnx_file: str | Path | None = None):
    """The exact inverse's graph as ``xyY -> (specification, residual)`` (numpy)."""
    import onnxruntime as ort

    file = Path(onnx_file) if onnx_file is not None else MODELS / INVERSE / "model.onnx"
    session = ort.InferenceSession(str(file), providers=["CPUExecutionProvider"])
    return lambda xyY: tuple(session.run(None, {"xyY": np.asarray(xyY, np.float32)}))


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
    if str(path) == INVERSE:
        report = inverse_parity(onnx_file, n=n)
        return {"max_abs_diff_over_range": report["max_abs_diff"], **report}
    from munsell_jax.lab.train import load_run

    path = model_folder(path)
    direction = json.loads((path / "config.json").read_text())["direction"]
    jax_predict = predictor(*load_run(path))
    onnx_predict = load_model(path, backend="onnx", onnx_file=onnx_file)
    inputs = sample_inputs(direction, n)
    a, b = jax_predict(inputs), onnx_predict(inputs)
    report = {"n": len(inputs)}
    if isinstance(a, BoundedPrediction):  # a probabilistic model: the bound too
        report["bound_max_relative_diff"] = float(
            np.max(np.abs(a.delta_e_bound - b.delta_e_bound) / a.delta_e_bound)
        )
        a, b = a.specification, b.specification
    report["max_abs_diff_over_range"] = float(np.max(np.abs(a - b) / OUTPUT_RANGE[direction]))
    report["batches_accepted"] = []
    if direction == "from_xyY":
        report["code_mismatches"] = int(np.sum(a[:, 3] != b[:, 3]))
    for batch in (1, 7, 2_734):
        out = onnx_predict(inputs[:batch])
        out = getattr(out, "specification", out)
        if out.shape == (batch, a.shape[1]):
            report["batches_accepted"].append(batch)
    return report
