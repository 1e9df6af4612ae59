"""The justering certificate as an archive-grade PDF (PDF/A-2b).

veraPDF is not packaged for Debian; this checks what PDF/A-2b rests on and what can be
read from the file with pdfminer (a dependency through pdfplumber): the PDF 1.7 header, every
font embedded (FontFile2 in each font's descriptor), the XMP metadata stream on the catalog
with pdfaid:part 2 and conformance B, an sRGB output intent (GTS_PDFA1 with a 3-component
ICC profile), and the text itself: Swedish letters, §§ and en dashes as written.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pdfplumber
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFStream, resolve1

from storage.certificate import Certificate, SignerLine, render_pdf, render_text

HASH = "c5bb1dd48f157442083a3a14ff60f1e4e4fc7e60ddf056f5386e1d33f73c1c98"


def certificate() -> Certificate:
    return Certificate(
        organisation="Samordningsförbundet Härnösand – Timrå", meeting_date=dt.date(2025, 6, 13),
        paragraph_range="31-37", document="Protokoll – styrelsen", version_hash=HASH, justerat=True,
        justering_date=dt.date(2025, 6, 16), started="2025-06-16 09:00:00 av Elsa Brännvall",
        deadline=dt.date(2025, 6, 18),
        signers=[SignerLine("Ingrid Vallmo", "ordförande", "2025-06-16 09:05:00", "teams", "aad-1"),
                 SignerLine("Tove Ekbacka", "justerare", "2025-06-16 09:10:00", "slack", "U0TOVE")],
        audit_trail=["2025-06-16 09:00 justering startad (version c5bb1dd48f15) – slack:U0ELSA (Elsa Brännvall)"],
        issued="2025-06-16 09:11:00")


def test_certificate_pdf_is_pdfa_2b_with_embedded_fonts() -> None:
    data = render_pdf(certificate())
    assert data.startswith(b"%PDF-1.7")
    doc = PDFDocument(PDFParser(io.BytesIO(data)))
    catalog = doc.catalog
    # XMP metadata with the PDF/A identification.
    metadata = resolve1(catalog["Metadata"])
    assert isinstance(metadata, PDFStream)
    xmp = metadata.get_data().decode("utf-8")
    assert re.search(r'pdfaid:part(="2"|>2<)', xmp) and re.search(r'pdfaid:conformance(="B"|>B<)', xmp), xmp
    # An sRGB output intent for PDF/A.
    [intent] = [resolve1(i) for i in resolve1(catalog["OutputIntents"])]
    assert resolve1(intent["S"]).name == "GTS_PDFA1"
    profile = resolve1(intent["DestOutputProfile"])
    assert isinstance(profile, PDFStream) and resolve1(profile["N"]) == 3
    assert "sRGB" in str(resolve1(intent.get("OutputConditionIdentifier")))
    # Every font on every page embedded.
    fonts = []
    for xref in doc.xrefs:
        for objid in xref.get_objids():
            obj = resolve1(doc.getobj(objid))
            if isinstance(obj, dict) and getattr(obj.get("Type"), "name", None) == "FontDescriptor":
                fonts.append(obj)
    assert fonts and all("FontFile2" in f for f in fonts)
    assert not re.search(rb"/BaseFont\s*/(Helvetica|Times|Courier)", data)
    # The text as written: en dashes, §§, the whole hash, signers and the audit trail.
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "Härnösand – Timrå" in text
    assert "§§ 31–37" in text
    assert HASH in text
    assert "Tove Ekbacka, justerare" in text and "Elsa Brännvall" in text
    assert "Granskningslogg" in text
    assert "§§ 31–37" in render_text(certificate())
