"""One grant (insats): its amount, period, Dnr, conditions, applicants, status, reporting,
what remains of it. Asked of a grant the question names."""

from __future__ import annotations

import re

from sqlmodel import col, select

from handlers.answers import grants, passages
from handlers.answers.core import Question
from handlers.answers.text import day, kr
from handlers.messages import Reply
from handlers.understanding.kinds import REASON_CUES, Kind, facets, grants_something_else, register
from storage.models import GrantEvent

CUES = {
    "amount": (1.0, ("hur mycket", "how much", "belopp", "amount", "bevilj", "granted", "kronor", "fick", "får",
                     "got", "receive", "pengar", "money", "summa", "given=", "gave=", "award",
                     # A grant's amount is its ceiling ("högst 786 000 kr").
                     "ceiling", "cap=", "capped", "maximum funding", "max funding", "maximum grant", "maxbelopp",
                     "högsta belopp", "takbelopp")),
    "period": (1.0, ("period", "hur länge", "how long", "tidsperiod", "löptid", "mellan vilka", "which years",
                     "för vilken period", "för vilken")),
    # When it starts or ends ("When does X end?", "What does the grant cover?"): the period, only
    # of a grant named (alone, "cover" and "end" ask many things).
    "span": (0.6, ("end=", "ends=", "ending", "start and end", "starts", "begins", "cover=", "covers", "lasts",
                   "runs until", "run until", "runs to", "runs from", "run from", "expire", "slutar", "löper ut",
                   "upphör", "tar slut", "börjar", "until when", "till when", "till när", "fram till när")),
    "dnr": (1.0, ("diarienummer", "dnr", "file number", "reference number", "case number", "ärendenummer",
                  "diarie", "diary number", "registration number", "reference no", "case no", "file no", "ref no",
                  "ref nr", "diarienr", "ärendenr", "ref number", "reg no")),
    "conditions": (1.0, ("villkor", "condition", "krav", "requirement", "måste hända", "must happen", "has to happen",
                         "needs to happen", "kompletteras", "komplettera", "kompletterad", "supplemented",
                         "förutsättning", "förutsatt", "prerequisite", "provided that", "vad krävs", "what is required",
                         "what was required", "required before", "krävdes", "måste komma in", "måste inkomma",
                         "måste lämnas in", "innan ordföranden", "before the chair",
                         # Whether it was outright asks its conditions ("godkände vi slutrapporten rakt av?").
                         "rakt av", "utan villkor", "utan förbehåll", "villkorslöst", "unconditionally",
                         "without conditions", "without any conditions", "with no conditions", "no strings",
                         "strings attached", "strings are attached", "catch=", "what is attached", "attached to")),
    "applicants": (0.9, ("sökande", "sökt", "ansökt", "sökte", "ansökte", "applicant", "applied", "apply=", "applying", "applies=", "vilka parter", "who applied",
                         "står bakom", "behind")),
    "status": (0.9, ("status", "slutrapport", "final report", "godkän", "approve", "avslut",
                     # English asks the base form after "did"/"has": "did the board OK it".
                     "okay", "okayed", "ok'd", "ok=", "sign off on", "signed off on")),
    # A payout decided or made: its own facts (storage/grant_status.py), with their amount.
    "payment": (0.9, ("utbetal", "betalades", "betala ut", "betalats ut", "betalat ut", "paid", "payout", "pay out",
                      "payment", "disbursed")),
    "remaining": (1.0, ("återstår", "kvar", "remaining", "left", "remain", "resterande", "förbrukat", "used up",
                        "spent", "outnyttjat", "unused")),
    "reporting": (1.0, ("återrapport", "rapporteras", "report back", "reporting", "reported", "redovisas",
                        "följas upp", "followed up",
                        # The verb with its particle or its addressee ("rapportera tillbaka", "report to the board").
                        "rapportera tillbaka", "rapporterar tillbaka", "rapportera till styrelsen",
                        "rapporterar till styrelsen", "reports back", "report to the board", "reports to the board")),
    # Where the matter stands in the minutes: "Which paragraph deals with X?", "I vilken § behandlas X?"
    "paragraph": (0.9, ("vilken paragraf", "which paragraph", "which section", "vilken §", "which §", "what paragraph",
                        "paragraf=", "paragraph=", "behandlas", "dealt with", "deals with")),
    "grant": (0.5, ("insats", "grant", "projekt", "project", "finansier", "funding", "fund", "funds", "ansökan",
                    "application")),
}


def _one(q: Question) -> Reply | None:
    found, _score = grants.match_grant(q, grants.grants_in_scope(q))
    return None if len(found) != 1 else _facet_reply(q, found[0])


def _facet_reply(q: Question, grant: grants.Grant) -> Reply | None:
    facets = set(q.reading_facets)
    event = grants._granting_event(q, grant)
    source = grants._source(q, grant, event)
    if "paragraph" in facets and not facets & {"amount", "period", "dnr", "conditions", "applicants", "status",
                                                "payment", "remaining", "reporting"}:
        if source.paragraph is None:
            return None
        when = f" ({source.document})" if source.document else ""
        return Reply(q.t(f"{grant.name} behandlas i § {source.paragraph}{when}.",
                         f"{grant.name} is dealt with in § {source.paragraph}{when}."),
                     sources=[source], language=q.language)
    if "remaining" in facets:
        paid = [e for e in q.session.exec(select(GrantEvent).where(
            GrantEvent.grant_id == grant.id, GrantEvent.status == "paid_out").order_by(col(GrantEvent.date))).all()]
        paid_amounts = [e.amount for e in paid if e.amount is not None]
        if grant.max_amount is not None and paid and len(paid_amounts) == len(paid):
            left = grant.max_amount - sum(paid_amounts)
            return Reply(q.t(f"Av {grant.name}s {kr(grant.max_amount)} återstår {kr(left)} enligt handlingarna "
                             f"(utbetalt {kr(sum(paid_amounts))}).",
                             f"Of the {kr(grant.max_amount)} granted to {grant.name}, {kr(left)} remains "
                             f"({kr(sum(paid_amounts))} paid out)."),
                         sources=[source], language=q.language)
        granted = f" {q.t('Beviljat', 'Granted')}: {kr(grant.max_amount)}." if grant.max_amount else ""
        return Reply(q.t(f"Handlingarna anger inte hur mycket som återstår av {grant.name}.{granted}",
                         f"The documents do not say how much of {grant.name} remains.{granted}"),
                     answered=False, sources=[source], language=q.language)
    if "reporting" in facets and not facets & {"dnr", "conditions", "applicants"}:
        if grant.reporting:
            return Reply(q.t(f"Återrapportering av {grant.name}: {grant.reporting}",
                             f"Reporting on {grant.name} (as the decision puts it): {grant.reporting}"),
                         sources=[source], language=q.language)
        return Reply(q.t(f"Handlingarna anger inte hur {grant.name} ska återrapporteras.",
                         f"The documents do not say how {grant.name} is to report back."),
                     answered=False, sources=[source], language=q.language)
    year = q.year
    asks_amount = "amount" in facets or not facets - {"grant"}
    if year and asks_amount and grant.period_start and grant.period_end and not (
            grant.period_start.year <= year <= grant.period_end.year):
        amount = f"{kr(grant.max_amount)} " if grant.max_amount else ""
        period = f"{day(grant.period_start, q.language)} – {day(grant.period_end, q.language)}"
        return Reply(q.t(f"Handlingarna har inget beslut om {grant.name} för {year}. Det som finns: {amount}för "
                         f"perioden {period}.",
                         f"The documents hold no decision on {grant.name} for {year}. What there is: {amount}for the "
                         f"period {period}."),
                     answered=False, sources=[source], language=q.language)
    return None


def answer(q: Question) -> Reply | None:
    if "span" in q.reading_facets:
        q.reading_facets = tuple(dict.fromkeys("period" if f == "span" else f for f in q.reading_facets))
    special = _one(q)
    if special is not None:
        return special
    if set(q.reading_facets) <= {"period", "amount", "grant"} and re.search(r"\d[\d\s]{3,}\s*(kr|kronor)", q.text):
        # "Which period is the grant of 990 000 kr for?": the amount's line, which gives the period too.
        q.reading_facets = ("amount", "grant")
    return grants.answer(q)


# Words of deciding: a question about what was decided is the why kind's (quoted), unless it asks an
# amount ("Hur mycket får X enligt beslutet?"). ("får besluta" is who may decide: a condition.)
DECIDING = ("decide", "beslut=", "beslutet", "besluten", "beslutade", "beslutades", "beslutat", "beslutar", "beslöt")
# Who may decide on a grant's money: asked of a grant, only as one of its conditions.
MAY_DECIDE = ("besluta=", "får besluta", "may decide", "can decide", "får fatta beslut")


# Words for meetings: what remains of them or how long they last is not a grant's.
MEETING_NOUNS = ("möte", "styrelsemöt", "sammanträd", "meeting", "planeringsdag", "planning day")


# "How long a(n) X" asks the length of X itself, as "hur lång förlängning" does ("how long an
# extension", "how long a vacancy"); a grant's period only when X is its period ("how long a period").
LENGTH_OF_A_THING = re.compile(r"\bhow long (?:of )?an? (?!(?:period|term|time)\b)", re.IGNORECASE)


def _fit(q: Question) -> float:
    if q.cues.any(DECIDING) and not q.cues.any(passages.AMOUNT_CUES):
        return -2.0
    # Neither a grant the store knows nor a name written out: the question is not about one grant.
    if not q.named("grant") and not q.capitalised:
        return -0.5
    if grants_something_else(q):
        return -1.0
    if not q.named("grant") and q.cues.any(MEETING_NOUNS):
        return -1.0  # "Vilka möten har vi kvar?", "hur länge håller planeringsdagen på?": meetings, not a grant
    if q.cues.any(MAY_DECIDE) and not q.cues.any(CUES["conditions"][1]):
        return -1.0
    if LENGTH_OF_A_THING.search(q.text):
        return -1.0  # "how long an extension was SKL talking about": the extension's length, not a grant's period
    # "Which paragraph …", "… cover?", "… end?" are a grant's only with a grant named ("… did Maria
    # Engberg leave", "Which paragraphs does the protocol cover?").
    return -0.6 if not q.named("grant") and set(facets(KIND, q.cues)) <= {"paragraph", "span", "grant"} else 0.0


KIND = register(Kind(name="grant", label_sv="en insats", label_en="a grant", cues=CUES, answer=answer,
                     entities=("grant",), entity_weight=0.8, order=1, fit=_fit, figure=True,
                     # What was decided about a grant is quoted (see DECIDING in _fit); who may decide on its
                     # money ("får besluta om finansieringen") is one of its conditions, not a decision asked.
                     vetoes=(*REASON_CUES, "bestämd", "bestämt", "landade", "vad sa",
                             "what was said")))
