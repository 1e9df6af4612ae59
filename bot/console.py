"""The console: ask one question, chat line by line, or run an evaluation file."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

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


EXIT_WORDS = {"exit", "quit", "avsluta", "hej då", "hejdå"}
HISTORY_FILE = Path.home() / ".boardbot_history"


def _line_editing() -> Callable[[str], str]:
    """input() with readline's line editing and a history kept between sessions."""
    try:
        import readline
    except ImportError:  # Windows without pyreadline: plain input still works.
        return input
    with contextlib.suppress(OSError):
        readline.read_history_file(HISTORY_FILE)
    readline.set_history_length(500)
    atexit.register(_save_history, readline)
    return input


def _save_history(readline: Any) -> None:
    with contextlib.suppress(OSError):
        readline.write_history_file(HISTORY_FILE)


def chat(engine: Engine, org: str | None, stdin: TextIO, stdout: TextIO, as_of: dt.date | None = None,
         user_name: str | None = None) -> None:
    """Line by line until `exit`, `quit` or end of input (Ctrl-D); empty lines are skipped.

    At a terminal the line is read with readline (arrow keys, history); otherwise each line
    read is echoed after "> " so a transcript reads like the session.
    """
    assistant = Assistant(engine)
    interactive = stdin.isatty() and stdout.isatty() and stdin is sys.stdin and stdout is sys.stdout
    read = _line_editing() if interactive else None
    last: Reply | None = None
    if interactive:
        who = f" (du är {user_name})" if user_name else ""
        stdout.write(f"Ställ en fråga (eller 'hjälp'){who}; 'exit' eller Ctrl-D avslutar.\n")
    while True:
        if read is not None:
            try:
                line = read("> ")
            except EOFError:
                stdout.write("\n")
                break
        else:
            line = stdin.readline()
            if not line:
                break
        text = line.strip()
        if not text:
            continue
        if read is None:
            stdout.write(f"> {text}\n")
        if text.casefold().rstrip("!.") in EXIT_WORDS:
            break
        message = Message(text=text, platform="console", user_id="console", user_name=user_name,
                          organisation_hint=org, as_of=as_of)
        # A number picks one of the previous answer's buttons, as a click would.
        if last is not None and text.isdigit() and 0 < int(text) <= len(last.actions):
            action = last.actions[int(text) - 1]
            message = Message(text="", platform="console", user_id="console", user_name=user_name,
                              organisation_hint=org, as_of=as_of, action_id=action.action_id,
                              action_value=action.value)
        last = assistant.handle(message)
        stdout.write(render_plain(last) + "\n\n")
        stdout.flush()


def eval_asker(engine: Engine) -> Callable[[str, str | None, dt.date | None], Reply]:
    """Asks eval questions one by one, each in a conversation of its own so that no question
    is read as a follow-up of the one before."""
    assistant = Assistant(engine)
    counter = iter(range(1, 1_000_000))
    # Unique per run: conversation context is kept in the store, and a later run (or another
    # file) must not find an earlier run's question under the same conversation.
    run = uuid.uuid4().hex[:12]

    def asker(text: str, org: str | None, as_of: dt.date | None) -> Reply:
        message = Message(text=text, platform="console", user_id="console", as_of=as_of,
                          organisation_hint=org, conversation_id=f"eval-{run}-{next(counter)}")
        return assistant.handle(message)

    return asker


def run_eval(engine: Engine, path: Path, out: TextIO = sys.stdout, *, details: bool = True,
             every: bool = False) -> list[EvalOutcome]:
    """Ask every question of an eval file and print the graded report (see bot.evaluation)."""
    outcomes = run_items(load_items(path), eval_asker(engine))
    write_report(outcomes, out, details=details, every=every)
    return outcomes
