"""munsell_jax: exact, differentiable CIE xyY <-> Munsell conversion in JAX."""

__version__ = "0.1.0"
