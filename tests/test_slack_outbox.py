"""Slack reminders go out exactly once, even when the sender is killed mid-send.

Each reminder carries its outbox key in Slack's message metadata; after a crash the outbox
asks Slack (conversations.history with include_all_metadata, through the stand-in that keeps
messages and metadata as the Web API does) whether the cut-off message arrived, and records it
instead of posting it again. The crash is a real SIGKILL of a real dispatcher process, on
SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.slack.notifier import METADATA_EVENT, SlackNotifier
from scheduler.outbox import Dispatcher
from storage.db import open_engine
from storage.models import ConversationLink, Meeting, Organisation
from storage.settings import Settings
from tests.reminder_helpers import SimClock, local, reminders, seed_store
from tests.slack_standin import SlackStandin

ROOT = Path(__file__).resolve().parents[1]
CHANNELS = ["C0BOARD", "C0SECOND", "C0THIRD", "C0FOURTH"]
MEETINGS = 50  # x 4 channels: 200 reminders due at once
KILL_AT = 80  # the child dies while Slack is answering its 80th message


class KillingStandin(SlackStandin):
    """Slack, and the moment the sender dies: the 80th message is posted, then SIGKILL before the
    answer leaves, so the sender never learns that it went out."""

    victim: int | None = None

    def _m_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        answer = super()._m_chat_postMessage(args)
        if self.victim is not None and sum(len(h) for h in self.history.values()) == KILL_AT:
            os.kill(self.victim, signal.SIGKILL)  # the child this test started
            self.victim = None
        return answer


@pytest.fixture
def standin() -> Iterator[KillingStandin]:
    """The stand-in on a loop of its own, so a separate process can talk to it while the test
    waits for that process."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    server = asyncio.run_coroutine_threadsafe(KillingStandin().start(), loop).result(10)
    assert isinstance(server, KillingStandin)
    try:
        yield server
    finally:
        asyncio.run_coroutine_threadsafe(server.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


def _settings(standin: SlackStandin) -> Settings:
    return Settings(_env_file=None, SLACK_BOT_TOKEN=standin.token,  # type: ignore[call-arg]
                    BOARDBOT_SLACK_API_URL=standin.api_url)


def _board_with_200_due(engine: Engine, now: dt.datetime) -> None:
    seeded = seed_store(engine, personal=False, with_plan=False)
    with Session(engine) as session:
        org = session.get(Organisation, seeded.org_id)
        assert org is not None
        org.meeting_reminder_days = "60,1"
        for channel in CHANNELS[1:]:
            session.add(ConversationLink(platform="slack", conversation_id=channel, organisation_id=seeded.org_id))
        for day in range(2, 2 + MEETINGS):  # each has its 60-day reminder due now
            session.add(Meeting(organisation_id=seeded.org_id, date=now.date() + dt.timedelta(days=day),
                                kind=f"arbetsmöte {day}", start_time=dt.time(13), place="Timrå"))
        session.commit()


def test_a_sender_killed_mid_send_of_200_reminders_loses_none_and_doubles_none(
        store_url: str, standin: KillingStandin) -> None:
    now = local(2024, 3, 1, 9, 0)
    engine = open_engine(store_url)
    try:
        _board_with_200_due(engine, now)
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.slack_outbox_child", store_url, standin.api_url, standin.token,
             now.isoformat()], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        standin.victim = child.pid
        _, err = child.communicate(timeout=120)
        assert child.returncode == -signal.SIGKILL, err.decode()[-2000:]
        assert sum(len(h) for h in standin.history.values()) == KILL_AT
        states = Counter(r.status for r in reminders(engine) if r.due_at <= now)
        assert states["sending"] == 1 and states["sent"] == KILL_AT - 1  # the 80th: out, but unrecorded

        # Restart: the new dispatcher owns whatever was in flight, and asks Slack before resending.
        clock = SimClock(now + dt.timedelta(minutes=1))
        survivor = Dispatcher(engine, SlackNotifier(_settings(standin)), clock=clock)

        async def recover() -> None:
            await survivor.run_once(recover_all=True)
            clock.advance(dt.timedelta(minutes=5))  # past the unknown row's backoff
            await survivor.run_once()

        asyncio.run(recover())
    finally:
        engine.dispose()

    rows = [r for r in reminders(engine) if r.due_at <= clock.now]  # the 1-day ones wait for their day
    assert len(rows) == len(CHANNELS) * MEETINGS
    assert Counter(r.status for r in rows) == Counter({"sent": 200})  # none lost
    posted = [m for history in standin.history.values() for m in history]
    keys = Counter(m["metadata"]["event_payload"]["outbox_key"] for m in posted)
    assert len(posted) == 200 and max(keys.values()) == 1  # none doubled
    assert all(m["metadata"]["event_type"] == METADATA_EVENT for m in posted)
    by_ts = {m["ts"]: m for m in posted}
    for row in rows:  # each row points at the very message that carries its key
        message = by_ts[row.platform_message_id or ""]
        assert message["metadata"]["event_payload"]["outbox_key"].startswith(f"{row.id}:")
        assert f"slack:{next(c for c, h in standin.history.items() if message in h)}" == row.recipient
    looked = standin.calls_to("conversations.history")
    assert looked and all(str(c.args.get("include_all_metadata")).lower() in ("true", "1") for c in looked)


async def test_a_reminder_to_a_person_is_looked_up_in_their_dm_by_its_key() -> None:
    standin = await SlackStandin().start()
    try:
        notifier = SlackNotifier(_settings(standin))
        since = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
        ts = await notifier.send("slack:U0MON", "Påminnelse: styrelsemöte i morgon", key="7:meeting:20240301T080000Z")
        await notifier.send("slack:U0MON", "Påminnelse: styrelsemöte i morgon", key="8:meeting:20240301T080000Z")
        assert await notifier.find_sent("slack:U0MON", "", since, key="7:meeting:20240301T080000Z") == ts
        assert await notifier.find_sent("slack:U0MON", "", since, key="9:meeting:20240301T080000Z") is None
        # Sent before `since`: not this attempt's message.
        later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
        assert await notifier.find_sent("slack:U0MON", "", later, key="7:meeting:20240301T080000Z") is None
        [opened, *_] = standin.calls_to("conversations.open")
        assert opened.args["users"] == "U0MON"
    finally:
        await standin.stop()
