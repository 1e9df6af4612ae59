"""A file (a path, or bytes from a chat upload) -> its text, or a clear refusal.

Supported: PDF with a text layer (pdfplumber's words with their positions, made into lines by
storage.ingest.page_layout; pdfium as a fallback), Word .docx (python-docx, paragraphs and
tables in document order), plain text and Markdown (UTF-8, UTF-16 with BOM, cp1252 and
latin-1). Table rows come out as tab-separated cells, one row a line, the same shape as the
seed documents, so the table parsers read PDF and Word tables alike. Pages are separated by a
form feed on a line of its own, so what is read can cite its page.

What a file holds wins over what it is called: a PDF named `.txt` is read as a PDF. Every
refusal is an `ExtractError` with a Swedish and an English message for the person who
uploaded the file; nothing here raises anything else for bad input.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import logging
import re
import subprocess
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

from storage.ingest.page_layout import Page, Word, document_text, group_lines
from storage.swedish.cleaning import PAGE_BREAK, normalise_characters

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff", ".bmp", ".webp", ".heic", ".heif"}
SUPPORTED_SV = "PDF (med text eller inskannad), Word (.docx), text (.txt), Markdown (.md) eller en bild (PNG, JPEG, TIFF)"
SUPPORTED_EN = "PDF (with text or scanned), Word (.docx), plain text (.txt), Markdown (.md) or an image (PNG, JPEG, TIFF)"
# A .docx is a zip; refuse one that unpacks to far more than the upload limit (a zip bomb).
UNPACKED_FACTOR = 8
# Share of control characters above which "text" is really binary data.
MAX_CONTROL_SHARE = 0.01

# Control characters other than tab and newline: junk from extraction (PostgreSQL refuses NUL).
_CONTROLS_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# Unicode category Cc (U+0000-U+001F, U+007F-U+009F) without tab, newline, CR, form feed and
# vertical tab: the characters that show "text" to be binary.
_STRAY_CONTROLS_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_PAGE_BREAK_RE = re.compile(r"[ \t]*\n?\f+\n?[ \t]*")
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ExtractError(Exception):
    """A file that cannot be read, with what to tell the person who sent it."""

    def __init__(self, message_sv: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_sv = message_sv
        self.message_en = message_en


@dataclass(frozen=True)
class ExtractedText:
    text: str
    file_name: str
    content_hash: str  # sha256 of `text`: the same content twice is one document
    source_format: str  # txt, md, pdf, docx


def extract_text(path: Path, max_bytes: int) -> ExtractedText:
    """The text of the file at `path`; its size is checked before any of it is read."""
    name = path.name
    try:
        if path.is_dir():
            raise ExtractError(f"{name} är en mapp, inte en fil.", f"{name} is a folder, not a file.")
        size = path.stat().st_size
        _check_size(name, size, max_bytes)
        with path.open("rb") as handle:
            # The file may grow between stat and read: never read more than the limit allows.
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise ExtractError(f"Filen {name} finns inte.", f"The file {name} does not exist.") from None
    except PermissionError:
        raise ExtractError(f"Filen {name} får inte läsas (behörighet saknas).",
                           f"The file {name} cannot be read (permission denied).") from None
    except OSError as exc:
        raise ExtractError(f"Filen {name} kunde inte läsas ({exc.strerror}).",
                           f"The file {name} could not be read ({exc.strerror}).") from None
    return extract_text_from_bytes(data, name, max_bytes)


def extract_text_from_bytes(data: bytes, file_name: str, max_bytes: int) -> ExtractedText:
    """The text of an uploaded file (Slack and Teams hand over bytes and a name)."""
    name = PurePath(file_name).name or file_name
    _check_size(name, len(data), max_bytes)
    source_format, text = _extract(data, name, max_bytes)
    text = normalise(text)
    if not text.strip():
        raise ExtractError(f"Filen {name} innehåller ingen text.", f"The file {name} contains no text.")
    return ExtractedText(text=text, file_name=name,
                         content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                         source_format=source_format)


def normalise(text: str) -> str:
    """One newline convention, ordinary spaces, composed characters (å is one code point)."""
    text = _CONTROLS_RE.sub("", normalise_characters(text))
    if PAGE_BREAK in text:
        # A form feed starts a new page: kept on a line of its own, so facts can cite their page.
        text = _PAGE_BREAK_RE.sub(f"\n{PAGE_BREAK}\n", text)
    return re.sub(r"\A(?:[ \t]*\n)+", "", text).rstrip(" \n")


# --- dispatch ------------------------------------------------------------------------------


def _check_size(name: str, size: int, max_bytes: int) -> None:
    if size == 0:
        raise ExtractError(f"Filen {name} är tom.", f"The file {name} is empty.")
    if size > max_bytes:
        raise ExtractError(
            f"Filen {name} är för stor ({_size(size, 'sv')}); högst {_size(max_bytes, 'sv')} tas emot.",
            f"The file {name} is too large ({_size(size, 'en')}); the limit is {_size(max_bytes, 'en')}.")


def _size(n: int, lang: str) -> str:
    if n < 1024 * 1024:
        return f"{n} byte" if lang == "sv" else f"{n} bytes"
    text = f"{n / (1024 * 1024):.1f}".removesuffix(".0")
    return (text.replace(".", ",") if lang == "sv" else text) + " MB"


def _sniff(data: bytes) -> str | None:
    """What the first bytes say the file is, whatever its name."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(_OLE_MAGIC):
        return "ole"
    if data.startswith(_IMAGE_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP") or \
            data[4:12] in (b"ftypheic", b"ftypheif", b"ftypmif1"):
        return "image"
    return None


def _extract(data: bytes, name: str, max_bytes: int) -> tuple[str, str]:
    suffix = PurePath(name).suffix.lower()
    kind = _sniff(data)
    if kind == "pdf":
        return "pdf", _pdf_text(data, name)
    if kind == "zip":
        return "docx", _docx_text(data, name, max_bytes)
    if kind == "ole":
        raise ExtractError(
            f"{name} är ett äldre Office-format (.doc/.xls) eller en lösenordsskyddad Office-fil. "
            "Spara den som .docx eller PDF, utan lösenord, och skicka den igen.",
            f"{name} is an old Office format (.doc/.xls) or a password-protected Office file. "
            "Save it as .docx or PDF, without a password, and send it again.")
    if kind == "image" or suffix in IMAGE_SUFFIXES:
        return "image", _image_text(data, name, _image_suffix(data) or suffix)
    if suffix == ".pdf":
        raise ExtractError(f"{name} heter .pdf men är ingen PDF-fil.", f"{name} is named .pdf but is not a PDF.")
    if suffix == ".docx":
        raise ExtractError(f"{name} heter .docx men är ingen Word-fil.",
                           f"{name} is named .docx but is not a Word document.")
    if suffix in TEXT_SUFFIXES:
        return TEXT_SUFFIXES[suffix], _decode_text(data, name)
    shown = suffix or "utan filändelse"
    raise ExtractError(f"Filtypen {shown} stöds inte ({name}). Skicka dokumentet som {SUPPORTED_SV}.",
                       f"The file type {suffix or 'without an extension'} is not supported ({name}). "
                       f"Send the document as {SUPPORTED_EN}.")


# --- plain text ----------------------------------------------------------------------------


def _binary(name: str) -> ExtractError:
    return ExtractError(f"{name} är ingen textfil utan binära data. Skicka dokumentet som {SUPPORTED_SV}.",
                        f"{name} is binary data, not text. Send the document as {SUPPORTED_EN}.")


def _decode_text(data: bytes, name: str) -> str:
    text: str | None = None
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise _binary(name) from None
            break
    if text is None:
        if b"\x00" in data:
            raise _binary(name)
        if data.startswith(codecs.BOM_UTF8):
            text = data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
        else:
            text = _decode_8bit(data)
    controls = len(_STRAY_CONTROLS_RE.findall(text))
    if controls > max(4, len(text) * MAX_CONTROL_SHARE):
        raise _binary(name)
    return text


def _decode_8bit(data: bytes) -> str:
    """UTF-8 when it is valid; else Windows' cp1252 (å ä ö, and – ’ € where latin-1 has controls);
    else latin-1, which decodes any byte."""
    for codec in ("utf-8", "cp1252"):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


# --- PDF -----------------------------------------------------------------------------------


def _encrypted(name: str) -> ExtractError:
    return ExtractError(f"{name} är lösenordsskyddad. Ta bort lösenordet och skicka filen igen.",
                        f"{name} is password-protected. Remove the password and send the file again.")


def _broken_pdf(name: str) -> ExtractError:
    return ExtractError(f"{name} är en skadad PDF-fil som inte går att läsa. Spara om den och försök igen.",
                        f"{name} is a damaged PDF that cannot be read. Save it again and retry.")


def _pdf_text(data: bytes, name: str) -> str:
    try:
        pages = _pdfplumber_pages(data)
    except ExtractError:
        raise
    except Exception as exc:  # pdfminer raises many kinds of error on odd files
        if _is_password_error(exc):
            raise _encrypted(name) from None
        log.warning("pdfplumber could not read %s (%s); trying pdfium", name, exc)
        return f"\n{PAGE_BREAK}\n".join(_pdfium_pages(data, name))
    scanned = [i for i, page in enumerate(pages) if not page.lines]
    if scanned:
        pages = _with_ocr(data, name, pages, scanned)
    text = document_text(pages)
    if not text.replace(PAGE_BREAK, "").strip():
        raise ExtractError(
            f"{name} verkar vara inskannad (inget textlager) och OCR fann ingen text på sidorna. Skicka "
            "en tydligare skanning, en PDF med text eller en Word-fil.",
            f"{name} seems to be scanned (no text layer) and OCR found no text on its pages. Send a "
            "clearer scan, a PDF with text or a Word file.")
    return text


def _with_ocr(data: bytes, name: str, pages: list[Page], scanned: list[int]) -> list[Page]:
    """Pages without a text layer read by Tesseract, page by page, with a progress bar."""
    from tqdm import tqdm

    from storage.ingest import ocr

    if ocr.tesseract_ready() is not None:
        if len(scanned) == len(pages):
            raise ExtractError(f"{name} är inskannad (har inget textlager). {ocr.INSTALL_SV}",
                               f"{name} is scanned (it has no text layer). {ocr.INSTALL_EN}")
        log.warning("%s: %d scanned page(s) skipped, Tesseract is missing", name, len(scanned))
        return pages
    import pypdfium2 as pdfium

    def progress(indexes: Iterable[int]) -> Iterable[int]:
        # disable=None: shown on a terminal only, never in a server's log.
        return tqdm(indexes, desc=f"OCR {name}", unit="sida", disable=None, leave=False)

    pdf = pdfium.PdfDocument(data)
    try:
        read = ocr.read_pdf_pages(pdf, scanned, progress)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("OCR of %s failed: %s", name, exc)
        raise ExtractError(f"{name} är inskannad och OCR av den misslyckades. Skicka en PDF med text "
                           "eller en Word-fil.",
                           f"{name} is scanned and reading it by OCR failed. Send a PDF with text "
                           "or a Word file.") from None
    finally:
        pdf.close()
    return [read.get(i, page) for i, page in enumerate(pages)]


def _is_password_error(exc: BaseException) -> bool:
    from pdfminer.pdfdocument import PDFEncryptionError

    causes = [exc, *exc.args, exc.__cause__, exc.__context__]
    return any(isinstance(c, PDFEncryptionError) for c in causes)


def _pdfplumber_pages(data: bytes) -> list[Page]:
    import pdfplumber

    pages: list[Page] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            try:
                pages.append(_page_text(page))
            finally:
                page.close()
    return pages


def _page_text(page: Any) -> Page:
    """The page's words with their positions; storage.ingest.page_layout makes them lines."""
    words = [Word(float(w["x0"]), float(w["x1"]), float(w["top"]), float(w["bottom"]), str(w["text"]))
             for w in page.extract_words(keep_blank_chars=False, use_text_flow=False)]
    return Page(group_lines(words), float(page.width), float(page.height))


def _cell(value: str | None) -> str:
    return " ".join((value or "").split())


def _pdfium_pages(data: bytes, name: str) -> list[str]:
    try:
        import pypdfium2 as pdfium
    except ImportError:
        raise _broken_pdf(name) from None
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise _encrypted(name) from None
        raise _broken_pdf(name) from None
    try:
        pages: list[str] = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            pages.append(str(textpage.get_text_range()))
            textpage.close()
            page.close()
        return pages
    except pdfium.PdfiumError:
        raise _broken_pdf(name) from None
    finally:
        pdf.close()


# --- images --------------------------------------------------------------------------------

# What Tesseract (through Leptonica) reads; a phone's HEIC is not among them.
OCR_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif"}


def _image_suffix(data: bytes) -> str | None:
    """What the first bytes say the image is, whatever its name."""
    for magic, suffix in ((b"\x89PNG", ".png"), (b"\xff\xd8\xff", ".jpg"), (b"GIF8", ".gif"),
                          (b"II*\x00", ".tif"), (b"MM\x00*", ".tif")):
        if data.startswith(magic):
            return suffix
    return None


def _image_text(data: bytes, name: str, suffix: str) -> str:
    """A photo or scan of a page, read by OCR."""
    from storage.ingest import ocr

    if suffix not in OCR_IMAGE_SUFFIXES:
        raise ExtractError(f"{name}: bildformatet {suffix or '(okänt)'} kan inte läsas. Skicka sidan som PNG, "
                           f"JPEG eller TIFF, eller dokumentet som {SUPPORTED_SV}.",
                           f"{name}: the image format {suffix or '(unknown)'} cannot be read. Send the page "
                           f"as PNG, JPEG or TIFF, or the document as {SUPPORTED_EN}.")
    if ocr.tesseract_ready() is not None:
        raise ExtractError(f"{name} är en bild. {ocr.INSTALL_SV}", f"{name} is an image. {ocr.INSTALL_EN}")
    import tempfile

    with tempfile.TemporaryDirectory(prefix="boardbot-ocr-") as folder:
        target = Path(folder) / f"page{suffix}"
        target.write_bytes(data)
        try:
            page = ocr.read_image(target)
        except Exception as exc:  # Pillow and Tesseract fail in many ways on a broken image
            log.warning("OCR of image %s failed: %s", name, exc)
            raise ExtractError(f"{name} är en bild som inte gick att läsa.",
                               f"{name} is an image that could not be read.") from None
    text = document_text([page])
    if not text.strip():
        raise ExtractError(f"{name} är en bild där OCR inte fann någon text. Skicka en tydligare bild eller "
                           f"dokumentet som {SUPPORTED_SV}.",
                           f"{name} is an image in which OCR found no text. Send a clearer picture or the "
                           f"document as {SUPPORTED_EN}.")
    return text


# --- Word ----------------------------------------------------------------------------------


def _docx_text(data: bytes, name: str, max_bytes: int) -> str:
    not_word = ExtractError(f"{name} är ingen Word-fil (.docx) som går att läsa. Skicka dokumentet som "
                            f"{SUPPORTED_SV}.",
                            f"{name} is not a readable Word document (.docx). Send the document as "
                            f"{SUPPORTED_EN}.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise not_word from None
    names = {member.filename for member in members}
    if "word/document.xml" not in names:
        if "xl/workbook.xml" in names or "ppt/presentation.xml" in names:
            raise ExtractError(f"{name} är en Excel- eller PowerPoint-fil; de stöds inte. Spara den som PDF "
                               "och skicka den igen.",
                               f"{name} is an Excel or PowerPoint file, which is not supported. Save it as "
                               "PDF and send it again.")
        raise not_word
    if sum(member.file_size for member in members) > UNPACKED_FACTOR * max_bytes:
        raise ExtractError(f"{name} packas upp till mer än {_size(UNPACKED_FACTOR * max_bytes, 'sv')}.",
                           f"{name} unpacks to more than {_size(UNPACKED_FACTOR * max_bytes, 'en')}.")
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        return "\n".join(_docx_blocks(document))
    except Exception as exc:  # python-docx and lxml raise many kinds of error on damaged files
        log.warning("python-docx could not read %s: %s", name, exc)
        raise not_word from None


def _docx_blocks(document: Any) -> Iterator[str]:
    """Paragraphs and tables in the order they stand in the document."""
    from docx.table import Table

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            yield from _docx_table_rows(block)
        else:
            yield block.text


def _docx_table_rows(table: Any) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            # A cell spanning columns is handed back once per column: text once, the rest empty,
            # so the columns still line up with the header.
            cells.append("" if cell._tc is previous else _cell(cell.text))
            previous = cell._tc
        yield "\t".join(cells)
