"""A meeting as its documents announce it: the points of its kallelse (föredragningslista), who
presents a point and what decision is proposed; for a meeting without a kallelse in the store,
what the protocols before it say is to be taken up there; for a held meeting, its §§."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from babel.dates import format_date
from sqlmodel import col, select

from handlers.answers import meetings, passages
from handlers.answers.core import Question, choose_organisation, source_for
from handlers.answers.dates import nearest_in_any_year
from handlers.answers.text import fold, join_words
from handlers.messages import Reply, Source
from handlers.understanding.general_words import is_general
from storage.ingest.meeting_plans import AgendaItem, agenda_items
from storage.models import Document, DocumentPart, Meeting, Paragraph, Protocol
from storage.swedish import month_number
from storage.swedish.dates import find_dates
from storage.swedish.names import month_alternation

# Words that point to the meeting after or before the asking day.
NEXT = ("nästa", "next", "kommande", "upcoming", "nasta", "coming")
PREVIOUS = ("förra", "föregående", "senaste", "previous", "last=", "latest", "forra", "senast=")
# "septembermötet", "junimötet 2019": a month written into the meeting's name.
_MONTH_MEETING = re.compile(rf"\b({month_alternation()})(?:mötet|möte|sammanträdet|sammanträde)\b", re.IGNORECASE)

# How a kallelse says who presents a point ("Mikael Holmlund föredrar …", "Anders Hahlin
# rapporterar", "Föredragande: Anna Ek"): the verbs, as the documents write them.
PRESENTER_VERBS = ("föredrar", "rapporterar", "presenterar", "redogör", "redovisar", "informerar", "berättar",
                   "inleder", "drar")
_NAME = r"[A-ZÅÄÖÉ][a-zåäöéü]+(?:[ -][A-ZÅÄÖÉ][a-zåäöéü]+)+"
_PRESENTER_RE = re.compile(rf"({_NAME})\s+(?:{'|'.join(PRESENTER_VERBS)})\b")
_PRESENTER_LABEL_RE = re.compile(rf"(?:föredragande|ansvarig|presenteras av|rapportör)\s*:?\s*({_NAME})", re.IGNORECASE)
_PROPOSAL_RE = re.compile(r"(?:förslag till beslut|beslutsförslag|förslag)\s*:\s*([^\n]+?)(?=$|\s\d{1,2}\.\s)",
                          re.IGNORECASE)
# What marks a point as one for decision, discussion or information: the words a kallelse ends its
# title with ("– beslut", "- diskussion", "– Information").
ITEM_KINDS = {"beslut": ("beslut",), "diskussion": ("diskussion",), "information": ("information", "info")}
KIND_EN = {"beslut": "decision", "diskussion": "discussion", "information": "information"}
# How a question asks for the points of one kind ("vilka diskussionsfrågor", "items for decision").
ITEM_KIND_ASKED = {"beslut": ("beslutsärende", "beslutspunkt", "beslutsfråg", "for decision", "decision items",
                              "ska vi besluta", "ska styrelsen besluta", "will the board decide", "be decided",
                              "what will we decide", "what are we deciding"),
                   "diskussion": ("diskussionsfråg", "diskussionspunkt", "diskussionsärende", "for discussion",
                                  "discussion items", "to be discussed"),
                   "information": ("informationspunkt", "informationsärende", "informationsfråg", "information items")}

# A sentence of an earlier protocol that puts something on a later meeting's table: one of these
# verbs, and the meeting named by its day or as "nästa sammanträde".
AGENDA_VERBS = ("tas upp", "tas med", "redovisas", "diskuteras", "behandlas", "avsätts tid", "ta fram", "återkommer",
                "återkomma", "presenteras", "återrapporter", "lyftas", "lyfts", "beslutas", "följas upp", "följs upp")
NEXT_MEETING_PHRASES = ("nästa sammanträde", "nästa möte", "nästa styrelsemöte", "nästkommande sammanträde",
                        "nästkommande möte", "kommande styrelsemöte", "kommande sammanträde", "nästa styrelsesammanträde")
# How a question names the meeting itself: not a topic of its agenda.
MEETING_WORDS = frozenset({"mote", "motet", "moten", "mötet", "möte", "styrelsemote", "styrelsemotet", "sammantrade",
                           "sammantradet", "meeting", "board", "styrelsen", "styrelse", "planeringsdag",
                           "planeringsdagen", "planning", "day", "kallelsen", "notice", "punkt", "punkten", "item"})
# A point named by its number: "punkt 7", "item 7", "ärende 7".
_ITEM_NUMBER = re.compile(r"\b(?:punkt|punkten|item|point|ärende|ärendet)\s+(?:nr\.?\s*|nummer\s+|number\s+)?(\d{1,2})\b",
                          re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n\s*\n")


@dataclass(frozen=True)
class Announced:
    """What a later meeting is to take up, as an earlier protocol's § says it."""

    paragraph: Paragraph
    sentence: str
    protocol_date: dt.date
    names_day: bool  # names the meeting's day, rather than "nästa sammanträde"


def _all_meetings(q: Question) -> list[Meeting]:
    return list(q.session.exec(
        select(Meeting).where(col(Meeting.organisation_id).in_(q.organisation_ids), Meeting.status != "cancelled")
        .order_by(col(Meeting.date))).all())


def meetings_asked(q: Question) -> list[Meeting] | None:
    """The meeting(s) the question is about: a day or a month it names, "nästa"/"förra mötet";
    None when it names no meeting at all."""
    every = _all_meetings(q)
    for span in q.dates:
        if span.exact or (span.end - span.start).days < 40:
            if span.year_given:
                return [m for m in every if span.contains(m.date)]
            return nearest_in_any_year(q.ctx.today, span, every, lambda m: m.date)
    month = _MONTH_MEETING.search(q.text)
    if month is not None:
        number = month_number(month.group(1))
        year = q.year
        hits = [m for m in every if m.date.month == number and (year is None or m.date.year == year)]
        if year is None and hits:
            nearest = min(hits, key=lambda m: abs((m.date - q.ctx.today).days))
            hits = [m for m in hits if m.date.year == nearest.date.year]
        return hits
    steps = meetings.beyond(q)
    if q.cues.any(NEXT):
        ahead = [m for m in every if m.date >= q.ctx.today]
        return _each_organisation(q, ahead, steps, first=True)
    if q.cues.any(PREVIOUS):
        behind = [m for m in every if m.date < q.ctx.today]
        return _each_organisation(q, behind, steps, first=False)
    kinds = {kind for kind, words in MEETING_KINDS.items() if q.cues.any(words)}
    if kinds:
        # "planeringsdagen" with no day: the next meeting of that kind (none ahead: the latest).
        own = [m for m in every if m.kind in kinds]
        ahead = [m for m in own if m.date >= q.ctx.today]
        return _each_organisation(q, ahead, 0, first=True) or _each_organisation(q, own, 0, first=False) or None
    return None


# Meetings named by their kind (Meeting.kind), Swedish and English.
MEETING_KINDS = {"planeringsdag": ("planeringsdag", "planning day", "strategidag", "strategy day")}


# What is asked of a point of an agenda: who presents it, the decision proposed (cue words as in
# the agenda kind's table).
ASKS_OF_A_POINT = ("föredrar", "föredragande", "rapporterar", "presenterar", "håller i", "who presents",
                   "who is presenting", "who will present", "who is reporting", "who will report", "proposed decision",
                   "förslag till beslut", "förslaget till beslut", "beslutsförslag")
AGENDA_NOUNS = ("dagordning", "föredragningslist", "kallelse", "agenda", "punkten=", "punkterna=")


def meetings_for_agenda(q: Question) -> list[Meeting] | None:
    """The meeting(s) an agenda question is about: those it names; else, when it asks for an agenda
    or a point of one, the next meeting with a kallelse (or, none ahead, the latest kallelse)."""
    asked = meetings_asked(q)
    named = q.cues.any(AGENDA_NOUNS)
    if asked is not None or not (named or q.cues.any(ASKS_OF_A_POINT) or _ITEM_NUMBER.search(q.text)):
        return asked
    announced = [m for m in _all_meetings(q) if m.basis == "kallelse"]
    out: list[Meeting] = []
    for org_id in q.organisation_ids:
        own = [m for m in announced if m.organisation_id == org_id]
        ahead = [m for m in own if m.date >= q.ctx.today]
        # Who presents a point, its proposal: of a kallelse still ahead (what was presented at a
        # held meeting is its protocol's); the agenda named outright may be the latest one.
        if ahead or (own and named):
            out.append(ahead[0] if ahead else own[-1])
    return out or None


def _each_organisation(q: Question, chosen: list[Meeting], steps: int, first: bool) -> list[Meeting]:
    """The next (or previous) meeting of each förbund in scope, `steps` further on."""
    out: list[Meeting] = []
    for org_id in q.organisation_ids:
        own = [m for m in chosen if m.organisation_id == org_id]
        if not first:
            own.reverse()
        if len(own) > steps:
            out.append(own[steps])
    return out


def items_of(q: Question, meeting: Meeting) -> list[AgendaItem]:
    """The points of the meeting's kallelse, each with the text under it; [] without a kallelse."""
    if meeting.basis != "kallelse" or meeting.document_id is None:
        return []
    doc = q.session.get(Document, meeting.document_id)
    if doc is None or doc.superseded_at is not None:
        return []
    text = doc.text
    if meeting.part_id is not None:
        part = q.session.get(DocumentPart, meeting.part_id)
        if part is not None:
            text = text[part.start_offset:part.end_offset]
    return agenda_items(text.split("\n"))


def _protocol_of(q: Question, meeting: Meeting) -> Protocol | None:
    return q.session.exec(select(Protocol).where(Protocol.organisation_id == meeting.organisation_id,
                                                 Protocol.meeting_date == meeting.date)).first()


def _day_forms(d: dt.date) -> tuple[str, ...]:
    """A day as a protocol may write it: "24 september", "2021-09-24", "24/9"."""
    return (f"{d.day} {format_date(d, 'MMMM', locale='sv_SE')}", d.isoformat(), f"{d.day}/{d.month}")


def announced(q: Question, meeting: Meeting) -> list[Announced]:
    """What the protocols before the meeting say is to be taken up at it: sentences that name its
    day, or "nästa sammanträde" in the protocol of the meeting right before it."""
    earlier = list(q.session.exec(select(Protocol).where(Protocol.organisation_id == meeting.organisation_id,
                                                         Protocol.meeting_date < meeting.date)
                                  .order_by(col(Protocol.meeting_date).desc())).all())
    if not earlier:
        return []
    latest = earlier[0]
    # "Nästa sammanträde" in the latest protocol is this meeting only if none comes between them.
    between = q.session.exec(select(Meeting.id).where(
        Meeting.organisation_id == meeting.organisation_id, Meeting.status != "cancelled",
        Meeting.date > latest.meeting_date, Meeting.date < meeting.date)).first()
    days = [fold(f) for f in _day_forms(meeting.date)]
    out: list[Announced] = []
    for protocol in earlier[:4]:
        rows = q.session.exec(select(Paragraph).where(Paragraph.protocol_id == protocol.id)
                              .order_by(col(Paragraph.number))).all()
        for p in rows:
            seen: list[set[str]] = []
            for heading, s in _sentences_with_heading(p):
                folded = fold(s)
                if not s or not any(v in folded for v in map(fold, AGENDA_VERBS)):
                    continue
                names_day = any(re.search(rf"(?<!\d){re.escape(d)}(?!\d)", folded) for d in days)
                names_next = protocol.id == latest.id and between is None and any(fold(n) in folded for n in NEXT_MEETING_PHRASES)
                words = set(folded.split())
                if (names_day or names_next) and not any(len(words & w) >= 0.5 * min(len(words), len(w)) for w in seen):
                    # The same thing said twice in one § (its account and its decision) is said once.
                    seen.append(words)
                    # Under a sub-heading of the § ("Arbetsmiljöhandbok och Lönepolicy"), which names
                    # what "förslag till styrdokument" is.
                    out.append(Announced(p, f"{heading}: {s}" if heading else s, protocol.meeting_date, names_day))
    return sorted(out, key=lambda a: not a.names_day)


def _topic(q: Question) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """The question's words that name what on the agenda it asks about (not how it asks, nor the
    meeting): the groups a point must hold, and the general ones it may ("tertialrapporten")."""
    cue = passages.kind_cue_words("agenda", "meeting") | MEETING_WORDS
    names = passages._org_only_words(q) | {fold(w) for w in q.words if q.lexicon.organisations_named([w])}
    required: list[tuple[str, ...]] = []
    optional: list[tuple[str, ...]] = []
    for w in q.words:
        folded = fold(w)
        if folded in passages._FOLDED_STOPWORDS or folded in passages._MONTH_WORDS or folded in names or len(w) < 3 \
                or any(ch.isdigit() for ch in w) or folded in cue or any(folded.startswith(c) and len(c) >= 5 for c in cue):
            continue
        group = tuple(dict.fromkeys([passages.root(v) for v in (w, *passages.english_counterparts(w))]
                                    + list(passages._compound_parts(w))))
        if is_general(w):
            continue  # "finns", "nån": how it is asked
        (optional if folded in passages.FILLER else required).append(group)
    return required, optional


def _matching(q: Question, items: list[AgendaItem]) -> list[AgendaItem] | None:
    """The points the question asks about; None when it names no topic, [] when no point holds it."""
    required, optional = _topic(q)
    if not required and not optional:
        return None
    scored = []
    for item in items:
        text = f"{item.title}\n{item.text}"
        must = passages._coverage(required, text) if required else 0.0
        may = passages._coverage(optional, text) if optional else 0.0
        if (required and must >= 0.5) or (not required and may > 0):
            scored.append((must + 0.1 * may, item))
    best = max((sc for sc, _ in scored), default=0.0)
    return [i for sc, i in scored if sc >= best - 0.01]


def _item_line(item: AgendaItem) -> str:
    return f"{item.number}. {item.title}"


def presenters(item: AgendaItem) -> list[str]:
    text = f"{item.title}. {item.text}"
    found = [m.group(1) for m in _PRESENTER_RE.finditer(text)] + [m.group(1) for m in _PRESENTER_LABEL_RE.finditer(text)]
    return list(dict.fromkeys(found))


def proposal(item: AgendaItem) -> str | None:
    m = _PROPOSAL_RE.search(item.text)
    return m.group(1).strip() if m else None


def item_kind(item: AgendaItem) -> str | None:
    tail = fold(re.split(r"\s[-–]\s", item.title)[-1]) if re.search(r"\s[-–]\s", item.title) else ""
    for kind, words in ITEM_KINDS.items():
        if any(tail.startswith(w) for w in words):
            return kind
    return None


def _sentences_with_heading(p: Paragraph) -> list[tuple[str, str]]:
    """Each sentence of a § with the sub-heading of the block it stands in ("" if none)."""
    out: list[tuple[str, str]] = []
    heading = ""
    for block in re.split(r"\n\s*\n", f"{p.body}\n\n{p.decision or ''}"):
        text = " ".join(block.split()).strip(" -•")
        if not text:
            continue
        if len(text) < 80 and not text.endswith(".") and not text.endswith(":"):
            heading = text
            continue
        out.extend((heading, sentence) for sentence in re.split(r"(?<=[.!?])\s+", text))
    return out


def _sentences_in_context(p: Paragraph) -> list[tuple[str, str]]:
    """Each sentence of a § with what it stands under: the sub-heading of its block ("Arbetsmiljöhandbok
    och Lönepolicy") and the block's sentences before it, which name what "det" or "förslaget" is."""
    out: list[tuple[str, str]] = []
    heading = ""
    for block in re.split(r"\n\s*\n", f"{p.body}\n\n{p.decision or ''}"):
        text = " ".join(block.split()).strip(" -•")
        if not text:
            continue
        if len(text) < 80 and not text.endswith("."):
            heading = text
            continue
        before: list[str] = []
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            before.append(sentence)
            out.append((" ".join([heading, *before]), sentence))
    return out


def _target(q: Question, protocol: Protocol, sentence: str) -> Meeting | dt.date | None:
    """The meeting a protocol's sentence puts something on: the day it names (the meeting held
    then, if the store has it), or for "nästa sammanträde" the first meeting after the protocol."""
    day_named = next((d for _, d in find_dates(sentence, protocol.meeting_date.year) if d > protocol.meeting_date), None)
    meetings_after = list(q.session.exec(select(Meeting).where(
        Meeting.organisation_id == protocol.organisation_id, Meeting.status != "cancelled",
        Meeting.date > protocol.meeting_date).order_by(col(Meeting.date))).all())
    if day_named is not None:
        return next((m for m in meetings_after if m.date == day_named), day_named)
    if any(fold(n) in fold(sentence) for n in NEXT_MEETING_PHRASES):
        return meetings_after[0] if meetings_after else None
    return None


def when_announced(q: Question) -> Reply | None:
    """'När ska uppföljningen redovisas?': the meeting a protocol puts the matter on, by its day or
    as "nästa styrelsemöte" (then the first meeting after that protocol)."""
    required, _optional = _topic(q)
    if not required:
        return None
    asked = meetings_asked(q)
    query = select(Protocol).where(col(Protocol.organisation_id).in_(q.organisation_ids))
    if asked:
        query = query.where(col(Protocol.meeting_date).in_([m.date for m in asked]))
    found: list[tuple[Paragraph, Protocol, str, Meeting | dt.date]] = []
    for protocol in q.session.exec(query.order_by(col(Protocol.meeting_date).desc())).all():
        rows = q.session.exec(select(Paragraph).where(Paragraph.protocol_id == protocol.id)
                              .order_by(col(Paragraph.number))).all()
        for p in rows:
            for context, s in _sentences_in_context(p):
                if not any(fold(v) in fold(s) for v in AGENDA_VERBS):
                    continue
                if passages._coverage(required, f"{p.title}\n{context}") < 0.99:
                    continue
                target = _target(q, protocol, s)
                if target is not None:
                    found.append((p, protocol, s, target))
                    break
    if not found:
        return None
    if len({protocol.organisation_id for _, protocol, _, _ in found}) > 1:
        return choose_organisation(q, [q.organisation(i) for i in sorted({pr.organisation_id for _, pr, _, _ in found})])
    lines: list[str] = []
    sources: list[Source] = []
    for p, protocol, sentence, target in found[:2]:
        when = meetings._describe(q, target) if isinstance(target, Meeting) else target.isoformat()
        lines.append(q.t(f"Enligt § {p.number} {p.title} (protokoll {protocol.meeting_date.isoformat()}) tas det upp "
                         f"på mötet {when}: ”{passages._short(sentence, 300)}”",
                         f"According to § {p.number} {p.title} (minutes of {protocol.meeting_date.isoformat()}) it "
                         f"is to be taken up at the meeting of {when}: “{passages._short(sentence, 300)}”"))
        for source in (source_for(q.session, q.organisation(p.organisation_id), p.document_id, p.id),
                       *([meetings._source(q, target)] if isinstance(target, Meeting) else [])):
            if source not in sources:
                sources.append(source)
    return Reply("\n".join(lines), sources=sources, language=q.language)


def answer(q: Question) -> Reply | None:
    if "when" in q.reading_facets:
        announced_at = when_announced(q)
        if announced_at is not None:
            return announced_at
    asked = meetings_for_agenda(q)
    if asked is None:
        return None
    if not asked:
        known = [m for m in _all_meetings(q) if m.basis == "kallelse"]
        listed = ", ".join(m.date.isoformat() for m in known[-4:]) or q.t("inga", "none")
        return Reply(q.t(f"Inget sådant möte finns i handlingarna. Möten med kallelse: {listed}.",
                         f"No such meeting is in the documents. Meetings with a notice: {listed}."),
                     answered=False, language=q.language)
    if len({m.organisation_id for m in asked}) > 1:
        return choose_organisation(q, [q.organisation(i) for i in sorted({m.organisation_id for m in asked})])
    meeting = asked[0]
    items = items_of(q, meeting)
    if items:
        return _from_kallelse(q, meeting, items)
    return _without_kallelse(q, meeting)


def _label(q: Question, m: Meeting) -> str:
    return q.t(f"mötet {meetings._describe(q, m)}", f"the meeting of {meetings._describe(q, m)}")


def _from_kallelse(q: Question, meeting: Meeting, items: list[AgendaItem]) -> Reply:
    facets = set(q.reading_facets)
    source = meetings._source(q, meeting)
    minutes = _protocol_of(q, meeting)
    note = "" if minutes is not None else q.t(
        "Protokollet från mötet finns inte i handlingarna, bara kallelsen.",
        "The minutes of that meeting are not in the documents, only the notice (kallelse).")
    numbered = _ITEM_NUMBER.search(q.text)
    matched = _matching(q, items)
    if numbered is not None:
        # "Vad är punkt 7 på dagordningen?": the point by its number.
        matched = [i for i in items if i.number == int(numbered.group(1))]
        if not matched:
            listed = "\n".join(_item_line(i) for i in items)
            return Reply(q.t(f"Kallelsen till {_label(q, meeting)} har ingen punkt {numbered.group(1)}. Punkterna:\n"
                             f"{listed}",
                             f"The notice of {_label(q, meeting)} has no item {numbered.group(1)}. The items:\n{listed}"),
                         answered=False, sources=[source], language=q.language)
    kinds_asked = [k for k, words in ITEM_KIND_ASKED.items() if q.cues.any(words)]
    if kinds_asked and not matched:
        # "Vilka diskussionsfrågor ska vi ta upp?": the points the kallelse marks so.
        of_kind = [i for i in items if item_kind(i) in kinds_asked]
        head = q.t(f"Punkter för {' och '.join(kinds_asked)} enligt kallelsen till {_label(q, meeting)}:",
                   f"Items for {' and '.join(KIND_EN[k] for k in kinds_asked)} in the notice of {_label(q, meeting)}:")
        if not of_kind:
            listed = "\n".join(_item_line(i) for i in items)
            return Reply(q.t(f"Kallelsen till {_label(q, meeting)} märker ingen punkt så. Punkterna:\n{listed}",
                             f"The notice of {_label(q, meeting)} marks no item so. The items:\n{listed}"),
                         answered=False, sources=[source], language=q.language)
        lines = [f"• {_item_line(i)}" + (f": {passages._short(i.text, 200)}" if i.text else "") for i in of_kind]
        return Reply("\n".join([head, *lines, note]).strip(), sources=[source], language=q.language)
    chosen = items
    if "presenter" in facets and matched is None:
        # "Who is presenting at the next meeting?": every point that names who presents it.
        named = [(i, presenters(i)) for i in items if presenters(i)]
        if named:
            head = q.t(f"Enligt kallelsen till {_label(q, meeting)}:", f"According to the notice of {_label(q, meeting)}:")
            lines = [q.t(f"• {join_words(w)} föredrar punkt {_item_line(i)}",
                         f"• {join_words(w, 'en')} presents item {_item_line(i)}") for i, w in named]
            return Reply("\n".join([head, *lines, note]).strip(), sources=[source], language=q.language)
    if matched is not None:
        chosen = matched
        if not chosen and facets & {"presenter", "proposal", "item_kind"}:
            listed = "\n".join(_item_line(i) for i in items)
            return Reply(q.t(f"Ingen punkt om det finns i kallelsen till {_label(q, meeting)}. Punkterna:\n{listed}",
                             f"No item on that is in the notice of {_label(q, meeting)}. The items:\n{listed}"),
                         answered=False, sources=[source], language=q.language)
        if not chosen:
            chosen = items
    if "presenter" in facets and chosen is not items:
        lines, missing = [], []
        for item in chosen:
            who = presenters(item)
            if who:
                said = next((x for x in re.split(r"(?<=[.!?])\s+", item.text) if any(w in x for w in who)), "")
                lines.append(q.t(f"{join_words(who)} föredrar punkt {_item_line(item)}",
                                 f"{join_words(who, 'en')} presents item {_item_line(item)}")
                             + (f" (”{said}”)" if said else ""))
            else:
                missing.append(item)
        if not lines:
            return Reply(q.t(f"Kallelsen till {_label(q, meeting)} anger inte vem som föredrar punkt "
                             f"{_item_line(missing[0])}.",
                             f"The notice of {_label(q, meeting)} does not say who presents item "
                             f"{_item_line(missing[0])}."), answered=False, sources=[source], language=q.language)
        head = q.t(f"Enligt kallelsen till {_label(q, meeting)}:", f"According to the notice of {_label(q, meeting)}:")
        return Reply("\n".join([head, *lines, note]).strip(), sources=[source], language=q.language)
    if "proposal" in facets and chosen is not items:
        said = [(i, proposal(i)) for i in chosen]
        lines = [f"{_item_line(i)}: {q.t('Förslag till beslut', 'Proposed decision')}: {p}" for i, p in said if p]
        if not lines:
            return Reply(q.t(f"Kallelsen till {_label(q, meeting)} anger inget förslag till beslut för punkt "
                             f"{_item_line(chosen[0])}.",
                             f"The notice of {_label(q, meeting)} gives no proposed decision for item "
                             f"{_item_line(chosen[0])}."), answered=False, sources=[source], language=q.language)
        head = q.t(f"Enligt kallelsen till {_label(q, meeting)}:", f"According to the notice of {_label(q, meeting)}:")
        return Reply("\n".join([head, *lines, note]).strip(), sources=[source], language=q.language)
    if chosen is not items:
        # One point asked about: its title (which says whether it is for decision or discussion) and
        # what the kallelse says under it.
        lines = []
        for item in chosen:
            kind = item_kind(item)
            kind_text = q.t(f" (punkt för {kind})", f" (item for {KIND_EN[kind]})") if kind else ""
            lines.append(f"• {_item_line(item)}{kind_text}" + (f": {passages._short(item.text, 400)}" if item.text else ""))
        head = q.t(f"I kallelsen till {_label(q, meeting)}:", f"In the notice of {_label(q, meeting)}:")
        return Reply("\n".join([head, *lines, note]).strip(), sources=[source], language=q.language)
    count = q.t(f" ({len(items)} punkter)", f" ({len(items)} items)")
    head = q.t(f"Dagordning enligt kallelsen till {_label(q, meeting)}{count}:",
               f"The agenda according to the notice of {_label(q, meeting)}{count}:")
    return Reply("\n".join([head, *(_item_line(i) for i in items), note]).strip(), sources=[source], language=q.language)


def _without_kallelse(q: Question, meeting: Meeting) -> Reply:
    minutes = _protocol_of(q, meeting)
    if minutes is not None:
        # A held meeting: its agenda as dealt with is its protocol's §§.
        rows = list(q.session.exec(select(Paragraph).where(Paragraph.protocol_id == minutes.id)
                                   .order_by(col(Paragraph.number))).all())
        if rows:
            source = source_for(q.session, q.organisation(minutes.organisation_id), minutes.document_id)
            head = q.t(f"Ingen kallelse till {_label(q, meeting)} finns i handlingarna; protokollet tar upp "
                       f"({len(rows)} paragrafer):",
                       f"No notice of {_label(q, meeting)} is in the documents; its minutes deal with "
                       f"({len(rows)} paragraphs):")
            return Reply("\n".join([head, *(f"§ {p.number} {p.title}" for p in rows)]), sources=[source],
                         language=q.language)
    said = announced(q, meeting)
    if said:
        lines = [f"• § {a.paragraph.number} {a.paragraph.title} "
                 f"({q.t('protokoll', 'minutes')} {a.protocol_date.isoformat()}): {passages._short(a.sentence, 300)}"
                 for a in said]
        sources: list[Source] = []
        for a in said:
            s = source_for(q.session, q.organisation(a.paragraph.organisation_id), a.paragraph.document_id,
                           a.paragraph.id)
            if s not in sources:
                sources.append(s)
        head = q.t(f"Ingen kallelse till {_label(q, meeting)} finns i handlingarna, men enligt tidigare protokoll "
                   f"ska detta tas upp där:",
                   f"No notice of {_label(q, meeting)} is in the documents, but earlier minutes say this is to be "
                   f"taken up there:")
        return Reply("\n".join([head, *lines]), sources=sources, language=q.language)
    return Reply(q.t(f"Ingen kallelse eller dagordning till {_label(q, meeting)} finns i handlingarna, och inget "
                     f"tidigare protokoll säger vad som ska tas upp där.",
                     f"No notice or agenda of {_label(q, meeting)} is in the documents, and no earlier minutes "
                     f"say what is to be taken up there."),
                 answered=False, sources=[meetings._source(q, meeting)], language=q.language)
