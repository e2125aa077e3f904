"""munsell_jax.lab.train: the smoke config trains, the loss falls, a stopped run resumes exactly."""

import json
from pathlib import Path

import jax
import numpy as np
import orbax.checkpoint as ocp
import pytest

from munsell_jax.lab.cli import main
from munsell_jax.lab.train import train_and_evaluate


def _smoke(data_dir, **opt):
    import importlib.util

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


@pytest.mark.parametrize(
    "field, value",
    [
        ("learning_rate", -1e-3),
        ("learning_rate", float("nan")),
        ("epochs", 0),
        ("batch_size", 0),
        ("ema_decay", 1.0),
    ],
)
def test_an_invalid_config_is_a_one_line_error(tmp_path, data_dir, field, value):
    with pytest.raises(ValueError, match=rf"config\.opt\.{field} = .* is not a valid setting"):
        train_and_evaluate(_smoke(data_dir, **{field: value}), tmp_path)
    assert not any(tmp_path.iterdir())


def test_parallel_is_sharding_or_pmap_and_may_change_on_resume(tmp_path, data_dir):
    from munsell_jax.lab.train import RESUMABLE, default_config

    assert default_config().parallel == "sharding" and "parallel" in RESUMABLE
    config = _smoke(data_dir)
    config.parallel = "threads"
    with pytest.raises(
        ValueError, match=r"config\.parallel = 'threads' is not a valid setting \(one of "
    ):
        train_and_evaluate(config, tmp_path)
    assert not any(tmp_path.iterdir())


def test_a_workdir_is_refused_to_another_config_and_while_in_use(tmp_path, data_dir):
    import subprocess
    import sys

    other = _smoke(data_dir)
    other.model.widths = (64,)
    (tmp_path / "config.json").write_text(other.to_json_best_effort())
    with pytest.raises(ValueError, match=r"another config \(model\.widths: \[64\] -> \[32, 32\]\)"):
        train_and_evaluate(_smoke(data_dir), tmp_path)
    assert json.loads((tmp_path / "config.json").read_text())["model"]["widths"] == [64]
    assert not (tmp_path / ".lock").exists()
    # A live process holds the lock: refused; a dead one's lock is taken over.
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (tmp_path / ".lock").write_text(str(holder.pid))
        with pytest.raises(RuntimeError, match=f"in use by process {holder.pid}"):
            train_and_evaluate(other, tmp_path)
    finally:
        holder.kill()
        holder.wait()
    other.opt.epochs = 1
    train_and_evaluate(other, tmp_path)  # same config, fewer epochs: it may resume
    assert not (tmp_path / ".lock").exists()


def test_stopped_run_resumes_to_the_same_parameters(tmp_path, data_dir):
    straight, resumed = tmp_path / "straight", tmp_path / "resumed"
    train_and_evaluate(_smoke(data_dir, epochs=3), straight)
    train_and_evaluate(_smoke(data_dir, epochs=1), resumed)  # "killed" after epoch 1
    # ... after logging an epoch it never checkpointed: the resumed log drops it.
    with (resumed / "metrics.jsonl").open("a") as log:
        log.write(json.dumps({"epoch": 2, "train_loss": 0.0}) + "\n")
    train_and_evaluate(_smoke(data_dir, epochs=3), resumed)
    epochs = [json.loads(line)["epoch"] for line in (resumed / "metrics.jsonl").open()]
    assert epochs == [1, 2, 3]
    assert not (resumed / ".lock").exists()
    a, b = _final_params(straight), _final_params(resumed)
    leaves_a, leaves_b = ([np.asarray(x) for x in jax.tree.leaves(t)] for t in (a, b))
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


def test_nan_loss_stops_with_a_clear_error(tmp_path, data_dir):
    # A step so long the parameters overflow (a NaN learning rate is refused
    # before training starts).
    with pytest.raises(FloatingPointError, match="training loss is (nan|inf)"):
        train_and_evaluate(_smoke(data_dir, learning_rate=1e38, epochs=1), tmp_path)


def test_one_step_golden(tmp_path, data_dir):
    """One epoch of one step on 448 rows.

    Update the golden values only when a change is meant to alter training
    numerics (data sampler, initialisation, optimiser, loss), and say so in
    the commit; a refactor must leave them as they are.
    """
    config = _smoke(data_dir, epochs=1)
    config.data.size = 512
    metrics = train_and_evaluate(config, tmp_path)
    assert metrics["train_loss"] == pytest.approx(_GOLDEN_TRAIN_LOSS, rel=1e-5)
    assert metrics["val_loss"] == pytest.approx(_GOLDEN_VAL_LOSS, rel=1e-5)


_GOLDEN_TRAIN_LOSS = 0.5811045169830322
_GOLDEN_VAL_LOSS = 0.4594424366950989


def assert_same_run(workdir, reference, *, rtol=1e-5, loss_atol=1e-7, param_atol=2e-6):
    """The run in ``workdir`` has ``reference``'s loss curve (every epoch's
    training and validation loss) and final model parameters, within ``rtol``
    and an absolute floor (float32 sums taken in another order differ by a few
    ulps; a parameter near 0 has no relative precision). Measured for two
    devices against one: losses within 8.3e-8 relative, parameters within
    1.2e-7 (one ulp at 1)."""
    from flax import nnx

    from munsell_jax.lab.train import load_run

    curves = [
        [json.loads(line) for line in (Path(w) / "metrics.jsonl").read_text().splitlines()]
        for w in (workdir, reference)
    ]
    assert [m["epoch"] for m in curves[0]] == [m["epoch"] for m in curves[1]]
    assert curves[1], f"{reference} logged no epoch"
    for key in ("train_loss", "val_loss"):
        np.testing.assert_allclose(
            [m[key] for m in curves[0]], [m[key] for m in curves[1]], rtol=rtol, atol=loss_atol
        )
    # load_run restores onto this process's devices, whatever the run's were.
    got, want = (
        _leaves(nnx.state(load_run(w, which="latest")[0], nnx.Param)) for w in (workdir, reference)
    )
    assert len(got) == len(want) > 0
    for x, y in zip(got, want, strict=True):
        np.testing.assert_allclose(x, y, rtol=rtol, atol=param_atol)


def test_two_devices_give_the_same_loss_curve(tmp_path, data_dir):
    """Two forced CPU devices, same global batch, either ``parallel`` mode (jit
    on a sharded mesh, pmap): the one-device loss curve and parameters."""
    import os
    import subprocess
    import sys

    script = (
        "import sys, jax\n"
        "jax.config.update('jax_enable_x64', True)\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from test_train import _smoke\n"
        "from munsell_jax.lab.train import train_and_evaluate\n"
        "assert jax.local_device_count() == int(sys.argv[3])\n"
        "for parallel in sys.argv[5:]:\n"
        "    config = _smoke(sys.argv[2], epochs=2)\n"
        "    config.parallel = parallel\n"
        "    train_and_evaluate(config, f'{sys.argv[4]}/{parallel}')\n"
    )
    here = str(Path(__file__).parent)
    for devices, modes in ((1, ["sharding"]), (2, ["sharding", "pmap"])):
        env = dict(os.environ, XLA_FLAGS=f"--xla_force_host_platform_device_count={devices}")
        workdirs = str(tmp_path / str(devices))
        subprocess.run(
            [sys.executable, "-c", script, here, str(data_dir), str(devices), workdirs, *modes],
            env=env,
            capture_output=True,
            check=True,
            timeout=300,
        )
    for parallel in ("sharding", "pmap"):
        assert_same_run(tmp_path / "2" / parallel, tmp_path / "1" / "sharding")


def test_an_unreadable_latest_checkpoint_falls_back_to_an_older_one(tmp_path, data_dir):
    straight, damaged = tmp_path / "straight", tmp_path / "damaged"
    train_and_evaluate(_smoke(data_dir, epochs=3), straight)
    train_and_evaluate(_smoke(data_dir, epochs=2), damaged)
    newest = damaged / "checkpoints" / "latest" / "2"
    for file in (p for p in newest.rglob("*") if p.is_file()):
        file.write_bytes(file.read_bytes()[: len(file.read_bytes()) // 3])  # a torn write
    with pytest.warns(UserWarning, match="unreadable"):
        train_and_evaluate(_smoke(data_dir, epochs=3), damaged)
    epochs = [json.loads(line)["epoch"] for line in (damaged / "metrics.jsonl").open()]
    assert epochs == [1, 2, 3]
    for x, y in zip(
        jax.tree.leaves(_final_params(straight)),
        jax.tree.leaves(_final_params(damaged)),
        strict=True,
    ):
        np.testing.assert_array_equal(np.asarray(x), np.asarray(y))


def _resume_config(data_dir):
    """The smoke run with every optimiser feature whose state a resume must
    restore: an EMA of the parameters, a warm-up + cosine schedule (its step
    count) and gradient accumulation over 3 steps (14 steps an epoch: 2 and 1
    gradients are still accumulating when checkpoints 1 and 2 are written).
    Munsell -> xyY, which needs no renotation tables (7 CPU-seconds a process
    to build)."""
    config = _smoke(
        data_dir,
        epochs=6,
        ema_decay=0.9,
        schedule="warmup_cosine",
        warmup_epochs=1,
        accumulate_steps=3,
    )
    config.direction = "to_xyY"
    return config


def _whole_checkpoint(workdir):
    """Everything the latest checkpoint holds: model and optimiser state, EMA, progress."""
    with ocp.CheckpointManager(workdir / "checkpoints" / "latest") as manager:
        step = manager.latest_step()
        restored = manager.restore(
            step,
            args=ocp.args.Composite(
                state=ocp.args.StandardRestore(),
                ema=ocp.args.StandardRestore(),
                progress=ocp.args.JsonRestore(),
            ),
        )
    return step, restored


def test_sigkilled_run_resumes_to_the_same_parameters(tmp_path, data_dir):
    """SIGKILL a training process mid-run, start it again: the uninterrupted
    run's loss curve and checkpoint (parameters, optimiser state with the
    schedule's count and the accumulated gradients, EMA), bit for bit.

    The child to be killed stops in the middle of its third epoch (5 of its 14
    steps done, checkpoint 2 perhaps still being written) and says so; it is
    killed then, so the kill lands mid-run on any machine, however slow. A
    child that crashes or finishes first fails the test.
    """
    import os
    import signal
    import subprocess
    import sys
    import time

    from munsell_jax.lab.train import load_dataset

    here = str(Path(__file__).parents[1])
    script = (
        "import sys, time, jax\n"
        "jax.config.update('jax_enable_x64', True)\n"
        "sys.path.insert(0, sys.argv[1] + '/tests')\n"
        "from test_train import _resume_config\n"
        "from munsell_jax.lab import data\n"
        "from munsell_jax.lab.train import train_and_evaluate\n"
        "if len(sys.argv) > 4:  # wait mid-epoch 3 for the SIGKILL\n"
        "    batches, calls = data.epoch_batches, []\n"
        "    def paused(*args):\n"
        "        calls.append(args)\n"
        "        for i, batch in enumerate(batches(*args)):\n"
        "            if len(calls) == 3 and i == 5:\n"
        "                open(sys.argv[4], 'w').close()\n"
        "                time.sleep(600)\n"
        "            yield batch\n"
        "    data.epoch_batches = paused\n"
        "train_and_evaluate(_resume_config(sys.argv[2]), sys.argv[3])\n"
    )
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=1")

    def start(workdir, *marker):
        command = [sys.executable, "-c", script, here, str(data_dir), str(workdir), *marker]
        with (tmp_path / f"{workdir.name}.err").open("w") as err:
            return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=err)

    def stderr(workdir):
        return (tmp_path / f"{workdir.name}.err").read_text()[-3000:]

    load_dataset(_resume_config(data_dir))  # cached once, not by both children at once
    killed, straight = tmp_path / "killed", tmp_path / "straight"
    marker = tmp_path / "paused"
    process = start(killed, str(marker))
    reference = start(straight)  # the uninterrupted run, alongside
    try:
        deadline = time.monotonic() + 240
        while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert marker.exists(), (
            f"the run to be killed ended (return code {process.poll()}) or hung before it "
            "reached the middle of epoch 3 (does train.py still call "
            f"munsell_jax.lab.data.epoch_batches?):\n{stderr(killed)}"
        )
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert process.returncode == -signal.SIGKILL, stderr(killed)
        assert reference.wait(timeout=240) == 0, stderr(straight)
    finally:
        for p in (process, reference):
            if p.poll() is None:
                p.kill()
                p.wait()
    metrics = killed / "metrics.jsonl"
    assert [json.loads(line)["epoch"] for line in metrics.open()] == [1, 2]
    assert (killed / ".lock").exists()  # the killed process's: taken over below
    resumed = start(killed)
    assert resumed.wait(timeout=240) == 0, stderr(killed)
    assert not (killed / ".lock").exists()
    curves = [
        [json.loads(line) for line in (w / "metrics.jsonl").open()] for w in (straight, killed)
    ]
    assert [m["epoch"] for m in curves[1]] == list(range(1, 7))
    for key in ("epoch", "train_loss", "val_loss"):
        assert [m[key] for m in curves[1]] == [m[key] for m in curves[0]], key
    (step_a, a), (step_b, b) = _whole_checkpoint(straight), _whole_checkpoint(killed)
    assert step_a == step_b == 6 and a["progress"] == b["progress"]
    for part in ("state", "ema"):
        leaves_a, leaves_b = _leaves(a[part]), _leaves(b[part])
        assert len(leaves_a) == len(leaves_b) > 0, part
        for x, y in zip(leaves_a, leaves_b, strict=True):
            np.testing.assert_array_equal(x, y, err_msg=part)


@pytest.mark.parametrize("family", ["ft_transformer", "two_stage"])
def test_other_families_train_and_checkpoint(tmp_path, data_dir, family):
    import ml_collections

    config = _smoke(data_dir, epochs=1)
    config.model = ml_collections.ConfigDict({"name": family})
    metrics = train_and_evaluate(config, tmp_path)
    assert np.isfinite(metrics["val_loss"])
    assert len(jax.tree.leaves(_final_params(tmp_path))) > 0


def _model_params(workdir):
    """The model's part of the latest checkpoint's state (``(trainable, optimizer)``)."""
    state = _final_params(workdir)
    return state["0"]["model"] if "0" in state else state[0]["model"]


def _leaves(tree):
    return [np.asarray(x) for x in jax.tree.leaves(tree)]


def test_two_stage_trains_its_base_first_then_freezes_it(tmp_path, data_dir):
    import ml_collections
    from flax import nnx

    from munsell_jax.lab.train import load_run

    config = _smoke(data_dir, epochs=2, stage_epochs=(2,))
    config.model = ml_collections.ConfigDict(
        {
            "name": "two_stage",
            "base": {"name": "mlp", "widths": (16, 16)},
            "error": {"name": "mlp", "widths": (16,)},
        }
    )
    train_and_evaluate(config, tmp_path)
    assert len((tmp_path / "base" / "metrics.jsonl").read_text().splitlines()) == 2
    base, _ = load_run(tmp_path / "base")
    model, _ = load_run(tmp_path, which="latest")
    for x, y in zip(
        _leaves(nnx.state(base, nnx.Param)),
        _leaves(nnx.state(model.base, nnx.Param)),
        strict=True,
    ):
        np.testing.assert_array_equal(x, y)
    x = np.linspace(0.1, 0.5, 12, dtype=np.float32).reshape(4, 3)
    assert not np.allclose(model(x), base(x))


def test_gradient_accumulation_matches_the_full_batch(tmp_path, data_dir):
    full, accumulated = tmp_path / "full", tmp_path / "accumulated"
    train_and_evaluate(_smoke(data_dir, epochs=1, batch_size=256), full)
    train_and_evaluate(_smoke(data_dir, epochs=1, batch_size=128, accumulate_steps=2), accumulated)
    # the model parameters (the optimiser states differ in layout)
    pa, pb = (_leaves(_model_params(w)) for w in (full, accumulated))
    assert len(pa) == len(pb) > 0
    for x, y in zip(pa, pb, strict=True):
        np.testing.assert_allclose(x, y, rtol=1e-4, atol=1e-6)


def test_classification_with_every_loss_option_ema_and_warmup_cosine(tmp_path, data_dir):
    from flax import nnx

    from munsell_jax.encoding import decode
    from munsell_jax.lab.train import load_run

    config = _smoke(data_dir, epochs=1, schedule="warmup_cosine", warmup_epochs=1, ema_decay=0.9)
    config.encoding = "classification"
    config.model.code_logits = 10
    config.model.name = "multi_mlp"
    config.model.widths = (16,)
    config.loss = dict(
        kind="precision",
        boundary_weight=3.0,
        gamut_weight=1.0,
        code_weight=0.5,
        uncertainty_weighting=True,
    )
    train_and_evaluate(config, tmp_path)
    config.opt.epochs = 2  # resume with the EMA and the loss weighting in the checkpoint
    metrics = train_and_evaluate(config, tmp_path)
    assert metrics["epoch"] == 2 and np.isfinite(metrics["val_loss"])
    model, loaded = load_run(tmp_path, which="latest")
    assert loaded.encoding == "classification"
    raw_model = _model_params(tmp_path)
    ema = _leaves(nnx.state(model, nnx.Param))
    assert not all(np.array_equal(x, y) for x, y in zip(ema, _leaves(raw_model), strict=True))
    spec = np.asarray(decode("classification", model(np.full((5, 3), 0.3, np.float32))))
    assert ((spec[:, 3] >= 1) & (spec[:, 3] <= 10)).all()


def test_batchnorm_model_trains_and_predicts_in_eval_mode(tmp_path, data_dir):
    import ml_collections

    from munsell_jax.lab.train import load_run

    config = _smoke(data_dir, epochs=1)
    config.direction = "to_xyY"
    config.model = ml_collections.ConfigDict(
        {"name": "multi_resnet", "widths": (16, 16), "norm": "batch"}
    )
    assert np.isfinite(train_and_evaluate(config, tmp_path)["val_loss"])
    model, _ = load_run(tmp_path)
    x = np.linspace(0.1, 0.9, 16, dtype=np.float32).reshape(4, 4)
    # Running statistics: a row's output does not depend on the rest of the batch
    # (up to float32 summation order, ~1e-8 here: the absolute floor).
    np.testing.assert_allclose(model(x)[:1], model(x[:1]), rtol=1e-5, atol=1e-6)


def test_mlflow_asked_but_missing_is_a_clear_error(tmp_path, data_dir):
    import importlib.util

    if importlib.util.find_spec("mlflow") is not None:
        pytest.skip("mlflow is installed")
    config = _smoke(data_dir, epochs=1)
    config.mlflow = True
    with pytest.raises(RuntimeError, match="MLflow is not installed"):
        train_and_evaluate(config, tmp_path)


def test_every_architecture_has_its_config():
    import importlib.util

    from munsell_jax.nn import ARCHITECTURES

    found = {}
    for path in sorted((Path(__file__).parents[1] / "configs").glob("*_xyY/*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        config = module.get_config()
        assert path.parent.name == config.direction
        assert "munsell-jax train" in module.__doc__ and str(path.name) in module.__doc__
        assert (config.direction, config.architecture) in ARCHITECTURES, path
        if path.stem != "approximator":  # a Simple MLP of its own (the approximator)
            found[(config.direction, config.architecture)] = config
    assert set(found) == set(ARCHITECTURES)
    for key, config in found.items():
        arch = ARCHITECTURES[key]
        assert config.model.to_dict() == {"name": arch.family, **arch.kwargs}, key
        assert config.encoding == arch.encoding
        assert bool(config.opt.stage_epochs) == (arch.family == "two_stage"), key


def test_delta_e_round_trip_training_through_the_exact_engine(tmp_path, data_dir):
    config = _smoke(data_dir, epochs=2, learning_rate=3e-4)
    config.loss = {"delta_e_weight": 1.0, "forward": "exact"}
    metrics = train_and_evaluate(config, tmp_path)
    assert np.isfinite(metrics["train_loss"]) and np.isfinite(metrics["val_loss"])


def test_fine_tuning_starts_from_another_run(tmp_path, data_dir):
    from flax import nnx

    from munsell_jax.lab.train import load_run

    train_and_evaluate(_smoke(data_dir, epochs=1), tmp_path / "start")
    config = _smoke(data_dir, epochs=1, learning_rate=0.0)
    config.init_from = str(tmp_path / "start")
    train_and_evaluate(config, tmp_path / "tuned")
    start, _ = load_run(tmp_path / "start")
    tuned, _ = load_run(tmp_path / "tuned")
    for x, y in zip(
        _leaves(nnx.state(start, nnx.Param)), _leaves(nnx.state(tuned, nnx.Param)), strict=True
    ):
        np.testing.assert_array_equal(x, y)


def test_zoo_configs_have_a_cpu_budget():
    import importlib.util
    import inspect

    from munsell_jax.lab.train import CPU_BUDGET_SIZE, base_config, with_budget

    budgeted = 0
    for path in sorted((Path(__file__).parents[1] / "configs").glob("*_xyY/*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if "budget" not in inspect.signature(module.get_config).parameters:
            continue
        budgeted += 1
        full, cpu = module.get_config(), module.get_config("cpu")
        assert cpu.data.size == CPU_BUDGET_SIZE and 1 <= cpu.opt.epochs <= 30, path
        assert len(cpu.opt.stage_epochs) == len(full.opt.stage_epochs), path
        assert all(e == cpu.opt.epochs for e in cpu.opt.stage_epochs), path
        assert cpu.model.to_dict() == full.model.to_dict(), path
        assert ":cpu" in module.__doc__, path
        if cpu.opt.stage_epochs:  # each stage's config builds (a default base too)
            assert base_config(cpu).model.name, path
    assert budgeted >= 25
    with pytest.raises(ValueError, match="budget must be one of"):
        with_budget(module.get_config(), "gpu", cpu_epochs=1)


def test_experiment_configs_build_every_variant(tmp_path):
    from munsell_jax.lab.experiments import config_module, load_results, run_variant

    root = Path(__file__).parents[1] / "configs" / "from_xyY" / "experiments"
    for name in ("delta_e.py", "side.py"):
        module = config_module(root / name)
        for variant in module.VARIANTS:
            config = module.get_config(variant)
            assert config.direction == "from_xyY", (name, variant)
        with pytest.raises(ValueError, match="variant must be one of"):
            module.get_config("nope")
    side = config_module(root / "side.py")
    assert side.get_config("gamma2.5_seed1").inputs == "gamma2.5"
    assert side.get_config("gamma2.5_seed1").seed == 1
    assert side.get_config("finetune_real").data.name == "perturbation_real"
    assert side.get_config("resnet_batchnorm").model.norm == "batch"
    # A variant whose metrics are already kept is not trained again.
    (tmp_path / "results" / "base").mkdir(parents=True)
    (tmp_path / "results" / "base" / "metrics.json").write_text('{"real": {}}')
    assert run_variant(root / "side.py", "base", tmp_path / "runs", tmp_path / "results") == {
        "real": {}
    }
    assert not (tmp_path / "runs").exists()
    assert set(load_results(tmp_path / "results")) == {"base"}
