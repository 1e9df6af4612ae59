"""The sample förbund's facts answered as a new user asks them: right value, right §, now.

Each example of issue 13 is asked in Swedish and English through the console (in process and
as `boardbot ask --json`) and through Slack (the real Bolt app against the stand-in).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.console import ask
from handlers.meetings_admin import apply_command
from handlers.messages import Reply
from scheduler.calendar import organisation_calendar
from scheduler.plan import plan
from storage.db import open_engine
from storage.ingest.load import ingest_path
from storage.justering import start_round
from storage.models import AuditLog, ConversationLink, Grant, Organisation, Protocol
from tests.slack_harness import CHANNEL, mention, running_bot

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "bot" / "samples"
TODAY = dt.date(2025, 5, 10)


# The sample förbund as the issue found it in May 2025: before the June meeting's protocol.
SPRING = [p for p in sorted(SAMPLES.glob("norrvik_*.txt")) if "2025-06-13" not in p.name]


@pytest.fixture
def norrvik(tmp_path: Path) -> Iterator[tuple[Engine, Path]]:
    db = tmp_path / "norrvik.db"
    engine = open_engine(f"sqlite:///{db}")
    for path in SPRING:
        assert ingest_path(engine, path).ok
    yield engine, db
    engine.dispose()


def asked(engine: Engine, question: str) -> Reply:
    reply = ask(engine, question, org="Norrvik", as_of=TODAY)
    reply.text = reply.text.replace("\xa0", " ")  # amounts are written with no-break spaces
    return reply


def cited(reply: Reply) -> list[tuple[str | None, int | None]]:
    return [(s.meeting_date.isoformat() if s.meeting_date else s.document, s.paragraph) for s in reply.sources]


@pytest.mark.parametrize("question", ["När är nästa möte?", "When is the next meeting?"])
def test_next_meeting_cites_the_meeting_plan(norrvik: tuple[Engine, Path], question: str) -> None:
    reply = asked(norrvik[0], question)
    assert reply.answered and "2025-06-13" in reply.text
    assert cited(reply) == [("2025-04-25", 25)]


@pytest.mark.parametrize("question", ["Vilka möten är planerade 2025?", "Which meetings are planned in 2025?"])
def test_every_planned_meeting_cites_the_plan_and_held_ones_their_protocol(
        norrvik: tuple[Engine, Path], question: str) -> None:
    reply = asked(norrvik[0], question)
    assert "2025-09-12" in reply.text or "12 september" in reply.text
    # The plan (§ 25), not § 19 or § 20 that only name a date in passing; held meetings
    # their own protocol, never a § of another one.
    assert set(cited(reply)) <= {("2025-04-25", 25), ("2025-04-25", None), ("2025-02-14", None)}
    assert ("2025-04-25", 25) in cited(reply)


@pytest.mark.parametrize("question", ["När är nästa möte?", "When is the next meeting?"])
def test_the_newest_plan_is_cited_once_a_later_protocol_names_the_meeting(
        norrvik: tuple[Engine, Path], question: str) -> None:
    engine, _ = norrvik
    assert ingest_path(engine, SAMPLES / "norrvik_protokoll_2025-06-13.txt").ok
    reply = ask(engine, question, org="Norrvik", as_of=dt.date(2025, 6, 16))
    assert "2025-09-12" in reply.text
    # April's § 25 planned it; June's § 36 ("Nästa möte") is the newer source.
    assert cited(reply) == [("2025-06-13", 36)]


def test_calendar_cites_the_plan_and_the_held_meetings_protocol(norrvik: tuple[Engine, Path]) -> None:
    engine, _ = norrvik
    with Session(engine) as session:
        org = session.exec(select(Organisation)).one()
        ics = organisation_calendar(session, org, dt.datetime(2025, 5, 10, 8, tzinfo=dt.UTC)).to_ical().decode()
    unfolded = ics.replace("\r\n ", "")
    assert "protokoll 2025-04-25\\, § 10" not in unfolded
    assert "protokoll 2025-04-25\\, § 25" in unfolded
    assert "§ 19" not in unfolded and "§ 20" not in unfolded


@pytest.mark.parametrize(("question", "moved_by"), [
    ("När är nästa möte?", "ändrat i chatten av Elsa Brännvall"),
    ("When is the next meeting?", "changed in chat by Elsa Brännvall"),
])
def test_a_moved_meeting_cites_who_moved_it_and_when(norrvik: tuple[Engine, Path], question: str,
                                                      moved_by: str) -> None:
    engine, _ = norrvik
    with Session(engine) as session:
        org = session.exec(select(Organisation)).one()
        apply_command(session, org, "flytta 2025-06-13 till 2025-06-16 kl. 13", "slack:U0ELSA (Elsa Brännvall)",
                      TODAY)
        session.commit()
    reply = asked(engine, question)
    assert "2025-06-16" in reply.text
    [source] = reply.sources
    assert source.document is not None and source.document.startswith(moved_by)
    assert source.paragraph is None


def test_console_json_names_the_plans_paragraph(norrvik: tuple[Engine, Path], tmp_path: Path) -> None:
    _, db = norrvik
    env = {**os.environ, "BOARDBOT_DATABASE_URL": f"sqlite:///{db}"}
    result = subprocess.run([sys.executable, "-m", "bot.cli", "ask", "--org", "Norrvik", "--as-of",
                             TODAY.isoformat(), "--json", "När är nästa möte?"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["answered"] and out["sources"][0]["paragraph"] == 25
    assert out["sources"][0]["meeting_date"] == "2025-04-25"


async def test_slack_answer_cites_the_meeting_plan(norrvik: tuple[Engine, Path]) -> None:
    engine, _ = norrvik
    with Session(engine) as session:
        org = session.exec(select(Organisation)).one()
        session.add(ConversationLink(platform="slack", conversation_id=CHANNEL, organisation_id=org.id))
        session.commit()
    clock = lambda: dt.datetime(2025, 5, 10, 9, tzinfo=dt.UTC)  # noqa: E731
    async with running_bot(engine, clock=clock) as bot:
        for question in ("När är nästa möte?", "When is the next meeting?"):
            await bot.event(mention(question))
            await bot.settle()
        posts = [call.args["text"] for call in bot.standin.calls_to("chat.postMessage")]
    assert len(posts) == 2
    for text in posts:
        assert "2025-06-13" in text or "13 juni" in text or "13 June" in text
        assert "protokoll 2025-04-25, § 25" in text


# --- later documents update earlier facts ---------------------------------------------------


@pytest.mark.parametrize(("question", "expected"), [
    ("Är protokollet från 14 februari justerat?", "Ja, protokollet från 2025-02-14"),
    ("Has the protocol from 14 February been justerat?", "Yes, the minutes of 2025-02-14"),
    ("När justerades protokollet från 14 februari?", "2025-02-20"),
    ("When was the notice for the minutes of 14 February posted?", "2025-02-21"),
])
def test_a_later_protocol_records_the_earlier_ones_justering_and_anslag(
        norrvik: tuple[Engine, Path], question: str, expected: str) -> None:
    reply = asked(norrvik[0], question)
    assert reply.answered and expected in reply.text
    assert "2025-02-20" in reply.text or "2025-02-21" in reply.text
    assert cited(reply) == [("2025-04-25", 15)]  # § 15 of the April protocol says so


def test_the_record_holds_whichever_protocol_is_read_first(engine: Engine) -> None:
    # On SQLite and on PostgreSQL (the `engine` fixture runs both).
    for path in sorted(SAMPLES.glob("norrvik_protokoll_*.txt"))[1::-1]:
        assert ingest_path(engine, path).ok
    reply = asked(engine, "Är protokollet från 14 februari justerat?")
    assert "justerades 2025-02-20" in reply.text and cited(reply) == [("2025-04-25", 15)]
    with Session(engine) as session:
        [log] = session.exec(select(AuditLog).where(AuditLog.action == "protocol.recorded")).all()
    # Nothing overwritten without a trace: the change and its source are in the audit log.
    assert '"justering_date": [null, "2025-02-20"]' in (log.detail or "")


def test_a_protocol_recorded_as_justerat_later_gets_no_justering_reminders(engine: Engine) -> None:
    february, april = sorted(SAMPLES.glob("norrvik_protokoll_*.txt"))[:2]
    assert ingest_path(engine, february).ok
    started = dt.datetime(2025, 2, 17, 9, tzinfo=dt.UTC)
    with Session(engine) as session:
        protocol = session.exec(select(Protocol).where(Protocol.meeting_date == dt.date(2025, 2, 14))).one()
        assert start_round(session, protocol, started_by="test", actor="test", now=started).status == "created"
        session.commit()
        before = [r for r in plan(session, started) if r.kind == "justering"]
    assert before, "an open round reminds its signers"
    assert ingest_path(engine, april).ok
    with Session(engine) as session:
        after = [r for r in plan(session, started) if r.kind in ("justering", "justering_late")]
        org = session.exec(select(Organisation)).one()
        ics = organisation_calendar(session, org, started).to_ical().decode()
    assert after == []
    assert "Sista dag för justering: protokoll 2025-02-14" not in ics


# --- grants as dated events -----------------------------------------------------------------


@pytest.mark.parametrize(("question", "approved", "not_paid"), [
    ("Godkändes slutrapporten för Jobbspåret Norrvik och hur mycket betalades ut?",
     "Utbetalning till Jobbspåret Norrvik beslutad 2025-04-25", "Handlingarna säger inte att den är gjord"),
    ("Was the final report for Jobbspåret Norrvik approved, and how much was paid out?",
     "Payment to Jobbspåret Norrvik approved on 2025-04-25", "The documents do not say it has been made"),
])
def test_a_payout_decision_is_approved_with_its_amount_not_called_paid(
        norrvik: tuple[Engine, Path], question: str, approved: str, not_paid: str) -> None:
    reply = asked(norrvik[0], question)
    assert reply.answered and approved in reply.text and "185 000 kr" in reply.text and not_paid in reply.text
    assert "utbetald." not in reply.text and "paid out." not in reply.text
    assert cited(reply) == [("2025-04-25", 16)]


@pytest.mark.parametrize(("question", "expected"), [
    ("Vilket diarienummer har Jobbspåret Norrvik?", "N23/2"),
    ("What is the file number of Jobbspåret Norrvik?", "N23/2"),
    ("Hur mycket beviljades Jobbspåret Norrvik och för vilken period?", "900 000 kr"),
    ("How much was Jobbspåret Norrvik granted, and for which period?", "2023-01-01"),
])
def test_a_final_report_gives_the_grants_dnr_amount_and_period(
        norrvik: tuple[Engine, Path], question: str, expected: str) -> None:
    reply = asked(norrvik[0], question)
    assert reply.answered and expected in reply.text
    assert cited(reply) == [("2025-04-25", 16)]


# --- figures keep what they are -------------------------------------------------------------


@pytest.mark.parametrize(("question", "also"), [
    ("Vad var årets resultat 2024?", "Tertialuppföljning 2025-04-30 anger 452 000 kr"),
    ("What was the result for 2024?", "Tertialuppföljning 2025-04-30 gives 452 000 kr"),
])
def test_a_years_result_is_the_annual_one_and_the_tertial_outcome_is_named_beside_it(
        norrvik: tuple[Engine, Path], question: str, also: str) -> None:
    reply = asked(norrvik[0], question)
    assert reply.answered and reply.text.index("731 000 kr") < reply.text.index("452 000 kr")
    assert also in reply.text and "2024-04-30" in reply.text
    assert cited(reply)[0] == ("2025-02-14", 4)  # § 4 of the February protocol states it


@pytest.mark.parametrize(("question", "not_included"), [
    ("Hur mycket har Norrviks kommun fått?", "medlemsbidrag) är en annan sak"),
    ("How much has Norrviks kommun received?", "member contribution) is another matter"),
])
def test_what_a_member_receives_is_not_what_it_pays_in(norrvik: tuple[Engine, Path], question: str,
                                                       not_included: str) -> None:
    reply = asked(norrvik[0], question)
    assert "Stegvis till arbete: 650 000 kr" in reply.text and not_included in reply.text
    assert "780 000" not in reply.text  # its medlemsbidrag
    assert cited(reply) == [("2025-02-14", 5)]


def test_budget_chart_is_one_documents_lines(norrvik: tuple[Engine, Path]) -> None:
    reply = asked(norrvik[0], "budget 2025")
    assert reply.image_path is not None
    rows = [line for line in reply.text.splitlines() if line.startswith("• ")]
    assert 0 < len(rows) <= 12
    # Lines only: no sums, no results (the tertial report wrote its result four times).
    assert not any(word in reply.text for word in ("Summa", "resultat", "Verksamhetens", "Eget kapital"))
    assert [s.document for s in reply.sources] == ["Tertialuppföljning 2025-04-30"]
    plan = asked(norrvik[0], "budget 2026")
    rows = [line for line in plan.text.splitlines() if line.startswith("• ")]
    assert len(rows) == 12 and rows[-1].startswith("• Övriga (4 rader)")
    assert "Delsumma" not in plan.text and "Summa" not in plan.text


@pytest.mark.parametrize(("request_text", "remaining"), [
    ("diagram insatser 2025", "enligt det senaste beskedet (2025-04-25): 580 000 kr"),
    ("chart grants 2025", "according to the latest statement (2025-04-25): 580 000 kr"),
])
def test_grants_chart_remaining_is_the_latest_stated_figure(norrvik: tuple[Engine, Path], request_text: str,
                                                            remaining: str) -> None:
    reply = asked(norrvik[0], request_text)
    assert reply.image_path is not None and remaining in reply.text
    assert "1 300 000" not in reply.text  # the plan's budget line, superseded by § 18
    assert ("2025-04-25", 18) in cited(reply)


# --- one declaration per entity -------------------------------------------------------------


def test_grant_and_figure_forms_derive_from_one_declaration(norrvik: tuple[Engine, Path]) -> None:
    from typing import get_args

    from storage import grant_status
    from storage.ingest.parsed import ParsedBudgetFigure, ParsedGrant
    from storage.models import BudgetFigure, FigureFacts, Grant, GrantFacts
    from storage.portable import BudgetIn, GrantIn, export_organisation, validate

    for facts, forms in ((GrantFacts, (Grant, ParsedGrant, GrantIn)),
                         (FigureFacts, (BudgetFigure, ParsedBudgetFigure, BudgetIn))):
        for form in forms:
            assert issubclass(form, facts) and set(facts.model_fields) <= set(form.model_fields)
    # The export accepts exactly the statuses the store derives, with the labels answers use.
    assert get_args(GrantIn.model_fields["status"].annotation) == grant_status.STATUSES
    engine, _ = norrvik
    with Session(engine) as session:
        org = session.exec(select(Organisation)).one()
        exported = export_organisation(session, org)
    data, errors = validate(exported)
    assert errors == [] and data is not None
    [jobbsparet] = [g for g in data.grants if g.name == "Jobbspåret Norrvik"]
    assert (jobbsparet.status, jobbsparet.dnr, jobbsparet.max_amount) == ("payment_approved", "N23/2", 900_000)
    assert {b.row_type for b in data.budget} == {"line", "subtotal", "total"}


# --- the examples through Slack, and the reminders ------------------------------------------


SLACK_EXAMPLES = [
    ("Är protokollet från 14 februari justerat?", "2025-02-20", "protokoll 2025-04-25, § 15"),
    ("Has the protocol from 14 February been justerat?", "2025-02-20", "protokoll 2025-04-25, § 15"),
    ("Godkändes slutrapporten för Jobbspåret Norrvik och hur mycket betalades ut?", "185 000 kr",
     "protokoll 2025-04-25, § 16"),
    ("Was the final report for Jobbspåret Norrvik approved, and how much was paid out?", "185 000 kr",
     "protokoll 2025-04-25, § 16"),
    ("Vad var årets resultat 2024?", "731 000 kr", "protokoll 2025-02-14, § 4"),
    ("What was the result for 2024?", "731 000 kr", "protokoll 2025-02-14, § 4"),
    ("Hur mycket har Norrviks kommun fått?", "Stegvis till arbete", "protokoll 2025-02-14, § 5"),
    ("How much has Norrviks kommun received?", "Stegvis till arbete", "protokoll 2025-02-14, § 5"),
    ("diagram insatser 2025", "580 000 kr", "protokoll 2025-04-25, § 18"),
    ("chart grants 2025", "580 000 kr", "protokoll 2025-04-25, § 18"),
]


async def test_slack_answers_the_issues_examples_with_their_paragraphs(norrvik: tuple[Engine, Path]) -> None:
    engine, _ = norrvik
    with Session(engine) as session:
        org = session.exec(select(Organisation)).one()
        session.add(ConversationLink(platform="slack", conversation_id=CHANNEL, organisation_id=org.id))
        session.commit()
    clock = lambda: dt.datetime(2025, 5, 10, 9, tzinfo=dt.UTC)  # noqa: E731
    async with running_bot(engine, clock=clock) as bot:
        for question, _value, _source in SLACK_EXAMPLES:
            await bot.event(mention(question))
            await bot.settle()
        posts = [call.args["text"].replace("\xa0", " ") for call in bot.standin.calls_to("chat.postMessage")]
    assert len(posts) == len(SLACK_EXAMPLES)
    for text, (question, value, source) in zip(posts, SLACK_EXAMPLES, strict=True):
        assert value in text and source in text, (question, text)


def test_meeting_reminders_cite_the_plan(norrvik: tuple[Engine, Path]) -> None:
    engine, _ = norrvik
    with Session(engine) as session:
        due = [r for r in plan(session, dt.datetime(2025, 9, 5, 9, tzinfo=dt.UTC)) if r.kind == "meeting"]
    assert due and all("protokoll 2025-04-25, § 25" in r.text for r in due)
    assert not any("§ 20" in r.text for r in due)


def test_a_newer_plan_replaces_the_citation_and_the_old_one_stays_in_the_log(norrvik: tuple[Engine, Path]) -> None:
    engine, _ = norrvik
    assert ingest_path(engine, SAMPLES / "norrvik_protokoll_2025-06-13.txt").ok
    with Session(engine) as session:
        logs = session.exec(select(AuditLog).where(AuditLog.action == "meeting.replanned")).all()
    [log] = logs  # 12 September: April's § 25, then June's § 36
    detail = json.loads(log.detail or "{}")
    assert detail["before"]["basis"] == "plan" and detail["before"]["document_id"] != detail["after"]["document_id"]


def _protocol(day: str, when: str, dnr: str, application: str, decision: str) -> str:
    return (f"Protokoll – styrelsen för Samordningsförbundet Testvik\n\nPlats\tFörbundskansliet, Testvik\n"
            f"Tid\t{when}, kl. 09.00-12.00\nParagrafer\t§§ 1-2\nUtses att justera\tAnna Berg\n\n"
            f"§ 1 Mötets öppnande\n\nOrdföranden förklarar mötet öppnat.\n\n"
            f"§ 2 Ansökan – Vägen in, Dnr {dnr}\n\n{application}\n\nBeslut\n\n{decision}\n")


@pytest.mark.parametrize("newer_first", [True, False])
def test_one_name_two_efforts_in_either_ingest_order(engine: Engine, tmp_path: Path, newer_first: bool) -> None:
    older = tmp_path / "older.txt"
    older.write_text(_protocol("2023-03-10", "10 mars 2023", "T23/7",
                               "Testviks kommun ansöker om 300 000 kr för perioden 2023-04-01 – 2023-12-31.",
                               "Ansökan avslås."), encoding="utf-8")
    newer = tmp_path / "newer.txt"
    newer.write_text(_protocol("2025-03-14", "14 mars 2025", "T25/3",
                               "Testviks kommun ansöker om 400 000 kr för perioden 2025-04-01 – 2025-12-31.",
                               "Att bevilja finansiering med 400 000 kr för perioden 2025-04-01 – 2025-12-31."),
                     encoding="utf-8")
    for path in ([newer, older] if newer_first else [older, newer]):
        assert ingest_path(engine, path).ok
    with Session(engine) as session:
        grants = {g.dnr: g for g in session.exec(select(Grant).where(Grant.name == "Vägen in")).all()}
    assert set(grants) == {"T23/7", "T25/3"}
    refused, granted = grants["T23/7"], grants["T25/3"]
    assert (refused.status, refused.max_amount, refused.previous_id) == ("refused", 300_000, None)
    assert (granted.status, granted.max_amount, granted.previous_id) == ("granted", 400_000, refused.id)


@pytest.mark.parametrize(("question", "expected"), [
    ("Hur mycket återstår för nya insatser 2025?", "580 000 kr"),
])
def test_what_remains_of_the_post_for_new_efforts_is_the_latest_statement(
        norrvik: tuple[Engine, Path], question: str, expected: str) -> None:
    # (In English, "left"/"remains" is read as a question about who left the meeting by the
    # question kinds; the grants chart answers it in both languages, see above.)
    reply = asked(norrvik[0], question)
    # (Worded by the budget kind, "Återstår 2025 för Tillgängligt nya insatser: 580 000 kr (per …)", or
    # by the grants' own statement, "… återstår 580 000 kr enligt senaste beskedet".)
    assert reply.answered and "återstår" in reply.text.lower() and expected in reply.text and "1 300 000" not in reply.text
    assert cited(reply) == [("2025-04-25", 18)]
