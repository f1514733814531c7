# The two commands: `make run` and `make test`. Everything else is a step of them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)

.PHONY: run test setup migrate demo lint bench clean
BENCH_NOTICES ?= 100000

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP)
	mkdir -p var

migrate: setup
	$(PY) manage.py migrate --noinput

demo: migrate
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo

run: demo
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

# axe-core for the accessibility browser test (skipped locally when npm is missing).
node_modules/axe-core/axe.min.js: package.json
	if command -v npm >/dev/null; then npm install --no-audit --no-fund --silent; fi

test: setup node_modules/axe-core/axe.min.js
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) var/*.sqlite3* var/media

# Benchmarks (bench/README.md): needs Debian's wrk. Generates the database once per size.
bench: setup
	command -v wrk >/dev/null || { echo "bench needs wrk: apt-get install -y wrk"; exit 1; }
	test -f bench/out/var-$(BENCH_NOTICES)/portal.sqlite3 || \
		$(PY) -m bench.generate --notices $(BENCH_NOTICES) --var bench/out/var-$(BENCH_NOTICES)
	$(PY) -m bench.run --var bench/out/var-$(BENCH_NOTICES) --duration 10 --rounds 3
