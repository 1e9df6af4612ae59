"""Figures of the budget tables read for computing with them: the kind and year a question asks,
each operand with its label ("prognos 2020", "utfall t.o.m. 2019-08-31") and its source, and the
"not found" that names what does exist.

A plan stands for a budget of the same year when the documents have no budget (and the other way),
and the answer says so; a tertial's outcome is never taken for the year's."""

from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import format_decimal
from sqlmodel import col, select

from handlers.answers import budget
from handlers.answers.core import Question, figure_source
from handlers.answers.dates import period_ends
from handlers.answers.text import amount_text, fold, tokens
from handlers.messages import Reply, Source
from storage.models import BudgetFigure
from storage.search import stem


def line_sections(q: Question, org_id: int) -> dict[str, tuple[str | None, str]]:
    rows = q.session.exec(select(BudgetFigure.line, BudgetFigure.section, BudgetFigure.row_type).where(
        BudgetFigure.organisation_id == org_id).distinct()).all()
    return {line: (section, row_type) for line, section, row_type in rows}


# Kinds of member body a question may choose among ("vilken kranskommun", "which municipality"):
# the word in a member's name, and the question words that ask for it (folded, inside compounds too).
MEMBER_TYPES = {"kommun": ("kommun", "municipal"), "region": ("region", "landsting", "county")}
# The plural forms that name every member body of a type together ("kommunernas bidrag", "the
# municipal contributions"); a singular form ("kommunens") names one.
MEMBER_PLURALS = {"kommun": ("kommuner", "kommunerna", "kommunernas", "kommuners", "kommunala", "municipalities",
                             "municipal"),
                  "region": ("regionerna", "regionernas", "regioner", "regioners", "landstingen", "landstingens",
                             "regions", "counties")}
# How a reply names the members of a type together (Swedish, English).
MEMBER_WHOLES = {"kommun": ("kommunernas bidrag", "the municipalities' contributions"),
                 "region": ("regionernas bidrag", "the regions' contributions")}


def years_asked(q: Question) -> list[int]:
    years: list[int] = []
    for span in q.dates:
        if span.year_given and span.start.year not in years:
            years.append(span.start.year)
    return years


def _position(q: Question, stems: tuple[str, ...]) -> int:
    for i, w in enumerate(q.cues.words):
        if any(w.startswith(fold(s)) or (len(s) >= 5 and fold(s) in w[4:]) for s in stems):
            return i
    return 10_000


def year_of(q: Question, lines: list[tuple[int, str]]) -> list[int]:
    """The years a question about these lines names, else the latest year up to today in which
    every one of them has a figure (an aggregate naming no year is about the latest figures)."""
    years = years_asked(q)
    if years or not lines:
        return years or [q.ctx.today.year]
    return [latest_year(q, lines[0][0], list(dict.fromkeys(n for _o, n in lines)), two_kinds=False)]


def latest_year(q: Question, org_id: int, names: list[str], two_kinds: bool | None = None) -> int:
    """A comparison that names no year is about the latest year up to today whose figures it needs
    (every line named; for one line, two kinds of figure to compare); the answer names the year."""
    rows = q.session.exec(select(BudgetFigure.line, BudgetFigure.year, BudgetFigure.kind).where(
        BudgetFigure.organisation_id == org_id, col(BudgetFigure.line).in_(names))).all()
    kinds: dict[int, set[str]] = {}
    lines: dict[int, set[str]] = {}
    for line, year, kind in rows:
        if year <= q.ctx.today.year:
            kinds.setdefault(year, set()).add(kind)
            lines.setdefault(year, set()).add(line)
    if two_kinds is None:
        two_kinds = len(names) == 1
    enough = [y for y in kinds if lines[y] == set(names) and (not two_kinds or len(kinds[y]) > 1)]
    # A year with a budget, forecast or outcome before a year that is only planned.
    decided = [y for y in enough if kinds[y] - {"plan"}]
    return max(decided or enough, default=q.ctx.today.year)


def kinds_in_order(q: Question) -> list[str]:
    """The kinds of figure the question names, in the order it names them."""
    named = [k for k in budget._kinds(q) if k != "kvar" and not _only_in_a_line_name(q, k)]
    if not named and period_ends(q.dates):
        return ["utfall"]  # a part of a year from its start ("tom T2 -19") asks the outcome to its end
    return sorted(named, key=lambda k: _position(q, budget.KIND_WORDS[k]))


def _only_in_a_line_name(q: Question, kind: str) -> bool:
    """Whether the words naming `kind` are all words of a line the question names ("beräknade" in
    "Årets beräknade resultat" is no forecast)."""
    stems = [fold(s) for s in budget.KIND_WORDS[kind]]
    hits = [w for w in q.cues.words if any(w.startswith(s) for s in stems)]
    names = {fold(t) for m in q.named("budget_line") if m.score >= 0.9 for t in tokens(m.entry.name)}
    return bool(hits) and all(w in names for w in hits)


def years_in_order(q: Question) -> list[int]:
    years = years_asked(q)
    text = q.text
    return sorted(years, key=lambda y: text.find(str(y)))


@dataclass(frozen=True)
class Operand:
    line: str
    figure: BudgetFigure
    asked_kind: str  # the kind the question asked; the figure's may be the budget standing for a plan

    def label(self, q: Question) -> str:
        return f"{kind_name(q, self.figure.kind)} {self.figure.year}{to_date(q, self.figure)}"


def kind_name(q: Question, kind: str) -> str:
    """A kind of figure in the asker's language: "prognos", "forecast"."""
    return q.t(kind, budget.KIND_EN.get(kind, kind).lower())


def figure(q: Question, org_id: int, line: str, year: int, kind: str, _standing_in: bool = False) -> BudgetFigure | None:
    figures = list(q.session.exec(select(BudgetFigure).where(
        BudgetFigure.organisation_id == org_id, BudgetFigure.line == line, BudgetFigure.year == year,
        BudgetFigure.kind == kind)).all())
    # "det faktiska resultatet 2020 jämfört med prognosen i T2": the tertial is the forecast's, not the outcome's.
    ends = [] if budget.period_is_the_forecasts(q) else period_ends(q.dates)
    if ends and kind == "utfall" and not any(d.year_given for d in q.dates):
        # A tertial named with no year ("utfall efter T2"): that point of the year the figures are of.
        points = {(e.month, e.day) for e in ends}
        figures = [f for f in figures if f.as_of is not None and (f.as_of.month, f.as_of.day) in points]
    elif ends and kind == "utfall":
        figures = [f for f in figures if f.as_of in ends]
    elif kind == "utfall" and budget.asks_year_outcome(q):
        figures = [f for f in figures if budget._full_year(f)]  # "the actual 2021 result": not to a tertial
    if not figures and kind in ("plan", "budget") and not _standing_in:
        # The plan for a budget year is its budget ("mer än planerat" in the year of the budget), and a
        # later year's plan is what is budgeted for it ("budget 2021 och plan 2022-2023"): said in the answer.
        return figure(q, org_id, line, year, "budget" if kind == "plan" else "plan", _standing_in=True)
    return budget._pick(figures, q) if figures else None


def actual(q: Question, org_id: int, line: str, year: int) -> BudgetFigure | None:
    """What the year came to: its full-year outcome, else the latest forecast (an outcome to a
    tertial is not what the year came to)."""
    outcome = figure(q, org_id, line, year, "utfall")
    if outcome is not None and budget._full_year(outcome):
        return outcome
    return figure(q, org_id, line, year, "prognos")


def what_exists(q: Question, org_id: int, line: str, years: list[int] | None = None) -> str:
    figures = list(q.session.exec(select(BudgetFigure).where(
        BudgetFigure.organisation_id == org_id, BudgetFigure.line == line)).all())
    if years:
        figures = [f for f in figures if f.year in years] or figures
    seen: dict[tuple[str, int], BudgetFigure] = {}
    for f in sorted(figures, key=lambda f: (f.year, budget.PREFERENCE.index(f.kind) if f.kind in budget.PREFERENCE
                                            else 9)):
        key = (f.kind, f.year)
        if key not in seen or budget._pick([seen[key], f], q) is f:
            seen[key] = f
    parts = [f"{kind_name(q, f.kind)} {f.year}{to_date(q, f)}: {amount_text(f.amount, f.unit)}" for f in seen.values()]
    return "; ".join(parts[:8])


def to_date(q: Question, f: BudgetFigure) -> str:
    if f.kind == "utfall" and f.as_of is not None and not budget._full_year(f):
        return q.t(f" t.o.m. {f.as_of.isoformat()}", f" to {f.as_of.isoformat()}")
    if f.kind == "prognos" and f.as_of is not None and (f.as_of in period_ends(q.dates)
                                                        or any(d.start == f.as_of for d in q.dates if d.exact)):
        # "prognosen i T2-rapporten": the forecast made at that tertial's end, said as such.
        return q.t(f" (per {f.as_of.isoformat()})", f" (as of {f.as_of.isoformat()})")
    return ""


def report_note(q: Question, f: BudgetFigure) -> str:
    """Where a year's figure (a budget, with no day of its own) was read, when the question names
    a report by the part of the year it covers ("i T2-rapporten 2019"): the report that also gives
    the outcome to that part's end."""
    ends = period_ends(q.dates)
    if not ends or f.as_of is not None:
        return ""
    found = q.session.exec(select(BudgetFigure).where(BudgetFigure.document_id == f.document_id,
                                                      col(BudgetFigure.as_of).in_(ends))).first()
    day = found.as_of if found is not None else None
    if day is None:
        return ""
    return q.t(f" (Ur rapporten t.o.m. {day.isoformat()}.)", f" (From the report to {day.isoformat()}.)")


def missing(q: Question, what_sv: str, what_en: str | None = None, exists: str = "") -> Reply:
    text = q.t(f"Handlingarna har inte {what_sv}.", f"The documents do not have {what_en or what_sv}.")
    if exists:
        text += q.t(f" Det som finns: {exists}.", f" What there is: {exists}.")
    return Reply(text, answered=False, language=q.language)


def percent(q: Question, part: int, whole: int) -> str:
    value = 100 * part / whole
    # A share that is exactly whole ("668 000 of 6 680 000") reads as "10 %", not "10,0 %"; one
    # that only rounds to a whole number keeps its decimal ("3,0 %" for 2,97 %).
    pattern = "#,##0" if (100 * part) % whole == 0 else "#,##0.0"
    return f"{format_decimal(round(value, 1), format=pattern, locale='sv_SE' if q.language != 'en' else 'en')} %"


def signed_percent(q: Question, delta: int, base: int) -> str:
    """The change in per cent of `base`; none across a change of sign (a deficit turned surplus)."""
    if base == 0 or (base < 0 and base + delta > 0) or (base > 0 and base + delta < 0):
        return ""
    text = percent(q, abs(delta), abs(base))
    return f"{'+' if delta >= 0 else '−'}{text}"


def unit_of(*figures: BudgetFigure) -> str:
    return "tkr" if all(f.unit == "tkr" for f in figures) else "kr"


def sources_of(q: Question, org_id: int, figures: list[BudgetFigure]) -> list[Source]:
    org = q.organisation(org_id)
    return list(dict.fromkeys(figure_source(q.session, org, f) for f in figures))


def standing_note(q: Question, op: Operand) -> str:
    """Said when a plan stands for a budget or the other way (see `figure`)."""
    if op.asked_kind == op.figure.kind or {op.asked_kind, op.figure.kind} != {"plan", "budget"}:
        return ""
    return q.t(f" (Ingen {op.asked_kind} {op.figure.year} i handlingarna; {op.figure.kind} {op.figure.year} står för den.)",
               f" (No {kind_name(q, op.asked_kind)} {op.figure.year} in the documents; the {kind_name(q, op.figure.kind)} "
               f"{op.figure.year} stands for it.)")


def group_word(q: Question, lines: list[tuple[int, str]]) -> str:
    """The question's word for a group of lines ("kommunerna", "municipalities"), to name it."""
    for w in q.words:
        for e in [w, *budget.ENGLISH.get(w, [])]:
            if len(e) >= 5 and all(any(stem(t) == stem(e) for t in tokens(line)) for _o, line in lines):
                return w
    return ""
