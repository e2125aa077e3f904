"""``munsell-jax convert`` and ``train``: what they read, and one-line errors for bad input.

In process (``main([...])``), with fast stand-ins for the exact engine (which takes
seconds to compile): these tests are about reading files and arguments, not about the
conversion, which tests/test_renotation.py and tests/test_inverse.py check.
"""

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from munsell_jax.lab import cli
from munsell_jax.notation import parse_munsell

ROOT = Path(__file__).resolve().parents[1]
SMOKE = str(ROOT / "configs" / "smoke.py")


class Engine:
    """Records what convert passes; xyY is spec[:3] / 10, Munsell is [10 xyY, 5]."""

    def __init__(self) -> None:
        self.specs: list[np.ndarray] = []
        self.xyY: list[np.ndarray] = []

    def munsell_to_xyY(self, spec):
        self.specs.append(np.asarray(spec))
        return np.asarray(spec)[:, :3] / 10

    def xyY_to_munsell(self, xyY):
        xyY = np.asarray(xyY)
        self.xyY.append(xyY)
        n = len(xyY)
        spec = np.column_stack([10 * xyY, np.full(n, 5.0)])
        return SimpleNamespace(specification=spec, residual=np.zeros(n), ok=np.ones(n, bool))


@pytest.fixture
def engine(monkeypatch, tmp_path) -> Engine:
    fake = Engine()
    monkeypatch.setattr("munsell_jax.renotation.munsell_to_xyY", fake.munsell_to_xyY)
    monkeypatch.setattr("munsell_jax.inverse.xyY_to_munsell", fake.xyY_to_munsell)
    monkeypatch.setattr(cli, "_enable_x64", lambda: None)  # the suite's conftest does it
    monkeypatch.chdir(tmp_path)
    return fake


def convert(*argv: str) -> int:
    return cli.main(["convert", "--quiet", *argv])


def fails(argv: list[str], command: str = "convert") -> str:
    """The message of the one-line error ``argv`` stops with (exit status 1)."""
    with pytest.raises(SystemExit) as stop:
        cli.main(argv)
    message = stop.value.code
    assert isinstance(message, str), message  # a str: printed to stderr, exit status 1
    assert "\n" not in message
    prefix = f"munsell-jax {command}: error: "
    assert message.startswith(prefix), message
    return message.removeprefix(prefix)


def write(name: str, text: str) -> str:
    Path(name).write_text(text)
    return name


# convert: reading files


@pytest.mark.parametrize(
    "text",
    [
        "0.31,0.32,0.2\n0.3,0.3,0.1\n",
        "0.31;0.32;0.2\n0.3;0.3;0.1\n",
        "0.31\t0.32\t0.2\n0.3\t0.3\t0.1\n",
        "0.31 0.32 0.2\n  0.3   0.3 0.1  \n",
        "0.31, 0.32, 0.2\r\n\r\n# a comment\n0.3 ,0.3 ,0.1  # and another\n",
        "\ufeffx;y;Y\n0.31;0.32;0.2\n0.3;0.3;0.1\n",  # a spreadsheet's: BOM, header
    ],
    ids=["comma", "semicolon", "tab", "spaces", "comments", "header"],
)
def test_xyY_rows_with_any_separator(engine, capsys, text):
    assert convert("--input", write("colours.csv", text)) == 0
    np.testing.assert_array_equal(engine.xyY[0], [[0.31, 0.32, 0.2], [0.3, 0.3, 0.1]])
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_rows_of_four_numbers_are_specifications(engine, capsys):
    assert convert("--input", write("specs.csv", "5,4,10,7\n2.5;6;4;3\n"), "--to", "xyY") == 0
    np.testing.assert_array_equal(engine.specs[0], [[5, 4, 10, 7], [2.5, 6, 4, 3]])
    assert "5.0R 4.0/10.0" in capsys.readouterr().out
    # Without --to, a row of 4 numbers says the direction.
    assert convert("--input", "specs.csv") == 0
    np.testing.assert_array_equal(engine.specs[1], engine.specs[0])


def test_munsell_notations_one_a_line(engine, capsys):
    text = "munsell\n5R 4/10\n\nN 5\n4.2YR 8.1/5.3\n5,4,10,7\n"
    assert convert("--input", write("notations.txt", text)) == 0
    spec = [parse_munsell(s) for s in ("5R 4/10", "N 5", "4.2YR 8.1/5.3")] + [[5, 4, 10, 7]]
    np.testing.assert_array_equal(engine.specs[0], spec)
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in out[:3]] == [
        ["5R", "4/10"],
        ["N", "5"],
        ["4.2YR", "8.1/5.3"],
    ]


def test_to_munsell_reads_three_numbers_a_row(engine):
    path = write("notations.txt", "5R 4/10\n")
    assert "line 1: expected 3 numbers [x, y, Y], got '5R 4/10'" in fails(
        ["convert", "--input", path, "--to", "munsell"]
    )
    path = write("specs.csv", "5,4,10,7\n")
    assert "specs.csv line 1: expected 3 numbers [x, y, Y], got 4" in fails(
        ["convert", "--input", path, "--to", "munsell"]
    )


def test_reads_its_own_output_back(engine):
    write("colours.csv", "x,y,Y\n0.31,0.32,0.2\n0.3,0.3,0.1\n")
    for suffix in (".csv", ".npy"):
        assert convert("--input", "colours.csv", "--output", f"specs{suffix}") == 0
        assert convert("--input", f"specs{suffix}", "--output", f"back{suffix}") == 0
        np.testing.assert_array_equal(engine.specs[-1], [[3.1, 3.2, 2, 5], [3, 3, 1, 5]])
        assert convert("--input", f"back{suffix}", "--to", "munsell") == 0
        np.testing.assert_allclose(engine.xyY[-1], [[0.31, 0.32, 0.2], [0.3, 0.3, 0.1]])
    assert Path("specs.csv").read_text().startswith("hue,value,chroma,code,residual,ok\n")
    assert Path("back.csv").read_text().startswith("x,y,Y\n")


@pytest.mark.parametrize(
    "text, message",
    [
        ("0.31,0.32,0.2\n0.3,0.3\n", "bad.csv line 2: expected 3 numbers [x, y, Y], got 2"),
        ("0.31,0.32,0.2\n0.3,0.3,0.1,0.4\n", "bad.csv line 2: expected 3 numbers"),
        ("0.31,0.32,0.2\n\n0.3,abc,0.1\n", "bad.csv line 3: 'abc' is not a number"),
        ("0.31,,0.2\n", "bad.csv line 1: an empty field"),
        ("x1,y1,Y1\n0.31,0.32,0.2\n", "bad.csv line 1: 'x1' is not a number"),
        ("x,y,Y\nx,y,Y\n", "bad.csv line 2: 'x' is not a number"),
        (
            "x y Y\n0.3 0.3 0.1\nfoo bar baz\n",
            "line 3: expected 3 numbers [x, y, Y], got 'foo bar baz'",
        ),
        ("1 2 3 4 5\n", "line 1: expected 3 numbers [x, y, Y] or 4 numbers"),
        ("5R 4/1O\n", 'bad.csv line 1: "5R 4/1O" is not a valid Munsell colour'),
        ("5,4,10,7\n5,4,10\n", "bad.csv line 2: expected 4 numbers [hue, value, chroma, code]"),
    ],
    ids=[
        "short",
        "long",
        "word",
        "empty-field",
        "digits-header",
        "two-headers",
        "words",
        "five",
        "notation",
        "specs",
    ],
)
def test_bad_rows_name_the_file_and_line(engine, text, message):
    assert message in fails(["convert", "--input", write("bad.csv", text)])
    assert not engine.specs and not engine.xyY  # nothing converted


def test_unreadable_inputs(engine, tmp_path):
    assert fails(["convert", "--input", "missing.csv"]) == "missing.csv: no such file"
    Path("folder").mkdir()
    assert fails(["convert", "--input", "folder"]) == "folder is a directory, not a file"
    Path("binary.csv").write_bytes(bytes(range(256)))
    assert "binary.csv is not a text file" in fails(["convert", "--input", "binary.csv"])
    Path("nul.txt").write_bytes(b"0.1\x000.2 0.3\n")
    assert "nul.txt is not a text file" in fails(["convert", "--input", "nul.txt"])


def test_bad_npy_inputs(engine):
    np.save("strings.npy", np.array(["5R 4/10"]))
    assert "expected an array of numbers" in fails(["convert", "--input", "strings.npy"])
    np.save("wide.npy", np.zeros((2, 5)))
    assert "shape [N, 3] (xyY) or [N, 4]" in fails(["convert", "--input", "wide.npy"])
    message = fails(["convert", "--input", "wide.npy", "--to", "munsell"])
    assert (
        message
        == "wide.npy: expected an array of shape [N, 3] (rows of 3 numbers [x, y, Y]), got (2, 5)"
    )
    write("text.npy", "0.31,0.32,0.2\n")
    assert "text.npy is not a readable .npy file" in fails(["convert", "--input", "text.npy"])
    with open("archive.npy", "wb") as file:
        np.savez(file, xyY=np.zeros((1, 3)))
    assert "got an .npz archive" in fails(["convert", "--input", "archive.npy"])


@pytest.mark.parametrize(
    "output, message",
    [
        ("folder", "--output folder is a directory"),
        ("nowhere/out.csv", "--output nowhere/out.csv: nowhere is not a directory"),
        ("file.txt/out.csv", "--output file.txt/out.csv: file.txt is not a directory"),
    ],
)
def test_unwritable_output_fails_before_converting(engine, output, message):
    Path("folder").mkdir()
    write("file.txt", "")
    path = write("colours.csv", "0.31,0.32,0.2\n")
    assert fails(["convert", "--input", path, "--output", output]) == message
    assert not engine.xyY


def test_a_failed_write_is_one_line(engine, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "savetxt", full)
    path = write("colours.csv", "0.31,0.32,0.2\n")
    message = fails(["convert", "--input", path, "--output", "out.csv"])
    assert message == "--output out.csv: No space left on device"


def test_empty_input_gives_empty_output(engine, capsys):
    for text in ("", "\n\n", "x,y,Y\n"):
        path = write("empty.csv", text)
        assert convert("--input", path, "--to", "munsell", "--output", "out.csv") == 0
        assert Path("out.csv").read_text() == "hue,value,chroma,code,residual,ok\n"
        assert convert("--input", path, "--to", "xyY") == 0
        assert capsys.readouterr().out == ""
        assert "no colours to tell the direction from: give --to" in fails(
            ["convert", "--input", path]
        )
    np.save("empty.npy", np.zeros((0, 3)))
    assert convert("--input", "empty.npy", "--output", "out.npy") == 0
    assert np.load("out.npy").shape == (0, 6)
    assert not engine.specs and not engine.xyY  # the engine never sees an empty batch


# convert: arguments


def test_values_and_input_together_is_an_error(engine):
    path = write("colours.csv", "0.31,0.32,0.2\n")
    message = fails(["convert", "0.3", "0.3", "0.1", "--input", path])
    assert message == "give colours or --input FILE, not both"
    assert "give colours or --input FILE" in fails(["convert"])


def test_values(engine, capsys):
    assert convert("5R 4/10", "N 5") == 0
    np.testing.assert_array_equal(engine.specs[0], [parse_munsell("5R 4/10"), [0, 5, 0, 0]])
    assert convert("0.31", "0.32", "0.2") == 0
    np.testing.assert_array_equal(engine.xyY[0], [[0.31, 0.32, 0.2]])
    assert convert("5", "4", "10", "7", "--to", "xyY") == 0
    np.testing.assert_array_equal(engine.specs[1], [[5, 4, 10, 7]])
    assert "5.0R 4.0/10.0" in capsys.readouterr().out
    message = fails(["convert", "0.31", "0.32", "0.2", "0.4"])
    assert message == "4 numbers make no whole colours of 3 numbers [x, y, Y]"
    message = fails(["convert", "5R 4/10", "--to", "munsell"])
    assert message == "--to munsell takes numbers (x y Y), got '5R 4/10'"
    assert "is not a valid Munsell colour" in fails(["convert", "5R 4/1O"])


def test_an_error_is_one_line_on_stderr(tmp_path):
    """The real process: exit status 1, one line on stderr, no traceback."""
    (tmp_path / "bad.csv").write_text("0.31,0.32,0.2\n0.3,0.3\n")
    code = "import sys; from munsell_jax.lab.cli import main; sys.exit(main(sys.argv[1:]))"
    argv = [sys.executable, "-c", code, "convert", "--input", "bad.csv"]
    done = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert (
        done.stderr
        == "munsell-jax convert: error: bad.csv line 2: expected 3 numbers [x, y, Y], got 2\n"
    )
    assert done.stdout == ""


# train


@pytest.fixture
def in_tmp(monkeypatch, tmp_path) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "override, message",
    [
        (
            "--config.opt.learning_rate=abc",
            "--config.opt.learning_rate=abc: config.opt.learning_rate takes a float, not 'abc'",
        ),
        (
            "--config.opt.learning_rate=(1, 2)",
            "--config.opt.learning_rate=(1, 2): config.opt.learning_rate takes a float, "
            "not '(1, 2)'",
        ),
        ("--config.opt.epochs=abc", "config.opt.epochs takes an int, not 'abc'"),
        ("--config.data.data_dir=123", "takes a str, not '123' (a string goes in quotes"),
        ("--config.opt.nope=1", "no config field 'opt.nope'"),
        ("--config.opt.learning_rate.x=1", "no config field 'opt.learning_rate.x'"),
        ("--config.opt.learning_rate=-1", "invalid config: config.opt.learning_rate = -1.0"),
        ("--config.data.size=None", "invalid config: "),
        ("--opt.epochs=1", "expected --config.FIELD=VALUE, got '--opt.epochs=1'"),
    ],
)
def test_train_bad_override(in_tmp, override, message):
    assert message in fails(["train", SMOKE, "--workdir", "run", override], "train")
    assert not (in_tmp / "run").exists()


def test_train_bad_config_file(in_tmp):
    argv = ["train", "missing.py", "--workdir", "run"]
    assert fails(argv, "train") == "no config file missing.py"
    (in_tmp / "broken.py").write_text("def get_config(:\n    pass\n")
    argv = ["train", "broken.py", "--workdir", "run"]
    assert fails(argv, "train") == "broken.py line 1: invalid syntax"
    (in_tmp / "empty.py").write_text("x = 1\n")
    argv = ["train", "empty.py", "--workdir", "run"]
    assert fails(argv, "train") == "empty.py defines no get_config()"
    variants = str(ROOT / "configs" / "from_xyY" / "experiments" / "delta_e.py")
    argv = ["train", f"{variants}:bogus", "--workdir", "run"]
    assert "variant must be one of" in fails(argv, "train")
    assert not (in_tmp / "run").exists()


def test_train_unusable_workdir(in_tmp):
    (in_tmp / "file").write_text("")
    argv = ["train", SMOKE, "--workdir", "file"]
    assert fails(argv, "train") == "--workdir file is a file, not a directory"
    argv = ["train", SMOKE, "--workdir", "file/run"]
    assert fails(argv, "train") == "--workdir file/run: Not a directory"


def test_train_workdir_of_another_config(in_tmp):
    (in_tmp / "run").mkdir()
    (in_tmp / "run" / "config.json").write_text(json.dumps({"seed": 12}))
    message = fails(["train", SMOKE, "--workdir", "run"], "train")
    assert "holds a run of another config" in message


def test_train_keeps_the_traceback_of_a_bug(in_tmp, monkeypatch):
    """Only munsell_jax's own raise statements become one-line errors."""

    def buggy(config, workdir):
        return int("not a number")  # ValueError raised inside int(), not by a raise

    monkeypatch.setattr("munsell_jax.lab.train.train_and_evaluate", buggy)
    with pytest.raises(ValueError, match="invalid literal"):
        cli.main(["train", SMOKE, "--workdir", "run"])
