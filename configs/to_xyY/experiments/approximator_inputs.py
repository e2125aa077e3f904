r"""The approximator's input layout at a short budget, ``INPUTS:EPOCHS``: does ``lattice`` pay?

The shipped approximator's recipe with its cosine schedule cut to EPOCHS, reading INPUTS
(a layout of ``munsell_jax.encoding.specification_inputs``).

    munsell-jax train configs/to_xyY/experiments/approximator_inputs.py:lattice:25 \
        --workdir runs/experiments/approx_inputs/lattice
    munsell-jax train configs/to_xyY/experiments/approximator_inputs.py:harmonic:25 \
        --workdir runs/experiments/approx_inputs/harmonic
    munsell-jax evaluate runs/experiments/approx_inputs/lattice   # and .../harmonic

Reached (25 epochs; not recorded, wall time not kept), REAL / generalisation mean CIEDE2000:
harmonic 0.439 / 0.533, lattice 0.422 / 0.585. Story: docs/experiments.md, "Munsell -> xyY".
"""

from munsell_jax.lab.train import default_config


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
