"""Multi-Head, xyY -> Munsell: a shared encoder 3-128-256-512, one head per output (chroma wider).

    munsell-jax train configs/from_xyY/multi_head.py --workdir runs/from_xyY/multi_head
    munsell-jax record runs/from_xyY/multi_head multi_head
    python scripts/train_zoo.py --direction from_xyY --only multi_head

Not trained as written (grid sampler, 500,000 exact pairs, 200 epochs: a GPU job). At ``:cpu``
(8 epochs, 200,000 samples; results/zoo): REAL mean CIEDE2000 4.69, generalisation 4.62; 8 min
on a shared 2-core CPU.
Story: docs/experiments.md, "Every architecture at one small budget".
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("from_xyY", "Multi-Head")
    return with_budget(config, budget, cpu_epochs=8)
