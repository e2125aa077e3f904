r"""Deep + Wide, xyY -> Munsell: a deep MLP beside a wide shallow one, summed.

    munsell-jax train configs/from_xyY/deep_wide.py \
        --workdir runs/from_xyY/deep_wide

Data: grid sampler, 500,000 exact pairs (90/10 train/validation).
Full budget as written (for a GPU): not trained yet.
CPU budget (``:cpu``, about two CPU-minutes): 30 epochs, 200,000
samples; its row is in results/zoo (``python scripts/train_zoo.py``).
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("from_xyY", "Deep + Wide")
    return with_budget(config, budget, cpu_epochs=30)
