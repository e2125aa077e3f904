"""The exact forward inside one renotation cell, and its inverse in closed form.

At a fixed Munsell value, colour's interpolation maps a *cell* (two
neighbouring hue steps, two neighbouring even chromas) to xy as

    X(u, w) = A(u) + w B(u),

with ``u`` in [0, 1] the hue's fraction across the cell (linear in the ASTM
hue: colour's hue angles are linear between steps) and ``w`` in [0, 1] the
chroma's fraction across the chroma interval. ``A`` and ``B`` are weighted
sums (over the one or two value planes the forward reads, weights linear in
Y) of ovoid points, each either linear in ``u`` (colour's linear
interpolation in xy) or an arc (its radial interpolation, in polar
coordinates about illuminant C).

The inverse in a cell is then one equation in ``u``, ``cross(T - A(u), B(u))
= 0``: a quadratic where every ovoid point is linear (solved in closed form),
refined by Newton steps on the arcs; ``w`` follows by projection. Walking to
the neighbouring cell while the solution lies outside the current one finds
the answer from a start a cell or two away, at the cost of a few gathers and
some arithmetic per row: no pass through the full forward, no derivatives by
automatic differentiation. ``inverse.xyY_to_munsell`` uses it for its start.

Conventions: ``step`` is the table index (0-39) of the cell's clockwise hue
step, which sits at ASTM hue ``2.5 (step + 1)``; ``k`` (0-24) the chroma
interval [2k, 2k + 2] (``k = 0``: from the white point).
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from munsell_jax.arrays import floor_mod
from munsell_jax.colorimetry import ILLUMINANT_C_xy
from munsell_jax.renotation import (
    plane_index,
    plane_tables,
    value_planes,
    value_to_luminance,
)

__all__ = [
    "CellPlanes",
    "N_STEPS",
    "astm_chroma",
    "cell_of",
    "cell_planes",
    "cell_residual",
    "edge_answer",
    "snap_zone_answer",
    "walk_cells",
    "wrap_step",
]

N_STEPS = 40
_N_INTERVALS = 25
_X, _Y, _RHO, _PHI, _VALID, _METHOD = range(6)
_RADIAL = 2
_CELL_TOLERANCE = 1e-9  # how far outside [0, 1] a solution may fall and stay in its cell
_ARC_NEWTON = 2  # Newton steps on the arcs after the chords' closed form
_MAX_JUMP = (2, 8)  # cells a walk moves at most per round: hue steps, chroma intervals
_IN_BOUNDS = "promise_in_bounds"  # gathers of indices in range by construction: no wrapping


class CellPlanes(NamedTuple):
    """The value planes the forward reads for one value, per row.

    Attributes:
      index: ``[..., 2]`` int32 indices into ``plane_tables(dark)`` (lower, upper).
      weight: ``[..., 2]`` the planes' weights in xy (sum 1; a snapped value
        reads one plane).
      white: ``[..., 2]`` bool, the plane is value 10: illuminant C.
    """

    index: jax.Array
    weight: jax.Array
    white: jax.Array


def cell_planes(value: jax.Array, dark: bool = False) -> CellPlanes:
    """The planes and weights ``munsell_to_xyY`` interpolates between at
    ``value`` (a chromatic value inside the data: [1, 10), or [0.2, 10) with
    ``dark``), linearly in luminance."""
    planes = value_planes(value, dark)
    tables = plane_tables(dark)
    values = jnp.clip(jnp.stack([planes.minus, planes.plus], axis=-1), planes.lowest, 9)
    index = jnp.clip(plane_index(values, tables.offset), 0, tables.packed.shape[1] - 1)
    Y_minus, Y_plus, Y = (value_to_luminance(v) for v in (planes.minus, planes.knot_plus, value))
    tau = (Y - Y_minus) / (Y_plus - Y_minus)
    tau = jnp.where(planes.snapped, jnp.where(planes.nearest == planes.minus, 0.0, 1.0), tau)
    weight = jnp.stack([1 - tau, tau], axis=-1)
    white = jnp.stack([jnp.zeros_like(planes.snapped), planes.plus >= 10], axis=-1)
    return CellPlanes(index, weight, white)


def cell_of(astm: jax.Array, chroma: jax.Array) -> tuple[jax.Array, jax.Array]:
    """(step, k) of the cell holding (ASTM hue, chroma); chroma clipped to the table."""
    step = floor_mod(jnp.floor(floor_mod(astm, 100.0) / 2.5) - 1, N_STEPS).astype(jnp.int32)
    k = jnp.clip(jnp.floor(chroma / 2), 0, _N_INTERVALS - 1).astype(jnp.int32)
    return step, k


def astm_chroma(step: jax.Array, k: jax.Array, u: jax.Array, w: jax.Array):
    """(ASTM hue in [0, 100), chroma) of the point (u, w) of a cell."""
    return floor_mod(2.5 * (step + 1 + u), 100.0), 2.0 * (k + w)


class _Cell(NamedTuple):
    """The data a cell reads, on the two planes: ``[..., plane, chroma (lower,
    upper), ...]``, the white point and value 10 already in place."""

    xy: jax.Array  # [..., 2, 2, side (cw, ccw), 2]
    polar: jax.Array  # [..., 2, 2, 4]: rho at cw, its change to ccw, phi at cw, its change (rad)
    radial: jax.Array  # [..., 2, 2, 2] bool (the ccw side's method, as colour; per x and y)
    covered: jax.Array  # [..., 2] bool: the plane's four corners exist


def wrap_step(step: jax.Array) -> jax.Array:
    """An integer step index in -40..79 back into 0..39."""
    return jnp.where(step < 0, step + N_STEPS, jnp.where(step >= N_STEPS, step - N_STEPS, step))


@functools.cache
def _cell_tables(dark: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per hue cell, plane and chroma interval, what one cell reads, in one
    row: ``cells [40, P + 1, 25, 20]`` (plane ``P`` is value 10, the white
    point), ``covered [40, P + 1, 25]`` and per cell and plane the highest
    chroma interval the data cover, ``top [40, P + 1]`` (-1: none; value 10
    bounds nothing: 24)."""
    tables = plane_tables(dark)
    packed = tables.packed  # [40, P, 25, 6]
    grey = np.asarray(ILLUMINANT_C_xy)
    n_planes = packed.shape[1]
    # Chroma index -1 (the white point) below the table, and the white plane.
    white = np.zeros((N_STEPS, n_planes, 1, 6))
    white[..., _X], white[..., _Y], white[..., _VALID] = grey[0], grey[1], 1.0
    packed = np.concatenate([white, packed], axis=2)  # [40, P, 26, 6]
    white_plane = np.repeat(packed[:, :1, :1], 26, axis=2)
    packed = np.concatenate([packed, white_plane], axis=1)  # [40, P + 1, 26, 6]
    ccw = np.roll(packed, -1, axis=0)  # the cell's counter-clockwise step
    lower, upper = slice(0, 25), slice(1, 26)
    sides = np.stack([packed, ccw], axis=-2)  # [40, P + 1, 26, side, 6]
    xy = np.stack([sides[:, :, lower, :, :2], sides[:, :, upper, :, :2]], axis=3)
    phi_cw, phi_ccw = sides[..., 0, _PHI], sides[..., 1, _PHI]
    phi_ccw = np.where(phi_cw - phi_ccw > 180, phi_ccw + 360, phi_ccw)
    rho_cw, rho_ccw = sides[..., 0, _RHO], sides[..., 1, _RHO]
    polar = np.stack(
        [rho_cw, rho_ccw - rho_cw, np.radians(phi_cw), np.radians(phi_ccw - phi_cw)], axis=-1
    )  # [40, P + 1, 26, 4]
    polar = np.stack([polar[:, :, lower], polar[:, :, upper]], axis=3)
    radial = ccw[..., _METHOD] == _RADIAL
    radial = np.stack([radial[:, :, lower], radial[:, :, upper]], axis=-1)
    radial[:, n_planes] = False
    radial = np.repeat(radial, 2, axis=-1)  # per coordinate: no broadcast where it is used
    cells = np.concatenate(
        [xy.reshape(*xy.shape[:3], 8), polar.reshape(*polar.shape[:3], 8), radial], axis=-1
    )
    valid = sides[..., _VALID] > 0.5  # [40, P + 1, 26, side]
    covered = np.all(valid[:, :, lower] & valid[:, :, upper], axis=-1)
    bound = np.minimum(tables.max_chroma, np.roll(tables.max_chroma, -1, axis=0))
    top = np.floor(np.minimum(bound, 50) / 2) - 1
    top = np.concatenate([top, np.full((N_STEPS, 1), 24.0)], axis=1)
    return cells, covered, top.astype(np.int32)


def _cell_index(planes: CellPlanes, dark: bool) -> jax.Array:
    """The planes' indices into ``_cell_tables`` (value 10: the white plane)."""
    return jnp.where(planes.white, plane_tables(dark).packed.shape[1], planes.index)


def _corners(step: jax.Array, k: jax.Array, planes: CellPlanes, dark: bool) -> _Cell:
    cells, covered, _ = _cell_tables(dark)
    index = (step[..., None], _cell_index(planes, dark), k[..., None])
    data = (
        jnp.asarray(cells, planes.weight.dtype)
        .at[index]
        .get(mode=_IN_BOUNDS, wrap_negative_indices=False)
    )
    shape = data.shape[:-1]  # [..., plane]
    return _Cell(
        data[..., :8].reshape(*shape, 2, 2, 2),
        data[..., 8:16].reshape(*shape, 2, 4),
        data[..., 16:].reshape(*shape, 2, 2) > 0.5,
        jnp.asarray(covered).at[index].get(mode=_IN_BOUNDS, wrap_negative_indices=False),
    )


def _ovoids(c: _Cell, u: jax.Array) -> tuple[jax.Array, jax.Array]:
    """The cell's four ovoid points at hue fraction ``u`` ``[...]`` and their
    derivatives in ``u``: ``[..., plane, chroma, 2]`` each."""
    u = u[..., None, None]
    cw, ccw = c.xy[..., 0, :], c.xy[..., 1, :]
    d_linear = ccw - cw
    linear = cw + u[..., None] * d_linear
    rho_cw, d_rho, phi_cw, d_phi = (c.polar[..., i] for i in range(4))
    phi = phi_cw + u * d_phi
    rho = rho_cw + u * d_rho
    cos, sin = jnp.cos(phi), jnp.sin(phi)
    grey = jnp.asarray(ILLUMINANT_C_xy, cw.dtype)
    radial = grey + jnp.stack([rho * cos, rho * sin], axis=-1)
    d_radial = jnp.stack([d_rho * cos - rho * d_phi * sin, d_rho * sin + rho * d_phi * cos], -1)
    return jnp.where(c.radial, radial, linear), jnp.where(c.radial, d_radial, d_linear)


def _a_b(ovoids: jax.Array, weight: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``A`` (the lower chroma's point) and ``B`` (upper minus lower), plane-weighted."""
    mixed = weight[..., 0, None, None] * ovoids[..., 0, :, :]
    mixed = mixed + weight[..., 1, None, None] * ovoids[..., 1, :, :]
    return mixed[..., 0, :], mixed[..., 1, :] - mixed[..., 0, :]


def _cross(p: jax.Array, q: jax.Array) -> jax.Array:
    return p[..., 0] * q[..., 1] - p[..., 1] * q[..., 0]


def _safe(t: jax.Array) -> jax.Array:
    return jnp.where(jnp.abs(t) > 1e-300, t, 1e-300)


def _solve_cell(target: jax.Array, c: _Cell, weight: jax.Array, arcs: bool = True):
    """(u, w) with ``X(u, w) = target`` on the cell's own formula (may lie
    outside [0, 1]^2: the answer is then in another cell)."""
    # The ovoids at u = 0 and 1.
    (a0, b0), (a1, b1) = (_a_b(c.xy[..., side, :], weight) for side in (0, 1))
    # The chords: exact where every ovoid is linear.
    r = target - a0
    da, db = a1 - a0, b1 - b0
    c0 = _cross(r, b0)
    c1 = _cross(r, db) - _cross(da, b0)
    c2 = -_cross(da, db)
    discriminant = jnp.maximum(c1 * c1 - 4 * c2 * c0, 0.0)
    q = -0.5 * (c1 + jnp.where(c1 < 0, -1.0, 1.0) * jnp.sqrt(discriminant))
    roots = jnp.stack([q / _safe(c2), c0 / _safe(q)])
    roots = jnp.where(jnp.isfinite(roots), roots, 0.5)
    u = jnp.where(jnp.abs(roots[0] - 0.5) < jnp.abs(roots[1] - 0.5), roots[0], roots[1])
    u = jnp.clip(u, -3.0, 4.0)
    a, b = a0 + u[..., None] * da, b0 + u[..., None] * db
    for _ in range(_ARC_NEWTON if arcs else 0):
        points, d_points = _ovoids(c, u)
        a, b = _a_b(points, weight)
        d_a, d_b = _a_b(d_points, weight)
        g = _cross(target - a, b)
        delta = -g / _safe(_cross(target - a, d_b) - _cross(d_a, b))
        u = u + delta
        # The last step's change, to first order (its error is the step squared).
        a, b = a + delta[..., None] * d_a, b + delta[..., None] * d_b
    w = jnp.sum((target - a) * b, axis=-1) / _safe(jnp.sum(b * b, axis=-1))
    return u, w


def _jump(t: jax.Array, most: int) -> jax.Array:
    """Cells to move for a solution at ``t`` outside [0, 1]: toward it, at
    least one and at most ``most``."""
    jump = jnp.clip(jnp.floor(t), -most, most).astype(jnp.int32)
    return jnp.where(t > 1, jnp.maximum(jump, 1), jnp.minimum(jump, -1))


def walk_cells(
    target: jax.Array,
    planes: CellPlanes,
    step: jax.Array,
    k: jax.Array,
    rounds: int,
    dark: bool = False,
    arc_rounds: int = 2,
):
    """Solve in cell (step, k), then walk to the neighbouring cell while the
    solution lies outside, ``rounds`` solves in all (straight-line code).

    Returns ``(step, k, u, w, inside, valid)``: the last cell, its solution
    clipped to it, whether the solution lay inside it, and whether every
    corner the cell reads exists in the renotation data.
    """
    for i in range(rounds):
        # Never into a cell the data do not cover: its missing corners would
        # give the formula another, meaningless, solution.
        top = _top_interval(step, planes, dark)
        k = jnp.minimum(k, jnp.maximum(top, 0))
        c = _corners(step, k, planes, dark)
        u, w = _solve_cell(target, c, planes.weight, arcs=i >= rounds - arc_rounds)
        below_u, above_u = u < -_CELL_TOLERANCE, u > 1 + _CELL_TOLERANCE
        below_w, above_w = w < -_CELL_TOLERANCE, w > 1 + _CELL_TOLERANCE
        if i < rounds - 1:
            # Far outside, jump as far as the cell's own formula points (up to
            # ``_MAX_JUMP`` cells), else to the neighbour. While the chroma is
            # off, the formula's hue is an extrapolation: move in hue only when
            # it points well beyond the cell, or the cell's data end below.
            move_w = below_w | (above_w & (k < top))
            move_u = (below_u | above_u) & (~move_w | (u < -0.25) | (u > 1.25))
            step = wrap_step(step + jnp.where(move_u, _jump(u, _MAX_JUMP[0]), 0))
            k = jnp.clip(k + jnp.where(move_w, _jump(w, _MAX_JUMP[1]), 0), 0, _N_INTERVALS - 1)
    inside = ~(below_u | above_u | below_w | above_w)
    valid = _covered(c, planes)
    return step, k, jnp.clip(u, 0.0, 1.0), jnp.clip(w, 0.0, 1.0), inside, valid


_SNAP = 1e-3 / 2.5  # colour's 1e-3 hue snapping zone, as a fraction of a cell


def snap_zone_answer(
    target: jax.Array,
    planes: CellPlanes,
    step: jax.Array,
    k: jax.Array,
    u: jax.Array,
    w: jax.Array,
    dark: bool = False,
):
    """Where the cell's solution (u, w) falls within colour's 1e-3 of a hue
    step, the forward reads the step's own data instead: the closer of the
    step's line and the zone's edge in the cell, unless the neighbouring cell
    across the step holds an exact answer outside its own zone. Returns
    (step, k, u, w) (u exactly 0 or 1 on the step)."""
    c = _corners(step, k, planes, dark)
    side = (u > 0.5).astype(jnp.int32)
    in_zone = (u < _SNAP) | (u > 1 - _SNAP)
    on_step = jnp.take_along_axis(c.xy, side[..., None, None, None, None], axis=-2)[..., 0, :]
    u_edge = jnp.where(side == 1, 1 - 2 * _SNAP, 2 * _SNAP)
    edge, _ = _ovoids(c, u_edge)
    candidates = []
    for u_line, points in ((side.astype(target.dtype), on_step), (u_edge, edge)):
        a, b = _a_b(points, planes.weight)
        w_line = jnp.sum((target - a) * b, axis=-1) / _safe(jnp.sum(b * b, axis=-1))
        w_line = jnp.clip(w_line, 0.0, 1.0)
        residual = jnp.linalg.norm(a + w_line[..., None] * b - target, axis=-1)
        candidates.append((u_line, w_line, residual))
    (u_step, w_step, r_step), (u_e, w_e, r_e) = candidates
    u_zone = jnp.where(r_step <= r_e, u_step, u_e)
    w_zone = jnp.where(r_step <= r_e, w_step, w_e)
    # Across the step the neighbouring cell's image can overlap this one's
    # (their methods and chroma bounds differ): an exact answer there, outside
    # its own snapping zone, beats both.
    neighbour = wrap_step(step + jnp.where(side == 1, 1, -1))
    k_neighbour = jnp.minimum(k, jnp.maximum(_top_interval(neighbour, planes, dark), 0))
    c_neighbour = _corners(neighbour, k_neighbour, planes, dark)
    u_n, w_n = _solve_cell(target, c_neighbour, planes.weight)
    exact_n = (u_n >= 2 * _SNAP) & (u_n <= 1 - 2 * _SNAP)
    exact_n &= (w_n >= -_CELL_TOLERANCE) & (w_n <= 1 + _CELL_TOLERANCE)
    use_n = in_zone & exact_n & _covered(c_neighbour, planes)
    u = jnp.where(in_zone, u_zone, u)
    w = jnp.where(in_zone, w_zone, w)
    pick = lambda a, b: jnp.where(use_n, a, b)  # noqa: E731
    return pick(neighbour, step), pick(k_neighbour, k), pick(u_n, u), pick(jnp.clip(w_n, 0, 1), w)


def _covered(c: _Cell, planes: CellPlanes) -> jax.Array:
    """Every corner the cell reads (on the planes the value reads) has data."""
    return jnp.all(c.covered | (planes.weight <= 0), axis=-1)


def _plane_bounds(steps: jax.Array, planes: CellPlanes, dark: bool) -> jax.Array:
    """The data's largest chroma at hue ``steps`` ``[..., S]`` over the planes
    the value reads (the white point bounds nothing): ``[..., S]``."""
    table = jnp.asarray(plane_tables(dark).max_chroma, planes.weight.dtype)
    per_plane = table[steps[..., None], planes.index[..., None, :]]  # [..., S, 2]
    ignored = (planes.weight <= 0) | planes.white
    return jnp.min(jnp.where(ignored[..., None, :], jnp.inf, per_plane), axis=-1)


def _top_interval(step: jax.Array, planes: CellPlanes, dark: bool) -> jax.Array:
    """The highest chroma interval the data cover in cell ``step`` (-1: none)."""
    index = step[..., None], _cell_index(planes, dark)
    top = (
        jnp.asarray(_cell_tables(dark)[2])
        .at[index]
        .get(mode=_IN_BOUNDS, wrap_negative_indices=False)
    )
    return jnp.min(jnp.where(planes.weight > 0, top, _N_INTERVALS - 1), axis=-1)


def edge_answer(target: jax.Array, planes: CellPlanes, step: jax.Array, dark: bool = False):
    """The nearest point of the data's edge around cell ``step``, for colours
    beyond the data: on the hue steps' own chroma lines (``step - 2`` to
    ``step + 3``, each up to its largest chroma: colour's snapping reads a
    step's data) and on the outer ovoid of each of the five cells around
    (at the cell's largest chroma). Returns ``(step, k, u, w, residual)`` in
    cell coordinates (a step line as u = 1 of the cell it closes)."""
    dtype = target.dtype
    grey = jnp.asarray(ILLUMINANT_C_xy, dtype)
    offsets = jnp.arange(-2, 4, dtype=jnp.int32)
    steps = wrap_step(step[..., None] + offsets)  # [..., 6]
    step_bound = _plane_bounds(steps, planes, dark)  # [..., 6]
    # The step lines: the chroma polylines from the white point, per segment.
    xy = jnp.asarray(plane_tables(dark).xy, dtype)  # [40, P, 25, 2]
    column = xy[steps[..., None], planes.index[..., None, :]]  # [..., 6, 2, 25, 2]
    column = jnp.where(planes.white[..., None, :, None, None], grey, column)
    line = jnp.einsum("...p,...spcx->...scx", planes.weight, column)  # [..., 6, 25, 2]
    line = jnp.concatenate([jnp.broadcast_to(grey, line[..., :1, :].shape), line], axis=-2)
    start, end = line[..., :-1, :], line[..., 1:, :]  # [..., 6, 25, 2]
    d = end - start
    t = jnp.sum((target[..., None, None, :] - start) * d, axis=-1) / _safe(jnp.sum(d * d, axis=-1))
    t = jnp.clip(t, 0.0, 1.0)
    distance = jnp.linalg.norm(start + t[..., None] * d - target[..., None, None, :], axis=-1)
    reach = 2.0 * jnp.arange(_N_INTERVALS, dtype=dtype) + 2 <= step_bound[..., None]
    distance = jnp.where(reach, distance, jnp.inf)
    line_k = jnp.argmin(distance, axis=-1).astype(jnp.int32)  # [..., 6]
    line_distance = jnp.min(distance, axis=-1)
    line_w = jnp.take_along_axis(t, line_k[..., None], axis=-1)[..., 0]
    best_line = jnp.argmin(line_distance, axis=-1)
    pick = lambda a, i: jnp.take_along_axis(a, i[..., None], axis=-1)[..., 0]  # noqa: E731
    # As cell coordinates: the step at u = 0 of the cell it opens.
    line_step = wrap_step(pick(steps, best_line) - 1)
    line_answer = (
        line_step,
        pick(line_k, best_line),
        jnp.ones_like(target[..., 0]),
        pick(line_w, best_line),
        pick(line_distance, best_line),
    )
    # The outer ovoids: cells step - 2 .. step + 2 at their largest chroma.
    cell_steps = steps[..., :-1]  # [..., 5]
    cell_bound = jnp.minimum(step_bound[..., :-1], step_bound[..., 1:])
    k_top = jnp.clip(cell_bound / 2 - 1, 0, _N_INTERVALS - 1).astype(jnp.int32)
    cells_planes = jax.tree.map(
        lambda a: jnp.broadcast_to(a[..., None, :], (*cell_steps.shape, 2)), planes
    )
    c = _corners(cell_steps, k_top, cells_planes, dark)
    tgt = target[..., None, :]
    p0, p1 = (_a_b(c.xy[..., side, :], cells_planes.weight) for side in (0, 1))
    outer0, outer1 = p0[0] + p0[1], p1[0] + p1[1]  # the upper chroma's ovoid points
    d = outer1 - outer0
    u = jnp.clip(jnp.sum((tgt - outer0) * d, axis=-1) / _safe(jnp.sum(d * d, axis=-1)), 0.0, 1.0)
    for _ in range(_ARC_NEWTON):
        points, d_points = _ovoids(c, u)
        (a, b), (d_a, d_b) = _a_b(points, cells_planes.weight), _a_b(d_points, cells_planes.weight)
        x, dx = a + b, d_a + d_b
        # Newton on dot(X', X - T) = 0, the curvature term dropped (Gauss-Newton).
        u = jnp.clip(
            u - jnp.sum(dx * (x - tgt), axis=-1) / _safe(jnp.sum(dx * dx, axis=-1)), 0.0, 1.0
        )
    points, _ = _ovoids(c, u)
    a, b = _a_b(points, cells_planes.weight)
    outer_distance = jnp.linalg.norm(a + b - tgt, axis=-1)
    outer_distance = jnp.where(cell_bound >= 2, outer_distance, jnp.inf)
    best_outer = jnp.argmin(outer_distance, axis=-1)
    outer_answer = (
        pick(cell_steps, best_outer),
        pick(k_top, best_outer),
        pick(u, best_outer),
        jnp.ones_like(target[..., 0]),
        pick(outer_distance, best_outer),
    )
    use_line = line_answer[-1] <= outer_answer[-1]
    return tuple(jnp.where(use_line, a, b) for a, b in zip(line_answer, outer_answer, strict=True))


def cell_residual(
    target: jax.Array,
    planes: CellPlanes,
    step: jax.Array,
    k: jax.Array,
    u: jax.Array,
    w: jax.Array,
    dark: bool = False,
) -> jax.Array:
    """xy distance from ``target`` to the cell's formula at (u, w)."""
    points, _ = _ovoids(_corners(step, k, planes, dark), u)
    a, b = _a_b(points, planes.weight)
    return jnp.linalg.norm(a + w[..., None] * b - target, axis=-1)
