# digital-city-index — one entry point for every stage.
#   make run    set up, build the warehouse (warehouse/digital_city_index.duckdb), print a summary
#   make test   everything that guards the product: lint, generated-seed checks, dbt build, pytest
#   make sample regenerate the synthetic sample (data/sample/) from a fresh reference build
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

.PHONY: setup setup-airflow setup-duckdb1 setup-dashboard setup-browser setup-metricflow dashboard metrics report run build uncertainty summary template new-framework test lint lint-python lint-sql check-seeds unit-test sample check-sample dbt-test validate docs pytest bench refresh rollback soak scale-sample clean

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

# The uncertainty analysis (README "How sure is a rank?") would more than double the build, so its
# models are enabled only by the var `uncertainty`: `make run` leaves it out; `make uncertainty`
# publishes it through the safe refresh (a candidate with every test, drop guard, atomic swap:
# the live file is either untouched or replaced whole, exit codes as `make refresh`), after which
# every refresh keeps it; `make test` builds and tests it.
# `make uncertainty UNCERTAINTY_VARS='{"uncertainty_draws": 2000}'` changes its dbt vars (JSON).
# make test runs the same models on fewer draws (every code path, a fifth of the time); the
# properties under test do not depend on the number of draws.
UNCERTAINTY_TEST_VARS := --vars '{uncertainty: true, uncertainty_draws: 200, uncertainty_sobol_base_draws: 50}'
uncertainty: setup
	$(call exact_exit,$(REFRESH_RUN) --uncertainty $(if $(UNCERTAINTY_VARS),'$(UNCERTAINTY_VARS)'))

summary: setup
	$(BIN)/python scripts/summary.py

# A raw-value CSV to fill in for one framework (README "Computing scores from your own indicator
# values"): make template FRAMEWORK=h3c_dei_2021__city [UNITS="锦州 景德镇"] [OUT=path.csv]
template: setup
	$(BIN)/python scripts/template.py "$(FRAMEWORK)" --units "$(UNITS)" $(if $(OUT),--out "$(OUT)")

# A new framework or edition from an earlier framework's tree (README "Extending"); writes the
# tree macro, notes, leaf catalog and their YAML entries, and prints what is left to you.
#   make new-framework FROM=h3c_dei_2021__city TO=h3c_dei_2023__city
new-framework: setup
	$(BIN)/python scripts/new_framework.py "$(FROM)" "$(TO)"

# Fast checks first, so the first failure is the informative one (make runs prerequisites in
# the order listed): ruff and the seed check take seconds, the warehouse-free unit tests about
# ten, sqlfluff about three minutes, then the dbt build and everything that reads it.
test: setup lint-python check-seeds unit-test lint-sql dbt-test validate check-sample pytest

lint: lint-python lint-sql

lint-python: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lint-sql: setup
	mkdir -p target/lint
	DCI_DUCKDB_PATH=target/lint/lint.duckdb $(BIN)/sqlfluff lint models tests analyses

check-seeds: setup
	$(BIN)/python scripts/build_geography.py --check

# pytest files that need no warehouse (hand-computed cases, the calibration rule, the geography
# resolver, source references): run before the build; `make pytest` runs the rest.
UNIT_TESTS := $(addprefix tests/python/,test_reference_engine.py test_calibration_rule.py \
    test_build_geography.py test_source_refs.py)
unit-test: setup
	$(BIN)/pytest -q $(UNIT_TESTS)

# great-expectations checkpoint over the marts (scripts/validate_marts.py); Data Docs in target/gx/.
validate: setup
	$(BIN)/python scripts/validate_marts.py --warehouse $(TEST_DB) --docs-dir target/gx/data_docs

docs: setup
	@test -f target/gx/data_docs/index.html || $(MAKE) --no-print-directory validate
	@echo "great-expectations Data Docs: file://$(CURDIR)/target/gx/data_docs/index.html"

# The committed synthetic sample must be exactly what the seeded generator produces.
check-sample: setup
	$(BIN)/python scripts/generate_sample.py --warehouse $(TEST_DB) --check

# Regenerate data/sample/ (after a change to the published seeds, a framework or the generator):
# build the reference warehouse the generator reads (models and seeds only: the data tests
# judge the very sample being replaced), write the files, print the calibration report (exit 1
# when a target no recorded discrepancy excuses is missed). Review the change with git diff.
REFERENCE_DB := target/reference/digital_city_index.duckdb
sample: setup
	rm -f $(REFERENCE_DB) && mkdir -p $(dir $(REFERENCE_DB))
	DCI_DUCKDB_PATH=$(REFERENCE_DB) $(DBT) build --quiet --exclude-resource-type test unit_test
	$(BIN)/python scripts/generate_sample.py --warehouse $(REFERENCE_DB)

dbt-test: setup
	rm -f $(TEST_DB) $(TEST_DB:.duckdb=_serving.duckdb) && mkdir -p $(dir $(TEST_DB))
	DCI_DUCKDB_PATH=$(TEST_DB) $(DBT) build $(UNCERTAINTY_TEST_VARS)

pytest: setup setup-airflow setup-duckdb1 setup-browser setup-metricflow unit-test
	DCI_DUCKDB_PATH=$(TEST_DB) DCI_REFERENCE_DUCKDB=$(TEST_DB) DCI_DUCKDB1_DIR=$(DUCKDB1_DIR) \
	    $(BIN)/pytest -q $(addprefix --ignore=,$(UNIT_TESTS))

# Production refresh (docs/operations.md): build a candidate beside the live file, test and
# validate it, compare it with the live file (drop guard), swap it in atomically.
# `make refresh` exits with refresh.py's own code — 0 published, 10 input rejected, 11 validation
# failed, 12 locked, 13 internal error — not make's 2: the recipe hands make's process to the
# command through the dci-exec plugin (scripts/make/dci_exec.c). Without a C compiler the plugin
# is absent, the recipe runs as usual and make reports the code as "Error 10" with exit 2.
#   make refresh ALLOW_DROP=h3c_cddi_2022__zone   publish even though that framework would vanish
DCI_EXEC := target/make/dci_exec.so
ifneq ($(filter load,$(.FEATURES)),)
-load $(DCI_EXEC)
endif
$(DCI_EXEC): scripts/make/dci_exec.c
	@mkdir -p $(dir $@)
	@$(CC) -shared -fPIC -O2 -o $@ $< || echo "warning: no C compiler built $@;" \
	  "make refresh will report its exit code as make's 2 (scripts/refresh.py run gives it exactly)" >&2

# $(call exact_exit,COMMAND): run COMMAND as the recipe, make's exit status = COMMAND's. The
# exec'd command gets make's own environment, so the exports and any DCI_* variable given on the
# command line (make refresh DCI_RAW_DATA_DIR=…) are passed explicitly. `make -n` only prints.
DRY_RUN := $(findstring n,$(firstword -$(MAKEFLAGS)))
exact_exit = $(if $(DRY_RUN),,$(dci-exec $(REFRESH_ENV) exec $(1)))$(1)
comma := ,
ALLOW_DROP ?=
DCI_SETTINGS := DCI_DUCKDB_PATH DCI_RAW_DATA_DIR DCI_LOG_FILE DCI_KEEP_GENERATIONS DCI_MAX_UNIT_LOSS
REFRESH_ENV = DBT_PROFILES_DIR='$(CURDIR)' DBT_SEND_ANONYMOUS_USAGE_STATS=false \
  $(foreach v,$(DCI_SETTINGS),$(if $($(v)),$(v)='$($(v))'))
REFRESH := $(BIN)/python scripts/refresh.py
REFRESH_RUN := $(REFRESH) run $(foreach f,$(subst $(comma), ,$(ALLOW_DROP)),--allow-drop $(f))

refresh: setup
	$(call exact_exit,$(REFRESH_RUN))

rollback: setup
	$(call exact_exit,$(REFRESH) rollback $(if $(TO),--to '$(TO)'))

# Kill test (docs/operations.md "Soak"): SIGKILLs whole refresh process groups at >= 50 random
# moments and reports what it found; make test runs the short version (tests/python/test_soak.py).
SOAK_KILLS ?= 50
soak: setup
	$(call exact_exit,$(BIN)/python scripts/soak.py --kills $(SOAK_KILLS) --report docs/soak_report.md)

# SCALE: sizes (indicator values) of the scale section, e.g. make bench SCALE=1e5,1e6 (SCALE= skips it).
SCALE ?= 1e5,1e6,1e7
bench: setup
	$(BIN)/python scripts/bench.py --runs 3 --scale "$(SCALE)"

# N SYNTHETIC units and their raw values (scripts/scale_sample.py), a raw-data folder to build
# from: make scale-sample N=20000 [FRAMEWORK=h3c_cddi_2022__city] [OUT=data/scale] [SEED=…]
scale-sample: setup
	$(BIN)/python scripts/scale_sample.py --units "$(N)" --out "$(or $(OUT),data/scale)" \
	    $(if $(FRAMEWORK),--framework "$(FRAMEWORK)") $(if $(SEED),--seed "$(SEED)") \
	    $(if $(MISSING),--missing-share "$(MISSING)")

clean:
	rm -rf target logs dbt_packages
