"""Whatever is typed, the assistant replies, shows no traceback, and writes nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from handlers.assistant import Assistant
from handlers.messages import Message, Reply
from tests import answer_store

INJECTIONS = [
    "'; DROP TABLE insats; --",
    "\" OR 1=1 --",
    "Robert'); DELETE FROM budgetfigure WHERE ('1'='1",
    "NEAR(justering signering) AND * OR \"",
    "<script>alert(1)</script> Vad kostar kansliet 2025?",
    "*bold* <@U123> <!channel> `code` ```block```",
    "{{7*7}} ${jndi:ldap://x} %s %n",
    "\x00\x01\x02 beviljats?",
    "Hur mycket har Vägen ut beviljats?" * 2000,
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    from storage.db import open_engine

    engine = open_engine(f"sqlite:///{tmp_path_factory.mktemp('robust') / 'store.db'}")
    answer_store.build(engine)
    yield engine
    engine.dispose()


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {name: conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
                for name in SQLModel.metadata.tables}


def _check(reply: Reply) -> None:
    assert isinstance(reply, Reply)
    assert reply.text
    assert "Traceback" not in reply.full_text()
    assert 'File "' not in reply.full_text()


@pytest.mark.parametrize("question", INJECTIONS)
def test_injection_and_huge_inputs(store: Engine, question: str) -> None:
    before = _counts(store)
    reply = Assistant(store).handle(Message(text=question))
    _check(reply)
    assert _counts(store) == before


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_arbitrary_unicode(store: Engine, question: str) -> None:
    before = _counts(store)
    _check(Assistant(store).handle(Message(text=question)))
    assert _counts(store) == before


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=60).map(lambda s: (s * (100_000 // len(s) + 1))[:100_000]))
def test_hundred_kilobytes(store: Engine, question: str) -> None:
    reply = Assistant(store).handle(Message(text=question))
    _check(reply)
    assert not reply.answered
