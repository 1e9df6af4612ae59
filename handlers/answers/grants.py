"""Grants (insatser): amount, period, status, conditions, Dnr, applicants; lists and totals."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from babel.dates import format_date
from sqlmodel import col, select

from handlers.answers.core import Question, best_matches, choose_organisation, not_found, source_for
from handlers.answers.dates import MONTHS, DateSpan
from handlers.answers.text import (
    day,
    fold,
    has_digit,
    join_words,
    kr,
    matched_words,
    name_score,
    tokens,
    word_match,
)
from handlers.messages import Action, Reply, Source
from handlers.understanding import exclusion
from storage import grant_status
from storage.models import BudgetFigure, Grant, GrantEvent, Paragraph

GRANTED = grant_status.GRANTED
STATUS_SV = grant_status.LABELS_SV
STATUS_EN = grant_status.LABELS_EN
PAYOUTS = ("payment_approved", "paid_out")
# Words of a grant question that are not part of the grant's name.
QUESTION_WORDS = frozenset(
    ["hur", "mycket", "har", "vad", "vilken", "vilket", "vilka", "gäller", "för", "av", "är", "var", "när", "om", "till", "den", "det", "som", "beviljats", "beviljades", "beviljat", "bevilja", "beviljad", "finansieringen", "finansiering", "insatsen", "insats", "diarienummer", "dnr", "villkor", "period", "perioden", "status", "how", "much", "was", "is", "the", "what", "which", "who", "when", "of", "for", "to", "granted", "grant", "has", "does", "did", "conditions", "period", "file", "number", "applicants", "applied"]
)


@dataclass(frozen=True)
class GrantName:
    """Just enough of a grant to match its name; the row itself is loaded once chosen."""

    id: int
    organisation_id: int
    name: str
    full_name: str | None


def grants_in_scope(q: Question) -> list[GrantName]:
    rows = q.session.exec(select(Grant.id, Grant.organisation_id, Grant.name, Grant.full_name)
                          .where(col(Grant.organisation_id).in_(q.organisation_ids))).all()
    return [GrantName(*row) for row in rows]


def _load(q: Question, names: list[GrantName]) -> list[Grant]:
    ids = [n.id for n in names]
    rows = {g.id: g for g in q.session.exec(select(Grant).where(col(Grant.id).in_(ids))).all()}
    return [rows[i] for i in ids if i in rows]


def _granting_event(q: Question, grant: Grant) -> GrantEvent | None:
    return q.session.exec(
        select(GrantEvent).where(GrantEvent.grant_id == grant.id, col(GrantEvent.status).in_(GRANTED))
        .order_by(col(GrantEvent.date).desc())
    ).first()


def _source(q: Question, grant: Grant, event: GrantEvent | None = None) -> Source:
    org = q.organisation(grant.organisation_id)
    if event is not None:
        return source_for(q.session, org, event.document_id, event.paragraph_id)
    return source_for(q.session, org, grant.document_id, grant.paragraph_id)


def match_grant(q: Question, grants: list[GrantName]) -> tuple[list[Grant], float]:
    """The grants the question names (several only when they tie), and the best score."""
    names: list[tuple[str, object]] = []
    for g in grants:
        names.append((g.name, g))
        if g.full_name:
            names.append((g.full_name, g))
    matches = best_matches(names, q.words, threshold=0.6, foreign=q.capitalised, lexicon=q.lexicon)
    if not matches:
        return [], 0.0
    top = matches[0][0]
    chosen: list[GrantName] = []
    for score, _name, item in matches:
        if score >= top - 0.02 and isinstance(item, GrantName) and item not in chosen:
            chosen.append(item)
    if len(chosen) > 1:
        # Names that tie on their words ("Lyftet 1-0" and "Lyftet 1-2") are told apart by the
        # one the question writes out in full, if any; otherwise the caller asks which.
        asked = f" {' '.join(q.words)} "
        verbatim = [g for g in chosen
                    if any(f" {' '.join(tokens(n))} " in asked for n in (g.name, g.full_name) if n)]
        if verbatim:
            longest = max(len(" ".join(tokens(g.name))) for g in verbatim)
            chosen = [g for g in verbatim if len(" ".join(tokens(g.name))) == longest]
    loaded = _load(q, chosen)
    if len(loaded) > 1:
        # One name reused for a later effort: the question means the latest, unless it names
        # the earlier one's Dnr.
        by_dnr = [g for g in loaded if g.dnr and g.dnr.lower() in q.text.lower()]
        followed = {g.previous_id for g in loaded}
        latest = [g for g in loaded if g.id not in followed]
        loaded = by_dnr or (latest if len({g.name for g in loaded}) == 1 else loaded)
    return loaded, top


_SENTENCE_END = re.compile(r"[?!]\s*$|[.]\s+$")


def _named_in_question(q: Question) -> str | None:
    """The words of the question written as a name ("Yrkesinriktad engelska", "Jobbcenter 3.0"), for
    "I find no grant called X"; None when it writes none. Its other words are how it is put, never a
    name, and a capitalised word that names the förbund, a member, a person or a place names no grant."""
    found = list(re.finditer(r"[\wÅÄÖåäö.\-]+", q.text))
    original = [m.group() for m in found]
    # A word that opens a sentence is capitalised as such ("… förbundschef? How much?").
    opens = [i == 0 or bool(_SENTENCE_END.search(q.text[:m.start()])) for i, m in enumerate(found)]
    runs: list[list[str]] = []
    run: list[str] = []
    for i, w in enumerate(original):
        # English writes month names with a capital: "31 August" names no grant.
        if not opens[i] and w[:1].isupper() and w.lower() not in MONTHS and not _names_other_than_a_grant(q, w):
            run.append(w)
        elif run and run[-1][:1].isupper() and (re.fullmatch(r"\d+\.\d+", w) or (
                w.islower() and len(w) >= 4 and w not in QUESTION_WORDS and w.isalpha()
                and not any(ch.isdigit() for ch in w) and _continues_name(q, run, w))):
            run.append(w)  # "Yrkesinriktad engelska", "Jobbcenter 3.0"
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    return max((" ".join(r) for r in runs), key=len) if runs else None


# The small words a grant's name goes on with after its first part ("AF-handläggare i samverkan",
# "Tillsammans för inkludering").
_NAME_LINKS = frozenset({"i", "for", "och", "med", "av", "pa", "mot"})


@lru_cache(maxsize=65536)
def _head_and_tail(name: str) -> tuple[list[str], list[str]] | None:
    """A grant name's first part and the rest from its first small word on (folded), if the rest has
    a word of its own: "AF-handläggare i samverkan" is (["af", "handläggare"], ["i", "samverkan"])."""
    words = tokens(name)
    link = next((j for j in range(1, len(words) - 1) if fold(words[j]) in _NAME_LINKS), None)
    if link is None:
        return None
    tail = [fold(w) for w in words[link:]]
    return (words[:link], tail) if any(len(t) >= 4 for t in tail) else None


def _near_miss(q: Question, grants: list[GrantName]) -> tuple[str, list[str]] | None:
    """A grant's name written with another first part ("Försäkringskassan i samverkan" where the store
    holds "AF-handläggare i samverkan" and "Arbetsförmedlare i samverkan"): the question names a grant
    the store does not hold, whose words a quotation would hold only scattered. The name as written
    and the grants whose name ends the same way."""
    raw = re.findall(r"[\wÅÄÖåäöÉé.\-]+", q.text)
    low = [fold(w.lower()) for w in raw]
    if not _NAME_LINKS.intersection(low):
        return None
    present = set(low)
    for g in grants:
        for name in dict.fromkeys(n for n in (g.name, g.full_name) if n):
            parts = _head_and_tail(name)
            if parts is None or parts[1][-1] not in present:
                continue
            head, tail = parts
            for i in range(1, len(low) - len(tail) + 1):
                if low[i:i + len(tail)] != tail:
                    continue
                before = raw[i - 1]
                # Written as a name, or a word that names a thing of the store however it is cased
                # ("försäkringskassan i samverkan" typed on a phone).
                as_name = before[:1].isupper() or any(
                    word_match(t, before.lower()) >= 0.9 for m in q.lexicon.find(
                        [before.lower()], kinds=("member_body", "grant", "place", "person"),
                        organisation_ids=q.organisation_ids, threshold=0.3) for t in tokens(m.entry.name))
                if as_name and not has_digit(before) and not any(
                        word_match(h, before.lower()) >= 0.9 for h in head):
                    start = i - 1  # the whole capitalised run: "Region Västernorrland i samverkan"
                    while start > 0 and raw[start - 1][:1].isupper() and before[:1].isupper() and i - start < 3:
                        start -= 1
                    written = " ".join(raw[start:i + len(tail)])
                    if any(name_score(n, tokens(written)) >= 0.9 for x in grants for n in (x.name, x.full_name) if n):
                        continue  # another grant's name ("Arbetsförmedlare i samverkan" beside "AF-handläggare …")
                    alike = [x.name for x in grants if fold(" ".join(tokens(x.name))).endswith(" ".join(tail))]
                    return written, list(dict.fromkeys(alike))
    return None


def _names_other_than_a_grant(q: Question, word: str) -> bool:
    others = [m for m in q.mentions if m.entry.kind in ("member_body", "person", "place") and m.score >= 0.9]
    if any(word.lower() in matched_words(m.entry.name, q.words) for m in others):
        return True  # a word of "Region Jönköpings län", "Lotta Qvarnlöf"
    return bool(q.lexicon.organisations_named([word]) or q.lexicon.find(
        [word], kinds=("member_body", "person", "place"), organisation_ids=q.organisation_ids, threshold=0.9))


def _continues_name(q: Question, run: list[str], word: str) -> bool:
    """A word in lower case after a capitalised one goes on with the name ("Hälsofrämjande etablering")
    unless it is a word of asking: a cue of a kind, a filler or a general word ("totalt", "egentligen")."""
    from handlers.answers.passages import FILLER
    from handlers.understanding.general_words import is_general
    from handlers.understanding.kinds import all_cue_words
    from storage.search import STOPWORDS

    folded = fold(word)
    return not (word in STOPWORDS or folded in FILLER or is_general(word) or folded in all_cue_words()
                or any(folded.startswith(c) for c in all_cue_words() if len(c) >= 5))


# Verbs that say money was granted, and who got it ("vad fick pengar på senaste mötet").
GOT_MONEY = ("fick pengar", "fick medel", "fick finansiering", "got money", "got funding", "received money",
             "received funding")
GRANTING_VERBS = ("bevilj", "grant", "approve", "fund", *GOT_MONEY)


# What only a grant of the förbund's own has: its money. Asked of a matter the documents speak of but
# that no grant of the store bears, the text's figures are another thing's (a budget line, a reserve).
MONEY_FACETS = frozenset({"amount", "remaining", "payment"})


def _written_out(text: str, name: str) -> bool:
    """Whether a text writes the whole name, its words in order and inflected at most at their ends
    ("projektet hälsofrämjande etablering"), not one word of it ("Yrkesinriktad svenska" for
    "Yrkesinriktad engelska")."""
    words = [fold(w) for w in re.findall(r"\w+", name.lower())]
    if not words:
        return False
    pattern = r"[\s\-–]+".join(rf"{re.escape(w[:max(4, len(w) - 3)])}\w*" for w in words)
    return re.search(rf"\b{pattern}\b", fold(text.lower())) is not None


def _spoken_of_elsewhere(q: Question, name: str) -> Reply | None:
    """A name no grant of the store bears, that the documents speak of as written ("Hälsofrämjande
    etablering", a project another body owns, in a kallelse and a report): what they say, quoted
    as when no kind fits (answered only on a strong match), instead of "no grant called X". Never
    for the money a grant has: the text's figures would be another thing's."""
    from handlers.answers import passages
    from handlers.understanding.kinds import KINDS, Reading, all_cue_words, facets

    why = KINDS.get("why")
    if why is None or MONEY_FACETS & set(q.reading_facets) or q.cues.any(passages.AMOUNT_CUES) or len(name) < 6 \
            or q.cues.any(GRANTING_VERBS):
        return None  # (whether it was granted money is a grant's fact: a text naming it is no answer)
    found = passages.find(q, passages.topic_terms(q, all_cue_words()))
    if not any(_written_out(passages._full(p), name) for p in found[:2]):
        return None
    # Read as the kind that quotes what the documents say on a topic, with all its checks (who said
    # it, whether it was only announced …), and vetted as that kind's answer.
    asked = facets(why, q.cues)
    reading = Reading(why, max(asked.values(), default=0.0), tuple(asked))
    q.reading_facets, q.answered_by = reading.facets, reading
    return why.answer(q)


def answer(q: Question) -> Reply | None:
    grants = grants_in_scope(q)
    listing = q.has_word("vilka", "which", "lista", "list", "alla", "all") or q.has("totalt", "total",
                                                                                     "sammanlagt", "summa")
    matched, _score = match_grant(q, grants)
    from handlers.answers.passages import MEETING_NOUNS, RELATIVE_MEETING

    # (Asked "how much" in English the verb stands in its base form after "did": "how much did the
    # board grant in November" asks the meeting's grants taken together, as "hur mycket beviljade …".)
    how_much = q.cues.any(("how much", "hur mycket"))
    if not listing and not matched and (q.has_word("vad", "what") or how_much) and q.cues.any(GRANTING_VERBS) \
            and ((q.cues.any(MEETING_NOUNS) and q.cues.any(RELATIVE_MEETING)) or any(d.exact for d in q.dates)
                 or (how_much and any(d.start.month == d.end.month for d in q.dates))) \
            and _named_in_question(q) is None:
        # "What did the board grant at its latest meeting?": what, of a meeting, with no grant named.
        listing = True
    near = _near_miss(q, grants)
    if near is not None and all(name_score(g.name, tokens(near[0])) < 1.0 for g in matched):
        # Offered as choices: a quotation that merely holds the words is no answer about it.
        return not_found(q, f"någon insats som heter ”{near[0]}”", f"a grant called “{near[0]}”",
                         list(dict.fromkeys([g.name for g in matched] + near[1])))
    if listing and matched and q.dates and set(q.reading_facets) & ATTRIBUTES_OF_ONE:
        # "Which bodies applied for Arbetsmarknadstorget Härnösand for 2024?": "which" asks who applied
        # for the grant named, and the year says which of its periods; not the grants decided that year.
        listing = False
    if listing and (q.dates or not matched):
        if q.has("villkor", "condition") and not q.dates:
            return _by_condition(q)
        if q.dates:
            return _decided_in(q)
        meeting = _relative_meeting(q)
        if meeting is not None:
            return meeting
        by_applicant = _by_applicant(q)
        if by_applicant is not None:
            return by_applicant
    if not matched:
        if q.has("villkor", "condition"):
            return _by_condition(q)
        if q.has(*REMAINING_CUES):
            # "Hur mycket återstår för nya insatser?": what a protocol says remains of a budget post.
            remaining = remaining_of_post(q)
            if remaining is not None:
                return remaining
        name = _named_in_question(q)
        if name is None:
            suggestions = list(dict.fromkeys(g.name for g in grants if name_score(g.name, q.words) > 0.5))[:3]
            return not_found(q, "någon insats som frågan nämner", "a grant the question names", suggestions)
        spoken = _spoken_of_elsewhere(q, name)
        if spoken is not None:
            return spoken
        suggestions = list(dict.fromkeys(g.name for g in grants if name_score(g.name, tokens(name)) > 0.3))[:3]
        return not_found(q, f"någon insats som heter ”{name}”", f"a grant called “{name}”", suggestions)
    if len(matched) > 1 and len({g.organisation_id for g in matched}) > 1:
        return choose_organisation(q, [q.organisation(g.organisation_id) for g in matched])
    if len(matched) > 1:
        names = [g.name for g in matched]
        named = _named_in_question(q)
        text = q.t("Flera insatser passar frågan: ", "Several grants fit the question: ") + "; ".join(names[:5])
        text += q.t(". Vilken menar du?", ". Which one do you mean?")
        return Reply(text=text, answered=False, language=q.language,
                     actions=[Action(label=n[:70], action_id="ask.suggestion", value=q.text.replace(named, n)
                                    if named and named in q.text else n) for n in names[:5]])
    return _one_grant(q, matched[0])


REMAINING_CUES = ("återstår", "kvar", "kvarstår", "remaining", "remains", "left")
NEW_EFFORT_CUES = ("nya insatser", "nya projekt", "new efforts", "new projects", "new grants", "new insatser")
NEW_EFFORT_POST = re.compile(r"tillgänglig\w*|nya\s+(?:insatser|projekt)|ej\s+fördelad|ofördelad", re.I)


def remaining_of_post(q: Question) -> Reply | None:
    """The latest stated remainder of the budget post the question names (figures of kind kvar)."""
    figures = list(q.session.exec(select(BudgetFigure).where(
        col(BudgetFigure.organisation_id).in_(q.organisation_ids), BudgetFigure.kind == "kvar")).all())
    if q.year:
        figures = [f for f in figures if f.year == q.year]
    figures = [f for f in figures if f.as_of is None or f.as_of <= q.ctx.today]
    matches = best_matches([(f.line, f.line) for f in figures], q.words, threshold=0.6, foreign=q.capitalised)
    lowered = q.text.lower()
    if matches:
        line = str(matches[0][2])
    elif any(cue in lowered for cue in NEW_EFFORT_CUES):
        # The post for efforts not yet decided goes by several names ("Tillgängligt nya insatser").
        posts = sorted({f.line for f in figures if NEW_EFFORT_POST.search(f.line)})
        if len(posts) != 1:
            return None
        line = posts[0]
    else:
        return None
    of_line = [f for f in figures if f.line == line]
    if len({f.organisation_id for f in of_line}) > 1:
        return choose_organisation(q, [q.organisation(i) for i in sorted({f.organisation_id for f in of_line})])
    latest = max(of_line, key=lambda f: (f.as_of or dt.date.min, f.document_id))
    when = day(latest.as_of, q.language) if latest.as_of else "?"
    source = source_for(q.session, q.organisation(latest.organisation_id), latest.document_id, latest.paragraph_id)
    return Reply(q.t(f"Av budgetposten {line} {latest.year} återstår {kr(latest.amount)} enligt det senaste beskedet "
                     f"({when}).",
                     f"Of the budget post {line} for {latest.year}, {kr(latest.amount)} remains according to the "
                     f"latest statement ({when})."), sources=[source], language=q.language)


FACETS = {
    "dnr": ("diarienummer", "dnr", "file", "ärendenummer"),
    "conditions": ("villkor", "condition", "krav"),
    "period": ("period", "perioden", "när", "when", "how long", "hur länge", "tidsperiod"),
    "applicants": ("sökt", "sökande", "ansökt", "applicant", "applied", "vem", "who", "vilka parter"),
    "status": ("status", "godkän", "approv", "slutrapport", "final"),
    "payment": ("utbetal", "betala", "paid", "payout", "pay out"),
    "amount": ("hur mycket", "how much", "belopp", "amount", "kronor", "summa", "beviljats", "beviljades",
               "granted", "bevilja"),
}


def _facets(q: Question) -> list[str]:
    """What the question asks of one grant, in a fixed order; the amount when nothing else."""
    lowered = q.text.lower()
    asked = [facet for facet, cues in FACETS.items()
             if any((" " in cue and cue in lowered) or (" " not in cue and q.has(cue)) for cue in cues)]
    if q.reading_facets:  # the grant kind's cue table has read the question already
        asked = [facet for facet in FACETS if facet in q.reading_facets] or asked
    if "amount" in asked and len(asked) > 1 and not (
            "hur mycket" in lowered or "how much" in lowered or q.has("belopp", "amount")):
        asked.remove("amount")  # "beviljats" alone in "när beviljades X?" asks when, not how much
    if "payment" in asked and "amount" in asked and not q.has("bevilj", "granted"):
        asked.remove("amount")  # "how much was paid out" asks the payout, not the grant
    if "amount" in asked:  # the amount's line also gives the period: put it first, drop the repeat
        asked = ["amount"] + [a for a in asked if a not in ("amount", "period")]
    return asked or ["amount"]


# Words of a decision that make it conditional ("Att godkänna slutrapporten under förutsättning att den
# inkommer med parternas underskrifter"): a status without its condition says more than was decided.
CONDITION_MARKERS = ("under förutsättning", "förutsatt att", "på villkor", "villkoras", "med villkor", "under villkor")


def _condition_of(q: Question, event: GrantEvent) -> str:
    """The sentence of the event's § that makes its decision conditional, quoted; else nothing."""
    paragraph = q.session.get(Paragraph, event.paragraph_id) if event.paragraph_id else None
    if paragraph is None or not paragraph.decision:
        return ""
    for sentence in re.split(r"(?<=[.!?])\s+|\n", paragraph.decision):
        if any(marker in sentence.lower() for marker in CONDITION_MARKERS):
            return f" (§ {paragraph.number}: ”{sentence.strip()}”)"
    return ""


def _one_grant(q: Question, grant: Grant) -> Reply:
    event = _granting_event(q, grant)
    name = grant.name
    sources = [_source(q, grant, event)]
    labels = STATUS_EN if q.language == "en" else STATUS_SV
    status = labels.get(grant.status, grant.status)
    period = ""
    if grant.period_start and grant.period_end:
        period = f"{day(grant.period_start, q.language)} – {day(grant.period_end, q.language)}"
    lines: list[str] = []
    missing: list[str] = []
    amount_missing = False
    for facet in _facets(q):
        if facet == "dnr":
            if grant.dnr:
                lines.append(q.t(f"{name} har diarienummer {grant.dnr}.", f"{name} has file number (Dnr) {grant.dnr}."))
            else:
                missing.append(q.t("diarienummer", "file number"))
        elif facet == "conditions":
            conditions = [c.strip() for c in (grant.conditions or "").split("\n") if c.strip()]
            if conditions:
                lines.append(q.t(f"Villkor för {name}:", f"Conditions for {name}:") + "\n"
                             + "\n".join(f"• {c}" for c in conditions))
                if grant.reporting:
                    lines.append(q.t("Återrapportering: ", "Reporting: ") + grant.reporting)
            else:
                missing.append(q.t("särskilda villkor", "particular conditions"))
        elif facet == "period":
            if period:
                lines.append(q.t(f"Finansieringen av {name} gäller {period}.", f"The funding of {name} covers {period}."))
            else:
                missing.append(q.t("period", "period"))
        elif facet == "applicants":
            if grant.applicants:
                lines.append(q.t(f"{name} söktes av {grant.applicants}.",
                                 f"{name} was applied for by {grant.applicants}."))
            else:
                missing.append(q.t("sökande", "applicants"))
        elif facet == "status":
            history = []
            quoted: set[int | None] = set()
            for ev in q.session.exec(select(GrantEvent).where(GrantEvent.grant_id == grant.id)
                                     .order_by(col(GrantEvent.date))).all():
                when = ev.date.isoformat() if ev.date else "?"
                amount = f" ({kr(ev.amount)})" if ev.amount else ""
                condition = _condition_of(q, ev) if ev.paragraph_id not in quoted else ""
                quoted.add(ev.paragraph_id)  # one § decides several events: its condition once
                history.append(f"• {when}: {labels.get(ev.status, ev.status)}{amount}{condition}")
                src = _source(q, grant, ev)
                if src not in sources:
                    sources.append(src)
            lines.append(q.t(f"{name}: {status}.", f"{name}: {status}.") + ("\n" + "\n".join(history) if history else ""))
        elif facet == "payment":
            payouts = list(q.session.exec(select(GrantEvent).where(
                GrantEvent.grant_id == grant.id, col(GrantEvent.status).in_(PAYOUTS)).order_by(col(GrantEvent.date))))
            if not payouts:
                missing.append(q.t("någon utbetalning", "any payout"))
            elif q.cues.any(AMOUNT_ASKED) and not any(ev.amount for ev in payouts):
                # "Hur stort belopp betalades ut?": a payout decided without its amount does not say it.
                amount_missing = True
            for ev in payouts:
                when = day(ev.date, q.language) if ev.date else "?"
                amount = kr(ev.amount) if ev.amount else q.t("belopp anges inte", "amount not given")
                if ev.status == "paid_out":
                    lines.append(q.t(f"Utbetalt till {name}: {amount} ({when}).", f"Paid out to {name}: {amount} ({when})."))
                else:
                    lines.append(q.t(f"Utbetalning till {name} beslutad {when}: {amount}. Handlingarna säger inte att "
                                     "den är gjord.",
                                     f"Payment to {name} approved on {when}: {amount}. The documents do not say it has "
                                     "been made."))
                src = _source(q, grant, ev)
                if src not in sources:
                    sources.append(src)
        elif facet == "amount":
            if grant.max_amount is not None:
                upto = q.t("högst ", "at most ") if grant.status == "granted_on_condition" else ""
                text = f"{name}: {upto}{kr(grant.max_amount)} ({status})"
                if period:
                    text += q.t(f" för perioden {period}", f" for the period {period}")
                lines.append(text + ".")
            else:
                missing.append(q.t(f"belopp ({status})", f"amount ({status})"))
    if missing:
        lines.append(q.t(f"Handlingarna anger inte {join_words(missing)} för {name}.",
                         f"The documents do not give {'' if missing[0].startswith('any') else 'the '}"
                         f"{join_words(missing, 'en')} for {name}."))
    # Answered only if a fact asked for was given: the note on an earlier effort is no answer.
    answered = len(lines) > (1 if missing else 0) and not amount_missing
    earlier = q.session.get(Grant, grant.previous_id) if grant.previous_id is not None else None
    if earlier is not None and lines:
        dnr = f", Dnr {earlier.dnr}" if earlier.dnr else ""
        lines.append(q.t(f"(Tidigare insats med samma namn{dnr}: {labels.get(earlier.status, earlier.status)}.)",
                         f"(An earlier effort of the same name{dnr}: {labels.get(earlier.status, earlier.status)}.)"))
        sources.append(_source(q, earlier))
    facts: list[tuple[str, str]] = []
    if grant.dnr:
        facts.append(("Dnr", grant.dnr))
    if grant.max_amount is not None:
        facts.append((q.t("Belopp", "Amount"), kr(grant.max_amount)))
    if period:
        facts.append(("Period", period))
    if grant.applicants:
        facts.append((q.t("Sökande", "Applicants"), grant.applicants))
    facts.append(("Status", status))
    lead = _yes_or_no(q, grant) if answered else None
    if lead is not None and earlier is not None and lead.startswith(("Nej", "No")):
        # "Godkändes slutrapporten för Arbetsmarknadstorget?": a standing the newer grant of the name has
        # not reached may be the earlier effort's, whose report was approved: a yes for that one, not a no.
        before = _yes_or_no(q, earlier)
        if before is not None and before.startswith(("Ja", "Yes")):
            label = labels.get(earlier.status, earlier.status)
            lead = q.t(f"Ja, för den tidigare insatsen med samma namn ({label}).",
                       f"Yes, for the earlier effort of the same name ({label}).")
    return Reply(text="\n".join([lead, *lines] if lead else lines), answered=answered, sources=sources, facts=facts,
                 language=q.language)


# What a yes/no question asks of a grant's standing, by the statuses that make it a yes: whether it
# was refused, whether its final report was approved, whether it was granted.
YES_NO_STATUS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("refused",), ("avsl", "avslag", "refus", "reject", "nekad", "declined", "turned down", "fick nej")),
    (grant_status.CLOSED, ("slutrapport", "final report", "slutredovisning")),
    ((*GRANTED, *grant_status.CLOSED), ("bevilj", "godkän", "godkand", "approv", "granted", "fick pengar",
                                        "got money", "got the money", "fick de", "fick medel", "funded", "finansierad")),
)


def _yes_or_no(q: Question, grant: Grant) -> str | None:
    """Yes or no first, when a yes/no question asks whether a member body is one of a grant's
    applicants ("Was Försäkringskassan one of them?") or whether the grant has a standing ("Fick
    Jobbcenter 2.0 avslag?"); None when it asks neither, or the store cannot tell."""
    from handlers.answers import passages
    from handlers.answers.guard import asks_yes_no

    if not asks_yes_no(q.text):
        return None
    if "applicants" in _facets(q) and grant.applicants:
        parties = [p.strip() for p in re.split(r",|\boch\b|\band\b", grant.applicants) if p.strip()]
        named = [p for p in parties if passages.mentions_name(q.text, p)]
        if len(named) == 1:
            return q.t(f"Ja, {named[0]} är en av de sökande.", f"Yes, {named[0]} is one of the applicants.")
        bodies = list(dict.fromkeys(m.entry.name for m in q.mentions if m.entry.kind == "member_body" and m.score >= 0.9
                                    and not passages.mentions_name(grant.name, m.entry.name)))
        if not named and len(bodies) == 1:
            return q.t(f"Nej, {bodies[0]} är inte bland de sökande.", f"No, {bodies[0]} is not one of the applicants.")
        return None
    # The standing asked is in the asker's own words ("… and is that figure final?" asks nothing of
    # "granted", which only the first part's words added to it hold).
    lowered = q.asked.lower()
    for statuses, cues in YES_NO_STATUS:
        if any(cue in lowered for cue in cues):
            if grant.status == "applied":
                return None  # not yet decided: neither yes nor no
            label = (STATUS_EN if q.language == "en" else STATUS_SV).get(grant.status, grant.status)
            return q.t(f"Ja ({label}).", f"Yes ({label}).") if grant.status in statuses else \
                q.t(f"Nej ({label}).", f"No ({label}).")
    return None


STATUS_CUES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("refused",): ("avsl", "avslag", "refus", "reject", "nekad", "beviljades inte", "inte bevilja"),
    ("final_report_approved",): ("slutrapport", "final report"),
    PAYOUTS: ("utbetal", "paid out", "betalades ut", "payout", "payment"),
    ("applied",): ("inkom", "ansökningar som kommit", "received"),
}


def _statuses_asked(q: Question) -> tuple[str, ...]:
    lowered = q.text.lower()
    for statuses, cues in STATUS_CUES.items():
        if any(cue in lowered for cue in cues):
            return statuses
    return GRANTED


def _relative_meeting(q: Question) -> Reply | None:
    """"Vilka insatser beviljades på förra mötet?": the grants decided at the meeting the question
    counts from the asking day, as if its day had been named."""
    from handlers.answers import passages

    if not q.cues.any(passages.RELATIVE_MEETING):
        return None
    meetings = passages.protocols_in_question(q)
    if not meetings:
        return None
    if len({p.organisation_id for p in meetings}) > 1:
        return choose_organisation(q, [q.organisation(p.organisation_id) for p in meetings])
    day = meetings[0].meeting_date
    return _decided_in(q, DateSpan(day, day, True))


# What a question asks of one grant (the grant kind's facets), never of the grants of a year.
ATTRIBUTES_OF_ONE = frozenset({"applicants", "dnr", "reporting", "conditions"})


# Words asking an amount.
AMOUNT_ASKED = ("hur mycket", "how much", "belopp", "amount", "hur stort", "how large", "how big", "summa")


def _decided_in(q: Question, span: DateSpan | None = None) -> Reply:
    span = span or q.dates[0]
    statuses = _statuses_asked(q)
    verb_sv, verb_en = {"refused": ("Avslagna", "Refused"), "final_report_approved": ("Godkända slutrapporter",
                        "Final reports approved"), "payment_approved": ("Beslutade utbetalningar", "Payments approved"),
                        "applied": ("Inkomna ansökningar", "Applications received")}.get(
                            statuses[0], ("Beviljade", "Granted"))
    query = (select(GrantEvent, Grant).join(Grant, col(Grant.id) == GrantEvent.grant_id)
             .where(col(Grant.organisation_id).in_(q.organisation_ids), col(GrantEvent.status).in_(statuses))
             .order_by(col(GrantEvent.date)))
    if span.year_given:
        query = query.where(col(GrantEvent.date) >= span.start, col(GrantEvent.date) <= span.end)
    rows = q.session.exec(query).all()
    by_id = {g.id: g for _e, g in rows}
    events = [e for e, _g in rows]
    hits = [e for e in events if e.date and (span.contains(e.date) or (
        not span.year_given and (e.date.month, e.date.day) == (span.start.month, span.start.day)) or (
        not span.year_given and not span.exact and e.date.month == span.start.month))]
    when = span.start.isoformat() if span.exact else (
        f"{span.start.isoformat()} – {span.end.isoformat()}")
    if not span.year_given:
        # A day or month named without a year: say the dates the decisions were actually made.
        when = ", ".join(sorted({e.date.isoformat() for e in hits if e.date})) or (
            f"{span.start.day}/{span.start.month}" if span.exact else
            format_date(span.start, "MMMM", locale="en_GB" if q.language == "en" else "sv_SE"))
    if not hits:
        return Reply(q.t(f"{verb_sv}: inga i handlingarna för {when}.",
                         f"{verb_en}: none recorded for {when}."),
                     answered=False, language=q.language)
    # "Timrå kommuns ansökningar": a member body named is whose applications are asked, never all.
    from handlers.answers.kinds.grant_list import _by_applicant

    body, own, joined = _by_applicant(q, [(e, by_id[e.grant_id]) for e in hits])
    if body is not None:
        if not own:
            return Reply(q.t(f"{verb_sv} {when}: inga på ansökan från {body} i handlingarna.",
                             f"{verb_en} {when}: none on an application by {body} in the documents."),
                         answered=False, language=q.language)
        hits = [e for e, _g in own]
        verb_sv, verb_en = f"{verb_sv} på {body}s ansökningar", f"{verb_en} on applications by {body}"
    names = ""
    left_out = exclusion.without(q.text, hits, lambda e: by_id[e.grant_id].name)
    if left_out is not None:
        # "summa beviljat 24 nov exkl Arbetsmarknadstorget": what is left out is named, or nothing is answered.
        hits, out = left_out
        if not out or not hits:
            return Reply(q.t(f"{verb_sv} {when}: ingen av dem är den insats frågan vill räkna bort.",
                             f"{verb_en} {when}: none of them is the grant the question leaves out."),
                         answered=False, language=q.language)
        names = ", ".join(by_id[e.grant_id].name for e in out)
        verb_sv, verb_en = f"{verb_sv} utom {names}", f"{verb_en} except {names}"
    lines: list[str] = []
    sources: list[Source] = []
    total = 0
    for e in hits:
        grant = by_id[e.grant_id]
        amount = e.amount if e.amount is not None else grant.max_amount
        if amount:
            total += amount
        lines.append(f"• {grant.name}: {kr(amount) if amount else '–'}")
        src = _source(q, grant, e)
        if src not in sources:
            sources.append(src)
    if q.has("totalt", "total", "sammanlagt", "summa", "hur mycket", "how much") and not q.has_word("vilka", "which"):
        text = q.t(f"Totalt beviljades {kr(total)} ({when}), fördelat på {len(hits)} insatser:",
                   f"In total {kr(total)} was granted ({when}), across {len(hits)} grants:")
        if left_out is not None:
            text = q.t(f"Totalt beviljades {kr(total)} ({when}) utom {names}, fördelat på {len(hits)} insatser:",
                       f"In total {kr(total)} was granted ({when}) except {names}, across {len(hits)} grants:")
        elif body is not None:
            text = q.t(f"Totalt beviljades {kr(total)} på {body}s ansökningar ({when}), fördelat på {len(hits)} "
                       "insatser:",
                       f"In total {kr(total)} was granted on applications by {body} ({when}), across {len(hits)} "
                       "grants:")
    else:
        text = q.t(f"{verb_sv} {when}:", f"{verb_en} {when}:")
        text += "\n" + "\n".join(lines)
        if statuses == GRANTED:
            text += "\n" + q.t(f"Totalt {kr(total)}.", f"Total {kr(total)}.")
        return Reply(text=text, sources=sources, language=q.language)
    text += "\n" + "\n".join(lines)
    if joined:
        also = ", ".join(f"{g.name} ({kr(e.amount or g.max_amount or 0)})" for e, g in joined)
        text += "\n" + q.t(f"{body} är också medsökande i: {also}.", f"{body} is also co-applicant in: {also}.")
    return Reply(text=text, sources=sources, language=q.language)


def _topic_words(q: Question) -> list[str]:
    skip = QUESTION_WORDS | {"conditioned", "using", "use", "villkorade", "villkoras", "krav", "på", "on",
                             "with", "med", "användning", "are", "grants", "insatser", "som", "of"}
    return [w for w in q.words if w not in skip and len(w) >= 3 and not w.isdigit()]


def _by_condition(q: Question) -> Reply:
    topic = _topic_words(q)
    if not topic:
        return not_found(q, "det villkoret", "that condition")
    hits: list[Grant] = []
    grants = q.session.exec(select(Grant).where(col(Grant.organisation_id).in_(q.organisation_ids),
                                                col(Grant.conditions).is_not(None))).all()
    for g in grants:
        condition_words = tokens(g.conditions or "")
        if condition_words and all(any(word_match(t, c) >= 0.9 for c in condition_words) for t in topic):
            hits.append(g)
    topic_text = " ".join(topic)
    if not hits:
        return not_found(q, f"insatser med villkor om ”{topic_text}”", f"grants conditioned on “{topic_text}”")
    text = q.t(f"Insatser med villkor om {topic_text}: ", f"Grants conditioned on {topic_text}: ")
    text += join_words([g.name for g in hits], q.language) + "."
    return Reply(text=text, sources=[_source(q, g, _granting_event(q, g)) for g in hits], language=q.language)


def _by_applicant(q: Question) -> Reply | None:
    bodies: dict[str, list[Grant]] = {}
    grants = q.session.exec(select(Grant).where(col(Grant.organisation_id).in_(q.organisation_ids),
                                                col(Grant.applicants).is_not(None))).all()
    for g in grants:
        for applicant in (g.applicants or "").split(","):
            applicant = applicant.strip()
            if applicant:
                bodies.setdefault(applicant, []).append(g)
    matches = best_matches([(b, b) for b in bodies], q.words, threshold=0.75)
    if not matches:
        return None
    body = str(matches[0][2])
    hits = bodies[body]
    text = q.t(f"Insatser där {body} är sökande: ", f"Grants with {body} among the applicants: ")
    text += join_words([g.name for g in hits], q.language) + "."
    return Reply(text=text, sources=[_source(q, g) for g in hits], language=q.language)
