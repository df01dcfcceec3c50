# The few things you can do with this package. Every target sets up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# uv installs the lock; pip bootstraps it into a folder of its own, at the version pyproject.toml requires.
UV_VERSION := $(shell sed -n 's/^required-version = "==\(.*\)"/\1/p' pyproject.toml)
# uv and the pinned Chromium are kept per user, beside pip's, uv's and npm's caches, so a second clone reuses them
# (scripts/chromium.py finds the same folder; TOOLS=DIR puts them elsewhere).
# make cannot take a path holding a space as a target: such a cache folder gives way to .tools/ in the clone.
TOOLS_IN_CACHE := $(or $(XDG_CACHE_HOME),$(if $(HOME),$(HOME)/.cache,.tools))/cambodia-china-anti-fraud
ifeq ($(strip $(TOOLS)),)
override TOOLS := $(if $(word 2,$(TOOLS_IN_CACHE)),.tools/cambodia-china-anti-fraud,$(TOOLS_IN_CACHE))
endif
ifneq ($(TOOLS),$(firstword $(TOOLS)))
$(error TOOLS="$(TOOLS)" holds a space, which make cannot take in a path: give a folder without one)
endif
export TOOLS
UV_HOME := $(TOOLS)/uv-$(UV_VERSION)
UV := $(UV_HOME)/bin/uv
# .venv runs on $(PYTHON); uv never downloads an interpreter of its own.
export UV_PYTHON_DOWNLOADS := never
# Python keeps the modules it compiles (in __pycache__/, ignored by git), even where the machine sets
# PYTHONDONTWRITEBYTECODE: without them every process compiles pandas, frictionless and Datasette from source
# again (an import of the stack took 2.8 s instead of 1.4 s), and the tests start many processes.
export PYTHONDONTWRITEBYTECODE :=
PORT ?= 8001
HOST ?= 127.0.0.1
ARCHIVE ?= ../shared/sources
ALLOW_SQL ?= 0

.PHONY: setup validate verdicts format build test knockout lint serve browser docs plots release lock clean

setup: $(VENV)/.synced

# From PyPI whatever this machine's pip configuration says (PIP_CONFIG_FILE=/dev/null, --isolated), as on a fresh machine.
# With the Python's own pip, into a plain folder (--target: no venv to make, whose ensurepip took 4 of the 6 s); where
# that pip is missing or too old (before 22.1, without --root-user-action), into a venv of its own, whose ensurepip
# brings a pip.
PIP_INSTALL_UV := install --isolated --quiet --disable-pip-version-check uv==$(UV_VERSION)
# Installed into a folder of its own and moved into place whole (a rename), so a failed, interrupted or concurrent
# bootstrap (two clones at once) never leaves a half-installed uv where the next run would take it for a whole one;
# a whole uv another run moved there first is kept.
RENAME := $(PYTHON) -c 'import os, sys; os.rename(sys.argv[1], sys.argv[2])'
$(UV):
	@echo "Bootstrapping uv $(UV_VERSION) from PyPI into $(UV_HOME)/ (kept for every clone of this project) …"
	@mkdir -p "$(TOOLS)"
	@tmp="$$(mktemp -d "$(TOOLS)/.uv-$(UV_VERSION)-XXXXXX")" || exit 1; \
	trap 'rm -rf "$$tmp" "$$tmp.stale"' EXIT; trap 'exit 1' INT TERM HUP; \
	chmod 755 "$$tmp"; \
	if $(PYTHON) -m pip install --help 2>/dev/null | grep -q -- --root-user-action; then \
	  PIP_CONFIG_FILE=/dev/null $(PYTHON) -m pip $(PIP_INSTALL_UV) --root-user-action=ignore --target "$$tmp"; \
	else \
	  $(PYTHON) -m venv "$$tmp" && PIP_CONFIG_FILE=/dev/null "$$tmp/bin/python" -m pip $(PIP_INSTALL_UV); \
	fi && "$$tmp/bin/uv" --version >/dev/null || { echo "make setup: could not install uv $(UV_VERSION) with $(PYTHON)'s pip" >&2; exit 1; }; \
	$(RENAME) "$$tmp" "$(UV_HOME)" 2>/dev/null || [ -x "$(UV)" ] || \
	{ $(RENAME) "$(UV_HOME)" "$$tmp.stale" 2>/dev/null && $(RENAME) "$$tmp" "$(UV_HOME)" 2>/dev/null; } || \
	{ echo "make setup: could not move uv into $(UV_HOME)" >&2; exit 1; }

# uv sync makes .venv exactly the lock (adds, changes and removes packages, checking every hash), and only
# when uv.lock or pyproject.toml changed since the last sync, so a second `make` costs nothing.
# uv itself is needed only to sync: an environment in sync runs without it (its folder is a cache, and may be emptied).
$(VENV)/.synced: uv.lock pyproject.toml
	@$(MAKE) -s --no-print-directory "$(UV)"
	@echo "Installing what uv.lock pins ($$(grep -c '^source = { registry' uv.lock) packages, some only for other platforms) into $(VENV) with uv …"
	@$(UV) sync --locked --extra test --python $(PYTHON) --quiet || \
	  { echo "make setup failed; if uv says uv.lock needs to be updated, run \`make lock\` after editing pyproject.toml" >&2; exit 1; }
	@touch $@

validate: setup
	$(BIN)/python scripts/validate.py datapackage.json --archive $(ARCHIVE)

# Each claim's verdict, derived from the citations, written into the CSVs (the validator reports a stale one).
verdicts: setup
	$(BIN)/python scripts/verification.py datapackage.json

# Every CSV in the package's layout: sorted by primary key, text quoted (run after editing in a spreadsheet).
format: setup
	$(BIN)/python scripts/format_csv.py datapackage.json

build: setup
	$(BIN)/python scripts/build.py datapackage.json --archive $(ARCHIVE)

test: setup browser lint
	ARCHIVE_DIR=$(ARCHIVE) $(BIN)/python -m pytest -n 2 --dist loadgroup

# Break each rule on each table, and each listed build, release and site guarantee, and check the tests notice:
# prints "N mutations, N caught" (a few minutes; not part of `make test`).
knockout: setup
	ARCHIVE_DIR=$(ARCHIVE) $(BIN)/python -m pytest -n 2 --dist loadgroup -m knockout -q

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The browser tests drive a pinned headless Chromium that npm fetches and scripts/chromium.py unpacks
# into $(TOOLS) (a few seconds, no root, once per machine); without npm, Debian's chromium through apt-get.
browser: setup
	@$(BIN)/python scripts/chromium.py

# Each of these validates the package first and writes nothing when it has problems.
# The README's table list, docs/data-dictionary.md and CITATION.cff, from datapackage.json, the schemas and the data.
docs: setup
	$(BIN)/python scripts/docs.py datapackage.json --archive $(ARCHIVE)

plots: setup
	$(BIN)/python scripts/plot.py datapackage.json --archive $(ARCHIVE)

# dist/: the package zip, the SQLite database, Parquet tables and SHA256SUMS (pictures redrawn first).
release: plots
	$(BIN)/python scripts/release.py datapackage.json --archive $(ARCHIVE)

# The public configuration: a mistyped or busy PORT is refused first, before anything is installed or built.
# ALLOW_SQL=1 lets anyone who reaches the server run their own SELECT (local use).
serve:
	@$(PYTHON) scripts/port_check.py --host=$(HOST) --port=$(PORT)
	@$(MAKE) --no-print-directory build
	$(BIN)/python scripts/serve.py --host $(HOST) --port $(PORT) $(if $(filter 1,$(ALLOW_SQL)),--allow-sql)

# Re-resolves uv.lock from pyproject.toml's pins (`make lock LOCK=--upgrade` also moves the unpinned tree forward).
lock: $(UV)
	$(UV) lock $(LOCK)

clean:
	rm -rf build dist .pytest_cache .tools
