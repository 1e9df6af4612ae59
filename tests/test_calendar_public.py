"""The public calendar feed, through the real aiohttp app on SQLite and PostgreSQL: it shows
meeting facts and never who entered or changed a meeting; a bad key is a 404, never a 500."""

from __future__ import annotations

import datetime as dt

from aiohttp.test_utils import TestClient, TestServer
from icalendar import Calendar
from sqlalchemy.engine import Engine

from bot.services import Services
from bot.web import create_app
from handlers.messages import Message
from storage.settings import Settings
from tests.reminder_helpers import STOCKHOLM, local, seed_store
from tests.test_teams_security import store_contents

FEED = "/calendar/harnosand-timra.ics"


def quiet_settings() -> Settings:
    """No Slack, no Teams: the calendar is what is served."""
    return Settings(_env_file=None, **{"SLACK_BOT_TOKEN": None, "SLACK_APP_TOKEN": None, "MicrosoftAppId": None,
                                       "MicrosoftAppPassword": None, "MicrosoftAppTenantId": None,
                                       "BOARDBOT_TEAMS_EMULATOR": False})


async def test_the_feed_shows_meeting_facts_and_not_who_entered_or_changed_them(engine: Engine) -> None:
    seed_store(engine, with_plan=False)
    services = Services(engine=engine, settings=quiet_settings(), clock=lambda: local(2024, 1, 10, 12, 0))
    for text in ("möte 2024-04-05 09:00-12:00 Timrå", "möte flytta 5 april till 12 april kl. 10 Härnösand"):
        reply = services.assistant.handle(Message(text=text, platform="slack", user_id="U0SEC",
                                                  conversation_id="C0BOARD"))
        assert reply.text.startswith(("Inlagt", "Flyttat")), reply.text
    async with TestClient(TestServer(create_app(services), host="127.0.0.1", port=0)) as client:
        response = await client.get(FEED)
        assert response.status == 200
        body = (await response.read()).decode()
    [event] = Calendar.from_ical(body).walk("VEVENT")
    assert event.decoded("dtstart") == dt.datetime(2024, 4, 12, 10, 0, tzinfo=STOCKHOLM)
    assert str(event.get("location")) == "Härnösand"
    assert str(event.get("summary")).startswith("Styrelsemöte")
    unfolded = body.replace("\r\n ", "")
    for revealing in ("Ulrika", "Sahlin", "U0SEC", "slack:", "chatten", "inlagt", "flyttat"):
        assert revealing not in unfolded, revealing


async def test_bad_calendar_keys_are_404_and_touch_nothing(engine: Engine) -> None:
    seed_store(engine)
    services = Services(engine=engine, settings=quiet_settings(), clock=lambda: local(2024, 1, 10, 12, 0))
    before = store_contents(engine)
    keys = ["99999999999999999999999", "9223372036854775808", "2147483648", "-1", "0", "²", "١٢", "%00",
            "a%00b", "..%2F..%2Fetc%2Fpasswd", "%2e%2e", "%25", "%ff%fe", "'%20OR%201=1--", "x" * 2000]
    async with TestClient(TestServer(create_app(services), host="127.0.0.1", port=0)) as client:
        for key in keys:
            response = await client.get(f"/calendar/{key}.ics")
            assert response.status == 404, (key, response.status, await response.text())
        assert (await client.get(FEED)).status == 200  # and the real feed still answers
    assert store_contents(engine) == before
