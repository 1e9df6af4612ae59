"""Many figures taken together: sums of lines, of a group of lines or of named grants, each member's
figure and their mean, a line's share of its total or of its budget used, how many lines, and the
largest or smallest. Every part of a sum is shown, so that the reader can add it up."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlmodel import col, select

from handlers.answers import budget, grants
from handlers.answers.core import Question, choose_organisation, figure_source
from handlers.answers.dates import period_ends
from handlers.answers.figures import (
    MEMBER_TYPES,
    figure,
    group_word,
    kind_name,
    kinds_in_order,
    line_sections,
    missing,
    percent,
    report_note,
    sources_of,
    to_date,
    unit_of,
    what_exists,
    year_of,
    years_asked,
)
from handlers.answers.text import amount_text, count_noun, counted, fold, join_words, kr, tokens, word_match
from handlers.messages import Reply
from storage.models import BudgetFigure, Grant, GrantEvent


def asks_percent(q: Question) -> bool:
    """'Hur många procent …' asks a share or a change in per cent, not how many lines."""
    return "%" in q.text or q.cues.any(("procent", "percent", "per cent"))


def count_lines(q: Question, lines: list[tuple[int, str]]) -> Reply:
    """'Hur många kommuner bidrar 2019?': the lines of the kind named, counted, with their figures."""
    years = year_of(q, lines)
    kind = (kinds_in_order(q) or ["budget"])[0]
    org_id = lines[0][0]
    present = [(line, f) for _o, line in lines if (f := figure(q, org_id, line, years[0], kind)) is not None]
    if not present:
        return missing(q, f"{kind_name(q, kind)} {years[0]} för {join_words([line for _o, line in lines])}")
    parts = ", ".join(f"{line} {amount_text(f.amount, f.unit)}" for line, f in present)
    # Named as the question calls them ("6 kommuner (sex)"), never a bare "6 st".
    word = group_word(q, lines)
    noun = count_noun(q.words, lambda w: fold(w) == fold(word))
    return Reply(q.t(f"{counted(len(present), noun)} ({kind_name(q, kind)} {years[0]}): {parts}.",
                     f"{counted(len(present), noun, 'en')} ({kind_name(q, kind)} {years[0]}): {parts}."),
                 sources=sources_of(q, org_id, [f for _l, f in present]), language=q.language)


def sum_lines(q: Question, lines: list[tuple[int, str]]) -> Reply:
    years = year_of(q, lines)
    named = kinds_in_order(q)
    org_id = lines[0][0]
    present: list[tuple[str, BudgetFigure]] = []
    for _o, line in lines:
        if named:
            f = figure(q, org_id, line, years[0], named[0])
        else:
            f = next((g for k in budget.PREFERENCE if (g := figure(q, org_id, line, years[0], k)) is not None), None)
        if f is None:
            return missing(q, f"{named[0] if named else 'någon siffra'} {years[0]} för {line}",
                            f"{named[0] if named else 'any figure'} {years[0]} for {line}",
                            what_exists(q, org_id, line))
        present.append((line, f))
    kinds = {f.kind for _l, f in present}
    if len(kinds) != 1:
        return missing(q, f"samma slags siffra {years[0]} för {join_words([line for line, _f in present])}",
                        f"the same kind of figure {years[0]} for {join_words([line for line, _f in present], 'en')}")
    kind = next(iter(kinds))
    total = sum(f.amount for _l, f in present)
    unit = unit_of(*[f for _l, f in present])
    parts = " + ".join(f"{line} {amount_text(f.amount, f.unit)}" for line, f in present)
    group = group_word(q, lines)
    whose = f" ({group})" if group else ""
    # An outcome to a day is said to be one: "utfall 2019 t.o.m. 2019-08-31".
    dated = {to_date(q, f) for _l, f in present}
    when = dated.pop() if len(dated) == 1 else ""
    return Reply(q.t(f"Sammanlagt{whose} {kind_name(q, kind)} {years[0]}{when}: {amount_text(total, unit)} ({parts}).",
                     f"Together{whose}, {kind_name(q, kind)} {years[0]}{when}: {amount_text(total, unit)} ({parts})."),
                 sources=sources_of(q, org_id, [f for _l, f in present]), language=q.language)


def total_line(q: Question, org_id: int, line: str) -> Reply:
    """A sum asked of a total the table itself gives ("Summa intäkter"): its value, named as the
    table's total."""
    years = year_of(q, [(org_id, line)])
    named = kinds_in_order(q)
    kind = named[0] if named else None
    f = figure(q, org_id, line, years[0], kind) if kind else next(
        (g for k in budget.PREFERENCE if (g := figure(q, org_id, line, years[0], k)) is not None), None)
    if f is None:
        return missing(q, f"{kind or 'någon siffra'} {years[0]} för {line}", f"{kind or 'any figure'} {years[0]} for "
                        f"{line}", what_exists(q, org_id, line))
    if f.kind == "utfall" and not budget._full_year(f) and (budget.asks_full_year(q) or q.cues.any(budget.PAST_TENSE)):
        # The year's outcome asked ("the actual full-year outcome"): one to a tertial is not it.
        return missing(q, f"utfall för helåret {f.year} för {line}", f"a full-year outcome {f.year} for {line}",
                       what_exists(q, org_id, line))
    when = f"{kind_name(q, f.kind)} {f.year}{to_date(q, f)}"
    return Reply(q.t(f"Totalt {when}: {amount_text(f.amount, f.unit)} (tabellens rad {line}).",
                     f"In total, {when}: {amount_text(f.amount, f.unit)} (the table's line {line})."),
                 sources=sources_of(q, org_id, [f]), language=q.language)


def each(q: Question, lines: list[tuple[int, str]], average: bool = False) -> Reply:
    """Every line of a group with its own figure, and their sum."""
    reply = sum_lines(q, lines)
    if not reply.answered:
        return reply
    years = year_of(q, lines)
    org_id = lines[0][0]
    named = kinds_in_order(q)
    rows = []
    figures = []
    for _o, line in lines:
        f = figure(q, org_id, line, years[0], named[0]) if named else next(
            (g for k in budget.PREFERENCE if (g := figure(q, org_id, line, years[0], k)) is not None), None)
        if f is not None:
            rows.append(f"• {line}: {amount_text(f.amount, f.unit)}")
            figures.append(f)
    kind = figures[0].kind
    total = sum(f.amount for f in figures)
    head = q.t(f"{kind.capitalize()} {years[0]}, var för sig:", f"{kind.capitalize()} {years[0]}, each:")
    tail = q.t(f"Sammanlagt: {amount_text(total, unit_of(*figures))}.", f"Together: {amount_text(total, unit_of(*figures))}.")
    if average:
        mean = round(total / len(figures))
        head = q.t(f"I genomsnitt {kr(mean)} ({kind_name(q, kind)} {years[0]}, {kr(total)} / {len(figures)}):",
                   f"On average {kr(mean)} ({kind_name(q, kind)} {years[0]}, {kr(total)} / {len(figures)}):")
    return Reply("\n".join([head, *rows, tail]), sources=reply.sources, language=q.language)


# Words that only say a line is a total ("Kostnader totalt" is named by "kostnaderna").
_TOTAL_WORDS = frozenset({"summa", "delsumma", "totalt", "total"})


def _whole_of(q: Question, org_id: int, part: str, year: int, kind: str,
              part_amount: float | None = None) -> tuple[str, BudgetFigure] | None:
    """The total a line is part of: a total the question names, else its section's total. A total
    no larger than the part (the section's sum of its one line) is no whole to take a share of."""
    sections = line_sections(q, org_id)
    asked = {fold(w) for w in q.words}

    def whole(f: BudgetFigure | None) -> bool:
        return f is not None and (part_amount is None or abs(f.amount) > abs(part_amount))

    for m in q.named("budget_line"):
        name = m.entry.name
        own_words = [fold(t) for t in tokens(name) if fold(t) not in _TOTAL_WORDS]
        named = m.score >= 0.7 or (own_words and all(any(word_match(t, w) >= 0.85 for w in asked) for t in own_words))
        if m.entry.organisation_id == org_id and name != part and sections.get(name, (None, ""))[1] in (
                "total", "subtotal") and named:
            f = figure(q, org_id, name, year, kind)
            if f is not None and whole(f):
                return name, f
    section = sections.get(part, (None, ""))[0]
    candidates = [section] + (["intäkter"] if section in budget.MEMBER_SECTIONS else [])
    for sec in candidates:
        totals = [name for name, (s, row_type) in sections.items() if s == sec and row_type == "total"]
        totals.sort(key=lambda n: (not n.lower().startswith("summa"), n))
        for name in totals:
            f = figure(q, org_id, name, year, kind)
            if f is not None and whole(f):
                return name, f
    return None


# Words that ask how much of a budget has been used: the outcome so far against the budget.
# ("spent on X" names what the money is for, not how much of it is used: only "spent by/so far".)
USED_WORDS = ("förbruk", "använt", "använts", "nyttjat", "utnyttj", "spent by", "spent so far", "had spent",
              "has spent", "have spent", "been spent", "used up", "been used", "consumed",
              # "spent by the end of August" is read as "spent as of 31 August" (handlers/understanding).
              "spent as of", "spent up to", "spent through", "used as of", "used by")


def used_share(q: Question, lines: list[tuple[int, str]]) -> Reply | None:
    """'Hur stor andel av budgeten har förbrukats efter T2?': a line's outcome to date as a share of
    its budget for the year (the costs in total when no line is named)."""
    org_ids = {o for o, _n in lines} or set(q.organisation_ids)
    if len(org_ids) != 1:
        return None
    org_id = next(iter(org_ids))
    sections = line_sections(q, org_id)
    # No year named ("förbrukat per T2"): the latest year with an outcome to date for what is asked.
    outcome_years = sorted(set(q.session.exec(select(BudgetFigure.year).where(
        BudgetFigure.organisation_id == org_id, BudgetFigure.kind == "utfall",
        col(BudgetFigure.line).in_([n for _o, n in lines] or list(sections)))).all()))
    years = years_asked(q) or outcome_years[-1:] or [q.ctx.today.year]
    candidates = [n for _o, n in lines] or sorted(
        (n for n, (sec, row_type) in sections.items() if sec == "kostnader" and row_type == "total"),
        key=lambda n: (not ("summa" in n.lower() or "totalt" in n.lower()), n))
    for line in candidates:
        budget_figure = figure(q, org_id, line, years[0], "budget")
        outcomes = list(q.session.exec(select(BudgetFigure).where(
            BudgetFigure.organisation_id == org_id, BudgetFigure.line == line, BudgetFigure.year == years[0],
            BudgetFigure.kind == "utfall")).all())
        ends = period_ends(q.dates)
        # A tertial with no year ("efter T2") is that point of the year asked.
        points = {(e.month, e.day) for e in ends} if not any(d.year_given for d in q.dates) else set()
        outcomes = [f for f in outcomes if not ends or f.as_of in ends
                    or (f.as_of is not None and (f.as_of.month, f.as_of.day) in points)]
        if budget_figure is None or not outcomes or budget_figure.amount == 0:
            continue
        used = budget._pick(outcomes, q)
        pct = percent(q, abs(used.amount), abs(budget_figure.amount))
        label = kind_name(q, "utfall") + to_date(q, used)
        return Reply(q.t(f"{line} {years[0]}: {label} {amount_text(used.amount, used.unit)} av budget "
                         f"{amount_text(budget_figure.amount, budget_figure.unit)}, det vill säga {pct} av budgeten.",
                         f"{line} {years[0]}: {label} {amount_text(used.amount, used.unit)} of the budget "
                         f"{amount_text(budget_figure.amount, budget_figure.unit)}, that is {pct} of the budget."),
                     sources=sources_of(q, org_id, [used, budget_figure]), language=q.language)
    what = join_words(candidates) if candidates else q.t("kostnaderna", "the costs")
    return missing(q, f"både budget och utfall {years[0]} för {what}", f"both budget and outcome {years[0]} for {what}")


def share(q: Question, lines: list[tuple[int, str]]) -> Reply | None:
    org_id = lines[0][0]
    sections = line_sections(q, org_id)
    # A line the question names in its own words before one reached only through a gloss
    # ("administration" is the subtotal Delsumma administration, not the line Kansli).
    named = [m.entry.name for m in q.named("budget_line") if m.entry.organisation_id == org_id and m.score >= 0.7
             and _named_directly(q, m.entry.name)]
    direct = list(dict.fromkeys([line for _o, line in lines if _named_directly(q, line)] + named)) or [
        line for _o, line in lines]
    # The part is the lowest of the lines named: "administration" (a subtotal) of "summa kostnader".
    rank = {"line": 0, "subtotal": 1, "total": 2}
    parts = [line for line in direct if sections.get(line, (None, ""))[1] == "line"] or sorted(
        direct, key=lambda n: rank.get(sections.get(n, (None, ""))[1], 3))[:1]
    part = parts[0]
    years = year_of(q, [(org_id, part)])
    named = kinds_in_order(q)
    kind = named[0] if named else "budget"
    f = figure(q, org_id, part, years[0], kind)
    if f is None:
        return missing(q, f"{kind_name(q, kind)} {years[0]} för {part}", f"{kind_name(q, kind)} {years[0]} for {part}", what_exists(q, org_id, part))
    whole = _whole_of(q, org_id, part, years[0], kind, f.amount)
    if whole is None or whole[1].amount == 0:
        return missing(q, f"någon total att räkna andelen av för {part} {years[0]}",
                        f"a total to take {part}'s share of in {years[0]}")
    name, w = whole
    if not _whole_as_named(q, name):
        # "Hur stor andel av kommunernas bidrag står Umeå kommun för?": the whole the question names is
        # not the total the tables give the line under (Summa intäkter).
        asked = WHOLE_NAMED.search(q.text)
        said = asked.group("whole").strip() if asked else name
        return missing(q, f"en summa för ”{said}” att räkna {part}s andel av ({years[0]})",
                       f"a sum for “{said}” to take {part}'s share of ({years[0]})")
    if abs(w.amount) <= abs(f.amount) and sections.get(part, (None, ""))[1] != "line":
        return missing(q, f"en större total att räkna andelen av för {part} {years[0]}",
                        f"a larger total to take {part}'s share of in {years[0]}")
    pct = percent(q, abs(f.amount), abs(w.amount))
    kind = f.kind
    return Reply(q.t(f"{part} är {pct} av {name} ({kind_name(q, kind)} {years[0]}: {amount_text(f.amount, f.unit)} av "
                     f"{amount_text(w.amount, w.unit)}).",
                     f"{part} is {pct} of {name} ({kind_name(q, kind)} {years[0]}: {amount_text(f.amount, f.unit)} of "
                     f"{amount_text(w.amount, w.unit)})."), sources=sources_of(q, org_id, [f, w]), language=q.language)


# The whole a share is asked of, as the question names it: "andel av kommunernas bidrag står …",
# "share of the total costs is …" (up to the verb or the end).
WHOLE_NAMED = re.compile(r"\b(?:andel(?:en)?|del|procent|share|proportion|percentage|part)\s+(?:av|of)\s+(?:the\s+)?"
                          r"(?P<whole>[^?,.]+?)(?=\s+(?:står|utgör|är|var|blir|gick|går|betalar|is|was|are|were|does|did|"
                          r"goes|went|for|för|\d{4})\b|[?,.]|$)", re.IGNORECASE)


def _whole_as_named(q: Question, name: str) -> bool:
    """Whether the total a share is taken of is the whole the question names, by a word of its
    name or of its Swedish counterpart ("kostnaderna" of Summa kostnader; "costs" as "kostnader").
    A question that names no whole, or names it only by words of asking ("det totala", "budgeten"),
    takes the tables' total."""
    from handlers.answers.passages import english_counterparts
    from handlers.understanding.general_words import is_general

    asked = WHOLE_NAMED.search(q.text)
    if asked is None or q.language != "sv":
        # (English wholes are named with the förbund, verbs and glosses around them, "Jämtland's 2021
        # costs", "the 2021 budget spent on Enter": checked in Swedish only, where the noun is the whole.)
        return True
    words = [w for w in tokens(asked.group("whole")) if len(w) >= 4 and not is_general(w)
             and fold(w) not in _WHOLE_WORDS and not q.lexicon.organisations_named([w])]
    if not words:
        return True
    own = [t for t in tokens(name) if len(t) >= 4]
    return any(word_match(w, t) >= 0.9 or any(word_match(v, t) >= 0.9 for v in english_counterparts(w))
               for w in words for t in own)


# Words that name the whole as such, whatever the table calls it.
_WHOLE_WORDS = frozenset(fold(w) for w in (
    "totala", "totalt", "total", "helheten", "hela", "budgeten", "budget", "summan", "whole", "entire", "overall"))


def extreme_of(q: Question, lines: list[tuple[int, str]], largest: bool) -> Reply:
    """The largest or smallest of lines the question names as a group ("vilken kommun …")."""
    years = year_of(q, lines)
    kind = (budget._kinds(q) or ["budget"])[0]
    figures = [(line, figure(q, org_id, line, years[0], kind)) for org_id, line in lines]
    present = [(line, f) for line, f in figures if f is not None]
    if not present:
        return missing(q, f"{kind_name(q, kind)} {years[0]} för {join_words([line for _o, line in lines])}")
    place = ordinal_asked(q)
    ordered = sorted(present, key=lambda x: abs(x[1].amount), reverse=largest)
    distinct = sorted({abs(f.amount) for _l, f in present}, reverse=largest)
    if place >= len(distinct):
        return missing(q, f"så många olika belopp ({kind_name(q, kind)} {years[0]})",
                       f"that many different amounts ({kind_name(q, kind)} {years[0]})")
    line, pick = next(x for x in ordered if abs(x[1].amount) == distinct[place])
    if ranked_after(q, [name for name, _f in present]) == line:
        # "Vilken kommun betalar mest efter Jönköpings kommun?": the one ranked after is never the answer.
        return missing(q, f"något att rangordna efter {line} bland det frågan nämner",
                       f"anything to rank after {line} among what the question names")
    org = q.organisation(lines[0][0])
    word = q.t("störst" if largest else "minst", "the largest" if largest else "the smallest")
    if place:
        word = q.t(f"{'näst' if place == 1 else 'tredje'} {word}",
                   f"the {'second' if place == 1 else 'third'} {'largest' if largest else 'smallest'}")
    others = ", ".join(f"{name} {amount_text(f.amount, f.unit)}" for name, f in present)
    kind = pick.kind  # the figure's own kind: a plan that stands for a budget is called a plan
    # Lines sharing the extreme are all named: none of them is "the" smallest alone.
    tied = [name for name, f in present if abs(f.amount) == abs(pick.amount)]
    who_sv, who_en = (f"{line} har", f"{line} has") if len(tied) == 1 else (
        f"{join_words(tied)} har lika", f"{join_words(tied, 'en')} share")
    return Reply(q.t(f"{who_sv} {word} belopp ({kind_name(q, kind)} {years[0]}): {amount_text(pick.amount, pick.unit)}"
                     f"{' var' if len(tied) > 1 else ''}. Alla: {others}.",
                     f"{who_en} {word} amount ({kind_name(q, kind)} {years[0]}): {amount_text(pick.amount, pick.unit)}"
                     f"{' each' if len(tied) > 1 else ''}. All: {others}."),
                 sources=[figure_source(q.session, org, pick)], language=q.language)


def _is_total(line: str) -> bool:
    lowered = line.lower()
    return lowered.startswith(("summa", "delsumma")) or "totalt" in lowered or "total " in f"{lowered} "


def _latest_by_line(q: Question, figures: list[BudgetFigure]) -> dict[str, BudgetFigure]:
    by_line: dict[str, BudgetFigure] = {}
    for f in figures:
        if f.line not in by_line or budget._pick([by_line[f.line], f], q) is f:
            by_line[f.line] = f
    return by_line


def _parts_of(q: Question, org_id: int, named: str, year: int, kind: str) -> tuple[str, dict[str, BudgetFigure]]:
    """The lines a question about "the largest X" chooses among: the plain lines (no totals) of
    the section the named line stands in; when the named line is a total with no lines of its own
    section under it ("Verksamhetens intäkter" over a note of contributions), the section whose
    lines add up to it."""
    every = list(q.session.exec(select(BudgetFigure).where(
        BudgetFigure.organisation_id == org_id, BudgetFigure.year == year, BudgetFigure.kind == kind)).all())
    section = next((f.section for f in every if f.line == named), None) or q.session.exec(
        select(BudgetFigure.section).where(BudgetFigure.organisation_id == org_id, BudgetFigure.line == named)).first()
    plain = [f for f in every if f.row_type == "line" and not _is_total(f.line)]
    run = _lines_above(q, every, named)
    if run:
        return named, run
    own = _latest_by_line(q, [f for f in plain if f.section == section])
    if len(own) >= 2:
        return section or named, own
    total = _latest_by_line(q, [f for f in every if f.line == named]).get(named)
    if total is None or total.row_type == "line":
        return section or named, own
    for other in sorted({f.section for f in plain if f.section and f.section != section}):
        lines = _latest_by_line(q, [f for f in plain if f.section == other])
        if len(lines) >= 2 and sum(f.amount for f in lines.values()) == total.amount:
            return other, lines
    # A total over several sections ("Kostnader totalt" over kansli, verksamhetsnära kostnader and
    # verksamheter): the plain lines of every section but income and balance, if they add up to it.
    spread = _latest_by_line(q, [f for f in plain if f.section and f.section != section
                                 and f.section not in NOT_COSTS and f.amount * total.amount >= 0])
    if len(spread) >= 2 and sum(f.amount for f in spread.values()) == total.amount:
        return section or named, spread
    return section or named, own


def _lines_above(q: Question, every: list[BudgetFigure], named: str) -> dict[str, BudgetFigure]:
    """The lines a subtotal adds up ("Delsumma verksamhet" under Enter … Kompetensutveckling, not
    Kansli beside them in the same section): the run of plain lines right above it in its table,
    kept only when they add up to it."""
    totals = [f for f in every if f.line == named and f.row_type in ("subtotal", "total")]
    if not totals:
        return {}
    total = budget._pick(totals, q)
    rows = sorted((f for f in every if f.document_id == total.document_id and f.as_of == total.as_of),
                  key=lambda f: f.id or 0)
    at = next(i for i, f in enumerate(rows) if f.id == total.id)
    run: list[BudgetFigure] = []
    for f in reversed(rows[:at]):
        if f.row_type != "line" or f.section != total.section or _is_total(f.line):
            break
        run.append(f)
    if len(run) < 2 or sum(f.amount for f in run) != total.amount:
        return {}
    return {f.line: f for f in reversed(run)}


# Sections whose lines are never parts of a cost total.
NOT_COSTS = frozenset({"intäkter", "medlemsbidrag", "eget kapital", "balans", "omsättningstillgångar",
                       "eget kapital och skulder", "resultat", "anläggningstillgångar"})


def _of_member_type(q: Question, org_id: int, by_line: dict[str, BudgetFigure]) -> dict[str, BudgetFigure]:
    """The lines that stand for a member body of the kind the question asks about: "Vännäs" for
    Vännäs kommun when it asks which kommun. Lines of other things drop out."""
    for member_word, cues in MEMBER_TYPES.items():
        # A word of the förbund's own name ("Umeåregionens") asks for no kind of member.
        if not any(c in fold(w) for w in q.words for c in cues if not q.lexicon.organisations_named([w])):
            continue
        # The members: those the protocols name, and those paying a contribution in the budget.
        members = {e.name for e in q.lexicon.entries if e.kind == "member_body" and e.organisation_id == org_id}
        members |= set(q.session.exec(select(BudgetFigure.line).where(
            BudgetFigure.organisation_id == org_id, BudgetFigure.section == "medlemsbidrag")).all())
        places = [tokens(m)[0] for m in members if member_word in fold(m) and tokens(m)]
        if any(member_word in fold(line) for line in by_line):
            # The lines name the members themselves ("Habo kommun"): those of the kind asked
            # ("vilken kommun": not Försäkringskassan nor the landsting beside them).
            return {line: f for line, f in by_line.items() if any(c in fold(line) for c in cues)}
        return {line: f for line, f in by_line.items() if 0 < len(tokens(line)) <= 2
                and any(word_match(tokens(line)[0], p) == 1.0 for p in places)}
    return by_line


# Words that ask for the next after the largest or smallest ("näst störst", "third largest"):
# how many places down the order.
ORDINAL_WORDS = {"näst": 1, "nast": 1, "second": 1, "tredje": 2, "third": 2}


def ordinal_asked(q: Question) -> int:
    return max((ORDINAL_WORDS.get(w, 0) for w in q.cues.words), default=0)


# How many of the first are asked ("vilka tre verksamheter", "which three activities", "top 3"); never
# "vilken av de två" (which one of two).
_NUMBERS = {"två": 2, "tva": 2, "tre": 3, "fyra": 4, "fem": 5, "two": 2, "three": 3, "four": 4, "five": 5,
            "2": 2, "3": 3, "4": 4, "5": 5}
_NUMBER_WORDS_SV = {2: "två", 3: "tre", 4: "fyra", 5: "fem"}
_NUMBER_WORDS_EN = {2: "two", 3: "three", 4: "four", 5: "five"}
_TOP = re.compile(r"\b(?:vilka|which|what are the|name the|list the|top|topp|de|the)\s+(?P<n>två|tva|tre|fyra|fem|two|"
                  r"three|four|five|[2-5])\s+(?!kr\b|tkr\b|år\b|ar\b|years?\b|procent\b|percent\b|kronor\b|%)",
                  re.IGNORECASE)


def top_asked(q: Question) -> int:
    m = _TOP.search(q.text)
    if m is None or re.search(r"\b(?:av|of|among|bland)\s+(?:de|the)\s+" + re.escape(m.group("n")) + r"\b", q.text,
                                re.IGNORECASE):
        return 0
    return _NUMBERS.get(m.group("n").lower(), 0)


# A place down the order, said: 1 is the second.
_PLACES_SV = {1: "näst", 2: "tredje", 3: "fjärde", 4: "femte"}
_PLACES_EN = {1: "second", 2: "third", 3: "fourth", 4: "fifth"}

# "Mest efter Umeå", "the most after Enter": the one ranked right below the thing named.
_AFTER = re.compile(r"\b(?:efter|after|bakom|behind|besides|next to)\s+(.+)", re.IGNORECASE)


def ranked_after(q: Question, names: list[str]) -> str | None:
    """The one of `names` the question names after "efter" / "after" ("vilken kommun bidrar med
    mest efter Umeå": Umeå kommun), by its first word (a place) or its whole name; None if none."""
    m = _AFTER.search(q.text)
    if m is None:
        return None
    following = [fold(w) for w in tokens(m.group(1))[:4] if len(w) >= 3]
    hits = [n for n in names if tokens(n) and any(_same_word(fold(tokens(n)[0]), w) for w in following)]
    return hits[0] if len(hits) == 1 else None


def _same_word(name_word: str, asked: str) -> bool:
    """A word of a name as asked, inflected at its end ("personalkostnaderna" for "Personalkostnader")."""
    return word_match(name_word, asked) >= 0.9 or (len(name_word) >= 6 and asked.startswith(name_word))


# What may follow "efter"/"after" without naming a line to rank below: a time, a report, a stage.
_NOT_A_RANK = re.compile(r"^\s*(?:the\s+|den\s+|det\s+)?(?:\d|t[123]\b|tertial|januari|februari|mars|april|maj|juni|"
                         r"juli|augusti|september|oktober|november|december|january|february|march|may|june|july|"
                         r"august|october|finansiella|financial|avslutad|completed|that|det|detta|this)",
                         re.IGNORECASE)


def names_one_to_rank_below(q: Question) -> bool:
    """Whether the question names, after "efter"/"after", something to rank below ("störst efter
    personalkostnaderna"), as opposed to a time ("efter T2") or nothing."""
    m = _AFTER.search(q.text)
    return m is not None and not _NOT_A_RANK.match(m.group(1))


def extreme_line(q: Question, org_id: int, named: str, year: int, kind: str, largest: bool,
                 leave_out: Callable[[list[str]], list[str]] | None = None, with_share: bool = False) -> Reply:
    """'Vilken kostnadspost är störst 2021?': the largest line among those the named line stands
    for (see `_parts_of`), without those `leave_out` names ("om man bortser från Enter"); a choice
    among fewer than two lines answers nothing. "Näst störst": the next one down."""
    section, by_line = _parts_of(q, org_id, named, year, kind)
    by_line = _of_member_type(q, org_id, by_line)
    left = set(leave_out(list(by_line))) if leave_out is not None else set()
    by_line = {name: f for name, f in by_line.items() if name not in left}
    org = q.organisation(org_id)
    place = ordinal_asked(q)
    after = ranked_after(q, list(by_line))
    if after is None and names_one_to_rank_below(q):
        # "Vilken kostnad är störst efter personalkostnaderna?" with no such line among those compared:
        # the largest of all would answer another question.
        return missing(q, f"det du rangordnar efter bland {section} {year}",
                       f"what you rank after among {section} {year}")
    # A line at 0 has nothing that year (an effort ended or not begun): the smallest is among those
    # that have something, and the zeros are said.
    zeros = [name for name, f in by_line.items() if f.amount == 0] if not largest else []
    if zeros and len(by_line) - len(zeros) >= 2 + place:
        by_line = {name: f for name, f in by_line.items() if f.amount != 0}
    else:
        zeros = []
    if len(by_line) < 2 + place:
        return missing(q, f"{kind} {year} för flera poster under {section} att jämföra")
    ordered = sorted(by_line.values(), key=lambda f: abs(f.amount), reverse=largest)
    distinct = sorted({abs(f.amount) for f in ordered}, reverse=largest)
    if after is not None:
        # "näst mest efter Umeå kommun", "mest efter Umeå": the place right below it.
        place = distinct.index(abs(by_line[after].amount)) + 1
    count = top_asked(q)
    if count and after is None and not place and len(by_line) > count:
        # "Vilka tre verksamheter har störst budget?": the first few, in order.
        top = ordered[:count]
        word = q.t(f"De {_NUMBER_WORDS_SV[count]} {'största' if largest else 'minsta'}",
                   f"The {_NUMBER_WORDS_EN[count]} {'largest' if largest else 'smallest'}")
        listed = ", ".join(f"{f.line} {amount_text(f.amount, f.unit)}" for f in top)
        return Reply(q.t(f"{word} ({kind} {year}{to_date(q, top[0])}) bland {section}: {listed} (av {len(by_line)} poster).",
                         f"{word} ({kind_name(q, kind)} {year}{to_date(q, top[0])}) among {section}: {listed} "
                         f"(of {len(by_line)} lines)."),
                     sources=list(dict.fromkeys(figure_source(q.session, org, f) for f in top)), language=q.language)
    if place >= len(distinct):
        return missing(q, f"{kind} {year} för flera poster under {section} att jämföra")
    pick = next(f for f in ordered if abs(f.amount) == distinct[place])
    word = q.t("störst" if largest else "minst", "the largest" if largest else "the smallest")
    if place:
        word = q.t(f"{_PLACES_SV.get(place, f'{place + 1}:e')} {word}",
                   f"the {_PLACES_EN.get(place, f'{place + 1}th')} {'largest' if largest else 'smallest'}")
    # The others are listed when few enough to read in a chat line.
    others = ": " + ", ".join(f"{name} {amount_text(f.amount, f.unit)}" for name, f in by_line.items()) \
        if len(by_line) <= 6 else ""
    if after is not None and not others:
        others = q.t(f", efter {after} {amount_text(by_line[after].amount, by_line[after].unit)}",
                     f", after {after} {amount_text(by_line[after].amount, by_line[after].unit)}")
    # Lines sharing the extreme are all named: none of them is "the" largest alone.
    tied = [name for name, f in by_line.items() if abs(f.amount) == abs(pick.amount)]
    # An outcome to a day is said to be one ("utfall 2019 t.o.m. 2019-08-31").
    dated = to_date(q, pick)
    reply = Reply(q.t(f"{join_words(tied)} har {word} {kind} {year}{dated} bland {section}: "
                      f"{amount_text(pick.amount, pick.unit)}{' var' if len(tied) > 1 else ''} "
                      f"(av {len(by_line)} poster{others}).",
                      f"{join_words(tied, 'en')} {'has' if len(tied) == 1 else 'have'} {word} {kind_name(q, kind)} "
                      f"{year}{dated} among {section}: {amount_text(pick.amount, pick.unit)}"
                      f"{' each' if len(tied) > 1 else ''} (of {len(by_line)} lines{others})."
                      ) + (q.t(f" ({join_words(zeros)}: 0 kr.)", f" ({join_words(zeros, 'en')}: 0 kr.)") if zeros else "")
                  + report_note(q, pick),
                  sources=[figure_source(q.session, org, pick)], language=q.language)
    if not with_share:
        return reply
    # Its share of the total the question named, as the table gives that total (not the lines'
    # sum, which may leave out what the table counts apart).
    total = figure(q, org_id, named, year, kind)
    if total is None or not total.amount or named in by_line:
        return missing(q, f"någon total för {named} {year} att räkna andelen av",
                       f"any total for {named} {year} to compute the share of")
    part = percent(q, abs(pick.amount), abs(total.amount))
    return Reply(reply.text + q.t(f" Det är {part} av {named} ({amount_text(total.amount, total.unit)}).",
                                  f" That is {part} of {named} ({amount_text(total.amount, total.unit)})."),
                 sources=list(dict.fromkeys([*reply.sources, figure_source(q.session, org, total)])),
                 language=q.language)


def _named_grants(q: Question) -> list[grants.Grant]:
    # One grant per name: the latest effort under it (a name may be reused for a later one).
    latest: dict[str, int] = {}
    for m in q.named("grant"):
        if m.entry.ref is not None:
            latest[m.entry.name] = max(latest.get(m.entry.name, 0), m.entry.ref)
    chosen = [grants.GrantName(ref, 0, name, None) for name, ref in latest.items()]
    return grants._load(q, chosen)


def grant_difference(q: Question) -> Reply | None:
    """'Hur mycket mer fick A än B?': two grants' amounts and the difference."""
    loaded = _named_grants(q)
    if len(loaded) != 2:
        return None
    a, b = loaded
    if a.max_amount is None or b.max_amount is None:
        return missing(q, f"belopp för både {a.name} och {b.name}", f"amounts for both {a.name} and {b.name}")
    delta = abs(a.max_amount - b.max_amount)
    more, less = (a, b) if a.max_amount >= b.max_amount else (b, a)
    sources = [grants._source(q, g, grants._granting_event(q, g)) for g in (a, b)]
    return Reply(q.t(f"{more.name} fick {kr(delta)} mer än {less.name} ({kr(more.max_amount or 0)} mot "
                     f"{kr(less.max_amount or 0)}).",
                     f"{more.name} got {kr(delta)} more than {less.name} ({kr(more.max_amount or 0)} against "
                     f"{kr(less.max_amount or 0)})."), sources=sources, language=q.language)


def grant_sum(q: Question) -> Reply | None:
    """'Hur mycket fick A och B sammanlagt?': the named grants' amounts added."""
    loaded = _named_grants(q)
    if len(loaded) < 2:
        return None
    lacking = [g.name for g in loaded if g.max_amount is None]
    if lacking:
        return missing(q, f"belopp för {join_words(lacking)}", f"amounts for {join_words(lacking, 'en')}")
    total = sum(g.max_amount or 0 for g in loaded)
    parts = " + ".join(f"{g.name} {kr(g.max_amount or 0)}" for g in loaded)
    sources = list(dict.fromkeys(grants._source(q, g, grants._granting_event(q, g)) for g in loaded))
    # A grant's amount is the most it may draw ("får beviljas med maximalt 990 000 kr"): said so.
    return Reply(q.t(f"Sammanlagt {kr(total)} (beviljat maximalt: {parts}).",
                     f"Together {kr(total)} (granted at most (maximalt): {parts})."), sources=sources,
                 language=q.language)


def _section_total(q: Question, org_id: int, section: str, year: int, kind: str) -> tuple[str, BudgetFigure] | None:
    """A section's total line for the year ("Summa kostnader", "Kostnader totalt")."""
    names = [n for n, (sec, row_type) in line_sections(q, org_id).items() if sec == section and row_type == "total"]
    names.sort(key=lambda n: (not ("summa" in n.lower() or "totalt" in n.lower()), n))
    for name in names:
        f = figure(q, org_id, name, year, kind)
        if f is not None:
            return name, f
    return None


def total_budget(q: Question) -> Reply | None:
    """'Vad är den totala budgeten 2021?': what the budget comes to on its cost side, with the
    income beside it, each from the table's own total line."""
    if len(q.organisation_ids) != 1:
        return choose_organisation(q, q.organisations) if len(q.organisation_ids) > 1 else None
    org_id = q.organisation_ids[0]
    totals = [n for n, (sec, row_type) in line_sections(q, org_id).items() if sec == "kostnader" and row_type == "total"]
    if not totals:
        return None
    year = year_of(q, [(org_id, totals[0])])[0]
    costs = _section_total(q, org_id, "kostnader", year, "budget")
    if costs is None:
        return missing(q, f"någon budget {year}", f"any budget for {year}", what_exists(q, org_id, totals[0]))
    income = _section_total(q, org_id, "intäkter", year, "budget")
    name, f = costs
    text = q.t(f"Budget {f.year}: kostnader totalt {amount_text(f.amount, f.unit)} ({name})",
               f"Budget {f.year}: total costs {amount_text(f.amount, f.unit)} ({name})")
    cited = [f]
    if income is not None:
        text += q.t(f", intäkter totalt {amount_text(income[1].amount, income[1].unit)} ({income[0]})",
                    f", total income {amount_text(income[1].amount, income[1].unit)} ({income[0]})")
        cited.append(income[1])
    return Reply(text + ".", sources=sources_of(q, org_id, cited), language=q.language)


def _figures_of_group(q: Question, group: list[tuple[int, str]]) -> tuple[int, str, list[tuple[str, BudgetFigure]]] | Reply:
    """The year, the kind of figure and each line's figure the question asks of a group of lines; or
    the reply naming the lines that have no such figure."""
    year = year_of(q, group)[0]
    named = kinds_in_order(q)
    kind = named[0] if named else "budget"
    parts = [(n, figure(q, group[0][0], n, year, kind)) for _o, n in group]
    lacking = [n for n, f in parts if f is None]
    if lacking:
        return missing(q, f"{kind_name(q, kind)} {year} för {join_words(lacking)}",
                       f"{kind_name(q, kind)} {year} for {join_words(lacking, 'en')}")
    return year, kind, [(n, f) for n, f in parts if f is not None]


def group_share(q: Question, group: list[tuple[int, str]], whole_line: str | None) -> Reply:
    """'Hur stor andel av intäkterna betalar kommunerna?': the group's sum as a share of the total
    the question names (else of the first line's own total), every part shown."""
    found = _figures_of_group(q, group)
    if isinstance(found, Reply):
        return found
    year, kind, parts = found
    org_id = group[0][0]
    figures = [f for _n, f in parts]
    whole = None
    if whole_line is not None:
        w = figure(q, org_id, whole_line, year, kind)
        whole = (whole_line, w) if w is not None else None
    whole = whole or _whole_of(q, org_id, group[0][1], year, kind)
    total = sum(f.amount for f in figures)
    if whole is None or abs(whole[1].amount) < abs(total) or whole[1].amount == 0:
        return missing(q, f"någon total att räkna andelen av {year}", f"a total to take the share of in {year}")
    name, w = whole
    pct = percent(q, abs(total), abs(w.amount))
    listed = " + ".join(f"{n} {amount_text(f.amount, f.unit)}" for n, f in parts)
    who = group_word(q, group) or join_words([n for n, _f in parts])
    who = who[:1].upper() + who[1:]
    label = f"{kind_name(q, figures[0].kind)} {year}"
    return Reply(q.t(f"{who} står för {pct} av {name} ({label}: {amount_text(total, unit_of(*figures))} av "
                     f"{amount_text(w.amount, w.unit)}; {listed}).",
                     f"{who} make up {pct} of {name} ({label}: {amount_text(total, unit_of(*figures))} of "
                     f"{amount_text(w.amount, w.unit)}; {listed})."),
                 sources=sources_of(q, org_id, [*figures, w]), language=q.language)


def part_of_group(q: Question, part: str, group: list[tuple[int, str]], whole_name: str,
                  stated: dict[str, tuple[float, str, str]] | None = None) -> Reply:
    """'Hur stor andel av kommunernas bidrag står Umeå kommun för?': one line's share of the sum of
    the group the question names as the whole (the tables give no line for that sum, and their
    grand total is another whole); a share the table itself states on its own key is given too."""
    found = _figures_of_group(q, group)
    if isinstance(found, Reply):
        return found
    year, _kind, parts = found
    org_id = group[0][0]
    figures = [f for _n, f in parts]
    own = next(f for n, f in parts if n == part)
    total = sum(f.amount for f in figures)
    if total == 0:
        return missing(q, f"någon summa att räkna andelen av {year}", f"a sum to take the share of in {year}")
    pct = percent(q, abs(own.amount), abs(total))
    unit = unit_of(*figures)
    listed = " + ".join(f"{n} {amount_text(f.amount, f.unit)}" for n, f in parts)
    label = f"{kind_name(q, own.kind)} {year}"
    text = q.t(f"{part} står för {pct} av {whole_name} sammanlagt ({label}: {amount_text(own.amount, own.unit)} av "
               f"{amount_text(total, unit)}; {listed}).",
               f"{part} accounts for {pct} of {whole_name} together ({label}: {amount_text(own.amount, own.unit)} of "
               f"{amount_text(total, unit)}; {listed}).")
    if stated and part in stated:
        _value, written, key = stated[part]
        text += q.t(f" Tabellen anger själv {part}s andel som {written} av {key}.",
                    f" The table itself states {part}'s share as {written} of {key}.")
    return Reply(text, sources=sources_of(q, org_id, figures), language=q.language)


def _named_directly(q: Question, line: str) -> bool:
    """Whether a word of the question itself (not its English gloss) matches a distinctive word of the line."""
    return any(word_match(fold(t), fold(w)) >= 0.8 for t in tokens(line) if len(t) >= 3 and t not in ("summa", "delsumma")
               for w in q.words)


# Words that name grants made (not one grant by its name): "de beviljade insatserna", "the grants".
GRANTS_MADE = ("bevilj", "insatser", "insatserna", "grants", "granted", "ansökningar", "ansökningarna", "applications")


def grants_against_line(q: Question, org_id: int, line: str, events: list[tuple[GrantEvent, Grant]]) -> Reply:
    """'Överstiger de beviljade insatserna för 2024 den statliga medelstilldelningen?': the grants
    made (at the meeting or for the year asked) added up, against the line's figure of that year."""
    rows = [(e, g) for e, g in events if g.organisation_id == org_id]
    amounts = [(g.name, e.amount if e.amount is not None else g.max_amount) for e, g in rows]
    if not rows or any(a is None for _n, a in amounts):
        lacking = [n for n, a in amounts if a is None]
        return missing(q, f"belopp för {join_words(lacking)}" if lacking else "beviljade insatser för det som frågas",
                       f"amounts for {join_words(lacking, 'en')}" if lacking else "grants for what is asked")
    years = years_asked(q) or sorted({g.period_start.year for _e, g in rows if g.period_start})[-1:] or [
        q.ctx.today.year]
    if len(years) != 1:
        return missing(q, f"ett enda år att jämföra {line} med de beviljade insatserna",
                       f"a single year to compare {line} with the grants")
    named = kinds_in_order(q)
    f = figure(q, org_id, line, years[0], named[0]) if named else next(
        (g for k in budget.PREFERENCE if (g := figure(q, org_id, line, years[0], k)) is not None), None)
    if f is None:
        return missing(q, f"{named[0] if named else 'någon siffra'} {years[0]} för {line}",
                       f"{named[0] if named else 'any figure'} {years[0]} for {line}", what_exists(q, org_id, line))
    total = sum(a or 0 for _n, a in amounts)
    size = abs(f.amount)
    delta = total - size

    def period(g: Grant) -> str:
        # A grant running past the year is said to: its amount is for the whole period.
        if g.period_start and g.period_end and (g.period_start.year, g.period_end.year) != (f.year, f.year):
            return f" ({g.period_start.isoformat()} – {g.period_end.isoformat()})"
        return ""

    listed = " + ".join(f"{g.name} {kr(a or 0)}{period(g)}" for (_e, g), (_n, a) in zip(rows, amounts, strict=True))
    days = sorted({e.date.isoformat() for e, _g in rows if e.date})
    label = f"{kind_name(q, f.kind)} {f.year}{to_date(q, f)}"
    if "share" in q.reading_facets:
        verdict_sv = f" De beviljade insatserna är {percent(q, total, size)} av {line}." if size else ""
        verdict_en = f" The grants are {percent(q, total, size)} of {line}." if size else ""
    elif delta == 0:
        verdict_sv, verdict_en = " Lika mycket (0 kr skillnad).", " The same (no difference)."
    else:
        verdict_sv = (f" Skillnad {kr(abs(delta))}: de beviljade insatserna är {kr(abs(delta))} "
                      f"{'mer' if delta > 0 else 'mindre'} än {line}.")
        verdict_en = (f" Difference {kr(abs(delta))}: the grants are {kr(abs(delta))} "
                      f"{'more' if delta > 0 else 'less'} than {line}.")
    text = q.t(f"Beviljade insatser ({', '.join(days)}): {kr(total)} ({listed}). {line} ({label}): "
               f"{amount_text(f.amount, f.unit)}.{verdict_sv}",
               f"Grants made ({', '.join(days)}): {kr(total)} ({listed}). {line} ({label}): "
               f"{amount_text(f.amount, f.unit)}.{verdict_en}")
    sources = list(dict.fromkeys([grants._source(q, g, e) for e, g in rows] + sources_of(q, org_id, [f])))
    return Reply(text, sources=sources, language=q.language)


# Words that name the other grants of the same decision ("de tre andra ansökningarna", "the rest").
OTHER_GRANTS = ("andra", "övriga", "ovriga", "resten", "others", "other", "rest")


def listed_rest(amounts: list[tuple[Grant, GrantEvent, int | None]]) -> str:
    return " + ".join(f"{g.name} {kr(a or 0)}" for g, _e, a in amounts)


def grant_against_rest(q: Question, named: Grant, share_asked: bool = False) -> Reply:
    """'Hur mycket mer fick Arbetsmarknadstorget än de tre andra ansökningarna tillsammans?': the
    named grant against the others granted at the same meeting, added up, every one shown."""
    event = grants._granting_event(q, named)
    if event is None or event.date is None:
        return missing(q, f"något beviljande för {named.name}", f"any grant decision for {named.name}")
    rows = list(q.session.exec(select(GrantEvent, Grant).join(Grant, col(Grant.id) == GrantEvent.grant_id).where(
        Grant.organisation_id == named.organisation_id, GrantEvent.date == event.date,
        col(GrantEvent.status).in_(grants.GRANTED))).all())
    others = [(e, g) for e, g in rows if g.id != named.id]
    own = event.amount if event.amount is not None else named.max_amount
    amounts = [(g, e, e.amount if e.amount is not None else g.max_amount) for e, g in others]
    if own is None or not others or any(a is None for _g, _e, a in amounts):
        return missing(q, f"belopp för {named.name} och de andra insatserna beviljade {event.date.isoformat()}",
                       f"amounts for {named.name} and the other grants made on {event.date.isoformat()}")
    rest = sum(a or 0 for _g, _e, a in amounts)
    if share_asked:
        total = own + rest
        return Reply(q.t(f"{named.name} fick {kr(own)} av {kr(total)} som beviljades {event.date.isoformat()}, det vill "
                         f"säga {percent(q, own, total)} ({named.name} {kr(own)} + {listed_rest(amounts)}).",
                         f"{named.name} got {kr(own)} of the {kr(total)} granted on {event.date.isoformat()}, that is "
                         f"{percent(q, own, total)} ({named.name} {kr(own)} + {listed_rest(amounts)})."),
                     sources=list(dict.fromkeys([grants._source(q, named, event)] + [grants._source(q, g, e)
                                                                                       for g, e, _a in amounts])),
                     language=q.language)
    delta = own - rest
    listed = " + ".join(f"{g.name} {kr(a or 0)}" for g, _e, a in amounts)
    word_sv = "lika mycket som" if delta == 0 else f"{kr(abs(delta))} {'mer' if delta > 0 else 'mindre'} än"
    word_en = "the same as" if delta == 0 else f"{kr(abs(delta))} {'more' if delta > 0 else 'less'} than"
    sources = list(dict.fromkeys([grants._source(q, named, event)] + [grants._source(q, g, e) for g, e, _a in amounts]))
    return Reply(q.t(f"{named.name} fick {kr(own)} ({event.date.isoformat()}), {word_sv} de {len(others)} andra "
                     f"tillsammans, {kr(rest)} ({listed}).",
                     f"{named.name} got {kr(own)} ({event.date.isoformat()}), {word_en} the {len(others)} others "
                     f"together, {kr(rest)} ({listed})."), sources=sources, language=q.language)
