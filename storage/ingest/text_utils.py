"""Small readers shared by the parsers: places, case numbers, names and member bodies.

The Swedish text toolkit (storage.swedish) reads dates, periods and clock times (`dates`),
amounts (`amounts`) and cleans extraction noise (`cleaning`).

Everything here works on text as PDF extraction leaves it: non-breaking spaces, markdown
bold, OCR slips, page furniture. Nothing here raises on odd input; a reader that finds
nothing returns None.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from storage.swedish import WEEKDAY_RE
from storage.swedish.cleaning import collapse_ws
from storage.swedish.dates import ISO_DATE_RE, ISO_PERIOD_RE, SWEDISH_DATE_RE, TIME_RANGE_RE

DNR_RE = re.compile(
    r"\b(?:dnr|diarienr|diarienummer|diarie nr)\.?\s*:?\s*"
    r"([A-ZÅÄÖ]{0,4}\s?\d{1,4}(?:\s?[:/.-]\s?\d{1,5}){1,3})",
    re.IGNORECASE,
)

# --- places -------------------------------------------------------------------------------

_PLACE_FILLER_RE = re.compile(
    r"(?i)\b(?:nästa\s+(?:möte|sammanträde|styrelsemöte)|äger\s+rum|hålls|planeras|är\s+planerat|"
    r"styrelsemöte(?:t)?|styrelsesammanträde(?:t)?|sammanträde(?:t)?|verksamhetsplaneringsdag(?:en)?|"
    r"planeringsdag(?:en)?|strategidag(?:en)?|styrelsens|förbundets|mötet|möte|den|kl\.?|klockan|ca|cirka)\b")


_SPACE_COMMA_RE = re.compile(r"\s+,")
_EMPTY_BRACKETS_RE = re.compile(r"\(\s*\)")
_PLACE_PREPOSITION_RE = re.compile(r"^(?:i|på|via|hos)\s+", re.I)
_LETTER_RE = re.compile(r"[A-Za-zÅÄÖåäö]")


def tidy_place(value: str) -> str | None:
    """What is left of 'Fre. 2 februari i Timrå, kl. 9-12' once date, time and fillers go: 'Timrå'."""
    s = value.split("\t")[0]
    s = TIME_RANGE_RE.sub(" ", s)
    s = ISO_PERIOD_RE.sub(" ", s)
    s = ISO_DATE_RE.sub(" ", s)
    s = SWEDISH_DATE_RE.sub(" ", s)
    s = WEEKDAY_RE.sub(" ", s)
    s = _EMPTY_BRACKETS_RE.sub(" ", s)  # "(fredag)" once the weekday is gone
    s = _PLACE_FILLER_RE.sub(" ", s)
    s = _SPACE_COMMA_RE.sub(",", collapse_ws(s)).strip(" ,.;:-–")
    s = _PLACE_PREPOSITION_RE.sub("", s).strip(" ,.;:-–")
    if not s or len(s) > 80 or not _LETTER_RE.search(s):
        return None
    return s


# --- case numbers ---------------------------------------------------------------------------


def find_dnr(text: str) -> str | None:
    m = DNR_RE.search(text)
    if not m:
        return None
    return "".join(m.group(1).split())


# --- names and organisations --------------------------------------------------------------

_LOWER_IN_NAMES = {"i", "och", "län", "för", "av", "på", "de", "von", "af", "van", "der"}


def smart_case(text: str) -> str:
    """'SAMORDNINGSFÖRBUNDET I JÄMTLANDS LÄN' -> 'Samordningsförbundet i Jämtlands län'.

    Mixed-case text is left as written.
    """
    letters = [c for c in text if c.isalpha()]
    if not letters or any(c.islower() for c in letters):
        return text
    words = []
    for i, word in enumerate(text.split(" ")):
        lower = word.lower()
        if i > 0 and lower in _LOWER_IN_NAMES:
            words.append(lower)
        else:
            words.append("-".join(p[:1].upper() + p[1:].lower() for p in word.split("-")))
    return " ".join(words)


_WORD_RE = re.compile(r"[\wåäöéü]+")
# Digits OCR reads for letters ("Sj6by", "Rönnh0lm"), replaced only inside a word with letters.
_OCR_DIGITS = str.maketrans({"6": "o", "0": "o", "1": "l", "5": "s"})
_LETTER_DIGIT_RE = re.compile(r"(?<=[^\W\d_])\d|\d(?=[^\W\d_])")


def ocr_fold(text: str) -> str:
    """Lower case without diacritics or OCR's digit-for-letter slips: what a scan keeps of a word.

    'Sjöby', 'Sjoby' and 'Sj6by' all give 'sjoby'; 'Älvsund' and 'Alvsund' give 'alvsund'.
    """
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _LETTER_DIGIT_RE.sub(lambda m: m.group(0).translate(_OCR_DIGITS), text)


_ORG_DROP = {ocr_fold(w) for w in
             ("samordningsförbundet", "samordningsförbund", "samordningsförbunden", "finsam", "i", "förbundet")}


def organisation_key(name: str) -> str:
    """One key for the variants of a förbund's name.

    'Samordningsförbundet Härnösand – Timrå', 'SAMORDNINGSFÖRBUNDET HÄRNÖSAND TIMRÅ' and
    'Härnösand-Timrå' all give 'harnosandtimra': folded as a scan reads it (`ocr_fold`), so a
    scanned 'Harnosand' is the same förbund.
    """
    words = _WORD_RE.findall(ocr_fold(name or ""))
    kept = [w for w in words if w not in _ORG_DROP]
    return "".join(kept)


# A word of a person's name: capitalised, may be hyphenated ("Lars-Gunnar"), may carry an accent.
NAME_WORD = r"[A-ZÅÄÖÉÜØÆ][a-zåäöéèüøæßí'’]+(?:-[A-ZÅÄÖÉÜa-zåäöéü][a-zåäöéèüøæí'’]+)*"
NAME_RE = re.compile(rf"{NAME_WORD}(?:\s+(?:(?:von|af|de|van|der|la|le)\s+)?{NAME_WORD}){{1,2}}")
PARTY_RE = re.compile(r"\(\s*([A-ZÅÄÖ]{1,4}|[A-ZÅÄÖ][a-zåäö]{0,3}|MP|KD|SD|V|L|C|M|S)\s*\)")

# Words that never belong to a person's name: organisations, roles, document words.
NOT_NAME_WORDS = {
    "samordningsförbundet", "samordningsförbund", "region", "regionen", "kommun", "kommunen", "kommuner",
    "försäkringskassan", "arbetsförmedlingen", "landsting", "landstinget", "styrelsen", "styrelse",
    "protokoll", "protokollet", "ordförande", "sekreterare", "justerare", "justerande", "förbundschef",
    "datum", "plats", "tid", "underskrift", "underskrifter", "sammanträdesdatum", "beslutande", "bevis",
    "anslag", "paragrafer", "övriga", "närvarande", "ledamöter", "ersättare", "utdragsbestyrkande",
    "justerandes", "vakant", "förvaringsplats", "enligt", "förteckning", "mötet", "mötets", "att",
    "dagordning", "beslut", "information", "verksamhetsplan", "budget", "tertialuppföljning", "kansli",
    "stad", "län", "läns", "organ", "justering", "justeringens", "utses", "sverige", "signerat", "the",
    "and", "teams", "zoom", "skype", "oneflow", "vice", "kallelse", "bilaga", "ärende",
}


_NAME_SPLIT_RE = re.compile(r"[\s-]+")


# Asked of the same candidates over and over (header lines, list items, signature blocks).
@lru_cache(maxsize=16384)
def is_person_name(text: str) -> bool:
    """Two or three capitalised words, none of them an organisation or document word."""
    s = collapse_ws(PARTY_RE.sub("", text))
    if not NAME_RE.fullmatch(s):
        return False
    return all(w.lower() not in NOT_NAME_WORDS for w in _NAME_SPLIT_RE.split(s))


def name_key(name: str) -> str:
    return collapse_ws(name).lower()


# --- member bodies ------------------------------------------------------------------------

_BODY_SINGLE = {
    "försäkringskassan", "arbetsförmedlingen", "regionen", "landstinget", "kommunen", "kommunerna",
}
_BODY_RE = re.compile(
    r"^(?:Region\s+\S.*|.*\s(?:kommun|kommuner|stad|landsting|landstinget|kommunförbund)|\S*regionen|"
    r"Försäkringskassan|Arbetsförmedlingen|Regionen|Landstinget|Samordningsförbundet.*)$"
)


def is_member_body(text: str) -> bool:
    s = collapse_ws(text).rstrip(".")
    if s.lower() in _BODY_SINGLE:
        return True
    return bool(_BODY_RE.match(s))


@lru_cache(maxsize=4096)
def nominative_body(text: str) -> str:
    """'Timrå kommuns' -> 'Timrå kommun'; 'Försäkringskassans' -> 'Försäkringskassan'."""
    s = collapse_ws(text)
    low = s.lower()
    for gen, nom in (("kommuns", "kommun"), ("stads", "stad"), ("landstings", "landsting"),
                     ("försäkringskassans", "Försäkringskassan"),
                     ("arbetsförmedlingens", "Arbetsförmedlingen"), ("regionens", "Regionen")):
        if low.endswith(gen):
            return s[: len(s) - len(gen)] + nom
    if low.startswith("region ") and low.endswith("s") and not low.endswith(("läns", "län")):
        return s[:-1]
    return s


@lru_cache(maxsize=4096)  # compared against every known body for every applicant named
def body_loose_key(name: str) -> str:
    """A key that forgives genitive slips: 'Härnösand kommun' and 'Härnösands kommun' match."""
    words = _WORD_RE.findall(name.lower())
    return " ".join(w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words)
