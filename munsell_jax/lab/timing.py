"""Wall-clock timing of converters: per-row seconds, after warm-up."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["time_colour", "time_jax"]


def time_jax(function: Callable[[Any], Any], inputs: np.ndarray, *, repeats: int = 5) -> float:
    """Best-of-``repeats`` seconds per row of a jitted call, after warm-up."""
    import jax

    jax.block_until_ready(function(inputs))  # compile
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        jax.block_until_ready(function(inputs))
        best = min(best, time.perf_counter() - start)
    return best / len(inputs)


def time_colour(function: Callable[[np.ndarray], Any], inputs: np.ndarray) -> tuple[float, int]:
    """Seconds per row of colour-science called row by row, and how many rows raised."""
    failures = 0
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for row in inputs:
            try:
                function(row)
            except Exception:  # colour raises ValueError, AssertionError, RuntimeError
                failures += 1
    return (time.perf_counter() - start) / len(inputs), failures
