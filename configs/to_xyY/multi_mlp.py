"""Multi-MLP, Munsell -> xyY: three independent MLP branches 4-128-256-512-256-128-1.

    munsell-jax train configs/to_xyY/multi_mlp.py --workdir runs/to_xyY/multi_mlp
    munsell-jax record runs/to_xyY/multi_mlp multi_mlp
    python scripts/train_zoo.py --direction to_xyY --only multi_mlp

Not trained as written (forward sampler, 200,000 exact pairs, 200 epochs: a GPU job). At
``:cpu`` (4 epochs, 200,000 samples; results/zoo): REAL mean CIEDE2000 3.41, generalisation
3.36; 2 min on a shared 2-core CPU.
Story: docs/experiments.md, "Every architecture at one small budget".
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("to_xyY", "Multi-MLP")
    config.data.name = "forward"
    config.data.size = 200_000
    return with_budget(config, budget, cpu_epochs=4)
