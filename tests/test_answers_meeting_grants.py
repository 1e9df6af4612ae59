"""What was granted at a meeting named relatively or by its day, asked without a list word
("What did the board grant at its latest meeting?", "vad fick pengar på senaste styrelsemötet?")."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine

from handlers.assistant import Assistant
from handlers.messages import Message
from tests import answer_store
from tests.answer_store import says


@pytest.fixture
def assistant(engine: Engine) -> Assistant:
    answer_store.build(engine)
    return Assistant(engine)


def test_the_grants_of_a_meeting_asked_with_what(assistant: Assistant) -> None:
    for question in ("What did the board grant at its latest meeting?", "vad fick pengar på senaste styrelsemötet?",
                     "What did the board grant at the meeting on 14 March 2025?"):
        reply = assistant.handle(Message(text=question, organisation_hint="Fjällbygden", as_of=dt.date(2025, 4, 1)))
        assert reply.answered, question
        assert says(reply, "Vägen ut", "2025-03-14"), reply.text
    # A grant named that the store does not hold is said not to be found, not answered with the meeting's.
    reply = assistant.handle(Message(text="What did the board grant to Kompetenscenter at the last meeting?",
                                     organisation_hint="Fjällbygden", as_of=dt.date(2025, 4, 1)))
    assert not reply.answered
