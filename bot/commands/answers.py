"""`boardbot ask`, `boardbot eval` and `boardbot chat`: the answers from the console."""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

import typer

from storage.db import get_engine, open_engine

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "samples"
# The sample förbund's documents are from spring 2025: the demo asks "today" as of then, so
# "nästa möte" finds the next meeting of its plan rather than nothing.
DEMO_TODAY = dt.date(2025, 5, 10)


def demo_engine() -> tuple[object, Path]:
    """A fresh SQLite store in a temporary folder, filled from the bundled sample förbund."""
    from storage.ingest.load import ingest_path

    folder = Path(tempfile.mkdtemp(prefix="boardbot-demo-"))
    engine = open_engine(f"sqlite:///{folder / 'demo.db'}")
    for path in sorted(SAMPLES_DIR.glob("norrvik_*.txt")):
        result = ingest_path(engine, path)
        if not result.ok:
            print(result.summary("sv"), file=sys.stderr)
    return engine, folder


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
        demo: bool = typer.Option(False, "--demo", help="Use a fresh store filled from the bundled sample förbund."),
        org: str | None = typer.Option(None, "--org", help="Link the chat to the förbund whose name contains TEXT."),
        as_of: str | None = typer.Option(None, "--as-of", help="Answer as if asked on this date (YYYY-MM-DD)."),
    ) -> None:
        """Chat in the console; without a terminal it answers stdin line by line."""
        from bot.console import chat

        day = _parse_day(as_of)
        if demo:
            engine, folder = demo_engine()
            day = day or DEMO_TODAY
            print(f"Demo: det påhittade Samordningsförbundet Norrvik, frågor ställda {day.isoformat()} "
                  f"(databas i {folder}).", file=sys.stderr)
            if sys.stdin.isatty():
                questions = (SAMPLES_DIR / "demo_questions.txt").read_text(encoding="utf-8").splitlines()
                print("Prova till exempel:\n" + "\n".join(f"  {q}" for q in questions if q.strip()))
            chat(engine, org, sys.stdin, sys.stdout, as_of=day)  # type: ignore[arg-type]
            return
        chat(get_engine(), org, sys.stdin, sys.stdout, as_of=day)


def _parse_day(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"--as-of must be a date like 2024-03-01, not {value!r}") from None
