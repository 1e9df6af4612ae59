"""How the scheduler delivers: a small interface that bot/ implements per platform.

A recipient is a string "<platform>:<address>": "slack:C0123" (a channel), "slack:U0123"
(a person, by DM), "teams:<conversation id>", or "console". `send` returns the platform's
message id, which the outbox stores so a retry can tell that a message already went out.
"""

from __future__ import annotations

from typing import Protocol


class DeliveryError(Exception):
    """The platform refused or could not be reached; the outbox retries with backoff."""


class Notifier(Protocol):
    platform: str

    async def send(self, recipient: str, text: str) -> str:
        """Delivers `text` to `recipient` and returns the platform's message id."""
        ...


class RoutingNotifier:
    """Sends each recipient through the notifier of its platform prefix."""

    platform = "any"

    def __init__(self, notifiers: list[Notifier]) -> None:
        self._by_platform = {n.platform: n for n in notifiers}

    async def send(self, recipient: str, text: str) -> str:
        platform = recipient.split(":", 1)[0]
        notifier = self._by_platform.get(platform)
        if notifier is None:
            raise DeliveryError(f"no notifier for platform {platform!r}")
        return await notifier.send(recipient, text)
