# Omtanke – set-up and everyday commands. On a fresh machine:
#   make demo   installs everything and checks an example post
#   make test   installs everything and runs the whole test suite (what CI runs)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint install bench clean ocr-tools test-tools

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "fejl: $(PYTHON) mangler (Python 3.11+)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# The main job: check an example post (a named child from work and a CPR number → stop).
# Exit code 1 means "findings at or above --fail-on", which is the expected result here.
demo: $(STAMP) ocr-tools
	$(BIN)/omtanke check --kommune vejle --kanal private_profile -f examples/opslag-vejle.txt || [ $$? -eq 1 ]

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/mypy

# Debian packages, installed only when missing (apt-get; sudo when not root):
#   ocr-tools  Tesseract with Danish data, to read text in photos (make demo and make test)
#   test-tools PostgreSQL's initdb/pg_ctl for the register tests (they start their own server
#              in a temporary folder on 127.0.0.1) and Chromium for the browser tests
APT_INSTALL = SUDO=; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends

ocr-tools:
	@if command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx dan; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  echo "installerer Tesseract med dansk (tesseract-ocr, tesseract-ocr-dan) til tekst i billeder"; \
	  $(APT_INSTALL) tesseract-ocr tesseract-ocr-dan >/dev/null; \
	else echo "advarsel: Tesseract mangler; tekst i billeder læses ikke (resten virker)"; fi

test-tools: ocr-tools
	@if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  echo "installerer PostgreSQL (initdb, pg_ctl) til registertestene"; \
	  $(APT_INSTALL) postgresql >/dev/null; \
	else echo "advarsel: initdb/pg_ctl mangler; PostgreSQL-testene springes over (fejler når CI=true)"; fi
	@if [ -x /usr/bin/chromium ]; then :; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  echo "installerer Chromium til browsertestene"; \
	  $(APT_INSTALL) chromium >/dev/null; \
	else echo "advarsel: /usr/bin/chromium mangler; browsertestene springes over (fejler når CI=true)"; fi

test: lint test-tools
	$(BIN)/pytest

# Speed and quality against Presidio, on one core (see scripts/bench.py).
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) build *.egg-info
