"""Ask the questions an eval file answers right once more, changed the way people change them in
chat, and print how many stop being answered right (and how many of those are then answered
wrongly). A fix that only fits the words of one question shows up here as a flip.

The changes are mechanical and keep the question's meaning: a greeting before it ("Hej! Jag
undrar en sak: …"), thanks after it ("… Tack på förhand!"), "btw" in front, no question mark, no
å/ä/ö and lower case, lower case alone, two neighbouring letters swapped in its longest word
of nine letters or more, the words people shorten in chat shortened ("hur mkt", "ordf", "o",
"what's", "didn't"), the year put first ("2021, vad …"), and the förbund named in the question
instead of linked to the conversation ("… i Jämtland"). Figures only; the flips are listed with
`--show`.

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

from sqlmodel import Session, select

from bot.console import eval_asker
from bot.evaluation import load_items, run_items
from storage.db import open_engine
from storage.ingest.load import ingest_path
from storage.models import Organisation

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


# How people shorten words in chat (both directions of a contraction are the same question).
_SHORT_FORMS: tuple[tuple[str, str], ...] = (
    (r"\bhur mycket\b", "hur mkt"), (r"\bordförande\b", "ordf"), (r"\bsekreterare\b", "sekr"),
    (r"\boch\b", "o"), (r"\bnågon\b", "nån"), (r"\bnågot\b", "nåt"), (r"\bvad\b", "va"),
    (r"\btusen kronor\b", "tkr"), (r"\bwhat is\b", "what's"), (r"\bwho is\b", "who's"),
    (r"\bdid not\b", "didn't"), (r"\bis not\b", "isn't"), (r"\bwhat's\b", "what is"),
    (r"\bwho's\b", "who is"), (r"\bdidn't\b", "did not"), (r"\bwasn't\b", "was not"),
)
_YEAR_AT_END = re.compile(r"^(?P<rest>.*?\S)\s+(?:(?:i|för|in|for)\s+)?(?P<year>(?:19|20)\d\d)\s*\?*$", re.IGNORECASE)


def _shortened(text: str) -> str | None:
    short = text
    for pattern, form in _SHORT_FORMS:
        short = re.sub(pattern, form, short, flags=re.IGNORECASE)
    return short if short != text else None


def _year_first(text: str) -> str | None:
    """"Vad var budgeten för Enter 2021?" as "2021, vad var budgeten för Enter?"."""
    found = _YEAR_AT_END.match(text)
    if found is None:
        return None
    rest = found.group("rest").rstrip(" ,")
    return f"{found.group('year')}, {_lower_first(rest)}?"


def _full_name(names: list[str], part: str | None) -> str | None:
    """The förbund's full name, as a question naming it writes it (the eval's `org` is a part of it,
    often also a kommun's name: "Umeå")."""
    fitting = [n for n in names if part and part.lower() in n.lower()]
    return fitting[0] if len(fitting) == 1 else None


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
    shortened = _shortened(text)
    if shortened is not None:
        yield "short forms", shortened
    fronted = _year_first(text)
    if fronted is not None:
        yield "year first", fronted


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
        with Session(engine) as session:
            names = list(session.exec(select(Organisation.name)))
        asked: dict[str, list[int]] = {}
        flips: list[str] = []
        for path in args.files:
            for outcome in run_items(load_items(path), asker):
                if not outcome.passed:
                    continue
                changed = [(name, dataclasses.replace(outcome.item, ask=text)) for name, text in variants(outcome.item.ask)]
                full = _full_name(names, outcome.item.org)
                if full is not None:
                    # The förbund named in the question, in a conversation linked to none.
                    swedish = bool(_SWEDISH.search(outcome.item.ask))
                    named = f"{outcome.item.ask.rstrip('?. ')} {'i' if swedish else 'in'} {full}?"
                    changed.append(("förbund named", dataclasses.replace(outcome.item, ask=named, org=None)))
                for name, item in changed:
                    text = item.ask
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
