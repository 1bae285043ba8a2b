# Bloom: common tasks. `make help` lists them.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
AXE    := node_modules/axe-core/axe.min.js
# Compiled translation catalogues (not committed): remade whenever their .po changes.
MO     := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/*.po))

# `make run` address.
HOST ?= 127.0.0.1
PORT ?= 8000

# Tests and checks always run on PostgreSQL and Redis.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bloom
TEST_REDIS_URL    ?= redis://127.0.0.1:6379/15
TEST_ENV := BLOOM_ENV=development DATABASE_URL='$(TEST_DATABASE_URL)' REDIS_URL='$(TEST_REDIS_URL)'

# Extra arguments for pytest, e.g. make test ARGS='-k closure -x'
ARGS ?=

# Tests run on every core, one test database (and Redis database) per worker, and tell the 15
# slowest at the end. WORKERS=0 runs them in one process.
WORKERS ?= auto
PYTEST := $(TEST_ENV) $(PY) -m pytest -n $(WORKERS) --dist worksteal
# The tests marked `clock` run again at each instant of tests/clock.py's AWKWARD_INSTANTS (late
# evening, the night the clocks go forward, 29 February), collected from the modules that mark them
# (python -m tests.clock --modules); `make test-at AT=...` runs everything at one.
AT ?=
# `make fuzz SEED=n` repeats a deep random run.
SEED ?= $(shell od -An -N4 -tu4 /dev/urandom | tr -d ' ')

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install run test test-at test-fast e2e fuzz mutants lint fmt check clean messages

help: ## List the targets
	@echo "Bloom make targets:"
	@grep -E '^[a-z][a-z0-9-]*:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  make %-9s %s\n", $$1, $$2}'
	@echo
	@echo "Variables: HOST, PORT (run); ARGS, WORKERS, TEST_DATABASE_URL, TEST_REDIS_URL (test); AT (test-at); SEED (fuzz)"

# --- virtual environment ------------------------------------------------------------------

$(PY):
	@py="$$(scripts/find-python)"; \
	echo "Creating $(VENV) with $$py ($$("$$py" --version 2>&1))"; \
	"$$py" -m venv $(VENV)

# Reinstalled whenever a requirements file changes.
$(STAMP): requirements.txt requirements-dev.txt | $(PY)
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
		echo "$(VENV) was made with $$($(PY) --version 2>&1); Bloom needs Python 3.12+."; \
		echo "Remove it (rm -rf $(VENV)) and run make again."; exit 1; }
	@echo "Installing requirements into $(VENV)"
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

# axe-core, for the accessibility checks in the browser tests (npm registry, pinned by the lock).
$(AXE): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the browser tests' axe-core: apt-get install npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The translation catalogues, compiled in pure Python (scripts/compile-catalogue, with Babel).
$(MO): %.mo: %.po $(STAMP)
	$(PY) scripts/compile-catalogue

install: $(STAMP) $(AXE) $(MO) ## Create .venv, install the requirements and axe-core, compile the catalogues

# --- run ----------------------------------------------------------------------------------

run: $(STAMP) $(MO) ## Migrate, load demo data, start web + worker + beat (Ctrl-C stops all)
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@banner() { \
		echo; \
		echo "  ============================================================"; \
		echo "    Bloom is running at  http://$(HOST):$(PORT)/"; \
		echo "    Demo logins are listed above. Ctrl-C stops everything."; \
		echo "  ============================================================"; \
		echo; }; \
	trap 'kill 0' EXIT; \
	banner; \
	$(VENV)/bin/celery -A bloom worker --loglevel=INFO --concurrency=2 & \
	$(VENV)/bin/celery -A bloom beat --loglevel=INFO --schedule var/celerybeat-schedule & \
	( sleep 6; banner ) & \
	$(PY) manage.py runserver $(HOST):$(PORT)

# --- quality --------------------------------------------------------------------------------

test: $(STAMP) $(MO) $(AXE) ## Everything, as CI: the `clock` tests at three awkward instants, then the whole suite
	@scripts/ensure-services
	@instants=$$($(PY) -m tests.clock); [ -n "$$instants" ] || { echo "python -m tests.clock gave no instants"; exit 1; }; \
	modules="$(if $(ARGS),,$$($(PY) -m tests.clock --modules))"; \
	for at in $$instants; do \
		echo "== the tests marked clock, at $$at"; \
		status=0; $(PYTEST) -q -m clock --at=$$at $(ARGS) $$modules || status=$$?; \
		if [ $$status -ne 0 ] && ! { [ $$status -eq 5 ] && [ -n "$(ARGS)" ]; }; then exit $$status; fi; \
	done
	@echo "== the whole suite, at the usual instant"
	$(PYTEST) --durations=15 $(ARGS)

test-at: $(STAMP) $(MO) $(AXE) ## The whole suite at one instant: make test-at AT=2027-03-14T03:30
	@[ -n "$(AT)" ] || { echo "Say when: make test-at AT=2027-03-14T03:30 (naive times are local)"; exit 2; }
	@scripts/ensure-services
	$(PYTEST) --at=$(AT) $(ARGS)

test-fast: $(STAMP) $(MO) ## The inner loop: no browser, no worker process, no embedded demo; the `ci` random sweep
	@scripts/ensure-services
	$(PYTEST) --durations=15 -m "not e2e and not worker and not demo" $(ARGS)

e2e: $(STAMP) $(MO) $(AXE) ## Only the browser tests (Chromium, axe-core); screenshots go to var/e2e/
	@scripts/ensure-services
	$(PYTEST) -m e2e $(ARGS)

fuzz: $(STAMP) $(MO) ## A deep random sweep of every form (Hypothesis `deep` profile); SEED=n repeats one
	@scripts/ensure-services
	@seed=$(SEED); echo "== make fuzz with seed $$seed (make fuzz SEED=$$seed repeats it)"; \
	$(PYTEST) tests/hostile/test_sweep.py --hypothesis-profile=deep --hypothesis-seed=$$seed $(ARGS)

mutants: $(STAMP) $(MO) ## Plant three faults in a scratch copy of the tree; fails unless the tests catch each
	@scripts/ensure-services
	$(TEST_ENV) $(PY) -m tests.mutants

lint: $(STAMP) ## ruff check and ruff format --check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: $(STAMP) ## Format the code and apply ruff's safe fixes
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: $(STAMP) ## No missing migrations; check --deploy clean under production settings
	@scripts/ensure-services
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	@echo "manage.py check --deploy --fail-level WARNING  (BLOOM_ENV=production)"
	@BLOOM_ENV=production \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	ALLOWED_HOSTS=bloom.example.org \
	DATABASE_URL='$(TEST_DATABASE_URL)' \
	REDIS_URL='$(TEST_REDIS_URL)' \
	$(PY) manage.py check --deploy --fail-level WARNING

# --- benchmark ----------------------------------------------------------------------------

# How long the simulated people browse once all are signed in, and how many there are.
BENCH_TIME  ?= 60s
BENCH_USERS ?= 20

.PHONY: bench
bench: $(STAMP) ## Load 10,000 survivors into bloom_bench, serve with gunicorn, load with locust; var/bench/report.md
	@scripts/ensure-services
	BENCH_TIME='$(BENCH_TIME)' BENCH_USERS='$(BENCH_USERS)' $(PY) -m bench.run

# --- housekeeping -------------------------------------------------------------------------

messages: $(STAMP) ## Gather new and changed messages into every catalogue (needs GNU gettext); see docs/TRANSLATING.md
	@command -v xgettext >/dev/null || { echo "make messages needs GNU gettext: apt-get install gettext"; exit 1; }
	@for dir in locale/*/; do \
		BLOOM_ENV=development $(PY) manage.py makemessages --locale "$$(basename $$dir)" --add-location file \
			--no-obsolete --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'tests/*' --ignore 'bench/*' \
			--ignore 'var/*' --ignore 'docs/*' --ignore 'staticfiles/*'; \
	done

clean: ## Delete var/ (demo database, embedded broker, generated files); keeps .venv
	rm -rf var
