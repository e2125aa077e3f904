"""A plain multilayer perceptron: Linear -> (LayerNorm) -> SiLU, repeated, then Linear."""

from __future__ import annotations

from collections.abc import Sequence

import jax
from flax import nnx

__all__ = ["Model"]


class Model(nnx.Module):
    """MLP ``[B, in_features] -> [B, out_features]`` on normalised inputs and outputs.

    Args:
      in_features: input width (3 for xyY, 4 for a specification).
      out_features: output width.
      widths: hidden layer widths, e.g. ``(128, 256, 512, 256, 128)``.
      layer_norm: LayerNorm after each hidden Linear.
      dropout: dropout rate after each hidden activation (0 disables).
      rngs: ``nnx.Rngs`` for the initialisation (and dropout).
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        widths: Sequence[int] = (128, 256, 128),
        *,
        layer_norm: bool = True,
        dropout: float = 0.0,
        rngs: nnx.Rngs,
    ):
        sizes = [in_features, *widths]
        self.hidden = nnx.List(
            [nnx.Linear(a, b, rngs=rngs) for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
        )
        self.norms = nnx.List([nnx.LayerNorm(b, rngs=rngs) for b in widths] if layer_norm else [])
        self.dropout = nnx.Dropout(dropout, rngs=rngs) if dropout else None
        self.out = nnx.Linear(sizes[-1], out_features, rngs=rngs)

    def __call__(self, x_BxI: jax.Array) -> jax.Array:
        h_BxH = x_BxI
        for i, linear in enumerate(self.hidden):
            h_BxH = linear(h_BxH)
            if len(self.norms):
                h_BxH = self.norms[i](h_BxH)
            h_BxH = nnx.silu(h_BxH)
            if self.dropout is not None:
                h_BxH = self.dropout(h_BxH)
        return self.out(h_BxH)
