"""The published side experiments: sampling, hue encodings, hue and boundary losses, the
Y-normalisation gamma sweep, REAL-only vs ALL fine-tuning, BatchNorm vs LayerNorm.

    .venv/bin/python scripts/side_experiments.py [--variants base gamma2.0_seed0 ...]

Trains each variant of ``configs/from_xyY/experiments/side.py`` in
``runs/experiments/side/<variant>`` (resuming when stopped; skipped when its
results are already there), evaluates it by the protocol (no timing), copies its
metrics to ``results/experiments/side/<variant>/`` and writes
``results/experiments/side/README.md`` with ``gamma.png`` and ``norm.png`` from
every variant found there. About 1-3 CPU-minutes per variant (27 variants).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from munsell_jax.encoding import GAMMAS
from munsell_jax.lab import experiments
from munsell_jax.lab.experiments import config_module, load_results

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "configs" / "from_xyY" / "experiments" / "side.py"
RESULTS = ROOT / "results" / "experiments" / "side"

COMPARISONS = (
    # (title, control, variants, what the published study reported, or None)
    (
        "Sampling",
        "base",
        ("sampling_uniform", "sampling_perturbation"),
        "uniform sampling was a negative result; perturbation was the default data",
    ),
    (
        "Hue encoding",
        "base",
        ("encoding_hue_angle", "encoding_family_angle", "encoding_cartesian"),
        None,
    ),
    ("Circular hue loss", "base", ("circular_hue",), "a negative result"),
    ("Weighted boundary loss", "base", ("boundary_loss",), None),
    ("Fine-tuning, 5 more epochs", "base", ("finetune_all", "finetune_real"), None),
    ("REAL-only vs ALL fine-tuning", "finetune_all", ("finetune_real",), None),
    (
        "Normalisation in Multi-ResNet",
        "resnet_layernorm",
        ("resnet_batchnorm",),
        "the PyTorch models spiked with BatchNorm",
    ),
)
HEADER = (
    "| variant | REAL mean | median | p95 | hue MAE | value MAE | chroma MAE | code acc. "
    "| family errors | gen. mean | gen. median | train s |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def _row(name: str, m: dict) -> str:
    real, gen = m["real"], m["generalisation"]
    return (
        f"| `{name}` | {real['delta_e_mean']:.3f} | {real['delta_e_median']:.3f} "
        f"| {real['delta_e_p95']:.3f} | {real['hue_mae']:.3f} | {real['value_mae']:.4f} "
        f"| {real['chroma_mae']:.3f} | {real['code_accuracy']:.4f} "
        f"| {real['hue_family_errors']} | {gen['delta_e_mean']:.3f} "
        f"| {gen['delta_e_median']:.3f} | {m.get('training_seconds', 0):.0f} |"
    )


def _verdict(control: dict, variant: dict) -> str:
    a, b = control["real"]["delta_e_median"], variant["real"]["delta_e_median"]
    c, d = control["generalisation"]["delta_e_median"], variant["generalisation"]["delta_e_median"]
    word = lambda r: "better" if r < 0.95 else "worse" if r > 1.05 else "about the same"  # noqa: E731
    return (
        f"median CIEDE2000 on REAL {b:.3f} vs {a:.3f} ({word(b / a)}), "
        f"on the generalisation set {d:.3f} vs {c:.3f} ({word(d / c)})"
    )


def _spikes(m: dict) -> tuple[int, float]:
    """Epochs whose validation loss is over 1.5x the best before them, and the worst ratio."""
    losses = [e["val_loss"] for e in m.get("training", []) if "val_loss" in e]
    best, count, worst = np.inf, 0, 1.0
    for loss in losses:
        if np.isfinite(best):
            worst = max(worst, loss / best)
            count += loss > 1.5 * best
        best = min(best, loss)
    return count, worst


def _training(variant: str) -> list[dict]:
    path = RESULTS / variant / "metrics.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


def _gamma_plot(found: dict) -> list[str]:
    lines, xs, medians, stds = [], [], [], []
    fig = Figure(figsize=(5, 3.5))
    ax = fig.add_subplot()
    for gamma in GAMMAS:
        values = [
            found[v]["real"]["delta_e_median"]
            for v in (f"gamma{gamma}_seed{s}" for s in range(3))
            if v in found
        ]
        if not values:
            continue
        xs.append(gamma)
        medians.append(float(np.mean(values)))
        stds.append(float(np.std(values)))
        ax.plot([gamma] * len(values), values, "o", color="tab:blue", alpha=0.5)
        lines.append(
            f"| {gamma} | {len(values)} | {np.mean(values):.3f} | {np.std(values):.3f} "
            f"| {min(values):.3f} - {max(values):.3f} |"
        )
    if not xs:
        return []
    ax.plot(xs, medians, "-", color="tab:blue", label="mean over seeds")
    ax.set_xlabel("gamma (inputs x, y, Y^(1/gamma))")
    ax.set_ylabel("median CIEDE2000, REAL")
    ax.set_title("Y normalisation sweep, MLP base, 15 epochs")
    ax.legend()
    fig.tight_layout()
    fig.savefig(RESULTS / "gamma.png", dpi=120)
    best = xs[int(np.argmin(medians))]
    spread = max(medians) - min(medians)
    seed_std = float(np.mean(stds))
    verdict = f"The means over seeds span {spread:.3f} across gammas, " + (
        f"less than the seed-to-seed standard deviation ({seed_std:.3f}): at this "
        "budget the Y normalisation makes no measurable difference."
        if spread < seed_std
        else f"more than the seed-to-seed standard deviation ({seed_std:.3f})."
    )
    return [
        "## Y-normalisation gamma sweep",
        "",
        "Inputs `[x, y, Y^(1/gamma)]`, three seeds each (initialisation and batch order);",
        "otherwise the control's recipe. ![gamma sweep](gamma.png)",
        "",
        "| gamma | seeds | median CIEDE2000 (mean over seeds) | std | range |",
        "|---|---|---|---|---|",
        *lines,
        "",
        f"Lowest mean median at gamma {best}. {verdict}",
        "",
    ]


def _norm_plot(found: dict) -> None:
    fig = Figure(figsize=(5, 3.5))
    ax = fig.add_subplot()
    for variant in ("resnet_layernorm", "resnet_batchnorm"):
        epochs = [e for e in _training(variant) if "val_loss" in e]
        if epochs:
            ax.semilogy(
                [e["epoch"] for e in epochs],
                [e["val_loss"] for e in epochs],
                label=variant.removeprefix("resnet_"),
            )
    ax.set_xlabel("epoch")
    ax.set_ylabel("validation loss")
    ax.set_title("Multi-ResNet (narrowed): normalisation")
    ax.legend()
    fig.tight_layout()
    fig.savefig(RESULTS / "norm.png", dpi=120)


def write_tables() -> str:
    found = load_results(RESULTS)
    for variant in found:
        found[variant]["training"] = _training(variant)
    order = [v for v in config_module(CONFIG).VARIANTS if v in found]
    lines = [
        "# Published side experiments, checked",
        "",
        "Generated by `python scripts/side_experiments.py` from the metrics in this folder",
        "(configs: `configs/from_xyY/experiments/side.py:VARIANT`). Each variant trains the",
        "published MLP base for 15 epochs on 500,000 samples (cosine from 1e-3, seed 0)",
        "and changes one thing against the control `base`; the fine-tuning variants start",
        "from `base`. Short CPU runs: they rank the choices at this budget, they are not",
        "the best each choice can do. Median CIEDE2000 is compared rather than the mean,",
        "which a few hue-family errors dominate for the regression outputs.",
        "",
        HEADER,
        *(_row(v, found[v]) for v in order),
        "",
        "## Findings",
        "",
    ]
    for title, control, variants, published in COMPARISONS:
        if control not in found:
            continue
        for variant in variants:
            if variant not in found:
                continue
            line = f"- **{title}, `{variant}` vs `{control}`:** " + _verdict(
                found[control], found[variant]
            )
            if variant.startswith("resnet_"):
                for v in (control, variant):
                    count, worst = _spikes(found[v])
                    line += (
                        f"; `{v}`: {count} epochs with a validation loss over 1.5x its best "
                        f"so far (worst ratio {worst:.2f})"
                    )
            if published:
                line += f". Published: {published}."
            else:
                line += "."
            lines.append(line)
    lines.append("")
    lines += _gamma_plot(found)
    if "resnet_layernorm" in found or "resnet_batchnorm" in found:
        _norm_plot(found)
        lines += [
            "## Normalisation",
            "",
            "Validation loss per epoch (a spike inside an epoch would not show).",
            "",
            "![validation loss](norm.png)",
            "",
        ]
    text = "\n".join(lines) + "\n"
    (RESULTS / "README.md").write_text(text)
    return text


def main() -> None:
    experiments.main(
        __doc__.splitlines()[0], CONFIG, RESULTS, "runs/experiments/side", write_tables
    )


if __name__ == "__main__":
    main()
