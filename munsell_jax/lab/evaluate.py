"""The evaluation protocol (docs/training.md): one function, used for every model,
baseline and colour-science, so their numbers sit in one table.

- ``from_xyY`` (xyY -> Munsell): predict a specification for each colour's xyY,
  convert it back with the *exact* forward engine, and take CIEDE2000 against
  the input (Lab under illuminant C). A prediction outside the renotation data
  (value below 1 for a chromatic colour, chroma beyond the data) is counted in
  ``n_outside`` and projected into the data before the round trip
  (``munsell_jax.project_to_renotation``, which the learned converters apply
  themselves, so theirs is 0), so it still gets a Delta-E; a prediction
  with NaN gets none and is counted in ``n_nan``.
  Statistics are over the rows with a Delta-E; nothing is dropped silently.
  Hue-code accuracy, hue/value/chroma MAE and hue-family errors (a hue off
  by a quarter of a family or more; ``chromatic_family_errors`` at exact
  chroma >= 0.5 only) are taken against the exact inverse's specification,
  on the rows where it is exact. A probabilistic converter's Delta-E bound is
  scored by its coverage (the fraction of colours whose actual round-trip
  CIEDE2000 is within it) and the Spearman rank correlation between bound and
  actual error (``bound_metrics``).
- ``to_xyY`` (Munsell -> xyY): predict xyY for each colour's specification and
  take CIEDE2000 against the exact forward's xyY.

Two sets: ``real`` (the 2,734 REAL renotation colours) and ``generalisation``
(2,734 random valid specifications over the renotation solid, seed fixed,
none of them REAL colours).

Held out: the generalisation set is held out from every model (the ``forward``
sampler at ``GENERALISATION_SEED``, which no training config uses; no sampler
centres on its colours: ``tests/test_held_out.py``). The REAL set is held out
only from a model none of whose training data, its own or that of a run it was
fine-tuned from, centres on the renotation colours (``real_held_out``). Each
set's metrics say which (``held_out``: true, false, or null for the exact
engine, which is the renotation data).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import jax
import numpy as np

from munsell_jax.colorimetry import delta_E_CIE2000, xyY_to_Lab
from munsell_jax.encoding import astm_hue
from munsell_jax.hub import BoundedPrediction
from munsell_jax.lab.provenance import git_commit
from munsell_jax.lab.timing import time_jax
from munsell_jax.renotation import (
    munsell_to_xyY,
    project_to_renotation,
    renotation_valid,
)

__all__ = [
    "EvaluationSet",
    "bound_metrics",
    "evaluate",
    "evaluate_run",
    "evaluation_sets",
    "mark_held_out",
    "protocol",
    "real_held_out",
    "write_results",
]

GENERALISATION_SEED = 20_261_123
GENERALISATION_SIZE = 2_734


class EvaluationSet(NamedTuple):
    """Colours to evaluate on.

    Attributes:
      name: ``"real"`` or ``"generalisation"``.
      xyY: ``[N, 3]`` the colours (the from_xyY input, the to_xyY target).
      specification: ``[N, 4]`` their exact specifications (the inverse's
        answer): the to_xyY input and the from_xyY answer.
      ok: ``[N]`` whether ``specification`` is exact for ``xyY`` (False for the 6
        REAL colours beyond the data: left out of the specification metrics of
        from_xyY; for to_xyY the target is the forward of ``specification``,
        so every row counts).
    """

    name: str
    xyY: np.ndarray
    specification: np.ndarray
    ok: np.ndarray


@functools.cache
def evaluation_sets() -> dict[str, EvaluationSet]:
    """The REAL colours and the fixed generalisation set (needs x64; cached)."""
    from munsell_jax.lab import data
    from munsell_jax.notation import parse_munsell_array

    real = data.real_colours()
    # The exact inverse's specification of each REAL colour. It is not the
    # colour's name: REAL's Y is rounded, so "10RP 1/2" solves to value 1.022.
    sets = {"real": EvaluationSet("real", real.xyY, real.specification, real.ok)}
    spec = parse_munsell_array(real.names)
    generated = data.forward(jax.random.key(GENERALISATION_SEED), GENERALISATION_SIZE + 100)
    lattice = {tuple(row) for row in np.round(spec, 6)}
    keep = np.array([tuple(row) not in lattice for row in np.round(generated.specification, 6)])
    xyY = generated.xyY[keep][:GENERALISATION_SIZE]
    spec = generated.specification[keep][:GENERALISATION_SIZE]
    sets["generalisation"] = EvaluationSet("generalisation", xyY, spec, np.ones(len(xyY), bool))
    return sets


def _stats(delta_e: np.ndarray) -> dict:
    finite = delta_e[np.isfinite(delta_e)]
    if not len(finite):
        return dict(delta_e_mean=None, delta_e_median=None, delta_e_p95=None, delta_e_max=None)
    return dict(
        delta_e_mean=float(np.mean(finite)),
        delta_e_median=float(np.median(finite)),
        delta_e_p95=float(np.percentile(finite, 95)),
        delta_e_max=float(np.max(finite)),
    )


def _delta_e(xyY_1: np.ndarray, xyY_2: np.ndarray) -> np.ndarray:
    return np.asarray(delta_E_CIE2000(xyY_to_Lab(xyY_1), xyY_to_Lab(xyY_2)))


def bound_metrics(delta_e: np.ndarray, bound: np.ndarray) -> dict:
    """How well a Delta-E bound tells each colour's error, over the rows with
    both: ``bound_coverage`` (the fraction whose actual round-trip CIEDE2000
    is within the bound; a 90% bound should cover 0.9), ``bound_spearman``
    (rank correlation between bound and actual error: does a larger bound mean
    a larger error) and ``bound_mean``."""
    from scipy.stats import spearmanr

    rows = np.isfinite(delta_e) & np.isfinite(bound)
    if rows.sum() < 2:
        return dict(bound_coverage=None, bound_spearman=None, bound_mean=None)
    return dict(
        bound_coverage=float(np.mean(delta_e[rows] <= bound[rows])),
        bound_spearman=float(spearmanr(bound[rows], delta_e[rows]).statistic),
        bound_mean=float(np.mean(bound[rows])),
    )


def protocol(
    direction: str,
    prediction: np.ndarray,
    colours: EvaluationSet,
    bound: np.ndarray | None = None,
) -> tuple[dict, dict]:
    """Score predictions for ``colours`` by the protocol.

    Args:
      direction: ``"from_xyY"`` (``prediction`` are specifications ``[N, 4]``
        for ``colours.xyY``) or ``"to_xyY"`` (xyY ``[N, 3]`` for
        ``colours.specification``).
      prediction: the predictor's raw output, NaN where it gave none.
      colours: an ``EvaluationSet``.
      bound: ``[N]`` a probabilistic converter's Delta-E bounds (from_xyY):
        adds ``bound_metrics`` and the per-row ``bound``.

    Returns:
      ``(metrics, rows)``: a dict of scalars (see the module docstring) and a
      dict of per-row arrays (``delta_e`` and, for from_xyY, the predicted and
      the projected specification) for plots.
    """
    prediction = np.asarray(prediction, np.float64)
    n = len(colours.xyY)
    if prediction.shape[0] != n:
        raise ValueError(f"{prediction.shape[0]} predictions for {n} colours")
    has = np.isfinite(prediction).all(axis=1)
    if direction == "to_xyY":
        target = np.asarray(munsell_to_xyY(colours.specification))
        delta_e = np.where(has, _delta_e(target, np.where(has[:, None], prediction, 0.5)), np.nan)
        mae = (
            np.nanmean(np.abs(prediction[has] - target[has]), axis=0) if has.any() else [np.nan] * 3
        )
        metrics = dict(
            n=n,
            n_nan=int(np.sum(~has)),
            **_stats(delta_e),
            x_mae=float(mae[0]),
            y_mae=float(mae[1]),
            Y_mae=float(mae[2]),
        )
        return metrics, {"delta_e": delta_e, "prediction": prediction}
    if direction != "from_xyY":
        raise ValueError(f"direction must be 'from_xyY' or 'to_xyY', not {direction!r}")

    inside = has & np.asarray(renotation_valid(np.where(has[:, None], prediction, 0.0)))
    projected = np.asarray(project_to_renotation(np.where(has[:, None], prediction, np.nan)))
    xyY = np.asarray(munsell_to_xyY(np.where(has[:, None], projected, 0.0)))
    delta_e = np.where(has, _delta_e(colours.xyY, xyY), np.nan)

    truth = colours.specification
    rows = colours.ok & has & (truth[:, 2] > 0)
    p, t = prediction[rows], truth[rows]
    hue_diff = np.abs(
        np.mod(astm_hue(p[:, 0], p[:, 3]) - astm_hue(t[:, 0], t[:, 3]) + 50, 100) - 50
    )
    metrics = dict(
        n=n,
        n_nan=int(np.sum(~has)),
        n_outside=int(np.sum(has & ~inside)),
        **_stats(delta_e),
        code_accuracy=float(np.mean(p[:, 3] == t[:, 3])) if len(p) else None,
        hue_family_errors=int(np.sum(hue_diff >= 2.5)),
        chromatic_rows=int(np.sum(t[:, 2] >= 0.5)),
        chromatic_family_errors=int(np.sum((hue_diff >= 2.5) & (t[:, 2] >= 0.5))),
        hue_mae=float(np.mean(hue_diff)) if len(p) else None,
        value_mae=float(np.mean(np.abs(p[:, 1] - t[:, 1]))) if len(p) else None,
        chroma_mae=float(np.mean(np.abs(p[:, 2] - t[:, 2]))) if len(p) else None,
    )
    out = {"delta_e": delta_e, "prediction": prediction, "projected": projected}
    if bound is not None:
        bound = np.asarray(bound, np.float64)
        metrics |= bound_metrics(delta_e, bound)
        out["bound"] = bound
    return metrics, out


def evaluate(
    direction: str,
    predict: Callable[[np.ndarray], np.ndarray],
    *,
    timing: bool = True,
) -> tuple[dict, dict]:
    """The protocol on both evaluation sets, with timings of ``predict``.

    ``predict`` maps raw inputs (xyY ``[N, 3]``, or specifications ``[N, 4]``)
    to raw outputs. Returns ``(metrics, rows)``: ``metrics[set]`` per set plus
    ``ms_per_sample_batch_2734`` and ``ms_per_sample_batch_1`` (best of 5 after
    warm-up; with ``timing``), and ``rows[set]`` per-row arrays.
    """
    metrics: dict = {}
    rows: dict = {}
    for name, colours in evaluation_sets().items():
        inputs = colours.xyY if direction == "from_xyY" else colours.specification
        out = predict(inputs)
        bound = None
        if isinstance(out, BoundedPrediction):  # a probabilistic converter
            out, bound = out
        metrics[name], rows[name] = protocol(direction, np.asarray(out), colours, bound)
    if timing:
        inputs = evaluation_sets()["real"]
        inputs = inputs.xyY if direction == "from_xyY" else inputs.specification
        metrics["ms_per_sample_batch_2734"] = 1e3 * time_jax(predict, inputs)
        metrics["ms_per_sample_batch_1"] = 1e3 * time_jax(predict, inputs[:1], repeats=20)
    return metrics, rows


def real_held_out(config, *, results: str | Path = "results") -> bool:
    """Whether the REAL colours are held out from a model's training.

    They are when neither the model's data nor that of any run it was fine-tuned
    from (``init_from``, followed through the ``config.json`` of the run itself,
    its record under ``results`` or the shipped model) centres on them
    (``data.centres_on_real``). A chain with a run whose config is not recorded
    counts as not held out.
    """
    from munsell_jax.hub import model_folder
    from munsell_jax.lab.data import centres_on_real

    seen: set[str] = set()
    while True:
        if centres_on_real(config["data"]["name"]):
            return False
        start = config.get("init_from") or ""
        if not start:
            return True
        if start in seen:  # a loop in the records: nothing can be proved
            return False
        seen.add(start)
        folder = Path(start)
        candidates = [folder, Path(results) / folder.parent.name / folder.name]
        candidates.append(Path(results) / "zoo" / folder.parent.name / folder.name)
        try:
            candidates.append(model_folder(f"{folder.parent.name}/{folder.name}"))
        except (ValueError, FileNotFoundError):
            pass
        found = next((c / "config.json" for c in candidates if (c / "config.json").exists()), None)
        if found is None:
            return False
        config = json.loads(found.read_text())


def mark_held_out(metrics: dict, real: bool | None) -> dict:
    """Set ``held_out`` in ``metrics["real"]`` (``real``: see ``real_held_out``;
    None for the exact engine) and ``metrics["generalisation"]`` (always held
    out, but for the exact engine: None). Returns ``metrics``."""
    for name, held_out in (("real", real), ("generalisation", None if real is None else True)):
        if isinstance(metrics.get(name), dict):
            metrics[name]["held_out"] = held_out
    return metrics


def write_results(folder: str | Path, metrics: dict, rows: dict) -> None:
    """``folder/metrics.json`` and ``folder/evaluation.npz`` (``rows[set][name]``
    saved as ``<set>_<name>``, float32): what ``munsell-jax report`` reads."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
    np.savez_compressed(
        folder / "evaluation.npz",
        **{f"{s}_{k}": np.asarray(v, np.float32) for s, r in rows.items() for k, v in r.items()},
    )


def evaluate_run(
    path: str | Path,
    *,
    timing: bool = True,
    log: str | Path | None = None,
    out: str | Path | None = None,
) -> dict:
    """Evaluate a run directory, a model folder or a shipped model; write
    ``metrics.json`` and ``evaluation.npz`` (per-row Delta-E and predictions)
    to ``out`` (default: beside it). ``log`` is the training log
    (``metrics.jsonl``, default the folder's own) its epochs and time come from."""
    from munsell_jax.hub import model_folder, predictor
    from munsell_jax.lab.train import load_run
    from munsell_jax.nn import count_parameters

    path = model_folder(path)
    model, config = load_run(path)
    metrics, rows = evaluate(config.direction, predictor(model, config), timing=timing)
    if timing and (path / "model.onnx").exists():
        from munsell_jax.hub import load_model

        run = load_model(path, backend="onnx")
        real = evaluation_sets()["real"]
        inputs = (real.xyY if config.direction == "from_xyY" else real.specification).astype(
            np.float32
        )
        metrics["onnx_ms_per_sample_batch_2734"] = 1e3 * time_jax(run, inputs)
        metrics["onnx_ms_per_sample_batch_1"] = 1e3 * time_jax(run, inputs[:1], repeats=20)
    out = Path(out) if out is not None else path
    log = Path(log) if log is not None else path / "metrics.jsonl"
    training = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    record = {
        "epochs": len(training),
        "training_seconds": round(sum(m["seconds"] for m in training), 1),
    }
    if not training and (out / "metrics.json").exists():
        # A shipped model folder has no training log: keep the record it came with.
        previous = json.loads((out / "metrics.json").read_text())
        record = {key: previous.get(key, value) for key, value in record.items()}
    metrics = {
        "name": path.name,
        "direction": config.direction,
        "architecture": config.get("architecture", config.model.name),
        "encoding": config.get("encoding", "regression")
        if config.direction == "from_xyY"
        else None,
        "parameters": count_parameters(model),
        "data": f"{config.data.name} {config.data.size:,} (seed {config.data.seed})",
        "seed": config.seed,
        **record,
        "device": f"{jax.default_backend()} ({jax.devices()[0].device_kind})",
        "git_commit": git_commit(),
        **metrics,
    }
    mark_held_out(metrics, real_held_out(config.to_dict()))
    write_results(out, metrics, rows)
    return metrics
