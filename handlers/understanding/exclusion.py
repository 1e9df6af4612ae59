"""What a question leaves out of a set it adds up, counts or picks from: "summa beviljat exkl
Arbetsmarknadstorget", "störst om man bortser från Enter", "kommunerna utom Umeå", "all grants
except Helhetslyftet". The words after the cue name what is left out; `without` removes the
members of a set those words name, and says when they name none of them, so that the question
is not answered as if nothing had been left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache
from typing import TypeVar

# Cue phrases, Swedish and English, as typed (folded when matched); the longest first.
CUES = ("om man bortser från", "om vi bortser från", "bortsett från", "bortser från", "frånsett", "undantaget",
        "förutom", "utom", "exklusive", "exkluderat", "exkl", "utan att räkna", "except for", "except", "excluding",
        "excl", "apart from", "aside from", "other than", "not counting", "leaving out", "leave out", "utöver")

# The words of those cues that say nothing else, for the kinds' cue tables (a cue's words explain
# a question's words to the guard: "aside", "other", "leave" must stay unexplained elsewhere).
# ("utom=": the whole word, not "utomstående".)
CUE_WORDS = ("bortser", "bortsett", "frånsett", "undantaget", "förutom=", "utom=", "exklusive", "exkluderat", "exkl=",
             "except=", "excluding", "excl=", "utöver=")


@cache
def _pattern() -> re.Pattern[str]:
    from handlers.answers.text import fold

    return re.compile(r"\b(?:" + "|".join(re.escape(fold(c)) for c in sorted(CUES, key=len, reverse=True))
                      + r")\.?\s+(?P<rest>[^?.!,;]+)", re.IGNORECASE)


# A figure after "utöver" is what a sum goes beyond ("utöver budget"), not what is left out.
_BEYOND = frozenset({"budget", "budgeten", "budgeterat", "det", "prognos", "prognosen", "planen", "ramen", "beviljat",
                     "beviljade"})
# Words after the cue that name no member ("utom de två största"): no exclusion by name.
_AFTER = frozenset({"den", "det", "de", "the", "a", "an", "insatsen", "posten", "raden", "the grant", "line"})

T = TypeVar("T")

# How far below the best named item another is still named by the same words.
NEAR = 0.15


def excluded_words(text: str) -> list[str] | None:
    """The words naming what the question leaves out, or None when it leaves nothing out."""
    from handlers.answers.text import fold, tokens

    m = _pattern().search(fold(text.lower()))
    if m is None:
        return None
    rest = tokens(m.group("rest"))
    if rest and fold(rest[0]) in _BEYOND:
        return None
    words = [w for w in rest if fold(w) not in _AFTER]
    return words or None


def without(text: str, items: Sequence[T], name: Callable[[T], str], threshold: float = 0.6
            ) -> tuple[list[T], list[T]] | None:
    """The items kept and those left out by the question's exclusion, or None when it names no
    exclusion. Left out: each item whose name the excluded words name. An exclusion that names
    none of the items leaves the second list empty: the caller must not answer as if it held.
    (The left-out names are to be written in the answer: a word of the exclusion that named
    nothing is then a word the answer does not explain, and the guard withdraws it.)"""
    from handlers.answers.text import name_score

    words = excluded_words(text)
    if words is None:
        return None
    scores = [name_score(name(i), words) for i in items]
    top = max(scores, default=0.0)
    # The best named and those nearly as well named: "Jönköpings kommun" leaves out that member,
    # not Region Jönköpings län beside it.
    out = [i for i, score in zip(items, scores, strict=True) if score >= max(threshold, top - NEAR)]
    kept = [i for i in items if i not in out]
    return kept, out


def names_in(text: str, name: str) -> bool:
    """Whether `text` writes the whole name (its words in order, folded): "Umeå kommun" is not met
    by "Vännäs kommun", nor "Bjurholm" by "Bjurholms kommun"."""
    from handlers.answers.text import fold, tokens

    said = " " + " ".join(fold(w) for w in tokens(text)) + " "
    return " " + " ".join(fold(w) for w in tokens(name)) + " " in said
