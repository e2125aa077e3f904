"""Run the variants of a ``path:VARIANT`` experiment config and collect their metrics.

The experiment scripts (``scripts/delta_e_experiments.py``,
``scripts/side_experiments.py``) train each variant in ``runs/.../<variant>``
(resuming a stopped one), evaluate it by the protocol without timing, and keep
its ``metrics.json``, ``metrics.jsonl`` and ``config.json`` under
``results/experiments/<name>/<variant>/``, where the tables are written from.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

__all__ = ["config_module", "load_results", "main", "run_variant"]


def config_module(path: str | Path) -> ModuleType:
    """The config file at ``path`` as a module (its ``get_config`` and ``VARIANTS``)."""
    spec = importlib.util.spec_from_file_location(f"experiment_{Path(path).stem}", path)
    if spec is None or not Path(path).is_file():
        raise FileNotFoundError(f"no config file {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_variant(config_path: str | Path, variant: str, runs: str | Path, results: str | Path):
    """Train ``variant`` of the config at ``config_path`` in ``runs/<variant>``, evaluate
    it (no timing) and copy its metrics to ``results/<variant>/``; returns the metrics.

    A variant whose results are already there is skipped (delete them to rerun).
    """
    import jax

    jax.config.update("jax_enable_x64", True)  # labels and evaluation in float64
    from munsell_jax.lab.evaluate import evaluate_run
    from munsell_jax.lab.train import train_and_evaluate

    out = Path(results) / variant
    if (out / "metrics.json").exists():
        return json.loads((out / "metrics.json").read_text())
    config = config_module(config_path).get_config(variant)
    workdir = Path(runs) / variant
    train_and_evaluate(config, workdir)
    metrics = evaluate_run(workdir, timing=False)
    out.mkdir(parents=True, exist_ok=True)
    for name in ("metrics.json", "metrics.jsonl", "config.json"):
        if (workdir / name).exists():
            shutil.copy(workdir / name, out / name)
    return metrics


def load_results(results: str | Path) -> dict[str, dict]:
    """``{variant: metrics}`` for every ``results/<variant>/metrics.json``."""
    return {
        p.parent.name: json.loads(p.read_text())
        for p in sorted(Path(results).glob("*/metrics.json"))
    }


def main(
    description: str,
    config_path: str | Path,
    results: str | Path,
    runs: str,
    write_tables: Callable[[], str],
) -> None:
    """The command line of an experiment script: ``[--variants ...] [--runs DIR]
    [--table-only]``; trains what is missing, rewriting the tables after each
    variant, then prints them."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--variants", nargs="*", default=list(config_module(config_path).VARIANTS))
    parser.add_argument("--runs", default=runs, help="run folders")
    parser.add_argument("--table-only", action="store_true", help="only rewrite the tables")
    args = parser.parse_args()
    Path(results).mkdir(parents=True, exist_ok=True)
    if not args.table_only:
        for variant in args.variants:
            run_variant(config_path, variant, args.runs, results)
            write_tables()
    print(write_tables())
