"""Questions of two parts: "vem justerade protokollet och när sattes anslaget upp?", "What was
granted to Helhetslyftet, and for which period?". Each part is a question of its own; the second
often leaves out what the first named ("… and until when?"), so it is read as a follow-up of the
first (handlers/understanding/followup.py). A reply answers such a question only when it answers
both parts: half an answer given as the answer is an answer about something else.

The words that join two questions and those that open the second are data, Swedish and English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# What joins the two questions: a conjunction, a comma, or both ("…, and when …").
JOINS = ("och", "o", "samt", "and", "&", "plus")
# What opens the second question: a question word or phrase (folded to lower case, accents kept).
OPENERS = (
    "vem", "vilka", "vilken", "vilket", "när", "nar", "hur", "vad", "va", "varför", "varfor", "till när",
    "till nar", "för vilken period", "for vilken period", "under vilken period", "hur länge", "hur lange",
    "sedan när", "who", "whom", "whose", "when", "how", "what", "which", "where", "why", "until when",
    "for which period", "for what period", "for how long", "since when",
)
# Openers that also stand inside one question ("hur mycket och hur länge" stays one question when
# nothing but the opener follows): the second part must have a word beyond its opener.
_MIN_WORDS = 2

_JOIN = r"(?:\s*,\s*(?:(?:" + "|".join(map(re.escape, JOINS)) + r")\s+)?|\s+(?:" + "|".join(
    map(re.escape, JOINS)) + r")\s+)"
_OPEN = r"(?:" + "|".join(re.escape(o) for o in sorted(OPENERS, key=len, reverse=True)) + r")\b"
_SPLIT = re.compile(_JOIN + r"(?=" + _OPEN + r")", re.IGNORECASE)


@dataclass(frozen=True)
class Parts:
    first: str
    second: str


def two_parts(text: str) -> Parts | None:
    """The question's two parts, when a conjunction or comma joins a second question to a first."""
    for m in _SPLIT.finditer(text):
        first, second = text[:m.start()].strip(" ,"), text[m.end():].strip()
        if len(first.split()) < 2 or len(re.findall(r"\w+", second)) < _MIN_WORDS:
            continue
        if not re.search(r"\b" + _OPEN, first.lower()):
            continue  # the first part must be a question of its own too, with its question word
        return Parts(first=first.rstrip("?") + "?", second=second)
    return None
