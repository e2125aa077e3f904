"""Unified MLP, xyY -> Munsell: one MLP 3-128-256-512-256-128-4 for all four outputs.

    munsell-jax train configs/from_xyY/unified_mlp.py --workdir runs/from_xyY/unified_mlp
    munsell-jax record runs/from_xyY/unified_mlp unified_mlp
    python scripts/train_zoo.py --direction from_xyY --only unified_mlp

Not trained as written (grid sampler, 500,000 exact pairs, 200 epochs: a GPU job). At ``:cpu``
(30 epochs, 200,000 samples; results/zoo): REAL mean CIEDE2000 3.51, generalisation 2.77; 4 min
on a shared 2-core CPU.
Story: docs/experiments.md, "Every architecture at one small budget".
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("from_xyY", "Unified MLP")
    return with_budget(config, budget, cpu_epochs=30)
