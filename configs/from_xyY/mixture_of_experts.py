r"""Mixture of Experts, xyY -> Munsell: MLP experts mixed by a softmax gate.

    munsell-jax train configs/from_xyY/mixture_of_experts.py \
        --workdir runs/from_xyY/mixture_of_experts
    munsell-jax record runs/from_xyY/mixture_of_experts mixture_of_experts
    python scripts/train_zoo.py --direction from_xyY --only mixture_of_experts

Not trained as written (grid sampler, 500,000 exact pairs, 200 epochs: a GPU job). At ``:cpu``
(8 epochs, 200,000 samples; results/zoo): REAL mean CIEDE2000 5.89, generalisation 5.97; 4 min
on a shared 2-core CPU.
Story: docs/experiments.md, "Every architecture at one small budget".
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("from_xyY", "Mixture of Experts")
    return with_budget(config, budget, cpu_epochs=8)
