"""Write the tables the package loads: ``munsell_jax/data/renotation_tables.npz``
and the cell walk's start table ``munsell_jax/data/start_cells.npz``.

    .venv/bin/python scripts/make_renotation_tables.py

Builds them from colour-science's renotation data (``build_renotation_tables``,
about 4 s) and from the Newton solve on them (``build_start_cells``, about
25 s), so that a process loads them in milliseconds instead;
``tests/test_renotation.py`` and ``tests/test_inverse.py`` check the files
equal a fresh build.
"""

from __future__ import annotations

import jax
import numpy as np

jax.config.update("jax_enable_x64", True)

from munsell_jax.inverse import START_FILE, build_start_cells  # noqa: E402
from munsell_jax.renotation import TABLES_FILE, build_renotation_tables  # noqa: E402


def main() -> None:
    tables = build_renotation_tables()
    TABLES_FILE.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(TABLES_FILE, **tables._asdict())
    print(f"wrote {TABLES_FILE} ({TABLES_FILE.stat().st_size:,} bytes)")
    # The start table is built on the tables just written.
    np.savez_compressed(START_FILE, cells=build_start_cells())
    print(f"wrote {START_FILE} ({START_FILE.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
