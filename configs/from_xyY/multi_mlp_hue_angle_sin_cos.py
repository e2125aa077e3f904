r"""Multi-MLP (hue angle sin/cos), xyY -> Munsell: cos, sin of the ASTM hue angle, value, chroma.

    munsell-jax train configs/from_xyY/multi_mlp_hue_angle_sin_cos.py \
        --workdir runs/from_xyY/multi_mlp_hue_angle_sin_cos
    munsell-jax record runs/from_xyY/multi_mlp_hue_angle_sin_cos multi_mlp_hue_angle_sin_cos
    python scripts/train_zoo.py --direction from_xyY --only multi_mlp_hue_angle_sin_cos

Not trained as written (grid sampler, 500,000 exact pairs, 200 epochs: a GPU job). At ``:cpu``
(3 epochs, 200,000 samples; results/zoo): REAL mean CIEDE2000 4.27, generalisation 5.3; 5 min on
a shared 2-core CPU.
Story: docs/experiments.md, "Every architecture at one small budget".
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("from_xyY", "Multi-MLP (hue angle sin/cos)")
    return with_budget(config, budget, cpu_epochs=3)
