# Every target bootstraps .venv from the pinned requirements by itself.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ADDR ?= 127.0.0.1:8000
# Corpus to build; defaults to drucksachen/ (the hook reads DRUCKSACHEN_DIR).
export DRUCKSACHEN_DIR
# Material prints a banner about its successor on every build; it is not ours to act on.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test check lint clean

# The pinned checkers of the accessibility and HTML tests (axe-core, vnu.jar) from tests/browser/package-lock.json.
# --ignore-scripts: vnu-jar's install script would download a Java runtime; the system's Java is used instead.
CHECKERS := tests/browser/node_modules/.installed
$(CHECKERS): tests/browser/package.json tests/browser/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is required for the accessibility tests (apt-get install npm)." >&2; exit 1; }
	cd tests/browser && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

$(STAMP): requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || { echo "Python >= 3.11 is required." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty --dev-addr $(ADDR)

build: $(STAMP)
	$(BIN)/mkdocs build --strict --clean

check: $(STAMP)
	$(BIN)/python scripts/drucksache.py check

lint: $(STAMP)
	$(BIN)/ruff check hooks scripts tests
	$(BIN)/mypy

# Lint first: the same tooling contract (pyproject.toml) locally and in CI.
test: lint $(CHECKERS)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf site .pytest_cache
