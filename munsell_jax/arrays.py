"""Array helpers the core modules share: float promotion and arithmetic that
works on numpy and JAX arrays alike and exports to ONNX."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp

__all__ = ["arctan2", "as_float", "check_last_axis", "floor_mod", "interp", "polyval"]


def as_float(x: jax.typing.ArrayLike) -> jax.Array:
    """As a JAX array of float32 or float64: float32 and float64 kept, integers
    and booleans promoted to the default float, and float16 / bfloat16 upcast to
    float32 (their 3-4 significant digits cannot carry a colour conversion)."""
    x = jnp.asarray(x)
    if not jnp.issubdtype(x.dtype, jnp.floating):
        x = x.astype(jnp.result_type(float))
    elif jnp.finfo(x.dtype).bits < 32:
        x = x.astype(jnp.float32)
    return x


def floor_mod(x, d, xp=jnp):
    """``x mod d`` in [0, d) for ``d > 0``, as ``x - d floor(x / d)`` on ``xp``
    (numpy or jax.numpy): exact on the small integers and hues it meets here,
    and exportable to ONNX (jax2onnx cannot lower ``jnp.mod`` with a symbolic
    batch dimension)."""
    return x - d * xp.floor(x / d)


def interp(x: jax.Array, xp: jax.Array, fp: jax.Array) -> jax.Array:
    """``jnp.interp(x, xp, fp)`` (same arithmetic, values clamped outside ``xp``)
    for a short table ``xp`` (increasing, distinct): the interval is found by
    comparing ``x`` with every knot, not by ``jnp.searchsorted``'s loop, which
    costs a while loop per call on CPU and does not export to ONNX."""
    i = jnp.clip(jnp.sum(xp <= x[..., None], axis=-1), 1, len(xp) - 1)  # searchsorted, right
    f = fp[i - 1] + ((x - xp[i - 1]) / (xp[i] - xp[i - 1])) * (fp[i] - fp[i - 1])
    return jnp.where(x < xp[0], fp[0], jnp.where(x > xp[-1], fp[-1], f))


def polyval(coefficients: tuple[float, ...], x):
    """Horner's rule, lowest power first, on a numpy or JAX array (``x * 0``:
    either's zeros)."""
    result = x * 0.0
    for c in reversed(coefficients):
        result = result * x + c
    return result


def check_last_axis(x, width: int, name: str) -> None:
    """Raise a one-line ValueError unless ``x`` has shape ``[..., width]``: a
    wrong width is an error at the public entry, never a silent broadcast."""
    if x.ndim == 0 or x.shape[-1] != width:
        raise ValueError(f"{name} must have shape [..., {width}], got {x.shape}")


_ATAN_TERMS = 11  # series terms after two halvings: |z| <= tan(pi / 16), error below 1e-17


def arctan2(y: jax.Array, x: jax.Array) -> jax.Array:
    """``jnp.arctan2(y, x)`` in (-pi, pi] from ``+ - * /`` and ``sqrt`` only.

    ONNX runtimes compute ``Atan`` in float32 only, so jax2onnx casts a
    float64 ``arctan2`` down and back: this keeps an exported float64 graph
    float64 (to within 2 ulp of ``jnp.arctan2``). The ratio of the smaller
    to the larger of ``|x|, |y|`` is halved twice
    (``atan z = 2 atan(z / (1 + sqrt(1 + z^2)))``) and its arctangent summed as
    a series. ``arctan2(0, 0)`` is 0; its derivative there is not finite (as
    ``jnp.arctan2``'s).
    """
    ax, ay = jnp.abs(x), jnp.abs(y)
    swap = ay > ax
    num, den = jnp.where(swap, ax, ay), jnp.where(swap, ay, ax)
    z = num / jnp.where(den == 0, 1.0, den)  # in [0, 1]
    for _ in range(2):
        z = z / (1 + jnp.sqrt(1 + z * z))
    z2 = z * z
    series = jnp.zeros_like(z)
    for k in reversed(range(_ATAN_TERMS)):
        series = (-1) ** k / (2 * k + 1) + z2 * series
    angle = 4 * z * series
    angle = jnp.where(swap, math.pi / 2 - angle, angle)
    angle = jnp.where(x < 0, math.pi - angle, angle)
    return jnp.where(y < 0, -angle, angle)
