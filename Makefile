# Two commands on a fresh Debian machine: `make demo` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Three test workers on two cores: a third of the time a worker waits (a slow file host, a process
# starting, Chromium), and the third one uses it. tests/conftest.py shares the slow tests out.
PYTEST_ARGS ?= -n 3 --dist worksteal
PORT ?= 8000
SANDBOX_PORT ?= 8001
export VAR_DIR ?= $(CURDIR)/var
# Python writes its compiled modules (and pytest its rewritten test modules) next to the sources,
# so the second start of a process does not compile the project again. Some shells set this off;
# every test worker, gunicorn and manage.py run would then compile everything from source.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install install-runtime install-sandbox locks system-test-deps messages demo serve upstream-check test lint typecheck pytest screenshots bench clean

# Three pinned locks (README "Dependencies"), each installed by the commands that need it:
# runtime (`make serve`, production), runtime + sandbox (`make demo`), runtime + sandbox + dev (`make test`).
$(PY):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

$(VENV)/.installed-runtime: requirements.txt | $(PY)
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-sandbox: requirements-sandbox.lock | $(PY)
	$(VENV)/bin/pip install --quiet -r requirements-sandbox.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(PY)
	$(VENV)/bin/pip install --quiet -r requirements-dev.lock
	touch $@

install-runtime: $(VENV)/.installed-runtime messages
install-sandbox: $(VENV)/.installed-sandbox messages
install: $(VENV)/.installed-dev messages

# Re-pins the three locks from pyproject.toml (keeping today's versions where they still fit). The
# runtime and sandbox locks are constrained by the dev lock, so one package has one version everywhere.
UV_COMPILE = $(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.11 --quiet \
	--custom-compile-command "make locks"
locks: | $(PY)
	$(VENV)/bin/pip install --quiet uv
	$(UV_COMPILE) --extra dev -o requirements-dev.lock
	$(UV_COMPILE) -c requirements-dev.lock -o requirements.txt
	$(UV_COMPILE) --extra sandbox -c requirements-dev.lock -o requirements-sandbox.lock
	sed -i '/^    #   -c requirements-dev.lock$$/d' requirements.txt requirements-sandbox.lock
	@! grep -nE '://|^--|^-[ifc] ' requirements.txt requirements-sandbox.lock requirements-dev.lock

# French translations: compiled from the committed .po files, without needing GNU gettext.
messages: $(VENV)/.installed-runtime
	@PATH="$(abspath $(VENV))/bin:$$PATH" bin/post_compile

# What the browser, proxy and scale-out tests need from Debian. Needs root (CI runs as root).
system-test-deps:
	@missing=""; \
	for bin in chromium:chromium chromium-headless-shell:chromium-headless-shell nginx:nginx redis-server:redis-server; do \
		command -v $${bin%%:*} >/dev/null || missing="$$missing $${bin##*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing$$missing (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing chromium-driver >/dev/null; \
	fi

demo: install-sandbox
	@mkdir -p $(VAR_DIR)
	@DJANGO_SETTINGS_MODULE=dashboard.settings.development SANDBOX_ENABLED=true DATABASE_PATH=$(VAR_DIR)/sandbox.sqlite3 $(PY) manage.py migrate --noinput -v0
	@DJANGO_SETTINGS_MODULE=dashboard.settings.development SANDBOX_ENABLED=true DATABASE_PATH=$(VAR_DIR)/sandbox.sqlite3 $(PY) manage.py sandbox_seed -v0
	@DJANGO_SETTINGS_MODULE=dashboard.settings.development DATABASE_PATH=$(VAR_DIR)/dashboard.sqlite3 $(PY) manage.py migrate --noinput -v0
	@PORT=$(PORT) SANDBOX_PORT=$(SANDBOX_PORT) $(PY) -m dashboard.demo

serve: install-runtime
	@DJANGO_SETTINGS_MODULE=dashboard.settings.production $(PY) manage.py check --deploy --fail-level WARNING
	@DJANGO_SETTINGS_MODULE=dashboard.settings.production $(PY) manage.py collectstatic --noinput -v0
	@DJANGO_SETTINGS_MODULE=dashboard.settings.production $(PY) manage.py migrate --noinput -v0
	DJANGO_SETTINGS_MODULE=dashboard.settings.production $(VENV)/bin/gunicorn dashboard.wsgi \
		--bind $${BIND:-127.0.0.1:$(PORT)} --workers $${WEB_CONCURRENCY:-2} --threads $${GUNICORN_THREADS:-16} \
		--timeout 30 --graceful-timeout 20 --no-control-socket --access-logfile - --forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

# Before going live: read everything the dashboard reads with SCALINGO_API_TOKEN, print what did
# not parse, exit non-zero on a mismatch. Never writes. Uses the production settings unless
# DJANGO_SETTINGS_MODULE says otherwise (dashboard.settings.development against `make demo`).
upstream-check: install-runtime
	@DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-dashboard.settings.production} $(PY) manage.py upstream_check

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy

pytest: install system-test-deps
	@mkdir -p $(VAR_DIR)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

# The browser tests again, keeping a screenshot of every page they visit under test-artifacts/.
screenshots: install system-test-deps
	@mkdir -p $(VAR_DIR)
	TEST_SCREENSHOTS=1 $(VENV)/bin/pytest $(PYTEST_ARGS) -m browser

# Speed figures into docs/bench.md (a few minutes; BENCH_ARGS=--quick for a short run,
# BENCH_ARGS=--only-latency-runs for the cache-off 0 ms / 100 ms runs alone, keeping the rest of the file). Needs wrk,
# nginx, redis-server and Chromium from Debian, and Lighthouse from npm: pinned, installed under
# VAR_DIR without touching package.json, never committed.
LIGHTHOUSE_VERSION := 12.8.2
bench: install system-test-deps
	@command -v wrk >/dev/null && command -v npm >/dev/null || { \
		echo "Installing wrk and npm (apt-get)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk npm >/dev/null; }
	@test -x $(VAR_DIR)/node/node_modules/.bin/lighthouse || \
		npm install --no-save --no-audit --no-fund --silent --prefix $(VAR_DIR)/node lighthouse@$(LIGHTHOUSE_VERSION)
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VAR_DIR) test-artifacts
