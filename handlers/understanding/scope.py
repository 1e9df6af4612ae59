"""Which förbund a question is about, and saying so when it names one the store does not hold.

A förbund named in a question ("Samordningsförbundet i Västernorrlands län", "Finnegans
förbund") or given as the conversation's link (`--org Finnegan`) that is not in the store is
never widened to every förbund: the reply says it is unknown and lists those that exist.
"""

from __future__ import annotations

import re
from functools import lru_cache

from sqlmodel import Session, col, select

from handlers.answers.text import fold
from handlers.context import Context
from handlers.messages import Action, Reply
from handlers.understanding.lexicon import ORG_NOISE, Lexicon
from storage.models import Organisation
from storage.organisations import organisations_matching

# Words that say "a förbund" in a question, Swedish and English (folded).
FORBUND_WORDS = ("samordningsforbund", "forbund", "finsam", "association", "federation")
# Words between the förbund word and its name ("förbundet i X", "association of X").
LINKS = frozenset({"i", "in", "of", "for", "för", "the", "de", "det"})
# Words that follow "samordningsförbundet" without naming it.
_NOT_NAMES = frozenset(fold(w) for w in (
    "har beslutat beslutade ska skulle kommer inom under enligt styrelse styrelsen budget protokoll protokollet "
    "verksamhet verksamheten has have will decided board during according").split())
_WORD = re.compile(r"[\wÅÄÖåäöÉé\-–]+")


def known_names(session: Session) -> list[str]:
    return [o.name for o in session.exec(select(Organisation).order_by(col(Organisation.name))).all()]


def unknown_link(ctx: Context, hint: str) -> Reply:
    """The conversation is linked (`--org`, eval `org`) to a name no förbund in the store has, or
    to a part of several förbunds' names (then it asks which, with buttons)."""
    several = organisations_matching(ctx.session, hint)
    if len(several) > 1:
        text = ctx.t(f"”{hint}” passar flera förbund. Vilket menar du? ", f"“{hint}” fits several förbund. Which one? ")
        return Reply(text + "; ".join(o.name for o in several), answered=False, language=ctx.language,
                     actions=[Action(label=o.name[:70], action_id="ask.organisation", value=f"{o.id}|{ctx.message.text}")
                              for o in several[:5]])
    names = known_names(ctx.session)
    text = ctx.t(f"Jag känner inte till något förbund som heter ”{hint}”. Förbunden i handlingarna: ",
                 f"I know of no förbund called “{hint}”. The förbund in the documents: ")
    return Reply(text + "; ".join(names) + ".", answered=False, language=ctx.language)


# Endings of "förbund" as a word of its own ("förbundet", "samordningsförbundets"); a compound that
# goes on ("förbundschef", "förbundsordning") names something of the förbund, not the förbund.
_FORBUND_ENDINGS = ("", "s", "et", "ets", "en", "ens", "en", "s")


def _names_a_forbund(word: str) -> bool:
    f = fold(word)
    if f.endswith("forbund"):
        return True
    return any(f.startswith(base) and f[len(base):] in _FORBUND_ENDINGS for base in ("samordningsforbund", "forbund"))


def _names_beside(text: str) -> list[str]:
    """Capitalised words next to a förbund word: the name the question gives the förbund."""
    words = _WORD.findall(text)
    found: list[str] = []
    for i, word in enumerate(words):
        if not _names_a_forbund(word) and fold(word) not in ("finsam", "association"):
            continue
        j = i + 1
        while j < len(words) and words[j].lower() in LINKS:
            j += 1
        # "samordningsförbundet X" names the förbund even typed in lower case; "förbundets X" does not.
        full_name = fold(word).startswith("samordningsforbund")
        start = j
        while j < len(words) and words[j][:1].isupper():
            found.append(words[j])
            j += 1
        before = words[i - 1] if i > 0 else ""
        # A name in the genitive before it, typed in lower case: "finnvedens samordningsförbund".
        genitive_before = full_name and before.islower() and _lower_genitive(before)
        if j == start and full_name and not genitive_before and j < len(words) and words[j].isalpha() \
                and len(words[j]) >= 4 and fold(words[j]) not in _NOT_NAMES:
            found.append(words[j])  # one word typed in lower case: "samordningsforbundet ostersund"
        if i > 0 and ((before[:1].isupper() and i - 1 > 0) or genitive_before):
            found.append(before)
    return [w for w in found if fold(w) not in ORG_NOISE and not any(fold(w).startswith(f) for f in FORBUND_WORDS)]


# Genitives that say whose, not which: "vårt samordningsförbunds", "deras förbund".
_NOT_GENITIVE_NAMES = frozenset(fold(w) for w in "hans hennes dess deras vars ens andras varandras alls samtliga "
                                "sveriges varje varannans".split())


def _lower_genitive(word: str) -> bool:
    """A word in the genitive that may be a förbund's name ("finnvedens", "gavleborgs")."""
    return len(word) >= 5 and word.isalpha() and word.endswith("s") and fold(word) not in _NOT_GENITIVE_NAMES


def _begins_a_name(lex: Lexicon, names: list[str]) -> bool:
    """Whether a name in the genitive begins a word of a förbund's name ("umeås samordningsförbund"
    of Samordningsförbundet Umeåregionen)."""
    stems = [fold(n)[:-1] for n in names if fold(n).endswith("s") and len(n) >= 5]
    own = {fold(w) for e in lex.organisations for w in _own_words(e.name)}
    return any(o.startswith(stem) for stem in stems for o in own)


def unknown_named(ctx: Context, text: str, lex: Lexicon) -> Reply | None:
    """A reply when the question names a förbund by a name the store does not hold."""
    if ctx.organisation is not None:
        return None
    names = _names_beside(text)
    if not names:
        return None
    if lex.organisations_named([n.lower() for n in names]) or _begins_a_name(lex, names):
        return None
    asked = " ".join(names)
    every = known_names(ctx.session)
    text_out = ctx.t(f"Jag hittar inget förbund som heter ”{asked}” i handlingarna. Förbunden som finns: ",
                     f"I find no förbund called “{asked}” in the documents. The förbund there are: ")
    return Reply(text_out + "; ".join(every) + ".", answered=False, language=ctx.language)


# Letters typed for one another on a phone ("Harnosand" for "Härnösand").
_LETTER_FORMS = {"a": "[aåäAÅÄ]", "å": "[aåAÅ]", "ä": "[aäAÄ]", "o": "[oöOÖ]", "ö": "[oöOÖ]", "e": "[eéEÉ]", "é": "[eéEÉ]"}
_FULL_WORD = r"(?:the\s+)?(?:samordningsförbundet|samordningsforbundet|förbundet|forbundet)\s+(?:i\s+)?"
# What a förbund named in full is written as once it is the question's scope: the question keeps
# its grammar ("Hur många kommuner är med i förbundet?", "förbundets möte 22 mars").
_IN_ITS_PLACE = {("sv", False): "förbundet", ("sv", True): "förbundets", ("en", False): "the förbund",
                 ("en", True): "the förbund's"}


def _own_words(name: str) -> list[str]:
    return [w for w in _WORD.findall(name) if fold(w) not in ORG_NOISE and w not in "-–—"]


def _letters(word: str) -> list[str]:
    """A pattern for each letter of `word`, accents typed or not."""
    return [_LETTER_FORMS.get(ch.lower(), re.escape(ch)) for ch in word]


def _shortened(word: str) -> str:
    """A pattern of `word` shortened by leaving letters out: its first letter, then any of the
    rest in order ("hnd" of "Härnösand")."""
    letters = _letters(word)
    return letters[0] + "".join(f"{c}?" for c in letters[1:])


@lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern[str]:
    """A förbund's name as a question writes it: its own words in order (dashes and spaces
    between them as typed, a genitive s, accents or not), "Samordningsförbundet" before it; a name
    of one word only after "Samordningsförbundet" ("… i Jämtlands län"), as a one-word name alone
    may be a member's ("Jämtland") or is read as the förbund already ("Umeåregionen")."""
    own = _own_words(name)
    words = ["".join(_letters(w)) for w in own]
    # Between its words: what the name itself has, dashes and spaces as typed, and "och" only where
    # the name says it ("Gävle och Ockelbo"); "Härnösand och Timrå" are the two kommuner, not the förbund.
    joined = r"(?:[\s\-–—]*|\s+(?:och|&)\s+)" if re.search(r"\s(?:och|&)\s", name) else r"[\s\-–—]*"
    written = joined.join(words)
    if len(own) == 2:
        # One of two words shortened on a phone and joined by a dash to the other ("hnd-timra"):
        # its first letter and some of its letters in order, three or more.
        first, second = (_shortened(w) for w in own)
        written = rf"(?:{written}|(?=[^\W\d_]{{3,}}[-–]){first}[-–]{words[1]}|{words[0]}[-–](?=[^\W\d_]{{3}}){second})"
    core = written + r"(?P<genitive>s)?(?:\s+l[aä]ns?)?"
    before = f"(?:{_FULL_WORD})?" if len(own) >= 2 else _FULL_WORD
    return re.compile(r"\b" + before + core + r"\b", re.IGNORECASE)


def _in_a_thing_name(lex: Lexicon, organisation: Organisation, text: str) -> bool:
    """Whether the question names a line or grant whose name holds the förbund's ("SAMverkan i
    Södra Vätterbygden"): then the förbund's words are that thing's."""
    own = {fold(w) for w in _own_words(organisation.name)}
    asked = {fold(w) for w in _WORD.findall(text.lower())}
    if organisation.id is None:
        return False
    first = _own_words(organisation.name)[0]
    for entry in [e for kind in ("grant", "budget_line") for e in lex.sharing_a_word(kind, first, organisation.id)]:
        words = {fold(w) for w in _WORD.findall(entry.name.lower())}
        if own <= words and (words - own - ORG_NOISE) & asked:
            return True
    return False


def named_in_full(ctx: Context, text: str, lex: Lexicon) -> tuple[Organisation, str] | None:
    """The one förbund a question names by its full name, and the question with "förbundet" in
    that name's place: it is the question's scope, as a linked conversation's förbund is, and its
    words name no member or place ("… i Samordningsförbundet Härnösand – Timrå" is not about
    Härnösands kommun)."""
    found: list[tuple[int, re.Match[str]]] = []
    for entry in lex.organisations:  # the store's förbund, as the lexicon holds them (no query per question)
        match = _name_pattern(entry.name).search(text)
        if match is not None and entry.organisation_id is not None:
            found.append((entry.organisation_id, match))
    if len(found) != 1:
        return None
    organisation_id, match = found[0]
    organisation = ctx.session.get(Organisation, organisation_id)
    if organisation is None:
        return None
    if (ctx.organisation is not None and ctx.organisation.id != organisation.id) \
            or _in_a_thing_name(lex, organisation, text):
        return None
    if ctx.language == "en":
        return organisation, _english_in_its_place(text, match)
    written = _IN_ITS_PLACE[("sv", match.group("genitive") is not None)]
    return organisation, text[:match.start()] + written + text[match.end():]


# An English genitive after a förbund's name ("Härnösand-Timrå's minutes").
_ENGLISH_GENITIVE = re.compile(r"['’]s\b")
# A determiner already before the name ("the Härnösand-Timrå minutes").
_DETERMINER_BEFORE = re.compile(r"\b(?:the|our|their|its)\s+$", re.IGNORECASE)


def _english_in_its_place(text: str, match: re.Match[str]) -> str:
    """The English question with a förbund's name out of the way of the words around it: "who adjusted
    Härnösand-Timrå's minutes" and "the Härnösand-Timrå minutes" read "who adjusted the minutes", as
    the cue phrases say it; a name standing alone is "the förbund" ("the board of X" keeps its grammar)."""
    before, after = text[:match.start()], text[match.end():]
    article = re.match(r"the\s+", match.group(0), re.IGNORECASE)
    if article is not None:  # "the Samordningsförbundet Norrvik minutes": the article stays the noun's
        before += article.group(0)
    genitive = _ENGLISH_GENITIVE.match(after)
    if genitive is not None or match.group("genitive") is not None:
        after = after[genitive.end():] if genitive is not None else after
        written = "" if _DETERMINER_BEFORE.search(before) else "the"
    elif _DETERMINER_BEFORE.search(before) and re.match(r"\s+[a-zåäö]", after):
        written = ""  # a name used as an adjective after "the": the noun after it is what is meant
    else:
        written = "förbund" if _DETERMINER_BEFORE.search(before) else "the förbund"
    joined = (before + written).rstrip() + after if not written else before + written + after
    return re.sub(r"\s{2,}", " ", joined)
