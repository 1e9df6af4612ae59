"""`hjälp` / `help`: what can be asked, with examples drawn from what is in the store."""

from __future__ import annotations

import re

from sqlmodel import col, select

from handlers.context import Context
from handlers.messages import Action, Reply
from handlers.registry import COMMANDS, Command, command
from storage.models import BudgetFigure, Grant, Protocol
from storage.organisations import example_name


def _examples(ctx: Context) -> list[str]:
    """Questions about things the store really holds (the linked förbund's, if any)."""
    org_id = ctx.organisation.id if ctx.organisation is not None else None

    def scoped(query, model):  # type: ignore[no-untyped-def]
        return query.where(model.organisation_id == org_id) if org_id is not None else query

    session = ctx.session
    grant = session.exec(scoped(select(Grant).order_by(col(Grant.id).desc()), Grant)).first()
    figure = session.exec(scoped(select(BudgetFigure).where(BudgetFigure.kind == "budget")
                                 .order_by(col(BudgetFigure.year).desc(), col(BudgetFigure.id)), BudgetFigure)).first()
    protocol = session.exec(scoped(select(Protocol).order_by(col(Protocol.meeting_date).desc()), Protocol)).first()
    examples: list[str] = []
    if grant is not None:
        examples.append(ctx.t(f"Hur mycket har {grant.name} beviljats?", f"How much was granted to {grant.name}?"))
        examples.append(ctx.t(f"Vilka villkor gäller för {grant.name}?", f"What conditions apply to {grant.name}?"))
    if figure is not None:
        examples.append(ctx.t(f"Vad är budgeten för {figure.line} {figure.year}?",
                              f"What is the budget for {figure.line} {figure.year}?"))
    if protocol is not None:
        day = protocol.meeting_date.isoformat()
        examples.append(ctx.t(f"Vem justerar protokollet från {day}?", f"Who is the justerare for the {day} meeting?"))
        examples.append(ctx.t(f"Hur länge satt anslaget uppe för protokollet från {day}?",
                              f"How long was the notice up for the {day} minutes?"))
    examples.append(ctx.t("När är nästa styrelsemöte?", "When is the next board meeting?"))
    return examples


def _example_organisation(ctx: Context) -> str:
    """A förbund of the store to use in examples (its short name), never one that is not there."""
    return example_name(ctx.session, ctx.organisation) or "‹förbund›"


def _usage(cmd: Command, text: str) -> str:
    """The help line: the text as is when it starts with its command, else the command word of
    the help's language (the one its text mentions) in front."""
    lowered = text.casefold()
    if any(re.match(rf"{re.escape(w)}\b", lowered) for w in cmd.words):
        return text
    word = next((w for w in cmd.words if re.search(rf"\b{re.escape(w)}\b", lowered)), cmd.words[0])
    return f"{word}: {text}"


@command("hjälp", "help", "?", help_sv="visar den här hjälpen", help_en="shows this help")
def help_command(ctx: Context, rest: str) -> Reply:
    lines = [ctx.t("Du kan fråga mig om beslut, insatser, budget, möten och justering, till exempel:",
                   "You can ask me about decisions, grants, budgets, meetings and justering, for example:")]
    examples = _examples(ctx)
    lines += [f"• {q}" for q in examples]
    lines.append(ctx.t("Kommandon:", "Commands:"))
    org_name = _example_organisation(ctx)
    for cmd in COMMANDS:
        text = ctx.t(cmd.help_sv, cmd.help_en).replace("{org}", org_name)
        if text:
            lines.append(f"• {_usage(cmd, text)}")
    # The examples double as buttons: one click asks the question.
    actions = [Action(label=q[:70], action_id="ask.suggestion", value=q) for q in examples[:3]]
    return Reply("\n".join(lines), actions=actions, language=ctx.language)
