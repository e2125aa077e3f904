"""Every architecture of the zoo at the CPU budget: the rows of ``results/zoo``.

    .venv/bin/python scripts/train_zoo.py [--direction to_xyY] [--only multi_head ...]

Trains each zoo config (``configs/<direction>/<name>.py`` with a ``budget``
argument) as ``<name>.py:cpu`` (``munsell_jax.lab.train.with_budget``: about two
CPU-minutes each, 200,000 grid or forward samples) in ``runs/zoo/<direction>/<name>``
(resuming when stopped; skipped when its row is already there), evaluates it
by the protocol (JAX timing, no ONNX) and keeps ``metrics.json``,
``metrics.jsonl`` and ``config.json`` in ``results/zoo/<direction>/<name>/``.
``munsell-jax report`` tables them. About an hour on a 2-core CPU.
"""

from __future__ import annotations

import argparse
import inspect
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "results" / "zoo"


def zoo_configs() -> list[Path]:
    """The config files whose ``get_config`` takes a ``budget``."""
    from munsell_jax.lab.experiments import config_module

    found = []
    for path in sorted((ROOT / "configs").glob("*_xyY/*.py")):
        if "budget" in inspect.signature(config_module(path).get_config).parameters:
            found.append(path)
    return found


def run(path: Path, runs: Path) -> None:
    from munsell_jax.lab.evaluate import evaluate_run
    from munsell_jax.lab.experiments import config_module
    from munsell_jax.lab.train import train_and_evaluate

    direction, name = path.parent.name, path.stem
    out = RESULTS / direction / name
    if (out / "metrics.json").exists():
        return
    workdir = runs / direction / name
    print(f"== {direction}/{name}", flush=True)
    train_and_evaluate(config_module(path).get_config("cpu"), workdir)
    evaluate_run(workdir)
    out.mkdir(parents=True, exist_ok=True)
    for file in ("metrics.json", "metrics.jsonl", "config.json"):
        if (workdir / file).exists():
            shutil.copy(workdir / file, out / file)


def main() -> None:
    import jax

    jax.config.update("jax_enable_x64", True)  # labels and evaluation in float64
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="config names (file stems) to train")
    parser.add_argument("--direction", choices=("from_xyY", "to_xyY"), help="one direction only")
    parser.add_argument("--runs", default="runs/zoo", help="run folders")
    args = parser.parse_args()
    for path in zoo_configs():
        if args.only and path.stem not in args.only:
            continue
        if args.direction and path.parent.name != args.direction:
            continue
        run(path, Path(args.runs))


if __name__ == "__main__":
    main()
