"""munsell_jax.lab.baselines: interpolators reproduce their fitting colours and
Delaunay's NaN outside the hull reaches the protocol as counted rows."""

import numpy as np
import pytest

from munsell_jax.lab import baselines, evaluate


@pytest.fixture(scope="module")
def fitting():
    return baselines._fitting_colours()


def test_fitting_colours_are_80_percent_of_all_and_hold_most_of_real(fitting):
    assert len(fitting.xyY) == 2_647  # of the 3,309 ALL colours the inverse reproduces
    assert 0.75 < baselines.real_seen() < 0.85


@pytest.mark.parametrize("kind", ["kdtree", "delaunay", "rbf"])
def test_reproduces_its_own_points_to_xyY(fitting, kind):
    predict = baselines.fit(kind, "to_xyY")
    rows = slice(0, 2_647, 97)
    np.testing.assert_allclose(predict(fitting.specification[rows]), fitting.xyY[rows], atol=1e-5)


@pytest.mark.parametrize("kind", ["kdtree", "delaunay"])
def test_from_xyY_on_its_own_points(fitting, kind):
    predict = baselines.fit(kind, "from_xyY")
    rows = slice(0, 2_647, 97)
    spec = predict(fitting.xyY[rows])
    np.testing.assert_allclose(spec[:, 1:3], fitting.specification[rows][:, 1:3], atol=1e-4)


def test_delaunay_outside_the_hull_is_counted():
    predict = baselines.fit("delaunay", "from_xyY")
    colours = evaluate.evaluation_sets()["generalisation"]
    metrics, rows = evaluate.protocol("from_xyY", predict(colours.xyY), colours)
    assert metrics["n_nan"] > 0
    assert int(np.isnan(rows["delta_e"]).sum()) == metrics["n_nan"]


def test_unknown_baseline():
    with pytest.raises(ValueError, match="unknown baseline"):
        baselines.fit("spline", "to_xyY")
