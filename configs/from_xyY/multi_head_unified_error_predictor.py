r"""Multi-Head + unified error predictor, xyY -> Munsell (two-stage).

A Multi-Head base, frozen, and one MLP error predictor on [xyY, base output].

    munsell-jax train configs/from_xyY/multi_head_unified_error_predictor.py \
        --workdir runs/from_xyY/multi_head_unified_error_predictor
    munsell-jax record runs/from_xyY/multi_head_unified_error_predictor \
        multi_head_unified_error_predictor
    python scripts/train_zoo.py --direction from_xyY --only multi_head_unified_error_predictor

Not trained as written (grid sampler, 500,000 exact pairs, 200 epochs per stage: a GPU job). At
``:cpu`` (3 epochs per stage, 200,000 samples; results/zoo): REAL mean CIEDE2000 7.23,
generalisation 8.38; 31 s (the last stage only) on a shared 2-core CPU.
Story: docs/experiments.md, "Every architecture at one small budget".
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("from_xyY", "Multi-Head + unified error predictor")
    config.opt.stage_epochs = (200,)  # the base, before the error predictor
    return with_budget(config, budget, cpu_epochs=3)
