r"""Residual MLP, Munsell -> xyY: a second fine-tune near the lattice on fresh samples.

    munsell-jax train configs/to_xyY/residual_mlp_refine.py \
        --workdir runs/to_xyY/residual_mlp_refine

Starts from the shipped ``residual_mlp_finetune`` (REAL mean CIEDE2000 0.179)
and trains a second cosine cycle at a third of its learning rate on
1,000,000 new samples (data seed 1), half jittered ALL colours and half the
whole solid, MAE, EMA.

Reached (results/to_xyY/residual_mlp_refine, ``munsell-jax record
runs/to_xyY/residual_mlp_refine residual_mlp_refine``), 10 epochs, 13 min on
the shared 2-core CPU: REAL mean CIEDE2000 0.170 (p95 0.42, max 1.90; x, y, Y
MAE 7.2e-4, 7.8e-4, 8.7e-5), generalisation 0.160 (p95 0.43): both better
than the first fine-tune (0.179 / 0.168), still short of the 0.10 target.
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
