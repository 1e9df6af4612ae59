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
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Table, delete, insert, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

from storage.db import session_scope
from storage.ingest.extract import ExtractedText, ExtractError, extract_text, extract_text_from_bytes
from storage.ingest.parse import parse_document
from storage.ingest.parsed import ParsedDocument, ParsedGrant, ParsedProtocol
from storage.ingest.text_utils import organisation_key
from storage.models import (
    Attendance,
    AuditLog,
    BoardRole,
    BudgetFigure,
    Document,
    Grant,
    GrantEvent,
    Meeting,
    Organisation,
    Paragraph,
    Person,
    Protocol,
    ProtocolOfficer,
)
from storage.search import paragraph_search_text
from storage.settings import get_settings
from storage.types import utcnow

log = logging.getLogger(__name__)

STATUS_ORDER = ["applied", "granted_on_condition", "granted", "refused", "final_report_approved", "paid_out"]


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


def _audit(session: Session, organisation_id: int | None, actor: str, action: str, subject: str,
           detail: dict[str, object]) -> None:
    session.add(AuditLog(organisation_id=organisation_id, actor=actor, action=action, subject=subject,
                         detail=json.dumps(detail, ensure_ascii=False, default=str)))


def resolve_organisation(session: Session, parsed_name: str | None, hint: str | None) -> Organisation | None:
    """The förbund a document belongs to: by its name in the text, else by the hint."""
    organisations = session.exec(select(Organisation)).all()
    if parsed_name:
        key = organisation_key(parsed_name)
        for org in organisations:
            if organisation_key(org.name) == key:
                return org
        org = Organisation(name=parsed_name)
        session.add(org)
        session.flush()
        return org
    if hint:
        matches = [o for o in organisations if hint.lower() in o.name.lower()]
        if len(matches) == 1:
            return matches[0]
    return None


def _version_key(parsed: ParsedDocument) -> str | None:
    if parsed.protocol is not None:
        return f"protokoll:{parsed.protocol.meeting_date.isoformat()}"
    return None


def _table(model: type[SQLModel]) -> Table:
    """The Core table of a model: executemany through it skips the ORM's per-row bookkeeping."""
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table


class People:
    """Person ids of one organisation by name: read once, new people inserted as met."""

    def __init__(self, session: Session, organisation_id: int) -> None:
        self.session = session
        self.organisation_id = organisation_id
        rows = session.exec(select(Person.name, Person.id).where(Person.organisation_id == organisation_id)).all()
        self.ids: dict[str, int] = {name: pid for name, pid in rows if pid is not None}

    def id(self, name: str) -> int:
        name = re.sub(r"\s+", " ", name).strip()
        if name not in self.ids:
            new_id = self.session.execute(
                insert(Person).values(organisation_id=self.organisation_id, name=name, is_admin=False)
                .returning(col(Person.id))).scalar_one()
            self.ids[name] = int(new_id)
        return self.ids[name]


def _remove_document_facts(session: Session, document: Document) -> None:
    """Deletes what an older version of a document put in the store (not the document itself)."""
    doc_id = document.id
    paragraph_ids = list(session.exec(select(Paragraph.id).where(Paragraph.document_id == doc_id)).all())
    session.execute(delete(GrantEvent).where(col(GrantEvent.document_id) == doc_id))
    for grant in session.exec(select(Grant).where(Grant.document_id == doc_id)).all():
        remaining = session.exec(
            select(GrantEvent).where(GrantEvent.grant_id == grant.id).order_by(col(GrantEvent.date))
        ).first()
        if remaining is None:
            session.delete(grant)
        else:
            grant.document_id = remaining.document_id
            grant.paragraph_id = remaining.paragraph_id
    session.flush()
    session.execute(delete(BudgetFigure).where(col(BudgetFigure.document_id) == doc_id))
    session.execute(delete(BoardRole).where(col(BoardRole.document_id) == doc_id))
    session.execute(
        delete(Meeting).where(col(Meeting.document_id) == doc_id, col(Meeting.status) == "planned")
    )
    session.execute(
        update(Meeting).where(col(Meeting.document_id) == doc_id).values(document_id=None, paragraph_id=None)
    )
    protocol = session.exec(select(Protocol).where(Protocol.document_id == doc_id)).first()
    if protocol is not None:
        session.execute(delete(Attendance).where(col(Attendance.protocol_id) == protocol.id))
        session.execute(delete(ProtocolOfficer).where(col(ProtocolOfficer.protocol_id) == protocol.id))
    if paragraph_ids:
        session.execute(
            update(Meeting).where(col(Meeting.paragraph_id).in_(paragraph_ids)).values(paragraph_id=None)
        )
        session.execute(delete(Paragraph).where(col(Paragraph.id).in_(paragraph_ids)))
    session.flush()


def _load_protocol(session: Session, org: Organisation, doc: Document, proto: ParsedProtocol,
                   previous: Protocol | None, people: People,
                   result: IngestResult) -> tuple[Protocol, dict[int, int]]:
    assert org.id is not None and doc.id is not None
    justerat = bool(proto.justering_date or proto.anslag_posted)
    protocol = previous or Protocol(
        document_id=doc.id, organisation_id=org.id, meeting_date=proto.meeting_date, version_hash=doc.content_hash
    )
    protocol.document_id = doc.id
    protocol.meeting_date = proto.meeting_date
    protocol.paragraph_range = proto.paragraph_range
    protocol.justering_deadline = proto.justering_deadline
    protocol.justering_date = proto.justering_date or (previous.justering_date if previous else None)
    protocol.justering_method = proto.justering_method
    protocol.anslag_posted = proto.anslag_posted
    protocol.anslag_removed = proto.anslag_removed
    protocol.storage_place = proto.storage_place
    protocol.version_hash = doc.content_hash
    if justerat:
        protocol.status = "justerat"
    session.add(protocol)
    session.flush()
    assert protocol.id is not None

    paragraph_ids: dict[int, int] = {}
    seen: set[tuple[int, str]] = set()
    rows: list[dict[str, object]] = []
    for p in proto.paragraphs:
        if (p.number, p.title) in seen:
            continue
        seen.add((p.number, p.title))
        rows.append({
            "document_id": doc.id, "organisation_id": org.id, "protocol_id": protocol.id, "number": p.number,
            "title": p.title, "body": p.body, "dnr": p.dnr, "proposal": p.proposal, "motions": p.motions,
            "decision": p.decision,
            "search_text": paragraph_search_text(org.id, p.title, p.body, p.decision, p.dnr),
        })
    if rows:
        # One multi-row INSERT … RETURNING, in the order given, instead of a flush per §.
        inserted = session.execute(
            insert(Paragraph).returning(col(Paragraph.id), col(Paragraph.number), sort_by_parameter_order=True), rows)
        for pid, number in inserted.all():
            paragraph_ids.setdefault(int(number), int(pid))

    meeting = session.exec(
        select(Meeting).where(Meeting.organisation_id == org.id, Meeting.date == proto.meeting_date)
    ).first()
    if meeting is None:
        meeting = Meeting(organisation_id=org.id, date=proto.meeting_date, kind=proto.kind)
    meeting.status = "held"
    meeting.start_time = proto.start_time or meeting.start_time
    meeting.end_time = proto.end_time or meeting.end_time
    meeting.place = proto.place or meeting.place
    meeting.protocol_id = protocol.id
    meeting.document_id = doc.id
    session.add(meeting)

    seen_attendance: set[tuple[str, str]] = set()
    attendance: list[dict[str, object]] = []
    roles: list[dict[str, object]] = []
    for a in proto.attendance:
        if not a.name or (a.name, a.role) in seen_attendance:
            continue
        seen_attendance.add((a.name, a.role))
        person_id = people.id(a.name)
        attendance.append({"protocol_id": protocol.id, "person_id": person_id, "role": a.role,
                           "member_body": a.member_body, "party": a.party, "present": a.present,
                           "voting": a.voting, "note": a.note or a.title})
        if a.role in ("ledamot", "ersättare"):
            roles.append({"person_id": person_id, "organisation_id": org.id, "role": a.role,
                          "member_body": a.member_body, "party": a.party, "valid_from": proto.meeting_date,
                          "valid_to": None, "document_id": doc.id, "paragraph_id": None})
    if attendance:
        session.connection().execute(_table(Attendance).insert(), attendance)
    if roles:
        session.connection().execute(_table(BoardRole).insert(), roles)
    officers: list[tuple[str, str]] = []
    if proto.chair:
        officers.append((proto.chair, "ordförande"))
    if proto.secretary:
        officers.append((proto.secretary, "sekreterare"))
    officers += [(name, "justerare") for name in proto.justerare]
    seen_officer: set[tuple[int, str]] = set()
    officer_rows: list[dict[str, object]] = []
    for name, role in officers:
        person_id = people.id(name)
        if (person_id, role) in seen_officer:
            continue
        seen_officer.add((person_id, role))
        officer_rows.append({"protocol_id": protocol.id, "person_id": person_id, "role": role})
    if officer_rows:
        session.connection().execute(_table(ProtocolOfficer).insert(), officer_rows)
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
    return protocol, paragraph_ids


def _load_grant(session: Session, org: Organisation, doc: Document, g: ParsedGrant,
                paragraph_id: int | None, on_date: dt.date | None) -> None:
    assert org.id is not None and doc.id is not None
    key = grant_key(g.name)
    grant = session.exec(select(Grant).where(Grant.organisation_id == org.id, Grant.key == key)).first()
    if grant is None and g.dnr:
        grant = session.exec(select(Grant).where(Grant.organisation_id == org.id, Grant.dnr == g.dnr)).first()
    if grant is None:
        grant = Grant(organisation_id=org.id, key=key, name=g.name, document_id=doc.id,
                      paragraph_id=paragraph_id, status=g.status)
    # A later paragraph adds to the grant; it overwrites a value only with a value it states.
    grant.full_name = g.full_name or grant.full_name
    grant.dnr = g.dnr or grant.dnr
    if g.applicants:
        grant.applicants = ", ".join(g.applicants)
    if g.max_amount is not None:
        grant.max_amount = g.max_amount
    if g.period_start:
        grant.period_start = g.period_start
    if g.period_end:
        grant.period_end = g.period_end
    if g.conditions:
        grant.conditions = "\n".join(g.conditions)
    grant.reporting = g.reporting or grant.reporting
    statuses = [g.status, *g.extra_statuses]
    grant.status = max(statuses, key=lambda s: STATUS_ORDER.index(s) if s in STATUS_ORDER else 0)
    session.add(grant)
    session.flush()
    assert grant.id is not None
    for status in statuses:
        exists = session.exec(select(GrantEvent).where(
            GrantEvent.grant_id == grant.id, GrantEvent.paragraph_id == paragraph_id, GrantEvent.status == status
        )).first()
        if exists is None:
            session.add(GrantEvent(grant_id=grant.id, status=status, date=on_date,
                                   amount=g.max_amount if status.startswith("granted") else None,
                                   document_id=doc.id, paragraph_id=paragraph_id))


def load_parsed(session: Session, extracted: ExtractedText, parsed: ParsedDocument,
                organisation_hint: str | None = None, actor: str = "ingest") -> IngestResult:
    """Writes one parsed document into the store (inside the caller's transaction)."""
    file_name = extracted.file_name
    if not parsed.is_board_document():
        return _reject(file_name, "Det här ser inte ut som en styrelsehandling (inget protokoll, ingen "
                       "kallelse, plan eller budget hittades).",
                       "This does not look like a board document (no protocol, notice, plan or budget found).")
    org = resolve_organisation(session, parsed.organisation, organisation_hint)
    if org is None or org.id is None:
        return _reject(file_name, "Kunde inte avgöra vilket förbund dokumentet gäller. Ange förbundet "
                       "(koppla kanalen eller använd --org).",
                       "Could not tell which förbund the document belongs to. Link the channel or use --org.")
    result = IngestResult(file_name=file_name, status="added", organisation=org.name, kind=parsed.kind,
                          warnings=list(parsed.warnings))
    existing = session.exec(select(Document).where(
        Document.organisation_id == org.id, Document.content_hash == extracted.content_hash)).first()
    if existing is not None:
        result.status = "unchanged"
        result.document_id = existing.id
        return result

    version_key = _version_key(parsed)
    previous_doc: Document | None = None
    previous_protocol: Protocol | None = None
    if version_key:
        previous_doc = session.exec(select(Document).where(
            Document.organisation_id == org.id, Document.version_key == version_key,
            col(Document.superseded_at).is_(None))).first()
    if previous_doc is not None:
        previous_protocol = session.exec(select(Protocol).where(Protocol.document_id == previous_doc.id)).first()
        _remove_document_facts(session, previous_doc)
        previous_doc.superseded_at = utcnow()
        session.add(previous_doc)
        result.status = "replaced"

    doc = Document(organisation_id=org.id, kind=parsed.kind, title=parsed.title, file_name=file_name,
                   content_hash=extracted.content_hash, version_key=version_key, text=extracted.text)
    session.add(doc)
    session.flush()
    assert doc.id is not None
    result.document_id = doc.id
    people = People(session, org.id)

    paragraph_ids: dict[int, int] = {}
    meeting_date: dt.date | None = None
    protocol: Protocol | None = None
    if parsed.protocol is not None:
        meeting_date = parsed.protocol.meeting_date
        result.meeting_date = meeting_date
        protocol, paragraph_ids = _load_protocol(session, org, doc, parsed.protocol, previous_protocol,
                                                 people, result)

    for g in parsed.grants:
        pid = paragraph_ids.get(g.paragraph_number) if g.paragraph_number is not None else None
        _load_grant(session, org, doc, g, pid, meeting_date)
    if parsed.grants:
        result.found.append("insatser: " + "; ".join(
            f"{g.name} ({_status_sv(g.status)}{', ' + _kr(g.max_amount) if g.max_amount else ''})"
            for g in parsed.grants))

    planned = 0
    for m in parsed.meetings:
        row = session.exec(select(Meeting).where(Meeting.organisation_id == org.id, Meeting.date == m.date)).first()
        pid = paragraph_ids.get(m.paragraph_number) if m.paragraph_number is not None else None
        if row is None:
            row = Meeting(organisation_id=org.id, date=m.date, kind=m.kind, status="planned")
        elif row.status == "held":
            continue
        row.start_time = m.start_time or row.start_time
        row.end_time = m.end_time or row.end_time
        row.place = m.place or row.place
        row.kind = m.kind or row.kind
        row.agenda = m.agenda or row.agenda
        row.document_id = doc.id
        row.paragraph_id = pid if pid is not None else row.paragraph_id
        session.add(row)
        planned += 1
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
        figures.append({"organisation_id": org.id, "year": f.year, "kind": f.kind, "section": f.section,
                        "line": f.line, "amount": f.amount, "unit": f.unit, "as_of": f.as_of,
                        "document_id": doc.id, "paragraph_id": pid})
    if figures:
        session.connection().execute(_table(BudgetFigure).insert(), figures)
    if seen_figures:
        years = sorted({y for y, *_ in seen_figures})
        result.found.append(f"budgetrader: {len(seen_figures)} (år {', '.join(map(str, years))})")

    result.counts = {"paragraphs": len(paragraph_ids), "grants": len(parsed.grants),
                     "meetings": planned, "budget": len(seen_figures)}
    session.flush()
    _audit(session, org.id, actor, "document.replaced" if previous_doc else "document.added",
           f"document:{doc.id}", {"file": file_name, "kind": parsed.kind, "hash": doc.content_hash,
                                  "replaces": previous_doc.id if previous_doc else None, **result.counts})
    if previous_protocol is not None and protocol is not None:
        _notify_new_version(session, protocol, previous_doc)
    return result


def _notify_new_version(session: Session, protocol: Protocol, previous_doc: Document | None) -> None:
    """A corrected protocol restarts any justering round bound to the older text."""
    try:
        from storage import justering
    except ImportError:
        return
    hook = getattr(justering, "on_new_version", None)
    if hook is not None:
        hook(session, protocol, previous_doc)


def _status_sv(status: str) -> str:
    return {"applied": "ansökan", "granted": "beviljad", "granted_on_condition": "beviljad med villkor",
            "refused": "avslag", "final_report_approved": "slutrapport godkänd",
            "paid_out": "utbetald"}.get(status, status)


def _kr(amount: int) -> str:
    return f"{amount:,} kr".replace(",", " ")


def ingest_extracted(session: Session, extracted: ExtractedText, organisation_hint: str | None = None,
                     actor: str = "ingest") -> IngestResult:
    try:
        parsed = parse_document(extracted.text, extracted.file_name)
    except Exception:  # the parser promises not to raise; if it does, the file is refused, not the batch
        log.exception("parser failed on %s", extracted.file_name)
        return _reject(extracted.file_name, "Dokumentet kunde inte tolkas.", "The document could not be read.")
    # Autoflush before each lookup costs more than it saves here: the loader flushes itself.
    with session.no_autoflush:
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


def ingest_path(engine: Engine, path: Path, organisation_hint: str | None = None) -> IngestResult:
    """One file, one transaction: a failure leaves nothing half-written."""
    try:
        extracted = extract_text(path, get_settings().max_document_bytes)
    except ExtractError as exc:
        return _reject(path.name, exc.message_sv, exc.message_en)
    with session_scope(engine) as session:
        result = ingest_extracted(session, extracted, organisation_hint)
        if not result.ok:
            session.rollback()
        return result
