"""A preamble before a question that says nothing the understanding reads ("Sorry if this is a basic
one - …", "I keep hearing different things, so: …", "Ärligt talat, …"): how the asker feels about
asking, not what is asked. Read as part of the question it leaves words no table explains, and the
guard rightly withdraws any answer. The courtesy table (handlers/understanding/courtesy.py) lists the
usual greetings; a stranger's preamble takes words no list foresees, so it is told by what it lacks:
a segment before the question is a preamble when no word of it names anything the store holds, is a
cue of some kind of question, a word the English vocabulary reads, a number or a question word, and
some word of it is none of these nor a function or general word ("sorry", "honestly", "ärligt").

Only a leading segment (up to ", ", ": ", " - ") before a part that asks is taken off, and only when
something that asks remains."""

from __future__ import annotations

import re
from collections.abc import Callable

from handlers.answers.text import fold
from handlers.understanding import english_sv
from handlers.understanding.general_words import is_general
from storage.search import STOPWORDS

# Where a leading segment ends.
_END = re.compile(r"(?:\s*[,:;]\s+|\s+[-–—]\s+)")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\S*\d\S*")
QUESTION_WORDS = frozenset(fold(w) for w in """
vad vem vems vilka vilken vilket varför hur när var vart what who whom whose which why how when where
""".split())
# A question asked inside another ("Can you tell me who chaired …?", "Do you know when …?", "Vet du
# vem …?"): the inner question is what is asked.
EMBEDDING = re.compile(
    r"^\s*(?:(?:can|could|would|will)\s+you\s+(?:please\s+)?(?:tell|show|let)\s+me(?:\s+know)?|"
    r"(?:do|does)\s+(?:you|anyone|anybody)\s+(?:happen\s+to\s+)?know|i(?:['’]d|\s+would)\s+like\s+to\s+know|"
    r"(?:kan|kunde)\s+(?:du|ni)\s+(?:berätta|säga)(?:\s+för\s+mig)?|vet\s+(?:du|ni|någon|nån))\s+"
    r"(?=(?:what|who|whom|whose|which|why|how|when|where|whether|if|vad|vem|vilka|vilken|vilket|varför|hur|när|var|om)\b)",
    re.IGNORECASE)
# A preamble is short: a longer leading segment is more likely a part of the question.
MAX_WORDS = 10


def without_preamble(text: str, read: Callable[[str], bool]) -> str:
    """The question without a leading segment none of whose words `read` (or the English
    vocabulary) reads, and without a frame it is asked in ("can you tell me …"); the text itself
    when nothing that asks would remain."""
    inner = EMBEDDING.sub("", text, count=1)
    if inner != text:
        return inner[:1].upper() + inner[1:]
    m = _END.search(text)
    if m is None:
        return text
    head, rest = text[:m.start()], text[m.end():]
    words = _WORD.findall(head)
    if not words or len(words) > MAX_WORDS or not _asks(rest):
        return text
    unread = False
    for w in words:
        folded = fold(w.lower())
        if any(ch.isdigit() for ch in w) or folded in QUESTION_WORDS:
            return text
        if folded in STOPWORDS or is_general(folded):
            continue  # ("in the end" holds nothing unread: it stays, as what it says may count)
        if read(w) or english_sv.counterparts(folded):
            return text
        unread = True
    if not unread:
        return text
    return rest[:1].upper() + rest[1:] if head[:1].isupper() else rest


def _asks(text: str) -> bool:
    words = {fold(w.lower()) for w in _WORD.findall(text)}
    return bool(words & QUESTION_WORDS) or text.rstrip().endswith("?")
