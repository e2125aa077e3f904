r"""Multi-MLP (classification code) + error predictor, xyY -> Munsell: the classification-code
Multi-MLP, frozen, and a multi error predictor on [xyY, 13 outputs].

    munsell-jax train configs/from_xyY/multi_mlp_classification_code_error_predictor.py \
        --workdir runs/from_xyY/multi_mlp_classification_code_error_predictor

Data: grid sampler, 500,000 exact pairs (90/10 train/validation).
Stage by stage: the base trains first in WORKDIR/base, then is frozen.
Full budget as written (for a GPU): not trained yet.
CPU budget (``:cpu``, about two CPU-minutes): 1 epoch per stage, 200,000
samples; its row is in results/zoo (``python scripts/train_zoo.py``).
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("from_xyY", "Multi-MLP (classification code) + error predictor")
    config.opt.stage_epochs = (200,)  # the base, before the error predictor
    return with_budget(config, budget, cpu_epochs=1)
