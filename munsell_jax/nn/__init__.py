"""Flax NNX model families, one module each, looked up by name from configs.

``get_model(name, **kwargs)`` builds ``munsell_jax.nn.<name>.Model(**kwargs)``:
a config names a module, not a class in a registry (the big_vision habit).
"""

from __future__ import annotations

import importlib

from flax import nnx

__all__ = ["ARCHITECTURES", "architectures_table", "count_parameters", "get_model"]

# The published architectures built so far: (direction, row name) -> (family, arguments).
ARCHITECTURES: dict[tuple[str, str], tuple[str, dict]] = {
    ("from_xyY", "MLP (base)"): ("mlp", {"widths": (128, 256, 128)}),
    ("from_xyY", "Unified MLP"): ("mlp", {"widths": (128, 256, 512, 256, 128)}),
    ("from_xyY", "Multi-Head"): ("multi_head", {}),
    ("from_xyY", "Multi-MLP"): ("multi_mlp", {}),
    ("from_xyY", "MLP + Self-Attention"): ("self_attention", {}),
    ("from_xyY", "Deep + Wide"): ("deep_wide", {}),
    ("from_xyY", "Mixture of Experts"): ("moe", {}),
    ("from_xyY", "FT-Transformer"): ("ft_transformer", {}),
    ("from_xyY", "Transformer (large)"): ("ft_transformer", {"dim": 128, "depth": 6}),
    ("from_xyY", "Multi-Head + unified error predictor"): ("two_stage", {}),
    ("from_xyY", "Multi-MLP + multi error predictor"): (
        "two_stage",
        {"base": {"name": "multi_mlp"}, "error": {"name": "multi_mlp", "widths": (64, 128, 64)}},
    ),
    ("to_xyY", "Simple MLP"): ("mlp", {"widths": (128, 256, 128)}),
    ("to_xyY", "Multi-Head"): ("multi_head", {"wide_outputs": ()}),
    ("to_xyY", "Multi-MLP"): ("multi_mlp", {"wide_outputs": ()}),
    ("to_xyY", "Multi-MLP + unified error predictor"): (
        "two_stage",
        {"base": {"name": "multi_mlp", "wide_outputs": ()}},
    ),
    ("to_xyY", "Multi-MLP + multi error predictor"): (
        "two_stage",
        {
            "base": {"name": "multi_mlp", "wide_outputs": ()},
            "error": {"name": "multi_mlp", "widths": (64, 128, 64), "wide_outputs": ()},
        },
    ),
    ("to_xyY", "Multi-Head + multi error predictor"): (
        "two_stage",
        {
            "base": {"name": "multi_head", "wide_outputs": ()},
            "error": {"name": "multi_mlp", "widths": (64, 128, 64), "wide_outputs": ()},
        },
    ),
}


def get_model(name: str, **kwargs) -> nnx.Module:
    """Build the model family ``name`` (a module of ``munsell_jax.nn``) from plain arguments."""
    try:
        module = importlib.import_module(f"munsell_jax.nn.{name}")
    except ModuleNotFoundError as error:
        raise ValueError(f"unknown model family {name!r} (no munsell_jax/nn/{name}.py)") from error
    return module.Model(**kwargs)


def count_parameters(model: nnx.Module) -> int:
    """Trainable parameters of ``model``."""
    import jax

    return sum(int(x.size) for x in jax.tree.leaves(nnx.state(model, nnx.Param)))


def architectures_table(batch: int = 7) -> str:
    """Markdown table of every entry of ``ARCHITECTURES``: family, parameters and
    a forward pass checked on a ``[batch, in]`` input (shape and finiteness)."""
    import jax.numpy as jnp

    rows = [
        "| direction | architecture | family | parameters | forward on a batch |",
        "|---|---|---|---|---|",
    ]
    for (direction, name), (family, kwargs) in ARCHITECTURES.items():
        sizes = (3, 4) if direction == "from_xyY" else (4, 3)
        model = get_model(
            family, in_features=sizes[0], out_features=sizes[1], rngs=nnx.Rngs(0), **kwargs
        )
        out = model(jnp.linspace(0, 1, batch * sizes[0]).reshape(batch, sizes[0]))
        ok = out.shape == (batch, sizes[1]) and bool(jnp.isfinite(out).all())
        check = f"`[{batch}, {sizes[0]}] -> [{batch}, {sizes[1]}]` finite" if ok else "FAILED"
        rows.append(
            f"| {direction} | {name} | `{family}` | {count_parameters(model):,} | {check} |"
        )
    return "\n".join(rows) + "\n"
