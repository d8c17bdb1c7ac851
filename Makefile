# Candor — the newcomer's commands. Every target installs what it needs first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
MO     := candor/locale/zh_Hans/LC_MESSAGES/django.mo candor/locale/en/LC_MESSAGES/django.mo
PYTEST_ARGS ?= -n 2

.PHONY: run test lint bench messages makemessages vendor browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $(STAMP)

# gettext's msgfmt compiles the translations; Debian ships it in "gettext".
$(MO): $(STAMP) $(wildcard candor/locale/*/LC_MESSAGES/django.po)
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)
	cd candor && ../$(BIN)/django-admin compilemessages --ignore=.venv -v 0
	touch $(MO)

messages: $(MO)

makemessages: $(STAMP)
	cd candor && ../$(BIN)/django-admin makemessages -l zh_Hans -l en --no-obsolete -v 0

run: $(STAMP) $(MO)
	CANDOR_SIMULATORS=1 $(BIN)/candor demo

# Debian's Chromium for the browser tests (never a browser download of Playwright's own).
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/candor check --fail-level WARNING
	$(BIN)/candor makemigrations --check --dry-run -v 0

test: $(STAMP) $(MO) browser lint
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(STAMP) $(MO)
	$(BIN)/python -m bench

# Refresh static/vendor from the pinned npm packages in package.json.
vendor:
	npm install --no-audit --no-fund --ignore-scripts
	cp node_modules/htmx.org/dist/htmx.min.js candor/static/vendor/htmx.min.js

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache .mypy_cache .ruff_cache
