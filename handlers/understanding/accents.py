"""Swedish typed on a phone without å, ä and ö ("lagre an budget", "psykologfragan", "hoja
medlemsbidragen", "nationella radet"): each such word is written as the store's documents (or the
question vocabulary) spell it before the question is read. Names and cue words are matched
accent-insensitively already, but the paragraph search, the guard's check that every word is
accounted for and the kinds' phrase cues read words as written: "lagre" meets no "lägre".

A word is given its accents only where that is not a guess: the documents (or the vocabulary)
spell its letters with å, ä or ö, never without (then "har", "var", "man" stay as typed), and one
spelling holds nine in ten of its uses ("ar" is "år" and "är" alike, so it stays "ar"). A word the
documents do not hold is read as a known word with an ending ("vasentlighetsanalysen" of
"väsentlighetsanalys"), or as a compound of two known parts ("motesdatum", "psykologfragan").
In an English question only words that are no English word are touched ("for", "host" stay).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from storage.swedish.cleaning import fold

WORD = re.compile(r"[^\W\d_]+")
# A word of plain letters as typed (a name with digits or joined by a hyphen is read part by part).
_TYPED = re.compile(r"(?<![\w])[a-zA-Z]{2,}(?![\w])")
# The share of a word's uses its most common spelling must hold to be read as that spelling.
DOMINANT = 0.9
# Endings a known word may carry in the question and not in the documents, longest first.
ENDINGS = tuple(sorted(("a", "an", "ar", "or", "er", "en", "et", "na", "n", "s", "t", "de", "te", "ade", "ning",
                        "ningen", "ningar", "arna", "erna", "orna", "ens", "ets", "ande", "as", "es"),
                       key=len, reverse=True))
# The shortest known stem an ending is put after, and the shortest part of a compound.
STEM_MIN = 3
PART_MIN = 4
# English words a phone-typed Swedish reading would spoil; only their longer kin are re-accented.
ENGLISH_MIN = 5


def _accented(spelling: str) -> bool:
    return spelling != fold(spelling)


def count(texts: Iterable[str], into: dict[str, Counter[str]]) -> None:
    """Count each word's spellings in `texts` by its folded form."""
    for body in texts:
        for word in WORD.findall(body.lower()):
            if word.isascii() and not word.isalpha():
                continue
            key = fold(word)
            if key.isascii() and key.isalpha():
                into.setdefault(key, Counter())[word] += 1


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[dict[str, Counter[str]], frozenset[str], frozenset[str]]:
    """The question vocabulary's accented whole words (the general words, the abbreviations written
    out; the cue tables hold stems, "avsätt" is no spelling of "avsatt"); the words of the
    vocabulary typed without accents, which are read as they are ("vart", "nar", "an"); and the
    English words (read as typed in an English question)."""
    from handlers.answers.passages import SYNONYMS, VERB_FORMS
    from handlers.understanding import english_sv, general_words
    from handlers.understanding.kinds import KINDS
    from handlers.understanding.vocabulary import ABBREVIATIONS

    words: list[str] = [general_words.SWEDISH, *ABBREVIATIONS.values()]
    # The paragraph search's own Swedish words and stems ("höj", "skärm", "lägre"): a typed word is read
    # as one of them, whole or with an ending ("hoja", "skarm"), as the search will then meet it.
    searched = [*SYNONYMS, *(w for ws in SYNONYMS.values() for w in ws), *VERB_FORMS]
    spellings: dict[str, Counter[str]] = {}
    count((w for w in WORD.findall(" ".join([*words, *searched]).lower()) if _accented(w)), spellings)
    cues: list[str] = [*words, *ABBREVIATIONS]
    for kind in KINDS.values():
        for _weight, phrases in kind.cues.values():
            cues.extend(phrases)
    for translations in english_sv.ENGLISH_SV.values():
        cues.extend(translations)
    plain = frozenset(w for w in WORD.findall(" ".join(cues).lower()) if not _accented(w))
    english = frozenset(w.lower() for w in (general_words.ENGLISH.split() + list(english_sv.ENGLISH_SV))
                        if w.isascii())
    return spellings, plain, english


def _spelled(key: str, store: dict[str, Counter[str]]) -> str | None:
    """The one accented spelling of a folded word, or None when it is typed as a word of its own
    or its spellings disagree."""
    vocab, plain, _english = _vocabulary()
    uses = Counter(store.get(key, ())) + Counter(vocab.get(key, ()))
    if not uses or key in plain or uses.get(key):
        return None
    best, n = uses.most_common(1)[0]
    if not _accented(best) or n < DOMINANT * sum(uses.values()):
        return None
    return best


def _with_ending(key: str, store: dict[str, Counter[str]], least: int) -> str | None:
    """A folded word as a known stem with an ending ("vasentlighetsanalysen"), spelled."""
    for ending in ENDINGS:
        if key.endswith(ending) and len(key) - len(ending) >= least:
            stem = _spelled(key[:-len(ending)], store)
            if stem is not None:
                return stem + ending
    return None


def _known_plain(part: str, store: dict[str, Counter[str]]) -> bool:
    vocab, plain, _english = _vocabulary()
    return part in plain or bool(store.get(part, Counter()).get(part)) or bool(vocab.get(part, Counter()).get(part))


def _word(key: str, store: dict[str, Counter[str]]) -> str | None:
    """A folded word as the documents spell it: whole, as a stem with an ending, or as a compound
    of two known parts of which at least one has accents."""
    whole = _spelled(key, store)
    if whole is not None or key in store or key in _vocabulary()[0]:
        return whole  # (a known word spelled without accents, or ambiguously, stays as typed)
    with_ending = _with_ending(key, store, STEM_MIN)
    if with_ending is not None:
        return with_ending
    best: tuple[int, str] | None = None
    for at in range(PART_MIN, len(key) - PART_MIN + 1):
        head, tail = key[:at], key[at:]
        head_spelled = _spelled(head, store)
        if head_spelled is None and head.endswith("s"):  # a joining s ("motesdatum")
            joined = _spelled(head[:-1], store)
            head_spelled = joined + "s" if joined is not None else None
        tail_spelled = _spelled(tail, store) or _with_ending(tail, store, PART_MIN)
        if head_spelled is None and not (_known_plain(head, store)
                                         or (head.endswith("s") and _known_plain(head[:-1], store))):
            continue
        if tail_spelled is None and not _known_plain(tail, store):
            continue
        if head_spelled is None and tail_spelled is None:
            continue
        score = max(len(head), len(tail))
        if best is None or score > best[0]:
            best = (score, (head_spelled or head) + (tail_spelled or tail))
    return best[1] if best else None



def accented(text: str, store: dict[str, Counter[str]], *, english: bool = False) -> str:
    """`text` with each word typed without accents written as the documents spell it (`store`: the
    documents' spellings by folded word, handlers/understanding/lexicon.py)."""
    _vocab, _plain, english_words = _vocabulary()

    def fix(m: re.Match[str]) -> str:
        typed = m.group(0)
        low = typed.lower()
        if english and (len(low) < ENGLISH_MIN or low in english_words):
            return typed
        right = _word(low, store)
        if right is None or fold(right) != low:
            return typed
        if typed.isupper() and len(typed) > 1:
            return right.upper()
        return right[:1].upper() + right[1:] if typed[:1].isupper() else right

    return _TYPED.sub(fix, text)
