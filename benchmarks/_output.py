"""The header every benchmark output in ``results/benchmarks/`` starts with.

    from _output import write_markdown  # the scripts run as ``python benchmarks/x.py``
    write_markdown("results/benchmarks/x.md", "Title", "python benchmarks/x.py", lines)

The header gives the command, the machine (architecture, JAX device, cores),
the JAX and colour-science versions, the git commit of the checkout (marked
when the working tree had uncommitted changes) and the date, so every figure
the docs quote can be traced to the run that produced it.
"""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "results" / "benchmarks"
SHARED_MACHINE = (
    "Timings vary by about 30% from run to run on a shared 2-core machine; "
    "ratios measured in the same run are what compare across machines."
)


def _dirty() -> bool:
    try:
        out = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
    except (OSError, subprocess.CalledProcessError):
        return False
    return bool(out.stdout.strip())


def machine() -> str:
    """``x86_64, cpu, 2 cores`` (the JAX default device's kind)."""
    import jax

    return f"{platform.machine()}, {jax.devices()[0].device_kind}, {os.cpu_count()} cores"


def provenance() -> str:
    """Versions, commit and date: ``jax 0.10.2, colour-science 0.4.7, commit abc1234, ...``."""
    import jax

    from munsell_jax.lab.provenance import git_commit

    try:
        import colour

        colour_version = colour.__version__
    except ImportError:  # pragma: no cover - colour-science is in every benchmark's install
        colour_version = "not installed"
    commit = git_commit()
    commit = "no git checkout" if commit is None else f"commit {commit[:10]}"
    if commit.startswith("commit") and _dirty():
        commit += " (with uncommitted changes)"
    date = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"Python {platform.python_version()}, jax {jax.__version__}, "
        f"colour-science {colour_version}, {commit}, {date}"
    )


def header(title: str, command: str, notes: Iterable[str] = ()) -> list[str]:
    """The title, the command with the machine, the provenance line, then ``notes``."""
    lines = [
        f"# {title}",
        "",
        f"`{command}` ({machine()}).",
        "",
        provenance() + ".",
        "",
    ]
    for note in notes:
        lines += [note, ""]
    return lines


def write_markdown(
    path: str | Path | None,
    title: str,
    command: str,
    lines: Iterable[str],
    *,
    notes: Iterable[str] = (),
) -> str:
    """Write the header and ``lines`` to ``path`` (None or ``"-"``: nothing is
    written) and return the whole text, which the caller may print."""
    text = "\n".join([*header(title, command, notes), *lines]).rstrip() + "\n"
    if path is not None and str(path) != "-":
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return text


def publish(
    path: str | Path | None,
    title: str,
    command: str,
    lines: Iterable[str],
    *,
    notes: Iterable[str] = (),
) -> str:
    """``write_markdown``, then print the text and, if a file was written, its path."""
    text = write_markdown(path, title, command, lines, notes=notes)
    print(text)
    if path is not None and str(path) != "-":
        print(f"wrote {path}")
    return text
