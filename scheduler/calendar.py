"""One organisation's meetings and justering deadlines as iCalendar (RFC 5545).

Times are written with TZID=Europe/Stockholm and the calendar carries that VTIMEZONE (with
yearly rules, so it stays right after 2037), so a subscriber's calendar shows 09:00 whether
or not daylight saving is in force. UIDs are stable, so a moved meeting moves in the
subscriber's calendar instead of appearing twice (a cancelled one stays with STATUS:CANCELLED so
calendars remove it), and unique across förbund: a UUID derived from the förbund's id and
name and the row, so two förbund never share one (renaming a förbund gives its events new UIDs).
"""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard
from sqlmodel import Session, col, select

from scheduler import texts
from scheduler.plan import Sources
from storage.legal_dates import justering_deadline
from storage.models import JusteringRound, Meeting, Organisation, Protocol
from storage.organisations import short_name
from storage.settings import Settings, public_base_url

STOCKHOLM = ZoneInfo("Europe/Stockholm")
PRODID = "-//boardbot//sammanträdesplan//SV"
UID_DOMAIN = "boardbot"
# How often a subscribed calendar app should fetch the feed again (RFC 7986 and Outlook's TTL).
REFRESH_INTERVAL = dt.timedelta(hours=1)


def event_uid(organisation: Organisation, local_id: str, domain: str = UID_DOMAIN) -> str:
    unique = uuid.uuid5(uuid.NAMESPACE_URL, f"boardbot:{organisation.id}:{organisation.name}:{local_id}")
    return f"{unique}@{domain}"


def _stockholm_vtimezone() -> Timezone:
    tz = Timezone()
    tz.add("tzid", "Europe/Stockholm")
    tz.add("x-lic-location", "Europe/Stockholm")
    standard = TimezoneStandard()
    standard.add("tzname", "CET")
    standard.add("dtstart", dt.datetime(1970, 10, 25, 3, 0))
    standard.add("tzoffsetfrom", dt.timedelta(hours=2))
    standard.add("tzoffsetto", dt.timedelta(hours=1))
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    daylight = TimezoneDaylight()
    daylight.add("tzname", "CEST")
    daylight.add("dtstart", dt.datetime(1970, 3, 29, 2, 0))
    daylight.add("tzoffsetfrom", dt.timedelta(hours=1))
    daylight.add("tzoffsetto", dt.timedelta(hours=2))
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    tz.add_component(standard)
    tz.add_component(daylight)
    return tz


def _meeting_event(meeting: Meeting, org: Organisation, source: str, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", event_uid(org, f"meeting-{meeting.id}"))
    event.add("dtstamp", stamp)
    label = texts.meeting_label(meeting.kind)
    event.add("summary", f"{label.capitalize()} – {org.name}")
    if meeting.start_time is not None:
        start = dt.datetime.combine(meeting.date, meeting.start_time, tzinfo=STOCKHOLM)
        event.add("dtstart", start)
        if meeting.end_time is not None and meeting.end_time > meeting.start_time:
            event.add("dtend", dt.datetime.combine(meeting.date, meeting.end_time, tzinfo=STOCKHOLM))
    else:
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + dt.timedelta(days=1))
    if meeting.place:
        event.add("location", meeting.place)
    description = []
    if meeting.agenda:
        description.append("Dagordning:\n" + meeting.agenda.strip())
    if source:
        description.append(f"Källa: {source}")
    if description:
        event.add("description", "\n\n".join(description))
    event.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
    return event


def _deadline_event(org: Organisation, uid: str, day: dt.date, summary: str, description: str,
                    stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", event_uid(org, uid))
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    return event


def organisation_calendar(session: Session, organisation: Organisation, now: dt.datetime) -> Calendar:
    assert organisation.id is not None
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{organisation.name} – sammanträden")
    cal.add("x-wr-timezone", "Europe/Stockholm")
    cal.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")  # the same hour, in the form Outlook reads
    cal.add_component(_stockholm_vtimezone())
    stamp = now.astimezone(dt.UTC).replace(microsecond=0)
    # Every meeting, past ones too: a board has a handful a year, and a subscriber's calendar
    # keeps them as a record.
    meetings = list(session.exec(
        select(Meeting).where(Meeting.organisation_id == organisation.id)
        .order_by(col(Meeting.date), col(Meeting.id))
    ).all())
    sources = Sources(session, [m.document_id for m in meetings], [m.paragraph_id for m in meetings],
                      [m.part_id for m in meetings])
    for meeting in meetings:
        # The feed is public: it cites the board's documents, never who entered or changed a
        # meeting in the chat (that stays in the audit log and the members' reminders).
        source = sources.label(organisation.name, meeting.document_id, meeting.paragraph_id, meeting.part_id) or ""
        cal.add_component(_meeting_event(meeting, organisation, source, stamp))
    rounds = session.exec(
        select(JusteringRound, Protocol).join(Protocol, col(Protocol.id) == col(JusteringRound.protocol_id))
        .where(Protocol.organisation_id == organisation.id, col(JusteringRound.status).in_(("open", "paused")))
        .order_by(col(JusteringRound.id))
    ).all()
    with_round = set()
    for rnd, protocol in rounds:
        with_round.add(protocol.id)
        cal.add_component(_deadline_event(
            organisation, f"justering-{rnd.id}", rnd.deadline,
            f"Sista dag för justering: protokoll {protocol.meeting_date.isoformat()}",
            f"Justeringen av protokollet från {texts.day_month(protocol.meeting_date)} ska vara klar senast "
            f"{texts.long_date(rnd.deadline)}.\nKälla: {organisation.name}, protokoll "
            f"{protocol.meeting_date.isoformat()}, justeringsrunda", stamp))
    unverified = session.exec(
        select(Protocol).where(Protocol.organisation_id == organisation.id, col(Protocol.justering_date).is_(None),
                               Protocol.meeting_date >= now.date() - dt.timedelta(days=60))
        .order_by(col(Protocol.meeting_date))
    ).all()
    for protocol in unverified:
        if protocol.id in with_round:
            continue
        deadline = justering_deadline(protocol.meeting_date, protocol.justering_deadline)
        # Without a round, only what is still ahead: an old protocol ingested without its
        # justering date was most likely verified long ago.
        if deadline < now.astimezone(STOCKHOLM).date() or protocol.status == "justerat":
            continue
        named = protocol.justering_deadline is not None and protocol.justering_deadline == deadline
        why = ("enligt protokollet" if named else "14 dagar efter sammanträdet (kommunallagen 5 kap. 69 §)")
        cal.add_component(_deadline_event(
            organisation, f"justering-protocol-{protocol.id}", deadline,
            f"Sista dag för justering: protokoll {protocol.meeting_date.isoformat()}",
            f"Protokollet från {texts.day_month(protocol.meeting_date)} ska justeras senast "
            f"{texts.long_date(deadline)}, {why}.\nKälla: {organisation.name}, protokoll "
            f"{protocol.meeting_date.isoformat()}", stamp))
    return cal


def calendar_url(settings: Settings, organisation: Organisation) -> str:
    """Where a calendar app subscribes to the förbund's feed (served by `boardbot serve`)."""
    return f"{public_base_url(settings)}/calendar/{short_name(organisation.name)}.ics"


def organisation_ics(session: Session, organisation: Organisation, now: dt.datetime) -> bytes:
    return organisation_calendar(session, organisation, now).to_ical()
