"""The dark colours (``dark=True``): the renotation's planes below value 1.

colour-science stops at value 1; ``MUNSELL_COLOURS_ALL`` holds 765 entries at
values 0.2, 0.4, 0.6 and 0.8. The extension must pass through every one of
them, leave value >= 1 exactly as colour has it, join it without a jump, and
invert both ways.
"""

from __future__ import annotations

import functools

import jax
import numpy as np
import pytest

import munsell_jax as mj
from munsell_jax.renotation import munsell_to_xyY_unmasked as _forward_unmasked

_ROWS = 5000  # every forward call is padded to this many rows: one compile per flag


@functools.partial(jax.jit, static_argnames="dark")
def _forward_jit(specs, dark):
    return _forward_unmasked(specs, dark=dark)


def munsell_to_xyY_unmasked(specs: np.ndarray, dark: bool = False):
    """The forward, jitted at one shape: ``(xyY, valid)`` as numpy."""
    n = len(specs)
    padded = np.concatenate([specs, np.tile([[5.0, 5.0, 2.0, 5.0]], (_ROWS - n, 1))])
    xyY, valid = _forward_jit(padded, dark)
    return np.asarray(xyY)[:n], np.asarray(valid)[:n]


@pytest.fixture(scope="module")
def dark_entries() -> tuple[np.ndarray, np.ndarray]:
    """The ALL data's dark entries: specifications ``[765, 4]`` and their xy."""
    from colour.notation.datasets.munsell import MUNSELL_COLOURS_ALL
    from colour.notation.munsell import munsell_colour_to_munsell_specification

    specs, xy = [], []
    for (hue, value, chroma), xyY in MUNSELL_COLOURS_ALL:
        if value < 1:
            specs.append(munsell_colour_to_munsell_specification(f"{hue} {value}/{chroma}"))
            xy.append(xyY[:2])
    return np.array(specs), np.array(xy)


def _random_specs(seed: int, n: int, low: float, high: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.stack(
        [
            rng.uniform(0, 10, n),
            rng.uniform(low, high, n),
            rng.uniform(0, 24, n),
            rng.integers(1, 11, n).astype(float),
        ],
        axis=-1,
    )


@pytest.fixture(scope="module")
def random_dark() -> np.ndarray:
    """500 valid dark colours, xyY with Y below 0.0121 (value 1)."""
    specs = _random_specs(1, 4000, 0.2, 1.0)
    xyY, valid = (np.asarray(a) for a in munsell_to_xyY_unmasked(specs, dark=True))
    xyY = xyY[valid & (xyY[:, 2] < 0.0121)]
    assert len(xyY) >= 500
    return xyY[:500]


@pytest.fixture(scope="module")
def solved(dark_entries, random_dark):
    """One dark inverse call on the ALL dark entries (Y by ASTM D1535, as the
    forward gives it) and the random dark colours."""
    specs, xy = dark_entries
    Y = np.asarray(mj.value_to_luminance(specs[:, 1]))
    xyY = np.concatenate([np.column_stack([xy, Y]), random_dark])
    return xyY, mj.xyY_to_munsell(xyY, dark=True)


def test_forward_passes_through_every_dark_entry(dark_entries):
    specs, xy = dark_entries
    assert len(specs) == 765
    xyY, valid = munsell_to_xyY_unmasked(specs, dark=True)
    assert np.asarray(valid).all()
    np.testing.assert_allclose(np.asarray(xyY)[:, :2], xy, rtol=0, atol=1e-9)
    # colour-science (and the default) rejects them all.
    assert not munsell_to_xyY_unmasked(specs)[1].any()


def test_identical_to_colour_at_value_one_and_above():
    specs = _random_specs(2, 5000, 0.999, 10.0)
    specs[:10, 1] = 0.999  # not snapped to 1 by colour (|0.999 - 1| > 1e-3): dark
    specs[10:20, 1] = 0.9991  # snapped to 1
    plain, plain_valid = (np.asarray(a) for a in munsell_to_xyY_unmasked(specs))
    dark, dark_valid = (np.asarray(a) for a in munsell_to_xyY_unmasked(specs, dark=True))
    colour_domain = specs[:, 1] > 0.999
    np.testing.assert_array_equal(dark[colour_domain], plain[colour_domain])
    np.testing.assert_array_equal(dark_valid[colour_domain], plain_valid[colour_domain])
    assert plain_valid[colour_domain].sum() > 1000
    assert not plain_valid[~colour_domain].any()


def test_continuous_across_value_one():
    specs = _random_specs(3, 2000, 1.0, 1.0)
    specs[:, 2] = np.random.default_rng(3).uniform(0.5, 6, len(specs))
    below, above = specs.copy(), specs.copy()
    below[:, 1], above[:, 1] = 0.999 - 1e-10, 0.999 + 1e-10
    xy_below, valid_below = munsell_to_xyY_unmasked(below, dark=True)
    xy_above, valid_above = munsell_to_xyY_unmasked(above, dark=True)
    both = np.asarray(valid_below) & np.asarray(valid_above)
    assert both.sum() > 1500
    gap = np.abs(np.asarray(xy_below) - np.asarray(xy_above))[both]
    assert gap.max() < 1e-8


def test_below_the_data_is_invalid_and_greys_are_not():
    specs = _random_specs(4, 200, 0.0, 0.2 - 1e-6)
    specs[:, 2] = np.maximum(specs[:, 2], 0.5)
    assert not munsell_to_xyY_unmasked(specs, dark=True)[1].any()
    greys = specs.copy()
    greys[:, 2] = 0.0
    assert munsell_to_xyY_unmasked(greys, dark=True)[1].all()


def test_inverse_recovers_every_dark_entry(solved, dark_entries):
    xyY, result = solved
    n = len(dark_entries[0])
    ok = np.asarray(result.ok)[:n]
    assert ok.all(), f"{(~ok).sum()} dark entries not recovered"
    assert munsell_to_xyY_unmasked(np.asarray(result.specification)[:n], dark=True)[1].all()
    assert np.asarray(result.residual)[:n].max() < 1e-9


def test_random_dark_colours_round_trip(solved, dark_entries):
    xyY, result = solved
    n = len(dark_entries[0])
    assert np.asarray(result.ok)[n:].all()
    back, valid = munsell_to_xyY_unmasked(np.asarray(result.specification)[n:], dark=True)
    assert valid.all()
    np.testing.assert_allclose(back, xyY[n:], rtol=0, atol=1e-4)


def test_maximum_chroma_reaches_the_dark_data(dark_entries):
    specs, _ = dark_entries
    hvc = specs[:, [0, 1, 3]]
    ceiling = np.asarray(mj.maximum_chroma(hvc, dark=True))
    assert (ceiling >= specs[:, 2]).all()
    assert np.isnan(np.asarray(mj.maximum_chroma(hvc))).all()  # colour stops at value 1
    # Unchanged from value 1 up; below 0.2 there are no data.
    above = _random_specs(5, 500, 1.0, 10.0)[:, [0, 1, 3]]
    np.testing.assert_array_equal(
        np.asarray(mj.maximum_chroma(above, dark=True)), np.asarray(mj.maximum_chroma(above))
    )
    below = _random_specs(6, 50, 0.0, 0.2 - 1e-6)[:, [0, 1, 3]]
    assert np.isnan(np.asarray(mj.maximum_chroma(below, dark=True))).all()
    # A chroma at the ceiling exists (hues off the steps, values off the planes).
    rows = _random_specs(7, 2000, 0.2, 0.99)
    rows[:, 2] = np.asarray(mj.maximum_chroma(rows[:, [0, 1, 3]], dark=True))
    rows = rows[rows[:, 2] > 0]
    assert len(rows) > 1500
    assert munsell_to_xyY_unmasked(rows, dark=True)[1].all()


def test_projection_reaches_the_dark_data():
    """``project_to_renotation(..., dark=True)`` moves every row into the data
    with the dark planes, leaves the rows inside unchanged, and equals the
    projection without ``dark`` from value 1 up."""
    rows = _random_specs(8, 2000, 0.0, 1.2)
    rows[:, 2] *= 2  # many beyond the data
    projected = np.asarray(mj.project_to_renotation(rows, dark=True))
    assert munsell_to_xyY_unmasked(projected, dark=True)[1].all()
    inside = munsell_to_xyY_unmasked(rows, dark=True)[1]
    assert 0 < inside.sum() < len(rows)
    np.testing.assert_array_equal(projected[inside], rows[inside])
    chromatic = projected[:, 2] > 0  # a grey keeps its value
    assert chromatic.sum() > 1000 and (projected[chromatic, 1] >= 0.2).all()
    above = _random_specs(9, 500, 1.0, 10.0)
    above[:, 2] *= 2
    np.testing.assert_array_equal(
        np.asarray(mj.project_to_renotation(above, dark=True)),
        np.asarray(mj.project_to_renotation(above)),
    )


def test_dark_gradient_matches_central_differences(random_dark):
    """jax.jacrev of the dark inverse (value, chroma x cos / sin of the ASTM
    hue) against central differences in float64, on chromatic dark colours."""
    xyY = random_dark[:8]

    def cartesian(xyY):
        spec = mj.xyY_to_munsell(xyY, dark=True).specification
        astm = (10 * ((7 - spec[..., 3]) % 10) + spec[..., 0]) * (2 * np.pi / 100)
        chroma = spec[..., 2]
        return jax.numpy.stack(
            [spec[..., 1], chroma * jax.numpy.cos(astm), chroma * jax.numpy.sin(astm)], -1
        )

    jacobian = np.asarray(jax.jacrev(cartesian)(xyY))  # [8, 3, 8, 3]
    h = 1e-7
    for i in range(3):
        step = np.zeros_like(xyY)
        step[:, i] = h
        numeric = (np.asarray(cartesian(xyY + step)) - np.asarray(cartesian(xyY - step))) / (2 * h)
        analytic = np.einsum("rkr->rk", jacobian[:, :, :, i])
        assert np.isfinite(analytic).all()
        scale = np.maximum(np.abs(numeric), 1.0)
        np.testing.assert_allclose(analytic / scale, numeric / scale, rtol=0, atol=1e-3)
