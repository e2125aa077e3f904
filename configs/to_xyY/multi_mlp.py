r"""Multi-MLP, Munsell -> xyY: three independent MLP branches 4-128-256-512-256-128-1.

    munsell-jax train configs/to_xyY/multi_mlp.py \
        --workdir runs/to_xyY/multi_mlp

Data: forward sampler, 200,000 exact pairs (90/10 train/validation).
Full budget as written (for a GPU): not trained yet.
CPU budget (``:cpu``, about two CPU-minutes): 4 epochs, 200,000
samples; its row is in results/zoo (``python scripts/train_zoo.py``).
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("to_xyY", "Multi-MLP")
    config.data.name = "forward"
    config.data.size = 200_000
    return with_budget(config, budget, cpu_epochs=4)
