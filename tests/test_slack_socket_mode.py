"""Slack over Socket Mode (no public HTTPS endpoint), end to end through a websocket stand-in.

`boardbot serve` with SLACK_APP_TOKEN calls apps.connections.open with the app-level token,
connects to the websocket address it gets (on loopback, tests/slack_socket_standin.py), and
Bolt dispatches what arrives there: each envelope is acknowledged, and the answers go to the
Web API stand-in, as over HTTP: in the thread, once for a retried event, a slash command
through its response_url, a button, and an uploaded protocol read in.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.services import Services
from bot.slack.app import SLACK_ADAPTER_KEY, SlackAdapter
from bot.web import create_app
from storage.models import ConversationLink, Document, Organisation, Person
from storage.settings import Settings
from tests.slack_harness import ANNA, CHANNEL, TODAY, all_text, buttons, mention, message, new_ts
from tests.slack_socket_standin import SocketModeStandin

SAMPLE = Path(__file__).resolve().parents[1] / "bot" / "samples" / "norrvik_protokoll_2025-04-25.txt"
NORRVIK = "Samordningsförbundet Norrvik"


def event_callback(event: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    return {"token": "legacy", "team_id": "T0001", "api_app_id": "A0001", "type": "event_callback",
            "event": event, "event_id": event_id or f"Ev{new_ts().replace('.', '')}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": "T0001", "user_id": "UBOT", "is_bot": True}]}


@dataclass
class SocketBot:
    standin: SocketModeStandin
    adapter: SlackAdapter
    engine: Engine
    app: web.Application

    async def event(self, event: dict[str, Any], event_id: str | None = None, retry_attempt: int = 0) -> None:
        envelope = await self.standin.send("events_api", event_callback(event, event_id), retry_attempt=retry_attempt)
        await self.standin.wait_ack(envelope)

    async def settle(self) -> None:
        await self.adapter.drain()


@asynccontextmanager
async def socket_bot(engine: Engine) -> AsyncIterator[SocketBot]:
    standin = await SocketModeStandin().start()
    # No signing secret: over Socket Mode nothing arrives by HTTP, so nothing needs one.
    settings = Settings(_env_file=None, **{"SLACK_BOT_TOKEN": standin.token, "SLACK_APP_TOKEN": standin.app_token,
                                           "SLACK_SIGNING_SECRET": None, "BOARDBOT_SLACK_API_URL": standin.api_url})
    app = create_app(Services(engine=engine, settings=settings, clock=lambda: TODAY))
    runner = web.AppRunner(app)
    await runner.setup()  # connects on startup
    try:
        await standin.wait_connected()
        yield SocketBot(standin, app[SLACK_ADAPTER_KEY], engine, app)
    finally:
        await runner.cleanup()
        await standin.stop()


def add_norrvik(engine: Engine) -> int:
    with Session(engine) as session:
        org = Organisation(name=NORRVIK)
        session.add(org)
        session.flush()
        assert org.id is not None
        session.add(Person(organisation_id=org.id, name="Anna Andersson", slack_user_id=ANNA, is_admin=True))
        session.commit()
        return org.id


async def test_connects_with_the_app_token_and_nothing_listens_over_http(sqlite_engine: Engine) -> None:
    async with socket_bot(sqlite_engine) as bot:
        [opened] = bot.standin.calls_to("apps.connections.open")
        assert opened.token == bot.standin.app_token and opened.result["ok"] is True
        # Nothing arrives over HTTP, so POST /slack/events is not even there.
        assert "/slack/events" not in {r.resource.canonical for r in bot.app.router.routes() if r.resource}
        assert bot.adapter.services.settings.slack_signing_secret is None


async def test_mention_is_acknowledged_and_answered_once_in_its_thread_even_when_retried(
        sqlite_engine: Engine) -> None:
    async with socket_bot(sqlite_engine) as bot:
        ts = new_ts()
        event = mention("hjälp", ts=ts)
        await bot.event(event, event_id="Ev0SOCKET")
        # Slack sends the same event again when an ack is late: a new envelope, retry_attempt 1.
        await bot.event(event, event_id="Ev0SOCKET", retry_attempt=1)
        await bot.settle()
        [post] = bot.standin.calls_to("chat.postMessage")
        assert post.args["channel"] == CHANNEL and post.args["thread_ts"] == ts
        assert "Du kan fråga mig om beslut" in post.args["text"]
        assert post.token == bot.standin.token


async def test_slash_command_is_acked_then_answered_through_its_response_url(sqlite_engine: Engine) -> None:
    async with socket_bot(sqlite_engine) as bot:
        envelope = await bot.standin.send("slash_commands", {
            "token": "legacy", "team_id": "T0001", "team_domain": "board", "channel_id": CHANNEL,
            "channel_name": "styrelsen", "user_id": ANNA, "user_name": "anna", "command": "/styrelse",
            "text": "hjälp", "api_app_id": "A0001", "trigger_id": "1.2.3",
            "response_url": bot.standin.response_url("cmd-socket")})
        ack = await bot.standin.wait_ack(envelope)
        assert ack["envelope_id"] == envelope
        [answer] = await bot.standin.wait_for("response_url", 1)
        assert answer.args["response_type"] == "in_channel"
        assert "Du kan fråga mig" in all_text(answer.args)


async def test_button_click_over_the_socket_links_the_channel(sqlite_engine: Engine) -> None:
    with Session(sqlite_engine) as session:
        for name in ("Samordningsförbundet i Jämtlands län", "Samordningsförbundet Västernorrland"):
            session.add(Organisation(name=name))
        session.commit()
    async with socket_bot(sqlite_engine) as bot:
        root = new_ts()
        await bot.event(mention("koppla samordningsförbundet", ts=root))
        await bot.settle()
        [choices] = bot.standin.calls_to("chat.postMessage")
        second = buttons(choices.args)[1]
        envelope = await bot.standin.send("interactive", {
            "type": "block_actions", "api_app_id": "A0001", "token": "legacy", "trigger_id": "1.2.3",
            "user": {"id": ANNA, "username": "anna", "team_id": "T0001"}, "team": {"id": "T0001", "domain": "board"},
            "container": {"type": "message", "message_ts": choices.result["ts"], "channel_id": CHANNEL,
                          "is_ephemeral": False, "thread_ts": root},
            "channel": {"id": CHANNEL, "name": "styrelsen"},
            "message": {"type": "message", "ts": choices.result["ts"], "thread_ts": root, "user": "UBOT",
                        "bot_id": "BBOT", "text": "…"},
            "response_url": bot.standin.response_url("act-socket"),
            "actions": [{**second, "block_id": "b1", "action_ts": str(time.time())}]})
        await bot.standin.wait_ack(envelope)
        await bot.settle()
        reply = bot.standin.calls_to("chat.postMessage")[1].args
        assert reply["thread_ts"] == root and "kopplad till Samordningsförbundet Västernorrland" in reply["text"]
        with Session(sqlite_engine) as session:
            link = session.exec(select(ConversationLink)).one()
            org = session.get(Organisation, link.organisation_id)
            assert org is not None and org.name == "Samordningsförbundet Västernorrland"


async def test_uploaded_protocol_is_read_in_over_the_socket(sqlite_engine: Engine) -> None:
    org_id = add_norrvik(sqlite_engine)
    with Session(sqlite_engine) as session:
        session.add(ConversationLink(platform="slack", conversation_id=CHANNEL, organisation_id=org_id))
        session.commit()
    async with socket_bot(sqlite_engine) as bot:
        ts = new_ts()
        file = bot.standin.add_file("F0SOCK", "protokoll.txt", SAMPLE.read_bytes(), user=ANNA, channel=CHANNEL,
                                    ts=ts)
        await bot.event(message("Protokollet från april", ts=ts, subtype="file_share", files=[file]))
        await bot.event({"type": "file_shared", "file_id": "F0SOCK", "user_id": ANNA, "channel_id": CHANNEL,
                         "file": {"id": "F0SOCK"}, "event_ts": ts})
        await bot.settle()
        [download] = bot.standin.calls_to("download")
        assert download.token == bot.standin.token
        [result] = bot.standin.calls_to("chat.update")
        assert "protokoll.txt: inläst" in result.args["text"] and "2025-04-25" in result.args["text"]
        with Session(sqlite_engine) as session:
            assert session.exec(select(Document)).one().organisation_id == org_id
