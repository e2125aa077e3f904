"""munsell_jax.lab.evaluate: the protocol scores a perfect predictor zero, a known
offset its hand-computed Delta-E, and counts NaN and out-of-data rows."""

import json

import colour
import numpy as np
import pytest

from munsell_jax.lab import evaluate
from munsell_jax.renotation import munsell_to_xyY


@pytest.fixture(scope="module")
def sets():
    return evaluate.evaluation_sets()


def _colour_delta_e(xyY_1, xyY_2):
    C = colour.CCS_ILLUMINANTS["CIE 1931 2 Degree Standard Observer"]["C"]
    lab = [colour.XYZ_to_Lab(colour.xyY_to_XYZ(a), C) for a in (xyY_1, xyY_2)]
    return colour.delta_E(*lab, method="CIE 2000")


def test_sets_are_fixed_and_disjoint(sets):
    real, general = sets["real"], sets["generalisation"]
    assert len(real.xyY) == 2_734 and int(np.sum(~real.ok)) == 6
    assert len(general.xyY) == evaluate.GENERALISATION_SIZE and general.ok.all()
    on_lattice = {tuple(r) for r in np.round(real.specification, 6)}
    assert not any(tuple(r) in on_lattice for r in np.round(general.specification, 6))


def test_a_perfect_predictor_scores_zero(sets):
    for name, colours in sets.items():
        metrics, rows = evaluate.protocol("from_xyY", colours.specification, colours)
        assert metrics["n_nan"] == metrics["n_outside"] == 0
        assert metrics["code_accuracy"] == 1.0 and metrics["hue_family_errors"] == 0
        assert metrics["hue_mae"] == metrics["value_mae"] == metrics["chroma_mae"] == 0.0
        # REAL's exact rows: below 1e-6 except in the solver's snap gaps (< 1e-2)
        assert np.median(rows["delta_e"][colours.ok]) < 1e-6, name
        target = np.asarray(munsell_to_xyY(colours.specification))
        metrics, _ = evaluate.protocol("to_xyY", target, colours)
        assert metrics["delta_e_max"] < 1e-9
    metrics, _ = evaluate.protocol(
        "from_xyY", sets["generalisation"].specification, sets["generalisation"]
    )
    assert metrics["delta_e_mean"] < 1e-6


def test_a_known_offset_scores_its_hand_computed_delta_e(sets):
    colours = sets["generalisation"]
    target = np.asarray(munsell_to_xyY(colours.specification))
    shifted = target + [0.002, -0.001, 0.0]
    metrics, rows = evaluate.protocol("to_xyY", shifted, colours)
    expected = _colour_delta_e(target, shifted)
    np.testing.assert_allclose(rows["delta_e"], expected, rtol=1e-6, atol=1e-9)
    assert metrics["delta_e_mean"] == pytest.approx(np.mean(expected), rel=1e-6)
    assert metrics["x_mae"] == pytest.approx(0.002) and metrics["Y_mae"] == 0.0
    # from_xyY: half a value step up, judged through the forward by colour's own Delta-E
    spec = colours.specification.copy()
    spec[:, 1] = np.minimum(spec[:, 1] + 0.5, 9.5)
    metrics, rows = evaluate.protocol("from_xyY", spec, colours)
    ok = rows["projected"][:, 2] == spec[:, 2]
    expected = _colour_delta_e(colours.xyY[ok], np.asarray(munsell_to_xyY(spec[ok])))
    np.testing.assert_allclose(rows["delta_e"][ok], expected, rtol=1e-6, atol=1e-9)
    assert metrics["value_mae"] == pytest.approx(
        np.mean(np.abs(spec[:, 1] - colours.specification[:, 1]))
    )


def test_nan_rows_are_counted_not_dropped_and_outside_rows_projected(sets):
    colours = sets["generalisation"]
    spec = colours.specification.copy()
    spec[:5] = np.nan
    spec[5:8, 2] = 60.0  # beyond every chroma in the data
    metrics, rows = evaluate.protocol("from_xyY", spec, colours)
    assert metrics["n"] == len(spec) and metrics["n_nan"] == 5 and metrics["n_outside"] == 3
    assert np.isnan(rows["delta_e"][:5]).all() and np.isfinite(rows["delta_e"][5:]).all()
    assert metrics["delta_e_max"] == pytest.approx(np.max(rows["delta_e"][5:]))
    xyY = np.array(munsell_to_xyY(colours.specification))
    xyY[:3] = np.nan
    metrics, _ = evaluate.protocol("to_xyY", xyY, colours)
    assert metrics["n_nan"] == 3 and metrics["delta_e_max"] < 1e-9
    with pytest.raises(ValueError, match="predictions for"):
        evaluate.protocol("to_xyY", xyY[:10], colours)


def test_evaluate_a_run_writes_metrics(tmp_path, sets):
    import importlib.util
    from pathlib import Path

    from munsell_jax.lab.cli import main
    from munsell_jax.lab.train import train_and_evaluate

    path = Path(__file__).parents[1] / "configs" / "smoke.py"
    spec = importlib.util.spec_from_file_location("smoke_config", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    config = module.get_config()
    config.data.data_dir = str(tmp_path / "data")
    config.opt.epochs = 1
    train_and_evaluate(config, tmp_path / "run")
    assert main(["evaluate", str(tmp_path / "run"), "--no-timing"]) == 0
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert metrics["direction"] == "from_xyY" and metrics["epochs"] == 1
    assert metrics["real"]["n"] == 2_734 and metrics["real"]["delta_e_mean"] > 0
    assert set(metrics) >= {"generalisation", "parameters", "git_commit", "device", "data"}
    rows = np.load(tmp_path / "run" / "evaluation.npz")
    assert rows["real_delta_e"].shape == (2_734,)
    with pytest.raises(SystemExit, match="not a run"):
        main(["evaluate", str(tmp_path)])
