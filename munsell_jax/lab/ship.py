"""Ship a finished run inside the package, per the shipped-model contract.

``ship(run, name)`` writes ``munsell_jax/models/<direction>/<name>/`` (the
config, the inference parameters as ``params.npz`` without optimiser state,
``model.onnx`` and ``metrics.json``) and keeps the record in
``results/<direction>/<name>/`` (config, training log, metrics and per-row
evaluation: no weights). Add the name to ``munsell_jax.hub.SHIPPED`` to list it.
Replace a shipped model only when its metrics improve.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from munsell_jax.hub import MODELS, PARAMS, save_params

__all__ = ["ship"]


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
    ``results/<direction>/<name>``. Returns the package folder."""
    from munsell_jax.lab.evaluate import evaluate_run
    from munsell_jax.lab.export import export
    from munsell_jax.lab.train import load_run

    run = Path(run)
    config = json.loads((run / "config.json").read_text())
    if precision is not None:
        config["inference_precision"] = precision
    direction = config["direction"]
    package, record = Path(models) / direction / name, Path(results) / direction / name
    for folder in (package, record):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    (package / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    shutil.copy(package / "config.json", record / "config.json")
    shutil.copy(run / "metrics.jsonl", record / "metrics.jsonl")
    network, _ = load_run(run)
    save_params(network, package / PARAMS)
    export(package)
    evaluate_run(package, log=record / "metrics.jsonl", out=record)
    shutil.copy(record / "metrics.json", package / "metrics.json")
    return package
