"""Residual MLP: a projection, pre-norm residual blocks of two Linears, a head."""

from __future__ import annotations

import jax
from flax import nnx

__all__ = ["Model"]


class _Block(nnx.Module):
    """``h + linear2(silu(linear1(norm(h))))``: the identity path carries the
    signal through depth, so the blocks learn corrections."""

    def __init__(self, width: int, *, rngs: nnx.Rngs):
        self.norm = nnx.LayerNorm(width, rngs=rngs)
        self.linear1 = nnx.Linear(width, width, rngs=rngs)
        self.linear2 = nnx.Linear(width, width, rngs=rngs)

    def __call__(self, h_BxW: jax.Array) -> jax.Array:
        return h_BxW + self.linear2(nnx.silu(self.linear1(self.norm(h_BxW))))


class Model(nnx.Module):
    """Residual MLP ``[B, in_features] -> [B, out_features]``.

    Args:
      in_features: input width.
      out_features: output width.
      width: width of the residual stream.
      depth: number of residual blocks (two Linears each).
      rngs: ``nnx.Rngs``.

    With width 256 and depth 2 it has about 266K parameters.
    """

    def __init__(
        self, in_features: int, out_features: int, width: int = 256, depth: int = 2, *, rngs
    ):
        self.embed = nnx.Linear(in_features, width, rngs=rngs)
        self.blocks = nnx.List([_Block(width, rngs=rngs) for _ in range(depth)])
        self.norm = nnx.LayerNorm(width, rngs=rngs)
        self.out = nnx.Linear(width, out_features, rngs=rngs)

    def __call__(self, x_BxI: jax.Array) -> jax.Array:
        h_BxW = self.embed(x_BxI)
        for block in self.blocks:
            h_BxW = block(h_BxW)
        return self.out(nnx.silu(self.norm(h_BxW)))
