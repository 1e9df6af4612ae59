"""Chat commands and button actions, registered by the modules that implement them.

A command is the first word(s) of a message (`koppla`, `justera`, `möte` …); an action is a
button's action_id. The assistant looks here first and falls back to answering a question.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from handlers.context import Context
from handlers.messages import Reply

CommandFn = Callable[[Context, str], Reply]
ActionFn = Callable[[Context, str], Reply]


@dataclass(frozen=True)
class Command:
    words: tuple[str, ...]
    fn: CommandFn
    help_sv: str
    help_en: str


COMMANDS: list[Command] = []
ACTIONS: dict[str, ActionFn] = {}
# anchor prefix (before ":") -> fn(session, anchor_value, platform, channel_id, message_id)
AnchorFn = Callable[[Session, str, str, str, str], None]
ANCHORS: dict[str, AnchorFn] = {}
# Thread replies: fn(ctx) -> Reply | None; the first that returns a Reply wins (e.g. "justerat"
# typed in a justering thread). Tried before commands, only for messages in a thread.
ThreadFn = Callable[[Context], "Reply | None"]
THREAD_HANDLERS: list[ThreadFn] = []
# Question hooks: fn(ctx) -> Reply | None, tried by handlers.answers before its own answering,
# for questions another module owns (e.g. "Vem har inte justerat än?").
QuestionFn = Callable[[Context], "Reply | None"]
QUESTION_HOOKS: list[QuestionFn] = []


def command(*words: str, help_sv: str = "", help_en: str = "") -> Callable[[CommandFn], CommandFn]:
    """Registers `fn(ctx, rest_of_text)` for messages that start with one of `words`."""

    def wrap(fn: CommandFn) -> CommandFn:
        COMMANDS.append(Command(tuple(w.lower() for w in words), fn, help_sv, help_en))
        return fn

    return wrap


def action(action_id: str) -> Callable[[ActionFn], ActionFn]:
    """Registers `fn(ctx, value)` for a button with this action_id."""

    def wrap(fn: ActionFn) -> ActionFn:
        ACTIONS[action_id] = fn
        return fn

    return wrap


def anchor(prefix: str) -> Callable[[AnchorFn], AnchorFn]:
    def wrap(fn: AnchorFn) -> AnchorFn:
        ANCHORS[prefix] = fn
        return fn

    return wrap


def thread_handler(fn: ThreadFn) -> ThreadFn:
    THREAD_HANDLERS.append(fn)
    return fn


def question_hook(fn: QuestionFn) -> QuestionFn:
    QUESTION_HOOKS.append(fn)
    return fn


def match_command(text: str) -> tuple[Command, str] | None:
    """The command a text starts with (longest words first), and the rest of the text."""
    lowered = text.strip().lower()
    # "tack!", "hjälp?": a lone command word keeps its meaning with punctuation after it.
    bare = lowered.rstrip("!.?,;: ")
    best: tuple[Command, str] | None = None
    best_len = -1
    for cmd in COMMANDS:
        for word in cmd.words:
            if (lowered == word or bare == word or lowered.startswith(word + " ")) and len(word) > best_len:
                best = (cmd, text.strip()[len(word):].strip())
                best_len = len(word)
    return best
