"""Training data on the exact engine: samplers, reference sets, a cache.

Every sampler is a pure function of a ``key`` and a ``size`` and returns a
``Dataset`` of specifications and xyY whose labels are exact: a specification
and its xyY always satisfy ``xyY == munsell_to_xyY(specification)`` (float64).
Samplers in Munsell space label with the forward; the xyY grid labels with
the inverse and stores the forward of the solved specification as its xyY
(within 1e-4 of the grid point in colour's snap gaps, exact elsewhere).
Candidates outside the renotation data are dropped and counted, never kept.

Samplers (``SAMPLERS``):

- ``grid``: a regular xyY grid (randomly offset by the key) inside the MacAdam
  limits for illuminant C, values 1-9 (the published dense grid, ~500K);
- ``boundary``: specifications near the data's maximum chroma, a third of
  them in the Y/GY/G hues at values 7-9.5 where models struggle (~700K);
- ``forward``: specifications spread over the whole renotation solid (~200K);
- ``perturbation``: the 4,995 ALL colours, jittered (the published default);
- ``perturbation_real``: the 2,734 REAL colours, jittered the same way;
- ``perturbation_exact``: the ALL colours jittered the same way about their
  *exact* specifications (the inverse of their xyY) rather than their names:
  at value 9 the data's xyY lie at value 9.09 and on average 1.0 chroma
  (up to 5.5) beyond the name, where name-centred jitter rarely goes
  (``scripts/names_vs_exact.py``);
- ``perturbation_exact_split``: as ``perturbation_exact`` without the
  centres of a fixed half of the REAL colours (``real_split``), for measuring
  what seeing a colour's neighbourhood does to its figure;
- ``uniform``: uniform hue, value and chroma, invalid ones dropped (a
  published negative result, kept to reproduce it).

``large`` is the three-part set ``grid`` + ``boundary`` + ``forward``.
Reference sets: ``real_colours()`` (2,734) and ``all_colours()`` (4,995), with
exact specifications from the inverse, and ``train_validation_split``.
``load_or_generate`` caches each set as ``.npz`` beside a JSON summary and a
density plot.
"""

from __future__ import annotations

import functools
import io
import json
import os
import time
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from munsell_jax.inverse import xyY_to_munsell
from munsell_jax.renotation import maximum_chroma, munsell_to_xyY, renotation_valid

__all__ = [
    "CENTRES",
    "LARGE",
    "SAMPLERS",
    "Dataset",
    "all_colours",
    "nominal_specifications",
    "as_device_arrays",
    "centres_on_real",
    "epoch_batches",
    "generate",
    "load_or_generate",
    "parts",
    "real_colours",
    "real_split",
    "train_validation_split",
]

_CHUNK = 65_536  # rows per jitted call: one compiled shape for every sampler


class Dataset(NamedTuple):
    """Samples with exact labels (float64 numpy).

    Attributes:
      specification: ``[N, 4]`` ``[hue, value, chroma, code]``, normalised.
      xyY: ``[N, 3]`` the forward engine's xyY of ``specification``.
      dropped: candidates discarded because they lie outside the renotation
        data (or the inverse could not solve them).
    """

    specification: np.ndarray
    xyY: np.ndarray
    dropped: int


def _require_x64() -> None:
    if not jax.config.jax_enable_x64:
        raise RuntimeError(
            "munsell_jax.lab.data needs float64: call "
            'jax.config.update("jax_enable_x64", True) before generating data'
        )


@jax.jit
def _label_specs(spec: jax.Array) -> tuple[jax.Array, jax.Array]:
    return munsell_to_xyY(spec), renotation_valid(spec)


@jax.jit
def _label_xyY(xyY: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array]:
    result = xyY_to_munsell(xyY)
    exact = munsell_to_xyY(result.specification)
    return result.specification, exact, result.ok


def _chunks(array: np.ndarray, fill: np.ndarray, function, progress: bool, desc: str):
    """Apply a jitted ``function`` to ``array`` in padded chunks of ``_CHUNK`` rows."""
    from tqdm.auto import tqdm

    outputs = []
    starts = range(0, len(array), _CHUNK)
    for start in tqdm(starts, desc=desc, unit="chunk", disable=not progress or len(starts) < 2):
        part = array[start : start + _CHUNK]
        n = len(part)
        if n < _CHUNK:
            part = np.concatenate([part, np.broadcast_to(fill, (_CHUNK - n, part.shape[1]))])
        outputs.append([np.asarray(o)[:n] for o in function(part)])
    return [np.concatenate(parts) for parts in zip(*outputs, strict=True)]


def _from_specs(spec: np.ndarray, *, progress: bool, desc: str) -> Dataset:
    """Label specifications with the forward; drop those outside the data."""
    xyY, valid = _chunks(spec, np.array([5.0, 5.0, 4.0, 5.0]), _label_specs, progress, desc)
    return Dataset(spec[valid], xyY[valid], int(np.sum(~valid)))


def _from_xyY(xyY: np.ndarray, *, progress: bool, desc: str) -> Dataset:
    """Label xyY with the inverse; keep the forward of the answer as the xyY."""
    spec, exact, ok = _chunks(xyY, np.array([0.3, 0.3, 0.2]), _label_xyY, progress, desc)
    return Dataset(spec[ok], exact[ok], int(np.sum(~ok)))


def _rng(key: jax.Array) -> np.random.Generator:
    """A numpy generator seeded from a JAX key (host-side sampling, one seed)."""
    return np.random.default_rng(np.asarray(jax.random.key_data(key)).ravel().tolist())


def _spec(astm: np.ndarray, value: np.ndarray, chroma: np.ndarray) -> np.ndarray:
    """ASTM hue in [0, 100) -> normalised specification (hue in (0, 10])."""
    family = np.floor(astm / 10)
    hue = astm - 10 * family
    code = np.mod(7 - family, 10)
    code = np.where(code == 0, 10, code)
    # colour reads a hue within 1e-3 of 0 as 0, and raises on 0P (it
    # normalises P's code to 0): write those as hue 10 of the next family,
    # the same colour (the forward snaps them to that step).
    wrap = hue < 1e-3
    hue = np.where(wrap, 10.0, hue)
    code = np.where(wrap, np.mod(code, 10) + 1, code)
    return np.stack([hue, value, chroma, code], axis=-1).astype(np.float64)


def _top_chroma(spec: np.ndarray) -> np.ndarray:
    hvc = spec[:, [0, 1, 3]]
    return np.concatenate(
        [np.asarray(maximum_chroma(hvc[i : i + _CHUNK])) for i in range(0, len(hvc), _CHUNK)]
    )


def _inside_object_colours(xyY: np.ndarray) -> np.ndarray:
    """Inside the spectrum locus and, where colour's data reach (Y >= 0.1), the
    MacAdam limits for illuminant C: colour's optimal-colour hull starts at
    Y = 10%, and would reject every darker colour."""
    from colour import MSDS_CMFS, XYZ_to_xy
    from colour.volume import is_within_macadam_limits
    from matplotlib.path import Path as Polygon

    cmfs = MSDS_CMFS["CIE 1931 2 Degree Standard Observer"]
    locus = Polygon(XYZ_to_xy(cmfs.values))
    inside = locus.contains_points(xyY[:, :2])
    bright = xyY[:, 2] >= 0.1
    inside[bright] &= np.asarray(is_within_macadam_limits(xyY[bright], "C"))
    return inside


def grid(key: jax.Array, size: int = 500_000, *, progress: bool = False) -> Dataset:
    """A regular xyY grid inside the MacAdam limits (illuminant C), values 1-9.

    Below Y = 10%, where colour-science's MacAdam data end, the spectrum locus
    bounds the grid instead (the renotation data then decide).

    The grid has equal steps in x, y and Munsell value, sized so that about
    ``size`` nodes fall inside the renotation data; the key offsets it by a
    random fraction of a step. Nodes beyond the renotation data are dropped.
    """
    _require_x64()
    rng = _rng(key)
    # About 36% of the [0, 0.75] x [0, 0.85] box at values 1-9 lies inside the
    # renotation data (measured), so aim the grid at size / 0.36 nodes.
    n_values = 33
    n_xy = max(4, int(np.sqrt(size / 0.36 / n_values)))
    offset = rng.random(3)
    x = (np.arange(n_xy) + offset[0]) / n_xy * 0.75
    y = (np.arange(n_xy) + offset[1]) / n_xy * 0.85
    value = 1 + (np.arange(n_values) + offset[2]) / n_values * 8
    from munsell_jax.renotation import value_to_luminance

    Y = np.asarray(value_to_luminance(value))
    xyY = np.stack(np.meshgrid(x, y, Y, indexing="ij"), axis=-1).reshape(-1, 3)
    inside = _inside_object_colours(xyY)
    data = _from_xyY(xyY[inside], progress=progress, desc="grid")
    return data._replace(dropped=data.dropped + int(np.sum(~inside)))


def boundary(key: jax.Array, size: int = 700_000, *, progress: bool = False) -> Dataset:
    """Specifications within a few chroma steps of the data's maximum chroma.

    Chroma is the maximum minus a half-normal offset (sigma 1.5), clipped at 0;
    a third of the rows are Y/GY/G hues (ASTM 20-50) at values 7-9.5.
    """
    _require_x64()
    rng = _rng(key)
    n = int(1.15 * size) + 16  # a few candidates fall outside the data
    hard = rng.random(n) < 1 / 3
    astm = np.where(hard, rng.uniform(20, 50, n), rng.uniform(0, 100, n))
    value = np.where(hard, rng.uniform(7, 9.5, n), rng.uniform(1, 9.9, n))
    spec = _spec(astm, value, np.zeros(n))
    top = _top_chroma(spec)
    spec[:, 2] = np.maximum(top - np.abs(rng.normal(0, 1.5, n)), 0.0)
    spec = spec[spec[:, 2] > 0]
    data = _from_specs(spec, progress=progress, desc="boundary")
    return _take(data, size)


def forward(key: jax.Array, size: int = 200_000, *, progress: bool = False) -> Dataset:
    """Specifications spread over the renotation solid: uniform hue and value
    (1-9.9), chroma uniform in [0, maximum chroma]."""
    _require_x64()
    rng = _rng(key)
    n = int(1.05 * size) + 16
    spec = _spec(rng.uniform(0, 100, n), rng.uniform(1, 9.9, n), np.zeros(n))
    spec[:, 2] = rng.random(n) * _top_chroma(spec)
    spec = spec[spec[:, 2] > 0]
    return _take(_from_specs(spec, progress=progress, desc="forward"), size)


def perturbation(key: jax.Array, size: int = 100_000, *, progress: bool = False) -> Dataset:
    """The ALL renotation colours (values 1-9), jittered: hue +-N(0, 0.5), value
    +-N(0, 0.1), chroma +-N(0, 0.5) (clipped at 0); off-data rows dropped."""
    return _jittered("ALL", key, size, progress=progress)


def perturbation_real(key: jax.Array, size: int = 100_000, *, progress: bool = False) -> Dataset:
    """As ``perturbation``, around the 2,734 REAL colours only (the published
    REAL-only fine-tuning data)."""
    return _jittered("REAL", key, size, progress=progress)


def perturbation_exact(key: jax.Array, size: int = 100_000, *, progress: bool = False) -> Dataset:
    """As ``perturbation``, about the exact specifications of the ALL colours'
    xyY (``all_colours().specification``, chromatic rows the inverse solves
    exactly, values 1-9.99) instead of their names. The names sit up to 0.09
    in value and, at value 9, up to 5.5 in chroma from where the data's xyY
    actually are."""
    return _jittered("ALL", key, size, progress=progress, exact=True)


def perturbation_exact_split(
    key: jax.Array, size: int = 100_000, *, progress: bool = False
) -> Dataset:
    """As ``perturbation_exact``, without the centres of the REAL colours in
    ``real_split()``'s held-out half: an experiment's training data that leave
    half of REAL out (``configs/from_xyY/experiments/real_split.py``)."""
    return _jittered("ALL", key, size, progress=progress, exact=True, split=True)


REAL_SPLIT_SEED = 20_261_129


def real_split() -> np.ndarray:
    """``[2734]`` bool: the held-out half of the REAL colours (a fixed random
    half, ``REAL_SPLIT_SEED``), in ``real_colours()``'s order."""
    from colour.notation.datasets.munsell import MUNSELL_COLOURS_REAL

    n = len(MUNSELL_COLOURS_REAL)
    held_out = np.zeros(n, bool)
    held_out[np.random.default_rng(REAL_SPLIT_SEED).permutation(n)[: n // 2]] = True
    return held_out


def _jittered(
    which: str,
    key: jax.Array,
    size: int,
    *,
    progress: bool,
    exact: bool = False,
    split: bool = False,
) -> Dataset:
    """Jitter the ``which`` ("ALL" or "REAL") colours about their names, or
    with ``exact`` about the exact inverse of their xyY (with ``split``,
    leaving out the held-out half of REAL: ``real_split``)."""
    _require_x64()
    from colour.notation.datasets.munsell import MUNSELL_COLOURS_ALL, MUNSELL_COLOURS_REAL

    rng = _rng(key)
    if exact:
        reference = real_colours() if which == "REAL" else all_colours()
        spec, (x, y) = reference.specification, reference.xyY[:, :2].T
        # Chromatic colours the inverse solves exactly, inside the spectrum locus
        # (the renotation extrapolates 86 ALL colours beyond it): the centres the
        # shipped models were trained about, kept when ``ok`` came to count those.
        inside_locus = (x > 0) & (y > 0) & (x + y < 1)
        keep = reference.ok & inside_locus & (spec[:, 2] > 0) & (spec[:, 1] >= 1)
        if split:
            held_out = set(_names(MUNSELL_COLOURS_REAL)[real_split()])
            keep &= np.array([name not in held_out for name in reference.names])
        base = spec[keep]
    else:
        colours = MUNSELL_COLOURS_REAL if which == "REAL" else MUNSELL_COLOURS_ALL
        base = np.array([spec for spec in nominal_specifications(colours) if 1 <= spec[1] <= 9])
    n = int(1.3 * size) + 16
    rows = base[rng.integers(0, len(base), n)]
    astm = np.mod(10 * np.mod(7 - rows[:, 3], 10) + rows[:, 0] + rng.normal(0, 0.5, n), 100)
    value = np.clip(rows[:, 1] + rng.normal(0, 0.1, n), 1, 9.99)
    chroma = np.maximum(rows[:, 2] + rng.normal(0, 0.5, n), 0.0)
    spec = _spec(astm, value, chroma)
    spec = spec[spec[:, 2] > 0]
    desc = ("perturbation" if which == "ALL" else "perturbation_real") + "_exact" * exact
    desc += "_split" * split
    return _take(_from_specs(spec, progress=progress, desc=desc), size)


def uniform(key: jax.Array, size: int = 100_000, *, progress: bool = False) -> Dataset:
    """Uniform hue (0-10, any family), value (1-9.9) and chroma (0-30); the
    many rows beyond the data are dropped (a published negative result)."""
    _require_x64()
    rng = _rng(key)
    n = int(3.5 * size) + 64
    spec = _spec(rng.uniform(0, 100, n), rng.uniform(1, 9.9, n), rng.uniform(0, 30, n))
    spec = spec[spec[:, 2] > 0]
    return _take(_from_specs(spec, progress=progress, desc="uniform"), size)


def _take(data: Dataset, size: int) -> Dataset:
    """The first ``size`` rows (candidates beyond them are not counted as dropped)."""
    return Dataset(data.specification[:size], data.xyY[:size], data.dropped)


SAMPLERS: dict[str, Callable[..., Dataset]] = {
    "grid": grid,
    "boundary": boundary,
    "forward": forward,
    "perturbation": perturbation,
    "perturbation_real": perturbation_real,
    "perturbation_exact": perturbation_exact,
    "perturbation_exact_split": perturbation_exact_split,
    "uniform": uniform,
}
# The three-part set of the published study (about 1.4M samples).
LARGE = {"grid": 500_000, "boundary": 700_000, "forward": 200_000}
# The reference colours each sampler centres its draws on ("ALL", which holds
# every REAL colour, or "REAL"), or None where it spreads its draws over the
# whole solid regardless of any colour. A model trained on a sampler that
# centres on the REAL colours has seen their neighbourhoods: its REAL figures are
# not held out (``tests/test_held_out.py`` measures the draw density each
# sampler puts about the REAL colours and the held-out ones).
CENTRES: dict[str, str | None] = {
    "grid": None,
    "boundary": None,
    "forward": None,
    "perturbation": "ALL",
    "perturbation_real": "REAL",
    "perturbation_exact": "ALL",
    "perturbation_exact_split": "ALL",  # all but half of REAL: REAL as a whole is seen
    "uniform": None,
}


def parts(name: str) -> list[str]:
    """The samplers data set ``name`` (a sampler, ``"large"`` or ``"a+b"``) draws on."""
    names = list(LARGE) if name == "large" else name.split("+")
    unknown = [part for part in names if part not in SAMPLERS]
    if unknown:
        raise ValueError(
            f"unknown sampler {unknown[0]!r} in {name!r}; choose from {sorted(SAMPLERS)}"
        )
    return names


def centres_on_real(name: str) -> bool:
    """Whether data set ``name`` draws about the REAL colours (see ``CENTRES``)."""
    return any(CENTRES[part] in ("ALL", "REAL") for part in parts(name))


def generate(name: str, key: jax.Array, size: int | None = None, *, progress=False) -> Dataset:
    """Run sampler ``name`` (see ``SAMPLERS``); ``size`` defaults to its own."""
    if name not in SAMPLERS:
        raise ValueError(f"unknown sampler {name!r}; choose from {sorted(SAMPLERS)}")
    kwargs = {} if size is None else {"size": size}
    return SAMPLERS[name](key, progress=progress, **kwargs)


# --- reference sets -------------------------------------------------------------------------


def nominal_specifications(colours) -> list[np.ndarray]:
    """The specification each renotation colour is named by (``"10RP 1/2"`` ->
    ``[10, 1, 2, 8]``), as colour-science parses it: ``colours`` is one of
    colour's renotation tables (``MUNSELL_COLOURS_ALL``, ``_REAL``)."""
    from colour.notation.munsell import (
        MUNSELL_COLOUR_FORMAT,
        munsell_colour_to_munsell_specification,
    )

    return [
        munsell_colour_to_munsell_specification(MUNSELL_COLOUR_FORMAT.format(*name))
        for name, _ in colours
    ]


class ReferenceSet(NamedTuple):
    """A renotation reference set.

    Attributes:
      names: ``[N]`` Munsell names as in the data (``"2.5GY 8/4"``).
      xyY: ``[N, 3]`` the data's xyY (Y in [0, 1]).
      specification: ``[N, 4]`` the exact inverse's answer for ``xyY``.
      ok: ``[N]`` whether the inverse is exact there (False beyond the data,
        e.g. values below 1 or 10 in ALL, and 6 REAL colours).
    """

    names: np.ndarray
    xyY: np.ndarray
    specification: np.ndarray
    ok: np.ndarray


def _names(colours) -> np.ndarray:
    """The Munsell names of one of colour's renotation tables (``"2.5GY 8/4"``)."""
    from colour.notation.munsell import MUNSELL_COLOUR_FORMAT

    return np.array([MUNSELL_COLOUR_FORMAT.format(*name) for name, _ in colours])


def _reference(colours) -> ReferenceSet:
    _require_x64()
    names = _names(colours)
    xyY = np.array([xyY for _, xyY in colours], dtype=np.float64) / [1, 1, 100]
    result = xyY_to_munsell(xyY)
    return ReferenceSet(names, xyY, np.asarray(result.specification), np.asarray(result.ok))


def real_colours() -> ReferenceSet:
    """The 2,734 REAL renotation colours (``MUNSELL_COLOURS_REAL``) and their exact inverse."""
    from colour.notation.datasets.munsell import MUNSELL_COLOURS_REAL

    return _reference(MUNSELL_COLOURS_REAL)


def all_colours() -> ReferenceSet:
    """The 4,995 ALL renotation colours (``MUNSELL_COLOURS_ALL``) and their exact inverse."""
    from colour.notation.datasets.munsell import MUNSELL_COLOURS_ALL

    return _reference(MUNSELL_COLOURS_ALL)


def train_validation_split(
    key: jax.Array, *, validation_fraction: float = 0.2, include_real: bool = False
) -> tuple[ReferenceSet, ReferenceSet]:
    """A fixed split of the ALL colours the inverse solves exactly.

    REAL colours are the test set, so they are left out of both parts unless
    ``include_real`` (then they join the training part only).
    """
    colours = all_colours()
    real = set(real_colours().names)
    is_real = np.array([name in real for name in colours.names])
    candidates = np.flatnonzero(colours.ok & ~is_real)
    order = _rng(key).permutation(candidates)
    n_validation = int(round(validation_fraction * len(order)))
    validation, train = np.sort(order[:n_validation]), np.sort(order[n_validation:])
    if include_real:
        train = np.sort(np.concatenate([train, np.flatnonzero(colours.ok & is_real)]))

    def take(rows):
        return ReferenceSet(*(a[rows] for a in colours))

    return take(train), take(validation)


# --- cache ----------------------------------------------------------------------------------


def cache_path(data_dir: str | Path, name: str, size: int, seed: int) -> Path:
    """``data_dir/<name>_n<size>_seed<seed>.npz``."""
    return Path(data_dir) / f"{name}_n{size}_seed{seed}.npz"


def load_or_generate(
    name: str,
    *,
    size: int | None = None,
    seed: int = 0,
    data_dir: str | Path = "data",
    progress: bool = True,
    plot: bool = True,
) -> Dataset:
    """Load data set ``name`` from the cache, or generate, write and summarise it.

    ``name`` is a sampler of ``SAMPLERS``; ``"large"``: grid + boundary +
    forward in the proportions of ``LARGE``, scaled to ``size`` rows in all;
    or ``"a+b"``: equal shares of the named sets (``size`` rows in all).

    Writes ``<stem>.npz`` (arrays ``specification`` and ``xyY``), ``<stem>.json``
    (sizes, drops, seconds, summary statistics) and, with ``plot``,
    ``<stem>.png`` (hue, value and chroma histograms, xy scatter).
    """
    if "+" in name or name == "large":
        # A mixture, each part cached on its own (and shared with runs that
        # use it alone): "a+b" in equal shares, "large" in LARGE's proportions.
        if name == "large":
            scale = 1.0 if size is None else size / sum(LARGE.values())
            shares = {part: int(round(n * scale)) for part, n in LARGE.items()}
        else:
            names = name.split("+")
            total = size if size is not None else sum(_default_size(n) for n in names)
            shares = {part: total // len(names) for part in names}
        parts = [
            load_or_generate(
                part, size=n, seed=seed, data_dir=data_dir, progress=progress, plot=plot
            )
            for part, n in shares.items()
        ]
        return Dataset(
            np.concatenate([p.specification for p in parts]),
            np.concatenate([p.xyY for p in parts]),
            sum(p.dropped for p in parts),
        )
    size = size if size is not None else _default_size(name)
    path = cache_path(data_dir, name, size, seed)
    if path.exists() and (cached := _read_cache(path)) is not None:
        return cached
    start = time.perf_counter()
    data = generate(name, jax.random.key(seed), size, progress=progress)
    seconds = time.perf_counter() - start
    path.parent.mkdir(parents=True, exist_ok=True)
    summary = {"name": name, "size": size, "seed": seed, "seconds": round(seconds, 2)}
    summary |= summarise(data)
    _write_atomically(path.with_suffix(".json"), (json.dumps(summary, indent=2) + "\n").encode())
    if plot:
        plot_density(data, path.with_suffix(".png"), title=path.stem)
    # The arrays last: a complete .npz is what marks the cache as written.
    arrays = io.BytesIO()
    np.savez(arrays, specification=data.specification, xyY=data.xyY, dropped=data.dropped)
    _write_atomically(path, arrays.getvalue())
    return data


def _write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to a temporary file beside ``path`` and rename it into
    place: a killed process leaves the old file or none, never half of one."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(content)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _read_cache(path: Path) -> Dataset | None:
    """The cached data set at ``path``, or None (with a warning) when the file
    cannot be read (truncated, or written by an interrupted older version)."""
    try:
        with np.load(path) as arrays:
            if "dropped" in arrays.files:
                dropped = int(arrays["dropped"])
            else:  # written before the count moved into the arrays
                dropped = json.loads(path.with_suffix(".json").read_text())["dropped"]
            return Dataset(arrays["specification"], arrays["xyY"], dropped)
    except (OSError, EOFError, KeyError, ValueError, zipfile.BadZipFile) as error:
        warnings.warn(
            f"the data cache {path} is unreadable ({type(error).__name__}: {error}); "
            "generating it again",
            stacklevel=3,
        )
        return None


def _default_size(name: str) -> int:
    import inspect

    return inspect.signature(SAMPLERS[name]).parameters["size"].default


def summarise(data: Dataset) -> dict:
    """Row count, drops, and min/mean/max of hue, value, chroma, x, y, Y."""
    columns = {
        "hue": data.specification[:, 0],
        "value": data.specification[:, 1],
        "chroma": data.specification[:, 2],
        "x": data.xyY[:, 0],
        "y": data.xyY[:, 1],
        "Y": data.xyY[:, 2],
    }
    stats = {
        key: {"min": float(c.min()), "mean": float(c.mean()), "max": float(c.max())}
        for key, c in columns.items()
        if len(c)
    }
    codes = np.bincount(data.specification[:, 3].astype(int), minlength=11)[1:]
    return {
        "rows": len(data.xyY),
        "dropped": data.dropped,
        "hue_code_counts": codes.tolist(),
        "stats": stats,
    }


def plot_density(data: Dataset, path: str | Path, *, title: str = "") -> None:
    """Hue (ASTM), value and chroma histograms and an xy scatter, saved to ``path``."""
    # A bare Figure, not pyplot: no global backend switch under a notebook.
    from matplotlib.figure import Figure

    spec = data.specification
    astm = np.mod(10 * np.mod(7 - spec[:, 3], 10) + spec[:, 0], 100)
    fig = Figure(figsize=(16, 3.6))
    axes = fig.subplots(1, 4)
    for ax, values, label, bins in (
        (axes[0], astm, "ASTM hue (0 = 10RP, 10 = 10R, ...)", 100),
        (axes[1], spec[:, 1], "Munsell value", 90),
        (axes[2], spec[:, 2], "Munsell chroma", 100),
    ):
        ax.hist(values, bins=bins, color="0.3")
        ax.set_xlabel(label)
    rows = np.random.default_rng(0).permutation(len(spec))[:20_000]
    axes[3].scatter(data.xyY[rows, 0], data.xyY[rows, 1], s=0.5, c=astm[rows], cmap="hsv")
    axes[3].set_xlabel("x")
    axes[3].set_ylabel("y")
    axes[3].set_aspect("equal")
    fig.suptitle(f"{title}: {len(spec):,} rows, {data.dropped:,} candidates dropped")
    fig.tight_layout()
    fig.savefig(path, dpi=80)


def as_device_arrays(data: Dataset, dtype=jnp.float32) -> tuple[jax.Array, jax.Array]:
    """``(xyY, specification)`` on the default device, for jitted batch slicing."""
    return jnp.asarray(data.xyY, dtype), jnp.asarray(data.specification, dtype)


def epoch_batches(key: jax.Array, arrays: tuple[jax.Array, ...], batch_size: int):
    """Yield shuffled ``batch_size`` slices of device ``arrays`` for one epoch.

    The permutation and every slice stay on the device (one jitted gather per
    batch, no host round trip); the last partial batch is dropped so every
    step has one shape and the training step compiles once.
    """
    n = arrays[0].shape[0]
    if batch_size > n:
        raise ValueError(f"batch_size {batch_size} exceeds the {n} rows")
    order = jax.random.permutation(key, n)
    for start in range(0, n - batch_size + 1, batch_size):
        yield _gather_batch(arrays, order, start, batch_size)


@functools.partial(jax.jit, static_argnums=3)
def _gather_batch(arrays, order, start, batch_size):
    rows = jax.lax.dynamic_slice_in_dim(order, start, batch_size)
    return tuple(a[rows] for a in arrays)
