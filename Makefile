# The two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
# DEBUG (Django's debug pages) is off unless asked for: only `make run` turns it on, for its development server.
# Tests run with it off, as production does (see README.md).
VENV := .venv
PY := $(VENV)/bin/python
# Production requirements, the embedded servers, then the development tools (see README.md, "Dependencies").
REQUIREMENTS := requirements.txt requirements-embedded.txt requirements-dev.txt
# The pinned files are installed by uv (pinned here; pip installs it into the venv first): 6 s from an empty cache
# where pip takes 30 s, a twentieth of `make test`. Where uv cannot be installed or fails, pip installs the same
# files. --no-compile: Python compiles the modules a run imports, once. --no-deps: every dependency is pinned in the
# files, so neither tool need resolve them; `pip check` after it fails the install if one is missing.
UV_VERSION := 0.13.10
PIP := $(PY) -m pip --quiet --disable-pip-version-check
PIP_INSTALL = { $(PIP) install uv==$(UV_VERSION) && $(VENV)/bin/uv pip install --quiet --python $(PY) --no-deps $(1); } \
	|| $(PIP) install --no-compile --no-deps $(1)
PIP_CHECK := $(PIP) check
# One hash of the three files: `make run` needs the first two (RUN_STAMP), the other targets all three (STAMP).
REQUIREMENTS_HASH := $(shell cat $(REQUIREMENTS) | sha1sum | cut -c1-12)
RUN_STAMP := $(VENV)/.installed-run-$(REQUIREMENTS_HASH)
STAMP := $(VENV)/.installed-dev-$(REQUIREMENTS_HASH)

.PHONY: install install-run run test calendar lint format bench profile messages stop audit screenshots

$(RUN_STAMP): $(REQUIREMENTS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(call PIP_INSTALL,-r requirements.txt -r requirements-embedded.txt)
	$(PIP_CHECK)
	rm -f $(VENV)/.installed-*
	touch $(RUN_STAMP)

# A development install holds everything `make run` needs as well.
$(STAMP): $(REQUIREMENTS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(call PIP_INSTALL,-r requirements-dev.txt)
	$(PIP_CHECK)
	rm -f $(VENV)/.installed-*
	touch $(RUN_STAMP) $(STAMP)

install-run: $(RUN_STAMP)

install: $(STAMP)

run: install-run
	DEBUG=$(or $(DEBUG),1) $(PY) manage.py rundev

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

# Stops the embedded servers this run started, and leaves running those that were up before (a `make run`).
# The tests run on TEST_WORKERS pytest-xdist workers (one per core: with a third, a fresh clone's suite took 658 s
# where two had taken 566 s on the morning's code; the cores are busy already), the longest first (tests/conftest.py), and the
# 25 slowest are printed at the end. The whole suite includes the calendar check (`--clock=all`, below); a run
# narrowed by PYTEST_ARGS leaves it out.
TEST_WORKERS ?= $(shell nproc)
XDIST := -n $(TEST_WORKERS) --dist load --no-loadscope-reorder
# `make test LINT=` leaves the linters out (the suite's own test of `make test` does: they have run already).
LINT ?= lint
test: install
	@before="$$($(PY) -m incubator.embedded running)"; \
	$(if $(LINT),$(MAKE) --no-print-directory $(LINT) &&) \
	$(PY) -m pytest $(XDIST) --durations=25 $(if $(PYTEST_ARGS),,--clock=all) $(PYTEST_ARGS); \
	status=$$?; \
	$(PY) -m incubator.embedded stop-except "$$before"; exit $$status

# The calendar check alone: the tests that read today (marked `calendar`) with the clock set to each scenario of
# tests/calendar_clock.py; a browser test runs at the one scenario its marker names (see README.md).
calendar: install
	$(PY) -m pytest $(XDIST) -m calendar --clock=all -q $(CALENDAR_ARGS)

# The role journeys and the phone sweep in Chromium, then their best screenshots copied into docs/screenshots/ for
# the README.
screenshots: install
	@before="$$($(PY) -m incubator.embedded running)"; \
	SCREENSHOTS=1 $(PY) -m pytest tests/e2e -k "journey or phone_sweep" -p no:randomly -q && $(PY) tests/e2e/publish_screenshots.py; status=$$?; \
	$(PY) -m incubator.embedded stop-except "$$before"; exit $$status

# Seeds (or reuses) the `bench` database, loads every key page under gunicorn + locust and writes the table into
# docs/performance.md (tests/perf/bench.py), then the ranking benchmark through the test client.
bench: install
	$(PY) -m tests.perf.bench $(BENCH_ARGS)
	$(PY) -m pytest tests/perf -m perf -p no:randomly -s $(PYTEST_ARGS)

# Each bench page's own time split into SQL, template and the rest, and each middleware's cost (tests/perf/split.py),
# on the database `make bench` seeded.
profile: install
	$(PY) -m tests.perf.split $(PROFILE_ARGS)

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install-run
	$(PY) manage.py makemessages -l he -l ar -l fr -l pl --ignore=.venv --ignore=staticfiles --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

stop: install-run
	$(PY) manage.py embedded_services stop

# Checks the pinned requirements against the PyPI advisory database (needs network access to it;
# not part of `make test`, since CI machines here reach no advisory service).
audit:
	test -x .venv-audit/bin/python || $(PYTHON) -m venv .venv-audit
	.venv-audit/bin/pip install --quiet --disable-pip-version-check -r requirements-audit.txt
	.venv-audit/bin/pip-audit $(addprefix --requirement ,$(REQUIREMENTS)) --no-deps --disable-pip --strict
