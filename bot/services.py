"""What every platform adapter shares: the store, the assistant, the settings, the clock."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Engine

from bot.served import ServedFiles
from handlers.assistant import Assistant
from storage.clock import now as clock_now
from storage.settings import Settings, public_base_url


def _utcnow() -> dt.datetime:
    return clock_now()


@dataclass
class Services:
    engine: Engine
    settings: Settings
    clock: Callable[[], dt.datetime] = _utcnow
    assistant: Assistant = field(init=False)
    # Charts for Teams cards and protocol versions for signers, at unguessable expiring addresses.
    served: ServedFiles = field(init=False)

    def __post_init__(self) -> None:
        self.assistant = Assistant(self.engine, clock=self.clock)
        charts = self.settings.chart_dir
        folder = (Path(charts) if charts else Path(tempfile.gettempdir()) / "boardbot-charts") / "served"
        self.served = ServedFiles(public_base_url(self.settings), self.settings.served_file_ttl, folder=folder)
