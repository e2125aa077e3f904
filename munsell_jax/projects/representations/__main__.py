"""Run one colour-representation experiment from its config file.

    python -m munsell_jax.projects.representations CONFIG [--workdir DIR] [--config.F=VALUE ...]

It writes the experiment's figures, ``metrics.json`` and ``README.md`` to
``DIR`` (default: the config's ``workdir``, ``results/representations/<experiment>``).
"""

import argparse
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m munsell_jax.projects.representations")
    parser.add_argument("config", help="configs/representations/<experiment>.py")
    parser.add_argument("--workdir", default=None, help="output folder (default: config.workdir)")
    args, overrides = parser.parse_known_args(argv)
    # The training CLI's loader: the same --config.a.b=value overrides everywhere.
    from munsell_jax.lab.configs import load_config
    from munsell_jax.projects.representations import run

    config = load_config(args.config, overrides)
    start = time.perf_counter()
    run(config, args.workdir)
    workdir = args.workdir or config.workdir
    print(f"{config.experiment}: {time.perf_counter() - start:.1f} s -> {workdir}/README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
