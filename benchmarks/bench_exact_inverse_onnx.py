"""The exact inverse as one ONNX graph, against colour-science: accuracy and time.

    .venv/bin/python benchmarks/bench_exact_inverse_onnx.py [--n-colour 50] [--repeats 10]
        [--out results/benchmarks/exact_inverse_onnx.md]

The graph (``munsell_jax/models/from_xyY/exact/model.onnx``, written by
``munsell-jax export exact-inverse``) runs in onnxruntime on the CPU at batch
2,734 (every REAL colour). Its answers are judged with colour-science's own
forward (``munsell_specification_to_xyY``) and CIEDE2000 against the input,
on the 2,734 REAL colours and on the evaluation's 2,734 random valid colours:
how many come within 1e-3, how many colour rejects (invalid), and the mean.
colour-science's exact inverse (``xyY_to_munsell_specification``) converts
``--n-colour`` REAL colours (evenly spaced) one at a time in the same run,
with the same treatment as ``bench_renotation.py`` (one warm-up, best of
``--repeats``). The JAX solver (``xyY_to_munsell``, default settings) is timed
beside them. Nothing is asserted: ``tests/test_exact_inverse_graph.py`` holds
the bounds.
"""

from __future__ import annotations

import argparse
import time
import warnings

import jax
import numpy as np

jax.config.update("jax_enable_x64", True)

from _output import RESULTS, SHARED_MACHINE, publish  # noqa: E402
from colour import XYZ_to_Lab, delta_E, xyY_to_XYZ  # noqa: E402
from colour.notation.munsell import (  # noqa: E402
    munsell_specification_to_xyY,
    xyY_to_munsell_specification,
)

from munsell_jax import ILLUMINANT_C_xy, to_colour_specification, xyY_to_munsell  # noqa: E402
from munsell_jax.hub import INVERSE, MODELS  # noqa: E402
from munsell_jax.lab.evaluate import evaluation_sets  # noqa: E402
from munsell_jax.lab.timing import time_colour, time_jax  # noqa: E402

PUBLISHED = 0.51  # the best published learned xyY -> Munsell converter, mean CIEDE2000 on REAL


def judged_by_colour(specification: np.ndarray, xyY: np.ndarray) -> tuple[np.ndarray, int]:
    """CIEDE2000 between colour-science's forward of each answer and its input
    (inf where colour raises), and how many colour raised on."""
    errors, invalid = [], 0
    white = np.asarray(ILLUMINANT_C_xy)
    for spec, target in zip(specification.astype(np.float64), xyY.astype(np.float64), strict=True):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                forward = munsell_specification_to_xyY(to_colour_specification(spec))
        except (ValueError, AssertionError):
            errors.append(np.inf)
            invalid += 1
            continue
        lab = [XYZ_to_Lab(xyY_to_XYZ(c), white) for c in (forward, target)]
        errors.append(float(delta_E(*lab, method="CIE 2000")))
    return np.array(errors), invalid


def main() -> None:
    import onnxruntime as ort

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-colour", type=int, default=50, help="REAL colours colour converts")
    parser.add_argument("--repeats", type=int, default=10, help="timed passes; the best is kept")
    parser.add_argument(
        "--out",
        default=str(RESULTS / "exact_inverse_onnx.md"),
        help="markdown file for the table ('-': stdout only)",
    )
    args = parser.parse_args()
    started = time.perf_counter()

    sets = evaluation_sets()
    graph = MODELS / INVERSE / "model.onnx"
    session = ort.InferenceSession(str(graph), providers=["CPUExecutionProvider"])

    def run(xyY):
        return session.run(None, {"xyY": np.asarray(xyY, np.float32)})

    accuracy = {}
    for name in ("real", "generalisation"):
        xyY = np.asarray(sets[name].xyY, np.float64)
        specification = run(xyY)[0]
        accuracy[name] = judged_by_colour(specification, xyY)
        print(f"{name}: judged", flush=True)

    xyY = np.asarray(sets["real"].xyY, np.float64)
    subset = np.linspace(0, len(xyY) - 1, args.n_colour).astype(int)
    graph_time = time_jax(lambda a: run(a)[0], xyY.astype(np.float32), repeats=args.repeats)
    solver = jax.jit(lambda a: xyY_to_munsell(a).specification)
    jax_time = time_jax(solver, xyY, repeats=args.repeats)
    colour_time, failed = time_colour(
        xyY_to_munsell_specification, xyY[subset], repeats=args.repeats, warm_up=True
    )

    lines = [
        "| set | within CIEDE2000 1e-3 | invalid (colour raises) | mean CIEDE2000 | max |",
        "|---|---|---|---|---|",
    ]
    for name, label in (("real", "REAL (2,734)"), ("generalisation", "random valid (2,734)")):
        errors, invalid = accuracy[name]
        finite = errors[np.isfinite(errors)]
        lines.append(
            f"| {label} | {(errors <= 1e-3).sum():,} ({100 * (errors <= 1e-3).mean():.2f}%) "
            f"| {invalid} | {finite.mean():.2e} | {finite.max():.3f} |"
        )
    lines += [
        "",
        "| converter | time per colour (batch 2,734) | vs colour-science |",
        "|---|---|---|",
        f"| the graph, onnxruntime (CPU) | {graph_time * 1e6:.1f} us "
        f"| {colour_time / graph_time:,.0f}x |",
        f"| `xyY_to_munsell` in JAX (the cell walk) | {jax_time * 1e6:.1f} us "
        f"| {colour_time / jax_time:,.0f}x |",
        f"| colour-science `xyY_to_munsell_specification`, one at a time | "
        f"{colour_time * 1e3:.1f} ms | 1x ({failed} of {args.n_colour} failed) |",
        "",
        f"The best published learned converter: mean CIEDE2000 {PUBLISHED} on REAL; the graph's "
        f"mean there is {accuracy['real'][0][np.isfinite(accuracy['real'][0])].mean():.2e}.",
        "",
        f"Whole run: {time.perf_counter() - started:.0f} s.",
    ]
    notes = [
        "The graph: xyY_to_munsell's cell walk (the walk's first cells for every row, the "
        "second chances for the rows that need them, the answer through the exact forward); "
        "float64 inside, float32 in and out. Judged by colour-science's "
        "forward: 32 REAL colours have no exact answer (6 beyond the data, 26 in colour's 1e-3 "
        f"snap gaps). Times: best of {args.repeats} passes after a warm-up on every side: a "
        "pass is one call of the graph or the JAX solver on the 2,734 REAL colours, or "
        f"colour-science converting {args.n_colour} of them one at a time.",
        SHARED_MACHINE,
    ]
    publish(
        args.out,
        "The exact inverse as one ONNX graph",
        f"python benchmarks/bench_exact_inverse_onnx.py --n-colour {args.n_colour} "
        f"--repeats {args.repeats}",
        lines,
        notes=notes,
    )


if __name__ == "__main__":
    main()
