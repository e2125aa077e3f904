"""The converters' training objectives, used by ``munsell_jax.lab.train``.

All functions are pure ``jnp`` on ``[B, ...]`` arrays, jit- and grad-able, and
take their options as keywords. Errors are in the model's normalised units
(hue/10, value/10, chroma/50, or xyY), so a Huber ``delta`` of 0.01 is 0.1 hue
steps, 0.1 value steps or 0.5 chroma steps. The colour losses any JAX model
can use (Delta E, the Munsell round trip, image losses) are public, in
``munsell_jax.losses``.

The losses of the published comparison:

- ``mse``, ``mae``, ``huber``;
- ``precision``: 1.0 MSE + 0.5 MAE + 0.3 log penalty + 0.5 Huber (delta 0.01),
  where the log penalty ``log(1 + |e| / 0.01)`` keeps a steep gradient for
  errors far below the Huber knee (the part MSE stops caring about);
- the weighted boundary loss: ``boundary_weights`` (3x on Y, GY and G hues at
  high value and chroma, where the published models erred most) times any of
  the above, plus ``gamut_penalty`` on chroma predicted beyond the renotation
  data;
- the circular hue loss: hue error taken modulo one family (``circular_hue``
  of ``regression_errors``); published as a negative result (hue 10 of a
  family is hue 0 of the *next* family, not of the same one), kept to
  reproduce it;
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
    "UncertaintyWeighting",
    "boundary_weights",
    "code_cross_entropy",
    "elementwise_loss",
    "gamut_penalty",
    "regression_errors",
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
