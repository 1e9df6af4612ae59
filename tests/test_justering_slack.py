"""Digital justering through Slack, end to end, on SQLite and PostgreSQL.

Signed requests go to the real aiohttp app (bot.web.create_app) on 127.0.0.1, Bolt verifies
and dispatches them, and every Web API call lands in the stand-in (tests/slack_standin.py):
what the board sees in Slack is what these tests read back.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.slack.render import handler_action_id
from storage import justering as j
from storage.certificate import build as build_certificate
from storage.certificate import render_text
from storage.legal_dates import anslag_post_by, earliest_take_down
from storage.models import AuditLog, ChangeRequest, JusteringConfirmation, JusteringRound, Reminder
from tests.justering_board import (
    CHANNEL,
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
from tests.slack_harness import Bot, all_text, buttons, mention, message, new_ts, running_bot
from tests.slack_standin import Call

# Monday 27 November 2023, 10.00 in Stockholm: three days after the meeting, within the deadline.
NOW = dt.datetime(2023, 11, 27, 9, 0, tzinfo=dt.UTC)
ULRIKA, MONICA, NIKLAS, LARS, STRANGER = "U0ULRIKA", "U0MONICA", "U0NIKLAS", "U0LARS", "U0STRANGER"
VERSION = sha(protocol_text(PARAGRAPHS))


@asynccontextmanager
async def board_in_slack(engine: Engine) -> AsyncIterator[tuple[Bot, Board]]:
    """The seed-003 board with Ulrika (förbundschef) as admin, and the bot serving Slack."""
    board = make_board(engine)
    set_person(engine, board.people["Ulrika"], is_admin=True)
    async with running_bot(engine, clock=Clock(NOW)) as bot:
        yield bot, board


async def start_round(bot: Bot, *, by_mention: bool = False) -> Call:
    """Ulrika types `justera 2023-11-24` (as /styrelse or as an @mention); the root post."""
    if by_mention:
        assert await bot.event(mention("justera 2023-11-24", user=ULRIKA, ts=new_ts())) == 200
    else:
        assert (await bot.command("justera 2023-11-24", user=ULRIKA)).status == 200
    await bot.standin.wait_for("chat.postMessage", 1)
    await bot.settle()
    [root] = bot.standin.calls_to("chat.postMessage")
    return root


def button(root: Call, label: str) -> dict[str, Any]:
    return next(b for b in buttons(root.args) if b["text"]["text"] == label)


async def ask_to_sign(bot: Bot, root: Call, user: str) -> Call:
    """`user` presses "Justera" on the root: the question, shown to them alone, with its button."""
    before = len(bot.standin.calls_to("chat.postEphemeral"))
    assert await bot.click(button(root, "Justera"), user=user, channel=CHANNEL, message_ts=root.result["ts"]) == 200
    await bot.settle()
    [question] = bot.standin.calls_to("chat.postEphemeral")[before:]
    return question


async def answer_yes(bot: Bot, question: Call, user: str) -> int:
    """`user` presses "Ja, justera version …" on the question (an ephemeral message in the thread)."""
    yes = buttons(question.args)[0]
    return await bot.click(yes, user=user, channel=CHANNEL, message_ts=question.result["message_ts"],
                           thread_ts=question.args["thread_ts"], ephemeral=True)


def posts_in_thread(bot: Bot, root_ts: str) -> list[dict[str, Any]]:
    return [c.args for c in bot.standin.calls_to("chat.postMessage") if c.args.get("thread_ts") == root_ts]


def dms_to(bot: Bot, user: str) -> list[dict[str, Any]]:
    return [c.args for c in bot.standin.calls_to("chat.postMessage") if c.args.get("channel") == user]


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


async def test_secretary_starts_signers_confirm_by_button_and_reply_and_the_protocol_is_justerat(
        engine: Engine) -> None:
    async with board_in_slack(engine) as (bot, board):
        root = await start_round(bot)
        # One new top-level message in the channel: the thread of the round.
        assert root.args["channel"] == CHANNEL and "thread_ts" not in root.args
        root_ts = root.result["ts"]
        shown = all_text(root.args)
        for number, title, _, decision in PARAGRAPHS:
            line = f"§ {number} {title}" + (f": {decision}" if decision else "")
            # A signer named in a decision (§ 110) is shown as a mention there too.
            assert line.replace("Niklas Edén", f"<@{NIKLAS}>") in shown
        assert j.short_hash(sha(protocol_text(PARAGRAPHS))) in shown
        assert "ojusterat" in shown and "justera senast 2023-12-08" in shown
        assert f"<@{MONICA}> (ordförande): väntar" in root.args["text"]
        assert f"<@{NIKLAS}> (justerare): väntar" in root.args["text"]
        assert f"<@{ULRIKA}>" not in root.args["text"]  # the förbundschef does not sign
        rnd = the_round(engine)
        assert (rnd.platform, rnd.channel_id, rnd.thread_id) == ("slack", CHANNEL, root_ts)
        assert [(b["text"]["text"], handler_action_id(b["action_id"]), b["value"]) for b in buttons(root.args)] == [
            ("Justera", "justering.confirm", f"{rnd.id}:{VERSION}"), ("Begär ändring", "justering.change", str(rnd.id))]
        # The slash command itself is answered only to Ulrika, pointing at the thread.
        [ack] = bot.standin.calls_to("response_url")
        assert ack.args["response_type"] == "ephemeral" and "tråden" in ack.args["text"]

        # Monica clicks "Justera" on the root: she alone is asked once more, with the version.
        question = await ask_to_sign(bot, root, MONICA)
        assert (question.args["user"], question.args["thread_ts"]) == (MONICA, root_ts)
        assert f"Justera protokollet 2023-11-24 (Samordningsförbundet Härnösand – Timrå), version {VERSION[:12]}…?" \
            in question.args["text"]
        assert confirmations(engine) == [] and posts_in_thread(bot, root_ts) == []
        # "Ja, justera version …" records it, in the thread for everyone.
        assert await answer_yes(bot, question, MONICA) == 200
        await bot.settle()
        [first] = posts_in_thread(bot, root_ts)
        assert "Monica Fällström har justerat" in first["text"] and "1 av 2" in first["text"]
        [update] = bot.standin.calls_to("chat.update")
        assert (update.args["channel"], update.args["ts"]) == (CHANNEL, root_ts)
        assert f"<@{MONICA}> (ordförande): ✓ justerat 2023-11-27 10:00" in update.args["text"]
        assert f"<@{NIKLAS}> (justerare): väntar" in update.args["text"]
        assert len(buttons(update.args)) == 2
        assert confirmations(engine) == [(board.people["Monica"], "slack", MONICA)]
        assert protocol_row(engine, board.protocol_id).status == "ojusterat"

        # Niklas answers "justerat <version>" in the thread, without mentioning the bot.
        assert await bot.event(message(f"justerat {VERSION[:12]}", user=NIKLAS, thread_ts=root_ts)) == 200
        await bot.settle()
        done = posts_in_thread(bot, root_ts)[1]
        assert "Niklas Edén har justerat" in done["text"] and "Alla har justerat" in done["text"]
        assert "JUSTERINGSINTYG" in all_text(done)  # the certificate, in the thread
        final = bot.standin.calls_to("chat.update")[-1].args
        assert final["ts"] == root_ts and final["text"].startswith("Justerat: protokoll från sammanträdet 2023-11-24")
        assert not [b for b in final["blocks"] if b["type"] == "actions"]  # nothing left to click
        assert len(bot.standin.calls_to("chat.postEphemeral")) == 1  # Monica's question

        protocol = protocol_row(engine, board.protocol_id)
        day = dt.date(2023, 11, 27)
        assert protocol.status == "justerat" and protocol.justering_date == day
        assert protocol.justering_method is not None and "slack" in protocol.justering_method
        assert protocol.anslag_post_by == anslag_post_by(day) == dt.date(2023, 11, 29)
        assert protocol.anslag_take_down_from == earliest_take_down(dt.date(2023, 11, 29))
        assert f"Anslaget ska sättas upp senast {protocol.anslag_post_by}" in final["text"]
        assert confirmations(engine) == [(board.people["Monica"], "slack", MONICA),
                                         (board.people["Niklas"], "slack", NIKLAS)]
        assert the_round(engine).status == "done"
        # The secretary hears of it in a DM.
        [dm] = dms_to(bot, ULRIKA)
        assert "Protokollet från 2023-11-24" in dm["text"] and "är justerat" in dm["text"]
        assert len(audited(engine, "justering.completed")) == 1


async def test_a_click_by_someone_who_does_not_sign_is_refused_privately_and_audited(engine: Engine) -> None:
    async with board_in_slack(engine) as (bot, _):
        root = await start_round(bot, by_mention=True)
        # Started by an @mention, the round still gets its own top-level message.
        assert "thread_ts" not in root.args
        root_ts = root.result["ts"]
        for user in (LARS, STRANGER):  # a board member who does not sign; someone not in the register
            assert await bot.click(button(root, "Justera"), user=user, channel=CHANNEL, message_ts=root_ts) == 200
        await bot.settle()

        # The two clicks are handled concurrently: their private replies may come in either order.
        by_user = {call.args["user"]: call for call in bot.standin.calls_to("chat.postEphemeral")}
        assert len(by_user) == 2
        lars, stranger = by_user[LARS], by_user[STRANGER]
        assert (lars.args["user"], lars.args["channel"], lars.args["thread_ts"]) == (LARS, CHANNEL, root_ts)
        assert "Du är inte utsedd att justera protokollet från 2023-11-24" in lars.args["text"]
        assert stranger.args["user"] == STRANGER and "känner inte igen dig" in stranger.args["text"]
        # Nothing public: only the root was posted, and it was not touched.
        assert len(bot.standin.calls_to("chat.postMessage")) == 1
        assert bot.standin.calls_to("chat.update") == []
        assert confirmations(engine) == []
        refused = audited(engine, "justering.confirm_refused")
        assert sorted(a.actor for a in refused) == [f"slack:{LARS}", f"slack:{STRANGER}"]


async def test_a_change_request_in_the_thread_pauses_the_round_and_tells_the_secretary(engine: Engine) -> None:
    async with board_in_slack(engine) as (bot, board):
        root = await start_round(bot)
        root_ts = root.result["ts"]
        wanted = "§ 112 ska ha beloppet 260 000 kr"
        assert await bot.event(message(f"Begär ändring: {wanted}", user=NIKLAS, thread_ts=root_ts)) == 200
        await bot.settle()

        [answer] = posts_in_thread(bot, root_ts)
        assert "Niklas Edén begär ändring" in answer["text"] and "pausad" in answer["text"]
        [update] = bot.standin.calls_to("chat.update")
        assert update.args["ts"] == root_ts and f"Pausad: <@{NIKLAS}> begär ändring: ”{wanted}”" in update.args["text"]
        [dm] = dms_to(bot, ULRIKA)
        assert wanted in dm["text"] and "Justeringen är pausad" in dm["text"]
        assert the_round(engine).status == "paused"
        with Session(engine) as session:
            [request] = session.exec(select(ChangeRequest)).all()
        assert (request.person_id, request.text) == (board.people["Niklas"], wanted)
        assert len(audited(engine, "justering.change_requested")) == 1

        # While paused, a click does not count; the signer is told why, privately.
        await bot.click(button(update, "Justera"), user=MONICA, channel=CHANNEL, message_ts=root_ts)
        await bot.settle()
        [paused] = bot.standin.calls_to("chat.postEphemeral")
        assert paused.args["user"] == MONICA and "pausad" in paused.args["text"]
        assert confirmations(engine) == []


async def test_a_double_click_records_one_confirmation(engine: Engine) -> None:
    async with board_in_slack(engine) as (bot, board):
        root = await start_round(bot)
        root_ts = root.result["ts"]
        question = await ask_to_sign(bot, root, MONICA)
        statuses = await asyncio.gather(*(answer_yes(bot, question, MONICA) for _ in range(2)))
        assert statuses == [200, 200]
        await bot.settle()

        assert confirmations(engine) == [(board.people["Monica"], "slack", MONICA)]
        [recorded] = posts_in_thread(bot, root_ts)
        assert "Monica Fällström har justerat" in recorded["text"]
        # The second press is answered on the question itself, to Monica alone.
        [already] = [c for c in bot.standin.calls_to("response_url") if c.args["text"] != "Klart: se tråden i kanalen."]
        assert already.args["response_type"] == "ephemeral" and "redan justerat" in already.args["text"]
        assert len(audited(engine, "justering.confirmed")) == 1
        assert len(audited(engine, "justering.confirm_repeated")) == 1
        assert the_round(engine).status == "open"


async def test_a_confirmation_of_a_text_that_has_since_changed_is_refused_with_nothing_recorded(
        engine: Engine) -> None:
    """Attack: a signer is shown version 1, a corrected version is loaded, then the old question's
    button (or the old root's, or the old hash typed) is pressed: it must not confirm version 2."""
    async with board_in_slack(engine) as (bot, board):
        root = await start_round(bot)
        root_ts = root.result["ts"]
        question = await ask_to_sign(bot, root, MONICA)
        [restart] = load_corrected_version(engine, board.protocol_id, NOW)
        new = restart.new_hash

        assert await answer_yes(bot, question, MONICA) == 200
        assert await bot.click(button(root, "Justera"), user=NIKLAS, channel=CHANNEL, message_ts=root_ts) == 200
        assert await bot.event(message(f"justerat {VERSION[:12]}", user=NIKLAS, thread_ts=root_ts)) == 200
        await bot.settle()

        assert confirmations(engine) == []
        assert posts_in_thread(bot, root_ts) == []  # nothing public: no "har justerat"
        refusals = [c.args["text"] for c in bot.standin.calls_to("response_url") + bot.standin.calls_to(
            "chat.postEphemeral")[1:] if c.args["text"] != "Klart: se tråden i kanalen."]
        assert len(refusals) == 3
        for text in refusals:
            assert "Texten har ändrats" in text and VERSION[:12] in text and new[:12] in text
            assert "Ingen justering har registrerats" in text
        # The root now shows the new version, and its button carries it.
        update = bot.standin.calls_to("chat.update")[-1]
        assert update.args["ts"] == root_ts and new[:12] in update.args["text"]
        assert button(update, "Justera")["value"] == f"{the_round(engine).id}:{new}"
        refused = audited(engine, "justering.confirm_refused")
        assert [json.loads(a.detail or "{}")["reason"] for a in refused] == ["version changed"] * 3

        # Reading and confirming the new version works.
        assert await answer_yes(bot, await ask_to_sign(bot, update, MONICA), MONICA) == 200
        await bot.settle()
        assert confirmations(engine) == [(board.people["Monica"], "slack", MONICA)]
        with Session(engine) as session:
            assert session.exec(select(JusteringConfirmation)).one().version_hash == new


async def test_re_pointing_a_signers_identity_during_the_round_voids_the_confirmation_and_tells_everyone(
        engine: Engine) -> None:
    """Attack: the admin links a signer's name to another Slack account during the round, so that
    account could confirm in the signer's name. The signer's confirmation no longer counts, both
    accounts and the secretary are told, and the certificate shows the change."""
    accomplice = "U0ACCOMPLICE"
    async with board_in_slack(engine) as (bot, board):
        root = await start_round(bot)
        root_ts = root.result["ts"]
        assert await answer_yes(bot, await ask_to_sign(bot, root, MONICA), MONICA) == 200
        await bot.settle()
        assert confirmations(engine) == [(board.people["Monica"], "slack", MONICA)]

        assert await bot.event(mention(f"person <@{accomplice}> Monica Fällström", user=ULRIKA, ts=new_ts())) == 200
        await bot.settle()
        [said] = [c.args["text"] for c in bot.standin.calls_to("chat.postMessage") if "Obs:" in c.args["text"]]
        assert "Monica Fällström ska justera protokollet från 2023-11-24" in said
        assert "justering gäller inte längre" in said
        assert confirmations(engine) == []  # voided: it was made from an account no longer hers
        with Session(engine) as session:
            told = session.exec(select(Reminder).where(Reminder.kind == "justering_identity_changed")).all()
            assert sorted(r.recipient for r in told) == sorted(
                [f"slack:{MONICA}", f"slack:{accomplice}", f"slack:{ULRIKA}"])
            assert all(f"{MONICA} → {accomplice}" in r.text and "Ulrika Sahlin" in r.text for r in told)
        [change] = audited(engine, "justering.signer_identity_changed")
        detail = json.loads(change.detail or "{}")
        assert (detail["old_user_id"], detail["new_user_id"], detail["by"]) == (MONICA, accomplice, "Ulrika Sahlin")
        assert detail["voided_confirmation"]["user_id"] == MONICA

        # The new account confirms; the certificate shows that the identity changed mid-round.
        assert await answer_yes(bot, await ask_to_sign(bot, root, accomplice), accomplice) == 200
        assert await bot.event(message(f"justerat {VERSION[:12]}", user=NIKLAS, thread_ts=root_ts)) == 200
        await bot.settle()
        with Session(engine) as session:
            text = render_text(build_certificate(session, the_round(engine), NOW))
        assert "JUSTERAT 2023-11-27" in text
        assert f"Monica Fällström: Slack-konto {MONICA} → {accomplice}, ändrat av Ulrika Sahlin" in text
        assert "justering från det tidigare kontot upphävd" in text
