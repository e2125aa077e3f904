"""Per-sample inference time: onnxruntime vs jitted JAX vs colour-science.

    .venv/bin/python benchmarks/bench_onnx.py [--n-colour 20] [--precision float32 float64]
    .venv/bin/python benchmarks/bench_onnx.py --engine-only

The first row is the exact Munsell -> xyY engine itself
(``munsell_jax.lab.export.export_engine``: float64 inside, float32 I/O) against the
JAX engine jitted in float64; ``--engine-only`` prints that row alone.

For the shipped models (munsell_jax.hub.SHIPPED) and, so that the
figures exist before any model is shipped, freshly initialised models of
three sizes per direction (timing does not depend on the weights): each is
exported with ``munsell_jax.lab.export`` (to a temporary folder, once per
``--precision``: the graph's internal arithmetic, float32 I/O either way; a
shipped ``model.onnx`` is never overwritten) and timed at batch 2,734 (the REAL
colours) and batch 1, best of 5 after warm-up. colour-science is timed on
``--n-colour`` REAL colours in the same process; ratios are its time over ours.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import jax
import numpy as np


def _fresh_run(root: Path, direction: str, architecture: str) -> Path:
    """A model folder (config + checkpoint) of an untrained architecture."""
    import orbax.checkpoint as ocp
    from flax import nnx

    from munsell_jax.lab.train import build, checkpoint_args, default_config

    config = default_config(direction, architecture)
    config.opt.stage_epochs = ()
    folder = root / f"{direction}_{architecture.replace(' ', '_').replace('/', '_')}"
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(config.to_json_best_effort(indent=2))
    trainable, optimizer, _ = build(config)
    state = nnx.state((trainable, optimizer))
    options = ocp.CheckpointManagerOptions(max_to_keep=1, create=True)
    with ocp.CheckpointManager(folder / "checkpoints" / "best", options=options) as manager:
        manager.save(1, args=checkpoint_args(state, None, {}, save=True), metrics={"val_loss": 0})
        manager.wait_until_finished()
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-colour", type=int, default=20)
    parser.add_argument(
        "--precision", nargs="+", choices=("float32", "float64"), default=["float32"]
    )
    parser.add_argument("--engine-only", action="store_true", help="time the exact engine only")
    args = parser.parse_args()
    jax.config.update("jax_enable_x64", True)

    from colour.notation.munsell import munsell_specification_to_xyY, xyY_to_munsell_specification

    from munsell_jax.hub import ENGINE, load_model
    from munsell_jax.inverse import xyY_to_munsell
    from munsell_jax.lab.demo import real_colours
    from munsell_jax.lab.export import export, export_engine
    from munsell_jax.lab.timing import time_colour, time_jax
    from munsell_jax.notation import to_colour_specification

    _, xyY = real_colours()
    spec = np.asarray(xyY_to_munsell(xyY).specification)
    subset = np.linspace(0, len(xyY) - 1, args.n_colour).astype(int)
    colour = {
        "from_xyY": time_colour(xyY_to_munsell_specification, xyY[subset])[0],
        "to_xyY": time_colour(
            munsell_specification_to_xyY,
            np.stack([to_colour_specification(s) for s in spec[subset]]),
        )[0],
    }
    inputs = {"from_xyY": xyY.astype(np.float32), "to_xyY": spec.astype(np.float32)}

    root = Path(tempfile.mkdtemp())
    folders = []
    if not args.engine_only:
        from munsell_jax.hub import SHIPPED, model_folder

        folders = [model_folder(name) for name in SHIPPED if name != ENGINE]
        for direction, names in (
            ("from_xyY", ("MLP (base)", "Multi-Head", "Multi-MLP")),
            ("to_xyY", ("Simple MLP", "Multi-Head", "Multi-MLP")),
        ):
            folders += [_fresh_run(root, direction, name) for name in names]

    print(
        f"backend {jax.default_backend()}; colour-science per colour: inverse "
        f"{colour['from_xyY'] * 1e3:.1f} ms, forward {colour['to_xyY'] * 1e3:.2f} ms\n"
    )
    print(
        "| model | direction | ONNX precision | ONNX us/sample (2,734) | ONNX us (1) "
        "| JAX us (2,734) | JAX us (1) | ONNX vs colour |"
    )
    print("|---|---|---|---|---|---|---|---|")
    x = inputs["to_xyY"]
    engine_onnx = load_model(ENGINE, backend="onnx", onnx_file=export_engine(root / "exact.onnx"))
    engine_jax = load_model(ENGINE)
    t = [
        time_jax(run, batch, repeats=repeats)
        for run in (engine_onnx, engine_jax)
        for batch, repeats in ((x, 5), (x[:1], 50))
    ]
    print(
        "| exact engine (renotation interpolation) | to_xyY | float64 | "
        + " | ".join(f"{v * 1e6:.2f}" for v in t)
        + f" | {colour['to_xyY'] / t[0]:,.0f}x |"
    )
    for i, folder in enumerate(folders):
        config = json.loads((folder / "config.json").read_text())
        direction = config["direction"]
        jax_run, x = load_model(folder), inputs[direction]
        jax_t = [time_jax(jax_run, x, repeats=5), time_jax(jax_run, x[:1], repeats=50)]
        for precision in args.precision:
            file = export(folder, out=root / f"{i}_{precision}.onnx", precision=precision)
            onnx_run = load_model(folder, backend="onnx", onnx_file=file)
            t = [time_jax(onnx_run, x, repeats=5), time_jax(onnx_run, x[:1], repeats=50), *jax_t]
            print(
                f"| {config.get('architecture', folder.name)} | {direction} | {precision} | "
                + " | ".join(f"{v * 1e6:.2f}" for v in t)
                + f" | {colour[direction] / t[0]:,.0f}x |"
            )


if __name__ == "__main__":
    main()
