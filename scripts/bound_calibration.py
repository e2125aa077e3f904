"""Which Delta-E bound is calibrated: the bound head, or sampling the distribution?

    .venv/bin/python scripts/bound_calibration.py runs/from_xyY/probabilistic \
        [--samples 64] [--out results/experiments/probabilistic/bounds.md]

For a probabilistic model (a run, a model folder or a shipped name), on the
REAL colours and the generalisation set: the actual round-trip CIEDE2000 of
its answer (through the exact forward, as the evaluation protocol), and two
90% bounds on it:

- ``head``: the bound head (``munsell_jax.nn.probabilistic``, pinball-trained);
- ``sampled``: ``sample_bound``, the 90% quantile of the CIEDE2000 between the
  answer and ``--samples`` draws from the predictive distribution (von Mises
  hue, normal chroma), each through the exact forward;
- ``calibrated head``: the head corrected by the quantile network
  ``munsell_jax.lab.calibrate`` fits on fresh random colours (what
  ``munsell-jax ship`` does; for an uncalibrated model only).

Per bound: coverage (share of colours within it; 0.9 is calibrated), the
Spearman correlation with the actual error, and the mean bound.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx

jax.config.update("jax_enable_x64", True)

from munsell_jax.encoding import xyY_inputs  # noqa: E402
from munsell_jax.hub import model_folder  # noqa: E402
from munsell_jax.lab.evaluate import bound_metrics, evaluation_sets, protocol  # noqa: E402
from munsell_jax.lab.train import load_run  # noqa: E402
from munsell_jax.nn import probabilistic  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from _output import write_markdown  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="a probabilistic model: run, model folder or shipped name")
    parser.add_argument("--samples", type=int, default=64, help="draws per colour")
    parser.add_argument("--out", default="-", help="markdown file ('-': stdout only)")
    args = parser.parse_args()
    model, config = load_run(model_folder(args.path))
    from munsell_jax.hub import predictor

    predict = predictor(model, config)
    raw_fn = jax.jit(lambda x: model(xyY_inputs(x, inputs="polar")))
    sample_fn = jax.jit(lambda raw, key: probabilistic.sample_bound(raw, key, samples=args.samples))
    lines = [
        f"Model `{args.path}`; sampled bounds from {args.samples} draws per colour. Coverage: "
        "the share of colours whose actual round-trip CIEDE2000 is within the bound (0.9 is "
        "calibrated); Spearman: rank correlation of bound and actual error.",
        "",
        "| set | bound | coverage | Spearman | mean bound |",
        "|---|---|---|---|---|",
    ]
    calibrated = None
    if getattr(model, "calibrator", None) is None:
        from munsell_jax.lab.calibrate import calibrate

        calibrated = predictor(*calibrate(nnx.clone(model), config.to_dict()))
    for name, colours in evaluation_sets().items():
        xyY = np.asarray(colours.xyY, np.float32)
        out = predict(xyY)
        metrics, rows = protocol("from_xyY", out.specification, colours, out.delta_e_bound)
        raw = raw_fn(jnp.asarray(xyY))
        sampled = np.concatenate(
            [
                np.asarray(sample_fn(raw[i : i + 512], jax.random.key(i)))
                for i in range(0, len(xyY), 512)
            ]
        )
        bounds = [("head", out.delta_e_bound), ("sampled", sampled)]
        if calibrated is not None:
            bounds.append(("calibrated head", calibrated(xyY).delta_e_bound))
        for label, bound in bounds:
            m = bound_metrics(rows["delta_e"], np.asarray(bound, np.float64))
            lines.append(
                f"| {name} | {label} | {m['bound_coverage']:.3f} | {m['bound_spearman']:.3f} | "
                f"{m['bound_mean']:.3f} |"
            )
    text = write_markdown(
        args.out,
        "Delta-E bounds: the bound head against sampling the distribution",
        f"python scripts/bound_calibration.py {args.path}",
        lines,
    )
    print(text)


if __name__ == "__main__":
    main()
