"""What the outbox should hold: a pure function of the store and a clock.

`plan(session, now)` reads meetings, justering rounds, protocols and grants and returns every
reminder that should exist and is still worth sending at `now`. It never writes and never
looks at the wall clock, so the same store and the same `now` always give the same plan; the
outbox (scheduler/outbox.py) turns the plan into rows and delivers them.

Every rule works in Europe/Stockholm: "7 days before at 09:00" is 09:00 local time on that
date, whatever the UTC offset is that day. A reminder carries `expires_at`, the moment after
which it is no longer worth sending (the next reminder of the same series is due, or the
meeting has begun); after a long outage the dispatcher therefore sends the latest useful
reminder, not a burst of stale ones.

A meeting's subject holds its id, date, time and place ("meeting:12:2024-02-02T09:00@Timrå"),
so moving it (in time or place) makes new reminders while pending ones for the old time are
cancelled. Recipients who already had a reminder for the old time get one "Ändrat möte"
notice; those who had one for a cancelled meeting get one "Inställt" notice.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import typing
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from scheduler import texts
from storage import protocol_records
from storage.legal_dates import anslag_post_by, appeal_period_end, earliest_take_down
from storage.models import (
    AuditLog,
    BoardRole,
    ConversationLink,
    Document,
    DocumentPart,
    Grant,
    JusteringConfirmation,
    JusteringRound,
    JusteringSigner,
    Meeting,
    Organisation,
    Paragraph,
    Person,
    Protocol,
    ProtocolOfficer,
    Reminder,
)
from storage.swedish.dates import deadlines

log = logging.getLogger(__name__)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
UTC = dt.UTC

KIND_MEETING = "meeting"
KIND_MEETING_MOVED = "meeting_moved"
KIND_MEETING_CANCELLED = "meeting_cancelled"
KIND_JUSTERING = "justering"
KIND_JUSTERING_LATE = "justering_late"
KIND_ANSLAG_POST = "anslag_post"
KIND_ANSLAG_REMOVE = "anslag_remove"
KIND_GRANT_REPORT = "grant_report"
KIND_DIGEST = "digest"  # planned by scheduler/digest.py
# The kinds this module plans: the outbox cancels pending rows of these kinds that the plan
# no longer holds, and leaves every other kind (failure reports, digests) alone.
PLANNED_KINDS = frozenset({
    KIND_MEETING, KIND_MEETING_MOVED, KIND_MEETING_CANCELLED, KIND_JUSTERING, KIND_JUSTERING_LATE,
    KIND_ANSLAG_POST, KIND_ANSLAG_REMOVE, KIND_GRANT_REPORT, KIND_DIGEST,
})

CONSOLE = "console"
DEFAULT_REMINDER_DAYS = (7, 1)
DEFAULT_REMINDER_TIME = dt.time(9, 0)
# Justering: two days before the deadline and on the day; the secretary the day after.
JUSTERING_DAYS_BEFORE = (2, 0)
LATE_REPORT_VALID = dt.timedelta(days=14)
ANSLAG_POST_GRACE = dt.timedelta(days=7)
ANSLAG_REMOVE_VALID = dt.timedelta(days=14)
# A report-back needs asking for in time: the secretary hears two weeks before it is due.
GRANT_REPORT_LEAD_DAYS = 14
GRANT_FINAL_VALID = dt.timedelta(days=60)
GRANTED_STATUSES = frozenset({"granted", "granted_on_condition"})
SECRETARY_ROLES = ("sekreterare", "förbundschef")
# How far back sent meeting reminders are read to notice a move or a cancellation.
HISTORY = dt.timedelta(days=120)
_CHUNK = 500

T = TypeVar("T")


@dataclass(frozen=True)
class PlannedReminder:
    organisation_id: int
    kind: str
    subject: str
    recipient: str
    due_at: dt.datetime  # aware, UTC
    expires_at: dt.datetime  # aware, UTC: not worth sending from this moment on
    text: str

    @property
    def key(self) -> tuple[str, str, str, dt.datetime]:
        return (self.kind, self.subject, self.recipient, self.due_at)

    def as_dict(self) -> dict[str, Any]:
        return {
            "organisation_id": self.organisation_id,
            "kind": self.kind,
            "subject": self.subject,
            "recipient": self.recipient,
            "due_at": self.due_at.isoformat(),
            "due_local": self.due_at.astimezone(STOCKHOLM).isoformat(),
            "expires_at": self.expires_at.isoformat(),
            "text": self.text,
        }


def local_moment(day: dt.date, time: dt.time) -> dt.datetime:
    """That wall-clock time in Stockholm on that day, as an aware UTC datetime."""
    return dt.datetime.combine(day, time, tzinfo=STOCKHOLM).astimezone(UTC)


def local_today(now: dt.datetime) -> dt.date:
    return now.astimezone(STOCKHOLM).date()


@lru_cache(maxsize=256)
def parse_reminder_days(value: str | None) -> tuple[int, ...]:
    """"7,1" -> (7, 1), largest first; the default when the setting cannot be read."""
    days: set[int] = set()
    for part in (value or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or int(part) > 365:
            log.warning("ignoring meeting_reminder_days %r: use days before, e.g. \"7,1\"", value)
            return DEFAULT_REMINDER_DAYS
        days.add(int(part))
    return tuple(sorted(days, reverse=True)) if days else DEFAULT_REMINDER_DAYS


class MeetingLike(typing.Protocol):
    """A Meeting row, or the light tuple plan() reads instead (10 000 ORM objects are slow)."""

    @property
    def id(self) -> int | None: ...
    @property
    def organisation_id(self) -> int: ...
    @property
    def date(self) -> dt.date: ...
    @property
    def start_time(self) -> dt.time | None: ...
    @property
    def end_time(self) -> dt.time | None: ...
    @property
    def place(self) -> str | None: ...
    @property
    def kind(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def document_id(self) -> int | None: ...
    @property
    def paragraph_id(self) -> int | None: ...
    @property
    def agenda(self) -> str | None: ...
    @property
    def part_id(self) -> int | None: ...


class MeetingRow(NamedTuple):
    id: int | None
    organisation_id: int
    date: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    place: str | None
    kind: str
    status: str
    document_id: int | None
    paragraph_id: int | None
    agenda: str | None
    part_id: int | None


_MEETING_COLUMNS = [getattr(Meeting, name) for name in MeetingRow._fields]


def meeting_subject(meeting: MeetingLike) -> str:
    subject = f"meeting:{meeting.id}:{meeting.date.isoformat()}"
    if meeting.start_time is not None:
        subject += f"T{meeting.start_time.strftime('%H:%M')}"
    if meeting.place:
        subject += f"@{meeting.place.strip()}"
    return subject


def meeting_id_of(subject: str) -> int | None:
    parts = subject.split(":")
    if len(parts) >= 2 and parts[0] == "meeting" and parts[1].isdigit():
        return int(parts[1])
    return None


def meeting_start(meeting: MeetingLike) -> dt.datetime:
    """When the meeting begins; with no time known, the end of its day (a morning reminder
    on the day itself still helps)."""
    if meeting.start_time is not None:
        return local_moment(meeting.date, meeting.start_time)
    return local_moment(meeting.date + dt.timedelta(days=1), dt.time(0, 0))


def is_planning_day(meeting: MeetingLike) -> bool:
    return "planering" in (meeting.kind or "").lower()


def _chunks(items: Sequence[T]) -> Iterable[Sequence[T]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


def _is_personal_link(link: ConversationLink) -> bool:
    if link.platform == "slack":
        # D… is a direct-message channel: a person's, not the board's.
        return link.conversation_id.startswith("D")
    if link.platform == "teams" and link.reference:
        try:
            reference = json.loads(link.reference)
        except ValueError:
            return False
        conversation = reference.get("conversation") or {}
        kind = conversation.get("conversationType") or conversation.get("conversation_type")
        return kind == "personal"
    return False


def _teams_personal_owner(link: ConversationLink) -> str | None:
    """The AAD object id of the person in a personal Teams chat with the bot."""
    if link.platform != "teams" or not link.reference:
        return None
    try:
        reference = json.loads(link.reference)
    except ValueError:
        return None
    user = reference.get("user") or {}
    owner = user.get("aadObjectId") or user.get("aad_object_id")
    return str(owner) if owner else None


class Directory:
    """Who and where: organisations, their channels, people and roles, loaded once per plan."""

    def __init__(self, session: Session, today: dt.date, organisation_id: int | None = None) -> None:
        self.session = session
        self.today = today
        org_query = select(Organisation)
        if organisation_id is not None:
            org_query = org_query.where(Organisation.id == organisation_id)
        self.orgs: dict[int, Organisation] = {o.id: o for o in session.exec(org_query) if o.id is not None}
        ids = list(self.orgs)
        self.channels: dict[int, list[str]] = defaultdict(list)
        self.teams_personal: dict[str, str] = {}
        links = session.exec(select(ConversationLink).order_by(col(ConversationLink.id))).all()
        for link in links:
            if _is_personal_link(link):
                owner = _teams_personal_owner(link)
                if owner:
                    self.teams_personal[owner] = link.conversation_id
                continue
            if link.organisation_id not in self.orgs:
                continue
            if link.platform == "teams" and not link.reference:
                # The app was removed there: nothing can be sent until it is installed again.
                continue
            self.channels[link.organisation_id].append(f"{link.platform}:{link.conversation_id}")
        self.persons: dict[int, Person] = {}
        self.persons_by_org: dict[int, list[Person]] = defaultdict(list)
        for person in session.exec(select(Person).where(col(Person.organisation_id).in_(ids)).order_by(
                col(Person.id))):
            assert person.id is not None
            self.persons[person.id] = person
            self.persons_by_org[person.organisation_id].append(person)
        self.roles_by_org: dict[int, list[BoardRole]] = defaultdict(list)
        for role in session.exec(select(BoardRole).where(col(BoardRole.organisation_id).in_(ids))):
            self.roles_by_org[role.organisation_id].append(role)
        self._secretary: dict[int, Person | None] = {}

    def personal_address(self, person: Person) -> str | None:
        if person.slack_user_id:
            return f"slack:{person.slack_user_id}"
        if person.teams_aad_id and person.teams_aad_id in self.teams_personal:
            return f"teams:{self.teams_personal[person.teams_aad_id]}"
        return None

    def org_targets(self, organisation_id: int) -> list[str]:
        """The board's linked channels; the console when it has none."""
        return list(self.channels.get(organisation_id) or [CONSOLE])

    def members(self, organisation_id: int, day: dt.date) -> list[Person]:
        """People with a board role on that day; everyone known when no roles are stored."""
        roles = self.roles_by_org.get(organisation_id)
        if not roles:
            return list(self.persons_by_org.get(organisation_id, []))
        ids = {r.person_id for r in roles
               if (r.valid_from is None or r.valid_from <= day) and (r.valid_to is None or r.valid_to >= day)}
        return [p for p in self.persons_by_org.get(organisation_id, []) if p.id in ids]

    def secretary(self, organisation_id: int) -> Person | None:
        if organisation_id not in self._secretary:
            self._secretary[organisation_id] = self._find_secretary(organisation_id)
        return self._secretary[organisation_id]

    def _find_secretary(self, organisation_id: int) -> Person | None:
        people = self.persons_by_org.get(organisation_id, [])
        for wanted in SECRETARY_ROLES:
            for role in self.roles_by_org.get(organisation_id, []):
                valid = ((role.valid_from is None or role.valid_from <= self.today)
                         and (role.valid_to is None or role.valid_to >= self.today))
                if valid and role.role.strip().lower() == wanted and role.person_id in self.persons:
                    return self.persons[role.person_id]
        admins = [p for p in people if p.is_admin]
        if admins:
            return admins[0]
        officer = self.session.exec(
            select(ProtocolOfficer)
            .join(Protocol, col(Protocol.id) == col(ProtocolOfficer.protocol_id))
            .where(Protocol.organisation_id == organisation_id, col(ProtocolOfficer.role).in_(SECRETARY_ROLES))
            .order_by(col(Protocol.meeting_date).desc())
        ).first()
        if officer is not None:
            return self.persons.get(officer.person_id)
        return None

    def secretary_recipient(self, organisation_id: int) -> str:
        """The secretary in person; else the board's first channel; else the console."""
        person = self.secretary(organisation_id)
        if person is not None:
            address = self.personal_address(person)
            if address:
                return address
        return self.org_targets(organisation_id)[0]


class Sources:
    """Labels of the documents and paragraphs facts come from ("…, protokoll 2023-11-24, § 133")."""

    def __init__(self, session: Session, document_ids: Iterable[int | None],
                 paragraph_ids: Iterable[int | None], part_ids: Iterable[int | None] = ()) -> None:
        docs = sorted({d for d in document_ids if d is not None})
        # A part of a file that holds several documents (a kallelse sent with a protocol) is
        # cited by its own title; a file's only part, or its protocol, as the file.
        self.parts: dict[int, DocumentPart] = {}
        wanted = sorted({p for p in part_ids if p is not None})
        for chunk in _chunks(wanted):
            for part in session.exec(select(DocumentPart).where(col(DocumentPart.id).in_(chunk))):
                assert part.id is not None
                if part.kind != "protokoll" and len(session.exec(select(DocumentPart.id).where(
                        DocumentPart.document_id == part.document_id)).all()) > 1:
                    self.parts[part.id] = part
        paras = sorted({p for p in paragraph_ids if p is not None})
        self.documents: dict[int, str] = {}
        protocol_dates: dict[int, dt.date] = {}
        for chunk in _chunks(docs):
            for protocol in session.exec(select(Protocol).where(col(Protocol.document_id).in_(chunk))):
                protocol_dates[protocol.document_id] = protocol.meeting_date
            for doc in session.exec(select(Document).where(col(Document.id).in_(chunk))):
                assert doc.id is not None
                if doc.id in protocol_dates:
                    self.documents[doc.id] = f"protokoll {protocol_dates[doc.id].isoformat()}"
                elif doc.kind == "protokoll" and doc.title:
                    self.documents[doc.id] = doc.title
                else:
                    self.documents[doc.id] = doc.title or doc.file_name
        self.paragraphs: dict[int, int] = {}
        self.paragraph_documents: dict[int, int] = {}
        for chunk in _chunks(paras):
            for para in session.exec(select(Paragraph).where(col(Paragraph.id).in_(chunk))):
                assert para.id is not None
                self.paragraphs[para.id] = para.number
                self.paragraph_documents[para.id] = para.document_id
        missing = sorted(set(self.paragraph_documents.values()) - set(self.documents))
        for chunk in _chunks(missing):
            for protocol in session.exec(select(Protocol).where(col(Protocol.document_id).in_(chunk))):
                self.documents[protocol.document_id] = f"protokoll {protocol.meeting_date.isoformat()}"
            for doc in session.exec(select(Document).where(col(Document.id).in_(chunk))):
                assert doc.id is not None
                self.documents.setdefault(doc.id, doc.title or doc.file_name)

    def label(self, organisation: str, document_id: int | None, paragraph_id: int | None,
              part_id: int | None = None) -> str | None:
        part = self.parts.get(part_id) if part_id is not None and paragraph_id is None else None
        if part is not None and part.document_id == document_id:
            return f"{organisation}, {part.citation()}"
        # A § is cited with the document it stands in.
        document_id = self.paragraph_documents.get(paragraph_id, document_id) if paragraph_id else document_id
        if document_id is None or document_id not in self.documents:
            return None
        parts = [organisation, self.documents[document_id]]
        if paragraph_id is not None and paragraph_id in self.paragraphs:
            parts.append(f"§ {self.paragraphs[paragraph_id]}")
        return ", ".join(parts)


_ACTOR_NAME_RE = re.compile(r"\(([^()]+)\)\s*$")
_AUDIT_VERBS = {"meeting.created": "inlagt", "meeting.moved": "flyttat", "meeting.updated": "ändrat",
                "meeting.cancelled": "inställt"}


def meeting_audit_labels(session: Session, meetings: Sequence[MeetingLike],
                          orgs: dict[int, Organisation]) -> dict[int, str]:
    """For meetings made in the chat: who entered or last changed them, and when."""
    wanted = [f"meeting:{m.id}" for m in meetings if m.document_id is None]
    labels: dict[int, str] = {}
    for chunk in _chunks(wanted):
        rows = session.exec(
            select(AuditLog).where(col(AuditLog.subject).in_(chunk), col(AuditLog.action).startswith("meeting."))
            .order_by(col(AuditLog.at), col(AuditLog.id))
        ).all()
        for row in rows:
            meeting_id = meeting_id_of(row.subject or "")
            if meeting_id is None:
                continue
            verb = _AUDIT_VERBS.get(row.action, "ändrat")
            org = orgs.get(row.organisation_id or -1)
            where = "från kommandoraden" if row.actor.startswith("cli") else "i chatten"
            # Actors are written "slack:U123 (Ulrika Sahlin)": show the name, not the id.
            named = _ACTOR_NAME_RE.search(row.actor)
            who = f" av {named.group(1)}" if named else ""
            prefix = f"{org.name}, " if org else ""
            labels[meeting_id] = f"{prefix}{verb} {where}{who} {local_today(row.at).isoformat()}"
    return labels


@dataclass(frozen=True)
class _Sent:
    subject: str
    recipient: str
    at: dt.datetime


def _sent_meeting_history(session: Session, now: dt.datetime) -> dict[int, list[_Sent]]:
    rows = session.exec(
        select(Reminder.subject, Reminder.recipient, Reminder.sent_at, Reminder.due_at).where(
            col(Reminder.kind).in_((KIND_MEETING, KIND_MEETING_MOVED)),
            Reminder.status == "sent",
            col(Reminder.due_at) >= now - HISTORY,
        )
    ).all()
    history: dict[int, list[_Sent]] = defaultdict(list)
    for subject, recipient, sent_at, due_at in rows:
        meeting_id = meeting_id_of(subject)
        if meeting_id is not None:
            history[meeting_id].append(_Sent(subject, recipient, (sent_at or due_at).replace(microsecond=0)))
    return history


def _reminder_time(org: Organisation) -> dt.time:
    return org.reminder_time if isinstance(org.reminder_time, dt.time) else DEFAULT_REMINDER_TIME


@dataclass(frozen=True)
class _OrgSettings:
    id: int
    name: str
    days: tuple[int, ...]
    time: dt.time
    personal: bool


class _Planner:
    def __init__(self, session: Session, now: dt.datetime, organisation_id: int | None) -> None:
        if now.tzinfo is None:
            raise ValueError("plan() needs an aware datetime")
        self.session = session
        self.now = now.astimezone(UTC)
        self.today = local_today(now)
        self.directory = Directory(session, self.today, organisation_id)
        self.out: list[PlannedReminder] = []
        self._settings: dict[int, _OrgSettings] = {}

    def add(self, org_id: int, kind: str, subject: str, recipient: str, due: dt.datetime,
            expires: dt.datetime, text: str) -> None:
        if due >= expires or self.now >= expires:
            return
        self.out.append(PlannedReminder(org_id, kind, subject, recipient, due, expires, text))

    def run(self) -> list[PlannedReminder]:
        if not self.directory.orgs:
            return []
        org_ids = list(self.directory.orgs)
        meetings: list[MeetingLike] = [MeetingRow(*row) for row in self.session.execute(
            select(*_MEETING_COLUMNS).where(col(Meeting.organisation_id).in_(org_ids), Meeting.date >= self.today,
                                            col(Meeting.status).in_(("planned", "cancelled")))
            .order_by(col(Meeting.date), col(Meeting.id))
        ).all()]
        grants = list(self.session.exec(
            select(Grant).where(col(Grant.organisation_id).in_(org_ids), col(Grant.status).in_(GRANTED_STATUSES))
            .order_by(col(Grant.id))
        ).all())
        sources = Sources(
            self.session,
            [m.document_id for m in meetings] + [g.document_id for g in grants],
            [m.paragraph_id for m in meetings] + [g.paragraph_id for g in grants],
            [m.part_id for m in meetings],
        )
        audit = meeting_audit_labels(self.session, meetings, self.directory.orgs)
        meeting_sources = {
            m.id: (sources.label(self.directory.orgs[m.organisation_id].name, m.document_id, m.paragraph_id,
                                 m.part_id)
                   or audit.get(m.id or -1) or "")
            for m in meetings
        }
        history = _sent_meeting_history(self.session, self.now)
        for meeting in meetings:
            if meeting.status == "planned":
                self._meeting(meeting, meeting_sources[meeting.id], history.get(meeting.id or -1, []))
            else:
                self._cancelled(meeting, meeting_sources[meeting.id], history.get(meeting.id or -1, []))
        self._justering()
        self._anslag()
        planning_days = [m for m in meetings if m.status == "planned" and is_planning_day(m)]
        for grant in grants:
            self._grant(grant, sources, planning_days, meeting_sources)
        self.out.sort(key=lambda p: (p.due_at, p.kind, p.subject, p.recipient))
        return self.out

    # --- meetings -------------------------------------------------------------------------

    def _org_settings(self, organisation_id: int) -> _OrgSettings:
        cached = self._settings.get(organisation_id)
        if cached is None:
            org = self.directory.orgs[organisation_id]
            cached = _OrgSettings(organisation_id, org.name, parse_reminder_days(org.meeting_reminder_days),
                                  _reminder_time(org), bool(org.remind_members_personally))
            self._settings[organisation_id] = cached
        return cached

    def _meeting(self, meeting: MeetingLike, source: str, sent: list[_Sent]) -> None:
        org = self._org_settings(meeting.organisation_id)
        start = meeting_start(meeting)
        if self.now >= start:
            return
        day = meeting.date
        subject = meeting_subject(meeting)
        when_where = texts.meeting_when_where(meeting.kind, day, meeting.start_time, meeting.end_time, meeting.place)
        reminder_text = texts.meeting_reminder(org.name, when_where, meeting.agenda, [source])
        recipients = self.directory.org_targets(org.id)
        if org.personal:
            for person in self.directory.members(org.id, day):
                address = self.directory.personal_address(person)
                if address and address not in recipients:
                    recipients.append(address)
        dues = [local_moment(day - dt.timedelta(days=d), org.time) for d in org.days]
        dues = [d for d in dues if d < start]
        for recipient in recipients:
            earlier = [s.at for s in sent if s.recipient == recipient and s.subject != subject]
            moved_at = max(earlier) if earlier else None
            if moved_at is not None:
                # They were told another time or place: one notice now, not a repeat of every
                # reminder whose moment has passed.
                self.add(org.id, KIND_MEETING_MOVED, subject, recipient, moved_at, start,
                         texts.meeting_moved(org.name, when_where, meeting.agenda, [source]))
            for i, due in enumerate(dues):
                if moved_at is not None and due <= moved_at:
                    continue
                expires = dues[i + 1] if i + 1 < len(dues) else start
                self.add(org.id, KIND_MEETING, subject, recipient, due, expires, reminder_text)

    def _cancelled(self, meeting: MeetingLike, source: str, sent: list[_Sent]) -> None:
        if not sent:
            return
        org = self.directory.orgs[meeting.organisation_id]
        assert org.id is not None
        when_where = texts.meeting_when_where(meeting.kind, meeting.date, meeting.start_time, meeting.end_time,
                                              meeting.place)
        text = texts.meeting_cancelled(org.name, when_where, [source])
        latest: dict[str, dt.datetime] = {}
        for s in sent:
            latest[s.recipient] = max(s.at, latest.get(s.recipient, s.at))
        for recipient, at in latest.items():
            self.add(org.id, KIND_MEETING_CANCELLED, f"meeting:{meeting.id}", recipient, at, meeting_start(meeting),
                     text)

    # --- justering ------------------------------------------------------------------------

    def _justering(self) -> None:
        org_ids = list(self.directory.orgs)
        rows = self.session.exec(
            select(JusteringRound, Protocol)
            .join(Protocol, col(Protocol.id) == col(JusteringRound.protocol_id))
            .where(JusteringRound.status == "open", col(Protocol.organisation_id).in_(org_ids),
                   JusteringRound.deadline >= self.today - LATE_REPORT_VALID - dt.timedelta(days=2))
            .order_by(col(JusteringRound.id))
        ).all()
        if not rows:
            return
        round_ids = [r.id for r, _ in rows]
        signers: dict[int, list[JusteringSigner]] = defaultdict(list)
        for signer in self.session.exec(select(JusteringSigner).where(col(JusteringSigner.round_id).in_(round_ids))
                                        .order_by(col(JusteringSigner.id))):
            signers[signer.round_id].append(signer)
        confirmed: set[tuple[int, int, str]] = set()
        for c in self.session.exec(select(JusteringConfirmation).where(
                col(JusteringConfirmation.round_id).in_(round_ids))):
            confirmed.add((c.round_id, c.person_id, c.version_hash))
        for rnd, protocol in rows:
            assert rnd.id is not None
            org = self.directory.orgs[protocol.organisation_id]
            assert org.id is not None
            rtime = _reminder_time(org)
            sources = [f"{org.name}, protokoll {protocol.meeting_date.isoformat()}",
                       f"justeringsrunda startad {local_today(rnd.started_at).isoformat()}"]
            late: list[str] = []
            for signer in signers.get(rnd.id, []):
                if (rnd.id, signer.person_id, rnd.version_hash) in confirmed:
                    continue
                person = self.directory.persons.get(signer.person_id)
                name = person.name if person else f"person {signer.person_id}"
                late.append(f"{name} ({signer.role})" if signer.role else name)
                recipient = self.directory.personal_address(person) if person else None
                if recipient is None and rnd.platform and rnd.channel_id:
                    recipient = f"{rnd.platform}:{rnd.channel_id}"
                if recipient is None:
                    recipient = self.directory.org_targets(org.id)[0]
                text = texts.justering_signer(org.name, name, protocol.meeting_date, rnd.deadline, sources)
                subject = f"justering_round:{rnd.id}:person:{signer.person_id}"
                dues = [local_moment(rnd.deadline - dt.timedelta(days=d), rtime) for d in JUSTERING_DAYS_BEFORE]
                day_over = local_moment(rnd.deadline + dt.timedelta(days=1), dt.time(0, 0))
                for i, due in enumerate(dues):
                    expires = dues[i + 1] if i + 1 < len(dues) else day_over
                    self.add(org.id, KIND_JUSTERING, subject, recipient, due, expires, text)
            if late:
                due = local_moment(rnd.deadline + dt.timedelta(days=1), rtime)
                self.add(org.id, KIND_JUSTERING_LATE, f"justering_round:{rnd.id}",
                         self.directory.secretary_recipient(org.id), due, due + LATE_REPORT_VALID,
                         texts.justering_late(org.name, protocol.meeting_date, rnd.deadline, late, sources))

    # --- anslag ---------------------------------------------------------------------------

    def _anslag(self) -> None:
        org_ids = list(self.directory.orgs)
        to_post = self.session.exec(
            select(Protocol).where(col(Protocol.organisation_id).in_(org_ids),
                                   col(Protocol.justering_date).is_not(None), col(Protocol.anslag_posted).is_(None),
                                   col(Protocol.anslag_removed).is_(None),
                                   col(Protocol.justering_date) >= self.today - dt.timedelta(days=30))
            .order_by(col(Protocol.id))
        ).all()
        for protocol in to_post:
            assert protocol.justering_date is not None
            org = self.directory.orgs[protocol.organisation_id]
            assert org.id is not None
            rtime = _reminder_time(org)
            post_by = getattr(protocol, "anslag_post_by", None) or anslag_post_by(protocol.justering_date)
            text = texts.anslag_post(org.name, protocol.meeting_date, protocol.justering_date, post_by,
                                     [f"{org.name}, protokoll {protocol.meeting_date.isoformat()}"])
            recipient = self.directory.secretary_recipient(org.id)
            first = local_moment(protocol.justering_date, rtime)
            last = local_moment(post_by, rtime)
            subject = f"protocol:{protocol.id}"
            self.add(org.id, KIND_ANSLAG_POST, subject, recipient, first, last, text)
            self.add(org.id, KIND_ANSLAG_POST, subject, recipient, last, last + ANSLAG_POST_GRACE, text)
        to_remove = self.session.exec(
            select(Protocol).where(col(Protocol.organisation_id).in_(org_ids),
                                   col(Protocol.anslag_posted).is_not(None), col(Protocol.anslag_removed).is_(None),
                                   col(Protocol.anslag_posted) >= self.today - dt.timedelta(days=90))
            .order_by(col(Protocol.id))
        ).all()
        for protocol in to_remove:
            assert protocol.anslag_posted is not None
            org = self.directory.orgs[protocol.organisation_id]
            assert org.id is not None
            posted = protocol.anslag_posted
            take_down = earliest_take_down(posted)
            due = local_moment(take_down, _reminder_time(org))
            text = texts.anslag_remove(org.name, protocol.meeting_date, posted, appeal_period_end(posted), take_down,
                                       [self._recorded_label(org, protocol, "anslag_posted")
                                        or f"{org.name}, protokoll {protocol.meeting_date.isoformat()} (anslag)"])
            self.add(org.id, KIND_ANSLAG_REMOVE, f"protocol:{protocol.id}", self.directory.secretary_recipient(org.id),
                     due, due + ANSLAG_REMOVE_VALID, text)

    def _recorded_label(self, org: Organisation, protocol: Protocol, field: str) -> str | None:
        """The later § a protocol's date was recorded in ("…, protokoll 2025-04-25, § 15")."""
        record = protocol_records.fact_source(self.session, protocol, field)
        if record is None:
            return None
        return Sources(self.session, [record.document_id], [record.paragraph_id]).label(
            org.name, record.document_id, record.paragraph_id)

    # --- grants ---------------------------------------------------------------------------

    def _grant(self, grant: Grant, sources: Sources, planning_days: list[MeetingLike],
               meeting_sources: dict[int | None, str]) -> None:
        org = self.directory.orgs[grant.organisation_id]
        assert org.id is not None and grant.id is not None
        rtime = _reminder_time(org)
        recipient = self.directory.secretary_recipient(org.id)
        grant_source = sources.label(org.name, grant.document_id, grant.paragraph_id) or org.name
        lead = dt.timedelta(days=GRANT_REPORT_LEAD_DAYS)
        if grant.period_end is not None:
            due = local_moment(grant.period_end, rtime)
            self.add(org.id, KIND_GRANT_REPORT, f"grant:{grant.id}:final:{grant.period_end.isoformat()}", recipient,
                     due, due + GRANT_FINAL_VALID,
                     texts.grant_final_report(org.name, grant.name, grant.period_start, grant.period_end,
                                              [grant_source]))
        condition_text = " ".join(t for t in (grant.reporting, grant.conditions) if t)
        if "planeringsdag" in condition_text.lower():
            condition = _sentence_with(condition_text, "planeringsdag")
            for meeting in planning_days:
                if meeting.organisation_id != grant.organisation_id:
                    continue
                if grant.period_start is not None and meeting.date < grant.period_start:
                    continue
                if grant.period_end is not None and meeting.date > grant.period_end:
                    continue
                when = texts.meeting_when_where(meeting.kind, meeting.date, meeting.start_time, meeting.end_time,
                                                meeting.place)
                due = local_moment(meeting.date, rtime) - lead
                self.add(org.id, KIND_GRANT_REPORT, f"grant:{grant.id}:meeting:{meeting.id}", recipient, due,
                         meeting_start(meeting),
                         texts.grant_report_at_meeting(org.name, grant.name, condition, when,
                                                       [grant_source, meeting_sources.get(meeting.id, "")]))
        for phrase, by in deadlines(condition_text):
            due = local_moment(by, rtime) - lead
            self.add(org.id, KIND_GRANT_REPORT, f"grant:{grant.id}:by:{by.isoformat()}", recipient, due,
                     local_moment(by + dt.timedelta(days=1), dt.time(0, 0)),
                     texts.grant_report_by_date(org.name, grant.name, _sentence_with(condition_text, phrase),
                                                by, [grant_source]))


def _sentence_with(text: str, needle: str, limit: int = 240) -> str:
    """The sentence of `text` that contains `needle`, quoted as the source wrote it."""
    for sentence in re.split(r"(?<=[.!?])\s+", " ".join(text.split())):
        if needle.lower() in sentence.lower():
            return sentence if len(sentence) <= limit else sentence[:limit].rstrip() + " …"
    return text[:limit]


def plan(session: Session, now: dt.datetime, organisation_id: int | None = None) -> list[PlannedReminder]:
    """Every reminder that should exist at `now` and is still worth sending, sorted by due time.

    Includes reminders whose due time has passed but that have not expired: the outbox sends
    them unless its row shows they went out already.
    """
    planned = _Planner(session, now, organisation_id).run()
    # The Monday digest plans itself (scheduler/digest.py builds on this module, hence the
    # late import); it travels through the same outbox.
    from scheduler.digest import plan_digests

    planned.extend(plan_digests(session, now, organisation_id))
    planned.sort(key=lambda p: (p.due_at, p.kind, p.subject, p.recipient))
    return planned


def due_at(planned: Iterable[PlannedReminder], moment: dt.datetime) -> list[PlannedReminder]:
    """The planned reminders that would be due at `moment` (due, and not yet expired)."""
    return [p for p in planned if p.due_at <= moment < p.expires_at]


def secretary_recipient(session: Session, organisation_id: int, now: dt.datetime) -> str:
    return Directory(session, local_today(now), organisation_id).secretary_recipient(organisation_id)


def report_recipients(session: Session, organisation_id: int, now: dt.datetime) -> list[str]:
    """Where to tell the secretary that something failed, best first: in person, then the
    board's channels, then the console (the server log)."""
    directory = Directory(session, local_today(now), organisation_id)
    out: list[str] = []
    person = directory.secretary(organisation_id)
    address = directory.personal_address(person) if person is not None else None
    for candidate in [address, *directory.channels.get(organisation_id, []), CONSOLE]:
        if candidate and candidate not in out:
            out.append(candidate)
    return out
