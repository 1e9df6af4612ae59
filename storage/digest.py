"""The weekly digest of one förbund: what the board should know this Monday, each line sourced.

`build_digest(session, organisation, at)` reads the store as it is at `at` and returns four
short lists:
- new decisions: paragraphs with a decision, of protocols whose meeting was in the 7 days
  before `at`, or that were read in during those days (for a meeting of the last 90 days: a
  back-catalogue of old protocols read in at once is not news);
- meetings in the next 30 days (planned, not cancelled);
- justeringar waiting: open or paused rounds, with who has not signed yet;
- report-backs due: a granted insats whose period ends within 30 days either way and has no
  approved final report, and every "senast <datum>" in its reporting duty within 30 days.

It lives in storage/ because both the chat (handlers/digest.py) and the scheduler
(scheduler/digest.py) show it, and the scheduler may not import handlers/. A week with
nothing to say says so in one sentence.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from storage.models import (
    AuditLog,
    Document,
    Grant,
    GrantEvent,
    JusteringConfirmation,
    JusteringRound,
    JusteringSigner,
    Meeting,
    Organisation,
    Paragraph,
    Person,
    Protocol,
)
from storage.swedish import long_date
from storage.swedish.dates import deadlines

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NEW_DAYS = 7
AHEAD_DAYS = 30
REPORT_WINDOW_DAYS = 30
BACKFILL_DAYS = 90
MAX_DECISIONS = 12
MAX_DECISION_CHARS = 180
GRANTED = ("granted", "granted_on_condition")
# The formal items of every meeting; a digest of them would bury the real decisions.
_PROCEDURAL = re.compile(
    r"^(?:mötets? (?:öppnande|avslutande)|sammanträdets? (?:öppnande|avslutande)|(?:godkännande av |fastställande "
    r"av )?(?:dagordning|föredragningslista)|val av justerare|justering|upprop|närvaro|föregående protokoll|"
    r"protokollets justering|övriga frågor|nästa (?:möte|sammanträde))", re.IGNORECASE)


@dataclass(frozen=True)
class DigestLine:
    sv: str
    en: str
    source: str  # "Samordningsförbundet Norrvik, protokoll 2025-04-25, § 17"
    document_id: int | None = None
    paragraph_id: int | None = None

    def text(self, language: str) -> str:
        return self.en if language == "en" else self.sv


@dataclass
class Digest:
    organisation: Organisation
    today: dt.date
    decisions: list[DigestLine] = field(default_factory=list)
    more_decisions: int = 0
    meetings: list[DigestLine] = field(default_factory=list)
    justering: list[DigestLine] = field(default_factory=list)
    reports: list[DigestLine] = field(default_factory=list)

    @property
    def quiet(self) -> bool:
        return not (self.decisions or self.meetings or self.justering or self.reports)

    def lines(self) -> list[DigestLine]:
        return [*self.decisions, *self.meetings, *self.justering, *self.reports]

    def render(self, language: str = "sv") -> str:
        en = language == "en"
        week = self.today.isocalendar().week
        head = (f"Weekly digest for {self.organisation.name}, week {week}" if en
                else f"Veckosammanfattning för {self.organisation.name}, vecka {week}")
        if self.quiet:
            return head + (": a quiet week. No new decisions, no meetings in the next 30 days, no justering "
                           "waiting and no report-backs due." if en else
                           ": en lugn vecka. Inga nya beslut, inga möten de närmaste 30 dagarna, inga justeringar "
                           "som väntar och inga återrapporteringar att bevaka.")
        since = self.today - dt.timedelta(days=NEW_DAYS)
        parts = [head + f" ({long_date(self.today, language)})"]
        parts += _section(self.decisions, language,
                          f"Nya beslut sedan {long_date(since, 'sv')}", f"New decisions since {long_date(since, 'en')}",
                          "Inga nya beslut.", "No new decisions.")
        if self.more_decisions:
            parts.append(f"… and {self.more_decisions} more decisions in the same protocols." if en
                         else f"… och {self.more_decisions} beslut till i samma protokoll.")
        parts += _section(self.meetings, language, "Möten de närmaste 30 dagarna", "Meetings in the next 30 days",
                          "Inga möten de närmaste 30 dagarna.", "No meetings in the next 30 days.")
        parts += _section(self.justering, language, "Justeringar som väntar", "Justering waiting",
                          "Inga justeringar väntar.", "No justering waiting.")
        parts += _section(self.reports, language, "Återrapporteringar att bevaka", "Report-backs due",
                          "Inga återrapporteringar att bevaka.", "No report-backs due.")
        return "\n".join(parts)


def _section(lines: Sequence[DigestLine], language: str, head_sv: str, head_en: str, none_sv: str,
             none_en: str) -> list[str]:
    en = language == "en"
    if not lines:
        return [none_en if en else none_sv]
    out = [f"{head_en if en else head_sv}:"]
    word = "Source" if en else "Källa"
    for line in lines:
        out.append(f"• {line.text(language)} ({word}: {line.source})")
    return out


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(STOCKHOLM).date()


def source_label(session: Session, organisation: Organisation, document_id: int | None,
                 paragraph_id: int | None = None) -> str:
    """"<förbund>, protokoll 2025-04-25, § 17", or the document's title for other documents."""
    parts = [organisation.name]
    if document_id is not None:
        protocol = session.exec(select(Protocol).where(Protocol.document_id == document_id)).first()
        if protocol is not None:
            parts.append(f"protokoll {protocol.meeting_date.isoformat()}")
        else:
            doc = session.get(Document, document_id)
            if doc is not None:
                parts.append(doc.title or f"{doc.kind} ({doc.file_name})")
    if paragraph_id is not None:
        paragraph = session.get(Paragraph, paragraph_id)
        if paragraph is not None:
            parts.append(f"§ {paragraph.number}")
    return ", ".join(parts)


def _shorten(text: str, limit: int = MAX_DECISION_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def build_digest(session: Session, organisation: Organisation, at: dt.datetime) -> Digest:
    if at.tzinfo is None:
        raise ValueError("build_digest needs an aware datetime")
    today = local_day(at)
    digest = Digest(organisation=organisation, today=today)
    _decisions(session, digest, at)
    _meetings(session, digest)
    _justering(session, digest)
    _reports(session, digest)
    return digest


def _decisions(session: Session, digest: Digest, at: dt.datetime) -> None:
    org, today = digest.organisation, digest.today
    since_day = today - dt.timedelta(days=NEW_DAYS)
    since = at - dt.timedelta(days=NEW_DAYS)
    rows = session.exec(
        select(Protocol, Document)
        .join(Document, col(Document.id) == col(Protocol.document_id))
        .where(Protocol.organisation_id == org.id, col(Document.superseded_at).is_(None),
               Protocol.meeting_date <= today)
        .order_by(col(Protocol.meeting_date), col(Protocol.id))
    ).all()
    fresh = [p for p, d in rows
             if p.meeting_date >= since_day
             or (since <= d.ingested_at <= at and p.meeting_date >= today - dt.timedelta(days=BACKFILL_DAYS))]
    for protocol in fresh:
        paragraphs = session.exec(select(Paragraph).where(Paragraph.protocol_id == protocol.id)
                                  .order_by(col(Paragraph.number))).all()
        for paragraph in paragraphs:
            decision = (paragraph.decision or "").strip()
            if not decision or _PROCEDURAL.match(paragraph.title.strip()):
                continue
            if len(digest.decisions) >= MAX_DECISIONS:
                digest.more_decisions += 1
                continue
            title = _shorten(paragraph.title, 90)
            text = f"§ {paragraph.number} {title}: {_shorten(decision)}"
            source = f"{org.name}, protokoll {protocol.meeting_date.isoformat()}, § {paragraph.number}"
            digest.decisions.append(DigestLine(text, text, source, protocol.document_id, paragraph.id))


MEETING_KINDS_EN = {"styrelsemöte": "board meeting", "planeringsdag": "planning day"}


def _when(meeting: Meeting, language: str) -> str:
    kind = MEETING_KINDS_EN.get(meeting.kind, meeting.kind) if language == "en" else meeting.kind
    text = f"{kind} {long_date(meeting.date, language)}"
    if meeting.start_time is not None:
        text += (" at " if language == "en" else " kl. ") + f"{meeting.start_time.strftime('%H.%M')}"
        if meeting.end_time is not None:
            text += f"–{meeting.end_time.strftime('%H.%M')}"
    if meeting.place:
        text += f", {meeting.place}"
    return text


def _meetings(session: Session, digest: Digest) -> None:
    org, today = digest.organisation, digest.today
    meetings = session.exec(
        select(Meeting).where(Meeting.organisation_id == org.id, Meeting.status == "planned",
                              Meeting.date >= today, Meeting.date <= today + dt.timedelta(days=AHEAD_DAYS))
        .order_by(col(Meeting.date), col(Meeting.start_time))
    ).all()
    for meeting in meetings:
        if meeting.document_id is not None:
            source = source_label(session, org, meeting.document_id, meeting.paragraph_id)
        else:
            entered = session.exec(select(AuditLog).where(AuditLog.subject == f"meeting:{meeting.id}")
                                   .order_by(col(AuditLog.at).desc())).first()
            source = (f"{org.name}, inlagt i boardbot {local_day(entered.at).isoformat()}" if entered
                      else f"{org.name}, mötesplanen i boardbot")
        digest.meetings.append(DigestLine(_when(meeting, "sv"), _when(meeting, "en"), source,
                                          meeting.document_id, meeting.paragraph_id))


def _justering(session: Session, digest: Digest) -> None:
    org = digest.organisation
    rounds = session.exec(
        select(JusteringRound, Protocol)
        .join(Protocol, col(Protocol.id) == col(JusteringRound.protocol_id))
        .where(Protocol.organisation_id == org.id, col(JusteringRound.status).in_(("open", "paused")))
        .order_by(col(JusteringRound.deadline), col(JusteringRound.id))
    ).all()
    for rnd, protocol in rounds:
        signed = {c.person_id for c in session.exec(select(JusteringConfirmation).where(
            JusteringConfirmation.round_id == rnd.id, JusteringConfirmation.version_hash == rnd.version_hash))}
        waiting: list[str] = []
        for signer, person in session.exec(
                select(JusteringSigner, Person).join(Person, col(Person.id) == col(JusteringSigner.person_id))
                .where(JusteringSigner.round_id == rnd.id).order_by(col(JusteringSigner.id))).all():
            if signer.person_id not in signed:
                waiting.append(f"{person.name} ({signer.role})" if signer.role else person.name)
        date = protocol.meeting_date.isoformat()
        deadline = rnd.deadline.isoformat()
        sv = f"protokoll {date}: justeras senast {deadline}"
        en = f"protocol {date}: to be verified by {deadline}"
        if rnd.status == "paused":
            sv += ", pausad i väntan på en begärd ändring"
            en += ", paused for a requested change"
        if waiting:
            sv += "; väntar på " + ", ".join(waiting)
            en += "; waiting for " + ", ".join(waiting)
        digest.justering.append(DigestLine(sv, en, f"{org.name}, protokoll {date}", protocol.document_id))


def _reports(session: Session, digest: Digest) -> None:
    org, today = digest.organisation, digest.today
    window = dt.timedelta(days=REPORT_WINDOW_DAYS)
    grants = session.exec(select(Grant).where(Grant.organisation_id == org.id).order_by(col(Grant.id))).all()
    if not grants:
        return
    events = session.exec(select(GrantEvent).where(col(GrantEvent.grant_id).in_([g.id for g in grants]))).all()
    statuses: dict[int, set[str]] = {}
    for event in events:
        statuses.setdefault(event.grant_id, set()).add(event.status)
    for grant in grants:
        seen = statuses.get(grant.id or -1, set())
        if not (seen & set(GRANTED) or grant.status in GRANTED) or "final_report_approved" in seen:
            continue
        source = source_label(session, org, grant.document_id, grant.paragraph_id)
        end = grant.period_end
        if end is not None and today - window <= end <= today + window:
            if end >= today:
                sv = f"{grant.name}: perioden slutar {end.isoformat()}; slutrapport ska lämnas"
                en = f"{grant.name}: the period ends {end.isoformat()}; a final report is due"
            else:
                sv = f"{grant.name}: perioden slutade {end.isoformat()}; ingen godkänd slutrapport ännu"
                en = f"{grant.name}: the period ended {end.isoformat()}; no final report approved yet"
            digest.reports.append(DigestLine(sv, en, source, grant.document_id, grant.paragraph_id))
        duty = " ".join(t for t in (grant.reporting, grant.conditions) if t)
        for _phrase, by in deadlines(duty):
            if today <= by <= today + window:
                digest.reports.append(DigestLine(f"{grant.name}: återrapportering senast {by.isoformat()}",
                                                 f"{grant.name}: report-back due by {by.isoformat()}", source,
                                                 grant.document_id, grant.paragraph_id))
