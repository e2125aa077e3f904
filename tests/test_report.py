"""munsell_jax.lab.report: tables and HTML regenerated from metrics files."""

import json

import numpy as np

from munsell_jax.lab.cli import main


def _metrics(name, direction, mean, **extra):
    real = {
        "n": 2734,
        "n_nan": 0,
        "delta_e_mean": mean,
        "delta_e_median": mean / 2,
        "delta_e_p95": 2 * mean,
        "delta_e_max": 5 * mean,
    }
    if direction == "from_xyY":
        real.update(
            n_outside=1,
            code_accuracy=0.99,
            hue_family_errors=2,
            hue_mae=0.1,
            value_mae=0.01,
            chroma_mae=0.05,
        )
    return {
        "name": name,
        "direction": direction,
        "architecture": name,
        "parameters": 1234,
        "data": "grid 1,000",
        "real": real,
        "generalisation": dict(real),
        "ms_per_sample_batch_2734": 0.01,
        "ms_per_sample_batch_1": 0.1,
        **extra,
    }


def test_report_from_metrics(tmp_path):
    from munsell_jax.lab.evaluate import evaluation_sets

    real = evaluation_sets()["real"]
    for direction in ("from_xyY", "to_xyY"):
        for name, mean in (("colour-science", 1e-6), ("model_b", 0.5), ("model_a", 0.2)):
            folder = tmp_path / direction / name
            folder.mkdir(parents=True)
            extra = {"ms_per_sample_batch_2734": 10.0} if name == "colour-science" else {}
            metrics = _metrics(name, direction, mean, **extra)
            if name == "model_a":  # REAL seen in training; generalisation held out
                metrics["real"]["held_out"] = False
                metrics["generalisation"] = {**metrics["real"], "held_out": True}
                metrics["generalisation"]["delta_e_mean"] = 0.7
            elif name == "model_b":
                metrics["real"]["held_out"] = metrics["generalisation"]["held_out"] = True
            (folder / "metrics.json").write_text(json.dumps(metrics))
        rng = np.random.default_rng(0)
        prediction = real.specification if direction == "from_xyY" else real.xyY
        np.savez(
            folder / "evaluation.npz",
            real_delta_e=rng.random(2734),
            real_prediction=prediction,
            real_projected=prediction,
        )
    assert main(["report", "--results", str(tmp_path)]) == 0
    text = (tmp_path / "README.md").read_text()
    assert text.count("| `colour-science`") == 2
    # models sorted by held-out mean Delta-E, after the reference rows; a REAL
    # figure that is not held out is starred, one not recorded gets a "?"
    assert text.index("`model_b`") < text.index("`model_a`")
    row_a = next(line for line in text.splitlines() if "`model_a`" in line)
    assert "| 0.200* |" in row_a and "0.700 / " in row_a and "0.700*" not in row_a
    row_b = next(line for line in text.splitlines() if "`model_b`" in line)
    assert "| 0.500 |" in row_b
    assert "| 1.0e-06? |" in text  # colour-science's rows carry no flag here
    assert "1,000x" in text  # 10 ms (colour) / 0.01 ms
    page = (tmp_path / "report.html").read_text()
    assert page.count("<img") >= 5 and "boundary analysis" in page
    # Headless check: the page parses and every plot is a PNG that decodes.
    import base64
    import io
    import re
    from html.parser import HTMLParser

    from PIL import Image

    HTMLParser().feed(page)
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert len(images) >= 5
    for data in images:
        image = Image.open(io.BytesIO(base64.b64decode(data)))
        image.verify()
        assert image.size[0] > 100
