# Omtanke – set-up and everyday commands. On a fresh machine:
#   make demo   installs everything and checks an example post
#   make test   installs everything and runs the whole test suite (what CI runs)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint install bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "fejl: $(PYTHON) mangler (Python 3.11+)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# The main job: check an example post (a named child from work and a CPR number → stop).
# Exit code 1 means "findings at or above --fail-on", which is the expected result here.
demo: $(STAMP)
	$(BIN)/omtanke check --kommune vejle --kanal private_profile -f examples/opslag-vejle.txt || [ $$? -eq 1 ]

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

# Speed and quality against Presidio, on one core (see scripts/bench.py).
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) build *.egg-info
