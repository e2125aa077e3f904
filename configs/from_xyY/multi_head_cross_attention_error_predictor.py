r"""Multi-Head + cross-attention error predictor, xyY -> Munsell (two-stage).

A frozen Multi-Head base; per-output queries cross-attend to [xyY, base output].

    munsell-jax train configs/from_xyY/multi_head_cross_attention_error_predictor.py \
        --workdir runs/from_xyY/multi_head_cross_attention_error_predictor
    munsell-jax record runs/from_xyY/multi_head_cross_attention_error_predictor \
        multi_head_cross_attention_error_predictor
    python scripts/train_zoo.py --direction from_xyY \
        --only multi_head_cross_attention_error_predictor

Not trained as written (grid sampler, 500,000 exact pairs, 200 epochs per stage: a GPU job). At
``:cpu`` (3 epochs per stage, 200,000 samples; results/zoo): REAL mean CIEDE2000 7.59,
generalisation 8.53; 3 min (the last stage only) on a shared 2-core CPU.
Story: docs/experiments.md, "Every architecture at one small budget".
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("from_xyY", "Multi-Head + cross-attention error predictor")
    config.opt.stage_epochs = (200,)  # the base, before the error predictor
    return with_budget(config, budget, cpu_epochs=3)
