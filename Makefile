# Two commands on a fresh machine with only python3: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
# What `make run` needs, and on top of it what tests and tools need (pytest, ruff, sqlglot, PySpark,
# Playwright): serving the dashboard does not download the test tools.
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: setup setup-dev browser nginx run serve demo test check screenshots stress bench lint format docs reference clean

$(RUN_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUN_STAMP)

$(DEV_STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(DEV_STAMP)

setup: $(RUN_STAMP)

setup-dev: $(DEV_STAMP)

## Build demo data when the lake is empty, then serve the dashboard on http://localhost:$(PORT)
run: setup
	$(BIN)/python -m etl demo --if-empty
	$(BIN)/python -m etl marts
	$(BIN)/streamlit run dashboard.py --server.port $(PORT) --server.headless true

## Several Streamlit processes (one per core: PROCESSES=N) behind nginx with sticky sessions, on
## http://localhost:$(PORT); Ctrl-C stops them all (ui/serve.py, docs/performance.md "Serving many users")
PROCESSES ?= $(shell nproc 2>/dev/null || echo 2)
serve: setup nginx
	$(BIN)/python -m etl demo --if-empty
	$(BIN)/python -m etl marts
	$(BIN)/python -m ui.serve --processes $(PROCESSES) --port $(PORT)

## Debian's nginx for `make serve` and the load test, installed when missing
nginx:
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || (apt-get update -qq && apt-get install -y -qq nginx) \
		|| echo 'make nginx: could not install nginx (apt-get install nginx, as root)' >&2

## Rebuild the demo data (deterministic per seed)
demo: setup
	$(BIN)/python -m etl demo

## Debian's Chromium for the browser test (tests/browser), installed when missing; without it (no root,
## no apt) the browser test fails and says so
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium fonts-dejavu-core) \
		|| echo 'make browser: could not install chromium; the browser test (tests/browser) will fail' >&2

## The whole suite, as CI runs it (.ci/run)
test: setup-dev browser nginx
	$(BIN)/python -m pytest -q --durations=30

## Everyday work, a few minutes: lint, then every test not marked demo, slow, spark or browser (unit,
## golden, UI and runner tests; no demo build, no Spark, no browser). Lanes: docs/how-to.md "Tests"
CHECK_MARKERS := not demo and not slow and not spark and not browser
check: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q -m "$(CHECK_MARKERS)"

## Regenerate the README screenshots (docs/img/overview.png, docs/img/compare.png) with the browser test
screenshots: setup-dev browser
	CCHC_README_SCREENSHOTS=docs/img $(BIN)/python -m pytest -q -m browser tests/browser

## 100 loads killed with SIGKILL at random points; the lake must always be one whole state
stress: setup-dev
	$(BIN)/python tests/etl/crash_harness.py --trials 100

## Benchmarks (not part of make test): make bench [SCALE=1M,10M | SCALE=50M] [ENGINE=spark: queries only]
## [PART=etl: the ETL only, from generated exports | PART=serving: chart queries served against computed],
## then the load test (bench/load_test.py: 1, 5, 10, 20 users on one process and on processes behind nginx,
## 10 users during loads) on the LOAD_SCALE lake; with ENGINE=spark or PART=etl|serving it is not run.
## SCALE=national: a year of every province's monthly exports at 100 M dossiers (SCALE=national-10M, or any
## count, for another size): commune-level queries, a month's load and its mart rebuild, lake size per
## dossier (docs/performance.md "National bench"); no load test
SCALE ?= 1M,10M
ENGINE ?= duckdb
PART ?= all
LOAD_SCALE ?= 1M
bench: setup-dev nginx
	$(BIN)/python bench/run.py --scale $(SCALE) --engine $(ENGINE) --part $(PART)
	$(if $(filter duckdb,$(ENGINE)),$(if $(filter all,$(PART)),$(if $(findstring national,$(SCALE)),,$(BIN)/python bench/load_test.py --scale $(LOAD_SCALE))))

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Regenerate the docs rendered from code (data contract, indicators)
docs: setup-dev
	$(BIN)/python -m etl contract > docs/data-contract.md
	$(BIN)/python -m queries docs

## Rebuild the committed units of both eras, the crosswalk, the commune points and the 2025 province map
## from their kept sources (docs/units.md); a test requires the committed files to equal a fresh build
reference: setup-dev
	$(BIN)/python -m etl.reference_build units

clean:
	rm -rf $(VENV) data/lake data/*.duckdb
