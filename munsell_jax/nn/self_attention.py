"""MLP + Self-Attention: an MLP encoder whose features are cut into tokens and attended."""

from __future__ import annotations

from collections.abc import Sequence

import jax
from flax import nnx

from munsell_jax.nn import mlp

__all__ = ["Model"]


class Model(nnx.Module):
    """Encoder ``in -> tokens * dim``, one pre-LN self-attention block, MLP head."""

    def __init__(
        self,
        in_features: int,
        out_features: int,
        encoder: Sequence[int] = (128, 256),
        tokens: int = 8,
        dim: int = 64,
        heads: int = 4,
        head: Sequence[int] = (256, 128),
        *,
        rngs: nnx.Rngs,
    ):
        self.tokens, self.dim = tokens, dim
        self.encoder = mlp.Model(in_features, tokens * dim, encoder, rngs=rngs)
        self.norm = nnx.LayerNorm(dim, rngs=rngs)
        self.attention = nnx.MultiHeadAttention(
            heads, dim, decode=False, keep_rngs=False, rngs=rngs
        )
        self.head = mlp.Model(tokens * dim, out_features, head, rngs=rngs)

    def __call__(self, x_BxI: jax.Array) -> jax.Array:
        h_BxTxD = nnx.silu(self.encoder(x_BxI)).reshape(-1, self.tokens, self.dim)
        h_BxTxD = h_BxTxD + self.attention(self.norm(h_BxTxD))
        return self.head(h_BxTxD.reshape(-1, self.tokens * self.dim))
