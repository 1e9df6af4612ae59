"""Grants taken together: those decided at a meeting or in a period, refused, conditioned on
something, applied for by a member; their total, count and the largest."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlmodel import col, select

from handlers.answers import budget, grants, passages
from handlers.answers.core import Question, choose_organisation, not_found
from handlers.answers.dates import MONTHS, DateSpan, nearest_in_any_year
from handlers.answers.figure_aggregates import ordinal_asked
from handlers.answers.figures import percent
from handlers.answers.text import count_text, fold, join_words, kr, name_score, tokens
from handlers.messages import Reply, Source
from handlers.understanding import exclusion
from handlers.understanding.kinds import (
    REASON_CUES,
    Cues,
    Kind,
    counted_word,
    grants_something_else,
    register,
)
from storage.models import Grant, GrantEvent

# Words that ask for a mean of several amounts.
AVERAGE_CUES = ("genomsnitt", "i snitt", "snittet", "snittbelopp", "medelbelopp", "medelvärde", "average", "mean=",
                "on average")

# English gives money out by phrasal verbs ("what did the board hand out in total"): grants, alone.
HANDED_OUT = ("hand out", "handed out", "hand money out", "handed money out", "give out", "gave out", "dish out",
              "dished out", "dole out", "doled out")

CUES = {
    "list": (0.5, ("vilka", "which", "lista", "list", "alla", "all=", "what grants", "vilka insatser")),
    # Asking for the grants themselves, by a list word next to a grant word.
    "grants": (1.0, ("list the grants", "list grants", "list all grants", "which grants", "what grants",
                     "which efforts", "which applications", "which projects were", "vilka insatser",
                     "vilka ansökningar", "vilka projekt", "lista insatser", "lista de beviljade", "lista beviljade",
                     # English asks which got the money ("which projects got money approved"); the verb in any form.
                     "which projects get", "which insatser get", "which efforts get", "which applications get",
                     "which initiatives get", "what projects get", "which ones get", "who get money",
                     "who get funding", "which get money", "which get funding", "which projects receive")),
    "sum": (0.9, ("totalt", "sammanlagt", "sammanlagd", "total", "summa", "in total", "altogether", "tillsammans",
                  "tillsamans", "samlade",
                  "sum of", "the sum", "combined")),
    "count": (0.9, ("hur många", "how many", "antal", "number of")),
    "average": (0.95, AVERAGE_CUES),
    # ("Which of the two got more": of those chosen between, the larger; "hur mycket mer än
    # budgeterat" is no choice among grants.)
    "largest": (0.9, ("störst", "högst", "mest", "largest", "biggest", "most", "highest", "got more", "gets more",
                      "get more", "received more", "fick mer", "får mer", "fått mer")),
    # A comparative choosing among the grants ("which was bigger"): the largest of them.
    "choose": (0.9, ("bigger=", "larger=", "större=", "högre=")),
    # "… and by how much": of two, the difference is said beside the larger (see _extreme).
    "by_how_much": (0.3, ("by how much", "med hur mycket", "hur mycket mer", "hur mycket större", "how much more",
                          "how much bigger", "how much larger", "hur mycket mindre", "how much less",
                          "how much smaller")),
    # "… which got more, and what's the difference?": of the grants chosen between, the gap to the other
    # (a hint only, as by_how_much).
    "difference": (0.3, ("skillnad", "skiljer", "skilde", "skiljde", "difference", "differ", "gap=")),
    "smallest": (0.9, ("minst", "lägst", "smallest", "least", "lowest", "got less", "gets less", "get less",
                       "received less", "fick mindre", "får mindre", "fått mindre")),
    "status": (0.9, ("slutrapport", "final report", "utbetal", "paid out")),
    "granted": (0.9, ("beviljade", "beviljades", "granted", "approved", "godkändes", "godkända", *HANDED_OUT,
                      # English asks it with "did" and the verb's base ("what did the board grant at …").
                      "did the board grant", "did the board approve", "did the board fund", "did they grant",
                      "did they approve", "did they fund", "did the förbund grant", "did the association grant",
                      "did the board give money", "did they give money", *grants.GOT_MONEY)),
    "refused": (0.9, ("avslog", "avslag", "avslås", "refus", "reject", "nekad", "denied", "turned down")),
    "grant": (0.6, ("insats", "grant", "ansökning", "ansökan", "application", "bevilj", "finansier", "projekt",
                    "funding")),
    "condition": (0.5, ("villkor", "condition")),
    # The next one down from the largest ("hur mycket mer än tvåan"): the gap is to it, not to the smallest.
    "runner_up": (0.2, ("tvåan", "tvaan", "näst störst", "näst mest", "runner-up", "runner up", "second largest",
                        "second biggest", "second most", "next largest", "next biggest", "näst minst", "näst lägst",
                        "second smallest", "second least", "next smallest")),
    # What is left out of the grants added up, counted or compared (see understanding/exclusion.py).
    "exclude": (0.2, exclusion.CUE_WORDS),
    # The largest grant's part of all granted ("… och hur stor andel av det totala var den?").
    "share": (0.3, ("andel", "hur stor del", "share", "procent", "percent", "proportion", "what part",
                    "av totalen", "av det totala", "of the total", "hur mycket av", "how much of")),
}
GRANT_CUES = CUES["grant"][1] + CUES["refused"][1] + CUES["status"][1]
_EXTREME = CUES["largest"][1] + CUES["smallest"][1]


# Words for the efforts a förbund runs, in a question about its budget ("vilken insats har störst
# budget"), and the word its tables use for the lines of those efforts (their subtotal or section:
# "Delsumma verksamhet", "Summa verksamheter").
EFFORT_WORDS = ("insats=", "insatser=", "insatsen=", "insatserna=", "projekt=", "projekten=", "project=",
                "projects=", "effort=", "efforts=", "initiative=", "initiatives=", "verksamhet=", "verksamheter=",
                "verksamheterna=", "activity=", "activities=")
EFFORT_TABLE_WORDS = frozenset({"verksamhet", "verksamheter"})
# Words that make an effort's money a grant decided, not a budget line.
GRANTING = ("bevilj", "granted", "ansök", "sökt", "applied", "application", "tilldela", "awarded")


def effort_extreme(q: Question) -> bool:
    """Whether the question asks which effort has the largest or smallest figure of a budget,
    forecast or plan (not which was granted most)."""
    return bool(budget._kinds(q)) and q.cues.any(EFFORT_WORDS) and not q.cues.any(GRANTING) \
        and q.cues.any(_EXTREME) and len(q.organisation_ids) == 1


def _fit(q: Question) -> float:
    # Grants taken together: no single grant named, and a word that says grants.
    if not q.cues.any(GRANT_CUES + CUES["grants"][1] + HANDED_OUT + grants.GOT_MONEY) or grants_something_else(q) or effort_extreme(q):
        return -1.0  # (the budget of efforts, "vilken insats har störst budget", is no grant's amount)
    taken_together = CUES["sum"][1] + CUES["count"][1] + CUES["largest"][1] + CUES["smallest"][1]
    if exclusion.excluded_words(q.text) and (q.cues.any(taken_together) or (
            q.cues.any(passages.AMOUNT_CUES) and passages.protocols_in_question(q))):
        # "summa beviljat exkl Arbetsmarknadstorget", "how much was granted on 24 November besides
        # Arbetsmarknadstorget": the grant named is the one left out
        return 0.3
    if q.named("grant") and not q.cues.any(CUES["largest"][1] + CUES["smallest"][1]):
        return -0.6
    # "Hur många slutrapporter …": the thing counted is written right after the count word.
    counted = counted_word(q)
    return 0.2 if counted and Cues([counted]).any(GRANT_CUES) else 0.0


# Words before a year that make it the period a grant is for ("för 2024", "avseende 2024").
PERIOD_MARKERS = ("för", "for", "avseende", "gällande", "covering", "inför", "för år", "for the year", "för verksamhetsåret")


def _funding_year(q: Question, span: DateSpan) -> bool:
    if span.exact or (span.start.month, span.end.month) != (1, 12):
        return False
    markers = "|".join(sorted(map(re.escape, PERIOD_MARKERS), key=len, reverse=True))
    return re.search(rf"\b(?:{markers})\s+{span.start.year}\b", q.text, re.IGNORECASE) is not None


def _events(q: Question, statuses: tuple[str, ...] = grants.GRANTED,
            funding_years: bool = False) -> list[tuple[GrantEvent, Grant]]:
    """Grant events of the statuses asked, at the meeting or in the period the question names.
    `funding_years`: a year named is the year the money is for (grants set against that year's
    budget), whatever the words before it."""
    query = (select(GrantEvent, Grant).join(Grant, col(Grant.id) == GrantEvent.grant_id)
             .where(col(Grant.organisation_id).in_(q.organisation_ids), col(GrantEvent.status).in_(statuses))
             .order_by(col(GrantEvent.date)))
    rows = list(q.session.exec(query).all())
    meetings = passages.protocols_in_question(q)
    if meetings is not None and q.cues.any(passages.RELATIVE_MEETING):
        days = {p.meeting_date for p in meetings}
        return [(e, g) for e, g in rows if e.date in days]
    for span in q.dates:
        if _funding_year(q, span) or (funding_years and not span.exact and (span.start.month, span.end.month) == (1, 12)):
            # "beviljades för 2024": the year the money is for, not the day it was decided.
            rows = [(e, g) for e, g in rows if g.period_start and g.period_end
                    and g.period_start <= span.end and g.period_end >= span.start]
            continue
        if not span.year_given:
            # "den 24 november", "på mötet i november": that day or month of the year nearest the asking day.
            rows = nearest_in_any_year(q.ctx.today, span, [(e, g) for e, g in rows if e.date],
                                       lambda r: r[0].date or q.ctx.today)
            continue
        rows = [(e, g) for e, g in rows if e.date and span.contains(e.date)]
    return rows


def _by_applicant(q: Question, rows: list[tuple[GrantEvent, Grant]], body: str | None = None) -> tuple[
        str | None, list[tuple[GrantEvent, Grant]], list[tuple[GrantEvent, Grant]]]:
    """The member body the question names as applicant ("Timrå kommuns ansökningar"), the rows it
    applied for first (its own applications), and those it only joined as co-applicant."""
    bodies = [m.entry.name for m in q.named("member_body") if m.score >= 0.9]
    if not bodies and body is None:
        return None, rows, []
    body = body or bodies[0]

    def applicants(g: Grant) -> list[str]:
        return [a.strip() for a in (g.applicants or "").split(",") if a.strip()]

    def same(a: str) -> bool:
        return name_score(body, tokens(a)) >= 0.9

    own = [(e, g) for e, g in rows if applicants(g) and same(applicants(g)[0])]
    joined = [(e, g) for e, g in rows if any(same(a) for a in applicants(g)[1:])]
    return body, own, joined


def _left_out(q: Question, rows: list[tuple[GrantEvent, Grant]]) -> tuple[
        list[tuple[GrantEvent, Grant]], str, Reply | None]:
    """The rows without those the question leaves out ("exkl Arbetsmarknadstorget"), the names left
    out, and a reply when the exclusion names none of the rows (then nothing is answered)."""
    found = exclusion.without(q.text, rows, lambda r: r[1].name)
    if found is None:
        return rows, "", None
    kept, out = found
    if not out or not kept:
        return rows, "", Reply(q.t("Ingen av de beviljade insatserna är den som frågan vill räkna bort.",
                                   "None of the grants made is the one the question leaves out."),
                               answered=False, language=q.language)
    return kept, join_words([g.name for _e, g in out]), None


def _by_applicants(q: Question, bodies: list[str]) -> Reply:
    """'Timrå kommuns ansökningar jämfört med Härnösands': each body's own applications granted,
    added up on its own line (never one body's total given for both)."""
    rows = _events(q)

    def amount(row: tuple[GrantEvent, Grant]) -> int:
        return int(row[0].amount if row[0].amount is not None else row[1].max_amount or 0)

    lines, sources, totals = [], [], []
    for body in bodies:
        _b, own, _joined = _by_applicant(q, rows, body)
        total = sum(amount(r) for r in own)
        totals.append(total)
        names = ", ".join(f"{g.name} {kr(amount((e, g)))}" for e, g in own) or q.t("inga", "none")
        lines.append(q.t(f"• {body}: {kr(total)} ({names})", f"• {body}: {kr(total)} ({names})"))
        sources += [s for s in (grants._source(q, g, e) for e, g in own) if s not in sources]
    text = q.t("Beviljat på egna ansökningar:", "Granted on their own applications:") + "\n" + "\n".join(lines)
    if len(bodies) == 2:
        delta = totals[0] - totals[1]
        text += q.t(f"\nSkillnad: {kr(abs(delta))}.", f"\nDifference: {kr(abs(delta))}.")
    return Reply(text, sources=sources, language=q.language)


def _several_forbund(q: Question, rows: list[tuple[GrantEvent, Grant]]) -> Reply | None:
    """A total, count or largest over grants of several förbund, none named or linked: ask which,
    never add up one förbund's grants with another's."""
    org_ids = sorted({g.organisation_id for _e, g in rows})
    if q.scoped or len(org_ids) < 2:
        return None
    if q.cues.any(ACROSS_FORBUND):
        return _by_forbund(q, rows, org_ids)
    return choose_organisation(q, [q.organisation(o) for o in org_ids])


# Words that ask across every förbund ("i alla förbund", "vilket förbund beviljade mest"): each
# förbund's grants counted and added up on its own line, never mixed into one förbund's.
ACROSS_FORBUND = ("alla förbund", "alla förbunden", "samtliga förbund", "all förbund", "all the förbund",
                  "all associations", "every förbund", "each förbund", "vilket förbund", "vilka förbund",
                  "which förbund", "which association", "per förbund", "varje förbund")


def _by_forbund(q: Question, rows: list[tuple[GrantEvent, Grant]], org_ids: list[int]) -> Reply:
    def amount(row: tuple[GrantEvent, Grant]) -> int:
        return int(row[0].amount if row[0].amount is not None else row[1].max_amount or 0)

    per = sorted(((o, [r for r in rows if r[1].organisation_id == o]) for o in org_ids),
                 key=lambda x: -sum(amount(r) for r in x[1]))
    lines = [q.t(f"• {q.organisation(o).name}: {count_text(len(rs))} insatser, {kr(sum(amount(r) for r in rs))}",
                 f"• {q.organisation(o).name}: {count_text(len(rs), 'en')} grants, {kr(sum(amount(r) for r in rs))}")
             for o, rs in per]
    top = q.organisation(per[0][0]).name
    head = q.t(f"Beviljade insatser per förbund (mest: {top}):", f"Grants made per förbund (most: {top}):")
    total = q.t(f"Sammanlagt: {count_text(len(rows))} insatser, {kr(sum(amount(r) for r in rows))}.",
                f"Altogether: {count_text(len(rows), 'en')} grants, {kr(sum(amount(r) for r in rows))}.")
    sources = list(dict.fromkeys(grants._source(q, g, e) for e, g in rows))
    return Reply("\n".join([head, *lines, total]), sources=sources, language=q.language)


def _sum(q: Question, average: bool = False) -> Reply:
    several = _several_forbund(q, _events(q))
    if several is not None:
        return several
    bodies = list(dict.fromkeys(m.entry.name for m in q.named("member_body") if m.score >= 0.9))
    if len(bodies) >= 2:
        return _by_applicants(q, bodies)
    body, rows, joined = _by_applicant(q, _events(q))
    if not rows:
        if body is not None:
            return not_found(q, f"beviljade ansökningar från {body} för den perioden",
                             f"granted applications by {body} for that period")
        return not_found(q, "beviljade insatser för den perioden", "grants for that period")
    rows, left_out, refused = _left_out(q, rows)
    if refused is not None:
        return refused
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
    text = q.t(f"Totalt beviljades {kr(total)} ({', '.join(days)}), fördelat på {len(rows)} insatser:",
               f"In total {kr(total)} was granted ({', '.join(days)}), across {len(rows)} grants:")
    if body is not None:
        text = q.t(f"{body}s ansökningar: totalt beviljades {kr(total)} ({', '.join(days)}), {len(rows)} insatser:",
                   f"Applications by {body}: in total {kr(total)} was granted ({', '.join(days)}), {len(rows)} "
                   f"grants:")
    if left_out:
        text = q.t(f"Totalt beviljades {kr(total)} ({', '.join(days)}) utom {left_out}, fördelat på {len(rows)} "
                   "insatser:",
                   f"In total {kr(total)} was granted ({', '.join(days)}) except {left_out}, across {len(rows)} "
                   "grants:")
    if average:
        mean = round(total / len(rows))
        text = q.t(f"I genomsnitt {kr(mean)} per insats ({kr(total)} / {len(rows)} insatser, {', '.join(days)}):",
                   f"On average {kr(mean)} per grant ({kr(total)} / {len(rows)} grants, {', '.join(days)}):")
    text += "\n" + "\n".join(lines)
    if joined:
        also = ", ".join(f"{g.name} ({kr(e.amount or g.max_amount or 0)})" for e, g in joined)
        text += "\n" + q.t(f"{body} är också medsökande i: {also}.", f"{body} is also co-applicant in: {also}.")
        sources += [s for s in (grants._source(q, g, e) for e, g in joined) if s not in sources]
    return Reply(text=text, sources=sources, language=q.language)


def _extreme(q: Question, largest: bool, gap_to_other_end: bool = False) -> Reply:
    rows = [(e, g) for e, g in _events(q) if (e.amount if e.amount is not None else g.max_amount) is not None]
    if not rows:
        return not_found(q, "beviljade belopp för den perioden", "granted amounts for that period")
    several = _several_forbund(q, rows)
    if several is not None:
        return several
    body, rows, _joined = _by_applicant(q, rows)
    if not rows:
        # "Vilken av Bjurholms kommuns ansökningar fick mest?": whose applications is a filter.
        return not_found(q, f"beviljade ansökningar från {body} för den perioden",
                         f"granted applications by {body} for that period")
    rows, left_out, refused = _left_out(q, rows)
    if refused is not None:
        return refused

    def amount(row: tuple[GrantEvent, Grant]) -> int:
        return int(row[0].amount if row[0].amount is not None else row[1].max_amount or 0)
    place = 0 if _AGAINST_ORDINAL.search(q.text) else ordinal_asked(q)
    if place:
        # "Vilken insats fick näst mest?": the next one down (up, of the smallest), never the first.
        return _placed(q, rows, amount, largest, place, left_out)
    best = max(rows, key=amount) if largest else min(rows, key=amount)
    event, grant = best
    src: Source = grants._source(q, grant, event)
    word = q.t("störst", "the largest") if largest else q.t("minst", "the smallest")
    when = f" ({event.date.isoformat()})" if event.date else ""
    text = q.t(f"{grant.name} fick {word} belopp beviljat{when}: {kr(amount(best))}, av {len(rows)} beviljade insatser.",
               f"{grant.name} was granted {word} amount{when}: {kr(amount(best))}, of {len(rows)} grants.")
    if body is not None:
        text += q.t(f" (Bland {body}s egna ansökningar.)", f" (Among the applications by {body}.)")
    if left_out:
        text += q.t(f" (Utom {left_out}.)", f" (Except {left_out}.)")
    if "share" in q.reading_facets:
        total = sum(amount(r) for r in rows)
        text += q.t(f" Det är {percent(q, amount(best), total)} av de {len(rows)} insatsernas {kr(total)}.",
                    f" That is {percent(q, amount(best), total)} of the {len(rows)} grants' {kr(total)}.")
    if "difference" in q.reading_facets and len(rows) > 2 and not gap_to_other_end \
            and "by_how_much" not in q.reading_facets:
        # "… och vad är skillnaden mot de andra?": a gap to which of the others is not said.
        return Reply(text=text + q.t(" Vilken skillnad som avses framgår inte; beloppen finns i protokollet.",
                                     " Which difference is meant is not clear; the amounts are in the minutes."),
                     sources=[src], answered=False, language=q.language)
    if len(rows) == 2 or {"by_how_much", "difference"} & set(q.reading_facets) or gap_to_other_end:
        # Of two, the other and the difference ("which was bigger, and by how much"); of more, the
        # other end ("… och hur mycket mindre än den största").
        rest = [r for r in rows if r is not best]
        if "runner_up" in q.reading_facets:
            # "… och hur mycket mer än tvåan?": the next one down (up, of the smallest).
            other_event, other = (max if largest else min)(rest, key=amount)
        else:
            other_event, other = (min if largest else max)(rest, key=amount)
        delta = abs(amount(best) - amount((other_event, other)))
        text += q.t(f" {other.name}: {kr(amount((other_event, other)))}; skillnad {kr(delta)}.",
                    f" {other.name}: {kr(amount((other_event, other)))}; difference {kr(delta)}.")
        src2 = grants._source(q, other, other_event)
        return Reply(text=text, sources=list(dict.fromkeys([src, src2])), language=q.language)
    return Reply(text=text, sources=[src], language=q.language)


# "Hur mycket mer än den näst största?": an ordinal after "än" / "than" names the other side of a
# gap, not the grant asked about.
_AGAINST_ORDINAL = re.compile(r"\b(?:än|than|jämfört med|compared to|compared with|mot)\s+(?:\S+\s+){0,2}?"
                              r"(?:näst|nast|second|tredje|third)\b", re.IGNORECASE)


def _placed(q: Question, rows: list[tuple[GrantEvent, Grant]], amount: Callable[[tuple[GrantEvent, Grant]], int], largest: bool, place: int,
            left_out: str | None) -> Reply:
    """The grant at `place` (1: second) counted from the largest (or smallest) amount; grants of the
    same amount share a place, and a place none holds is said to be missing."""
    distinct = sorted({amount(r) for r in rows}, reverse=largest)
    word_sv = f"{'näst' if place == 1 else 'tredje'} {'störst' if largest else 'minst'}"
    word_en = f"the {'second' if place == 1 else 'third'} {'largest' if largest else 'smallest'}"
    if place >= len(distinct):
        return not_found(q, f"så många olika beviljade belopp att det finns ett {word_sv}",
                         f"enough different granted amounts for there to be {word_en}")
    at = [r for r in rows if amount(r) == distinct[place]]
    ahead = [r for r in rows if (amount(r) > distinct[place]) == largest and amount(r) != distinct[place]]
    names = join_words([g.name for _e, g in at])
    days = sorted({e.date.isoformat() for e, _g in rows if e.date})
    when = f" ({', '.join(days)})" if days else ""
    before = ", ".join(f"{g.name} {kr(amount((e, g)))}" for e, g in sorted(ahead, key=amount, reverse=largest))
    text = q.t(f"{names} fick {word_sv} belopp beviljat{when}: {kr(distinct[place])}, av {len(rows)} beviljade "
               f"insatser (före: {before}).",
               f"{join_words([g.name for _e, g in at], 'en')} got {word_en} amount granted{when}: "
               f"{kr(distinct[place])}, of {len(rows)} grants (ahead: {before}).")
    if left_out:
        text += q.t(f" (Utom {left_out}.)", f" (Except {left_out}.)")
    sources = list(dict.fromkeys(grants._source(q, g, e) for e, g in [*at, *ahead]))
    return Reply(text=text, sources=sources, language=q.language)


def _count(q: Question) -> Reply:
    """How many, of the status asked ("hur många slutrapporter godkändes" counts final reports,
    not grants), and which."""
    statuses = grants._statuses_asked(q)
    rows = _events(q, statuses)
    word_sv, word_en = _status_words(statuses)
    if not rows:
        return not_found(q, f"{word_sv} för den perioden", f"{word_en} for that period")
    several = _several_forbund(q, rows)
    if several is not None:
        return several
    body, rows, _joined = _by_applicant(q, rows)
    if body is not None:
        word_sv, word_en = f"{word_sv} på {body}s egna ansökningar", f"{word_en} on applications by {body}"
        if not rows:
            return not_found(q, f"{word_sv} för den perioden", f"{word_en} for that period")
    rows, left_out, refused = _left_out(q, rows)
    if refused is not None:
        return refused
    if left_out:
        word_sv, word_en = f"{word_sv} utom {left_out}", f"{word_en} except {left_out}"
    bound = amount_bound(q.text)
    if bound is not None and statuses == grants.GRANTED:
        # "Hur många insatser fick mer än 150 000 kr?": those past the bound, each with its amount.
        above, limit = bound
        kept = [(e, g) for e, g in rows if (a := e.amount if e.amount is not None else g.max_amount) is not None
                and (a > limit if above else a < limit)]
        side_sv, side_en = ("mer än", "more than") if above else ("mindre än", "less than")
        listed = ", ".join(f"{g.name} ({kr(e.amount if e.amount is not None else g.max_amount or 0)})" for e, g in kept)
        return Reply(q.t(f"{count_text(len(kept))} av {len(rows)} {word_sv} fick {side_sv} {kr(limit)}"
                         f"{': ' + listed if kept else ''}.",
                         f"{count_text(len(kept), 'en')} of {len(rows)} {word_en} got {side_en} {kr(limit)}"
                         f"{': ' + listed if kept else ''}."),
                     sources=list(dict.fromkeys(grants._source(q, g, e) for e, g in rows)), language=q.language)
    sources: list[Source] = []
    for e, g in rows:
        s = grants._source(q, g, e)
        if s not in sources:
            sources.append(s)
    names = ", ".join(g.name for _e, g in rows)
    if statuses == grants.GRANTED and body is None and not left_out:
        return Reply(q.t(f"{count_text(len(rows))} insatser beviljades: {names}.",
                         f"{count_text(len(rows), 'en')} grants were made: {names}."),
                     sources=sources, language=q.language)
    return Reply(q.t(f"{count_text(len(rows))} {word_sv}: {names}.", f"{count_text(len(rows), 'en')} {word_en}: {names}."),
                 sources=sources, language=q.language)


# A bound on amounts ("mer än 150 000 kr", "under 300 tkr", "over 150,000"): the side and the kronor.
_BOUND = re.compile(r"\b(?P<side>mer än|mer an|mindre än|mindre an|över|over|under|above|below|more than|less than|"
                    r"fewer than|greater than)\s+(?P<num>\d{1,3}(?:[ \u00a0,.]?\d{3})*|\d+)\s*(?P<unit>tkr|mkr|milj[oö]ner|"
                    r"milj[oö]n|million|kr|kronor|sek)?\b", re.IGNORECASE)


def amount_bound(text: str) -> tuple[bool, int] | None:
    """(above, kronor) for a bound on amounts the question sets; None without one (a year after
    "under" is a time, not a bound)."""
    m = _BOUND.search(text)
    if m is None:
        return None
    digits = re.sub(r"[ \u00a0,.]", "", m.group("num"))
    unit = fold((m.group("unit") or "").lower())  # (a typed "miljon" may come back accented)
    if not unit and ((len(digits) == 4 and digits[:2] in ("19", "20")) or len(digits) < 4):
        return None  # "under 2024", "över 5": no amount
    value = int(digits) * {"tkr": 1000, "mkr": 1_000_000, "miljoner": 1_000_000, "miljon": 1_000_000,
                           "million": 1_000_000}.get(unit, 1)
    return m.group("side").lower() in ("mer än", "mer an", "över", "over", "above", "more than", "greater than"), value


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
    # A name left out ("förutom Helhetslyftet") is no grant asked about.
    left_out = {fold(w) for w in exclusion.excluded_words(q.text) or []}
    # (English writes months with a capital: "24 November" names nothing.)
    return any(w[:1].isupper() and not q.lexicon.organisations_named([w]) and fold(w.lower()) not in left_out
               and w.lower() not in MONTHS for w in raw)


# "… and the difference to the smallest", "skillnaden mot den minsta": the other end named as the
# reference of a gap, after a particle.
_TO_THE_OTHER_END = re.compile(r"\b(?:to|than|from|mot|än|an|till|jämfört med|compared (?:to|with))\s+(?:the\s+|den\s+|det\s+)?"
                               r"(?P<end>smallest|least|lowest|minsta|lägsta|largest|biggest|most|highest|största|högsta)\b",
                               re.IGNORECASE)
_SMALL_ENDS = ("smallest", "least", "lowest", "minsta", "lägsta")


def _both_ends(q: Question) -> Reply:
    """Largest and smallest asked together: the one, with its gap to the other when the other is
    named as the reference ("the most, and the difference to the smallest"); else both."""
    m = _TO_THE_OTHER_END.search(q.text)
    if m is not None:
        return _extreme(q, m.group("end").lower() in _SMALL_ENDS, gap_to_other_end=True)
    if {"difference", "by_how_much"} & set(q.reading_facets):
        # "… vilken fick mest och vilken minst, och skillnaden mellan dem": both, and their gap.
        return _extreme(q, True, gap_to_other_end=True)
    most, least = _extreme(q, True), _extreme(q, False)
    if not (most.answered and least.answered):
        return most if not most.answered else least
    return Reply(text=f"{most.text}\n{least.text}", sources=list(dict.fromkeys([*most.sources, *least.sources])),
                 language=q.language)


# "Som mest", "at most": a bound on one amount (what a grant may get), not the largest of several.
CAP_PHRASES = ("som mest", "som max", "som högst", "at most", "at the most", "at maximum", "at the maximum", "max=",
               "maximalt", "maximum=")


def _superlative_is_a_cap(q: Question) -> bool:
    """Whether every word of the largest facet stands in a bound ("hur mycket kunde de två som mest få
    tillsammans" asks the sum of the two caps)."""
    from handlers.answers.guard import without_phrases

    return not without_phrases(q, CAP_PHRASES).any(CUES["largest"][1])


def answer(q: Question) -> Reply | None:
    facets = set(q.reading_facets)
    if "count" in facets and amount_bound(q.text) is not None:
        return _count(q)  # "hur många fick mindre än 300 000 kr": a count under a bound, not the smallest
    if "sum" in facets and "largest" in facets and _superlative_is_a_cap(q):
        facets.discard("largest")
    if {"largest", "smallest"} <= facets:
        return _both_ends(q)
    if facets & {"largest", "smallest", "choose"}:
        return _extreme(q, "smallest" not in facets)
    if "average" in facets:
        return _sum(q, average=True)
    if "count" in facets and "sum" in facets:
        return _sum(q)  # "hur många … och hur mycket sammanlagt": the sum names how many, each listed
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
                     answer=answer, fit=_fit, order=3, vetoes=REASON_CUES))
