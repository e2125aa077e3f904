"""Tests for munsell_jax.colorimetry.

References: colour-science 0.4.7 (conversions and the three Delta-E formulas,
float64, on random and edge-case inputs) and the 34 CIEDE2000 test pairs of
Sharma, Wu and Dalal (2005). Gradients are checked for NaN/inf at the corners
(greys, black, identical colours, hues 180 degrees apart) and against central
finite differences where the functions are smooth. Every jitted function is
built once at module level, so each compiles once per input dtype.
"""

import colour
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from colour.difference.delta_e import intermediate_attributes_CIE2000

import munsell_jax
from munsell_jax import colorimetry
from munsell_jax.colorimetry import (
    ILLUMINANT_C_xy,
    ILLUMINANT_D65_xy,
    Lab_to_LCHab,
    Lab_to_xyY,
    Lab_to_XYZ,
    LCHab_to_Lab,
    XYZ_to_Lab,
    XYZ_to_xyY,
    delta_E_CIE1976,
    delta_E_CIE1994,
    delta_E_CIE2000,
    xyY_to_Lab,
    xyY_to_XYZ,
)
from munsell_jax.losses import delta_e_loss

# Sharma, Wu & Dalal (2005), Color Res. Appl. 30(1):21-30, doi:10.1002/col.20070,
# Table 1: L1 a1 b1 L2 a2 b2 dE00 (kL = kC = kH = 1).
SHARMA_2005 = np.array(
    [
        (50.0000, 2.6772, -79.7751, 50.0000, 0.0000, -82.7485, 2.0425),
        (50.0000, 3.1571, -77.2803, 50.0000, 0.0000, -82.7485, 2.8615),
        (50.0000, 2.8361, -74.0200, 50.0000, 0.0000, -82.7485, 3.4412),
        (50.0000, -1.3802, -84.2814, 50.0000, 0.0000, -82.7485, 1.0000),
        (50.0000, -1.1848, -84.8006, 50.0000, 0.0000, -82.7485, 1.0000),
        (50.0000, -0.9009, -85.5211, 50.0000, 0.0000, -82.7485, 1.0000),
        (50.0000, 0.0000, 0.0000, 50.0000, -1.0000, 2.0000, 2.3669),
        (50.0000, -1.0000, 2.0000, 50.0000, 0.0000, 0.0000, 2.3669),
        (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0009, 7.1792),
        (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0010, 7.1792),
        (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0011, 7.2195),
        (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0012, 7.2195),
        (50.0000, -0.0010, 2.4900, 50.0000, 0.0009, -2.4900, 4.8045),
        (50.0000, -0.0010, 2.4900, 50.0000, 0.0010, -2.4900, 4.8045),
        (50.0000, -0.0010, 2.4900, 50.0000, 0.0011, -2.4900, 4.7461),
        (50.0000, 2.5000, 0.0000, 50.0000, 0.0000, -2.5000, 4.3065),
        (50.0000, 2.5000, 0.0000, 73.0000, 25.0000, -18.0000, 27.1492),
        (50.0000, 2.5000, 0.0000, 61.0000, -5.0000, 29.0000, 22.8977),
        (50.0000, 2.5000, 0.0000, 56.0000, -27.0000, -3.0000, 31.9030),
        (50.0000, 2.5000, 0.0000, 58.0000, 24.0000, 15.0000, 19.4535),
        (50.0000, 2.5000, 0.0000, 50.0000, 3.1736, 0.5854, 1.0000),
        (50.0000, 2.5000, 0.0000, 50.0000, 3.2972, 0.0000, 1.0000),
        (50.0000, 2.5000, 0.0000, 50.0000, 1.8634, 0.5757, 1.0000),
        (50.0000, 2.5000, 0.0000, 50.0000, 3.2592, 0.3350, 1.0000),
        (60.2574, -34.0099, 36.2677, 60.4626, -34.1751, 39.4387, 1.2644),
        (63.0109, -31.0961, -5.8663, 62.8187, -29.7946, -4.0864, 1.2630),
        (61.2901, 3.7196, -5.3901, 61.4292, 2.2480, -4.9620, 1.8731),
        (35.0831, -44.1164, 3.7933, 35.0232, -40.0716, 1.5901, 1.8645),
        (22.7233, 20.0904, -46.6940, 23.0331, 14.9730, -42.5619, 2.0373),
        (36.4612, 47.8580, 18.3852, 36.2715, 50.5065, 21.2231, 1.4146),
        (90.8027, -2.0831, 1.4410, 91.1528, -1.6435, 0.0447, 1.4441),
        (90.9257, -0.5406, -0.9208, 88.6381, -0.8985, -0.7239, 1.5381),
        (6.7747, -0.2908, -2.4247, 5.8714, -0.0985, -2.2286, 0.6377),
        (2.0776, 0.0795, -1.1350, 0.9033, -0.0636, -0.5514, 0.9082),
    ]
)

DTYPES = [np.float32, np.float64]
WHITE_POINTS = {"C": ILLUMINANT_C_xy, "D65": ILLUMINANT_D65_xy}
DELTA_E = {
    "CIE 1976": delta_E_CIE1976,
    "CIE 1994": delta_E_CIE1994,
    "CIE 2000": delta_E_CIE2000,
}


def xyY_loss(pred_xyY, target_xyY):
    """The Munsell convention's loss: mean CIEDE2000 of xyY under illuminant C."""
    return delta_e_loss(pred_xyY, target_xyY, space="xyY")


# One jitted version of every function, shared by all tests (one compile per dtype).
JIT = {
    "xyY_to_XYZ": jax.jit(xyY_to_XYZ),
    "XYZ_to_xyY": jax.jit(XYZ_to_xyY),
    "XYZ_to_Lab": jax.jit(XYZ_to_Lab),
    "Lab_to_XYZ": jax.jit(Lab_to_XYZ),
    "xyY_to_Lab": jax.jit(xyY_to_Lab),
    "Lab_to_xyY": jax.jit(Lab_to_xyY),
    "Lab_to_LCHab": jax.jit(Lab_to_LCHab),
    "LCHab_to_Lab": jax.jit(LCHab_to_Lab),
    "CIE 1976": jax.jit(delta_E_CIE1976),
    "CIE 1994": jax.jit(delta_E_CIE1994, static_argnames="textiles"),
    "CIE 2000": jax.jit(delta_E_CIE2000),
    "xyY loss": jax.jit(xyY_loss),
}


# --------------------------------------------------------------------------- #
# Inputs
# --------------------------------------------------------------------------- #


def polar(C, h):
    """a*, b* of chroma C at hue h (degrees)."""
    return C * np.cos(np.radians(h)), C * np.sin(np.radians(h))


def random_lab(rng, n):
    return np.stack(
        [rng.uniform(0, 100, n), rng.uniform(-128, 128, n), rng.uniform(-128, 128, n)], axis=-1
    )


def random_lab_pairs(n, seed):
    """``[n, 3]`` pairs of Lab: L in [0, 100], a and b in [-128, 128].

    The first tenth has near-grey first colours (a, b within 1e-3, most exactly
    0) and some near-grey second colours, the next fifth has hues
    180 +- 1e-9..3 degrees apart, the next fifth small differences; the rest is
    uniform.
    """
    rng = np.random.default_rng(seed)
    Lab_1, Lab_2 = random_lab(rng, n), random_lab(rng, n)
    k = n // 10
    grey = slice(0, k)
    Lab_1[grey, 1:] = rng.uniform(-1e-3, 1e-3, (k, 2)) * (rng.random((k, 1)) < 0.3)
    Lab_2[grey, 1:] *= np.where(rng.random((k, 1)) < 0.2, 0.0, 1.0)
    opposite = slice(k, 3 * k)
    h = rng.uniform(0, 360, 2 * k)
    offset = rng.choice([-1.0, 1.0], 2 * k) * 10 ** rng.uniform(-9, 0.5, 2 * k)
    Lab_1[opposite, 1], Lab_1[opposite, 2] = polar(rng.uniform(0, 130, 2 * k), h)
    Lab_2[opposite, 1], Lab_2[opposite, 2] = polar(rng.uniform(0, 130, 2 * k), h + 180 + offset)
    close = slice(3 * k, 5 * k)
    Lab_2[close] = Lab_1[close] + rng.normal(0, 1, (2 * k, 3))
    return Lab_1, Lab_2


def antipodal_pairs(n, seed):
    """Pairs whose hues are exactly 180 degrees apart: ``(L_2, -a, -b)`` against ``(L_1, a, b)``."""
    rng = np.random.default_rng(seed)
    Lab_1 = random_lab(rng, n)
    Lab_2 = np.concatenate([rng.uniform(0, 100, (n, 1)), -Lab_1[:, 1:]], axis=-1)
    return Lab_1, Lab_2


def edge_lab_pairs():
    """Corners of the Delta-E formulas: identical, greys, black, opposite hues, axes."""
    L_a_b = np.array([[50.0, 20.0, -30.0], [75.0, -60.0, 5.0], [10.0, 0.0, 40.0]])
    first = [
        L_a_b,  # identical pairs
        [[50.0, 0.0, 0.0], [0.0, 0.0, 0.0], [100.0, 0.0, 0.0]],  # identical greys, black
        [[50.0, 0.0, 0.0], [0.0, 0.0, 0.0], [20.0, 0.0, 0.0]],  # grey vs grey / colour
        [[0.0, 0.0, 0.0], [50.0, 0.0, 0.0], [60.0, -0.0, -0.0]],
        [[50.0, 20.0, -30.0], [50.0, 2.49, -0.001], [50.0, -0.001, 2.49]],  # exactly opposite
        [[50.0, 0.0, 30.0], [50.0, 30.0, 0.0], [50.0, 0.0, -30.0]],  # on the axes
        [[50.0, 1e-12, 0.0], [50.0, 0.0, 1e-12], [50.0, 3.0, 4.0]],  # tiny chroma
    ]
    second = [
        L_a_b,
        [[50.0, 0.0, 0.0], [0.0, 0.0, 0.0], [100.0, 0.0, 0.0]],
        [[70.0, 0.0, 0.0], [0.0, 10.0, -10.0], [30.0, 5.0, 0.0]],
        [[0.0, 1.0, 2.0], [50.0, 0.0, 0.0], [60.0, 0.0, 0.0]],
        [[60.0, -20.0, 30.0], [50.0, -2.49, 0.001], [50.0, 0.001, -2.49]],
        [[50.0, 0.0, -30.0], [50.0, -30.0, 1e-9], [50.0, 0.0, 30.0]],
        [[50.0, 0.0, 0.0], [50.0, 1e-12, 0.0], [50.0, -3.0, -4.0]],
    ]
    Lab_1 = np.concatenate([np.reshape(x, (-1, 3)) for x in first] + [SHARMA_2005[:, :3]])
    Lab_2 = np.concatenate([np.reshape(x, (-1, 3)) for x in second] + [SHARMA_2005[:, 3:6]])
    return Lab_1, Lab_2


def edge_xyY():
    """xyY corners: black, y = 0, greys (illuminant C), and a spread of chromatic colours."""
    x_C, y_C = ILLUMINANT_C_xy
    rows = [
        [x_C, y_C, 0.0],  # black, as XYZ_to_xyY writes it
        [0.4, 0.3, 0.0],  # black with a chromaticity
        [0.0, 0.0, 0.0],
        [0.3, 0.0, 0.5],  # y = 0
        [0.0, 0.0, 0.2],
        [x_C, y_C, 0.2],  # greys
        [x_C, y_C, 1.0],
        [0.64, 0.33, 0.2126],  # sRGB primaries
        [0.30, 0.60, 0.7152],
        [0.15, 0.06, 0.0722],
        [0.45, 0.41, 0.001],  # near black, on the linear segment
        [0.25, 0.25, 1.2],  # brighter than the white
    ]
    return np.array(rows)


def random_xyY(rng, n):
    return np.stack(
        [rng.uniform(0.05, 0.7, n), rng.uniform(0.05, 0.7, n), rng.uniform(0, 1, n)], axis=-1
    )


@pytest.fixture(scope="module")
def pairs_100k():
    return random_lab_pairs(100_000, seed=2005)


@pytest.fixture(scope="module")
def pairs_10k():
    return random_lab_pairs(10_000, seed=1976)


# --------------------------------------------------------------------------- #
# Constants
# --------------------------------------------------------------------------- #


def test_white_points_match_colour():
    observer = colour.CCS_ILLUMINANTS["CIE 1931 2 Degree Standard Observer"]
    np.testing.assert_array_equal(ILLUMINANT_C_xy, observer["C"])
    np.testing.assert_array_equal(ILLUMINANT_D65_xy, observer["D65"])


# --------------------------------------------------------------------------- #
# CIEDE2000: Sharma, Wu and Dalal (2005)
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("swap", [False, True], ids=["1-2", "2-1"])
def test_cie2000_sharma_2005(dtype, swap):
    Lab_1, Lab_2 = SHARMA_2005[:, :3].astype(dtype), SHARMA_2005[:, 3:6].astype(dtype)
    if swap:
        Lab_1, Lab_2 = Lab_2, Lab_1
    delta_E = JIT["CIE 2000"](Lab_1, Lab_2)
    assert delta_E.dtype == dtype
    np.testing.assert_allclose(delta_E, SHARMA_2005[:, 6], rtol=0, atol=1e-4)


# --------------------------------------------------------------------------- #
# Delta-E against colour-science
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("method", list(DELTA_E))
def test_delta_e_matches_colour(method, pairs_100k):
    Lab_1, Lab_2 = pairs_100k
    for first, second in [(Lab_1, Lab_2), (Lab_2, Lab_1)]:
        expected = colour.delta_E(first, second, method=method)
        np.testing.assert_allclose(JIT[method](first, second), expected, rtol=0, atol=1e-6)


def test_cie1994_textiles_matches_colour(pairs_10k):
    Lab_1, Lab_2 = pairs_10k
    expected = colour.delta_E(Lab_1, Lab_2, method="CIE 1994", textiles=True)
    np.testing.assert_allclose(
        JIT["CIE 1994"](Lab_1, Lab_2, textiles=True), expected, rtol=0, atol=1e-6
    )


def colour_cie2000(Lab_1, Lab_2, kL, kC, kH):
    """CIEDE2000 with parametric factors, from colour's intermediate attributes."""
    p = intermediate_attributes_CIE2000(Lab_1, Lab_2)
    lightness = p.delta_L_p / (kL * p.S_L)
    chroma = p.delta_C_p / (kC * p.S_C)
    hue = p.delta_H_p / (kH * p.S_H)
    return np.sqrt(lightness**2 + chroma**2 + hue**2 + p.R_T * chroma * hue)


@pytest.mark.parametrize("k", [(2.0, 1.0, 1.0), (1.0, 0.5, 1.0), (1.0, 1.0, 3.0), (1.5, 2.0, 0.7)])
def test_cie2000_parametric_factors_match_colour(k, pairs_10k):
    Lab_1, Lab_2 = pairs_10k
    kL, kC, kH = k
    expected = colour_cie2000(Lab_1, Lab_2, kL, kC, kH)
    np.testing.assert_allclose(
        JIT["CIE 2000"](Lab_1, Lab_2, kL=kL, kC=kC, kH=kH), expected, rtol=0, atol=1e-6
    )
    if k == (2.0, 1.0, 1.0):  # colour's textiles weights
        textiles = colour.delta_E(Lab_1, Lab_2, method="CIE 2000", textiles=True)
        np.testing.assert_allclose(expected, textiles, rtol=0, atol=1e-12)


def test_cie2000_exactly_opposite_hues():
    """Exact ties |h'_2 - h'_1| = 180 take the <= 180 branch, in float32 as in float64.

    colour decides ties with its float64 rounding of the two hue angles; compare
    with it wherever that rounding lands on the <= 180 side (most pairs).
    """
    Lab_1, Lab_2 = antipodal_pairs(5_000, seed=180)
    # colour's hue angles, as intermediate_attributes_CIE2000 computes them.
    C_bar_7 = ((np.hypot(Lab_1[:, 1], Lab_1[:, 2]) + np.hypot(Lab_2[:, 1], Lab_2[:, 2])) / 2) ** 7
    G = 0.5 * (1 - np.sqrt(C_bar_7 / (C_bar_7 + 25**7)))
    h_1 = np.degrees(np.arctan2(Lab_1[:, 2], (1 + G) * Lab_1[:, 1])) % 360
    h_2 = np.degrees(np.arctan2(Lab_2[:, 2], (1 + G) * Lab_2[:, 1])) % 360
    colour_short = np.abs(h_2 - h_1) <= 180
    assert colour_short.mean() > 0.8

    expected = colour.delta_E(Lab_1, Lab_2, method="CIE 2000")
    delta_E_64 = np.asarray(JIT["CIE 2000"](Lab_1, Lab_2))
    np.testing.assert_allclose(delta_E_64[colour_short], expected[colour_short], atol=1e-6)
    np.testing.assert_allclose(JIT["CIE 2000"](Lab_2, Lab_1), delta_E_64, rtol=1e-12, atol=1e-12)
    delta_E_32 = JIT["CIE 2000"](Lab_1.astype(np.float32), Lab_2.astype(np.float32))
    np.testing.assert_allclose(delta_E_32, delta_E_64, rtol=1e-4, atol=1e-4)


# --------------------------------------------------------------------------- #
# Colour spaces against colour-science
# --------------------------------------------------------------------------- #


@pytest.fixture(scope="module")
def xyY_rows():
    return np.concatenate([edge_xyY(), random_xyY(np.random.default_rng(31), 2_000)])


def test_xyY_to_XYZ_matches_colour(xyY_rows):
    # Includes y = 0, where colour's sdiv gives X = Z = 0.
    np.testing.assert_allclose(
        JIT["xyY_to_XYZ"](xyY_rows), colour.xyY_to_XYZ(xyY_rows), rtol=1e-12, atol=1e-15
    )
    np.testing.assert_array_equal(xyY_to_XYZ(np.array([0.3, 0.0, 0.5])), [0.0, 0.5, 0.0])


@pytest.mark.parametrize("white", list(WHITE_POINTS))
def test_xyY_to_Lab_matches_colour(white, xyY_rows):
    illuminant = WHITE_POINTS[white]
    expected = colour.XYZ_to_Lab(colour.xyY_to_XYZ(xyY_rows), np.array(illuminant))
    got = JIT["xyY_to_Lab"](xyY_rows, illuminant=illuminant)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-10)
    np.testing.assert_allclose(np.asarray(got)[xyY_rows[:, 2] == 0], 0.0, atol=1e-12)  # black


@pytest.mark.parametrize("white", list(WHITE_POINTS))
def test_XYZ_to_Lab_and_back_match_colour(white, xyY_rows):
    illuminant = WHITE_POINTS[white]
    XYZ = colour.xyY_to_XYZ(xyY_rows)
    Lab = colour.XYZ_to_Lab(XYZ, np.array(illuminant))
    np.testing.assert_allclose(
        JIT["XYZ_to_Lab"](XYZ, illuminant=illuminant), Lab, rtol=0, atol=1e-10
    )
    np.testing.assert_allclose(
        JIT["Lab_to_XYZ"](Lab, illuminant=illuminant),
        colour.Lab_to_XYZ(Lab, np.array(illuminant)),
        rtol=1e-12,
        atol=1e-14,
    )
    np.testing.assert_allclose(JIT["Lab_to_XYZ"](Lab, illuminant=illuminant), XYZ, atol=1e-12)


def test_Lab_to_XYZ_matches_colour_off_the_gamut():
    rng = np.random.default_rng(7)
    Lab = np.concatenate([random_lab(rng, 1_000), [[0.0, 0.0, 0.0], [-5.0, 0.0, 0.0]]])
    np.testing.assert_allclose(
        JIT["Lab_to_XYZ"](Lab), colour.Lab_to_XYZ(Lab, np.array(ILLUMINANT_C_xy)), atol=1e-14
    )


@pytest.mark.parametrize("white", list(WHITE_POINTS))
def test_XYZ_to_xyY_matches_colour(white, xyY_rows):
    illuminant = WHITE_POINTS[white]
    XYZ = colour.xyY_to_XYZ(xyY_rows)
    got = np.asarray(JIT["XYZ_to_xyY"](XYZ, illuminant=illuminant))
    black = XYZ.sum(axis=-1) == 0
    assert black.sum() == 3
    np.testing.assert_allclose(got[~black], colour.XYZ_to_xyY(XYZ[~black]), rtol=1e-12, atol=1e-15)
    # colour 0.4.7 gives [0, 0, 0] for black; here black sits on the neutral axis.
    np.testing.assert_array_equal(got[black], [[*illuminant, 0.0]] * 3)


@pytest.mark.parametrize("white", list(WHITE_POINTS))
def test_Lab_to_xyY_matches_colour(white):
    illuminant = WHITE_POINTS[white]
    Lab = np.concatenate([random_lab(np.random.default_rng(5), 500), [[0.0, 0.0, 0.0]]])
    got = np.asarray(JIT["Lab_to_xyY"](Lab, illuminant=illuminant))
    expected = colour.XYZ_to_xyY(colour.Lab_to_XYZ(Lab, np.array(illuminant)))
    np.testing.assert_allclose(got[:-1], expected[:-1], rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(got[-1], [*illuminant, 0.0])


def test_Lab_to_LCHab_matches_colour(pairs_10k):
    Lab = np.concatenate([*pairs_10k, [[50.0, 0.0, 0.0], [50.0, 1.0, -1e-300]]])
    got = np.asarray(JIT["Lab_to_LCHab"](Lab))
    expected = colour.Lab_to_LCHab(Lab)
    np.testing.assert_allclose(got[:, :2], expected[:, :2], rtol=1e-12, atol=1e-15)
    # colour can give 360 for a tiny negative b*; compare hues on the circle. colour
    # gives 180 for a* = -0.0, b* = +-0.0; greys have hue 0 here whatever the signs.
    grey = (Lab[:, 1] == 0) & (Lab[:, 2] == 0)
    assert 100 < grey.sum() < len(Lab) / 10
    hue_error = (got[~grey, 2] - expected[~grey, 2] + 180) % 360 - 180
    np.testing.assert_allclose(hue_error, 0.0, atol=1e-9)
    np.testing.assert_array_equal(got[grey, 2], 0.0)
    assert np.all((got[:, 2] >= 0) & (got[:, 2] < 360))


def test_Lab_to_LCHab_greys_have_hue_zero():
    Lab = np.array([[50.0, 0.0, 0.0], [50.0, -0.0, -0.0], [0.0, 0.0, -0.0]])
    for dtype in DTYPES:
        np.testing.assert_array_equal(JIT["Lab_to_LCHab"](Lab.astype(dtype)), Lab * [1, 0, 0])


def test_LCHab_to_Lab_matches_colour(pairs_10k):
    LCHab = colour.Lab_to_LCHab(pairs_10k[0])
    LCHab[:10, 2] += 720.0  # hue is periodic
    np.testing.assert_allclose(
        JIT["LCHab_to_Lab"](LCHab), colour.LCHab_to_Lab(LCHab), rtol=0, atol=1e-10
    )
    np.testing.assert_allclose(JIT["LCHab_to_Lab"](LCHab), pairs_10k[0], atol=1e-10)


def test_per_row_illuminant_broadcasts(xyY_rows):
    illuminants = np.where(
        np.arange(len(xyY_rows))[:, None] % 2, ILLUMINANT_D65_xy, ILLUMINANT_C_xy
    )
    got = np.asarray(JIT["xyY_to_Lab"](xyY_rows, illuminant=illuminants))
    for start, white in [(0, ILLUMINANT_C_xy), (1, ILLUMINANT_D65_xy)]:
        expected = JIT["xyY_to_Lab"](xyY_rows, illuminant=white)[start::2]
        np.testing.assert_allclose(got[start::2], expected, rtol=1e-12, atol=1e-12)


def test_leading_axes_broadcast():
    Lab, xyY = jax.ShapeDtypeStruct((2, 5, 3), jnp.float32), jax.ShapeDtypeStruct((3,), jnp.float32)
    for fn in DELTA_E.values():
        assert jax.eval_shape(fn, Lab, xyY).shape == (2, 5)
    for fn in (xyY_to_Lab, Lab_to_xyY, Lab_to_LCHab, LCHab_to_Lab):
        assert jax.eval_shape(fn, Lab).shape == (2, 5, 3)
    assert jax.eval_shape(xyY_loss, Lab, xyY).shape == ()
    white = jax.ShapeDtypeStruct((5, 2), jnp.float32)
    out = jax.eval_shape(lambda x, w: XYZ_to_Lab(x, illuminant=w), Lab, white)
    assert out.shape == (2, 5, 3) and out.dtype == jnp.float32


@pytest.mark.parametrize("fn", [xyY_to_XYZ, XYZ_to_Lab, Lab_to_LCHab, delta_E_CIE2000])
def test_wrong_last_axis_raises(fn):
    args = (np.zeros((4, 2)),) * (2 if fn is delta_E_CIE2000 else 1)
    with pytest.raises(ValueError, match=r"\[\.\.\., 3\]"):
        fn(*args)
    with pytest.raises(ValueError, match="xy pair"):
        xyY_to_Lab(np.zeros(3), illuminant=(0.3, 0.3, 1.0))


def test_delta_e_loss_is_mean_cie2000_under_c(xyY_rows):
    pred, target = xyY_rows, xyY_rows[::-1]
    white = np.array(ILLUMINANT_C_xy)
    expected = np.mean(
        colour.delta_E(
            colour.XYZ_to_Lab(colour.xyY_to_XYZ(pred), white),
            colour.XYZ_to_Lab(colour.xyY_to_XYZ(target), white),
            method="CIE 2000",
        )
    )
    loss = JIT["xyY loss"](pred, target)
    assert loss.shape == ()
    np.testing.assert_allclose(loss, expected, rtol=1e-12, atol=1e-12)


def test_delta_E_loss_is_a_deprecated_alias_of_delta_e_loss(xyY_rows):
    pred, target = xyY_rows[:8], xyY_rows[8:16]
    with pytest.warns(DeprecationWarning, match=r"munsell_jax\.delta_e_loss"):
        old = colorimetry.delta_E_loss(pred, target)
    np.testing.assert_array_equal(old, delta_e_loss(pred, target, space="xyY"))
    assert "delta_E_loss" not in colorimetry.__all__
    assert munsell_jax.delta_E_loss is colorimetry.delta_E_loss  # importable, not public
    assert "delta_E_loss" not in munsell_jax.__all__


@pytest.mark.parametrize("method", list(DELTA_E))
@pytest.mark.parametrize("textiles", [False, True])
def test_delta_E_dispatches_by_colour_name(method, textiles):
    Lab_1, Lab_2 = edge_lab_pairs()
    options = {"textiles": textiles} if method == "CIE 1994" else {}
    if method == "CIE 2000" and textiles:
        options = {"kL": 2.0}
    expected = np.asarray(DELTA_E[method](Lab_1, Lab_2, **options))
    # colour's names and aliases: any case, with or without the space
    for name in (method, method.lower(), method.replace(" ", ""), method.lower().replace(" ", "")):
        got = colorimetry.delta_E(Lab_1, Lab_2, method=name, textiles=textiles)
        np.testing.assert_array_equal(got, expected)
    # colour's textiles weights (away from the edge cases, where CIEDE2000's
    # hue branch at 180 degrees may differ: see the module docstring)
    Lab_1, Lab_2 = random_lab_pairs(100, seed=94)
    got = colorimetry.delta_E(Lab_1, Lab_2, method=method, textiles=textiles)
    reference = colour.delta_E(Lab_1, Lab_2, method=method, textiles=textiles)
    np.testing.assert_allclose(got, reference, rtol=0, atol=1e-10)


def test_delta_E_defaults_to_CIE_2000_and_names_its_methods():
    Lab_1, Lab_2 = SHARMA_2005[:, :3], SHARMA_2005[:, 3:6]
    np.testing.assert_allclose(colorimetry.delta_E(Lab_1, Lab_2), SHARMA_2005[:, 6], atol=1e-4)
    with pytest.raises(ValueError, match="CIE 1976"):
        colorimetry.delta_E(Lab_1, Lab_2, method="CMC")


# --------------------------------------------------------------------------- #
# jit vs eager, dtypes
# --------------------------------------------------------------------------- #


def _cases():
    """name -> (function, inputs, options) on the edge cases.

    Every input has the same number of rows, so the eager runs share their
    per-operation compilations.
    """
    Lab_1, Lab_2 = edge_lab_pairs()
    xyY = np.concatenate([edge_xyY(), random_xyY(np.random.default_rng(2), len(Lab_1))])
    xyY = xyY[: len(Lab_1)]
    XYZ = colour.xyY_to_XYZ(xyY)
    return {
        "xyY_to_XYZ": (xyY_to_XYZ, (xyY,), {}),
        "XYZ_to_xyY": (XYZ_to_xyY, (XYZ,), {}),
        "XYZ_to_Lab": (XYZ_to_Lab, (XYZ,), {"illuminant": ILLUMINANT_D65_xy}),
        "Lab_to_XYZ": (Lab_to_XYZ, (Lab_1,), {}),
        "xyY_to_Lab": (xyY_to_Lab, (xyY,), {}),
        "Lab_to_xyY": (Lab_to_xyY, (Lab_1,), {}),
        "Lab_to_LCHab": (Lab_to_LCHab, (Lab_1,), {}),
        "LCHab_to_Lab": (LCHab_to_Lab, (colour.Lab_to_LCHab(Lab_2),), {}),
        "CIE 1976": (delta_E_CIE1976, (Lab_1, Lab_2), {}),
        "CIE 1994": (delta_E_CIE1994, (Lab_1, Lab_2), {"textiles": True}),
        "CIE 2000": (delta_E_CIE2000, (Lab_1, Lab_2), {}),
        "xyY loss": (xyY_loss, (xyY, xyY[::-1]), {}),
    }


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", list(JIT))
def test_jit_matches_eager_and_keeps_dtype(name, dtype):
    fn, args, options = _cases()[name]
    args = tuple(np.asarray(a, dtype) for a in args)
    eager = fn(*args, **options)
    jitted = JIT[name](*args, **options)
    assert eager.dtype == dtype and jitted.dtype == dtype
    assert np.all(np.isfinite(eager))
    tolerance = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(jitted, eager, rtol=tolerance, atol=tolerance)
    if dtype == np.float32:  # the float32 result is the float64 one, rounded
        exact = np.asarray(JIT[name](*(a.astype(np.float64) for a in args), **options))
        # Within 1e-5 of each output's largest magnitude (at least 1): measured at
        # most 3.8e-7 of it (3 float32 ulps; Lab_to_xyY's x, 8.3e-7 absolute), so
        # 26x for another CPU's rounding. Relative to the largest, not to each
        # value: differences such as a* and b* lose their relative precision near 0.
        scale = np.maximum(np.abs(exact).max(axis=0), 1.0)
        np.testing.assert_allclose(
            np.asarray(jitted, np.float64) / scale, exact / scale, rtol=0, atol=1e-5
        )
    if name == "CIE 2000":  # the edge cases end with Sharma et al.'s pairs
        np.testing.assert_allclose(eager[-34:], SHARMA_2005[:, 6], rtol=0, atol=1e-4)


def test_integer_input_is_promoted():
    assert xyY_to_XYZ(np.array([0, 1, 1])).dtype == jnp.result_type(float)
    assert delta_E_CIE1976(np.array([50, 1, 2]), np.array([50, 1, 2])) == 0


# --------------------------------------------------------------------------- #
# Gradients
# --------------------------------------------------------------------------- #


def _reverse(fn):
    """Reverse mode: gradient of the summed batch with respect to both inputs."""
    return jax.jit(jax.grad(lambda x, y: jnp.sum(fn(x, y)), argnums=(0, 1)))


def _forward(fn):
    """Forward mode: derivative of each pair, ``[N, 3]`` twice."""
    return jax.jit(jax.vmap(jax.jacfwd(fn, argnums=(0, 1))))


REVERSE = {name: _reverse(fn) for name, fn in DELTA_E.items()}
FORWARD = {name: _forward(fn) for name, fn in DELTA_E.items()}
LOSS_REVERSE = jax.jit(jax.jacrev(xyY_loss, argnums=(0, 1)))
LOSS_FORWARD = _forward(xyY_loss)  # row by row: the loss of one pair is its Delta E

# Points where every formula is smooth (no grey, no hue 180 degrees away), for
# the finite-difference checks.
SMOOTH_LAB_PAIRS = (
    np.array([[50.0, 20.0, -30.0], [30.0, -40.0, 10.0], [80.0, 5.0, 60.0], [60.0, -2.0, -3.0]]),
    np.array([[52.0, 25.0, -28.0], [35.0, -30.0, 30.0], [70.0, -20.0, 40.0], [61.0, 3.0, 2.0]]),
)
SMOOTH_XYY_PAIRS = (
    np.array([[0.35, 0.40, 0.30], [0.25, 0.30, 0.05], [0.50, 0.35, 0.20], [0.31, 0.32, 0.002]]),
    np.array([[0.33, 0.38, 0.32], [0.30, 0.28, 0.04], [0.45, 0.40, 0.25], [0.30, 0.33, 0.003]]),
)


def _central_differences(fn, x, y, step=1e-6):
    """Central differences of the per-row ``fn(x, y)`` with respect to each input, ``[n, 3]``."""
    n = len(x)
    steps = np.eye(3) * step
    grads = []
    for argnum in (0, 1):
        inputs = [np.repeat(a[:, None], 3, axis=1) for a in (x, y)]  # [n, 3 directions, 3]
        plus, minus = list(inputs), list(inputs)
        plus[argnum] = inputs[argnum] + steps
        minus[argnum] = inputs[argnum] - steps
        f_plus = np.asarray(fn(*(a.reshape(-1, 3) for a in plus))).reshape(n, 3)
        f_minus = np.asarray(fn(*(a.reshape(-1, 3) for a in minus))).reshape(n, 3)
        grads.append((f_plus - f_minus) / (2 * step))
    return grads


@pytest.fixture(scope="module")
def gradient_pairs(pairs_10k):
    """Smooth points first, then the edge cases, exact opposite hues and 10,000 random pairs."""
    parts = [SMOOTH_LAB_PAIRS, edge_lab_pairs(), antipodal_pairs(200, seed=3), pairs_10k]
    return tuple(np.concatenate(arrays) for arrays in zip(*parts, strict=True))


@pytest.fixture(scope="module")
def delta_e_gradients(gradient_pairs):
    """method -> (reverse, forward) gradients on ``gradient_pairs``, each computed once."""
    cache = {}

    def gradients(method):
        if method not in cache:
            cache[method] = (
                REVERSE[method](*gradient_pairs),
                FORWARD[method](*gradient_pairs),
            )
        return cache[method]

    return gradients


@pytest.mark.parametrize("method", list(DELTA_E))
def test_delta_e_gradients_are_finite(method, gradient_pairs, delta_e_gradients):
    reverse, forward = delta_e_gradients(method)
    for grad in (*reverse, *forward):
        assert grad.shape == gradient_pairs[0].shape
        assert np.all(np.isfinite(grad)), np.argwhere(~np.isfinite(grad))[:5]
    for r, f in zip(reverse, forward, strict=True):
        np.testing.assert_allclose(r, f, rtol=1e-9, atol=1e-9)
    # Identical colours (the first 6 edge pairs) are minima, with gradient 0.
    identical = slice(len(SMOOTH_LAB_PAIRS[0]), len(SMOOTH_LAB_PAIRS[0]) + 6)
    for grad in reverse:
        np.testing.assert_array_equal(grad[identical], 0.0)


@pytest.mark.parametrize("method", list(DELTA_E))
def test_delta_e_gradients_match_finite_differences(method, delta_e_gradients):
    n = len(SMOOTH_LAB_PAIRS[0])
    expected = _central_differences(JIT[method], *SMOOTH_LAB_PAIRS)
    for grads in delta_e_gradients(method):
        for grad, fd in zip(grads, expected, strict=True):
            np.testing.assert_allclose(grad[:n], fd, rtol=1e-6, atol=1e-7)


def test_delta_e_gradients_are_finite_in_float32():
    Lab_1, Lab_2 = (x.astype(np.float32) for x in edge_lab_pairs())
    for method in DELTA_E:
        for grad in REVERSE[method](Lab_1, Lab_2):
            assert grad.dtype == np.float32
            assert np.all(np.isfinite(grad)), method


@pytest.fixture(scope="module")
def loss_pairs():
    """Smooth points, then black (Y = 0), y = 0, greys and identical colours, then random."""
    rng = np.random.default_rng(17)
    corners = edge_xyY()
    pred = [SMOOTH_XYY_PAIRS[0], corners, corners, corners[::-1], random_xyY(rng, 10_000)]
    target = [SMOOTH_XYY_PAIRS[1], corners, corners[::-1], corners, random_xyY(rng, 10_000)]
    return np.concatenate(pred), np.concatenate(target)


@pytest.fixture(scope="module")
def loss_gradients(loss_pairs):
    return LOSS_REVERSE(*loss_pairs), LOSS_FORWARD(*loss_pairs)


def test_delta_e_loss_gradients_are_finite(loss_pairs, loss_gradients):
    reverse, forward = loss_gradients
    for grad in (*reverse, *forward):
        assert grad.shape == loss_pairs[0].shape
        assert np.all(np.isfinite(grad)), np.argwhere(~np.isfinite(grad))[:5]
    # The batch mean's gradient is each pair's own, over the batch size.
    for r, f in zip(reverse, forward, strict=True):
        np.testing.assert_allclose(r * len(r), f, rtol=1e-9, atol=1e-9)


def test_delta_e_loss_gradients_match_finite_differences(loss_gradients):
    def per_pair(pred, target):
        return JIT["CIE 2000"](JIT["xyY_to_Lab"](pred), JIT["xyY_to_Lab"](target))

    n = len(SMOOTH_XYY_PAIRS[0])
    expected = _central_differences(per_pair, *SMOOTH_XYY_PAIRS)
    for grad, fd in zip(loss_gradients[1], expected, strict=True):
        np.testing.assert_allclose(grad[:n], fd, rtol=1e-6, atol=1e-7)


def _all_conversions(v):
    """Every conversion of one 3-vector, read as xyY, XYZ, Lab and LCHab in turn."""
    conversions = (xyY_to_XYZ, XYZ_to_xyY, XYZ_to_Lab, Lab_to_XYZ, xyY_to_Lab, Lab_to_xyY)
    return jnp.concatenate([f(v) for f in (*conversions, Lab_to_LCHab, LCHab_to_Lab)])


@pytest.mark.parametrize("jacobian", [jax.jacfwd, jax.jacrev])
def test_conversion_jacobians_are_finite(jacobian):
    inputs = np.concatenate([edge_xyY(), colour.xyY_to_XYZ(edge_xyY()), edge_lab_pairs()[0]])
    jac = jax.jit(jax.vmap(jacobian(_all_conversions)))(inputs)
    assert jac.shape == (len(inputs), 24, 3)
    assert np.all(np.isfinite(jac))


@pytest.mark.parametrize(
    "fn, args",
    [
        (colorimetry._safe_sqrt, (0.0,)),
        (colorimetry._safe_cbrt, (0.0,)),
        (colorimetry._safe_arctan2, (0.0, 0.0)),
        (colorimetry._safe_hypot, (0.0, 0.0)),
        (colorimetry._safe_divide, (0.0, 0.0)),
    ],
)
def test_safe_math_has_zero_gradient_at_its_singularity(fn, args):
    grads = jax.grad(fn, argnums=tuple(range(len(args))))(*(jnp.asarray(a) for a in args))
    assert all(g == 0 for g in grads)
