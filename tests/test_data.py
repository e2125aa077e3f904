"""munsell_jax.lab.data: samplers with exact labels, reference sets, cache and CLI.

Each sampler runs once at a small size (module fixture ``sets``); labels are
checked against colour-science's own forward on a random subset of rows.
"""

import json
import warnings

import jax
import numpy as np
import pytest
from colour.notation.munsell import munsell_specification_to_xyY

from munsell_jax.lab import data
from munsell_jax.lab.cli import main
from munsell_jax.notation import to_colour_specification
from munsell_jax.renotation import renotation_valid

_SIZE = 3_000
_CHECKED_ROWS = 100  # colour-science's forward costs about 10 ms a row


@pytest.fixture(scope="module")
def sets():
    return {name: data.generate(name, jax.random.key(0), _SIZE) for name in data.SAMPLERS}


def _colour_forward(spec_Nx4: np.ndarray) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.array(
            [munsell_specification_to_xyY(to_colour_specification(s)) for s in spec_Nx4]
        )


@pytest.mark.parametrize("name", list(data.SAMPLERS))
def test_labels_match_colour_science(sets, name):
    dataset = sets[name]
    rows = np.random.default_rng(1).permutation(len(dataset.xyY))[:_CHECKED_ROWS]
    expected = _colour_forward(dataset.specification[rows])
    np.testing.assert_allclose(dataset.xyY[rows], expected, rtol=0, atol=1e-7)


@pytest.mark.parametrize("name", list(data.SAMPLERS))
def test_inside_the_data_and_finite(sets, name):
    dataset = sets[name]
    assert dataset.xyY.shape[1] == 3 and dataset.specification.shape[1] == 4
    assert len(dataset.xyY) == len(dataset.specification) > 0.9 * _SIZE
    assert np.isfinite(dataset.xyY).all() and np.isfinite(dataset.specification).all()
    assert np.asarray(renotation_valid(dataset.specification)).all()
    assert isinstance(dataset.dropped, int) and dataset.dropped >= 0
    spec = dataset.specification
    assert np.all((spec[:, 0] > 0) & (spec[:, 0] <= 10) & (spec[:, 1] >= 1) & (spec[:, 1] < 10))
    assert set(np.unique(spec[:, 3])) <= set(range(1, 11))


def test_perturbation_real_stays_near_the_real_colours(sets):
    from colour.notation.datasets.munsell import MUNSELL_COLOURS_REAL

    real = np.array(data.nominal_specifications(MUNSELL_COLOURS_REAL))
    real = real[real[:, 2] > 0]
    spec = sets["perturbation_real"].specification

    def points(s):  # ASTM hue angle, value, chroma as a point in a Munsell-like space
        t = 2 * np.pi * (10 * np.mod(7 - s[:, 3], 10) + s[:, 0]) / 100
        return np.stack([s[:, 2] * np.cos(t), s[:, 2] * np.sin(t), 2 * s[:, 1]], axis=-1)

    distance = np.linalg.norm(points(spec)[:, None] - points(real)[None], axis=-1).min(axis=1)
    # Jitter of hue 0.5, value 0.1 and chroma 0.5 (standard deviations) moves few
    # samples more than 2 units from their centre.
    assert np.quantile(distance, 0.99) < 2.0


def test_perturbation_exact_centres_on_the_data_xyY_not_the_names(sets):
    # The ALL colours' xyY at value 9 invert to value 9.09 (the names say 9):
    # the exact-centred jitter sits there, the name-centred one at 9.0.
    def centre(name):
        value = sets[name].specification[:, 1]
        return np.mean(value[(value > 8.7) & (value < 9.5)])

    assert abs(centre("perturbation_exact") - 9.09) < 0.02
    assert abs(centre("perturbation") - 9.0) < 0.02


@pytest.fixture(scope="module")
def nearest_draws():
    """Median CIELAB distance (Delta E 1976) from the REAL colours (and each half
    of ``data.real_split``), the held-out (generalisation) colours and a control
    set of random valid colours to each sampler's nearest draw (20,000 draws)."""
    from scipy.spatial import cKDTree

    from munsell_jax.colorimetry import xyY_to_Lab
    from munsell_jax.lab.evaluate import evaluation_sets

    sets = evaluation_sets()
    half = data.real_split()
    colours = {
        "real": sets["real"].xyY,
        "real_held_out_half": sets["real"].xyY[half],
        "real_other_half": sets["real"].xyY[~half],
        "held_out": sets["generalisation"].xyY,
        "control": data.forward(jax.random.key(99), 2_734).xyY,
    }
    colours = {name: np.asarray(xyY_to_Lab(xyY)) for name, xyY in colours.items()}
    medians = {}
    for name in data.SAMPLERS:
        tree = cKDTree(np.asarray(xyY_to_Lab(data.generate(name, jax.random.key(1), 20_000).xyY)))
        medians[name] = {k: float(np.median(tree.query(lab)[0])) for k, lab in colours.items()}
    return medians


@pytest.mark.parametrize("name", list(data.SAMPLERS))
def test_no_sampler_centres_on_the_held_out_colours(nearest_draws, name):
    # A sampler that centres on some colours puts its draws nearer them than to
    # random valid colours: the perturbation samplers' nearest draw is 2.5x nearer
    # the REAL colours (median Delta E 1.2 against 3.1). Every sampler is as far
    # from the held-out colours as from a fresh random set (measured: 0.96-1.01),
    # and ``CENTRES`` says exactly which ones centre on REAL.
    medians = nearest_draws[name]
    assert medians["held_out"] > 0.85 * medians["control"]
    if data.centres_on_real(name):
        assert medians["real"] < 0.6 * medians["control"]
    else:
        assert medians["real"] > 0.85 * medians["control"]
    if name == "perturbation_exact_split":  # half of REAL left out (measured 4.5 vs 3.5)
        assert medians["real_held_out_half"] > 0.85 * medians["control"]
        assert medians["real_other_half"] < 0.6 * medians["control"]
    elif data.centres_on_real(name):
        assert medians["real_held_out_half"] < 0.6 * medians["control"]


def test_grid_spans_values_and_hues(sets):
    spec = sets["grid"].specification
    assert spec[:, 1].min() < 1.5 and spec[:, 1].max() > 8.5
    assert len(np.unique(spec[:, 3])) == 10


def test_deterministic(sets):
    again = data.generate("forward", jax.random.key(0), _SIZE)
    np.testing.assert_array_equal(again.xyY, sets["forward"].xyY)
    np.testing.assert_array_equal(again.specification, sets["forward"].specification)
    other = data.generate("forward", jax.random.key(1), _SIZE)
    assert not np.array_equal(other.xyY, sets["forward"].xyY)


def test_unknown_sampler():
    with pytest.raises(ValueError, match="unknown sampler"):
        data.generate("nope", jax.random.key(0), 10)


def test_cache_round_trip(tmp_path):
    first = data.load_or_generate("perturbation", size=500, seed=3, data_dir=tmp_path)
    stem = tmp_path / "perturbation_n500_seed3"
    assert {p.suffix for p in tmp_path.iterdir()} == {".npz", ".json", ".png"}
    summary = json.loads(stem.with_suffix(".json").read_text())
    assert summary["rows"] == len(first.xyY) == 500 and summary["dropped"] == first.dropped
    with np.load(stem.with_suffix(".npz")) as arrays:
        assert sorted(arrays.files) == ["dropped", "specification", "xyY"]
    again = data.load_or_generate("perturbation", size=500, seed=3, data_dir=tmp_path)
    np.testing.assert_array_equal(again.xyY, first.xyY)


def test_a_broken_cache_is_generated_again(tmp_path):
    import warnings

    first = data.load_or_generate("perturbation", size=300, seed=4, data_dir=tmp_path, plot=False)
    npz = tmp_path / "perturbation_n300_seed4.npz"
    # A run killed between the arrays and the summary, or an older version's.
    npz.with_suffix(".json").unlink()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the arrays alone are a complete cache
        kept = data.load_or_generate("perturbation", size=300, seed=4, data_dir=tmp_path)
    np.testing.assert_array_equal(kept.xyY, first.xyY)
    # A truncated file: a warning, the same data again, and a whole file.
    npz.write_bytes(npz.read_bytes()[:100])
    with pytest.warns(UserWarning, match="unreadable"):
        again = data.load_or_generate("perturbation", size=300, seed=4, data_dir=tmp_path)
    np.testing.assert_array_equal(again.xyY, first.xyY)
    assert data.load_or_generate("perturbation", size=300, seed=4, data_dir=tmp_path).dropped == (
        first.dropped
    )
    assert not list(tmp_path.glob(".*.tmp"))


def test_cli_writes_npz(tmp_path, capsys):
    assert main(["data", "uniform", "--out", str(tmp_path), "--size", "400", "--quiet"]) == 0
    (path,) = tmp_path.glob("*.npz")
    with np.load(path) as arrays:
        assert arrays["xyY"].shape == (400, 3) and arrays["specification"].shape == (400, 4)
    assert "400 rows" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="unknown data set"):
        main(["data", "nope", "--out", str(tmp_path)])


def test_split_keeps_real_colours_out():
    train, validation = data.train_validation_split(jax.random.key(0))
    real = set(data.real_colours().names)
    assert not real & set(train.names) and not real & set(validation.names)
    assert not set(train.names) & set(validation.names)
    assert abs(len(validation.names) / (len(train.names) + len(validation.names)) - 0.2) < 0.01
    assert train.ok.all() and validation.ok.all()
    with_real, _ = data.train_validation_split(jax.random.key(0), include_real=True)
    assert len(real & set(with_real.names)) > 2_700


def test_real_reference_set():
    real = data.real_colours()
    assert len(real.names) == 2_734 and real.ok.sum() == 2_728
    assert real.specification.shape == (2_734, 4)


@pytest.mark.slow
@pytest.mark.parametrize("name", list(data.SAMPLERS))
def test_labels_match_colour_science_on_1000_rows(name):
    dataset = data.generate(name, jax.random.key(7), 20_000)
    rows = np.random.default_rng(2).permutation(len(dataset.xyY))[:1_000]
    expected = _colour_forward(dataset.specification[rows])
    np.testing.assert_allclose(dataset.xyY[rows], expected, rtol=0, atol=1e-7)


def test_epoch_batches_cover_each_row_once(sets):
    xyY, spec = data.as_device_arrays(sets["forward"])
    batches = list(data.epoch_batches(jax.random.key(0), (xyY, spec), 256))
    assert len(batches) == len(xyY) // 256
    assert all(b[0].shape == (256, 3) and b[1].shape == (256, 4) for b in batches)
    seen = np.concatenate([np.asarray(b[0]) for b in batches])
    assert len(np.unique(seen, axis=0)) == len(seen)
    with pytest.raises(ValueError, match="exceeds"):
        next(data.epoch_batches(jax.random.key(0), (xyY,), len(xyY) + 1))


def test_large_is_its_cached_parts(tmp_path):
    # Parts written by hand (the grid's inverse would compile): "large" reads
    # each from the cache at its share of the size, and concatenates them.
    rng = np.random.default_rng(0)
    for name, n in data.LARGE.items():
        n = n // 1_000
        np.savez(
            data.cache_path(tmp_path, name, n, 0),
            specification=rng.uniform(size=(n, 4)),
            xyY=rng.uniform(size=(n, 3)),
        )
        data.cache_path(tmp_path, name, n, 0).with_suffix(".json").write_text('{"dropped": 2}')
    large = data.load_or_generate("large", size=1_400, data_dir=tmp_path)
    assert large.xyY.shape == (1_400, 3) and large.specification.shape == (1_400, 4)
    assert large.dropped == 6
    with np.load(data.cache_path(tmp_path, "boundary", 700, 0)) as boundary:
        np.testing.assert_array_equal(large.xyY[500:1_200], boundary["xyY"])


def test_a_mixture_is_equal_shares_of_its_parts(tmp_path):
    rng = np.random.default_rng(1)
    for name in ("forward", "perturbation"):
        np.savez(
            data.cache_path(tmp_path, name, 50, 0),
            specification=rng.uniform(size=(50, 4)),
            xyY=rng.uniform(size=(50, 3)),
        )
        data.cache_path(tmp_path, name, 50, 0).with_suffix(".json").write_text('{"dropped": 1}')
    mixed = data.load_or_generate("forward+perturbation", size=100, data_dir=tmp_path)
    assert mixed.xyY.shape == (100, 3) and mixed.dropped == 2
    with np.load(data.cache_path(tmp_path, "perturbation", 50, 0)) as part:
        np.testing.assert_array_equal(mixed.xyY[50:], part["xyY"])
