"""Dates in questions, Swedish and English, whole or in pieces.

"2023-11-24", "11 juni 2021", "June 11, 2021", "24 november" (year left out), "November
2023", "i juni 2021", "2024". Month names come from babel's locale data for both
languages. A hand-written scanner rather than dateparser: questions name dates in pieces
("November 2023" is a month, not the 1st), and the answer must know which piece it got.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from storage.swedish import MONTH_NAMES, MONTH_NAMES_EN, month_alternation
from storage.swedish import MONTHS_SV_EN as MONTHS
from storage.swedish.dates import (
    FORMS,
    MONTH_RANGE,
    QUESTION_FORMS,
    TERTIAL_END_MONTHS,
    complete_year,
    make_date,
    scan,
)

_MONTH_RE = month_alternation(english=True)
# The day forms come from the one engine; months, years and relative years are read here.
_ISO, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR = (FORMS[name].pattern for name in QUESTION_FORMS)
# A day named without a year is the latest such day at most this far ahead of today.
YEARLESS_AHEAD_DAYS = 180
_MONTH_YEAR = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{4}})\b", re.IGNORECASE)
# A run of months: "januari–augusti 2020", "January to August 2020", "jan-aug 2020".
_MONTH_RANGE = re.compile(rf"\b{MONTH_RANGE}"
                          rf"(?:,?\s+(?:in\s+|i\s+|år\s+|of\s+)?(\d{{4}}))?\b", re.IGNORECASE)
_MONTH_ONLY = re.compile(rf"\b(?:i|in|under|during)\s+({_MONTH_RE})\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")
# Years named relative to the day the question is asked, Swedish and English: offset from this year.
RELATIVE_YEARS = {
    "i år": 0, "iår": 0, "this year": 0, "innevarande år": 0, "årets": 0, "current year": 0,
    "nästa år": 1, "nasta ar": 1, "next year": 1, "kommande år": 1, "nästkommande år": 1,
    "förra året": -1, "forra aret": -1, "i fjol": -1, "ifjol": -1, "last year": -1, "föregående år": -1,
    "previous year": -1, "i ar": 0, "förrförra året": -2, "forrforra aret": -2, "i förrfjol": -2, "i forrfjol": -2,
    "förrfjol": -2, "year before last": -2, "the year before last": -2,
    "för ett år sedan": -1, "for ett ar sedan": -1, "a year ago": -1, "one year ago": -1,
    "för två år sedan": -2, "for tva ar sedan": -2, "two years ago": -2, "2 years ago": -2,
    "för tre år sedan": -3, "for tre ar sedan": -3, "three years ago": -3, "3 years ago": -3,
    "året efter nästa": 2, "aret efter nasta": 2, "om två år": 2, "om tva ar": 2, "year after next": 2,
    "the year after next": 2, "in two years": 2, "in two years' time": 2,
    # The same in the genitive, before what of that year is asked ("förra årets resultat", "nästa års
    # budget", "last year's budget"): "årets" alone is a line's name ("Årets resultat"), not this year.
    "förra årets": -1, "forra arets": -1, "fjolårets": -1, "fjolarets": -1, "förrförra årets": -2,
    "forrforra arets": -2, "nästa års": 1, "nasta ars": 1, "kommande års": 1, "nästkommande års": 1,
    "innevarande års": 0, "last year's": -1, "next year's": 1, "this year's": 0, "previous year's": -1,
}
# Relative-year words that are also part of a line's name ("Årets resultat").
LINE_NAMING_YEARS = frozenset({"årets"})
# Seasons, Swedish and English: (first month, last month; December–February runs into the next
# year), and whether the phrase means the season gone by ("i våras"), the current or coming one
# ("i vår"), or the next one ("nästa vår").
# A board's Swedish "i vår" / "i höst" is its term, as the meeting plans run: spring from January to
# June, autumn from August to December ("höstens möten" include the one before Christmas).
SEASON_MONTHS = {"vår": (1, 6), "sommar": (6, 8), "höst": (8, 12), "vinter": (12, 2), "spring": (3, 5),
                 "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
SEASONS = {
    "i våras": ("vår", "past"), "i somras": ("sommar", "past"), "i höstas": ("höst", "past"),
    "i vintras": ("vinter", "past"), "i vår": ("vår", "now"), "i sommar": ("sommar", "now"),
    "i höst": ("höst", "now"), "i vinter": ("vinter", "now"), "nästa vår": ("vår", "next"),
    "nästa höst": ("höst", "next"), "nästa sommar": ("sommar", "next"), "nästa vinter": ("vinter", "next"),
    "last spring": ("spring", "past"), "last summer": ("summer", "past"), "last autumn": ("autumn", "past"),
    "last fall": ("fall", "past"), "last winter": ("winter", "past"), "this spring": ("spring", "now"),
    "this summer": ("summer", "now"), "this autumn": ("autumn", "now"), "this fall": ("fall", "now"),
    "this winter": ("winter", "now"), "next spring": ("spring", "next"), "next summer": ("summer", "next"),
    "next autumn": ("autumn", "next"), "next fall": ("fall", "next"), "next winter": ("winter", "next"),
    "i hostas": ("höst", "past"), "i host": ("höst", "now"), "i vara": ("vår", "now"), "i varas": ("vår", "past"),
}
_SEASON = re.compile(r"\b(" + "|".join(sorted(map(re.escape, SEASONS), key=len, reverse=True)) + r")\b", re.IGNORECASE)


def season_span(phrase: str, today: dt.date) -> DateSpan:
    """The months of the season a phrase names, in the year it points at from `today`."""
    season, when = SEASONS[phrase.lower()]
    first, last = SEASON_MONTHS[season]

    def span(year: int) -> DateSpan:
        end_year = year + 1 if last < first else year
        return DateSpan(dt.date(year, first, 1), _month_span(end_year, last).end, False)

    this = span(today.year if not (last < first and today.month <= last) else today.year - 1)
    if when == "past":
        return this if this.end < today or this.contains(today) else span(this.start.year - 1)
    if when == "now":
        return this if this.end >= today else span(this.start.year + 1)
    return this if this.start > today else span(this.start.year + 1)
_RELATIVE_YEAR = re.compile(r"\b(" + "|".join(sorted(map(re.escape, RELATIVE_YEARS), key=len, reverse=True)) + r")\b",
                            re.IGNORECASE)

# Years named from another year of the same question ("2021 och året efter", "2022 and the year
# before"): the offset from the nearest year written or named before them. Without such a year
# they are left as they are ("föregående år" alone is then the year before the asking one).
ANCHORED_YEARS = {
    "året efter": 1, "aret efter": 1, "året därpå": 1, "aret darpa": 1, "året därefter": 1, "aret darefter": 1,
    "året som följer": 1, "följande år": 1, "foljande ar": 1, "påföljande år": 1, "paföljande ar": 1,
    "pafoljande ar": 1, "efterföljande år": 1, "efterfoljande ar": 1, "ett år senare": 1, "ett ar senare": 1,
    "the year after": 1, "the following year": 1, "the next year": 1, "the subsequent year": 1, "a year later": 1,
    "året innan": -1, "aret innan": -1, "året före": -1, "aret fore": -1, "året dessförinnan": -1,
    "föregående år": -1, "foregaende ar": -1, "ett år tidigare": -1, "ett ar tidigare": -1, "the year before": -1,
    "the previous year": -1, "the prior year": -1, "the preceding year": -1, "a year earlier": -1,
}
# "året efter nästa", "the year before last" name a year from today (RELATIVE_YEARS), not from another.
_ANCHORED_YEAR = re.compile(r"\b(" + "|".join(sorted(map(re.escape, ANCHORED_YEARS), key=len, reverse=True))
                            + r")\b(?!\s+(?:nästa|nasta|next|last|förra|forra))", re.IGNORECASE)


def anchored_years(text: str, today: dt.date) -> str:
    """The text with each year named from an earlier year of it written out ("Enter 2021 och året
    efter" -> "Enter 2021 och 2022"; "nästa år och året därpå" -> "nästa år och <that year + 1>");
    one written out is the anchor of the next ("2021, året efter och året därpå")."""
    start = 0
    while (m := _ANCHORED_YEAR.search(text, start)) is not None:
        anchors = [(a.start(), int(a.group(1))) for a in _YEAR.finditer(text, 0, m.start())]
        anchors += [(a.start(), today.year + RELATIVE_YEARS[a.group(1).lower()])
                    for a in _RELATIVE_YEAR.finditer(text, 0, m.start())
                    if a.group(1).lower() not in ANCHORED_YEARS and a.group(1).lower() not in LINE_NAMING_YEARS]
        if not anchors:
            start = m.end()
            continue
        at, anchor = max(anchors)
        year = str(anchor + ANCHORED_YEARS[m.group(1).lower()])
        text = text[:m.start()] + year + text[m.end():]
        start = m.start() + len(year)
        relative = _RELATIVE_YEAR.match(text, at)
        if relative is not None:
            # "nästa år och 2022": a written year hides a relative one from find_dates; both written.
            text = text[:at] + str(anchor) + text[relative.end():]
            start += len(str(anchor)) - (relative.end() - at)
    return text


# Days, weeks and months named from the asking day, matched on the folded text (accents as
# people type them on a phone): the offset in days, weeks or months. "idag" is left out: "what is
# the budget today" asks what holds now, not what happened on this very day.
RELATIVE_DAYS = {"imorgon": 1, "i morgon": 1, "tomorrow": 1, "i overmorgon": 2, "day after tomorrow": 2,
                 "igar": -1, "i gar": -1, "yesterday": -1, "i forrgar": -2, "day before yesterday": -2}
RELATIVE_WEEKS = {"den har veckan": 0, "denna vecka": 0, "i veckan": 0, "this week": 0, "nasta vecka": 1,
                  "next week": 1, "kommande vecka": 1, "forra veckan": -1, "last week": -1,
                  "forrforra veckan": -2}
RELATIVE_MONTHS = {"den har manaden": 0, "denna manad": 0, "this month": 0, "nasta manad": 1, "next month": 1,
                   "forra manaden": -1, "last month": -1, "forrforra manaden": -2}
# Weekdays (folded), Monday first; Swedish "i fredags" is the last one gone by, "på fredag" the coming one.
WEEKDAYS = (("mandag", "monday"), ("tisdag", "tuesday"), ("onsdag", "wednesday"), ("torsdag", "thursday"),
            ("fredag", "friday"), ("lordag", "saturday"), ("sondag", "sunday"))
_WEEKDAY_NUMBER = {name: i for i, names in enumerate(WEEKDAYS) for name in names}
# The words of those phrases (folded): they say when, never what a question is about.
TIME_WORDS = frozenset({*_WEEKDAY_NUMBER, *(f"{sv}{end}" for sv, _en in WEEKDAYS for end in ("s", "ens")),
                        "imorgon", "morgon", "igar",
                        "forrgar", "overmorgon", "vecka", "veckan", "veckor", "manad", "manaden", "tomorrow",
                        "yesterday", "week", "month"})
_WEEKDAY_SV = "|".join(sv for sv, _en in WEEKDAYS)
_WEEKDAY_EN = "|".join(en for _sv, en in WEEKDAYS)
_PAST_WEEKDAY = re.compile(rf"\bi ({_WEEKDAY_SV})s\b|\blast ({_WEEKDAY_EN})\b")
# (A weekday before a date names the date's day, "on Tuesday the 24th of November", not a coming day.)
_COMING_WEEKDAY = re.compile(rf"(?:\b(?:nu )?pa ({_WEEKDAY_SV})\b|\b(?:on|this|coming) ({_WEEKDAY_EN})\b)"
                             r"(?!,?\s+(?:the\s+|den\s+)?\d)")
# "Friday's meeting", "fredagens möte": the last one gone by or the coming one, whichever had a meeting
# (not "last Friday's", read above).
_NEAR_WEEKDAY = re.compile(rf"(?<!last )\b({_WEEKDAY_EN})['’]s\b|\b({_WEEKDAY_SV})ens\b")


def _phrases(table: dict[str, int]) -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(sorted(map(re.escape, table), key=len, reverse=True)) + r")\b")


_RELATIVE_DAY, _RELATIVE_WEEK, _RELATIVE_MONTH = map(_phrases, (RELATIVE_DAYS, RELATIVE_WEEKS, RELATIVE_MONTHS))


def relative_spans(text: str, today: dt.date) -> list[tuple[tuple[int, int], DateSpan]]:
    """Days, weeks and months the text names from `today` ("i fredags", "imorgon", "nästa
    vecka", "last month"), with where in the text each stands."""
    folded = fold_text(text)
    found: list[tuple[tuple[int, int], DateSpan]] = []
    for m in _RELATIVE_DAY.finditer(folded):
        d = today + dt.timedelta(days=RELATIVE_DAYS[m.group(1)])
        found.append((m.span(), DateSpan(d, d, True)))
    for m in _PAST_WEEKDAY.finditer(folded):
        back = (today.weekday() - _WEEKDAY_NUMBER[m.group(1) or m.group(2)]) % 7 or 7
        d = today - dt.timedelta(days=back)
        found.append((m.span(), DateSpan(d, d, True)))
    for m in _COMING_WEEKDAY.finditer(folded):
        ahead = (_WEEKDAY_NUMBER[m.group(1) or m.group(2)] - today.weekday()) % 7 or 7
        d = today + dt.timedelta(days=ahead)
        found.append((m.span(), DateSpan(d, d, True)))
    for m in _NEAR_WEEKDAY.finditer(folded):
        day = _WEEKDAY_NUMBER[m.group(1) or m.group(2)]
        back = (today.weekday() - day) % 7 or 7
        ahead = (day - today.weekday()) % 7 or 7
        found.append((m.span(), DateSpan(today - dt.timedelta(days=back), today + dt.timedelta(days=ahead), False)))
    for m in _RELATIVE_WEEK.finditer(folded):
        monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=RELATIVE_WEEKS[m.group(1)])
        found.append((m.span(), DateSpan(monday, monday + dt.timedelta(days=6), False)))
    for m in _RELATIVE_MONTH.finditer(folded):
        index = today.year * 12 + today.month - 1 + RELATIVE_MONTHS[m.group(1)]
        found.append((m.span(), _month_span(index // 12, index % 12 + 1)))
    return found


def fold_text(text: str) -> str:
    """The text lower-cased without accents, letter for letter (so positions still match)."""
    out = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in out if not unicodedata.combining(ch))
    return folded if len(folded) == len(text) else text.lower()


_SV_MONTH_NAMES = dict(enumerate(MONTH_NAMES, start=1))
# How dates are typed in a hurry: "16/11 -20", "31/8 2020", "11/6" (day first, as Swedes write
# it), "juni -21", "juni '21". Read as the written-out forms the scanner knows.
_DAY_SLASH_MONTH = re.compile(r"(?<![\w/.,-])(\d{1,2})/(\d{1,2})(?:(?:\s+|\s*[-'’]\s*)(\d{4}|\d{2}))?(?![\w/])")
_MONTH_SHORT_YEAR = re.compile(rf"\b({_MONTH_RE})\.?\s*[-'’]\s?(\d{{2}})\b", re.IGNORECASE)
# A meeting named by its month in one word ("juniprotokollet", "novembermötet"): the meeting word
# and the month apart, as the scanner reads a month ("protokollet i juni").
_MONTH_COMPOUND = re.compile(r"\b(" + "|".join(MONTH_NAMES) + r")(protokoll\w*|möte\w*|styrelsemöte\w*|sammanträde\w*"
                             r"|kallelse\w*)\b", re.IGNORECASE)
# A meeting named by its month as a word before it ("the December meeting", "the march minutes",
# "juni-mötet", "på juni mötet"): the month after the meeting word, as the scanner reads a month
# ("the meeting in December"). Short forms ("mar", "may") only when written with a capital.
_MEETING_WORDS = (r"(?:board\s+|styrelse)?(?:meeting|meetings|minutes|session|protocol|notice|agenda|mötet|möte|"
                  r"protokollet|protokoll|sammanträdet|sammanträde|kallelsen|kallelse)")
_MONTH_BEFORE_MEETING = re.compile(rf"\b((?i:{'|'.join(m for m in (*MONTH_NAMES, *MONTH_NAMES_EN) if len(m) > 3 or m == 'maj')})|(?:Jan|Feb|Mar|Apr|May|Jun|"
                                   rf"Jul|Aug|Sep|Sept|Oct|Okt|Nov|Dec))(?:\s+|\s*-\s*)(?i:({_MEETING_WORDS}))\b")
# A meeting named by the month it was held in ("mötet i februari", "the meeting in February", "protokollet
# från juni"): asked of, it is that meeting or none, never the month as a word of the topic.
_MEETING_IN_MONTH = re.compile(rf"\b{_MEETING_WORDS}\s+(?:i|in|under|during|of|från|fran|from|held in)\s+"
                               rf"(?:{_MONTH_RE})\b", re.IGNORECASE)


def names_meeting_by_month(text: str) -> bool:
    """Whether the text names a meeting by its month (after expand_short_forms: "februarimötet" reads
    "mötet i februari")."""
    return bool(_MEETING_IN_MONTH.search(text))


# A month after "i"/"in"/"under" is a period, so two digits after it are its year ("mötet i juni 21"
# is June 2021; a day is written "den 21 juni", "on June 21").
_IN_MONTH_SHORT_YEAR = re.compile(rf"\b(i|in|under|during)\s+({_MONTH_RE})\.?\s+(\d{{2}})\b(?![.:/-]?\w)(?!\s*,?\s*\d)",
                                  re.IGNORECASE)


# After a day and a month, two digits are the year ("per 30 april 21", "sista april 21" once the end
# of the month is written out, "31 aug 20"): the day is already given.
_DAY_MONTH_SHORT_YEAR = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_RE})\.?\s+(\d{{2}})\b(?![.,:/-]?\d)"
                                   r"(?!\s*(?:%|procent|percent|kr\b|kronor|tkr|mkr|sek\b|st\b))", re.IGNORECASE)


# A tertial (a third of the year, the period of a follow-up report): "T2 2019", "tom T2 -19",
# "tertial 1", "andra tertialet 2021". Read as the months from January to its end.
TERTIAL_ENDS = TERTIAL_END_MONTHS
_ORDINALS = {"första": 1, "forsta": 1, "andra": 2, "tredje": 3, "first": 1, "second": 2, "third": 3}
_TERTIAL = re.compile(r"\b(?:t|tertial\s*)([123])\b(?:(?:\s+|\s*[-'’]\s*)(\d{4}|\d{2})\b)?", re.IGNORECASE)
_ORDINAL_TERTIAL = re.compile(r"\b(första|forsta|andra|tredje|first|second|third)\s+tertial(?:et|en)?\b"
                              r"(?:\s+(?:år\s+|of\s+)?(\d{4}))?", re.IGNORECASE)
# A two-digit year after a word: "fia budget -21", "mötet '20".
_WORD_SHORT_YEAR = re.compile(r"(?<=[a-zåäöA-ZÅÄÖ]\s)[-'’](\d{2})\b")
# Words of a year's figures after which two digits, typed without a dash, are the year ("budg 21",
# "prognos 21", "budgeterat till 21", "plan 22", "bokslut 19"): as on a phone. Only two digits
# that are not a day, an amount or a count ("budget 21 %", "prognos 21 tkr" stay as written).
FIGURE_YEAR_WORDS = ("budget", "budgeten", "budgeterat", "budgeterad", "budgeterade", "budgeteras", "budg", "bdg",
                     "prognos", "prognosen", "prognostiserat", "progn", "utfall", "utfallet", "plan", "planen",
                     "bokslut", "bokslutet", "årsredovisning", "årsredovisningen", "verksamhetsår", "verksamhetsåret",
                     "helår", "helåret", "helårsprognos", "helårsprognosen", "budget year", "forecast", "outcome",
                     "budgeted", "forecast for")
_FIGURE_SHORT_YEAR = re.compile(
    r"\b(" + "|".join(sorted(FIGURE_YEAR_WORDS, key=len, reverse=True)) + r")(\s+(?:för\s+|for\s+|till\s+|i\s+|"
    r"in\s+|år\s+)?)([1-3]\d)\b(?![.,:/-]?\d)(?!\s*(?:%|procent|percent|kr\b|kronor|tkr|mkr|sek\b|st\b|"
    r"personer|deltagare|dagar|månader|timmar|days|months|hours|people|participants|"
    # (A day before its month, Swedish or English: "outcome 31 August 2019".)
    rf"(?:{_MONTH_RE})\b))", re.IGNORECASE)


def _tertial_months(number: int, year: str | None) -> str:
    span = f"januari–{_SV_MONTH_NAMES[TERTIAL_ENDS[number]]}" if number < 3 else ""
    full_year = "" if not year else f"{2000 + int(year) if len(year) == 2 else year}"
    # The third tertial ends the year: what it reports is the year's outcome, not a part's.
    return f"{span} {full_year}".strip() if span else f"helårsutfall {full_year}".strip()


# "T1-rapporten 2021": the report of a tertial, named by it, is of the year written after it.
_BARE_TERTIAL = re.compile(r"\bt([123])(?:-?(?:rapport|uppföljning|uppfoljning|report)\w*)?\b"
                           r"(?:(?:\s+|\s*[-'’]\s*)(\d{4}|\d{2})\b)?", re.IGNORECASE)


# The end of a month named without its day: "sista april", "i slutet av augusti", "end of August".
_MONTH_END = re.compile(
    r"(?<!\w)(?:den\s+)?(?:sista|i\s+slutet\s+av|slutet\s+av|vid\s+utgången\s+av|utgången\s+av|till\s+och\s+med|"
    r"up\s+to\s+and\s+including|through|tom|t\.\s?o\.\s?m\.?|(?:at\s+)?the\s+end\s+of|end\s+of|"
    rf"(?:the\s+)?last\s+day\s+of)\s+({_MONTH_RE})\b\.?", re.IGNORECASE)


# English days as spoken: "the 11th of June", "the first of August", "Nov 16 '20". Written as the
# scanner reads a day ("11 June", "16 Nov 2020").
_ORDINAL_DAYS = {w: n for n, w in enumerate((
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
    "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
    "twentieth"), start=1)}
_ORDINAL_DAYS |= {f"twenty{sep}{w}": 20 + n for w, n in list(_ORDINAL_DAYS.items())[:9] for sep in ("-", " ")}
_ORDINAL_DAYS |= {"thirtieth": 30, "thirty-first": 31, "thirty first": 31}
_DAY_OF_MONTH = re.compile(r"\b(?:the\s+)?(\d{1,2}(?:st|nd|rd|th)?|"
                           + "|".join(sorted(_ORDINAL_DAYS, key=len, reverse=True))
                           + rf")\s+(?:day\s+)?of\s+({_MONTH_RE})\b", re.IGNORECASE)
_MONTH_DAY_SHORT_YEAR = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s*['’](\d{{2}})\b",
                                   re.IGNORECASE)


# A season of a year written out ("autumn 2024", "the fall of 2024", "hösten 2024", "våren 2021"): its
# months, as the scanner reads a stretch of months ("september–november 2024"). Winter spans two years
# and is left as written.
_SEASON_WORDS = {"autumn": "autumn", "fall": "fall", "spring": "spring", "summer": "summer", "hösten": "höst",
                 "hosten": "höst", "höst": "höst", "våren": "vår", "varen": "vår", "vår": "vår", "sommaren": "sommar",
                 "sommar": "sommar"}
_SEASON_YEAR = re.compile(r"\b(?:the\s+)?(" + "|".join(sorted(_SEASON_WORDS, key=len, reverse=True))
                          + r")\s+(?:of\s+)?((?:19|20)\d\d)\b", re.IGNORECASE)


def _season_year(m: re.Match[str]) -> str:
    first, last = SEASON_MONTHS[_SEASON_WORDS[m.group(1).lower()]]
    return f"{_SV_MONTH_NAMES[first]}–{_SV_MONTH_NAMES[last]} {m.group(2)}"


def _day_of_month(m: re.Match[str]) -> str:
    day = m.group(1).lower()
    number = _ORDINAL_DAYS.get(day) or int(re.sub(r"\D", "", day))
    return f"{number} {m.group(2)}"


def _month_end(m: re.Match[str]) -> str:
    month = MONTHS.get(m.group(1).lower().rstrip("."))
    if not month:
        return m.group(0)
    return f"{calendar.monthrange(2001, month)[1]} {m.group(1)}"


def expand_short_forms(text: str, tertials: bool = True) -> str:
    """The text with short date forms written out ("16/11 -20" -> "16 november 2020", "T2 2019"
    -> "januari–augusti 2019"). With `tertials` False, only "T2" is written out: "tertial 2" and
    "andra tertialet" stay words a text may be searched for."""
    if tertials:
        text = _TERTIAL.sub(lambda m: _tertial_months(int(m.group(1)), m.group(2)), text)
        text = _ORDINAL_TERTIAL.sub(lambda m: _tertial_months(_ORDINALS[m.group(1).lower()], m.group(2)), text)
    else:
        text = _BARE_TERTIAL.sub(lambda m: _tertial_months(int(m.group(1)), m.group(2)), text)
    text = _DAY_OF_MONTH.sub(_day_of_month, text)
    text = _SEASON_YEAR.sub(_season_year, text)
    text = _MONTH_DAY_SHORT_YEAR.sub(lambda m: f"{m.group(2)} {m.group(1)} {2000 + int(m.group(3))}", text)
    text = _WORD_SHORT_YEAR.sub(lambda m: str(2000 + int(m.group(1))), text)
    text = _FIGURE_SHORT_YEAR.sub(lambda m: f"{m.group(1)}{m.group(2)}{2000 + int(m.group(3))}", text)
    text = _MONTH_COMPOUND.sub(lambda m: f"{m.group(2)} i {m.group(1)}", text)
    text = _MONTH_BEFORE_MEETING.sub(lambda m: f"{m.group(2)} {'in' if m.group(2).isascii() else 'i'} {m.group(1)}",
                                     text)
    text = _MONTH_END.sub(_month_end, text)
    def slash(m: re.Match[str]) -> str:
        day_n, month_n, year_s = int(m.group(1)), int(m.group(2)), m.group(3)
        if not (1 <= month_n <= 12 and 1 <= day_n <= 31):
            return m.group(0)
        year = "" if not year_s else f" {2000 + int(year_s) if len(year_s) == 2 else year_s}"
        return f"{day_n} {_SV_MONTH_NAMES[month_n]}{year}"

    text = _DAY_SLASH_MONTH.sub(slash, text)
    text = _DAY_MONTH_SHORT_YEAR.sub(lambda m: f"{m.group(1)} {m.group(2)} {2000 + int(m.group(3))}", text)
    text = _IN_MONTH_SHORT_YEAR.sub(lambda m: f"{m.group(1)} {m.group(2)} {2000 + int(m.group(3))}", text)
    return _MONTH_SHORT_YEAR.sub(lambda m: f"{m.group(1)} {2000 + int(m.group(2))}", text)


@dataclass(frozen=True)
class DateSpan:
    """A day, a month or a year named in a question; `exact` when a day was given."""

    start: dt.date
    end: dt.date
    exact: bool
    year_given: bool = True

    def contains(self, value: dt.date) -> bool:
        return self.start <= value <= self.end


def _month_span(year: int, month: int) -> DateSpan:
    return DateSpan(dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]), False)


def find_dates(text: str, today: dt.date) -> list[DateSpan]:
    """Every date expression in `text`, most specific first, in text order within a kind.

    A day named without a year ("24 november") is given the year that makes it the most
    recent such day up to a year ahead of `today`, with year_given False so callers may
    match it in any year.
    """
    text = expand_short_forms(text)
    spans: list[DateSpan] = []
    taken: list[tuple[int, int]] = []

    def free(m: re.Match[str]) -> bool:
        return all(m.end() <= a or m.start() >= b for a, b in taken)

    def add_days(forms: tuple[str, ...]) -> None:
        # Whole dates, in the order of their forms, each in text order.
        for found in sorted(scan(text, forms), key=lambda f: forms.index(f.form)):
            if any(found.start < b and a < found.end for a, b in taken):
                continue
            if found.year is not None:
                d = make_date(found.year, found.month, found.day)
            else:
                d = complete_year(found.month, found.day, today, ahead_days=YEARLESS_AHEAD_DAYS)
            if d:
                spans.append(DateSpan(d, d, True, year_given=found.year is not None))
                taken.append((found.start, found.end))

    add_days(QUESTION_FORMS[:1])  # "2020-08-31"
    for m in _MONTH_RANGE.finditer(text):
        first, last = MONTHS.get(m.group(1).lower().rstrip(".")), MONTHS.get(m.group(2).lower().rstrip("."))
        if not first or not last or first >= last:
            continue
        year = int(m.group(3)) if m.group(3) else (today.year if last <= today.month else today.year - 1)
        spans.append(DateSpan(dt.date(year, first, 1), _month_span(year, last).end, False,
                              year_given=bool(m.group(3))))
        taken.append(m.span())
    add_days(QUESTION_FORMS[1:])  # "31 augusti 2020", "August 31, 2020"
    for m in _MONTH_YEAR.finditer(text):
        if not free(m):
            continue
        month = MONTHS.get(m.group(1).lower().rstrip("."))
        if month:
            spans.append(_month_span(int(m.group(2)), month))
            taken.append(m.span())
    for m in _MONTH_ONLY.finditer(text):
        if not free(m):
            continue
        month = MONTHS.get(m.group(1).lower().rstrip("."))
        if month:
            year = today.year if month <= today.month else today.year - 1
            span = _month_span(year, month)
            spans.append(DateSpan(span.start, span.end, False, year_given=False))
            taken.append(m.span())
    for m in _SEASON.finditer(text):
        # "i vår budget" is "in our budget": the season only stands at the end of a phrase.
        possessive = m.group(1).lower() in ("i vår", "i vara") and re.match(
            r"\s+(?!och\b|eller\b|and\b|or\b)[^\W\d_]", text[m.end():])
        if free(m) and not possessive:
            spans.append(season_span(m.group(1), today))
            taken.append(m.span())
    for where, span in relative_spans(text, today):
        if all(where[1] <= a or where[0] >= b for a, b in taken):
            spans.append(span)
            taken.append(where)
    for m in _YEAR.finditer(text):
        if not free(m):
            continue
        year = int(m.group(1))
        spans.append(DateSpan(dt.date(year, 1, 1), dt.date(year, 12, 31), False))
        taken.append(m.span())
    if not any(not s.exact and s.start.month == 1 and s.end.month == 12 for s in spans):
        found = list(_RELATIVE_YEAR.finditer(text))
        # "årets resultat" names the year only when no other year is given; two relative years
        # ("i fjol jämfört med i år") are both named, as two written years would be.
        plain = [m for m in found if m.group(1).lower() not in LINE_NAMING_YEARS] if len(found) > 1 else found
        for n, m in enumerate(plain):
            year = today.year + RELATIVE_YEARS[m.group(1).lower()]
            if any(not s.exact and s.start.year == year and s.end.year == year for s in spans):
                # "i augusti i fjol": the month without a year lay in that year already; now it is named.
                spans = [DateSpan(s.start, s.end, s.exact) if not s.year_given and s.start.year == year == s.end.year
                         else s for s in spans]
                continue
            spans.append(DateSpan(dt.date(year, 1, 1), dt.date(year, 12, 31), False))
            if n == 0:
                # "sista april i fjol": the day is in the year named relative to today.
                for i, s in enumerate(spans):
                    if s.exact and not s.year_given and (moved := make_date(year, s.start.month, s.start.day)):
                        spans[i] = DateSpan(moved, moved, True)
                    elif not s.exact and not s.year_given and s.start.month == s.end.month:
                        # "uppföljningen i augusti i fjol": the month is of that year too.
                        spans[i] = _month_span(year, s.start.month)
    # "budget 2021 … enligt T1": a part of a year from January written without its year is of the
    # one year the question names elsewhere (not of the asking year).
    named_years = {s.start.year for s in spans if s.year_given and not s.exact}
    if len(named_years) == 1:
        year = next(iter(named_years))
        for i, s in enumerate(spans):
            if not s.exact and not s.year_given and s.start.month == 1 and s.start.day == 1 and s.end.month < 12 \
                    and s.end.month > s.start.month:
                spans[i] = DateSpan(dt.date(year, 1, 1), _month_span(year, s.end.month).end, False, year_given=True)
            elif s.exact and not s.year_given and (moved := make_date(year, s.start.month, s.start.day)):
                # "the result in 2021 as of 30 April", "per T1 2021, i.e. 30 April": a day without its
                # year is of the one year written beside it. It stays year_given=False, so a meeting
                # on that day and month is still found in any year.
                spans[i] = DateSpan(moved, moved, True, year_given=False)
    return spans


def period_ends(spans: list[DateSpan]) -> list[dt.date]:
    """The last day of each part of a year named from its start ("januari–augusti 2020", "T2"):
    what happened in it is the outcome as of that day, not the year's budget or forecast."""
    return [d.end for d in spans if not d.exact and (d.start.month, d.start.day) == (1, 1) and d.end.month < 12
            and d.start.year == d.end.year and d.end.month > d.start.month]


T = TypeVar("T")


def nearest_in_any_year(today: dt.date, span: DateSpan, items: list[T], date_of: Callable[[T], dt.date]) -> list[T]:
    """A day or month named without a year ("i mars", "den 16 april"): the items on that day or
    in that month of the year nearest the asking day, whichever year that is."""
    def fits(d: dt.date) -> bool:
        return d.month == span.start.month and (not span.exact or d.day == span.start.day)

    hits = [i for i in items if fits(date_of(i))]
    if not hits:
        return []
    nearest = min(hits, key=lambda i: abs((date_of(i) - today).days))
    return [i for i in hits if date_of(i).year == date_of(nearest).year]


def years_in(text: str) -> list[int]:
    """Four-digit years written in the text, outside full dates."""
    return [span.start.year for span in find_dates(text, dt.date.today())
            if not span.exact and span.start.month == 1 and span.end.month == 12]


def date_phrases(text: str) -> list[tuple[int, int]]:
    """The spans of `text` that name a date, a month, a year or a year relative to today."""
    spans: list[tuple[int, int]] = []
    for pattern in (_ISO, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR, _MONTH_YEAR, _MONTH_ONLY, _RELATIVE_YEAR, _YEAR):
        for m in pattern.finditer(text):
            if all(m.end() <= a or m.start() >= b for a, b in spans):
                spans.append(m.span())
    for (start, end), _span in relative_spans(text, dt.date.today()):
        if all(end <= a or start >= b for a, b in spans):
            spans.append((start, end))
    return sorted(spans)
