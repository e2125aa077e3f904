r"""Multi-ResNet (LayerNorm), xyY -> Munsell: four six-layer residual branches
3-256-512-512-512-256-1 (chroma twice as wide), LayerNorm, SiLU.

    munsell-jax train configs/from_xyY/multi_resnet_layernorm.py \
        --workdir runs/from_xyY/multi_resnet_layernorm

Data: grid sampler, 500,000 exact pairs (90/10 train/validation).
Full budget as written (for a GPU): not trained yet.
CPU budget (``:cpu``, about two CPU-minutes): 2 epochs, 200,000
samples; its row is in results/zoo (``python scripts/train_zoo.py``).
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("from_xyY", "Multi-ResNet (LayerNorm)")
    return with_budget(config, budget, cpu_epochs=2)
