"""Someone from an organisation that is neither a member nor a grant of the förbund ("who came from
Coompanion?"): answered from the § that names the person with where they come from, on SQLite and
PostgreSQL; an organisation the documents name with no one from it is not answered."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from handlers.assistant import Assistant
from handlers.messages import Message, Reply
from storage.models import Attendance, Paragraph, Person
from storage.search import paragraph_search_text
from tests.answer_store import one_protocol, says


@pytest.fixture
def assistant(engine: Engine) -> Assistant:
    with Session(engine) as s:
        org, doc, protocol = one_protocol(s, dt.date(2025, 5, 16))
        assert org.id and doc.id
        # The attendance list: the guest is in no list, only in the § that invited her.
        for name, role, body in (("Eva Lund", "ledamot", "Älvdalens kommun"), ("Per Holm", "övrig", None)):
            person = Person(organisation_id=org.id, name=name)
            s.add(person)
            s.flush()
            assert person.id and protocol.id
            s.add(Attendance(protocol_id=protocol.id, person_id=person.id, role=role, member_body=body,
                             voting=role == "ledamot"))
        for number, title, body in (
            (3, "Dialog med Kooperativet", "Kerstin Stickler från Kooperativet Framåt är inbjuden till dagens möte "
             "för att berätta om föreningen. Kerstin berättar om bakgrunden."),
            (4, "Slutrapport – Bryggan", "Samordningsförbundet Älvdalen har fått en förfrågan från Utvärderingsbyrån "
             "om att delta i en studie. Starta-eget-information ges via Nyföretagarcentrum."),
        ):
            s.add(Paragraph(document_id=doc.id, organisation_id=org.id, protocol_id=protocol.id, number=number,
                            title=title, body=body, search_text=paragraph_search_text(org.id, title, body, None)))
        s.commit()
    return Assistant(engine)


def ask(assistant: Assistant, text: str) -> Reply:
    return assistant.handle(Message(text=text, as_of=dt.date(2025, 9, 1)))


@pytest.mark.parametrize("question", ["Vem kom från Kooperativet Framåt?", "Who came from Kooperativet Framåt?",
                                      "vem var med fran kooperativet framåt"])
def test_someone_from_an_organisation_the_store_holds_no_entry_for(assistant: Assistant, question: str) -> None:
    reply = ask(assistant, question)
    assert reply.answered and says(reply, "Kerstin Stickler", "§ 3")


@pytest.mark.parametrize("question", ["Vem från Nyföretagarcentrum var med?", "Vem från Utvärderingsbyrån var med?"])
def test_an_organisation_named_with_no_one_from_it_is_not_answered(assistant: Assistant, question: str) -> None:
    # The förbund's own name beside "från Utvärderingsbyrån" is no person who came from it.
    assert not ask(assistant, question).answered
