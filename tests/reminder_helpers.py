"""Test data and stand-ins for the reminder tests: seed 003's 2024 meeting plan as rows, a
recording "platform" with a notifier in front of it, and a simulated clock."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from scheduler.notifier import DeliveryError
from storage.models import (
    BoardRole,
    ConversationLink,
    Document,
    Grant,
    Meeting,
    Organisation,
    Paragraph,
    Person,
    Protocol,
    Reminder,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
ORG_NAME = "Samordningsförbundet Härnösand – Timrå"
BOARD_CHANNEL = "slack:C0BOARD"
SECRETARY = "slack:U0SEC"
CHAIR = "slack:U0MON"
NIKLAS_AAD = "6f1b2c3d-0000-4000-8000-00000000abcd"
NIKLAS_CHAT = "a:1personal-niklas"
NIKLAS = f"teams:{NIKLAS_CHAT}"

# Seed 003, § 133 "Sammanträdesplan för 2024".
SEED_003_PLAN = [
    (dt.date(2024, 2, 2), "Timrå", dt.time(9), dt.time(12), "styrelsemöte"),
    (dt.date(2024, 3, 22), "Härnösand", dt.time(9), dt.time(12), "styrelsemöte"),
    (dt.date(2024, 5, 31), "Timrå", dt.time(9), dt.time(12), "styrelsemöte"),
    (dt.date(2024, 9, 13), "Härnösand", dt.time(9), dt.time(12), "styrelsemöte"),
    (dt.date(2024, 10, 11), "Timrå", dt.time(9), dt.time(15), "planeringsdag"),
    (dt.date(2024, 11, 29), "Härnösand", dt.time(9), dt.time(12), "styrelsemöte"),
]


def local(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM).astimezone(dt.UTC)


@dataclass
class Seeded:
    org_id: int
    document_id: int
    paragraph_id: int
    protocol_id: int
    meeting_ids: dict[dt.date, int]
    secretary_id: int
    chair_id: int
    niklas_id: int


def seed_store(engine: Engine, *, personal: bool = True, channel: bool = True, with_plan: bool = True) -> Seeded:
    """The förbund of seed 003 with its board channel, three people and the 2024 plan."""
    with Session(engine, expire_on_commit=False) as session:
        org = Organisation(name=ORG_NAME, remind_members_personally=personal)
        session.add(org)
        session.flush()
        assert org.id is not None
        text = "§ 133 Sammanträdesplan för 2024 ..."
        doc = Document(organisation_id=org.id, kind="protokoll", title="Protokoll 2023-11-24",
                       file_name="003.pdf", content_hash=hashlib.sha256(text.encode()).hexdigest(), text=text)
        session.add(doc)
        session.flush()
        assert doc.id is not None
        protocol = Protocol(document_id=doc.id, organisation_id=org.id, meeting_date=dt.date(2023, 11, 24),
                            version_hash="v1", status="justerat", justering_date=dt.date(2023, 11, 30))
        session.add(protocol)
        session.flush()
        para = Paragraph(document_id=doc.id, organisation_id=org.id, protocol_id=protocol.id, number=133,
                         title="Sammanträdesplan för 2024", body="Förslag på mötestider ...")
        session.add(para)
        session.flush()
        assert para.id is not None and protocol.id is not None
        secretary = Person(organisation_id=org.id, name="Ulrika Sahlin", slack_user_id="U0SEC", is_admin=True)
        chair = Person(organisation_id=org.id, name="Monica Fällström", slack_user_id="U0MON")
        niklas = Person(organisation_id=org.id, name="Niklas Edén", teams_aad_id=NIKLAS_AAD)
        session.add_all([secretary, chair, niklas])
        session.flush()
        assert secretary.id and chair.id and niklas.id
        session.add_all([
            BoardRole(person_id=chair.id, organisation_id=org.id, role="ordförande", member_body="Härnösands kommun"),
            BoardRole(person_id=niklas.id, organisation_id=org.id, role="ledamot", member_body="Region Västernorrland",
                      valid_from=dt.date(2023, 9, 13), valid_to=dt.date(2026, 3, 31)),
        ])
        if channel:
            session.add(ConversationLink(platform="slack", conversation_id="C0BOARD", organisation_id=org.id))
        reference = {"conversation": {"id": NIKLAS_CHAT, "conversationType": "personal"},
                     "user": {"id": "29:niklas", "aadObjectId": NIKLAS_AAD}, "channelId": "msteams",
                     "serviceUrl": "http://127.0.0.1:9/teams/"}
        session.add(ConversationLink(platform="teams", conversation_id=NIKLAS_CHAT, organisation_id=org.id,
                                     reference=json.dumps(reference)))
        meeting_ids: dict[dt.date, int] = {}
        if with_plan:
            for day, place, start, end, kind in SEED_003_PLAN:
                meeting = Meeting(organisation_id=org.id, date=day, start_time=start, end_time=end, place=place,
                                  kind=kind, document_id=doc.id, paragraph_id=para.id)
                session.add(meeting)
                session.flush()
                assert meeting.id is not None
                meeting_ids[day] = meeting.id
        session.commit()
        return Seeded(org.id, doc.id, para.id, protocol.id, meeting_ids, secretary.id, chair.id, niklas.id)


def add_grants(engine: Engine, seeded: Seeded) -> None:
    with Session(engine) as session:
        session.add(Grant(organisation_id=seeded.org_id, key="arbetsmarknadstorget harnosand",
                          name="Arbetsmarknadstorget Härnösand", max_amount=1_250_000, status="granted",
                          period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31),
                          document_id=seeded.document_id))
        session.add(Grant(organisation_id=seeded.org_id, key="jobbcenter", name="Jobbcenter 2.0",
                          status="granted_on_condition", period_start=dt.date(2023, 1, 1),
                          period_end=dt.date(2026, 8, 31), document_id=seeded.document_id,
                          reporting="Återrapportering av insatsen ska ske årligen vid styrelsens planeringsdag "
                                    "inför beslut om budget för efterföljande år."))
        session.add(Grant(organisation_id=seeded.org_id, key="refused", name="Avslagen insats", status="refused",
                          period_end=dt.date(2024, 6, 30), document_id=seeded.document_id))
        session.commit()


@dataclass
class Posted:
    message_id: str
    recipient: str
    text: str
    at: dt.datetime


@dataclass
class FakePlatform:
    """What Slack/Teams would hold: every message posted, in order."""

    clock: SimClock | None = None
    posts: list[Posted] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def post(self, recipient: str, text: str) -> str:
        with self.lock:
            message_id = f"m{len(self.posts) + 1}"
            at = self.clock() if self.clock else dt.datetime.now(dt.UTC)
            self.posts.append(Posted(message_id, recipient, text, at))
            return message_id

    def find(self, recipient: str, text: str, since: dt.datetime) -> str | None:
        with self.lock:
            for post in self.posts:
                if post.recipient == recipient and post.text == text and post.at >= since:
                    return post.message_id
        return None


class SimulatedCrash(BaseException):
    """Stands for the process dying: not an Exception, so nothing catches it on the way out."""


class PlatformNotifier:
    """A notifier in front of FakePlatform; `fail_for` refuses recipients, `crash_after_post`
    dies right after the platform accepted a message (before the outbox can mark it)."""

    platform = "any"

    def __init__(self, platform: FakePlatform, *, lookup: bool = True) -> None:
        self.platform_store = platform
        self.fail_for: set[str] = set()
        self.crash_after_post = False
        self.crash_before_post = False
        self.unclear_after_post = False
        self.delay = 0.0
        self.attempts: list[tuple[str, dt.datetime | None]] = []
        if not lookup:
            self.find_sent = None  # type: ignore[assignment]

    async def send(self, recipient: str, text: str, key: str | None = None) -> str:
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        self.attempts.append((recipient, self.platform_store.clock() if self.platform_store.clock else None))
        if self.crash_before_post:
            raise SimulatedCrash()
        if recipient in self.fail_for:
            raise DeliveryError(f"channel_not_found: {recipient}")
        message_id = self.platform_store.post(recipient, text)
        if self.crash_after_post:
            raise SimulatedCrash()
        if self.unclear_after_post:
            raise ConnectionResetError("connection reset after the request was written")
        return message_id

    async def find_sent(self, recipient: str, text: str, since: dt.datetime,
                        key: str | None = None) -> str | None:  # type: ignore[no-redef]
        return self.platform_store.find(recipient, text, since)


class SimClock:
    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, moment: dt.datetime) -> None:
        self.now = moment

    def advance(self, delta: dt.timedelta) -> None:
        self.now += delta


def reminders(engine: Engine) -> list[Reminder]:
    with Session(engine) as session:
        return list(session.exec(select(Reminder).order_by(Reminder.id)).all())  # type: ignore[arg-type]


class FilePlatform:
    """A platform kept in a file, shared with a child process that gets killed."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def lines(self) -> list[dict[str, str]]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text().splitlines() if line.strip()]

    def post(self, recipient: str, text: str) -> str:
        message_id = f"f{len(self.lines()) + 1}"
        with self.path.open("a") as handle:
            handle.write(json.dumps({"id": message_id, "recipient": recipient, "text": text}) + "\n")
            handle.flush()
        return message_id


class FileNotifier:
    platform = "any"

    def __init__(self, platform: FilePlatform) -> None:
        self.store = platform

    async def send(self, recipient: str, text: str, key: str | None = None) -> str:
        return self.store.post(recipient, text)

    async def find_sent(self, recipient: str, text: str, since: dt.datetime,
                        key: str | None = None) -> str | None:
        for line in self.store.lines():
            if line["recipient"] == recipient and line["text"] == text:
                return line["id"]
        return None


class KillingFileNotifier(FileNotifier):
    """Ends the whole process, like `kill -9`, before or right after the platform accepts."""

    def __init__(self, platform: FilePlatform, when: str) -> None:
        super().__init__(platform)
        self.when = when

    async def send(self, recipient: str, text: str, key: str | None = None) -> str:
        import os

        if self.when == "before":
            os._exit(9)
        message_id = self.store.post(recipient, text)
        os._exit(9)
        return message_id  # pragma: no cover


def _child(url: str, platform_path: str, when: str, now_iso: str) -> None:
    """A dispatcher in its own process that gets killed mid-send (see test_reminders_outbox)."""
    import asyncio

    from scheduler.outbox import Dispatcher
    from storage.db import open_engine

    engine = open_engine(url)
    now = dt.datetime.fromisoformat(now_iso)
    dispatcher = Dispatcher(engine, KillingFileNotifier(FilePlatform(Path(platform_path)), when), clock=lambda: now)
    asyncio.run(dispatcher.run_once())


if __name__ == "__main__":
    import sys

    _child(*sys.argv[1:5])
