# Two commands set everything up on a fresh machine: `make run` and `make test`.

PYTHON ?= python3
VENV := .venv
PIP := $(VENV)/bin/pip
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app app

.PHONY: run test lint deps dev-deps assets chromium pdf-libs bench clean

run: deps assets pdf-libs
	$(FLASK) db upgrade
	$(FLASK) demo seed
	$(FLASK) risk scan
	SCHEDULER=$${SCHEDULER:-embedded} $(FLASK) serve

# Two pytest-xdist workers, one per core; each has its own temp folder and database (tests/conftest.py).
TEST_WORKERS ?= 2
PYTEST := $(PY) -m pytest -n $(TEST_WORKERS)

# With TEST_DATABASE_URL set (.ci/run sets it), the suite runs on SQLite and, side by side, on
# PostgreSQL: each run waits on browsers, servers and the database much of the time, so the two
# together take little longer than one. The PostgreSQL run leaves out the tests that never reach a
# database (they answered on SQLite). Each line is marked with its run.
SHELL := /bin/bash
test: dev-deps assets chromium pdf-libs lint
	@if [ -z "$$TEST_DATABASE_URL" ]; then \
		echo "TEST_DATABASE_URL not set: the suite runs on SQLite only (.ci/run sets it)."; \
		env -u TEST_DATABASE_URL $(PYTEST); \
	else \
		echo "== The suite on SQLite and, side by side, on PostgreSQL ($$TEST_DATABASE_URL) =="; \
		( set -o pipefail; env -u TEST_DATABASE_URL $(PYTEST) 2>&1 | sed -u 's/^/[sqlite] /' ) & sqlite=$$!; \
		( set -o pipefail; $(PYTEST) --database-tests-only 2>&1 | sed -u 's/^/[postgresql] /' ) & postgresql=$$!; \
		failed=""; \
		wait $$sqlite || failed="SQLite"; \
		wait $$postgresql || failed="$$failed PostgreSQL"; \
		if [ -n "$$failed" ]; then echo "The suite failed on: $$failed"; exit 1; fi; \
		echo "The suite passed on SQLite and PostgreSQL."; \
	fi

lint: dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -r tracker --severity-level medium

deps: $(VENV)/.deps
dev-deps: $(VENV)/.dev-deps
assets: static/.built

$(VENV)/.deps: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements-dev.txt $(VENV)/.deps
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/.built: node_modules/.installed $(wildcard frontend/*)
	npm run --silent build
	touch $@

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Chromium from Debian for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# WeasyPrint draws board packs with Pango (Chromium pulls it in; a bare machine may not have it).
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation

pdf-libs:
	@dpkg -s $(PDF_LIBS) >/dev/null 2>&1 || { \
		echo "Installing Pango and Liberation fonts from Debian for PDF board packs"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_LIBS) >/dev/null; }

clean:
	rm -rf static node_modules $(VENV)
