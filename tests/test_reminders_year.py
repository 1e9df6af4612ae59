"""A year of seed 003's 2024 plan under a simulated clock: every reminder exactly once, at
09:00 Stockholm time, through both daylight-saving changes."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy.engine import Engine
from sqlmodel import Session

from scheduler.outbox import Dispatcher
from storage.models import Meeting
from tests.reminder_helpers import (
    BOARD_CHANNEL,
    CHAIR,
    NIKLAS,
    SECRETARY,
    STOCKHOLM,
    FakePlatform,
    PlatformNotifier,
    SimClock,
    add_grants,
    seed_store,
)

# Local dates of the meeting reminders, written out from the plan (7 and 1 days before).
MEETING_REMINDER_DAYS = [
    "2024-01-26", "2024-02-01",  # 2 Feb
    "2024-03-15", "2024-03-21",  # 22 Mar
    "2024-03-25", "2024-03-31",  # 1 Apr (added below): the day summer time starts
    "2024-05-24", "2024-05-30",  # 31 May
    "2024-09-06", "2024-09-12",  # 13 Sep
    "2024-10-04", "2024-10-10",  # 11 Oct planeringsdag
    "2024-10-21", "2024-10-27",  # 28 Oct (added below): the day summer time ends
    "2024-11-22", "2024-11-28",  # 29 Nov
]


async def test_a_year_of_reminders_each_once_at_nine_local(engine: Engine) -> None:
    seeded = seed_store(engine)
    add_grants(engine, seeded)
    with Session(engine) as session:
        # Two meetings added in the chat so reminders fall on both DST change days.
        session.add(Meeting(organisation_id=seeded.org_id, date=dt.date(2024, 4, 1), start_time=dt.time(13),
                            place="Timrå"))
        session.add(Meeting(organisation_id=seeded.org_id, date=dt.date(2024, 10, 28), start_time=dt.time(13),
                            place="Härnösand"))
        session.commit()

    clock = SimClock(dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    platform = FakePlatform(clock)
    dispatcher = Dispatcher(engine, PlatformNotifier(platform), clock=clock)
    # The full run (recover, plan, sync, dispatch) once a day; the cheap dispatch-only pass
    # every hour from 06 to 09 UTC, which holds 09:00 Stockholm in winter (08 UTC) and summer
    # (07 UTC), and at noon. A reminder planned for a wrong hour would go out at 12 or 00 UTC
    # and fail the 09:00 check below.
    day = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    while day < dt.datetime(2025, 1, 2, tzinfo=dt.UTC):
        for hour in (0, 6, 7, 8, 9, 12):
            clock.set(day + dt.timedelta(hours=hour))
            if hour == 0:
                await dispatcher.run_once()
            else:
                await dispatcher.dispatch_due()
        day += dt.timedelta(days=1)

    sent = Counter((p.recipient, p.at.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")) for p in platform.posts)
    expected: Counter[tuple[str, str]] = Counter()
    for day in MEETING_REMINDER_DAYS:
        for recipient in (BOARD_CHANNEL, CHAIR, NIKLAS):
            expected[(recipient, f"{day} 09:00")] += 1
    # Grants: Jobbcenter reports at the planeringsdag (11 Oct, two weeks ahead); the
    # Arbetsmarknadstorget period ends 31 Dec. The refused grant gets nothing.
    expected[(SECRETARY, "2024-09-27 09:00")] += 1
    expected[(SECRETARY, "2024-12-31 09:00")] += 1
    assert sent == expected
    assert all(count == 1 for count in sent.values())

    # The same wall-clock time, different UTC offsets on either side of each change.
    utc_hours = {p.at.astimezone(STOCKHOLM).date().isoformat(): p.at.hour for p in platform.posts
                 if p.recipient == BOARD_CHANNEL}
    assert utc_hours["2024-03-21"] == 8  # CET, UTC+1
    assert utc_hours["2024-03-31"] == 7  # CEST from 02:00 that morning
    assert utc_hours["2024-10-27"] == 8  # CET again from 03:00 that morning
    assert utc_hours["2024-10-21"] == 7

    texts = [p.text for p in platform.posts if p.recipient == BOARD_CHANNEL]
    assert texts[0].startswith("Påminnelse från Samordningsförbundet Härnösand – Timrå: styrelsemöte fredag "
                               "2 februari 2024 kl. 09.00–12.00, Timrå.")
    assert "Källa: Samordningsförbundet Härnösand – Timrå, protokoll 2023-11-24, § 133" in texts[0]
    planning = next(p.text for p in platform.posts if "Jobbcenter" in p.text)
    assert "planeringsdag fredag 11 oktober 2024 kl. 09.00–15.00, Timrå" in planning
