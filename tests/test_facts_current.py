"""The sample förbund's facts answered as a new user asks them: right value, right §, now.

Each example of issue 13 is asked in Swedish and English through the console (in process and
as `boardbot ask --json`) and through Slack (the real Bolt app against the stand-in).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.console import ask
from handlers.meetings_admin import apply_command
from handlers.messages import Reply
from scheduler.calendar import organisation_calendar
from storage.db import open_engine
from storage.ingest.load import ingest_path
from storage.models import ConversationLink, Organisation
from tests.slack_harness import CHANNEL, mention, running_bot

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "bot" / "samples"
TODAY = dt.date(2025, 5, 10)


@pytest.fixture
def norrvik(tmp_path: Path) -> Iterator[tuple[Engine, Path]]:
    db = tmp_path / "norrvik.db"
    engine = open_engine(f"sqlite:///{db}")
    for path in sorted(SAMPLES.glob("norrvik_*.txt")):
        assert ingest_path(engine, path).ok
    yield engine, db
    engine.dispose()


def asked(engine: Engine, question: str) -> Reply:
    return ask(engine, question, org="Norrvik", as_of=TODAY)


def cited(reply: Reply) -> list[tuple[str | None, int | None]]:
    return [(s.meeting_date.isoformat() if s.meeting_date else s.document, s.paragraph) for s in reply.sources]


@pytest.mark.parametrize("question", ["När är nästa möte?", "When is the next meeting?"])
def test_next_meeting_cites_the_meeting_plan(norrvik: tuple[Engine, Path], question: str) -> None:
    reply = asked(norrvik[0], question)
    assert reply.answered and "2025-06-13" in reply.text
    assert cited(reply) == [("2025-04-25", 25)]


@pytest.mark.parametrize("question", ["Vilka möten är planerade 2025?", "Which meetings are planned in 2025?"])
def test_every_planned_meeting_cites_the_plan_and_held_ones_their_protocol(
        norrvik: tuple[Engine, Path], question: str) -> None:
    reply = asked(norrvik[0], question)
    assert "2025-09-12" in reply.text or "12 september" in reply.text
    # The plan (§ 25), not § 19 or § 20 that only name a date in passing; held meetings
    # their own protocol, never a § of another one.
    assert set(cited(reply)) <= {("2025-04-25", 25), ("2025-04-25", None), ("2025-02-14", None)}
    assert ("2025-04-25", 25) in cited(reply)


def test_calendar_cites_the_plan_and_the_held_meetings_protocol(norrvik: tuple[Engine, Path]) -> None:
    engine, _ = norrvik
    with Session(engine) as session:
        org = session.exec(select(Organisation)).one()
        ics = organisation_calendar(session, org, dt.datetime(2025, 5, 10, 8, tzinfo=dt.UTC)).to_ical().decode()
    unfolded = ics.replace("\r\n ", "")
    assert "protokoll 2025-04-25\\, § 10" not in unfolded
    assert "protokoll 2025-04-25\\, § 25" in unfolded
    assert "§ 19" not in unfolded and "§ 20" not in unfolded


@pytest.mark.parametrize(("question", "moved_by"), [
    ("När är nästa möte?", "ändrat i chatten av Elsa Brännvall"),
    ("When is the next meeting?", "changed in chat by Elsa Brännvall"),
])
def test_a_moved_meeting_cites_who_moved_it_and_when(norrvik: tuple[Engine, Path], question: str,
                                                      moved_by: str) -> None:
    engine, _ = norrvik
    with Session(engine) as session:
        org = session.exec(select(Organisation)).one()
        apply_command(session, org, "flytta 2025-06-13 till 2025-06-16 kl. 13", "slack:U0ELSA (Elsa Brännvall)",
                      TODAY)
        session.commit()
    reply = asked(engine, question)
    assert "2025-06-16" in reply.text
    [source] = reply.sources
    assert source.document is not None and source.document.startswith(moved_by)
    assert source.paragraph is None


def test_console_json_names_the_plans_paragraph(norrvik: tuple[Engine, Path], tmp_path: Path) -> None:
    _, db = norrvik
    env = {**os.environ, "BOARDBOT_DATABASE_URL": f"sqlite:///{db}"}
    result = subprocess.run([sys.executable, "-m", "bot.cli", "ask", "--org", "Norrvik", "--as-of",
                             TODAY.isoformat(), "--json", "När är nästa möte?"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["answered"] and out["sources"][0]["paragraph"] == 25
    assert out["sources"][0]["meeting_date"] == "2025-04-25"


async def test_slack_answer_cites_the_meeting_plan(norrvik: tuple[Engine, Path]) -> None:
    engine, _ = norrvik
    with Session(engine) as session:
        org = session.exec(select(Organisation)).one()
        session.add(ConversationLink(platform="slack", conversation_id=CHANNEL, organisation_id=org.id))
        session.commit()
    clock = lambda: dt.datetime(2025, 5, 10, 9, tzinfo=dt.UTC)  # noqa: E731
    async with running_bot(engine, clock=clock) as bot:
        for question in ("När är nästa möte?", "When is the next meeting?"):
            await bot.event(mention(question))
            await bot.settle()
        posts = [call.args["text"] for call in bot.standin.calls_to("chat.postMessage")]
    assert len(posts) == 2
    for text in posts:
        assert "2025-06-13" in text or "13 juni" in text or "13 June" in text
        assert "protokoll 2025-04-25, § 25" in text
