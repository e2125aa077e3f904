"""Multi-MLP, xyY -> Munsell: four MLP branches 3-128-256-512-256-128-1, chroma twice as wide.

    munsell-jax train configs/from_xyY/multi_mlp.py --workdir runs/from_xyY/multi_mlp
    munsell-jax record runs/from_xyY/multi_mlp multi_mlp
    python scripts/train_zoo.py --direction from_xyY --only multi_mlp

Not trained as written (grid sampler, 500,000 exact pairs, 200 epochs: a GPU job). At ``:cpu``
(4 epochs, 200,000 samples; results/zoo): REAL mean CIEDE2000 7.61, generalisation 8.07; 6 min
on a shared 2-core CPU.
Story: docs/experiments.md, "Every architecture at one small budget".
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("from_xyY", "Multi-MLP")
    return with_budget(config, budget, cpu_epochs=4)
