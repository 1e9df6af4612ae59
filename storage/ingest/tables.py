"""Budget, forecast, outcome and plan figures from the money tables of a board document.

`parse_budget(text)` returns one ParsedBudgetFigure per (line, column) cell that holds an
amount, plus the figures written in prose (money_text). Tables arrive as text extracted
from PDFs: cells separated by tabs (also Markdown pipe tables and HTML <table>s, which are
turned into tab lines first). A table starts at a header row whose cells name columns
("Budget 2021", "Prognos 2020", "Plan 2022", "Utfall t.o.m. T2", "200101 200430",
"2021-04-30", "Not") and runs until prose, a § or another table. Values map to columns by
tab position, so a row with empty cells keeps its figures in the right columns.

The unit comes, in order, from the header ("Belopp i tkr", "Budget 2025 (tkr)"), the lines
just above the table, the table it continues, amounts the running text gives with a unit
(a table without unit whose "13 890" the text calls "13 890 tkr"), and last from size
(a förbund's tables in kronor run into hundreds of thousands).

What the fields mean, so the loader and the answers can rely on them:
- amount in whole kronor with the sign the table writes; unit is what the source gave.
- as_of: an outcome's period end ("210101 210430" -> 2021-04-30, "Utfall 2020" -> 2020-12-31);
  a forecast's report date (the tertial end, else the date the document was adopted);
  None for budget and plan.
- section: the sub-header in force, lower case ("kansli och styrelse", "verksamheter"),
  "medlemsbidrag" for a member body's contribution among the income, "eget kapital" and
  "resultat" for those lines wherever they stand.
- line: the row label without list dashes, markup, footnote markers or distribution notes;
  a bare "Summa" is named after its block ("Summa intäkter").
- One figure per (year, kind, line, as_of), the store's unique key; the first one wins.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property, lru_cache

from storage.ingest.money_text import (
    PARAGRAPH_LINE,
    ProseContext,
    paragraph_numbers,
    prose_amounts,
    prose_figures,
    report_date,
)
from storage.ingest.parsed import ParsedBudgetFigure
from storage.swedish import month_alternation, month_number
from storage.swedish.amounts import normalise_unit, parse_number, to_kronor, unit_words
from storage.swedish.cleaning import normalise_spaces, strip_markup
from storage.swedish.dates import DATE_PATTERN, month_end, parse_date

log = logging.getLogger(__name__)

# "kvar": what a text says remains of a budget post on a day (no table has such a column).
KINDS = ("budget", "prognos", "utfall", "plan", "kvar")


def parse_budget(text: str) -> list[ParsedBudgetFigure]:
    """Every money figure of the document's tables and prose; [] when there is none.

    Never raises: odd text gives fewer figures, not an error.
    """
    try:
        return _parse_budget(text)
    except Exception:  # a parser bug must not stop the ingest of the rest of the document
        log.exception("budget parser failed; no figures taken from this document")
        return []


def _parse_budget(text: str) -> list[ParsedBudgetFigure]:
    if not text or not text.strip():
        return []
    lines = prepare_lines(text)
    paras = paragraph_numbers(lines)

    @cache
    def when() -> dt.date | None:
        # Scans the whole document: only once a figure needs it, which most documents never do.
        return report_date(text, _utfall_dates(lines))

    figures = _TableReader(lines, paras, when, text).read()
    figures += prose_figures(lines, ProseContext(report_date_of=when, paragraph_of_line=paras))
    return _unique(figures)


def _unique(figures: list[ParsedBudgetFigure]) -> list[ParsedBudgetFigure]:
    """One figure per (year, kind, line, as_of), the store's unique key; tables come first,
    so prose repeating a table's figure adds nothing."""
    seen: set[tuple[int, str, str, dt.date | None]] = set()
    out: list[ParsedBudgetFigure] = []
    for f in figures:
        key = (f.year, f.kind, f.line, f.as_of)
        if key in seen or f.kind not in KINDS or not f.line:
            continue
        seen.add(key)
        out.append(f)
    return out


# --- turning every table style into tab lines -------------------------------------------------

_HTML_TABLE = re.compile(r"<table\b.*?</table>", re.I | re.S)
_HTML_ROW = re.compile(r"<tr\b.*?</tr>", re.I | re.S)
_HTML_CELL = re.compile(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", re.I | re.S)


def _html_table_lines(match: re.Match[str]) -> str:
    rows = []
    for row in _HTML_ROW.findall(match.group(0)):
        cells = [strip_markup(html.unescape(c)) for c in _HTML_CELL.findall(row)]
        rows.append("\t".join(cells))
    return "\n" + "\n".join(rows) + "\n"


_MARKDOWN_RULE_RE = re.compile(r"[|:\-\s]+")
_SPACE_COLUMNS_RE = re.compile(r"\S {2,}(?=\S)")
_SPACE_GAP_RE = re.compile(r"(?<=\S) {2,}(?=\S)")


def prepare_lines(text: str) -> list[str]:
    text = normalise_spaces(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _HTML_TABLE.sub(_html_table_lines, text)
    out: list[str] = []
    for line in text.split("\n"):
        s = line.strip()
        if s.startswith("|") and s.endswith("|") and s.count("|") >= 3:
            if _MARKDOWN_RULE_RE.fullmatch(s):
                continue  # the |---|---| rule under a Markdown header
            line = "\t".join(c.strip() for c in s[1:-1].split("|"))
        elif "\t" not in line and "  " in line and len(_SPACE_COLUMNS_RE.findall(line)) >= 2:
            # Columns set apart by runs of spaces (layout-preserving extraction).
            line = _SPACE_GAP_RE.sub("\t", line.strip())
        out.append(line.rstrip())
    return out


# --- columns -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    kind: str
    year: int | None = None
    as_of: dt.date | None = None  # an outcome's period end, when the header gives it
    period_month: int | None = None  # "Utfall t.o.m. T2" -> 8, resolved once the year is known
    unit: str | None = None


IGNORED = Column(kind="ignored")  # Not, Avvikelse, Kommentar: columns that hold no figure

_KIND_WORDS = [
    ("budget", r"budget|budgeterat|budg\.?|årsbudget|budget\s+helår"),
    ("prognos", r"prognos\s+helår|helårsprognos|årsprognos|prognos|prog\.?|helårsprog\.?"),
    ("plan", r"plan|flerårsplan|plan\s+budget"),
    ("utfall", r"ackumulerat\s+utfall|ack\.?\s*utfall|utfall\s+ack\.?|utfall|bokslut|redovisat|årsredovisning"
               r"|verkligt"),
]
# The units as data (storage.swedish.amounts): those that say kronor, and with them "SEK".
_UNITS = unit_words()
_LABEL_UNITS = f"{_UNITS}|sek"
_UNIT_IN_CELL = re.compile(rf"[(,]?\s*\b({_UNITS})\b\s*\)?", re.I)
_UNIT_LABEL = re.compile(r"^(?:belopp\s*(?:i|,)?\s*)?\(?\s*"
                         rf"({_LABEL_UNITS})"
                         r"\s*\)?$", re.I)
_IGNORED_COLUMN = re.compile(r"^(?:not|noter|not\s*nr|anm\.?|fotnot|avvikelse\w*|avv\.?|diff\w*|förändring\w*"
                             r"|andel\w*|%|procent|kommentar\w*|utfall\s*%|.*\s%)$", re.I)
_MONTH_ALTERNATION = month_alternation()


def _period_month(rest: str) -> tuple[int | None, int | None]:
    """"t.o.m. T2" -> (8, None); "jan-aug 2020", "2020 jan-aug" -> (8, 2020); "per aug" -> (8, None)."""
    s = rest.strip()
    year = None
    if m := re.search(r"(?:^|\s)(\d{4})(?:\s|$)", s):
        year = int(m[1])
        s = (s[: m.start()] + " " + s[m.end():]).strip()
    s = re.sub(r"^(?:t\.?\s?o\.?\s?m\.?|tom|till\s+och\s+med|per|jan\w*\s*[-–])\s*", "", s)
    if m := re.fullmatch(r"(?:t|tertial)\s*([123])", s):
        return 4 * int(m[1]), year
    if m := re.fullmatch(r"(?:q|kvartal)\s*([1234])", s):
        return 3 * int(m[1]), year
    if m := re.fullmatch(rf"({_MONTH_ALTERNATION})\w*", s):
        return month_number(m[1]), year
    return None, year


_LETTER_IN_CELL = re.compile(r"[^\W\d_]")
_RANGE_COLUMN = re.compile(rf"(?:utfall\s+)?({DATE_PATTERN})\s*(?:[-–—]|till|t\.?o\.?m\.?)?\s*({DATE_PATTERN})")
_DATE_COLUMN = re.compile(rf"(?:(?:ack\.?\s*)?utfall\s+)?(?:per\s+)?({DATE_PATTERN})")
_KIND_COLUMNS = [(kind, re.compile(rf"(?:{words})\b\s*(.*)")) for kind, words in _KIND_WORDS]
_YEAR_REST = re.compile(r"(?:år\s+)?(\d{4})(?:\s+(\S+(?:\s+\S+)?))?")
_FULL_YEAR_REST = re.compile(r"(?:helår|helåret|år)\s*(\d{4})?")
_PER_PREFIX = re.compile(r"^(?:per|t\.?\s?o\.?\s?m\.?|tom)\s+")


# Every tab line is tried as a header (twice: for the outcome dates, then while reading), and
# header cells repeat across a document's tables and across documents: read each cell once.
# Safe to share: a Column is frozen.
@lru_cache(maxsize=8192)
def parse_column(cell: str) -> Column | None:
    """A header cell as a column; IGNORED for Not/Avvikelse; None when it names no column."""
    s = strip_markup(cell).lower().strip()
    if not s:
        return None
    unit = None
    # Units and column words are letters: a figure ("1 234") is let through two checks below
    # instead of eight (cells holding figures are rarely the same twice, so the cache misses).
    letters = _LETTER_IN_CELL.search(s) is not None
    if letters and (m := _UNIT_IN_CELL.search(s)):
        unit = normalise_unit(m[1])
        s = (s[: m.start()] + s[m.end():]).strip(" ,:()")
    if not s:
        return IGNORED if unit else None  # a column that only says "tkr"
    if _IGNORED_COLUMN.match(s):
        return IGNORED
    if m := _RANGE_COLUMN.fullmatch(s):
        start, end = parse_date(m[1]), parse_date(m[2])
        if start and end and start <= end:
            return Column("utfall", end.year, end, unit=unit)
        return None
    if m := _DATE_COLUMN.fullmatch(s):
        if d := parse_date(m[1]):
            return Column("utfall", d.year, d, unit=unit)
        return None
    for kind, pattern in _KIND_COLUMNS if letters else ():
        m = pattern.fullmatch(s)
        if not m:
            continue
        rest = m[1].strip(" ,:")
        if not rest:
            return Column(kind, unit=unit)
        # "Budget 2021", "Budget år 2021", "Budget 2021 reviderad", "Prognos 2021 T1"
        m2 = _YEAR_REST.fullmatch(rest)
        if m2 and not (kind == "utfall" and m2[2]):  # an outcome's qualifier is its period
            year = int(m2[1])
            if kind == "utfall":
                return Column(kind, year, dt.date(year, 12, 31), unit=unit)
            return Column(kind, year, unit=unit)
        if kind == "prognos" and (m2 := _FULL_YEAR_REST.fullmatch(rest)):
            return Column(kind, int(m2[1]) if m2[1] else None, unit=unit)
        if kind == "utfall":
            if d := parse_date(_PER_PREFIX.sub("", rest)):
                return Column(kind, d.year, d, unit=unit)
            month, period_year = _period_month(rest)
            if month:
                end = month_end(period_year, month) if period_year else None
                return Column(kind, period_year, end, period_month=month, unit=unit)
        return None
    return None


def _with_year(col: Column, year: int) -> Column:
    as_of = col.as_of
    if col.period_month and not as_of:
        as_of = month_end(year, col.period_month)
    return Column(col.kind, year, as_of, col.period_month, col.unit)


@dataclass
class Header:
    columns: list[Column | None]  # by cell position; position 0 is the row label
    unit: str | None = None
    label: str | None = None  # "Verksamheter" in the label cell: a section


_LABEL_WORD_RE = re.compile(r"belopp|post|rad|konto|text|\(?sek\)?|", re.I)


def parse_header(cells: list[str], inherited_year: int | None = None) -> Header | None:
    first = strip_markup(cells[0]) if cells else ""
    if first and (col := parse_column(first)) is not None and col is not IGNORED:
        cells, first = ["", *cells], ""
    columns: list[Column | None] = [None]
    for cell in cells[1:]:
        if not strip_markup(cell):
            columns.append(None)
            continue
        col = parse_column(cell)
        if col is None:
            return None
        columns.append(None if col is IGNORED else col)
    money = [c for c in columns if c is not None]
    if not money:
        return None
    unit = None
    label = None
    if first:
        if m := _UNIT_LABEL.match(first):
            unit = normalise_unit(m[1])
        elif not _LABEL_WORD_RE.fullmatch(first):
            label = first
    years = [c.year for c in money if c.year]
    year = max(years) if years else inherited_year
    if year is None:
        return None  # "Mål | Helårsprognos" in a goal table is text, not money
    fixed = [c if c is None or c.year else _with_year(c, year) for c in columns]
    return Header(fixed, unit, label)


def _utfall_dates(lines: list[str]) -> Iterator[dt.date]:
    """The outcome columns' dates, read only if report_date gets that far (a generator)."""
    for line in lines:
        if "\t" in line and (h := parse_header(line.split("\t"))):
            yield from (c.as_of for c in h.columns if c and c.kind == "utfall" and c.as_of)


# --- rows --------------------------------------------------------------------------------------

_MEMBER = re.compile(
    r"\b(?:kommun|kommuner|kommunerna|region|regionen|landsting|landstinget|försäkringskassan|"
    r"arbetsförmedlingen|staten|statlig\w*)\b|^region\s|"
    r"^bidrag\s+(?:region|landsting|fk\b|af\b|försäkringskassan|"
    r"arbetsförmedlingen|kommun|stat)",
    re.I,
)
_GENERIC_TOTAL = re.compile(r"^(?:summa|totalt|total|summa\s+totalt|delsumma|s:a)$", re.I)
_TITLE = re.compile(r"resultat|balans|\bnot\s*\d|intäkter|kostnader|budget|prognos|utfall|rapport|räkning|"
                    r"sammanställning|ekonomi|eget\s+kapital|finansiering", re.I)
_UNIT_HINT = re.compile(rf"belopp\s+i\s+({_UNITS})|\(({_UNITS})\)|"
                        rf"^\s*({_UNITS})\s*$|(tusen(?:tal|tals)?\s+kronor)", re.I)
_BOLD_ROW = re.compile(r"^(?P<label>[^\t]*?[A-Za-zÅÄÖåäö)][^\t]*?)\s+"
                       r"\*\*(?P<num>[-−–]?\s?\d{1,3}(?: \d{3})*(?:,\d+)?)\*\*\s*$")
_PLAIN_ROW = re.compile(r"^(?P<label>[A-Za-zÅÄÖåäö][^\t]*?[A-Za-zÅÄÖåäö.)])\s+"
                        r"(?P<num>[-−–]?\s?\d{1,3}(?: \d{3})*(?:,\d+)?)$")
_PER_LINE = re.compile(r"^(?:per|balans\s+per|utfall\s+per)\s+(\S+)$", re.I)


_LABEL_DASH_RE = re.compile(r"^[-–•·*]\s+")
_LABEL_SHARE_RE = re.compile(r",\s*\d+(?:[.,]\d+)?\s*%.*$")
_LABEL_MARKER_RE = re.compile(r"\s+\(?[a-h]\)$|\s*[¹²³⁴⁵⁶⁷⁸⁹⁰]+$|\s+\d\)$|\*+$")


def clean_label(cell: str) -> str:
    s = strip_markup(cell)
    s = _LABEL_DASH_RE.sub("", s)
    s = _LABEL_SHARE_RE.sub("", s)  # "Umeå kommun, 82,36% av arb-bef."
    s = _LABEL_MARKER_RE.sub("", s)
    return s.strip(" :\t")


_NOTE_PREFIX_RE = re.compile(r"^not\s*\d+\s*[:.-]?\s*")
_ACTIVITY_PREFIX_RE = re.compile(r"^verksamhetens\s+")


def section_name(header: str) -> str:
    s = strip_markup(header).lower()
    s = _NOTE_PREFIX_RE.sub("", s)
    s = _ACTIVITY_PREFIX_RE.sub("", s)
    return s.strip(" :")


def _is_prose(s: str) -> bool:
    words = s.split()
    return len(s) > 70 or len(words) > 9 or (s.endswith(".") and len(words) > 3)


_LETTER_RE = re.compile(r"[A-Za-zÅÄÖåäö]")
_THREE_DIGITS_RE = re.compile(r"\d{3}")


def _is_section_line(s: str) -> bool:
    clean = strip_markup(s)
    return (bool(clean) and len(clean) <= 50 and len(clean.split()) <= 6
            and bool(_LETTER_RE.match(clean))
            and not _THREE_DIGITS_RE.search(clean) and not clean.endswith("."))


@dataclass
class _Row:
    label: str
    section: str | None
    values: list[tuple[Column, Decimal, str | None]]
    line_index: int


_NOTE_TITLE_RE = re.compile(r"\bnot\s*\d")
# What a row is: a line of its own, a subtotal of some lines, or a total (a sum, a result, a
# balance). Charts draw lines only; answers say which one they give.
_SUBTOTAL_LABEL = re.compile(r"^(?:delsumma|del\s+summa|s:a\s+del)", re.I)
_TOTAL_LABEL = re.compile(
    r"^(?:summa|totalt?|total|s:a)\b|\bresultat\b|nettokostnad|^verksamhetens\s+(?:intäkter|kostnader)$|"
    r"\bkapital\b|^kostnader\s+totalt|^intäkter\s+totalt", re.I)
_EMPHASISED_ROW = re.compile(r"<b>|\*\*")


def row_type(label: str, raw_line: str = "") -> str:
    if _SUBTOTAL_LABEL.match(label):
        return "subtotal"
    if _TOTAL_LABEL.search(label) or _EMPHASISED_ROW.search(raw_line.split("\t", 1)[0]):
        return "total"
    return "line"


@dataclass
class _Table:
    columns: list[Column | None]
    start: int
    unit: str | None = None  # explicit: header, column or the lines above
    inherited_unit: str | None = None
    title: str | None = None
    section: str | None = None  # the sub-section header in force, as written
    rows: list[_Row] = field(default_factory=list)
    totals_seen: set[str] = field(default_factory=set)

    @property
    def year(self) -> int | None:
        years = [c.year for c in self.columns if c and c.year]
        return max(years) if years else None

    @property
    def title_section(self) -> str | None:
        if not self.title:
            return None
        t = self.title.lower()
        if "resultat" in t:
            return "resultat"
        if "balans" in t:
            return "balans"
        if _NOTE_TITLE_RE.search(t):
            return section_name(self.title)
        if "intäkt" in t:
            return "intäkter"
        if "kostnad" in t:
            return "kostnader"
        if "kapital" in t:
            return "eget kapital"
        return None


_FOOTNOTE_RE = re.compile(r"^\s*(?:<sup>)?(\d)(?:</sup>)?\s+([A-ZÅÄÖ].*)$")
_DASHES_RE = re.compile(r"[-−–—]+")
_LABEL_FOOTNOTE_RE = re.compile(r"(.*[a-zåäö])\s+(\d)")
_TOTAL_WORD_RE = re.compile(r"(?:summa|totalt|total)\b")
_COST_SECTION_RE = re.compile(r"kostnad|verksamhet|insats|projekt")
_CAPITAL_RE = re.compile(r"\bkapital\b")


class _TableReader:
    def __init__(self, lines: list[str], paras: list[int | None], when: Callable[[], dt.date | None],
                 text: str) -> None:
        self.lines = lines
        self.paras = paras
        self.when = when
        self.text = text
        self.figures: list[ParsedBudgetFigure] = []
        self.table: _Table | None = None
        self.last_closed: tuple[_Table, int] | None = None  # and the line it closed at
        # Footnotes ("1 Av periodens Övriga externa kostnader utgör ..."), so a marker left
        # on a label by text cleaning ("Övriga externa kostnader 1") can be told from a name.
        self.footnotes: dict[str, str] = {}
        for line in lines:
            if m := _FOOTNOTE_RE.match(line):
                self.footnotes.setdefault(m[1], "")
                self.footnotes[m[1]] += " " + strip_markup(m[2]).lower()

    @cached_property
    def amounts_in_text(self) -> set[tuple[Decimal, str]]:
        """The amounts the running text gives with a unit: read only once a table needs them,
        which most documents' tables (with a unit of their own) never do."""
        return prose_amounts(self.text)

    def read(self) -> list[ParsedBudgetFigure]:
        for i, raw in enumerate(self.lines):
            self._line(i, raw)
        self._close(len(self.lines))
        return self.figures

    # one line ----------------------------------------------------------------------------------
    def _line(self, i: int, raw: str) -> None:
        stripped = raw.strip()
        if not stripped:
            return
        if "§" in raw and PARAGRAPH_LINE.match(raw):
            self._close(i)
            return
        if "\t" in raw:
            cells = raw.split("\t")
            header = parse_header(cells, self._continued_year(i))
            if header:
                self._open(i, header)
                return
            if self.table and self._row(cells, i) == "foreign":
                self._close(i)
            return
        clean = strip_markup(stripped)
        if m := _PER_LINE.match(clean):
            d = parse_date(m[1])
            if d:
                self._open(i, Header([None, Column("utfall", d.year, d)]))
                return
        if not self.table:
            return
        # A one-column table (a balance "Per 19-08-31") may write a row without a tab:
        # "Summa tillgångar **11 451**".
        single = [pos for pos, c in enumerate(self.table.columns) if c]
        if len(single) == 1 and len(stripped) < 200 and (
                (m := _BOLD_ROW.match(stripped)) or (m := _PLAIN_ROW.match(clean))):
            self._row([m["label"], *([""] * (single[0] - 1)), m["num"]], i)
            return
        if _is_section_line(stripped):
            self.table.section = clean_label(stripped)
            return
        if _is_prose(clean):
            self._close(i)

    # opening and closing -------------------------------------------------------------------------
    def _continued_year(self, i: int) -> int | None:
        t = self._continued(i)
        return t.year if t else None

    def _continued(self, i: int) -> _Table | None:
        """The table a header at line i continues (a page break, a sub-table), if any."""
        if self.table:
            return self.table
        if self.last_closed and i - self.last_closed[1] <= 8:
            return self.last_closed[0]
        return None

    def _open(self, i: int, header: Header) -> None:
        previous = self._continued(i)
        self._close(i)
        title, hinted_unit = self._look_above(i)
        col_units = {c.unit for c in header.columns if c and c.unit}
        table = _Table(columns=header.columns, start=i)
        table.unit = header.unit or hinted_unit or (col_units.pop() if len(col_units) == 1 else None)
        if previous:
            table.inherited_unit = previous.unit or previous.inherited_unit
            if not title:
                title = previous.title
        table.title = title
        if header.label:
            table.section = header.label
        self.table = table

    def _look_above(self, i: int) -> tuple[str | None, str | None]:
        """A title ("Not 1 Verksamhetens intäkter", "Resultatrapport 210430") and a unit
        ("Belopp i tkr") in the few lines just above a table."""
        title = unit = None
        seen = 0
        for j in range(i - 1, -1, -1):
            s = strip_markup(self.lines[j])
            if not s:
                continue
            seen += 1
            if seen > 6 or "\t" in self.lines[j].strip("\t ") or PARAGRAPH_LINE.match(self.lines[j]):
                break
            if unit is None and (m := _UNIT_HINT.search(s)):
                unit = normalise_unit(next(g for g in m.groups() if g))
            if title is None and len(s.split()) <= 8 and not s.endswith(".") and _TITLE.search(s):
                title = s
            if _is_prose(s):
                break
        return title, unit

    def _close(self, i: int) -> None:
        table = self.table
        if table is None:
            return
        self.table = None
        if not table.rows:
            return
        unit = (table.unit or table.inherited_unit or self._unit_from_text(table)
                or self._unit_from_size(table))
        table.unit = unit
        for row in table.rows:
            for col, value, cell_unit in row.values:
                u = cell_unit or col.unit or unit
                if col.year is None:
                    continue
                self.figures.append(ParsedBudgetFigure(
                    year=col.year, kind=col.kind, line=row.label, amount=to_kronor(value, u), unit=u,
                    section=row.section, as_of=self._as_of(col), paragraph_number=self.paras[row.line_index], source_line=row.line_index,
                    row_type=row_type(row.label, self.lines[row.line_index])))
        self.last_closed = (table, i)

    def _as_of(self, col: Column) -> dt.date | None:
        if col.kind == "utfall":
            if col.as_of and (col.as_of.month, col.as_of.day) == (12, 31) and (when := self.when()) \
                    and when.year == col.year:
                return when  # "Utfall 2021" in a report per 2021-08-31 is the year so far
            return col.as_of
        if col.kind == "prognos":
            return self.when()
        return None

    def _unit_from_text(self, table: _Table) -> str | None:
        votes: dict[str, int] = {}
        for row in table.rows:
            for _, value, _ in row.values:
                if abs(value) < 1000:
                    continue
                for unit in ("kr", "tkr", "mkr"):
                    if (abs(value), unit) in self.amounts_in_text:
                        votes[unit] = votes.get(unit, 0) + 1
        return max(votes, key=lambda u: votes[u]) if votes else None

    @staticmethod
    def _unit_from_size(table: _Table) -> str:
        largest = max((abs(v) for row in table.rows for _, v, _ in row.values), default=Decimal(0))
        return "kr" if largest >= 100_000 else "tkr"

    # a row -------------------------------------------------------------------------------------
    def _row(self, cells: list[str], i: int) -> str:
        table = self.table
        assert table is not None
        label = clean_label(cells[0]) if cells else ""
        values: list[tuple[Column, Decimal, str | None]] = []
        text_cells = dashes = 0
        for pos, col in enumerate(table.columns):
            if col is None:
                continue
            cell = strip_markup(cells[pos]) if pos < len(cells) else ""
            if not cell:
                continue
            if _DASHES_RE.fullmatch(cell):
                dashes += 1
                continue
            parsed = parse_number(cell)
            if parsed is None:
                text_cells += 1
                continue
            values.append((col, parsed[0], parsed[1]))
        if not values:
            if text_cells:
                return "foreign"  # another kind of table (a signature line, a survey)
            if label and not dashes and _is_section_line(label):
                table.section = label
                return "section"
            return "empty"
        if not label or not _LETTER_RE.search(label):
            return "empty"
        m = _LABEL_FOOTNOTE_RE.fullmatch(label)
        if m and m[1].lower() in self.footnotes.get(m[2], ""):
            label = m[1]
        line, section = self._name(label)
        table.rows.append(_Row(line, section, values, i))
        return "row"

    def _name(self, label: str) -> tuple[str, str | None]:
        """The row's line name and section; closes the sub-section a "Summa ..." row ends."""
        table = self.table
        assert table is not None
        current = table.section
        line = label
        low = label.lower()
        if _GENERIC_TOTAL.match(label):
            # "Summa" alone: a Not table's total is named after the note ("Summa intäkter").
            named = current or (table.title_section if table.title_section not in (None, "resultat", "balans")
                                else None)
            if named:
                line = f"{label} {named.lower()}"
        elif low.startswith("summa ") and current and low != f"summa {current.lower()}" \
                and low in table.totals_seen:
            # A total copied from the block above ("Summa kansli och styrelse" under
            # "Verksamhetsnära kostnader"): name it after the block it closes.
            line = f"Summa {current.lower()}"
        table.totals_seen.add(line.lower())
        section = self._section(line, current)
        if _TOTAL_WORD_RE.match(low) and current:
            table.section = None
        return line, section

    def _section(self, line: str, current: str | None) -> str | None:
        table = self.table
        assert table is not None
        low = line.lower()
        income = "intäkt" in (current or "").lower() or (
            current is None and table.title_section == "intäkter")
        costs = bool(_COST_SECTION_RE.search((current or "").lower()))
        if _MEMBER.search(line) and not low.startswith(("summa", "totalt")) and not costs and \
                (income or (current is None and table.title_section != "kostnader")):
            return "medlemsbidrag"
        if _CAPITAL_RE.search(low) and "skuld" not in low:
            return "eget kapital"
        if "resultat" in low:
            return "resultat"
        if current:
            return section_name(current)
        if "intäkt" in low:
            return "intäkter"
        if "kostnad" in low:
            return "kostnader"
        return table.title_section


__all__ = ["Column", "parse_budget", "parse_column", "parse_header", "prepare_lines"]
