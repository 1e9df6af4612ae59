"""Reading files: real PDFs, Word files and text in several encodings, built in tmp_path.

Each refusal must be an ExtractError with a Swedish and an English message that tells the
person what is wrong; nothing else may escape for bad input.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import random
import tracemalloc
import zipfile
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from PIL import Image

from storage.ingest.extract import ExtractedText, ExtractError, extract_text, extract_text_from_bytes
from storage.settings import get_settings

LIMIT = 50 * 1024 * 1024
SWEDISH = "Protokoll från styrelsemöte för Samordningsförbundet Härnösand - Timrå"
DECISION = "Styrelsen beslutar att bevilja 1 200 000 kr till Jobbcenter 2.0 för år 2024."


def _pdf() -> FPDF:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    return pdf


def _write(path: Path, data: bytes | bytearray) -> Path:
    path.write_bytes(bytes(data))
    return path


def refused(path: Path, max_bytes: int = LIMIT) -> ExtractError:
    with pytest.raises(ExtractError) as caught:
        extract_text(path, max_bytes)
    error = caught.value
    assert error.message_sv and error.message_en
    assert "\n" not in error.message_sv and "\n" not in error.message_en
    return error


# --- PDF -----------------------------------------------------------------------------------


def test_pdf_with_swedish_text(tmp_path: Path) -> None:
    pdf = _pdf()
    pdf.multi_cell(0, 7, f"{SWEDISH}\n§ 108 Mötets öppnande\n{DECISION}")
    pdf.add_page()
    pdf.multi_cell(0, 7, "§ 109 Val av justerare\nÅsa Öberg utses att justera.")
    result = extract_text(_write(tmp_path / "protokoll.pdf", pdf.output()), LIMIT)

    assert result.source_format == "pdf"
    assert result.file_name == "protokoll.pdf"
    lines = result.text.split("\n")
    assert SWEDISH in lines and DECISION in lines and "§ 108 Mötets öppnande" in lines
    assert result.text.index("§ 108") < result.text.index("§ 109")
    assert "Åsa Öberg utses att justera." in result.text
    assert result.content_hash == hashlib.sha256(result.text.encode("utf-8")).hexdigest()


def test_pdf_table_comes_out_as_tab_separated_rows(tmp_path: Path) -> None:
    pdf = _pdf()
    pdf.multi_cell(0, 7, "§ 112 Tertialuppföljning\nFöre tabellen.")
    with pdf.table() as table:
        for cells in (("", "Budget 2024", "Utfall T2"), ("Intäkter", "5 000", "4 800"),
                      ("Kostnader", "-4 900", "-4 500")):
            row = table.row()
            for cell in cells:
                row.cell(cell)
    pdf.multi_cell(0, 7, "Efter tabellen: ärendet är avslutat.")
    text = extract_text(_write(tmp_path / "t2.pdf", pdf.output()), LIMIT).text

    lines = text.split("\n")
    # The thousands space in "5 000" stays inside its cell: only tabs separate columns.
    assert "\tBudget 2024\tUtfall T2" in lines
    assert "Intäkter\t5 000\t4 800" in lines
    assert "Kostnader\t-4 900\t-4 500" in lines
    assert lines.index("Före tabellen.") < lines.index("Intäkter\t5 000\t4 800") < \
        lines.index("Efter tabellen: ärendet är avslutat.")


def test_image_only_pdf_is_refused_as_scanned(tmp_path: Path) -> None:
    pdf = _pdf()
    pdf.rect(20, 20, 150, 80)
    scan = Image.new("RGB", (400, 200), "lightgray")
    pdf.image(scan, x=20, y=120, w=150)
    error = refused(_write(tmp_path / "inskannad.pdf", pdf.output()))
    assert "textlager" in error.message_sv and "inskannad" in error.message_sv and "OCR" in error.message_sv
    assert "scanned" in error.message_en


def test_password_protected_pdf_is_refused(tmp_path: Path) -> None:
    pdf = _pdf()
    pdf.cell(0, 10, "Hemligt protokoll")
    pdf.set_encryption(owner_password="agare", user_password="hemligt")
    error = refused(_write(tmp_path / "låst.pdf", pdf.output()))
    assert "lösenordsskyddad" in error.message_sv
    assert "password" in error.message_en
    assert "låst.pdf" in error.message_sv


def test_pdf_with_only_an_owner_password_is_read(tmp_path: Path) -> None:
    """No password is asked to open it (only to change it), so its text is there to read."""
    pdf = _pdf()
    pdf.cell(0, 10, "Protokollet får inte ändras")
    pdf.set_encryption(owner_password="agare")
    assert extract_text(_write(tmp_path / "skyddad.pdf", pdf.output()), LIMIT).text == \
        "Protokollet får inte ändras"


def test_damaged_pdf_is_refused(tmp_path: Path) -> None:
    error = refused(_write(tmp_path / "trasig.pdf", b"%PDF-1.7\n" + b"garbage " * 200))
    assert "skadad" in error.message_sv


def test_pdf_is_recognised_whatever_its_name(tmp_path: Path) -> None:
    pdf = _pdf()
    pdf.cell(0, 10, "Kallelse till styrelsemöte")
    result = extract_text(_write(tmp_path / "kallelse.txt", pdf.output()), LIMIT)
    assert (result.source_format, result.text) == ("pdf", "Kallelse till styrelsemöte")


# --- Word ----------------------------------------------------------------------------------


def _docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Verksamhetsplan och budget 2024", level=1)
    document.add_paragraph("Förbundets budget för år 2024 fastställs enligt tabellen.")
    table = document.add_table(rows=4, cols=4)
    table.cell(0, 1).merge(table.cell(0, 2))  # "Budget" spans two year columns
    rows = [("", "Budget", "", "Utfall"), ("", "2024", "2025", "2023"),
            ("Intäkter", "5 000", "5 100", "4 800"), ("Kostnader", "-4 900", "-5 000", "-4 500")]
    for r, cells in enumerate(rows):
        for c, value in enumerate(cells):
            if value:
                table.cell(r, c).text = value
    paragraph = document.add_paragraph("Ärendet bereds av förbundschefen.")
    paragraph.add_run("\tEfter tabb.")
    document.save(str(path))
    return path


def test_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    result = extract_text(_docx(tmp_path / "plan.docx"), LIMIT)
    assert result.source_format == "docx"
    assert result.text.split("\n") == [
        "Verksamhetsplan och budget 2024",
        "Förbundets budget för år 2024 fastställs enligt tabellen.",
        "\tBudget\t\tUtfall",
        "\t2024\t2025\t2023",
        "Intäkter\t5 000\t5 100\t4 800",
        "Kostnader\t-4 900\t-5 000\t-4 500",
        "Ärendet bereds av förbundschefen.\tEfter tabb.",
    ]


def test_docx_from_bytes(tmp_path: Path) -> None:
    data = _docx(tmp_path / "plan.docx").read_bytes()
    from_path = extract_text(tmp_path / "plan.docx", LIMIT)
    from_bytes = extract_text_from_bytes(data, "plan.docx", LIMIT)
    assert from_bytes == from_path


def test_zip_that_is_not_a_word_file_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("bilagor/budget.txt", "Budget 2024")
    error = refused(_write(tmp_path / "bilagor.docx", buffer.getvalue()))
    assert "ingen Word-fil" in error.message_sv


def test_excel_file_is_refused_with_advice(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    error = refused(_write(tmp_path / "budget.xlsx", buffer.getvalue()))
    assert "Excel" in error.message_sv and "PDF" in error.message_sv


def test_broken_word_file_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document><inte xml")
    assert "ingen Word-fil" in refused(_write(tmp_path / "trasig.docx", buffer.getvalue())).message_sv


def test_word_file_that_unpacks_far_beyond_the_limit_is_refused(tmp_path: Path) -> None:
    path = _docx(tmp_path / "bomb.docx")
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/padding.bin", b"\0" * 2_000_000)
    assert path.stat().st_size < 100_000
    assert "packas upp" in refused(path, max_bytes=100_000).message_sv


def test_old_word_format_is_refused_with_advice(tmp_path: Path) -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(random.Random(1).randbytes(4000))
    error = refused(_write(tmp_path / "protokoll.doc", data))
    assert ".docx" in error.message_sv


# --- text ----------------------------------------------------------------------------------


TEXT = "Ärende § 5: Budget för Åsa Öberg – 1 200 € ”godkänd” ’ok’ …\nNästa rad: ä ö å Ä Ö Å é"


def test_utf8_text(tmp_path: Path) -> None:
    result = extract_text(_write(tmp_path / "a.txt", TEXT.encode("utf-8")), LIMIT)
    assert (result.text, result.source_format) == (TEXT, "txt")


def test_utf8_with_bom(tmp_path: Path) -> None:
    result = extract_text(_write(tmp_path / "a.txt", codecs.BOM_UTF8 + TEXT.encode("utf-8")), LIMIT)
    assert result.text == TEXT


def test_utf16_with_bom(tmp_path: Path) -> None:
    assert extract_text(_write(tmp_path / "a.txt", TEXT.encode("utf-16")), LIMIT).text == TEXT


def test_cp1252_text(tmp_path: Path) -> None:
    data = TEXT.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert extract_text(_write(tmp_path / "a.txt", data), LIMIT).text == TEXT


def test_latin1_text(tmp_path: Path) -> None:
    text = "Förbundets årsredovisning för Östra Göinge\nÅtgärd: ändra § 4 ½ år"
    assert extract_text(_write(tmp_path / "a.txt", text.encode("latin-1")), LIMIT).text == text


def test_latin1_with_a_byte_cp1252_lacks(tmp_path: Path) -> None:
    data = "Mötet i Åre".encode("latin-1") + b"\x81" + "\nslut på året".encode("latin-1")
    assert extract_text(_write(tmp_path / "a.txt", data), LIMIT).text == "Mötet i Åre\nslut på året"


def test_markdown(tmp_path: Path) -> None:
    text = "# Kallelse\n\n**Tid:** fredag 9.00\n\n| Punkt | Ärende |\n|---|---|\n| 1 | Öppnande |"
    result = extract_text(_write(tmp_path / "kallelse.md", text.encode("utf-8")), LIMIT)
    assert (result.text, result.source_format) == (text, "md")


def test_normalisation(tmp_path: Path) -> None:
    raw = "\r\n\r\nRad\x0c ett\r\nBelopp:\u00a01\u00a0200\u00a0000\u202fkr\rRad tre med a\u0308 och o\u0308\r\n\r\n"
    text = extract_text(_write(tmp_path / "a.txt", raw.encode("utf-8")), LIMIT).text
    # A form feed is a page break: kept on a line of its own so a fact can cite its page.
    assert text == "Rad\n\f\nett\nBelopp: 1 200 000 kr\nRad tre med ä och ö"


def test_same_text_with_other_line_endings_is_the_same_document(tmp_path: Path) -> None:
    unix = extract_text(_write(tmp_path / "a.txt", "Rad 1\nRad 2 – åäö".encode()), LIMIT)
    windows = extract_text(_write(tmp_path / "b.txt", "Rad 1\r\nRad 2 – åäö".encode("cp1252")), LIMIT)
    assert unix.content_hash == windows.content_hash
    other = extract_text(_write(tmp_path / "c.txt", b"Rad 1\nRad 3"), LIMIT)
    assert other.content_hash != unix.content_hash


def test_text_from_bytes_keeps_only_the_file_name() -> None:
    result = extract_text_from_bytes(b"Hej styrelsen", "uploads/2024/hej.txt", LIMIT)
    assert result == ExtractedText(text="Hej styrelsen", file_name="hej.txt",
                                   content_hash=hashlib.sha256(b"Hej styrelsen").hexdigest(),
                                   source_format="txt")


# --- refusals ------------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    error = refused(_write(tmp_path / "tom.txt", b""))
    assert "tom" in error.message_sv and "empty" in error.message_en


def test_whitespace_only_file(tmp_path: Path) -> None:
    assert "ingen text" in refused(_write(tmp_path / "blank.txt", b" \r\n\t\n  ")).message_sv


def test_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    assert get_settings().max_document_bytes == LIMIT
    path = tmp_path / "stor.pdf"
    with path.open("wb") as handle:  # sparse: takes no disk space or memory to make
        handle.truncate(LIMIT + 1)
    tracemalloc.start()
    try:
        error = refused(path, get_settings().max_document_bytes)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000, f"{peak} bytes allocated: the file was read before its size was checked"
    assert "för stor" in error.message_sv and "50 MB" in error.message_sv
    assert "50 MB" in error.message_en


def test_file_at_the_limit_is_accepted(tmp_path: Path) -> None:
    data = ("Rad med text åäö\n" * 100).encode()
    assert extract_text(_write(tmp_path / "a.txt", data), max_bytes=len(data)).text.startswith("Rad")
    with pytest.raises(ExtractError, match="too large"):
        extract_text(tmp_path / "a.txt", max_bytes=len(data) - 1)


def test_bytes_over_the_limit_are_refused() -> None:
    with pytest.raises(ExtractError) as caught:
        extract_text_from_bytes(b"x" * 1001, "stor.txt", 1000)
    assert "för stor" in caught.value.message_sv


def test_random_binary_is_refused(tmp_path: Path) -> None:
    data = random.Random(7).randbytes(20_000)
    assert "binära data" in refused(_write(tmp_path / "data.txt", data)).message_sv


def test_binary_without_nul_bytes_is_refused(tmp_path: Path) -> None:
    data = bytes(b for b in random.Random(8).randbytes(20_000) if b)
    assert "binära data" in refused(_write(tmp_path / "data.md", data)).message_sv


def test_image_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (50, 50), "white").save(buffer, format="PNG")
    for name in ("foto.png", "foto.txt"):
        error = refused(_write(tmp_path / name, buffer.getvalue()))
        assert "bild" in error.message_sv and "OCR" in error.message_sv


def test_unsupported_extension(tmp_path: Path) -> None:
    error = refused(_write(tmp_path / "budget.csv", "År;Belopp\n2024;5000".encode()))
    assert "Filtypen .csv stöds inte" in error.message_sv
    assert ".docx" in error.message_sv and ".csv" in error.message_en


def test_text_named_pdf_is_refused(tmp_path: Path) -> None:
    assert "ingen PDF" in refused(_write(tmp_path / "falsk.pdf", b"Detta ar ingen PDF")).message_sv


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert "finns inte" in refused(tmp_path / "saknas.pdf").message_sv
    assert "mapp" in refused(tmp_path).message_sv


def test_pdf_falls_back_to_pdfium_when_pdfplumber_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pdfplumber

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("pdfminer gave up")

    pdf = _pdf()
    pdf.multi_cell(0, 7, f"{SWEDISH}\n{DECISION}")
    monkeypatch.setattr(pdfplumber, "open", broken)
    result = extract_text(_write(tmp_path / "protokoll.pdf", pdf.output()), LIMIT)
    assert result.source_format == "pdf"
    assert result.text.split("\n") == [SWEDISH, DECISION]
