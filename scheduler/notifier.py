"""How the scheduler delivers: a small interface that bot/ implements per platform.

A recipient is a string "<platform>:<address>": "slack:C0123" (a channel), "slack:U0123"
(a person, by DM), "teams:<conversation id>", or "console". `send` returns the platform's
message id, which the outbox stores so a retry can tell that a message already went out.

`key` is the outbox row's own key. A notifier that can attach it to the message (Slack's
message metadata) can later answer `find_sent(recipient, text, since, key)`: did a send that
was cut off (a crash, a lost response) reach the platform? Then the outbox records it instead
of posting it twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class DeliveryError(Exception):
    """The platform refused or could not be reached; the outbox retries with backoff."""


class Notifier(Protocol):
    platform: str

    async def send(self, recipient: str, text: str, key: str | None = None) -> str:
        """Delivers `text` to `recipient` and returns the platform's message id."""
        ...


class RoutingNotifier:
    """Sends each recipient through the notifier of its platform prefix."""

    platform = "any"

    def __init__(self, notifiers: list[Notifier]) -> None:
        self._by_platform = {n.platform: n for n in notifiers}

    async def send(self, recipient: str, text: str, key: str | None = None) -> str:
        platform = recipient.split(":", 1)[0]
        notifier = self._by_platform.get(platform)
        if notifier is None:
            raise DeliveryError(f"no notifier for platform {platform!r}")
        return await notifier.send(recipient, text, key=key)

    async def find_sent(self, recipient: str, text: str, since: dt.datetime, key: str | None = None) -> str | None:
        """The platform's answer to "did this go out?", when its notifier can look; else None."""
        notifier = self._by_platform.get(recipient.split(":", 1)[0])
        finder = getattr(notifier, "find_sent", None)
        if finder is None:
            return None
        found: str | None = await finder(recipient, text, since, key=key)
        return found
