r"""Multi-MLP (classification code), xyY -> Munsell: three regression branches and a 10-logit code
branch (code = argmax + 1).

    munsell-jax train configs/from_xyY/multi_mlp_classification_code.py \
        --workdir runs/from_xyY/multi_mlp_classification_code

Data: grid sampler, 500,000 exact pairs (90/10 train/validation).
Delta-E on REAL and wall time: not trained to completion yet (issue 9);
training throughput on CPU is in the README (benchmarks/bench_train.py).
"""

from munsell_jax.train import default_config


def get_config():
    config = default_config("from_xyY", "Multi-MLP (classification code)")
    return config
