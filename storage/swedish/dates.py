"""Dates, periods and clock times as Swedish board documents and questions write them.

One engine, `scan`, reads every written form of a day; the forms are data (`FORMS`), and
each reader names the forms it takes:

- documents (ingest): "2018-03-14", "14/3 2018", "14 mars 2018", "onsdagen den 14 mars
  2018 kl. 13.00" (the weekday and the time around the date are read by the same text),
  "14 mars" given a year; a labelled "180314" (`first_date`);
- a value standing alone, as a table header or a report writes it (`parse_date`):
  "2021-04-30", "21-04-30", "210430", "20210430", "30 april 2021";
- the source audit (`written_dates`): every form above, and also "14.3.2018" and "14/3",
  since it confirms what a cited place writes rather than reading facts out of it;
- questions (handlers.answers.dates): also English, "June 11, 2021", "11th June 2021";
- chat commands (`leading_date`): "2024-02-02", "2 februari", "2 February 2024".

A day written without a year takes one from a reference (`complete_year`): a fixed year, the
calendar year of today with a window ahead or behind. Nothing here raises on odd input; a
reader that finds nothing returns None or an empty list.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from storage.swedish.names import month_alternation, month_number

# --- days ----------------------------------------------------------------------------------


def make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


# A tertial (the period of a follow-up report) ends with its fourth month.
TERTIAL_END_MONTHS = {1: 4, 2: 8, 3: 12}


def tertial_end(year: int, tertial: int) -> dt.date | None:
    return month_end(year, TERTIAL_END_MONTHS[tertial]) if tertial in TERTIAL_END_MONTHS else None


_SV_MONTH = month_alternation()
_SV_EN_MONTH = month_alternation(english=True)


@dataclass(frozen=True)
class DateForm:
    """One written form of a day: a pattern with the groups d, m (digits or a month word) and
    y (absent or empty where the form leaves out the year)."""

    name: str
    pattern: re.Pattern[str]
    english: bool = False  # month words may be English

    def read(self, m: re.Match[str]) -> tuple[int | None, int, int] | None:
        """(year or None, month, day) of a match; a two-digit year is this century's."""
        month_s = m.group("m")
        month = int(month_s) if month_s.isdigit() else month_number(month_s, english=self.english)
        if month is None:
            return None
        year_s = m.groupdict().get("y")
        year = (int(year_s) + 2000 if len(year_s) == 2 else int(year_s)) if year_s else None
        day = int(m.group("d"))
        # A day without a year must exist in some year (29 February in a leap year).
        if (make_date(year, month, day) if year else make_date(2000, month, day)) is None:
            return None
        return year, month, day


def _form(name: str, pattern: str, english: bool = False) -> DateForm:
    return DateForm(name, re.compile(pattern, re.IGNORECASE), english)


# Every form of a day, by name. The look-arounds keep a form from starting or ending inside a
# longer number ("2017-2018-03", "1/14/3").
FORMS: dict[str, DateForm] = {form.name: form for form in (
    # "2018-03-14"
    _form("iso", r"(?<![\d-])(?P<y>(?:19|20)\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"),
    # "14/3 2018", "14/3-2018", "14/3/2018", "14/3 18"; "14/3" (year left out).
    _form("slash", r"(?<![\d/])(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:[ /-](?P<y>(?:19|20)?\d{2}))?(?![\d/])"),
    # "14.3.2018"
    _form("dotted", r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>(?:19|20)\d{2})(?!\d)"),
    # "180314", "20180314"
    _form("compact", r"(?<!\d)(?P<y>(?:19|20)?\d{2})(?P<m>\d{2})(?P<d>\d{2})(?!\d)"),
    # "18-03-14"
    _form("short_iso", r"(?<![\d-])(?P<y>\d{2})-(?P<m>\d{2})-(?P<d>\d{2})(?![\d-])"),
    # "14 mars 2018", "14:e mars", "14 mars, 2018", "14 mar. 2018"
    _form("words", rf"(?<![\d/])(?P<d>\d{{1,2}})(?::?e|:a)?\s+(?P<m>{_SV_MONTH})\b\.?"
                   r"(?:,?\s+(?P<y>(?:19|20)\d{2})\b)?"),
    # Questions, also in English: "11th June 2021", "11 juni".
    _form("words_en", rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th|:e|:a)?\s+(?P<m>{_SV_EN_MONTH})\.?"
                      r"(?:,?\s+(?P<y>\d{4}))?\b", english=True),
    # "June 11, 2021", "June 11th"
    _form("month_first", rf"\b(?P<m>{_SV_EN_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{{4}}))?\b",
          english=True),
)}

# The forms each kind of reader takes, in the order they are tried (an earlier form's match
# keeps its place from a later one's).
DOCUMENT_FORMS = ("iso", "slash", "words")
VALUE_FORMS = ("iso", "short_iso", "compact", "words")
WRITTEN_FORMS = ("iso", "compact", "dotted", "slash", "words")
QUESTION_FORMS = ("iso", "words_en", "month_first")
COMMAND_FORMS = ("iso", "words_en")  # "möte 2 februari kl 9": a chat command's date

ISO_DATE_RE = FORMS["iso"].pattern
SWEDISH_DATE_RE = FORMS["words"].pattern
# A run of months, to embed: "januari–augusti", "jan-aug", "januari till augusti", "January to
# August", "jan t.o.m. aug" (groups first and last; the year, if any, is the embedder's).
MONTH_RANGE = (rf"(?P<first>{_SV_EN_MONTH})\.?\s*(?:–|-|to|till|through|thru|until|t\.?o\.?m\.?)\s*"
               rf"(?P<last>{_SV_EN_MONTH})\.?")
# A day as `parse_date` reads it, to embed in a larger pattern ("per <datum>", a table's
# "Utfall 2021-04-30" or "210101-210430"): "2021-04-30", "20210430", "210430", "21-04-30",
# "30 april 2021".
DATE_PATTERN = (rf"\d{{4}}-\d{{2}}-\d{{2}}|\d{{8}}|\d{{6}}|\d{{2}}-\d{{2}}-\d{{2}}"
                rf"|\d{{1,2}}\s+(?:{_SV_MONTH})\s+\d{{4}}")
# "14 mars", "14 mars 2018" or "2018-03-14", to embed ("sammanträdet den <dag>").
DAY_PATTERN = rf"\d{{1,2}}\s+(?:{_SV_MONTH})\b\.?(?:\s+(?:19|20)\d{{2}})?|(?:19|20)\d{{2}}-\d{{1,2}}-\d{{1,2}}"


@dataclass(frozen=True)
class FoundDate:
    """A day found in a text: where, and what was written (year None where left out)."""

    start: int
    end: int
    year: int | None
    month: int
    day: int
    form: str

    @property
    def date(self) -> dt.date | None:
        return make_date(self.year, self.month, self.day) if self.year is not None else None


def scan(text: str, forms: Iterable[str] = DOCUMENT_FORMS) -> list[FoundDate]:
    """Every day written in `text` in one of `forms`, in text order; a match overlapping one
    of an earlier form is not read (the "14/3 2018" in "14/3 2018-03-14" is not read twice)."""
    found: list[FoundDate] = []
    for name in forms:
        form = FORMS[name]
        taken = [(f.start, f.end) for f in found]
        for m in form.pattern.finditer(text):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            read = form.read(m)
            if read is not None:
                found.append(FoundDate(m.start(), m.end(), *read, form=name))
    found.sort(key=lambda f: f.start)
    return found


def leading_date(text: str, forms: Iterable[str] = COMMAND_FORMS) -> FoundDate | None:
    """The day written at the very start of `text`, if any (the rest is the caller's)."""
    for name in forms:
        form = FORMS[name]
        m = form.pattern.match(text)
        if m and (read := form.read(m)) is not None:
            return FoundDate(m.start(), m.end(), *read, form=name)
    return None


def complete_year(month: int, day: int, reference: dt.date, *, ahead_days: int | None = None,
                  behind_days: int | None = None) -> dt.date | None:
    """The day in the reference's calendar year, moved a year back when it lies more than
    `ahead_days` after the reference, or a year on when more than `behind_days` before it.

    A question's "24 november" (ahead 180) is the latest such day not half a year ahead; a
    chat command's "2 februari" (behind 0) is the next such day.
    """
    d = make_date(reference.year, month, day)
    if d is None:
        return None
    if ahead_days is not None and d > reference + dt.timedelta(days=ahead_days):
        return make_date(reference.year - 1, month, day)
    if behind_days is not None and d < reference - dt.timedelta(days=behind_days):
        return make_date(reference.year + 1, month, day)
    return d


def find_dates(text: str, default_year: int | None = None) -> list[tuple[int, dt.date]]:
    """Every day a document writes, with its position, in order.

    A day written in words without a year ("24 september") takes default_year, or is skipped;
    a numeric day needs its year ("3/4" is a fraction as often as a date).
    """
    out: list[tuple[int, dt.date]] = []
    for f in scan(text, DOCUMENT_FORMS):
        year = f.year if f.year is not None else (default_year if f.form == "words" else None)
        d = make_date(year, f.month, f.day) if year is not None else None
        if d:
            out.append((f.start, d))
    return out


# "180314" as a labelled value (only where a date is expected: see first_date).
_LEADING_YYMMDD_RE = re.compile(r"^\s*:?\s*(\d{6})(?![\d])")
_WHITESPACE_RE = re.compile(r"\s+")


def first_date(text: str, default_year: int | None = None) -> dt.date | None:
    """The first date in `text`; a text that starts with six digits ("180314", the value of a
    date label) is read as yymmdd when nothing else is a date."""
    dates = find_dates(text, default_year)
    if dates:
        return dates[0][1]
    m = _LEADING_YYMMDD_RE.match(text)
    return parse_yymmdd(m.group(1)) if m else None


def parse_yymmdd(digits: str) -> dt.date | None:
    """'240101' -> 2024-01-01; '20240101' -> 2024-01-01; OCR's spaces inside are ignored."""
    digits = _WHITESPACE_RE.sub("", digits)
    if len(digits) == 6:
        return make_date(2000 + int(digits[:2]), int(digits[2:4]), int(digits[4:]))
    if len(digits) == 8:
        return make_date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    return None


def parse_date(text: str) -> dt.date | None:
    """A date standing alone: 2021-04-30, 21-04-30, 210430, 20210430 or 30 april 2021."""
    s = text.strip()
    for name in VALUE_FORMS:
        m = FORMS[name].pattern.fullmatch(s)
        if m and (read := FORMS[name].read(m)) and read[0] is not None:
            return make_date(read[0], read[1], read[2])
    return None


def written_dates(text: str) -> tuple[set[dt.date], set[tuple[int, int]]]:
    """Every day `text` writes in any form: the full dates, and (month, day) of those written
    without a year."""
    full: set[dt.date] = set()
    year_less: set[tuple[int, int]] = set()
    for f in scan(text, WRITTEN_FORMS):
        if f.year is None:
            year_less.add((f.month, f.day))
        elif (d := f.date) is not None:
            full.add(d)
    return full, year_less


DEADLINE_RE = re.compile(r"senast\s+(?:den\s+)?", re.IGNORECASE)


def deadlines(text: str) -> list[tuple[str, dt.date]]:
    """Every "senast <day>" ("återrapportering senast 2025-03-31", "senast den 30 april 2025"):
    the phrase as written, and its day."""
    out: list[tuple[str, dt.date]] = []
    for m in DEADLINE_RE.finditer(text):
        found = scan(text[m.end():m.end() + 40], DOCUMENT_FORMS)
        if found and found[0].start == 0 and (day := found[0].date) is not None:
            out.append((text[m.start():m.end() + found[0].end], day))
    return out


# --- periods -------------------------------------------------------------------------------

ISO_PERIOD_RE = re.compile(
    r"((?:19|20)\d{2}-\d{1,2}-\d{1,2})\s*(?:-|–|—|till|t\.?\s?o\.?\s?m\.?)\s*((?:19|20)\d{2}-\d{1,2}-\d{1,2})",
    re.IGNORECASE,
)
# "240101-241231", also with an OCR space inside a half ("240101-24 1231").
_SHORT_PERIOD_RE = re.compile(
    r"(?<![\d-])(\d{2}\s?\d{2}\s?\d{2})\s*[-–—]\s*(\d{2}\s?\d{2}\s?\d{2})(?![\d-])"
)
_YEAR_RANGE_RE = re.compile(r"(?<![\d-])((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2}|\d{2})(?![\d-])")
_SINGLE_YEAR_RE = re.compile(
    r"\b(?:under|för|avseende|gällande)\s+(?:år\s+|året\s+|verksamhetsåret\s+|budgetåret\s+)?((?:19|20)\d{2})\b",
    re.IGNORECASE,
)


def parse_period(text: str, allow_year: bool = True) -> tuple[dt.date, dt.date] | None:
    """The first period in the text: ISO range, YYMMDD range, year range or "under 2024"."""
    candidates: list[tuple[int, tuple[dt.date, dt.date]]] = []
    for m in ISO_PERIOD_RE.finditer(text):
        a, b = first_date(m.group(1)), first_date(m.group(2))
        if a and b and a <= b:
            candidates.append((m.start(), (a, b)))
    for m in _SHORT_PERIOD_RE.finditer(text):
        a, b = parse_yymmdd(m.group(1)), parse_yymmdd(m.group(2))
        if a and b and a <= b:
            candidates.append((m.start(), (a, b)))
    if candidates:
        return min(candidates, key=lambda c: c[0])[1]
    if not allow_year:
        return None
    for m in _YEAR_RANGE_RE.finditer(text):
        start = int(m.group(1))
        end_s = m.group(2)
        end = int(end_s) if len(end_s) == 4 else (start // 100) * 100 + int(end_s)
        if start <= end <= start + 10:
            candidates.append((m.start(), (dt.date(start, 1, 1), dt.date(end, 12, 31))))
    for m in _SINGLE_YEAR_RE.finditer(text):
        year = int(m.group(1))
        candidates.append((m.start(), (dt.date(year, 1, 1), dt.date(year, 12, 31))))
    if candidates:
        return min(candidates, key=lambda c: c[0])[1]
    return None


# --- clock times ---------------------------------------------------------------------------

TIME_RANGE_RE = re.compile(
    r"\b(?:kl(?:ockan)?\.?|tid(?:en)?:?)\s*(?:ca\.?\s*|cirka\s*)?"
    r"(\d{1,2})(?:[.:](\d{2}))?(?:\s*(?:-|–|—|till)\s*(\d{1,2})(?:[.:](\d{2}))?)?(?![\d])",
    re.IGNORECASE,
)
# A bare "9-12" or "09.00–15.00" (meeting plans often leave out "kl").
BARE_TIME_RANGE_RE = re.compile(r"(?<![\d.:-])(\d{1,2})(?:[.:](\d{2}))?\s*[-–—]\s*(\d{1,2})(?:[.:](\d{2}))?(?![\d])")


def make_time(hour: str | None, minute: str | None) -> dt.time | None:
    if hour is None:
        return None
    h, m = int(hour), int(minute or 0)
    if h == 24 and m == 0:
        h = 0
    if 0 <= h <= 23 and 0 <= m <= 59:
        return dt.time(h, m)
    return None


def parse_time_range(text: str, bare: bool = False) -> tuple[dt.time | None, dt.time | None]:
    """'kl. 09.00-12.00' -> (09:00, 12:00); 'kl 9' -> (09:00, None).

    With bare=True a range without "kl" ("9-12") is read too, after dates are blanked out.
    """
    m = TIME_RANGE_RE.search(text)
    if m:
        start = make_time(m.group(1), m.group(2))
        end = make_time(m.group(3), m.group(4)) if m.group(3) else None
        if start and (end is None or end > start):
            return start, end
    if bare:
        blanked = ISO_DATE_RE.sub(" ", text)
        blanked = ISO_PERIOD_RE.sub(" ", blanked)
        m2 = BARE_TIME_RANGE_RE.search(blanked)
        if m2:
            start = make_time(m2.group(1), m2.group(2))
            end = make_time(m2.group(3), m2.group(4))
            if start and end and end > start and start.hour >= 6:
                return start, end
    return None, None
