"""One figure compared across förbund: "hur mycket mer betalar Försäkringskassan till Jämtland än
till Södra Vätterbygden", "vilket förbund har störst budget 2021". Each förbund's line is found in
that förbund alone (the same thing is called "Bidrag Försäkringskassan" in one table and
"Försäkringskassan" in another); the kind of figure and the year are the same for every förbund.

A förbund that has no such line, or no figure of that kind and year, is said to lack it, with what
it does have: never a comparison of something else.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from sqlmodel import select

from handlers.answers.core import Question, figure_source
from handlers.answers.figures import (
    figure,
    kind_name,
    kinds_in_order,
    missing,
    percent,
    to_date,
    what_exists,
    years_asked,
)
from handlers.answers.text import amount_text, fold, join_words, tokens
from handlers.messages import Reply
from storage.models import BudgetFigure, Organisation

# Words that ask which förbund ("vilket förbund har störst …"): every förbund is a candidate.
WHICH_FORBUND = ("vilket förbund", "vilka förbund", "vilket samordningsförbund", "which förbund", "which association",
                 "which of the associations", "which federation", "vilket av förbunden", "which of the förbund")

# Words after which the reference of a comparison is written ("än", "than", "jämfört med").
REFERENCE = ("än", "than", "jämfört", "compared", "mot", "versus", "vs")

# The operations this answers; a plain figure of one line in two förbund is the budget kind's.
OPERATIONS = frozenset({"difference", "change", "largest", "smallest", "choose", "sum"})


def named_organisations(q: Question) -> list[Organisation]:
    """The förbund the question names itself (not the linked one, not all by default), in the
    order it names them."""
    if q.ctx.organisation is not None:
        return []
    named_ids: list[int] = []
    for w in q.words:
        for e in q.lexicon.organisations_named([w]):
            if e.organisation_id is not None and e.organisation_id not in named_ids:
                named_ids.append(e.organisation_id)
    every = {o.id: o for o in q.organisations}
    return [every[i] for i in named_ids if i in every]


def compared_organisations(q: Question) -> list[Organisation]:
    """The förbund a comparison runs across: two or more the question names, or every förbund when
    it asks "vilket förbund"."""
    if q.ctx.organisation is not None or not set(q.reading_facets) & OPERATIONS:
        return []
    named = named_organisations(q)
    if len(named) >= 2:
        return named
    if not named and q.cues.any(WHICH_FORBUND) and len(q.organisations) >= 2:
        return list(q.organisations)
    return []


def _scoped(q: Question, org: Organisation) -> Question:
    sub = Question(dataclasses.replace(q.ctx, organisation=org), q.ctx.message.text)
    sub.reading_facets = q.reading_facets
    return sub


@dataclasses.dataclass(frozen=True)
class Side:
    org: Organisation
    line: str
    figure: BudgetFigure


def _short(org: Organisation) -> str:
    """A förbund's name without "Samordningsförbundet (i)": short enough for a chat line."""
    words = org.name.split()
    while words and fold(words[0]) in ("samordningsforbundet", "i"):
        words = words[1:]
    return " ".join(words) or org.name


# Words one table writes in a line's name and another leaves out ("Bidrag Försäkringskassan" beside
# "Försäkringskassan"): not needed to say two förbund's lines are the same thing.
SHARED_WORDS = frozenset({"bidrag", "medlemsbidrag", "summa", "totalt", "total", "delsumma", "arets", "beraknade",
                          "beraknat", "verksamhetens", "kommun", "kommuns"})


def across(q: Question, orgs: list[Organisation],
           named_lines: Callable[[Question], list[tuple[int, str]]],
           covers: Callable[[Question, str], set[str]], every: bool = False) -> Reply | None:
    """The line the question names, in each förbund, compared (or the largest, or their sum).
    `every`: the question asks which förbund, so one without such a line is left out (and said
    to be), not a reason to answer nothing."""
    facets = set(q.reading_facets)
    lines: list[tuple[Organisation, list[str], Question]] = []
    for org in orgs:
        sub = _scoped(q, org)
        lines.append((org, [n for _o, n in named_lines(sub)], sub))
    if not any(names for _org, names, _s in lines):
        return None  # no line named in any förbund: not a comparison of figures across förbund
    # The same thing in every förbund: each side's line must answer to every distinctive word any
    # other side's does ("kansli" is no part of "Summa kostnader").
    # (Words that ask for a kind of figure rather than name a line — "kostar", "budget", "betalar" —
    # make no line the same thing.)
    from handlers.answers.kinds.budget import CUES as FIGURE_CUES
    from handlers.understanding.kinds import Cues

    figure_words = [c for facet in ("budget", "prognos", "utfall", "plan", "cost", "income", "amount")
                    for c in FIGURE_CUES[facet][1]]
    asking = {fold(w) for w in q.words if Cues([w]).any(figure_words)}
    covered = {org.id: {fold(w) for n in names for w in covers(sub, n)} - SHARED_WORDS - asking
               - {fold(w) for w in q.words if q.lexicon.organisations_named([w])} for org, names, sub in lines}
    wanted = set().union(*covered.values())
    lacking = [org for org, names, _s in lines if not names or not wanted <= covered[org.id]]
    if lacking and every and len(lacking) <= len(lines) - 2:
        lines = [x for x in lines if x[0] not in lacking]
        note = q.t(f" ({join_words([_short(o) for o in lacking])}: ingen sådan rad.)",
                   f" ({join_words([_short(o) for o in lacking], 'en')}: no such line.)")
        reply = across(q, [o for o, _n, _s in lines], named_lines, covers)
        if reply is not None and reply.answered:
            return Reply(reply.text + note, sources=reply.sources, language=q.language)
        return reply
    if lacking:
        having = [(org, names) for org, names, _s in lines if names and org not in lacking]
        exists = "; ".join(f"{_short(o)}: {join_words(n[:3])}" for o, n in having)
        return missing(q, f"någon motsvarande rad för {join_words([_short(o) for o in lacking])}",
                       f"any matching line for {join_words([_short(o) for o in lacking], 'en')}", exists)
    kind = (kinds_in_order(q) or ["budget"])[0]
    years = years_asked(q)
    own_years = _year_of_each(q, [org for org, _n, _s in lines]) if len(years) > 1 else None
    if own_years is not None:
        # "Umeåregionen 2019, Jämtland 2021 eller Södra Vätterbygden 2021": each förbund in its own year.
        own_sides: list[Side] = []
        for org, names, sub in lines:
            year = own_years[org.id or 0]
            found = [(n, f) for n in names if (f := figure(sub, org.id or 0, n, year, kind)) is not None]
            if not found or len({f.amount for _n, f in found}) > 1:
                return missing(q, f"{kind_name(q, kind)} {year} för {names[0]} ({_short(org)})",
                               f"a {kind_name(q, kind)} {year} for {names[0]} ({_short(org)})",
                               what_exists(sub, org.id or 0, names[0]))
            own_sides.append(Side(org, found[0][0], found[0][1]))
        if len({s.figure.kind for s in own_sides}) > 1:
            return missing(q, "samma slags siffra i alla förbunden", "the same kind of figure in every förbund")
        return _compose(q, own_sides, facets, None)
    if len(years) > 1:
        return None  # two förbund and two years at once: not read as one comparison
    if not years:
        # The latest year in which every förbund has a figure of the kind for its line.
        common: set[int] | None = None
        for org, names, sub in lines:
            have = {y for y in _years_of(q, org.id or 0, names[0]) if y <= q.ctx.today.year
                    and figure(sub, org.id or 0, names[0], y, kind)}
            common = have if common is None else common & have
        if not common:
            return missing(q, f"{kind_name(q, kind)} samma år för {join_words([_short(o) for o, _n, _s in lines])}",
                           f"a {kind_name(q, kind)} of the same year for "
                           f"{join_words([_short(o) for o, _n, _s in lines], 'en')}")
        years = [max(common)]
    year = years[0]
    sides: list[Side] = []
    for org, names, sub in lines:
        found = [(n, f) for n in names if (f := figure(sub, org.id or 0, n, year, kind)) is not None]
        if not found:
            return missing(q, f"{kind_name(q, kind)} {year} för {names[0]} ({_short(org)})",
                           f"a {kind_name(q, kind)} {year} for {names[0]} ({_short(org)})",
                           what_exists(sub, org.id or 0, names[0]))
        if len({f.amount for _n, f in found}) > 1:
            # Two lines of one förbund fit equally and differ: which one is meant is not known.
            return Reply(q.t(f"Frågan passar flera rader hos {_short(org)}: {join_words([n for n, _f in found])}. "
                             "Vilken menar du?",
                             f"That fits several lines of {_short(org)}: {join_words([n for n, _f in found], 'en')}. "
                             "Which one?"), answered=False, language=q.language)
        sides.append(Side(org, found[0][0], found[0][1]))
    if len({s.figure.kind for s in sides}) > 1:
        return missing(q, f"samma slags siffra {year} i alla förbunden", f"the same kind of figure {year} in every förbund")
    return _compose(q, sides, facets, year)


def _year_of_each(q: Question, orgs: list[Organisation]) -> dict[int, int] | None:
    """Each förbund's own year, written right after its name ("Umeåregionen 2019, Jämtland 2021"),
    when every förbund compared has one; otherwise None."""
    words = q.words
    out: dict[int, int] = {}
    for i, w in enumerate(words):
        named = {e.organisation_id for e in q.lexicon.organisations_named([w])}
        for org in orgs:
            if org.id in named and org.id not in out:
                after = next((int(x) for x in words[i + 1:i + 4] if x.isdigit() and len(x) == 4), None)
                if after is not None:
                    out[org.id or 0] = after
    return out if len(out) == len(orgs) and len(set(out.values())) > 1 else None


def _years_of(q: Question, org_id: int, line: str) -> set[int]:
    return set(q.session.exec(select(BudgetFigure.year).where(
        BudgetFigure.organisation_id == org_id, BudgetFigure.line == line).distinct()).all())


def _size(f: BudgetFigure) -> int:
    """A figure by its size: costs are written negative in some tables and positive in others; a
    result or capital keeps its sign (a deficit is less than a surplus)."""
    if f.section in ("resultat", "eget kapital") or "resultat" in f.line.lower() or "kapital" in f.line.lower():
        return f.amount
    return abs(f.amount)


def _label(q: Question, s: Side, with_year: bool = False) -> str:
    when = f" {kind_name(q, s.figure.kind)} {s.figure.year}{to_date(q, s.figure)}" if with_year else ""
    return f"{_short(s.org)}{when} {amount_text(s.figure.amount, s.figure.unit)} ({s.line})"


def _ordered(q: Question, sides: list[Side]) -> list[Side]:
    """The side asked about first, then the reference: the förbund written after "än" / "than"."""
    folded = [fold(w) for w in q.words]
    particle = next((i for i, w in enumerate(folded) if w in {fold(r) for r in REFERENCE}), None)
    if particle is None or len(sides) != 2:
        return sides

    def where(s: Side) -> int:
        own = {fold(t) for t in tokens(s.org.name)} - {"samordningsforbundet", "i", "lans", "lan"}
        spots = [i for i, w in enumerate(folded) if any(w.startswith(o[:5]) for o in own if len(o) >= 4)]
        return min(spots, default=10_000)

    after = [s for s in sides if where(s) > particle]
    before = [s for s in sides if where(s) < particle]
    if len(after) == 1 and len(before) == 1:
        return [before[0], after[0]]
    return sides


def _compose(q: Question, sides: list[Side], facets: set[str], year: int | None) -> Reply:
    """`year` None: each side in its own year, said beside each."""
    kind = sides[0].figure.kind
    when = f"{kind_name(q, kind)} {year}{to_date(q, sides[0].figure)}" if year is not None else kind_name(q, kind)
    sources = [figure_source(q.session, s.org, s.figure) for s in sides]
    listed = ", ".join(_label(q, s, with_year=year is None) for s in sides)
    if "sum" in facets and not facets & {"difference", "change", "largest", "smallest", "choose"}:
        total = sum(s.figure.amount for s in sides)
        unit = "tkr" if all(s.figure.unit == "tkr" for s in sides) else "kr"
        return Reply(q.t(f"Sammanlagt {when}: {amount_text(total, unit)} ({listed}).",
                         f"Together, {when}: {amount_text(total, unit)} ({listed})."), sources=sources,
                     language=q.language)
    if len(sides) > 2 or (facets & {"largest", "smallest", "choose"} and not facets & {"difference", "change"}):
        smallest = "smallest" in facets and "largest" not in facets
        pick = (min if smallest else max)(sides, key=lambda s: _size(s.figure))
        tied = [s for s in sides if _size(s.figure) == _size(pick.figure)]
        word = q.t("minst" if smallest else "störst", "the smallest" if smallest else "the largest")
        if len(tied) > 1:
            head = q.t(f"Lika stort i {join_words([_short(s.org) for s in tied])}",
                       f"The same in {join_words([_short(s.org) for s in tied], 'en')}")
        else:
            head = q.t(f"{_short(pick.org)} har {word}", f"{_short(pick.org)} has {word}")
        text = f"{head} ({when}): {listed}."
        if len(sides) == 2 and len(tied) == 1:
            other = next(s for s in sides if s is not pick)
            delta = abs(_size(pick.figure) - _size(other.figure))
            unit = "tkr" if pick.figure.unit == other.figure.unit == "tkr" else "kr"
            text += q.t(f" Skillnad {amount_text(delta, unit)}.", f" Difference {amount_text(delta, unit)}.")
        return Reply(text, sources=sources, language=q.language)
    asked, ref = _ordered(q, sides)
    delta = _size(asked.figure) - _size(ref.figure)
    unit = "tkr" if asked.figure.unit == ref.figure.unit == "tkr" else "kr"
    pct = f" ({'+' if delta >= 0 else '−'}{percent(q, abs(delta), abs(_size(ref.figure)))})" if _size(
        ref.figure) else ""
    if delta == 0:
        verdict = q.t(" Ingen skillnad (0 kr).", " No difference (0 kr).")
    else:
        verdict = q.t(f" Skillnad {amount_text(abs(delta), unit)}: {_short(asked.org)} är {amount_text(abs(delta), unit)} "
                      f"{'högre' if delta > 0 else 'lägre'} än {_short(ref.org)}{pct}.",
                      f" Difference {amount_text(abs(delta), unit)}: {_short(asked.org)} is {amount_text(abs(delta), unit)} "
                      f"{'higher' if delta > 0 else 'lower'} than {_short(ref.org)}{pct}.")
    return Reply(f"{when.capitalize()}: {listed}.{verdict}", sources=sources, language=q.language)

