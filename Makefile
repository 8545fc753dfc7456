# Two entry points for a fresh machine (see README):
#   make run   install into .venv and start the app on SQLite and the committed layers
#   make test  install into .venv, the system packages the tests need, then run every test
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test build check bench system-deps

$(STAMP): requirements.txt bench/requirements.txt
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m geo.webmap.assets
	$(BIN)/python -m streamlit run app.py

system-deps:
	bash .ci/system-deps

test: $(STAMP) system-deps
	GEO_TEST_DATABASE_URL=$${GEO_TEST_DATABASE_URL-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
	  $(BIN)/python -m pytest

build: $(STAMP)
	$(BIN)/python -m geo build

check: $(STAMP)
	$(BIN)/python -m geo check data/geojson

bench: $(STAMP) system-deps
	$(BIN)/python -m bench
