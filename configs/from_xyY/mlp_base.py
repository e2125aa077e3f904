r"""MLP (base), xyY -> Munsell: a plain MLP 3-128-256-128-4 (the published base-only row).

    munsell-jax train configs/from_xyY/mlp_base.py \
        --workdir runs/from_xyY/mlp_base

Data: grid sampler, 500,000 exact pairs (90/10 train/validation).
Reached (results/from_xyY/mlp_base): mean CIEDE2000 3.04 on REAL (616 hue-family errors),
200 epochs, 16 min on the 2-core CPU. With --config.encoding=cartesian
--config.opt.epochs=150 (results/from_xyY/mlp_base_cartesian): 0.436, 14 min, 1.27 us/sample
in onnxruntime.
"""

from munsell_jax.train import default_config


def get_config():
    config = default_config("from_xyY", "MLP (base)")
    return config
