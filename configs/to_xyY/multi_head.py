r"""Multi-Head, Munsell -> xyY: a shared encoder and one head per output (x, y, Y).

    munsell-jax train configs/to_xyY/multi_head.py \
        --workdir runs/to_xyY/multi_head

Data: forward sampler, 200,000 exact pairs (90/10 train/validation).
Full budget as written (for a GPU): not trained yet.
CPU budget (``:cpu``, about two CPU-minutes): 6 epochs, 200,000
samples; its row is in results/zoo (``python scripts/train_zoo.py``).
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("to_xyY", "Multi-Head")
    config.data.name = "forward"
    config.data.size = 200_000
    return with_budget(config, budget, cpu_epochs=6)
