"""Figures compared and combined: budget against prognos against utfall, change between years
(in kronor and per cent), the sum of several lines or grants, a line's share of its total, each
member's figure, the largest or smallest line. This module reads what the question asks and names;
the arithmetic is in handlers/answers/figure_comparisons.py and figure_aggregates.py, over the
figures read by handlers/answers/figures.py.

Every computed answer shows its operands, each with its kind and year, and cites where each was
read. A figure is computed only when every operand was found for exactly what the question names
(the line, the year, the kind): otherwise the reply says which operand is missing and what the
store does have. A comparison whose other side the question names but the store does not know
("… än landstinget") is not turned into another comparison.
"""

from __future__ import annotations

import dataclasses
import re
from contextvars import ContextVar

from sqlmodel import col, select

from handlers.answers import budget, passages
from handlers.answers.core import Question, choose_organisation, figure_source, source_for
from handlers.answers.dates import MONTHS, period_ends
from handlers.answers.figure_across import across, compared_organisations, named_organisations
from handlers.answers.figure_aggregates import (
    GRANTS_MADE,
    OTHER_GRANTS,
    USED_WORDS,
    WHOLE_NAMED,
    asks_percent,
    count_lines,
    each,
    extreme_line,
    extreme_of,
    grant_against_rest,
    grant_difference,
    grant_sum,
    grants_against_line,
    group_share,
    part_of_group,
    share,
    sum_lines,
    total_budget,
    total_line,
    used_share,
)
from handlers.answers.figure_comparisons import (
    REFERENCE_WORDS,
    SAME_PERIOD,
    between_years,
    extreme_change,
    extreme_gap,
    extreme_year,
    gap_of_each,
    group_between_years,
    kinds_difference,
    line_against_group,
    line_years,
    lines_for_word,
    lines_off_budget,
    off_own_budget,
    over_years,
    two_lines,
    years_spanned,
)
from handlers.answers.figures import (
    MEMBER_PLURALS,
    MEMBER_TYPES,
    MEMBER_WHOLES,
    figure,
    group_word,
    kinds_in_order,
    latest_year,
    line_sections,
    missing,
    what_exists,
    years_asked,
    years_in_order,
)
from handlers.answers.kinds.grant_list import AVERAGE_CUES, EFFORT_TABLE_WORDS, effort_extreme
from handlers.answers.text import GENERIC, amount_text, fold, has_digit, join_words, kr, tokens, word_match
from handlers.messages import Reply
from handlers.understanding import exclusion
from handlers.understanding.kinds import REASON_CUES, TALKS_LANDED, WORKING_TIME, Cues, Kind, register
from storage.models import BudgetFigure, Document, Grant, GrantEvent
from storage.search import STOPWORDS, stem

BY_HOW_MUCH = ("by how much", "med hur mycket", "med hur mkt")

CUES = {
    "difference": (1.2, ("skillnad", "skiljer", "jämför", "compare", "contrast", "kontra=", "förhåller sig", "förhöll sig", "förhållande till",
                         "in relation to", "relative to", "variance", "off budget", "från budget", "from budget", "differ", "diff=", "under budget", "över budget", "jämfört", "compared",
                         "versus", "vs=", "mot budget",
                         # "Betalar regionen lika mycket som kommunerna?": as much as the other.
                         "lika mycket som", "lika stort som", "lika stora som", "as much as", "the same amount as",
                         # Spoken English for setting one against another ("how does Enter stack up against ARCH").
                         "stack up", "stacks up", "stacking up", "measure up", "measures up", "hold up against",
                         "holds up against",
                         # One period against another ("i år mot förra året", "this year against last year").
                         "mot förra", "mot föregående", "mot i fjol", "mot fjolår", "mot året innan", "mot samma",
                         "mot prognos", "mot utfall", "against last", "against the previous", "against the same",
                         "against the budget", "against the forecast", "avvik", "deviat", "överskrid", "överstig", "exceed", "beat=", "beats", "slår=", "överträffar", "outperform",
                         "below budget", "mindre än", "lägre än", "högre än", "dyrare än", "billigare än",
                         "större än", "mer än", "less than", "more than", "lower than", "higher than",
                         "larger than", "smaller than", "bigger than", "greater than", "fewer than", "gap between",
                         "how much larger", "how much smaller", "how much higher", "how much lower",
                         "how much bigger", "how much more", "how much less", "hur mycket större", "hur mycket mindre",

                         "hur mycket högre", "hur mycket lägre", "hur mycket mer", "hur mycket dyrare",
                         "above budget", "over budget", "under=", "över=", "above=", "below=", "gap=", "beat=",
                         # "budget mot utfall": one kind of figure set against another.
                         "står sig", "stod sig", "mot utfall", "mot prognos", "mot plan", "mot faktiskt", "mot faktiska", "mot verkligt",
                         "mot budget", "mot budgeten", "mot prognosen", "mot utfallet", "against budget",
                         "against the budget", "against forecast", "against the forecast", "against outcome",
                         "against actual", "against the outcome",
                         "beats", "slår=", "slog=", "överträff", "outperform", "overshoot", "undershoot",
                         # Going past a budget, up or down ("overrun the budget", "spräcka budgeten").
                         "overrun", "overran", "overspen", "underspen", "spräck", "överdrag", "underskrid",
                         "undercut", "fall short", "falls short", "fell short", "short of",
                         # "A against B", "how far apart are A and B".
                         "against=", "far apart", "how far", "hur långt ifrån", "hur långt från", "hur nära",
                         "gapet", "gapen", "glappet")),
    "change": (1.2, ("ökar", "ökning", "ökade", "ökat", "minskar", "minskning", "minskade", "minskat", "höjs", "höjd",
                     "höjn", "sänk", "stiger", "steg=", "sjunk", "sjönk", "increase", "decrease", "mer=", "grows", "growing", "rises", "rising", "falling",
                     "more=", "bättre än", "sämre än", "better than", "worse than",
                     "förändr", "ändrats", "ändrades", "ändras", "ändring", "change", "grow", "grew", "grown", "rise", "rose", "risen", "falls=", "fell=", "fallen=",
                     "fall in", "fall of", "fall by", "fall from", "fall to", "go up", "goes up", "went up",
                     "gone up", "go down", "goes down", "went down", "gone down", "drop", "höjdes", "höjt", "sänks",
                     "sänktes", "sänkt=", "går upp", "gick upp", "går ner", "gick ner", "cut=", "cuts", "reduced",
                     "raised")),
    "sum": (1.1, ("sammanlagt", "sammanlagd", "samlade", "samlad", "tillsamans", "totalt", "summa", "tillsammans", "in total", "altogether", "combined",
                  # "sum of", not "sum" alone: "What sum was granted to X?" asks one amount.
                  "sum of", "the sum", "in sum",
                  "total", "sammantaget", "alla tillsammans", "all together",
                  # Not "together" alone: "which parties applied together" asks who, not a sum.
                  "pay together", "pays together", "paid together", "cost together", "costs together",
                  "together pay", "together cost", "together in", "get together", "gets together", "receive together",
                  "together get", "together receive", "granted together", "contribute together", "added up", "add up",
                  "adds up", "put together", "ihop=", "sammanräknat", "summerat")),
    "largest": (1.2, ("störst", "högst", "largest", "biggest", "highest", "most=", "mest=", "dyrast", "most expensive",
                      "costliest", "längst", "furthest", "farthest")),
    # A comparative alone ("which is bigger, A or B") chooses between the lines named.
    "choose": (1.2, ("bigger=", "larger=", "greater=", "higher=", "större=", "högre=", "dyrare=", "costlier")),
    "smallest": (1.2, ("minst", "lägst", "smallest", "lowest", "least", "billigast", "cheapest", "least expensive",
                       # Of lines each set against its own budget: the one off it by the least.
                       "closest", "closer", "närmast", "nearest")),
    # One line over a run of years, each year shown ("hur utvecklas Enter 2021–2023", "year by year").
    "trend": (1.25, ("utvecklas", "utvecklats", "utvecklingen", "utvecklade sig", "utvecklat sig", "develop", "trend",
                    "år för år", "år från år", "från år till år", "year by year", "year on year", "year to year",
                    "över tid", "over time", "varje år", "each year", "every year", "per år", "per year")),
    # "… which is bigger, and by how much?": beside a choice, the gap between the two compared (a
    # hint only: "by how much was it planned to run a deficit" asks the deficit's amount).
    "by_how_much": (0.3, BY_HOW_MUCH),
    # The next after the largest or smallest ("näst störst"): see ORDINAL_WORDS.
    "ordinal": (0.2, ("näst", "second=", "tredje", "third=")),
    # How many lines of a kind ("hur många kommuner bidrar"): counted only where money is asked (see _fit).
    "count": (0.9, ("hur många", "how many", "antal", "number of")),
    # The same part of another year ("samma period 2019"): the other side of a comparison over time.
    "same_period": (0.2, SAME_PERIOD),
    # Some of the members, named as a group ("kranskommunerna"): see MEMBER_GROUP_PREFIXES.
    "member_group": (0.2, ("kranskommun", "surrounding municipalit", "omkringliggande kommun", "övriga kommun",
                           "other municipalit")),
    # What is left out of the lines added up or compared ("kommunerna utom Umeå"): see
    # handlers/understanding/exclusion.py; applied to a group and to the largest or smallest line.
    "exclude": (0.2, exclusion.CUE_WORDS),
    # Every year added up ("sen starten", "since it started"): the tables give single years only.
    "cumulative": (1.1, ("sen starten", "sedan starten", "sen start", "sedan start", "since the start",
                         "since it started", "since its start", "since the beginning", "alla år", "all years",
                         "sedan början", "sen början", "totalt sett över åren", "over the years",
                         # The whole life of an effort ("för hela projekttiden"), not one year.
                         "hela projekttiden", "hela projektperioden", "hela projektet", "hela insatsperioden",
                         "whole project", "entire project", "lifetime of the project", "project's lifetime")),
    # The figures compared: a hint only, so that the guard sees them as this kind's own words.
    "figure_kind": (0.2, ("budget", "prognos", "forecast", "utfall", "outcome", "actual=", "plan=", "hittills",
                          "bedömning", "bedömd", "bedömt", "estimate", "expected",
                          "faktisk", "verklig",
                          "so far", "to date", "förbruk",
                          # The report a figure was given in ("prognosen i T1-rapporten").
                          "rapporten", "tertialrapport", "uppföljning", "report=", "the report", "follow-up")),
    # A line's part of its total.
    "share": (1.25, ("andel", "hur stor del", "biggest share", "largest share", "smallest share", "highest share",
                     "lowest share", "greatest share", "vilken del", "procent av", "% av", "share of", "proportion",
                     "percentage of", "per cent of", "percent of", "what part of", "how large a part", "how big a part",
                     # Not "how much of" alone: "how much of X remains" asks what is left.
                     "what share", "how much of the budget", "how much of the cost", "how much of the income",
                     "hur mycket av budget", "hur mycket av kostnad", "hur mycket av intäkt", "hur mycket av total",
                     "hur mkt av budget", "hur mkt av kostnad", "hur mkt av intäkt", "utgör", "utgjorde", "makes up", "make up",
                     "account for", "står för", "stod för", "how much of the total", "budget goes to",
                     "budget go to", "budget går till", "budgeten går till", "kostnaderna går till")),
    # Every member (or line of a group) with its own figure: "vad betalar varje kommun".
    # An amount asked of a group named in the plural ("hur mycket betalar kommunerna"): their sum.
    "amount": (0.7, ("hur mycket", "hur mkt", "how much")),
    # The mean of a group's figures ("vad betalar kommunerna i snitt").
    "average": (1.2, AVERAGE_CUES),
    "each": (1.15, ("varje", "each", "per medlem", "per kommun", "per member", "per municipality", "respektive",
                    "var och en", "fördelning", "fördelat", "fördelas", "breakdown", "broken down", "split between",
                    "fördelar sig", "fördelade på", "fördelade mellan", "uppdelat", "uppdelad", "uppdelning",
                    "uppdelade", "var för sig", "break down", "split by", "split across", "divided between",
                    "divided among", "per part", "per huvudman",
                    "every member", "every municipality")),
}


# Words that ask why a figure is what it is ("vad beror det på att …"): the paragraphs answer, not
# the figures (a comparison would answer "how much" to a "why").
# Bodies or groups put together ("styrgrupperna slogs ihop") are merged, not figures summed.
MERGING = ("slogs ihop", "slagits ihop", "slås ihop", "slog ihop", "slagits samman", "slås samman", "slogs samman",
           "sammanslag", "merged", "merge=", "merger")
REASON_WORDS = (*REASON_CUES, "förklaring", "explanation", "på grund av vad")


# What may follow "än" / "than" / "jämfört med" and name the other side of a comparison without
# being a line: a kind of figure or another year (besides digits). Stems, folded.
# Verbs of one thing set in relation to another ("hur förhåller sig A till B"), folded.
RELATION_VERBS = ("forhall", "forhöll", "forholl")

OTHER_SIDE = ("budget", "planer", "plan", "prognos", "beräkn", "bedömning", "bedömd", "bedömt", "utfall", "förvänt", "väntat", "tänkt", "forecast",
              "expected", "estimat", "projected", "planned", "anticipat", "outcome", "actual", "förra", "föregående",
              "fjol", "ifjol", "last", "previous", "prior", "year", "året", "år=", "tidigare", "earlier", "before",
              "samma", "same", "motsvarande", "corresponding", "faktisk", "verklig", "actual", "real=",
              # What was spent is the outcome ("budget versus what was spent through T2").
              "spent", "förbruka",
              # A report names a point in time, not a line ("… och tertialen per 30 april 2021").
              "tertial", "uppföljning", "rapport", "report", "follow", "delårsrapport", "årsredovisning")


# Kinds of figure that end a compound naming one ("helårsprognosen", "årsbudgeten", "delårsutfallet").
FIGURE_KIND_COMPOUNDS = ("prognos", "budget", "utfall", "forecast", "outcome")


# The words after which the other side of a comparison is named.
PARTICLES = ("än", "than", "jämfört med", "jämförelse med", "compared to", "compared with", "versus", "vs", "mot",
             "kontra",
             "relative to", "i förhållande till", "över", "under", "above", "below", "överstiga", "överstiger",
             "översteg", "överskrida", "överskrider", "exceed", "exceeds", "exceeded",
             "lika mycket som", "lika stort som", "lika stora som", "as much as", "the same amount as")


# Words skipped between a particle and what it names ("än i fjol", "than the budget").
_FILLERS = frozenset({"den", "det", "de", "the", "a", "an", "i", "in", "vad", "what", "som", "för", "for", "to",
                      "was", "were", "is", "var", "hos", "of", "at", "sin", "sitt", "sina", "its", "their", "dess",
                      "deras", "min", "mitt", "våra", "vår", "vårt", "our",
                      # "än per 31 augusti 2019", "than as of 31 August": a day, the other side over time.
                      "per", "as", "tom", "t.o.m.", "until", "through"})


# Words that make a total one of grants, not of the budget table.
GRANT_WORDS = ("bevilj", "insats", "grant", "ansök", "application")

# Words that put a count among the budget's lines: money paid, received or spent.
MONEY_WORDS = ("bidr", "betal", "pengar", "money", "pay", "contribut", "budget", "kostnad", "cost", "intäkt", "income",
               "medlemsbidrag", "finansier", "fund")


# Verbs of a share that also say what a whole consists of ("which members make up the förbund",
# "vilka medlemmar utgör förbundet"): a share only beside a word of money or of a part.
SHARE_VERBS = ("utgör", "utgjorde", "makes up", "make up", "account for", "står för", "stod för")
SHARE_WORDS = ("andel", "del=", "delen", "procent", "%", "percent", "share", "part=", "proportion", "how much",
               "hur mycket", "hur stor", "how big", "how large")


def _fit(q: Question) -> float:
    if q.cues.any(CUES["count"][1]) and not q.cues.any(MONEY_WORDS):
        return -1.5  # "hur många kommuner har ledamöter" counts people, not lines
    share_cues = [c for c in CUES["share"][1] if c not in SHARE_VERBS]
    if q.cues.any(SHARE_VERBS) and not q.cues.any(share_cues) and not q.cues.any(SHARE_WORDS) \
            and not q.cues.any(MONEY_WORDS):
        return -1.25  # what a whole consists of, not a line's part of it
    lines = _named_lines(q)
    if not lines and q.cues.any(("vilka", "which")) and q.cues.any(LINE_WORDS) and q.cues.any(CUES["difference"][1]):
        return 0.0  # "Vilka poster blev dyrare än budgeterat?": every cost line is a candidate
    if not lines and (_one_grant_over_time(q) or _one_grant_against_rest(q)):
        return 0.0  # "Fick Helhetslyftet mer 2024 än året innan?", "… än de tre andra ansökningarna"
    group = [] if lines else _category(q)
    if group and _plural_group(q, group) and not q.named("grant"):
        return 0.4  # "hur mycket har kommunerna betalat": the group together, not one line
    if lines or len(q.named("grant")) >= 2 or group:
        return 0.0
    if effort_extreme(q):
        return 0.0  # "vilken insats har störst budget" where the budget has no line per effort: said so
    if q.cues.any(CUES["sum"][1]) and q.cues.any(("budget",)) and not q.cues.any(GRANT_WORDS):
        return 0.0  # "den totala budgeten": the tables' totals
    extreme = CUES["largest"][1] + CUES["smallest"][1]
    if q.cues.any(CUES["difference"][1]) and q.cues.any(extreme) and len(years_asked(q)) <= 1 \
            and not (q.cues.any(GRANT_WORDS) and not q.cues.any(CUES["figure_kind"][1] + LINE_WORDS)):
        # "vilken post har störst avvikelse mellan budget och prognos 2020" (not "vilken insats fick
        # mest, och hur mycket mer än tvåan": grants, no budget table)
        return 0.0
    if q.cues.any(CUES["share"][1]) and q.cues.any(USED_WORDS):
        return 0.0  # "hur stor andel av budgeten är förbrukad": the costs in total
    if q.cues.any(CUES["change"][1]) and q.cues.any(CUES["largest"][1] + CUES["smallest"][1]) \
            and len(years_asked(q)) == 2:
        return 0.0  # "vilken post minskar mest från 2020 till 2021": every line is a candidate
    return -1.5


# How surely a line must be named to be an operand (a genitive "Vaggeryd's" is 0.83).
LINE_SCORE = 0.7


# Words that make a line the total of another ("Summa kansli och styrelse").
TOTAL_WORDS = frozenset({"summa", "delsumma", "totalt", "total"})

# Words of a line's name that a question may leave out ("result" for "Årets resultat").
LINE_GENERIC = GENERIC | {"årets", "beräknade", "beräknat", "verksamhetens"}


def _only_generic_unmatched(q: Question, line: str) -> bool:
    """Whether every word of the line's name the question does not give is a generic one."""
    words = [fold(w) for w in q.words] + [fold(e) for w in q.words for e in budget.ENGLISH.get(w, [])]
    left = [t for t in tokens(line) if not any(word_match(fold(t), w) >= 0.8 for w in words)]
    return len(left) < len(tokens(line)) and all(t in LINE_GENERIC for t in left)


def _named_lines(q: Question) -> list[tuple[int, str]]:
    """The budget lines the question names, best first; of two lines where one's words are all
    the other's ("Vännäs" and "Vännäs kommun"), the verb keeps one: what a member pays in, or
    what an effort costs."""
    # A computed figure needs its lines named surely: a line matched on one word of three ("grants"
    # for "Bidrag Region JH") is no operand.
    mentions = [m for m in q.named("budget_line") if (m.score >= LINE_SCORE or _only_generic_unmatched(q, m.entry.name))
                and not _by_organisation_name(q, m.entry.name)]
    if not mentions:
        if len(q.organisation_ids) == 1 and not q.named("grant"):
            # "regionen", "landstinget", "FK": a member named by its kind, the one of that kind
            # among the contributions (as the budget kind reads it).
            rows = q.session.exec(select(BudgetFigure.organisation_id, BudgetFigure.line, BudgetFigure.section).where(
                BudgetFigure.organisation_id == q.organisation_ids[0]).distinct()).all()
            only = budget._the_one_member_of_its_type(q, {(o, n): sec for o, n, sec in rows})
            if only is not None:
                return [only]
            if effort_extreme(q):
                # "Vilken insats har störst budget 2021?": among the lines of the efforts the förbund
                # runs (the subtotal or section its table names "verksamhet"), never one line that
                # happens to hold the word ("Bidrag till insatser").
                return _effort_total(q, q.organisation_ids[0])
            # Only beside a kind of figure ("mindre än budgeterat … till insatser"): "vilken insats
            # fick minst" asks about grants, not the line Bidrag till insatser.
            return _line_by_own_word(q, q.organisation_ids[0]) if budget._kinds(q) else []
        return []
    verbs = _cost_verbs(q)
    if verbs and any(not _covers(q, m.entry.name) <= verbs for m in mentions):
        # "What does Enter cost": the verb asks Enter's amount; it names no line of costs beside it.
        mentions = [m for m in mentions if not _covers(q, m.entry.name) <= verbs]
    top = mentions[0].score
    # The best matches, and any further line that names words of the question none of them does
    # ("FIA och IT-spåret"); not a weaker match on the same words ("EU intäkter" beside "Summa intäkter").
    covered: set[str] = set()
    chosen = []
    for m in mentions:
        if m.entry.organisation_id is None:
            continue
        words = _covers(q, m.entry.name)
        if m.score >= top - 0.02:
            chosen.append(m)
            covered |= words
        elif words - covered and not words <= _cost_verbs(q) and m.entry.organisation_id == chosen[0].entry.organisation_id \
                and (line_sections(q, m.entry.organisation_id).get(m.entry.name, (None, ""))[1] == "line"
                     or _set_against(q, covered, words - covered)):
            # A plain line of the same förbund, named by words the best ones do not use; or any line
            # set against them ("verksamhet jämfört med administration": both subtotals are operands).
            chosen.append(m)
            covered |= words
    pairs = list(dict.fromkeys((m.entry.organisation_id, m.entry.name) for m in chosen
                               if m.entry.organisation_id is not None))
    if len({o for o, _n in pairs}) == 1:
        pairs += [p for p in _lines_of_named_bodies(q, pairs[0][0]) if p not in pairs]
    if len({o for o, _n in pairs}) > 1:
        # Lines of several förbund: the one whose line the question writes as a name ("Jönköpings
        # kommun's contribution") wins over one matched by a common word ("contribution": Bidrag …).
        named = {o: len({w for n in (n for o2, n in pairs if o2 == o) for w in _covers(q, n)
                         if passages._capitalised_in(q.text, w)}) for o, _n in pairs}
        best = max(named.values())
        if best and list(named.values()).count(best) == 1:
            pairs = [(o, n) for o, n in pairs if named[o] == best]
    if len({o for o, _n in pairs}) > 1:
        # A member body named in full ("Jönköpings kommuns bidrag", even first in the question)
        # is one förbund's line, not a group line of another's ("Bidrag kommuner").
        bodies = {fold(m.entry.name) for m in q.named("member_body") if m.score >= 0.9}
        whole = {o for o, n in pairs if fold(n) in bodies}
        if len(whole) == 1:
            pairs = [(o, n) for o, n in pairs if o in whole]
    if len({o for o, _n in pairs}) != 1:
        return pairs
    sections = line_sections(q, pairs[0][0])
    cost = q.has(*budget.COST_CUES) and not q.has(*budget.PAY_CUES)
    drop: set[str] = set()
    for _o, a in pairs:
        for _o2, b in pairs:
            if a != b and set(tokens(a)) < set(tokens(b)):
                if set(tokens(b)) - set(tokens(a)) <= TOTAL_WORDS:
                    drop.add(b)  # "Summa kansli och styrelse" beside "Kansli och styrelse": the line itself
                    continue
                longer_is_member = sections.get(b, (None, ""))[0] in budget.MEMBER_SECTIONS
                drop.add(b if cost and longer_is_member else a)
    kept = [(o, n) for o, n in pairs if n not in drop]
    if len(kept) == 1:
        kept = [_same_stem_line(q, *kept[0])]
    if cost and len(kept) == 1 and sections.get(kept[0][1], (None, ""))[0] in budget.MEMBER_SECTIONS:
        # "Vännäs kommun: budget för vår verksamhet": the effort run in that place ("Vännäs"), not
        # what the kommun pays in, when only the member's own line was matched in full.
        place = set(tokens(kept[0][1]))
        twins = [n for n, (sec, row_type) in sections.items() if row_type == "line" and sec not in
                 budget.MEMBER_SECTIONS and tokens(n) and set(tokens(n)) < place]
        if len(twins) == 1:
            return [(kept[0][0], twins[0])]
    return _alternatives(q, kept)


# Words that set one named thing against another ("A jämfört med B", "A kontra B", "A or B").
SETTING_AGAINST = frozenset({"mot", "kontra", "vs", "versus", "jämfört", "jamfort", "jämförd", "compared", "against",
                             "eller", "elr", "or", "than", "än", "vis-à-vis"})


def _set_against(q: Question, first: set[str], second: set[str]) -> bool:
    """Whether a word of comparison stands between a word of `first` and a word of `second` in the
    question (either order), or "mellan A och B" / "between A and B" joins them."""
    words = [fold(w) for w in q.words]
    between = any(w in ("mellan", "between") for w in words)
    marks = {fold(w) for w in SETTING_AGAINST} | ({"och", "and"} if between else set())
    a = [i for i, w in enumerate(q.words) if w in first]
    b = [i for i, w in enumerate(q.words) if w in second]
    for i in a:
        for j in b:
            lo, hi = min(i, j), max(i, j)
            if any(words[k] in marks for k in range(lo + 1, hi)):
                return True
    return False


def _breakdown_parts(q: Question, lines: list[tuple[int, str]]) -> list[tuple[str, list[str]]] | None:
    """The parts a breakdown names, in the order named: each line named, each member named by its
    kind ("regionen"), each group named in the plural ("kommunerna": every "X kommun" line, or the
    one line "Bidrag kommuner"); None unless two or more parts are named in one förbund. A word
    naming a whole (a total's word, "intäkterna") is what is broken down, not a part."""
    if len(q.organisation_ids) != 1 or any(o != q.organisation_ids[0] for o, _n in lines):
        return None
    org_id = q.organisation_ids[0]
    sections = line_sections(q, org_id)
    rows = {(org_id, n): sec for n, (sec, _t) in sections.items()}
    from handlers.answers.kinds.budget import CUES as FIGURE_CUES
    asking = [c for _w, cs in CUES.values() for c in cs] + [c for _w, cs in FIGURE_CUES.values() for c in cs]
    # A word of a whole ("intäkterna": Summa intäkter beside EU intäkter) is what is broken down.
    wholes = {w for w in q.words if len(w) >= 4 and any(
        sections[n][1] != "line" for n in lines_for_word(q, org_id, w, exclude=""))}
    named = {n for _o, n in lines if not _covers(q, n) <= wholes}
    placed: list[tuple[int, str, list[str]]] = []
    seen: set[str] = set()
    for i, w in enumerate(q.words):
        if len(w) < 2 or w in STOPWORDS or has_digit(w) or q.lexicon.organisations_named([w]) or w in wholes:
            continue
        own = [n for n in named if w in _covers(q, n) and n not in seen]
        if own:
            placed.append((i, own[0], [own[0]]))
            seen.add(own[0])
            continue
        if len(w) < 4 or Cues([w]).any(asking):
            continue
        found = [n for n in lines_for_word(q, org_id, w, exclude="") if n not in seen]
        if not found:
            only = budget._the_one_member_of_its_type(Question(q.ctx, w), rows)
            found = [only[1]] if only is not None and only[1] not in seen else []
        if len(found) == 1:
            placed.append((i, found[0], found))
        elif len(found) >= 2 and fold(w).endswith(("na", "er", "ies", "s")) \
                and all(sections[n][0] in budget.MEMBER_SECTIONS for n in found):
            placed.append((i, w, found))
        else:
            continue
        seen |= set(found)
    if len(placed) < 2 or any(n not in seen for n in named):
        return None
    # A word among the parts named (from the enumeration's start to the question's end) that names
    # none of them, nor stands right after one ("county council"), is a part not found: no
    # breakdown without it.
    at = {i for i, _l, _f in placed}
    first = min(at)
    # The enumeration starts after "mellan", "på", "between" … ("mellan staten, regionen och kommunerna").
    opener = max((i for i in range(first) if fold(q.words[i]) in ENUMERATION_OPENERS), default=first)
    last = max(at)
    for i in range(opener + 1, len(q.words)):
        w = q.words[i]
        if i > last and q.words[i - 1] not in JOINERS:
            continue  # after the enumeration ("… och kommunerna enligt budget 2021")
        if i in at or i - 1 in at or len(w) < 3 or w in STOPWORDS or w in JOINERS or has_digit(w) \
                or Cues([w]).any(asking) or q.lexicon.organisations_named([w]) or fold(w) in passages.FILLER:
            continue
        return [(w, [])]
    return [(label, found) for _i, label, found in sorted(placed, key=lambda p: p[0])]


# Words after which the parts of a breakdown are enumerated.
ENUMERATION_OPENERS = frozenset({"mellan", "pa", "between", "among", "into", "by", "across", "bland", "on"})


def _breakdown(q: Question, parts: list[tuple[str, list[str]]]) -> Reply:
    """Each part's figure for the year and kind asked (a group's lines added up, each shown)."""
    org_id = q.organisation_ids[0]
    every = [n for _label, found in parts for n in found]
    years = years_in_order(q) or [latest_year(q, org_id, every or [""], two_kinds=False)]
    kind = (kinds_in_order(q) or ["budget"])[0]
    rows: list[str] = []
    cited: list[BudgetFigure] = []
    if any(not found for _label, found in parts):
        unknown = next(label for label, found in parts if not found)
        return missing(q, f"någon rad för ”{unknown}” att dela upp på", f"any line for “{unknown}” to break down by")
    for label, found in parts:
        figures = [figure(q, org_id, n, years[0], kind) for n in found]
        lacking = [n for n, f in zip(found, figures, strict=True) if f is None]
        if lacking:
            return missing(q, f"{kind} {years[0]} för {join_words(lacking)}", f"a {kind} {years[0]} for "
                           f"{join_words(lacking, 'en')}", what_exists(q, org_id, lacking[0]))
        have = [f for f in figures if f is not None]
        cited += have
        total = sum(f.amount for f in have)
        unit = "tkr" if all(f.unit == "tkr" for f in have) else "kr"
        inner = f" ({', '.join(f'{n} {amount_text(f.amount, f.unit)}' for n, f in zip(found, have, strict=True))})" \
            if len(found) > 1 else ""
        rows.append(f"• {label}: {amount_text(total, unit)}{inner}")
    unit = "tkr" if all(f.unit == "tkr" for f in cited) else "kr"
    head = q.t(f"{kind.capitalize()} {years[0]}, var för sig:", f"{kind.capitalize()} {years[0]}, each:")
    tail = q.t(f"Sammanlagt: {amount_text(sum(f.amount for f in cited), unit)}.",
               f"Together: {amount_text(sum(f.amount for f in cited), unit)}.")
    return Reply("\n".join([head, *rows, tail]), sources=list(dict.fromkeys(
        figure_source(q.session, q.organisation(org_id), f) for f in cited)), language=q.language)


def _effort_total(q: Question, org_id: int) -> list[tuple[int, str]]:
    """The one total or subtotal of a förbund's efforts, by the word its table names them with."""
    found = [n for n, (_sec, row_type) in line_sections(q, org_id).items()
             if row_type in ("total", "subtotal") and EFFORT_TABLE_WORDS & {fold(t) for t in tokens(n)}]
    return [(org_id, found[0])] if len(found) == 1 else []


# "Cost" as the verb of a question ("what does Enter cost"), not the noun of a line of costs.
COST_VERBS = frozenset({"cost", "kostar", "kostade", "kosta", "kostat"})
_NOUN_BEFORE = frozenset({"the", "a", "total", "of", "its", "their", "this", "that"})


def _cost_verbs(q: Question) -> set[str]:
    """The question's words that are a verb of costing ("cost" after "the" or "total" is a noun)."""
    verbs = {w for i, w in enumerate(q.words) if fold(w) in COST_VERBS
             and not (i > 0 and fold(q.words[i - 1]) in _NOUN_BEFORE)}
    # Beside such a verb, "in total" asks the sum of what is costed, not the line "Summa kostnader".
    return verbs | {w for w in q.words if fold(w) in TOTAL_WORDS} if verbs else verbs


# The words that join the alternatives of a choice ("A eller B", "A or B") or the two sides of a
# comparison ("A vs B", "A kontra B").
OR_WORDS = frozenset({"eller", "elr", "or", "vs", "versus", "kontra", "mot", "against"})


def _alternatives(q: Question, lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Of three or more lines named, the two the question sets as alternatives ("i Umeå 2019,
    Ungdomstorget eller Vuxentorget": not Umeå kommun, named by the place): the lines holding the
    word just before and just after the "eller"; all when it sets none."""
    if len(lines) < 3:
        return lines
    words = [fold(w) for w in q.words]
    for i, w in enumerate(words[1:-1], start=1):
        if w not in OR_WORDS:
            continue
        sides = (words[i - 1], words[i + 1])
        picked = [(o, n) for o, n in lines if any(word_match(fold(t), x) >= 0.9 for t in tokens(n) for x in sides)]
        if len(picked) == 2:
            return picked
    return lines


def _lines_of_named_bodies(q: Question, org_id: int) -> list[tuple[int, str]]:
    return list(dict.fromkeys(line for lines in _bodies_with_lines(q, org_id).values() for line in lines))


def _bodies_with_lines(q: Question, org_id: int) -> dict:
    """The contribution lines of the member bodies the question names in full ("Region Jämtland
    Härjedalen" pays in as the line "Bidrag Region JH"): the line of the body's kind and place, or
    the förbund's only contribution line of that kind. A body's name that is the förbund's own
    name names no member."""
    from handlers.answers.kinds.members import _place, _type_of

    sections = line_sections(q, org_id)
    contributions = [n for n, (sec, row_type) in sections.items()
                     if sec in budget.MEMBER_SECTIONS and row_type == "line"]
    found: dict = {}
    for m in q.named("member_body"):
        if m.score < 0.9 or q.names_only_a_forbund(m.entry.name):
            continue
        kind = _type_of(m.entry.name)
        if kind is None:
            continue
        of_kind = [n for n in contributions if _type_of(n) == kind]
        place = fold(_place(m.entry.name, kind))
        same_place = [n for n in of_kind if word_match(fold(_place(n, kind)), place) >= 0.9]
        chosen = same_place if len(same_place) == 1 else of_kind if len(of_kind) == 1 and kind != "kommun" else []
        if chosen:
            found[m] = [(org_id, n) for n in chosen]
    return found


# "Över", "under", "over", "during" before years or a period say when, not above or below a figure.
_OVER_PERIOD = re.compile(r"\b(?:över|over|under|during|across)\s+(?=(?:(?:the|de|hela|alla|all)\s+)?"
                          r"(?:(?:19[89]|20\d)\d\b|åren\b|aren\b|years\b|perioden\b|period\b))", re.IGNORECASE)


def _compares_beside_period(q: Question) -> bool:
    """Whether the question asks a difference or change with words other than a period's "över"."""
    if not _OVER_PERIOD.search(q.text):
        return True
    plain = Question(q.ctx, _OVER_PERIOD.sub("", q.text))
    return plain.cues.any(CUES["difference"][1]) or plain.cues.any(CUES["change"][1])


def _narrowed(q: Question, line: str, group: list[tuple[int, str]]) -> bool:
    """Whether the question names the line by more words than the group's ("nya projekt" is the
    line Tillgängligt nya projekt, not every line holding "projekt")."""
    word = group_word(q, group)
    if not word or not any(stem(t) == stem(word) for t in tokens(line)):
        return False
    others = {w for w in _covers(q, line) if fold(w) != fold(word)}
    return bool(others) and not any(others & _covers(q, n) for _o, n in group if n != line)


def _named_directly_whole(q: Question, line: str) -> bool:
    """Whether the question writes every distinctive word of the line as it is ("FIA", "Enter"),
    not a plural that only resembles it ("projects" for Projektgemensamt)."""
    words = {fold(w) for w in q.words}
    return all(fold(t) in words for t in tokens(line) if t not in LINE_GENERIC and len(t) >= 2)


def _asks_grants_made(q: Question, line: str) -> bool:
    """Whether the question sets the grants made as a whole against the line, by a word that is no
    part of the line's own name, in Swedish or English ("grants to efforts" is Bidrag till insatser
    itself), and names no two kinds of figure (budget against forecast is the line's own)."""
    if q.named("grant") or len(kinds_in_order(q)) >= 2 or not q.cues.any(GRANTS_MADE):
        return False
    own = _covers(q, line)
    if any(w not in own and any(fold(w).startswith(fold(c)) for c in GRANTS_MADE) for w in q.words):
        return True
    # "the grants decided on 11 June 2021": a day on which grants were decided names them, even
    # where "grants" is also the English of the line's own word (Bidrag).
    days = {d.start for d in q.dates if d.exact}
    return bool(days) and q.session.exec(select(GrantEvent.id).join(Grant, col(Grant.id) == GrantEvent.grant_id).where(
        col(Grant.organisation_id).in_(q.organisation_ids), col(GrantEvent.date).in_(days))).first() is not None


def _joined_lines(q: Question, group: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Lines the question joins to a group by "och" / "and" ("kommunerna och regionen"), each
    named by the word after the join (as "regionen" names Region Jönköpings län)."""
    org_id = group[0][0]
    out: list[tuple[int, str]] = []
    for i, w in enumerate(q.words[:-1]):
        if w not in JOINERS:
            continue
        after = q.words[i + 1]
        if len(after) < 4 or after in STOPWORDS or has_digit(after):
            continue
        found = [n for n in lines_for_word(q, org_id, after, exclude="") if (org_id, n) not in group]
        if not found:
            only = budget._the_one_member_of_its_type(
                Question(q.ctx, after), {(org_id, n): sec for n, (sec, _t) in line_sections(q, org_id).items()})
            found = [only[1]] if only is not None and only not in group else []
        if len(found) == 1:
            out.append((org_id, found[0]))
    return out


def _same_stem_line(q: Question, org_id: int, line: str) -> tuple[int, str]:
    """A line matched by a word only through a shared beginning ("verksamheterna" against
    "verksamhetsnära") gives way to the one line of the förbund holding that very word's stem
    ("Summa verksamheter")."""
    own = {stem(t) for t in tokens(line)}
    for w in q.words:
        # (Long words only: "totala" against "totalt" is the same word, not another line's.)
        if len(w) < 9 or stem(w) in own or not any(word_match(fold(t), fold(w)) >= 0.8 for t in tokens(line)):
            continue
        same = [n for n in line_sections(q, org_id) if n != line and any(stem(t) == stem(w) for t in tokens(n))]
        asked = {stem(x) for x in q.words}
        if len(same) == 1 and all(stem(t) in asked or t in LINE_GENERIC for t in tokens(same[0])):
            return org_id, same[0]
    return org_id, line


def _line_by_own_word(q: Question, org_id: int) -> list[tuple[int, str]]:
    """A line named by one word that only it holds in this förbund ("insatser" for Bidrag till
    insatser), when nothing names a line outright; never a word that asks (a cue of a figure or an
    operation) rather than names."""
    from handlers.answers.kinds.budget import CUES as FIGURE_CUES
    asking = [c for _w, cs in CUES.values() for c in cs] + [c for _w, cs in FIGURE_CUES.values() for c in cs]
    found: set[str] = set()
    for w in q.words:
        if len(w) < 5 or w in STOPWORDS or has_digit(w) or Cues([w]).any(asking) \
                or q.lexicon.organisations_named([w]):
            continue
        lines = lines_for_word(q, org_id, w, exclude="")
        if len(lines) == 1:
            found.add(lines[0])
    return [(org_id, n) for n in found] if len(found) == 1 else []


def _receiving(q: Question, lines: list[tuple[int, str]]) -> Reply | None:
    """Members' contributions asked as what they received ("hur mycket fick kommunerna"): what a
    member pays in is not what it gets, so neither their sum nor their difference answers it."""
    if not lines or not (q.has(*budget.RECEIVE_CUES) and not q.has(*budget.PAY_CUES)):
        return None
    if any(w in ("från", "fran", "from") for w in q.words):
        return None  # "hur mycket får förbundet från kommunerna": their contributions, received by the förbund
    sections = line_sections(q, lines[0][0])
    if not all(sections.get(n, (None, ""))[0] in budget.MEMBER_SECTIONS for _o, n in lines):
        return None
    names = join_words([n for _o, n in lines][:6])
    return Reply(q.t(f"Budgeten anger vad {names} betalar in till förbundet (medlemsbidrag), inte vad de får. "
                     "Fråga om de insatser de sökt för att se vad som beviljats.",
                     f"The budget gives what {join_words([n for _o, n in lines][:6], 'en')} pay in to the förbund "
                     "(member contributions), not what they receive. Ask about the grants they applied for to see "
                     "what was granted."), answered=False, language=q.language)


def _plural_group(q: Question, group: list[tuple[int, str]]) -> bool:
    """Whether the question names the group in the plural ("kommunerna", "municipalities"), so an
    amount asked of it is their sum; "Habo kommun" names one line, never the group."""
    word = group_word(q, group)
    return bool(word) and all(fold(word) != fold(t) for _o, n in group for t in tokens(n)) and (
        word.endswith(("na", "er", "ar", "or", "ies", "s")))


def _covers(q: Question, line: str) -> set[str]:
    """The question's distinctive words that a line's name matches."""
    out = set()
    for w in q.words:
        forms = [w, *budget.ENGLISH.get(w, [])]
        if len(w) >= 2 and w not in GENERIC and any(word_match(fold(t), fold(f)) >= 0.8 or (
                len(f) >= 5 and stem(t) == stem(f)) for t in tokens(line) for f in forms):
            out.add(w)
    return out


# Words that join the parts of a sum or a comparison ("FIA och IT-spåret").
JOINERS = ("och", "and", "plus", "samt", "+")


def _unnamed_part(q: Question, lines: list[tuple[int, str]]) -> str | None:
    """A sum asked of "A och B" where only A is a line: the words after the joiner that name none."""
    inside = sum(tokens(n).count(j) for _o, n in lines for j in JOINERS)
    joins = [i for i, w in enumerate(q.words) if w in JOINERS]
    if len(joins) <= inside:
        return None
    covered = set().union(*(_covers(q, n) for _o, n in lines)) if lines else set()
    for i in joins:
        rest = [w for w in q.words[i + 1:] if w not in STOPWORDS and not has_digit(w) and len(w) >= 3
                and not q.lexicon.organisations_named([w])]
        if rest and Cues([rest[0]]).any([s for stems in budget.KIND_WORDS.values() for s in stems]):
            continue  # "budget, utfall t.o.m. T2 och prognos": kinds of figure asked, not a line to add
        if rest and rest[0] not in covered:
            return rest[0]
    return None


def _by_organisation_name(q: Question, line: str) -> bool:
    """A line matched only through words of the förbund's own name ("Södra Vätterbygden" in
    "SAMverkan i Södra Vätterbygden") is not named by the question."""
    org_words = {fold(t) for o in q.organisations for t in tokens(o.name)}
    words = list(q.words) + [e for w in q.words for e in budget.ENGLISH.get(w, [])]
    rest = [fold(w) for w in words if fold(w) not in org_words]
    return not any(word_match(fold(t), w) >= 0.8 for t in tokens(line) if len(t) >= 3 for w in rest)


def _category(q: Question) -> list[tuple[int, str]]:
    """Lines that share a word the question names in the plural: "kommunerna" -> every "X kommun";
    without those the question leaves out ("kommunerna utom Umeå")."""
    out = _category_all(q)
    left = set(_leave_out(q, [n for _o, n in out]))
    return [(o, n) for o, n in out if n not in left]


def _category_all(q: Question) -> list[tuple[int, str]]:
    if len(q.organisation_ids) != 1:
        return []
    # Plain lines only: a total beside its own parts ("Verksamhetens kostnader") would be counted twice.
    rows = q.session.exec(select(BudgetFigure.organisation_id, BudgetFigure.line).where(
        BudgetFigure.organisation_id == q.organisation_ids[0], BudgetFigure.row_type == "line").distinct()).all()
    # "kranskommunerna", "the surrounding municipalities": some of the members, not all.
    out: list[tuple[int, str]] = _member_group(q, list(rows), modified_only=True)
    if out:
        return out
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
        hits = _one_side(q, hits)
        if len(hits) >= 2:
            out = hits
    if not out:
        out = _member_group(q, list(rows))
    if not out and q.cues.any(MEMBER_WORDS):
        # "Which member pays most": the lines of the members' contributions.
        out = [(o, line) for o, line in q.session.exec(select(BudgetFigure.organisation_id, BudgetFigure.line).where(
            BudgetFigure.organisation_id == q.organisation_ids[0], BudgetFigure.section == "medlemsbidrag",
            BudgetFigure.row_type == "line").distinct()).all()]
        out = out if len(out) >= 2 else []
    return out


MEMBER_WORDS = ("medlem", "member", "huvudm")


def _one_side(q: Question, lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A group of lines on one side of the table: "contributions" holds the members' Bidrag lines
    and the cost Bidrag till insatser, which are never one group (added up, income and a cost
    would cancel). Members' lines when members or paying are asked; else none."""
    if not lines:
        return lines
    sections = line_sections(q, lines[0][0])
    members = [(o, n) for o, n in lines if sections.get(n, (None, ""))[0] in budget.MEMBER_SECTIONS]
    costs = [(o, n) for o, n in lines if sections.get(n, (None, ""))[0] not in (*budget.MEMBER_SECTIONS, "intäkter")]
    if not members or not costs:
        return lines
    if q.cues.any(MEMBER_WORDS) or q.has(*budget.PAY_CUES):
        return members
    return []

# Words for the lines of a table as such ("vilka poster", "which lines").
LINE_WORDS = ("post=", "poster", "posterna", "budgetpost", "kostnadspost", "rader=", "raderna", "lines=", "items=",
              "line items", "budget lines")


# The first part of a compound naming some of a förbund's member bodies of a kind
# ("kranskommunerna": every member kommun but the one the förbund is named after).
MEMBER_GROUP_PREFIXES = {"krans": "not_own", "omkringliggande": "not_own", "surrounding": "not_own",
                         "övriga": "not_own", "ovriga": "not_own", "other": "not_own", "": "all"}


def _member_group(q: Question, rows: list[tuple[int, str]], modified_only: bool = False) -> list[tuple[int, str]]:
    """Lines standing for member bodies named as a compound group ("kranskommunerna", "the
    surrounding municipalities"): what they pay in when payment is asked, else the lines of the
    efforts the förbund runs in each of them ("Vännäs" for Vännäs kommun), else what they pay."""
    org_id = q.organisation_ids[0]
    own = {fold(t) for t in tokens(q.organisation(org_id).name)}
    for i, w in enumerate(q.words):
        f = fold(w)
        hit = next(((t, cs) for t, cs in MEMBER_TYPES.items() for c in cs if c in f), None)
        if hit is None:
            continue
        word, stems = hit
        at = min(f.index(c) for c in stems if c in f)
        prefix = f[:at] or (fold(q.words[i - 1]) if i > 0 and fold(q.words[i - 1]) in MEMBER_GROUP_PREFIXES else "")
        if prefix not in MEMBER_GROUP_PREFIXES or (not prefix and not f[at:].endswith(("na", "er", "ies", "s"))) \
                or (modified_only and not prefix):
            continue
        # The members of that kind: lines of the members' contributions naming it ("Vännäs kommun").
        paying = [(o, n) for o, n in rows if line_sections(q, o).get(n, (None, ""))[0] in budget.MEMBER_SECTIONS
                  and any(fold(t).startswith(word) for t in tokens(n))]
        if MEMBER_GROUP_PREFIXES[prefix] == "not_own":
            paying = [(o, n) for o, n in paying if not any(word_match(fold(tokens(n)[0]), o2) >= 0.8 or
                                                           o2.startswith(fold(tokens(n)[0])) for o2 in own)]
        if len(paying) < 2:
            continue
        if q.has(*budget.PAY_CUES):
            return paying
        places = {fold(tokens(n)[0]) for _o, n in paying}
        # Efforts named by the place alone ("Bjurholm" for Bjurholms kommun), on the cost side.
        efforts = [(o, n) for o, n in rows if len(tokens(n)) <= 2 and line_sections(q, o).get(n, (None, ""))[0]
                   not in budget.MEMBER_SECTIONS and any(_same_place(fold(tokens(n)[0]), p) for p in places)]
        return efforts if len(efforts) >= 2 else paying
    return []


def _whole_member_group(q: Question) -> tuple[str, list[tuple[int, str]]]:
    """The members of one type that the question names together as the whole a share is taken of
    ("andel av kommunernas bidrag", "share of the municipalities' contributions"): their lines of
    contribution, which the tables do not sum."""
    asked = WHOLE_NAMED.search(q.text)
    if asked is None or len(q.organisation_ids) != 1:
        return "", []
    said = {fold(w) for w in tokens(asked.group("whole"))}
    types = [t for t, plurals in MEMBER_PLURALS.items() if said & {fold(p) for p in plurals}]
    if len(types) != 1:
        return "", []
    org_id = q.organisation_ids[0]
    lines = [(org_id, n) for n, (sec, row_type) in line_sections(q, org_id).items()
             if sec in budget.MEMBER_SECTIONS and row_type == "line"
             and any(fold(t).startswith(c) for t in tokens(n) for c in MEMBER_TYPES[types[0]])]
    return (types[0], lines) if len(lines) >= 2 else ("", [])


def _part_in(q: Question, lines: list[tuple[int, str]], group: list[tuple[int, str]]) -> str | None:
    """The one line of `group` the question asks the share of: a line it names, else the member
    named by its place ("Bjurholm" for Bjurholms kommun) outside the words naming the whole."""
    named = [n for o, n in lines if (o, n) in group]
    if len(named) == 1:
        return named[0]
    asked = WHOLE_NAMED.search(q.text)
    whole = {fold(w) for w in tokens(asked.group("whole"))} if asked else set()
    words = [fold(w) for w in q.words if len(w) >= 4 and fold(w) not in whole]
    by_place = [n for _o, n in group if any(_same_place(fold(tokens(n)[0]), w) or word_match(fold(tokens(n)[0]), w) >= 0.9
                                           for w in words)]
    return by_place[0] if len(by_place) == 1 else None


def _same_place(a: str, b: str) -> bool:
    """"Bjurholm" and "Bjurholms" (a genitive in "Bjurholms kommun") are one place."""
    return a == b or (min(len(a), len(b)) >= 4 and (a + "s" == b or b + "s" == a))


def unresolved_other_side(q: Question) -> str | None:
    """The word naming the other side of a comparison ("än landstinget") when it is neither a kind
    of figure, a year, nor anything the store names: the comparison cannot be made."""
    found = _other_side(q)
    return found[0] if found else None


def _subject_line(q: Question, org_id: int, reference: str) -> tuple[str, str] | None:
    """The line asked about, written before "än" / "than" by a word that names one line of the
    förbund (stem or English), when the line named is the one written after it."""
    folded = [fold(w) for w in q.words]
    particle = next((i for i, w in enumerate(folded) if w in ("an", "than") and not (w == "an" and q.language == "en")),
                    None)
    if particle is None:
        return None
    after = {fold(w) for w in q.words[particle + 1:]}
    if not any(word_match(fold(t), w) >= 0.8 for t in tokens(reference) if len(t) >= 3 for w in after):
        return None  # the line named is not the reference written after "än"
    from handlers.understanding.kinds import all_cue_words
    cues = all_cue_words()
    for w in q.words[:particle]:
        f = fold(w)
        if len(w) < 5 or w in STOPWORDS or has_digit(w) or f in cues or q.lexicon.organisations_named([w]):
            continue
        found = lines_for_word(q, org_id, w, exclude=reference)
        if len(found) == 1:
            return w, found[0]
    return None


def other_side_words(q: Question) -> list[str]:
    """The unresolved word naming the other side and the content words after it ("över Nationella
    rådets rekommenderade nivå": nationella, rådets, rekommenderade), in order."""
    found = _other_side(q)
    return [found[0], *found[1]] if found else []


def dropped_other_side(q: Question, chosen: list[str]) -> str | None:
    """The word naming the other side of a comparison when it names a line the store has but that
    is not among the operands `chosen` ("verksamhet jämfört med administration" with only the
    administration's line chosen): never compare the one line with something else instead."""
    found = _other_side(q, chosen)
    return found[0] if found else None


def _other_side(q: Question, chosen: list[str] | None = None) -> tuple[str, list[str]] | None:
    words = q.words
    folded = [fold(w) for w in words]
    # A member body with no line of its own in the förbund ("än Östersunds kommun" where the
    # kommuner pay in as one line) is no operand: it stays the unresolved other side.
    lined = {m.entry.name for o in q.organisation_ids[:1] if len(q.organisation_ids) == 1
             for m in _bodies_with_lines(q, o)}
    # With the operands chosen, a budget line named but not among them explains nothing.
    names = [fold(t) for m in q.mentions if m.score >= 0.6 and (m.entry.kind != "member_body" or
             m.entry.name in lined or len(q.organisation_ids) != 1)
             and (chosen is None or m.entry.kind != "budget_line" or m.entry.name in chosen)
             for t in tokens(m.entry.name)]
    if chosen is not None:
        names += [fold(t) for n in chosen for t in tokens(n)]
    names += [fold(t) for o in q.organisations for t in tokens(o.name)]
    particles = list(PARTICLES)
    if any(w in ("mellan", "between") for w in folded):
        particles += ["och", "and"]  # "skillnaden mellan A och B": B is the other side
    if any(w.startswith(RELATION_VERBS) for w in folded) or any(w in ("relation", "relative", "proportion")
                                                                    for w in folded):
        particles += ["till", "to"]  # "hur förhåller sig A till B", "A in relation to B"
    for particle in particles:
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
            if has_digit(word) or any(f.startswith(fold(s.rstrip("="))) for s in OTHER_SIDE) or \
                    any(fold(k) in f[3:] for k in FIGURE_KIND_COMPOUNDS) or f.split("–")[0] in FOLDED_MONTHS:
                continue  # (a compound ending in a kind of figure, "helårsprognosen", is one too)
            if word in STOPWORDS or len(word) < 3:
                continue
            if any(word_match(f, n) >= 0.8 for n in names):
                continue
            following = [w for w in rest[1:] if w not in STOPWORDS and len(w) >= 3 and not has_digit(w)][:3]
            return word, following
    return None


# Month names ("jämfört med januari–april 2020"): a part of a year, the other side over time.
FOLDED_MONTHS = frozenset(fold(m) for m in MONTHS)


# Words that name the year before the one asked about as the other side of a comparison.
PREVIOUS_YEAR = ("året innan", "året före", "föregående år", "förra året", "i fjol", "ifjol", "previous year",
                 "year before", "prior year", "last year", "the year earlier")


def _grant_names(q: Question) -> set[str]:
    """The grant names the question names best ("Arbetsmarknadstorget" for Arbetsmarknadstorget Härnösand)."""
    mentions = q.named("grant")
    top = max((m.score for m in mentions), default=0.0)
    return {m.entry.name for m in mentions if m.score >= max(0.6, top - 0.02)}


def _one_grant_against_rest(q: Question) -> bool:
    """One grant named against the other grants of its decision ("än de andra ansökningarna"), or
    as a share of all of them ("hur stor andel av det som beviljades gick till X")."""
    if len(_grant_names(q)) != 1 or not q.cues.any(GRANTS_MADE):
        return False
    return (q.cues.any(CUES["difference"][1]) and any(fold(w) in OTHER_GRANTS for w in q.words)) or q.cues.any(
        CUES["share"][1])


def _one_grant_over_time(q: Question) -> bool:
    """One grant named, asked against another year ("mer än året innan", "2023 jämfört med 2024")."""
    return len(_grant_names(q)) == 1 and q.cues.any(CUES["difference"][1] + CUES["change"][1]) and (
        len(years_asked(q)) == 2 or q.cues.any(PREVIOUS_YEAR))


def grant_over_time(q: Question) -> Reply:
    """One grant's amounts in two years: every grant under that name (a name may be reused for a
    later effort), by the year its period starts; a year without an amount is said to lack one."""
    name = next(iter(_grant_names(q)))
    rows = list(q.session.exec(select(Grant).where(col(Grant.organisation_id).in_(q.organisation_ids),
                                                   Grant.name == name)).all())
    by_year: dict[int, list[Grant]] = {}
    for g in rows:
        if g.period_start is not None:
            by_year.setdefault(g.period_start.year, []).append(g)
    years = years_asked(q)
    if len(years) == 1:
        years = [years[0] - 1, years[0]]
    elif not years:
        latest = max(by_year, default=q.ctx.today.year)
        years = [latest - 1, latest]
    amounts = {y: sum(g.max_amount or 0 for g in by_year.get(y, [])) for y in years
               if by_year.get(y) and all(g.max_amount is not None for g in by_year[y])}
    lacking = [y for y in years if y not in amounts]
    if lacking:
        exists = "; ".join(f"{y}: {kr(sum(g.max_amount or 0 for g in gs))}" for y, gs in sorted(by_year.items())
                           if all(g.max_amount is not None for g in gs))
        return missing(q, f"något belopp för {name} {join_words([str(y) for y in lacking])}",
                       f"any amount for {name} in {join_words([str(y) for y in lacking], 'en')}", exists)
    first, last = sorted(years)
    delta = amounts[last] - amounts[first]
    word_sv = "lika mycket" if delta == 0 else f"{kr(abs(delta))} {'mer' if delta > 0 else 'mindre'}"
    word_en = "the same" if delta == 0 else f"{kr(abs(delta))} {'more' if delta > 0 else 'less'}"
    sources = list(dict.fromkeys(source_for(q.session, q.organisation(g.organisation_id), g.document_id, g.paragraph_id)
                                 for y in (first, last) for g in by_year[y]))
    return Reply(q.t(f"{name}: {first} {kr(amounts[first])}, {last} {kr(amounts[last])}; {last} {word_sv}.",
                     f"{name}: {first} {kr(amounts[first])}, {last} {kr(amounts[last])}; {last} {word_en}."),
                 sources=sources, language=q.language)


def _answer(q: Question) -> Reply | None:
    facets = set(q.reading_facets)
    if "by_how_much" in facets and facets & {"choose", "largest", "smallest"}:
        facets.add("difference")  # "vilken är störst, A eller B, och med hur mycket": both and the gap
    if "cumulative" in facets:
        # "Hur mycket har Enter kostat totalt sen starten?": the tables give years one by one (budget,
        # forecast, plan), never what was spent since a start; each year is shown, none added up.
        lines = _named_lines(q)
        if len(lines) == 1:
            return missing(q, f"något sammanlagt belopp för {lines[0][1]} sedan starten, bara år för år",
                           f"any total for {lines[0][1]} since it started, only year by year",
                           what_exists(q, *lines[0]))
    if "share" in facets and facets & {"largest", "smallest"} and not facets & {"difference", "change", "sum"}:
        # "Vilken kommun står för störst andel?": the share each has (a table may state one on its
        # own key, "82,36 % av arb-bef.") is not what a computed share of the amounts would give,
        # and the group's share of the total is no answer to which one has the largest: the
        # amounts are shown, the question is not answered.
        lines = _named_lines(q)
        if len(lines) == 1 and len(q.organisation_ids) == 1 and not _category(q) \
                and line_sections(q, lines[0][0]).get(lines[0][1], (None, ""))[1] != "line":
            # "vilken insats är störst 2021 och hur stor andel av kostnaderna är den": the largest of
            # the lines under a total, with its share of that total, both read from the table.
            org_id, name = lines[0]
            year = (years_in_order(q) or [latest_year(q, org_id, [name])])[0]
            return extreme_line(q, org_id, name, year, (budget._kinds(q) or ["budget"])[0], "largest" in facets,
                                leave_out=lambda found: _leave_out(q, found), with_share=True)
        group = _category(q) if not lines or len(lines) != 1 else []
        stated = _stated_shares(q, group) if group else None
        if stated:
            # The table states each member's share on its own key ("Bjurholms kommun, 1,37 % av
            # arb-bef."): that share is what the question asks, read as written.
            ends = [w for w in ("largest", "smallest") if w in facets]
            replies = [_extreme_stated_share(q, group, stated, w == "largest") for w in ends]
            if len(replies) == 1:
                return replies[0]
            # "who pays the biggest share and what's the smallest one": both, the list once.
            first, second = (r.text.split(q.t(" Alla: ", " All: "))[0] for r in replies)
            rest = replies[0].text[len(first):]
            return Reply(f"{first} {second}{rest}", sources=replies[0].sources, language=q.language)
        q.reading_facets = tuple(f for f in q.reading_facets if f != "share")
        try:
            amounts = _answer(q)
        finally:
            q.reading_facets = tuple(facets)
        head = q.t("Handlingarna ger ingen andel för var och en att jämföra; beloppen finns.",
                   "The documents give no share for each to compare; the amounts are there.")
        if amounts is None:
            return None
        return dataclasses.replace(amounts, text=f"{head}\n{amounts.text}", answered=False)
    if facets & {"difference", "change"} and _one_grant_over_time(q) and not _named_lines(q):
        return grant_over_time(q)
    if facets & {"difference", "share"} and _one_grant_against_rest(q) and not _named_lines(q):
        name = next(iter(_grant_names(q)))
        latest = max((m.entry.ref or 0 for m in q.named("grant") if m.entry.name == name), default=0)
        named = q.session.get(Grant, latest)
        if named is not None:
            return grant_against_rest(q, named, share_asked="share" in facets)
    orgs = compared_organisations(q)
    if orgs and not q.named("grant"):
        # "… i Jämtland än i Södra Vätterbygden": the same line in each förbund named.
        reply = across(q, orgs, _named_lines, _covers, every=not named_organisations(q))
        if reply is not None:
            return reply
    # "A och B tillsammans som mest": a sum bounded by what each may get, not which is larger.
    summing = "sum" in facets and not facets & {"difference", "change"}
    if facets & {"difference", "change", "choose", "largest", "smallest"} and len(q.named("grant")) >= 2 \
            and not summing:
        # "Hur mycket mer fick A än B?", "which was bigger, A or B": both amounts and the difference.
        reply = grant_difference(q)
        if reply is not None:
            return reply
    if "sum" in facets and len(q.named("grant")) >= 2 and not q.named("budget_line"):
        reply = grant_sum(q)
        if reply is not None:
            return reply
    if "count" in facets and not asks_percent(q):
        group = _category(q)
        return count_lines(q, group) if group else None
    lines = _named_lines(q)
    if len({o for o, _n in lines}) > 1:
        # The same line in several förbund ("Summa intäkter"): ask which, never add them up.
        return choose_organisation(q, [q.organisation(o) for o in sorted({o for o, _n in lines})])
    if len(lines) == 1 and facets & {"difference", "change", "share", "choose"} and _asks_grants_made(q, lines[0][1]):
        # "Hur mycket mer beviljades för 2024 än den statliga medelstilldelningen?"
        from handlers.answers.kinds.grant_list import _events
        return grants_against_line(q, lines[0][0], lines[0][1], _events(q, funding_years=True))
    if "share" in facets and q.cues.any(USED_WORDS):
        return used_share(q, lines)
    if "share" in facets and not facets & {"largest", "smallest", "difference", "change", "sum"}:
        member_type, whole = _whole_member_group(q)
        part = _part_in(q, lines, whole) if whole else None
        if whole and part is not None:
            # "Hur stor andel av kommunernas bidrag står Umeå kommun för?": of the group's own sum.
            return part_of_group(q, part, whole, q.t(*MEMBER_WHOLES[member_type]), _stated_shares(q, whole))
    if (asks_percent(q) or "share" in facets) and "sum" in facets and len(lines) >= 2 and len({o for o, _n in lines}) == 1 \
            and all(line_sections(q, o).get(n, (None, ""))[1] == "line" for o, n in lines):
        # "Hur mycket av budgeten går till Enter och SAMverkan tillsammans, i procent?"
        return group_share(q, lines, None)
    if "share" in facets and lines and all(line_sections(q, o).get(n, (None, ""))[1] != "line" for o, n in lines):
        group = _category(q)
        if group:  # "andel av intäkterna som kommunerna betalar": the group's sum of the total named
            return group_share(q, group + _joined_lines(q, group), lines[0][1])
    if "share" in facets and not lines:
        group = _category(q)
        if group:
            # "kommunerna och regionen": a line joined to the group is part of the share too.
            return group_share(q, group + _joined_lines(q, group), None)
    if "share" in facets and lines:
        return share(q, lines)
    group = _category(q) if len(lines) < 2 else []
    if group and len(lines) == 1 and line_sections(q, lines[0][0]).get(lines[0][1], (None, ""))[1] in (
            "total", "subtotal") and set(tokens(lines[0][1])) <= {w.lower() for w in q.words}:
        # "Vad är summa kostnader?" names the total line whole: it is the answer, not a sum of a group.
        group = []
    members = {n for n, (sec, _t) in line_sections(q, lines[0][0]).items() if sec in budget.MEMBER_SECTIONS} \
        if len(lines) == 1 else set()
    if group and len(lines) == 1 and lines[0] not in group and facets & {"difference", "change", "choose"} \
            and len(years_in_order(q)) <= 1 and _plural_group(q, group) and lines[0][1] in members \
            and all(n in members for _o, n in group):
        # "Betalar kommunerna tillsammans mer än regionen?": the group's sum against the one line.
        org_id = lines[0][0]
        years = years_in_order(q) or [latest_year(q, org_id, [n for _o, n in group] + [lines[0][1]])]
        return line_against_group(q, org_id, lines[0][1], [n for _o, n in group], years[0])
    receiving = _receiving(q, lines or group)
    if receiving is not None:
        return receiving
    if "each" in facets and "average" not in facets:
        parts = _breakdown_parts(q, lines)
        if parts is not None:
            # "Medlemsbidragen 2021 uppdelat på region, FK och kommunerna": every part named, a
            # group named in the plural as one part (its lines added up).
            return _breakdown(q, parts)
    if facets & {"each", "average"} and group:
        return each(q, group, average="average" in facets)
    comparing = bool(facets & {"difference", "change"})
    spanned = years_spanned(q)
    if comparing and "sum" in facets and len(spanned) >= 2 and not _compares_beside_period(q):
        comparing = False  # "totalt över 2021 och 2022", "in total over 2021-2023": during, not above
    if "sum" in facets and len(lines) == 1 and not comparing and len(spanned) >= 2 \
            and (not group or _named_directly_whole(q, lines[0][1]) or _narrowed(q, lines[0][1], group)) \
            and not (group and _plural_group(q, group) and not _narrowed(q, lines[0][1], group)):
        # "Projekt ARCH sammanlagt 2021–2023": one line over the years, not a group in one year.
        return over_years(q, lines[0][0], lines[0][1], spanned)
    if "sum" in facets and len(lines) < 2 and not comparing:
        # (Only beside a line found: with none, nothing is known to be added to.)
        unnamed = _unnamed_part(q, lines) if lines and not group else None
        found = lines_for_word(q, lines[0][0], unnamed, exclude=lines[0][1]) if unnamed and lines else []
        if len(found) == 1:
            # "kansli och styrelse och egna arrangemang": the rest names one line by its first words.
            both = [*lines, (lines[0][0], found[0])]
            if asks_percent(q) or "share" in facets:
                return group_share(q, both, None)  # "… tillsammans, i procent av budgeten"
            return sum_lines(q, both)
        if unnamed is not None:
            # "A och B sammanlagt" with no line B: never the sum of A alone.
            return missing(q, f"någon rad ”{unnamed}” att lägga ihop med {join_words([n for _o, n in lines])}",
                           f"any line “{unnamed}” to add to {join_words([n for _o, n in lines], 'en')}",
                           what_exists(q, lines[0][0], lines[0][1]) if lines else "")
        if group and not (len(lines) == 1 and _narrowed(q, lines[0][1], group)):
            return sum_lines(q, group)
        if lines and line_sections(q, lines[0][0]).get(lines[0][1], (None, ""))[1] in ("total", "subtotal"):
            if set(tokens(lines[0][1])) & TOTAL_WORDS and (period_ends(q.dates) or any(d.exact for d in q.dates)):
                # "total costs through T2" names the table's own total to a day: the line's figure
                # as of then, as the budget kind gives it, not another reading of it.
                from handlers.answers.kinds import budget as budget_kind
                return budget_kind.answer(q)
            return total_line(q, *lines[0])
    years_named = years_in_order(q)
    if facets & {"largest", "smallest"} and "change" in facets and len(years_named) == 2:
        return extreme_change(q, lines, years_named, "largest" in facets)
    if facets & {"largest", "smallest"} and "difference" in facets and len(years_named) <= 1 and all(
            line_sections(q, o).get(n, (None, ""))[1] != "line" for o, n in lines):
        # "Vilken post har störst avvikelse mellan budget och prognos 2020?"
        return extreme_gap(q, lines, years_named, "largest" in facets)
    if not lines and group and not facets - {"amount", "figure_kind"} and _plural_group(q, group):
        return sum_lines(q, group)
    if not lines and not group and "sum" in facets and not comparing and q.cues.any(("budget",)):
        return total_budget(q)  # "den totala budgeten 2021": the table's totals, costs and income
    if not lines and not group and "sum" in facets and comparing and q.cues.any(("budget",)) \
            and len(years_named) == 2 and len(q.organisation_ids) == 1:
        # "Hur mycket mer är den totala budgeten 2021 än 2020?": the costs' total line, year against year.
        totals = [n for n, (sec, row_type) in line_sections(q, q.organisation_ids[0]).items()
                  if sec == "kostnader" and row_type == "total"]
        totals.sort(key=lambda n: (not ("summa" in n.lower() or "totalt" in n.lower()), n))
        if totals:
            return between_years(q, q.organisation_ids[0], totals[0], years_named)
    if not lines and not group and "difference" in facets and q.cues.any(("vilka", "which")) \
            and q.cues.any(LINE_WORDS) and len(q.organisation_ids) == 1 and len(years_named) <= 1:
        # "Vilka poster blev dyrare än budgeterat 2020?": the cost lines off their budget.
        org_id = q.organisation_ids[0]
        totals = sorted((n for n, (sec, t) in line_sections(q, org_id).items() if sec == "kostnader" and t == "total"),
                        key=lambda n: (not ("summa" in n.lower() or "totalt" in n.lower()), n))
        if totals:
            year = years_named[0] if years_named else latest_year(q, org_id, totals[:1])
            return lines_off_budget(q, org_id, totals[0], year)
    if not lines:
        if group and facets & {"largest", "smallest"}:
            return extreme_of(q, group, "largest" in facets)
        if not group and facets & {"largest", "smallest"} and effort_extreme(q):
            org_id = q.organisation_ids[0]
            kind = kinds_in_order(q)[0] if kinds_in_order(q) else "budget"
            return missing(q, f"någon {kind} per insats att välja bland", f"any {kind} per effort (insats) to choose from",
                           "; ".join(sorted({n for n, (sec, t) in line_sections(q, org_id).items()
                                             if sec not in budget.MEMBER_SECTIONS and t == "line"}))[:300])
        if group and comparing and len(years_named) == 2:
            # "Hur mycket ökar medlemsbidragen sammanlagt 2021 jämfört med 2020?"
            word = next((w for w in q.words if len(w) >= 5 and any(fold(w).startswith(m) for m in MEMBER_WORDS)), "")
            return group_between_years(q, group, years_named, word or group_word(q, group))
        if group and comparing:
            # "Betalar kommunerna tillsammans mer än regionen?": the group's sum against the line named.
            other = unresolved_other_side(q)
            org_id = group[0][0]
            against = lines_for_word(q, org_id, other, exclude="") if other else []
            against = [a for a in against if (org_id, a) not in group]
            if len(against) == 1:
                years = years_in_order(q) or [latest_year(q, org_id, [n for _o, n in group] + against)]
                return line_against_group(q, org_id, against[0], [n for _o, n in group], years[0])
            if other:
                return missing(q, f"något om ”{other}” att jämföra med", f"anything on “{other}” to compare with")
        return None
    org_id = lines[0][0]
    names = [n for _o, n in lines]
    years = years_in_order(q) or [latest_year(q, org_id, names)]
    if len(names) == 1 and not facets & {"sum", "share", "largest", "smallest", "choose", "each"} \
            and ("difference" not in facets or not _compares_beside_period(q)) \
            and ("trend" in facets or len(years_spanned(q)) >= 3):
        # "Hur utvecklas Enter från 2021 till 2023?", "ARCH 2021, 2022 och 2023": every year of the run.
        return line_years(q, org_id, names[0], years_spanned(q))
    if len(names) == 1 and "difference" in facets and q.cues.any(("vilka", "which")) and len(years) == 1 \
            and (line_sections(q, org_id).get(names[0], (None, ""))[1] in ("total", "subtotal")
                 or not _named_directly_whole(q, names[0])):
        # "Vilka verksamheter hamnar under sin budget 2019?": the lines under that total, not the total.
        return lines_off_budget(q, org_id, names[0], years[0])
    if "sum" in facets and len(names) > 1 and not comparing:
        return sum_lines(q, lines)
    if len(names) >= 2 and q.cues.any(WHICH_WORDS) and off_own_budget(q) and len(years_named) <= 1 \
            and not facets & {"sum", "change", "share"}:
        # "Vilken låg mest under budget 2020, Efterstöd eller SE-N?": each against its own budget.
        return gap_of_each(q, org_id, names, years[0], "smallest" not in facets, _OVER_PERIOD.sub("", q.text))
    if facets & {"largest", "smallest", "choose"} and len(names) >= 2 and not facets & {"difference", "change"}:
        # "vilken är störst av A och B", "which is bigger, A or B": one of those named.
        return extreme_of(q, lines, "smallest" not in facets)
    within = years_spanned(q)
    if facets & {"largest", "smallest"} and not facets & {"difference", "change"} and len(names) == 1 \
            and q.cues.any(WHICH_YEAR) and (not years_named or len(within) >= 3):
        # "Vilket år har nya projekt mest pengar i planen?": the line's own years against each other
        # (those of a run the question names, "2021–2023").
        return extreme_year(q, org_id, names[0], kinds_in_order(q), "largest" in facets, within if years_named else None)
    if facets & {"largest", "smallest"} and not facets & {"difference", "change"}:
        return extreme_line(q, org_id, names[0], years[0], (budget._kinds(q) or ["budget"])[0], "largest" in facets,
                            leave_out=lambda found: _leave_out(q, found))
    if not facets & {"difference", "change"}:
        return budget.answer(q)
    if len(names) == 2 and len(years) <= 1:
        sections = {(org_id, n): line_sections(q, org_id).get(n, (None, ""))[0] for n in names}
        result = budget._result_of(q, [(1.0, n, (org_id, n)) for n in names], sections)
        if result is not None:
            return result  # "underskottet, intäkter mot kostnader": the one less the other, signed
        return two_lines(q, org_id, names, years[0])
    if len(names) > 2:
        # "Är Enter dyrare än SAMS och FIA tillsammans?": the line before "än" against the sum of
        # those after it.
        split = _before_and_after_than(q, names)
        if split is not None and len(years) <= 1:
            asked_line, added = split
            return line_against_group(q, org_id, asked_line, added, years[0])
        return None
    other = unresolved_other_side(q)
    if other is None and len(names) == 1 and len(years) <= 1:
        other = dropped_other_side(q, names)
    if other is not None and len(years) <= 1:
        against = lines_for_word(q, org_id, other, exclude=names[0])
        # A member body named by its place ("än Östersunds kommun") is that one member: a later word
        # of its name ("kommun") names no line for it (the kommuner may pay in as one line).
        body_words = {fold(t) for m in q.named("member_body") if m.score >= 0.9 for t in tokens(m.entry.name)}
        if not against and fold(other) not in body_words:
            # "över Nationella rådets rekommenderade nivå": a later word of the phrase names the line.
            phrase = other_side_words(q)
            for i, word in enumerate(phrase[1:], start=1):
                if any(fold(word).startswith(fold(k.rstrip("="))) for k in OTHER_SIDE):
                    break  # "under sin budget": a kind of figure, not a line named "… budget"
                found = lines_for_word(q, org_id, word, exclude=names[0])
                if len(found) == 1:
                    # The whole phrase stands for the line, as the gloss says.
                    other, against = " ".join(phrase[:i + 1]), found
                    break
        if len(against) == 1:
            reply = two_lines(q, org_id, [names[0], against[0]], years[0], in_order=True)
            # The line stands for the word the question used ("municipalities" for "Bidrag kommuner").
            gloss = q.t(f" (”{other}”: {against[0]})", f" (“{other}”: {against[0]})")
            return Reply(reply.text + gloss, sources=reply.sources, language=q.language) if reply.answered else reply
        if len(against) > 1:
            return line_against_group(q, org_id, names[0], against, years[0])
    if other is None and len(years) <= 1 and "difference" in facets:
        subject = _subject_line(q, org_id, names[0])
        if subject is not None:
            # "Hur mycket mer betalar landstinget än Umeå kommun": the line named before "än" by a
            # word of its own ("landstinget": Västerbottens läns landsting), against the one after.
            word, line = subject
            reply = two_lines(q, org_id, [line, names[0]], years[0], in_order=True)
            gloss = q.t(f" (”{word}”: {line})", f" (“{word}”: {line})")
            return Reply(reply.text + gloss, sources=reply.sources, language=q.language) if reply.answered else reply
    if other is not None:
        return missing(q, f"något om ”{other}” att jämföra {names[0]} med",
                        f"anything on “{other}” to compare {names[0]} with", what_exists(q, org_id, names[0], years))
    if len(years) >= 2:
        return between_years(q, org_id, names[0], years)
    against_nothing = not any(w in REFERENCE_WORDS for w in q.words)
    over_time = "change" in facets and "difference" not in facets and against_nothing
    if len(years_named) <= 1 and len(kinds_in_order(q)) <= 1 and (q.cues.any(PREVIOUS_YEAR) or over_time):
        # "Hur mycket ökar intäkterna 2021?", "… jämfört med året innan": against the year before; with
        # no year, the latest decided year against the one before it ("hur mycket ökade Enter?").
        year = years[0] if years_named else latest_year(q, org_id, names, two_kinds=False)
        before = [year - 1, year]
        if any(figure(q, org_id, names[0], before[0], k) for k in ("budget", "prognos", "utfall", "plan")):
            return between_years(q, org_id, names[0], before)
        if q.cues.any(PREVIOUS_YEAR):
            # "… jämfört med T2 året innan": the year before is the other side; lacking it, no
            # comparison of the year's own figures instead.
            return missing(q, f"någon siffra {year - 1} för {names[0]} att jämföra med",
                           f"any figure for {names[0]} in {year - 1} to compare with", what_exists(q, org_id, names[0]))
    return kinds_difference(q, org_id, names[0], years[0])


# Words that ask which of several things ("vilken av A och B").
WHICH_WORDS = ("vilken", "vilket", "vilka", "which", "vilkendera", "whichever")

# Words after which the lines named are added up as one side ("SAMS och FIA tillsammans").
TOGETHER = ("tillsammans", "sammanlagt", "together", "combined", "ihop", "in total", "totalt")


def _before_and_after_than(q: Question, names: list[str]) -> tuple[str, list[str]] | None:
    """The one line named before "än" / "than" and the lines after it added up ("… tillsammans"),
    when the question says they are taken together."""
    if not q.cues.any(TOGETHER):
        return None
    folded = [fold(w) for w in q.words]
    at = next((i for i, w in enumerate(folded) if w == "than" or (w == "an" and q.language != "en")), None)
    if at is None:
        return None

    def where(name: str) -> int:
        spots = [i for i, w in enumerate(q.words) if w in _covers(q, name)]
        return min(spots, default=-1)
    before = [n for n in names if 0 <= where(n) < at]
    after = [n for n in names if where(n) > at]
    if len(before) != 1 or len(after) < 2 or len(before) + len(after) != len(names):
        return None
    return before[0], after


# Words that ask which of a line's years ("vilket år", "which year"), not which line.
WHICH_YEAR = ("vilket år", "vilka år", "vilket av åren", "i vilket år", "which year", "what year", "which of the years",
              "vilket ar", "vilka ar")


def _stated_shares(q: Question, group: list[tuple[int, str]]) -> dict[str, tuple[float, str, str]] | None:
    """The share each line of a group has as its table writes it beside the name ("Umeå kommun,
    82,36% av arb-bef."): line -> (value, as written, its key); None unless every line has one."""
    org_id = group[0][0]
    doc_ids = set(q.session.exec(select(BudgetFigure.document_id).where(
        BudgetFigure.organisation_id == org_id, col(BudgetFigure.line).in_([n for _o, n in group]))).all())
    texts = [d.text for i in doc_ids if (d := q.session.get(Document, i)) is not None and d.text]
    out: dict[str, tuple[float, str, str]] = {}
    for _o, name in group:
        pattern = re.compile(rf"(?m)^[-•\s]*{re.escape(name)}\s*,\s*(\d+(?:[,.]\d+)?)\s*%\s*av\s+([^\t\n]+?)\.?(?=\t|$)")
        m = next((m for t in texts if (m := pattern.search(t))), None)
        if m is None:
            return None
        out[name] = (float(m.group(1).replace(",", ".")), f"{m.group(1)} %", m.group(2).strip())
    return out


def _extreme_stated_share(q: Question, group: list[tuple[int, str]], stated: dict[str, tuple[float, str, str]],
                          largest: bool) -> Reply:
    org_id = group[0][0]
    pick = (max if largest else min)(stated, key=lambda n: stated[n][0])
    _value, written, key = stated[pick]
    year = latest_year(q, org_id, [pick])
    f = figure(q, org_id, pick, year, "budget")
    amount = q.t(f" (budget {year}: {kr(f.amount)})", f" (budget {year}: {kr(f.amount)})") if f is not None else ""
    others = ", ".join(f"{n} {stated[n][1]}" for _o, n in group)
    word = q.t("störst" if largest else "minst", "the largest" if largest else "the smallest")
    text = q.t(f"{pick} står för {word} andel: {written} av {key}, som tabellen anger{amount}. Alla: {others}.",
               f"{pick} has {word} share: {written} of {key}, as the table states it{amount}. All: {others}.")
    cited = f or q.session.exec(select(BudgetFigure).where(BudgetFigure.organisation_id == org_id,
                                                           BudgetFigure.line == pick)).first()
    sources = [figure_source(q.session, q.organisation(org_id), cited)] if cited is not None else []
    return Reply(text, sources=sources, language=q.language)


# While a question that leaves lines out ("kommunerna utom Umeå kommun") is answered: the lines
# left out of the set it was answered from (None when it leaves nothing out).
_LEFT_OUT: ContextVar[set[str] | None] = ContextVar("left_out", default=None)


def _leave_out(q: Question, names: list[str]) -> list[str]:
    """The names of a set of lines that the question leaves out, recorded as applied."""
    applied = _LEFT_OUT.get()
    if applied is None:
        return []
    found = exclusion.without(q.text, names, lambda n: n)
    if found is not None and not found[1] and len(q.organisation_ids) == 1:
        # "kranskommunerna, alltså allt utom Umeå kommun": a line of the förbund already outside
        # the set is left out as asked.
        every = q.session.exec(select(BudgetFigure.line).where(BudgetFigure.organisation_id == q.organisation_ids[0],
                                                               BudgetFigure.row_type == "line").distinct()).all()
        outside = exclusion.without(q.text, [n for n in every if n not in names], lambda n: n)
        if outside is not None and outside[1]:
            applied.update(outside[1])
        return []
    if not found or not found[1] or not found[0]:
        return []
    applied.update(found[1])
    return found[1]


def answer(q: Question) -> Reply | None:
    """The comparison asked; lines the question leaves out are left out of the group or the lines
    picked from, and said; a path that cannot leave them out answers nothing."""
    if "exclude" not in q.reading_facets or exclusion.excluded_words(q.text) is None:
        return _answer(q)
    applied: set[str] = set()
    token = _LEFT_OUT.set(applied)
    try:
        reply = _answer(q)
    finally:
        _LEFT_OUT.reset(token)
    if reply is None or not reply.answered:
        return reply
    if not applied:
        return missing(q, "något svar där det frågan räknar bort är borträknat",
                       "any answer with what the question leaves out left out")
    names = join_words(sorted(applied))
    return dataclasses.replace(reply, text=reply.text + q.t(f" (Utom {names}.)", f" (Except {names}.)"))

KIND = register(Kind(name="compare", label_sv="en jämförelse av siffror", label_en="a comparison of figures",
                     cues=CUES, answer=answer, entities=("budget_line", "grant"), entity_weight=0.8, fit=_fit, order=2,
                     figure=True, vetoes=(*REASON_WORDS, "beslut", "beslöt", "decide", "decision", "bestämd", "bestämt",
                                          *TALKS_LANDED, *MERGING, *WORKING_TIME)))
