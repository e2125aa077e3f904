r"""Simple MLP, Munsell -> xyY: a plain MLP 4-128-256-128-3.

    munsell-jax train configs/to_xyY/simple_mlp.py \
        --workdir runs/to_xyY/simple_mlp

Data: forward sampler, 200,000 exact pairs (90/10 train/validation).
Delta-E on REAL and wall time: not trained to completion yet (issue 9);
training throughput on CPU is in the README (benchmarks/bench_train.py).
"""

from munsell_jax.train import default_config


def get_config():
    config = default_config("to_xyY", "Simple MLP")
    config.data.name = "forward"
    config.data.size = 200_000
    return config
