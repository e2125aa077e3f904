"""The ``munsell-jax`` command line: ``demo`` and ``convert``.

Examples::

    munsell-jax convert "4.2YR 8.1/5.3" "N 5.2"
    munsell-jax convert 0.31 0.32 0.2 --to munsell
    munsell-jax convert --input colours.csv --to munsell --output specs.csv
    munsell-jax demo
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from munsell_jax.lab.configs import load_config

__all__ = ["main"]

_CHUNK = 65_536  # rows per jitted call when converting files


def _enable_x64() -> None:
    import jax

    # Exact conversion is a float64 job; models are float32 and cast their inputs.
    jax.config.update("jax_enable_x64", True)
    # The inverse takes seconds to compile; keep compiled programs between calls.
    cache = Path(os.environ.get("MUNSELL_JAX_CACHE", Path.home() / ".cache" / "munsell_jax"))
    jax.config.update("jax_compilation_cache_dir", str(cache / "xla"))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 1.0)


def _read_array(path: Path, width: int) -> np.ndarray:
    if path.suffix == ".npy":
        array = np.load(path)
    elif path.suffix in (".csv", ".txt"):
        array = np.loadtxt(path, delimiter="," if path.suffix == ".csv" else None, ndmin=2)
    else:
        raise SystemExit(f"munsell-jax: {path}: expected a .npy, .csv or .txt file")
    array = np.asarray(array, dtype=np.float64)
    if array.ndim != 2 or array.shape[-1] != width:
        raise SystemExit(
            f"munsell-jax: {path}: expected rows of {width} numbers, got {array.shape}"
        )
    return array


def _read_strings(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text().splitlines() if line.strip()]


def _chunked(function, array: np.ndarray, progress: bool):
    from tqdm.auto import tqdm

    outputs = []
    starts = range(0, len(array), _CHUNK)
    progress = progress and len(starts) > 1
    for start in tqdm(starts, desc="converting", unit="chunk", disable=not progress):
        outputs.append(function(array[start : start + _CHUNK]))
    return outputs


def _convert(args: argparse.Namespace) -> int:
    _enable_x64()
    from munsell_jax.inverse import xyY_to_munsell
    from munsell_jax.notation import format_munsell, parse_munsell
    from munsell_jax.renotation import munsell_to_xyY

    direction = args.to
    if args.input is not None:
        path = Path(args.input)
        if direction is None:
            direction = "munsell" if path.suffix in (".npy", ".csv") else "xyY"
        if direction == "xyY" and path.suffix not in (".npy",):
            strings = _read_strings(path)
            try:
                specs = (
                    np.stack([parse_munsell(s) for s in strings]) if strings else np.zeros((0, 4))
                )
            except ValueError as error:
                raise SystemExit(f"munsell-jax: {error}") from error
            labels = strings
        elif direction == "xyY":
            specs, labels = _read_array(path, 4), None
        else:
            xyY = _read_array(path, 3)
    else:
        values = args.values
        if not values:
            raise SystemExit("munsell-jax convert: give colours or --input FILE (see --help)")
        if direction is None:
            direction = "munsell" if _all_numbers(values) else "xyY"
        if direction == "munsell":
            if len(values) % 3:
                raise SystemExit("munsell-jax convert: xyY needs three numbers per colour")
            try:
                xyY = np.asarray([float(v) for v in values]).reshape(-1, 3)
            except ValueError as error:
                raise SystemExit(f"munsell-jax convert: {error}") from error
        else:
            try:
                specs = np.stack([parse_munsell(v) for v in values])
            except ValueError as error:
                raise SystemExit(f"munsell-jax: {error}") from error
            labels = list(values)

    progress = not args.quiet
    if direction == "xyY":
        out = np.concatenate([np.asarray(o) for o in _chunked(munsell_to_xyY, specs, progress)])
        header = "x,y,Y"
        if args.output:
            _write(Path(args.output), out, header)
        else:
            for i, row in enumerate(out):
                label = labels[i] if labels else format_munsell(specs[i])
                print(f"{label:>16}  x={row[0]:.6f} y={row[1]:.6f} Y={row[2]:.6f}")
        invalid = int(np.isnan(out[:, 0]).sum())
        if invalid:
            print(
                f"{invalid} specification(s) lie outside the renotation data (NaN)", file=sys.stderr
            )
        return 0

    results = _chunked(xyY_to_munsell, xyY, progress)
    spec = np.concatenate([np.asarray(r.specification) for r in results])
    residual = np.concatenate([np.asarray(r.residual) for r in results])
    ok = np.concatenate([np.asarray(r.ok) for r in results])
    if args.output:
        table = np.column_stack([spec, residual, ok])
        _write(Path(args.output), table, "hue,value,chroma,code,residual,ok")
    else:
        for row, s, r, good in zip(xyY, spec, residual, ok, strict=True):
            name = (
                format_munsell(s, hue_decimals=3, value_decimals=3, chroma_decimals=3)
                if np.all(np.isfinite(s))
                else "-"
            )
            flag = "" if good else "  (not ok: outside the data or invalid input)"
            print(
                f"x={row[0]:.6f} y={row[1]:.6f} Y={row[2]:.6f}  ->  {name}  residual={r:.1e}{flag}"
            )
    if not ok.all():
        print(f"{int((~ok).sum())} colour(s) not ok", file=sys.stderr)
    return 0


def _all_numbers(values: Sequence[str]) -> bool:
    try:
        [float(v) for v in values]
    except ValueError:
        return False
    return True


def _write(path: Path, array: np.ndarray, header: str) -> None:
    if path.suffix == ".npy":
        np.save(path, array)
    else:
        np.savetxt(path, array, delimiter=",", header=header, comments="")
    print(f"wrote {len(array)} rows to {path}", file=sys.stderr)


def _demo(args: argparse.Namespace) -> int:
    _enable_x64()
    from munsell_jax.lab import demo

    return demo.run(n_colour=args.n_colour)


def _data(args: argparse.Namespace) -> int:
    _enable_x64()
    import time

    from munsell_jax.lab import data

    out = Path(args.out)
    if args.name in ("real", "all"):
        reference = data.real_colours() if args.name == "real" else data.all_colours()
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"{args.name}.npz"
        np.savez(path, **reference._asdict())
        print(
            f"{args.name}: {len(reference.xyY):,} colours, {int(reference.ok.sum()):,} "
            f"solved exactly -> {path}"
        )
        return 0
    if args.name == "large":
        scale = 1.0 if args.size is None else args.size / sum(data.LARGE.values())
        parts = {name: int(round(n * scale)) for name, n in data.LARGE.items()}
    elif args.name in data.SAMPLERS:
        parts = {args.name: args.size}
    else:
        names = ", ".join([*data.SAMPLERS, "large", "real", "all"])
        raise SystemExit(f"munsell-jax data: unknown data set {args.name!r}; choose from {names}")
    start = time.perf_counter()
    total = 0
    for name, size in parts.items():
        part_start = time.perf_counter()
        dataset = data.load_or_generate(
            name,
            size=size,
            seed=args.seed,
            data_dir=out,
            progress=not args.quiet,
            plot=not args.no_plot,
        )
        total += len(dataset.xyY)
        print(
            f"{name}: {len(dataset.xyY):,} rows, {dataset.dropped:,} candidates dropped "
            f"(outside the renotation data), {time.perf_counter() - part_start:.1f} s"
        )
    print(f"{args.name}: {total:,} rows in {time.perf_counter() - start:.1f} s -> {out}")
    return 0


def _train(args: argparse.Namespace, overrides: Sequence[str]) -> int:
    config = load_config(args.config, overrides)
    import jax

    # Labels are generated in float64; models train in float32.
    jax.config.update("jax_enable_x64", True)
    from munsell_jax.lab.train import train_and_evaluate

    train_and_evaluate(config, args.workdir)
    return 0


def _tune(args: argparse.Namespace, overrides: Sequence[str]) -> int:
    config = load_config(args.config, overrides)
    import jax

    jax.config.update("jax_enable_x64", True)
    from munsell_jax.lab.tune import tune

    best = tune(config, args.workdir, trials=args.trials, seed=args.seed)
    print(
        f"{best['finished']} trials finished; best validation mean CIEDE2000 "
        f"{best['best_value']:.4f} (trial {best['best_trial']}): {best['best_params']}"
    )
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    import jax

    jax.config.update("jax_enable_x64", True)  # the exact engine judges in float64
    from munsell_jax.lab.evaluate import evaluate_run

    path = Path(args.path)
    if not (path / "config.json").exists():
        raise SystemExit(f"munsell-jax: {path} is not a run or model folder (no config.json)")
    metrics = evaluate_run(path, timing=not args.no_timing)
    print(json.dumps(metrics, indent=2))
    print(f"wrote {path / 'metrics.json'}")
    return 0


def _baselines(args: argparse.Namespace) -> int:
    import jax

    jax.config.update("jax_enable_x64", True)
    from munsell_jax.lab.baselines import evaluate_baselines

    evaluate_baselines(args.out, timing=not args.no_timing)
    return 0


def _report(args: argparse.Namespace) -> int:
    import jax

    jax.config.update("jax_enable_x64", True)
    from munsell_jax.lab.report import write_report

    for path in write_report(args.results):
        print(f"wrote {path}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from munsell_jax.hub import ENGINE
    from munsell_jax.lab.export import engine_parity, export, export_engine, parity

    if args.path in ("exact", ENGINE):
        if args.precision == "float32":
            raise SystemExit("munsell-jax: the exact engine exports in float64 only")
        out = export_engine(args.out)
        print(f"wrote {out}")
        print("parity with the JAX engine:", json.dumps(engine_parity(out)))
        return 0
    from munsell_jax.hub import model_folder

    try:
        path = model_folder(args.path)
    except FileNotFoundError as error:
        raise SystemExit(f"munsell-jax: {error}") from None
    if not (path / "config.json").exists():
        raise SystemExit(f"munsell-jax: {path} is not a run or model folder (no config.json)")
    out = export(path, out=args.out, precision=args.precision)
    print(f"wrote {out}")
    print("parity with JAX:", json.dumps(parity(path, onnx_file=out)))
    return 0


def _ship(args: argparse.Namespace) -> int:
    import jax

    jax.config.update("jax_enable_x64", True)
    from munsell_jax.lab.ship import ship

    folder = ship(args.run, args.name, results=args.results, precision=args.precision)
    metrics = json.loads((folder / "metrics.json").read_text())
    print(f"shipped {folder}: REAL mean CIEDE2000 {metrics['real']['delta_e_mean']:.3f}")
    return 0


def _record(args: argparse.Namespace) -> int:
    import jax

    jax.config.update("jax_enable_x64", True)
    from munsell_jax.lab.ship import record

    folder = record(args.run, args.name, results=args.results)
    metrics = json.loads((folder / "metrics.json").read_text())
    print(f"recorded {folder}: REAL mean CIEDE2000 {metrics['real']['delta_e_mean']:.3f}")
    return 0


def _architectures(args: argparse.Namespace) -> int:
    from munsell_jax.nn import architectures_table

    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    header = (
        "# Architectures\n\nEvery architecture built so far, with its trainable parameters "
        "and a forward pass checked on a batch.\nRegenerate with `munsell-jax architectures`.\n\n"
    )
    out.write_text(header + architectures_table())
    print(f"wrote {out}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="munsell-jax",
        description="Exact, differentiable CIE xyY <-> Munsell renotation in JAX.",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    convert = commands.add_parser(
        "convert",
        help="convert Munsell strings to xyY, or xyY triples to Munsell",
        description=(
            "Convert Munsell notations to CIE xyY (illuminant C, Y in [0, 1]) or xyY "
            "triples to Munsell specifications, exactly (colour-science's renotation). "
            "Direction is guessed from the input unless --to is given."
        ),
    )
    convert.add_argument(
        "values", nargs="*", help='Munsell strings ("5R 4/14", "N 5") or x y Y ...'
    )
    convert.add_argument("--to", choices=("xyY", "munsell"), help="target space")
    convert.add_argument(
        "--input",
        help="file: .npy/.csv of xyY rows (or of [hue, value, chroma, code] rows with --to xyY), "
        "or a text file of Munsell strings, one per line",
    )
    convert.add_argument("--output", help="write results to this .npy or .csv file")
    convert.add_argument("--quiet", action="store_true", help="no progress bar")
    convert.set_defaults(func=_convert)

    data = commands.add_parser(
        "data",
        help="generate (or load from DIR) a training data set with exact labels",
        description=(
            "Write data set NAME to DIR as .npz files of arrays xyY [N, 3] and "
            "specification [N, 4], with a JSON summary and a density plot beside each; "
            "a set already in DIR is loaded, not regenerated. NAME: grid, boundary, "
            "forward, perturbation, uniform, large (grid + boundary + forward, ~1.4M), "
            "real or all (reference sets)."
        ),
    )
    data.add_argument("name", help="data set name")
    data.add_argument("--out", required=True, help="data directory (the cache)")
    data.add_argument("--size", type=int, help="rows (large: total, split 5:7:2)")
    data.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    data.add_argument("--no-plot", action="store_true", help="skip the density plots")
    data.add_argument("--quiet", action="store_true", help="no progress bars")
    data.set_defaults(func=_data)

    train = commands.add_parser(
        "train",
        help="train a model from a config file (resumes from WORKDIR's checkpoint)",
        description="Train CONFIG in WORKDIR; override fields as --config.opt.learning_rate=1e-3.",
    )
    train.add_argument("config", help="config file, e.g. configs/smoke.py")
    train.add_argument("--workdir", required=True, help="run directory (checkpoints, metrics)")
    train.set_defaults(func=_train)

    tune_parser = commands.add_parser(
        "tune",
        help="Optuna search minimising validation Delta-E (SQLite, resumable)",
        description=(
            "Search learning rate, batch size, widths, dropout and loss weights for CONFIG, "
            "scoring each trial by the mean CIEDE2000 on validation rows; the study lives in "
            "WORKDIR/optuna.db and running the command again resumes it. Override fields of "
            "the base config as --config.opt.epochs=10."
        ),
    )
    tune_parser.add_argument("config", help="config file, e.g. configs/from_xyY/mlp_base.py")
    tune_parser.add_argument("--trials", type=int, default=20, help="finished trials wanted")
    tune_parser.add_argument("--workdir", required=True, help="study directory")
    tune_parser.add_argument("--seed", type=int, default=0, help="sampler seed")
    tune_parser.set_defaults(func=_tune)

    evaluate = commands.add_parser(
        "evaluate",
        help="evaluate a run or shipped model by the protocol; writes metrics.json beside it",
        description=(
            "Score the model in PATH (a training workdir or a results/<direction>/<name> "
            "folder) on the REAL colours and the generalisation set: CIEDE2000 through the "
            "exact engine, code accuracy, hue/value/chroma MAE, and ms per sample."
        ),
    )
    evaluate.add_argument("path", help="run directory or model folder")
    evaluate.add_argument("--no-timing", action="store_true", help="skip the timings")
    evaluate.set_defaults(func=_evaluate)

    baselines = commands.add_parser(
        "baselines",
        help="fit and evaluate the classical baselines (rbf, kdtree, delaunay), both directions",
        description="Writes OUT/<direction>/<rbf|kdtree|delaunay>/metrics.json by the protocol.",
    )
    baselines.add_argument("--out", default="results", help="results folder")
    baselines.add_argument("--no-timing", action="store_true", help="skip the timings")
    baselines.set_defaults(func=_baselines)

    export = commands.add_parser(
        "export",
        help="export a run or shipped model to PATH/model.onnx (jax2onnx) and check parity",
        description=(
            "Write PATH/model.onnx: raw inputs to raw outputs (normalisation and code argmax "
            "inside the graph), dynamic batch, conventions in the metadata; then compare "
            "onnxruntime with JAX on 10,000 inputs."
        ),
    )
    export.add_argument(
        "path", help="run directory or model folder; 'exact': the exact Munsell -> xyY engine"
    )
    export.add_argument("--out", default=None, help="the ONNX file (default PATH/model.onnx)")
    export.add_argument(
        "--precision",
        choices=("float32", "float64"),
        default=None,
        help=(
            "arithmetic inside the graph (I/O stays float32); default: the model's "
            "inference_precision (float32 unless set; float64 is 4-6x slower), float64 for "
            "the engine. Exporting PATH/model.onnx records it in PATH/config.json"
        ),
    )
    export.set_defaults(func=_export)

    ship_parser = commands.add_parser(
        "ship",
        help="put a finished run's inference parameters in the package "
        "(munsell_jax/models/<direction>/NAME), export ONNX, evaluate it, record it in results/",
    )
    ship_parser.add_argument("run", help="the run directory")
    ship_parser.add_argument("name", help="its name under <direction>/")
    ship_parser.add_argument("--results", default="results", help="results folder")
    ship_parser.add_argument(
        "--precision",
        choices=("float32", "float64"),
        default=None,
        help="inference arithmetic in JAX and ONNX (default: the run's inference_precision)",
    )
    ship_parser.set_defaults(func=_ship)

    record_parser = commands.add_parser(
        "record",
        help="evaluate a finished run and write its record (config, log, metrics; no weights) "
        "to results/<direction>/NAME",
    )
    record_parser.add_argument("run", help="the run directory")
    record_parser.add_argument("name", help="its name under results/<direction>/")
    record_parser.add_argument("--results", default="results", help="results folder")
    record_parser.set_defaults(func=_record)

    report = commands.add_parser(
        "report",
        help="regenerate results/README.md and results/report.html from committed metrics",
    )
    report.add_argument("--results", default="results", help="results folder")
    report.set_defaults(func=_report)

    architectures = commands.add_parser(
        "architectures", help="write the table of model architectures (results/architectures.md)"
    )
    architectures.add_argument("--out", default="results/architectures.md", help="output file")
    architectures.set_defaults(func=_architectures)

    demo = commands.add_parser("demo", help="the main job: conversions, Delta-E and timings")
    demo.add_argument(
        "--n-colour",
        type=int,
        default=20,
        help="colours colour-science converts for the timing comparison",
    )
    demo.set_defaults(func=_demo)
    return parser


# The extra that brings each package the lab imports (pyproject.toml).
EXTRAS = {
    "orbax": "train",
    "ml_collections": "train",
    "tqdm": "train",
    "scipy": "train",
    "onnxruntime": "onnx",
    "onnx": "export",
    "jax2onnx": "export",
    "optuna": "tune",
    "matplotlib": "plots",
    "skimage": "representations",
}


def main(argv: Sequence[str] | None = None) -> int:
    args, extra = _parser().parse_known_args(argv)
    if extra and args.func not in (_train, _tune):
        raise SystemExit(f"munsell-jax: unrecognised arguments: {' '.join(extra)}")
    try:
        return args.func(args, extra) if args.func in (_train, _tune) else args.func(args)
    except ModuleNotFoundError as error:
        missing = (error.name or "").split(".")[0]
        if missing not in EXTRAS:
            raise
        raise SystemExit(
            f"munsell-jax: this command needs {missing}: "
            f"pip install 'munsell_jax[{EXTRAS[missing]}]'"
        ) from error


if __name__ == "__main__":
    raise SystemExit(main())
