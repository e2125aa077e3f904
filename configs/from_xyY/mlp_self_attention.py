r"""MLP + Self-Attention, xyY -> Munsell: an MLP encoder cut into 8 tokens, self-attention, a head.

    munsell-jax train configs/from_xyY/mlp_self_attention.py \
        --workdir runs/from_xyY/mlp_self_attention
    munsell-jax record runs/from_xyY/mlp_self_attention mlp_self_attention
    python scripts/train_zoo.py --direction from_xyY --only mlp_self_attention

Not trained as written (grid sampler, 500,000 exact pairs, 200 epochs: a GPU job). At ``:cpu``
(6 epochs, 200,000 samples; results/zoo): REAL mean CIEDE2000 4.92, generalisation 4.72; 5 min
on a shared 2-core CPU.
Story: docs/experiments.md, "Every architecture at one small budget".
"""

from munsell_jax.lab.train import default_config, with_budget


def get_config(budget: str = "full"):
    config = default_config("from_xyY", "MLP + Self-Attention")
    return with_budget(config, budget, cpu_epochs=6)
