"""The research notebooks are committed executed, and still execute from clean.

Each ``notebooks/*.ipynb`` is committed with its outputs, so it reads on GitHub
without a kernel: ``test_notebooks_are_committed_executed`` checks that every
code cell ran, in order, without an error, that each notebook draws at least
one PNG figure, that nothing went to stderr (warnings are fixed or silenced)
and no output leaks a machine path, and that the file stays small.

``test_notebook_executes`` runs a copy of each top to bottom in a fresh
``python3`` kernel (nbclient), with the working directory ``notebooks/``
(Jupyter's default, the one the notebooks' relative paths assume) and a time
limit per cell; the committed file is not rewritten. The kernel is this
interpreter: a ``python3`` kernelspec pointing at ``sys.executable`` is written
to a temporary Jupyter data directory placed first on ``JUPYTER_PATH``, so a
user-wide or system ``python3`` kernel (another Python, without munsell_jax)
cannot be picked up instead. HTTP(S) proxies are pointed at a closed local
port, so a notebook that tried to download anything would fail.
"""

import json
import os
import resource
import sys
import time
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
CELL_TIMEOUT_S = 300
MAX_BYTES = 500_000  # figures at a small size and dpi, no embedded data
MACHINE_PATHS = ("/work/", "/tmp/", "/root")
NO_NETWORK = {
    name: "http://127.0.0.1:9"  # the discard port: nothing listens there
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")
} | {"NO_PROXY": "", "no_proxy": ""}


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory):
    """The environment a kernel starts in; ``python3`` resolves to this interpreter."""
    from ipykernel.kernelspec import install

    prefix = tmp_path_factory.mktemp("jupyter")
    install(prefix=str(prefix), kernel_name="python3")
    data_dir = prefix / "share" / "jupyter"
    saved = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(data_dir), saved]))
    try:
        spec = KernelSpecManager().get_kernel_spec("python3")
        assert Path(spec.argv[0]) == Path(sys.executable), spec.argv
        yield os.environ | NO_NETWORK
    finally:
        if saved is None:
            os.environ.pop("JUPYTER_PATH")
        else:
            os.environ["JUPYTER_PATH"] = saved


def test_there_are_the_six_notebooks():
    assert [p.name[:2] for p in PATHS] == ["01", "02", "03", "04", "05", "06"]


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebooks_are_committed_executed(path):
    assert path.stat().st_size < MAX_BYTES, f"{path.name}: {path.stat().st_size:,} bytes"
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"

    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    counts = [cell.execution_count for cell in code]
    assert None not in counts, "a code cell was not executed"
    assert counts == list(range(1, len(code) + 1)), f"not run top to bottom once: {counts}"

    outputs = [output for cell in code for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"], "an error output"
    assert any("image/png" in o.get("data", {}) for o in outputs), "no PNG figure"
    stderr = [o.text[:200] for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, f"warnings or logs on stderr: {stderr}"
    # Every output but the images, as text (stream text, text/plain, markdown...).
    text = json.dumps(
        [
            {k: v for k, v in o.get("data", {}).items() if not k.startswith("image/")}
            if "data" in o
            else o.get("text", "")
            for o in outputs
        ]
    )
    leaked = [p for p in MACHINE_PATHS if p in text]
    assert not leaked, f"an output mentions {leaked}"


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_executes(path, kernel_env):
    """A copy runs from clean (outputs cleared) in a fresh kernel without error."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    start, children = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    client.execute(env=kernel_env)  # raises CellExecutionError on the first failing cell
    # The kernel has exited and been waited for: its CPU time is in RUSAGE_CHILDREN.
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    print(f"{path.name}: {time.perf_counter() - start:.1f} s wall, {cpu:.1f} s CPU")
    errors = [
        output
        for cell in nb.cells
        for output in cell.get("outputs", [])
        if output.output_type == "error"
    ]
    assert not errors
