"""Who may move a channel between förbund, through the real Slack endpoint, on SQLite and PostgreSQL.

The attacks (issue 12, item 4): any member of a board's channel `koppla`-ing it to a förbund that
has no admin yet; an admin of förbund B relinking förbund A's channel. A linked channel moves
only with the consent of its own förbund's admin, and the channel is told who linked it.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.services import Services
from storage.models import AuditLog, ConversationLink, Organisation, Person
from tests.bot_framework_tokens import trusted
from tests.slack_harness import CHANNEL, Bot, mention, new_ts, running_bot
from tests.teams_standin import CHANNEL as TEAMS_CHANNEL
from tests.teams_standin import BotConnectorStandIn, channel_mention
from tests.test_slack import add_org, link
from tests.test_teams_http import card_texts, post_activity, serve, settings

ANNA, BERIT, MEMBER = "U0ANNA", "U0BERIT", "U0MEMBER"
NORRA, SODRA, NYA = "Samordningsförbundet Norra", "Samordningsförbundet Södra", "Samordningsförbundet Nya"


@pytest.fixture
async def bot(engine: Engine) -> AsyncIterator[Bot]:
    async with running_bot(engine) as running:
        yield running


def linked_to(engine: Engine) -> int | None:
    with Session(engine) as session:
        return session.exec(select(ConversationLink.organisation_id)
                            .where(ConversationLink.conversation_id == CHANNEL)).one()


def audit(engine: Engine, action: str) -> list[dict[str, object]]:
    with Session(engine) as session:
        rows = session.exec(select(AuditLog).where(AuditLog.action == action).order_by(col(AuditLog.id))).all()
        return [{"actor": a.actor, **json.loads(a.detail or "{}")} for a in rows]


async def say(bot: Bot, text: str, user: str) -> None:
    assert await bot.event(mention(text, user=user, ts=new_ts())) == 200
    await bot.settle()


async def test_a_linked_channel_moves_only_with_its_own_admins_consent(bot: Bot, engine: Engine) -> None:
    norra = add_org(engine, NORRA, ("Anna Andersson", ANNA, True))
    add_org(engine, SODRA, ("Berit Berg", BERIT, True))
    nya = add_org(engine, NYA)  # no admin yet: its first run
    link(engine, CHANNEL, norra)

    # A member of the channel moves it to a förbund without admins; the admin of Södra moves it to Södra.
    await say(bot, "koppla Nya", MEMBER)
    await say(bot, "koppla Södra", BERIT)
    refusals = bot.standin.calls_to("chat.postEphemeral")
    assert [(r.args["user"], r.args["channel"]) for r in refusals] == [(MEMBER, CHANNEL), (BERIT, CHANNEL)]
    for refusal in refusals:
        assert f"Kanalen är kopplad till {NORRA}. Bara en administratör för {NORRA}" in refusal.args["text"]
    assert bot.standin.calls_to("chat.postMessage") == []  # nothing said in the channel
    assert linked_to(engine) == norra  # nothing written
    assert audit(engine, "conversation_linked") == []
    refused = audit(engine, "conversation_link.refused")
    assert [(r["user"], r["wanted"], r["linked_to"]) for r in refused] == [(MEMBER, NYA, NORRA), (BERIT, SODRA, NORRA)]

    # Norra's admin may move it; the channel is told who did.
    await say(bot, "koppla Nya", ANNA)
    [said] = bot.standin.calls_to("chat.postMessage")
    assert said.args["channel"] == CHANNEL
    assert f"Kanalen är nu kopplad till {NYA} av <@{ANNA}>" in said.args["text"]
    assert f"Tidigare: {NORRA}" in said.args["text"]
    assert linked_to(engine) == nya


async def test_first_run_linking_applies_to_unlinked_channels_and_names_who_linked(bot: Bot, engine: Engine) -> None:
    nya = add_org(engine, NYA)
    await say(bot, "koppla Nya", MEMBER)
    [said] = bot.standin.calls_to("chat.postMessage")
    assert f"Kanalen är nu kopplad till {NYA} av <@{MEMBER}>" in said.args["text"]
    assert "första uppstart" in said.args["text"]
    assert linked_to(engine) == nya
    # Once linked, the same first-run allowance no longer moves it, even to another admin-less förbund.
    add_org(engine, SODRA)
    await say(bot, "koppla Södra", MEMBER)
    [refusal] = bot.standin.calls_to("chat.postEphemeral")
    assert refusal.args["user"] == MEMBER and "Bara en administratör" in refusal.args["text"]
    assert linked_to(engine) == nya


async def test_in_teams_a_linked_channel_moves_only_with_its_own_admins_consent(engine: Engine) -> None:
    """The same attack through /api/messages with Bot Framework tokens: the admin of another
    förbund is refused in private, nothing changes; the channel's own admin moves it."""
    anna_aad, berit_aad = "0a6c1f0e-5b1d-4c47-9f2e-1c8a3d9b7e01", "1b7d2a1f-6c2e-4d58-8a3f-2d9b4e0c8f12"
    anna = {"id": "29:1anna-Xq3vG7nB0aK", "name": "Anna Andersson", "aadObjectId": anna_aad}
    berit = {"id": "29:1berit-Xq3vG7nB0aK", "name": "Berit Berg", "aadObjectId": berit_aad}
    with Session(engine) as session:
        ids = {}
        for name, person, aad in ((NORRA, "Anna Andersson", anna_aad), (SODRA, "Berit Berg", berit_aad)):
            org = Organisation(name=name)
            session.add(org)
            session.flush()
            assert org.id is not None
            ids[name] = org.id
            session.add(Person(organisation_id=org.id, name=person, teams_aad_id=aad, is_admin=True))
        nya = Organisation(name=NYA)  # no admin yet: its first run
        session.add(nya)
        session.flush()
        assert nya.id is not None
        ids[NYA] = nya.id
        session.add(ConversationLink(platform="teams", conversation_id=TEAMS_CHANNEL, organisation_id=ids[NORRA]))
        session.commit()
    standin = BotConnectorStandIn()
    await standin.start()
    client = await serve(Services(engine=engine, settings=settings()))
    try:
        with trusted():
            refused = await post_activity(client, channel_mention(standin.url, "koppla Södra",
                                                                  activity_id="1715585400101", sender=berit))
            assert refused.status == 201
            [chat] = standin.new_chats()
            assert chat.body["members"][0]["id"] == berit["id"]
            [private] = [c for c in standin.messages() if c.conversation_id == f"a:private-{chat.returned_id}"]
            assert f"Bara en administratör för {NORRA}" in card_texts(private.body)
            assert not any(SODRA in json.dumps(c.body) for c in standin.messages() if c is not private)
            with Session(engine) as session:
                link = session.exec(select(ConversationLink).where(
                    ConversationLink.conversation_id == TEAMS_CHANNEL)).one()
            assert link.organisation_id == ids[NORRA]

            moved = await post_activity(client, channel_mention(standin.url, "koppla Nya",
                                                                activity_id="1715585400102", sender=anna))
            assert moved.status == 201
            said = standin.messages()[-1]
            assert said.conversation_id.startswith(TEAMS_CHANNEL)
            assert f"Kanalen är nu kopplad till {NYA} av" in card_texts(said.body)
            assert "Anna Andersson" in card_texts(said.body)
            with Session(engine) as session:
                link = session.exec(select(ConversationLink).where(
                    ConversationLink.conversation_id == TEAMS_CHANNEL)).one()
            assert link.organisation_id == ids[NYA]
    finally:
        await client.close()
        await standin.close()


async def test_a_new_board_is_created_by_an_admin_only_and_not_twice(bot: Bot, engine: Engine) -> None:
    add_org(engine, NORRA, ("Anna Andersson", ANNA, True))
    await say(bot, "koppla ny Mölndals stad, kommunstyrelsen", MEMBER)
    [refusal] = bot.standin.calls_to("chat.postEphemeral")
    assert "Bara en administratör kan lägga till" in refusal.args["text"]
    await say(bot, "koppla ny Mölndals stad, kommunstyrelsen", ANNA)
    [said] = bot.standin.calls_to("chat.postMessage")
    assert "Skapade organisationen ”Mölndals stad, kommunstyrelsen”" in said.args["text"]
    assert "Kanalen är nu kopplad till Mölndals stad, kommunstyrelsen" in said.args["text"]
    assert [r["name"] for r in audit(engine, "organisation_created")] == ["Mölndals stad, kommunstyrelsen"]
    await say(bot, "koppla ny Mölndal stad kommunstyrelse", ANNA)  # too close to the one just made
    assert "liknar för mycket" in bot.standin.calls_to("chat.postEphemeral")[-1].args["text"]
    assert len(audit(engine, "organisation_created")) == 1


async def test_creating_a_new_board_does_not_move_a_channel_linked_to_another(bot: Bot, engine: Engine) -> None:
    norra = add_org(engine, NORRA, ("Anna Andersson", ANNA, True))
    add_org(engine, SODRA, ("Berit Berg", BERIT, True))
    link(engine, CHANNEL, norra)
    await say(bot, "koppla ny Mölndals stad, kommunstyrelsen", BERIT)  # an admin, but of Södra
    [refusal] = bot.standin.calls_to("chat.postEphemeral")
    assert f"Bara en administratör för {NORRA}" in refusal.args["text"]
    assert linked_to(engine) == norra
    assert audit(engine, "organisation_created") == []
    with Session(engine) as session:
        assert session.exec(select(Organisation).where(Organisation.name.startswith("Mölndal"))).first() is None  # type: ignore[attr-defined]
