"""Training throughput (samples per second) of every architecture, with the training step
that ``munsell_jax.lab.train`` runs (each architecture's default config: its loss,
AdamW, clipping, plateau; split/merge under jit).

    .venv/bin/python benchmarks/bench_train.py [--batch 1024] [--steps 20]

Random normalised batches on the default backend (CPU here, the GPU when
there is one), timed after two warm-up steps, blocking on each step.
"""

from __future__ import annotations

import argparse
import time

import jax
import jax.numpy as jnp
import numpy as np
from flax import nnx
from jax.sharding import NamedSharding
from jax.sharding import PartitionSpec as P

from munsell_jax.encoding import get_encoding
from munsell_jax.lab.train import build, default_config, make_loss_fn, make_train_step
from munsell_jax.nn import ARCHITECTURES, count_parameters, io_features


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=1024)
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args()

    mesh = jax.make_mesh(
        (jax.local_device_count(),), ("data",), axis_types=(jax.sharding.AxisType.Auto,)
    )
    split = NamedSharding(mesh, P("data"))
    print(f"backend {jax.default_backend()}, {mesh.size} device(s), batch {args.batch}\n")
    print("| direction | architecture | parameters | samples/s |")
    print("|---|---|---|---|")
    rng = np.random.default_rng(0)
    for (direction, name), arch in ARCHITECTURES.items():
        config = default_config(direction, name)
        config.opt.stage_epochs = ()  # time the whole model, every parameter trained
        trainable, optimizer, _ = build(config, steps_per_epoch=100)
        graphdef, state = nnx.split((trainable, optimizer))
        step = make_train_step(graphdef, split, make_loss_fn(config))
        n_in, _ = io_features(direction, arch.encoding)
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
        start = time.perf_counter()
        for _ in range(args.steps):
            state, _, loss = step(state, None, batch)
            loss.block_until_ready()
        rate = args.steps * args.batch / (time.perf_counter() - start)
        params = count_parameters(trainable.model)
        print(f"| {direction} | {name} | {params:,} | {rate:,.0f} |")


if __name__ == "__main__":
    main()
