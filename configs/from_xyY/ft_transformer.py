r"""FT-Transformer, xyY -> Munsell: a feature-tokenizer Transformer (dim 64, depth 3).

    munsell-jax train configs/from_xyY/ft_transformer.py \
        --workdir runs/from_xyY/ft_transformer

Data: grid sampler, 500,000 exact pairs (90/10 train/validation).
Delta-E on REAL and wall time: not trained to completion yet (issue 9);
training throughput on CPU is in the README (benchmarks/bench_train.py).
"""

from munsell_jax.train import default_config


def get_config():
    config = default_config("from_xyY", "FT-Transformer")
    return config
