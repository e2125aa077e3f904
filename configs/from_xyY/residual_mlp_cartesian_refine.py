r"""Residual MLP (cartesian), more lattice fine-tuning on fresh jitter (issue 9): ``:STAGE``.

    munsell-jax train configs/from_xyY/residual_mlp_cartesian_refine.py:1 \
        --workdir runs/from_xyY/residual_mlp_cartesian_refine
    munsell-jax train configs/from_xyY/residual_mlp_cartesian_refine.py:2 \
        --workdir runs/from_xyY/residual_mlp_cartesian_refine2

Starts from the shipped ``residual_mlp_cartesian_finetune`` (25 epochs on the
``perturbation`` sampler, REAL 0.224) and trains a second cosine cycle at a
third of its learning rate on 1,000,000 new jittered ALL colours (data seed
1, so none of the earlier samples), with the same MSE + 1e-3 x round-trip
CIEDE2000 through the exact engine. Stage 2 starts from stage 1's run and
does the same at half the learning rate on data seed 2, for 10 epochs.

Stage 1 reached REAL mean CIEDE2000 0.2016 (p95 0.44, max 7.64, no family
errors; generalisation 0.571) in 15 epochs (11 min on the shared 2-core
CPU). Stage 2, shipped as ``from_xyY/residual_mlp_cartesian_refine``
(``munsell-jax ship runs/from_xyY/residual_mlp_cartesian_refine2
residual_mlp_cartesian_refine``): REAL mean 0.196 (median 0.159, p95 0.43,
max 7.83), no hue-family errors, code accuracy 0.878 (10R/0YR renamings
count as misses), in 10 epochs (13 min). The price, again: random valid
specifications off the lattice, 0.500 -> 0.599.
"""

from pathlib import Path

from munsell_jax.experiments import config_module


def get_config(stage: str = "1"):
    if stage not in ("1", "2"):
        raise ValueError(f"stage must be '1' or '2', not {stage!r}")
    # The fine-tune this continues, with only what changes.
    config = config_module(Path(__file__).with_name("residual_mlp_cartesian_finetune.py"))
    config = config.get_config()
    config.init_from = "results/from_xyY/residual_mlp_cartesian_finetune"
    config.data.size = 1_000_000
    config.data.seed = 1
    config.opt.epochs = 15
    config.opt.learning_rate = 1e-4
    config.opt.early_stopping_patience = 15
    if stage == "2":
        config.init_from = "runs/from_xyY/residual_mlp_cartesian_refine"
        config.data.seed = 2
        config.opt.learning_rate = 5e-5
        config.opt.epochs = 10
        config.opt.early_stopping_patience = 10
    return config
