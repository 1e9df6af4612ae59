"""APScheduler wiring: one interval job that wakes the dispatcher, in one process at a time.

APScheduler only wakes the dispatcher; it never carries a reminder. Its one-off jobs vanish
once submitted and its default misfire grace drops a run that is a second late, so the
reminder table (scheduler/outbox.py) is what remembers. The single job has
`misfire_grace_time=None` (run however late) and `coalesce=True` (many missed runs are one),
and its first run is at start: the catch-up after a restart or an outage.

Only one process dispatches. With PostgreSQL it is the one holding
`pg_try_advisory_lock(REMINDER_LOCK_KEY)` on a dedicated connection; the lock goes with the
connection, so when that process dies another `boardbot serve` takes over at its next tick.
With SQLite a lock file beside the database (fcntl.flock) does the same within one machine.
Each process keeps its own in-memory job store: job stores are never shared.

Settings (environment):
- BOARDBOT_REMINDER_INTERVAL: seconds between runs (default 60);
- BOARDBOT_REMINDER_LOCK_FILE: the SQLite lock file (default: the database file + ".scheduler.lock").
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import fcntl
import logging
from collections.abc import Callable
from pathlib import Path
from typing import IO, Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from scheduler.notifier import Notifier
from scheduler.outbox import Dispatcher, DispatchResult, OutboxPolicy
from storage.settings import get_settings

log = logging.getLogger(__name__)

# "boardbot" in ASCII: one constant every boardbot process agrees on.
REMINDER_LOCK_KEY = 0x626F617264626F74
JOB_ID = "boardbot-reminder-dispatcher"
DEFAULT_INTERVAL_SECONDS = 60


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class LeaderLock(Protocol):
    def acquire(self) -> bool:
        """True while this process may dispatch; tries to take the lock when it does not hold it."""
        ...

    def release(self) -> None: ...


class PostgresAdvisoryLock:
    """A session-level advisory lock on a connection of its own, held until release or death."""

    def __init__(self, engine: Engine, key: int = REMINDER_LOCK_KEY) -> None:
        self.engine = engine
        self.key = key
        self._conn: Connection | None = None

    def acquire(self) -> bool:
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT 1"))
                return True
            except Exception:
                # The server dropped us, and the lock with us: someone else may hold it now.
                log.warning("lost the scheduler's database connection; no longer dispatching", exc_info=True)
                self._drop()
        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}).scalar())
        except Exception:
            conn.invalidate()
            conn.close()
            raise
        if not got:
            conn.close()
            return False
        self._conn = conn
        log.info("this process now dispatches reminders (advisory lock %d)", self.key)
        return True

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                # Closing the real connection ends the session and so releases the lock; a
                # pooled connection would otherwise keep holding it.
                self._conn.invalidate()
                self._conn.close()
        self._conn = None

    def release(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                # Unlock before closing: a closed connection's session ends on the server a moment
                # later, and another process asking in that moment would find the lock still held.
                self._conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
        self._drop()


class FileLock:
    """fcntl.flock on a file next to the SQLite database; the OS releases it when we die."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[bytes] | None = None

    def acquire(self) -> bool:
        if self._file is not None:
            return True
        handle = open(self.path, "ab")  # noqa: SIM115  (kept open while the lock is held)
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._file = handle
        log.info("this process now dispatches reminders (lock file %s)", self.path)
        return True

    def release(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None


class NoLock:
    """An in-memory SQLite store lives in one process only."""

    def acquire(self) -> bool:
        return True

    def release(self) -> None:
        return None


def leader_lock_for(engine: Engine) -> LeaderLock:
    if engine.dialect.name == "postgresql":
        return PostgresAdvisoryLock(engine)
    database = engine.url.database or ""
    if not database or database == ":memory:":
        return NoLock()
    configured = get_settings().reminder_lock_file
    return FileLock(Path(configured) if configured else Path(database + ".scheduler.lock"))


def interval_from_env() -> int:
    return get_settings().reminder_interval


class _RoutineAtDebug(logging.Filter):
    """APScheduler writes "Running job …" and "… executed successfully" at INFO on every run (each
    minute): they are routine, so they count as DEBUG and show only when the log level is DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.INFO:
            return True
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return logging.getLogger().isEnabledFor(logging.DEBUG)


ROUTINE_LOGGERS = ("apscheduler.executors.default", "apscheduler.scheduler")
_ROUTINE_FILTER = _RoutineAtDebug()


def quiet_routine_logs() -> None:
    for name in ROUTINE_LOGGERS:
        logger = logging.getLogger(name)
        if _ROUTINE_FILTER not in logger.filters:
            logger.addFilter(_ROUTINE_FILTER)


class ReminderRunner:
    """Owns the AsyncIOScheduler, the leader lock and the dispatcher of one process."""

    def __init__(self, engine: Engine, notifier: Notifier, *, interval_seconds: int | None = None,
                 clock: Callable[[], dt.datetime] = _utcnow, policy: OutboxPolicy | None = None,
                 lock: LeaderLock | None = None) -> None:
        self.engine = engine
        self.interval_seconds = interval_seconds or interval_from_env()
        self.dispatcher = Dispatcher(engine, notifier, policy=policy, clock=clock)
        self.lock = lock or leader_lock_for(engine)
        self.scheduler: AsyncIOScheduler | None = None
        self._leading = False
        self._busy = asyncio.Lock()

    async def start(self) -> None:
        """Starts the interval job; its first run, right away, is the catch-up."""
        quiet_routine_logs()
        scheduler = AsyncIOScheduler(timezone=dt.UTC)
        scheduler.add_job(
            self.tick, "interval", seconds=self.interval_seconds, id=JOB_ID, name="reminder dispatcher",
            next_run_time=_utcnow(), misfire_grace_time=None, coalesce=True, max_instances=1,
            replace_existing=True,
        )
        scheduler.start()
        self.scheduler = scheduler

    async def tick(self) -> DispatchResult | None:
        """One wake-up: become or stay the dispatcher, then deliver what is due."""
        async with self._busy:
            try:
                leading = await asyncio.to_thread(self.lock.acquire)
            except Exception:
                log.warning("cannot check the scheduler lock; skipping this run", exc_info=True)
                return None
            became_leader = leading and not self._leading
            self._leading = leading
            if not leading:
                return None
            try:
                # A new leader owns every claim and send still open: their processes are gone.
                return await self.dispatcher.run_once(recover_all=became_leader)
            except Exception:
                log.exception("reminder run failed; the next run tries again")
                if became_leader:
                    self._leading = False  # recover everything again next time
                return None

    async def shutdown(self) -> None:
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.scheduler = None
        async with self._busy:
            await asyncio.to_thread(self.lock.release)
            self._leading = False
