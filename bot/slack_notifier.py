"""The scheduler's Notifier for Slack: "slack:<channel or user id>" through chat.postMessage."""

from __future__ import annotations

import asyncio
import logging

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.engine import Engine

from bot.slack_app import PLATFORM, make_client
from bot.slack_render import escape_keeping_tokens
from scheduler.notifier import DeliveryError
from storage.events import remember_thread
from storage.settings import Settings

log = logging.getLogger(__name__)


class SlackNotifier:
    """Delivers reminders; a user id as address sends a DM. Returns the message ts."""

    platform = PLATFORM

    def __init__(self, settings: Settings, client: AsyncWebClient | None = None,
                 engine: Engine | None = None) -> None:
        if client is None and not settings.slack_bot_token:
            raise DeliveryError("SLACK_BOT_TOKEN is not set: Slack reminders cannot be sent")
        self.client = client or make_client(settings)
        # With a store, a reminder's thread counts as the bot's: replies to it reach the bot.
        self.engine = engine

    async def send(self, recipient: str, text: str) -> str:
        platform, _, address = recipient.partition(":")
        if platform != self.platform or not address:
            raise DeliveryError(f"not a Slack recipient: {recipient!r} (expected slack:<channel or user id>)")
        try:
            response = await self.client.chat_postMessage(channel=address, text=escape_keeping_tokens(text))
        except SlackApiError as exc:
            raise DeliveryError(f"Slack refused the message to {address}: {exc.response.get('error')}") from exc
        except (TimeoutError, SlackClientError, OSError) as exc:
            raise DeliveryError(f"could not reach Slack to send to {address}: {exc}") from exc
        ts = response.get("ts")
        if not ts:
            raise DeliveryError(f"Slack accepted the message to {address} but returned no ts")
        if self.engine is not None:
            channel = str(response.get("channel") or address)
            try:
                await asyncio.to_thread(remember_thread, self.engine, PLATFORM, channel, str(ts))
            except Exception:  # the message went out; failing now would only send it twice
                log.warning("could not record the thread of %s", ts, exc_info=True)
        return str(ts)
