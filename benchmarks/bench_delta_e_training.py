"""Stability of Delta-E round-trip training: 10,000 steps of the smoke config with
the CIEDE2000 round trip through the exact engine, learning rate 3e-4, float32.

    .venv/bin/python benchmarks/bench_delta_e_training.py [--steps 10000] [--forward exact]
        [--out results/benchmarks/delta_e_training.md]

Writes the steps (whole epochs: 10,000 rounds up to 10,010), the wall time
(data, compilation and evaluation included), whether every epoch's training
and validation loss was finite (the run raises FloatingPointError on a NaN),
and the first and last losses to stdout and, in markdown, to ``--out`` (``-``:
stdout only; the default file only for the default settings). The published
approximator-based training needed a learning rate of 1e-4 to avoid NaN.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import tempfile
import time
from pathlib import Path

import jax
from _output import RESULTS, SHARED_MACHINE, write_markdown

DEFAULTS = {"steps": 10_000, "forward": "exact", "learning_rate": 3e-4}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=DEFAULTS["steps"])
    parser.add_argument("--forward", default=DEFAULTS["forward"], choices=("exact", "approximator"))
    parser.add_argument("--learning-rate", type=float, default=DEFAULTS["learning_rate"])
    parser.add_argument(
        "--out",
        default=None,
        help="markdown file ('-': stdout only; default results/benchmarks/delta_e_training.md "
        "with the default settings, stdout only otherwise)",
    )
    args = parser.parse_args()
    default = all(getattr(args, key) == value for key, value in DEFAULTS.items())
    out = args.out or (str(RESULTS / "delta_e_training.md") if default else "-")
    jax.config.update("jax_enable_x64", True)
    from munsell_jax.lab.train import train_and_evaluate

    path = Path(__file__).parents[1] / "configs" / "smoke.py"
    spec = importlib.util.spec_from_file_location("smoke", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    config = module.get_config()
    config.loss = {"delta_e_weight": 1.0, "forward": args.forward}
    config.opt.learning_rate = args.learning_rate
    config.opt.early_stopping_patience = 10**9
    config.progress = False
    rows = int(config.data.size * (1 - config.data.validation_fraction))
    steps_per_epoch = rows // config.opt.batch_size
    config.opt.epochs = math.ceil(args.steps / steps_per_epoch)
    workdir = Path(tempfile.mkdtemp())
    start = time.perf_counter()
    train_and_evaluate(config, workdir)
    seconds = time.perf_counter() - start
    lines = [json.loads(line) for line in (workdir / "metrics.jsonl").read_text().splitlines()]
    finite = all(math.isfinite(m["train_loss"]) and math.isfinite(m["val_loss"]) for m in lines)
    steps = len(lines) * steps_per_epoch
    table = [
        "| steps | epochs | seconds | every loss finite | first epoch's train loss "
        "| last epoch's train loss | last epoch's validation loss |",
        "|---|---|---|---|---|---|---|",
        f"| {steps:,} | {len(lines)} | {seconds:.0f} | {'yes' if finite else 'no'} "
        f"| {lines[0]['train_loss']:.4f} | {lines[-1]['train_loss']:.4f} "
        f"| {lines[-1]['val_loss']:.4f} |",
    ]
    notes = [
        f"The smoke config (`configs/smoke.py`: an MLP 32-32, xyY -> Munsell, "
        f"{config.data.size:,} forward samples, {rows:,} of them trained on, batch "
        f"{config.opt.batch_size}, {steps_per_epoch} steps per epoch) with the CIEDE2000 round "
        f"trip through the {args.forward} forward as its loss (`delta_e_weight` 1.0), learning "
        f"rate {args.learning_rate:g}, float32, early stopping off, for {args.steps:,} steps "
        f"rounded up to whole epochs. Seconds: the whole `train_and_evaluate` call, one run "
        f"(data, compilation and evaluation included; {jax.devices()[0].device_kind}).",
        SHARED_MACHINE,
    ]
    command = "python benchmarks/bench_delta_e_training.py"
    if not default:
        command += (
            f" --steps {args.steps} --forward {args.forward} --learning-rate {args.learning_rate:g}"
        )
    text = write_markdown(
        out,
        "Delta-E round-trip training: stability and time",
        command,
        table,
        notes=notes,
    )
    print(f"\n{text}")
    if out != "-":
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
