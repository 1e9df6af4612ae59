"""Two figures against each other: budget against prognos or utfall, one year against another, one
line against another or against a group, and which line changed most. Each answer shows both
operands, the difference in kronor and in per cent, and cites both."""

from __future__ import annotations

import datetime as dt
import re

from sqlmodel import select

from handlers.answers import budget
from handlers.answers.core import Question, choose_organisation
from handlers.answers.dates import DateSpan, period_ends
from handlers.answers.figure_aggregates import NOT_COSTS
from handlers.answers.figures import (
    MEMBER_TYPES,
    Operand,
    actual,
    figure,
    group_word,
    kind_name,
    kinds_in_order,
    latest_year,
    line_sections,
    missing,
    signed_percent,
    sources_of,
    standing_note,
    to_date,
    unit_of,
    what_exists,
    years_in_order,
)
from handlers.answers.text import amount_text, count_text, fold, join_words, tokens, word_match
from handlers.messages import Reply
from storage.models import BudgetFigure
from storage.search import stem


def compare_two(q: Question, org_id: int, ref: Operand, other: Operand, naming: str,
                 parts: list[BudgetFigure] | None = None) -> Reply:
    """`other` against `ref`: how much higher or lower, in kronor and per cent of `ref`. Costs
    written negative compare by size (−1 969 tkr is the higher cost)."""
    a, b = ref.figure, other.figure
    both_costs = a.amount < 0 and b.amount < 0 and not (_is_result(a) or _is_result(b))
    x, y = (abs(a.amount), abs(b.amount)) if both_costs else (_by_size(a), _by_size(b))
    delta = y - x
    unit = unit_of(a, b)
    pct = signed_percent(q, delta, x)
    pct_text = f" ({pct})" if pct else ""
    if naming == "kinds":
        ref_name, other_name = ref.label(q), other.label(q)
        head = f"{ref.line}: {ref_name} {amount_text(a.amount, a.unit)}, {other_name} {amount_text(b.amount, b.unit)}."
    else:
        ref_name, other_name = ref.line, other.line
        head = (f"{other.line} ({other.label(q)}) {amount_text(b.amount, b.unit)}, {ref.line} ({ref.label(q)}) "
                f"{amount_text(a.amount, a.unit)}.")
    if delta == 0:
        verdict = q.t(f" Ingen skillnad (0 kr): {other_name} är lika med {ref_name}.",
                      f" No difference (0 kr): {other_name} equals {ref_name}.")
    else:
        more = delta > 0
        verdict = q.t(f" Skillnad {amount_text(abs(delta), unit)}: {other_name} är {amount_text(abs(delta), unit)} "
                      f"{'högre' if more else 'lägre'} än {ref_name}{pct_text}.",
                      f" Difference {amount_text(abs(delta), unit)}: {other_name} is {amount_text(abs(delta), unit)} "
                      f"{'higher' if more else 'lower'} than {ref_name}{pct_text}.")
    for op in (ref, other):
        verdict += standing_note(q, op)
    cited = [f for f in (a, b) if f.id is not None] + (parts or [])
    return Reply(head + verdict, sources=sources_of(q, org_id, cited), language=q.language)


def kinds_difference(q: Question, org_id: int, line: str, year: int) -> Reply:
    """One line, one year: budget (or plan) against forecast or outcome, as the question names them."""
    named = kinds_in_order(q)
    if len(named) >= 3:
        # "budget kontra utfall t.o.m. T2 och prognos": the reference against each of the others.
        ref_kind = next((k for k in named if k in ("budget", "plan")), named[0])
        ref = figure(q, org_id, line, year, ref_kind)
        others = [(k, figure(q, org_id, line, year, k)) for k in named if k != ref_kind]
        lacking = [k for k, f in ((ref_kind, ref), *others) if f is None]
        if ref is None or lacking:
            return missing(q, f"{join_words(lacking)} {year} för {line}",
                           f"{join_words(lacking, 'en')} {year} for {line}", what_exists(q, org_id, line))
        replies = [compare_two(q, org_id, Operand(line, ref, ref_kind), Operand(line, f, k), "kinds")
                   for k, f in others if f is not None]
        if not all(r.answered for r in replies):
            return next(r for r in replies if not r.answered)
        return Reply("\n".join(r.text for r in replies), sources=list(dict.fromkeys(s for r in replies
                                                                                    for s in r.sources)),
                     language=q.language)
    if len(named) >= 2:
        ref_kind, other_kind = (named[0], named[1]) if named[0] in ("budget", "plan") or named[1] not in (
            "budget", "plan") else (named[1], named[0])
        ref = figure(q, org_id, line, year, ref_kind)
        other = figure(q, org_id, line, year, other_kind)
    elif named and named[0] in ("prognos", "utfall"):
        ref_kind, other_kind = "budget", named[0]
        ref = figure(q, org_id, line, year, "budget")
        other = figure(q, org_id, line, year, other_kind)
    else:
        ref_kind = named[0] if named else "budget"
        ref = figure(q, org_id, line, year, ref_kind)
        # "Hur står sig X efter T2 jämfört med budget?": a point of the year named asks the outcome to it;
        # "enligt T2" names the report, whose figure for the year is its forecast.
        to_point = figure(q, org_id, line, year, "utfall") if period_ends(q.dates) and not q.cues.any(
            REPORT_SAYS) else None
        other = to_point or actual(q, org_id, line, year)
        other_kind = other.kind if other is not None else q.t("utfall eller prognos", "outcome or forecast")
    if ref is None or other is None:
        lacking = [k for k, f in ((ref_kind, ref), (other_kind, other)) if f is None]
        whole = budget.asks_year_outcome(q)
        # "the actual 2021 result": what is missing is the year's whole outcome (one to a tertial may exist).
        sv = [f"{k} för helåret" if k == "utfall" and whole else k for k in lacking]
        en = ["full-year outcome" if k == "utfall" and whole else kind_name(q, k) for k in lacking]
        return missing(q, f"{join_words(sv)} {year} för {line}",
                        f"{join_words(en, 'en')} {year} for {line}", what_exists(q, org_id, line))
    if ref.id == other.id:
        return missing(q, f"två olika siffror att jämföra för {line} {year}",
                        f"two different figures to compare for {line} {year}", what_exists(q, org_id, line))
    # An outcome asked by name may be one to a tertial (the only one the report has): compare_two
    # labels it "utfall 2019 t.o.m. 2019-08-31", so it is never taken for the year's.
    return compare_two(q, org_id, Operand(line, ref, ref_kind), Operand(line, other, other_kind), "kinds")



# Words that name a report as where the figure is said ("enligt T2", "according to the T2 report").
REPORT_SAYS = ("enligt", "according to", "as reported", "as stated in")

# "The same part of another year": the other side of a comparison over time.
SAME_PERIOD = ("samma period", "samma tid", "samma tidpunkt", "motsvarande period", "same period", "same time",
               "corresponding period", "same point")


def _same_day(day: dt.date, year: int) -> dt.date:
    """The same day and month in another year (the 28th for the 29th of February)."""
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def _year_outcome(q: Question, org_id: int, line: str, year: int) -> BudgetFigure | None:
    """What a year gone by came to: its full-year outcome, if stated."""
    f = figure(q, org_id, line, year, "utfall")
    return f if f is not None and budget._full_year(f) else None


def _word_position(q: Question, stems: tuple[str, ...]) -> int:
    """Where in the question's text the first word beginning with one of `stems` stands."""
    for m in re.finditer(r"\w+", fold(q.text.lower())):
        if any(m.group(0).startswith(fold(s.rstrip("="))) for s in stems):
            return m.start()
    return 10_000


def between_years(q: Question, org_id: int, line: str, years: list[int]) -> Reply:
    """One line in two years: the change, in kronor and per cent of the first year. Two kinds
    named with two years pair in the order written ("prognosen 2020 och budgeten 2021")."""
    named = kinds_in_order(q)
    # A change runs from the earlier year to the later, however the question orders them ("2021
    # jämfört med 2020"); two kinds named pair with the years in the order written.
    if len(named) >= 2:
        kinds = {years[0]: named[0], years[-1]: named[1]}
    else:
        kinds = {min(years): named[0], max(years): named[0]} if named else {}
    if len(named) == 1 and len(years) == 2:
        # "vid årsskiftet 2018/19 jämfört med bedömningen för slutet av 2019": the one kind named
        # belongs to the year written after it; the year before it that lacks that kind is given
        # by what it has (its budget, or what it came to), each labelled.
        at = _word_position(q, budget.KIND_WORDS[named[0]])
        before = [y for y in years if _word_position(q, (str(y),)) < at]
        if len(before) == 1 and figure(q, org_id, line, before[0], named[0]) is None \
                and all(figure(q, org_id, line, y, named[0]) for y in years if y != before[0]):
            del kinds[before[0]]
    first, last = min(years), max(years)
    periods = {d.start.year: d for d in q.dates if d.year_given and (d.start.month, d.end.month) != (1, 12)}
    if len(periods) == 1 and q.cues.any(SAME_PERIOD):
        # "Resultatet per T2 2020 jämfört med samma period 2019": the other year to the same day.
        (year_of_period, span), = periods.items()
        other = last if year_of_period == first else first
        periods[other] = DateSpan(_same_day(span.start, other), _same_day(span.end, other), span.exact)
    if not periods and (not kinds or set(kinds.values()) == {"utfall"}):
        day = _day_of_outcomes(q, org_id, line)
        if day is not None:
            # "per 30 april mellan 2020 och 2021": the outcome to that day in each year, the same
            # kind of figure at both ends (never the budgets of the two years).
            periods = {y: DateSpan(_same_day(day, y), _same_day(day, y), True) for y in (first, last)}
    if len(periods) == 2 and (not kinds or set(kinds.values()) == {"utfall"}):
        return between_periods(q, org_id, line, [periods[first], periods[last]])
    if not kinds:
        # One kind for both years where both have it ("budget 2020 … budget 2021"), else each year's own.
        common = [k for k in budget.PREFERENCE if all(figure(q, org_id, line, y, k) for y in (first, last))]
        if common:
            kinds = {first: common[0], last: common[0]}
    ops: list[Operand] = []
    for year in (first, last):
        if year in kinds:
            f = figure(q, org_id, line, year, kinds[year])
            asked = kinds[year]
        else:
            f = next((g for k in ("budget", "prognos", "plan") if (g := figure(q, org_id, line, year, k)) is not None),
                     None) or _year_outcome(q, org_id, line, year)
            asked = f.kind if f is not None else "budget"
        if f is None:
            return missing(q, f"{kinds.get(year, 'någon siffra')} {year} för {line}",
                            f"{kinds.get(year, 'any figure')} {year} for {line}",
                            what_exists(q, org_id, line))
        ops.append(Operand(line, f, asked))
    a, b = ops
    x, y = a.figure.amount, b.figure.amount
    if x < 0 and y < 0 and not _is_result(a.figure):
        x, y = abs(x), abs(y)
    delta = y - x
    unit = unit_of(a.figure, b.figure)
    pct = signed_percent(q, delta, x)
    pct_text = f" ({pct})" if pct else ""
    if delta == 0:
        word_sv, word_en = "är oförändrad", "is unchanged"
    else:
        word_sv = ("ökar" if delta > 0 else "minskar") + f" med {amount_text(abs(delta), unit)}{pct_text}"
        word_en = ("increases" if delta > 0 else "decreases") + f" by {amount_text(abs(delta), unit)}{pct_text}"
    la, lb = a.label(q), b.label(q)
    text = q.t(f"{line} {word_sv} från {la} till {lb} ({la}: {amount_text(a.figure.amount, a.figure.unit)}, "
               f"{lb}: {amount_text(b.figure.amount, b.figure.unit)}).",
               f"{line} {word_en} from {la} to {lb} ({la}: {amount_text(a.figure.amount, a.figure.unit)}, "
               f"{lb}: {amount_text(b.figure.amount, b.figure.unit)}).")
    text += standing_note(q, a) + standing_note(q, b)
    return Reply(text, sources=sources_of(q, org_id, [a.figure, b.figure]), language=q.language)


# A run of years written with its ends ("2021–2023", "2021 till 2023", "from 2021 to 2023").
_YEAR_RUN = re.compile(r"\b(19[89]\d|20\d\d)\s*(?:[–—-]|till|to|through|until|tom|t\.o\.m\.)\s*(19[89]\d|20\d\d)\b",
                       re.IGNORECASE)


_A_YEAR = re.compile(r"(?<![\w/-])(?:199\d|20[0-4]\d)(?![\w/-])")


def years_spanned(q: Question) -> list[int]:
    """Every year a question names, a run of years counted whole ("totalt 2021–2023": 2021, 2022, 2023),
    each year of an enumeration too ("2021, 2022 och 2023")."""
    years = list(years_in_order(q))
    years += [y for y in (int(m.group(0)) for m in _A_YEAR.finditer(q.text)) if y not in years]
    for m in _YEAR_RUN.finditer(q.text):
        first, last = int(m.group(1)), int(m.group(2))
        if first < last <= first + 20:
            years += [y for y in range(first, last + 1) if y not in years]
    return sorted(set(years))


def over_years(q: Question, org_id: int, line: str, years: list[int]) -> Reply:
    """One line summed over several years ("Projekt ARCH sammanlagt 2021–2023"): each year's figure of
    the kind asked, else its budget, forecast or plan; not answered when a year has none."""
    named = kinds_in_order(q)
    ops: list[Operand] = []
    for year in years:
        kinds = named[:1] or ["budget", "prognos", "plan"]
        f = next((g for k in kinds if (g := figure(q, org_id, line, year, k)) is not None), None)
        if f is None:
            return missing(q, f"{named[0] if named else 'någon siffra'} {year} för {line}",
                           f"{named[0] if named else 'any figure'} {year} for {line}", what_exists(q, org_id, line))
        ops.append(Operand(line, f, f.kind))
    unit = unit_of(*(op.figure for op in ops))
    total = sum(op.figure.amount for op in ops)
    each = ", ".join(f"{op.label(q)}: {amount_text(op.figure.amount, op.figure.unit)}" for op in ops)
    text = q.t(f"{line} sammanlagt {years[0]}–{years[-1]}: {amount_text(total, unit)} ({each}).",
               f"{line} in total {years[0]}–{years[-1]}: {amount_text(total, unit)} ({each}).")
    return Reply(text, sources=sources_of(q, org_id, [op.figure for op in ops]), language=q.language)


def line_years(q: Question, org_id: int, line: str, years: list[int]) -> Reply:
    """One line year by year ("hur utvecklas Enter 2021–2023"): each year's figure of the kind asked,
    else the latest word on it (outcome, forecast, budget, plan, each labelled), and the change from the
    first year to the last; with no run named, every year the tables give the line. A kind named
    only by a word of the line's own name ("det beräknade kapitalet": Beräknat kapital) is none."""
    own = [fold(t) for t in tokens(line)]
    named = [k for k in kinds_in_order(q) if not all(
        any(word_match(w, t) >= 0.8 for t in own) for w in q.cues.words
        if any(w.startswith(fold(s.rstrip("="))) for s in budget.KIND_WORDS[k]))]
    if len(years) < 2:
        years = sorted(set(q.session.exec(select(BudgetFigure.year).where(
            BudgetFigure.organisation_id == org_id, BudgetFigure.line == line)).all()))
    ops: list[Operand] = []
    for year in years:
        # Unless a kind is named, each year by the latest word on it: what it came to, else its
        # forecast, else its budget or plan.
        f = next((g for k in named[:1] if (g := figure(q, org_id, line, year, k)) is not None), None) if named else (
            _year_outcome(q, org_id, line, year)
            or next((g for k in ("prognos", "budget", "plan") if (g := figure(q, org_id, line, year, k)) is not None),
                    None))
        if f is None:
            return missing(q, f"{named[0] if named else 'någon siffra'} {year} för {line}",
                           f"{kind_name(q, named[0]) if named else 'any figure'} {year} for {line}",
                           what_exists(q, org_id, line))
        ops.append(Operand(line, f, f.kind))
    if len(ops) < 2:
        return missing(q, f"siffror för {line} för flera år", f"figures for {line} for several years",
                       what_exists(q, org_id, line))
    each = ", ".join(f"{op.label(q)}: {amount_text(op.figure.amount, op.figure.unit)}" for op in ops)
    a, b = ops[0].figure, ops[-1].figure
    x, y = (abs(a.amount), abs(b.amount)) if a.amount < 0 and b.amount < 0 and not _is_result(a) else (a.amount, b.amount)
    delta = y - x
    pct = signed_percent(q, delta, x)
    pct_text = f" ({pct})" if pct else ""
    unit = unit_of(a, b)
    if delta == 0:
        change_sv, change_en = "oförändrat", "unchanged"
    else:
        change_sv = f"{'ökning' if delta > 0 else 'minskning'} med {amount_text(abs(delta), unit)}{pct_text}"
        change_en = f"{'an increase' if delta > 0 else 'a decrease'} of {amount_text(abs(delta), unit)}{pct_text}"
    text = q.t(f"{line} år för år: {each}. Från {ops[0].figure.year} till {ops[-1].figure.year}: {change_sv}.",
               f"{line} year by year: {each}. From {ops[0].figure.year} to {ops[-1].figure.year}: {change_en}.")
    return Reply(text, sources=sources_of(q, org_id, [op.figure for op in ops]), language=q.language)


def _day_of_outcomes(q: Question, org_id: int, line: str) -> dt.date | None:
    """The one day the question names without tying it to one of its years ("per 30 april",
    "as of 30 April"), when the line's outcomes to date stand as of that day and month."""
    days = {(d.start.month, d.start.day): d.start for d in q.dates if d.exact and not d.year_given}
    if len(days) != 1:
        return None
    (month_day, day), = days.items()
    stands = q.session.exec(select(BudgetFigure).where(
        BudgetFigure.organisation_id == org_id, BudgetFigure.line == line, BudgetFigure.kind == "utfall")).all()
    return day if any(f.as_of is not None and (f.as_of.month, f.as_of.day) == month_day for f in stands) else None


def between_periods(q: Question, org_id: int, line: str, spans: list) -> Reply:
    """'Per end of August 2020 against end of August 2019': the figures stated as of a day in each
    period the question names (a tertial's outcome to date), of one kind."""
    figures = list(q.session.exec(select(BudgetFigure).where(
        BudgetFigure.organisation_id == org_id, BudgetFigure.line == line)).all())
    picked: list[BudgetFigure] = []
    for span in spans:
        inside = [f for f in figures if f.as_of is not None and span.contains(f.as_of) and f.kind == "utfall"]
        if not inside:
            return missing(q, f"någon siffra för {line} per {span.start.isoformat()[:7]}",
                            f"any figure for {line} as of {span.start.isoformat()[:7]}", what_exists(q, org_id, line))
        picked.append(budget._pick(inside, q))
    a, b = picked
    x, y = a.amount, b.amount
    if x < 0 and y < 0 and not _is_result(a):
        x, y = abs(x), abs(y)  # costs written negative: −576 tkr is a smaller cost than −817 tkr
    delta = y - x
    unit = unit_of(a, b)
    pct = signed_percent(q, delta, x)
    la = q.t(f"utfall t.o.m. {a.as_of}", f"outcome to {a.as_of}")
    lb = q.t(f"utfall t.o.m. {b.as_of}", f"outcome to {b.as_of}")
    word_sv = "är oförändrat" if delta == 0 else ("ökar" if delta > 0 else "minskar") + \
        f" med {amount_text(abs(delta), unit)} ({pct})"
    word_en = "is unchanged" if delta == 0 else ("increases" if delta > 0 else "decreases") + \
        f" by {amount_text(abs(delta), unit)} ({pct})"
    return Reply(q.t(f"{line}: {la} {amount_text(a.amount, a.unit)}, {lb} {amount_text(b.amount, b.unit)}; "
                     f"{word_sv}.",
                     f"{line}: {la} {amount_text(a.amount, a.unit)}, {lb} {amount_text(b.amount, b.unit)}; {word_en}."),
                 sources=sources_of(q, org_id, [a, b]), language=q.language)


def two_lines(q: Question, org_id: int, names: list[str], year: int, in_order: bool = False) -> Reply:
    """Two lines, one year: the second named against the first, of the same kind; for each kind of
    figure the question names ("budget and forecast"), in the order it names them."""
    named = kinds_in_order(q)
    if len(named) > 1:
        replies = [_two_lines_of(q, org_id, names, year, in_order, kind) for kind in named]
        if any(not r.answered for r in replies):
            return next(r for r in replies if not r.answered)
        return Reply("\n".join(r.text for r in replies), language=q.language,
                     sources=list(dict.fromkeys(s for r in replies for s in r.sources)))
    return _two_lines_of(q, org_id, names, year, in_order, named[0] if named else None)


def _two_lines_of(q: Question, org_id: int, names: list[str], year: int, in_order: bool, kind: str | None) -> Reply:
    ops: list[Operand] = []
    # `in_order`: the caller knows which is asked about and which is the reference, in that order.
    for name in (names if in_order else _asked_then_reference(q, names)):
        f = figure(q, org_id, name, year, kind) if kind is not None else None
        if f is None and (kind is None or not _has_year(q, org_id, name, year, kind)):
            # A line with no figure of the kind asked (a ceiling beside a forecast) compares by what it has.
            f = next((g for k in budget.PREFERENCE if (g := figure(q, org_id, name, year, k)) is not None), None)
        if f is None:
            return missing(q, f"{kind or 'någon siffra'} {year} för {name}", f"{kind or 'any figure'} {year} for {name}",
                            what_exists(q, org_id, name))
        ops.append(Operand(name, f, f.kind))
    # What is asked about ("hur mycket mer betalar A än B") against the reference B.
    return compare_two(q, org_id, ops[1], ops[0], "lines")


def lines_for_word(q: Question, org_id: int, word: str, exclude: str) -> list[str]:
    """The lines a word names, in Swedish or English ("municipalities" -> "Bidrag kommuner", or
    every "X kommun" line): the shortest matching word wins, as in `_category`."""
    rows = [line for line in line_sections(q, org_id) if line != exclude]
    out: list[str] = []
    for w in [word, *budget.ENGLISH.get(word, [])]:
        if len(w) < 4:
            continue
        stemmed = stem(w)

        def same(t: str, w: str = w, stemmed: str = stemmed) -> bool:
            # "rekommenderade" names "Rekommenderat …": an inflection the stemmer leaves apart.
            return stem(t) == stemmed or (len(t) >= 6 and word_match(fold(t), fold(w)) >= 0.85)

        matched = [(line, next(t for t in tokens(line) if same(t))) for line in rows if any(same(t) for t in tokens(line))]
        shortest = min((len(t) for _l, t in matched), default=0)
        out = out or [line for line, t in matched if len(t) == shortest]
    return out


def line_against_group(q: Question, org_id: int, line: str, group: list[str], year: int) -> Reply:
    """One line against the sum of a group it is compared with ("than the municipalities together")."""
    named = kinds_in_order(q)
    kind = named[0] if named else "budget"
    f = figure(q, org_id, line, year, kind)
    parts = [(g, figure(q, org_id, g, year, kind)) for g in group]
    lacking = [name for name, p in [(line, f), *parts] if p is None]
    if f is None or lacking:
        return missing(q, f"{kind_name(q, kind)} {year} för {join_words(lacking)}", f"{kind_name(q, kind)} {year} for "
                        f"{join_words(lacking, 'en')}", what_exists(q, org_id, lacking[0]))
    figures = [p for _g, p in parts if p is not None]
    total = BudgetFigure(organisation_id=org_id, document_id=figures[0].document_id, year=year, kind=kind,
                         line=" + ".join(group), amount=sum(p.amount for p in figures), unit=unit_of(*figures))
    name = q.t(f"{group_word(q, [(org_id, g) for g in group]) or 'gruppen'} tillsammans",
               f"{group_word(q, [(org_id, g) for g in group]) or 'the group'} together")
    reply = compare_two(q, org_id, Operand(name, total, kind), Operand(line, f, kind), "lines", parts=figures)
    listed = ", ".join(f"{g} {amount_text(p.amount, p.unit)}" for g, p in zip(group, figures, strict=True))
    return Reply(reply.text + q.t(f" ({name}: {listed}.)", f" ({name}: {listed}.)"), sources=reply.sources,
                 language=q.language)


def _has_year(q: Question, org_id: int, line: str, year: int, kind: str) -> bool:
    """Whether the line has any figure of `kind` at all (in any year)."""
    return q.session.exec(select(BudgetFigure.id).where(
        BudgetFigure.organisation_id == org_id, BudgetFigure.line == line, BudgetFigure.kind == kind)).first() is not None


# Words after which the question names what the other side is measured against.
REFERENCE_WORDS = ("än", "than", "jämfört", "compared", "mot", "över", "under", "above", "below", "versus", "vs")


def _asked_then_reference(q: Question, names: list[str]) -> list[str]:
    """Two lines in the order: the one asked about, then the reference it is measured against
    (the one written after "än", "över", "compared to" …; else the one written second)."""
    def where(name: str) -> int:
        spots = [i for i, w in enumerate(q.words) for t in tokens(name) if len(t) >= 3 and word_match(t, w) >= 0.8]
        return min(spots, default=10_000)

    ordered = sorted(names, key=where)
    particle = next((i for i, w in enumerate(q.words) if w in REFERENCE_WORDS), None)
    if particle is not None:
        # The line written right after "än" / "than" is the reference ("mer än Habo betalar Jönköping").
        after = [n for n in ordered if where(n) > particle]
        if after:
            return [next(n for n in ordered if n != after[0]), after[0]]
    return ordered


# Words that ask which line fell the most, rather than rose.
DECREASE_WORDS = ("minsk", "sänk", "cut=", "cuts", "decreas", "reduc", "drop", "fall", "fell", "sjunk", "sjönk",
                  "går ner", "gick ner", "go down", "went down", "lower", "lägre")


def extreme_change(q: Question, lines: list[tuple[int, str]], years: list[int], largest: bool) -> Reply | None:
    """'Vilken post minskar mest från 2020 till 2021?': every plain line (of the section a named total
    stands for) with the same kind of figure in both years, the one that changed the most that way."""
    first, last = years[0], years[-1]
    kind_words = [w for w in q.words if len(w) >= 5 and any(fold(w).startswith(c) for _t, cs in
                                                             MEMBER_TYPES.items() for c in cs)]
    org_ids = {o for o, _n in lines} or set(q.organisation_ids)
    if kind_words:
        # "Vilken kommun ökar mest": among the member lines of that kind, in the förbund that has them.
        org_ids = {o for o in q.organisation_ids if len(_member_lines(q, o, kind_words, first, last)) >= 2}
    if len(org_ids) != 1:
        return choose_organisation(q, [q.organisation(o) for o in sorted(org_ids)] or q.organisations)
    org_id = next(iter(org_ids))
    sections = line_sections(q, org_id)
    scope = {sections[n][0] for _o, n in lines if sections.get(n, (None, ""))[1] in ("total", "subtotal")}
    only = set(_member_lines(q, org_id, kind_words, first, last)) if kind_words else None
    named = kinds_in_order(q)
    changes: list[tuple[int, str, BudgetFigure, BudgetFigure]] = []
    for line, (section, row_type) in sections.items():
        if row_type != "line" or (scope and section not in scope) or (only is not None and line not in only):
            continue
        for kind in named or ["budget", "plan", "prognos"]:
            a, b = figure(q, org_id, line, first, kind), figure(q, org_id, line, last, kind)
            # A plan stands for the budget of a later year (as `figure` gives it); the labels say which.
            if a is not None and b is not None and (a.kind == b.kind or {a.kind, b.kind} == {"budget", "plan"}):
                changes.append((abs(b.amount) - abs(a.amount), line, a, b))
                break
    if len(changes) < 2:  # a largest of one is no answer to "which"
        return missing(q, f"poster med samma slags siffra {first} och {last}",
                        f"lines with the same kind of figure in {first} and {last}")
    falling = q.cues.any(DECREASE_WORDS)
    key = (lambda c: -c[0]) if falling else (lambda c: c[0])
    delta, line, a, b = (max if largest else min)(changes, key=key)
    label_a, label_b = f"{kind_name(q, a.kind)} {first}", f"{kind_name(q, b.kind)} {last}"
    unit = unit_of(a, b)
    pct = signed_percent(q, delta, abs(a.amount))
    word_sv = ("minskar" if delta < 0 else "ökar") + (" mest" if largest else " minst")
    word_en = ("decreases" if delta < 0 else "increases") + (" the most" if largest else " the least")
    if (largest and (delta > 0 if falling else delta < 0)) or delta == 0:
        # Asked which fell most when none fell (or rose, when none rose): say so, with the nearest.
        none_sv, none_en = ("Ingen post minskar", "No line decreases") if falling else ("Ingen post ökar",
                                                                                         "No line increases")
        nearest_sv = ("minst ökning" if falling else "minst minskning") if delta else "oförändrad"
        nearest_en = ("the smallest increase" if falling else "the smallest decrease") if delta else "unchanged"
        return Reply(q.t(f"{none_sv} från {label_a} till {label_b} (av {len(changes)} poster med båda åren). "
                         f"{nearest_sv.capitalize()}: {line}, {amount_text(a.amount, a.unit)} till "
                         f"{amount_text(b.amount, b.unit)} ({amount_text(abs(delta), unit)}).",
                         f"{none_en} from {label_a} to {label_b} (of {len(changes)} lines with both years). "
                         f"{nearest_en.capitalize()}: {line}, {amount_text(a.amount, a.unit)} to "
                         f"{amount_text(b.amount, b.unit)} ({amount_text(abs(delta), unit)})."),
                     sources=sources_of(q, org_id, [a, b]), language=q.language)
    return Reply(q.t(f"{line} {word_sv} från {label_a} till {label_b}: med {amount_text(abs(delta), unit)}"
                     f"{f' ({pct})' if pct else ''} ({label_a}: {amount_text(a.amount, a.unit)}, {label_b}: "
                     f"{amount_text(b.amount, b.unit)}), av {len(changes)} poster med båda åren.",
                     f"{line} {word_en} from {label_a} to {label_b}: by {amount_text(abs(delta), unit)}"
                     f"{f' ({pct})' if pct else ''} ({label_a}: {amount_text(a.amount, a.unit)}, {label_b}: "
                     f"{amount_text(b.amount, b.unit)}), of {len(changes)} lines with both years."),
                 sources=sources_of(q, org_id, [a, b]), language=q.language)


def extreme_year(q: Question, org_id: int, line: str, kinds: list[str], largest: bool,
                 within: list[int] | None = None) -> Reply:
    """The year in which one line is largest or smallest, of the kind named (else each year's
    budget or plan: what was decided or planned for it), every year shown; `within`: the years of
    a run the question names ("2021–2023"), each of which must have a figure."""
    # Every kind named ("i budgeten/planen": both); a plan stands for a budget year's budget and
    # the other way (see `figure`), so "planen 2021–2023" covers 2021's budget.
    wanted = kinds or ["budget", "plan"]
    years = within or sorted(set(q.session.exec(select(BudgetFigure.year).where(
        BudgetFigure.organisation_id == org_id, BudgetFigure.line == line)).all()))
    by_year: dict[int, BudgetFigure] = {}
    for year in years:
        f = next((g for k in wanted if (g := figure(q, org_id, line, year, k)) is not None), None)
        if f is not None:
            by_year[year] = f
    if within is not None and set(by_year) != set(within):
        lacking = [str(y) for y in within if y not in by_year]
        return missing(q, f"{join_words(wanted)} för {line} {join_words(lacking)}",
                       f"{join_words(wanted, 'en')} for {line} in {join_words(lacking, 'en')}", what_exists(q, org_id, line))
    if len(by_year) < 2:
        return missing(q, f"{join_words(wanted)} för {line} för flera år att jämföra",
                       f"{join_words(wanted, 'en')} for {line} for several years to compare", what_exists(q, org_id, line))
    size = {y: abs(f.amount) for y, f in by_year.items()}
    best = max(size.values()) if largest else min(size.values())
    years = sorted(y for y, v in size.items() if v == best)
    pick = by_year[years[0]]
    each = ", ".join(f"{kind_name(q, f.kind)} {y}: {amount_text(f.amount, f.unit)}" for y, f in sorted(by_year.items()))
    word = q.t("störst" if largest else "minst", "the largest" if largest else "the smallest")
    when = join_words([str(y) for y in years], q.language)
    if len(years) == len(by_year):
        # The same every year: no year is larger or smaller than another.
        return Reply(q.t(f"{line} är lika stor alla åren: {amount_text(pick.amount, pick.unit)} ({each}).",
                         f"{line} is the same every year: {amount_text(pick.amount, pick.unit)} ({each})."),
                     sources=sources_of(q, org_id, list(by_year.values())), language=q.language)
    return Reply(q.t(f"{line} är {word} {when}: {amount_text(pick.amount, pick.unit)} ({each}).",
                     f"{line} is {word} in {when}: {amount_text(pick.amount, pick.unit)} ({each})."),
                 sources=sources_of(q, org_id, [by_year[y] for y in years]), language=q.language)


def _member_lines(q: Question, org_id: int, kind_words: list[str], first: int, last: int) -> list[str]:
    """Lines of a förbund that stand for member bodies of the kind the question names ("kommun"),
    with a figure in both years."""
    stems = {c for _t, cs in MEMBER_TYPES.items() for c in cs if any(fold(w).startswith(c) for w in kind_words)}
    out = []
    for line, (_section, row_type) in line_sections(q, org_id).items():
        words = [fold(t) for t in tokens(line)]
        if row_type == "line" and any(w.startswith(st) and len(w) <= len(st) + 2 for w in words for st in stems) \
                and figure(q, org_id, line, first, "budget") and figure(q, org_id, line, last, "budget"):
            out.append(line)
    return out


def extreme_gap(q: Question, lines: list[tuple[int, str]], years: list[int], largest: bool) -> Reply | None:
    """'Vilken post har störst avvikelse mellan budget och prognos 2020?': every plain line (of the
    section a named total stands for) with both kinds of figure in the year, the one whose two
    figures lie furthest apart (or closest)."""
    org_ids = {o for o, _n in lines} or set(q.organisation_ids)
    if len(org_ids) != 1:
        return choose_organisation(q, [q.organisation(o) for o in sorted(org_ids)] or q.organisations)
    org_id = next(iter(org_ids))
    sections = line_sections(q, org_id)
    scope = {sections[n][0] for _o, n in lines if sections.get(n, (None, ""))[1] in ("total", "subtotal")}
    named = kinds_in_order(q)
    ref_kind = named[0] if named else "budget"
    other_kind = named[1] if len(named) > 1 else None
    year = years[0] if years else latest_year(q, org_id, [n for n in sections if sections[n][1] == "line"][:1])
    gaps: list[tuple[int, str, BudgetFigure, BudgetFigure]] = []
    for line, (section, row_type) in sections.items():
        if row_type != "line" or (scope and section not in scope):
            continue
        a = figure(q, org_id, line, year, ref_kind)
        b = figure(q, org_id, line, year, other_kind) if other_kind else actual(q, org_id, line, year)
        if a is not None and b is not None and a.id != b.id:
            gaps.append((abs(abs(b.amount) - abs(a.amount)), line, a, b))
    if len(gaps) < 2:  # a largest of one is no answer to "which"
        return missing(q, f"poster med både {ref_kind} och {other_kind or 'prognos'} {year}",
                       f"lines with both {kind_name(q, ref_kind)} and {kind_name(q, other_kind or 'prognos')} {year}")
    gap, line, a, b = (max if largest else min)(gaps, key=lambda g: g[0])
    word = q.t("störst" if largest else "minst", "the largest" if largest else "the smallest")
    unit = unit_of(a, b)
    la, lb = f"{kind_name(q, a.kind)} {year}", f"{kind_name(q, b.kind)} {year}{to_date(q, b)}"
    return Reply(q.t(f"{line} har {word} skillnad mellan {la} och {lb}: {amount_text(gap, unit)} ({la} "
                     f"{amount_text(a.amount, a.unit)}, {lb} {amount_text(b.amount, b.unit)}), av {len(gaps)} poster "
                     f"med båda siffrorna.",
                     f"{line} has {word} gap between {la} and {lb}: {amount_text(gap, unit)} ({la} "
                     f"{amount_text(a.amount, a.unit)}, {lb} {amount_text(b.amount, b.unit)}), of {len(gaps)} lines "
                     f"with both figures."),
                 sources=sources_of(q, org_id, [a, b]), language=q.language)


def _by_size(f: BudgetFigure) -> int:
    """A cost the table writes negative ("Verksamhetens kostnader −7 590") set against income is
    compared by its size; a net figure or a result keeps its sign."""
    if f.amount < 0 and f.section == "kostnader" and "netto" not in f.line.lower() and not _is_result(f):
        return abs(f.amount)
    return f.amount


def _is_result(f: BudgetFigure) -> bool:
    """A result or capital line: its sign is what it says (a deficit grows when it falls), unlike a
    cost written negative, which is compared by size."""
    return f.section in ("resultat", "eget kapital") or "resultat" in f.line.lower() or "kapital" in f.line.lower()


def group_between_years(q: Question, lines: list[tuple[int, str]], years: list[int], word: str) -> Reply:
    """'Hur mycket ökar medlemsbidragen sammanlagt 2021 jämfört med 2020?': the group's lines added
    up in each year (the same kind of figure in both), and the change, every part shown."""
    org_id = lines[0][0]
    first, last = min(years), max(years)
    named = kinds_in_order(q)
    totals: dict[int, list[BudgetFigure]] = {}
    for year in (first, last):
        kind = named[0] if named else "budget"
        found = [(n, figure(q, org_id, n, year, kind)) for _o, n in lines]
        lacking = [n for n, f in found if f is None]
        if lacking:
            return missing(q, f"{kind_name(q, kind)} {year} för {join_words(lacking)}",
                           f"a {kind_name(q, kind)} {year} for {join_words(lacking, 'en')}")
        totals[year] = [f for _n, f in found if f is not None]
    if {f.kind for f in totals[first]} != {f.kind for f in totals[last]} or len({f.kind for f in totals[first]}) != 1:
        return missing(q, f"samma slags siffra {first} och {last}", f"the same kind of figure in {first} and {last}")
    a, b = sum(f.amount for f in totals[first]), sum(f.amount for f in totals[last])
    delta = b - a
    unit = unit_of(*totals[first], *totals[last])
    pct = signed_percent(q, delta, a)
    kind = totals[first][0].kind
    label_a, label_b = f"{kind_name(q, kind)} {first}", f"{kind_name(q, kind)} {last}"
    parts = "; ".join(f"{y}: " + " + ".join(f"{f.line} {amount_text(f.amount, f.unit)}" for f in totals[y])
                      for y in (first, last))
    verb_sv = "är oförändrade" if delta == 0 else ("ökar" if delta > 0 else "minskar") + f" med {amount_text(abs(delta), unit)}"
    verb_en = "are unchanged" if delta == 0 else ("increase" if delta > 0 else "decrease") + f" by {amount_text(abs(delta), unit)}"
    who = word or q.t("raderna", "the lines")
    return Reply(q.t(f"{who.capitalize()} sammanlagt {verb_sv}{f' ({pct})' if pct else ''} från {label_a} "
                     f"({amount_text(a, unit)}) till {label_b} ({amount_text(b, unit)}). ({parts}.)",
                     f"{who.capitalize()} together {verb_en}{f' ({pct})' if pct else ''} from {label_a} "
                     f"({amount_text(a, unit)}) to {label_b} ({amount_text(b, unit)}). ({parts}.)"),
                 sources=sources_of(q, org_id, totals[first] + totals[last]), language=q.language)


# Words that ask for the lines below their budget, and above it.
BELOW_WORDS = ("under", "below", "lägre", "mindre", "less", "lower", "underskrid", "billigare", "cheaper")
ABOVE_WORDS = ("över", "above", "over", "högre", "mer=", "more=", "överskrid", "överstig", "exceed", "dyrare",
               "costlier", "more expensive")


def lines_off_budget(q: Question, org_id: int, total: str, year: int) -> Reply:
    """'Vilka verksamheter beräknas hamna under sin budget 2019?': the plain lines of the section
    the named total stands for whose forecast (or outcome, as named) lies below (or above) their
    budget, each with both figures."""
    sections = line_sections(q, org_id)
    section = sections.get(total, (None, ""))[0]
    if sections.get(total, (None, ""))[1] == "line":
        # A plain line named in the plural ("which projects"): the lines of its section.
        total = next((n for n, (sec, t) in sections.items() if sec == section and t == "total"), section or total)
    named = [k for k in kinds_in_order(q) if k != "budget"]
    other_kind = named[0] if named else "prognos"
    below = q.cues.any(BELOW_WORDS)
    above = q.cues.any(ABOVE_WORDS) and not below
    rows: list[tuple[str, BudgetFigure, BudgetFigure]] = []
    # A cost total over several sections ("Kostnader totalt" over verksamheter and kansli): every
    # plain line of a cost section.
    own = [n for n, (sec, t) in sections.items() if t == "line" and sec == section]
    spread = section == "kostnader" and len(own) < 2
    for line, (sec, row_type) in sections.items():
        if row_type != "line" or (sec != section and not (spread and sec and sec not in NOT_COSTS)):
            continue
        a, b = figure(q, org_id, line, year, "budget"), figure(q, org_id, line, year, other_kind)
        if a is not None and b is not None and a.id != b.id:
            rows.append((line, a, b))
    if len(rows) < 2:
        return missing(q, f"poster under {total} med både budget och {other_kind} {year}",
                       f"lines under {total} with both a budget and a {kind_name(q, other_kind)} {year}")
    chosen = [r for r in rows if (abs(r[2].amount) < abs(r[1].amount) if below else
                                  abs(r[2].amount) > abs(r[1].amount) if above else True)]
    label = f"{kind_name(q, other_kind)} {year}{to_date(q, rows[0][2])}"
    listed = "\n".join(f"• {line}: budget {amount_text(a.amount, a.unit)}, {label} {amount_text(b.amount, b.unit)} "
                       f"({'−' if abs(b.amount) < abs(a.amount) else '+'}{amount_text(abs(abs(b.amount) - abs(a.amount)), unit_of(a, b))})"
                       for line, a, b in chosen)
    where_sv = "under budget" if below else "över budget" if above else "mot budget"
    where_en = "below budget" if below else "above budget" if above else "against budget"
    if not chosen:
        return Reply(q.t(f"Ingen av {len(rows)} poster under {total} ligger {where_sv} ({label}).",
                         f"None of the {len(rows)} lines under {total} is {where_en} ({label})."),
                     sources=sources_of(q, org_id, [r[2] for r in rows]), language=q.language)
    return Reply(q.t(f"{count_text(len(chosen))} av {len(rows)} poster under {total} ligger {where_sv} ({label}):",
                     f"{count_text(len(chosen), 'en')} of {len(rows)} lines under {total} are {where_en} ({label}):")
                 + "\n" + listed, sources=sources_of(q, org_id, [f for _l, a, b in chosen for f in (a, b)]),
                 language=q.language)


# Words that set a line against its own budget ("under budget", "över budgeten", "off budget"),
# not against the other lines named.
OFF_OWN_BUDGET = ("under budget", "över budget", "over budget", "below budget", "above budget", "mot budget",
                  "off budget", "from budget", "från budget", "avvik", "deviat", "överskrid", "underskrid",
                  "overrun", "overspen", "underspen", "within budget", "inom budget", "mot budgeten",
                  "under budgeten", "över budgeten", "against budget", "against the budget", "sin budget",
                  "its budget", "their budget")


def off_own_budget(q: Question) -> bool:
    """Whether the question measures each line against its own budget (two kinds named, or a
    line "under/över budget"), rather than the lines against each other."""
    return len(kinds_in_order(q)) >= 2 or q.cues.any(OFF_OWN_BUDGET)


def gap_of_each(q: Question, org_id: int, names: list[str], year: int, largest: bool, period_words: str) -> Reply:
    """'Vilken låg mest under budget 2020, A eller B?': each named line's forecast (or outcome, as
    named) against its own budget, and the one furthest below (or above, or off either way).
    `period_words`: the question's text without the words saying when ("under 2020")."""
    named = kinds_in_order(q)
    ref_kind = next((k for k in named if k in ("budget", "plan")), "budget")
    others = [k for k in named if k != ref_kind]
    rows: list[tuple[str, BudgetFigure, BudgetFigure, int]] = []
    lacking: list[str] = []
    for line in names:
        a = figure(q, org_id, line, year, ref_kind)
        b = figure(q, org_id, line, year, others[0]) if others else actual(q, org_id, line, year)
        if a is None or b is None or a.id == b.id:
            lacking.append(line)
            continue
        rows.append((line, a, b, abs(b.amount) - abs(a.amount)))
    if lacking:
        other_sv = others[0] if others else "prognos eller utfall"
        other_en = kind_name(q, others[0]) if others else "forecast or outcome"
        return missing(q, f"både {ref_kind} och {other_sv} {year} för {join_words(lacking)}",
                       f"both a {kind_name(q, ref_kind)} and a {other_en} {year} for {join_words(lacking, 'en')}",
                       what_exists(q, org_id, lacking[0]))
    probe = Question(q.ctx, period_words)
    below = probe.cues.any(BELOW_WORDS)
    above = probe.cues.any(ABOVE_WORDS) and not below
    if below:
        pick = min(rows, key=lambda r: r[3])
        fits = pick[3] < 0
    elif above:
        pick = max(rows, key=lambda r: r[3])
        fits = pick[3] > 0
    else:
        pick = (max if largest else min)(rows, key=lambda r: abs(r[3]))
        fits = True
    tied = [r for r in rows if r[3] == pick[3]]
    where_sv = "under" if below else "över" if above else "från"
    where_en = "below" if below else "above" if above else "off"

    def each(r: tuple[str, BudgetFigure, BudgetFigure, int]) -> str:
        line, a, b, gap = r
        sign = "−" if gap < 0 else "+"
        return (f"{line}: {kind_name(q, a.kind)} {amount_text(a.amount, a.unit)}, {kind_name(q, b.kind)}{to_date(q, b)} "
                f"{amount_text(b.amount, b.unit)} ({sign}{amount_text(abs(gap), unit_of(a, b))})")
    listed = "; ".join(each(r) for r in rows)
    fitting = [r for r in rows if (r[3] < 0 if below else r[3] > 0)] if below or above else []
    if fitting and q.cues.any(("vilka", "which ones", "which of them are", "which of them were")):
        # "Vilka av A, B och C gick över budget?": every one that did.
        names_fit = [r[0] for r in fitting]
        return Reply(q.t(f"{join_words(names_fit)} ligger {where_sv} budget {year}. {listed}.",
                         f"{join_words(names_fit, 'en')} {'is' if len(names_fit) == 1 else 'are'} {where_en} budget "
                         f"in {year}. {listed}."),
                     sources=sources_of(q, org_id, [f for r in rows for f in (r[1], r[2])]), language=q.language)
    if not fits:
        text = q.t(f"Ingen av dem ligger {where_sv} budget {year}. {listed}.",
                   f"None of them is {where_en} budget in {year}. {listed}.")
    elif len(tied) > 1:
        text = q.t(f"Lika långt {where_sv} budget {year}: {listed}.", f"Equally far {where_en} budget in {year}: {listed}.")
    else:
        most_sv = "mest" if largest or below or above else "minst"
        most_en = "furthest" if largest or below or above else "least far"
        text = q.t(f"{pick[0]} ligger {most_sv} {where_sv} budget {year}: {amount_text(abs(pick[3]), unit_of(pick[1], pick[2]))}. "
                   f"{listed}.",
                   f"{pick[0]} is {most_en} {where_en} budget in {year}: {amount_text(abs(pick[3]), unit_of(pick[1], pick[2]))}. "
                   f"{listed}.")
    return Reply(text, sources=sources_of(q, org_id, [f for r in rows for f in (r[1], r[2])]), language=q.language)
