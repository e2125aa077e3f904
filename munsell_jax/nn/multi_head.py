"""Multi-Head: a shared MLP encoder and one MLP head per output."""

from __future__ import annotations

from collections.abc import Sequence

import jax
import jax.numpy as jnp
from flax import nnx

from munsell_jax.nn import mlp

__all__ = ["Model"]


class Model(nnx.Module):
    """Shared encoder ``in -> encoder[-1]``, then ``out_features`` heads of one output each.

    Args:
      in_features: input width.
      out_features: number of outputs (one head each).
      encoder: encoder widths (its last width feeds the heads).
      head: hidden widths of each head.
      wide_head: hidden widths of the heads listed in ``wide_outputs``.
      wide_outputs: outputs with the wide head (chroma, index 2, for xyY -> Munsell).
      layer_norm: LayerNorm after each hidden Linear.
      rngs: ``nnx.Rngs``.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        encoder: Sequence[int] = (128, 256, 512),
        head: Sequence[int] = (256, 128),
        wide_head: Sequence[int] = (384, 256, 128),
        wide_outputs: Sequence[int] = (2,),
        *,
        layer_norm: bool = True,
        rngs: nnx.Rngs,
    ):
        *hidden, width = encoder
        self.encoder = mlp.Model(in_features, width, hidden, layer_norm=layer_norm, rngs=rngs)
        self.heads = nnx.List(
            [
                mlp.Model(
                    width,
                    1,
                    wide_head if i in wide_outputs else head,
                    layer_norm=layer_norm,
                    rngs=rngs,
                )
                for i in range(out_features)
            ]
        )

    def __call__(self, x_BxI: jax.Array) -> jax.Array:
        h_BxH = nnx.silu(self.encoder(x_BxI))
        return jnp.concatenate([head(h_BxH) for head in self.heads], axis=-1)
