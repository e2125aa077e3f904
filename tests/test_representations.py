"""Colour-representation experiments: tiny end-to-end runs and the
regularisers, interventions and tone curves on hand-made inputs."""

import json
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

from munsell_jax.lab.configs import load_config
from munsell_jax.projects.representations import autoencoder, create, interventions, refiner, run

CONFIGS = Path(__file__).resolve().parents[1] / "configs" / "representations"


def _finite(tree) -> bool:
    leaves = [x for x in jax.tree.leaves(tree) if isinstance(x, int | float)]
    return bool(leaves) and all(np.isfinite(x) for x in leaves)


def _jit(fun, **kwargs):
    """``jax.jit`` at XLA optimisation level 0: these tests compile far more than they run."""
    return jax.jit(fun, compiler_options={"xla_backend_optimization_level": 0}, **kwargs)


def _tiny(name: str):
    config = load_config(str(CONFIGS / f"{name}.py"), [])
    config.fast_compile = True  # compiling dominates a tiny run
    return config


def _check_outputs(workdir: Path, files: tuple[str, ...]) -> dict:
    for name in (*files, "metrics.json", "README.md"):
        assert (workdir / name).stat().st_size > 0, name
    metrics = json.loads((workdir / "metrics.json").read_text())
    assert metrics["provenance"]["seed"] == 0
    assert "python -m munsell_jax.projects.representations" in (workdir / "README.md").read_text()
    return metrics


def test_autoencoder_runs(tmp_path):
    config = _tiny("autoencoder")
    config.data.train_size, config.data.test_size = 512, 512
    config.model.width, config.opt.epochs, config.opt.batch_size = 8, 2, 256
    config.eval.frame_points = 64
    config.variants = ("triplet", "ciede2000")  # mse is triplet less a term: saves a compile
    run(config, tmp_path)
    metrics = _check_outputs(tmp_path, ("latent.gif", "latent_final.png", "error_by_hsv.png"))
    assert set(metrics["variants"]) == {"triplet", "ciede2000"}
    assert _finite({k: v for k, v in metrics.items() if k != "provenance"})


def test_interventions_runs(tmp_path):
    config = _tiny("interventions")
    config.data.hue_steps, config.data.test_hue_steps = 8, 24
    config.variants = ("plain", "regs_after")  # unnormalised, and normalised + regularisers
    config.model.width, config.opt.steps, config.opt.log_every = 8, 20, 10
    run(config, tmp_path)
    metrics = _check_outputs(
        tmp_path,
        ("loss_by_hue.png", "latent_sphere.png", "hue_strips.png"),
    )
    assert set(metrics["variants"]) == {"plain", "regs_after"}
    assert _finite({k: v for k, v in metrics.items() if k != "provenance"})


def test_refiner_runs(tmp_path):
    config = _tiny("refiner")
    d = config.data
    d.train_images, d.test_images = ("astronaut", "coffee"), ("chelsea",)
    d.max_side, d.crop, d.eval_max_side = 48, 16, 32
    d.eval_factors, d.picture_factor = (0.5,), 0.5
    config.model.width, config.model.depth = 4, 1
    config.opt.steps, config.opt.batch_size, config.opt.log_every = 2, 2, 1
    run(config, tmp_path)
    metrics = _check_outputs(tmp_path, ("before_after.png", "tone_curves.png", "training.png"))
    assert _finite({k: v for k, v in metrics.items() if k != "provenance"})
    assert abs(sum(metrics["fusion_weights"].values()) - 1) < 1e-5


# Regularisers on hand-made latents.


def test_unitarity_is_zero_on_unit_vectors_only():
    unit = jnp.eye(4)
    assert float(interventions.unitarity_penalty(unit)) < 1e-10
    assert float(interventions.unitarity_penalty(2 * unit)) == pytest.approx(1.0, rel=1e-5)


def test_anchor_separation_planarity():
    e = jnp.eye(4)
    assert float(interventions.anchor_penalty(e[0], e[0])) == 0.0
    assert float(interventions.anchor_penalty(e[1], e[0])) == pytest.approx(2.0)
    # Orthogonal prototypes are 90 deg apart: nothing to separate.
    assert float(interventions.angular_separation_penalty(e, min_angle_deg=25.0)) == 0.0
    close = jnp.stack([e[0], e[0] + 0.01 * e[1], e[1]])
    assert float(interventions.angular_separation_penalty(close, min_angle_deg=25.0)) > 0.0
    in_plane = jnp.array([[1.0, 0.0, 0.0, 0.0], [0.3, -2.0, 0.0, 0.0]])
    assert float(interventions.planarity_penalty(in_plane)) == 0.0
    assert float(interventions.planarity_penalty(e)) == pytest.approx(0.5)


def test_regulariser_gradients_are_finite_at_zero():
    z = jnp.zeros((3, 4), jnp.float32)

    def total(z):
        return (
            interventions.unitarity_penalty(z)
            + interventions.anchor_penalty(z[0], jnp.eye(4)[0])
            + interventions.angular_separation_penalty(z, min_angle_deg=25.0)
            + interventions.planarity_penalty(z)
        )

    assert np.all(np.isfinite(np.asarray(_jit(jax.grad(total))(z))))


def _angle(z, r):
    cos = np.sum(z * r, -1) / (np.linalg.norm(z, axis=-1) * np.linalg.norm(r))
    return np.degrees(np.arccos(np.clip(cos, -1, 1)))


# Near-red, half-way, orthogonal, opposite, exactly red and zero latents.
EDGE_LATENTS = np.array(
    [
        [1.0, 0.1, 0.0, 0.0],
        [1.0, 1.0, 0.5, 0.0],
        [0.0, 1.0, 0.0, 0.0],
        [-2.0, 0.0, 0.0, 0.0],
        [3.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0],
    ],
    np.float32,
)


@pytest.mark.parametrize("jit", [False, True])
def test_suppression_is_bounded(jit):
    r = np.array([2.0, 0.0, 0.0, 0.0], np.float32)  # any norm: only its direction counts
    z = np.concatenate([EDGE_LATENTS, np.random.default_rng(0).normal(size=(64, 4))], 0)
    f = _jit(interventions.suppress, static_argnames=("strength", "width_deg"))
    out = np.asarray((f if jit else interventions.suppress)(z, r, strength=0.8, width_deg=30.0))
    a, a_new = z[:, 0], out[:, 0]
    # The red component shrinks by at most 80 % and keeps its sign; the rest is untouched.
    assert np.all(np.abs(a_new) <= np.abs(a) + 1e-6)
    assert np.all(np.abs(a_new) >= 0.2 * np.abs(a) - 1e-6)
    assert np.all(np.sign(a_new) == np.sign(a))
    np.testing.assert_array_equal(out[:, 1:], z[:, 1:])
    assert np.all(np.linalg.norm(out, axis=-1) <= np.linalg.norm(z, axis=-1) + 1e-6)
    np.testing.assert_array_equal(out[2], z[2])  # orthogonal: unchanged
    assert abs(out[4, 0] - 3.0 * 0.2) < 1e-5  # exactly red: the full bounded strength
    with pytest.raises(ValueError):
        interventions.suppress(z, r, strength=1.5)


@pytest.mark.parametrize("jit", [False, True])
def test_repulsion_moves_latents_away_from_red(jit):
    r = np.array([1.0, 0.0, 0.0, 0.0], np.float32)
    z = np.concatenate([EDGE_LATENTS, np.random.default_rng(1).normal(size=(64, 4))], 0)
    f = _jit(interventions.repel, static_argnames=("angle_deg", "width_deg"))
    out = np.asarray((f if jit else interventions.repel)(z, r, angle_deg=30.0, width_deg=30.0))
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(np.linalg.norm(out, axis=-1), np.linalg.norm(z, axis=-1), atol=1e-5)
    nonzero = np.linalg.norm(z, axis=-1) > 0
    before, after = _angle(z[nonzero], r), _angle(out[nonzero], r)
    assert np.all(after >= before - 1e-3)
    assert after[0] > before[0] + 20  # near red: pushed by almost the full 30 deg
    assert after[3] == pytest.approx(180.0, abs=1e-3)  # opposite: stays opposite
    assert after[4] > 25  # exactly red: turned into the fallback plane
    np.testing.assert_array_equal(out[5], z[5])  # zero stays zero


def test_repulsion_and_suppression_gradients_are_finite():
    r = jnp.array([1.0, 0.0, 0.0, 0.0])
    for f in (interventions.suppress, interventions.repel):
        g = _jit(jax.jacrev(lambda z, f=f: f(z, r)))(jnp.asarray(EDGE_LATENTS[:5]))
        assert np.all(np.isfinite(np.asarray(g))), f.__name__


# Tone curves and the refiner.


def test_tone_curves_identity_at_init_and_monotone():
    curves = refiner.ToneCurves(channels=3, points=8)
    x = jnp.linspace(0.0, 1.0, 101, dtype=jnp.float32)[:, None] * jnp.ones(3, jnp.float32)
    np.testing.assert_allclose(np.asarray(curves(x)), np.asarray(x), atol=1e-6)
    curves.logits[...] = jax.random.normal(jax.random.key(0), (3, 7), jnp.float32) * 3
    y, h = np.asarray(curves(x)), np.asarray(curves.heights())
    assert np.all(np.diff(y, axis=0) >= 0) and np.all(np.diff(h, axis=-1) > 0)
    np.testing.assert_allclose(h[:, [0, -1]], [[0, 1]] * 3, atol=1e-6)


def test_refiner_is_identity_at_init():
    # Finite gradients are the run test's job (training raises on a NaN loss).
    graphdef, params = create(
        lambda k: refiner.ColourRefiner(width=4, depth=1, rngs=nnx.Rngs(params=k)),
        jax.random.key(0),
        _tiny("refiner"),
    )
    x = jax.random.uniform(jax.random.key(1), (2, 8, 8, 3), jnp.float32)
    x = x.at[0, 0, 0].set(0.0).at[0, 0, 1].set(1.0).at[0, 0, 2].set(0.5)  # black, white, grey
    forward = _jit(lambda p, x: nnx.merge(graphdef, p)(x))
    y = forward(params, x)
    assert y.dtype == jnp.float32
    np.testing.assert_allclose(np.asarray(y), np.asarray(x), atol=2e-4)


def test_saturation_error_matches_hsv():
    from munsell_jax.colorimetry import RGB_to_HSV

    x = np.random.default_rng(5).uniform(size=(64, 3)).astype(np.float32)
    x[:3] = [[0, 0, 0], [1, 1, 1], [0.5, 0.5, 0.5]]
    np.testing.assert_allclose(refiner._saturation(x), np.asarray(RGB_to_HSV(x))[:, 1], atol=1e-6)
    assert refiner.saturation_error(x, x) == 0.0


def test_desaturate_keeps_hue_and_value():
    from munsell_jax.colorimetry import RGB_to_HSV

    x = jax.random.uniform(jax.random.key(2), (1, 4, 4, 3), jnp.float32)
    hsv = RGB_to_HSV(x)
    out = RGB_to_HSV(_jit(refiner.desaturate)(x, jnp.array([0.5], jnp.float32)))
    np.testing.assert_allclose(out[..., 1], 0.5 * hsv[..., 1], atol=1e-5)
    np.testing.assert_allclose(out[..., 2], hsv[..., 2], atol=1e-5)


# Autoencoder pieces.


def test_circular_measures():
    a = np.random.default_rng(0).uniform(0, 2 * np.pi, 500)
    b = np.random.default_rng(1).uniform(0, 2 * np.pi, 500)
    assert autoencoder.circular_correlation(a, a + 1.0) == pytest.approx(1.0)
    assert autoencoder.circular_correlation(a, 2.0 - a) == pytest.approx(-1.0)
    assert abs(autoencoder.circular_correlation(a, b)) < 0.15
    length, error = autoencoder.angle_alignment(a, 0.5 - a)
    assert length == pytest.approx(1.0) and error < 1e-6
    assert autoencoder.angle_alignment(a, b)[0] < 0.15


def test_hue_triplets():
    from munsell_jax.colorimetry import RGB_to_HSV

    rgb = jax.random.uniform(jax.random.key(3), (256, 3), jnp.float32)
    triplets = _jit(autoencoder.hue_triplets, static_argnames=("hue_jitter", "min_hue_gap"))
    pos, neg, weight = triplets(jax.random.key(4), rgb, hue_jitter=0.02, min_hue_gap=0.15)
    assert pos.dtype == neg.dtype == jnp.float32
    h, hp, hn = (np.asarray(RGB_to_HSV(c))[:, 0] for c in (rgb, pos, neg))
    s = np.asarray(weight)
    chromatic = s > 0.3  # hue is recoverable there
    d_pos = np.abs((hp - h + 0.5) % 1 - 0.5)[chromatic]
    d_neg = np.abs((hn - h + 0.5) % 1 - 0.5)[chromatic]
    assert np.all(d_pos <= 0.02 + 1e-3) and np.all(d_neg >= 0.15 - 1e-3)
    np.testing.assert_allclose(s, np.asarray(RGB_to_HSV(rgb))[:, 1])
