"""Colour losses for any JAX model (re-exported flat from ``munsell_jax``).

On ``[..., 3]`` colours: ``[B, 3]`` rows or ``[B, H, W, 3]`` images, any
leading axes broadcast; options keyword-only.

- perceptual: ``delta_e`` / ``delta_e_loss`` (CIEDE2000, CIE94 or CIE76 on
  xyY, XYZ, Lab or sRGB inputs), its Flax NNX layer ``DeltaELoss``, and the
  Munsell round trip ``munsell_delta_e`` / ``munsell_delta_e_loss``;
- image colour losses of colourisation and colour-enhancement models:
  ``charbonnier_loss``, ``ab_huber_loss`` (Lab a*b* Huber), ``hsv_loss`` (hue
  weighted by saturation), ``colour_histogram_loss`` (on ``soft_histogram``,
  differentiable soft binning), ``colour_diversity_loss`` (negative log
  variance of a*b*), ``frequency_loss`` (FFT).

``space`` has no default: every loss that converts colours (``delta_e``,
``delta_e_loss``, ``DeltaELoss``, ``ab_huber_loss``,
``colour_diversity_loss``) must be told what its inputs are, one of
``SPACES``: ``"xyY"`` or ``"XYZ"`` (Y in [0, 1]; Lab under illuminant C, the
Munsell convention), ``"Lab"`` (L* in [0, 100]) or ``"sRGB"`` (gamma-encoded,
[0, 1]; Lab under D65, sRGB's white). The same numbers read in the wrong
space give a plausible, silently wrong loss. Leaving ``space`` out is a
``TypeError``; an unknown space is a ``ValueError`` that names the choices.

``reduction`` means the same on every loss: ``"mean"`` (default) or ``"sum"``
of the per-example values, or ``"none"`` for the per-example values
themselves. A per-colour loss (Delta E, Charbonnier, a*b* Huber, HSV, the
Munsell round trip) has one value per colour, ``[...]``, the channel axis
reduced; a per-image loss (histogram, diversity, frequency) one per image,
``[...]``, its pixel ``axes`` and channels reduced.

Every loss is pure ``jnp``, jit- and grad-able, with finite gradients at black,
white, greys and ``pred == target``. String options are static under ``jit``
(close over them or mark them static).

The converters' own training objectives (the weighted boundary loss, the hue
code cross-entropy, learned uncertainty weighting) belong to the lab:
``munsell_jax.lab.objectives``.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import optax
from flax import nnx

from munsell_jax import colorimetry
from munsell_jax.arrays import as_float

__all__ = [
    "DeltaELoss",
    "METRICS",
    "REDUCTIONS",
    "SPACES",
    "ab_huber_loss",
    "charbonnier_loss",
    "colour_diversity_loss",
    "colour_histogram_loss",
    "delta_e",
    "delta_e_loss",
    "frequency_loss",
    "hsv_loss",
    "munsell_delta_e",
    "munsell_delta_e_loss",
    "soft_histogram",
]

METRICS = ("ciede2000", "cie94", "cie76")
SPACES = ("xyY", "XYZ", "Lab", "sRGB")
REDUCTIONS = ("mean", "sum", "none")


def _check(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices}, not {value!r}")


def _reduce(x: jax.Array, reduction: str) -> jax.Array:
    _check("reduction", reduction, REDUCTIONS)
    if reduction == "mean":
        return jnp.mean(x)
    if reduction == "sum":
        return jnp.sum(x)
    return x


def _to_Lab(colours, space: str, illuminant) -> jax.Array:
    _check("space", space, SPACES)
    if space == "Lab":
        return as_float(colours)
    if space == "sRGB":
        white = colorimetry.ILLUMINANT_D65_xy if illuminant is None else illuminant
        return colorimetry.sRGB_to_Lab(colours, illuminant=white)
    white = colorimetry.ILLUMINANT_C_xy if illuminant is None else illuminant
    if space == "xyY":
        return colorimetry.xyY_to_Lab(colours, illuminant=white)
    return colorimetry.XYZ_to_Lab(colours, illuminant=white)


# --- the Munsell round trip -------------------------------------------------------------


def _exact_forward(spec_Bx4: jax.Array) -> tuple[jax.Array, jax.Array]:
    from munsell_jax.renotation import munsell_to_xyY_unmasked

    return munsell_to_xyY_unmasked(spec_Bx4)


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
    delta_e = colorimetry.delta_E_CIE2000(
        colorimetry.xyY_to_Lab(safe_xyY), colorimetry.xyY_to_Lab(target_xyY_Bx3)
    )
    return jnp.where(valid, delta_e, 0.0), valid


def munsell_delta_e_loss(
    pred_spec_Bx4: jax.Array,
    target_xyY_Bx3: jax.Array,
    *,
    forward=None,
    reduction: str = "mean",
) -> jax.Array:
    """Round-trip CIEDE2000 of predicted Munsell specifications against the
    colours they were predicted from (see ``munsell_delta_e``): the perceptual
    loss for an xyY -> Munsell model, usable from any JAX project.

    Args:
      pred_spec_Bx4, target_xyY_Bx3, forward: as ``munsell_delta_e``.
      reduction: ``"mean"`` (default) or ``"sum"`` over colours, or ``"none"``:
        the Delta E per colour, ``[...]``. Colours with no valid round trip
        count 0 and are left out of the mean (0 when none is valid).
    """
    _check("reduction", reduction, REDUCTIONS)
    delta_e, valid = munsell_delta_e(pred_spec_Bx4, target_xyY_Bx3, forward=forward)
    if reduction == "mean":
        return jnp.sum(delta_e) / jnp.maximum(jnp.sum(valid), 1)
    return _reduce(delta_e, reduction)


# --- Delta E ---------------------------------------------------------------------------


def delta_e(
    pred: jax.Array,
    target: jax.Array,
    *,
    metric: str = "ciede2000",
    space: str,
    illuminant=None,
) -> jax.Array:
    """Per-colour Delta E between ``pred`` and ``target``.

    Args:
      pred: ``[..., 3]`` colours in ``space``.
      target: ``[..., 3]``, broadcast against ``pred``; for ``"cie94"`` (not
        symmetric) the target is the reference whose chroma sets the weights.
      metric: ``"ciede2000"``, ``"cie94"`` (graphic-arts weights) or ``"cie76"``
        (Euclidean Lab distance).
      space: the inputs' space, required: ``"xyY"`` or ``"XYZ"`` (Y in
        [0, 1]), ``"Lab"`` (L* in [0, 100]) or ``"sRGB"`` (gamma-encoded, [0, 1]).
      illuminant: xy reference white of the Lab the difference is taken in;
        ``None`` means illuminant C for xyY and XYZ (the Munsell convention)
        and D65 for sRGB (sRGB's white). Not used for Lab inputs.

    Returns:
      ``[...]`` Delta E >= 0 (about 1 is a just-noticeable difference).
      Gradients are finite everywhere, including black, white, greys and
      identical colours.
    """
    _check("metric", metric, METRICS)
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
    space: str,
    reduction: str = "mean",
    illuminant=None,
) -> jax.Array:
    """Perceptual colour loss: ``delta_e`` reduced by ``reduction``.

    ``delta_e_loss(pred_xyY, target_xyY, space="xyY")`` is the mean CIEDE2000
    of two batches of xyY colours under illuminant C; ``delta_e_loss(pred_rgb,
    target_rgb, space="sRGB")`` the mean CIEDE2000 of two sRGB images
    ``[B, H, W, 3]`` under D65.

    Args:
      pred, target, metric, space, illuminant: as ``delta_e``.
      reduction: ``"mean"`` (default) or ``"sum"`` over colours, or ``"none"``:
        the Delta E per colour, ``[...]``.
    """
    d = delta_e(pred, target, metric=metric, space=space, illuminant=illuminant)
    return _reduce(d, reduction)


class DeltaELoss(nnx.Module):
    """``delta_e_loss`` as a stateless Flax NNX layer.

    Holds its options and no parameters, so a model composes it like any
    other layer and ``nnx.jit``, ``nnx.grad`` and ``nnx.split`` see no state::

        loss_fn = DeltaELoss(space="sRGB")
        loss = loss_fn(model(x), target)

    Args:
      metric: ``"ciede2000"`` (default), ``"cie94"`` or ``"cie76"``.
      space: the inputs' space, required (``SPACES``; see ``delta_e``).
      reduction: ``"mean"`` (default) or ``"sum"`` over colours, or ``"none"``:
        the Delta E per colour, ``[...]``.

    Bad options raise ``ValueError`` here, when the layer is built.
    """

    def __init__(self, *, metric: str = "ciede2000", space: str, reduction: str = "mean"):
        _check("metric", metric, METRICS)
        _check("space", space, SPACES)
        _check("reduction", reduction, REDUCTIONS)
        self.metric = metric
        self.space = space
        self.reduction = reduction

    def __call__(self, prediction: jax.Array, target: jax.Array) -> jax.Array:
        """``delta_e_loss(prediction, target)`` with this layer's options."""
        return delta_e_loss(
            prediction, target, metric=self.metric, space=self.space, reduction=self.reduction
        )


# --- image colour losses ---------------------------------------------------------------


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
      reduction: ``"mean"`` (default) or ``"sum"`` over colours, or ``"none"``:
        the channel mean per colour, ``[...]`` (so ``"mean"`` is the mean over
        every element).
    """
    e = jnp.asarray(pred) - jnp.asarray(target)
    per_colour = jnp.mean(jnp.sqrt(e * e + epsilon**2), axis=-1)
    return _reduce(per_colour, reduction)


def ab_huber_loss(
    pred: jax.Array,
    target: jax.Array,
    *,
    delta: float = 1.0,
    space: str,
    illuminant=None,
    reduction: str = "mean",
) -> jax.Array:
    """Huber loss on the CIE a*, b* channels: the colourisation regression loss.

    Compares chromaticity only (lightness is the model's input in
    colourisation), quadratic for errors below ``delta``, linear above, so
    that a few wildly wrong pixels do not dominate as under MSE.

    Args:
      pred: ``[..., 3]`` colours in ``space``.
      target: ``[..., 3]``, broadcast against ``pred``.
      delta: the Huber knee in a*/b* units (1 is about one just-noticeable
        difference).
      space: the inputs' space, required (``SPACES``; see ``delta_e``), e.g.
        ``"sRGB"`` for images in [0, 1].
      illuminant: the Lab white, as in ``delta_e`` (default D65 for sRGB).
      reduction: ``"mean"`` (default) or ``"sum"`` over colours, or ``"none"``:
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
      reduction: ``"mean"`` (default) or ``"sum"`` over colours, or ``"none"``:
        the weighted sum of the three terms per colour, ``[...]``.

    Returns:
      The loss; gradients are finite at black, white and greys (where the
      hue's gradient is 0).
    """
    H_p, S_p, V_p = jnp.moveaxis(colorimetry.RGB_to_HSV(pred), -1, 0)
    H_t, S_t, V_t = jnp.moveaxis(colorimetry.RGB_to_HSV(target), -1, 0)
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
    x = as_float(x)
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
      reduction: ``"mean"`` (default) or ``"sum"`` over images, or ``"none"``:
        the channel mean per image, ``[...]``.
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
    space: str,
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
      pred: ``[..., H, W, 3]`` images in ``space``.
      space: the inputs' space, required (``SPACES``; see ``delta_e``), e.g.
        ``"sRGB"`` for images in [0, 1].
      illuminant: the Lab white, as in ``delta_e``.
      epsilon: keeps the logarithm finite for a flat image (its gradient there
        is 0, not NaN).
      axes: the pixel axes.
      reduction: ``"mean"`` (default) or ``"sum"`` over images, or ``"none"``:
        the loss per image, ``[...]``.
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
      reduction: ``"mean"`` (default) or ``"sum"`` over images, or ``"none"``:
        the mean over frequencies and channels per image, ``[...]``.
    """
    e = jnp.asarray(pred) - jnp.asarray(target)
    axes = _pixel_axes(e, axes)
    spectrum = jnp.fft.fftn(e, axes=axes, norm="ortho")
    per_element = jnp.abs(spectrum.real) + jnp.abs(spectrum.imag)
    return _reduce(jnp.mean(per_element, axis=(*axes, -1)), reduction)
