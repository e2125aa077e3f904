r"""Multi-ResNet (LayerNorm), xyY -> Munsell: four six-layer residual branches.

Branches 3-256-512-512-512-256-1 (chroma twice as wide), LayerNorm, SiLU.

    munsell-jax train configs/from_xyY/multi_resnet_layernorm.py \
        --workdir runs/from_xyY/multi_resnet_layernorm
    munsell-jax record runs/from_xyY/multi_resnet_layernorm multi_resnet_layernorm
    python scripts/train_zoo.py --direction from_xyY --only multi_resnet_layernorm

Not trained as written (grid sampler, 500,000 exact pairs, 200 epochs: a GPU job). At ``:cpu``
(2 epochs, 200,000 samples; results/zoo): REAL mean CIEDE2000 8.22, generalisation 9.46; 6 min
on a shared 2-core CPU.
Story: docs/experiments.md, "Every architecture at one small budget".
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("from_xyY", "Multi-ResNet (LayerNorm)")
    return with_budget(config, budget, cpu_epochs=2)
