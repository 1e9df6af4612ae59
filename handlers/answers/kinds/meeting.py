"""Meetings: the next or previous one, the year's plan, where and when, how many."""

from __future__ import annotations

import re

from babel.dates import format_date
from sqlmodel import col, select

from handlers.answers import meetings
from handlers.answers.core import Question, choose_organisation, source_for
from handlers.answers.dates import nearest_in_any_year
from handlers.answers.text import fold, join_words
from handlers.messages import Reply, Source
from handlers.understanding.kinds import REASON_CUES, Kind, register
from storage.models import Meeting, Paragraph

CUES = {
    "meeting": (0.5, ("möte", "sammanträd", "meeting", "planeringsdag", "styrelsemöt", "schedule", "mötestider",
                      "mötesplan", "sammanträdesplan", "träff", "ses vi", "ses nästa", "nästa gång", "meet again",
                      "meet next", "meet=", "meets=", "met=", "sammanträder", "sammanträdde", "planning day")),
    "next": (0.6, ("nästa", "next", "kommande", "upcoming", "nasta")),
    "previous": (0.6, ("förra", "föregående", "senaste", "previous", "last=", "latest", "i fjol")),
    "plan": (0.6, ("planer", "planned", "sammanträdesplan", "mötesplan", "scheduled", "schedule")),
    "when": (0.4, ("när", "when", "datum", "date", "vilken dag", "which day")),
    "where": (0.5, ("var=", "where", "ort", "plats", "place", "lokal", "venue", "stad", "town")),
    "count": (0.6, ("hur många", "how many", "antal", "number of")),
    "exists": (0.5, ("har vi", "finns det", "is there", "do we have", "blir det")),
    "time": (0.4, ("tid=", "tiden", "time", "klockan", "what time", "vilken tid", "hur dags", "klockslag")),
    # Past tense with no day: the meeting already held ("Var hölls mötet?", "Where was the meeting held?").
    # What a meeting will take up: its kallelse's agenda, or what a § says is to be taken up then.
    "agenda": (0.9, ("dagordning", "föredragningslista", "agenda", "vad ska tas upp", "vad tas upp", "ska behandlas",
                     "what's on", "what is on", "taken up", "be discussed", "ska diskuteras")),
    "past": (0.3, ("hölls", "held=", "was held", "ägde rum", "took place", "did the meeting", "was the meeting",
                   "var mötet", "startade", "började", "started", "ended", "slutade")),
}
MEETING_WORDS = CUES["meeting"][1]
# Words that ask for the meetings themselves, listed.
LISTING = ("vilka", "which", "lista", "list", "alla=", "all=", "what meetings")
REMAINING = ("left=", "återstår", "kvar=", "remaining", "still to come", "to go")


def _fit(q: Question) -> float:
    if not q.cues.any(MEETING_WORDS) and not q.cues.any(CUES["agenda"][1]):
        return -1.0
    if q.cues.any(REMAINING) and q.cues.any(CUES["count"][1]):
        return 0.6  # "Hur många möten är kvar?": meetings remain, not money of a grant
    # "Vad beslutades på förra mötet?" asks about decisions: the why kind answers that.
    if q.cues.any(("beslut", "decid", "decision", "varför", "why", "hände", "happened")):
        return -0.8
    if q.cues.any(LISTING) and any(not d.exact for d in q.dates):
        return 0.2  # "Vilka styrelsemöten är det i höst?": the meetings of a period
    return 0.0


def _meetings(q: Question) -> list[Meeting]:
    return list(q.session.exec(
        select(Meeting).where(col(Meeting.organisation_id).in_(q.organisation_ids), Meeting.status != "cancelled")
        .order_by(col(Meeting.date))).all())


def _count(q: Question) -> Reply:
    chosen = _meetings(q)
    for span in q.dates:
        chosen = [m for m in chosen if span.contains(m.date)]
    others: list[Meeting] = []
    if not q.cues.any(("planeringsdag", "planning day")):
        others = [m for m in chosen if m.kind != "styrelsemöte"]
        chosen = [m for m in chosen if m.kind == "styrelsemöte"]
    if q.cues.any(REMAINING):
        chosen = [m for m in chosen if m.date >= q.ctx.today]  # "how many are left": from today on
    places = [m.entry.name for m in q.named("place", "member_body")]
    if places:
        wanted = [fold(p.split()[0]) for p in places]
        chosen = [m for m in chosen if m.place and any(w in fold(m.place) for w in wanted)]
    if not chosen:
        return Reply(q.t("Inga sådana möten finns i handlingarna.", "No such meetings are in the documents."),
                     answered=False, language=q.language)
    if len({m.organisation_id for m in chosen}) > 1:
        return choose_organisation(q, [q.organisation(i) for i in sorted({m.organisation_id for m in chosen})])
    n = len(chosen)
    words_sv = {1: "ett", 2: "två", 3: "tre", 4: "fyra", 5: "fem", 6: "sex", 7: "sju", 8: "åtta", 9: "nio", 10: "tio"}
    days = join_words([m.date.isoformat() for m in chosen], q.language)
    where = f" i {places[0].split(',')[0]}" if places else ""
    text = q.t(f"{n} möten ({words_sv.get(n, str(n))}){where}: {days}.",
               f"{n} meetings{' in ' + places[0] if places else ''}: {days}.")
    if others and not places and not q.cues.any(REMAINING):
        # The board's other meeting days in the plan are said beside, not counted in silently.
        extra = "; ".join(f"{m.kind} {m.date.isoformat()}" for m in others)
        text += q.t(f" Dessutom: {extra} ({n + len(others)} mötesdagar i allt).",
                    f" Besides: {extra} ({n + len(others)} meeting days in all).")
    sources: list[Source] = []
    for m in chosen:
        s = meetings._source(q, m)
        if s not in sources:
            sources.append(s)
    return Reply(text=text, sources=sources, language=q.language)


def _previous(q: Question) -> Reply:
    held = [m for m in _meetings(q) if m.date < q.ctx.today]
    if not held:
        return Reply(q.t(f"Inga möten före {q.ctx.today.isoformat()} finns i handlingarna.",
                         f"No meetings before {q.ctx.today.isoformat()} are in the documents."),
                     answered=False, language=q.language)
    if len({m.organisation_id for m in held}) > 1:
        return choose_organisation(q, [q.organisation(i) for i in sorted({m.organisation_id for m in held})])
    steps = meetings.beyond(q)
    if steps >= len(held):
        return Reply(q.t(f"Handlingarna har bara {len(held)} möte(n) före {q.ctx.today.isoformat()}.",
                         f"The documents have only {len(held)} meeting(s) before {q.ctx.today.isoformat()}."),
                     answered=False, language=q.language)
    m = held[-1 - steps]
    if steps:
        return Reply(q.t(f"Mötet före det senaste: {meetings._describe(q, m)}.",
                         f"The meeting before last: {meetings._describe(q, m)}."),
                     sources=[meetings._source(q, m)], language=q.language)
    return Reply(q.t(f"Förra mötet: {meetings._describe(q, m)}.", f"The previous meeting: {meetings._describe(q, m)}."),
                 sources=[meetings._source(q, m)], language=q.language)


def _on_day_without_year(q: Question) -> Reply | None:
    """'Mötet 29 november': the meeting on that day nearest to the day asked, in any year."""
    days = [d for d in q.dates if d.exact and not d.year_given]
    if not days:
        return None
    wanted = (days[0].start.month, days[0].start.day)
    hits = [m for m in _meetings(q) if (m.date.month, m.date.day) == wanted]
    if not hits:
        return Reply(q.t(f"Inget möte den {days[0].start.day}/{days[0].start.month} finns i handlingarna.",
                         f"No meeting on {days[0].start.day}/{days[0].start.month} is in the documents."),
                     answered=False, language=q.language)
    m = min(hits, key=lambda m: abs((m.date - q.ctx.today).days))
    if len({h.organisation_id for h in hits if h.date == m.date}) > 1:
        return choose_organisation(q, [q.organisation(h.organisation_id) for h in hits if h.date == m.date])
    return Reply(q.t(f"Möte: {meetings._describe(q, m)}.", f"Meeting: {meetings._describe(q, m)}."),
                 sources=[meetings._source(q, m)], language=q.language)


def _agenda(q: Question) -> Reply | None:
    """'Vad står på dagordningen på fredag?', 'När är nästa möte och vad ska tas upp?': the meeting's
    agenda from its kallelse, or the sentences of the § that says what is to be taken up that day."""
    held = _meetings(q)
    days = [d for d in q.dates if d.exact]
    if days:
        chosen = [m for m in held if m.date == days[0].start] if days[0].year_given else \
            nearest_in_any_year(q.ctx.today, days[0], held, lambda m: m.date)
    elif q.cues.any(CUES["previous"][1]):
        chosen = [m for m in held if m.date < q.ctx.today][-1:]
    else:
        chosen = [m for m in held if m.date >= q.ctx.today][:1]
    if not chosen:
        return None
    if len({m.organisation_id for m in chosen}) > 1:
        return choose_organisation(q, [q.organisation(m.organisation_id) for m in chosen])
    m = chosen[0]
    head = q.t(f"Mötet {meetings._describe(q, m)}", f"The meeting {meetings._describe(q, m)}")
    if m.agenda:
        items = "\n".join(f"• {line.strip()}" for line in m.agenda.splitlines() if line.strip())
        return Reply(head + q.t(", dagordning:", ", agenda:") + "\n" + items, sources=[meetings._source(q, m)],
                     language=q.language)
    said = _said_for_day(q, m)
    if not said:
        return Reply(head + q.t(": handlingarna anger inte vad som ska tas upp.",
                                ": the documents do not say what is to be taken up."),
                     answered=False, sources=[meetings._source(q, m)], language=q.language)
    sources = list(dict.fromkeys(source_for(q.session, q.organisation(m.organisation_id), p.document_id, p.id)
                                 for p, _s in said))
    return Reply(head + q.t(". Enligt handlingarna:", ". According to the documents:") + "\n"
                 + "\n".join(f"• § {p.number}: {sentence}" for p, sentence in said), sources=sources,
                 language=q.language)


# A sentence that says something is to be done at a meeting, not only when and where it is.
AGENDA_VERBS = re.compile(r"tas upp|ta upp|behandl|diskuter|avsätt|redovis|presenter|beslut|återkomm|dialog|föredra|"
                          r"rapporter|informer|taken up|discuss|present", re.IGNORECASE)


def _said_for_day(q: Question, m: Meeting) -> list[tuple[Paragraph, str]]:
    """The sentences of the förbund's paragraphs that say what is to be done on the meeting's day
    ("… redovisas vid sammanträdet 12 september"), each with its §."""
    month = format_date(m.date, "MMMM", locale="sv_SE")
    day_words = re.compile(rf"\b{m.date.day}\s+{month}\b|{m.date.isoformat()}", re.IGNORECASE)
    rows = q.session.exec(select(Paragraph).where(Paragraph.organisation_id == m.organisation_id)
                          .order_by(col(Paragraph.id))).all()
    out: list[tuple[Paragraph, str]] = []
    for p in rows:
        if month not in f"{p.body} {p.decision or ''}".lower():
            continue
        # The sentence that names the day, with the one before it: "Förslag till styrdokument tas upp …"
        # says what only after "… en arbetsmiljöhandbok samt policy för lönesättning".
        lines = list(dict.fromkeys(line.strip() for line in re.split(r"(?<=[.!?])\s+|\n", f"{p.body}\n{p.decision or ''}")
                                   if line.strip()))
        hits = [i for i, line in enumerate(lines) if day_words.search(line) and AGENDA_VERBS.search(line)]
        for i in hits:
            sentence = f"{lines[i - 1]} {lines[i]}" if i and i - 1 not in hits else lines[i]
            if all(sentence != said for _p, said in out):
                out.append((p, sentence))
    return out


def answer(q: Question) -> Reply | None:
    facets = set(q.reading_facets)
    if "agenda" in facets:
        agenda = _agenda(q)
        if agenda is not None:
            return agenda
    if "count" in facets:
        return _count(q)
    on_day = _on_day_without_year(q)
    if on_day is not None:
        return on_day
    if facets & {"previous", "past"} and "next" not in facets and not q.dates:
        return _previous(q)
    return meetings.answer(q)


KIND = register(Kind(name="meeting", label_sv="ett möte", label_en="a meeting", cues=CUES, answer=answer,
                     entities=("place",), entity_weight=0.2, fit=_fit, order=7, vetoes=(*REASON_CUES, "vem=", "who=")))
