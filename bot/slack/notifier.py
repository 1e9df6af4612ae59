"""The scheduler's Notifier for Slack: "slack:<channel or user id>" through chat.postMessage.

Each reminder carries its outbox key in the message's metadata (event type
`boardbot_reminder`), so `find_sent` can look the message up in the conversation's history
(conversations.history with include_all_metadata) when a send was cut off: a message that
reached Slack is recorded, not posted a second time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.engine import Engine

from bot.slack.app import PLATFORM, make_client
from bot.slack.render import escape, mrkdwn
from scheduler.notifier import DeliveryError
from storage.events import remember_thread
from storage.settings import Settings

log = logging.getLogger(__name__)

METADATA_EVENT = "boardbot_reminder"
# The message was posted after its row was due; a minute's margin for clocks that disagree.
HISTORY_SLACK = dt.timedelta(minutes=1)
HISTORY_PAGE_SIZE = 200
HISTORY_PAGES = 10


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

    async def send(self, recipient: str, text: str, key: str | None = None) -> str:
        address = self._address(recipient)
        inert = escape(text)
        # The text again as a verbatim block, and no previews: Slack links nothing in it by itself.
        kwargs: dict[str, Any] = {"channel": address, "text": inert, "unfurl_links": False, "unfurl_media": False,
                                  "blocks": [{"type": "section", "text": mrkdwn(inert[:3000])}]}
        if key:
            kwargs["metadata"] = {"event_type": METADATA_EVENT, "event_payload": {"outbox_key": key}}
        try:
            response = await self.client.chat_postMessage(**kwargs)
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

    async def find_sent(self, recipient: str, text: str, since: dt.datetime, key: str | None = None) -> str | None:
        """The ts of the message carrying `key` posted to `recipient` since `since`, or None.

        Raises when Slack cannot be asked (the outbox then waits and asks again, never guessing).
        """
        if not key:
            return None
        address = self._address(recipient)
        channel = address
        if address.startswith(("U", "W")):
            # Reminders to a person go to the DM with them; its history is under the DM's id.
            opened = await self.client.conversations_open(users=address)
            channel = str((opened.get("channel") or {}).get("id") or address)
        oldest = f"{(since - HISTORY_SLACK).timestamp():.6f}"
        cursor: str | None = None
        for _ in range(HISTORY_PAGES):
            page = await self.client.conversations_history(
                channel=channel, oldest=oldest, limit=HISTORY_PAGE_SIZE, include_all_metadata=True, cursor=cursor)
            for message in page.get("messages") or []:
                metadata = message.get("metadata") or {}
                payload = metadata.get("event_payload") or {}
                if metadata.get("event_type") == METADATA_EVENT and payload.get("outbox_key") == key:
                    return str(message.get("ts"))
            cursor = ((page.get("response_metadata") or {}).get("next_cursor")) or None
            if not page.get("has_more") or not cursor:
                return None
        log.warning("looked through %d messages of %s without finding reminder %s", HISTORY_PAGES * HISTORY_PAGE_SIZE,
                    channel, key)
        return None

    def _address(self, recipient: str) -> str:
        platform, _, address = recipient.partition(":")
        if platform != self.platform or not address:
            raise DeliveryError(f"not a Slack recipient: {recipient!r} (expected slack:<channel or user id>)")
        return address
