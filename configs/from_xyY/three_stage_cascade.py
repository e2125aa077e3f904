r"""Three-stage cascade, xyY -> Munsell: Multi-Head, then an MLP error predictor, then a multi error
predictor, each stage trained with the earlier ones frozen.

    munsell-jax train configs/from_xyY/three_stage_cascade.py \
        --workdir runs/from_xyY/three_stage_cascade

Data: grid sampler, 500,000 exact pairs (90/10 train/validation).
Stage by stage: the base trains first in WORKDIR/base, then is frozen.
Full budget as written (for a GPU): not trained yet.
CPU budget (``:cpu``, about two CPU-minutes): 2 epochs per stage, 200,000
samples; its row is in results/zoo (``python scripts/train_zoo.py``).
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("from_xyY", "Three-stage cascade")
    config.opt.stage_epochs = (200, 100)  # Multi-Head, then the first error predictor
    return with_budget(config, budget, cpu_epochs=2)
