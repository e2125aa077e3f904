"""The first call of a process: import, then ``xyY_to_munsell`` on the 2,734 REAL
colours, cold and with the persistent compilation cache warm.

    .venv/bin/python benchmarks/bench_first_call.py   # writes results/benchmarks/first_call.md

Each measurement is a fresh Python process (float64): ``cold`` compiles with no
cache; ``cache, first process`` calls ``enable_compilation_cache`` on an empty
folder (compiles and writes the programs); ``cache, later process`` calls it on
the same folder (loads them). Times: the import of munsell_jax, the first call
(compilation included) and a second call, in seconds.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile

from _output import RESULTS, write_markdown

CHILD = """
import json, sys, time
start = time.perf_counter()
import jax
jax.config.update("jax_enable_x64", True)
import numpy as np
import munsell_jax as mj
from colour.notation.datasets.munsell import MUNSELL_COLOURS_REAL
imported = time.perf_counter()
if sys.argv[1]:
    mj.enable_compilation_cache(path=sys.argv[1])
xyY = np.array([c for _, c in MUNSELL_COLOURS_REAL]) / [1, 1, 100]
t = time.perf_counter()
jax.block_until_ready(mj.xyY_to_munsell(xyY).specification)
first = time.perf_counter() - t
t = time.perf_counter()
jax.block_until_ready(mj.xyY_to_munsell(xyY).specification)
second = time.perf_counter() - t
print(json.dumps({"import": imported - start, "first": first, "second": second}))
"""


def _run(cache: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, cache], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for name, cache in (
            ("cold (no cache)", ""),
            ("cache, first process (compiles, writes)", folder),
            ("cache, later process (loads)", folder),
        ):
            t = _run(cache)
            rows.append(f"| {name} | {t['import']:.1f} | {t['first']:.1f} | {t['second']:.3f} |")
            print(rows[-1])
    lines = [
        "| process | import (s) | first call (s) | second call (s) |",
        "|---|---|---|---|",
        *rows,
    ]
    write_markdown(
        RESULTS / "first_call.md",
        "The first call of a process: xyY -> Munsell on the 2,734 REAL colours",
        "python benchmarks/bench_first_call.py",
        lines,
        notes=[__doc__.split("\n\n", 2)[2].strip().replace("\n", " ")],
    )


if __name__ == "__main__":
    main()
