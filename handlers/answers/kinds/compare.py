"""Figures compared and combined: budget against prognos against utfall, change between
years (in kronor and per cent), the sum of several lines or grants, a line's share of its
total, each member's contribution, the largest or smallest line.

Every computed answer shows its operands, each with its kind and year, and cites where each
was read, so that a reader can check the arithmetic. A figure is computed only when every
operand was found for exactly what the question names (the line, the year, the kind):
otherwise the reply says which operand is missing and what the store does have. A comparison
whose other side the question names but the store does not know ("… än landstinget") is not
turned into another comparison.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.numbers import format_decimal
from sqlmodel import col, select

from handlers.answers import budget, grants
from handlers.answers.core import Question, choose_organisation, figure_source
from handlers.answers.dates import period_ends
from handlers.answers.kinds.grant_list import AVERAGE_CUES
from handlers.answers.text import amount_text, fold, has_digit, join_words, kr, tokens, word_match
from handlers.messages import Reply, Source
from handlers.understanding.kinds import Kind, register
from storage.models import BudgetFigure
from storage.search import STOPWORDS, stem

CUES = {
    "difference": (1.2, ("skillnad", "skiljer", "differ", "diff=", "under budget", "över budget", "jämfört", "compared",
                         "versus", "vs=", "mot budget", "avvik", "deviat", "överskrid", "överstig", "exceed", "beat=", "beats", "slår", "överträffar", "outperform",
                         "below budget", "mindre än", "lägre än", "högre än", "dyrare än", "billigare än",
                         "större än", "mer än", "less than", "more than", "lower than", "higher than",
                         "larger than", "smaller than", "bigger than", "greater than", "fewer than", "gap between",
                         "how much larger", "how much smaller", "how much higher", "how much lower",
                         "how much bigger", "how much more", "how much less", "hur mycket större", "hur mycket mindre",
                         "hur mycket högre", "hur mycket lägre", "hur mycket mer", "hur mycket dyrare",
                         "above budget", "over budget", "under=", "över=", "above=", "below=", "gap=", "beat=",
                         "beats", "slår", "slog", "överträff", "outperform", "overshoot", "undershoot")),
    "change": (1.2, ("ökar", "ökning", "ökade", "ökat", "minskar", "minskning", "minskade", "minskat", "höjs", "höjd",
                     "höjn", "sänk", "stiger", "steg=", "sjunk", "sjönk", "increase", "decrease", "mer=",
                     "more=", "bättre än", "sämre än", "better than", "worse than",
                     "förändr", "ändrats", "ändrades", "ändras", "ändring", "change", "grow", "grew", "rise", "rose", "fall", "go up", "goes up", "went up",
                     "gone up", "go down", "goes down", "went down", "gone down", "drop", "höjdes", "höjt", "sänks",
                     "sänktes", "sänkt=", "går upp", "gick upp", "går ner", "gick ner", "cut=", "cuts", "reduced",
                     "raised")),
    "sum": (1.1, ("sammanlagt", "totalt", "summa", "tillsammans", "in total", "altogether", "combined",
                  # "sum of", not "sum" alone: "What sum was granted to X?" asks one amount.
                  "sum of", "the sum", "in sum",
                  "total=", "sammantaget", "alla tillsammans", "all together")),
    "largest": (1.2, ("störst", "högst", "largest", "biggest", "highest", "most=", "mest=")),
    "smallest": (1.2, ("minst", "lägst", "smallest", "lowest", "least")),
    # How many lines of a kind ("hur många kommuner bidrar"): counted only where money is asked (see _fit).
    "count": (0.9, ("hur många", "how many", "antal", "number of")),
    # The figures compared: a hint only, so that the guard sees them as this kind's own words.
    "figure_kind": (0.2, ("budget", "prognos", "forecast", "utfall", "outcome", "actual", "plan=")),
    # A line's part of its total.
    "share": (1.25, ("andel", "hur stor del", "vilken del", "procent av", "% av", "share of", "proportion",
                     "percentage of", "per cent of", "percent of", "what part of", "how large a part", "how big a part",
                     # Not "how much of" alone: "how much of X remains" asks what is left.
                     "what share", "how much of the budget", "how much of the total", "budget goes to",
                     "budget go to", "budget går till", "budgeten går till", "kostnaderna går till")),
    # Every member (or line of a group) with its own figure: "vad betalar varje kommun".
    # The mean of a group's figures ("vad betalar kommunerna i snitt").
    "average": (1.2, AVERAGE_CUES),
    "each": (1.15, ("varje", "each", "per medlem", "per kommun", "per member", "per municipality", "respektive",
                    "var och en", "fördelning", "fördelat", "fördelas", "breakdown", "broken down", "split between",
                    "every member", "every municipality")),
}

# What may follow "än" / "than" / "jämfört med" and name the other side of a comparison without
# being a line: a kind of figure or another year (besides digits). Stems, folded.
OTHER_SIDE = ("budget", "planer", "plan", "prognos", "beräkn", "utfall", "förvänt", "väntat", "tänkt", "forecast",
              "expected", "estimat", "projected", "planned", "anticipat", "outcome", "actual", "förra", "föregående",
              "fjol", "ifjol", "last", "previous", "prior", "year", "året", "år=", "tidigare", "earlier", "before")
# The words after which the other side of a comparison is named.
PARTICLES = ("än", "than", "jämfört med", "jämförelse med", "compared to", "compared with", "versus", "vs", "mot",
             "relative to", "i förhållande till")
# Words skipped between a particle and what it names ("än i fjol", "than the budget").
_FILLERS = frozenset({"den", "det", "de", "the", "a", "an", "i", "in", "vad", "what", "som", "för", "for", "to",
                      "was", "were", "is", "var", "hos", "of", "at"})


# Words that put a count among the budget's lines: money paid, received or spent.
MONEY_WORDS = ("bidr", "betal", "pengar", "money", "pay", "contribut", "budget", "kostnad", "cost", "intäkt", "income",
               "medlemsbidrag", "finansier", "fund")


def _fit(q: Question) -> float:
    if q.cues.any(CUES["count"][1]) and not q.cues.any(MONEY_WORDS):
        return -1.5  # "hur många kommuner har ledamöter" counts people, not lines
    if q.named("budget_line") or len(q.named("grant")) >= 2 or _category(q):
        return 0.0
    if q.cues.any(CUES["share"][1]) and q.cues.any(USED_WORDS):
        return 0.0  # "hur stor andel av budgeten är förbrukad": the costs in total
    if q.cues.any(CUES["change"][1]) and q.cues.any(CUES["largest"][1] + CUES["smallest"][1]) \
            and len(_years(q)) == 2:
        return 0.0  # "vilken post minskar mest från 2020 till 2021": every line is a candidate
    return -1.5


# --- what the question names -----------------------------------------------------------------


def _sections(q: Question, org_id: int) -> dict[str, tuple[str | None, str]]:
    rows = q.session.exec(select(BudgetFigure.line, BudgetFigure.section, BudgetFigure.row_type).where(
        BudgetFigure.organisation_id == org_id).distinct()).all()
    return {line: (section, row_type) for line, section, row_type in rows}


def _named_lines(q: Question) -> list[tuple[int, str]]:
    """The budget lines the question names, best first; of two lines where one's words are all
    the other's ("Vännäs" and "Vännäs kommun"), the verb keeps one: what a member pays in, or
    what an effort costs."""
    mentions = [m for m in q.named("budget_line") if not _by_organisation_name(q, m.entry.name)]
    if not mentions:
        return []
    top = mentions[0].score
    pairs = list(dict.fromkeys((m.entry.organisation_id, m.entry.name) for m in mentions
                               if m.score >= top - 0.02 and m.entry.organisation_id is not None))
    if len({o for o, _n in pairs}) != 1:
        return pairs
    sections = _sections(q, pairs[0][0])
    cost = q.has(*budget.COST_CUES) and not q.has(*budget.PAY_CUES)
    drop: set[str] = set()
    for _o, a in pairs:
        for _o2, b in pairs:
            if a != b and set(tokens(a)) < set(tokens(b)):
                longer_is_member = sections.get(b, (None, ""))[0] in budget.MEMBER_SECTIONS
                drop.add(b if cost and longer_is_member else a)
    return [(o, n) for o, n in pairs if n not in drop]


def _by_organisation_name(q: Question, line: str) -> bool:
    """A line matched only through words of the förbund's own name ("Södra Vätterbygden" in
    "SAMverkan i Södra Vätterbygden") is not named by the question."""
    org_words = {fold(t) for o in q.organisations for t in tokens(o.name)}
    words = list(q.words) + [e for w in q.words for e in budget.ENGLISH.get(w, [])]
    rest = [fold(w) for w in words if fold(w) not in org_words]
    return not any(word_match(fold(t), w) >= 0.8 for t in tokens(line) if len(t) >= 3 for w in rest)


def _category(q: Question) -> list[tuple[int, str]]:
    """Lines that share a word the question names in the plural: "kommunerna" -> every "X kommun"."""
    if len(q.organisation_ids) != 1:
        return []
    rows = q.session.exec(select(BudgetFigure.organisation_id, BudgetFigure.line).where(
        BudgetFigure.organisation_id == q.organisation_ids[0]).distinct()).all()
    out: list[tuple[int, str]] = []
    words = [(w, w) for w in q.words] + [(e, w) for w in q.words for e in budget.ENGLISH.get(w, [])]
    for w, _asked in words:
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


def _years(q: Question) -> list[int]:
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


def _latest_year(q: Question, org_id: int, names: list[str]) -> int:
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
    enough = [y for y in kinds if lines[y] == set(names) and (len(names) > 1 or len(kinds[y]) > 1)]
    return max(enough, default=q.ctx.today.year)


def _kinds_in_order(q: Question) -> list[str]:
    """The kinds of figure the question names, in the order it names them."""
    named = [k for k in budget._kinds(q) if k != "kvar"]
    if not named and period_ends(q.dates):
        return ["utfall"]  # a part of a year from its start ("tom T2 -19") asks the outcome to its end
    return sorted(named, key=lambda k: _position(q, budget.KIND_WORDS[k]))


def _years_in_order(q: Question) -> list[int]:
    years = _years(q)
    text = q.text
    return sorted(years, key=lambda y: text.find(str(y)))


def unresolved_other_side(q: Question) -> str | None:
    """The word naming the other side of a comparison ("än landstinget") when it is neither a kind
    of figure, a year, nor anything the store names: the comparison cannot be made."""
    words = q.words
    folded = [fold(w) for w in words]
    names = [fold(t) for m in q.mentions if m.score >= 0.6 for t in tokens(m.entry.name)]
    names += [fold(t) for o in q.organisations for t in tokens(o.name)]
    for particle in PARTICLES:
        if particle == "än" and q.language == "en":
            continue  # "an" is an English article, not an accentless "än"
        parts = [fold(p) for p in particle.split()]
        for i in range(len(folded) - len(parts) + 1):
            if folded[i:i + len(parts)] != parts:
                continue
            rest = [w for w in words[i + len(parts):] if w not in _FILLERS]
            if not rest:
                continue
            word = rest[0]
            f = fold(word)
            if has_digit(word) or any(f.startswith(fold(s.rstrip("="))) for s in OTHER_SIDE):
                continue
            if word in STOPWORDS or len(word) < 3:
                continue
            if any(word_match(f, n) >= 0.8 for n in names):
                continue
            return word
    return None


# --- figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Operand:
    line: str
    figure: BudgetFigure
    asked_kind: str  # the kind the question asked; the figure's may be the budget standing for a plan

    def label(self, q: Question) -> str:
        return f"{_k(q, self.figure.kind)} {self.figure.year}{_to_date(q, self.figure)}"


def _k(q: Question, kind: str) -> str:
    """A kind of figure in the asker's language: "prognos", "forecast"."""
    return q.t(kind, budget.KIND_EN.get(kind, kind).lower())


def _figure(q: Question, org_id: int, line: str, year: int, kind: str, _standing_in: bool = False) -> BudgetFigure | None:
    figures = list(q.session.exec(select(BudgetFigure).where(
        BudgetFigure.organisation_id == org_id, BudgetFigure.line == line, BudgetFigure.year == year,
        BudgetFigure.kind == kind)).all())
    ends = period_ends(q.dates)
    if ends and kind == "utfall":
        figures = [f for f in figures if f.as_of in ends]
    if not figures and kind in ("plan", "budget") and not _standing_in:
        # The plan for a budget year is its budget ("mer än planerat" in the year of the budget), and a
        # later year's plan is what is budgeted for it ("budget 2021 och plan 2022-2023"): said in the answer.
        return _figure(q, org_id, line, year, "budget" if kind == "plan" else "plan", _standing_in=True)
    return budget._pick(figures, q) if figures else None


def _actual(q: Question, org_id: int, line: str, year: int) -> BudgetFigure | None:
    """What the year came to: its full-year outcome, else the latest forecast (an outcome to a
    tertial is not what the year came to)."""
    outcome = _figure(q, org_id, line, year, "utfall")
    if outcome is not None and budget._full_year(outcome):
        return outcome
    return _figure(q, org_id, line, year, "prognos")


def _what_exists(q: Question, org_id: int, line: str, years: list[int] | None = None) -> str:
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
    parts = [f"{_k(q, f.kind)} {f.year}{_to_date(q, f)}: {amount_text(f.amount, f.unit)}" for f in seen.values()]
    return "; ".join(parts[:8])


def _to_date(q: Question, f: BudgetFigure) -> str:
    if f.kind == "utfall" and f.as_of is not None and not budget._full_year(f):
        return q.t(f" t.o.m. {f.as_of.isoformat()}", f" to {f.as_of.isoformat()}")
    return ""


def _missing(q: Question, what_sv: str, what_en: str | None = None, exists: str = "") -> Reply:
    text = q.t(f"Handlingarna har inte {what_sv}.", f"The documents do not have {what_en or what_sv}.")
    if exists:
        text += q.t(f" Det som finns: {exists}.", f" What there is: {exists}.")
    return Reply(text, answered=False, language=q.language)


def _percent(q: Question, part: int, whole: int) -> str:
    value = 100 * part / whole
    pattern = "#,##0.0"
    return f"{format_decimal(round(value, 1), format=pattern, locale='sv_SE' if q.language != 'en' else 'en')} %"


def _signed_percent(q: Question, delta: int, base: int) -> str:
    """The change in per cent of `base`; none across a change of sign (a deficit turned surplus)."""
    if base == 0 or (base < 0 and base + delta > 0) or (base > 0 and base + delta < 0):
        return ""
    text = _percent(q, abs(delta), abs(base))
    return f"{'+' if delta >= 0 else '−'}{text}"


def _unit(*figures: BudgetFigure) -> str:
    return "tkr" if all(f.unit == "tkr" for f in figures) else "kr"


def _sources(q: Question, org_id: int, figures: list[BudgetFigure]) -> list[Source]:
    org = q.organisation(org_id)
    return list(dict.fromkeys(figure_source(q.session, org, f) for f in figures))


def _compare_two(q: Question, org_id: int, ref: Operand, other: Operand, naming: str,
                 parts: list[BudgetFigure] | None = None) -> Reply:
    """`other` against `ref`: how much higher or lower, in kronor and per cent of `ref`. Costs
    written negative compare by size (−1 969 tkr is the higher cost)."""
    a, b = ref.figure, other.figure
    both_costs = a.amount < 0 and b.amount < 0
    x, y = (abs(a.amount), abs(b.amount)) if both_costs else (a.amount, b.amount)
    delta = y - x
    unit = _unit(a, b)
    pct = _signed_percent(q, delta, x)
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
        verdict += _standing_note(q, op)
    cited = [f for f in (a, b) if f.id is not None] + (parts or [])
    return Reply(head + verdict, sources=_sources(q, org_id, cited), language=q.language)


def _standing_note(q: Question, op: Operand) -> str:
    """Said when a plan stands for a budget or the other way (see `_figure`)."""
    if op.asked_kind == op.figure.kind or {op.asked_kind, op.figure.kind} != {"plan", "budget"}:
        return ""
    return q.t(f" (Ingen {op.asked_kind} {op.figure.year} i handlingarna; {op.figure.kind} {op.figure.year} står för den.)",
               f" (No {_k(q, op.asked_kind)} {op.figure.year} in the documents; the {_k(q, op.figure.kind)} "
               f"{op.figure.year} stands for it.)")


def _kinds_difference(q: Question, org_id: int, line: str, year: int) -> Reply:
    """One line, one year: budget (or plan) against forecast or outcome, as the question names them."""
    named = _kinds_in_order(q)
    if len(named) >= 2:
        ref_kind, other_kind = (named[0], named[1]) if named[0] in ("budget", "plan") or named[1] not in (
            "budget", "plan") else (named[1], named[0])
        ref = _figure(q, org_id, line, year, ref_kind)
        other = _figure(q, org_id, line, year, other_kind)
    elif named and named[0] in ("prognos", "utfall"):
        ref_kind, other_kind = "budget", named[0]
        ref = _figure(q, org_id, line, year, "budget")
        other = _figure(q, org_id, line, year, other_kind)
    else:
        ref_kind = named[0] if named else "budget"
        ref = _figure(q, org_id, line, year, ref_kind)
        other = _actual(q, org_id, line, year)
        other_kind = other.kind if other is not None else q.t("utfall eller prognos", "outcome or forecast")
    if ref is None or other is None:
        lacking = [k for k, f in ((ref_kind, ref), (other_kind, other)) if f is None]
        return _missing(q, f"{join_words(lacking)} {year} för {line}",
                        f"{join_words(lacking, 'en')} {year} for {line}", _what_exists(q, org_id, line))
    if ref.id == other.id:
        return _missing(q, f"två olika siffror att jämföra för {line} {year}",
                        f"two different figures to compare for {line} {year}", _what_exists(q, org_id, line))
    return _compare_two(q, org_id, Operand(line, ref, ref_kind), Operand(line, other, other_kind), "kinds")


def _between_years(q: Question, org_id: int, line: str, years: list[int]) -> Reply:
    """One line in two years: the change, in kronor and per cent of the first year. Two kinds
    named with two years pair in the order written ("prognosen 2020 och budgeten 2021")."""
    first, last = years[0], years[-1]
    named = _kinds_in_order(q)
    if len(named) >= 2:
        kinds = {first: named[0], last: named[1]}
    else:
        kinds = {first: named[0], last: named[0]} if named else {}
    periods = {d.start.year: d for d in q.dates if d.year_given and (d.start.month, d.end.month) != (1, 12)}
    if not kinds and len(periods) == 2:
        return _between_periods(q, org_id, line, [periods[first], periods[last]])
    if not kinds:
        # One kind for both years where both have it ("budget 2020 … budget 2021"), else each year's own.
        common = [k for k in budget.PREFERENCE if all(_figure(q, org_id, line, y, k) for y in (first, last))]
        if common:
            kinds = {first: common[0], last: common[0]}
    ops: list[Operand] = []
    for year in (first, last):
        if year in kinds:
            f = _figure(q, org_id, line, year, kinds[year])
            asked = kinds[year]
        else:
            f = next((g for k in ("budget", "prognos", "plan") if (g := _figure(q, org_id, line, year, k)) is not None),
                     None)
            asked = f.kind if f is not None else "budget"
        if f is None:
            return _missing(q, f"{kinds.get(year, 'någon siffra')} {year} för {line}",
                            f"{kinds.get(year, 'any figure')} {year} for {line}",
                            _what_exists(q, org_id, line))
        ops.append(Operand(line, f, asked))
    a, b = ops
    x, y = a.figure.amount, b.figure.amount
    if x < 0 and y < 0:
        x, y = abs(x), abs(y)
    delta = y - x
    unit = _unit(a.figure, b.figure)
    pct = _signed_percent(q, delta, x)
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
    text += _standing_note(q, a) + _standing_note(q, b)
    return Reply(text, sources=_sources(q, org_id, [a.figure, b.figure]), language=q.language)


def _between_periods(q: Question, org_id: int, line: str, spans: list) -> Reply:
    """'Per end of August 2020 against end of August 2019': the figures stated as of a day in each
    period the question names (a tertial's outcome to date), of one kind."""
    figures = list(q.session.exec(select(BudgetFigure).where(
        BudgetFigure.organisation_id == org_id, BudgetFigure.line == line)).all())
    picked: list[BudgetFigure] = []
    for span in spans:
        inside = [f for f in figures if f.as_of is not None and span.contains(f.as_of) and f.kind == "utfall"]
        if not inside:
            return _missing(q, f"någon siffra för {line} per {span.start.isoformat()[:7]}",
                            f"any figure for {line} as of {span.start.isoformat()[:7]}", _what_exists(q, org_id, line))
        picked.append(budget._pick(inside, q))
    a, b = picked
    delta = b.amount - a.amount
    unit = _unit(a, b)
    pct = _signed_percent(q, delta, a.amount)
    la = q.t(f"utfall t.o.m. {a.as_of}", f"outcome to {a.as_of}")
    lb = q.t(f"utfall t.o.m. {b.as_of}", f"outcome to {b.as_of}")
    word_sv = "är oförändrat" if delta == 0 else ("ökar" if delta > 0 else "minskar") + \
        f" med {amount_text(abs(delta), unit)} ({pct})"
    word_en = "is unchanged" if delta == 0 else ("increases" if delta > 0 else "decreases") + \
        f" by {amount_text(abs(delta), unit)} ({pct})"
    return Reply(q.t(f"{line}: {la} {amount_text(a.amount, a.unit)}, {lb} {amount_text(b.amount, b.unit)}; "
                     f"{word_sv}.",
                     f"{line}: {la} {amount_text(a.amount, a.unit)}, {lb} {amount_text(b.amount, b.unit)}; {word_en}."),
                 sources=_sources(q, org_id, [a, b]), language=q.language)


def _two_lines(q: Question, org_id: int, names: list[str], year: int) -> Reply:
    """Two lines, one year: the second named against the first, of the same kind."""
    named = _kinds_in_order(q)
    kind = named[0] if named else None
    ops: list[Operand] = []
    for name in _asked_then_reference(q, names):
        f = _figure(q, org_id, name, year, kind) if kind is not None else None
        if f is None and (kind is None or not _has_year(q, org_id, name, year, kind)):
            # A line with no figure of the kind asked (a ceiling beside a forecast) compares by what it has.
            f = next((g for k in budget.PREFERENCE if (g := _figure(q, org_id, name, year, k)) is not None), None)
        if f is None:
            return _missing(q, f"{kind or 'någon siffra'} {year} för {name}", f"{kind or 'any figure'} {year} for {name}",
                            _what_exists(q, org_id, name))
        ops.append(Operand(name, f, f.kind))
    # What is asked about ("hur mycket mer betalar A än B") against the reference B.
    return _compare_two(q, org_id, ops[1], ops[0], "lines")


def _lines_for_word(q: Question, org_id: int, word: str, exclude: str) -> list[str]:
    """The lines a word names, in Swedish or English ("municipalities" -> "Bidrag kommuner", or
    every "X kommun" line): the shortest matching word wins, as in `_category`."""
    rows = [line for line, (_s, row_type) in _sections(q, org_id).items() if row_type == "line" and line != exclude]
    out: list[str] = []
    for w in [word, *budget.ENGLISH.get(word, [])]:
        if len(w) < 4:
            continue
        stemmed = stem(w)
        matched = [(line, next(t for t in tokens(line) if stem(t) == stemmed)) for line in rows
                   if any(stem(t) == stemmed for t in tokens(line))]
        shortest = min((len(t) for _l, t in matched), default=0)
        out = out or [line for line, t in matched if len(t) == shortest]
    return out


def _line_against_group(q: Question, org_id: int, line: str, group: list[str], year: int) -> Reply:
    """One line against the sum of a group it is compared with ("than the municipalities together")."""
    named = _kinds_in_order(q)
    kind = named[0] if named else "budget"
    f = _figure(q, org_id, line, year, kind)
    parts = [(g, _figure(q, org_id, g, year, kind)) for g in group]
    lacking = [name for name, p in [(line, f), *parts] if p is None]
    if f is None or lacking:
        return _missing(q, f"{_k(q, kind)} {year} för {join_words(lacking)}", f"{_k(q, kind)} {year} for "
                        f"{join_words(lacking, 'en')}", _what_exists(q, org_id, lacking[0]))
    figures = [p for _g, p in parts if p is not None]
    total = BudgetFigure(organisation_id=org_id, document_id=figures[0].document_id, year=year, kind=kind,
                         line=" + ".join(group), amount=sum(p.amount for p in figures), unit=_unit(*figures))
    name = q.t(f"{_group_word(q, [(org_id, g) for g in group]) or 'gruppen'} tillsammans",
               f"{_group_word(q, [(org_id, g) for g in group]) or 'the group'} together")
    reply = _compare_two(q, org_id, Operand(name, total, kind), Operand(line, f, kind), "lines", parts=figures)
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
        after = [n for n in ordered if where(n) > particle]
        if len(after) == 1:
            return [next(n for n in ordered if n != after[0]), after[0]]
    return ordered


def _asks_percent(q: Question) -> bool:
    """'Hur många procent …' asks a share or a change in per cent, not how many lines."""
    return "%" in q.text or q.cues.any(("procent", "percent", "per cent"))


def _count_lines(q: Question, lines: list[tuple[int, str]]) -> Reply:
    """'Hur många kommuner bidrar 2019?': the lines of the kind named, counted, with their figures."""
    years = _years(q) or [q.ctx.today.year]
    kind = (_kinds_in_order(q) or ["budget"])[0]
    org_id = lines[0][0]
    present = [(line, f) for _o, line in lines if (f := _figure(q, org_id, line, years[0], kind)) is not None]
    if not present:
        return _missing(q, f"{_k(q, kind)} {years[0]} för {join_words([line for _o, line in lines])}")
    parts = ", ".join(f"{line} {amount_text(f.amount, f.unit)}" for line, f in present)
    return Reply(q.t(f"{len(present)} st ({_k(q, kind)} {years[0]}): {parts}.",
                     f"{len(present)} ({_k(q, kind)} {years[0]}): {parts}."),
                 sources=_sources(q, org_id, [f for _l, f in present]), language=q.language)


def _group_word(q: Question, lines: list[tuple[int, str]]) -> str:
    """The question's word for a group of lines ("kommunerna", "municipalities"), to name it."""
    for w in q.words:
        for e in [w, *budget.ENGLISH.get(w, [])]:
            if len(e) >= 5 and all(any(stem(t) == stem(e) for t in tokens(line)) for _o, line in lines):
                return w
    return ""


def _sum_lines(q: Question, lines: list[tuple[int, str]]) -> Reply:
    years = _years(q) or [q.ctx.today.year]
    named = _kinds_in_order(q)
    org_id = lines[0][0]
    present: list[tuple[str, BudgetFigure]] = []
    for _o, line in lines:
        if named:
            f = _figure(q, org_id, line, years[0], named[0])
        else:
            f = next((g for k in budget.PREFERENCE if (g := _figure(q, org_id, line, years[0], k)) is not None), None)
        if f is None:
            return _missing(q, f"{named[0] if named else 'någon siffra'} {years[0]} för {line}",
                            f"{named[0] if named else 'any figure'} {years[0]} for {line}",
                            _what_exists(q, org_id, line))
        present.append((line, f))
    kinds = {f.kind for _l, f in present}
    if len(kinds) != 1:
        return _missing(q, f"samma slags siffra {years[0]} för {join_words([line for line, _f in present])}",
                        f"the same kind of figure {years[0]} for {join_words([line for line, _f in present], 'en')}")
    kind = next(iter(kinds))
    total = sum(f.amount for _l, f in present)
    unit = _unit(*[f for _l, f in present])
    parts = " + ".join(f"{line} {amount_text(f.amount, f.unit)}" for line, f in present)
    group = _group_word(q, lines)
    whose = f" ({group})" if group else ""
    return Reply(q.t(f"Sammanlagt{whose} {_k(q, kind)} {years[0]}: {amount_text(total, unit)} ({parts}).",
                     f"Together{whose}, {_k(q, kind)} {years[0]}: {amount_text(total, unit)} ({parts})."),
                 sources=_sources(q, org_id, [f for _l, f in present]), language=q.language)


def _total_line(q: Question, org_id: int, line: str) -> Reply:
    """A sum asked of a total the table itself gives ("Summa intäkter"): its value, named as the
    table's total."""
    years = _years(q) or [q.ctx.today.year]
    named = _kinds_in_order(q)
    kind = named[0] if named else None
    f = _figure(q, org_id, line, years[0], kind) if kind else next(
        (g for k in budget.PREFERENCE if (g := _figure(q, org_id, line, years[0], k)) is not None), None)
    if f is None:
        return _missing(q, f"{kind or 'någon siffra'} {years[0]} för {line}", f"{kind or 'any figure'} {years[0]} for "
                        f"{line}", _what_exists(q, org_id, line))
    return Reply(q.t(f"Totalt {_k(q, f.kind)} {f.year}: {amount_text(f.amount, f.unit)} (tabellens rad {line}).",
                     f"In total, {_k(q, f.kind)} {f.year}: {amount_text(f.amount, f.unit)} (the table's line {line})."),
                 sources=_sources(q, org_id, [f]), language=q.language)


def _each(q: Question, lines: list[tuple[int, str]], average: bool = False) -> Reply:
    """Every line of a group with its own figure, and their sum."""
    reply = _sum_lines(q, lines)
    if not reply.answered:
        return reply
    years = _years(q) or [q.ctx.today.year]
    org_id = lines[0][0]
    named = _kinds_in_order(q)
    rows = []
    figures = []
    for _o, line in lines:
        f = _figure(q, org_id, line, years[0], named[0]) if named else next(
            (g for k in budget.PREFERENCE if (g := _figure(q, org_id, line, years[0], k)) is not None), None)
        if f is not None:
            rows.append(f"• {line}: {amount_text(f.amount, f.unit)}")
            figures.append(f)
    kind = figures[0].kind
    total = sum(f.amount for f in figures)
    head = q.t(f"{kind.capitalize()} {years[0]}, var för sig:", f"{kind.capitalize()} {years[0]}, each:")
    tail = q.t(f"Sammanlagt: {amount_text(total, _unit(*figures))}.", f"Together: {amount_text(total, _unit(*figures))}.")
    if average:
        mean = round(total / len(figures))
        head = q.t(f"I genomsnitt {kr(mean)} ({_k(q, kind)} {years[0]}, {kr(total)} / {len(figures)}):",
                   f"On average {kr(mean)} ({_k(q, kind)} {years[0]}, {kr(total)} / {len(figures)}):")
    return Reply("\n".join([head, *rows, tail]), sources=reply.sources, language=q.language)


def _whole_of(q: Question, org_id: int, part: str, year: int, kind: str) -> tuple[str, BudgetFigure] | None:
    """The total a line is part of: a total the question names, else its section's total."""
    sections = _sections(q, org_id)
    for m in q.named("budget_line"):
        name = m.entry.name
        if m.entry.organisation_id == org_id and name != part and sections.get(name, (None, ""))[1] in (
                "total", "subtotal") and m.score >= 0.7:
            f = _figure(q, org_id, name, year, kind)
            if f is not None:
                return name, f
    section = sections.get(part, (None, ""))[0]
    candidates = [section] + (["intäkter"] if section in budget.MEMBER_SECTIONS else [])
    for sec in candidates:
        totals = [name for name, (s, row_type) in sections.items() if s == sec and row_type == "total"]
        totals.sort(key=lambda n: (not n.lower().startswith("summa"), n))
        for name in totals:
            f = _figure(q, org_id, name, year, kind)
            if f is not None:
                return name, f
    return None


# Words that ask how much of a budget has been used: the outcome so far against the budget.
USED_WORDS = ("förbruk", "använt", "använts", "nyttjat", "utnyttj", "spent", "used up", "been used", "consumed")


def _used_share(q: Question, lines: list[tuple[int, str]]) -> Reply | None:
    """'Hur stor andel av budgeten har förbrukats efter T2?': a line's outcome to date as a share of
    its budget for the year (the costs in total when no line is named)."""
    org_ids = {o for o, _n in lines} or set(q.organisation_ids)
    if len(org_ids) != 1:
        return None
    org_id = next(iter(org_ids))
    sections = _sections(q, org_id)
    years = _years(q) or [q.ctx.today.year]
    candidates = [n for _o, n in lines] or sorted(
        (n for n, (sec, row_type) in sections.items() if sec == "kostnader" and row_type == "total"),
        key=lambda n: (not ("summa" in n.lower() or "totalt" in n.lower()), n))
    for line in candidates:
        budget_figure = _figure(q, org_id, line, years[0], "budget")
        outcomes = list(q.session.exec(select(BudgetFigure).where(
            BudgetFigure.organisation_id == org_id, BudgetFigure.line == line, BudgetFigure.year == years[0],
            BudgetFigure.kind == "utfall")).all())
        ends = period_ends(q.dates)
        outcomes = [f for f in outcomes if not ends or f.as_of in ends]
        if budget_figure is None or not outcomes or budget_figure.amount == 0:
            continue
        used = budget._pick(outcomes, q)
        pct = _percent(q, abs(used.amount), abs(budget_figure.amount))
        label = _k(q, "utfall") + _to_date(q, used)
        return Reply(q.t(f"{line} {years[0]}: {label} {amount_text(used.amount, used.unit)} av budget "
                         f"{amount_text(budget_figure.amount, budget_figure.unit)}, det vill säga {pct} av budgeten.",
                         f"{line} {years[0]}: {label} {amount_text(used.amount, used.unit)} of the budget "
                         f"{amount_text(budget_figure.amount, budget_figure.unit)}, that is {pct} of the budget."),
                     sources=_sources(q, org_id, [used, budget_figure]), language=q.language)
    what = join_words(candidates) if candidates else q.t("kostnaderna", "the costs")
    return _missing(q, f"både budget och utfall {years[0]} för {what}", f"both budget and outcome {years[0]} for {what}")


def _share(q: Question, lines: list[tuple[int, str]]) -> Reply | None:
    org_id = lines[0][0]
    sections = _sections(q, org_id)
    parts = [line for _o, line in lines if sections.get(line, (None, ""))[1] == "line"] or [lines[0][1]]
    part = parts[0]
    years = _years(q) or [q.ctx.today.year]
    named = _kinds_in_order(q)
    kind = named[0] if named else "budget"
    f = _figure(q, org_id, part, years[0], kind)
    if f is None:
        return _missing(q, f"{_k(q, kind)} {years[0]} för {part}", f"{_k(q, kind)} {years[0]} for {part}", _what_exists(q, org_id, part))
    whole = _whole_of(q, org_id, part, years[0], kind)
    if whole is None or whole[1].amount == 0:
        return _missing(q, f"någon total att räkna andelen av för {part} {years[0]}",
                        f"a total to take {part}'s share of in {years[0]}")
    name, w = whole
    if abs(w.amount) <= abs(f.amount) and sections.get(part, (None, ""))[1] != "line":
        return _missing(q, f"en större total att räkna andelen av för {part} {years[0]}",
                        f"a larger total to take {part}'s share of in {years[0]}")
    pct = _percent(q, abs(f.amount), abs(w.amount))
    return Reply(q.t(f"{part} är {pct} av {name} ({_k(q, kind)} {years[0]}: {amount_text(f.amount, f.unit)} av "
                     f"{amount_text(w.amount, w.unit)}).",
                     f"{part} is {pct} of {name} ({_k(q, kind)} {years[0]}: {amount_text(f.amount, f.unit)} of "
                     f"{amount_text(w.amount, w.unit)})."), sources=_sources(q, org_id, [f, w]), language=q.language)


def _extreme_of(q: Question, lines: list[tuple[int, str]], largest: bool) -> Reply:
    """The largest or smallest of lines the question names as a group ("vilken kommun …")."""
    years = _years(q) or [q.ctx.today.year]
    kind = (budget._kinds(q) or ["budget"])[0]
    figures = [(line, _figure(q, org_id, line, years[0], kind)) for org_id, line in lines]
    present = [(line, f) for line, f in figures if f is not None]
    if not present:
        return _missing(q, f"{_k(q, kind)} {years[0]} för {join_words([line for _o, line in lines])}")
    line, pick = (max if largest else min)(present, key=lambda x: abs(x[1].amount))
    org = q.organisation(lines[0][0])
    word = q.t("störst" if largest else "minst", "the largest" if largest else "the smallest")
    others = ", ".join(f"{name} {amount_text(f.amount, f.unit)}" for name, f in present)
    return Reply(q.t(f"{line} har {word} belopp ({_k(q, kind)} {years[0]}): {amount_text(pick.amount, pick.unit)}. "
                     f"Alla: {others}.",
                     f"{line} has {word} amount ({_k(q, kind)} {years[0]}): {amount_text(pick.amount, pick.unit)}. "
                     f"All: {others}."),
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
                 sources=[figure_source(q.session, org, pick)], language=q.language)


# --- grants ------------------------------------------------------------------------------------


# Words that ask which line fell the most, rather than rose.
DECREASE_WORDS = ("minsk", "sänk", "cut=", "cuts", "decreas", "reduc", "drop", "fall", "fell", "sjunk", "sjönk",
                  "går ner", "gick ner", "go down", "went down", "lower", "lägre")


def _extreme_change(q: Question, lines: list[tuple[int, str]], years: list[int], largest: bool) -> Reply | None:
    """'Vilken post minskar mest från 2020 till 2021?': every plain line (of the section a named total
    stands for) with the same kind of figure in both years, the one that changed the most that way."""
    org_ids = {o for o, _n in lines} or set(q.organisation_ids)
    if len(org_ids) != 1:
        return choose_organisation(q, q.organisations)
    org_id = next(iter(org_ids))
    sections = _sections(q, org_id)
    scope = {sections[n][0] for _o, n in lines if sections.get(n, (None, ""))[1] in ("total", "subtotal")}
    first, last = years[0], years[-1]
    named = _kinds_in_order(q)
    changes: list[tuple[int, str, BudgetFigure, BudgetFigure]] = []
    for line, (section, row_type) in sections.items():
        if row_type != "line" or (scope and section not in scope):
            continue
        for kind in named or ["budget", "plan", "prognos"]:
            a, b = _figure(q, org_id, line, first, kind), _figure(q, org_id, line, last, kind)
            if a is not None and b is not None and a.kind == b.kind:
                changes.append((abs(b.amount) - abs(a.amount), line, a, b))
                break
    if not changes:
        return _missing(q, f"poster med samma slags siffra {first} och {last}",
                        f"lines with the same kind of figure in {first} and {last}")
    falling = q.cues.any(DECREASE_WORDS)
    key = (lambda c: -c[0]) if falling else (lambda c: c[0])
    delta, line, a, b = (max if largest else min)(changes, key=key)
    label_a, label_b = f"{_k(q, a.kind)} {first}", f"{_k(q, b.kind)} {last}"
    unit = _unit(a, b)
    pct = _signed_percent(q, delta, abs(a.amount))
    word_sv = ("minskar" if delta < 0 else "ökar") + (" mest" if largest else " minst")
    word_en = ("decreases" if delta < 0 else "increases") + (" the most" if largest else " the least")
    return Reply(q.t(f"{line} {word_sv} från {label_a} till {label_b}: med {amount_text(abs(delta), unit)}"
                     f"{f' ({pct})' if pct else ''} ({label_a}: {amount_text(a.amount, a.unit)}, {label_b}: "
                     f"{amount_text(b.amount, b.unit)}), av {len(changes)} poster med båda åren.",
                     f"{line} {word_en} from {label_a} to {label_b}: by {amount_text(abs(delta), unit)}"
                     f"{f' ({pct})' if pct else ''} ({label_a}: {amount_text(a.amount, a.unit)}, {label_b}: "
                     f"{amount_text(b.amount, b.unit)}), of {len(changes)} lines with both years."),
                 sources=_sources(q, org_id, [a, b]), language=q.language)


def _named_grants(q: Question) -> list[grants.Grant]:
    # One grant per name: the latest effort under it (a name may be reused for a later one).
    latest: dict[str, int] = {}
    for m in q.named("grant"):
        if m.entry.ref is not None:
            latest[m.entry.name] = max(latest.get(m.entry.name, 0), m.entry.ref)
    chosen = [grants.GrantName(ref, 0, name, None) for name, ref in latest.items()]
    return grants._load(q, chosen)


def _grant_difference(q: Question) -> Reply | None:
    """'Hur mycket mer fick A än B?': two grants' amounts and the difference."""
    loaded = _named_grants(q)
    if len(loaded) != 2:
        return None
    a, b = loaded
    if a.max_amount is None or b.max_amount is None:
        return _missing(q, f"belopp för både {a.name} och {b.name}", f"amounts for both {a.name} and {b.name}")
    delta = abs(a.max_amount - b.max_amount)
    more, less = (a, b) if a.max_amount >= b.max_amount else (b, a)
    sources = [grants._source(q, g, grants._granting_event(q, g)) for g in (a, b)]
    return Reply(q.t(f"{more.name} fick {kr(delta)} mer än {less.name} ({kr(more.max_amount or 0)} mot "
                     f"{kr(less.max_amount or 0)}).",
                     f"{more.name} got {kr(delta)} more than {less.name} ({kr(more.max_amount or 0)} against "
                     f"{kr(less.max_amount or 0)})."), sources=sources, language=q.language)


def _grant_sum(q: Question) -> Reply | None:
    """'Hur mycket fick A och B sammanlagt?': the named grants' amounts added."""
    loaded = _named_grants(q)
    if len(loaded) < 2:
        return None
    lacking = [g.name for g in loaded if g.max_amount is None]
    if lacking:
        return _missing(q, f"belopp för {join_words(lacking)}", f"amounts for {join_words(lacking, 'en')}")
    total = sum(g.max_amount or 0 for g in loaded)
    parts = " + ".join(f"{g.name} {kr(g.max_amount or 0)}" for g in loaded)
    sources = list(dict.fromkeys(grants._source(q, g, grants._granting_event(q, g)) for g in loaded))
    return Reply(q.t(f"Sammanlagt {kr(total)} ({parts}).", f"Together {kr(total)} ({parts})."), sources=sources,
                 language=q.language)


# --- the kind ----------------------------------------------------------------------------------


def answer(q: Question) -> Reply | None:
    facets = set(q.reading_facets)
    if facets & {"difference", "change"} and len(q.named("grant")) >= 2:
        reply = _grant_difference(q)
        if reply is not None:
            return reply
    if "sum" in facets and len(q.named("grant")) >= 2 and not q.named("budget_line"):
        reply = _grant_sum(q)
        if reply is not None:
            return reply
    if "count" in facets and not _asks_percent(q):
        group = _category(q)
        return _count_lines(q, group) if group else None
    lines = _named_lines(q)
    if len({o for o, _n in lines}) > 1:
        return None
    if "share" in facets and q.cues.any(USED_WORDS):
        return _used_share(q, lines)
    if "share" in facets and lines:
        return _share(q, lines)
    group = _category(q) if len(lines) < 2 else []
    if facets & {"each", "average"} and group:
        return _each(q, group, average="average" in facets)
    comparing = bool(facets & {"difference", "change"})
    if "sum" in facets and len(lines) < 2 and not comparing:
        if group:
            return _sum_lines(q, group)
        if lines and _sections(q, lines[0][0]).get(lines[0][1], (None, ""))[1] in ("total", "subtotal"):
            return _total_line(q, *lines[0])
    years_named = _years_in_order(q)
    if facets & {"largest", "smallest"} and "change" in facets and len(years_named) == 2:
        return _extreme_change(q, lines, years_named, "largest" in facets)
    if not lines:
        if group and facets & {"largest", "smallest"}:
            return _extreme_of(q, group, "largest" in facets)
        return None
    org_id = lines[0][0]
    names = [n for _o, n in lines]
    years = _years_in_order(q) or [_latest_year(q, org_id, names)]
    if "sum" in facets and len(names) > 1 and not comparing:
        return _sum_lines(q, lines)
    if facets & {"largest", "smallest"}:
        return _extreme_line(q, org_id, names[0], years[0], (budget._kinds(q) or ["budget"])[0], "largest" in facets)
    if not facets & {"difference", "change"}:
        return budget.answer(q)
    if len(names) == 2 and len(years) <= 1:
        return _two_lines(q, org_id, names, years[0])
    if len(names) > 2:
        return None
    other = unresolved_other_side(q)
    if other is not None and len(years) <= 1:
        against = _lines_for_word(q, org_id, other, exclude=names[0])
        if len(against) == 1:
            reply = _two_lines(q, org_id, [names[0], against[0]], years[0])
            # The line stands for the word the question used ("municipalities" for "Bidrag kommuner").
            gloss = q.t(f" (”{other}”: {against[0]})", f" (“{other}”: {against[0]})")
            return Reply(reply.text + gloss, sources=reply.sources, language=q.language) if reply.answered else reply
        if len(against) > 1:
            return _line_against_group(q, org_id, names[0], against, years[0])
    if other is not None:
        return _missing(q, f"något om ”{other}” att jämföra {names[0]} med",
                        f"anything on “{other}” to compare {names[0]} with", _what_exists(q, org_id, names[0], years))
    if len(years) >= 2:
        return _between_years(q, org_id, names[0], years)
    return _kinds_difference(q, org_id, names[0], years[0])


KIND = register(Kind(name="compare", label_sv="en jämförelse av siffror", label_en="a comparison of figures",
                     cues=CUES, answer=answer, entities=("budget_line", "grant"), entity_weight=0.8, fit=_fit, order=2,
                     figure=True, vetoes=("varför", "why", "how come", "beslut", "beslöt", "decide", "decision", "bestämd", "bestämt",
                                         "landade")))
