"""Planned meetings: sammanträdesplaner, "Nästa möte", dated mentions and a kallelse's meeting."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from storage.ingest.parsed import ParsedMeeting, ParsedParagraph
from storage.ingest.sections import Layout, Section
from storage.ingest.text_utils import tidy_place
from storage.swedish import month_number
from storage.swedish.cleaning import collapse_ws
from storage.swedish.dates import (
    DAY_PATTERN,
    ISO_DATE_RE,
    SWEDISH_DATE_RE,
    find_dates,
    first_date,
    make_date,
    parse_time_range,
)

_PLAN_TITLE_RE = re.compile(
    r"sammanträdesplan|mötesplan|mötestider|sammanträdestider|sammanträdesdagar|sammanträdesdatum|"
    r"mötesdatum|mötesdagar|årshjul|kommande\s+(?:möten|sammanträden)|nästa\s+(?:möte|sammanträde|styrelsemöte)|"
    r"tider\s+för\s+(?:styrelsens\s+)?(?:möten|sammanträden)|datum\s+för\s+(?:styrelsens\s+)?(?:möten|sammanträden)",
    re.I)
_NEXT_TITLE_RE = re.compile(r"nästa\s+(?:möte|sammanträde|styrelsemöte)", re.I)
_PLANNING_DAY_RE = re.compile(r"planeringsdag|strategidag|planeringsmöte|internat|heldag", re.I)
# The lookahead only names the first letters the words below can start with: no match changes,
# but the engine skips the other positions fast.
_MENTION_RE = re.compile(
    r"(?=[nksfmvp])\b(?:nästa\s+|kommande\s+|styrelsens\s+|förbundsstyrelsens\s+)?"
    r"(sammanträdet|sammanträde|styrelsemötet|styrelsemöte|styrelsesammanträdet|mötet|"
    r"verksamhetsplaneringsdagen|verksamhetsplaneringsdag|planeringsdagen|planeringsdag|strategidagen|strategidag)"
    r"(?:\s+(?:hålls|äger\s+rum|planeras|sker|blir|genomförs|är\s+planerad|är))?"
    r"\s+(?:den\s+|på\s+\w+dagen\s+den\s+|\w+dagen\s+den\s+)?"
    rf"({DAY_PATTERN})",
    re.I)
# "... den 3 februari 2023 i Skövde", "... den 24 september, kl. 9-12, i Östersund"
_MENTION_PLACE_RE = re.compile(
    r"^(?:,?\s*kl(?:ockan)?\.?\s*[\d.:\s–-]+)?,?\s+(?:i|på)\s+([A-ZÅÄÖ][\wåäö-]+(?:\s+[A-ZÅÄÖ][\wåäö-]+)?)")
_FUTURE_RE = re.compile(r"\b(?:ska|skall|kommer|tas\s+upp|planeras|nästa|kommande|hålls|äger\s+rum|blir|inför)\b",
                        re.I)
_PAST_RE = re.compile(r"\b(?:genomfördes|hölls|beslutade|beslöt|var|ägde\s+rum|skedde)\b", re.I)
_AGENDA_ITEM_RE = re.compile(r"^[\s*]*(?:§\s*)?(\d{1,2})\s*[.)]?\s+(\S.*)$")
_KALLELSE_PLACE_RE = re.compile(r"^(?:lokal|plats|mötesplats|plats\s+och\s+tid|tid\s+och\s+plats)\b\s*:?\s*(.*)$",
                                re.I)


def meetings_from_paragraphs(paragraphs: list[ParsedParagraph], meeting_date: dt.date | None) -> list[ParsedMeeting]:
    meetings: list[ParsedMeeting] = []
    for p in paragraphs:
        if _PLAN_TITLE_RE.search(p.title):
            meetings += _plan(p, meeting_date)
        else:
            meetings += _mentions(p, meeting_date)
    return meetings


def _plan(p: ParsedParagraph, meeting_date: dt.date | None) -> list[ParsedMeeting]:
    title_year = re.search(r"\b((?:19|20)\d{2})\b", p.title)
    year = int(title_year.group(1)) if title_year else (meeting_date.year if meeting_date else None)
    roll = title_year is None
    decision = p.decision or ""
    out: list[ParsedMeeting] = []
    for line in p.body.split("\n"):
        line = line.strip(" -•\t")
        if not line or (decision and line in decision and not _has_day(line)):
            continue
        if not _has_day(line) or re.search(r"\b(?:genomfördes|hölls|ägde\s+rum)\b", line, re.I):
            continue
        dates = [d for _, d in find_dates(line, year)]
        if not dates:
            continue
        start, end = parse_time_range(line, bare=True)
        kind = "planeringsdag" if _PLANNING_DAY_RE.search(line) else "styrelsemöte"
        place = tidy_place(line)
        for d in dates:
            if roll and meeting_date and d <= meeting_date and not _explicit_year(line):
                d = make_date(d.year + 1, d.month, d.day) or d
            if meeting_date and d <= meeting_date:
                continue
            out.append(ParsedMeeting(date=d, start_time=start, end_time=end, place=place, kind=kind,
                                     paragraph_number=p.number, basis="plan"))
        if _NEXT_TITLE_RE.search(p.title) and out:
            # "Nästa möte": the first date is the meeting; later ones are other things.
            break
    return out


def _has_day(line: str) -> bool:
    return bool(SWEDISH_DATE_RE.search(line) or ISO_DATE_RE.search(line))


def _explicit_year(line: str) -> bool:
    return bool(ISO_DATE_RE.search(line) or re.search(r"\b(?:19|20)\d{2}\b", line))


def _mentions(p: ParsedParagraph, meeting_date: dt.date | None) -> list[ParsedMeeting]:
    out: list[ParsedMeeting] = []
    # Every meeting word of _MENTION_RE holds one of these (spelled without i and s, which
    # IGNORECASE also matches in other scripts): most paragraphs are ruled out without it.
    low = p.body.lower()
    if not ("ammantr" in low or "möte" in low or "laner" in low or "trateg" in low):
        return out
    for m in _MENTION_RE.finditer(p.body):
        sentence_start = max(p.body.rfind(".", 0, m.start()), p.body.rfind("\n", 0, m.start())) + 1
        sentence = p.body[sentence_start : p.body.find(".", m.end()) if "." in p.body[m.end():] else len(p.body)]
        if _PAST_RE.search(sentence):
            continue
        d = first_date(m.group(2), meeting_date.year if meeting_date else None)
        if d is None or meeting_date is None:
            continue
        if d <= meeting_date and _FUTURE_RE.search(sentence) and not re.search(r"\b(?:19|20)\d{2}\b", m.group(2)):
            # "tas upp vid styrelsemötet den 14 februari" in a November protocol: next year.
            d = make_date(d.year + 1, d.month, d.day) or d
        if d <= meeting_date:
            continue
        kind = "planeringsdag" if _PLANNING_DAY_RE.search(m.group(1)) else "styrelsemöte"
        start, end = parse_time_range(sentence)
        where = _MENTION_PLACE_RE.match(p.body[m.end() :])
        out.append(ParsedMeeting(date=d, start_time=start, end_time=end, kind=kind, paragraph_number=p.number,
                                 place=where.group(1) if where else None))
    return out


def kallelse_meeting(layout: Layout, section: Section) -> ParsedMeeting | None:
    lines = [ln.strip() for ln in layout.lines[section.start : section.end]]
    head = [ln for ln in lines if ln][:8]
    when: dt.date | None = None
    start = end = None
    kind = "styrelsemöte"
    place = None
    for line in head:
        if re.search(r"juster|anslag", line, re.I):
            continue
        if when is None:
            when = first_date(line)
            if when and _PLANNING_DAY_RE.search(line):
                kind = "planeringsdag"
        if start is None:
            start, end = parse_time_range(line)
        m = _KALLELSE_PLACE_RE.match(line)
        if m and place is None:
            place = tidy_place(m.group(1))
    if when is None:
        return None
    if _PLANNING_DAY_RE.search(" ".join(head[:3])):
        kind = "planeringsdag"
    return ParsedMeeting(date=when, start_time=start, end_time=end, place=place, kind=kind,
                         agenda=_agenda(lines), basis="kallelse")


@dataclass(frozen=True)
class AgendaItem:
    """One point of a kallelse's föredragningslista: its number, its title, and the text under it
    (who presents it, the proposed decision, the background)."""

    number: int
    title: str
    text: str = ""


def agenda_items(lines: list[str]) -> list[AgendaItem]:
    """The numbered points of a föredragningslista, each with the lines under it up to the next
    point (an agenda's points count up from 0 or 1, one to three at a time)."""
    starts: list[tuple[int, int, int, str]] = []  # (line, next line, number, title)
    i = 0
    while i < len(lines):
        m = _AGENDA_ITEM_RE.match(lines[i])
        if m and not month_number(m.group(2).split()[0]) and (
                not starts or starts[-1][2] < int(m.group(1)) <= starts[-1][2] + 3) and (starts or m.group(1) in "01"):
            text = m.group(2).strip()
            j = i + 1
            while re.search(r"[-–]$", text) and j < len(lines):
                if lines[j]:
                    if not re.match(r"[a-zåäö(]", lines[j]):
                        break
                    text = f"{text} {lines[j]}"
                j += 1
            starts.append((i, j if j > i + 1 else i + 1, int(m.group(1)), collapse_ws(text.strip("* "))))
            i = starts[-1][1]
            continue
        i += 1
    items: list[AgendaItem] = []
    for k, (_line, after, number, title) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        body = [ln.strip() for ln in lines[after:end]]
        if k + 1 == len(starts):
            # The last point's text ends where the next document of the file begins (a blank gap
            # and a heading): only the lines right under it are its own.
            body = body[:next((n for n in range(1, len(body)) if not body[n - 1] and body[n].isupper()), len(body))]
        items.append(AgendaItem(number, title, collapse_ws(" ".join(ln for ln in body if ln).replace("*", ""))))
    return items


def _agenda(lines: list[str]) -> str | None:
    items = agenda_items(lines)
    if len(items) < 2:
        return None
    return "\n".join(f"{item.number}. {item.title}" for item in items)


BASIS_RANK = {"mention": 0, "kallelse": 1, "plan": 1}


def merge_meetings(meetings: list[ParsedMeeting]) -> list[ParsedMeeting]:
    """One meeting per date: a plan and a "Nästa möte" naming the same day are one meeting.

    The meeting is cited to the § that plans it (a sammanträdesplan, "Nästa möte") rather than
    to a § that only mentions the date in passing, wherever the two stand in the protocol.
    """
    by_date: dict[dt.date, ParsedMeeting] = {}
    for m in sorted(meetings, key=lambda m: -BASIS_RANK.get(m.basis, 0)):
        seen = by_date.get(m.date)
        if seen is None:
            by_date[m.date] = ParsedMeeting(**vars(m))
            continue
        if m.kind == "planeringsdag":
            seen.kind = "planeringsdag"
        seen.start_time = seen.start_time or m.start_time
        seen.end_time = seen.end_time or m.end_time
        seen.place = seen.place or m.place
        seen.agenda = seen.agenda or m.agenda
        seen.paragraph_number = seen.paragraph_number or m.paragraph_number
    return sorted(by_date.values(), key=lambda m: m.date)
