"""Lattice MLP, Munsell -> xyY: more cosine cycles on fresh samples, ``:STAGE``.

Each stage continues the run of the one before (``:1`` continues lattice_mlp.py's run) on new
``forward+perturbation`` samples; ``:exact`` centres the jitter on the exact inverse.

    munsell-jax train configs/to_xyY/lattice_mlp_refine.py:STAGE --workdir runs/to_xyY/RUN
    munsell-jax record runs/to_xyY/RUN RUN
    munsell-jax ship runs/to_xyY/lattice_mlp_exact lattice_mlp_exact

STAGE, RUN: REAL (not held out) / generalisation mean CIEDE2000, shared 2-core CPU:

    :1      lattice_mlp_refine    0.041 / 0.037  20 min
    :2      lattice_mlp_refine2   0.035 / 0.032  22 min
    :3      lattice_mlp_refine3   0.031 / 0.028  18 min
    :4      lattice_mlp_refine4   0.028 / 0.026  17 min
    :5      lattice_mlp_refine5   0.026 / 0.024  15 min
    :exact  lattice_mlp_exact     0.024 / 0.022  15 min  shipped

Story: docs/experiments.md, "Features on the lattice"; chain: docs/models.md,
"Fine-tuning lineage".
"""

from pathlib import Path

from munsell_jax.lab.experiments import config_module

STAGES = {
    "1": ("runs/to_xyY/lattice_mlp", 1, 3e-4, 20),
    "2": ("runs/to_xyY/lattice_mlp_refine", 2, 1e-4, 15),
    "3": ("runs/to_xyY/lattice_mlp_refine2", 3, 1e-4, 20),
    "4": ("runs/to_xyY/lattice_mlp_refine3", 4, 1e-4, 20),
    "5": ("runs/to_xyY/lattice_mlp_refine4", 5, 1e-4, 20),
    "exact": ("runs/to_xyY/lattice_mlp_refine5", 6, 1e-4, 20),
}


def get_config(arg: str = "1"):
    start, seed, learning_rate, epochs = STAGES[arg]
    # The run this continues, with only what changes.
    config = config_module(Path(__file__).with_name("lattice_mlp.py")).get_config(str(epochs))
    config.init_from = start
    config.data.seed = seed
    config.opt.learning_rate = learning_rate
    config.opt.warmup_epochs = 0
    if arg == "exact":
        config.data.name = "forward+perturbation_exact"
    return config
