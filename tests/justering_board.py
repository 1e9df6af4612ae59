"""A board with protocols for the justering tests, built directly with the models.

The people and dates are those of seed 003 (Samordningsförbundet Härnösand – Timrå, meeting
2023-11-24: Monica Fällström ordförande, Niklas Edén justerare, Ulrika Sahlin förbundschef);
the text is a short protocol in the seed's layout, so a corrected version can change one §.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from handlers.assistant import Assistant
from handlers.messages import Message, Reply
from storage import justering as j
from storage.models import (
    ConversationLink,
    Document,
    Organisation,
    Paragraph,
    Person,
    Protocol,
    ProtocolOfficer,
)

ORG = "Samordningsförbundet Härnösand – Timrå"
CHANNEL = "C0BOARD"
MEETING = dt.date(2023, 11, 24)

PARAGRAPHS = [
    (108, "Mötets öppnande", "Ordförande hälsar alla välkomna och förklarar mötet öppnat.", None),
    (109, "Godkännande av dagordning", "Samordningsförbundet beslutar:\nAtt godkänna dagordningen.",
     "Att godkänna dagordningen."),
    (110, "Val av justerare", "Samordningsförbundet beslutar:\nAtt utse Niklas Edén att justera protokollet.",
     "Att utse Niklas Edén att justera protokollet."),
    (112, "Återrapportering Jobbcenter", "Samordningsförbundet beslutar:\nAtt godkänna slutrapporten och "
     "betala ut 250 000 kr.", "Att godkänna slutrapporten och betala ut 250 000 kr."),
]


def protocol_text(paragraphs: list[tuple[int, str, str, str | None]]) -> str:
    head = (f"Protokoll från styrelsemöte för {ORG}\n\nDatum: {MEETING.isoformat()}\n\n"
            "Utses att justera: Niklas Edén\n\nUnderskrifter:\n\nMonica Fällström\nOrdförande\n\n"
            "Niklas Edén\nJusterare\n\nUlrika Sahlin\nFörbundschef\n\n")
    return head + "".join(f"§ {n}\n\n{title}\n\n{body}\n\n" for n, title, body, _ in paragraphs)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Board:
    organisation_id: int
    protocol_id: int
    document_id: int
    people: dict[str, int]  # first name -> person id


def add_protocol(session: Session, org: Organisation, meeting: dt.date, text: str, file_name: str,
                 paragraphs: list[tuple[int, str, str, str | None]], **fields: object) -> Protocol:
    assert org.id is not None
    doc = Document(organisation_id=org.id, kind="protokoll", file_name=file_name, content_hash=sha(text),
                   version_key=f"protokoll:{meeting.isoformat()}", text=text)
    session.add(doc)
    session.flush()
    assert doc.id is not None
    protocol = Protocol(document_id=doc.id, organisation_id=org.id, meeting_date=meeting,
                        version_hash=sha(text), **fields)  # type: ignore[arg-type]
    session.add(protocol)
    session.flush()
    for number, title, body, decision in paragraphs:
        session.add(Paragraph(document_id=doc.id, organisation_id=org.id, protocol_id=protocol.id,
                              number=number, title=title, body=body, decision=decision))
    session.flush()
    return protocol


def make_board(engine: Engine, signer_roles: str = "justerare,ordförande") -> Board:
    with Session(engine, expire_on_commit=False) as session:
        org = Organisation(name=ORG, signer_roles=signer_roles)
        session.add(org)
        session.flush()
        assert org.id is not None
        people = {
            "Monica": Person(organisation_id=org.id, name="Monica Fällström", slack_user_id="U0MONICA",
                             teams_aad_id="aad-monica"),
            "Niklas": Person(organisation_id=org.id, name="Niklas Edén", slack_user_id="U0NIKLAS"),
            "Ulrika": Person(organisation_id=org.id, name="Ulrika Sahlin", slack_user_id="U0ULRIKA"),
            "Lars": Person(organisation_id=org.id, name="Lars Kempe", slack_user_id="U0LARS"),
        }
        session.add_all(people.values())
        session.add(ConversationLink(platform="slack", conversation_id=CHANNEL, organisation_id=org.id))
        session.flush()
        text = protocol_text(PARAGRAPHS)
        protocol = add_protocol(session, org, MEETING, text, "003_protokoll_2023-11-24.txt", PARAGRAPHS,
                                paragraph_range="§§ 108-138")
        for key, role in (("Monica", "ordförande"), ("Niklas", "justerare"), ("Ulrika", "förbundschef")):
            session.add(ProtocolOfficer(protocol_id=protocol.id, person_id=people[key].id, role=role))
        session.commit()
        assert protocol.id is not None
        return Board(org.id, protocol.id, protocol.document_id,
                     {k: p.id for k, p in people.items() if p.id is not None})


def slack(text: str = "", user: str | None = None, thread: str | None = None, **kw: object) -> Message:
    return Message(text=text, platform="slack", user_id=user, conversation_id=CHANNEL, thread_id=thread,
                   **kw)  # type: ignore[arg-type]


class Clock:
    """The server's clock, set by the test."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def __call__(self) -> dt.datetime:
        return self.at


def start_in_slack(assistant: Assistant, thread: str = "1700000000.000100") -> tuple[Reply, int]:
    """Ulrika starts justering in the channel; the adapter posts the root and reports where."""
    reply = assistant.handle(slack("justera 2023-11-24", user="U0ULRIKA"))
    assert reply.anchor and reply.anchor.startswith("justering_round:"), reply.text
    assistant.anchor_posted(reply.anchor, "slack", CHANNEL, thread)
    return reply, int(reply.anchor.split(":")[1])


def protocol_row(engine: Engine, protocol_id: int) -> Protocol:
    with Session(engine) as session:
        protocol = session.exec(select(Protocol).where(Protocol.id == protocol_id)).one()
        session.expunge(protocol)
        return protocol


def set_person(engine: Engine, person_id: int, **fields: object) -> None:
    """Gives a board member a platform identity or the admin flag (the secretary's seat)."""
    with Session(engine) as session:
        person = session.get(Person, person_id)
        assert person is not None
        for name, value in fields.items():
            setattr(person, name, value)
        session.add(person)
        session.commit()


def load_corrected_version(engine: Engine, protocol_id: int, now: dt.datetime) -> list[j.RoundRestart]:
    """What the loader does with a corrected protocol: new document, same protocol row, new hash."""
    corrected = [p if p[0] != 112 else (112, p[1], "Samordningsförbundet beslutar:\nAtt godkänna slutrapporten "
                                        "och betala ut 200 000 kr.", "Att godkänna slutrapporten och betala ut "
                                        "200 000 kr.") for p in PARAGRAPHS]
    text = protocol_text(corrected)
    with Session(engine, expire_on_commit=False) as session:
        protocol = session.get(Protocol, protocol_id)
        assert protocol is not None
        old = session.get(Document, protocol.document_id)
        assert old is not None
        old.superseded_at = now
        for paragraph in session.exec(select(Paragraph).where(Paragraph.protocol_id == protocol_id)).all():
            session.delete(paragraph)
        session.flush()
        doc = Document(organisation_id=protocol.organisation_id, kind="protokoll", file_name="v2.txt",
                       content_hash=sha(text), version_key=old.version_key, text=text)
        session.add(doc)
        session.flush()
        assert doc.id is not None
        protocol.document_id = doc.id
        protocol.version_hash = sha(text)
        for number, title, body, decision in corrected:
            session.add(Paragraph(document_id=doc.id, organisation_id=protocol.organisation_id,
                                  protocol_id=protocol_id, number=number, title=title, body=body, decision=decision))
        session.flush()
        restarts = j.on_new_version(session, protocol, old, now)
        session.commit()
        return restarts
