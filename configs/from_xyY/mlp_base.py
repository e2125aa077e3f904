r"""MLP (base), xyY -> Munsell: a plain MLP 3-128-256-128-4 (the published base-only row).

    munsell-jax train configs/from_xyY/mlp_base.py \
        --workdir runs/from_xyY/mlp_base

Data: grid sampler, 500,000 exact pairs (90/10 train/validation).
Delta-E on REAL and wall time: not trained to completion yet (issue 9);
training throughput on CPU is in the README (benchmarks/bench_train.py).
"""

from munsell_jax.train import default_config


def get_config():
    config = default_config("from_xyY", "MLP (base)")
    return config
