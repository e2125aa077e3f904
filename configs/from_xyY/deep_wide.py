"""Deep + Wide, xyY -> Munsell: a deep MLP beside a wide shallow one, summed.

    munsell-jax train configs/from_xyY/deep_wide.py --workdir runs/from_xyY/deep_wide
    munsell-jax record runs/from_xyY/deep_wide deep_wide
    python scripts/train_zoo.py --direction from_xyY --only deep_wide

Not trained as written (grid sampler, 500,000 exact pairs, 200 epochs: a GPU job). At ``:cpu``
(30 epochs, 200,000 samples; results/zoo): REAL mean CIEDE2000 4.43, generalisation 5.19; 7 min
on a shared 2-core CPU.
Story: docs/experiments.md, "Every architecture at one small budget".
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("from_xyY", "Deep + Wide")
    return with_budget(config, budget, cpu_epochs=30)
