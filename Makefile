# MIM: `make run` serves everything on a fresh machine; `make test` runs lint and the whole suite.
# Prefer the distribution's python3.11: Debian and Ubuntu build it with PGO and LTO and link it
# statically, which makes the diagnosis path ~30 % faster than a plain source build such as
# pyenv's default (docs/decisions.md, "The interpreter"). `make PYTHON=...` overrides; remove
# .venv to switch an existing one.
PYTHON ?= $(firstword $(wildcard /usr/bin/python3.11) $(shell command -v python3.11 || command -v python3))
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: setup run test lint bench bench-series bench-train bench-memory clean-db

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py mim_setup_schedules
	$(PY) manage.py mim_demo
	$(PY) manage.py mim_demo_model
	$(PY) -m mimsite.run

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

test: lint
	$(PY) -m pytest

bench: setup
	$(PY) bench/diagnose.py

bench-series: setup
	$(PY) bench/diagnose_series.py

bench-train: setup
	$(PY) bench/train.py

bench-memory: setup
	$(PY) bench/memory.py

clean-db:
	rm -rf var/pgdata
