"""Config files: ``get_config()`` of a file, with command-line overrides."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

__all__ = ["load_config"]


def load_config(path: str, overrides: Sequence[str]):
    """``get_config()`` of the config file at ``path``, with ``--config.a.b=value`` overrides.

    ``path:ARG`` calls ``get_config("ARG")`` (one file, several variants).
    """
    import ast
    import importlib.util

    path, _, arg = path.partition(":")
    spec = importlib.util.spec_from_file_location("munsell_jax_config", path)
    if spec is None or not Path(path).is_file():
        raise SystemExit(f"munsell-jax: no config file {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    config = module.get_config(arg) if arg else module.get_config()
    for override in overrides:
        if not override.startswith("--config.") or "=" not in override:
            raise SystemExit(f"munsell-jax: expected --config.FIELD=VALUE, got {override!r}")
        field, text = override[len("--config.") :].split("=", 1)
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            value = text
        *parents, leaf = field.split(".")
        node = config
        for part in parents:
            if part not in node:
                raise SystemExit(f"munsell-jax: no config field {field!r}")
            node = node[part]
        if leaf not in node:
            raise SystemExit(f"munsell-jax: no config field {field!r}")
        node[leaf] = type(node[leaf])(value) if isinstance(node[leaf], float) else value
    return config
