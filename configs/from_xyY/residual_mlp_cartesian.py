r"""Residual MLP (cartesian), xyY -> Munsell: the pre-training of the shipped residual MLP.

A pre-norm residual MLP (width 256, 2 blocks, 266K parameters), ``lightness`` inputs,
``cartesian`` outputs, ``large`` set (1,400,000 exact pairs), MSE, warm-up + cosine, EMA.

    munsell-jax train configs/from_xyY/residual_mlp_cartesian.py \
        --workdir runs/from_xyY/residual_mlp_cartesian
    munsell-jax record runs/from_xyY/residual_mlp_cartesian residual_mlp_cartesian

Reached (results/from_xyY/residual_mlp_cartesian): REAL mean CIEDE2000 0.433,
generalisation 0.404; 20 epochs, 23 min on a shared 2-core CPU.
Story: docs/experiments.md, "The lattice"; chain: docs/models.md, "Fine-tuning lineage".
"""

from munsell_jax.lab.train import default_config


def get_config():
    config = default_config("from_xyY", "Residual MLP (cartesian)")
    config.inputs = "lightness"
    config.data.name = "large"
    config.data.size = 1_400_000
    config.opt.epochs = 20
    config.opt.schedule = "warmup_cosine"
    config.opt.warmup_epochs = 1
    config.opt.plateau_patience = 0
    config.opt.early_stopping_patience = 20
    config.opt.ema_decay = 0.999
    return config
