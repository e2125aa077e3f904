"""Colour autoencoders RGB -> 2-D latent -> RGB, and what their latents encode.

Three variants of one small MLP autoencoder, trained on colours drawn uniformly
from the sRGB cube:

- ``mse``: mean squared error on sRGB;
- ``triplet``: MSE plus a triplet loss on the latent, triplets by hue similarity
  (``hue_triplets``): a positive shares the anchor's hue (jittered), a negative's
  hue is far from it;
- ``ciede2000``: the Munsell-aware one, mean CIEDE2000 (``losses.delta_e_loss``
  on sRGB under D65).

Three numbers from 3 to 2 dimensions cannot all survive; the question is which
colour attributes the latent keeps. ``latent_geometry`` measures whether the
latent's angle about the grey axis is hue (circular correlation, and the mean
resultant length of the angle difference after the best reflection) and whether
its radius is chroma or saturation (Pearson and Spearman correlations).

``train_and_evaluate(config, workdir)`` writes ``latent.gif`` (the layout per
epoch), ``latent_final.png``, ``error_by_hsv.png``, ``metrics.json`` and a
``README.md``.
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
from munsell_jax.projects.representations import compiler_options, create, figure, write_summary

VARIANTS = ("mse", "triplet", "ciede2000")
LATENT_ACTIVATIONS = ("tanh", "none")


class ColourAutoencoder(nnx.Module):
    """MLP autoencoder for single colours: ``[..., 3]`` RGB -> ``[..., latent]`` -> RGB.

    Args:
      latent: bottleneck width.
      width, depth: hidden width and number of hidden layers of the encoder
        and of the decoder (GELU).
      latent_activation: ``"tanh"`` keeps the latent in ``(-1, 1)`` (a bounded
        layout, so a triplet margin cannot be met by inflating distances) or
        ``"none"``.
      normalise: divide the latent by its norm before decoding, so the decoder
        only sees the unit sphere (the intervention experiment's explicit
        normalisation).
      rngs: parameter initialisation.
    """

    def __init__(
        self,
        *,
        latent: int = 2,
        width: int = 64,
        depth: int = 2,
        latent_activation: str = "tanh",
        normalise: bool = False,
        rngs: nnx.Rngs,
    ):
        if latent_activation not in LATENT_ACTIVATIONS:
            raise ValueError(f"latent_activation must be one of {LATENT_ACTIVATIONS}")
        widths = [3] + [width] * depth
        self.encoder = nnx.List(
            [nnx.Linear(a, b, rngs=rngs) for a, b in zip(widths[:-1], widths[1:], strict=True)]
            + [nnx.Linear(width, latent, rngs=rngs)]
        )
        widths = [latent] + [width] * depth
        self.decoder = nnx.List(
            [nnx.Linear(a, b, rngs=rngs) for a, b in zip(widths[:-1], widths[1:], strict=True)]
            + [nnx.Linear(width, 3, rngs=rngs)]
        )
        self.latent_activation = latent_activation
        self.normalise = normalise

    def encode(self, rgb: jax.Array) -> jax.Array:
        """``[..., 3]`` RGB in [0, 1] -> ``[..., latent]`` raw latent (before any
        normalisation)."""
        h = 2.0 * rgb - 1.0
        for layer in self.encoder[:-1]:
            h = nnx.gelu(layer(h))
        z = self.encoder[-1](h)
        return jnp.tanh(z) if self.latent_activation == "tanh" else z

    def to_decoder(self, z: jax.Array) -> jax.Array:
        """The latent the decoder sees: ``z``, or ``z / |z|`` when normalising
        (the norm is floored so the gradient at 0 is finite)."""
        if not self.normalise:
            return z
        return z / jnp.sqrt(jnp.sum(z * z, axis=-1, keepdims=True) + 1e-12)

    def decode(self, z: jax.Array) -> jax.Array:
        """``[..., latent]`` decoder input -> ``[..., 3]`` RGB in (0, 1) (sigmoid)."""
        h = z
        for layer in self.decoder[:-1]:
            h = nnx.gelu(layer(h))
        return jax.nn.sigmoid(self.decoder[-1](h))

    def __call__(self, rgb: jax.Array) -> tuple[jax.Array, jax.Array]:
        """Reconstruction ``[..., 3]`` and raw latent ``[..., latent]``."""
        z = self.encode(rgb)
        return self.decode(self.to_decoder(z)), z


def hue_triplets(
    key: jax.Array,
    rgb_Bx3: jax.Array,
    *,
    hue_jitter: float = 0.02,
    sv_jitter: float = 0.15,
    min_hue_gap: float = 0.15,
) -> tuple[jax.Array, jax.Array, jax.Array]:
    """Positives and negatives for anchors ``rgb_Bx3`` by hue similarity (HSV).

    A positive keeps the anchor's hue to within ``+-hue_jitter`` (hue in turns,
    [0, 1)) but moves saturation and value by up to ``+-sv_jitter`` (clipped to
    [0, 1]); a negative keeps saturation and value and moves the hue by between
    ``min_hue_gap`` and ``1 - min_hue_gap`` turns. So hue, and only hue, decides
    what is "similar".

    Returns:
      ``positive_Bx3``, ``negative_Bx3`` (RGB in [0, 1]) and ``weight_B``, the
      anchor's saturation: a grey's hue is meaningless (0 by convention), so
      its triplet counts for nothing.
    """
    k_h, k_sv, k_neg = jax.random.split(key, 3)
    hsv = colorimetry.RGB_to_HSV(rgb_Bx3)
    B = rgb_Bx3.shape[0]
    dtype = rgb_Bx3.dtype
    dh = jax.random.uniform(k_h, (B,), dtype, minval=-hue_jitter, maxval=hue_jitter)
    dsv = jax.random.uniform(k_sv, (B, 2), dtype, minval=-sv_jitter, maxval=sv_jitter)
    positive = jnp.concatenate(
        [(hsv[:, :1] + dh[:, None]) % 1.0, jnp.clip(hsv[:, 1:] + dsv, 0.0, 1.0)], axis=-1
    )
    shift = jax.random.uniform(k_neg, (B, 1), dtype, minval=min_hue_gap, maxval=1 - min_hue_gap)
    negative = jnp.concatenate([(hsv[:, :1] + shift) % 1.0, hsv[:, 1:]], axis=-1)
    return colorimetry.HSV_to_RGB(positive), colorimetry.HSV_to_RGB(negative), hsv[:, 1]


def triplet_loss(
    z_a: jax.Array, z_p: jax.Array, z_n: jax.Array, weight: jax.Array, *, margin: float
) -> jax.Array:
    """Weighted mean of ``max(0, |z_a - z_p| - |z_a - z_n| + margin)``.

    ``z_*``: ``[B, D]`` latents; ``weight``: ``[B]``; ``margin`` in latent units.
    The distances use a floored square root, so identical latents give a
    finite (zero) gradient rather than NaN.
    """

    def distance(u, v):
        return jnp.sqrt(jnp.sum((u - v) ** 2, axis=-1) + 1e-12)

    hinge = jax.nn.relu(distance(z_a, z_p) - distance(z_a, z_n) + margin)
    return jnp.sum(weight * hinge) / jnp.maximum(jnp.sum(weight), 1e-6)


@jax.jit
def colour_attributes(rgb: jax.Array) -> tuple[jax.Array, jax.Array]:
    """HSV ``[..., 3]`` and CIELab LCh ``[..., 3]`` (D65; hue in degrees) of sRGB
    colours, in one compiled call (eagerly, each primitive compiles on its own)."""
    return colorimetry.RGB_to_HSV(rgb), colorimetry.Lab_to_LCHab(colorimetry.sRGB_to_Lab(rgb))


def _circular_mean(a: np.ndarray) -> float:
    return float(np.angle(np.mean(np.exp(1j * a))))


def circular_correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Fisher-Lee circular correlation of two angle samples (radians).

    ``sum_ij sin(a_i - a_j) sin(b_i - b_j)`` normalised, over all pairs: in
    [-1, 1], +1 when ``a - b`` is constant, -1 when ``a + b`` is (a mirror
    image), about 0 for independent angles. Unlike the Jammalamadaka-SenGupta
    form it needs no mean direction, which is ill-defined for angles spread
    round the whole circle (as hues are). The pair sums expand into products of
    single sums, so it is O(N).
    """
    sa, ca, sb, cb = np.sin(a), np.cos(a), np.sin(b), np.cos(b)
    numerator = np.sum(sa * sb) * np.sum(ca * cb) - np.sum(sa * cb) * np.sum(ca * sb)
    var_a = np.sum(sa * sa) * np.sum(ca * ca) - np.sum(sa * ca) ** 2
    var_b = np.sum(sb * sb) * np.sum(cb * cb) - np.sum(sb * cb) ** 2
    return float(numerator / np.sqrt(var_a * var_b + 1e-300))


def angle_alignment(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """How nearly ``a = +-b + constant`` (radians): the mean resultant length of
    ``a - b`` and of ``a + b``, the larger of the two (in [0, 1]: 1 exact, about
    ``1/sqrt(N)`` for unrelated angles), and the circular mean absolute error
    in degrees after that best offset and reflection."""
    best = max((np.abs(np.mean(np.exp(1j * (a - s * b)))), s) for s in (1, -1))
    length, sign = best
    residual = np.angle(np.exp(1j * (a - sign * b - _circular_mean(a - sign * b))))
    return float(length), float(np.degrees(np.mean(np.abs(residual))))


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.corrcoef(x, y)[0, 1])


def _ranks(x: np.ndarray) -> np.ndarray:
    """Ranks 0..N-1 (ties broken by order: the values here are continuous), so
    the Pearson correlation of ranks is Spearman's."""
    ranks = np.empty(len(x))
    ranks[np.argsort(x, kind="stable")] = np.arange(len(x))
    return ranks


def latent_geometry(
    z_Nx2: np.ndarray, rgb_Nx3: np.ndarray, centre_2: np.ndarray, *, min_chroma: float = 20.0
) -> dict:
    """Does the latent's angle about ``centre_2`` encode hue, its radius chroma?

    Args:
      z_Nx2: latents; centre_2: the origin the angle and radius are taken about
        (the mean latent of the grey ramp, where "no hue" sits).
      rgb_Nx3: the colours, sRGB in [0, 1].
      min_chroma: hue statistics use only colours with CIELab chroma ``C*ab``
        above this (hue is undefined at greys and noisy near them).

    Returns:
      circular correlations and angle alignments (``angle_alignment``) of the
      latent angle with the CIELab hue angle ``h_ab`` (D65) and the HSV hue, and
      Pearson / Spearman correlations of the radius with ``C*ab``, HSV
      saturation and (what else it might hold) ``L*``, over all colours.
    """
    d = z_Nx2 - centre_2
    angle, radius = np.arctan2(d[:, 1], d[:, 0]), np.hypot(d[:, 0], d[:, 1])
    hsv, lch = (np.asarray(a) for a in colour_attributes(rgb_Nx3))
    chromatic = lch[:, 1] > min_chroma
    out = {"chromatic_fraction": float(np.mean(chromatic))}
    for name, hue in (("lab_hue", np.radians(lch[:, 2])), ("hsv_hue", 2 * np.pi * hsv[:, 0])):
        a, b = angle[chromatic], hue[chromatic]
        length, error = angle_alignment(a, b)
        out[f"circular_correlation_{name}"] = circular_correlation(a, b)
        out[f"angle_alignment_{name}"] = length
        out[f"angle_error_deg_{name}"] = error
    for name, value in (
        ("chroma", lch[:, 1]),
        ("saturation", hsv[:, 1]),
        ("lightness", lch[:, 0]),
    ):
        out[f"radius_pearson_{name}"] = _pearson(radius, value)
        out[f"radius_spearman_{name}"] = _pearson(_ranks(radius), _ranks(value))
    return out


def _loss_fn(variant: str, config: ml_collections.ConfigDict):
    """``loss(model, key, rgb_Bx3) -> scalar`` for one variant."""

    def loss(model, key, rgb):
        pred, z = model(rgb)
        if variant == "ciede2000":
            return losses.delta_e_loss(pred, rgb, space="sRGB")
        mse = jnp.mean((pred - rgb) ** 2)
        if variant == "mse":
            return mse
        t = config.triplet
        positive, negative, weight = hue_triplets(
            key, rgb, hue_jitter=t.hue_jitter, sv_jitter=t.sv_jitter, min_hue_gap=t.min_hue_gap
        )
        z_p, z_n = model.encode(positive), model.encode(negative)
        return mse + t.weight * triplet_loss(z, z_p, z_n, weight, margin=t.margin)

    return loss


# Module-level with the graph definition static: every variant (same
# architecture, so equal graph definitions) reuses one compiled function.
@functools.partial(jax.jit, static_argnums=0)
def _encode(graphdef, params, rgb):
    return nnx.merge(graphdef, params).encode(rgb)


@functools.partial(jax.jit, static_argnums=0)
def _evaluate(graphdef, params, rgb, grey):
    """Reconstructions, latents, CIEDE2000 per colour, and the grey ramp's mean latent."""
    model = nnx.merge(graphdef, params)
    pred, z = model(rgb)
    centre = jnp.mean(model.encode(grey), axis=0)
    return pred, z, losses.delta_e(pred, rgb, space="sRGB"), centre


def train_variant(
    key: jax.Array, variant: str, config: ml_collections.ConfigDict, train_Nx3, frame_Mx3
) -> tuple[ColourAutoencoder, np.ndarray, list[float]]:
    """Train one variant; returns ``(graphdef, params)``, the frame colours' latents after
    every epoch ``[epochs + 1, M, 2]`` (index 0: at initialisation) and the
    mean training loss per epoch."""
    k_init, k_train = jax.random.split(key)
    m = config.model
    graphdef, params = create(
        lambda k: ColourAutoencoder(
            latent=m.latent, width=m.width, depth=m.depth, rngs=nnx.Rngs(params=k)
        ),
        k_init,
        config,
    )
    tx = optax.adam(config.opt.learning_rate)
    opt_state = tx.init(params)
    loss = _loss_fn(variant, config)
    batch, n = config.opt.batch_size, train_Nx3.shape[0]
    steps = n // batch

    def step(carry, inputs):
        params, opt_state = carry
        key, rgb = inputs
        value, grads = jax.value_and_grad(lambda p: loss(nnx.merge(graphdef, p), key, rgb))(params)
        updates, opt_state = tx.update(grads, opt_state, params)
        return (optax.apply_updates(params, updates), opt_state), value

    @functools.partial(jax.jit, compiler_options=compiler_options(config))
    def epoch(params, opt_state, key):
        k_perm, k_steps = jax.random.split(key)
        order = jax.random.permutation(k_perm, n)[: steps * batch].reshape(steps, batch)
        keys = jax.random.split(k_steps, steps)
        (params, opt_state), values = jax.lax.scan(
            step, (params, opt_state), (keys, train_Nx3[order])
        )
        return params, opt_state, jnp.mean(values)

    frames, history = [np.asarray(_encode(graphdef, params, frame_Mx3))], []
    for key_epoch in jax.random.split(k_train, config.opt.epochs):
        params, opt_state, value = epoch(params, opt_state, key_epoch)
        if not np.isfinite(float(value)):
            raise FloatingPointError(f"{variant}: loss is {float(value)}")
        history.append(float(value))
        frames.append(np.asarray(_encode(graphdef, params, frame_Mx3)))
    return (graphdef, params), np.stack(frames), history


def _hue_colours(rgb: np.ndarray) -> np.ndarray:
    """Each colour's fully saturated, full-value hue (what the scatter shows)."""
    hsv = np.array(colour_attributes(rgb)[0])
    hsv[:, 1:] = 1.0
    return np.asarray(jax.jit(colorimetry.HSV_to_RGB)(hsv))


def _save_animation(path: Path, frames: dict, rgb: np.ndarray, histories: dict, *, fps: int):
    from matplotlib.animation import PillowWriter

    hsv = np.asarray(colour_attributes(rgb)[0])
    colours, sizes = _hue_colours(rgb), 2 + 10 * hsv[:, 1]
    fig = figure(figsize=(3.0 * len(frames), 3.2))
    axes = fig.subplots(1, len(frames), squeeze=False)[0]
    scatters = {}
    for ax, (variant, f) in zip(axes, frames.items(), strict=True):
        scatters[variant] = ax.scatter(*f[0].T, c=colours, s=sizes, linewidths=0)
        lim = 1.05 * max(1.0, float(np.abs(f).max()))
        ax.set(xlim=(-lim, lim), ylim=(-lim, lim), aspect="equal", xticks=[], yticks=[])
    writer = PillowWriter(fps=fps)
    with writer.saving(fig, str(path), dpi=60):
        for i in range(len(next(iter(frames.values())))):
            for ax, (variant, f) in zip(axes, frames.items(), strict=True):
                scatters[variant].set_offsets(f[i])
                loss = f", loss {histories[variant][i - 1]:.3g}" if i else " (init)"
                ax.set_title(f"{variant}: epoch {i}{loss}", fontsize=8)
            writer.grab_frame()


def _binned(values: np.ndarray, by: np.ndarray, bins: int, keep: np.ndarray) -> list:
    """Mean of ``values`` per bin of ``by`` in [0, 1]; ``None`` for an empty bin."""
    index = np.minimum((by * bins).astype(int), bins - 1)
    means = [values[keep & (index == b)] for b in range(bins)]
    return [float(np.mean(m)) if m.size else None for m in means]


def train_and_evaluate(config: ml_collections.ConfigDict, workdir: Path) -> dict:
    """Train every variant in ``config.variants``, evaluate on held-out colours and
    write the figures, ``metrics.json`` and ``README.md`` into ``workdir``."""
    start = time.perf_counter()
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    key = jax.random.key(config.seed)
    k_train, k_test, k_models = jax.random.split(key, 3)
    # float32 explicitly: the data must not turn float64 where x64 is enabled.
    train = jax.random.uniform(k_train, (config.data.train_size, 3), jnp.float32)
    test = np.asarray(jax.random.uniform(k_test, (config.data.test_size, 3), jnp.float32))
    frame_rgb = test[: config.eval.frame_points]
    grey_ramp = np.repeat(np.linspace(0.0, 1.0, 17, dtype=np.float32)[:, None], 3, axis=1)
    test_hsv = np.asarray(colour_attributes(test)[0])

    frames, histories, metrics, finals = {}, {}, {"variants": {}}, {}
    keys = jax.random.split(k_models, len(config.variants))
    for variant, k in zip(config.variants, keys, strict=True):
        if variant not in VARIANTS:
            raise ValueError(f"variant must be one of {VARIANTS}, not {variant!r}")
        (graphdef, params), frames[variant], histories[variant] = train_variant(
            k, variant, config, train, jnp.asarray(frame_rgb)
        )
        pred, z, de, centre = (np.asarray(a) for a in _evaluate(graphdef, params, test, grey_ramp))
        se = np.mean((pred - test) ** 2, axis=-1)
        bins = config.eval.bins
        chromatic = test_hsv[:, 1] > 0.2
        everything = np.ones_like(chromatic)
        metrics["variants"][variant] = {
            "test_mse": float(np.mean(se)),
            "test_mean_ciede2000": float(np.mean(de)),
            "test_median_ciede2000": float(np.median(de)),
            "final_train_loss": histories[variant][-1],
            "geometry": latent_geometry(z, test, centre),
            "mse_by_hue": _binned(se, test_hsv[:, 0], bins, chromatic),
            "mse_by_saturation": _binned(se, test_hsv[:, 1], bins, everything),
            "mse_by_value": _binned(se, test_hsv[:, 2], bins, everything),
        }
        finals[variant] = (z, centre)
    metrics["chance_angle_alignment"] = float(1 / np.sqrt(np.sum(test_hsv[:, 1] > 0.2)))

    _save_animation(workdir / "latent.gif", frames, frame_rgb, histories, fps=config.eval.fps)
    _plot_final(workdir / "latent_final.png", finals, test)
    _plot_binned(workdir / "error_by_hsv.png", metrics["variants"], config.eval.bins)
    seconds = time.perf_counter() - start
    write_summary(
        workdir,
        title="Colour autoencoders: RGB -> 2-D latent -> RGB",
        config=config,
        config_path="configs/representations/autoencoder.py",
        metrics=metrics,
        body=_summary_lines(metrics, config),
        seconds=seconds,
    )
    return metrics


def _plot_final(path: Path, finals: dict, rgb: np.ndarray) -> None:
    fig = figure(figsize=(3.2 * len(finals), 3.4))
    axes = fig.subplots(1, len(finals), squeeze=False)[0]
    for ax, (variant, (z, centre)) in zip(axes, finals.items(), strict=True):
        ax.scatter(*z.T, c=rgb, s=3, linewidths=0)
        ax.plot(*centre, "k+", ms=12, mew=2)
        ax.set(title=f"{variant} (colours as themselves)", aspect="equal", xticks=[], yticks=[])
        ax.title.set_fontsize(9)
    fig.savefig(path, dpi=80)


def _plot_binned(path: Path, results: dict, bins: int) -> None:
    fig = figure(figsize=(11, 3.2))
    axes = fig.subplots(1, 3)
    centres = (np.arange(bins) + 0.5) / bins
    panels = (
        ("hue", "HSV hue (S > 0.2)"),
        ("saturation", "HSV saturation"),
        ("value", "HSV value"),
    )
    for ax, (field, label) in zip(axes, panels, strict=True):
        for variant, m in results.items():
            ax.plot(centres, np.array(m[f"mse_by_{field}"], float), "o-", label=variant, ms=3)
        ax.set(xlabel=label, ylabel="reconstruction MSE (sRGB)", yscale="log")
    axes[0].legend(fontsize=8)
    fig.savefig(path, dpi=80)


def _summary_lines(metrics: dict, config: ml_collections.ConfigDict) -> list[str]:
    lines = [
        f"{config.data.train_size:,} training colours uniform in the sRGB cube, "
        f"{config.opt.epochs} epochs of batch {config.opt.batch_size}; "
        f"{config.data.test_size:,} held-out colours. Latent angle and radius are taken "
        "about the mean latent of a 17-step grey ramp; hue statistics over colours with "
        f"C*ab > 20; chance level of the angle alignment about "
        f"{metrics['chance_angle_alignment']:.3f}.",
        "",
        "| variant | test MSE | mean CIEDE2000 | circ. corr. angle-h_ab | alignment h_ab "
        "| angle error (deg) | radius-C*ab Spearman | radius-S Spearman | radius-L* Spearman |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for variant, m in metrics["variants"].items():
        g = m["geometry"]
        lines.append(
            f"| {variant} | {m['test_mse']:.5f} | {m['test_mean_ciede2000']:.2f} "
            f"| {g['circular_correlation_lab_hue']:+.3f} | {g['angle_alignment_lab_hue']:.3f} "
            f"| {g['angle_error_deg_lab_hue']:.1f} | {g['radius_spearman_chroma']:+.3f} "
            f"| {g['radius_spearman_saturation']:+.3f} | {g['radius_spearman_lightness']:+.3f} |"
        )
    lines += ["", *_verdicts(metrics), ""]
    lines += [
        "Files: `latent.gif` (frame colours' latents per epoch, coloured by hue, dot size "
        "by saturation), `latent_final.png`, `error_by_hsv.png` (per-colour MSE binned by "
        "HSV hue, saturation, value).",
    ]
    return lines


def _verdicts(metrics: dict) -> list[str]:
    """The answer in words, from the numbers: alignment above 0.9 is "yes", above
    0.5 "partly"; a radius Spearman above 0.7 is "yes", above 0.4 "partly"."""

    def grade(x: float, high: float, low: float) -> str:
        return "yes" if x > high else "partly" if x > low else "no"

    out = []
    for variant, m in metrics["variants"].items():
        g = m["geometry"]
        out.append(
            f"- {variant}: hue as angle? {grade(g['angle_alignment_lab_hue'], 0.9, 0.5)} "
            f"(alignment {g['angle_alignment_lab_hue']:.3f}, mean angle error "
            f"{g['angle_error_deg_lab_hue']:.0f} deg); chroma as radius? "
            f"{grade(g['radius_spearman_chroma'], 0.7, 0.4)} "
            f"(Spearman {g['radius_spearman_chroma']:+.3f}; with HSV saturation "
            f"{g['radius_spearman_saturation']:+.3f})."
        )
    return out
