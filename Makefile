# The two commands of README's quick start are `make demo` and `make test`; CI runs `make check`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SCALE ?= county

.PHONY: install demo test lint typecheck check bench lock clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@# An editable install leaves hexiao uncompiled; where Python may not write bytecode itself, every
	@# run would compile it again (70 ms).
	$(BIN)/python -m compileall -q src
	touch $@

demo: install
	$(BIN)/hexiao demo

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff format --check src tests devtools
	$(BIN)/ruff check src tests devtools

typecheck: install
	$(BIN)/mypy

check: lint typecheck test

bench: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,bench]'
	PYTHONPATH=devtools $(BIN)/python -m hexiao_dev.bench --scale $(SCALE)

# Refresh the pinned versions after deliberately upgrading a dependency.
lock: install
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean:
	rm -rf $(VENV) hexiao-demo .pytest_cache .mypy_cache .ruff_cache
