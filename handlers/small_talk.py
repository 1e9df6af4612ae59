"""Greetings and thanks: "hej", "tack!", "hello", "thanks" get a short reply in kind.

The words live in one table with their language, so "thanks" is answered in English even
though the language guess has nothing else to go on.
"""

from __future__ import annotations

import re

from handlers.context import Context
from handlers.messages import Reply
from handlers.registry import command

GREETINGS = {
    "hej": "sv", "hejsan": "sv", "hallå": "sv", "tjena": "sv", "tjenare": "sv", "god morgon": "sv",
    "god middag": "sv", "god kväll": "sv", "goddag": "sv",
    "hello": "en", "hi": "en", "hey": "en", "good morning": "en", "good afternoon": "en", "good evening": "en",
}
THANKS = {
    "tack": "sv", "tackar": "sv", "tack så mycket": "sv", "stort tack": "sv", "tusen tack": "sv",
    "tack ska du ha": "sv",
    "thanks": "en", "thank you": "en", "thanks a lot": "en", "thank you very much": "en", "cheers": "en",
}
# Words that may follow a greeting without making it a question ("hej boardbot!", "tack igen").
_FILLER = {"boardbot", "styrelsebot", "styrelseassistenten", "igen", "again", "du", "you", "där", "there",
           "alla", "all", "så", "mycket"}
_NOT_WORD = re.compile(r"[^\wåäöéü ]+")


def _words(text: str) -> list[str]:
    return _NOT_WORD.sub(" ", text.casefold()).split()


def small_talk(text: str) -> tuple[str, str] | None:
    """("greeting"|"thanks", language) when the whole message is one, else None."""
    words = _words(text)
    for table, kind in ((THANKS, "thanks"), (GREETINGS, "greeting")):
        for phrase, language in sorted(table.items(), key=lambda kv: -len(kv[0])):
            n = len(phrase.split())
            if words[:n] == phrase.split() and all(w in _FILLER for w in words[n:]):
                return kind, language
    return None


@command(*GREETINGS, *THANKS)
def small_talk_command(ctx: Context, rest: str) -> Reply:
    found = small_talk(ctx.message.text)
    if found is None:
        # "hej, när är nästa möte?" is a question with a greeting in front.
        from handlers.answers import answer_question

        return answer_question(ctx)
    kind, language = found
    if kind == "thanks":
        text = "Varsågod! Fråga gärna igen." if language == "sv" else "You're welcome! Ask again any time."
    else:
        text = ("Hej! Fråga mig om budget, insatser, beslut, möten eller justering, t.ex. ”När är nästa möte?”. "
                "Skriv ”hjälp” för fler exempel." if language == "sv" else
                "Hello! Ask me about budgets, grants, decisions, meetings or justering, e.g. “When is the next "
                "meeting?”. Type “help” for more examples.")
    return Reply(text, answered=True, language=language)
