# detente — the two set-up commands are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= demo.duckdb

.PHONY: install demo test lint eval bench bench-store clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev,spark]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	rm -f $(DEMO_DB)
	$(BIN)/detente ingest examples --db $(DEMO_DB)
	$(BIN)/detente timeline PRK RUS --db $(DEMO_DB)

lint: $(STAMP)
	$(BIN)/ruff check src tests

test: $(STAMP) lint
	$(BIN)/python -m pytest

eval: $(STAMP)
	$(BIN)/python tools/make_accuracy_report.py docs/accuracy.md

BENCH_ARTICLES ?= 5000
bench: $(STAMP)
	$(BIN)/python tools/bench.py --articles $(BENCH_ARTICLES) --workdir bench-output --json bench-output/bench.json

# 10 million synthetic events generated in DuckDB SQL; times dyad series (< 1 s) and alerts (< 10 s)
BENCH_EVENTS ?= 10000000
bench-store: $(STAMP)
	$(BIN)/python tools/bench_store.py --events $(BENCH_EVENTS) --db bench-store.duckdb

clean:
	rm -rf $(VENV) $(DEMO_DB) .pytest_cache
