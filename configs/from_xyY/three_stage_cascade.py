r"""Three-stage cascade, xyY -> Munsell: Multi-Head, an MLP and a multi error predictor.

Each stage trains with the earlier ones frozen.

    munsell-jax train configs/from_xyY/three_stage_cascade.py \
        --workdir runs/from_xyY/three_stage_cascade
    munsell-jax record runs/from_xyY/three_stage_cascade three_stage_cascade
    python scripts/train_zoo.py --direction from_xyY --only three_stage_cascade

Not trained as written (grid sampler, 500,000 exact pairs, 200, 100 and 200 epochs by stage,
innermost first: a GPU job). At ``:cpu`` (2 epochs per stage, 200,000 samples; results/zoo):
REAL mean CIEDE2000 7.66, generalisation 8.91; 31 s (the last stage only) on a shared 2-core
CPU.
Story: docs/experiments.md, "Every architecture at one small budget".
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("from_xyY", "Three-stage cascade")
    config.opt.stage_epochs = (200, 100)  # Multi-Head, then the first error predictor
    return with_budget(config, budget, cpu_epochs=2)
