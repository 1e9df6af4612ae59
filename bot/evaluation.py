"""Run a question file in the eval format and grade it the way ../shared/eval/grade.py does.

A verdict is one of three: `pass`; `miss` (reported as not answered, so the user was told the
truth); `wrong` (given as answered, but a fragment a right answer must contain is missing, or
the store holds no answer at all). `wrong` is the one that breaks a board member's trust: a
figure with a source attached that is about something else. Scores are reported per `family`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TextIO

import yaml

from handlers.messages import Reply

Verdict = Literal["pass", "miss", "wrong"]
NO_FAMILY = "-"

# Kept identical to grade.py beside the shared eval sets, so both graders agree on every answer.
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_DIGIT_GAP = re.compile(r"(?<=\d) (?=\d)")
_SECTION_GAP = re.compile(r"§ +")


def normalise(text: str) -> str:
    """Case folded, every kind of space a plain one, digit groups joined, no space after §."""
    text = _SPACES.sub(" ", str(text).casefold())
    text = _DIGIT_GAP.sub("", text)
    return _SECTION_GAP.sub("§", text)


def fragment_passes(fragment: Any, normalised_answer: str) -> bool:
    """A fragment passes when it occurs in the answer; a list passes when any alternative does."""
    if isinstance(fragment, list):
        return any(fragment_passes(f, normalised_answer) for f in fragment)
    return normalise(str(fragment)) in normalised_answer


class EvalFileError(ValueError):
    """A question file that cannot be run: says which item and what is wrong with it."""


@dataclass(frozen=True)
class EvalItem:
    id: str
    ask: str
    expect: tuple[Any, ...] = ()
    unanswered: bool = False
    org: str | None = None
    as_of: dt.date | None = None
    family: str = NO_FAMILY


def load_items(path: Path) -> list[EvalItem]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise EvalFileError(f"{path}: not valid YAML ({exc})") from None
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise EvalFileError(f"{path}: expected a list of questions")
    items: list[EvalItem] = []
    seen: set[str] = set()
    for n, entry in enumerate(raw, 1):
        where = f"{path}: item {n}"
        if not isinstance(entry, dict) or "id" not in entry or not entry.get("ask"):
            raise EvalFileError(f"{where}: every item needs `id` and `ask`")
        item_id = str(entry["id"])
        if item_id in seen:
            raise EvalFileError(f"{where}: id {item_id!r} occurs twice")
        seen.add(item_id)
        expect = entry.get("expect") or []
        if not isinstance(expect, list):
            raise EvalFileError(f"{where} ({item_id}): `expect` must be a list")
        unanswered = bool(entry.get("unanswered", False))
        if not unanswered and not expect:
            raise EvalFileError(f"{where} ({item_id}): needs `expect` or `unanswered: true`")
        as_of = entry.get("as_of")
        if as_of is not None and not isinstance(as_of, dt.date):
            try:
                as_of = dt.date.fromisoformat(str(as_of))
            except ValueError:
                raise EvalFileError(f"{where} ({item_id}): `as_of` must be a date like 2024-03-01") from None
        items.append(EvalItem(
            id=item_id, ask=str(entry["ask"]), expect=tuple(expect), unanswered=unanswered,
            org=str(entry["org"]) if entry.get("org") else None, as_of=as_of,
            family=str(entry.get("family") or NO_FAMILY)))
    return items


def verdict(item: EvalItem, answered: bool | None, text: str) -> tuple[Verdict, list[Any]]:
    """The verdict and the fragments that were missing (grade.py's rules)."""
    if item.unanswered:
        return ("pass", []) if answered is False else ("wrong", ["(the store holds no answer)"])
    if answered is False:
        return "miss", ["(reported as not answered)"]
    answer = normalise(text)
    missing = [f for f in item.expect if not fragment_passes(f, answer)]
    return ("wrong", missing) if missing else ("pass", [])


@dataclass
class EvalOutcome:
    item: EvalItem
    reply: Reply
    verdict: Verdict
    missing: list[Any]

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def passed(self) -> bool:
        return self.verdict == "pass"


Asker = Callable[[str, str | None, dt.date | None], Reply]


def run_items(items: Iterable[EvalItem], asker: Asker) -> list[EvalOutcome]:
    outcomes = []
    for item in items:
        reply = asker(item.ask, item.org, item.as_of)
        v, missing = verdict(item, reply.answered, reply.full_text())
        outcomes.append(EvalOutcome(item, reply, v, missing))
    return outcomes


@dataclass(frozen=True)
class FamilyScore:
    family: str
    passed: int
    total: int
    wrong: int

    @property
    def share(self) -> float:
        return self.passed / self.total if self.total else 0.0


def family_scores(outcomes: list[EvalOutcome]) -> list[FamilyScore]:
    groups: dict[str, list[EvalOutcome]] = defaultdict(list)
    for o in outcomes:
        groups[o.item.family].append(o)
    return [FamilyScore(family, sum(o.passed for o in group), len(group),
                        sum(o.verdict == "wrong" for o in group))
            for family, group in sorted(groups.items())]


def answered_but_wrong(outcomes: list[EvalOutcome]) -> list[EvalOutcome]:
    return [o for o in outcomes if o.verdict == "wrong"]


def write_report(outcomes: list[EvalOutcome], out: TextIO, *, details: bool = True,
                 every: bool = False) -> None:
    """Misses with what was asked and got (all questions with `every`), a line per family,
    the answered-but-wrong ids, and the closing `N passed, M failed`.

    Without `details` only the figures are printed: for a held-out split, whose questions
    (and ids, which name their topic) someone tuning the answers must not read."""
    if details:
        for o in outcomes:
            if o.passed and not every:
                continue
            out.write(f"{o.verdict.upper()} {o.id}: {o.item.ask}\n")
            if not o.passed:
                out.write(f"     missing {json.dumps(o.missing, ensure_ascii=False)}\n")
                out.write("     got: " + o.reply.full_text().replace("\n", "\n          ") + "\n")
    scores = family_scores(outcomes)
    if len(scores) > 1 or (scores and scores[0].family != NO_FAMILY):
        for s in scores:
            out.write(f"  {s.family}: {s.passed}/{s.total} ({s.share:.0%}), answered but wrong {s.wrong}\n")
    wrong = answered_but_wrong(outcomes)
    out.write(f"answered but wrong: {len(wrong)}\n")
    if wrong and details:
        out.write("  " + ", ".join(o.id for o in wrong) + "\n")
    passed = sum(o.passed for o in outcomes)
    out.write(f"{passed} passed, {len(outcomes) - passed} failed\n")


def write_answers(outcomes: list[EvalOutcome], path: Path) -> None:
    """One JSON object per question, as grade.py reads them."""
    with path.open("w", encoding="utf-8") as out:
        for o in outcomes:
            out.write(json.dumps({"id": o.id, **o.reply.as_json()}, ensure_ascii=False) + "\n")
