"""Charts and the digest as each platform shows them: a PNG uploaded into the Slack thread
(files upload v2 against the Slack stand-in), an Image in the Teams card (botbuilder's
TestAdapter), a file path on the console."""

from __future__ import annotations

import datetime as dt
import io
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount
from PIL import Image
from slack_sdk.signature import SignatureVerifier
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.console import render_plain
from bot.services import Services
from bot.slack.app import SLACK_ADAPTER_KEY
from bot.teams.bot import BoardBot
from bot.teams.cards import ADAPTIVE_CARD
from bot.web import create_app
from handlers.assistant import Assistant
from handlers.chart_render import WIDTH_PX
from handlers.messages import Message
from storage.models import ConversationLink
from storage.settings import Settings
from tests.chart_store import ASKED, build
from tests.slack_standin import SlackStandin

SECRET = "chart-signing-secret-0123456789ab"
CHANNEL = "C0CHARTS"
NOW = dt.datetime.combine(ASKED, dt.time(9, 0), tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def chart_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BOARDBOT_CHART_DIR", str(tmp_path / "charts"))
    return tmp_path / "charts"


@pytest.fixture
def store(sqlite_engine: Engine) -> Engine:
    ids = build(sqlite_engine)
    with Session(sqlite_engine) as s:
        s.add(ConversationLink(platform="slack", conversation_id=CHANNEL, organisation_id=ids["fjall"]))
        s.commit()
    return sqlite_engine


@pytest.fixture
async def slack(store: Engine) -> AsyncIterator[tuple[SlackStandin, str, web.Application]]:
    standin = await SlackStandin().start()
    settings = Settings(_env_file=None, **{"SLACK_BOT_TOKEN": standin.token, "SLACK_SIGNING_SECRET": SECRET,
                                           "SLACK_APP_TOKEN": None, "BOARDBOT_SLACK_API_URL": standin.api_url})
    app = create_app(Services(engine=store, settings=settings, clock=lambda: NOW))
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    server = site._server
    assert server is not None
    port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield standin, f"http://127.0.0.1:{port}", app
    finally:
        await runner.cleanup()
        await standin.stop()


async def mention(url: str, text: str) -> None:
    ts = f"{int(time.time())}.000100"
    body = json.dumps({
        "token": "legacy", "team_id": "T0001", "api_app_id": "A0001", "type": "event_callback",
        "event": {"type": "app_mention", "user": "U0ANNA", "text": f"<@UBOT> {text}", "channel": CHANNEL,
                  "ts": ts, "event_ts": ts},
        "event_id": f"Ev{ts.replace('.', '')}", "event_time": int(time.time()),
        "authorizations": [{"team_id": "T0001", "user_id": "UBOT", "is_bot": True}],
    })
    stamp = str(int(time.time()))
    headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp,
               "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body)}
    async with aiohttp.ClientSession() as http, http.post(f"{url}/slack/events", data=body.encode(),
                                                          headers=headers) as response:
        assert response.status == 200


async def test_slack_uploads_the_chart_into_the_answers_thread(
        slack: tuple[SlackStandin, str, web.Application]) -> None:
    standin, url, app = slack
    await mention(url, "budget 2025")
    await app[SLACK_ADAPTER_KEY].drain()
    [post] = standin.calls_to("chat.postMessage")
    assert "Personalkostnader" in post.args["text"] and "Summa kostnader" not in post.args["text"]
    [complete] = standin.calls_to("files.completeUploadExternal")
    assert complete.args["channel_id"] == CHANNEL and complete.args["thread_ts"]
    [upload] = standin.calls_to("upload")
    with Image.open(io.BytesIO(standin.uploaded(upload.args["file_id"]))) as image:
        assert image.format == "PNG" and image.width == WIDTH_PX


async def test_teams_card_carries_the_chart_as_an_image(store: Engine) -> None:
    services = Services(engine=store, settings=Settings(_env_file=None, **{
        "MicrosoftAppId": None, "MicrosoftAppPassword": None, "MicrosoftAppTenantId": None}), clock=lambda: NOW)
    template = Activity(
        channel_id="msteams", service_url="https://smba.trafficmanager.net/emea/",
        conversation=ConversationAccount(id="a:1personal", conversation_type="personal", tenant_id="t1"),
        from_property=ChannelAccount(id="29:1anna", name="Anna", aad_object_id="aad-anna"),
        recipient=ChannelAccount(id="28:bot", name="Boardbot"), channel_data={"tenant": {"id": "t1"}})
    adapter = TestAdapter(BoardBot(services, None).on_turn, template)

    def check(reply: Activity, description: str) -> None:
        attachment = reply.attachments[0]
        assert attachment.content_type == ADAPTIVE_CARD
        [image] = [b for b in attachment.content["body"] if b.get("type") == "Image"]
        # Not inline (a Teams message holds about 28 KB): an address `boardbot serve` hands out.
        assert image["url"].startswith("http://localhost:3978/files/") and "grants for 2025" in image["altText"]
        token, name = image["url"].split("/files/", 1)[1].split("/", 1)
        served = services.served.get(token, name)
        assert served is not None and served.content_type == "image/png"
        with Image.open(io.BytesIO(served.body)) as png:
            assert png.format == "PNG" and png.width == WIDTH_PX

    await (await adapter.send("chart grants 2025 Fjällbygden")).assert_reply(check)


def test_console_shows_the_charts_file(store: Engine) -> None:
    reply = Assistant(store, clock=lambda: NOW).handle(
        Message(text="eget kapital diagram", organisation_hint="Fjällbygden"))
    assert reply.image_path
    assert f": {reply.image_path})" in render_plain(reply)
    assert Path(reply.image_path).is_file()
