"""The public colour API: RGB conversions and colour losses.

Each function is compared with a trusted reference over an enum of edge cases
(in range, out of range, zeros, ones, greys, primaries, the transfer curve's
knees): colour-science 0.4.7 and ``colorsys`` for the conversions, numpy
formulas on colour-science's Lab for the losses. Every function's ``jacrev``
is finite on the whole enum (including ``pred == target``), jit and eager
agree, float32 stays float32, and leading axes (``[B, H, W, 3]``) broadcast.
The last tests check the API's shape: options keyword-only, random keys first
and named ``key``.

float64 throughout (tests/conftest.py enables x64); every jitted function is
built once and shared (``_jit``), so each compiles once per shape.
"""

import colorsys
import functools
import inspect

import colour
import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.stats
from flax import nnx

import munsell_jax
from munsell_jax import colorimetry, losses
from munsell_jax.colorimetry import ILLUMINANT_C_xy, ILLUMINANT_D65_xy

C = np.array(ILLUMINANT_C_xy)
D65 = np.array(ILLUMINANT_D65_xy)
RNG = np.random.default_rng(10)


# --------------------------------------------------------------------------- #
# Edge-case enums: name -> [n, 3]
# --------------------------------------------------------------------------- #

N = 40  # rows of every enum: equal shapes share the eager per-operation compilations


def _cases(in_range, **edges):
    """An enum of ``N`` rows: the edge cases, then ``in_range`` rows to fill."""
    filler = N - sum(map(len, edges.values()))
    return {"in range": in_range(filler), **edges}


_KNEES = np.array([0.0031308, colorimetry._SRGB_ENCODED_KNEE])
RGB_CASES = _cases(
    lambda n: RNG.uniform(0, 1, (n, 3)),
    **{
        "out of range": RNG.uniform(-0.5, 1.5, (8, 3)),
        "zeros": np.zeros((1, 3)),
        "ones": np.ones((1, 3)),
        "greys": np.repeat([[0.001], [0.2], [0.5], [0.9], [-0.2], [1.3]], 3, axis=1),
        "primaries": np.concatenate([np.eye(3), 1 - np.eye(3), 0.5 * np.eye(3)]),
        "knees": np.stack([np.r_[_KNEES, _KNEES * (1 - 1e-9), _KNEES * (1 + 1e-9)]] * 3, 1),
    },
)
XYZ_CASES = _cases(
    lambda n: colour.sRGB_to_XYZ(RNG.uniform(0, 1, (n, 3))),
    **{
        "out of range": RNG.uniform(-0.2, 1.3, (8, 3)),
        "zeros": np.zeros((1, 3)),
        "ones": np.ones((1, 3)),
        "greys": np.outer([0.05, 0.5, 1.0], colour.xy_to_XYZ(D65)),
        "whites": np.stack([colour.xy_to_XYZ(C), colour.xy_to_XYZ(D65)]),
    },
)
LAB_CASES = _cases(
    lambda n: colour.XYZ_to_Lab(colour.sRGB_to_XYZ(RNG.uniform(0, 1, (n, 3))), D65),
    **{
        "out of range": np.c_[RNG.uniform(-10, 110, 8), RNG.uniform(-150, 150, (8, 2))],
        "zeros": np.zeros((1, 3)),
        "ones": np.ones((1, 3)),
        "greys": np.c_[[0.0, 5.0, 50.0, 100.0], np.zeros((4, 2))],
    },
)
HSV_CASES = _cases(
    lambda n: RNG.uniform(0, 1, (n, 3)),
    **{
        "hue out of range": np.c_[RNG.uniform(-2, 3, 6), RNG.uniform(0, 1, (6, 2))],
        "zeros": np.zeros((1, 3)),
        "ones": np.ones((1, 3)),
        "greys": np.c_[RNG.uniform(0, 1, 3), np.zeros(3), [0.0, 0.5, 1.0]],
        "sector edges": np.c_[np.arange(7) / 6, np.full(7, 0.8), np.full(7, 0.6)],
    },
)
XYY_CASES = _cases(
    lambda n: colour.XYZ_to_xyY(colour.sRGB_to_XYZ(RNG.uniform(0.05, 1, (n, 3)))),
    **{
        "out of range": np.c_[RNG.uniform(0.0, 0.8, (6, 2)), RNG.uniform(1.0, 1.5, 6)],
        "zeros": np.zeros((1, 3)),
        "ones": np.ones((1, 3)),
        "greys": np.c_[np.tile(C, (3, 1)), [0.0, 0.3, 1.0]],
    },
)


def _stack(cases):
    return np.concatenate(list(cases.values()))


def _labels(cases):
    return [name for name, rows in cases.items() for _ in rows]


RGB, XYZ, LAB, HSV, XYY = map(_stack, (RGB_CASES, XYZ_CASES, LAB_CASES, HSV_CASES, XYY_CASES))
DOMAINS = {"RGB": (RGB, RGB_CASES), "XYZ": (XYZ, XYZ_CASES), "Lab": (LAB, LAB_CASES)}
DOMAINS |= {"HSV": (HSV, HSV_CASES), "xyY": (XYY, XYY_CASES)}


@functools.cache
def _jit(fn, **options):
    """One jitted version of each (function, options), shared by every test."""
    return jax.jit(functools.partial(fn, **options))


def _assert_close(got, expected, cases, *, atol):
    got, expected = np.asarray(got), np.asarray(expected)
    bad = ~np.isclose(got, expected, rtol=0, atol=atol)
    if bad.ndim > 1:
        bad = bad.reshape(len(bad), -1).any(-1)
    labels = _labels(cases) if len(bad) == sum(map(len, cases.values())) else []
    where = sorted({labels[i] for i in np.flatnonzero(bad)}) if labels else []
    assert not bad.any(), f"differs from the reference on {where or int(bad.sum())}"


# --------------------------------------------------------------------------- #
# Conversions: name -> (function, options, domain, reference, tolerance)
# --------------------------------------------------------------------------- #


def _colorsys_hsv(rgb):
    return np.array([colorsys.rgb_to_hsv(*row) for row in rgb])


CONVERSIONS = {
    "sRGB_to_linear_RGB": (
        colorimetry.sRGB_to_linear_RGB,
        {},
        "RGB",
        lambda x: colour.cctf_decoding(x, "sRGB"),
    ),
    "linear_RGB_to_sRGB": (
        colorimetry.linear_RGB_to_sRGB,
        {},
        "RGB",
        lambda x: colour.cctf_encoding(x, "sRGB"),
    ),
    "linear_RGB_to_XYZ": (
        colorimetry.linear_RGB_to_XYZ,
        {},
        "RGB",
        lambda x: colour.RGB_to_XYZ(x, "sRGB"),
    ),
    "linear_RGB_to_XYZ C": (
        colorimetry.linear_RGB_to_XYZ,
        {"illuminant": ILLUMINANT_C_xy},
        "RGB",
        lambda x: colour.RGB_to_XYZ(x, "sRGB", C),
    ),
    "XYZ_to_linear_RGB": (
        colorimetry.XYZ_to_linear_RGB,
        {},
        "XYZ",
        lambda x: colour.XYZ_to_RGB(x, "sRGB"),
    ),
    "XYZ_to_linear_RGB C": (
        colorimetry.XYZ_to_linear_RGB,
        {"illuminant": ILLUMINANT_C_xy},
        "XYZ",
        lambda x: colour.XYZ_to_RGB(x, "sRGB", C),
    ),
    "sRGB_to_XYZ": (colorimetry.sRGB_to_XYZ, {}, "RGB", colour.sRGB_to_XYZ),
    "sRGB_to_XYZ C": (
        colorimetry.sRGB_to_XYZ,
        {"illuminant": ILLUMINANT_C_xy},
        "RGB",
        lambda x: colour.sRGB_to_XYZ(x, C),
    ),
    "XYZ_to_sRGB": (colorimetry.XYZ_to_sRGB, {}, "XYZ", colour.XYZ_to_sRGB),
    "XYZ_to_sRGB C": (
        colorimetry.XYZ_to_sRGB,
        {"illuminant": ILLUMINANT_C_xy},
        "XYZ",
        lambda x: colour.XYZ_to_sRGB(x, C),
    ),
    "sRGB_to_Lab": (
        colorimetry.sRGB_to_Lab,
        {},
        "RGB",
        lambda x: colour.XYZ_to_Lab(colour.sRGB_to_XYZ(x), D65),
    ),
    "sRGB_to_Lab C": (
        colorimetry.sRGB_to_Lab,
        {"illuminant": ILLUMINANT_C_xy},
        "RGB",
        lambda x: colour.XYZ_to_Lab(colour.sRGB_to_XYZ(x, C), C),
    ),
    "Lab_to_sRGB": (
        colorimetry.Lab_to_sRGB,
        {},
        "Lab",
        lambda x: colour.XYZ_to_sRGB(colour.Lab_to_XYZ(x, D65)),
    ),
    # The existing xyY/XYZ -> Lab, on these enums for test_delta_e_jacobian_is_finite.
    "xyY_to_Lab": (
        colorimetry.xyY_to_Lab,
        {},
        "xyY",
        lambda x: colour.XYZ_to_Lab(colour.xyY_to_XYZ(x), C),
    ),
    "XYZ_to_Lab": (colorimetry.XYZ_to_Lab, {}, "XYZ", lambda x: colour.XYZ_to_Lab(x, C)),
    "RGB_to_HSV": (colorimetry.RGB_to_HSV, {}, "RGB", colour.RGB_to_HSV),
    "RGB_to_HSV colorsys": (colorimetry.RGB_to_HSV, {}, "RGB", _colorsys_hsv),
    # colour clips hues outside [0, 1) to the end sectors; ours are periodic.
    "HSV_to_RGB": (
        colorimetry.HSV_to_RGB,
        {},
        "HSV",
        lambda x: colour.HSV_to_RGB(np.c_[np.mod(x[:, 0], 1), x[:, 1:]]),
    ),
    "HSV_to_RGB colorsys": (
        colorimetry.HSV_to_RGB,
        {},
        "HSV",
        lambda x: np.array([colorsys.hsv_to_rgb(np.mod(h, 1), s, v) for h, s, v in x]),
    ),
}


@pytest.mark.parametrize("name", list(CONVERSIONS))
def test_conversion_matches_reference(name):
    fn, options, domain, reference = CONVERSIONS[name]
    x, cases = DOMAINS[domain]
    _assert_close(fn(x, **options), reference(x), cases, atol=1e-10)


@pytest.mark.parametrize("name", [n for n in CONVERSIONS if "colorsys" not in n])
def test_conversion_jit_matches_eager_and_keeps_float32(name):
    fn, options, domain, _ = CONVERSIONS[name]
    x, cases = DOMAINS[domain]
    _assert_close(_jit(fn, **options)(x), fn(x, **options), cases, atol=1e-12)
    x32 = x.astype(np.float32)
    got = _jit(fn, **options)(x32)
    assert got.dtype == jnp.float32
    # float32 rounding relative to each colour's largest component (a* and b*
    # of a grey are differences of nearly equal numbers times 500 and 200)
    exact = np.asarray(fn(x, **options))
    scale = np.maximum(np.abs(exact).max(-1, keepdims=True), 1.0)
    assert np.all(np.abs(np.asarray(got) - exact) <= 1e-5 * scale)


@pytest.mark.parametrize("name", [n for n in CONVERSIONS if "colorsys" not in n])
def test_conversion_jacobian_is_finite(name):
    fn, options, domain, _ = CONVERSIONS[name]
    x, cases = DOMAINS[domain]
    jacobian = np.asarray(jax.jacrev(_jit(fn, **options))(x))
    finite = np.isfinite(jacobian).reshape(len(x), -1).all(-1)
    assert finite.all(), np.array(_labels(cases))[~finite]


def test_greys_have_zero_hue_and_saturation_with_zero_hue_gradient():
    greys = RGB_CASES["greys"]
    hsv = np.asarray(_jit(colorimetry.RGB_to_HSV)(greys))
    np.testing.assert_array_equal(hsv[:, :2], 0.0)
    hue = jax.jit(jax.vmap(jax.grad(lambda rgb: colorimetry.RGB_to_HSV(rgb)[0])))
    hue_gradient = hue(greys)
    np.testing.assert_array_equal(hue_gradient, 0.0)


def test_round_trips():
    # RGB -> HSV -> RGB is exact; the standard's rounded matrices make
    # sRGB -> Lab -> sRGB good to 3e-4 only (colour's is the same).
    x = RGB  # the whole enum: shapes (and compilations) shared with the tests above
    hsv = _jit(colorimetry.RGB_to_HSV)(x)
    np.testing.assert_allclose(_jit(colorimetry.HSV_to_RGB)(hsv), x, atol=1e-12)
    in_range = (x >= 0).all(-1) & (x <= 1).all(-1)
    back = _jit(colorimetry.Lab_to_sRGB)(_jit(colorimetry.sRGB_to_Lab)(x))
    np.testing.assert_allclose(np.asarray(back)[in_range], x[in_range], atol=5e-4)
    white = np.asarray(_jit(colorimetry.sRGB_to_Lab)(x))[RGB.sum(-1) == 3]
    np.testing.assert_allclose(white, [[100, 0, 0]], atol=0.02)  # D65 white: neutral


def test_per_row_illuminant_broadcasts():
    x = RGB_CASES["in range"]
    whites = np.where(np.arange(len(x))[:, None] % 2, D65, C)
    got = np.asarray(colorimetry.sRGB_to_XYZ(x, illuminant=whites))
    np.testing.assert_allclose(got[0::2], colour.sRGB_to_XYZ(x[0::2], C), atol=1e-12)
    np.testing.assert_allclose(got[1::2], colour.sRGB_to_XYZ(x[1::2]), atol=1e-12)


@pytest.mark.parametrize("name", [n for n in CONVERSIONS if "colorsys" not in n])
def test_conversion_broadcasts_over_leading_axes(name):
    fn, options, domain, _ = CONVERSIONS[name]
    x = DOMAINS[domain][0]
    image = _jit(fn, **options)(x.reshape(2, 4, 5, 3))
    assert image.shape == (2, 4, 5, 3)
    np.testing.assert_array_equal(image.reshape(-1, 3), _jit(fn, **options)(x))
    assert fn(x[0], **options).shape == (3,)


# --------------------------------------------------------------------------- #
# Perceptual losses
# --------------------------------------------------------------------------- #

_COLOUR_METHOD = {"ciede2000": "CIE 2000", "cie94": "CIE 1994", "cie76": "CIE 1976"}
_TO_LAB = {
    "xyY": lambda x: colour.XYZ_to_Lab(colour.xyY_to_XYZ(x), C),
    "XYZ": lambda x: colour.XYZ_to_Lab(x, C),
    "Lab": lambda x: x,
    "sRGB": lambda x: colour.XYZ_to_Lab(colour.sRGB_to_XYZ(x), D65),
}
_SPACE_DOMAIN = {"xyY": "xyY", "XYZ": "XYZ", "Lab": "Lab", "sRGB": "RGB"}


def _pairs(domain):
    """``pred, target, cases``: every edge case against its neighbour, then against itself."""
    x, cases = DOMAINS[domain]
    doubled = {f"{k} vs next": v for k, v in cases.items()} | {
        f"{k} vs itself": v for k, v in cases.items()
    }
    return np.concatenate([x, x]), np.concatenate([np.roll(x, 1, axis=0), x]), doubled


@pytest.mark.parametrize("space", list(_TO_LAB))
@pytest.mark.parametrize("metric", list(_COLOUR_METHOD))
def test_delta_e_matches_colour(metric, space):
    pred, target, cases = _pairs(_SPACE_DOMAIN[space])
    to_lab = _TO_LAB[space]
    expected = colour.delta_E(to_lab(target), to_lab(pred), method=_COLOUR_METHOD[metric])
    per_colour = _jit(losses.delta_e_loss, metric=metric, space=space, reduction="none")
    _assert_close(per_colour(pred, target), expected, cases, atol=1e-8)


def _all_metrics(Lab_pred, Lab_target):
    options = dict(space="Lab")
    return jnp.stack(
        [losses.delta_e(Lab_pred, Lab_target, metric=m, **options) for m in losses.METRICS]
    )


def test_delta_e_jacobian_is_finite():
    """On the Lab colours of every space's enum. ``delta_e(space=s)`` is the metric
    after ``s -> Lab``, and reverse mode multiplies the two Jacobians, so with the
    conversions' Jacobians finite on the same enums (CONVERSIONS above) this is the
    full check at a quarter of the compilations."""
    Lab_pred, Lab_target, labels = [], [], []
    for space in _TO_LAB:
        pred, target, cases = _pairs(_SPACE_DOMAIN[space])
        Lab_pred.append(losses._to_Lab(pred, space, None))
        Lab_target.append(losses._to_Lab(target, space, None))
        labels += [f"{space}: {label}" for label in _labels(cases)]
    Lab_pred, Lab_target = np.concatenate(Lab_pred), np.concatenate(Lab_target)
    jacobian = np.asarray(jax.jacrev(_jit(_all_metrics))(Lab_pred, Lab_target))
    finite = np.isfinite(jacobian).all(axis=(0, 2, 3))  # [3 metrics, rows, rows, 3]
    assert finite.all(), np.array(labels)[~finite]


def test_delta_e_eager_matches_jit_and_reductions():
    pred, target, cases = _pairs("RGB")
    eager = losses.delta_e(pred, target, space="sRGB")
    jitted = _jit(losses.delta_e, space="sRGB")(pred, target)
    _assert_close(eager, jitted, cases, atol=1e-12)
    mean = _jit(losses.delta_e_loss, space="sRGB")(pred, target)
    np.testing.assert_allclose(mean, np.mean(eager), rtol=1e-12, atol=1e-12)
    total = _jit(losses.delta_e_loss, space="sRGB", reduction="sum")(pred, target)
    np.testing.assert_allclose(total, np.sum(eager), rtol=1e-12, atol=1e-12)


def test_srgb_images_need_space_srgb():
    """The silent fault that made ``space`` required: sRGB images read as xyY
    give a plausible number that is not their Delta E."""
    expected = np.mean(
        colorimetry.delta_E_CIE2000(colorimetry.sRGB_to_Lab(PRED), colorimetry.sRGB_to_Lab(TARGET))
    )
    got = _jit(losses.delta_e_loss, space="sRGB")(PRED, TARGET)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)
    as_xyY = _jit(losses.delta_e_loss, space="xyY")(PRED, TARGET)
    assert not np.isclose(as_xyY, expected, rtol=0.1)


# Every public loss that converts colours, with its other arguments.
NEEDS_SPACE = {
    "delta_e": lambda **o: losses.delta_e(RGB[:2], RGB[:2], **o),
    "delta_e_loss": lambda **o: losses.delta_e_loss(RGB[:2], RGB[:2], **o),
    "DeltaELoss": lambda **o: losses.DeltaELoss(**o),
    "ab_huber_loss": lambda **o: losses.ab_huber_loss(RGB[:2], RGB[:2], **o),
    "colour_diversity_loss": lambda **o: losses.colour_diversity_loss(PRED[:1], **o),
}


@pytest.mark.parametrize("name", list(NEEDS_SPACE))
def test_space_is_required_and_checked(name):
    call = NEEDS_SPACE[name]
    with pytest.raises(TypeError, match="space"):
        call()
    with pytest.raises(ValueError, match=r"space must be one of \('xyY', 'XYZ', 'Lab', 'sRGB'\)"):
        call(space="RGB")
    fn = getattr(losses, name)
    space = inspect.signature(fn.__init__ if inspect.isclass(fn) else fn).parameters["space"]
    assert space.kind == space.KEYWORD_ONLY and space.default is space.empty


def test_losses_without_space_take_no_space():
    """The others do not convert colours: RGB (``hsv_loss``) or any units."""
    for name in losses.__all__:
        fn = getattr(losses, name)
        if callable(fn) and name not in NEEDS_SPACE and not name.startswith("munsell"):
            parameters = inspect.signature(fn).parameters
            assert "space" not in parameters and "illuminant" not in parameters, name


def test_bad_options_raise():
    x = RGB[:2]
    with pytest.raises(ValueError, match="metric"):
        losses.delta_e(x, x, metric="cie2001", space="sRGB")
    with pytest.raises(ValueError, match="metric"):
        losses.DeltaELoss(metric="cie2001", space="sRGB")
    with pytest.raises(ValueError, match="reduction"):
        losses.DeltaELoss(space="sRGB", reduction="median")
    with pytest.raises(ValueError, match="reduction"):
        losses.charbonnier_loss(x, x, reduction="median")
    with pytest.raises(ValueError, match="distance"):
        losses.colour_histogram_loss(x[None], x[None], distance="kl", axes=(-2,))
    with pytest.raises(ValueError, match="channel"):
        losses.frequency_loss(x, x, axes=(-1,))


def test_munsell_delta_e_broadcasts_over_leading_axes():
    # Shapes only (abstract evaluation): values and gradients through the exact
    # engine are tested in test_losses.py, and compiling it here would cost 30 s.
    spec = jax.ShapeDtypeStruct((2, 5, 4), jnp.float32)
    xyY = jax.ShapeDtypeStruct((5, 3), jnp.float32)
    delta_e, valid = jax.eval_shape(losses.munsell_delta_e, spec, xyY)
    assert delta_e.shape == valid.shape == (2, 5) and delta_e.dtype == jnp.float32
    assert jax.eval_shape(losses.munsell_delta_e_loss, spec, xyY).shape == ()
    rows = jax.ShapeDtypeStruct((5, 4), jnp.float32)
    assert jax.eval_shape(losses.munsell_delta_e, rows, xyY)[0].shape == (5,)
    with pytest.raises(TypeError):  # forward is keyword-only
        losses.munsell_delta_e_loss(np.zeros((1, 4)), np.zeros((1, 3)), None)


# --------------------------------------------------------------------------- #
# Image colour losses: name -> (function, options, reference per colour or image)
# --------------------------------------------------------------------------- #


def _images():
    """``pred, target [6, 4, 4, 3]``: random, out of range, black, white, grey and a
    mosaic of the RGB edge cases, each against a different image; then each against
    itself."""
    mosaic = np.resize(RGB, (4, 4, 3))
    images = np.stack(
        [
            RNG.uniform(0, 1, (4, 4, 3)),
            RNG.uniform(-0.5, 1.5, (4, 4, 3)),
            np.zeros((4, 4, 3)),
            np.ones((4, 4, 3)),
            np.full((4, 4, 3), 0.5),
            mosaic,
        ]
    )
    cases = {
        "different images": images,
        "identical images": images,
    }
    pred = np.concatenate([images, images])
    target = np.concatenate([np.roll(images, 1, axis=0), images])
    return pred, target, cases


PRED, TARGET, IMAGE_CASES = _images()


def _huber(e, delta):
    a = np.abs(e)
    return np.where(a <= delta, 0.5 * e**2, delta * (a - 0.5 * delta))


def _hsv_reference(pred, target, w_h, w_s, w_v):
    hp, sp, vp = np.moveaxis(_colorsys_hsv(pred.reshape(-1, 3)).reshape(pred.shape), -1, 0)
    ht, st, vt = np.moveaxis(_colorsys_hsv(target.reshape(-1, 3)).reshape(target.shape), -1, 0)
    hue = np.clip(st, 0, 1) * (1 - np.cos(2 * np.pi * (hp - ht))) / 2
    return w_h * hue + w_s * np.abs(sp - st) + w_v * np.abs(vp - vt)


def _lab(x):
    return colour.XYZ_to_Lab(colour.sRGB_to_XYZ(x), D65)


def _fft_reference(pred, target):
    spectrum = np.fft.fftn(pred - target, axes=(-3, -2), norm="ortho")
    return np.mean(np.abs(spectrum.real) + np.abs(spectrum.imag), axis=(-3, -2, -1))


def _diversity_reference(pred, target):
    ab = _lab(pred)[..., 1:]
    return -np.log(np.sum(np.var(ab, axis=(-3, -2)), axis=-1) + 1e-4)


IMAGE_LOSSES = {
    "charbonnier": (
        losses.charbonnier_loss,
        {"epsilon": 1e-3},
        lambda p, t: np.mean(np.sqrt((p - t) ** 2 + 1e-6), axis=-1),
    ),
    "ab huber": (
        losses.ab_huber_loss,
        {"delta": 2.0, "space": "sRGB"},
        lambda p, t: np.mean(_huber(_lab(p)[..., 1:] - _lab(t)[..., 1:], 2.0), axis=-1),
    ),
    "ab huber Lab": (
        losses.ab_huber_loss,
        {"space": "Lab"},
        lambda p, t: np.mean(_huber(p[..., 1:] - t[..., 1:], 1.0), axis=-1),
    ),
    "hsv": (
        losses.hsv_loss,
        {"hue_weight": 2.0, "saturation_weight": 0.5, "value_weight": 1.0},
        lambda p, t: _hsv_reference(p, t, 2.0, 0.5, 1.0),
    ),
    "diversity": (
        lambda p, t, **o: losses.colour_diversity_loss(p, **o),
        {"space": "sRGB"},
        _diversity_reference,
    ),
    "fft": (losses.frequency_loss, {}, _fft_reference),
    "histogram": (losses.colour_histogram_loss, {"bins": 8}, None),
    "histogram l1": (losses.colour_histogram_loss, {"bins": 8, "distance": "l1"}, None),
}


@pytest.mark.parametrize("name", [n for n, v in IMAGE_LOSSES.items() if v[2] is not None])
def test_image_loss_matches_reference(name):
    fn, options, reference = IMAGE_LOSSES[name]
    got = _jit(fn, reduction="none", **options)(PRED, TARGET)
    expected = reference(PRED, TARGET)
    assert got.shape == expected.shape
    _assert_close(got, expected, IMAGE_CASES, atol=1e-9)
    mean = _jit(fn, **options)(PRED, TARGET)
    np.testing.assert_allclose(mean, np.mean(expected), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", list(IMAGE_LOSSES))
def test_image_loss_jacobian_is_finite_and_jit_matches_eager(name):
    fn, options, _ = IMAGE_LOSSES[name]
    jitted = _jit(fn, reduction="none", **options)
    _assert_close(
        jitted(PRED, TARGET), fn(PRED, TARGET, reduction="none", **options), {}, atol=1e-12
    )
    jacobian = np.asarray(jax.jacrev(jitted)(PRED, TARGET))  # [12, 12, 4, 4, 3] at most
    finite = np.isfinite(jacobian).reshape(jacobian.shape[0], -1).all(-1)
    assert finite.all(), name
    got = _jit(fn, **options)(PRED.astype(np.float32), TARGET.astype(np.float32))
    assert got.dtype == jnp.float32


@pytest.mark.parametrize("name", list(IMAGE_LOSSES))
def test_image_loss_broadcasts_over_leading_axes(name):
    fn, options, _ = IMAGE_LOSSES[name]
    jitted = _jit(fn, reduction="none", **options)
    flat = jitted(PRED, TARGET)
    nested = jitted(PRED.reshape(2, 6, 4, 4, 3), TARGET.reshape(2, 6, 4, 4, 3))
    assert nested.shape == (2, 6, *flat.shape[1:])
    np.testing.assert_allclose(nested.reshape(flat.shape), flat, rtol=1e-12, atol=1e-12)


def test_soft_histogram_is_np_histogram_in_the_small_bandwidth_limit():
    bins = 8
    centres = (np.arange(bins) + 0.5) / bins
    x = RNG.choice(centres, (2, 5, 6, 3))
    x[0, 0, 0] = [-3.0, 4.0, 1.5]  # outside the range: the edge bins
    soft = np.asarray(losses.soft_histogram(x, bins=bins, bandwidth=0.01))
    assert soft.shape == (2, 3, bins)
    np.testing.assert_allclose(soft.sum(-1), 1.0, rtol=1e-12)
    clipped = np.clip(x, centres[0], centres[-1])
    for b in range(2):
        for c in range(3):
            hard, _ = np.histogram(clipped[b, ..., c], bins=bins, range=(0, 1))
            np.testing.assert_allclose(soft[b, c], hard / 30, atol=1e-12)


def test_histogram_emd_is_the_wasserstein_distance():
    bins = 8
    centres = (np.arange(bins) + 0.5) / bins
    pred, target = RNG.choice(centres, (4, 4, 3)), RNG.choice(centres, (5, 3, 3))
    got = losses.colour_histogram_loss(pred, target, bins=bins, bandwidth=0.01)
    expected = np.mean(
        [
            scipy.stats.wasserstein_distance(pred[..., c].ravel(), target[..., c].ravel())
            for c in range(3)
        ]
    )
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-12)


def test_uncertainty_weighting_combines_the_colour_losses():
    from munsell_jax.lab.objectives import UncertaintyWeighting

    weighting = UncertaintyWeighting(3)
    terms = jnp.stack(
        [
            munsell_jax.delta_e_loss(PRED, TARGET, space="sRGB"),
            munsell_jax.charbonnier_loss(PRED, TARGET),
            munsell_jax.frequency_loss(PRED, TARGET),
        ]
    )
    np.testing.assert_allclose(
        weighting(terms), jnp.sum(terms), rtol=1e-6, atol=1e-7
    )  # starts as a sum
    grads = nnx.grad(lambda w: w(terms))(weighting)
    assert np.isfinite(grads.log_var[...]).all()


# --------------------------------------------------------------------------- #
# reduction: one meaning on every loss
# --------------------------------------------------------------------------- #

PUBLIC_LOSSES = [n for n in losses.__all__ if n.endswith("_loss")]
# name -> (loss, options), on the images PRED, TARGET [12, 4, 4, 3]
REDUCTIONS = {name: (fn, options) for name, (fn, options, _) in IMAGE_LOSSES.items()}
REDUCTIONS["delta e"] = (losses.delta_e_loss, {"space": "sRGB"})
PER_IMAGE = {"diversity", "fft", "histogram", "histogram l1"}


def test_every_public_loss_takes_reduction():
    assert len(PUBLIC_LOSSES) == 8, PUBLIC_LOSSES
    for fn in [getattr(losses, n) for n in PUBLIC_LOSSES] + [losses.DeltaELoss]:
        signature = inspect.signature(fn.__init__ if inspect.isclass(fn) else fn)
        reduction = signature.parameters["reduction"]
        assert reduction.kind == reduction.KEYWORD_ONLY and reduction.default == "mean", fn
        assert 'reduction: ``"mean"`` (default)' in inspect.getdoc(fn), fn


@pytest.mark.parametrize("name", list(REDUCTIONS))
def test_reduction_means_the_same_on_every_loss(name):
    """``"none"``: one value per colour (per image for per-image losses);
    ``"mean"`` and ``"sum"``: their mean and sum."""
    fn, options = REDUCTIONS[name]
    per_example = np.asarray(_jit(fn, reduction="none", **options)(PRED, TARGET))
    assert per_example.shape == (PRED.shape[:1] if name in PER_IMAGE else PRED.shape[:-1])
    mean = _jit(fn, **options)(PRED, TARGET)
    np.testing.assert_allclose(mean, per_example.mean(), rtol=1e-12, atol=1e-12)
    total = _jit(fn, reduction="sum", **options)(PRED, TARGET)
    np.testing.assert_allclose(total, per_example.sum(), rtol=1e-12, atol=1e-12)
    bad = functools.partial(fn, reduction="median", **options)
    with pytest.raises(ValueError, match="reduction must be one of"):
        jax.eval_shape(bad, PRED, TARGET)


# --------------------------------------------------------------------------- #
# DeltaELoss: the Flax NNX layer
# --------------------------------------------------------------------------- #


class _Colouriser(nnx.Module):
    """A toy model that composes the loss like any layer."""

    def __init__(self, *, rngs):
        self.linear = nnx.Linear(3, 3, param_dtype=jnp.float64, rngs=rngs)
        self.loss = munsell_jax.DeltaELoss(space="sRGB")

    def __call__(self, x, target):
        return self.loss(jax.nn.sigmoid(self.linear(x)), target)


def test_delta_e_loss_layer_is_the_function_under_nnx_jit():
    layer = munsell_jax.DeltaELoss(space="sRGB", reduction="none")
    assert jax.tree.leaves(nnx.state(layer)) == []  # stateless
    got = nnx.jit(lambda loss, p, t: loss(p, t))(layer, PRED, TARGET)
    np.testing.assert_allclose(
        got,
        _jit(losses.delta_e_loss, reduction="none", space="sRGB")(PRED, TARGET),
        rtol=1e-12,
        atol=1e-12,
    )
    # finite gradients, including the identical images (pred == target)
    mean = munsell_jax.DeltaELoss(space="sRGB")
    grad = nnx.jit(jax.grad(lambda p: mean(p, TARGET)))(PRED)
    assert np.isfinite(np.asarray(grad)).all()


def test_delta_e_loss_layer_trains_inside_a_model():
    model = _Colouriser(rngs=nnx.Rngs(0))
    x, target = PRED[:2], TARGET[:2]
    loss, grads = nnx.jit(nnx.value_and_grad(lambda m: m(x, target)))(model)
    expected = losses.delta_e_loss(jax.nn.sigmoid(model.linear(x)), target, space="sRGB")
    np.testing.assert_allclose(loss, expected, rtol=1e-12, atol=1e-12)
    leaves = jax.tree.leaves(nnx.state(grads))
    assert len(leaves) == 2 and all(np.isfinite(np.asarray(g)).all() for g in leaves)


# --------------------------------------------------------------------------- #
# The API's shape
# --------------------------------------------------------------------------- #


def _public_callables():
    """(qualified name, callable) for every public function and class of the API."""
    modules = [(munsell_jax, munsell_jax.__all__), (losses, losses.__all__)]
    modules += [(colorimetry, colorimetry.__all__)]
    found = {}
    for module, names in modules:
        for name in names:
            obj = getattr(module, name)
            if inspect.isclass(obj):
                if issubclass(obj, tuple):  # NamedTuple results: data, not an API
                    continue
                found[f"{module.__name__}.{name}"] = obj.__init__
            elif callable(obj):
                found[f"{module.__name__}.{name}"] = obj
    return found


PUBLIC = _public_callables()


def test_every_public_name_resolves():
    assert len(PUBLIC) > 40
    for module in (munsell_jax, losses, colorimetry):
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_options_are_keyword_only_and_keys_come_first(name):
    """The rule: a parameter may be positional only if it has no default (the
    arrays, or names, a function works on); everything with a default is an option
    and keyword-only; no ``*args``/``**kwargs``; a random key is the first
    parameter and is called ``key``."""
    parameters = [
        p for p in inspect.signature(PUBLIC[name]).parameters.values() if p.name != "self"
    ]
    for p in parameters:
        assert p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD), f"{name}: *{p.name}"
        if p.default is not p.empty:
            assert p.kind == p.KEYWORD_ONLY, f"{name}: option {p.name!r} must be keyword-only"
        keyish = p.name != "key" and any(w in p.name.lower() for w in ("key", "rng", "prng"))
        assert not keyish, f"{name}: a random key must be named 'key', not {p.name!r}"
    names = [p.name for p in parameters]
    if "key" in names:
        assert names[0] == "key", f"{name}: 'key' must be the first parameter"
