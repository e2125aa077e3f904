r"""The approximator's input layout, at a short budget: ``INPUTS:EPOCHS``.

    munsell-jax train configs/to_xyY/experiments/approximator_inputs.py:lattice:25 \
        --workdir runs/experiments/approx_inputs/lattice
    munsell-jax train configs/to_xyY/experiments/approximator_inputs.py:harmonic:25 \
        --workdir runs/experiments/approx_inputs/harmonic

The shipped approximator's recipe (Simple MLP, 1,000,000 forward samples, MAE,
EMA) with its cosine schedule shortened to EPOCHS, so two layouts of
``munsell_jax.encoding.specification_inputs`` compare at one budget: does
telling the network where the lattice's kinks are (``lattice``) pay?

Measured (25 epochs each, ``munsell-jax evaluate RUN``):

| inputs | REAL x / y / Y MAE | REAL dE | generalisation x / y / Y MAE | gen. dE |
|---|---|---|---|---|
| harmonic | 1.87e-3 / 1.90e-3 / 3.0e-4 | 0.439 | 1.73e-3 / 1.79e-3 / 2.6e-4 | 0.533 |
| lattice | 1.49e-3 / 1.58e-3 / 7.7e-4 | 0.422 | 1.77e-3 / 1.82e-3 / 4.5e-4 | 0.585 |

Mixed, not a lever: the corner features cut x and y errors on the lattice
(REAL) by a fifth but cost the rest (Y, which depends on the value alone and
smoothly, gets worse; generalisation Delta-E 10% worse). The shipped
approximator keeps ``harmonic``.
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
