"""How people type on a phone: abbreviations and spoken forms, written out before a question
is read. One table; the mechanism replaces whole words only."""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from collections.abc import Callable, Collection, Iterable

from storage.swedish import MONTHS_SV_EN, month_alternation
from storage.swedish.dates import MONTH_RANGE

ABBREVIATIONS = {
    "mkt": "mycket", "mycke": "mycket", "myke": "mycket", "va": "vad", "e": "är", "vart": "var", "nåt": "något",
    "nat": "något", "ngt": "något", "ngn": "någon", "nån": "någon", "o": "och", "å": "och",
    "bevilj": "beviljat", "bev": "beviljat", "ordf": "ordförande",
    "sekr": "sekreterare", "fk": "Försäkringskassan", "af": "Arbetsförmedlingen",
    "proto": "protokollet", "prot": "protokollet", "sammantr": "sammanträdet",
    "bdg": "budget", "budg": "budget", "progn": "prognos", "whats": "what is", "what's": "what is",
    "who's": "who is", "whos": "who is", "how's": "how is", "wat": "what", "wen": "when", "u": "you", "plz": "please",
    "mtg": "meeting", "mins": "minutes", "most recent": "latest", "full year": "helår", "full-year": "helår",
    # Member bodies by their English names.
    "swedish social insurance agency": "Försäkringskassan", "social insurance agency": "Försäkringskassan",
    "insurance agency": "Försäkringskassan", "swedish public employment service": "Arbetsförmedlingen",
    "public employment service": "Arbetsförmedlingen", "employment service": "Arbetsförmedlingen",
    "employment agency": "Arbetsförmedlingen",
    # Spoken and clipped forms of the field's words.
    "dom": "de", "kap": "kapital", "info": "information", "enl": "enligt", "ang": "angående", "pga": "på grund av",
    "budjet": "budget", "budgett": "budget", "ks": "kommunstyrelsen", "resp": "respektive", "milj": "miljoner",
    "tertialuppfoljn": "tertialuppföljning", "fr": "från", "jmf": "jämfört", "jmfr": "jämfört", "jfr": "jämför", "kf": "kommunfullmäktige", "jkpg": "Jönköpings",
    "sthlm": "Stockholm", "gbg": "Göteborg", "tertialuppföljn": "tertialuppföljning", "verks": "verksamhet",
    # Clipped words of the field, as typed on a phone ("statl medel", "fbchef").
    "statl": "statliga", "medlbidr": "medlemsbidrag", "bidr": "bidrag", "fbchef": "förbundschef",
    "förbch": "förbundschef", "forbch": "förbundschef", "fbch": "förbundschef", "ers": "ersättare",
    "ledam": "ledamot", "utf": "utfall", "tert": "tertial", "verksamhetspl": "verksamhetsplan",
    "kostn": "kostnader", "nan": "någon", "t": "till", "nanstans": "någonstans", "nånstans": "någonstans",
    # Clipped as typed in haste ("var hon int med", "budget enl VP").
    "int": "inte", "vp": "verksamhetsplanen",
    # English chat forms ("the AF rep", "which paragraphs r in", "signed w the chair").
    # Sums as typed ("tot beviljat förra mötet", "sammanl för alla").
    "tot": "totalt", "sammanl": "sammanlagt", "tills": "tillsammans",
    # Against the budget, as English says it ("came in under budget"): as the documents say it ("lägre än budgeterat").
    "under budget": "lower than budget", "below budget": "lower than budget", "over budget": "higher than budget",
    "above budget": "higher than budget",
    # Costs "running over" (over budget, as English says it without the word budget).
    "running over": "higher than budget", "ran over": "higher than budget", "run over": "higher than budget",
    "running under": "lower than budget", "ran under": "lower than budget", "under budgeted": "lower than budgeted", "over budgeted": "higher than budgeted",
    # Where a figure ended ("what did costs come in at"): no money coming in (an income).
    "came in at": "ended up at", "come in at": "end up at", "comes in at": "ends up at", "coming in at": "ending up at",
    "re": "about",
    "rep": "representative", "reps": "representatives", "r": "are", "w": "with", "wich": "which",
}
# Whole words only: "AF-handläggare" and "IT-spåret" are names, not abbreviations, and the letters
# of a dotted abbreviation ("t.o.m.", "bl.a.") are not words of their own.
_WORD = re.compile(r"(?<![\w'’.-])(" + "|".join(sorted(map(re.escape, ABBREVIATIONS), key=len, reverse=True))
                   + r")(:s\b|['’]s\b)?(?![\w'’-]|\.\w)", re.IGNORECASE)
# "va" is "vad" (what) and, spoken, "var" (where / was): "var" where a verb of taking place or of
# lying follows ("va hölls mötet", "va ligger kansliet") or a question word stands before ("vem va ordf").
# At the start, before a noun in its definite form ("va ansökan underskriven?", "va mötet digitalt?"),
# it is "var" (was) too: "vad" needs a verb after it ("va hände", "va kostar").
_VA_WHERE = re.compile(r"\b(?:(?P<before>vem|vilka|vilken|när|nar|hur)\s+va|va(?=\s+(?:hölls|holls|hålls|halls|ligger"
                       r"|låg|äger|ager|sitter)\b)|^\s*va(?=\s+[^\W\d_]{2,}(?:an|en|et|na)\b)"
                       r"|^\s*va(?=\s+(?:nån|nan|någon|ngn|han|hon|hen|dom|ni|alla)\b))\b", re.IGNORECASE)
# Spoken "va" after a modal verb or "att" is "vara" (to be): "när skulle det va", "fick hon va med",
# "ska det va klart".
_VA_TO_BE = re.compile(r"\b(?P<before>(?:ska|skall|skulle|kan|kunde|vill|ville|måste|maste|får|far|fick|borde|"
                       r"brukar|behöver|behover|verkar|lär|att)(?:\s+(?:det|den|de|dom|han|hon|hen|vi|ni|man|jag|"
                       r"du|[A-ZÅÄÖ][\w-]+(?:\s+[A-ZÅÄÖ][\w-]+)?))?)\s+va\b", re.IGNORECASE)
# Spoken "va" inside a clause, after its subject, is "var" (was): "hur mkt va det", "när skulle …
# del 2 va"; after a join or a preposition it is "vad" ("o va kostar det", "o till va").
_VA_INSIDE = re.compile(r"\b(?P<before>[^\W_]+)(?P<space>\s+)va\b", re.IGNORECASE)
_BEFORE_VAD = frozenset({"och", "o", "and", "men", "eller", "samt", "till", "om", "för", "for", "på", "pa", "av", "med",
                         "i", "från", "fran", "åt", "at", "mot", "efter", "under", "vid", "hos", "inför", "infor",
                         "än", "an", "btw", "typ", "alltså", "alltsa", "ok", "okej", "hej", "vet", "undrar", "så",
                         "sa", "ba", "bara", "precis", "exakt"})
# Spoken "me" is "med" before a preposition ("me på mötet"); "me" alone is English ("tell me").
_ME = re.compile(r"\bme(?=\s+(?:på|pa|i|vid|och|o)\b)", re.IGNORECASE)


# Numbers as words, Swedish and English, for a § written out ("paragraph eleven", "paragraf tolv").
NUMBER_WORDS = {
    **dict.fromkeys(("one", "ett", "en", "first", "första"), 1), **dict.fromkeys(("two", "två", "second", "andra"), 2),
    **dict.fromkeys(("three", "tre", "third", "tredje"), 3), **dict.fromkeys(("four", "fyra", "fourth", "fjärde"), 4),
    **dict.fromkeys(("five", "fem", "fifth", "femte"), 5), **dict.fromkeys(("six", "sex", "sixth", "sjätte"), 6),
    **dict.fromkeys(("seven", "sju", "seventh", "sjunde"), 7), **dict.fromkeys(("eight", "åtta", "eighth", "åttonde"), 8),
    **dict.fromkeys(("nine", "nio", "ninth", "nionde"), 9), **dict.fromkeys(("ten", "tio", "tenth", "tionde"), 10),
    "eleven": 11, "elva": 11, "twelve": 12, "tolv": 12, "thirteen": 13, "tretton": 13, "fourteen": 14,
    "fjorton": 14, "fifteen": 15, "femton": 15, "sixteen": 16, "sexton": 16, "seventeen": 17, "sjutton": 17,
    "eighteen": 18, "arton": 18, "nineteen": 19, "nitton": 19, "twenty": 20, "tjugo": 20, "thirty": 30,
    "trettio": 30, "forty": 40, "fyrtio": 40, "fifty": 50, "femtio": 50, "sixty": 60, "sextio": 60, "seventy": 70,
    "sjuttio": 70, "eighty": 80, "åttio": 80, "ninety": 90, "nittio": 90,
}
# "paragraph 11", "paragrafen elva", "section twelve", "§ tolv": written as the documents write it, "§ 11".
_NUMBER = r"(?:\d+|(?:" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")(?:[ -](?:" + "|".join(
    w for w in NUMBER_WORDS if NUMBER_WORDS[w] < 10) + r"))?)"
_PARAGRAPH = re.compile(r"(?:\b(?:paragraph|paragraf(?:en)?|section)\s+(" + _NUMBER + r")|§\s*(" + _NUMBER + r"))\b"
                        r"(?![ -]*(?:hundred|hundra))", re.IGNORECASE)


def _number(words: str) -> int:
    if words.isdigit():
        return int(words)
    return sum(NUMBER_WORDS[w] for w in re.split(r"[ -]", words.lower()) if w)


def paragraph_numbers(text: str) -> str:
    """A § written out as a word or after "paragraph" is written "§ N", as the protocols write it."""
    return _PARAGRAPH.sub(lambda m: f"§ {_number(m.group(1) or m.group(2))}", text)


# "januari till augusti 2020", "January to August 2020", "jan–aug 2020": the year to the end of a
# month is what a tertial report's outcome covers, written as the documents date it ("per 31 augusti").
_YEAR_TO_MONTH = re.compile(rf"\b(?:från\s+|from\s+)?{MONTH_RANGE}\s+(\d{{4}})\b", re.IGNORECASE)


# Amounts as English writes them ("SEK 1,250,000", "1.25 million", "700k", "786 000 SEK"), written
# as the documents write them ("1 250 000 kr"): the digits a question names are compared with theirs.
_ENGLISH_AMOUNT = re.compile(
    r"\b(?:SEK\s*)?(?P<number>\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?: \d{3})+(?!\d)|\d+(?:\.\d+)?)"
    r"(?P<unit>\s*(?:million|mn\b|thousand)|[mk]\b)?(?:\s*(?:SEK|kronor|kr)\b)?", re.IGNORECASE)
_SEK = re.compile(r"\bSEK\b", re.IGNORECASE)


def _english_amount(m: re.Match[str]) -> str:
    written, unit = m.group("number"), (m.group("unit") or "").strip().lower()
    says_sek = bool(_SEK.search(m.group(0)))
    if not unit and not says_sek and "," not in written:
        return m.group(0)  # a plain number ("2.0", "2021", "786 000 kr") is left as written
    if "." in written and not unit:
        return m.group(0)
    factor = {"million": 1e6, "mn": 1e6, "m": 1e6, "k": 1e3, "thousand": 1e3}.get(unit, 1)
    value = float(written.replace(",", "").replace(" ", "")) * factor
    if value != int(value) or (value < 1000 and not says_sek):
        return m.group(0)
    return f"{int(value):,}".replace(",", " ") + " kr"


def english_amounts(text: str) -> str:
    """"SEK 1,250,000" as "1 250 000 kr", "1.25 million" as "1 250 000 kr", "700k" as "700 000 kr"."""
    return _ENGLISH_AMOUNT.sub(_english_amount, text)


def _year_to_month(m: re.Match[str]) -> str:
    first, month = (MONTHS_SV_EN.get(g.lower()) for g in (m.group(1), m.group(2)))
    year = int(m.group(3))
    if first != 1 or month is None:
        return m.group(0)  # a stretch inside the year is not an outcome to date
    if month == 12:
        return str(year)  # the whole year
    return f"per {year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


# A year in English words, as spoken ("twenty twenty-three", "two thousand and nineteen"): written as
# the documents write it. Only years a board's documents can hold (1990-2049).
_UNITS = {w: n for w, n in NUMBER_WORDS.items() if w.isascii() and n < 10 and not w.endswith(("st", "nd", "rd", "th"))
          and w not in ("en", "ett", "tre", "fem", "sex", "sju", "nio", "tio", "fyra", "två", "åtta")}
_TEENS = {w: n for w, n in NUMBER_WORDS.items() if w in ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
                                                          "sixteen", "seventeen", "eighteen", "nineteen")}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "ninety": 90}
# After "twenty"/"nineteen" the rest must be ten or more, or "oh" and a digit: "twenty one" is 21.
_TEN_OR_MORE = (r"(?:(?:" + "|".join(_TENS) + r")(?:[ -](?:" + "|".join(_UNITS) + r"))?|" + "|".join(_TEENS)
                + r"|oh[ -](?:" + "|".join(_UNITS) + r"))")
_TWO_DIGITS = r"(?:" + _TEN_OR_MORE + r"|" + "|".join(_UNITS) + r")"
_YEAR_WORDS = re.compile(r"\b(nineteen|twenty)[ -](" + _TEN_OR_MORE + r")\b|\btwo thousand(?: and)?[ -](" + _TWO_DIGITS
                         + r")\b", re.IGNORECASE)


def _two_digits(words: str) -> int:
    parts = [w for w in re.split(r"[ -]", words.lower()) if w and w != "oh"]
    return sum(_TENS.get(w) or _TEENS.get(w) or _UNITS.get(w, 0) for w in parts)


def _year_words(m: re.Match[str]) -> str:
    if m.group(3):
        year = 2000 + _two_digits(m.group(3))
    else:
        year = (1900 if m.group(1).lower() == "nineteen" else 2000) + _two_digits(m.group(2))
    return str(year) if 1990 <= year <= 2049 else m.group(0)


# The turn of a year written as a pair ("årsskiftet 2019/20", "the turn of the year 2019/2020",
# "årsskiftet 18/19"): the end of the first year, as the documents date a year's closing figures.
_TURN_OF_YEAR = re.compile(r"\b(?:vid\s+|at\s+the\s+|the\s+)?(årsskiftet|arsskiftet|turn\s+of\s+the\s+year|year[- ]end)"
                           r"\s+(?:of\s+)?((?:19|20)?\d\d)\s*/\s*(?:19|20)?\d\d\b", re.IGNORECASE)


def _turn_of_year(m: re.Match[str]) -> str:
    year = m.group(2)
    year = year if len(year) == 4 else f"20{year}"
    swedish = m.group(1).lower() in ("årsskiftet", "arsskiftet")
    return f"i slutet av {year}" if swedish else f"at the end of {year}"


# English contractions written out, so that cue phrases ("did not attend", "when is the next") and
# the negation reading see whole words: "didn't" -> "did not", "how'd" -> "how did", "when's" ->
# "when is", "we're" -> "we are". A genitive "'s" after a name ("Härnösand-Timrå's") is left.
_NOT = re.compile(r"\b([A-Za-z]+)n['’]t\b", re.IGNORECASE)
_NOT_STEMS = {"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}
_QUESTION_WORD = re.compile(r"\b(what|who|where|when|how|why|which|that|there|it|here)['’](s|d|re|ll)\b",
                            re.IGNORECASE)
_PRONOUN = re.compile(r"\b(i|we|you|they)['’](re|ve|ll|m)\b", re.IGNORECASE)
_CONTRACTED = {"s": "is", "d": "did", "re": "are", "ve": "have", "ll": "will", "m": "am"}


# "paid in by T2 2019", "by 31 August", "by the end of April": a figure by a day is its figure as of that
# day ("per"), as the tables date an outcome to date. Only before a date: "by how much", "by the board" stay.
_BY_A_DAY = re.compile(r"\bby(?=\s+(?:the\s+end\s+of\s+|end\s+of\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:"
                       + month_alternation(english=True) + r")\b|\s+t[123]\b|\s+\d{4}-\d{2}-\d{2}\b)",
                       re.IGNORECASE)


# "back in June 2019", "back on 16 Nov": a time looked back to, not "backed" (supported).
# A line's word after a part of the year as a compound's first part ("helårsresultatet",
# "delårsresultatet"): the line's own word, with the period said apart ("helårs resultatet"). Kinds of
# figure keep their compound ("helårsprognos" is read as a whole by the kinds' cue tables).
_PERIOD_COMPOUND = re.compile(r"\b(hel|del)(å|a)rs(?!prognos|budget|utfall|rapport|uppfölj|uppfolj|bokslut)"
                              r"(?=[^\W\d_]{5,}\b)", re.IGNORECASE)


# An acronym as the first part of a compound asking for money ("FK-bidraget", "AF-pengarna"): the body
# it stands for ("Försäkringskassan-bidraget" names Bidrag Försäkringskassan). A compound of another
# last part is a name of its own ("AF-handläggare i samverkan") and is left as written.
_ACRONYM_COMPOUND = re.compile(r"(?<![\w'’.-])([A-ZÅÄÖ]{2,5})(?=-([^\W\d_]{3,}))")


def _acronym_compound(m: re.Match[str]) -> str:
    from handlers.answers.text import LINE_HEADS

    if not m.group(2).lower().startswith(LINE_HEADS):
        return m.group(1)
    return ABBREVIATIONS.get(m.group(1).lower(), m.group(1))


# "X per 31 aug 2020 mot per 31 aug 2019", "at 31 August 2020 against 31 August 2019": one point in
# time set against another is a comparison, said as the comparison cues say it.
_AGAINST_A_TIME = re.compile(r"\b(mot|against)(?=\s+(?:per\s+|as\s+of\s+|at\s+|on\s+|den\s+|the\s+)?(?:\d{1,2}\s+(?:"
                             + month_alternation(english=True) + r")\b|(?:" + month_alternation(english=True)
                             + r")\s+\d{1,2}\b|\d{4}-\d{2}-\d{2}\b))", re.IGNORECASE)


def _against_a_time(m: re.Match[str]) -> str:
    return "jämfört med" if m.group(1).lower() == "mot" else "compared with"


# A month as a compound's first part before a report ("augustiuppföljningen", "aprilrapporten",
# "decemberprotokollet"): the report of that month, said apart ("uppföljningen i augusti").
_MONTH_COMPOUND = re.compile(r"\b(" + month_alternation() + r")(uppf[öo]ljning\w*|rapport\w*|tertial\w*|protokoll\w*"
                             r"|m[öo]te\w*|sammantr[äa]de\w*)\b", re.IGNORECASE)


# "later this month", "earlier this year", "later in the autumn": the period named, as its phrase says it
# ("later than September" is a bound, and is left as written).
_LATER_IN = re.compile(r"\b(?:later|earlier)\s+(?=(?:this|next|in\s+the)\s+(?:week|month|year|spring|summer|autumn"
                       r"|fall|winter|term)\b)", re.IGNORECASE)


_BACK_IN = re.compile(r"\bback\s+(?=(?:in|on|at)\s+(?:the\s+)?(?:\d|(?:" + month_alternation(english=True)
                      + r"|spring|summer|autumn|fall|winter)\b))", re.IGNORECASE)


def expand_contractions(text: str) -> str:
    """English contractions as whole words ("didn't" -> "did not", "who's" -> "who is")."""
    if "'" not in text and "’" not in text:
        return text
    text = _NOT.sub(lambda m: _NOT_STEMS.get(m.group(1).lower(), m.group(1)) + " not", text)
    text = _QUESTION_WORD.sub(lambda m: f"{m.group(1)} {_CONTRACTED[m.group(2).lower()]}", text)
    return _PRONOUN.sub(lambda m: f"{m.group(1)} {_CONTRACTED[m.group(2).lower()]}", text)


# "från vilken §", "which §": the sign asked for, as a word the cue tables can hold ("§ 12" keeps its sign).
_WHICH_SIGN = re.compile(r"\b(vilken|vilket|vilka|which|what)\s*§(?!\s*\d)", re.IGNORECASE)


def _which_sign(m: re.Match[str]) -> str:
    return f"{m.group(1)} {'paragraph' if m.group(1).lower() in ('which', 'what') else 'paragraf'}"


def which_sign(text: str) -> str:
    """"från vilken §" as "från vilken paragraf", "which §" as "which paragraph"."""
    return _WHICH_SIGN.sub(_which_sign, text)


# A capitalised word right before (at the start only if no question word): a first name an initial may follow.
_AFTER_NAME = re.compile(r"(?:\S\s+|^(?!(?:Vad|Va|Hur|Vem|När|Var|Vilk\w*|Är)\s))[A-ZÅÄÖ][a-zåäöéü]+\s+$")


def expand_abbreviations(text: str) -> str:
    """The text with abbreviations written out ("hur mkt" -> "hur mycket")."""
    def repl(m: re.Match[str]) -> str:
        word = m.group(1)
        if len(word) == 1 and word.isupper() and _AFTER_NAME.search(m.string, 0, m.start()):
            return m.group(0)  # "Maria E", "Lotta Q": a surname's initial after a first name, not "är"
        full = ABBREVIATIONS[word.lower()]
        full = full if not word[:1].isupper() or full[:1].isupper() else full.capitalize()
        genitive = m.group(2) or ""
        if genitive.startswith(("'", "’")):
            # An English genitive, only of a short form written in capitals ("AF's seat", "FK's member").
            return full + genitive if word.isupper() else m.group(0)
        # A genitive written with a colon ("FK:s bidrag") is the full name's genitive.
        return full + ("s" if genitive and not full.endswith("s") else "")
    text = _LATER_IN.sub("", _BACK_IN.sub("", _BY_A_DAY.sub("as of", expand_contractions(text))))
    text = _AGAINST_A_TIME.sub(_against_a_time, _ACRONYM_COMPOUND.sub(_acronym_compound, text))
    text = _PERIOD_COMPOUND.sub(lambda m: m.group(0) + " ", text)
    text = _MONTH_COMPOUND.sub(lambda m: f"{m.group(2)} i {m.group(1)}", text)
    text = _VA_TO_BE.sub(lambda m: f"{m.group('before')} vara", text)
    text = _VA_INSIDE.sub(lambda m: m.group(0) if m.group("before").lower() in _BEFORE_VAD
                          else f"{m.group('before')}{m.group('space')}var", text)
    text = _VA_WHERE.sub(lambda m: f"{m.group('before')} var" if m.group("before") else "var", text)
    text = _ME.sub("med", text)
    text = which_sign(text)
    text = _YEAR_WORDS.sub(_year_words, text)
    text = english_amounts(_TURN_OF_YEAR.sub(_turn_of_year, text))
    return _YEAR_TO_MONTH.sub(_year_to_month, paragraph_numbers(_WORD.sub(repl, text)))


# The shortest typed word read as a known word shortened ("tertialuppf").
ABBREVIATED_MIN = 8
_SORTED: dict[int, list[str]] = {}


def _shortens_known(folded: str, known: Collection[str]) -> bool:
    """Whether a known word begins with the typed word (the typed word is it shortened)."""
    ordered = _SORTED.get(id(known))
    if ordered is None or len(ordered) != len(known):
        ordered = _SORTED[id(known)] = sorted(known)
    at = bisect.bisect_left(ordered, folded)
    return at < len(ordered) and ordered[at].startswith(folded) and ordered[at] != folded


# The shortest known word a typed word may start with to be read as that word inflected or compounded.
STEM_MIN = 6
# A word as typed: letters only (a name with digits or a hyphen is left as written).
_TYPED_WORD = re.compile(r"(?<![\w-])([^\W\d_]{6,})(?![\w-])")


def untransposed(text: str, known: Collection[str], fold: Callable[[str], str]) -> str:
    """The text with a word of the question vocabulary whose two neighbouring letters were typed
    the wrong way round on a phone ("paragrpahs", "ersätatre") written right. Only a word of six
    letters or more that is itself no known word, set right only when exactly one swap makes one:
    names (capitalised inside the sentence) are left as written."""
    def starts_known(folded: str, swapped: int = 0) -> bool:
        # Cue words are matched as word starts ("represent" in "representerar"): a swap that makes
        # a word begin with a known word of STEM_MIN letters or more sets it right too, when the
        # swap lies inside that word, clear of its end ("prioritised" is no "priorities" + "d").
        return any(folded[:k] in known and swapped + 1 <= k - 2 for k in range(STEM_MIN, len(folded)))

    def repl(m: re.Match[str]) -> str:
        word = m.group(1)
        folded = fold(word.lower())
        if (m.start() > 0 and word[:1].isupper()) or folded in known:
            return word
        swaps = {word[:i] + word[i + 1] + word[i] + word[i + 2:]: i for i in range(len(word) - 1)
                 if word[i] != word[i + 1]}
        right = [w for w in swaps if fold(w.lower()) in known]
        if not right and not starts_known(folded):
            right = [w for w, i in swaps.items() if starts_known(fold(w.lower()), i)]
        if not right and len(word) >= ABBREVIATED_MIN and not _shortens_known(folded, known):
            # A shortened word with a swap in it ("tertilauppf" for "tertialuppf(öljningen)").
            right = [w for w in swaps if _shortens_known(fold(w.lower()), known)]
        return right[0] if len(right) == 1 else word
    return _TYPED_WORD.sub(repl, text)


# "mötet efter nov 23", "protokollet fr juni 21": a Swedish month and two digits, with no day before
# the month. Swedish writes a day before its month ("23 nov"), so the digits are the year's last two
# when a meeting of the store was held in that month of that year and none on such a day.
_MONTH_TWO_DIGITS = re.compile(r"(?<![\d.] )(?<![\d.])\b(" + month_alternation() + r")\.?\s+(\d{2})\b"
                               r"(?![.:,]?\d|\s*(?:kr|tkr|%|§|kl|st)\b|\s+(?:19|20)\d\d\b)", re.IGNORECASE)


def month_and_short_year(text: str, meeting_days: Iterable[dt.date]) -> str:
    """"nov 23" as "nov 2023" where the store's meetings say that reading is the one that fits."""
    if not _MONTH_TWO_DIGITS.search(text):
        return text
    days = list(meeting_days)
    months = {(d.year, d.month) for d in days}
    on_day = {(d.month, d.day) for d in days}

    def repl(m: re.Match[str]) -> str:
        month = MONTHS_SV_EN.get(m.group(1).lower())
        digits = int(m.group(2))
        if month is None or (2000 + digits, month) not in months or (month, digits) in on_day:
            return m.group(0)
        return f"{m.group(1)} {2000 + digits}"

    return _MONTH_TWO_DIGITS.sub(repl, text)


# A body's short form as a compound's first part ("AF-ansökan", "FK-ledamoten", "KS-beslutet"): the
# body's thing, written as its genitive ("Arbetsförmedlingens ansökan"). A compound that is a word of a
# name in the store ("AF-handläggare i samverkan") is that name; one asking for money ("FK-bidraget")
# is read by expand_abbreviations as the line of that body.
_BODY_COMPOUND = re.compile(r"(?<![\w'’.-])([A-ZÅÄÖa-zåäö]{2,5})-([^\W\d_]{3,})(?![\w-])")


# Inflected forms of the money words the line heads leave out ("FK-medlen" asks an amount).
MONEY_FORMS = ("medlen", "medlet")


def body_compounds(text: str, names: Collection[str]) -> str:
    """"AF-ansökan" as "Arbetsförmedlingens ansökan"; a compound in `names` (folded) is left as written."""
    from handlers.answers.text import LINE_HEADS
    from storage.swedish.cleaning import fold

    def repl(m: re.Match[str]) -> str:
        short, rest = m.group(1), m.group(2)
        body = ABBREVIATIONS.get(short.lower())
        if body is None or not body[:1].isupper() or " " in body or not short.isupper() \
                or fold(m.group(0)) in names or rest.lower().startswith((*LINE_HEADS, *MONEY_FORMS)):
            return m.group(0)
        return f"{body}{'' if body.endswith('s') else 's'} {rest}"

    return _BODY_COMPOUND.sub(repl, text)
