"""What the parser finds in one document, before it becomes rows.

The parser (text -> ParsedDocument) knows nothing of the database; the loader
(ParsedDocument -> rows) knows nothing of text. Fixtures of ground truth are written
in these terms too, so the parser can be measured field by field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import Field

from storage.ingest.notices import ParsedNotice
from storage.ingest.parts import ParsedPart
from storage.models import FigureFacts, GrantFacts


@dataclass
class ParsedPerson:
    name: str
    role: str  # ledamot, ersättare, övrig
    member_body: str | None = None  # utsedd av
    party: str | None = None  # (S), (C), ...
    voting: bool = False  # beslutande
    present: bool = True
    note: str | None = None  # e.g. "§§ 7-10", "digital närvaro"
    title: str | None = None  # förbundschef, verksamhetsutvecklare, ...
    # The §§ present at when not every § ("5-12,14"): arrivals, departures and jäv, read by
    # storage.ingest.presence.
    paragraphs: str | None = None


@dataclass
class ParsedParagraph:
    number: int
    title: str
    body: str
    dnr: str | None = None
    proposal: str | None = None  # förslag till beslut
    motions: str | None = None  # yrkanden
    decision: str | None = None  # beslut
    page: int | None = None  # the page the § begins on (pages are split by form feeds)
    # The same matter's § in another body's protocol, as this § cites it: "KS § 41" in
    # fullmäktige's § 88 (storage.ingest.sections.other_citation).
    also: str | None = None


class ParsedGrant(GrantFacts):
    """A grant as one § states it: the model's fields, lists where a § gives several, and the
    § it stands in."""

    paragraph_number: int | None
    applicants: list[str] = Field(default_factory=list)
    conditions: list[str] = Field(default_factory=list)
    # Extra statuses the same paragraph also gives (e.g. final report approved AND payment approved).
    extra_statuses: list[str] = Field(default_factory=list)
    payment_amount: int | None = None  # kronor to be paid out (or paid), when the § says


@dataclass
class ParsedMeeting:
    date: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    place: str | None = None
    kind: str = "styrelsemöte"  # styrelsemöte, planeringsdag
    status: str = "planned"  # planned, held
    paragraph_number: int | None = None  # the § that planned it
    agenda: str | None = None
    # What the date comes from: a meeting plan, a kallelse, or a mention in another §
    # ("redovisas vid sammanträdet 12 september"). A plan or kallelse is the meeting's source;
    # a mention only until one is found.
    basis: str = "mention"  # plan, kallelse, mention


class ParsedBudgetFigure(FigureFacts):
    """A figure as a table cell or a sentence gives it (amount already in kronor), with its §."""

    paragraph_number: int | None = None
    # The line of the table reader's text it was read from (storage.ingest.tables.prepare_lines),
    # and what that tells: the part of the file (an index into ParsedDocument.parts) and the page.
    source_line: int | None = None
    part_index: int | None = None
    page: int | None = None


@dataclass
class ParsedProtocolRecord:
    """A protocol's statement about an earlier protocol's justering or anslag."""

    meeting_date: dt.date  # of the earlier protocol
    field: str  # justering_date, anslag_posted, anslag_removed
    value: dt.date
    paragraph_number: int | None = None  # the § of this protocol that says so


@dataclass
class ParsedProtocol:
    meeting_date: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    place: str | None = None
    kind: str = "styrelsemöte"
    paragraph_range: str | None = None
    chair: str | None = None
    secretary: str | None = None
    justerare: list[str] = field(default_factory=list)
    justering_deadline: dt.date | None = None
    justering_date: dt.date | None = None
    justering_method: str | None = None
    anslag_posted: dt.date | None = None
    anslag_removed: dt.date | None = None
    storage_place: str | None = None
    attendance: list[ParsedPerson] = field(default_factory=list)
    # Seats the attendance list gives as vacant: (role, member body).
    vacancies: list[tuple[str, str]] = field(default_factory=list)
    paragraphs: list[ParsedParagraph] = field(default_factory=list)


@dataclass
class ParsedDocument:
    organisation: str | None
    kind: str  # protokoll, kallelse, verksamhetsplan, tertialuppföljning, unknown
    title: str | None = None
    # Every kind found: one PDF often holds a protocol with its appended report.
    kinds: list[str] = field(default_factory=list)
    protocol: ParsedProtocol | None = None
    meetings: list[ParsedMeeting] = field(default_factory=list)  # planned (kallelse, plans)
    grants: list[ParsedGrant] = field(default_factory=list)
    budget: list[ParsedBudgetFigure] = field(default_factory=list)
    records: list[ParsedProtocolRecord] = field(default_factory=list)  # about earlier protocols
    # Decisions published as a news item ("Beslut i korthet"), when the document is no protocol.
    notice: ParsedNotice | None = None
    # The documents the file holds (cover letter, protocol, attached plan or report), in order.
    parts: list[ParsedPart] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def is_board_document(self) -> bool:
        return bool(self.protocol or self.meetings or self.grants or self.budget or self.notice)
