r"""Deep + Wide, xyY -> Munsell: a deep MLP beside a wide shallow one, summed.

    munsell-jax train configs/from_xyY/deep_wide.py \
        --workdir runs/from_xyY/deep_wide

Data: grid sampler, 500,000 exact pairs (90/10 train/validation).
Delta-E on REAL and wall time: not trained to completion yet (issue 9);
training throughput on CPU is in the README (benchmarks/bench_train.py).
"""

from munsell_jax.train import default_config


def get_config():
    config = default_config("from_xyY", "Deep + Wide")
    return config
