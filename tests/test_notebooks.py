"""The research notebooks execute from a clean checkout, so they cannot rot.

Each ``notebooks/*.ipynb`` runs top to bottom in a fresh ``python3`` kernel
(nbclient), with the working directory ``notebooks/`` (Jupyter's default, the
one the notebooks' relative paths assume) and a time limit per cell. The kernel
is this interpreter: a ``python3`` kernelspec pointing at ``sys.executable`` is
written to a temporary Jupyter data directory placed first on ``JUPYTER_PATH``,
so a user-wide or system ``python3`` kernel (another Python, without
munsell_jax) cannot be picked up instead. HTTP(S) proxies are pointed at a
closed local port, so a notebook that tried to download anything would fail.
The notebooks are committed without outputs; their executed copies are not
written back.
"""

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


def test_there_are_notebooks_and_they_are_stripped():
    assert [p.name[:2] for p in PATHS] == ["01", "02", "03", "04", "05", "06"]
    for path in PATHS:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        assert nb.metadata.kernelspec.name == "python3", path.name
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, path.name


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_notebook_executes(path, kernel_env):
    nb = nbformat.read(path, as_version=4)
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
