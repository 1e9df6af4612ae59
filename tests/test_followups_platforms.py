"""Follow-ups in a thread through the Slack and Teams stand-ins, across a restart of the
server: the thread's context is in the store, not in the process."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.engine import Engine

from bot.console import normalise
from bot.services import Services
from bot.web import create_app
from storage.db import open_engine
from tests import answer_store
from tests.slack_harness import all_text, mention, message, new_ts, running_bot
from tests.slack_standin import SlackStandin
from tests.teams_standin import ANNA, BotConnectorStandIn, channel_mention, channel_thread_reply
from tests.test_teams_http import post_activity, settings, trusted

QUESTION = "Vad kostar kansliet i Fjällbygden 2025?"


async def test_slack_follow_up_in_the_thread_survives_a_restart(sqlite_engine: Engine) -> None:
    answer_store.build(sqlite_engine)
    standin = await SlackStandin().start()
    try:
        root = new_ts()
        async with running_bot(sqlite_engine, standin) as bot:
            await bot.event(mention(QUESTION, ts=root))
            [first] = await standin.wait_for("chat.postMessage", 1)
            assert first.args["thread_ts"] == root and "880000" in normalise(all_text(first.args))
        # A new server process on the same store: nothing of the first is kept in memory.
        restarted_engine = open_engine(str(sqlite_engine.url))
        async with running_bot(restarted_engine, standin) as bot:
            await bot.event(message("och 2026?", thread_ts=root))  # a reply in the bot's thread
            posts = await standin.wait_for("chat.postMessage", 2)
            assert posts[1].args["thread_ts"] == root
            assert "900000" in normalise(all_text(posts[1].args))
            # Another thread has no context: the same words are not read as this thread's question.
            await bot.event(mention("och 2026?", ts=new_ts(), thread_ts=new_ts()))
            posts = await standin.wait_for("chat.postMessage", 3)
            assert "900000" not in normalise(all_text(posts[2].args))
        restarted_engine.dispose()
    finally:
        await standin.stop()


async def serve(engine: Engine) -> TestClient[Any, Any]:
    client: TestClient[Any, Any] = TestClient(TestServer(create_app(Services(engine=engine, settings=settings())),
                                                         host="127.0.0.1", port=0))
    await client.start_server()
    return client


def card_text(body: dict[str, Any]) -> str:
    (attachment,) = body["attachments"]
    return "\n".join(b.get("text", "") for b in attachment["content"]["body"] if b["type"] == "TextBlock")


async def test_teams_follow_up_in_the_channel_thread_survives_a_restart(sqlite_engine: Engine) -> None:
    answer_store.build(sqlite_engine)
    standin = BotConnectorStandIn()
    await standin.start()
    try:
        with trusted():
            client = await serve(sqlite_engine)
            response = await post_activity(client, channel_mention(standin.url, QUESTION, activity_id="1715585500001"))
            assert response.status == 201
            [first] = await standin.wait_for(1)
            assert "880000" in normalise(card_text(first.body))
            await client.close()
            client = await serve(open_engine(str(sqlite_engine.url)))
            response = await post_activity(client, channel_thread_reply(
                standin.url, "och 2026?", root_id="1715585500001", sender=ANNA, activity_id="1715585500002"))
            assert response.status == 201
            posts = await standin.wait_for(2)
            assert posts[1].conversation_id.endswith(";messageid=1715585500001")
            assert "900000" in normalise(card_text(posts[1].body))
            await client.close()
    finally:
        await standin.close()
