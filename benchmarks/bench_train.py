"""Training throughput (samples per second) of every architecture, with the training step
that ``munsell_jax.lab.train`` runs (each architecture's default config: its loss,
AdamW, clipping, plateau; split/merge under jit).

    .venv/bin/python benchmarks/bench_train.py [--batch 1024] [--steps 20] [--repeats 2]
        [--only "from_xyY/MLP (base)" ...] [--out results/benchmarks/train.md]

Random normalised batches on the default backend (CPU here, the GPU when
there is one): two warm-up steps (the first compiles), then the best of
``--repeats`` timed passes of ``--steps`` steps, blocking on each step.
``--only`` keeps the architectures whose ``direction/name`` contains one of
the strings given (the whole table by default). The table goes to stdout and,
in markdown, to ``--out`` (``-``: stdout only; with ``--only`` the default is
stdout only, so a partial table never replaces the committed one).
"""

from __future__ import annotations

import argparse
import shlex
import time

import jax
import jax.numpy as jnp
import numpy as np
from _output import RESULTS, SHARED_MACHINE, write_markdown
from flax import nnx
from jax.sharding import NamedSharding
from jax.sharding import PartitionSpec as P

from munsell_jax.encoding import get_encoding
from munsell_jax.lab.train import build, default_config, make_loss_fn, make_train_step
from munsell_jax.nn import ARCHITECTURES, count_parameters, io_features


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=1024)
    parser.add_argument("--steps", type=int, default=20, help="timed steps per pass")
    parser.add_argument("--repeats", type=int, default=2, help="timed passes; the best is kept")
    parser.add_argument(
        "--only", nargs="+", metavar="TEXT", help="architectures whose direction/name contains TEXT"
    )
    parser.add_argument(
        "--out",
        default=None,
        help="markdown file for the table ('-': stdout only; default "
        "results/benchmarks/train.md for the whole table, stdout only with --only)",
    )
    args = parser.parse_args()
    out = args.out or ("-" if args.only else str(RESULTS / "train.md"))
    started = time.perf_counter()

    mesh = jax.make_mesh(
        (jax.local_device_count(),), ("data",), axis_types=(jax.sharding.AxisType.Auto,)
    )
    split = NamedSharding(mesh, P("data"))
    lines = [
        "| direction | architecture | parameters | samples/s | ms per step |",
        "|---|---|---|---|---|",
    ]
    print(f"backend {jax.default_backend()}, {mesh.size} device(s), batch {args.batch}\n")
    print("\n".join(lines), flush=True)
    rng = np.random.default_rng(0)
    for (direction, name), arch in ARCHITECTURES.items():
        if args.only and not any(text in f"{direction}/{name}" for text in args.only):
            continue
        config = default_config(direction, name)
        config.opt.stage_epochs = ()  # time the whole model, every parameter trained
        trainable, optimizer, _ = build(config, steps_per_epoch=100)
        graphdef, state = nnx.split((trainable, optimizer))
        step = make_train_step(graphdef, split, make_loss_fn(config))
        # The batch holds raw xyY (from_xyY: the model's inputs layout is applied
        # inside the loss) or the specification in the config's inputs layout.
        n_in = 3 if direction == "from_xyY" else io_features(direction, inputs=config.inputs)[0]
        n_reg = get_encoding(arch.encoding).n_regression if direction == "from_xyY" else 3
        batch = (
            jnp.asarray(rng.random((args.batch, n_in)), jnp.float32),
            jnp.asarray(rng.random((args.batch, n_reg)), jnp.float32),
            jnp.asarray(rng.integers(0, 10, args.batch), jnp.int32),
            jnp.ones((args.batch,), jnp.float32),
            jnp.ones((args.batch,), jnp.float32),
        )
        for _ in range(2):
            state, _, loss = step(state, None, batch)
            loss.block_until_ready()
        best = float("inf")
        for _ in range(args.repeats):
            start = time.perf_counter()
            for _ in range(args.steps):
                state, _, loss = step(state, None, batch)
                loss.block_until_ready()
            best = min(best, time.perf_counter() - start)
        rate = args.steps * args.batch / best
        params = count_parameters(trainable.model)
        lines.append(
            f"| {direction} | {name} | {params:,} | {rate:,.0f} | {1e3 * best / args.steps:.1f} |"
        )
        print(lines[-1], flush=True)
    lines += ["", f"Whole run: {time.perf_counter() - started:.0f} s (compilation included)."]
    command = (
        f"python benchmarks/bench_train.py --batch {args.batch} --steps {args.steps} "
        f"--repeats {args.repeats}"
    )
    if args.only:
        command += " --only " + " ".join(shlex.quote(text) for text in args.only)
    notes = [
        "Training throughput: each architecture's default config (its loss, AdamW, clipping, "
        "plateau) and the training loop's own jitted step (`munsell_jax.lab.train`), every "
        f"parameter trained, random normalised batches of {args.batch:,}, float32, "
        f"{jax.default_backend()} backend, {mesh.size} device(s). Two warm-up steps (the first "
        f"compiles), then the best of {args.repeats} passes of {args.steps} steps, blocking on "
        "each step; samples/s = steps x batch / the best pass's seconds.",
        SHARED_MACHINE,
    ]
    text = write_markdown(out, "Training throughput per architecture", command, lines, notes=notes)
    if out != "-":
        print(f"\n{text}\nwrote {out}")


if __name__ == "__main__":
    main()
