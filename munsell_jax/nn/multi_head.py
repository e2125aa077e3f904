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
      code_logits: the last ``code_logits`` outputs (hue-family logits) come
        from one head of that width (0 for none).
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
        code_logits: int = 0,
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
                for i in range(out_features - code_logits)
            ]
        )
        self.code = (
            mlp.Model(width, code_logits, head, layer_norm=layer_norm, rngs=rngs)
            if code_logits
            else None
        )

    def __call__(self, x_BxI: jax.Array) -> jax.Array:
        h_BxH = nnx.silu(self.encoder(x_BxI))
        outputs = [head(h_BxH) for head in self.heads]
        if self.code is not None:
            outputs.append(self.code(h_BxH))
        return jnp.concatenate(outputs, axis=-1)
