"""Month and weekday names, Swedish and English, read and written.

The names come from babel's locale data (CLDR), not from hand-written tables; the few short
forms boards also write ("sept", "febr", "tor") are added as data. Every reader of a month
word (ingest, the source audit, questions, chat commands) looks it up here, and every writer
of a long date ("fredag 2 februari 2024") calls `long_date`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from babel.dates import get_day_names, get_month_names


def _months(locale: str, width: Literal["wide", "abbreviated"]) -> tuple[str, ...]:
    names = get_month_names(width, locale=locale)
    return tuple(str(names[m]) for m in range(1, 13))


def _weekdays(locale: str, width: Literal["wide", "abbreviated"]) -> tuple[str, ...]:
    names = get_day_names(width, locale=locale)  # babel counts from Monday, as weekday() does
    return tuple(str(names[d]) for d in range(7))


# "januari" … "december", January first; "måndag" … "söndag", Monday first (Python's weekday()).
MONTH_NAMES: tuple[str, ...] = _months("sv", "wide")
WEEKDAY_NAMES: tuple[str, ...] = _weekdays("sv", "wide")
# "mån" … "sön": the short weekday a compact list writes before a date.
WEEKDAY_ABBREVIATIONS: tuple[str, ...] = tuple(w.rstrip(".") for w in _weekdays("sv", "abbreviated"))
# "January" … "December", "Monday" … "Sunday", as the English answers write them.
MONTH_NAMES_EN: tuple[str, ...] = _months("en", "wide")
WEEKDAY_NAMES_EN: tuple[str, ...] = _weekdays("en", "wide")

# Short forms written in documents beside babel's ("jan." read as "jan").
EXTRA_MONTH_FORMS = {"jan": 1, "febr": 2, "mar": 3, "jun": 6, "jul": 7, "sept": 9}
EXTRA_WEEKDAY_FORMS = ("tor",)


_WIDTHS: tuple[Literal["wide", "abbreviated"], ...] = ("wide", "abbreviated")


def _forms(locale: str) -> dict[str, int]:
    return {name.lower().rstrip("."): m
            for width in _WIDTHS for m, name in enumerate(_months(locale, width), start=1)}


# Every written form of a Swedish month, lower case, to its number.
MONTHS: dict[str, int] = {**_forms("sv"), **EXTRA_MONTH_FORMS}
# The same with the English forms ("june", "sept", "oct"): questions and chat commands take both.
MONTHS_SV_EN: dict[str, int] = {**MONTHS, **_forms("en_GB"), **_forms("en")}
# Every written form of a Swedish weekday, long forms first.
WEEKDAY_FORMS: tuple[str, ...] = (*WEEKDAY_NAMES, *WEEKDAY_ABBREVIATIONS, *EXTRA_WEEKDAY_FORMS)


# A weekday word in any form: "onsdag", "onsdagen", "ons.", "tisdagar" ("fre. 2 februari").
WEEKDAY_RE = re.compile(
    r"\b(?:" + "|".join(sorted(WEEKDAY_FORMS, key=len, reverse=True)) + r")(?:en|ar)?\b\.?", re.IGNORECASE)


def month_number(word: str, english: bool = False) -> int | None:
    """1–12 for a month word in any written form ("Mars", "sept.", with english also "June")."""
    return (MONTHS_SV_EN if english else MONTHS).get(word.lower().rstrip("."))


def month_alternation(english: bool = False) -> str:
    """A regex alternation of every month form, longest first ("mars" before "mar")."""
    return "|".join(sorted(MONTHS_SV_EN if english else MONTHS, key=len, reverse=True))


def weekday_short_alternation() -> str:
    """The short weekday forms ("mån", "tors", "tor") as a regex alternation, longest first:
    each also starts its long form ("måndag", "torsdagen")."""
    return "|".join(sorted({*WEEKDAY_ABBREVIATIONS, *EXTRA_WEEKDAY_FORMS}, key=len, reverse=True))


def long_date(day: dt.date, language: str = "sv") -> str:
    """"fredag 2 februari 2024", or in English "Friday 2 February 2024"."""
    if language == "en":
        return f"{WEEKDAY_NAMES_EN[day.weekday()]} {day.day} {MONTH_NAMES_EN[day.month - 1]} {day.year}"
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def day_month_year(day: dt.date) -> str:
    """"2 februari 2024"."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"
