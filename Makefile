# The README's two commands are `make demo` and `make test`; both create .venv when missing.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint format serve bench bench-large demo-data golden clean help

help:
	@echo "make demo        create .venv, install, run the demo assessment (examples/northwind)"
	@echo "make test        create .venv if missing, run ruff and the whole test suite"
	@echo "make serve       serve the demo dashboard on 127.0.0.1"
	@echo "make bench       scale benchmarks with their own baseline (minutes)"
	@echo "make bench-large the large benchmarks (manual, never in CI)"
	@echo "make demo-data   regenerate examples/northwind from its seed"
	@echo "make golden      re-execute the golden notebooks in tests/golden (after a deliberate change)"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,spark]"
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/adoption demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# pytest exits 5 when it collects no test: that is a failure here, never a pass.
	@# --nbval re-executes the golden notebooks in tests/golden (make golden rewrites them).
	@set +e; $(BIN)/python -m pytest --nbval --nbval-sanitize-with tests/golden/sanitize.cfg; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests (exit 5)"; fi; \
	  exit $$rc

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

serve: $(STAMP)
	$(BIN)/adoption serve examples/northwind

bench: $(STAMP)
	$(BIN)/python -m benchmarks

bench-large: $(STAMP)
	$(BIN)/python -m benchmarks --large

demo-data: $(STAMP)
	$(BIN)/adoption synth examples/northwind --seed 20261102 --force

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

golden: $(STAMP)
	$(BIN)/python -c "from adoption_lib.reports.goldens import write_goldens; write_goldens()"
