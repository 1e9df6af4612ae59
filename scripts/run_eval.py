"""The answer-quality check CI runs: ingest the five seeds into an empty store once, then ask
every question of each set and print a score per family.

- ../shared/eval/questions.yaml: fails below 95 % passed;
- ../shared/eval/families.yaml: reported only;
- the question bank's dev split, tests/eval/bank_dev.yaml: fails on any answer given as answered
  but wrong;
- the bank's first held-out split, tests/eval/bank_spent.yaml: spent (its figures steered the
  answering code), so gated like dev: fails on any answer given as answered but wrong;
- the probe sets tests/eval/probe_*.yaml (near misses written while hardening the answers):
  reported only;
- the bank's held-out split, tests/eval/blind/*.yaml, written blind by people who neither change
  nor read the answering code: reported as figures only, never its questions, so that whoever
  changes the answering code can run this without reading it (--skip-heldout leaves even the
  figures out). With --strict (`make eval-strict`) it must reach issue 14's bar: 0 answered but
  wrong and at least 90 % in every family. The default run does not fail on it: the bar is not
  reached (see the README), and CI must still guard everything else.

With --format pdf|docx|scan, the seeds are first rendered by scripts/render_documents.py (a PDF
with tables as placed columns and no tabs, a Word file with tables, or a scanned PDF read by
OCR) and the store is filled from those files only.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bot.console import run_eval
from bot.evaluation import EvalFileError, EvalOutcome, answered_but_wrong, family_scores
from storage.db import open_engine
from storage.ingest.load import ingest_path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
BANK = ROOT / "tests" / "eval"


@dataclass(frozen=True)
class EvalSet:
    name: str
    path: Path
    min_share: float | None = None  # fail below this share passed
    no_wrong: bool = False  # fail on any answer given as answered but wrong
    held_out: bool = False


SETS = (
    EvalSet("questions", SHARED / "eval" / "questions.yaml", min_share=0.95),
    EvalSet("families", SHARED / "eval" / "families.yaml"),
    EvalSet("bank dev", BANK / "bank_dev.yaml", no_wrong=True),
    EvalSet("bank spent", BANK / "bank_spent.yaml", no_wrong=True),
    *(EvalSet(f"probe {p.stem.removeprefix('probe_')}", p) for p in sorted(BANK.glob("probe_*.yaml"))),
    *(EvalSet(f"bank held-out {p.stem.removeprefix('bank_blind_')}", p, held_out=True)
      for p in sorted((BANK / "blind").glob("bank_blind_*.yaml"))),
)


def _render(seeds: list[Path], fmt: str, folder: Path) -> list[Path]:
    from render_documents import RENDERERS

    suffix, render = RENDERERS[fmt]
    files = []
    for seed in seeds:
        target = folder / (seed.stem + suffix)
        target.write_bytes(render(seed.read_text(encoding="utf-8")))
        files.append(target)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-heldout", action="store_true",
                        help="Do not ask the held-out split at all (for whoever is changing the answering code).")
    parser.add_argument("--strict", action="store_true",
                        help="Also fail on the held-out split: any answered but wrong, or a family below 90 %%.")
    parser.add_argument("--format", choices=["txt", "pdf", "docx", "scan"], default="txt",
                        help="Ingest the seeds rendered in this format instead of their text.")
    args = parser.parse_args(argv)
    seeds = sorted((SHARED / "seeds").glob("*.txt"))
    missing = [s.path for s in SETS if not s.path.exists()]
    if not seeds or missing:
        print(f"eval: seeds under {SHARED / 'seeds'} or sets {[str(m) for m in missing]} not found", file=sys.stderr)
        return 1
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        files = seeds if args.format == "txt" else _render(seeds, args.format, Path(folder))
        engine = open_engine(f"sqlite:///{Path(folder) / 'eval.db'}")
        started = time.perf_counter()
        for seed in files:
            result = ingest_path(engine, seed)
            if not result.ok:
                failures.append(f"ingest of {seed.name}")
            print(result.summary("sv"))
        print(f"eval: ingested {len(seeds)} seeds in {time.perf_counter() - started:.1f} s")
        held_out: list[EvalOutcome] = []  # the blind files together: the bar is per family over all
        for s in SETS:
            if s.held_out and args.skip_heldout:
                continue
            print(f"\n== {s.name} ({s.path.name})")
            started = time.perf_counter()
            try:
                outcomes = run_eval(engine, s.path, details=not s.held_out)
            except EvalFileError as exc:
                print(f"eval: {exc}", file=sys.stderr)
                failures.append(f"{s.name}: unreadable")
                continue
            share = sum(o.passed for o in outcomes) / len(outcomes) if outcomes else 0.0
            wrong = len(answered_but_wrong(outcomes))
            print(f"{s.name}: {share:.0%} of {len(outcomes)} passed, {wrong} answered but wrong "
                  f"({time.perf_counter() - started:.1f} s)")
            if s.min_share is not None and share < s.min_share:
                failures.append(f"{s.name}: {share:.0%} passed, need {s.min_share:.0%}")
            if (s.no_wrong or (s.held_out and args.strict)) and wrong:
                failures.append(f"{s.name}: {wrong} answered but wrong")
            if s.held_out:
                held_out += outcomes
        if held_out:
            share = sum(o.passed for o in held_out) / len(held_out)
            print("\n== bank held-out, all blind files together")
            for f in family_scores(held_out):
                print(f"  {f.family}: {f.passed}/{f.total} ({f.share:.0%}), answered but wrong {f.wrong}")
            print(f"bank held-out: {share:.0%} of {len(held_out)} passed, "
                  f"{len(answered_but_wrong(held_out))} answered but wrong")
            if args.strict:
                failures += [f"bank held-out: {f.family} {f.passed}/{f.total}"
                             for f in family_scores(held_out) if f.share < 0.90]
        engine.dispose()
    if failures:
        print("\neval FAILED: " + "; ".join(failures))
        return 1
    print("\neval passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
