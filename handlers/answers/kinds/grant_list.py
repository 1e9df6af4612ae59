"""Grants taken together: those decided at a meeting or in a period, refused, conditioned on
something, applied for by a member; their total, count and the largest."""

from __future__ import annotations

import re

from sqlmodel import col, select

from handlers.answers import grants, passages
from handlers.answers.core import Question, not_found
from handlers.answers.text import fold, kr
from handlers.messages import Reply, Source
from handlers.understanding.kinds import Kind, register
from storage.models import Grant, GrantEvent

CUES = {
    "list": (0.5, ("vilka", "which", "lista", "list", "alla", "all=", "what grants", "vilka insatser")),
    # Asking for the grants themselves, by a list word next to a grant word.
    "grants": (1.0, ("list the grants", "list grants", "list all grants", "which grants", "what grants",
                     "which efforts", "which applications", "which projects were", "vilka insatser",
                     "vilka ansökningar", "vilka projekt", "lista insatser", "lista de beviljade", "lista beviljade")),
    "sum": (0.9, ("totalt", "sammanlagt", "total", "summa", "in total", "altogether", "tillsammans", "sum of",
                  "the sum")),
    "count": (0.9, ("hur många", "how many", "antal", "number of")),
    "largest": (0.9, ("störst", "högst", "mest", "largest", "biggest", "most", "highest")),
    "smallest": (0.9, ("minst", "lägst", "smallest", "least", "lowest")),
    "status": (0.9, ("slutrapport", "final report", "utbetal", "paid out")),
    "granted": (0.9, ("beviljade", "beviljades", "granted", "approved", "godkändes", "godkända")),
    "refused": (0.9, ("avslog", "avslag", "avslås", "refus", "reject", "nekad", "denied", "turned down")),
    "grant": (0.6, ("insats", "grant", "ansökning", "ansökan", "application", "bevilj", "finansier", "projekt",
                    "funding")),
    "condition": (0.5, ("villkor", "condition")),
}
GRANT_CUES = CUES["grant"][1] + CUES["refused"][1] + CUES["status"][1]


def _fit(q: Question) -> float:
    # Grants taken together: no single grant named, and a word that says grants.
    if not q.cues.any(GRANT_CUES):
        return -1.0
    return -0.6 if q.named("grant") and not q.cues.any(CUES["largest"][1] + CUES["smallest"][1]) else 0.0


def _events(q: Question, statuses: tuple[str, ...] = grants.GRANTED) -> list[tuple[GrantEvent, Grant]]:
    """Grant events of the statuses asked, at the meeting or in the period the question names."""
    query = (select(GrantEvent, Grant).join(Grant, col(Grant.id) == GrantEvent.grant_id)
             .where(col(Grant.organisation_id).in_(q.organisation_ids), col(GrantEvent.status).in_(statuses))
             .order_by(col(GrantEvent.date)))
    rows = list(q.session.exec(query).all())
    body = applicant_asked(q)
    if body is not None:
        rows = [(e, g) for e, g in rows if _main_applicant(g) == fold(body)]
    meetings = passages.protocols_in_question(q)
    if meetings is not None and q.cues.any(passages.RELATIVE_MEETING):
        days = {p.meeting_date for p in meetings}
        return [(e, g) for e, g in rows if e.date in days]
    for span in q.dates:
        rows = [(e, g) for e, g in rows if e.date and (span.contains(e.date) or (
            not span.year_given and span.exact and (e.date.month, e.date.day) == (span.start.month, span.start.day)))]
    return rows


# Words that ask for grants by who applied for them ("Timrå kommuns ansökningar").
APPLICANT_CUES = ("ansök", "sökt", "sökande", "applic", "applied")


def applicant_asked(q: Question) -> str | None:
    """The member body whose applications the question asks about, if it names one with an applicant word."""
    if not q.cues.any(APPLICANT_CUES):
        return None
    bodies = [m.entry.name for m in q.named("member_body") if m.score >= 0.9]
    return bodies[0] if bodies else None


def _main_applicant(g: Grant) -> str:
    """The applicant an application is written by: the first named (the others apply with it)."""
    return fold((g.applicants or "").split(",")[0].strip())


def _sum(q: Question) -> Reply:
    rows = _events(q)
    if not rows:
        return not_found(q, "beviljade insatser för den perioden", "grants for that period")
    total = 0
    lines = []
    sources: list[Source] = []
    for e, g in rows:
        amount = e.amount if e.amount is not None else g.max_amount
        total += amount or 0
        lines.append(f"• {g.name}: {kr(amount) if amount else '–'}")
        s = grants._source(q, g, e)
        if s not in sources:
            sources.append(s)
    days = sorted({e.date.isoformat() for e, _g in rows if e.date})
    body = applicant_asked(q)
    whose_sv, whose_en = (f", där {body} är sökande", f", applied for by {body}") if body else ("", "")
    text = q.t(f"Totalt beviljades {kr(total)} ({', '.join(days)}{whose_sv}), fördelat på {len(rows)} insatser:",
               f"In total {kr(total)} was granted ({', '.join(days)}{whose_en}), across {len(rows)} grants:")
    return Reply(text=text + "\n" + "\n".join(lines), sources=sources, language=q.language)


def _extreme(q: Question, largest: bool) -> Reply:
    rows = [(e, g) for e, g in _events(q) if (e.amount if e.amount is not None else g.max_amount) is not None]
    if not rows:
        return not_found(q, "beviljade belopp för den perioden", "granted amounts for that period")
    def amount(row: tuple[GrantEvent, Grant]) -> int:
        return int(row[0].amount if row[0].amount is not None else row[1].max_amount or 0)
    best = max(rows, key=amount) if largest else min(rows, key=amount)
    event, grant = best
    src: Source = grants._source(q, grant, event)
    word = q.t("störst", "the largest") if largest else q.t("minst", "the smallest")
    when = f" ({event.date.isoformat()})" if event.date else ""
    text = q.t(f"{grant.name} fick {word} belopp beviljat{when}: {kr(amount(best))}, av {len(rows)} beviljade insatser.",
               f"{grant.name} was granted {word} amount{when}: {kr(amount(best))}, of {len(rows)} grants.")
    return Reply(text=text, sources=[src], language=q.language)


def _count(q: Question) -> Reply:
    """How many, of the status asked ("hur många slutrapporter godkändes" counts final reports,
    not grants), and which."""
    statuses = grants._statuses_asked(q)
    rows = _events(q, statuses)
    word_sv, word_en = _status_words(statuses)
    if not rows:
        return not_found(q, f"{word_sv} för den perioden", f"{word_en} for that period")
    sources: list[Source] = []
    for e, g in rows:
        s = grants._source(q, g, e)
        if s not in sources:
            sources.append(s)
    names = ", ".join(g.name for _e, g in rows)
    if statuses == grants.GRANTED:
        return Reply(q.t(f"{len(rows)} insatser beviljades: {names}.", f"{len(rows)} grants were made: {names}."),
                     sources=sources, language=q.language)
    return Reply(q.t(f"{len(rows)} {word_sv}: {names}.", f"{len(rows)} {word_en}: {names}."),
                 sources=sources, language=q.language)


def _status_words(statuses: tuple[str, ...]) -> tuple[str, str]:
    return {"refused": ("avslagna ansökningar", "refused applications"),
            "final_report_approved": ("godkända slutrapporter", "approved final reports"),
            "paid_out": ("utbetalningar", "payments"), "payment_approved": ("beslutade utbetalningar",
                                                                           "approved payments"),
            "applied": ("inkomna ansökningar", "applications received")}.get(
                statuses[0], ("beviljade insatser", "grants made"))


def _by_status(q: Question) -> Reply:
    """'Vilka ansökningar avslogs?': every grant with that status in scope (and period, if named)."""
    statuses = grants._statuses_asked(q)
    rows = _events(q, statuses)
    word_sv, word_en = _status_words(statuses)
    if not rows:
        return Reply(q.t(f"Handlingarna har inga {word_sv}.", f"The documents hold no {word_en}."),
                     answered=False, language=q.language)
    sources: list[Source] = []
    lines = []
    for e, g in rows:
        when = f" ({e.date.isoformat()})" if e.date else ""
        lines.append(f"• {g.name}{when}")
        s = grants._source(q, g, e)
        if s not in sources:
            sources.append(s)
    head = q.t(f"{word_sv.capitalize()}:", f"{word_en.capitalize()}:")
    return Reply(text=head + "\n" + "\n".join(lines), sources=sources, language=q.language)


def _names_something(q: Question) -> bool:
    """Whether the question writes a name (a capital after its first word) that is not a förbund:
    "Hur mycket beviljades Kompetenscenter?" asks about one grant, known or not."""
    raw = re.findall(r"\w+", q.text)[1:]
    return any(w[:1].isupper() and not q.lexicon.organisations_named([w]) for w in raw)


def answer(q: Question) -> Reply | None:
    facets = set(q.reading_facets)
    if "largest" in facets or "smallest" in facets:
        return _extreme(q, "largest" in facets)
    if "count" in facets:
        return _count(q)
    if facets & {"refused", "status"}:
        return _by_status(q)
    if "sum" in facets and not q.named("grant"):
        return _sum(q)
    if q.cues.any(passages.AMOUNT_CUES) and not q.named("grant") and passages.protocols_in_question(q) \
            and not _names_something(q):
        return _sum(q)  # "Hur mycket beviljades på förra mötet?": the grants of that meeting together
    return grants.answer(q)


KIND = register(Kind(name="grant_list", label_sv="beviljade insatser", label_en="grants made", cues=CUES,
                     answer=answer, fit=_fit, order=3, vetoes=("varför", "why", "how come")))
