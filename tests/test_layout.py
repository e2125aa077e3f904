"""The shape of the library: the core imports nothing above it, no private name
crosses a module boundary, and weights are shipped deliberately (a few models
inside the package, inference parameters only; results/ holds records, not
weights)."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import munsell_jax
from munsell_jax.hub import ENGINE, INVERSE, MODELS, PARAMS, SHIPPED

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "munsell_jax"
ABOVE_THE_CORE = ("munsell_jax.lab", "munsell_jax.projects")
# What a core user never pays for at import (optax comes with flax's nnx).
HEAVY = (
    "orbax",
    "onnx",
    "onnxruntime",
    "jax2onnx",
    "optuna",
    "matplotlib",
    "skimage",
    "tensorflow_probability",
    "ml_collections",
    "tqdm",
    "mlflow",
)


def _modules(folder: Path):
    for file in sorted(folder.rglob("*.py")):
        parts = file.relative_to(ROOT).with_suffix("").parts
        yield ".".join(p for p in parts if p != "__init__"), file


def _imports(file: Path):
    """``(module, names)`` of every import in ``file``, function-level ones too."""
    for node in ast.walk(ast.parse(file.read_text())):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, ()
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, tuple(alias.name for alias in node.names)


def _is_core(module: str) -> bool:
    return not module.startswith(ABOVE_THE_CORE)


def test_the_core_imports_no_lab_module():
    offences = [
        f"{module} imports {imported}"
        for module, file in _modules(PACKAGE)
        if _is_core(module)
        for imported, _ in _imports(file)
        if imported.startswith(ABOVE_THE_CORE)
    ]
    assert not offences, offences


def test_no_private_name_crosses_a_module_boundary():
    offences = [
        f"{file.relative_to(ROOT)}: from {imported} import {name}"
        for folder in ("munsell_jax", "benchmarks", "scripts")
        for _, file in _modules(ROOT / folder)
        for imported, names in _imports(file)
        if imported.startswith("munsell_jax")
        for name in names
        if name.startswith("_")
    ]
    assert not offences, offences


def test_importing_and_using_the_core_loads_nothing_above_it():
    # As in an install without extras: the heavy packages cannot be imported
    # (colour-science imports matplotlib and tqdm when they are installed).
    code = f"""
import importlib.abc
import sys

class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in {HEAVY!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}}")

sys.meta_path.insert(0, NotInstalled())
import numpy as np
import munsell_jax as mj
images = np.full((1, 2, 2, 3), 0.5, np.float32)
mj.delta_e_loss(images, images * 0.9, space="sRGB")
mj.munsell_to_xyY(np.array([5.0, 5.0, 10.0, 7.0]))
# One of each kind (the same code loads every shipped model; test_hub loads them all).
for name in ("from_xyY/mlp_base_hue_angle_exact", "to_xyY/approximator", "to_xyY/exact"):
    width = 3 if name.startswith("from_xyY") else 4
    mj.load_model(name, backend="jax")(np.full((1, width), 0.3, np.float32))
loaded = sorted(m for m in sys.modules if m.startswith({ABOVE_THE_CORE!r}))
print(",".join(loaded))
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=Path("/")
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "", f"the core imported the lab: {done.stdout.strip()}"


def test_the_package_carries_its_shipped_models_and_nothing_else():
    on_disk = {p.parent.relative_to(MODELS).as_posix() for p in MODELS.glob("*/*/metrics.json")}
    assert on_disk == set(SHIPPED)
    size = sum(p.stat().st_size for p in MODELS.rglob("*") if p.is_file())
    assert size < 20 * 2**20, f"package data {size / 2**20:.1f} MB"
    for name in SHIPPED:
        files = sorted(p.name for p in (MODELS / name).iterdir())
        expected = ["metrics.json", "model.onnx"]
        if name not in (ENGINE, INVERSE):
            expected = ["config.json", "metrics.json", "model.onnx", PARAMS]
        assert files == expected, (name, files)


@pytest.mark.parametrize("name", [n for n in SHIPPED if n not in (ENGINE, INVERSE)])
def test_shipped_parameters_are_inference_parameters_only(name):
    with np.load(MODELS / name / PARAMS) as params:
        keys = params.files
    assert keys and not [k for k in keys if any(s in k for s in ("opt", "/mu/", "/nu/", "count"))]
    config = json.loads((MODELS / name / "config.json").read_text())
    assert config["direction"] == name.split("/")[0]


def _tracked(folder: str) -> list[Path]:
    try:
        listed = subprocess.run(
            ["git", "ls-files", folder], capture_output=True, text=True, check=True, cwd=ROOT
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [ROOT / p for p in listed]


def test_results_hold_records_not_weights():
    files = _tracked("results")
    assert files
    size = sum(p.stat().st_size for p in files if p.exists())
    assert size <= 30 * 2**20, f"tracked results/ is {size / 2**20:.1f} MB"
    weights = [
        p.relative_to(ROOT).as_posix()
        for p in files
        if "checkpoints" in p.parts or p.suffix in (".onnx", ".msgpack") or p.name == PARAMS
    ]
    assert not weights, weights[:5]


def test_the_public_api_is_the_package_namespace():
    assert "load_model" in munsell_jax.__all__ and "shipped_models" in munsell_jax.__all__
    assert munsell_jax.load_model.__module__ == "munsell_jax.hub"


def test_a_lab_command_without_its_extra_names_the_extra(monkeypatch):
    from munsell_jax.lab import cli

    def needs_optuna(args):
        raise ModuleNotFoundError("No module named 'optuna'", name="optuna")

    monkeypatch.setattr(cli, "_report", needs_optuna)
    with pytest.raises(SystemExit, match=r"pip install 'munsell_jax\[tune\]'"):
        cli.main(["report"])


def test_the_lock_pins_every_dependency_and_make_installs_from_it():
    """make test / make demo / CI install the tested versions (requirements.lock),
    and the lock pins every distribution they install: the dependencies and every
    extra but ``[notebooks]`` (Jupyter itself, which make never installs)."""
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for name, extra in project["optional-dependencies"].items():
        if name == "notebooks":
            continue
        wanted += [r for r in extra if not r.startswith("munsell_jax")]
    pinned = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pinned[re.sub(r"[-_.]+", "-", name).lower()] = version
    for requirement in wanted:
        name = re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0]
        assert re.sub(r"[-_.]+", "-", name).lower() in pinned, f"{name} is not in requirements.lock"
    makefile = (ROOT / "Makefile").read_text()
    assert makefile.count("pip install --quiet -c $(LOCK) -e") == 2
