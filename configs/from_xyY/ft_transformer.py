"""FT-Transformer, xyY -> Munsell: a feature-tokenizer Transformer (dim 64, depth 3).

    munsell-jax train configs/from_xyY/ft_transformer.py --workdir runs/from_xyY/ft_transformer
    munsell-jax record runs/from_xyY/ft_transformer ft_transformer
    python scripts/train_zoo.py --direction from_xyY --only ft_transformer

Not trained as written (grid sampler, 500,000 exact pairs, 200 epochs: a GPU job). At ``:cpu``
(3 epochs, 200,000 samples; results/zoo): REAL mean CIEDE2000 6.42, generalisation 6.95; 7 min
on a shared 2-core CPU.
Story: docs/experiments.md, "Every architecture at one small budget".
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("from_xyY", "FT-Transformer")
    return with_budget(config, budget, cpu_epochs=3)
