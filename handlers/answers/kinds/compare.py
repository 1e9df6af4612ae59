"""Figures compared and combined: budget against prognos against utfall, change between
years, the sum of several lines, the largest or smallest line."""

from __future__ import annotations

from sqlmodel import select

from handlers.answers import budget, grants
from handlers.answers.core import Question, source_for
from handlers.answers.dates import period_ends
from handlers.answers.text import amount_text, fold, join_words, kr, tokens, word_match
from handlers.messages import Reply, Source
from handlers.understanding.kinds import Kind, register
from storage.models import BudgetFigure
from storage.search import stem

CUES = {
    "difference": (1.2, ("skillnad", "skiljer", "differ", "under budget", "över budget", "jämfört", "compared",
                         "versus", "vs=", "mot budget", "avvik", "deviat", "överskrid", "överstig", "exceed", "below budget", "mindre än", "lägre än", "högre än",
                         "större än", "mer än", "less than", "more than", "lower than", "higher than",
                         "larger than", "smaller than", "bigger than", "greater than", "fewer than", "gap between",
                         "how much larger", "how much smaller", "how much higher", "how much lower",
                         "how much bigger", "hur mycket större", "hur mycket mindre", "hur mycket högre",
                         "hur mycket lägre",
                         "above budget", "under=", "över=")),
    "change": (1.2, ("ökar", "ökning", "ökade", "minskar", "minskning", "minskade", "increase", "decrease", "mer=",
                     "more=", "bättre än", "sämre än", "better than", "worse than",
                     "förändr", "change", "grow", "rise", "fall", "höjs", "höjdes", "höjt", "höjning", "sänks",
                     "sänktes", "sänkt=", "sänkning", "går upp", "gick upp", "går ner", "gick ner", "go up", "goes up",
                     "went up", "go down", "goes down", "went down", "drop", "cut=", "cuts", "reduced", "raised")),
    "sum": (1.1, ("sammanlagt", "totalt", "summa", "tillsammans", "in total", "altogether", "combined",
                  # "sum of", not "sum" alone: "What sum was granted to X?" asks one amount.
                  "sum of", "the sum", "in sum",
                  "total=")),
    "largest": (1.2, ("störst", "högst", "largest", "biggest", "highest", "most=", "mest=")),
    "smallest": (1.2, ("minst", "lägst", "smallest", "lowest", "least")),
    # How many lines of a kind ("hur många kommuner bidrar"): counted only where money is asked (see _fit).
    "count": (0.9, ("hur många", "how many", "antal", "number of")),
    # The figures compared: a hint only, so that the guard sees them as this kind's own words.
    "figure_kind": (0.2, ("budget", "prognos", "forecast", "utfall", "outcome", "actual", "plan=")),
}


# Words that put a count among the budget's lines: money paid, received or spent.
MONEY_WORDS = ("bidr", "betal", "pengar", "money", "pay", "contribut", "budget", "kostnad", "cost", "intäkt", "income",
               "medlemsbidrag", "finansier", "fund")


def _fit(q: Question) -> float:
    if q.cues.any(CUES["count"][1]) and not q.cues.any(MONEY_WORDS):
        return -1.5  # "hur många kommuner har ledamöter" counts people, not lines
    if q.named("budget_line") or len(q.named("grant")) >= 2 or _category(q):
        return 0.0
    return -1.5


def _count_lines(q: Question, lines: list[tuple[int, str]]) -> Reply:
    """'Hur många kommuner bidrar 2019?': the lines of the kind named, counted, with their figures."""
    years = _years(q) or [q.ctx.today.year]
    kind = (_asked_kinds(q) or ["budget"])[0]
    figures = [(line, _figure(q, org_id, line, years[0], kind)) for org_id, line in lines]
    present = [(line, f) for line, f in figures if f is not None]
    if not present:
        return _missing(q, f"{kind} {years[0]} för {join_words([line for _o, line in lines])}")
    org = q.organisation(lines[0][0])
    parts = ", ".join(f"{line} {amount_text(f.amount, f.unit)}" for line, f in present)
    sources = list(dict.fromkeys(source_for(q.session, org, f.document_id, f.paragraph_id) for _l, f in present))
    return Reply(q.t(f"{len(present)} st ({kind} {years[0]}): {parts}.",
                     f"{len(present)} ({kind} {years[0]}): {parts}."), sources=sources, language=q.language)


def _category(q: Question) -> list[tuple[int, str]]:
    """Lines that share a word the question names in the plural: "kommunerna" -> every "X kommun"."""
    if len(q.organisation_ids) != 1:
        return []
    rows = q.session.exec(select(BudgetFigure.organisation_id, BudgetFigure.line).where(
        BudgetFigure.organisation_id == q.organisation_ids[0]).distinct()).all()
    out: list[tuple[int, str]] = []
    for w in q.words:
        if len(w) < 5:
            continue
        stemmed = stem(w)
        matched = [(o, line, next(t for t in tokens(line) if stem(t) == stemmed)) for o, line in rows
                   if not line.lower().startswith(("summa", "delsumma")) and any(stem(t) == stemmed for t in tokens(line))]
        # "X kommun" lines are the members; "Bidrag kommuner" beside them is the members together.
        shortest = min((len(t) for _o, _l, t in matched), default=0)
        hits = [(o, line) for o, line, t in matched if len(t) == shortest]
        if len(hits) >= 2:
            out = hits
    if not out and q.cues.any(MEMBER_WORDS):
        # "Which member pays most": the lines of the members' contributions.
        out = [(o, line) for o, line in q.session.exec(select(BudgetFigure.organisation_id, BudgetFigure.line).where(
            BudgetFigure.organisation_id == q.organisation_ids[0], BudgetFigure.section == "medlemsbidrag",
            BudgetFigure.row_type == "line").distinct()).all()]
        out = out if len(out) >= 2 else []
    return out


MEMBER_WORDS = ("medlem", "member", "huvudm")


def _grant_difference(q: Question) -> Reply | None:
    """'Hur mycket mer fick A än B?': two grants' amounts and the difference."""
    # One grant per name: the latest effort under it (a name may be reused for a later one).
    latest: dict[str, int] = {}
    for m in q.named("grant"):
        if m.entry.ref is not None:
            latest[m.entry.name] = max(latest.get(m.entry.name, 0), m.entry.ref)
    chosen = [grants.GrantName(ref, 0, name, None) for name, ref in latest.items()]
    if len(chosen) != 2:
        return None
    loaded = grants._load(q, chosen)
    if len(loaded) != 2:
        return None
    a, b = loaded
    if a.max_amount is None or b.max_amount is None:
        return _missing(q, f"belopp för både {a.name} och {b.name}")
    delta = abs(a.max_amount - b.max_amount)
    more, less = (a, b) if a.max_amount >= b.max_amount else (b, a)
    sources = [grants._source(q, g, grants._granting_event(q, g)) for g in (a, b)]
    return Reply(q.t(f"{more.name} fick {kr(delta)} mer än {less.name} ({kr(more.max_amount or 0)} mot "
                     f"{kr(less.max_amount or 0)}).",
                     f"{more.name} got {kr(delta)} more than {less.name} ({kr(more.max_amount or 0)} against "
                     f"{kr(less.max_amount or 0)})."), sources=sources, language=q.language)


def _years(q: Question) -> list[int]:
    years: list[int] = []
    for span in q.dates:
        if span.year_given and span.start.year not in years:
            years.append(span.start.year)
    return years


def _flat_period(q: Question, figure: BudgetFigure) -> str:
    """The figure's period as a clause inside brackets: ", t.o.m. 2019-08-31, inte helår"."""
    period = budget._period(q, figure)
    return ", " + period.strip()[1:-1] if period else ""


def _asked_kinds(q: Question) -> list[str]:
    """The kinds of figure the question asks; a part of a year from its start asks the outcome to its end."""
    return budget._kinds(q) or (["utfall"] if period_ends(q.dates) else [])


def _figure(q: Question, org_id: int, line: str, year: int, kind: str) -> BudgetFigure | None:
    figures = list(q.session.exec(select(BudgetFigure).where(
        BudgetFigure.organisation_id == org_id, BudgetFigure.line == line, BudgetFigure.year == year,
        BudgetFigure.kind == kind)).all())
    ends = period_ends(q.dates)
    if ends and kind == "utfall":
        figures = [f for f in figures if f.as_of == ends[0]]
    return budget._pick(figures, q) if figures else None


def _missing(q: Question, what: str) -> Reply:
    return Reply(q.t(f"Handlingarna har inte {what}.", f"The documents do not have {what}."), answered=False,
                 language=q.language)


def _sum_lines(q: Question, lines: list[tuple[int, str]]) -> Reply:
    years = _years(q) or [q.ctx.today.year]
    kinds = _asked_kinds(q) or ["budget"]
    org = q.organisation(lines[0][0])
    figures = [(line, _figure(q, org_id, line, years[0], kinds[0])) for org_id, line in lines]
    present = [(line, f) for line, f in figures if f is not None]
    if len(present) != len(figures):
        missing = [line for line, f in figures if f is None]
        return _missing(q, f"{kinds[0]} {years[0]} för {join_words(missing)}")
    total = sum(f.amount for _l, f in present)
    unit = "tkr" if all(f.unit == "tkr" for _l, f in present) else "kr"
    parts = ", ".join(f"{line} {amount_text(f.amount, f.unit)}" for line, f in present)
    sources = list(dict.fromkeys(source_for(q.session, org, f.document_id, f.paragraph_id) for _l, f in present))
    return Reply(q.t(f"Sammanlagt {kinds[0]} {years[0]}: {amount_text(total, unit)} ({parts}).",
                     f"Together, {kinds[0]} {years[0]}: {amount_text(total, unit)} ({parts})."),
                 sources=sources, language=q.language)


def _extreme_of(q: Question, lines: list[tuple[int, str]], largest: bool) -> Reply:
    """The largest or smallest of lines the question names as a group ("vilken kommun …")."""
    years = _years(q) or [q.ctx.today.year]
    kind = (_asked_kinds(q) or ["budget"])[0]
    figures = [(line, _figure(q, org_id, line, years[0], kind)) for org_id, line in lines]
    present = [(line, f) for line, f in figures if f is not None]
    if not present:
        return _missing(q, f"{kind} {years[0]} för {join_words([line for _o, line in lines])}")
    line, pick = (max if largest else min)(present, key=lambda x: abs(x[1].amount))
    org = q.organisation(lines[0][0])
    word = q.t("störst" if largest else "minst", "the largest" if largest else "the smallest")
    others = ", ".join(f"{name} {amount_text(f.amount, f.unit)}" for name, f in present)
    return Reply(q.t(f"{line} har {word} belopp ({kind} {years[0]}): {amount_text(pick.amount, pick.unit)}. "
                     f"Alla: {others}.",
                     f"{line} has {word} amount ({kind} {years[0]}): {amount_text(pick.amount, pick.unit)}. "
                     f"All: {others}."),
                 sources=[source_for(q.session, org, pick.document_id, pick.paragraph_id)], language=q.language)


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
    return section or named, own


# Kinds of member body a question may choose among ("vilken kranskommun", "which municipality"):
# the word in a member's name, and the question words that ask for it (folded, inside compounds too).
MEMBER_TYPES = {"kommun": ("kommun", "municipal"), "region": ("region", "landsting", "county")}


def _of_member_type(q: Question, org_id: int, by_line: dict[str, BudgetFigure]) -> dict[str, BudgetFigure]:
    """The lines that stand for a member body of the kind the question asks about: "Vännäs" for
    Vännäs kommun when it asks which kommun. Lines of other things drop out."""
    for member_word, cues in MEMBER_TYPES.items():
        if not any(c in fold(w) for w in q.words for c in cues):
            continue
        # The members: those the protocols name, and those paying a contribution in the budget.
        members = {e.name for e in q.lexicon.entries if e.kind == "member_body" and e.organisation_id == org_id}
        members |= set(q.session.exec(select(BudgetFigure.line).where(
            BudgetFigure.organisation_id == org_id, BudgetFigure.section == "medlemsbidrag")).all())
        places = [tokens(m)[0] for m in members if member_word in fold(m) and tokens(m)]
        if any(member_word in fold(line) for line in by_line):
            return by_line  # the lines name the members themselves ("Habo kommun")
        return {line: f for line, f in by_line.items() if 0 < len(tokens(line)) <= 2
                and any(word_match(tokens(line)[0], p) == 1.0 for p in places)}
    return by_line


def _extreme_line(q: Question, org_id: int, named: str, year: int, kind: str, largest: bool) -> Reply:
    """'Vilken kostnadspost är störst 2021?': the largest line among those the named line stands
    for (see `_parts_of`); a choice among fewer than two lines answers nothing."""
    section, by_line = _parts_of(q, org_id, named, year, kind)
    by_line = _of_member_type(q, org_id, by_line)
    org = q.organisation(org_id)
    if len(by_line) < 2:
        return _missing(q, f"{kind} {year} för flera poster under {section} att jämföra")
    pick = (max if largest else min)(by_line.values(), key=lambda f: abs(f.amount))
    word = q.t("störst" if largest else "minst", "the largest" if largest else "the smallest")
    # The others are listed when few enough to read in a chat line.
    others = ": " + ", ".join(f"{name} {amount_text(f.amount, f.unit)}" for name, f in by_line.items()) \
        if len(by_line) <= 6 else ""
    # Lines sharing the extreme are all named: none of them is "the" largest alone.
    tied = [name for name, f in by_line.items() if abs(f.amount) == abs(pick.amount)]
    return Reply(q.t(f"{join_words(tied)} har {word} {kind} {year} bland {section}: "
                     f"{amount_text(pick.amount, pick.unit)}{' var' if len(tied) > 1 else ''} "
                     f"(av {len(by_line)} poster{others}).",
                     f"{join_words(tied, 'en')} {'has' if len(tied) == 1 else 'have'} {word} {kind} {year} among "
                     f"{section}: {amount_text(pick.amount, pick.unit)}{' each' if len(tied) > 1 else ''} "
                     f"(of {len(by_line)} lines{others})."),
                 sources=[source_for(q.session, org, pick.document_id, pick.paragraph_id)], language=q.language)


def answer(q: Question) -> Reply | None:
    facets = set(q.reading_facets)
    if facets & {"difference", "change"} and len(q.named("grant")) >= 2:
        reply = _grant_difference(q)
        if reply is not None:
            return reply
    mentions = q.named("budget_line")
    if "count" in facets:
        group = _category(q)
        return _count_lines(q, group) if group else None
    if "sum" in facets and (len(mentions) < 2):
        group = _category(q)
        if group:
            return _sum_lines(q, group)
    if not mentions:
        group = _category(q)
        if group and facets & {"largest", "smallest"}:
            return _extreme_of(q, group, "largest" in facets)
        return None
    top = mentions[0].score
    best = [m for m in mentions if m.score >= top - 0.02]
    org_ids = {m.entry.organisation_id for m in best}
    if len(org_ids) != 1:
        return None
    org_id = next(iter(org_ids))
    assert org_id is not None
    org = q.organisation(org_id)
    years = _years(q) or [q.ctx.today.year]
    kinds = _asked_kinds(q)
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
    names = list(dict.fromkeys(m.entry.name for m in best))
    if facets & {"difference", "change"} and len(names) == 2 and len(_years(q)) <= 1:
        # Two lines named, one year: the difference between the lines ("Enter than FIA"), not
        # between budget and forecast of one of them.
        kind = kinds[0] if kinds else "budget"
        one = _figure(q, org_id, names[0], years[0], kind)
        other = _figure(q, org_id, names[1], years[0], kind)
        if one is None or other is None:
            return _missing(q, f"{kind} {years[0]} för {join_words(names)}")
        cite(one)
        cite(other)
        delta = abs(abs(one.amount) - abs(other.amount))
        unit = "tkr" if one.unit == other.unit == "tkr" else "kr"
        bigger = names[0] if abs(one.amount) >= abs(other.amount) else names[1]
        return Reply(q.t(f"Skillnaden mellan {names[0]} och {names[1]} ({kind} {years[0]}{_flat_period(q, one)}) är "
                         f"{amount_text(delta, unit)} ({names[0]}: {amount_text(one.amount, one.unit)}, "
                         f"{names[1]}: {amount_text(other.amount, other.unit)}; {bigger} är högst).",
                         f"The difference between {names[0]} and {names[1]} ({kind} {years[0]}{_flat_period(q, one)}) is "
                         f"{amount_text(delta, unit)} ({names[0]}: {amount_text(one.amount, one.unit)}, "
                         f"{names[1]}: {amount_text(other.amount, other.unit)}; {bigger} is bigger)."),
                     sources=sources, language=q.language)
    line = best[0].entry.name
    if facets & {"largest", "smallest"}:
        return _extreme_line(q, org_id, line, years[0], kinds[0] if kinds else "budget", "largest" in facets)
    if facets & {"change", "difference"} and len(years) >= 2 and len(names) == 1:
        kind = kinds[0] if kinds else "budget"
        first, last = min(years), max(years)
        order = [kind] + [k for k in budget.PREFERENCE if k != kind]
        a = next((f for k in order if (f := _figure(q, org_id, line, first, k)) is not None), None)
        b = next((f for k in order if (f := _figure(q, org_id, line, last, k)) is not None), None)
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
        delta = abs(a.amount - b.amount)
        unit = "tkr" if a.unit == b.unit == "tkr" else "kr"
        # Costs written negative compare by size: −1 969 tkr is the higher cost, not the lower figure.
        both_costs = a.amount < 0 and b.amount < 0
        higher = a if (abs(a.amount) >= abs(b.amount) if both_costs else a.amount >= b.amount) else b
        return Reply(q.t(f"Skillnaden mellan {a.kind} och {b.kind} {year} för {line} är {amount_text(delta, unit)} "
                         f"({a.kind}{budget._period(q, a)}: {amount_text(a.amount, a.unit)}, {b.kind}{budget._period(q, b)}: {amount_text(b.amount, b.unit)}; "
                         f"{higher.kind} är högst).",
                         f"The difference between {a.kind} and {b.kind} {year} for {line} is {amount_text(delta, unit)} "
                         f"({a.kind}{budget._period(q, a)}: {amount_text(a.amount, a.unit)}, {b.kind}{budget._period(q, b)}: {amount_text(b.amount, b.unit)}; "
                         f"{higher.kind} is higher)."),
                     sources=sources, language=q.language)
    return budget.answer(q)


KIND = register(Kind(name="compare", label_sv="en jämförelse av siffror", label_en="a comparison of figures",
                     cues=CUES, answer=answer, entities=("budget_line", "grant"), entity_weight=0.8, fit=_fit, order=2,
                     figure=True, vetoes=("varför", "why", "how come", "beslut", "beslöt", "bestämde", "bestämt", "decide", "decision")))


