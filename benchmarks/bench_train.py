"""Training throughput (samples per second) of every architecture, with the training step
that ``munsell_jax.train`` runs (AdamW, clipping, plateau; split/merge under jit).

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
import optax
from flax import nnx
from jax.sharding import NamedSharding
from jax.sharding import PartitionSpec as P

from munsell_jax.nn import ARCHITECTURES, count_parameters, get_model
from munsell_jax.train import make_train_step


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
    for (direction, name), (family, kwargs) in ARCHITECTURES.items():
        n_in, n_out = (3, 4) if direction == "from_xyY" else (4, 3)
        model = get_model(family, in_features=n_in, out_features=n_out, rngs=nnx.Rngs(0), **kwargs)
        tx = optax.chain(
            optax.clip_by_global_norm(1.0),
            optax.adamw(1e-3, weight_decay=1e-4),
            optax.contrib.reduce_on_plateau(accumulation_size=100),
        )
        optimizer = nnx.Optimizer(model, tx, wrt=nnx.Param)
        graphdef, state = nnx.split((model, optimizer))
        step = make_train_step(graphdef, split)
        x = jnp.asarray(rng.random((args.batch, n_in)), jnp.float32)
        y = jnp.asarray(rng.random((args.batch, n_out)), jnp.float32)
        for _ in range(2):
            state, loss = step(state, x, y)
            loss.block_until_ready()
        start = time.perf_counter()
        for _ in range(args.steps):
            state, loss = step(state, x, y)
            loss.block_until_ready()
        rate = args.steps * args.batch / (time.perf_counter() - start)
        print(f"| {direction} | {name} | {count_parameters(model):,} | {rate:,.0f} |")


if __name__ == "__main__":
    main()
