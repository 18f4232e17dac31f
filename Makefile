# Two commands for a newcomer: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The embedded default: SQLite in var/, tasks in-process, mail and SMS on the console.
PORT ?= 8000
RUN_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-true} DJANGO_SECRET_KEY_FILE=$${DJANGO_SECRET_KEY_FILE:-var/secret_key} \
	LOG_FORMAT=$${LOG_FORMAT:-console} ALLOW_CONSOLE_BACKENDS=$${ALLOW_CONSOLE_BACKENDS:-true}

.PHONY: run test setup lint oracle-sql clean bench

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)

var/secret_key:
	mkdir -p var
	$(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key

run: $(STAMP) var/secret_key
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py seed_demo
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# axe-core for the browser tests' accessibility check (npm, pinned by package-lock.json).
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

test: $(STAMP) node_modules/.package-lock.json
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

oracle-sql: $(STAMP)
	$(PY) manage.py oracle_sql

# Benchmarks (bench/NOTES.md): a throwaway bp_bench database on the machine's PostgreSQL, Redis index 9.
bench: $(STAMP)
	command -v wrk >/dev/null && command -v pgbench >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk postgresql-client >/dev/null; }
	pg_isready -h 127.0.0.1 -p 5432 -q || pg_ctlcluster --skip-systemctl-redirect "$$(ls /etc/postgresql | head -n1)" main start
	redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
	$(PY) -m pip install --quiet -r bench/requirements-bench.txt
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
