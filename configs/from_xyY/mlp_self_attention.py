r"""MLP + Self-Attention, xyY -> Munsell: an MLP encoder cut into 8 tokens, one self-attention
block, an MLP head.

    munsell-jax train configs/from_xyY/mlp_self_attention.py \
        --workdir runs/from_xyY/mlp_self_attention

Data: grid sampler, 500,000 exact pairs (90/10 train/validation).
Delta-E on REAL and wall time: not trained to completion yet (issue 9);
training throughput on CPU is in the README (benchmarks/bench_train.py).
"""

from munsell_jax.train import default_config


def get_config():
    config = default_config("from_xyY", "MLP + Self-Attention")
    return config
