r"""Multi-Head, xyY -> Munsell: a shared encoder 3-128-256-512 and one head per output (chroma head
wider).

    munsell-jax train configs/from_xyY/multi_head.py \
        --workdir runs/from_xyY/multi_head

Data: grid sampler, 500,000 exact pairs (90/10 train/validation).
Delta-E on REAL and wall time: not trained to completion yet (issue 9);
training throughput on CPU is in the README (benchmarks/bench_train.py).
"""

from munsell_jax.train import default_config


def get_config():
    config = default_config("from_xyY", "Multi-Head")
    return config
