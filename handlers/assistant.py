"""The one entry point of handlers/: a Message in, a Reply out.

bot/ calls `Assistant.handle` for every platform; nothing here knows Slack or Teams.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from handlers import commands as _commands  # noqa: F401  (registers the commands)
from handlers.answers import answer_question
from handlers.context import Context
from handlers.language import detect_language
from handlers.messages import Message, Reply
from handlers.registry import ACTIONS, ANCHORS, THREAD_HANDLERS, match_command
from storage import clock
from storage.models import ConversationLink, Organisation, Person
from storage.organisations import organisations_matching

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000


def _now() -> dt.datetime:
    return clock.now()


def find_organisation(session: Session, hint: str) -> Organisation | None:
    """The organisation whose name contains `hint` (case-insensitive), if exactly one does."""
    matches = organisations_matching(session, hint)
    return matches[0] if len(matches) == 1 else None


def linked_organisation(session: Session, message: Message) -> Organisation | None:
    if message.organisation_hint:
        return find_organisation(session, message.organisation_hint)
    if message.conversation_id and message.platform in ("slack", "teams"):
        link = session.exec(
            select(ConversationLink).where(
                ConversationLink.platform == message.platform,
                ConversationLink.conversation_id == message.conversation_id,
            )
        ).first()
        if link and link.organisation_id:
            return session.get(Organisation, link.organisation_id)
    return None


def identify(session: Session, message: Message, organisation: Organisation | None) -> Person | None:
    """The board member behind a platform user: by stored Slack or Teams id."""
    if not message.user_id:
        return None
    if message.platform == "slack":
        column = Person.slack_user_id
    elif message.platform == "teams":
        column = Person.teams_aad_id
    else:
        return None
    query = select(Person).where(column == message.user_id)
    if organisation is not None:
        query = query.order_by(col(Person.organisation_id) != organisation.id)
    return session.exec(query).first()


class Assistant:
    def __init__(self, engine: Engine, clock: Callable[[], dt.datetime] = _now) -> None:
        self.engine = engine
        self.clock = clock

    def handle(self, message: Message) -> Reply:
        """Always a Reply: a failure becomes a short apology, never a traceback in chat."""
        language = detect_language(message.text or "")
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                reply = self._handle(session, message, language)
                session.commit()
                return reply
        except Exception:
            log.exception("handling %r failed", (message.text or "")[:200])
            return Reply(
                text="Something went wrong on my side; nothing was changed. Please try again."
                if language == "en"
                else "Något gick fel hos mig; inget har ändrats. Försök gärna igen.",
                answered=False,
                language=language,
            )

    def anchor_posted(self, anchor: str, platform: str, channel_id: str, message_id: str) -> None:
        """Called by an adapter once a Reply with `anchor` is posted, with where it landed."""
        prefix, _, value = anchor.partition(":")
        fn = ANCHORS.get(prefix)
        if fn is None:
            return
        with Session(self.engine, expire_on_commit=False) as session:
            fn(session, value, platform, channel_id, message_id)
            session.commit()

    def _handle(self, session: Session, message: Message, language: str) -> Reply:
        organisation = linked_organisation(session, message)
        ctx = Context(
            session=session,
            message=message,
            now=self.clock(),
            language=language,
            organisation=organisation,
            person=identify(session, message, organisation),
        )
        if message.action_id:
            fn = ACTIONS.get(message.action_id)
            if fn is None:
                return Reply(ctx.t("Den knappen känner jag inte igen.", "I do not know that button."),
                             answered=False, language=language)
            return fn(ctx, message.action_value or "")
        text = (message.text or "").strip()
        if not text:
            return Reply(ctx.t("Skriv en fråga, eller \"hjälp\" för exempel.",
                               "Type a question, or \"help\" for examples."), answered=False,
                         language=language)
        if len(text) > MAX_QUESTION_CHARS:
            return Reply(ctx.t(f"Frågan är för lång (högst {MAX_QUESTION_CHARS} tecken).",
                               f"The question is too long (at most {MAX_QUESTION_CHARS} characters)."),
                         answered=False, language=language)
        if message.thread_id:
            for thread_fn in THREAD_HANDLERS:
                thread_reply = thread_fn(ctx)
                if thread_reply is not None:
                    return thread_reply
        matched = match_command(text)
        if matched is not None:
            cmd, rest = matched
            return cmd.fn(ctx, rest)
        return answer_question(ctx)
