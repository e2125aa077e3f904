"""Float32 against float64 ONNX graphs of the shipped models: parity and onnxruntime time.

    .venv/bin/python benchmarks/bench_onnx_precision.py [from_xyY/mlp_base_cartesian ...]

For each shipped learned model (or the folders named), exports both
precisions to a temporary folder (the shipped files are not touched) and prints:

- the parity criterion (largest difference over each output's range)
  of the float32 graph against the network in JAX in float32, and of the
  float64 graph against it in JAX in float64 (``inference_precision``: the
  shipped model's own precision is marked with ``*``);
- the distance to the network evaluated in float64 in JAX ("exact"), of XLA's
  float32 answer and of each graph's, over hue, value and chroma (or xyY);
- onnxruntime us/sample at batch 2,734 (the REAL colours) and batch 1, the
  median of 3 interleaved medians. Ratios compare; absolute times vary with load.

Figures are printed (and, for the shipped models, written to
``results/benchmarks/onnx_precision.md``); nothing is asserted.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np

jax.config.update("jax_enable_x64", True)

from munsell_jax.hub import (  # noqa: E402
    ENGINE,
    Converter,
    float64_model,
    load_model,
    model_folder,
    predictor,
    shipped_models,
)
from munsell_jax.lab.evaluate import evaluation_sets  # noqa: E402
from munsell_jax.lab.export import OUTPUT_RANGE, export, sample_inputs  # noqa: E402
from munsell_jax.lab.train import load_run  # noqa: E402

PRECISIONS = ("float32", "float64")


def _us_per_sample(run, x, repeats: int) -> float:
    run(x)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run(x)
        times.append(time.perf_counter() - start)
    return float(np.median(times)) / len(x) * 1e6


def measure(name: str, out: Path) -> dict:
    path = model_folder(name)
    direction = json.loads((path / "config.json").read_text())["direction"]
    files = {
        p: export(path, out=out / f"{name.replace('/', '_')}_{p}.onnx", precision=p)
        for p in PRECISIONS
    }
    model, config = load_run(path)
    row = {"shipped": config.get("inference_precision", "float32")}
    x = sample_inputs(direction)
    jax_answers = {}
    for p in PRECISIONS:
        config.inference_precision = p
        jax_answers[p] = np.asarray(predictor(model, config)(x))
    exact = np.asarray(
        jax.jit(float64_model(Converter(model, config)))(jnp.asarray(x, jnp.float64))
    )
    columns = slice(0, 3) if direction == "from_xyY" else slice(None)  # not the code

    def off(y, reference, columns=columns):
        return float(np.max((np.abs(y - reference) / OUTPUT_RANGE[direction])[:, columns]))

    runs = {p: load_model(path, backend="onnx", onnx_file=f) for p, f in files.items()}
    for p, run in runs.items():
        answer = run(x)
        row[p] = off(answer, jax_answers[p], slice(None))
        row[f"ort_{p}_vs_exact"] = off(answer, exact)
    row["xla_float32_vs_exact"] = off(jax_answers["float32"], exact)
    real = evaluation_sets()["real"]
    inputs = (real.xyY if direction == "from_xyY" else real.specification).astype(np.float32)
    times = {(p, b): [] for p in PRECISIONS for b in (2734, 1)}
    for _ in range(3):  # interleaved, so load drifts hit both precisions alike
        for p, run in runs.items():
            times[(p, 2734)].append(_us_per_sample(run, inputs, 15))
            times[(p, 1)].append(_us_per_sample(run, inputs[:1], 300))
    for (p, b), values in times.items():
        row[f"us_{p}_batch_{b}"] = float(np.median(values))
    return row


def main() -> None:
    names = sys.argv[1:] or [name for name in shipped_models() if name != ENGINE]
    lines = [
        "| model | parity f32 | parity f64 | XLA f32 vs exact | ORT f32 vs exact "
        "| ORT f64 vs exact | us f32 -> f64 (2,734) | us f32 -> f64 (1) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    print("\n".join(lines), flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            r = measure(name, Path(tmp))
            f32, f64 = (f"{r[p]:.1e}" + ("*" if r["shipped"] == p else "") for p in PRECISIONS)
            lines.append(
                f"| {name} | {f32} | {f64} "
                f"| {r['xla_float32_vs_exact']:.1e} | {r['ort_float32_vs_exact']:.1e} "
                f"| {r['ort_float64_vs_exact']:.1e} "
                f"| {r['us_float32_batch_2734']:.1f} -> {r['us_float64_batch_2734']:.1f} "
                f"| {r['us_float32_batch_1']:.0f} -> {r['us_float64_batch_1']:.0f} |"
            )
            print(lines[-1], flush=True)
    if not sys.argv[1:]:
        out = Path("results/benchmarks/onnx_precision.md")
        out.write_text(
            "# Float32 against float64 ONNX graphs of the shipped models\n\n"
            "`python benchmarks/bench_onnx_precision.py` (parity inputs: "
            "`munsell_jax.lab.export.sample_inputs`, near grey and the data's edge "
            "included; `*` marks the precision each model ships in; times vary with load).\n\n"
            + "\n".join(lines)
            + "\n"
        )
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
