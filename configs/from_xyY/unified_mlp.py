r"""Unified MLP, xyY -> Munsell: one MLP 3-128-256-512-256-128-4 for all four outputs.

    munsell-jax train configs/from_xyY/unified_mlp.py \
        --workdir runs/from_xyY/unified_mlp

Data: grid sampler, 500,000 exact pairs (90/10 train/validation).
Delta-E on REAL and wall time: not trained to completion yet (issue 9);
training throughput on CPU is in the README (benchmarks/bench_train.py).
"""

from munsell_jax.train import default_config


def get_config():
    config = default_config("from_xyY", "Unified MLP")
    return config
