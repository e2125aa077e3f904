"""Latent regularisers and red-direction interventions on a 4-D colour autoencoder.

    python -m munsell_jax.projects.representations configs/representations/interventions.py

Writes results/representations/interventions/ (figures, metrics.json, README.md). Reached
(seed 0, 43 s on a 2-core CPU): with the regularisers, suppressing red raises the median red
MSE from 4.7e-6 to 7.0e-3 and the rest from 8.1e-6 to 1.6e-5; without them it barely acts.
Story: docs/experiments.md, "Colour-representation experiments".
"""

import ml_collections


def get_config() -> ml_collections.ConfigDict:
    config = ml_collections.ConfigDict()
    config.experiment = "interventions"  # a module of munsell_jax.projects.representations
    config.workdir = "results/representations/interventions"
    config.seed = 0
    config.fast_compile = False  # XLA optimisation level 0 for training steps (tests)
    # interventions.VARIANTS: plain, normalised (unit latent, no regularisers),
    # regs_before / regs_after (unit latent, regularisers on the raw / unit latent)
    config.variants = ("plain", "normalised", "regs_before", "regs_after")

    config.data = ml_collections.ConfigDict()
    config.data.hue_steps = 48  # training grid of the HSV cube
    config.data.saturation_steps = 9  # S in [0, 1]
    config.data.value_steps = 10  # V in [0.1, 1]
    config.data.weight_floor = 0.2  # sampler weight floor + S * V: vibrant colours drawn more
    config.data.test_hue_steps = 72  # held-out grid, hues half a step off

    config.model = ml_collections.ConfigDict()
    config.model.latent = 4  # the bottleneck
    config.model.width = 64
    config.model.depth = 2

    config.reg = ml_collections.ConfigDict()
    config.reg.unitarity = 0.1  # weights of the four penalties
    config.reg.anchor = 0.1  # red -> latent axis 0
    config.reg.separation = 0.1
    config.reg.planarity = 0.1  # vibrant prototypes into the plane of axes 0, 1
    config.reg.min_angle_deg = 25.0  # least angle between vibrant prototypes
    config.reg.prototypes = 12  # vibrant hues, S = V = 1, red first

    config.intervention = ml_collections.ConfigDict()
    config.intervention.strength = 0.8  # suppression: at most this fraction of the red component
    config.intervention.angle_deg = 30.0  # repulsion: at most this rotation away from red
    config.intervention.width_deg = 30.0  # Gaussian falloff width of both, in angle from red

    config.opt = ml_collections.ConfigDict()
    config.opt.steps = 4_000
    config.opt.log_every = 200  # steps per jitted chunk (lax.scan) and logged loss
    config.opt.batch_size = 256
    config.opt.learning_rate = 3e-3  # Adam
    return config
