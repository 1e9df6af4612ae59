"""Typing slips in a question's long words: two letters swapped, one dropped, doubled or wrong
("styrelesmöte", "tertialuppöfljningen", "Härnsöand"). Every other step reads words by their
spelling (cue tables, names, the documents' text), so a slip in one long word loses the whole
question. A word of seven letters or more that neither the store's documents nor the question
vocabulary know is replaced by the one known word a single slip away; when none or several
are, it is left as typed (a name the store does not hold stays unknown, and is said so).
"""

from __future__ import annotations

import re
from functools import lru_cache

from storage.swedish.cleaning import fold

MIN_LENGTH = 7
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"  # keys are folded: å, ä, ö are a, a, o
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Words of documents and of asking are kept in this form for looking up (folded, no hyphens).
_KEY = re.compile(r"[^a-z]")


def key(word: str) -> str:
    return _KEY.sub("", fold(word))


# A letter dropped, added or changed is a slip only in a long word and before its ending: at the
# end it is another form of the word ("anmäldes", "överstiga", "veckans" are no slips of
# "anmälades", "överstig", "veckan").
LONG = 9
ENDING = 4


def _slips(word: str) -> set[str]:
    """Every spelling one slip away: a swap of neighbours, and in a long word a letter dropped,
    added or changed before its ending."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    swaps = _swaps(word)
    if len(word) < LONG:
        return swaps - {word}
    inner = [(a, b) for a, b in splits if len(b) > ENDING]
    drops = {a + b[1:] for a, b in inner}
    adds = {a + c + b for a, b in inner for c in _ALPHABET}
    changes = {a + c + b[1:] for a, b in inner for c in _ALPHABET}
    return (swaps | drops | adds | changes) - {word}


@lru_cache(maxsize=1)
def _asking_words() -> frozenset[str]:
    from handlers.understanding import english_sv
    from handlers.understanding.general_words import ENGLISH, SWEDISH
    from handlers.understanding.kinds import all_cue_words

    words = {key(w) for w in all_cue_words()} | {key(w) for w in (SWEDISH + ENGLISH).split()}
    words |= {key(w) for w in english_sv.ENGLISH_SV}
    return frozenset(w for w in words if len(w) >= MIN_LENGTH - 1)


# Endings a known word may carry in the question and not in the documents ("planeringsdag" is
# written, "planerignsdagen" typed).
ENDINGS = ("en", "et", "na", "er", "ar", "or", "s", "n", "t", "ens", "ets", "ernas", "arna", "erna", "orna")


def _inflected(candidate: str, known: dict[str, str]) -> bool:
    return any(candidate.endswith(e) and len(candidate) - len(e) >= MIN_LENGTH
               and candidate[:-len(e)] in known for e in ENDINGS)


def _swaps(word: str) -> set[str]:
    return {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(len(word) - 1)} - {word}


def corrected(text: str, known: dict[str, str]) -> str:
    """`text` with each long word that is one slip from exactly one known word spelled as that
    word is (`known`: the store's words by key, handlers/understanding/lexicon.py)."""
    asking = _asking_words()

    def fix(match: re.Match[str]) -> str:
        typed = match.group(0)
        word = key(typed)
        if len(word) < MIN_LENGTH or word in known or word in asking or "-" in typed:
            return typed
        found = {c for c in _slips(word) if c in known or c in asking}
        if not found:
            # Two letters swapped in an inflected form of a known word ("planerignsdagen").
            found = {c for c in _swaps(word) if _inflected(c, known)}
        if len(found) != 1:
            return typed
        (right,) = found
        spelled = known.get(right, right) if right in known else right
        return spelled[:1].upper() + spelled[1:] if typed[:1].isupper() else spelled

    return _WORD.sub(fix, text)
