"""A grant's status told with the condition its decision set: an approval 'under förutsättning att …'
is not an approval without one."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine
from sqlmodel import Session

from handlers.assistant import Assistant
from handlers.messages import Message
from storage.models import Grant, GrantEvent, Paragraph
from storage.search import paragraph_search_text
from tests.answer_store import one_protocol, says


def test_a_conditional_approval_is_told_with_its_condition(engine: Engine) -> None:
    with Session(engine) as s:
        org, doc, protocol = one_protocol(s, dt.date(2025, 5, 16))
        assert org.id and doc.id and protocol.id
        title = "Slutrapport – Bryggan"
        decision = ("Att godkänna slutrapporten under förutsättning att den inkommer med parternas underskrifter "
                    "samt betala ut det beviljade medlet.")
        p = Paragraph(document_id=doc.id, organisation_id=org.id, protocol_id=protocol.id, number=7, title=title,
                      body="Förbundschefen redovisar slutrapporten.", decision=decision,
                      search_text=paragraph_search_text(org.id, title, "", decision))
        s.add(p)
        s.flush()
        grant = Grant(organisation_id=org.id, key="bryggan", name="Bryggan", status="final_report_approved",
                      document_id=doc.id, paragraph_id=p.id)
        s.add(grant)
        s.flush()
        assert grant.id
        for status in ("final_report_approved", "payment_approved"):
            s.add(GrantEvent(grant_id=grant.id, status=status, date=protocol.meeting_date, document_id=doc.id,
                             paragraph_id=p.id))
        s.commit()
    reply = Assistant(engine).handle(Message(text="Vad hände med Bryggan, godkändes slutrapporten?",
                                             as_of=dt.date(2025, 6, 1)))
    assert reply.answered and says(reply, "slutrapport godkänd", "under förutsättning", "underskrifter")
    assert reply.full_text().count("underskrifter") == 1  # one § decided both: its condition once
