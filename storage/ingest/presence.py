"""Who was present at which §§: arrivals, departures and jäv, wherever a protocol writes them.

- a närvarolista as a table, in the header or appended after the last §: Namn / Parti or
  Organisation / Ledamot–Ersättare / Närvarande §§ / a note ("Lämnade sammanträdet efter § 12",
  "Kom kl 14.10 under § 5");
- running text in a §: "Anna Berg (S) lämnar sammanträdet kl 15.00 under § 14", "Per Ek (M)
  deltar inte i handläggningen av § 8 på grund av jäv";
- a note in an attendance list: "Maria Engberg, Arbetsförmedlingen, §§ 1-8".

What a person was present at is kept as the §§ of the protocol, written "5-12,14", and only when
it is not every § (someone present throughout has none). The words say what an event does: the
verbs and prepositions below are the data, read by one mechanism.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storage.ingest.parsed import ParsedPerson
from storage.ingest.text_utils import PARTY_RE, is_member_body, is_person_name, name_key
from storage.swedish.cleaning import PAGE_BREAK, collapse_ws

# Verbs of a presence event, by what they do.
EVENT_VERBS: dict[str, str] = {
    "abstain": r"anmäler\s+jäv|anmälde\s+jäv|deltar\s+(?:inte|ej)|deltog\s+(?:inte|ej)|jäv|jävig|avstår",
    # Coming and going only with what they come to or leave, or when ("kom kl 14.10", "lämnar
    # sammanträdet", "går efter § 12"): "lämnade en rapport", "går igenom", "kom överens" are not.
    "arrive": r"(?:kom|kommer|anländer|anlände|ankommer|ankom|ansluter|anslöt|inträder|inträdde|tillkommer|"
              r"tillkom)(?=\s+(?:\w+\s+)?(?:sammanträdet|mötet|kl\.?|klockan|till|in|under|vid|efter|före)\b)",
    "leave": r"(?:lämnar|lämnade|avviker|avvek|går|gick|avgår|avgick)(?=\s+(?:\w+\s+)?(?:sammanträdet|mötet|"
             r"lokalen|salen|kl\.?|klockan|efter|under|före|vid|från|ifrån)\b)",
    # Taking part says which way by its preposition ("från och med § 9", "till och med § 12", "i §§ 5-7").
    "serve": r"tjänstgör|tjänstgjorde|närvarar|närvarade|deltar|deltog",
}
SERVE_AS: dict[str, str] = {"från och med": "arrive", "fr o m": "arrive", "efter": "arrive",
                            "till och med": "leave", "t o m": "leave", "före": "leave"}
# The § an arriving person first took part in, by the preposition before "§ N": arriving during
# a § (or at it, or before it) they take part in its decision; arriving after it, in the next.
ARRIVE_FROM: dict[str, int] = {"under": 0, "vid": 0, "före": 0, "inför": 0, "från och med": 0, "fr o m": 0,
                               "efter": 1, "i": 0}
# The last § a leaving person took part in: leaving during a § they miss its decision.
LEAVE_UNTIL: dict[str, int] = {"under": -1, "vid": -1, "före": -1, "inför": -1, "från och med": -1,
                               "fr o m": -1, "efter": 0, "till och med": 0, "t o m": 0, "i": -1}
_PREPOSITIONS = r"under|vid|före|inför|efter|från\s+och\s+med|fr\.?\s?o\.?\s?m\.?|till\s+och\s+med|" \
                r"t\.?\s?o\.?\s?m\.?|i|av"
_EVENT_RE = re.compile(
    rf"\b(?P<verb>{'|'.join(f'(?P<{k}>{v})' for k, v in EVENT_VERBS.items())})\b[^§\n]{{0,90}}?"
    rf"(?:\b(?P<prep>{_PREPOSITIONS})\s+)?(?:(?:ärende|paragraf)\s+|§§?\s*)(?P<first>\d{{1,4}})"
    rf"(?:\s*[-–]\s*(?P<last>\d{{1,4}}))?", re.IGNORECASE)
# A bare range of §§ ("§§ 1-8", "12–14, 16"): the §§ present at, or, after "ej"/"inte", missed.
_RANGE_RE = re.compile(r"(\d{1,4})(?:\s*[-–]\s*(\d{1,4}))?")
_SPANS_CELL_RE = re.compile(r"^(?:§§?\s*)?\d{1,4}(?:\s*[-–]\s*\d{1,4})?(?:\s*(?:,|och|samt|;)\s*(?:§§?\s*)?"
                            r"\d{1,4}(?:\s*[-–]\s*\d{1,4})?)*$", re.IGNORECASE)
_BARE_NOTE_RE = re.compile(r"§§?\s*\d{1,4}(?:\s*[-–]\s*\d{1,4})?(?:\s*(?:,|och|samt)\s*\d{1,4}(?:\s*[-–]\s*\d{1,4})?)*")
_NOT_RE = re.compile(r"\b(?:ej|inte|ej\s+närvarande)\b", re.IGNORECASE)
_WHOLE_RE = re.compile(r"^(?:samtliga|alla|hela(?:\s+mötet|\s+sammanträdet)?|x|ja|✓|✔)$", re.IGNORECASE)
_ABSENT_RE = re.compile(r"^(?:[-–—]|frånvarande|ej\s+närvarande|nej|anmält\s+förhinder)$", re.IGNORECASE)
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])|\n")

# The columns of a närvarolista, by what their heading says (first match wins).
COLUMNS: list[tuple[str, re.Pattern[str]]] = [
    ("name", re.compile(r"^(?:namn|ledamot\s*/\s*ersättare\s+namn)$", re.IGNORECASE)),
    ("paragraphs", re.compile(r"närvar|§", re.IGNORECASE)),
    ("note", re.compile(r"anteckning|kommentar|notering|övrigt|anm", re.IGNORECASE)),
    ("party", re.compile(r"^parti", re.IGNORECASE)),
    ("body", re.compile(r"organisation|utsedd|representer|myndighet|huvudman", re.IGNORECASE)),
    ("role", re.compile(r"ledamot|ersättare|funktion|roll|uppdrag", re.IGNORECASE)),
]
# What the role cell says: (pattern, role, voting). Ordförande and vice ordförande are ledamöter.
ROLES: list[tuple[re.Pattern[str], str, bool]] = [
    (re.compile(r"tjänstgörande\s+ersättare", re.IGNORECASE), "ersättare", True),
    (re.compile(r"ersättare", re.IGNORECASE), "ersättare", False),
    (re.compile(r"ordförande|ledamot", re.IGNORECASE), "ledamot", True),
]


@dataclass
class _Event:
    kind: str  # arrive, leave, abstain, only
    numbers: set[int]  # the § or §§ named
    prep: str = ""


def format_spans(numbers: set[int] | list[int]) -> str:
    """5, 6, 7, 9 -> "5-7,9"."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ",".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def spans_of(text: str) -> set[int]:
    """The §§ a range text names: "§§ 12–14, 16" -> {12, 13, 14, 16}."""
    numbers: set[int] = set()
    for a, b in _RANGE_RE.findall(text):
        low, high = int(a), int(b or a)
        if low <= high <= low + 400:
            numbers |= set(range(low, high + 1))
    return numbers


def _prep(text: str | None) -> str:
    return re.sub(r"[.\s]+", " ", (text or "").lower()).strip()


def events_in(text: str) -> list[_Event]:
    """Every presence event a sentence or note gives, in order."""
    events: list[_Event] = []
    for m in _EVENT_RE.finditer(text):
        kind = next(k for k in EVENT_VERBS if m.group(k))
        first, last = int(m.group("first")), int(m.group("last") or m.group("first"))
        numbers = set(range(first, last + 1)) if first <= last <= first + 400 else {first}
        prep = _prep(m.group("prep"))
        if kind == "serve":
            if prep not in SERVE_AS and prep not in ("i", "under", "vid"):
                continue  # "deltog i diskussionen om § 4": no statement of presence
            kind = SERVE_AS.get(prep, "only")
        events.append(_Event(kind, numbers, prep))
    # What no event took: a bare range ("§§ 1-8", "Närvarande §§ 5–12; lämnade efter § 9").
    rest = _EVENT_RE.sub(" ", text)
    ranges = _BARE_NOTE_RE.findall(rest)
    if ranges:
        numbers = set().union(*(spans_of(r) for r in ranges))
        events.insert(0, _Event("abstain" if _NOT_RE.search(rest) else "only", numbers))
    return events


def present_at(all_numbers: list[int], events: list[_Event]) -> set[int]:
    present = set(all_numbers)
    for e in events:
        if e.kind == "only":
            present &= e.numbers
        elif e.kind == "abstain":
            present -= e.numbers
        elif e.kind == "arrive" and e.prep in ARRIVE_FROM:
            # "kom under §§ 5-6" from the first; "kom efter §§ 5-6" after the last
            start = (max(e.numbers) if ARRIVE_FROM[e.prep] else min(e.numbers)) + ARRIVE_FROM[e.prep]
            present = {k for k in present if k >= start}
        elif e.kind == "leave" and e.prep in LEAVE_UNTIL:
            # "avvek vid §§ 125-138" before the first; "lämnade efter §§ 7-8" after the last
            end = (min(e.numbers) if LEAVE_UNTIL[e.prep] else max(e.numbers)) + LEAVE_UNTIL[e.prep]
            present = {k for k in present if k <= end}
    return present


# --- the närvarolista table -------------------------------------------------------------------


def _columns(cells: list[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for k, cell in enumerate(cells):
        for what, rx in COLUMNS:
            if what not in found and rx.search(cell.strip()):
                found[what] = k
                break
    if "name" in found and "paragraphs" in found:
        return found
    return None


def read_attendance_table(lines: list[str]) -> list[tuple[ParsedPerson, set[int] | None, bool]]:
    """Each row of a närvarolista with a §§ column: (person, §§ written in the cell, or None when
    the cell says "all" or is empty; whether the cell marks the person absent)."""
    rows: list[tuple[ParsedPerson, set[int] | None, bool]] = []
    i = 0
    while i < len(lines):
        cols = _columns(lines[i].split("\t")) if "\t" in lines[i] else None
        i += 1
        if cols is None:
            continue
        while i < len(lines):
            if "\t" not in lines[i]:
                # A page break inside the table (with the blank lines around it) does not end it.
                k = i
                while k < len(lines) and (lines[k] == PAGE_BREAK or not lines[k].strip()):
                    k += 1
                if PAGE_BREAK in lines[i:k] and k < len(lines) and "\t" in lines[k]:
                    i = k
                    continue
                break
            cells = [c.strip() for c in lines[i].split("\t")]
            i += 1
            if _columns(cells) is not None:
                continue  # the heading row repeated on the next page

            def cell(what: str, cells: list[str] = cells, cols: dict[str, int] = cols) -> str:
                k = cols.get(what)
                return cells[k] if k is not None and k < len(cells) else ""

            name = cell("name")
            party = PARTY_RE.search(name)
            name = collapse_ws(PARTY_RE.sub("", name))
            if not is_person_name(name):
                continue
            person = ParsedPerson(name=name, role="övrig", voting=False)
            role_text = cell("role")
            for rx, role, voting in ROLES:
                if rx.search(role_text):
                    person.role, person.voting = role, voting
                    break
            else:
                if role_text:
                    person.title = role_text[:1].lower() + role_text[1:]
            if party:
                person.party = party.group(1)
            if cell("party"):
                person.party = cell("party").strip("() ")
            if cell("body"):
                value = cell("body")
                if is_member_body(value) or " " in value or not value.isupper():
                    person.member_body = value
                else:
                    person.party = person.party or value
            person.note = cell("note") or None
            spans_text = cell("paragraphs")
            absent = bool(_ABSENT_RE.match(spans_text))
            spans = spans_of(spans_text) if _SPANS_CELL_RE.match(spans_text) else None
            if _WHOLE_RE.match(spans_text):
                spans = None
            if absent:
                person.present = person.voting = False
            rows.append((person, spans, absent))
    return rows


# --- one mechanism over the whole protocol --------------------------------------------------


def apply_presence(people: list[ParsedPerson], protocol_lines: list[str], paragraph_numbers: list[int],
                   paragraph_texts: list[str]) -> list[ParsedPerson]:
    """The attendance list with who was present at which §§, and the people of a närvarolista
    table (appended or in the header) that the header's list lacked."""
    numbers = sorted(set(paragraph_numbers))
    by_key = {name_key(p.name): p for p in people}
    explicit: dict[str, set[int]] = {}
    for person, spans, _absent in read_attendance_table(protocol_lines):
        key = name_key(person.name)
        known = by_key.get(key)
        if known is None:
            people.append(person)
            by_key[key] = known = person
        else:
            known.party = known.party or person.party
            known.member_body = known.member_body or person.member_body
            if person.note:
                known.note = _join(known.note, person.note)
            if not person.present:
                known.present = known.voting = False
        if spans:
            explicit[key] = spans
    if not numbers:
        return people
    events: dict[str, list[_Event]] = {k: [_Event("only", s)] for k, s in explicit.items()}
    for person in people:
        if person.note:
            events.setdefault(name_key(person.name), []).extend(events_in(person.note))
    for text in paragraph_texts:
        for sentence in _SENTENCE_RE.split(text):
            m = _EVENT_RE.search(sentence)
            if not m:
                continue
            named = [(p, at) for p in people
                     for at in [_name_at(p.name, sentence[: m.start()])] if at is not None]
            for person, at in named:
                found = events_in(sentence[at:])
                if found:
                    events.setdefault(name_key(person.name), []).extend(found)
                    said = collapse_ws(PARTY_RE.sub("", sentence[m.start():])).strip(" .")
                    person.note = _join(person.note, said)
    for person in people:
        told = events.get(name_key(person.name))
        if not told:
            continue
        present = present_at(numbers, told)
        if present and present != set(numbers):
            person.paragraphs = format_spans(present)
    return people


def _name_at(name: str, text: str) -> int | None:
    """Where the name stands in the text as a whole name ("Frida Lund" is not in "Frida Lunding")."""
    m = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)
    return m.start() if m else None


def _join(note: str | None, extra: str) -> str:
    if not note:
        return extra
    if extra.lower() in note.lower():
        return note
    return f"{note}; {extra}"
