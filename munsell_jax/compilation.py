"""Keep compiled programs between processes: an opt-in for JAX's persistent cache.

The exact inverse compiles for tens of seconds on a CPU, in every process. JAX
can keep compiled programs on disk; a library must not switch that on in your
process unasked, so ``enable_compilation_cache()`` is yours to call (the
``munsell-jax`` command line calls it).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["default_cache_folder", "enable_compilation_cache"]


def default_cache_folder() -> Path:
    """``$MUNSELL_JAX_CACHE/xla``, or ``~/.cache/munsell_jax/xla``."""
    root = os.environ.get("MUNSELL_JAX_CACHE", Path.home() / ".cache" / "munsell_jax")
    return Path(root) / "xla"


def enable_compilation_cache(
    *, path: str | os.PathLike | None = None, min_compile_seconds: float = 1.0
) -> Path:
    """Point JAX's persistent compilation cache at ``path`` (default:
    ``default_cache_folder()``) for this process and return the folder.

    Call it before the first conversion: programs compiled earlier in the
    process are not written. Every program that took at least
    ``min_compile_seconds`` to compile is then kept, and a later process that
    calls this too loads it instead of compiling (the inverse's first call
    drops from tens of seconds to a few; ``benchmarks/bench_first_call.py``).
    This changes JAX's global configuration (``jax_compilation_cache_dir``)
    for your whole process, which is why it is opt-in.
    """
    import jax

    folder = Path(path) if path is not None else default_cache_folder()
    folder.mkdir(parents=True, exist_ok=True)
    jax.config.update("jax_compilation_cache_dir", str(folder))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", float(min_compile_seconds))
    return folder
