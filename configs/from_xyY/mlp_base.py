"""MLP (base), xyY -> Munsell: a plain MLP 3-128-256-128-4 (the published base-only row).

``:ENCODING`` trains it on another output layout (``munsell_jax.encoding``) for 150 epochs;
``:hue_angle_exact`` fine-tunes the ``:hue_angle`` run and ``:hue_angle_exact2`` continues it.

    munsell-jax train configs/from_xyY/mlp_base.py:VARIANT --workdir runs/from_xyY/RUN
    munsell-jax record runs/from_xyY/RUN RUN
    munsell-jax ship runs/from_xyY/mlp_base_hue_angle_exact mlp_base_hue_angle_exact

VARIANT, RUN: REAL / generalisation mean CIEDE2000 (* REAL not held out), shared 2-core CPU:

    (none)             mlp_base                    3.04 / 2.00     16 min
    :cartesian         mlp_base_cartesian          0.436 / 0.669   14 min
    :hue_angle         mlp_base_hue_angle          0.408 / 0.752    7 min
    :hue_angle_exact   mlp_base_hue_angle_exact    0.276* / 0.526   3 min  shipped
    :hue_angle_exact2  mlp_base_hue_angle_exact2   0.250* / 0.930   8 min  not recorded

Story: docs/experiments.md, "Encoding"; chain: docs/models.md, "Fine-tuning lineage".
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
