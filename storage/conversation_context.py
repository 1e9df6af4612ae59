"""The last question understood per conversation and thread: written after an answer, read
(while fresh) to continue a follow-up such as "och 2022?"."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from storage.models import ConversationContext


def recall(session: Session, platform: str, conversation_id: str, thread_id: str, now: dt.datetime,
           ttl: dt.timedelta) -> ConversationContext | None:
    """The context of this conversation/thread if it was written within `ttl` of `now`."""
    row = session.exec(select(ConversationContext).where(
        ConversationContext.platform == platform, ConversationContext.conversation_id == conversation_id,
        ConversationContext.thread_id == thread_id)).first()
    if row is None or row.updated_at < now - ttl:
        return None
    return row


def remember(session: Session, platform: str, conversation_id: str, thread_ids: list[str], *, question: str,
             named: str, dates: str, organisation_id: int | None, now: dt.datetime) -> None:
    """Keeps `question` as the context of each of `thread_ids` (replacing what was there)."""
    for thread_id in dict.fromkeys(thread_ids):
        row = session.exec(select(ConversationContext).where(
            ConversationContext.platform == platform, ConversationContext.conversation_id == conversation_id,
            ConversationContext.thread_id == thread_id)).first()
        if row is None:
            row = ConversationContext(platform=platform, conversation_id=conversation_id, thread_id=thread_id,
                                      question=question)
        row.question, row.named, row.dates = question, named, dates
        row.organisation_id, row.updated_at = organisation_id, now
        session.add(row)
