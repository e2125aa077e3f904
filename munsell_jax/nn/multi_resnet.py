"""Multi-ResNet: one residual MLP branch per output (BatchNorm or LayerNorm, SiLU)."""

from __future__ import annotations

from collections.abc import Sequence

import jax
import jax.numpy as jnp
from flax import nnx

__all__ = ["Model"]


class _Layer(nnx.Module):
    """``silu(norm(linear(h))) + skip(h)``; the skip is a bias-free projection
    where the width changes."""

    def __init__(self, a: int, b: int, norm: str, *, rngs: nnx.Rngs):
        self.linear = nnx.Linear(a, b, rngs=rngs)
        if norm == "batch":
            self.norm = nnx.BatchNorm(b, momentum=0.9, rngs=rngs)
        elif norm == "layer":
            self.norm = nnx.LayerNorm(b, rngs=rngs)
        else:
            raise ValueError(f"norm must be 'batch' or 'layer', not {norm!r}")
        self.skip = None if a == b else nnx.Linear(a, b, use_bias=False, rngs=rngs)

    def __call__(self, h_BxA: jax.Array) -> jax.Array:
        skip_BxB = h_BxA if self.skip is None else self.skip(h_BxA)
        return nnx.silu(self.norm(self.linear(h_BxA))) + skip_BxB


class _Branch(nnx.Module):
    def __init__(self, a: int, out: int, widths: Sequence[int], norm: str, *, rngs: nnx.Rngs):
        sizes = [a, *widths]
        self.layers = nnx.List(
            [_Layer(p, q, norm, rngs=rngs) for p, q in zip(sizes[:-1], sizes[1:], strict=True)]
        )
        self.out = nnx.Linear(sizes[-1], out, rngs=rngs)

    def __call__(self, h_BxH: jax.Array) -> jax.Array:
        for layer in self.layers:
            h_BxH = layer(h_BxH)
        return self.out(h_BxH)


class Model(nnx.Module):
    """Independent residual branches ``in -> widths -> 1`` (six layers by default).

    Args:
      in_features: input width.
      out_features: number of outputs: one branch each, except that the last
        ``code_logits`` outputs come from one shared branch.
      widths: hidden widths of a branch (the published 256-512-512-512-256).
      wide_outputs: outputs whose branch is ``wide_factor`` times wider (chroma).
      wide_factor: width multiplier of the wide branches.
      norm: ``"layer"`` or ``"batch"`` (BatchNorm keeps running statistics:
        call ``model.eval()`` before predicting).
      code_logits: width of the code-logit branch (0 for none).
      rngs: ``nnx.Rngs``.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        widths: Sequence[int] = (256, 512, 512, 512, 256),
        wide_outputs: Sequence[int] = (2,),
        wide_factor: int = 2,
        *,
        norm: str = "layer",
        code_logits: int = 0,
        rngs: nnx.Rngs,
    ):
        n_branches = out_features - code_logits
        self.branches = nnx.List(
            [
                _Branch(
                    in_features,
                    1,
                    [w * (wide_factor if i in wide_outputs else 1) for w in widths],
                    norm,
                    rngs=rngs,
                )
                for i in range(n_branches)
            ]
        )
        self.code = (
            _Branch(in_features, code_logits, widths, norm, rngs=rngs) if code_logits else None
        )

    def __call__(self, x_BxI: jax.Array) -> jax.Array:
        outputs = [branch(x_BxI) for branch in self.branches]
        if self.code is not None:
            outputs.append(self.code(x_BxI))
        return jnp.concatenate(outputs, axis=-1)
