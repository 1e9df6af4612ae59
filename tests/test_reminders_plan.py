"""The plan: who is reminded of what and when — justering, anslag, recipients, settings,
outages — and that planning itself changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from scheduler.console_notifier import ConsoleNotifier
from scheduler.outbox import Dispatcher
from scheduler.plan import due_at, plan
from storage.legal_dates import anslag_post_by, earliest_take_down
from storage.models import (
    AuditLog,
    Document,
    JusteringConfirmation,
    JusteringRound,
    JusteringSigner,
    Organisation,
    Person,
    Protocol,
    Reminder,
)
from tests.reminder_helpers import (
    BOARD_CHANNEL,
    CHAIR,
    NIKLAS,
    SECRETARY,
    STOCKHOLM,
    FakePlatform,
    PlatformNotifier,
    Seeded,
    SimClock,
    local,
    seed_store,
)


def _protocol(engine: Engine, seeded: Seeded, meeting_date: dt.date, **fields: object) -> int:
    with Session(engine) as session:
        text = f"Protokoll {meeting_date}"
        doc = Document(organisation_id=seeded.org_id, kind="protokoll", file_name=f"{meeting_date}.pdf",
                       content_hash=hashlib.sha256(text.encode()).hexdigest(), text=text)
        session.add(doc)
        session.flush()
        assert doc.id is not None
        protocol = Protocol(document_id=doc.id, organisation_id=seeded.org_id, meeting_date=meeting_date,
                            version_hash="v2", **fields)  # type: ignore[arg-type]
        session.add(protocol)
        session.commit()
        assert protocol.id is not None
        return protocol.id


async def _run(dispatcher: Dispatcher, clock: SimClock, until: dt.datetime) -> None:
    while clock.now < until:
        await dispatcher.run_once()
        clock.advance(dt.timedelta(hours=3))


def _log(platform: FakePlatform) -> list[tuple[str, str]]:
    return [(p.at.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M"), p.recipient) for p in platform.posts]


async def test_justering_signers_then_the_secretary_hears_who_is_late(engine: Engine) -> None:
    seeded = seed_store(engine, personal=False, with_plan=False)
    protocol_id = _protocol(engine, seeded, dt.date(2024, 2, 2))
    with Session(engine) as session:
        rnd = JusteringRound(protocol_id=protocol_id, version_hash="v2", deadline=dt.date(2024, 2, 16),
                             started_at=local(2024, 2, 5, 14, 0), platform="slack", channel_id="C0BOARD")
        session.add(rnd)
        session.flush()
        assert rnd.id is not None
        round_id = rnd.id
        session.add(JusteringSigner(round_id=round_id, person_id=seeded.chair_id, role="ordförande"))
        session.add(JusteringSigner(round_id=round_id, person_id=seeded.niklas_id, role="justerare"))
        # Niklas confirmed an earlier version of the text: that does not count.
        session.add(JusteringConfirmation(round_id=round_id, person_id=seeded.niklas_id, version_hash="v1",
                                          platform="teams"))
        session.commit()
    clock = SimClock(local(2024, 2, 12, 0, 0))
    platform = FakePlatform(clock)
    dispatcher = Dispatcher(engine, PlatformNotifier(platform), clock=clock)
    await _run(dispatcher, clock, local(2024, 2, 15, 10, 0))
    with Session(engine) as session:
        session.add(JusteringConfirmation(round_id=round_id, person_id=seeded.chair_id, version_hash="v2",
                                          platform="slack"))
        session.commit()
    await _run(dispatcher, clock, local(2024, 2, 20, 0, 0))
    assert _log(platform) == [
        ("2024-02-14 09:00", CHAIR), ("2024-02-14 09:00", NIKLAS),
        ("2024-02-16 09:00", NIKLAS),
        ("2024-02-17 09:00", SECRETARY),
    ]
    assert "Sista dag är fredag 16 februari 2024" in platform.posts[0].text
    assert "Har inte justerat: Niklas Edén (justerare)." in platform.posts[-1].text
    assert "Monica" not in platform.posts[-1].text


async def test_anslag_post_then_take_down_reminders_to_the_secretary(engine: Engine) -> None:
    seeded = seed_store(engine, personal=False, with_plan=False)
    protocol_id = _protocol(engine, seeded, dt.date(2024, 2, 2))
    clock = SimClock(local(2024, 2, 16, 0, 0))
    platform = FakePlatform(clock)
    dispatcher = Dispatcher(engine, PlatformNotifier(platform), clock=clock)
    await _run(dispatcher, clock, local(2024, 2, 16, 15, 0))
    assert platform.posts == []
    with Session(engine) as session:  # verified at 15:00 on Friday 16 February
        protocol = session.get(Protocol, protocol_id)
        assert protocol is not None
        protocol.justering_date, protocol.status = dt.date(2024, 2, 16), "justerat"
        session.add(protocol)
        session.commit()
    post_by = anslag_post_by(dt.date(2024, 2, 16))
    await _run(dispatcher, clock, local(post_by.year, post_by.month, post_by.day, 10, 0))
    assert _log(platform) == [("2024-02-16 15:00", SECRETARY), (f"{post_by} 09:00", SECRETARY)]
    assert f"senast {['måndag', 'tisdag', 'onsdag', 'torsdag', 'fredag', 'lördag', 'söndag'][post_by.weekday()]}" \
        in platform.posts[0].text
    with Session(engine) as session:
        protocol = session.get(Protocol, protocol_id)
        assert protocol is not None
        protocol.anslag_posted = post_by
        session.add(protocol)
        session.commit()
    take_down = earliest_take_down(post_by)
    await _run(dispatcher, clock, local(take_down.year, take_down.month, take_down.day, 12, 0))
    assert _log(platform)[2:] == [(f"{take_down} 09:00", SECRETARY)]
    assert "får tas ned från och med" in platform.posts[2].text
    assert "13 kap. 5 §" in platform.posts[2].text


def test_without_a_linked_channel_meetings_go_to_the_console(engine: Engine) -> None:
    seed_store(engine, personal=False, channel=False)
    with Session(engine) as session:
        due = due_at(plan(session, local(2024, 1, 26, 9, 0)), local(2024, 1, 26, 9, 0))
    assert [(p.kind, p.recipient) for p in due] == [("meeting", "console")]


async def test_console_notifier_prints_and_counts() -> None:
    out = io.StringIO()
    notifier = ConsoleNotifier(out)
    assert await notifier.send("console", "Påminnelse: möte") == "console-1"
    assert await notifier.send("console", "Nästa") == "console-2"
    assert "Påminnelse: möte" in out.getvalue()


def test_personal_reminders_follow_roles_and_reachable_addresses(engine: Engine) -> None:
    seeded = seed_store(engine, personal=True)
    with Session(engine) as session:
        # On the board, on Teams, but never wrote to the bot: no personal chat to send to.
        session.add(Person(organisation_id=seeded.org_id, name="Lotta Qvarnlöf",
                           teams_aad_id="11111111-2222-4333-8444-555555555555"))
        session.commit()
        recipients = {p.recipient for p in due_at(plan(session, local(2024, 1, 26, 9, 0)), local(2024, 1, 26, 9, 0))}
    assert recipients == {BOARD_CHANNEL, CHAIR, NIKLAS}


def test_reminder_days_and_time_are_per_organisation(engine: Engine) -> None:
    seeded = seed_store(engine, personal=False)
    with Session(engine) as session:
        org = session.get(Organisation, seeded.org_id)
        assert org is not None
        org.meeting_reminder_days, org.reminder_time = "3", dt.time(8, 30)
        session.add(org)
        session.commit()
        planned = [p for p in plan(session, local(2024, 1, 1, 0, 0)) if p.subject.startswith("meeting:")]
    local_times = [p.due_at.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M") for p in planned]
    assert local_times[:2] == ["2024-01-30 08:30", "2024-03-19 08:30"]
    assert len(local_times) == 6


async def test_after_an_outage_the_latest_useful_reminder_goes_out_once(engine: Engine) -> None:
    seed_store(engine, personal=False)
    clock = SimClock(local(2024, 2, 1, 10, 0))  # down since before 26 January
    platform = FakePlatform(clock)
    dispatcher = Dispatcher(engine, PlatformNotifier(platform), clock=clock)
    await _run(dispatcher, clock, local(2024, 2, 2, 12, 0))
    # The 7-day reminder expired when the 1-day one fell due; only that one is sent.
    assert _log(platform) == [("2024-02-01 10:00", BOARD_CHANNEL)]


def test_planning_is_pure(engine: Engine) -> None:
    seed_store(engine)
    with Session(engine) as session:
        before = (session.exec(select(func.count()).select_from(Reminder)).one(),
                  session.exec(select(func.count()).select_from(AuditLog)).one())
        first = plan(session, local(2024, 3, 1, 12, 0))
        second = plan(session, local(2024, 3, 1, 12, 0))
        after = (session.exec(select(func.count()).select_from(Reminder)).one(),
                 session.exec(select(func.count()).select_from(AuditLog)).one())
    assert first == second
    assert before == after == (0, 0)
    # Reminders due before `now` stay in the plan until they expire; past meetings leave it.
    assert min(p.due_at for p in first) == local(2024, 3, 15, 9, 0)
