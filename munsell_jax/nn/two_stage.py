"""Two-stage: a base model plus an error predictor that sees [input, base output].

Composes two families of ``munsell_jax.nn`` rather than re-implementing either:
``y = base(x) + error([x, base(x)])``. Training the base first and then the
error predictor on its residuals (the base frozen) is the training loop's job.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from flax import nnx

__all__ = ["Model"]


class Model(nnx.Module):
    """``base`` and ``error`` are ``{"name": family, **arguments}`` dicts."""

    def __init__(
        self,
        in_features: int,
        out_features: int,
        base: dict | None = None,
        error: dict | None = None,
        *,
        rngs: nnx.Rngs,
    ):
        from munsell_jax.nn import get_model

        base = dict(base or {"name": "multi_head"})
        error = dict(error or {"name": "mlp", "widths": (128, 256, 128)})
        self.base = get_model(
            base.pop("name"), in_features=in_features, out_features=out_features, rngs=rngs, **base
        )
        self.error = get_model(
            error.pop("name"),
            in_features=in_features + out_features,
            out_features=out_features,
            rngs=rngs,
            **error,
        )

    def __call__(self, x_BxI: jax.Array) -> jax.Array:
        base_BxO = self.base(x_BxI)
        return base_BxO + self.error(jnp.concatenate([x_BxI, base_BxO], axis=-1))
