r"""Lattice MLP, Munsell -> xyY: features learned on the renotation lattice (issues 8, 9).

    munsell-jax train configs/to_xyY/lattice_mlp.py --workdir runs/to_xyY/lattice_mlp
    munsell-jax ship runs/to_xyY/lattice_mlp lattice_mlp

The smooth networks plateau near mean CIEDE2000 0.17 on REAL because the
renotation's kinks sit on its lattice (2.5 hue steps, integer values, even
chromas), exactly where the REAL colours are. ``munsell_jax.nn.lattice_mlp``
learns a 16-wide feature vector at every lattice point, interpolates it
multilinearly at the input (kinks where the renotation has them) and maps it,
with the ``harmonic`` inputs, through a residual MLP (width 256, 2 blocks).
It learns from the forward sampler only (random specifications over the
whole solid, no REAL colours); the lattice is where the renotation put its
data points, known in advance.

Forward sampler, 1M exact pairs, MAE, warm-up + cosine, EMA.
"""

from munsell_jax.train import default_config


def get_config(arg: str = "20"):
    config = default_config("to_xyY", "Lattice MLP")
    config.data.name = "forward"
    config.data.size = 1_000_000
    config.loss.kind = "mae"
    config.opt.epochs = int(arg)
    config.opt.schedule = "warmup_cosine"
    config.opt.warmup_epochs = 1
    config.opt.plateau_patience = 0
    config.opt.early_stopping_patience = int(arg)
    config.opt.ema_decay = 0.999
    return config
