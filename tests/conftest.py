"""Shared test set-up.

The engine and the reference comparisons run in float64, so x64 is enabled for
the whole suite; float32 tests cast their inputs explicitly (Python scalars in
the library are weakly typed, so float32 stays float32).
"""

import jax

jax.config.update("jax_enable_x64", True)
