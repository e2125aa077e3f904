"""Simple MLP, Munsell -> xyY: a plain MLP 4-128-256-128-3 (the published row).

Forward sampler, 200,000 exact pairs (90/10 train/validation), 200 epochs.

    munsell-jax train configs/to_xyY/simple_mlp.py --workdir runs/to_xyY/simple_mlp
    munsell-jax record runs/to_xyY/simple_mlp simple_mlp

Reached (results/to_xyY/simple_mlp): REAL mean CIEDE2000 0.637, generalisation 0.721;
200 epochs, 6 min on a shared 2-core CPU.
Story: docs/models.md, "Every trained model".
"""

from munsell_jax.lab.train import default_config


def get_config():
    config = default_config("to_xyY", "Simple MLP")
    config.data.name = "forward"
    config.data.size = 200_000
    return config
