r"""Multi-MLP (classification code) + error predictor, xyY -> Munsell (two-stage).

A frozen classification-code Multi-MLP and a multi error predictor on [xyY, 13 outputs].

    munsell-jax train configs/from_xyY/multi_mlp_classification_code_error_predictor.py \
        --workdir runs/from_xyY/multi_mlp_classification_code_error_predictor
    munsell-jax record runs/from_xyY/multi_mlp_classification_code_error_predictor \
        multi_mlp_classification_code_error_predictor
    python scripts/train_zoo.py --direction from_xyY \
        --only multi_mlp_classification_code_error_predictor

Not trained as written (grid sampler, 500,000 exact pairs, 200 epochs per stage: a GPU job). At
``:cpu`` (1 epoch per stage, 200,000 samples; results/zoo): REAL mean CIEDE2000 7.15,
generalisation 8.17; 41 s (the last stage only) on a shared 2-core CPU.
Story: docs/experiments.md, "Every architecture at one small budget".
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("from_xyY", "Multi-MLP (classification code) + error predictor")
    config.opt.stage_epochs = (200,)  # the base, before the error predictor
    return with_budget(config, budget, cpu_epochs=1)
