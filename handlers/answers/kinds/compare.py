"""Figures compared and combined: budget against prognos against utfall, change between
years, the sum of several lines, the largest or smallest line."""

from __future__ import annotations

from sqlmodel import select

from handlers.answers import budget
from handlers.answers.core import Question, source_for
from handlers.answers.text import amount_text, join_words
from handlers.messages import Reply, Source
from handlers.understanding.kinds import Kind, register
from storage.models import BudgetFigure

CUES = {
    "difference": (1.2, ("skillnad", "skiljer", "differ", "under budget", "över budget", "jämfört", "compared",
                         "versus", "vs=", "mot budget", "avvik", "deviat", "överskrid", "exceed", "below budget", "mindre än", "lägre än", "högre än",
                         "större än", "mer än", "less than", "more than", "lower than", "higher than",
                         "above budget", "under=", "över=")),
    "change": (1.2, ("ökar", "ökning", "ökade", "minskar", "minskning", "minskade", "increase", "decrease", "mer=",
                     "more=", "bättre än", "sämre än", "better than", "worse than",
                     "förändr", "change", "grow", "rise", "fall")),
    "sum": (1.1, ("sammanlagt", "totalt", "summa", "tillsammans", "in total", "altogether", "combined", "sum=",
                  "total=")),
    "largest": (1.0, ("störst", "högst", "largest", "biggest", "highest", "most=")),
    "smallest": (1.0, ("minst", "lägst", "smallest", "lowest", "least")),
}


def _fit(q: Question) -> float:
    lines = q.named("budget_line")
    if not lines:
        return -1.5
    return 0.0


def _years(q: Question) -> list[int]:
    years: list[int] = []
    for span in q.dates:
        if span.year_given and span.start.year not in years:
            years.append(span.start.year)
    return years


def _figure(q: Question, org_id: int, line: str, year: int, kind: str) -> BudgetFigure | None:
    figures = list(q.session.exec(select(BudgetFigure).where(
        BudgetFigure.organisation_id == org_id, BudgetFigure.line == line, BudgetFigure.year == year,
        BudgetFigure.kind == kind)).all())
    return budget._pick(figures, q) if figures else None


def _missing(q: Question, what: str) -> Reply:
    return Reply(q.t(f"Handlingarna har inte {what}.", f"The documents do not have {what}."), answered=False,
                 language=q.language)


def answer(q: Question) -> Reply | None:
    facets = set(q.reading_facets)
    mentions = q.named("budget_line")
    top = mentions[0].score
    best = [m for m in mentions if m.score >= top - 0.02]
    org_ids = {m.entry.organisation_id for m in best}
    if len(org_ids) != 1:
        return None
    org_id = next(iter(org_ids))
    assert org_id is not None
    org = q.organisation(org_id)
    years = _years(q) or [q.ctx.today.year]
    kinds = budget._kinds(q)
    sources: list[Source] = []

    def cite(f: BudgetFigure) -> None:
        s = source_for(q.session, org, f.document_id, f.paragraph_id)
        if s not in sources:
            sources.append(s)

    if "sum" in facets and len(best) > 1:
        kind = kinds[0] if kinds else "budget"
        figures = [(m.entry.name, _figure(q, org_id, m.entry.name, years[0], kind)) for m in best]
        missing = [name for name, f in figures if f is None]
        if missing:
            return _missing(q, f"{kind} {years[0]} för {join_words(missing)}")
        total = sum(f.amount for _n, f in figures if f is not None)
        unit = "tkr" if all(f is not None and f.unit == "tkr" for _n, f in figures) else "kr"
        for _n, f in figures:
            if f is not None:
                cite(f)
        parts = ", ".join(f"{n} {amount_text(f.amount, f.unit)}" for n, f in figures if f is not None)
        return Reply(q.t(f"Sammanlagt {kind} {years[0]}: {amount_text(total, unit)} ({parts}).",
                         f"Together, {kind} {years[0]}: {amount_text(total, unit)} ({parts})."),
                     sources=sources, language=q.language)
    line = best[0].entry.name
    if "change" in facets and len(years) >= 2:
        kind = kinds[0] if kinds else "budget"
        first, last = min(years), max(years)
        a = _figure(q, org_id, line, first, kind) or _figure(q, org_id, line, first, "prognos")
        b = _figure(q, org_id, line, last, kind) or _figure(q, org_id, line, last, "plan")
        if a is None or b is None:
            return _missing(q, f"{line} för både {first} och {last}")
        cite(a)
        cite(b)
        delta = abs(b.amount) - abs(a.amount)
        word = q.t("ökar", "increases") if delta >= 0 else q.t("minskar", "decreases")
        unit = "tkr" if a.unit == b.unit == "tkr" else "kr"
        return Reply(q.t(f"{line} {word} med {amount_text(abs(delta), unit)} från {first} till {last} "
                         f"({a.kind} {first}: {amount_text(a.amount, a.unit)}, {b.kind} {last}: "
                         f"{amount_text(b.amount, b.unit)}).",
                         f"{line} {word} by {amount_text(abs(delta), unit)} from {first} to {last} "
                         f"({a.kind} {first}: {amount_text(a.amount, a.unit)}, {b.kind} {last}: "
                         f"{amount_text(b.amount, b.unit)})."),
                     sources=sources, language=q.language)
    if "difference" in facets or "change" in facets:
        pair = [k for k in kinds if k != "plan"] if len(kinds) > 1 else []
        if len(pair) < 2:
            pair = ["budget", "prognos"] if not kinds or kinds == ["budget"] or kinds == ["prognos"] else (
                [*kinds, "budget"])[:2]
        year = years[0]
        a = _figure(q, org_id, line, year, pair[0])
        b = _figure(q, org_id, line, year, pair[1])
        if a is None or b is None:
            return _missing(q, f"både {pair[0]} och {pair[1]} för {line} {year}")
        cite(a)
        cite(b)
        delta = abs(abs(a.amount) - abs(b.amount))
        unit = "tkr" if a.unit == b.unit == "tkr" else "kr"
        higher = a if abs(a.amount) >= abs(b.amount) else b
        return Reply(q.t(f"Skillnaden mellan {a.kind} och {b.kind} {year} för {line} är {amount_text(delta, unit)} "
                         f"({a.kind}: {amount_text(a.amount, a.unit)}, {b.kind}: {amount_text(b.amount, b.unit)}; "
                         f"{higher.kind} är högst).",
                         f"The difference between {a.kind} and {b.kind} {year} for {line} is {amount_text(delta, unit)} "
                         f"({a.kind}: {amount_text(a.amount, a.unit)}, {b.kind}: {amount_text(b.amount, b.unit)}; "
                         f"{higher.kind} is higher)."),
                     sources=sources, language=q.language)
    return budget.answer(q)


KIND = register(Kind(name="compare", label_sv="en jämförelse av siffror", label_en="a comparison of figures",
                     cues=CUES, answer=answer, entities=("budget_line",), entity_weight=0.8, fit=_fit, order=2,
                     figure=True, vetoes=("varför", "why", "how come", "beslut", "decide", "decision")))


