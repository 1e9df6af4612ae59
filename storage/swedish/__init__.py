"""The one Swedish text toolkit, for ingest and answers alike.

- `names`: month and weekday names, Swedish and English, from babel; long dates written out.

Import from here (`from storage.swedish import MONTHS`) or from the module that holds it.
"""

from storage.swedish.names import (
    EXTRA_MONTH_FORMS,
    EXTRA_WEEKDAY_FORMS,
    MONTH_NAMES,
    MONTH_NAMES_EN,
    MONTHS,
    MONTHS_SV_EN,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAY_FORMS,
    WEEKDAY_NAMES,
    WEEKDAY_NAMES_EN,
    day_month_year,
    long_date,
    month_alternation,
    month_number,
    weekday_short_alternation,
)

__all__ = [
    "EXTRA_MONTH_FORMS", "EXTRA_WEEKDAY_FORMS", "MONTHS", "MONTHS_SV_EN", "MONTH_NAMES", "MONTH_NAMES_EN",
    "WEEKDAY_ABBREVIATIONS", "WEEKDAY_FORMS", "WEEKDAY_NAMES", "WEEKDAY_NAMES_EN", "day_month_year", "long_date",
    "month_alternation", "month_number", "weekday_short_alternation",
]
