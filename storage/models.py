"""The board store: every table, in one place.

Conventions:
- money is integer kronor (a figure given in tkr is stored × 1 000, its original unit kept);
- timestamps are timezone-aware and stored as UTC (see `UTCDateTime`); calendar dates are
  plain dates in Europe/Stockholm;
- every fact row points to the document (and, where there is one, the paragraph) it came
  from, so an answer can always cite its source.
"""


import datetime as dt

from sqlalchemy import CheckConstraint, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


def _ts(nullable: bool = False) -> Column[dt.datetime]:
    return Column(UTCDateTime(), nullable=nullable)


# --- organisations and people -------------------------------------------------------------


class Organisation(SQLModel, table=True):
    """A förbund (or any board that works the same way)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    org_number: str | None = None
    # Which protocol roles sign a justering, comma-separated (configurable per organisation).
    signer_roles: str = "justerare,ordförande"
    # Meeting reminders: days before, and local time of day.
    meeting_reminder_days: str = "7,1"
    reminder_time: dt.time = dt.time(9, 0)
    remind_members_personally: bool = False
    digest_enabled: bool = False
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class MemberBody(SQLModel, table=True):
    """A medlem: a municipality, a region, Försäkringskassan or Arbetsförmedlingen."""

    __table_args__ = (UniqueConstraint("organisation_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    name: str
    kind: str | None = None  # kommun, region, försäkringskassan, arbetsförmedlingen


class Person(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    name: str
    email: str | None = None
    slack_user_id: str | None = Field(default=None, index=True)
    teams_aad_id: str | None = Field(default=None, index=True)
    # The secretary/admin may link people, start justering and change settings.
    is_admin: bool = False


class BoardRole(SQLModel, table=True):
    """A person's role on the board over a period (ordförande, ledamot, ersättare, ...)."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    role: str
    member_body: str | None = None  # utsedd av
    party: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    document_id: int | None = Field(default=None, foreign_key="document.id", index=True)
    paragraph_id: int | None = Field(default=None, foreign_key="paragraph.id")


# --- documents, meetings, protocols -------------------------------------------------------


class Document(SQLModel, table=True):
    """One ingested file. The same content twice is one document."""

    __table_args__ = (UniqueConstraint("organisation_id", "content_hash"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    kind: str  # protokoll, kallelse, verksamhetsplan, tertialuppföljning, ...
    title: str | None = None
    file_name: str
    content_hash: str = Field(index=True)
    # A stable identity across corrected versions, e.g. "protokoll:2023-11-24".
    version_key: str | None = Field(default=None, index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    ingested_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())
    superseded_at: dt.datetime | None = Field(default=None, sa_column=_ts(nullable=True))


class DocumentPart(SQLModel, table=True):
    """One of the documents a file holds: a cover letter, a protocol, and attached to it a
    verksamhetsplan with budget or a tertialrapport. A fact read from a part is cited to it
    ("Verksamhetsplan 2021 (bilaga till protokoll 2020-11-16)"), not to the file's protocol.

    Every file has at least one part; together they cover the file's text without gaps.
    """

    __table_args__ = (UniqueConstraint("document_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    number: int  # its place in the file, from 1
    kind: str  # följebrev, kallelse, protokoll, verksamhetsplan, budget, tertialuppföljning, ...
    title: str | None = None  # its heading, as a citation names it
    # Where it stands in Document.text (character offsets, end exclusive): what the source
    # audit reads for a fact cited to it.
    start_offset: int
    end_offset: int
    page: int | None = None  # the page it begins on; None for a text without page breaks
    # The document it came with, when it is an attachment: "protokoll" or "kallelse", and the
    # date of that meeting ("bilaga till protokoll 2020-11-16").
    attached_to_kind: str | None = None
    attached_to_date: dt.date | None = None

    def citation(self) -> str:
        """'Verksamhetsplan 2021 (bilaga till protokoll 2020-11-16)': how an answer names it."""
        return self.cite(self.title, self.kind, self.attached_to_kind, self.attached_to_date)

    @staticmethod
    def cite(title: str | None, kind: str, attached_to_kind: str | None, attached_to_date: dt.date | None) -> str:
        label = title or kind.capitalize()
        if attached_to_date is not None:
            label += f" (bilaga till {attached_to_kind or 'protokoll'} {attached_to_date.isoformat()})"
        return label


class Meeting(SQLModel, table=True):
    """A sammanträde, planned or held."""

    __table_args__ = (UniqueConstraint("organisation_id", "date", "kind"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    date: dt.date = Field(index=True)
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    place: str | None = None
    kind: str = "styrelsemöte"  # styrelsemöte, planeringsdag
    status: str = "planned"  # planned, held, cancelled
    document_id: int | None = Field(default=None, foreign_key="document.id", index=True)
    paragraph_id: int | None = Field(default=None, foreign_key="paragraph.id")
    protocol_id: int | None = Field(default=None, foreign_key="protocol.id", index=True)
    agenda: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # Set when a person changed the meeting in chat or on the command line: the answer then
    # cites who changed it and when (the audit log holds the before and after).
    changed_by: str | None = None
    # What document_id/paragraph_id are: the § of a plan or kallelse, a § that only mentions
    # the date, the protocol of the held meeting, or none (changed in chat).
    basis: str | None = None  # plan, kallelse, mention, protocol, notice ("beslut i korthet")
    # A kallelse that came in one file with other documents is cited as that part of the file.
    part_id: int | None = Field(default=None, foreign_key="documentpart.id")
    changed_at: dt.datetime | None = Field(default=None, sa_column=_ts(nullable=True))


class Protocol(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", unique=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    meeting_date: dt.date = Field(index=True)
    paragraph_range: str | None = None
    justering_deadline: dt.date | None = None
    justering_date: dt.date | None = None
    justering_method: str | None = None
    anslag_posted: dt.date | None = None
    anslag_removed: dt.date | None = None
    storage_place: str | None = None
    # Set when a justering completes in the bot (storage/justering.py); the scheduler's anslag
    # reminders read them. Take-down follows the real posting date once anslag_posted is known.
    anslag_post_by: dt.date | None = None
    anslag_take_down_from: dt.date | None = None
    # sha256 of the protocol text: a justering is bound to this version.
    version_hash: str
    status: str = "ojusterat"  # ojusterat, justerat


class ProtocolRecord(SQLModel, table=True):
    """What a later document records about a protocol: its justering, its anslag, a correction.

    Keyed by the protocol's meeting date rather than its row, so the record holds whichever
    of the two documents is read first. The protocol's own dates stay in its own text; a
    record that changes one is applied to the protocol row (and audited), and a later record
    of the same field supersedes an earlier one, which is kept.
    """

    __table_args__ = (UniqueConstraint("document_id", "meeting_date", "field"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    meeting_date: dt.date = Field(index=True)  # the protocol the record is about
    field: str  # justering_date, anslag_posted, anslag_removed
    value: dt.date
    recorded_on: dt.date | None = None  # the date of the recording meeting
    document_id: int = Field(foreign_key="document.id", index=True)
    paragraph_id: int | None = Field(default=None, foreign_key="paragraph.id")
    superseded_at: dt.datetime | None = Field(default=None, sa_column=_ts(nullable=True))


class Paragraph(SQLModel, table=True):
    """One § of a protocol (or an item of an agenda)."""

    __table_args__ = (UniqueConstraint("document_id", "number", "title"),)
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    protocol_id: int | None = Field(default=None, foreign_key="protocol.id", index=True)
    number: int
    title: str
    body: str = Field(sa_column=Column(Text, nullable=False))
    dnr: str | None = None
    proposal: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    motions: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    decision: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # The page the § begins on (1 for a text file): what a citation names beside the §. A page
    # of a document in which no § was recognised is stored as number 0, titled by its page.
    page: int | None = None
    # The same matter's § in another body's protocol, as this § cites it ("KS § 41" beside
    # fullmäktige's § 88): cited with it, so both numbers lead to the one matter.
    also: str | None = None
    # Stemmed words of title, body and decision: what full-text search matches.
    search_text: str = Field(default="", sa_column=Column(Text, nullable=False))


class Attendance(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    protocol_id: int = Field(foreign_key="protocol.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str  # ledamot, ersättare, övrig
    member_body: str | None = None
    party: str | None = None
    present: bool = True
    voting: bool = False  # beslutande
    note: str | None = None  # e.g. "§§ 7-10", "lämnade sammanträdet efter § 12"
    # The person's position as the list gives it ("förbundschef", "teamledare Enter"): who holds
    # a position is asked as often as who attended.
    title: str | None = None
    # The §§ the person was present at, when not every § of the protocol: "5-12,14" (arrivals,
    # departures and jäv, storage.ingest.presence). None: present throughout, or not said.
    paragraphs: str | None = None


class Vacancy(SQLModel, table=True):
    """A seat the attendance list gives as vacant ("Vakant – Arbetsförmedlingen"): asked who holds
    it, the answer is that no one does, not its ersättare."""

    id: int | None = Field(default=None, primary_key=True)
    protocol_id: int = Field(foreign_key="protocol.id", index=True)
    role: str  # ledamot, ersättare
    member_body: str


class ProtocolOfficer(SQLModel, table=True):
    """Who was ordförande, sekreterare and justerare of a protocol."""

    __table_args__ = (UniqueConstraint("protocol_id", "person_id", "role"),)
    id: int | None = Field(default=None, primary_key=True)
    protocol_id: int = Field(foreign_key="protocol.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str  # ordförande, sekreterare, justerare, förbundschef


# --- grants and money ---------------------------------------------------------------------


class GrantFacts(SQLModel):
    """What a grant is, declared once. The table (Grant), the parser's result
    (storage.ingest.parsed.ParsedGrant) and the export (storage.portable.GrantIn) derive from
    it, so their fields and status values (storage/grant_status.py) cannot drift apart."""

    name: str  # the short name, e.g. "Jobbcenter 2.0"
    full_name: str | None = None  # as quoted in the application, when longer
    dnr: str | None = None
    max_amount: int | None = None  # kronor granted (applied for, or refused)
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    reporting: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    status: str = "applied"  # storage.grant_status.GrantStatus, derived from the events


class Grant(GrantFacts, table=True):
    """An insats: an effort funded by the förbund.

    Its status is derived from its events (storage/grant_status.py). One name reused for a new
    effort (another Dnr, a period that does not overlap, a new application after the final
    report) is a new grant whose `previous_id` points to the earlier one.
    """

    __tablename__ = "insats"
    __table_args__ = (Index("ix_insats_org_key", "organisation_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    key: str  # normalised name: with Dnr and period, the identity across paragraphs
    previous_id: int | None = Field(default=None, foreign_key="insats.id")
    applicants: str | None = None  # comma-separated member bodies
    conditions: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # one a line
    # The § that states the grant's amount and period (else the first that names it).
    document_id: int = Field(foreign_key="document.id", index=True)
    paragraph_id: int | None = Field(default=None, foreign_key="paragraph.id")


class GrantEvent(SQLModel, table=True):
    """A status change of a grant, with the paragraph that made it."""

    __table_args__ = (UniqueConstraint("grant_id", "paragraph_id", "status"),)
    id: int | None = Field(default=None, primary_key=True)
    grant_id: int = Field(foreign_key="insats.id", index=True)
    status: str  # storage.grant_status.GrantStatus
    date: dt.date | None = None  # the date of the meeting (or decision) that made it
    amount: int | None = None  # granted, applied for, refused, or to be paid / paid
    document_id: int = Field(foreign_key="document.id", index=True)
    paragraph_id: int | None = Field(default=None, foreign_key="paragraph.id")
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


class FigureFacts(SQLModel):
    """What a money figure is, declared once: the table (BudgetFigure), the parser's result
    (ParsedBudgetFigure) and the export (BudgetIn) derive from it."""

    year: int
    # budget, prognos, utfall, plan; kvar: what a text says remains of a budget post
    kind: str
    section: str | None = None  # intäkter, kostnader, resultat, eget kapital, medlemsbidrag, ...
    line: str
    # line, subtotal (delsumma) or total (summa, resultat, kapital): a chart draws lines only.
    row_type: str = "line"
    amount: int  # kronor; costs negative where the table writes them so
    unit: str = "kr"  # the unit the source gave: kr, tkr or mnkr
    # The period: an outcome up to this day (a full year ends 12-31); a forecast made on it;
    # what remained on it. None for budget and plan, which cover the whole year.
    as_of: dt.date | None = None


class BudgetFigure(FigureFacts, table=True):
    """One figure of a budget, forecast, outcome or plan table, or stated in a protocol's text."""

    __table_args__ = (
        UniqueConstraint("document_id", "year", "kind", "line", "as_of"),
        Index("ix_budget_lookup", "organisation_id", "year", "kind"),
    )
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    paragraph_id: int | None = Field(default=None, foreign_key="paragraph.id")
    # The part of the file the figure stands in (an attached plan or report is cited by its own
    # title) and the page of its row, for a document with pages.
    part_id: int | None = Field(default=None, foreign_key="documentpart.id", index=True)
    page: int | None = None


# --- justering ----------------------------------------------------------------------------


class JusteringRound(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    protocol_id: int = Field(foreign_key="protocol.id", index=True)
    version_hash: str
    status: str = "open"  # open, paused, done, superseded
    deadline: dt.date
    started_by: str | None = None
    started_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())
    completed_at: dt.datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    platform: str | None = None
    channel_id: str | None = None
    thread_id: str | None = None


class JusteringSigner(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("round_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="justeringround.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str


class JusteringConfirmation(SQLModel, table=True):
    """Exactly one per signer and text version: the database enforces it."""

    __table_args__ = (UniqueConstraint("round_id", "person_id", "version_hash"),)
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="justeringround.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    version_hash: str
    platform: str
    platform_user_id: str | None = None
    confirmed_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class ChangeRequest(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="justeringround.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())
    resolved_at: dt.datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    resolution: str | None = None


# --- delivery and platforms ---------------------------------------------------------------


class Reminder(SQLModel, table=True):
    """The outbox: one row per reminder; its state keeps it from going out twice."""

    __table_args__ = (UniqueConstraint("kind", "subject", "recipient", "due_at"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    # meeting, meeting_moved, meeting_cancelled, justering, justering_late, anslag_post, anslag_remove,
    # grant_report, digest, delivery_failed
    kind: str
    subject: str  # e.g. "meeting:12"
    recipient: str  # e.g. "slack:C123", "teams:<conversation id>", "console"
    due_at: dt.datetime = Field(sa_column=_ts())
    # pending, claimed, sending, sent, unknown, failed, cancelled: see scheduler/outbox.py
    status: str = Field(default="pending", index=True)
    attempts: int = 0
    next_attempt_at: dt.datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    claimed_at: dt.datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    claimed_by: str | None = None
    sent_at: dt.datetime | None = Field(default=None, sa_column=_ts(nullable=True))
    platform_message_id: str | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    text: str = Field(default="", sa_column=Column(Text, nullable=False))


class ConversationLink(SQLModel, table=True):
    """A Slack channel or Teams conversation, its organisation and (Teams) its reference."""

    __table_args__ = (UniqueConstraint("platform", "conversation_id"),)
    id: int | None = Field(default=None, primary_key=True)
    platform: str  # slack, teams
    conversation_id: str
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    team_id: str | None = None
    # Teams: the serialized ConversationReference, kept for proactive messages.
    reference: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class ProcessedEvent(SQLModel, table=True):
    """A platform event already handled: retries and duplicates stop at this unique row."""

    __table_args__ = (UniqueConstraint("platform", "event_id"),)
    id: int | None = Field(default=None, primary_key=True)
    platform: str
    event_id: str
    received_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class ConversationContext(SQLModel, table=True):
    """The last question understood in a conversation or thread, so "och 2022?" can continue it.

    Kept in the store so a follow-up still works after `boardbot serve` restarts; read only
    while fresh (see handlers/understanding/followup.py).
    """

    __table_args__ = (UniqueConstraint("platform", "conversation_id", "thread_id"),)
    id: int | None = Field(default=None, primary_key=True)
    platform: str
    conversation_id: str
    thread_id: str = ""  # "" for the conversation itself (a DM, a personal chat)
    question: str = Field(sa_column=Column(Text, nullable=False))
    named: str = ""  # the words of the question that named its subject ("Enter", "Jobbcenter 2.0")
    dates: str = ""  # the words of the question that named its time ("2021", "11 juni 2021")
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id")
    updated_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class BotThread(SQLModel, table=True):
    """A chat thread the bot has posted in: later replies there reach it without a mention.

    Kept in the store rather than asked of the platform, so it holds across restarts and
    processes and costs no API call per message.
    """

    __table_args__ = (UniqueConstraint("platform", "conversation_id", "thread_id"),)
    id: int | None = Field(default=None, primary_key=True)
    platform: str
    conversation_id: str
    thread_id: str
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())


class AuditLog(SQLModel, table=True):
    """Append-only and hash-chained (storage/audit.py).

    The database refuses UPDATE, DELETE and TRUNCATE (migration 0002), and on PostgreSQL the
    application's role does not own the table, so it cannot lift that guard. Each entry holds
    the hash of the one before it, so a change made around the guard (by the database's
    superuser, or to the file) shows as a broken link: `boardbot justering verify`.
    """

    # An insert that bypasses the chain (SQL written without storage/audit.py) fails loudly.
    __table_args__ = (CheckConstraint("length(prev_hash) = 64 AND length(entry_hash) = 64",
                                      name="ck_auditlog_chained"),)
    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(default_factory=utcnow, sa_column=_ts())
    organisation_id: int | None = Field(default=None, foreign_key="organisation.id", index=True)
    actor: str
    action: str
    subject: str | None = Field(default=None, index=True)
    detail: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # Set when the entry is written (storage/audit.py): unique, so the chain cannot fork.
    prev_hash: str = Field(default="", unique=True)
    entry_hash: str = Field(default="", unique=True)


class AuditHead(SQLModel, table=True):
    """The end of the audit chain: one row, locked by every transaction that appends, so that
    entries are chained one after another; also shows when entries were cut off the end."""

    id: int = Field(default=1, primary_key=True)
    last_hash: str


# Registers the hook that chains each new audit entry (it needs the classes above).
from storage import audit as _audit  # noqa: E402,F401
