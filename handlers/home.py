"""A board member's overview (Slack's App Home, a Teams tab): upcoming meetings, the justeringar
waiting for them, and the latest decisions of their förbund, each line with its source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from handlers.admins import identity_column
from handlers.answers.core import source_for
from handlers.messages import Source
from storage.models import (
    Document,
    JusteringConfirmation,
    JusteringRound,
    JusteringSigner,
    Meeting,
    Organisation,
    Paragraph,
    Person,
    Protocol,
)
from storage.swedish import WEEKDAY_ABBREVIATIONS

MAX_ITEMS = 5
MAX_DECISION_CHARS = 240


@dataclass(frozen=True)
class HomeItem:
    text: str
    source: Source | None = None


@dataclass(frozen=True)
class HomeSection:
    title: str
    items: list[HomeItem] = field(default_factory=list)
    empty_text: str = ""


def _source(session: Session, organisation: Organisation, document_id: int | None,
            paragraph_id: int | None, part_id: int | None = None) -> Source | None:
    if document_id is None:
        return None
    if part_id is not None:
        # A kallelse sent in one file with a protocol is cited as that part of the file.
        cited = source_for(session, organisation, document_id, paragraph_id, part_id=part_id)
        if cited.part is not None:
            return cited
    document = session.get(Document, document_id)
    if document is None:
        return None
    meeting_date = None
    if document.kind == "protokoll":
        protocol = session.exec(select(Protocol).where(Protocol.document_id == document_id)).first()
        meeting_date = protocol.meeting_date if protocol else None
    paragraph = session.get(Paragraph, paragraph_id) if paragraph_id else None
    return Source(organisation=organisation.name, document=document.title or document.file_name,
                  meeting_date=meeting_date, paragraph=paragraph.number if paragraph else None,
                  kind=document.kind)


def _clock(start: dt.time | None, end: dt.time | None) -> str:
    if start is None:
        return ""
    text = f" kl. {start:%H.%M}"
    return text + (f"–{end:%H.%M}" if end else "")


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _meetings(session: Session, organisations: dict[int, Organisation], today: dt.date) -> HomeSection:
    rows = session.exec(
        select(Meeting)
        .where(col(Meeting.organisation_id).in_(list(organisations)), col(Meeting.date) >= today,
               Meeting.status != "cancelled")
        .order_by(col(Meeting.date), col(Meeting.start_time))
        .limit(MAX_ITEMS)
    ).all()
    items = []
    for meeting in rows:
        org = organisations[meeting.organisation_id]
        text = f"{WEEKDAY_ABBREVIATIONS[meeting.date.weekday()]} {meeting.date.isoformat()}"
        text += _clock(meeting.start_time, meeting.end_time)
        if meeting.place:
            text += f", {meeting.place}"
        text += f": {meeting.kind}"
        if len(organisations) > 1:
            text += f" ({org.name})"
        items.append(HomeItem(text, _source(session, org, meeting.document_id, meeting.paragraph_id, meeting.part_id)))
    return HomeSection("Kommande möten", items, "Inga planerade möten finns i databasen.")


def _pending_justeringar(session: Session, organisations: dict[int, Organisation],
                         people: list[Person]) -> HomeSection:
    person_ids = [p.id for p in people]
    rows = session.exec(
        select(JusteringRound, Protocol)
        .join(JusteringSigner, col(JusteringSigner.round_id) == col(JusteringRound.id))
        .join(Protocol, col(Protocol.id) == col(JusteringRound.protocol_id))
        .where(col(JusteringSigner.person_id).in_(person_ids), JusteringRound.status == "open")
        .order_by(col(JusteringRound.deadline))
    ).all()
    items = []
    for round_, protocol in rows:
        confirmed = session.exec(
            select(JusteringConfirmation.id).where(
                JusteringConfirmation.round_id == round_.id,
                col(JusteringConfirmation.person_id).in_(person_ids),
                JusteringConfirmation.version_hash == round_.version_hash,
            )
        ).first()
        if confirmed is not None:
            continue
        org = organisations.get(protocol.organisation_id)
        if org is None:
            continue
        text = f"Protokoll {protocol.meeting_date.isoformat()}: justera senast {round_.deadline.isoformat()}"
        if len(organisations) > 1:
            text += f" ({org.name})"
        items.append(HomeItem(text, _source(session, org, protocol.document_id, None)))
        if len(items) == MAX_ITEMS:
            break
    return HomeSection("Mina justeringar", items, "Inga protokoll väntar på din justering.")


def _decisions(session: Session, organisations: dict[int, Organisation]) -> HomeSection:
    rows = session.exec(
        select(Paragraph, Protocol)
        .join(Protocol, col(Protocol.id) == col(Paragraph.protocol_id))
        .where(col(Protocol.organisation_id).in_(list(organisations)), col(Paragraph.decision).is_not(None),
               col(Document.superseded_at).is_(None))
        .join(Document, col(Document.id) == col(Paragraph.document_id))
        .order_by(col(Protocol.meeting_date).desc(), col(Paragraph.number).desc())
        .limit(MAX_ITEMS)
    ).all()
    items = []
    for paragraph, protocol in rows:
        org = organisations[protocol.organisation_id]
        text = f"§ {paragraph.number} {paragraph.title}: {_shorten(paragraph.decision or '', MAX_DECISION_CHARS)}"
        if protocol.status != "justerat":
            # Not a public document until verified (TF 2 kap. 10 §): say so wherever it is shown.
            text += " (ojusterat)"
        items.append(HomeItem(text, _source(session, org, paragraph.document_id, paragraph.id)))
    return HomeSection("Senaste besluten", items, "Inga beslut finns i databasen ännu.")


def home_sections(session: Session, platform: str, user_id: str, today: dt.date) -> list[HomeSection]:
    column = identity_column(platform)
    people = list(session.exec(select(Person).where(column == user_id)).all()) if column is not None else []
    if not people:
        return [HomeSection(
            "Välkommen",
            [HomeItem("Jag känner inte igen dig som ledamot ännu. Be sekreteraren skriva "
                      "`/styrelse person @dig Ditt Namn`. Du kan ändå fråga mig om styrelsens beslut, "
                      "insatser och möten: skriv till mig här eller nämn mig i en kanal.")],
        )]
    organisations = {o.id: o for o in session.exec(
        select(Organisation).where(col(Organisation.id).in_([p.organisation_id for p in people]))
    ).all() if o.id is not None}
    return [
        _meetings(session, organisations, today),
        _pending_justeringar(session, organisations, people),
        _decisions(session, organisations),
    ]
