r"""The published side experiments, checked: one config, 27 variants against one control.

Each variant changes one thing against ``base`` (the published MLP base, 15 epochs from
scratch); ``finetune_*`` continue runs/experiments/side/base, so train ``base`` first.

    munsell-jax train configs/from_xyY/experiments/side.py:VARIANT \
        --workdir runs/experiments/side/VARIANT
    python scripts/side_experiments.py   # every variant, then the tables and plots

Reached, REAL / generalisation mean CIEDE2000, 1-4 min each on a shared 2-core CPU:
``base`` 4.42 / 4.66, ``encoding_cartesian`` 1.18 / 1.56, ``encoding_hue_angle`` 1.42 / 2.45.
Tables: results/experiments/side/README.md; story: docs/experiments.md, "The published side
experiments, checked".
"""

from munsell_jax.encoding import GAMMAS
from munsell_jax.lab.train import default_config

BASE = "runs/experiments/side/base"  # the fine-tuning variants start here
GAMMA_VARIANTS = tuple(f"gamma{g}_seed{s}" for g in GAMMAS for s in range(3))
VARIANTS = (
    "base",
    "sampling_uniform",
    "sampling_perturbation",
    "encoding_hue_angle",
    "encoding_family_angle",
    "encoding_cartesian",
    "circular_hue",
    "boundary_loss",
    "finetune_all",
    "finetune_real",
    *GAMMA_VARIANTS,
    "resnet_layernorm",
    "resnet_batchnorm",
)


def get_config(variant: str = "base"):
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}, not {variant!r}")
    architecture = "MLP (base)"
    if variant.startswith("resnet_"):
        norm = "LayerNorm" if variant.endswith("layernorm") else "BatchNorm"
        architecture = f"Multi-ResNet ({norm})"
    config = default_config("from_xyY", architecture)
    config.data.size = 500_000
    config.opt.epochs = 15
    config.opt.learning_rate = 1e-3
    config.opt.schedule = "warmup_cosine"
    config.opt.warmup_epochs = 1
    config.opt.plateau_patience = 0
    config.opt.early_stopping_patience = 15
    if variant.startswith("resnet_"):
        config.model.widths = (64, 128, 128, 128, 64)
        config.data.size = 200_000  # and 6 epochs: the CPU budget
        config.opt.epochs = 6
        config.opt.early_stopping_patience = 6
    if variant.startswith("sampling_"):
        config.data.name = variant.removeprefix("sampling_")
    elif variant.startswith("encoding_"):
        config.encoding = variant.removeprefix("encoding_")
    elif variant == "circular_hue":
        config.loss.circular_hue = True
    elif variant == "boundary_loss":
        config.loss.boundary_weight = 3.0
    elif variant.startswith("gamma"):
        gamma, seed = variant.removeprefix("gamma").split("_seed")
        config.inputs = f"gamma{gamma}"
        config.seed = int(seed)
    elif variant.startswith("finetune_"):
        config.init_from = BASE
        config.data.name = "perturbation" if variant == "finetune_all" else "perturbation_real"
        config.opt.epochs = 5
        config.opt.learning_rate = 3e-4
        config.opt.warmup_epochs = 0
        config.opt.early_stopping_patience = 5
    return config
