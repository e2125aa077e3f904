"""A trial: a small quantile network in place of the per-bin calibration of the bound.

    .venv/bin/python scripts/calibration_head_trial.py [runs/experiments/probabilistic/fine]

On 200,000 fresh ``forward`` colours (seed 123, a seed no training config and not
the evaluation uses), fits a two-layer MLP (64 wide, 3,000 Adam steps of 4,096) by
the pinball loss at 0.9 to the log of each answer's actual round-trip CIEDE2000,
from the frozen model's log bound, the answer's distances to the nearest hue step,
even chroma and integer value, 1 / (1 + chroma), value / 10, the hue angle's cosine
and sine and the log scales of its distribution. Prints the bound's coverage and
Spearman correlation on REAL and the held-out set. Not shipped yet: the figures
are for ``results/experiments/probabilistic/NOTES.md``.
"""

from __future__ import annotations

import sys

import jax
import jax.numpy as jnp
import numpy as np
import optax

jax.config.update("jax_enable_x64", True)

from munsell_jax.colorimetry import delta_E_CIE2000, xyY_to_Lab  # noqa: E402
from munsell_jax.encoding import xyY_inputs  # noqa: E402
from munsell_jax.hub import predictor  # noqa: E402
from munsell_jax.lab import data as data_lib  # noqa: E402
from munsell_jax.lab.evaluate import bound_metrics, evaluation_sets  # noqa: E402
from munsell_jax.lab.train import load_run  # noqa: E402
from munsell_jax.nn.probabilistic import BOUND_QUANTILE, head  # noqa: E402
from munsell_jax.renotation import munsell_to_xyY, project_to_renotation  # noqa: E402


def main() -> None:
    run = sys.argv[1] if len(sys.argv) > 1 else "runs/experiments/probabilistic/fine"
    model, config = load_run(run)
    predict = predictor(model, config)
    raw_fn = jax.jit(lambda x: model(xyY_inputs(x, inputs=config.inputs)))

    def features(xyY):
        out = predict(xyY.astype(np.float32))
        h = head(jnp.asarray(np.asarray(raw_fn(jnp.asarray(xyY, jnp.float32)), np.float64)))
        angle, chroma, value = (np.asarray(a) for a in (h.hue_angle, h.chroma, h.value))
        spec = np.asarray(project_to_renotation(out.specification.astype(np.float64)))
        delta_e = np.asarray(delta_E_CIE2000(xyY_to_Lab(munsell_to_xyY(spec)), xyY_to_Lab(xyY)))
        steps = np.mod(angle / (2 * np.pi), 1) * 40
        distances = [np.abs(u - np.round(u)) for u in (steps, chroma / 2, value)]
        columns = [np.log(out.delta_e_bound), *distances, 1 / (1 + chroma), value / 10]
        columns += [np.cos(angle), np.sin(angle)]
        columns += [np.log(np.asarray(h.hue_scale)), np.log(np.asarray(h.chroma_scale))]
        return np.stack(columns, -1).astype(np.float32), delta_e

    x, delta_e = features(data_lib.generate("forward", jax.random.key(123), 200_000).xyY)
    y = np.log(delta_e + 1e-4).astype(np.float32)
    mean, scale = x.mean(0), x.std(0) + 1e-6
    keys = jax.random.split(jax.random.key(0), 3)
    sizes = (x.shape[1], 64, 64, 1)
    params = [
        (jax.random.normal(k, (a, b)) * np.sqrt(2 / a), jnp.zeros(b))
        for k, a, b in zip(keys, sizes[:-1], sizes[1:], strict=True)
    ]

    def bound_log(params, x):
        h = (x - mean) / scale
        for w, b in params[:-1]:
            h = jax.nn.silu(h @ w + b)
        w, b = params[-1]
        return (h @ w + b)[:, 0] + x[:, 0]  # a correction of the head's log bound

    def loss(params, x, y):
        e = y - bound_log(params, x)
        return jnp.mean(jnp.maximum(BOUND_QUANTILE * e, (BOUND_QUANTILE - 1) * e))

    optimiser = optax.adam(1e-3)
    state = optimiser.init(params)

    @jax.jit
    def step(params, state, x, y):
        grads = jax.grad(loss)(params, x, y)
        updates, state = optimiser.update(grads, state)
        return optax.apply_updates(params, updates), state

    rng = np.random.default_rng(0)
    for _ in range(3_000):
        rows = rng.integers(0, len(x), 4_096)
        params, state = step(params, state, x[rows], y[rows])
    for name, colours in evaluation_sets().items():
        x_set, delta_e_set = features(colours.xyY)
        bound = np.exp(np.asarray(bound_log(params, x_set)))
        m = bound_metrics(delta_e_set, bound)
        print(
            f"{name}: coverage {m['bound_coverage']:.3f}, Spearman {m['bound_spearman']:.3f}, "
            f"mean bound {m['bound_mean']:.3f}"
        )


if __name__ == "__main__":
    main()
