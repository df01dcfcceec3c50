# The few things you can do with this package. Every target sets up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell $(PYTHON) -c "import hashlib;print(hashlib.sha256(open('requirements.txt','rb').read()).hexdigest()[:12])")
PORT ?= 8001
HOST ?= 127.0.0.1
ARCHIVE ?= ../shared/sources
ALLOW_SQL ?= 0

.PHONY: setup validate build test lint serve browser docs plots release lock clean

setup: $(STAMP)

# Reinstalls only when requirements.txt changes, so a second `make` is quick.
$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check --quiet --requirement requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

validate: setup
	$(BIN)/python scripts/validate.py datapackage.json --archive $(ARCHIVE)

build: setup
	$(BIN)/python scripts/build.py datapackage.json --archive $(ARCHIVE)

test: setup browser lint
	ARCHIVE_DIR=$(ARCHIVE) $(BIN)/python -m pytest -n 2

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The browser tests drive Debian's Chromium (playwright's own download needs internet).
browser:
	@command -v chromium >/dev/null || { echo "Installing Debian's chromium for the browser tests"; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -qq && \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -qq chromium >/dev/null; }

docs: setup
	$(BIN)/python scripts/docs.py

plots: setup
	$(BIN)/python scripts/plot.py

# dist/: the package zip, the SQLite database, Parquet tables and SHA256SUMS (pictures redrawn first).
release: plots
	$(BIN)/python scripts/release.py datapackage.json --archive $(ARCHIVE)

# The public configuration; ALLOW_SQL=1 lets anyone who reaches the server run their own SELECT (local use).
serve: build
	$(BIN)/python scripts/serve.py --host $(HOST) --port $(PORT) $(if $(filter 1,$(ALLOW_SQL)),--allow-sql)

# Re-pins the whole dependency tree from pyproject.toml's direct pins, in a throwaway venv.
lock:
	rm -rf /tmp/lock-venv && $(PYTHON) -m venv /tmp/lock-venv
	$(PYTHON) -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; print('\n'.join(p['dependencies'] + sum(p['optional-dependencies'].values(), [])))" > /tmp/lock-venv/direct.txt
	/tmp/lock-venv/bin/pip install --quiet --disable-pip-version-check --requirement /tmp/lock-venv/direct.txt
	/tmp/lock-venv/bin/pip freeze > requirements.txt

clean:
	rm -rf build dist .pytest_cache
