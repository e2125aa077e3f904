r"""Probabilistic polar lattice, xyY -> Munsell: a specification, its distribution and a
Delta-E bound (``munsell_jax.nn.probabilistic``), ``:VARIANT`` (default ``nll``).

``polar`` inputs, ``probabilistic`` outputs, the ``large`` set (grid + boundary + forward,
none centred on the REAL colours: REAL is held out), warm-up + cosine, EMA. Loss: the
negative log-likelihood of the hue angle (von Mises) and chroma (normal), the round-trip
CIEDE2000 through the exact forward, and the pinball loss of the Delta-E bound.

    munsell-jax train configs/from_xyY/probabilistic.py --workdir runs/from_xyY/probabilistic
    munsell-jax record runs/from_xyY/probabilistic probabilistic

VARIANT: ``nll`` (the loss above), ``fine`` (a finer lattice), ``cells`` (a second stage
on the renotation lattice), ``smoke`` (a minute: 20,000 samples, 2 epochs).
Figures: results/experiments/probabilistic/README.md.
"""

from munsell_jax.lab.train import default_config

VARIANTS = ("nll", "fine", "cells", "fine_cells")  # the experiments (smoke is a test)


def get_config(variant: str = "nll"):
    if variant not in (*VARIANTS, "smoke"):
        raise ValueError(f"variant must be one of {VARIANTS} or 'smoke', not {variant!r}")
    config = default_config("from_xyY", "Probabilistic polar lattice")
    config.data.name = "large"
    config.data.size = 1_400_000
    config.loss.kind = "mse"
    config.loss.weights = (0.0, 0.0, 0.0)  # the likelihood places the answer
    config.loss.nll_weight = 1.0
    config.loss.delta_e_weight = 1.0
    config.loss.bound_weight = 1.0
    config.opt.epochs = 20
    config.opt.learning_rate = 1e-3
    config.opt.schedule = "warmup_cosine"
    config.opt.warmup_epochs = 1
    config.opt.plateau_patience = 0
    config.opt.early_stopping_patience = 20
    config.opt.ema_decay = 0.999
    config.inference_precision = "float64"  # a Cartesian hue near grey (see cartesian models)
    if variant == "fine":  # a finer lattice, longer
        config.model.angles = 144
        config.model.radii = 48
        config.model.features = 8
        config.opt.epochs = config.opt.early_stopping_patience = 30
    if variant == "cells":  # a second stage on the renotation lattice
        config.model.cell_features = 8
        config.opt.epochs = config.opt.early_stopping_patience = 30
    if variant == "fine_cells":  # both, longer: the shipped model
        config.model.angles = 144
        config.model.radii = 48
        config.model.features = 8
        config.model.cell_features = 8
        config.opt.epochs = config.opt.early_stopping_patience = 40
    if variant == "smoke":
        config.data.size = 20_000
        config.opt.epochs = 2
    return config
