"""Write the colour-science reference fixtures that the renotation and inverse tests read.

colour-science 0.4.7 is the reference: its conversions run one sample at a time
in Python, so they are computed once here, in a process pool, and committed as
small compressed ``.npz`` files under ``tests/data``:

- ``renotation_forward.npz``: ``munsell_specification_to_xyY`` on every
  renotation entry with value 1-9 and on ``--n-random`` random specifications
  weighted towards the places where the interpolation snaps, wraps or ends
  (about 3 minutes on 2 cores);
- ``maximum_chroma.npz``: ``maximum_chroma_from_renotation`` on about 3,000
  ``[hue, value, code]`` rows (seconds);
- ``real_inverse_colour.npz``: ``xyY_to_munsell_specification`` on the 2,734
  ``MUNSELL_COLOURS_REAL`` colours (10-15 minutes on 2 cores).

Rows where colour raises hold NaN and an error code (``error``, indexing
``error_names``). Specifications are colour's: greys are ``[nan, V, nan, nan]``.

Usage::

    python scripts/make_reference_fixtures.py                  # all three
    python scripts/make_reference_fixtures.py --only forward --only max_chroma
    nohup python scripts/make_reference_fixtures.py --only real > real.log 2>&1 &
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from tqdm import tqdm

FIXTURES = ("forward", "max_chroma", "real")

# Error codes stored in the fixtures; 0 means colour returned a value.
ERROR_NAMES = np.array(["", "ValueError", "AssertionError", "RuntimeError", "other"])
_HUE_OFFSETS = np.array(
    [0.0, 1e-4, -1e-4, 5e-4, -5e-4, 9.99e-4, -9.99e-4, 1.001e-3, -1.001e-3, 2e-3, -2e-3]
)
_CHROMA_OFFSETS = np.array([0.0, 1e-6, -1e-6, 1e-4, -1e-4, 1e-3, -1e-3, 0.1, -0.1])

# Sample kinds of the random forward rows (stored as ``kind``, named by ``kind_names``).
KIND_NAMES = np.array(
    [
        "renotation",  # the data points themselves
        "uniform",
        "hue_snap",
        "value_snap",
        "even_chroma",
        "low_chroma",
        "grey",
        "grey_nan",
        "hue_wrap",
        "max_chroma",
        "value_ends",
        "invalid",
    ]
)


def _error_code(exception: BaseException) -> int:
    for code, kind in enumerate((ValueError, AssertionError, RuntimeError), start=1):
        if isinstance(exception, kind):
            return code
    return 4


def _quiet() -> None:
    warnings.simplefilter("ignore")


def _forward_one(spec: np.ndarray) -> tuple[np.ndarray, int]:
    from colour.notation.munsell import munsell_specification_to_xyY

    try:
        return np.asarray(munsell_specification_to_xyY(spec), dtype=np.float64), 0
    except Exception as exception:  # noqa: BLE001 - every failure is a reference outcome
        return np.full(3, np.nan), _error_code(exception)


def _max_chroma_one(hue_value_code: np.ndarray) -> tuple[float, int]:
    from colour.notation.munsell import maximum_chroma_from_renotation

    try:
        return float(maximum_chroma_from_renotation(hue_value_code)), 0
    except Exception as exception:  # noqa: BLE001
        return np.nan, _error_code(exception)


def _inverse_one(xyY: np.ndarray) -> tuple[np.ndarray, int, float, str]:
    from colour.notation.munsell import xyY_to_munsell_specification

    start = time.perf_counter()
    try:
        spec = np.asarray(xyY_to_munsell_specification(xyY), dtype=np.float64)
        code, message = 0, ""
    except Exception as exception:  # noqa: BLE001
        spec, code, message = np.full(4, np.nan), _error_code(exception), str(exception)
    return spec, code, time.perf_counter() - start, message


def _map(
    function: Callable, rows: Sequence, workers: int, description: str, chunksize: int = 32
) -> list:
    """``function`` over ``rows`` in a process pool, in order, with a progress bar."""
    if workers <= 1:
        _quiet()
        return [function(row) for row in tqdm(rows, desc=description)]
    with multiprocessing.get_context("spawn").Pool(workers, initializer=_quiet) as pool:
        return list(
            tqdm(pool.imap(function, rows, chunksize=chunksize), total=len(rows), desc=description)
        )


# --- Random specifications -------------------------------------------------------------


def _max_chroma_table() -> dict[tuple[float, int, int], float]:
    """The renotation's largest chroma per (hue step, integer value, code)."""
    from colour.notation.datasets.munsell import MUNSELL_COLOURS_ALL

    table: dict[tuple[float, int, int], float] = {}
    for (hue_name, value, chroma), _ in MUNSELL_COLOURS_ALL:
        if value not in range(1, 10):
            continue
        spec = _renotation_spec(hue_name, value, chroma)
        key = (float(spec[0]), int(value), int(spec[3]))
        table[key] = max(table.get(key, 0.0), float(chroma))
    return table


def _renotation_spec(hue_name: str, value: float, chroma: float) -> np.ndarray:
    from colour.notation.munsell import (
        MUNSELL_COLOUR_FORMAT,
        munsell_colour_to_munsell_specification,
    )

    return munsell_colour_to_munsell_specification(
        MUNSELL_COLOUR_FORMAT.format(hue_name, value, chroma)
    )


def _approximate_max_chroma(table, hue, value, code) -> np.ndarray:
    """A cheap upper chroma for sampling: the data's maximum at the bounding hue
    steps and integer values (colour decides validity; this only aims the samples)."""
    out = np.empty(len(hue))
    for i, (h, v, c) in enumerate(zip(hue, value, code, strict=True)):
        c = int(c)
        astm = (10 * ((7 - c) % 10) + h) % 100  # ASTM hue, steps at multiples of 2.5
        lo = 2.5 * np.floor(astm / 2.5)
        steps = {lo % 100, (lo + 2.5) % 100} if astm % 2.5 else {astm}
        vs = {int(np.clip(np.floor(v), 1, 9)), int(np.clip(np.ceil(v), 1, 9))}
        best = np.inf
        for s in steps:
            family, hue_step = divmod(s, 10)
            if hue_step == 0:  # 10 of the family before
                family, hue_step = family - 1, 10.0
            step_code = (7 - int(family)) % 10 or 10
            for vv in vs:
                best = min(best, table.get((float(hue_step), vv, step_code), 2.0))
        out[i] = best
    return out


def _random_specs(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` specifications weighted towards colour's snap zones, wraps and edges."""
    table = _max_chroma_table()
    shares = {
        "uniform": 0.14,
        "hue_snap": 0.15,
        "value_snap": 0.11,
        "even_chroma": 0.10,
        "low_chroma": 0.07,
        "grey": 0.03,
        "grey_nan": 0.02,
        "hue_wrap": 0.05,
        "max_chroma": 0.10,
        "value_ends": 0.08,
        "invalid": 0.10,
    }
    counts = {k: int(round(v * n)) for k, v in shares.items()}
    counts["uniform"] += n - sum(counts.values())

    def hues(m):  # 70% uniform in (0, 10], 30% around a hue step
        uniform = 10 - 10 * rng.random(m)
        near = 2.5 * rng.integers(0, 5, m) + rng.choice(_HUE_OFFSETS, m)
        return np.where(rng.random(m) < 0.3, np.clip(near, 0, 10), uniform)

    def values(m, low=1.0, high=10.0):  # 70% uniform, 30% around an integer
        uniform = rng.uniform(low, high, m)
        near = rng.integers(int(np.ceil(low)), int(np.ceil(high)), m) + rng.choice(_HUE_OFFSETS, m)
        return np.where(rng.random(m) < 0.3, np.clip(near, low, high - 1e-9), uniform)

    def codes(m):
        return rng.integers(1, 11, m).astype(float)

    def chromas(hue, value, code, scale=1.02):
        m = len(hue)
        top = _approximate_max_chroma(table, hue, value, code)
        uniform = rng.uniform(0, 1, m) * top * scale
        even = 2 * rng.integers(1, np.maximum(top // 2, 1) + 1) + rng.choice(_CHROMA_OFFSETS, m)
        low = rng.uniform(0, 2, m)
        pick = rng.random(m)
        out = np.where(pick < 0.6, uniform, np.where(pick < 0.85, even, low))
        return np.where(out > 0, out, 1e-3)

    blocks, kinds = [], []

    def add(kind, hue, value, chroma, code):
        blocks.append(np.stack([hue, value, chroma, code], axis=-1))
        kinds.append(np.full(len(hue), np.flatnonzero(KIND_NAMES == kind)[0]))

    m = counts["uniform"]
    h, v, c = 10 - 10 * rng.random(m), rng.uniform(1, 10, m), codes(m)
    add("uniform", h, v, chromas(h, v, c), c)

    m = counts["hue_snap"]
    h = np.clip(2.5 * rng.integers(0, 5, m) + rng.choice(_HUE_OFFSETS, m), 0, 10)
    v, c = values(m), codes(m)
    add("hue_snap", h, v, chromas(h, v, c), c)

    m = counts["value_snap"]
    v = np.clip(rng.integers(1, 10, m) + rng.choice(_HUE_OFFSETS, m), 0.998, 9.999)
    h, c = hues(m), codes(m)
    add("value_snap", h, v, chromas(h, v, c), c)

    m = counts["even_chroma"]
    h, v, c = hues(m), values(m), codes(m)
    top = _approximate_max_chroma(table, h, v, c)
    chroma = 2 * rng.integers(1, np.maximum(top // 2, 1) + 1) + rng.choice(_CHROMA_OFFSETS, m)
    add("even_chroma", h, v, chroma, c)

    m = counts["low_chroma"]
    h, v, c = hues(m), values(m), codes(m)
    add("low_chroma", h, v, rng.uniform(1e-6, 2, m), c)

    m = counts["grey"]  # chroma 0 with an arbitrary hue and code
    v = np.concatenate([[0.0, 10.0, 1.0, 9.0, 5.0], rng.uniform(0, 10, m - 5)])
    add("grey", hues(m), v, np.zeros(m), codes(m))

    m = counts["grey_nan"]  # colour's own grey form
    v = np.concatenate([[0.0, 10.0, 0.5, 9.9995], rng.uniform(0, 10, m - 4)])
    add("grey_nan", np.full(m, np.nan), v, np.full(m, np.nan), np.full(m, np.nan))

    m = counts["hue_wrap"]
    h = np.where(rng.random(m) < 0.5, 0.0, 10.0)
    v, c = values(m), codes(m)
    add("hue_wrap", h, v, chromas(h, v, c), c)

    # Chromas at, and just either side of, the largest the data cover; colour's
    # maximum_chroma_from_renotation is filled in by the caller (``nan`` here).
    m = counts["max_chroma"]
    add("max_chroma", hues(m), values(m, 1.0, 9.995), np.full(m, np.nan), codes(m))

    m = counts["value_ends"]  # value in (9, 10) and near 1
    h, c = hues(m), codes(m)
    v = np.where(rng.random(m) < 0.5, rng.uniform(9, 10, m), rng.uniform(0.995, 1.3, m))
    v = np.where(rng.random(m) < 0.1, 10 - rng.choice([1e-4, 5e-4, 9.99e-4, 1.001e-3, 2e-3], m), v)
    add("value_ends", h, v, chromas(h, v, c), c)

    # Invalid inputs, where colour raises (or at least should).
    m = counts["invalid"]
    h, v, c = hues(m), values(m), codes(m)
    chroma = chromas(h, v, c)
    case = rng.integers(0, 5, m)
    v = np.where(case == 0, rng.uniform(0, 0.998, m), v)  # chromatic value < 1
    v = np.where(case == 1, rng.choice([10.0, 10.0005, 10.5, 12.0], m), v)  # value >= 10
    top = _approximate_max_chroma(table, h, v.clip(1, 9.99), c)
    chroma = np.where(case == 2, top + rng.uniform(0.5, 10, m), chroma)  # beyond the data
    h = np.where(case == 3, rng.uniform(10.0005, 12, m), h)  # hue > 10
    chroma = np.where(case == 4, -rng.uniform(0.01, 10, m), chroma)  # negative chroma
    add("invalid", h, v, chroma, c)

    return np.concatenate(blocks), np.concatenate(kinds)


# --- Fixtures ---------------------------------------------------------------------------


def make_forward(out: Path, rng: np.random.Generator, n_random: int, workers: int) -> None:
    from colour.notation.datasets.munsell import MUNSELL_COLOURS_ALL

    data = np.array(
        [_renotation_spec(*name) for name, _ in MUNSELL_COLOURS_ALL if name[1] in range(1, 10)]
    )
    random_specs, random_kinds = _random_specs(rng, n_random)

    pending = np.flatnonzero(random_kinds == np.flatnonzero(KIND_NAMES == "max_chroma")[0])
    hvc = random_specs[pending][:, [0, 1, 3]]
    top = np.array([r[0] for r in _map(_max_chroma_one, list(hvc), workers, "max chroma")])
    top = np.where(np.isfinite(top), top, 2.0)
    offsets = np.array([0.0, 0.0, 0.0, 1e-6, 1e-4, 1e-3, 0.5, -1e-3, -1e-6])
    random_specs[pending, 2] = np.maximum(top + rng.choice(offsets, len(top)), 1e-3)

    spec = np.concatenate([data, random_specs]).astype(np.float64)
    kind = np.concatenate([np.zeros(len(data), np.int8), random_kinds.astype(np.int8)])
    results = _map(_forward_one, list(spec), workers, "forward")
    xyY = np.stack([r[0] for r in results])
    error = np.array([r[1] for r in results], dtype=np.int8)
    np.savez_compressed(
        out / "renotation_forward.npz",
        spec=spec,
        xyY=xyY,
        error=error,
        error_names=ERROR_NAMES,
        kind=kind,
        kind_names=KIND_NAMES,
    )
    print(f"renotation_forward.npz: {len(spec)} rows, {np.count_nonzero(error)} raise")


def make_max_chroma(out: Path, rng: np.random.Generator, workers: int) -> None:
    rows = []
    grid_values = np.concatenate(
        [np.arange(1, 11, dtype=float), [1.5, 8.5, 9.5, 9.9, 9.989, 9.99, 9.995, 9.999]]
    )
    for code in range(1, 11):  # every hue step, including hue 0
        for hue in (0.0, 2.5, 5.0, 7.5, 10.0):
            for value in grid_values:
                rows.append((hue, value, code))
    grid = np.array(rows)
    m = 3000 - len(grid)
    hue = np.where(rng.random(m) < 0.2, 2.5 * rng.integers(0, 5, m), 10 - 10 * rng.random(m))
    value = rng.uniform(1, 10, m)
    pick = rng.random(m)
    value = np.where(pick < 0.25, rng.integers(1, 11, m).astype(float), value)
    value = np.where((pick >= 0.25) & (pick < 0.35), rng.uniform(9.98, 10, m), value)
    value = np.where((pick >= 0.35) & (pick < 0.45), rng.uniform(9, 10, m), value)
    random_rows = np.stack([hue, value, rng.integers(1, 11, m).astype(float)], axis=-1)
    hvc = np.concatenate([grid, random_rows]).astype(np.float64)

    results = _map(_max_chroma_one, list(hvc), workers, "max_chroma")
    chroma = np.array([r[0] for r in results])
    error = np.array([r[1] for r in results], dtype=np.int8)
    np.savez_compressed(
        out / "maximum_chroma.npz",
        hue_value_code=hvc,
        maximum_chroma=chroma,
        error=error,
        error_names=ERROR_NAMES,
    )
    print(f"maximum_chroma.npz: {len(hvc)} rows, {np.count_nonzero(error)} raise")


def make_real(out: Path, workers: int) -> None:
    from colour.notation.datasets.munsell import MUNSELL_COLOURS_REAL

    names = np.array([f"{h} {v:g}/{c:g}" for (h, v, c), _ in MUNSELL_COLOURS_REAL])
    xyY = np.array([entry[1] for entry in MUNSELL_COLOURS_REAL], dtype=np.float64)
    xyY[:, 2] /= 100
    results = _map(_inverse_one, list(xyY), workers, "real", chunksize=1)
    spec = np.stack([r[0] for r in results])
    error = np.array([r[1] for r in results], dtype=np.int8)
    time_s = np.array([r[2] for r in results])
    message = np.array([r[3] for r in results])
    np.savez_compressed(
        out / "real_inverse_colour.npz",
        xyY=xyY,
        names=names,
        spec=spec,
        ok=error == 0,
        error=error,
        error_names=ERROR_NAMES,
        message=message,
        time_s=time_s,
    )
    print(
        f"real_inverse_colour.npz: {len(xyY)} colours, {np.count_nonzero(error == 0)} converged, "
        f"mean {time_s.mean():.2f} s per colour"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("tests/data"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-random", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--only", action="append", choices=FIXTURES, help="fixture to write (repeatable)"
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    only = args.only or list(FIXTURES)
    # One generator per fixture, so each is reproducible when written alone.
    seeds = np.random.SeedSequence(args.seed).spawn(len(FIXTURES))
    rngs = {name: np.random.default_rng(s) for name, s in zip(FIXTURES, seeds, strict=True)}
    if "real" in only:
        make_real(args.out, args.workers)
    if "max_chroma" in only:
        make_max_chroma(args.out, rngs["max_chroma"], args.workers)
    if "forward" in only:
        make_forward(args.out, rngs["forward"], args.n_random, args.workers)


if __name__ == "__main__":
    main()
