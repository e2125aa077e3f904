r"""Multi-ResNet (LayerNorm), xyY -> Munsell: four six-layer residual branches
3-256-512-512-512-256-1 (chroma twice as wide), LayerNorm, SiLU.

    munsell-jax train configs/from_xyY/multi_resnet_layernorm.py \
        --workdir runs/from_xyY/multi_resnet_layernorm

Data: grid sampler, 500,000 exact pairs (90/10 train/validation).
Delta-E on REAL and wall time: not trained to completion yet (issue 9);
training throughput on CPU is in the README (benchmarks/bench_train.py).
"""

from munsell_jax.train import default_config


def get_config():
    config = default_config("from_xyY", "Multi-ResNet (LayerNorm)")
    return config
