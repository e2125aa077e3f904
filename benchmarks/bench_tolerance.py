"""The probabilistic model's answer where its bound allows, the exact solve elsewhere.

    .venv/bin/python benchmarks/bench_tolerance.py [--model from_xyY/probabilistic]
        [--out results/benchmarks/tolerance.md]

On the 2,734 REAL colours and the 2,734 random valid colours of the
generalisation set (float64 in), for tolerances of CIEDE2000 0.1 to 1.0:
``xyY_to_munsell(xyY, init="model", tolerance=t)`` keeps the model's answer
where its Delta-E bound is within ``t`` and runs the cell walk on the rest.
Per tolerance: the share of rows refined; among the rows kept, the share
whose actual round-trip CIEDE2000 is within ``t`` and the largest; over all
rows, the share within ``t``; and the time of one call at batch 2,734
against the cell walk on every row (``xyY_to_munsell(xyY)``, every row
exact) and against the model alone. Times: warm calls, best of ``REPEATS``
taken in rounds over all the calls.

Figures and ratios are printed; nothing is asserted.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import jax
import numpy as np

jax.config.update("jax_enable_x64", True)

from _output import SHARED_MACHINE, write_markdown  # noqa: E402

from munsell_jax import inverse, munsell_to_xyY, xyY_to_munsell  # noqa: E402
from munsell_jax.colorimetry import delta_E_CIE2000, xyY_to_Lab  # noqa: E402
from munsell_jax.hub import load_model  # noqa: E402
from munsell_jax.lab.evaluate import evaluation_sets  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TOLERANCES = (0.1, 0.2, 0.3, 0.5, 1.0)
REPEATS = 10


def _delta_e(xyY_1, xyY_2) -> np.ndarray:
    return np.asarray(delta_E_CIE2000(xyY_to_Lab(xyY_1), xyY_to_Lab(xyY_2)))


def _best(calls: dict) -> dict[str, float]:
    """Seconds per call, best of ``REPEATS`` rounds over every call (each warm)."""
    for call in calls.values():
        jax.block_until_ready(call())
    best = dict.fromkeys(calls, np.inf)
    for _ in range(REPEATS):
        for name, call in calls.items():
            start = time.perf_counter()
            jax.block_until_ready(call())
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=inverse.BOUNDED_MODEL, help="a probabilistic model")
    parser.add_argument("--out", default=str(ROOT / "results" / "benchmarks" / "tolerance.md"))
    args = parser.parse_args()
    predict = load_model(args.model)
    lines = [
        f"Model `{args.model}`; batch 2,734, float64 in. Refined: rows whose bound exceeds the "
        "tolerance (the cell walk answers them exactly). Kept within: the share of the rows "
        "kept whose actual round-trip CIEDE2000 is within the tolerance; all within: the same "
        "over every row. Times: one call, best of "
        f"{REPEATS} warm calls in rounds. {SHARED_MACHINE}",
        "",
    ]
    for name, colours in evaluation_sets().items():
        xyY = np.asarray(colours.xyY, np.float64)
        calls = {
            "cell walk, every row": lambda xyY=xyY: xyY_to_munsell(xyY).specification,
            "model alone": lambda xyY=xyY: predict(xyY.astype(np.float32)).specification,
        }
        for t in TOLERANCES:
            calls[t] = lambda xyY=xyY, t=t: (
                xyY_to_munsell(xyY, init="model", tolerance=t).specification
            )
        seconds = _best(calls)
        bound = predict(xyY.astype(np.float32)).delta_e_bound
        walk_ms = 1e3 * seconds["cell walk, every row"]
        lines += [
            f"## {name} ({len(xyY):,} colours)",
            "",
            f"Cell walk on every row: {walk_ms:.2f} ms; the model alone: "
            f"{1e3 * seconds['model alone']:.2f} ms.",
            "",
            "| tolerance | refined | kept within | kept max | all within | ms | vs cell walk |",
            "|---|---|---|---|---|---|---|",
        ]
        for t in TOLERANCES:
            spec = np.asarray(xyY_to_munsell(xyY, init="model", tolerance=t).specification)
            delta_e = np.nan_to_num(_delta_e(munsell_to_xyY(spec), xyY), nan=np.inf)
            kept = np.asarray(bound) <= t
            lines.append(
                f"| {t:g} | {100 * np.mean(~kept):.1f}% | "
                f"{100 * np.mean(delta_e[kept] <= t):.1f}% | "
                f"{delta_e[kept].max() if kept.any() else float('nan'):.3f} | "
                f"{100 * np.mean(delta_e <= t):.1f}% | {1e3 * seconds[t]:.2f} | "
                f"{walk_ms / (1e3 * seconds[t]):.2f}x |"
            )
        lines.append("")
        print("\n".join(lines[-len(TOLERANCES) - 7 :]), flush=True)
    if args.out != "-":
        write_markdown(
            args.out,
            "A tolerance: the model where its bound allows, the exact solve elsewhere",
            "python benchmarks/bench_tolerance.py",
            lines,
        )
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
