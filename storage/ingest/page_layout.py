"""Words with positions (a PDF's text layer, or OCR) -> text lines the parsers read.

One mechanism for every positioned source: words are grouped into lines by their vertical
position; within a line, a gap much wider than a space is a column break and becomes a tab;
in a run of such rows, every cell is put in the column its position says, so an empty cell
stays an empty cell ("Projekt\t\t46 800"). A cell's text wrapped onto the next line (a tight
line pitch, nothing in the first column) is joined back to its row, a sentence wrapped at the
right margin is joined back to one line, a paragraph gap becomes a blank line, and lines
repeated at the same place on most pages (the body's name, "Protokoll nr 7", "3 (21)") are
page furniture and dropped.

Nothing here knows a Swedish word: the same rules read a protocol, a budget table or a scan.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

# A form feed on a line of its own between pages, so a fact can cite its page.
from storage.swedish.cleaning import PAGE_BREAK

# A gap wider than this many text heights between two words is a column break: a space is
# about a quarter of the height, a table's column gap at least one height.
COLUMN_GAP = 0.8
# Line pitch (top to top) over text height: at most this is the next line of the same cell or
# sentence; above BLANK_PITCH there was an empty line (a paragraph gap).
TIGHT_PITCH = 1.45
BLANK_PITCH = 2.1
# Share of the page at its top and bottom where running heads and page numbers stand.
MARGIN_ZONE = 0.12


@dataclass(frozen=True)
class Word:
    x0: float
    x1: float
    top: float
    bottom: float
    text: str

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1.0)


@dataclass
class Line:
    words: list[Word]
    cells: list[list[Word]] = field(default_factory=list)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def height(self) -> float:
        return statistics.median(w.height for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def cell_text(self, cell: list[Word]) -> str:
        return " ".join(w.text for w in cell)


@dataclass
class Page:
    lines: list[Line]
    width: float
    height: float


def group_lines(words: Sequence[Word]) -> list[Line]:
    """Words into lines, top to bottom; a word belongs to the line its vertical middle falls in."""
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (w.top + w.bottom) / 2):
        if not word.text.strip():
            continue
        middle = (word.top + word.bottom) / 2
        if lines:
            last = lines[-1]
            top, bottom = last.top, last.bottom
            if top - 0.1 * word.height <= middle <= bottom + 0.1 * word.height \
                    or abs(middle - (top + bottom) / 2) < 0.35 * word.height:
                last.words.append(word)
                continue
        lines.append(Line([word]))
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
        line.cells = _cells(line.words)
    return lines


def _cells(words: list[Word]) -> list[list[Word]]:
    cells: list[list[Word]] = [[words[0]]]
    size = statistics.median(w.height for w in words)
    for prev, word in pairwise(words):
        if word.x0 - prev.x1 > COLUMN_GAP * size:
            cells.append([word])
        else:
            cells[-1].append(word)
    return cells


def _furniture_key(line: Line) -> str:
    """The line's text with any number, and where it stands: a running head sits at the same
    height on every page, while the same words in the body (a title on page 1) do not."""
    text = line.text.lower().strip()
    # Numbers may change from page to page only in a page number ("3 (21)", "Sida 3 av 21"): a
    # heading such as "§ 12 Budget" may well stand at the top of several pages.
    if sum(c.isalpha() for c in text) <= 6:
        text = re.sub(r"[0-9]+", "#", text)
    return f"{round(line.top / 8)}|{text}"


def drop_furniture(pages: list[Page]) -> None:
    """Removes lines repeated in the top or bottom margin of most pages (with any numbers)."""
    if len(pages) < 2:
        return
    seen: Counter[str] = Counter()
    for page in pages:
        keys = {_furniture_key(line) for line in page.lines if _in_margin(line, page)}
        seen.update(keys)
    repeated = {key for key, n in seen.items() if n >= max(2, (len(pages) + 1) // 2)}
    if not repeated:
        return
    for page in pages:
        page.lines = [line for line in page.lines
                      if not (_in_margin(line, page) and _furniture_key(line) in repeated)]


def _in_margin(line: Line, page: Page) -> bool:
    return line.bottom < page.height * MARGIN_ZONE or line.top > page.height * (1 - MARGIN_ZONE)




def document_text(pages: list[Page]) -> str:
    """Every page's text, a form feed line between pages; a sentence that runs over a page
    break is joined back (the words stay on the page where the sentence began)."""
    drop_furniture(pages)
    out: list[str] = []
    last: Line | None = None
    right = max((line.x1 for page in pages for line in page.lines), default=0.0)
    for number, page in enumerate(pages):
        lines = page_lines(page)
        if number:
            first = page.lines[0] if page.lines else None
            if last is not None and first is not None and lines and lines[0] and out and out[-1] \
                    and "\t" not in out[-1] and "\t" not in lines[0] and _wrapped(last, first, right, False) \
                    and out[-1][-1] not in ".:!?" and not lines[0][0].isupper():
                # The gap before a page's first line says nothing: a sentence goes on only when
                # nothing ended it and the next page does not start a new one.
                out[-1] += " " + lines.pop(0)
            out.append(PAGE_BREAK)
        out += lines
        if page.lines:
            last = page.lines[-1]
    return "\n".join(out)


def page_text(page: Page) -> str:
    return "\n".join(page_lines(page))


def page_lines(page: Page) -> list[str]:
    """The page's lines as text: tab-separated cells, joined wraps, blank lines for gaps."""
    lines = page.lines
    if not lines:
        return []
    left = min(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    for line in lines:
        if _justified(line, right):
            line.cells = [line.words]
    out: list[str] = []
    index = 0
    prev: Line | None = None
    while index < len(lines):
        line = lines[index]
        if prev is not None and _pitch(prev, line) > BLANK_PITCH:
            out.append("")
        if len(line.cells) >= 2 or _indented(line, left):
            block, index = _table_block(lines, index, left)
            out += block
            prev = lines[index - 1]
            continue
        text = line.text
        while index + 1 < len(lines) and _wrapped(line, lines[index + 1], right):
            line = lines[index + 1]
            text += " " + line.text
            index += 1
        out.append(text)
        prev = line
        index += 1
    return out


def _justified(line: Line, right: float) -> bool:
    """Prose set flush to both margins: every space stretched alike, so every word looks like a
    cell of its own; a table row has ordinary spaces inside its cells and gaps of many widths."""
    if len(line.cells) < 3 or len(line.cells) != len(line.words) or line.x1 < right - line.height:
        return False
    gaps = [b.x0 - a.x1 for a, b in pairwise(line.words)]
    return max(gaps) - min(gaps) < 0.3 * line.height


def _pitch(prev: Line, line: Line) -> float:
    return (line.top - prev.top) / max(prev.height, line.height)


def _indented(line: Line, left: float) -> bool:
    return line.x0 > left + 2 * line.height


def _wrapped(prev: Line, line: Line, right: float, same_page: bool = True) -> bool:
    """A sentence went on to the next line because its next word did not fit."""
    if len(line.cells) >= 2 or abs(line.x0 - prev.x0) > prev.height or \
            (same_page and _pitch(prev, line) > TIGHT_PITCH):
        return False
    first = line.words[0]
    space = 0.3 * prev.height
    return prev.x1 + space + (first.x1 - first.x0) > right - 0.5 * prev.height


def _table_block(lines: list[Line], start: int, left: float) -> tuple[list[str], int]:
    """A run of rows from `start`: each cell in the column its position says."""
    rows: list[list[list[Word]]] = []
    index = start
    while index < len(lines):
        line = lines[index]
        if index > start:
            pitch = _pitch(lines[index - 1], line)
            if pitch > BLANK_PITCH:
                break
            if pitch <= TIGHT_PITCH and _continues(rows[-1], line):
                # One line below, in columns the row has text in: the row's cells wrapped.
                _merge_wrapped(rows[-1], line.cells)
                index += 1
                continue
            if len(line.cells) < 2 and not _indented(line, left):
                # A label alone on its line ("Intäkter") belongs to the table when a row follows.
                nxt = lines[index + 1] if index + 1 < len(lines) else None
                if nxt is None or len(nxt.cells) < 2 or _pitch(line, nxt) > BLANK_PITCH:
                    break
        rows.append([list(cell) for cell in line.cells])
        index += 1
    columns = _columns(rows)
    text_rows: list[str] = []
    for row in rows:
        cells = [""] * len(columns)
        for cell in row:
            col = _column_of(cell, columns)
            joined = " ".join(w.text for w in cell)
            cells[col] = f"{cells[col]} {joined}".strip()
        while cells and not cells[-1]:
            cells.pop()
        text_rows.append("\t".join(cells))
    return text_rows, index


def _continues(row: list[list[Word]], line: Line) -> bool:
    """Nothing in the first column, or fewer cells than the row, each under a cell of text."""
    if line.x0 > row[0][-1].x1:
        return True
    if len(line.cells) >= len(row):
        return False
    for cell in line.cells:
        above = [c for c in row if c[0].x0 - 2 <= cell[0].x0 <= _right(c) + 2]
        if not above or all(_NUMERIC_RE.match(w.text) for w in above[0]):
            return False
    return True


_NUMERIC_RE = re.compile(r"^[-−–(]?[\d\s.,%)]+$")


def _merge_wrapped(row: list[list[Word]], more: list[list[Word]]) -> None:
    """Each wrapped piece joins the row's cell it stands under (the nearest one), or starts one."""
    for cell in more:
        middle = (cell[0].x0 + _right(cell)) / 2
        target = min(row, key=lambda c: 0.0 if c[0].x0 - 2 <= middle <= _right(c) + 2 else
                     min(abs(middle - c[0].x0), abs(middle - _right(c))))
        if cell[0].x0 >= target[0].x0 - 2:
            target.extend(cell)
        else:
            row.append(cell)
    row.sort(key=lambda c: c[0].x0)


def _right(cell: list[Word]) -> float:
    return max(w.x1 for w in cell)


def _columns(rows: list[list[list[Word]]]) -> list[tuple[float, float]]:
    """Column spans: the union of the cells' horizontal spans, overlapping ones merged."""
    spans = sorted((cell[0].x0, _right(cell)) for row in rows for cell in row)
    merged: list[list[float]] = []
    for x0, x1 in spans:
        if merged and x0 <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return [(a, b) for a, b in merged]


def _column_of(cell: list[Word], columns: list[tuple[float, float]]) -> int:
    x0 = cell[0].x0
    for i, (a, b) in enumerate(columns):
        if a - 1 <= x0 <= b + 1:
            return i
    return min(range(len(columns)), key=lambda i: abs(columns[i][0] - x0))
