"""The console: ask one question, chat line by line, or run an evaluation file."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import json
import re
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import yaml
from sqlalchemy.engine import Engine

from handlers.assistant import Assistant
from handlers.messages import Message, Reply


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


_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The eval format's matching rules: case folded, spaces unified, digit groups joined."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = "".join(" " if unicodedata.category(ch) == "Zs" or ch in "\t\n\r" else ch for ch in text)
    text = _SPACES.sub(" ", text)
    text = re.sub(r"(?<=\d) (?=\d)", "", text)
    return text.replace("§ ", "§")


def fragment_passes(fragment: Any, answer: str) -> bool:
    if isinstance(fragment, list):
        return any(fragment_passes(f, answer) for f in fragment)
    return normalise(str(fragment)) in answer


@dataclass
class EvalOutcome:
    id: str
    passed: bool
    reply: Reply
    missing: list[Any]


def run_eval(engine: Engine, path: Path, out: TextIO = sys.stdout) -> list[EvalOutcome]:
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    outcomes: list[EvalOutcome] = []
    for item in items:
        as_of = dt.date.fromisoformat(str(item["as_of"])) if item.get("as_of") else None
        reply = ask(engine, item["ask"], org=item.get("org"), as_of=as_of)
        answer = normalise(reply.full_text())
        if item.get("unanswered"):
            missing: list[Any] = [] if not reply.answered else ["(should be unanswered)"]
        else:
            missing = [f for f in item.get("expect", []) if not fragment_passes(f, answer)]
            if not reply.answered:
                missing.append("(reported as not answered)")
        outcome = EvalOutcome(str(item.get("id")), not missing, reply, missing)
        outcomes.append(outcome)
        status = "PASS" if outcome.passed else "FAIL"
        out.write(f"{status} {outcome.id}: {item['ask']}\n")
        if not outcome.passed:
            out.write(f"     missing {json.dumps(missing, ensure_ascii=False)}\n")
            out.write("     got: " + reply.full_text().replace("\n", "\n          ") + "\n")
    passed = sum(o.passed for o in outcomes)
    out.write(f"{passed} passed, {len(outcomes) - passed} failed\n")
    return outcomes
