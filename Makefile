VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup run test lint bench

setup:
	bash scripts/setup.sh

run: setup
	$(BIN)/seccal run

test: setup
	$(BIN)/python -m pytest -q

lint:
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

bench:
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done
