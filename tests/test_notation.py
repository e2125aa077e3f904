"""Tests for munsell_jax.notation, against colour-science's Munsell notation code."""

import doctest

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from colour.notation import munsell as colour_munsell
from colour.notation.datasets.munsell import MUNSELL_COLOURS_ALL

from munsell_jax import notation
from munsell_jax.notation import (
    HUE_FAMILIES,
    family_code,
    family_name,
    format_munsell,
    from_colour_specification,
    is_grey,
    normalise_specification,
    parse_munsell,
    parse_munsell_array,
    to_colour_specification,
)

ALL_NAMES = [
    colour_munsell.MUNSELL_COLOUR_FORMAT.format(*entry[0]) for entry in MUNSELL_COLOURS_ALL
]


def colour_parse(string):
    """colour's specification for `string`, in munsell_jax's conventions."""
    return from_colour_specification(colour_munsell.munsell_colour_to_munsell_specification(string))


# --------------------------------------------------------------------------- #
# Parity with colour-science on the renotation names
# --------------------------------------------------------------------------- #


def test_parse_matches_colour_on_all_renotation_names():
    assert len(ALL_NAMES) == 4995
    ours = parse_munsell_array(ALL_NAMES)
    theirs = np.stack(
        [colour_munsell.munsell_colour_to_munsell_specification(name) for name in ALL_NAMES]
    )
    # The renotation has no greys and no hue 0, so colour's raw output compares as is.
    assert not np.isnan(theirs).any()
    assert ours.shape == (4995, 4) and ours.dtype == np.float64
    np.testing.assert_array_equal(ours, theirs)


def test_format_matches_colour_and_round_trips_on_all_renotation_names():
    for name in ALL_NAMES:
        spec = parse_munsell(name)
        text = format_munsell(spec)
        assert text == colour_munsell.munsell_specification_to_munsell_colour(spec), name
        np.testing.assert_array_equal(parse_munsell(text), spec, err_msg=name)


# Strings colour accepts, each compared with colour after its boundary conversion
# (NaN greys -> canonical; colour's code 0 for 0P -> 10).
COLOUR_ACCEPTED = [
    "4.2YR 8.1/5.3",
    "10RP 1/2",
    "2.5GY 0.2/2.0",
    "5 R 5 / 4",
    "5R5/4",
    "5r 5/4",
    "7.5bg 3/2",
    "5R 5/+4",
    ".5B 1/.2",
    "1e1PB 5/4",
    "2.5E0Y 9/1e1",
    "10Y 10/2",
    "5R 0/4",
    "0YR 2/4",
    "0R 5/4",
    "0P 5/4",
    "0PB 5/4",
    "0B 5/4",
    "0GY 5/4",
    "5R 5/0",
    "5R 5/0.0",
    "N5.2",
    "n5.2",
    "N0",
    "N10",
    "5R 5/4 ",
]


@pytest.mark.parametrize("string", COLOUR_ACCEPTED)
def test_parse_matches_colour(string):
    ours = parse_munsell(string)
    np.testing.assert_array_equal(ours, colour_parse(string))
    assert not np.isnan(ours).any()


@pytest.mark.parametrize(
    "string, expected",
    [
        ("N 5.2", [0.0, 5.2, 0.0, 0.0]),
        ("  N   5.2  ", [0.0, 5.2, 0.0, 0.0]),
        ("N 5/", [0.0, 5.0, 0.0, 0.0]),
        ("N 5/0", [0.0, 5.0, 0.0, 0.0]),
        (" 4.2YR 8.1/5.3", [4.2, 8.1, 5.3, 6.0]),
        ("\t4.2YR 8.1/5.3\n", [4.2, 8.1, 5.3, 6.0]),
    ],
)
def test_parse_accepts_forms_colour_rejects(string, expected):
    with pytest.raises(ValueError):
        colour_munsell.munsell_colour_to_munsell_specification(string)
    np.testing.assert_array_equal(parse_munsell(string), expected)


def test_colour_normalise_bug_on_0P_is_fixed():
    # colour 0.4.7 computes the next code as (code + 1) % 10, so 0P -> code 0.
    assert colour_munsell.munsell_colour_to_munsell_specification("0P 5/4").tolist() == [
        10.0,
        5.0,
        4.0,
        0.0,
    ]
    assert parse_munsell("0P 5/4").tolist() == [10.0, 5.0, 4.0, 10.0]
    assert format_munsell([0.0, 5.0, 4.0, 9.0]) == "10.0PB 5.0/4.0"


def test_format_matches_colour_on_random_specifications():
    rng = np.random.default_rng(0)
    n = 400

    def uniform(high):
        # Mixed precision, so exact halves and decimals near rounding ties occur.
        scale = 10.0 ** rng.integers(0, 4, n)
        return np.round(rng.uniform(0, high, n) * scale) / scale

    specs = np.stack(
        [uniform(10), uniform(10), uniform(50), rng.integers(1, 11, n).astype(float)], axis=-1
    )
    specs[:20, 0] = 0.0  # hue 0, normalised by both
    specs[20:40, 1] = 0.35  # numpy rounding (0.4) vs Python formatting (0.3)
    specs[40:50, 1] = 0.04  # value that rounds to black
    specs[50:60, 2] = 0.0  # greys: colour only formats its NaN form
    specs = specs[(specs[:, 0] != 0) | (specs[:, 3] != 9)]  # colour fails on 0P
    for spec in specs:
        for decimals in [(1, 1, 1), (0, 2, 3), (3, 0, 2)]:
            keywords = dict(
                zip(["hue_decimals", "value_decimals", "chroma_decimals"], decimals, strict=True)
            )
            theirs = colour_munsell.munsell_specification_to_munsell_colour(
                to_colour_specification(spec), *decimals
            )
            expected = theirs.replace("N", "N ")  # colour writes greys "N5.2"
            assert format_munsell(spec, **keywords) == expected, (spec, decimals)


# --------------------------------------------------------------------------- #
# Greys
# --------------------------------------------------------------------------- #


def test_grey_parse_and_format():
    np.testing.assert_array_equal(parse_munsell("N 5.2"), [0.0, 5.2, 0.0, 0.0])
    assert format_munsell(parse_munsell("N 5.2")) == "N 5.2"
    assert format_munsell([np.nan, 5.2, np.nan, np.nan]) == "N 5.2"
    assert format_munsell([5.0, 5.2, 0.0, 7.0]) == "N 5.2"
    assert format_munsell([0.0, 5.25, 0.0, 0.0], value_decimals=2) == "N 5.25"
    assert format_munsell(jnp.array([0.0, 5.2, 0.0, 0.0])) == "N 5.2"


def test_grey_colour_boundary_both_ways():
    colour_greys = np.array([[np.nan, 5.2, np.nan, np.nan], [np.nan, 0.0, np.nan, np.nan]])
    ours = from_colour_specification(colour_greys)
    np.testing.assert_array_equal(ours, [[0.0, 5.2, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]])
    np.testing.assert_array_equal(to_colour_specification(ours), colour_greys)
    # Chroma 0 with any hue/code is a grey.
    np.testing.assert_array_equal(
        to_colour_specification([5.0, 3.0, 0.0, 7.0]), [np.nan, 3.0, np.nan, np.nan]
    )
    # Chromatic specifications pass through, batched, from JAX too.
    chromatic = np.array([[[4.2, 8.1, 5.3, 6.0]], [[10.0, 1.0, 2.0, 8.0]]])
    np.testing.assert_array_equal(to_colour_specification(jnp.asarray(chromatic)), chromatic)
    np.testing.assert_array_equal(from_colour_specification(chromatic), chromatic)
    # colour's own grey output converts to ours.
    np.testing.assert_array_equal(colour_parse("N5.2"), parse_munsell("N 5.2"))


def test_is_grey():
    spec = np.array(
        [
            [0.0, 5.2, 0.0, 0.0],
            [5.0, 5.0, 0.0, 7.0],
            [np.nan, 5.0, np.nan, np.nan],
            [4.2, 8.1, 5.3, 6.0],
            [np.nan, 5.0, 4.0, 7.0],
        ]
    )
    expected = [True, True, True, False, False]
    assert is_grey(spec).tolist() == expected
    assert isinstance(is_grey(spec), np.ndarray)
    assert jax.jit(is_grey)(jnp.asarray(spec)).tolist() == expected
    assert is_grey(spec.reshape(5, 1, 4)).shape == (5, 1)


# --------------------------------------------------------------------------- #
# Normalisation
# --------------------------------------------------------------------------- #

NORMALISATION_TABLE = [
    # name, input, expected
    ("0YR=10R", [0.0, 2.0, 4.0, 6.0], [10.0, 2.0, 4.0, 7.0]),
    ("0P=10PB", [0.0, 5.0, 4.0, 9.0], [10.0, 5.0, 4.0, 10.0]),
    ("0PB=10B", [0.0, 5.0, 4.0, 10.0], [10.0, 5.0, 4.0, 1.0]),
    ("0R=10RP", [0.0, 5.0, 4.0, 7.0], [10.0, 5.0, 4.0, 8.0]),
    ("0B=10BG", [0.0, 5.0, 4.0, 1.0], [10.0, 5.0, 4.0, 2.0]),
    ("0RP=10P", [0.0, 5.0, 4.0, 8.0], [10.0, 5.0, 4.0, 9.0]),
    ("chroma0", [5.0, 5.0, 0.0, 7.0], [0.0, 5.0, 0.0, 0.0]),
    ("hue0chroma0", [0.0, 5.0, 0.0, 7.0], [0.0, 5.0, 0.0, 0.0]),
    ("colour-grey", [np.nan, 5.2, np.nan, np.nan], [0.0, 5.2, 0.0, 0.0]),
    ("canonical-grey", [0.0, 5.2, 0.0, 0.0], [0.0, 5.2, 0.0, 0.0]),
    ("chromatic", [4.2, 8.1, 5.3, 6.0], [4.2, 8.1, 5.3, 6.0]),
    ("hue10", [10.0, 8.1, 5.3, 6.0], [10.0, 8.1, 5.3, 6.0]),
]
TABLE_IN = np.array([row[1] for row in NORMALISATION_TABLE])
TABLE_OUT = np.array([row[2] for row in NORMALISATION_TABLE])


@pytest.mark.parametrize(
    "name, spec, expected", NORMALISATION_TABLE, ids=[row[0] for row in NORMALISATION_TABLE]
)
def test_normalise_table_numpy(name, spec, expected):
    out = normalise_specification(np.array(spec))
    assert isinstance(out, np.ndarray)
    np.testing.assert_array_equal(out, expected)


def test_normalise_matches_colour_where_colour_is_right():
    for spec in TABLE_IN:
        if spec[0] == 0 and spec[3] == 9:
            continue  # colour's 0P bug
        theirs = colour_munsell.normalise_munsell_specification(spec)
        np.testing.assert_array_equal(
            normalise_specification(spec), from_colour_specification(theirs)
        )


@pytest.mark.parametrize("dtype", [jnp.float32, jnp.float64])
def test_normalise_jax_jit_vmap(dtype):
    spec = jnp.asarray(TABLE_IN, dtype=dtype)
    eager = normalise_specification(spec)
    jitted = jax.jit(normalise_specification)(spec)
    mapped = jax.jit(jax.vmap(normalise_specification))(spec)
    for out in (eager, jitted, mapped):
        assert isinstance(out, jax.Array) and out.dtype == dtype and out.shape == spec.shape
        np.testing.assert_array_equal(out, TABLE_OUT.astype(dtype))
    # Leading batch axes broadcast.
    batched = normalise_specification(spec.reshape(3, 4, 4))
    np.testing.assert_array_equal(batched.reshape(-1, 4), TABLE_OUT.astype(dtype))


def test_normalise_numpy_keeps_dtype_and_casts_ints():
    out = normalise_specification(TABLE_IN.astype(np.float32))
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, TABLE_OUT.astype(np.float32))
    ints = normalise_specification([[0, 2, 4, 6]])
    assert ints.dtype == np.float64 and ints.tolist() == [[10.0, 2.0, 4.0, 7.0]]


def test_normalise_gradients_finite():
    spec = jnp.asarray(TABLE_IN)
    grad = jax.grad(lambda s: normalise_specification(s).sum())(spec)
    assert bool(jnp.isfinite(grad).all())
    # Value always passes through; greys zero the hue, chroma and code gradients.
    np.testing.assert_array_equal(grad[:, 1], 1.0)
    grey = np.asarray(is_grey(TABLE_IN))
    np.testing.assert_array_equal(grad[grey][:, [0, 2, 3]], 0.0)


def test_normalise_rejects_wrong_shape():
    with pytest.raises(ValueError, match=r"\[\.\.\., 4\]"):
        normalise_specification(np.zeros(3))
    with pytest.raises(ValueError, match=r"\[\.\.\., 4\]"):
        normalise_specification(jnp.zeros((2, 5)))


# --------------------------------------------------------------------------- #
# Malformed input
# --------------------------------------------------------------------------- #

MALFORMED = [
    "",
    "   ",
    "garbage",
    "5XX 5/4",
    "5R 5",
    "5R",
    "R 5/4",
    "5R /4",
    "5R 5/",
    "5R 5/4 extra",
    "5R 5/4garbage",
    "5R 5/4/2",
    "-5R 5/4",
    "+5R 5/4",
    "5R -5/4",
    "5R 5/-4",
    "5R 5/-0",
    "12R 5/4",
    "10.01R 5/4",
    "1e2R 5/4",
    "5R 12/4",
    "5R 10.5/4",
    "5R 5/1e999",
    "N 10.5",
    "N -1",
    "N",
    "N 5/4",
    "N 5/-0",
    "nanR 5/4",
    "5R nan/4",
    "5R 5/nan",
    "N nan",
    "infR 5/4",
    "5R 5/inf",
    "5.R 5/4",
    "5R 5,0/4",
    "5 5/4",
    "5N 5/4",
    "5R 5\\4",
    "5R\n5/4\nx",
]


@pytest.mark.parametrize("string", MALFORMED)
def test_parse_malformed_raises_with_string(string):
    with pytest.raises(ValueError) as info:
        parse_munsell(string)
    assert string in str(info.value)


@pytest.mark.parametrize("n", [800, 20_000])
def test_long_malformed_strings_fail_in_linear_time(n):
    # A number pattern that splits a run of digits several ways made this
    # backtrack cubically: 11 s at n = 800, hours at 20,000. Now it fails at once.
    with pytest.raises(ValueError, match="not a valid Munsell colour"):
        parse_munsell("1" * n + "R " + "1" * n + "/")
    with pytest.raises(ValueError):
        parse_munsell("1" * n + "." + "1" * n + "XX 5/4")


@pytest.mark.parametrize("obj", [None, 5, 5.0, b"5R 5/4", ["5R 5/4"], np.array("5R 5/4")])
def test_parse_non_str_raises_with_repr(obj):
    with pytest.raises(ValueError) as info:
        parse_munsell(obj)
    assert repr(obj) in str(info.value)


def test_parse_munsell_array():
    out = parse_munsell_array(["4.2YR 8.1/5.3", "N 5.2", "0P 5/4"])
    assert out.shape == (3, 4) and out.dtype == np.float64
    np.testing.assert_array_equal(
        out, [[4.2, 8.1, 5.3, 6.0], [0.0, 5.2, 0.0, 0.0], [10.0, 5.0, 4.0, 10.0]]
    )
    assert parse_munsell_array([]).shape == (0, 4)
    assert parse_munsell_array(np.array([["5R 5/4"], ["N 1"]])).shape == (2, 1, 4)
    assert parse_munsell_array(s for s in ["5R 5/4", "N 1"]).shape == (2, 4)
    assert parse_munsell_array(("5R 5/4",)).shape == (1, 4)
    assert parse_munsell_array("5R 5/4").shape == (4,)
    with pytest.raises(ValueError, match=r"strings\[1\].*5XX 5/4"):
        parse_munsell_array(["5R 5/4", "5XX 5/4"])


# --------------------------------------------------------------------------- #
# format_munsell errors
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    "spec",
    [
        [5.0, np.nan, 4.0, 7.0],
        [np.nan, np.nan, np.nan, np.nan],
        [0.0, np.nan, 0.0, 0.0],
        [5.0, 10.5, 4.0, 7.0],
        [5.0, -0.1, 4.0, 7.0],
        [5.0, 5.0, 4.0, 0.0],
        [5.0, 5.0, 4.0, 11.0],
        [5.0, 5.0, 4.0, 6.5],
        [5.0, 5.0, 4.0, np.nan],
        [10.5, 5.0, 4.0, 7.0],
        [-0.1, 5.0, 4.0, 7.0],
        [np.nan, 5.0, 4.0, 7.0],
        [5.0, 5.0, -0.01, 7.0],
        [5.0, 5.0, np.nan, 7.0],
        [5.0, 5.0, np.inf, 7.0],
        [5.0, 5.0, 4.0],
        [[5.0, 5.0, 4.0, 7.0]],
        "5R 5/4",
    ],
)
def test_format_out_of_domain_raises(spec):
    with pytest.raises(ValueError):
        format_munsell(spec)


@pytest.mark.parametrize("keyword", ["hue_decimals", "value_decimals", "chroma_decimals"])
@pytest.mark.parametrize("decimals", [-1, 1.0, True, None])
def test_format_bad_decimals_raises(keyword, decimals):
    with pytest.raises(ValueError, match=keyword):
        format_munsell([5.0, 5.0, 4.0, 7.0], **{keyword: decimals})


def test_format_examples():
    assert format_munsell([4.2, 8.1, 5.3, 6.0]) == "4.2YR 8.1/5.3"
    assert format_munsell(np.array([4.2, 8.1, 5.3, 6.0], np.float32)) == "4.2YR 8.1/5.3"
    assert format_munsell([10.0, 1.0, 2.0, 8.0], hue_decimals=0, chroma_decimals=0) == (
        "10RP 1.0/2"
    )
    assert format_munsell([5.0, 5.0, 60.0, 7.0]) == "5.0R 5.0/60.0"  # colour caps at 50


# --------------------------------------------------------------------------- #
# Hue families
# --------------------------------------------------------------------------- #


def test_family_round_trip_and_colour_codes():
    assert len(HUE_FAMILIES) == 10
    for code, name in enumerate(HUE_FAMILIES, start=1):
        assert family_code(name) == code == colour_munsell.MUNSELL_HUE_LETTER_CODES[name]
        assert family_code(name.lower()) == code
        assert family_name(code) == name
        assert family_name(float(code)) == name
        assert family_name(np.int64(code)) == name
        assert family_name(jnp.float32(code)) == name


@pytest.mark.parametrize("name", ["", "N", "X", "RY", "B ", None, 7])
def test_family_code_unknown_raises(name):
    with pytest.raises(ValueError, match="Unknown Munsell hue family"):
        family_code(name)


@pytest.mark.parametrize("code", [0, 11, -1, 6.5, np.nan, True, "6", None])
def test_family_name_unknown_raises(code):
    with pytest.raises(ValueError, match="Unknown Munsell hue family code"):
        family_name(code)


def test_docstring_examples():
    failures, attempted = doctest.testmod(notation)[:2]
    assert attempted > 0 and failures == 0
