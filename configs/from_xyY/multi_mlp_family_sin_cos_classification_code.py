r"""Multi-MLP (family sin/cos + classification code), xyY -> Munsell: a Multi-MLP predicting cos and
sin of the hue within its family, value, chroma and 10 code logits.

    munsell-jax train configs/from_xyY/multi_mlp_family_sin_cos_classification_code.py \
        --workdir runs/from_xyY/multi_mlp_family_sin_cos_classification_code

Data: grid sampler, 500,000 exact pairs (90/10 train/validation).
Delta-E on REAL and wall time: not trained to completion yet (issue 9);
training throughput on CPU is in the README (benchmarks/bench_train.py).
"""

from munsell_jax.train import default_config


def get_config():
    config = default_config("from_xyY", "Multi-MLP (family sin/cos + classification code)")
    return config
