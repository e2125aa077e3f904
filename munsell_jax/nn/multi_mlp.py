"""Multi-MLP: one independent MLP branch per output."""

from __future__ import annotations

from collections.abc import Sequence

import jax
import jax.numpy as jnp
from flax import nnx

from munsell_jax.nn import mlp

__all__ = ["Model"]


class Model(nnx.Module):
    """Independent branches ``in -> widths -> 1``, one per output.

    Args:
      in_features: input width.
      out_features: number of outputs (one branch each).
      widths: hidden widths of a branch.
      wide_outputs: outputs whose branch is ``wide_factor`` times wider
        (chroma, index 2, for xyY -> Munsell).
      wide_factor: width multiplier of the wide branches.
      layer_norm: LayerNorm after each hidden Linear.
      code_logits: the last ``code_logits`` outputs (hue-family logits) come
        from one branch of that width (0 for none).
      rngs: ``nnx.Rngs``.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        widths: Sequence[int] = (128, 256, 512, 256, 128),
        wide_outputs: Sequence[int] = (2,),
        wide_factor: int = 2,
        *,
        layer_norm: bool = True,
        code_logits: int = 0,
        rngs: nnx.Rngs,
    ):
        self.branches = nnx.List(
            [
                mlp.Model(
                    in_features,
                    1,
                    [w * (wide_factor if i in wide_outputs else 1) for w in widths],
                    layer_norm=layer_norm,
                    rngs=rngs,
                )
                for i in range(out_features - code_logits)
            ]
        )
        self.code = (
            mlp.Model(in_features, code_logits, widths, layer_norm=layer_norm, rngs=rngs)
            if code_logits
            else None
        )

    def __call__(self, x_BxI: jax.Array) -> jax.Array:
        outputs = [branch(x_BxI) for branch in self.branches]
        if self.code is not None:
            outputs.append(self.code(x_BxI))
        return jnp.concatenate(outputs, axis=-1)
