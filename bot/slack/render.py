"""Reply -> Block Kit: the answer as sections, its facts as fields, its sources as a context
block and its actions as buttons, with the plain `text` always set for notifications and
screen readers. Slack's limits (3 000 characters a section, 10 fields, 25 buttons, 50 blocks)
are kept here, so no reply can be refused by Slack for its size.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from bot.autolinks import break_autolinks
from handlers.home import HomeSection
from handlers.messages import Mention, Reply

SECTION_CHARS = 3000
FIELD_CHARS = 2000
MAX_FIELDS = 10
MAX_BUTTONS = 25
MAX_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
TEXT_CHARS = 39_000
BUTTON_LABEL_CHARS = 75
# A button's action_id is the handler's id plus "#n" when one reply repeats it (Slack wants them
# unique within a message); the suffix is dropped again when the click comes back.
_ACTION_SUFFIX = re.compile(r"#\d+$")
# "@channel", "@here", "@everyone" typed as words: inert unless a message sets link_names, but a
# word joiner after the "@" keeps them inert whatever a later change sets.
_BROADCAST_WORD = re.compile(r"@(?=(?:channel|here|everyone)\b)", re.IGNORECASE)


def escape(text: str) -> str:
    """Text typed by a person or read from a document, made inert for mrkdwn.

    & < > are Slack's control characters: escaped, no `<!channel>`, `<!here>`, `<@U…>`,
    `<#C…>` or disguised `<https://…|label>` can form; bare addresses are broken up
    (bot/autolinks.py) since Slack would link them anyway. The bot's own mentions are added after
    escaping (`with_mentions`), so they alone stay live.
    """
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return break_autolinks(_BROADCAST_WORD.sub("@\u2060", text))


def mrkdwn(text: str) -> dict[str, Any]:
    """A mrkdwn text object Slack draws as given: `verbatim` stops Slack from turning what it
    takes for addresses or channel names into links on its own."""
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def mention_token(mention: Mention) -> str:
    return f"<@{mention.slack_user_id}>" if mention.slack_user_id else escape(mention.name)


def with_mentions(text: str, mentions: list[Mention]) -> str:
    """Escaped text in which each mentioned name becomes a Slack mention; names the text does not
    contain are mentioned on a line of their own, so nobody who should be pinged is missed."""
    out = escape(text)
    missing: list[str] = []
    for mention in mentions:
        name = escape(mention.name)
        pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)") if name else None
        if pattern is not None and pattern.search(out):
            out = pattern.sub(mention_token(mention).replace("\\", "\\\\"), out)
        elif mention.slack_user_id:
            missing.append(mention_token(mention))
    if missing:
        out += "\n" + " ".join(missing)
    return out


def _chunks(text: str, limit: int) -> list[str]:
    """Splits on line breaks (a line longer than the limit is cut) into pieces of at most `limit`."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current or not chunks:
        chunks.append(current)
    return chunks


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def source_labels(reply: Reply) -> list[str]:
    labels: list[str] = []
    for source in reply.sources:
        label = source.label()
        if label not in labels:
            labels.append(label)
    return labels


def _sources_block(reply: Reply) -> dict[str, Any] | None:
    labels = source_labels(reply)
    if not labels:
        return None
    english = reply.language == "en"
    head = ("Sources" if english else "Källor") if len(labels) > 1 else ("Source" if english else "Källa")
    text = f"*{head}:* " + "; ".join(escape(label) for label in labels)
    return {"type": "context", "elements": [mrkdwn(_truncate(text, SECTION_CHARS))]}


def _fact_blocks(reply: Reply) -> list[dict[str, Any]]:
    blocks = []
    for start in range(0, len(reply.facts), MAX_FIELDS):
        fields = [
            mrkdwn(_truncate(f"*{escape(label)}*\n{escape(value)}", FIELD_CHARS))
            for label, value in reply.facts[start:start + MAX_FIELDS]
        ]
        blocks.append({"type": "section", "fields": fields})
    return blocks


def unique_action_ids(action_ids: list[str]) -> list[str]:
    counts = Counter(action_ids)
    seen: Counter[str] = Counter()
    out = []
    for action_id in action_ids:
        if counts[action_id] > 1:
            seen[action_id] += 1
            out.append(f"{action_id}#{seen[action_id]}")
        else:
            out.append(action_id)
    return out


def handler_action_id(slack_action_id: str) -> str:
    """The registry's action id behind a button's (possibly suffixed) Slack action_id."""
    return _ACTION_SUFFIX.sub("", slack_action_id)


def _actions_block(reply: Reply) -> dict[str, Any] | None:
    actions = reply.actions[:MAX_BUTTONS]
    if not actions:
        return None
    elements = []
    for action, action_id in zip(actions, unique_action_ids([a.action_id for a in actions]), strict=True):
        button: dict[str, Any] = {
            "type": "button",
            "text": {"type": "plain_text", "text": _truncate(action.label, BUTTON_LABEL_CHARS), "emoji": True},
            "action_id": action_id[:255],
            "value": action.value[:2000],
        }
        if action.style in ("primary", "danger"):
            button["style"] = action.style
        elements.append(button)
    return {"type": "actions", "elements": elements}


def render_text(reply: Reply) -> str:
    """The plain `text` of a message: the answer with its sources, mentions live."""
    return _truncate(with_mentions(reply.full_text(), reply.mentions), TEXT_CHARS)


def render_reply(reply: Reply) -> dict[str, Any]:
    """Keyword arguments for chat.postMessage / chat.update / chat.postEphemeral: text and blocks."""
    body = with_mentions(reply.text, reply.mentions)
    tail = [b for b in (_sources_block(reply), _actions_block(reply)) if b is not None]
    facts = _fact_blocks(reply)
    room = MAX_BLOCKS - len(tail) - len(facts)
    sections = [{"type": "section", "text": mrkdwn(chunk)}
                for chunk in _chunks(body, SECTION_CHARS) if chunk.strip()]
    if len(sections) > room:
        sections = [*sections[: room - 1], {"type": "section", "text": mrkdwn("…")}]
    blocks = sections + facts + tail
    # No previews either: an unfurl would fetch an address named in a document or a question.
    return {"text": render_text(reply) or "…", "blocks": blocks, "unfurl_links": False, "unfurl_media": False}


def render_home(sections: list[HomeSection], title: str = "Styrelsen") -> dict[str, Any]:
    """An App Home view (views.publish) from platform-neutral sections."""
    blocks: list[dict[str, Any]] = [{"type": "header", "text": {"type": "plain_text", "text": title}}]
    for section in sections:
        blocks.append({"type": "section", "text": mrkdwn(f"*{escape(section.title)}*")})
        if not section.items and section.empty_text:
            blocks.append({"type": "context", "elements": [mrkdwn(escape(section.empty_text))]})
        for item in section.items:
            blocks.append({"type": "section",
                           "text": mrkdwn(_truncate(escape(item.text), SECTION_CHARS))})
            if item.source is not None:
                blocks.append({"type": "context", "elements": [
                    mrkdwn(_truncate("Källa: " + escape(item.source.label()), SECTION_CHARS))
                ]})
        blocks.append({"type": "divider"})
    if len(blocks) > MAX_VIEW_BLOCKS:
        blocks = blocks[:MAX_VIEW_BLOCKS]
    return {"type": "home", "blocks": blocks}
