"""Answers to questions about grants, budgets, people, meetings, justering and decisions.

`answer_question` reads the question against the store's lexicon and every kind's cue
table (handlers/answers/kinds/, scored by handlers/understanding/kinds.py); the best
reading answers, with every fact's source. Close readings that disagree ask back; none
fitting shows what the documents say. When nothing in the store fits it says so; it never
answers about something else instead.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from sqlmodel import select

from handlers.answers import guard, passages, stated
from handlers.answers import kinds as _kinds  # noqa: F401  (registers every kind of question)
from handlers.answers.core import EXCLUDABLE, Question
from handlers.answers.dates import MONTHS, expand_short_forms
from handlers.answers.kinds.compare import BY_HOW_MUCH
from handlers.answers.text import fold, tokens
from handlers.context import Context
from handlers.messages import Action, Reply
from handlers.registry import QUESTION_HOOKS, action
from handlers.understanding import courtesy, exclusion, followup, parts, scope, spelling
from handlers.understanding.kinds import KINDS, STRONG, Cues, Reading, all_cue_words, facets, rank
from handlers.understanding.lexicon import lexicon
from storage import conversation_context
from storage.models import Document, Organisation
from storage.swedish.amounts import scan_amounts


def answer_question(ctx: Context) -> Reply:
    has_documents = ctx.session.exec(select(Document.id)).first() is not None
    asked = courtesy.question_of(ctx.message.text)
    if has_documents:
        asked = spelling.corrected(asked, lexicon(ctx.session).words)
    if asked != ctx.message.text:
        ctx = dataclasses.replace(ctx, message=dataclasses.replace(ctx.message, text=asked))
    for hook in QUESTION_HOOKS:
        hooked = hook(ctx)
        if hooked is not None:
            return hooked
    if not has_documents:
        return Reply(ctx.t("Inga handlingar är inlästa ännu, så jag kan inte svara. Ladda upp ett protokoll eller "
                           "en budget först.",
                           "No documents have been read in yet, so I cannot answer. Upload a protocol or a "
                           "budget first."), answered=False, language=ctx.language)
    hint = ctx.message.organisation_hint
    if hint and ctx.organisation is None:
        return scope.unknown_link(ctx, hint)
    ctx = _continued(ctx)
    q = Question(ctx, ctx.message.text)
    unknown = scope.unknown_named(ctx, q.text, q.lexicon)
    if unknown is not None:
        return unknown
    other = _other_organisation_named(q)
    if other is not None:
        return other
    reply = _vetted(q)
    reply = _in_two_parts(q, reply)
    reply = _each_year(q, reply)
    if reply.answered:
        _remember(q)
    return reply


def or_stated(q: Question, reply: Reply) -> Reply:
    """`reply` when it answers (or asks back); else a sentence of the documents that states the
    value asked (handlers/answers/stated.py), if the guard lets it stand."""
    # "Which förbund?" is asked when a kind's facts fit several; a sentence found in one förbund's
    # documents alone needs no such choice.
    choosing = bool(reply.actions) and all(a.action_id == "ask.organisation" for a in reply.actions)
    if reply.answered or (reply.actions and not choosing):
        return reply
    found = stated.answer(q)
    if found is None or (choosing and len({s.organisation for s in found.sources}) != 1):
        return reply
    q.answered_by = stated.reading(q)
    # The question's dates are read in one form ("i slutet av augusti" is the 31st): the quotation too.
    as_read = dataclasses.replace(found, text=expand_short_forms(found.text, tertials=False))
    return found if guard.vet(q, q.answered_by, as_read).answered else reply


def _in_two_parts(q: Question, whole: Reply) -> Reply:
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
        first = Question(q.ctx, every[0])
        return _in_several_parts(q, whole, every[0], first, _vetted(first), every[1:])
    first = Question(q.ctx, found[0])
    first_reply = _vetted(first)
    if parts.leans_on_answer(found[1]):
        # "… och vilken medlem utsåg henne?": the second part asks about the first part's answer,
        # so it is asked of the person that answer names; if that finds nothing, the kind that read
        # the whole question keeps its answer ("… och till vilken paragraf var hon med?").
        named = parts.with_answer(found[1], first_reply.text) if first_reply.answered else None
        if named is None:
            return whole
        about = Question(q.ctx, named)
        about_reply = _vetted(about)
        if not about_reply.answered:
            return whole
        return about_reply if first_reply.text in about_reply.text else merge(first_reply, about_reply)
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


def _whole_years(q: Question) -> list[int]:
    """The whole years a question names, in order ("Enter 2021 och 2022"), not the years of its days."""
    years = [s.start.year for s in q.dates if s.year_given and not s.exact and s.start.year == s.end.year
             and (s.start.month, s.start.day, s.end.month, s.end.day) == (1, 1, 12, 31)]
    return list(dict.fromkeys(years))


def _each_year(q: Question, whole: Reply) -> Reply:
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
        replies.append(_vetted(Question(q.ctx, text)))
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
    second = Question(ctx, " ".join([part.rstrip("?"), *(e for e in extra if e)]))
    points_back = any(fold(w) in followup.POINTERS or fold(w) in parts.PLACE_POINTERS for w in tokens(part))
    if points_back and not any(m.score >= 0.9 for m in probe.mentions) and not followup.subject_words(first):
        # "… o var blir det?": "det" is what the first part asks about, all of it ("nästa möte efter 24 nov").
        second = Question(ctx, f"{part.rstrip('?')} {parts.content(first_text)}")
    elif not any(r.score >= FLOOR for r in rank(second)):
        # "… och på vilken ort?", "… o när tas det ner?": what it is about stands in the first part.
        second = Question(ctx, f"{second.text} {parts.content(first_text)}")
    elif not any(m.score >= 0.9 for m in probe.mentions) and len(_things_named(first)) >= 2 and (
            "difference" in _asked_compositions(probe.cues) or probe.cues.any(BY_HOW_MUCH)):
        # "Vilken fick mest, A eller B, och med hur mycket?": the gap is between the things the first
        # part names, not about the one its answer or subject names.
        second = Question(ctx, f"{part.rstrip('?')} {parts.content(first_text)}")
    second_reply = _vetted(second)
    own_name = any(m.score >= 0.9 for m in probe.mentions)
    if not second_reply.answered and second.text != probe.text and not parts.ends_pointing(part) \
            and not (points_back and not own_name):
        # The second part names its own subject in words the store has no name for ("… och vem
        # är justerare för senaste protokollet?"): the first part's subject is not its subject.
        # (One that points back with no name of its own, "… what share of the costs is it?", "… vad
        # kostar lokalen där?", has none of its own.)
        alone = _vetted(probe)
        second_reply = alone if alone.answered else second_reply
    if second_reply.text == first_reply.text and not _covered(first.answered_by, part, first_reply):
        # "… and is that figure final?", "… and how was it done?" answered with the first part's fact
        # by the first part's words: what the second asks is not in it.
        second_reply = dataclasses.replace(second_reply, answered=False)
        if not second_reply.actions:
            # What the table does not hold may be stated in prose ("… underbalanseras med 2 350 tkr").
            second_reply = or_stated(second, second_reply)
    return second_reply


def _other_organisation_named(q: Question) -> Reply | None:
    """A conversation linked to one förbund, asked about another by name ("… in Jämtland" in
    Södra Vätterbygden's channel): never answered with the linked förbund's facts, nor widened."""
    linked = q.ctx.organisation
    if linked is None or linked.id is None:
        return None
    others = []
    for w in q.words:
        for entry in q.lexicon.organisations_named([w]):
            if entry.organisation_id == linked.id or entry.name in others:
                continue
            if q.lexicon.find([w], kinds=("member_body", "place", "budget_line", "person"),
                              organisation_ids=[linked.id], threshold=0.75):
                continue  # also a member, place or line of the linked förbund ("Timrå kommun")
            others.append(entry.name)
    if not others or any(e.organisation_id == linked.id for w in q.words for e in q.lexicon.organisations_named([w])):
        return None
    return Reply(q.t(f"Den här konversationen hör till {linked.name}, men frågan gäller {', '.join(others)}. "
                     f"Fråga där, eller i en konversation som inte är kopplad till ett förbund.",
                     f"This conversation belongs to {linked.name}, but the question is about {', '.join(others)}. "
                     f"Ask there, or in a conversation not linked to a förbund."), answered=False,
                 language=q.language)


def _continued(ctx: Context) -> Context:
    """A follow-up ("och 2022?") written out as the whole question it continues."""
    message = ctx.message
    if not message.conversation_id:
        return ctx
    read, _write = followup.keys(message)
    previous = conversation_context.recall(ctx.session, message.platform, message.conversation_id, read, ctx.now,
                                           followup.TTL)
    if previous is None:
        return ctx
    organisation = ctx.organisation
    if organisation is None and previous.organisation_id is not None:
        probe_scope = Question(ctx, message.text)
        if not probe_scope.lexicon.organisations_named(probe_scope.words):
            organisation = ctx.session.get(Organisation, previous.organisation_id)
    scoped = dataclasses.replace(ctx, organisation=organisation)
    continued = followup.continue_from(Question(scoped, message.text), previous)
    if continued is None:
        return ctx
    return dataclasses.replace(scoped, message=dataclasses.replace(message, text=continued.text))


def _remember(q: Question) -> None:
    """Keeps the question as understood, for a follow-up in the same conversation or thread."""
    message = q.ctx.message
    if not message.conversation_id or message.action_id:
        return
    _read, write = followup.keys(message)
    organisation_id = q.organisation_ids[0] if len(q.organisation_ids) == 1 else None
    conversation_context.remember(q.session, message.platform, message.conversation_id, write, question=q.text,
                                  named=followup.subject_words(q), dates=followup.time_words(q.text),
                                  organisation_id=organisation_id, now=q.ctx.now)


# A reading this close to the best is another way to read the question.
TIE = 0.1
# Below this, no kind fits: what the documents say is shown instead.
FLOOR = 0.6


def answer(q: Question, forced: str | None = None) -> Reply:
    """The best reading of the question answers it; close readings that disagree ask back."""
    readings = rank(q)
    if forced is not None:
        readings = [r for r in readings if r.kind.name == forced] or readings
    readings = [r for r in readings if r.score >= FLOOR]
    if not readings:
        return fallback(q)
    best = readings[0]
    reply = _run(q, best)
    if forced is not None:
        return reply or fallback(q, may_answer=False)
    rivals = [r for r in readings[1:3] if r.score >= best.score - TIE and r.strong and best.strong]
    if reply is not None and reply.answered:
        for rival in rivals:
            if rival.kind.quotes and not best.kind.quotes:
                continue  # facts read from the store beat a quotation that fits as well
            if _operation(best) and not _operation(rival):
                continue  # a count or a difference is asked: a bare figure or list does not answer it
            other = _run(q, rival)
            if other is None or not other.answered or other.text in reply.text:
                continue  # the best reading's answer already says it (a two-part question)
            if _operation(rival) and not _operation(best):
                q.reading_facets = rival.facets
                q.answered_by = rival
                return other
            if reply.text in other.text:
                return other
            if best.kind.quotes and not rival.kind.quotes:
                return other
            return ask_back(q, [best, rival])
        q.reading_facets = best.facets
        q.answered_by = best
        return reply
    # The best reading found nothing; a close second that does find it answers instead.
    for rival in readings[1:3]:
        # (A best reading with nothing at all to say leaves the question to a strong rival however far
        # behind: "which of the two grants was larger" read first as budget lines, then as grants.)
        near = rival.score >= best.score - 0.3 or (reply is None and rival.strong)
        if not near or not (rival.strong or rival.entity >= 0.9 or rival.score >= best.score):
            break
        if reply is not None and guard.composes(best.facets) and not guard.composes(rival.facets):
            continue  # a comparison or a sum that lacks an operand is not answered by one figure instead
        other = _run(q, rival)
        if other is not None and other.answered:
            return other
    if reply is None:
        # A reading fitted but found nothing to answer with: the documents' words are shown, not
        # given as the answer to it.
        return fallback(q, may_answer=False)
    return reply


def _operation(reading: Reading) -> bool:
    """Whether the reading answers an operation the question asks (a count, a sum, a difference …)."""
    return bool(set(reading.facets) & guard.OPERATIONS)


def _run(q: Question, reading: Reading) -> Reply | None:
    q.reading_facets = reading.facets
    q.answered_by = reading
    reply = reading.kind.answer(q)
    if reply is not None and reply.answered and reading.kind.figure:
        return _accounted(q, reply)
    if reply is not None and not reply.answered and reading.kind.figure and not reply.actions and not reading.strong:
        # The thing named chose the reading, no cue of the kind's own: its stored facts do not hold
        # what is asked of it ("vilken målgrupp hade insatsen X"); its § may say it in words. (A
        # kind that was asked for one of its own facts and has none, has said so.)
        extra = passages.unexplained(q, "")
        quoted = _quoted(q, extra) if extra else None
        if quoted is not None:
            return quoted
    return reply


def _quoted(q: Question, extra: list[str]) -> Reply | None:
    """What the documents say about `extra`, the words of the question a stored value does not
    account for, when a passage holds all the question names (and an amount if one is asked)."""
    terms = passages.topic_terms(q, all_cue_words())
    found = passages.find(q, terms)
    asked = ", ".join(extra)
    # The passage must speak of the thing the value was about too ("hyran för kansliet"), with the
    # topic's words together in a sentence or two, not spread over a report's paragraph.
    named = [m.entry.name for m in q.mentions[:1]]
    # The topic's words together in a sentence or two, not spread over a long passage.
    if found and named and found[0].coverage >= 0.75 and all(passages.mentions_name(found[0].text, n) for n in named) \
            and passages.answers_amount(q, found[0].text) and passages.near_coverage(terms, found[0]) >= 0.75 \
            and (not _asks_who(q) or _names_a_person(found[0].text)):
        # (Asked who, a text naming no one is no answer: "the board decided to send it".)
        sources = list(dict.fromkeys(p.source for p in found[:2]))
        return Reply(text=q.t(f"Det här säger handlingarna om {asked}:", f"What the documents say about {asked}:")
                     + "\n" + "\n".join(f"• {p.text}" for p in found[:2]), sources=sources, language=q.language)
    return None


def _accounted(q: Question, reply: Reply) -> Reply:
    """A value is the answer only if the question asks nothing the value is not about."""
    extra = passages.unexplained(q, "\n".join([reply.text, *(s.label() for s in reply.sources)]))
    if not extra:
        return reply
    quoted = _quoted(q, extra)
    if quoted is not None:
        return quoted
    asked = ", ".join(extra)
    return Reply(text=q.t(f"Jag hittar inget om ”{asked}” i handlingarna. Det som finns är:",
                          f"I find nothing about “{asked}” in the documents. What there is:") + "\n" + reply.text,
                 answered=False, sources=reply.sources, facts=reply.facts, language=q.language)


def _vetted(q: Question) -> Reply:
    """A question's answer as the guard lets it stand (answered first: the guard checks the reading that answered),
    or else what `or_stated` finds."""
    reply = _left_out_kept(q, answer(q))
    return or_stated(q, guard.vet(q, q.answered_by, reply))


def _left_out_kept(q: Question, reply: Reply) -> Reply:
    """An answer that still counts what the question leaves out ("exkl Arbetsmarknadstorget" answered
    with it among the grants added up) is withdrawn: the filter is applied or nothing is answered.
    The answers that apply it say so as "utom X" / "except X"."""
    words = exclusion.excluded_words(q.text)
    if not reply.answered or words is None:
        return reply
    named = {m.entry.name for m in q.lexicon.find(words, kinds=EXCLUDABLE, organisation_ids=q.organisation_ids,
                                                   threshold=0.6)}
    said = reply.text
    for name in named:
        said = re.sub(rf"\b(?:utom|except)\s+{re.escape(name)}", " ", said, flags=re.IGNORECASE)
    if not any(exclusion.names_in(said, name) for name in named):
        return reply
    return dataclasses.replace(reply, answered=False, text=q.t(
        "Svaret nedan räknar inte bort det frågan vill lämna utanför:",
        "The answer below does not leave out what the question leaves out:") + "\n" + reply.text)


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


def ask_back(q: Question, readings: list[Reading]) -> Reply:
    """Two readings fit about equally and answer differently: ask which, with buttons."""
    labels = [q.t(r.kind.label_sv, r.kind.label_en) for r in readings]
    text = q.t("Menar du ", "Do you mean ") + q.t(" eller ", " or ").join(labels) + "?"
    actions = [Action(label=label[:70], action_id="ask.kind", value=f"{r.kind.name}|{q.text}")
               for label, r in zip(labels, readings, strict=True)]
    return Reply(text=text, answered=False, actions=actions, language=q.language)


def fallback(q: Question, may_answer: bool = True) -> Reply:
    """No kind of question fits: show what the documents say, answered only on a strong match."""
    q.answered_by = None
    found = passages.find(q, passages.topic_terms(q, all_cue_words()))
    if not found or found[0].coverage < 0.5:
        return Reply(q.t("Jag hittar inget i handlingarna som svarar på det. Skriv \"hjälp\" för exempel på vad du "
                         "kan fråga.",
                         "I find nothing in the documents that answers that. Type \"help\" for examples."),
                     answered=False, language=q.language)
    terms = passages.topic_terms(q, all_cue_words())
    best = found[0]
    # The topic's words together in a sentence or two (or with the § title), not spread over a long §.
    near = passages.near_coverage(terms, best)
    strong = passages.answers_amount(q, best.text) and (
        (may_answer and near >= 0.75 and len(terms) >= 2)
        # "Vad är Genuskompassen?": one word, and a text that says what it is.
        or (may_answer and len(terms) == 1 and near >= 1 and passages.asks_definition(q)
            and passages.defines(terms, best.text))
        # A reading fitted but found nothing: only a sentence holding every word of a long topic.
        or (len(terms) >= 3 and best.coverage >= 0.99 and near >= 0.99))
    if strong and _asks_who(q) and not _names_a_person(best.text):
        # "Vem skickade ut protokollet?" is not answered by a text naming no one ("styrelsen beslutade
        # att skicka den"): shown as what the documents say, not as the answer.
        strong = False
    shown = [p for p in found if p.coverage >= found[0].coverage - 0.25][:2]
    head = q.t("Det här säger handlingarna:", "What the documents say:") if strong else q.t(
        "Jag är inte säker på att det här svarar på frågan, men handlingarna säger:",
        "I am not sure this answers the question, but the documents say:")
    sources = list(dict.fromkeys(p.source for p in shown))
    return Reply(text=head + "\n" + "\n".join(f"• {p.text}" for p in shown), answered=strong, sources=sources,
                 language=q.language)


# A person's name as the documents write it: two capitalised words, not a body's ("Jönköpings kommun").
_PERSON_NAME = re.compile(r"\b[A-ZÅÄÖ][a-zåäöéü]+ (?!kommun|län|Region|Regionen|Kommun)[A-ZÅÄÖ][a-zåäöéü]+\b")


# An actor asked by its kind ("which firm won …", "vilket företag fick …"): as "who" asks one.
ACTOR_NOUNS = ("firm", "firms", "company", "companies", "consultant", "consultancy", "supplier", "contractor",
               "företag", "företaget", "firma", "firman", "konsult", "konsulten", "leverantör", "leverantören")


def _asks_who(q: Question) -> bool:
    words = [w.lower() for w in q.words]
    if not words:
        return False
    return words[0] in ("vem", "vilka", "who", "whom") or (
        words[0] in ("which", "what", "vilket", "vilken", "vilka") and len(words) > 1 and words[1] in ACTOR_NOUNS)


# Those who do things for the board, as the protocols name them (the board itself, which decides
# everything, names no one who did what was decided).
ACTORS = re.compile(r"\b(?:förbundschef\w*|AU|AUs|arbetsutskott\w*|ordförande\w*|sekreterare\w*|"
                    r"beredningsgrupp\w*|presidi\w*|verksamhetsutvecklar\w*|processledar\w*|projektledar\w*)\b")


def _names_a_person(text: str) -> bool:
    return _PERSON_NAME.search(text) is not None or ACTORS.search(text) is not None


def merge(first: Reply, second: Reply) -> Reply:
    """Two answers to a two-part question, as one reply with both sources."""
    sources = list(first.sources) + [s for s in second.sources if s not in first.sources]
    # The second part may restate what the first already said (the justerare beside the deadline).
    said = set(first.text.splitlines())
    rest = "\n".join(line for line in second.text.splitlines() if line not in said)
    return Reply(text=f"{first.text}\n{rest}" if rest else first.text, answered=first.answered and second.answered,
                 sources=sources, facts=first.facts + second.facts, language=first.language)


@action("ask.organisation")
def _ask_in_organisation(ctx: Context, value: str) -> Reply:
    """A choice among förbund: ask the same question again within the chosen one."""
    org_id, _, question = value.partition("|")
    org = ctx.session.get(Organisation, int(org_id)) if org_id.isdigit() else None
    if org is None or not question:
        return Reply(ctx.t("Det valet känner jag inte längre igen.", "I no longer recognise that choice."),
                     answered=False, language=ctx.language)
    message = dataclasses.replace(ctx.message, text=question, action_id=None, action_value=None)
    return answer_question(dataclasses.replace(ctx, message=message, organisation=org))


@action("ask.kind")
def _ask_as_kind(ctx: Context, value: str) -> Reply:
    """A choice between two readings: answer the question as the chosen kind."""
    kind, _, question = value.partition("|")
    message = dataclasses.replace(ctx.message, text=question, action_id=None, action_value=None)
    q = Question(dataclasses.replace(ctx, message=message), question)
    reply = answer(q, forced=kind)
    return guard.vet(q, q.answered_by, reply)


@action("ask.suggestion")
def _ask_suggestion(ctx: Context, value: str) -> Reply:
    message = dataclasses.replace(ctx.message, text=value, action_id=None, action_value=None)
    q = dataclasses.replace(ctx, message=message)
    return answer_question(q)
