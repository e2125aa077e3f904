"""Write the renotation tables the package loads (``munsell_jax/data/renotation_tables.npz``).

    .venv/bin/python scripts/make_renotation_tables.py

Builds them from colour-science's renotation data (``build_renotation_tables``,
about 4 s) so that a process loads them in milliseconds instead;
``tests/test_renotation.py`` checks the file equals a fresh build.
"""

from __future__ import annotations

import numpy as np

from munsell_jax.renotation import TABLES_FILE, build_renotation_tables


def main() -> None:
    tables = build_renotation_tables()
    TABLES_FILE.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(TABLES_FILE, **tables._asdict())
    print(f"wrote {TABLES_FILE} ({TABLES_FILE.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
