r"""MLP + Self-Attention, xyY -> Munsell: an MLP encoder cut into 8 tokens, one self-attention
block, an MLP head.

    munsell-jax train configs/from_xyY/mlp_self_attention.py \
        --workdir runs/from_xyY/mlp_self_attention

Data: grid sampler, 500,000 exact pairs (90/10 train/validation).
Full budget as written (for a GPU): not trained yet.
CPU budget (``:cpu``, about two CPU-minutes): 6 epochs, 200,000
samples; its row is in results/zoo (``python scripts/train_zoo.py``).
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("from_xyY", "MLP + Self-Attention")
    return with_budget(config, budget, cpu_epochs=6)
