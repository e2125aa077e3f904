r"""Multi-MLP (hue angle sin/cos), xyY -> Munsell: a Multi-MLP predicting cos and sin of the full
ASTM hue angle, value and chroma.

    munsell-jax train configs/from_xyY/multi_mlp_hue_angle_sin_cos.py \
        --workdir runs/from_xyY/multi_mlp_hue_angle_sin_cos

Data: grid sampler, 500,000 exact pairs (90/10 train/validation).
Delta-E on REAL and wall time: not trained to completion yet (issue 9);
training throughput on CPU is in the README (benchmarks/bench_train.py).
"""

from munsell_jax.train import default_config


def get_config():
    config = default_config("from_xyY", "Multi-MLP (hue angle sin/cos)")
    return config
