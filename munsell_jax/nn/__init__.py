"""Flax NNX model families, one module each, looked up by name from configs.

``get_model(name, **kwargs)`` builds ``munsell_jax.nn.<name>.Model(**kwargs)``:
a config names a module, not a class in a registry (the big_vision habit).
"""

from __future__ import annotations

import importlib
from typing import NamedTuple

from flax import nnx

__all__ = [
    "ARCHITECTURES",
    "Architecture",
    "architectures_table",
    "count_parameters",
    "get_model",
    "io_features",
]


class Architecture(NamedTuple):
    """A row of the published comparison: a family, its arguments, (xyY ->
    Munsell only) the output encoding of ``munsell_jax.encoding``, and the
    input layout the family needs (None: the direction's default)."""

    family: str
    kwargs: dict
    encoding: str = "regression"
    inputs: str | None = None


_EP = {"name": "multi_mlp", "widths": (64, 128, 64)}  # a multi error predictor
_CODE = {"code_logits": 10}

# Every architecture of the published comparison: (direction, row name) -> Architecture.
ARCHITECTURES: dict[tuple[str, str], Architecture] = {
    ("from_xyY", "MLP (base)"): Architecture("mlp", {"widths": (128, 256, 128)}),
    ("from_xyY", "Unified MLP"): Architecture("mlp", {"widths": (128, 256, 512, 256, 128)}),
    ("from_xyY", "Multi-Head"): Architecture("multi_head", {}),
    ("from_xyY", "Multi-MLP"): Architecture("multi_mlp", {}),
    ("from_xyY", "Multi-ResNet (LayerNorm)"): Architecture("multi_resnet", {"norm": "layer"}),
    ("from_xyY", "Multi-ResNet (BatchNorm)"): Architecture("multi_resnet", {"norm": "batch"}),
    ("from_xyY", "MLP + Self-Attention"): Architecture("self_attention", {}),
    ("from_xyY", "Deep + Wide"): Architecture("deep_wide", {}),
    ("from_xyY", "Mixture of Experts"): Architecture("moe", {}),
    ("from_xyY", "FT-Transformer"): Architecture("ft_transformer", {}),
    ("from_xyY", "Transformer (large)"): Architecture("ft_transformer", {"dim": 128, "depth": 6}),
    ("from_xyY", "Multi-Head + unified error predictor"): Architecture("two_stage", {}),
    ("from_xyY", "Multi-MLP + unified error predictor"): Architecture(
        "two_stage", {"base": {"name": "multi_mlp"}}
    ),
    ("from_xyY", "Multi-MLP + multi error predictor"): Architecture(
        "two_stage", {"base": {"name": "multi_mlp"}, "error": _EP}
    ),
    ("from_xyY", "Multi-Head + cross-attention error predictor"): Architecture(
        "two_stage", {"error": {"name": "cross_attention"}}
    ),
    ("from_xyY", "Three-stage cascade"): Architecture(
        "two_stage", {"base": {"name": "two_stage", "base": {"name": "multi_head"}}, "error": _EP}
    ),
    ("from_xyY", "Multi-MLP (classification code)"): Architecture(
        "multi_mlp", _CODE, "classification"
    ),
    ("from_xyY", "Multi-MLP (classification code) + error predictor"): Architecture(
        "two_stage",
        {"base": {"name": "multi_mlp", **_CODE}, "error": _EP, **_CODE},
        "classification",
    ),
    ("from_xyY", "Multi-MLP (classification code) + code-aware error predictor"): Architecture(
        "two_stage",
        {"base": {"name": "multi_mlp", **_CODE}, "error": _EP, **_CODE, "code_aware": True},
        "classification",
    ),
    ("from_xyY", "Multi-MLP (hue angle sin/cos)"): Architecture(
        "multi_mlp", {"wide_outputs": (3,)}, "hue_angle"
    ),
    ("from_xyY", "Multi-MLP (family sin/cos + classification code)"): Architecture(
        "multi_mlp", {"wide_outputs": (3,), **_CODE}, "family_angle"
    ),
    # Beyond the published table: a pre-norm residual MLP (about 266K parameters).
    ("from_xyY", "Residual MLP (cartesian)"): Architecture("residual_mlp", {}, "cartesian"),
    # A probabilistic converter: features on a lattice about the white point, a
    # residual MLP, and a distribution's head with a Delta-E bound.
    ("from_xyY", "Probabilistic polar lattice"): Architecture(
        "probabilistic", {}, "probabilistic", inputs="polar"
    ),
    ("to_xyY", "Simple MLP"): Architecture("mlp", {"widths": (128, 256, 128)}),
    # Beyond the published table: features learned on the renotation lattice
    # (read the ``grid`` inputs), then a residual MLP.
    ("to_xyY", "Lattice MLP"): Architecture(
        "lattice_mlp", {"linear_readout": True, "exact_luminance": True}, inputs="grid"
    ),
    ("to_xyY", "Multi-Head"): Architecture("multi_head", {"wide_outputs": ()}),
    ("to_xyY", "Multi-MLP"): Architecture("multi_mlp", {"wide_outputs": ()}),
    ("to_xyY", "Multi-MLP + unified error predictor"): Architecture(
        "two_stage", {"base": {"name": "multi_mlp", "wide_outputs": ()}}
    ),
    ("to_xyY", "Multi-MLP + multi error predictor"): Architecture(
        "two_stage",
        {"base": {"name": "multi_mlp", "wide_outputs": ()}, "error": {**_EP, "wide_outputs": ()}},
    ),
    ("to_xyY", "Residual MLP"): Architecture("residual_mlp", {}),
    ("to_xyY", "Multi-Head + multi error predictor"): Architecture(
        "two_stage",
        {"base": {"name": "multi_head", "wide_outputs": ()}, "error": {**_EP, "wide_outputs": ()}},
    ),
}


def io_features(
    direction: str, encoding: str = "regression", *, inputs: str | None = None
) -> tuple[int, int]:
    """``(in_features, out_features)`` of a model for ``direction``, its output
    ``encoding`` (xyY -> Munsell) and its ``inputs`` layout
    (``munsell_jax.encoding.XYY_INPUTS`` or ``INPUTS``; None: the default)."""
    from munsell_jax.encoding import INPUTS, XYY_INPUTS, get_encoding

    if direction == "from_xyY":
        inputs = inputs or "xyY"
        if inputs not in XYY_INPUTS:
            raise ValueError(f"unknown inputs {inputs!r}; one of {sorted(XYY_INPUTS)}")
        return XYY_INPUTS[inputs], get_encoding(encoding).n_outputs
    if direction == "to_xyY":
        inputs = inputs or "scaled"
        if inputs not in INPUTS:
            raise ValueError(f"unknown inputs {inputs!r}; one of {sorted(INPUTS)}")
        return INPUTS[inputs], 3
    raise ValueError(f"direction must be 'from_xyY' or 'to_xyY', not {direction!r}")


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
        "| direction | architecture | family | encoding | parameters | forward on a batch |",
        "|---|---|---|---|---|---|",
    ]
    for (direction, name), arch in ARCHITECTURES.items():
        n_in, n_out = io_features(direction, arch.encoding, inputs=arch.inputs)
        model = get_model(
            arch.family, in_features=n_in, out_features=n_out, rngs=nnx.Rngs(0), **arch.kwargs
        )
        model.eval()  # BatchNorm: running statistics
        out = model(jnp.linspace(0, 1, batch * n_in).reshape(batch, n_in))
        ok = out.shape == (batch, n_out) and bool(jnp.isfinite(out).all())
        check = f"`[{batch}, {n_in}] -> [{batch}, {n_out}]` finite" if ok else "FAILED"
        encoding = arch.encoding if direction == "from_xyY" else "-"
        rows.append(
            f"| {direction} | {name} | `{arch.family}` | {encoding} "
            f"| {count_parameters(model):,} | {check} |"
        )
    return "\n".join(rows) + "\n"
