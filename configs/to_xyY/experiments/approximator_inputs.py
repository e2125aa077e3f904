r"""The approximator's input layout, at a short budget: ``INPUTS:EPOCHS``.

    munsell-jax train configs/to_xyY/experiments/approximator_inputs.py:lattice:25 \
        --workdir runs/experiments/approx_inputs/lattice
    munsell-jax train configs/to_xyY/experiments/approximator_inputs.py:harmonic:25 \
        --workdir runs/experiments/approx_inputs/harmonic

The shipped approximator's recipe (Simple MLP, 1,000,000 forward samples, MAE,
EMA) with its cosine schedule shortened to EPOCHS, so two layouts of
``munsell_jax.encoding.specification_inputs`` compare at one budget: does
telling the network where the lattice's kinks are (``lattice``) pay?
"""

from munsell_jax.train import default_config


def get_config(arg="lattice:25"):
    inputs, epochs = arg.split(":")
    config = default_config("to_xyY", "Simple MLP")
    config.inputs = inputs
    config.data.name = "forward"
    config.data.size = 1_000_000
    config.loss.kind = "mae"
    config.opt.epochs = int(epochs)
    config.opt.schedule = "warmup_cosine"
    config.opt.warmup_epochs = 1
    config.opt.plateau_patience = 0
    config.opt.early_stopping_patience = 100
    config.opt.ema_decay = 0.999
    return config
