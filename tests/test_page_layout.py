"""PDF and Word files read back into the lines and table cells they were written from.

The documents are rendered by scripts/render_documents.py the way a word processor lays them
out: tables as words placed in columns (no tab in the PDF's text layer), justified prose
wrapped at the margin, a running head and a page number on every page.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from storage.ingest.extract import extract_text_from_bytes
from storage.ingest.parse import parse_document
from storage.ingest.report import fact_diff
from storage.swedish.cleaning import clean_text
from tests.script_modules import load_script

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "000_4572de28977e8b68.txt"
LIMIT = 50 * 1024 * 1024

TEXT = """Protokoll – styrelsen för Samordningsförbundet Exempel

Plats\tKommunhuset, sal 3
Tid\t11 juni 2021, kl. 09.00-12.00
Övriga deltagare\tAnna Alm, förbundschef Bo Berg, verksamhetsutvecklare Carin Ceder, revisor, Region Exempel Dora Dahl, sakkunnigt biträde, Region Exempel Erik Ek, ekonom

§ 7 Budget

Förbundschefen redovisar budgeten för nästa år och jämför den med prognosen för innevarande år och utfallet för förra året, rad för rad, med kommentarer om varje avvikelse som är större än tio procent.

\tBudget 2022\tPrognos 2021\tUtfall 2020
Kansli\t860 000\t750 000\t702 114
Projekt ARCH\t\t46 800\t630 400
Förstudie om samsjuklighet bland unga vuxna i länets alla kommuner\t174 000\t0\t0
Summa\t1 034 000\t796 800\t1 332 514
"""


@pytest.fixture(scope="module")
def render() -> ModuleType:
    return load_script("render_documents")


def _lines(text: str) -> list[str]:
    """Non-blank lines as the parsers see them (a lone page number is dropped there)."""
    return [line.rstrip("\t") for line in clean_text(text).split("\n") if line.strip()]


def test_pdf_table_cells_keep_their_columns(render: ModuleType) -> None:
    data = render.to_pdf(TEXT, running_head="")  # one page: nothing repeats to tell a head from text
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert "\t" not in "".join(page.extract_text() for page in pdf.pages)
    text = extract_text_from_bytes(data, "p.pdf", LIMIT).text
    # Empty cells stay empty, a wrapped label and a wrapped value are one cell again, and the
    # justified paragraph is one line with single spaces.
    assert _lines(text) == _lines(TEXT)


def test_running_head_and_page_numbers_are_dropped_and_pages_marked(render: ModuleType) -> None:
    body = "\n\n".join(f"§ {n} Ärende nummer {n}\n\nStyrelsen beslutar att lägga ärende {n} till handlingarna."
                       for n in range(1, 31))
    text = extract_text_from_bytes(render.to_pdf("Protokoll styrelsen\n\n" + body), "p.pdf", LIMIT).text
    pages = text.split("\n\f\n")
    assert len(pages) >= 2
    assert text.count("Protokoll styrelsen") == 1  # the title once, not the running head
    assert not any(line.strip().endswith(f"({len(pages)})") for line in text.split("\n"))
    assert "§ 30 Ärende nummer 30" in pages[-1]


def test_word_tables_come_back_as_rows_of_cells(render: ModuleType) -> None:
    text = extract_text_from_bytes(render.to_docx(TEXT), "p.docx", LIMIT).text
    assert _lines(text) == _lines(TEXT)


@pytest.mark.skipif(not SEED.exists(), reason="seeds not found")
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_seed_rendered_gives_the_same_facts_as_its_text(render: ModuleType, fmt: str) -> None:
    source = SEED.read_text(encoding="utf-8")
    suffix, to_format = render.RENDERERS[fmt]
    extracted = extract_text_from_bytes(to_format(source), SEED.stem + suffix, LIMIT)
    assert fact_diff(parse_document(source), parse_document(extracted.text)) == {}
