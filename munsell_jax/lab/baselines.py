"""Classical interpolation baselines, judged by the same protocol as the models.

Fitted on 80% of the ALL renotation colours (those the inverse solves
exactly; a fixed permutation, seed 0), as the published baselines were. REAL
is a subset of ALL, so about 80% of the REAL colours are fitting points here:
the REAL row of a baseline is optimistic (an interpolator reproduces its own
points), and the generalisation set is its fair score (``real_seen`` records
the share of REAL colours it was fitted on). ALL minus REAL alone would not do:
those 2,261 colours are mostly below value 1 or beyond real surfaces.

- ``rbf``: ``scipy.interpolate.RBFInterpolator`` (thin-plate spline, global:
  the renotation lattice makes local neighbourhoods planar, and singular);
- ``kdtree``: ``scipy.spatial.cKDTree``, inverse-distance weighting of the 8
  nearest neighbours;
- ``delaunay``: ``scipy.interpolate.LinearNDInterpolator`` (linear on the
  Delaunay triangulation); NaN outside the convex hull of the data, which the
  protocol counts.

Spaces, chosen so that nearness means something: xyY -> Munsell interpolates
from CIE Lab to ``[chroma cos t, chroma sin t, value]`` (``t`` the ASTM hue
angle: continuous across hue families and defined at grey) and decodes that to
a specification; Munsell -> xyY interpolates from the same Cartesian
coordinates to xyY.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

__all__ = ["BASELINES", "evaluate_baselines", "fit", "real_seen"]

BASELINES = ("rbf", "kdtree", "delaunay")
DIRECTIONS = ("from_xyY", "to_xyY")


def _cartesian(spec: np.ndarray) -> np.ndarray:
    from munsell_jax.encoding import encode

    # [chroma/50 cos t, chroma/50 sin t, value/10] scaled back to Munsell units
    # so that a chroma step and a value step weigh alike (2 chroma ~ 1 value).
    targets, _ = encode("cartesian", spec)
    return targets * [25.0, 25.0, 10.0]


def _from_cartesian(cart: np.ndarray) -> np.ndarray:
    from munsell_jax.encoding import decode

    return np.asarray(decode("cartesian", np.asarray(cart) / [25.0, 25.0, 10.0]))


def _lab(xyY: np.ndarray) -> np.ndarray:
    from munsell_jax.colorimetry import xyY_to_Lab

    return np.asarray(xyY_to_Lab(xyY))


def _interpolator(kind: str, points: np.ndarray, values: np.ndarray) -> Callable:
    from scipy.interpolate import LinearNDInterpolator, RBFInterpolator
    from scipy.spatial import cKDTree

    if kind == "rbf":
        # A touch of smoothing: ALL holds a few coincident specifications, which
        # make the exact interpolation system singular.
        return RBFInterpolator(points, values, kernel="thin_plate_spline", smoothing=1e-6)
    if kind == "delaunay":
        return LinearNDInterpolator(points, values)
    if kind == "kdtree":
        tree = cKDTree(points)

        def idw(query: np.ndarray) -> np.ndarray:
            distance, index = tree.query(query, k=8)
            weight = 1.0 / np.maximum(distance, 1e-12) ** 2
            weight /= weight.sum(axis=1, keepdims=True)
            return np.einsum("nk,nkc->nc", weight, values[index])

        return idw
    raise ValueError(f"unknown baseline {kind!r}; one of {BASELINES}")


def fit(kind: str, direction: str) -> Callable[[np.ndarray], np.ndarray]:
    """A fitted baseline: raw inputs (xyY ``[N, 3]`` or specifications ``[N, 4]``)
    -> raw outputs (specifications or xyY). Needs x64 (the reference colours)."""
    train = _fitting_colours()
    if direction == "from_xyY":
        interpolate = _interpolator(kind, _lab(train.xyY), _cartesian(train.specification))
        return lambda xyY: _from_cartesian(interpolate(_lab(np.asarray(xyY))))
    if direction == "to_xyY":
        interpolate = _interpolator(kind, _cartesian(train.specification), train.xyY)
        return lambda spec: interpolate(_cartesian(np.asarray(spec)))
    raise ValueError(f"direction must be 'from_xyY' or 'to_xyY', not {direction!r}")


def _fitting_colours():
    """The fixed 80% of the exactly solved ALL colours the baselines are fitted on."""
    from munsell_jax.lab.data import ReferenceSet, all_colours

    colours = all_colours()
    rows = np.flatnonzero(colours.ok)
    rows = np.sort(np.random.default_rng(0).permutation(rows)[: int(round(0.8 * len(rows)))])
    return ReferenceSet(*(a[rows] for a in colours))


def real_seen() -> float:
    """Share of the REAL colours among the baselines' fitting colours."""
    from munsell_jax.lab.data import real_colours

    fitted = set(_fitting_colours().names)
    return float(np.mean([name in fitted for name in real_colours().names]))


def evaluate_baselines(out: str | Path = "results", *, timing: bool = True) -> list[dict]:
    """Fit every baseline for both directions, score it (and the exact engine, row
    ``exact``) by the protocol, and write ``out/<direction>/<name>/metrics.json``
    and ``evaluation.npz``."""
    import time

    from munsell_jax.lab.evaluate import evaluate, mark_held_out, write_results
    from munsell_jax.lab.provenance import git_commit

    seen = real_seen()
    written = [_evaluate_exact(out, direction, timing=timing) for direction in DIRECTIONS]
    for direction in DIRECTIONS:
        for kind in BASELINES:
            start = time.perf_counter()
            predict = fit(kind, direction)
            fit_seconds = time.perf_counter() - start
            metrics, rows = evaluate(direction, predict, timing=timing)
            metrics = {
                "name": kind,
                "direction": direction,
                "architecture": _DESCRIPTIONS[kind],
                "parameters": None,
                "data": f"ALL colours, 80% ({len(_fitting_colours().xyY):,}), seed 0",
                "real_seen": seen,
                "training_seconds": round(fit_seconds, 1),
                "device": "cpu (scipy)",
                "git_commit": git_commit(),
                **metrics,
            }
            mark_held_out(metrics, False)  # fitted on ALL colours, most REAL ones among them
            write_results(Path(out) / direction / kind, metrics, rows)
            print(
                f"{direction} {kind}: REAL mean Delta-E {metrics['real']['delta_e_mean']:.3f}, "
                f"generalisation {metrics['generalisation']['delta_e_mean']:.3f}"
            )
            written.append(metrics)
    return written


def _evaluate_exact(out, direction: str, *, timing: bool) -> dict:
    """The exact engine as a reference row (``exact``): the batched inverse, or the forward."""
    import jax

    from munsell_jax.inverse import xyY_to_munsell
    from munsell_jax.lab.evaluate import evaluate, mark_held_out, write_results
    from munsell_jax.lab.provenance import git_commit
    from munsell_jax.renotation import munsell_to_xyY

    if direction == "from_xyY":
        predict = jax.jit(lambda xyY: xyY_to_munsell(xyY).specification)
        what = "munsell_jax exact inverse (cell walk on the renotation, float64)"
    else:
        predict = jax.jit(munsell_to_xyY)
        what = "munsell_jax exact forward (renotation interpolation, float64)"
    metrics, rows = evaluate(direction, predict, timing=timing)
    metrics = {
        "name": "exact",
        "direction": direction,
        "architecture": what,
        "parameters": None,
        "data": "the renotation tables",
        "device": f"{jax.default_backend()} ({jax.devices()[0].device_kind})",
        "git_commit": git_commit(),
        **metrics,
    }
    mark_held_out(metrics, None)  # the renotation data themselves
    write_results(Path(out) / direction / "exact", metrics, rows)
    print(f"{direction} exact: REAL mean Delta-E {metrics['real']['delta_e_mean']:.2e}")
    return metrics


_DESCRIPTIONS = {
    "rbf": "RBF interpolation (thin-plate spline, scipy)",
    "kdtree": "KD-tree, 8 nearest neighbours, inverse-distance weights (scipy)",
    "delaunay": "Delaunay linear interpolation (scipy)",
}
