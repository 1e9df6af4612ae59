"""Decisions published as a news item: "Beslut i korthet från styrelsemötet 14 mars 2018".

A förbund's website tells what its board decided before the protocol is justerat: a heading
with the meeting's date (or a first sentence giving it), a publishing date that is not the
meeting's, then each decision under a heading of its own or as a bullet ("• Verksamhetsplan
2019: Styrelsen fastställde …"). No §: each decision is cited by its heading.

The headings, the verbs of deciding and the words of a publishing date are data below.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from storage.swedish.cleaning import PAGE_BREAK, collapse_ws
from storage.swedish.dates import first_date

NOTICE_KIND = "beslut i korthet"

# The heading of a news item of decisions (matched at the start of a line near the top).
NOTICE_HEADINGS = [
    r"beslut\s+i\s+korthet",
    r"(?:styrelsens|förbundsstyrelsens|nämndens|direktionens)\s+beslut\b",
    r"nytt\s+från\s+(?:styrelse|nämnd|direktion)\w*",
    r"kort(?:a)?\s+(?:om|från)\s+(?:styrelse|förbundsstyrelse|nämnd|direktion)\w*",
    r"(?:beslut|nyheter)\s+från\s+(?:styrelse|förbundsstyrelse|nämnd|direktion)\w*",
]
_HEADING_RE = re.compile(rf"^(?:{'|'.join(NOTICE_HEADINGS)})", re.IGNORECASE)
HEADING_LINES = 15  # the heading stands among the first lines
# A sentence that gives the meeting's date when the heading does not: "Styrelsen sammanträdde den …".
_MEETING_WORDS_RE = re.compile(r"\b(?:sammanträdde|sammanträdet|möttes|mötet|styrelsemötet|sammanträde)\b",
                               re.IGNORECASE)
# A date that is the page's, not the meeting's.
_PUBLISHED_RE = re.compile(r"^(?:publicerad|publicerat|uppdaterad|senast\s+(?:ändrad|uppdaterad)|skriven|"
                           r"datum\s+för\s+publicering)\b", re.IGNORECASE)
# The verbs of a decision, as news items write them (past and present tense).
DECISION_VERBS = (
    "beslutade", "beslöt", "beslutar", "fastställde", "fastställer", "godkände", "godkänner", "beviljade", "beviljar",
    "antog", "antar", "valde", "väljer", "utsåg", "utser", "tilldelade", "tilldelar", "avslog", "avslår", "uppdrog",
    "uppdrar", "tillstyrkte", "tillstyrker", "lade", "lägger", "gav", "ger", "avsatte", "avsätter",
)
_VERB_RE = re.compile(rf"\b(?:{'|'.join(DECISION_VERBS)})\b", re.IGNORECASE)
# Who decides: where a bullet's heading ends and its decision begins ("Ny insats: Stegvis: Styrelsen …").
DECIDERS = ("styrelsen", "förbundsstyrelsen", "nämnden", "direktionen", "förbundet", "samordningsförbundet",
            "kommunstyrelsen", "fullmäktige", "kommunfullmäktige", "arbetsutskottet")
_DECIDER_RE = re.compile(rf"^(?:{'|'.join(DECIDERS)})\b", re.IGNORECASE)
# A bullet, also as a scan reads it.
_BULLET_RE = re.compile(r"^\s*[•\-–*·«»©°]\s*(?=[A-ZÅÄÖ])")
_RUN_ON_ITEM_RE = re.compile(rf"(?<=[.!?])\s+(?:[•·«»©°]\s*)?(?=[A-ZÅÄÖ](?:[^.!?:\n]{{1,80}}:\s+){{1,2}}"
                             rf"(?i:{'|'.join(DECIDERS)})\b)")
_HEADING_MAX = 90


@dataclass
class ParsedDecision:
    heading: str
    text: str
    page: int | None = None


@dataclass
class ParsedNotice:
    meeting_date: dt.date
    heading: str
    decisions: list[ParsedDecision] = field(default_factory=list)


def find_notice(lines: list[str]) -> ParsedNotice | None:
    """The news item's meeting date and decisions; None when the text is no such item (no
    heading, no meeting date, or no decision under it)."""
    top = [i for i, line in enumerate(lines) if line.strip() and line != PAGE_BREAK][:HEADING_LINES]
    start = next((i for i in top if _HEADING_RE.match(lines[i].strip())), None)
    if start is None:
        return None
    heading = collapse_ws(lines[start])
    meeting_date = first_date(heading) or _date_below(lines, start)
    if meeting_date is None:
        return None
    notice = ParsedNotice(meeting_date, heading)
    page = 1 + sum(1 for line in lines[:start] if line == PAGE_BREAK)
    block: list[str] = []
    block_page = page
    last: ParsedDecision | None = None  # the item a wrapped line goes on
    for line in [*lines[start + 1 :], ""]:
        if line == PAGE_BREAK:
            page += 1
            continue
        s = line.strip()
        if not s:
            _close(notice, block, block_page)
            block, last = [], None
            continue
        bulleted = bool(_BULLET_RE.match(s))
        # Items written "Heading: Styrelsen beslutade …", with or without their bullet (a scan
        # loses it or reads it as «), and run into one line by a PDF's text layer or OCR.
        items = [_bullet(piece) for piece in _RUN_ON_ITEM_RE.split(_BULLET_RE.sub("", s))]
        if all(items) and not block:
            for item in items:
                if item:
                    last = ParsedDecision(*item, page=page)
                    notice.decisions.append(last)
            continue
        if bulleted:
            _close(notice, block, block_page)
            block, last = [], None
            continue
        if last is not None:
            last.text = collapse_ws(f"{last.text} {s}")  # the item wraps onto this line
            continue
        if not block:
            block_page = page
        block.append(s)
    return notice if notice.decisions else None


def _date_below(lines: list[str], start: int) -> dt.date | None:
    """The meeting's date in a sentence just below a heading that gives none."""
    for line in lines[start + 1 : start + 8]:
        s = line.strip()
        if not s or _PUBLISHED_RE.match(s) or not _MEETING_WORDS_RE.search(s):
            continue
        found = first_date(s)
        if found:
            return found
    return None


def _is_heading(line: str) -> bool:
    return len(line) <= _HEADING_MAX and line[:1].isupper() and not line.endswith((".", "!", "?", ":")) \
        and not _VERB_RE.search(line) and not _PUBLISHED_RE.match(line)


def _close(notice: ParsedNotice, block: list[str], page: int) -> None:
    """A block of a heading line and the decision under it."""
    if len(block) < 2 or not _is_heading(block[0]):
        return
    text = collapse_ws(" ".join(block[1:]))
    if _VERB_RE.search(text):
        notice.decisions.append(ParsedDecision(block[0], text, page))


def _bullet(text: str) -> tuple[str, str] | None:
    """'Ny insats: Stegvis: Styrelsen beslutade …' -> ('Ny insats: Stegvis', 'Styrelsen beslutade …'):
    the split before who decides, else the last one before a decision."""
    splits = [m.end() for m in re.finditer(r":\s+", text)]
    candidates = [k for k in splits if _VERB_RE.search(text[k:]) and text[k : k + 1].isupper()]
    if not candidates:
        return None
    chosen = next((k for k in candidates if _DECIDER_RE.match(text[k:])), candidates[-1])
    head = text[:chosen].rstrip().rstrip(":").strip()
    if not head or not _is_heading(head):
        return None
    return head, collapse_ws(text[chosen:])
