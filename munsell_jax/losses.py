"""Losses: the training losses of the converters, and colour losses for any JAX model.

The colour-loss API (also re-exported flat from ``munsell_jax``), on ``[..., 3]``
colours and ``[B, H, W, 3]`` images, options keyword-only:

- perceptual: ``delta_e`` / ``delta_e_loss`` (CIEDE2000, CIE94 or CIE76 on xyY,
  XYZ, Lab or sRGB inputs) and the Munsell round trip ``munsell_delta_e`` /
  ``munsell_delta_e_loss``;
- image colour losses of colourisation and colour-enhancement models:
  ``charbonnier_loss``, ``ab_huber_loss`` (Lab a*b* Huber), ``hsv_loss`` (hue
  weighted by saturation), ``colour_histogram_loss`` (on ``soft_histogram``,
  differentiable soft binning), ``colour_diversity_loss`` (negative log
  variance of a*b*), ``frequency_loss`` (FFT);
- ``UncertaintyWeighting``: learned weights for several of them.

Every one is pure ``jnp``, jit- and grad-able, with finite gradients at black,
white, greys and ``pred == target``.

The converters' training losses (used by ``munsell_jax.train``) follow.

All functions are pure ``jnp`` on ``[B, ...]`` arrays, jit- and grad-able, and
take their options as keywords. Errors are in the model's normalised units
(hue/10, value/10, chroma/50, or xyY), so a Huber ``delta`` of 0.01 is 0.1 hue
steps, 0.1 value steps or 0.5 chroma steps.

The losses of the published comparison:

- ``mse``, ``mae``, ``huber``;
- ``precision``: 1.0 MSE + 0.5 MAE + 0.3 log penalty + 0.5 Huber (delta 0.01),
  where the log penalty ``log(1 + |e| / 0.01)`` keeps a steep gradient for
  errors far below the Huber knee (the part MSE stops caring about);
- the weighted boundary loss: ``boundary_weights`` (3x on Y, GY and G hues at
  high value and chroma, where the published models erred most) times any of
  the above, plus ``gamut_penalty`` on chroma predicted beyond the renotation
  data;
- the circular hue loss: hue error taken modulo one family (``circular_hue``);
  published as a negative result (hue 10 of a family is hue 0 of the *next*
  family, not of the same one), kept to reproduce it;
- ``code_cross_entropy`` for the 10 hue-family logits;
- ``UncertaintyWeighting`` (Kendall, Gal and Cipolla, 2018): one learned
  log-variance per loss term.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import nnx

__all__ = [
    "KINDS",
    "METRICS",
    "REDUCTIONS",
    "SPACES",
    "UncertaintyWeighting",
    "ab_huber_loss",
    "boundary_weights",
    "charbonnier_loss",
    "code_cross_entropy",
    "colour_diversity_loss",
    "colour_histogram_loss",
    "delta_e",
    "delta_e_loss",
    "elementwise_loss",
    "frequency_loss",
    "gamut_penalty",
    "hsv_loss",
    "munsell_delta_e",
    "munsell_delta_e_loss",
    "regression_errors",
    "soft_histogram",
]

KINDS = ("mse", "mae", "huber", "precision")


def regression_errors(
    pred_BxR: jax.Array,
    target_BxR: jax.Array,
    *,
    hue_output: int | None = None,
    circular_hue: bool = False,
) -> jax.Array:
    """``pred - target``; with ``circular_hue``, the hue column (normalised, period
    1 = one family) is wrapped into [-0.5, 0.5)."""
    e_BxR = pred_BxR - target_BxR
    if circular_hue:
        if hue_output is None:
            raise ValueError("circular_hue needs an encoding with a hue output")
        wrapped = jnp.mod(e_BxR[:, hue_output] + 0.5, 1.0) - 0.5
        e_BxR = e_BxR.at[:, hue_output].set(wrapped)
    return e_BxR


def elementwise_loss(e: jax.Array, *, kind: str = "mse", delta: float = 0.01) -> jax.Array:
    """Loss of each error ``e`` (same shape): one of ``KINDS``.

    ``huber`` is optax's (quadratic below ``delta``, linear above); ``precision``
    is ``e^2 + 0.5 |e| + 0.3 log(1 + |e| / delta) + 0.5 huber(e, delta)``.
    """
    if kind == "mse":
        return e**2
    if kind == "mae":
        return jnp.abs(e)
    if kind == "huber":
        return optax.huber_loss(e, delta=delta)
    if kind == "precision":
        a = jnp.abs(e)
        return e**2 + 0.5 * a + 0.3 * jnp.log1p(a / delta) + 0.5 * optax.huber_loss(e, delta=delta)
    raise ValueError(f"unknown loss kind {kind!r}; one of {KINDS}")


def boundary_weights(
    spec_Bx4,
    *,
    factor: float = 3.0,
    codes: tuple[int, ...] = (3, 4, 5),
    min_value: float = 7.0,
    min_chroma: float = 8.0,
):
    """Row weights of the weighted boundary loss: ``factor`` where the exact
    specification's hue family is one of ``codes`` (3 G, 4 GY, 5 Y) with value
    >= ``min_value`` and chroma >= ``min_chroma``, 1 elsewhere. Numpy or JAX."""
    xp = jnp if isinstance(spec_Bx4, jax.Array) else np
    _, value, chroma, code = (spec_Bx4[..., i] for i in range(4))
    hard = xp.isin(code, xp.asarray(codes)) & (value >= min_value) & (chroma >= min_chroma)
    return xp.where(hard, factor, 1.0)


def gamut_penalty(chroma_B: jax.Array, max_chroma_B: jax.Array) -> jax.Array:
    """``relu(chroma - max_chroma)^2`` per row, both normalised (chroma/50).

    ``max_chroma`` is the renotation data's largest chroma at the exact hue and
    value (``renotation.maximum_chroma``); NaN (greys, values below 1) means no
    bound.
    """
    bound = jnp.where(jnp.isnan(max_chroma_B), jnp.inf, max_chroma_B)
    return jnp.maximum(chroma_B - bound, 0.0) ** 2


def code_cross_entropy(logits_BxK: jax.Array, labels_B: jax.Array) -> jax.Array:
    """Mean softmax cross-entropy over rows with a label (``labels >= 0``; greys
    are -1 and left out). 0 when no row has a label."""
    has = labels_B >= 0
    ce_B = optax.softmax_cross_entropy_with_integer_labels(logits_BxK, jnp.maximum(labels_B, 0))
    return jnp.sum(jnp.where(has, ce_B, 0.0)) / jnp.maximum(jnp.sum(has), 1)


class UncertaintyWeighting(nnx.Module):
    """Learned weighting of ``n`` loss terms: ``sum_i exp(-s_i) L_i + s_i``.

    ``s_i`` is a log-variance (Kendall, Gal and Cipolla, 2018, in the form used
    for mixed regression and classification terms); a term the model cannot
    reduce gets down-weighted instead of dominating. Starts at ``s = 0``
    (plain sum).
    """

    def __init__(self, n: int):
        self.log_var = nnx.Param(jnp.zeros((n,), jnp.float32))

    def __call__(self, losses_K: jax.Array) -> jax.Array:
        s_K = self.log_var[...]
        return jnp.sum(jnp.exp(-s_K) * losses_K + s_K)


def _exact_forward(spec_Bx4: jax.Array) -> tuple[jax.Array, jax.Array]:
    from munsell_jax.renotation import _forward

    return _forward(spec_Bx4)


def munsell_delta_e(
    pred_spec_Bx4: jax.Array,
    target_xyY_Bx3: jax.Array,
    *,
    forward=None,
) -> tuple[jax.Array, jax.Array]:
    """Per-row CIEDE2000 between ``target_xyY`` and ``forward(pred_spec)``.

    A prediction outside the renotation data is first moved into it,
    differentiably in chroma and value: value clipped to [1, 10] (chromatic colours have no data
    below 1), chroma capped at the data's maximum at that hue and value (the
    cap itself is held constant). Rows still outside (malformed codes, NaN)
    get Delta-E 0 and ``valid`` False, with finite gradients.

    Args:
      pred_spec_Bx4: ``[B, 4]`` (or any ``[..., 4]``) predicted specifications
        ``[hue, value, chroma, code]``.
      target_xyY_Bx3: ``[B, 3]`` (or ``[..., 3]``, broadcast against the
        prediction) the colours they should reproduce (Y in [0, 1]).
      forward: ``spec -> xyY`` (``[B, 4] -> [B, 3]``), e.g. the differentiable
        approximator; ``None`` uses the exact renotation engine.

    Returns:
      ``(delta_e_B, valid_B)``, shaped as the leading axes.
    """
    lead = jnp.broadcast_shapes(jnp.shape(pred_spec_Bx4)[:-1], jnp.shape(target_xyY_Bx3)[:-1])
    if len(lead) != 1:  # the body works on rows
        pred = jnp.broadcast_to(pred_spec_Bx4, (*lead, 4)).reshape(-1, 4)
        target = jnp.broadcast_to(target_xyY_Bx3, (*lead, 3)).reshape(-1, 3)
        delta_e, valid = munsell_delta_e(pred, target, forward=forward)
        return delta_e.reshape(lead), valid.reshape(lead)
    from munsell_jax.colorimetry import delta_E_CIE2000, xyY_to_Lab
    from munsell_jax.renotation import maximum_chroma, renotation_valid

    hue, value, chroma, code = (pred_spec_Bx4[:, i] for i in range(4))
    value = jnp.clip(value, 1.0, 10.0)
    cap = jax.lax.stop_gradient(maximum_chroma(jnp.stack([hue, value, code], -1)))
    chroma = jnp.where(jnp.isfinite(cap), jnp.minimum(chroma, jnp.nan_to_num(cap)), chroma)
    projected = jnp.stack([hue, value, chroma, code], -1)
    # Only predictions outside the data move: inside, the data reach a little
    # beyond ``maximum_chroma`` (a minimum over the bounding hues and values).
    inside = jax.lax.stop_gradient(renotation_valid(pred_spec_Bx4))
    spec = jnp.where(inside[:, None], pred_spec_Bx4, projected)
    if forward is None:
        xyY, valid = _exact_forward(spec)
    else:
        xyY, valid = forward(spec), jnp.ones(spec.shape[0], bool)
    valid &= jnp.isfinite(xyY).all(-1)
    # Double where: an invalid row's xyY must not reach Lab (its gradient
    # would be NaN even where the result is discarded).
    safe_xyY = jnp.where(valid[:, None], xyY, target_xyY_Bx3)
    delta_e = delta_E_CIE2000(xyY_to_Lab(safe_xyY), xyY_to_Lab(target_xyY_Bx3))
    return jnp.where(valid, delta_e, 0.0), valid


def munsell_delta_e_loss(
    pred_spec_Bx4: jax.Array, target_xyY_Bx3: jax.Array, *, forward=None
) -> jax.Array:
    """Mean round-trip CIEDE2000 of predicted Munsell specifications against the
    colours they were predicted from (see ``munsell_delta_e``): the perceptual
    loss for an xyY -> Munsell model, usable from any JAX project. Rows with no
    valid round trip are left out of the mean (0 when none is valid)."""
    delta_e, valid = munsell_delta_e(pred_spec_Bx4, target_xyY_Bx3, forward=forward)
    return jnp.sum(delta_e) / jnp.maximum(jnp.sum(valid), 1)


# --- colour losses for any JAX model ---------------------------------------------------
#
# Inputs are ``[..., 3]`` colours (any leading shape: ``[B, 3]`` rows,
# ``[B, H, W, 3]`` images). Per-colour losses reduce over every axis with
# ``reduction="mean"`` (default) or ``"sum"``, or return one value per colour
# (``[...]``) with ``"none"``; per-image losses (histogram, diversity,
# frequency) take their statistics over the pixel ``axes`` and return one value
# per image with ``"none"``. Options are keyword-only; string options are
# static under ``jit`` (close over them or mark them static).

METRICS = ("ciede2000", "cie94", "cie76")
SPACES = ("xyY", "XYZ", "Lab", "sRGB")
REDUCTIONS = ("mean", "sum", "none")


def _reduce(x: jax.Array, reduction: str) -> jax.Array:
    if reduction == "mean":
        return jnp.mean(x)
    if reduction == "sum":
        return jnp.sum(x)
    if reduction == "none":
        return x
    raise ValueError(f"reduction must be one of {REDUCTIONS}, not {reduction!r}")


def _to_Lab(colours, space: str, illuminant) -> jax.Array:
    from munsell_jax import colorimetry

    if space not in SPACES:
        raise ValueError(f"space must be one of {SPACES}, not {space!r}")
    if space == "Lab":
        return colorimetry._as_float(colours)
    if space == "sRGB":
        white = colorimetry.ILLUMINANT_D65_xy if illuminant is None else illuminant
        return colorimetry.sRGB_to_Lab(colours, illuminant=white)
    white = colorimetry.ILLUMINANT_C_xy if illuminant is None else illuminant
    if space == "xyY":
        return colorimetry.xyY_to_Lab(colours, illuminant=white)
    return colorimetry.XYZ_to_Lab(colours, illuminant=white)


def delta_e(
    pred: jax.Array,
    target: jax.Array,
    *,
    metric: str = "ciede2000",
    space: str = "xyY",
    illuminant=None,
) -> jax.Array:
    """Per-colour Delta E between ``pred`` and ``target``.

    Args:
      pred: ``[..., 3]`` colours in ``space``.
      target: ``[..., 3]``, broadcast against ``pred``; for ``"cie94"`` (not
        symmetric) the target is the reference whose chroma sets the weights.
      metric: ``"ciede2000"``, ``"cie94"`` (graphic-arts weights) or ``"cie76"``
        (Euclidean Lab distance).
      space: the inputs' space: ``"xyY"`` or ``"XYZ"`` (Y in [0, 1]),
        ``"Lab"`` (L* in [0, 100]) or ``"sRGB"`` (gamma-encoded, [0, 1]).
      illuminant: xy reference white of the Lab the difference is taken in;
        ``None`` means illuminant C for xyY and XYZ (the Munsell convention,
        as ``colorimetry.delta_E_loss``) and D65 for sRGB (sRGB's white). Not
        used for Lab inputs.

    Returns:
      ``[...]`` Delta E >= 0 (about 1 is a just-noticeable difference).
      Gradients are finite everywhere, including black, white, greys and
      identical colours.
    """
    from munsell_jax import colorimetry

    if metric not in METRICS:
        raise ValueError(f"metric must be one of {METRICS}, not {metric!r}")
    Lab_pred = _to_Lab(pred, space, illuminant)
    Lab_target = _to_Lab(target, space, illuminant)
    if metric == "ciede2000":
        return colorimetry.delta_E_CIE2000(Lab_target, Lab_pred)
    if metric == "cie94":
        return colorimetry.delta_E_CIE1994(Lab_target, Lab_pred)
    return colorimetry.delta_E_CIE1976(Lab_target, Lab_pred)


def delta_e_loss(
    pred: jax.Array,
    target: jax.Array,
    *,
    metric: str = "ciede2000",
    space: str = "xyY",
    reduction: str = "mean",
    illuminant=None,
) -> jax.Array:
    """Perceptual colour loss: ``delta_e`` reduced by ``reduction``.

    ``delta_e_loss(pred_xyY, target_xyY)`` is ``colorimetry.delta_E_loss``
    (mean CIEDE2000 under illuminant C); ``delta_e_loss(pred_rgb, target_rgb,
    space="sRGB")`` the mean CIEDE2000 of two sRGB images ``[B, H, W, 3]``
    under D65. Arguments as ``delta_e``; ``reduction="none"`` returns ``[...]``.
    """
    d = delta_e(pred, target, metric=metric, space=space, illuminant=illuminant)
    return _reduce(d, reduction)


def charbonnier_loss(
    pred: jax.Array, target: jax.Array, *, epsilon: float = 1e-3, reduction: str = "mean"
) -> jax.Array:
    """Charbonnier (smooth L1) loss ``sqrt((pred - target)^2 + epsilon^2)``.

    The usual pixel loss of restoration and enhancement models (LapSRN, 2017):
    L1-like for errors above ``epsilon``, quadratic and smooth below, so its
    gradient is finite and continuous at 0.

    Args:
      pred: ``[..., C]`` in any units (e.g. sRGB in [0, 1]).
      target: ``[..., C]``, broadcast against ``pred``.
      epsilon: the smoothing scale, in the inputs' units (> 0; the minimum
        loss, at ``pred == target``, is ``epsilon``).
      reduction: ``"mean"`` over every element, ``"sum"``, or ``"none"``: the
        channel mean per colour, ``[...]``.
    """
    e = jnp.asarray(pred) - jnp.asarray(target)
    per_colour = jnp.mean(jnp.sqrt(e * e + epsilon**2), axis=-1)
    return _reduce(per_colour, reduction)


def ab_huber_loss(
    pred: jax.Array,
    target: jax.Array,
    *,
    delta: float = 1.0,
    space: str = "sRGB",
    illuminant=None,
    reduction: str = "mean",
) -> jax.Array:
    """Huber loss on the CIE a*, b* channels: the colourisation regression loss.

    Compares chromaticity only (lightness is the model's input in
    colourisation), quadratic for errors below ``delta``, linear above, so
    that a few wildly wrong pixels do not dominate as under MSE.

    Args:
      pred: ``[..., 3]`` colours in ``space`` (``"sRGB"`` in [0, 1] by default,
        or ``"Lab"``, ``"xyY"``, ``"XYZ"``; see ``delta_e``).
      target: ``[..., 3]``, broadcast against ``pred``.
      delta: the Huber knee in a*/b* units (1 is about one just-noticeable
        difference).
      illuminant: the Lab white, as in ``delta_e`` (default D65 for sRGB).
      reduction: ``"mean"`` over every a*, b* element, ``"sum"``, or ``"none"``:
        the mean of the two channels per colour, ``[...]``.
    """
    ab_pred = _to_Lab(pred, space, illuminant)[..., 1:]
    ab_target = _to_Lab(target, space, illuminant)[..., 1:]
    per_colour = jnp.mean(optax.huber_loss(ab_pred - ab_target, delta=delta), axis=-1)
    return _reduce(per_colour, reduction)


def hsv_loss(
    pred: jax.Array,
    target: jax.Array,
    *,
    hue_weight: float = 1.0,
    saturation_weight: float = 1.0,
    value_weight: float = 1.0,
    reduction: str = "mean",
) -> jax.Array:
    """HSV loss of colour-enhancement models, hue weighted by saturation.

    Per colour: ``hue_weight * S_t * (1 - cos(2 pi (H_p - H_t))) / 2 +
    saturation_weight * |S_p - S_t| + value_weight * |V_p - V_t|`` with ``H,
    S, V`` from ``colorimetry.RGB_to_HSV``. The hue term is periodic (no jump
    where red wraps from 1 to 0) and in [0, 1]; it is scaled by the target's
    saturation ``S_t`` clipped to [0, 1], because the hue of a grey is
    meaningless (0 by convention).

    Args:
      pred: ``[..., 3]`` RGB in [0, 1] (usually gamma-encoded sRGB).
      target: ``[..., 3]``, broadcast against ``pred``.
      hue_weight, saturation_weight, value_weight: weights of the three terms.
      reduction: ``"mean"``, ``"sum"`` or ``"none"`` (``[...]``).

    Returns:
      The loss; gradients are finite at black, white and greys (where the
      hue's gradient is 0).
    """
    from munsell_jax.colorimetry import RGB_to_HSV

    H_p, S_p, V_p = jnp.moveaxis(RGB_to_HSV(pred), -1, 0)
    H_t, S_t, V_t = jnp.moveaxis(RGB_to_HSV(target), -1, 0)
    hue = jnp.clip(S_t, 0.0, 1.0) * (1 - jnp.cos(2 * jnp.pi * (H_p - H_t))) / 2
    per_colour = (
        hue_weight * hue
        + saturation_weight * jnp.abs(S_p - S_t)
        + value_weight * jnp.abs(V_p - V_t)
    )
    return _reduce(per_colour, reduction)


def _pixel_axes(x: jax.Array, axes: tuple[int, ...]) -> tuple[int, ...]:
    """``axes`` as non-negative ints, checked to leave out the channel axis."""
    if x.ndim < 2:
        raise ValueError(f"expected colours [..., N, C] or images [..., H, W, C], got {x.shape}")
    axes = tuple(sorted(a % x.ndim for a in axes))
    if x.ndim - 1 in axes:
        raise ValueError("axes must not include the channel axis (-1)")
    return axes


def soft_histogram(
    x: jax.Array,
    *,
    bins: int = 32,
    value_range: tuple[float, float] = (0.0, 1.0),
    bandwidth: float | None = None,
    axes: tuple[int, ...] = (-3, -2),
) -> jax.Array:
    """Differentiable per-channel histograms (soft binning).

    Each value spreads its unit mass over the ``bins`` equal bins of
    ``value_range`` by a softmax of ``-(x - c_k)^2 / (2 bandwidth^2)`` over the
    bin centres ``c_k`` (a Gaussian kernel, normalised per value), so the
    histogram is smooth in ``x``. Values outside the range put their mass on
    the nearest edge bins, with a gradient that fades with the distance.

    Args:
      x: ``[..., H, W, C]`` images (or ``[..., N, C]`` with ``axes=(-2,)``).
      bins: number of bins.
      value_range: ``(low, high)`` of the bins, in the inputs' units.
      bandwidth: the kernel's standard deviation; default one bin width
        (smaller is closer to a hard histogram, with sparser gradients).
      axes: the pixel axes the histogram is taken over.

    Returns:
      ``[..., C, bins]`` (the other axes kept in order): each channel's
      histogram, summing to 1.
    """
    from munsell_jax.colorimetry import _as_float

    x = _as_float(x)
    axes = _pixel_axes(x, axes)
    low, high = value_range
    width = (high - low) / bins
    centres = low + width * (jnp.arange(bins, dtype=x.dtype) + 0.5)
    sigma = width if bandwidth is None else bandwidth
    weights = jax.nn.softmax(-0.5 * ((x[..., None] - centres) / sigma) ** 2, axis=-1)
    return jnp.mean(weights, axis=axes)


def colour_histogram_loss(
    pred: jax.Array,
    target: jax.Array,
    *,
    bins: int = 32,
    value_range: tuple[float, float] = (0.0, 1.0),
    bandwidth: float | None = None,
    distance: str = "emd",
    axes: tuple[int, ...] = (-3, -2),
    reduction: str = "mean",
) -> jax.Array:
    """Distance between the colour histograms of two images (``soft_histogram``).

    Compares colour distributions, not pixels: the global-colour term of
    colour-transfer, colourisation and enhancement models, indifferent to
    where in the image a colour sits.

    Args:
      pred: ``[..., H, W, C]`` images, e.g. sRGB in [0, 1].
      target: ``[..., H', W', C]``: the histograms are per image, so the
        target need not be the same size (its leading axes broadcast).
      bins, value_range, bandwidth, axes: as ``soft_histogram``.
      distance: ``"emd"`` (earth mover's distance of each channel, the L1
        distance of the cumulative histograms times the bin width: in the
        inputs' units, and informative even when the histograms do not
        overlap) or ``"l1"`` (total variation, half the L1 distance, in [0, 1]).
      reduction: ``"mean"`` or ``"sum"`` over images, or ``"none"``: the
        channel mean per image, ``[...]``.
    """
    options = dict(bins=bins, value_range=value_range, bandwidth=bandwidth, axes=axes)
    h_pred = soft_histogram(pred, **options)
    h_target = soft_histogram(target, **options)
    if distance == "emd":
        width = (value_range[1] - value_range[0]) / bins
        d = width * jnp.sum(jnp.abs(jnp.cumsum(h_pred - h_target, axis=-1)), axis=-1)
    elif distance == "l1":
        d = 0.5 * jnp.sum(jnp.abs(h_pred - h_target), axis=-1)
    else:
        raise ValueError(f"distance must be 'emd' or 'l1', not {distance!r}")
    return _reduce(jnp.mean(d, axis=-1), reduction)


def colour_diversity_loss(
    pred: jax.Array,
    *,
    space: str = "sRGB",
    illuminant=None,
    epsilon: float = 1e-4,
    axes: tuple[int, ...] = (-3, -2),
    reduction: str = "mean",
) -> jax.Array:
    """Colour-diversity regulariser: ``-log(var(a*) + var(b*) + epsilon)`` per image.

    Colourisation models trained on a regression loss drift to greyish,
    sepia images (the mean of the plausible colours); this term rewards
    spread in chromaticity. The variances are over the pixel ``axes``, in
    CIE a*/b* units squared (a grey image has 0 and the loss
    ``-log(epsilon)``; a colourful photograph has ``var(a*) + var(b*)`` in the
    hundreds). Add it with a small weight: alone it is unbounded below.

    Args:
      pred: ``[..., H, W, 3]`` images in ``space`` (``"sRGB"`` by default, or
        ``"Lab"``, ``"xyY"``, ``"XYZ"``; see ``delta_e``).
      illuminant: the Lab white, as in ``delta_e``.
      epsilon: keeps the logarithm finite for a flat image (its gradient there
        is 0, not NaN).
      axes: the pixel axes.
      reduction: ``"mean"`` or ``"sum"`` over images, or ``"none"`` (``[...]``).
    """
    ab = _to_Lab(pred, space, illuminant)[..., 1:]
    axes = _pixel_axes(ab, axes)
    variance = jnp.sum(jnp.var(ab, axis=axes), axis=-1)
    return _reduce(-jnp.log(variance + epsilon), reduction)


def frequency_loss(
    pred: jax.Array,
    target: jax.Array,
    *,
    axes: tuple[int, ...] = (-3, -2),
    reduction: str = "mean",
) -> jax.Array:
    """FFT loss: mean ``|Re dF| + |Im dF|`` of the images' 2-D spectra.

    ``dF`` is the orthonormal discrete Fourier transform of ``pred - target``
    over the pixel ``axes``, per channel. Restoration models add it to a pixel
    loss to recover high frequencies (edges, texture) that a pixel-space L1
    or L2 loss averages away. Real and imaginary parts are taken apart so
    that no modulus (a square root with an infinite derivative at 0) is
    needed: gradients are finite, and 0 where the images agree.

    Args:
      pred: ``[..., H, W, C]`` images.
      target: same shape.
      axes: the pixel axes transformed.
      reduction: ``"mean"`` or ``"sum"`` over images, or ``"none"``: the mean
        over frequencies and channels per image, ``[...]``.
    """
    e = jnp.asarray(pred) - jnp.asarray(target)
    axes = _pixel_axes(e, axes)
    spectrum = jnp.fft.fftn(e, axes=axes, norm="ortho")
    per_element = jnp.abs(spectrum.real) + jnp.abs(spectrum.imag)
    return _reduce(jnp.mean(per_element, axis=(*axes, -1)), reduction)
