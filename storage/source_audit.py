"""The source audit: does every cited place hold the fact it is cited for?

For each fact in the store (a grant's name, Dnr, amount and period; a grant event's amount;
a budget figure's amount and line; a meeting's date and place; a protocol's justering and
anslag dates; the people of a protocol) the audit reads the text of the place the answers
cite — the paragraph when there is one; for a figure of an attached plan or report, that part
of the file (and its page); else the whole document — and looks for the value in
any of its written forms: an amount in kr, tkr or mnkr with any thousands separator, a date
as 2025-02-20, 20 februari (2025), 250220 or 20/2, a name with any spacing or quotes.

A fact changed in chat (a moved meeting) is cited to that change: the audit log row must
hold the new value. What the audit cannot confirm is listed, so a wrong § shows up as one
line rather than as a wrong answer somewhere.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from sqlmodel import Session, col, select

from storage.models import (
    Attendance,
    AuditLog,
    BudgetFigure,
    Document,
    DocumentPart,
    Grant,
    GrantEvent,
    Meeting,
    Organisation,
    Paragraph,
    Person,
    Protocol,
    ProtocolOfficer,
    ProtocolRecord,
)
from storage.swedish.amounts import written_in_some_unit, written_numbers
from storage.swedish.cleaning import HTML_TAG_RE, PAGE_BREAK
from storage.swedish.dates import written_dates

THRESHOLD = 0.99

_SPACE_RE = re.compile(r"[\s\u00a0\u202f\u2009]+")
_QUOTES_RE = re.compile(r"[\"”“'’*]")


def plain(text: str) -> str:
    """Text as the audit compares it: no markup, one space, no quotes, lower case."""
    text = HTML_TAG_RE.sub(" ", text)
    text = _QUOTES_RE.sub("", text)
    return _SPACE_RE.sub(" ", text).strip().lower()


@dataclass
class CitedText:
    """The text of one cited place, with the numbers and dates read out of it once."""

    label: str
    text: str
    _numbers: set[Decimal] | None = None
    _dates: tuple[set[dt.date], set[tuple[int, int]]] | None = None

    @property
    def numbers(self) -> set[Decimal]:
        if self._numbers is None:
            self._numbers = written_numbers(self.text)
        return self._numbers

    @property
    def dates(self) -> tuple[set[dt.date], set[tuple[int, int]]]:
        if self._dates is None:
            self._dates = written_dates(self.text)
        return self._dates

    def has_amount(self, amount: int) -> bool:
        """The amount written in kr, tkr or mnkr (the sign may be written or left to the column)."""
        return written_in_some_unit(amount, self.numbers)

    def has_date(self, day: dt.date) -> bool:
        full, year_less = self.dates
        return day in full or (day.month, day.day) in year_less

    def has_name(self, name: str) -> bool:
        wanted = plain(name)
        return bool(wanted) and wanted in self.text

    def has_label(self, label: str) -> bool:
        """A figure's line as written, or built from the table's words ("Summa" under
        "Intäkter" is stored as "Summa intäkter"): every word's stem stands in the text."""
        if self.has_name(label):
            return True
        stems = [w[:6] for w in re.findall(r"[\wåäö]+", plain(label)) if len(w) >= 3]
        return bool(stems) and all(stem in self.text for stem in stems)


@dataclass(frozen=True)
class Failure:
    organisation: str
    fact: str  # e.g. "grant Jobbspåret Norrvik: max_amount"
    value: str
    source: str  # the cited place, as an answer would name it

    def line(self) -> str:
        return f"{self.organisation}: {self.fact} = {self.value} — not in {self.source}"


@dataclass
class AuditReport:
    checked: int = 0
    confirmed: int = 0
    failures: list[Failure] = field(default_factory=list)
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [checked, confirmed]

    @property
    def share(self) -> float:
        return self.confirmed / self.checked if self.checked else 1.0

    def summary(self) -> str:
        lines = [f"{self.confirmed} of {self.checked} facts confirmed by their cited text ({self.share:.2%})"]
        for kind, (checked, confirmed) in sorted(self.by_kind.items()):
            lines.append(f"  {kind}: {confirmed}/{checked}")
        return "\n".join(lines)


class _Texts:
    """The cited texts of one audit run, each read and prepared once."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.documents: dict[int, CitedText] = {}
        self.paragraphs: dict[int, CitedText] = {}
        self.protocol_dates: dict[int, dt.date] = {}  # document id -> meeting date
        self.parts: dict[tuple[int, int | None], CitedText | None] = {}

    def document(self, document_id: int) -> CitedText:
        if document_id not in self.documents:
            doc = self.session.get(Document, document_id)
            protocol = self.session.exec(select(Protocol).where(Protocol.document_id == document_id)).first()
            if protocol is not None:
                self.protocol_dates[document_id] = protocol.meeting_date
                label = f"protokoll {protocol.meeting_date.isoformat()}"
            else:
                label = (doc.title or doc.file_name) if doc else f"document {document_id}"
            self.documents[document_id] = CitedText(label, plain(doc.text) if doc else "")
        return self.documents[document_id]

    def paragraph(self, paragraph_id: int) -> CitedText:
        if paragraph_id not in self.paragraphs:
            p = self.session.get(Paragraph, paragraph_id)
            if p is None:
                self.paragraphs[paragraph_id] = CitedText(f"paragraph {paragraph_id} (missing)", "")
            else:
                where = self.document(p.document_id).label
                text = " ".join(x for x in (p.title, p.dnr, p.body, p.proposal, p.motions, p.decision) if x)
                self.paragraphs[paragraph_id] = CitedText(f"{where}, § {p.number}", plain(text))
        return self.paragraphs[paragraph_id]

    def part(self, part_id: int, page: int | None = None) -> CitedText | None:
        """The text of one of the documents a file holds (an attached plan or report), or of
        one page of it: what a fact cited to that part must be found in. None for the file's
        protocol or its only part, which are cited as the file is."""
        key = (part_id, page)
        if key not in self.parts:
            part = self.session.get(DocumentPart, part_id)
            doc = self.session.get(Document, part.document_id) if part is not None else None
            cited: CitedText | None = None
            if part is not None and doc is not None and part.kind != "protokoll" and len(
                    self.session.exec(select(DocumentPart.id).where(DocumentPart.document_id == doc.id)).all()) > 1:
                text = doc.text[part.start_offset:part.end_offset]
                label = part.citation()
                if page is not None and PAGE_BREAK in doc.text:
                    # The part's own pages are numbered as the file's: count the breaks before it.
                    first = doc.text.count(PAGE_BREAK, 0, part.start_offset) + 1
                    pages = text.split(PAGE_BREAK)
                    text = pages[page - first] if 0 <= page - first < len(pages) else ""
                    label += f", sida {page}"
                cited = CitedText(label, plain(text))
            self.parts[key] = cited
        return self.parts[key]

    def cited(self, document_id: int | None, paragraph_id: int | None) -> CitedText | None:
        if paragraph_id is not None:
            return self.paragraph(paragraph_id)
        if document_id is not None:
            return self.document(document_id)
        return None

    def meeting_date_of(self, document_id: int) -> dt.date | None:
        self.document(document_id)
        return self.protocol_dates.get(document_id)


Check = tuple[str, str, str, bool, str]  # kind, fact, value, confirmed, source label


def _grant_checks(session: Session, texts: _Texts, org_ids: list[int]) -> Iterator[Check]:
    for grant in session.exec(select(Grant).where(col(Grant.organisation_id).in_(org_ids))).all():
        cited = texts.cited(grant.document_id, grant.paragraph_id)
        if cited is None:
            continue
        what = f"grant {grant.name}"
        yield "grant", f"{what}: name", grant.name, cited.has_name(grant.name), cited.label
        if grant.dnr:
            yield "grant", f"{what}: dnr", grant.dnr, cited.has_name(grant.dnr), cited.label
        if grant.max_amount is not None:
            yield "grant", f"{what}: amount", str(grant.max_amount), cited.has_amount(grant.max_amount), cited.label
        for name, value in (("period start", grant.period_start), ("period end", grant.period_end)):
            if value is not None:
                yield "grant", f"{what}: {name}", value.isoformat(), cited.has_date(value), cited.label
    events = session.exec(select(GrantEvent, Grant).join(Grant, col(Grant.id) == GrantEvent.grant_id)
                          .where(col(Grant.organisation_id).in_(org_ids))).all()
    for event, grant in events:
        cited = texts.cited(event.document_id, event.paragraph_id)
        if cited is None:
            continue
        what = f"grant {grant.name}: {event.status}"
        if event.amount is not None:
            yield "grant event", f"{what} amount", str(event.amount), cited.has_amount(event.amount), cited.label
        if event.date is not None:
            # The meeting date of the protocol the § belongs to dates its decisions.
            ok = texts.meeting_date_of(event.document_id) == event.date or cited.has_date(event.date)
            yield "grant event", f"{what} date", event.date.isoformat(), ok, cited.label


def _figure_checks(session: Session, texts: _Texts, org_ids: list[int]) -> Iterator[Check]:
    figures = session.exec(select(BudgetFigure).where(col(BudgetFigure.organisation_id).in_(org_ids))).all()
    for f in figures:
        cited = None
        if f.paragraph_id is None and f.part_id is not None:
            # Cited to the attached plan or report it stands in: found there, not elsewhere in the file.
            cited = texts.part(f.part_id, f.page)
        cited = cited or texts.cited(f.document_id, f.paragraph_id)
        if cited is None:
            continue
        what = f"figure {f.kind} {f.year} {f.line}"
        yield "figure", f"{what}: amount", str(f.amount), cited.has_amount(f.amount), cited.label
        yield "figure", f"{what}: line", f.line, cited.has_label(f.line), cited.label


def _change_text(session: Session, subject: str) -> CitedText | None:
    row = session.exec(select(AuditLog).where(AuditLog.subject == subject, col(AuditLog.action).in_(
        ("meeting.created", "meeting.updated", "meeting.moved"))).order_by(col(AuditLog.id).desc())).first()
    if row is None:
        return None
    detail = json.loads(row.detail or "{}")
    after = detail.get("after") or {}
    return CitedText(f"{row.actor}, {row.at:%Y-%m-%d %H:%M}", plain(" ".join(str(v) for v in after.values() if v)))


def _meeting_checks(session: Session, texts: _Texts, org_ids: list[int]) -> Iterator[Check]:
    meetings = session.exec(select(Meeting).where(col(Meeting.organisation_id).in_(org_ids),
                                                  Meeting.status != "cancelled")).all()
    for m in meetings:
        if m.changed_at is not None:
            cited = _change_text(session, f"meeting:{m.id}")
        else:
            part = texts.part(m.part_id) if m.part_id is not None and m.paragraph_id is None else None
            cited = part or texts.cited(m.document_id, m.paragraph_id)
        if cited is None:
            continue
        what = f"meeting {m.kind}"
        yield "meeting", f"{what}: date", m.date.isoformat(), cited.has_date(m.date), cited.label
        if m.place and m.changed_at is None and m.paragraph_id is not None:
            yield "meeting", f"{what} {m.date}: place", m.place, cited.has_name(m.place), cited.label


def _protocol_checks(session: Session, texts: _Texts, org_ids: list[int]) -> Iterator[Check]:
    protocols = session.exec(select(Protocol).where(col(Protocol.organisation_id).in_(org_ids))).all()
    for p in protocols:
        own = texts.document(p.document_id)
        what = f"protocol {p.meeting_date}"
        yield "protocol", f"{what}: meeting date", p.meeting_date.isoformat(), own.has_date(p.meeting_date), own.label
        records = {r.field: r for r in session.exec(select(ProtocolRecord).where(
            ProtocolRecord.organisation_id == p.organisation_id, ProtocolRecord.meeting_date == p.meeting_date,
            col(ProtocolRecord.superseded_at).is_(None))).all()}
        for name in ("justering_deadline", "justering_date", "anslag_posted", "anslag_removed"):
            value = getattr(p, name)
            if value is None:
                continue
            record = records.get(name)
            cited = own
            if record is not None and record.value == value:
                cited = texts.cited(record.document_id, record.paragraph_id) or own
            elif name in ("anslag_removed",) and p.anslag_take_down_from == value:
                continue  # computed by the bot from the posting date, not read from a text
            yield "protocol", f"{what}: {name}", value.isoformat(), cited.has_date(value), cited.label


def _people_checks(session: Session, texts: _Texts, org_ids: list[int]) -> Iterator[Check]:
    rows = session.exec(select(Attendance, Person, Protocol)
                        .join(Person, col(Person.id) == Attendance.person_id)
                        .join(Protocol, col(Protocol.id) == Attendance.protocol_id)
                        .where(col(Protocol.organisation_id).in_(org_ids))).all()
    for _a, person, protocol in rows:
        cited = texts.document(protocol.document_id)
        yield "person", f"attendance {protocol.meeting_date}", person.name, cited.has_name(person.name), cited.label
    officers = session.exec(select(ProtocolOfficer, Person, Protocol)
                            .join(Person, col(Person.id) == ProtocolOfficer.person_id)
                            .join(Protocol, col(Protocol.id) == ProtocolOfficer.protocol_id)
                            .where(col(Protocol.organisation_id).in_(org_ids))).all()
    for officer, person, protocol in officers:
        cited = texts.document(protocol.document_id)
        yield ("person", f"{officer.role} {protocol.meeting_date}", person.name, cited.has_name(person.name),
               cited.label)


def audit(session: Session, organisation: str | None = None) -> AuditReport:
    """Checks every fact of the store (or of the förbund whose name contains `organisation`)."""
    query = select(Organisation)
    if organisation:
        query = query.where(col(Organisation.name).ilike(f"%{organisation}%"))
    orgs = {o.id: o.name for o in session.exec(query).all() if o.id is not None}
    report = AuditReport()
    texts = _Texts(session)
    for org_id, org_name in orgs.items():
        ids = [org_id]
        for checks in (_grant_checks, _figure_checks, _meeting_checks, _protocol_checks, _people_checks):
            for kind, fact, value, ok, source in checks(session, texts, ids):
                report.checked += 1
                counts = report.by_kind.setdefault(kind, [0, 0])
                counts[0] += 1
                if ok:
                    report.confirmed += 1
                    counts[1] += 1
                else:
                    report.failures.append(Failure(org_name, fact, value, source))
    return report
