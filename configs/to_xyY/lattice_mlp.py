"""Lattice MLP, Munsell -> xyY: features learned on the renotation lattice, then an MLP.

``munsell_jax.nn.lattice_mlp`` on 1,000,000 ``forward+perturbation`` samples (half the whole
solid, half the jittered ALL colours), MAE, warm-up + cosine, EMA; ``:EPOCHS`` (default 30).

    munsell-jax train configs/to_xyY/lattice_mlp.py --workdir runs/to_xyY/lattice_mlp
    munsell-jax record runs/to_xyY/lattice_mlp lattice_mlp

Reached (results/to_xyY/lattice_mlp): REAL mean CIEDE2000 0.054 (not held out),
generalisation 0.048; 30 epochs, 32 min on a shared 2-core CPU.
Story: docs/experiments.md, "Features on the lattice"; chain: docs/models.md,
"Fine-tuning lineage".
"""

from munsell_jax.lab.train import default_config


def get_config(arg: str = "30"):
    config = default_config("to_xyY", "Lattice MLP")
    config.data.name = "forward+perturbation"
    config.data.size = 1_000_000
    config.loss.kind = "mae"
    config.opt.epochs = int(arg)
    config.opt.schedule = "warmup_cosine"
    config.opt.warmup_epochs = 1
    config.opt.plateau_patience = 0
    config.opt.early_stopping_patience = int(arg)
    config.opt.ema_decay = 0.999
    return config
