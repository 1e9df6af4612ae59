"""Teams conversation flows, in-process with botbuilder's own TestAdapter and a real store."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botbuilder.core import InvokeResponse
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, ChannelAccount, ConversationAccount, Entity
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.services import Services
from bot.teams.adapter import TeamsSetupError, config_from_settings
from bot.teams.bot import BoardBot
from bot.teams.cards import ADAPTIVE_CARD
from bot.teams.references import adopt_personal_chat, link_conversation
from handlers import registry
from handlers.messages import Followup, Message, Reply
from storage.models import ConversationLink, Organisation, Person, ProcessedEvent
from storage.settings import Settings

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
ANNA_AAD = "6f3c2a1e-1111-4a2b-9c3d-0123456789ab"
BOT = ChannelAccount(id="28:bot-id", name="Boardbot")
CHANNEL = "19:board@thread.tacv2"
TEAM = "19:team-general@thread.tacv2"


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **{"MicrosoftAppId": None, "MicrosoftAppPassword": None,
                                       "MicrosoftAppTenantId": None, **values})


class Recorder:
    """Wraps Assistant.handle to see the Message the bot built (the real assistant answers)."""

    def __init__(self, services: Services) -> None:
        self.messages: list[Message] = []
        self._handle = services.assistant.handle
        services.assistant.handle = self  # type: ignore[method-assign]

    def __call__(self, message: Message) -> Reply:
        self.messages.append(message)
        return self._handle(message)


@pytest.fixture
def services(engine: Engine) -> Services:
    return Services(engine=engine, settings=settings())


@pytest.fixture
def echo_action() -> Iterator[str]:
    """A button handler registered for the test, as a feature module would register one."""

    def echo(ctx: Any, value: str) -> Reply:
        who = ctx.person.name if ctx.person else "okänd"
        return Reply(f"Knappen gav {value} från {who}")

    registry.ACTIONS["test.echo"] = echo
    yield "test.echo"
    registry.ACTIONS.pop("test.echo", None)


def adapter_for(bot: BoardBot, conversation_id: str = "a:1personal-anna",
                conversation_type: str = "personal", team_id: str | None = None) -> TestAdapter:
    template = Activity(
        channel_id="msteams",
        service_url="https://smba.trafficmanager.net/emea/",
        conversation=ConversationAccount(id=conversation_id, conversation_type=conversation_type,
                                         tenant_id=TENANT, is_group=conversation_type != "personal"),
        from_property=ChannelAccount(id="29:1anna", name="Anna Andersson", aad_object_id=ANNA_AAD),
        recipient=BOT,
        channel_data={"tenant": {"id": TENANT}, **({"team": {"id": team_id}} if team_id else {})},
        locale="sv-SE",
    )
    return TestAdapter(bot.on_turn, template)


def card_of(activity: Activity) -> dict[str, Any]:
    assert activity.attachments, f"no card in {activity}"
    attachment = activity.attachments[0]
    assert attachment.content_type == ADAPTIVE_CARD
    card: dict[str, Any] = attachment.content
    return card


def card_text(activity: Activity) -> str:
    return "\n".join(b["text"] for b in card_of(activity)["body"] if b.get("type") == "TextBlock")


def mention_of_bot() -> Entity:
    return Entity().deserialize({"type": "mention", "text": "<at>Boardbot</at>",
                                 "mentioned": {"id": BOT.id, "name": BOT.name}})


async def test_message_gets_a_card_reply_with_text_fallback(services: Services) -> None:
    adapter = adapter_for(BoardBot(services, None))

    def check(reply: Activity, description: str) -> None:
        card = card_of(reply)
        assert card["version"] == "1.5"
        assert "Du kan fråga mig om beslut" in card_text(reply)
        # The fallback carries the same answer for previews and clients without cards.
        assert "Du kan fråga mig om beslut" in card["fallbackText"]
        assert "Du kan fråga mig om beslut" in reply.summary
        # Not also in Activity.text: Teams would split that into a second, duplicate post.
        assert not reply.text

    await (await adapter.send("hjälp")).assert_reply(check)


async def test_first_contact_stores_the_conversation_reference(services: Services, engine: Engine) -> None:
    adapter = adapter_for(BoardBot(services, None))
    await adapter.send("hjälp")
    with Session(engine) as session:
        link = session.exec(select(ConversationLink).where(
            ConversationLink.conversation_id == "a:1personal-anna")).one()
    assert link.platform == "teams"
    assert link.reference is not None and ANNA_AAD in link.reference
    assert "smba.trafficmanager.net" in link.reference


async def test_channel_mention_is_stripped_before_answering(services: Services) -> None:
    recorder = Recorder(services)
    adapter = adapter_for(BoardBot(services, None), f"{CHANNEL};messageid=1700000000000", "channel", TEAM)
    said = Activity(type="message", text="<at>Boardbot</at>&nbsp;hjälp", entities=[mention_of_bot()])

    def check(reply: Activity, description: str) -> None:
        assert "Du kan fråga mig om beslut" in card_text(reply)

    await (await adapter.send(said)).assert_reply(check)
    message = recorder.messages[-1]
    assert message.text == "hjälp"
    assert message.platform == "teams"
    assert message.user_id == ANNA_AAD
    assert message.conversation_id == CHANNEL
    assert message.thread_id == "1700000000000"


async def test_group_chat_message_is_answered(services: Services) -> None:
    adapter = adapter_for(BoardBot(services, None), "19:groupchat@thread.v2", "groupChat")
    said = Activity(type="message", text="<at>Boardbot</at> hjälp", entities=[mention_of_bot()])
    await (await adapter.send(said)).assert_reply(
        lambda reply, _: None if "Du kan fråga mig" in card_text(reply) else pytest.fail(card_text(reply)))


async def test_action_submit_is_routed_like_a_slack_button(services: Services, echo_action: str,
                                                           engine: Engine) -> None:
    with Session(engine) as session:
        org = Organisation(name="Samordningsförbundet Test")
        session.add(org)
        session.flush()
        assert org.id is not None
        session.add(Person(organisation_id=org.id, name="Anna Andersson", teams_aad_id=ANNA_AAD))
        session.commit()
    recorder = Recorder(services)
    adapter = adapter_for(BoardBot(services, None))
    submit = Activity(type="message", value={"action_id": echo_action, "value": "42"})

    def check(reply: Activity, description: str) -> None:
        assert card_text(reply) == "Knappen gav 42 från Anna Andersson"

    await (await adapter.send(submit)).assert_reply(check)
    assert recorder.messages[-1].action_id == echo_action
    assert recorder.messages[-1].action_value == "42"


async def test_action_execute_invoke_is_handled_and_answered(services: Services, echo_action: str) -> None:
    adapter = adapter_for(BoardBot(services, None))
    invoke = Activity(type="invoke", name="adaptiveCard/action", value={
        "action": {"type": "Action.Execute", "verb": echo_action, "title": "Bekräfta",
                   "data": {"action_id": echo_action, "value": "7"}},
        "trigger": "manual",
    })
    await adapter.receive_activity(invoke)
    posted, invoke_reply = adapter.activity_buffer
    assert card_text(posted) == "Knappen gav 7 från okänd"
    assert invoke_reply.type == "invokeResponse"
    response: InvokeResponse = invoke_reply.value
    assert response.status == 200
    assert response.body["statusCode"] == 200
    assert response.body["type"] == "application/vnd.microsoft.activity.message"
    assert response.body["value"] == "Knappen gav 7 från okänd"


async def test_unknown_button_gets_a_clear_answer(services: Services) -> None:
    adapter = adapter_for(BoardBot(services, None))
    await adapter.receive_activity(Activity(type="message", value={"something": "else"}))
    (reply,) = adapter.activity_buffer
    assert card_text(reply) == "Den knappen känner jag inte igen."


async def test_same_activity_twice_yields_one_reply(services: Services, engine: Engine) -> None:
    adapter = adapter_for(BoardBot(services, None))
    await adapter.receive_activity(Activity(type="message", id="1700000000123", text="hjälp"))
    await adapter.receive_activity(Activity(type="message", id="1700000000123", text="hjälp"))
    assert len(adapter.activity_buffer) == 1
    # A different activity with the same text is a new question and is answered.
    await adapter.receive_activity(Activity(type="message", id="1700000000124", text="hjälp"))
    assert len(adapter.activity_buffer) == 2
    with Session(engine) as session:
        events = session.exec(select(ProcessedEvent).where(ProcessedEvent.platform == "teams")).all()
    assert len(events) == 2


async def test_install_stores_reference_greets_and_new_channels_inherit_the_team_link(
    services: Services, engine: Engine
) -> None:
    bot = BoardBot(services, None)
    adapter = adapter_for(bot, TEAM, "channel", TEAM)
    installed = Activity(type="conversationUpdate", id="f:install-1", members_added=[BOT])
    await adapter.receive_activity(installed)
    (welcome,) = adapter.activity_buffer
    assert "hjälp" in card_text(welcome)
    with Session(engine) as session:
        org = Organisation(name="Samordningsförbundet Test")
        session.add(org)
        session.flush()
        known, others = link_conversation(session, TEAM, org)
        session.commit()
        org_id = org.id
    assert known and others == 0
    # A message in another channel of the same team: that channel belongs to the förbund too.
    other = adapter_for(bot, "19:ekonomi@thread.tacv2;messageid=1700000000500", "channel", TEAM)
    await other.receive_activity(Activity(type="message", text="<at>Boardbot</at> hjälp",
                                          entities=[mention_of_bot()]))
    with Session(engine) as session:
        link = session.exec(select(ConversationLink).where(
            ConversationLink.conversation_id == "19:ekonomi@thread.tacv2")).one()
    assert link.team_id == TEAM
    assert link.organisation_id == org_id


async def test_removing_the_app_forgets_the_reference_but_keeps_the_link(
    services: Services, engine: Engine
) -> None:
    adapter = adapter_for(BoardBot(services, None))
    await adapter.receive_activity(Activity(type="installationUpdate", id="i:1", action="add"))
    await adapter.receive_activity(Activity(type="installationUpdate", id="i:2", action="remove"))
    with Session(engine) as session:
        link = session.exec(select(ConversationLink).where(
            ConversationLink.conversation_id == "a:1personal-anna")).one()
    assert link.reference is None


async def test_personal_chat_follows_the_linked_person(services: Services, engine: Engine) -> None:
    adapter = adapter_for(BoardBot(services, None))
    await adapter.send("hjälp")
    with Session(engine) as session:
        org = Organisation(name="Samordningsförbundet Test")
        session.add(org)
        session.flush()
        assert org.id is not None
        person = Person(organisation_id=org.id, name="Anna Andersson", teams_aad_id=ANNA_AAD)
        session.add(person)
        session.flush()
        assert adopt_personal_chat(session, person)
        session.commit()
        link = session.exec(select(ConversationLink).where(
            ConversationLink.conversation_id == "a:1personal-anna")).one()
        assert link.organisation_id == org.id


async def test_anchor_reply_starts_a_new_thread_in_the_channel(services: Services) -> None:
    anchored: list[tuple[str, str, str, str]] = []

    def start(ctx: Any, rest: str) -> Reply:
        return Reply("Justering av protokollet har startat.", anchor="test_round:9")

    def bind(session: Any, value: str, platform: str, channel_id: str, message_id: str) -> None:
        anchored.append((value, platform, channel_id, message_id))

    registry.COMMANDS.append(registry.Command(("teststarta",), start, "", ""))
    registry.ANCHORS["test_round"] = bind
    try:
        adapter = adapter_for(BoardBot(services, None), f"{CHANNEL};messageid=1700000000000", "channel", TEAM)
        await adapter.receive_activity(Activity(type="message", text="teststarta"))
    finally:
        registry.COMMANDS.pop()
        registry.ANCHORS.pop("test_round")
    (post,) = adapter.activity_buffer
    assert post.conversation.id == CHANNEL  # the channel, not the thread the command came from
    assert post.reply_to_id is None
    # TestAdapter numbers its replies; the id it returned is the one the thread is bound to.
    assert anchored == [("9", "teams", CHANNEL, str(adapter._next_id))]


async def test_update_root_followup_replaces_the_card_that_was_clicked(services: Services) -> None:
    def done(ctx: Any, value: str) -> Reply:
        return Reply("Tack, noterat.", followups=[Followup("update_root", reply=Reply("Justerat av alla."))])

    registry.ACTIONS["test.done"] = done
    try:
        adapter = adapter_for(BoardBot(services, None), f"{CHANNEL};messageid=1700000000777", "channel", TEAM)
        await adapter.receive_activity(Activity(type="message", reply_to_id="1700000000777",
                                                value={"action_id": "test.done", "value": ""}))
    finally:
        registry.ACTIONS.pop("test.done")
    (thanks,) = adapter.activity_buffer
    assert card_text(thanks) == "Tack, noterat."
    (updated,) = adapter.updated_activities
    assert updated.id == "1700000000777"
    assert updated.conversation.id == CHANNEL
    assert card_text(updated) == "Justerat av alla."


async def test_private_reply_is_never_posted_in_the_channel(services: Services) -> None:
    def secret(ctx: Any, rest: str) -> Reply:
        return Reply("Din personliga kod är 1234.", private=True)

    registry.COMMANDS.append(registry.Command(("testhemligt",), secret, "", ""))
    try:
        adapter = adapter_for(BoardBot(services, None), f"{CHANNEL};messageid=1700000000000", "channel", TEAM)
        await adapter.receive_activity(Activity(type="message", text="testhemligt"))
    finally:
        registry.COMMANDS.pop()
    # TestAdapter cannot open a 1:1 chat: the channel only learns that, not the answer.
    (notice,) = adapter.activity_buffer
    assert "1234" not in (notice.text or "") and not notice.attachments
    assert "privat chatt" in notice.text


def test_half_filled_credentials_are_refused_with_a_clear_message() -> None:
    with pytest.raises(TeamsSetupError, match="MicrosoftAppTenantId"):
        config_from_settings(settings(MicrosoftAppId="0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d",
                                      MicrosoftAppPassword="secret"))
    with pytest.raises(TeamsSetupError, match="MicrosoftAppId is not"):
        config_from_settings(settings(MicrosoftAppPassword="secret"))
    with pytest.raises(TeamsSetupError, match="not a GUID"):
        config_from_settings(settings(MicrosoftAppId="my-bot", MicrosoftAppPassword="s",
                                      MicrosoftAppTenantId=TENANT))
    assert config_from_settings(settings()) is None  # Teams off: nothing is served
    emulator = config_from_settings(settings(BOARDBOT_TEAMS_EMULATOR=True))
    assert emulator is not None and emulator.local
    with pytest.raises(TeamsSetupError, match="cannot be combined"):
        config_from_settings(settings(BOARDBOT_TEAMS_EMULATOR=True, MicrosoftAppId="0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d",
                                      MicrosoftAppPassword="s", MicrosoftAppTenantId=TENANT))
