"""Digital justering through the console path (Assistant.handle), on SQLite and PostgreSQL.

Slack-shaped Messages (user ids, thread ids) go straight to the Assistant: no Slack server is
needed to test what the bot decides; the adapters' own tests cover the rendering.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pdfplumber
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from bot.cli import app
from handlers.assistant import Assistant
from handlers.messages import Message
from storage import justering as j
from storage.certificate import build, render_pdf, render_text
from storage.legal_dates import anslag_post_by, justering_deadline
from storage.models import (
    AuditLog,
    ChangeRequest,
    Document,
    JusteringConfirmation,
    JusteringRound,
    Organisation,
    Protocol,
    Reminder,
)
from tests.justering_board import (
    CHANNEL,
    ORG,
    PARAGRAPHS,
    Clock,
    add_protocol,
    load_corrected_version,
    make_board,
    protocol_row,
    protocol_text,
    sha,
    slack,
    start_in_slack,
)

THREAD = "1700000000.000100"
# 23:30 UTC on 27 November is already 28 November in Stockholm.
LATE_EVENING = dt.datetime(2023, 11, 27, 23, 30, tzinfo=dt.UTC)
# The version the thread shows: typed with "justerat", it confirms that text.
V1 = j.short_hash(sha(protocol_text(PARAGRAPHS)))


def audit_actions(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return [a.action for a in session.exec(select(AuditLog).order_by(col(AuditLog.id))).all()]


def confirmations(engine: Engine) -> list[JusteringConfirmation]:
    with Session(engine) as session:
        return list(session.exec(select(JusteringConfirmation)).all())


# --- start --------------------------------------------------------------------------------


def test_start_message_is_one_anchored_reply_with_everything_to_verify(engine: Engine) -> None:
    board = make_board(engine)
    assistant = Assistant(engine, clock=Clock(LATE_EVENING))
    reply = assistant.handle(slack("justera 2023-11-24", user="U0ULRIKA"))

    assert reply.anchor is not None and reply.anchor.startswith("justering_round:")
    round_id = int(reply.anchor.split(":")[1])
    assert "2023-11-24" in reply.text and "ojusterat" in reply.text
    assert sha(protocol_text(PARAGRAPHS))[:12] in reply.text
    assert "§ 109 Godkännande av dagordning: Att godkänna dagordningen." in reply.text
    assert "§ 112 Återrapportering Jobbcenter: Att godkänna slutrapporten och betala ut 250 000 kr." in reply.text
    # Deadline: the meeting + 14 days (no earlier one named in this protocol).
    assert "2023-12-08" in reply.text
    assert [(a.label, a.action_id, a.value) for a in reply.actions] == [
        ("Justera", "justering.confirm", f"{round_id}:{sha(protocol_text(PARAGRAPHS))}"),
        ("Begär ändring", "justering.change", str(round_id))]
    # Chair first, then the justerare; the förbundschef does not sign.
    assert [(m.name, m.slack_user_id) for m in reply.mentions] == [
        ("Monica Fällström", "U0MONICA"), ("Niklas Edén", "U0NIKLAS")]
    assert reply.sources and reply.sources[0].meeting_date == dt.date(2023, 11, 24)

    assistant.anchor_posted(reply.anchor, "slack", CHANNEL, THREAD)
    with Session(engine) as session:
        rnd = session.get(JusteringRound, round_id)
        assert rnd is not None
        assert (rnd.platform, rnd.channel_id, rnd.thread_id) == ("slack", CHANNEL, THREAD)
        assert rnd.protocol_id == board.protocol_id and rnd.status == "open"
        assert rnd.started_at == LATE_EVENING
    assert audit_actions(engine)[-2:] == ["justering.started", "justering.thread_bound"]


def test_named_deadline_earlier_than_the_law_wins(engine: Engine) -> None:
    board = make_board(engine)
    with Session(engine) as session:
        protocol = session.get(Protocol, board.protocol_id)
        assert protocol is not None
        protocol.justering_deadline = dt.date(2023, 12, 1)
        session.add(protocol)
        session.commit()
    reply = Assistant(engine, clock=Clock(LATE_EVENING)).handle(slack("justera senaste", user="U0ULRIKA"))
    assert "justera senast 2023-12-01" in reply.text


def test_only_the_secretary_may_start_and_the_attempt_is_audited(engine: Engine) -> None:
    make_board(engine)
    assistant = Assistant(engine, clock=Clock(LATE_EVENING))
    reply = assistant.handle(slack("justera 2023-11-24", user="U0NIKLAS"))
    assert reply.private and reply.anchor is None
    assert "sekreteraren" in reply.text
    with Session(engine) as session:
        assert session.exec(select(JusteringRound)).first() is None
    assert audit_actions(engine)[-1] == "justering.start_refused"


def test_start_twice_points_to_the_running_round(engine: Engine) -> None:
    make_board(engine)
    assistant = Assistant(engine, clock=Clock(LATE_EVENING))
    start_in_slack(assistant)
    again = assistant.handle(slack("justera 2023-11-24", user="U0ULRIKA"))
    assert again.anchor is None
    assert "pågår redan" in again.text
    with Session(engine) as session:
        assert len(session.exec(select(JusteringRound)).all()) == 1


def test_started_on_the_command_line_then_posted_in_slack(engine: Engine) -> None:
    make_board(engine)
    assistant = Assistant(engine, clock=Clock(LATE_EVENING))
    console = assistant.handle(Message("justera 2023-11-24", platform="console", organisation_hint="Timrå"))
    assert console.anchor is not None
    # No thread yet: the secretary's "justera" in Slack posts the same round as the thread root.
    reply, round_id = start_in_slack(assistant)
    assert reply.anchor == console.anchor
    # A Teams click counts for the same round, identified by the Teams id.
    teams = assistant.handle(Message("", platform="teams", user_id="aad-monica",
                                     action_id="justering.confirm_version",
                                     action_value=f"{round_id}:{sha(protocol_text(PARAGRAPHS))}"))
    assert "Monica Fällström har justerat" in teams.text
    assert [(c.platform, c.platform_user_id) for c in confirmations(engine)] == [("teams", "aad-monica")]
    with Session(engine) as session:
        assert len(session.exec(select(JusteringRound)).all()) == 1


def test_start_with_unknown_date_lists_the_protocols_there_are(engine: Engine) -> None:
    make_board(engine)
    reply = Assistant(engine, clock=Clock(LATE_EVENING)).handle(slack("justera 2023-10-01", user="U0ULRIKA"))
    assert not reply.answered
    assert "2023-10-01" in reply.text and "2023-11-24" in reply.text


# --- confirm ------------------------------------------------------------------------------


def test_signers_confirm_in_thread_and_by_button_and_the_protocol_becomes_justerat(engine: Engine) -> None:
    board = make_board(engine)
    clock = Clock(dt.datetime(2023, 11, 27, 9, 0, tzinfo=dt.UTC))
    assistant = Assistant(engine, clock=clock)
    _, round_id = start_in_slack(assistant)

    # A bare "Justerat!" asks once more, naming the version; nothing is recorded yet.
    question = assistant.handle(slack("Justerat!", user="U0NIKLAS", thread=THREAD))
    assert question.private and f"Justera protokollet 2023-11-24 ({ORG}), version {V1}…?" in question.text
    [yes] = question.actions
    assert (yes.action_id, yes.value) == ("justering.confirm_version", f"{round_id}:{sha(protocol_text(PARAGRAPHS))}")
    assert confirmations(engine) == []
    first = assistant.handle(slack(user="U0NIKLAS", action_id=yes.action_id, action_value=yes.value))
    assert not first.private
    assert "Niklas Edén har justerat" in first.text and "1 av 2" in first.text
    assert "Monica Fällström" in first.text
    root = [f for f in first.followups if f.kind == "update_root"]
    assert root and root[0].reply is not None and "✓ justerat" in root[0].reply.text
    assert protocol_row(engine, board.protocol_id).status == "ojusterat"

    clock.at = LATE_EVENING
    # The root's button asks once more; the question's button records.
    asked = assistant.handle(slack(user="U0MONICA", action_id="justering.confirm",
                                   action_value=f"{round_id}:{sha(protocol_text(PARAGRAPHS))}"))
    assert asked.private and f"version {V1}" in asked.text and len(confirmations(engine)) == 1
    done = assistant.handle(slack(user="U0MONICA", action_id=asked.actions[0].action_id,
                                  action_value=asked.actions[0].value))
    assert "Alla har justerat" in done.text
    assert "JUSTERINGSINTYG" in done.text  # the certificate as text in the thread
    protocol = protocol_row(engine, board.protocol_id)
    assert protocol.status == "justerat"
    assert protocol.justering_date == dt.date(2023, 11, 28)  # Stockholm's day, not UTC's
    # Post by the second day after justering; down no earlier than the last day of the appeal period.
    assert protocol.anslag_post_by == dt.date(2023, 11, 30)
    assert protocol.anslag_take_down_from == dt.date(2023, 12, 21)
    assert "senast 2023-11-30" in done.text and "2023-12-21" in done.text
    kinds = [f.kind for f in done.followups]
    assert "update_root" in kinds
    final_root = next(f.reply for f in done.followups if f.kind == "update_root")
    assert final_root is not None and final_root.actions == [] and final_root.text.startswith("Justerat")
    notified = [f.person_id for f in done.followups if f.kind == "notify_person"]
    assert notified == [board.people["Ulrika"]]
    with Session(engine) as session:
        rnd = session.get(JusteringRound, round_id)
        assert rnd is not None and rnd.status == "done" and rnd.completed_at == LATE_EVENING
    rows = confirmations(engine)
    assert {(c.person_id, c.platform, c.platform_user_id) for c in rows} == {
        (board.people["Niklas"], "slack", "U0NIKLAS"), (board.people["Monica"], "slack", "U0MONICA")}
    assert "justering.completed" in audit_actions(engine)


@pytest.mark.parametrize("words", ["justerat", "jag justerar", "Godkänner.", "approve", "Approved 👍"])
def test_confirmation_words(engine: Engine, words: str) -> None:
    make_board(engine)
    assistant = Assistant(engine, clock=Clock(LATE_EVENING))
    start_in_slack(assistant)
    asked = assistant.handle(slack(words, user="U0NIKLAS", thread=THREAD))
    assert asked.private and f"version {V1}" in asked.text and confirmations(engine) == []
    reply = assistant.handle(slack(f"{words} {V1}", user="U0NIKLAS", thread=THREAD))
    assert "Niklas Edén" in reply.text and not reply.private
    assert len(confirmations(engine)) == 1


def test_a_question_in_the_thread_is_not_a_confirmation(engine: Engine) -> None:
    make_board(engine)
    assistant = Assistant(engine, clock=Clock(LATE_EVENING))
    start_in_slack(assistant)
    reply = assistant.handle(slack("Vem har inte justerat än?", user="U0NIKLAS", thread=THREAD))
    assert confirmations(engine) == []
    assert "Niklas Edén" in reply.text and "Monica Fällström" in reply.text and "ojusterat" in reply.text
    assistant.handle(slack("inte justerat än, läser fortfarande", user="U0NIKLAS", thread=THREAD))
    assert confirmations(engine) == []


def test_someone_else_is_refused_privately_and_audited(engine: Engine) -> None:
    make_board(engine)
    assistant = Assistant(engine, clock=Clock(LATE_EVENING))
    _, round_id = start_in_slack(assistant)
    lars = assistant.handle(slack("justerat", user="U0LARS", thread=THREAD))
    assert lars.private and not lars.answered
    assert "inte utsedd" in lars.text
    stranger = assistant.handle(slack(user="U0NOBODY", action_id="justering.confirm", action_value=str(round_id)))
    assert stranger.private and "känner inte igen" in stranger.text
    assert confirmations(engine) == []
    with Session(engine) as session:
        refused = session.exec(select(AuditLog).where(AuditLog.action == "justering.confirm_refused")).all()
    assert len(refused) == 2
    assert {json.loads(a.detail or "{}")["user_id"] for a in refused} == {"U0LARS", "U0NOBODY"}


def test_confirming_twice_says_it_is_already_done(engine: Engine) -> None:
    make_board(engine)
    assistant = Assistant(engine, clock=Clock(LATE_EVENING))
    _, round_id = start_in_slack(assistant)
    assistant.handle(slack(f"justerat {V1}", user="U0NIKLAS", thread=THREAD))
    again = assistant.handle(slack(user="U0NIKLAS", action_id="justering.confirm", action_value=str(round_id)))
    assert again.private and "redan justerat" in again.text
    assert len(confirmations(engine)) == 1
    assert audit_actions(engine).count("justering.confirm_repeated") == 1


def test_the_unique_constraint_holds_one_confirmation_per_signer_and_version(engine: Engine) -> None:
    board = make_board(engine)
    assistant = Assistant(engine, clock=Clock(LATE_EVENING))
    _, round_id = start_in_slack(assistant)
    assistant.handle(slack(f"justerat {V1}", user="U0NIKLAS", thread=THREAD))
    from sqlalchemy.exc import IntegrityError

    with Session(engine) as session, pytest.raises(IntegrityError):
        session.add(JusteringConfirmation(round_id=round_id, person_id=board.people["Niklas"],
                                          version_hash=sha(protocol_text(PARAGRAPHS)), platform="slack"))
        session.commit()


# --- console path -------------------------------------------------------------------------


def test_console_path_by_name_in_a_console_thread(engine: Engine) -> None:
    board = make_board(engine)
    assistant = Assistant(engine, clock=Clock(LATE_EVENING))
    hint = "Härnösand"
    started = assistant.handle(Message("justera 24 november", platform="console", organisation_hint=hint))
    assert started.anchor is not None
    assistant.anchor_posted(started.anchor, "console", "console", "c-1")

    def say(text: str, name: str | None) -> str:
        return assistant.handle(Message(text, platform="console", organisation_hint=hint, user_name=name,
                                        thread_id="c-1")).text

    assert "inte utsedd" in say("justerat", "Lars Kempe")
    assert f"version {V1}…?" in say("justerat", "niklas  edén")
    assert "har justerat" in say(f"justerat {V1}", "niklas  edén")
    assert "Alla har justerat" in say(f"godkänner {V1}", "Monica Fällström")
    assert protocol_row(engine, board.protocol_id).status == "justerat"
    assert {c.platform for c in confirmations(engine)} == {"console"}


def test_justerat_outside_the_thread_finds_the_signers_only_round(engine: Engine) -> None:
    make_board(engine)
    assistant = Assistant(engine, clock=Clock(LATE_EVENING))
    start_in_slack(assistant)
    question = assistant.handle(slack("approved grants 2023", user="U0NIKLAS"))
    assert "har justerat" not in question.text and "signed" not in question.text
    assert confirmations(engine) == []
    reply = assistant.handle(slack(f"justerat {V1}", user="U0NIKLAS"))
    assert "Niklas Edén har justerat" in reply.text
    assert len(confirmations(engine)) == 1


# --- change requests, new versions, resume ------------------------------------------------


def test_change_request_pauses_the_round_and_tells_the_secretary(engine: Engine) -> None:
    board = make_board(engine)
    assistant = Assistant(engine, clock=Clock(LATE_EVENING))
    _, round_id = start_in_slack(assistant)
    reply = assistant.handle(slack("Begär ändring: § 112 ska vara 200 000 kr", user="U0NIKLAS", thread=THREAD))
    assert "pausad" in reply.text and "§ 112 ska vara 200 000 kr" in reply.text
    notes = [f for f in reply.followups if f.kind == "notify_person"]
    assert [f.person_id for f in notes] == [board.people["Ulrika"]]
    assert "§ 112 ska vara 200 000 kr" in notes[0].text
    with Session(engine) as session:
        rnd = session.get(JusteringRound, round_id)
        assert rnd is not None and rnd.status == "paused"
        requests = session.exec(select(ChangeRequest)).all()
        assert [(r.person_id, r.text, r.resolved_at) for r in requests] == [
            (board.people["Niklas"], "§ 112 ska vara 200 000 kr", None)]
    # While paused, confirmations do not count.
    paused = assistant.handle(slack(user="U0MONICA", action_id="justering.confirm", action_value=str(round_id)))
    assert paused.private and "pausad" in paused.text
    assert confirmations(engine) == []
    # The button alone carries no text: it asks for it.
    prompt = assistant.handle(slack(user="U0MONICA", action_id="justering.change", action_value=str(round_id)))
    assert prompt.private and "Begär ändring" in prompt.text
    # Someone who neither signs nor is secretary cannot pause the round.
    lars = assistant.handle(slack("request change: remove § 108", user="U0LARS", thread=THREAD))
    assert lars.private
    assert "justering.change_requested" in audit_actions(engine)
    assert "justering.change_refused" in audit_actions(engine)


def test_a_corrected_version_restarts_the_round_and_tells_signers_what_changed(engine: Engine) -> None:
    board = make_board(engine)
    clock = Clock(dt.datetime(2023, 11, 27, 9, 0, tzinfo=dt.UTC))
    assistant = Assistant(engine, clock=clock)
    _, round_id = start_in_slack(assistant)
    assistant.handle(slack(f"justerat {V1}", user="U0MONICA", thread=THREAD))
    assistant.handle(slack("begär ändring: § 112 fel belopp", user="U0NIKLAS", thread=THREAD))

    later = dt.datetime(2023, 11, 28, 8, 0, tzinfo=dt.UTC)
    restarts = load_corrected_version(engine, board.protocol_id, later)
    assert len(restarts) == 1
    restart = restarts[0]
    assert restart.status == "restarted"
    assert [(c.number, c.kind) for c in restart.changes or []] == [(112, "changed")]

    with Session(engine) as session:
        rnd = session.get(JusteringRound, round_id)
        protocol = session.get(Protocol, board.protocol_id)
        assert rnd is not None and protocol is not None
        assert rnd.status == "open" and rnd.version_hash == protocol.version_hash
        request = session.exec(select(ChangeRequest)).one()
        assert request.resolved_at == later and request.resolution == f"ny version {protocol.version_hash[:12]}"
        view = j.view(session, rnd)
        # Monica's confirmation was for the old text: it no longer counts, but is kept.
        assert [s.person.name for s in view.pending] == ["Monica Fällström", "Niklas Edén"]
        assert [p.name for p, _ in view.earlier] == ["Monica Fällström"]
        outbox = session.exec(select(Reminder).where(Reminder.kind == "justering_new_version")).all()
        assert sorted(r.recipient for r in outbox) == ["slack:U0MONICA", "slack:U0NIKLAS"]
        assert all("§ 112 Återrapportering Jobbcenter (ändrad)" in r.text for r in outbox)
        assert all(r.due_at == later and r.status == "pending" for r in outbox)
    assert "justering.restarted" in audit_actions(engine)

    clock.at = later
    # The old version, typed or clicked, is refused with the new one to read; nothing is recorded.
    stale = assistant.handle(slack(f"justerat {V1}", user="U0MONICA", thread=THREAD))
    v2 = j.short_hash(restart.new_hash)
    assert stale.private and not stale.answered and V1 in stale.text and v2 in stale.text
    assert "Ingen justering har registrerats" in stale.text
    clicked = assistant.handle(slack(user="U0NIKLAS", action_id="justering.confirm_version",
                                     action_value=f"{round_id}:{restart.old_hash}"))
    assert clicked.private and v2 in clicked.text
    new_root = next(f.reply for f in clicked.followups if f.kind == "update_root")
    assert new_root is not None and new_root.actions[0].value == f"{round_id}:{restart.new_hash}"
    assert len(confirmations(engine)) == 1  # Monica's of the old version only
    assistant.handle(slack(f"justerat {v2}", user="U0MONICA", thread=THREAD))
    done = assistant.handle(slack(f"justerat {v2}", user="U0NIKLAS", thread=THREAD))
    assert "Alla har justerat" in done.text
    with Session(engine) as session:
        rnd = session.get(JusteringRound, round_id)
        assert rnd is not None
        text = render_text(build(session, rnd, later))
    assert "fel belopp" in text and "löst" in text
    assert "gäller inte den nuvarande texten" in text  # Monica's first confirmation


def test_a_new_text_after_justering_keeps_it_justerat_and_tells_the_secretary(engine: Engine) -> None:
    board = make_board(engine)
    assistant = Assistant(engine, clock=Clock(LATE_EVENING))
    _, round_id = start_in_slack(assistant)
    assistant.handle(slack(f"justerat {V1}", user="U0MONICA", thread=THREAD))
    assistant.handle(slack(f"justerat {V1}", user="U0NIKLAS", thread=THREAD))
    restarts = load_corrected_version(engine, board.protocol_id, LATE_EVENING + dt.timedelta(days=1))
    assert [r.status for r in restarts] == ["changed_after_justering"]
    assert protocol_row(engine, board.protocol_id).status == "justerat"
    with Session(engine) as session:
        rnd = session.get(JusteringRound, round_id)
        assert rnd is not None and rnd.status == "done"
        outbox = session.exec(select(Reminder)).all()
    assert [(r.kind, r.recipient) for r in outbox] == [("justering_changed_after", "slack:U0ULRIKA")]
    assert "§ 112" in outbox[0].text and "inte justerad" in outbox[0].text


def test_resume_without_change_keeps_the_confirmations_of_the_same_version(engine: Engine) -> None:
    board = make_board(engine)
    assistant = Assistant(engine, clock=Clock(LATE_EVENING))
    _, round_id = start_in_slack(assistant)
    assistant.handle(slack(f"justerat {V1}", user="U0MONICA", thread=THREAD))
    assistant.handle(slack("begär ändring: stavfel i § 108", user="U0NIKLAS", thread=THREAD))
    refused = assistant.handle(slack("återuppta justering 2023-11-24", user="U0NIKLAS"))
    assert refused.private
    resumed = assistant.handle(slack("återuppta justering 2023-11-24", user="U0ULRIKA"))
    assert "fortsätter utan ändring" in resumed.text
    done = assistant.handle(slack(f"justerat {V1}", user="U0NIKLAS", thread=THREAD))
    assert "Alla har justerat" in done.text
    assert protocol_row(engine, board.protocol_id).status == "justerat"
    with Session(engine) as session:
        request = session.exec(select(ChangeRequest)).one()
        assert request.resolution == "ingen ändring (beslut av Ulrika Sahlin)"
        rnd = session.get(JusteringRound, round_id)
        assert rnd is not None and rnd.status == "done"


def test_signer_roles_are_configurable(engine: Engine) -> None:
    make_board(engine, signer_roles="justerare")
    reply = Assistant(engine, clock=Clock(LATE_EVENING)).handle(slack("justera 2023-11-24", user="U0ULRIKA"))
    assert [m.name for m in reply.mentions] == ["Niklas Edén"]


# --- questions ----------------------------------------------------------------------------


def test_questions_about_who_has_signed(engine: Engine) -> None:
    make_board(engine)
    assistant = Assistant(engine, clock=Clock(LATE_EVENING))
    start_in_slack(assistant)
    assistant.handle(slack(f"justerat {V1}", user="U0NIKLAS", thread=THREAD))

    who = assistant.handle(slack("Vem har inte justerat än?", user="U0LARS"))
    assert "Har inte justerat än: Monica Fällström (ordförande)" in who.text
    assert "Har justerat: Niklas Edén" in who.text and "ojusterat" in who.text
    assert who.sources[0].organisation == ORG

    everyone = assistant.handle(slack("Har alla justerat?", user="U0LARS"))
    assert everyone.text.startswith("Nej.")

    english = assistant.handle(slack("Who has not signed yet?", user="U0LARS"))
    assert english.language == "en" and "Not signed yet: Monica Fällström" in english.text

    is_it = assistant.handle(slack("Är protokollet från 24 november justerat?", user="U0LARS"))
    assert is_it.text.startswith("Nej.") and "2023-11-24" in is_it.text

    assistant.handle(slack(f"justerat {V1}", user="U0MONICA", thread=THREAD))
    yes = assistant.handle(slack("Är protokollet från 24 november justerat?", user="U0LARS"))
    assert yes.text.startswith("Ja, protokollet från 2023-11-24") and "2023-11-28" in yes.text
    assert assistant.handle(slack("Har alla justerat?", user="U0LARS")).text.startswith("Ja.")


def test_is_justerat_for_a_protocol_without_a_round(engine: Engine) -> None:
    make_board(engine)
    reply = Assistant(engine, clock=Clock(LATE_EVENING)).handle(
        Message("Är protokollet från 2023-11-24 justerat?", platform="console"))
    assert reply.text.startswith("Nej") and "ojusterat" in reply.text and "2023-12-08" in reply.text


# --- compliance ---------------------------------------------------------------------------


def _seed_protocols(engine: Engine) -> None:
    """Protocols as the loader stores seeds 001, 003 and 004: justerat, with their recorded dates."""
    seeds = [
        ("Samordningsförbundet Södra Vätterbygden", dt.date(2020, 11, 16), "001.txt",
         {"justering_date": dt.date(2020, 11, 18), "anslag_posted": dt.date(2020, 11, 18),
          "anslag_removed": dt.date(2020, 12, 9)}),
        ("Samordningsförbundet Härnösand – Timrå", dt.date(2023, 11, 24), "003.txt",
         {"anslag_posted": dt.date(2023, 12, 12), "anslag_removed": dt.date(2023, 12, 27)}),
        ("Samordningsförbundet Umeåregionen", dt.date(2019, 6, 20), "004.txt",
         {"justering_date": dt.date(2019, 6, 26), "anslag_posted": dt.date(2019, 7, 1),
          "anslag_removed": dt.date(2019, 7, 22)}),
    ]
    with Session(engine) as session:
        for name, meeting, file_name, fields in seeds:
            org = Organisation(name=name)
            session.add(org)
            session.flush()
            add_protocol(session, org, meeting, f"Protokoll {name} {meeting}", file_name, [], status="justerat",
                         **fields)
        session.commit()


def test_are_the_notices_correct(engine: Engine) -> None:
    _seed_protocols(engine)
    reply = Assistant(engine, clock=Clock(LATE_EVENING)).handle(
        Message("Är anslagen korrekta?", platform="console"))
    text = reply.text
    assert text.startswith("Nej")
    # 003: up 2023-12-12 to 2023-12-27, shorter than three weeks (the period ran to 2024-01-02).
    assert "anslaget var uppe 2023-12-12–2023-12-27, 15 dagar – kortare än tre veckor" in text
    assert "2024-01-02" in text
    # 004: posted five days after justering; the law allowed until 2019-06-28.
    assert "justerat 2019-06-26 men anslaget sattes upp 2019-07-01, 5 dagar efter justeringen" in text
    assert "2019-06-28" in text
    # 001 is in order, and no finding names it.
    findings = [line for line in text.splitlines() if line.startswith("•")]
    assert not any("Södra Vätterbygden" in line for line in findings)
    assert "I ordning: Samordningsförbundet Södra Vätterbygden, 2020-11-16" in text
    labels = {(s.organisation, s.meeting_date, s.document) for s in reply.sources}
    assert ("Samordningsförbundet Härnösand – Timrå", dt.date(2023, 11, 24), "003.txt") in labels
    assert ("Samordningsförbundet Umeåregionen", dt.date(2019, 6, 20), "004.txt") in labels

    english = Assistant(engine, clock=Clock(LATE_EVENING)).handle(
        Message("Are the notices correct?", platform="console"))
    assert english.text.startswith("No") and "5 days later" in english.text


def test_compliance_of_one_organisation_named_in_the_question(engine: Engine) -> None:
    _seed_protocols(engine)
    reply = Assistant(engine, clock=Clock(LATE_EVENING)).handle(
        Message("Är anslagen korrekta i Södra Vätterbygden?", platform="console"))
    assert reply.text.startswith("Ja") and "Härnösand" not in reply.text


def test_compliance_findings_for_each_rule(engine: Engine) -> None:
    org = Organisation(id=1, name="F")
    doc = Document(id=1, organisation_id=1, kind="protokoll", file_name="x", content_hash="h", text="t")

    def codes(**fields: object) -> list[str]:
        protocol = Protocol(document_id=1, organisation_id=1, meeting_date=dt.date(2024, 3, 1), version_hash="h",
                            **fields)  # type: ignore[arg-type]
        return [f.code for f in j.check_protocol(protocol, org, doc)]

    assert codes(justering_date=dt.date(2024, 3, 20)) == ["justering_late"]
    assert codes(justering_date=dt.date(2024, 3, 5), anslag_posted=dt.date(2024, 3, 4)) == [
        "anslag_before_justering"]
    # Justerat on a Thursday: the second day is a Saturday, so Monday is still in time.
    assert codes(justering_date=dt.date(2024, 3, 7), anslag_posted=dt.date(2024, 3, 11)) == []
    assert codes(justering_date=dt.date(2024, 3, 7), anslag_posted=dt.date(2024, 3, 12)) == ["anslag_late"]
    # Three weeks from Thursday 7 March end on Thursday 28 March, the day the notice is dated down.
    assert codes(justering_date=dt.date(2024, 3, 7), anslag_posted=dt.date(2024, 3, 7),
                 anslag_removed=dt.date(2024, 3, 28)) == []
    assert codes(justering_date=dt.date(2024, 3, 7), anslag_posted=dt.date(2024, 3, 7),
                 anslag_removed=dt.date(2024, 3, 27)) == ["anslag_too_short"]
    # From Friday 8 March the period would end on långfredagen; it runs to Tuesday 2 April.
    assert codes(justering_date=dt.date(2024, 3, 7), anslag_posted=dt.date(2024, 3, 8),
                 anslag_removed=dt.date(2024, 3, 29)) == ["anslag_too_short"]
    assert codes(justering_date=dt.date(2024, 3, 7), anslag_posted=dt.date(2024, 3, 8),
                 anslag_removed=dt.date(2024, 4, 2)) == []


def test_legal_dates_move_past_weekends_and_holidays() -> None:
    # Justerat Thursday 21 December 2023: the second day is a Saturday, then julafton,
    # juldagen and annandag jul: the notice may go up on Wednesday 27 December.
    assert anslag_post_by(dt.date(2023, 12, 21)) == dt.date(2023, 12, 27)
    # A meeting on 11 December 2023: day 14 is juldagen.
    assert justering_deadline(dt.date(2023, 12, 11)) == dt.date(2023, 12, 27)
    assert justering_deadline(dt.date(2021, 6, 11), dt.date(2021, 6, 24)) == dt.date(2021, 6, 24)


# --- certificate --------------------------------------------------------------------------


def test_certificate_pdf_reads_back(engine: Engine, tmp_path: Path) -> None:
    board = make_board(engine)
    assistant = Assistant(engine, clock=Clock(LATE_EVENING))
    _, round_id = start_in_slack(assistant)
    assistant.handle(slack(f"justerat {V1}", user="U0NIKLAS", thread=THREAD))
    assistant.handle(slack(f"justerat {V1}", user="U0MONICA", thread=THREAD))
    with Session(engine) as session:
        rnd = session.get(JusteringRound, round_id)
        assert rnd is not None
        cert = build(session, rnd, LATE_EVENING)
    data = render_pdf(cert)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    version = sha(protocol_text(PARAGRAPHS))
    assert "JUSTERINGSINTYG" in text
    assert "Härnösand" in text and "Monica Fällström, ordförande" in text and "Niklas Edén, justerare" in text
    assert version in text
    assert "Justerat 2023-11-28 00:30:00 via Slack, användar-id U0NIKLAS" in text
    assert "JUSTERAT 2023-11-28" in text
    assert board.protocol_id


# --- the command line ---------------------------------------------------------------------


def test_cli_start_confirm_status_certificate_check(store_url: str, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from storage.db import open_engine

    engine = open_engine(store_url)
    board = make_board(engine)
    monkeypatch.setenv("BOARDBOT_DATABASE_URL", store_url)
    runner = CliRunner()
    org = ["--org", "Härnösand", "--meeting", "2023-11-24"]

    started = runner.invoke(app, ["justering", "start", *org, "--by", "Ulrika Sahlin"])
    assert started.exit_code == 0, started.output
    assert "ojusterat" in started.output and "Niklas Edén" in started.output

    wrong = runner.invoke(app, ["justering", "confirm", *org, "--person", "Lars Kempe"])
    assert wrong.exit_code == 1 and "inte utsedd" in wrong.output

    for name in ("Niklas Edén", "Monica Fällström"):
        asked = runner.invoke(app, ["justering", "confirm", *org, "--person", name])
        assert asked.exit_code == 1 and f"version {V1}" in asked.output and "--version" in asked.output
        result = runner.invoke(app, ["justering", "confirm", *org, "--person", name, "--version", V1])
        assert result.exit_code == 0, result.output

    status = runner.invoke(app, ["justering", "status", *org])
    assert status.exit_code == 0 and "Ja, protokollet från 2023-11-24" in status.output

    pdf_path = tmp_path / "intyg.pdf"
    cert = runner.invoke(app, ["justering", "certificate", *org, "--pdf", str(pdf_path)])
    assert cert.exit_code == 0, cert.output
    assert "via kommandoraden" in cert.output
    with pdfplumber.open(pdf_path) as pdf:
        assert "Monica Fällström" in (pdf.pages[0].extract_text() or "")

    posted = runner.invoke(app, ["justering", "anslag", *org, "--posted", "2023-12-12"])
    assert posted.exit_code == 0, posted.output
    check = runner.invoke(app, ["justering", "check"])
    assert check.exit_code == 1 and "anslaget sattes upp 2023-12-12" in check.output

    bad = runner.invoke(app, ["justering", "status", "--org", "Härnösand", "--meeting", "24/11"])
    assert bad.exit_code == 2 and "ÅÅÅÅ-MM-DD" in bad.output
    missing = runner.invoke(app, ["justering", "status", "--org", "Ingenstans", "--meeting", "2023-11-24"])
    assert missing.exit_code == 2 and "Hittar inget" in missing.output
    assert protocol_row(engine, board.protocol_id).status == "justerat"
    engine.dispose()


def test_a_signers_name_takes_the_swedish_genitive() -> None:
    from storage.justering import genitive

    assert genitive("Tove Ekbacka") == "Tove Ekbackas"
    assert genitive("Karin Näsmark") == "Karin Näsmarks"
    # A name ending in s, x or z takes no second s ("Lars konto", not "Larss konto").
    assert [genitive(n) for n in ("Niklas", "Max", "Inez Ruiz")] == ["Niklas", "Max", "Inez Ruiz"]
