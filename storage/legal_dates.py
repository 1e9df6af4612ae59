"""The dates Swedish law sets around a protocol: justering deadline, anslag, appeal period.

- Justering: within 14 days of the meeting (kommunallagen 5 kap. 69 §; for nämnder through
  6 kap. 35 §). A protocol's own earlier deadline wins, never a later one.
- Anslag: the notice that the protocol is justerat goes up no later than the second day
  after justering (8 kap. 12 §).
- Both are time limits set by law for doing something, so lag 1930:173 moves a last day that
  falls on a Saturday, Sunday, public holiday or eve to the next working day.
- Appeal period: three weeks from the day the notice went up (13 kap. 5 §). A period given
  in weeks ends on the same weekday; when that day is a Saturday, Sunday or public holiday
  (including midsommarafton, julafton and nyårsafton) it moves to the next working day
  (lag 1930:173 om beräkning av lagstadgad tid). The notice may not come down before then.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

JUSTERING_DAYS = 14
ANSLAG_POST_WITHIN_DAYS = 2
APPEAL_WEEKS = 3
# Days lag 1930:173 treats like public holidays although holidays.SE lists them as
# ordinary days in some versions.
_EVE_DAYS = {(6, 24), (12, 24), (12, 31)}


@lru_cache(maxsize=64)
def _swedish_holidays(year: int) -> frozenset[dt.date]:
    days = holidays.country_holidays("SE", years=year)
    # holidays.SE counts every Sunday as a holiday; only real holidays matter here.
    return frozenset(d for d, name in days.items() if name not in ("Söndag", "Sunday"))


def is_working_day(day: dt.date) -> bool:
    if day.weekday() >= 5:
        return False
    if (day.month, day.day) in _EVE_DAYS:
        return False
    # Midsommarafton is the Friday between 19 and 25 June.
    if day.month == 6 and 19 <= day.day <= 25 and day.weekday() == 4:
        return False
    return day not in _swedish_holidays(day.year)


def next_working_day(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def justering_deadline(meeting_date: dt.date, named_deadline: dt.date | None = None) -> dt.date:
    """The named deadline if it is earlier than the legal one, else meeting + 14 days."""
    legal = next_working_day(meeting_date + dt.timedelta(days=JUSTERING_DAYS))
    if named_deadline is not None and named_deadline <= legal:
        return named_deadline
    return legal


def anslag_post_by(justering_date: dt.date) -> dt.date:
    """The last day the notice may go up: the second day after justering."""
    return next_working_day(justering_date + dt.timedelta(days=ANSLAG_POST_WITHIN_DAYS))


def appeal_period_end(posted: dt.date) -> dt.date:
    """The last day of the three-week appeal period that starts when the notice goes up."""
    return next_working_day(posted + dt.timedelta(weeks=APPEAL_WEEKS))


def earliest_take_down(posted: dt.date) -> dt.date:
    """The first day the notice may come down: the last day of the appeal period, as
    secretaries date it (posted 2020-11-18, taken down 2020-12-09)."""
    return appeal_period_end(posted)
