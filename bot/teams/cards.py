"""A Reply as Teams shows it: an Adaptive Card 1.5 with a plain-text fallback.

Teams splits an activity that has both `text` and a card into two posts (and then returns no
id for them), so the answer is not repeated in Activity.text: the plain text goes into the
card's `fallbackText` (clients that cannot draw the card) and Activity.summary (notification
and chat-list previews).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from botbuilder.schema import Activity, ActivityTypes, Attachment

from bot.teams.text import escape
from handlers.messages import Action, Mention, Reply

log = logging.getLogger(__name__)

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
CARD_VERSION = "1.5"
# publish(body, content_type, filename) -> an address Teams clients can fetch it from
# (bot.served.ServedFiles.publish): a Teams message holds about 28 KB, so a chart or a protocol
# travels as a link, never inline.
Publish = Callable[[bytes, str, str], str]
_STYLES = {"primary": "positive", "danger": "destructive"}


def source_line(reply: Reply) -> str | None:
    """"Källa: …" / "Sources: …", each source once, as Reply.full_text writes it."""
    if not reply.sources:
        return None
    return reply.full_text()[len(reply.text):].strip() or None


def fallback_text(reply: Reply) -> str:
    parts = [reply.full_text()]
    parts += [f"{label}: {value}" for label, value in reply.facts]
    if reply.mentions:
        parts.append(", ".join(m.name for m in reply.mentions))
    return "\n".join(parts)


def _text_blocks(text: str) -> list[dict[str, Any]]:
    # One block per line: a single "\n" inside a TextBlock is not a line break in every client.
    blocks: list[dict[str, Any]] = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        block: dict[str, Any] = {"type": "TextBlock", "text": escape(line), "wrap": True}
        if blocks:
            block["spacing"] = "Small"
        blocks.append(block)
    return blocks


def _mentions(mentions: list[Mention]) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """A TextBlock naming the people, and the entities that turn <at>name</at> into @mentions."""
    if not mentions:
        return None, []
    names: list[str] = []
    entities: list[dict[str, Any]] = []
    for mention in mentions:
        # The name is escaped; the <at> tag around it is the bot's own, and its entity's text
        # is the very same string, so this mention alone is live.
        name = escape(mention.name)
        if mention.teams_aad_id:
            tag = f"<at>{name}</at>"
            names.append(tag)
            entities.append({"type": "mention", "text": tag,
                             "mentioned": {"id": mention.teams_aad_id, "name": mention.name}})
        else:
            names.append(name)
    return {"type": "TextBlock", "text": ", ".join(names), "wrap": True}, entities


def _image(reply: Reply, publish: Publish | None) -> dict[str, Any] | None:
    if not reply.image_path or publish is None:
        return None
    path = Path(reply.image_path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        log.warning("Teams card: cannot read image %s: %s", path, exc)
        return None
    mime = "image/jpeg" if path.suffix.lower() in (".jpg", ".jpeg") else "image/png"
    return {"type": "Image", "url": publish(data, mime, path.name), "altText": reply.image_alt or "",
            "size": "Stretch"}


def _text_file_link(reply: Reply, publish: Publish | None) -> dict[str, Any] | None:
    """A link to the attached text (the exact protocol version) at its served address, titled
    with the version it is."""
    if reply.text_file is None or publish is None:
        return None
    file = reply.text_file
    url = publish(file.text.encode("utf-8"), "text/plain; charset=utf-8", file.filename)
    label = "Read the full text" if reply.language == "en" else "Läs hela texten"
    title = escape(file.title).replace("[", "(").replace("]", ")")  # brackets would end the label
    return {"type": "TextBlock", "text": f"[{label}: {title}]({url})", "wrap": True, "spacing": "Medium"}


def action_data(action: Action) -> dict[str, str]:
    return {"action_id": action.action_id, "value": action.value}


def _action(action: Action) -> dict[str, Any]:
    # Action.Execute (Universal Actions) where the client has it, Action.Submit where it has not:
    # the bot routes both to the same handler.
    submit: dict[str, Any] = {"type": "Action.Submit", "title": action.label, "data": action_data(action)}
    execute: dict[str, Any] = {"type": "Action.Execute", "title": action.label, "verb": action.action_id,
                               "data": action_data(action), "fallback": submit}
    style = _STYLES.get(action.style or "")
    if style:
        execute["style"] = style
        submit["style"] = style
    return execute


def reply_card(reply: Reply, publish: Publish | None = None) -> dict[str, Any]:
    body = _text_blocks(reply.text)
    mention_block, entities = _mentions(reply.mentions)
    if mention_block:
        body.append(mention_block)
    if reply.facts:
        body.append({"type": "FactSet", "facts": [{"title": escape(label), "value": escape(value)}
                                                  for label, value in reply.facts]})
    image = _image(reply, publish)
    if image:
        body.append(image)
    link = _text_file_link(reply, publish)
    if link:
        body.append(link)
    sources = source_line(reply)
    if sources:
        body.append({"type": "TextBlock", "text": escape(sources), "size": "Small", "isSubtle": True,
                     "wrap": True, "spacing": "Medium"})
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": CARD_VERSION,
        "fallbackText": escape(fallback_text(reply)),
        "body": body,
        "msteams": {"width": "Full"},
    }
    if reply.actions:
        card["actions"] = [_action(a) for a in reply.actions]
    if entities:
        card["msteams"]["entities"] = entities
    return card


def reply_activity(reply: Reply, publish: Publish | None = None) -> Activity:
    summary = escape(fallback_text(reply))
    return Activity(
        type=ActivityTypes.message,
        summary=summary if len(summary) <= 400 else summary[:399] + "…",
        attachments=[Attachment(content_type=ADAPTIVE_CARD, content=reply_card(reply, publish))],
        locale="en-US" if reply.language == "en" else "sv-SE",
    )
