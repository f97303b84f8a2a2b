# The two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
# Development and tests run with DEBUG on; production sets DEBUG=0 (see README.md).
DEBUG ?= 1
export DEBUG
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)

.PHONY: install run test lint format bench messages stop

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) manage.py rundev

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

test: lint
	$(PY) -m pytest $(PYTEST_ARGS)

# Seeds (or reuses) the `bench` database, loads every key page under gunicorn + locust and writes the table into
# docs/performance.md (tests/perf/bench.py), then the ranking benchmark through the test client.
bench: install
	$(PY) -m tests.perf.bench $(BENCH_ARGS)
	$(PY) -m pytest tests/perf -m perf -p no:randomly -s $(PYTEST_ARGS)

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install
	$(PY) manage.py makemessages -l he -l ar -l fr -l pl --ignore=.venv --ignore=staticfiles --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

stop: install
	$(PY) manage.py embedded_services stop
