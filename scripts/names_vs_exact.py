"""How far the ALL colours' names sit from the exact inverse of their xyY, by value.

    .venv/bin/python scripts/names_vs_exact.py

For each integer value 1-9: the colours whose xyY the inverse solves exactly,
and the exact specification minus the name in value and in chroma (mean,
standard deviation, range). At value 9 the data's xyY lie at value 9.09 and
on average 1.0 chroma beyond the name (up to 5.5): the reason for the
``perturbation_exact`` sampler (``munsell_jax.lab.data``). Prints; asserts nothing.
"""

from __future__ import annotations

import jax
import numpy as np

jax.config.update("jax_enable_x64", True)

from munsell_jax.lab.data import all_colours, nominal_specifications  # noqa: E402


def main() -> None:
    from colour.notation.datasets.munsell import MUNSELL_COLOURS_ALL

    reference = all_colours()
    names = np.array(nominal_specifications(MUNSELL_COLOURS_ALL))
    exact = reference.specification
    print("value  colours  exact - name: value     chroma mean (sd)  min .. max")
    for value in range(1, 10):
        rows = reference.ok & (names[:, 1] == value) & (names[:, 2] > 0)
        d_value = exact[rows, 1] - names[rows, 1]
        d_chroma = exact[rows, 2] - names[rows, 2]
        print(
            f"{value:5d}  {int(rows.sum()):7d}  {d_value.min():+.3f}..{d_value.max():+.3f}  "
            f"{d_chroma.mean():+.3f} ({d_chroma.std():.3f})  "
            f"{d_chroma.min():+.2f} .. {d_chroma.max():+.2f}"
        )


if __name__ == "__main__":
    main()
