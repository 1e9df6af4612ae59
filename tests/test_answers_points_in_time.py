"""One point in time set against another by 'mot' / 'against' ("per 30 april 2025 mot per 30 april
2024") is a comparison of the outcomes to those days; an acronym as a compound's first part
("FK-bidraget") names the body's line (handlers/understanding/vocabulary.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from handlers.assistant import Assistant
from handlers.messages import Message
from storage.models import BudgetFigure, Document
from tests import answer_store
from tests.answer_store import says


@pytest.fixture
def assistant(engine: Engine) -> Assistant:
    ids = answer_store.build(engine)
    with Session(engine) as s:
        report = Document(organisation_id=ids["fjall"], kind="tertialrapport", title="Tertialrapport 2025",
                          file_name="t1.txt", content_hash="d" * 64,
                          text="Intäkter\t30 april 2024\t30 april 2025\nBidrag Försäkringskassan\t1 100 000\t1 150 000\n"
                               "Bidrag kommuner\t40 000\t45 000\n")
        s.add(report)
        s.flush()
        assert report.id
        for line, day, amount in (("Bidrag Försäkringskassan", dt.date(2024, 4, 30), 1_100_000),
                                  ("Bidrag Försäkringskassan", dt.date(2025, 4, 30), 1_150_000),
                                  ("Bidrag kommuner", dt.date(2024, 4, 30), 40_000),
                                  ("Bidrag kommuner", dt.date(2025, 4, 30), 45_000)):
            s.add(BudgetFigure(organisation_id=ids["fjall"], year=day.year, kind="utfall", section="intäkter",
                               line=line, amount=amount, as_of=day, document_id=report.id))
        s.commit()
    return Assistant(engine)


def test_a_day_set_against_another_day(assistant: Assistant) -> None:
    for question in ("Bidrag Försäkringskassan per 30 april 2025 mot per 30 april 2024?",
                     "FK-bidraget per 30 april 2025 jämfört med per 30 april 2024?",
                     "Bidrag Försäkringskassan at 30 April 2025 against 30 April 2024?"):
        reply = assistant.handle(Message(text=question, organisation_hint="Fjällbygden"))
        assert reply.answered, (question, reply.full_text())
        assert says(reply, "1 100 000", "1 150 000", "50 000"), reply.text
        assert "Bidrag kommuner" not in reply.text
