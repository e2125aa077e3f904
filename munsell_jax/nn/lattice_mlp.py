"""Lattice MLP: a learned embedding on the renotation lattice, then a residual MLP.

The renotation interpolates its table linearly between hue steps of 2.5,
integer values (linearly in luminance) and even chromas, so Munsell -> xyY has
its kinks on that lattice, where a smooth network rounds them off. This model
keeps a learned feature vector at every lattice point and reads the one at a
specification by multilinear interpolation between the 8 surrounding points
(a grid encoding, as in lattice regression or Instant-NGP): piecewise linear
with its kinks exactly where the renotation's are. A residual MLP maps the
interpolated features, with the smooth ``harmonic`` inputs, to the outputs.

It reads the ``grid`` input layout of ``munsell_jax.encoding.specification_inputs``:
the ``harmonic`` columns, then three lattice coordinates: ASTM hue / 2.5 in
[0, 40) (periodic), the value coordinate (integer values at the integers,
linear in luminance between them) in [0, 10], and chroma / 2.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from flax import nnx

from munsell_jax.arrays import floor_mod
from munsell_jax.nn import residual_mlp
from munsell_jax.renotation import value_to_luminance

__all__ = ["Model", "corners", "trilinear"]


def corners(u_B: jax.Array, n: int, *, periodic: bool):
    """Lower and upper lattice indices of coordinates ``u`` and the fraction
    between them: ``(i0, i1, f)``, indices in [0, n) (clamped, or wrapped
    when ``periodic``). A non-finite coordinate gets the indices of 0 and a
    NaN fraction, so its row is NaN: an index out of range would fail the whole
    batch in an ONNX Gather, where XLA clamps it."""
    finite_B = jnp.isfinite(u_B)
    u_B = jnp.where(finite_B, u_B, 0.0)
    if periodic:
        u_B = floor_mod(u_B, n)  # [0, n)
        lower = jnp.floor(u_B)
        upper = lower + 1
        upper = jnp.where(upper >= n, upper - n, upper)
    else:
        u_B = jnp.clip(u_B, 0.0, n - 1.0)
        lower = jnp.minimum(jnp.floor(u_B), n - 2.0)
        upper = lower + 1
    fraction_B = jnp.where(finite_B, u_B - lower, jnp.nan)
    return lower.astype(jnp.int32), upper.astype(jnp.int32), fraction_B


def trilinear(table_AxBxCxF: jax.Array, *axes) -> jax.Array:
    """``[B, F]``: the rows of ``table`` multilinearly interpolated between the
    8 lattice points about each coordinate, given as ``corners`` of its three
    axes (``(i0, i1, fraction)`` each)."""
    (a0, a1, fa), (b0, b1, fb), (c0, c1, fc) = axes
    out = 0.0
    for a, wa in ((a0, 1 - fa), (a1, fa)):
        for b, wb in ((b0, 1 - fb), (b1, fb)):
            for c, wc in ((c0, 1 - fc), (c1, fc)):
                out = out + (wa * wb * wc)[:, None] * table_AxBxCxF[a, b, c]
    return out


def _luminance(v_B: jax.Array) -> jax.Array:
    """Luminance Y in [0, 1] at value coordinates (linear in Y between integer
    values, so Y is the ASTM D1535 polynomial of the value itself)."""
    lower = jnp.clip(jnp.floor(v_B), 0.0, 9.0)
    below, above = value_to_luminance(lower), value_to_luminance(lower + 1)
    return below + (v_B - lower) * (above - below)


class Model(nnx.Module):
    """Lattice MLP ``[B, in_features] -> [B, out_features]``.

    Args:
      in_features: input width: the ``grid`` layout (the last three columns
        are the lattice coordinates, the rest go to the MLP as they are).
      out_features: output width.
      features: width of the feature vector at each lattice point.
      hue_steps, values, chromas: lattice size (40 hue steps of 2.5, values
        0..10, chromas 0, 2, ..., 50). Chroma 0 holds one vector per value,
        shared by every hue, so a grey is one point, as its colour is.
      width, depth: the residual MLP's.
      linear_readout: add a linear map of the lattice features to the outputs.
      exact_luminance: the last output is the luminance Y of the value
        coordinate (ASTM D1535, in [0, 1]), not learned (Munsell -> xyY).
      rngs: ``nnx.Rngs``.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        features: int = 16,
        width: int = 256,
        depth: int = 2,
        hue_steps: int = 40,
        values: int = 11,
        chromas: int = 26,
        linear_readout: bool = False,
        exact_luminance: bool = False,
        *,
        rngs: nnx.Rngs,
    ):
        init = nnx.initializers.normal(0.1)
        self.shape = (hue_steps, values, chromas)
        self.exact_luminance = exact_luminance
        learned = out_features - 1 if exact_luminance else out_features
        self.table = nnx.Param(init(rngs.params(), (hue_steps, values, chromas - 1, features)))
        self.grey = nnx.Param(init(rngs.params(), (values, features)))
        self.readout = nnx.Linear(features, learned, rngs=rngs) if linear_readout else None
        self.mlp = residual_mlp.Model(in_features - 3 + features, learned, width, depth, rngs=rngs)

    def embedding(self, t_B: jax.Array, v_B: jax.Array, c_B: jax.Array) -> jax.Array:
        """The lattice features ``[B, features]`` at lattice coordinates (hue
        step, value, chroma / 2), multilinearly interpolated."""
        n_hue, n_value, n_chroma = self.shape
        grey = jnp.broadcast_to(
            self.grey[None, :, None, :], (n_hue, n_value, 1, self.grey.shape[-1])
        )
        table = jnp.concatenate([grey, self.table[...]], axis=2)
        return trilinear(
            table,
            corners(t_B, n_hue, periodic=True),
            corners(v_B, n_value, periodic=False),
            corners(c_B, n_chroma, periodic=False),
        )

    def __call__(self, x_BxI: jax.Array) -> jax.Array:
        features_BxF = self.embedding(x_BxI[:, -3], x_BxI[:, -2], x_BxI[:, -1])
        out_BxO = self.mlp(jnp.concatenate([x_BxI[:, :-3], features_BxF], axis=-1))
        if self.readout is not None:
            out_BxO = out_BxO + self.readout(features_BxF)
        if self.exact_luminance:
            out_BxO = jnp.concatenate([out_BxO, _luminance(x_BxI[:, -2])[:, None]], axis=-1)
        return out_BxO
