"""How a Munsell specification is laid out as a network's outputs (xyY -> Munsell).

A model predicts a vector per colour; an *encoding* says what the vector
means. ``encode`` turns exact specifications into training targets,
``decode`` turns outputs back into specifications ``[hue, value, chroma,
code]`` (the conventions of docs/engine.md). The first ``n_regression``
outputs are regressed; the rest, when there are any, are the 10 logits of the
hue-family code (code = argmax + 1).

- ``regression``: ``hue/10, value/10, chroma/50, code/10`` (published default;
  the code is rounded);
- ``classification``: ``hue/10, value/10, chroma/50`` + 10 code logits (the
  layout colour-science's ONNX loader reads);
- ``hue_angle``: ``cos t, sin t, value/10, chroma/50``, ``t`` the full ASTM
  hue angle (continuous across family boundaries);
- ``family_angle``: ``cos f, sin f, value/10, chroma/50`` + 10 code logits,
  ``f`` the hue within its family;
- ``cartesian``: ``chroma/50 cos t, chroma/50 sin t, value/10`` (hue and
  chroma as a point, defined at grey);
- ``probabilistic``: ``cartesian``, then three raw outputs of a distribution's
  head (``n_extra``): the log-scales of the hue angle and of the chroma and
  the log of a Delta-E bound (``munsell_jax.nn.probabilistic``). Only the
  first three are targets; the point answer decodes as ``cartesian``.

``t = 2 pi h / 100`` with ``h = 10 ((7 - code) mod 10) + hue`` the ASTM hue in
(0, 100] (R = (0, 10], YR = (10, 20], ...), and ``f = 2 pi hue / 10``.

Greys (chroma 0, code 0) have no hue: their code logits are left out of the
code loss (label -1), and their angle targets are those of hue 0 of R.
"""

from __future__ import annotations

import dataclasses
import math

import jax
import jax.numpy as jnp
import numpy as np

from munsell_jax.arrays import arctan2, floor_mod, polyval

__all__ = [
    "ENCODINGS",
    "GAMMAS",
    "POLAR_RADIUS",
    "INPUTS",
    "XYY_INPUTS",
    "Encoding",
    "astm_hue",
    "decode",
    "encode",
    "get_encoding",
    "hue_from_astm",
    "input_layout",
    "output_encoding",
    "specification_inputs",
    "xyY_inputs",
]

N_CODES = 10


@dataclasses.dataclass(frozen=True)
class Encoding:
    """An output layout: its name, widths, and which output is the hue (or None)."""

    name: str
    n_regression: int
    n_logits: int
    hue_output: int | None  # index of the hue/10 output, for the circular hue loss
    chroma_output: int | None  # index of the chroma/50 output, for the gamut penalty
    n_extra: int = 0  # outputs after the logits that are no target (a distribution's head)

    @property
    def n_outputs(self) -> int:
        return self.n_regression + self.n_logits + self.n_extra


ENCODINGS = {
    "regression": Encoding("regression", 4, 0, 0, 2),
    "classification": Encoding("classification", 3, N_CODES, 0, 2),
    "hue_angle": Encoding("hue_angle", 4, 0, None, 3),
    "family_angle": Encoding("family_angle", 4, N_CODES, None, 3),
    "cartesian": Encoding("cartesian", 3, 0, None, None),
    "probabilistic": Encoding("probabilistic", 3, 0, None, None, n_extra=3),
}


def get_encoding(name: str) -> Encoding:
    try:
        return ENCODINGS[name]
    except KeyError:
        raise ValueError(f"unknown encoding {name!r}; one of {sorted(ENCODINGS)}") from None


def output_encoding(config) -> Encoding:
    """The output layout of a model's ``config`` (a dict or ConfigDict): xyY for
    Munsell -> xyY, ``config["encoding"]`` (default ``"regression"``) otherwise."""
    if config["direction"] == "to_xyY":
        return Encoding("xyY", 3, 0, None, None)
    return get_encoding(config.get("encoding") or "regression")


def input_layout(config) -> str:
    """``config["inputs"]``, or the direction's default for configs written before it."""
    return config.get("inputs") or ("xyY" if config["direction"] == "from_xyY" else "scaled")


def astm_hue(hue, code):
    """ASTM hue ``10 ((7 - code) mod 10) + hue``: R in (0, 10], YR (10, 20], ... PR (90, 100]."""
    xp = jnp if isinstance(hue, jax.Array) else np
    return 10 * floor_mod(7 - code, 10, xp) + hue


def hue_from_astm(h):
    """ASTM hue (any real, read modulo 100) -> ``(hue, code)`` with hue in (0, 10].

    Hue 0 of a family is written as hue 10 of the next one (0YR = 10R), as
    ``normalise_specification`` does.
    """
    xp = jnp if isinstance(h, jax.Array) else np
    h = floor_mod(h, 100.0, xp)
    family = xp.floor(h / 10)
    hue = h - 10 * family
    code = floor_mod(7 - family, 10, xp)
    code = xp.where(code == 0, 10, code)
    at_zero = hue <= 0
    return xp.where(at_zero, 10.0, hue), xp.where(at_zero, floor_mod(code, 10, xp) + 1, code)


# How a model sees its input, and the width of each layout: a specification
# (Munsell -> xyY) or xyY (xyY -> Munsell).
INPUTS = {"scaled": 4, "cartesian": 3, "harmonic": 10, "lattice": 13, "grid": 13}
GAMMAS = (1.0, 1.5, 2.0, 2.5, 3.0)  # the published sweep of the Y normalisation
XYY_INPUTS = {"xyY": 3, "lightness": 3, "polar": 6, **{f"gamma{g}": 3 for g in GAMMAS}}
POLAR_RADIUS = 0.9  # xy distance from the white point at the polar layout's outer radius
_HARMONICS = 4
_WHITE_C = (0.31006, 0.31616)  # illuminant C, as colorimetry.ILLUMINANT_C_xy


def xyY_inputs(xyY, *, inputs: str = "xyY"):
    """xyY ``[..., 3]`` -> an xyY -> Munsell network's inputs (jit/ONNX-safe).

    - ``xyY``: as given (published);
    - ``lightness``: ``[(x - x_C) / 0.1, (y - y_C) / 0.1, 1.16 Y^(1/3) - 0.16]``:
      centred on the white point, and a lightness (CIE L*/100 without its
      linear toe) that spreads the dark colours, which raw Y crowds into
      [0.01, 0.03] at values 1-2. Y below 1e-6 is read as 1e-6;
    - ``polar``: ``lightness``, then three lattice coordinates: the angle
      about the white point / 2 pi in [0, 1), the square root of the distance
      from it / ``POLAR_RADIUS`` (0 at the white point, 1 beyond the data
      at any value), and the Munsell value / 10 (ASTM D1535 of Y, exact);
    - ``gamma1.0`` ... ``gamma3.0``: ``[x, y, Y^(1/gamma)]``, the published
      study's Y normalisation (``GAMMAS``, for its sweep).
    """
    if inputs not in XYY_INPUTS:
        raise ValueError(f"unknown inputs {inputs!r}; one of {sorted(XYY_INPUTS)}")
    if inputs == "xyY":
        return xyY
    xp = jnp if isinstance(xyY, jax.Array) else np
    x, y, Y = (xyY[..., i] for i in range(3))
    if inputs.startswith("gamma"):
        gamma = float(inputs.removeprefix("gamma"))
        return xp.stack([x, y, xp.exp(xp.log(xp.maximum(Y, 1e-6)) / gamma)], axis=-1)
    # exp(log(Y) / 3), not Y ** (1/3): jax2onnx cannot export pow with a symbolic batch.
    lightness = 1.16 * xp.exp(xp.log(xp.maximum(Y, 1e-6)) / 3.0) - 0.16
    dx, dy = x - _WHITE_C[0], y - _WHITE_C[1]
    columns = [dx / 0.1, dy / 0.1, lightness]
    if inputs == "polar":
        columns += _polar(jnp.asarray(dx), jnp.asarray(dy), jnp.asarray(Y))
        if xp is np:
            return np.stack([np.asarray(c) for c in columns], axis=-1)
    return xp.stack(columns, axis=-1)


def _polar(dx: jax.Array, dy: jax.Array, Y: jax.Array) -> list[jax.Array]:
    """The ``polar`` layout's lattice coordinates (safe derivatives at the white point)."""
    from munsell_jax.renotation import luminance_to_value

    r2 = dx**2 + dy**2
    at_white = r2 == 0
    angle = arctan2(dy, jnp.where(at_white, 1.0, dx)) / (2 * math.pi)
    r = jnp.sqrt(jnp.where(at_white, 1.0, r2))
    radius = jnp.where(at_white, 0.0, jnp.sqrt(jnp.where(at_white, 1.0, r) / POLAR_RADIUS))
    return [floor_mod(angle, 1.0, jnp), radius, luminance_to_value(Y) / 10]


def specification_inputs(spec, *, inputs: str = "scaled"):
    """Specifications ``[..., 4]`` -> a Munsell -> xyY network's inputs (jit/ONNX-safe).

    - ``scaled``: ``[hue/10, value/10, chroma/50, code/10]`` (published); hue and
      code jump at every family boundary and are arbitrary at grey;
    - ``cartesian``: ``[chroma/50 cos t, chroma/50 sin t, value/10]``, ``t`` the
      ASTM hue angle: continuous across families, and every grey is one point
      per value, as its colour is;
    - ``harmonic``: ``chroma/50 (cos kt, sin kt)`` for ``k = 1..4``, then
      ``value/10, chroma/50``: the cartesian point with the hue's first
      harmonics (hue planes curve in xy), still one point per grey;
    - ``lattice``: ``harmonic`` and three triangle waves with their corners on
      the renotation lattice, where the interpolation has its kinks:
      ``tri(value)``, ``tri(chroma / 2)`` and ``chroma/50 tri(h / 2.5)``
      (``tri(u) = |u - 2 floor(u / 2) - 1|``, corners at every integer ``u``;
      the hue's is scaled by the chroma, as its kink is in xy, so a grey is
      still one point per value);
    - ``grid``: ``harmonic`` and the three lattice coordinates the Lattice MLP
      (``munsell_jax.nn.lattice_mlp``) interpolates its features at: ASTM hue
      / 2.5 in (0, 40] (0 for greys), the value coordinate (V at integer values, linear in
      the ASTM D1535 luminance between them, as the renotation interpolates)
      and chroma / 2.

    Numpy in, numpy out; JAX in, JAX out.
    """
    if inputs not in INPUTS:
        raise ValueError(f"unknown inputs {inputs!r}; one of {sorted(INPUTS)}")
    xp = jnp if isinstance(spec, jax.Array) else np
    hue, value, chroma, code = (spec[..., i] for i in range(4))
    if inputs == "scaled":
        return xp.stack([hue / 10, value / 10, chroma / 50, code / 10], axis=-1)
    t = 2 * math.pi * astm_hue(hue, code) / 100
    c = chroma / 50
    if inputs == "cartesian":
        return xp.stack([c * xp.cos(t), c * xp.sin(t), value / 10], axis=-1)
    columns = []
    for k in range(1, _HARMONICS + 1):
        columns += [c * xp.cos(k * t), c * xp.sin(k * t)]
    if inputs == "harmonic":
        return xp.stack([*columns, value / 10, c], axis=-1)
    h = astm_hue(hue, code)
    if inputs == "grid":
        # A grey's hue coordinate is 0 (any would do: the model shares chroma 0's features).
        t = xp.where(chroma > 0, h / 2.5, 0.0)
        return xp.stack([*columns, value / 10, c, t, _value_coordinate(value, xp), chroma / 2], -1)
    corners = [_triangle(value, xp), _triangle(chroma / 2, xp), c * _triangle(h / 2.5, xp)]
    return xp.stack([*columns, value / 10, c, *corners], axis=-1)


def _value_coordinate(value, xp):
    """Munsell value -> its lattice coordinate: the value at integers, linear
    in luminance (the ASTM D1535 polynomial) between them."""
    from munsell_jax.renotation import ASTM_D1535

    lower = xp.clip(xp.floor(value), 0.0, 9.0)
    below, above = polyval(ASTM_D1535, lower), polyval(ASTM_D1535, lower + 1)
    return lower + (polyval(ASTM_D1535, value) - below) / (above - below)


def _triangle(u, xp):
    """Period-2 triangle wave in [0, 1] with a corner at every integer ``u``."""
    return xp.abs(floor_mod(u, 2.0, xp) - 1.0)


def _code_labels(code, xp):
    """Code 1..10 -> class 0..9; greys (code 0) -> -1."""
    return xp.where(code >= 1, code - 1, -1).astype(xp.int32)


def encode(encoding: str | Encoding, spec):
    """Exact specifications ``[..., 4]`` -> ``(targets [..., n_regression], labels [...])``.

    ``labels`` are the code classes 0..9 (-1 for greys) for encodings with code
    logits, and all -1 otherwise. Numpy in, numpy out; JAX in, JAX out.
    """
    enc = get_encoding(encoding) if isinstance(encoding, str) else encoding
    xp = jnp if isinstance(spec, jax.Array) else np
    hue, value, chroma, code = (spec[..., i] for i in range(4))
    t = 2 * math.pi * astm_hue(hue, code) / 100
    f = 2 * math.pi * hue / 10
    columns = {
        "regression": [hue / 10, value / 10, chroma / 50, code / 10],
        "classification": [hue / 10, value / 10, chroma / 50],
        "hue_angle": [xp.cos(t), xp.sin(t), value / 10, chroma / 50],
        "family_angle": [xp.cos(f), xp.sin(f), value / 10, chroma / 50],
        "cartesian": [chroma / 50 * xp.cos(t), chroma / 50 * xp.sin(t), value / 10],
    }["cartesian" if enc.name == "probabilistic" else enc.name]
    labels = _code_labels(code, xp) if enc.n_logits else xp.full(hue.shape, -1, xp.int32)
    return xp.stack(columns, axis=-1), labels


def _angle(c: jax.Array, s: jax.Array) -> jax.Array:
    # arctan2(0, 0) has a NaN gradient: feed it (1, 0) there (the double-where pattern).
    origin = (c == 0) & (s == 0)
    return jnp.where(origin, 0.0, arctan2(s, jnp.where(origin, 1.0, c)))


def decode(encoding: str | Encoding, outputs: jax.Array) -> jax.Array:
    """Network outputs ``[..., n_outputs]`` -> specifications ``[..., 4]`` (jit-able).

    Hue lands in (0, 10], value in [0, 10], chroma >= 0 and code in 1..10;
    a predicted chroma of 0 gives the grey ``[0, value, 0, 0]``. Decoding is
    differentiable almost everywhere in the regressed outputs (not in the code).
    """
    enc = get_encoding(encoding) if isinstance(encoding, str) else encoding
    outputs = jnp.asarray(outputs)
    o = [outputs[..., i] for i in range(enc.n_regression)]
    if enc.n_logits:
        code = jnp.argmax(outputs[..., enc.n_regression :], axis=-1).astype(outputs.dtype) + 1
    if enc.name == "regression":
        hue, value, chroma = 10 * o[0], 10 * o[1], 50 * o[2]
        code = jnp.clip(jnp.round(10 * o[3]), 1, 10)
    elif enc.name == "classification":
        hue, value, chroma = 10 * o[0], 10 * o[1], 50 * o[2]
    elif enc.name == "family_angle":
        hue = floor_mod(10 * _angle(o[0], o[1]) / (2 * math.pi), 10.0, jnp)
        value, chroma = 10 * o[2], 50 * o[3]
    if enc.name in ("hue_angle", "cartesian", "probabilistic"):  # the angle of a 2-vector
        h = 100 * _angle(o[0], o[1]) / (2 * math.pi)
        value = 10 * o[2]
        if enc.name == "hue_angle":
            chroma = 50 * o[3]
        else:
            # sqrt with a safe argument: its gradient at the origin would be inf.
            r2 = o[0] ** 2 + o[1] ** 2
            chroma = 50 * jnp.where(r2 > 0, jnp.sqrt(jnp.where(r2 > 0, r2, 1.0)), 0.0)
    else:
        # A hue past 10 (or below 0) runs on into the neighbouring family.
        h = astm_hue(hue, code)
    hue, code = hue_from_astm(h)
    hue = jnp.minimum(hue, 10.0)
    value = jnp.clip(value, 0.0, 10.0)
    chroma = jnp.maximum(chroma, 0.0)
    grey = chroma == 0
    zero = jnp.zeros_like(value)
    columns = [jnp.where(grey, zero, hue), value, chroma, jnp.where(grey, zero, code)]
    # One dtype for every column (jax2onnx's stack insists, and weak types differ).
    return jnp.stack([c.astype(outputs.dtype) for c in columns], axis=-1)
