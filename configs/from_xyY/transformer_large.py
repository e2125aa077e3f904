r"""Transformer (large), xyY -> Munsell: a feature-tokenizer Transformer (dim 128, depth 6).

    munsell-jax train configs/from_xyY/transformer_large.py \
        --workdir runs/from_xyY/transformer_large
    munsell-jax record runs/from_xyY/transformer_large transformer_large
    python scripts/train_zoo.py --direction from_xyY --only transformer_large

Not trained as written (grid sampler, 500,000 exact pairs, 200 epochs: a GPU job). At ``:cpu``
(2 epochs, 200,000 samples; results/zoo): REAL mean CIEDE2000 9.92, generalisation 10.8; 12 min
on a shared 2-core CPU.
Story: docs/experiments.md, "Every architecture at one small budget".
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("from_xyY", "Transformer (large)")
    return with_budget(config, budget, cpu_epochs=2)
