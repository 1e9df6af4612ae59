"""`boardbot reminders --at`, `boardbot calendar`, `boardbot meeting …`, the chat's `möte`
command and GET /calendar/<organisation>.ics."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from icalendar import Calendar
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select
from typer.testing import CliRunner

from bot.calendar_http import mount
from bot.cli import app
from bot.services import Services
from handlers.assistant import Assistant
from handlers.messages import Message
from storage.models import AuditLog, JusteringRound, Meeting, Organisation, Reminder
from storage.organisations import organisation_by_address, slugify
from storage.settings import get_settings
from tests.reminder_helpers import BOARD_CHANNEL, CHAIR, NIKLAS, STOCKHOLM, local, seed_store


@pytest.fixture
def cli(store_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("BOARDBOT_DATABASE_URL", store_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_reminders_at_prints_what_is_due_without_sending(engine: Engine, cli: CliRunner) -> None:
    seed_store(engine)
    result = cli.invoke(app, ["reminders", "--at", "2024-01-26T09:00", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["at_local"] == "2024-01-26T09:00:00+01:00"
    due = payload["reminders"]
    assert sorted(r["recipient"] for r in due) == sorted([BOARD_CHANNEL, CHAIR, NIKLAS])
    assert {r["due_local"] for r in due} == {"2024-01-26T09:00:00+01:00"}
    assert {r["outbox_status"] for r in due} == {None}
    assert "styrelsemöte fredag 2 februari 2024 kl. 09.00–12.00, Timrå" in due[0]["text"]

    text = cli.invoke(app, ["reminders", "--at", "2024-03-31T09:00", "--org", "Härnösand"])
    assert text.exit_code == 0, text.output
    # 22 March has passed and 31 May is not near yet.
    assert "Inga påminnelser att skicka 2024-03-31 09:00 (Europe/Stockholm)." in text.output
    earlier = cli.invoke(app, ["reminders", "--at", "2024-03-21T09:00"])
    assert "Att skicka 2024-03-21 09:00 (Europe/Stockholm): 3 påminnelse(r)" in earlier.output
    assert "fredag 22 mars 2024" in earlier.output
    assert "[ej i utkorgen än]" in earlier.output
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Reminder)).one() == 0  # nothing written


def test_reminders_bad_input_gets_a_clear_message(engine: Engine, cli: CliRunner) -> None:
    seed_store(engine)
    bad_time = cli.invoke(app, ["reminders", "--at", "26/1 kl 9"])
    assert bad_time.exit_code == 2
    assert "cannot read --at '26/1 kl 9'" in bad_time.output
    assert "Traceback" not in bad_time.output
    bad_org = cli.invoke(app, ["reminders", "--at", "2024-01-26T09:00", "--org", "Jämtland"])
    assert bad_org.exit_code == 2
    assert "no organisation matches --org 'Jämtland'" in bad_org.output


def test_calendar_parses_back_with_stockholm_times(engine: Engine, cli: CliRunner) -> None:
    seeded = seed_store(engine)
    with Session(engine) as session:
        protocol_id = seeded.protocol_id
        session.add(JusteringRound(protocol_id=protocol_id, version_hash="v1", deadline=dt.date(2023, 12, 8)))
        session.commit()
    result = cli.invoke(app, ["calendar", "--org", "Timrå"])
    assert result.exit_code == 0, result.output
    cal = Calendar.from_ical(result.stdout_bytes)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    events = cal.walk("VEVENT")
    meetings = [e for e in events if not str(e["SUMMARY"]).startswith("Sista dag för justering")]
    assert len(meetings) == 6
    first = meetings[0].decoded("DTSTART")
    assert first == dt.datetime(2024, 2, 2, 9, 0, tzinfo=STOCKHOLM)
    assert first.utcoffset() == dt.timedelta(hours=1)
    summer = meetings[2].decoded("DTSTART")  # 31 May, summer time
    assert (summer.hour, summer.utcoffset()) == (9, dt.timedelta(hours=2))
    assert str(meetings[4]["SUMMARY"]).startswith("Planeringsdag")
    assert meetings[4].decoded("DTEND").hour == 15
    assert "protokoll 2023-11-24, § 133" in str(meetings[0]["DESCRIPTION"])
    deadlines = [e for e in events if str(e["SUMMARY"]).startswith("Sista dag för justering")]
    assert len(deadlines) == 1 and deadlines[0].decoded("DTSTART") == dt.date(2023, 12, 8)
    assert b"TZID=Europe/Stockholm" in result.stdout_bytes
    # Calendar apps fetch again hourly; UIDs are stable between fetches and unique to this förbund.
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in result.stdout and "X-PUBLISHED-TTL:PT1H" in result.stdout
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    again = Calendar.from_ical(cli.invoke(app, ["calendar", "--org", "Timrå"]).stdout_bytes)
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == uids
    assert not any(re.fullmatch(r"(meeting|justering)-[\w-]*@boardbot", uid) for uid in uids)


def test_calendar_url_and_address_spellings(engine: Engine, cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    seed_store(engine)
    monkeypatch.setenv("BOARDBOT_PUBLIC_URL", "https://boardbot.example.org/")
    printed = cli.invoke(app, ["calendar", "--org", "Timrå", "--url"])
    assert printed.exit_code == 0, printed.output
    url = printed.stdout.strip()
    assert url.startswith("https://boardbot.example.org/calendar/") and url.endswith(".ics")
    with Session(engine) as session:
        org = session.exec(select(Organisation)).one()
        short = url.rsplit("/", 1)[1].removesuffix(".ics")
        for spelling in (short, org.name, org.name.upper(), "Timrå", "timra", slugify(org.name)):
            assert organisation_by_address(session, spelling) == org, spelling
        assert organisation_by_address(session, "Jämtland") is None


def test_meeting_commands_add_move_cancel_are_audited(engine: Engine, cli: CliRunner) -> None:
    seeded = seed_store(engine, with_plan=False)
    added = cli.invoke(app, ["meeting", "add", "--org", "Timrå", "2030-02-07", "09:00-12:00", "Timrå,", "Köpmangatan",
                             "5"])
    assert added.exit_code == 0, added.output
    assert "Inlagt: styrelsemöte torsdag 7 februari 2030 kl. 09.00–12.00, Timrå, Köpmangatan 5." in added.output
    due = json.loads(cli.invoke(app, ["reminders", "--at", "2030-01-31T09:00", "--json"]).output)["reminders"]
    # Niklas Edén's seat ends 2026-03-31 (seed 003): by 2030 he is not reminded in person.
    assert {r["recipient"] for r in due} == {BOARD_CHANNEL, CHAIR}
    assert "inlagt från kommandoraden 20" in due[0]["text"]
    moved = cli.invoke(app, ["meeting", "move", "--org", "Timrå", "2030-02-07", "2030-02-14", "10:00"])
    assert moved.exit_code == 0, moved.output
    cancelled = cli.invoke(app, ["meeting", "cancel", "--org", "Timrå", "2030-02-14"])
    assert cancelled.exit_code == 0, cancelled.output
    past = cli.invoke(app, ["meeting", "add", "--org", "Timrå", "2020-01-01", "09:00"])
    assert past.exit_code == 2 and "har redan varit" in past.output
    with Session(engine) as session:
        meeting = session.exec(select(Meeting).where(Meeting.organisation_id == seeded.org_id)).one()
        assert (meeting.date, meeting.start_time, meeting.status) == (dt.date(2030, 2, 14), dt.time(10), "cancelled")
        actions = [a.action for a in session.exec(select(AuditLog).order_by(col(AuditLog.id)))]
    assert actions == ["meeting.created", "meeting.moved", "meeting.cancelled"]


def test_chat_command_mote_for_admins_only(engine: Engine) -> None:
    seeded = seed_store(engine, with_plan=False)
    assistant = Assistant(engine, clock=lambda: local(2024, 1, 10, 12, 0))

    def say(text: str, user: str) -> str:
        reply = assistant.handle(Message(text=text, platform="slack", user_id=user, conversation_id="C0BOARD"))
        return reply.text

    assert say("möte 2024-04-05 09:00-12:00 Timrå", "U0SEC").startswith(
        "Inlagt: styrelsemöte fredag 5 april 2024 kl. 09.00–12.00, Timrå.")
    refused = say("möte 2024-04-19 09:00 Timrå", "U0MON")
    assert "Bara administratörer" in refused
    assert say("möte flytta 5 april till 12 april kl. 10 Härnösand", "U0SEC").startswith(
        "Flyttat från 2024-04-05 till styrelsemöte fredag 12 april 2024 kl. 10.00–13.00, Härnösand.")
    assert "Jag förstår inte datumet" in say("möte 2024-02-30 09:00 Timrå", "U0SEC")
    assert say("möte ställ in 2024-04-12", "U0SEC").startswith("Inställt: styrelsemöte fredag 12 april 2024")
    with Session(engine) as session:
        meetings = session.exec(select(Meeting).where(Meeting.organisation_id == seeded.org_id)).all()
        audit = session.exec(select(AuditLog).order_by(col(AuditLog.id))).all()
    assert [(m.date, m.status) for m in meetings] == [(dt.date(2024, 4, 12), "cancelled")]
    assert [a.action for a in audit] == ["meeting.created", "meeting.refused", "meeting.moved", "meeting.cancelled"]
    assert audit[0].actor == "slack:U0SEC (Ulrika Sahlin)"


async def test_calendar_is_served_over_http(engine: Engine) -> None:
    seed_store(engine)
    services = Services(engine=engine, settings=get_settings(), clock=lambda: local(2024, 1, 10, 12, 0))
    web_app = web.Application()
    mount(web_app, services)
    async with TestClient(TestServer(web_app)) as client:
        response = await client.get("/calendar/samordningsforbundet-harnosand-timra.ics")
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/calendar")
        cal = Calendar.from_ical(await response.read())
        assert len(cal.walk("VEVENT")) == 6
        by_id = await client.get("/calendar/1.ics")
        assert by_id.status == 200
        # The same name forms as --org, and the short name `calendar --url` prints.
        for spelling in ("Timrå", "timra", "harnosand-timra", "H%C3%A4rn%C3%B6sand"):
            assert (await client.get(f"/calendar/{spelling}.ics")).status == 200, spelling
        missing = await client.get("/calendar/jamtland.ics")
        assert missing.status == 404
        assert "Okänt förbund" in await missing.text()
