# digital-city-index — one entry point for every stage.
#   make run    set up, build the warehouse (warehouse/digital_city_index.duckdb), print a summary
#   make test   everything that guards the product: lint, generated-seed checks, dbt build, pytest
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DBT := $(BIN)/dbt
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

# make test builds into its own file so it never touches the warehouse BI tools read.
TEST_DB := target/test/digital_city_index.duckdb

.PHONY: setup run build summary test lint check-seeds check-sample dbt-test pytest bench clean

$(BIN)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

setup: $(BIN)/.installed

run: setup build summary

build: setup
	mkdir -p warehouse
	$(DBT) build --quiet --warn-error-options '{"error": ["NoNodesForSelectionCriteria"]}'

summary: setup
	$(BIN)/python scripts/summary.py

test: setup lint check-seeds dbt-test check-sample pytest

lint: setup
	mkdir -p target/lint
	DCI_DUCKDB_PATH=target/lint/lint.duckdb $(BIN)/sqlfluff lint models tests analyses

check-seeds: setup
	$(BIN)/python scripts/build_geography.py --check

# The committed synthetic sample must be exactly what the seeded generator produces.
check-sample: setup
	$(BIN)/python scripts/generate_sample.py --warehouse $(TEST_DB) --check

dbt-test: setup
	rm -f $(TEST_DB) && mkdir -p $(dir $(TEST_DB))
	DCI_DUCKDB_PATH=$(TEST_DB) $(DBT) build

pytest: setup
	DCI_DUCKDB_PATH=$(TEST_DB) DCI_REFERENCE_DUCKDB=$(TEST_DB) $(BIN)/pytest -q

bench: setup
	$(BIN)/python scripts/bench.py --runs 3

clean:
	rm -rf target logs dbt_packages
