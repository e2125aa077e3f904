r"""Lattice MLP, Munsell -> xyY: more cosine cycles on fresh samples.

    munsell-jax train configs/to_xyY/lattice_mlp_refine.py:1 \
        --workdir runs/to_xyY/lattice_mlp_refine
    munsell-jax record runs/to_xyY/lattice_mlp_refine lattice_mlp_refine
    munsell-jax train configs/to_xyY/lattice_mlp_refine.py:2 \
        --workdir runs/to_xyY/lattice_mlp_refine2
    munsell-jax record runs/to_xyY/lattice_mlp_refine2 lattice_mlp_refine2
    munsell-jax train configs/to_xyY/lattice_mlp_refine.py:3 \
        --workdir runs/to_xyY/lattice_mlp_refine3
    munsell-jax record runs/to_xyY/lattice_mlp_refine3 lattice_mlp_refine3

and so on for ``:4`` and ``:5`` (``lattice_mlp_refine4``, ``lattice_mlp_refine5``).

``:1`` starts from the shipped ``lattice_mlp`` (REAL mean CIEDE2000 0.054)
and trains one more cosine cycle at a third of its learning rate on
1,000,000 new samples (data seed 1, the same forward+perturbation mix), 20
epochs, no warm-up. ``:2`` continues from the shipped ``:1`` on data seed 2
at 1e-4 for 15 epochs; ``:3``, ``:4`` and ``:5`` each continue from the one
before on data seeds 3, 4 and 5 at 1e-4 for 20 epochs.

Reached with ``:1`` (results/to_xyY/lattice_mlp_refine), 20 min on the 2-core
CPU: REAL mean CIEDE2000 0.041 (p95 0.095, max 0.23; x, y MAE 1.55e-4,
1.53e-4, Y exact), generalisation 0.037 (x, y MAE 1.31e-4, 1.25e-4); 4.2
us/sample in onnxruntime. With ``:2`` (results/to_xyY/lattice_mlp_refine2),
22 min: REAL 0.035 (p95 0.083, max 0.21; x, y MAE 1.34e-4, 1.31e-4),
generalisation 0.032 (x, y MAE 1.14e-4, 1.11e-4); 4.2 us/sample. With ``:3``
(results/to_xyY/lattice_mlp_refine3), 18 min: REAL 0.031 (p95 0.072, max
0.18; x, y MAE 1.16e-4, 1.14e-4), generalisation 0.028 (x, y MAE 9.9e-5,
9.6e-5); validation loss 7.13e-5 -> 6.23e-5, flat over the last 4 epochs.
With ``:4``, 17 min: REAL 0.028 (x, y MAE 1.05e-4, 1.04e-4), generalisation
0.026 (8.9e-5, 8.8e-5). With ``:5``, 15 min: REAL 0.026 (p95 0.062, max 0.16;
x, y, Y MAE 9.6e-5, 9.6e-5, 1.2e-8), generalisation 0.024 (8.2e-5, 8.2e-5,
2.7e-8); 4.0 us/sample in onnxruntime.

``:exact`` continues from the shipped ``:5`` on data seed 6 at 1e-4 for 20
epochs, with the lattice jitter centred on the ALL colours' exact
specifications (``forward+perturbation_exact``) rather than their names,
which at value 9 miss the data's xyY by 1.0 chroma on average:

    munsell-jax train configs/to_xyY/lattice_mlp_refine.py:exact \
        --workdir runs/to_xyY/lattice_mlp_exact
    munsell-jax ship runs/to_xyY/lattice_mlp_exact lattice_mlp_exact

Reached (results/to_xyY/lattice_mlp_exact), 15 min: REAL 0.024 (p95 0.057,
max 0.16; x, y MAE 8.7e-5, 8.8e-5), generalisation 0.022 (p95 0.057; x, y
MAE 7.6e-5, 7.5e-5); 4.0 us/sample in onnxruntime. A 9% gain, the size of
the cycles before it: the exact centring is not separable from the extra
training here.
"""

from pathlib import Path

from munsell_jax.lab.experiments import config_module

STAGES = {
    "1": ("runs/to_xyY/lattice_mlp", 1, 3e-4, 20),
    "2": ("runs/to_xyY/lattice_mlp_refine", 2, 1e-4, 15),
    "3": ("runs/to_xyY/lattice_mlp_refine2", 3, 1e-4, 20),
    "4": ("runs/to_xyY/lattice_mlp_refine3", 4, 1e-4, 20),
    "5": ("runs/to_xyY/lattice_mlp_refine4", 5, 1e-4, 20),
    "exact": ("runs/to_xyY/lattice_mlp_refine5", 6, 1e-4, 20),
}


def get_config(arg: str = "1"):
    start, seed, learning_rate, epochs = STAGES[arg]
    # The run this continues, with only what changes.
    config = config_module(Path(__file__).with_name("lattice_mlp.py")).get_config(str(epochs))
    config.init_from = start
    config.data.seed = seed
    config.opt.learning_rate = learning_rate
    config.opt.warmup_epochs = 0
    if arg == "exact":
        config.data.name = "forward+perturbation_exact"
    return config
