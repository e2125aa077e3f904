r"""Three-stage cascade, xyY -> Munsell: Multi-Head, then an MLP error predictor, then a multi error
predictor, each stage trained with the earlier ones frozen.

    munsell-jax train configs/from_xyY/three_stage_cascade.py \
        --workdir runs/from_xyY/three_stage_cascade

Data: grid sampler, 500,000 exact pairs (90/10 train/validation).
Stage by stage: the base trains first in WORKDIR/base, then is frozen.
Delta-E on REAL and wall time: not trained to completion yet (issue 9);
training throughput on CPU is in the README (benchmarks/bench_train.py).
"""

from munsell_jax.train import default_config


def get_config():
    config = default_config("from_xyY", "Three-stage cascade")
    config.opt.stage_epochs = (200, 100)  # Multi-Head, then the first error predictor
    return config
