"""Calibrate a probabilistic converter's Delta-E bound after training.

The bound head learns the 90% quantile of its answer's round-trip CIEDE2000
from the training data, where a colour rarely sits at a corner of a
renotation cell; the renotation colours all do, and there a smooth network
errs most, so the raw bound covers fewer of them than of random colours.
``calibrate_bound`` fixes the bound per ``cell_bins`` bin of the answer (its
distances to the nearest hue step, even chroma and integer value): on fresh
colours of the ``forward`` sampler (``CALIBRATION``: a seed no training
config and not the evaluation uses), the factor of a bin is the 90% quantile
of actual error / bound among its colours, so that 90% of them fall within
(split conformal calibration, per bin). ``munsell-jax ship`` runs it for a
probabilistic model and writes the factors into the shipped config
(``model.bound_factors``) with ``calibration``.
"""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from munsell_jax.colorimetry import delta_E_CIE2000, xyY_to_Lab
from munsell_jax.encoding import input_layout, xyY_inputs
from munsell_jax.hub import Converter
from munsell_jax.nn.probabilistic import BOUND_QUANTILE, cell_bins, head
from munsell_jax.renotation import munsell_to_xyY

__all__ = ["CALIBRATION", "MIN_ROWS", "calibrate_bound"]

CALIBRATION = {"sampler": "forward", "size": 200_000, "seed": 11}
MIN_ROWS = 300  # a bin with fewer calibration colours takes the overall factor


def calibrate_bound(
    network, config: dict[str, Any], calibration: dict | None = None
) -> list[float]:
    """The factor of each ``cell_bins`` bin for ``network`` (a probabilistic
    model, uncalibrated, in evaluation mode) and its ``config``: the
    ``BOUND_QUANTILE`` quantile of actual round-trip CIEDE2000 / bound over
    the calibration colours in the bin (the overall one for a bin with fewer
    than ``MIN_ROWS``). Needs x64 (the data are labelled in float64)."""
    from munsell_jax.lab.data import generate

    if getattr(network, "bound_factors", None) is not None:
        raise ValueError("the network's bound is calibrated already (model.bound_factors)")
    calibration = CALIBRATION if calibration is None else calibration
    data = generate(
        calibration["sampler"], jax.random.key(calibration["seed"]), calibration["size"]
    )
    edges = tuple(config["model"].get("bound_edges", (0.1, 0.25)))
    converter = Converter(network, config)
    layout = input_layout(config)

    @jax.jit
    def batch(xyY):
        raw = network(xyY_inputs(xyY, inputs=layout))
        return converter(xyY), head(raw).delta_e_bound, cell_bins(raw, edges)

    parts = [batch(jnp.asarray(chunk, jnp.float32)) for chunk in np.array_split(data.xyY, 50)]
    spec, bound, bins = (np.concatenate([np.asarray(p[i]) for p in parts]) for i in range(3))
    round_trip = np.asarray(munsell_to_xyY(spec.astype(np.float64)))
    delta_e = np.asarray(delta_E_CIE2000(xyY_to_Lab(round_trip), xyY_to_Lab(data.xyY)))
    ratio = np.where(np.isfinite(delta_e), delta_e / bound, np.inf)
    overall = float(np.quantile(ratio, BOUND_QUANTILE))
    factors = []
    for i in range((len(edges) + 1) ** 3):
        rows = ratio[bins == i]
        factors.append(
            float(np.quantile(rows, BOUND_QUANTILE)) if len(rows) >= MIN_ROWS else overall
        )
    return factors
