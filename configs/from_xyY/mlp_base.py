r"""MLP (base), xyY -> Munsell: a plain MLP 3-128-256-128-4 (the published base-only row).

    munsell-jax train configs/from_xyY/mlp_base.py \
        --workdir runs/from_xyY/mlp_base

Data: grid sampler, 500,000 exact pairs (90/10 train/validation).
Reached (results/from_xyY/mlp_base): mean CIEDE2000 3.04 on REAL (616 hue-family errors),
200 epochs, 16 min on the 2-core CPU.

``:ENCODING`` trains the same network on another output layout for 150 epochs
(``munsell_jax.encoding``):

- ``:cartesian`` (the same as ``--config.encoding=cartesian
  --config.opt.epochs=150``; results/from_xyY/mlp_base_cartesian): 0.436, 14
  min, 1.27 us/sample in onnxruntime as a float32 graph. Its hue, the angle of
  two outputs that shrink with the chroma, is float32-rounded by up to 1.1e-5
  of range near grey, so it ships with ``inference_precision`` float64;
- ``:hue_angle``: cos and sin of the ASTM hue angle (a unit vector, whatever
  the chroma) and the chroma apart, so a float32 graph keeps its hue near
  grey (results/from_xyY/mlp_base_hue_angle).
"""

from munsell_jax.train import default_config


def get_config(encoding: str = "regression"):
    config = default_config("from_xyY", "MLP (base)")
    if encoding != "regression":
        config.encoding = encoding
        config.opt.epochs = 150
    return config
