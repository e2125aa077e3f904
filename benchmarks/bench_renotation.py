"""Per-colour time of the JAX renotation engine against colour-science, both directions.

    .venv/bin/python benchmarks/bench_renotation.py [--n-colour 50] [--repeats 10]
        [--out results/benchmarks/engine.md]

munsell_jax is timed jitted (float64, the default JAX device) at batch 2,734
(all REAL colours), at batch ``--n-colour`` (the REAL colours colour-science
converts) and at batch 1 (those colours one at a time). colour-science
converts the same ``--n-colour`` REAL colours (evenly spaced over the 2,734)
one at a time, in the same process.

Both sides get the same treatment: one warm-up (munsell_jax: one call of each
batch shape, which compiles and runs it; colour-science: one call on the first
colour), then the best of ``--repeats`` timed passes. A batch call is one pass;
at batch 1 and for colour-science a pass converts every colour of the subset
once, one at a time, and the time per colour is the pass's time over its size.
colour-science's failures (it raises) are counted on the subset.

The table goes to stdout and, in markdown, to ``--out`` (``-``: stdout only).
Ratios are what compare across machines; nothing is asserted.
"""

from __future__ import annotations

import argparse
import time

import jax
import numpy as np

jax.config.update("jax_enable_x64", True)

from _output import RESULTS, SHARED_MACHINE, publish  # noqa: E402
from colour.notation.munsell import (  # noqa: E402
    munsell_specification_to_xyY,
    xyY_to_munsell_specification,
)

from munsell_jax import munsell_to_xyY, to_colour_specification, xyY_to_munsell  # noqa: E402
from munsell_jax.lab.demo import real_colours  # noqa: E402
from munsell_jax.lab.timing import time_colour, time_jax  # noqa: E402


def one_at_a_time(function):
    """``function`` on one row as a batch of 1, blocked on (for ``time_colour``)."""
    return lambda row: jax.block_until_ready(function(row[None]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--n-colour", type=int, default=50, help="REAL colours colour-science converts each way"
    )
    parser.add_argument(
        "--repeats", type=int, default=10, help="timed passes on each side; the best is kept"
    )
    parser.add_argument(
        "--out",
        default=str(RESULTS / "engine.md"),
        help="markdown file for the table ('-': stdout only)",
    )
    args = parser.parse_args()
    n, repeats = args.n_colour, args.repeats
    started = time.perf_counter()

    _, xyY = real_colours()
    spec = np.asarray(xyY_to_munsell(xyY).specification)
    subset = np.linspace(0, len(xyY) - 1, n).astype(int)
    forward = jax.jit(munsell_to_xyY)
    inverse = jax.jit(lambda a: xyY_to_munsell(a))

    rows = []
    for name, function, inputs, colour_function, colour_inputs in (
        (
            "Munsell -> xyY",
            forward,
            spec,
            munsell_specification_to_xyY,
            np.stack([to_colour_specification(s) for s in spec[subset]]),
        ),
        ("xyY -> Munsell", inverse, xyY, xyY_to_munsell_specification, xyY[subset]),
    ):
        full = time_jax(function, inputs, repeats=repeats)
        batch_n = time_jax(function, inputs[subset], repeats=repeats)
        single, _ = time_colour(
            one_at_a_time(function), inputs[subset], repeats=repeats, warm_up=True
        )
        reference, failed = time_colour(
            colour_function, colour_inputs, repeats=repeats, warm_up=True
        )
        rows.append((name, full, batch_n, single, reference, failed))
        print(f"{name}: timed", flush=True)

    lines = [
        f"| direction | munsell_jax, batch {len(xyY):,} | munsell_jax, batch {n} "
        f"| munsell_jax, batch 1 | colour-science, one at a time | ratio (batch {len(xyY):,}) "
        f"| ratio (batch {n}) | ratio (batch 1) | colour-science failures |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, full, batch_n, single, reference, failed in rows:
        lines.append(
            f"| {name} | {full * 1e6:.2f} us | {batch_n * 1e6:.2f} us | {single * 1e6:.0f} us "
            f"| {reference * 1e3:.2f} ms | {reference / full:,.0f}x | {reference / batch_n:,.0f}x "
            f"| {reference / single:,.0f}x | {failed} of {n} |"
        )
    lines += [
        "",
        f"Whole run: {time.perf_counter() - started:.0f} s (compilation included).",
    ]
    notes = [
        f"Per colour, float64. munsell_jax jitted at batch {len(xyY):,} (every REAL colour), "
        f"at batch {n} (the {n} REAL colours, evenly spaced, that colour-science converts) and "
        f"at batch 1 (those {n} colours one at a time); colour-science "
        "(`munsell_specification_to_xyY`, `xyY_to_munsell_specification`) on the same "
        f"{n} colours one at a time, in the same process. Both sides: one warm-up (munsell_jax: "
        "one call of each batch shape, which compiles and runs it; colour-science: one call on "
        f"the first colour), then the best of {repeats} timed passes (a batch call is one pass; "
        f"one at a time, a pass converts the {n} colours once). Ratio: colour-science's time "
        "per colour over munsell_jax's; the batch-"
        f"{n} ratio compares the same colours. Failures: the colours colour-science raised on "
        "(their calls are timed too).",
        SHARED_MACHINE,
    ]
    publish(
        args.out,
        "The exact engine against colour-science: time per colour",
        f"python benchmarks/bench_renotation.py --n-colour {n} --repeats {repeats}",
        lines,
        notes=notes,
    )


if __name__ == "__main__":
    main()
