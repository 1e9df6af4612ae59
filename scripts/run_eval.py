"""The answer-quality check CI runs: ingest the five seeds into an empty store, then ask
every question of ../shared/eval/questions.yaml. Fails below 95 % passed.

    python scripts/run_eval.py [--format txt|pdf|docx|scan]

With --format, the seeds are first rendered by scripts/render_documents.py (a PDF with tables
as positioned columns, a Word file with tables, or a scanned PDF read by OCR) and the store is
filled from those files only."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bot.console import run_eval
from storage.db import open_engine
from storage.ingest.load import ingest_path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
THRESHOLD = 0.95


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Ingest the seeds, ask every eval question.")
    parser.add_argument("--format", choices=["txt", "pdf", "docx", "scan"], default="txt")
    args = parser.parse_args(argv)
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    questions = SHARED / "eval" / "questions.yaml"
    if not seeds or not questions.exists():
        print(f"eval: seeds or questions not found under {SHARED}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        files = seeds
        if args.format != "txt":
            from render_documents import RENDERERS

            suffix, render = RENDERERS[args.format]
            files = []
            for seed in seeds:
                target = Path(folder) / (seed.stem + suffix)
                target.write_bytes(render(seed.read_text(encoding="utf-8")))
                files.append(target)
        engine = open_engine(f"sqlite:///{Path(folder) / 'eval.db'}")
        for path in files:
            result = ingest_path(engine, path)
            print(result.summary("sv"))
        outcomes = run_eval(engine, questions)
        engine.dispose()
    share = sum(o.passed for o in outcomes) / len(outcomes)
    print(f"eval ({args.format}): {share:.0%} of {len(outcomes)} questions answered right (need {THRESHOLD:.0%})")
    return 0 if share >= THRESHOLD else 1


if __name__ == "__main__":
    sys.exit(main())
