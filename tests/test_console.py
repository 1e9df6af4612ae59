"""The console chat: kept until exit, greetings and thanks answered in the language used."""

from __future__ import annotations

import io

from sqlalchemy.engine import Engine

from bot.console import chat
from handlers.small_talk import small_talk


def test_session_lasts_until_exit_and_small_talk_is_answered(sqlite_engine: Engine) -> None:
    out = io.StringIO()
    chat(sqlite_engine, None, io.StringIO("Hello!\n\n\ntack!\nthanks a lot\nexit\nhej\n"), out)
    text = out.getvalue()
    assert "Hello! Ask me about" in text
    assert "Varsågod!" in text and "You're welcome!" in text
    assert "> hej" not in text  # nothing after exit
    # A greeting in front of a question is the question.
    assert small_talk("hej, när är nästa möte?") is None
    assert small_talk("Tack så mycket!") == ("thanks", "sv")
    assert small_talk("God morgon Styrelseassistenten") == ("greeting", "sv")
