"""Short forms a förbund's own documents define ("SAMS – SAMverkan i …") name that line when asked,
and are never read as the start of another line's word (handlers/understanding/short_forms.py)."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from handlers.assistant import Assistant
from handlers.messages import Message
from handlers.understanding.short_forms import defined, written_out
from storage.models import BudgetFigure, Document
from tests import answer_store
from tests.answer_store import says


@pytest.fixture
def assistant(engine: Engine) -> Assistant:
    ids = answer_store.build(engine)
    with Session(engine) as s:
        plan = Document(organisation_id=ids["fjall"], kind="verksamhetsplan", title="Verksamhetsplan 2025 (bilaga)",
                        file_name="plan2.txt", content_hash="f" * 64,
                        text="Förbundschef leder verksamhetsutvecklaren i insatsen SAMS – SAMverkan i "
                             "Samebyarna. Vissa tjänster köps.\n")
        s.add(plan)
        s.flush()
        assert plan.id
        for line, amount in (("Enter", 900_000), ("SAMverkan i Samebyarna", 300_000), ("Samspelsstudie", 0)):
            s.add(BudgetFigure(organisation_id=ids["fjall"], year=2025, kind="budget", section="kostnader",
                               line=line, amount=amount, document_id=plan.id))
        s.commit()
    return Assistant(engine)


def test_a_short_form_the_documents_define_names_its_line(assistant: Assistant) -> None:
    for question in ("How much more does Enter cost than SAMS in 2025?",
                     "Hur mycket mer kostar Enter än SAMS 2025?"):
        reply = assistant.handle(Message(text=question, organisation_hint="Fjällbygden"))
        assert reply.answered, question
        assert says(reply, "600 000", "SAMverkan i Samebyarna"), reply.text
        assert "Samspelsstudie" not in reply.text


def test_only_a_defined_short_form_of_a_known_name_is_written_out() -> None:
    text = "insatsen SAMS – SAMverkan i Samebyarna. Utbildning i Jämställdhet, Genus, Ledarskap (JGL)."
    assert defined(text, ["SAMverkan i Samebyarna", "Samspelsstudie"]) == {"sams": "SAMverkan i Samebyarna"}
    # Letters that are not the name's letters in order define nothing.
    assert defined("XY – SAMverkan i Samebyarna", ["SAMverkan i Samebyarna"]) == {}
    forms = {"sams": {"SAMverkan i Samebyarna"}, "ab": {"Alfa Beta"}, "two": {"One", "Other"}}
    assert written_out("Vad kostar sams?", forms) == "Vad kostar SAMverkan i Samebyarna?"
    assert written_out("ab AB", forms) == "ab Alfa Beta"  # a short one only in capitals
    assert written_out("TWO", forms) == "TWO"  # defined as two things: left as written
