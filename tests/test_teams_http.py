"""Teams over HTTP: real-shaped activities POSTed to /api/messages of the real aiohttp app on
127.0.0.1, with replies going to a Bot Connector stand-in on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import jwt
import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.services import Services
from bot.teams_app import NOTIFIER_KEY
from bot.web import create_app
from handlers import registry
from handlers.messages import Reply
from scheduler.notifier import DeliveryError
from storage.models import ConversationLink, Organisation, Person, ProcessedEvent
from storage.settings import Settings
from tests.bot_framework_tokens import APP_ID, FAKE_CLIENT_SECRET, OUTBOUND_TOKEN, token_service, trusted
from tests.teams_standin import (
    ANNA,
    CHANNEL,
    PERSONAL,
    TEAM,
    TENANT,
    BotConnectorStandIn,
    bot_installed_in_team,
    card_execute,
    channel_mention,
    mention,
    personal_message,
)

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"


def settings(**values: Any) -> Settings:
    """Teams as deployed: a single-tenant app registration, every request checked for a Bot
    Framework token; replies may go only to the Bot Connector stand-in's host."""
    return Settings(_env_file=None, **{"MicrosoftAppId": APP_ID, "MicrosoftAppPassword": FAKE_CLIENT_SECRET,
                                       "MicrosoftAppTenantId": TENANT, "BOARDBOT_TEAMS_EMULATOR": False,
                                       "BOARDBOT_TEAMS_SERVICE_HOSTS": "127.0.0.1", **values})


@pytest.fixture
async def standin() -> AsyncIterator[BotConnectorStandIn]:
    server = BotConnectorStandIn()
    await server.start()
    with trusted():
        yield server
    await server.close()


async def post_activity(client: TestClient[Any, Any], activity: dict[str, Any], **token: Any) -> ClientResponse:
    """POSTs an activity as the Bot Connector does: with a token bound to its serviceUrl."""
    return await client.post("/api/messages", json=activity, headers=token_service().header(activity, **token))


async def serve(services: Services) -> TestClient[Any, Any]:
    client: TestClient[Any, Any] = TestClient(TestServer(create_app(services), host="127.0.0.1", port=0))
    await client.start_server()
    return client


@pytest.fixture
async def client(engine: Engine) -> AsyncIterator[TestClient[Any, Any]]:
    client = await serve(Services(engine=engine, settings=settings()))
    yield client
    await client.close()


@pytest.fixture
def echo_action() -> Iterator[str]:
    registry.ACTIONS["test.echo"] = lambda ctx, value: Reply(f"Knappen gav {value}")
    yield "test.echo"
    registry.ACTIONS.pop("test.echo", None)


def card_texts(body: dict[str, Any]) -> str:
    (attachment,) = body["attachments"]
    assert attachment["contentType"] == ADAPTIVE_CARD
    return "\n".join(b["text"] for b in attachment["content"]["body"] if b["type"] == "TextBlock")


async def test_message_gets_a_card_reply(client: TestClient[Any, Any], standin: BotConnectorStandIn,
                                         engine: Engine) -> None:
    response = await post_activity(client, personal_message(standin.url, "hjälp"))
    assert response.status == 201
    (reply,) = await standin.wait_for(1)
    assert reply.conversation_id == PERSONAL
    assert reply.activity_id == "1715585412345"  # a reply to the question
    assert reply.body["type"] == "message"
    assert reply.body["from"]["id"].startswith("28:")
    assert "Du kan fråga mig om beslut" in card_texts(reply.body)
    assert "Du kan fråga mig om beslut" in reply.body["summary"]
    assert reply.authorization == f"Bearer {OUTBOUND_TOKEN}"  # the bot's own token, to an allowed host
    with Session(engine) as session:
        link = session.exec(select(ConversationLink).where(ConversationLink.conversation_id == PERSONAL)).one()
    assert link.reference and ANNA["aadObjectId"] in link.reference


async def test_channel_mention_is_answered_in_its_thread(client: TestClient[Any, Any],
                                                         standin: BotConnectorStandIn) -> None:
    response = await post_activity(client, channel_mention(standin.url, "hjälp"))
    assert response.status == 201
    (reply,) = await standin.wait_for(1)
    assert reply.conversation_id == f"{CHANNEL};messageid=1715585499999"
    assert "Du kan fråga mig om beslut" in card_texts(reply.body)


async def test_card_action_is_handled_and_gets_an_invoke_response(
    client: TestClient[Any, Any], standin: BotConnectorStandIn, echo_action: str
) -> None:
    response = await post_activity(client, card_execute(standin.url, echo_action, "ja"))
    assert response.status == 200
    assert await response.json() == {"statusCode": 200, "type": "application/vnd.microsoft.activity.message",
                                      "value": "Knappen gav ja"}
    (posted,) = await standin.wait_for(1)
    assert card_texts(posted.body) == "Knappen gav ja"


async def test_same_activity_delivered_twice_gets_one_reply(
    client: TestClient[Any, Any], standin: BotConnectorStandIn, engine: Engine
) -> None:
    activity = personal_message(standin.url, "hjälp", activity_id="1715585412999")
    first = await post_activity(client, activity)
    again = await post_activity(client, activity)
    assert (first.status, again.status) == (201, 201)
    await standin.wait_for(1)
    # Each request is answered before its response, so nothing more can still be on its way.
    assert len(standin.messages()) == 1
    with Session(engine) as session:
        assert len(session.exec(select(ProcessedEvent)).all()) == 1


async def test_proactive_send_through_a_stored_reference(
    client: TestClient[Any, Any], standin: BotConnectorStandIn
) -> None:
    installed = await post_activity(client, bot_installed_in_team(standin.url))
    assert installed.status == 201
    (welcome,) = await standin.wait_for(1)
    assert "hjälp" in card_texts(welcome.body)
    notifier = client.server.app[NOTIFIER_KEY]

    message_id = await notifier.send(f"teams:{TEAM}", "Påminnelse: styrelsemöte i morgon kl. 09.00.")
    sent = standin.messages()[-1]
    assert sent.conversation_id == TEAM
    assert sent.activity_id is None  # a new post, not a reply to anything
    assert sent.body["text"] == "Påminnelse: styrelsemöte i morgon kl. 09.00."
    assert message_id == sent.returned_id


async def test_proactive_send_to_a_person_uses_their_personal_chat(
    client: TestClient[Any, Any], standin: BotConnectorStandIn
) -> None:
    await post_activity(client, personal_message(standin.url, "hjälp"))
    await standin.wait_for(1)
    notifier = client.server.app[NOTIFIER_KEY]
    await notifier.send(f"teams:{ANNA['aadObjectId']}", "Du har ett protokoll att justera.")
    sent = standin.messages()[-1]
    assert (sent.conversation_id, sent.body["text"]) == (PERSONAL, "Du har ett protokoll att justera.")


async def test_proactive_send_failures_are_delivery_errors(
    client: TestClient[Any, Any], standin: BotConnectorStandIn
) -> None:
    notifier = client.server.app[NOTIFIER_KEY]
    with pytest.raises(DeliveryError, match="install the app"):
        await notifier.send("teams:19:never-seen@thread.tacv2", "Hej")
    await post_activity(client, bot_installed_in_team(standin.url))
    await standin.wait_for(1)
    standin.fail_with = 403  # the app was removed from the team in the meantime
    with pytest.raises(DeliveryError, match="did not accept"):
        await notifier.send(f"teams:{TEAM}", "Hej")


async def test_malformed_activities_get_400_and_the_server_keeps_running(
    client: TestClient[Any, Any], standin: BotConnectorStandIn
) -> None:
    headers = {"Content-Type": "application/json"}
    bad_json = await client.post("/api/messages", data=b'{"type": "message", ', headers=headers)
    assert bad_json.status == 400
    assert "JSON" in (await bad_json.json())["error"]
    no_type = personal_message(standin.url, "hjälp")
    del no_type["type"]
    missing_type = await client.post("/api/messages", data=json.dumps(no_type), headers=headers)
    assert missing_type.status == 400
    assert "type" in (await missing_type.json())["error"]
    not_object = await client.post("/api/messages", data=b"[1, 2]", headers=headers)
    assert not_object.status == 400
    wrong_shape = personal_message(standin.url, "hjälp")
    wrong_shape["conversation"] = "a:1"
    assert (await client.post("/api/messages", json=wrong_shape)).status == 400
    no_service_url = personal_message(standin.url, "hjälp")
    del no_service_url["serviceUrl"]
    assert (await client.post("/api/messages", json=no_service_url)).status == 400
    assert standin.calls == []

    assert (await client.get("/healthz")).status == 200
    ok = await post_activity(client, personal_message(standin.url, "hjälp"))
    assert ok.status == 201
    await standin.wait_for(1)


async def test_with_credentials_a_request_without_a_valid_token_gets_401(
    engine: Engine, standin: BotConnectorStandIn
) -> None:
    client = await serve(Services(engine=engine, settings=settings(
        MicrosoftAppId=APP_ID, MicrosoftAppPassword=FAKE_CLIENT_SECRET, MicrosoftAppTenantId=TENANT)))
    try:
        activity = personal_message(standin.url, "hjälp")
        no_token = await client.post("/api/messages", json=activity)
        assert no_token.status == 401
        garbage = await client.post("/api/messages", json=activity,
                                    headers={"Authorization": "Bearer not-a-token"})
        assert garbage.status == 401
        forged = jwt.encode({"iss": "https://attacker.example", "aud": APP_ID, "serviceurl": standin.url},
                            "a-signing-key-that-the-bot-has-never-trusted", algorithm="HS256")
        forged_response = await client.post("/api/messages", json=activity,
                                            headers={"Authorization": f"Bearer {forged}"})
        assert forged_response.status == 401
        # Nothing was handled: no reply, no duplicate marker that would swallow a real retry.
        assert standin.calls == []
        with Session(engine) as session:
            assert session.exec(select(ProcessedEvent)).all() == []
        assert (await client.get("/healthz")).status == 200
    finally:
        await client.close()


async def test_private_answer_in_a_channel_goes_to_a_one_to_one_chat(
    client: TestClient[Any, Any], standin: BotConnectorStandIn
) -> None:
    registry.COMMANDS.append(registry.Command(
        ("testhemligt",), lambda ctx, rest: Reply("Din personliga kod är QZX-7731.", private=True), "", ""))
    try:
        response = await post_activity(client, channel_mention(standin.url, "testhemligt"))
    finally:
        registry.COMMANDS.pop()
    assert response.status == 201
    await standin.wait_for(2)
    created = [c for c in standin.calls if c.conversation_id is None]
    assert len(created) == 1
    assert created[0].body["members"][0]["id"] == ANNA["id"]
    assert created[0].body["isGroup"] is False
    assert created[0].body["channelData"] == {"tenant": {"id": TENANT}}  # Teams needs it to open the chat
    private, notice = standin.messages()
    assert private.conversation_id == f"a:private-{created[0].returned_id}"
    assert "QZX-7731" in card_texts(private.body)
    assert notice.conversation_id.startswith(CHANNEL)
    assert "QZX-7731" not in json.dumps(notice.body)
    assert "privat chatt" in notice.body["text"]


async def test_person_command_links_the_mentioned_teams_user(
    client: TestClient[Any, Any], standin: BotConnectorStandIn, engine: Engine
) -> None:
    """The platform-neutral `person @user Name` works in Teams: the @mention becomes the user's
    AAD object id, which the bot asks the Bot Connector for."""
    bertil = {"id": "29:1bertil-berg", "name": "Bertil Berg", "aadObjectId": "0f0e0d0c-2222-4b3a-8c9d-abcdefabcdef",
              "userPrincipalName": "bertil.berg@forbund.example.se", "tenantId": TENANT}
    standin.members[bertil["id"]] = bertil
    with Session(engine) as session:
        org = Organisation(name="Samordningsförbundet Test")
        session.add(org)
        session.flush()
        assert org.id is not None
        session.add(Person(organisation_id=org.id, name="Bertil Berg"))
        session.add(ConversationLink(platform="teams", conversation_id=CHANNEL, organisation_id=org.id))
        session.commit()
    activity = channel_mention(standin.url, "person PLACEHOLDER Bertil Berg")
    tag, entity = mention(bertil)
    activity["text"] = activity["text"].replace("PLACEHOLDER", tag)
    activity["entities"].append(entity)

    response = await post_activity(client, activity)
    assert response.status == 201
    await standin.wait_for(1)
    with Session(engine) as session:
        person = session.exec(select(Person).where(Person.name == "Bertil Berg")).one()
    assert person.teams_aad_id == bertil["aadObjectId"]


async def test_a_reply_that_failed_is_sent_when_teams_retries(
    client: TestClient[Any, Any], standin: BotConnectorStandIn
) -> None:
    activity = personal_message(standin.url, "hjälp", activity_id="1715585412777")
    standin.fail_with = 403
    failed = await post_activity(client, activity)
    assert failed.status == 500
    standin.fail_with = None
    retried = await post_activity(client, activity)
    assert retried.status == 201
    (reply,) = await standin.wait_for(1)
    assert "Du kan fråga mig om beslut" in card_texts(reply.body)
