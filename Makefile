# Upstander: `make run` serves the API on the embedded defaults; `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MODEL := models/upstander-clf/manifest.json
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install run test test-fast train corpus eval bench lint clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "need $(PYTHON) on PATH"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# CPU torch first: a bare torch requirement would pull a multi-GB CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

$(MODEL): | $(STAMP)
	$(BIN)/python -m training.train

run: $(STAMP) $(MODEL)
	$(BIN)/upstander admin ensure-admin
	$(BIN)/upstander serve --host 127.0.0.1 --port 8000

test: $(STAMP) $(MODEL)
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

corpus: $(STAMP)
	$(BIN)/python -m training.build_corpus

train: $(STAMP)
	$(BIN)/python -m training.train

eval: $(STAMP) $(MODEL)
	$(BIN)/python -m eval.classifier.evaluate
	$(BIN)/python -m eval.pii.evaluate
	$(BIN)/python -m eval.fairness.run
	$(BIN)/python -m eval.model_card

bench: $(STAMP) $(MODEL)
	$(BIN)/python bench/pipeline.py
	$(BIN)/python bench/classification.py
	$(BIN)/python bench/redaction.py

lint: $(STAMP)
	$(BIN)/ruff check service training eval tests bench
	$(BIN)/ruff format --check service training eval tests bench
	$(BIN)/mypy service
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) training/cache .pytest_cache
