r"""Multi-MLP (classification code) + code-aware error predictor, xyY -> Munsell: the
classification-code Multi-MLP, frozen, and a multi error predictor on [xyY, 3 regressed outputs,
one-hot code] (16 features).

    munsell-jax train configs/from_xyY/multi_mlp_classification_code_code_aware_error_predictor.py \
        --workdir runs/from_xyY/multi_mlp_classification_code_code_aware_error_predictor

Data: grid sampler, 500,000 exact pairs (90/10 train/validation).
Stage by stage: the base trains first in WORKDIR/base, then is frozen.
Delta-E on REAL and wall time: not trained to completion yet (issue 9);
training throughput on CPU is in the README (benchmarks/bench_train.py).
"""

from munsell_jax.train import default_config


def get_config():
    config = default_config(
        "from_xyY", "Multi-MLP (classification code) + code-aware error predictor"
    )
    config.opt.stage_epochs = (200,)  # the base, before the error predictor
    return config
