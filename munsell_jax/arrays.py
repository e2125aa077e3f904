"""Array helpers the core modules share: float promotion and arithmetic that
works on numpy and JAX arrays alike and exports to ONNX."""

from __future__ import annotations

import jax
import jax.numpy as jnp

__all__ = ["as_float", "check_last_axis", "floor_mod", "polyval"]


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
