"""CIE colorimetry in JAX: xyY, XYZ, CIE L*a*b*, LCHab, sRGB, HSV and Delta-E.

Pure ``jnp`` ports of colour-science 0.4.7's ``xyY_to_XYZ``, ``XYZ_to_xyY``,
``XYZ_to_Lab``, ``Lab_to_XYZ``, ``Lab_to_LCHab``, ``LCHab_to_Lab``,
``delta_E_CIE1976`` / ``delta_E_CIE1994`` / ``delta_E_CIE2000`` (and
``delta_E(a, b, method="CIE 2000")``, which picks one by colour's name), the sRGB
transfer functions (``cctf_decoding`` / ``cctf_encoding``), ``sRGB_to_XYZ`` /
``XYZ_to_sRGB`` and ``RGB_to_HSV`` / ``HSV_to_RGB``, with the same units and
formulas, so that every number compares 1:1. ``sRGB_to_Lab`` and
``Lab_to_sRGB`` compose them for image losses.

Conventions:

- Arrays are ``[..., 3]`` and broadcast over the leading axes; options are
  keyword-only.
- XYZ and xyY use the [0, 1] scale (Y = 1 is the perfect diffuser), L*a*b* the
  [0, 100] scale: colour's domain-range scale "1" for XYZ/xyY and its
  reference scale for Lab (``colour.XYZ_to_Lab(XYZ, illuminant)`` with XYZ in
  [0, 1] gives L* in [0, 100]).
- ``illuminant`` is the white point as a CIE xy chromaticity pair ``[..., 2]``
  (any white point; default illuminant C, the Munsell renotation's own).
- The output keeps the input's float dtype: float32 in, float32 out (all
  constants are Python scalars, which JAX treats as weakly typed). Integer
  input is promoted to the default float dtype.
- Every function works under ``jit``, ``vmap`` and ``grad`` (forward and
  reverse mode), and its gradients are finite everywhere, including black,
  greys (a* = b* = 0), identical pairs and hue differences of exactly 180
  degrees. The non-differentiable points (square roots, hue angles and cube
  roots at 0) use the double-``where`` pattern: the unsafe argument is
  replaced *before* the singular function, because ``jnp.where`` on the output
  alone still multiplies an infinite derivative by zero (NaN).

Deliberate differences from colour-science 0.4.7 (all at degenerate inputs):

- ``XYZ_to_xyY`` maps black (X + Y + Z = 0) to the illuminant's chromaticity
  with Y = 0; colour returns ``[0, 0, 0]``.
- ``Lab_to_LCHab`` returns hue 0 for a* = b* = 0 whatever the zeros' signs
  (colour gives 180 for ``a* = b* = -0.0``), and always a hue in [0, 360)
  (colour can return 360.0 when ``b*`` is a tiny negative number).
- ``delta_E_CIE2000`` on a pair of exactly opposite hues (|h'_2 - h'_1| = 180
  in exact arithmetic) always takes the ``|h'_2 - h'_1| <= 180`` branch, as in
  Sharma et al.'s test pairs 10 and 14; colour decides with its float64
  rounding, which takes the other branch for about 8% of such pairs.
- The default illuminant is C for every xyY/XYZ/Lab function (colour's
  ``XYZ_to_Lab`` and ``Lab_to_XYZ`` default to D65). The sRGB functions
  default to D65, sRGB's own white, as colour's do: ``sRGB_to_XYZ`` gives
  D65-relative XYZ and ``sRGB_to_Lab`` Lab relative to the D65 white; pass
  ``illuminant=ILLUMINANT_C_xy`` to meet Munsell colours (CAT02 adaptation).
- ``HSV_to_RGB`` wraps hues outside [0, 1) (period 1); colour clips them to
  the first or last sector.
- ``delta_E_CIE2000`` takes the parametric factors ``kL``, ``kC`` and ``kH``;
  colour's ``textiles=True`` is ``kL=2``.
"""

from __future__ import annotations

import math
import warnings

import jax
import jax.numpy as jnp
import numpy as np
from jax.typing import ArrayLike

from munsell_jax.arrays import as_float, check_last_axis

__all__ = [
    "HSV_to_RGB",
    "ILLUMINANT_C_xy",
    "ILLUMINANT_D65_xy",
    "LCHab_to_Lab",
    "Lab_to_LCHab",
    "Lab_to_XYZ",
    "Lab_to_sRGB",
    "Lab_to_xyY",
    "RGB_to_HSV",
    "XYZ_to_Lab",
    "XYZ_to_linear_RGB",
    "XYZ_to_sRGB",
    "XYZ_to_xyY",
    "delta_E",
    "delta_E_CIE1976",
    "delta_E_CIE1994",
    "delta_E_CIE2000",
    "linear_RGB_to_XYZ",
    "linear_RGB_to_sRGB",
    "sRGB_to_Lab",
    "sRGB_to_XYZ",
    "sRGB_to_linear_RGB",
    "xyY_to_Lab",
    "xyY_to_XYZ",
]

# CIE 1931 2 degree observer white points (colour.CCS_ILLUMINANTS).
ILLUMINANT_C_xy = (0.31006, 0.31616)  # the Munsell renotation's own
ILLUMINANT_D65_xy = (0.3127, 0.3290)

# CIE 1976 f function: cube root above (24/116)^3, linear segment below.
_LAB_EPSILON = (24 / 116) ** 3
_LAB_F_EPSILON = 24 / 116

# Phase constants of CIEDE2000's hue weighting T (degrees 30, 6 and 63).
_COS_30, _SIN_30 = math.cos(math.radians(30)), math.sin(math.radians(30))
_COS_6, _SIN_6 = math.cos(math.radians(6)), math.sin(math.radians(6))
_COS_63, _SIN_63 = math.cos(math.radians(63)), math.sin(math.radians(63))


# --- safe math --------------------------------------------------------------


def _safe_sqrt(x: jax.Array) -> jax.Array:
    """``sqrt(x)`` for ``x > 0``, else 0; the gradient is 0 for ``x <= 0``.

    The derivative ``1 / (2 sqrt(x))`` is infinite at 0, so the argument is
    replaced by 1 there before the square root (double where): otherwise the
    outer ``where`` would multiply the infinite derivative by 0, giving NaN.
    """
    positive = x > 0
    return jnp.where(positive, jnp.sqrt(jnp.where(positive, x, 1.0)), 0.0)


def _safe_hypot(x: jax.Array, y: jax.Array) -> jax.Array:
    """``sqrt(x**2 + y**2)``; gradient 0 at the origin, where the norm has a kink."""
    return _safe_sqrt(x * x + y * y)


def _safe_arctan2(y: jax.Array, x: jax.Array) -> jax.Array:
    """``arctan2(y, x)`` in radians, 0 at ``x = y = 0`` with a zero gradient.

    ``arctan2``'s derivatives divide by ``x**2 + y**2``, so at the origin the
    point is moved to ``(0, 1)`` before the call (double where). Signed zeros
    all count as the origin, so a grey has hue 0 whatever its zeros' signs.
    """
    origin = (x == 0) & (y == 0)
    return jnp.where(origin, 0.0, jnp.arctan2(y, jnp.where(origin, 1.0, x)))


def _safe_cbrt(x: jax.Array) -> jax.Array:
    """Real cube root, 0 at ``x = 0`` with a zero gradient (the derivative is infinite there)."""
    nonzero = x != 0
    return jnp.where(nonzero, jnp.cbrt(jnp.where(nonzero, x, 1.0)), 0.0)


def _safe_divide(numerator: jax.Array, denominator: jax.Array) -> jax.Array:
    """``numerator / denominator``, 0 where the denominator is 0.

    Matches colour's ``sdiv`` in its default "Ignore Zero Conversion" mode;
    the denominator is replaced by 1 before dividing (double where), so the
    gradient there is 0 rather than NaN.
    """
    zero = denominator == 0
    return jnp.where(zero, 0.0, numerator / jnp.where(zero, 1.0, denominator))


def _hue_degrees(y: jax.Array, x: jax.Array) -> jax.Array:
    """Hue angle ``arctan2(y, x)`` in degrees in [0, 360); 0 at the origin."""
    hue = jnp.mod(jnp.degrees(_safe_arctan2(y, x)), 360.0)
    # A tiny negative angle rounds to 360 in the modulo; keep the range half-open.
    return jnp.where(hue >= 360.0, hue - 360.0, hue)


# --- array plumbing -----------------------------------------------------------


def _check_triplets(x: jax.Array, name: str) -> None:
    check_last_axis(x, 3, name)


def _white_point_XYZ(illuminant: ArrayLike, dtype) -> tuple[jax.Array, jax.Array, jax.Array]:
    """Tristimulus values ``X_n, Y_n, Z_n`` (``Y_n = 1``) of an xy white point, in ``dtype``."""
    xy = jnp.asarray(illuminant, dtype=dtype)
    if xy.ndim == 0 or xy.shape[-1] != 2:
        raise ValueError(f"illuminant must be an xy pair [..., 2], got shape {xy.shape}")
    # As colour's xyY_to_XYZ(xy_to_xyY(illuminant)), operation for operation.
    Y_y = 1.0 / xy[..., 1]
    return xy[..., 0] * Y_y, jnp.ones_like(Y_y), (1.0 - (xy[..., 0] + xy[..., 1])) * Y_y


def _f_lab(t: jax.Array) -> jax.Array:
    """CIE 1976 f function (colour's ``intermediate_lightness_function_CIE1976``)."""
    cube_root = t > _LAB_EPSILON
    # The cube root is evaluated only on its own branch (t > 0.0089); elsewhere its
    # argument is 1, so the masked branch contributes a finite zero to the gradient.
    return jnp.where(
        cube_root, _safe_cbrt(jnp.where(cube_root, t, 1.0)), (841 / 108) * t + 16 / 116
    )


def _f_lab_inverse(f: jax.Array) -> jax.Array:
    """Inverse of ``_f_lab`` (colour's ``intermediate_luminance_function_CIE1976``)."""
    return jnp.where(f > _LAB_F_EPSILON, f**3, (f - 16 / 116) * (108 / 841))


# --- colour spaces -------------------------------------------------------------


def xyY_to_XYZ(xyY: ArrayLike) -> jax.Array:
    """CIE xyY -> CIE XYZ tristimulus values.

    Args:
      xyY: ``[..., 3]`` chromaticity ``x, y`` and luminance ``Y`` in [0, 1].

    Returns:
      ``[..., 3]`` XYZ on the same scale as ``Y``. Where ``y = 0`` the
      chromaticity carries no information and, like colour (whose ``sdiv``
      returns 0 for a division by zero), the result is ``[0, Y, 0]``, with
      finite gradients.
    """
    xyY = as_float(xyY)
    _check_triplets(xyY, "xyY")
    x, y, Y = xyY[..., 0], xyY[..., 1], xyY[..., 2]
    Y_y = _safe_divide(Y, y)
    return jnp.stack([x * Y_y, Y, (1.0 - (x + y)) * Y_y], axis=-1)


def XYZ_to_xyY(XYZ: ArrayLike, *, illuminant: ArrayLike = ILLUMINANT_C_xy) -> jax.Array:
    """CIE XYZ -> CIE xyY.

    Args:
      XYZ: ``[..., 3]`` tristimulus values, Y in [0, 1].
      illuminant: ``[..., 2]`` xy chromaticity given to black.

    Returns:
      ``[..., 3]`` chromaticity ``x, y`` and luminance ``Y``. Black
      (``X + Y + Z = 0``) has no chromaticity; it gets the illuminant's, with
      ``Y = 0`` (colour 0.4.7 returns ``[0, 0, 0]``), so that black sits on
      the neutral axis. The gradient of ``x, y`` at black is 0.
    """
    XYZ = as_float(XYZ)
    _check_triplets(XYZ, "XYZ")
    white = jnp.asarray(illuminant, dtype=XYZ.dtype)
    if white.ndim == 0 or white.shape[-1] != 2:
        raise ValueError(f"illuminant must be an xy pair [..., 2], got shape {white.shape}")
    X, Y, Z = XYZ[..., 0], XYZ[..., 1], XYZ[..., 2]
    X_Y_Z = X + Y + Z
    black = X_Y_Z == 0
    # Double where: x = X / (X + Y + Z) has an infinite gradient at black.
    X_Y_Z_safe = jnp.where(black, 1.0, X_Y_Z)
    x = jnp.where(black, white[..., 0], X / X_Y_Z_safe)
    y = jnp.where(black, white[..., 1], Y / X_Y_Z_safe)
    return jnp.stack([x, y, Y], axis=-1)


def XYZ_to_Lab(XYZ: ArrayLike, *, illuminant: ArrayLike = ILLUMINANT_C_xy) -> jax.Array:
    """CIE XYZ -> CIE L*a*b* (CIE 1976).

    Args:
      XYZ: ``[..., 3]`` tristimulus values, Y in [0, 1] (the white has Y = 1).
      illuminant: ``[..., 2]`` xy chromaticity of the reference white.

    Returns:
      ``[..., 3]`` L* in [0, 100] for Y in [0, 1], a* and b* roughly in
      [-128, 128] for real colours. Values outside [0, 1] (including negative
      tristimulus values) follow the same formula: the linear segment of the f
      function below ``(24/116)^3``, the cube root above.
    """
    XYZ = as_float(XYZ)
    _check_triplets(XYZ, "XYZ")
    X_n, Y_n, Z_n = _white_point_XYZ(illuminant, XYZ.dtype)
    f_X = _f_lab(XYZ[..., 0] / X_n)
    f_Y = _f_lab(XYZ[..., 1] / Y_n)
    f_Z = _f_lab(XYZ[..., 2] / Z_n)
    return jnp.stack([116 * f_Y - 16, 500 * (f_X - f_Y), 200 * (f_Y - f_Z)], axis=-1)


def Lab_to_XYZ(Lab: ArrayLike, *, illuminant: ArrayLike = ILLUMINANT_C_xy) -> jax.Array:
    """CIE L*a*b* -> CIE XYZ (CIE 1976), the exact inverse of ``XYZ_to_Lab``.

    Args:
      Lab: ``[..., 3]`` L* in [0, 100], a*, b*.
      illuminant: ``[..., 2]`` xy chromaticity of the reference white.

    Returns:
      ``[..., 3]`` tristimulus values, Y in [0, 1] for L* in [0, 100];
      L* = a* = b* = 0 gives exactly 0.
    """
    Lab = as_float(Lab)
    _check_triplets(Lab, "Lab")
    X_n, Y_n, Z_n = _white_point_XYZ(illuminant, Lab.dtype)
    f_Y = (Lab[..., 0] + 16) / 116
    f_X = Lab[..., 1] / 500 + f_Y
    f_Z = f_Y - Lab[..., 2] / 200
    return jnp.stack(
        [X_n * _f_lab_inverse(f_X), Y_n * _f_lab_inverse(f_Y), Z_n * _f_lab_inverse(f_Z)],
        axis=-1,
    )


def xyY_to_Lab(xyY: ArrayLike, *, illuminant: ArrayLike = ILLUMINANT_C_xy) -> jax.Array:
    """CIE xyY -> CIE L*a*b*: ``XYZ_to_Lab(xyY_to_XYZ(xyY))``.

    Args:
      xyY: ``[..., 3]`` chromaticity ``x, y`` and luminance ``Y`` in [0, 1].
      illuminant: ``[..., 2]`` xy chromaticity of the reference white.

    Returns:
      ``[..., 3]`` L* in [0, 100], a*, b*. ``Y = 0`` gives ``[0, 0, 0]``;
      ``y = 0`` is read as XYZ ``[0, Y, 0]`` (see ``xyY_to_XYZ``).
    """
    return XYZ_to_Lab(xyY_to_XYZ(xyY), illuminant=illuminant)


def Lab_to_xyY(Lab: ArrayLike, *, illuminant: ArrayLike = ILLUMINANT_C_xy) -> jax.Array:
    """CIE L*a*b* -> CIE xyY: ``XYZ_to_xyY(Lab_to_XYZ(Lab))``.

    Args:
      Lab: ``[..., 3]`` L* in [0, 100], a*, b*.
      illuminant: ``[..., 2]`` xy chromaticity of the reference white; black
        (L* = a* = b* = 0) gets this chromaticity, with Y = 0.

    Returns:
      ``[..., 3]`` chromaticity ``x, y`` and luminance ``Y`` in [0, 1].
    """
    return XYZ_to_xyY(Lab_to_XYZ(Lab, illuminant=illuminant), illuminant=illuminant)


def Lab_to_LCHab(Lab: ArrayLike) -> jax.Array:
    """CIE L*a*b* -> CIE LCHab (lightness, chroma, hue angle).

    Args:
      Lab: ``[..., 3]`` L*, a*, b*.

    Returns:
      ``[..., 3]`` L*, chroma ``C*ab = hypot(a*, b*) >= 0`` and hue angle
      ``h_ab`` in degrees in [0, 360). Greys (a* = b* = 0) have hue 0 and a
      zero gradient of chroma and hue.
    """
    Lab = as_float(Lab)
    _check_triplets(Lab, "Lab")
    a, b = Lab[..., 1], Lab[..., 2]
    return jnp.stack([Lab[..., 0], _safe_hypot(a, b), _hue_degrees(b, a)], axis=-1)


def LCHab_to_Lab(LCHab: ArrayLike) -> jax.Array:
    """CIE LCHab -> CIE L*a*b*.

    Args:
      LCHab: ``[..., 3]`` L*, chroma C*ab, hue angle h_ab in degrees (any
        real value; the hue is periodic).

    Returns:
      ``[..., 3]`` L*, ``a* = C cos(h)``, ``b* = C sin(h)``.
    """
    LCHab = as_float(LCHab)
    _check_triplets(LCHab, "LCHab")
    C, h = LCHab[..., 1], jnp.deg2rad(LCHab[..., 2])
    return jnp.stack([LCHab[..., 0], C * jnp.cos(h), C * jnp.sin(h)], axis=-1)


# --- colour differences ---------------------------------------------------------


def delta_E_CIE1976(Lab_1: ArrayLike, Lab_2: ArrayLike) -> jax.Array:
    """CIE 1976 colour difference: the Euclidean distance in CIE L*a*b*.

    Args:
      Lab_1: ``[..., 3]`` L* in [0, 100], a*, b*.
      Lab_2: ``[..., 3]``, broadcast against ``Lab_1``.

    Returns:
      ``[...]`` Delta E*ab >= 0. The gradient at identical colours is 0.
    """
    Lab_1, Lab_2 = as_float(Lab_1), as_float(Lab_2)
    _check_triplets(Lab_1, "Lab_1")
    _check_triplets(Lab_2, "Lab_2")
    return _safe_sqrt(jnp.sum((Lab_1 - Lab_2) ** 2, axis=-1))


def delta_E_CIE1994(Lab_1: ArrayLike, Lab_2: ArrayLike, *, textiles: bool = False) -> jax.Array:
    """CIE 1994 colour difference, as colour's ``delta_E_CIE1994``.

    Not symmetric: ``Lab_1`` is the reference, whose chroma sets the chroma
    and hue weights ``S_C = 1 + k_1 C*_1`` and ``S_H = 1 + k_2 C*_1``.

    Args:
      Lab_1: ``[..., 3]`` reference L* in [0, 100], a*, b*.
      Lab_2: ``[..., 3]`` sample, broadcast against ``Lab_1``.
      textiles: use the textiles weights ``k_L = 2, k_1 = 0.048, k_2 = 0.014``
        instead of the graphic-arts ``k_L = 1, k_1 = 0.045, k_2 = 0.015``
        (``k_C = k_H = 1`` in both).

    Returns:
      ``[...]`` Delta E*94 >= 0. The hue term ``Delta H*^2 = Delta a*^2 +
      Delta b*^2 - Delta C*^2`` is clipped at 0 against rounding, as in colour.
      The gradient at identical colours is 0.
    """
    Lab_1, Lab_2 = as_float(Lab_1), as_float(Lab_2)
    _check_triplets(Lab_1, "Lab_1")
    _check_triplets(Lab_2, "Lab_2")
    k_1, k_2, k_L = (0.048, 0.014, 2.0) if textiles else (0.045, 0.015, 1.0)
    L_1, a_1, b_1 = Lab_1[..., 0], Lab_1[..., 1], Lab_1[..., 2]
    L_2, a_2, b_2 = Lab_2[..., 0], Lab_2[..., 1], Lab_2[..., 2]
    C_1 = _safe_hypot(a_1, b_1)
    C_2 = _safe_hypot(a_2, b_2)
    s_C = 1 + k_1 * C_1
    s_H = 1 + k_2 * C_1
    delta_C = C_1 - C_2
    # colour takes sqrt(max(radical, 0)) and squares it again; using the square
    # directly gives the same number without the square root's infinite derivative
    # where the radical is 0 up to rounding (equal hues, identical colours).
    radical = (a_1 - a_2) ** 2 + (b_1 - b_2) ** 2 - delta_C**2
    # With a grey in the pair the radical is exactly 0 (C^2 - C^2) but rounds to
    # noise of either sign, and since the grey's chroma has no gradient (the tip
    # of the cone C = hypot(a, b)) the noise's sign would pick the gradient.
    hued = (radical > 0) & (C_1 * C_2 != 0)
    delta_H_2 = jnp.where(hued, radical, 0.0)
    return _safe_sqrt(((L_1 - L_2) / k_L) ** 2 + (delta_C / s_C) ** 2 + delta_H_2 / s_H**2)


def _hue_difference_wraps(
    d: jax.Array, a_1: jax.Array, b_1: jax.Array, a_2: jax.Array, b_2: jax.Array
) -> jax.Array:
    """Whether ``d = h_2 - h_1`` (both hues in [0, 360)) exceeds 180 degrees in magnitude.

    Away from ``|d| = 180`` this is colour's ``|d| > 180``. Near it, the two hue
    angles' rounding (about 1e-5 degrees in float32) can put an exactly
    antipodal pair on either side, so there the side of the line through
    ``(a_1, b_1)`` on which ``(a_2, b_2)`` lies decides: for an exactly
    antipodal pair the two products ``a_1 b_2`` and ``b_1 a_2`` are the same
    rounded number, so the tie is exact and goes to the ``|d| <= 180`` branch,
    as Sharma et al.'s pairs 10 and 14 require. The products are compared, not
    subtracted, so that a fused multiply-add cannot turn the tie into a
    rounding residue of either sign.
    """
    p = a_1 * b_2
    q = b_1 * a_2
    # p > q: h_2 lies less than 180 degrees counter-clockwise of h_1.
    wraps_near_tie = ((p > q) & (d < 0)) | ((p < q) & (d > 0))
    near_tie = jnp.abs(jnp.abs(d) - 180) < 1
    return jnp.where(near_tie, wraps_near_tie, jnp.abs(d) > 180)


def _hue_weighting_T(h: jax.Array) -> jax.Array:
    """CIEDE2000's hue weighting ``T`` at the mean hue ``h`` (radians).

    ``T = 1 - 0.17 cos(h - 30) + 0.24 cos(2h) + 0.32 cos(3h + 6) - 0.20 cos(4h - 63)``
    (angles in degrees). The multiple angles come from one ``cos``/``sin``
    pair by complex multiplication: trigonometric functions dominate
    CIEDE2000's cost on CPU, and this saves two of them for a few ulp.
    """
    c_1, s_1 = jnp.cos(h), jnp.sin(h)
    c_2, s_2 = c_1 * c_1 - s_1 * s_1, 2 * c_1 * s_1
    c_3, s_3 = c_2 * c_1 - s_2 * s_1, s_2 * c_1 + c_2 * s_1
    c_4, s_4 = c_2 * c_2 - s_2 * s_2, 2 * c_2 * s_2
    return (
        1
        - 0.17 * (c_1 * _COS_30 + s_1 * _SIN_30)
        + 0.24 * c_2
        + 0.32 * (c_3 * _COS_6 - s_3 * _SIN_6)
        - 0.20 * (c_4 * _COS_63 + s_4 * _SIN_63)
    )


def delta_E_CIE2000(
    Lab_1: ArrayLike,
    Lab_2: ArrayLike,
    *,
    kL: ArrayLike = 1.0,
    kC: ArrayLike = 1.0,
    kH: ArrayLike = 1.0,
) -> jax.Array:
    """CIEDE2000 colour difference, as colour's ``delta_E_CIE2000``.

    Follows Sharma, Wu and Dalal (2005) and colour's implementation step by
    step (including its conventions for a zero-chroma colour: hue 0, hue
    difference 0, mean hue = sum of hues), and reproduces all 34 of Sharma et
    al.'s test pairs to 1e-4 in float32 and float64. The formula is
    discontinuous where the two hues are 180 degrees apart (the mean hue jumps
    by 180); an exact tie takes the ``|h'_2 - h'_1| <= 180`` branch.

    Args:
      Lab_1: ``[..., 3]`` L* in [0, 100], a*, b*.
      Lab_2: ``[..., 3]``, broadcast against ``Lab_1``.
      kL: lightness parametric factor (colour's ``textiles=True`` is ``kL=2``).
      kC: chroma parametric factor.
      kH: hue parametric factor.

    Returns:
      ``[...]`` Delta E00 >= 0, symmetric in its two arguments. Gradients are
      finite everywhere; at identical colours they are 0.
    """
    Lab_1, Lab_2 = as_float(Lab_1), as_float(Lab_2)
    _check_triplets(Lab_1, "Lab_1")
    _check_triplets(Lab_2, "Lab_2")
    L_1, a_1, b_1 = Lab_1[..., 0], Lab_1[..., 1], Lab_1[..., 2]
    L_2, a_2, b_2 = Lab_2[..., 0], Lab_2[..., 1], Lab_2[..., 2]

    C_bar_ab_7 = ((_safe_hypot(a_1, b_1) + _safe_hypot(a_2, b_2)) / 2) ** 7
    # sqrt(C^7 / (C^7 + 25^7)) has an infinite derivative at C = 0 (greys).
    G = 0.5 * (1 - _safe_sqrt(C_bar_ab_7 / (C_bar_ab_7 + 25.0**7)))
    a_p_1 = (1 + G) * a_1
    a_p_2 = (1 + G) * a_2
    C_p_1 = _safe_hypot(a_p_1, b_1)
    C_p_2 = _safe_hypot(a_p_2, b_2)
    h_p_1 = _hue_degrees(b_1, a_p_1)
    h_p_2 = _hue_degrees(b_2, a_p_2)

    C_p_1_m_2 = C_p_1 * C_p_2
    achromatic = C_p_1_m_2 == 0  # either colour has no hue
    h_p_2_s_1 = h_p_2 - h_p_1
    wraps = _hue_difference_wraps(h_p_2_s_1, a_p_1, b_1, a_p_2, b_2)

    delta_L_p = L_2 - L_1
    delta_C_p = C_p_2 - C_p_1
    delta_h_p = jnp.where(
        achromatic,
        0.0,
        jnp.where(wraps, jnp.where(h_p_2_s_1 > 0, h_p_2_s_1 - 360, h_p_2_s_1 + 360), h_p_2_s_1),
    )
    delta_H_p = 2 * _safe_sqrt(C_p_1_m_2) * jnp.sin(jnp.deg2rad(delta_h_p / 2))

    L_bar_p = (L_1 + L_2) / 2
    C_bar_p = (C_p_1 + C_p_2) / 2
    h_p_1_a_2 = h_p_1 + h_p_2
    h_bar_p = jnp.where(
        achromatic,
        h_p_1_a_2,
        jnp.where(
            wraps,
            jnp.where(h_p_1_a_2 < 360, (h_p_1_a_2 + 360) / 2, (h_p_1_a_2 - 360) / 2),
            h_p_1_a_2 / 2,
        ),
    )

    T = _hue_weighting_T(jnp.deg2rad(h_bar_p))
    delta_theta = 30 * jnp.exp(-(((h_bar_p - 275) / 25) ** 2))
    C_bar_p_7 = C_bar_p**7
    R_C = 2 * _safe_sqrt(C_bar_p_7 / (C_bar_p_7 + 25.0**7))
    L_bar_p_2 = (L_bar_p - 50) ** 2
    S_L = 1 + (0.015 * L_bar_p_2) / jnp.sqrt(20 + L_bar_p_2)
    S_C = 1 + 0.045 * C_bar_p
    S_H = 1 + 0.015 * C_bar_p * T
    R_T = -jnp.sin(jnp.deg2rad(2 * delta_theta)) * R_C

    lightness = delta_L_p / (kL * S_L)
    chroma = delta_C_p / (kC * S_C)
    hue = delta_H_p / (kH * S_H)
    # The quadratic form is positive semi-definite (|R_T| <= 2); the safe square
    # root absorbs rounding below 0 and gives a zero gradient at identical colours.
    return _safe_sqrt(lightness**2 + chroma**2 + hue**2 + R_T * chroma * hue)


# colour-science's names for the three methods; it also accepts them in any
# case and without the space ("cie2000").
_DELTA_E_METHODS = ("CIE 1976", "CIE 1994", "CIE 2000")


def delta_E(
    Lab_1: ArrayLike, Lab_2: ArrayLike, *, method: str = "CIE 2000", textiles: bool = False
) -> jax.Array:
    """Colour difference by name, as colour's ``delta_E`` for these methods.

    Args:
      Lab_1: ``[..., 3]`` L* in [0, 100], a*, b* (the reference for CIE 1994).
      Lab_2: ``[..., 3]``, broadcast against ``Lab_1``.
      method: ``"CIE 2000"`` (default, ``delta_E_CIE2000``), ``"CIE 1994"``
        (``delta_E_CIE1994``) or ``"CIE 1976"`` (``delta_E_CIE1976``); case and
        the space do not matter (``"cie2000"``, as colour's aliases).
      textiles: the textiles weights, as colour: ``textiles=True`` of CIE 1994
        and ``kL=2`` of CIE 2000; CIE 1976 has none and ignores it.

    Returns:
      ``[...]`` Delta E >= 0, that of the named function.

    Raises:
      ValueError: for any other method (colour's CMC, DIN99, CAM and ITP
        differences are not ported).
    """
    name = str(method).lower().replace(" ", "")
    if name == "cie2000":
        return delta_E_CIE2000(Lab_1, Lab_2, kL=2.0 if textiles else 1.0)
    if name == "cie1994":
        return delta_E_CIE1994(Lab_1, Lab_2, textiles=textiles)
    if name == "cie1976":
        return delta_E_CIE1976(Lab_1, Lab_2)
    raise ValueError(f"method must be one of {_DELTA_E_METHODS}, not {method!r}")


def delta_E_loss(pred_xyY: ArrayLike, target_xyY: ArrayLike) -> jax.Array:
    """Deprecated: use ``munsell_jax.delta_e_loss(pred_xyY, target_xyY, space="xyY")``.

    The mean CIEDE2000 between two batches of xyY colours under illuminant C;
    warns (``DeprecationWarning``) and forwards.
    """
    from munsell_jax import losses  # losses imports this module

    warnings.warn(
        'delta_E_loss is deprecated; use munsell_jax.delta_e_loss(pred, target, space="xyY")',
        DeprecationWarning,
        stacklevel=2,
    )
    return losses.delta_e_loss(pred_xyY, target_xyY, space="xyY")


# --- RGB: sRGB, linear RGB, HSV ---------------------------------------------------
#
# sRGB is defined relative to D65 (IEC 61966-2-1), not to the renotation's
# illuminant C: ``sRGB_to_XYZ`` gives D65-relative XYZ unless asked for another
# white, in which case the XYZ are adapted with CAT02 exactly as colour-science's
# ``sRGB_to_XYZ(RGB, illuminant=...)`` does.

# IEC 61966-2-1's published 4-decimal matrices, which colour-science 0.4.7 uses
# (RGB_COLOURSPACE_sRGB.matrix_RGB_to_XYZ / matrix_XYZ_to_RGB). They are each
# other's inverse only to about 1e-4, so sRGB -> XYZ -> sRGB returns the input
# to about 3e-4 (near black, where the encoding's slope is 12.92) rather than
# to rounding; matching colour 1:1 is the point.
_SRGB_RGB_TO_XYZ = (
    (0.4124, 0.3576, 0.1805),
    (0.2126, 0.7152, 0.0722),
    (0.0193, 0.1192, 0.9505),
)
_SRGB_XYZ_TO_RGB = (
    (3.2406, -1.5372, -0.4986),
    (-0.9689, 1.8758, 0.0415),
    (0.0557, -0.2040, 1.0570),
)
# CAT02 (CIECAM02's chromatic adaptation transform), colour's default.
_CAT02 = (
    (0.7328, 0.4296, -0.1624),
    (-0.7036, 1.6975, 0.0061),
    (0.0030, 0.0136, 0.9834),
)
# Where the sRGB transfer function changes from linear to a power: 0.0031308 in
# linear light, 12.92 times that (0.0404499) in the encoded signal (colour's
# eotf_sRGB uses this product, not the rounded 0.04045 of the standard's text).
_SRGB_LINEAR_KNEE = 0.0031308
_SRGB_ENCODED_KNEE = 12.92 * _SRGB_LINEAR_KNEE


def _matmul_3x3(M: jax.Array, x: jax.Array) -> jax.Array:
    """``M @ x`` over the last axis; ``M`` is ``[..., 3, 3]`` and broadcasts."""
    return jnp.matmul(M, x[..., None])[..., 0]


def _is_d65(illuminant) -> bool:
    """Whether ``illuminant`` is the sRGB white itself (then no adaptation is needed)."""
    if isinstance(illuminant, (tuple, list)):
        return tuple(float(v) for v in illuminant) == ILLUMINANT_D65_xy
    return False


def _cat02(source: ArrayLike, target: ArrayLike, dtype) -> jax.Array:
    """``[..., 3, 3]`` von Kries CAT02 matrix from white ``source`` to white ``target``.

    colour's ``matrix_chromatic_adaptation_VonKries``: ``inv(M) diag(LMS_t / LMS_s) M``.
    """
    M = jnp.asarray(_CAT02, dtype)
    LMS_s = _matmul_3x3(M, jnp.stack(_white_point_XYZ(source, dtype), axis=-1))
    LMS_t = _matmul_3x3(M, jnp.stack(_white_point_XYZ(target, dtype), axis=-1))
    D = LMS_t / LMS_s  # a white point's cone responses are all positive
    return jnp.asarray(np.linalg.inv(np.asarray(_CAT02)), dtype) @ (D[..., :, None] * M)


def sRGB_to_linear_RGB(RGB: ArrayLike) -> jax.Array:
    """sRGB decoding (IEC 61966-2-1 EOTF): gamma-encoded sRGB -> linear light.

    As colour's ``cctf_decoding(RGB, "sRGB")``.

    Args:
      RGB: ``[..., C]`` (usually ``C = 3``) encoded values, 0 black, 1 the
        display's white. Scale 8-bit images by 1/255 first.

    Returns:
      Same shape, linear values (1 in gives 1). Below the knee 0.0404 (and for
      any negative value) the curve is the line ``RGB / 12.92``; above it
      ``((RGB + 0.055) / 1.055) ** 2.4``, continued beyond 1 unclipped.
      Gradients are finite everywhere: the power's argument is replaced by 1 off
      its own branch (double where), since a negative base would give NaN there.
    """
    RGB = as_float(RGB)
    power = RGB > _SRGB_ENCODED_KNEE
    base = jnp.where(power, (RGB + 0.055) / 1.055, 1.0)
    return jnp.where(power, base**2.4, RGB / 12.92)


def linear_RGB_to_sRGB(RGB: ArrayLike) -> jax.Array:
    """sRGB encoding (inverse EOTF): linear light -> gamma-encoded sRGB.

    As colour's ``cctf_encoding(RGB, "sRGB")``.

    Args:
      RGB: ``[..., C]`` linear values, 0 black, 1 white.

    Returns:
      Same shape, encoded values: ``12.92 RGB`` up to 0.0031308 (and for any
      negative value), ``1.055 RGB ** (1 / 2.4) - 0.055`` above, continued
      beyond 1 unclipped. The power's derivative is infinite at 0, so its
      argument is replaced by 1 off its own branch (double where): gradients
      stay finite at black and below.
    """
    RGB = as_float(RGB)
    power = RGB > _SRGB_LINEAR_KNEE
    base = jnp.where(power, RGB, 1.0)
    return jnp.where(power, 1.055 * base ** (1 / 2.4) - 0.055, 12.92 * RGB)


def linear_RGB_to_XYZ(RGB: ArrayLike, *, illuminant: ArrayLike = ILLUMINANT_D65_xy) -> jax.Array:
    """Linear sRGB -> CIE XYZ.

    As colour's ``RGB_to_XYZ(RGB, "sRGB", illuminant)`` without decoding.

    Args:
      RGB: ``[..., 3]`` linear sRGB, white ``[1, 1, 1]``; any real values (wide
        gamut colours have negative components).
      illuminant: ``[..., 2]`` xy white the XYZ should be relative to. The
        default, D65, is sRGB's own white: no adaptation. Any other white
        (e.g. ``ILLUMINANT_C_xy`` to compare with Munsell colours) adapts the
        XYZ with CAT02, as colour does.

    Returns:
      ``[..., 3]`` XYZ, Y in [0, 1] for RGB in [0, 1] (white: Y = 1).
    """
    RGB = as_float(RGB)
    _check_triplets(RGB, "RGB")
    M = jnp.asarray(_SRGB_RGB_TO_XYZ, RGB.dtype)
    if not _is_d65(illuminant):
        M = _cat02(ILLUMINANT_D65_xy, illuminant, RGB.dtype) @ M
    return _matmul_3x3(M, RGB)


def XYZ_to_linear_RGB(XYZ: ArrayLike, *, illuminant: ArrayLike = ILLUMINANT_D65_xy) -> jax.Array:
    """CIE XYZ -> linear sRGB, as colour's ``XYZ_to_RGB(XYZ, "sRGB", illuminant)``.

    Args:
      XYZ: ``[..., 3]`` tristimulus values, Y in [0, 1].
      illuminant: ``[..., 2]`` xy white of ``XYZ``; D65 (the default) needs no
        adaptation, any other is adapted to D65 with CAT02 first.

    Returns:
      ``[..., 3]`` linear RGB, unclipped: colours outside the sRGB gamut have
      components below 0 or above 1.
    """
    XYZ = as_float(XYZ)
    _check_triplets(XYZ, "XYZ")
    M = jnp.asarray(_SRGB_XYZ_TO_RGB, XYZ.dtype)
    if not _is_d65(illuminant):
        M = M @ _cat02(illuminant, ILLUMINANT_D65_xy, XYZ.dtype)
    return _matmul_3x3(M, XYZ)


def sRGB_to_XYZ(RGB: ArrayLike, *, illuminant: ArrayLike = ILLUMINANT_D65_xy) -> jax.Array:
    """Gamma-encoded sRGB -> CIE XYZ, as colour's ``sRGB_to_XYZ(RGB, illuminant)``.

    Args:
      RGB: ``[..., 3]`` sRGB in [0, 1]; values outside are decoded by the
        continued transfer curve (see ``sRGB_to_linear_RGB``).
      illuminant: ``[..., 2]`` xy white of the result; default D65 (sRGB's
        own). Pass ``ILLUMINANT_C_xy`` for XYZ comparable with Munsell colours
        (CAT02 adaptation).

    Returns:
      ``[..., 3]`` XYZ, Y in [0, 1]; white ``[1, 1, 1]`` gives D65's
      ``[0.9505, 1.0, 1.089]``, black gives 0.
    """
    return linear_RGB_to_XYZ(sRGB_to_linear_RGB(RGB), illuminant=illuminant)


def XYZ_to_sRGB(XYZ: ArrayLike, *, illuminant: ArrayLike = ILLUMINANT_D65_xy) -> jax.Array:
    """CIE XYZ -> gamma-encoded sRGB, as colour's ``XYZ_to_sRGB(XYZ, illuminant)``.

    Args:
      XYZ: ``[..., 3]`` tristimulus values, Y in [0, 1].
      illuminant: ``[..., 2]`` xy white of ``XYZ``; default D65. Munsell xyY
        are relative to illuminant C: ``XYZ_to_sRGB(xyY_to_XYZ(xyY),
        illuminant=ILLUMINANT_C_xy)`` shows them as on an sRGB display.

    Returns:
      ``[..., 3]`` sRGB, unclipped (clip to [0, 1] for display): out-of-gamut
      colours give values below 0 or above 1.
    """
    return linear_RGB_to_sRGB(XYZ_to_linear_RGB(XYZ, illuminant=illuminant))


def sRGB_to_Lab(RGB: ArrayLike, *, illuminant: ArrayLike = ILLUMINANT_D65_xy) -> jax.Array:
    """Gamma-encoded sRGB -> CIE L*a*b*.

    ``XYZ_to_Lab(sRGB_to_XYZ(RGB, illuminant=w), illuminant=w)``. Unlike the
    xyY/XYZ functions of this module (illuminant C, the Munsell convention),
    the default white here is D65, sRGB's own, as in image work (colour's
    ``XYZ_to_Lab(sRGB_to_XYZ(RGB))``; also skimage's ``rgb2lab``).

    Args:
      RGB: ``[..., 3]`` sRGB in [0, 1] (outside: see ``sRGB_to_linear_RGB``).
      illuminant: ``[..., 2]`` xy reference white (CAT02-adapted from D65).

    Returns:
      ``[..., 3]`` L* in [0, 100] (white 100, black 0), a*, b* about
      [-87, 99] for the sRGB gamut. Gradients are finite at black, white and
      greys.
    """
    return XYZ_to_Lab(sRGB_to_XYZ(RGB, illuminant=illuminant), illuminant=illuminant)


def Lab_to_sRGB(Lab: ArrayLike, *, illuminant: ArrayLike = ILLUMINANT_D65_xy) -> jax.Array:
    """CIE L*a*b* -> gamma-encoded sRGB, the inverse of ``sRGB_to_Lab`` (see below).

    Args:
      Lab: ``[..., 3]`` L* in [0, 100], a*, b*.
      illuminant: ``[..., 2]`` xy reference white of ``Lab``; default D65.

    Returns:
      ``[..., 3]`` sRGB, unclipped: Lab colours outside the sRGB gamut give
      values below 0 or above 1. Round trips return sRGB to about 3e-4 (the
      standard's two 4-decimal matrices are not exact inverses).
    """
    return XYZ_to_sRGB(Lab_to_XYZ(Lab, illuminant=illuminant), illuminant=illuminant)


def RGB_to_HSV(RGB: ArrayLike) -> jax.Array:
    """RGB -> HSV (hexcone), as colour's ``RGB_to_HSV`` and ``colorsys.rgb_to_hsv``.

    Colourspace-agnostic: works on any RGB, usually gamma-encoded sRGB.

    Args:
      RGB: ``[..., 3]`` in [0, 1].

    Returns:
      ``[..., 3]`` hue ``H`` in [0, 1) (0 red, 1/3 green, 2/3 blue; periodic),
      saturation ``S = (max - min) / max`` in [0, 1] and value ``V = max``.
      Greys (``max = min``, black and white included) have ``H = 0`` and
      ``S = 0``; black has ``S = 0``. Outside [0, 1] the same formulas apply,
      as in colour and colorsys (e.g. ``S > 1`` when a component is negative).
      Gradients are finite everywhere; at greys the hue's gradient is 0, and
      where two components tie for the maximum it is a subgradient.
    """
    RGB = as_float(RGB)
    _check_triplets(RGB, "RGB")
    R, G, B = RGB[..., 0], RGB[..., 1], RGB[..., 2]
    maximum = jnp.max(RGB, axis=-1)
    delta = maximum - jnp.min(RGB, axis=-1)
    # Safe divisions: S divides by max (0 at black) and H by max - min (0 at
    # every grey); the denominators are replaced before dividing, so the
    # gradient there is 0 instead of NaN.
    S = _safe_divide(delta, maximum)

    def d(C):
        return _safe_divide((maximum - C) / 6 + delta / 2, delta)

    d_R, d_G, d_B = d(R), d(G), d(B)
    H = d_B - d_G
    H = jnp.where(maximum == G, 1 / 3 + d_R - d_B, H)
    H = jnp.where(maximum == B, 2 / 3 + d_G - d_R, H)
    H = jnp.where(H < 0, H + 1, H)
    H = jnp.where(H > 1, H - 1, H)
    H = jnp.where(delta == 0, 0.0, H)
    return jnp.stack([H, S, maximum], axis=-1)


def HSV_to_RGB(HSV: ArrayLike) -> jax.Array:
    """HSV -> RGB, the inverse of ``RGB_to_HSV`` (as colour's ``HSV_to_RGB``).

    Args:
      HSV: ``[..., 3]`` hue ``H`` (period 1: values outside [0, 1) are wrapped,
        where colour clips them to the first or last sector), saturation ``S``
        and value ``V``, usually in [0, 1].

    Returns:
      ``[..., 3]`` RGB; in [0, 1] for ``S, V`` in [0, 1]. Differentiable in
      ``H``, ``S`` and ``V`` (piecewise linear in ``H``).
    """
    HSV = as_float(HSV)
    _check_triplets(HSV, "HSV")
    H, S, V = HSV[..., 0], HSV[..., 1], HSV[..., 2]
    h = 6 * jnp.mod(H, 1.0)
    i = jnp.clip(jnp.floor(h), 0, 5)  # h rounds up to 6 for H just below 1
    f = h - i
    j = V * (1 - S)
    k = V * (1 - S * f)
    l = V * (1 - S * (1 - f))
    # The six sectors of the hexcone, red -> yellow -> green -> cyan -> blue -> magenta.
    sectors = jnp.stack(
        [
            jnp.stack(rgb, axis=-1)
            for rgb in ((V, l, j), (k, V, j), (j, V, l), (j, k, V), (l, j, V), (V, j, k))
        ],
        axis=-2,
    )
    index = i.astype(jnp.int32)[..., None, None]
    return jnp.take_along_axis(sectors, index, axis=-2)[..., 0, :]
