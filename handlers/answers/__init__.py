"""Answers to questions about grants, budgets, people, meetings, justering and decisions.

`answer_question` picks what the question is about from its words (Swedish or English),
then the topic's module finds the facts in the store and says where they come from. When
nothing in the store fits it says so; it never answers about something else instead.
"""

from __future__ import annotations

import dataclasses

from sqlmodel import select

from handlers.answers import budget, decisions, grants, meetings, protocols
from handlers.answers.core import Question
from handlers.context import Context
from handlers.messages import Reply
from handlers.registry import QUESTION_HOOKS, action
from storage.models import Document, Organisation


def answer_question(ctx: Context) -> Reply:
    for hook in QUESTION_HOOKS:
        hooked = hook(ctx)
        if hooked is not None:
            return hooked
    if ctx.session.exec(select(Document.id)).first() is None:
        return Reply(ctx.t("Inga handlingar är inlästa ännu, så jag kan inte svara. Ladda upp ett protokoll eller "
                           "en budget först.",
                           "No documents have been read in yet, so I cannot answer. Upload a protocol or a "
                           "budget first."), answered=False, language=ctx.language)
    q = Question(ctx, ctx.message.text)
    if protocols.is_anslag_question(q):
        return protocols.answer_anslag(q)
    reply: Reply | None
    if protocols.is_people_question(q):
        reply = protocols.answer_people(q)
        # "Vem justerar … och när ska det vara justerat?" asks two things: answer both.
        if reply.answered and protocols.is_justering_question(q) and q.has("när", "when", "senast", "deadline"):
            return merge(reply, protocols.answer_justering(q))
        return reply
    if protocols.is_justering_question(q):
        return protocols.answer_justering(q)
    if grants.is_grant_question(q):
        reply = grants.answer(q)
        if reply is not None:
            return reply
    if budget.is_budget_question(q):
        reply = budget.answer(q)
        if reply is not None:
            return reply
    if meetings.is_meeting_question(q):
        return meetings.answer(q)
    if decisions.is_decision_question(q):
        return decisions.answer(q)
    # No topic word: a grant or budget line named outright still gets its answer.
    named, score = grants.match_grant(q, grants.grants_in_scope(q))
    if named and score >= 0.8:
        return grants.answer(q) or decisions.answer(q)
    reply = budget.answer(q)
    if reply is not None:
        return reply
    return Reply(ctx.t("Jag förstod inte frågan. Skriv \"hjälp\" för exempel på vad du kan fråga.",
                       "I did not understand the question. Type \"help\" for examples."),
                 answered=False, language=ctx.language)


def merge(first: Reply, second: Reply) -> Reply:
    """Two answers to a two-part question, as one reply with both sources."""
    sources = list(first.sources) + [s for s in second.sources if s not in first.sources]
    return Reply(text=f"{first.text}\n{second.text}", answered=first.answered and second.answered,
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


@action("ask.suggestion")
def _ask_suggestion(ctx: Context, value: str) -> Reply:
    message = dataclasses.replace(ctx.message, text=value, action_id=None, action_value=None)
    q = dataclasses.replace(ctx, message=message)
    return answer_question(q)
