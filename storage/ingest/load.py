"""ParsedDocument -> rows, one transaction per document.

- The same content twice is a no-op (unique organisation + content hash).
- A corrected version of a document (same organisation, kind and meeting date) replaces the
  older version's facts; the protocol row keeps its identity so justering rounds follow it,
  and the audit log records the change.
- Organisations are matched by a normalised key of their name, so "Samordningsförbundet i
  Jämtlands län" and "SAMORDNINGSFÖRBUNDET JÄMTLANDS LÄN" are one förbund and two förbund
  never mix.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import multiprocessing
import re
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import Table, and_, bindparam, delete, or_, update
from sqlalchemy import select as core_select
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlmodel import Session, SQLModel, col, select

from storage import grant_status, protocol_records
from storage.audit import append_entry
from storage.db import session_scope
from storage.ingest.board_words import board_signs
from storage.ingest.extract import ExtractedText, ExtractError, extract_text, extract_text_from_bytes
from storage.ingest.notices import ParsedNotice
from storage.ingest.parse import parse_document
from storage.ingest.parsed import ParsedDocument, ParsedGrant, ParsedPerson, ParsedProtocol
from storage.ingest.text_utils import organisation_key
from storage.models import (
    Attendance,
    BoardRole,
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
    Vacancy,
)
from storage.organisations import organisations_matching
from storage.search import paragraph_search_text
from storage.settings import get_settings
from storage.swedish.cleaning import PAGE_BREAK
from storage.types import utcnow

log = logging.getLogger(__name__)

_SPACES_RE = re.compile(r"\s+")



@dataclass
class IngestResult:
    file_name: str
    status: str  # added, replaced, unchanged, rejected
    organisation: str | None = None
    kind: str | None = None
    document_id: int | None = None
    meeting_date: dt.date | None = None
    counts: dict[str, int] = field(default_factory=dict)
    found: list[str] = field(default_factory=list)  # short lines: what was found
    warnings: list[str] = field(default_factory=list)
    message_sv: str | None = None  # why it was rejected
    message_en: str | None = None

    @property
    def ok(self) -> bool:
        return self.status != "rejected"

    def summary(self, language: str = "sv") -> str:
        if not self.ok:
            reason = self.message_en if language == "en" else self.message_sv
            return f"{self.file_name}: {reason}"
        if self.status == "unchanged":
            return (f"{self.file_name}: already in the store, nothing changed." if language == "en"
                    else f"{self.file_name}: finns redan, inget ändrades.")
        verb = {"added": ("inläst", "added"), "replaced": ("ersatte tidigare version", "replaced the "
                "earlier version")}[self.status]
        head = f"{self.file_name}: {verb[1] if language == 'en' else verb[0]} — {self.organisation}, {self.kind}"
        if self.meeting_date:
            head += f" {self.meeting_date.isoformat()}"
        lines = [head, *(f"  • {line}" for line in self.found)]
        lines += [f"  ! {w}" for w in self.warnings]
        return "\n".join(lines)


def grant_key(name: str) -> str:
    """The identity of a grant across paragraphs: its name, case- and spacing-insensitive."""
    key = re.sub(r"[\"”“'’]", "", name.lower())
    return re.sub(r"\s+", " ", key).strip(" .,:;–-")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _reject(file_name: str, sv: str, en: str) -> IngestResult:
    return IngestResult(file_name=file_name, status="rejected", message_sv=sv, message_en=en)


def _table(model: type[SQLModel]) -> Table:
    """The Core table of a model: statements through it skip the ORM's per-row bookkeeping."""
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table


# The loader writes through Core: building and flushing an ORM object per row cost more than
# the database's own work. Only a replaced version goes through the ORM (the justering hook needs it).
_ORGANISATION = _table(Organisation)
_DOCUMENT = _table(Document)
_PART = _table(DocumentPart)
_PROTOCOL = _table(Protocol)
_PARAGRAPH = _table(Paragraph)
_MEETING = _table(Meeting)
_PERSON = _table(Person)
_GRANT = _table(Grant)
_GRANT_EVENT = _table(GrantEvent)

_ORGANISATION_NAMES = core_select(_ORGANISATION.c.id, _ORGANISATION.c.name).order_by(_ORGANISATION.c.id)
# In one query: the same content already stored, else the current version this one replaces
# (a NULL version key matches nothing).
_SAME_OR_EARLIER = core_select(_DOCUMENT.c.id, _DOCUMENT.c.content_hash).where(
    _DOCUMENT.c.organisation_id == bindparam("organisation_id"),
    or_(_DOCUMENT.c.content_hash == bindparam("hash"),
        and_(_DOCUMENT.c.version_key == bindparam("version_key"), _DOCUMENT.c.superseded_at.is_(None))),
).order_by(_DOCUMENT.c.id)
_PEOPLE = core_select(_PERSON.c.name, _PERSON.c.id).where(_PERSON.c.organisation_id == bindparam("organisation_id"))
_PEOPLE_NAMED = _PEOPLE.where(_PERSON.c.name.in_(bindparam("names", expanding=True)))
# A new document's paragraphs in the order written (ids rise as rows are inserted).
_PARAGRAPHS_OF = core_select(_PARAGRAPH.c.id, _PARAGRAPH.c.number).where(
    _PARAGRAPH.c.document_id == bindparam("document_id")).order_by(_PARAGRAPH.c.id)
# Oldest first: a dnr shared by several grants finds the oldest, as a lookup by dnr did.
_GRANTS_NAMED = core_select(_GRANT).where(
    _GRANT.c.organisation_id == bindparam("organisation_id"), _GRANT.c.key.in_(bindparam("keys", expanding=True)),
).order_by(_GRANT.c.id)
_GRANTS_NAMED_OR_NUMBERED = core_select(_GRANT).where(
    _GRANT.c.organisation_id == bindparam("organisation_id"),
    or_(_GRANT.c.key.in_(bindparam("keys", expanding=True)), _GRANT.c.dnr.in_(bindparam("dnrs", expanding=True))),
).order_by(_GRANT.c.id)
# By kind within a day, as the (organisation, date, kind) index gives them one date at a time.
_MEETINGS_ON = core_select(_MEETING).where(
    _MEETING.c.organisation_id == bindparam("organisation_id"),
    _MEETING.c.date.in_(bindparam("dates", expanding=True)),
).order_by(_MEETING.c.date, _MEETING.c.kind, _MEETING.c.id)
# Every column of the row, set from the parameters' keys; the row by a parameter named otherwise.
_UPDATE_GRANT = _GRANT.update().where(_GRANT.c.id == bindparam("grant_id"))
_UPDATE_MEETING = _MEETING.update().where(_MEETING.c.id == bindparam("meeting_id"))
_GRANT_EVENTS_OF = core_select(_GRANT_EVENT.c.grant_id, _GRANT_EVENT.c.paragraph_id, _GRANT_EVENT.c.status,
                               _GRANT_EVENT.c.date).where(
    _GRANT_EVENT.c.grant_id.in_(bindparam("grant_ids", expanding=True)))


def _audit(session: Session, organisation_id: int | None, actor: str, action: str, subject: str,
           detail: dict[str, object]) -> None:
    append_entry(session.connection(), {
        "at": utcnow(), "organisation_id": organisation_id, "actor": actor, "action": action, "subject": subject,
        "detail": json.dumps(detail, ensure_ascii=False, default=str)})


Row = dict[str, Any]
Params = tuple[Any, ...]
_Processor = Callable[[Any], Any] | None


@lru_cache(maxsize=64)
def _driver_insert(dialect: Dialect, table: Table, keys: tuple[str, ...]) -> tuple[str, list[_Processor]] | None:
    """The INSERT of `keys` into `table` as SQL for the driver, with each value's bind processor;
    None when SQLAlchemy would add values of its own (a column default left out)."""
    compiled = table.insert().compile(dialect=dialect, column_keys=list(keys))
    if tuple(compiled.positiontup or ()) != keys:
        return None
    return str(compiled), [table.c[key].type.dialect_impl(dialect).bind_processor(dialect) for key in keys]


def _insert_all(connection: Connection, table: Table, rows: list[Row]) -> None:
    """INSERTs rows that all hold the same columns, in order (ids rise with it).

    On SQLite straight through the driver's executemany, the values converted by the column
    types as SQLAlchemy would: its own executemany prepares every row in Python, which cost more
    than SQLite's work for a budget's hundreds of figures. Elsewhere through SQLAlchemy, whose
    batched INSERTs are already fast there.
    """
    if not rows:
        return
    keys = tuple(rows[0])
    prepared = _driver_insert(connection.dialect, table, keys) if connection.dialect.name == "sqlite" else None
    if prepared is None:
        connection.execute(table.insert(), rows)
        return
    sql, processors = prepared
    converted = [(k, process) for k, process in enumerate(processors) if process is not None]
    values_of = itemgetter(*keys)
    params: list[Params] = []
    for row in rows:
        values = values_of(row) if len(keys) > 1 else (row[keys[0]],)
        if converted:
            values = list(values)
            for k, process in converted:
                values[k] = process(values[k])
            values = tuple(values)
        params.append(values)
    connection.exec_driver_sql(sql, params)


# Every document compares its förbund's key with every stored name's key.
_organisation_key = lru_cache(maxsize=4096)(organisation_key)


def _find_organisation(session: Session, parsed_name: str | None, hint: str | None) -> tuple[int, str] | None:
    """(id, name) of the organisation a document belongs to: the hint's (--org, or the linked
    channel's) whatever the text names; else the förbund its text names, created when new."""
    if hint:
        matches = organisations_matching(session, hint)
        if len(matches) == 1 and matches[0].id is not None:
            return matches[0].id, matches[0].name
    connection = session.connection()
    names = connection.execute(_ORGANISATION_NAMES).all()
    if parsed_name:
        key = _organisation_key(parsed_name)
        for org_id, name in names:
            if _organisation_key(name) == key:
                return int(org_id), str(name)
        new_id = connection.execute(_ORGANISATION.insert().returning(_ORGANISATION.c.id), {
            "name": parsed_name, "org_number": None, "created_at": utcnow()}).scalar_one()
        return int(new_id), parsed_name
    return None


def _version_key(parsed: ParsedDocument) -> str | None:
    if parsed.protocol is not None:
        return f"protokoll:{parsed.protocol.meeting_date.isoformat()}"
    return None


class People:
    """Person ids of one organisation by name: read once, new people inserted as met."""

    def __init__(self, session: Session, organisation_id: int) -> None:
        self.session = session
        self.organisation_id = organisation_id
        rows = session.connection().execute(_PEOPLE, {"organisation_id": organisation_id})
        self.ids: dict[str, int] = {name: pid for name, pid in rows if pid is not None}

    def id(self, name: str) -> int:
        return self.ids_of([name])[0]

    def ids_of(self, names: list[str]) -> list[int]:
        """The ids of the names, in order; people not met before are inserted in that order."""
        names = [_SPACES_RE.sub(" ", name).strip() for name in names]
        missing = list(dict.fromkeys(name for name in names if name not in self.ids))
        if missing:
            # One executemany, then their ids by name (unique per organisation): an INSERT …
            # RETURNING that must keep the order runs row by row on SQLite.
            connection = self.session.connection()
            _insert_all(connection, _PERSON, [
                {"organisation_id": self.organisation_id, "name": name, "is_admin": False} for name in missing])
            params = {"organisation_id": self.organisation_id, "names": missing}
            self.ids.update((name, int(pid)) for name, pid in connection.execute(_PEOPLE_NAMED, params))
        return [self.ids[name] for name in names]


class Meetings:
    """An organisation's meetings on the dates one document names, as rows: read once, changed in
    memory and written once, so a later lookup sees what an earlier one made."""

    def __init__(self, session: Session, organisation_id: int, dates: list[dt.date]) -> None:
        self.session = session
        self.organisation_id = organisation_id
        self.by_date: dict[dt.date, Row] = {}
        self.created: list[Row] = []
        self.changed: dict[int, Row] = {}
        if dates:
            rows = session.connection().execute(
                _MEETINGS_ON, {"organisation_id": organisation_id, "dates": sorted(set(dates))}).mappings()
            for row in rows:
                self.by_date.setdefault(row["date"], dict(row))

    def get(self, date: dt.date) -> Row | None:
        return self.by_date.get(date)

    def new(self, date: dt.date, kind: str) -> Row:
        row: Row = {"organisation_id": self.organisation_id, "date": date, "start_time": None, "end_time": None,
                    "place": None, "kind": kind, "status": "planned", "document_id": None, "paragraph_id": None,
                    "protocol_id": None, "agenda": None, "changed_by": None, "changed_at": None, "basis": None,
                    "part_id": None}
        self.by_date[date] = row
        self.created.append(row)
        return row

    def update(self, row: Row, **values: Any) -> None:
        row.update(values)
        if "id" in row:
            self.changed[row["id"]] = row

    def write(self) -> None:
        connection = self.session.connection()
        if self.created:
            _insert_all(connection, _MEETING, self.created)  # in the order made: ids follow it
        if self.changed:
            connection.execute(_UPDATE_MEETING, [
                {"meeting_id": meeting_id, **{k: v for k, v in row.items() if k != "id"}}
                for meeting_id, row in self.changed.items()])


def _remove_document_facts(session: Session, document: Document) -> None:
    """Deletes what an older version of a document put in the store (not the document itself)."""
    doc_id = document.id
    assert doc_id is not None
    protocol_records.remove_document(session, doc_id)
    paragraph_ids = list(session.exec(select(Paragraph.id).where(Paragraph.document_id == doc_id)).all())
    affected = set(session.exec(select(GrantEvent.grant_id).where(GrantEvent.document_id == doc_id)).all())
    affected |= {g for g in session.exec(select(Grant.id).where(Grant.document_id == doc_id)).all() if g is not None}
    session.execute(delete(GrantEvent).where(col(GrantEvent.document_id) == doc_id))
    for grant in session.exec(select(Grant).where(col(Grant.id).in_(sorted(affected))).order_by(
            col(Grant.id).desc())).all():
        remaining = list(session.exec(
            select(GrantEvent).where(GrantEvent.grant_id == grant.id).order_by(col(GrantEvent.date))).all())
        if not remaining:
            # A later grant that followed this one now follows the one before it.
            session.execute(update(Grant).where(col(Grant.previous_id) == grant.id).values(
                previous_id=grant.previous_id))
            session.delete(grant)
            session.flush()
            continue
        grant.status = grant_status.derive((e.date, e.status) for e in remaining) or grant.status
        if grant.document_id == doc_id:
            grant.document_id = remaining[0].document_id
            grant.paragraph_id = remaining[0].paragraph_id
        session.add(grant)
    session.flush()
    session.execute(delete(BudgetFigure).where(col(BudgetFigure.document_id) == doc_id))
    session.execute(delete(BoardRole).where(col(BoardRole.document_id) == doc_id))
    session.execute(
        delete(Meeting).where(col(Meeting.document_id) == doc_id, col(Meeting.status) == "planned")
    )
    session.execute(
        update(Meeting).where(col(Meeting.document_id) == doc_id).values(document_id=None, paragraph_id=None,
                                                                          part_id=None)
    )
    protocol = session.exec(select(Protocol).where(Protocol.document_id == doc_id)).first()
    if protocol is not None:
        session.execute(delete(Attendance).where(col(Attendance.protocol_id) == protocol.id))
        session.execute(delete(ProtocolOfficer).where(col(ProtocolOfficer.protocol_id) == protocol.id))
        session.execute(delete(Vacancy).where(col(Vacancy.protocol_id) == protocol.id))
    if paragraph_ids:
        session.execute(
            update(Meeting).where(col(Meeting.paragraph_id).in_(paragraph_ids)).values(paragraph_id=None)
        )
        session.execute(delete(Paragraph).where(col(Paragraph.id).in_(paragraph_ids)))
    session.flush()


def _load_protocol(session: Session, org_id: int, doc_id: int, version_hash: str, proto: ParsedProtocol,
                   previous: Protocol | None, people: People, meetings: Meetings,
                   result: IngestResult) -> dict[int, int]:
    """Writes the protocol, its paragraphs, attendance and officers; the ids of its paragraphs
    by number."""
    connection = session.connection()
    justerat = bool(proto.justering_date or proto.anslag_posted)
    values: Row = {
        "document_id": doc_id, "meeting_date": proto.meeting_date, "paragraph_range": proto.paragraph_range,
        "justering_deadline": proto.justering_deadline,
        "justering_date": proto.justering_date or (previous.justering_date if previous else None),
        "justering_method": proto.justering_method, "anslag_posted": proto.anslag_posted,
        "anslag_removed": proto.anslag_removed, "storage_place": proto.storage_place, "version_hash": version_hash,
    }
    if justerat:
        values["status"] = "justerat"
    if previous is not None:
        # A corrected version keeps its protocol row (and the justering rounds bound to it).
        for name, value in values.items():
            setattr(previous, name, value)
        session.add(previous)
        session.flush()
        assert previous.id is not None
        protocol_id = previous.id
    else:
        protocol_id = int(connection.execute(_PROTOCOL.insert().returning(_PROTOCOL.c.id), {
            "organisation_id": org_id, "anslag_post_by": None, "anslag_take_down_from": None,
            "status": "ojusterat", **values}).scalar_one())

    paragraph_ids: dict[int, int] = {}
    seen: set[tuple[int, str]] = set()
    rows: list[dict[str, object]] = []
    for p in proto.paragraphs:
        if (p.number, p.title) in seen:
            continue
        seen.add((p.number, p.title))
        rows.append({
            "document_id": doc_id, "organisation_id": org_id, "protocol_id": protocol_id, "number": p.number,
            "title": p.title, "body": p.body, "dnr": p.dnr, "proposal": p.proposal, "motions": p.motions,
            "decision": p.decision, "page": p.page, "also": p.also,
            "search_text": paragraph_search_text(org_id, p.title, p.body, p.decision, p.dnr),
        })
    if rows:
        # One executemany, then the ids read back in insertion order: an INSERT … RETURNING
        # that must keep the order runs row by row on SQLite.
        _insert_all(connection, _PARAGRAPH, rows)
        for pid, number in connection.execute(_PARAGRAPHS_OF, {"document_id": doc_id}):
            paragraph_ids.setdefault(int(number), int(pid))

    meeting = meetings.get(proto.meeting_date) or meetings.new(proto.meeting_date, proto.kind)
    # A held meeting's source is its own protocol, not the § of another that planned it.
    meetings.update(meeting, status="held", start_time=proto.start_time or meeting["start_time"],
                    end_time=proto.end_time or meeting["end_time"], place=proto.place or meeting["place"],
                    protocol_id=protocol_id, document_id=doc_id, paragraph_id=None, basis="protocol", part_id=None)

    seen_attendance: set[tuple[str, str]] = set()
    present: list[ParsedPerson] = []
    for a in proto.attendance:
        if not a.name or (a.name, a.role) in seen_attendance:
            continue
        seen_attendance.add((a.name, a.role))
        present.append(a)
    officers: list[tuple[str, str]] = []
    if proto.chair:
        officers.append((proto.chair, "ordförande"))
    if proto.secretary:
        officers.append((proto.secretary, "sekreterare"))
    officers += [(name, "justerare") for name in proto.justerare]
    # Everyone at once, attendance first, so new people get ids in the order they are met.
    person_ids = people.ids_of([a.name for a in present] + [name for name, _ in officers])
    attendance: list[dict[str, object]] = []
    roles: list[dict[str, object]] = []
    for a, person_id in zip(present, person_ids[: len(present)], strict=True):
        attendance.append({"protocol_id": protocol_id, "person_id": person_id, "role": a.role,
                           "member_body": a.member_body, "party": a.party, "present": a.present,
                           "voting": a.voting, "note": a.note, "title": a.title, "paragraphs": a.paragraphs})
        if a.role in ("ledamot", "ersättare"):
            roles.append({"person_id": person_id, "organisation_id": org_id, "role": a.role,
                          "member_body": a.member_body, "party": a.party, "valid_from": proto.meeting_date,
                          "valid_to": None, "document_id": doc_id, "paragraph_id": None})
    if attendance:
        _insert_all(connection, _table(Attendance), attendance)
    vacancies = [{"protocol_id": protocol_id, "role": role, "member_body": body}
                 for role, body in dict.fromkeys(proto.vacancies)]
    if vacancies:
        _insert_all(connection, _table(Vacancy), vacancies)
    if roles:
        _insert_all(connection, _table(BoardRole), roles)
    seen_officer: set[tuple[int, str]] = set()
    officer_rows: list[dict[str, object]] = []
    for (_, role), person_id in zip(officers, person_ids[len(present):], strict=True):
        if (person_id, role) in seen_officer:
            continue
        seen_officer.add((person_id, role))
        officer_rows.append({"protocol_id": protocol_id, "person_id": person_id, "role": role})
    if officer_rows:
        _insert_all(connection, _table(ProtocolOfficer), officer_rows)
    result.found.append(
        f"sammanträde {proto.meeting_date.isoformat()}: {len(paragraph_ids)} paragrafer, "
        f"{len(proto.attendance)} deltagare"
    )
    if proto.justerare:
        result.found.append("justerare: " + ", ".join(proto.justerare))
    if proto.justering_deadline:
        result.found.append(f"justering senast {proto.justering_deadline.isoformat()}")
    if proto.justering_date:
        result.found.append(f"justerat {proto.justering_date.isoformat()}")
    if proto.anslag_posted:
        removed = proto.anslag_removed.isoformat() if proto.anslag_removed else "?"
        result.found.append(f"anslag {proto.anslag_posted.isoformat()} – {removed}")
    return paragraph_ids


def _overlaps(a: Row, g: ParsedGrant) -> bool:
    if not (a["period_start"] and a["period_end"] and g.period_start and g.period_end):
        return True  # unknown: no evidence of another effort
    return bool(a["period_start"] <= g.period_end and g.period_start <= a["period_end"])


def _same_name(a: str, b: str) -> bool:
    """One key is the other, or the start of it ("jobbcenter 2.0" and "jobbcenter 2.0 – vägen …")."""
    return a == b or a.startswith(b + " ") or b.startswith(a + " ")


def _match_grant(candidates: list[Row], g: ParsedGrant, on_date: dt.date | None,
                 status_of: Callable[[Row], str], first_day: Callable[[Row], dt.date | None],
                 granted_on: Callable[[Row], dt.date | None]) -> tuple[Row | None, Row | None, Row | None]:
    """(the stored grant a paragraph is about, or None; the earlier grant a new one follows;
    the later grant a new one precedes).

    Same name, other Dnr or a period that does not overlap: another effort. A new application
    or grant under the name of one refused or whose final report is approved: another effort too. A final
    report or payout goes to the open grant of that name, else the latest. A refusal or final
    report dated before a stored grant's first decision (an older protocol read later) is an
    earlier effort of its own, which the stored one follows. An application, refusal or grant at
    a later meeting than an unconditional grant of that name is a new case (a grant on condition
    that is later granted outright stays one).
    """
    key = grant_key(g.name)
    if g.dnr:
        numbered = [c for c in candidates if c["dnr"] == g.dnr and _same_name(c["key"], key)]
        if numbered:
            return numbered[-1], None, None
    named = [c for c in candidates if c["key"] == key]
    # Where a new effort would stand among the others of that name, by the day of its §.
    before = [c for c in named if on_date is None or (first_day(c) or on_date) <= on_date]
    after = [c for c in named if c not in before]
    new_effort: tuple[None, Row | None, Row | None] = (None, before[-1] if before else None,
                                                       after[0] if after else None)
    same = [c for c in named if not (g.dnr and c["dnr"] and c["dnr"] != g.dnr) and _overlaps(c, g)]
    if g.status in grant_status.ENDED:
        same = [c for c in same if c not in after]
    if g.status in grant_status.CLOSED:
        # A final report or payout closes a grant that was granted, never a refused application.
        same = [c for c in same if status_of(c) != "refused"]
    if not same:
        return new_effort
    if g.status in grant_status.CLOSED:
        open_ones = [c for c in same if status_of(c) not in grant_status.CLOSED]
        return (open_ones[-1] if open_ones else same[-1]), None, None
    if status_of(same[-1]) in grant_status.ENDED and (g.status != status_of(same[-1]) or (
            on_date is not None and (first_day(same[-1]) or on_date) < on_date)):
        return new_effort
    decided = granted_on(same[-1])
    if decided is not None and on_date is not None and decided < on_date and g.status in (
            "applied", "refused", *grant_status.GRANTED):
        return new_effort
    return same[-1], None, None


def _load_grants(session: Session, org_id: int, doc_id: int,
                 grants: list[tuple[ParsedGrant, int | None]], on_date: dt.date | None) -> None:
    """Grants in paragraph order, each § an event of the grant it is about (see _match_grant).

    The grants and events the document may touch are read in two queries and written in a few
    statements, instead of a lookup, a flush and an existence check per grant.
    """
    connection = session.connection()
    keys = sorted({grant_key(g.name) for g, _ in grants})
    dnrs = sorted({g.dnr for g, _ in grants if g.dnr})
    known: list[Row] = [dict(row) for row in connection.execute(
        _GRANTS_NAMED_OR_NUMBERED if dnrs else _GRANTS_NAMED,
        {"organisation_id": org_id, "keys": keys, "dnrs": dnrs}).mappings()]
    by_id = {grant["id"]: grant for grant in known}
    # Per grant row (by id() of the dict): its events as (date, status), and (paragraph, status) seen.
    history: dict[int, list[tuple[dt.date | None, str]]] = {id(g): [] for g in known}
    events: set[tuple[int, int | None, str]] = set()
    if by_id:
        for grant_id, paragraph_id, status, day in connection.execute(
                _GRANT_EVENTS_OF, {"grant_ids": sorted(by_id)}):
            events.add((id(by_id[grant_id]), paragraph_id, status))
            history[id(by_id[grant_id])].append((day, status))

    def status_of(grant: Row) -> str:
        return grant_status.derive(history.get(id(grant), [])) or str(grant["status"])

    def first_day(grant: Row) -> dt.date | None:
        return min((d for d, _ in history.get(id(grant), []) if d is not None), default=None)

    def granted_on(grant: Row) -> dt.date | None:
        """The day of the grant's unconditional granting decision, if it has one."""
        return min((d for d, s in history.get(id(grant), []) if d is not None and s == "granted"), default=None)

    created: list[Row] = []
    touched: dict[int, Row] = {}  # stored grants this document adds to
    new_events: list[tuple[Row, Row]] = []
    for g, paragraph_id in grants:
        grant, previous, follower = _match_grant(known, g, on_date, status_of, first_day, granted_on)
        if grant is None:
            grant = {"organisation_id": org_id, "key": grant_key(g.name), "name": g.name, "full_name": None,
                     "dnr": None, "applicants": None, "max_amount": None, "period_start": None, "period_end": None,
                     "conditions": None, "reporting": None, "status": g.status, "document_id": doc_id,
                     "paragraph_id": paragraph_id, "previous_id": None, "_previous": previous,
                     "_follower": follower}
            known.append(grant)
            history[id(grant)] = []
            created.append(grant)
        elif "id" in grant:
            touched[grant["id"]] = grant
        # A later decision adds to the grant; it overwrites a value only with a value it states,
        # and the § that states the amount becomes the grant's source. A final report or payout
        # that recalls what was granted only fills in what the store lacks.
        grant["full_name"] = g.full_name or grant["full_name"]
        grant["dnr"] = g.dnr or grant["dnr"]
        if g.applicants:
            grant["applicants"] = ", ".join(g.applicants)
        recalls = g.status in grant_status.CLOSED
        if g.max_amount is not None and not (recalls and grant["max_amount"] is not None):
            grant["document_id"], grant["paragraph_id"] = doc_id, paragraph_id
            grant["max_amount"] = g.max_amount
            if g.period_start:
                grant["period_start"], grant["period_end"] = g.period_start, g.period_end
        elif g.period_start and grant["max_amount"] is None and not (recalls and grant["period_start"] is not None):
            # A period without an amount: this § is the one that states what the store knows.
            grant["document_id"], grant["paragraph_id"] = doc_id, paragraph_id
            grant["period_start"], grant["period_end"] = g.period_start, g.period_end
        if g.conditions:
            grant["conditions"] = "\n".join(g.conditions)
        grant["reporting"] = g.reporting or grant["reporting"]
        for status in [g.status, *g.extra_statuses]:
            history[id(grant)].append((on_date, status))
            if (id(grant), paragraph_id, status) in events:
                continue
            events.add((id(grant), paragraph_id, status))
            amount = g.payment_amount if status in ("payment_approved", "paid_out") else (
                None if status == "final_report_approved" else g.max_amount)
            new_events.append((grant, {"status": status, "date": on_date, "amount": amount,
                                       "document_id": doc_id, "paragraph_id": paragraph_id, "note": None}))
        grant["status"] = status_of(grant)
    followers: list[tuple[Row, Row]] = []
    for grant in created:
        # In the order met (ids follow it), each after the grant it follows.
        previous = grant.pop("_previous")
        follower = grant.pop("_follower")
        grant["previous_id"] = previous["id"] if previous is not None else None
        grant["id"] = int(connection.execute(_GRANT.insert().returning(_GRANT.c.id), grant).scalar_one())
        if follower is not None:
            followers.append((follower, grant))
    for follower, earlier in followers:
        # An older effort read after a later one: the later one now follows it.
        follower["previous_id"] = earlier["id"]
        if "id" in follower:
            touched[follower["id"]] = follower
    if touched:
        connection.execute(_UPDATE_GRANT, [
            {"grant_id": grant_id, **{k: v for k, v in grant.items() if k not in ("id", "_previous", "_follower")}}
            for grant_id, grant in touched.items()])
    if new_events:
        _insert_all(connection, _GRANT_EVENT, [{"grant_id": grant["id"], **values} for grant, values in new_events])


def load_parsed(session: Session, extracted: ExtractedText, parsed: ParsedDocument,
                organisation_hint: str | None = None, actor: str = "ingest") -> IngestResult:
    """Writes one parsed document into the store (inside the caller's transaction)."""
    # Autoflush before each lookup costs more than it saves here: the loader flushes itself
    # where a lookup needs what it wrote, and keeps what it creates in memory otherwise.
    with session.no_autoflush:
        return _load_parsed(session, extracted, parsed, organisation_hint, actor)


def _load_parsed(session: Session, extracted: ExtractedText, parsed: ParsedDocument,
                 organisation_hint: str | None, actor: str) -> IngestResult:
    file_name = extracted.file_name
    structured = parsed.is_board_document()
    if not structured and len(board_signs(extracted.text)) < (1 if organisation_hint else 2):
        # A board's document is never refused for want of a recognised structure, only a text
        # without the signs of one.
        return _reject(file_name, "Det här ser inte ut som en styrelsehandling: texten nämner varken §, "
                       "styrelse eller nämnd, sammanträde, beslut, protokoll eller kallelse.",
                       "This does not look like a board's document: the text names no §, board, meeting, "
                       "decision, minutes or notice.")
    found = _find_organisation(session, parsed.organisation, organisation_hint)
    if found is None:
        return _reject(file_name, "Kunde inte avgöra vilket förbund dokumentet gäller. Ange förbundet "
                       "(koppla kanalen eller använd --org).",
                       "Could not tell which förbund the document belongs to. Link the channel or use --org.")
    org_id, org_name = found
    connection = session.connection()
    kind = parsed.kind if parsed.kind != "unknown" else "dokument"
    result = IngestResult(file_name=file_name, status="added", organisation=org_name, kind=kind,
                          warnings=list(parsed.warnings))
    version_key = _version_key(parsed)
    known = connection.execute(_SAME_OR_EARLIER, {
        "organisation_id": org_id, "hash": extracted.content_hash, "version_key": version_key}).all()
    existing = next((doc_id for doc_id, content in known if content == extracted.content_hash), None)
    if existing is not None:
        result.status = "unchanged"
        result.document_id = int(existing)
        return result

    previous_doc: Document | None = None
    previous_protocol: Protocol | None = None
    if known:
        # The ORM only on this rare path: the justering hook works on the objects.
        previous_doc = session.get(Document, known[0][0])
    if previous_doc is not None:
        previous_protocol = session.exec(select(Protocol).where(Protocol.document_id == previous_doc.id)).first()
        _remove_document_facts(session, previous_doc)
        previous_doc.superseded_at = utcnow()
        session.add(previous_doc)
        result.status = "replaced"

    doc_id = int(connection.execute(_DOCUMENT.insert().returning(_DOCUMENT.c.id), {
        "organisation_id": org_id, "kind": kind, "title": parsed.title, "file_name": file_name,
        "content_hash": extracted.content_hash, "version_key": version_key, "text": extracted.text,
        "ingested_at": utcnow(), "superseded_at": None}).scalar_one())
    result.document_id = doc_id
    part_ids = _load_parts(connection, doc_id, parsed)
    if len(parsed.parts) > 1:
        result.found.append("delar: " + "; ".join(DocumentPart.cite(
            p.title, p.kind, *(p.attached_to or (None, None))) for p in parsed.parts))
    people = People(session, org_id)
    meetings = Meetings(session, org_id, [m.date for m in parsed.meetings]
                        + ([parsed.protocol.meeting_date] if parsed.protocol is not None else [])
                        + ([parsed.notice.meeting_date] if parsed.notice is not None else []))

    paragraph_ids: dict[int, int] = {}
    meeting_date: dt.date | None = None
    if parsed.protocol is not None:
        meeting_date = parsed.protocol.meeting_date
        result.meeting_date = meeting_date
        paragraph_ids = _load_protocol(session, org_id, doc_id, extracted.content_hash, parsed.protocol,
                                          previous_protocol, people, meetings, result)

    if parsed.notice is not None:
        result.meeting_date = parsed.notice.meeting_date
        _load_notice(connection, org_id, doc_id, parsed.notice, meetings)
        result.found.append(f"beslut i korthet från sammanträdet {parsed.notice.meeting_date.isoformat()}: "
                            + "; ".join(d.heading for d in parsed.notice.decisions))
    if not structured:
        # Nothing recognised: the pages themselves are what a search can find and cite.
        pages = _load_pages(connection, org_id, doc_id, extracted.text)
        result.found.append(f"inga § igenkända: texten är sökbar sida för sida ({pages} sidor)")
    if parsed.grants:
        _load_grants(session, org_id, doc_id, [
            (g, paragraph_ids.get(g.paragraph_number) if g.paragraph_number is not None else None)
            for g in parsed.grants], meeting_date)
        result.found.append("insatser: " + "; ".join(
            f"{g.name} ({_status_sv(g.status)}{', ' + _kr(g.max_amount) if g.max_amount else ''})"
            for g in parsed.grants))

    planned = 0
    # A kallelse sent in one file with a protocol or report is cited as that part of the file.
    kallelse_part = next((part_ids[k] for k, p in enumerate(parsed.parts) if p.kind == "kallelse"
                          and k < len(part_ids)), None)
    for m in parsed.meetings:
        row = meetings.get(m.date)
        pid = paragraph_ids.get(m.paragraph_number) if m.paragraph_number is not None else None
        if row is None:
            row = meetings.new(m.date, m.kind)
        elif row["status"] == "held":
            continue
        if _cites_anew(row, m.basis):
            # A later plan or kallelse replaces the earlier one (which stays in its document);
            # what it replaced, and from where, goes to the audit log.
            before = {k: row[k] for k in _MEETING_TRACE} if "id" in row else None
            meetings.update(row, start_time=m.start_time or row["start_time"], end_time=m.end_time or row["end_time"],
                            place=m.place or row["place"], kind=m.kind or row["kind"],
                            agenda=m.agenda or row["agenda"], document_id=doc_id, paragraph_id=pid, basis=m.basis,
                            changed_by=None, changed_at=None,
                            part_id=kallelse_part if m.basis == "kallelse" else None)
            if before is not None and before != {k: row[k] for k in _MEETING_TRACE}:
                _audit(session, org_id, actor, "meeting.replanned", f"meeting:{row['id']}",
                       {"before": before, "after": {k: row[k] for k in _MEETING_TRACE}})
        else:
            # A passing mention does not take over from a plan, a kallelse or a change in chat.
            meetings.update(row, start_time=row["start_time"] or m.start_time, end_time=row["end_time"] or m.end_time,
                            place=row["place"] or m.place, agenda=row["agenda"] or m.agenda)
        planned += 1
    meetings.write()
    recorded = protocol_records.store(session, org_id, doc_id, meeting_date, parsed.records, paragraph_ids)
    if recorded or meeting_date is not None:
        session.flush()
        for day in sorted(recorded | ({meeting_date} if meeting_date else set())):
            protocol_records.apply(session, org_id, day, actor)
    if parsed.records:
        result.found.append("tidigare protokoll: " + "; ".join(
            f"{r.meeting_date.isoformat()} {_RECORD_SV.get(r.field, r.field)} {r.value.isoformat()}"
            for r in parsed.records))
    if planned:
        result.found.append(f"planerade möten: {planned} (" + ", ".join(
            m.date.isoformat() for m in parsed.meetings) + ")")

    seen_figures: set[tuple[int, str, str, dt.date | None]] = set()
    figures: list[dict[str, object]] = []
    for f in parsed.budget:
        unique = (f.year, f.kind, f.line, f.as_of)
        if unique in seen_figures:
            continue
        seen_figures.add(unique)
        pid = paragraph_ids.get(f.paragraph_number) if f.paragraph_number is not None else None
        # What remains of a post is told at a meeting: as of that day when the text gives none.
        as_of = f.as_of or (meeting_date if f.kind == "kvar" else None)
        figures.append({"organisation_id": org_id, "year": f.year, "kind": f.kind, "section": f.section,
                        "line": f.line, "row_type": f.row_type, "amount": f.amount, "unit": f.unit,
                        "as_of": as_of, "document_id": doc_id, "paragraph_id": pid, "page": f.page,
                        "part_id": part_ids[f.part_index] if f.part_index is not None
                        and f.part_index < len(part_ids) else None})
    if figures:
        _insert_all(connection, _table(BudgetFigure), figures)
    if seen_figures:
        years = sorted({y for y, *_ in seen_figures})
        result.found.append(f"budgetrader: {len(seen_figures)} (år {', '.join(map(str, years))})")

    missing = [what for what, present in (("protokoll", parsed.protocol is not None), ("insatser", parsed.grants),
                                          ("planerade möten", planned), ("budget", seen_figures)) if not present]
    if missing:
        result.found.append("hittades inte: " + ", ".join(missing))
    result.counts = {"paragraphs": len(paragraph_ids), "grants": len(parsed.grants),
                     "meetings": planned, "budget": len(seen_figures)}
    session.flush()  # a replaced version's rows, changed through the ORM
    _audit(session, org_id, actor, "document.replaced" if previous_doc else "document.added",
           f"document:{doc_id}", {"file": file_name, "kind": parsed.kind, "hash": extracted.content_hash,
                                  "replaces": previous_doc.id if previous_doc else None, **result.counts})
    if previous_protocol is not None and parsed.protocol is not None:
        _notify_new_version(session, previous_protocol, previous_doc)
    return result


def _load_notice(connection: Connection, org_id: int, doc_id: int, notice: ParsedNotice, meetings: Meetings) -> None:
    """Each decision of a news item as a row cited by its heading (number 0: no §), and the
    meeting it tells of as held, unless its protocol already stands for it."""
    rows = [{"document_id": doc_id, "organisation_id": org_id, "protocol_id": None, "number": 0,
             "title": d.heading, "body": d.text, "dnr": None, "proposal": None, "motions": None,
             "decision": d.text, "page": d.page, "also": None,
             "search_text": paragraph_search_text(org_id, d.heading, d.text)} for d in notice.decisions]
    if rows:
        _insert_all(connection, _PARAGRAPH, rows)
    meeting = meetings.get(notice.meeting_date) or meetings.new(notice.meeting_date, "styrelsemöte")
    if meeting["basis"] != "protocol":
        meetings.update(meeting, status="held", document_id=doc_id, paragraph_id=None, basis="notice", part_id=None)


def _load_parts(connection: Connection, doc_id: int, parsed: ParsedDocument) -> list[int]:
    """The file's parts (cover letter, protocol, attached plan or report), in order: their ids."""
    ids: list[int] = []
    for number, part in enumerate(parsed.parts, start=1):
        ids.append(int(connection.execute(_PART.insert().returning(_PART.c.id), {
            "document_id": doc_id, "number": number, "kind": part.kind, "title": part.title,
            "start_offset": part.start_offset, "end_offset": part.end_offset, "page": part.page,
            "attached_to_kind": part.attached_to[0] if part.attached_to else None,
            "attached_to_date": part.attached_to[1] if part.attached_to else None}).scalar_one()))
    return ids


def _load_pages(connection: Connection, org_id: int, doc_id: int, text: str) -> int:
    """Each page of a document without recognised § as a searchable row (number 0, "Sida n")."""
    rows: list[dict[str, object]] = []
    pages = text.split(f"\n{PAGE_BREAK}\n")
    for number, page in enumerate(pages, start=1):
        body = page.strip()
        if not body:
            continue
        title = f"Sida {number}"
        rows.append({"document_id": doc_id, "organisation_id": org_id, "protocol_id": None, "number": 0,
                     "title": title, "body": body, "dnr": None, "proposal": None, "motions": None,
                     "decision": None, "page": number, "also": None,
                     "search_text": paragraph_search_text(org_id, body)})
    if rows:
        _insert_all(connection, _PARAGRAPH, rows)
    return len(pages)


def _notify_new_version(session: Session, protocol: Protocol, previous_doc: Document | None) -> None:
    """A corrected protocol restarts any justering round bound to the older text."""
    try:
        from storage import justering
    except ImportError:
        return
    hook = getattr(justering, "on_new_version", None)
    if hook is not None:
        hook(session, protocol, previous_doc)


# What a newer plan may change of a meeting, kept in the audit log when it does.
_MEETING_TRACE = ("start_time", "end_time", "place", "kind", "document_id", "paragraph_id", "basis", "changed_by")
_RECORD_SV = {"justering_date": "justerat", "anslag_posted": "anslaget uppsatt", "anslag_removed": "anslaget nedtaget"}
_BASIS_RANK = {"mention": 0, "kallelse": 1, "plan": 1}


def _cites_anew(row: Row, basis: str) -> bool:
    """Whether a document naming a stored meeting becomes its source: the newest plan, kallelse
    or change wins; a passing mention only stands in until one is found."""
    if "id" not in row:
        return True  # made by this document
    if row.get("changed_at") is not None:
        return basis != "mention"
    return _BASIS_RANK.get(basis, 0) >= _BASIS_RANK.get(row.get("basis") or "mention", 0)


def _status_sv(status: str) -> str:
    return grant_status.label(status)


def _kr(amount: int) -> str:
    return f"{amount:,} kr".replace(",", " ")


def _parse(extracted: ExtractedText) -> ParsedDocument | IngestResult:
    """The parsed document, or the refusal when the parser fails."""
    try:
        return parse_document(extracted.text, extracted.file_name)
    except Exception:  # the parser promises not to raise; if it does, the file is refused, not the batch
        log.exception("parser failed on %s", extracted.file_name)
        return _reject(extracted.file_name, "Dokumentet kunde inte tolkas.", "The document could not be read.")


def ingest_extracted(session: Session, extracted: ExtractedText, organisation_hint: str | None = None,
                     actor: str = "ingest") -> IngestResult:
    parsed = _parse(extracted)
    if isinstance(parsed, IngestResult):
        return parsed
    return load_parsed(session, extracted, parsed, organisation_hint, actor)


def ingest_bytes(session: Session, data: bytes, file_name: str, organisation_hint: str | None = None,
                 actor: str = "ingest") -> IngestResult:
    """Extracts, parses and loads an uploaded file in the caller's transaction.

    The caller commits when the result is ok and rolls back otherwise (a refusal writes
    nothing, an exception leaves the transaction to be rolled back). No savepoint: pysqlite
    opens no transaction for one, so its RELEASE would commit for good.
    """
    try:
        extracted = extract_text_from_bytes(data, file_name, get_settings().max_document_bytes)
    except ExtractError as exc:
        return _reject(file_name, exc.message_sv, exc.message_en)
    return ingest_extracted(session, extracted, organisation_hint, actor)


Read = tuple[ExtractedText, ParsedDocument] | IngestResult


def read_bytes(data: bytes, file_name: str, max_bytes: int) -> Read:
    """An uploaded file's text and what the parser finds in it, or its refusal: everything of an
    ingest that needs no database (storage.ingest.sandbox runs it in a limited child process)."""
    try:
        extracted = extract_text_from_bytes(data, file_name, max_bytes)
    except ExtractError as exc:
        return _reject(file_name, exc.message_sv, exc.message_en)
    parsed = _parse(extracted)
    return parsed if isinstance(parsed, IngestResult) else (extracted, parsed)


def _read(path: Path, max_bytes: int) -> Read:
    """A file's text and what the parser finds in it, or its refusal: everything of an ingest
    that needs no database."""
    try:
        extracted = extract_text(path, max_bytes)
    except ExtractError as exc:
        return _reject(path.name, exc.message_sv, exc.message_en)
    parsed = _parse(extracted)
    return parsed if isinstance(parsed, IngestResult) else (extracted, parsed)


def _read_all(paths: list[Path], max_bytes: int) -> list[Read]:
    return [_read(path, max_bytes) for path in paths]


def _store(engine: Engine, read: Read, organisation_hint: str | None) -> IngestResult:
    """One file, one transaction: a failure leaves nothing half-written."""
    if isinstance(read, IngestResult):
        return read
    extracted, parsed = read
    with session_scope(engine) as session:
        result = load_parsed(session, extracted, parsed, organisation_hint)
        if not result.ok:
            session.rollback()
        return result


def ingest_path(engine: Engine, path: Path, organisation_hint: str | None = None) -> IngestResult:
    """One file, one transaction: a failure leaves nothing half-written."""
    return _store(engine, _read(path, get_settings().max_document_bytes), organisation_hint)


def ingest_paths(engine: Engine, paths: Sequence[Path], organisation_hint: str | None = None,
                 workers: int = 0) -> Iterator[IngestResult]:
    """ingest_path for each file, the results in the order given.

    With workers, that many other processes read and parse the files ahead of this one, which
    stores them as they come: each document is still one transaction, written in the order
    given. Reading and parsing (a PDF's text above all) is most of an ingest and needs no
    database; SQLite takes one writer at a time anyway.
    """
    max_bytes = get_settings().max_document_bytes
    if workers <= 0:
        for path in paths:
            yield _store(engine, _read(path, max_bytes), organisation_hint)
        return
    batches = [list(paths[k : k + _BATCH]) for k in range(0, len(paths), _BATCH)]
    # "spawn": a forked child would inherit the parent's open database connections.
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        # A few batches ahead, no more: parsed documents wait in memory only until stored.
        queued = iter(batches)
        ahead: deque[Future[list[Read]]] = deque(
            pool.submit(_read_all, batch, max_bytes) for batch in islice(queued, 2 * workers + 1))
        while ahead:
            done = ahead.popleft().result()
            for batch in islice(queued, 1):
                ahead.append(pool.submit(_read_all, batch, max_bytes))
            for read in done:
                yield _store(engine, read, organisation_hint)


_BATCH = 8  # files per task: fewer round trips between the processes
