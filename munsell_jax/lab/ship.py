"""Ship a finished run inside the package, per the shipped-model contract.

``ship(run, name)`` writes ``munsell_jax/models/<direction>/<name>/`` (the
config, the inference parameters as ``params.npz`` without optimiser state,
``model.onnx`` and ``metrics.json``) and keeps the record in
``results/<direction>/<name>/`` (config, training log, metrics and per-row
evaluation: no weights). Add the name to ``munsell_jax.hub.SHIPPED`` to list it.
Replace a shipped model only when its metrics improve.

``record(run, name)`` writes only that record, for every trained model that is
not shipped: its table row stays reproducible from its config, and no clone
carries its weights.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from munsell_jax.hub import MODELS, PARAMS, bounded, build_model, load_params, save_params

__all__ = ["record", "ship"]


def record(run: str | Path, name: str, *, results: str | Path = "results") -> Path:
    """Evaluate the best checkpoint of ``run`` and write its record to
    ``results/<direction>/<name>``: ``config.json``, ``metrics.jsonl`` (the
    training log), ``metrics.json`` and ``evaluation.npz``; no weights.
    Returns the folder."""
    from munsell_jax.lab.evaluate import evaluate_run

    run = Path(run)
    direction = json.loads((run / "config.json").read_text())["direction"]
    folder = _fresh(Path(results) / direction / name)
    shutil.copy(run / "config.json", folder / "config.json")
    shutil.copy(run / "metrics.jsonl", folder / "metrics.jsonl")
    evaluate_run(run, log=folder / "metrics.jsonl", out=folder)
    return folder


def _fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def ship(
    run: str | Path,
    name: str,
    *,
    results: str | Path = "results",
    models: str | Path = MODELS,
    precision: str | None = None,
) -> Path:
    """Copy the best checkpoint of ``run`` into ``models/<direction>/<name>`` as
    inference parameters, export its ONNX graph (in ``precision``, default the
    run's ``inference_precision``; see ``munsell_jax.lab.export.export``),
    evaluate it (ONNX timings included) and write the record to
    ``results/<direction>/<name>``. A probabilistic model's Delta-E bound is
    calibrated first (``munsell_jax.lab.calibrate``): the calibrator's
    width and its calibration data go into the shipped config, its parameters
    into ``params.npz``. Returns the package folder."""
    from munsell_jax.lab.evaluate import evaluate_run
    from munsell_jax.lab.export import export
    from munsell_jax.lab.train import load_run

    run = Path(run)
    config = json.loads((run / "config.json").read_text())
    if precision is not None:
        config["inference_precision"] = precision
    direction = config["direction"]
    package = _fresh(Path(models) / direction / name)
    record_folder = _fresh(Path(results) / direction / name)
    (package / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    shutil.copy(package / "config.json", record_folder / "config.json")
    shutil.copy(run / "metrics.jsonl", record_folder / "metrics.jsonl")
    network, _ = load_run(run)
    if bounded(config):  # a probabilistic model: calibrate its Delta-E bound
        from munsell_jax.lab.calibrate import calibrate

        network, config = calibrate(network, config)
        (package / "config.json").write_text(json.dumps(config, indent=2) + "\n")
        shutil.copy(package / "config.json", record_folder / "config.json")
    # Reloaded through the shipped config: the package is what a user loads.
    network = load_params(build_model(config), save_params(network, package / PARAMS))
    export(package)
    evaluate_run(package, log=record_folder / "metrics.jsonl", out=record_folder)
    shutil.copy(record_folder / "metrics.json", package / "metrics.json")
    return package
