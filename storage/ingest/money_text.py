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

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from storage.ingest.parsed import ParsedBudgetFigure
from storage.swedish import month_number
from storage.swedish.amounts import scan_amounts, to_kronor
from storage.swedish.cleaning import normalise_spaces, strip_markup
from storage.swedish.dates import DATE_PATTERN, MONTH_RANGE, month_end, parse_date, tertial_end

# --- dates -----------------------------------------------------------------------------------

_PERIOD_END = re.compile(
    rf"(?=[td])(?:tertial|delårs)\w*\s+(?:per\s+|t\.?\s?o\.?\s?m\.?\s+)?({DATE_PATTERN})", re.I)
_PERIOD_MONTHS = re.compile(rf"(?=[td])(?:tertial|delårs)\w*\s+{MONTH_RANGE}\s+(\d{{4}})", re.I)
_TERTIAL_YEAR = re.compile(r"(?=t)\btertial\s*([123])\s+(?:år\s+)?(\d{4})\b", re.I)
_ADOPTED = re.compile(
    rf"(?=[fba])(?:fastställ|beslutad|antagen|antogs|antagits)\w*\s+(?:av\s+\w+\s+)?(?:den\s+)?({DATE_PATTERN})",
    re.I)


@lru_cache(maxsize=2)
def _flat_text(text: str) -> str:
    """A whole document with tabs as spaces and without markup; report_date and prose_amounts
    both read it.

    Not through strip_markup's cache: that one is for table cells and would keep every document.
    """
    return normalise_spaces(strip_markup.__wrapped__(text.replace("\t", " ")))


def report_date(text: str, table_dates: Iterable[dt.date] = ()) -> dt.date | None:
    """The date a report speaks of: its tertial or period end, else the latest partial-year
    outcome column, else the date the document was adopted."""
    flat = _flat_text(text)
    # Each pattern is run only when the text holds a word it needs (spelled without the
    # letters i and s, which IGNORECASE also matches in other scripts).
    low = flat.lower()
    found: list[dt.date] = []
    if "tert" in low or "delår" in low:
        for m in _PERIOD_END.finditer(flat):
            if d := parse_date(m[1]):
                found.append(d)
        for m in _PERIOD_MONTHS.finditer(flat):
            if last := month_number(m["last"], english=True):
                found.append(month_end(int(m[3]), last))
    if "tert" in low:
        for m in _TERTIAL_YEAR.finditer(flat):
            if d := tertial_end(int(m[2]), int(m[1])):
                found.append(d)
    if found:
        return max(found)
    partial = [d for d in table_dates if (d.month, d.day) != (12, 31)]
    if partial:
        return max(partial)
    if not ("täll" in low or "lutad" in low or "ant" in low):
        return None
    adopted = [d for m in _ADOPTED.finditer(flat) if (d := parse_date(m[1]))]
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
        m = PARAGRAPH_LINE.match(line) if "§" in line else None  # the pattern needs a §
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

_RANGE_BEFORE = re.compile(r"\d\s*[-–]\s*$")
_DIFFERENCE_AFTER = re.compile(
    r"^\s*(?:högre|lägre|mer|mindre|över|under|bättre|sämre|större|ökning|minskning)\b", re.I)
_FORECAST = re.compile(r"prognos|beräkna[st]|bedöm(?:er|s)\b|kommer att|förväntas|väntas|uppskatta[rs]", re.I)
_PAST_ESTIMATE = re.compile(
    r"bedömdes|beräknades|prognostiserades|räknade\s+med|antogs|uppskattades|trodde", re.I)
_APPROX = r"(?:totalt\s+|cirka\s+|ca\.?\s+|drygt\s+|knappt\s+|sammanlagt\s+)*"


@dataclass
class ProseContext:
    # A function, not the date: finding it scans the whole document, which only a document
    # with a figure in it needs (a cached function, so it is looked for once).
    report_date_of: Callable[[], dt.date | None]
    paragraph_of_line: list[int | None]

    @property
    def report_date(self) -> dt.date | None:
        return self.report_date_of()

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


# The phrase families of _classify, matched against the lower-cased clause before an amount.
_RECOMMENDED = re.compile(r"(?:högsta|maximal|max)\w*\s+rekommender|rekommender\w*\s+(?:högsta|max)|"
                          r"rekommender\w*\s+(?:nivå|tak)|rådets\s+rekommendation")
_LEVEL = re.compile(r"nivå|kapital|sparade\s+medel|tak")
_ALLOCATED = re.compile(r"tilldela[st]|tilldelning|erhåller|erhållit|beviljats")
_EQUITY = re.compile(r"\beg(?:et|na)\s+kapital")
_OPENING = re.compile(r"årsskiftet|ingående|ingången|1 januari")
_WAS = re.compile(r"uppgick|uppgått|\bvar\b")
_DEFICIT = re.compile(r"underbalanser\w*\s+med\s+" + _APPROX + "$")
_BUDGETED_DEFICIT = re.compile(r"budgeter\w*\s+underskott\w*\s+(?:på|om)\s+" + _APPROX + "$")
_SURPLUS = re.compile(r"överbalanser\w*\s+med\s+" + _APPROX + "$")
_BUDGETED_SURPLUS = re.compile(r"budgeter\w*\s+överskott\w*\s+(?:på|om)\s+" + _APPROX + "$")
_BUDGET_FOR_YEAR = re.compile(r"budget\w*\s+(?:för|inför)\s+(?:verksamhets)?(?:år(?:et)?\s+)?(\d{4})\s+"
                              r"(?:på|om|uppgår\s+till|är)\s+" + _APPROX + "$")
_TOTAL_BUDGET = re.compile(r"(?:total|sammanlagd)a?\s+budget\w*\s+(?:för\s+\d{4}\s+)?(?:på|om|uppgår\s+till|är)\s+"
                           + _APPROX + "$")
_BUDGETED_TOTAL = re.compile(r"(intäkter|kostnader)(?:na)?\s+(?:för\s+\d{4}\s+)?(?:har\s+|är\s+)?"
                             r"budgeter\w+\s+till\s+" + _APPROX + "$")
_RESULT = re.compile(r"\bresultat(?:et)?\b")
_FORECAST_YEAR = re.compile(r"(?:helåret|helår|för|år)\s+(\d{4})")
_BUDGETED = re.compile(r"budgeter")
_FORECAST_NOUN = re.compile(r"prognostiser\w+\s+([a-zåäö]+)\s+(?:på|om|uppgår\s+till|till)\s+" + _APPROX + "$")


_STATE_ALLOCATION = re.compile(
    r"statlig\w*\s+(?:medel|tilldelning|bidrag|finansiering)"
    r"|statens\s+(?:tilldelning|bidrag|medel|andel)|medelstil+\w*|statsbidrag", re.I)


# "… återstår 580 000 kronor av budgetposten Tillgängligt nya insatser för 2025."
_REMAINS_BEFORE = re.compile(r"\b(?:återstår|kvarstår|finns\s+(?:det\s+)?kvar)\s+" + _APPROX + "$", re.I)
_REMAINS_AFTER = re.compile(
    r"^\s*(?:av|på|i)\s+(?:budget)?(?:posten|raden)\s+(?P<post>[^.,;]+?)(?:\s+(?:för|under)\s+(?:år\s+)?"
    r"(?P<year>(?:19|20)\d{2}))?\s*(?:[.,;]|$)", re.I)
# "Årets resultat 2024 uppgår till 731 tkr": a closed year's result, stated in the text.
_YEAR_RESULT = re.compile(r"\bårets\s+resultat\s+(?:för\s+)?(?P<year>(?:19|20)\d{2})\s+"
                          r"(?:uppgår|uppgick|blev|var|landade)\s+(?:till\s+|på\s+)?" + _APPROX + "$")


def _remaining(clause: str, after: str, ctx: ProseContext) -> _Hit | None:
    """What the text says remains of a budget post: a figure of kind "kvar", as of the report."""
    if not _REMAINS_BEFORE.search(clause):
        return None
    m = _REMAINS_AFTER.match(after)
    if m is None:
        return None
    when = ctx.report_date
    year = int(m["year"]) if m["year"] else (when.year if when else None)
    return _Hit(m["post"].strip(), "kvar", year, "kostnader", when)


def _classify(clause: str, ctx: ProseContext, paragraph_text: str) -> _Hit | None:
    """Which figure an amount is, judged from the clause before it (and the § it sits in)."""
    c = clause.lower()
    # ctx.report_year and ctx.report_date are read only where a rule needs them: finding the
    # report's date scans the whole document, and most amounts (grants) match no rule here.

    # The national council's ceiling on equity (Nationella rådets rekommendation).
    if _RECOMMENDED.search(c) and \
            _LEVEL.search(c):
        return _Hit("Rekommenderat högsta eget kapital", "budget", _year_in(clause) or ctx.report_year,
                    "eget kapital")

    # The state's yearly allocation, usually its own § ("Beslut om statlig medelstilldelning 2024").
    state = _STATE_ALLOCATION
    if _ALLOCATED.search(c) and (state.search(clause) or state.search(paragraph_text)):
        y = _year_in(clause) or _year_in(state.split(paragraph_text, maxsplit=1)[-1]) or ctx.report_year
        return _Hit("Statlig medelstilldelning", "budget", y, "medlemsbidrag")

    if _PAST_ESTIMATE.search(c):
        return None

    if _EQUITY.search(c):
        per = _per_date(clause)
        if _FORECAST.search(c):
            return _Hit("Eget kapital", "prognos", _year_in(clause) or ctx.report_year, "eget kapital",
                        ctx.report_date)
        if per:
            return _Hit("Eget kapital", "utfall", per.year, "eget kapital", per)
        opening = _OPENING.search(c)
        if _WAS.search(c) and opening and (year := ctx.report_year):
            return _Hit("Eget kapital", "utfall", year - 1, "eget kapital", dt.date(year - 1, 12, 31))
        return None

    if _DEFICIT.search(c) or _BUDGETED_DEFICIT.search(c):
        return _Hit("Årets resultat", "budget", _year_in(clause) or ctx.report_year, "resultat", negate=True)
    if _SURPLUS.search(c) or _BUDGETED_SURPLUS.search(c):
        return _Hit("Årets resultat", "budget", _year_in(clause) or ctx.report_year, "resultat")

    if m := _BUDGET_FOR_YEAR.search(c):
        return _Hit("Total budget", "budget", int(m[1]), "kostnader")
    if _TOTAL_BUDGET.search(c):
        return _Hit("Total budget", "budget", _year_in(clause) or ctx.report_year, "kostnader")

    if m := _BUDGETED_TOTAL.search(c):
        what = m[1]
        return _Hit(f"Summa {what}", "budget", _year_in(clause) or ctx.report_year, what)

    if (m := _YEAR_RESULT.search(c)) and not _FORECAST.search(c) and not _BUDGETED.search(c) and (
            ctx.report_year is None or int(m["year"]) < ctx.report_year):
        year = int(m["year"])
        return _Hit("Årets resultat", "utfall", year, "resultat", dt.date(year, 12, 31))
    if _RESULT.search(c):
        per = _per_date(clause)
        if _FORECAST.search(c):
            y = None
            if m := _FORECAST_YEAR.search(c):
                y = int(m[1])
            return _Hit("Årets resultat", "prognos", y or ctx.report_year, "resultat", ctx.report_date)
        if per:
            return _Hit("Årets resultat", "utfall", per.year, "resultat", per)
        if _BUDGETED.search(c):
            return _Hit("Årets resultat", "budget", _year_in(clause) or ctx.report_year, "resultat")
        return None

    if m := _FORECAST_NOUN.search(c):
        noun = m[1]
        if noun.startswith("intäkt"):
            return _Hit("Summa intäkter", "prognos", ctx.report_year, "intäkter", ctx.report_date)
        if noun.startswith("kostnad"):
            return _Hit("Summa kostnader", "prognos", ctx.report_year, "kostnader", ctx.report_date)
        return _Hit(noun.capitalize(), "prognos", ctx.report_year, None, ctx.report_date)
    return None


def prose_figures(lines: list[str], ctx: ProseContext) -> list[ParsedBudgetFigure]:
    figures: list[ParsedBudgetFigure] = []
    para_start = 0  # the first line of the run of lines in the current §
    current_para: int | None = None
    for i, raw in enumerate(lines):
        para = ctx.paragraph_of_line[i] if i < len(ctx.paragraph_of_line) else None
        if para != current_para:
            current_para, para_start = para, i
        # Every unit the amount pattern knows ends in "kr", and only markup removed by
        # strip_markup could join a "k" and an "r": most lines are ruled out here.
        if "kr" not in raw.lower() and "<" not in raw and "*" not in raw and "_" not in raw:
            continue
        paragraph_text = ""
        for segment in raw.split("\t"):
            text = strip_markup(segment)
            if "kr" not in text.lower() or not scan_amounts(text, says_kronor=True):
                continue
            if para is not None and not paragraph_text:
                # The § so far, up to and with this line; built only for a line with an amount.
                paragraph_text = "".join(" " + strip_markup(lines[k]) for k in range(para_start, i + 1))
            for sentence in _sentences(text):
                start = 0
                for amount in scan_amounts(sentence, says_kronor=True):
                    clause, after = sentence[start:amount.start], sentence[amount.end:]
                    start = amount.end
                    if _RANGE_BEFORE.search(clause) or _DIFFERENCE_AFTER.match(after):
                        continue
                    hit = _remaining(clause, after, ctx) or _classify(
                        clause, ctx, paragraph_text if para is not None else "")
                    unit = amount.unit
                    if hit is None or hit.year is None:
                        continue
                    value = amount.value
                    if amount.negative or hit.negate:
                        value = -value
                    figures.append(ParsedBudgetFigure(
                        year=hit.year, kind=hit.kind, line=hit.line, amount=to_kronor(value, unit), unit=unit,
                        section=hit.section, as_of=hit.as_of, paragraph_number=para, source_line=i,
                        row_type="line" if hit.kind == "kvar" else ("total" if hit.section in (
                            "resultat", "eget kapital") or hit.line.startswith(("Summa", "Total")) else "line")))
    return figures


def prose_amounts(text: str) -> set[tuple[Decimal, str]]:
    """Every amount written with a unit in running text: a table without a unit is matched
    against these to learn whether it is in kr or tkr."""
    out: set[tuple[Decimal, str]] = set()
    flat = _flat_text(text)
    if "kr" not in flat.lower():  # every unit the pattern knows ends in "kr"
        return out
    for amount in scan_amounts(flat, says_kronor=True):
        out.add((amount.value, amount.unit))
    return out
