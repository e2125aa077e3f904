r"""Residual MLP, Munsell -> xyY: fine-tuned near the renotation lattice.

Continues runs/to_xyY/residual_mlp (``init_from``) on equal shares of the jittered ALL colours
and the whole solid (``forward+perturbation``, 1,000,000), MAE, learning rate 3e-4.

    munsell-jax train configs/to_xyY/residual_mlp_finetune.py \
        --workdir runs/to_xyY/residual_mlp_finetune
    munsell-jax record runs/to_xyY/residual_mlp_finetune residual_mlp_finetune

Reached (results/to_xyY/residual_mlp_finetune): REAL mean CIEDE2000 0.179 (not held out),
generalisation 0.168; 10 epochs, 9 min on a shared 2-core CPU.
Story: docs/experiments.md, "Smooth networks"; chain: docs/models.md, "Fine-tuning lineage".
"""

from munsell_jax.lab.train import default_config


def get_config():
    config = default_config("to_xyY", "Residual MLP")
    config.inputs = "harmonic"
    config.init_from = "runs/to_xyY/residual_mlp"
    config.data.name = "forward+perturbation"
    config.data.size = 1_000_000
    config.loss.kind = "mae"
    config.opt.epochs = 10
    config.opt.learning_rate = 3e-4
    config.opt.schedule = "warmup_cosine"
    config.opt.warmup_epochs = 0
    config.opt.plateau_patience = 0
    config.opt.early_stopping_patience = 10
    config.opt.ema_decay = 0.999
    return config
