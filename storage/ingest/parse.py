"""Text of a board document -> ParsedDocument.

Each part of a document is read by its own module: `protocol` (header, attendance,
justering, anslag, paragraphs), `grants` (insatser in paragraphs), `meeting_plans`
(sammanträdesplaner, "nästa möte", kallelse), `tables` (budget, prognos, utfall, plan).
"""

from __future__ import annotations

from storage.ingest.parsed import ParsedDocument


def parse_document(text: str, file_name: str = "") -> ParsedDocument:
    """Reads every part the text holds; never raises on odd text, records warnings instead."""
    raise NotImplementedError("the parser lands with the ingest issue")
