"""The console: ask one question, chat line by line, or run an evaluation file."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from sqlalchemy.engine import Engine

from bot.evaluation import EvalOutcome, load_items, normalise, run_items, write_report
from handlers.assistant import Assistant
from handlers.messages import Message, Reply

__all__ = ["ask", "chat", "eval_asker", "normalise", "render_plain", "run_eval"]


def render_plain(reply: Reply) -> str:
    """A Reply as the console shows it: answer, facts, sources, buttons as numbered choices."""
    lines = [reply.full_text()]
    for i, action in enumerate(reply.actions, 1):
        lines.append(f"  [{i}] {action.label}")
    if reply.image_path:
        lines.append(f"  ({reply.image_alt or 'bild'}: {reply.image_path})")
    return "\n".join(lines)


def ask(engine: Engine, text: str, org: str | None = None, as_of: dt.date | None = None) -> Reply:
    message = Message(text=text, platform="console", user_id="console", as_of=as_of, organisation_hint=org)
    return Assistant(engine).handle(message)


def chat(engine: Engine, org: str | None, stdin: TextIO, stdout: TextIO, as_of: dt.date | None = None) -> None:
    """Line by line: each line a question, each answer printed; an empty line or EOF ends."""
    assistant = Assistant(engine)
    interactive = stdin.isatty()
    last: Reply | None = None
    if interactive:
        stdout.write("Ställ en fråga (eller 'hjälp'); tom rad avslutar.\n")
    while True:
        if interactive:
            stdout.write("> ")
            stdout.flush()
        line = stdin.readline()
        if not line:
            break
        text = line.strip()
        if not text:
            if interactive:
                break
            continue
        message = Message(text=text, platform="console", user_id="console", organisation_hint=org, as_of=as_of)
        # A number picks one of the previous answer's buttons, as a click would.
        if last is not None and text.isdigit() and 0 < int(text) <= len(last.actions):
            action = last.actions[int(text) - 1]
            message = Message(text="", platform="console", user_id="console", organisation_hint=org, as_of=as_of,
                              action_id=action.action_id, action_value=action.value)
        elif not interactive:
            stdout.write(f"> {text}\n")
        last = assistant.handle(message)
        stdout.write(render_plain(last) + "\n\n")
        stdout.flush()


def eval_asker(engine: Engine) -> Callable[[str, str | None, dt.date | None], Reply]:
    """Asks eval questions one by one, each in a conversation of its own so that no question
    is read as a follow-up of the one before."""
    assistant = Assistant(engine)
    counter = iter(range(1, 1_000_000))

    def asker(text: str, org: str | None, as_of: dt.date | None) -> Reply:
        message = Message(text=text, platform="console", user_id="console", as_of=as_of,
                          organisation_hint=org, conversation_id=f"eval-{next(counter)}")
        return assistant.handle(message)

    return asker


def run_eval(engine: Engine, path: Path, out: TextIO = sys.stdout, *, details: bool = True,
             every: bool = False) -> list[EvalOutcome]:
    """Ask every question of an eval file and print the graded report (see bot.evaluation)."""
    outcomes = run_items(load_items(path), eval_asker(engine))
    write_report(outcomes, out, details=details, every=every)
    return outcomes
