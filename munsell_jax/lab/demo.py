"""The main job (``make demo``): exact conversions both ways, measured against colour-science.

Also the timing functions the benchmark script prints from; every speed figure
in the README comes from these, run in one process beside colour-science.
"""

from __future__ import annotations

import numpy as np

from munsell_jax.lab.timing import time_colour, time_jax

__all__ = ["real_colours", "run"]


def real_colours() -> tuple[list[str], np.ndarray]:
    """The 2,734 REAL renotation colours: names and xyY (Y in [0, 1])."""
    from colour.notation.datasets.munsell import MUNSELL_COLOURS_REAL
    from colour.notation.munsell import MUNSELL_COLOUR_FORMAT

    names = [MUNSELL_COLOUR_FORMAT.format(*entry[0]) for entry in MUNSELL_COLOURS_REAL]
    xyY = np.array([entry[1] for entry in MUNSELL_COLOURS_REAL], dtype=np.float64)
    xyY[:, 2] /= 100.0
    return names, xyY


def _print_table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for k, row in enumerate(rows):
        print(
            "  "
            + "  ".join(
                cell.rjust(w) if i else cell.ljust(w)
                for i, (cell, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if k == 0:
            print("  " + "  ".join("-" * w for w in widths))


def run(*, n_colour: int = 20) -> int:
    """Convert samples and the REAL colours both ways; time against colour-science.

    Args:
      n_colour: REAL colours that colour-science converts (each way) for the
        speed comparison; its inverse takes about 0.6 s per colour here.
    """
    import jax

    jax.config.update("jax_enable_x64", True)
    from colour.notation.munsell import (
        munsell_specification_to_xyY,
        xyY_to_munsell_specification,
    )

    from munsell_jax.colorimetry import delta_E_CIE2000, xyY_to_Lab
    from munsell_jax.inverse import xyY_to_munsell
    from munsell_jax.notation import format_munsell, parse_munsell, to_colour_specification
    from munsell_jax.renotation import munsell_to_xyY

    print("munsell_jax demo: exact Munsell renotation in JAX, checked against colour-science\n")

    samples = ["4.2YR 8.1/5.3", "10RP 1/2", "N 5.2", "5PB 4/12", "7.5GY 6.5/9.2", "2.5R 9.5/2"]
    specs = np.stack([parse_munsell(s) for s in samples])
    ours = np.asarray(munsell_to_xyY(specs))
    theirs = np.stack([munsell_specification_to_xyY(to_colour_specification(s)) for s in specs])
    back = xyY_to_munsell(ours)
    print("Munsell -> xyY -> Munsell (exact both ways):")
    rows = [("Munsell", "x", "y", "Y", "|ours - colour|", "back to Munsell", "xy residual")]
    for name, o, t, s, r in zip(
        samples,
        ours,
        theirs,
        np.asarray(back.specification),
        np.asarray(back.residual),
        strict=True,
    ):
        rows.append(
            (
                name,
                f"{o[0]:.6f}",
                f"{o[1]:.6f}",
                f"{o[2]:.6f}",
                f"{np.abs(o - t).max():.1e}",
                format_munsell(s, hue_decimals=2, value_decimals=2, chroma_decimals=2),
                f"{r:.1e}",
            )
        )
    _print_table(rows)

    names, xyY = real_colours()
    result = xyY_to_munsell(xyY)
    spec, residual, ok = (np.asarray(a) for a in result)
    print(f"\nxyY -> Munsell on all {len(xyY):,} REAL colours, batched:")
    print(
        f"  ok: {ok.sum():,} of {len(ok):,}; xy residual < 1e-7 on {(residual < 1e-7).sum():,}, "
        f"< 1e-4 on {(residual < 1e-4).sum():,}; max {residual.max():.1e}"
    )
    for i in np.flatnonzero(~ok):
        print(
            f"  not ok: {names[i]:>12} -> nearest in-table "
            f"{format_munsell(spec[i], hue_decimals=2, value_decimals=2, chroma_decimals=2)}"
            f" at xy distance {residual[i]:.1e} (the exact answer lies beyond the data)"
        )

    lab_in = xyY_to_Lab(xyY)
    lab_back = xyY_to_Lab(munsell_to_xyY(spec))
    delta_e = np.asarray(delta_E_CIE2000(lab_in, lab_back))
    print(f"  round-trip CIEDE2000: mean {np.nanmean(delta_e):.2e}, max {np.nanmax(delta_e):.2e}")

    forward = jax.jit(munsell_to_xyY)
    inverse = jax.jit(lambda a: xyY_to_munsell(a))
    subset = np.linspace(0, len(xyY) - 1, n_colour).astype(int)
    colour_spec = np.stack([to_colour_specification(s) for s in spec[subset]])
    # Both sides: one warm-up, then the best of 3 passes.
    t_forward = time_jax(forward, spec, repeats=3)
    t_inverse = time_jax(inverse, xyY, repeats=3)
    c_forward, _ = time_colour(munsell_specification_to_xyY, colour_spec)
    c_inverse, c_failed = time_colour(xyY_to_munsell_specification, xyY[subset])
    print(
        f"\nSpeed per colour (JAX at batch {len(xyY):,}, CPU; colour-science on "
        f"{n_colour} REAL colours, same process):"
    )
    _print_table(
        [
            ("direction", "munsell_jax", "colour-science", "ratio"),
            (
                "Munsell -> xyY",
                f"{t_forward * 1e6:.2f} us",
                f"{c_forward * 1e3:.2f} ms",
                f"{c_forward / t_forward:,.0f}x",
            ),
            (
                "xyY -> Munsell",
                f"{t_inverse * 1e6:.2f} us",
                f"{c_inverse * 1e3:.1f} ms",
                f"{c_inverse / t_inverse:,.0f}x",
            ),
        ]
    )
    print(f"  colour-science's inverse failed on {c_failed} of these {n_colour} colours.")
    _comparison(c_forward, c_inverse)
    return 0


def _comparison(colour_forward: float, colour_inverse: float) -> None:
    """Shipped models evaluated now, beside the committed rows of results/."""
    import json
    from pathlib import Path

    from munsell_jax.hub import ENGINE, MODELS, load_model, shipped_models
    from munsell_jax.lab.evaluate import evaluate
    from munsell_jax.lab.report import collect

    shipped = [name for name in shipped_models() if name != ENGINE]
    print(f"\nEvaluating the {len(shipped)} shipped models now, beside their committed figures:")
    for name in shipped:
        direction = name.split("/")[0]
        metrics, _ = evaluate(direction, load_model(name), timing=False)
        committed = json.loads((MODELS / name / "metrics.json").read_text())["real"]
        print(
            f"  {name}: mean CIEDE2000 on REAL {metrics['real']['delta_e_mean']:.4f} "
            f"(committed {committed['delta_e_mean']:.4f}), "
            f"generalisation {metrics['generalisation']['delta_e_mean']:.4f}"
        )
        if "bound_coverage" in metrics["real"]:  # a probabilistic model's Delta-E bound
            print(
                "    its 90% Delta-E bound covers "
                + ", ".join(
                    f"{100 * metrics[s]['bound_coverage']:.1f}% of {s}"
                    for s in ("real", "generalisation")
                )
            )
    results = Path(__file__).resolve().parents[2] / "results"
    if not results.is_dir():  # an installed package, not a checkout
        return
    print(
        "\nComparison on the 2,734 REAL colours (results/README.md; colour-science's own "
        "time per colour measured above):"
    )
    for direction, rows in collect(results).items():
        colour = colour_forward if direction == "to_xyY" else colour_inverse
        table = [("row", "mean dE", "max dE", "no answer", "ms/sample", "vs colour")]
        for m in rows:
            real = m.get("real", {})
            ms = m.get("ms_per_sample_batch_2734")
            ratio = (
                "-" if m.get("name") == "colour-science" or not ms else f"{1e3 * colour / ms:,.0f}x"
            )
            table.append(
                (
                    f"{direction}/{m.get('name')}",
                    f"{real.get('delta_e_mean', float('nan')):.2e}",
                    f"{real.get('delta_e_max', float('nan')):.2e}",
                    str(real.get("n_nan", "-")),
                    f"{ms:.4f}" if ms else "-",
                    ratio,
                )
            )
        _print_table(table)
        print()
