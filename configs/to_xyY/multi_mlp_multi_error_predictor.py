r"""Multi-MLP + multi error predictor, Munsell -> xyY: a Multi-MLP base, frozen, and a Multi-MLP
error predictor.

    munsell-jax train configs/to_xyY/multi_mlp_multi_error_predictor.py \
        --workdir runs/to_xyY/multi_mlp_multi_error_predictor

Data: forward sampler, 200,000 exact pairs (90/10 train/validation).
Stage by stage: the base trains first in WORKDIR/base, then is frozen.
Delta-E on REAL and wall time: not trained to completion yet (issue 9);
training throughput on CPU is in the README (benchmarks/bench_train.py).
"""

from munsell_jax.train import default_config


def get_config():
    config = default_config("to_xyY", "Multi-MLP + multi error predictor")
    config.data.name = "forward"
    config.data.size = 200_000
    config.opt.stage_epochs = (200,)  # the base, before the error predictor
    return config
