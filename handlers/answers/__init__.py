"""Answers to questions about grants, budgets, people, meetings, justering and decisions.

`answer_question` is the way in: it takes courtesy words and typing slips off the question,
keeps it to the conversation's förbund, continues a follow-up, and has it read and answered
(handlers/answers/reading.py: every kind's cue table in handlers/answers/kinds/, scored by
handlers/understanding/kinds.py), a question of several parts part by part
(handlers/answers/several_parts.py). When nothing in the store fits it says so; it never
answers about something else instead.
"""

from __future__ import annotations

import dataclasses

from sqlmodel import select

from handlers.answers import guard
from handlers.answers import kinds as _kinds  # noqa: F401  (registers every kind of question)
from handlers.answers.core import Question
from handlers.answers.reading import answer, vetted
from handlers.answers.several_parts import each_year, in_two_parts
from handlers.answers.text import fold
from handlers.context import Context
from handlers.messages import Reply
from handlers.registry import QUESTION_HOOKS, action
from handlers.understanding import (
    accents,
    courtesy,
    english_twin,
    followup,
    preamble,
    scope,
    short_forms,
    spelling,
)
from handlers.understanding.kinds import all_cue_words
from handlers.understanding.lexicon import Lexicon, lexicon
from handlers.understanding.vocabulary import body_compounds, month_and_short_year, which_sign
from storage import conversation_context
from storage.models import Document, Organisation


def answer_question(ctx: Context) -> Reply:
    has_documents = ctx.session.exec(select(Document.id)).first() is not None
    # "… och från vilken §?" asks for a paragraph: said in words before a follow-up or a later part
    # has a day added after it (which would make "§ 24 nov" § 24).
    asked = which_sign(courtesy.question_of(ctx.message.text))
    if has_documents:
        lex = lexicon(ctx.session)
        asked = body_compounds(accents.accented(asked, lex.spellings, english=ctx.language == "en"), lex.hyphenated)
        if ctx.language != "en":
            in_scope = [ctx.organisation.id] if ctx.organisation and ctx.organisation.id else list(lex.meeting_dates)
            asked = month_and_short_year(asked, (d for org in in_scope for d in lex.meeting_dates.get(org, [])))
        asked = short_forms.written_out(spelling.corrected(asked, lex.words), lex.short_forms)
        asked = preamble.without_preamble(asked, lambda w: _read_word(w, lex))
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
    reply = _answered(ctx)
    if reply.answered or ctx.language != "en":
        return reply
    # An English question the English reading leaves unanswered, read once more as its Swedish twin
    # (handlers/understanding/english_twin.py); the reply stays in English (ctx.language).
    twin = english_twin.swedish_twin(ctx.message.text)
    # Only a twin that is Swedish throughout: a word the table left in English keeps a meaning the
    # Swedish reading would not weigh (the English reading already had its chance with it).
    if twin is None:
        return reply
    lex = lexicon(ctx.session)
    if not all(english_twin.swedish(w, lex.words, lex.name_words) for w in twin.untranslated):
        return reply
    # Only a fact read from the store: a quoted paragraph the twin's words happen to find is no
    # better a match than the English words found (those quotes stand on words, not on a reading).
    twinned, read = _read(dataclasses.replace(ctx, message=dataclasses.replace(ctx.message, text=twin.text)))
    if not twinned.answered or read is None or read.answered_by is None or read.answered_by.kind.quotes:
        return reply
    _remember(read)
    return twinned


def _read_word(word: str, lex: Lexicon) -> bool:
    """Whether the understanding reads a word: a short form, a name the store holds or a word of its
    documents (or a form or compound of one), or a cue of some kind of question (a cue's start, as
    cues match, within a short ending)."""
    folded = fold(word.lower())
    if len(word) >= 2 and word.isupper():
        return True  # a short form ("FK", "AU")
    if folded in lex.name_words or spelling.key(word) in lex.words:
        return True
    known = lex.stored_words
    if any(folded[:n] in known for n in range(5, len(folded))):
        return True  # an inflected name or a compound of one ("Kanslikostnaden", "verksamhetsplaneringsdagen")
    return any(folded == c or (len(c) >= 4 and folded.startswith(c) and len(folded) - len(c) <= 3)
               for c in all_cue_words())


def _answered(ctx: Context) -> Reply:
    reply, q = _read(ctx)
    if reply.answered and q is not None:
        _remember(q)
    return reply


def _read(ctx: Context) -> tuple[Reply, Question | None]:
    """The reply to a question and the question as read (None when it was not read: an unknown link)."""
    hint = ctx.message.organisation_hint
    if hint and ctx.organisation is None:
        return scope.unknown_link(ctx, hint), None
    ctx = _continued(ctx)
    q = Question(ctx, ctx.message.text)
    unknown = scope.unknown_named(ctx, q.text, q.lexicon)
    if unknown is not None:
        return unknown, None
    in_full = scope.named_in_full(ctx, q.text, q.lexicon)
    if in_full is not None and not {e.organisation_id for e in q.lexicon.organisations_named(
            Question(ctx, in_full[1]).words)} - {in_full[0].id}:
        # (A question that also names another förbund compares the two: it keeps both names.)
        organisation, rest = in_full
        ctx = dataclasses.replace(ctx, organisation=organisation, message=dataclasses.replace(ctx.message, text=rest))
        q = Question(ctx, rest)
    other = _other_organisation_named(q)
    if other is not None:
        return other, None
    reply = vetted(q)
    reply = in_two_parts(q, reply)
    return each_year(q, reply), q


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
