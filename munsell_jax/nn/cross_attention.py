"""Cross-attention error predictor: one learned query per output attends to the inputs.

Every input feature becomes a token (a feature tokenizer, as in the
FT-Transformer); ``out_features`` learned query tokens cross-attend to them,
pass a feed-forward block, and each query reads out one number. Used as the
error predictor of a two-stage model, where the inputs are ``[xyY, base
outputs]``: each correction looks at the colour and at every base output.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from flax import nnx

__all__ = ["Model"]


class Model(nnx.Module):
    """``[B, in_features] -> [B, out_features]`` by ``depth`` cross-attention blocks."""

    def __init__(
        self,
        in_features: int,
        out_features: int,
        dim: int = 64,
        heads: int = 4,
        depth: int = 2,
        ffn_factor: int = 2,
        *,
        rngs: nnx.Rngs,
    ):
        init = jax.nn.initializers.normal(0.02)
        self.weight = nnx.Param(init(rngs.params(), (in_features, dim)))
        self.bias = nnx.Param(init(rngs.params(), (in_features, dim)))
        self.queries = nnx.Param(init(rngs.params(), (out_features, dim)))
        self.context_norm = nnx.LayerNorm(dim, rngs=rngs)
        self.query_norms = nnx.List([nnx.LayerNorm(dim, rngs=rngs) for _ in range(depth)])
        self.attentions = nnx.List(
            [
                nnx.MultiHeadAttention(heads, dim, decode=False, keep_rngs=False, rngs=rngs)
                for _ in range(depth)
            ]
        )
        self.ffn_norms = nnx.List([nnx.LayerNorm(dim, rngs=rngs) for _ in range(depth)])
        self.ups = nnx.List([nnx.Linear(dim, ffn_factor * dim, rngs=rngs) for _ in range(depth)])
        self.downs = nnx.List([nnx.Linear(ffn_factor * dim, dim, rngs=rngs) for _ in range(depth)])
        self.out = nnx.Linear(dim, 1, rngs=rngs)

    def __call__(self, x_BxI: jax.Array) -> jax.Array:
        context_BxIxD = self.context_norm(x_BxI[..., None] * self.weight[...] + self.bias[...])
        q_BxOxD = jnp.broadcast_to(self.queries[...], (x_BxI.shape[0], *self.queries[...].shape))
        for i in range(len(self.attentions)):
            q_BxOxD = q_BxOxD + self.attentions[i](
                self.query_norms[i](q_BxOxD), context_BxIxD, context_BxIxD
            )
            q_BxOxD = q_BxOxD + self.downs[i](nnx.silu(self.ups[i](self.ffn_norms[i](q_BxOxD))))
        return self.out(q_BxOxD)[..., 0]
