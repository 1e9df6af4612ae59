"""Render a board document's text the way a word processor would: PDF, DOCX, or a scan.

The seeds and the generated documents are text whose table rows are tab-separated cells.
Real uploads are PDFs and Word files, where no tab survives: a PDF's text layer holds words
placed at positions, a Word file holds real tables. This renders a text into those formats so
the reader can be checked against the text it came from:

- PDF (fpdf2): prose wrapped at the right margin, each run of tab lines a table with its
  columns at fixed positions (numbers right-aligned, long cells wrapped inside their column,
  a little padding between rows), a page number and a running head on every page, and no tab
  character anywhere in the text layer;
- DOCX (python-docx): prose as paragraphs, each run of tab lines a Word table;
- scanned PDF: every page of the PDF rendered to a grey image (pdfium), slightly tilted, with a
  received stamp on page 1, put in a PDF of images only, with no text layer.

    python scripts/render_documents.py --format pdf|docx|scan --out DIR FILE.txt...
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import tempfile
from pathlib import Path

FONT_PATHS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
              "/usr/share/fonts/dejavu/DejaVuSans.ttf")
SIZE = 10.0  # pt
LEADING = 1.25  # line height over font size
ROW_PADDING = 5.0  # pt between table rows, as a word processor's cell margins give
COLUMN_GAP = 14.0  # pt between a table's columns
MIN_TABLE_SIZE = 7.0
MARGIN = 56.0  # pt (about 2 cm)
_NUMBER_RE = re.compile(r"^[-−–(]?\s?\d[\d  ]*(?:[,.]\d+)?\s?\)?\s?%?$")
# Characters the PDF core fonts lack, for machines without DejaVu.
_LATIN1 = str.maketrans({"–": "-", "—": "-", "−": "-", "’": "'", "‘": "'", "”": '"', "“": '"',
                         "…": "...", "•": "-", "\u2009": " ", "\u202f": " "})


# Markup left in the seeds by their extraction stands for formatting: a word processor shows
# bold, italics and an HTML table's cells, never the markers themselves.
_MARKUP = ((re.compile(r"</?(?:p|br|tr|table|thead|tbody|div|li|ul|ol|h\d)\b[^>]{0,300}>", re.I), "\n"),
           (re.compile(r"</?(?:td|th)\b[^>]{0,300}>", re.I), "\t"),
           (re.compile(r"</?[a-zA-Z][a-zA-Z0-9]{0,10}\b[^>]{0,300}>"), ""),
           (re.compile(r"\*\*|__"), ""))


def formatted(text: str) -> str:
    """The text as a reader of the formatted document sees it: markup markers gone."""
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    return text


def blocks(text: str) -> list[tuple[str, list[str]]]:
    """('table', rows) for each run of lines holding tabs, ('text', [line]) otherwise."""
    out: list[tuple[str, list[str]]] = []
    lines = formatted(text).replace("\r\n", "\n").split("\n")

    def is_row(k: int) -> bool:
        return 0 <= k < len(lines) and "\t" in lines[k] and bool(lines[k].strip("\t "))

    for k, line in enumerate(lines):
        # A short label between two rows ("Intäkter") is a row of the same table.
        label = bool(line.strip()) and len(line) < 60 and is_row(k - 1) and \
            (is_row(k + 1) or (k + 1 < len(lines) and "\t" not in lines[k + 1] and is_row(k + 2)))
        kind = "table" if is_row(k) or label else "text"
        if kind == "table" and out and out[-1][0] == "table":
            out[-1][1].append(line)
        else:
            out.append((kind, [line]))
    return out


# --- PDF ----------------------------------------------------------------------------------


def to_pdf(text: str, running_head: str | None = None) -> bytes:
    from fpdf import FPDF

    font_path = next((p for p in FONT_PATHS if Path(p).exists()), None)
    head = running_head if running_head is not None else _first_line(text)

    class Document(FPDF):
        def header(self) -> None:
            if head:
                self.set_font(family, size=8)
                for k, line in enumerate(head.split("\n")[:3]):
                    self.set_xy(MARGIN, 16 + 10 * k)
                    self.cell(0, 10, _fit(line, font_path))
                self.set_font(family, size=SIZE)
                self.set_y(MARGIN)

        def footer(self) -> None:
            self.set_font(family, size=8)
            self.set_xy(MARGIN, self.h - 36)
            self.cell(0, 10, f"{self.page_no()} ({{nb}})", align="R")
            self.set_font(family, size=SIZE)

    pdf = Document(unit="pt", format="A4")
    if font_path:
        pdf.add_font("DejaVu", fname=font_path)
        family = "DejaVu"
    else:
        family = "Helvetica"
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font(family, size=SIZE)
    for kind, lines in blocks(text):
        if kind == "text":
            line = _fit(lines[0].rstrip(), font_path)
            if not line.strip():
                pdf.ln(SIZE * LEADING)
                continue
            pdf.set_x(MARGIN)
            pdf.multi_cell(0, SIZE * LEADING, line.strip(), new_x="LMARGIN", new_y="NEXT")
        else:
            _pdf_table(pdf, [_fit(row, font_path) for row in lines], family)
    return bytes(pdf.output())


def _first_line(text: str) -> str:
    for line in text.split("\n"):
        if line.strip() and "\t" not in line:
            return line.strip()[:80]
    return ""


def _fit(text: str, font_path: str | None) -> str:
    return text if font_path else text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def _pdf_table(pdf: object, rows: list[str], family: str) -> None:
    from fpdf import FPDF

    assert isinstance(pdf, FPDF)
    cells = [[c.strip() for c in row.split("\t")] for row in rows]
    ncols = max(len(r) for r in cells)
    width = pdf.w - 2 * MARGIN
    size = SIZE
    natural: list[float] = []
    while True:
        pdf.set_font(family, size=size)
        natural = [max((pdf.get_string_width(r[i]) if i < len(r) else 0.0) for r in cells) + 1
                   for i in range(ncols)]
        if sum(natural) + COLUMN_GAP * (ncols - 1) <= width or size <= MIN_TABLE_SIZE:
            break
        size -= 0.5
    widths = _share(natural, width - COLUMN_GAP * (ncols - 1))
    xs = [MARGIN + sum(widths[:i]) + COLUMN_GAP * i for i in range(ncols)]
    line_h = size * LEADING
    for row in cells:
        wrapped = [_wrap(pdf, row[i], widths[i]) if i < len(row) else [] for i in range(ncols)]
        height = max(len(w) for w in wrapped) * line_h
        if pdf.get_y() + height > pdf.h - MARGIN:
            pdf.add_page()
            pdf.set_font(family, size=size)
        y = pdf.get_y()
        for i, parts in enumerate(wrapped):
            right = bool(parts) and all(_NUMBER_RE.match(p) for p in parts)
            for k, part in enumerate(parts):
                pdf.set_xy(xs[i], y + k * line_h)
                pdf.cell(widths[i], line_h, part, align="R" if right else "L")
        pdf.set_xy(MARGIN, y + height + ROW_PADDING)
    pdf.set_font(family, size=SIZE)


def _share(natural: list[float], room: float) -> list[float]:
    """Column widths: each its natural width when all fit, else the wide ones share what is left."""
    if sum(natural) <= room:
        return natural
    widths = list(natural)
    while True:
        wide = [i for i, w in enumerate(natural) if w > room / len(natural)]
        narrow_total = sum(w for i, w in enumerate(natural) if i not in wide)
        each = (room - narrow_total) / max(1, len(wide))
        for i in wide:
            widths[i] = each
        # A column once shortened may now be narrower than one left alone: settle once more.
        if all(natural[i] <= each or i in wide for i in range(len(natural))):
            return widths
        natural = [min(w, each) for w in natural]


def _wrap(pdf: object, text: str, width: float) -> list[str]:
    from fpdf import FPDF

    assert isinstance(pdf, FPDF)
    if not text:
        return []
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and pdf.get_string_width(trial) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines


# --- DOCX ---------------------------------------------------------------------------------


def to_docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    for kind, lines in blocks(text):
        if kind == "text":
            document.add_paragraph(lines[0].strip())
            continue
        cells = [row.split("\t") for row in lines]
        ncols = max(len(r) for r in cells)
        table = document.add_table(rows=len(cells), cols=ncols)
        for r, row in enumerate(cells):
            for c, value in enumerate(row):
                table.cell(r, c).text = value.strip()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- scan ---------------------------------------------------------------------------------


def to_scan(pdf_bytes: bytes, dpi: int = 200) -> bytes:
    """Each page as a grey image (no text layer), as a scanner would give the printed PDF: a
    little tilted, with a received stamp on the first page, as the post room leaves it."""
    import pypdfium2 as pdfium
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    source = pdfium.PdfDocument(pdf_bytes)
    pdf = FPDF(unit="pt", format="A4")
    with tempfile.TemporaryDirectory() as folder:
        for index in range(len(source)):
            page = source[index]
            image = page.render(scale=dpi / 72.0, grayscale=True).to_pil().convert("L")
            page.close()
            if index == 0:
                draw = ImageDraw.Draw(image)
                x, y = int(image.width * 0.62), int(image.height * 0.015)
                draw.rectangle((x, y, x + int(dpi * 1.6), y + int(dpi * 0.28)), outline=90, width=3)
                draw.text((x + 12, y + 8), "Ankom 2020-11-19", fill=90)
            image = image.rotate(0.4, resample=Image.Resampling.BILINEAR, fillcolor=255)
            target = Path(folder) / f"p{index}.png"
            image.save(target)
            pdf.add_page()
            pdf.image(str(target), x=0, y=0, w=pdf.w, h=pdf.h)
    source.close()
    return bytes(pdf.output())


RENDERERS = {"pdf": (".pdf", lambda text: to_pdf(text)), "docx": (".docx", to_docx),
             "scan": (".pdf", lambda text: to_scan(to_pdf(text)))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--format", choices=sorted(RENDERERS), required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("files", type=Path, nargs="+")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    suffix, render = RENDERERS[args.format]
    for path in args.files:
        target = args.out / (path.stem + suffix)
        target.write_bytes(render(path.read_text(encoding="utf-8")))
        print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
