# The two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
# DEBUG (Django's debug pages) is off unless asked for: only `make run` turns it on, for its development server.
# Tests run with it off, as production does (see README.md).
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)

.PHONY: install run test calendar lint format bench messages stop audit screenshots

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

run: install
	DEBUG=$(or $(DEBUG),1) $(PY) manage.py rundev

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

# Stops the embedded servers this run started, and leaves running those that were up before (a `make run`).
# The whole suite ends with the calendar check; a run narrowed by PYTEST_ARGS leaves it out.
test: install
	@before="$$($(PY) -m incubator.embedded running)"; \
	$(MAKE) --no-print-directory lint && $(PY) -m pytest $(PYTEST_ARGS) \
	$(if $(PYTEST_ARGS),,&& $(MAKE) --no-print-directory calendar); \
	status=$$?; $(PY) -m incubator.embedded stop-except "$$before"; exit $$status

# The calendar check: the tests that read today (marked `calendar`) with the clock set to each scenario of
# tests/calendar_clock.py; a browser test runs at the one scenario its marker names (see README.md).
calendar: install
	$(PY) -m pytest -m calendar --clock=all -p no:randomly -q $(CALENDAR_ARGS)

# The role journeys in Chromium, then their best screenshots copied into docs/screenshots/ for the README.
screenshots: install
	@before="$$($(PY) -m incubator.embedded running)"; \
	$(PY) -m pytest tests/e2e -k journey -p no:randomly -q && $(PY) tests/e2e/publish_screenshots.py; status=$$?; \
	$(PY) -m incubator.embedded stop-except "$$before"; exit $$status

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

# Checks the pinned requirements against the PyPI advisory database (needs network access to it;
# not part of `make test`, since CI machines here reach no advisory service).
audit:
	test -x .venv-audit/bin/python || $(PYTHON) -m venv .venv-audit
	.venv-audit/bin/pip install --quiet --disable-pip-version-check -r requirements-audit.txt
	.venv-audit/bin/pip-audit --requirement requirements.txt --no-deps --disable-pip --strict
