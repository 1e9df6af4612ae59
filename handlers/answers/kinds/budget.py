"""A budget, forecast (prognos), outcome (utfall) or plan figure of a line, and member
contributions. Asked of a budget line or member the question names."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from handlers.answers import budget
from handlers.answers.core import Question, figure_source
from handlers.answers.dates import period_ends
from handlers.answers.figures import percent, to_date
from handlers.answers.grants import remaining_of_post
from handlers.answers.kinds.compare import REASON_WORDS
from handlers.answers.text import amount_text
from handlers.messages import Reply
from handlers.understanding.kinds import GOAL_CUES, TALKS_LANDED, Kind, register
from storage.models import BudgetFigure

CUES = {
    "budget": (1.0, ("budget", "budgeter", "budgeted")),
    "prognos": (1.0, ("prognos", "forecast", "beräkna", "expected", "väntas", "estimated", "projected", "projection",
                      "anticipat", "predicted", "bedömt", "bedöms", "bedömer", "tror=", "räknar med", "räknas med", "räknade med", "räknat med", "expect=", "expects",
                      # Where a figure ends up, in the present tense ("vad landar eget kapital på vid årsskiftet").
                      "landar på", "hamnar på", "will end up", "going to end up",
                      # How a year's figure is going, as English asks it ("how's the result shaping up").
                      "shaping up", "shape up", "trending", "on course for", "heading for")),
    "utfall": (1.0, ("utfall", "outcome", "actual=", "actuals", "actually paid", "actually spent", "actually cost",
                     "actually end", "actually ended", "actually came", "actually come", "actually amount", "actual cost", "actual result",
                     "actually spend", "actually spending", "actually use", "actually using", "did it spend",
                     "did they spend", "did we spend",
                     "actually received", "actually came", "bokför", "hittills", "so far", "to date", "förbruka",
                     "gjort av med", "used up", "had spent", "has spent", "betalat ut", "betalats ut", "utbetalat",
                     "paid out")),
    "plan": (0.5, ("plan=", "planen=", "planerat", "planerad", "planned", "enligt plan")),
    "cost": (0.9, ("kostar", "kosta=", "kostade", "kostat", "kostnad", "cost", "spend", "utgift", "expens", "lägger", "går åt")),
    "income": (0.9, ("intäkt", "income", "revenue", "betalar", "betalat", "betalade", "inbetal", "betala=", "betala in", "fått från", "fick från", "få från", "får från", "fått in",
                     # Money that "kommer från" a member ("hur mkt kommer från FK i år"): its contribution.
                     "kommer från", "kommer in från", "kom från", "comes from", "come from", "coming from",
                     "received from", "got from", "get from", "pays", "pay=",
                     # Money paid into the förbund ("how much had FK paid in", "had come in by T2").
                     "paid in", "pay in", "pays in", "paid into", "come in", "came in",
                     # Spoken English for paying one's part ("how much will Habo chip in").
                     "chip in", "chips in", "chipping in", "chipped in", "fork out", "forks out", "forking out",
                     "forked out", "shell out", "shells out", "shelling out", "cough up", "coughing up",
                     "paid=", "bidrag", "medlemsbidrag",
                     "contribut", "tilldel",
                     "allocat", "statliga medel", "state funding", "medel")),
    "result": (0.9, ("resultat", "result", "överskott", "underskott", "surplus", "deficit", "kapital", "equity")),
    "amount": (0.4, ("hur mycket", "how much", "belopp", "amount", "summa", "what is", "vad är", "ligger=", "landar",
                     "hamnar")),
    "as_of": (0.3, ("per=", "as of", "till och med", "t.o.m", "t o m", "tom=", "fram till", "hittills", "so far",
                    "to date", "as at", "up to", "up until", "ending", "ended=", "through=")),
    # What a protocol says remains of a post (figures of kind "kvar").
    "remaining": (0.9, ("återstår", "kvarstår", "finns kvar", "remaining")),
    # The report a figure is read from ("i augusti-uppföljningen", "the T2 report"): a hint only.
    "report": (0.2, ("uppföljning", "tertialrapport", "tertialuppföljning", "rapporten", "report=")),
    # A whole year's figure ("helår", "full year"): the forecast, or a closed year's outcome.
    # (Single words only: a phrase's words become cue words one by one, and "year" or "whole"
    # alone must stay words that may name a topic.)
    "full_year": (0.2, ("helår", "helårs", "årsutfall", "bokslut")),
    "opening": (0.3, ("början", "ingående", "vid årsskiftet", "start of", "beginning of", "opening", "1 jan")),
}
OPENING_LINE = ("1 jan", "ingående", "början", "opening")


def _lines(q: Question) -> list[tuple[int, str]]:
    lines = budget.named_lines(q)
    return [] if isinstance(lines, Reply) else lines


def _as_of(q: Question) -> Reply | None:
    """'Resultatet per 30 april 2021': the outcome to that day, not the budget or the forecast."""
    days = [d.start for d in q.dates if d.exact] or _period_ends(q)
    named = budget.named_lines(q)
    if days and isinstance(named, Reply):
        return named  # a member's contribution or its effort's cost: which is asked
    lines = [] if isinstance(named, Reply) else named
    if not days or len(lines) != 1:
        return None
    org_id, line = lines[0]
    org = q.organisation(org_id)
    figures = list(q.session.exec(select(BudgetFigure).where(
        BudgetFigure.organisation_id == org_id, BudgetFigure.line == line)).all())
    wanted = budget._kinds(q) or ["utfall"]
    if "utfall" not in wanted and q.has_word("och", "and", "samt"):
        # "resultatet per 31 augusti och prognosen för helåret": the day's outcome and the kind named.
        wanted = ["utfall", *wanted]
    day = days[0]
    if not any(f.as_of == day for f in figures) and not any(d.year_given for d in q.dates):
        # "enligt uppföljningen per T2" with no year: the latest report at that point of a year.
        same = sorted({f.as_of for f in figures if f.as_of and (f.as_of.month, f.as_of.day) == (day.month, day.day)
                       and f.as_of <= q.ctx.today})
        day = same[-1] if same else day
    days = [day, *days[1:]]
    hits = [f for f in figures if f.as_of == days[0] and f.kind in wanted]
    planned = [f for f in figures if f.kind in wanted and f.kind in ("budget", "plan") and f.as_of is None
               and f.year == days[0].year]
    outcome = next((f for f in figures if f.as_of == days[0] and f.kind == "utfall"), None)
    if "kvar" in wanted and outcome is not None:
        # "hur mycket återstår av budgeten efter T2": the year's budget less the outcome to that day.
        year_budget = [f for f in figures if f.kind == "budget" and f.as_of is None and f.year == outcome.year]
        if year_budget:
            b = budget._pick(year_budget, q)
            left = abs(b.amount) - abs(outcome.amount)
            unit = b.unit if b.unit == outcome.unit else "kr"
            text = q.t(f"Av budget {b.year} för {line} ({amount_text(b.amount, b.unit)}) återstår "
                       f"{amount_text(left, unit)} efter utfallet t.o.m. {days[0].isoformat()} "
                       f"({amount_text(outcome.amount, outcome.unit)}).",
                       f"Of the {b.year} budget for {line} ({amount_text(b.amount, b.unit)}), {amount_text(left, unit)} is left "
                       f"(remaining) after the outcome to {days[0].isoformat()} ({amount_text(outcome.amount, outcome.unit)}).")
            sources = list(dict.fromkeys(figure_source(q.session, org, f) for f in (b, outcome)))
            return Reply(text=text, sources=sources, language=q.language)
    if not hits and planned and set(wanted) <= {"budget", "plan"}:
        # "How much of the budgeted contribution had come in by the end of T2": a budget is the
        # year's, never "as of" a day; it is given with the outcome to that day, each said as what it is.
        hits = [budget._pick(planned, q), *[f for f in figures if f.as_of == days[0] and f.kind == "utfall"][:1]]
        label = budget.KIND_EN if q.language == "en" else budget.KIND_SV
        text = "\n".join(f"{label[f.kind]} {f.year}{to_date(q, f)} {q.t('för', 'for')} {line}: "
                         f"{amount_text(f.amount, f.unit)}" for f in hits) + "."
        if len(hits) == 2 and hits[0].amount:
            text += q.t(f" Det är {percent(q, abs(hits[1].amount), abs(hits[0].amount))} av budgeten.",
                        f" That is {percent(q, abs(hits[1].amount), abs(hits[0].amount))} of the budget.")
        sources = list(dict.fromkeys(figure_source(q.session, org, f) for f in hits))
        return Reply(text=text, sources=sources, language=q.language)
    if not hits:
        dates = sorted({f.as_of.isoformat() for f in figures if f.as_of})
        return Reply(q.t(f"Handlingarna har ingen siffra för {line} per {days[0].isoformat()} ({org.name}). "
                         f"Det finns per: {', '.join(dates) or '–'}.",
                         f"The documents have no figure for {line} as of {days[0].isoformat()} ({org.name}). "
                         f"There are as of: {', '.join(dates) or '–'}."), answered=False, language=q.language)
    label = budget.KIND_EN if q.language == "en" else budget.KIND_SV
    if planned and not {f.kind for f in hits} & {"budget", "plan"}:
        # "budget, utfall t.o.m. T2 och prognos": the year's budget too, said as the year's.
        hits = [budget._pick(planned, q), *hits]
    text = "\n".join(f"{label[f.kind]} {q.t('per', 'as of')} {days[0].isoformat()} {q.t('för', 'for')} {line}: "
                     f"{amount_text(f.amount, f.unit)}" if f.as_of == days[0] else
                     f"{label[f.kind]} {f.year} {q.t('för', 'for')} {line}: {amount_text(f.amount, f.unit)}"
                     for f in hits) + "."
    sources = list(dict.fromkeys(figure_source(q.session, org, f) for f in hits))
    return Reply(text=text, sources=sources, language=q.language)


def _days_not_meetings(q: Question) -> list[dt.date]:
    """Days the question names that are no meeting of the förbund ("resultatet sista april"): a
    figure asked on such a day is the outcome to it. (A meeting's day names the protocol.)"""
    meetings = {d for org_id in q.organisation_ids for d in q.lexicon.meeting_dates.get(org_id, [])}
    # The year's last day is the year's own figure ("Beräknat kapital 31 dec"), not a figure to date.
    return [d.start for d in q.dates if d.exact and d.start not in meetings
            and (d.start.month, d.start.day) != (12, 31)]


def _period_ends(q: Question) -> list[dt.date]:
    return period_ends(q.dates)


def _opening(q: Question) -> Reply | None:
    """'Eget kapital vid årets början': a line for the opening balance, or say the tables lack it."""
    lines = _lines(q)
    if len(lines) != 1 or any(w in lines[0][1].lower() for w in OPENING_LINE):
        return None
    _org_id, line = lines[0]
    year = q.year or q.ctx.today.year
    return Reply(q.t(f"Tabellerna anger inte {line} vid början av {year}; de anger värdet vid årets slut.",
                     f"The tables do not give {line} at the start of {year}; they give it at the year's end."),
                 answered=False, language=q.language)


def answer(q: Question) -> Reply | None:
    if ("as_of" in q.reading_facets or _period_ends(q) or _days_not_meetings(q)) and not budget.asks_year_end(q):
        reply = _as_of(q)
        if reply is not None:
            return reply
    if "opening" in q.reading_facets and "prognos" not in q.reading_facets and not budget.asks_year_end(q):
        # A forecast is of the year's end ("prognosen för eget kapital vid årsskiftet").
        reply = _opening(q)
        if reply is not None:
            return reply
    reply = budget.answer(q)
    if reply is None and "remaining" in q.reading_facets:
        return remaining_of_post(q)
    return reply


def _fit(q: Question) -> float:
    from handlers.answers.guard import asked_type

    # "När justerades …?", "When were the minutes actually justerade?": a figure says no day, and a
    # question of when names no line ("actually" is no outcome asked).
    return -1.0 if asked_type(q.text) in ("when", "clock") and not q.named("budget_line") else 0.0


# The outcome of a discussion or a dialogue is what came of it, not a budget's utfall.
OUTCOME_OF_TALKS = ("dialogue", "dialogen", "diskussionen", "discussion", "samtalet", "the talks")


KIND = register(Kind(name="budget", label_sv="en budgetpost", label_en="a budget line", cues=CUES, answer=answer,
                     entities=("budget_line",), entity_weight=0.8, order=2, figure=True, fit=_fit,
                     vetoes=(*REASON_WORDS, *GOAL_CUES, *OUTCOME_OF_TALKS, "decide", "decision", "beslut", "beslöt", "bestämd", "bestämt", *TALKS_LANDED)))
