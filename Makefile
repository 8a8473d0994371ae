VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup run test lint bench validate-realrepo

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

# Every realrepo task through the sandboxed judge (downloads on first use; ~15 min on 2 cores).
validate-realrepo:
	mkdir -p runs
	time $(BIN)/seccal realrepo validate --json runs/realrepo-validation.json
