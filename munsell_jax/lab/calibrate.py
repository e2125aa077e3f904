"""Calibrate a probabilistic converter's Delta-E bound after training.

The bound head learns the 90% quantile of its answer's round-trip CIEDE2000
from the training data, where a colour rarely sits at a corner of a
renotation cell; the renotation colours all do, and there a smooth network
errs most, so the raw bound covers fewer of them than of random colours, and
ranks them worse. ``fit_calibrator`` fits a small quantile network (the
model's ``Calibrator``) with the network frozen: on fresh colours of the
``forward`` sampler (``CALIBRATION``: a seed no training config and not the
evaluation uses), the pinball loss at 0.9 of the corrected log bound against
the log of each answer's actual round-trip CIEDE2000, from
``calibration_features`` (the head's log bound, the answer's place in its
cell, chroma, value, hue angle and distribution scales); then a split
conformal shift on held-out calibration colours, so that the fitted quantile,
which gradient noise leaves a little off, covers 90% of them. ``munsell-jax ship``
runs it for a probabilistic model: the calibrator's width goes into the
shipped config (``model.calibrator``) with ``calibration``, its parameters
into ``params.npz`` and the ONNX graph.

    munsell-jax ship runs/experiments/probabilistic/fine probabilistic
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import nnx

from munsell_jax.colorimetry import delta_E_CIE2000, xyY_to_Lab
from munsell_jax.encoding import input_layout, xyY_inputs
from munsell_jax.hub import Converter
from munsell_jax.nn.probabilistic import BOUND_QUANTILE, Calibrator, calibration_features, pinball
from munsell_jax.renotation import munsell_to_xyY

__all__ = ["CALIBRATION", "calibrate", "fit_calibrator"]

# The calibration colours and the fit: 200,000 fresh forward colours, of
# which a fifth is held out for the conformal shift; 3,000 Adam steps of 4,096
# from 1e-3 (cosine decay), a calibrator 64 wide.
CALIBRATION = {
    "sampler": "forward",
    "size": 200_000,
    "seed": 11,
    "width": 64,
    "steps": 3_000,
    "batch": 4_096,
    "learning_rate": 1e-3,
    "holdout": 0.2,
}


def _errors(network, config: dict[str, Any], xyY: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The calibration features ``[N, 10]`` of ``network``'s answers to ``xyY``
    and their actual round-trip CIEDE2000 ``[N]`` (exact forward, float64)."""
    converter = Converter(network, config)
    layout = input_layout(config)

    @jax.jit
    def batch(xyY):
        raw = network(xyY_inputs(xyY, inputs=layout))
        return converter(xyY), calibration_features(raw)

    chunks = np.array_split(xyY, max(1, len(xyY) // 4_096))
    parts = [batch(jnp.asarray(chunk, jnp.float32)) for chunk in chunks]
    spec, features = (np.concatenate([np.asarray(p[i]) for p in parts]) for i in range(2))
    round_trip = np.asarray(munsell_to_xyY(spec.astype(np.float64)))
    delta_e = np.asarray(delta_E_CIE2000(xyY_to_Lab(round_trip), xyY_to_Lab(xyY)))
    return features.astype(np.float32), np.where(np.isfinite(delta_e), delta_e, 1e3)


def fit_calibrator(
    network, config: dict[str, Any], calibration: dict | None = None, *, progress: bool = True
) -> Calibrator:
    """A ``Calibrator`` for ``network`` (a probabilistic model without one, in
    evaluation mode) and its ``config``, fitted on the ``calibration`` colours
    (default ``CALIBRATION``; every key of it is read): the corrected log bound
    is the ``BOUND_QUANTILE`` quantile of the log actual round-trip CIEDE2000,
    fitted on all but the ``holdout`` share of them and shifted (its output
    bias) so that it covers ``BOUND_QUANTILE`` of that share exactly. The
    features' mean and spread are folded into its first layer. Needs x64
    (the data are labelled in float64).

    Raises:
      ValueError: the network has a calibrator already.
    """
    from tqdm.auto import tqdm

    from munsell_jax.lab.data import generate

    if getattr(network, "calibrator", None) is not None:
        raise ValueError("the network's bound is calibrated already (model.calibrator)")
    calibration = dict(CALIBRATION if calibration is None else calibration)
    data = generate(
        calibration["sampler"], jax.random.key(calibration["seed"]), calibration["size"]
    )
    features, delta_e = _errors(network, config, np.asarray(data.xyY))
    target = np.log(delta_e + 1e-4).astype(np.float32)
    n_fit = len(target) - int(round(calibration["holdout"] * len(target)))
    mean, spread = features[:n_fit].mean(0), features[:n_fit].std(0) + 1e-6
    normalised = (features - mean) / spread
    steps = int(calibration["steps"])

    calibrator = Calibrator(int(calibration["width"]), rngs=nnx.Rngs(0))
    optimizer = nnx.Optimizer(calibrator, optax.adam(calibration["learning_rate"]), wrt=nnx.Param)

    @nnx.jit
    def step(calibrator, optimizer, x, base, y):
        def loss_fn(calibrator):
            return jnp.mean(pinball(y - (base + calibrator(x))))

        loss, grads = nnx.value_and_grad(loss_fn)(calibrator)
        optimizer.update(calibrator, grads)
        return loss

    rng = np.random.default_rng(calibration["seed"])
    for _ in tqdm(range(steps), desc="calibrating the bound", unit="step", disable=not progress):
        rows = rng.integers(0, n_fit, int(calibration["batch"]))
        step(calibrator, optimizer, normalised[rows], features[rows, 0], target[rows])
    if n_fit < len(target):  # split conformal: the held-out quantile of the residual
        held = slice(n_fit, None)
        bound = features[held, 0] + np.asarray(nnx.jit(calibrator)(normalised[held]))
        shift = np.quantile(target[held] - bound, BOUND_QUANTILE, method="higher")
        calibrator.out.bias[...] = calibrator.out.bias[...] + np.float32(shift)
    # Fold the normalisation in: W' = W / spread, b' = b - (mean / spread) W.
    kernel = calibrator.first.kernel[...]
    calibrator.first.bias[...] = calibrator.first.bias[...] - (mean / spread) @ kernel
    calibrator.first.kernel[...] = kernel / spread[:, None]
    return calibrator


def calibrate(network, config: dict[str, Any], calibration: dict | None = None):
    """``network`` with a fitted calibrator (``fit_calibrator``), and ``config``
    with ``model.calibrator`` (its width) and ``calibration`` (what it was
    fitted on) set: the pair ``munsell-jax ship`` writes."""
    calibration = dict(CALIBRATION if calibration is None else calibration)
    network.calibrator = nnx.data(fit_calibrator(network, config, calibration))
    config = dict(config, model=dict(config["model"], calibrator=int(calibration["width"])))
    config["calibration"] = calibration
    return network, config
