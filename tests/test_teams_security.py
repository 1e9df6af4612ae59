"""Attacks on /api/messages of the real aiohttp app (as `boardbot serve` runs it), on SQLite
and PostgreSQL: Teams not configured, activities without or with bad tokens, serviceUrls that
are not Bot Framework hosts, and the Emulator mode off loopback. Each is refused with nothing
written to the store and nothing sent anywhere.

The "attacker" is a second Bot Connector stand-in on 127.0.0.2: a host that is not on the
allow-list (as an attacker's server, or an internal one, would not be), which records anything
the bot sends it.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from bot.services import Services
from bot.teams.endpoint import MAX_ACTIVITY_BYTES
from bot.teams.service_urls import ServiceUrlPolicy
from bot.teams_app import NOTIFIER_KEY
from scheduler.notifier import DeliveryError
from storage.models import ConversationLink, JusteringConfirmation
from storage.settings import Settings
from tests.bot_framework_tokens import token_service, trusted
from tests.justering_board import make_board, start_in_slack
from tests.teams_standin import (
    ANNA,
    TEAM,
    TENANT,
    BotConnectorStandIn,
    bot_installed_in_team,
    card_execute,
    personal_message,
)
from tests.test_teams_http import post_activity, serve, settings

Snapshot = dict[str, list[tuple[Any, ...]]]


def store_contents(engine: Engine) -> Snapshot:
    """Every row of every table: equal snapshots mean nothing was inserted, changed or deleted."""
    with engine.connect() as conn:
        return {table.name: sorted((tuple(row) for row in conn.execute(sa_select(table))), key=repr)
                for table in SQLModel.metadata.sorted_tables}


@pytest.fixture
async def standin() -> AsyncIterator[BotConnectorStandIn]:
    """The real Bot Connector (on 127.0.0.1, which the tests' allow-list names)."""
    server = BotConnectorStandIn()
    await server.start()
    with trusted():
        yield server
    await server.close()


@pytest.fixture
async def attacker() -> AsyncIterator[BotConnectorStandIn]:
    server = BotConnectorStandIn(host="127.0.0.2")
    await server.start()
    yield server
    await server.close()


def slack_only() -> dict[str, Any]:
    """The usual first install: Slack configured, Teams not."""
    return {"MicrosoftAppId": None, "MicrosoftAppPassword": None, "MicrosoftAppTenantId": None,
            "SLACK_BOT_TOKEN": "xoxb-test-only", "SLACK_SIGNING_SECRET": "test-only-signing-secret",
            "BOARDBOT_SLACK_API_URL": "http://127.0.0.1:9/api/"}


async def test_without_teams_credentials_api_messages_does_not_exist(
        engine: Engine, standin: BotConnectorStandIn, attacker: BotConnectorStandIn) -> None:
    """Critical item 1: with only Slack set up, a caller posed as a signer (their AAD object id)
    clicked "Justera" on a running round, from a serviceUrl of their choice, and the bot
    confirmed, answered there and stored the conversation. Now the route does not exist."""
    board = make_board(engine)  # Monica signs; her AAD object id is "aad-monica"
    services = Services(engine=engine, settings=settings(**slack_only()))
    _, round_id = start_in_slack(services.assistant)
    before = store_contents(engine)
    client = await serve(services)
    try:
        monica = {"id": "29:1monica", "name": "Monica Fällström", "aadObjectId": "aad-monica"}
        click = card_execute(attacker.url, "justering.confirm", str(round_id))
        click["from"] = monica
        tries = [click, personal_message(attacker.url, "hjälp", sender=monica)]
        # New conversation ids each time: none may become a row.
        tries += [personal_message(attacker.url, "hjälp", conversation_id=f"a:new-{n}", activity_id=str(n))
                  for n in range(5)]
        for activity in tries:
            response = await client.post("/api/messages", json=activity)
            assert response.status == 404
            # Even a token that would verify changes nothing: there is no Teams to verify it.
            assert (await post_activity(client, activity)).status == 404
        assert client.server.app.get(NOTIFIER_KEY) is None  # no proactive Teams sends either
        assert (await client.get("/healthz")).status == 200
    finally:
        await client.close()
    assert store_contents(engine) == before
    with Session(engine) as session:
        assert session.exec(select(JusteringConfirmation)).all() == []
    assert attacker.calls == [] and standin.calls == []
    assert board.people["Monica"]


async def test_with_credentials_bad_tokens_are_refused_and_nothing_is_written(
        engine: Engine, standin: BotConnectorStandIn, attacker: BotConnectorStandIn) -> None:
    """Botbuilder's own JWT validation decides: a token signed by another key, expired, for
    another bot, or bound to another serviceUrl gets 401 before anything is handled."""
    make_board(engine)
    before = store_contents(engine)
    client = await serve(Services(engine=engine, settings=settings()))
    tokens = token_service()
    try:
        activity = personal_message(attacker.url, "hjälp", sender={**ANNA, "aadObjectId": "aad-monica"})
        other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        bad_headers = [
            {},
            {"Authorization": "Bearer not-a-token"},
            tokens.header(activity, key=other_key),
            tokens.header(activity, lifetime=-3600),  # expired an hour ago (beyond the 5 min leeway)
            tokens.header(activity, audience="9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"),
            tokens.header(activity, issuer="https://attacker.example"),
            # A genuine token for the real service, replayed with the attacker's serviceUrl.
            {"Authorization": f"Bearer {tokens.channel_token(standin.url)}"},
        ]
        for n, headers in enumerate(bad_headers):
            attempt = dict(activity, id=f"bad-{n}",
                           conversation={**activity["conversation"], "id": f"a:new-conversation-{n}"})
            response = await client.post("/api/messages", json=attempt, headers=headers)
            assert response.status == 401, (n, await response.text())
    finally:
        await client.close()
    assert store_contents(engine) == before
    assert attacker.calls == [] and standin.calls == []


async def test_an_authenticated_activity_whose_service_url_is_not_allowed_is_refused(
        engine: Engine, standin: BotConnectorStandIn, attacker: BotConnectorStandIn) -> None:
    """Even with a valid token, a serviceUrl outside BOARDBOT_TEAMS_SERVICE_HOSTS gets 403:
    no reply goes there (with the bot's token), and no conversation keeps it for reminders."""
    before = store_contents(engine)
    client = await serve(Services(engine=engine, settings=settings()))
    try:
        for url in (attacker.url, "https://smba.trafficmanager.net.attacker.example/emea/",
                    "http://smba.trafficmanager.net/emea/", "https://169.254.169.254/latest/"):
            activity = personal_message(url, "hjälp", activity_id=f"x-{len(url)}")
            response = await post_activity(client, activity)
            assert response.status == 403, url
            assert "serviceUrl" in (await response.json())["error"]
    finally:
        await client.close()
    assert store_contents(engine) == before
    assert attacker.calls == [] and standin.calls == []


async def test_a_known_conversations_service_url_changes_only_through_an_allowed_authenticated_activity(
        engine: Engine, standin: BotConnectorStandIn, attacker: BotConnectorStandIn) -> None:
    client = await serve(Services(engine=engine, settings=settings()))
    try:
        assert (await post_activity(client, bot_installed_in_team(standin.url))).status == 201
        await standin.wait_for(1)
        linked = store_contents(engine)
        hijack = bot_installed_in_team(attacker.url, activity_id="f:hijack")
        assert (await client.post("/api/messages", json=hijack)).status == 401  # no token
        assert (await post_activity(client, hijack)).status == 403  # token, but not a Bot Framework host
        assert store_contents(engine) == linked

        notifier = client.server.app[NOTIFIER_KEY]
        await notifier.send(f"teams:{TEAM}", "Påminnelse: styrelsemöte i morgon.")
        assert standin.messages()[-1].body["text"] == "Påminnelse: styrelsemöte i morgon."
        assert attacker.calls == []

        # The service itself may move the conversation (another region): authenticated and allowed.
        moved = BotConnectorStandIn()
        await moved.start()
        try:
            assert (await post_activity(client, bot_installed_in_team(moved.url, activity_id="f:moved"))).status == 201
            await notifier.send(f"teams:{TEAM}", "Påminnelse två.")
            assert moved.messages()[-1].body["text"] == "Påminnelse två."
        finally:
            await moved.close()
    finally:
        await client.close()
    assert attacker.calls == []


async def test_a_stored_service_url_that_is_not_allowed_is_never_written_to(
        engine: Engine, attacker: BotConnectorStandIn, standin: BotConnectorStandIn) -> None:
    """A row from before the allow-list (or an allow-list narrowed since): reminders fail loudly
    instead of going to that host."""
    client = await serve(Services(engine=engine, settings=settings()))
    try:
        reference = json.dumps({"bot": {"id": "28:bot"}, "channelId": "msteams", "serviceUrl": attacker.url,
                                "conversation": {"id": TEAM, "conversationType": "channel"}})
        with Session(engine) as session:
            session.add(ConversationLink(platform="teams", conversation_id=TEAM, reference=reference))
            session.commit()
        with pytest.raises(DeliveryError, match="not an allowed Bot Framework host"):
            await client.server.app[NOTIFIER_KEY].send(f"teams:{TEAM}", "Påminnelse")
    finally:
        await client.close()
    assert attacker.calls == []


async def test_the_emulator_mode_answers_without_tokens_but_only_to_allowed_hosts(
        engine: Engine, standin: BotConnectorStandIn, attacker: BotConnectorStandIn) -> None:
    emulator = settings(MicrosoftAppId=None, MicrosoftAppPassword=None, MicrosoftAppTenantId=None,
                        BOARDBOT_TEAMS_EMULATOR=True)
    client = await serve(Services(engine=engine, settings=emulator))
    try:
        before = store_contents(engine)
        refused = await client.post("/api/messages", json=personal_message(attacker.url, "hjälp"))
        assert refused.status == 403
        # Through a reverse proxy on this machine: local in appearance, not in fact.
        proxied = await client.post("/api/messages", json=personal_message(standin.url, "hjälp"),
                                    headers={"X-Forwarded-For": "203.0.113.9"})
        assert proxied.status == 403
        assert store_contents(engine) == before and attacker.calls == [] and standin.calls == []
        answered = await client.post("/api/messages", json=personal_message(standin.url, "hjälp"))
        assert answered.status == 201
        (reply,) = await standin.wait_for(1)
        assert reply.authorization is None  # no credentials: no token is sent
    finally:
        await client.close()


async def test_an_oversized_activity_is_refused_before_it_is_read(
        engine: Engine, standin: BotConnectorStandIn) -> None:
    before = store_contents(engine)
    client = await serve(Services(engine=engine, settings=settings()))
    try:
        huge = personal_message(standin.url, "x" * (MAX_ACTIVITY_BYTES + 1))
        assert (await post_activity(client, huge)).status == 413

        async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: the body arrives in pieces
            for _ in range(MAX_ACTIVITY_BYTES // 65536 + 2):
                yield b" " * 65536

        chunked = await client.post("/api/messages", data=chunks(), headers={
            "Content-Type": "application/json", **token_service().header(huge)})
        assert chunked.status == 413
        assert (await post_activity(client, personal_message(standin.url, "hjälp"))).status == 201
    finally:
        await client.close()
    changed = {table for table, rows in store_contents(engine).items() if rows != before[table]}
    assert changed == {"conversationlink", "processedevent"}  # only the one real message left a trace


def test_the_default_allow_list_names_bot_framework_hosts_only() -> None:
    policy = ServiceUrlPolicy.from_settings(Settings(_env_file=None))
    for allowed in ("https://smba.trafficmanager.net/emea/", "https://smba.trafficmanager.net/amer/",
                    "https://europe.webchat.botframework.com/", "https://SMBA.trafficmanager.net./teams/"):
        assert policy.allows(allowed), allowed
    for refused in ("http://smba.trafficmanager.net/emea/", "https://smba.trafficmanager.net.evil.example/",
                    "https://evilbotframework.com/", "https://botframework.com/", "https://user@smba.trafficmanager.net/",
                    "https://smba.trafficmanager.net:port/", "http://127.0.0.1:3978/", "https://10.0.0.5/",
                    "ftp://smba.trafficmanager.net/", "smba.trafficmanager.net", "", None):
        assert not policy.allows(refused), refused
    loopback = ServiceUrlPolicy.from_settings(Settings(_env_file=None, BOARDBOT_TEAMS_SERVICE_HOSTS="localhost, 127.0.0.1"))
    assert loopback.allows("http://localhost:53000/") and loopback.allows("http://127.0.0.1:1/")
    assert not loopback.allows("http://127.0.0.2:1/")


async def test_another_organisations_tenant_is_not_served(
        engine: Engine, standin: BotConnectorStandIn) -> None:
    """Anyone with the app package can install it in their own tenant and Teams delivers their
    messages with genuine tokens; only the app's tenant (and tenants listed) is served."""
    other = "9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f"
    before = store_contents(engine)
    client = await serve(Services(engine=engine, settings=settings()))
    try:
        foreign = personal_message(standin.url, "hjälp", conversation_id="a:foreign")
        foreign["conversation"]["tenantId"] = other
        foreign["channelData"] = {"tenant": {"id": other}}
        assert (await post_activity(client, foreign)).status == 403
        mixed = dict(foreign, channelData={"tenant": {"id": TENANT}}, id="mixed")  # conversation still foreign
        assert (await post_activity(client, mixed)).status == 403
        unnamed = personal_message(standin.url, "hjälp", conversation_id="a:unnamed", activity_id="unnamed")
        del unnamed["conversation"]["tenantId"], unnamed["channelData"]
        assert (await post_activity(client, unnamed)).status == 403
    finally:
        await client.close()
    assert store_contents(engine) == before and standin.calls == []

    listed = await serve(Services(engine=engine, settings=settings(BOARDBOT_TEAMS_OTHER_TENANTS=other)))
    try:
        assert (await post_activity(listed, foreign)).status == 201
        await standin.wait_for(1)
    finally:
        await listed.close()
