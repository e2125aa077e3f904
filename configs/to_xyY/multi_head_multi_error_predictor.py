r"""Multi-Head + multi error predictor, Munsell -> xyY (two-stage).

A Multi-Head base, frozen, and a Multi-MLP error predictor.

    munsell-jax train configs/to_xyY/multi_head_multi_error_predictor.py \
        --workdir runs/to_xyY/multi_head_multi_error_predictor
    munsell-jax record runs/to_xyY/multi_head_multi_error_predictor multi_head_multi_error_predictor
    python scripts/train_zoo.py --direction to_xyY --only multi_head_multi_error_predictor

Not trained as written (forward sampler, 200,000 exact pairs, 200 epochs per stage: a GPU job).
At ``:cpu`` (3 epochs per stage, 200,000 samples; results/zoo): REAL mean CIEDE2000 3.67,
generalisation 3.77; 21 s (the last stage only) on a shared 2-core CPU.
Story: docs/experiments.md, "Every architecture at one small budget".
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("to_xyY", "Multi-Head + multi error predictor")
    config.data.name = "forward"
    config.data.size = 200_000
    config.opt.stage_epochs = (200,)  # the base, before the error predictor
    return with_budget(config, budget, cpu_epochs=3)
