r"""Multi-MLP (classification code), xyY -> Munsell: 3 regression branches, 10 code logits.

    munsell-jax train configs/from_xyY/multi_mlp_classification_code.py \
        --workdir runs/from_xyY/multi_mlp_classification_code
    munsell-jax record runs/from_xyY/multi_mlp_classification_code multi_mlp_classification_code
    python scripts/train_zoo.py --direction from_xyY --only multi_mlp_classification_code

Not trained as written (grid sampler, 500,000 exact pairs, 200 epochs: a GPU job). At ``:cpu``
(2 epochs, 200,000 samples; results/zoo): REAL mean CIEDE2000 9.63, generalisation 10.7; 3 min
on a shared 2-core CPU.
Story: docs/experiments.md, "Every architecture at one small budget".
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("from_xyY", "Multi-MLP (classification code)")
    return with_budget(config, budget, cpu_epochs=2)
