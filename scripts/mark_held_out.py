"""Write ``held_out`` into every committed ``metrics.json`` from its model's recorded
training data, as ``munsell-jax evaluate`` and ``munsell-jax baselines`` now do.

    .venv/bin/python scripts/mark_held_out.py

For metrics written before the flag existed; the evaluation itself is not re-run.
Rows: a model folder with a ``config.json`` (``evaluate.real_held_out``), the
baselines (fitted on ALL colours: REAL not held out) and the reference rows
(``exact``, ``colour-science``: null).
"""

from __future__ import annotations

import json
from pathlib import Path

from munsell_jax.lab.baselines import BASELINES
from munsell_jax.lab.evaluate import mark_held_out, real_held_out

FOLDERS = ("results", "results/zoo", "results/experiments", "munsell_jax/models")


def main() -> None:
    paths = sorted({p for root in FOLDERS for p in Path(root).glob("*/*/metrics.json")})
    for path in paths:
        metrics = json.loads(path.read_text())
        if not isinstance(metrics.get("real"), dict):
            continue  # not a protocol row (results/representations)
        name = metrics.get("name", path.parent.name)
        if name in ("exact", "colour-science"):
            real = None
        elif name in BASELINES:
            real = False
        else:
            real = real_held_out(json.loads((path.parent / "config.json").read_text()))
        mark_held_out(metrics, real)
        path.write_text(json.dumps(metrics, indent=2) + "\n")
        print(f"{path.parent}: REAL held out {real}")


if __name__ == "__main__":
    main()
