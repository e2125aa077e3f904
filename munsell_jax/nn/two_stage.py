"""Two-stage: a base model plus an error predictor that sees [input, base output].

Composes two families of ``munsell_jax.nn`` rather than re-implementing either:
``y = base(x) + error([x, base(x)])``. A three-stage cascade is a two-stage
model whose base is itself two-stage. Training the base first and then the
error predictor on its residuals, the base frozen, is the training loop's job
(``config.opt.stage_epochs``).

With hue-family code logits (``code_logits > 0``, the last outputs of the
base), the error predictor corrects only the regressed outputs and the logits
pass through. A *code-aware* error predictor sees ``[x, regressed outputs,
one-hot code]`` (3 + 3 + 10 = 16 features for xyY -> Munsell) instead of the
raw logits.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from flax import nnx

__all__ = ["Model"]


DEFAULT_BASE = {"name": "multi_head"}  # the base when a config names none


class Model(nnx.Module):
    """``base`` and ``error`` are ``{"name": family, **arguments}`` dicts.

    Args:
      in_features, out_features: as every family.
      base: the base model (default Multi-Head).
      error: the error predictor (default MLP 128-256-128).
      code_logits: how many trailing outputs are code logits (0 for none).
      code_aware: feed the error predictor the one-hot code instead of logits.
      rngs: ``nnx.Rngs``.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        base: dict | None = None,
        error: dict | None = None,
        *,
        code_logits: int = 0,
        code_aware: bool = False,
        rngs: nnx.Rngs,
    ):
        from munsell_jax.nn import get_model

        if code_aware and not code_logits:
            raise ValueError("code_aware needs code_logits > 0")
        base = dict(base or DEFAULT_BASE)
        error = dict(error or {"name": "mlp", "widths": (128, 256, 128)})
        self.n_corrected = out_features - code_logits
        self.code_aware = code_aware
        self.base = get_model(
            base.pop("name"), in_features=in_features, out_features=out_features, rngs=rngs, **base
        )
        self.error = get_model(
            error.pop("name"),
            in_features=in_features + out_features,
            out_features=self.n_corrected,
            rngs=rngs,
            **error,
        )

    def __call__(self, x_BxI: jax.Array) -> jax.Array:
        base_BxO = self.base(x_BxI)
        regressed_BxR, logits_BxK = base_BxO[:, : self.n_corrected], base_BxO[:, self.n_corrected :]
        if self.code_aware:
            code_BxK = jax.nn.one_hot(jnp.argmax(logits_BxK, axis=-1), logits_BxK.shape[-1])
            seen_BxF = jnp.concatenate([x_BxI, regressed_BxR, code_BxK], axis=-1)
        else:
            seen_BxF = jnp.concatenate([x_BxI, base_BxO], axis=-1)
        corrected_BxR = regressed_BxR + self.error(seen_BxF)
        return jnp.concatenate([corrected_BxR, logits_BxK], axis=-1)
