r"""Round-trip Delta-E training against MSE: one config, five variants of the loss.

VARIANT is ``mse``, ``delta_e_exact``, ``delta_e_approximator``, ``combined_exact`` or
``combined_approximator``; each fine-tunes runs/from_xyY/mlp_base_cartesian for 4 epochs
(train ``configs/from_xyY/mlp_base.py:cartesian`` there first).

    munsell-jax train configs/from_xyY/experiments/delta_e.py:VARIANT \
        --workdir runs/experiments/delta_e/VARIANT
    python scripts/delta_e_experiments.py   # all five, then the table

Reached, REAL / generalisation mean CIEDE2000, 55-120 s each on a shared 2-core CPU:
``mse`` 0.402 / 0.652, ``delta_e_exact`` 0.404 / 0.619, ``combined_exact`` 0.408 / 0.617.
Table: results/experiments/delta_e/README.md; story: docs/experiments.md, "MSE against
round-trip Delta-E training".
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
