"""The outbox: reminder rows that go out exactly once, in every case the code can see.

The plan (scheduler/plan.py) says what should exist; `sync` makes the `reminder` table agree
with it, keyed by (kind, subject, recipient, due_at). The table is the truth: a row that says
'sent' is never sent again, whatever the plan says later.

A row's life:

    pending ──claim──> claimed ──> sending ──send ok──> sent (with the platform message id)
       ^                  │           │
       │   stale claim ───┘           ├─ DeliveryError ──> pending (backoff) ... failed + report
       │                              ├─ any other error ─> unknown (backoff)
       │                              └─ process dies ───> stays 'sending'; recovery: unknown
       └──── plan changes: pending → cancelled (a moved meeting), cancelled → pending (moved back)

- claimed: reserved by one dispatcher (claimed_by = its batch token), not yet tried. Claiming is
  one conditional UPDATE (status='pending' AND id IN …; FOR UPDATE SKIP LOCKED on
  PostgreSQL), so two dispatchers cannot both claim a row. A claim left by a dispatcher that
  is gone was never tried: it goes back to pending (after `claim_timeout`, or at once when a
  new dispatcher takes over the lock).
- sending: committed *before* the platform is called, with attempts+1 and claimed_at. The
  message id is written in the same statement that marks the row sent.
- unknown: a send may or may not have reached the platform (the process died mid-send, or
  the call failed in a way that is not a clean refusal). Slack and Teams offer no idempotency
  key, so this is the one case where a retry could post twice. So each message carries the
  row's key where the platform allows (Slack: message metadata), and before retrying, the
  dispatcher asks the notifier `find_sent(recipient, text, since, key)` when it has one
  (Slack: the conversation's history, by that key); only when that finds nothing, or there is
  no way to look, is it retried, with backoff. A stale 'sending' row that has a message id is simply sent.
- failed: `max_attempts` tries failed. One report goes to the organisation's secretary (a
  'delivery_failed' row, itself in the outbox); nothing is dropped silently.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from scheduler import texts
from scheduler.notifier import DeliveryError, Notifier
from scheduler.plan import PLANNED_KINDS, PlannedReminder, plan, report_recipients
from storage.models import Reminder

log = logging.getLogger(__name__)

PENDING = "pending"
CLAIMED = "claimed"
SENDING = "sending"
SENT = "sent"
UNKNOWN = "unknown"
FAILED = "failed"
CANCELLED = "cancelled"
KIND_DELIVERY_FAILED = "delivery_failed"
_UNKNOWN_TOKEN_MARK = "~u"
_ERROR_CHARS = 1000

R = cast(Table, Reminder.__table__)  # type: ignore[attr-defined]


# Built once: the per-message statements are the hot path when a backlog goes out.
_ANY_DUE = (select(R.c.id).where(R.c.status.in_((PENDING, UNKNOWN)), R.c.due_at <= bindparam("b_now"),
                                 or_(R.c.next_attempt_at.is_(None), R.c.next_attempt_at <= bindparam("b_now")))
            .limit(1))
_TO_SENDING = (update(R).where(R.c.id == bindparam("b_id"), R.c.claimed_by == bindparam("b_token"),
                               R.c.status == CLAIMED)
               .values(status=SENDING, attempts=R.c.attempts + 1, claimed_at=bindparam("b_at")))
_TO_SENT = (update(R).where(R.c.id == bindparam("b_id"), R.c.claimed_by == bindparam("b_token"), R.c.status == SENDING)
            .values(status=SENT, platform_message_id=bindparam("b_mid"), sent_at=bindparam("b_at")))
_TO_SENT_LATE = (update(R).where(R.c.id == bindparam("b_id"), R.c.status.in_((UNKNOWN, PENDING, CLAIMED)))
                 .values(status=SENT, platform_message_id=bindparam("b_mid"), sent_at=bindparam("b_at"),
                         claimed_by=bindparam("b_token")))


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class OutboxPolicy:
    max_attempts: int = 5
    backoff_base: dt.timedelta = dt.timedelta(minutes=2)
    backoff_cap: dt.timedelta = dt.timedelta(hours=1)
    # A claim or a send older than this belongs to a dispatcher that is gone.
    claim_timeout: dt.timedelta = dt.timedelta(minutes=10)
    send_timeout: dt.timedelta = dt.timedelta(minutes=10)
    batch_size: int = 25

    def backoff(self, attempts: int) -> dt.timedelta:
        """2, 4, 8, … minutes after the n-th failed attempt, at most an hour."""
        step = self.backoff_base * (2 ** max(attempts - 1, 0))
        return min(step, self.backoff_cap)


@dataclass
class SyncResult:
    inserted: int = 0
    updated: int = 0
    revived: int = 0
    cancelled: int = 0
    failed: int = 0


@dataclass
class RecoverResult:
    released: int = 0  # stale claims, never tried: pending again
    confirmed_sent: int = 0  # stale sends with a message id: sent
    unknown: int = 0  # stale sends without one: unknown, retried after backoff


@dataclass
class DispatchResult:
    sent: int = 0
    found_already_sent: int = 0
    retried: int = 0
    unknown: int = 0
    failed: int = 0
    sent_ids: list[int] = field(default_factory=list)


def _rowcount(result: Any) -> int:
    """Rows an UPDATE or INSERT touched (a CursorResult's rowcount; -1 means unknown)."""
    return max(getattr(result, "rowcount", 0) or 0, 0)


def _insert(session: Session) -> Any:
    return pg_insert(R) if session.get_bind().dialect.name == "postgresql" else sqlite_insert(R)


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def insert_ignoring_duplicates(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Inserts rows; one whose key exists already (another process was first) is skipped."""
    if not rows:
        return 0
    statement = _insert(session).on_conflict_do_nothing(
        index_elements=["kind", "subject", "recipient", "due_at"])
    result = session.execute(statement, list(rows))
    return _rowcount(result)


# --- sync: make the table agree with the plan ---------------------------------------------


def sync(session: Session, planned: Sequence[PlannedReminder], now: dt.datetime,
         policy: OutboxPolicy | None = None) -> SyncResult:
    """Inserts new planned reminders, refreshes texts of pending ones, cancels pending ones
    the plan no longer holds, and revives cancelled ones it holds again. Never touches a row
    that is being sent or was sent."""
    policy = policy or OutboxPolicy()
    result = SyncResult()
    by_key = {p.key: p for p in planned}
    min_due = min((p.due_at for p in planned), default=now)
    existing = session.execute(
        select(R.c.id, R.c.kind, R.c.subject, R.c.recipient, R.c.due_at, R.c.status, R.c.text, R.c.attempts,
               R.c.organisation_id, R.c.last_error)
        .where(R.c.kind.in_(PLANNED_KINDS),
               or_(R.c.status.in_((PENDING, UNKNOWN)), R.c.due_at >= min_due))
        .order_by(R.c.id)
    ).all()
    seen: set[tuple[str, str, str, dt.datetime]] = set()
    text_updates: list[dict[str, Any]] = []
    revive: list[dict[str, Any]] = []
    cancel: list[int] = []
    give_up: list[Any] = []
    for row in existing:
        key = (row.kind, row.subject, row.recipient, row.due_at)
        seen.add(key)
        wanted = by_key.get(key)
        if wanted is None:
            if row.status in (PENDING, UNKNOWN):
                if row.attempts > 0:
                    # Tried before and still not out: say so rather than dropping it quietly.
                    give_up.append(row)
                else:
                    cancel.append(row.id)
            continue
        if row.status == PENDING and row.text != wanted.text:
            text_updates.append({"b_id": row.id, "b_text": wanted.text})
        elif row.status == CANCELLED:
            revive.append({"b_id": row.id, "b_text": wanted.text})
    new_rows = [
        {"organisation_id": p.organisation_id, "kind": p.kind, "subject": p.subject, "recipient": p.recipient,
         "due_at": p.due_at, "status": PENDING, "attempts": 0, "text": p.text}
        for key, p in sorted(by_key.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2], kv[0][3]))
        if key not in seen
    ]
    result.inserted = insert_ignoring_duplicates(session, new_rows)
    if text_updates:
        session.execute(
            update(R).where(R.c.id == bindparam("b_id"), R.c.status == PENDING).values(text=bindparam("b_text"))
            .execution_options(synchronize_session=False),
            text_updates,
        )
        result.updated = len(text_updates)
    if revive:
        session.execute(
            update(R).where(R.c.id == bindparam("b_id"), R.c.status == CANCELLED)
            .values(status=PENDING, text=bindparam("b_text"), next_attempt_at=None)
            .execution_options(synchronize_session=False),
            revive,
        )
        result.revived = len(revive)
    for chunk_start in range(0, len(cancel), 500):
        chunk = cancel[chunk_start:chunk_start + 500]
        done = session.execute(
            update(R).where(R.c.id.in_(chunk), R.c.status == PENDING).values(status=CANCELLED)
            .execution_options(synchronize_session=False))
        result.cancelled += _rowcount(done)
    for row in give_up:
        done = session.execute(
            update(R).where(R.c.id == row.id, R.c.status.in_((PENDING, UNKNOWN))).values(status=FAILED)
            .execution_options(synchronize_session=False))
        if _rowcount(done):
            result.failed += 1
            _report_failure(session, row.id, row.organisation_id, row.kind, row.recipient, row.text,
                            row.attempts, (row.last_error or "") + " (inte längre aktuell)",
                            maybe_sent=row.status == UNKNOWN, now=now)
    return result


# --- recovery after a restart -------------------------------------------------------------


def recover(session: Session, now: dt.datetime, policy: OutboxPolicy | None = None, *,
            everything: bool = False) -> RecoverResult:
    """Releases what a dispatcher that is gone left half-done.

    `everything=True` is for the process that has just become the only dispatcher (it holds
    the advisory lock or lock file): no claim or send in flight can be anyone else's.
    """
    policy = policy or OutboxPolicy()
    result = RecoverResult()
    claim_before = now if everything else now - policy.claim_timeout
    send_before = now if everything else now - policy.send_timeout
    released = session.execute(
        update(R).where(R.c.status == CLAIMED, R.c.claimed_at <= claim_before)
        .values(status=PENDING, claimed_by=None).execution_options(synchronize_session=False))
    result.released = _rowcount(released)
    confirmed = session.execute(
        update(R).where(R.c.status == SENDING, R.c.claimed_at <= send_before, R.c.platform_message_id.is_not(None))
        .values(status=SENT, sent_at=R.c.claimed_at).execution_options(synchronize_session=False))
    result.confirmed_sent = _rowcount(confirmed)
    stale = session.execute(
        select(R.c.id, R.c.attempts, R.c.claimed_by).where(
            R.c.status == SENDING, R.c.claimed_at <= send_before, R.c.platform_message_id.is_(None))
    ).all()
    if stale:
        session.execute(
            update(R).where(R.c.id == bindparam("b_id"), R.c.status == SENDING,
                            R.c.claimed_by == bindparam("b_token"))
            .values(status=UNKNOWN, next_attempt_at=bindparam("b_next"),
                    last_error="utfallet okänt: processen stannade under sändningen")
            .execution_options(synchronize_session=False),
            [{"b_id": row.id, "b_token": row.claimed_by, "b_next": now + policy.backoff(row.attempts)}
             for row in stale],
        )
        result.unknown = len(stale)
        log.warning("%d reminder(s) were being sent when a dispatcher stopped; retried after backoff "
                    "unless the platform shows them sent", len(stale))
    return result


# --- failure reports ----------------------------------------------------------------------


def _report_failure(session: Session, reminder_id: int, organisation_id: int, kind: str, recipient: str,
                    text: str, attempts: int, error: str | None, *, maybe_sent: bool, now: dt.datetime) -> None:
    if kind == KIND_DELIVERY_FAILED:
        # A report that cannot be delivered is not reported again: that would never end.
        log.error("failure report %s could not be delivered to %s: %s", reminder_id, recipient, error)
        return
    candidates = [r for r in report_recipients(session, organisation_id, now) if r != recipient]
    target = candidates[0] if candidates else "console"
    log.error("reminder %s to %s failed after %d attempt(s): %s; reporting to %s", reminder_id, recipient,
              attempts, error, target)
    insert_ignoring_duplicates(session, [{
        "organisation_id": organisation_id, "kind": KIND_DELIVERY_FAILED, "subject": f"reminder:{reminder_id}",
        "recipient": target, "due_at": now.replace(microsecond=0), "status": PENDING, "attempts": 0,
        "text": texts.delivery_failed(recipient, attempts, error, text, maybe_sent),
    }])


# --- the dispatcher -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Claimed:
    id: int
    organisation_id: int
    kind: str
    recipient: str
    due_at: dt.datetime
    text: str
    attempts: int  # before this attempt
    token: str
    from_unknown: bool

    @property
    def key(self) -> str:
        """The row's identity as the platform keeps it with the message (Slack's metadata)."""
        return f"{self.id}:{self.kind}:{self.due_at.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"


class Dispatcher:
    """Syncs the plan into the outbox and delivers what is due, one row at a time."""

    def __init__(self, engine: Engine, notifier: Notifier, *, policy: OutboxPolicy | None = None,
                 clock: Callable[[], dt.datetime] = _utcnow, worker: str | None = None) -> None:
        self.engine = engine
        self.notifier = notifier
        self.policy = policy or OutboxPolicy()
        self.clock = clock
        self.worker = worker or f"w{uuid.uuid4().hex[:8]}"

    # Database steps run in a worker thread so a slow store never stalls the event loop.

    def prepare(self, now: dt.datetime, *, recover_all: bool = False) -> tuple[RecoverResult, SyncResult]:
        """Recovery, then plan and sync, in one transaction (retried once on a deadlock)."""
        for attempt in (1, 2):
            try:
                with Session(self.engine, expire_on_commit=False) as session:
                    recovered = recover(session, now, self.policy, everything=recover_all)
                    synced = sync(session, plan(session, now), now, self.policy)
                    session.commit()
                    return recovered, synced
            except OperationalError:
                if attempt == 2:
                    raise
                log.warning("outbox sync collided with another writer; trying again", exc_info=True)
        raise AssertionError("unreachable")

    async def run_once(self, *, recover_all: bool = False) -> DispatchResult:
        now = self.clock()
        recovered, synced = await asyncio.to_thread(self.prepare, now, recover_all=recover_all)
        if synced.inserted or synced.cancelled or synced.revived or synced.failed:
            log.info("outbox: %s; %s", synced, recovered)
        return await self.dispatch_due()

    async def dispatch_due(self) -> DispatchResult:
        result = DispatchResult()
        now = self.clock()
        if not await asyncio.to_thread(self._has_due, now):
            return result
        while True:
            token = f"{self.worker}:{uuid.uuid4().hex[:12]}"
            claimed = await asyncio.to_thread(self._claim, now, token)
            await self._deliver_batch(claimed, result)
            if len(claimed) < self.policy.batch_size:
                return result

    def _has_due(self, now: dt.datetime) -> bool:
        """A read before any write: most runs find nothing due and need no transaction."""
        with self.engine.connect() as conn:
            return conn.execute(_ANY_DUE, {"b_now": now}).first() is not None

    def _claim(self, now: dt.datetime, token: str) -> list[_Claimed]:
        out: list[_Claimed] = []
        with Session(self.engine) as session:
            limit = self.policy.batch_size
            for status, row_token in ((UNKNOWN, token + _UNKNOWN_TOKEN_MARK), (PENDING, token)):
                candidates = (
                    select(R.c.id)
                    .where(R.c.status == status, R.c.due_at <= now,
                           or_(R.c.next_attempt_at.is_(None), R.c.next_attempt_at <= now))
                    .order_by(R.c.due_at, R.c.id)
                    .limit(limit)
                )
                if _is_postgres(session):
                    candidates = candidates.with_for_update(skip_locked=True)
                done = session.execute(
                    update(R).where(R.c.id.in_(candidates.scalar_subquery()), R.c.status == status)
                    .values(status=CLAIMED, claimed_by=row_token, claimed_at=now)
                    .execution_options(synchronize_session=False))
                limit -= _rowcount(done)
                if limit <= 0:
                    break
            session.commit()
            rows = session.execute(
                select(R.c.id, R.c.organisation_id, R.c.kind, R.c.recipient, R.c.due_at, R.c.text, R.c.attempts,
                       R.c.claimed_by)
                .where(R.c.status == CLAIMED, R.c.claimed_by.in_((token, token + _UNKNOWN_TOKEN_MARK)))
                .order_by(R.c.due_at, R.c.id)
            ).all()
        for row in rows:
            out.append(_Claimed(row.id, row.organisation_id, row.kind, row.recipient, row.due_at, row.text,
                                row.attempts, row.claimed_by, row.claimed_by.endswith(_UNKNOWN_TOKEN_MARK)))
        return out

    async def _deliver_batch(self, rows: Sequence[_Claimed], result: DispatchResult) -> None:
        """Sends claimed rows one by one.

        Each row is committed as 'sending' before its platform call. The previous row's
        'sent' (with its message id) rides in that same transaction: one commit per message,
        and still nothing is sent before the row before it is recorded.
        """
        sent: tuple[_Claimed, str] | None = None
        for row in rows:
            took = await asyncio.to_thread(self._step, sent, row)
            sent = None
            if not took:
                continue  # recovered by someone else meanwhile: theirs now
            message_id = await self._attempt(row, result)
            if message_id is not None:
                sent = (row, message_id)
        if sent is not None:
            await asyncio.to_thread(self._step, sent, None)

    async def _attempt(self, row: _Claimed, result: DispatchResult) -> str | None:
        """The platform call for a row marked 'sending'; its message id, or None when it failed."""
        attempts = row.attempts + 1
        if row.from_unknown:
            found = await self._find_sent(row)
            if found:
                result.found_already_sent += 1
                return found
        try:
            message_id = await self.notifier.send(row.recipient, row.text, key=row.key)
        except DeliveryError as exc:
            await asyncio.to_thread(self._after_failure, row, attempts, str(exc), False, result)
            return None
        except Exception as exc:
            # Not a clean refusal: the message may have gone out. Never blindly again.
            log.warning("sending reminder %s to %s ended unclearly: %r", row.id, row.recipient, exc)
            await asyncio.to_thread(self._after_failure, row, attempts, f"oklart utfall: {exc!r}", True, result)
            return None
        result.sent += 1
        result.sent_ids.append(row.id)
        return str(message_id) if message_id else "-"

    async def _find_sent(self, row: _Claimed) -> str | None:
        finder = getattr(self.notifier, "find_sent", None)
        if finder is None:
            return None
        try:
            found = await finder(row.recipient, row.text, row.due_at, key=row.key)
        except Exception:
            log.warning("could not look up whether reminder %s went out", row.id, exc_info=True)
            return None
        return str(found) if found else None

    def _step(self, sent: tuple[_Claimed, str] | None, next_row: _Claimed | None) -> bool:
        """One transaction: record the last message sent, and mark the next row 'sending'."""
        now = self.clock()
        with self.engine.begin() as conn:
            if sent is not None:
                self._record_sent(conn, sent[0], sent[1], now)
            if next_row is None:
                return False
            done = conn.execute(_TO_SENDING, {"b_id": next_row.id, "b_token": next_row.token, "b_at": now})
            return _rowcount(done) > 0

    def _record_sent(self, conn: Connection, row: _Claimed, message_id: str, now: dt.datetime) -> None:
        params = {"b_id": row.id, "b_token": row.token, "b_mid": message_id, "b_at": now}
        if _rowcount(conn.execute(_TO_SENT, params)):
            log.info("reminder %s (%s) sent to %s as %s", row.id, row.kind, row.recipient, message_id)
            return
        # Recovery took the row while the platform was slow: it did go out, so record that
        # before anyone retries it.
        late = _rowcount(conn.execute(_TO_SENT_LATE, params))
        log.warning("reminder %s was sent after its claim had been recovered (%s)", row.id,
                    "recorded" if late else "another attempt is in flight")

    def _mine(self, row: _Claimed, status: str) -> Any:
        return and_(R.c.id == row.id, R.c.claimed_by == row.token, R.c.status == status)

    def _after_failure(self, row: _Claimed, attempts: int, error: str, maybe_sent: bool,
                       result: DispatchResult) -> None:
        now = self.clock()
        error = error[:_ERROR_CHARS]
        with Session(self.engine) as session:
            if attempts >= self.policy.max_attempts:
                done = session.execute(update(R).where(self._mine(row, SENDING)).values(
                    status=FAILED, last_error=error).execution_options(synchronize_session=False))
                if _rowcount(done):
                    _report_failure(session, row.id, row.organisation_id, row.kind, row.recipient, row.text,
                                    attempts, error, maybe_sent=maybe_sent or row.from_unknown, now=now)
                    result.failed += 1
            else:
                # Once an attempt may have posted, the row stays 'unknown' so every later try
                # looks before it sends.
                status = UNKNOWN if (maybe_sent or row.from_unknown) else PENDING
                session.execute(update(R).where(self._mine(row, SENDING)).values(
                    status=status, last_error=error, next_attempt_at=now + self.policy.backoff(attempts))
                    .execution_options(synchronize_session=False))
                if status == UNKNOWN:
                    result.unknown += 1
                else:
                    result.retried += 1
                log.warning("reminder %s to %s failed (attempt %d of %d): %s", row.id, row.recipient, attempts,
                            self.policy.max_attempts, error)
            session.commit()
