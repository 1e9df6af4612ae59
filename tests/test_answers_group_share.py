"""A share of a whole the question names as a group of members ("kommunernas bidrag") is taken of
that group's own sum, never of the table's grand total (handlers/answers/figure_aggregates.py)."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from handlers.assistant import Assistant
from handlers.messages import Message
from storage.models import BudgetFigure, Document
from tests import answer_store
from tests.answer_store import says


@pytest.fixture
def assistant(engine: Engine) -> Assistant:
    ids = answer_store.build(engine)
    with Session(engine) as s:
        plan = s.exec(select(Document).where(Document.organisation_id == ids["fjall"],
                                             Document.kind == "verksamhetsplan")).one()
        assert plan.id
        # Beside Fjälls kommun (310 000): a second member kommun, the region, and the income's total.
        for line, section, amount, row_type in (("Dalby kommun", "medlemsbidrag", 90_000, "line"),
                                                ("Region Fjäll", "medlemsbidrag", 400_000, "line"),
                                                ("Summa intäkter", "intäkter", 1_600_000, "total")):
            s.add(BudgetFigure(organisation_id=ids["fjall"], year=2025, kind="budget", section=section, line=line,
                               amount=amount, row_type=row_type, document_id=plan.id))
        s.commit()
    return Assistant(engine)


def test_a_share_of_the_members_of_a_type_is_of_their_sum(assistant: Assistant) -> None:
    reply = assistant.handle(Message(text="Hur stor andel av kommunernas bidrag 2025 står Fjälls kommun för?",
                                     organisation_hint="Fjällbygden"))
    assert reply.answered
    assert says(reply, "77,5 %", "400 000"), reply.text
    reply = assistant.handle(Message(text="What share of the municipalities' contributions in 2025 does Dalby kommun pay?",
                                     organisation_hint="Fjällbygden"))
    assert reply.answered
    assert says(reply, "22.5 %", "400 000"), reply.text
    assert "1 600 000" not in reply.text  # not the grand total
