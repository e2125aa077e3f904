"""Batched CIE xyY -> Munsell: a damped, projected Newton solve on the exact forward.

colour-science inverts the renotation one colour at a time with nested
bisection-like loops (0.2-1 s per colour on these machines) and gives up on
about 6% of the REAL colours. Here every row of a batch is solved at once, in
one jitted program with a fixed iteration budget:

1. the Munsell value follows from Y directly (ASTM D1535, as colour);
2. the start is the renotation data point nearest in xy at the nearest integer
   value;
3. Newton steps in (ASTM hue, chroma) on the exact forward ``munsell_to_xyY``,
   with the Jacobian (and, in the last iteration, the second derivatives in
   hue) from one nested forward-mode pass: Newton steps in Cartesian
   coordinates about the white point, except that the last iteration, where
   its step is under one chroma unit (above chroma 2), takes the step that
   zeroes the local second-order model, which inside a renotation cell that
   interpolates linearly is the forward itself. Steps are limited to one hue
   cell and one chroma step, and chroma projected onto [0, the largest
   chroma the forward accepts]; where the projection is active the step is
   a Gauss-Newton step in hue alone, so colours beyond the data end at the
   nearest specification on the table's edge.
4. With a first guess (``init``), whichever of the guess and the table's
   start lands closer in xy starts the solve.
5. The retry pass (``retries=True``, the default): rows the Newton
   iterations leave above 1e-7 in xy are solved again from five more starts
   (the middles of the hue cell they ended in and of its neighbours, and
   either side of the nearest hue step), each with the same iteration
   budget, and by a four-step chroma search on each of the four nearest hue
   steps, keeping the closest (``_retry``). This finds the answer where the
   first solve ends in a local minimum (at a jump of the data's chroma
   bound, or 1e-3 in hue off a step whose snapping zone holds the answer),
   and the nearest edge point for colours beyond the data; it is also where
   a short budget spends its time, as the rows it leaves close but not
   exact go through it.

The result is exact where an exact answer exists (xy residual about 1e-15),
except in the 1e-3 snapping zones of hue and value, where colour's forward is
flat and jumps at the zone edges by up to about 1e-5 in xy, so that some xy
have no exact specification.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from munsell_jax.arrays import as_float, check_last_axis, floor_mod
from munsell_jax.cells import (
    CellPlanes,
    astm_chroma,
    cell_of,
    cell_planes,
    cell_residual,
    edge_answer,
    snap_zone_answer,
    walk_cells,
    wrap_step,
)
from munsell_jax.colorimetry import ILLUMINANT_C_xy
from munsell_jax.renotation import (
    dark_bounds,
    luminance_to_value,
    munsell_to_xyY_unmasked,
    plane_index,
    plane_tables,
    value_to_luminance,
)

__all__ = ["BOUNDED_MODEL", "HYBRID_MODEL", "InverseResult", "xyY_to_munsell"]

_ITERATIONS = 8
_GREY_RADIUS = 1e-9  # xy distance to the white point below which a colour is grey
_OK_RESIDUAL = 1e-4  # xy residual above which a row is not ``ok``
_OK_LUMINANCE = 1e-5  # |Y error| above which a row is not ``ok`` (ASTM D1535 round trip: 5e-8)
_RETRY_RESIDUAL = 1e-7  # xy residual above which a row gets second chances
_MIN_CHROMA = 1e-12  # the solve stays chromatic: chroma 0 is the grey branch, flat in hue
_MAX_STEP = 3.0  # longest Newton step, in chroma units
_LOCAL_STEP = 1.0  # longest step taken from the local second-order model, in chroma units
_LOCAL_MIN_CHROMA = 2.0  # below it (the cell about grey) every step is a Cartesian Newton step
_LOCAL_POLISH = 3  # Newton iterations on the local model (arithmetic, no forward passes)
_STEP_FRACTIONS = (1.0, 0.5, 0.25, 0.1)  # of a Newton step, tried in turn to stay in the data
_RADIANS_PER_ASTM = 2 * 3.141592653589793 / 100  # ASTM hue runs 0-100 around the circle
_DARK_LOWEST = 0.2  # the lowest value with renotation data (``dark=True``)


class InverseResult(NamedTuple):
    """What ``xyY_to_munsell`` returns, per row.

    Attributes:
      specification: ``[..., 4]`` ``[hue, value, chroma, code]``, normalised
        (hue in (0, 10], code 1..10; greys ``[0, V, 0, 0]``), always inside the
        renotation data when the input is finite and Y > 0; NaN for NaN/inf
        input.
      residual: ``[...]`` Euclidean xy distance between the input and the
        exact forward of ``specification``.
      ok: ``[...]`` bool, True exactly when ``specification`` exists
        (``renotation_valid``, the one definition of validity) and its exact
        forward reproduces the input: ``residual`` at most 1e-4 and Y within
        1e-5. False for NaN/inf, for colours beyond the renotation data, and
        for chromatic colours darker than value 1 (Y < 0.0118), which
        colour's data do not cover (with ``dark=True``, darker than value
        0.2, Y < 0.0023; validity then is the dark forward's).
    """

    specification: jax.Array
    residual: jax.Array
    ok: jax.Array


def _spec_from_astm(astm: jax.Array, value: jax.Array, chroma: jax.Array) -> jax.Array:
    """ASTM hue (any real, period 100) -> specification; hue 0 is left to normalise."""
    astm = floor_mod(astm, 100.0)
    family = jnp.floor(astm / 10)
    hue = astm - 10 * family
    code = floor_mod(7 - family, 10)
    code = jnp.where(code == 0, 10.0, code)
    return jnp.stack([hue, value, chroma, code], axis=-1)


def _normalised(spec: jax.Array) -> jax.Array:
    hue, value, chroma, code = (spec[..., i] for i in range(4))
    wrap = hue == 0
    hue = jnp.where(wrap, 10.0, hue)
    code = jnp.where(wrap, floor_mod(code, 10) + 1, code)
    grey = chroma == 0
    zero = jnp.zeros_like(hue)
    return jnp.stack(
        [jnp.where(grey, zero, hue), value, chroma, jnp.where(grey, zero, code)], axis=-1
    )


def _chroma_bound(astm: jax.Array, value: jax.Array, dark: bool = False) -> jax.Array:
    """Largest chroma the forward accepts at this hue and value.

    The minimum of the data's largest chroma over the hue steps and planes
    the forward reads: the snapped hue step, or both bounding steps; the
    snapped value, or both bounding values (above value 9 only 9: the white
    point lies beyond); with ``dark``, below value 1 the dark planes.
    """
    tables = plane_tables(dark)
    table = jnp.asarray(tables.max_chroma, astm.dtype)
    a = floor_mod(astm, 100.0)
    nearest_step = jnp.round(a / 2.5)
    hue_snapped = jnp.abs(a - 2.5 * nearest_step) < 1e-3
    # Step arithmetic in floats (small integers, exact), cast to indices last.
    step_ccw = floor_mod(jnp.floor(a / 2.5), 40)
    step_cw = floor_mod(step_ccw - 1, 40).astype(jnp.int32)
    step_ccw = step_ccw.astype(jnp.int32)
    snap_step = floor_mod(nearest_step - 1, 40).astype(jnp.int32)
    step_cw = jnp.where(hue_snapped, snap_step, step_cw)
    step_ccw = jnp.where(hue_snapped, snap_step, step_ccw)
    nearest = jnp.round(value)
    snapped = jnp.abs(value - nearest) <= 1e-3
    v_minus = jnp.where(snapped, nearest, jnp.floor(value))
    v_plus = jnp.where(snapped | (v_minus >= 9), v_minus, v_minus + 1)
    if dark:
        below = (value < 1) & ~(snapped & (nearest == 1))
        lower, upper, on_plane = dark_bounds(value)
        v_minus = jnp.where(below, lower, v_minus)
        v_plus = jnp.where(below, jnp.where(on_plane, lower, upper), v_plus)
    last = table.shape[1] - 1
    vm = jnp.clip(plane_index(v_minus, tables.offset), 0, last)
    vp = jnp.clip(plane_index(v_plus, tables.offset), 0, last)
    bound = jnp.minimum(
        jnp.minimum(table[step_cw, vm], table[step_ccw, vm]),
        jnp.minimum(table[step_cw, vp], table[step_ccw, vp]),
    )
    # A hue step with no data on a plane (one, at value 0.2) leaves the cells
    # beside it no chroma at all; the solve stays chromatic and moves on.
    return jnp.maximum(bound, _MIN_CHROMA)


def _edge_candidates(xy_of, xy, astm, value, chroma, dark: bool, iterations: int = 4):
    """Best chroma at the hue steps around ``astm``: where the data end, the
    nearest specification often sits on a step, whose own data reach further
    than those of the cells beside it."""
    base = 2.5 * jnp.floor(floor_mod(astm, 100.0) / 2.5)
    steps = base[..., None] + 2.5 * jnp.arange(-1.0, 3.0, dtype=astm.dtype)  # [..., 4]
    value = jnp.broadcast_to(value[..., None], steps.shape)
    target = xy[..., None, :]
    bound = _chroma_bound(steps, value, dark)
    chroma = jnp.minimum(chroma[..., None], bound)

    def step(_, chroma):
        r, d = jax.jvp(lambda c: xy_of(steps, value, c), (chroma,), (jnp.ones_like(chroma),))
        norm = jnp.sum(d**2, axis=-1)
        delta = -jnp.sum(d * (r - target), axis=-1) / jnp.where(norm > 1e-30, norm, 1e-30)
        return jnp.clip(chroma + jnp.clip(delta, -4.0, 4.0), 0.0, bound)

    chroma = jax.lax.fori_loop(0, iterations, step, chroma)
    residual = jnp.linalg.norm(xy_of(steps, value, chroma) - target, axis=-1)
    best = jnp.argmin(residual, axis=-1)[..., None]
    pick = lambda a: jnp.take_along_axis(a, best, axis=-1)[..., 0]  # noqa: E731
    return pick(steps), pick(chroma), pick(residual)


@functools.cache
def _start_table(dark: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Angle (radians, about the white point) and radius of the data point per
    plane (integer value, and with ``dark`` the dark planes first), even
    chroma and hue step: ``[P, 25, 40]`` each.

    Beyond the data at a step, the angle of its highest chroma is kept and the
    radius extrapolated in proportion to the chroma; a step with no data on
    a plane (one at value 0.2) takes the mean of its neighbours.
    """
    tables = plane_tables(dark)
    d = tables.xy - np.asarray(ILLUMINANT_C_xy)  # [40, P, 25, 2]
    angle = np.arctan2(d[..., 1], d[..., 0])
    radius = np.hypot(d[..., 0], d[..., 1])
    chroma = 2.0 * np.arange(1, 26)
    empty = []
    for s in range(40):
        for v in range(angle.shape[1]):
            if not tables.valid[s, v].any():
                empty.append((s, v))
                continue
            last = np.flatnonzero(tables.valid[s, v]).max()
            angle[s, v, last + 1 :] = angle[s, v, last]
            radius[s, v, last + 1 :] = radius[s, v, last] * chroma[last + 1 :] / chroma[last]
    for s, v in empty:
        (a0, a1), (r0, r1) = angle[[s - 1, (s + 1) % 40], v], radius[[s - 1, (s + 1) % 40], v]
        angle[s, v] = a0 + np.angle(np.exp(1j * (a1 - a0))) / 2
        radius[s, v] = (r0 + r1) / 2
    return np.moveaxis(angle, 0, -1), np.moveaxis(radius, 0, -1)


def _initial_guess(xy: jax.Array, value: jax.Array, dark: bool) -> tuple[jax.Array, jax.Array]:
    """(ASTM hue, chroma) from the data's ovoids at the nearest plane (integer
    value, or with ``dark`` below value 1 the nearest dark plane).

    The hue is interpolated in angle about the white point between the two
    hue steps around the target, the chroma scaled by radius; first on the
    chroma-2 ovoid, then twice more on the ovoid of the chroma found (hue
    lines curve in xy). 40 angles per row and pass, where a nearest-neighbour
    search over the whole table reads 1,000 points per row (and cost as much
    as the Newton solve).
    """
    angles, radii = (jnp.asarray(t, xy.dtype) for t in _start_table(dark))
    plane = jnp.clip(jnp.round(value), 1, 9)
    if dark:
        plane = jnp.where(value < 1, jnp.clip(jnp.round(5 * value), 1, 5) / 5, plane)
    v = plane_index(plane, plane_tables(dark).offset)
    d = xy - jnp.asarray(ILLUMINANT_C_xy, xy.dtype)
    target = jnp.arctan2(d[..., 1], d[..., 0])
    distance = jnp.hypot(d[..., 0], d[..., 1])
    pick = lambda t, i: jnp.take_along_axis(t, i[..., None], axis=-1)[..., 0]  # noqa: E731

    def estimate(ring_index):
        # The ovoid ``ring_index``'s angles and radii at the 40 steps: ``[..., 40]``.
        angle, radius = angles[v, ring_index], radii[v, ring_index]
        # The angle grows with the ASTM hue: the step below the target is the
        # one with the smallest angle from it, counter-clockwise.
        ahead = floor_mod(target[..., None] - angle, 2 * jnp.pi)
        below = jnp.argmin(ahead, axis=-1)
        above = jnp.where(below == 39, 0, below + 1)
        width = floor_mod(pick(angle, above) - pick(angle, below), 2 * jnp.pi)
        t = jnp.clip(pick(ahead, below) / jnp.where(width > 0, width, 1.0), 0.0, 1.0)
        ring_radius = (1 - t) * pick(radius, below) + t * pick(radius, above)
        chroma = 2.0 * (ring_index + 1) * distance / jnp.where(ring_radius > 0, ring_radius, 1.0)
        return floor_mod(2.5 * (below + 1 + t), 100.0), chroma

    astm, chroma = estimate(jnp.zeros(xy.shape[:-1], jnp.int32))
    for _ in range(2):
        astm, chroma = estimate(jnp.clip(jnp.round(chroma / 2) - 1, 0, 24).astype(jnp.int32))
    return astm, jnp.clip(chroma, _MIN_CHROMA, _chroma_bound(astm, value, dark))


# The walk's start: per renotation plane and polar bin about the white point,
# the cell the Newton solve finds at the bin's centre (``build_start_cells``;
# ``scripts/make_renotation_tables.py`` writes the file, the tests check it).
START_FILE = Path(__file__).parent / "data" / "start_cells.npz"
_START_PLANES = (0.2, 0.4, 0.6, 0.8, 1, 2, 3, 4, 5, 6, 7, 8, 9)
_START_ANGLES = 360  # bins of 1 degree
_START_RADII = 64  # bins even in the square root of the distance to the white point
_START_REACH = 0.6  # xy distance of the outermost bin's edge (the data reach 0.45)


def _start_bin(xy: jax.Array) -> tuple[jax.Array, jax.Array]:
    """(angle bin, radius bin) of xy about the white point."""
    d = xy - jnp.asarray(ILLUMINANT_C_xy, xy.dtype)
    turns = jnp.arctan2(d[..., 1], d[..., 0]) / (2 * np.pi) + 0.5  # [0, 1]
    angle = jnp.clip(jnp.floor(turns * _START_ANGLES), 0, _START_ANGLES - 1)
    reach = jnp.sqrt(jnp.hypot(d[..., 0], d[..., 1]) / _START_REACH)
    radius = jnp.clip(jnp.floor(reach * _START_RADII), 0, _START_RADII - 1)
    return angle.astype(jnp.int32), radius.astype(jnp.int32)


def start_bin_centres() -> np.ndarray:
    """xy of every bin's centre: ``[angles, radii, 2]``."""
    angle = (np.arange(_START_ANGLES) + 0.5) / _START_ANGLES * 2 * np.pi - np.pi
    radius = _START_REACH * ((np.arange(_START_RADII) + 0.5) / _START_RADII) ** 2
    polar = radius[None, :, None] * np.stack([np.cos(angle), np.sin(angle)], -1)[:, None, :]
    return np.asarray(ILLUMINANT_C_xy) + polar


def build_start_cells() -> np.ndarray:
    """The walk's start table, ``[13 planes, 360 angles, 64 radii, (step, k)]``
    int8: the cell of the Newton solve's answer (``init="table"``, dark
    planes included) at each bin's centre, on each renotation plane. About
    300,000 solves: 25 s."""
    centres = start_bin_centres().reshape(-1, 2)
    planes = np.repeat(np.arange(len(_START_PLANES)), len(centres))
    cells = start_cells_at(planes, np.tile(centres, (len(_START_PLANES), 1)))
    return cells.reshape(len(_START_PLANES), _START_ANGLES, _START_RADII, 2)


def start_cells_at(planes: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """The start table's entries ``[N, (step, k)]`` (int8) for plane indices
    ``planes [N]`` (into 0.2, 0.4, 0.6, 0.8, 1, ..., 9) at ``xy [N, 2]``, the
    bins' centres: the cell of the Newton solve's answer. Needs float64."""
    Y = np.asarray(value_to_luminance(jnp.asarray(_START_PLANES, jnp.float64)))[planes]
    xyY = jnp.asarray(np.concatenate([xy, Y[:, None]], axis=-1), jnp.float64)
    spec = _solve_jit(xyY, _ITERATIONS, None, True, True).specification
    astm = floor_mod(10 * floor_mod(7 - spec[..., 3], 10) + spec[..., 0], 100.0)
    step, k = cell_of(astm, spec[..., 2])
    # Greys (the innermost bins' centres lie off the white point) get chroma
    # interval 0 at their (arbitrary) hue step.
    return np.stack([np.asarray(step), np.asarray(k)], axis=-1).astype(np.int8)


@functools.cache
def _start_cells() -> np.ndarray:
    # Loaded while a solve is traced: it cannot be built there (a solve of its own).
    if not START_FILE.exists():
        raise FileNotFoundError(
            f"{START_FILE} (package data) is missing: `python scripts/make_renotation_tables.py` "
            "writes it"
        )
    with np.load(START_FILE) as arrays:
        return arrays["cells"]


def _start_cell(xy: jax.Array, value: jax.Array) -> tuple[jax.Array, jax.Array]:
    """The walk's first cell (step, k): the start table's at the nearest plane."""
    plane = jnp.where(
        value < 0.9,
        jnp.clip(jnp.round(5 * value) - 1, 0, 3),
        jnp.clip(jnp.round(value), 1, 9) + 3,
    ).astype(jnp.int32)
    angle, radius = _start_bin(xy)
    cell = (
        jnp.asarray(_start_cells())  # int8
        .at[plane, angle, radius]
        .get(mode="promise_in_bounds", wrap_negative_indices=False)
        .astype(jnp.int32)
    )
    return cell[..., 0], cell[..., 1]


def _xy_of(astm: jax.Array, value: jax.Array, chroma: jax.Array, dark: bool = False) -> jax.Array:
    """xy of the forward at (ASTM hue, value, chroma), invalid rows unmasked."""
    xyY_model, _ = munsell_to_xyY_unmasked(_spec_from_astm(astm, value, chroma), dark=dark)
    return xyY_model[..., :2]


def _cross(p: jax.Array, q: jax.Array) -> jax.Array:
    return p[..., 0] * q[..., 1] - p[..., 1] * q[..., 0]


def _cartesian_step(r, d_astm, d_chroma, astm, chroma, fraction):
    """Newton step in Cartesian coordinates (u, v) = chroma (cos, sin)(hue
    angle) about the white point, shortened by each of ``fraction``
    ``[F, 1...]``; returns (astm, chroma), each ``[F, ...]``.

    In polar (hue, chroma) the Jacobian is singular at chroma 0, where
    low-chroma colours would stall. d xy / d hue vanishes like the chroma, so
    dividing it by the chroma stays finite.
    """
    theta = astm * _RADIANS_PER_ASTM
    cos, sin = jnp.cos(theta), jnp.sin(theta)
    d_tangent = d_astm / (chroma * _RADIANS_PER_ASTM)[..., None]
    d_u = d_chroma * cos[..., None] - d_tangent * sin[..., None]
    d_v = d_chroma * sin[..., None] + d_tangent * cos[..., None]
    det = _cross(d_u, d_v)
    safe_det = jnp.where(jnp.abs(det) > 1e-30, det, 1e-30)
    delta_u = -_cross(r, d_v) / safe_det
    delta_v = -_cross(d_u, r) / safe_det
    length = jnp.hypot(delta_u, delta_v)
    shrink = jnp.minimum(1.0, _MAX_STEP / jnp.where(length > 0, length, 1.0))
    u = chroma * cos + fraction * shrink * delta_u
    v = chroma * sin + fraction * shrink * delta_v
    chroma_new = jnp.hypot(u, v)
    astm_new = jnp.where(
        chroma_new > _MIN_CHROMA, floor_mod(jnp.arctan2(v, u) / _RADIANS_PER_ASTM, 100.0), astm
    )
    return astm_new, chroma_new


def _local_step(r, d_astm, d_chroma, d_astm_chroma, d_astm_astm, astm, chroma, fraction):
    """The step (da, dc) in (ASTM hue, chroma) that zeroes the local model
    ``r + Fa da + Fc dc + Fac da dc + Faa da^2 / 2`` of the residual,
    shortened by each of ``fraction``; returns (astm, chroma) ``[F, ...]``,
    the full step's length in chroma units, and whether it was solved.

    Inside a renotation cell (two bounding hue steps, even chromas and
    values) the forward is linear in chroma (``Fcc = 0``) and, where the cell
    interpolates linearly in xy, linear in hue too: the model is then the
    forward itself, and from a start in the answer's cell one step lands on
    it. Where the cell interpolates radially it is exact to second order. A
    Newton step drops the second-order terms: from a guess 1 chroma and 0.05
    hue away at chroma 20 that leaves about 2e-5 in xy, CIEDE2000 0.001 at
    value 9, which was what kept the exact hybrid at 2 iterations on REAL.

    The bilinear part is solved in closed form (eliminating ``da`` leaves a
    quadratic in ``dc``, whose root nearest the Newton step is taken in the
    cancellation-free form), then ``_LOCAL_POLISH`` Newton iterations on the
    model add the hue curvature: arithmetic only, no forward evaluations.
    """
    safe = lambda t: jnp.where(jnp.abs(t) > 1e-30, t, 1e-30)  # noqa: E731
    a = _cross(d_astm_chroma, d_chroma)
    b = _cross(d_astm, d_chroma) + _cross(d_astm_chroma, r)
    c = _cross(d_astm, r)
    discriminant = b * b - 4 * a * c
    q = -0.5 * (b + jnp.where(b < 0, -1.0, 1.0) * jnp.sqrt(jnp.maximum(discriminant, 0.0)))
    delta_chroma = c / safe(q)
    d_hue = d_astm + d_astm_chroma * delta_chroma[..., None]
    remaining = r + d_chroma * delta_chroma[..., None]
    delta_astm = -jnp.sum(d_hue * remaining, axis=-1) / safe(jnp.sum(d_hue**2, axis=-1))
    for _ in range(_LOCAL_POLISH):
        da, dc = delta_astm[..., None], delta_chroma[..., None]
        model = r + d_astm * da + d_chroma * dc + d_astm_chroma * da * dc + d_astm_astm * da**2 / 2
        j_astm = d_astm + d_astm_chroma * dc + d_astm_astm * da
        j_chroma = d_chroma + d_astm_chroma * da
        det = safe(_cross(j_astm, j_chroma))
        delta_astm = delta_astm - _cross(model, j_chroma) / det
        delta_chroma = delta_chroma - _cross(j_astm, model) / det
    solved = (discriminant >= 0) & (jnp.abs(q) > 1e-30)
    solved &= jnp.isfinite(delta_chroma) & jnp.isfinite(delta_astm)
    length = jnp.hypot(delta_astm * _RADIANS_PER_ASTM * chroma, delta_chroma)
    shrink = jnp.minimum(1.0, _MAX_STEP / jnp.where(length > 0, length, 1.0))
    astm_new = floor_mod(astm + fraction * shrink * delta_astm, 100.0)
    chroma_new = chroma + fraction * shrink * delta_chroma
    return astm_new, chroma_new, length, solved


def _newton(xy, value, astm, chroma, iterations: int, dark: bool):
    """Damped, projected Newton from (astm, chroma); returns (astm, chroma, residual).

    The last of the ``iterations`` also reads the second derivatives in hue
    and, where its step is short, takes the local model's step
    (``_local_step``); the others are Cartesian Newton steps, which cost
    about 40% as much.
    """

    def xy_of(astm, chroma):
        return _xy_of(astm, value, chroma, dark)

    def derivatives(astm, chroma, second_order: bool):
        """The residual and Fa, Fc, and if asked Fac and Faa (else None), in
        one nested forward-mode pass."""
        ones, zeros = jnp.ones_like(astm), jnp.zeros_like(astm)
        tangents = jnp.stack([ones, zeros]), jnp.stack([zeros, ones])  # along hue, chroma
        if not second_order:
            r, (d_astm, d_chroma) = jax.vmap(
                lambda ta, tc: jax.jvp(xy_of, (astm, chroma), (ta, tc)), out_axes=(None, 0)
            )(*tangents)
            return r - xy, d_astm, d_chroma, None, None

        def along_hue(astm, chroma):
            return jax.jvp(xy_of, (astm, chroma), (ones, zeros))

        (r, d_astm), (d_xy, d_hue) = jax.vmap(
            lambda ta, tc: jax.jvp(along_hue, (astm, chroma), (ta, tc)), out_axes=(None, 0)
        )(*tangents)
        # Index 0 is the tangent along hue, 1 along chroma.
        return r - xy, d_astm, d_xy[1], d_hue[1], d_hue[0]

    def step(astm, chroma, second_order: bool):
        r, d_astm, d_chroma, d_astm_chroma, d_astm_astm = derivatives(astm, chroma, second_order)
        fraction = jnp.array(_STEP_FRACTIONS, astm.dtype).reshape((-1,) + (1,) * astm.ndim)
        astm_new, chroma_new = _cartesian_step(r, d_astm, d_chroma, astm, chroma, fraction)
        if second_order:
            astm_local, chroma_local, length, solved = _local_step(
                r, d_astm, d_chroma, d_astm_chroma, d_astm_astm, astm, chroma, fraction
            )
            # Far from the answer the local model is no better than a Newton
            # step and may point out of the cell.
            use = solved & (length <= _LOCAL_STEP) & (chroma > _LOCAL_MIN_CHROMA)
            astm_new = jnp.where(use, astm_local, astm_new)
            chroma_new = jnp.where(use, chroma_local, chroma_new)
        inside = chroma_new <= _chroma_bound(
            astm_new, jnp.broadcast_to(value, astm_new.shape), dark
        )
        first = jnp.where(jnp.any(inside, axis=0), jnp.argmax(inside, axis=0), 0)[None]
        chroma_new = jnp.take_along_axis(chroma_new, first, axis=0)[0]
        astm_new = jnp.take_along_axis(astm_new, first, axis=0)[0]
        # Gauss-Newton in hue alone, for rows held at the chroma bound.
        norm = jnp.sum(d_astm**2, axis=-1)
        delta_astm_edge = -jnp.sum(d_astm * r, axis=-1) / jnp.where(norm > 1e-30, norm, 1e-30)
        bound = _chroma_bound(astm, value, dark)
        at_edge = (chroma >= bound) & (chroma_new > chroma)
        astm_edge = floor_mod(astm + jnp.clip(delta_astm_edge, -2.5, 2.5), 100.0)
        astm = jnp.where(at_edge, astm_edge, astm_new)
        chroma = jnp.where(at_edge, chroma, chroma_new)
        chroma = jnp.clip(chroma, _MIN_CHROMA, _chroma_bound(astm, value, dark))
        return astm, chroma

    chroma = jnp.clip(chroma, _MIN_CHROMA, _chroma_bound(astm, value, dark))
    newton_step = lambda _, state: step(*state, second_order=False)  # noqa: E731
    astm, chroma = jax.lax.fori_loop(0, max(iterations - 1, 0), newton_step, (astm, chroma))
    if iterations > 0:
        astm, chroma = step(astm, chroma, second_order=True)
    residual = jnp.linalg.norm(xy_of(astm, chroma) - xy, axis=-1)
    return astm, chroma, residual


def _retry(xy, value, astm, chroma, residual, iterations: int, dark: bool):
    """Second chances for rows ``[K]`` the first solve left inexact.

    The first solve can end in a local minimum where the data's chroma
    bound jumps between hue cells (it starts on a hue step and stays in the
    wrong cell), or on the data's edge for colours beyond it. Retry from the
    middles of the hue cell it ended in and of the cells beside it, from just
    either side of the nearest hue step (where the chroma bound jumps), and
    along the steps' own edges, and keep whichever lands closest.
    """
    middle = 2.5 * jnp.floor(astm / 2.5) + 1.25
    step = 2.5 * jnp.round(astm / 2.5)
    starts = jnp.concatenate(
        [
            middle[None] + jnp.array([-2.5, 0.0, 2.5], astm.dtype)[:, None],
            step[None] + jnp.array([-0.01, 0.01], astm.dtype)[:, None],
        ]
    )
    starts = floor_mod(starts, 100.0)
    chroma_start = jnp.broadcast_to(chroma, starts.shape)
    candidates = [(astm, chroma, residual)]
    value_start = jnp.broadcast_to(value, starts.shape)
    a, c, r = _newton(xy[None], value_start, starts, chroma_start, iterations, dark)
    candidates += [(a[i], c[i], r[i]) for i in range(len(starts))]
    xy_of = functools.partial(_xy_of, dark=dark)
    candidates.append(_edge_candidates(xy_of, xy, astm, value, chroma, dark))
    a, c, r = (jnp.stack(parts) for parts in zip(*candidates, strict=True))
    best = jnp.argmin(r, axis=0)[None]
    pick = lambda t: jnp.take_along_axis(t, best, axis=0)[0]  # noqa: E731
    return pick(a), pick(c), pick(r)


def _retry_pass(xy, value, astm, chroma, residual, finite, iterations: int, dark: bool):
    """``_retry`` for every finite row whose xy residual is above
    ``_RETRY_RESIDUAL`` (1e-7); returns (astm, chroma).

    The rows go the worst ``size`` (a sixteenth of the batch, at least 16) at
    a time through a ``while_loop``, so a batch pays in proportion to how
    many rows are left inexact: each costs five more solves of
    ``iterations`` Newton iterations and a four-step chroma search on four
    hue steps. Colours with no exact answer (beyond the data, in snap gaps)
    always pay it.
    """
    n = xy.shape[0]
    size = min(n, max(16, n // 16))

    def pending(state):
        _, _, residual, tried = state
        return (residual > _RETRY_RESIDUAL) & ~tried

    def retry_some(state):
        astm, chroma, residual, tried = state
        _, rows = jax.lax.top_k(jnp.where(pending(state), residual, -1.0), size)
        a, c, r = _retry(
            xy[rows], value[rows], astm[rows], chroma[rows], residual[rows], iterations, dark
        )
        return (
            astm.at[rows].set(a),
            chroma.at[rows].set(c),
            residual.at[rows].set(r),
            tried.at[rows].set(True),
        )

    astm, chroma, _, _ = jax.lax.while_loop(
        lambda state: jnp.any(pending(state)), retry_some, (astm, chroma, residual, ~finite)
    )
    return astm, chroma


def _model_start(
    start: jax.Array, value: jax.Array, fallback: tuple[jax.Array, jax.Array], dark: bool
):
    """(ASTM hue, chroma) from given specifications ``[N, 4]``; rows without a
    usable hue (greys, NaN) keep the ``fallback`` start."""
    hue, chroma, code = start[..., 0], start[..., 2], start[..., 3]
    usable = jnp.isfinite(hue) & jnp.isfinite(chroma) & (chroma > 0) & (code >= 1)
    astm = floor_mod(10 * floor_mod(7 - code, 10) + hue, 100.0)
    astm = jnp.where(usable, astm, fallback[0])
    chroma = jnp.where(usable, chroma, fallback[1])
    return astm, jnp.clip(chroma, _MIN_CHROMA, _chroma_bound(astm, value, dark))


def _closer_start(xy, value, given, table, dark: bool):
    """Per row, whichever of two (ASTM hue, chroma) starts lands closer to
    ``xy``: a model's guess far off (a near-white colour guessed at chroma
    5, say) costs more Newton steps than the table's start, and choosing
    costs one forward pass, no derivatives."""
    residual = [jnp.linalg.norm(_xy_of(a, value, c, dark) - xy, axis=-1) for a, c in (given, table)]
    use_given = ~(residual[1] < residual[0])  # NaN residuals keep the given start
    return tuple(jnp.where(use_given, g, t) for g, t in zip(given, table, strict=True))


def _chromatic_value(value: jax.Array, dark: bool) -> jax.Array:
    """The value a chromatic colour is solved at: in [1, 10) after colour's 1e-3
    snapping (0.9991-9.9989), or with ``dark`` in [0.2, 9.9989]."""
    return jnp.clip(value, _DARK_LOWEST if dark else 1.0 - 0.9e-3, 10.0 - 1.1e-3)


class _Prepared(NamedTuple):
    """A batch's rows as the solvers take them."""

    xyY: jax.Array  # [N, 3]
    xy: jax.Array  # [N, 2], NaN/inf rows at the white point
    Y: jax.Array  # [N]
    finite: jax.Array  # [N] bool
    value: jax.Array  # [N] in [0, 10]
    value_solve: jax.Array  # [N] the value a chromatic colour is solved at


def _prepared(xyY: jax.Array, dark: bool) -> _Prepared:
    xyY = xyY.reshape(-1, 3)
    Y = xyY[..., 2]
    # Column by column: onnxruntime's integer reductions are slow.
    finite = jnp.isfinite(xyY[..., 0]) & jnp.isfinite(xyY[..., 1]) & jnp.isfinite(Y)
    # Solve every row on safe numbers; report the unsolvable ones through ``ok``.
    grey_xy = jnp.asarray(ILLUMINANT_C_xy, xyY.dtype)
    xy = jnp.where(finite[..., None], xyY[..., :2], grey_xy)
    # colour's table extrapolates Y = 1 to value 10.0000002: clip to [0, 10].
    value = jnp.clip(luminance_to_value(jnp.where(finite, Y, 0.5)), 0.0, 10.0)
    return _Prepared(xyY, xy, Y, finite, value, _chromatic_value(value, dark))


def _solve(
    xyY: jax.Array,
    iterations: int,
    start: jax.Array | None = None,
    retries: bool = True,
    dark: bool = False,
    cells: bool = False,
) -> InverseResult:
    """The inverse: ``cells`` walks the renotation cells (``_walk``), else the
    Newton solve from the table's start or ``start``."""
    rows = _prepared(xyY, dark)
    if cells:
        astm, chroma = _walk(rows, dark)
    else:
        astm, chroma = _newton_solve(
            rows.xy, rows.value_solve, rows.finite, iterations, start, retries, dark
        )
    return _answer(rows, astm, chroma, dark, xyY.shape[:-1])


_WALK_ROUNDS = 3  # cells solved per row on the walk (the last on the arcs too)
_WALK_MORE = 4  # more cells for the rows the walk leaves outside their cell


def _walk(rows: _Prepared, dark: bool) -> tuple[jax.Array, jax.Array]:
    """(ASTM hue, chroma) by walking the renotation cells (``munsell_jax.cells``).

    From the ovoids' start between the value's planes, each row solves the
    forward's own formula in its cell and moves to the cell the solution
    points to, ``_WALK_ROUNDS`` times; inside colour's 1e-3 hue snapping
    zones the closer of the step's line and the zone's edge
    (``_first_walk``). Rows that end outside their cell or beyond the data
    get second chances (``_second_chances``): more cells, then the nearest
    point of the data's edge.
    """
    planes, cell, pending = _first_walk(rows, dark)
    cell = _walk_second_chances(rows.xy, planes, cell, pending, dark)
    return astm_chroma(*cell)


def _first_walk(rows: _Prepared, dark: bool):
    """The walk's first ``_WALK_ROUNDS`` cells: (planes, (step, k, u, w), pending)."""
    planes = cell_planes(rows.value_solve, dark)
    step, k = _start_cell(rows.xy, rows.value_solve)
    step, k, u, w, inside, valid = walk_cells(
        rows.xy, planes, step, k, _WALK_ROUNDS, dark, arc_rounds=1
    )
    cell = snap_zone_answer(rows.xy, planes, step, k, u, w, dark)
    return planes, cell, rows.finite & ~(inside & valid)


def _second_chances(target, planes: CellPlanes, step, k, dark: bool):
    """``_WALK_MORE`` more cells from where the walk ended (``step``, ``k``) and
    from the hue cells either side (the forward's image of neighbouring cells
    can overlap where the data's chroma bound jumps); the first that ends
    inside a cell the data cover, else the closest of their answers (clipped
    into their cells) and the nearest point of the data's edge
    (``cells.edge_answer``). Returns (step, k, u, w)."""
    # The three walks as one batch of three times the rows.
    thrice = lambda a: jnp.concatenate([a, a, a])  # noqa: E731
    target3, planes3, k3 = thrice(target), jax.tree.map(thrice, planes), thrice(k)
    step3 = wrap_step(jnp.concatenate([step, step - 1, step + 1]))
    s, kk, u, w, inside, valid = walk_cells(
        target3, planes3, step3, k3, _WALK_MORE, dark, _WALK_MORE
    )
    s, kk, u, w = snap_zone_answer(target3, planes3, s, kk, u, w, dark)
    residual = cell_residual(target3, planes3, s, kk, u, w, dark)
    # Inside a covered cell is exact (up to the snapping zones).
    residual = jnp.where(valid, jnp.where(inside, 0.0, residual), jnp.inf)
    walks = [a.reshape(3, -1) for a in (s, kk, u, w, residual)]
    edge = edge_answer(target, planes, step, dark)
    stacked = [jnp.concatenate([a, b[None]]) for a, b in zip(walks, edge, strict=True)]
    best = jnp.argmin(stacked[-1], axis=0)[None]
    return tuple(jnp.take_along_axis(a, best, axis=0)[0] for a in stacked[:-1])


def _walk_second_chances(xy, planes: CellPlanes, cell, pending, dark: bool):
    """``_second_chances`` for the ``pending`` rows, the first ``size`` (a 32nd
    of the batch, at least 16) at a time, in a ``while_loop``: a batch pays
    in proportion to its pending rows."""
    n = xy.shape[0]
    size = min(n, max(16, n // 32))

    def chunk(state):
        cell, pending = state
        _, rows = jax.lax.top_k(pending.astype(jnp.int32), size)
        sub_planes = jax.tree.map(lambda a: a[rows], planes)
        answer = _second_chances(xy[rows], sub_planes, cell[0][rows], cell[1][rows], dark)
        # Rows that were not pending (when fewer are) keep their cell.
        keep = ~pending[rows]
        answer = [jnp.where(keep, a[rows], b) for a, b in zip(cell, answer, strict=True)]
        cell = tuple(a.at[rows].set(b) for a, b in zip(cell, answer, strict=True))
        return cell, pending.at[rows].set(False)

    cell, _ = jax.lax.while_loop(lambda state: jnp.any(state[1]), chunk, (cell, pending))
    return cell


class CellWalkStages(NamedTuple):
    """``xyY_to_munsell``'s default solve (``dark=False``) as three row-wise
    stages, for a program that gives the second chances to the pending rows
    only (the exact inverse's ONNX graph gathers them with ``NonZero``, where
    JAX takes them a chunk at a time in a ``while_loop``); each row gets the
    same answer either way. float64 ``xyY`` throughout.

    Attributes:
      first: ``xyY [N, 3] -> (step, k, u, w, pending)``: the walk's first
        cells, ``pending`` the rows left outside their cell or beyond the data.
      second: ``(xyY [P, 3], step [P], k [P]) -> (step, k, u, w)``: the
        second chances of the pending rows.
      answer: ``(xyY [N, 3], step, k, u, w) -> (specification [N, 4],
        residual [N], ok [N])``, as ``xyY_to_munsell`` returns them.
    """

    first: Callable[[jax.Array], tuple[jax.Array, ...]]
    second: Callable[[jax.Array, jax.Array, jax.Array], tuple[jax.Array, ...]]
    answer: Callable[..., tuple[jax.Array, ...]]


def _first_stage(xyY: jax.Array):
    _, cell, pending = _first_walk(_prepared(xyY, False), False)
    return (*cell, pending)


def _second_stage(xyY: jax.Array, step: jax.Array, k: jax.Array):
    rows = _prepared(xyY, False)
    return _second_chances(rows.xy, cell_planes(rows.value_solve, False), step, k, False)


def _answer_stage(xyY: jax.Array, step, k, u, w):
    rows = _prepared(xyY, False)
    return tuple(_answer(rows, *astm_chroma(step, k, u, w), False, xyY.shape[:-1]))


CELL_WALK_STAGES = CellWalkStages(_first_stage, _second_stage, _answer_stage)


def _newton_solve(xy, value_solve, finite, iterations, start, retries, dark):
    """(ASTM hue, chroma) by the Newton solve (and the retry pass)."""
    dtype = xy.dtype
    astm_start, chroma_start = _initial_guess(xy, value_solve, dark)
    if start is not None:
        astm_start, chroma_start = _closer_start(
            xy,
            value_solve,
            _model_start(
                start.reshape(-1, 4).astype(dtype), value_solve, (astm_start, chroma_start), dark
            ),
            (astm_start, chroma_start),
            dark,
        )
    astm, chroma, residual = _newton(xy, value_solve, astm_start, chroma_start, iterations, dark)
    if retries:
        astm, chroma = _retry_pass(
            xy, value_solve, astm, chroma, residual, finite, iterations, dark
        )
    return astm, chroma


def _answer(rows: _Prepared, astm, chroma, dark: bool, shape) -> InverseResult:
    """The specification of (ASTM hue, chroma) at the solved value, checked
    through the exact forward."""
    xyY, xy, Y, finite, value, value_solve = rows
    grey_xy = jnp.asarray(ILLUMINANT_C_xy, xy.dtype)
    # Inside a hue snapping zone the forward reads the data point itself:
    # report the step, which gives the same xy.
    nearest_step = 2.5 * jnp.round(astm / 2.5)
    astm = jnp.where(jnp.abs(astm - nearest_step) < 1e-3, nearest_step, astm)

    d = xy - grey_xy
    grey = jnp.hypot(d[..., 0], d[..., 1]) < _GREY_RADIUS
    chroma = jnp.where(grey, 0.0, chroma)
    spec = _spec_from_astm(astm, jnp.where(grey, value, value_solve), chroma)
    spec = _normalised(spec)
    xyY_out, valid = munsell_to_xyY_unmasked(spec, dark=dark)
    residual = jnp.linalg.norm(xyY_out[..., :2] - xy, axis=-1)
    residual = jnp.where(finite, residual, jnp.nan)
    spec = jnp.where(finite[..., None], spec, jnp.nan)
    # One test of a row: its answer exists and reproduces the input.
    luminance_error = jnp.abs(xyY_out[..., 2] - Y)
    ok = finite & valid & (residual <= _OK_RESIDUAL) & (luminance_error <= _OK_LUMINANCE)
    return InverseResult(spec.reshape(*shape, 4), residual.reshape(shape), ok.reshape(shape))


@functools.partial(jax.jit, static_argnames=("iterations", "retries", "dark", "cells"))
def _solve_jit(
    xyY: jax.Array,
    iterations: int,
    start: jax.Array | None = None,
    retries: bool = True,
    dark: bool = False,
    cells: bool = False,
) -> InverseResult:
    return _solve(xyY, iterations, start, retries, dark, cells=cells)


_TIKHONOV = 1e-12  # relative damping of the implicit derivative where the forward is flat


def _cartesian_xy(abv: jax.Array, dark: bool) -> jax.Array:
    """xy of the forward at Cartesian ``[a, b, value]`` (``a + ib = chroma * e^(i hue)``,
    hue the ASTM angle): smooth where the solve's (hue, chroma) are not, near grey."""
    a, b, value = abv[..., 0], abv[..., 1], abv[..., 2]
    astm = jnp.arctan2(b, a) / _RADIANS_PER_ASTM
    return _xy_of(astm, value, jnp.hypot(a, b), dark)


@functools.partial(jax.jit, static_argnames="dark")
def _implicit_tangent(
    xyY: jax.Array, spec: jax.Array, d_xyY: jax.Array, dark: bool = False
) -> jax.Array:
    """The derivative of the answer ``spec`` along ``d_xyY`` by the implicit function
    theorem: where ``F(a, b, V) = xy`` and ``V = V(Y)``, ``d(a, b) = J^-1 (dxy - F_V dV)``
    with ``J = dF/d(a, b)``, then (hue, chroma) from (a, b).

    ``J`` is inverted with a small Tikhonov damping (relative 1e-12), so where the
    forward is flat in hue (colour's 1e-3 snapping zones) or the answer sits on the
    data's edge the derivative stays finite. Greys get no hue or chroma derivative
    (the grey branch: chroma 0 whatever the direction), NaN rows none at all.
    Linear in ``d_xyY`` (the coefficients depend on the primal only), so reverse
    mode transposes it.
    """
    hue, value, chroma, code = (spec[..., i] for i in range(4))
    finite = jnp.all(jnp.isfinite(spec), axis=-1)
    safe = finite & (chroma > 0)
    astm = 10 * floor_mod(7 - code, 10) + hue
    angle = astm * _RADIANS_PER_ASTM
    c = jnp.where(safe, chroma, 1.0)
    a, b = c * jnp.cos(angle), c * jnp.sin(angle)
    v = jnp.where(finite, value, 5.0)
    abv = jnp.stack([jnp.where(safe, a, 1.0), jnp.where(safe, b, 0.0), v], axis=-1)
    xy_of = functools.partial(_cartesian_xy, dark=dark)
    jacobian = jax.vmap(jax.jacfwd(xy_of))(abv.reshape(-1, 3)).reshape(*v.shape, 2, 3)
    j_ab, j_v = jacobian[..., :2], jacobian[..., 2]
    # dV/dY of the same value the solve reports (clipped as the solve clips it).
    Y = jnp.where(finite, xyY[..., 2], 0.5)

    def solved_value(Y):
        value = jnp.clip(luminance_to_value(Y), 0.0, 10.0)
        return jnp.where(safe, _chromatic_value(value, dark), value)

    dv_dY = jax.grad(lambda Y: solved_value(Y).sum())(Y)  # elementwise: the sum's gradient
    d_value = dv_dY * d_xyY[..., 2]
    rhs = d_xyY[..., :2] - j_v * d_value[..., None]
    # (J^T J + lambda I)^-1 J^T, 2 x 2 in closed form.
    jtj = jnp.einsum("...ki,...kj->...ij", j_ab, j_ab)
    damping = _TIKHONOV * (jtj[..., 0, 0] + jtj[..., 1, 1]) + jnp.finfo(jtj.dtype).tiny
    p, q, r = jtj[..., 0, 0] + damping, jtj[..., 0, 1], jtj[..., 1, 1] + damping
    det = p * r - q * q
    inverse = jnp.stack([jnp.stack([r, -q], -1), jnp.stack([-q, p], -1)], -2) / det[..., None, None]
    d_ab = jnp.einsum("...ij,...kj,...k->...i", inverse, j_ab, rhs)
    d_chroma = (a * d_ab[..., 0] + b * d_ab[..., 1]) / c
    d_hue = (a * d_ab[..., 1] - b * d_ab[..., 0]) / (c * c) / _RADIANS_PER_ASTM
    zero = jnp.zeros_like(d_value)
    return jnp.stack(
        [
            jnp.where(safe, d_hue, zero),
            jnp.where(finite, d_value, zero),
            jnp.where(safe, d_chroma, zero),
            zero,
        ],
        axis=-1,
    )


@functools.partial(jax.custom_jvp, nondiff_argnums=(2,))
def _with_implicit_derivative(xyY: jax.Array, spec: jax.Array, dark: bool) -> jax.Array:
    """``spec`` (solved for ``xyY`` without derivatives), differentiable in ``xyY``."""
    return spec


@_with_implicit_derivative.defjvp
def _with_implicit_derivative_jvp(dark, primals, tangents):
    xyY, spec = primals
    d_xyY, _ = tangents
    return spec, _implicit_tangent(xyY, spec, d_xyY, dark)


# The shipped xyY -> Munsell model that ``init="model"`` asks for a first guess.
HYBRID_MODEL = "from_xyY/residual_mlp_cartesian_exact5"
BOUNDED_MODEL = "from_xyY/probabilistic"  # the model of xyY_to_munsell(..., tolerance=...)


def _bucket(n: int) -> int:
    """The padded batch of ``n`` rows: a power of two (at least 64), so a
    varying number of rows to refine reuses a few compiled solves."""
    return max(64, 1 << max(n - 1, 0).bit_length())


def _within_tolerance(xyY: jax.Array, model: str, tolerance: float, dark: bool) -> InverseResult:
    """The model's answer where its Delta-E bound is within ``tolerance``, the
    cell walk's elsewhere; residual and ok of whichever is returned."""
    from munsell_jax.hub import BoundedPrediction, load_model

    if not tolerance >= 0:
        raise ValueError(f"tolerance must be a CIEDE2000 >= 0, not {tolerance}")
    shape = xyY.shape[:-1]
    flat = np.asarray(xyY, np.float64).reshape(-1, 3)
    out = load_model(model)(flat.astype(np.float32))
    if not isinstance(out, BoundedPrediction):
        raise ValueError(f"{model} gives no Delta-E bound: tolerance needs a probabilistic model")
    spec = np.asarray(out.specification, np.float64)
    refine = ~(np.asarray(out.delta_e_bound) <= tolerance)  # NaN bounds refine too
    rows = np.flatnonzero(refine)
    if len(rows):
        padded = np.resize(rows, _bucket(len(rows)))  # repeats rows: same answers
        exact = _solve_jit(jnp.asarray(flat[padded], xyY.dtype), 0, None, False, dark, cells=True)
        spec[rows] = np.asarray(exact.specification)[: len(rows)]
    spec = jnp.asarray(spec, xyY.dtype)
    residual, ok = _checked(spec, jnp.asarray(flat, xyY.dtype), dark)
    return InverseResult(spec.reshape(*shape, 4), residual.reshape(shape), ok.reshape(shape))


@functools.partial(jax.jit, static_argnames="dark")
def _checked(spec: jax.Array, xyY: jax.Array, dark: bool) -> tuple[jax.Array, jax.Array]:
    """``(residual, ok)`` of answers ``spec`` to ``xyY``, as ``_answer`` tests them."""
    xyY_out, valid = munsell_to_xyY_unmasked(spec, dark=dark)
    finite = jnp.all(jnp.isfinite(xyY), axis=-1)
    residual = jnp.linalg.norm(xyY_out[:, :2] - xyY[:, :2], axis=-1)
    residual = jnp.where(finite, residual, jnp.nan)
    luminance_error = jnp.abs(xyY_out[:, 2] - xyY[:, 2])
    ok = finite & valid & (residual <= _OK_RESIDUAL) & (luminance_error <= _OK_LUMINANCE)
    return residual, ok


def xyY_to_munsell(
    xyY: jax.typing.ArrayLike,
    *,
    init: str | jax.typing.ArrayLike | None = None,
    iterations: int | None = None,
    retries: bool | None = None,
    dark: bool = False,
    tolerance: float | None = None,
) -> InverseResult:
    """CIE xyY -> Munsell specification, batched and exact to the renotation.

    Args:
      xyY: ``[..., 3]`` xyY under illuminant C, Y in [0, 1]; numpy or JAX,
        float32 or float64 (float64 recommended: the residuals quoted below
        are float64 figures).
      init: the solver.

        - ``None`` (default): the cell walk (``munsell_jax.cells``). At the
          value Y gives, colour's interpolation inside one renotation cell
          (two hue steps, two even chromas) is a closed formula; each row
          solves it in its cell (a quadratic, then Newton steps where the
          cell interpolates radially) and walks to the cell the solution
          points to, from a shipped table of cells per plane and polar bin
          (``data/start_cells.npz``). Inside colour's 1e-3 hue snapping
          zones it takes the closer of the step's data line and the zone's
          edge; rows left outside their cell or beyond the data get a few
          more cells, then the nearest point of the data's edge around
          them. About 2 us per colour at batch 2,734 on 2 CPU cores
          (``make bench``), with the same ``ok`` as the Newton solve on REAL
          and no larger residual.
        - ``"table"``: the damped Newton solve on the exact forward, from
          the data's ovoids at the nearest plane, then the retry pass.
        - ``"model"``: the Newton solve from the prediction of the shipped
          model ``HYBRID_MODEL`` (the exact hybrid). With the retry pass,
          ``iterations=1`` brings every REAL colour that has an exact
          answer within CIEDE2000 1e-3 (the table's start needs 5); without
          it one iteration leaves 1,047 of the 2,702 REAL colours above 1e-3
          (max 0.49), two leave 8 (max 0.093). The model's inference comes
          on top (about 18 ms per 2,734 colours on 2 CPU cores). See
          ``benchmarks/bench_hybrid.py`` and ``results/benchmarks/hybrid.md``.
        - ``"<direction>/<name>"`` or a model folder: the Newton solve from
          that model's prediction;
        - ``[..., 4]`` specifications: the Newton solve from your own first
          guesses.

        Rows whose guess is grey or NaN, or lands further from ``xyY`` than
        the table's start, start from the table.
      iterations: Newton iterations (default 8; only with ``init``); the
        last one also takes the local second-order model's step where it is
        short.
      retries: the Newton solve's retry pass (default True; only with
        ``init``). Every row the Newton iterations leave above 1e-7 in xy is
        solved again from five more starts around the hue where it ended,
        and searched in chroma on the four nearest hue steps, keeping the
        closest; the rows go a sixteenth of the batch at a time, so a batch
        pays in proportion to how many rows are left inexact. ``False``:
        the fixed budget only; rows may then end in a local minimum, and
        ``ok`` (a 1e-4 test in xy) does not flag every row above CIEDE2000
        1e-3.

      dark: solve chromatic colours darker than value 1 too, on the
        renotation's dark planes (values 0.2-0.8 of ``MUNSELL_COLOURS_ALL``,
        this project's extension; ``munsell_to_xyY(..., dark=True)``):
        every dark entry comes back ``ok``. Colours at value >= 1 get the
        same answers as without it.

      tolerance: with ``init="model"`` (or a probabilistic model's name): a
        CIEDE2000 tolerance. The probabilistic model ``BOUNDED_MODEL`` answers
        every row with a bound on its round-trip error (a 90% quantile); rows
        whose bound is within ``tolerance`` keep the model's answer, the rest
        get the cell walk's exact answer (``ok`` and ``residual`` are those
        of the answer returned, so a kept row is ``ok`` only if it also
        reproduces the input to 1e-4 in xy). Time against the cell walk on
        every row: ``benchmarks/bench_tolerance.py``.

    Returns:
      ``InverseResult(specification, residual, ok)``; see its docstring. No
      exception is raised for bad rows: NaN/inf give a NaN specification and
      ``ok = False``. Every other row gets the nearest specification found,
      and ``ok`` says whether it reproduces the input: colours beyond the
      renotation data get the nearest specification on the data's edge, and
      chromatic colours below value 1 (Y below 0.0118) the specification at
      value 1 (0.9991 before colour's snapping), both with ``ok = False``;
      Y < 0 or Y > 1 cannot be reproduced either. With ``dark=True`` the
      value 1 there is 0.2 (Y below 0.0023).

    Notes:
      Colours within 1e-9 of the white point in xy are greys ``[0, V, 0, 0]``.
      ``specification`` is differentiable in ``xyY`` (``jax.grad``,
      ``jax.jacrev``, ``jax.jvp``) by the implicit function theorem at the
      answer, not through the solver's iterations: the inverse of the exact
      forward's Jacobian in (value, chroma x cos / sin of the ASTM hue), with
      the value's derivative from ASTM D1535. It is finite everywhere: greys
      have no hue or chroma derivative, and where the forward is flat in hue
      (colour's 1e-3 snapping zones) or the answer sits on the data's edge a
      tiny damping keeps the inverse finite. ``residual`` and ``ok`` carry no
      derivative; neither does ``init``.
    """
    differentiable = as_float(xyY)
    xyY = jax.lax.stop_gradient(differentiable)
    check_last_axis(xyY, 3, "xyY")
    if tolerance is not None:
        if not isinstance(init, str) or init == "table":
            raise ValueError("tolerance needs init='model' or a probabilistic model's name")
        if iterations is not None or retries is not None:
            raise ValueError("tolerance refines with the cell walk: iterations and retries unused")
        model = BOUNDED_MODEL if init == "model" else init
        result = _within_tolerance(xyY, model, float(tolerance), bool(dark))
        spec = _with_implicit_derivative(differentiable, result.specification, bool(dark))
        return result._replace(specification=spec)
    if init is None:
        if iterations is not None or retries is not None:
            raise ValueError(
                "iterations and retries set the Newton solve: give init ('table', 'model', "
                "a model or first guesses) to use it"
            )
        result = _solve_jit(xyY, 0, None, False, bool(dark), cells=True)
        spec = _with_implicit_derivative(differentiable, result.specification, bool(dark))
        return result._replace(specification=spec)
    iterations = _ITERATIONS if iterations is None else int(iterations)
    retries = True if retries is None else bool(retries)
    start = None
    if isinstance(init, str) and init != "table":
        from munsell_jax.hub import load_model

        predict = load_model(HYBRID_MODEL if init == "model" else init)
        start = predict(np.asarray(xyY, np.float32).reshape(-1, 3))
        start = getattr(start, "specification", start)  # a probabilistic model's answer
        start = np.asarray(start).reshape(*xyY.shape[:-1], 4)
    elif not isinstance(init, str):
        start = as_float(init)
        if start.shape != xyY.shape[:-1] + (4,):
            raise ValueError(
                f"init specifications must have shape {xyY.shape[:-1] + (4,)}, not {start.shape}"
            )
    if start is not None:
        start = jax.lax.stop_gradient(jnp.asarray(start, xyY.dtype))
    result = _solve_jit(xyY, iterations, start, retries, bool(dark))
    spec = _with_implicit_derivative(differentiable, result.specification, bool(dark))
    return result._replace(specification=spec)
