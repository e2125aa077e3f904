"""munsell_jax.encoding: every output layout encodes and decodes specifications exactly."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from munsell_jax import encoding

ENCODINGS = sorted(encoding.ENCODINGS)


def _specs(n=500, seed=0):
    """Random chromatic specifications in every family, and a few greys."""
    rng = np.random.default_rng(seed)
    hue = rng.uniform(0.01, 10, n)
    hue[:10] = 10.0  # family edges
    spec = np.stack(
        [hue, rng.uniform(1, 9.9, n), rng.uniform(0.5, 30, n), rng.integers(1, 11, n)], -1
    )
    greys = np.array([[0.0, 5.0, 0.0, 0.0], [0.0, 2.5, 0.0, 0.0]])
    return np.concatenate([spec, greys])


def _outputs(name, spec):
    targets, labels = encoding.encode(name, spec)
    enc = encoding.get_encoding(name)
    if enc.n_logits:
        logits = np.where(labels[:, None] == np.arange(10), 5.0, 0.0)
        return np.concatenate([targets, logits], -1)
    return targets


@pytest.mark.parametrize("name", ENCODINGS)
def test_round_trip_is_exact(name):
    spec = _specs()
    enc = encoding.get_encoding(name)
    targets, labels = encoding.encode(name, spec)
    assert targets.shape == (len(spec), enc.n_regression)
    assert (labels[-2:] == -1).all()
    back = np.asarray(encoding.decode(name, jnp.asarray(_outputs(name, spec))))
    chromatic = spec[:, 2] > 0
    # Exact up to float64 rounding: at most 2.4e-14 (the hue of the angle layouts,
    # through atan2; 13 ulps at 10); 1e-12 leaves 40x for other CPUs. At a family's
    # edge an ulp of the angle may name the hue as 10 of one family or 1e-14 of the
    # next: the same colour, so the hue is compared as the ASTM hue, on the circle.
    astm_back, astm_spec = (encoding.astm_hue(s[:, 0], s[:, 3]) for s in (back, spec))
    turn = np.abs(np.mod(astm_back - astm_spec + 50, 100) - 50)
    np.testing.assert_allclose(turn[chromatic], 0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(back[chromatic][:, 1:3], spec[chromatic][:, 1:3], rtol=0, atol=1e-12)
    inside = chromatic & (np.abs(spec[:, 0] - 10) > 1e-9)  # off the family edges
    np.testing.assert_allclose(back[inside], spec[inside], rtol=0, atol=1e-12)
    # greys come back as [0, v, 0, 0] (within-family layouts keep a code guess: chroma 0 wins)
    np.testing.assert_allclose(
        back[~chromatic][:, 1:3], spec[~chromatic][:, 1:3], rtol=0, atol=1e-12
    )
    assert (back[~chromatic][:, [0, 3]] == 0).all()


@pytest.mark.parametrize("name", ENCODINGS)
def test_decode_ranges_and_finite_gradients(name):
    enc = encoding.get_encoding(name)
    rng = np.random.default_rng(1)
    outputs = jnp.asarray(rng.normal(0, 2, (64, enc.n_outputs)), jnp.float32)
    outputs = outputs.at[0].set(0.0)  # the origin of the angle layouts
    spec = np.asarray(encoding.decode(name, outputs))
    chromatic = spec[:, 2] > 0
    assert ((spec[chromatic, 0] > 0) & (spec[chromatic, 0] <= 10)).all()
    assert ((spec[chromatic, 3] >= 1) & (spec[chromatic, 3] <= 10)).all()
    assert ((spec[:, 1] >= 0) & (spec[:, 1] <= 10)).all()
    jac = jax.jacrev(lambda o: encoding.decode(name, o).sum())(outputs)
    assert np.isfinite(np.asarray(jac)).all()
    jitted = jax.jit(encoding.decode, static_argnums=0)(name, outputs)
    np.testing.assert_allclose(spec, np.asarray(jitted), atol=1e-5)


def test_a_hue_past_the_family_runs_into_the_next():
    # regression outputs: hue 10.2 of R (code 7) is 0.2YR; hue -0.5 of R is 9.5RP.
    out = jnp.asarray([[1.02, 0.5, 0.2, 0.7], [-0.05, 0.5, 0.2, 0.7]])
    spec = np.asarray(encoding.decode("regression", out))
    np.testing.assert_allclose(spec[:, [0, 3]], [[0.2, 6.0], [9.5, 8.0]], atol=1e-6)


def test_astm_hue_and_back():
    h = np.array([0.5, 10.0, 10.5, 99.0, 100.0])
    hue, code = encoding.hue_from_astm(h)
    np.testing.assert_allclose(hue, [0.5, 10.0, 0.5, 9.0, 10.0])
    np.testing.assert_array_equal(code, [7, 7, 6, 8, 8])  # 0.5R, 10R, 0.5YR, 9RP, 10RP
    np.testing.assert_allclose(encoding.astm_hue(hue, code) % 100, h % 100)


def test_unknown_encoding():
    with pytest.raises(ValueError, match="unknown encoding"):
        encoding.get_encoding("polar")


@pytest.mark.parametrize("inputs", sorted(encoding.INPUTS))
def test_specification_inputs(inputs):
    spec = _specs(50)
    features = encoding.specification_inputs(spec, inputs=inputs)
    assert features.shape == (len(spec), encoding.INPUTS[inputs])
    on_device = encoding.specification_inputs(jnp.asarray(spec, jnp.float32), inputs=inputs)
    np.testing.assert_allclose(np.asarray(on_device), features, atol=4e-6)  # float32 rounding
    if inputs == "scaled":
        np.testing.assert_allclose(features, spec / [10, 10, 50, 10])
        return
    # One colour, one input: 10R is 0YR, and a grey is a grey whatever its hue.
    same = np.array([[10.0, 5.0, 6.0, 7.0], [0.0, 5.0, 6.0, 6.0], [0, 4, 0, 0], [3, 4, 0, 5]])
    f = encoding.specification_inputs(same, inputs=inputs)
    np.testing.assert_allclose(f[0], f[1], atol=1e-12)
    np.testing.assert_allclose(f[2], f[3], atol=1e-12)


def test_unknown_inputs():
    with pytest.raises(ValueError, match="unknown inputs"):
        encoding.specification_inputs(np.zeros((1, 4)), inputs="polar")


def test_xyY_inputs():
    xyY = np.array([[0.31006, 0.31616, 1.0], [0.41006, 0.21616, 0.008], [0.3, 0.3, 0.0]])
    assert encoding.xyY_inputs(xyY, inputs="xyY") is xyY
    features = encoding.xyY_inputs(xyY, inputs="lightness")
    np.testing.assert_allclose(features[:2, :2], [[0, 0], [1, -1]], atol=1e-12)
    np.testing.assert_allclose(features[:2, 2], [1.0, 1.16 * 0.2 - 0.16], atol=1e-12)
    assert np.isfinite(features).all()
    on_device = encoding.xyY_inputs(jnp.asarray(xyY, jnp.float32), inputs="lightness")
    np.testing.assert_allclose(np.asarray(on_device), features, atol=1e-6)
    with pytest.raises(ValueError, match="unknown inputs"):
        encoding.xyY_inputs(xyY, inputs="Lab")


def test_lattice_inputs_have_their_corners_on_the_renotation_lattice():
    # 7.5YR 5/6: ASTM hue 17.5 (u = 7), value 5, chroma 6 (u = 3): odd, the troughs.
    # 10YR 4/8: ASTM hue 20 (u = 8), value 4, chroma 8 (u = 4): even, the peaks.
    spec = np.array([[7.5, 5.0, 6.0, 6.0], [10.0, 4.0, 8.0, 6.0]])
    corners = encoding.specification_inputs(spec, inputs="lattice")[:, -3:]
    np.testing.assert_allclose(corners, [[0, 0, 0], [1, 1, 8 / 50]], atol=1e-12)
    # Linear in between (slope 1 per lattice step), continuous across the corners.
    step = np.array([[1.25, 0.5, 1.0, 0.0]])  # half a step in hue, value and chroma
    mid = encoding.specification_inputs(spec[:1] + step, inputs="lattice")[:, -3:]
    np.testing.assert_allclose(mid, [[0.5, 0.5, 7 / 50 * 0.5]], atol=1e-12)
    for eps in (1e-6, -1e-6):
        near = encoding.specification_inputs(
            spec + eps * np.ones(4) * [1, 1, 1, 0], inputs="lattice"
        )
        np.testing.assert_allclose(
            near, encoding.specification_inputs(spec, inputs="lattice"), atol=1e-5
        )


@pytest.mark.parametrize("gamma", encoding.GAMMAS)
def test_gamma_inputs(gamma):
    xyY = np.array([[0.3, 0.32, 0.2], [0.4, 0.35, 0.0]])
    features = encoding.xyY_inputs(xyY, inputs=f"gamma{gamma}")
    np.testing.assert_allclose(features[:, :2], xyY[:, :2])
    np.testing.assert_allclose(features[:, 2], [0.2 ** (1 / gamma), 1e-6 ** (1 / gamma)])
    assert encoding.XYY_INPUTS[f"gamma{gamma}"] == 3


def test_grid_inputs_are_lattice_coordinates():
    from munsell_jax.renotation import value_to_luminance

    # 7.5YR 5/6: ASTM hue 17.5 (step 7), value 5, chroma 6 (3 chroma steps).
    spec = np.array([[7.5, 5.0, 6.0, 6.0], [7.5, 5.3, 6.0, 6.0], [0.0, 5.3, 0.0, 0.0]])
    grid = encoding.specification_inputs(spec, inputs="grid")
    harmonic = encoding.specification_inputs(spec, inputs="harmonic")
    np.testing.assert_allclose(grid[:, :-3], harmonic, rtol=1e-6, atol=1e-7)  # sin/cos near 0
    Y = np.asarray(value_to_luminance(np.array([5.0, 5.3, 6.0])))
    fraction = (Y[1] - Y[0]) / (Y[2] - Y[0])  # the renotation's value interpolation
    np.testing.assert_allclose(
        grid[:, -3:], [[7, 5, 3], [7, 5 + fraction, 3], [0, 5 + fraction, 0]], atol=1e-12
    )
