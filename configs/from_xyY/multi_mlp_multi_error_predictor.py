r"""Multi-MLP + multi error predictor, xyY -> Munsell: a Multi-MLP base, frozen, and a Multi-MLP
error predictor (one branch per output).

    munsell-jax train configs/from_xyY/multi_mlp_multi_error_predictor.py \
        --workdir runs/from_xyY/multi_mlp_multi_error_predictor

Data: grid sampler, 500,000 exact pairs (90/10 train/validation).
Stage by stage: the base trains first in WORKDIR/base, then is frozen.
Delta-E on REAL and wall time: not trained to completion yet (issue 9);
training throughput on CPU is in the README (benchmarks/bench_train.py).
"""

from munsell_jax.train import default_config


def get_config():
    config = default_config("from_xyY", "Multi-MLP + multi error predictor")
    config.opt.stage_epochs = (200,)  # the base, before the error predictor
    return config
