"""Two questions in one message: "Vem justerade protokollet och när sattes anslaget upp?", "What
was granted to Helhetslyftet, and for which period?". Each part is answered on its own and the
reply holds both; it is answered only when both parts are.

The second part often leans on the first for what it is about ("… and when was the anslag put
up?" is about the same minutes): the first part's date and the thing it names are added to the
second when it has none of its own, as a follow-up in a conversation gets them (followup.py).
"""

from __future__ import annotations

import re

from handlers.answers.text import fold, tokens
from handlers.understanding import negation

# What joins the parts: "and", "och", the phone's "o", "&", after a comma or not.
CONNECTORS = ("and", "och", "o", "&", "samt", "plus")
# What opens the second part: a question word, Swedish and English (folded), or a preposition
# before one ("and for which period", "och under vilken period").
QUESTION_WORDS = ("when", "who", "whom", "what", "how", "which", "where", "why", "whether", "nar", "vem", "vilka",
                  "vad", "hur", "vilken", "vilket", "var", "varfor", "va")
# Verbs that open a yes/no question as its second part ("…, and is that figure final?", "… och
# fick de pengarna direkt?"); folded. "är" is left out: folded it is also "år", a year.
YES_NO = ("is", "are", "was", "were", "did", "does", "has", "have", "will", "can", "blev", "hade", "fick", "kommer",
          "finns", "fanns")
PREPOSITIONS = ("until", "since", "sedan", "sen", "for", "to", "from", "in", "at", "by", "on", "with", "till", "fran", "i",
                "pa", "under", "av", "med", "om")
# After a comma and a connector, a second question may leave its question word out ("…, and the
# forecast for the full year?").
AFTER_COMMA = ("the", "den", "det", "de")

_WORD = r"[^\W\d_]+"


def _pattern() -> re.Pattern[str]:
    connectors = "|".join(re.escape(c) for c in CONNECTORS)
    asks = "|".join((*QUESTION_WORDS, *YES_NO))
    before = "|".join(PREPOSITIONS)
    after_comma = "|".join(AFTER_COMMA)
    return re.compile(rf"(?:(?:,\s*|\s+)(?:{connectors})\s+(?=(?:(?:{before})\s+)?(?:{asks})\b)"
                      rf"|,\s*(?:{connectors})\s+(?=(?:{after_comma})\b))", re.IGNORECASE)


_SPLIT = _pattern()


# A second sentence that is itself a question ("… Fanns det något villkor?", "… What day?"):
# it opens with a question word or a yes/no verb, after an opener it may have ("och", "also").
_SENTENCE_OPENERS = ("och", "and", "also", "ocksa", "btw", "plus", "samt")
_SECOND_QUESTION = re.compile(
    rf"\?\s+(?=(?:(?:{'|'.join(_SENTENCE_OPENERS)})\s+)?(?:(?:{'|'.join(PREPOSITIONS)})\s+)?"
    rf"(?:{'|'.join((*QUESTION_WORDS, *YES_NO))})\b[^?]*\?\s*$)", re.IGNORECASE)


def split(text: str, min_first: int = 3) -> tuple[str, str] | None:
    """The two parts of a question that asks two things, or None. Each part must be a question
    of at least three words (a later part, split again, may be shorter: "… vilken fick störst och
    vilken minst, och …"); only the first join that opens a new question word splits. Two
    sentences that are both questions are two parts."""
    folded = fold(text)
    sentence = _SECOND_QUESTION.search(folded)
    if sentence is not None:
        first, rest = text[:sentence.start()].strip(" ,"), text[sentence.end():].strip()
        # "… What day?", "… Until when?" ask one more facet of the same thing: one question.
        own = [w for w in re.findall(_WORD, fold(rest)) if w not in (*QUESTION_WORDS, *YES_NO, *PREPOSITIONS)]
        if len(re.findall(_WORD, first)) >= min_first and len(own) >= 3:
            return first, rest
    for m in _SPLIT.finditer(folded):
        first, second = text[:m.start()].strip(" ,"), text[m.end():].strip()
        if _BETWEEN.search(folded[:m.start()]):
            continue  # "skillnaden mellan vad A betalar och vad B betalar": one question of two sides
        if len(re.findall(_WORD, first)) >= min_first and len(re.findall(_WORD, second)) >= 2:
            return first, second
    return None


# "A, vilken fick minst, och …": a comma alone before a question word lists a further question
# (only within a first part that a join already ended: the list is "A, B och C").
_LISTED = re.compile(rf"\s*,\s*(?=(?:{'|'.join(QUESTION_WORDS)})\b)", re.IGNORECASE)


_ASKS = re.compile(rf"(?:{'|'.join(QUESTION_WORDS)})\b", re.IGNORECASE)


def listed(text: str) -> list[str]:
    """The questions a first part lists with commas alone, in order (one if it lists none)."""
    folded = fold(text)
    if not _ASKS.match(folded.lstrip()):
        return [text]  # "Av ansökningarna som beviljades …, vilken fick störst": one question
    out, start = [], 0
    for m in _LISTED.finditer(folded):
        head = text[start:m.start()].strip(" ,")
        if len(re.findall(_WORD, head)) >= 2 and len(re.findall(_WORD, text[m.end():])) >= 2:
            out.append(head)
            start = m.end()
    return [*out, text[start:].strip(" ,")]


# "mellan" / "between" with no join after it yet: the join that follows names its second side.
_BETWEEN = re.compile(r"\b(?:mellan|between)\b(?!.*\b(?:och|and|o)\b)")


def content(text: str) -> str:
    """A part's words without its question words and negations: what it is about ("varför har
    uppföljningen inte gjorts, och när …": the second part asks about the uppföljning, not its absence)."""
    return " ".join(w for w in tokens(text) if fold(w) not in QUESTION_WORDS and not negation.is_negation(w))


# Pronouns that stand for a person the first part's answer names ("Vem var teamledare i Enter och
# hur länge var hon med?"): the second part cannot be read without that answer. ("they", "de" stand
# as often for the things the first part names: "… and on which date were they verified?")
_ANSWER_PRONOUNS = frozenset({"hon", "han", "hen", "henne", "honom", "hennes", "hans", "she", "he", "her", "him",
                              "his"})


# A part that asks only the size of what the first part's answer names ("och hur stor är den?",
# "and how much was it?"): every word one of these.
_ITS_AMOUNT = frozenset({"och", "and", "samt", "hur", "how", "stor", "stort", "stora", "mycket", "mkt", "much", "big",
                         "large", "är", "ar", "var", "blir", "blev", "is", "was", "will", "be", "den", "det", "dess",
                         "it", "that", "this", "its", "belopp", "beloppet", "amount", "summan", "sum", "vad", "what",
                         "kostar", "kostade", "cost", "costs", "the", "i", "in", "kronor", "kr", "pengar", "money",
                         "handlar", "om", "about", "rör", "sig", "får", "fick", "got", "get", "gets"})
_IT_WORDS = frozenset({"den", "det", "dess", "it", "that", "this", "its", "beloppet", "summan"})


def asks_its_amount(text: str) -> bool:
    words = [fold(w) for w in tokens(text)]
    return bool(words) and any(w in _IT_WORDS for w in words) and all(w in {fold(x) for x in _ITS_AMOUNT}
                                                                      for w in words) \
        and any(w in ("mycket", "mkt", "much", "stor", "stort", "stora", "big", "large", "belopp", "beloppet",
                      "amount", "summan", "kostar", "kostade", "cost", "costs") for w in words)


# A part that asks which ones after a count ("… och vilka?", "and which ones?"): a count's answer
# that lists them answers it.
_WHICH_ONES = frozenset({"och", "and", "samt", "vilka", "which", "ones", "are", "were", "they", "them", "is", "it",
                         "är", "ar", "var", "det", "de", "dem", "dom", "dessa", "those", "these", "what", "vad",
                         "heter", "hette", "named", "called", "their", "names", "namnen", "i", "så", "fall", "case",
                         "in", "that"})


_DIFFERENCE_WORDS = frozenset({"skillnad", "skillnaden", "difference", "gap", "gapet", "mellan", "between", "dem",
                               "them", "two", "två", "båda", "both"})


def asks_its_difference(text: str) -> bool:
    """A part that asks only the difference between what the first part named ("… och hur stor är
    skillnaden?", "and what's the difference?")."""
    words = [fold(w) for w in tokens(text)]
    allowed = {fold(x) for x in _ITS_AMOUNT | _DIFFERENCE_WORDS} | {"whats", "s"}
    return bool(words) and any(w in ("skillnad", "skillnaden", "difference", "gap", "gapet") for w in words) \
        and all(w in allowed for w in words)


def asks_which_ones(text: str) -> bool:
    words = [fold(w) for w in tokens(text)]
    return bool(words) and any(w in ("vilka", "which") for w in words) and all(
        w in {fold(x) for x in _WHICH_ONES} for w in words)


def leans_on_answer(text: str) -> bool:
    return any(fold(w) in _ANSWER_PRONOUNS for w in tokens(text))


# A person's name as replies write it: two or three capitalised words.
_PERSON = re.compile(r"\b[A-ZÅÄÖÉ][a-zåäöéü]+(?:[ -][A-ZÅÄÖÉ][a-zåäöéü]+){1,2}\b")


def with_answer(text: str, first_answer: str, pointers: bool = False) -> str | None:
    """The second part with its pronoun replaced by the person the first part's answer names
    ("… och vilken medlem utsåg henne?" after "Karin Näsmark är justerare …"), or None. With
    `pointers`, a pointing word at the part's end stands for the person ("… hur länge gäller det?")."""
    person = _PERSON.search(first_answer)
    if person is None:
        return None
    words = re.split(r"(\W+)", text)
    standing = _ANSWER_PRONOUNS | (_END_POINTERS if pointers else frozenset())
    at = [i for i, w in enumerate(words) if fold(w.lower()) in standing]
    if not at:
        return None
    last = at[-1] if pointers else None
    out = [person.group(0) if i in at and (last is None or i == last) else w for i, w in enumerate(words)]
    return "".join(out)


# "how" with these after it asks an amount, a number or a time, not a manner.
_HOW_WHAT = ("much", "many", "long", "large", "big", "often", "far", "mycket", "manga", "lange", "stor", "stort",
             "ofta", "dags")


def asks_manner(text: str) -> bool:
    """Whether a part asks how something was done ("how was it done", "hur gick det till"): no
    stored fact answers that, so a fact about the same thing does not answer it."""
    words = [fold(w) for w in tokens(text)]
    return any(w in ("how", "hur") and (i + 1 >= len(words) or words[i + 1] not in _HOW_WHAT)
               for i, w in enumerate(words))


# A first part that ends by asking which one ("… on one grant - which one"): its answer names
# what the second part is about.
_WHICH_ONE = re.compile(r"\b(?:which one|which|vilken|vilket|vilka|vem|who)\W*$", re.IGNORECASE)


def asks_which(text: str) -> bool:
    return _WHICH_ONE.search(fold(text)) is not None


# "… och hur stor är skillnaden mellan dem?": the two things the earlier parts' answers name.
_BETWEEN_THEM = re.compile(r"\b(mellan|between)\s+(?:dem|de två|de tva|them|the two|both)\b", re.IGNORECASE)


def between_them(text: str, names: list[str]) -> str | None:
    """The part with "mellan dem" written out as the two things named before, or None."""
    m = _BETWEEN_THEM.search(text)
    if len(names) != 2 or m is None:
        return None
    joiner = " och " if m.group(1).lower() == "mellan" else " and "
    return f"{text[:m.start()]}{m.group(1)} {joiner.join(names)}{text[m.end():]}"


# Pronouns that, standing at a part's end, point back to what the first part asks about or
# answers ("… och hur stor andel av kostnaderna är den ungefär", "… what share of the costs is it").
_END_POINTERS = frozenset({"it", "that", "this", "them", "den", "det", "dem", "detta", "denna"})


# Words that point to the place or occasion the first part names ("… och vad ska man prata om där?",
# "… and what will be discussed there?"): a part with only these for its subject is about that.
PLACE_POINTERS = frozenset({"dar", "dit", "darifran", "dari", "darvid", "there", "then"})


def ends_pointing(text: str) -> bool:
    """Whether one of a part's last two words is a pronoun pointing back."""
    return any(fold(w.lower()) in _END_POINTERS for w in tokens(text)[-2:])
