# Two commands: `make run` (demo on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test install constraints browser lint format bench clean

# Installs take the releases pinned in constraints.txt (as the Dockerfile does), so every
# machine runs what the tests ran.
$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Sigap needs Python 3.11 or newer (found $$($(PYTHON) --version))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Pins every package installed in .venv (the dev tools too) into constraints.txt.
# To move to newer releases: `.venv/bin/pip install --upgrade -e '.[dev]'` (no -c), or one
# package with `.venv/bin/pip install --upgrade NAME`; run `make test`; then `make constraints`
# and commit constraints.txt.
constraints:
	test -x $(BIN)/python || { echo "no .venv: run 'make install' first"; exit 1; }
	{ echo "# Every package Sigap and its tests install, pinned: 'make constraints' wrote this"; \
	  echo "# from a .venv that passed 'make test' (see the Makefile to refresh it)."; \
	  $(BIN)/python -m pip freeze --all --exclude-editable --exclude pip; \
	} > constraints.txt

# Demo mode on the embedded SQLite database, with demo data and the chat simulator.
run: export DEMO_MODE ?= true
# Notices reach the demo KPM who never chatted in the simulator, at /simulator?chat=<phone>.
run: export PHONE_CHANNEL ?= sim
run: $(STAMP)
	$(BIN)/sigap db upgrade
	$(BIN)/sigap seed-demo
	@echo
	@echo "  Sigap is starting on http://127.0.0.1:8000"
	@echo "  Chat simulator (no Telegram needed): http://127.0.0.1:8000/simulator"
	@echo "    or in another terminal:            $(BIN)/sigap chat --chat-id 1001"
	@echo "  Staff pages (e.g. lamandau.operator / sigap-demo): http://127.0.0.1:8000/staff"
	@echo "  Staff API docs:                      http://127.0.0.1:8000/docs"
	@echo
	$(BIN)/sigap serve

# The staff pages are tested in Debian's Chromium (never a browser downloaded at run time).
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		{ apt-get install -y -q chromium >/dev/null 2>&1 || \
		  { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }; }; } || \
		echo "Chromium not found and not installable here: the browser tests will be skipped"

# The suite runs in TEST_WORKERS processes (pytest-xdist): many tests wait on a subprocess,
# PostgreSQL or Chromium, so three keep two cores busy. Each worker has its own SQLite
# template and PostgreSQL schema. Work-stealing, because a few tests take a minute.
TEST_WORKERS ?= 3

test: $(STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest --numprocesses=$(TEST_WORKERS) --dist=worksteal

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Sizes and rounds can be made small for a quick run: see bench/__main__.py.
bench: $(STAMP)
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		{ apt-get install -y -q wrk >/dev/null 2>&1 || \
		  { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }; }; } || \
		echo "wrk not found and not installable here: the webhook benchmark uses its Python load"
	$(BIN)/python -m bench $(BENCH)

clean:
	rm -rf $(VENV) var/*.db var/*.db-wal var/*.db-shm
