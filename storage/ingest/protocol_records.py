"""What a protocol records about an earlier one: "Protokollet från sammanträdet 2025-02-14
justerades 2025-02-20 och anslogs 2025-02-21 på huvudmännens anslagstavlor."

A sentence that names an earlier protocol by its date and then a justering or anslag with a
date of its own yields one record per field. The cue words live in the table below; the
loader applies the records to the earlier protocol (storage/protocol_records.py).
"""

from __future__ import annotations

import datetime as dt
import re

from storage.ingest.parsed import ParsedParagraph, ParsedProtocolRecord
from storage.swedish.dates import find_dates

# Field -> the words that say it happened; the date after the words is its value.
FIELD_CUES: dict[str, str] = {
    "justering_date": r"justerades|justerats|är\s+justerat|blev\s+justerat|justerat\s+den",
    "anslag_posted": r"anslogs|anslagits|anslaget\s+(?:sattes\s+upp|uppsattes|sattes)|sattes\s+upp|"
                     r"tillkännagavs|tillkännagivits|publicerades|har\s+publicerats",
    "anslag_removed": r"(?:anslaget\s+)?(?:togs\s+(?:ned|ner)|nedtogs|har\s+tagits\s+(?:ned|ner))",
}
_CUE_RE = re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in FIELD_CUES.items()), re.I)
# The sentence is about a protocol ("protokollet från …", "föregående protokoll …").
_PROTOCOL_RE = re.compile(r"protokoll", re.I)
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])|\n+")


def find_records(paragraphs: list[ParsedParagraph], meeting_date: dt.date | None) -> list[ParsedProtocolRecord]:
    """Records about protocols of earlier meetings, in the order written."""
    if meeting_date is None:
        return []
    out: list[ParsedProtocolRecord] = []
    seen: set[tuple[dt.date, str]] = set()
    for p in paragraphs:
        text = "\n".join(x for x in (p.body, p.decision) if x)
        if not _PROTOCOL_RE.search(text) or not _CUE_RE.search(text):
            continue
        for sentence in _SENTENCE_RE.split(text):
            for record in _sentence_records(sentence, meeting_date, p.number):
                if (record.meeting_date, record.field) not in seen:
                    seen.add((record.meeting_date, record.field))
                    out.append(record)
    return out


def _sentence_records(sentence: str, meeting_date: dt.date, number: int) -> list[ParsedProtocolRecord]:
    protocol_word = _PROTOCOL_RE.search(sentence)
    cues = list(_CUE_RE.finditer(sentence))
    if protocol_word is None or not cues:
        return []
    dates = find_dates(sentence, meeting_date.year)
    # The protocol the sentence is about: the first date after "protokoll" and before any cue.
    subject = next((d for at, d in dates if protocol_word.start() < at < cues[0].start()), None)
    if subject is None or subject >= meeting_date:
        return []
    out: list[ParsedProtocolRecord] = []
    for k, cue in enumerate(cues):
        field = cue.lastgroup
        end = cues[k + 1].start() if k + 1 < len(cues) else len(sentence)
        value = next((d for at, d in dates if cue.end() <= at < end), None)
        if field is None or value is None or not subject <= value <= meeting_date:
            continue
        out.append(ParsedProtocolRecord(meeting_date=subject, field=field, value=value, paragraph_number=number))
    return out
