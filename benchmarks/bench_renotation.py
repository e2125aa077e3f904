"""Per-colour time of the JAX renotation engine against colour-science, both directions.

    .venv/bin/python benchmarks/bench_renotation.py [--n-colour 50]

JAX is timed jitted on CPU at batch 2,734 (all REAL colours) and at batch 1
(best of several calls, after warm-up); colour-science converts ``--n-colour``
REAL colours one at a time in the same process. Ratios are what compare
across machines.
"""

from __future__ import annotations

import argparse
import platform

import jax
import numpy as np

jax.config.update("jax_enable_x64", True)

from colour.notation.munsell import (  # noqa: E402
    munsell_specification_to_xyY,
    xyY_to_munsell_specification,
)

from munsell_jax import munsell_to_xyY, to_colour_specification, xyY_to_munsell  # noqa: E402
from munsell_jax.lab.demo import real_colours  # noqa: E402
from munsell_jax.lab.timing import time_colour, time_jax  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--n-colour", type=int, default=50, help="REAL colours colour-science converts each way"
    )
    args = parser.parse_args()

    _, xyY = real_colours()
    spec = np.asarray(xyY_to_munsell(xyY).specification)
    forward = jax.jit(munsell_to_xyY)
    inverse = jax.jit(lambda a: xyY_to_munsell(a))

    subset = np.linspace(0, len(xyY) - 1, args.n_colour).astype(int)
    c_forward, _ = time_colour(
        munsell_specification_to_xyY, np.stack([to_colour_specification(s) for s in spec[subset]])
    )
    c_inverse, c_failed = time_colour(xyY_to_munsell_specification, xyY[subset])

    rows = []
    for name, function, inputs, reference in (
        ("Munsell -> xyY", forward, spec, c_forward),
        ("xyY -> Munsell", inverse, xyY, c_inverse),
    ):
        batch = time_jax(function, inputs, repeats=5)
        single = time_jax(function, inputs[:1], repeats=50)
        rows.append((name, batch, single, reference))

    print(
        f"CPU: {platform.processor() or platform.machine()}, jax {jax.__version__}, "
        f"devices {jax.devices()}"
    )
    print(f"colour-science: {args.n_colour} REAL colours each way (inverse failed on {c_failed})\n")
    header = (
        "direction",
        "JAX batch 2,734",
        "JAX batch 1",
        "colour-science",
        "ratio (batch)",
        "ratio (batch 1)",
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for name, batch, single, reference in rows:
        print(
            f"| {name} | {batch * 1e6:.2f} us | {single * 1e6:.0f} us | "
            f"{reference * 1e3:.2f} ms | {reference / batch:,.0f}x | {reference / single:,.0f}x |"
        )


if __name__ == "__main__":
    main()
