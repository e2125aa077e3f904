"""The ``munsell-jax`` command line (``munsell-jax --help`` lists the commands).

Examples::

    munsell-jax convert "4.2YR 8.1/5.3" "N 5.2"
    munsell-jax convert 0.31 0.32 0.2 --to munsell
    munsell-jax convert --input colours.csv --to munsell --output specs.csv
    munsell-jax demo
"""

from __future__ import annotations

import argparse
import json
import linecache
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import numpy as np

from munsell_jax.lab.configs import load_config

__all__ = ["main"]

_CHUNK = 65_536  # rows per jitted call when converting files


def _enable_x64() -> None:
    import jax

    # Exact conversion is a float64 job; models are float32 and cast their inputs.
    jax.config.update("jax_enable_x64", True)
    # The inverse takes seconds to compile; keep compiled programs between calls.
    from munsell_jax.compilation import enable_compilation_cache

    enable_compilation_cache()


def _fail(command: str, message: str) -> NoReturn:
    """Stop with a one-line error on stderr and exit status 1."""
    raise SystemExit(f"munsell-jax {command}: error: {message}")


# Numbers in a row of the input, by direction (the target space).
_WIDTH = {"munsell": 3, "xyY": 4}
# The header convert writes above Munsell results; reading them back takes the first 4.
_SPEC_HEADER = ("hue", "value", "chroma", "code", "residual", "ok")


def _describe(width: int) -> str:
    names = {3: "x, y, Y", 4: "hue, value, chroma, code", 6: ", ".join(_SPEC_HEADER)}
    return f"{width} numbers [{names[width]}]"


def _read_input(path: Path, direction: str | None) -> tuple[str, np.ndarray, list[str | None]]:
    """Read ``--input``: the direction, the rows and their labels.

    Rows are ``[N, 3]`` xyY when the direction is ``"munsell"`` and ``[N, 4]``
    specifications when it is ``"xyY"``; a label is the Munsell notation a row was read
    from, or None for a row of numbers. ``direction`` None: guessed from the first row.
    """
    if path.is_dir():
        _fail("convert", f"{path} is a directory, not a file")
    if not path.exists():
        _fail("convert", f"{path}: no such file")
    if path.suffix == ".npy":
        return _read_npy(path, direction)
    try:
        text = path.read_text(encoding="utf-8-sig")  # -sig: a spreadsheet's byte-order mark
    except UnicodeDecodeError:
        text = "\0"
    except OSError as error:
        _fail("convert", f"{path}: {error.strerror or error}")
    if "\0" in text:
        _fail("convert", f"{path} is not a text file (expected .npy, or text: a colour a line)")
    return _read_text(str(path), text, direction)


def _read_npy(path: Path, direction: str | None) -> tuple[str, np.ndarray, list[str | None]]:
    try:
        array = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError) as error:
        _fail("convert", f"{path} is not a readable .npy file ({error})")
    if not isinstance(array, np.ndarray) or array.dtype.kind not in "biuf":
        kind = array.dtype if isinstance(array, np.ndarray) else "an .npz archive"
        _fail("convert", f"{path}: expected an array of numbers, got {kind}")
    widths = {3: "munsell", 4: "xyY", 6: "xyY"}  # 6: convert's own Munsell results
    if direction is None and array.ndim == 2:
        direction = widths.get(array.shape[1])
    if array.ndim != 2 or direction is None or widths.get(array.shape[1]) != direction:
        wanted = (
            "[N, 3] (xyY) or [N, 4] (hue, value, chroma, code)"
            if direction is None
            else f"[N, {_WIDTH[direction]}] (rows of {_describe(_WIDTH[direction])})"
        )
        _fail("convert", f"{path}: expected an array of shape {wanted}, got {array.shape}")
    rows = np.asarray(array[:, : _WIDTH[direction]], dtype=np.float64)
    return direction, rows, [None] * len(rows)


def _numbers(fields: Sequence[str]) -> list[float] | None:
    try:
        return [float(field) for field in fields]
    except ValueError:
        return None


def _is_notation(text: str) -> bool:
    from munsell_jax.notation import parse_munsell

    try:
        parse_munsell(text)
    except ValueError:
        return False
    return True


def _read_text(
    name: str, text: str, direction: str | None
) -> tuple[str, np.ndarray, list[str | None]]:
    """The rows of a text file, a colour a line (``convert --help`` says which)."""
    from munsell_jax.notation import parse_munsell

    rows: list[Sequence[float]] = []
    labels: list[str | None] = []
    columns = None  # numbers in a row of numbers: 3 or 4, or 6 under convert's own header
    first = True
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        where = f"{name} line {number}"
        separator = next((s for s in ";,\t" if s in line), None)  # None: whitespace
        fields = [field.strip() for field in line.split(separator)]
        values = _numbers(fields)
        if first:
            first = False
            if values is None and not any(c.isdigit() for c in line):  # a header
                if tuple(f.lower() for f in fields) == _SPEC_HEADER and direction != "munsell":
                    direction, columns = "xyY", len(_SPEC_HEADER)
                continue
        if values is not None:
            if direction is None:
                direction = {3: "munsell", 4: "xyY"}.get(len(values))
                if direction is None:
                    wanted = f"{_describe(3)} or {_describe(4)}"
                    _fail("convert", f"{where}: expected {wanted}, got {len(values)}")
            columns = columns or _WIDTH[direction]
            if len(values) != columns:
                _fail("convert", f"{where}: expected {_describe(columns)}, got {len(values)}")
            rows.append(values[: _WIDTH[direction]])
            labels.append(None)
        elif separator is None and direction != "munsell" and columns in (None, 4):
            try:
                rows.append(parse_munsell(line))
            except ValueError as error:
                _fail("convert", f"{where}: {error}")
            labels.append(line)
            direction = "xyY"
        elif separator is not None:
            bad = next(field for field in fields if _numbers([field]) is None)
            problem = f"{bad!r} is not a number" if bad else "an empty field"
            _fail("convert", f"{where}: {problem}")
        else:
            wanted = _describe(columns or _WIDTH[direction or "munsell"])
            hint = " (Munsell notations convert with --to xyY)" if _is_notation(line) else ""
            _fail("convert", f"{where}: expected {wanted}, got {line!r}{hint}")
    if direction is None:
        _fail("convert", f"{name} has no colours to tell the direction from: give --to")
    array = np.asarray(rows, dtype=np.float64).reshape(-1, _WIDTH[direction])
    return direction, array, labels


def _read_values(
    values: Sequence[str], direction: str | None
) -> tuple[str, np.ndarray, list[str | None]]:
    """The positional colours: Munsell notations, or numbers in threes (xyY) or, with
    ``--to xyY``, fours (specifications)."""
    from munsell_jax.notation import parse_munsell

    numbers = _numbers(values)
    if direction is None:
        direction = "munsell" if numbers is not None else "xyY"
    if direction == "munsell" and numbers is None:
        bad = next(value for value in values if _numbers([value]) is None)
        _fail("convert", f"--to munsell takes numbers (x y Y), got {bad!r}")
    if numbers is not None:
        width = _WIDTH[direction]
        if len(numbers) % width:
            _fail("convert", f"{len(numbers)} numbers make no whole colours of {_describe(width)}")
        return direction, np.asarray(numbers).reshape(-1, width), [None] * (len(numbers) // width)
    try:
        specs = np.stack([parse_munsell(value) for value in values])
    except ValueError as error:
        _fail("convert", str(error))
    return direction, specs, list(values)


def _check_output(path: Path) -> None:
    """Refuse an ``--output`` that cannot be written before converting anything."""
    parent = path.parent
    if path.is_dir():
        _fail("convert", f"--output {path} is a directory")
    if not parent.is_dir():
        _fail("convert", f"--output {path}: {parent} is not a directory")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        _fail("convert", f"--output {path}: permission denied")


def _chunked(function, array: np.ndarray, progress: bool) -> list:
    starts = range(0, len(array), _CHUNK)
    if progress and len(starts) > 1:
        from tqdm.auto import tqdm

        starts = tqdm(starts, desc="converting", unit="chunk")
    return [function(array[start : start + _CHUNK]) for start in starts]


def _convert(args: argparse.Namespace) -> int:
    if args.input is not None and args.values:
        _fail("convert", "give colours or --input FILE, not both")
    if args.input is None and not args.values:
        _fail("convert", "give colours or --input FILE (see munsell-jax convert --help)")
    output = Path(args.output) if args.output else None
    if output is not None:
        _check_output(output)
    _enable_x64()
    if args.input is not None:
        direction, rows, labels = _read_input(Path(args.input), args.to)
    else:
        direction, rows, labels = _read_values(args.values, args.to)

    from munsell_jax.inverse import xyY_to_munsell
    from munsell_jax.notation import format_munsell
    from munsell_jax.renotation import munsell_to_xyY

    progress = not args.quiet
    if direction == "xyY":
        specs = rows
        outputs = [np.asarray(o) for o in _chunked(munsell_to_xyY, specs, progress)]
        out = np.concatenate(outputs) if outputs else np.zeros((0, 3))
        if output is not None:
            _write(output, out, "x,y,Y")
        else:
            for label, spec, row in zip(labels, specs, out, strict=True):
                label = label or _format(format_munsell, spec)
                print(f"{label:>16}  x={row[0]:.6f} y={row[1]:.6f} Y={row[2]:.6f}")
        invalid = int(np.isnan(out[:, 0]).sum())
        if invalid:
            print(
                f"{invalid} specification(s) lie outside the renotation data (NaN)", file=sys.stderr
            )
        return 0

    xyY = rows
    results = _chunked(xyY_to_munsell, xyY, progress)
    spec = np.concatenate([np.asarray(r.specification) for r in results] or [np.zeros((0, 4))])
    residual = np.concatenate([np.asarray(r.residual) for r in results] or [np.zeros(0)])
    ok = np.concatenate([np.asarray(r.ok) for r in results] or [np.zeros(0, bool)])
    if output is not None:
        table = np.column_stack([spec, residual, ok])
        _write(output, table, ",".join(_SPEC_HEADER))
    else:
        for row, s, r, good in zip(xyY, spec, residual, ok, strict=True):
            name = (
                _format(format_munsell, s, hue_decimals=3, value_decimals=3, chroma_decimals=3)
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


def _format(format_munsell, spec: np.ndarray, **decimals: int) -> str:
    """The Munsell notation of ``spec``, or its numbers when it is no valid specification."""
    try:
        return format_munsell(spec, **decimals)
    except ValueError:
        return "[" + ", ".join(f"{v:g}" for v in spec) + "]"


def _write(path: Path, array: np.ndarray, header: str) -> None:
    try:
        if path.suffix == ".npy":
            np.save(path, array)
        else:
            np.savetxt(path, array, delimiter=",", header=header, comments="")
    except OSError as error:
        _fail("convert", f"--output {path}: {error.strerror or error}")
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


_MISSING = object()


def _field(config, dotted: str):
    """``config.a.b`` for ``dotted`` "a.b", or ``_MISSING``."""
    node = config
    for part in dotted.split("."):
        try:
            node = node[part]
        except (KeyError, TypeError, AttributeError):
            return _MISSING
    return node


def _deliberate(error: BaseException, *files: Path) -> bool:
    """Whether ``error`` comes from a ``raise`` statement of munsell_jax (or of ``files``):
    an error with a message for the user, not a bug surfacing from deeper down, whose
    traceback is kept."""
    tb = error.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    filename = Path(tb.tb_frame.f_code.co_filename).resolve()
    package = Path(__file__).resolve().parents[1]
    if not (filename.is_relative_to(package) or filename in [f.resolve() for f in files]):
        return False
    return linecache.getline(str(filename), tb.tb_lineno).lstrip().startswith("raise ")


def _config(command: str, spec: str, overrides: Sequence[str]):
    """``load_config(spec, overrides)``, with a one-line error for a missing or broken
    config file, a variant it refuses, or an override it cannot take."""
    path = Path(spec.partition(":")[0])

    def load(overrides: Sequence[str]):
        try:
            return load_config(spec, overrides)
        except SystemExit as error:  # load_config's own one-line errors
            _fail(command, str(error.code).removeprefix("munsell-jax: "))
        except SyntaxError as error:
            where = Path(error.filename or path)
            where = path if where.resolve() == path.resolve() else where  # as given
            _fail(command, f"{where} line {error.lineno}: {error.msg}")
        except AttributeError as error:
            if error.name != "get_config":
                raise
            _fail(command, f"{path} defines no get_config()")
        except ValueError as error:
            if not overrides and _deliberate(error, path):  # e.g. an unknown variant
                _fail(command, f"{spec}: {error}")
            raise

    base = load([])
    for override in overrides:
        try:
            load([override])
        except (ValueError, TypeError):
            field, _, text = override.removeprefix("--config.").partition("=")
            default = _field(base, field)
            if default is _MISSING:
                _fail(command, f"no config field {field!r}")
            hint = f" (a string goes in quotes: '\"{text}\"')" if isinstance(default, str) else ""
            kind = type(default).__name__
            kind = f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"
            _fail(command, f"{override}: config.{field} takes {kind}, not {text!r}{hint}")
    return load(overrides)


def _workdir(command: str, workdir: str) -> Path:
    """``workdir``, created if need be; a one-line error when it cannot be."""
    path = Path(workdir)
    if path.exists() and not path.is_dir():
        _fail(command, f"--workdir {path} is a file, not a directory")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        _fail(command, f"--workdir {path}: {error.strerror or error}")
    return path


def _train(args: argparse.Namespace, overrides: Sequence[str]) -> int:
    config = _config("train", args.config, overrides)
    import jax

    # Labels are generated in float64; models train in float32.
    jax.config.update("jax_enable_x64", True)
    from munsell_jax.lab.train import train_and_evaluate, validate

    try:
        validate(config)
    except (ValueError, TypeError) as error:  # TypeError: e.g. a None where a number goes
        _fail("train", f"invalid config: {error}")
    workdir = _workdir("train", args.workdir)
    try:
        train_and_evaluate(config, workdir)
    except Exception as error:
        # A workdir holding another config's run or in use by another process, a loss
        # that became NaN, ...: one line. Anything else keeps its traceback.
        if not _deliberate(error):
            raise
        _fail("train", str(error))
    return 0


def _tune(args: argparse.Namespace, overrides: Sequence[str]) -> int:
    config = _config("tune", args.config, overrides)
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
    from munsell_jax.hub import SHIPPED, model_folder
    from munsell_jax.lab.evaluate import evaluate_run

    path = model_folder(args.path) if args.path in SHIPPED else Path(args.path)
    if not (path / "config.json").exists():
        raise SystemExit(f"munsell-jax: {path} is not a run or model folder (no config.json)")
    out = Path(args.out) if args.out else path
    metrics = evaluate_run(path, timing=not args.no_timing, out=out)
    print(json.dumps(metrics, indent=2))
    print(f"wrote {out / 'metrics.json'}")
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
    from munsell_jax.hub import ENGINE, INVERSE
    from munsell_jax.lab.export import engine_parity, export, export_engine, parity

    if args.path in ("exact-inverse", INVERSE):
        from munsell_jax.lab.export import export_inverse, inverse_parity, write_inverse_metrics

        if args.precision == "float32":
            raise SystemExit("munsell-jax: the exact inverse exports in float64 only")
        import jax

        jax.config.update("jax_enable_x64", True)  # the evaluation sets are float64
        out = export_inverse(args.out)
        print(f"wrote {out}")
        print("parity with JAX:", json.dumps(inverse_parity(out)))
        if args.out is None:
            print(f"wrote {write_inverse_metrics(out)}")
        return 0
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
        help="convert Munsell colours to xyY, or xyY to Munsell, exactly",
        description=(
            "Convert Munsell colours to CIE xyY (illuminant C, Y in [0, 1]) or xyY to "
            "Munsell specifications, exactly (colour-science's renotation). A Munsell colour "
            "is a notation ('5R 4/14', 'N 5') or 4 numbers [hue, value, chroma, code]; an "
            "xyY colour is 3 numbers [x, y, Y]. Without --to, the direction follows the "
            "input: numbers in threes (or rows of 3) go to Munsell; notations, and rows of 4 "
            "numbers, go to xyY."
        ),
        epilog=(
            "--input FILE: a .npy array [N, 3] of xyY or [N, 4] of specifications, or a text "
            "file with a colour a line: 3 or 4 numbers separated by commas, semicolons, tabs "
            "or spaces, or a Munsell notation. Blank lines and text after '#' are skipped, "
            "and so is a first line without digits (a header such as 'x,y,Y'). convert reads "
            "its own --output back: of its Munsell results (.npy, or CSV under the header "
            "hue,value,chroma,code,residual,ok) it takes the first 4 columns. A file without "
            "colours gives an empty output (a text one needs --to). A bad input is a "
            "one-line error naming the file and line; exit status 1."
        ),
    )
    convert.add_argument(
        "values",
        nargs="*",
        help="Munsell notations ('5R 4/14', 'N 5'), or numbers: x y Y in threes "
        "(with --to xyY: hue value chroma code in fours)",
    )
    convert.add_argument(
        "--to",
        choices=("xyY", "munsell"),
        help="the target space (default: guessed from the input, as above)",
    )
    convert.add_argument(
        "--input",
        metavar="FILE",
        help="read the colours from FILE (below) instead of the command line",
    )
    convert.add_argument(
        "--output",
        metavar="FILE",
        help="write the results to FILE: .npy, or else CSV with a header line "
        "(x,y,Y, or hue,value,chroma,code,residual,ok); default: print them",
    )
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
        description=(
            "Train CONFIG in WORKDIR; override fields as --config.opt.learning_rate=1e-3 "
            "(a Python literal, or else a string). A missing or broken config, an override of "
            "the wrong type, an invalid setting or an unusable WORKDIR is a one-line error."
        ),
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
            "Score the model in PATH (a training workdir, a model folder or a shipped "
            "model's name) on the REAL colours and the generalisation set: CIEDE2000 through the "
            "exact engine, code accuracy, hue/value/chroma MAE, and ms per sample."
        ),
    )
    evaluate.add_argument("path", help="run directory or model folder")
    evaluate.add_argument("--no-timing", action="store_true", help="skip the timings")
    evaluate.add_argument(
        "--out",
        help="folder for metrics.json and evaluation.npz (default PATH; a shipped model's "
        "record is results/<direction>/<name>, whose training figures are kept)",
    )
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
        "path",
        help=(
            "run directory or model folder; 'exact': the exact Munsell -> xyY engine; "
            "'exact-inverse': the exact xyY -> Munsell inverse (several minutes)"
        ),
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
