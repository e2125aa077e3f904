"""munsell_jax.renotation against colour-science 0.4.7.

The reference values live in ``tests/data`` (written by
``scripts/make_reference_fixtures.py``): colour's forward on every renotation
data point and on 20,000 specifications aimed at its snap zones, wraps and
table edges, and colour's ``maximum_chroma_from_renotation``.

Known, deliberate deviation: colour raises for hue 0 of family P (code 9, and
hues within its 1e-3 snap zone), which it normalises to code 0; we convert it as
10PB. Those rows are left out of the NaN-pattern comparisons and checked against
10PB instead.
"""

from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from colour.notation.munsell import (
    luminance_ASTMD1535,
    munsell_specification_to_xyY,
    munsell_value_ASTMD1535,
)

import munsell_jax as mj
from munsell_jax.renotation import (
    luminance_to_value,
    maximum_chroma,
    munsell_to_xyY,
    project_to_renotation,
    renotation_valid,
    value_to_luminance,
)

DATA = Path(__file__).parent / "data"
_TOLERANCE = 1e-9

# Every batch is padded to one size so that each jitted function compiles once
# (per dtype) for the whole module: compilation, not arithmetic, is the cost here.
_BATCH = 32_768
_PAD_SPEC = np.array([5.0, 5.0, 4.0, 5.0])  # 5Y 5/4, valid everywhere

_forward_and_valid_jit = jax.jit(lambda spec: (munsell_to_xyY(spec), renotation_valid(spec)))
_project_jit = jax.jit(lambda spec: (project_to_renotation(spec), renotation_valid(spec)))
_jacrev_jit = jax.jit(jax.vmap(jax.jacrev(munsell_to_xyY)))
_jacfwd_jit = jax.jit(jax.vmap(jax.jacfwd(munsell_to_xyY)))


def _run(function, spec_Nx4: np.ndarray, dtype=np.float64):
    n = len(spec_Nx4)
    assert n <= _BATCH
    padded = np.concatenate([spec_Nx4, np.tile(_PAD_SPEC, (_BATCH - n, 1))]).astype(dtype)
    return jax.tree.map(lambda out: np.asarray(out)[:n], function(padded))


def _xyY(spec_Nx4: np.ndarray, dtype=np.float64) -> np.ndarray:
    return _run(_forward_and_valid_jit, spec_Nx4, dtype)[0]


def _valid(spec_Nx4: np.ndarray) -> np.ndarray:
    return _run(_forward_and_valid_jit, spec_Nx4)[1]


def _p_hue_zero(spec_Nx4: np.ndarray) -> np.ndarray:
    """Rows colour rejects by design and we convert as 10PB: hue 0 (within 1e-3) of P."""
    hue, _, chroma, code = spec_Nx4.T
    return (code == 9) & (hue >= 0) & (hue < 1e-3) & (chroma != 0)


def _as_10pb(spec_Nx4: np.ndarray) -> np.ndarray:
    out = spec_Nx4.copy()
    out[:, 0], out[:, 3] = 10.0, 10.0
    return out


@pytest.fixture(scope="module")
def forward():
    with np.load(DATA / "renotation_forward.npz") as data:
        fixture = {key: data[key] for key in data.files}
    spec = fixture["spec"]
    fixture["ours"], fixture["valid"] = _run(_forward_and_valid_jit, spec)
    fixture["raised"] = fixture["error"] > 0
    fixture["excluded"] = _p_hue_zero(spec)
    return fixture


def test_fixture_covers_the_hard_places(forward):
    kinds = forward["kind_names"][forward["kind"]]
    counts = {str(name): int(np.sum(kinds == name)) for name in forward["kind_names"]}
    assert counts["renotation"] > 3_900 and len(kinds) - counts["renotation"] >= 20_000, counts
    assert min(counts.values()) >= 400, counts
    assert 0.05 < forward["raised"].mean() < 0.3


def test_forward_matches_colour(forward):
    keep = ~forward["excluded"]
    ours, reference, raised = forward["ours"][keep], forward["xyY"][keep], forward["raised"][keep]
    ours_nan = np.isnan(ours)
    assert np.array_equal(ours_nan.any(-1), ours_nan.all(-1)), "partially NaN rows"
    mismatch = np.flatnonzero(ours_nan.any(-1) != raised)
    assert mismatch.size == 0, (
        f"{mismatch.size} rows NaN in one and not the other, e.g. "
        f"{forward['spec'][keep][mismatch[:5]]} (colour raised: {raised[mismatch[:5]]})"
    )
    error = np.abs(ours[~raised] - reference[~raised]).max(-1)
    worst = np.argmax(error)
    assert error.max() < _TOLERANCE, (
        f"max |xyY - colour| = {error.max():.3g} at {forward['spec'][keep][~raised][worst]}"
    )
    print(f"forward: {np.sum(~raised)} rows, max |xyY - colour| = {error.max():.3g}")


def test_renotation_valid_matches_colour(forward):
    keep = ~forward["excluded"]
    assert forward["valid"].dtype == bool
    assert np.array_equal(forward["valid"][keep], ~forward["raised"][keep])


def test_hue_zero_of_purple_is_10pb(forward):
    excluded = forward["excluded"]
    assert excluded.sum() >= 50
    spec = forward["spec"][excluded]
    as_10pb = _as_10pb(spec)
    np.testing.assert_array_equal(forward["ours"][excluded], _xyY(as_10pb))
    # ... and 10PB is colour's value (colour raises on the original rows).
    reference = []
    for row in as_10pb[:40]:
        try:
            reference.append(munsell_specification_to_xyY(row))
        except (ValueError, AssertionError):
            reference.append(np.full(3, np.nan))
    np.testing.assert_allclose(forward["ours"][excluded][:40], reference, rtol=0, atol=_TOLERANCE)


def test_colour_grey_form_accepted(forward):
    spec = forward["spec"]
    nan_form = np.isnan(spec[:, 0]) & np.isnan(spec[:, 2]) & np.isnan(spec[:, 3])
    assert nan_form.sum() >= 100
    ours_form = np.zeros((nan_form.sum(), 4))
    ours_form[:, 1] = spec[nan_form, 1]
    np.testing.assert_array_equal(forward["ours"][nan_form], _xyY(ours_form))
    assert np.isfinite(forward["ours"][nan_form]).all()


def test_float32(forward):
    keep = ~forward["excluded"] & ~forward["raised"]
    out = _xyY(forward["spec"], np.float32)
    assert out.dtype == np.float32
    out, reference = out[keep], forward["xyY"][keep]
    # Rounding the input to float32 can move a few rows across a table edge.
    finite = np.isfinite(out).all(-1)
    assert np.mean(~finite) < 1e-3, f"{np.sum(~finite)} valid rows NaN in float32"
    error = np.abs(out[finite] - reference[finite]).max()
    print(f"float32: max |xyY - colour| = {error:.3g}, {np.sum(~finite)} rows NaN")
    assert error < 1e-5, f"float32 max |xyY - colour| = {error:.3g}"


def test_jit_broadcasting_and_input_types(forward):
    # One eager (op-by-op) shape only: each new shape recompiles every primitive.
    valid = ~forward["raised"] & ~forward["excluded"]
    rows = np.flatnonzero(valid)[:: valid.sum() // 24][:24]
    spec_2x3x4x4 = forward["spec"][rows].reshape(2, 3, 4, 4)

    eager = munsell_to_xyY(spec_2x3x4x4)  # not jitted, numpy input
    assert eager.shape == (2, 3, 4, 3) and eager.dtype == jnp.float64
    np.testing.assert_allclose(
        np.asarray(eager).reshape(-1, 3), forward["ours"][rows], rtol=0, atol=1e-14
    )
    np.testing.assert_array_equal(munsell_to_xyY(jnp.asarray(spec_2x3x4x4)), eager)

    integer = np.resize([[5, 5, 4, 5], [10, 3, 6, 1], [0, 7, 0, 0], [2, 9, 0, 7]], (24, 4))
    out = munsell_to_xyY(integer.reshape(2, 3, 4, 4))
    assert out.dtype == jnp.float64
    np.testing.assert_allclose(
        np.asarray(out).reshape(-1, 3), _xyY(integer.astype(float)), rtol=0, atol=1e-14
    )
    assert np.isfinite(out).all()


@pytest.fixture(scope="module")
def max_chroma():
    with np.load(DATA / "maximum_chroma.npz") as data:
        fixture = {key: data[key] for key in data.files}
    fixture["ours"] = np.asarray(jax.jit(maximum_chroma)(fixture["hue_value_code"]))
    return fixture


def test_maximum_chroma_matches_colour(max_chroma):
    hue, value, code = max_chroma["hue_value_code"].T
    excluded = (code == 9) & (hue == 0)  # colour raises; we read 10PB
    ours, reference = max_chroma["ours"][~excluded], max_chroma["maximum_chroma"][~excluded]
    assert np.array_equal(np.isnan(ours), np.isnan(reference))
    error = np.nanmax(np.abs(ours - reference))
    assert error < _TOLERANCE, f"max |maximum_chroma - colour| = {error:.3g}"

    as_10pb = max_chroma["hue_value_code"][excluded].copy()
    as_10pb[:, 0], as_10pb[:, 2] = 10.0, 10.0
    np.testing.assert_allclose(
        max_chroma["ours"][excluded], maximum_chroma(as_10pb), rtol=0, atol=_TOLERANCE
    )


def test_value_luminance_match_colour():
    values = np.concatenate([np.linspace(-0.5, 10.5, 221), [0.0, 1.0, 9.999, 10.0, 1e-4]])
    np.testing.assert_allclose(
        value_to_luminance(values), luminance_ASTMD1535(values) / 100, rtol=0, atol=1e-12
    )
    Y = np.concatenate([np.linspace(-0.05, 1.05, 221), [0.0, 1.0, 1e-5, 0.012, 0.999999]])
    np.testing.assert_allclose(
        luminance_to_value(Y), munsell_value_ASTMD1535(100 * Y), rtol=0, atol=_TOLERANCE
    )


# --- Gradients ------------------------------------------------------------------------------


def _away_from_kinks(rng: np.random.Generator, n: int) -> np.ndarray:
    """Valid specifications at least 1e-2 from every hue step, integer value, even
    chroma and table edge, where central differences see one smooth piece."""
    m = 8 * n
    code = rng.integers(1, 11, m).astype(float)
    hue = 2.5 * rng.integers(0, 4, m) + rng.uniform(0.011, 2.489, m)
    value = rng.integers(1, 10, m) + rng.uniform(0.011, 0.989, m)
    top = np.asarray(maximum_chroma(np.stack([hue, value, code], axis=-1)))
    chroma = rng.uniform(0.02, 1, m) * np.maximum(top - 0.5, 0)
    spec = np.stack([hue, value, chroma, code], axis=-1)
    near_even = np.abs(chroma - 2 * np.round(chroma / 2)) < 1e-2
    keep = ~near_even & (chroma > 1e-2) & _valid(spec)
    for axis in range(3):  # the neighbourhood is inside the data too
        for sign in (-1, 1):
            moved = spec.copy()
            moved[:, axis] += sign * 1e-2
            keep &= _valid(moved)
    assert keep.sum() >= n
    return spec[keep][:n]


def test_gradients_finite_at_every_valid_row(forward):
    valid = forward["valid"]
    spec = forward["spec"][valid]
    greys = np.array([[0.0, v, 0.0, 0.0] for v in (0.0, 0.5, 1.0, 5.0, 9.5, 10.0)])
    spec = np.concatenate([spec, greys])
    for name, jacobian in (("jacrev", _jacrev_jit), ("jacfwd", _jacfwd_jit)):
        jac = _run(jacobian, spec)
        assert jac.shape == (len(spec), 3, 4)
        bad = ~np.isfinite(jac).all(axis=(-1, -2))
        assert not bad.any(), f"{name}: {bad.sum()} rows non-finite, e.g. {spec[bad][:5]}"


def test_gradients_match_finite_differences():
    spec = _away_from_kinks(np.random.default_rng(0), 300)
    h = 1e-6
    moved = [spec + sign * h * np.eye(4)[axis] for axis in range(3) for sign in (1, -1)]
    xyY = _xyY(np.concatenate(moved)).reshape(3, 2, len(spec), 3)
    numeric = np.moveaxis((xyY[:, 0] - xyY[:, 1]) / (2 * h), 0, -1)  # [N, 3 outputs, 3 inputs]
    for name, jacobian in (("jacrev", _jacrev_jit), ("jacfwd", _jacfwd_jit)):
        analytic = _run(jacobian, spec)[..., :3]
        error = np.abs(analytic - numeric).max()
        print(f"{name}: max |jacobian - finite difference| = {error:.3g} on {len(spec)} points")
        assert error < 1e-6, f"{name}: max |jacobian - finite difference| = {error:.3g}"


def test_snap_zone_is_flat_in_value_with_continuous_gradient():
    """Within 1e-3 of a hue step or an integer value colour reads the data point
    (flat); our gradient is the continuous interpolation's, the slope just outside."""
    cases = [  # (inside the zone, on the step, axis)
        (np.array([5 + 5e-4, 5.0, 6.0, 5.0]), np.array([5.0, 5.0, 6.0, 5.0]), 0),
        (np.array([7.5 - 5e-4, 6.0, 8.0, 2.0]), np.array([7.5, 6.0, 8.0, 2.0]), 0),
        (np.array([4.0, 5 + 5e-4, 6.0, 7.0]), np.array([4.0, 5.0, 6.0, 7.0]), 1),
    ]
    for inside, step, axis in cases:
        reference = munsell_specification_to_xyY(inside)
        ours = _xyY(np.stack([inside, step]))
        np.testing.assert_allclose(ours[0], reference, rtol=0, atol=_TOLERANCE)
        np.testing.assert_array_equal(ours[0, :2], ours[1, :2])  # flat in xy

        direction = np.sign(inside[axis] - step[axis]) * np.eye(4)[axis]
        outside = _xyY(np.stack([step + 2e-3 * direction, step + 3e-3 * direction]))
        slope = (outside[1, :2] - outside[0, :2]) / 1e-3 * direction[axis]
        gradient = _run(_jacfwd_jit, inside[None])[0, :2, axis]
        assert np.abs(gradient).max() > 1e-4
        np.testing.assert_allclose(gradient, slope, rtol=2e-2, atol=2e-2 * np.abs(slope).max())


@pytest.mark.parametrize(
    "function, width",
    [
        (mj.munsell_to_xyY, 4),
        (mj.renotation_valid, 4),
        (mj.maximum_chroma, 3),
        (mj.xyY_to_munsell, 3),
    ],
)
def test_a_wrong_last_axis_is_a_one_line_error(function, width):
    # [5, 5, 10] once read as [5, 5, 10, 10] (code from the chroma) and passed.
    for bad in (width - 1, width + 1):
        with pytest.raises(ValueError, match=rf"must have shape \[\.\.\., {width}\], got"):
            function(np.full((2, bad), 5.0))
    with pytest.raises(ValueError, match="must have shape"):
        function(np.float64(5.0))


def _beyond_the_data(rng: np.random.Generator, n: int) -> np.ndarray:
    """Specifications as a network might predict them: value -1..11, chroma -2..40."""
    return np.stack(
        [
            rng.uniform(0, 10, n),
            rng.uniform(-1, 11, n),
            rng.uniform(-2, 40, n),
            rng.integers(1, 11, n),
        ],
        axis=-1,
    )


def test_projection_gives_specifications_that_exist(forward):
    """Every finite row lands inside the data (judged by colour-science on a
    sample) and rows already inside come back unchanged, bit for bit."""
    spec = np.concatenate([forward["spec"], _beyond_the_data(np.random.default_rng(0), 8_000)])
    spec = spec[np.isfinite(spec).all(-1) & (spec[:, 0] >= 0) & (spec[:, 0] <= 10)]
    spec = spec[(spec[:, 3] == np.round(spec[:, 3])) & (spec[:, 3] >= 1) & (spec[:, 3] <= 10)]
    projected, inside = _run(_project_jit, spec)
    assert _valid(projected).all()
    np.testing.assert_array_equal(projected[inside], spec[inside])
    moved = np.flatnonzero(~inside)
    assert len(moved) > 1_000
    for row in projected[moved[:: len(moved) // 200]]:
        assert np.isfinite(munsell_specification_to_xyY(mj.to_colour_specification(row))).all()
    # In float32 too: the chroma ceilings are even numbers, exact in float32.
    assert _valid(_run(_project_jit, spec, np.float32)[0].astype(np.float64)).all()


def test_projection_keeps_nan_and_has_gradients():
    spec = jnp.array(
        [
            [5.0, 0.5, 2.0, 5.0],
            [5.0, 5.0, 40.0, 5.0],
            [0.0, 10.5, 0.0, 0.0],  # a predicted grey: code 0
            [np.nan, 5.0, 4.0, 5.0],
        ]
    )
    projected = np.asarray(project_to_renotation(spec))
    assert np.isnan(projected[3]).all() and np.isfinite(projected[:3]).all()
    np.testing.assert_array_equal(projected[2], [0.0, 10.0, 0.0, 0.0])
    np.testing.assert_array_equal(projected[0], [5.0, 1.0, 2.0, 5.0])  # value 1, chroma kept
    gradient = jax.grad(lambda s: jnp.sum(project_to_renotation(s)[:2]))(spec)
    assert np.isfinite(np.asarray(gradient[:2])).all()


def test_packaged_tables_equal_a_fresh_build():
    """The tables the package loads are colour-science's data, as built today."""
    from munsell_jax.renotation import TABLES_FILE, build_renotation_tables, renotation_tables

    assert TABLES_FILE.exists()
    loaded, built = renotation_tables(), build_renotation_tables()
    for name in loaded._fields:
        np.testing.assert_array_equal(getattr(loaded, name), getattr(built, name), err_msg=name)
        assert getattr(loaded, name).dtype == getattr(built, name).dtype, name
