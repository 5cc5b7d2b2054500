# The make contract: install, serve, site, test, validate, new, offline, bench.
# Every target installs what it needs first; `make install` is a no-op when nothing changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM
export NO_MKDOCS_2_WARNING := 1
# Python keeps what it compiles (.venv, pim/, hooks/, tests/: all git-ignored), even where the
# machine says not to (PYTHONDONTWRITEBYTECODE, set on CI's machines): there every build and every
# test process compiled MkDocs, Material and our modules again, a third of a build's CPU.
export PYTHONDONTWRITEBYTECODE :=

.PHONY: install serve site test validate new browser-check clean offline bench linkcheck check checksums report pdf

install: $(STAMP)

# uv, pinned in requirements.txt like the rest, installs the pins in about 3 s where pip took 40 s
# (a fresh clone's CI run waits for it): pip brings in uv alone, uv the rest. The venv has no pip
# of its own (making one took 4.5 s): the machine's pip installs uv into it, or, where the machine
# has none, the venv gets its own after all. --native-tls: the system's certificates, as pip is
# given them (PIP_CERT), not uv's own list. Packages are compiled when first imported, not all
# here (--compile-bytecode took 3.6 s of a fresh clone's CI run).
UV_INSTALL := $(BIN)/uv pip install --quiet --native-tls --python $(BIN)/python
PIP_UV := install --disable-pip-version-check --quiet "$$(grep -m1 '^uv==' requirements.txt)"
$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv --without-pip $(VENV)
	@if $(PYTHON) -m pip --python $(BIN)/python --version >/dev/null 2>&1; then \
	  $(PYTHON) -m pip --python $(BIN)/python $(PIP_UV); \
	else $(BIN)/python -m ensurepip --default-pip >/dev/null && $(BIN)/python -m pip $(PIP_UV); fi
	$(UV_INSTALL) -r requirements.txt
	@# The project itself (pim/, hooks/), editable, built with the pinned setuptools above.
	$(UV_INSTALL) --no-deps --no-build-isolation -e .
	@touch $@

# --dirty: each rebuild writes only the pages a change touches (hooks/rebuild.py); a change to
# mkdocs.yml, overrides/ or the vocabularies still rebuilds everything. PORT=8001 for another port.
PORT ?= 8000
serve: install  ## the site on http://localhost:8000 (PORT=...), rebuilt on every change
	$(BIN)/mkdocs serve --dirty --dev-addr localhost:$(PORT)

site: install  ## strict build into site/
	$(BIN)/mkdocs build --strict --site-dir site

# npm tools (package-lock.json): the iframe-worker shim for the offline edition, checkers for tests.
# `npm ci` runs only when node_modules is missing or older than the lock file.
NPM_STAMP := node_modules/.package-lock.json

$(NPM_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js (sudo apt-get install -y nodejs npm)."; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

# The offline edition. Its date is the last commit's, so two builds of one commit give the same zip.
OFFLINE_SITE := dist/pim-guide-offline
offline: export SOURCE_DATE_EPOCH := $(or $(shell git log -1 --format=%ct 2>/dev/null),1704067200)
# Documents are fetched into it (cache: .cache/downloads/); sizes kept: mkdocs-offline.yml; run
# switches: OFFLINE_REFRESH=1, OFFLINE_TIMEOUT, OFFLINE_FETCH_HOSTS (README.md).
offline: install $(NPM_STAMP)  ## the offline editions: dist/pim-guide-offline[-<lang>].zip and .sha256
	$(BIN)/python -m pim.offline_edition --site-dir $(OFFLINE_SITE) --dist dist

# The print editions (issue 22): per language, the guide as a book and the quick-reference card (A3),
# printed by Chromium with the fonts pinned in package-lock.json; the same commit gives the same bytes.
# `make offline` and `make site` run after it carry them (zips, /download/).
pdf: export SOURCE_DATE_EPOCH := $(or $(shell git log -1 --format=%ct 2>/dev/null),1704067200)
pdf: install browser-check $(NPM_STAMP)  ## the print editions: dist/pim-guide-<lang>.pdf and dist/pim-quick-reference-<lang>.pdf
	$(BIN)/python -m pim.pdf_edition --dist dist

# The same settings as `make offline` (OFFLINE_TIMEOUT, OFFLINE_FETCH_HOSTS, ...) and the same cache.
checksums: install  ## write the sha256 of each product file that has none into its product file
	$(BIN)/python -m pim.checksums

validate: install  ## check products/, stakeholders.yml, vocabularies.yml and translations.yml without building
	@$(BIN)/python -m pim validate

# TITLE and ID reach the recipe through the environment, so quotes in a title cannot break the shell.
new: install  ## a new product file to fill in: make new TITLE="My product" [ID=my-product]
	@$(BIN)/python -m pim new "$$TITLE" $${ID:+--id "$$ID"}

browser-check:
	@test -x "$(CHROMIUM)" || { \
	  echo "No Chromium at $(CHROMIUM). Browser tests need it. Install it with:"; \
	  echo "    sudo apt-get install -y chromium"; \
	  echo "or set CHROMIUM=/path/to/chromium."; exit 1; }

# One test process per core (pytest-xdist); a test file's tests stay in one process, so its
# module fixtures are made once; the shared site builds are made once for all, and the files are
# handed out slowest first (tests/conftest.py).
# Our modules are compiled first: the builds in project copies then read them compiled.
test: install browser-check $(NPM_STAMP)  ## the whole test suite
	$(BIN)/python -m compileall -q pim hooks tests
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder

# The quick answer for a change to data, pim/ or the CLI: the tests marked `unit` (tests/conftest.py
# marks each test unit, build or browser from what it uses), in process, with no site build and
# no browser (PIM_UNIT_ONLY makes a misclassified test fail instead of building). About 13 s of CPU time.
check: install $(NPM_STAMP)  ## the unit tests only: no build, no browser
	PIM_UNIT_ONLY=1 $(BIN)/python -m pytest -m unit -q

# Build speed, memory and size of the site that ships (four languages) against plain Material with
# mkdocs-static-i18n, English only against plain Material, and offline search in Chromium. Long
# (an hour or more for the three sizes); results in benchmarks/results/latest.json. Each
# benchmark is its own script under benchmarks/: add a line below for a new one.
SIZES ?= 1000 2000 10000
# The search benchmark compares with the project before the forgiving search (issue 14).
SEARCH_BEFORE ?= 83a7227
# Lighthouse has a lock of its own (benchmarks/package.json): `make test` does not download it.
BENCH_NPM_STAMP := benchmarks/node_modules/.package-lock.json
$(BENCH_NPM_STAMP): benchmarks/package.json benchmarks/package-lock.json
	npm ci --prefix benchmarks --no-audit --no-fund
	@touch $@
bench: install browser-check $(NPM_STAMP) $(BENCH_NPM_STAMP)  ## the benchmarks: make bench [SIZES="1000 2000"]
	$(BIN)/python benchmarks/bench.py --sizes $(SIZES)
	$(BIN)/python benchmarks/page_weight.py
	$(BIN)/python benchmarks/lighthouse.py
	$(BIN)/python benchmarks/offline_docs.py
	$(BIN)/python benchmarks/pdf.py
	$(BIN)/python benchmarks/search_speed.py --before-ref $(SEARCH_BEFORE)
	$(BIN)/python benchmarks/glossary_index.py

# External links need the internet, so this is not part of `make test`. Every address in products/,
# stakeholders.yml and docs/ is checked once; each broken one is reported where it is written, as
# products/<id>.md:LINE: <url>: <status> (pim/linkcheck.py). TIMEOUT=seconds per address.
TIMEOUT ?= 20
linkcheck: install  ## check the sources' links to other sites (needs the internet)
	@$(BIN)/python -m pim linkcheck --timeout $(TIMEOUT)

# Issue 18: the products due for a review (reviewed / review_every), one line each as file:line.
report: install  ## products due for a review, and pages and summaries not translated yet, as file:line
	@$(BIN)/python -m pim report

clean:
	rm -rf site dist
