"""The "console" notifier: prints a reminder instead of posting it.

Used when an organisation has no linked Slack or Teams conversation, and in `boardbot serve`
without platform credentials, so a reminder always lands somewhere a person can see it.
"""

from __future__ import annotations

import itertools
import sys
import threading
from typing import TextIO


class ConsoleNotifier:
    platform = "console"

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        self._counter = itertools.count(1)
        self._lock = threading.Lock()

    async def send(self, recipient: str, text: str, key: str | None = None) -> str:
        with self._lock:
            message_id = f"console-{next(self._counter)}"
        stream = self._stream or sys.stdout
        print(f"[påminnelse {message_id} → {recipient}]\n{text}\n", file=stream, flush=True)
        return message_id
