"""munsell_jax.nn: every architecture builds, counts its parameters and runs a batch."""

import pytest
from flax import nnx

from munsell_jax.lab.cli import main
from munsell_jax.nn import ARCHITECTURES, get_model


def test_committed_table_is_current_and_every_forward_passes(tmp_path):
    from pathlib import Path

    assert main(["architectures", "--out", str(tmp_path / "a.md")]) == 0
    table = (tmp_path / "a.md").read_text()
    assert "FAILED" not in table
    assert sum(
        line.startswith("| from_xyY") or line.startswith("| to_xyY") for line in table.splitlines()
    ) == len(ARCHITECTURES)
    committed = Path(__file__).parents[1] / "results" / "architectures.md"
    assert table == committed.read_text(), (
        "results/architectures.md is stale: run `munsell-jax architectures`"
    )


def test_unknown_family():
    with pytest.raises(ValueError, match="unknown model family"):
        get_model("nope", in_features=3, out_features=4, rngs=nnx.Rngs(0))


def test_lattice_mlp_interpolates_features_on_the_renotation_lattice():
    import jax
    import jax.numpy as jnp
    import numpy as np

    from munsell_jax.encoding import specification_inputs

    model = get_model("lattice_mlp", in_features=13, out_features=3, rngs=nnx.Rngs(0))
    embed = model.embedding
    # Linear between lattice points, along each coordinate.
    t, v, c = jnp.array([7.0, 7.5, 8.0]), jnp.array([5.0, 5.5, 6.0]), jnp.array([3.0, 3.5, 4.0])
    for coords in ((t, v[:1], c[:1]), (t[:1], v, c[:1]), (t[:1], v[:1], c)):
        e = embed(*(jnp.broadcast_to(x, (3,)) for x in coords))
        np.testing.assert_allclose(e[1], (e[0] + e[2]) / 2, atol=1e-6)
    # The hue is periodic, and chroma 0 is one point per value whatever the hue.
    np.testing.assert_allclose(
        embed(jnp.array([0.0, 40.0, 12.3]), jnp.full(3, 4.0), jnp.array([2.0, 2.0, 0.0]))[:2].std(
            0
        ),
        0,
        atol=1e-7,
    )
    greys = embed(jnp.array([3.0, 17.5]), jnp.full(2, 4.2), jnp.zeros(2))
    np.testing.assert_allclose(greys[0], greys[1], atol=1e-7)
    # A batch of specifications: finite outputs and gradients.
    spec = np.array([[5.0, 5.0, 10.0, 7.0], [0.0, 5.0, 0.0, 0.0], [10.0, 9.9, 30.0, 1.0]])
    x = jnp.asarray(specification_inputs(spec, inputs="grid"), jnp.float32)
    assert model(x).shape == (3, 3)
    grads = nnx.grad(lambda m: jnp.sum(m(x) ** 2))(model)
    assert all(bool(jnp.isfinite(g).all()) for g in jax.tree.leaves(grads))
    # With exact_luminance, Y is the ASTM D1535 polynomial of the value, not learned.
    from munsell_jax.renotation import value_to_luminance

    exact = get_model(
        "lattice_mlp",
        in_features=13,
        out_features=3,
        linear_readout=True,
        exact_luminance=True,
        rngs=nnx.Rngs(0),
    )
    np.testing.assert_allclose(exact(x)[:, 2], value_to_luminance(spec[:, 1]), rtol=1e-5, atol=1e-7)
