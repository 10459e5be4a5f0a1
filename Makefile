# The two commands: `make run` and `make test`. Both set themselves up.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
NODE_INSTALLED := node_modules/.installed
WEB_BUNDLE := web/dist/hepb-chat.js
WEB_SOURCES := web/build.mjs $(wildcard web/src/* web/page/*)
MODEL := models/hepb-assistant.tar.gz
# The model also holds what the custom components compute at training time (components/, and
# knowledge/ which they read), so a change there reaches `rasa train`, whose cache skips the rest.
TRAINING_INPUTS := config.yml domain.yml $(shell find data -name '*.yml') \
	$(shell find components knowledge -name '*.py' -o -name '*.yaml')

export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: help setup web train run cluster shell test bench bench-load lock generate forget clean

help:
	@echo "make run    set up, train if needed, start the assistant (Rasa :5005, actions :5055)"
	@echo "make cluster  REPLICAS Rasa servers (default 2) behind HAProxy on :5005, PostgreSQL, Redis"
	@echo "make shell  chat with the assistant in this terminal"
	@echo "make test   set up and run every test"
	@echo "make train  train the model if data or config changed"
	@echo "make bench  measure accuracy, latency, load, start-up and memory (slow; writes bench/RESULTS.md)"
	@echo "make bench-load  Locust against make cluster: REST and socket.io, 1-100 patients, 1 and 2 servers (LOAD_ARGS)"
	@echo "make lock   re-resolve constraints.txt from requirements.txt"
	@echo "make generate  regenerate the general answers and the checks' slots and forms from knowledge/data"
	@echo "make web    build the chat widget and its page into web/dist/ (npm ci, esbuild)"
	@echo "make forget SENDER=rest:me  erase one conversation from the store (TRACKER_DB; CLUSTER=1: make cluster's)"
	@echo "make clean  remove the virtual environment, models and test output"

$(INSTALLED): requirements.txt requirements-nodeps.txt constraints.txt scripts/bootstrap
	scripts/bootstrap

setup: $(INSTALLED)

# The chat widget: web/src/ bundled with socket.io-client by esbuild (versions from
# package-lock.json) into web/dist/, with the demo page; prints the gzipped sizes.
$(NODE_INSTALLED): package.json package-lock.json
	@command -v npm >/dev/null || { echo "error: npm (Node.js 18 or later) is needed for the chat widget" >&2; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

$(WEB_BUNDLE): $(NODE_INSTALLED) $(WEB_SOURCES)
	node web/build.mjs

web: $(WEB_BUNDLE)

$(MODEL): $(INSTALLED) $(TRAINING_INPUTS)
	$(BIN)/rasa train --fixed-model-name hepb-assistant --out models
	touch $@

train: $(MODEL)

run: $(MODEL) $(WEB_BUNDLE)
	scripts/run

# The same assistant on several Rasa servers (scripts/cluster; README, Deployment).
cluster: $(MODEL) $(WEB_BUNDLE)
	scripts/cluster

shell: $(MODEL)
	scripts/run --shell

test: $(INSTALLED) $(WEB_BUNDLE)
	scripts/test

# Benchmarks (not part of `make test`): trains the model first if needed, then bench/run.py
# (see bench/README.md; its REST load runs Locust from .venv-load, as bench-load does); prints
# the result tables and the total wall time.
bench: $(INSTALLED)
	@started=$$(date +%s); status=0; \
	$(MAKE) --no-print-directory train && $(BIN)/python -m bench.run || status=$$?; \
	echo "==> make bench wall time (including make train): $$(( $$(date +%s) - started )) s"; exit $$status

# Load test of make cluster (bench/cluster_load.py): Locust, pinned in bench/load-requirements.txt,
# goes into .venv-load, not into .venv; e.g. LOAD_ARGS="--window 20 --patients 1 10".
bench-load: $(MODEL) $(WEB_BUNDLE)
	$(BIN)/python -m bench.cluster_load $(LOAD_ARGS)

lock:
	scripts/lock

generate: $(INSTALLED)
	$(BIN)/python scripts/generate.py

# Erase one conversation (README, Privacy); SENDER is the stored id with its channel prefix.
# CLUSTER=1: from make cluster's PostgreSQL (settings in .cluster/store.env).
forget: $(INSTALLED)
	@if [ -z "$$SENDER" ]; then echo "usage: make forget SENDER=<id>, e.g. SENDER=rest:me or SENDER=twilio:+447700900123" >&2; exit 2; fi
	@if [ -n "$$CLUSTER" ]; then set -a; . $${CLUSTER_DIR:-.cluster}/store.env; set +a; fi; \
	$(BIN)/python -m server.forget "$$SENDER"

clean:
	rm -rf $(VENV) .venv-audit .venv-load models results test-output .pytest_cache .mypy_cache .hypothesis .run node_modules web/dist
