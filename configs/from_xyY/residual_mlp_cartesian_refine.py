r"""Residual MLP (cartesian), xyY -> Munsell: more lattice fine-tuning cycles, ``:STAGE``.

Each stage continues the run of the one before (``:1`` continues residual_mlp_cartesian_finetune)
on fresh ``perturbation`` jitter (1, 2), then on jitter about the exact inverse (exact...exact5).

    munsell-jax train configs/from_xyY/residual_mlp_cartesian_refine.py:STAGE \
        --workdir runs/from_xyY/residual_mlp_cartesian_RUN
    munsell-jax record runs/from_xyY/residual_mlp_cartesian_RUN residual_mlp_cartesian_RUN
    munsell-jax ship runs/from_xyY/residual_mlp_cartesian_exact5 \
        residual_mlp_cartesian_exact5 --precision float64

STAGE, RUN: REAL (not held out) / generalisation mean CIEDE2000, shared 2-core CPU:

    :1       refine    0.202 / 0.571  11 min  not recorded
    :2       refine2   0.196 / 0.599  13 min  recorded as residual_mlp_cartesian_refine
    :exact   exact     0.181 / 0.552   4 min  not recorded
    :exact2  exact2    0.165 / 0.451  10 min  not recorded
    :exact3  exact3    0.153 / 0.384  17 min
    :exact4  exact4    0.146 / 0.384  16 min
    :exact5  exact5    0.141 / 0.386  29 min  shipped

Story: docs/experiments.md, "Where the data really are"; chain: docs/models.md,
"Fine-tuning lineage".
"""

from pathlib import Path

from munsell_jax.lab.experiments import config_module

# stage: (the run it continues, sampler, samples, data seed, learning rate, epochs)
STAGES = {
    "1": (
        "runs/from_xyY/residual_mlp_cartesian_finetune",
        "perturbation",
        1_000_000,
        1,
        1e-4,
        15,
    ),
    "2": ("runs/from_xyY/residual_mlp_cartesian_refine", "perturbation", 1_000_000, 2, 5e-5, 10),
    "exact": (
        "runs/from_xyY/residual_mlp_cartesian_refine2",
        "perturbation_exact",
        1_000_000,
        3,
        1e-4,
        15,
    ),
    "exact2": (
        "runs/from_xyY/residual_mlp_cartesian_exact",
        "perturbation_exact",
        2_000_000,
        4,
        5e-5,
        20,
    ),
    "exact3": (
        "runs/from_xyY/residual_mlp_cartesian_exact2",
        "perturbation_exact",
        2_000_000,
        5,
        5e-5,
        30,
    ),
    "exact4": (
        "runs/from_xyY/residual_mlp_cartesian_exact3",
        "perturbation_exact",
        2_000_000,
        6,
        3e-5,
        30,
    ),
    "exact5": (
        "runs/from_xyY/residual_mlp_cartesian_exact4",
        "perturbation_exact",
        2_000_000,
        7,
        2e-5,
        30,
    ),
}


def get_config(stage: str = "1"):
    if stage not in STAGES:
        raise ValueError(f"stage must be one of {sorted(STAGES)}, not {stage!r}")
    init_from, data, size, seed, learning_rate, epochs = STAGES[stage]
    # The fine-tune this continues, with only what changes.
    config = config_module(Path(__file__).with_name("residual_mlp_cartesian_finetune.py"))
    config = config.get_config()
    config.init_from = init_from
    config.data.name = data
    config.data.size = size
    config.data.seed = seed
    config.opt.learning_rate = learning_rate
    config.opt.epochs = epochs
    config.opt.early_stopping_patience = epochs
    return config
