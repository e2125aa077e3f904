"""munsell_jax.enable_compilation_cache: an opt-in, per process (run in children so
that this process's JAX configuration stays as it was)."""

import subprocess
import sys

CHILD = """
import sys, jax, jax.numpy as jnp
import munsell_jax as mj
folder = mj.enable_compilation_cache(path=sys.argv[1], min_compile_seconds=0)
assert jax.config.jax_compilation_cache_dir == str(folder)
print(float(jax.jit(lambda x: jnp.sin(x) @ x.T)(jnp.ones((8, 8))).sum()))
"""


def test_compiled_programs_are_kept_in_the_folder(tmp_path):
    folder = tmp_path / "cache"
    run = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert folder.is_dir() and any(folder.iterdir())


def test_importing_munsell_jax_leaves_the_cache_off():
    code = (
        "import jax; before = jax.config.jax_compilation_cache_dir\n"
        "import munsell_jax\n"
        "assert jax.config.jax_compilation_cache_dir == before"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
