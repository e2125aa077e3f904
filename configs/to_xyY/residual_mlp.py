r"""Residual MLP, Munsell -> xyY: the headline candidate.

    munsell-jax train configs/to_xyY/residual_mlp.py \
        --workdir runs/to_xyY/residual_mlp

A pre-norm residual MLP (width 256, 2 blocks, 266K parameters) reading the
``harmonic`` inputs (chroma (cos kt, sin kt) of the ASTM hue angle, value,
chroma: continuous across families and at grey). Forward sampler, 1M exact
pairs, MAE, warm-up + cosine, EMA of the parameters.

Reached (results/to_xyY/residual_mlp), 30 epochs, 23 min on the 2-core CPU
(shared): REAL mean CIEDE2000 0.251 (x, y, Y MAE 1.1e-3, 1.2e-3, 1.3e-4),
generalisation 0.167; 31 us/sample in onnxruntime. The lattice fine-tune is
residual_mlp_finetune.py.
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
