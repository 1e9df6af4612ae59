"""Who attended: the attendance part of a protocol's header, in the layouts förbund use.

- a table with columns (name, utsedd av, beslutande, närvaro), one row per person;
- a run-together list: "Klas Rydell, Försäkringskassan, ordförande Maria Engberg, ...";
- one person per line: "Lars Kempe, Timrå kommun";
- names in one column and their bodies in the next: "Peter Vigen Harriet Hedlund\tUmeå kommun, ...".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from storage.ingest.parsed import ParsedPerson
from storage.ingest.text_utils import NAME_WORD, NOT_NAME_WORDS, PARTY_RE, is_member_body, is_person_name
from storage.swedish.cleaning import collapse_ws, strip_list_dash


@dataclass
class _Label:
    pattern: re.Pattern[str]
    role: str
    voting: bool
    present: bool = True


_LABELS = [
    _Label(re.compile(r"^tjänstgörande\s+ersättare", re.I), "ersättare", True),
    _Label(re.compile(r"^(?:ej\s+tjänstgörande\s+|närvarande\s+|övriga\s+)?ersättare", re.I), "ersättare", False),
    _Label(re.compile(r"^(?:frånvarande|ej\s+närvarande|anmält\s+förhinder)(?:\s+ledamöter)?", re.I),
           "ledamot", False, False),
    _Label(re.compile(
        r"^(?:närvarande\s+)?(?:ordinarie\s+)?ledamöter|^närvarande\s+ordinarie|"
        r"^beslutande(?:\s+ledamöter)?|^tjänstgörande\s+ledamöter|^närvarande(?=\s*[:\t])|"
        r"^(?:ordinarie\s+)?ledamot(?=\s*[:\t])", re.I),
        "ledamot", True),
    _Label(re.compile(
        r"^(?:övriga\s+(?:deltagare|närvarande)|närvarande\s+övriga|övriga|närvarande\s+tjänste\w+|"
        r"tjänstemän|tjänstepersoner|dessutom\s+närvarande|adjungerade?|deltagare(?=\s*[:\t]))", re.I),
        "övrig", False),
]
# Lines that end an attendance list: other parts of the header.
_STOP_RE = re.compile(
    r"^(?:utses\s+att\s+justera|justera|justering|underskrift|under-|sekreterare|ordförande|"
    r"plats|tid\b|paragrafer|datum|sammanträdesdatum|bevis|anslag|förvaringsplats|protokollet|organ\b|"
    r"§|ledamöter|ersättare)", re.I)
_COLUMN_RE = re.compile(r"utsedd|representer|organisation|parti|beslutande|närvar|tjänstgör|myndighet", re.I)
_NOTE_RE = re.compile(
    r"§|närvaro|avvek|deltog|lämnade|anslöt|från\s+kl|till\s+kl|digital|distans|frånvarande|kl\.?\s*\d",
    re.I)
_TITLE_SUFFIXES = ("chef", "ledare", "utvecklare", "samordnare", "handläggare", "sekreterare", "ekonom",
                   "ordförande", "revisor", "strateg", "koordinator", "controller", "utredare", "kanslist")
_TITLE_WORDS = {"vice", "ordförande", "ledamot", "ersättare", "adjungerad", "tjänsteman", "administratör",
                "biträde", "sakkunnig", "sakkunnigt", "senior", "associate", "gäst", "föredragande"}
_MARK_RE = re.compile(r"^(?:x|ja|✓|✔|•)$", re.I)
_NOTE_COLUMN_RE = re.compile(r"anteckning|kommentar|notering", re.I)
_NAME_WORD_RE = re.compile(NAME_WORD)


@dataclass
class _Group:
    people: list[ParsedPerson] = field(default_factory=list)
    has_attrs: bool = False


def parse_attendance(lines: list[str]) -> list[ParsedPerson]:
    """Every person listed in a protocol header (absent ones with present=False)."""
    people: list[ParsedPerson] = []
    i = 0
    while i < len(lines):
        label, rest = _match_label(lines[i])
        if label is None:
            i += 1
            continue
        cells = [c.strip() for c in lines[i].split("\t")]
        if len(cells) >= 2 and any(_COLUMN_RE.search(c) for c in cells[1:]):
            found, i = _read_table(lines, i, label, cells)
            people += found
            continue
        content, i = _gather(lines, i, rest)
        if not content:
            continue
        first_cells = [c.strip() for c in content[0].split("\t") if c.strip()]
        if len(content) == 1 and len(first_cells) >= 2 and _is_name_run(first_cells[0]):
            people += _read_columns(first_cells[0], " ".join(first_cells[1:]), label)
        else:
            people += _read_list(content, label)
    return _dedupe(people)


_LABEL_REST_RE = re.compile(r"^\s*[:\t]|^\s*$|^\s+[A-ZÅÄÖ]")


def _match_label(line: str) -> tuple[_Label | None, str]:
    s = line.strip()
    for label in _LABELS:
        m = label.pattern.match(s)
        if m:
            rest = s[m.end():]
            if rest and not _LABEL_REST_RE.match(rest):
                return None, ""
            return label, rest.lstrip(" :\t")
    return None, ""


def _gather(lines: list[str], i: int, rest: str) -> tuple[list[str], int]:
    content = [rest] if rest.strip() else []
    j = i + 1
    while j < len(lines):
        s = lines[j].strip()
        if not s:
            k = j + 1
            while k < len(lines) and not lines[k].strip():
                k += 1
            # Go on past a blank line only into another person line.
            if content and k < len(lines) and _starts_with_name(lines[k]) and not _match_label(lines[k])[0]:
                j = k
                continue
            if not content and k < len(lines) and k - j < 3:
                j = k
                continue
            break
        if _match_label(s)[0] or _STOP_RE.match(s):
            break
        content.append(s)
        j += 1
    return content, j


_NAME_START_RE = re.compile(rf"({NAME_WORD}(?:\s+{NAME_WORD}){{1,3}})(?:\s*\(|\s*,|\s*$|\t)")


def _starts_with_name(line: str) -> bool:
    s = line.strip()
    m = _NAME_START_RE.match(s)
    return bool(m and is_person_name(m.group(1)))


def _is_name_run(cell: str) -> bool:
    words = cell.split()
    return len(words) >= 4 and "," not in cell and all(
        _NAME_WORD_RE.fullmatch(w) and w.lower() not in NOT_NAME_WORDS for w in words)


# --- tables -------------------------------------------------------------------------------


_VACANT_RE = re.compile(r"^vakan", re.I)


def _read_table(lines: list[str], i: int, label: _Label, header: list[str]) -> tuple[list[ParsedPerson], int]:
    col_body = next((k for k, c in enumerate(header) if re.search(r"utsedd|representer|organisation|myndighet",
                                                                    c, re.I)), None)
    col_vote = next((k for k, c in enumerate(header) if re.search(r"beslutande|tjänstgör", c, re.I)), None)
    col_present = next((k for k, c in enumerate(header) if re.search(r"närvar", c, re.I)), None)
    col_party = next((k for k, c in enumerate(header) if re.search(r"parti", c, re.I)), None)
    col_note = next((k for k, c in enumerate(header) if _NOTE_COLUMN_RE.search(c)), None)
    # "Närvarande §§": the cell gives the §§ ("12–14, 16"), read on by storage.ingest.presence.
    present_gives_paragraphs = col_present is not None and "§" in header[col_present]
    rows: list[tuple[ParsedPerson, bool]] = []
    j = i + 1
    while j < len(lines):
        raw = lines[j]
        if not raw.strip():
            break
        if _match_label(raw)[0] or "\t" not in raw:
            break
        cells = [c.strip() for c in raw.split("\t")]
        j += 1
        name_cell = cells[0]
        if not name_cell or _VACANT_RE.match(name_cell):
            continue
        party = None
        pm = PARTY_RE.search(name_cell)
        if pm:
            party = pm.group(1)
            name_cell = PARTY_RE.sub("", name_cell)
        name, _, extra = name_cell.partition(",")
        name = collapse_ws(name)
        if not is_person_name(name):
            continue
        person = ParsedPerson(name=name, role=label.role, party=party, voting=False, present=True)
        if extra.strip():
            _apply_attr(person, extra.strip())
        if col_body is not None and col_body < len(cells) and cells[col_body]:
            # A list dash before the body ("- Umeå kommun"), as OCR also reads a speck there.
            person.member_body = strip_list_dash(collapse_ws(cells[col_body])) or None
        if col_party is not None and col_party < len(cells) and cells[col_party]:
            person.party = cells[col_party].strip("() ")
        marked = False
        if col_vote is not None and col_vote < len(cells) and cells[col_vote]:
            person.voting = True
            marked = True
            if not _MARK_RE.match(cells[col_vote]):
                person.note = cells[col_vote]
        if col_present is not None and col_present < len(cells) and cells[col_present]:
            marked = True
            if not _MARK_RE.match(cells[col_present]):
                value = cells[col_present]
                if present_gives_paragraphs and value[:1].isdigit():
                    value = f"§§ {value}"
                person.note = _join_note(person.note, value)
        if col_note is not None and col_note < len(cells) and cells[col_note]:
            person.note = _join_note(person.note, cells[col_note])
        rows.append((person, marked))
    # A table with marks lists everyone appointed; an unmarked row is someone absent.
    if any(marked for _, marked in rows) and (col_vote is not None or col_present is not None):
        for person, marked in rows:
            person.present = marked
            if col_vote is None:
                # Without a "beslutande" column, present ledamöter decide.
                person.voting = label.voting and marked
    elif not label.present:
        for person, _ in rows:
            person.present = False
    return [p for p, _ in rows], j


def parse_vacancies(lines: list[str]) -> list[tuple[str, str]]:
    """Seats an attendance table gives as vacant, as (role, member body): the "Vakant" rows that
    `_read_table` passes over as no person."""
    seats: list[tuple[str, str]] = []
    label: _Label | None = None
    col_body: int | None = None
    for raw in lines:
        found, _rest = _match_label(raw)
        cells = [c.strip() for c in raw.split("\t")]
        if found is not None:
            label = found
            col_body = next((k for k, c in enumerate(cells) if re.search(r"utsedd|representer|organisation|myndighet",
                                                                            c, re.I)), None)
            continue
        if label is None or col_body is None or "\t" not in raw:
            label = None
            continue
        if _VACANT_RE.match(cells[0]) and col_body < len(cells) and cells[col_body]:
            seats.append((label.role, strip_list_dash(collapse_ws(cells[col_body]))))
    return seats


# --- names in one column, bodies in the next ---------------------------------------------


def _read_columns(names_cell: str, attrs_cell: str, label: _Label) -> list[ParsedPerson]:
    words = names_cell.split()
    slots_a = _attr_slots(attrs_cell, titles_join_previous=False)
    slots_b = _attr_slots(attrs_cell, titles_join_previous=True)
    count = len(words) // 2 if len(words) % 2 == 0 else None
    slots = slots_a
    if count is not None and len(slots_a) != count and len(slots_b) == count:
        slots = slots_b
    if count is None and len(slots) and len(words) // len(slots) in (2, 3):
        count = len(slots)
    names = _split_names(words, count or max(1, len(words) // 2))
    people: list[ParsedPerson] = []
    for k, name in enumerate(names):
        person = ParsedPerson(name=name, role=label.role, voting=label.voting, present=label.present)
        for attr in slots[k] if k < len(slots) else []:
            _apply_attr(person, attr)
        _settle_role(person, label)
        people.append(person)
    return people


def _split_names(words: list[str], count: int) -> list[str]:
    if count <= 0:
        return []
    if len(words) == 2 * count:
        return [" ".join(words[k : k + 2]) for k in range(0, len(words), 2)]
    # Some names have three words; give the extra words to the last names.
    base, extra = divmod(len(words), count)
    names, pos = [], 0
    for k in range(count):
        size = base + (1 if k >= count - extra else 0)
        names.append(" ".join(words[pos : pos + size]))
        pos += size
    return names


def _attr_slots(cell: str, titles_join_previous: bool) -> list[list[str]]:
    slots: list[list[str]] = []
    for c, chunk in enumerate(cell.split(",")):
        items = _scan_items(chunk.strip())
        for k, (kind, text) in enumerate(items):
            continues = slots and ((c > 0 and k == 0) or (titles_join_previous and kind == "title"))
            if continues:
                slots[-1].append(text)
            else:
                slots.append([text])
    return slots


def _scan_items(chunk: str) -> list[tuple[str, str]]:
    """Splits 'ordförande Region Västerbotten Försäkringskassan' into its bodies and titles."""
    tokens = chunk.split()
    items: list[tuple[str, str]] = []
    i = 0
    while i < len(tokens):
        t = tokens[i]
        low = t.lower()
        nxt = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
        if low == "region":
            j = i + 1
            while j < len(tokens) and _NAME_WORD_RE.fullmatch(tokens[j]) and not is_member_body(tokens[j]) \
                    and not _is_title_word(tokens[j]) and not (
                        j + 1 < len(tokens) and tokens[j + 1].lower() in ("kommun", "stad")):
                j += 1
            if j < len(tokens) and tokens[j].lower() == "län":
                j += 1
            items.append(("body", " ".join(tokens[i:j])))
            i = j
        elif nxt in ("kommun", "stad", "kommuner"):
            items.append(("body", f"{t} {tokens[i + 1]}"))
            i += 2
        elif nxt == "läns" and i + 2 < len(tokens) and tokens[i + 2].lower().startswith("landsting"):
            items.append(("body", " ".join(tokens[i : i + 3])))
            i += 3
        elif is_member_body(t):
            items.append(("body", t))
            i += 1
        elif _is_title_word(t) or t[:1].islower():
            j = i + 1
            while j < len(tokens) and (tokens[j][:1].islower() and tokens[j].lower() not in ("kommun",)):
                j += 1
            items.append(("title", " ".join(tokens[i:j])))
            i = j
        else:
            items.append(("body", t))
            i += 1
    return items


def _is_title_word(word: str) -> bool:
    low = word.lower().strip(".,")
    return low in _TITLE_WORDS or low.endswith(_TITLE_SUFFIXES)


# --- run-together lists and one person per line -------------------------------------------


def _read_list(content: list[str], label: _Label) -> list[ParsedPerson]:
    groups: list[_Group] = []
    for line in content:
        new_line = True
        for segment in _segments(line):
            for kind, text, party in _segment_items(segment):
                if kind == "attr":
                    if groups:
                        for person in groups[-1].people:
                            _apply_attr(person, text)
                        groups[-1].has_attrs = True
                else:
                    if new_line or not groups or groups[-1].has_attrs:
                        groups.append(_Group())
                    groups[-1].people.append(
                        ParsedPerson(name=text, role=label.role, party=party, voting=label.voting,
                                     present=label.present))
                new_line = False
    people = [p for g in groups for p in g.people]
    for person in people:
        _settle_role(person, label)
    return people


_SEPARATOR_RE = re.compile(r"[,;\t]")


def _segments(line: str) -> list[str]:
    """Splits on commas outside parentheses, and on tabs."""
    parts: list[str] = []
    if "(" not in line:
        # Nothing nests: the character walk below would split at every separator.
        parts = _SEPARATOR_RE.split(line)
        return [p.strip().rstrip(".").strip() for p in parts if p.strip().rstrip(".").strip()]
    depth, current = 0, ""
    for ch in line:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if (ch in ",;" and depth == 0) or ch == "\t":
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [p.strip().rstrip(".").strip() for p in parts if p.strip().rstrip(".").strip()]


@lru_cache(maxsize=16384)
def _is_name_token(token: str) -> bool:
    return bool(_NAME_WORD_RE.fullmatch(token)) and token.lower() not in NOT_NAME_WORDS \
        and not _is_title_word(token)


def _segment_items(segment: str) -> list[tuple[str, str, str | None]]:
    """A segment as ("name", name, party) and ("attr", text, None) items, in order.

    'ordförande Maria Engberg' -> attr, name; 'Anna Andersson (S) ordförande' -> name, attr;
    'Region Jämtland Härjedalen Carina Hemmingsson' -> attr, name.
    """
    tokens = segment.split()
    items: list[tuple[str, str, str | None]] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            items.append(("attr", " ".join(buf), None))
            buf.clear()

    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t.lower() == "region":
            k = 0
            while i + 1 + k < len(tokens) and _is_name_token(tokens[i + 1 + k]):
                k += 1
            # A region's name has one or two words; two name words after it are a person.
            take = k - 2 if k >= 3 else k
            buf += tokens[i : i + 1 + take]
            i += 1 + take
            continue
        if t.lower() in ("och", "&", "samt") and not buf and items and items[-1][0] == "name":
            i += 1
            continue
        run = 0
        while i + run < len(tokens) and _is_name_token(tokens[i + run]):
            run += 1
        if run >= 2:
            words = tokens[i : i + run]
            if run == 3 and buf:
                # "teamledare Enter Anna Warén": the first word ends the title.
                buf.append(words[0])
                words = words[1:]
            flush()
            names = [words[:2], words[2:]] if len(words) == 4 else [words]
            i += run
            party = None
            party_match = PARTY_RE.fullmatch(tokens[i]) if i < len(tokens) else None
            if party_match:
                party = party_match.group(1)
                i += 1
            for n in names:
                name = " ".join(n)
                if is_person_name(name):
                    items.append(("name", name, party))
                else:
                    buf.append(name)
            continue
        buf.append(t)
        i += 1
    flush()
    return items


# --- attributes ---------------------------------------------------------------------------


_PARENS_RE = re.compile(r"\(([^)]*)\)")
_PARAGRAPH_NOTE_RE = re.compile(r"^(§§?\s*\d+\s*[-–]\s*\d+\w?)\s*(.*)$")
_SUBSTITUTE_RE = re.compile(r"\bersättare\b")
_SUBSTITUTE_WORDS_RE = re.compile(r"(?i)\b(?:tjänstgörande\s+)?ersättare\b")
_DIGIT_RE = re.compile(r"\d")


def _apply_attr(person: ParsedPerson, attr: str) -> None:
    text = collapse_ws(attr).strip(" ,.")
    if not text:
        return
    # Notes in parentheses: "(§§ 1-4b)".
    for paren in _PARENS_RE.finditer(text):
        inner = paren.group(1).strip()
        party = PARTY_RE.fullmatch(paren.group(0))
        if party and not person.party:
            person.party = party.group(1)
        elif inner and is_member_body(inner) and not person.member_body:
            person.member_body = inner
        elif inner:
            person.note = _join_note(person.note, inner)
    text = collapse_ws(_PARENS_RE.sub(" ", text)).strip(" ,.")
    note = _PARAGRAPH_NOTE_RE.match(text)
    if note:
        person.note = _join_note(person.note, note.group(1))
        text = note.group(2).strip()
    if not text:
        return
    low = text.lower()
    if _SUBSTITUTE_RE.search(low):
        person.role = "ersättare"
        if "tjänstgör" in low:
            person.voting = True
        text = collapse_ws(_SUBSTITUTE_WORDS_RE.sub(" ", text)).strip(" ,.")
        if not text:
            return
        low = text.lower()
    if is_member_body(text):
        person.member_body = person.member_body or text
    elif _NOTE_RE.search(text) or _DIGIT_RE.search(text):
        person.note = _join_note(person.note, text)
    elif text[:1].isupper() and " " not in text and not _is_title_word(text):
        # A single capitalised word: an organisation (KPMG, Coompanion).
        person.member_body = person.member_body or text
    else:
        title = text if text[:1].islower() else text[:1].lower() + text[1:]
        person.title = f"{person.title}, {title}" if person.title else title


def _settle_role(person: ParsedPerson, label: _Label) -> None:
    if person.role == "ersättare" and label.role == "ledamot" and label.voting:
        # An ersättare listed among the beslutande serves (tjänstgör) and votes.
        person.voting = True


def _join_note(note: str | None, extra: str) -> str:
    extra = extra.strip(" .")
    if not note:
        return extra
    if extra.lower() in note.lower():
        return note
    return f"{note}; {extra}"


def _dedupe(people: list[ParsedPerson]) -> list[ParsedPerson]:
    seen: set[str] = set()
    kept: list[ParsedPerson] = []
    for p in people:
        key = p.name.lower()
        if key in seen:
            continue
        seen.add(key)
        kept.append(p)
    return kept
