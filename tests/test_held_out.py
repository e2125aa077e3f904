"""Held-out figures: which evaluation set each row's training saw, as recorded in
every committed ``metrics.json``, and the README's marks.

The samplers' side (no sampler centres on the held-out colours; exactly the
perturbation samplers centre on REAL) is measured in ``tests/test_data.py``.
"""

import json
import re
from pathlib import Path

import pytest

from munsell_jax.hub import MODELS
from munsell_jax.lab.baselines import BASELINES
from munsell_jax.lab.data import centres_on_real
from munsell_jax.lab.evaluate import GENERALISATION_SEED, real_held_out

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "results"
FOLDERS = [RESULTS, RESULTS / "zoo", RESULTS / "experiments", MODELS]


def _rows() -> list[Path]:
    paths = sorted({p for root in FOLDERS for p in root.glob("*/*/metrics.json")})
    return [p for p in paths if isinstance(json.loads(p.read_text()).get("real"), dict)]


def _id(path: Path) -> str:
    return path.parent.relative_to(ROOT).as_posix()


def test_there_are_rows():
    assert len(_rows()) > 50


@pytest.mark.parametrize("path", _rows(), ids=_id)
def test_every_row_says_which_sets_are_held_out(path, monkeypatch):
    monkeypatch.chdir(ROOT)  # init_from records are relative to the repository
    metrics = json.loads(path.read_text())
    name = metrics.get("name", path.parent.name)
    if name in ("exact", "colour-science"):
        expected = None  # the reference rows: the renotation data themselves
    elif name in BASELINES:
        expected = False  # fitted on 80% of the ALL colours, most REAL ones among them
    else:
        config = json.loads((path.parent / "config.json").read_text())
        expected = real_held_out(config)
        if centres_on_real(config["data"]["name"]):
            assert expected is False
    assert metrics["real"]["held_out"] is expected
    if isinstance(metrics.get("generalisation"), dict):
        assert metrics["generalisation"]["held_out"] is (None if expected is None else True)


def test_no_recorded_run_draws_with_the_held_out_seed():
    configs = [p for root in FOLDERS for p in root.glob("*/*/config.json")]
    assert len(configs) > 50
    for path in configs:
        seed = json.loads(path.read_text())["data"]["seed"]
        assert seed != GENERALISATION_SEED, path


def _config(tmp_path, name, data, init_from=""):
    folder = tmp_path / "results" / "from_xyY" / name
    folder.mkdir(parents=True)
    config = {"data": {"name": data, "size": 10, "seed": 0}, "init_from": init_from}
    (folder / "config.json").write_text(json.dumps(config))
    return config


def test_real_held_out_follows_the_fine_tuning_chain(tmp_path):
    results = tmp_path / "results"
    base = _config(tmp_path, "base", "large")
    clean = _config(tmp_path, "clean", "grid+forward", "runs/from_xyY/base")
    seen = _config(tmp_path, "seen", "grid+perturbation_exact", "runs/from_xyY/base")
    after = _config(tmp_path, "after", "forward", "runs/from_xyY/seen")
    orphan = _config(tmp_path, "orphan", "forward", "runs/from_xyY/never_recorded")
    assert real_held_out(base, results=results)
    assert real_held_out(clean, results=results)
    assert not real_held_out(seen, results=results)
    assert not real_held_out(after, results=results)  # its start saw REAL
    assert not real_held_out(orphan, results=results)  # nothing can be proved
    with pytest.raises(ValueError, match="unknown sampler"):
        real_held_out({"data": {"name": "grid+nope"}}, results=results)


def test_readme_marks_every_real_figure_that_is_not_held_out():
    """Every README table row naming a model or baseline quotes its REAL mean,
    with * when that figure is not held out and without it when it is."""
    rows: dict[str, list[dict]] = {}
    for path in _rows():
        if path.parent.parent.name in ("from_xyY", "to_xyY"):
            metrics = json.loads(path.read_text())
            if metrics["name"] not in ("exact", "colour-science"):
                rows.setdefault(metrics["name"], []).append(metrics["real"])
    checked = 0
    for line in (ROOT / "README.md").read_text().splitlines():
        match = re.search(r"`(?:\w+/)?(\w+)`", line)
        if not line.startswith("|") or not match or match.group(1) not in rows:
            continue
        quoted = [r for r in rows[match.group(1)] if f"{r['delta_e_mean']:.3f}" in line]
        assert quoted, f"no REAL mean of {match.group(1)} in {line!r}"
        figure = f"{quoted[0]['delta_e_mean']:.3f}"
        assert (f"{figure}*" in line) == (quoted[0]["held_out"] is False), line
        checked += 1
    assert checked >= 6
