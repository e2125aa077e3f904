r"""What seeing a colour's neighbourhood in training does to its figure: the shipped
``mlp_base_hue_angle_exact`` recipe fine-tuned with and without half of REAL.

VARIANT: ``base`` trains ``mlp_base.py:hue_angle`` (grid only, REAL held out); ``all``
fine-tunes it as the shipped model was (``grid+perturbation_exact``: every REAL colour
jittered); ``split`` the same on ``grid+perturbation_exact_split``, which leaves out the
centres of a fixed half of REAL (``munsell_jax.lab.data.real_split``).

    python scripts/real_split_experiment.py   # the three, then the table

Table: results/experiments/real_split/README.md.
"""

from pathlib import Path

from munsell_jax.lab.experiments import config_module

VARIANTS = ("base", "all", "split")
_BASE = "runs/experiments/real_split/base"


def get_config(variant: str = "split"):
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}, not {variant!r}")
    recipe = config_module(Path(__file__).parents[1] / "mlp_base.py")
    if variant == "base":
        return recipe.get_config("hue_angle")
    config = recipe.get_config("hue_angle_exact")
    config.init_from = _BASE
    if variant == "split":
        config.data.name = "grid+perturbation_exact_split"
    return config
