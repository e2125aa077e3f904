r"""Residual MLP (cartesian), fine-tuned on the lattice and the grid together.

    munsell-jax train configs/from_xyY/residual_mlp_cartesian.py \
        --workdir runs/from_xyY/residual_mlp_cartesian
    munsell-jax train configs/from_xyY/residual_mlp_cartesian_mix.py \
        --workdir runs/from_xyY/residual_mlp_cartesian_mix

As residual_mlp_cartesian_finetune.py (MSE + 1e-3 round-trip CIEDE2000,
learning rate 3e-4, from the pre-trained model), on equal shares of the
``perturbation`` sampler (the jittered lattice, where the REAL colours and
the map's kinks are) and the ``grid`` sampler (the whole gamut), so that the
colours off the lattice are not forgotten.

Reached (results/from_xyY/residual_mlp_cartesian_mix), 10 epochs, 9 min on
the 2-core CPU (shared): REAL mean CIEDE2000 0.262 (p95 0.63, max 2.93), no
hue-family errors; generalisation 0.396 (the pre-trained model: 0.433 and
0.404; the lattice-only fine-tune: 0.224 and 0.500).
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
