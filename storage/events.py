"""What chat adapters remember about deliveries: events already handled, threads the bot is in.

Both are unique rows, so two processes (or a restart) agree: the first insert wins, and a
platform's retry or a second copy of the same message finds the row already there.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from storage.models import BotThread, ProcessedEvent


def claim_event(engine: Engine, platform: str, event_id: str) -> bool:
    """True for exactly one caller per (platform, event_id): the one that should act on it."""
    with Session(engine) as session:
        session.add(ProcessedEvent(platform=platform, event_id=event_id))
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            return False
    return True


def release_event(engine: Engine, platform: str, event_id: str) -> None:
    """Forgets a claim whose action failed, so that a later attempt may act on it."""
    with Session(engine) as session:
        for row in session.exec(select(ProcessedEvent).where(ProcessedEvent.platform == platform,
                                                             ProcessedEvent.event_id == event_id)):
            session.delete(row)
        session.commit()


def remember_thread(engine: Engine, platform: str, conversation_id: str, thread_id: str) -> None:
    """Records that the bot posted in this thread (idempotent)."""
    if is_bot_thread(engine, platform, conversation_id, thread_id):
        return
    with Session(engine) as session:
        session.add(BotThread(platform=platform, conversation_id=conversation_id, thread_id=thread_id))
        try:
            session.commit()
        except IntegrityError:  # another worker recorded it a moment ago
            session.rollback()


def is_bot_thread(engine: Engine, platform: str, conversation_id: str, thread_id: str) -> bool:
    with Session(engine) as session:
        row = session.exec(
            select(BotThread.id).where(
                BotThread.platform == platform,
                BotThread.conversation_id == conversation_id,
                BotThread.thread_id == thread_id,
            )
        ).first()
    return row is not None
