# The two set-up commands: `make demo` and `make test`. Each creates .venv when
# it is missing and installs what it needs, so a fresh clone needs nothing else.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
# The tested versions (pip constraints); `make lock` refreshes them.
LOCK := requirements.lock

.PHONY: demo test test-slow lint bench data-bench lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e '.[all]'
	touch $@

$(DEV_STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e '.[dev]'
	touch $@ $(STAMP)

demo: $(STAMP)
	$(BIN)/munsell-jax demo

test: $(DEV_STAMP)
	$(BIN)/python -m ruff check munsell_jax tests benchmarks scripts configs
	$(BIN)/python -m pytest -n 2 --durations=15

test-slow: $(DEV_STAMP)
	$(BIN)/python -m pytest -m slow --durations=15

lint: $(DEV_STAMP)
	$(BIN)/python -m ruff check munsell_jax tests benchmarks scripts configs
	$(BIN)/python -m ruff format --check munsell_jax tests benchmarks scripts configs

# Each writes its table to results/benchmarks/ (delta_e.md, engine.md,
# exact_inverse_onnx.md, train.md, delta_e_training.md), the figures the docs quote.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_delta_e.py
	$(BIN)/python benchmarks/bench_renotation.py
	$(BIN)/python benchmarks/bench_exact_inverse_onnx.py
	$(BIN)/python benchmarks/bench_train.py
	$(BIN)/python benchmarks/bench_delta_e_training.py

# rm -rf build/data-bench, then `munsell-jax data large --out build/data-bench --quiet`
# twice (generate, then reload), timed into results/benchmarks/data.md.
data-bench: $(STAMP)
	$(BIN)/python benchmarks/bench_data.py --dir build/data-bench

# Resolve the newest versions pyproject.toml allows in a fresh environment and
# record them; then run `make test` (it reinstalls from the new lock) and commit.
lock:
	rm -rf build/lock-venv
	$(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/python -m pip install --quiet --upgrade pip
	build/lock-venv/bin/python -m pip install --quiet '.[dev]'
	{ echo "# The versions \`make test\` and \`make demo\` install (pip constraints: pip install -c $(LOCK) ...)."; \
	  echo "# Tested on Python 3.11, x86_64. Refresh after changing dependencies in pyproject.toml: make lock"; \
	  build/lock-venv/bin/python -m pip freeze --exclude-editable | grep -vi '^munsell.jax'; } > $(LOCK)
	rm -rf build/lock-venv

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
