r"""Multi-ResNet (BatchNorm), xyY -> Munsell: the Multi-ResNet with BatchNorm.

As multi_resnet_layernorm.py with BatchNorm (the published PyTorch models spiked with it).

    munsell-jax train configs/from_xyY/multi_resnet_batchnorm.py \
        --workdir runs/from_xyY/multi_resnet_batchnorm
    munsell-jax record runs/from_xyY/multi_resnet_batchnorm multi_resnet_batchnorm
    python scripts/train_zoo.py --direction from_xyY --only multi_resnet_batchnorm

Not trained as written (grid sampler, 500,000 exact pairs, 200 epochs: a GPU job). At ``:cpu``
(2 epochs, 200,000 samples; results/zoo): REAL mean CIEDE2000 10.8, generalisation 11.8; 2 min
on a shared 2-core CPU.
Story: docs/experiments.md, "Every architecture at one small budget".
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("from_xyY", "Multi-ResNet (BatchNorm)")
    return with_budget(config, budget, cpu_epochs=2)
