"""``python -m munsell_jax.representations CONFIG [--workdir DIR] [--config.FIELD=VALUE ...]``.

Runs one colour-representation experiment from its config file and writes its
figures, ``metrics.json`` and ``README.md`` to ``DIR`` (default: the config's
``workdir``, ``results/representations/<experiment>``).
"""

import argparse
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m munsell_jax.representations")
    parser.add_argument("config", help="configs/representations/<experiment>.py")
    parser.add_argument("--workdir", default=None, help="output folder (default: config.workdir)")
    args, overrides = parser.parse_known_args(argv)
    # The training CLI's loader: the same --config.a.b=value overrides everywhere.
    from munsell_jax.cli import _load_config
    from munsell_jax.representations import run

    config = _load_config(args.config, overrides)
    start = time.perf_counter()
    run(config, args.workdir)
    workdir = args.workdir or config.workdir
    print(f"{config.experiment}: {time.perf_counter() - start:.1f} s -> {workdir}/README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
