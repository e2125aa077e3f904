r"""Residual MLP (cartesian), a second lattice fine-tune on fresh jitter (issue 9).

    munsell-jax train configs/from_xyY/residual_mlp_cartesian_refine.py \
        --workdir runs/from_xyY/residual_mlp_cartesian_refine

Starts from the shipped ``residual_mlp_cartesian_finetune`` (25 epochs on the
``perturbation`` sampler, REAL 0.224) and trains a second cosine cycle at a
third of its learning rate on 1,000,000 new jittered ALL colours (data seed
1, so none of the earlier samples), with the same MSE + 1e-3 x round-trip
CIEDE2000 through the exact engine.
"""

from munsell_jax.train import default_config


def get_config():
    config = default_config("from_xyY", "Residual MLP (cartesian)")
    config.inputs = "lightness"
    config.init_from = "results/from_xyY/residual_mlp_cartesian_finetune"
    config.data.name = "perturbation"
    config.data.size = 1_000_000
    config.data.seed = 1
    config.loss.delta_e_weight = 1e-3
    config.opt.epochs = 15
    config.opt.learning_rate = 1e-4
    config.opt.schedule = "warmup_cosine"
    config.opt.warmup_epochs = 0
    config.opt.plateau_patience = 0
    config.opt.early_stopping_patience = 15
    config.opt.ema_decay = 0.999
    return config
