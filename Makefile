# navfit developer commands. `make demo` and `make test` work from a fresh clone
# with only Python >= 3.11 and a package index.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
NAVFIT_LIGHTCURVES ?= ../shared/lightcurves
export NAVFIT_LIGHTCURVES
NAVFIT_SURVEY ?= ../shared/survey
export NAVFIT_SURVEY
NAVFIT_MULTIBAND ?= ../shared/multiband
export NAVFIT_MULTIBAND

.PHONY: demo test test-slow lint bench samples clean clean-cache docs

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(VENV)/.installed
	$(BIN)/python -m navfit.demo data out

test: $(VENV)/.installed
	$(BIN)/ruff check navfit tests bench tools
	$(BIN)/ruff format --check navfit tests bench tools
	$(BIN)/python -m pytest

$(VENV)/.docs-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[docs]'
	touch $@

# the documentation, warnings as errors (the notebooks are executed at the start)
docs: $(VENV)/.docs-installed
	$(BIN)/python -m sphinx -W --keep-going -b html docs docs/_build/html

test-slow: $(VENV)/.installed
	$(BIN)/python -m pytest -m slow

lint: $(VENV)/.installed
	$(BIN)/ruff check navfit tests bench tools
	$(BIN)/ruff format --check navfit tests bench tools

bench: $(VENV)/.installed
	$(BIN)/python bench/tp_order.py

samples: $(VENV)/.installed
	$(BIN)/python -c "import navfit.synthetic as s; s.write_samples('data')"

clean:
	rm -rf $(VENV) out .pytest_cache

clean-cache:
	find navfit -name '*.nbi' -delete -o -name '*.nbc' -delete
