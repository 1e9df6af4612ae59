"""Bare web and e-mail addresses in text a person typed or a document holds, made unclickable.

Slack and Teams clients turn `https://…`, `www.kommun.se`, `kommun.se/beslut` and `a@kommun.se`
into live links by themselves, whatever markup the message uses, so a document or a user could
put a link in the bot's mouth. A zero-width space after the scheme's colon and after every dot
of a host name leaves the text reading the same while no client finds an address in it. The
bot's own links (a served protocol, a chart) are written after this runs, so they alone stay live.
"""

from __future__ import annotations

import re

ZWSP = "\u200b"
# "https:" or "mailto:" of an address: the client sees no scheme once the colon is parted.
_SCHEME = re.compile(r"(?i)\b(https?|ftp|mailto|file|sip|tel|ssh|javascript|data):(?!\u200b)")
# A host: labels joined by dots ending in a label of letters (a top-level domain).
_HOST = re.compile(r"(?i)(?<![\w.])[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*"
                   r"\.[a-z]{2,63}\b")

# Endings of file names that no top-level domain shares: "protokoll.pdf" stays as it is.
FILE_ENDINGS = frozenset({"txt", "pdf", "docx", "doc", "odt", "rtf", "xlsx", "xls", "csv", "png", "jpg", "jpeg",
                          "tif", "tiff", "gif", "ics", "yaml", "yml", "json", "html"})


def _break_host(match: re.Match[str]) -> str:
    host = match.group(0)
    if host.rsplit(".", 1)[1].casefold() in FILE_ENDINGS:
        return host
    return host.replace(".", "." + ZWSP)


def break_autolinks(text: str) -> str:
    """`text` with no address left that a chat client would make a link of."""
    text = _SCHEME.sub(lambda m: m.group(1) + ":" + ZWSP, text)
    return _HOST.sub(_break_host, text)
