r"""Lattice MLP, Munsell -> xyY: a second cosine cycle on fresh samples (issues 8, 9).

    munsell-jax train configs/to_xyY/lattice_mlp_refine.py \
        --workdir runs/to_xyY/lattice_mlp_refine

Starts from the shipped ``lattice_mlp`` and trains one more cosine cycle at
a third of its learning rate on 1,000,000 new samples (data seed 1, the same
forward+perturbation mix), no warm-up.
"""

from pathlib import Path

from munsell_jax.experiments import config_module


def get_config(arg: str = "20"):
    # The run this continues, with only what changes.
    config = config_module(Path(__file__).with_name("lattice_mlp.py")).get_config(arg)
    config.init_from = "results/to_xyY/lattice_mlp"
    config.data.seed = 1
    config.opt.learning_rate = 3e-4
    config.opt.warmup_epochs = 0
    return config
