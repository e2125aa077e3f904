"""The README's promises: every Python block runs as a doctest with its printed
output, its model figures are the committed ones, and no tracked file points
outside the repository or at an issue tracker."""

import doctest
import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from munsell_jax.hub import ENGINE, MODELS, SHIPPED

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS


def python_blocks() -> list[tuple[int, str]]:
    """``(line, source)`` of every ```python block of the README."""
    text = README.read_text()
    return [(text[: m.start()].count("\n") + 1, m.group(1)) for m in BLOCK.finditer(text)]


def test_the_readme_has_python_blocks():
    assert len(python_blocks()) >= 4


@pytest.mark.parametrize(
    "line, source", python_blocks(), ids=[f"line{line}" for line, _ in python_blocks()]
)
def test_readme_block_runs_as_a_doctest(line, source):
    assert ">>>" in source, f"README.md line {line}: a python block without a >>> example"
    test = doctest.DocTestParser().get_doctest(source, {}, f"README.md:{line}", str(README), line)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    report = []
    with np.printoptions():  # a block may change them; leave the process as found
        runner.run(test, out=report.append)
    failed, tried = runner.summarize(verbose=False)
    assert tried > 0 and failed == 0, "".join(report)


def test_readme_model_figures_are_the_committed_ones():
    """Every README table row that names a shipped model quotes its committed
    REAL and generalisation mean CIEDE2000 (3 decimals)."""
    rows = [row for row in README.read_text().splitlines() if row.startswith("|")]
    for name in SHIPPED:
        if name == ENGINE:
            continue
        metrics = json.loads((MODELS / name / "metrics.json").read_text())
        quoted = [row for row in rows if f"`{name}`" in row or f"`{name.split('/', 1)[1]}`" in row]
        assert quoted, f"{name} is not in a README table"
        for row in quoted:
            for part in ("real", "generalisation"):
                figure = f"{metrics[part]['delta_e_mean']:.3f}"
                assert figure in row, f"{name}: {part} mean {figure} not in {row!r}"


OUTSIDE = re.compile(r"\.\./shared|\b[Ii]ssues? #?\d+")


def test_no_tracked_file_points_outside_the_repository_or_at_issues():
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    this = Path(__file__).resolve().relative_to(ROOT).as_posix()
    offences = []
    for name in files:
        path = ROOT / name
        if name == this or not path.is_file():
            continue
        try:
            text = path.read_text()
        except UnicodeDecodeError:  # binary: weights, ONNX graphs, images
            continue
        offences += [
            f"{name}:{n}: {line.strip()}"
            for n, line in enumerate(text.splitlines(), 1)
            if OUTSIDE.search(line)
        ]
    assert not offences, "\n".join(offences)


LINK = re.compile(r"\]\(([^)\s]+)\)")


def _anchor(heading: str) -> str:
    """GitHub's anchor of a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


@pytest.mark.parametrize(
    "page", ["README.md", *sorted(p.name for p in (ROOT / "docs").glob("*.md"))]
)
def test_relative_links_resolve(page):
    path = ROOT / page if page == "README.md" else ROOT / "docs" / page
    broken = []
    for target in LINK.findall(path.read_text()):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        linked = (path.parent / file).resolve() if file else path
        if not linked.exists():
            broken.append(target)
        elif anchor and linked.suffix == ".md":
            headings = re.findall(r"^#+ (.+)$", linked.read_text(), re.M)
            if anchor not in {_anchor(h) for h in headings}:
                broken.append(target)
    assert not broken, f"{page}: {broken}"
