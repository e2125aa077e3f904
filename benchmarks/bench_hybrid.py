"""The exact hybrid: Newton steps from a shipped model's guess against the table's guess.

    .venv/bin/python benchmarks/bench_hybrid.py [--out results/benchmarks/hybrid.md]
    .venv/bin/python benchmarks/bench_hybrid.py --model from_xyY/mlp_base_cartesian --out -
    .venv/bin/python benchmarks/bench_hybrid.py --oracle 0.01 0.03 0.1 0.3

On the 2,734 REAL colours and the 2,734 random valid colours of the
generalisation set (float64), for the table's start and the model's
(``init="table"`` and ``init="model"``), with and without the retry pass
(``retries=True | False``), for ``iterations`` k = 1..8:

- the rows with an exact answer still above CIEDE2000 1e-3 (between the input
  and the exact forward of the answer); a row has an exact answer when the
  default solve (table, 8 iterations, retries) brings it within 1e-3 (the
  REAL colours beyond the data and in colour-science's snap gaps have none;
  the snap-gap rows are ``ok``, within 1e-4 in xy, but above 1e-3);
- the largest CIEDE2000 over those rows;
- the rows the Newton iterations leave above 1e-7 in xy: those the retry
  pass solves again (five more solves of k iterations and an edge search
  each), which is where its time goes;
- the time of one call at batch 2,734: warm (compiled and run once), best of
  5, the same for every row, the 5 taken in rounds over all the calls; the
  model's guesses are computed once outside the timed calls (``init=`` the
  guesses), and the model's own inference (timed in the same rounds) is
  reported apart;

then, per start and retry setting, the smallest k that leaves no row with an
exact answer above 1e-3, and, without retries, the mean over rows of the
first k at which a row is within 1e-3 (the per-row iteration count).

The table goes to stdout and, in markdown, to ``--out`` (``-``: stdout only).

With ``--oracle SIGMA ...`` it asks instead how good a first guess must be:
each start is the exact answer with Gaussian noise of SIGMA added to its
ASTM hue and its chroma, and it prints the rows with an exact answer still
above 1e-3 after one and two iterations, beside the model's own hue and
chroma errors (RMS and mean absolute).

Figures and ratios are printed; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

jax.config.update("jax_enable_x64", True)

from munsell_jax import inverse, munsell_to_xyY, xyY_to_munsell  # noqa: E402
from munsell_jax.colorimetry import delta_E_CIE2000, xyY_to_Lab  # noqa: E402
from munsell_jax.hub import load_model  # noqa: E402
from munsell_jax.lab.evaluate import evaluation_sets  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TOLERANCE = 1e-3  # CIEDE2000
MAX_ITERATIONS = 8
REPEATS = 5


def _delta_e(xyY_1, xyY_2) -> np.ndarray:
    return np.asarray(delta_E_CIE2000(xyY_to_Lab(xyY_1), xyY_to_Lab(xyY_2)))


def _timed(call) -> float:
    start = time.perf_counter()
    jax.block_until_ready(call())
    return time.perf_counter() - start


def _noisy(spec: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    """``spec`` with N(0, sigma) added to its ASTM hue and its chroma (greys kept)."""
    hue, value, chroma, code = spec.T
    astm = 10 * np.mod(7 - code, 10) + hue + rng.normal(0, sigma, len(spec))
    chroma = np.maximum(chroma + rng.normal(0, sigma, len(spec)), 1e-3)
    noisy = inverse._normalised(inverse._spec_from_astm(jnp.asarray(astm), value, chroma))
    return np.where((spec[:, 2] > 0)[:, None], np.asarray(noisy), spec)


def _astm_chroma_error(spec: np.ndarray, exact: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    astm = lambda s: 10 * np.mod(7 - s[:, 3], 10) + s[:, 0]  # noqa: E731
    hue = np.mod(astm(spec) - astm(exact) + 50, 100) - 50
    return hue, spec[:, 2] - exact[:, 2]


def oracle(sigmas: list[float], model: str) -> None:
    """Rows left above ``TOLERANCE`` after 1 and 2 iterations from noisy exact answers."""
    predict = load_model(model)
    for name, colours in evaluation_sets().items():
        xyY = np.asarray(colours.xyY, np.float64)
        default = np.asarray(xyY_to_munsell(xyY).specification)
        exact = _delta_e(munsell_to_xyY(default), xyY) <= TOLERANCE
        chromatic = exact & (default[:, 2] > 0)
        guess = np.asarray(predict(xyY.astype(np.float32)), np.float64)
        hue, chroma = _astm_chroma_error(guess, default)
        print(
            f"\n{name}: {int(exact.sum()):,} colours with an exact answer; {model} misses "
            f"ASTM hue by RMS {np.sqrt(np.mean(hue[chromatic] ** 2)):.3f} "
            f"(mean abs {np.mean(np.abs(hue[chromatic])):.3f}), chroma by RMS "
            f"{np.sqrt(np.mean(chroma[chromatic] ** 2)):.3f} "
            f"(mean abs {np.mean(np.abs(chroma[chromatic])):.3f})"
        )
        rng = np.random.default_rng(0)
        for sigma in sigmas:
            start = _noisy(default, sigma, rng)
            left = []
            for k in (1, 2):
                result = xyY_to_munsell(xyY, init=start, iterations=k)
                delta_e = _delta_e(munsell_to_xyY(result.specification), xyY)
                left.append(int(((delta_e > TOLERANCE) & exact).sum()))
            print(
                f"  start = exact + N(0, {sigma:g}) in hue and chroma: rows > {TOLERANCE:g} "
                f"after 1 iteration {left[0]}, after 2 iterations {left[1]}"
            )


def _sweep(
    xyY: np.ndarray, guess: np.ndarray, exact: np.ndarray, predict
) -> tuple[list[dict], float]:
    """One row per (retries, init, iterations), and the model's inference time
    (ms): see the module docstring.

    Every call is compiled and run once first; then ``REPEATS`` rounds time
    each call (and the model) once, and each keeps its best: on a shared
    machine a busy spell then costs a call one of its samples, not all.
    """
    calls, rows = [], []
    for retries in (True, False):
        for k in range(1, MAX_ITERATIONS + 1):
            for label, init in (("table", "table"), ("model", guess)):

                def solve(init=init, k=k, retries=retries):
                    return xyY_to_munsell(xyY, init=init, iterations=k, retries=retries)

                result = jax.block_until_ready(solve())
                delta_e = _delta_e(munsell_to_xyY(result.specification), xyY)
                within = np.nan_to_num(delta_e, nan=np.inf) <= TOLERANCE
                calls.append(solve)
                rows.append(
                    dict(
                        init=label,
                        retries=retries,
                        k=k,
                        over=int((~within & exact).sum()),
                        max=float(np.nan_to_num(delta_e[exact], nan=np.inf).max()),
                        within=within,
                        inexact=int(np.sum(np.asarray(result.residual) > inverse._RETRY_RESIDUAL)),
                    )
                )
    xyY32 = xyY.astype(np.float32)
    calls.append(lambda: predict(xyY32))
    seconds = np.full((REPEATS, len(calls)), np.inf)
    for i in range(REPEATS):
        for j, call in enumerate(calls):
            seconds[i, j] = _timed(call)
    best = 1e3 * seconds.min(0)
    for row, ms in zip(rows, best, strict=False):
        row["ms"] = float(ms)
    return rows, float(best[-1])


def _report(
    name: str,
    n: int,
    exact: np.ndarray,
    ok: np.ndarray,
    model: str,
    model_ms: float,
    rows: list[dict],
) -> list[str]:
    lines = [
        f"## {name}: {n:,} colours, {int(exact.sum()):,} with an exact answer",
        "",
        f"{int(ok.sum()):,} are `ok` at the default budget; {int((~exact).sum())} have no "
        f"answer within CIEDE2000 {TOLERANCE:g} ({int((ok & ~exact).sum())} of them `ok`: "
        f"snap gaps). The model ({model}) takes {model_ms:.2f} ms per call "
        f"({1e3 * model_ms / n:.2f} us per colour), to add to every `init=model` time.",
        "",
        f"| k | retries | table: rows > {TOLERANCE:g} | table: max | table: retried | table: ms | "
        f"model: rows > {TOLERANCE:g} | model: max | model: retried | model: ms | "
        "model + inference: ms |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    by = {(r["init"], r["retries"], r["k"]): r for r in rows}
    for retries in (True, False):
        for k in range(1, MAX_ITERATIONS + 1):
            t, m = by["table", retries, k], by["model", retries, k]
            retried = {label: by[label, False, k]["inexact"] for label in ("table", "model")}
            lines.append(
                f"| {k} | {'yes' if retries else 'no'} | {t['over']} | {t['max']:.2g} | "
                f"{retried['table']} | {t['ms']:.1f} | {m['over']} | {m['max']:.2g} | "
                f"{retried['model']} | {m['ms']:.1f} | {m['ms'] + model_ms:.1f} |"
            )
    lines.append("")
    default_ms = by["table", True, inverse._ITERATIONS]["ms"]
    for retries in (True, False):
        budget = {}
        for label in ("table", "model"):
            k = next(
                (
                    r["k"]
                    for r in rows
                    if (r["init"], r["retries"]) == (label, retries) and r["over"] == 0
                ),
                None,
            )
            budget[label] = k
            fails = [
                r["k"]
                for r in rows
                if (r["init"], r["retries"]) == (label, retries) and k and r["k"] > k and r["over"]
            ]
            if fails:
                lines.append(
                    f"- ({label}, {'with' if retries else 'without'} retries: not every "
                    f"larger k: rows above {TOLERANCE:g} again at k = {fails})"
                )
        text = {
            label: (
                f"{k} ({by[label, retries, k]['ms']:.1f} ms"
                + (f" + {model_ms:.1f} ms inference" if label == "model" else "")
                + ")"
            )
            if k
            else f"more than {MAX_ITERATIONS}"
            for label, k in budget.items()
        }
        lines.append(
            f"- smallest k with every row that has an exact answer within {TOLERANCE:g}, "
            f"{'with' if retries else 'without'} retries: table {text['table']}, "
            f"model {text['model']}"
        )
    for label in ("table", "model"):
        within = np.stack([by[label, False, k]["within"] for k in range(1, MAX_ITERATIONS + 1)])[
            :, exact
        ]
        first = np.where(within.any(0), within.argmax(0) + 1, -1)
        done = first > 0
        lines.append(
            f"- without retries, per row, the first k within {TOLERANCE:g} from the {label}: "
            f"mean {first[done].mean():.2f}, median {np.median(first[done]):.0f}, "
            f"max {first[done].max()}, not within 1e-3 at any k <= {MAX_ITERATIONS}: "
            f"{int((~done).sum())}"
        )
    lines.append(
        f"- the default (table, {inverse._ITERATIONS} iterations, retries): {default_ms:.1f} ms"
    )
    lines.append("")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--model", default=inverse.HYBRID_MODEL, help="shipped xyY -> Munsell model"
    )
    parser.add_argument(
        "--max-step",
        type=float,
        default=None,
        help=f"the solver's longest Newton step in chroma units (default {inverse._MAX_STEP})",
    )
    parser.add_argument(
        "--oracle",
        type=float,
        nargs="+",
        metavar="SIGMA",
        help="start from the exact answers with this noise instead (hue and chroma units)",
    )
    parser.add_argument(
        "--out",
        default=str(ROOT / "results" / "benchmarks" / "hybrid.md"),
        help="markdown file for the tables ('-': stdout only)",
    )
    args = parser.parse_args()
    if args.oracle:
        return oracle(args.oracle, args.model)
    if args.max_step is not None:  # read when the solver is traced, so set before any solve
        inverse._MAX_STEP = args.max_step
    predict = load_model(args.model)

    lines = [
        "# The exact hybrid: iterations and time, with and without the retry pass",
        "",
        f"`python benchmarks/bench_hybrid.py` ({platform.machine()}, "
        f"{jax.devices()[0].device_kind}, {os.cpu_count()} cores, float64, batch 2,734; "
        f"times: best of {REPEATS} warm calls, taken in rounds over all the calls). "
        f"Rows > {TOLERANCE:g}: the rows with an exact answer whose answer is above "
        f"CIEDE2000 {TOLERANCE:g} from the input; max: the largest CIEDE2000 over the rows with "
        "an exact answer; retried: the rows the Newton iterations leave above "
        f"{inverse._RETRY_RESIDUAL:g} in xy, which the retry pass solves again (the same figure "
        "on both lines of a k); ms: one call, the model's guesses given (`init=` the guesses).",
        "",
    ]
    for name, colours in evaluation_sets().items():
        xyY = np.asarray(colours.xyY, np.float64)
        guess = np.asarray(predict(xyY.astype(np.float32)), np.float64)
        default = xyY_to_munsell(xyY)
        exact = _delta_e(munsell_to_xyY(default.specification), xyY) <= TOLERANCE
        rows, model_ms = _sweep(xyY, guess, exact, predict)
        section = _report(name, len(xyY), exact, np.asarray(default.ok), args.model, model_ms, rows)
        print("\n".join(section), flush=True)
        lines += section
    if args.out != "-":
        Path(args.out).write_text("\n".join(lines))
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
