"""Multi-process training: two ``munsell-jax train`` processes joined by
``jax.distributed`` (one CPU device each, gloo collectives) give the
one-process loss curve, in both ``parallel`` modes, and resume each other's run.

The same command runs on a multi-host GPU cluster or TPU pod slice, one process
per host (docs/training.md).
"""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from test_train import assert_same_run

from munsell_jax.lab.data import cache_path
from munsell_jax.lab.train import train_and_evaluate

ROOT = Path(__file__).resolve().parents[1]
ROWS = 2_048

CONFIG = """
import runpy


def get_config(parallel="sharding"):
    config = runpy.run_path({smoke!r})["get_config"]()
    config.direction = "to_xyY"  # no maximum-chroma table to compile: quicker to start
    config.parallel = parallel
    config.data.size = {rows}
    config.data.data_dir = {data_dir!r}
    config.opt.epochs = 2
    config.progress = False
    return config
"""


@pytest.fixture
def config_file(tmp_path):
    """A smoke-sized to_xyY config on a data cache written from the renotation
    reference rows (colour-science's forward: exact labels, nothing to generate)."""
    with np.load(Path(__file__).parent / "data" / "renotation_forward.npz") as reference:
        spec, xyY = reference["spec"], reference["xyY"]
        valid = (reference["error"] == 0) & np.isfinite(spec).all(1) & np.isfinite(xyY).all(1)
    rows = np.random.default_rng(0).choice(np.flatnonzero(valid), ROWS, replace=False)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    np.savez(
        cache_path(data_dir, "forward", ROWS, 0),
        specification=spec[rows],
        xyY=xyY[rows],
        dropped=0,
    )
    path = tmp_path / "config.py"
    smoke = str(ROOT / "configs" / "smoke.py")
    path.write_text(CONFIG.format(smoke=smoke, rows=ROWS, data_dir=str(data_dir)))
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _train_in_processes(config: str, workdir: Path, logs: Path, *overrides: str, n: int = 2):
    """``munsell-jax train`` in ``n`` processes of one CPU device each, joined
    through a local coordinator; all are killed on the first failure or after
    a deadline (SIGKILL: JAX's distributed runtime takes SIGTERM for a
    preemption notice), so a hung collective cannot hang the suite."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MUNSELL_JAX_")}
    env |= {
        "XLA_FLAGS": "--xla_force_host_platform_device_count=1",
        "JAX_PLATFORMS": "cpu",
        "MUNSELL_JAX_COORDINATOR": f"127.0.0.1:{port}",
        "MUNSELL_JAX_NUM_PROCESSES": str(n),
    }
    command = [sys.executable, "-m", "munsell_jax.lab.cli", "train", config]
    command += ["--workdir", str(workdir), *overrides]
    processes = []
    outputs = [logs.with_name(f"{logs.name}.{i}.log") for i in range(n)]
    try:
        for i in range(n):
            with outputs[i].open("w") as out:
                processes.append(
                    subprocess.Popen(
                        command,
                        cwd=ROOT,
                        env=env | {"MUNSELL_JAX_PROCESS_ID": str(i)},
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )
        deadline = time.monotonic() + 180
        while any(p.poll() is None for p in processes):
            if time.monotonic() > deadline or any(p.poll() for p in processes):
                break  # a failure (the others would wait for it) or too long
            time.sleep(0.1)
    finally:
        for p in processes:
            if p.poll() is None:
                p.kill()
            p.wait()
    texts = [o.read_text() for o in outputs]
    report = "\n".join(f"--- process {i} ---\n{t[-3000:]}" for i, t in enumerate(texts))
    assert all(p.returncode == 0 for p in processes), report
    return texts


def test_two_processes_give_the_one_process_loss_curve(tmp_path, config_file):
    import runpy

    get_config = runpy.run_path(str(config_file))["get_config"]
    reference = tmp_path / "one_process"
    config = get_config()
    config.opt.epochs = 3
    train_and_evaluate(config, reference)  # this process: one device

    # Two processes, "sharding", two epochs; then resumed for a third in "pmap".
    workdir = tmp_path / "two_processes"
    first = _train_in_processes(str(config_file), workdir, tmp_path / "sharding")
    assert "2 device(s) in 2 processes (cpu, sharding)" in first[0]
    second = _train_in_processes(
        f"{config_file}:pmap", workdir, tmp_path / "pmap", "--config.opt.epochs=3"
    )
    assert "2 device(s) in 2 processes (cpu, pmap)" in second[0]
    # Process 0 alone logs and writes the run's files; process 1 prints no epoch.
    assert "epoch 3/3" in second[0] and not any("epoch" in t for t in first[1:] + second[1:])
    epochs = [json.loads(line)["epoch"] for line in (workdir / "metrics.jsonl").open()]
    assert epochs == [1, 2, 3]
    assert json.loads((workdir / "config.json").read_text())["parallel"] == "pmap"
    assert not (workdir / ".lock").exists()
    assert_same_run(workdir, reference)
