"""What a handler knows about the message it answers: store session, who, where, when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers.messages import Message
from storage.models import Organisation, Person

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@dataclass
class Context:
    session: Session
    message: Message
    now: dt.datetime  # aware; the server's clock (tests pass their own)
    language: str  # sv or en
    organisation: Organisation | None  # the conversation's linked organisation, if any
    person: Person | None  # the board member behind the platform user, if known

    @property
    def today(self) -> dt.date:
        """The date the question is asked on, in Europe/Stockholm."""
        if self.message.as_of:
            return self.message.as_of
        return self.now.astimezone(STOCKHOLM).date()

    def t(self, sv: str, en: str) -> str:
        """The text in the asker's language."""
        return en if self.language == "en" else sv
