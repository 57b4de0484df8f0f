# Two commands on a fresh clone: `make run` and `make test` (see README).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The test suite and `make dev` run with DEBUG on (dev SECRET_KEY, plain static files).
# `make run` shows the product as its users see it: DEBUG off (Vietnamese 404/403/500 pages),
# a local secret key made once in var/ (git-ignored), static files collected and served by
# WhiteNoise, the demo data, plain HTTP on 127.0.0.1 (DEMO_MODE; see README “Settings”).
# Production reads its settings from the environment (deploy/).
DEV_ENV := DEBUG=1
RUN_ENV := DEBUG=0 DEMO_MODE=1

.PHONY: install run dev test lint fmt seed bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

install: $(BIN)/.installed

seed: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py seed_demo

# The web server and the background worker (e-mails, long exports) together: stopping one
# (Ctrl+C) stops both. $(1): the environment.
define serve
	@SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}; export SITE_URL; \
	$(1) $(BIN)/python manage.py schedule_daily_round; \
	$(1) $(BIN)/python manage.py run_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(1) $(BIN)/python manage.py runserver --noreload 127.0.0.1:$(PORT)
endef

run: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py seed_demo
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput -v 0
	$(call serve,$(RUN_ENV))

# For developers: DEBUG on (Django's technical error pages, static files from the apps).
dev: seed
	$(call serve,$(DEV_ENV))

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

test: lint
	$(DEV_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmark on PostgreSQL with province-scale data (BENCHMARKS.md); see README “Benchmark”.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tp_bench
bench: install
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/run.py

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
