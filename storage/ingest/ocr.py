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
from functools import lru_cache
from pathlib import Path
from typing import Any

from storage.ingest.page_layout import Line, Page, Word, group_lines

DPI = 300
LANGUAGE = "swe"
PAGE_TIMEOUT_S = 180
# Tesseract's page segmentation "a single column of text of variable sizes": a board's page is
# one column whose tables are rows of text; the automatic mode (3) loses whole table columns
# into blocks of their own, or misses them.
PAGE_SEGMENTATION = "4"
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


# Symbols that are text on their own; any other word without a letter or digit that Tesseract
# is unsure of (below JUNK_CONFIDENCE) is noise.
KEEP_SYMBOLS = ("§", "%", "-", "–", "§§")
JUNK_CONFIDENCE = 70.0
# Noise glued to the front of a word ("=:10 mars", "<:Älvsund", "-Kvarnsund": a minus is never
# glued to a capitalised word).
_JUNK_PREFIX_RE = re.compile(r"^(?:[=<>|~_:;«»]+(?=\w)|[-—](?=[A-ZÅÄÖ][a-zåäö]))")


class OcrUnavailable(Exception):
    """Tesseract, or its Swedish data, is not installed."""


@lru_cache(maxsize=1)
def tesseract_ready() -> str | None:
    """None when Tesseract with Swedish can be run; else what is missing."""
    program = shutil.which("tesseract")
    if program is None:
        return "tesseract"
    try:
        listed = subprocess.run([program, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "tesseract"
    languages = set((listed.stdout + listed.stderr).split())
    return None if LANGUAGE in languages else f"tesseract-ocr-{LANGUAGE}"


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
    return _page(_tesseract(path), width, height, 72.0 / dpi)


def read_pdf_pages(pdf: Any, indexes: Iterable[int],
                   progress: Callable[[Iterable[int]], Iterable[int]] | None = None) -> dict[int, Page]:
    """The pages of a pypdfium2 document at `indexes`, each rendered and read by Tesseract."""
    _require()
    pages: dict[int, Page] = {}
    order = list(indexes)
    with tempfile.TemporaryDirectory(prefix="boardbot-ocr-") as folder:
        for index in progress(order) if progress else order:
            page = pdf[index]
            try:
                width, height = page.get_size()
                bitmap = page.render(scale=DPI / 72.0, grayscale=True)
                image = bitmap.to_pil()
                target = Path(folder) / f"page{index}.png"
                image.save(target)
                pages[index] = _page(_tesseract(target), width, height, 72.0 / DPI)
                target.unlink()
            finally:
                page.close()
    return pages


def _tesseract(image: Path) -> list[dict[str, str]]:
    program = shutil.which("tesseract") or "tesseract"
    done = subprocess.run([program, str(image), "stdout", "-l", LANGUAGE, "--psm", PAGE_SEGMENTATION, "tsv"],
                          capture_output=True, text=True, timeout=PAGE_TIMEOUT_S, check=True)
    return list(csv.DictReader(io.StringIO(done.stdout), delimiter="\t", quoting=csv.QUOTE_NONE))


def _page(rows: list[dict[str, str]], width: float, height: float, scale: float) -> Page:
    """Tesseract's word boxes in points. A box is as tall as its letters ("om" is lower than
    "Åre"), so every word gets the page's typical line height: line pitch over text height then
    means the same as in a PDF's text layer."""
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
        text = _JUNK_PREFIX_RE.sub("", (row.get("text") or "").strip())
        if level != 5 or not text or confidence < MIN_CONFIDENCE:
            continue
        word = Word(left * scale, (left + w) * scale, top * scale, (top + h) * scale, text)
        if not any(c.isalnum() for c in text) and text not in KEEP_SYMBOLS and confidence < JUNK_CONFIDENCE:
            # A speck, a ruling line or the edge of a stamp read as "—", "<:" or "|": in a
            # table's gap it would join two columns. Dropped once a misread "§" is restored.
            junk.add((word.x0, word.x1, text))
        words.append((key, word))
    if not words:
        return Page([], width, height)
    typical = statistics.median(line_heights.values()) if line_heights else statistics.median(
        w.height for _, w in words)
    placed: list[Word] = []
    for _, word in words:
        size = typical
        middle = (word.top + word.bottom) / 2
        placed.append(Word(word.x0, word.x1, middle - size / 2, middle + size / 2, word.text))
    lines = group_lines(placed)
    for line in lines:
        _restore_section_sign(line)
    if junk:
        kept = [w for line in lines for w in line.words if (w.x0, w.x1, w.text) not in junk]
        lines = group_lines(kept)
    return Page(lines, width, height)


def _restore_section_sign(line: Line) -> None:
    first = line.words[0]
    glued = _MISREAD_GLUED_RE.match(first.text)
    if glued:
        line.words[0] = Word(first.x0, first.x1, first.top, first.bottom, "§ " + glued.group(1))
    elif first.text in SECTION_SIGN_MISREADS and len(line.words) > 1 and _NUMBER_RE.match(line.words[1].text):
        line.words[0] = Word(first.x0, first.x1, first.top, first.bottom, "§")
    else:
        return
    line.cells = [[line.words[0], *line.cells[0][1:]], *line.cells[1:]]
