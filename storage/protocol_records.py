"""Later documents update earlier protocols: a record of a justering or anslag becomes the
protocol's current fact, cited to the § that records it, with the earlier value kept.

Records are keyed by the earlier meeting's date, so they hold whichever document is read
first; `apply` runs after either is stored. The newest record of a field (by the date of the
meeting that recorded it) is current, older ones are marked superseded and stay; every change
to a protocol row is written to the audit log with its before and after.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlmodel import Session, col, select

from storage.ingest.parsed import ParsedProtocolRecord
from storage.models import AuditLog, Document, JusteringRound, Protocol, ProtocolRecord
from storage.types import utcnow

FIELDS = ("justering_date", "anslag_posted", "anslag_removed")


def store(session: Session, organisation_id: int, document_id: int, recorded_on: dt.date | None,
          records: list[ParsedProtocolRecord], paragraph_ids: dict[int, int]) -> set[dt.date]:
    """Writes a document's records; the meeting dates they are about."""
    for r in records:
        session.add(ProtocolRecord(
            organisation_id=organisation_id, meeting_date=r.meeting_date, field=r.field, value=r.value,
            recorded_on=recorded_on, document_id=document_id,
            paragraph_id=paragraph_ids.get(r.paragraph_number) if r.paragraph_number is not None else None))
    if records:
        session.flush()
    return {r.meeting_date for r in records}


def current_protocol(session: Session, organisation_id: int, meeting_date: dt.date) -> Protocol | None:
    return session.exec(
        select(Protocol).join(Document, col(Document.id) == Protocol.document_id)
        .where(Protocol.organisation_id == organisation_id, Protocol.meeting_date == meeting_date,
               col(Document.superseded_at).is_(None))).first()


def current_records(session: Session, organisation_id: int, meeting_date: dt.date) -> dict[str, ProtocolRecord]:
    rows = session.exec(select(ProtocolRecord).where(
        ProtocolRecord.organisation_id == organisation_id, ProtocolRecord.meeting_date == meeting_date,
        col(ProtocolRecord.superseded_at).is_(None))).all()
    return {r.field: r for r in rows}


def apply(session: Session, organisation_id: int, meeting_date: dt.date, actor: str = "ingest") -> None:
    """Makes the newest record of each field current, and the protocol (if stored) follow it."""
    rows = list(session.exec(select(ProtocolRecord).where(
        ProtocolRecord.organisation_id == organisation_id, ProtocolRecord.meeting_date == meeting_date)
        .order_by(col(ProtocolRecord.recorded_on), col(ProtocolRecord.id))).all())
    if not rows:
        return
    newest: dict[str, ProtocolRecord] = {}
    for r in rows:
        newest[r.field] = r
    now = utcnow()
    for r in rows:
        superseded = newest[r.field] is not r
        if superseded and r.superseded_at is None:
            r.superseded_at = now
            session.add(r)
        elif not superseded and r.superseded_at is not None:
            r.superseded_at = None
            session.add(r)
    protocol = current_protocol(session, organisation_id, meeting_date)
    if protocol is None:
        session.flush()
        return
    changes: dict[str, list[str | None]] = {}
    for field, record in newest.items():
        before = getattr(protocol, field)
        if before != record.value:
            changes[field] = [before.isoformat() if before else None, record.value.isoformat()]
            setattr(protocol, field, record.value)
    if protocol.justering_date or protocol.anslag_posted:
        protocol.status = "justerat"
    session.add(protocol)
    if changes:
        sources = {f: {"document_id": newest[f].document_id, "paragraph_id": newest[f].paragraph_id}
                   for f in changes}
        session.add(AuditLog(organisation_id=organisation_id, actor=actor, action="protocol.recorded",
                             subject=f"protocol:{protocol.id}",
                             detail=json.dumps({"changes": changes, "sources": sources}, ensure_ascii=False)))
    if protocol.status == "justerat":
        # Justerat outside the bot: a round still open would only remind people to sign.
        for rnd in session.exec(select(JusteringRound).where(
                JusteringRound.protocol_id == protocol.id, col(JusteringRound.status).in_(("open", "paused")))):
            rnd.status = "superseded"
            session.add(rnd)
            session.add(AuditLog(organisation_id=organisation_id, actor=actor, action="justering.superseded",
                                 subject=f"justering_round:{rnd.id}",
                                 detail="the protocol is recorded as justerat in a later document"))
    session.flush()


def fact_source(session: Session, protocol: Protocol, field: str) -> ProtocolRecord | None:
    """The record the protocol's current value of `field` comes from, if a later document's."""
    value = getattr(protocol, field)
    if value is None:
        return None
    record = current_records(session, protocol.organisation_id, protocol.meeting_date).get(field)
    if record is None or record.value != value or record.document_id == protocol.document_id:
        return None
    return record


def remove_document(session: Session, document_id: int) -> set[tuple[int, dt.date]]:
    """Deletes a replaced document's records; the (organisation, meeting date) pairs to re-apply."""
    rows = session.exec(select(ProtocolRecord).where(ProtocolRecord.document_id == document_id)).all()
    touched = {(r.organisation_id, r.meeting_date) for r in rows}
    for r in rows:
        session.delete(r)
    if rows:
        session.flush()
    return touched
