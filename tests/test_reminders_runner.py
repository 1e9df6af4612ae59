"""The APScheduler wiring and the one-dispatcher-at-a-time locks."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from scheduler.runner import JOB_ID, FileLock, PostgresAdvisoryLock, ReminderRunner, leader_lock_for
from storage.db import open_engine
from tests.conftest import PG_URL, _require_pg, drop_pg_database, new_pg_database
from tests.reminder_helpers import BOARD_CHANNEL, FakePlatform, PlatformNotifier, SimClock, local, seed_store


async def _wait_for(condition: object, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():  # type: ignore[operator]
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.05)


async def test_one_interval_job_that_never_drops_a_late_run_and_catches_up_at_start(
        engine: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    seed_store(engine, personal=False)
    clock = SimClock(local(2024, 1, 26, 9, 5))  # started five minutes after a reminder fell due
    platform = FakePlatform(clock)
    lock = FileLock(tmp_path / "lock") if engine.dialect.name == "sqlite" else PostgresAdvisoryLock(engine)
    runner = ReminderRunner(engine, PlatformNotifier(platform), interval_seconds=3600, clock=clock, lock=lock)
    caplog.set_level(logging.INFO)
    await runner.start()
    try:
        await _wait_for(lambda: len(platform.posts) == 1)
        # The scheduler's routine lines ("Running job …") are DEBUG: `serve` at INFO stays quiet.
        assert not [r for r in caplog.records if r.name.startswith("apscheduler") and r.levelno >= logging.INFO]
        assert runner.scheduler is not None
        jobs = runner.scheduler.get_jobs()
        assert [j.id for j in jobs] == [JOB_ID]
        job = jobs[0]
        assert job.misfire_grace_time is None and job.coalesce is True and job.max_instances == 1
        assert job.trigger.interval == dt.timedelta(hours=1)
        assert platform.posts[0].recipient == BOARD_CHANNEL
        # A tick with nothing new sends nothing again.
        await runner.tick()
        assert len(platform.posts) == 1
    finally:
        await runner.shutdown()


def test_lock_file_lets_one_process_dispatch_until_it_lets_go(tmp_path: Path) -> None:
    first, second = FileLock(tmp_path / "s.lock"), FileLock(tmp_path / "s.lock")
    assert first.acquire() and first.acquire()
    assert not second.acquire()
    first.release()
    assert second.acquire()
    second.release()


def test_sqlite_store_gets_a_lock_file_beside_it(sqlite_engine: Engine) -> None:
    lock = leader_lock_for(sqlite_engine)
    assert isinstance(lock, FileLock)
    assert str(lock.path).endswith("store.db.scheduler.lock")


@pytest.fixture
def pg_url() -> Iterator[str]:
    _require_pg()
    url = new_pg_database()
    try:
        yield url
    finally:
        drop_pg_database(url)


def test_advisory_lock_passes_to_another_process_when_the_holder_dies(pg_url: str) -> None:
    first_engine, second_engine = open_engine(pg_url), open_engine(pg_url)
    try:
        first, second = PostgresAdvisoryLock(first_engine), PostgresAdvisoryLock(second_engine)
        assert first.acquire()
        assert not second.acquire()
        # The holder's connection dies (process killed, network gone): the server ends its session.
        assert first._conn is not None
        pid = first._conn.connection.dbapi_connection.info.backend_pid  # type: ignore[union-attr]
        assert PG_URL
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            # With a timeout the call waits until the session has ended (and its locks are gone):
            # without one it only sends the signal, and a loaded server may still hold the lock.
            conn.execute(text("SELECT pg_terminate_backend(:pid, 10000)"), {"pid": pid})
        admin.dispose()
        assert second.acquire()
        assert not first.acquire()  # notices it lost the lock, and cannot take it back
        second.release()
        assert first.acquire()
        first.release()
    finally:
        first_engine.dispose()
        second_engine.dispose()


async def test_two_serve_processes_on_postgres_one_dispatches_then_the_other_takes_over(pg_url: str) -> None:
    engines = [open_engine(pg_url), open_engine(pg_url)]
    try:
        seed_store(engines[0], personal=False)
        clock = SimClock(local(2024, 1, 26, 9, 0))
        platform = FakePlatform(clock)
        runners = [ReminderRunner(e, PlatformNotifier(platform), interval_seconds=60, clock=clock) for e in engines]
        results = [await runners[0].tick(), await runners[1].tick()]
        assert results[0] is not None and results[0].sent == 1
        assert results[1] is None  # not the leader: did nothing
        await runners[0].shutdown()  # the first process stops
        clock.set(local(2024, 2, 1, 9, 0))
        taken_over = await runners[1].tick()
        assert taken_over is not None and taken_over.sent == 1
        assert [p.at for p in platform.posts] == [local(2024, 1, 26, 9, 0), local(2024, 2, 1, 9, 0)]
        await runners[1].shutdown()
    finally:
        for e in engines:
            e.dispose()
