"""Meetings: the next or previous one, the year's plan, where and when, how many."""

from __future__ import annotations

from sqlmodel import col, select

from handlers.answers import agenda, meeting_form, meetings
from handlers.answers.core import Question, choose_organisation
from handlers.answers.text import fold, join_words, tokens
from handlers.messages import Reply, Source
from handlers.understanding.kinds import REASON_CUES, Kind, register
from handlers.understanding.lexicon import ORG_NOISE as FOLDED_ORG_NOISE
from storage.models import Meeting

CUES = {
    "meeting": (0.5, ("möte", "sammanträd", "meeting", "planeringsdag", "styrelsemöt", "schedule", "mötestider",
                      "mötesplan", "sammanträdesplan", "träff", "ses vi", "ses nästa", "nästa gång", "meet again",
                      "meet next", "meet=", "meets=", "met=", "sammanträder", "sammanträdde", "planning day",
                      "board dates", "board date", "meeting dates", "meeting date", "mötesdatum", "styrelsedatum")),
    "next": (0.6, ("nästa", "next", "kommande", "upcoming", "nasta")),
    "previous": (0.6, ("förra", "föregående", "senaste", "previous", "last=", "latest", "i fjol")),
    "plan": (0.6, ("planer", "inplaner", "planned", "sammanträdesplan", "mötesplan", "scheduled", "schedule")),
    "when": (0.4, ("när", "when", "datum", "date", "vilken dag", "which day")),
    "where": (0.5, ("var=", "where", "ort", "plats", "place", "lokal", "venue", "stad", "town",
                    # The room a notice names ("Lokal: Folkets hus i Umeå, rum Källan").
                    "rum=", "rummet", "room=", "which room", "vilket rum")),
    "count": (0.6, ("hur många", "how many", "antal", "number of")),
    # Meetings still to come ("Vilka möten har vi kvar i år?").
    "remaining": (0.2, ("kvar=", "återstår", "återstående", "remaining", "still to come", "left=")),
    "exists": (0.5, ("har vi", "finns det", "is there", "do we have", "blir det", "är det", "ar det", "will there be",
                     "are there", "do we meet", "ses vi")),
    "time": (0.4, ("tid=", "tiden", "time", "klockan", "what time", "vilken tid", "hur dags", "klockslag")),
    # How long it lasted: its hours ("hur länge höll mötet på", "how long did the meeting last").
    "duration": (1.0, ("hur länge höll", "hur länge pågick", "hur länge varade", "hur länge satt", "pågick mötet",
                       "how long did the meeting", "how long was the meeting", "how long did the board meeting",
                       "meeting last", "meeting lasted")),
    # How it was held: on site, at a distance, in Teams ("hölls mötet på kansliet el digitalt").
    "form": (0.9, ("digital", "distans", "teams=", "zoom", "skype", "videolänk", "online", "remote", "remotely",
                   "in person", "på plats", "fysiskt", "fysiska", "on site", "physically", "hybrid", "mötesform",
                   "videomöte", "video", "på länk", "via länk", "held in person", "face to face")),
    # When it began or ended: the protocol's time, or none recorded.
    "clock": (0.5, ("började", "startade", "slutade", "avslutades", "began", "start=", "started", "ended",
                    "end=", "finish", "finished", "hur länge", "how long", "what time", "vilken tid", "hur dags",
                    "klockan", "hur lange", "pågick", "lasted", "höll på", "holl pa")),
    # Past tense with no day: the meeting already held ("Var hölls mötet?", "Where was the meeting held?").
    "past": (0.3, ("hölls", "held=", "was held", "ägde rum", "took place", "did the meeting", "was the meeting",
                   "var mötet", "startade", "började", "started", "ended", "slutade")),
}
MEETING_WORDS = CUES["meeting"][1]
# Words that ask for the meetings themselves, listed.
LISTING = ("vilka", "which", "lista", "list", "alla=", "all=", "what meetings")
# Words that ask about people at a meeting, not about the meeting: "var någon med digitalt".
PERSON_WORDS = ("någon", "nån", "nagon", "anyone", "anybody", "someone", "somebody", "vilka", "which members",
                "ledamot", "ledamöter", "members", "deltog", "deltagit", "attended", "participated", "took part")
# How the meeting as a whole was held.
HELD = ("hölls", "holls", "hålls", "held", "genomfördes", "genomförs", "var mötet", "was the meeting", "how was",
        "hur hölls", "var motet", "ägde rum", "took place", "sammanträdde", "mötte", "met=")
REMAINING = ("left=", "återstår", "kvar=", "remaining", "still to come", "to go")


def _fit(q: Question) -> float:
    if not q.cues.any(MEETING_WORDS):
        return -1.0
    from handlers.answers.kinds.officers import OTHER_DOCUMENTS, SENDING

    if q.cues.any(OTHER_DOCUMENTS) and q.cues.any(SENDING):
        # "Where was the remissyttrande on remote participation in board meetings sent?": where a
        # document went, with meetings only in its subject.
        return -1.0
    if q.cues.any(REMAINING) and q.cues.any(CUES["count"][1]):
        return 0.6  # "Hur många möten är kvar?": meetings remain, not money of a grant
    # "Vad beslutades på förra mötet?" asks about decisions: the why kind answers that.
    if q.cues.any(("beslut", "decid", "decision", "varför", "why", "hände", "happened")):
        return -0.8
    if q.cues.any(CUES["form"][1]):
        # Who took part at a distance is the people kind's; how the meeting was held is this one's.
        if q.cues.any(PERSON_WORDS):
            return -0.8
        if q.cues.any(HELD):
            return 0.3
    if not q.named("grant") and q.cues.any((*CUES["clock"][1], *REMAINING)):
        # How long, still to come — of a meeting, where no grant is named ("hur länge
        # håller planeringsdagen på" is no grant's period; "vilka möten har vi kvar" no grant's remainder).
        return 0.4
    if q.dates and meetings.anchored(q) is not None:
        return 0.3  # "Vilket möte kommer efter den 22 mars?": a meeting counted from a day
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
    places = [m.entry.name for m in q.named("place", "member_body") if not _in_forbund_name(q, m.entry.name)]
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


def _in_forbund_name(q: Question, place: str) -> bool:
    """A place the question names only as part of the förbund's own name ("Härnösand–Timrå" is
    the förbund, not the town Härnösand): no filter on where the meetings are held."""
    first = fold(place.split()[0]) if place.split() else ""
    folded = [fold(w) for w in q.words]
    for org in q.organisations:
        distinctive = [fold(w) for w in tokens(org.name) if fold(w) not in FOLDED_ORG_NOISE and len(w) >= 3]
        # "Härnösands kommun" is named by the förbund's "Härnösand" as well (a genitive).
        if any(first == d or first == d + "s" for d in distinctive) and sum(d in folded for d in distinctive) >= 2:
            return True
    return False


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


def _one_meeting(q: Question) -> Meeting | Reply | None:
    """The one meeting the question names (a day, a month, "förra mötet"), else the latest held."""
    asked = agenda.meetings_asked(q)
    if asked is None:
        asked = [m for m in _meetings(q) if m.date < q.ctx.today][-1:] if q.scoped else None
        if asked is None:
            held = {m.organisation_id for m in _meetings(q) if m.date < q.ctx.today}
            return choose_organisation(q, [q.organisation(i) for i in sorted(held)]) if len(held) > 1 else None
    if not asked:
        return Reply(q.t("Inget sådant möte finns i handlingarna.", "No such meeting is in the documents."),
                     answered=False, language=q.language)
    if len({m.organisation_id for m in asked}) > 1:
        return choose_organisation(q, [q.organisation(i) for i in sorted({m.organisation_id for m in asked})])
    return asked[0] if len(asked) == 1 else None


def answer(q: Question) -> Reply | None:
    facets = set(q.reading_facets)
    if "form" in facets:
        one = _one_meeting(q)
        if isinstance(one, Meeting):
            return meeting_form.answer(q, one)
        if isinstance(one, Reply):
            return one
    if facets & {"clock", "time", "duration"} and not facets & {"next", "plan", "count"}:
        named = agenda.meetings_asked(q)
        one = named[0] if named is not None and len(named) == 1 else None
        if one is not None and one.start_time is None:
            # "När slutade mötet?": a time the documents do not give is not another fact instead.
            return Reply(q.t(f"Handlingarna anger ingen tid för mötet {meetings._describe(q, one)}.",
                             f"The documents give no time for the meeting of {meetings._describe(q, one)}."),
                         answered=False, sources=[meetings._source(q, one)], language=q.language)
    if "count" in facets:
        return _count(q)
    on_day = None if "next" in facets else _on_day_without_year(q)  # "nästa möte efter 24 nov" counts from it
    if on_day is not None:
        return on_day
    if facets & {"previous", "past"} and "next" not in facets and not q.dates:
        return _previous(q)
    return meetings.answer(q)


KIND = register(Kind(name="meeting", label_sv="ett möte", label_en="a meeting", cues=CUES, answer=answer,
                     entities=("place",), entity_weight=0.2, fit=_fit, order=7, vetoes=(*REASON_CUES, "vem=", "who=")))
