"""Questions that ask several things at once: "vem justerade och när sattes anslaget upp?",
"vilken fick störst, vilken minst, och hur stor är skillnaden mellan dem?", "Enter 2021 och
året efter". Each part is answered on its own (with the first part's subject, time and förbund
when it names none), and the question counts as answered only when every part is."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from handlers.answers import guard
from handlers.answers.core import Question
from handlers.answers.dates import MONTHS
from handlers.answers.kinds.compare import BY_HOW_MUCH
from handlers.answers.reading import FLOOR, merge, or_stated, vetted
from handlers.answers.text import fold, tokens
from handlers.context import Context
from handlers.messages import Reply
from handlers.understanding import followup, parts
from handlers.understanding.kinds import KINDS, STRONG, Cues, Reading, facets, rank
from storage.models import Organisation
from storage.swedish.amounts import scan_amounts


def in_two_parts(q: Question, whole: Reply) -> Reply:
    """A question that asks two things ("vem justerade och när sattes anslaget upp?"): each part
    answered on its own, the second with the first's subject, time and förbund when it names none;
    answered only when both are. One kind that read both parts at once keeps its answer, unless
    that answer is only one part's."""
    found = parts.split(q.text)
    if found is None:
        return whole
    heads = parts.listed(found[0])
    rest = parts.split(found[1], min_first=2)
    every = [*heads, *(rest or (found[1],))]
    if len(every) > 2:
        # "A, B och C", "A och B, och C": three questions in one.
        first = Question(_named_scope(q), every[0])
        return _in_several_parts(q, whole, every[0], first, vetted(first), every[1:])
    first = Question(_named_scope(q), found[0])
    first_reply = vetted(first)
    if first_reply.answered and parts.asks_its_amount(found[1]) \
            and scan_amounts(first_reply.text, says_kronor=True):
        # "Vilken är den största posten, och hur stor är den?": the amount of the first part's
        # answer, which that answer already gives.
        return first_reply
    if first_reply.answered and parts.asks_its_difference(found[1]) \
            and re.search(r"(?i)\b(?:skillnad|difference)\b[^.]*\d", first_reply.text):
        # "Vilken fick mest, och hur stor är skillnaden?": the first answer gives the gap.
        return first_reply
    if first_reply.answered and parts.asks_which_ones(found[1]) and re.search(r"\d+ \w+.*:", first_reply.text):
        # "Hur många kommuner betalar, och vilka?": a count that names what it counts.
        return first_reply
    if parts.leans_on_answer(found[1]):
        # "… och vilken medlem utsåg henne?": the second part asks about the first part's answer,
        # so it is asked of the person that answer names; if that finds nothing, the kind that read
        # the whole question keeps its answer ("… och till vilken paragraf var hon med?").
        named = parts.with_answer(found[1], first_reply.text) if first_reply.answered else None
        if named is None:
            return whole
        about = Question(q.ctx, named)
        about_reply = vetted(about)
        if not about_reply.answered:
            return whole
        return about_reply if first_reply.text in about_reply.text else merge(first_reply, about_reply)
    about_person = _of_person_answered(q, found[0], first_reply, found[1])
    if about_person is not None:
        return about_person
    second_reply = _later_part(q, found[0], first, first_reply, found[1])
    if first_reply.answered and second_reply.answered:
        if second_reply.text in first_reply.text:
            return first_reply
        if first_reply.text in second_reply.text:
            return second_reply
        return merge(first_reply, second_reply)
    if not whole.answered:
        if first_reply.answered != second_reply.answered:
            # One part is known, the other not: both said, the question not answered.
            known = first_reply if first_reply.answered else second_reply
            return dataclasses.replace(merge(known, whole), answered=False)
        return whole
    unanswered = [part for part, said in ((found[0], first_reply), (found[1], second_reply)) if not said.answered]
    quoted = q.answered_by is not None and q.answered_by.kind.quotes
    if q.answered_by is None:
        pass  # the documents' best paragraphs, found for the whole, answer no part a kind could not
    elif quoted and not _holds_parts_figures(q, whole, [r for r in (first_reply, second_reply) if r.answered]):
        pass  # a quotation without the figure a part's own answer gives does not answer that part
    elif (whole.text not in (first_reply.text, second_reply.text)
            and not any(guard.lacks_type(part, whole) for part in unanswered)) \
            or all(_covered(q.answered_by, part, whole) for part in unanswered):
        return whole  # one kind read both parts together ("när sattes anslaget upp och när togs det ner")
    # Only one part answered: what is known is shown, but the question is not answered.
    known, missing = (first_reply, second_reply) if first_reply.answered else (second_reply, first_reply)
    shown = known if missing.text == known.text else merge(known, missing)
    return dataclasses.replace(shown, answered=False)


def _of_person_answered(q: Question, first_text: str, first_reply: Reply, second: str) -> Reply | None:
    """"Vem är ny ledamot från regionen, och hur länge gäller det?", "who is the new member and until
    when does it run?": a first part asking who, a second pointing with "det"/"it" at what that
    person holds. The second is asked of the person the first part's answer names; when that answers
    nothing, None (the pointer may stand for the thing the first part asks about instead)."""
    asks_who = guard.asked_type(first_text) == "who" or re.search(r"\b(?:who|vem)\b", fold(first_text.lower()))
    if not first_reply.answered or not asks_who or not parts.ends_pointing(second):
        return None
    named = parts.with_answer(second, first_reply.text, pointers=True)
    if named is None:
        return None
    asked = Question(_named_scope(q), named)
    about = vetted(asked)
    # Only a kind that reads what a person holds answers it: "när skedde det" of a justerare asks
    # when the justering was made, and "när skedde Karin Näsmark" is no question a passage answers.
    if not about.answered or asked.answered_by is None or asked.answered_by.kind.name not in PERSON_KINDS:
        return None
    return about if first_reply.text in about.text else merge(first_reply, about)


# The kinds that answer what a person holds (a seat, a term, a party, a member body).
PERSON_KINDS = frozenset({"people", "officers", "members"})


def _named_scope(q: Question) -> Context:
    """The question's context, kept to the one förbund the question names wherever it names it:
    "What's the projected equity …, and what's the recommended maximum in Samordningsförbundet i
    Jämtlands län?" asks both parts of Jämtland."""
    if q.ctx.organisation is not None:
        return q.ctx
    named = {e.organisation_id for e in q.lexicon.organisations_named(q.words)}
    if len(named) != 1:
        return q.ctx
    organisation = q.session.get(Organisation, named.pop())
    return q.ctx if organisation is None else dataclasses.replace(q.ctx, organisation=organisation)


def _whole_years(q: Question) -> list[int]:
    """The whole years a question names, in order ("Enter 2021 och 2022"), not the years of its days."""
    years = [s.start.year for s in q.dates if s.year_given and not s.exact and s.start.year == s.end.year
             and (s.start.month, s.start.day, s.end.month, s.end.day) == (1, 1, 12, 31)]
    return list(dict.fromkeys(years))


def each_year(q: Question, whole: Reply) -> Reply:
    """A question naming several years ("Vad ligger Enter på 2021 och året efter?") answered with one
    year's fact alone does not answer it: each year is asked on its own and the question is answered
    only when every year is."""
    years = _whole_years(q)
    if len(years) < 2 or (whole.answered and all(str(y) in whole.text for y in years)) \
            or parts.split(q.text) is not None:
        return whole
    if not whole.answered and (whole.actions or _asked_compositions(q.cues) or q.cues.any(BY_HOW_MUCH)
                               or q.answered_by is None or q.answered_by.kind.quotes):
        return whole  # a change, a sum or a gap between the years is not each year's figure
    replies = []
    for year in years:
        others = "|".join(str(y) for y in years if y != year)
        text = re.sub(rf"\s*(?:,|\boch\b|\band\b|\bor\b|\beller\b|&)?\s*\b(?:{others})\b", "", q.text)
        replies.append(vetted(Question(q.ctx, text)))
    answered = [r for r in replies if r.answered and any(str(y) in r.text for y in years)]
    shown = (answered or [whole])[0]
    for r in answered[1:]:
        shown = shown if r.text in shown.text else merge(shown, r)
    covered = all(any(str(y) in r.text for r in answered) for y in years)
    if covered and len(answered) == len(years):
        return shown
    return whole if not whole.answered else dataclasses.replace(shown, answered=False)


def _holds_parts_figures(q: Question, whole: Reply, parts_said: list[Reply]) -> bool:
    """Whether a quotation given for a two-part question holds the first amount each answered part's
    own answer gives: "what was the total, and by how much …" is not answered by a sentence holding
    only the second figure."""
    held = {a.kronor for a in scan_amounts(whole.text, says_kronor=True)}
    for said in parts_said:
        first = next(iter(scan_amounts(said.text, says_kronor=True)), None)
        if first is not None and first.kronor not in held:
            return False
        day = _ISO_DAY.search(said.text)
        given = dt.date.fromisoformat(day.group(0)) if day is not None else None
        if given is not None and not any(d.contains(given) for d in q.dates if d.exact) \
                and not _says_day(whole.text, given):
            return False  # "när är planeringsdagen och …": a quotation that gives no such day
    return True


_ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _says_day(text: str, day: dt.date) -> bool:
    """Whether a text gives a day, as ISO or as "24 september" / "24 September"."""
    folded = fold(text.lower())
    return day.isoformat() in text or any(f"{day.day} {fold(name)}" in folded for name, n in MONTHS.items() if n == day.month)


def _in_several_parts(q: Question, whole: Reply, first_text: str, first: Question, first_reply: Reply,
                      later: list[str]) -> Reply:
    """A question of three parts ("vilken fick störst, vilken minst, och hur stor är skillnaden
    mellan dem?"): each later part answered as a second part is; answered only when every part
    is, or when the reading of the whole also read every part left unanswered."""
    replies = [first_reply]
    for part in later:
        named = [_one_thing_named(Question(q.ctx, part), r) for r in replies if r.answered]
        written = parts.between_them(part, [n for n in named if n]) if all(named) else None
        replies.append(_later_part(q, first_text, first, first_reply, written or part))
    texts = [first_text, *later]
    if all(r.answered for r in replies):
        shown = replies[0]
        for r in replies[1:]:
            shown = shown if r.text in shown.text else merge(shown, r)
        return shown
    quoted = q.answered_by is not None and q.answered_by.kind.quotes
    if whole.answered and q.answered_by is not None \
            and all(_covered(q.answered_by, t, whole) for t, r in zip(texts, replies, strict=True)
                              if not r.answered) and not any(r.answered and r.text == whole.text for r in replies) \
            and not (quoted and not _holds_parts_figures(q, whole, [r for r in replies if r.answered])):
        return whole  # one kind read the parts left unanswered together, and its answer is not one part's
    known = [r for r in replies if r.answered] or [whole]
    shown = known[0]
    for r in known[1:]:
        shown = shown if r.text in shown.text else merge(shown, r)
    return dataclasses.replace(shown, answered=False)


def _later_part(q: Question, first_text: str, first: Question, first_reply: Reply, part: str) -> Reply:
    """A later part of a question of several, answered on its own with the first part's subject,
    time and förbund when it names none."""
    ctx = q.ctx
    if ctx.organisation is None and first.scoped and first.organisations:
        ctx = dataclasses.replace(ctx, organisation=first.organisations[0])
    probe = Question(ctx, part)
    # "… on one grant - which one, and how much was granted?": the second part is about the one
    # grant or person the first part's answer names.
    answered_thing = _one_thing_named(probe, first_reply) if first_reply.answered and parts.asks_which(
        first_text) else None
    extra = []
    if answered_thing is not None and not any(m.score >= 0.9 for m in probe.mentions if m.entry.kind != "member_body"):
        extra.append(answered_thing)
    elif not any(m.score >= 0.9 for m in probe.mentions):
        extra.append(followup.subject_words(first))
    if not followup.time_words(part):
        extra.append(followup.time_words(first_text))
    # (A part ending in a word a number may follow keeps the first part's day apart from it:
    # "från vilken paragraf, 24 nov 2023", not paragraf 24.)
    asked = part.rstrip("? ")
    asked += "," if re.search(r"(?:§|\b(?:paragraf\w*|paragraph\w*|section|punkt\w*|point))$", asked, re.IGNORECASE) else ""
    second = Question(ctx, " ".join([asked, *(e for e in extra if e)]), asked=part)
    points_back = any(fold(w) in followup.POINTERS or fold(w) in parts.PLACE_POINTERS for w in tokens(part))
    if points_back and not any(m.score >= 0.9 for m in probe.mentions) and not followup.subject_words(first):
        # "… o var blir det?": "det" is what the first part asks about, all of it ("nästa möte efter 24 nov").
        second = Question(ctx, f"{part.rstrip('?')} {parts.content(first_text)}", asked=part)
    elif not any(r.score >= FLOOR for r in rank(second)):
        # "… och på vilken ort?", "… o när tas det ner?": what it is about stands in the first part.
        second = Question(ctx, f"{second.text} {parts.content(first_text)}", asked=part)
    elif not any(m.score >= 0.9 for m in probe.mentions) and len(_things_named(first)) >= 2 and (
            "difference" in _asked_compositions(probe.cues) or probe.cues.any(BY_HOW_MUCH)):
        # "Vilken fick mest, A eller B, och med hur mycket?": the gap is between the things the first
        # part names, not about the one its answer or subject names.
        second = Question(ctx, f"{part.rstrip('?')} {parts.content(first_text)}", asked=part)
    second_reply = vetted(second)
    own_name = any(m.score >= 0.9 for m in probe.mentions)
    if not second_reply.answered and second.text != probe.text and not parts.ends_pointing(part) \
            and not (points_back and not own_name):
        # The second part names its own subject in words the store has no name for ("… och vem
        # är justerare för senaste protokollet?"): the first part's subject is not its subject.
        # (One that points back with no name of its own, "… what share of the costs is it?", "… vad
        # kostar lokalen där?", has none of its own.)
        alone = vetted(probe)
        second_reply = alone if alone.answered else second_reply
    if second_reply.text == first_reply.text and not _covered(first.answered_by, part, first_reply) \
            and not _asks_only_the_figure(part, first_reply):
        # "… and is that figure final?", "… and how was it done?" answered with the first part's fact
        # by the first part's words: what the second asks is not in it.
        second_reply = dataclasses.replace(second_reply, answered=False)
        if not second_reply.actions:
            # What the table does not hold may be stated in prose ("… underbalanseras med 2 350 tkr").
            second_reply = or_stated(second, second_reply)
    return second_reply


# Words of a later part that only ask for the first part's figure ("…, och hur mycket?", "…, and
# how much was it?", "… och på hur mycket?"), folded.
_FIGURE_ONLY = frozenset({*parts.CONNECTORS, *parts.QUESTION_WORDS, *parts.PREPOSITIONS, "much", "many", "mycket",
                          "manga", "mkt", "it", "that", "was", "is", "were", "det", "den", "de", "dem", "they",
                          "them", "blev", "ar", "beloppet", "belopp", "amount", "summan", "sum", "stor", "stort",
                          "big", "large", "percentage", "procent", "andel", "andelen", "share"})
# The words among them that ask a size ("hur mycket", "hur stor", "what percentage").
_SIZE_WORDS = frozenset({"much", "mycket", "mkt", "stor", "stort", "big", "large", "percentage", "procent"})


def _asks_only_the_figure(part: str, first_reply: Reply) -> bool:
    """Whether a later part asks nothing but how much, and the first part's answer (the largest or
    smallest one, with its amount) already gives an amount: "Vilken fick minst, och hur mycket?"."""
    words = [fold(w) for w in tokens(part)]
    # "… and what is it?": only a pointer back at what the first part found, asked for its value.
    pointing = any(w in ("it", "den", "det") for w in words) and any(w in ("what", "vad", "hur") for w in words)
    return bool(words) and all(w in _FIGURE_ONLY for w in words) and (any(w in _SIZE_WORDS for w in words) or pointing) \
        and not guard.lacks_type(part, first_reply)


def _things_named(q: Question) -> set[str]:
    """The grants and budget lines a question names surely."""
    return {m.entry.name for m in q.mentions if m.score >= 0.9 and m.entry.kind in ("grant", "budget_line")}


def _one_thing_named(q: Question, reply: Reply) -> str | None:
    """The one grant or person a reply names in full, if exactly one."""
    words = tokens(reply.text)
    named = {m.entry.name for m in q.lexicon.find(words, kinds=("grant", "person"), organisation_ids=q.organisation_ids,
                                                   threshold=0.95)
             if " ".join(tokens(m.entry.name)) in " ".join(words)}
    return named.pop() if len(named) == 1 else None


def _covered(whole: Reading | None, part: str, reply: Reply) -> bool:
    """Whether the reading that answered a whole question also reads what `part` asks, by the
    part's own words: cues of the same kind, for facets it answered ("… och på vilken ort?" of a
    meeting's day and place), and its reply holds an answer of the type the part's question word
    asks ("hur mycket" an amount). A part no cue of that kind reads ("… and is that figure final?")
    is not."""
    if whole is None or parts.asks_manner(part) or guard.lacks_type(part, reply):
        return False
    if guard.asks_type_only(part):
        return True  # "… o vilken tid?": the answer holds a time, of what the first part asks about
    cues = Cues(tokens(part))
    if _asked_compositions(cues) - set(whole.facets):
        # "… var störst, och hur stor andel av det totala var den?": the part asks an operation
        # (a share) that the whole's reading did not compute, whichever kind's table names it.
        return False
    own = facets(whole.kind, cues)
    return bool(own) and set(own) <= set(whole.facets)


def _asked_compositions(cues: Cues) -> set[str]:
    """The operations combining figures (a share, a difference, a sum …) that strong cues of any
    kind ask for."""
    return {facet for kind in KINDS.values() for facet, (weight, words) in kind.cues.items()
            if facet in guard.COMPOSITIONS and weight >= STRONG and cues.any(words)}
