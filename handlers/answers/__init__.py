"""Answers to questions about grants, budgets, people, meetings, justering and decisions."""

from __future__ import annotations

from handlers.context import Context
from handlers.messages import Reply


def answer_question(ctx: Context) -> Reply:
    return Reply(
        ctx.t("Det kan jag inte svara på ännu.", "I cannot answer that yet."),
        answered=False,
        language=ctx.language,
    )
