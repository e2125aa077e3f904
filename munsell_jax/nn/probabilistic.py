"""Probabilistic polar-lattice MLP, xyY -> Munsell: a specification, a
distribution about it, and a bound on its own round-trip error.

The renotation is a table in Munsell space; seen from xyY, at a given value,
its hue follows the angle about the white point and its chroma the distance
from it, with kinks where the table's cells meet. Like the Lattice MLP of
Munsell -> xyY, this model keeps a learned feature vector on a lattice, here
over the ``polar`` input layout (``munsell_jax.encoding.xyY_inputs``): the
angle about the white point, the square root of the distance from it and the
value, and reads it by trilinear interpolation; a residual MLP maps those
features and the white-centred xyY to the outputs. The value is not learned:
it is ASTM D1535 of Y, the renotation's own (the last input column).

The inverse has its kinks where the renotation's cells meet, which are curves
in xy that no polar lattice follows. With ``cell_features``, a second stage
reads the first stage's answer on the renotation lattice itself (hue steps of
2.5, integer values, even chromas: a learned table as the Lattice MLP's, and
triangle waves of the answer's place in its cell, whose kinks are the cells'
edges) and adds a correction to the answer and the head.

Outputs (the ``probabilistic`` encoding, ``[B, 6]``): ``chroma/50 cos t,
chroma/50 sin t, value/10`` (``t`` the ASTM hue angle: the point answer, as
the ``cartesian`` encoding), then three raw head outputs, read by ``head``:

- the scale (radians) of a von Mises distribution of the hue angle about
  ``t`` (its concentration is ``1 / scale^2``; 10R = 0YR is the same angle, and
  near grey a wide scale says the hue is barely defined);
- the scale (chroma steps) of a normal distribution of the chroma about the
  predicted chroma;
- a Delta-E bound: the 90% quantile of the CIEDE2000 round-trip error of the
  point answer (``exact forward(specification)`` against the input), trained
  by the pinball loss (``bound_loss``).

``distribution`` gives the TensorFlow Probability distribution (JAX substrate,
``pip install 'munsell_jax[train]'``; imported when called) over ``{"hue":
angle, "chroma": chroma}``; ``sample_bound`` a Delta-E bound by sampling it
through the exact forward instead of the bound head.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import jax
import jax.numpy as jnp
from flax import nnx

from munsell_jax.arrays import arctan2, floor_mod
from munsell_jax.nn import residual_mlp
from munsell_jax.nn.lattice_mlp import corners, trilinear

__all__ = [
    "BOUND_QUANTILE",
    "CALIBRATION_FEATURES",
    "Calibrator",
    "Head",
    "Model",
    "bound_loss",
    "calibration_features",
    "distribution",
    "head",
    "pinball",
    "sample_bound",
]

BOUND_QUANTILE = 0.9  # the quantile of the round-trip CIEDE2000 the bound head learns
# Offsets of the raw head outputs (a freshly initialised head starts near
# them): hue scale exp(-4) rad (0.3 ASTM hue steps), chroma scale exp(-2),
# bound exp(-1.5) (CIEDE2000 0.22).
_HUE_OFFSET, _CHROMA_OFFSET, _BOUND_OFFSET = -4.0, -2.0, -1.5
_CELL_LATTICE = (40, 11, 26)  # the renotation's: hue steps of 2.5, values 0-10, chromas 0-50
_RAW_LIMIT = 12.0  # raw head outputs are clipped to +-this: no overflow in exp


class Head(NamedTuple):
    """The parameters an output row stands for (``head``), all ``[B]``.

    Attributes:
      hue_angle: ASTM hue angle ``t = 2 pi h / 100`` (radians, in (-pi, pi]).
      hue_scale: the von Mises scale of the hue angle (radians).
      chroma: predicted chroma (Munsell chroma steps, >= 0).
      chroma_scale: the normal scale of the chroma (chroma steps).
      value: Munsell value (ASTM D1535 of Y).
      delta_e_bound: the bound head's 90% quantile of the round-trip CIEDE2000.
    """

    hue_angle: jax.Array
    hue_scale: jax.Array
    chroma: jax.Array
    chroma_scale: jax.Array
    value: jax.Array
    delta_e_bound: jax.Array


def _log_raw(o_B: jax.Array, offset: float) -> jax.Array:
    return jnp.clip(o_B, -_RAW_LIMIT, _RAW_LIMIT) + offset


def _raw(o_B: jax.Array, offset: float) -> jax.Array:
    return jnp.exp(_log_raw(o_B, offset))


def pinball(error_B: jax.Array) -> jax.Array:
    """``[B]`` the pinball loss at ``BOUND_QUANTILE`` of ``error = target -
    prediction``: its minimiser over predictions is the target's quantile."""
    return jnp.maximum(BOUND_QUANTILE * error_B, (BOUND_QUANTILE - 1) * error_B)


def head(outputs_Bx6: jax.Array) -> Head:
    """Read the model's outputs ``[B, 6]`` as a ``Head`` (jit-able, no TFP)."""
    a, b, v = outputs_Bx6[:, 0], outputs_Bx6[:, 1], outputs_Bx6[:, 2]
    r2 = a**2 + b**2
    origin = r2 == 0
    # Double where: arctan2 and sqrt have no finite derivative at the origin.
    angle = jnp.where(origin, 0.0, arctan2(b, jnp.where(origin, 1.0, a)))
    chroma = 50 * jnp.where(origin, 0.0, jnp.sqrt(jnp.where(origin, 1.0, r2)))
    return Head(
        hue_angle=angle,
        hue_scale=_raw(outputs_Bx6[:, 3], _HUE_OFFSET),
        chroma=chroma,
        chroma_scale=_raw(outputs_Bx6[:, 4], _CHROMA_OFFSET),
        value=10 * v,
        delta_e_bound=_raw(outputs_Bx6[:, 5], _BOUND_OFFSET),
    )


CALIBRATION_FEATURES = 10  # the columns of calibration_features


def calibration_features(outputs_Bx6: jax.Array) -> jax.Array:
    """``[B, 10]``: what the calibrator reads of each answer (held constant).

    The log bound of the head, the answer's distances to the nearest hue step,
    even chroma and integer value (each in [0, 0.5]; 0 at a corner of a
    renotation cell, where a smooth network errs most), ``1 / (1 + chroma)``,
    ``value / 10``, the cosine and sine of the hue angle and the log scales of
    the hue and chroma distributions. Logs are read from the raw outputs and
    the cosine and sine from the answer's ``a, b``: no trigonometry, no
    logarithm (ONNX computes them in float32 only)."""
    o_Bx6 = jax.lax.stop_gradient(outputs_Bx6)
    h = head(o_Bx6)
    steps = floor_mod(h.hue_angle / (2 * math.pi), 1.0) * _CELL_LATTICE[0]
    distances = [jnp.abs(u - jnp.round(u)) for u in (steps, h.chroma / 2, h.value)]
    radius = h.chroma / 50
    grey = radius == 0
    safe = jnp.where(grey, 1.0, radius)
    cos = jnp.where(grey, 1.0, o_Bx6[:, 0] / safe)
    sin = jnp.where(grey, 0.0, o_Bx6[:, 1] / safe)
    log = [
        _log_raw(o_Bx6[:, i], offset)
        for i, offset in ((5, _BOUND_OFFSET), (3, _HUE_OFFSET), (4, _CHROMA_OFFSET))
    ]
    columns = [log[0], *distances, 1 / (1 + h.chroma), h.value / 10, cos, sin, *log[1:]]
    return jnp.stack(columns, -1)


class Calibrator(nnx.Module):
    """A quantile network: a correction of the log Delta-E bound from
    ``calibration_features`` (two SiLU layers of ``width``, then a linear
    output that starts at zero: a fresh calibrator changes nothing).

    Fitted after training, with the network frozen, by the pinball loss at
    ``BOUND_QUANTILE`` on fresh colours (``munsell_jax.lab.calibrate``), so
    that the bound covers 90% of colours wherever the answer lies in its cell.
    Its first layer holds the features' normalisation.
    """

    def __init__(self, width: int, *, rngs: nnx.Rngs):
        self.first = nnx.Linear(CALIBRATION_FEATURES, width, rngs=rngs)
        self.second = nnx.Linear(width, width, rngs=rngs)
        self.out = nnx.Linear(width, 1, kernel_init=nnx.initializers.zeros_init(), rngs=rngs)

    def __call__(self, features_BxF: jax.Array) -> jax.Array:
        """``[B]``: the correction added to the log bound."""
        h = jax.nn.silu(self.first(features_BxF))
        h = jax.nn.silu(self.second(h))
        return self.out(h)[:, 0]


def distribution(outputs_Bx6: jax.Array):
    """The predictive distribution of the hue angle and chroma of each row, a
    ``tfd.JointDistributionNamed`` over ``{"hue": VonMises, "chroma": Normal}``
    (batch ``[B]``): its ``log_prob`` and ``log_prob_parts`` score exact
    specifications (``hue`` the ASTM angle in radians), its ``sample`` draws
    them. The value is exact and not part of it.

    Raises:
      ImportError: TensorFlow Probability is not installed (it is in the
        ``[train]`` extra).
    """
    try:
        from tensorflow_probability.substrates import jax as tfp
    except ImportError as error:  # pragma: no cover - the [train] extra has it
        raise ImportError(
            "the predictive distribution needs tensorflow-probability (tfp-nightly): "
            "pip install 'munsell_jax[train]'"
        ) from error
    tfd = tfp.distributions
    h = head(outputs_Bx6)
    return tfd.JointDistributionNamed(
        {
            "hue": tfd.VonMises(loc=h.hue_angle, concentration=h.hue_scale**-2),
            "chroma": tfd.Normal(loc=h.chroma, scale=h.chroma_scale),
        }
    )


def bound_loss(outputs_Bx6: jax.Array, delta_e_B: jax.Array, weight_B: jax.Array) -> jax.Array:
    """The pinball loss at ``BOUND_QUANTILE`` of the log bound against the log
    of the actual round-trip CIEDE2000 ``delta_e`` (held constant), averaged
    with ``weight`` (0 leaves a row out): its minimiser is the quantile, and
    in logs it weighs a 0.01 colour like a 1.0 one."""
    target_B = jnp.log(jax.lax.stop_gradient(delta_e_B) + 1e-4)
    pinball_B = pinball(target_B - _log_raw(outputs_Bx6[:, 5], _BOUND_OFFSET))
    return jnp.sum(weight_B * pinball_B) / jnp.maximum(jnp.sum(weight_B), 1e-9)


def sample_bound(
    outputs_Bx6: jax.Array, key: jax.Array, *, samples: int = 64, quantile: float = BOUND_QUANTILE
) -> jax.Array:
    """``[B]`` a Delta-E bound by sampling: the ``quantile`` of the CIEDE2000
    between the exact forward of the point answer and of ``samples``
    specifications drawn from ``distribution`` (what the error would be were
    the truth a draw from it). The alternative to the bound head."""
    from munsell_jax.colorimetry import delta_E_CIE2000, xyY_to_Lab
    from munsell_jax.encoding import hue_from_astm
    from munsell_jax.renotation import munsell_to_xyY_unmasked, project_to_renotation

    h = head(outputs_Bx6)
    draws = distribution(outputs_Bx6).sample(samples, seed=key)  # each [S, B]

    def spec(angle, chroma):
        # A negative chroma draw is the same distance on the other side of grey.
        angle = jnp.where(chroma < 0, angle + math.pi, angle)
        hue, code = hue_from_astm(100 * angle / (2 * math.pi))
        chroma = jnp.abs(chroma)
        value = jnp.broadcast_to(h.value, chroma.shape)
        grey = chroma == 0
        zero = jnp.zeros_like(chroma)
        s = jnp.stack([jnp.where(grey, zero, hue), value, chroma, jnp.where(grey, zero, code)], -1)
        return project_to_renotation(s.astype(outputs_Bx6.dtype))

    def lab(s):
        xyY, _ = munsell_to_xyY_unmasked(s)
        return xyY_to_Lab(xyY)

    point_Bx3 = lab(spec(h.hue_angle, h.chroma))
    drawn_SxBx3 = lab(spec(draws["hue"], draws["chroma"]).reshape(-1, 4)).reshape(samples, -1, 3)
    delta_e_SxB = delta_E_CIE2000(drawn_SxBx3, point_Bx3[None])
    return jnp.quantile(jnp.nan_to_num(delta_e_SxB, nan=jnp.inf), quantile, axis=0)


class Model(nnx.Module):
    """Probabilistic polar-lattice MLP ``[B, 6] -> [B, 6]`` (the ``polar``
    inputs, the ``probabilistic`` outputs; see the module docstring).

    Args:
      in_features: 6 (the ``polar`` layout: three columns to the MLP, then the
        lattice coordinates angle / 2 pi, radius and value / 10).
      out_features: 6.
      features: width of the feature vector at each lattice point.
      angles, radii, values: lattice size: ``angles`` steps about the white
        point (periodic), ``radii`` steps of the radius coordinate from the
        white point, value planes 0..``values - 1``.
      width, depth: the residual MLP's.
      cell_features: 0 (one stage), or the width of the second stage's
        feature vectors on the renotation lattice (40 hue steps, 11 values,
        26 even chromas).
      cell_width: the second stage's residual MLP width (two blocks).
      calibrator: 0 (the bound head as trained), or the width of a
        ``Calibrator`` that corrects the log bound: fitted after training
        (``munsell_jax.lab.calibrate``; ``munsell-jax ship`` sets it), its
        parameters shipped with the model's.
      rngs: ``nnx.Rngs``.

    With the defaults, 72 x 32 x 11 lattice points of 16 features (405K
    parameters) and a 256-wide MLP of two blocks.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        features: int = 16,
        angles: int = 72,
        radii: int = 32,
        values: int = 11,
        width: int = 256,
        depth: int = 2,
        cell_features: int = 0,
        cell_width: int = 128,
        calibrator: int = 0,
        *,
        rngs: nnx.Rngs,
    ):
        if in_features != 6 or out_features != 6:
            raise ValueError(
                "the probabilistic model reads the 'polar' inputs (6) and writes the "
                f"'probabilistic' outputs (6), not {in_features} -> {out_features}"
            )
        self.shape = (angles, radii, values)
        init = nnx.initializers.normal(0.1)
        shape = (angles, radii, values, features)
        self.table = nnx.Param(init(rngs.params(), shape, jnp.float32))
        self.readout = nnx.Linear(features, 5, rngs=rngs)
        self.mlp = residual_mlp.Model(3 + features, 5, width, depth, rngs=rngs)
        self.cells = self.cell_mlp = None
        if cell_features:
            shape = (*_CELL_LATTICE, cell_features)
            self.cells = nnx.data(nnx.Param(init(rngs.params(), shape, jnp.float32)))
            n_in = 3 + 2 + cell_features + 3
            self.cell_mlp = nnx.data(residual_mlp.Model(n_in, 5, cell_width, 2, rngs=rngs))
            # The correction starts at zero: the second stage begins as the first.
            self.cell_mlp.out.kernel[...] = jnp.zeros_like(self.cell_mlp.out.kernel[...])
        self.calibrator = nnx.data(Calibrator(calibrator, rngs=rngs) if calibrator else None)

    def __call__(self, x_Bx6: jax.Array) -> jax.Array:
        n_angle, n_radius, n_value = self.shape
        features_BxF = trilinear(
            self.table[...],
            corners(x_Bx6[:, 3] * n_angle, n_angle, periodic=True),
            corners(x_Bx6[:, 4] * (n_radius - 1), n_radius, periodic=False),
            corners(x_Bx6[:, 5] * (n_value - 1), n_value, periodic=False),
        )
        out_Bx5 = self.mlp(jnp.concatenate([x_Bx6[:, :3], features_BxF], axis=-1))
        out_Bx5 = out_Bx5 + self.readout(features_BxF)
        if self.cells is not None:
            out_Bx5 = out_Bx5 + self._cell_stage(x_Bx6, out_Bx5)
        value_Bx1 = x_Bx6[:, 5:6]  # the value is ASTM D1535 of Y: not learned
        out_Bx6 = jnp.concatenate([out_Bx5[:, :2], value_Bx1, out_Bx5[:, 2:]], axis=-1)
        if self.calibrator is not None:  # a correction of the log bound
            correction_B = self.calibrator(calibration_features(out_Bx6))
            out_Bx6 = out_Bx6.at[:, 5].add(correction_B.astype(out_Bx6.dtype))
        return out_Bx6

    def _cell_stage(self, x_Bx6: jax.Array, out_Bx5: jax.Array) -> jax.Array:
        """The second stage's correction ``[B, 5]`` from the first answer's
        place on the renotation lattice (held constant: the lattice is read
        where the answer is, not moved by it)."""
        a_B, b_B = jax.lax.stop_gradient(out_Bx5[:, 0]), jax.lax.stop_gradient(out_Bx5[:, 1])
        h = head(jnp.stack([a_B, b_B, x_Bx6[:, 5]] + [jnp.zeros_like(a_B)] * 3, -1))
        steps_B = floor_mod(h.hue_angle / (2 * math.pi), 1.0) * _CELL_LATTICE[0]  # ASTM / 2.5
        chroma_B = h.chroma / 2
        value_B = h.value
        n_hue, n_value, n_chroma = _CELL_LATTICE
        features = trilinear(
            self.cells[...],
            corners(steps_B, n_hue, periodic=True),
            corners(value_B, n_value, periodic=False),
            corners(chroma_B, n_chroma, periodic=False),
        )
        # Triangle waves: 0 on a cell's edges, 0.5 half-way; kinks on the edges.
        waves = [jnp.abs(u - jnp.floor(u) - 0.5) for u in (steps_B, value_B, chroma_B)]
        inputs = jnp.concatenate(
            [x_Bx6[:, :3], jnp.stack([a_B, b_B], -1), features, jnp.stack(waves, -1)], axis=-1
        )
        return self.cell_mlp(inputs)
