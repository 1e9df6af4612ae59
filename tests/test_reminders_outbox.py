"""The outbox: crashes between send and mark, failures and backoff, moved and cancelled
meetings, and two dispatchers on one PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from handlers.meetings_admin import MeetingSpec, cancel_meeting, move_meeting
from scheduler.outbox import Dispatcher, OutboxPolicy
from storage.db import open_engine
from storage.models import ConversationLink, Meeting, Organisation, Reminder
from tests.conftest import _require_pg, drop_pg_database, new_pg_database
from tests.reminder_helpers import (
    BOARD_CHANNEL,
    SECRETARY,
    STOCKHOLM,
    FakePlatform,
    FileNotifier,
    FilePlatform,
    PlatformNotifier,
    SimClock,
    SimulatedCrash,
    local,
    reminders,
    seed_store,
)

ROOT = Path(__file__).resolve().parents[1]
SECOND_CHANNEL = "slack:C0SECOND"


def _add_second_channel(engine: Engine, org_id: int) -> None:
    with Session(engine) as session:
        session.add(ConversationLink(platform="slack", conversation_id="C0SECOND", organisation_id=org_id))
        session.commit()


def _by_status(engine: Engine, due_by: dt.datetime) -> Counter[str]:
    return Counter(r.status for r in reminders(engine) if r.due_at <= due_by)


# --- a crash between send and mark ----------------------------------------------------------


async def test_crash_after_the_platform_accepted_is_not_posted_again(engine: Engine) -> None:
    seeded = seed_store(engine, personal=False)
    _add_second_channel(engine, seeded.org_id)
    clock = SimClock(local(2024, 1, 26, 9, 0))
    platform = FakePlatform(clock)
    crashing = PlatformNotifier(platform)
    crashing.crash_after_post = True
    with pytest.raises(SimulatedCrash):
        await Dispatcher(engine, crashing, clock=clock).run_once()
    # The first message reached the platform; the process died before marking it.
    assert [p.recipient for p in platform.posts] == [BOARD_CHANNEL]
    assert _by_status(engine, clock.now) == Counter({"sending": 1, "claimed": 1})

    # Restart: the new dispatcher owns every half-done row.
    clock.advance(dt.timedelta(seconds=30))
    restarted = Dispatcher(engine, PlatformNotifier(platform), clock=clock)
    await restarted.run_once(recover_all=True)
    assert [p.recipient for p in platform.posts] == [BOARD_CHANNEL, SECOND_CHANNEL]
    states = {r.recipient: r for r in reminders(engine) if r.due_at == local(2024, 1, 26)}
    assert states[BOARD_CHANNEL].status == "unknown"  # waits for its backoff, then looks first
    clock.advance(dt.timedelta(minutes=3))
    await restarted.run_once()
    states = {r.recipient: r for r in reminders(engine) if r.due_at == local(2024, 1, 26)}
    assert states[BOARD_CHANNEL].status == "sent"
    assert states[BOARD_CHANNEL].platform_message_id == platform.posts[0].message_id
    assert len(platform.posts) == 2  # found on the platform, not posted twice


async def test_crash_before_the_platform_got_it_is_retried_not_lost(engine: Engine) -> None:
    seed_store(engine, personal=False)
    clock = SimClock(local(2024, 1, 26, 9, 0))
    platform = FakePlatform(clock)
    crashing = PlatformNotifier(platform)
    crashing.crash_before_post = True
    with pytest.raises(SimulatedCrash):
        await Dispatcher(engine, crashing, clock=clock).run_once()
    assert platform.posts == []
    # No way to look at the platform: the unknown row is retried after its backoff.
    restarted = Dispatcher(engine, PlatformNotifier(platform, lookup=False), clock=clock)
    clock.advance(dt.timedelta(minutes=11))  # past the send timeout: a plain restart, no lock
    await restarted.run_once()
    assert platform.posts == []
    clock.advance(dt.timedelta(minutes=3))
    await restarted.run_once()
    assert [p.recipient for p in platform.posts] == [BOARD_CHANNEL]
    assert _by_status(engine, clock.now) == Counter({"sent": 1})


async def test_stale_sending_row_with_a_message_id_is_marked_sent_not_resent(engine: Engine) -> None:
    seed_store(engine, personal=False)
    clock = SimClock(local(2024, 1, 26, 8, 0))
    platform = FakePlatform(clock)
    dispatcher = Dispatcher(engine, PlatformNotifier(platform), clock=clock)
    await dispatcher.run_once()  # plans; nothing due yet
    with Session(engine) as session:
        session.execute(update(Reminder).where(Reminder.due_at == local(2024, 1, 26)).values(  # type: ignore[arg-type]
            status="sending", claimed_by="gone:1", claimed_at=local(2024, 1, 26, 9, 0),
            platform_message_id="1706256000.000100"))
        session.commit()
    clock.set(local(2024, 1, 26, 9, 30))
    await dispatcher.run_once()
    assert platform.posts == []
    row = next(r for r in reminders(engine) if r.due_at == local(2024, 1, 26))
    assert (row.status, row.platform_message_id) == ("sent", "1706256000.000100")


async def test_an_unclear_error_is_looked_up_before_any_retry(engine: Engine) -> None:
    seed_store(engine, personal=False)
    clock = SimClock(local(2024, 1, 26, 9, 0))
    platform = FakePlatform(clock)
    notifier = PlatformNotifier(platform)
    notifier.unclear_after_post = True
    dispatcher = Dispatcher(engine, notifier, clock=clock)
    result = await dispatcher.run_once()
    assert (result.sent, result.unknown) == (0, 1)
    notifier.unclear_after_post = False
    clock.advance(dt.timedelta(minutes=5))
    result = await dispatcher.run_once()
    assert result.found_already_sent == 1
    assert len(platform.posts) == 1


def test_a_killed_process_loses_nothing_and_doubles_nothing(store_url: str, tmp_path: Path) -> None:
    """A real process, killed (os._exit) right after the platform accepted the first message."""
    engine = open_engine(store_url)
    try:
        seeded = seed_store(engine, personal=False)
        _add_second_channel(engine, seeded.org_id)
        platform = FilePlatform(tmp_path / "platform.jsonl")
        now = local(2024, 1, 26, 9, 0)
        child = subprocess.run(
            [sys.executable, "-m", "tests.reminder_helpers", store_url, str(platform.path), "after", now.isoformat()],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )
        assert child.returncode == 9, child.stderr
        assert len(platform.lines()) == 1

        clock = SimClock(now + dt.timedelta(minutes=1))
        survivor = Dispatcher(engine, FileNotifier(platform), clock=clock)

        async def run() -> None:
            await survivor.run_once(recover_all=True)
            clock.advance(dt.timedelta(minutes=5))
            await survivor.run_once()

        asyncio.run(run())
        lines = platform.lines()
        assert sorted(line["recipient"] for line in lines) == [BOARD_CHANNEL, SECOND_CHANNEL]
        sent = {r.recipient: r.platform_message_id for r in reminders(engine) if r.status == "sent"}
        assert sent == {line["recipient"]: line["id"] for line in lines}
    finally:
        engine.dispose()


# --- failures -------------------------------------------------------------------------------


async def test_repeated_failures_back_off_then_one_report_to_the_secretary(engine: Engine) -> None:
    seed_store(engine, personal=False)
    clock = SimClock(local(2024, 1, 26, 9, 0))
    platform = FakePlatform(clock)
    notifier = PlatformNotifier(platform)
    notifier.fail_for = {BOARD_CHANNEL}
    dispatcher = Dispatcher(engine, notifier, clock=clock, policy=OutboxPolicy(max_attempts=5))
    for _ in range(180):  # three hours, a run a minute
        await dispatcher.run_once()
        clock.advance(dt.timedelta(minutes=1))
    tries = [at.astimezone(STOCKHOLM).strftime("%H:%M") for who, at in notifier.attempts
             if who == BOARD_CHANNEL and at is not None]
    assert tries == ["09:00", "09:02", "09:06", "09:14", "09:30"]  # 2, 4, 8, 16 minutes apart
    failed = [r for r in reminders(engine) if r.status == "failed"]
    assert [(r.recipient, r.attempts) for r in failed] == [(BOARD_CHANNEL, 5)]
    reports = [p for p in platform.posts if p.recipient == SECRETARY]
    assert len(reports) == 1
    assert "kunde inte levereras till slack:C0BOARD efter 5 försök" in reports[0].text
    assert "channel_not_found" in reports[0].text
    assert "styrelsemöte fredag 2 februari 2024" in reports[0].text


async def test_a_failing_reminder_that_expires_is_reported_not_dropped(engine: Engine) -> None:
    seed_store(engine, personal=False)
    clock = SimClock(local(2024, 2, 1, 8, 55))
    platform = FakePlatform(clock)
    notifier = PlatformNotifier(platform)
    notifier.fail_for = {BOARD_CHANNEL}
    dispatcher = Dispatcher(engine, notifier, clock=clock, policy=OutboxPolicy(max_attempts=50))
    clock.set(local(2024, 2, 1, 9, 0))
    await dispatcher.run_once()  # the 1-day reminder fails once
    clock.set(local(2024, 2, 2, 10, 0))  # the meeting has begun: nothing left worth sending
    await dispatcher.run_once()
    reports = [p for p in platform.posts if p.recipient == SECRETARY]
    assert len(reports) == 1 and "inte längre aktuell" in reports[0].text


# --- moved and cancelled meetings -----------------------------------------------------------


def _move(engine: Engine, org_id: int, old: dt.date, new: MeetingSpec, today: dt.date) -> None:
    with Session(engine, expire_on_commit=False) as session:
        org = session.get(Organisation, org_id)
        assert org is not None
        move_meeting(session, org, old, new, "slack:U0SEC (Ulrika Sahlin)", today)
        session.commit()


async def _run_until(dispatcher: Dispatcher, clock: SimClock, end: dt.datetime) -> None:
    """Runs every three hours from the clock's time (00, 03, … 09, 12 … local from midnight)."""
    while clock.now < end:
        await dispatcher.run_once()
        clock.advance(dt.timedelta(hours=3))


async def test_a_moved_meeting_sends_new_reminders_never_the_old(engine: Engine) -> None:
    seeded = seed_store(engine, personal=False)
    clock = SimClock(local(2024, 1, 25, 0, 0))
    platform = FakePlatform(clock)
    dispatcher = Dispatcher(engine, PlatformNotifier(platform), clock=clock)
    await _run_until(dispatcher, clock, local(2024, 1, 27, 12, 0))
    assert len(platform.posts) == 1  # the 7-day reminder for 2 February
    _move(engine, seeded.org_id, dt.date(2024, 2, 2),
          MeetingSpec(dt.date(2024, 2, 9), dt.time(10), dt.time(12), "Härnösand", None), dt.date(2024, 1, 27))
    await _run_until(dispatcher, clock, local(2024, 2, 10, 0, 0))
    sent = [(p.at.astimezone(STOCKHOLM).strftime("%m-%d %H:%M"), p.text.split(":")[0]) for p in platform.posts]
    assert sent == [
        ("01-26 09:00", "Påminnelse från Samordningsförbundet Härnösand – Timrå"),
        ("01-27 12:00", "Ändrat möte hos Samordningsförbundet Härnösand – Timrå"),
        ("02-02 09:00", "Påminnelse från Samordningsförbundet Härnösand – Timrå"),
        ("02-08 09:00", "Påminnelse från Samordningsförbundet Härnösand – Timrå"),
    ]
    assert "nu styrelsemöte fredag 9 februari 2024 kl. 10.00–12.00, Härnösand" in platform.posts[1].text
    assert "flyttat i chatten av Ulrika Sahlin 2024-01-27" not in platform.posts[1].text  # the plan is the source
    assert "9 februari" in platform.posts[2].text and "9 februari" in platform.posts[3].text
    old = [r for r in reminders(engine) if r.subject.startswith(f"meeting:{seeded.meeting_ids[dt.date(2024, 2, 2)]}:"
                                                                  "2024-02-02")]
    assert sorted(r.status for r in old) == ["cancelled", "sent"]


async def test_a_meeting_moved_away_and_back_is_reminded_once(engine: Engine) -> None:
    seeded = seed_store(engine, personal=False)
    clock = SimClock(local(2024, 1, 20, 0, 0))
    platform = FakePlatform(clock)
    dispatcher = Dispatcher(engine, PlatformNotifier(platform), clock=clock)
    await dispatcher.run_once()
    _move(engine, seeded.org_id, dt.date(2024, 2, 2), MeetingSpec(dt.date(2024, 2, 9), None, None, None, None),
          dt.date(2024, 1, 20))
    await dispatcher.run_once()
    _move(engine, seeded.org_id, dt.date(2024, 2, 9), MeetingSpec(dt.date(2024, 2, 2), None, None, None, None),
          dt.date(2024, 1, 20))
    await _run_until(dispatcher, clock, local(2024, 2, 3, 0, 0))
    assert [p.at.astimezone(STOCKHOLM).strftime("%m-%d %H:%M") for p in platform.posts] == ["01-26 09:00",
                                                                                              "02-01 09:00"]


async def test_a_cancelled_meeting_stops_reminders_and_tells_those_reminded(engine: Engine) -> None:
    seeded = seed_store(engine, personal=False)
    clock = SimClock(local(2024, 1, 26, 0, 0))
    platform = FakePlatform(clock)
    dispatcher = Dispatcher(engine, PlatformNotifier(platform), clock=clock)
    await _run_until(dispatcher, clock, local(2024, 1, 29, 12, 0))
    with Session(engine, expire_on_commit=False) as session:
        org = session.get(Organisation, seeded.org_id)
        assert org is not None
        cancel_meeting(session, org, dt.date(2024, 2, 2), None, "cli")
        session.commit()
    await _run_until(dispatcher, clock, local(2024, 2, 3, 0, 0))
    assert [p.text.split(":")[0] for p in platform.posts] == [
        "Påminnelse från Samordningsförbundet Härnösand – Timrå", "Inställt hos Samordningsförbundet Härnösand – Timrå"]
    assert [p.at for p in platform.posts] == [local(2024, 1, 26, 9, 0), local(2024, 1, 29, 12, 0)]
    with Session(engine) as session:
        meeting = session.get(Meeting, seeded.meeting_ids[dt.date(2024, 2, 2)])
        assert meeting is not None and meeting.status == "cancelled"


# --- two dispatchers on one PostgreSQL ------------------------------------------------------


@pytest.fixture
def pg_url() -> Iterator[str]:
    _require_pg()
    url = new_pg_database()
    try:
        yield url
    finally:
        drop_pg_database(url)


async def test_two_dispatchers_on_one_postgres_deliver_each_reminder_once(pg_url: str) -> None:
    first, second = open_engine(pg_url), open_engine(pg_url)
    try:
        seeded = seed_store(first, personal=True, with_plan=False)
        _add_second_channel(first, seeded.org_id)
        now = local(2024, 3, 1, 9, 0)
        with Session(first) as session:
            org = session.get(Organisation, seeded.org_id)
            assert org is not None
            org.meeting_reminder_days = "60,1"
            for day in range(2, 42):  # forty meetings, each with a reminder due now
                session.add(Meeting(organisation_id=seeded.org_id, date=dt.date(2024, 3, 1) + dt.timedelta(days=day),
                                    kind=f"arbetsmöte {day}", start_time=dt.time(13), place="Timrå"))
            session.commit()
        platform = FakePlatform()
        notifiers = [PlatformNotifier(platform), PlatformNotifier(platform)]
        for n in notifiers:
            n.delay = 0.002
        a = Dispatcher(first, notifiers[0], clock=lambda: now, worker="a")
        b = Dispatcher(second, notifiers[1], clock=lambda: now, worker="b")
        totals: Counter[str] = Counter()
        for _ in range(3):
            for worker, result in zip("ab", await asyncio.gather(a.run_once(), b.run_once()), strict=True):
                totals[worker] += result.sent
        sent_rows = [r for r in reminders(first) if r.status == "sent"]
        posts = Counter((p.recipient, p.text) for p in platform.posts)
        assert len(sent_rows) == 40 * 4  # two channels, Monica and Niklas
        assert len(platform.posts) == len(sent_rows)
        assert max(posts.values()) == 1
        assert {r.platform_message_id for r in sent_rows} == {p.message_id for p in platform.posts}
        assert all(r.status == "sent" for r in reminders(first) if r.due_at <= now)
        assert totals["a"] + totals["b"] == len(sent_rows)
    finally:
        first.dispose()
        second.dispose()
