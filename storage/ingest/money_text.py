"""Amounts, dates and money figures written in prose in board documents.

Two halves: small readers shared with the table parser (numbers as Swedish documents
write them, dates, units, which § a line sits in, the date a report speaks of), and the
prose figures themselves. Prose is read by phrase families ("prognostiserat eget kapital
... uppgår till", "per <datum> uppgår resultatet till", "budget för verksamhetsåret <år> på",
"tilldelas ... kronor" under a § on the state's allocation) rather than exact sentences,
and each amount is judged by the clause just before it, so a sentence holding two figures
yields two.

Deliberately left out: ranges ("300 - 350 tkr"), differences ("573 tkr högre än
budgeterat"), past estimates ("bedömdes det egna kapitalet bli ..."), grant amounts
(read by the grant parser) and amounts with no unit.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from storage.ingest.parsed import ParsedBudgetFigure

UNIT_FACTORS: dict[str, int] = {"kr": 1, "tkr": 1_000, "mkr": 1_000_000}

MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4,
    "maj": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
MONTH_ALTERNATION = "|".join(sorted(MONTHS, key=len, reverse=True))

# Thousands are separated by a space in Swedish; PDFs also give no-break and thin spaces.
_SPACES = re.compile(r"[\u00a0\u2007\u2009\u202f\u2002\u2003]")
_MINUS = r"\-−–—"  # every dash a PDF turns a minus sign into, escaped for use inside [...]


def normalise_spaces(text: str) -> str:
    return _SPACES.sub(" ", text)


_SUP = re.compile(r"<sup>.*?</sup>", re.I | re.S)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)")


_HEADING = re.compile(r"^\s*#+\s*")
_BLANKS = re.compile(r"[ \t]+")


@lru_cache(maxsize=65536)
def strip_markup(text: str) -> str:
    """Drops HTML tags (footnote superscripts with their content), Markdown emphasis and headings."""
    # Table cells are read many times over and rarely hold markup: skip what cannot apply.
    if "<" in text:
        text = _SUP.sub("", text)
        text = _TAG.sub(" ", text)
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub("", text)
    if "#" in text:
        text = _HEADING.sub("", text)
    return _BLANKS.sub(" ", normalise_spaces(text)).strip()


_NUMBER = re.compile(
    rf"^(?P<sign>[+{_MINUS}]\s?)?(?P<int>\d{{1,3}}(?: \d{{3}})+|\d+)(?:,(?P<dec>\d+))?"
    r"\s*(?P<unit>tkr|mkr|mnkr|kr|kronor)?\.?$",
    re.I,
)


def parse_number(cell: str) -> tuple[Decimal, str | None] | None:
    """A table cell as a number and any unit written in it; None for empty, "-" or text.

    "- 8 029" and "(8 029)" are negative; "1 234,5" keeps its decimals.
    """
    s = strip_markup(cell)
    negative = False
    if len(s) > 2 and s.startswith("(") and s.endswith(")"):
        s, negative = s[1:-1].strip(), True
    m = _NUMBER.match(s)
    if not m:
        return None
    try:
        value = Decimal(m.group("int").replace(" ", "") + ("." + m.group("dec") if m.group("dec") else ""))
    except InvalidOperation:
        return None
    sign = m.group("sign")
    if negative or (sign and sign.strip() != "+"):
        value = -value
    return value, normalise_unit(m.group("unit"))


def normalise_unit(word: str | None) -> str | None:
    if not word:
        return None
    w = word.lower().strip(" .()")
    if w in ("tkr", "tusen kronor", "tusental kronor", "tusentals kronor"):
        return "tkr"
    if w in ("mkr", "mnkr") or w.startswith("milj"):
        return "mkr"
    if w in ("kr", "kronor", "kr.", ":-", "sek"):
        return "kr"
    return None


def to_kronor(value: Decimal, unit: str) -> int:
    return int((value * UNIT_FACTORS.get(unit, 1)).to_integral_value())


# --- dates -----------------------------------------------------------------------------------

def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


DATE_PATTERN = (rf"\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}\s+(?:{MONTH_ALTERNATION})\s+\d{{4}}"
                r"|\d{2}-\d{2}-\d{2}")


def parse_date(text: str) -> dt.date | None:
    """2021-04-30, 21-04-30, 210430, 20210430 or 30 april 2021."""
    s = text.strip().lower()
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s):
        return _safe_date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{2})-(\d{2})-(\d{2})", s):
        return _safe_date(2000 + int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{2})(\d{2})(\d{2})", s):
        return _safe_date(2000 + int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{4})(\d{2})(\d{2})", s):
        return _safe_date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(rf"(\d{{1,2}})\s+({MONTH_ALTERNATION})\s+(\d{{4}})", s):
        return _safe_date(int(m[3]), MONTHS[m[2]], int(m[1]))
    return None


def tertial_end(year: int, tertial: int) -> dt.date | None:
    return month_end(year, 4 * tertial) if tertial in (1, 2, 3) else None


def report_date(text: str, table_dates: Iterable[dt.date] = ()) -> dt.date | None:
    """The date a report speaks of: its tertial or period end, else the latest partial-year
    outcome column, else the date the document was adopted."""
    flat = normalise_spaces(strip_markup(text.replace("\t", " ")))
    found: list[dt.date] = []
    for m in re.finditer(rf"(?:tertial|delårs)\w*\s+(?:per\s+|t\.?\s?o\.?\s?m\.?\s+)?({DATE_PATTERN})",
                         flat, re.I):
        if d := parse_date(m[1]):
            found.append(d)
    month_range = (rf"(?:tertial|delårs)\w*\s+(?:{MONTH_ALTERNATION})\w*\s*[-–]\s*"
                   rf"({MONTH_ALTERNATION})\w*\s+(\d{{4}})")
    for m in re.finditer(month_range, flat, re.I):
        found.append(month_end(int(m[2]), MONTHS[m[1].lower()]))
    for m in re.finditer(r"\btertial\s*([123])\s+(?:år\s+)?(\d{4})\b", flat, re.I):
        if d := tertial_end(int(m[2]), int(m[1])):
            found.append(d)
    if found:
        return max(found)
    partial = [d for d in table_dates if (d.month, d.day) != (12, 31)]
    if partial:
        return max(partial)
    adopted = [d for m in re.finditer(
        rf"(?:fastställ|beslutad|antagen|antogs|antagits)\w*\s+(?:av\s+\w+\s+)?(?:den\s+)?({DATE_PATTERN})",
        flat, re.I) if (d := parse_date(m[1]))]
    if adopted:
        return max(adopted)
    return None


# --- which § a line belongs to ----------------------------------------------------------------

PARAGRAPH_LINE = re.compile(r"^\s*(?:[-*•]\s*)?(?:\*\*)?\s*§\s*(\d{1,4})\b(?!\s*(?:i|kap|st)\b)")
# A report appended to a protocol starts with its own title; its figures belong to no §.
REPORT_TITLE = re.compile(
    r"^\s*(?:#+\s*)?(?:\*\*)?\s*(?:tertial\w*|verksamhetsplan|delårs\w*|årsredovisning|verksamhetsberättelse"
    r"|budget\s+\d{4}|bokslut\s+\d{4})\b",
    re.I,
)


def paragraph_numbers(lines: list[str]) -> list[int | None]:
    """For each line, the number of the § it sits under, or None outside any §."""
    out: list[int | None] = []
    current: int | None = None
    title_pending = False
    body_lines = 0
    for line in lines:
        m = PARAGRAPH_LINE.match(line)
        if m:
            current = int(m[1])
            rest = strip_markup(line[m.end():])
            title_pending = not rest
            body_lines = 0
        elif line.strip():
            if title_pending:
                title_pending = False
            elif (current is not None and REPORT_TITLE.match(line) and len(line.split()) <= 8
                  and not line.rstrip().endswith(".")):
                current = None
            else:
                body_lines += 1
        out.append(current)
    return out


# --- figures in prose ---------------------------------------------------------------------------

_PROSE_AMOUNT = re.compile(
    r"(?<![\d,.])(?P<sign>[-−]\s?)?(?P<int>\d{1,3}(?: \d{3})+|\d+)(?:,(?P<dec>\d+))?\s*"
    r"(?P<unit>tkr|tusen kronor|mnkr|mkr|milj(?:oner|\.)?\s*(?:kr|kronor)|kronor|kr)(?![a-zåäö])",
    re.I,
)
_RANGE_BEFORE = re.compile(r"\d\s*[-–]\s*$")
_DIFFERENCE_AFTER = re.compile(
    r"^\s*(?:högre|lägre|mer|mindre|över|under|bättre|sämre|större|ökning|minskning)\b", re.I)
_FORECAST = re.compile(r"prognos|beräkna[st]|bedöm(?:er|s)\b|kommer att|förväntas|väntas|uppskatta[rs]", re.I)
_PAST_ESTIMATE = re.compile(
    r"bedömdes|beräknades|prognostiserades|räknade\s+med|antogs|uppskattades|trodde", re.I)
_APPROX = r"(?:totalt\s+|cirka\s+|ca\.?\s+|drygt\s+|knappt\s+|sammanlagt\s+)*"


@dataclass
class ProseContext:
    report_date: dt.date | None
    paragraph_of_line: list[int | None]

    @property
    def report_year(self) -> int | None:
        return self.report_date.year if self.report_date else None


def _sentences(segment: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ\d])", segment) if s.strip()]


def _year_in(text: str) -> int | None:
    m = re.search(r"\b(20\d{2}|19\d{2})\b(?!-\d)", text)
    return int(m[1]) if m else None


def _per_date(clause: str) -> dt.date | None:
    m = re.search(rf"\bper\s+({DATE_PATTERN})", clause, re.I)
    return parse_date(m[1]) if m else None


@dataclass
class _Hit:
    line: str
    kind: str
    year: int | None
    section: str | None
    as_of: dt.date | None = None
    negate: bool = False


def _classify(clause: str, ctx: ProseContext, paragraph_text: str) -> _Hit | None:
    """Which figure an amount is, judged from the clause before it (and the § it sits in)."""
    c = clause.lower()
    year = ctx.report_year
    forecast_as_of = ctx.report_date

    # The national council's ceiling on equity (Nationella rådets rekommendation).
    if re.search(r"(?:högsta|maximal|max)\w*\s+rekommender|rekommender\w*\s+(?:högsta|max)|"
                 r"rekommender\w*\s+(?:nivå|tak)|rådets\s+rekommendation", c) and \
            re.search(r"nivå|kapital|sparade\s+medel|tak", c):
        return _Hit("Rekommenderat högsta eget kapital", "budget", _year_in(clause) or year, "eget kapital")

    # The state's yearly allocation, usually its own § ("Beslut om statlig medelstilldelning 2024").
    state = re.compile(r"statlig\w*\s+(?:medel|tilldelning|bidrag|finansiering)"
                       r"|statens\s+(?:tilldelning|bidrag|medel|andel)|medelstil+\w*|statsbidrag", re.I)
    if re.search(r"tilldela[st]|tilldelning|erhåller|erhållit|beviljats", c) and (
            state.search(clause) or state.search(paragraph_text)):
        y = _year_in(clause) or _year_in(state.split(paragraph_text, maxsplit=1)[-1]) or year
        return _Hit("Statlig medelstilldelning", "budget", y, "medlemsbidrag")

    if _PAST_ESTIMATE.search(c):
        return None

    if re.search(r"\beg(?:et|na)\s+kapital", c):
        per = _per_date(clause)
        if _FORECAST.search(c):
            return _Hit("Eget kapital", "prognos", _year_in(clause) or year, "eget kapital", forecast_as_of)
        if per:
            return _Hit("Eget kapital", "utfall", per.year, "eget kapital", per)
        opening = re.search(r"årsskiftet|ingående|ingången|1 januari", c)
        if re.search(r"uppgick|uppgått|\bvar\b", c) and opening and year:
            return _Hit("Eget kapital", "utfall", year - 1, "eget kapital", dt.date(year - 1, 12, 31))
        return None

    if re.search(r"underbalanser\w*\s+med\s+" + _APPROX + "$", c) or \
            re.search(r"budgeter\w*\s+underskott\w*\s+(?:på|om)\s+" + _APPROX + "$", c):
        return _Hit("Årets resultat", "budget", _year_in(clause) or year, "resultat", negate=True)
    if re.search(r"överbalanser\w*\s+med\s+" + _APPROX + "$", c) or \
            re.search(r"budgeter\w*\s+överskott\w*\s+(?:på|om)\s+" + _APPROX + "$", c):
        return _Hit("Årets resultat", "budget", _year_in(clause) or year, "resultat")

    if m := re.search(r"budget\w*\s+(?:för|inför)\s+(?:verksamhets)?(?:år(?:et)?\s+)?(\d{4})\s+"
                      r"(?:på|om|uppgår\s+till|är)\s+" + _APPROX + "$", c):
        return _Hit("Total budget", "budget", int(m[1]), "kostnader")
    if re.search(r"(?:total|sammanlagd)a?\s+budget\w*\s+(?:för\s+\d{4}\s+)?(?:på|om|uppgår\s+till|är)\s+"
                 + _APPROX + "$", c):
        return _Hit("Total budget", "budget", _year_in(clause) or year, "kostnader")

    if m := re.search(r"(intäkter|kostnader)(?:na)?\s+(?:för\s+\d{4}\s+)?(?:har\s+|är\s+)?"
                      r"budgeter\w+\s+till\s+"
                      + _APPROX + "$", c):
        what = m[1]
        return _Hit(f"Summa {what}", "budget", _year_in(clause) or year, what)

    if re.search(r"\bresultat(?:et)?\b", c):
        per = _per_date(clause)
        if _FORECAST.search(c):
            y = None
            if m := re.search(r"(?:helåret|helår|för|år)\s+(\d{4})", c):
                y = int(m[1])
            return _Hit("Årets resultat", "prognos", y or year, "resultat", forecast_as_of)
        if per:
            return _Hit("Årets resultat", "utfall", per.year, "resultat", per)
        if re.search(r"budgeter", c):
            return _Hit("Årets resultat", "budget", _year_in(clause) or year, "resultat")
        return None

    if m := re.search(r"prognostiser\w+\s+([a-zåäö]+)\s+(?:på|om|uppgår\s+till|till)\s+" + _APPROX + "$", c):
        noun = m[1]
        if noun.startswith("intäkt"):
            return _Hit("Summa intäkter", "prognos", year, "intäkter", forecast_as_of)
        if noun.startswith("kostnad"):
            return _Hit("Summa kostnader", "prognos", year, "kostnader", forecast_as_of)
        return _Hit(noun.capitalize(), "prognos", year, None, forecast_as_of)
    return None


def prose_figures(lines: list[str], ctx: ProseContext) -> list[ParsedBudgetFigure]:
    figures: list[ParsedBudgetFigure] = []
    paragraph_text = ""
    current_para: int | None = None
    for i, raw in enumerate(lines):
        para = ctx.paragraph_of_line[i] if i < len(ctx.paragraph_of_line) else None
        if para != current_para:
            current_para, paragraph_text = para, ""
        if para is not None:
            paragraph_text += " " + strip_markup(raw)
        for segment in raw.split("\t"):
            text = strip_markup(segment)
            if not _PROSE_AMOUNT.search(text):
                continue
            for sentence in _sentences(text):
                start = 0
                for m in _PROSE_AMOUNT.finditer(sentence):
                    clause, after = sentence[start:m.start()], sentence[m.end():]
                    start = m.end()
                    if _RANGE_BEFORE.search(clause) or _DIFFERENCE_AFTER.match(after):
                        continue
                    hit = _classify(clause, ctx, paragraph_text if para is not None else "")
                    unit = normalise_unit(m["unit"])
                    if hit is None or hit.year is None or unit is None:
                        continue
                    value = Decimal(m["int"].replace(" ", "") + ("." + m["dec"] if m["dec"] else ""))
                    if m["sign"] or hit.negate:
                        value = -value
                    figures.append(ParsedBudgetFigure(
                        year=hit.year, kind=hit.kind, line=hit.line, amount=to_kronor(value, unit), unit=unit,
                        section=hit.section, as_of=hit.as_of, paragraph_number=para))
    return figures


def prose_amounts(text: str) -> set[tuple[Decimal, str]]:
    """Every amount written with a unit in running text: a table without a unit is matched
    against these to learn whether it is in kr or tkr."""
    out: set[tuple[Decimal, str]] = set()
    for m in _PROSE_AMOUNT.finditer(normalise_spaces(strip_markup(text.replace("\t", " ")))):
        unit = normalise_unit(m["unit"])
        if unit:
            out.add((Decimal(m["int"].replace(" ", "") + ("." + m["dec"] if m["dec"] else "")), unit))
    return out
