"""Words that name where a figure is written rather than what it is: "enligt balansrapporten",
"i T2-rapporten", "enl verksamhetsplanen", "according to the balance sheet". Such a word is
accounted for by an answer whose cited document (or the part of it cited) has a section so
headed; it asks for no fact of its own. ("the årsredovisning" is another document, which a
report that mentions it is not.) Data only; read by handlers/answers/reading.py."""

from __future__ import annotations

import re

from storage.swedish.cleaning import fold

# How a word naming a document or a section of one ends, as the documents and questions write
# it: a compound ending in one of these ("balansrapporten", "resultatrapport", "T2-rapporten").
DOCUMENT_NOUNS: tuple[str, ...] = (
    "rapport", "rapporten", "rapportens", "uppfoljning", "uppfoljningen", "uppfoljningens", "redovisning",
    "redovisningen", "verksamhetsplan", "verksamhetsplanen", "protokoll", "protokollet", "kallelse", "kallelsen",
    "sammanstallning", "sammanstallningen", "plan", "planen",
)


# The words before a document named as where a figure is written ("enligt balansrapporten",
# "i resultatrapporten", "according to the balansrapport"); "uppföljningen av internkontrollplanen"
# names a plan as the topic, not as the source.
SOURCE_PREPOSITIONS: tuple[str, ...] = ("enligt", "enl", "i", "från", "fran", "ur", "according to", "in", "from", "per")


def named_as_source(question: str, word: str) -> bool:
    """Whether the question puts `word` as where something is written: after one of
    SOURCE_PREPOSITIONS, with at most a time word between ("i T2-rapporten")."""
    words = [w.lower() for w in re.findall(r"[\w-]+", question)]
    folded = fold(word.lower())
    for i, w in enumerate(words):
        if fold(w) != folded:
            continue
        before = " ".join(words[max(0, i - 3):i])
        if any(re.search(rf"\b{re.escape(p)}(?:\s+(?:den|det|the|senaste|latest|\d{{4}}))?$", before)
               for p in SOURCE_PREPOSITIONS):
            return True
    return False


def heads(text: str, stem: str) -> bool:
    """Whether `stem` heads a section of `text`: a short line that begins with it."""
    for line in text.splitlines():
        words = line.split()
        if words and len(words) <= 6 and fold(words[0].lower()).startswith(stem):
            return True
    return False


def document_word(word: str) -> str | None:
    """The word's stem as a document writes it ("balansrapporten" → "balansrapport"), if the word
    names a document or a section of one; else None. The bare nouns ("rapporten") name no section
    and need no check: they are general words."""
    folded = fold(word.lower())
    for noun in sorted(DOCUMENT_NOUNS, key=len, reverse=True):
        if folded.endswith(noun) and len(folded) > len(noun) + 2:
            base = folded[: len(folded) - len(noun)] + noun.removesuffix("ens").removesuffix("en").removesuffix("et")
            return base.rstrip("-")
    return None
