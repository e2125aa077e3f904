r"""Unified MLP, xyY -> Munsell: one MLP 3-128-256-512-256-128-4 for all four outputs.

    munsell-jax train configs/from_xyY/unified_mlp.py \
        --workdir runs/from_xyY/unified_mlp

Data: grid sampler, 500,000 exact pairs (90/10 train/validation).
Full budget as written (for a GPU): not trained yet.
CPU budget (``:cpu``, about two CPU-minutes): 30 epochs, 200,000
samples; its row is in results/zoo (``python scripts/train_zoo.py``).
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("from_xyY", "Unified MLP")
    return with_budget(config, budget, cpu_epochs=30)
