# Two commands on a fresh machine: `make demo` and `make test`. Each creates or refreshes
# .venv by itself when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo demo-reset test lint unit eval eval-strict eval-pdf formats bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The demo store (./demo) is kept between runs; `make demo-reset` fills it again.
demo: $(STAMP)
	$(BIN)/boardbot --demo chat

demo-reset: $(STAMP)
	$(BIN)/boardbot demo --reset

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

test: lint unit

# The answer-quality set: ingest the five seeds into a fresh store, then ask every question.
eval: $(STAMP)
	$(BIN)/python scripts/run_eval.py

# The same questions on a store filled only from the seeds rendered as PDFs (tables as placed
# columns, no tabs), and the field-by-field difference between the seeds' text and their PDF
# and Word renderings (must print "0 facts differ").
# Issue 14's bar on the blind held-out split too (0 answered but wrong, >= 90 % per family): not reached yet.
eval-strict: $(STAMP)
	$(BIN)/python scripts/run_eval.py --strict

eval-pdf: $(STAMP)
	$(BIN)/python scripts/run_eval.py --format pdf

formats: $(STAMP)
	$(BIN)/python scripts/format_diff.py --formats pdf,docx

# The same facts in eight layout families × txt, pdf and docx (scripts/layout_families.py):
# precision and recall per family and format, dev and held-out apart. LAYOUT_FORMATS=txt,pdf,docx,scan
# adds the scanned variant (OCR: minutes on 2 cores).
LAYOUT_COUNT ?= 6
LAYOUT_FORMATS ?= txt,pdf,docx
layouts: $(STAMP)
	rm -rf .layouts && $(BIN)/python scripts/generate_documents.py --families --count $(LAYOUT_COUNT) \
		--formats $(LAYOUT_FORMATS) --out .layouts
	$(BIN)/python scripts/score_layouts.py .layouts

bench: $(STAMP)
	$(BIN)/python scripts/bench_ingest.py
	$(BIN)/python scripts/bench_answers.py
	$(BIN)/python scripts/bench_reminders.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .layouts
