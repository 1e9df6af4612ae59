"""The one Swedish text toolkit, for ingest and answers alike.

- `names`: month and weekday names, Swedish and English, from babel; long dates written out.
- `dates`: every written form of a day ("2018-03-14", "14 mars 2018", "14/3 2018", "180314",
  "onsdagen den 14 mars 2018 kl. 13.00", "June 11, 2021"), read by one engine with the forms
  as data; periods ("240101-241231", "2019–2021") and clock times ("kl. 13.00–14.30").
- `amounts`: amounts in kr, tkr, mnkr, miljoner ("0,8 mnkr", "412 306 kronor", "(8 029)"),
  the units as data, one amount pattern; table cells; numbers as the source audit confirms them.
- `cleaning`: extraction noise: characters, a whole document (markup, page furniture, page
  heads, sentences split by a page break) and a single cell or line.

The names are also importable from here (`from storage.swedish import MONTHS`); the rest from
the module that holds it.
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
    WEEKDAY_RE,
    day_month_year,
    long_date,
    month_alternation,
    month_number,
    weekday_short_alternation,
)

__all__ = [
    "EXTRA_MONTH_FORMS", "EXTRA_WEEKDAY_FORMS", "MONTHS", "MONTHS_SV_EN", "MONTH_NAMES", "MONTH_NAMES_EN",
    "WEEKDAY_ABBREVIATIONS", "WEEKDAY_FORMS", "WEEKDAY_NAMES", "WEEKDAY_NAMES_EN", "WEEKDAY_RE", "day_month_year", "long_date",
    "month_alternation", "month_number", "weekday_short_alternation",
]
