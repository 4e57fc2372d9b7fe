# The pilot evaluation book.  `make help` lists the targets.
# On a fresh machine: `make book` builds the book, `make test` runs every test.
# Both create .venv and install the pinned lock (requirements.txt) when it is missing or stale.

SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA ?= data
CHROMIUM ?= /usr/bin/chromium
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
export GX_ANALYTICS_ENABLED := False
export PYTHONHASHSEED := 0
# Byte-code caches on (some shells switch them off): pytest then rewrites the test modules' asserts
# once, not in every worker of every run (2 s per worker).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help book pdf validate test test-fast serve clean env synth bench chromium

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml assets/package-lock.json
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required (set PYTHON=/path/to/python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==26.3
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (pilotbook)" >/dev/null
	@command -v npm >/dev/null || { echo "npm is needed once, to install the pinned Data Docs assets (Debian: apt-get install npm)"; exit 1; }
	npm ci --prefix assets --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(STAMP)

env: $(STAMP) ## Create/refresh the virtual environment from the lock

book: $(STAMP) ## Validate the data, execute the notebooks and build the book into _build/html (DATA=dir)
	$(BIN)/pilotbook build --data $(DATA) --jobs $(JOBS)

pdf: $(STAMP) chromium ## make book, then print the whole book to one PDF with Chromium: _build/html/pilotbook.pdf (cached like the site)
	$(BIN)/pilotbook build --data $(DATA) --jobs $(JOBS) --pdf

validate: $(STAMP) ## Check a data folder against the contracts only (DATA=dir)
	$(BIN)/pilotbook validate --data $(DATA)

chromium: ## Install Debian's Chromium for the browser tests when it is missing (apt-get; never a downloaded browser build)
	@if [ -x "$(CHROMIUM)" ]; then exit 0; fi; \
	command -v apt-get >/dev/null || { echo "The browser tests need Chromium at $(CHROMIUM) (Debian: apt-get install chromium)"; exit 1; }; \
	sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	echo "Installing Debian's chromium for the browser tests (tests/browser)"; \
	$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends \
		chromium fonts-liberation fonts-dejavu-core >/dev/null

test: pdf chromium ## Run every test: unit, contracts, provenance, pipeline, site (with the PDF edition), browser (Chromium), and nbval over the executed notebooks (DATA=dir)
	PILOTBOOK_DATA=$(DATA) PILOTBOOK_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -n $(JOBS) --dist loadfile tests book/_generated --nbval --nbval-current-env

test-fast: $(STAMP) ## The inner loop (under a minute): the tests not marked slow (no build, no notebook execution, no regeneration, no bad-input corpus)
	PILOTBOOK_DATA=$(DATA) $(BIN)/python -m pytest -n $(JOBS) --dist loadfile -m "not slow" --ignore=tests/site tests

bench: book ## Benchmark: cold, no-op and partial rebuilds against papermill + jupyter-book, register tables on 1,000,000 persons
	$(BIN)/python benchmarks/build.py

synth: $(STAMP) ## Regenerate the SYNTHETIC example data from the published margins (fixed seeds in pilotbook.toml)
	$(BIN)/pilotbook synth --data $(DATA)

serve: ## Serve the built site on http://127.0.0.1:8000
	$(BIN)/python -m http.server --directory _build/html --bind 127.0.0.1 8000

clean: ## Remove the built site, generated notebooks and build state (keeps .venv)
	rm -rf _build book/_generated
