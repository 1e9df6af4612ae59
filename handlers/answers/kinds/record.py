"""Facts of a protocol as a record: where it is kept, which paragraphs it covers."""

from __future__ import annotations

import re

from handlers.answers import protocols
from handlers.answers.core import Question
from handlers.answers.text import count_text
from handlers.messages import Reply
from handlers.understanding.kinds import REASON_CUES, Kind, register

CUES = {
    "storage": (1.0, ("förvar", "förvaringsplats", "kept", "stored", "arkiver", "archived", "filed")),
    "paragraphs": (0.9, ("vilka paragrafer", "paragrafer", "which paragraphs", "omfattar", "how many paragraphs",
                         "paragraph range")),
    # "Hur många paragrafer …": the range counted (a light cue: "paragrafer" chose the kind).
    "count": (0.3, ("hur många", "hur manga", "how many", "antal", "number of")),
}


def _count(paragraph_range: str) -> int | None:
    """How many paragraphs a range covers ("§§ 7-14" is 8), if it is one unbroken range."""
    numbers = [int(n) for n in re.findall(r"\d+", paragraph_range)]
    if len(numbers) != 2 or numbers[1] < numbers[0]:
        return None
    return numbers[1] - numbers[0] + 1


def answer(q: Question) -> Reply | None:
    found = protocols._one_protocol(q)
    if isinstance(found, Reply):
        return found
    protocol, source = found
    label = protocols._label(q, protocol)
    if "storage" in q.reading_facets:
        if not protocol.storage_place:
            return Reply(q.t(f"Det framgår inte var {label} förvaras.", f"It is not recorded where {label} are kept."),
                         answered=False, sources=[source], language=q.language)
        return Reply(q.t(f"{label.capitalize()} förvaras: {protocol.storage_place}.",
                         f"{label.capitalize()} are kept at: {protocol.storage_place}."),
                     sources=[source], language=q.language)
    if not protocol.paragraph_range:
        return Reply(q.t(f"Det framgår inte vilka paragrafer {label} omfattar.",
                         f"It is not recorded which paragraphs {label} cover."),
                     answered=False, sources=[source], language=q.language)
    counted = _count(protocol.paragraph_range) if "count" in q.reading_facets else None
    if counted is not None:
        span = protocol.paragraph_range if "§" in protocol.paragraph_range else f"§§ {protocol.paragraph_range}"
        return Reply(q.t(f"{label.capitalize()} omfattar {count_text(counted)} paragrafer ({span}).",
                         f"{label.capitalize()} cover {count_text(counted, 'en')} paragraphs ({span})."),
                     sources=[source], language=q.language)
    return Reply(q.t(f"{label.capitalize()} omfattar {protocol.paragraph_range}.",
                     f"{label.capitalize()} cover {protocol.paragraph_range}."), sources=[source], language=q.language)


KIND = register(Kind(name="record", label_sv="protokollets uppgifter", label_en="the minutes as a record",
                     cues=CUES, answer=answer, order=10, vetoes=REASON_CUES))
