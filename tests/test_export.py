"""munsell_jax.lab.export: every model kind exports to a self-contained ONNX file that
matches JAX to 1e-5 of each output's range, with identical hue codes."""

import os
import subprocess
import sys

import ml_collections
import numpy as np
import onnx
import pytest
from colour.notation.munsell import munsell_specification_to_xyY

from munsell_jax.hub import ENGINE, INVERSE, MODELS, load_model, predictor, shipped_models
from munsell_jax.lab.cli import main
from munsell_jax.lab.export import export, parity, sample_inputs
from munsell_jax.lab.train import load_run, train_and_evaluate
from munsell_jax.notation import to_colour_specification
from munsell_jax.renotation import maximum_chroma, munsell_to_xyY, renotation_valid

KINDS = {
    "regression": ("from_xyY", "regression", {"name": "mlp", "widths": (16, 16)}),
    "classification_two_stage": (
        "from_xyY",
        "classification",
        {
            "name": "two_stage",
            "base": {"name": "multi_mlp", "widths": (8,), "code_logits": 10},
            "error": {"name": "mlp", "widths": (8,)},
            "code_logits": 10,
            "code_aware": True,
        },
    ),
    "hue_angle": ("from_xyY", "hue_angle", {"name": "mlp", "widths": (16,)}),
    "to_xyY": (
        "to_xyY",
        "regression",
        {"name": "multi_head", "encoder": (16, 16), "head": (8,), "wide_outputs": ()},
    ),
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parents[1] / "configs" / "smoke.py"
    spec = importlib.util.spec_from_file_location("smoke_config", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    root = tmp_path_factory.mktemp("export")
    made = {}
    for kind, (direction, encoding, model) in KINDS.items():
        config = module.get_config()
        config.data.data_dir = str(root / "data")
        config.data.size = 1_024
        config.opt.epochs = 1
        config.direction, config.encoding = direction, encoding
        if direction == "to_xyY":  # the approximator's inputs: sin/cos inside the graph
            config.inputs = "harmonic"
        if kind == "hue_angle":  # xyY seen through a lightness: exp and log in the graph
            config.inputs = "lightness"
        config.model = ml_collections.ConfigDict(model)
        train_and_evaluate(config, root / kind)
        made[kind] = root / kind
    return made


@pytest.mark.parametrize("kind", list(KINDS))
def test_onnx_matches_jax(runs, kind):
    out = export(runs[kind])
    proto = onnx.load(out)
    onnx.checker.check_model(proto)
    direction = KINDS[kind][0]
    names = ("xyY", "specification") if direction == "from_xyY" else ("specification", "xyY")
    assert [i.name for i in proto.graph.input] == [names[0]]
    assert [o.name for o in proto.graph.output] == [names[1]]
    meta = {p.key: p.value for p in proto.metadata_props}
    assert meta["direction"] == direction and "illuminant C" in meta["conventions"]
    report = parity(runs[kind])
    # The parity inputs come within 1e-7 of the white point, where a float32 hue
    # angle is the angle of a short vector: this float32 model differs there by
    # 2.7e-5 of range (the shipped hue-angle model by 3.4e-4, so it ships in float64).
    tolerance = 1e-4 if kind == "hue_angle" else 1e-5
    assert report["max_abs_diff_over_range"] <= tolerance, report
    assert report.get("code_mismatches", 0) == 0
    assert report["batches_accepted"] == [1, 7, 2_734]


def _run_without_jax(file, input_name: str, width: int, n_out: int) -> None:
    script = (
        "import sys, numpy as np, onnxruntime as ort\n"
        "s = ort.InferenceSession(sys.argv[1])\n"
        f"out = s.run(None, {{{input_name!r}: np.full((3, {width}), 0.3, np.float32)}})[0]\n"
        f"assert out.shape == (3, {n_out}), out.shape\n"
        "assert 'jax' not in sys.modules and 'munsell_jax' not in sys.modules\n"
        "print('ok')\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-I", "-c", script, str(file)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert done.stdout.strip() == "ok"


def test_loads_in_a_fresh_process_without_jax(runs):
    export(runs["regression"])
    _run_without_jax(runs["regression"] / "model.onnx", "xyY", 3, 4)


def test_shipped_engine_loads_in_a_fresh_process_without_jax():
    _run_without_jax(MODELS / ENGINE / "model.onnx", "specification", 4, 3)


def test_cli_and_loader_agree(runs):
    assert main(["export", str(runs["to_xyY"])]) == 0
    inputs = np.array([[5.0, 5.0, 10.0, 7.0], [2.5, 8.0, 4.0, 3.0]], np.float32)
    a = predictor(*load_run(runs["to_xyY"]))(inputs)
    b = load_model(runs["to_xyY"], backend="onnx")(inputs)
    np.testing.assert_allclose(a, b, atol=1e-5)
    with pytest.raises(ValueError, match="backend"):
        load_model(runs["to_xyY"], backend="tflite")
    with pytest.raises(FileNotFoundError, match="no model"):
        load_model("from_xyY/nothing")
    with pytest.raises(FileNotFoundError, match="load_run"):
        load_model(runs["to_xyY"])  # a training run: orbax, not package files


def test_ship_makes_a_contract_folder(runs, tmp_path):
    import json

    from munsell_jax.lab.ship import ship

    models, results = tmp_path / "models", tmp_path / "results"
    folder = ship(runs["to_xyY"], "tiny", results=results, models=models)
    assert folder == models / "to_xyY" / "tiny"
    # The package gets inference parameters, config, graph and metrics; the
    # record in results/ gets no weights.
    assert sorted(p.name for p in folder.iterdir()) == [
        "config.json",
        "metrics.json",
        "model.onnx",
        "params.npz",
    ]
    assert sorted(p.name for p in (results / "to_xyY" / "tiny").iterdir()) == [
        "config.json",
        "evaluation.npz",
        "metrics.json",
        "metrics.jsonl",
    ]
    metrics = json.loads((folder / "metrics.json").read_text())
    assert metrics["onnx_ms_per_sample_batch_2734"] > 0 and metrics["real"]["n"] == 2_734
    assert metrics["epochs"] == 1
    x = np.array([[5.0, 5.0, 10.0, 7.0]], np.float32)
    np.testing.assert_allclose(
        load_model(folder)(x), load_model(folder, backend="onnx")(x), atol=1e-5
    )


SHIPPED = list(shipped_models())


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_model_matches_jax(name):
    onnx.checker.check_model(onnx.load(MODELS / name / "model.onnx"))
    report = parity(name)
    if name == INVERSE:
        # A solver: XLA's and onnxruntime's rounding can end a row on either side
        # of one of colour's 1e-3 snapping zones (7 of 20,234 rows).
        assert report["max_abs_diff"] <= 1e-4, report
        assert report["rows_differing_above_1e-6"] <= report["n"] // 200, report
        assert report["batches_accepted"] == [1, 7, 2_734]
        return
    # Float32 Cartesian models would miss this near grey (their hue, the angle of
    # two outputs, magnifies float32 rounding by 1/chroma): they ship with
    # inference_precision float64, in JAX and in the graph alike.
    assert report["max_abs_diff_over_range"] <= 1e-5, report
    assert report.get("code_mismatches", 0) == 0, report
    assert report["batches_accepted"] == [1, 7, 2_734]


def test_float64_inference_is_recorded_and_shared_by_both_backends(tmp_path):
    # A float32 graph of a Cartesian model differs from XLA's float32 answer by
    # up to 1.1e-5 of range near grey (both are that far from the network in
    # float64); computing in float64 on both sides leaves float32 output
    # rounding (3.3e-7).
    import json
    import shutil

    folder = tmp_path / "model"
    shutil.copytree(MODELS / "from_xyY/residual_mlp_cartesian_exact5", folder)
    saved = json.loads((folder / "config.json").read_text())
    saved["inference_precision"] = "float32"
    (folder / "config.json").write_text(json.dumps(saved))
    out = export(folder, precision="float64")  # the folder's own model.onnx
    assert json.loads((folder / "config.json").read_text())["inference_precision"] == "float64"
    proto = onnx.load(out)
    onnx.checker.check_model(proto)
    meta = {p.key: p.value for p in proto.metadata_props}
    assert meta["precision"] == "float64" and meta["direction"] == "from_xyY"
    float32, double = onnx.TensorProto.FLOAT, onnx.TensorProto.DOUBLE
    assert [(i.name, i.type.tensor_type.elem_type) for i in proto.graph.input] == [("xyY", float32)]
    assert [(o.name, o.type.tensor_type.elem_type) for o in proto.graph.output] == [
        ("specification", float32)
    ]
    weights = {t.data_type for t in proto.graph.initializer}
    assert double in weights and float32 not in weights
    report = parity(folder)
    assert report["max_abs_diff_over_range"] <= 1e-6, report
    assert report["code_mismatches"] == 0, report
    assert report["batches_accepted"] == [1, 7, 2_734]
    assert load_model(folder)(np.array([[0.3, 0.4, 0.2]], np.float32)).dtype == np.float32
    # Re-exporting with no precision follows the folder's config.
    again = export(folder, out=tmp_path / "again.onnx")
    assert {p.key: p.value for p in onnx.load(again).metadata_props}["precision"] == "float64"
    with pytest.raises(ValueError, match="precision"):
        export(folder, out=tmp_path / "x.onnx", precision="float16")


def test_float64_graph_of_a_code_aware_two_stage_model(runs, tmp_path):
    # Its OneHot of the predicted code has no double kernel in onnxruntime: the
    # export computes it in float32 (exact 0s and 1s) and casts.
    out = export(runs["classification_two_stage"], out=tmp_path / "m.onnx", precision="float64")
    assert "OneHot" in {node.op_type for node in onnx.load(out).graph.node}
    report = parity(runs["classification_two_stage"], onnx_file=out)
    assert report["max_abs_diff_over_range"] <= 1e-5, report
    assert report["code_mismatches"] == 0, report


def test_exact_engine_exports_and_matches_jax(tmp_path):
    from munsell_jax.lab.export import engine_parity, export_engine

    file = export_engine(tmp_path / "exact.onnx")
    proto = onnx.load(file)
    onnx.checker.check_model(proto)
    meta = {p.key: p.value for p in proto.metadata_props}
    assert meta["direction"] == "to_xyY" and meta["precision"] == "float64"
    report = engine_parity(file, n=2_000)
    # The same rows outside the renotation data (NaN) on both sides, and the
    # answers within float32 rounding of the float64 engine.
    assert report["n_nan"] > 100 and report["nan_mismatches"] == 0, report
    assert report["max_abs_diff"] <= 1e-7, report
    assert report["batches_accepted"] == [1, 7, 2_734]
    spec = np.array([[5.0, 5.0, 10.0, 7.0], [0.0, 5.0, 0.0, 0.0], [5.0, 0.5, 2.0, 7.0]], np.float32)
    a = load_model(ENGINE)(spec)
    b = load_model(ENGINE, backend="onnx", onnx_file=file)(spec)
    np.testing.assert_allclose(a, b, atol=1e-6)
    np.testing.assert_allclose(b[1, :2], [0.31006, 0.31616], atol=1e-6)  # a grey: illuminant C
    assert np.isnan(b[2]).all()  # value 0.5 is below the chromatic data


def test_cli_exports_the_engine(tmp_path, capsys):
    with pytest.raises(SystemExit, match="float64 only"):
        main(["export", "exact", "--precision", "float32", "--out", str(tmp_path / "e.onnx")])


FROM_XYY = [name for name in SHIPPED if name.startswith("from_xyY/")]


@pytest.fixture(scope="module")
def colours_to_name():
    """REAL xyY, 4,000 random valid colours and the corners (near black, near
    white, Y = 1), as a user's batch might hold them."""
    from colour.notation.datasets.munsell import MUNSELL_COLOURS_REAL

    real = np.array([xyY for _, xyY in MUNSELL_COLOURS_REAL]) / [1, 1, 100]
    n = 12_000
    spec = sample_inputs("to_xyY", n, seed=7)[:n].astype(np.float64)  # the random part
    xyY = np.asarray(munsell_to_xyY(spec))
    xyY = xyY[np.isfinite(xyY).all(-1)][:4_000]
    corners = np.array(
        [[0.31, 0.316, 1e-4], [0.5, 0.4, 0.002], [0.3101, 0.3162, 1.0], [0.2, 0.6, 0.9]]
    )
    return np.concatenate([real, xyY, corners]).astype(np.float32)


@pytest.mark.parametrize("backend", ["jax", "onnx"])
@pytest.mark.parametrize("name", FROM_XYY)
def test_every_shipped_model_answers_inside_the_data(name, backend, colours_to_name):
    """A shipped xyY -> Munsell model never returns a specification that does not
    exist (judged by renotation_valid, colour-science's rule, and by colour-science
    itself on the rows at the data's edge); once 5 on REAL and 32 of 4,000 random."""
    spec = load_model(name, backend=backend)(colours_to_name)
    spec = getattr(spec, "specification", spec).astype(np.float64)  # a probabilistic model's
    assert np.isfinite(spec).all()
    assert np.asarray(renotation_valid(spec)).all(), spec[~np.asarray(renotation_valid(spec))][:5]
    ceiling = np.asarray(maximum_chroma(spec[:, [0, 1, 3]]))
    edge = (spec[:, 2] > 0) & ((spec[:, 1] == 1) | (np.abs(spec[:, 2] - ceiling) < 1e-6))
    for row in spec[edge][:50]:
        assert np.isfinite(munsell_specification_to_xyY(to_colour_specification(row))).all(), row


@pytest.mark.parametrize("name", SHIPPED)
def test_every_graph_answers_nan_per_row(name):
    """One NaN or inf row is one NaN answer, never a failed batch, in every shipped graph."""
    width = 3 if name.startswith("from_xyY/") else 4
    good = [0.3, 0.35, 0.2] if width == 3 else [5.0, 5.0, 10.0, 7.0]
    rows = np.array([good, [np.nan] * width, [np.inf] * width, good], np.float32)
    answer = load_model(name, backend="onnx")(rows)
    if hasattr(answer, "delta_e_bound"):  # a probabilistic model's bound: NaN with its row
        bound = answer.delta_e_bound
        assert np.isfinite(bound[[0, 3]]).all() and np.isnan(bound[1:3]).all(), bound
        answer = answer.specification
    assert np.isfinite(answer[[0, 3]]).all() and np.isnan(answer[1]).all(), answer


def test_a_non_finite_row_is_nan_in_the_graph_not_a_failed_batch():
    # A NaN or inf hue once sent the Lattice MLP's Gather out of range: ONNX
    # failed the whole batch where XLA clamps.
    name = "to_xyY/lattice_mlp_exact"
    spec = np.array(
        [[5.0, 5.0, 10.0, 7.0], [np.nan, 5.0, 10.0, 7.0], [np.inf, 5.0, 10.0, 7.0]], np.float32
    )
    graph, jax_answer = load_model(name, backend="onnx")(spec), load_model(name)(spec)
    np.testing.assert_allclose(graph, jax_answer, atol=1e-5)  # NaN where NaN
    assert np.isfinite(graph[0]).all() and np.isnan(graph[1:, :2]).all()
