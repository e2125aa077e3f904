r"""Simple MLP, Munsell -> xyY: a plain MLP 4-128-256-128-3.

    munsell-jax train configs/to_xyY/simple_mlp.py \
        --workdir runs/to_xyY/simple_mlp

Data: forward sampler, 200,000 exact pairs (90/10 train/validation).
Reached (results/to_xyY/simple_mlp): mean CIEDE2000 0.637 on REAL, 200 epochs, 6 min on the
2-core CPU, 3.7 us/sample in onnxruntime.
"""

from munsell_jax.lab.train import default_config


def get_config():
    config = default_config("to_xyY", "Simple MLP")
    config.data.name = "forward"
    config.data.size = 200_000
    return config
