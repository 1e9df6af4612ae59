"""The answer-quality check CI runs: ingest the five seeds into an empty store, then ask
every question of ../shared/eval/questions.yaml. Fails below 95 % passed."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from bot.console import run_eval
from storage.db import open_engine
from storage.ingest.load import ingest_path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
THRESHOLD = 0.95


def main() -> int:
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    questions = SHARED / "eval" / "questions.yaml"
    if not seeds or not questions.exists():
        print(f"eval: seeds or questions not found under {SHARED}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        engine = open_engine(f"sqlite:///{Path(folder) / 'eval.db'}")
        for seed in seeds:
            result = ingest_path(engine, seed)
            print(result.summary("sv"))
        outcomes = run_eval(engine, questions)
        engine.dispose()
    share = sum(o.passed for o in outcomes) / len(outcomes)
    print(f"eval: {share:.0%} of {len(outcomes)} questions answered right (need {THRESHOLD:.0%})")
    return 0 if share >= THRESHOLD else 1


if __name__ == "__main__":
    sys.exit(main())
