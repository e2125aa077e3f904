"""``tune(config, workdir, trials=N)``: an Optuna search that minimises validation Delta-E.

The published study tuned on the validation MSE and found that the MSE-best
configuration was not the Delta-E-best; here each trial is scored by the
mean CIEDE2000 of its predictions on validation rows of its own data (never
the REAL or generalisation sets the tables report), through the exact
engine (``munsell_jax.lab.evaluate.protocol``).

Searched (the loss weights only where the config has the field, as every
config built on ``train.default_config`` does):

- ``opt.learning_rate`` (log-uniform 1e-4 to 3e-3) and ``opt.batch_size``
  (256, 512, 1024, 2048);
- a width multiplier (0.5, 1, 2) applied to every width of ``config.model``
  (``widths``, ``width``, ``dim``, ``encoder``, ``head``, ...);
- ``model.dropout`` (0 to 0.2) when the model family takes it;
- ``loss.boundary_weight`` (1 to 3) and, for xyY -> Munsell, the round-trip
  ``loss.delta_e_weight`` (0, or log-uniform 1e-4 to 1e-1).

Resumable: the study lives in SQLite (``workdir/optuna.db``), each trial
trains in ``workdir/trial_<n>`` with its own checkpoints, and a trial killed
mid-run (left "running" in the study) is closed and queued again with the
same parameters and folder when the search restarts, so its training
resumes from its last epoch. ``trials`` counts finished trials: running the
same command again only runs what is missing. One process per study.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import ml_collections
import numpy as np

__all__ = ["suggest", "tune", "validation_delta_e"]

_WIDTH_FIELDS = ("widths", "width", "dim", "encoder", "head", "hidden")
_MAX_VALIDATION_ROWS = 20_000


def _scale_widths(model: dict, factor: float) -> dict:
    """``model`` (nested dicts of a config) with every width multiplied by ``factor``."""
    out = {}
    for key, value in model.items():
        if isinstance(value, dict):
            out[key] = _scale_widths(value, factor)
        elif key in _WIDTH_FIELDS and isinstance(value, int):
            out[key] = max(int(round(value * factor)), 1)
        elif key in _WIDTH_FIELDS and isinstance(value, (tuple, list)):
            out[key] = tuple(max(int(round(v * factor)), 1) for v in value)
        else:
            out[key] = value
    return out


def _takes_dropout(name: str) -> bool:
    import importlib

    module = importlib.import_module(f"munsell_jax.nn.{name}")
    return "dropout" in inspect.signature(module.Model.__init__).parameters


def suggest(trial, config: ml_collections.ConfigDict) -> ml_collections.ConfigDict:
    """A copy of ``config`` with this trial's choices (see the module docstring)."""
    config = ml_collections.ConfigDict(config.to_dict())
    config.opt.learning_rate = trial.suggest_float("learning_rate", 1e-4, 3e-3, log=True)
    config.opt.batch_size = trial.suggest_categorical("batch_size", [256, 512, 1024, 2048])
    factor = trial.suggest_categorical("width_factor", [0.5, 1.0, 2.0])
    model = _scale_widths(config.model.to_dict(), factor)
    if _takes_dropout(model["name"]):
        model["dropout"] = trial.suggest_float("dropout", 0.0, 0.2)
    config.model = ml_collections.ConfigDict(model)
    loss = config.get("loss", {})
    if "boundary_weight" in loss:
        config.loss.boundary_weight = trial.suggest_float("boundary_weight", 1.0, 3.0)
    if "delta_e_weight" in loss and config.direction == "from_xyY":
        on = trial.suggest_categorical("delta_e_loss", [False, True])
        config.loss.delta_e_weight = (
            trial.suggest_float("delta_e_weight", 1e-4, 1e-1, log=True) if on else 0.0
        )
    return config


def validation_delta_e(workdir: str | Path) -> float:
    """Mean CIEDE2000 of a run's best model on (up to 20,000 of) its validation rows."""
    from munsell_jax.hub import predictor
    from munsell_jax.lab.evaluate import EvaluationSet, protocol
    from munsell_jax.lab.train import load_dataset, load_run, split_rows

    model, config = load_run(workdir)
    dataset = load_dataset(config)
    rows = split_rows(config, len(dataset.xyY))[0][:_MAX_VALIDATION_ROWS]  # as training
    colours = EvaluationSet(
        "validation", dataset.xyY[rows], dataset.specification[rows], np.ones(len(rows), bool)
    )
    predict = predictor(model, config)
    inputs = colours.xyY if config.direction == "from_xyY" else colours.specification
    metrics, _ = protocol(config.direction, np.asarray(predict(inputs)), colours)
    return float(metrics["delta_e_mean"])


def _write_trials(study, path: Path) -> None:
    import csv

    names = sorted({name for t in study.trials for name in t.params})
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["number", "state", "value", *names, "workdir"])
        for t in study.trials:
            params = [t.params.get(name, "") for name in names]
            workdir = t.user_attrs.get("workdir", "")
            writer.writerow([t.number, t.state.name, t.value, *params, workdir])


def tune(
    config: ml_collections.ConfigDict,
    workdir: str | Path,
    *,
    trials: int = 20,
    seed: int = 0,
) -> dict:
    """Run (or resume) the search until ``trials`` trials have finished.

    Returns ``{"best_value", "best_params", "best_trial", "finished"}`` and
    writes it to ``workdir/best.json``; ``workdir/trials.csv`` lists every trial.
    """
    import optuna

    from munsell_jax.lab.train import train_and_evaluate

    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    study = optuna.create_study(
        study_name=str(config.get("architecture", "") or config.model.name),
        storage=f"sqlite:///{workdir / 'optuna.db'}",
        sampler=optuna.samplers.TPESampler(seed=seed),
        direction="minimize",
        load_if_exists=True,
    )
    # Trials still "running" were killed with their process: close them and
    # queue their parameters again, to resume in the same folder.
    for trial in study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.RUNNING,)):
        study.tell(trial.number, state=optuna.trial.TrialState.FAIL)
        if trial.params:
            run = trial.user_attrs.get("workdir", str(workdir / f"trial_{trial.number}"))
            study.enqueue_trial(trial.params, user_attrs={"workdir": run})

    def objective(trial) -> float:
        run = Path(trial.user_attrs.get("workdir", workdir / f"trial_{trial.number}"))
        trial.set_user_attr("workdir", str(run))
        trial_config = suggest(trial, config)
        train_and_evaluate(trial_config, run)
        return validation_delta_e(run)

    def finished() -> int:
        return sum(t.state == optuna.trial.TrialState.COMPLETE for t in study.trials)

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    if finished() < trials:
        # A trial whose loss blows up is recorded as failed, not fatal.
        study.optimize(objective, n_trials=trials - finished(), catch=(FloatingPointError,))
    _write_trials(study, workdir / "trials.csv")
    best = {
        "best_value": study.best_value,
        "best_params": study.best_params,
        "best_trial": study.best_trial.number,
        "best_workdir": study.best_trial.user_attrs.get("workdir"),
        "finished": finished(),
        "objective": "mean CIEDE2000 on validation rows (exact engine)",
    }
    (workdir / "best.json").write_text(json.dumps(best, indent=2) + "\n")
    return best
