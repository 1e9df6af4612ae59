"""Where each part of a document begins: § headers and the headings of protocol, kallelse,
tertialuppföljning and verksamhetsplan.

One PDF often holds several parts (a cover letter, a protocol, an appended report), so the
parsers first cut the text into sections and read each with the reader for its kind.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

# "§ 7 Title", "§13 Title", "§ 1. Öppnande", "- § 125 Title", "§ 108" (title on a later line).
PARA_HEADER_RE = re.compile(r"^\s*(?:[-•–*]\s*)?§\s*(\d{1,4})(?![\d])\s*[.:]?\s*(.*)$")

_KIND_HEADINGS: list[tuple[str, re.Pattern[str]]] = [
    ("kallelse", re.compile(r"^(?:kallelse|möteskallelse)\b", re.IGNORECASE)),
    ("protokoll", re.compile(r"^(?:styrelse|sammanträdes|justerat\s+)?protokoll\b(?!et)", re.IGNORECASE)),
    ("tertialuppföljning", re.compile(
        r"^(?:tertialuppföljning|tertialrapport|tertialredovisning|tertialbokslut|delårsrapport|"
        r"delårsbokslut|uppföljning\s+(?:per\s+)?tertial|rapport\s+tertial)\b", re.IGNORECASE)),
    ("verksamhetsplan", re.compile(
        r"^(?:verksamhetsplan(?:\s+(?:och|med)\s+budget)?|budget\s+och\s+verksamhetsplan)\s+"
        r"(?:för\s+)?(?:år\s+)?(?:19|20)\d{2}\b", re.IGNORECASE)),
]
# Words that name a kind anywhere in a line, for cover-letter headings naming several parts.
_KIND_WORDS: list[tuple[str, re.Pattern[str]]] = [
    ("kallelse", re.compile(r"\bkallelse\b", re.IGNORECASE)),
    ("protokoll", re.compile(r"\b(?:styrelse)?protokoll\b", re.IGNORECASE)),
    ("tertialuppföljning", re.compile(r"\btertial(?:uppföljning|rapport|redovisning)\b", re.IGNORECASE)),
    ("verksamhetsplan", re.compile(r"\bverksamhetsplan\s+(?:19|20)\d{2}\b", re.IGNORECASE)),
]
_AGENDA_HEADING_RE = re.compile(r"^(?:föredragningslista|dagordning)\b", re.IGNORECASE)
# Lines that open a protocol's header when the protocol has no "Protokoll" heading.
PROTOCOL_KEY_RE = re.compile(
    r"^(?:plats\s+och\s+tid|tid\s+och\s+plats|sammanträdesdatum|mötesdatum|beslutande|"
    r"närvarande|plats|tid|datum)\b", re.IGNORECASE)
_PROTOCOL_EVIDENCE_RE = re.compile(
    r"\b(?:justera|justerare|justerande|justering|ordförande|sekreterare|beslutande|närvarande|"
    r"sammanträde|styrelsemöte|ledamöter)", re.IGNORECASE)


@dataclass
class ParaHeader:
    line: int  # the line of "§ N"
    number: int
    title: str
    body_start: int  # first line after the header (and after a title on its own line)
    dnr: str | None = None  # the case number when the § line gives it instead of the title
    also: str | None = None  # the same matter's § in another body's protocol ("KS § 41")


# The bodies a matter passes through on its way to a decision, as their § is cited beside the
# current one ("KF § 88 KS § 41", "(KS § 41)", "Kommunstyrelsen 2019-04-02, § 41"): the short
# form a citation keeps, and the names written out.
BODY_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "KS": ("kommunstyrelsen", "kommunstyrelsens"),
    "KF": ("kommunfullmäktige", "kommunfullmäktiges"),
    "KSAU": ("kommunstyrelsens arbetsutskott", "arbetsutskottet"),
    "RS": ("regionstyrelsen", "regionstyrelsens"),
    "RF": ("regionfullmäktige", "regionfullmäktiges"),
    "FS": ("förbundsstyrelsen", "förbundsstyrelsens"),
}
_BODY_NAMES = {name: short for short, names in BODY_ABBREVIATIONS.items() for name in names}
_CITATION_RE = re.compile(
    r"\(?\s*(?P<body>" + "|".join(sorted(BODY_ABBREVIATIONS, key=len, reverse=True)) + r"|(?i:"
    + "|".join(sorted(_BODY_NAMES, key=len, reverse=True)) + r"))[ \t,]*(?:(?:den\s+)?\d{4}-\d{2}-\d{2}[ \t,]*)?"
    r"(?:i[ \t]+)?§[ \t]*(?P<n>\d{1,4})\b\s*\)?")


def other_citation(text: str) -> tuple[str, str | None]:
    """(the text without it, "KS § 41") for the first § of a body the text cites beside the §
    line's own number (which the § form has already taken: "KF § 88" of "KF § 88 KS § 41").
    The other body's § may have the same number as this one: the numberings are apart."""
    m = _CITATION_RE.search(text)
    if m is None:
        return text, None
    body = m.group("body")
    short = body if body in BODY_ABBREVIATIONS else _BODY_NAMES[body.lower()]
    rest = (text[: m.start()] + " " + text[m.end():]).strip(" \t,–-")
    return rest, f"{short} § {int(m.group('n'))}"


@dataclass
class Section:
    kind: str | None  # None: text before any heading (cover letter, ...)
    start: int
    end: int
    heading: str | None = None


@dataclass
class Layout:
    lines: list[str]
    kinds: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    protocol: Section | None = None
    paragraphs: list[ParaHeader] = field(default_factory=list)
    title: str | None = None

    def section_text(self, section: Section) -> str:
        return "\n".join(self.lines[section.start : section.end])


_NUMBERED_END_RE = re.compile(r"\d\.$")


def _is_heading_line(line: str) -> bool:
    s = line.strip()
    if not s or len(s) > 120:
        return False
    # A sentence is not a heading.
    return not (s.endswith(".") and not _NUMBERED_END_RE.search(s))


_RANGE_REST_RE = re.compile(r"^[-–]\s*\d")


# The ways boards write a § header, as data: (form, pattern with the number in group "n" and the
# rest of the line in group "rest"). "§ 12" is the form most boards use and is tried first; a
# document written in one of the others is read in that one (the form most of its lines take).
PARA_FORMS: list[tuple[str, re.Pattern[str]]] = [
    ("§ n", PARA_HEADER_RE),
    # "12 § Val av justerare"
    ("n §", re.compile(r"^\s*(?P<n>\d{1,4})\s*§\s*[.:]?\s*(?P<rest>.*)$")),
    # "Paragraf 45. Budget", "Ärende 3 Budget", "Punkt 4: Budget"
    ("word n", re.compile(r"^\s*(?:Paragraf|Ärende|Punkt)\s+(?P<n>\d{1,4})\b\s*[.:]?\s*(?P<rest>.*)$",
                          re.IGNORECASE)),
    # An organisation's prefix: "Sfb 41 Val av justerare", "KS 112 Budget", "SN § 4 Budget"
    ("prefix n", re.compile(r"^\s*(?P<prefix>[A-ZÅÄÖ][A-Za-zÅÄÖåäö]{1,3})\s+§?\s*(?P<n>\d{1,4})\s*[.:]?\s+"
                            r"(?P<rest>[A-ZÅÄÖ].*)$")),
]
# "§ 88 Dnr KS 2019/114", "§ 12 Diarienummer 00412/2022": the case number, with the title on
# the next line.
_CASE_NUMBER_ONLY_RE = re.compile(r"^(?:dnr|diarienr|diarienummer|ärendenr)\.?:?\s*\S.{0,30}$", re.IGNORECASE)
# A bare number and title ("214 Val av justerare"), read only as a run of consecutive numbers.
_BARE_RUN_RE = re.compile(r"^\s*(\d{1,4})\.?[ \t]+([A-ZÅÄÖ][^\t]{2,118})$")
MIN_BARE_RUN = 3


def _form_matches(lines: list[str], form: str, pattern: re.Pattern[str]) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    prefixes: Counter[str] = Counter()
    for i, line in enumerate(lines):
        if form == "§ n" and "§" not in line:  # the common form's pattern needs a §
            continue
        if form == "n §" and "§" not in line:
            continue
        m = pattern.match(line)
        if not m:
            continue
        rest = (m.group("rest") if "rest" in pattern.groupindex else m.group(2)) or ""
        number = int(m.group("n") if "n" in pattern.groupindex else m.group(1))
        if form == "prefix n":
            prefixes[m.group("prefix")] += 1
            rest = f"{m.group('prefix')}\x00{rest}"
        found.append((i, number, rest))
    if form == "prefix n":
        # One prefix, used on several lines: an organisation's numbering, not a phrase.
        if not prefixes:
            return []
        prefix, count = prefixes.most_common(1)[0]
        if count < 2:
            return []
        found = [(i, n, rest.split("\x00", 1)[1]) for i, n, rest in found if rest.split("\x00", 1)[0] == prefix]
    return found


def raw_paragraph_headers(lines: list[str]) -> list[ParaHeader]:
    """Every line that looks like a § header, before checking the numbers run in order."""
    best: list[tuple[int, int, str]] = []
    for form, pattern in PARA_FORMS:
        found = _form_matches(lines, form, pattern)
        if form == "§ n" and found:
            best = found
            break
        if len(in_order([ParaHeader(i, n, "", i) for i, n, _ in found])) > \
                len(in_order([ParaHeader(i, n, "", i) for i, n, _ in best])):
            best = found
    if not best:
        best = _bare_run(lines)
    out: list[ParaHeader] = []
    for i, number, raw_rest in best:
        rest = raw_rest.strip().strip("*").strip()
        # "§ 10 ska ..." or "§ 7-14" are references, not headers.
        if rest and (rest[0].islower() or _RANGE_REST_RE.match(rest) or rest.startswith("§")):
            continue
        out.append(_header(lines, i, number, rest))
    return out


def _header(lines: list[str], i: int, number: int, rest: str) -> ParaHeader:
    """The header at line i: its title is the rest of the line, or the next line when the rest
    is empty or only the case number ("§ 88 Dnr KS 2019/114")."""
    title, body_start, dnr = rest, i + 1, None
    title, also = other_citation(title) if "§" in title else (title, None)
    if title and _CASE_NUMBER_ONLY_RE.match(title):
        dnr, title = title, ""
    if not title:
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j < len(lines) and not PARA_HEADER_RE.match(lines[j]) and len(lines[j].strip()) <= 160:
            title, body_start = lines[j].strip(), j + 1
    return ParaHeader(i, number, _clean_title(title), body_start, dnr, also)


def _bare_run(lines: list[str]) -> list[tuple[int, int, str]]:
    """The longest run of lines numbered one after another ("214 Val av justerare", "215 …")."""
    candidates = [(i, int(m.group(1)), m.group(2)) for i, line in enumerate(lines)
                  if line[:1].isdigit() or line[:1].isspace()
                  for m in [_BARE_RUN_RE.match(line)] if m and not line.rstrip().endswith(".")]
    best: list[tuple[int, int, str]] = []
    run: list[tuple[int, int, str]] = []
    for cand in candidates:
        if run and cand[1] == run[-1][1] + 1:
            run.append(cand)
        else:
            run = [cand]
        if len(run) > len(best):
            best = list(run)
    return best if len(best) >= MIN_BARE_RUN else []


_SPACES_RE = re.compile(r"\s+")


def _clean_title(title: str) -> str:
    title = _SPACES_RE.sub(" ", title.replace("*", "")).strip()
    return title.strip(" -–:").strip()


# "70 Val av justerare": a § number without its sign (left out by the writer, or lost by OCR),
# read as a header only where the numbers before and after leave exactly its place open. OCR
# also reads "§" as one of SIGN_MISREADS glued to the number ("84" for "§ 4"); the sequence
# decides which reading is meant.
_BARE_HEADER_RE = re.compile(r"^\s*([$&sS8§]?)\s?(\d{1,4})\.?[ \t]+([A-ZÅÄÖ][^\t]{2,118})$")


def _bare_title(line: str, expected: int) -> str | None:
    m = _BARE_HEADER_RE.match(line)
    if not m or line.rstrip().endswith("."):
        return None
    prefix, digits = m.group(1), m.group(2)
    if int(digits) == expected or (not prefix and digits.startswith("8") and digits[1:] == str(expected)):
        return m.group(3)
    return None


def bare_headers(lines: list[str], found: list[ParaHeader], start: int, end: int) -> list[ParaHeader]:
    """`found` (in order) with the headers written without "§" that fill a gap in its numbering."""
    if not found:
        return found
    out: list[ParaHeader] = []
    # Before the first header: the numbers just below it, walking back.
    expected = found[0].number - 1
    for i in range(found[0].line - 1, start - 1, -1):
        if expected < 1:
            break
        title = _bare_title(lines[i], expected)
        if title:
            out.insert(0, _header(lines, i, expected, title))
            expected -= 1
    previous: ParaHeader | None = None
    for header in [*found, None]:
        low = previous.body_start if previous else (found[0].line if out else start)
        high = header.line if header else end
        following = previous.number + 1 if previous else None
        limit = header.number if header else None
        i = low
        while following is not None and i < high and (limit is None or following < limit):
            title = _bare_title(lines[i], following)
            if title:
                out.append(_header(lines, i, following, title))
                following += 1
            i += 1
        if header:
            out.append(header)
        previous = out[-1] if out else header
    return out


def in_order(headers: list[ParaHeader]) -> list[ParaHeader]:
    """Keeps headers whose numbers rise (a § number running backwards is a reference)."""
    kept: list[ParaHeader] = []
    for h in headers:
        if not kept or kept[-1].number < h.number <= kept[-1].number + 40:
            kept.append(h)
    return kept


def find_layout(lines: list[str]) -> Layout:
    layout = Layout(lines=lines)
    raw = raw_paragraph_headers(lines)
    title_lines = {h.line for h in raw} | {h.body_start - 1 for h in raw}
    first_para = raw[0].line if raw else len(lines)

    positional: list[tuple[int, str]] = []
    mentioned: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        if i in title_lines or not _is_heading_line(line):
            continue
        s = line.strip().lstrip("-•* ").strip()
        low = s.lower()
        # Every kind word and heading holds one of these (spelled without i and s, which
        # IGNORECASE also matches in other scripts): most lines need none of the patterns.
        if not ("kallel" in low or "protokoll" in low or "tert" in low or "delår" in low or "verk" in low
                or "föredragn" in low or "dagordn" in low):
            continue
        named = [kind for kind, rx in _KIND_WORDS if rx.search(s)]
        if len(set(named)) >= 2:
            # "Protokoll och Verksamhetsplan 2021": a cover letter naming what it sends.
            mentioned += [(i, k) for k in named]
            continue
        for kind, rx in _KIND_HEADINGS:
            if rx.match(s):
                positional.append((i, kind))
                break
        else:
            # A "Föredragningslista" before any protocol is a kallelse without the word.
            if _AGENDA_HEADING_RE.match(s) and i < first_para and \
                    not any(k in ("protokoll", "kallelse") for _, k in positional):
                positional.append((i, "kallelse"))

    # Sections: from each heading to the next heading of another kind.
    sections: list[Section] = []
    cursor = 0
    for pos, kind in positional:
        if sections and sections[-1].kind == kind:
            continue
        if pos > cursor or not sections:
            if sections:
                sections[-1].end = pos
            elif pos > 0:
                sections.append(Section(None, 0, pos))
            sections.append(Section(kind, pos, len(lines), lines[pos].strip()))
            cursor = pos
    if not sections:
        sections.append(Section(None, 0, len(lines)))
    layout.sections = sections

    layout.protocol = _protocol_section(lines, sections, raw)
    if layout.protocol:
        inside = [h for h in raw if layout.protocol.start <= h.line < layout.protocol.end]
        layout.paragraphs = bare_headers(lines, in_order(inside), layout.protocol.start, layout.protocol.end)
        _trim_protocol_end(layout)

    order: list[tuple[int, str]] = sorted(mentioned + [(s.start, s.kind) for s in sections if s.kind])
    if layout.protocol:
        order.append((layout.protocol.start, "protokoll"))
    elif any(k == "protokoll" for _, k in order):
        # A "Protokoll" heading with nothing of a protocol under it is not a protocol.
        order = [(p, k) for p, k in order if k != "protokoll" or (p, k) in mentioned]
    for _, kind in sorted(order):
        if kind not in layout.kinds:
            layout.kinds.append(kind)
    main = layout.protocol or next((s for s in sections if s.kind), None)
    if main and main.heading:
        layout.title = main.heading
    elif mentioned:
        # A cover letter's heading ("Protokoll och Verksamhetsplan 2021") names the whole PDF.
        layout.title = lines[mentioned[0][0]].strip()
    return layout


def _protocol_section(lines: list[str], sections: list[Section], raw: list[ParaHeader]) -> Section | None:
    for section in sections:
        if section.kind not in ("protokoll", None):
            continue
        inside = in_order([h for h in raw if section.start <= h.line < section.end])
        if not inside:
            continue
        start = section.start
        if section.kind is None:
            # No heading: the header begins at its first key line ("Plats och tid", "Beslutande").
            for i in range(section.start, inside[0].line):
                if PROTOCOL_KEY_RE.match(lines[i].strip()):
                    start = i
                    break
        header = "\n".join(lines[start : inside[0].line])
        evidence = section.kind == "protokoll" or bool(_PROTOCOL_EVIDENCE_RE.search(header))
        if evidence or len(inside) >= 3:
            return Section("protokoll", start, section.end, section.heading)
    return None


_SIGNATURE_PAGE_RE = re.compile(
    r"^(?:signerat med|signed with|signatures\b|this document(?:s)? contains|detta dokument innehåller|"
    r"verifikat\b|transaktion\s+\d|document id|dokument-id)", re.IGNORECASE)


def _trim_protocol_end(layout: Layout) -> None:
    """Ends the protocol before an e-signature page or a trailing letterhead."""
    if not layout.protocol or not layout.paragraphs:
        return
    last = layout.paragraphs[-1]
    end = layout.protocol.end
    for i in range(last.body_start, end):
        if _SIGNATURE_PAGE_RE.match(layout.lines[i].strip()):
            end = i
            break
    # Drop trailing blank lines, letterheads in capitals and "Deltagare"/"Signatures" labels.
    while end > last.body_start:
        s = layout.lines[end - 1].strip()
        letters = [c for c in s if c.isalpha()]
        capitals = sum(1 for c in letters if c.isupper())
        if not s or (len(letters) > 3 and capitals >= 0.7 * len(letters)) or \
                re.match(r"^(?:deltagare|underskrifter|signaturer|signatures)$", s, re.IGNORECASE) or \
                re.search(r"\S+@\S+\.\w+|www\.", s):
            end -= 1
            continue
        break
    layout.protocol.end = end
