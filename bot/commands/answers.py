"""`boardbot ask`, `boardbot eval` and `boardbot chat`: the answers from the console."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import typer

from bot.demo import CHAT_INTRO, DEMO_ORG, DEMO_USER, activate, demo_active
from storage.db import get_engine


def register(app: typer.Typer) -> None:
    @app.command("ask")
    def ask_command(
        question: str = typer.Argument(..., help="The question, in Swedish or English."),
        org: str | None = typer.Option(None, "--org", help="Link the conversation to the förbund whose name "
                                       "contains TEXT."),
        as_of: str | None = typer.Option(None, "--as-of", help="The date the question is asked (YYYY-MM-DD)."),
        as_json: bool = typer.Option(False, "--json", help="Print {text, answered, sources} as JSON."),
    ) -> None:
        """Ask one question; the answer names its source."""
        from bot.console import ask, render_plain

        day = _parse_day(as_of)
        reply = ask(get_engine(), question, org=org, as_of=day)
        if as_json:
            typer.echo(json.dumps(reply.as_json(), ensure_ascii=False))
        else:
            typer.echo(render_plain(reply))

    @app.command("eval")
    def eval_command(
        file: Path = typer.Argument(..., exists=True, dir_okay=False, help="Questions in the eval YAML format."),
        answers: Path | None = typer.Option(None, "--answers", help="Write one JSON object per question here."),
        every: bool = typer.Option(False, "--every", help="Print every question, not only the misses."),
    ) -> None:
        """Ask every question of an eval file against the current store: prints each miss, a score
        per family, the answers given as answered but wrong, and `N passed, M failed`."""
        from bot.console import run_eval
        from bot.evaluation import EvalFileError, write_answers

        try:
            outcomes = run_eval(get_engine(), file, every=every)
        except EvalFileError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
        if answers is not None:
            write_answers(outcomes, answers)

    @app.command("chat")
    def chat_command(
        demo: bool = typer.Option(False, "--demo", help="Same as `boardbot --demo chat`: the demo store and date."),
        org: str | None = typer.Option(None, "--org", help="Link the chat to the förbund whose name contains TEXT."),
        as_of: str | None = typer.Option(None, "--as-of", help="Answer as if asked on this date (YYYY-MM-DD)."),
        as_name: str | None = typer.Option(None, "--as", help="Who you are (a name in the protocols), e.g. to "
                                           "sign a justering as that justerare; the demo's default is "
                                           f"{DEMO_USER}."),
    ) -> None:
        """Chat in the console; without a terminal it answers stdin line by line."""
        from bot.console import chat

        day = _parse_day(as_of)
        demo = demo or demo_active()
        if demo:
            path = activate()
            as_name = as_name or DEMO_USER
            # The demo chat is the demo förbund's conversation, so `möte …` and `justera …` know it.
            org = org or DEMO_ORG
            typer.echo(CHAT_INTRO.format(path=path, user=as_name), err=True)
        chat(get_engine(), org, sys.stdin, sys.stdout, as_of=day, user_name=as_name)


def _parse_day(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"--as-of must be a date like 2024-03-01, not {value!r}") from None
