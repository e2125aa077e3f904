"""Colour autoencoders: RGB -> 2-D latent -> RGB, with MSE, MSE + hue triplets, CIEDE2000.

    python -m munsell_jax.projects.representations configs/representations/autoencoder.py

Writes results/representations/autoencoder/ (figures, metrics.json, README.md). Reached (seed
0, 47 s on a 2-core CPU): mean CIEDE2000 6.8 / 5.7 / 4.0 for mse / triplet / ciede2000; hue
as the latent angle with triplets and CIEDE2000 (alignment 0.96, 0.90), not chroma as radius.
Story: docs/experiments.md, "Colour-representation experiments".
"""

import ml_collections


def get_config() -> ml_collections.ConfigDict:
    config = ml_collections.ConfigDict()
    config.experiment = "autoencoder"  # a module of munsell_jax.projects.representations
    config.workdir = "results/representations/autoencoder"
    config.seed = 0
    config.fast_compile = False  # XLA optimisation level 0 for training steps (tests)
    config.variants = ("mse", "triplet", "ciede2000")  # losses; see autoencoder.VARIANTS

    config.data = ml_collections.ConfigDict()
    config.data.train_size = 16_384  # colours uniform in the sRGB cube
    config.data.test_size = 4_096  # held out, another key

    config.model = ml_collections.ConfigDict()
    config.model.latent = 2  # the bottleneck
    config.model.width = 64  # hidden width of encoder and decoder
    config.model.depth = 2  # hidden layers of each

    config.triplet = ml_collections.ConfigDict()
    # weight and margin: the best of three tries (0.1/0.2, 1.0/0.2, 1.0/0.5) by hue alignment
    config.triplet.weight = 1.0  # of the triplet term against the MSE
    config.triplet.margin = 0.5  # latent units (the latent is tanh-bounded to (-1, 1))
    config.triplet.hue_jitter = 0.02  # positive's hue offset, turns
    config.triplet.sv_jitter = 0.15  # positive's saturation / value offset
    config.triplet.min_hue_gap = 0.15  # negative's least hue distance, turns

    config.opt = ml_collections.ConfigDict()
    config.opt.epochs = 30
    config.opt.batch_size = 256
    config.opt.learning_rate = 3e-3  # Adam

    config.eval = ml_collections.ConfigDict()
    config.eval.bins = 12  # of hue, saturation and value for the binned errors
    config.eval.frame_points = 1_500  # colours drawn in each GIF frame
    config.eval.fps = 5
    return config
