"""Smoke test: a tiny MLP, xyY -> Munsell, on 4,096 forward samples for 4 epochs.

    munsell-jax train configs/smoke.py --workdir runs/smoke

Seconds on CPU; the test suite runs it. It records no figure: it shows that the loop
works and the loss falls, nothing more. The loop: docs/training.md.
"""

import ml_collections


def get_config() -> ml_collections.ConfigDict:
    config = ml_collections.ConfigDict()
    config.direction = "from_xyY"  # or "to_xyY"
    config.seed = 0
    config.parallel = "sharding"  # or "pmap": how a step is split over the devices

    config.data = ml_collections.ConfigDict()
    config.data.name = "forward"  # a sampler of munsell_jax.lab.data
    config.data.size = 4_096
    config.data.seed = 0
    config.data.data_dir = "data"  # the cache, relative to the working directory
    config.data.validation_fraction = 0.125

    config.model = ml_collections.ConfigDict()
    config.model.name = "mlp"  # a module of munsell_jax.nn
    config.model.widths = (32, 32)
    config.model.layer_norm = True

    config.opt = ml_collections.ConfigDict()
    config.opt.batch_size = 256
    config.opt.epochs = 4
    config.opt.learning_rate = 3e-3
    config.opt.weight_decay = 1e-4
    config.opt.clip_norm = 1.0
    config.opt.plateau_factor = 0.5
    config.opt.plateau_patience = 10  # epochs
    config.opt.early_stopping_patience = 20  # epochs
    return config
