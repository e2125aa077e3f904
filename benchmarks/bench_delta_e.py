"""Benchmark: jitted CIEDE2000 (munsell_jax) against colour-science's vectorised numpy.

    python benchmarks/bench_delta_e.py [--n 1000000] [--repeats 5] [--colour-n N]
        [--out results/benchmarks/delta_e.md]

Both run on the same random Lab pairs (L in [0, 100], a and b in [-128, 128],
seed 0), in one call over every pair. Both sides get the same treatment: one
warm-up call on the same pairs (for JAX it compiles), then the best of
``--repeats`` timed calls (JAX with ``block_until_ready``); colour-science on
the first ``--colour-n`` pairs (all of them by default). Per-pair times and
the ratio colour / munsell_jax go to stdout and, in markdown, to ``--out``
(``-``: stdout only); ratios are what compare across machines.
"""

from __future__ import annotations

import argparse
import time

import colour
import jax
import numpy as np
from _output import RESULTS, SHARED_MACHINE, publish

from munsell_jax.colorimetry import delta_E_CIE2000


def best_time(fn, repeats: int) -> float:
    """Best wall time of ``repeats`` calls of ``fn``, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def random_lab(rng: np.random.Generator, n: int) -> np.ndarray:
    return np.stack(
        [rng.uniform(0, 100, n), rng.uniform(-128, 128, n), rng.uniform(-128, 128, n)], axis=-1
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="number of Lab pairs")
    parser.add_argument("--repeats", type=int, default=5, help="timed calls; the best is kept")
    parser.add_argument(
        "--colour-n", type=int, default=None, help="pairs given to colour-science (default: --n)"
    )
    parser.add_argument(
        "--out",
        default=str(RESULTS / "delta_e.md"),
        help="markdown file for the table ('-': stdout only)",
    )
    args = parser.parse_args(argv)
    jax.config.update("jax_enable_x64", True)  # float64 too, as colour-science computes
    n = args.n
    n_colour = min(args.colour_n or n, n)

    rng = np.random.default_rng(0)
    Lab_1, Lab_2 = random_lab(rng, n), random_lab(rng, n)
    delta_E = jax.jit(delta_E_CIE2000)

    rows = []  # (implementation, dtype, pairs, seconds)
    results = {}
    for dtype in (np.float32, np.float64):
        x_1, x_2 = jax.device_put(Lab_1.astype(dtype)), jax.device_put(Lab_2.astype(dtype))
        results[dtype] = np.asarray(delta_E(x_1, x_2).block_until_ready())  # compile, warm up
        seconds = best_time(
            lambda x_1=x_1, x_2=x_2: delta_E(x_1, x_2).block_until_ready(), args.repeats
        )
        rows.append(("munsell_jax (jit)", np.dtype(dtype).name, n, seconds))

    subset_1, subset_2 = Lab_1[:n_colour], Lab_2[:n_colour]
    reference = colour.delta_E(subset_1, subset_2, method="CIE 2000")  # warm-up
    colour_seconds = best_time(
        lambda: colour.delta_E(subset_1, subset_2, method="CIE 2000"), args.repeats
    )
    rows.append(("colour-science (numpy)", "float64", n_colour, colour_seconds))

    colour_per_pair = colour_seconds / n_colour
    lines = [
        "| implementation | dtype | pairs | best call (ms) | per pair (ns) | colour / this |",
        "|---|---|---|---|---|---|",
    ]
    for name, dtype, pairs, seconds in rows:
        per_pair = seconds / pairs
        lines.append(
            f"| {name} | {dtype} | {pairs:,} | {seconds * 1e3:.2f} | {per_pair * 1e9:.1f} "
            f"| {colour_per_pair / per_pair:.1f}x |"
        )
    lines.append("")
    for dtype, values in results.items():
        error = np.max(np.abs(values[:n_colour] - reference))
        lines.append(
            f"- largest difference, munsell_jax {np.dtype(dtype).name} against colour-science: "
            f"{error:.2e}"
        )
    notes = [
        f"CIEDE2000 on {n:,} random Lab pairs (L in [0, 100], a and b in [-128, 128], seed 0), "
        f"one call over all of them ({n_colour:,} for colour-science); munsell_jax jitted on "
        f"the default JAX device ({jax.devices()[0].platform}), colour-science "
        '`colour.delta_E(method="CIE 2000")` (vectorised numpy, float64). Both sides: one '
        f"warm-up call on the same pairs (munsell_jax's compiles), then the best of "
        f"{args.repeats} timed calls.",
        SHARED_MACHINE,
    ]
    command = f"python benchmarks/bench_delta_e.py --n {n} --repeats {args.repeats}"
    if n_colour != n:
        command += f" --colour-n {n_colour}"
    publish(args.out, "CIEDE2000: munsell_jax against colour-science", command, lines, notes=notes)


if __name__ == "__main__":
    main()
