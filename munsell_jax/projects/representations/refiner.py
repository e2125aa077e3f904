"""Image colour refiner: restore the saturation of desaturated photographs.

``ColourRefiner`` (Flax NNX) has three convolutional branches that each edit
the image in their own colour space, fused by learned softmax weights and
followed by learnable per-channel tone curves:

- RGB: a residual ``rgb + delta``;
- HSV: a per-pixel saturation gain ``S * exp(g)`` and value offset (hue kept);
- Lab: a per-pixel chroma gain on ``a*, b*`` (hue angle kept) and ``L*`` offset;
- ``ToneCurves``: one monotone piecewise-linear curve per RGB channel through
  8 control points.

Every branch's last layer starts at zero and the curves at the identity, so the
untrained refiner returns its input (up to float error in the colour-space
round trips): training starts from "do nothing", the "before" column.

Data: ``skimage.data``'s bundled colour photographs, resized, with random
crops; the input is the crop with its HSV saturation scaled by a random factor
in ``[low, high]``. The loss is ``objectives.UncertaintyWeighting`` over
Charbonnier, HSV-saturation, colour-histogram and FFT terms; evaluation uses an
exponential moving average (EMA) of the parameters on held-out photographs.
"""

from __future__ import annotations

import functools
import time
from pathlib import Path

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np
import optax
from flax import nnx

from munsell_jax import colorimetry, losses
from munsell_jax.lab import objectives
from munsell_jax.projects.representations import compiler_options, create, figure, write_summary

BRANCHES = ("rgb", "hsv", "lab")


class ToneCurves(nnx.Module):
    """Per-channel monotone tone curves ``[0, 1] -> [0, 1]``, piecewise linear.

    Control points sit at ``x_k = k / (points - 1)``; their heights are the
    normalised cumulative sums of ``softplus(logits)`` from 0 to 1, so each
    curve is strictly increasing with fixed ends (``0 -> 0``, ``1 -> 1``), and
    with equal logits (the zero initialisation) it is the identity.

    Args:
      channels: curves, one per input channel.
      points: control points per curve (>= 2).
    """

    def __init__(self, *, channels: int = 3, points: int = 8):
        self.logits = nnx.Param(jnp.zeros((channels, points - 1), jnp.float32))

    def heights(self) -> jax.Array:
        """``[channels, points]`` control-point heights, from 0 up to 1."""
        steps = jax.nn.softplus(self.logits[...])
        cumulative = jnp.cumsum(steps, axis=-1) / jnp.sum(steps, axis=-1, keepdims=True)
        return jnp.concatenate([jnp.zeros_like(cumulative[:, :1]), cumulative], axis=-1)

    def __call__(self, x: jax.Array) -> jax.Array:
        """``[..., channels]`` in [0, 1] -> same shape; values outside [0, 1] are
        clamped to the curves' ends (and get no gradient there)."""
        y = self.heights()
        xp = jnp.linspace(0.0, 1.0, y.shape[-1], dtype=y.dtype)
        return jnp.stack([jnp.interp(x[..., c], xp, y[c]) for c in range(y.shape[0])], axis=-1)


class ConvBranch(nnx.Module):
    """3x3 convolutions (GELU) and a zero-initialised 1x1 head: ``[B, H, W, in]
    -> [B, H, W, out]``, exactly 0 at initialisation."""

    def __init__(self, features_in: int, features_out: int, *, width: int, depth: int, rngs):
        widths = [features_in] + [width] * depth
        self.convs = nnx.List(
            [
                nnx.Conv(a, b, kernel_size=(3, 3), padding="SAME", rngs=rngs)
                for a, b in zip(widths[:-1], widths[1:], strict=True)
            ]
        )
        self.head = nnx.Conv(
            width, features_out, kernel_size=(1, 1), kernel_init=nnx.initializers.zeros, rngs=rngs
        )

    def __call__(self, x: jax.Array) -> jax.Array:
        for conv in self.convs:
            x = nnx.gelu(conv(x))
        return self.head(x)


class ColourRefiner(nnx.Module):
    """Multi-branch colour refiner: sRGB images ``[B, H, W, 3]`` in [0, 1] -> same.

    Args:
      width, depth: channels and 3x3 layers of each branch.
      tone_points: control points of each tone curve.
      rngs: parameter initialisation.
    """

    def __init__(self, *, width: int = 16, depth: int = 2, tone_points: int = 8, rngs: nnx.Rngs):
        self.rgb = ConvBranch(3, 3, width=width, depth=depth, rngs=rngs)
        self.hsv = ConvBranch(4, 2, width=width, depth=depth, rngs=rngs)
        self.lab = ConvBranch(3, 2, width=width, depth=depth, rngs=rngs)
        self.fusion_logits = nnx.Param(jnp.zeros((len(BRANCHES),), jnp.float32))
        self.tone = ToneCurves(channels=3, points=tone_points)

    def fusion_weights(self) -> jax.Array:
        """``[3]`` softmax weights of the RGB, HSV and Lab branches (sum 1)."""
        return jax.nn.softmax(self.fusion_logits[...])

    def branches(self, rgb: jax.Array) -> jax.Array:
        """``[3, B, H, W, 3]``: each branch's refined sRGB, clipped to [0, 1]."""
        out_rgb = rgb + self.rgb(2.0 * rgb - 1.0)

        hsv = colorimetry.RGB_to_HSV(rgb)
        H, S, V = hsv[..., 0], hsv[..., 1], hsv[..., 2]
        angle = 2 * jnp.pi * H
        # Hue as a point on the circle, so red at H = 0 and H = 1 look the same.
        g_hsv = self.hsv(jnp.stack([jnp.cos(angle), jnp.sin(angle), S, V], axis=-1))
        S_new = jnp.clip(S * jnp.exp(g_hsv[..., 0]), 0.0, 1.0)
        V_new = jnp.clip(V + g_hsv[..., 1], 0.0, 1.0)
        out_hsv = colorimetry.HSV_to_RGB(jnp.stack([H, S_new, V_new], axis=-1))

        lab = colorimetry.sRGB_to_Lab(rgb)
        g_lab = self.lab(lab / 100.0)
        gain = jnp.exp(g_lab[..., :1])
        lab_new = jnp.concatenate([lab[..., :1] + 100.0 * g_lab[..., 1:], gain * lab[..., 1:]], -1)
        out_lab = colorimetry.Lab_to_sRGB(lab_new)
        return jnp.clip(jnp.stack([out_rgb, out_hsv, out_lab]), 0.0, 1.0)

    def __call__(self, rgb: jax.Array) -> jax.Array:
        w = self.fusion_weights()
        fused = jnp.tensordot(w, self.branches(rgb), axes=1)
        return self.tone(fused)


class Trainable(nnx.Module):
    """The refiner and the learned loss weighting, optimised together."""

    def __init__(self, refiner: ColourRefiner, weighting: objectives.UncertaintyWeighting):
        self.refiner = refiner
        self.weighting = weighting


LOSS_NAMES = ("charbonnier", "saturation", "histogram", "fft")


def loss_terms(pred: jax.Array, target: jax.Array) -> jax.Array:
    """``[4]``: Charbonnier, HSV-saturation L1, colour-histogram EMD and FFT losses
    between sRGB images ``[B, H, W, 3]`` (order of ``LOSS_NAMES``)."""
    return jnp.stack(
        [
            losses.charbonnier_loss(pred, target),
            losses.hsv_loss(pred, target, hue_weight=0.0, value_weight=0.0),
            losses.colour_histogram_loss(pred, target),
            losses.frequency_loss(pred, target),
        ]
    )


def desaturate(rgb: jax.Array, factor: jax.Array) -> jax.Array:
    """Scale the HSV saturation of sRGB images ``[..., H, W, 3]`` by ``factor``
    (broadcast against ``[..., 1, 1]``; in [0, 1]): hue and value are kept."""
    hsv = colorimetry.RGB_to_HSV(rgb)
    hsv = hsv.at[..., 1].multiply(factor[..., None, None])
    return colorimetry.HSV_to_RGB(hsv)


def load_image(name: str, *, max_side: int) -> np.ndarray:
    """``skimage.data.<name>()`` as float32 sRGB ``[H, W, 3]`` in [0, 1], resized
    (anti-aliased) so its longer side is ``max_side``. Transparency (``logo``)
    is composited over white; stereo pairs give their left image."""
    import skimage.data
    import skimage.transform

    image = getattr(skimage.data, name)()
    if isinstance(image, tuple):
        image = image[0]
    image = np.asarray(image, np.float32) / 255.0
    if image.shape[-1] == 4:
        alpha = image[..., 3:]
        image = image[..., :3] * alpha + (1.0 - alpha)
    scale = max_side / max(image.shape[:2])
    shape = (round(image.shape[0] * scale), round(image.shape[1] * scale))
    return skimage.transform.resize(image, shape, anti_aliasing=True).astype(np.float32)


def random_crops(rng: np.random.Generator, images: list[np.ndarray], n: int, size: int):
    """``[n, size, size, 3]`` crops, each from a random image at a random place."""
    out = np.empty((n, size, size, 3), np.float32)
    for i in range(n):
        image = images[rng.integers(len(images))]
        y = rng.integers(image.shape[0] - size + 1)
        x = rng.integers(image.shape[1] - size + 1)
        out[i] = image[y : y + size, x : x + size]
    return out


def psnr(pred: np.ndarray, target: np.ndarray) -> float:
    """Peak signal-to-noise ratio in dB for images in [0, 1]."""
    return float(10 * np.log10(1.0 / max(np.mean((pred - target) ** 2), 1e-12)))


def _saturation(rgb: np.ndarray) -> np.ndarray:
    """HSV saturation of sRGB ``[..., 3]`` in [0, 1], in numpy (the same formula
    as ``colorimetry.RGB_to_HSV``: ``(max - min) / max``, 0 at black)."""
    high, low = rgb.max(axis=-1), rgb.min(axis=-1)
    return np.where(high > 0, (high - low) / np.where(high > 0, high, 1.0), 0.0)


def saturation_error(pred: np.ndarray, target: np.ndarray) -> float:
    """Mean absolute HSV-saturation difference, in [0, 1]."""
    return float(np.mean(np.abs(_saturation(pred) - _saturation(target))))


CASE_LABELS = ("target", "before", "constant_gain", "after_raw", "after_ema")


def _evaluate_case(graphdef, params, ema, image_HxWx3, factor, gain: float):
    """One held-out case in one compiled call: the image, its desaturated copy,
    the constant-gain reference and the refiner's outputs (raw and EMA
    parameters), each ``[H, W, 3]`` in [0, 1] (order of ``CASE_LABELS``)."""
    degraded = desaturate(image_HxWx3[None], factor[None])
    constant = jnp.clip(desaturate(degraded, jnp.full((1,), gain, degraded.dtype)), 0.0, 1.0)
    outputs = [nnx.merge(graphdef, p).refiner(degraded) for p in (params, ema)]
    return image_HxWx3, degraded[0], constant[0], outputs[0][0], outputs[1][0]


def train_and_evaluate(config: ml_collections.ConfigDict, workdir: Path) -> dict:
    """Train the refiner, evaluate before/after on the held-out photographs, write
    ``before_after.png``, ``tone_curves.png``, ``training.png``, ``metrics.json``
    and ``README.md`` into ``workdir``; returns the metrics."""
    start = time.perf_counter()
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    d, o = config.data, config.opt
    train_images = [load_image(n, max_side=d.max_side) for n in d.train_images]
    test_images = [load_image(n, max_side=d.eval_max_side) for n in d.test_images]
    rng = np.random.default_rng(config.seed)
    key = jax.random.key(config.seed)
    k_init, k_train = jax.random.split(key)

    m = config.model
    graphdef, params = create(
        lambda k: Trainable(
            ColourRefiner(
                width=m.width, depth=m.depth, tone_points=m.tone_points, rngs=nnx.Rngs(params=k)
            ),
            objectives.UncertaintyWeighting(len(LOSS_NAMES)),
        ),
        k_init,
        config,
    )
    tx = optax.chain(optax.clip_by_global_norm(o.clip_norm), optax.adam(o.learning_rate))
    opt_state = tx.init(params)
    ema = jax.tree.map(jnp.copy, params)

    @functools.partial(jax.jit, compiler_options=compiler_options(config))
    def step(params, opt_state, ema, key, target):
        factor = jax.random.uniform(
            key, target.shape[:1], target.dtype, minval=d.factor_low, maxval=d.factor_high
        )
        degraded = desaturate(target, factor)

        def loss_fn(params):
            t = nnx.merge(graphdef, params)
            terms = loss_terms(t.refiner(degraded), target)
            return t.weighting(terms), terms

        (value, terms), grads = jax.value_and_grad(loss_fn, has_aux=True)(params)
        updates, opt_state = tx.update(grads, opt_state, params)
        params = optax.apply_updates(params, updates)
        ema = jax.tree.map(lambda e, p: o.ema_decay * e + (1 - o.ema_decay) * p, ema, params)
        return params, opt_state, ema, value, terms

    history = {"loss": [], **{n: [] for n in LOSS_NAMES}}
    for i, k in enumerate(jax.random.split(k_train, o.steps)):
        batch = jnp.asarray(random_crops(rng, train_images, o.batch_size, d.crop))
        params, opt_state, ema, value, terms = step(params, opt_state, ema, k, batch)
        if i % o.log_every == 0 or i == o.steps - 1:
            if not np.isfinite(float(value)):
                raise FloatingPointError(f"refiner: loss is {float(value)} at step {i}")
            history["loss"].append(float(value))
            for n, t in zip(LOSS_NAMES, np.asarray(terms), strict=True):
                history[n].append(float(t))

    models = {"raw": nnx.merge(graphdef, params).refiner, "ema": nnx.merge(graphdef, ema).refiner}
    trained = nnx.merge(graphdef, params)
    # A reference a human might try: undo the mean training factor globally.
    gain = 2.0 / (d.factor_low + d.factor_high)
    evaluate_case = jax.jit(
        _evaluate_case, static_argnums=(0, 5), compiler_options=compiler_options(config)
    )
    cases, pictures = [], []
    for name, image in zip(d.test_images, test_images, strict=True):
        for factor in d.eval_factors:
            images = evaluate_case(graphdef, params, ema, image, np.float32(factor), gain)
            images = dict(zip(CASE_LABELS, (np.asarray(x) for x in images), strict=True))
            row = {"image": name, "factor": factor}
            for label in CASE_LABELS[1:]:
                row[f"psnr_{label}"] = psnr(images[label], image)
                row[f"saturation_error_{label}"] = saturation_error(images[label], image)
            cases.append(row)
            if factor == d.picture_factor:
                pictures.append((name, image, images["before"], images["after_ema"]))

    labels = ("before", "constant_gain", "after_raw", "after_ema")
    summary = {
        f"{metric}_{label}": float(np.mean([c[f"{metric}_{label}"] for c in cases]))
        for metric in ("psnr", "saturation_error")
        for label in labels
    }
    metrics = {
        "held_out": summary,
        "cases": cases,
        "constant_gain": 2.0 / (d.factor_low + d.factor_high),
        "fusion_weights": dict(
            zip(BRANCHES, np.asarray(models["ema"].fusion_weights()).tolist(), strict=True)
        ),
        "loss_log_variances": dict(
            zip(LOSS_NAMES, np.asarray(trained.weighting.log_var[...]).tolist(), strict=True)
        ),
        "tone_curve_heights": np.asarray(models["ema"].tone.heights()).tolist(),
        "parameters": int(
            sum(x.size for x in jax.tree.leaves(nnx.state(models["ema"], nnx.Param)))
        ),
        "final_loss_terms": {n: history[n][-1] for n in LOSS_NAMES},
        "history": history,
    }
    _plot_pictures(workdir / "before_after.png", pictures, d.picture_factor)
    _plot_tone_curves(workdir / "tone_curves.png", np.asarray(models["ema"].tone.heights()))
    _plot_history(workdir / "training.png", history, o.log_every)
    seconds = time.perf_counter() - start
    write_summary(
        workdir,
        title="Image colour refiner: restoring saturation",
        config=config,
        config_path="configs/representations/refiner.py",
        metrics=metrics,
        body=_summary_lines(metrics, config),
        seconds=seconds,
    )
    return metrics


def _plot_pictures(path: Path, pictures: list, factor: float) -> None:
    fig = figure(figsize=(7.5, 2.4 * max(len(pictures), 1)))
    axes = fig.subplots(max(len(pictures), 1), 3, squeeze=False)
    for row, (name, image, degraded, refined) in zip(axes, pictures, strict=False):
        for ax, x, title in zip(
            row,
            (image, degraded, refined),
            (f"{name}: original", f"saturation x {factor}", "refined (EMA)"),
            strict=True,
        ):
            ax.imshow(np.clip(x, 0, 1))
            ax.set_title(
                f"{title}\nPSNR {psnr(x, image):.1f} dB" if x is not image else title, fontsize=8
            )
            ax.set_axis_off()
    fig.savefig(path, dpi=80)


def _plot_tone_curves(path: Path, heights: np.ndarray) -> None:
    fig = figure(figsize=(3.2, 3.0))
    ax = fig.subplots()
    x = np.linspace(0, 1, heights.shape[-1])
    for c, colour in enumerate("rgb"):
        ax.plot(x, heights[c], "o-", color=colour, ms=3)
    ax.plot([0, 1], [0, 1], ":", color="0.5")
    ax.set(xlabel="input", ylabel="output", title="learned tone curves (EMA)", aspect="equal")
    fig.savefig(path, dpi=80)


def _plot_history(path: Path, history: dict, every: int) -> None:
    fig = figure(figsize=(6.5, 3.0))
    ax = fig.subplots()
    steps = np.arange(len(history["loss"])) * every
    for name in LOSS_NAMES:
        ax.plot(steps, history[name], label=name)
    ax.set(xlabel="step", ylabel="loss term (batch)", yscale="log")
    ax.legend(fontsize=8)
    fig.savefig(path, dpi=80)


def _summary_lines(metrics: dict, config: ml_collections.ConfigDict) -> list[str]:
    d, o, h = config.data, config.opt, metrics["held_out"]
    lines = [
        f"Training: {o.steps} steps of {o.batch_size} random {d.crop}x{d.crop} crops from "
        f"{', '.join(d.train_images)} (`skimage.data`, longer side {d.max_side} px), HSV "
        f"saturation scaled by U({d.factor_low}, {d.factor_high}); EMA decay {o.ema_decay}; "
        f"{metrics['parameters']:,} parameters. Held out: {', '.join(d.test_images)} (longer "
        f"side {d.eval_max_side} px) at saturation factors {tuple(d.eval_factors)}; means over "
        f"those {len(metrics['cases'])} cases. `constant gain`: every pixel's saturation times "
        f"{metrics['constant_gain']:.2f} (the inverse of the mean training factor).",
        "",
        "| held out | PSNR (dB) | mean saturation error |",
        "| --- | --- | --- |",
    ]
    for label, text in (
        ("before", "before (desaturated input)"),
        ("constant_gain", "constant gain"),
        ("after_raw", "after (raw parameters)"),
        ("after_ema", "after (EMA parameters)"),
    ):
        lines.append(
            f"| {text} | {h[f'psnr_{label}']:.2f} | {h[f'saturation_error_{label}']:.4f} |"
        )
    w = metrics["fusion_weights"]
    lines += [
        "",
        "Per case, PSNR before -> after (EMA): "
        + "; ".join(
            f"{c['image']} x{c['factor']}: {c['psnr_before']:.1f} -> {c['psnr_after_ema']:.1f} "
            f"dB (constant gain {c['psnr_constant_gain']:.1f})"
            for c in metrics["cases"]
        )
        + ".",
        "",
        "Fusion weights (RGB, HSV, Lab): "
        + ", ".join(f"{w[b]:.3f}" for b in BRANCHES)
        + ". Loss log-variances: "
        + ", ".join(f"{k} {v:+.2f}" for k, v in metrics["loss_log_variances"].items())
        + ".",
        "",
        "Files: `before_after.png` (held-out photographs at saturation factor "
        f"{d.picture_factor}), `tone_curves.png`, `training.png` (loss terms).",
    ]
    return lines
