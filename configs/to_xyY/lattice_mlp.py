r"""Lattice MLP, Munsell -> xyY: features learned on the renotation lattice.

    munsell-jax train configs/to_xyY/lattice_mlp.py --workdir runs/to_xyY/lattice_mlp
    munsell-jax record runs/to_xyY/lattice_mlp lattice_mlp

The smooth networks plateau near mean CIEDE2000 0.17 on REAL because the
renotation's kinks sit on its lattice (2.5 hue steps, integer values, even
chromas), exactly where the REAL colours are. ``munsell_jax.nn.lattice_mlp``
learns a 16-wide feature vector at every lattice point, interpolates it
multilinearly at the input (kinks where the renotation has them) and maps it,
with the ``harmonic`` inputs, through a residual MLP (width 256, 2 blocks)
plus a linear readout; Y is the ASTM D1535 polynomial of the value, not
learned. The lattice is where the renotation put its data points, known in
advance.

Data: forward+perturbation, 1M exact pairs (half random specifications over
the whole solid, half the ALL colours jittered: the residual MLP fine-tunes'
mix, here from the start), MAE, warm-up + cosine, EMA. ``:EPOCHS`` sets the
length (default 30).

First trial (``munsell-jax train configs/to_xyY/lattice_mlp.py:20
--config.data.name=forward --config.model.linear_readout=False
--config.model.exact_luminance=False``, then ``munsell-jax evaluate RUN``; 18
min on the 2-core CPU):
generalisation mean CIEDE2000 0.092 (x, y, Y MAE 2.7e-4, 2.6e-4, 2.9e-4),
but REAL 0.209 (6.1e-4, 5.9e-4, 6.9e-4): on the lattice points themselves
the MLP meets the corners of its feature distribution, which random
specifications almost never reach (hence the jittered ALL colours, the
readout and the exact Y here).
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
