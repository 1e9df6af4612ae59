"""The documents one file holds: a cover letter, a protocol, and attached to it a
verksamhetsplan with budget, a tertialrapport or a table of figures.

A part begins at a heading line that starts a document of another kind. What a heading is, is
data (PART_KINDS, TITLE_WORDS, CONTAINS); one mechanism reads it:
- the line begins with a kind's word ("VERKSAMHETSPLAN 2021 med budget …", "Tertialrapport maj –
  augusti 2019", "Bilaga 2: Budget 2021") and the rest of it is a title: dates, periods, names
  and the few words titles are made of, never a sentence ("Verksamhetsplanen fastställdes …",
  "Budget för insatser beslutas i september");
- a § title ("§ 8. Verksamhetsplan 2021") is part of its protocol, and so is any heading inside
  the protocol, unless marked as an attachment ("Bilaga 1 Budget 2021") after its last §;
- a heading of a kind the open part holds ("Resultatrapport" inside a tertialrapport, "budget"
  in a verksamhetsplan's title) continues it;
- a cover letter's subject line naming several kinds ("Protokoll och Verksamhetsplan 2021")
  titles the cover letter, and starts nothing.

The protocol itself is found by storage.ingest.sections (its § headers and header fields).
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storage.ingest.sections import Layout
from storage.swedish.cleaning import PAGE_BREAK

if TYPE_CHECKING:
    from storage.ingest.parsed import ParsedBudgetFigure

# (kind, the words a heading of that kind begins with). Only whole words: "Verksamhetsplanen"
# (inflected) is a word in a sentence, not a heading.
PART_KINDS: list[tuple[str, str]] = [
    ("kallelse", r"kallelse|möteskallelse"),
    ("verksamhetsplan", r"verksamhetsplan|verksamhetsplan\s+och\s+budget|budget\s+och\s+verksamhetsplan"),
    ("tertialuppföljning", r"tertialuppföljning|tertialrapport|tertialredovisning|tertialbokslut|"
                           r"uppföljning\s+(?:per\s+)?tertial|rapport\s+tertial"),
    ("delårsrapport", r"delårsrapport|delårsbokslut|delårsredovisning"),
    ("årsredovisning", r"årsredovisning|årsbokslut|bokslut"),
    ("verksamhetsberättelse", r"verksamhetsberättelse"),
    ("resultatrapport", r"resultatrapport|resultaträkning"),
    ("balansräkning", r"balansräkning|balansrapport"),
    ("budget", r"budget|budgetförslag|resultatbudget|driftbudget|detaljbudget"),
    ("protokoll", r"protokoll|styrelseprotokoll|sammanträdesprotokoll|justerat\s+protokoll"),
]
# What a part of one kind holds under its own headings: such a heading continues the part.
CONTAINS: dict[str, frozenset[str]] = {
    "verksamhetsplan": frozenset({"budget", "resultatrapport", "balansräkning"}),
    "tertialuppföljning": frozenset({"verksamhetsberättelse", "resultatrapport", "balansräkning", "budget"}),
    "delårsrapport": frozenset({"verksamhetsberättelse", "resultatrapport", "balansräkning", "budget"}),
    "årsredovisning": frozenset({"verksamhetsberättelse", "resultatrapport", "balansräkning", "budget"}),
    "verksamhetsberättelse": frozenset({"resultatrapport", "balansräkning"}),
    "budget": frozenset({"resultatrapport", "balansräkning"}),
    "resultatrapport": frozenset({"balansräkning"}),
}
# Lower-case words a title may hold after its kind word; a capitalised word (a name), a number,
# a date or a mark is always allowed. Any other word makes the line a sentence.
TITLE_WORDS = frozenset("""
för med och samt i år året helår helåret perioden period per t.o.m. tom till from fr.o.m. t o m
tertial tertialet första andra tredje plan planer budget budgeten prognos utfall ekonomisk ekonomi
verksamhet verksamheten verksamhetsår verksamhetsåret styrelsen förbundet samordningsförbundet
samordningsförbund rev reviderad reviderat förslag beslutad fastställd kvartal delår
den räkenskapsåret räkenskapsår kalenderåret månader månaderna delåret tertialen helårsprognos
inklusive inkl version
januari februari mars april maj juni juli augusti september oktober november december
jan feb mar apr jun jul aug sep sept okt nov dec
""".split())
# "Bilaga 2", "Bilaga 2:", "Bilaga B –": marks an attached document (and may stand inside a
# protocol, after its last §).
_ATTACHMENT_RE = re.compile(r"^bilaga\s+(?:\d{1,2}|[a-h])\b\s*[:.–—-]?\s*", re.IGNORECASE)
# One pattern for every kind, a named group each: a line is matched once.
_KIND_RE = re.compile("^(?:" + "|".join(f"(?P<k{n}>{words})" for n, (_, words) in enumerate(PART_KINDS))
                      + r")\b(?![-–])(?P<rest>.*)$", re.IGNORECASE)
_KIND_ANYWHERE = [(kind, re.compile(rf"\b(?:{words})\b(?![-–])", re.IGNORECASE)) for kind, words in PART_KINDS]
_TITLE_TOKEN_RE = re.compile(r"[\wåäöÅÄÖéÉ.]+")
_MARKS = " \t*-–—:•"
MAX_TITLE_WORDS = 14
MAX_TITLE_CHARS = 120
# Text before the first heading is a cover letter of its own when it names what it sends or says
# this much in sentences (else it is the letterhead of the part below it).
COVER_LETTER_MIN_WORDS = 25
COVER_LETTER = "följebrev"
_WORD_RE = re.compile(r"[^\W\d_]{2,}")
# Every heading holds one of these: most lines need none of the patterns above.
_CUE_RE = re.compile(r"kallel|protokoll|tert|delår|verksamhet|budget|rapport|bokslut|redovisning|räkning|bilaga")


@dataclass
class ParsedPart:
    kind: str
    title: str | None
    start: int  # line of the cleaned text (storage.ingest.text_utils.clean_text), inclusive
    end: int  # exclusive
    heading: str | None = None  # the line that starts it, as cleaned: what locates it in the raw text
    # Where it stands in the raw text (what the store keeps as Document.text), end exclusive.
    start_offset: int = 0
    end_offset: int = 0
    page: int | None = None  # the page it begins on, for a text with page breaks
    # The document it came with: ("protokoll", meeting date) or ("kallelse", meeting date).
    attached_to: tuple[str, dt.date] | None = None


@dataclass(frozen=True)
class _Heading:
    line: int
    kind: str
    title: str
    attachment: bool


def heading_kind(line: str) -> tuple[str, str, bool] | None:
    """(kind, title, marked as an attachment) when the line is a heading that starts a document."""
    s = line.strip().strip(_MARKS).strip()
    if not s or len(s) > MAX_TITLE_CHARS or (s.endswith(".") and not re.search(r"\d\.$|t\.o\.m\.$", s)):
        return None
    attachment = False
    if m := _ATTACHMENT_RE.match(s):
        attachment, s = True, s[m.end():].strip(_MARKS)
    matched = _KIND_RE.match(s)
    if matched is None or not _title_like(matched.group("rest")):
        return None
    kind = next(PART_KINDS[n][0] for n in range(len(PART_KINDS)) if matched.group(f"k{n}") is not None)
    return kind, _title_case(s), attachment


def _title_like(rest: str) -> bool:
    words = _TITLE_TOKEN_RE.findall(rest)
    if len(words) > MAX_TITLE_WORDS:
        return False
    for w in words:
        if w[:1].isupper() or any(c.isdigit() for c in w) or not any(c.isalpha() for c in w):
            continue
        if w.lower() not in TITLE_WORDS and not any(rx.fullmatch(w) for _, rx in _KIND_ANYWHERE):
            return False
    return True


def _title_case(title: str) -> str:
    """'VERKSAMHETSPLAN 2021 med budget' -> 'Verksamhetsplan 2021 med budget'; abbreviations
    (three letters or fewer) stay in capitals."""
    title = re.sub(r"\s+", " ", title).strip()
    words = []
    for i, word in enumerate(title.split(" ")):
        letters = [c for c in word if c.isalpha()]
        if len(letters) > 3 and all(c.isupper() for c in letters):
            word = word.lower()
        if i == 0:
            word = word[:1].upper() + word[1:]
        words.append(word)
    return " ".join(words)


def _kinds_named(line: str) -> set[str]:
    named: set[str] = set()
    s = line
    for kind, rx in _KIND_ANYWHERE:
        if rx.search(s):
            named.add(kind)
            s = rx.sub(" ", s)  # "verksamhetsplan och budget" is one kind's words
    return named


def _subject_line(line: str) -> bool:
    """A cover letter's subject: a short line naming kinds that are not parts of one another."""
    s = line.strip().strip(_MARKS)
    if not s or len(s) > MAX_TITLE_CHARS or s.endswith("."):
        return False
    named = _kinds_named(s)
    if len(named) < 2:
        return False
    first = heading_kind(s)
    if first is not None:
        return bool(named - {first[0]} - CONTAINS.get(first[0], frozenset()))
    return len(s.split()) <= MAX_TITLE_WORDS


def _cue_lines(lines: list[str]) -> list[int]:
    """The lines that hold a kind's word, found in one pass over the text."""
    text = "\n".join(lines).lower()  # one case: the pattern needs no IGNORECASE, which is slow
    out: list[int] = []
    line, at = 0, 0
    for m in _CUE_RE.finditer(text):
        line += text.count("\n", at, m.start())
        at = m.start()
        if not out or out[-1] != line:
            out.append(line)
    return out


def find_parts(layout: Layout, default_kind: str) -> list[ParsedPart]:
    """The parts of the text `layout` was read from, in order, covering all its lines."""
    lines = layout.lines
    n = len(lines)
    protocol = layout.protocol
    # A § title on a line of its own ("§ 108" over "Verksamhetsplan 2021") is the §'s; a title on
    # the § line cannot begin with a kind's word.
    section_titles = {h.body_start - 1 for h in layout.paragraphs}
    last_paragraph = layout.paragraphs[-1].body_start if layout.paragraphs else None

    headings: list[_Heading] = []
    subject: int | None = None
    for i in _cue_lines(lines):
        line = lines[i]
        if i in section_titles or not line.strip() or line == PAGE_BREAK:
            continue
        if subject is None and _subject_line(line):
            subject = i
            continue
        found = heading_kind(line)
        if found is None and _ATTACHMENT_RE.fullmatch(line.strip().strip(_MARKS) + " "):
            # "Bilaga 1" on a line of its own, the attached document's heading on the next.
            following = next((j for j in range(i + 1, min(n, i + 4)) if lines[j].strip()), None)
            title_found = heading_kind(lines[following]) if following is not None else None
            if title_found is not None:
                found = (title_found[0], title_found[1], True)
        if found is None:
            continue
        kind, title, attachment = found
        # Inside the protocol only an attachment after its last § starts a part.
        if protocol is not None and protocol.start <= i < protocol.end and not (
                attachment and last_paragraph is not None and i >= last_paragraph and kind != "protokoll"):
            continue
        if kind == "protokoll":
            continue  # the protocol's start is where storage.ingest.sections found it
        headings.append(_Heading(i, kind, title, attachment))
    for section in layout.sections:
        if section.kind == "kallelse" and not any(h.line == section.start for h in headings):
            headings.append(_Heading(section.start, "kallelse", _title_case(section.heading or "Kallelse"), False))
    if protocol is not None:
        headings.append(_Heading(protocol.start, "protokoll", _title_case(protocol.heading or "Protokoll"), False))
    headings.sort(key=lambda h: h.line)

    starts: list[_Heading] = []
    for h in headings:
        if starts:
            open_kind = starts[-1].kind
            if h.kind == open_kind or (h.kind in CONTAINS.get(open_kind, frozenset()) and not h.attachment):
                continue
        starts.append(h)
    if not starts:
        return [ParsedPart(default_kind, None, 0, n)]

    parts: list[ParsedPart] = []
    first = starts[0].line
    if first > 0:
        above = lines[:first]
        words = len(_WORD_RE.findall("\n".join(above)))
        has_subject = subject is not None and subject < first
        # A letter says something in sentences; a letterhead of addresses does not.
        prose = any(line.rstrip().endswith(".") and len(line.split()) >= 6 for line in above)
        if has_subject or (prose and words >= COVER_LETTER_MIN_WORDS):
            cover = "Följebrev"
            if subject is not None and has_subject:
                cover += ": " + _title_case(lines[subject].strip().strip(_MARKS))
            parts.append(ParsedPart(COVER_LETTER, cover, 0, first))
    for k, h in enumerate(starts):
        end = starts[k + 1].line if k + 1 < len(starts) else n
        start = h.line if parts else 0  # a letterhead above the first part belongs to it
        parts.append(ParsedPart(h.kind, h.title, start, end, lines[h.line]))
    return parts


_NOT_ALNUM_RE = re.compile(r"[\W_]+")


def _key(line: str) -> str:
    return _NOT_ALNUM_RE.sub("", line.lower())


def locate(parts: list[ParsedPart], lines: list[str]) -> list[int | None]:
    """The line of `lines` (the raw text's, or the table reader's) where each part begins, found
    by its heading's letters and digits in order (markup, spacing and case aside); None for a
    part whose heading is not found there."""
    text = "\n".join(lines)
    starts = list(itertools.accumulate((len(line) + 1 for line in lines), initial=0))
    found: list[int | None] = []
    cursor = 0
    for k, part in enumerate(parts):
        if k == 0:
            found.append(0)
            continue
        want = _key(part.heading or "")
        at: int | None = None
        if want:
            gap = r"(?:[^\w\n]|_)*"
            letters = gap.join(re.escape(c) for c in want)
            whole = re.compile(rf"^{gap}{letters}{gap}$", re.IGNORECASE | re.MULTILINE)
            m = whole.search(text, starts[cursor])
            if m is None and len(want) >= 8:
                # A heading cleaned into another shape (a column joined): its start will do.
                m = re.compile(rf"^{gap}{gap.join(re.escape(c) for c in want[:24])}",
                               re.IGNORECASE | re.MULTILINE).search(text, starts[cursor])
            if m is not None:
                at = bisect.bisect_right(starts, m.start()) - 1
        found.append(at)
        if at is not None:
            cursor = at + 1
    return found


def place(parts: list[ParsedPart], text: str) -> list[ParsedPart]:
    """The parts with their offsets and first page in the raw text; a part whose heading is not
    found there is joined to the part before it (its facts then stay with that part)."""
    if not parts:
        return []
    raw = text.split("\n")
    found = locate(parts, raw)
    kept = [(part, line) for part, line in zip(parts, found, strict=True) if line is not None]
    offsets = list(itertools.accumulate((len(raw_line) + 1 for raw_line in raw), initial=0))
    paged = PAGE_BREAK in text
    out: list[ParsedPart] = []
    for k, (part, at) in enumerate(kept):
        start = offsets[at]
        end = offsets[kept[k + 1][1]] if k + 1 < len(kept) else len(text)
        page = text.count(PAGE_BREAK, 0, start) + 1 if paged else None
        out.append(ParsedPart(part.kind, part.title, part.start, part.end, part.heading, start, end, page,
                              part.attached_to))
    return out


def part_of_line(starts: list[int], line: int) -> int:
    """The index of the part a line belongs to, given each part's first line (ascending)."""
    index = 0
    for k, start in enumerate(starts):
        if start <= line:
            index = k
        else:
            break
    return index


def place_figures(parts: list[ParsedPart], text: str, figures: list[ParsedBudgetFigure]) -> None:
    """Gives each figure the part (and page) its line stands in."""
    if not parts or not figures:
        return
    from storage.ingest.tables import prepare_lines

    raw = text.split("\n")
    # The table reader's lines are the raw lines unless it laid out HTML or Markdown tables.
    prepared = prepare_lines(text) if "|" in text or "<" in text else raw
    starts: list[int] = [0]
    if len(parts) > 1:
        starts = []
        for line in locate(parts, prepared):
            starts.append(line if line is not None else (starts[-1] if starts else 0))
    # The reader's lines are the raw lines, unless HTML tables were laid out as lines: then
    # the page is left unsaid rather than guessed.
    pages: list[int] | None = None
    if PAGE_BREAK in text and len(raw) == len(prepared):
        pages, number = [], 1
        for raw_line in raw:
            if raw_line == PAGE_BREAK:
                number += 1
            pages.append(number)
    for f in figures:
        if f.source_line is None:
            continue
        f.part_index = part_of_line(starts, f.source_line)
        if pages is not None and f.source_line < len(pages):
            f.page = pages[f.source_line]


# Parts that are documents of their own, never attached to another.
_NOT_ATTACHED = frozenset({COVER_LETTER, "protokoll", "kallelse"})


def attach(parts: list[ParsedPart], figures: list[ParsedBudgetFigure], protocol_date: dt.date | None,
           kallelse_date: dt.date | None) -> None:
    """Which document each attached plan or report came with: the protocol it follows, unless
    it reports on days after that meeting (a report for the next meeting, sent with its
    kallelse); then the file's kallelse, if it has one."""
    protocol_at = next((k for k, p in enumerate(parts) if p.kind == "protokoll"), None)
    for part in parts:
        # "KALLELSE FÖREDRAGNINGSLISTA" or "PROTOKOLL" names no meeting: the title does.
        day = kallelse_date if part.kind == "kallelse" else protocol_date if part.kind == "protokoll" else None
        if day is not None and len(parts) > 1 and part.title and not any(c.isdigit() for c in part.title):
            part.title = f"{part.title} {day.isoformat()}"
    for k, part in enumerate(parts):
        if part.kind in _NOT_ATTACHED or len(parts) < 2:
            continue
        latest = max((f.as_of for f in figures if f.part_index == k and f.as_of is not None), default=None)
        if protocol_date is not None and protocol_at is not None and protocol_at < k and (
                latest is None or latest <= protocol_date):
            part.attached_to = ("protokoll", protocol_date)
        elif kallelse_date is not None and any(p.kind == "kallelse" for p in parts):
            part.attached_to = ("kallelse", kallelse_date)
