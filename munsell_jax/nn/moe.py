"""Mixture of Experts: MLP experts mixed by a softmax gate on the input."""

from __future__ import annotations

from collections.abc import Sequence

import jax
import jax.numpy as jnp
from flax import nnx

from munsell_jax.nn import mlp

__all__ = ["Model"]


class Model(nnx.Module):
    """``sum_e softmax(gate(x))_e expert_e(x)`` over ``n_experts`` MLP experts."""

    def __init__(
        self,
        in_features: int,
        out_features: int,
        n_experts: int = 4,
        widths: Sequence[int] = (128, 256, 128),
        gate_widths: Sequence[int] = (64,),
        *,
        layer_norm: bool = True,
        rngs: nnx.Rngs,
    ):
        self.experts = nnx.List(
            [
                mlp.Model(in_features, out_features, widths, layer_norm=layer_norm, rngs=rngs)
                for _ in range(n_experts)
            ]
        )
        self.gate = mlp.Model(in_features, n_experts, gate_widths, layer_norm=False, rngs=rngs)

    def __call__(self, x_BxI: jax.Array) -> jax.Array:
        weights_BxE = jax.nn.softmax(self.gate(x_BxI), axis=-1)
        outputs_BxExO = jnp.stack([expert(x_BxI) for expert in self.experts], axis=1)
        return jnp.einsum("be,beo->bo", weights_BxE, outputs_BxExO)
