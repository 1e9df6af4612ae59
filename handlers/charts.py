"""The money at a glance: budget, grant and equity charts, with the numbers and sources beside them.

    visa budgeten för 2021 / budget 2021 [kostnader]   budget, prognos, utfall (and plan) per line
    diagram insatser 2024 / chart grants 2024          granted amounts per insats, and what is left
    eget kapital diagram / chart equity                equity over the years against its ceiling

The chart DATA is built from the store here (`budget_chart`, `grants_chart`, `equity_chart`);
handlers/chart_render.py only draws it. Each reply carries the PNG (`Reply.image_path`), the
same numbers as a compact list in the text, and the documents they come from.

Choices a reader relies on:
- For a budget line, all its figures come from ONE document: the one that covers most of
  budget/prognos/utfall/plan for that line and year (then the newest). Documents write costs
  with different signs and units; mixing them on one line would draw a comparison the
  sources never made. Within it, each kind's most recent figure known on the asking day.
- Equity lines ("Eget kapital", "Beräknat kapital 31 dec") are charted on their own, against
  "Rekommenderat högsta eget kapital"; the opening balance ("Kapital 1 jan") is left out.
- A granted amount is the granting decision's amount for the grant's whole period; a grant
  belongs to every year its period touches. What is left for new efforts is the budget line
  that says so ("Tillgängligt nya projekt/insatser"); failing that, the budget for "Bidrag till
  insatser" minus the grants, but only when every grant's period lies within that year —
  otherwise the reply says why it cannot be computed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from handlers.answers import answer_question
from handlers.answers.core import ORG_NOISE, figure_source, org_mentioned, source_for
from handlers.answers.text import kr, tokens
from handlers.context import Context
from handlers.language import detect_language
from handlers.messages import Action, Reply, Source
from handlers.registry import action, command
from storage import grant_status
from storage.models import BudgetFigure, Grant, GrantEvent, Organisation

if TYPE_CHECKING:
    from handlers.chart_render import ChartSpec

KINDS = ("budget", "prognos", "utfall", "plan")
KIND_SV = {"budget": "budget", "prognos": "prognos", "utfall": "utfall", "plan": "plan"}
KIND_EN = {"budget": "budget", "prognos": "forecast", "utfall": "outcome", "plan": "plan"}
GRANTED = grant_status.GRANTED
MAX_BARS = 12  # more categories than a phone shows legibly: the rest are grouped
_EPOCH = dt.date(1, 1, 1)
_YEAR = re.compile(r"^(19[89]\d|20\d\d|2100)$")
_AVAILABLE = re.compile(r"tillgänglig|nya (?:projekt|insatser)", re.IGNORECASE)
_INSATS_BUDGET = re.compile(r"^(?:bidrag till |medel till )?(?:insatser|projekt)$", re.IGNORECASE)
_CEILING = re.compile(r"rekommender|högsta", re.IGNORECASE)
_NOT_CLOSING_EQUITY = re.compile(r"1 jan|ingående|förändring|skulder|rekommender|högsta", re.IGNORECASE)
SECTIONS = {"intäkter": "intäkter", "intäkterna": "intäkter", "income": "intäkter", "revenue": "intäkter",
            "kostnader": "kostnader", "kostnaderna": "kostnader", "costs": "kostnader", "expenses": "kostnader",
            "resultat": "resultat", "resultatet": "resultat", "result": "resultat",
            "medlemsbidrag": "medlemsbidrag", "contributions": "medlemsbidrag"}
# Words of a chart request that say nothing about what to chart.
FILLER = frozenset({
    "för", "år", "året", "for", "the", "year", "of", "i", "in", "på", "visa", "show", "diagram", "chart", "över",
    "som", "a", "ett", "en", "och", "and", "om", "about", "budget", "budgeten", "insatser", "insatserna", "grants",
    "eget", "kapital", "kapitalet", "equity", "bidrag", "beviljade", "granted", "me", "mig", "please", "tack",
})
# The words each command can start with; English words answer in English.
BUDGET_SV = ("visa budgeten", "visa budget", "visa budgetdiagram", "budgetdiagram", "diagram budget",
             "diagram budgeten", "budgeten")
BUDGET_EN = ("show budget", "show the budget", "chart budget", "budget chart")
GRANTS_SV = ("diagram insatser", "insatsdiagram", "diagram bidrag", "visa insatsdiagram", "insatser diagram")
GRANTS_EN = ("chart grants", "grants chart", "grant chart", "show grants chart")
EQUITY_SV = ("eget kapital diagram", "diagram eget kapital", "visa eget kapital diagram", "kapitaldiagram")
EQUITY_EN = ("chart equity", "equity chart", "show equity chart")


# --- what a chart is made of ----------------------------------------------------------------


@dataclass(frozen=True)
class ChartRow:
    """One category of a chart (a budget line, an insats, a year) and its amounts by series."""

    label: str
    values: dict[str, int]  # series key -> kronor; only what the store has
    notes: tuple[str, ...] = ()  # e.g. "utfall t.o.m. 2025-04-30", shown in the text table


@dataclass
class ChartData:
    kind: str  # budget, grants, equity
    organisation: Organisation
    year: int | None
    title: str
    series: list[tuple[str, str, str]]  # (key, label, style: bar|line), in drawing order
    rows: list[ChartRow]
    summary: list[str] = field(default_factory=list)  # lines after the table
    sources: list[Source] = field(default_factory=list)
    orientation: str = "horizontal"

    def values(self, key: str) -> list[int | None]:
        return [row.values.get(key) for row in self.rows]

    def spec(self) -> ChartSpec:
        from handlers.chart_render import ChartSpec, Series

        org_id = self.organisation.id or 0
        return ChartSpec(
            title=self.title,
            categories=tuple(row.label for row in self.rows),
            series=tuple(Series(label, tuple(self.values(key)), style) for key, label, style in self.series),
            orientation=self.orientation,
            file_stem=f"{self.kind}-{org_id}-{self.year or 'alla'}",
        )


def _t(language: str, sv: str, en: str) -> str:
    return en if language == "en" else sv


def _kind_label(kind: str, language: str) -> str:
    return (KIND_EN if language == "en" else KIND_SV)[kind]


def _join(items: Sequence[str], language: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + _t(language, " och ", " and ") + items[-1]


def _known(figures: Iterable[BudgetFigure], today: dt.date) -> list[BudgetFigure]:
    """Figures already known on the asking day (an outcome dated later is not yet news)."""
    return [f for f in figures if f.as_of is None or f.as_of <= today]


def _latest(figures: Sequence[BudgetFigure]) -> BudgetFigure:
    return max(figures, key=lambda f: (f.as_of.toordinal() if f.as_of else 0, f.document_id, f.id or 0))


def _add_source(sources: list[Source], session: Session, org: Organisation, document_id: int | None,
                paragraph_id: int | None, figure: BudgetFigure | None = None) -> None:
    src = figure_source(session, org, figure) if figure is not None else source_for(session, org, document_id,
                                                                                    paragraph_id)
    if src not in sources:
        sources.append(src)


# --- budget, prognos, utfall per line -------------------------------------------------------


def budget_years(session: Session, organisation_id: int) -> list[int]:
    rows = session.exec(select(BudgetFigure.year).where(BudgetFigure.organisation_id == organisation_id)
                        .distinct()).all()
    return sorted(set(rows))


def _as_of_word(kind: str, language: str) -> str:
    return _t(language, "t.o.m." if kind == "utfall" else "per", "to" if kind == "utfall" else "as of")


def _is_equity_section(section: str | None) -> bool:
    return "kapital" in (section or "").lower()


def _document_for(figures: list[BudgetFigure]) -> list[BudgetFigure]:
    """The figures of ONE document: the one that covers the most kinds for the year, then the
    newest. Documents write costs with other signs and units and give outcomes for other
    periods; a chart mixing them would draw a comparison no source made."""
    by_doc: dict[int, list[BudgetFigure]] = defaultdict(list)
    for figure in figures:
        by_doc[figure.document_id].append(figure)
    return max(by_doc.values(), key=lambda fs: (len({f.kind for f in fs}), _latest(fs).as_of or _EPOCH,
                                                fs[0].document_id))


def _group_rest(rows: list[ChartRow], keys: list[str], language: str) -> tuple[list[ChartRow], list[str]]:
    """At most MAX_BARS categories: the largest lines, and the rest summed in one labelled group."""
    if len(rows) <= MAX_BARS:
        return rows, []
    first = keys[0]
    ranked = sorted(range(len(rows)), key=lambda k: -abs(rows[k].values.get(first, 0)))
    kept = sorted(ranked[:MAX_BARS - 1])
    rest = [rows[k] for k in sorted(ranked[MAX_BARS - 1:])]
    values = {key: sum(r.values[key] for r in rest if key in r.values) for key in keys
              if any(key in r.values for r in rest)}
    label = _t(language, f"Övriga ({len(rest)} rader)", f"Other ({len(rest)} lines)")
    grouped = ChartRow(label, values, (_t(language, "summa av: ", "sum of: ") + ", ".join(r.label for r in rest),))
    note = _t(language, f"{label}: " + ", ".join(r.label for r in rest) + ".",
              f"{label}: " + ", ".join(r.label for r in rest) + ".")
    return [rows[k] for k in kept] + [grouped], [note]


def budget_chart(session: Session, org: Organisation, year: int, today: dt.date, language: str = "sv",
                 section: str | None = None) -> ChartData | None:
    """One document's budget, prognos, utfall and plan per LINE of `year` (no subtotals, totals,
    results or equity), at most MAX_BARS bars; None when the store has none."""
    figures = _known(session.exec(
        select(BudgetFigure).where(BudgetFigure.organisation_id == org.id, BudgetFigure.year == year,
                                   col(BudgetFigure.kind).in_(KINDS))
        .order_by(col(BudgetFigure.id))).all(), today)
    figures = [f for f in figures if not _is_equity_section(f.section) and (f.section or "").lower() != "resultat"
               and f.row_type == "line"]
    if section:
        figures = [f for f in figures if (f.section or "").lower() == section
                   or (section == "intäkter" and (f.section or "").lower() == "medlemsbidrag")]
    if not figures:
        return None
    chosen_doc = _document_for(figures)
    by_line: dict[str, list[BudgetFigure]] = defaultdict(list)
    for figure in chosen_doc:
        by_line[figure.line].append(figure)
    rows: list[ChartRow] = []
    sources: list[Source] = []
    row_dates: list[dict[str, str]] = []
    for line, line_figures in by_line.items():  # insertion order: the document's table order
        values: dict[str, int] = {}
        dates: dict[str, str] = {}
        for kind in KINDS:
            of_kind = [f for f in line_figures if f.kind == kind]
            if not of_kind:
                continue
            chosen = _latest(of_kind)
            values[kind] = chosen.amount
            if chosen.as_of and kind in ("prognos", "utfall"):
                dates[kind] = chosen.as_of.isoformat()
            _add_source(sources, session, org, chosen.document_id, chosen.paragraph_id, chosen)
        rows.append(ChartRow(line, values))
        row_dates.append(dates)
    summary: list[str] = []
    kinds = [k for k in KINDS if any(k in r.values for r in rows)]
    series = []
    uniform: list[str] = []
    for kind in kinds:
        label = _kind_label(kind, language).capitalize()
        seen = {d[kind] for d in row_dates if kind in d}
        if len(seen) == 1:
            date = seen.pop()
            label += f" ({_as_of_word(kind, language)} {date})"
            uniform.append(f"{_kind_label(kind, language)} {_as_of_word(kind, language)} {date}")
        elif seen:
            # Lines read on different dates: each line says its own.
            rows = [dataclasses.replace(r, notes=(*r.notes, f"{_kind_label(kind, language)} "
                                                  f"{_as_of_word(kind, language)} {d[kind]}"))
                    if kind in d else r for r, d in zip(rows, row_dates, strict=True)]
        series.append((kind, label, "bar"))
    rows, grouped = _group_rest(rows, kinds, language)
    if uniform:
        summary.append(("; ".join(uniform) + ".").capitalize())
    if len(kinds) > 1:
        summary.append(_t(language, "En jämförelse ur ett och samma dokument; rader, inte delsummor eller summor.",
                          "A comparison within one document; lines, not subtotals or totals."))
    summary += grouped
    title = _t(language, f"{org.name}: {_join([_kind_label(k, 'sv') for k in kinds], 'sv')} {year}",
               f"{org.name}: {_join([_kind_label(k, 'en') for k in kinds], 'en')} {year}")
    if section:
        title += f" ({section})"
    return ChartData("budget", org, year, title, series, rows, summary, sources)


# --- grants ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Granted:
    grant: Grant
    event: GrantEvent
    amount: int


def _granted(session: Session, org: Organisation) -> list[_Granted]:
    """Each grant's granting decision with its amount (the decision's, else the grant's maximum)."""
    grants = session.exec(select(Grant).where(Grant.organisation_id == org.id).order_by(col(Grant.id))).all()
    events = session.exec(select(GrantEvent).where(col(GrantEvent.grant_id).in_([g.id for g in grants]),
                                                   col(GrantEvent.status).in_(GRANTED))).all()
    latest: dict[int, GrantEvent] = {}
    for event in events:
        current = latest.get(event.grant_id)
        if current is None or (event.date or _EPOCH, event.id or 0) > (current.date or _EPOCH, current.id or 0):
            latest[event.grant_id] = event
    out = []
    for grant in grants:
        decision = latest.get(grant.id or -1)
        if decision is None:
            continue
        amount = decision.amount if decision.amount is not None else grant.max_amount
        if amount is not None:
            out.append(_Granted(grant, decision, amount))
    return out


def _grant_years(item: _Granted) -> set[int]:
    start, end = item.grant.period_start, item.grant.period_end
    if start and end:
        return set(range(start.year, end.year + 1))
    if start or end:
        return {(start or end).year}  # type: ignore[union-attr]
    return {item.event.date.year} if item.event.date else set()


def grant_years(session: Session, org: Organisation) -> list[int]:
    return sorted({y for item in _granted(session, org) for y in _grant_years(item)})


def _budget_line(session: Session, org: Organisation, year: int, today: dt.date, pattern: re.Pattern[str]
                 ) -> BudgetFigure | None:
    figures = _known(session.exec(select(BudgetFigure).where(
        BudgetFigure.organisation_id == org.id, BudgetFigure.year == year,
        col(BudgetFigure.kind).in_(("budget", "plan")))).all(), today)
    matching = [f for f in figures if pattern.search(f.line.strip())]
    if not matching:
        return None
    budgets = [f for f in matching if f.kind == "budget"] or matching
    return _latest(budgets)


def _stated_remaining(session: Session, org: Organisation, year: int, today: dt.date) -> BudgetFigure | None:
    """The latest figure a text states as what remains for new efforts that year."""
    figures = _known(session.exec(select(BudgetFigure).where(
        BudgetFigure.organisation_id == org.id, BudgetFigure.year == year, BudgetFigure.kind == "kvar")).all(), today)
    matching = [f for f in figures if _AVAILABLE.search(f.line)]
    return _latest(matching) if matching else None


def grants_chart(session: Session, org: Organisation, year: int, today: dt.date, language: str = "sv"
                 ) -> ChartData | None:
    """Granted amounts per insats for `year`, and what is left for new efforts; None without grants."""
    items = [i for i in _granted(session, org) if year in _grant_years(i)]
    if not items:
        return None
    sources: list[Source] = []
    rows: list[ChartRow] = []
    for item in items:
        grant = item.grant
        notes = []
        if grant.period_start and grant.period_end:
            notes.append(f"{grant.period_start.isoformat()} – {grant.period_end.isoformat()}")
        if item.event.date:
            notes.append(_t(language, f"beslut {item.event.date.isoformat()}", f"decided {item.event.date.isoformat()}"))
        rows.append(ChartRow(grant.name, {"granted": item.amount}, tuple(notes)))
        _add_source(sources, session, org, item.event.document_id, item.event.paragraph_id)
    total = sum(i.amount for i in items)
    summary = [_t(language, f"Summa beviljat: {kr(total)}. Beloppen gäller hela perioden för respektive insats.",
                  f"Total granted: {kr(total)}. Each amount covers the insats's whole period.")]
    available = _stated_remaining(session, org, year, today) or _budget_line(session, org, year, today, _AVAILABLE)
    if available is not None and available.kind == "kvar":
        remaining_label = _t(language, "Kvar för nya insatser", "Left for new efforts")
        rows.append(ChartRow(available.line, {"remaining": available.amount}))
        _add_source(sources, session, org, available.document_id, available.paragraph_id, available)
        when = available.as_of.isoformat() if available.as_of else "?"
        summary.append(_t(language,
                          f"Kvar av \"{available.line}\" {year} enligt det senaste beskedet ({when}): "
                          f"{kr(available.amount)}.",
                          f"Left of \"{available.line}\" for {year} according to the latest statement ({when}): "
                          f"{kr(available.amount)}."))
    elif available is not None:
        remaining_label = _t(language, f"Tillgängligt för nya insatser ({available.kind})",
                             f"Available for new efforts ({_kind_label(available.kind, 'en')})")
        rows.append(ChartRow(available.line, {"remaining": available.amount}))
        _add_source(sources, session, org, available.document_id, available.paragraph_id, available)
        summary.append(_t(language,
                          f"Tillgängligt för nya insatser enligt {available.kind} {year} (raden \"{available.line}\"): "
                          f"{kr(available.amount)}.",
                          f"Available for new efforts according to the {_kind_label(available.kind, 'en')} for "
                          f"{year} (line \"{available.line}\"): {kr(available.amount)}."))
    else:
        remaining_label = _t(language, "Kvar för nya insatser (beräknat)", "Left for new efforts (computed)")
        summary.append(_remaining_computed(session, org, year, today, language, items, total, rows, sources,
                                           remaining_label))
    title = _t(language, f"{org.name}: beviljade insatser {year}", f"{org.name}: grants for {year}")
    series = [("granted", _t(language, "Beviljat", "Granted"), "bar")]
    if any("remaining" in r.values for r in rows):
        series.append(("remaining", remaining_label, "bar"))
    return ChartData("grants", org, year, title, series, rows, summary, sources)


def _remaining_computed(session: Session, org: Organisation, year: int, today: dt.date, language: str,
                        items: list[_Granted], total: int, rows: list[ChartRow], sources: list[Source],
                        label: str) -> str:
    budget = _budget_line(session, org, year, today, _INSATS_BUDGET)
    if budget is None:
        return _t(language, f"Vad som finns kvar till nya insatser {year} kan inte räknas ut: handlingarna har "
                            "varken en rad för tillgängliga medel eller en budget för bidrag till insatser det året.",
                  f"What is left for new efforts in {year} cannot be computed: the documents have neither a line "
                  "for available funds nor a budget for contributions to efforts that year.")
    _add_source(sources, session, org, budget.document_id, budget.paragraph_id, budget)
    spanning = [i.grant.name for i in items if len(_grant_years(i)) > 1]
    # Tables write costs negative or positive; the budget for grants is the size of the line.
    budget_text = kr(abs(budget.amount))
    if spanning:
        return _t(language,
                  f"Budget för \"{budget.line}\" {year}: {budget_text}. Vad som finns kvar kan inte räknas ut, "
                  f"eftersom {_join(spanning, 'sv')} gäller flera år och beslutet inte delar upp beloppet per år.",
                  f"Budget for \"{budget.line}\" {year}: {budget_text}. What is left cannot be computed, because "
                  f"{_join(spanning, 'en')} {'span' if len(spanning) > 1 else 'spans'} several years and the "
                  "decision does not split the amount by year.")
    remaining = abs(budget.amount) - total
    rows.append(ChartRow(label, {"remaining": remaining}))
    return _t(language,
              f"Kvar för nya insatser (beräknat): budget för \"{budget.line}\" {year} {budget_text} minus beviljat "
              f"{kr(total)} = {kr(remaining)}. Insatser som inte finns i de inlästa protokollen ingår inte.",
              f"Left for new efforts (computed): the budget for \"{budget.line}\" {year} {budget_text} minus "
              f"granted {kr(total)} = {kr(remaining)}. Grants not in the loaded protocols are not included.")


# --- equity against its ceiling -------------------------------------------------------------


def _is_closing_equity(figure: BudgetFigure) -> bool:
    line = figure.line.strip()
    if _NOT_CLOSING_EQUITY.search(line):
        return False
    return (figure.section or "").lower() == "eget kapital" or line.lower().startswith("eget kapital")


def _equity_rank(figure: BudgetFigure) -> tuple[int, int, int]:
    """Which figure best tells a year's closing equity: a year-end outcome, then the newest forecast,
    the budget, the plan, and last an outcome part-way through the year."""
    year_end = figure.kind == "utfall" and figure.as_of is not None and (figure.as_of.month, figure.as_of.day) == (12, 31)
    order = {"prognos": 3, "budget": 2, "plan": 1}
    rank = 4 if year_end else order.get(figure.kind, 0)
    return rank, figure.as_of.toordinal() if figure.as_of else 0, figure.document_id


def equity_chart(session: Session, org: Organisation, today: dt.date, language: str = "sv") -> ChartData | None:
    figures = _known(session.exec(select(BudgetFigure).where(BudgetFigure.organisation_id == org.id)
                                  .order_by(col(BudgetFigure.id))).all(), today)
    equity: dict[int, BudgetFigure] = {}
    ceiling: dict[int, BudgetFigure] = {}
    for figure in figures:
        if _CEILING.search(figure.line) and "kapital" in figure.line.lower():
            if figure.year not in ceiling or _latest([ceiling[figure.year], figure]) is figure:
                ceiling[figure.year] = figure
        elif _is_closing_equity(figure) and (
                figure.year not in equity or _equity_rank(figure) > _equity_rank(equity[figure.year])):
            equity[figure.year] = figure
    if not equity:
        return None
    sources: list[Source] = []
    rows: list[ChartRow] = []
    for year in sorted(set(equity) | set(ceiling)):
        values: dict[str, int] = {}
        notes: list[str] = []
        if year in equity:
            figure = equity[year]
            values["equity"] = figure.amount
            note = _kind_label(figure.kind, language)
            if figure.as_of and figure.kind in ("utfall", "prognos"):
                note += f" {figure.as_of.isoformat()}"
            notes.append(note)
            _add_source(sources, session, org, figure.document_id, figure.paragraph_id, figure)
        if year in ceiling:
            values["ceiling"] = ceiling[year].amount
            _add_source(sources, session, org, ceiling[year].document_id, ceiling[year].paragraph_id, ceiling[year])
        rows.append(ChartRow(f"{year}\n{notes[0]}" if notes else str(year), values, tuple(notes)))
    series = [("equity", _t(language, "Eget kapital", "Equity"), "bar")]
    summary: list[str] = []
    if ceiling:
        series.append(("ceiling", _t(language, "Rekommenderat högsta eget kapital", "Recommended ceiling"), "line"))
    else:
        summary.append(_t(language, "Handlingarna anger inget rekommenderat högsta eget kapital.",
                          "The documents give no recommended ceiling on equity."))
    title = _t(language, f"{org.name}: eget kapital och rekommenderat tak",
               f"{org.name}: equity against the recommended ceiling")
    return ChartData("equity", org, None, title, series, rows, summary, sources, orientation="vertical")


# --- the reply ------------------------------------------------------------------------------


def table_lines(data: ChartData, language: str) -> list[str]:
    """The numbers the chart is drawn from, one compact line per category."""
    lines = []
    for row in data.rows:
        label = row.label.split("\n")[0]
        if data.kind == "budget":
            parts = [f"{_kind_label(k, language)} {kr(v)}" for k in KINDS if (v := row.values.get(k)) is not None]
            note = f" ({'; '.join(row.notes)})" if row.notes else ""
            lines.append(f"• {label}: " + ", ".join(parts) + note)
        elif data.kind == "grants":
            if "granted" not in row.values:
                continue  # what is left is told, with its basis, in the summary
            amount = row.values["granted"]
            note = f" ({', '.join(row.notes)})" if row.notes else ""
            lines.append(f"• {label}: {kr(amount)}{note}")
        else:
            parts = []
            if "equity" in row.values:
                parts.append(f"{kr(row.values['equity'])} ({', '.join(row.notes)})")
            if "ceiling" in row.values:
                ceiling = row.values["ceiling"]
                text = _t(language, f"rekommenderat högsta {kr(ceiling)}", f"recommended ceiling {kr(ceiling)}")
                if "equity" in row.values:
                    gap = row.values["equity"] - ceiling
                    text += _t(language, f", {kr(abs(gap))} {'över' if gap > 0 else 'under'} taket",
                               f", {kr(abs(gap))} {'above' if gap > 0 else 'below'} it")
                parts.append(text)
            lines.append(f"• {label}: " + "; ".join(parts))
    return lines


def chart_reply(data: ChartData, language: str) -> Reply:
    from handlers.chart_render import render

    # The chart carries its source under it, as the answer does.
    source = Reply("", sources=data.sources, language=language).full_text().strip()
    rendered = render(replace(data.spec(), source=source, language=language))
    text = "\n".join([data.title + ":", *table_lines(data, language), *data.summary])
    return Reply(text=text, sources=data.sources, image_path=str(rendered.path), image_alt=data.title,
                 language=language)


# --- the commands ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Request:
    year: int | None
    section: str | None
    organisations: list[Organisation]  # named in the request
    leftover: list[str]  # words that are none of the above


def _parse(session: Session, rest: str) -> _Request:
    year = None
    section = None
    leftover: list[str] = []
    words = tokens(rest)
    every = list(session.exec(select(Organisation)).all())
    named = [o for o in every if org_mentioned(o, words)]
    for word in words:
        if year is None and _YEAR.match(word):
            year = int(word)
        elif word in SECTIONS and section is None:
            section = SECTIONS[word]
        elif word in FILLER or word in ORG_NOISE:
            continue
        elif not any(org_mentioned(o, [word]) for o in named):
            leftover.append(word)
    return _Request(year, section, named, leftover)


def _language(ctx: Context, rest: str, english: Sequence[str], swedish: Sequence[str]) -> Context:
    """Answer in the language of the words used: "chart grants" is English, "budget" either."""
    said = (ctx.message.text or "").strip().lower()
    word = said[:len(said) - len(rest)].strip() if rest and said.endswith(rest.lower()) else said
    if word in english:
        language = "en"
    elif word in swedish:
        language = "sv"
    else:
        language = detect_language(rest) if re.search(r"[a-zåäö]{3}", rest.lower()) else "sv"
    return dataclasses.replace(ctx, language=language)


def _scope(ctx: Context, request: _Request) -> list[Organisation]:
    if ctx.organisation is not None:
        return [ctx.organisation]
    if request.organisations:
        return request.organisations
    return sorted(ctx.session.exec(select(Organisation)).all(), key=lambda o: o.name.casefold())


def _no_figures(ctx: Context, what: str, year: int | None, scope: list[Organisation],
                years: dict[int, list[int]]) -> Reply:
    for_org_sv = f" hos {scope[0].name}" if len(scope) == 1 else ""
    for_org_en = f" at {scope[0].name}" if len(scope) == 1 else ""
    known = sorted({y for ys in years.values() for y in ys})
    if what == "equity":
        text = ctx.t(f"Inga siffror för eget kapital{for_org_sv} i handlingarna.",
                     f"No figures for equity{for_org_en} in the documents.")
    elif what == "grants":
        text = ctx.t(f"Inga siffror för {year}: inga beviljade insatser med belopp{for_org_sv} det året.",
                     f"No figures for {year}: no granted efforts with an amount{for_org_en} that year.")
    else:
        text = ctx.t(f"Inga siffror för {year}{for_org_sv} i handlingarna.",
                     f"No figures for {year}{for_org_en} in the documents.")
    if known and what != "equity":
        text += ctx.t(f" Det finns siffror för {', '.join(map(str, known))}.",
                      f" There are figures for {', '.join(map(str, known))}.")
    return Reply(text, answered=False, language=ctx.language)


def _build(ctx: Context, what: str, org: Organisation, year: int | None, section: str | None) -> ChartData | None:
    if what == "budget":
        assert year is not None
        return budget_chart(ctx.session, org, year, ctx.today, ctx.language, section)
    if what == "grants":
        assert year is not None
        return grants_chart(ctx.session, org, year, ctx.today, ctx.language)
    return equity_chart(ctx.session, org, ctx.today, ctx.language)


def _years(ctx: Context, what: str, org: Organisation) -> list[int]:
    assert org.id is not None
    if what == "grants":
        return grant_years(ctx.session, org)
    return budget_years(ctx.session, org.id)


def _chart(ctx: Context, what: str, rest: str) -> Reply:
    request = _parse(ctx.session, rest)
    year = request.year or (None if what == "equity" else ctx.today.year)
    scope = _scope(ctx, request)
    built: list[ChartData] = []
    for org in scope:
        data = _build(ctx, what, org, year, request.section)
        if data is not None:
            built.append(data)
    if not built:
        return _no_figures(ctx, what, year, scope, {o.id or 0: _years(ctx, what, o) for o in scope})
    if len(built) > 1:
        names = "; ".join(d.organisation.name for d in built)
        return Reply(ctx.t(f"Det finns siffror för flera förbund. Vilket menar du? {names}",
                           f"Several förbund have figures. Which one? {names}"), answered=False,
                     actions=[Action(d.organisation.name[:70], "chart.organisation",
                                     f"{what}|{year or ''}|{request.section or ''}|{d.organisation.id}|{ctx.language}")
                              for d in built[:5]],
                     language=ctx.language)
    return chart_reply(built[0], ctx.language)


def _or_question(ctx: Context, rest: str, what: str) -> Reply:
    """A request with words beyond year, part and förbund is a question ("budget för kansli 2025")."""
    if _parse(ctx.session, rest).leftover:
        return answer_question(ctx)
    return _chart(ctx, what, rest)


@command("budget", *BUDGET_SV, *BUDGET_EN,
         help_sv="budget 2025 [kostnader]: diagram över budget, prognos och utfall per rad",
         help_en="chart budget 2025 [costs]: chart of budget, forecast and outcome per line")
def budget_chart_command(ctx: Context, rest: str) -> Reply:
    return _or_question(_language(ctx, rest, BUDGET_EN, BUDGET_SV), rest, "budget")


@command(*GRANTS_SV, *GRANTS_EN,
         help_sv="diagram insatser 2024: beviljade belopp per insats och vad som finns kvar för nya insatser",
         help_en="chart grants 2024: granted amounts per insats and what is left for new efforts")
def grants_chart_command(ctx: Context, rest: str) -> Reply:
    return _chart(_language(ctx, rest, GRANTS_EN, GRANTS_SV), "grants", rest)


@command(*EQUITY_SV, *EQUITY_EN,
         help_sv="eget kapital diagram: eget kapital över åren mot rekommenderat högsta",
         help_en="chart equity: equity over the years against the recommended ceiling")
def equity_chart_command(ctx: Context, rest: str) -> Reply:
    return _chart(_language(ctx, rest, EQUITY_EN, EQUITY_SV), "equity", rest)


@action("chart.organisation")
def chart_in_organisation(ctx: Context, value: str) -> Reply:
    """A förbund chosen with a button: the same chart within it."""
    parts = value.split("|")
    if len(parts) != 5 or parts[0] not in ("budget", "grants", "equity") or not parts[3].isdigit():
        return Reply(ctx.t("Det valet känner jag inte längre igen.", "I no longer recognise that choice."),
                     answered=False, language=ctx.language)
    what, year_text, section, org_id, language = parts
    org = ctx.session.get(Organisation, int(org_id))
    if org is None:
        return Reply(ctx.t("Det förbundet finns inte längre.", "That förbund no longer exists."), answered=False,
                     language=ctx.language)
    ctx = dataclasses.replace(ctx, organisation=org, language="en" if language == "en" else "sv")
    year = int(year_text) if year_text.isdigit() else None
    data = _build(ctx, what, org, year, section or None)
    if data is None:
        return _no_figures(ctx, what, year, [org], {org.id or 0: _years(ctx, what, org)})
    return chart_reply(data, ctx.language)
