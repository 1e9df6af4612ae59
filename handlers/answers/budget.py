"""Budget, forecast (prognos), outcome (utfall) and plan figures for a line and a year."""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from sqlmodel import col, select

from handlers.answers import dates
from handlers.answers.core import (
    Question,
    best_matches,
    choose_organisation,
    figure_source,
    not_found,
    source_for,
)
from handlers.answers.dates import period_ends
from handlers.answers.text import amount_text, fold, kr, matched_words, none_of, tokens, word_match
from handlers.messages import Action, Reply, Source
from storage import grant_status
from storage.models import BudgetFigure, Grant, Organisation
from storage.swedish.names import MONTHS_SV_EN

KIND_WORDS = {
    "budget": ("budget", "budgeter"),
    "prognos": ("prognos", "beräkna", "forecast", "expected", "väntas", "prognostiser", "bedöms", "bedömt", "bedömer", "bedömning",
                "tror=", "räknar med", "räknas med", "räknade med", "räknat med", "expect=", "expects", "landar på", "hamnar på",
                "will end up", "going to end up"),
    # ("actual", not "actually": an adverb of asking names no kind of figure.)
    "utfall": ("utfall", "outcome", "actual=", "actuals", "bokför", "förbruka", "hittills", "faktisk", "verklig"),
    "plan": ("plan",),
    "kvar": ("återstår", "kvar", "remaining", "left", "remain"),
}
# "Actually" before a verb of what a year came to asks the outcome ("what did the kansli actually
# cost", "what was actually spent"); "actually" alone is an adverb of asking.
ACTUALLY = ("actually cost", "actually costs", "actually end", "actually ended", "actually spent", "actually paid",
            "actually came", "actually amount", "actually amounted", "actually used", "actually received")
# Words that ask for a forecast by name; the others of KIND_WORDS["prognos"] ask what is expected.
EXPLICIT_FORECAST = ("prognos", "forecast", "prognostiser")
KIND_SV = {"budget": "Budget", "prognos": "Prognos", "utfall": "Utfall", "plan": "Plan", "kvar": "Återstår"}
KIND_EN = {"budget": "Budget", "prognos": "Forecast", "utfall": "Outcome", "plan": "Plan", "kvar": "Remaining"}
PREFERENCE = ["budget", "prognos", "plan", "utfall"]
# English words of money questions, in the Swedish the tables use.
ENGLISH = {
    "income": ["intäkter"], "revenue": ["intäkter"], "costs": ["kostnader"], "cost": ["kostnader"],
    "expenses": ["kostnader"], "total": ["summa"], "result": ["resultat"], "equity": ["eget", "kapital"],
    "office": ["kansli"], "secretariat": ["kansli"], "administration": ["kansli"], "contribution": ["bidrag"],
    "state": ["statlig", "medelstilldelning"], "allocation": ["medelstilldelning"], "allocated": ["medelstilldelning"],
    "funding": ["medel"], "money": ["medel"], "personnel": ["personalkostnader"], "staff": ["personalkostnader"],
    "salaries": ["personalkostnader"], "members": ["medlemsbidrag"], "external": ["externa"], "board": ["styrelse"], "year's": ["årets"],
    "annual": ["årets"], "revenues": ["intäkter"], "incomes": ["intäkter"], "expenditure": ["kostnader"],
    "contributions": ["bidrag"], "municipalities": ["kommuner"], "municipality": ["kommun"], "region": ["region"],
    "grants": ["bidrag"], "efforts": ["insatser"], "effort": ["insatser"], "interventions": ["insatser"],
    "initiatives": ["insatser"], "initiative": ["insatser"], "deficit": ["resultat"], "surplus": ["resultat"],
    "projects": ["projekt"], "project": ["projekt"], "capital": ["kapital"], "information": ["information"],
    "training": ["kompetensutveckling"], "skills": ["kompetensutveckling"], "financial": ["finansiella"],
    "operating": ["verksamhetens"], "operations": ["verksamhetens"], "travel": ["resor"],
    "activities": ["verksamhet"], "activity": ["verksamhet"],
    "accounting": ["ekonomihantering"], "bookkeeping": ["ekonomihantering"], "new": ["nya"],
    "available": ["tillgängligt"], "net": ["netto"],
    # The national council's ceiling on saved funds ("högsta rekommenderade nivå på sparade medel"),
    # which the tables call "Rekommenderat högsta eget kapital".
    "recommended": ["rekommenderat"], "highest": ["högsta"], "maximum": ["högsta"], "max": ["högsta"],
    "ceiling": ["högsta"], "saved": ["eget", "kapital"], "savings": ["eget", "kapital"], "reserves": ["eget", "kapital"],
    "sparade": ["eget", "kapital"], "sparat": ["eget", "kapital"], "maximalt": ["högsta"], "maxnivå": ["högsta"],
    # Money set aside for something is what the plan leaves available for it ("avsatt till nya projekt":
    # the line "Tillgängligt nya projekt").
    "avsatt": ["tillgängligt"], "avsatta": ["tillgängligt"], "reserverat": ["tillgängligt"],
    "earmarked": ["tillgängligt"], "reserved": ["tillgängligt"], "aside": ["tillgängligt"],
    # Invoicing passed on ("re-invoicing the processledarutbildning": Vidarefakturering …).
    "invoicing": ["vidarefakturering"], "reinvoicing": ["vidarefakturering"], "invoiced": ["vidarefakturering"],
    # The balance sheet's lines.
    "cash": ["kassa"], "receivables": ["fordringar"], "assets": ["tillgångar"], "liabilities": ["skulder"],
    "debts": ["skulder"], "depreciation": ["avskrivningar"], "depreciations": ["avskrivningar"],
    "extraordinary": ["extraordinära"], "items": ["poster"], "tax": ["skatteintäkter"],
    # Swedish words for what the tables call otherwise.
    "staten": ["statlig", "medelstilldelning"], "statens": ["statlig", "medelstilldelning"],
    "statsbidrag": ["statlig", "medelstilldelning"], "pengar": ["medel"], "pengarna": ["medel"],
}


KIND_NOUNS = ("budget", "budgeten", "prognos", "prognosen", "plan", "planen")


# The kinds of figure a compound may end in, and the linking letter before them
# ("resultatprognosen", "kostnadsbudgeten", "intäktsutfallet").
_KIND_ENDINGS = re.compile(r"^(?P<head>[^\W\d_]{4,}?)s?(?:prognos|budget|utfall)(?:en|et|er|erna)?$")


def compound_heads(words: list[str]) -> list[str]:
    """The first part of compounds that end in a kind of figure: "resultatprognosen" names the
    result (its forecast), "kostnadsbudgeten" the costs; a kind's own compounds
    ("helårsprognosen", "årsbudget") name no line."""
    out = []
    for w in words:
        m = _KIND_ENDINGS.match(fold(w.lower()))
        if m and m.group("head") not in ("helar", "helars", "ars", "halvars", "delars", "tertial", "manads"):
            out.append(m.group("head"))
    return out


def compound_line_words(q: Question) -> list[str]:
    """The words of a two-word line a question writes as one compound ("verksamhetskostnader" for
    Verksamhetens kostnader, "verksamhetsintäkterna"): the first word without its ending (at most
    three letters), a linking "s" or none, then the second word in any form. Only names the
    store's lines of the förbund asked about are tried."""
    from storage.search import stem

    out: list[str] = []
    for w in q.words:
        f = fold(w.lower())
        if len(f) < 9 or any(ch.isdigit() for ch in f):
            continue
        # Candidates by either part's first letters (a generic first word, "Verksamhetens", is not indexed).
        starts = {f[:3], *(f[i:i + 3] for i in range(4, len(f) - 3))}
        for org_id in q.organisation_ids:
            entries = {e for s3 in starts for e in q.lexicon.sharing_a_word("budget_line", s3, org_id)}
            for entry in sorted(entries, key=lambda e: e.name):
                names = [fold(t.lower()) for t in tokens(entry.name)]
                for a, b in pairwise(names):
                    for cut in range(len(a), max(3, len(a) - 4), -1):
                        if not f.startswith(a[:cut]):
                            continue
                        rest = f[cut:]
                        tails = [rest, rest[1:]] if rest.startswith("s") else [rest]
                        if any(len(r) >= 4 and (r == b or stem(r) == stem(b) or word_match(r, b) >= 0.85)
                               for r in tails):
                            out += [t for t in tokens(entry.name) if fold(t.lower()) in (a, b)]
                        break
    return list(dict.fromkeys(out))


def _question_words(q: Question, keep_kind_words: bool = False) -> list[str]:
    words = list(q.words) + compound_heads(q.words) + compound_line_words(q)
    for w in q.words:
        words += q.english(w)
    if keep_kind_words:
        return [w for w in words if not q.names_only_a_forbund(w)]
    # "plan" as a kind word would match plan-named lines ("Plan 2022") — drop kind words; and a
    # förbund's own name ("Umeåregionens") is the scope, not a line ("Umeå kommun").
    return [w for w in words if w not in KIND_NOUNS
            and not q.names_only_a_forbund(w)]


# A kind named only to be ruled out: "det faktiska resultatet, inte prognosen", "not the budget".
_NEGATION = re.compile(r"\b(?:inte|ej|icke|not|rather than|instead of)\s+(?:the\s+|en\s+|ett\s+|någon\s+)?(\w+)",
                       re.IGNORECASE)


def _ruled_out(q: Question) -> set[str]:
    negated = [fold(m.group(1).lower()) for m in _NEGATION.finditer(q.text)]
    return {kind for kind, stems in KIND_WORDS.items() if any(w.startswith(fold(s)) for w in negated for s in stems)}


def _says(q: Question, stems: tuple[str, ...]) -> bool:
    """A word starting with one of `stems`; a stem ending in "=" only as the whole word."""
    whole = [fold(s[:-1]) for s in stems if s.endswith("=")]
    return q.has(*[s for s in stems if not s.endswith("=")]) or any(w in whole for w in q.cues.words)


def _kinds(q: Question) -> list[str]:
    ruled_out = _ruled_out(q)
    named = [kind for kind, stems in KIND_WORDS.items() if _says(q, stems) and kind not in ruled_out]
    if _THIRD_TERTIAL.search(q.text) and "utfall" not in named:
        named.append("utfall")  # what a year's last tertial reports is its outcome
    if "utfall" not in named and "utfall" not in ruled_out and q.cues.any(ACTUALLY):
        named.append("utfall")  # "what did it actually cost": the outcome, as "faktiskt" asks in Swedish
    # The budget kind's cue table has read the question already ("hittills" asks the outcome).
    read = [kind for kind in KIND_WORDS if kind in q.reading_facets]
    if read and not set(read) <= set(named):
        named = list(dict.fromkeys(named + read))
    # Compounds name the kind at their end: "helårsprognos", "årsutfall".
    for kind in ("prognos", "utfall"):
        if kind not in named and any(kind in w for w in q.cues.words):
            named.append(kind)
    if "plan" in named and q.has("planer") and len(named) > 1:
        named.remove("plan")
    return named


def _by_proper_name(q: Question, tied: list[tuple[float, str, object]]) -> list[tuple[float, str, object]]:
    """Lines that fit alike, less those the question names only by common words: in "Jönköpings
    kommuns bidrag" the name Jönköpings points at the line Jönköpings kommun, not at "Bidrag kommuner"."""
    proper = {fold(w.lower()) for w in re.findall(r"\w+", q.text)[1:] if w[:1].isupper() and len(w) >= 3}
    if len(tied) < 2 or not proper:
        return tied
    named = [m for m in tied if any(word_match(fold(t), p) >= 0.9 for t in tokens(m[1]) for p in proper)]
    return named or tied


# "Resultatet", "the result": the year's result line, whatever the förbund calls it ("Årets resultat",
# "Årets beräknade resultat").
RESULT_WORDS = ("resultat", "result", "överskott", "underskott", "surplus", "deficit")


# A whole year's forecast or outcome asked without a line ("vad blev prognosen för helåret 2020",
# "helårsprognosen enligt senaste tertialen", "the full-year forecast"): the förbund's own, its year's
# result, as its follow-up reports state it ("Det prognostiserade resultatet för helåret 2020 …").
_WHOLE_YEAR = re.compile(r"\bhelars?\w*|\bhela aret\b|\bfull[- ]year\b|\bwhole year\b")
_YEAR_FIGURE = re.compile(r"prognos|utfall|forecast|outcome")


def _whole_year_of_the_forbund(q: Question) -> bool:
    if q.named("grant", "member_body", "person"):
        return False
    folded = fold(q.text.lower())
    return bool(_WHOLE_YEAR.search(folded) and _YEAR_FIGURE.search(folded))


def _result_lines(rows: Sequence[tuple[int, str, str | None]]) -> list[tuple[float, str, object]]:
    by_org: dict[int, list[str]] = {}
    for org_id, line, _section in rows:
        if "resultat" in fold(line.lower()):
            by_org.setdefault(org_id, []).append(line)
    out: list[tuple[float, str, object]] = []
    for org_id, lines in by_org.items():
        # The year's result first ("Årets …"), then the shortest name (the plainest line).
        best = min(lines, key=lambda line: (not fold(line.lower()).startswith("arets"), len(line)))
        out.append((0.9, best, (org_id, best)))
    return out


def _result_of(q: Question, tied: list[tuple[float, str, object]],
               sections: dict[tuple[int, str], str | None]) -> Reply | None:
    """"Hur stort är underskottet i verksamheten, intäkter mot kostnader?": a result asked of an
    income line and a cost line together is the one less the other (whichever sign the table
    gives its costs), with both figures; not a choice between the two."""
    from handlers.answers.figures import figure, latest_year

    if not q.has(*RESULT_WORDS):
        return None
    pair = {sections.get(item): item for _s, _n, item in tied if isinstance(item, tuple)}
    if set(pair) != {"intäkter", "kostnader"} or len(tied) != 2:
        return None
    (org_id, income_line), (_o, cost_line) = pair["intäkter"], pair["kostnader"]
    if org_id != _o:
        return None
    year = q.year or latest_year(q, org_id, [income_line, cost_line])
    kind = (_kinds(q) or ["budget"])[0]
    income, cost = figure(q, org_id, income_line, year, kind), figure(q, org_id, cost_line, year, kind)
    if income is None or cost is None or income.unit != cost.unit:
        return None
    result = abs(income.amount) - abs(cost.amount)
    word = q.t("överskott" if result >= 0 else "underskott", "surplus" if result >= 0 else "deficit")
    name = q.t(KIND_SV.get(kind, kind), KIND_EN.get(kind, kind))
    org = q.organisation(org_id)
    return Reply(q.t(f"{name} {year}: {income_line} {amount_text(abs(income.amount), income.unit)} − {cost_line} "
                     f"{amount_text(abs(cost.amount), cost.unit)} = {amount_text(result, income.unit)} ({word}).",
                     f"{name} {year}: {income_line} {amount_text(abs(income.amount), income.unit)} − {cost_line} "
                     f"{amount_text(abs(cost.amount), cost.unit)} = {amount_text(result, income.unit)} ({word})."),
                 sources=list(dict.fromkeys([figure_source(q.session, org, income),
                                             figure_source(q.session, org, cost)])), language=q.language)


def answer(q: Question) -> Reply | None:
    rows = q.session.exec(
        select(BudgetFigure.organisation_id, BudgetFigure.line, BudgetFigure.section)
        .where(col(BudgetFigure.organisation_id).in_(q.organisation_ids)).distinct()
    ).all()
    if not rows:
        return None
    words = _question_words(q)
    names: list[tuple[str, object]] = [(line, (org_id, line)) for org_id, line, _s in rows]
    matches = best_matches(names, words, threshold=0.6, foreign=q.foreign, lexicon=q.lexicon)
    # A line whose own name holds a kind word ("Total budget") is named when every word of it is asked.
    whole = [m for m in best_matches(names, _question_words(q, keep_kind_words=True), threshold=0.9,
                                     foreign=q.foreign)
             if m[0] >= 0.95 and set(tokens(m[1])) & set(KIND_NOUNS)]
    if whole and (not matches or whole[0][0] > matches[0][0] + 0.02):
        matches = whole + [m for m in matches if m[1] != whole[0][1]]
    sections = {(org_id, line): section for org_id, line, section in rows}
    if (not matches or matches[0][0] < 0.9) and q.mentions and q.new_effort_posts:
        # The post for efforts not yet granted, named by what it is for (Question.mentions).
        matches = [(0.9, line, (org_id, line)) for org_id, line in q.new_effort_posts
                   if (org_id, line) in sections] or matches
    if not matches and (q.has(*RESULT_WORDS) or _whole_year_of_the_forbund(q)):
        matches = _result_lines(rows)
    if not matches:
        only = _the_one_member_of_its_type(q, sections)
        if only is not None:
            matches = [(1.0, only[1], only)]
        elif q.has("medlem", "member"):
            listed = _member_contributions(q, sections)
            members = [m.entry.name for m in q.named("member_body") if m.score >= 0.8]
            if members and listed.answered:
                # "Hur mycket betalar Timrå kommun i medlemsbidrag?" with no line of its own: the
                # table's contributions are shown, none given as that member's.
                return Reply(q.t(f"Budgeten har ingen egen rad för {members[0]}. ", f"The budget has no line of its "
                                 f"own for {members[0]}. ") + listed.text, answered=False, sources=listed.sources,
                             language=q.language)
            return listed
        else:
            return None
    matches = _parts_not_wholes(_balance_day_first(q, matches, rows), sections, words)
    twin = _member_or_effort(q, matches, sections)
    if isinstance(twin, Reply):
        return twin
    if twin is not None:
        matches = [m for m in matches if m[1] != twin]  # the twin the verb did not ask for
    # (Each line joined explains its own words: another's words do not qualify it away, so the
    # matches are taken before the question's other names are held against them.)
    joined = _joined(q, best_matches(names, words, threshold=0.75), words) if any(w in JOINERS for w in words) \
        else []
    if joined:
        # "Budget 2021 för Enter och FIA?": the figure asked, for each line the question joins.
        replies = [_figure(q, q.organisation(org_id), line) for org_id, line in joined]
        sources = list(dict.fromkeys(src for r in replies for src in r.sources))
        return Reply("\n".join(r.text for r in replies), answered=all(r.answered for r in replies), sources=sources,
                     language=q.language)
    top = matches[0][0]
    tied = _by_proper_name(q, [m for m in matches if m[0] >= top - 0.02])
    org_ids = {item[0] for _s, _n, item in tied if isinstance(item, tuple)}
    if len(org_ids) > 1:
        return choose_organisation(q, [q.organisation(i) for i in sorted(org_ids)])
    lines = list(dict.fromkeys(name for _s, name, _i in tied))
    result = _result_of(q, tied, sections) if len(lines) == 2 else None
    if result is not None:
        return result
    if len(lines) > 1:
        # Lines alike on their words: the one written out in full wins, else ask which.
        asked = f" {' '.join(words)} "
        verbatim = [name for name in lines if f" {' '.join(tokens(name))} " in asked]
        if len(verbatim) != 1:
            year = q.year or q.ctx.today.year
            text = q.t("Flera rader passar frågan: ", "Several lines fit the question: ") + "; ".join(lines[:5])
            text += q.t(". Vilken menar du?", ". Which one do you mean?")
            return Reply(text=text, answered=False, language=q.language, actions=[
                Action(label=name[:70], action_id="ask.suggestion", value=q.t(f"Vad är budgeten för {name} {year}?",
                       f"What is the budget for {name} {year}?")) for name in lines[:5]])
        lines = verbatim
    org_id = next(item[0] for _s, name, item in tied if name == lines[0] and isinstance(item, tuple))
    if sections.get((org_id, lines[0])) == "medlemsbidrag" and not _STATE_ALLOCATION.search(lines[0]) \
            and q.has(*RECEIVE_CUES) and not q.has(*PAY_CUES) and not _from_member(q, lines[0]):
        # What a member pays in is not what it receives: that is what its efforts were granted.
        return _received(q, q.organisation(org_id), lines[0])
    return _figure(q, q.organisation(org_id), lines[0])


# Words that join two things asked of alike ("Enter och FIA", "Enter and FIA", "Enter samt FIA").
JOINERS = ("och", "and", "samt", "plus", "&")


def _joined(q: Question, matches: list, words: list[str]) -> list[tuple[int, str]]:
    """Lines of one förbund that the question names each by words of their own and joins by "och" /
    "and" ("SAMverkan i Södra Vätterbygden och Kompetensutveckling"); none unless two or more are."""
    if not any(w in JOINERS for w in words):
        return []
    chosen: list[tuple[tuple[int, str], list[int]]] = []
    taken: set[int] = set()
    for score, name, item in matches:
        if score < 0.75 or not isinstance(item, tuple):
            continue
        own = matched_words(name, words)
        at = [i for i, w in enumerate(words) if w in own]
        if not at or taken & set(at) or any(item == c for c, _a in chosen):
            continue
        chosen.append((item, at))
        taken.update(at)
    if len(chosen) < 2 or len({item[0] for item, _a in chosen}) > 1:
        return []
    chosen.sort(key=lambda c: min(c[1]))
    # The lines joined one to the next by a joiner between them ("vad kostar Enter och FIA": the
    # cost words' own total, "Summa kostnader", stands apart from the run).
    runs: list[list[tuple[int, str]]] = [[chosen[0][0]]]
    for (_i, before), (item, after) in pairwise(chosen):
        if any(words[k] in JOINERS for k in range(max(before) + 1, min(after))):
            runs[-1].append(item)
        else:
            runs.append([item])
    longest = max(runs, key=len)
    return longest if len(longest) >= 2 and sum(len(r) >= 2 for r in runs) == 1 else []


# A balance asked at the year's end or start, and how a table's line names that day ("Beräknat kapital
# 31 dec" against "Kapital 1 jan"): asked words, then the line's words (folded, lower-case).
BALANCE_DAYS = (
    (("årets slut", "slutet av året", "utgången av året", "vid årsslutet", "year end", "year-end", "end of the year",
      "utgående", "closing"), ("31 dec", "utgående", "utg ", "closing", "year end")),
    (("årets början", "början av året", "vid årets start", "ingående", "start of the year", "beginning of the year",
      "opening"), ("1 jan", "ingående", "ing ", "opening")),
)


def _balance_day_first(q: Question, matches: list, rows: Sequence[tuple[int, str, str | None]]) -> list:
    """A balance line for the other day of the year than the one asked ("Kapital 1 jan" when asked at
    the year's end) gives way to the förbund's line for the day asked that holds the same words
    ("Beräknat kapital 31 dec")."""
    if not matches:
        return matches
    _score, name, item = matches[0]
    if not isinstance(item, tuple):
        return matches
    lowered = fold(f" {name} ".lower())
    for asked, marks in BALANCE_DAYS:
        if not q.cues.any(asked):
            continue
        folded_marks = [fold(m) for m in marks]
        if any(m in lowered for m in folded_marks):
            return matches  # already the day asked
        other_marks = [fold(m) for a, ms in BALANCE_DAYS if a is not asked for m in ms]
        words = set(tokens(name)) - {w for m in other_marks for w in tokens(m)}
        for org_id, line, _section in rows:
            folded = fold(f" {line} ".lower())
            if org_id == item[0] and any(m in folded for m in folded_marks) and words <= set(tokens(line)):
                return [(matches[0][0] + 0.05, line, (org_id, line)), *matches]
    return matches


def _the_one_member_of_its_type(q: Question, sections: dict[tuple[int, str], str | None]) -> tuple[int, str] | None:
    """"Landstinget", "regionen", "FK": a member named by its kind, when the förbund has one member
    of that kind among its contributions ("Västerbottens läns landsting")."""
    from handlers.answers.kinds.members import MEMBER_TYPES, _type_of

    # A word of the förbund's own name ("Umeåregionen") names no member.
    words = [w for w in q.cues.words if not q.lexicon.organisations_named([w])]
    # (By any one-word name of the kind: "landstinget", "the county council".)
    asked = [t for t, kind_words in MEMBER_TYPES.items() if t != "kommun" and any(
        fold(k) in w for k in kind_words if " " not in k for w in words)]
    if len(asked) != 1 or len(q.organisation_ids) != 1:
        return None
    lines = [(o, line) for (o, line), section in sections.items() if section == "medlemsbidrag"
             and _type_of(line) == asked[0]]
    return lines[0] if len(lines) == 1 else None


def _parts_not_wholes(matches: list[tuple[float, str, object]], sections: dict[tuple[int, str], str | None],
                      words: list[str]) -> list[tuple[float, str, object]]:
    """"Hur mycket av kostnaderna är administration?", "how much of the costs is administration":
    a line the question names only by its section's own word ("Summa kostnader" by "kostnaderna")
    is the whole the question takes a part of, when another line of it is named by its own words."""
    if len(matches) < 2:
        return matches

    def by_section_only(name: str, item: object) -> bool:
        section = sections.get(item) if isinstance(item, tuple) else None  # type: ignore[call-overload]
        said = matched_words(name, words)
        return bool(section and said) and all(any(word_match(t, w) >= 0.9 for t in tokens(section or ""))
                                              for w in said)

    parts = [m for m in matches if not by_section_only(m[1], m[2])]
    return parts if parts else matches


def named_lines(q: Question) -> list[tuple[int, str]] | Reply:
    """The budget lines the question names, best first and tied ones together, with a member's
    contribution and its local effort of the same name told apart as `answer` does ("Bjurholms
    bidrag" is "Bjurholms kommun", not the cost "Bjurholm"); a Reply asks which when nothing tells."""
    mentions = [m for m in q.named("budget_line") if m.entry.organisation_id is not None]
    if not mentions:
        return []
    matches = [(m.score, m.entry.name, (m.entry.organisation_id or 0, m.entry.name)) for m in mentions]
    rows = q.session.exec(select(BudgetFigure.organisation_id, BudgetFigure.line, BudgetFigure.section).where(
        col(BudgetFigure.line).in_([m.entry.name for m in mentions]),
        col(BudgetFigure.organisation_id).in_(q.organisation_ids)).distinct()).all()
    twin = _member_or_effort(q, matches, {(org_id, line): section for org_id, line, section in rows})
    if isinstance(twin, Reply):
        return twin
    matches = [m for m in matches if m[1] != twin]
    top = matches[0][0]
    return [item for score, _name, item in matches if score >= top - 0.02]


def _member_or_effort(q: Question, matches: list, sections: dict[tuple[int, str], str | None]) -> str | Reply | None:
    """The same name as a member's contribution line and as the cost line of its local effort
    ("Nordmaling kommun" paying in, "Nordmaling" spending): the verb picks ("betalar" is what the
    member pays in, "kostar" what the effort costs) and the other line is returned, to be left
    out; without a verb, ask which rather than pick."""
    _score, top_name, top_item = matches[0]
    org_id = top_item[0]
    top_words = set(tokens(top_name))

    def within(part: set[str], whole: set[str]) -> bool:
        # "Bjurholm" is within "Bjurholms kommun": the words as inflected forms of each other.
        return all(any(word_match(p, w) >= 0.9 for w in whole) for p in part)

    same_org = [name for _s, name, item in matches if item[0] == org_id and name != top_name]
    kin = [name for name in same_org if set(tokens(name)) <= top_words or top_words <= set(tokens(name))]
    # "Bjurholms bidrag": the name inflected is kin too, but only a verb or noun of paying or
    # costing tells it from the line written exactly ("bjurholm budg" is the line "Bjurholm").
    pays = q.has(*PAY_CUES) or _MEMBER_CONTRIBUTION.search(fold(q.text.lower())) is not None
    if not kin and (pays or q.has(*COST_CUES)):
        kin = [name for name in same_org
               if within(set(tokens(name)), top_words) or within(top_words, set(tokens(name)))]
    if not kin:
        return None
    member = [n for n in [top_name, *kin] if sections.get((org_id, n)) in MEMBER_SECTIONS]
    effort = [n for n in [top_name, *kin] if sections.get((org_id, n)) not in MEMBER_SECTIONS]
    if len(member) != 1 or len(effort) != 1:
        return None
    # ("Bjurholms bidrag": a member's contribution is what it pays in; "bidrag till Bjurholm" is not.)
    if pays and not q.has(*COST_CUES):
        return effort[0]
    if q.has(*COST_CUES) and not pays:
        return member[0]
    year = q.year or q.ctx.today.year
    options = [(member[0], q.t(f"Vad betalar {member[0]} {year}?", f"How much does {member[0]} pay in {year}?")),
               (effort[0], q.t(f"Vad kostar {effort[0]} {year}?", f"What does {effort[0]} cost in {year}?"))]
    return Reply(q.t(f"{member[0]} finns både som medlemsbidrag (det medlemmen betalar in) och som kostnad "
                     f"({effort[0]}). Vilket menar du?",
                     f"{member[0]} is both a member contribution (what the member pays in) and a cost "
                     f"({effort[0]}). Which do you mean?"), answered=False, language=q.language,
                 actions=[Action(label=label[:70], action_id="ask.suggestion", value=text) for label, text in
                          ((q.t("Medlemsbidrag", "Contribution"), options[0][1]), (q.t("Kostnad", "Cost"),
                                                                                   options[1][1]))])


# Sections whose lines are what a member pays in.
MEMBER_SECTIONS = ("medlemsbidrag",)
COST_CUES = ("kostar", "kostnad", "cost", "spend", "lägger", "utgift", "insats", "verksamhet")

# A member body paying in (medlemsbidrag) and an effort receiving money are different facts.
RECEIVE_CUES = ("fått", "får", "fick", "erhåll", "tilldelats", "received", "receive", "receives", "got", "get")
PAY_CUES = ("betalar", "betalat", "bidrar", "medlemsbidrag", "inbetal", "pays", "paid in", "contribut", "pay")
# The state's allocation is what the förbund receives: "får vi" asks for it, not for efforts.
_STATE_ALLOCATION = re.compile(r"statlig|staten|medelstilldelning", re.I)
_MEMBER_CONTRIBUTION = re.compile(r"\bbidrag(?:et|en)?\b(?!\s+(?:till|for)\b)")
_CONTRIBUTION_PREFIX = re.compile(r"^(?:bidrag|medlemsbidrag|avgift)\s+(?:från\s+)?", re.I)


# "fick vi från Mullsjö", "get from Vaggeryd": what comes from a member is what it pays in.
_FROM = re.compile(r"\b(?:från|fran|from|av)\s+(?:the\s+)?(\w+)", re.IGNORECASE)


def _from_member(q: Question, line: str) -> bool:
    """Whether the question has the member's line after "från"/"from": the förbund receives it."""
    return any(word_match(m.group(1).lower(), w) >= 0.9 for m in _FROM.finditer(q.text) for w in tokens(line))


def _received(q: Question, org: Organisation, line: str) -> Reply:
    body = _CONTRIBUTION_PREFIX.sub("", line).strip()
    grants = [g for g in q.session.exec(select(Grant).where(Grant.organisation_id == org.id,
                                                            col(Grant.applicants).is_not(None))).all()
              if body.lower() in (g.applicants or "").lower()]
    granted = [g for g in grants if g.max_amount is not None and g.status not in ("applied", "refused")]
    sources: list[Source] = []
    lines: list[str] = []
    for g in granted:
        labels = grant_status.LABELS_EN if q.language == "en" else grant_status.LABELS_SV
        period = f", {g.period_start.isoformat()} – {g.period_end.isoformat()}" if g.period_start and g.period_end else ""
        lines.append(f"• {g.name}: {kr(g.max_amount or 0)} ({labels.get(g.status, g.status)}{period})")
        src = source_for(q.session, org, g.document_id, g.paragraph_id)
        if src not in sources:
            sources.append(src)
    note = q.t(f"Det {body} betalar in till förbundet (medlemsbidrag) är en annan sak och ingår inte.",
               f"What {body} pays in to the förbund (its member contribution) is another matter and is not included.")
    if not granted:
        return Reply(q.t(f"Handlingarna visar inga beviljade insatser där {body} är sökande. {note}",
                         f"The documents show no granted efforts with {body} among the applicants. {note}"),
                     answered=False, language=q.language)
    head = q.t(f"Insatser där {body} är sökande (beviljade belopp, för hela insatsen och delade med "
               "medsökande):", f"Efforts with {body} among the applicants (amounts granted, for the whole effort "
               "and shared with co-applicants):")
    return Reply(text="\n".join([head, *lines, note]), sources=sources, language=q.language)


def _full_year(f: BudgetFigure) -> bool:
    return f.as_of is None or (f.as_of.month, f.as_of.day) == (12, 31)


def _pick(figures: list[BudgetFigure], q: Question) -> BudgetFigure:
    """The most complete, then most recent figure known on the day the question is asked: a
    year's outcome over a tertial's, a later forecast over an earlier one."""
    known = [f for f in figures if f.as_of is None or f.as_of <= q.ctx.today] or figures
    return max(known, key=lambda f: (f.kind != "utfall" or _full_year(f),
                                     f.as_of.toordinal() if f.as_of else 0, f.document_id))


def _other_statement(q: Question, figures: list[BudgetFigure], chosen: BudgetFigure) -> BudgetFigure | None:
    """Another document's figure of the same kind that differs (a tertial's outcome beside the
    year's): named so the reader sees both."""
    others = [f for f in figures if f.document_id != chosen.document_id and f.amount != chosen.amount
              and (f.as_of is None or f.as_of <= q.ctx.today)]
    return max(others, key=lambda f: (f.as_of.toordinal() if f.as_of else 0, f.document_id)) if others else None


# A question over the years since something began ("totalt sen starten"): no one year's figure answers it.
SINCE_START = ("sedan start", "sen start", "sen början", "sedan början", "since the start", "since it start",
               "since the beginning", "alla år", "all years", "över åren", "over the years", "genom åren")
# With no year asked, these too ask more than one year ("totalt", "in total").
OVER_YEARS = (*SINCE_START, "totalt", "sammanlagt", "since", "hittills", "so far", "in total", "altogether")


def _figure(q: Question, org: Organisation, line: str) -> Reply:
    year = q.year or q.ctx.today.year
    figures = list(q.session.exec(select(BudgetFigure).where(
        BudgetFigure.organisation_id == org.id, BudgetFigure.line == line)).all())
    if q.year is None and q.cues.any(SINCE_START):
        years = sorted({f.year for f in figures})
        return Reply(q.t(f"Handlingarna ger {line} år för år, inte sammanlagt sedan starten. Det finns för: "
                         f"{', '.join(map(str, years))}.",
                         f"The documents give {line} year by year, not in total since the start. There are "
                         f"figures for: {', '.join(map(str, years))}."),
                     answered=False, language=q.language)
    in_year = [f for f in figures if f.year == year]
    if not in_year and q.year is None and not dates._RELATIVE_YEAR.search(q.text) and not q.cues.any(OVER_YEARS):
        # No year asked and none for this one: the latest year's budget the documents give (or of
        # the kind asked), the reply naming the year. Not for a total over the years.
        asked = _kinds(q) or ["budget"]
        past = [f.year for f in figures if f.year <= year and f.kind in asked]
        if past:
            year = max(past)
            in_year = [f for f in figures if f.year == year]
    if not in_year:
        years = sorted({f.year for f in figures})
        return Reply(q.t(f"Det finns inga siffror för {line} {year} hos {org.name}. Det finns för: "
                         f"{', '.join(map(str, years))}.",
                         f"There are no figures for {line} in {year} at {org.name}. There are for: "
                         f"{', '.join(map(str, years))}."),
                     answered=False, language=q.language)
    wanted = _kinds(q)
    available = {f.kind for f in in_year}
    kinds: list[str] = [k for k in wanted if k in available]
    if wanted == ["prognos"] and not kinds and not q.has(*EXPLICIT_FORECAST):
        # "Vad beräknas …", "expected": what is expected for the year, which for a year with no
        # forecast is its plan or budget (the reply names which).
        kinds = [str(k) for k in ("plan", "budget") if k in available][:1]
    standing = ""
    if wanted == ["budget"] and not kinds and "plan" in available:
        # "budget kansli 2022" where the verksamhetsplan gives 2022 as plan: the plan is what is
        # budgeted for that year so far, and the reply says it is a plan.
        kinds = ["plan"]
        standing = q.t(f" (Ingen budget {year} i handlingarna; planen för {year} står för den.)",
                       f" (No budget for {year} in the documents; the plan for {year} stands for it.)")
    if wanted and not kinds:
        nouns = [(KIND_EN if q.language == "en" else KIND_SV)[k].lower() for k in wanted]
        have = ", ".join(sorted(available))
        return Reply(q.t(f"Handlingarna har {none_of(nouns)} för {line} {year} ({org.name}); det som finns är: {have}.",
                         f"The documents have {none_of(nouns, 'en')} for {line} {year} ({org.name}); there is: "
                         f"{have}."),
                     answered=False, language=q.language)
    # (Its own name: `lacking` above is what the reply below withholds an answer for; two merged
    # changes had the one overwrite the other, and "vad beräknas" lost its budget.)
    outcome_lacking = [k for k in wanted if k not in available and k != "kvar"]
    if kinds and outcome_lacking and "utfall" in outcome_lacking:
        # "enter utfall 2021, blev det som budget?": the outcome asked is not there; the budget
        # alone does not answer it (what there is is shown).
        nouns = [(KIND_EN if q.language == "en" else KIND_SV)[k].lower() for k in outcome_lacking]
        shown = ", ".join(f"{(KIND_EN if q.language == 'en' else KIND_SV)[f.kind]} {year}: "
                          f"{amount_text(f.amount, f.unit)}" for f in in_year if f.kind in kinds)
        return Reply(q.t(f"Handlingarna har {none_of(nouns)} för {line} {year} ({org.name}). Det som finns: {shown}.",
                         f"The documents have {none_of(nouns, 'en')} for {line} {year} ({org.name}). What there "
                         f"is: {shown}."),
                     answered=False, language=q.language)
    past_asked = False
    if not kinds:
        # A year gone by is asked about for what happened: its full-year outcome, if stated.
        closed = year < q.ctx.today.year and any(f.kind == "utfall" and _full_year(f) for f in in_year)
        kinds = ["utfall"] if closed else [next(k for k in PREFERENCE if k in available)]
        # "Vad blev resultatet 2020?" asks what happened: without the year's outcome, every figure
        # there is is shown, none given as the answer.
        # (A member's contribution or an allocation with no outcome anywhere is the amount decided:
        # what it came to, "statliga medel 2024, hur mycket blev det".)
        decided = in_year[0].section in MEMBER_SECTIONS and not any(f.kind in ("utfall", "prognos") for f in figures)
        past_asked = not closed and not decided and year < q.ctx.today.year and (
            q.cues.any(PAST_TENSE) or asks_full_year(q))
        if past_asked or not (closed or wanted or asks_year_end(q) or asks_full_year(q)):
            # No kind of figure named ("årets resultat 2019", asked in October): the budget, the
            # forecast and the outcome to date are all answers to it, each with its date; one
            # picked by preference would answer a question the asker may not have asked.
            kinds = [k for k in PREFERENCE if k in available]
    lines: list[str] = []
    sources: list[Source] = []
    facts: list[tuple[str, str]] = []
    chosen: list[BudgetFigure] = []
    for kind in kinds:
        of_kind = [f for f in in_year if f.kind == kind]
        figure = _pick(of_kind, q)
        chosen.append(figure)
        label = (KIND_EN if q.language == "en" else KIND_SV)[kind]
        lines.append(f"{label} {year} {q.t('för', 'for')} {line}: {amount_text(figure.amount, figure.unit)}"
                     f"{_period(q, figure)}")
        facts.append((f"{label} {year}", amount_text(figure.amount, figure.unit)))
        src = figure_source(q.session, org, figure)
        if src not in sources:
            sources.append(src)
        other = _other_statement(q, of_kind, figure)
        if other is not None:
            other_src = figure_source(q.session, org, other)
            where = other_src.label().split(", ", 1)[-1]
            lines[-1] += "."
            lines.append(q.t(f"{where} anger {amount_text(other.amount, other.unit)}{_period(q, other)}",
                             f"{where} gives {amount_text(other.amount, other.unit)}{_period(q, other)}"))
            if other_src not in sources:
                sources.append(other_src)
    text = "\n".join(lines) + "." + standing
    if "kapital" in tokens(line):
        text += _ceiling(q, org, year, sources)
    partial = [f for f in chosen if f.kind == "utfall" and not _full_year(f)]
    if past_asked:
        return Reply(q.t(f"Handlingarna har inget utfall för helåret {year} för {line} ({org.name}). Det som finns:",
                         f"The documents have no full-year outcome for {line} {year} ({org.name}). What there is:")
                     + "\n" + text, answered=False, sources=sources, facts=facts, language=q.language)
    if partial and (asks_full_year(q) or (year < q.ctx.today.year and q.cues.any(PAST_TENSE))):
        # An outcome to a tertial's end is not the year's outcome asked for, nor what the year
        # came to ("vad blev det faktiska utfallet i fjol").
        # An outcome to a tertial's end is not the year's outcome the question asks for.
        return Reply(q.t(f"Handlingarna har inget utfall för helåret {year} för {line} ({org.name}). Det som finns:",
                         f"The documents have no full-year outcome for {line} {year} ({org.name}). What there is:")
                     + "\n" + text, answered=False, sources=sources, facts=facts, language=q.language)
    return Reply(text=text, sources=sources, facts=facts, language=q.language)


# Words that ask for a whole year's figure, Swedish and English ("helårsprognos" is a forecast
# for the whole year, so a forecast always answers them; an outcome only when the year is closed).
FULL_YEAR = ("helår", "hela året", "hela år", "helåret", "för året som helhet", "full year", "full-year", "whole year",
             "entire year", "year as a whole", "årsutfall", "bokslut", "year-end", "year end",
             # The third tertial ends the year: what it came to is the whole year's figure.
             "tertial 3", "t3=", "tredje tertial", "third tertial", "tertial three")


# Verbs that ask what a year came to, not what was planned for it.
PAST_TENSE = ("blev", "kostade", "betalade", "landade", "hamnade", "slutade", "gick åt", "ended up", "turned out", "end up",
              "in the end", "till slut",
              "came to", "did it cost", "did they pay", "was spent", "were spent",
              # English has one past for "var" and "blev": a year's figure asked in it asks what the year came to.
              "what was", "what were")


# Words that put a whole year before the year itself ("hela 2020", "the whole of 2020", "all of 2020").
WHOLE = frozenset({"hela", "whole", "entire", "full", "helt", "all"})
# Words that ask what a year actually came to, once it is over.
FINAL = ("faktisk", "slutlig", "final=", "actual", "verklig", "real=")


# The third tertial ends the year: "tertial 3 2020", "T3", "third tertial".
_THIRD_TERTIAL = re.compile(r"\b(?:t|tertial\s*)3\b|\b(?:tredje|third)\s+tertial", re.IGNORECASE)


def asks_full_year(q: Question) -> bool:
    if q.cues.any(FULL_YEAR) or _THIRD_TERTIAL.search(q.text):
        return True
    # "hela 2020", "the whole of 2020": a whole-year word right before the year (or before "of" it).
    words = q.cues.words
    for i, w in enumerate(words):
        after = [n for n in words[i + 1:i + 3] if n != "of"][:1]
        if w in WHOLE and after and re.fullmatch(r"(?:19|20)\d\d", after[0]):
            return True
    # "Vad blev det faktiska utfallet förra året?": a year gone by, asked what it came to, with no
    # tertial or day named, asks the year's outcome, which a tertial's is not.
    year = q.year
    return (year is not None and year < q.ctx.today.year and q.cues.any(PAST_TENSE) and q.cues.any(FINAL)
            and not period_ends(q.dates) and not q.exact_dates)


# Words that ask an outcome to date ("hittills", "so far"), which a tertial's outcome answers.
TO_DATE = ("hittills", "hittils", "so far", "to date", "year to date", "t.o.m", "tom=", "till och med", "through",
           "as of", "per=")


FOLDED_MONTHS = frozenset(fold(m) for m in MONTHS_SV_EN)
_TERTIAL_WORD = re.compile(r"t[123]|tertial\w*")
# Words of a forecast, and how far before the part of a year named one may stand to own it.
FORECAST_WORDS = ("prognos", "forecast", "helarsprognos")  # folded, as the question's words
PERIOD_OWNER_GAP = 3


def period_is_the_forecasts(q: Question) -> bool:
    """Whether the only part of a year the question names is the forecast's, beside an actual
    outcome asked of the whole year: "det faktiska resultatet 2020 jämfört med prognosen i T2" asks
    the year's outcome against the forecast made at T2, not the outcome to T2."""
    if not q.cues.any(FINAL):
        return False
    words = q.cues.words
    starts = [i for i, w in enumerate(words) if w in FOLDED_MONTHS or _TERTIAL_WORD.fullmatch(w)]
    if not starts:
        return False
    first = starts[0]
    before = words[max(0, first - PERIOD_OWNER_GAP):first]
    return any(w.startswith(FORECAST_WORDS) for w in before)


def asks_year_outcome(q: Question) -> bool:
    """Whether the outcome asked is what a whole year came to ("the actual 2021 result", "det
    faktiska utfallet för helåret"): an outcome to a tertial's end does not answer it. A part of a
    year or a day named, or a word of "to date", asks the outcome so far instead."""
    if q.cues.any(TO_DATE) or q.exact_dates:
        return False
    forecasts = period_is_the_forecasts(q)
    if not forecasts and any((d.start.month, d.start.day, d.end.month, d.end.day) != (1, 1, 12, 31) for d in q.dates):
        return False
    whole = asks_full_year(q) and not q.cues.any(("helårsprognos", "full-year forecast", "full year forecast",
                                                   "helårsprognosen"))
    return whole or q.cues.any(FINAL)


# The year's end asked of a report: its forecast, not the outcome to the report's day. "Vid
# årsskiftet" is the coming one in the present or future tense ("vad landar kapitalet på vid
# årsskiftet"), the one gone by in the past ("som vid årsskiftet uppgick till").
YEAR_END = (*BALANCE_DAYS[0][0], "by year end")
TURN_OF_YEAR = ("vid årsskiftet", "at the turn of the year")
COMING = ("landar", "hamnar", "blir=", "kommer", "beräknas", "väntas", "will=", "going to", "be at")


def asks_year_end(q: Question) -> bool:
    return q.cues.any(YEAR_END) or (q.cues.any(TURN_OF_YEAR) and q.cues.any(COMING))


def _period(q: Question, figure: BudgetFigure) -> str:
    if not figure.as_of or figure.kind not in ("utfall", "prognos", "kvar"):
        return ""
    if figure.kind == "utfall" and _full_year(figure):
        return q.t(f" (helår, t.o.m. {figure.as_of.isoformat()})", f" (full year, to {figure.as_of.isoformat()})")
    if figure.kind == "utfall":
        return q.t(f" (t.o.m. {figure.as_of.isoformat()}, inte helår)",
                   f" (to {figure.as_of.isoformat()}, not the full year)")
    return q.t(f" (per {figure.as_of.isoformat()})", f" (as of {figure.as_of.isoformat()})")


def _ceiling(q: Question, org: Organisation, year: int, sources: list[Source]) -> str:
    """Equity is read against the national council's recommended ceiling, when the store has it."""
    figures = q.session.exec(select(BudgetFigure).where(
        BudgetFigure.organisation_id == org.id, BudgetFigure.year == year,
        col(BudgetFigure.line).ilike("%rekommender%"))).all()
    if not figures:
        return ""
    figure = _pick(list(figures), q)
    src = figure_source(q.session, org, figure)
    if src not in sources:
        sources.append(src)
    return q.t(f" Rekommenderat högsta eget kapital: {amount_text(figure.amount, figure.unit)}.",
               f" Recommended ceiling on equity: {amount_text(figure.amount, figure.unit)}.")


def _member_contributions(q: Question, sections: dict[tuple[int, str], str | None]) -> Reply:
    year = q.year or q.ctx.today.year
    lines = [(org_id, line) for (org_id, line), section in sections.items() if section == "medlemsbidrag"]
    org_ids = sorted({org_id for org_id, _ in lines})
    if not org_ids:
        return not_found(q, "medlemsbidrag", "member contributions")
    if len(org_ids) > 1:
        return choose_organisation(q, [q.organisation(i) for i in org_ids])
    org = q.organisation(org_ids[0])
    figures = q.session.exec(select(BudgetFigure).where(
        BudgetFigure.organisation_id == org.id, BudgetFigure.year == year,
        BudgetFigure.section == "medlemsbidrag")).all()
    kinds = _kinds(q) or [k for k in PREFERENCE if any(f.kind == k for f in figures)][:1]
    chosen = [f for f in figures if f.kind in kinds]
    if not chosen:
        return Reply(q.t(f"Inga medlemsbidrag för {year} hos {org.name}.",
                         f"No member contributions for {year} at {org.name}."), answered=False, language=q.language)
    best: dict[str, BudgetFigure] = {}
    for f in chosen:
        if f.line not in best or _pick([best[f.line], f], q) is f:
            best[f.line] = f
    text = q.t(f"Medlemsbidrag {year} ({kinds[0]}):", f"Member contributions {year} ({kinds[0]}):")
    text += "\n" + "\n".join(f"• {line}: {amount_text(f.amount, f.unit)}" for line, f in best.items())
    sources = []
    for f in best.values():
        src = figure_source(q.session, org, f)
        if src not in sources:
            sources.append(src)
    return Reply(text=text, sources=sources, language=q.language)
