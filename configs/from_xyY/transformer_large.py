r"""Transformer (large), xyY -> Munsell: the larger feature-tokenizer Transformer (dim 128, depth
6).

    munsell-jax train configs/from_xyY/transformer_large.py \
        --workdir runs/from_xyY/transformer_large

Data: grid sampler, 500,000 exact pairs (90/10 train/validation).
Full budget as written (for a GPU): not trained yet.
CPU budget (``:cpu``, about two CPU-minutes): 2 epochs, 200,000
samples; its row is in results/zoo (``python scripts/train_zoo.py``).
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("from_xyY", "Transformer (large)")
    return with_budget(config, budget, cpu_epochs=2)
