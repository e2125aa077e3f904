"""Flax NNX model families, one module each, looked up by name from configs.

``get_model(name, **kwargs)`` builds ``munsell_jax.nn.<name>.Model(**kwargs)``:
a config names a module, not a class in a registry (the big_vision habit).
"""

from __future__ import annotations

import importlib

from flax import nnx

__all__ = ["get_model"]


def get_model(name: str, **kwargs) -> nnx.Module:
    """Build the model family ``name`` (a module of ``munsell_jax.nn``) from plain arguments."""
    try:
        module = importlib.import_module(f"munsell_jax.nn.{name}")
    except ModuleNotFoundError as error:
        raise ValueError(f"unknown model family {name!r} (no munsell_jax/nn/{name}.py)") from error
    return module.Model(**kwargs)
