"""A protocol's header (date, time, place, officers, justering, anslag) and its paragraphs.

The header is read by labels ("Plats och tid", "Utses att justera", "Anslaget uppsatt den"),
wherever a layout puts the value: after a tab, after a colon, on the next line or run
together with the next label.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re

from storage.ingest.attendance import parse_attendance, parse_vacancies
from storage.ingest.parsed import ParsedParagraph, ParsedProtocol
from storage.ingest.presence import apply_presence
from storage.ingest.sections import PARA_HEADER_RE, Layout, ParaHeader, other_citation
from storage.ingest.text_utils import NAME_RE, find_dnr, is_person_name, name_key, tidy_place
from storage.swedish.cleaning import collapse_ws, page_breaks, strip_list_dash
from storage.swedish.dates import DEADLINE_RE, first_date, parse_period, parse_time_range

# Labels whose value is the meeting's date (first those that can mean nothing else).
_DATE_LABELS = [
    re.compile(r"^(?:sammanträdesdatum|mötesdatum|datum\s+för\s+sammanträdet|sammanträdets\s+datum)\b", re.I),
    re.compile(r"^(?:plats\s+och\s+tid|tid\s+och\s+plats|dag\s+och\s+tid|tid|datum)\b(?!\s+för\s+(?:anslag|just))",
               re.I),
]
_PLACE_LABELS = re.compile(r"^(?:plats\s+och\s+tid|tid\s+och\s+plats|plats|lokal|mötesplats|sammanträdesplats)\b",
                           re.I)
_HELD_IN_RE = re.compile(r"\b(?:mötet|sammanträdet)\s+(?:hölls|genomfördes|sker|skedde|äger\s+rum)\s+"
                         r"(?:i|via|på|digitalt\s+via)\s+([^.\n\t]+)", re.I)
_ONLINE_RE = re.compile(r"\b(?:digitalt\s+)?(?:via|i|på)\s+(Teams|Zoom|Skype|Google\s+Meet|Webex)\b", re.I)
# Header words that may be run together with the previous value ("Christer Rube Paragrafer").
_RUN_ON_LABELS = re.compile(
    r"\s+(?:Paragrafer|Justeringens\s+plats\s+och\s+tid|Justering|Underskrifter|Sekreterare|Ordförande|"
    r"Plats|Tid|Beslutande)\b.*$")
_ROLE_WORDS = {
    "sekreterare": "secretary", "protokollförare": "secretary", "mötessekreterare": "secretary",
    "ordförande": "chair", "mötesordförande": "chair", "vice ordförande": "vice_chair",
    "justerare": "justerare", "justerande": "justerare", "förbundschef": "förbundschef",
}
_ROLE_RE = re.compile(
    r"\b(vice\s+ordförande|mötesordförande|ordförande|mötessekreterare|sekreterare|protokollförare|"
    r"justerare|justerande|förbundschef)\b", re.I)
_SIGNATURE_START_RE = re.compile(r"^(?:under-?\s*skrift(?:er)?|underskrifter|signaturer)\b\s*:?", re.I)
_JUSTERARE_LABEL_RE = re.compile(
    r"^(?:utses\s+att\s+justera|utsedda?\s+att\s+justera|justerare|justerande|att\s+justera)\b\s*:?\s*(.*)$", re.I)
_JUSTERING_DATE_RES = [
    re.compile(r"justeringsdatum\s*:?\s*", re.I),
    re.compile(r"justeringens\s+(?:plats\s+och\s+tid|datum|tid)\s*:?\s*", re.I),
    re.compile(r"(?:plats\s+och\s+tid|tid\s+och\s+plats|datum)\s+för\s+justering(?:en)?\s*:?\s*", re.I),
    re.compile(r"\b(?:protokollet\s+)?justera(?:t|des)\s+(?:den\s+)?(?=\d)", re.I),
    re.compile(r"^justering\s*:?\s*(?!.*senast)", re.I),
]
_SERVICES = ("Oneflow", "Scrive", "Assently", "Visma Sign", "Comfact", "BankID", "Adobe Sign", "DocuSign",
             "Signicat", "Netpublicator", "Inleed", "Zignsec", "Addo", "Penneo", "e-tjänst")
_POSTED_RE = re.compile(
    r"(?:datum\s+för\s+anslags?\s+uppsättande|anslagsdatum|datum\s+för\s+anslag(?!s?\s+nedtag)|"
    r"anslag(?:s|et)?\s+(?:är\s+|har\s+|blev\s+)?(?:uppsatt|uppsättande|sätts\s+upp|sattes\s+upp|"
    r"satts\s+upp|publicerat|publicerades|publiceras)|datum\s+då\s+anslaget\s+(?:sattes|sätts)\s+upp)"
    r"\D{0,30}?", re.I)
_REMOVED_RE = re.compile(
    r"(?:datum\s+för\s+anslags?\s+nedtagande|"
    r"anslag(?:s|et)?\s+(?:\S+\s+){0,8}?(?:och\s+)?(?:nedtas|nedtagande|tas\s+(?:ned|ner|bort)|togs\s+(?:ned|ner)|"
    r"nedtaget|avslutas)|datum\s+då\s+anslaget\s+tas\s+(?:ned|ner|bort))"
    r"\D{0,30}?", re.I)
_ANSLAG_PERIOD_RE = re.compile(r"anslagsperiod|anslaget\s+(?:gäller|är\s+uppsatt)\s+(?:under\s+)?(?:perioden\s+)?",
                               re.I)
_STORAGE_RES = [
    re.compile(r"förvaringsplats(?:\s+för\s+protokollet)?(?:\s+är)?\s*:?\s*([^\n]+)", re.I),
    re.compile(r"protokollet\s+förvaras\s+(?:på|hos|i|vid)\s+([^\n]+)", re.I),
]
_RANGE_RE = re.compile(r"§§?\s*(\d{1,4})\s*[-–—]\s*(\d{1,4})")

# Sub-headings inside a paragraph.
_PROPOSAL_RE = re.compile(
    r"^(?:förslag\s+till\s+beslut|beslutsförslag|förvaltningens\s+förslag|kansliets\s+förslag|"
    r"arbetsutskottets\s+förslag|ordförandens\s+förslag|förbundschefens\s+förslag)\s*:?\s*(.*)$", re.I)
_MOTIONS_RE = re.compile(r"^yrkanden?\s*:?\s*(.*)$", re.I)
_DECISION_LABEL_RE = re.compile(r"^(?:beslut|styrelsens\s+beslut|beslutet)\s*(?::\s*(.*))?$", re.I)
_DECIDES_RE = re.compile(
    r"^(?:(?:förbunds)?styrelsen|samordningsförbundet|förbundet|nämnden|arbetsutskottet|"
    r"förbundsstyrelsen|direktionen)\s+(?:\w+\s+)?(?:beslutar|beslutade|beslöt|besluta)\b\s*:?\s*(.*)$", re.I)
_OTHER_SECTION_RE = re.compile(
    r"^(?:underlag\s+för\s+beslut|beslutsunderlag|bakgrund|ärendebeskrivning|ärendet|handlingar|bilagor?|"
    r"sammanfattning|expedieras\s+till|skickas\s+till|protokollsanteckning)\s*:?\s*$", re.I)
_INLINE_DECIDES_RE = re.compile(
    r"\b(?:beslutar|beslutade|beslöt)\s+(?:(?:förbunds)?styrelsen|nämnden|samordningsförbundet)\b|"
    r"\b(?:(?:förbunds)?styrelsen|nämnden|samordningsförbundet)\s+(?:\w+\s+)?(?:beslutar|beslutade|beslöt)\b",
    re.I)
_PASSIVE_DECISION_RE = re.compile(
    r"\b(?:godkändes|godkänns|valdes|väljs|utses|utsågs|fastställdes|fastställs|antogs|antas|beviljades|"
    r"beslöts|lades\s+till\s+handlingarna|läggs\s+till\s+handlingarna)\b",
    re.I)


_PLANNING_DAY_RE = re.compile(r"planeringsdag|strategidag", re.I)
# The chair named only in running text, when no header line or list gives the role: "Ordföranden
# Anna Berg (S) hälsade …", "… under ledning av ordförande Per Ek". Group 1 is the name.
_CHAIR_IN_TEXT_RES = [
    re.compile(rf"\b[Oo]rdförande(?:n)?\s+({NAME_RE.pattern})(?:\s*\([A-ZÅÄÖ]{{1,3}}\))?"),
    re.compile(rf"\bunder\s+ledning\s+av\s+(?:ordförande(?:n)?\s+)?({NAME_RE.pattern})"),
]


def parse_protocol(layout: Layout, warnings: list[str]) -> ParsedProtocol | None:
    if not layout.protocol:
        return None
    lines = layout.lines
    first = layout.paragraphs[0].line if layout.paragraphs else layout.protocol.end
    header = lines[layout.protocol.start : first]
    paragraphs = parse_paragraphs(layout)

    meeting_date = _meeting_date(header)
    if meeting_date is None:
        warnings.append("protokoll: hittade inget sammanträdesdatum / no meeting date found")
        return None
    protocol = ParsedProtocol(meeting_date=meeting_date, paragraphs=paragraphs)
    if _PLANNING_DAY_RE.search("\n".join(header[:12])):
        protocol.kind = "planeringsdag"
    protocol.start_time, protocol.end_time = _times(header)
    protocol.place = _place(header)
    protocol.paragraph_range = _paragraph_range(header, paragraphs)
    officers = _officers(header)
    protocol.chair = officers.get("chair") or officers.get("vice_chair")
    protocol.secretary = officers.get("secretary") or officers.get("förbundschef")
    protocol.justerare = _justerare(header, officers, paragraphs, protocol.chair)
    # Justering and anslag are usually in the header, but some put the anslag certificate last.
    tail = _tail_lines(layout)
    in_text = _justering_in_paragraphs(paragraphs)
    protocol.justering_deadline = _justering_deadline(header) or _justering_deadline(tail) or in_text[0]
    protocol.justering_date = _justering_date(header) or _justering_date(tail) or in_text[1]
    protocol.justering_method = _justering_method(header) or _justering_method(tail)
    header_text, tail_text = "\n".join(header), "\n".join(tail)
    protocol.anslag_posted = _labelled_date(_POSTED_RE, header_text) or _labelled_date(_POSTED_RE, tail_text)
    protocol.anslag_removed = _labelled_date(_REMOVED_RE, header_text) or _labelled_date(_REMOVED_RE, tail_text)
    if protocol.anslag_posted is None or protocol.anslag_removed is None:
        for text in (header_text, tail_text):
            m = _ANSLAG_PERIOD_RE.search(text)
            period = parse_period(text[m.end() : m.end() + 60], allow_year=False) if m else None
            if period:
                protocol.anslag_posted = protocol.anslag_posted or period[0]
                protocol.anslag_removed = protocol.anslag_removed or period[1]
                break
    protocol.storage_place = _storage_place(header_text) or _storage_place(tail_text)
    try:
        protocol.attendance = parse_attendance(header)
        protocol.vacancies = parse_vacancies(header)
    except Exception as exc:  # a layout nobody foresaw must not cost the rest of the protocol
        warnings.append(f"närvaro: kunde inte läsas ({exc.__class__.__name__})")
    try:
        protocol.attendance = apply_presence(protocol.attendance, lines[layout.protocol.start : layout.protocol.end],
                                             [p.number for p in paragraphs], [p.body for p in paragraphs])
    except Exception as exc:  # the §§ of each person are a refinement: the list stands without them
        warnings.append(f"närvaro per paragraf: kunde inte läsas ({exc.__class__.__name__})")
    # Officers named only in the attendance list ("Lena Lind, förbundschef, sekreterare").
    for person in protocol.attendance:
        titles = [t.strip() for t in (person.title or "").split(",")]
        if protocol.chair is None and "ordförande" in titles:
            protocol.chair = person.name
        if protocol.secretary is None and any("sekreterare" in t for t in titles):
            protocol.secretary = person.name
    if protocol.chair is None:
        protocol.chair = _chair_in_text(header, paragraphs)
    if not protocol.justerare:
        warnings.append("protokoll: ingen justerare hittad / no justerare found")
    return protocol


def _chair_in_text(header: list[str], paragraphs: list[ParsedParagraph]) -> str | None:
    for text in ["\n".join(header), *(p.body for p in paragraphs[:3])]:
        for rx in _CHAIR_IN_TEXT_RES:
            m = rx.search(text)
            if m and is_person_name(m.group(1)):
                return m.group(1)
    return None


def _tail_lines(layout: Layout) -> list[str]:
    """The lines after the last paragraph's first lines: where an anslag certificate may sit."""
    if not layout.protocol or not layout.paragraphs:
        return []
    return layout.lines[layout.paragraphs[-1].body_start : layout.protocol.end]


# --- header -------------------------------------------------------------------------------


def _value_after(lines: list[str], i: int, m: re.Match[str], lookahead: int = 3) -> str:
    """The value of a label: the rest of its line, or the next non-empty lines."""
    rest = lines[i][m.end():].strip(" :\t")
    if rest:
        return rest
    values: list[str] = []
    for j in range(i + 1, min(len(lines), i + 1 + lookahead * 3)):
        s = lines[j].strip()
        if s:
            values.append(s)
            if len(values) >= lookahead:
                break
    return "\n".join(values)


_NOT_MEETING_DATE_RE = re.compile(r"juste|anslag|ankom|senast|signer", re.I)


def _meeting_date(header: list[str]) -> dt.date | None:
    for rx in _DATE_LABELS:
        for i, line in enumerate(header):
            m = rx.match(line.strip())
            if not m:
                continue
            stripped = line.strip()
            value = _value_after([*header[:i], stripped, *header[i + 1 :]], i, m)
            d = first_date(value)
            if d:
                return d
    # A date in a heading ("Protokoll ... 2021-06-11") or the first date that is not justering/anslag.
    for line in header:
        if _NOT_MEETING_DATE_RE.search(line):
            continue
        d = first_date(line)
        if d:
            return d
    return None


def _label_lines(header: list[str], rx: re.Pattern[str]) -> list[str]:
    values = []
    for i, line in enumerate(header):
        m = rx.match(line.strip())
        if m:
            values.append(_value_after([*header[:i], line.strip(), *header[i + 1 :]], i, m, lookahead=1))
    return values


_NOT_MEETING_TIME_RE = re.compile(r"avvek|anslag|juste|lämnade|anslöt|deltog", re.I)


def _times(header: list[str]) -> tuple[dt.time | None, dt.time | None]:
    for rx in _DATE_LABELS:
        for value in _label_lines(header, rx):
            start, end = parse_time_range(value)
            if start:
                return start, end
    for line in header:
        if _NOT_MEETING_TIME_RE.search(line):
            continue
        start, end = parse_time_range(line)
        if start and end:
            return start, end
    return None, None


_NOT_PLACE_RE = re.compile(r"juster|anslag|närvaro", re.I)


def _place(header: list[str]) -> str | None:
    for line in header:
        m = _HELD_IN_RE.search(line)
        if m:
            return tidy_place(m.group(1))
    for value in _label_lines(header, _PLACE_LABELS):
        place = tidy_place(value.split("\n")[0])
        if place:
            return place
    for line in header:
        m = _ONLINE_RE.search(line)
        if m and not _NOT_PLACE_RE.search(line):
            return m.group(1)
    return None


_RANGE_LABEL_RE = re.compile(r"^\s*(?:paragrafer|paragraf|§§)\b", re.I)
_COVERS_RE = re.compile(r"\bomfattar\b", re.I)


def _paragraph_range(header: list[str], paragraphs: list[ParsedParagraph]) -> str | None:
    for line in header:
        if _RANGE_LABEL_RE.match(line) or _COVERS_RE.search(line):
            m = _RANGE_RE.search(line)
            if m:
                return f"{int(m.group(1))}-{int(m.group(2))}"
    if paragraphs:
        return f"{paragraphs[0].number}-{paragraphs[-1].number}"
    return None


_SKRIFTER_RE = re.compile(r"(?i)skrifter:?")


def _signature_tokens(header: list[str]) -> list[list[tuple[str, str]]]:
    """Signature blocks as sequences of ("role", r) and ("name", n) tokens."""
    blocks: list[list[tuple[str, str]]] = []
    i = 0
    while i < len(header):
        s = header[i].strip()
        start = _SIGNATURE_START_RE.match(s)
        role_only = _ROLE_RE.fullmatch(s.strip(" :\t_"))
        if not start and not role_only:
            i += 1
            continue
        tokens: list[tuple[str, str]] = []
        first_line = s[start.end():] if start else s
        j = i
        text = first_line
        while True:
            piece = text.replace("_", " ").strip(" :\t")
            if piece:
                toks = _line_tokens(piece)
                if toks is None:
                    break
                tokens += toks
            j += 1
            if j >= len(header):
                break
            text = header[j].strip()
            if _SKRIFTER_RE.fullmatch(text):
                text = ""
        if tokens:
            blocks.append(tokens)
        i = max(j, i + 1)
    return blocks


def _line_tokens(line: str) -> list[tuple[str, str]] | None:
    """Tokens of one signature line, or None when the line is not part of a signature block."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    for m in _ROLE_RE.finditer(line):
        before = line[pos : m.start()].strip(" ,\t")
        if before:
            if not is_person_name(before):
                return None
            tokens.append(("name", collapse_ws(before)))
        tokens.append(("role", m.group(1).lower()))
        pos = m.end()
    rest = line[pos:].strip(" ,\t")
    if rest:
        if not is_person_name(rest):
            return None
        tokens.append(("name", collapse_ws(rest)))
    return tokens


_ROLE_SPACES_RE = re.compile(r"\s+")
_OFFICER_LABEL_RE = re.compile(r"^(ordförande|sekreterare|protokollförare)\s*[:\t]\s*(.+)$", re.I)
# A capital whose small letter has the same shape ("Ulla", "Sven", "Olof"), read by OCR as the
# small one: a labelled officer's value never starts with a small letter before a surname.
_SAME_SHAPE_SMALL_RE = re.compile(r"^[cosuvwxz](?=[a-zåäöé]+\s+[A-ZÅÄÖ])")


def _officers(header: list[str]) -> dict[str, str]:
    officers: dict[str, str] = {}
    justerare: list[str] = []
    for tokens in _signature_tokens(header):
        pairs: list[tuple[str, str]] = []
        if tokens[0][0] == "role":
            for k in range(0, len(tokens) - 1):
                if tokens[k][0] == "role" and tokens[k + 1][0] == "name":
                    pairs.append((tokens[k][1], tokens[k + 1][1]))
        else:
            for k in range(0, len(tokens) - 1):
                if tokens[k][0] == "name" and tokens[k + 1][0] == "role":
                    pairs.append((tokens[k + 1][1], tokens[k][1]))
        for role, name in pairs:
            key = _ROLE_WORDS.get(_ROLE_SPACES_RE.sub(" ", role))
            if key == "justerare":
                justerare.append(name)
            elif key and key not in officers:
                officers[key] = name
    # Labelled officers: "Ordförande: Anna Andersson", "Sekreterare\tBo Berg".
    for line in header:
        m = _OFFICER_LABEL_RE.match(line.strip())
        value = _SAME_SHAPE_SMALL_RE.sub(lambda c: c.group(0).upper(), m.group(2).strip()) if m else ""
        found = _first_name_in(value) if m else None
        if m and found:
            key = _ROLE_WORDS[m.group(1).lower()]
            officers.setdefault(key, found)
    if justerare:
        officers["justerare"] = "\n".join(justerare)
    return officers


def _first_name_in(text: str) -> str | None:
    for m in NAME_RE.finditer(text):
        if is_person_name(m.group(0)):
            return m.group(0)
    return None


_NAME_LIST_SPLIT_RE = re.compile(r",|\s+och\s+|\s+samt\s+|&|\t")
_BRACKETS_RE = re.compile(r"\([^)]*\)")


def _names_in(text: str) -> list[str]:
    text = _RUN_ON_LABELS.sub("", text)
    names = []
    for part in _NAME_LIST_SPLIT_RE.split(text):
        part = collapse_ws(_BRACKETS_RE.sub(" ", part)).strip(" .")
        words = part.split()
        if is_person_name(part):
            names.append(part)
        elif len(words) == 4 and all(is_person_name(" ".join(words[k : k + 2])) for k in (0, 2)):
            # "Bo Berg Cecilia Carlsson": two names whose column gap the extraction lost.
            names += [" ".join(words[:2]), " ".join(words[2:])]
        else:
            found = _first_name_in(part)
            if found:
                names.append(found)
    return names


_JUSTERA_RE = re.compile(r"justera", re.I)


def _justerare(header: list[str], officers: dict[str, str], paragraphs: list[ParsedParagraph],
               chair: str | None) -> list[str]:
    names: list[str] = []
    for i, line in enumerate(header):
        m = _JUSTERARE_LABEL_RE.match(line.strip())
        if m:
            value = m.group(1)
            previous = next((x.strip() for x in reversed(header[:i]) if x.strip()), "")
            # "Justerare" alone with the names below it; not the role line under a signature
            # ("Niklas Edén" / "Justerare"), which the signature reader handles.
            if not value.strip() and not is_person_name(previous):
                following = [x.strip() for x in header[i + 1 : i + 3] if x.strip()]
                value = following[0] if following else ""
            names += _names_in(value)
    names += [n for n in officers.get("justerare", "").split("\n") if n]
    for p in paragraphs:
        if _JUSTER_RE.search(p.title):
            text = p.decision or p.body
            names += [n for n in _names_in_sentence(text) if not chair or name_key(n) != name_key(chair)]
    seen: set[str] = set()
    kept = []
    for n in names:
        if name_key(n) not in seen:
            seen.add(name_key(n))
            kept.append(n)
    return kept


_SENTENCE_OR_LINE_RE = re.compile(r"(?<=[.!?])\s+|\n")


def _names_in_sentence(text: str) -> list[str]:
    """Names in a "Val av justerare" paragraph: 'välja Christer Rube till justerare'."""
    names = []
    for sentence in _SENTENCE_OR_LINE_RE.split(text):
        if not _JUSTERA_RE.search(sentence):
            continue
        for m in NAME_RE.finditer(sentence):
            candidate = m.group(0)
            words = candidate.split()
            # A sentence may start with a capitalised word that is no name ("Att utse ...").
            while words and not is_person_name(" ".join(words)) and len(words) > 2:
                words = words[1:]
            if is_person_name(" ".join(words)):
                names.append(" ".join(words))
    return names


_JUSTER_RE = re.compile(r"juster", re.I)


def _mentions_justering(line: str) -> bool:
    """_JUSTER_RE.search(line), by a lower-case test many times faster; only "ſ" (long s), which
    IGNORECASE also reads as s, still needs the pattern."""
    return "juster" in line.lower() or ("ſ" in line and _JUSTER_RE.search(line) is not None)


def _justering_deadline(header: list[str]) -> dt.date | None:
    for line in header:
        if not _mentions_justering(line):
            continue
        m = DEADLINE_RE.search(line)
        if m:
            d = first_date(line[m.end():])
            if d:
                return d
    return None


_SENAST_RE = re.compile(r"\s*senast", re.I)


def _justering_in_paragraphs(paragraphs: list[ParsedParagraph]) -> tuple[dt.date | None, dt.date | None]:
    """(deadline, date) of the justering as its own § words it: "Protokollet justeras den 2 maj
    2019 av …", "Justering sker den …", "… utses att justera protokollet senast den …". Only a
    § whose title names the justering, and only a date after the word."""
    for p in paragraphs:
        if not _JUSTER_RE.search(p.title):
            continue
        for sentence in _SENTENCE_OR_LINE_RE.split(p.body):
            m = _JUSTER_RE.search(sentence)
            if not m:
                continue
            after = sentence[m.end():]
            deadline = DEADLINE_RE.search(after)
            if deadline:
                return first_date(after[deadline.end():]), None
            found = first_date(after)
            if found:
                return None, found
    return None, None


def _justering_date(header: list[str]) -> dt.date | None:
    for i, line in enumerate(header):
        if not _mentions_justering(line):
            continue  # every pattern below holds the word
        s = line.strip()
        for rx in _JUSTERING_DATE_RES:
            m = rx.search(s)
            if not m:
                continue
            value = s[m.end():] or "\n".join(x.strip() for x in header[i + 1 : i + 3])
            if _SENAST_RE.match(value):
                continue
            d = first_date(value[:40])
            if d:
                return d
    return None


_SERVICE_RES = [(s, re.compile(rf"\b{re.escape(s)}\b", re.I)) for s in _SERVICES]
_ELECTRONIC_RE = re.compile(r"\belektronisk", re.I)
_DIGITAL_RE = re.compile(r"\bdigital|e-signer|\bbankid\b", re.I)


def _justering_method(header: list[str]) -> str | None:
    for line in header:
        if not _mentions_justering(line):
            continue
        service = next((s for s, rx in _SERVICE_RES if rx.search(line)), None)
        base = None
        if _ELECTRONIC_RE.search(line):
            base = "elektronisk"
        elif _DIGITAL_RE.search(line) or service:
            base = "digital"
        if base:
            return f"{base} via {service}" if service else base
    return None


def _labelled_date(rx: re.Pattern[str], text: str) -> dt.date | None:
    for m in rx.finditer(text):
        d = first_date(text[m.end() : m.end() + 40])
        if d:
            return d
    return None


def _storage_place(text: str) -> str | None:
    for rx in _STORAGE_RES:
        m = rx.search(text)
        if m:
            value = m.group(1).split("\t")[0].strip(" .:")
            if value:
                return value
    return None


# --- paragraphs ---------------------------------------------------------------------------


def parse_paragraphs(layout: Layout) -> list[ParsedParagraph]:
    if not layout.protocol:
        return []
    out: list[ParsedParagraph] = []
    heads = layout.paragraphs
    breaks = page_breaks(layout.lines)
    for k, head in enumerate(heads):
        end = heads[k + 1].line if k + 1 < len(heads) else layout.protocol.end
        body_lines = layout.lines[head.body_start : end]
        paragraph = _paragraph(head, body_lines)
        paragraph.page = 1 + bisect.bisect_left(breaks, head.line)
        out.append(paragraph)
    return out


def _paragraph(head: ParaHeader, body_lines: list[str]) -> ParsedParagraph:
    body = _tidy_body(body_lines)
    para = ParsedParagraph(number=head.number, title=head.title, body=body)
    para.dnr = find_dnr(head.dnr or "") or find_dnr(head.title) or _body_dnr(body_lines)
    para.also = head.also or _body_citation(body_lines)
    sections: dict[str, list[str]] = {"proposal": [], "motions": [], "decision": []}
    current: str | None = None
    for raw in body_lines:
        line = strip_list_dash(raw)
        if not line:
            if current:
                sections[current].append("")
            continue
        if "§" in raw and PARA_HEADER_RE.match(raw):
            current = None
            continue
        m = _PROPOSAL_RE.match(line)
        if m:
            current = "proposal"
            if m.group(1):
                sections[current].append(m.group(1))
            continue
        m = _MOTIONS_RE.match(line)
        if m:
            current = "motions"
            if m.group(1):
                sections[current].append(m.group(1))
            continue
        m = _DECISION_LABEL_RE.match(line)
        if m:
            current = "decision"
            if m.group(1):
                sections[current].append(m.group(1))
            continue
        m = _DECIDES_RE.match(line)
        if m:
            current = "decision"
            rest = m.group(1).strip()
            # "Styrelsen beslutade att ..." is itself the decision; "Styrelsen beslutar:" only opens it.
            if rest:
                sections[current].append(line)
            continue
        if _OTHER_SECTION_RE.match(line):
            current = None
            continue
        if current:
            sections[current].append(line)
    para.proposal = _join(sections["proposal"])
    para.motions = _join(sections["motions"])
    para.decision = _join(sections["decision"]) or _inline_decision(body)
    return para


_DNR_LINE_RE = re.compile(r"^(?:dnr|diarienr|diarienummer)\b", re.I)


def _body_dnr(lines: list[str]) -> str | None:
    """A Dnr on its own line at the top of the body ("Dnr 2023/12"), not one in a list further down."""
    for line in [ln.strip() for ln in lines if ln.strip()][:3]:
        if _DNR_LINE_RE.match(line):
            return find_dnr(line)
    return None


def _body_citation(lines: list[str]) -> str | None:
    """The other body's § on a line of its own at the top of the body ("KS § 41",
    "Kommunstyrelsen 2019-04-02, § 41"), not one cited in the running text further down."""
    for line in [ln.strip() for ln in lines if ln.strip()][:3]:
        if "§" not in line:
            continue
        rest, also = other_citation(line)
        if also and (not rest or _DNR_LINE_RE.match(rest)):
            return also
    return None


_BLANK_LINES_RE = re.compile(r"\n{3,}")


def _tidy_body(lines: list[str]) -> str:
    text = "\n".join(line.rstrip() for line in lines)
    text = _BLANK_LINES_RE.sub("\n\n", text)
    return text.strip()


def _join(lines: list[str]) -> str | None:
    text = _BLANK_LINES_RE.sub("\n\n", "\n".join(lines)).strip()
    return text or None


_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])")


def _inline_decision(body: str) -> str | None:
    sentences = _SENTENCE_RE.split(body)
    for k, sentence in enumerate(sentences):
        if _INLINE_DECIDES_RE.search(sentence):
            return collapse_ws(" ".join(sentences[k:]))
    passive = [s for s in sentences if _PASSIVE_DECISION_RE.search(s)]
    if passive:
        return collapse_ws(" ".join(passive))
    return None
