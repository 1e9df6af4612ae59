"""The Slack test harness: requests signed as Slack signs them, POSTed to the real aiohttp app
(bot.web.create_app, as `boardbot serve` runs it) on 127.0.0.1, with every Web API call going to
the stand-in in tests/slack_standin.py. Shared by the Slack test files.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from slack_sdk.signature import SignatureVerifier
from sqlalchemy.engine import Engine

from bot.services import Services
from bot.slack.app import SLACK_ADAPTER_KEY, SlackAdapter
from bot.web import create_app
from storage.settings import Settings
from tests.slack_standin import SlackStandin

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
CHANNEL = "C0BOARD"
ANNA = "U0ANNA"
TODAY = dt.datetime(2024, 1, 10, 9, 0, tzinfo=dt.UTC)


def signed(body: str, *, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    ts = str(timestamp if timestamp is not None else int(time.time()))
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature}


_counter = iter(range(1, 1_000_000))


def new_ts() -> str:
    return f"{1_705_000_000 + next(_counter)}.{next(_counter):06d}"


@dataclass
class Bot:
    standin: SlackStandin
    adapter: SlackAdapter
    url: str
    engine: Engine
    http: aiohttp.ClientSession
    sent: list[float] = field(default_factory=list)

    async def post(self, body: str, content_type: str, headers: dict[str, str] | None = None,
                   sign: bool = True) -> aiohttp.ClientResponse:
        all_headers = {"Content-Type": content_type, **(signed(body) if sign else {}), **(headers or {})}
        started = time.monotonic()
        response = await self.http.post(f"{self.url}/slack/events", data=body.encode(), headers=all_headers)
        await response.read()
        self.sent.append(time.monotonic() - started)
        return response

    async def event(self, event: dict[str, Any], event_id: str | None = None,
                    headers: dict[str, str] | None = None, body: str | None = None) -> int:
        body = body or envelope(event, event_id)
        response = await self.post(body, "application/json", headers)
        return response.status

    async def command(self, text: str, user: str = ANNA, channel: str = CHANNEL) -> aiohttp.ClientResponse:
        body = urlencode({
            "token": "legacy", "team_id": "T0001", "team_domain": "board", "channel_id": channel,
            "channel_name": "styrelsen", "user_id": user, "user_name": user.lower(), "command": "/styrelse",
            "text": text, "api_app_id": "A0001", "trigger_id": "1.2.3",
            "response_url": self.standin.response_url(f"cmd-{new_ts()}"),
        })
        return await self.post(body, "application/x-www-form-urlencoded")

    async def click(self, button: dict[str, Any], *, user: str, channel: str, message_ts: str,
                    thread_ts: str | None = None, ephemeral: bool = False) -> int:
        """A button press; `ephemeral`: on a message only the clicker sees (Slack then sends no `message`)."""
        message: dict[str, Any] = {"type": "message", "ts": message_ts, "user": "UBOT", "bot_id": "BBOT",
                                   "text": "…"}
        if thread_ts:
            message["thread_ts"] = thread_ts
        payload: dict[str, Any] = {
            "type": "block_actions", "api_app_id": "A0001", "token": "legacy", "trigger_id": "1.2.3",
            "user": {"id": user, "username": user.lower(), "team_id": "T0001"},
            "team": {"id": "T0001", "domain": "board"},
            "container": {"type": "message", "message_ts": message_ts, "channel_id": channel,
                          "is_ephemeral": ephemeral, **({"thread_ts": thread_ts} if thread_ts else {})},
            "channel": {"id": channel, "name": "styrelsen"},
            "response_url": self.standin.response_url(f"act-{new_ts()}"),
            "actions": [{**button, "block_id": "b1", "action_ts": str(time.time())}],
        }
        if not ephemeral:
            payload["message"] = message
        response = await self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")
        return response.status

    async def settle(self) -> None:
        await self.adapter.drain()


def envelope(event: dict[str, Any], event_id: str | None = None) -> str:
    return json.dumps({
        "token": "legacy", "team_id": "T0001", "api_app_id": "A0001", "type": "event_callback",
        "event": event, "event_id": event_id or f"Ev{new_ts().replace('.', '')}",
        "event_time": int(time.time()),
        "authorizations": [{"enterprise_id": None, "team_id": "T0001", "user_id": "UBOT", "is_bot": True,
                            "is_enterprise_install": False}],
    })


def mention(text: str, *, user: str = ANNA, channel: str = CHANNEL, ts: str | None = None,
            thread_ts: str | None = None, **extra: Any) -> dict[str, Any]:
    event = {"type": "app_mention", "user": user, "text": f"<@UBOT> {text}", "channel": channel,
             "ts": ts or new_ts(), "event_ts": ts, **extra}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def message(text: str, *, user: str = ANNA, channel: str = CHANNEL, ts: str | None = None,
            thread_ts: str | None = None, channel_type: str = "channel", **extra: Any) -> dict[str, Any]:
    event = {"type": "message", "user": user, "text": text, "channel": channel, "ts": ts or new_ts(),
             "channel_type": channel_type, **extra}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def bot_settings(standin: SlackStandin, **values: Any) -> Settings:
    return Settings(_env_file=None, **{
        "SLACK_BOT_TOKEN": standin.token, "SLACK_SIGNING_SECRET": SECRET, "SLACK_APP_TOKEN": None,
        "BOARDBOT_SLACK_API_URL": standin.api_url, **values})


@asynccontextmanager
async def running_bot(engine: Engine, standin: SlackStandin | None = None,
                      clock: Callable[[], dt.datetime] = lambda: TODAY) -> AsyncIterator[Bot]:
    own_standin = standin is None
    standin = standin or await SlackStandin().start()
    services = Services(engine=engine, settings=bot_settings(standin), clock=clock)
    app = create_app(services)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server = site._server
    assert server is not None
    port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    http = aiohttp.ClientSession()
    try:
        yield Bot(standin, app[SLACK_ADAPTER_KEY], f"http://127.0.0.1:{port}", engine, http)
    finally:
        await http.close()
        await runner.cleanup()
        if own_standin:
            await standin.stop()


def all_text(call_args: dict[str, Any]) -> str:
    """What a person sees in a posted message: its text and every text in its blocks."""
    parts = [str(call_args.get("text") or "")]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    parts.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(call_args.get("blocks") or call_args.get("view") or [])
    return "\n".join(parts)


def buttons(call_args: dict[str, Any]) -> list[dict[str, Any]]:
    return next(b for b in call_args["blocks"] if b["type"] == "actions")["elements"]

