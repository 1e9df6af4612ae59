"""Text typed by people or read from documents never becomes a live mention, broadcast or link.

Attacks through the real endpoints and the platform stand-ins, on SQLite and PostgreSQL: a
change request typed in a justering thread (Slack and Teams), and a meeting place read from a
document that a reminder and an answer repeat. What the platforms receive holds the text, made
inert; the bot's own mentions of the signers it looked up stay live.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.slack.notifier import SlackNotifier
from scheduler.outbox import Dispatcher
from storage.models import Meeting
from tests.justering_board import Clock, make_board, set_person
from tests.reminder_helpers import SimClock, local, seed_store
from tests.slack_harness import all_text, bot_settings, mention, message, new_ts, running_bot
from tests.slack_standin import SlackStandin
from tests.test_justering_teams import NIKLAS as TEAMS_NIKLAS
from tests.test_justering_teams import ULRIKA_CHAT, board_in_teams, in_thread, to_chat

ULRIKA, NIKLAS = "U0ULRIKA", "U0NIKLAS"
NOW = dt.datetime(2023, 11, 27, 9, 0, tzinfo=dt.UTC)
# Anything Slack would turn into a ping, a broadcast, a channel link or a (disguised) link.
SLACK_LIVE = re.compile(r"<(?:[@#!]|(?:https?|mailto):)[^<>]*>")
# Bare addresses, which the clients link by themselves.
BARE = "https://evil.example/x www.evil-kommun.se kansli@evil.se"
SLACK_HOSTILE = f"<!channel> <!here|here> <@U0LARS> <https://evil.example/login|Läs protokollet> @everyone {BARE}"
TEAMS_HOSTILE = f"[Läs protokollet](https://evil.example/login) <at>Lars Kempe</at> <https://evil.example> {BARE}"
# What a client would take for an address: a scheme, or a host name ending in a top-level domain.
ADDRESS = re.compile(r"(?i)\b(?:https?|ftp)://|\bmailto:(?!\u200b)|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:example|se|com)\b")


def live_slack_tokens(text: str) -> set[str]:
    return set(SLACK_LIVE.findall(text)) | set(ADDRESS.findall(text))


def assert_drawn_verbatim(payload: dict[str, Any]) -> None:
    """Every mrkdwn text object is drawn as given, and nothing is previewed."""
    objects: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "mrkdwn":
                objects.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(payload.get("blocks") or [])
    assert objects and all(o.get("verbatim") is True for o in objects), objects
    assert payload.get("unfurl_links") is False and payload.get("unfurl_media") is False


async def test_a_change_request_typed_in_slack_pings_nobody_and_links_nowhere(engine: Engine) -> None:
    board = make_board(engine)
    set_person(engine, board.people["Ulrika"], is_admin=True)
    async with running_bot(engine, clock=Clock(NOW)) as bot:
        assert (await bot.command("justera 2023-11-24", user=ULRIKA)).status == 200
        [root] = await bot.standin.wait_for("chat.postMessage", 1)
        await bot.settle()
        root_ts = str(root.result["ts"])
        # As Slack delivers what Niklas typed: his "<" and ">" arrive as entities, the rest as tokens.
        typed = "Begär ändring: &lt;!channel&gt; " + SLACK_HOSTILE
        assert await bot.event(message(typed, user=NIKLAS, thread_ts=root_ts)) == 200
        await bot.settle()
        posts = bot.standin.posts()

    answer = next(p for p in posts if p["_method"] == "chat.postMessage" and p.get("thread_ts") == root_ts)
    update = next(p for p in posts if p["_method"] == "chat.update" and p.get("ts") == root_ts)
    dm = next(p for p in posts if p["_method"] == "chat.postMessage" and p.get("channel") == ULRIKA)
    for post in (answer, update, dm):
        text = all_text(post)
        assert "&lt;!channel&gt;" in text, text  # the words are there, inert
        assert not live_slack_tokens(text) - {f"<@{NIKLAS}>", "<@U0MONICA>"}, text
        assert "<!channel>" not in text and "<https://evil" not in text and "<@U0LARS>" not in text
        assert "@everyone" not in text  # a word joiner after the @
    # The bot's own mention of the signer who asked stays a mention.
    assert f"<@{NIKLAS}>" in update["text"]


async def test_a_meeting_place_from_a_document_reaches_slack_inert_in_reminders_and_answers(
        engine: Engine) -> None:
    seeded = seed_store(engine, personal=False)
    with Session(engine) as session:
        meeting = session.get(Meeting, seeded.meeting_ids[dt.date(2024, 2, 2)])
        assert meeting is not None
        meeting.place = "Timrå " + SLACK_HOSTILE
        session.add(meeting)
        session.commit()
    standin = await SlackStandin().start()
    try:
        clock = SimClock(local(2024, 1, 26, 9, 0))  # the 7-day reminder of 2 February is due
        notifier = SlackNotifier(bot_settings(standin))
        result = await Dispatcher(engine, notifier, clock=clock).run_once()
        assert result.sent == 1
        [reminder] = standin.calls_to("chat.postMessage")
        assert "Timrå &lt;!channel&gt;" in reminder.args["text"]
        assert not live_slack_tokens(reminder.args["text"]), reminder.args["text"]
        assert "evil-kommun" in reminder.args["text"]  # the words are there, unlinkable
        assert_drawn_verbatim(reminder.args)

        async with running_bot(engine, standin, clock=lambda: local(2024, 1, 26, 9, 0)) as bot:
            ts = new_ts()
            assert await bot.event(mention("när är nästa möte?", user="U0MON", channel="C0BOARD", ts=ts)) == 200
            await bot.settle()
            [answer] = [c.args for c in standin.calls_to("chat.postMessage") if c.args.get("thread_ts") == ts]
        assert "Timrå" in all_text(answer)
        assert not live_slack_tokens(all_text(answer)), all_text(answer)
        assert_drawn_verbatim(answer)
    finally:
        await standin.stop()


def _teams_texts(body: dict[str, Any]) -> tuple[str, list[str]]:
    """Everything Teams draws as Markdown in an activity (text, TextBlocks, facts) and the
    texts of its mention entities."""
    parts = [str(body.get("text") or "")]
    entities: list[str] = []
    for attachment in body.get("attachments") or []:
        card = attachment.get("content") or {}
        for block in card.get("body") or []:
            if block.get("type") == "TextBlock":
                parts.append(block["text"])
            for fact in block.get("facts") or []:
                parts += [fact["title"], fact["value"]]
        entities += [e["text"] for e in (card.get("msteams") or {}).get("entities") or []]
    return "\n".join(parts), entities


def assert_inert_in_teams(body: dict[str, Any]) -> None:
    text, entities = _teams_texts(body)
    # The one link allowed: the bot's own, to the protocol version it serves.
    links = re.findall(r"\[[^\]]*\]\((?!http://localhost:\d+/files/)[^)]*\)", text)
    assert not links, f"live Markdown link in {text!r}"
    assert "<https://" not in text and "](https://evil" not in text
    own = re.sub(r"\(http://localhost:\d+/files/[^)]*\)", "", text)
    assert not ADDRESS.search(own), f"an address a client would link in {own!r}"
    tags = re.findall(r"<at>.*?</at>", text)
    assert all(tag in entities for tag in tags), f"a mention nobody chose: {tags} vs {entities}"
    assert "<at>Lars Kempe</at>" not in text


async def test_a_change_request_typed_in_teams_shows_no_live_link_or_mention(engine: Engine) -> None:
    async with board_in_teams(engine) as teams:
        root = await teams.start()
        assert (await teams.reply(root, f"Begär ändring: {TEAMS_HOSTILE}", TEAMS_NIKLAS)).status == 201
        await asyncio.sleep(0)
        [answer] = in_thread(teams.standin, root)
        [update] = teams.standin.updates()
        [told] = to_chat(teams.standin, ULRIKA_CHAT)
    for call in (answer, update, told):
        assert_inert_in_teams(call.body)
        assert "Läs protokollet" in _teams_texts(call.body)[0]  # the words are there
