"""Hostile uploads, built at test time: small on disk, huge when read.

- a DOCX whose word/document.xml unpacks a thousandfold (a zip bomb);
- the same, with the zip's declared sizes lying (small) about what really comes out;
- a PDF whose one content stream inflates 1 MB into 1 GB;
- a PDF with thousands of pages.

Deflate data is made of one compressed megabyte, flushed with Z_FULL_FLUSH (byte-aligned, no
back-references across the flush) and repeated: valid Deflate that costs nothing to build.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

MB = 1024 * 1024

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>")
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>')
_DOC_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
_DOC_TAIL = b"</w:body></w:document>"
_PARAGRAPH = b"<w:p><w:r><w:t>Protokoll styrelsemote</w:t></w:r></w:p>"


def _raw(data: bytes, *, final: bool = False) -> bytes:
    """Raw Deflate of `data`: byte-aligned and self-contained, so pieces can be repeated."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


def zip_bomb_docx(unpacked_mb: int = 390, *, declared_mb: int | None = None) -> bytes:
    """A Word document whose body is `unpacked_mb` MB of paragraphs; `declared_mb` makes the zip
    claim that size instead (the lie a zip bomb tells a size check)."""
    unit = _PARAGRAPH * (MB // len(_PARAGRAPH))
    compressed = _raw(_DOC_HEAD) + _raw(unit) * unpacked_mb + _raw(_DOC_TAIL, final=True)
    crc = zlib.crc32(_DOC_HEAD)
    for _ in range(unpacked_mb):
        crc = zlib.crc32(unit, crc)
    crc = zlib.crc32(_DOC_TAIL, crc)
    size = len(_DOC_HEAD) + len(unit) * unpacked_mb + len(_DOC_TAIL)
    declared = size if declared_mb is None else declared_mb * MB
    return _zip([("[Content_Types].xml", _CONTENT_TYPES.encode()), ("_rels/.rels", _RELS.encode())],
                ("word/document.xml", compressed, crc, declared))


def _zip(plain: list[tuple[str, bytes]], raw: tuple[str, bytes, int, int]) -> bytes:
    """A zip of `plain` members (written by zipfile) plus one member given as raw Deflate data
    with its CRC and the size to declare."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in plain:
            archive.writestr(name, data)
    # zipfile cannot take ready-made Deflate data: append the last member by hand.
    existing = buffer.getvalue()
    end = existing.rfind(b"PK\x05\x06")
    entries, cd_size, cd_offset = _eocd(existing, end)
    central = existing[cd_offset:cd_offset + cd_size]
    locals_ = existing[:cd_offset]
    name, data, crc, declared = raw
    encoded = name.encode()
    offset = len(locals_)
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), declared,
                        len(encoded), 0) + encoded
    entry = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), declared,
                        len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    body = locals_ + local + data
    new_central = central + entry
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, entries + 1, entries + 1, len(new_central), len(body), 0)
    return body + new_central + eocd


def _eocd(data: bytes, end: int) -> tuple[int, int, int]:
    _sig, _disk, _cd_disk, _here, entries, size, offset, _comment = struct.unpack("<IHHHHIIH", data[end:end + 22])
    return entries, size, offset


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of the given objects (1 0 obj is the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def _page_objects(pages: int, content: bytes, flate: bool = False) -> list[bytes]:
    """Catalog, page tree, a font, one shared content stream, then the pages."""
    first_page = 5
    kids = b" ".join(b"%d 0 R" % (first_page + k) for k in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        _stream(content, b" /Filter /FlateDecode" if flate else b""),
    ]
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>")
    objects += [page] * pages
    return objects


def pdf_with_huge_stream(inflated_mb: int = 1024) -> bytes:
    """One page whose content stream is about 1 MB on disk and `inflated_mb` MB inflated."""
    line = b"BT /F1 12 Tf 72 720 Td (Styrelsemote) Tj ET\n"
    unit = line * (MB // len(line))
    # zlib's two-byte header, the repeated raw Deflate, a final empty block and an Adler-32
    # that no reader gets far enough to check.
    data = b"\x78\xda" + _raw(unit) * inflated_mb + _raw(b"", final=True) + b"\x00\x00\x00\x00"
    return _pdf(_page_objects(1, data, flate=True))


def pdf_with_pages(pages: int = 2000, text: str = "Styrelsemote") -> bytes:
    content = b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % text.encode("latin-1")
    return _pdf(_page_objects(pages, content))


def _escape_pdf(text: str) -> bytes:
    raw = text.encode("cp1252", "replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def text_pdf(lines: list[str], lines_per_page: int = 70) -> bytes:
    """A plain PDF with a text layer: `lines` top to bottom, `lines_per_page` a page (a long
    but honest document, slow to read only because it is long)."""
    pages = [lines[k:k + lines_per_page] for k in range(0, len(lines), lines_per_page)] or [[]]
    first_page = 4
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
            b" ".join(b"%d 0 R" % (first_page + 2 * k) for k in range(len(pages))), len(pages)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for k, page_lines in enumerate(pages):
        content = b"BT /F1 9 Tf 11 TL 40 800 Td " + b" ".join(
            b"(%s) '" % _escape_pdf(line) for line in page_lines) + b" ET"
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 3 0 R >> >> >>" % (first_page + 2 * k + 1))
        objects.append(_stream(content))
    return _pdf(objects)
