"""English verb and noun forms brought to one base form, so that a cue phrase written in one form
holds for the others: "who signed" for "who signs", "get from" for "getting from", "have a vote"
for "had a vote". Swedish cue words match inflected forms by their start; English forms change in
the middle ("got", "paid") or add to a base that is itself a prefix of other words, so English
phrases are compared base by base instead.

Language knowledge as data: the irregular forms, and the English words whose regular forms
(-s, -es, -ed, -ing, -ies, -ied, a doubled last consonant) are brought back to them."""

from __future__ import annotations

from functools import lru_cache

from handlers.understanding.english_sv import ENGLISH_SV

# Forms that no suffix rule brings back. "is"/"was" are left apart: the tense of "be" tells a budget
# ("what is") from an outcome ("what was"); so are the participles of these verbs ("given", "taken",
# "done"): the passive "who was given the task" is not "who gave the presentation"; and so are the forms
# of "do", which as a helper verb carry only the tense ("what did … conclude" is not "what does … mean").
IRREGULAR = {
    "got": "get", "gets": "get", "getting": "get", "had": "have",
    "has": "have", "having": "have", "paid": "pay", "gave": "give", "came": "come", "went": "go", "goes": "go",
    "took": "take", "held": "hold", "chose": "choose", "spent": "spend", "sent": "send", "made": "make",
    "said": "say", "says": "say", "began": "begin", "ran": "run", "sat": "sit", "brought": "bring",
    "thought": "think", "found": "find", "saw": "see", "knew": "know", "told": "tell", "wrote": "write",
    "stood": "stand", "kept": "keep", "met": "meet", "left": "leave", "leaves": "leave", "leaving": "leave",
    "grew": "grow", "grown": "grow", "rose": "rise", "risen": "rise", "bought": "buy", "sold": "sell",
    "drew": "draw", "drawn": "draw", "won": "win", "lost": "lose", "begun": "begin", "chosen": "choose",
    "spoke": "speak", "spoken": "speak", "sought": "seek", "dealt": "deal", "led": "lead",
}
# Bases of the regular forms: the English vocabulary's words, and verbs the kinds' phrases use.
BASES = frozenset({*(w for w in ENGLISH_SV if w.isascii() and w.isalpha()), *IRREGULAR.values(),
                   "sign", "vote", "attend", "approve", "decide", "chair", "represent", "appoint", "check",
                   "verify", "serve", "sit", "stand", "step", "show", "turn", "end", "land", "come", "set",
                   "look", "put", "plan", "submit", "admit", "cover", "fund", "grant", "allow", "permit",
                   "leave", "join", "hand", "wind", "pull", "drop", "back", "head", "lead", "run"})


def _regular(word: str) -> str | None:
    candidates: list[str] = []
    if word.endswith(("ies", "ied")):
        candidates.append(word[:-3] + "y")
    if word.endswith("ing"):
        stem = word[:-3]
        candidates += [stem, stem + "e"]
        if len(stem) >= 3 and stem[-1] == stem[-2]:
            candidates.append(stem[:-1])
    if word.endswith("ed"):
        stem = word[:-2]
        candidates += [stem, word[:-1]]
        if len(stem) >= 3 and stem[-1] == stem[-2]:
            candidates.append(stem[:-1])
    if word.endswith("es"):
        candidates.append(word[:-2])
    if word.endswith("s") and not word.endswith("ss"):
        candidates.append(word[:-1])
    return next((c for c in candidates if c in BASES), None)


@lru_cache(maxsize=8192)
def base(word: str) -> str:
    """The base form of an English word ("signs", "signed", "signing" -> "sign"); other words as they are."""
    if word in IRREGULAR:
        return IRREGULAR[word]
    if len(word) < 4 or not word.isascii():
        return word
    return _regular(word) or word


@lru_cache(maxsize=8192)
def phrase_base(phrase: str) -> str:
    """A phrase with each word in its base form."""
    return " ".join(base(w) for w in phrase.split())


def same_phrase(asked: list[str], cue: list[str]) -> bool:
    """Whether the question's words hold the cue's words in some form, word by word. A word the
    question writes in its base form matches only itself: the base form is also the noun ("the
    follow-up of the plan" is not "followed up", "the vote" not "voted")."""
    n = len(cue)
    for i in range(len(asked) - n + 1):
        if all(a == c or (base(a) != a and base(a) == base(c)) for a, c in zip(asked[i:i + n], cue, strict=True)):
            return True
    return False
