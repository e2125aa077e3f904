"""Derivatives of ``xyY_to_munsell`` by the implicit function theorem, against
central finite differences of the solve itself (float64)."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from munsell_jax.colorimetry import ILLUMINANT_C_xy
from munsell_jax.inverse import xyY_to_munsell
from munsell_jax.renotation import maximum_chroma, munsell_to_xyY

_N = 16  # one compiled shape for every call here
_STEP = 1e-7  # central-difference step in x, y and Y


def _astm(spec):
    return 10 * jnp.mod(7 - spec[..., 3], 10) + spec[..., 0]


def _smooth(xyY):
    """Value and chroma x (cos, sin) of the ASTM hue: smooth in xyY off the grey."""
    spec = xyY_to_munsell(xyY).specification
    angle = _astm(spec) * 2 * jnp.pi / 100
    return jnp.stack(
        [spec[..., 1], spec[..., 2] * jnp.cos(angle), spec[..., 2] * jnp.sin(angle)], axis=-1
    )


@pytest.fixture(scope="module")
def colours():
    """16 random chromatic colours away from the renotation's cell edges and
    colour's snapping zones (where the forward has kinks), with exact answers."""
    rng = np.random.default_rng(5)
    hue = 2.5 * rng.integers(0, 4, 64) + rng.uniform(0.05, 2.45, 64)
    value = rng.integers(2, 9, 64) + rng.uniform(0.05, 0.95, 64)
    code = rng.integers(1, 11, 64).astype(float)
    top = np.asarray(maximum_chroma(np.stack([hue, value, code], axis=-1)))
    chroma = 2 * np.floor(rng.uniform(1.0, np.maximum(top - 1, 1.5)) / 2) + rng.uniform(
        0.1, 1.9, 64
    )
    spec = np.stack([hue, value, np.minimum(chroma, top - 0.1), code], axis=-1)
    xyY = np.asarray(munsell_to_xyY(spec))
    keep = np.isfinite(xyY).all(axis=1)
    return xyY[keep][:_N]


def test_jacrev_matches_central_differences(colours):
    assert colours.shape == (_N, 3)
    assert bool(xyY_to_munsell(colours).ok.all())
    jacobian = jax.jacrev(_smooth)(jnp.asarray(colours))  # [N, 3, N, 3]
    rows = np.arange(_N)
    analytic = np.asarray(jacobian)[rows, :, rows, :]  # [N, 3 outputs, 3 inputs]
    numeric = np.zeros_like(analytic)
    for k in range(3):
        step = np.zeros(3)
        step[k] = _STEP
        up, down = np.asarray(_smooth(colours + step)), np.asarray(_smooth(colours - step))
        numeric[:, :, k] = (up - down) / (2 * _STEP)
    error = np.linalg.norm(analytic - numeric, axis=(1, 2))
    # The claim is 1e-3; measured 7e-10 (the solve is exact to about 1e-15 in xy).
    assert np.all(error <= 1e-5 * np.linalg.norm(numeric, axis=(1, 2))), error


def test_grad_and_jvp_agree(colours):
    xyY = jnp.asarray(colours)
    tangent = jnp.asarray(np.random.default_rng(1).normal(size=colours.shape))
    _, forward = jax.jvp(lambda a: _smooth(a).sum(), (xyY,), (tangent,))
    backward = jax.grad(lambda a: _smooth(a).sum())(xyY)
    np.testing.assert_allclose(float(forward), float(jnp.sum(backward * tangent)), rtol=1e-9)


def test_finite_at_greys_snapping_zones_and_the_edge(colours):
    white = np.asarray(ILLUMINANT_C_xy)
    hard = np.array(
        [
            [*white, 0.2],  # grey
            [*white, 1.0],  # the ideal white
            [*white, 0.005],  # a dark grey (value below 1)
            [0.4, 0.35, 1e-4],  # chromatic, below value 1: on the data's floor
            [0.45, 0.52, 0.79],  # beyond the data (value 9, Y): on its edge
        ]
    )
    snap = np.asarray(munsell_to_xyY(np.array([[2.5, 5.0, 6.0, 5.0], [5.0, 6.0, 8.0, 3.0]])))
    xyY = np.concatenate([hard, snap, colours])[:_N]

    def loss(a):
        spec = xyY_to_munsell(a).specification
        return jnp.sum(spec[..., :3] ** 2)

    gradient = np.asarray(jax.grad(loss)(jnp.asarray(xyY)))
    assert np.isfinite(gradient).all()
    # A grey's value moves with Y alone; its hue and chroma do not move.
    jacobian = np.asarray(jax.jacrev(lambda a: xyY_to_munsell(a).specification)(jnp.asarray(xyY)))
    assert np.isfinite(jacobian).all()
    assert np.all(jacobian[0, [0, 2, 3], 0, :] == 0) and jacobian[0, 1, 0, 2] > 0


def test_a_loss_on_munsell_value_and_chroma_trains_a_model():
    """The documented example (docs/engine.md): a small model's sRGB output pulled
    towards value 6, chroma 4 through the exact inverse, a few Adam steps."""
    import optax
    from flax import nnx

    import munsell_jax as mj

    class Colouriser(nnx.Module):
        def __init__(self, rngs):
            self.linear = nnx.Linear(3, 3, rngs=rngs)

        def __call__(self, x):
            return nnx.sigmoid(self.linear(x))  # sRGB in (0, 1)

    def value_and_chroma(rgb):
        xyY = mj.XYZ_to_xyY(mj.sRGB_to_XYZ(rgb, illuminant=mj.ILLUMINANT_C_xy))
        spec = mj.xyY_to_munsell(xyY).specification
        return spec[:, 1], spec[:, 2]

    def loss_fn(model, x):
        value, chroma = value_and_chroma(model(x))
        return jnp.mean((value - 6.0) ** 2 + (chroma - 4.0) ** 2)

    x = jnp.asarray(np.random.default_rng(0).uniform(size=(_N, 3)))
    model = Colouriser(nnx.Rngs(0))
    optimizer = nnx.Optimizer(model, optax.adam(0.05), wrt=nnx.Param)
    losses = []
    for _ in range(20):
        loss, grads = nnx.value_and_grad(loss_fn)(model, x)
        assert all(bool(jnp.isfinite(g).all()) for g in jax.tree.leaves(grads))
        optimizer.update(model, grads)
        losses.append(float(loss))
    assert losses[-1] < 0.5 * losses[0], losses
