"""Words, fuzzy matching of names, and Swedish formatting of amounts and dates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import lru_cache
from itertools import pairwise

from babel.numbers import format_decimal
from rapidfuzz import fuzz

from storage.search import stem
from storage.swedish import MONTHS_SV_EN
from storage.swedish.cleaning import fold

_TOKEN = re.compile(r"[0-9A-Za-zÅÄÖåäöÉéÜüÆæØø]+(?:[.,][0-9]+)*")

# Inflected forms of the field's words that stemming does not bring together.
LEMMAS = {
    "egna": "eget", "egen": "eget", "kapitalet": "kapital", "kansliet": "kansli",
    "styrelsens": "styrelse", "styrelsen": "styrelse", "förbundets": "förbund", "förbundet": "förbund",
    "budgeten": "budget", "budgetens": "budget", "prognosen": "prognos", "utfallet": "utfall",
    "resultatet": "resultat", "kostnaderna": "kostnader", "intäkterna": "intäkter",
    "statliga": "statlig", "medlen": "medel", "equity": "eget kapital",
}


def tokens(text: str) -> list[str]:
    """Lower-case words; "Jobbcenter 2.0:s" gives ["jobbcenter", "2.0"]."""
    out: list[str] = []
    for raw in _TOKEN.findall(text):
        word = raw.lower()
        out.append(word)
    # Genitive "-s" after a colon ("2.0:s") is dropped by the pattern itself.
    return out



@lru_cache(maxsize=65536)
def norm(word: str) -> str:
    """A comparable form of a word: known inflections folded, Swedish stemming, accents dropped."""
    word = LEMMAS.get(word, word)
    if re.fullmatch(r"[0-9.,]+", word):
        return word
    return fold(stem(word))


_DIGIT = re.compile(r"\d")


def has_digit(word: str) -> bool:
    return _DIGIT.search(word) is not None


def is_version(word: str) -> bool:
    """A number that names a variant ("2.0", "3", "1-0"), not a year: matched exactly or not at all."""
    return has_digit(word) and not re.fullmatch(r"(19|20)\d\d", word)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


# The longest ending two forms of one word differ by past a shared start ("-erna", "-ens").
MAX_ENDING = 4


# The end of a compound's first part: a noun ending and the linking "s" ("etablerings-", "utbildnings-",
# "kvalitets-", "medfinansierings-"), with at most one letter of the next part after it.
_COMPOUND_HEAD = re.compile(r"(?:ing|ning|ion|het|tet|nad|else|skap)s[^\W\d_]?$")


@lru_cache(maxsize=262144)
def word_match(a: str, b: str) -> float:
    """How well two words match, 0..1: equal stems, a shared long prefix, or a close spelling."""
    if a == b:
        return 1.0
    if has_digit(a) or has_digit(b):
        return 0.0  # strict on digits: "3.0" is not "2.0", 2021 is not 2022
    na, nb = norm(a), norm(b)
    if na == nb:
        return 1.0
    a, b = fold(a), fold(b)
    if a == b:
        return 1.0
    shorter = min(len(a), len(b))
    prefix = _common_prefix(a, b)
    # A shared start with an ending left over ("kansliet", "budgeten"), not a compound with
    # another last part ("Arbetsmarknadsstegen" is not "Arbetsmarknadstorget").
    # Two compounds of one first part where the first part ends ("Etablerings|skola",
    # "Etablerings|stödjare"): two things, however many letters they share.
    if shorter > prefix and _COMPOUND_HEAD.search(a[:prefix]) and fuzz.ratio(a[prefix:], b[prefix:]) < 60:
        return 0.0  # (a slip in the next part's first letters, "utbildningsimsats", is still a slip)
    if shorter >= 4 and prefix >= max(4, int(0.7 * shorter + 0.5)) and shorter - prefix <= MAX_ENDING:
        return 0.95
    if shorter >= 5:
        ratio = fuzz.ratio(a, b) / 100
        if ratio >= 0.84:
            return ratio
    return 0.0


# The last parts of a compound that still ask for the money or the line of its first part:
# "kanslikostnaderna", "Enterbudgeten", "kostnadsposten" name the line "Kansli", "Enter", the
# costs; "verksamhetsplanen" or "styrelsemötet" do not name "Delsumma verksamhet" or "Styrelse".
LINE_HEADS = ("kostnad", "budget", "utgift", "pengar", "medel", "bidrag", "anslag", "utfall", "prognos", "belopp",
              "post", "rad")


@lru_cache(maxsize=262144)
def name_word_match(name_word: str, question_word: str) -> float:
    """`word_match` read one way: how well a question's word names a word of a name.

    A question's compound that goes on past the name's word by more than an ending names a thing
    of its own ("verksamhetsplan" is no "verksamhet"), unless its last part asks for money; and a
    word that says little ("projekt") is not the start of a name's longer word ("Projektgemensamt")."""
    score = word_match(name_word, question_word)
    if score == 0.0 or score == 1.0:
        return score
    n, q = fold(name_word), fold(question_word)
    if q in _FOLDED_GENERIC and n not in _FOLDED_GENERIC:
        return 0.0
    prefix = _common_prefix(n, q)
    if prefix >= len(n) - 1 and len(q) - prefix > MAX_ENDING:
        rest = q[prefix:]
        rest = rest[1:] if rest.startswith("s") and not n.endswith("s") else rest
        if not rest.startswith(LINE_HEADS):
            return 0.0
    return score


def _compound_match(name_word: str, question_words: list[str]) -> float:
    """A compound in a name ("medelstilldelning") matched by its parts in the question."""
    if len(name_word) < 8:
        return 0.0
    for cut in range(4, len(name_word) - 3):
        head, tail = name_word[:cut], name_word[cut:]
        # A linking "s" joins Swedish compounds: "medel-s-tilldelning".
        tail_options = [tail, tail[1:]] if tail.startswith("s") and len(tail) > 5 else [tail]
        if any(word_match(head, q) >= 0.95 for q in question_words) and any(
            word_match(t, q) >= 0.9 for t in tail_options for q in question_words
        ):
            return 0.9
    return 0.0


# Words that say little about which entity is meant; a name made only of them matches nothing.
GENERIC = frozenset(
    ["och", "i", "för", "av", "med", "till", "om", "på", "delsumma", "samordningsförbundet", "samordningsförbund", "förbundet", "förbund", "kommun", "kommuns", "region", "län", "insats", "insatsen", "projekt", "projektet", "summa", "totalt"]
)


_FOLDED_GENERIC = frozenset(fold(w) for w in GENERIC)


# Words of a question that never stand for part of a name ("till" is not "Tillgängligt").
FUNCTION_WORDS = frozenset(
    "och i for av med till om pa ar var vad vem hur nar har den det som en ett de the of to in on for and is was "
    "what who how when has did does at by from fran vid".split()
)


def name_score(name: str, question_words: list[str]) -> float:
    """How much of `name` the question mentions, 0..1 (by characters of its words).

    Every word of the name counts; generic words count less. A name whose distinctive words
    are all missing scores 0, so "kommun" alone never picks "Habo kommun".
    """
    words = tokens(name)
    if not words:
        return 0.0
    if not _versions_agree(words, question_words):
        return 0.0
    total = 0.0
    got = 0.0
    distinctive_hit = False
    distinctive_total = 0
    question_words = [q for q in question_words if fold(q) not in FUNCTION_WORDS]
    for i, w in enumerate(words):
        weight = len(w) * (0.3 if w in GENERIC else 1.0)
        total += weight
        best = max((name_word_match(w, q) for q in question_words), default=0.0)
        if best == 0.0:
            best = _compound_match(w, question_words)
        if best == 0.0 and i > 0 and _initial_written(words[i - 1], w, question_words):
            best = 1.0
        got += weight * best
        if w not in GENERIC:
            distinctive_total += 1
            if best > 0:
                distinctive_hit = True
    if distinctive_total and not distinctive_hit:
        return 0.0
    score = got / total if total else 0.0
    if score < LEADING_SCORE and _leading_words(words, question_words):
        score = LEADING_SCORE
    # An acronym of the name written in the question ("NAFS") names it, however long the rest.
    acronyms = {a.lower() for a in re.findall(r"\b[A-ZÅÄÖ]{3,}\b", name)}
    if acronyms & set(question_words):
        score = max(score, 0.9)
    return score


def _initial_written(before: str, word: str, question_words: list[str]) -> bool:
    """"Lotta Q", "Karin N.": a name's word given by its first letter right after the word before it."""
    if len(word) < 3 or has_digit(word):
        return False
    return any(len(b) == 1 and fold(b) == fold(word)[0] and word_match(before, a) >= 0.9
               for a, b in pairwise(question_words))


# A long name said by its first words ("Stärkt samverkan" for "Stärkt samverkan och parallella
# insatser"): people shorten a name from its end, never from its start.
LEADING_SCORE = 0.8


def _leading_words(name_words: list[str], question_words: list[str]) -> bool:
    """Whether the question writes the name's first two words, both distinctive, one after the other."""
    if len(name_words) < 3:
        return False
    first, second = name_words[:2]
    if any(w in GENERIC or has_digit(w) or len(w) < 4 for w in (first, second)):
        return False
    return any(word_match(first, a) >= 0.9 and word_match(second, b) >= 0.9
               for a, b in pairwise(question_words))


_MONTH_WORDS = frozenset(fold(m) for m in MONTHS_SV_EN)


def matched_words(name: str, question_words: list[str]) -> frozenset[str]:
    """The question's words that a word of `name` matches (function words left out)."""
    name_words = tokens(name)
    matched = {q for q in question_words if fold(q) not in FUNCTION_WORDS and not has_digit(q)
               and any(name_word_match(n, q) >= 0.9 for n in name_words)}
    # "Lotta Q": the initial stands for the name's next word.
    matched |= {b for a, b in pairwise(question_words) if len(b) == 1 and a in matched and any(
        word_match(before, a) >= 0.9 and _initial_written(before, w, [a, b]) for before, w in pairwise(name_words))}
    return frozenset(matched)


def subsumed(names: list[str], question_words: list[str]) -> set[str]:
    """Names whose matched question words another candidate matches too, and more ("Summa
    kostnader" beside "Övriga externa kostnader" for "externa kostnader"): the other accounts for
    more of what the question names, so these are not what it means."""
    matched = {n: matched_words(n, question_words) for n in set(names)}
    return {a for a, wa in matched.items() if wa and any(wa < wb for b, wb in matched.items() if b != a)}


def _versions_agree(name_words: list[str], question_words: list[str]) -> bool:
    """A version the question writes beside a name must be the name's own ("Jobbcenter 3.0"
    is not "Jobbcenter 2.0", "Helhetslyftet 2" is not "Helhetslyftet")."""
    for i, word in enumerate(question_words):
        if not is_version(word) or word in name_words:
            continue
        after = question_words[i + 1] if i + 1 < len(question_words) else ""
        if fold(after.lower()).rstrip(".") in _MONTH_WORDS:
            continue  # "Tjärnström 14 February": a day of a date, not a version

        before = question_words[i - 1] if i > 0 else ""
        if before and not has_digit(before) and any(word_match(before, n) >= 0.9 for n in name_words):
            return False
    return _letter_codes_agree(name_words, question_words)


def _letter_codes_agree(name_words: list[str], question_words: list[str]) -> bool:
    """A one-letter code after a name's word is part of the name as a version is ("Projekt SE-S"
    is not "Projekt SE-N", however the question is cased)."""
    for j, code in enumerate(name_words[1:], start=1):
        if len(code) != 1 or not code.isalpha():
            continue
        head = name_words[j - 1]
        written = {question_words[i + 1] for i, word in enumerate(question_words[:-1])
                   if word == head and len(question_words[i + 1]) == 1 and question_words[i + 1].isalpha()}
        if written and code not in written:
            return False
    return True


def qualified_otherwise(name: str, words: list[str], foreign: frozenset[str]) -> bool:
    """A name matched in part whose matched words stand beside another name in the question
    ("Arbetsmarknadstorget Timrå" is not "Arbetsmarknadstorget Härnösand")."""
    name_words = tokens(name)
    if {a.lower() for a in re.findall(r"\b[A-ZÅÄÖ]{3,}\b", name)} & set(words):
        return False  # the name's acronym is written out: that names it, whatever stands beside
    distinctive = [n for n in name_words if n not in GENERIC and fold(n) not in FUNCTION_WORDS]
    if all(max((word_match(n, w) for w in words), default=0.0) == 1.0 for n in distinctive):
        return False  # every real word of the name is there: only function words are missing
    for i, w in enumerate(words):
        if not any(word_match(w, n) >= 0.9 for n in name_words):
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(words) and words[j] in foreign and not any(
                    word_match(words[j], n) >= 0.9 for n in name_words):
                return True
    return False


MINUS = "\u2212"


def kr(amount: int) -> str:
    """1250000 -> "1 250 000 kr", -450000 -> "−450 000 kr": as Swedish readers write it, with a
    real minus sign (a hyphen reads as a dash and breaks from its number at a line end)."""
    return f"{format_decimal(amount, locale='sv_SE', group_separator=True)} kr".replace("-", MINUS)


def amount_text(amount: int, unit: str) -> str:
    """An amount in kronor, with the source's tkr figure beside it when it gave tkr."""
    if unit == "tkr" and amount % 1000 == 0:
        return f"{kr(amount)} ({format_decimal(amount // 1000, locale='sv_SE')} tkr)".replace("-", MINUS)
    return kr(amount)


def day(value: dt.date, language: str = "sv") -> str:
    """A date as answers write it: ISO ("2024-03-22"), the form of the protocols and of every
    source line, so one answer never mixes two styles (`language` kept for callers)."""
    return value.isoformat()


# Swedish nouns of the neuter gender (ett utfall): "inget utfall", not "ingen utfall".
NEUTER_NOUNS = {"utfall", "resultat", "eget kapital", "kapital", "bidrag", "beslut", "protokoll", "anslag",
                "sammanträde", "möte", "diarienummer", "belopp", "villkor", "överskott", "underskott"}


def none_of(nouns: list[str], language: str = "sv") -> str:
    """"ingen budget", "inget utfall", "varken budget eller utfall"; "no budget or outcome"."""
    if language == "en":
        return "no " + (nouns[0] if len(nouns) == 1 else ", ".join(nouns[:-1]) + " or " + nouns[-1])
    if len(nouns) == 1:
        return f"{'inget' if nouns[0].casefold() in NEUTER_NOUNS else 'ingen'} {nouns[0]}"
    return "varken " + ", ".join(nouns[:-1]) + " eller " + nouns[-1]


def join_words(items: list[str], language: str = "sv") -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    last = " and " if language == "en" else " och "
    return ", ".join(items[:-1]) + last + items[-1]


# Small counts written out too ("5 (fem)"), as a secretary would in a minute.
_COUNT_WORDS = {"sv": ("noll", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv"),
                "en": ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                       "twelve")}


def count_text(n: int, language: str = "sv") -> str:
    """A count with its word: "5 (fem)", "31"."""
    words = _COUNT_WORDS["en" if language == "en" else "sv"]
    return f"{n} ({words[n]})" if 1 < n < len(words) else str(n)


def counted(n: int, noun: str, language: str = "sv") -> str:
    """A count that names what it counts, as the question called it: "6 kommuner (sex)"; a bare
    "6" beside a list could be read as a count of anything."""
    if not noun:
        return count_text(n, language)
    words = _COUNT_WORDS["en" if language == "en" else "sv"]
    return f"{n} {noun} ({words[n]})" if 1 < n < len(words) else f"{n} {noun}"


# The words after which a question names what it counts ("hur många kommuner", "number of members").
_COUNT_OPENERS = frozenset({"många", "manga", "many", "antal", "antalet", "number"})


def count_noun(words: list[str], allowed: Callable[[str], bool]) -> str:
    """The words right after "hur många" / "how many" that name what is counted, as far as each
    is one `allowed` (a word of the thing counted, never any word of the question: an answer
    echoing an unexplained word would hide it from the guard)."""
    for i, w in enumerate(words):
        if w.casefold() not in _COUNT_OPENERS:
            continue
        rest = words[i + 1:]
        if rest and rest[0].casefold() == "of":
            rest = rest[1:]
        taken: list[str] = []
        for r in rest[:3]:
            if not r.isalpha() or not allowed(r):
                break
            taken.append(r)
        return " ".join(taken)
    return ""
