# Everything CI does can be run locally with these targets.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
TEST_STAMP = $(VENV)/.installed-test
PORT   ?= 8000

.PHONY: serve build test check lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(STAMP)

## serve: install if needed, build talks/ and serve it with live reload on http://127.0.0.1:$(PORT)
serve: $(STAMP)
	$(BIN)/talkbuild serve --port $(PORT)

## build: build talks/ into _site/
build: $(STAMP)
	$(BIN)/talkbuild build

## test: install what the tests need and run them
test: $(TEST_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## check: build and check the site (internal links, assets, front matter)
check: $(STAMP)
	$(BIN)/talkbuild check

## lint: type-check and lint the package
lint: $(TEST_STAMP)
	$(BIN)/ruff check talkbuild tests
	$(BIN)/mypy

clean:
	rm -rf _site .talkbuild .pytest_cache
