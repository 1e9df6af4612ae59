"""Text of a board document -> ParsedDocument.

Each part of a document is read by its own module: `sections` (where each part begins),
`protocol` (header, justering, anslag, paragraphs), `attendance`, `grants` (insatser in
paragraphs), `meeting_plans` (sammanträdesplaner, "nästa möte", kallelse), `tables` (budget,
prognos, utfall, plan; written separately and called defensively).
"""

from __future__ import annotations

import importlib
import itertools
import logging
import re
from collections import Counter
from collections.abc import Callable
from typing import TypeVar

from rapidfuzz.distance import Levenshtein

from storage.ingest.grants import find_grants, known_bodies
from storage.ingest.meeting_plans import kallelse_meeting, meetings_from_paragraphs, merge_meetings
from storage.ingest.notices import NOTICE_KIND, find_notice
from storage.ingest.parsed import ParsedBudgetFigure, ParsedDocument, ParsedMeeting, ParsedParagraph
from storage.ingest.parts import ParsedPart, attach, find_parts, place, place_figures
from storage.ingest.protocol import parse_paragraphs, parse_protocol
from storage.ingest.protocol_records import find_records
from storage.ingest.sections import Layout, find_layout
from storage.ingest.text_utils import ocr_fold, organisation_key, smart_case
from storage.swedish.cleaning import clean_text, collapse_ws

log = logging.getLogger(__name__)
T = TypeVar("T")

_ORG_RE = re.compile(
    r"\b(?:Samordningsförbundet|SAMORDNINGSFÖRBUNDET)((?:[ \t]+(?:i|I)\b)?"
    r"(?:[ \t]*[-–—]?[ \t]*(?:[A-ZÅÄÖ][\wåäöÅÄÖéÉ-]*|län|LÄN|och|OCH)(?![\w-])){1,5})")
# The other ways a förbund writes its name, as data: (pattern, the name it stands for). The
# town is group 1; the names key alike (storage.ingest.text_utils.organisation_key), so
# "Umeås samordningsförbund", "Finsam Umeå" and "Samordningsförbundet Umeå" are one förbund.
_ORG_FORMS: list[tuple[re.Pattern[str], str]] = [
    # "Umeå samordningsförbund", "Härnösands samordningsförbund" (genitive s dropped below)
    (re.compile(r"\b([A-ZÅÄÖ][\wåäö]+(?:[-–][A-ZÅÄÖ][\wåäö]+)?)[ \t]+[Ss]amordningsförbund\b(?!et)"),
     "Samordningsförbundet {}"),
    # "Finsam Umeå", "FINSAM i Umeå"
    (re.compile(r"\b(?:Finsam|FINSAM)(?:[ \t]+i)?[ \t]+([A-ZÅÄÖ][\wåäö]+(?:[-–][A-ZÅÄÖ][\wåäö]+)?)"),
     "Finsam {}"),
]
# The cue words of a förbund's or board's name, as a scan may misread them ("Samordningsforbundet",
# "Samordnings förbundet", "FlNSAM", "Kommunstyrelsen" with a letter off): each is read back to
# its spelling before the name forms above run. The plural and genitive forms are listed too, so
# a near miss is restored to the nearest real word and never turned into another.
ORG_CUE_WORDS = ("Samordningsförbundet", "samordningsförbund", "samordningsförbunden", "samordningsförbundets",
                 "samordningsförbunds", "Finsam", "Finsams", "Kommunstyrelse", "Kommunstyrelsen", "Kommunstyrelsens",
                 "Kommunfullmäktige", "Kommunfullmäktiges", "kommun", "kommuns", "kommunen", "kommunens",
                 "kommuner", "kommuners")
# A board's name ends in one of these ("Socialnamnden" read as "Socialnämnden").
ORG_CUE_SUFFIXES = ("nämnden", "nämnd")
# Edits a misread cue word may carry: one in six letters, never more than two (a word as short
# as "Finsam" allows one), so "samordningsförbunden" and "Finland" stay themselves.
_CUE_EDITS_PER_LETTER = 1 / 6
# Words that end a letterhead's name when OCR has run the letterhead into the next line
# ("Samordningsförbundet Tallvik Protokoll från …").
LETTERHEAD_STOP_WORDS = frozenset({"protokoll", "kallelse", "sammanträdesdatum", "sammanträde", "datum", "plats",
                                   "tid", "ordförande", "sekreterare", "justerare", "närvarande", "beslutande",
                                   "ledamöter", "styrelsen", "styrelsens", "förbundsstyrelsen", "paragrafer",
                                   "dagordning", "tjänsteutlåtande", "verksamhetsplan", "budget", "bilaga"})
# A genitive s, dropped: "Härnösands" -> "Härnösand", "Sjöbys" -> "Sjöby"; kept where the place
# name itself ends in s, as these endings do (Hofors, Bollnäs, Borås, Kramfors, Mönsterås):
# such a name takes no genitive s of its own.
PLACE_ENDINGS_WITH_S = ("fors", "näs", "ås", "hus", "ös", "os", "us", "ss", "is", "as", "es")


def _drop_genitive(town: str, doc_words: frozenset[str] = frozenset()) -> str:
    """The place of "<place>s samordningsförbund": the document decides where it names the place
    itself ("Kommunhuset, Rönnberga"); else the endings above do."""
    low = town.lower()
    if not low.endswith("s"):
        return town
    if ocr_fold(town[:-1]) in doc_words:
        return town[:-1]
    if low.endswith(PLACE_ENDINGS_WITH_S):
        return town
    return town[:-1]


_CUE_FOLDED = [(ocr_fold(w), w) for w in ORG_CUE_WORDS]
_CUE_EXACT = {w.lower() for w in ORG_CUE_WORDS}
# Words that may be a cue word misread: what is compared at all (most words of a line are not).
_CUE_CANDIDATE_RE = re.compile(r"\b(?:[Ss][Aa](?:[Mm]|rn)|[Ff][IiLl1|][Nn]|[Kk][Oo0](?:[Mm]|rn))\w*"
                               r"(?:[ \t]+[Ff]\w+)?|\b\w+[Nn][AaÄä](?:[Mm]|rn)[Nn][Dd](?:[Ee][Nn])?\b")


# Letter groups a scan takes for one another: compared in one shape ("Kvarnholrn" is "Kvarnholm").
OCR_LOOKALIKES = (("rn", "m"), ("cl", "d"))


def _ocr_shape(folded: str) -> str:
    for seen, meant in OCR_LOOKALIKES:
        folded = folded.replace(seen, meant)
    return folded


def _as_cue_word(word: str) -> str | None:
    """The cue word a (possibly misread) word stands for, in the word's own case; None if none."""
    folded = ocr_fold(word)
    best: list[tuple[int, str]] = []
    for cue_folded, cue in _CUE_FOLDED:
        allowed = min(2, int(len(cue_folded) * _CUE_EDITS_PER_LETTER))
        distance = min(Levenshtein.distance(folded, cue_folded, score_cutoff=allowed + 1),
                       Levenshtein.distance(_ocr_shape(folded), _ocr_shape(cue_folded), score_cutoff=allowed + 1))
        if distance <= allowed:
            best.append((distance, cue))
    if not best:
        return None
    best.sort()
    if len(best) > 1 and best[0][0] == best[1][0]:
        return None  # as near to two words: not read as either
    return _in_case_of(word, best[0][1])


def _in_case_of(word: str, cue: str) -> str:
    if word.isupper():
        return cue.upper()
    return cue[0].upper() + cue[1:] if word[0].isupper() else cue.lower()


def _restore_cue_words(line: str) -> str:
    """A line with the cue words of organisation names spelt as written, not as a scan read them."""
    def restore(m: re.Match[str]) -> str:
        text = m.group(0)
        parts = text.split()
        if parts[0].lower() in _CUE_EXACT:
            return text
        if len(parts) == 2:  # "Samordnings förbundet": one word split by the scan
            joined = _as_cue_word(parts[0] + parts[1])
            if joined and not _as_cue_word(parts[0]):
                return joined
        first = _as_cue_word(parts[0])
        if first is None:
            first = parts[0]
            for suffix in ORG_CUE_SUFFIXES:
                folded = ocr_fold(first)
                shaped = _ocr_shape(ocr_fold(suffix))
                if _ocr_shape(folded).endswith(shaped) and len(first) > len(suffix):
                    # The stem is kept as read; the misread suffix is as long as it looks.
                    seen = len(folded) - len(_ocr_shape(folded)) + len(shaped)
                    first = first[: -seen] + (suffix.upper() if first.isupper() else suffix)
                    break
        return text.replace(parts[0], first, 1)

    if not line.strip():
        return line
    return _CUE_CANDIDATE_RE.sub(restore, line)
# Lines at the top of a document: its letterhead, which names who wrote it.
LETTERHEAD_LINES = 4
# A municipal board, read from the letterhead only, and only when the letterhead names no
# förbund (a förbund's protocol names nämnder all the time): "Socialnämnden i Umeå kommun", or "Mölndals stad" over
# "Kommunstyrelsen". Named "<municipality>, <board>", as `--org` would name it.
_MUNICIPALITY = (r"(?:[A-ZÅÄÖ][\wåäö-]+\s+){1,2}(?:kommun|stad)|Region\s+[A-ZÅÄÖ][\wåäö-]+"
                 r"(?:\s+[A-ZÅÄÖ][\wåäö-]+)?")
_MUNICIPAL_BODY = (r"kommunstyrelsen|kommunfullmäktige|regionstyrelsen|regionfullmäktige|"
                   r"[a-zåäö-]+nämnden|[a-zåäö-]+utskottet|[a-zåäö-]+styrelsen")
_MUNICIPALITY_RE = re.compile(rf"^({_MUNICIPALITY})$")
_MUNICIPAL_BODY_RE = re.compile(rf"^({_MUNICIPAL_BODY})$", re.IGNORECASE)
# A scan may run a letterhead's two lines into one: "Mölndals stad Kommunstyrelsen".
_MUNICIPALITY_AND_BODY_RE = re.compile(rf"^({_MUNICIPALITY})[ \t,]+((?i:{_MUNICIPAL_BODY}))\b")
# What a scan leaves at the end of a letterhead line: a stray full stop or comma.
_TRAILING_MARKS = " .,:;·"
_BODY_OF_RE = re.compile(r"\b(Kommunstyrelsen|Kommunfullmäktige|[A-ZÅÄÖ][a-zåäö-]+nämnden)\s+i\s+"
                         r"((?:[A-ZÅÄÖ][\wåäö-]+\s+){1,2}(?:kommun|stad))\b")
_TRAILING_CONJUNCTION_RE = re.compile(r"(?i)[ \t]+(?:och|i)$")
_LOWER_WORD_AFTER_RE = re.compile(r"^[ \t]+[a-zåäö]")
_NAME_GOES_ON_RE = re.compile(r"^[ \t]+(?:län|i|och)\b")
_WORD_RE = re.compile(r"\w+")
_ORG_LABEL_RE = re.compile(r"^(?:organ|förbund|organisation|nämnd|styrelse)\b", re.I)


def parse_document(text: str, file_name: str = "") -> ParsedDocument:
    """Reads every part the text holds; never raises on odd text, records warnings instead."""
    doc = ParsedDocument(organisation=None, kind="unknown")
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if not isinstance(text, str) or not text.strip():
        doc.warnings.append("tomt dokument / empty document")
        return doc
    try:
        cleaned = clean_text(text)
        layout = find_layout(cleaned.split("\n"))
    except Exception as exc:  # keep going with nothing rather than fail an ingest run
        log.exception("layout of %s", file_name)
        doc.warnings.append(f"kunde inte dela upp dokumentet ({exc.__class__.__name__})")
        return doc

    doc.organisation = _safe(doc, "organisation", lambda: find_organisation(cleaned, layout), None)
    doc.title = smart_case(layout.title) if layout.title else None
    protocol = _safe(doc, "protokoll", lambda: parse_protocol(layout, doc.warnings), None)
    doc.protocol = protocol
    paragraphs: list[ParsedParagraph] = (
        protocol.paragraphs if protocol else _safe(doc, "paragrafer", lambda: parse_paragraphs(layout), []))
    meeting_date = protocol.meeting_date if protocol else None
    attendance = protocol.attendance if protocol else []
    doc.grants = _safe(doc, "insatser",
                       lambda: find_grants(paragraphs, known_bodies(cleaned, attendance)), [])

    def meetings() -> list[ParsedMeeting]:
        found = meetings_from_paragraphs(paragraphs, meeting_date)
        for section in layout.sections:
            if section.kind == "kallelse":
                m = kallelse_meeting(layout, section)
                if m:
                    found.append(m)
        return merge_meetings(found)

    doc.meetings = _safe(doc, "möten", meetings, [])
    doc.records = _safe(doc, "tidigare protokoll", lambda: find_records(paragraphs, meeting_date), [])
    doc.budget = _budget(text, doc.warnings)

    doc.kinds = [k for k in layout.kinds if k != "protokoll" or protocol]
    if protocol is None and not paragraphs:
        doc.notice = _safe(doc, NOTICE_KIND, lambda: find_notice(cleaned.split("\n")), None)
        if doc.notice is not None:
            doc.kinds.insert(0, NOTICE_KIND)
            doc.title = smart_case(doc.notice.heading)
    if protocol:
        doc.kind = "protokoll"
    elif doc.kinds:
        doc.kind = doc.kinds[0]

    def parts() -> list[ParsedPart]:
        found = place(find_parts(layout, doc.kind if doc.kind != "unknown" else "dokument"), text)
        place_figures(found, text, doc.budget)
        kallelse = next((m.date for m in doc.meetings if m.basis == "kallelse"), None)
        attach(found, doc.budget, meeting_date, kallelse)
        return found

    doc.parts = _safe(doc, "delar", parts, [])
    return doc


def _safe(doc: ParsedDocument, part: str, fn: Callable[[], T], default: T) -> T:
    try:
        return fn()
    except Exception as exc:  # one unreadable part must not cost the others
        log.exception("parsing %s", part)
        doc.warnings.append(f"{part}: kunde inte läsas ({exc.__class__.__name__}: {exc})")
        return default


def _budget(text: str, warnings: list[str]) -> list[ParsedBudgetFigure]:
    """Budget tables come from storage.ingest.tables; its absence or failure is only a warning."""
    try:
        tables = importlib.import_module("storage.ingest.tables")
        parse_budget = tables.parse_budget
    except (ImportError, AttributeError) as exc:
        warnings.append(f"budget: tabelläsaren saknas ({exc.__class__.__name__})")
        return []
    try:
        return list(parse_budget(text))
    except Exception as exc:
        log.exception("budget tables")
        warnings.append(f"budget: kunde inte läsas ({exc.__class__.__name__}: {exc})")
        return []


# --- organisation -------------------------------------------------------------------------


def find_organisation(text: str, layout: Layout) -> str | None:
    """The förbund's name as written, preferring the protocol's heading or its "Organ" line."""
    written = text.split("\n")
    lines = _join_split_letterheads([_restore_cue_words(line) for line in written])
    doc_words = frozenset(_WORD_RE.findall(ocr_fold(text)))
    preferred = {i for i, line in enumerate(lines) if _ORG_LABEL_RE.match(line.strip())}
    if layout.title:
        preferred |= {i for i, line in enumerate(written) if line.strip() == layout.title}
    # The letterhead names who wrote the document; a neighbour is named further down.
    preferred |= set([i for i, line in enumerate(lines) if line.strip()][:LETTERHEAD_LINES])
    counts: Counter[str] = Counter()
    variants: dict[str, list[tuple[int, str]]] = {}
    for i, line in enumerate(lines):
        for name in _org_names(line, doc_words):
            key = organisation_key(name)
            if not key:
                continue
            bonus = 3 if i in preferred else 0
            counts[key] += 1 + bonus
            variants.setdefault(key, []).append((bonus, name))
    letterhead = set([i for i, line in enumerate(lines) if line.strip()][:LETTERHEAD_LINES])
    if not counts or not any(_org_names(lines[i], doc_words) for i in letterhead):
        # Who wrote it is in the letterhead: a municipal board there wins over a förbund the
        # text only mentions.
        municipal = _municipal_board(lines)
        if municipal or not counts:
            return _spelt_as_the_document_spells_it(municipal, text) if municipal else None
    key = counts.most_common(1)[0][0]
    options = variants[key]
    mixed = [(b, n) for b, n in options if any(c.islower() for c in n.replace("Samordningsförbundet", ""))]
    pool = mixed or options
    best_bonus = max(b for b, _ in pool)
    top = Counter(n for b, n in pool if b == best_bonus).most_common(1)[0][0]
    return _spelt_as_the_document_spells_it(smart_case(top), text)


# Words of a name that are not its place: never respelt.
_NAME_FRAME_WORDS = frozenset(ocr_fold(w) for w in (*ORG_CUE_WORDS, *ORG_CUE_SUFFIXES, "i", "och", "län", "kommun",
                                                     "stad", "region", "kommunstyrelsen", "socialnämnden"))


def _spelt_as_the_document_spells_it(name: str, text: str) -> str:
    """The name with a place word a scan misread in the letterhead ("Hjortrnark", "Iindnäs")
    spelt as the rest of the document spells that place more often ("Kommunhuset, Hjortmark").

    Only a near miss (an edit or two, OCR's letter confusions) is respelt, never into an
    inflection of the word (Umeå is not respelt Umeås): which förbund it is does not change.
    """
    counts = Counter(_WORD_RE.findall(text))
    out = name
    for word in dict.fromkeys(_WORD_RE.findall(name)):
        folded = ocr_fold(word)
        if len(folded) < 4 or folded in _NAME_FRAME_WORDS or not word[0].isupper():
            continue
        allowed = max(1, len(folded) // 6)
        best: list[tuple[int, str]] = []
        for other, seen in counts.items():
            if seen <= counts[word] or not other[0].isupper() or abs(len(other) - len(word)) > 2:
                continue
            other_folded = ocr_fold(other)
            if other_folded.startswith(folded) or folded.startswith(other_folded):
                continue
            distance = min(Levenshtein.distance(folded, other_folded, score_cutoff=allowed + 1),
                           Levenshtein.distance(_ocr_shape(folded), _ocr_shape(other_folded),
                                                score_cutoff=allowed + 1))
            if distance <= allowed:
                best.append((seen, other))
        best.sort(reverse=True)
        if best and (len(best) == 1 or best[0][0] > best[1][0]):
            out = re.sub(rf"\b{re.escape(word)}\b", best[0][1], out)
    return out


def _org_names(line: str, doc_words: frozenset[str] = frozenset()) -> list[str]:
    names: list[str] = _org_form_names(line, doc_words)
    # The pattern needs the word itself: most lines are ruled out without running it.
    if "amordningsförbundet" not in line and "SAMORDNINGSFÖRBUNDET" not in line:
        return names
    for m in _ORG_RE.finditer(line):
        words = m.group(1).strip()
        kept = list(itertools.takewhile(lambda w: w.lower() not in LETTERHEAD_STOP_WORDS, words.split()))
        words = " ".join(kept) if kept else ""
        words = _TRAILING_CONJUNCTION_RE.sub("", words).strip(" -–—")
        if not words:
            continue
        # After a stop word the letterhead has ended: what follows is not a genitive's head.
        after = line[m.end() : m.end() + 20] if len(kept) == len(m.group(1).split()) else ""
        last = words.split()[-1]
        # "Samordningsförbundet Härnösand Timrås styrelse": a genitive, not part of the name.
        if last.endswith("s") and last.lower() not in ("läns",) and _LOWER_WORD_AFTER_RE.match(after) \
                and not _NAME_GOES_ON_RE.match(after):
            words = words[:-1]
        prefix = m.group(0)[: m.group(0).find(m.group(1))]
        names.append(collapse_ws(f"{prefix} {words}"))
    return names


def _municipal_board(lines: list[str]) -> str | None:
    head = [line.strip().rstrip(_TRAILING_MARKS) for line in lines if line.strip()][:LETTERHEAD_LINES]
    for line in head:
        m = _BODY_OF_RE.search(line)
        if m:
            return f"{m.group(2)}, {m.group(1).lower()}"
    for line in head:
        m = _MUNICIPALITY_AND_BODY_RE.match(line)
        if m:
            return f"{m.group(1)}, {m.group(2).lower()}"
    for i, line in enumerate(head):
        if _MUNICIPALITY_RE.match(line):
            for other in head[i + 1 : i + 3]:
                if _MUNICIPAL_BODY_RE.match(other):
                    return f"{line}, {other.lower()}"
    return None


def _org_form_names(line: str, doc_words: frozenset[str] = frozenset()) -> list[str]:
    names: list[str] = []
    low = line.lower()
    if "amordningsförbund" not in low and "finsam" not in low:
        return names
    for pattern, template in _ORG_FORMS:
        for m in pattern.finditer(line):
            town = m.group(1)
            if town.lower() in ("samordningsförbundet", "finsam", "och", "i"):
                continue
            names.append(template.format(_drop_genitive(town, doc_words) if template.startswith("Samordnings")
                                         else town))
    return names


def _join_split_letterheads(lines: list[str]) -> list[str]:
    """'SAMORDNINGSFÖRBUNDET' on one line and 'JÄMTLANDS LÄN' on the next are one name."""
    out = list(lines)
    for i, line in enumerate(lines):
        if line.strip().upper() == "SAMORDNINGSFÖRBUNDET":
            for j in range(i + 1, min(len(lines), i + 3)):
                nxt = lines[j].strip()
                if nxt:
                    if nxt.isupper():
                        out[i] = f"{line.strip()} {nxt}"
                        out[j] = ""
                    break
    return out
