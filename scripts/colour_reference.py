"""colour-science as a row of the comparison tables: its inverse (xyY -> Munsell)
and forward (Munsell -> xyY) judged by munsell_jax's evaluation protocol.

    .venv/bin/python scripts/colour_reference.py [--processes 2] [--limit N] [--only DIRECTION]

colour's inverse takes 0.2-1 s per colour, so this runs once (about 15 minutes
for the 2,734 REAL colours on 2 cores) and its figures are committed:
``results/<direction>/colour-science/metrics.json`` and ``evaluation.npz``. A
colour on which colour raises gets no prediction (NaN): counted as ``n_nan``,
the failure count. The forward runs on both evaluation sets; the inverse on the
REAL colours only (the generalisation set would double the run; its entry
says so). Times are the median seconds per colour, one colour at a time, in each worker.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from multiprocessing import Pool
from pathlib import Path

import numpy as np


def _inverse(xyY: np.ndarray) -> tuple[np.ndarray, float]:
    from colour.notation.munsell import xyY_to_munsell_specification

    from munsell_jax.notation import from_colour_specification

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            spec = from_colour_specification(xyY_to_munsell_specification(xyY))
        except Exception:  # colour raises ValueError, AssertionError, RuntimeError
            spec = np.full(4, np.nan)
    return spec, time.perf_counter() - start


def _forward(spec: np.ndarray) -> tuple[np.ndarray, float]:
    from colour.notation.munsell import munsell_specification_to_xyY

    from munsell_jax.notation import to_colour_specification

    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            xyY = munsell_specification_to_xyY(to_colour_specification(spec))
        except Exception:
            xyY = np.full(3, np.nan)
    return np.asarray(xyY, np.float64), time.perf_counter() - start


def _run(function, inputs: np.ndarray, processes: int, desc: str):
    from tqdm import tqdm

    with Pool(processes) as pool:
        results = list(tqdm(pool.imap(function, inputs, chunksize=4), total=len(inputs), desc=desc))
    return np.stack([r[0] for r in results]), float(np.median([r[1] for r in results]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--limit", type=int, help="first N colours only (a quick check)")
    parser.add_argument("--out", default="results")
    parser.add_argument(
        "--retime",
        type=int,
        metavar="N",
        help="only re-time colour on N REAL colours each way (a quiet machine) and update "
        "the ms fields of the committed metrics.json",
    )
    parser.add_argument(
        "--only", choices=("to_xyY", "from_xyY"), help="one direction (e.g. to re-time the forward)"
    )
    args = parser.parse_args()

    import colour
    import jax

    jax.config.update("jax_enable_x64", True)
    from munsell_jax.lab.evaluate import evaluation_sets, mark_held_out, protocol, write_results
    from munsell_jax.lab.provenance import git_commit

    sets = evaluation_sets()
    if args.retime:
        real = sets["real"]
        rows = np.linspace(0, len(real.xyY) - 1, args.retime).astype(int)
        for direction, function, inputs in (
            ("to_xyY", _forward, real.specification[rows]),
            ("from_xyY", _inverse, real.xyY[rows]),
        ):
            function(inputs[0])  # imports and caches
            seconds = float(np.median([function(row)[1] for row in inputs]))
            path = Path(args.out) / direction / "colour-science" / "metrics.json"
            metrics = json.loads(path.read_text())
            for key in ("ms_per_sample_batch_1", "ms_per_sample_batch_2734"):
                metrics[key] = 1e3 * seconds
            metrics["real"]["ms_per_sample"] = 1e3 * seconds
            metrics["timing"] = f"median over {args.retime} REAL colours, one process"
            path.write_text(json.dumps(metrics, indent=2) + "\n")
            print(f"{direction}: colour-science {1e3 * seconds:.1f} ms per colour")
        return
    if args.limit:
        sets = {k: type(v)(v.name, *(a[: args.limit] for a in v[1:])) for k, v in sets.items()}
    common = {
        "name": "colour-science",
        "architecture": f"colour-science {colour.__version__} (renotation interpolation, NumPy)",
        "parameters": None,
        "device": "cpu (one colour at a time)",
        "git_commit": git_commit(),
    }
    for direction in [args.only] if args.only else ("to_xyY", "from_xyY"):
        metrics = {**common, "direction": direction}
        rows = {}
        for name, colours in sets.items():
            if direction == "from_xyY" and name != "real":
                metrics[name] = (
                    "not run (colour's inverse takes about 15 minutes per 2,734 colours)"
                )
                continue
            if direction == "from_xyY":
                prediction, seconds = _run(_inverse, colours.xyY, args.processes, f"inverse {name}")
            else:
                prediction, seconds = _run(
                    _forward, colours.specification, args.processes, f"forward {name}"
                )
            metrics[name], rows[name] = protocol(direction, prediction, colours)
            metrics[name]["ms_per_sample"] = 1e3 * seconds
            if name == "real":
                metrics["ms_per_sample_batch_1"] = 1e3 * seconds
                metrics["ms_per_sample_batch_2734"] = 1e3 * seconds
        folder = Path(args.out) / direction / "colour-science"
        mark_held_out(metrics, None)  # the reference: it interpolates the renotation data
        write_results(folder, metrics, rows)
        print(f"wrote {folder / 'metrics.json'}: {json.dumps(metrics['real'])}")


if __name__ == "__main__":
    main()
