"""Addresses `boardbot serve` hands out: unguessable, expiring, no listing; a chart of any size
in a Teams card, and the exact protocol version in the justering thread (Slack and Teams)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy.engine import Engine

from bot.served import ServedFiles
from bot.services import Services
from handlers import registry
from handlers.messages import Reply
from tests.bot_framework_tokens import trusted
from tests.chart_store import ASKED, build
from tests.teams_standin import BotConnectorStandIn, card_execute, personal_message
from tests.test_justering_slack import VERSION as SLACK_VERSION
from tests.test_justering_slack import board_in_slack, start_round
from tests.test_justering_teams import VERSION as TEAMS_VERSION
from tests.test_justering_teams import board_in_teams, card
from tests.test_teams_http import post_activity, serve, settings


class FakeTime:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def path_of(url: str) -> str:
    return "/files/" + url.split("/files/", 1)[1]


def test_addresses_are_unguessable_and_expire() -> None:
    clock = FakeTime()
    served = ServedFiles("https://bot.example.org/", ttl_seconds=3600, clock=clock)
    first = served.publish(b"a", "text/plain", "a.txt")
    second = served.publish(b"a", "text/plain", "a.txt")
    assert first.startswith("https://bot.example.org/files/") and first != second
    token = first.split("/")[-2]
    assert len(token) >= 43  # 256 random bits
    assert served.get(token, "a.txt") is not None
    assert served.get(token, "b.txt") is None
    clock.now += 3600
    assert served.get(token, "a.txt") is None


def test_addresses_outlive_a_restart_and_the_folder_reveals_none(tmp_path: Path) -> None:
    clock = FakeTime()
    first = ServedFiles("https://bot.example.org", ttl_seconds=600, clock=clock, folder=tmp_path)
    url = first.publish(b"Protokoll 2025-06-13", "text/plain; charset=utf-8", "p.txt")
    token = url.split("/")[-2]
    assert not any(token in p.name for p in tmp_path.iterdir())
    # Another process (or this one restarted) with the same folder serves it too.
    second = ServedFiles("https://bot.example.org", ttl_seconds=600, clock=clock, folder=tmp_path)
    found = second.get(token, "p.txt")
    assert found is not None and found.body == b"Protokoll 2025-06-13"
    forged = ("y" if token[0] == "x" else "x") + token[1:]  # one character off, whatever the first was
    assert second.get(forged, "p.txt") is None
    clock.now += 600
    assert second.get(token, "p.txt") is None
    assert list(tmp_path.iterdir()) == []  # an expired file is deleted


async def test_served_over_http_and_404_after_expiry(sqlite_engine: Engine) -> None:
    services = Services(engine=sqlite_engine, settings=settings())
    client = await serve(services)
    try:
        url = services.served.publish("Protokoll – §§ 1-3".encode(), "text/plain; charset=utf-8", "p.txt")
        response = await client.get(path_of(url))
        assert response.status == 200
        assert await response.text() == "Protokoll – §§ 1-3"
        assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        for listing in ("/files/", "/files", path_of(url).rsplit("/", 1)[0] + "/"):
            assert (await client.get(listing)).status == 404, listing
        assert (await client.get(path_of(url).replace("p.txt", "q.txt"))).status == 404
        services.served._clock = lambda: time.time() + services.settings.served_file_ttl
        assert (await client.get(path_of(url))).status == 404
    finally:
        await client.close()


async def test_teams_card_shows_a_large_chart_through_its_address(
        sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOARDBOT_CHART_DIR", str(tmp_path / "charts"))
    build(sqlite_engine)
    standin = BotConnectorStandIn()
    await standin.start()
    now = dt.datetime.combine(ASKED, dt.time(9), tzinfo=dt.UTC)
    client = await serve(Services(engine=sqlite_engine, settings=settings(), clock=lambda: now))
    with trusted():
        try:
            response = await post_activity(client, personal_message(standin.url, "budget 2025 Fjällbygden"))
            assert response.status == 201
            (reply,) = await standin.wait_for(1)
            [image] = [b for b in reply.body["attachments"][0]["content"]["body"] if b["type"] == "Image"]
            assert not image["url"].startswith("data:")
            fetched = await client.get(path_of(image["url"]))
            assert fetched.status == 200 and fetched.headers["Content-Type"] == "image/png"
            with Image.open(io.BytesIO(await fetched.read())) as png:
                assert png.format == "PNG"
            # Any size: an image far over what a Teams message carries inline (about 28 KB).
            big = tmp_path / "big.png"
            Image.frombytes("RGB", (160, 160), os.urandom(160 * 160 * 3)).save(big)
            assert big.stat().st_size > 64 * 1024
            registry.ACTIONS["test.big_image"] = lambda ctx, value: Reply("Stort diagram", image_path=str(big),
                                                                           image_alt="stort")
            try:
                response = await post_activity(client, card_execute(standin.url, "test.big_image", ""))
                assert response.status == 200
            finally:
                registry.ACTIONS.pop("test.big_image", None)
            [big_reply] = (await standin.wait_for(2))[1:]
            [image] = [b for b in big_reply.body["attachments"][0]["content"]["body"] if b["type"] == "Image"]
            fetched = await client.get(path_of(image["url"]))
            assert fetched.status == 200 and await fetched.read() == big.read_bytes()
            assert "för stor" not in str(big_reply.body)
        finally:
            await client.close()
            await standin.close()


def _link(body: list[dict[str, Any]]) -> tuple[str, str]:
    for block in body:
        match = re.search(r"\[([^\]]+)\]\((http[^)]+)\)", block.get("text", "")) if block["type"] == "TextBlock" else None
        if match:
            return match.group(1), match.group(2)
    raise AssertionError("no link in the card")


async def test_teams_thread_links_the_exact_version(engine: Engine) -> None:
    async with board_in_teams(engine) as teams:
        root = await teams.start()
        label, url = _link(card(root)["body"])
        assert TEAMS_VERSION[:12] in label and TEAMS_VERSION in label
        response = await teams.client.get(path_of(url))
        assert response.status == 200
        text = await response.text()
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == TEAMS_VERSION


async def test_slack_thread_has_the_exact_version_as_a_file(engine: Engine) -> None:
    async with board_in_slack(engine) as (bot, _board):
        root = await start_round(bot)
        [upload] = await bot.standin.wait_for("upload", 1)
        content = bot.standin.uploaded(upload.args["file_id"])
        assert hashlib.sha256(content).hexdigest() == SLACK_VERSION
        [complete] = bot.standin.calls_to("files.completeUploadExternal")
        assert complete.args["thread_ts"] == root.result["ts"]
        assert SLACK_VERSION in str(complete.args["files"]) and SLACK_VERSION[:12] in str(complete.args["files"])


def test_decision_summaries_are_cut_between_words() -> None:
    from handlers.justering import _short

    decision = ("Att teckna avtal om digital signering via Norrviks kommuns ramavtal från och med 2025-06-01, "
                "till en kostnad av högst 8 000 kronor per år, och att protokoll justeras digitalt.")
    short = _short(decision, limit=60)
    assert short.endswith(" …") and len(short) <= 62
    kept = short.removesuffix(" …")
    assert decision.startswith(kept) and decision[len(kept)] in " ,"
    assert _short("Kort beslut.", limit=60) == "Kort beslut."


async def test_slack_thread_gets_the_corrected_versions_file_once(engine: Engine) -> None:
    from tests.justering_board import load_corrected_version
    from tests.test_justering_slack import CHANNEL, NIKLAS, NOW, button

    async with board_in_slack(engine) as (bot, board):
        root = await start_round(bot)
        root_ts = root.result["ts"]
        await bot.standin.wait_for("upload", 1)
        [restart] = load_corrected_version(engine, board.protocol_id, NOW)
        # A click on the old version is refused and brings the root up to date: with the new text.
        assert await bot.click(button(root, "Justera"), user=NIKLAS, channel=CHANNEL, message_ts=root_ts) == 200
        await bot.settle()
        uploads = await bot.standin.wait_for("upload", 2)
        assert len(uploads) == 2
        assert hashlib.sha256(bot.standin.uploaded(uploads[1].args["file_id"])).hexdigest() == restart.new_hash
        completes = bot.standin.calls_to("files.completeUploadExternal")
        assert completes[1].args["thread_ts"] == root_ts and restart.new_hash in str(completes[1].args["files"])
        # Another refresh of the same version posts no second copy.
        assert await bot.click(button(root, "Justera"), user=NIKLAS, channel=CHANNEL, message_ts=root_ts) == 200
        await bot.settle()
        assert len(bot.standin.calls_to("upload")) == 2


async def test_slack_thread_gets_the_versions_file_on_the_next_update_when_posting_it_failed(
        engine: Engine) -> None:
    from tests.test_justering_slack import MONICA, answer_yes, ask_to_sign

    async with board_in_slack(engine) as (bot, _board):
        bot.standin.failures["files.completeUploadExternal"] = "internal_error"
        root = await start_round(bot)
        await bot.settle()
        assert bot.standin.calls_to("files.completeUploadExternal")  # tried, refused
        del bot.standin.failures["files.completeUploadExternal"]
        # Monica signs: the root is updated, and this time the file comes with it.
        assert await answer_yes(bot, await ask_to_sign(bot, root, MONICA), MONICA) == 200
        await bot.settle()
        completes = bot.standin.calls_to("files.completeUploadExternal")
        assert len(completes) == 2 and completes[1].args["thread_ts"] == root.result["ts"]
        assert SLACK_VERSION in str(completes[1].args["files"])


def test_the_folder_a_server_creates_is_readable_by_its_user_alone(tmp_path: Path) -> None:
    folder = tmp_path / "charts" / "served"
    ServedFiles("https://bot.example.org", ttl_seconds=600, folder=folder).publish(b"x", "text/plain", "p.txt")
    assert folder.stat().st_mode & 0o077 == 0


def test_an_expired_file_nobody_fetched_leaves_the_disk_on_a_later_publish(tmp_path: Path) -> None:
    clock = FakeTime()
    served = ServedFiles("https://bot.example.org", ttl_seconds=600, clock=clock, folder=tmp_path)
    served.publish(b"old chart", "image/png", "old.png")
    clock.now += 3600
    url = served.publish(b"new chart", "image/png", "new.png")
    assert len(list(tmp_path.iterdir())) == 2  # the new file's body and metadata only
    assert served.get(url.split("/")[-2], "new.png") is not None
