"""Negation in a question: "vilka var inte beslutande", "who did not attend", "varför beviljades
den inte". A reading that leaves the negation out answers the opposite question, so the guard
(handlers/answers/guard.py) asks the answering kind to read it, and a second part of a question
borrows the first part's subject without its negation (handlers/understanding/parts.py).

Language knowledge as data: the words, and the places where such a word negates nothing asked.
"""

from __future__ import annotations

import re

from storage.swedish.cleaning import fold

# Folded words; the English "n't" forms as tokens leave them ("didn't" is "didn", "t").
NEGATIONS = frozenset({"inte", "ej", "icke", "aldrig", "not", "never", "cannot", "didn", "wasn", "weren", "isn",
                       "aren", "hasn", "haven", "hadn", "doesn", "don", "couldn", "wouldn", "shouldn"})
# "won't" is "won", "t"; "won" alone is a verb.
_WONT = re.compile(r"\bwon['’]t\b")
# Where such a word negates nothing the question asks: an alternative ("… eller inte?", "whether
# or not"), a contrast set after what is asked (", inte prognosen", "- not the forecast"), "not
# only", "inte minst".
NOT_NEGATING = re.compile(r"\b(?:eller|elr|el|or|om|whether)\s+(?:inte|ej|not)\b|[,;:(–-]\s*(?:inte|ej|not)\b|"
                          r"\b(?:inte|not)\s+(?:bara|endast|minst|just|only|least)\b")

_WORD = re.compile(r"[^\W\d_]+")


def negations(text: str) -> list[str]:
    """The words of `text` that negate what it asks, folded, in order."""
    folded = fold(text)
    words = [w for w in _WORD.findall(NOT_NEGATING.sub(" ", folded)) if w in NEGATIONS]
    return words + ["won't"] * len(_WONT.findall(NOT_NEGATING.sub(" ", folded)))


def is_negation(word: str) -> bool:
    return fold(word) in NEGATIONS
