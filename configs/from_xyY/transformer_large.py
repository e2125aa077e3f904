r"""Transformer (large), xyY -> Munsell: the larger feature-tokenizer Transformer (dim 128, depth
6).

    munsell-jax train configs/from_xyY/transformer_large.py \
        --workdir runs/from_xyY/transformer_large

Data: grid sampler, 500,000 exact pairs (90/10 train/validation).
Delta-E on REAL and wall time: not trained to completion yet (issue 9);
training throughput on CPU is in the README (benchmarks/bench_train.py).
"""

from munsell_jax.train import default_config


def get_config():
    config = default_config("from_xyY", "Transformer (large)")
    return config
