"""munsell_jax.train: the smoke config trains, the loss falls, a stopped run resumes exactly."""

import json

import numpy as np
import orbax.checkpoint as ocp
import pytest

from munsell_jax.cli import main
from munsell_jax.train import train_and_evaluate


def _smoke(data_dir, **opt):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parents[1] / "configs" / "smoke.py"
    spec = importlib.util.spec_from_file_location("smoke_config", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    config = module.get_config()
    config.data.data_dir = str(data_dir)
    config.opt.update(opt)
    return config


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("data")


def _final_params(workdir):
    with ocp.CheckpointManager(workdir / "checkpoints" / "latest") as manager:
        restored = manager.restore(
            manager.latest_step(), args=ocp.args.Composite(state=ocp.args.StandardRestore())
        )
    return restored["state"]


def test_smoke_trains_and_loss_falls(tmp_path, data_dir):
    metrics = train_and_evaluate(_smoke(data_dir), tmp_path)
    lines = [json.loads(line) for line in (tmp_path / "metrics.jsonl").read_text().splitlines()]
    assert [m["epoch"] for m in lines] == [1, 2, 3, 4]
    assert lines[-1]["train_loss"] < 0.5 * lines[0]["train_loss"]
    assert metrics == lines[-1]
    assert (tmp_path / "checkpoints" / "best").is_dir()


def test_stopped_run_resumes_to_the_same_parameters(tmp_path, data_dir):
    straight, resumed = tmp_path / "straight", tmp_path / "resumed"
    train_and_evaluate(_smoke(data_dir, epochs=3), straight)
    train_and_evaluate(_smoke(data_dir, epochs=1), resumed)  # "killed" after epoch 1
    train_and_evaluate(_smoke(data_dir, epochs=3), resumed)
    a, b = _final_params(straight), _final_params(resumed)
    leaves_a, leaves_b = ([np.asarray(x) for x in __import__("jax").tree.leaves(t)] for t in (a, b))
    assert len(leaves_a) == len(leaves_b) > 0
    for x, y in zip(leaves_a, leaves_b, strict=True):
        np.testing.assert_array_equal(x, y)


def test_cli_train_with_overrides(tmp_path, data_dir):
    args = [
        "train",
        "configs/smoke.py",
        "--workdir",
        str(tmp_path),
        f"--config.data.data_dir={data_dir}",
        "--config.opt.epochs=1",
    ]
    assert main(args) == 0
    assert len((tmp_path / "metrics.jsonl").read_text().splitlines()) == 1
    with pytest.raises(SystemExit, match="no config field"):
        main([*args[:4], "--config.opt.nope=1"])
