"""Latent regularisers and inference-time interventions on a 4-D colour autoencoder.

A ``ColourAutoencoder`` with a 4-D bottleneck is trained on an HSV colour cube,
drawn by a weighted sampler that favours vibrant colours (weight ``floor + S *
V``). Its latent may be normalised to the unit sphere before decoding, and four
regularisers may act on it, either on the raw latent (``"before"`` the
normalisation) or on the unit latent (``"after"``):

- ``unitarity_penalty``: raw latents near the unit sphere (identically 0 after);
- ``anchor_penalty``: pure red pinned to a fixed unit direction;
- ``angular_separation_penalty``: the vibrant hue prototypes (12 hues at
  ``S = V = 1``) at least ``min_angle`` apart;
- ``planarity_penalty``: the vibrant prototypes in the plane of the first two
  latent axes (the anchor's plane), so that hue can be an angle.

Then two interventions on the red direction, applied to the decoder's input at
inference: ``suppress`` (shrink the component along red by a bounded,
angle-falloff factor) and ``repel`` (rotate latents away from red by an
angle-falloff amount, norm kept). ``train_and_evaluate`` reports reconstruction
MSE (max and median, all colours, reds and non-reds) with and without each,
and plots loss against hue and the latent sphere.
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

from munsell_jax import colorimetry
from munsell_jax.projects.representations import compiler_options, create, figure, write_summary
from munsell_jax.projects.representations.autoencoder import ColourAutoencoder

# name: (normalise before decoding, where the regularisers act: None, "before", "after")
VARIANTS = {
    "plain": (False, None),
    "normalised": (True, None),
    "regs_before": (True, "before"),
    "regs_after": (True, "after"),
}
INTERVENTIONS = ("none", "suppress", "repel")


def _norm(z: jax.Array) -> jax.Array:
    # Floored so the gradient at z = 0 is finite.
    return jnp.sqrt(jnp.sum(z * z, axis=-1) + 1e-12)


def _unit(z: jax.Array) -> jax.Array:
    return z / _norm(z)[..., None]


def unitarity_penalty(z: jax.Array) -> jax.Array:
    """Mean ``(|z| - 1)^2`` over latents ``[..., D]``: 0 on the unit sphere."""
    return jnp.mean((_norm(z) - 1.0) ** 2)


def anchor_penalty(z_red: jax.Array, direction: jax.Array) -> jax.Array:
    """``|z_red - direction|^2``: red's latent ``[D]`` pinned to the unit vector
    ``direction`` ``[D]``. On a raw latent it fixes the norm as well as the
    direction; on a unit latent it is ``2 - 2 cos`` of the angle between them."""
    return jnp.sum((z_red - direction) ** 2)


def angular_separation_penalty(z_KxD: jax.Array, *, min_angle_deg: float) -> jax.Array:
    """Mean over pairs ``i != j`` of ``max(0, cos_ij - cos(min_angle))^2``.

    ``z_KxD``: latents of ``K`` prototypes (any norm: only angles count). 0 when
    every pair is at least ``min_angle_deg`` apart.
    """
    u = _unit(z_KxD)
    cos = u @ u.T
    K = z_KxD.shape[0]
    excess = jax.nn.relu(cos - jnp.cos(jnp.radians(min_angle_deg))) ** 2
    return jnp.sum(jnp.where(jnp.eye(K, dtype=bool), 0.0, excess)) / (K * (K - 1))


def planarity_penalty(z_KxD: jax.Array) -> jax.Array:
    """Mean squared distance of latents ``[K, D]`` from the plane of axes 0 and 1
    (``mean(sum_{d >= 2} z_d^2)``). Absolute, not relative: on a raw latent a
    smaller norm lowers it too (which the ``"before"`` placement can exploit)."""
    return jnp.mean(jnp.sum(z_KxD[:, 2:] ** 2, axis=-1))


def _falloff(z: jax.Array, direction: jax.Array, width_deg: float):
    """Unit ``r``, the component ``a = z . r``, the perpendicular part, its norm
    and the angle ``theta`` from ``r`` (radians, via arctan2: exact near 0 and
    pi, where arccos is not), and the Gaussian falloff ``exp(-theta^2 / 2w^2)``."""
    r = _unit(direction)
    a = jnp.sum(z * r, axis=-1)
    perp = z - a[..., None] * r
    p = jnp.sqrt(jnp.sum(perp * perp, axis=-1))
    theta = jnp.arctan2(p, a)
    return r, a, perp, p, theta, jnp.exp(-0.5 * (theta / jnp.radians(width_deg)) ** 2)


def suppress(
    z: jax.Array, direction: jax.Array, *, strength: float = 0.8, width_deg: float = 30.0
) -> jax.Array:
    """Shrink the component of latents ``z`` ``[..., D]`` along ``direction`` ``[D]``.

    ``z' = z - s (z . r) r`` with ``r`` the unit direction and ``s = strength *
    exp(-theta^2 / (2 width^2))``, ``theta`` the angle between ``z`` and ``r``.
    Bounded: ``0 <= s <= strength``, so with ``strength`` in [0, 1] the
    component along ``r`` keeps its sign and shrinks by at most that factor,
    the perpendicular part is untouched and ``|z'| <= |z|``; latents far from
    red (``theta >> width``) are all but unchanged.
    """
    if not 0.0 <= strength <= 1.0:
        raise ValueError(f"strength must be in [0, 1], got {strength}")
    r, a, _, _, _, fall = _falloff(z, direction, width_deg)
    return z - (strength * fall * a)[..., None] * r


def repel(
    z: jax.Array, direction: jax.Array, *, angle_deg: float = 30.0, width_deg: float = 30.0
) -> jax.Array:
    """Rotate latents ``z`` ``[..., D]`` away from ``direction`` ``[D]``, keeping ``|z|``.

    Each latent turns, in the plane of ``r`` and itself, from angle ``theta`` to
    ``min(theta + angle * exp(-theta^2 / (2 width^2)), 180 deg)``: the angle to
    red never decreases, near-red latents move most. A latent exactly along
    ``r`` (no plane of its own) turns towards a fixed unit vector orthogonal to
    ``r``.
    """
    r, a, perp, p, theta, fall = _falloff(z, direction, width_deg)
    # Fallback plane for latents on the red axis: the basis vector least
    # aligned with r, made orthogonal to it.
    e = jax.nn.one_hot(jnp.argmin(jnp.abs(r)), r.shape[-1], dtype=r.dtype)
    fallback = _unit(e - jnp.sum(e * r) * r)
    tiny = p <= 1e-6 * _norm(z)
    u = jnp.where(tiny[..., None], fallback, perp / jnp.where(tiny, 1.0, p)[..., None])
    new_theta = jnp.minimum(theta + jnp.radians(angle_deg) * fall, jnp.pi)
    n = jnp.sqrt(a * a + p * p)
    return n[..., None] * (jnp.cos(new_theta)[..., None] * r + jnp.sin(new_theta)[..., None] * u)


# Jitted once: eagerly, each primitive of the conversion compiles on its own.
_hsv_to_rgb = jax.jit(colorimetry.HSV_to_RGB)


def hsv_grid(hues: int, saturations: np.ndarray, values: np.ndarray, *, offset: float = 0.0):
    """The HSV cube's grid: ``[N, 3]`` HSV (hue in turns) and ``[N, 3]`` sRGB."""
    H, S, V = np.meshgrid((np.arange(hues) + offset) / hues, saturations, values, indexing="ij")
    hsv = np.stack([H.ravel(), S.ravel(), V.ravel()], axis=-1).astype(np.float32)
    return hsv, np.asarray(_hsv_to_rgb(hsv))


def prototypes(k: int = 12) -> np.ndarray:
    """``[k, 3]`` vibrant hues (``S = V = 1``) from red (index 0) round the circle."""
    hsv = np.stack([np.arange(k) / k, np.ones(k), np.ones(k)], axis=-1).astype(np.float32)
    return np.asarray(_hsv_to_rgb(hsv))


def _regularisers(model: ColourAutoencoder, z_raw, protos, anchor, placement: str, reg):
    """Weighted sum (weights ``reg.*``) of the four penalties on raw (``"before"``)
    or unit (``"after"``) latents of the batch and of the vibrant prototypes."""
    z_p = model.encode(protos)
    if placement == "after":
        z_raw, z_p = _unit(z_raw), _unit(z_p)
    return (
        reg.unitarity * unitarity_penalty(z_raw)
        + reg.anchor * anchor_penalty(z_p[0], anchor)
        + reg.separation * angular_separation_penalty(z_p, min_angle_deg=reg.min_angle_deg)
        + reg.planarity * planarity_penalty(z_p)
    )


def train_variant(key: jax.Array, name: str, config: ml_collections.ConfigDict, rgb_Nx3, weights_N):
    """Train one variant of ``VARIANTS`` on the weighted grid; returns ``(graphdef,
    params)`` and the loss per logged chunk of steps."""
    normalise, placement = VARIANTS[name]
    k_init, k_train = jax.random.split(key)
    m = config.model
    graphdef, params = create(
        lambda k: ColourAutoencoder(
            latent=m.latent,
            width=m.width,
            depth=m.depth,
            latent_activation="none",
            normalise=normalise,
            rngs=nnx.Rngs(params=k),
        ),
        k_init,
        config,
    )
    tx = optax.adam(config.opt.learning_rate)
    opt_state = tx.init(params)
    protos = jnp.asarray(prototypes(config.reg.prototypes))
    anchor = jax.nn.one_hot(0, m.latent, dtype=jnp.float32)  # red pinned to the first axis
    p = jnp.asarray(weights_N / np.sum(weights_N), jnp.float32)

    def loss(params, rgb):
        model = nnx.merge(graphdef, params)
        pred, z = model(rgb)
        value = jnp.mean((pred - rgb) ** 2)
        if placement is not None:
            value += _regularisers(model, z, protos, anchor, placement, config.reg)
        return value

    def step(carry, key):
        params, opt_state = carry
        index = jax.random.choice(key, rgb_Nx3.shape[0], (config.opt.batch_size,), p=p)
        value, grads = jax.value_and_grad(loss)(params, rgb_Nx3[index])
        updates, opt_state = tx.update(grads, opt_state, params)
        return (optax.apply_updates(params, updates), opt_state), value

    @functools.partial(jax.jit, compiler_options=compiler_options(config))
    def chunk(params, opt_state, key):
        keys = jax.random.split(key, config.opt.log_every)
        (params, opt_state), values = jax.lax.scan(step, (params, opt_state), keys)
        return params, opt_state, jnp.mean(values)

    history = []
    for k in jax.random.split(k_train, config.opt.steps // config.opt.log_every):
        params, opt_state, value = chunk(params, opt_state, k)
        if not np.isfinite(float(value)):
            raise FloatingPointError(f"{name}: loss is {float(value)}")
        history.append(float(value))
    return (graphdef, params), history


def _intervene(which: str, z, direction, i: ml_collections.ConfigDict):
    if which == "suppress":
        return suppress(z, direction, strength=i.strength, width_deg=i.width_deg)
    if which == "repel":
        return repel(z, direction, angle_deg=i.angle_deg, width_deg=i.width_deg)
    return z


# Module-level with the graph definition static: variants of one architecture
# share compiled code (eagerly, every primitive would compile on its own).
@functools.partial(jax.jit, static_argnums=(0, 4, 5))
def _apply(graphdef, params, rgb, protos, which: str, intervention: tuple):
    """Reconstructions of ``rgb`` under intervention ``which``, the decoder inputs
    before it, the raw latents, the prototypes' raw latents and the red
    direction (pure red's decoder input, made unit)."""
    i = ml_collections.ConfigDict(dict(intervention))
    model = nnx.merge(graphdef, params)
    z_raw, z_protos = model.encode(rgb), model.encode(protos)
    direction = _unit(model.to_decoder(z_protos[0]))
    z = model.to_decoder(z_raw)
    return model.decode(_intervene(which, z, direction, i)), z, z_raw, z_protos, direction


def _hue_distance(h: np.ndarray, h0: float) -> np.ndarray:
    d = np.abs(h - h0) % 1.0
    return np.minimum(d, 1.0 - d)


def train_and_evaluate(config: ml_collections.ConfigDict, workdir: Path) -> dict:
    """Train every variant, apply the interventions, write plots, ``metrics.json``
    and ``README.md`` into ``workdir``; returns the metrics."""
    start = time.perf_counter()
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    d = config.data
    sats, vals = np.linspace(0.0, 1.0, d.saturation_steps), np.linspace(0.1, 1.0, d.value_steps)
    train_hsv, train_rgb = hsv_grid(d.hue_steps, sats, vals)
    weights = d.weight_floor + train_hsv[:, 1] * train_hsv[:, 2]
    # Held out: hues half a step off the training grid, and other S, V levels.
    test_hsv, test_rgb = hsv_grid(
        d.test_hue_steps, np.linspace(0.05, 0.95, 7), np.linspace(0.15, 0.95, 7), offset=0.5
    )
    red = (_hue_distance(test_hsv[:, 0], 0.0) < 1 / 24) & (test_hsv[:, 1] > 0.5)
    not_red = _hue_distance(test_hsv[:, 0], 0.0) > 1 / 6

    keys = jax.random.split(jax.random.key(config.seed), len(config.variants))
    results, sphere, by_hue, strips = {}, {}, {}, {}
    strip_rgb = prototypes(96)  # a fully saturated hue strip, red first
    protos = jnp.asarray(prototypes(config.reg.prototypes))
    intervention = tuple(sorted(config.intervention.to_dict().items()))
    inputs = np.concatenate([test_rgb, strip_rgb])  # one call per intervention
    vivid = test_hsv[:, 1] > 0.5
    hue_index = np.round(test_hsv[:, 0] * d.test_hue_steps - 0.5).astype(int)
    for name, key in zip(config.variants, keys, strict=True):
        if name not in VARIANTS:
            raise ValueError(f"variant must be one of {tuple(VARIANTS)}, not {name!r}")
        (graphdef, params), history = train_variant(
            key, name, config, jnp.asarray(train_rgb), weights
        )
        entry = {"final_loss": history[-1], "loss_history": history}
        hue_curves = {}
        for which in INTERVENTIONS:
            out, z, z_raw, z_protos, direction = (
                np.asarray(a) for a in _apply(graphdef, params, inputs, protos, which, intervention)
            )
            pred, strips[(name, which)] = out[: len(test_rgb)], out[len(test_rgb) :]
            se = np.mean((pred - test_rgb) ** 2, axis=-1)
            entry[which] = {
                "mse_max": float(np.max(se)),
                "mse_median": float(np.median(se)),
                "mse_median_red": _median(se[red]),
                "mse_median_not_red": _median(se[not_red]),
            }
            hue_curves[which] = [
                _mean(se[vivid & (hue_index == h)]) for h in range(d.test_hue_steps)
            ]
        n = len(test_rgb)
        entry["geometry"] = _geometry(z_raw[:n], z_protos, config)
        results[name] = entry
        by_hue[name] = hue_curves
        sphere[name] = (z[:n], direction)

    metrics = {"variants": results, "red_colours": int(red.sum()), "test_colours": len(test_rgb)}
    hue_axis = (np.arange(d.test_hue_steps) + 0.5) / d.test_hue_steps
    _plot_loss_by_hue(workdir / "loss_by_hue.png", hue_axis, by_hue)
    _plot_sphere(workdir / "latent_sphere.png", sphere, test_rgb)
    _plot_strips(workdir / "hue_strips.png", strip_rgb, strips, config.variants)
    seconds = time.perf_counter() - start
    write_summary(
        workdir,
        title="Latent regularisers and red-direction interventions (4-D colour autoencoder)",
        config=config,
        config_path="configs/representations/interventions.py",
        metrics=metrics,
        body=_summary_lines(metrics, config),
        seconds=seconds,
    )
    return metrics


def _median(x: np.ndarray) -> float | None:
    return float(np.median(x)) if x.size else None


def _mean(x: np.ndarray) -> float | None:
    return float(np.mean(x)) if x.size else None


def _geometry(z_raw: np.ndarray, z_protos: np.ndarray, config) -> dict:
    """The regularisers' targets, measured on raw latents ``[N, D]`` and on the
    unit prototype latents (what a normalising decoder sees)."""
    norm = np.linalg.norm(z_raw, axis=-1)
    z_p = z_protos / np.linalg.norm(z_protos, axis=-1, keepdims=True)
    cos = np.asarray(z_p @ z_p.T)
    angles = np.degrees(np.arccos(np.clip(cos, -1, 1)))
    adjacent = [angles[i, (i + 1) % len(angles)] for i in range(len(angles))]
    return {
        "raw_norm_mean": float(np.mean(norm)),
        "raw_norm_std": float(np.std(norm)),
        "raw_unitarity": float(np.mean((norm - 1) ** 2)),
        "red_angle_to_anchor_deg": float(np.degrees(np.arccos(np.clip(z_p[0, 0], -1, 1)))),
        "min_prototype_angle_deg": float(np.min(angles + 360 * np.eye(len(angles)))),
        "adjacent_prototype_angle_deg_mean": float(np.mean(adjacent)),
        "prototype_planarity_unit": float(np.mean(np.sum(z_p[:, 2:] ** 2, axis=-1))),
        "min_angle_target_deg": config.reg.min_angle_deg,
    }


def _plot_loss_by_hue(path: Path, hue_axis: np.ndarray, by_hue: dict) -> None:
    fig = figure(figsize=(3.2 * len(by_hue), 3.0))
    axes = fig.subplots(1, len(by_hue), squeeze=False, sharey=True)[0]
    for ax, (name, curves) in zip(axes, by_hue.items(), strict=True):
        for which, curve in curves.items():
            ax.plot(hue_axis, np.array(curve, float), label=which)
        ax.set(title=name, xlabel="HSV hue (S > 0.5)", yscale="log")
        ax.title.set_fontsize(9)
    axes[0].set_ylabel("reconstruction MSE")
    axes[0].legend(fontsize=7)
    fig.savefig(path, dpi=80)


def _plot_sphere(path: Path, sphere: dict, rgb: np.ndarray) -> None:
    columns = 2
    rows = -(-len(sphere) // columns)
    fig = figure(figsize=(3.6 * columns, 3.4 * rows))
    u, v = np.meshgrid(np.linspace(0, 2 * np.pi, 25), np.linspace(0, np.pi, 13))
    for i, (name, (z, direction)) in enumerate(sphere.items()):
        ax = fig.add_subplot(rows, columns, i + 1, projection="3d")
        # The decoder's 4-D inputs seen through their top three principal axes.
        _, _, vt = np.linalg.svd(z - z.mean(axis=0), full_matrices=False)
        p, r = z @ vt[:3].T, direction @ vt[:3].T
        scale = float(np.max(np.linalg.norm(p, axis=-1)))
        ax.plot_wireframe(
            scale * np.cos(u) * np.sin(v),
            scale * np.sin(u) * np.sin(v),
            scale * np.cos(v),
            color="0.85",
            linewidth=0.4,
        )
        ax.scatter(*p.T, c=rgb, s=3, depthshade=False)
        tip = 1.3 * scale * r / max(float(np.linalg.norm(r)), 1e-9)
        ax.plot(*np.stack([np.zeros(3), tip], axis=1), color="k", linewidth=2.5)
        ax.set_title(f"{name} (PCA 1-3; black: red direction)", fontsize=8)
        ax.set_box_aspect(None, zoom=1.25)
        ax.set_axis_off()
    fig.savefig(path, dpi=80)


def _plot_strips(path: Path, strip_rgb: np.ndarray, strips: dict, variants) -> None:
    fig = figure(figsize=(7, 0.9 * len(variants) + 0.6))
    axes = fig.subplots(len(variants), 1, squeeze=False)[:, 0]
    for ax, name in zip(axes, variants, strict=True):
        rows = [strip_rgb] + [strips[(name, which)] for which in INTERVENTIONS]
        ax.imshow(np.clip(np.stack(rows), 0, 1), aspect="auto", interpolation="nearest")
        ax.set_yticks(range(4), ["input", *INTERVENTIONS], fontsize=7)
        ax.set_xticks([])
        ax.set_title(name, fontsize=8)
    fig.savefig(path, dpi=80)


def _e(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2e}"


def _summary_lines(metrics: dict, config: ml_collections.ConfigDict) -> list[str]:
    d, i = config.data, config.intervention
    lines = [
        f"Training: HSV grid of {d.hue_steps} hues x {d.saturation_steps} saturations x "
        f"{d.value_steps} values, drawn with weight {d.weight_floor} + S*V, "
        f"{config.opt.steps} steps of batch {config.opt.batch_size}. "
        f"Test: {metrics['test_colours']} held-out grid colours "
        f"(hues half a step off); reds: {metrics['red_colours']} with hue within 15 deg of red "
        "and S > 0.5; not red: hue more than 60 deg from red. Interventions act on the "
        f"decoder's input: suppress (strength {i.strength}, falloff width {i.width_deg} deg), "
        f"repel (up to {i.angle_deg} deg, width {i.width_deg} deg), both about the latent "
        "direction of pure red.",
        "",
        "| variant | intervention | MSE max | MSE median | median red | median not red |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, m in metrics["variants"].items():
        for which in INTERVENTIONS:
            e = m[which]
            lines.append(
                f"| {name} | {which} | {e['mse_max']:.2e} | {e['mse_median']:.2e} "
                f"| {_e(e['mse_median_red'])} | {_e(e['mse_median_not_red'])} |"
            )
    lines += [
        "",
        "Geometry of the unit latents (what the regularisers aim at):",
        "",
        "| variant | raw norm mean (std) | red to anchor (deg) | min / mean adjacent "
        "prototype angle (deg) | off-plane energy |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, m in metrics["variants"].items():
        g = m["geometry"]
        lines.append(
            f"| {name} | {g['raw_norm_mean']:.2f} ({g['raw_norm_std']:.2f}) "
            f"| {g['red_angle_to_anchor_deg']:.1f} | {g['min_prototype_angle_deg']:.1f} / "
            f"{g['adjacent_prototype_angle_deg_mean']:.1f} | {g['prototype_planarity_unit']:.3f} |"
        )
    lines += [
        "",
        "Files: `loss_by_hue.png` (MSE of colours with S > 0.5 against hue, per "
        "intervention), `latent_sphere.png` (decoder inputs, top three principal axes), "
        "`hue_strips.png` (a saturated hue strip decoded without and with each intervention).",
    ]
    return lines
