"""Multi-Head, Munsell -> xyY: a shared encoder and one head per output (x, y, Y).

    munsell-jax train configs/to_xyY/multi_head.py --workdir runs/to_xyY/multi_head
    munsell-jax record runs/to_xyY/multi_head multi_head
    python scripts/train_zoo.py --direction to_xyY --only multi_head

Not trained as written (forward sampler, 200,000 exact pairs, 200 epochs: a GPU job). At
``:cpu`` (6 epochs, 200,000 samples; results/zoo): REAL mean CIEDE2000 2.1, generalisation 2.24;
69 s on a shared 2-core CPU.
Story: docs/experiments.md, "Every architecture at one small budget".
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("to_xyY", "Multi-Head")
    config.data.name = "forward"
    config.data.size = 200_000
    return with_budget(config, budget, cpu_epochs=6)
