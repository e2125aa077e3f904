"""Residual MLP, Munsell -> xyY: a pre-norm residual MLP on the harmonic hue inputs.

Width 256, 2 blocks (268K parameters), ``harmonic`` inputs; 1,000,000 forward samples, MAE,
warm-up + cosine, EMA of the parameters.

    munsell-jax train configs/to_xyY/residual_mlp.py --workdir runs/to_xyY/residual_mlp
    munsell-jax record runs/to_xyY/residual_mlp residual_mlp

Reached (results/to_xyY/residual_mlp): REAL mean CIEDE2000 0.251, generalisation 0.167;
30 epochs, 23 min on a shared 2-core CPU.
Story: docs/experiments.md, "Smooth networks"; chain: docs/models.md, "Fine-tuning lineage".
"""

from munsell_jax.lab.train import default_config


def get_config():
    config = default_config("to_xyY", "Residual MLP")
    config.inputs = "harmonic"
    config.data.name = "forward"
    config.data.size = 1_000_000
    config.loss.kind = "mae"
    config.opt.epochs = 30
    config.opt.schedule = "warmup_cosine"
    config.opt.warmup_epochs = 2
    config.opt.plateau_patience = 0
    config.opt.early_stopping_patience = 30
    config.opt.ema_decay = 0.999
    return config
