"""Munsell notation: strings <-> specifications, hue families and normalisation.

A *specification* is a float array ``[..., 4]`` = ``[hue, value, chroma, code]``:

- ``hue`` in (0, 10] within a hue family (a hue of 0 is normalised to 10 of the
  next family, see :func:`normalise_specification`);
- ``value`` (lightness) in [0, 10];
- ``chroma`` >= 0 (the renotation goes up to 50);
- ``code`` in 1..10, the hue family: 1=B 2=BG 3=G 4=GY 5=Y 6=YR 7=R 8=RP 9=P
  10=PB. Hue grows R -> YR -> Y -> ... -> RP, so the code falls as hue grows.

A *grey* is any specification with chroma 0; the canonical grey is
``[0, value, 0, 0]``. colour-science writes greys ``[nan, value, nan, nan]``;
here greys carry no NaN so that jitted code, gradients and models never meet
one. :func:`from_colour_specification` and :func:`to_colour_specification`
convert at the boundary.

The string functions (:func:`parse_munsell`, :func:`format_munsell`) are
host-side Python; :func:`normalise_specification` and :func:`is_grey` are array
ops that work on numpy arrays and, jit- and vmap-able, on JAX arrays.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

import jax
import jax.numpy as jnp
import numpy as np
import numpy.typing as npt

__all__ = [
    "HUE_FAMILIES",
    "family_code",
    "family_name",
    "parse_munsell",
    "parse_munsell_array",
    "format_munsell",
    "normalise_specification",
    "is_grey",
    "from_colour_specification",
    "to_colour_specification",
]

Array = np.ndarray | jax.Array

HUE_FAMILIES: tuple[str, ...] = ("B", "BG", "G", "GY", "Y", "YR", "R", "RP", "P", "PB")
"""Hue family names, indexed by ``code - 1`` (``HUE_FAMILIES[0]`` is code 1, B)."""

_CODES = {name: code for code, name in enumerate(HUE_FAMILIES, start=1)}

# The numbers of colour.constants.PATTERN_FLOATING_POINT_NUMBER: unsigned,
# optional fraction and exponent ("5", "2.5", ".5", "1e1"; not "5." nor "+5").
# Written so that a string of digits splits one way only: colour's
# "[0-9]*\.?[0-9]+" lets the regex engine try every split of every number, and
# a long non-matching string then takes cubic time.
_NUMBER = r"(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
# Two-letter families first so "5BG" is not read as "5B" followed by "G".
_FAMILY = "BG|GY|YR|RP|PB|B|G|Y|R|P"
# colour's MUNSELL_COLOUR_PATTERN, matched against the whole (stripped) string:
# colour uses re.match, so it silently accepts trailing garbage ("5R 5/4xyz").
_COLOUR_RE = re.compile(
    rf"(?P<hue>{_NUMBER})\s*(?P<family>{_FAMILY})\s*"
    rf"(?P<value>{_NUMBER})\s*/\s*(?P<chroma>[-+]?{_NUMBER})",
    re.IGNORECASE,
)
# colour's MUNSELL_GRAY_PATTERN is "N<value>" with no space; "N 5.2" (the usual
# written form) is accepted here too, as are "N 5/" and "N 5/0".
_GREY_RE = re.compile(
    rf"N\s*(?P<value>{_NUMBER})(?:\s*/\s*(?P<chroma>[-+]?{_NUMBER})?)?",
    re.IGNORECASE,
)

# Only to name the culprit in the error for "5XX 5/4".
_LOOSE_COLOUR_RE = re.compile(rf"{_NUMBER}\s*(?P<family>[A-Z]+)\s*{_NUMBER}\s*/.*", re.IGNORECASE)

# --------------------------------------------------------------------------- #
# Hue families
# --------------------------------------------------------------------------- #


def family_code(name: str) -> int:
    """Hue family code (1..10) of a family name, case-insensitive.

    Args:
      name: one of :data:`HUE_FAMILIES` ("B", "BG", ..., "PB"), any case.

    Returns:
      The code, 1=B 2=BG 3=G 4=GY 5=Y 6=YR 7=R 8=RP 9=P 10=PB.

    Raises:
      ValueError: ``name`` is not a str or not a hue family ("N" included: greys
        have no family).

    >>> family_code("YR"), family_code("pb")
    (6, 10)
    """
    code = _CODES.get(name.upper()) if isinstance(name, str) else None
    if code is None:
        raise ValueError(
            f"Unknown Munsell hue family {name!r}; expected one of {', '.join(HUE_FAMILIES)}."
        )
    return code


def family_name(code: int) -> str:
    """Hue family name of a family code.

    Args:
      code: an integer 1..10; integral floats (``6.0``, numpy or JAX scalars)
        are accepted because codes live in float specification arrays.

    Returns:
      The family name, e.g. ``"YR"`` for 6.

    Raises:
      ValueError: ``code`` is not an integer in 1..10 (bools and strings
        included).

    >>> family_name(6), family_name(10.0)
    ('YR', 'PB')
    """
    number = math.nan
    if not isinstance(code, bool | str | bytes):
        try:
            number = float(code)
        except (TypeError, ValueError):
            pass
    if not (number.is_integer() and 1 <= number <= 10):
        raise ValueError(f"Unknown Munsell hue family code {code!r}; expected an integer 1..10.")
    return HUE_FAMILIES[int(number) - 1]


# --------------------------------------------------------------------------- #
# Array ops
# --------------------------------------------------------------------------- #


def _as_float_array(spec) -> tuple[Array, object]:
    """``spec`` as a float array and its array namespace (jnp for JAX inputs)."""
    xp = jnp if isinstance(spec, jax.Array) else np
    spec = xp.asarray(spec)
    if not xp.issubdtype(spec.dtype, xp.floating):
        # jnp picks float32 or float64 from the x64 flag; numpy picks float64.
        spec = spec.astype(jnp.result_type(float) if xp is jnp else np.float64)
    if spec.ndim == 0 or spec.shape[-1] != 4:
        raise ValueError(
            f"A Munsell specification has shape [..., 4] (hue, value, chroma, code); "
            f"got shape {spec.shape}."
        )
    return spec, xp


def _is_grey(spec: Array, xp) -> Array:
    hue, chroma, code = spec[..., 0], spec[..., 2], spec[..., 3]
    colour_grey = xp.isnan(hue) & xp.isnan(chroma) & xp.isnan(code)
    return (chroma == 0) | colour_grey


def is_grey(spec: npt.ArrayLike | jax.Array) -> Array:
    """Whether each specification is a grey.

    A grey has chroma 0 (any hue and code), or is colour-science's
    ``[nan, value, nan, nan]`` form (hue, chroma and code all NaN). The value is
    not looked at.

    Args:
      spec: ``[..., 4]`` specifications, numpy or JAX (jit- and vmap-able).

    Returns:
      Bool array ``[...]``, numpy for numpy/list input, JAX for JAX input.

    Raises:
      ValueError: the last axis is not of size 4.

    >>> spec = [[0.0, 5.2, 0.0, 0.0], [4.2, 8.1, 5.3, 6.0], [np.nan, 5.0, np.nan, np.nan]]
    >>> is_grey(spec).tolist()
    [True, False, True]
    """
    spec, xp = _as_float_array(spec)
    return _is_grey(spec, xp)


def _normalise(spec: Array, xp) -> Array:
    hue, value, chroma, code = (spec[..., i] for i in range(4))
    # 0YR is 10R: hue 0 of family `code` is hue 10 of family `code % 10 + 1`.
    at_zero = hue == 0
    hue = xp.where(at_zero, 10.0, hue)
    code = xp.where(at_zero, code % 10 + 1, code)
    grey = _is_grey(spec, xp)
    zero = xp.zeros_like(value)
    return xp.stack(
        [
            xp.where(grey, zero, hue),
            value,
            xp.where(grey, zero, chroma),
            xp.where(grey, zero, code),
        ],
        axis=-1,
    )


def normalise_specification(spec: npt.ArrayLike | jax.Array) -> Array:
    """Normalise specifications: hue 0 -> hue 10 of the next family; greys canonical.

    - ``[0, v, c, code]`` -> ``[10, v, c, code % 10 + 1]``: 0YR (6) = 10R (7),
      0R (7) = 10RP (8), 0P (9) = 10PB (10), 0PB (10) = 10B (1), 0B (1) = 10BG (2).
    - Any grey (chroma 0, or colour's ``[nan, v, nan, nan]``) -> ``[0, v, 0, 0]``.
    - Everything else, out-of-domain values and NaNs included, passes through
      unchanged; no range checks are made (this runs under jit).

    Differs from colour-science's ``normalise_munsell_specification``, which
    computes the next code as ``(code + 1) % 10`` and so turns 0P into
    ``[10, v, c, 0]``, a code that names no family; here 0P becomes 10PB. It
    also returns greys as ``[nan, v, nan, nan]`` and takes one specification
    at a time.

    Args:
      spec: ``[..., 4]`` specifications ``[hue, value, chroma, code]``, numpy or
        JAX. JAX input gives JAX output and is jit-, vmap- and grad-able (the
        output is piecewise the input, so gradients stay finite, also for NaN
        greys). Integer input is cast to float.

    Returns:
      ``[..., 4]`` normalised specifications, same dtype and array kind.

    Raises:
      ValueError: the last axis is not of size 4.

    >>> normalise_specification([0.0, 2.0, 4.0, 6.0]).tolist()  # 0YR = 10R
    [10.0, 2.0, 4.0, 7.0]
    >>> normalise_specification([0.0, 5.0, 4.0, 9.0]).tolist()  # 0P = 10PB
    [10.0, 5.0, 4.0, 10.0]
    >>> greys = jnp.array([[5.0, 5.0, 0.0, 7.0], [np.nan, 3.0, np.nan, np.nan]])
    >>> jax.jit(normalise_specification)(greys).tolist()
    [[0.0, 5.0, 0.0, 0.0], [0.0, 3.0, 0.0, 0.0]]
    """
    spec, xp = _as_float_array(spec)
    return _normalise(spec, xp)


def from_colour_specification(spec: npt.ArrayLike) -> np.ndarray:
    """Convert colour-science specifications to munsell_jax's conventions.

    ``[nan, v, nan, nan]`` greys (and chroma-0 specifications) become
    ``[0, v, 0, 0]``; a hue of 0 becomes 10 of the next family; a chromatic
    code of 0, which colour's normalisation produces for 0P (see
    :func:`normalise_specification`), is read as 10 (PB). Other values pass
    through unchanged.

    Args:
      spec: ``[..., 4]`` colour-science specifications.

    Returns:
      ``[..., 4]`` float64 numpy array.

    >>> from_colour_specification([np.nan, 5.2, np.nan, np.nan]).tolist()
    [0.0, 5.2, 0.0, 0.0]
    >>> from_colour_specification([10.0, 5.0, 4.0, 0.0]).tolist()  # colour's "0P 5/4"
    [10.0, 5.0, 4.0, 10.0]
    """
    spec, _ = _as_float_array(np.asarray(spec, dtype=np.float64))
    code = spec[..., 3]
    code = np.where((code == 0) & ~_is_grey(spec, np), 10.0, code)
    spec = np.concatenate([spec[..., :3], code[..., None]], axis=-1)
    return _normalise(spec, np)


def to_colour_specification(spec: npt.ArrayLike | jax.Array) -> np.ndarray:
    """Convert munsell_jax specifications to colour-science's conventions.

    Greys (chroma 0) become ``[nan, v, nan, nan]``; chromatic specifications
    pass through unchanged.

    Args:
      spec: ``[..., 4]`` specifications, numpy or JAX.

    Returns:
      ``[..., 4]`` float64 numpy array.

    >>> to_colour_specification([[0.0, 5.2, 0.0, 0.0], [4.2, 8.1, 5.3, 6.0]]).tolist()
    [[nan, 5.2, nan, nan], [4.2, 8.1, 5.3, 6.0]]
    """
    spec, _ = _as_float_array(np.asarray(spec, dtype=np.float64))
    nan_mask = np.array([True, False, True, True])
    return np.where(_is_grey(spec, np)[..., None] & nan_mask, np.nan, spec)


# --------------------------------------------------------------------------- #
# Strings
# --------------------------------------------------------------------------- #


def _parse_error(string: str, reason: str) -> ValueError:
    if len(string) > 80:  # one line, however long the input
        string = f"{string[:50]}...{string[-20:]} ({len(string):,} characters)"
    return ValueError(
        f'"{string}" is not a valid Munsell colour: {reason} '
        f'(expected e.g. "4.2YR 8.1/5.3" or "N 5.2").'
    )


def parse_munsell(string: str) -> np.ndarray:
    """Parse a Munsell colour string into a normalised specification.

    Accepts what colour-science's ``munsell_colour_to_munsell_specification``
    accepts, case-insensitively: ``"<hue><family> <value>/<chroma>"`` with
    optional whitespace between the parts (``"4.2YR 8.1/5.3"``,
    ``"5 r 5 / 4"``, ``"10RP 1/2"``, numbers like ``".5"`` or ``"1e1"``, a
    ``+`` on the chroma), and greys ``"N5.2"``. Also accepts what colour
    rejects but people write: ``"N 5.2"``, ``"N 5/"``, ``"N 5/0"`` and
    surrounding whitespace.

    Stricter than colour: the whole string must match (colour ignores trailing
    text, so it reads "5R 5/4xyz" as 5R 5/4), and values must lie in the
    domain (colour accepts hue 12, value 12 and chroma -4).

    Args:
      string: the Munsell colour.

    Returns:
      float64 array ``[4]``, normalised (:func:`normalise_specification`):
      hue in (0, 10], value in [0, 10], chroma >= 0, code in 1..10; hue 0
      becomes 10 of the next family; greys (``N v`` or chroma 0) are
      ``[0, v, 0, 0]``.

    Raises:
      ValueError: ``string`` is not a str, does not match, names an unknown
        family, or has hue outside [0, 10], value outside [0, 10], or a
        negative chroma; the message quotes ``string``.

    >>> parse_munsell("4.2YR 8.1/5.3").tolist()
    [4.2, 8.1, 5.3, 6.0]
    >>> parse_munsell("0YR 2/4").tolist()  # 0YR = 10R
    [10.0, 2.0, 4.0, 7.0]
    >>> parse_munsell("N 5.2").tolist(), parse_munsell("5R 5/0").tolist()
    ([0.0, 5.2, 0.0, 0.0], [0.0, 5.0, 0.0, 0.0])
    """
    if not isinstance(string, str):
        raise ValueError(
            f"A Munsell colour must be a str; got {string!r} of type {type(string).__name__}."
        )
    text = string.strip()

    if match := _GREY_RE.fullmatch(text):
        value = float(match["value"])
        chroma_text = match["chroma"]
        if chroma_text is not None and (chroma_text.startswith("-") or float(chroma_text) != 0):
            raise _parse_error(string, f"a grey (N) has chroma 0, not {chroma_text}")
        hue, chroma, code = 0.0, 0.0, 0.0
    elif match := _COLOUR_RE.fullmatch(text):
        hue, value = float(match["hue"]), float(match["value"])
        chroma_text = match["chroma"]
        chroma = float(chroma_text)
        code = float(_CODES[match["family"].upper()])
        if not 0 <= hue <= 10:
            raise _parse_error(string, f"hue {match['hue']} is outside [0, 10]")
        # "-0" is rejected too: a minus sign on a chroma is always a mistake.
        if chroma_text.startswith("-") or not math.isfinite(chroma):
            raise _parse_error(string, f"chroma {chroma_text} is not a finite number >= 0")
    elif (loose := _LOOSE_COLOUR_RE.fullmatch(text)) and loose["family"].upper() not in _CODES:
        raise _parse_error(
            string, f"unknown hue family {loose['family']!r} (one of {', '.join(HUE_FAMILIES)})"
        )
    else:
        raise _parse_error(
            string, "it matches neither '<hue><family> <value>/<chroma>' nor 'N <value>'"
        )

    if not 0 <= value <= 10:
        raise _parse_error(string, f"value {match['value']} is outside [0, 10]")
    return _normalise(np.array([hue, value, chroma, code], dtype=np.float64), np)


def parse_munsell_array(strings: Iterable[str] | np.ndarray) -> np.ndarray:
    """Parse many Munsell colour strings (see :func:`parse_munsell`).

    Args:
      strings: a sequence (or nested sequences / numpy array) of strings,
        shape ``[...]``; an iterator is consumed into a list first. A single
        str is a 0-d input and gives shape ``[4]``.

    Returns:
      float64 array ``[..., 4]`` (``[N, 4]`` for a flat sequence of N; ``[0, 4]``
      for an empty one).

    Raises:
      ValueError: any entry fails to parse; the message gives its index and
        quotes it.

    >>> parse_munsell_array(["4.2YR 8.1/5.3", "N 5.2"]).tolist()
    [[4.2, 8.1, 5.3, 6.0], [0.0, 5.2, 0.0, 0.0]]
    """
    if not isinstance(strings, str | np.ndarray | Sequence):
        strings = list(strings)
    strings = np.asarray(strings, dtype=object)
    spec = np.empty(strings.shape + (4,), dtype=np.float64)
    for index in np.ndindex(strings.shape):
        try:
            spec[index] = parse_munsell(strings[index])
        except ValueError as error:
            raise ValueError(f"strings[{', '.join(map(str, index))}]: {error}") from error
    return spec


def format_munsell(
    spec: npt.ArrayLike | jax.Array,
    *,
    hue_decimals: int = 1,
    value_decimals: int = 1,
    chroma_decimals: int = 1,
) -> str:
    """Format one specification as a Munsell colour string.

    Chromatic colours give exactly colour-science's
    ``munsell_specification_to_munsell_colour`` output with the same decimals,
    e.g. ``"4.2YR 8.1/5.3"``: the specification is normalised first (hue 0 ->
    10 of the next family, correctly for 0P, where colour fails), then each
    number is rounded with numpy's rounding (as colour does, so 0.35 -> "0.4")
    and printed with that many decimals; a hue that rounds to 0 prints as
    ``0.0``, one that rounds to 10 as ``10.0``; a value that rounds to 0 prints
    the black ``"N 0.0"``, as colour does.

    Greys (chroma exactly 0, or colour's ``[nan, v, nan, nan]``) give
    ``"N 5.2"``, with a space, where colour gives ``"N5.2"`` (and colour fails
    on a chroma-0 specification that is not NaN-coded).

    Args:
      spec: ``[4]`` specification ``[hue, value, chroma, code]``, any array kind.
      hue_decimals, value_decimals, chroma_decimals: decimals printed, >= 0.

    Returns:
      The Munsell colour string.

    Raises:
      ValueError: ``spec`` is not shape ``[4]``; value is NaN or outside
        [0, 10]; or, for a chromatic colour, hue is not in [0, 10], chroma is
        negative or not finite, or code does not round (to 1 decimal, as colour
        does) to an integer in 1..10. Checked on the unrounded numbers (colour
        checks rounded ones, so it prints hue 10.04 as "10.0"); unlike colour,
        chroma above 50 is allowed.

    >>> format_munsell([4.2, 8.1, 5.3, 6.0])
    '4.2YR 8.1/5.3'
    >>> format_munsell([0.0, 5.0, 4.0, 9.0], hue_decimals=0)  # 0P = 10PB
    '10PB 5.0/4.0'
    >>> format_munsell([0.0, 5.2, 0.0, 0.0]), format_munsell([np.nan, 5.2, np.nan, np.nan])
    ('N 5.2', 'N 5.2')
    """
    for name, decimals in (
        ("hue_decimals", hue_decimals),
        ("value_decimals", value_decimals),
        ("chroma_decimals", chroma_decimals),
    ):
        if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
            raise ValueError(f"{name} must be an int >= 0; got {decimals!r}.")
    try:
        array = np.asarray(spec, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{spec!r} is not a Munsell specification: {error}") from error
    if array.shape != (4,):
        raise ValueError(
            f"format_munsell takes one specification of shape [4]; got shape {array.shape}."
        )
    # numpy scalars, not Python floats: round() on them is numpy's rounding,
    # which is what colour uses and can differ from Python's (0.35 -> 0.4).
    hue, value, chroma, code = array

    def fail(reason: str) -> ValueError:
        return ValueError(f"{array.tolist()} is not a valid Munsell specification: {reason}.")

    if not 0 <= value <= 10:
        raise fail("value must be in [0, 10]")
    if _is_grey(array, np):
        # colour formats a grey's value without rounding it first.
        return f"N {value:.{value_decimals}f}"
    if not 0 <= hue <= 10:
        raise fail("hue must be in [0, 10]")
    if not 0 <= chroma < math.inf:
        raise fail("chroma must be finite and >= 0")
    code = round(code, 1)
    if not (code.is_integer() and 1 <= code <= 10):
        raise fail("code must be an integer in 1..10")
    if hue == 0:
        hue, code = np.float64(10), code % 10 + 1

    hue = round(hue, hue_decimals)
    value = round(value, value_decimals)
    chroma = round(chroma, chroma_decimals)
    if value == 0:
        return f"N {value:.{value_decimals}f}"
    return (
        f"{hue:.{hue_decimals}f}{HUE_FAMILIES[int(code) - 1]} "
        f"{value:.{value_decimals}f}/{chroma:.{chroma_decimals}f}"
    )
