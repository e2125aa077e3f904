"""The Munsell renotation in JAX: Munsell -> xyY, maximum chroma, value <-> Y.

An exact, vectorised and differentiable port of colour-science's
``munsell_specification_to_xyY`` (colour 0.4.7), which interpolates the 1943
renotation data (``MUNSELL_COLOURS_ALL``) following Centore's algorithm:

1. the value is snapped to an integer within 1e-3, otherwise the two bounding
   integer values are interpolated linearly in luminance Y (ASTM D1535);
2. at an integer value, chroma is interpolated linearly between the bounding
   even chromas (chroma 0 is the illuminant C white point);
3. at an integer value and even chroma, the hue is snapped to the renotation's
   hue step (2.5) within 1e-3, otherwise the two bounding hue steps are
   interpolated along the ovoid, linearly in xy or radially about the white
   point, with the method Centore tabulated for each (hue, value, chroma) cell.

The renotation data are gathered once into fixed-shape tables indexed by hue
step (40), integer value (1-9) and even chroma (2-50), so every specification
costs eight gathers and some arithmetic, and a batch of any shape runs in one
XLA program.

Specifications that colour-science rejects (value outside [1, 10) for a
chromatic colour, chroma beyond the renotation data at a bounding hue or
value, malformed hue or code) give NaN here, never an exception, and
``renotation_valid`` reports them.

The dark colours (``dark=True``), this project's extension: colour-science
stops at value 1 (Y = 0.0121), though ``MUNSELL_COLOURS_ALL`` holds 765
entries at values 0.2, 0.4, 0.6 and 0.8 (355 measured by Judd et al. 1956,
the others extrapolated). With ``dark=True`` a chromatic value in [0.2, 1)
is interpolated on those planes as colour interpolates between integer
values (linearly in Y between the two bounding planes, value 1 being
colour's own plane; on each plane in chroma and hue as colour does, with
value 1's interpolation methods). The forward then passes through every
dark entry and is unchanged at value >= 1; it is continuous across value 1,
as its top interval (from 0.8) ends at 0.999, where colour's 1e-3 snapping
to value 1 begins. The dark planes have no 1e-3 snapping zones of their
own: a value within 2e-7 of 0.2, 0.4, 0.6 or 0.8 reads that plane alone.
Below value 0.2 there are no data: chromatic colours there are invalid
(greys are valid down to value 0).

Gradients are finite at every valid point. Inside the 1e-3 snapping zones the
value is colour's (flat in hue or value), while the gradient is that of the
continuous interpolation (a straight-through estimate), so that solvers and
losses still see the hue and value directions there.

Known, deliberate difference from colour-science 0.4.7: hue 0 of family P
(e.g. ``0P 5/4``, equal to ``10PB 5/4``) is converted here; colour normalises
its code to 0 and raises.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from munsell_jax.arrays import as_float, check_last_axis, floor_mod, interp, polyval
from munsell_jax.colorimetry import ILLUMINANT_C_xy

__all__ = [
    "ASTM_D1535",
    "RenotationTables",
    "build_renotation_tables",
    "luminance_to_value",
    "maximum_chroma",
    "munsell_to_xyY",
    "munsell_to_xyY_unmasked",
    "project_to_renotation",
    "renotation_tables",
    "renotation_valid",
    "value_to_luminance",
]

_N_HUES = 40  # 2.5, 5, 7.5 and 10 in each of the ten families
_VALUES = np.arange(1, 10)  # integer values with chromatic renotation data
_DARK_VALUES = np.array([0.2, 0.4, 0.6, 0.8])  # the ALL data's planes below value 1
_ON_DARK_PLANE = 1e-6  # |5 V - k| below which value V reads the dark plane k / 5 alone
_CHROMAS = np.arange(2, 52, 2)  # even chromas 2..50
_THRESHOLD_INTEGER = 1e-3  # colour.algebra.common.THRESHOLD_INTEGER

# colour's hue_to_hue_angle: single hue (0..10, 0 = 5R) -> hue angle (degrees).
_SINGLE_HUE_KNOTS = np.array([0.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 9.0, 10.0])
_HUE_ANGLE_KNOTS = np.array([0.0, 45.0, 70.0, 135.0, 160.0, 225.0, 255.0, 315.0, 360.0])

# ASTM D1535 polynomial: Munsell value V (0-10) -> luminance Y (0-100).
ASTM_D1535 = (0.0, 1.1914, -0.22533, 0.23352, -0.020484, 0.00081939)


class RenotationTables(NamedTuple):
    """The renotation data as fixed-shape numpy arrays (float64).

    Hue steps ``s`` run 0..39 in ASTM hue order: step ``s`` is hue
    ``2.5 * (s % 4 + 1)`` of family code ``(7 - s // 4) % 10`` (0 read as 10),
    i.e. 2.5R, 5R, 7.5R, 10R, 2.5YR, ..., 10RP. A hue cell ``j`` is the open
    interval between steps ``j - 1`` and ``j`` (modulo 40).

    Attributes:
      xy: ``[40, 9, 25, 2]`` chromaticity of step ``s``, value ``v + 1``,
        chroma ``2 * (c + 1)``; entries absent from the data hold the
        illuminant C white point (so that nothing downstream sees NaN).
      valid: ``[40, 9, 25]`` whether the entry exists in the data.
      method: ``[40, 9, 25]`` Centore's interpolation method for hue cell
        ``j``, value ``v + 1``, chroma ``2 * (c + 1)``: 0 none (colour
        raises), 1 linear, 2 radial.
      max_chroma: ``[40, 9]`` largest chroma in the data per step and value.
      hue_angle: ``[40]`` colour's hue angle (degrees) of each step.
      dark_xy, dark_valid, dark_max_chroma: ``xy``, ``valid`` and
        ``max_chroma`` of the dark planes, values 0.2, 0.4, 0.6 and 0.8
        (``[40, 4, 25, 2]``, ``[40, 4, 25]``, ``[40, 4]``), which colour never
        reads; the ``dark=True`` forward does.
    """

    xy: np.ndarray
    valid: np.ndarray
    method: np.ndarray
    max_chroma: np.ndarray
    hue_angle: np.ndarray
    dark_xy: np.ndarray
    dark_valid: np.ndarray
    dark_max_chroma: np.ndarray


def _step_hue_code(step: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hue step index -> (hue, code) in colour's convention (numpy)."""
    hue = 2.5 * (step % 4 + 1)
    code = (7 - step // 4) % 10
    return hue, np.where(code == 0, 10, code)


def _hue_angle_np(hue: np.ndarray, code: np.ndarray) -> np.ndarray:
    single_hue = ((17 - code) % 10 + (hue / 10) - 0.5) % 10
    return np.interp(single_hue, _SINGLE_HUE_KNOTS, _HUE_ANGLE_KNOTS)


# The tables as package data: ``build_renotation_tables`` takes about 4 s of
# colour-science calls, loading them 10 ms (``scripts/make_renotation_tables.py``
# writes them; ``tests/test_renotation.py`` checks they equal a fresh build).
TABLES_FILE = Path(__file__).parent / "data" / "renotation_tables.npz"


@functools.cache
def renotation_tables() -> RenotationTables:
    """The renotation tables (numpy float64), loaded once per process from the
    package's ``data/renotation_tables.npz``, or built from colour-science's
    data where that file is missing (``build_renotation_tables``)."""
    if TABLES_FILE.exists():
        with np.load(TABLES_FILE) as arrays:
            return RenotationTables(*(arrays[name] for name in RenotationTables._fields))
    return build_renotation_tables()


def build_renotation_tables() -> RenotationTables:
    """Build the renotation tables from colour-science's data (``MUNSELL_COLOURS_ALL``
    and Centore's interpolation-method table): about 4 s."""
    from colour.notation.datasets.munsell import MUNSELL_COLOURS_ALL
    from colour.notation.munsell import (
        MUNSELL_COLOUR_FORMAT,
        interpolation_method_from_renotation_ovoid,
        munsell_colour_to_munsell_specification,
    )

    planes = np.concatenate([_DARK_VALUES, _VALUES])
    xy = np.empty((_N_HUES, len(planes), len(_CHROMAS), 2))
    xy[...] = ILLUMINANT_C_xy
    valid = np.zeros(xy.shape[:-1], dtype=bool)
    max_chroma = np.zeros(xy.shape[:2])
    for name, xyY in MUNSELL_COLOURS_ALL:
        hue, value, chroma, code = munsell_colour_to_munsell_specification(
            MUNSELL_COLOUR_FORMAT.format(*name)
        )
        if not np.any(planes == value):  # value 10 is the white point
            continue
        step = int(round(4 * ((7 - code) % 10) + hue / 2.5 - 1)) % _N_HUES
        v, c = int(np.flatnonzero(planes == value)[0]), int(chroma) // 2 - 1
        xy[step, v, c] = xyY[:2]
        valid[step, v, c] = True
        max_chroma[step, v] = max(max_chroma[step, v], chroma)
    dark = len(_DARK_VALUES)
    dark_xy, dark_valid, dark_max_chroma = xy[:, :dark], valid[:, :dark], max_chroma[:, :dark]
    xy, valid, max_chroma = xy[:, dark:], valid[:, dark:], max_chroma[:, dark:]

    # Centore's method depends on the hue only through its cell: every hue
    # threshold in colour's table is a multiple of 2.5, so the cell midpoint
    # decides it.
    method = np.zeros(valid.shape, dtype=np.int8)
    names = {None: 0, "Linear": 1, "Radial": 2}
    for j in range(_N_HUES):
        code = (7 - j // 4) % 10 or 10
        hue = 2.5 * (j % 4) + 1.25
        for v, value in enumerate(_VALUES):
            for c, chroma in enumerate(_CHROMAS):
                spec = np.array([hue, value, chroma, code], dtype=float)
                method[j, v, c] = names[interpolation_method_from_renotation_ovoid(spec)]

    hue_angle = _hue_angle_np(*_step_hue_code(np.arange(_N_HUES)))
    return RenotationTables(
        xy, valid, method, max_chroma, hue_angle, dark_xy, dark_valid, dark_max_chroma
    )


class PlaneTables(NamedTuple):
    """The tables the forward reads, by plane (a value with data): values 1-9,
    or with ``dark`` 0.2, 0.4, 0.6, 0.8 and 1-9 (value 1 at index ``offset``).

    ``packed`` holds, per hue step, plane and even chroma, what one lookup
    needs: ``[x, y, rho, phi, valid, method]``, with the polar form (radius
    and angle in degrees about the white point) computed once here rather
    than on every call, and ``method`` that of the hue cell ending at the
    step. One gather per bounding step then reads everything.
    """

    xy: np.ndarray  # [40, P, 25, 2]
    valid: np.ndarray  # [40, P, 25]
    max_chroma: np.ndarray  # [40, P]
    packed: np.ndarray  # [40, P, 25, 6]
    offset: int


_X, _Y, _RHO, _PHI, _VALID, _METHOD = range(6)


@functools.cache
def plane_tables(dark: bool) -> PlaneTables:
    """The tables the forward reads (numpy, cached): values 1-9, or with
    ``dark`` the dark planes 0.2-0.8 before them (``PlaneTables``)."""
    t = renotation_tables()
    xy, valid, method, max_chroma = t.xy, t.valid, t.method, t.max_chroma
    if dark:
        # The dark planes interpolate in hue with value 1's methods.
        dark_method = np.repeat(t.method[:, :1], len(_DARK_VALUES), axis=1)
        xy = np.concatenate([t.dark_xy, xy], axis=1)
        valid = np.concatenate([t.dark_valid, valid], axis=1)
        method = np.concatenate([dark_method, method], axis=1)
        max_chroma = np.concatenate([t.dark_max_chroma, max_chroma], axis=1)
    d = xy - np.asarray(ILLUMINANT_C_xy)
    polar = np.hypot(d[..., 0], d[..., 1]), np.degrees(np.arctan2(d[..., 1], d[..., 0]))
    packed = np.stack([xy[..., 0], xy[..., 1], *polar, valid, method], axis=-1)
    return PlaneTables(xy, valid, max_chroma, packed, len(_DARK_VALUES) if dark else 0)


def plane_index(value: jax.Array, offset: int) -> jax.Array:
    """Table index of a plane's value (1, ..., 9, and with dark planes
    (``offset`` 4) 0.2, ..., 0.8); may fall outside the table."""
    index = value - 1 + offset
    if offset:
        index = jnp.where(value < 1, jnp.round(5 * value) - 1, index)
    return index.astype(jnp.int32)


def dark_bounds(value: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array]:
    """For a value in [0, 1): the dark planes around it ``(lower, upper, on_plane)``,
    lower in {0, 0.2, ..., 0.8} (0: below the data) and upper = lower + 0.2, or
    with ``on_plane`` the plane within 2e-7 (``_ON_DARK_PLANE``) as ``lower``."""
    fifths = 5 * value
    nearest = jnp.round(fifths)
    on_plane = (jnp.abs(fifths - nearest) < _ON_DARK_PLANE) & (nearest >= 1)
    k = jnp.where(on_plane, nearest, jnp.floor(fifths))
    return k / 5, (k + 1) / 5, on_plane


class ValuePlanes(NamedTuple):
    """The planes the forward interpolates between at a value (float values).

    Attributes:
      minus, plus: the bounding planes (integer values, or with ``dark``
        below value 1 the dark planes); ``plus`` may be 10 (the white point).
      knot_plus: the luminance knot of ``plus`` (``plus``, except the top dark
        interval, which ends at 0.999 where colour's snapping to value 1 begins).
      nearest: the plane a snapped value reads.
      snapped: within colour's 1e-3 of an integer value (or 2e-7 of a dark plane).
      lowest: the lowest plane with data (1, or 0.2 with ``dark``).
    """

    minus: jax.Array
    plus: jax.Array
    knot_plus: jax.Array
    nearest: jax.Array
    snapped: jax.Array
    lowest: float


def value_planes(value: jax.Array, dark: bool = False) -> ValuePlanes:
    """The planes ``munsell_to_xyY`` reads at ``value`` (``ValuePlanes``)."""
    nearest = jnp.round(value)
    snapped = jnp.abs(value - nearest) <= _THRESHOLD_INTEGER
    minus = jnp.floor(value)
    plus = minus + 1
    if not dark:
        return ValuePlanes(minus, plus, plus, nearest, snapped, 1.0)
    # Below value 1 (and outside colour's snapping to it) the dark planes
    # take the integer values' place, on-plane rows snapping to them.
    below = (value < 1) & ~(snapped & (nearest == 1))
    lower, upper, on_plane = dark_bounds(value)
    # The top interval ends where colour's snapping to value 1 begins, so
    # that the two meet without a jump.
    knot_plus = jnp.where(
        below & (upper == 1), 1 - _THRESHOLD_INTEGER, jnp.where(below, upper, plus)
    )
    return ValuePlanes(
        jnp.where(below, lower, minus),
        jnp.where(below, upper, plus),
        knot_plus,
        jnp.where(below, lower, nearest),
        jnp.where(below, on_plane, snapped),
        float(_DARK_VALUES[0]),
    )


def value_to_luminance(value: jax.typing.ArrayLike) -> jax.Array:
    """Munsell value -> luminance Y by the ASTM D1535 polynomial.

    Args:
      value: ``[...]`` Munsell value, nominally in [0, 10].

    Returns:
      ``[...]`` luminance Y in [0, 1] (Y = 1 at V = 10, relative to the
      ideal white). Outside [0, 10] the polynomial is extrapolated.
    """
    value = as_float(value)
    return polyval(ASTM_D1535, value) / 100.0


@functools.cache
def _value_table() -> tuple[np.ndarray, np.ndarray]:
    # colour's munsell_value_ASTMD1535 inverts the polynomial with a linear
    # interpolator on values 0, 0.001, ..., 9.999 and extrapolates linearly.
    values = np.arange(0, 10, 0.001)
    luminances = np.polynomial.polynomial.polyval(values, ASTM_D1535)
    return luminances, values


_SEARCH = 22  # luminance_to_value's search: 22 ** 3 >= colour's 10,000 knots
# Gathers whose indices are in range by construction: no index wrapping or
# clamping (JAX adds a select per index otherwise, a node apiece in ONNX).
_IN_BOUNDS = "promise_in_bounds"


def luminance_to_value(Y: jax.typing.ArrayLike) -> jax.Array:
    """Luminance Y -> Munsell value, matching colour's ``munsell_value_ASTMD1535``.

    colour inverts the ASTM D1535 polynomial with a piecewise linear table in
    value steps of 0.001 (error below 1e-6 in value against the exact root);
    this reproduces that table, including its linear extrapolation.

    Args:
      Y: ``[...]`` luminance in [0, 1] (relative to the ideal white).

    Returns:
      ``[...]`` Munsell value, in [0, 10] for Y in [0, 1]; linearly
      extrapolated outside.
    """
    Y = as_float(Y) * 100.0
    luminances, values = (jnp.asarray(t, Y.dtype) for t in _value_table())
    # jnp.interp's arithmetic, with its interval (the count of knots <= Y)
    # found in three short searches of 22 (blocks of 484 knots, then of 22,
    # then single knots) rather than jnp.searchsorted's loop: the same
    # interval, no loop to export to ONNX, and 66 comparisons a row, each
    # search reading one row of a table (no index arithmetic per row).
    knots = jnp.concatenate([luminances, jnp.full(_SEARCH**3 - len(luminances), jnp.inf, Y.dtype)])
    knots = knots.reshape(_SEARCH, _SEARCH, _SEARCH)

    def count(row):
        return jnp.sum(row <= Y[..., None], axis=-1, dtype=jnp.int32)

    block = jnp.maximum(count(knots[:, 0, 0]), 1) - 1
    rows = knots[:, :, 0].at[block].get(mode=_IN_BOUNDS, wrap_negative_indices=False)
    sub = jnp.maximum(count(rows), 1) - 1
    index = _SEARCH * block + sub
    rows = knots.reshape(-1, _SEARCH).at[index].get(mode=_IN_BOUNDS, wrap_negative_indices=False)
    i = _SEARCH * index + count(rows)
    i = jnp.clip(i, 1, len(luminances) - 1)
    inside = values[i - 1] + ((Y - luminances[i - 1]) / (luminances[i] - luminances[i - 1])) * (
        values[i] - values[i - 1]
    )
    below = values[0] + (Y - luminances[0]) * (values[1] - values[0]) / (
        luminances[1] - luminances[0]
    )
    above = values[-1] + (Y - luminances[-1]) * (values[-1] - values[-2]) / (
        luminances[-1] - luminances[-2]
    )
    return jnp.where(Y < luminances[0], below, jnp.where(Y > luminances[-1], above, inside))


def _hue_angle(hue: jax.Array, code: jax.Array) -> jax.Array:
    single_hue = floor_mod(floor_mod(17 - code, 10) + hue / 10 - 0.5, 10)
    knots = jnp.asarray(_SINGLE_HUE_KNOTS, hue.dtype)
    return interp(single_hue, knots, jnp.asarray(_HUE_ANGLE_KNOTS, hue.dtype))


def _interp2(t0: jax.Array, t1: jax.Array, t: jax.Array, a: jax.Array, b: jax.Array):
    """Linear interpolation through (t0, a), (t1, b) at t; t1 > t0 is assumed."""
    return a + (t - t0) * (b - a) / (t1 - t0)


class _Parts(NamedTuple):
    """Per-sample indices shared by every value and chroma of one specification."""

    hue: jax.Array
    code: jax.Array
    step_cw: jax.Array  # int, bounding hue step below
    step_ccw: jax.Array  # int, bounding hue step above (= hue cell index)
    snap_step: jax.Array  # int, the hue step a snapped hue looks up
    hue_snapped: jax.Array  # bool, hue within 1e-3 of a step
    angle_lower: jax.Array
    angle: jax.Array
    angle_upper: jax.Array


def _hue_parts(hue: jax.Array, code: jax.Array) -> _Parts:
    tables = renotation_tables()
    # Step arithmetic in floats (small integers, exact), cast to indices last.
    family = floor_mod(7 - code, 10)  # 0 for R ... 9 for RP
    nearest = jnp.round(hue / 2.5)
    hue_snapped = jnp.abs(hue - 2.5 * nearest) < _THRESHOLD_INTEGER
    snap_step = floor_mod(4 * family + nearest - 1, _N_HUES).astype(jnp.int32)
    cell = jnp.clip(jnp.floor(hue / 2.5), 0, 3)
    step_ccw = floor_mod(4 * family + cell, _N_HUES)
    step_cw = floor_mod(step_ccw - 1, _N_HUES).astype(jnp.int32)
    step_ccw = step_ccw.astype(jnp.int32)

    # colour's bookkeeping of the angles at the bounding hues, verbatim.
    step_angles = jnp.asarray(tables.hue_angle, hue.dtype)
    lower = step_angles[step_cw]
    upper = step_angles[step_ccw]
    angle = _hue_angle(hue, code)
    lower = jnp.where(lower == 0, 360.0, lower)
    wraps = lower > upper
    angle = jnp.where(wraps & ~(lower > angle), angle - 360.0, angle)
    lower = jnp.where(wraps, lower - 360.0, lower)
    return _Parts(hue, code, step_cw, step_ccw, snap_step, hue_snapped, lower, angle, upper)


def _gather(
    table: np.ndarray, step: jax.Array, value_index: jax.Array, chroma_index: jax.Array, dtype
) -> jax.Array:
    value_index = jnp.clip(value_index, 0, table.shape[1] - 1)
    chroma_index = jnp.clip(chroma_index, 0, len(_CHROMAS) - 1)
    # The indices are never negative (the steps come from floor_mod): no wrapping.
    index = step, value_index, chroma_index
    return jnp.asarray(table, dtype).at[index].get(wrap_negative_indices=False)


def _ovoid_xy(parts: _Parts, value_index: jax.Array, chroma: jax.Array, tables: PlaneTables):
    """xy on the ovoid of a plane (``value_index`` into ``tables``) and an even
    chroma >= 2.

    Returns ``(xy [..., 2], valid [...])``; ``chroma`` holds exact even numbers.
    """
    dtype = parts.hue.dtype
    chroma_index = (jnp.round(chroma / 2) - 1).astype(jnp.int32)
    in_range = (chroma_index >= 0) & (chroma_index < len(_CHROMAS))

    cw = _gather(tables.packed, parts.step_cw, value_index, chroma_index, dtype)
    ccw = _gather(tables.packed, parts.step_ccw, value_index, chroma_index, dtype)
    xy_cw, xy_ccw = cw[..., : _Y + 1], ccw[..., : _Y + 1]
    valid_cw, valid_ccw = cw[..., _VALID] > 0.5, ccw[..., _VALID] > 0.5
    method = ccw[..., _METHOD]

    lower, angle, upper = parts.angle_lower, parts.angle, parts.angle_upper
    linear = _interp2(lower[..., None], upper[..., None], angle[..., None], xy_cw, xy_ccw)

    grey = jnp.asarray(ILLUMINANT_C_xy, dtype)
    rho_cw, rho_ccw = cw[..., _RHO], ccw[..., _RHO]
    phi_cw, phi_ccw = cw[..., _PHI], ccw[..., _PHI]
    phi_ccw = jnp.where(phi_cw - phi_ccw > 180, phi_ccw + 360, phi_ccw)
    rho = _interp2(lower, upper, angle, rho_cw, rho_ccw)
    phi = jnp.radians(_interp2(lower, upper, angle, phi_cw, phi_ccw))
    radial = jnp.stack([rho * jnp.cos(phi), rho * jnp.sin(phi)], axis=-1) + grey

    radial_method = method == 2
    # Per coordinate, not broadcast: onnxruntime's broadcasting select is slow.
    xy_cont = jnp.where(jnp.stack([radial_method, radial_method], axis=-1), radial, linear)
    valid_cont = valid_cw & valid_ccw & (method != 0)

    # Within 1e-3 of a hue step colour reads the data point itself: take that
    # value, keep the continuous interpolation's gradient.
    snap_is_cw = parts.snap_step == parts.step_cw
    xy_snap = jnp.where(snap_is_cw[..., None], xy_cw, xy_ccw)
    valid_snap = jnp.where(snap_is_cw, valid_cw, valid_ccw)
    xy_out = jnp.where(
        parts.hue_snapped[..., None], xy_cont + jax.lax.stop_gradient(xy_snap - xy_cont), xy_cont
    )
    valid = in_range & jnp.where(parts.hue_snapped, valid_snap, valid_cont)
    return xy_out, valid


def _xy_at_values(parts: _Parts, value_index: jax.Array, chroma: jax.Array, tables: PlaneTables):
    """colour's ``munsell_specification_to_xy`` on planes (integer values 1-9,
    and the dark planes where ``tables`` has them).

    ``value_index`` is ``[..., 2]`` (the two bounding planes' indices into
    ``tables``) and ``parts`` and ``chroma`` are ``[...]``: both planes and
    both bounding chromas go through one ``_ovoid_xy`` call, which keeps the
    XLA program (and its compile time) small. Returns
    ``(xy [..., 2, 2], valid [..., 2])``.
    """
    parts = jax.tree.map(lambda a: a[..., None], parts)
    chroma = chroma[..., None]
    chroma_minus = jnp.broadcast_to(2 * jnp.floor(chroma / 2), value_index.shape)
    even = chroma == chroma_minus
    # At an even chroma colour reads that ovoid alone. Interpolate on the
    # interval above it when the data go on (same value, one-sided gradient),
    # else on the interval below.
    above = (chroma_minus / 2).astype(jnp.int32)  # table index of chroma_minus + 2
    above_valid = _gather(tables.valid, parts.step_cw, value_index, above, bool) & _gather(
        tables.valid, parts.step_ccw, value_index, above, bool
    )
    shift_down = even & ~above_valid & (chroma_minus >= 2)
    chroma_minus = jnp.where(shift_down, chroma_minus - 2, chroma_minus)
    chromas = jnp.stack([jnp.maximum(chroma_minus, 2), chroma_minus + 2], axis=-1)

    xy, valid_pair = _ovoid_xy(
        jax.tree.map(lambda a: a[..., None], parts), value_index[..., None], chromas, tables
    )
    grey = jnp.asarray(ILLUMINANT_C_xy, chroma.dtype)
    xy_minus = jnp.where((chroma_minus == 0)[..., None], grey, xy[..., 0, :])
    xy_plus = xy[..., 1, :]
    t = (chroma - chroma_minus) / 2
    xy = xy_minus + t[..., None] * (xy_plus - xy_minus)

    # Validity as colour decides it: the even chroma itself, or both bounds.
    valid_minus = valid_pair[..., 0] | (chroma_minus == 0)
    valid_plus = valid_pair[..., 1]
    valid = jnp.where(
        even, jnp.where(shift_down, valid_plus, valid_minus), valid_minus & valid_plus
    )
    valid &= (chroma > 0) & (chroma <= 50)
    return xy, valid


def _normalise(spec: jax.Array):
    hue, value, chroma, code = (spec[..., i] for i in range(4))
    grey = (chroma == 0) | (jnp.isnan(hue) & jnp.isnan(chroma) & jnp.isnan(code))
    wrap = hue == 0  # 0YR is 10R; adding (not setting) 10 keeps the hue gradient
    hue = jnp.where(wrap, hue + 10.0, hue)
    code = jnp.where(wrap, floor_mod(code, 10) + 1, code)
    return hue, value, chroma, code, grey


def munsell_to_xyY_unmasked(spec: jax.Array, *, dark: bool = False) -> tuple[jax.Array, jax.Array]:
    """``munsell_to_xyY`` without the NaN mask: ``(xyY [..., 3], valid [...])``.

    Rows outside the renotation data (``valid`` False) hold whatever the
    clamped interpolation gives, finite and with finite gradients, so a loss
    can mask them itself (``munsell_delta_e``) instead of meeting NaN.
    ``dark``: the dark planes below value 1, as ``munsell_to_xyY``.
    """
    spec = as_float(spec)
    check_last_axis(spec, 4, "a Munsell specification [hue, value, chroma, code]")
    hue, value, chroma, code, grey = _normalise(spec)
    dtype = spec.dtype

    chromatic_ok = (
        jnp.isfinite(hue)
        & jnp.isfinite(chroma)
        & (hue > 0)
        & (hue <= 10)
        & (chroma > 0)
        & (code == jnp.round(code))
        & (code >= 1)
        & (code <= 10)
    )
    value_ok = jnp.isfinite(value) & (value >= 0) & (value <= 10)
    # Keep every intermediate finite on rejected rows: their NaNs would leak
    # into gradients through the unselected branches of jnp.where.
    safe = chromatic_ok & ~grey & value_ok
    hue = jnp.where(safe, hue, 5.0)
    code = jnp.where(safe, code, 5.0)
    chroma = jnp.where(safe, chroma, 2.0)
    value_c = jnp.where(safe, value, 5.0)

    value_minus, value_plus, knot_plus, nearest, value_snapped, lowest = value_planes(value_c, dark)
    tables = plane_tables(dark)
    parts = _hue_parts(hue, code)
    values = jnp.clip(jnp.stack([value_minus, value_plus], axis=-1), lowest, 9)
    xy_pair, valid_pair = _xy_at_values(parts, plane_index(values, tables.offset), chroma, tables)
    xy_minus, xy_plus = xy_pair[..., 0, :], xy_pair[..., 1, :]
    valid_minus, valid_plus = valid_pair[..., 0], valid_pair[..., 1]
    xy_plus = jnp.where((value_plus >= 10)[..., None], jnp.asarray(ILLUMINANT_C_xy, dtype), xy_plus)

    Y_minus, Y_plus, Y_c = (value_to_luminance(v) for v in (value_minus, knot_plus, value_c))
    xy_cont = _interp2(Y_minus[..., None], Y_plus[..., None], Y_c[..., None], xy_minus, xy_plus)
    snap_to_minus = nearest == value_minus
    xy_snap = jnp.where(snap_to_minus[..., None], xy_minus, xy_plus)
    xy = jnp.where(
        value_snapped[..., None], xy_cont + jax.lax.stop_gradient(xy_snap - xy_cont), xy_cont
    )

    # colour's validity: the snapped value, or both bounding values (the upper
    # one may be the white point at value 10).
    valid_plus = valid_plus | (value_plus == 10)
    in_range = (value_minus >= lowest) & (value_minus <= 9)
    valid = jnp.where(
        value_snapped,
        (nearest >= lowest) & (nearest <= 9) & jnp.where(snap_to_minus, valid_minus, valid_plus),
        in_range & valid_minus & valid_plus,
    )
    valid &= safe

    grey_xy = jnp.broadcast_to(jnp.asarray(ILLUMINANT_C_xy, dtype), xy.shape)
    xy = jnp.where(grey[..., None], grey_xy, xy)
    valid = jnp.where(grey, value_ok, valid)
    Y = value_to_luminance(jnp.where(value_ok, value, 5.0))
    return jnp.concatenate([xy, Y[..., None]], axis=-1), valid


def renotation_valid(spec: jax.typing.ArrayLike, *, dark: bool = False) -> jax.Array:
    """Whether each specification lies inside the renotation data.

    Args:
      spec: ``[..., 4]`` Munsell specification ``[hue, value, chroma, code]``.
      dark: the dark planes' validity below value 1 (``munsell_to_xyY``).

    Returns:
      ``[...]`` bool: True exactly where colour-science's
      ``munsell_specification_to_xyY`` returns a value (greys: value in
      [0, 10]); with ``dark``, also where a chromatic value in [0.2, 1) lies
      inside the dark planes' data.
    """
    return munsell_to_xyY_unmasked(spec, dark=dark)[1]


def munsell_to_xyY(spec: jax.typing.ArrayLike, *, dark: bool = False) -> jax.Array:
    """Munsell specification -> CIE xyY by the renotation, as colour-science.

    Reproduces ``colour.notation.munsell.munsell_specification_to_xyY`` (to
    about 1e-15 in float64), vectorised, jit-able and differentiable.

    Args:
      spec: ``[..., 4]`` ``[hue, value, chroma, code]``, numpy or JAX, float32
        or float64: hue in [0, 10] (0 is hue 10 of the next family), value in
        [0, 10], chroma >= 0, integer code 1..10 (1=B ... 10=PB). Greys have
        chroma 0 (any hue and code) or colour's ``[nan, V, nan, nan]`` form.

      dark: this project's extension below value 1 (module docstring):
        chromatic values in [0.2, 1) are interpolated on the renotation's
        dark planes (values 0.2-0.8 of ``MUNSELL_COLOURS_ALL``, which colour
        never reads) instead of rejected. Identical at value >= 1 (after
        snapping), exact at the dark data entries, continuous across value 1.

    Returns:
      ``[..., 3]`` xyY under illuminant C, Y in [0, 1], in the input's float
      dtype. Rows colour-science rejects are NaN (see ``renotation_valid``):
      chromatic values below 1 (after snapping within 1e-3; with ``dark``,
      below 0.2 or beyond the dark data) or at 10, chromas beyond the data at
      a bounding hue or value, hue outside [0, 10], code not an integer in
      1..10, NaN or inf; greys with value outside [0, 10].
    """
    xyY, valid = munsell_to_xyY_unmasked(spec, dark=dark)
    return jnp.where(valid[..., None], xyY, jnp.nan)


def maximum_chroma(hue_value_code: jax.typing.ArrayLike, *, dark: bool = False) -> jax.Array:
    """Largest chroma the renotation data cover, as colour's ``maximum_chroma_from_renotation``.

    The minimum over the two bounding hue steps and the two bounding integer
    values of the data's largest chroma; between values 9 and 10 it falls
    linearly in luminance to 0 at value 10, and it is 0 at value >= 9.99.

    Args:
      hue_value_code: ``[..., 3]`` ``[hue, value, code]`` (hue in [0, 10],
        value in [1, 10], integer code 1..10).
      dark: values from 0.2 to 1 too, on the dark planes (``munsell_to_xyY``):
        the minimum over the bounding planes (0.2, 0.4, 0.6, 0.8, 1), or the
        plane alone within 2e-7 of it.

    Returns:
      ``[...]`` maximum chroma (even number, or interpolated above value 9);
      NaN for values below 1 (with ``dark``, 0.2) or malformed hue/code.
    """
    hvc = as_float(hue_value_code)
    check_last_axis(hvc, 3, "hue_value_code [hue, value, code]")
    hue, value, code = hvc[..., 0], hvc[..., 1], hvc[..., 2]
    ok = (
        jnp.isfinite(hue)
        & jnp.isfinite(value)
        & (hue >= 0)
        & (hue <= 10)
        & (code == jnp.round(code))
        & (code >= 1)
        & (code <= 10)
        & (value >= (_DARK_VALUES[0] if dark else 1))
    )
    hue = jnp.where(ok, hue, 5.0)
    code = jnp.where(ok, code, 5.0)
    value = jnp.where(ok, value, 5.0)

    # colour's bounding_hues_from_renotation: exact steps bound themselves.
    # Step arithmetic in floats (small integers, exact), cast to indices last.
    family = floor_mod(7 - code, 10)
    on_step = floor_mod(hue, 2.5) == 0
    cell = jnp.floor(hue / 2.5)
    step_ccw = floor_mod(4 * family + jnp.where(on_step, cell - 1, cell), _N_HUES)
    step_cw = jnp.where(on_step, step_ccw, floor_mod(step_ccw - 1, _N_HUES))
    step_ccw, step_cw = step_ccw.astype(jnp.int32), step_cw.astype(jnp.int32)

    planes = plane_tables(dark)
    table = jnp.asarray(planes.max_chroma, hvc.dtype)
    value_minus = jnp.floor(value)
    value_plus = jnp.where(floor_mod(value, 1) == 0, value_minus, value_minus + 1)
    if dark:
        lower_plane, upper_plane, on_plane = dark_bounds(value)
        below = value < 1
        value_minus = jnp.where(below, lower_plane, value_minus)
        value_plus = jnp.where(below, jnp.where(on_plane, lower_plane, upper_plane), value_plus)
    last = table.shape[1] - 1
    vm = jnp.clip(plane_index(value_minus, planes.offset), 0, last)
    vp = jnp.clip(plane_index(value_plus, planes.offset), 0, last)
    lower = jnp.minimum(table[step_cw, vm], table[step_ccw, vm])
    both = jnp.minimum(lower, jnp.minimum(table[step_cw, vp], table[step_ccw, vp]))
    Y, Y9, Y10 = value_to_luminance(value), value_to_luminance(9.0), value_to_luminance(10.0)
    fading = lower * (Y10 - Y) / (Y10 - Y9)
    result = jnp.where(value_plus <= 9, both, fading)
    result = jnp.where(value >= 9.99, 0.0, result)
    return jnp.where(ok, result, jnp.nan)


def project_to_renotation(spec: jax.typing.ArrayLike, *, dark: bool = False) -> jax.Array:
    """Specifications moved into the renotation data, so that each one exists.

    Rows inside the data (``renotation_valid``) are returned unchanged. For
    the others a chromatic value below 0.999 becomes 1 (with ``dark``, one
    below 0.2 becomes 0.2) and one at 9.999 or above 9.998; the chroma is
    clipped to the data's largest at the bounding hue steps and values
    (``maximum_chroma``), after colour's 1e-3 snapping (above value 9, at
    value 9: colour's forward runs to the white point at 10) and to 0 below,
    a grey (of value V in [0, 10], any hue and code). The learned
    xyY -> Munsell converters end with it, so that a prediction always exists.
    Jit-able, differentiable (a clip) and exportable to ONNX.

    Args:
      spec: ``[..., 4]`` ``[hue, value, chroma, code]`` with hue in [0, 10]
        and integer code 1..10 (as a normalised prediction has).
      dark: into the data with the dark planes (``renotation_valid(...,
        dark=True)``): chromatic values from 0.2 (``munsell_to_xyY``'s
        ``dark``). Rows valid without it are unchanged by it.

    Returns:
      ``[..., 4]`` in the input's float dtype; NaN rows (or malformed hue or
      code) stay NaN.
    """
    spec = as_float(spec)
    check_last_axis(spec, 4, "spec [hue, value, chroma, code]")
    hue, value, chroma, code = (spec[..., i] for i in range(4))
    value = jnp.clip(value, 0.0, 10.0)
    # Chromatic values run from 1 (0.999 snaps to it; with dark, from 0.2) to
    # below 9.999 (which snaps to 10).
    lowest = float(_DARK_VALUES[0]) if dark else 1.0
    chromatic_value = jnp.where(value < lowest - (0.0 if dark else 0.999e-3), lowest, value)
    chromatic_value = jnp.where(value > 10.0 - 1.0001e-3, 9.998, chromatic_value)
    # The ceiling where colour's forward looks it up: snapped hue and value.
    step = 2.5 * jnp.round(hue / 2.5)
    snapped_hue = jnp.where(jnp.abs(hue - step) < _THRESHOLD_INTEGER, step, hue)
    integer = jnp.round(chromatic_value)
    snapped_value = jnp.where(
        jnp.abs(chromatic_value - integer) <= _THRESHOLD_INTEGER, integer, chromatic_value
    )
    ceiling = maximum_chroma(
        jnp.stack([snapped_hue, jnp.minimum(snapped_value, 9.0), code], axis=-1), dark=dark
    )
    chroma = jnp.where(chroma > 0, jnp.minimum(chroma, ceiling), jnp.where(chroma < 0, 0.0, chroma))
    grey = chroma == 0  # any hue and code: a grey of value V
    projected = jnp.stack([hue, jnp.where(grey, value, chromatic_value), chroma, code], axis=-1)
    return jnp.where(jnp.isnan(chroma)[..., None], jnp.nan, projected)
