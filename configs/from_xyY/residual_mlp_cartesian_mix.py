r"""Residual MLP (cartesian), xyY -> Munsell: fine-tuned on the lattice and the grid together.

Continues runs/from_xyY/residual_mlp_cartesian (``init_from``) on equal shares of the
``perturbation`` and ``grid`` samplers, MSE + 1e-3 x round-trip CIEDE2000, learning rate 3e-4.

    munsell-jax train configs/from_xyY/residual_mlp_cartesian_mix.py \
        --workdir runs/from_xyY/residual_mlp_cartesian_mix
    munsell-jax record runs/from_xyY/residual_mlp_cartesian_mix residual_mlp_cartesian_mix

Reached (results/from_xyY/residual_mlp_cartesian_mix): REAL mean CIEDE2000 0.262 (not held
out), generalisation 0.396; 10 epochs, 9 min on a shared 2-core CPU.
Story: docs/experiments.md, "The lattice"; chain: docs/models.md, "Fine-tuning lineage".
"""

from munsell_jax.lab.train import default_config


def get_config():
    config = default_config("from_xyY", "Residual MLP (cartesian)")
    config.inputs = "lightness"
    config.init_from = "runs/from_xyY/residual_mlp_cartesian"
    config.data.name = "grid+perturbation"
    config.data.size = 1_000_000
    config.loss.delta_e_weight = 1e-3
    config.opt.epochs = 10
    config.opt.learning_rate = 3e-4
    config.opt.schedule = "warmup_cosine"
    config.opt.warmup_epochs = 0
    config.opt.plateau_patience = 0
    config.opt.early_stopping_patience = 10
    config.opt.ema_decay = 0.999
    return config
