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

.PHONY: setup setup-airflow run build uncertainty summary test lint check-seeds check-sample dbt-test validate docs pytest bench refresh rollback clean

$(BIN)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

# great-expectations sits in the same venv but in its own lock, constrained by the main one
# (it changes no pinned version; every tool opening the DuckDB file uses duckdb 2.0.0).
$(BIN)/.gx-installed: requirements-gx.lock $(BIN)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-gx.lock -c requirements.lock
	touch $@

# SALib (the Sobol oracle of the uncertainty tests), on top of both locks, changing no pin.
$(BIN)/.uncertainty-installed: requirements-uncertainty.lock $(BIN)/.gx-installed
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-uncertainty.lock -c requirements.lock -c requirements-gx.lock
	touch $@

setup: $(BIN)/.installed $(BIN)/.gx-installed $(BIN)/.uncertainty-installed

# Airflow lives in its own venv so its dependencies never constrain dbt's (airflow/README.md).
AIRFLOW_VENV := .venv-airflow
$(AIRFLOW_VENV)/bin/.installed: requirements-airflow.lock
	$(PYTHON) -m venv $(AIRFLOW_VENV)
	$(AIRFLOW_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-airflow.lock
	touch $@

setup-airflow: $(AIRFLOW_VENV)/bin/.installed

run: setup build summary

build: setup
	mkdir -p warehouse
	$(DBT) build --quiet --warn-error-options '{"error": ["NoNodesForSelectionCriteria"]}'

# The uncertainty analysis (README "How sure is a rank?") would more than double the build, so its
# models are enabled only by the var `uncertainty`: `make run` leaves it out, `make uncertainty`
# adds it to the built warehouse, `make test` builds and tests it.
UNCERTAINTY_VARS := --vars '{uncertainty: true}'
# make test runs the same models on fewer draws (every code path, a fifth of the time); the
# properties under test do not depend on the number of draws.
UNCERTAINTY_TEST_VARS := --vars '{uncertainty: true, uncertainty_draws: 200, uncertainty_sobol_base_draws: 50}'
uncertainty: setup
	@test -f $${DCI_DUCKDB_PATH:-warehouse/digital_city_index.duckdb} || $(MAKE) --no-print-directory build
	$(DBT) build --quiet --select tag:uncertainty $(UNCERTAINTY_VARS)
	$(BIN)/python scripts/summary.py

summary: setup
	$(BIN)/python scripts/summary.py

test: setup lint check-seeds dbt-test validate check-sample pytest

lint: setup
	mkdir -p target/lint
	DCI_DUCKDB_PATH=target/lint/lint.duckdb $(BIN)/sqlfluff lint models tests analyses

check-seeds: setup
	$(BIN)/python scripts/build_geography.py --check

# great-expectations checkpoint over the marts (scripts/validate_marts.py); Data Docs in target/gx/.
validate: setup
	$(BIN)/python scripts/validate_marts.py --warehouse $(TEST_DB) --docs-dir target/gx/data_docs

docs: setup
	@test -f target/gx/data_docs/index.html || $(MAKE) --no-print-directory validate
	@echo "great-expectations Data Docs: file://$(CURDIR)/target/gx/data_docs/index.html"

# The committed synthetic sample must be exactly what the seeded generator produces.
check-sample: setup
	$(BIN)/python scripts/generate_sample.py --warehouse $(TEST_DB) --check

dbt-test: setup
	rm -f $(TEST_DB) && mkdir -p $(dir $(TEST_DB))
	DCI_DUCKDB_PATH=$(TEST_DB) $(DBT) build $(UNCERTAINTY_TEST_VARS)

pytest: setup setup-airflow
	DCI_DUCKDB_PATH=$(TEST_DB) DCI_REFERENCE_DUCKDB=$(TEST_DB) $(BIN)/pytest -q

# Production refresh (docs/operations.md): build a candidate beside the live file, test and
# validate it, swap it in atomically. Exit codes: 10 input rejected, 11 validation failed,
# 12 locked, 13 internal error.
refresh: setup
	$(BIN)/python scripts/refresh.py run

rollback: setup
	$(BIN)/python scripts/refresh.py rollback

bench: setup
	$(BIN)/python scripts/bench.py --runs 3

clean:
	rm -rf target logs dbt_packages
