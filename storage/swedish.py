"""One place for the Swedish calendar words every part of boardbot reads and writes.

Month and weekday names come from babel's Swedish locale data (CLDR), not from hand-written
tables; the few short forms boards also write ("sept", "febr", "tor") are added as data. The
ingest readers (storage.ingest.text_utils, money_text, meeting_plans), the answers and the
reminders all use these, so a newcomer finds the one table.
"""

from __future__ import annotations

from babel.dates import get_day_names, get_month_names

_WIDE_MONTHS = get_month_names("wide", locale="sv")
_SHORT_MONTHS = get_month_names("abbreviated", locale="sv")
_WIDE_DAYS = get_day_names("wide", locale="sv")
_SHORT_DAYS = get_day_names("abbreviated", locale="sv")

# "januari" … "december", January first.
MONTH_NAMES: tuple[str, ...] = tuple(str(_WIDE_MONTHS[m]) for m in range(1, 13))
# "måndag" … "söndag", Monday first (Python's weekday()).
WEEKDAY_NAMES: tuple[str, ...] = tuple(str(_WIDE_DAYS[d]) for d in range(7))
# Short forms written in documents beside babel's ("jan." read as "jan").
EXTRA_MONTH_FORMS = {"jan": 1, "febr": 2, "mar": 3, "jun": 6, "jul": 7, "sept": 9}
EXTRA_WEEKDAY_FORMS = ("tor",)

# Every written form of a month, lower case, to its number.
MONTHS: dict[str, int] = {
    **{name: m for m, name in enumerate(MONTH_NAMES, start=1)},
    **{str(_SHORT_MONTHS[m]).rstrip("."): m for m in range(1, 13)},
    **EXTRA_MONTH_FORMS,
}
# Every written form of a weekday, long forms first.
WEEKDAY_FORMS: tuple[str, ...] = (*WEEKDAY_NAMES, *(str(_SHORT_DAYS[d]).rstrip(".") for d in range(7)),
                                  *EXTRA_WEEKDAY_FORMS)


def month_alternation() -> str:
    """A regex alternation of every month form, longest first ("mars" before "mar")."""
    return "|".join(sorted(MONTHS, key=len, reverse=True))
