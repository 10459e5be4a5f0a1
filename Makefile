# The two commands: `make run` and `make test`. Both set themselves up.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
MODEL := models/hepb-assistant.tar.gz
TRAINING_INPUTS := config.yml domain.yml $(shell find data -name '*.yml')

export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: help setup train run shell test lock answers clean

help:
	@echo "make run    set up, train if needed, start the assistant (Rasa :5005, actions :5055)"
	@echo "make shell  chat with the assistant in this terminal"
	@echo "make test   set up and run every test"
	@echo "make train  train the model if data or config changed"
	@echo "make lock   re-resolve constraints.txt from requirements.txt"
	@echo "make answers  regenerate the general answers from the knowledge base"
	@echo "make clean  remove the virtual environment, models and test output"

$(INSTALLED): requirements.txt constraints.txt scripts/bootstrap
	scripts/bootstrap

setup: $(INSTALLED)

$(MODEL): $(INSTALLED) $(TRAINING_INPUTS)
	$(BIN)/rasa train --fixed-model-name hepb-assistant --out models
	touch $@

train: $(MODEL)

run: $(MODEL)
	scripts/run

shell: $(MODEL)
	scripts/run --shell

test: $(INSTALLED)
	scripts/test

lock:
	scripts/lock

answers: $(INSTALLED)
	$(BIN)/python scripts/generate_answers.py

clean:
	rm -rf $(VENV) models results test-output .pytest_cache .hypothesis
