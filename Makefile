# contractkit — two commands on a fresh machine: `make demo` and `make test`.
# Both create (or reuse) .venv and install the project with its pinned dependencies.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PERIOD ?= 2024-03
PREVIOUS ?= 2024-02

.PHONY: install demo test lint typecheck clean browser java

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# contractkit's own bytecode, as a regular (non-editable) install has it: with
# PYTHONDONTWRITEBYTECODE set, every start would otherwise compile the ~60 modules a
# command imports (≈ 45 ms of `validate`'s start-up). Stale files are recompiled here,
# and Python ignores any whose source changed since.
install: $(STAMP) java
	$(BIN)/python -m compileall -q src

# The Spark engine (`--engine spark`) needs a Java 17+ runtime: Debian's, when none is there.
java:
	command -v java >/dev/null || (DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless)

# Lints every contract and prints the register of feeds; then builds the warehouse if absent,
# runs dbt for the period, exports and validates every outbound delivery into deliveries/ and
# prints the verdict (exit 1 if any feed is rejected).
# Two periods: PREVIOUS is released as the baseline; for PERIOD half of Aarhus' job-centre
# citizens go missing (a late source feed, planted in a copy of the warehouse) and the gate
# must hold the meeting-times feed with volume-change (the demo fails if it does not).
demo: install
	$(BIN)/contractkit lint contracts/ --register
	$(BIN)/contractkit ci --period $(PREVIOUS)
	cp warehouse/dsdw.duckdb warehouse/dsdw-late-feed.duckdb
	$(BIN)/python examples/pipeline/halve_municipality.py warehouse/dsdw-late-feed.duckdb 751 $(PERIOD)
	$(BIN)/contractkit ci --period $(PERIOD) --warehouse warehouse/dsdw-late-feed.duckdb; test $$? -eq 1

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src
	$(BIN)/lint-imports

test: lint browser
	$(BIN)/pytest -n 2 --dist loadgroup -q

# The catalog's browser test needs Debian's chromium (never a downloaded browser).
browser:
	test -x /usr/bin/chromium || (DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

clean:
	rm -rf $(VENV) target dbt_packages logs deliveries warehouse .pytest_cache .mypy_cache .ruff_cache
