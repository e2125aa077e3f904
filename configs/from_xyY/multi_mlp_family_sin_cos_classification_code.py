r"""Multi-MLP (family sin/cos + classification code), xyY -> Munsell: a Multi-MLP predicting cos and
sin of the hue within its family, value, chroma and 10 code logits.

    munsell-jax train configs/from_xyY/multi_mlp_family_sin_cos_classification_code.py \
        --workdir runs/from_xyY/multi_mlp_family_sin_cos_classification_code

Data: grid sampler, 500,000 exact pairs (90/10 train/validation).
Full budget as written (for a GPU): not trained yet.
CPU budget (``:cpu``, about two CPU-minutes): 2 epochs, 200,000
samples; its row is in results/zoo (``python scripts/train_zoo.py``).
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("from_xyY", "Multi-MLP (family sin/cos + classification code)")
    return with_budget(config, budget, cpu_epochs=2)
