"""Benchmark: jitted CIEDE2000 (munsell_jax) against colour-science's vectorised numpy.

    python benchmarks/bench_delta_e.py [--n 1000000] [--repeats 5] [--colour-n N]

Both run on the same random Lab pairs (L in [0, 100], a and b in [-128, 128],
seed 0). JAX is timed after a warm-up call (compilation), with
``block_until_ready``, best of ``--repeats``; colour-science likewise on the
first ``--colour-n`` pairs (all of them by default). Per-pair times and the
ratio colour / munsell_jax are printed; ratios are what compare across machines.
"""

from __future__ import annotations

import argparse
import platform
import time

import colour
import jax
import numpy as np

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
    reference = colour.delta_E(subset_1, subset_2, method="CIE 2000")
    colour_seconds = best_time(
        lambda: colour.delta_E(subset_1, subset_2, method="CIE 2000"), args.repeats
    )
    rows.append(("colour-science", "float64", n_colour, colour_seconds))

    colour_per_pair = colour_seconds / n_colour
    device = jax.devices()[0]
    print(
        f"CIEDE2000 on {n:,} random Lab pairs; jax {jax.__version__} on "
        f"{device.platform} ({device.device_kind}), colour-science {colour.__version__}, "
        f"{platform.processor() or platform.machine()}"
    )
    header = ("implementation", "dtype", "pairs", "best (ms)", "per pair (ns)", "colour / this")
    print(
        f"{header[0]:<18} {header[1]:<8} {header[2]:>10} {header[3]:>10} "
        f"{header[4]:>14} {header[5]:>14}"
    )
    for name, dtype, pairs, seconds in rows:
        per_pair = seconds / pairs
        print(
            f"{name:<18} {dtype:<8} {pairs:>10,} {seconds * 1e3:>10.2f} "
            f"{per_pair * 1e9:>14.2f} {colour_per_pair / per_pair:>14.1f}"
        )
    for dtype, values in results.items():
        error = np.max(np.abs(values[:n_colour] - reference))
        print(f"max |munsell_jax {np.dtype(dtype).name} - colour| = {error:.2e}")


if __name__ == "__main__":
    main()
