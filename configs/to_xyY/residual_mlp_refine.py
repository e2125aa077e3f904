r"""Residual MLP, Munsell -> xyY: a second fine-tune near the lattice on fresh samples.

Continues runs/to_xyY/residual_mlp_finetune (``init_from``) for one more cosine cycle on
1,000,000 new samples of the same mix (data seed 1) at learning rate 1e-4.

    munsell-jax train configs/to_xyY/residual_mlp_refine.py \
        --workdir runs/to_xyY/residual_mlp_refine
    munsell-jax record runs/to_xyY/residual_mlp_refine residual_mlp_refine

Reached (results/to_xyY/residual_mlp_refine): REAL mean CIEDE2000 0.170 (not held out),
generalisation 0.160; 10 epochs, 13 min on a shared 2-core CPU.
Story: docs/experiments.md, "Smooth networks"; chain: docs/models.md, "Fine-tuning lineage".
"""

from pathlib import Path

from munsell_jax.lab.experiments import config_module


def get_config():
    # The fine-tune this continues, with only what changes.
    config = config_module(Path(__file__).with_name("residual_mlp_finetune.py")).get_config()
    config.init_from = "runs/to_xyY/residual_mlp_finetune"
    config.data.seed = 1
    config.opt.learning_rate = 1e-4
    return config
