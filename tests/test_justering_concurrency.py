"""Simultaneous confirmations: Slack retries, double clicks, two processes. On SQLite and PostgreSQL.

Each thread calls Assistant.handle, which opens its own session and transaction, as two web
workers would. The database's UNIQUE constraint is what keeps one confirmation per signer.
"""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from handlers.assistant import Assistant
from handlers.messages import Message, Reply
from storage.models import AuditLog, JusteringConfirmation, JusteringRound
from tests.justering_board import (
    PARAGRAPHS,
    Clock,
    make_board,
    protocol_row,
    protocol_text,
    sha,
    slack,
    start_in_slack,
)

NOW = dt.datetime(2023, 11, 28, 10, 0, tzinfo=dt.UTC)
# "Ja, justera version …" under the question: the round and the version it showed.
VALUE = "{}:" + sha(protocol_text(PARAGRAPHS))


def _all_at_once(assistant: Assistant, messages: list[Message]) -> list[Reply]:
    barrier = threading.Barrier(len(messages))
    replies: list[Reply | None] = [None] * len(messages)

    def run(i: int) -> None:
        barrier.wait()
        replies[i] = assistant.handle(messages[i])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(messages))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert all(r is not None for r in replies)
    return [r for r in replies if r is not None]


def test_twenty_simultaneous_confirmations_by_one_signer_record_one(engine: Engine) -> None:
    board = make_board(engine)
    assistant = Assistant(engine, clock=Clock(NOW))
    _, round_id = start_in_slack(assistant)
    clicks = [slack(user="U0NIKLAS", action_id="justering.confirm_version", action_value=VALUE.format(round_id))
              for _ in range(20)]
    replies = _all_at_once(assistant, clicks)

    with Session(engine) as session:
        rows = session.exec(select(JusteringConfirmation)).all()
        repeated = session.exec(select(AuditLog).where(AuditLog.action == "justering.confirm_repeated")).all()
        confirmed = session.exec(select(AuditLog).where(AuditLog.action == "justering.confirmed")).all()
    assert [(r.person_id, r.round_id) for r in rows] == [(board.people["Niklas"], round_id)]
    recorded = [r for r in replies if "har justerat" in r.text]
    already = [r for r in replies if "redan justerat" in r.text]
    # Every click got a clear answer: one recorded, nineteen told it was already done.
    assert len(recorded) == 1 and len(already) == 19, [r.text for r in replies]
    assert len(confirmed) == 1 and len(repeated) == 19
    assert protocol_row(engine, board.protocol_id).status == "ojusterat"


def test_the_last_two_signers_at_once_complete_the_round_once(engine: Engine) -> None:
    board = make_board(engine)
    assistant = Assistant(engine, clock=Clock(NOW))
    _, round_id = start_in_slack(assistant)
    replies = _all_at_once(assistant, [
        slack(user="U0NIKLAS", action_id="justering.confirm_version", action_value=VALUE.format(round_id)),
        slack(user="U0MONICA", action_id="justering.confirm_version", action_value=VALUE.format(round_id)),
    ])
    assert sum("Alla har justerat" in r.text for r in replies) == 1, [r.text for r in replies]
    with Session(engine) as session:
        rnd = session.get(JusteringRound, round_id)
        completed = session.exec(select(AuditLog).where(AuditLog.action == "justering.completed")).all()
    assert rnd is not None and rnd.status == "done"
    assert len(completed) == 1
    assert protocol_row(engine, board.protocol_id).justering_date == dt.date(2023, 11, 28)
