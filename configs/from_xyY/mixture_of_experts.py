r"""Mixture of Experts, xyY -> Munsell: MLP experts mixed by a softmax gate.

    munsell-jax train configs/from_xyY/mixture_of_experts.py \
        --workdir runs/from_xyY/mixture_of_experts

Data: grid sampler, 500,000 exact pairs (90/10 train/validation).
Full budget as written (for a GPU): not trained yet.
CPU budget (``:cpu``, about two CPU-minutes): 8 epochs, 200,000
samples; its row is in results/zoo (``python scripts/train_zoo.py``).
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("from_xyY", "Mixture of Experts")
    return with_budget(config, budget, cpu_epochs=8)
