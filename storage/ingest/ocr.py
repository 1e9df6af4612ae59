"""Scanned pages -> words with positions, by Tesseract with its Swedish data.

The tesseract program is called once per page (its TSV output gives every word's box), so a
scan is read by the same storage.ingest.page_layout rules as a PDF's text layer: columns,
wrapped lines, page furniture and page breaks alike. Pages are rendered with pdfium (already
there for pdfplumber), so nothing but Tesseract itself is needed. A missing Tesseract, or one
without Swedish, is a clear message saying how to install it, never a traceback.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import statistics
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from storage.ingest.page_layout import Line, Page, Word, group_lines
from storage.ingest.sections import BODY_ABBREVIATIONS
from storage.swedish.amounts import unit_words

DPI = 300
LANGUAGE = "swe"
# Figures are read a second time with Tesseract's English data: Swedish data (tessdata_fast, as
# Debian ships it) reads a short figure such as "-7,2" or "2,7" as "-1,2" / "2,1" in common sans
# fonts, and a "§" as "8", where the English model, trained on far more digits, does not. It
# comes with every Tesseract package (Debian's tesseract-ocr depends on tesseract-ocr-eng);
# without it the first reading stands.
FIGURE_LANGUAGE = "eng"
PAGE_TIMEOUT_S = 180
# Tesseract's page segmentation "a single column of text of variable sizes": a board's page is
# one column whose tables are rows of text; the automatic mode (3) loses whole table columns
# into blocks of their own, or misses them.
PAGE_SEGMENTATION = "4"
# A block whose words' median ink height is below this share of the body's is set in smaller
# type (a table shrunk to fit its columns: 7 pt against 10 pt), measured on at least this many words.
SMALLER_TYPE = 0.85
MIN_BLOCK_WORDS = 6
# A page's tilt is measured on lines of at least this many words, wide enough to show it, when
# there are enough of them; a slope beyond MAX_TILT (about 3 degrees) is not a scanner's tilt.
MIN_TILT_WORDS = 4
MIN_TILT_LINES = 3
MAX_TILT = 0.05
MIN_CONFIDENCE = 0.0  # Tesseract's own confidence (0-100); -1 marks boxes that hold no word
INSTALL_SV = ("Tesseract med svenska saknas på servern. Installera den (Debian/Ubuntu: "
              "`apt-get install tesseract-ocr tesseract-ocr-swe`; macOS: `brew install tesseract "
              "tesseract-lang`) och skicka filen igen.")
INSTALL_EN = ("Tesseract with Swedish is not installed on the server. Install it (Debian/Ubuntu: "
              "`apt-get install tesseract-ocr tesseract-ocr-swe`; macOS: `brew install tesseract "
              "tesseract-lang`) and send the file again.")


# What Tesseract makes of a "§" at the start of a line ("$ 68", "& 69", "s 71", "$68"): read
# as "§" when a number follows, since no Swedish line starts with those before a number.
SECTION_SIGN_MISREADS = ("$", "&", "s", "S", "5§", "S§", "§§")
_MISREAD_GLUED_RE = re.compile(r"^[$&](\d{1,4}[.:]?)$")
_NUMBER_RE = re.compile(r"^\d{1,4}[.:]?$")
# What a "§" right after a body's abbreviation comes out as ("KF8133", "KS882"); a space
# apart, only a letter or symbol ("KS S82"): "KS 82" may be printed without its §.
CITED_SIGN_MISREADS = "8S5$&"
CITED_SIGN_MISREADS_APART = "S$&"
_CITED_NUMBER_RE = re.compile(rf"^[{re.escape(CITED_SIGN_MISREADS_APART)}](\d{{1,3}})$")
_GLUED_CITATION_RE = re.compile(rf"^({'|'.join(sorted(BODY_ABBREVIATIONS, key=len, reverse=True))})"
                                rf"[{re.escape(CITED_SIGN_MISREADS)}](\d{{1,3}})$")
# Inside a line only symbols are taken for a "§" (a lone "S" there is a party, a "5" a figure).
INLINE_SIGN_MISREADS = ("$", "&", "$&", "&$", "$$")
_UNIT_AFTER_RE = re.compile(rf"^(?:{unit_words(says_kronor=False)}|dollar|usd|euro|eur)\b", re.IGNORECASE)
_THOUSANDS_RE = re.compile(r"^\d{3}\b")


# Symbols that are text on their own; any other word without a letter or digit that Tesseract
# is unsure of (below JUNK_CONFIDENCE) is noise.
KEEP_SYMBOLS = ("§", "%", "-", "–", "§§")
# A dash is wider than it is tall: a "-" in a box taller than wide is a vertical speck (a fold,
# the edge of a cell) that Tesseract, unsure, made a dash of.
DASHES = ("-", "–", "—")
JUNK_CONFIDENCE = 70.0
# Noise glued to the front of a word ("=:10 mars", "<:Älvsund", "-Kvarnsund": a minus is never
# glued to a capitalised word; "<MNävervik": a speck read as a symbol and a capital before a
# capitalised word, which no word starts with).
_JUNK_PREFIX_RE = re.compile(r"^(?:[=<>|~_:;«»]+(?:[A-ZÅÄÖ](?=[A-ZÅÄÖ][a-zåäö]{3}))?(?=\w)|[-—](?=[A-ZÅÄÖ][a-zåäö]))")


class OcrUnavailable(Exception):
    """Tesseract, or its Swedish data, is not installed."""


@lru_cache(maxsize=1)
def tesseract_ready() -> str | None:
    """None when Tesseract with Swedish can be run; else what is missing."""
    languages = _languages()
    if languages is None:
        return "tesseract"
    return None if LANGUAGE in languages else f"tesseract-ocr-{LANGUAGE}"


def _languages() -> frozenset[str] | None:
    program = shutil.which("tesseract")
    if program is None:
        return None
    try:
        listed = subprocess.run([program, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return frozenset((listed.stdout + listed.stderr).split())


def _require() -> None:
    if tesseract_ready() is not None:
        raise OcrUnavailable(tesseract_ready())


def read_image(path: Path) -> Page:
    """One image file (a photo or scan of a page) as a page of positioned words."""
    _require()
    from PIL import Image

    with Image.open(path) as image:
        width, height = image.size
        dpi = float(image.info.get("dpi", (DPI, DPI))[0] or DPI)
        rows = _tesseract(path)
        _reread_figures(image.convert("L"), rows, path.parent, _figure_language())
    return _page(rows, width, height, 72.0 / dpi, _type_size([rows]))


def read_pdf_pages(pdf: Any, indexes: Iterable[int],
                   progress: Callable[[Iterable[int]], Iterable[int]] | None = None) -> dict[int, Page]:
    """The pages of a pypdfium2 document at `indexes`, each rendered and read by Tesseract."""
    _require()
    read: dict[int, tuple[list[dict[str, str]], float, float]] = {}
    order = list(indexes)
    figure_language = _figure_language()
    with tempfile.TemporaryDirectory(prefix="boardbot-ocr-") as folder:
        for index in progress(order) if progress else order:
            page = pdf[index]
            try:
                width, height = page.get_size()
                bitmap = page.render(scale=DPI / 72.0, grayscale=True)
                image = bitmap.to_pil()
                target = Path(folder) / f"page{index}.png"
                image.save(target)
                rows = _tesseract(target)
                target.unlink()
                _reread_figures(image, rows, Path(folder), figure_language)
                read[index] = (rows, width, height)
            finally:
                page.close()
    # The body's type size is the document's: a page holding only a table shrunk to fit its
    # columns has no body text of its own to measure it against.
    size = _type_size([rows for rows, _, _ in read.values()])
    return {index: _page(rows, width, height, 72.0 / DPI, size) for index, (rows, width, height) in read.items()}


def _tesseract(image: Path, language: str = LANGUAGE, segmentation: str = PAGE_SEGMENTATION) -> list[dict[str, str]]:
    program = shutil.which("tesseract") or "tesseract"
    done = subprocess.run([program, str(image), "stdout", "-l", language, "--psm", segmentation, "tsv"],
                          capture_output=True, text=True, timeout=PAGE_TIMEOUT_S, check=True)
    return list(csv.DictReader(io.StringIO(done.stdout), delimiter="\t", quoting=csv.QUOTE_NONE))


# A word that is a figure: digits with their signs, separators and brackets ("-7,2", "(2 507",
# "14.30-15.00", "3 (21)"), or a misread "§" alone ("8", "&", "$").
_FIGURE_RE = re.compile(r"^[-−–—+(§$&]*\s?\d[\d .,:/%()−–—-]*$|^[8&$§]$")
# What a "§" or "§§" comes out as on its own ("av $& 4", a heading "Närvaro $$", "$8" or "$8&"):
# read again, it is a "§"/"§§" or nothing; as junk it would be dropped and leave a gap that
# looks like a column break. The characters a "§" is misread as (a "8" only beside another).
SECTION_SIGN_LOOKALIKES = "$&§"
SECTION_SIGN_PAIR_LOOKALIKES = "$&§8S5"
_SIGN_MISREAD_RE = re.compile(rf"^(?:[{re.escape(SECTION_SIGN_LOOKALIKES)}]{{1,2}}|"
                              rf"(?=.*[{re.escape(SECTION_SIGN_LOOKALIKES)}])"
                              rf"[{re.escape(SECTION_SIGN_PAIR_LOOKALIKES)}]{{2,3}})$")
# A body's abbreviation before its § ("KF § 110" read as "KF8110"): the same letters in both
# readings, a figure after them.
_LEADING_LETTERS_RE = re.compile(r"^[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{0,3}")
# Around each figure the strip of page that is cut out (in text heights): Tesseract's box holds
# the ink, and a space's width more would take in the edge of the neighbouring word ("den 1
# februari" read again as "11").
_CROP_PAD_X, _CROP_PAD_Y = 0.0, 0.15
_STRIP_MAX_HEIGHT = 16000


def _figure_language() -> str | None:
    return FIGURE_LANGUAGE if FIGURE_LANGUAGE in (_languages() or frozenset()) else None


def _reread_figures(image: Any, rows: list[dict[str, str]], folder: Path, language: str | None) -> None:
    """Figures read again by FIGURE_LANGUAGE, all of a page's in one Tesseract call: each cut
    out of the page and stacked one under the other on a blank strip. A second reading that is
    itself a figure replaces the first; anything else leaves the first reading standing."""
    if language is None:
        return
    figures: list[tuple[dict[str, str], tuple[int, int, int, int]]] = []
    for row in rows:
        if row.get("level") != "5" or not _figure_like(row):
            continue
        try:
            left, top, w, h = (int(row[k]) for k in ("left", "top", "width", "height"))
        except (KeyError, TypeError, ValueError):
            continue
        if h > _STRIP_MAX_HEIGHT // 8:
            continue  # not a line of text (a rule or a stamp's edge): nothing to read again
        pad_x, pad_y = int(_CROP_PAD_X * h) + 1, int(_CROP_PAD_Y * h) + 1
        figures.append((row, (max(0, left - pad_x), max(0, top - pad_y),
                              min(image.width, left + w + pad_x), min(image.height, top + h + pad_y))))
    if not figures:
        return
    # A strip stays well under Tesseract's 32767-pixel side, however many figures a page holds.
    batch: list[tuple[dict[str, str], tuple[int, int, int, int]]] = []
    for figure in figures:
        heights = [box[3] - box[1] for _, box in [*batch, figure]]
        if batch and sum(heights) + (len(heights) + 1) * max(heights) > _STRIP_MAX_HEIGHT:
            _read_strip(image, batch, folder, language)
            batch = []
        batch.append(figure)
    _read_strip(image, batch, folder, language)


def _read_strip(image: Any, figures: list[tuple[dict[str, str], tuple[int, int, int, int]]], folder: Path,
                language: str) -> None:
    from PIL import Image

    gap = max(box[3] - box[1] for _, box in figures)
    width = max(box[2] - box[0] for _, box in figures) + 2 * gap
    slots: list[tuple[int, int]] = []
    y = gap
    for _, box in figures:
        slots.append((y, y + box[3] - box[1]))
        y += box[3] - box[1] + gap
    strip = Image.new("L", (width, y + gap), 255)
    for (_, box), (top, _) in zip(figures, slots, strict=True):
        strip.paste(image.crop(box), (gap, top))
    target = folder / "figures.png"
    strip.save(target, dpi=(DPI, DPI))
    try:
        read = _tesseract(target, language, "6")
    finally:
        target.unlink()
    texts: list[list[tuple[int, str]]] = [[] for _ in figures]
    for word in read:
        text = (word.get("text") or "").strip()
        if word.get("level") != "5" or not text:
            continue
        try:
            middle = int(word["top"]) + int(word["height"]) // 2
            left = int(word["left"])
        except (KeyError, TypeError, ValueError):
            continue
        for i, (top, bottom) in enumerate(slots):
            if top <= middle <= bottom:
                texts[i].append((left, text))
                break
    for (row, _), words in zip(figures, texts, strict=True):
        second = _accepted(row.get("text") or "", " ".join(text for _, text in sorted(words)), _sure(row))
        if second:
            row["text"] = second


def _sure(row: dict[str, str]) -> bool:
    try:
        return float(row.get("conf") or -1) >= JUNK_CONFIDENCE
    except ValueError:
        return False


def _digit_count(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _accepted(first: str, second: str, sure: bool = False) -> str | None:
    """The second reading when it is a figure (or the first reading's letters and a figure).
    Where the first reading was sure, the second may change digits but not their number ("1"
    read again as "11" is a neighbour's edge), except for a "§" the first took for an 8."""
    if not second:
        return None
    if _SIGN_MISREAD_RE.match(first.strip()):
        return second if second in ("§", "§§") else None
    if sure and second != "§":
        eight_for_sign = "§" in second and "8" in first and "§" not in first
        if _digit_count(first) - eight_for_sign != _digit_count(second):
            return None
    if _FIGURE_RE.match(second):
        return _with_sign(first, second)
    lead = _LEADING_LETTERS_RE.match(second)
    if lead and first.strip().startswith(lead.group()) and _FIGURE_RE.match(second[lead.end():].strip()) \
            and any(c.isdigit() for c in first):
        return second
    return None


def _figure_like(row: dict[str, str]) -> bool:
    """A figure, or a word with a digit that Tesseract is unsure of: a lone "1" at the start of
    a column comes out as "<21" (confidence 10), which cleaned of its "<" is a plausible, wrong day."""
    raw = (row.get("text") or "").strip()
    if _FIGURE_RE.match(_JUNK_PREFIX_RE.sub("", raw)) or _SIGN_MISREAD_RE.match(raw):
        return True
    try:
        confidence = float(row.get("conf") or -1)
    except ValueError:
        return False
    return 0 <= confidence < JUNK_CONFIDENCE and any(c.isdigit() for c in raw)


_SIGN_RE = re.compile(r"^[-−–—+]+")


def _with_sign(first: str, second: str) -> str:
    """The second reading, with the first reading's minus sign when the second lost it: a lone
    short dash before a figure cut out of its line is easily taken for a speck."""
    sign = _SIGN_RE.match(first.strip())
    if sign and "+" not in sign.group() and not _SIGN_RE.match(second) and second[:1].isdigit():
        return "-" + second
    return second


@dataclass(frozen=True)
class _TypeSize:
    """The body text's size in pixels: Tesseract's typical line box, and a typical word's ink."""
    line: float
    word: float


def _word_height(row: dict[str, str]) -> float | None:
    """A word's ink height (pixels), for words Tesseract read as words."""
    if row.get("level") != "5" or not any(c.isalnum() for c in row.get("text") or ""):
        return None
    try:
        return float(row["height"]) if float(row.get("conf") or -1) >= 0 else None
    except (KeyError, TypeError, ValueError):
        return None


def _type_size(pages: list[list[dict[str, str]]]) -> _TypeSize | None:
    lines = [float(r["height"]) for rows in pages for r in rows if r.get("level") == "4" and r.get("height")]
    words = [h for rows in pages for r in rows if (h := _word_height(r)) is not None]
    if not lines or not words:
        return None
    return _TypeSize(statistics.median(lines), statistics.median(words))


def _page(rows: list[dict[str, str]], width: float, height: float, scale: float,
          type_size: _TypeSize | None = None) -> Page:
    """Tesseract's word boxes in points. A box is as tall as its letters ("om" is lower than
    "Åre"), so every word gets the page's typical line height: line pitch over text height then
    means the same as in a PDF's text layer. A block set in clearly smaller type (a table shrunk
    to fit its columns) gets its own, smaller line height: measured against the body's, its rows
    would stand as close as one cell's wrapped lines and be joined into one row."""
    block_heights: dict[tuple[str, str], list[float]] = {}
    for row in rows:
        h = _word_height(row)
        if h is not None:
            block_heights.setdefault((row.get("page_num", ""), row.get("block_num", "")), []).append(h)
    block_size: dict[tuple[str, ...], float] = {}
    if type_size is not None:
        for block, heights in block_heights.items():
            ratio = statistics.median(heights) / type_size.word
            if len(heights) >= MIN_BLOCK_WORDS and ratio < SMALLER_TYPE:
                block_size[block] = type_size.line * ratio * scale
    words: list[tuple[tuple[str, ...], Word]] = []
    junk: set[tuple[float, float, str]] = set()
    line_heights: dict[tuple[str, ...], float] = {}
    for row in rows:
        try:
            level = int(row.get("level") or 0)
            left, top = float(row["left"]), float(row["top"])
            w, h = float(row["width"]), float(row["height"])
            confidence = float(row.get("conf") or -1)
        except (KeyError, TypeError, ValueError):
            continue
        key = (row.get("page_num", ""), row.get("block_num", ""), row.get("par_num", ""), row.get("line_num", ""))
        if level == 4:
            line_heights[key] = h * scale
            continue
        text = _undoubled(_JUNK_PREFIX_RE.sub("", (row.get("text") or "").strip()))
        if level != 5 or not text or confidence < MIN_CONFIDENCE:
            continue
        word = Word(left * scale, (left + w) * scale, top * scale, (top + h) * scale, text)
        if not any(c.isalnum() for c in text) and confidence < JUNK_CONFIDENCE and (
                text not in KEEP_SYMBOLS or (text in DASHES and h > w)):
            # A speck, a ruling line or the edge of a stamp read as "—", "<:" or "|": in a
            # table's gap it would join two columns. Dropped once a misread "§" is restored.
            junk.add((word.x0, word.x1, text))
        words.append((key, word))
    if not words:
        return Page([], width, height)
    typical = statistics.median(line_heights.values()) if line_heights else statistics.median(
        w.height for _, w in words)
    tilt = _tilt(words)
    placed: list[Word] = []
    for line_key, word in words:
        size = block_size.get(line_key[:2], typical)
        middle = (word.top + word.bottom) / 2 - tilt * (word.x0 + word.x1) / 2
        placed.append(Word(word.x0, word.x1, middle - size / 2, middle + size / 2, word.text))
    lines = group_lines(placed)
    for line in lines:
        _restore_section_sign(line)
    if junk:
        kept = [w for line in lines for w in line.words if (w.x0, w.x1, w.text) not in junk]
        lines = group_lines(kept)
    return Page(lines, width, height)


def _tilt(words: list[tuple[tuple[str, ...], Word]]) -> float:
    """How much a scanned page is tilted (the rise of a line of text per unit of width): the
    median slope of Tesseract's lines of at least MIN_TILT_WORDS words. Straightened out, a long
    table row and a short one keep the same pitch as printed; tilted, the long row's far end
    stands higher, and the gap to the next row looks like a blank line (or a wrapped cell)."""
    by_line: dict[tuple[str, ...], list[Word]] = {}
    for key, word in words:
        by_line.setdefault(key, []).append(word)
    slopes: list[float] = []
    for line in by_line.values():
        if len(line) < MIN_TILT_WORDS:
            continue
        xs = [(w.x0 + w.x1) / 2 for w in line]
        if max(xs) - min(xs) < 10 * statistics.median(w.height for w in line):
            continue
        slopes.append(statistics.linear_regression(xs, [(w.top + w.bottom) / 2 for w in line]).slope)
    if len(slopes) < MIN_TILT_LINES:
        return 0.0
    slope = statistics.median(slopes)
    return slope if abs(slope) <= MAX_TILT else 0.0


def _undoubled(text: str) -> str:
    """A lone capital that Tesseract read twice, as itself and its small letter ("Vv" for a
    party's "V" in a table cell, at confidence 60-76): no Swedish word is written so, the capital
    is what stood there."""
    if len(text) == 2 and text[0].isupper() and text[1] == text[0].lower():
        return text[0]
    return text


def _restore_inline_section_signs(line: Line) -> None:
    """A "§" misread inside a line ("deltog inte i & 27", "efter $ 12"): a symbol from
    INLINE_SIGN_MISREADS between a word and a § number is a "§". Never before an amount (the
    number followed by a unit or by a thousands group) nor after a figure."""
    replaced: dict[int, Word] = {}
    words = line.words
    for k in range(1, len(words) - 1):
        word, before, number = words[k], words[k - 1], words[k + 1]
        after = words[k + 2].text if k + 2 < len(words) else ""
        if word.text in INLINE_SIGN_MISREADS and before.text[-1:].isalpha() and _NUMBER_RE.match(number.text) \
                and not _UNIT_AFTER_RE.match(after) and not _THOUSANDS_RE.match(after):
            replaced[id(word)] = Word(word.x0, word.x1, word.top, word.bottom, "§")
    if replaced:
        line.words = [replaced.get(id(w), w) for w in line.words]
        line.cells = [[replaced.get(id(w), w) for w in cell] for cell in line.cells]


def _restore_cited_section_signs(line: Line) -> None:
    """A "§" misread after a body's abbreviation ("KF8133", "KS882" for "KF § 133", "KS § 82"):
    after one of sections.BODY_ABBREVIATIONS a § is what the text means, and no protocol glues
    a number to the abbreviation, so a lookalike from CITED_SIGN_MISREADS before a number of up
    to three digits is one (a four-digit one stays as read)."""
    replaced: dict[int, Word] = {}
    for k, word in enumerate(line.words):
        glued = _GLUED_CITATION_RE.match(word.text)
        if glued:
            replaced[id(word)] = Word(word.x0, word.x1, word.top, word.bottom, f"{glued[1]} § {glued[2]}")
        elif word.text in BODY_ABBREVIATIONS and k + 1 < len(line.words):
            after = line.words[k + 1]
            sign = _CITED_NUMBER_RE.match(after.text)
            if sign:
                replaced[id(after)] = Word(after.x0, after.x1, after.top, after.bottom, f"§ {sign[1]}")
    if replaced:
        line.words = [replaced.get(id(w), w) for w in line.words]
        line.cells = [[replaced.get(id(w), w) for w in cell] for cell in line.cells]


def _restore_section_sign(line: Line) -> None:
    _restore_inline_section_signs(line)
    _restore_cited_section_signs(line)
    first = line.words[0]
    glued = _MISREAD_GLUED_RE.match(first.text)
    if glued:
        line.words[0] = Word(first.x0, first.x1, first.top, first.bottom, "§ " + glued.group(1))
    elif first.text in SECTION_SIGN_MISREADS and len(line.words) > 1 and _NUMBER_RE.match(line.words[1].text):
        line.words[0] = Word(first.x0, first.x1, first.top, first.bottom, "§")
    else:
        return
    line.cells = [[line.words[0], *line.cells[0][1:]], *line.cells[1:]]
