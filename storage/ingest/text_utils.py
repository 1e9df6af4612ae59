"""Small readers shared by the parsers: places, case numbers, names, cleaning.

Dates, periods and clock times are read by storage.swedish.dates, amounts by
storage.swedish.amounts.

Everything here works on text as PDF extraction leaves it: non-breaking spaces, markdown
bold, OCR slips, page furniture. Nothing here raises on odd input; a reader that finds
nothing returns None.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from storage.swedish import WEEKDAY_FORMS
from storage.swedish.dates import ISO_DATE_RE, ISO_PERIOD_RE, SWEDISH_DATE_RE, TIME_RANGE_RE

# Weekday words: the one table, in storage.swedish (from babel).
WEEKDAYS = WEEKDAY_FORMS
_WEEKDAY_RE = re.compile(
    r"\b(?:" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")(?:en|ar)?\b\.?", re.IGNORECASE
)

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
    s = _WEEKDAY_RE.sub(" ", s)
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


# --- cleaning -----------------------------------------------------------------------------

_FURNITURE_RES = [
    re.compile(r"^justerandes?\s+(?:signatur|sign|signaturer)\b.*$", re.IGNORECASE),
    re.compile(r"^(?:justerandes?\s+)?utdragsbestyrkande:?\s*$", re.IGNORECASE),
    re.compile(r"^(?:sida|sid|page)\s*\d+(?:\s*(?:av|of|/|\()\s*\d+\)?)?\s*$", re.IGNORECASE),
    re.compile(r"^\d{1,3}\s*\(\d{1,3}\)\s*$"),
    re.compile(r"^[-–—\s]*\d{1,3}[-–—\s]*$"),
    # Handwritten initials in the margin, as OCR gives them: "mf", "mf *KE*", "bjf KE.", "mf *16.*".
    re.compile(r"^[a-zåäö]{1,4}\.?(?:\s+\*?[A-ZÅÄÖa-zåäö0-9]{1,4}\.?\*?\.?){0,2}\s*$"),
    re.compile(r"^\*?[A-ZÅÄÖ]{1,3}\.?\*?$"),
    re.compile(r"^\*[^*\n]*(?:handwritten|handskriv|signature|signatur|initial|stamp|stämpel|logo)[^*\n]*\*\.?$",
               re.IGNORECASE),
    re.compile(r"^[-_=\s\t]{3,}$"),
]
# Short lines that look like initials but are words.
_KEEP_SHORT = {"att", "och", "ja", "nej", "ej", "ok", "nr", "st", "kl", "av", "om", "i", "på", "se", "jfr", "bl a"}
_HTML_BLOCK_RE = re.compile(r"</?(?:p|br|tr|table|thead|tbody|div|li|ul|ol|h\d)\b[^>]{0,300}>", re.IGNORECASE)
_HTML_CELL_RE = re.compile(r"</?(?:td|th)\b[^>]{0,300}>", re.IGNORECASE)
_HTML_INLINE_RE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]{0,10}\b[^>]{0,300}>")


# The furniture patterns as one alternation (each keeping its own flags): one match per line
# instead of nine.
_FURNITURE_RE = re.compile("|".join(
    f"(?i:{r.pattern})" if r.flags & re.IGNORECASE else f"(?:{r.pattern})" for r in _FURNITURE_RES))


# A line longer than 6 characters that starts with one of these capitals is text: of the
# furniture patterns, only those for "Justerandes signatur", "Utdragsbestyrkande", "Sida 2" and
# "Page 2" start with a capital letter, or the initials, at most 6 characters.
_TEXT_CAPITALS = frozenset("ABCDEFGHIKLMNOQRTVWXYZÅÄÖ")


def is_furniture(line: str) -> bool:
    s = line.strip()
    if not s or (len(s) > 6 and s[0] in _TEXT_CAPITALS):
        return False
    if len(s) <= 4 and s.lower() in _KEEP_SHORT:  # lower() never shortens a string
        return False
    return _FURNITURE_RE.match(s) is not None


PAGE_BREAK = "\f"


def page_breaks(lines: list[str]) -> list[int]:
    """Indexes of the page-break lines: line i is on page 1 + (breaks before i)."""
    return [i for i, line in enumerate(lines) if line == PAGE_BREAK]


# Characters extraction leaves that mean something plainer: spaces of every width are spaces,
# line and paragraph separators are newlines, soft hyphens, zero-width spaces and byte-order
# marks are nothing. Pairs for str.replace (faster than translate() character by character).
_CHARACTER_FIXES = (("\u00a0", " "), ("\u2007", " "), ("\u202f", " "), ("\u2009", " "), ("\u200a", " "),
                    ("\u2028", "\n"), ("\u2029", "\n"), ("\u00ad", ""), ("\u200b", ""), ("\ufeff", ""))


def normalise_characters(text: str) -> str:
    """One newline convention, composed letters (å is one code point), plain spaces: the one
    cleaning of characters, for extraction (storage.ingest.extract) and parsing alike."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    for char, replacement in _CHARACTER_FIXES:
        if char in text:
            text = text.replace(char, replacement)
    return text


def clean_text(text: str) -> str:
    """Normalises extraction noise but keeps the layout (lines and tabs) the parsers rely on."""
    text = normalise_characters(text)
    text = _HTML_BLOCK_RE.sub("\n", text)
    text = _HTML_CELL_RE.sub("\t", text)
    text = _HTML_INLINE_RE.sub("", text)
    text = text.replace("**", "").replace("__", "")
    text = _UNDERLINE_RE.sub(" ", text)
    lines: list[str] = []
    # Each substitution is tried only on lines holding what it looks for: most lines hold none.
    for raw in text.split("\n"):
        if raw == PAGE_BREAK:
            # A page break stays a line of its own (blank to every reader) so § can cite pages.
            lines.append(raw)
            continue
        line = raw.rstrip()
        if line.startswith("#"):
            line = _HASH_HEADING_RE.sub("", line)
        # A wide gap or a dotted leader ("Ordförande ....... Anna Alm") is a column break.
        if "   " in line:
            line = _WIDE_GAP_RE.sub("\t", line)
        if "...." in line or "…" in line:
            line = _LEADER_RE.sub("\t", line)
        if "  " in line:
            line = _DOUBLE_SPACE_RE.sub(" ", line)
        # *emphasis* -> emphasis
        if is_furniture(line):
            line = ""
        elif "*" in line:
            line = _EMPHASIS_RE.sub(r"\1", line)
        lines.append(line)
    return "\n".join(_join_page_breaks(_drop_repeated_heads(lines)))


# A page head in a text file: lines repeated on page after page ("Samordningsförbundet X",
# "Protokoll nr 7", "Sammanträdesdatum 2019-05-02"), standing together with each other or
# with a page number. Its first appearance (the letterhead) stays.
HEAD_REPEATS = 3
HEAD_MAX_CHARS = 80


def _drop_repeated_heads(lines: list[str]) -> list[str]:
    counts: dict[str, int] = {}
    for line in lines:
        s = line.strip()
        if s and len(s) <= HEAD_MAX_CHARS and "\t" not in line:
            counts[s] = counts.get(s, 0) + 1
    repeated = {s for s, n in counts.items() if n >= HEAD_REPEATS and not s.startswith("§")}
    if not repeated:
        return lines
    drop: set[int] = set()
    seen: set[str] = set()
    i = 0
    while i < len(lines):
        # A cluster: the run of non-blank lines from here that are all repeated.
        j = i
        cluster: list[int] = []
        while j < len(lines) and (not lines[j].strip() or lines[j].strip() in repeated):
            if lines[j].strip():
                cluster.append(j)
            j += 1
        if len(cluster) >= 2:
            if all(lines[k].strip() in seen for k in cluster) and not _prose(lines[k] for k in cluster):
                # The whole head goes, with the blank lines (emptied page numbers) around it.
                start = i
                while start > 0 and not lines[start - 1].strip():
                    start -= 1
                drop.update(range(start, j))
            seen.update(lines[k].strip() for k in cluster)
            i = j
        else:
            for k in cluster:
                seen.add(lines[k].strip())
            i = max(j, i + 1)
    if not drop:
        return lines
    out: list[str] = []
    for k, line in enumerate(lines):
        if k in drop:
            # Keep one blank line between prose; none inside a table that ran over the page.
            if k + 1 not in drop and out and "\t" not in out[-1] and out[-1].strip():
                out.append("")
            continue
        out.append(line)
    return out


def _prose(lines: Iterable[str]) -> bool:
    """Whether a repeated run of lines is the document's own text rather than a page head: a
    sentence ("Att lägga beslutet till handlingarna.") after a label that opens it
    ("Samordningsförbundet beslutar:"), as a protocol repeats its standard decisions."""
    stripped = [line.strip() for line in lines]
    return any(s.endswith(":") for s in stripped) and any(s.endswith(".") and len(s.split()) >= 3 for s in stripped)


_UNDERLINE_RE = re.compile(r"_{3,}")
_HASH_HEADING_RE = re.compile(r"^#{1,6}\s+")
_WIDE_GAP_RE = re.compile(r"(?<=\S) {3,}(?=\S)")
_LEADER_RE = re.compile(r"[ \t]*[.…]{4,}[ \t]*")
_DOUBLE_SPACE_RE = re.compile(r"[ ]{2,}")
_EMPHASIS_RE = re.compile(r"(?<![\w*])\*(\S[^*\n]*?)\*(?![\w*])")
# A line ending in one of these stops mid-sentence ([a-zåäö,]$, without a pattern that would
# try every position of the line).
_MID_SENTENCE_ENDS = frozenset("abcdefghijklmnopqrstuvwxyzåäö,")
_STARTS_LOWER_RE = re.compile(r"[a-zåäö]")


def _join_page_breaks(lines: list[str]) -> list[str]:
    """Rejoins a sentence split by a page break (blank lines between two halves of a sentence)."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() and "\t" not in line and line[-1] in _MID_SENTENCE_ENDS:
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            if (
                j > i + 1
                and j < len(lines)
                and "\t" not in lines[j]
                and _STARTS_LOWER_RE.match(lines[j].strip())
                and len(line) > 40
            ):
                out.append(line.rstrip() + " " + lines[j].strip())
                i = j + 1
                continue
        out.append(line)
        i += 1
    return out


def collapse_ws(text: str) -> str:
    # What re.sub(r"\s+", " ", text).strip() gives (\s and str.split agree on whitespace),
    # without a regex: it runs on nearly every line.
    return " ".join(text.split())


_LIST_DASH_RE = re.compile(r"^\s*[-•–*]\s+")


def strip_list_dash(line: str) -> str:
    return _LIST_DASH_RE.sub("", line).strip()


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


def body_kind(name: str) -> str | None:
    low = name.lower()
    if "försäkringskassan" in low:
        return "försäkringskassan"
    if "arbetsförmedlingen" in low:
        return "arbetsförmedlingen"
    if low.startswith("region") or "landsting" in low:
        return "region"
    if low.endswith(("kommun", "stad")):
        return "kommun"
    return None


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
