r"""Multi-Head, Munsell -> xyY: a shared encoder and one head per output (x, y, Y).

    munsell-jax train configs/to_xyY/multi_head.py \
        --workdir runs/to_xyY/multi_head

Data: forward sampler, 200,000 exact pairs (90/10 train/validation).
Delta-E on REAL and wall time: not trained to completion yet (issue 9);
training throughput on CPU is in the README (benchmarks/bench_train.py).
"""

from munsell_jax.train import default_config


def get_config():
    config = default_config("to_xyY", "Multi-Head")
    config.data.name = "forward"
    config.data.size = 200_000
    return config
