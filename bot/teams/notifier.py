"""Proactive Teams messages for the scheduler: the Notifier for "teams:<address>".

The address is a conversation id stored when the app was installed or first spoken to (a
channel, a group chat or a personal chat), or a person's AAD object id, which finds their
personal chat with the bot. Without a stored reference nothing can be sent: Teams only lets a
bot write where it has been installed.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ConversationReference
from sqlalchemy.engine import Engine

from bot.teams.references import PLATFORM, load_reference
from bot.teams.service_urls import ServiceUrlPolicy
from bot.teams.text import escape
from scheduler.notifier import DeliveryError

log = logging.getLogger(__name__)


class ServiceUrlRefused(DeliveryError):
    """A stored conversation whose service address is not (or no longer) an allowed host."""


async def send_to_reference(
    adapter: BotAdapter, app_id: str | None, reference: dict[str, Any], activity: Activity,
    policy: ServiceUrlPolicy,
) -> str:
    """Posts `activity` as a new message in the referenced conversation; returns its id.

    The stored serviceUrl is checked again here: a row written before the allow-list existed,
    or an allow-list narrowed since, must not send a message (and the bot's token) elsewhere.
    """
    service_url = reference.get("serviceUrl")
    if not policy.allows(service_url):
        raise ServiceUrlRefused(f"the stored serviceUrl {service_url!r} is not an allowed Bot Framework "
                                "host (BOARDBOT_TEAMS_SERVICE_HOSTS); nothing was sent")
    conversation_reference = ConversationReference().deserialize(reference)
    sent: list[str] = []

    async def post(context: TurnContext) -> None:
        # The continuation activity has an id of its own; without this the post would be sent
        # as a reply to that non-existent message instead of as a new message.
        context.activity.id = None
        response = await context.send_activity(activity)
        sent.append(response.id if response and response.id else "")

    await adapter.continue_conversation(conversation_reference, post, bot_app_id=app_id)
    return sent[0] if sent else ""


class TeamsNotifier:
    platform = PLATFORM

    def __init__(self, adapter: BotAdapter, engine: Engine, app_id: str | None,
                 policy: ServiceUrlPolicy) -> None:
        self.adapter = adapter
        self.engine = engine
        self.app_id = app_id
        self.policy = policy

    async def send(self, recipient: str, text: str, key: str | None = None) -> str:
        platform, _, address = recipient.partition(":")
        if platform != PLATFORM or not address:
            raise DeliveryError(f"not a Teams recipient: {recipient!r} (expected teams:<conversation id>)")
        reference = await asyncio.to_thread(load_reference, self.engine, address)
        if reference is None:
            raise DeliveryError(
                f"no stored Teams conversation for {address!r}: install the app there (or, for a "
                "person, have them write to the bot once) before it can send messages"
            )
        try:
            return await send_to_reference(
                self.adapter, self.app_id, reference, Activity(type=ActivityTypes.message, text=escape(text)),
                self.policy,
            )
        except ServiceUrlRefused:
            log.warning("Teams: not sending to %s: its stored serviceUrl is not an allowed host", recipient)
            raise
        except Exception as exc:
            # Bot Connector refusals (403 when the app was removed, 5xx) and network errors:
            # the outbox retries with backoff.
            log.warning("Teams: sending to %s failed: %s", recipient, exc)
            raise DeliveryError(f"Teams did not accept the message to {address!r}: {exc}") from exc
