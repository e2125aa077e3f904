"""Wall-clock timing of converters: per-row seconds, after warm-up."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["time_colour", "time_jax"]


def time_jax(function: Callable[[Any], Any], inputs: np.ndarray, *, repeats: int = 5) -> float:
    """Best-of-``repeats`` seconds per row of a jitted call, after warm-up.

    The warm-up is one call on ``inputs`` (it compiles and runs); then
    ``repeats`` calls are timed, each blocked on, and the fastest is kept.
    """
    import jax

    jax.block_until_ready(function(inputs))  # compile
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        jax.block_until_ready(function(inputs))
        best = min(best, time.perf_counter() - start)
    return best / len(inputs)


def _pass(function: Callable[[np.ndarray], Any], inputs: np.ndarray) -> tuple[float, int]:
    """Seconds for one row-by-row pass over ``inputs``, and how many rows raised."""
    failures = 0
    start = time.perf_counter()
    for row in inputs:
        try:
            function(row)
        except Exception:  # colour raises ValueError, AssertionError, RuntimeError
            failures += 1
    return time.perf_counter() - start, failures


def time_colour(
    function: Callable[[np.ndarray], Any],
    inputs: np.ndarray,
    *,
    repeats: int = 3,
    warm_up: bool = True,
) -> tuple[float, int]:
    """Seconds per row of ``function`` called row by row (colour-science), and
    how many rows raised.

    With ``warm_up`` (the default) ``function`` is first called once on the
    first row, untimed; ``repeats`` passes over every row are then timed and
    the fastest kept: the fair match of ``time_jax`` with the same ``repeats``
    (one warm-up, best of ``repeats``).
    The failures are those of one pass (every pass raises on the same rows).
    """
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, not {repeats}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if warm_up and len(inputs):
            _pass(function, inputs[:1])
        passes = [_pass(function, inputs) for _ in range(repeats)]
    seconds = min(s for s, _ in passes)
    return seconds / len(inputs), passes[0][1]
