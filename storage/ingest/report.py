"""How well the parser reads a document: precision and recall per field against ground truth.

Ground truth lives in tests/fixtures/seeds/<stem>.yaml (written by hand from the document)
and <stem>.budget.yaml (budget figures). Each field is scored as a set of facts: a fact the
parser found that the truth holds is a true positive, one the truth lacks a false positive,
one the parser missed a false negative. A wrong value counts as both.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from storage.ingest.parsed import ParsedDocument, ParsedGrant
from storage.ingest.text_utils import body_loose_key, organisation_key
from storage.swedish.cleaning import collapse_ws

Fact = tuple[Any, ...]


@dataclass
class FieldScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, other: FieldScore) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


def load_truth(fixtures_dir: Path | str, stem: str) -> dict[str, Any]:
    """<stem>.yaml merged with <stem>.budget.yaml; {} when neither exists."""
    folder = Path(fixtures_dir)
    truth: dict[str, Any] = {}
    main = folder / f"{stem}.yaml"
    if main.exists():
        truth.update(yaml.safe_load(main.read_text(encoding="utf-8")) or {})
    budget = folder / f"{stem}.budget.yaml"
    if budget.exists():
        data = yaml.safe_load(budget.read_text(encoding="utf-8")) or {}
        truth["budget"] = data.get("budget", []) if isinstance(data, dict) else data
    return truth


def score(parsed: ParsedDocument, truth: dict[str, Any]) -> dict[str, FieldScore]:
    scores: dict[str, FieldScore] = {}
    if "organisation" in truth:
        scores["organisation"] = _scalar(organisation_key(parsed.organisation or "") or None,
                                         organisation_key(truth["organisation"] or "") or None)
    if "kind" in truth:
        scores["kind"] = _scalar(parsed.kind, truth["kind"])
    if "kinds" in truth:
        scores["kinds"] = _sets(set(parsed.kinds), set(truth["kinds"] or []))
    if "protocol" in truth:
        scores.update(_score_protocol(parsed, truth["protocol"]))
    if "grants" in truth:
        scores.update(_score_grants(parsed.grants, truth["grants"] or []))
    if "meetings" in truth:
        scores.update(_score_meetings(parsed, truth["meetings"] or []))
    if "notice" in truth:
        scores.update(_score_notice(parsed, truth["notice"]))
    if "budget" in truth:
        parsed_budget = {(f.year, f.kind, _line(f.line), f.amount) for f in parsed.budget}
        true_budget = {(int(b["year"]), b["kind"], _line(b["line"]), int(b["amount"])) for b in truth["budget"]}
        scores["budget"] = _sets(parsed_budget, true_budget)
    return scores


# --- comparing ----------------------------------------------------------------------------


def _norm(value: Any) -> Any:
    """Values compared loosely: dates and times as ISO text, text without case or spacing."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, bool | int):
        return value
    text = collapse_ws(str(value)).lower().strip(" .")
    if re.fullmatch(r"\d{1,2}[:.]\d{2}(?::\d{2})?", text):
        h, m = re.split(r"[:.]", text)[:2]
        return f"{int(h):02d}:{m}"
    return text.replace("–", "-").replace("—", "-")


def _line(text: str) -> str:
    text = re.sub(r"<[^>]+>", "", text or "")
    return collapse_ws(text.replace("*", "")).lower().strip(" -•.")


def _scalar(parsed: Any, truth: Any) -> FieldScore:
    p, t = _norm(parsed), _norm(truth)
    if p is None and t is None:
        return FieldScore()
    if p == t:
        return FieldScore(tp=1)
    return FieldScore(fp=int(p is not None), fn=int(t is not None))


def _sets(parsed: Iterable[Fact] | set[Any], truth: Iterable[Fact] | set[Any]) -> FieldScore:
    p, t = set(parsed), set(truth)
    return FieldScore(tp=len(p & t), fp=len(p - t), fn=len(t - p))


_PROTOCOL_SCALARS = [
    "meeting_date", "start_time", "end_time", "place", "paragraph_range", "chair", "secretary",
    "justering_deadline", "justering_date", "justering_method", "anslag_posted", "anslag_removed",
    "storage_place",
]


def _score_protocol(parsed: ParsedDocument, truth: dict[str, Any] | None) -> dict[str, FieldScore]:
    scores: dict[str, FieldScore] = {}
    proto = parsed.protocol
    if truth is None:
        scores["protocol"] = FieldScore(fp=1) if proto else FieldScore()
        return scores
    scores["protocol"] = FieldScore(tp=1) if proto else FieldScore(fn=1)
    for name in _PROTOCOL_SCALARS:
        if name in truth:
            value = getattr(proto, name) if proto else None
            scores[f"protocol.{name}"] = _scalar(value, truth[name])
    if "justerare" in truth:
        scores["protocol.justerare"] = _sets({_norm(n) for n in (proto.justerare if proto else [])},
                                             {_norm(n) for n in truth["justerare"] or []})
    if "paragraphs" in truth:
        true_paras = [_para(p) for p in truth["paragraphs"] or []]
        got = proto.paragraphs if proto else []
        scores["paragraphs"] = _sets({(p.number, _norm(p.title)) for p in got},
                                     {(n, _norm(t)) for n, t, _ in true_paras})
        if "paragraph_also" in truth:
            # The same matter's § in the body that handled it before ("KS § 41" in fullmäktige's § 88).
            scores["paragraphs.also"] = _sets({(p.number, _norm(p.also)) for p in got if p.also},
                                              {(int(n), _norm(a)) for n, a in truth["paragraph_also"] or []})
        scores["paragraphs.dnr"] = _sets({(p.number, _norm(p.dnr)) for p in got if p.dnr},
                                         {(n, _norm(d)) for n, _, d in true_paras if d})
    if "attendance" in truth:
        people = proto.attendance if proto else []
        true_people = truth["attendance"] or []
        scores["attendance"] = _sets({_norm(p.name) for p in people}, {_norm(p["name"]) for p in true_people})
        # A generated case's truth says which of the person's fields it knows.
        for fld in truth.get("attendance_fields") or ("role", "member_body", "party", "voting", "present"):
            scores[f"attendance.{fld}"] = _sets(
                {(_norm(p.name), _norm(getattr(p, fld))) for p in people if getattr(p, fld) is not None},
                {(_norm(p["name"]), _norm(p.get(fld))) for p in true_people if p.get(fld) is not None})
    return scores


def _score_notice(parsed: ParsedDocument, truth: dict[str, Any] | None) -> dict[str, FieldScore]:
    """A news item of decisions: its meeting date, and each decision by heading and text."""
    notice = parsed.notice
    if truth is None:
        return {"notice": FieldScore(fp=1) if notice else FieldScore()}
    decisions = notice.decisions if notice else []
    return {"notice": FieldScore(tp=1) if notice else FieldScore(fn=1),
            "notice.meeting_date": _scalar(notice.meeting_date if notice else None, truth["meeting_date"]),
            "notice.decisions": _sets({(_norm(d.heading), _norm(d.text)) for d in decisions},
                                      {(_norm(h), _norm(t)) for h, t in truth["decisions"] or []})}


def _para(entry: Any) -> tuple[int, str, str | None]:
    if isinstance(entry, dict):
        return int(entry["number"]), str(entry["title"]), entry.get("dnr")
    number, title, *rest = entry
    return int(number), str(title), (rest[0] if rest else None)


def _grant_id(name: str, paragraph: Any) -> Fact:
    return (collapse_ws(name).lower(), int(paragraph) if paragraph is not None else None)


def _score_grants(grants: list[ParsedGrant], truth: list[dict[str, Any]]) -> dict[str, FieldScore]:
    scores: dict[str, FieldScore] = {}
    parsed_ids = {_grant_id(g.name, g.paragraph_number): g for g in grants}
    true_ids = {_grant_id(t["name"], t.get("paragraph")): t for t in truth}
    scores["grants"] = _sets(set(parsed_ids), set(true_ids))

    def facts(fn_parsed: Any, fn_truth: Any) -> FieldScore:
        p: set[Fact] = set()
        t: set[Fact] = set()
        for gid, g in parsed_ids.items():
            p |= {(gid, v) for v in fn_parsed(g)}
        for gid, tg in true_ids.items():
            t |= {(gid, v) for v in fn_truth(tg)}
        return _sets(p, t)

    def one(value: Any) -> list[Any]:
        return [] if value is None else [_norm(value)]

    scores["grants.status"] = facts(lambda g: [g.status], lambda t: [t["status"]])
    scores["grants.extra_statuses"] = facts(lambda g: g.extra_statuses, lambda t: t.get("extra_statuses") or [])
    scores["grants.max_amount"] = facts(lambda g: one(g.max_amount), lambda t: one(t.get("max_amount")))
    scores["grants.period"] = facts(
        lambda g: [(_norm(g.period_start), _norm(g.period_end))] if g.period_start else [],
        lambda t: [(_norm(t["period"][0]), _norm(t["period"][1]))] if t.get("period") else [])
    scores["grants.dnr"] = facts(lambda g: one(g.dnr), lambda t: one(t.get("dnr")))
    scores["grants.full_name"] = facts(lambda g: one(g.full_name), lambda t: one(t.get("full_name")))
    scores["grants.applicants"] = facts(lambda g: [body_loose_key(a) for a in g.applicants],
                                        lambda t: [body_loose_key(a) for a in t.get("applicants") or []])
    scores["grants.conditions"] = _word_score(
        [(parsed_ids.get(gid), tg.get("condition_words") or []) for gid, tg in true_ids.items()],
        lambda g: g.conditions)
    scores["grants.reporting"] = _word_score(
        [(parsed_ids.get(gid), [tg["reporting_words"]] if tg.get("reporting_words") else [])
         for gid, tg in true_ids.items()],
        lambda g: [g.reporting] if g.reporting else [])
    return scores


def _word_score(pairs: list[tuple[ParsedGrant | None, list[str]]], texts: Any) -> FieldScore:
    """A key word of the truth found in some parsed item is a hit; a parsed item with no key word is noise."""
    result = FieldScore()
    for grant, words in pairs:
        items = [t.lower() for t in texts(grant)] if grant else []
        for w in words:
            if any(w.lower() in item for item in items):
                result.tp += 1
            else:
                result.fn += 1
        if words:
            result.fp += sum(1 for item in items if not any(w.lower() in item for w in words))
        else:
            result.fp += len(items)
    return result


def _score_meetings(parsed: ParsedDocument, truth: list[dict[str, Any]]) -> dict[str, FieldScore]:
    got = parsed.meetings
    scores = {"meetings": _sets({(_norm(m.date), m.kind) for m in got},
                                {(_norm(t["date"]), t.get("kind", "styrelsemöte")) for t in truth})}
    scores["meetings.time"] = _sets(
        {(_norm(m.date), _norm(m.start_time), _norm(m.end_time)) for m in got if m.start_time},
        {(_norm(t["date"]), _norm(t.get("start_time")), _norm(t.get("end_time"))) for t in truth
         if t.get("start_time")})
    scores["meetings.place"] = _sets({(_norm(m.date), _norm(m.place)) for m in got if m.place},
                                     {(_norm(t["date"]), _norm(t["place"])) for t in truth if t.get("place")})
    scores["meetings.paragraph"] = _sets(
        {(_norm(m.date), m.paragraph_number) for m in got if m.paragraph_number is not None},
        {(_norm(t["date"]), int(t["paragraph"])) for t in truth if t.get("paragraph") is not None})
    scores["meetings.agenda"] = _sets(
        {(_norm(m.date), _line(item)) for m in got for item in (m.agenda or "").split("\n") if item.strip()},
        {(_norm(t["date"]), _line(item)) for t in truth for item in t.get("agenda") or []})
    return scores


# --- one document read two ways -------------------------------------------------------------


def document_facts(parsed: ParsedDocument) -> dict[str, set[Fact]]:
    """Every fact the parser found, per field, compared loosely (case, spacing, date forms)."""
    facts: dict[str, set[Fact]] = {
        "organisation": {(organisation_key(parsed.organisation or ""),)} if parsed.organisation else set(),
        "kind": {(parsed.kind,)},
        "kinds": {(k,) for k in parsed.kinds},
    }
    proto = parsed.protocol
    if proto is not None:
        for name in _PROTOCOL_SCALARS:
            value = getattr(proto, name)
            facts[f"protocol.{name}"] = {(_norm(value),)} if value is not None else set()
        facts["protocol.justerare"] = {(_norm(n),) for n in proto.justerare}
        facts["paragraphs"] = {(p.number, _norm(p.title), _norm(p.dnr), _norm(p.also)) for p in proto.paragraphs}
        facts["paragraphs.decision"] = {(p.number, _norm(p.decision)) for p in proto.paragraphs if p.decision}
        facts["attendance"] = {(_norm(p.name), p.role, _norm(p.member_body), p.party, p.voting, p.present,
                                _norm(p.note), _norm(p.title), p.paragraphs) for p in proto.attendance}
    facts["grants"] = {(_norm(g.name), g.paragraph_number, g.status, _norm(g.dnr), _norm(g.full_name),
                        tuple(sorted(body_loose_key(a) for a in g.applicants)), g.max_amount,
                        _norm(g.period_start), _norm(g.period_end), tuple(_norm(c) for c in g.conditions),
                        _norm(g.reporting), tuple(g.extra_statuses)) for g in parsed.grants}
    facts["meetings"] = {(_norm(m.date), _norm(m.start_time), _norm(m.end_time), _norm(m.place), m.kind,
                          m.status, m.paragraph_number, _norm(m.agenda)) for m in parsed.meetings}
    if parsed.notice is not None:
        facts["notice"] = {(_norm(parsed.notice.meeting_date), _norm(d.heading), _norm(d.text), d.page)
                           for d in parsed.notice.decisions}
    facts["budget"] = {(f.year, f.kind, _line(f.line), f.amount, f.unit, f.section, _norm(f.as_of),
                        f.paragraph_number) for f in parsed.budget}
    return facts


def fact_diff(expected: ParsedDocument, got: ParsedDocument) -> dict[str, tuple[set[Fact], set[Fact]]]:
    """Per field, (facts only `expected` has, facts only `got` has); fields that agree are left out."""
    left, right = document_facts(expected), document_facts(got)
    diff: dict[str, tuple[set[Fact], set[Fact]]] = {}
    for name in sorted(set(left) | set(right)):
        missing, extra = left.get(name, set()) - right.get(name, set()), right.get(name, set()) - left.get(name, set())
        if missing or extra:
            diff[name] = (missing, extra)
    return diff


# --- per layout family and format ------------------------------------------------------------


@dataclass
class GroupScore:
    """The fields of every document of one (family, format, split), summed."""

    fields: dict[str, FieldScore]
    documents: int = 0

    def add(self, scores: dict[str, FieldScore]) -> None:
        self.documents += 1
        for name, fs in scores.items():
            self.fields.setdefault(name, FieldScore()).add(fs)

    def worst(self) -> tuple[float, float]:
        scored = [fs for fs in self.fields.values() if fs.tp + fs.fp + fs.fn]
        return (min((fs.precision for fs in scored), default=1.0), min((fs.recall for fs in scored), default=1.0))

    def below(self, precision: float, recall: float) -> list[str]:
        return [f"{name} P{fs.precision:.2f}/R{fs.recall:.2f}" for name, fs in sorted(self.fields.items())
                if fs.tp + fs.fp + fs.fn and (fs.precision < precision or fs.recall < recall)]


def group_key(truth: dict[str, Any], file_name: str) -> tuple[str, str, str] | None:
    """(family, format, dev|held-out) of a generated case's truth; None for other fixtures."""
    family = truth.get("layout_family")
    if not family:
        return None
    fmt = str(truth.get("layout_format") or Path(file_name).suffix.lstrip("."))
    return str(family), fmt, "held-out" if truth.get("held_out") else "dev"


def layout_lines(groups: dict[tuple[str, str, str], GroupScore], precision: float = 0.98,
                 recall: float = 0.95, show_held_out: bool = False) -> list[str]:
    """The per-family × format table: the worst field's precision and recall, and which fields
    miss the targets (named for the dev split only, so the held-out split is not tuned to)."""
    lines = [f"{'family':<14}{'format':<7}{'split':<10}{'docs':>5}{'min P':>8}{'min R':>8}  below target"]
    for (family, fmt, split), group in sorted(groups.items()):
        p, r = group.worst()
        ok = p >= (0.90 if fmt == "scan" else precision) and r >= (0.90 if fmt == "scan" else recall)
        names = "" if ok else ("(held out)" if split == "held-out" and not show_held_out else
                               "; ".join(group.below(0.90 if fmt == "scan" else precision,
                                                     0.90 if fmt == "scan" else recall)))
        lines.append(f"{family:<14}{fmt:<7}{split:<10}{group.documents:>5}{p:>8.3f}{r:>8.3f}  {names}")
    return lines
