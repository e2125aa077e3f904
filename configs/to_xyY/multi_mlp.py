r"""Multi-MLP, Munsell -> xyY: three independent MLP branches 4-128-256-512-256-128-1.

    munsell-jax train configs/to_xyY/multi_mlp.py \
        --workdir runs/to_xyY/multi_mlp

Data: forward sampler, 200,000 exact pairs (90/10 train/validation).
Delta-E on REAL and wall time: not trained to completion yet (issue 9);
training throughput on CPU is in the README (benchmarks/bench_train.py).
"""

from munsell_jax.train import default_config


def get_config():
    config = default_config("to_xyY", "Multi-MLP")
    config.data.name = "forward"
    config.data.size = 200_000
    return config
