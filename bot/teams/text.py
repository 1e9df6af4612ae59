"""Text typed by a person or read from a document, made inert for Teams.

Teams draws message text and Adaptive Card TextBlocks (and FactSet values) as Markdown with
some HTML: `[label](https://…)` is a link whose target the label hides, `<at>Name</at>` can
become a mention when an entity of the card matches it, `<https://…>` and `<a href=…>` are
links. Backslash escapes are not honoured alike by every Teams client (mobile shows the
backslashes), so the joints these patterns need are broken with an invisible zero-width
space instead: the text reads the same and no client can find a link, tag or mention in it.
Bare addresses, which Teams links by itself, are broken up too (bot/autolinks.py).
The bot's own mentions are written after escaping (bot/teams/cards.py), so they alone stay live.
"""

from __future__ import annotations

import re

from bot.autolinks import break_autolinks

_ZWSP = "\u200b"
# "](" of an inline link, "]:" of a reference definition, "<" of any tag or autolink.
_JOINTS = re.compile(r"(?<=\])(?=\s*[(:])|(?<=<)")


def escape(text: str) -> str:
    """`text` with no live link, tag or mention left in it."""
    return break_autolinks(_JOINTS.sub(_ZWSP, text))
