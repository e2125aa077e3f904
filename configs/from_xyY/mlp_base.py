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

``:hue_angle_exact`` fine-tunes that model (``init_from`` its shipped folder)
for 20 epochs on equal shares of the grid and the ``perturbation_exact``
lattice jitter, with MSE + 1e-3 x round-trip CIEDE2000 through the exact
engine, learning rate 3e-4 on a cosine schedule (as
residual_mlp_cartesian_mix.py does for the residual MLP):

    munsell-jax train configs/from_xyY/mlp_base.py:hue_angle_exact \
        --workdir runs/from_xyY/mlp_base_hue_angle_exact
    munsell-jax ship runs/from_xyY/mlp_base_hue_angle_exact mlp_base_hue_angle_exact

Reached (results/from_xyY/mlp_base_hue_angle_exact), 3 min on the 2-core
CPU: REAL mean CIEDE2000 **0.276** (median 0.224, p95 0.68, max 2.23; was
0.408), no hue-family errors; generalisation 0.526 (was 0.752); the same
1.2 us/sample float32 graph.

``:hue_angle_exact2`` continues that run for 30 epochs at 1e-4 on 2,000,000
fresh samples of the same mix (data seed 1), 8 min: REAL 0.250 (p95 0.60,
max 2.03) but generalisation 0.930 (p95 2.20, max 35.9, value MAE 0.057
against 0.022): a worse trade, not shipped.

    munsell-jax train configs/from_xyY/mlp_base.py:hue_angle_exact2 \
        --workdir runs/from_xyY/mlp_base_hue_angle_exact2
    munsell-jax evaluate runs/from_xyY/mlp_base_hue_angle_exact2
"""

from munsell_jax.lab.train import default_config


def get_config(encoding: str = "regression"):
    config = default_config("from_xyY", "MLP (base)")
    if encoding in ("hue_angle_exact", "hue_angle_exact2"):
        config.encoding = "hue_angle"
        config.init_from = "runs/from_xyY/mlp_base_hue_angle"
        config.data.name = "grid+perturbation_exact"
        config.data.size = 1_000_000
        config.loss.delta_e_weight = 1e-3
        config.opt.epochs = 20
        config.opt.learning_rate = 3e-4
        config.opt.schedule = "warmup_cosine"
        config.opt.warmup_epochs = 0
        config.opt.plateau_patience = 0
        config.opt.early_stopping_patience = 20
        config.opt.ema_decay = 0.999
        if encoding == "hue_angle_exact2":
            config.init_from = "runs/from_xyY/mlp_base_hue_angle_exact"
            config.data.size = 2_000_000
            config.data.seed = 1
            config.opt.epochs = 30
            config.opt.early_stopping_patience = 30
            config.opt.learning_rate = 1e-4
    elif encoding != "regression":
        config.encoding = encoding
        config.opt.epochs = 150
    return config
