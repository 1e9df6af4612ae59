"""Reminder speed: plan for 10 000 meetings, and recover 10 000 pending reminders after a restart.

    .venv/bin/python scripts/bench_reminders.py [--url postgresql+psycopg://…] [--meetings 10000]

Prints seconds for each step; the aim is under 2 s for planning and for recovery. Without
--url it uses a fresh SQLite file in a temporary folder. A PostgreSQL URL must name an empty
database created for the benchmark (its tables are made here).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from scheduler.outbox import Dispatcher, sync
from scheduler.plan import due_at, local_moment, plan
from storage.db import open_engine, upgrade
from storage.models import ConversationLink, Meeting, Organisation, Reminder

ORGANISATIONS = 40
NOW = local_moment(dt.date(2025, 1, 7), dt.time(10, 0))


class NullNotifier:
    """Accepts everything at once: measures the outbox, not a platform."""

    platform = "any"

    def __init__(self) -> None:
        self.count = 0

    async def send(self, recipient: str, text: str, key: str | None = None) -> str:
        self.count += 1
        return f"null-{self.count}"


def build(engine: Engine, meetings: int, reminder_days: str) -> None:
    per_org = meetings // ORGANISATIONS
    with Session(engine) as session:
        for o in range(ORGANISATIONS):
            org = Organisation(name=f"Samordningsförbundet {o:02d}", meeting_reminder_days=reminder_days)
            session.add(org)
            session.flush()
            assert org.id is not None
            session.add(ConversationLink(platform="slack", conversation_id=f"C{o:05d}", organisation_id=org.id))
            session.add_all([
                Meeting(organisation_id=org.id, date=NOW.date() + dt.timedelta(days=2 + d), start_time=dt.time(9),
                        end_time=dt.time(12), place="Timrå", agenda="1. Mötets öppnande\n2. Val av justerare")
                for d in range(per_org)
            ])
        session.commit()


def timed(label: str, fn: object) -> object:
    start = time.perf_counter()
    result = fn()  # type: ignore[operator]
    print(f"{label:<58} {time.perf_counter() - start:6.2f} s")
    return result


def count(engine: Engine, status: str | None = None) -> int:
    with Session(engine) as session:
        query = select(func.count()).select_from(Reminder)
        if status:
            query = query.where(Reminder.status == status)  # type: ignore[arg-type]
        return int(session.execute(query).scalar_one())


def bench_planning(url: str, meetings: int) -> None:
    engine = open_engine(url)
    build(engine, meetings, "7,1")
    print(f"-- planning: {meetings} meetings in {ORGANISATIONS} organisations, one channel each")
    with Session(engine) as session:
        planned = timed("plan(session, now)", lambda: plan(session, NOW))
    print(f"   {len(planned)} reminders planned")  # type: ignore[arg-type]
    with Session(engine) as session:
        timed("sync into an empty outbox (insert all)", lambda: (sync(session, planned, NOW), session.commit()))  # type: ignore[arg-type]
    with Session(engine) as session:
        timed("plan + sync again, nothing changed (a normal run)", lambda: (sync(session, plan(session, NOW), NOW),
                                                                            session.commit()))
    engine.dispose()


def bench_recovery(url: str, meetings: int) -> None:
    engine = open_engine(url)
    # A reminder 300 days before every meeting: after a long outage all of them are due.
    build(engine, meetings, "300,1")
    with Session(engine) as session:
        sync(session, plan(session, NOW), NOW)
        session.commit()
        assert len(due_at(plan(session, NOW), NOW)) == meetings
        # The process that died had claimed some due rows and was sending others.
        ids = [row[0] for row in session.execute(
            select(Reminder.id).where(Reminder.due_at <= NOW).order_by(Reminder.id)).all()]  # type: ignore[arg-type,operator]
        session.execute(update(Reminder).where(Reminder.id.in_(ids[:2000])).values(  # type: ignore[union-attr]
            status="claimed", claimed_by="dead:1", claimed_at=NOW - dt.timedelta(minutes=1)))
        session.execute(update(Reminder).where(Reminder.id.in_(ids[2000:2500])).values(  # type: ignore[union-attr]
            status="sending", claimed_by="dead:1", claimed_at=NOW - dt.timedelta(minutes=1), attempts=1))
        session.commit()
    print(f"-- recovery: {meetings} due reminders: {count(engine, 'claimed')} claimed and {count(engine, 'sending')} "
          f"sending rows left by a dead process, the rest pending ({count(engine)} rows in the outbox)")
    dispatcher = Dispatcher(engine, NullNotifier(), clock=lambda: NOW)
    recovered, _synced = timed("restart: recover + plan + sync (the catch-up run's first step)",
                              lambda: dispatcher.prepare(NOW, recover_all=True))  # type: ignore[misc]
    print(f"   {recovered}")
    result = timed("deliver every due row through a no-op notifier", lambda: asyncio.run(dispatcher.dispatch_due()))
    print(f"   sent {result.sent} (one commit each); {count(engine, 'unknown')} rows whose send was cut off "  # type: ignore[attr-defined]
          "wait for their backoff and a look at the platform")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--meetings", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for step, bench in (("plan", bench_planning), ("recover", bench_recovery)):
            url = args.url
            if url is None:
                url = f"sqlite:///{folder}/{step}.db"
                upgrade(url)
            elif step == "recover":
                print("(PostgreSQL: recovery reuses the database; run it on an empty one per step)")
                return
            else:
                upgrade(url)
            bench(url, args.meetings)


if __name__ == "__main__":
    main()
