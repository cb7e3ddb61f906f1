# Two commands on a fresh machine: `make demo` and `make test`. Both create .venv and install
# digest (editable; the distribution is `digest-news`) with the spaCy model, Zensical and the test
# dependencies first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: demo test serve bench quality chromium clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@# The distribution used to be called `digest` (on PyPI, another project's name): a .venv
	@# made then still has it, claiming the same `digest` command and package.
	$(BIN)/python -m pip uninstall --quiet --yes digest 2>/dev/null || true
	rm -rf digest.egg-info
	$(BIN)/python -m pip install --quiet -e '.[test,model,zensical]'
	touch $(STAMP)

# Debian's Chromium for the browser tests (never `playwright install`: it cannot download here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

demo: $(STAMP)
	$(BIN)/digest build
	@echo "The example digest is in site/ (open site/index.html, or run: make serve)"

test: $(STAMP) chromium
	$(BIN)/python -m pytest -q

serve: $(STAMP)
	$(BIN)/digest serve

quality: $(STAMP)
	$(BIN)/python -m digest.eval

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf site .digest-cache .pytest_cache
