"""The Teams bot: a thin ActivityHandler between Teams activities and Assistant.handle.

It turns personal chats, @mentions in channels, group chats and card buttons into a
platform-neutral Message, and the Reply back into an Adaptive Card. It decides nothing about
the answer. Each activity id is handled once, however often Teams delivers it.
"""

from __future__ import annotations

import asyncio
import copy
import html
import json
import logging
import re
from typing import Any

from botbuilder.core import ActivityHandler, InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    ConversationParameters,
    ResourceResponse,
)
from sqlmodel import Session

from bot.services import Services
from bot.teams.cards import reply_activity
from bot.teams.notifier import send_to_reference
from bot.teams.references import (
    base_conversation_id,
    claim_event,
    forget_reference,
    is_guid,
    load_reference,
    release_event,
    save_reference,
    thread_id_of,
)
from bot.teams.service_urls import ServiceUrlPolicy
from bot.teams.text import escape
from handlers.messages import Followup, Message, Reply
from storage.models import Person

log = logging.getLogger(__name__)

PLATFORM = "teams"
MESSAGE_RESPONSE = "application/vnd.microsoft.activity.message"
# Activities that cause a reply or a write: a repeated delivery of these is dropped.
_ONCE = {ActivityTypes.message, ActivityTypes.invoke, ActivityTypes.conversation_update,
         ActivityTypes.installation_update}
_AT_TAG = re.compile(r"<at>(.*?)</at>", re.IGNORECASE | re.DOTALL)
UNKNOWN_ACTION = "(okänd knapp)"


def _t(language: str, sv: str, en: str) -> str:
    return en if language == "en" else sv


def _mentions(activity: Activity) -> list[tuple[str, str, str]]:
    """(tag text, mentioned id, name) of each @mention in the activity."""
    found: list[tuple[str, str, str]] = []
    for entity in activity.entities or []:
        extra = getattr(entity, "additional_properties", None) or {}
        mentioned = extra.get("mentioned")
        if (getattr(entity, "type", "") or "").lower() != "mention" or not isinstance(mentioned, dict):
            continue
        name = str(mentioned.get("name") or "")
        found.append((str(extra.get("text") or f"<at>{name}</at>"), str(mentioned.get("id") or ""), name))
    return found


def clean_text(activity: Activity, people: dict[str, str] | None = None) -> str:
    """The text the user typed, without the @mention of the bot and Teams' markup.

    Other people's @mentions become "@<AAD object id>" where `people` knows it (as Slack gives
    handlers "<@U123>", so `person @user Name` works the same), else their plain name.
    """
    text = activity.text or ""
    bot_id = activity.recipient.id if activity.recipient else None
    if bot_id and activity.entities:
        try:
            text = TurnContext.remove_recipient_mention(activity) or ""
        except (KeyError, AttributeError, TypeError, re.error):
            # A malformed mention entity, or a bot name that is not a valid pattern for
            # botbuilder's regex: the exact tag is removed below instead.
            text = activity.text or ""
    for tag, mentioned_id, _ in _mentions(activity):
        if mentioned_id == bot_id:
            text = text.replace(tag, " ")
        elif people and mentioned_id in people:
            text = text.replace(tag, f"@{people[mentioned_id]}")
    text = _AT_TAG.sub(lambda m: m.group(1), text)
    text = html.unescape(text).replace("\xa0", " ")
    return "\n".join(" ".join(line.split()) for line in text.strip().splitlines()).strip()


def _action_from(data: Any) -> tuple[str | None, str]:
    """The action_id and value a card button carries ({"action_id": …, "value": …})."""
    if not isinstance(data, dict):
        return None, ""
    action_id = data.get("action_id")
    value = data.get("value", "")
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False)
    return (str(action_id) if action_id else None), value


def _team_id(channel_data: Any) -> str | None:
    if isinstance(channel_data, dict):
        team = channel_data.get("team")
        if isinstance(team, dict) and team.get("id"):
            return str(team["id"])
    return None


def _conversation_type(activity: Activity) -> str:
    conversation = activity.conversation
    return (conversation.conversation_type if conversation else None) or "personal"


def welcome(language: str = "sv") -> Reply:
    return Reply(
        _t(language,
           "Hej! Jag är styrelsens assistent. Fråga mig om beslut, insatser, budget, möten och "
           "justering, så svarar jag med källa. Skriv \"hjälp\" för exempel. I en kanal skriver "
           "du @ och mitt namn före frågan.",
           "Hello! I am the board's assistant. Ask me about decisions, grants, budgets, meetings "
           "and justering, and I answer with the source. Type \"help\" for examples. In a "
           "channel, @mention me before the question."),
        language=language,
    )


class BoardBot(ActivityHandler):
    def __init__(self, services: Services, app_id: str | None, policy: ServiceUrlPolicy | None = None) -> None:
        super().__init__()
        self.services = services
        self.engine = services.engine
        self.assistant = services.assistant
        self.app_id = app_id
        self.policy = policy or ServiceUrlPolicy.from_settings(services.settings)

    # --- the turn ---------------------------------------------------------------------------

    async def on_turn(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        if activity.type in _ONCE and activity.id and activity.conversation and activity.conversation.id:
            first = await asyncio.to_thread(claim_event, self.engine, activity.conversation.id, activity.id)
            if not first:
                log.info("Teams: activity %s in %s delivered again; already handled",
                         activity.id, activity.conversation.id)
                if activity.type == ActivityTypes.invoke:
                    # Answer the retry so Teams does not show the user an error.
                    await turn_context.send_activity(Activity(
                        type=ActivityTypes.invoke_response,
                        value=InvokeResponse(status=200, body={
                            "statusCode": 200, "type": MESSAGE_RESPONSE,
                            "value": "Redan mottaget." if activity.locale != "en-US" else "Already received.",
                        }),
                    ))
                return
            try:
                await super().on_turn(turn_context)
            except Exception:
                # Nothing (or not all) reached the user: let the platform's retry try again.
                await asyncio.to_thread(release_event, self.engine, activity.conversation.id, activity.id)
                raise
            return
        await super().on_turn(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        await self._remember(turn_context)
        text = clean_text(activity, await self._people_mentioned(turn_context))
        if not text and isinstance(activity.value, dict):
            # Action.Submit: a message without text whose value is the button's data.
            action_id, value = _action_from(activity.value)
            message = self._message(activity, "", action_id or UNKNOWN_ACTION, value)
        else:
            message = self._message(activity, text)
        reply = await asyncio.to_thread(self.assistant.handle, message)
        await self._deliver(turn_context, message, reply)

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse | None:
        if turn_context.activity.name == "adaptiveCard/action":
            return await self._card_action(turn_context)
        return await super().on_invoke_activity(turn_context)

    async def _card_action(self, turn_context: TurnContext) -> InvokeResponse:
        """Action.Execute: handled like a Slack button; the answer is posted in the conversation
        and the invoke response confirms it to the person who clicked."""
        activity = turn_context.activity
        action = activity.value.get("action") if isinstance(activity.value, dict) else None
        if not isinstance(action, dict) or action.get("type") != "Action.Execute":
            return InvokeResponse(status=400, body={
                "statusCode": 400, "type": "application/vnd.microsoft.error",
                "value": {"code": "BadRequest", "message": "value.action must be an Action.Execute"},
            })
        await self._remember(turn_context)
        action_id, value = _action_from(action.get("data"))
        message = self._message(activity, "", action_id or action.get("verb") or UNKNOWN_ACTION, value)
        reply = await asyncio.to_thread(self.assistant.handle, message)
        # The invoke response below is shown to the clicker alone: a private answer needs no
        # "answered you privately" notice in the channel for everyone to read.
        await self._deliver(turn_context, message, reply, announce_private=False)
        first_line = reply.text.strip().split("\n", 1)[0]
        return InvokeResponse(status=200, body={
            "statusCode": 200,
            "type": MESSAGE_RESPONSE,
            "value": first_line if len(first_line) <= 200 else first_line[:199] + "…",
        })

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        if any(m.id == bot_id for m in activity.members_removed or []):
            await asyncio.to_thread(forget_reference, self.engine, activity.conversation.id)
            return
        await self._remember(turn_context)
        if any(m.id == bot_id for m in activity.members_added or []):
            language = "en" if (activity.locale or "").lower().startswith("en") else "sv"
            await turn_context.send_activity(reply_activity(welcome(language)))

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        await self._remember(turn_context)

    async def on_installation_update_remove(self, turn_context: TurnContext) -> None:
        await asyncio.to_thread(forget_reference, self.engine, turn_context.activity.conversation.id)

    # --- in ---------------------------------------------------------------------------------

    def _message(self, activity: Activity, text: str, action_id: str | None = None,
                 action_value: str | None = None) -> Message:
        conversation_id = activity.conversation.id if activity.conversation else ""
        sender = activity.from_property
        return Message(
            text=text,
            platform=PLATFORM,
            user_id=(sender.aad_object_id or sender.id) if sender else None,
            user_name=sender.name if sender else None,
            conversation_id=base_conversation_id(conversation_id) if conversation_id else None,
            thread_id=thread_id_of(conversation_id) if conversation_id else None,
            action_id=action_id,
            action_value=action_value,
        )

    async def _people_mentioned(self, turn_context: TurnContext) -> dict[str, str]:
        """Mentioned user id -> AAD object id, asked of Teams (mentions carry only the 29:… id)."""
        activity = turn_context.activity
        bot_id = activity.recipient.id if activity.recipient else None
        people: dict[str, str] = {}
        for _, mentioned_id, _ in _mentions(activity):
            if not mentioned_id or mentioned_id == bot_id or mentioned_id in people:
                continue
            if is_guid(mentioned_id):
                people[mentioned_id] = mentioned_id.lower()
                continue
            try:
                member = await TeamsInfo.get_member(turn_context, mentioned_id)
            except Exception as exc:
                # A tag or channel mention, or Teams unreachable: the name stays in the text.
                log.info("Teams: cannot look up mentioned %s: %s", mentioned_id, exc)
                continue
            if member is not None and member.aad_object_id:
                people[mentioned_id] = str(member.aad_object_id).lower()
        return people

    async def _remember(self, turn_context: TurnContext) -> None:
        """Keeps the conversation's reference, so the scheduler can write here later."""
        activity = turn_context.activity
        if not activity.conversation or not activity.conversation.id or not activity.service_url:
            return
        reference = TurnContext.get_conversation_reference(activity).serialize()
        await asyncio.to_thread(save_reference, self.engine, reference, _team_id(activity.channel_data))

    # --- out --------------------------------------------------------------------------------

    async def _deliver(self, turn_context: TurnContext, message: Message, reply: Reply, *,
                       announce_private: bool = True) -> None:
        activity = turn_context.activity
        card = reply_activity(reply, self.services.served.publish)
        if reply.private and _conversation_type(activity) != "personal":
            delivered = await self._send_privately(turn_context, card)
            if announce_private:
                await turn_context.send_activity(Activity(type=ActivityTypes.message, text=_t(
                    reply.language,
                    "Jag har svarat dig i en privat chatt." if delivered else
                    "Svaret är bara till dig, men jag kunde inte öppna en privat chatt. Skriv till mig "
                    "direkt i stället.",
                    "I have answered you in a private chat." if delivered else
                    "The answer is for you only, but I could not open a private chat. Please write to "
                    "me directly instead.",
                )))
        elif reply.anchor:
            response = await self._post(turn_context, card,
                                        new_thread=_conversation_type(activity) == "channel")
            if response is not None and response.id and message.conversation_id:
                await asyncio.to_thread(self.assistant.anchor_posted, reply.anchor, PLATFORM,
                                        message.conversation_id, response.id)
            else:
                log.warning("Teams: no message id for anchor %s; its thread is not bound", reply.anchor)
        else:
            await turn_context.send_activity(card)
        for followup in reply.followups:
            try:
                await self._follow_up(turn_context, message, followup)
            except Exception:
                # The answer went out; a failed side message must not become an error reply.
                log.exception("Teams: follow-up %s failed", followup.kind)

    def _reference(self, activity: Activity) -> Any:
        """A reference to the whole conversation (not the thread, not this activity)."""
        reference = TurnContext.get_conversation_reference(activity)
        reference.conversation = copy.copy(activity.conversation)
        reference.conversation.id = base_conversation_id(activity.conversation.id)
        reference.activity_id = None
        return reference

    async def _post(self, turn_context: TurnContext, card: Activity, new_thread: bool) -> ResourceResponse | None:
        if not new_thread:
            return await turn_context.send_activity(card)
        # A new post in the channel, so that the replies to it form their own thread.
        TurnContext.apply_conversation_reference(card, self._reference(turn_context.activity))
        responses = await turn_context.adapter.send_activities(turn_context, [card])
        return responses[0] if responses else None

    async def _send_privately(self, turn_context: TurnContext, card: Activity) -> bool:
        activity = turn_context.activity
        # Teams names the tenant in channelData (botbuilder reads conversation "tenantID", which
        # Teams spells "tenantId", so conversation.tenant_id is empty for real activities).
        tenant = (activity.channel_data or {}).get("tenant") if isinstance(activity.channel_data, dict) else None
        tenant_id = (tenant.get("id") if isinstance(tenant, dict) else None) or (
            activity.conversation.tenant_id if activity.conversation else None)
        parameters = ConversationParameters(
            is_group=False,
            bot=activity.recipient,
            members=[activity.from_property],
            tenant_id=tenant_id,
            channel_data={"tenant": {"id": tenant_id}} if tenant_id else None,
        )
        sent = False

        async def post(context: TurnContext) -> None:
            nonlocal sent
            context.activity.id = None  # a new message, not a reply to the creation event
            await context.send_activity(card)
            sent = True

        try:
            await turn_context.adapter.create_conversation(
                self.app_id, post, parameters, activity.channel_id, activity.service_url
            )
        except Exception as exc:
            log.warning("Teams: could not open a private chat with %s: %s",
                        activity.from_property.id if activity.from_property else "?", exc)
        return sent

    async def _follow_up(self, turn_context: TurnContext, message: Message, followup: Followup) -> None:
        if followup.kind == "notify_person" and followup.person_id is not None:
            await self._notify_person(turn_context, followup)
        elif followup.kind == "update_root" and followup.reply is not None:
            activity = turn_context.activity
            root_id = message.thread_id or (activity.reply_to_id if message.action_id else None)
            if not root_id:
                log.info("Teams: update_root without a thread root; nothing to update")
                return
            updated = reply_activity(followup.reply, self.services.served.publish)
            TurnContext.apply_conversation_reference(updated, self._reference(activity))
            updated.id = root_id
            await turn_context.adapter.update_activity(turn_context, updated)

    async def _notify_person(self, turn_context: TurnContext, followup: Followup) -> None:
        def aad_id_of(person_id: int) -> str | None:
            with Session(self.engine) as session:
                person = session.get(Person, person_id)
                return person.teams_aad_id if person else None

        aad_id = await asyncio.to_thread(aad_id_of, followup.person_id or 0)
        if not aad_id:
            log.info("Teams: person %s has no Teams identity; not notified here", followup.person_id)
            return
        reference = await asyncio.to_thread(load_reference, self.engine, aad_id)
        if reference is None:
            log.info("Teams: person %s has no personal chat with the bot yet; not notified",
                     followup.person_id)
            return
        await send_to_reference(turn_context.adapter, self.app_id, reference,
                                Activity(type=ActivityTypes.message, text=escape(followup.text)), self.policy)
