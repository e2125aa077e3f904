"""Munsell -> xyY approximator (shipped): the published Simple MLP on the harmonic hue inputs.

Simple MLP 128-256-128 (LayerNorm, SiLU) computing ``harmonic`` inputs from ``[hue, value,
chroma, code]``; 1,000,000 forward samples, MAE, warm-up + cosine, EMA of the parameters.

    munsell-jax train configs/to_xyY/approximator.py --workdir runs/to_xyY/approximator
    munsell-jax ship runs/to_xyY/approximator approximator

Reached (munsell_jax/models/to_xyY/approximator): REAL mean CIEDE2000 0.282, generalisation
0.193; 100 epochs, 35 min on a shared 2-core CPU.
Story: docs/models.md, "The differentiable approximators".
"""

from munsell_jax.lab.train import default_config


def get_config():
    config = default_config("to_xyY", "Simple MLP")
    config.inputs = "harmonic"
    config.data.name = "forward"
    config.data.size = 1_000_000
    config.loss.kind = "mae"
    config.opt.epochs = 100
    config.opt.schedule = "warmup_cosine"
    config.opt.warmup_epochs = 2
    config.opt.plateau_patience = 0
    config.opt.early_stopping_patience = 100
    config.opt.ema_decay = 0.999
    return config
