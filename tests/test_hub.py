"""munsell_jax.hub: the shipped models load from the package, as NNX modules and
as numpy callables, and their parameter files round-trip."""

import numpy as np
import pytest
from flax import nnx

import munsell_jax as mj
from munsell_jax.hub import build_model, load_params, save_params

SMALL = "to_xyY/approximator"


@pytest.fixture(scope="module")
def approximator():
    return mj.approximator(SMALL)


def test_a_converter_takes_any_leading_axes(approximator):
    spec = np.array([[5.0, 5.0, 10.0, 7.0], [2.5, 8.0, 4.0, 3.0]], np.float32)
    batch = np.asarray(approximator(spec))
    assert batch.shape == (2, 3)
    np.testing.assert_allclose(np.asarray(approximator(spec[0])), batch[0], atol=1e-6)
    assert approximator(spec.reshape(2, 1, 1, 4)).shape == (2, 1, 1, 3)


def test_a_converter_is_an_nnx_module_with_gradients(approximator):
    assert isinstance(approximator, nnx.Module)
    grad = nnx.grad(lambda c, s: c(s)[..., 0].sum(), argnums=1)(
        approximator, np.array([[5.0, 5.0, 10.0, 7.0]], np.float32)
    )
    assert np.isfinite(np.asarray(grad)).all() and np.abs(np.asarray(grad)).sum() > 0


def test_load_model_agrees_with_its_module_and_checks_the_width(approximator):
    spec = np.array([[5.0, 5.0, 10.0, 7.0]], np.float32)
    predict = mj.load_model(SMALL)
    assert predict is mj.load_model(SMALL)  # loaded once per process
    np.testing.assert_allclose(predict(spec), np.asarray(approximator(spec)), atol=1e-6)
    for model in (predict, mj.load_model("to_xyY/exact")):
        with pytest.raises(ValueError, match=r"shape \[\.\.\., 4\]"):
            model(np.array([[5.0, 5.0, 10.0]], np.float32))
    with pytest.raises(ValueError, match="from_xyY model, not Munsell -> xyY"):
        mj.approximator("from_xyY/mlp_base_hue_angle_exact")
    with pytest.raises(ValueError, match="exact engine"):
        mj.load_converter("to_xyY/exact")


@pytest.mark.parametrize("name", mj.shipped_models())
def test_every_shipped_model_loads_from_the_package(name):
    inputs = [[0.3, 0.35, 0.2]] if name.startswith("from_xyY") else [[5.0, 5.0, 10.0, 7.0]]
    out = mj.load_model(name)(np.repeat(np.array(inputs, np.float32), 2, axis=0))
    if isinstance(out, mj.hub.BoundedPrediction):  # a probabilistic model: its bound too
        assert out.delta_e_bound.shape == (2,) and (out.delta_e_bound > 0).all()
        out = out.specification
    assert out.shape == (2, 7 - len(inputs[0])) and out.dtype == np.float32
    assert np.isfinite(out).all()


def test_parameters_round_trip_and_mismatches_are_refused(approximator, tmp_path):
    file = save_params(approximator.network, tmp_path / "params.npz")
    config = {"direction": "to_xyY", "model": {"name": "mlp", "widths": [8]}}
    with pytest.raises(ValueError, match="does not match the model"):
        load_params(build_model(config), file)
    from munsell_jax.hub import MODELS, load_converter

    again = load_converter(MODELS / SMALL)
    spec = np.array([[5.0, 5.0, 10.0, 7.0]], np.float32)
    np.testing.assert_array_equal(np.asarray(again(spec)), np.asarray(approximator(spec)))
