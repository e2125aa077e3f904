"""munsell_jax.lab.tune: an Optuna study on validation Delta-E that resumes where it stopped."""

import json
from pathlib import Path

import optuna

from munsell_jax.lab.cli import main


def test_tune_runs_and_resumes(tmp_path):
    config = Path(__file__).parents[1] / "configs" / "smoke.py"
    args = [
        "tune",
        str(config),
        "--workdir",
        str(tmp_path / "study"),
        f"--config.data.data_dir={tmp_path / 'data'}",
        "--config.data.size=1024",
        "--config.opt.epochs=1",
    ]
    assert main([*args, "--trials", "1"]) == 0
    best = json.loads((tmp_path / "study" / "best.json").read_text())
    assert best["finished"] == 1 and best["best_value"] > 0
    assert {"learning_rate", "batch_size", "width_factor", "dropout"} <= set(best["best_params"])
    # Asking for 2 runs one more trial on the same study.
    assert main([*args, "--trials", "2"]) == 0
    study = optuna.load_study(
        study_name="mlp", storage=f"sqlite:///{tmp_path / 'study' / 'optuna.db'}"
    )
    assert sum(t.state.name == "COMPLETE" for t in study.trials) == 2
    assert (tmp_path / "study" / "trial_1" / "checkpoints" / "best").is_dir()
    assert len((tmp_path / "study" / "trials.csv").read_text().splitlines()) == 3


def test_a_killed_trial_is_resumed_in_its_folder(tmp_path):
    """A trial left "running" (its process killed) is queued again with its own
    parameters and folder, where training resumes from its checkpoint."""
    from munsell_jax.lab.configs import load_config
    from munsell_jax.lab.tune import tune

    config = load_config(
        str(Path(__file__).parents[1] / "configs" / "smoke.py"),
        [f"--config.data.data_dir={tmp_path / 'data'}", "--config.data.size=1024"],
    )
    config.opt.epochs = 1
    study = optuna.create_study(
        study_name="mlp", storage=f"sqlite:///{tmp_path / 'optuna.db'}", direction="minimize"
    )
    killed = study.ask()
    killed.suggest_float("learning_rate", 1e-4, 3e-3, log=True)
    killed.set_user_attr("workdir", str(tmp_path / "killed_run"))
    best = tune(config, tmp_path, trials=1)
    assert best["finished"] == 1
    assert best["best_params"]["learning_rate"] == killed.params["learning_rate"]
    assert best["best_workdir"] == str(tmp_path / "killed_run")
