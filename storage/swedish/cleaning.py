"""Cleaning of extraction noise: what a PDF, a Word file or OCR leaves in the text.

- `normalise_characters`: one newline convention, composed letters, plain spaces (extraction);
- `clean_text`: a whole document, keeping the layout the parsers rely on (lines, tabs, page
  breaks): HTML and Markdown, page furniture ("Justerandes signatur", "3 (21)", initials in
  the margin), page heads repeated on every page, sentences split by a page break;
- `strip_markup`: the light cleaning of one table cell or one line;
- `collapse_ws`, `strip_list_dash`: one line's spaces and list dash.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

# Thousands are separated by a space in Swedish; PDFs also give no-break and thin spaces.
_SPACES = re.compile(r"[\u00a0\u2007\u2009\u202f\u2002\u2003]")


def normalise_spaces(text: str) -> str:
    return _SPACES.sub(" ", text)


_SUP = re.compile(r"<sup>.*?</sup>", re.I | re.S)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
# Lookaheads that change no match but let the engine skip ahead fast; strip_markup runs on
# every cell and on whole documents.
_EMPHASIS = re.compile(r"(?=[*_])(?:\*\*|__|(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w))")
_HEADING = re.compile(r"^\s*#+\s*")


@lru_cache(maxsize=65536)
def strip_markup(text: str) -> str:
    """Drops HTML tags (footnote superscripts with their content), Markdown emphasis and headings."""
    # Table cells are read many times over and rarely hold markup: skip what cannot apply.
    if "<" in text:
        text = _SUP.sub("", text)
        text = _TAG.sub(" ", text)
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub("", text)
    if "#" in text:
        text = _HEADING.sub("", text)
    # Each run of spaces and tabs becomes one space; str.replace does it several times faster
    # than a pattern, which matters on whole documents.
    text = normalise_spaces(text).replace("\t", " ")
    while "  " in text:
        text = text.replace("  ", " ")
    return text.strip()


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
HTML_TAG_RE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]{0,10}\b[^>]{0,300}>")


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
    text = HTML_TAG_RE.sub("", text)
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
        if k in drop and line != PAGE_BREAK:  # the page break stays: facts cite their page
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
                # The page break stays, after the sentence it splits: the lines after it are
                # still on the next page.
                out.extend(PAGE_BREAK for k in range(i + 1, j) if lines[k] == PAGE_BREAK)
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


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """A word in lower case without accents: people type "harnosand" and "forbund" on a phone."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
