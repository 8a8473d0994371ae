VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup run test lint bench validate-realrepo validate-references

setup:
	bash scripts/setup.sh

# The default study needs only part of the set-up (SECCAL_SETUP=run: see scripts/setup.sh).
run:
	SECCAL_SETUP=run bash scripts/setup.sh
	$(BIN)/seccal run

# The tests plan studies with every realrepo task: the set-up fetches the whole suite for them.
test:
	SECCAL_REALREPO_FETCH=all bash scripts/setup.sh
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

# Every task of every suite: references through the study's judge, the reference-pair
# table per suite and the static label's precision/recall per CWE on the references
# (~70 min on 2 cores; realrepo downloads on first use).
validate-references:
	mkdir -p runs
	time $(BIN)/seccal tasks validate --all --json runs/reference-validation.json
