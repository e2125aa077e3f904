"""FT-Transformer: each input feature a token (plus a CLS token), pre-LN Transformer blocks."""

from __future__ import annotations

import jax
import jax.numpy as jnp
from flax import nnx

__all__ = ["Model"]


class _Block(nnx.Module):
    def __init__(self, dim: int, heads: int, ffn: int, *, rngs: nnx.Rngs):
        self.norm1 = nnx.LayerNorm(dim, rngs=rngs)
        self.attention = nnx.MultiHeadAttention(
            heads, dim, decode=False, keep_rngs=False, rngs=rngs
        )
        self.norm2 = nnx.LayerNorm(dim, rngs=rngs)
        self.up = nnx.Linear(dim, ffn, rngs=rngs)
        self.down = nnx.Linear(ffn, dim, rngs=rngs)

    def __call__(self, h_BxTxD: jax.Array) -> jax.Array:
        h_BxTxD = h_BxTxD + self.attention(self.norm1(h_BxTxD))
        return h_BxTxD + self.down(nnx.silu(self.up(self.norm2(h_BxTxD))))


class Model(nnx.Module):
    """Feature tokenizer ``x_j w_j + b_j``, ``depth`` blocks, output from the CLS token.

    The larger Transformer of the published table is ``dim=128, depth=6``.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        dim: int = 64,
        depth: int = 3,
        heads: int = 4,
        ffn_factor: int = 2,
        *,
        rngs: nnx.Rngs,
    ):
        init = jax.nn.initializers.normal(0.02)
        self.weight = nnx.Param(init(rngs.params(), (in_features, dim)))
        self.bias = nnx.Param(init(rngs.params(), (in_features, dim)))
        self.cls = nnx.Param(init(rngs.params(), (1, 1, dim)))
        self.blocks = nnx.List(
            [_Block(dim, heads, ffn_factor * dim, rngs=rngs) for _ in range(depth)]
        )
        self.norm = nnx.LayerNorm(dim, rngs=rngs)
        self.out = nnx.Linear(dim, out_features, rngs=rngs)

    def __call__(self, x_BxI: jax.Array) -> jax.Array:
        tokens_BxIxD = x_BxI[..., None] * self.weight[...] + self.bias[...]
        cls_Bx1xD = jnp.broadcast_to(self.cls[...], (x_BxI.shape[0], 1, self.cls[...].shape[-1]))
        h_BxTxD = jnp.concatenate([cls_Bx1xD, tokens_BxIxD], axis=1)
        for block in self.blocks:
            h_BxTxD = block(h_BxTxD)
        return self.out(self.norm(h_BxTxD[:, 0]))
