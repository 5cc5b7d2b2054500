# The make contract: install, serve, site, test, validate, new, offline, bench.
# Every target installs what it needs first; `make install` is a no-op when nothing changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM
export NO_MKDOCS_2_WARNING := 1

.PHONY: install serve site test validate browser-check clean

install: $(STAMP)

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet -r requirements.txt
	@touch $@

serve: install  ## the site on http://localhost:8000, rebuilt on every change
	$(BIN)/mkdocs serve --dev-addr localhost:8000

site: install  ## strict build into site/
	$(BIN)/mkdocs build --strict --site-dir site

validate: install  ## check products/, stakeholders.yml and vocabularies.yml without building
	@$(BIN)/python -m pim validate

browser-check:
	@test -x "$(CHROMIUM)" || { \
	  echo "No Chromium at $(CHROMIUM). Browser tests need it. Install it with:"; \
	  echo "    sudo apt-get install -y chromium"; \
	  echo "or set CHROMIUM=/path/to/chromium."; exit 1; }

test: install browser-check  ## the whole test suite
	$(BIN)/python -m pytest

clean:
	rm -rf site dist
