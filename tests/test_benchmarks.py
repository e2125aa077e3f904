"""The benchmarks' shared pieces: the output header and the fair colour-science timer.

Nothing here asserts a time: only what is called, how often, and what is written.
"""

from __future__ import annotations

import importlib.util
import platform
from pathlib import Path

import numpy as np
import pytest

from munsell_jax.lab.timing import time_colour

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def output():
    spec = importlib.util.spec_from_file_location("_output", ROOT / "benchmarks" / "_output.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_publish_writes_prints_and_names_the_file(output, tmp_path, capsys):
    path = tmp_path / "x.md"
    text = output.publish(path, "A title", "python benchmarks/x.py", ["| a |"])
    assert path.read_text() == text
    printed = capsys.readouterr().out
    assert text in printed and f"wrote {path}" in printed
    output.publish("-", "A title", "python benchmarks/x.py", ["| a |"])
    assert "wrote" not in capsys.readouterr().out


def test_write_markdown_writes_header_and_lines(output, tmp_path):
    path = tmp_path / "sub" / "x.md"
    text = output.write_markdown(
        path, "A title", "python benchmarks/x.py --n 3", ["| a |", "|---|"], notes=["A note."]
    )
    assert path.read_text() == text
    lines = text.splitlines()
    assert lines[0] == "# A title"
    assert lines[2].startswith("`python benchmarks/x.py --n 3` (")
    assert platform.machine() in lines[2] and "cores" in lines[2]
    assert "jax " in text and "colour-science " in text and "UTC" in text
    assert "commit " in text or "no git checkout" in text
    assert "A note." in lines
    assert lines[-2:] == ["| a |", "|---|"]
    assert text.endswith("\n")


@pytest.mark.parametrize("path", [None, "-"])
def test_write_markdown_to_stdout_only_writes_nothing(output, tmp_path, monkeypatch, path):
    monkeypatch.chdir(tmp_path)
    text = output.write_markdown(path, "T", "cmd", ["line"])
    assert text.startswith("# T\n") and list(tmp_path.iterdir()) == []


class _Counter:
    """Records every row it is called with; raises on negative first entries."""

    def __init__(self):
        self.calls = []

    def __call__(self, row):
        self.calls.append(float(row[0]))
        if row[0] < 0:
            raise ValueError("negative")
        return row


def test_time_colour_default_is_a_warm_up_then_best_of_three():
    # The same warm-up and best-of as time_jax's defaults in the benchmarks.
    function, rows = _Counter(), np.array([[1.0], [-2.0], [3.0]])
    seconds, failures = time_colour(function, rows)
    assert function.calls == [1.0] + [1.0, -2.0, 3.0] * 3
    assert failures == 1 and seconds >= 0


def test_time_colour_one_pass_without_warm_up():
    function, rows = _Counter(), np.array([[1.0], [-2.0], [3.0]])
    seconds, failures = time_colour(function, rows, repeats=1, warm_up=False)
    assert function.calls == [1.0, -2.0, 3.0]
    assert failures == 1 and seconds >= 0


def test_time_colour_warm_up_then_best_of_repeats():
    function, rows = _Counter(), np.array([[1.0], [-2.0], [3.0]])
    seconds, failures = time_colour(function, rows, repeats=3, warm_up=True)
    assert function.calls == [1.0] + [1.0, -2.0, 3.0] * 3  # one warm-up call, 3 passes
    assert failures == 1  # those of one pass
    assert np.isfinite(seconds) and seconds >= 0


def test_time_colour_rejects_no_repeats():
    with pytest.raises(ValueError, match="repeats"):
        time_colour(_Counter(), np.ones((2, 1)), repeats=0)
