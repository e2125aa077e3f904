r"""Round-trip Delta-E training against MSE: one config, five variants.

    munsell-jax train configs/from_xyY/experiments/delta_e.py:VARIANT \
        --workdir runs/experiments/delta_e/VARIANT
    python scripts/delta_e_experiments.py   # all five, then the table

VARIANT is one of

- ``mse``: the MSE on the encoded outputs (the control);
- ``delta_e_exact`` / ``delta_e_approximator``: CIEDE2000 between the input
  xyY and the forward of the decoded prediction only, through the exact
  engine or the shipped approximator (results/to_xyY/approximator);
- ``combined_exact`` / ``combined_approximator``: MSE + 1e-3 x CIEDE2000.

Each fine-tunes the shipped ``from_xyY/mlp_base_cartesian`` (the published
MLP base with the Cartesian encoding, REAL mean CIEDE2000 0.436) for 4
epochs of the grid data at the learning rate the training must be stable at,
3e-4 in float32, so the variants differ only in the loss. Results:
results/experiments/delta_e/README.md.
"""

from munsell_jax.lab.train import default_config

VARIANTS = (
    "mse",
    "delta_e_exact",
    "delta_e_approximator",
    "combined_exact",
    "combined_approximator",
)


def get_config(variant: str = "mse"):
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}, not {variant!r}")
    config = default_config("from_xyY", "MLP (base)")
    config.encoding = "cartesian"
    config.init_from = "runs/from_xyY/mlp_base_cartesian"
    config.opt.epochs = 4
    config.opt.learning_rate = 3e-4
    config.opt.plateau_patience = 0
    if variant.startswith("delta_e"):
        config.loss.weights = (0.0, 0.0, 0.0)  # the round trip alone
        config.loss.delta_e_weight = 1.0
    elif variant.startswith("combined"):
        config.loss.delta_e_weight = 1e-3
    config.loss.forward = "approximator" if variant.endswith("approximator") else "exact"
    return config
