"""Time of the large training set (``make data-bench``): generated from scratch, then reloaded.

    .venv/bin/python benchmarks/bench_data.py [--dir build/data-bench]
        [--out results/benchmarks/data.md]

Removes ``--dir``, then runs ``munsell-jax data large --out DIR --quiet``
twice, each in a process of its own and with an empty compilation cache of
its own (``MUNSELL_JAX_CACHE``, a temporary folder, so a cache left by earlier
runs cannot hide the compilation): the first generates the three parts (grid,
boundary, forward: their labels from the exact engine, compilation included)
and writes them with their summaries and density plots; the second finds them
cached and loads them. Then it removes ``--dir`` and generates once more with
that compilation cache now warm, which is what a later ``make data-bench``
(or any ``munsell-jax`` command) sees.

Reports the rows and candidates dropped of each part, the generation seconds
its JSON summary records, the seconds the command printed per part
(generation plus writing and the plot), each command's own total, each
process's wall time (Python start-up and imports included) and, since the
command prints tenths of a second, the time this process takes to load each
cached part (``load_or_generate``, best of 3), to stdout and, in markdown, to
``--out`` (``-``: stdout only).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _output import RESULTS, ROOT, SHARED_MACHINE, publish

from munsell_jax.lab import data

PART = re.compile(r"^(\w+): ([\d,]+) rows, ([\d,]+) candidates dropped .*, ([\d.]+) s$")
TOTAL = re.compile(r"^large: ([\d,]+) rows in ([\d.]+) s")


def _command(out: Path) -> list[str]:
    script = Path(sys.executable).parent / "munsell-jax"
    cli = [str(script)] if script.exists() else [sys.executable, "-m", "munsell_jax.lab.cli"]
    return [*cli, "data", "large", "--out", str(out), "--quiet"]


def _run(out: Path, cache: str) -> tuple[float, dict[str, float], float]:
    """The process's wall seconds, the seconds printed per part, the printed total."""
    env = os.environ | {"MUNSELL_JAX_CACHE": cache}
    start = time.perf_counter()
    result = subprocess.run(
        _command(out), capture_output=True, text=True, check=True, cwd=ROOT, env=env
    )
    wall = time.perf_counter() - start
    print(result.stdout, end="", flush=True)
    parts, total = {}, float("nan")
    for line in result.stdout.splitlines():
        if match := PART.match(line):
            parts[match[1]] = float(match[4])
        elif match := TOTAL.match(line):
            total = float(match[2])
    return wall, parts, total


def _load_seconds(name: str, size: int, folder: Path) -> float:
    """Seconds to load one cached part in this process."""
    start = time.perf_counter()
    loaded = data.load_or_generate(name, size=size, data_dir=folder, progress=False, plot=False)
    seconds = time.perf_counter() - start
    assert len(loaded.xyY), name
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default="build/data-bench", help="the cache folder (removed)")
    parser.add_argument(
        "--out",
        default=str(RESULTS / "data.md"),
        help="markdown file for the table ('-': stdout only)",
    )
    args = parser.parse_args()
    folder = ROOT / args.dir
    shutil.rmtree(folder, ignore_errors=True)
    summaries, loads = {}, {}
    with tempfile.TemporaryDirectory() as cache:
        cold_wall, cold_parts, cold_total = _run(folder, cache)
        reload_wall, reload_parts, reload_total = _run(folder, cache)
        for name, size in data.LARGE.items():
            path = data.cache_path(folder, name, size, seed=0).with_suffix(".json")
            summaries[name] = json.loads(path.read_text())
            loads[name] = min(_load_seconds(name, size, folder) for _ in range(3))
        shutil.rmtree(folder)
        warm_wall, warm_parts, warm_total = _run(folder, cache)
    warm = {
        name: json.loads(
            data.cache_path(folder, name, size, seed=0).with_suffix(".json").read_text()
        )
        for name, size in data.LARGE.items()
    }

    nan = float("nan")
    lines = [
        "| part | rows | candidates dropped | generate, cold: JSON (s) "
        "| generate, cold: printed (s) | generate, warm: JSON (s) "
        "| generate, warm: printed (s) | reload: printed (s) "
        "| reload in-process (s) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, summary in summaries.items():
        lines.append(
            f"| {name} | {summary['rows']:,} | {summary['dropped']:,} | {summary['seconds']:.1f} "
            f"| {cold_parts.get(name, nan):.1f} | {warm[name]['seconds']:.1f} "
            f"| {warm_parts.get(name, nan):.1f} | {reload_parts.get(name, nan):.1f} "
            f"| {loads[name]:.3f} |"
        )
    rows = sum(s["rows"] for s in summaries.values())
    lines += [
        f"| **large** | {rows:,} | | | {cold_total:.1f} | | {warm_total:.1f} "
        f"| {reload_total:.1f} | {sum(loads.values()):.3f} |",
        "",
        f"- process wall time (start-up and imports included): generate cold {cold_wall:.1f} s, "
        f"reload {reload_wall:.1f} s, generate warm {warm_wall:.1f} s",
    ]
    command = " ".join(_command(Path(args.dir))[-5:])
    notes = [
        f"`rm -rf {args.dir}`, then `munsell-jax {command}` twice (`make data-bench`), each in "
        "a process of its own: the first generates the large training set (grid, boundary and "
        "forward in the published 5:7:2 proportions, labels from the exact engine, float64) and "
        "writes each part (arrays, JSON summary, density plot); the second loads the cached "
        "parts. Both start from an empty compilation cache (`MUNSELL_JAX_CACHE`, a temporary "
        "folder): cold, compilation included. Then the folder is removed and the set generated "
        "once more with that compilation cache warm (compiled programs loaded, not compiled), "
        "as a later `munsell-jax` command finds it. JSON: the seconds each part's summary "
        "records (sampling and labelling only); printed: the seconds the command printed per "
        "part (generation plus writing and the plot) and in all, in tenths of a second; "
        "in-process: this script loading each cached part, best of 3. One run.",
        SHARED_MACHINE,
    ]
    print()
    publish(
        args.out,
        "The large training set: generation and reload time",
        f"python benchmarks/bench_data.py --dir {args.dir}",
        lines,
        notes=notes,
    )


if __name__ == "__main__":
    main()
