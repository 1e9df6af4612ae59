"""Teams conversations in the store: where the bot may write, and which activities it has seen.

Conversation references arrive as the JSON dicts of botbuilder's ConversationReference
(camelCase keys); this module stores and finds them without importing botbuilder, so the
command line can use it cheaply.

A channel conversation id carries the thread it was written in
(`19:…@thread.tacv2;messageid=1700000000000`); the store keys a channel by the id without
the thread, so one link covers every thread, and a proactive send starts a new post.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage import events
from storage.db import session_scope
from storage.models import ConversationLink, Organisation, Person, ProcessedEvent

log = logging.getLogger(__name__)

PLATFORM = "teams"
_THREAD_MARK = ";messageid="
GUID_RE = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


def base_conversation_id(conversation_id: str) -> str:
    """The conversation without the thread part: the channel, chat or personal chat."""
    return conversation_id.split(_THREAD_MARK, 1)[0]


def thread_id_of(conversation_id: str) -> str | None:
    """The id of the thread's root post, for a message written in a channel thread."""
    _, _, thread = conversation_id.partition(_THREAD_MARK)
    return thread or None


def is_guid(value: str) -> bool:
    return bool(GUID_RE.match(value))


def claim_event(engine: Engine, conversation_id: str, activity_id: str) -> bool:
    """True for the first delivery of an activity; False for a repeat.

    The unique row decides, so two workers receiving the same retry cannot both answer.
    Activity ids are only unique within a conversation (Teams uses timestamps), hence both.
    """
    event_id = f"{base_conversation_id(conversation_id)}|{activity_id}"
    try:
        with session_scope(engine) as session:
            session.add(ProcessedEvent(platform=PLATFORM, event_id=event_id))
    except IntegrityError:
        return False
    return True


def release_event(engine: Engine, conversation_id: str, activity_id: str) -> None:
    """Forgets a claimed activity whose handling failed, so Teams' retry gets an answer."""
    events.release_event(engine, PLATFORM, f"{base_conversation_id(conversation_id)}|{activity_id}")


def _normalise(reference: dict[str, Any]) -> dict[str, Any]:
    """A reference that addresses the whole conversation, not one activity in it."""
    reference = dict(reference)
    conversation = dict(reference.get("conversation") or {})
    if conversation.get("id"):
        conversation["id"] = base_conversation_id(str(conversation["id"]))
    reference["conversation"] = conversation
    reference.pop("activityId", None)
    return reference


def _person_organisation(session: Session, aad_id: str | None) -> int | None:
    """The organisation of the board member with this AAD id, when there is exactly one."""
    if not aad_id:
        return None
    orgs = {p.organisation_id for p in session.exec(select(Person).where(Person.teams_aad_id == aad_id))}
    return orgs.pop() if len(orgs) == 1 else None


def save_reference(engine: Engine, reference: dict[str, Any], team_id: str | None = None) -> ConversationLink:
    """Stores (or refreshes) the reference of a conversation; keeps any organisation link.

    A new channel of a team inherits the organisation of the team's other channels, and a
    personal chat the organisation of the board member it is with: what a user expects after
    the secretary has linked the team or the person once.
    """
    reference = _normalise(reference)
    conversation_id = str(reference["conversation"]["id"])
    text = json.dumps(reference, ensure_ascii=False, sort_keys=True)
    for attempt in (1, 2):
        try:
            with session_scope(engine) as session:
                link = session.exec(
                    select(ConversationLink).where(
                        ConversationLink.platform == PLATFORM,
                        ConversationLink.conversation_id == conversation_id,
                    )
                ).first()
                if link is None:
                    link = ConversationLink(platform=PLATFORM, conversation_id=conversation_id)
                    session.add(link)
                # Unchanged values issue no UPDATE, so refreshing on every message is cheap.
                link.reference = text
                link.team_id = team_id or link.team_id
                if link.organisation_id is None:
                    link.organisation_id = _inherited_organisation(session, link, reference)
                return link
        except IntegrityError:
            # Another worker stored the same new conversation a moment earlier: update theirs.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _inherited_organisation(session: Session, link: ConversationLink, reference: dict[str, Any]) -> int | None:
    if link.team_id:
        sibling = session.exec(
            select(ConversationLink).where(
                ConversationLink.platform == PLATFORM,
                ConversationLink.team_id == link.team_id,
                col(ConversationLink.organisation_id).is_not(None),
            )
        ).first()
        if sibling is not None:
            return sibling.organisation_id
    if (reference.get("conversation") or {}).get("conversationType") == "personal":
        return _person_organisation(session, (reference.get("user") or {}).get("aadObjectId"))
    return None


def forget_reference(engine: Engine, conversation_id: str) -> None:
    """The app was removed: keep the organisation link, drop what proactive sends would use."""
    with session_scope(engine) as session:
        link = session.exec(
            select(ConversationLink).where(
                ConversationLink.platform == PLATFORM,
                ConversationLink.conversation_id == base_conversation_id(conversation_id),
            )
        ).first()
        if link is not None:
            link.reference = None


def load_reference(engine: Engine, address: str) -> dict[str, Any] | None:
    """The stored reference for a conversation id, or for a person's AAD object id (their
    personal chat with the bot)."""
    with Session(engine) as session:
        if is_guid(address):
            return personal_reference(session, address)
        link = session.exec(
            select(ConversationLink).where(
                ConversationLink.platform == PLATFORM,
                ConversationLink.conversation_id == base_conversation_id(address),
            )
        ).first()
        if link is None or not link.reference:
            return None
        loaded: dict[str, Any] = json.loads(link.reference)
        return loaded


def personal_reference(session: Session, aad_id: str) -> dict[str, Any] | None:
    """The reference of the personal chat between the bot and this AAD user, if there is one."""
    candidates = session.exec(
        select(ConversationLink).where(
            ConversationLink.platform == PLATFORM,
            col(ConversationLink.reference).contains(aad_id),
        )
    ).all()
    for link in candidates:
        reference: dict[str, Any] = json.loads(link.reference or "{}")
        conversation = reference.get("conversation") or {}
        user = reference.get("user") or {}
        if conversation.get("conversationType") == "personal" and user.get("aadObjectId") == aad_id:
            return reference
    return None


def link_conversation(session: Session, conversation_id: str, organisation: Organisation) -> tuple[bool, int]:
    """Links a conversation (or a whole team, by its team id) to an organisation.

    Returns whether the conversation was known already, and how many other channels of the
    same team were linked along with it.
    """
    conversation_id = base_conversation_id(conversation_id)
    link = session.exec(
        select(ConversationLink).where(
            ConversationLink.platform == PLATFORM, ConversationLink.conversation_id == conversation_id
        )
    ).first()
    known = link is not None
    if link is None:
        link = ConversationLink(platform=PLATFORM, conversation_id=conversation_id)
        session.add(link)
    link.organisation_id = organisation.id
    siblings = session.exec(
        select(ConversationLink).where(
            ConversationLink.platform == PLATFORM,
            ConversationLink.team_id == conversation_id,
            ConversationLink.conversation_id != conversation_id,
        )
    ).all()
    for sibling in siblings:
        sibling.organisation_id = organisation.id
    return known, len(siblings)


def adopt_personal_chat(session: Session, person: Person) -> bool:
    """After a person is linked: their personal chat with the bot answers for their organisation."""
    if not person.teams_aad_id:
        return False
    reference = personal_reference(session, person.teams_aad_id)
    if reference is None:
        return False
    link = session.exec(
        select(ConversationLink).where(
            ConversationLink.platform == PLATFORM,
            ConversationLink.conversation_id == str(reference["conversation"]["id"]),
        )
    ).first()
    if link is None or link.organisation_id is not None:
        return False
    link.organisation_id = person.organisation_id
    return True
