"""GPU check: training throughput, the exact engine both ways, and a short Delta-E run.

    python benchmarks/gpu.py [--out results/benchmarks/gpu.md] [--budget 420] [--quick]
    bash benchmarks/gpu.sh          # on the GPU machine: finds or installs JAX, then this

Three sections, each a markdown table in ``--out`` (rewritten after every
section, so a run cut short still leaves what it measured):

1. **Training**: one epoch of three ``configs/from_xyY`` models (small, medium,
   large by parameter count) with the training step ``munsell_jax.lab.train``
   runs (``build``, ``make_loss_fn``, ``make_train_step``, as
   ``benchmarks/bench_train.py``): random normalised batches of the config's
   size, device-resident and shuffled per epoch by ``data.epoch_batches`` as the
   real loop does, one host fetch at the end. Compile time (ahead-of-time
   ``lower().compile()``) is reported apart from the epoch.
2. **Exact engine**: ``munsell_to_xyY`` and ``xyY_to_munsell`` jitted, on the 2,734
   REAL colours tiled to each batch size, float32 (x64 off) and float64 (x64 on),
   timed as ``benchmarks/bench_renotation.py`` does (``lab.timing.time_jax``:
   best of several calls after warm-up); compile time apart.
3. **Delta-E round trip**: ``configs/from_xyY/experiments/delta_e.py:delta_e_exact``
   (CIEDE2000 through the exact engine alone; trained from scratch here, the
   config's ``init_from`` run being absent) for a few hundred steps.

A total time budget (``--budget`` seconds, default 7 minutes) is checked before
each measurement; past it the rest is skipped with a note and the report is
still written. ``--quick`` runs everything at tiny sizes (about a minute or
two on a CPU) to check the script without a GPU.
"""

from __future__ import annotations

import argparse
import datetime
import math
import platform
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx
from jax.sharding import NamedSharding
from jax.sharding import PartitionSpec as P

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run from a checkout without `pip install -e .`
    sys.path.insert(0, str(ROOT))

from munsell_jax import encoding as encoding_lib  # noqa: E402
from munsell_jax import from_colour_specification, munsell_to_xyY, xyY_to_munsell  # noqa: E402
from munsell_jax.lab import data as data_lib  # noqa: E402
from munsell_jax.lab import objectives  # noqa: E402
from munsell_jax.lab.configs import load_config  # noqa: E402
from munsell_jax.lab.demo import real_colours  # noqa: E402
from munsell_jax.lab.provenance import git_commit  # noqa: E402
from munsell_jax.lab.timing import time_jax  # noqa: E402
from munsell_jax.lab.train import build, make_loss_fn, make_train_step  # noqa: E402
from munsell_jax.nn import count_parameters, io_features  # noqa: E402
from munsell_jax.renotation import maximum_chroma  # noqa: E402

# Donation is a no-op on CPU (the --quick run); the warning says only that.
warnings.filterwarnings("ignore", message="Some donated buffers were not usable")

TRAIN_CONFIGS = (  # (size, config): small, medium, large by parameter count
    ("small", "configs/from_xyY/mlp_base.py"),  # MLP (base), 68K parameters
    ("medium", "configs/from_xyY/transformer_large.py"),  # FT-Transformer, 0.80M
    ("large", "configs/from_xyY/multi_mlp.py"),  # Multi-MLP, 2.3M
)
DELTA_E_CONFIG = "configs/from_xyY/experiments/delta_e.py:delta_e_exact"


@dataclass(frozen=True)
class Sizes:
    """How big each section runs."""

    train_rows: int | None  # rows of the epoch; None: the config's training rows
    engine_batches: tuple[int, ...]
    engine_repeats: int
    delta_e_steps: int
    delta_e_rows: int  # forward-sampler rows the Delta-E run cycles over


FULL = Sizes(None, (2_734, 65_536, 1_048_576), 5, 300, 65_536)
QUICK = Sizes(4_096, (2_734,), 2, 20, 4_096)


class Budget:
    """Wall-clock budget of the whole run, checked before each measurement."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.start = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def over(self) -> bool:
        return self.elapsed() > self.seconds


class Report:
    """The markdown report: a header and sections, the file rewritten whenever a
    row or note is added (a run killed part-way leaves every row it measured)."""

    def __init__(self, path: Path, header: list[str]) -> None:
        self.path = path
        self.header = header
        self.sections: list[Section] = []

    def section(self, title: str, intro: str, columns: tuple[str, ...]) -> Section:
        section = Section(self, title, intro, columns)
        self.sections.append(section)
        return section

    def text(self) -> str:
        body = [line for section in self.sections for line in ["", *section.lines()]]
        return "\n".join(self.header + body) + "\n"

    def write(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(self.text())


@dataclass
class Section:
    """One section of the report: a title, a paragraph, a table and notes."""

    report: Report
    title: str
    intro: str
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def row(self, *cells: str) -> None:
        self.rows.append(cells)
        print("| " + " | ".join(cells) + " |", flush=True)
        self.report.write()

    def note(self, text: str) -> None:
        self.notes.append(f"- {text}")
        print(f"- {text}", flush=True)
        self.report.write()

    def skipped(self, budget: Budget, what: str) -> None:
        spent = f"{budget.elapsed():.0f} s of {budget.seconds:.0f} s"
        self.note(f"skipped past the time budget ({spent}): {what}")

    def failed(self, what: str, error: BaseException) -> None:
        traceback.print_exc()
        message = " ".join(str(error).split())[:300]
        self.note(f"**failed**: {what}: `{type(error).__name__}: {message}`")

    def lines(self) -> list[str]:
        table = ["| " + " | ".join(self.columns) + " |", "|" + "---|" * len(self.columns)]
        table += ["| " + " | ".join(row) + " |" for row in self.rows]
        if not self.rows:
            table += ["| " + " | ".join("-" for _ in self.columns) + " |"]
        return [f"## {self.title}", "", self.intro, "", *table] + (
            ["", *self.notes] if self.notes else []
        )


def set_x64(enabled: bool) -> None:
    jax.config.update("jax_enable_x64", enabled)


def provenance(args: argparse.Namespace, sizes: Sizes) -> list[str]:
    device = jax.devices()[0]
    import jaxlib

    commit = git_commit() or "unknown (not a git checkout)"
    mode = "quick (tiny sizes: a smoke run, not a measurement)" if args.quick else "full"
    return [
        "# GPU check",
        "",
        "Written by `benchmarks/gpu.py` (run on the GPU machine by `bash benchmarks/gpu.sh`).",
        "",
        f"- device: {device.device_kind} ({device.platform}, "
        f"{jax.device_count()} device(s)); host {platform.machine()}, "
        f"Python {platform.python_version()}",
        f"- jax {jax.__version__}, jaxlib {jaxlib.__version__}",
        f"- commit: `{commit}`",
        f"- date: {datetime.datetime.now(datetime.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- mode: {mode}; time budget {args.budget:.0f} s",
        f"- engine batches: {', '.join(f'{n:,}' for n in sizes.engine_batches)}; "
        f"Delta-E steps: {sizes.delta_e_steps}",
    ]


# --- 1. training throughput ------------------------------------------------------------------


def train_batches(config, rows: int, seed: int = 0) -> tuple[jax.Array, ...]:
    """Random ``(x, targets, code labels, row weights, max chroma / 50)`` of ``rows``
    rows with the shapes ``config``'s loss reads (``benchmarks/bench_train.py``'s
    random batches; xyY in a plausible range rather than the unit cube)."""
    rng = np.random.default_rng(seed)
    enc = encoding_lib.output_encoding(config)
    if config.direction == "from_xyY":  # the loss applies config.inputs to raw xyY
        x = np.stack(
            [rng.uniform(0.2, 0.5, rows), rng.uniform(0.2, 0.5, rows), rng.uniform(0.01, 1, rows)],
            axis=1,
        )
        n_targets = enc.n_regression
    else:
        layout = encoding_lib.input_layout(config)
        x = rng.random((rows, io_features(config.direction, inputs=layout)[0]))
        n_targets = 3
    return (
        jnp.asarray(x, jnp.float32),
        jnp.asarray(rng.random((rows, n_targets)), jnp.float32),
        jnp.asarray(rng.integers(0, 10, rows), jnp.int32),
        jnp.ones((rows,), jnp.float32),
        jnp.ones((rows,), jnp.float32),
    )


@dataclass
class Run:
    """A training run set up as ``munsell_jax.lab.train`` sets one up."""

    config: Any
    params: int
    state: Any
    step: Callable
    arrays: tuple[jax.Array, ...]


def setup_run(config, arrays: tuple[jax.Array, ...]) -> Run:
    """Model, optimiser and jitted step of ``config`` on a mesh of the local
    devices, the state and ``arrays`` replicated (``train._train``)."""
    config.opt.stage_epochs = ()  # time the whole model, every parameter trained
    mesh = jax.make_mesh(
        (jax.local_device_count(),), ("data",), axis_types=(jax.sharding.AxisType.Auto,)
    )
    replicated, split = NamedSharding(mesh, P()), NamedSharding(mesh, P("data"))
    steps_per_epoch = max(len(arrays[0]) // config.opt.batch_size, 1)
    trainable, optimizer, wrt = build(config, steps_per_epoch)
    trainable.model.train()
    graphdef, state = nnx.split((trainable, optimizer))
    step = make_train_step(graphdef, split, make_loss_fn(config), wrt=wrt)
    params = count_parameters(trainable.model)
    state, arrays = jax.device_put((state, arrays), replicated)
    return Run(config, params, state, step, arrays)


def compile_step(run: Run, batch) -> tuple[Callable, float]:
    """The step compiled ahead of time for ``batch``'s shapes, and the seconds it took."""
    start = time.perf_counter()
    compiled = run.step.lower(run.state, None, batch).compile()
    return compiled, time.perf_counter() - start


TRAINING_INTRO = (
    "The training step of `munsell_jax.lab.train` (`build`, `make_loss_fn`, `make_train_step`, "
    "as `benchmarks/bench_train.py`) on random batches of each config's batch size, "
    "device-resident and shuffled per epoch by `data.epoch_batches` as the real loop does, "
    "not blocking between steps (one host fetch per epoch). An epoch is the config's training "
    "rows (data size less the validation share), or fewer with `--quick`. Compile: "
    "ahead-of-time `lower().compile()` of the step; the epoch is timed after two warm-up steps."
)
TRAINING_COLUMNS = (
    "size",
    "config (architecture)",
    "parameters",
    "batch",
    "steps",
    "compile (s)",
    "epoch (s)",
    "steps/s",
    "samples/s",
    "loss finite",
)


def bench_training(section: Section, sizes: Sizes, budget: Budget) -> None:
    for size, path in TRAIN_CONFIGS:
        if budget.over():
            section.skipped(budget, f"training {size} (`{path}`)")
            continue
        try:
            config = load_config(str(ROOT / path), [])
            batch_size = config.opt.batch_size
            n = sizes.train_rows or int(config.data.size * (1 - config.data.validation_fraction))
            run = setup_run(config, train_batches(config, n))
            key = jax.random.key(0)
            batch = next(data_lib.epoch_batches(key, run.arrays, batch_size))
            compiled, compile_s = compile_step(run, batch)
            state = run.state
            for _ in range(2):  # warm-up, as bench_train.py
                state, _, loss = compiled(state, None, batch)
                loss.block_until_ready()
            start = time.perf_counter()
            losses = []
            for batch in data_lib.epoch_batches(jax.random.fold_in(key, 1), run.arrays, batch_size):
                state, _, loss = compiled(state, None, batch)
                losses.append(loss)
            mean_loss = float(jnp.mean(jnp.stack(losses)))  # one host fetch per epoch
            seconds = time.perf_counter() - start
            steps = len(losses)
            section.row(
                size,
                f"`{path.removeprefix('configs/')}` ({config.architecture})",
                f"{run.params:,}",
                f"{batch_size:,}",
                f"{steps:,}",
                f"{compile_s:.1f}",
                f"{seconds:.2f}",
                f"{steps / seconds:,.1f}",
                f"{steps * batch_size / seconds:,.0f}",
                "yes" if math.isfinite(mean_loss) else "**no**",
            )
            del run, state, batch, losses
        except Exception as error:  # report it and go on to the next
            section.failed(f"training {size} (`{path}`)", error)


# --- 2. the exact engine ---------------------------------------------------------------------

ENGINE_INTRO = (
    "`munsell_to_xyY` (Munsell -> xyY) and `xyY_to_munsell` (xyY -> Munsell, Newton solve), "
    "jitted, on the 2,734 REAL colours tiled to each batch (for the forward, the "
    "specifications they are named by), on the device. Compile: `lower().compile()`; "
    "call and colours/s: the best of several calls after a warm-up (`lab.timing.time_jax`, as "
    "`benchmarks/bench_renotation.py`). float32 runs with x64 off, float64 with x64 on; "
    "'solved' is the share of rows the inverse reports exact (`ok`; 6 REAL colours have no "
    "exact answer)."
)
ENGINE_COLUMNS = (
    "direction",
    "dtype",
    "output dtype",
    "batch",
    "compile (s)",
    "call (ms)",
    "colours/s",
    "solved",
)


def real_specifications() -> np.ndarray:
    """The specifications the 2,734 REAL colours are named by (float64; no inverse
    solve, whose compile the engine rows time anyway)."""
    from colour.notation.datasets.munsell import MUNSELL_COLOURS_REAL

    names = data_lib.nominal_specifications(MUNSELL_COLOURS_REAL)
    return from_colour_specification(np.asarray(names, dtype=np.float64))


def bench_engine(section: Section, sizes: Sizes, budget: Budget) -> None:
    if budget.over():
        section.skipped(budget, "the exact engine")
        return
    try:
        _, xyY = real_colours()
        spec = real_specifications()
    except Exception as error:
        section.failed("REAL colours and their specifications", error)
        return
    forward = jax.jit(munsell_to_xyY)
    inverse = jax.jit(lambda a: xyY_to_munsell(a))
    try:
        for dtype in ("float32", "float64"):
            set_x64(dtype == "float64")
            for name, function, source in (
                ("Munsell -> xyY", forward, spec),
                ("xyY -> Munsell", inverse, xyY),
            ):
                for n in sizes.engine_batches:
                    what = f"{name}, {dtype}, batch {n:,}"
                    if budget.over():
                        section.skipped(budget, what)
                        continue
                    try:
                        rows = np.resize(source, (n, source.shape[1])).astype(dtype)
                        inputs = jax.device_put(rows)
                        start = time.perf_counter()
                        compiled = function.lower(inputs).compile()
                        compile_s = time.perf_counter() - start
                        per_row = time_jax(compiled, inputs, repeats=sizes.engine_repeats)
                        out = compiled(inputs)
                        inverse_out = name == "xyY -> Munsell"
                        result = out.specification if inverse_out else out
                        solved = f"{float(np.mean(np.asarray(out.ok))):.2%}" if inverse_out else "-"
                        section.row(
                            name,
                            dtype,
                            str(result.dtype),
                            f"{n:,}",
                            f"{compile_s:.1f}",
                            f"{per_row * n * 1e3:,.2f}",
                            f"{1 / per_row:,.0f}",
                            solved,
                        )
                        del inputs, out, result, compiled
                    except Exception as error:
                        section.failed(what, error)
    finally:
        set_x64(False)


# --- 3. Delta-E round-trip training ----------------------------------------------------------

DELTA_E_INTRO = (
    f"`{DELTA_E_CONFIG.removeprefix('configs/')}`: the round-trip CIEDE2000 through the exact "
    "engine alone (`loss.delta_e_weight` 1, regression weights 0, learning rate 3e-4), from "
    "scratch (`init_from` cleared: the run it fine-tunes is not here), x64 on as "
    "`munsell-jax train` runs, on colours of the `forward` sampler (the round trip reads only "
    "the input xyY), shuffled per epoch as the real loop does. Loss: the batch's mean "
    "CIEDE2000. Data: generating the colours (compile included); train: the steps after the "
    "step's compile, with one host fetch at the end."
)
DELTA_E_COLUMNS = (
    "parameters",
    "batch",
    "steps",
    "data (s)",
    "compile (s)",
    "train (s)",
    "steps/s",
    "samples/s",
    "loss step 1",
    "first 10 mean",
    "last 10 mean",
    "all finite",
)


def delta_e_arrays(config, dataset: data_lib.Dataset) -> tuple[jax.Array, ...]:
    """The training arrays of an xyY -> Munsell data set, as ``munsell_jax.lab.train``
    makes them: ``(xyY, targets, code labels, row weights, maximum chroma / 50)``."""
    spec = dataset.specification
    targets, labels = encoding_lib.encode(encoding_lib.output_encoding(config), spec)
    weights = objectives.boundary_weights(spec, factor=config.loss.boundary_weight)
    cmax = np.asarray(maximum_chroma(spec[:, [0, 1, 3]])) / 50
    columns = (dataset.xyY, targets, labels, weights, cmax)
    dtypes = (jnp.float32, jnp.float32, jnp.int32, jnp.float32, jnp.float32)
    return tuple(jnp.asarray(np.asarray(a), d) for a, d in zip(columns, dtypes, strict=True))


def bench_delta_e(section: Section, sizes: Sizes, budget: Budget) -> None:
    if budget.over():
        section.skipped(budget, "Delta-E round-trip training")
        return
    try:
        set_x64(True)  # data generation needs it; the CLI trains with it on
        config = load_config(str(ROOT / DELTA_E_CONFIG), [])  # "path:variant"
        config.init_from = ""
        start = time.perf_counter()
        dataset = data_lib.generate("forward", jax.random.key(0), sizes.delta_e_rows)
        data_s = time.perf_counter() - start
        run = setup_run(config, delta_e_arrays(config, dataset))
        batch_size = config.opt.batch_size
        key = jax.random.key(config.seed)
        batch = next(data_lib.epoch_batches(key, run.arrays, batch_size))
        compiled, compile_s = compile_step(run, batch)
        state, losses, epoch = run.state, [], 0
        start = time.perf_counter()
        while len(losses) < sizes.delta_e_steps and not budget.over():
            for batch in data_lib.epoch_batches(
                jax.random.fold_in(key, epoch), run.arrays, batch_size
            ):
                state, _, loss = compiled(state, None, batch)
                losses.append(loss)
                if len(losses) >= sizes.delta_e_steps:
                    break
            epoch += 1
        values = np.asarray(jnp.stack(losses))  # one host fetch
        seconds = time.perf_counter() - start
        if len(values) < sizes.delta_e_steps:
            section.skipped(budget, f"Delta-E steps after {len(values)}")
        k = min(10, len(values))
        section.row(
            f"{run.params:,}",
            f"{batch_size:,}",
            f"{len(values):,}",
            f"{data_s:.1f}",
            f"{compile_s:.1f}",
            f"{seconds:.2f}",
            f"{len(values) / seconds:,.1f}",
            f"{len(values) * batch_size / seconds:,.0f}",
            f"{values[0]:.3f}",
            f"{values[:k].mean():.3f}",
            f"{values[-k:].mean():.3f}",
            "yes" if np.all(np.isfinite(values)) else "**no**",
        )
    except Exception as error:
        section.failed("Delta-E round-trip training", error)
    finally:
        set_x64(False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "benchmarks" / "gpu.md")
    parser.add_argument(
        "--budget", type=float, default=420.0, help="seconds; what is left past it is skipped"
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a CPU smoke run")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    budget = Budget(args.budget)
    report = Report(args.out, provenance(args, sizes))
    training = report.section("Training: one epoch", TRAINING_INTRO, TRAINING_COLUMNS)
    engine = report.section("Exact engine", ENGINE_INTRO, ENGINE_COLUMNS)
    delta_e = report.section("Delta-E round-trip training", DELTA_E_INTRO, DELTA_E_COLUMNS)
    report.write()
    # Shown in that order, run in this one: the engine last, since its twelve compiles
    # (seconds each) are what the budget may cut, a row at a time.
    for run, section in (
        (bench_training, training),
        (bench_delta_e, delta_e),
        (bench_engine, engine),
    ):
        print(f"[{budget.elapsed():6.1f} s] {section.title}", flush=True)
        run(section, sizes, budget)
    report.header.append(f"- wall time: {budget.elapsed():.0f} s (after imports)")
    report.write()
    print(report.text())
    print(f"wrote {args.out} in {budget.elapsed():.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
