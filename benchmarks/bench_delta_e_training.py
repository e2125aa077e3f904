"""Stability of Delta-E round-trip training: 10,000 steps of the smoke config with
the CIEDE2000 round trip through the exact engine, learning rate 3e-4, float32.

    .venv/bin/python benchmarks/bench_delta_e_training.py [--steps 10000] [--forward exact]

Prints the loss every few hundred epochs, the wall time, and whether any step's
loss was NaN (the run raises FloatingPointError if one was). The published
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--forward", default="exact", choices=("exact", "approximator"))
    parser.add_argument("--learning-rate", type=float, default=3e-4)
    args = parser.parse_args()
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
    print(
        f"\n{steps:,} steps ({len(lines)} epochs) at learning rate {args.learning_rate}, "
        f"forward {args.forward}: every loss finite: {finite}; first epoch "
        f"{lines[0]['train_loss']:.4f}, last {lines[-1]['train_loss']:.4f} "
        f"(val {lines[-1]['val_loss']:.4f}); {seconds:.0f} s"
    )


if __name__ == "__main__":
    main()
