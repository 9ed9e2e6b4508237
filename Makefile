# Two commands do all the set-up on a fresh machine:
#   make run   – train if needed, start Rasa, the action server and the web app (web chat)
#   make test  – lint, unit and integration tests in both envs, data validation, stories
SHELL := /bin/bash
.DEFAULT_GOAL := help
.ONESHELL:
.SHELLFLAGS := -eu -o pipefail -c

ROOT        := $(CURDIR)
RASA_VENV   := $(ROOT)/.venv-rasa
APP_VENV    := $(ROOT)/.venv-app
RASA_PY     := $(RASA_VENV)/bin/python
APP_PY      := $(APP_VENV)/bin/python
RASA_STAMP  := $(RASA_VENV)/.installed
APP_STAMP   := $(APP_VENV)/.installed
export PYTHONPATH := $(ROOT)
export RASA_TELEMETRY_ENABLED := false
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help envs run train test lint test-app test-rasa validate test-stories eval-nlu eval eval-triage eval-triage-old triage-model bench clean

help:
	@echo "make run        train if needed and start everything (web chat on http://127.0.0.1:8000/chat)"
	@echo "make test       everything CI runs"
	@echo "make eval-nlu   intent accuracy on the held-out set, by orthography"
	@echo "make eval-triage  triage figures on the blind labelled sets, by orthography"
	@echo "make eval FILE=in.jsonl  triage each line of a file (JSON lines out)"
	@echo "make bench      speed and memory of the hot path"
	@echo "make envs       create or update the two virtual environments"

# A venv is (re)built when its lock file changes; otherwise it is reused.
$(RASA_STAMP): requirements/rasa.lock.txt scripts/find_python.sh
	py=$$(scripts/find_python.sh 3.10)
	if [ ! -x "$(RASA_PY)" ]; then echo "creating Rasa env (Python 3.10) in .venv-rasa" >&2; "$$py" -m venv "$(RASA_VENV)"; fi
	"$(RASA_PY)" -m pip install -q --no-deps -r requirements/rasa.lock.txt
	"$(RASA_PY)" -m pip check >&2
	touch "$@"

$(APP_STAMP): requirements/app.lock.txt scripts/find_python.sh
	py=$$(scripts/find_python.sh 3.12)
	if [ ! -x "$(APP_PY)" ]; then echo "creating app env (Python 3.12) in .venv-app" >&2; "$$py" -m venv "$(APP_VENV)"; fi
	"$(APP_PY)" -m pip install -q --no-deps -r requirements/app.lock.txt
	"$(APP_PY)" -m pip check >&2
	touch "$@"

envs: $(RASA_STAMP) $(APP_STAMP)

train: $(RASA_STAMP)
	"$(RASA_PY)" scripts/train.py >/dev/null

# The web app loads the triage model at start-up; train it (once per change of its data) first.
triage-model: $(APP_STAMP)
	@echo "triage model: loading, or training it when its data changed (about a minute)…" >&2
	"$(APP_PY)" -c "import logging, sys; sys.path.insert(0, '.'); logging.basicConfig(level=logging.INFO); from bot.triage_model import default_model; default_model()"

run: envs train triage-model
	exec "$(APP_PY)" scripts/run.py --rasa-python "$(RASA_PY)" --model "$$("$(RASA_PY)" scripts/train.py)"

lint: $(APP_STAMP)
	"$(APP_VENV)/bin/ruff" check .
	"$(APP_VENV)/bin/ruff" format --check .

validate: $(RASA_STAMP)
	"$(RASA_PY)" scripts/build_triage_nlu.py --check
	"$(RASA_PY)" scripts/validate_data.py

test-rasa: $(RASA_STAMP)
	"$(RASA_PY)" -m pytest -q tests/rasa_env tests/shared

test-stories: train
	"$(RASA_VENV)/bin/rasa" test core --model "$$("$(RASA_PY)" scripts/train.py)" --stories tests/stories --fail-on-prediction-errors --out var/results/stories

test-app: envs train
	RASA_PYTHON="$(RASA_PY)" RASA_MODEL="$$("$(RASA_PY)" scripts/train.py)" "$(APP_PY)" -m pytest -q tests/app tests/shared tests/emulators

test: lint validate test-rasa train test-stories test-app eval-nlu eval-triage
	@echo "make test: all checks passed"

# Triage of any JSON-lines file: make eval FILE=in.jsonl > out.jsonl (stdout carries only results)
eval:
	@test -n "$(FILE)" || { echo "usage: make eval FILE=<in.jsonl>" >&2; exit 2; }
	@$(MAKE) --no-print-directory -s train >&2
	@"$(RASA_PY)" scripts/triage_eval.py --model "$$("$(RASA_PY)" scripts/train.py 2>/dev/null)" --input "$(FILE)"

# Regression floors for make test (the issue's targets are printed, see README for the figures).
TRIAGE_FLOORS ?= --min-urgent-recall 0.90 --max-false-urgent 0.15 --min-topic-accuracy 0.80

# The blind sets (tests/triage_eval/README.md): v8, the newest, and v7.
eval-triage: train
	model="$$("$(RASA_PY)" scripts/train.py)"
	"$(RASA_PY)" scripts/triage_eval.py --model "$$model" --labelled tests/triage_eval/labelled_v8.jsonl --report var/reports/triage_eval_v8.json $(TRIAGE_FLOORS)
	"$(RASA_PY)" scripts/triage_eval.py --model "$$model" --labelled tests/triage_eval/labelled_v7.jsonl --report var/reports/triage_eval_v7.json $(TRIAGE_FLOORS)

# The older labelled sets, consulted during development (see tests/triage_eval/README.md).
eval-triage-old: train
	model="$$("$(RASA_PY)" scripts/train.py)"
	"$(RASA_PY)" scripts/triage_eval.py --model "$$model" --labelled tests/triage_eval/labelled_v6.jsonl --report var/reports/triage_eval_v6.json
	"$(RASA_PY)" scripts/triage_eval.py --model "$$model" --labelled tests/triage_eval/labelled_v5.jsonl --report var/reports/triage_eval_v5.json
	"$(RASA_PY)" scripts/triage_eval.py --model "$$model" --labelled tests/triage_eval/labelled_v4.jsonl --report var/reports/triage_eval_v4.json
	"$(RASA_PY)" scripts/triage_eval.py --model "$$model" --labelled tests/triage_eval/labelled_v3.jsonl --report var/reports/triage_eval_v3.json
	"$(RASA_PY)" scripts/triage_eval.py --model "$$model" --labelled tests/triage_eval/labelled_v2.jsonl --report var/reports/triage_eval_v2.json
	"$(RASA_PY)" scripts/triage_eval.py --model "$$model" --labelled tests/triage_eval/labelled.jsonl --report var/reports/triage_eval_v1.json

eval-nlu: train
	"$(RASA_PY)" scripts/eval_nlu.py --model "$$("$(RASA_PY)" scripts/train.py)" --report var/reports/nlu_eval.json --min-accuracy 0.90

bench: $(APP_STAMP)
	"$(APP_PY)" scripts/bench.py

clean:
	rm -rf var/results var/reports .pytest_cache
