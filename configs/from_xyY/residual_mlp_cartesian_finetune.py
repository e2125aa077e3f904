r"""Residual MLP (cartesian), xyY -> Munsell: fine-tuned on the jittered renotation lattice.

Continues runs/from_xyY/residual_mlp_cartesian (``init_from``) on the ``perturbation`` sampler,
MSE + 1e-3 x round-trip CIEDE2000 through the exact engine, learning rate 3e-4.

    munsell-jax train configs/from_xyY/residual_mlp_cartesian_finetune.py \
        --workdir runs/from_xyY/residual_mlp_cartesian_finetune
    munsell-jax record runs/from_xyY/residual_mlp_cartesian_finetune \
        residual_mlp_cartesian_finetune

Reached (results/from_xyY/residual_mlp_cartesian_finetune): REAL mean CIEDE2000 0.224 (not
held out), generalisation 0.500; 25 epochs, 14 min on a shared 2-core CPU.
Story: docs/experiments.md, "The lattice"; chain: docs/models.md, "Fine-tuning lineage".
"""

from munsell_jax.lab.train import default_config


def get_config():
    config = default_config("from_xyY", "Residual MLP (cartesian)")
    config.inputs = "lightness"
    config.init_from = "runs/from_xyY/residual_mlp_cartesian"
    config.data.name = "perturbation"
    config.data.size = 500_000
    config.loss.delta_e_weight = 1e-3
    config.opt.epochs = 25
    config.opt.learning_rate = 3e-4
    config.opt.schedule = "warmup_cosine"
    config.opt.warmup_epochs = 0
    config.opt.plateau_patience = 0
    config.opt.early_stopping_patience = 25
    config.opt.ema_decay = 0.999
    return config
