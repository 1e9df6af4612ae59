"""The one clock every command and handler asks for "now".

Normally the real time. `BOARDBOT_NOW` fixes it (the demo runs on its documents' date, so
"nästa möte", justering deadlines and due reminders all agree across commands).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from storage.db import StoreError
from storage.settings import get_settings

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# A bare date means the start of an office day, when reminders go out.
DEFAULT_TIME = dt.time(9, 0)


def parse_moment(value: str) -> dt.datetime:
    """YYYY-MM-DD (09:00 Stockholm) or an ISO date-time (Stockholm unless it has an offset), as UTC."""
    text = value.strip()
    try:
        if len(text) == 10:
            moment = dt.datetime.combine(dt.date.fromisoformat(text), DEFAULT_TIME)
        else:
            moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise StoreError(f"BOARDBOT_NOW={value!r} is not a date; write e.g. 2025-06-16 or 2025-06-16T09:00") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=STOCKHOLM)
    return moment.astimezone(dt.UTC)


def now() -> dt.datetime:
    fixed = get_settings().fixed_now
    return parse_moment(fixed) if fixed else dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """Today in Stockholm, by the same clock."""
    return now().astimezone(STOCKHOLM).date()
