"""Slack end to end: requests signed as Slack signs them, POSTed to the real aiohttp app
(bot.web.create_app, as `boardbot serve` runs it) on 127.0.0.1, Bolt verifying and dispatching,
and every Web API call going to the stand-in in tests/slack_standin.py.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import aiohttp
import pytest
import yaml
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select
from typer.testing import CliRunner

from bot import cli
from bot.slack.app import clean_text
from bot.slack.notifier import SlackNotifier
from bot.slack.render import handler_action_id, render_home, render_reply
from handlers import registry
from handlers.home import home_sections
from handlers.messages import Action, Followup, Mention, Reply, Source
from scheduler.notifier import DeliveryError
from storage.events import is_bot_thread
from storage.models import (
    AuditLog,
    ConversationLink,
    Document,
    JusteringRound,
    JusteringSigner,
    Meeting,
    Organisation,
    Paragraph,
    Person,
    ProcessedEvent,
    Protocol,
)
from storage.settings import Settings, get_settings
from tests.slack_harness import (
    ANNA,
    CHANNEL,
    SECRET,
    Bot,
    all_text,
    bot_settings,
    buttons,
    envelope,
    mention,
    message,
    new_ts,
    running_bot,
    signed,
)
from tests.slack_standin import SlackStandin

DM = "D0ANNA"
BO = "U0BO"
STRANGER = "U0STRANGER"
JAMTLAND = "Samordningsförbundet i Jämtlands län"
VASTERNORRLAND = "Samordningsförbundet Västernorrland"
HARNOSAND = "Samordningsförbundet Härnösand – Timrå"  # the förbund seed 003 names


@pytest.fixture
async def bot(sqlite_engine: Engine) -> AsyncIterator[Bot]:
    async with running_bot(sqlite_engine) as running:
        yield running


def count(engine: Engine, model: Any) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def add_org(engine: Engine, name: str, *people: tuple[str, str | None, bool]) -> int:
    """An organisation with (name, slack id, is_admin) people; returns its id."""
    with Session(engine) as session:
        org = Organisation(name=name)
        session.add(org)
        session.flush()
        assert org.id is not None
        for person_name, slack_id, admin in people:
            session.add(Person(organisation_id=org.id, name=person_name, slack_user_id=slack_id, is_admin=admin))
        session.commit()
        return org.id


def link(engine: Engine, channel: str, organisation_id: int) -> None:
    with Session(engine) as session:
        session.add(ConversationLink(platform="slack", conversation_id=channel, organisation_id=organisation_id))
        session.commit()


# --- events: mentions, DMs, threads -----------------------------------------------------------


async def test_mention_is_answered_once_in_its_thread_with_blocks_and_text(bot: Bot) -> None:
    ts = new_ts()
    assert await bot.event(mention("hjälp", ts=ts)) == 200
    await bot.settle()
    posts = bot.standin.calls_to("chat.postMessage")
    assert len(posts) == 1
    post = posts[0].args
    assert post["channel"] == CHANNEL and post["thread_ts"] == ts
    assert posts[0].token == bot.standin.token
    assert "Du kan fråga mig om beslut" in post["text"]
    assert post["blocks"][0]["type"] == "section"
    assert "koppla" in post["blocks"][0]["text"]["text"]
    assert all(d < 3 for d in bot.sent)

    # Asked again inside an existing thread: the answer stays in that thread.
    root, inner = new_ts(), new_ts()
    await bot.event(mention("help", ts=inner, thread_ts=root))
    await bot.settle()
    second = bot.standin.calls_to("chat.postMessage")[1].args
    assert second["thread_ts"] == root
    assert "You can ask me about" in second["text"]


async def test_direct_message_is_answered_in_the_dm(bot: Bot) -> None:
    await bot.event(message("hjälp", channel=DM, channel_type="im"))
    await bot.settle()
    [post] = bot.standin.calls_to("chat.postMessage")
    assert post.args["channel"] == DM
    assert "thread_ts" not in post.args
    assert "Du kan fråga mig" in post.args["text"]


async def test_replies_in_the_bots_threads_reach_it_and_other_chatter_does_not(bot: Bot) -> None:
    root = new_ts()
    await bot.event(mention("hjälp", ts=root))
    await bot.settle()
    assert is_bot_thread(bot.engine, "slack", CHANNEL, root)

    await bot.event(message("help", thread_ts=root))  # a reply in the bot's thread, no mention
    await bot.event(message("hjälp", thread_ts=new_ts()))  # someone else's thread
    await bot.event(message("hjälp"))  # a top-level channel message without a mention
    await bot.settle()
    posts = bot.standin.calls_to("chat.postMessage")
    assert len(posts) == 2
    assert posts[1].args["thread_ts"] == root
    assert "You can ask me" in posts[1].args["text"]


async def test_own_and_other_bots_messages_and_edits_are_ignored(bot: Bot) -> None:
    await bot.event(message("hjälp", user="UBOT", channel=DM, channel_type="im", bot_id="BBOT"))
    await bot.event(message("hjälp", user="U0OTHERBOT", channel=DM, channel_type="im", bot_id="B0OTHER"))
    await bot.event(message("hjälp", channel=DM, channel_type="im", subtype="message_changed"))
    await bot.event(message("hjälp", channel=DM, channel_type="im", subtype="bot_message"))
    await bot.settle()
    assert bot.standin.calls_to("chat.postMessage") == []
    assert count(bot.engine, ProcessedEvent) == 0


# --- /styrelse ------------------------------------------------------------------------------


async def test_slash_command_acks_at_once_then_answers_through_response_url(bot: Bot) -> None:
    handle = bot.adapter.assistant.handle

    def slow_handle(msg: Any) -> Reply:
        time.sleep(1.5)  # an answer that takes its time must not hold up the ack
        return handle(msg)

    bot.adapter.assistant.handle = slow_handle  # type: ignore[method-assign]
    started = time.monotonic()
    response = await bot.command("hjälp")
    acked_after = time.monotonic() - started
    assert response.status == 200
    assert await response.text() == ""
    assert acked_after < 1.0
    [answer] = await bot.standin.wait_for("response_url", 1)
    assert answer.args["response_type"] == "in_channel"
    assert "Du kan fråga mig" in all_text(answer.args)

    bot.adapter.assistant.handle = handle  # type: ignore[method-assign]
    await bot.command("vad heter månen på latin")
    await bot.settle()
    unknown = bot.standin.calls_to("response_url")[1].args
    # "I cannot answer that" is for the asker only, not the whole channel.
    assert unknown["response_type"] == "ephemeral"
    assert bot.standin.calls_to("chat.postMessage") == []


async def test_slash_command_links_the_channel(bot: Bot) -> None:
    org_id = add_org(bot.engine, JAMTLAND, ("Anna Andersson", ANNA, True))
    await bot.command("koppla jämtland", user=ANNA)
    await bot.settle()
    [answer] = bot.standin.calls_to("response_url")
    assert f"kopplad till {JAMTLAND}" in answer.args["text"]
    with Session(bot.engine) as session:
        linked = session.exec(select(ConversationLink)).one()
    assert (linked.conversation_id, linked.organisation_id) == (CHANNEL, org_id)


# --- buttons, koppla and person --------------------------------------------------------------


async def test_button_click_is_answered_in_the_thread_and_links_the_chosen_organisation(bot: Bot) -> None:
    add_org(bot.engine, JAMTLAND)
    vasternorrland = add_org(bot.engine, VASTERNORRLAND)
    root = new_ts()
    await bot.event(mention("koppla samordningsförbundet", ts=root))
    await bot.settle()
    [choices] = bot.standin.calls_to("chat.postMessage")
    actions = buttons(choices.args)
    assert [a["text"]["text"] for a in actions] == [JAMTLAND, VASTERNORRLAND]
    assert len({a["action_id"] for a in actions}) == 2  # Slack wants them unique in a message
    assert count(bot.engine, ConversationLink) == 0

    assert await bot.click(actions[1], user=ANNA, channel=CHANNEL, message_ts=new_ts(), thread_ts=root) == 200
    await bot.settle()
    reply = bot.standin.calls_to("chat.postMessage")[1].args
    assert reply["thread_ts"] == root
    assert f"kopplad till {VASTERNORRLAND}" in reply["text"]
    assert "första uppstart" in reply["text"]  # no admin yet: allowed, and said so
    with Session(bot.engine) as session:
        assert session.exec(select(ConversationLink.organisation_id)).one() == vasternorrland
        audit = session.exec(select(AuditLog).where(AuditLog.action == "conversation_linked")).one()
    assert audit.actor.startswith(f"slack:{ANNA}") and audit.subject == f"slack:{CHANNEL}"


async def test_linking_is_refused_privately_to_non_admins_and_done_for_admins(bot: Bot) -> None:
    org_id = add_org(bot.engine, JAMTLAND, ("Anna Andersson", ANNA, True), ("Bo Berg", None, False),
                     ("Cecilia Ceder", None, False))
    await bot.event(mention("koppla jämtland", user=STRANGER))
    await bot.settle()
    [refusal] = bot.standin.calls_to("chat.postEphemeral")
    assert refusal.args["user"] == STRANGER and refusal.args["channel"] == CHANNEL
    assert "Bara administratörer" in refusal.args["text"]
    assert bot.standin.calls_to("chat.postMessage") == []
    assert count(bot.engine, ConversationLink) == 0

    await bot.event(mention("koppla jämtland", user=ANNA))
    await bot.settle()
    assert f"kopplad till {JAMTLAND}" in bot.standin.calls_to("chat.postMessage")[0].args["text"]

    await bot.event(mention(f"person <@{BO}> Bo Berg", user=STRANGER))
    await bot.settle()
    assert len(bot.standin.calls_to("chat.postEphemeral")) == 2

    await bot.event(mention(f"person <@{BO}> bo berg", user=ANNA))
    await bot.settle()
    linked = bot.standin.calls_to("chat.postMessage")[1].args
    assert f"<@{BO}>" in linked["text"] and "Bo Berg" in linked["text"]

    # A slip in the name is offered as a choice, never linked unasked.
    await bot.event(mention("person <@U0CC> Cecilia Cedar", user=ANNA))
    await bot.settle()
    offer = bot.standin.calls_to("chat.postMessage")[2].args
    [button] = buttons(offer)
    assert button["text"]["text"] == "Cecilia Ceder"
    await bot.click(button, user=ANNA, channel=CHANNEL, message_ts=new_ts())
    await bot.settle()

    with Session(bot.engine) as session:
        people = {p.name: p for p in session.exec(select(Person).where(Person.organisation_id == org_id))}
        actions = [a.action for a in session.exec(select(AuditLog).order_by(col(AuditLog.id)))]
    assert people["Bo Berg"].slack_user_id == BO
    assert people["Cecilia Ceder"].slack_user_id == "U0CC"
    assert actions.count("conversation_link.refused") == 1
    assert actions.count("person_link.refused") == 1
    assert actions.count("person_linked") == 2
    assert actions.count("conversation_linked") == 1


async def test_person_by_email_is_linked_once_the_secretary_confirms(bot: Bot) -> None:
    org_id = add_org(bot.engine, JAMTLAND, ("Anna Andersson", ANNA, True))
    with Session(bot.engine) as session:
        session.add(Person(organisation_id=org_id, name="Bo Berg", email="bo.berg@example.se"))
        session.commit()
    link(bot.engine, CHANNEL, org_id)
    bot.standin.add_user(BO, "bo", email="Bo.Berg@example.se")
    await bot.event(mention(f"person <@{BO}>", user=ANNA))
    await bot.settle()
    assert bot.standin.calls_to("users.info")[0].args["user"] == BO
    offer = bot.standin.calls_to("chat.postMessage")[0].args
    assert "Bo Berg" in offer["text"]
    with Session(bot.engine) as session:
        assert session.exec(select(Person).where(Person.name == "Bo Berg")).one().slack_user_id is None
    [button] = buttons(offer)
    await bot.click(button, user=ANNA, channel=CHANNEL, message_ts=new_ts())
    await bot.settle()
    with Session(bot.engine) as session:
        assert session.exec(select(Person).where(Person.name == "Bo Berg")).one().slack_user_id == BO


async def test_first_run_self_link_makes_the_secretary_admin(bot: Bot) -> None:
    org_id = add_org(bot.engine, JAMTLAND, ("Anna Andersson", None, False))
    link(bot.engine, CHANNEL, org_id)
    await bot.event(mention(f"person <@{ANNA}> Anna Andersson", user=ANNA))
    await bot.settle()
    text = bot.standin.calls_to("chat.postMessage")[0].args["text"]
    assert "administratör" in text
    with Session(bot.engine) as session:
        anna = session.exec(select(Person).where(Person.name == "Anna Andersson")).one()
    assert anna.is_admin and anna.slack_user_id == ANNA
    # From now on the window is closed for everyone else.
    await bot.event(mention("koppla jämtland", user=STRANGER, channel="C0OTHER"))
    await bot.settle()
    assert len(bot.standin.calls_to("chat.postEphemeral")) == 1


# --- signatures, retries, duplicates, load --------------------------------------------------


async def test_forged_or_stale_signatures_get_401_and_nothing_is_posted(bot: Bot) -> None:
    body = envelope(mention("hjälp"))
    forged = await bot.post(body, "application/json", signed(body, secret="not-the-secret"), sign=False)
    stale = await bot.post(body, "application/json", signed(body, timestamp=int(time.time()) - 600), sign=False)
    unsigned = await bot.post(body, "application/json", sign=False)
    tampered_headers = signed(body)
    tampered = await bot.post(body.replace(ANNA, STRANGER), "application/json", tampered_headers, sign=False)
    command = urlencode({"command": "/styrelse", "text": "hjälp", "user_id": ANNA, "channel_id": CHANNEL,
                         "response_url": bot.standin.response_url("x")})
    forged_command = await bot.post(command, "application/x-www-form-urlencoded",
                                    signed(command, secret="wrong"), sign=False)
    await bot.settle()
    assert [r.status for r in (forged, stale, unsigned, tampered, forged_command)] == [401] * 5
    assert bot.standin.calls == []
    assert count(bot.engine, ProcessedEvent) == 0


async def test_url_verification_and_health(bot: Bot) -> None:
    body = json.dumps({"token": "legacy", "challenge": "c-123", "type": "url_verification"})
    response = await bot.post(body, "application/json")
    assert response.status == 200 and "c-123" in await response.text()
    health = await bot.http.get(f"{bot.url}/healthz")
    assert health.status == 200 and (await health.json())["status"] == "ok"


async def test_retried_event_yields_exactly_one_post_even_after_a_restart(engine: Engine) -> None:
    standin = await SlackStandin().start()
    try:
        ts = new_ts()
        body = envelope(mention("hjälp", ts=ts), "Ev0RETRY")
        async with running_bot(engine, standin) as bot:
            assert await bot.event({}, body=body) == 200
            for attempt in ("1", "2"):
                retry = {"X-Slack-Retry-Num": attempt, "X-Slack-Retry-Reason": "http_timeout"}
                assert await bot.event({}, body=body, headers=retry) == 200
            await bot.settle()
        # A second process (or the same one restarted) gets the third retry: still one answer.
        async with running_bot(engine, standin) as bot:
            assert await bot.event({}, body=body, headers={"X-Slack-Retry-Num": "3"}) == 200
            await bot.settle()
        posts = standin.calls_to("chat.postMessage")
        assert len(posts) == 1 and posts[0].args["thread_ts"] == ts
        assert count(engine, ProcessedEvent) == 1
    finally:
        await standin.stop()


async def test_same_message_as_app_mention_and_message_gets_one_reply(engine: Engine) -> None:
    async with running_bot(engine) as bot:
        root = new_ts()
        await bot.event(mention("hjälp", ts=root))
        await bot.settle()
        # A reply in the bot's thread that also mentions it: Slack sends it twice, with two event ids.
        ts = new_ts()
        as_mention = mention("help", ts=ts, thread_ts=root)
        as_message = message("<@UBOT> help", ts=ts, thread_ts=root)
        statuses = await asyncio.gather(bot.event(as_mention), bot.event(as_message),
                                        bot.event(as_message), bot.event(as_mention))
        assert statuses == [200] * 4
        await bot.settle()
        replies = [c for c in bot.standin.calls_to("chat.postMessage") if "You can ask" in c.args["text"]]
        assert len(replies) == 1 and replies[0].args["thread_ts"] == root


async def test_fifty_mentions_at_once_get_fifty_answers_none_lost_none_doubled(engine: Engine) -> None:
    async with running_bot(engine) as bot:
        stamps = [new_ts() for _ in range(50)]
        bodies = [envelope(mention("hjälp", ts=ts, user=f"U{i:04d}"), f"Ev{i:04d}") for i, ts in enumerate(stamps)]
        # Every mention twice (Slack's retry arriving while the first is still being answered).
        sends = [bot.event({}, body=b) for b in bodies] + [
            bot.event({}, body=b, headers={"X-Slack-Retry-Num": "1"}) for b in bodies]
        statuses = await asyncio.gather(*sends)
        assert statuses == [200] * 100
        assert max(bot.sent) < 3
        await bot.settle()
        posts = bot.standin.calls_to("chat.postMessage")
        assert sorted(p.args["thread_ts"] for p in posts) == sorted(stamps)
        assert count(engine, ProcessedEvent) == 50


# --- App Home ---------------------------------------------------------------------------------


def seed_board(engine: Engine) -> int:
    """A förbund with one protocol (§ 133, ojusterat), a planned meeting and an open justering."""
    org_id = add_org(engine, JAMTLAND, ("Anna Andersson", ANNA, True))
    with Session(engine) as session:
        anna = session.exec(select(Person).where(Person.name == "Anna Andersson")).one()
        doc = Document(organisation_id=org_id, kind="protokoll", file_name="protokoll-2023-11-24.pdf",
                       content_hash="h1", text="…")
        session.add(doc)
        session.flush()
        assert doc.id is not None and anna.id is not None
        protocol = Protocol(document_id=doc.id, organisation_id=org_id, meeting_date=dt.date(2023, 11, 24),
                            version_hash="v1")
        session.add(protocol)
        session.flush()
        assert protocol.id is not None
        paragraph = Paragraph(document_id=doc.id, organisation_id=org_id, protocol_id=protocol.id, number=133,
                              title="Verksamhetsplan 2024", body="…", decision="Styrelsen fastställer planen.")
        session.add(paragraph)
        session.flush()
        session.add(Meeting(organisation_id=org_id, date=dt.date(2024, 2, 2), start_time=dt.time(9),
                            end_time=dt.time(12), place="Timrå", document_id=doc.id, paragraph_id=paragraph.id))
        session.add(Meeting(organisation_id=org_id, date=dt.date(2023, 12, 1), status="held"))
        round_ = JusteringRound(protocol_id=protocol.id, version_hash="v1", deadline=dt.date(2023, 12, 8))
        session.add(round_)
        session.flush()
        assert round_.id is not None
        session.add(JusteringSigner(round_id=round_.id, person_id=anna.id, role="justerare"))
        session.commit()
    return org_id


async def test_app_home_shows_meetings_justeringar_and_decisions_with_sources(bot: Bot) -> None:
    seed_board(bot.engine)
    await bot.event({"type": "app_home_opened", "user": ANNA, "channel": DM, "tab": "home",
                     "event_ts": new_ts()})
    await bot.event({"type": "app_home_opened", "user": ANNA, "channel": DM, "tab": "messages",
                     "event_ts": new_ts()})
    await bot.settle()
    [published] = bot.standin.calls_to("views.publish")
    assert published.args["user_id"] == ANNA
    view = published.args["view"]
    assert view["type"] == "home"
    text = all_text(published.args)
    assert "fre 2024-02-02 kl. 09.00–12.00, Timrå" in text
    assert "2023-12-01" not in text  # past meetings are not "upcoming"
    assert "Protokoll 2023-11-24: justera senast 2023-12-08" in text
    assert "§ 133 Verksamhetsplan 2024: Styrelsen fastställer planen. (ojusterat)" in text
    assert f"Källa: {JAMTLAND}, protokoll 2023-11-24, § 133" in text

    await bot.event({"type": "app_home_opened", "user": STRANGER, "channel": "D0X", "tab": "home"})
    await bot.settle()
    stranger_view = bot.standin.calls_to("views.publish")[1]
    assert "känner inte igen dig" in all_text(stranger_view.args)


# --- uploads ----------------------------------------------------------------------------------


def ingest_unavailable() -> str | None:
    try:
        from storage.ingest.load import ingest_bytes  # noqa: F401
        from storage.ingest.parse import parse_document

        parse_document("Protokoll", "probe.txt")
    except (ImportError, NotImplementedError) as exc:
        return f"storage.ingest.load.ingest_bytes is not usable yet ({type(exc).__name__}: {exc})"
    return None


async def test_uploaded_protocol_is_downloaded_with_the_bot_token_and_ingested(
        bot: Bot, seeds_dir: Path) -> None:
    reason = ingest_unavailable()
    if reason:
        pytest.skip(reason)
    seed = sorted(seeds_dir.glob("003_*.txt"))[0]
    org_id = add_org(bot.engine, HARNOSAND, ("Anna Andersson", ANNA, True))
    link(bot.engine, CHANNEL, org_id)
    ts = new_ts()
    file = bot.standin.add_file("F0PROT", "protokoll.txt", seed.read_bytes(), user=ANNA, channel=CHANNEL, ts=ts)
    await bot.event(message("Protokollet från november", ts=ts, subtype="file_share", files=[file]))
    await bot.event({"type": "file_shared", "file_id": "F0PROT", "user_id": ANNA, "channel_id": CHANNEL,
                     "file": {"id": "F0PROT"}, "event_ts": ts})
    await bot.settle()
    [download] = bot.standin.calls_to("download")
    assert download.token == bot.standin.token
    [progress] = bot.standin.calls_to("chat.postMessage")
    assert progress.args["thread_ts"] == ts
    [result] = bot.standin.calls_to("chat.update")
    assert result.args["ts"] == progress.result["ts"]
    assert "protokoll.txt: inläst" in result.args["text"]
    assert "2023-11-24" in result.args["text"] and "Obs:" not in result.args["text"]
    assert f"Källa: {HARNOSAND}, protokoll 2023-11-24" in result.args["text"]
    with Session(bot.engine) as session:
        document = session.exec(select(Document)).one()
        assert document.organisation_id == org_id
        assert session.exec(select(AuditLog).where(AuditLog.actor == f"slack:{ANNA}")).first() is not None


async def test_upload_naming_a_foerbund_the_uploader_does_not_administer_is_rolled_back(
        engine: Engine, seeds_dir: Path) -> None:
    reason = ingest_unavailable()
    if reason:
        pytest.skip(reason)
    async with running_bot(engine) as bot:
        await upload_into_someone_elses_foerbund(bot, seeds_dir)


async def upload_into_someone_elses_foerbund(bot: Bot, seeds_dir: Path) -> None:
    add_org(bot.engine, HARNOSAND, ("Bo Berg", BO, True))
    mine = add_org(bot.engine, VASTERNORRLAND, ("Anna Andersson", ANNA, True))
    link(bot.engine, CHANNEL, mine)
    ts = new_ts()
    seed = sorted(seeds_dir.glob("003_*.txt"))[0]
    file = bot.standin.add_file("F0PROT", "protokoll.txt", seed.read_bytes(), user=ANNA, channel=CHANNEL, ts=ts)
    await bot.event(message("", ts=ts, subtype="file_share", files=[file]))
    await bot.settle()
    [refusal] = bot.standin.calls_to("chat.postEphemeral")
    assert f"hör till {HARNOSAND}, där du inte är administratör" in refusal.args["text"]
    assert bot.standin.calls_to("chat.update")[0].args["text"] == "Inget lästes in."
    assert count(bot.engine, Document) == 0


async def test_uploads_from_non_admins_are_refused_privately_once_and_never_downloaded(bot: Bot) -> None:
    org_id = add_org(bot.engine, JAMTLAND, ("Anna Andersson", ANNA, True))
    link(bot.engine, CHANNEL, org_id)
    ts = new_ts()
    file = bot.standin.add_file("F0PDF", "protokoll.pdf", b"%PDF-1.4 ...", user=STRANGER, channel=CHANNEL, ts=ts)
    # The same upload arrives as a message with files and as file_shared.
    await asyncio.gather(
        bot.event(message("", user=STRANGER, ts=ts, subtype="file_share", files=[file])),
        bot.event({"type": "file_shared", "file_id": "F0PDF", "user_id": STRANGER, "channel_id": CHANNEL,
                   "file": {"id": "F0PDF"}, "event_ts": ts}),
    )
    await bot.settle()
    [refusal] = bot.standin.calls_to("chat.postEphemeral")
    assert refusal.args["user"] == STRANGER and refusal.args["thread_ts"] == ts
    assert "sekreterare eller administratörer" in refusal.args["text"]
    assert bot.standin.calls_to("download") == []
    assert bot.standin.calls_to("chat.postMessage") == []


async def test_files_the_bot_should_not_touch_are_left_alone_and_wrong_types_explained(bot: Bot) -> None:
    org_id = add_org(bot.engine, JAMTLAND, ("Anna Andersson", ANNA, True))
    link(bot.engine, CHANNEL, org_id)
    photo = bot.standin.add_file("F0IMG", "bild.png", b"\x89PNG", user=ANNA, channel=CHANNEL, ts=new_ts())
    await bot.event(message("titta", subtype="file_share", files=[photo]))  # a photo in a linked channel
    other = bot.standin.add_file("F0OTH", "plan.pdf", b"%PDF", user=ANNA, channel="C0OTHER", ts=new_ts())
    await bot.event(message("", channel="C0OTHER", subtype="file_share", files=[other]))  # unlinked channel
    await bot.settle()
    assert [c.method for c in bot.standin.calls if c.method != "auth.test"] == []

    in_dm = bot.standin.add_file("F0DM", "bild.png", b"\x89PNG", user=ANNA, channel=DM, ts=new_ts(), public=False)
    await bot.event(message("", channel=DM, channel_type="im", subtype="file_share", files=[in_dm]))
    await bot.settle()
    [reason] = bot.standin.calls_to("chat.postMessage")
    assert reason.args["channel"] == DM
    assert "PDF, DOCX och TXT" in reason.args["text"]
    assert bot.standin.calls_to("download") == []


async def test_download_refused_by_slack_is_explained(bot: Bot) -> None:
    org_id = add_org(bot.engine, JAMTLAND, ("Anna Andersson", ANNA, True))
    link(bot.engine, CHANNEL, org_id)
    ts = new_ts()
    file = bot.standin.add_file("F0GONE", "protokoll.txt", b"text", user=ANNA, channel=CHANNEL, ts=ts)
    file["url_private_download"] = file["url_private"] = f"{bot.standin.base_url}/files-pri/F0MISSING/x.txt"
    await bot.event(message("", ts=ts, subtype="file_share", files=[file]))
    await bot.settle()
    [result] = bot.standin.calls_to("chat.update")
    assert "HTTP 404" in result.args["text"]
    assert count(bot.engine, Document) == 0


# --- anchors, follow-ups and images through a command registered for the test ----------------


@pytest.fixture
def anchored_command(tmp_path: Path) -> Iterator[dict[str, Any]]:
    seen: dict[str, Any] = {"anchored": []}
    image = tmp_path / "chart.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\nchart")

    def start(ctx: Any, rest: str) -> Reply:
        return Reply("Justering av protokollet startad. Anna Andersson ska justera.", anchor="testround:7",
                     mentions=[Mention("Anna Andersson", slack_user_id=ANNA)],
                     actions=[Action("Justera", "testconfirm", "7", style="primary")])

    def confirm(ctx: Any, value: str) -> Reply:
        person_id = ctx.session.exec(select(Person.id).where(Person.slack_user_id == ANNA)).first()
        return Reply("Tack, justerat.", image_path=str(image), image_alt="Diagram",
                     followups=[Followup("update_root", reply=Reply("Protokollet är justerat.")),
                                Followup("notify_person", person_id=person_id, text="Anna har justerat.")])

    def anchored(session: Any, value: str, platform: str, channel: str, message_id: str) -> None:
        seen["anchored"].append((value, platform, channel, message_id))

    command = registry.Command(("testjustera",), start, "", "")
    registry.COMMANDS.append(command)
    registry.ACTIONS["testconfirm"] = confirm
    registry.ANCHORS["testround"] = anchored
    try:
        yield seen
    finally:
        registry.COMMANDS.remove(command)
        del registry.ACTIONS["testconfirm"]
        del registry.ANCHORS["testround"]


async def test_anchor_starts_a_thread_and_followups_update_root_notify_and_attach(
        bot: Bot, anchored_command: dict[str, Any]) -> None:
    add_org(bot.engine, JAMTLAND, ("Anna Andersson", ANNA, True))
    await bot.command("testjustera")
    await bot.settle()
    [root] = bot.standin.calls_to("chat.postMessage")
    assert "thread_ts" not in root.args and root.args["channel"] == CHANNEL
    assert f"<@{ANNA}> ska justera" in root.args["text"]
    root_ts = root.result["ts"]
    assert anchored_command["anchored"] == [("7", "slack", CHANNEL, root_ts)]
    assert is_bot_thread(bot.engine, "slack", CHANNEL, root_ts)
    [button] = buttons(root.args)
    assert button["style"] == "primary" and handler_action_id(button["action_id"]) == "testconfirm"

    await bot.click(button, user=ANNA, channel=CHANNEL, message_ts=root_ts)
    await bot.settle()
    posts = bot.standin.calls_to("chat.postMessage")
    assert posts[1].args["thread_ts"] == root_ts and posts[1].args["text"] == "Tack, justerat."
    [update] = bot.standin.calls_to("chat.update")
    assert update.args["ts"] == root_ts and update.args["text"] == "Protokollet är justerat."
    assert posts[2].args["channel"] == ANNA and posts[2].args["text"] == "Anna har justerat."
    [complete] = bot.standin.calls_to("files.completeUploadExternal")
    assert complete.args["thread_ts"] == root_ts and complete.args["channel_id"] == CHANNEL
    [upload] = bot.standin.calls_to("upload")
    assert bot.standin.uploaded(upload.args["file_id"]).startswith(b"\x89PNG")


# --- the notifier, rendering, serve -----------------------------------------------------------


async def test_notifier_delivers_returns_ts_and_raises_delivery_error(sqlite_engine: Engine) -> None:
    standin = await SlackStandin().start()
    try:
        notifier = SlackNotifier(bot_settings(standin), engine=sqlite_engine)
        ts = await notifier.send(f"slack:{CHANNEL}", "Påminnelse: möte 2024-02-02 & <fika>")
        [post] = standin.calls_to("chat.postMessage")
        assert post.args["channel"] == CHANNEL and post.args["text"] == "Påminnelse: möte 2024-02-02 &amp; &lt;fika&gt;"
        assert ts == post.result["ts"]
        assert is_bot_thread(sqlite_engine, "slack", CHANNEL, ts)
        # A reminder's text comes from the store (places, titles): nothing in it may ping anyone.
        await notifier.send(f"slack:{ANNA}", f"Hej <@{ANNA}> <!channel>")
        assert standin.calls_to("chat.postMessage")[1].args["text"] == f"Hej &lt;@{ANNA}&gt; &lt;!channel&gt;"
        with pytest.raises(DeliveryError, match="not a Slack recipient"):
            await notifier.send("teams:abc", "x")
        standin.failures["chat.postMessage"] = "channel_not_found"
        with pytest.raises(DeliveryError, match="channel_not_found"):
            await notifier.send("slack:C0GONE", "x")
    finally:
        await standin.stop()
    unreachable = SlackNotifier(Settings(_env_file=None, SLACK_BOT_TOKEN="xoxb-x",
                                         BOARDBOT_SLACK_API_URL=standin.api_url))
    with pytest.raises(DeliveryError, match="could not reach Slack"):
        await unreachable.send("slack:C1", "x")


def test_render_keeps_slack_limits_text_mentions_and_sources() -> None:
    reply = Reply(
        "Anna Andersson & Bo <Berg> ska justera.\n" + "x" * 7000,
        sources=[Source(JAMTLAND, meeting_date=dt.date(2023, 11, 24), paragraph=133, kind="protokoll")] * 2,
        facts=[(f"rad {i}", str(i)) for i in range(12)],
        actions=[Action(f"Val {i}", "choose", str(i)) for i in range(30)],
        mentions=[Mention("Anna Andersson", slack_user_id=ANNA), Mention("Cecilia", slack_user_id="U0CC"),
                  Mention("Bo", None)],
    )
    payload = render_reply(reply)
    assert payload["text"].startswith(f"<@{ANNA}> &amp; Bo &lt;Berg&gt;")
    assert "<@U0CC>" in payload["text"]  # named nowhere in the text: mentioned on a line of its own
    sections = [b for b in payload["blocks"] if b["type"] == "section" and "text" in b]
    assert all(len(b["text"]["text"]) <= 3000 for b in sections) and len(sections) == 4
    assert sum(b["text"]["text"].count("x") for b in sections) == 7000  # split, nothing lost
    assert [len(b["fields"]) for b in payload["blocks"] if "fields" in b] == [10, 2]
    [context] = [b for b in payload["blocks"] if b["type"] == "context"]
    assert context["elements"][0]["text"] == f"*Källa:* {JAMTLAND}, protokoll 2023-11-24, § 133"
    [actions] = [b for b in payload["blocks"] if b["type"] == "actions"]
    ids = [e["action_id"] for e in actions["elements"]]
    assert len(ids) == 25 == len(set(ids)) and {handler_action_id(i) for i in ids} == {"choose"}
    assert len(payload["blocks"]) <= 50
    assert render_reply(Reply(""))["text"]  # never empty


def test_clean_text_drops_the_bots_mention_and_keeps_others() -> None:
    text = "<@UBOT> person <@U0BO|bo> Bo &amp; co <https://x.se/a|länk> <#C1|styrelsen>"
    assert clean_text(text, "UBOT") == "person <@U0BO|bo> Bo & co länk #styrelsen"


def test_home_for_a_platform_without_identities_is_the_welcome(sqlite_engine: Engine) -> None:
    with Session(sqlite_engine) as session:
        sections = home_sections(session, "console", "x", dt.date(2024, 1, 1))
    assert sections[0].title == "Välkommen"
    assert render_home(sections)["type"] == "home"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def boardbot(*args: str) -> list[str]:
    return [sys.executable, "-c", "from bot.cli import main; main()", *args]


async def test_boardbot_serve_answers_health_and_verified_slack_requests(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "BOARDBOT_"))}
    env.update({"BOARDBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}", "SLACK_BOT_TOKEN": "xoxb-serve",
                "SLACK_SIGNING_SECRET": SECRET, "BOARDBOT_SLACK_API_URL": "http://127.0.0.1:9/api/"})
    port = free_port()
    process = subprocess.Popen(boardbot("serve", "--port", str(port), "--host", "127.0.0.1"), env=env,
                               cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               )
    try:
        async with aiohttp.ClientSession() as http:
            deadline = time.monotonic() + 30
            while True:
                try:
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as health:
                        assert (await health.json())["status"] == "ok"
                        break
                except aiohttp.ClientConnectionError:
                    assert process.poll() is None, process.stderr.read() if process.stderr else ""
                    assert time.monotonic() < deadline, "boardbot serve did not start"
                    await asyncio.sleep(0.2)
            body = json.dumps({"token": "t", "challenge": "ch-1", "type": "url_verification"})
            async with http.post(f"http://127.0.0.1:{port}/slack/events", data=body,
                                 headers={"Content-Type": "application/json", **signed(body)}) as response:
                assert response.status == 200 and "ch-1" in await response.text()
            async with http.post(f"http://127.0.0.1:{port}/slack/events", data=body,
                                 headers={"Content-Type": "application/json"}) as response:
                assert response.status == 401
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_serve_refuses_to_start_without_a_way_to_verify_slack(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-serve")
    monkeypatch.chdir(Path(__file__).parent)  # no .env here
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli.app, ["serve"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "SLACK_SIGNING_SECRET is not set" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_manifest_asks_for_what_the_app_listens_to() -> None:
    manifest = yaml.safe_load((Path(__file__).resolve().parents[1] / "slack-manifest.yml").read_text("utf-8"))
    settings = manifest["settings"]
    urls = {settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"],
            *(c["url"] for c in manifest["features"]["slash_commands"])}
    assert {urlsplit(u).path for u in urls} == {"/slack/events"}
    assert [c["command"] for c in manifest["features"]["slash_commands"]] == ["/styrelse"]
    events = {e.split(".")[0] for e in settings["event_subscriptions"]["bot_events"]}
    assert events == {"app_mention", "app_home_opened", "file_shared", "message"}
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    needed = {"app_mentions:read", "chat:write", "commands", "files:read", "im:history", "channels:history",
              "users:read.email"}
    assert needed <= scopes
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
