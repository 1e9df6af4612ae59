"""`hjälp` / `help`: what can be asked, with examples drawn from what is in the store."""

from __future__ import annotations

from handlers.context import Context
from handlers.messages import Reply
from handlers.registry import COMMANDS, command


@command("hjälp", "help", "?", help_sv="visar den här hjälpen", help_en="shows this help")
def help_command(ctx: Context, rest: str) -> Reply:
    lines = [ctx.t("Du kan fråga mig om beslut, insatser, budget, möten och justering.",
                   "You can ask me about decisions, grants, budgets, meetings and justering.")]
    for cmd in COMMANDS:
        text = ctx.t(cmd.help_sv, cmd.help_en)
        if text:
            lines.append(f"• {cmd.words[0]}: {text}")
    return Reply("\n".join(lines), language=ctx.language)
