"""Ask the questions an eval file answers right once more, changed the way people change them in
chat, and print how many stop being answered right (and how many of those are then answered
wrongly). A fix that only fits the words of one question shows up here as a flip.

The changes are mechanical and keep the question's meaning: a greeting before it ("Hej! Jag
undrar en sak: …"), thanks after it ("… Tack på förhand!"), "btw" in front, no question mark, no
å/ä/ö and lower case, lower case alone, and two neighbouring letters swapped in its longest word
of nine letters or more. Figures only; the flips are listed with `--show`.

    .venv/bin/python scripts/perturb_eval.py tests/eval/probe_s10q.yaml tests/eval/probe_s10r.yaml
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.console import eval_asker
from bot.evaluation import EvalItem, load_items, run_items
from storage.db import open_engine
from storage.ingest.load import ingest_path

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
_SWEDISH = re.compile(r"[åäö]|\b(?:vad|vem|hur|när|nar|vilka|vilken|och|är|för|på|va|mkt)\b", re.IGNORECASE)
_LONG_WORD = re.compile(r"[A-Za-zÅÄÖåäöÉé]{9,}")


def _no_accents(text: str) -> str:
    return text.translate(str.maketrans("åäöÅÄÖ", "aaoAAO")).lower()


def _swapped(text: str) -> str | None:
    words = _LONG_WORD.findall(text)
    if not words:
        return None
    word = max(words, key=len)
    i = len(word) // 2
    return text.replace(word, word[:i] + word[i + 1] + word[i] + word[i + 2:], 1)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def variants(text: str) -> Iterator[tuple[str, str]]:
    """The changed forms of a question, by name."""
    swedish = bool(_SWEDISH.search(text))
    yield "greeting", ("Hej! Jag undrar en sak: " if swedish else "Hi, quick question: ") + _lower_first(text)
    yield "thanks", text.rstrip("?. ") + ("? Tack på förhand!" if swedish else "? Thanks in advance!")
    yield "btw", "btw " + _lower_first(text)
    yield "no mark", text.rstrip("?. ")
    yield "no accents", _no_accents(text)
    yield "lower case", text.lower()
    swapped = _swapped(text)
    if swapped is not None:
        yield "swapped letters", swapped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path, help="eval files (the format of ../shared/eval/questions.yaml)")
    parser.add_argument("--show", action="store_true", help="list every question that flips")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        engine = open_engine(f"sqlite:///{Path(folder) / 'store.db'}")
        for seed in sorted(SEEDS.glob("*.txt")):
            ingest_path(engine, seed)
        asker = eval_asker(engine)
        asked: dict[str, list[int]] = {}
        flips: list[str] = []
        for path in args.files:
            for outcome in run_items(load_items(path), asker):
                if not outcome.passed:
                    continue
                for name, text in variants(outcome.item.ask):
                    item: EvalItem = dataclasses.replace(outcome.item, ask=text)
                    again = run_items([item], asker)[0]
                    counts = asked.setdefault(name, [0, 0, 0])
                    counts[0] += 1
                    if not again.passed:
                        counts[1] += 1
                        counts[2] += again.reply.answered
                        flips.append(f"{name}: {'WRONG' if again.reply.answered else 'miss'} {item.id}: {text}")
    for name, (n, flipped, wrong) in asked.items():
        share = 100 * flipped / n if n else 0.0
        print(f"{name:16} asked {n:5}  flipped {flipped:4} ({share:4.1f} %)  answered but wrong {wrong}")
    if args.show:
        print("\n".join(flips))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
