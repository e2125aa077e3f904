r"""The published side experiments, checked: one config, many variants.

    munsell-jax train configs/from_xyY/experiments/side.py:VARIANT \
        --workdir runs/experiments/side/VARIANT
    python scripts/side_experiments.py   # every variant, then the tables and plots

Every variant trains the published MLP base (3-128-256-128-4, 68K parameters)
for 15 epochs (cosine from 1e-3) on 500,000 samples from scratch, seed 0,
and changes one thing against the control ``base`` (regression outputs, raw
xyY inputs, the grid sampler, MSE):

- ``sampling_uniform`` / ``sampling_perturbation``: the data from the uniform
  or the perturbation sampler instead of the grid;
- ``encoding_hue_angle`` / ``encoding_family_angle`` / ``encoding_cartesian``:
  full-angle sin/cos, within-family sin/cos + code logits, chroma x (cos,
  sin) of the ASTM hue angle;
- ``circular_hue``: the circular hue loss; ``boundary_loss``: the weighted
  boundary loss (weight 3);
- ``gamma<G>_seed<S>``: inputs ``[x, y, Y^(1/G)]`` for G in 1.0, 1.5, 2.0,
  2.5, 3.0 and seeds 0-2 (model initialisation and batch order);
- ``finetune_all`` / ``finetune_real``: 5 epochs at 3e-4 from ``base`` on the
  jittered ALL colours or the jittered REAL colours only;
- ``resnet_layernorm`` / ``resnet_batchnorm``: a narrowed Multi-ResNet (branch
  widths 64-128-128-128-64, 469K parameters; the full one is 7.4M) with
  either normalisation, 6 epochs of 200,000 samples at 1e-3.
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
