"""The exact xyY -> Munsell inverse as one ONNX graph (``models/from_xyY/exact``).

The graph is committed (``munsell-jax export exact-inverse`` writes it, in
about a minute); these tests run the committed file: in a fresh process with
only numpy and onnxruntime, against JAX, and for exactness on REAL and on
random valid colours, judged by the exact forward and CIEDE2000.
"""

from __future__ import annotations

import subprocess
import sys

import jax
import numpy as np
import pytest

from munsell_jax import xyY_to_munsell
from munsell_jax.colorimetry import xyY_to_Lab
from munsell_jax.hub import INVERSE, MODELS
from munsell_jax.lab.evaluate import evaluation_sets
from munsell_jax.losses import delta_e
from munsell_jax.renotation import munsell_to_xyY_unmasked

GRAPH = MODELS / INVERSE / "model.onnx"

_RUN_ALONE = """
import sys
import numpy as np
import onnxruntime as ort

xyY = np.load(sys.argv[1])
session = ort.InferenceSession(sys.argv[2], providers=["CPUExecutionProvider"])
specification, residual, ok = session.run(None, {"xyY": xyY})
assert "jax" not in sys.modules and "munsell_jax" not in sys.modules
np.savez(sys.argv[3], specification=specification, residual=residual, ok=ok)
"""


@pytest.fixture(scope="module")
def colours() -> dict[str, np.ndarray]:
    """REAL and the 2,734 random valid colours of the evaluation (float32)."""
    sets = evaluation_sets()
    return {name: np.asarray(sets[name].xyY, np.float32) for name in ("real", "generalisation")}


@pytest.fixture(scope="module")
def graph_answers(colours, tmp_path_factory):
    """The graph's answers from a fresh process that imports only numpy and onnxruntime."""
    folder = tmp_path_factory.mktemp("graph")
    xyY = np.concatenate([colours["real"], colours["generalisation"]])
    np.save(folder / "xyY.npy", xyY)
    done = subprocess.run(
        [sys.executable, "-c", _RUN_ALONE, folder / "xyY.npy", GRAPH, folder / "out.npz"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    with np.load(folder / "out.npz") as out:
        return xyY, out["specification"], out["residual"], out["ok"]


def _exact_forward(specification: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The exact forward (float64) of each answer, and its validity."""
    with jax.enable_x64(True):
        forward, valid = jax.jit(munsell_to_xyY_unmasked)(specification.astype(np.float64))
        return np.asarray(forward), np.asarray(valid)


def _exact_delta_e(specification: np.ndarray, xyY: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """CIEDE2000 between each answer's exact forward and its input, and validity."""
    forward, valid = _exact_forward(specification)
    with jax.enable_x64(True):
        lab = [xyY_to_Lab(np.asarray(a, np.float64)) for a in (forward, xyY)]
        return np.asarray(delta_e(*lab, space="Lab")), valid


def test_the_graph_is_exact_on_real_and_random_colours(graph_answers, colours):
    xyY, specification, residual, ok = graph_answers
    n_real = len(colours["real"])
    error, valid = _exact_delta_e(specification, xyY)
    assert valid.all(), "an answer outside the renotation data"
    real, random = error[:n_real], error[n_real:]
    # 32 REAL colours have no exact answer (6 beyond the data, 26 in colour's snap gaps).
    assert (real <= 1e-3).sum() >= 2_700, (real <= 1e-3).sum()
    assert (random <= 1e-3).mean() >= 0.999, (random <= 1e-3).sum()
    # residual is the answer's xy distance: small exactly where the answer is exact.
    assert np.all(residual[error <= 1e-4] < 1e-4)
    # ok says the answer reproduces the input (xy within 1e-4: the 26 REAL
    # colours in colour's snap gaps are ok at CIEDE2000 up to about 0.0013).
    assert set(np.unique(ok)) <= {0.0, 1.0}
    assert np.all(residual[ok == 1] <= 1e-4) and np.all(ok[error <= 1e-4] == 1)


def _jax_answers(xyY: np.ndarray):
    """xyY_to_munsell on the float32 input, in float64: what the graph computes."""
    with jax.enable_x64(True):
        result = xyY_to_munsell(np.asarray(xyY, np.float32).astype(np.float64))
        return tuple(np.asarray(a) for a in result)


def test_the_graph_matches_jax(graph_answers):
    xyY, specification, residual, ok = graph_answers
    spec_jax, residual_jax, ok_jax = _jax_answers(xyY)
    forward = [_exact_forward(s)[0] for s in (specification, spec_jax)]
    difference = np.abs(forward[0] - forward[1]).max(axis=-1)
    # The same arithmetic in float64; XLA's and onnxruntime's rounding (their
    # sines and cosines) could still end a row on the other side of one of
    # colour's 1e-3 snapping zones, where the forward jumps (by up to 1e-4).
    assert difference.max() <= 1e-4
    assert (difference > 1e-6).sum() <= 5, (difference > 1e-6).sum()
    agree = difference <= 1e-6
    np.testing.assert_allclose(residual[agree], residual_jax[agree], rtol=0, atol=1e-6)
    assert (ok[agree] == ok_jax[agree]).all()


@pytest.mark.parametrize(
    "xyY",
    [
        [[0.31006, 0.31616, 0.5]],  # near white: no row takes the second chances
        [[0.4, 0.4, 0.3]],
        [[0.7, 0.1, 0.5], [0.05, 0.8, 0.5]],  # beyond the data: every row does
        [[0.3, 0.3, 0.3], [np.nan, 0.3, 0.3], [np.inf, 0.3, 0.3], [0.4, 0.4, 0.005]],
    ],
    ids=["grey", "one-colour", "beyond-the-data", "bad-and-dark-rows"],
)
def test_the_graph_answers_any_batch_as_jax(xyY):
    import onnxruntime as ort

    xyY = np.asarray(xyY, np.float32)
    session = ort.InferenceSession(GRAPH, providers=["CPUExecutionProvider"])
    specification, residual, ok = session.run(None, {"xyY": xyY})
    spec_jax, residual_jax, ok_jax = _jax_answers(xyY)
    np.testing.assert_allclose(specification, spec_jax, rtol=0, atol=1e-5)
    np.testing.assert_allclose(residual, residual_jax, rtol=1e-5, atol=1e-9)
    np.testing.assert_array_equal(ok, ok_jax.astype(np.float32))


def test_the_graph_records_what_it_is():
    import onnx

    proto = onnx.load(GRAPH, load_external_data=False)
    meta = {p.key: p.value for p in proto.metadata_props}
    assert meta["direction"] == "from_xyY" and meta["precision"] == "float64"
    assert "cell walk" in meta["architecture"]
    assert [o.name for o in proto.graph.output] == ["specification", "residual", "ok"]
    assert 6_000 < len(proto.graph.node) < 10_000  # docs/models.md: 7,481 nodes
