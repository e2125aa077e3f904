"""Deep + Wide: an MLP plus a linear model on the inputs and their pairwise products."""

from __future__ import annotations

from collections.abc import Sequence

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

from munsell_jax.nn import mlp

__all__ = ["Model"]


class Model(nnx.Module):
    """``deep(x) + wide([x, x_i x_j])``; ``widths`` are the deep path's hidden widths."""

    def __init__(
        self,
        in_features: int,
        out_features: int,
        widths: Sequence[int] = (256, 512, 256),
        *,
        layer_norm: bool = True,
        rngs: nnx.Rngs,
    ):
        self.deep = mlp.Model(in_features, out_features, widths, layer_norm=layer_norm, rngs=rngs)
        n_crosses = in_features * (in_features + 1) // 2
        self.wide = nnx.Linear(in_features + n_crosses, out_features, rngs=rngs)

    def __call__(self, x_BxI: jax.Array) -> jax.Array:
        rows, cols = np.triu_indices(x_BxI.shape[-1])  # static: the input width
        crosses_BxC = x_BxI[:, rows] * x_BxI[:, cols]
        return self.deep(x_BxI) + self.wide(jnp.concatenate([x_BxI, crosses_BxC], axis=-1))
