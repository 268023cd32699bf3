# quizcalc — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run

.PHONY: run test test-thorough lint typecheck unit bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# `make run` installs the runtime dependencies only; `make test` adds the test extra.
$(RUN_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUN_STAMP)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP) $(RUN_STAMP)

## Start quizcalc (creates .venv and installs on first use). Pass arguments with ARGS="review".
run: $(RUN_STAMP)
	$(BIN)/quizcalc $(ARGS)

## Lint (ruff, the layer contracts in .importlinter), type-check and run the whole test suite.
test: $(STAMP) lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check quizcalc tests benchmarks
	$(BIN)/ruff format --check quizcalc tests benchmarks
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy quizcalc

unit: $(STAMP)
	$(BIN)/pytest -n auto -q --durations=15

## The problem generators over many more seeds than `make test` draws (several minutes).
test-thorough: $(STAMP)
	QUIZCALC_PROBLEM_SEEDS=400 QUIZCALC_GRADED_SEEDS=200 $(BIN)/pytest -n auto -q tests/problems

## Measure every figure of the performance table (not part of `make test`; several minutes).
## ARGS="--quick" for the 5k/100k version, ARGS="--only sync" for one figure or module.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
