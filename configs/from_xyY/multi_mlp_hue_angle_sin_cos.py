r"""Multi-MLP (hue angle sin/cos), xyY -> Munsell: a Multi-MLP predicting cos and sin of the full
ASTM hue angle, value and chroma.

    munsell-jax train configs/from_xyY/multi_mlp_hue_angle_sin_cos.py \
        --workdir runs/from_xyY/multi_mlp_hue_angle_sin_cos

Data: grid sampler, 500,000 exact pairs (90/10 train/validation).
Full budget as written (for a GPU): not trained yet.
CPU budget (``:cpu``, about two CPU-minutes): 3 epochs, 200,000
samples; its row is in results/zoo (``python scripts/train_zoo.py``).
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("from_xyY", "Multi-MLP (hue angle sin/cos)")
    return with_budget(config, budget, cpu_epochs=3)
