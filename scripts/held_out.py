"""How near each shipped model's training data come to the evaluation's colours.

    .venv/bin/python scripts/held_out.py   # writes results/experiments/held_out/README.md

For each shipped model, its last training stage's data set is regenerated (or
read from the ``data/`` cache) and, for the REAL colours, the held-out
(generalisation) colours and a control set of fresh random valid colours, the
CIELAB distance (Delta E 1976) to the nearest training draw is summarised. Data
that centre on some colours sit nearer them than to random colours; the
held-out colours should be no nearer than the control.
"""

from __future__ import annotations

import json
from pathlib import Path

import jax
import numpy as np

jax.config.update("jax_enable_x64", True)

from scipy.spatial import cKDTree  # noqa: E402

from munsell_jax.colorimetry import xyY_to_Lab  # noqa: E402
from munsell_jax.hub import ENGINE, MODELS, SHIPPED  # noqa: E402
from munsell_jax.lab import data  # noqa: E402
from munsell_jax.lab.evaluate import evaluation_sets  # noqa: E402

OUT = Path("results/experiments/held_out/README.md")
CONTROL_SEED = 99


def main() -> None:
    sets = evaluation_sets()
    colours = {
        "REAL": sets["real"].xyY,
        "held out": sets["generalisation"].xyY,
        "control": data.forward(jax.random.key(CONTROL_SEED), 2_734).xyY,
    }
    lab = {name: np.asarray(xyY_to_Lab(xyY)) for name, xyY in colours.items()}
    lines = [
        "# How near the training data come to the evaluation colours",
        "",
        "`python scripts/held_out.py`: for each shipped model, its last training stage's data "
        "(regenerated from its `config.json`; earlier stages drew on `grid`, `large`, `forward` "
        "or perturbation samplers, see docs/models.md) and the CIELAB distance (Delta E 1976) "
        "from each colour of three sets to its nearest training draw: the REAL colours, the "
        "held-out (generalisation) colours and a control of 2,734 fresh random valid colours "
        f"(`forward`, seed {CONTROL_SEED}). Data that centre on some colours sit nearer them "
        "than the control; the held-out colours are as far as the control.",
        "",
        "| model | data | set | median | 5th percentile | within 0.5 | REAL marked |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name in SHIPPED:
        if name == ENGINE:
            continue
        config = json.loads((MODELS / name / "config.json").read_text())
        metrics = json.loads((MODELS / name / "metrics.json").read_text())
        spec = config["data"]
        train = data.load_or_generate(
            spec["name"], size=spec["size"], seed=spec["seed"], progress=False, plot=False
        )
        tree = cKDTree(np.asarray(xyY_to_Lab(train.xyY)))
        described = f"`{spec['name']}` {spec['size']:,} (seed {spec['seed']})"
        mark = "not held out" if metrics["real"]["held_out"] is False else "held out"
        for set_name, points in lab.items():
            distance = tree.query(points)[0]
            lines.append(
                f"| `{name}` | {described} | {set_name} | {np.median(distance):.2f} | "
                f"{np.percentile(distance, 5):.2f} | {100 * np.mean(distance < 0.5):.1f}% | "
                f"{mark if set_name == 'REAL' else ''} |"
            )
            print(lines[-1])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
