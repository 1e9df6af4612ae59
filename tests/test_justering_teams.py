"""Digital justering through Teams, end to end, on SQLite and PostgreSQL.

Real-shaped activities are POSTed to /api/messages of the real aiohttp app on 127.0.0.1;
everything the bot sends goes to the Bot Connector stand-in (tests/teams_standin.py) at the
activities' serviceUrl, and is read back from there.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.services import Services
from storage import justering as j
from storage.certificate import build as build_certificate
from storage.certificate import render_text
from storage.legal_dates import anslag_post_by, earliest_take_down
from storage.models import (
    AuditLog,
    ChangeRequest,
    ConversationLink,
    JusteringConfirmation,
    JusteringRound,
    Reminder,
)
from tests.bot_framework_tokens import trusted
from tests.justering_board import (
    PARAGRAPHS,
    Board,
    Clock,
    load_corrected_version,
    make_board,
    protocol_row,
    protocol_text,
    set_person,
    sha,
)
from tests.teams_standin import (
    CHANNEL,
    TENANT,
    BotConnectorStandIn,
    Call,
    channel_card_execute,
    channel_card_submit,
    channel_mention,
    channel_thread_reply,
    mention,
    personal_message,
)
from tests.test_teams_http import card_texts, post_activity, serve, settings

NOW = dt.datetime(2023, 11, 27, 9, 0, tzinfo=dt.UTC)  # Monday, 10.00 in Stockholm
VERSION = sha(protocol_text(PARAGRAPHS))


def member(name: str, aad_id: str) -> dict[str, Any]:
    return {"id": f"29:1{name.split()[0].lower()}-Xq3vG7nB0aK", "name": name, "aadObjectId": aad_id}


ULRIKA = member("Ulrika Sahlin", "0a6c1f0e-5b1d-4c47-9f2e-1c8a3d9b7e01")
MONICA = member("Monica Fällström", "1b7d2a1f-6c2e-4d58-8a3f-2d9b4e0c8f12")
NIKLAS = member("Niklas Edén", "2c8e3b2a-7d3f-4e69-9b4a-3e0c5f1d9a23")
LARS = member("Lars Kempe", "3d9f4c3b-8e4a-4f7a-8c5b-4f1d6a2e0b34")
STRANGER = member("Okänd Person", "4e0a5d4c-9f5b-4a8b-9d6c-5a2e7b3f1c45")
ULRIKA_CHAT = "a:1Gy-personal-ulrika-Q1w2E3r4T5y6U7i8O9p0"


@dataclass
class Teams:
    client: TestClient[Any, Any]
    standin: BotConnectorStandIn
    board: Board
    engine: Engine
    _ids: int = 0

    def next_id(self) -> str:
        self._ids += 1
        return f"17155855{self._ids:05d}"

    async def send(self, activity: dict[str, Any]) -> ClientResponse:
        return await post_activity(self.client, activity)

    async def start(self) -> Call:
        """Ulrika writes `@Boardbot justera 2023-11-24` in the channel; the round's root post."""
        before = len(self.standin.messages())
        response = await self.send(channel_mention(self.standin.url, "justera 2023-11-24",
                                                   activity_id=self.next_id(), sender=ULRIKA))
        assert response.status == 201
        [root] = self.standin.messages()[before:]
        return root

    async def click(self, root: Call, action_id: str, sender: dict[str, Any]) -> ClientResponse:
        activity = channel_card_execute(self.standin.url, action_id, round_value(root, action_id), root.returned_id,
                                        sender, activity_id=f"f:{self.next_id()}")
        return await self.send(activity)

    async def ask_and_confirm(self, root: Call, sender: dict[str, Any]) -> tuple[Call, ClientResponse]:
        """`sender` presses "Justera"; the question with the version appears in the thread; they press
        "Ja, justera version …" on it. The question and the second invoke's response."""
        before = len(in_thread(self.standin, root))
        asked = await self.click(root, "justering.confirm", sender)
        assert asked.status == 200 and "Justera protokollet 2023-11-24" in (await asked.json())["value"]
        [question] = in_thread(self.standin, root)[before:]
        return question, await self.yes(root, question, sender)

    async def yes(self, root: Call, question: Call, sender: dict[str, Any]) -> ClientResponse:
        [action] = card(question)["actions"]
        data = action["data"]
        return await self.send(channel_card_execute(self.standin.url, data["action_id"], data["value"],
                                                    root.returned_id, sender, activity_id=f"f:{self.next_id()}",
                                                    card_id=question.returned_id))

    async def reply(self, root: Call, text: str, sender: dict[str, Any]) -> ClientResponse:
        return await self.send(channel_thread_reply(self.standin.url, text, root.returned_id, sender,
                                                    activity_id=self.next_id()))


@asynccontextmanager
async def board_in_teams(engine: Engine) -> AsyncIterator[Teams]:
    """The seed-003 board with Teams identities, its channel linked, Ulrika (förbundschef) as
    admin, and Ulrika's personal chat with the bot open (where she is told what happens)."""
    board = make_board(engine)
    for key, who in (("Ulrika", ULRIKA), ("Monica", MONICA), ("Niklas", NIKLAS), ("Lars", LARS)):
        set_person(engine, board.people[key], teams_aad_id=who["aadObjectId"], is_admin=key == "Ulrika")
    with Session(engine) as session:
        session.add(ConversationLink(platform="teams", conversation_id=CHANNEL, organisation_id=board.organisation_id))
        session.commit()
    standin = BotConnectorStandIn()
    await standin.start()
    client = await serve(Services(engine=engine, settings=settings(), clock=Clock(NOW)))
    try:
        with trusted():
            teams = Teams(client, standin, board, engine)
            hello = personal_message(standin.url, "hjälp", activity_id=teams.next_id(), sender=ULRIKA,
                                     conversation_id=ULRIKA_CHAT)
            assert (await teams.send(hello)).status == 201
            standin.calls.clear()
            yield teams
    finally:
        await client.close()
        await standin.close()


def card(call: Call) -> dict[str, Any]:
    (attachment,) = call.body["attachments"]
    content: dict[str, Any] = attachment["content"]
    return content


def round_value(root: Call, action_id: str) -> str:
    action = next(a for a in card(root)["actions"] if a["data"]["action_id"] == action_id)
    return str(action["data"]["value"])


def in_thread(standin: BotConnectorStandIn, root: Call) -> list[Call]:
    return [c for c in standin.messages() if c.conversation_id == f"{CHANNEL};messageid={root.returned_id}"]


def to_chat(standin: BotConnectorStandIn, conversation_id: str) -> list[Call]:
    return [c for c in standin.messages() if c.conversation_id == conversation_id]


def confirmations(engine: Engine) -> list[tuple[int, str, str | None]]:
    with Session(engine) as session:
        rows = session.exec(select(JusteringConfirmation).order_by(col(JusteringConfirmation.id))).all()
        return [(r.person_id, r.platform, r.platform_user_id) for r in rows]


def audited(engine: Engine, action: str) -> list[AuditLog]:
    with Session(engine) as session:
        return list(session.exec(select(AuditLog).where(AuditLog.action == action)).all())


def the_round(engine: Engine) -> JusteringRound:
    with Session(engine) as session:
        return session.exec(select(JusteringRound)).one()


async def test_secretary_starts_signers_confirm_by_card_and_reply_and_the_protocol_is_justerat(
        engine: Engine) -> None:
    async with board_in_teams(engine) as teams:
        standin, board = teams.standin, teams.board
        root = await teams.start()
        # A new post in the channel (not a reply to Ulrika's message): the round's own thread.
        assert (root.conversation_id, root.activity_id) == (CHANNEL, None)
        texts = card_texts(root.body)
        for number, title, _, decision in PARAGRAPHS:
            assert f"§ {number} {title}" + (f": {decision}" if decision else "") in texts
        assert j.short_hash(sha(protocol_text(PARAGRAPHS))) in texts
        assert "ojusterat" in texts and "justera senast 2023-12-08" in texts
        assert "<at>Monica Fällström</at>, <at>Niklas Edén</at>" in texts
        assert card(root)["msteams"]["entities"] == [
            {"type": "mention", "text": f"<at>{p['name']}</at>",
             "mentioned": {"id": p["aadObjectId"], "name": p["name"]}} for p in (MONICA, NIKLAS)]
        rnd = the_round(engine)
        assert (rnd.platform, rnd.channel_id, rnd.thread_id) == ("teams", CHANNEL, root.returned_id)
        actions = card(root)["actions"]
        assert [(a["type"], a["title"], a["data"]) for a in actions] == [
            ("Action.Execute", "Justera", {"action_id": "justering.confirm", "value": f"{rnd.id}:{VERSION}"}),
            ("Action.Execute", "Begär ändring", {"action_id": "justering.change", "value": str(rnd.id)})]
        assert all(a["fallback"]["type"] == "Action.Submit" for a in actions)

        # Monica clicks "Justera" on the card (Action.Execute: an invoke), is asked once more with the
        # version, and confirms on the question's button.
        question, clicked = await teams.ask_and_confirm(root, MONICA)
        assert f"version {VERSION[:12]}…?" in card_texts(question.body)
        assert clicked.status == 200
        answer = await clicked.json()
        assert answer["statusCode"] == 200 and "Monica Fällström har justerat" in answer["value"]
        [_, first] = in_thread(standin, root)
        assert "Monica Fällström har justerat" in card_texts(first.body) and "1 av 2" in card_texts(first.body)
        [update] = standin.updates()
        assert (update.conversation_id, update.activity_id) == (CHANNEL, root.returned_id)
        assert "• Monica Fällström (ordförande): ✓ justerat 2023-11-27 10:00" in card_texts(update.body)
        assert "• Niklas Edén (justerare): väntar" in card_texts(update.body)
        assert len(card(update)["actions"]) == 2
        assert confirmations(engine) == [(board.people["Monica"], "teams", MONICA["aadObjectId"])]

        # Niklas answers "@Boardbot justerat <version>" in the thread.
        assert (await teams.reply(root, f"justerat {VERSION[:12]}", NIKLAS)).status == 201
        done = in_thread(standin, root)[2]
        assert "Niklas Edén har justerat" in card_texts(done.body) and "Alla har justerat" in card_texts(done.body)
        assert "JUSTERINGSINTYG" in card_texts(done.body)
        final = standin.updates()[-1]
        assert final.activity_id == root.returned_id
        assert card_texts(final.body).startswith("Justerat: protokoll från sammanträdet 2023-11-24")
        assert "actions" not in card(final)
        assert standin.new_chats() == []

        protocol = protocol_row(engine, board.protocol_id)
        day = dt.date(2023, 11, 27)
        assert protocol.status == "justerat" and protocol.justering_date == day
        assert protocol.justering_method is not None and "teams" in protocol.justering_method
        assert protocol.anslag_post_by == anslag_post_by(day) == dt.date(2023, 11, 29)
        assert protocol.anslag_take_down_from == earliest_take_down(dt.date(2023, 11, 29))
        assert f"Anslaget ska sättas upp senast {protocol.anslag_post_by}" in card_texts(final.body)
        assert confirmations(engine) == [(board.people["Monica"], "teams", MONICA["aadObjectId"]),
                                         (board.people["Niklas"], "teams", NIKLAS["aadObjectId"])]
        assert the_round(engine).status == "done"
        # The secretary is told in her personal chat with the bot.
        [told] = to_chat(standin, ULRIKA_CHAT)
        assert "Protokollet från 2023-11-24" in told.body["text"] and "är justerat" in told.body["text"]
        assert len(audited(engine, "justering.completed")) == 1


async def test_a_click_by_someone_who_does_not_sign_is_refused_privately_and_audited(engine: Engine) -> None:
    async with board_in_teams(engine) as teams:
        standin = teams.standin
        root = await teams.start()
        # Lars (on the board, not a signer) on a client with Action.Submit only; a stranger with Action.Execute.
        submit = channel_card_submit(standin.url, "justering.confirm", round_value(root, "justering.confirm"),
                                     root.returned_id, LARS, activity_id=teams.next_id())
        assert (await teams.send(submit)).status == 201
        executed = await teams.click(root, "justering.confirm", STRANGER)
        assert executed.status == 200
        assert "känner inte igen dig" in (await executed.json())["value"]

        # Each refusal goes to a 1:1 chat with the one who clicked; the channel never shows it.
        chats = standin.new_chats()
        assert [c.body["members"][0]["id"] for c in chats] == [LARS["id"], STRANGER["id"]]
        lars, stranger = (to_chat(standin, f"a:private-{c.returned_id}") for c in chats)
        assert "Du är inte utsedd att justera protokollet från 2023-11-24" in card_texts(lars[0].body)
        assert "känner inte igen dig" in card_texts(stranger[0].body)
        # In the thread only Lars's Action.Submit (which has no private answer of its own) gets a
        # pointer to his private chat; the stranger's invoke response already reached only him.
        assert [c.body.get("text") for c in in_thread(standin, root)] == ["Jag har svarat dig i en privat chatt."]
        assert standin.updates() == []
        assert confirmations(engine) == []
        refused = audited(engine, "justering.confirm_refused")
        assert sorted(a.actor for a in refused) == sorted(f"teams:{p['aadObjectId']}" for p in (LARS, STRANGER))


async def test_a_change_request_in_the_thread_pauses_the_round_and_tells_the_secretary(engine: Engine) -> None:
    async with board_in_teams(engine) as teams:
        standin, board = teams.standin, teams.board
        root = await teams.start()
        wanted = "§ 112 ska ha beloppet 260 000 kr"
        assert (await teams.reply(root, f"Begär ändring: {wanted}", NIKLAS)).status == 201

        [answer] = in_thread(standin, root)
        assert "Niklas Edén begär ändring" in card_texts(answer.body) and "pausad" in card_texts(answer.body)
        [update] = standin.updates()
        assert update.activity_id == root.returned_id
        assert f"Pausad: Niklas Edén begär ändring: ”{wanted}”" in card_texts(update.body)
        [told] = to_chat(standin, ULRIKA_CHAT)
        assert wanted in told.body["text"] and "Justeringen är pausad" in told.body["text"]
        assert the_round(engine).status == "paused"
        with Session(engine) as session:
            [request] = session.exec(select(ChangeRequest)).all()
        assert (request.person_id, request.text) == (board.people["Niklas"], wanted)
        assert len(audited(engine, "justering.change_requested")) == 1

        # While paused, a click does not count; Monica is told why.
        paused = await teams.click(root, "justering.confirm", MONICA)
        assert "pausad" in (await paused.json())["value"]
        assert confirmations(engine) == []


async def test_a_double_click_records_one_confirmation(engine: Engine) -> None:
    async with board_in_teams(engine) as teams:
        standin, board = teams.standin, teams.board
        root = await teams.start()
        asked = await teams.click(root, "justering.confirm", MONICA)
        assert asked.status == 200
        [question] = in_thread(standin, root)
        first, second = await asyncio.gather(teams.yes(root, question, MONICA), teams.yes(root, question, MONICA))
        assert (first.status, second.status) == (200, 200)
        answers = sorted([(await first.json())["value"], (await second.json())["value"]])
        assert "Du har redan justerat" in answers[0] and "Monica Fällström har justerat" in answers[1]

        assert confirmations(engine) == [(board.people["Monica"], "teams", MONICA["aadObjectId"])]
        # The thread shows the one confirmation; the repeat is answered to Monica alone.
        [_, recorded] = in_thread(standin, root)
        assert "Monica Fällström har justerat" in card_texts(recorded.body)
        [private] = to_chat(standin, f"a:private-{standin.new_chats()[0].returned_id}")
        assert "Du har redan justerat" in card_texts(private.body)
        assert len(audited(engine, "justering.confirmed")) == 1
        assert len(audited(engine, "justering.confirm_repeated")) == 1
        assert the_round(engine).status == "open"


async def test_a_confirmation_of_a_text_that_has_since_changed_is_refused_with_nothing_recorded(
        engine: Engine) -> None:
    """Attack: the question showed version 1; a corrected version is loaded; "Ja, justera" on the old
    question must not confirm version 2."""
    async with board_in_teams(engine) as teams:
        standin, board = teams.standin, teams.board
        root = await teams.start()
        asked = await teams.click(root, "justering.confirm", MONICA)
        assert asked.status == 200
        [question] = in_thread(standin, root)
        [restart] = load_corrected_version(engine, board.protocol_id, NOW)

        refused = await teams.yes(root, question, MONICA)
        assert refused.status == 200
        answer = (await refused.json())["value"]
        assert "Texten har ändrats" in answer and VERSION[:12] in answer and restart.new_hash[:12] in answer
        assert confirmations(engine) == []
        assert not any("har justerat" in card_texts(c.body) for c in standin.messages())
        # The root now shows the new version and carries it on its button.
        update = standin.updates()[-1]
        assert update.activity_id == root.returned_id and restart.new_hash[:12] in card_texts(update.body)
        assert round_value(update, "justering.confirm").endswith(restart.new_hash)
        assert [json.loads(a.detail or "{}")["reason"] for a in audited(engine, "justering.confirm_refused")] == [
            "version changed"]


async def test_re_pointing_a_signers_teams_account_mid_round_voids_the_confirmation(engine: Engine) -> None:
    """Attack: Ulrika (admin) links Monica's name to Lars's Teams account after Monica confirmed,
    so that Lars could confirm as Monica. Monica's confirmation stops counting, the old and new
    accounts and the secretary are told (outbox), and the change is logged for the certificate."""
    async with board_in_teams(engine) as teams:
        standin, board = teams.standin, teams.board
        root = await teams.start()
        _, clicked = await teams.ask_and_confirm(root, MONICA)
        assert clicked.status == 200
        assert confirmations(engine) == [(board.people["Monica"], "teams", MONICA["aadObjectId"])]

        standin.members[LARS["id"]] = {**LARS, "tenantId": TENANT}
        tag, entity = mention(LARS)
        activity = channel_mention(standin.url, f"person {tag} Monica Fällström", activity_id=teams.next_id(),
                                   sender=ULRIKA)
        activity["entities"].append(entity)
        assert (await teams.send(activity)).status == 201
        said = card_texts(standin.messages()[-1].body)
        assert "Monica Fällström ska justera protokollet från 2023-11-24" in said
        assert "justering gäller inte längre" in said

        assert confirmations(engine) == []
        with Session(engine) as session:
            told = session.exec(select(Reminder).where(Reminder.kind == "justering_identity_changed")).all()
        assert sorted(r.recipient for r in told) == sorted(
            f"teams:{p['aadObjectId']}" for p in (MONICA, LARS, ULRIKA))
        [change] = audited(engine, "justering.signer_identity_changed")
        detail = json.loads(change.detail or "{}")
        assert (detail["old_user_id"], detail["new_user_id"]) == (MONICA["aadObjectId"], LARS["aadObjectId"])
        # Lars's own link went with it (one account, one board member): he lost his, Monica got it.
        with Session(engine) as session:
            rnd = session.exec(select(JusteringRound)).one()
            text = render_text(build_certificate(session, rnd, NOW))
        assert f"Monica Fällström: Microsoft Teams-konto {MONICA['aadObjectId']} → {LARS['aadObjectId']}" in text
