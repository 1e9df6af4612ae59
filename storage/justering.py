"""Digital justering over the store: rounds, signers, confirmations, change requests, corrected
versions, completion with the anslag dates that follow, and compliance checks of recorded dates.

A round binds a protocol version (its hash) to the designated signers. It is `open` while
signers confirm, `paused` after a change request, `done` when every signer has confirmed the
current version. A corrected version restarts the same round (same thread): confirmations stay
in the table for the certificate, but only those for the round's current hash count.

Nothing here words a chat message: functions return outcomes and handlers/justering.py says
them in Swedish or English. Every step appends to the audit log.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.legal_dates import (
    anslag_post_by,
    appeal_period_end,
    earliest_take_down,
    justering_deadline,
)
from storage.models import (
    AuditLog,
    BoardRole,
    ChangeRequest,
    Document,
    JusteringConfirmation,
    JusteringRound,
    JusteringSigner,
    Organisation,
    Paragraph,
    Person,
    Protocol,
    ProtocolOfficer,
    Reminder,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SECRETARY_ROLES = ("sekreterare", "förbundschef")
ACTIVE_STATUSES = ("open", "paused")
# Signers are listed as a signature page lists them: chair first, then the justerare.
_ROLE_ORDER = {"ordförande": 0, "justerare": 1}


def signing_order(role: str) -> int:
    """Where a signer with these roles ("ordförande, justerare") stands on a signature page."""
    return min(_ROLE_ORDER.get(r, 9) for r in role.split(", "))


def short_hash(version_hash: str) -> str:
    return version_hash[:12]


def genitive(name: str) -> str:
    """Swedish genitive: "Tove Ekbackas", but "Lars" and "Max" take no second s."""
    return name if name[-1:].lower() in ("s", "x", "z") else f"{name}s"


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(STOCKHOLM).date()


def local_time(moment: dt.datetime) -> str:
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M:%S")


def audit(session: Session, organisation_id: int | None, actor: str, action: str, subject: str,
          detail: dict[str, object], now: dt.datetime) -> None:
    session.add(AuditLog(at=now, organisation_id=organisation_id, actor=actor, action=action,
                         subject=subject, detail=json.dumps(detail, ensure_ascii=False, default=str)))


# --- who signs, who administers -----------------------------------------------------------


def signer_roles(organisation: Organisation) -> list[str]:
    return [r.strip().lower() for r in (organisation.signer_roles or "").split(",") if r.strip()]


def designated_signers(session: Session, protocol: Protocol, organisation: Organisation) -> list[tuple[Person, str]]:
    """The people who must justera: the protocol's officers in the organisation's signer roles."""
    roles = signer_roles(organisation)
    by_person: dict[int, tuple[Person, list[str]]] = {}
    rows = session.exec(
        select(ProtocolOfficer, Person)
        .join(Person, col(Person.id) == col(ProtocolOfficer.person_id))
        .where(ProtocolOfficer.protocol_id == protocol.id)
    ).all()
    for officer, person in rows:
        role = officer.role.strip().lower()
        if role not in roles or person.id is None:
            continue
        entry = by_person.setdefault(person.id, (person, []))
        if role not in entry[1]:
            entry[1].append(role)
    signers = [(person, ", ".join(sorted(r, key=lambda x: _ROLE_ORDER.get(x, 9))))
               for person, r in by_person.values()]
    signers.sort(key=lambda s: (min(_ROLE_ORDER.get(r, 9) for r in s[1].split(", ")), s[0].name))
    return signers


def is_secretary(session: Session, person: Person | None, organisation: Organisation,
                 protocol: Protocol | None = None, today: dt.date | None = None) -> bool:
    """Admins, the protocol's sekreterare/förbundschef, or whoever holds that role on the board now."""
    if person is None or person.organisation_id != organisation.id:
        return False
    if person.is_admin:
        return True
    if protocol is not None:
        for officer in session.exec(select(ProtocolOfficer).where(
                ProtocolOfficer.protocol_id == protocol.id, ProtocolOfficer.person_id == person.id)).all():
            if officer.role.strip().lower() in SECRETARY_ROLES:
                return True
    for role in session.exec(select(BoardRole).where(
            BoardRole.person_id == person.id, BoardRole.organisation_id == organisation.id)).all():
        current = today is None or role.valid_to is None or role.valid_to >= today
        if role.role.strip().lower() in SECRETARY_ROLES and current:
            return True
    return False


def secretaries(session: Session, organisation: Organisation, protocol: Protocol | None) -> list[Person]:
    """Who is told about change requests: the protocol's sekreterare/förbundschef and the admins."""
    people: dict[int, Person] = {}
    if protocol is not None:
        for officer, person in session.exec(
            select(ProtocolOfficer, Person).join(Person, col(ProtocolOfficer.person_id) == col(Person.id))
            .where(ProtocolOfficer.protocol_id == protocol.id)
        ).all():
            if officer.role.strip().lower() in SECRETARY_ROLES and person.id is not None:
                people[person.id] = person
    for person in session.exec(select(Person).where(
            Person.organisation_id == organisation.id, col(Person.is_admin).is_(True))).all():
        assert person.id is not None
        people.setdefault(person.id, person)
    return list(people.values())


def person_by_name(session: Session, organisation_id: int, name: str) -> Person | None:
    """A board member by name (console and command line), case and spacing ignored."""
    wanted = " ".join(name.split()).lower()
    for person in session.exec(select(Person).where(Person.organisation_id == organisation_id)).all():
        if " ".join(person.name.split()).lower() == wanted:
            return person
    return None


# --- finding protocols and rounds ---------------------------------------------------------


def protocols_on(session: Session, organisation_id: int | None, day: dt.date,
                 any_year: bool = False) -> list[Protocol]:
    """Protocols of a meeting day (or, for a day named without year, that day in any year), newest first."""
    query = select(Protocol).order_by(col(Protocol.meeting_date).desc())
    if organisation_id is not None:
        query = query.where(Protocol.organisation_id == organisation_id)
    if not any_year:
        return list(session.exec(query.where(Protocol.meeting_date == day)).all())
    return [p for p in session.exec(query).all()
            if (p.meeting_date.month, p.meeting_date.day) == (day.month, day.day)]


def latest_protocol(session: Session, organisation_id: int) -> Protocol | None:
    return session.exec(select(Protocol).where(Protocol.organisation_id == organisation_id)
                        .order_by(col(Protocol.meeting_date).desc())).first()


def active_round(session: Session, protocol_id: int) -> JusteringRound | None:
    return session.exec(select(JusteringRound).where(
        JusteringRound.protocol_id == protocol_id, col(JusteringRound.status).in_(ACTIVE_STATUSES))
        .order_by(col(JusteringRound.id).desc())).first()


def latest_round(session: Session, protocol_id: int) -> JusteringRound | None:
    return session.exec(select(JusteringRound).where(JusteringRound.protocol_id == protocol_id)
                        .order_by(col(JusteringRound.id).desc())).first()


def round_for_thread(session: Session, platform: str, thread_id: str,
                     channel_id: str | None = None) -> JusteringRound | None:
    query = select(JusteringRound).where(JusteringRound.platform == platform,
                                         JusteringRound.thread_id == thread_id)
    if channel_id:
        query = query.where(JusteringRound.channel_id == channel_id)
    return session.exec(query.order_by(col(JusteringRound.id).desc())).first()


def rounds_in_progress(session: Session, organisation_id: int | None) -> list[JusteringRound]:
    query = (select(JusteringRound).join(Protocol, col(Protocol.id) == col(JusteringRound.protocol_id))
             .where(col(JusteringRound.status).in_(ACTIVE_STATUSES)).order_by(col(JusteringRound.id)))
    if organisation_id is not None:
        query = query.where(Protocol.organisation_id == organisation_id)
    return list(session.exec(query).all())


# --- the state of a round -----------------------------------------------------------------


@dataclass
class SignerState:
    person: Person
    role: str
    confirmation: JusteringConfirmation | None  # for the round's current version


@dataclass
class RoundView:
    round: JusteringRound
    protocol: Protocol
    organisation: Organisation
    document: Document
    signers: list[SignerState]
    change_requests: list[ChangeRequest]
    # Confirmations of earlier versions: kept for the certificate, no longer counting.
    earlier: list[tuple[Person, JusteringConfirmation]] = field(default_factory=list)

    @property
    def pending(self) -> list[SignerState]:
        return [s for s in self.signers if s.confirmation is None]

    @property
    def confirmed(self) -> list[SignerState]:
        return [s for s in self.signers if s.confirmation is not None]

    @property
    def open_change_requests(self) -> list[ChangeRequest]:
        return [c for c in self.change_requests if c.resolved_at is None]

    def person(self, person_id: int) -> Person | None:
        for s in self.signers:
            if s.person.id == person_id:
                return s.person
        return None


def view(session: Session, rnd: JusteringRound) -> RoundView:
    protocol = session.get(Protocol, rnd.protocol_id)
    assert protocol is not None
    organisation = session.get(Organisation, protocol.organisation_id)
    document = session.get(Document, protocol.document_id)
    assert organisation is not None and document is not None
    confirmations = session.exec(select(JusteringConfirmation).where(
        JusteringConfirmation.round_id == rnd.id).order_by(col(JusteringConfirmation.confirmed_at))).all()
    current = {c.person_id: c for c in confirmations if c.version_hash == rnd.version_hash}
    signers: list[SignerState] = []
    rows = session.exec(select(JusteringSigner, Person).join(Person, col(Person.id) == col(JusteringSigner.person_id))
                        .where(JusteringSigner.round_id == rnd.id)).all()
    for signer, person in rows:
        signers.append(SignerState(person, signer.role, current.get(signer.person_id)))
    signers.sort(key=lambda s: (min(_ROLE_ORDER.get(r, 9) for r in s.role.split(", ")), s.person.name))
    earlier: list[tuple[Person, JusteringConfirmation]] = []
    for c in confirmations:
        earlier_person = session.get(Person, c.person_id) if c.version_hash != rnd.version_hash else None
        if earlier_person is not None:
            earlier.append((earlier_person, c))
    changes = list(session.exec(select(ChangeRequest).where(ChangeRequest.round_id == rnd.id)
                                .order_by(col(ChangeRequest.created_at))).all())
    return RoundView(rnd, protocol, organisation, document, signers, changes, earlier)


def view_document(session: Session, protocol: Protocol) -> Document:
    document = session.get(Document, protocol.document_id)
    assert document is not None
    return document


def paragraphs(session: Session, protocol: Protocol) -> list[Paragraph]:
    return list(session.exec(select(Paragraph).where(Paragraph.protocol_id == protocol.id)
                             .order_by(col(Paragraph.number), col(Paragraph.id))).all())


# --- start --------------------------------------------------------------------------------


@dataclass
class StartOutcome:
    status: str  # created, exists, already_justerat, no_signers
    round: JusteringRound | None = None


def start_round(session: Session, protocol: Protocol, *, started_by: str, actor: str,
                now: dt.datetime) -> StartOutcome:
    """Opens a round for the protocol's current version, unless one is running or it is justerat."""
    assert protocol.id is not None
    # Two secretaries starting at once must not open two rounds: serialise on the protocol row.
    locked = session.exec(select(Protocol).where(Protocol.id == protocol.id)
                          .with_for_update().execution_options(populate_existing=True)).one()
    organisation = session.get(Organisation, locked.organisation_id)
    assert organisation is not None
    if locked.status == "justerat":
        return StartOutcome("already_justerat", latest_round(session, protocol.id))
    existing = active_round(session, protocol.id)
    if existing is not None:
        return StartOutcome("exists", existing)
    signers = designated_signers(session, locked, organisation)
    if not signers:
        return StartOutcome("no_signers")
    deadline = justering_deadline(locked.meeting_date, locked.justering_deadline)
    rnd = JusteringRound(protocol_id=protocol.id, version_hash=locked.version_hash, status="open",
                         deadline=deadline, started_by=started_by, started_at=now)
    session.add(rnd)
    session.flush()
    assert rnd.id is not None
    for person, role in signers:
        assert person.id is not None
        session.add(JusteringSigner(round_id=rnd.id, person_id=person.id, role=role))
    # The certificate is built from the log (storage/certificate.py): every fact it shows is here.
    audit(session, organisation.id, actor, "justering.started", f"justering_round:{rnd.id}",
          {"protocol_id": protocol.id, "meeting_date": locked.meeting_date, "version_hash": locked.version_hash,
           "deadline": deadline, "started_by": started_by, "signers": [f"{p.name} ({r})" for p, r in signers],
           "signer_list": _signer_list(signers)}, now)
    session.flush()
    return StartOutcome("created", rnd)


def _signer_list(signers: list[tuple[Person, str]]) -> list[dict[str, object]]:
    return [{"person_id": p.id, "name": p.name, "role": role} for p, role in signers]


def bind_thread(session: Session, round_id: int, platform: str, channel_id: str, thread_id: str,
                now: dt.datetime) -> bool:
    rnd = session.get(JusteringRound, round_id)
    if rnd is None:
        return False
    rnd.platform, rnd.channel_id, rnd.thread_id = platform, channel_id, thread_id
    session.add(rnd)
    protocol = session.get(Protocol, rnd.protocol_id)
    audit(session, protocol.organisation_id if protocol else None, "bot", "justering.thread_bound",
          f"justering_round:{round_id}", {"platform": platform, "channel": channel_id, "thread": thread_id}, now)
    return True


# --- confirm ------------------------------------------------------------------------------


@dataclass
class ConfirmOutcome:
    # confirmed, ready (checked, not recorded), already, not_signer, changed, paused, closed, unknown_round
    status: str
    view: RoundView | None = None
    confirmation: JusteringConfirmation | None = None
    completed: bool = False


# A typed version must be at least what the thread shows (short_hash): fewer hex digits would
# let a corrected text be crafted to share the prefix of the one the signer read.
MIN_SHOWN_HASH = 12


def version_matches(shown: str, current: str) -> bool:
    """Whether the version a signer was shown (full hash, or at least its shown prefix) is `current`."""
    shown = shown.strip().lower()
    return len(shown) >= MIN_SHOWN_HASH and current.lower().startswith(shown)


def confirm(session: Session, round_id: int, person: Person | None, *, version_hash: str | None, platform: str,
            platform_user_id: str | None, actor: str, now: dt.datetime, record: bool = True) -> ConfirmOutcome:
    """Registers one signer's confirmation of the version they were shown (`version_hash`).

    A confirmation is bound to a text: when the round's text is no longer the one shown, it is
    refused ("changed") and nothing is recorded. With `record=False` the same checks run and a
    signer who may confirm gets "ready": the caller asks once more, showing the version.

    The confirmation row must be the first write of the caller's transaction: a concurrent
    duplicate fails on the UNIQUE constraint, and the transaction is rolled back as a whole
    (pysqlite cannot be trusted with savepoints), after which the refusal is audited.
    """
    rnd = session.get(JusteringRound, round_id)
    if rnd is None:
        return ConfirmOutcome("unknown_round")
    current = view(session, rnd)
    org_id = current.organisation.id
    subject = f"justering_round:{round_id}"
    who: dict[str, object] = {"person": person.name if person else None, "person_id": person.id if person else None,
                              "platform": platform, "user_id": platform_user_id}
    signer = next((s for s in current.signers if person is not None and s.person.id == person.id), None)
    if signer is None:
        audit(session, org_id, actor, "justering.confirm_refused", subject, {**who, "reason": "not a signer"}, now)
        return ConfirmOutcome("not_signer", current)
    if version_hash is not None and not version_matches(version_hash, rnd.version_hash):
        audit(session, org_id, actor, "justering.confirm_refused", subject,
              {**who, "reason": "version changed", "shown_hash": version_hash, "version_hash": rnd.version_hash},
              now)
        return ConfirmOutcome("changed", current)
    if record and version_hash is None:
        raise ValueError("a confirmation must name the version the signer was shown")
    if signer.confirmation is not None:
        audit(session, org_id, actor, "justering.confirm_repeated", subject, who, now)
        return ConfirmOutcome("already", current, signer.confirmation)
    if rnd.status in ("done", "superseded"):
        audit(session, org_id, actor, "justering.confirm_refused", subject, {**who, "reason": rnd.status}, now)
        return ConfirmOutcome("closed", current)
    if rnd.status == "paused":
        audit(session, org_id, actor, "justering.confirm_refused", subject, {**who, "reason": "paused"}, now)
        return ConfirmOutcome("paused", current)
    if not record:
        return ConfirmOutcome("ready", current)
    assert person is not None and person.id is not None
    person_id = person.id
    version = rnd.version_hash
    confirmation = JusteringConfirmation(round_id=round_id, person_id=person_id, version_hash=version,
                                         platform=platform, platform_user_id=platform_user_id, confirmed_at=now)
    session.add(confirmation)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        rnd = session.get(JusteringRound, round_id)
        assert rnd is not None
        current = view(session, rnd)
        audit(session, org_id, actor, "justering.confirm_repeated", subject, {**who, "race": True}, now)
        existing = next((s.confirmation for s in current.signers if s.person.id == person_id), None)
        return ConfirmOutcome("already", current, existing)
    # The last two signers confirming at once must see each other: lock the round, then count.
    # NO KEY UPDATE: each confirmation's foreign key already holds a KEY SHARE lock on the round,
    # which a plain FOR UPDATE would wait for, and two signers would deadlock.
    rnd = session.exec(select(JusteringRound).where(JusteringRound.id == round_id)
                       .with_for_update(key_share=True)  # FOR NO KEY UPDATE on PostgreSQL
                       .execution_options(populate_existing=True)).one()
    audit(session, org_id, actor, "justering.confirmed", subject,
          {**who, "version_hash": version, "role": signer.role}, now)
    current = view(session, rnd)
    completed = False
    if rnd.status == "open" and rnd.version_hash == version and not current.pending:
        complete(session, rnd, actor=actor, now=now)
        completed = True
        current = view(session, rnd)
    return ConfirmOutcome("confirmed", current, confirmation, completed)


def complete(session: Session, rnd: JusteringRound, *, actor: str, now: dt.datetime) -> None:
    """Every signer has confirmed: the protocol is justerat and its anslag dates follow."""
    current = view(session, rnd)
    if current.pending:
        raise ValueError("not every signer has confirmed")
    last = max(s.confirmation.confirmed_at for s in current.signers if s.confirmation is not None)
    day = local_day(last)
    protocol = current.protocol
    rnd.status = "done"
    rnd.completed_at = now
    platforms = sorted({s.confirmation.platform for s in current.signers if s.confirmation is not None})
    protocol.status = "justerat"
    protocol.justering_date = day
    protocol.justering_method = "digitalt via boardbot (" + ", ".join(platforms) + ")"
    protocol.anslag_post_by = anslag_post_by(day)
    # Until the real posting day is known, the latest lawful one gives a take-down day that is
    # safe whenever within the limit the notice goes up.
    protocol.anslag_take_down_from = earliest_take_down(protocol.anslag_posted or protocol.anslag_post_by)
    session.add(rnd)
    session.add(protocol)
    audit(session, current.organisation.id, actor, "justering.completed", f"justering_round:{rnd.id}",
          {"protocol_id": protocol.id, "justering_date": day, "version_hash": rnd.version_hash,
           "late": day > rnd.deadline, "anslag_post_by": protocol.anslag_post_by,
           "anslag_take_down_from": protocol.anslag_take_down_from}, now)
    session.flush()


# --- change requests ----------------------------------------------------------------------


@dataclass
class ChangeOutcome:
    status: str  # recorded, not_allowed, closed, unknown_round
    view: RoundView | None = None
    request: ChangeRequest | None = None


def request_change(session: Session, round_id: int, person: Person | None, text: str, *,
                   may_request: bool, actor: str, now: dt.datetime) -> ChangeOutcome:
    """Records a change request and pauses the round until a new version or a resume."""
    rnd = session.get(JusteringRound, round_id)
    if rnd is None:
        return ChangeOutcome("unknown_round")
    current = view(session, rnd)
    subject = f"justering_round:{round_id}"
    org_id = current.organisation.id
    is_signer = person is not None and any(s.person.id == person.id for s in current.signers)
    if person is None or not (is_signer or may_request):
        audit(session, org_id, actor, "justering.change_refused", subject,
              {"person": person.name if person else None, "text": text}, now)
        return ChangeOutcome("not_allowed", current)
    if rnd.status in ("done", "superseded"):
        audit(session, org_id, actor, "justering.change_refused", subject,
              {"person": person.name, "text": text, "reason": rnd.status}, now)
        return ChangeOutcome("closed", current)
    assert person.id is not None
    request = ChangeRequest(round_id=round_id, person_id=person.id, text=text, created_at=now)
    session.add(request)
    rnd.status = "paused"
    session.add(rnd)
    session.flush()
    audit(session, org_id, actor, "justering.change_requested", subject,
          {"person": person.name, "text": text, "change_request_id": request.id,
           "version_hash": rnd.version_hash}, now)
    return ChangeOutcome("recorded", view(session, rnd), request)


def resume(session: Session, rnd: JusteringRound, *, resolution: str, actor: str, now: dt.datetime) -> RoundView:
    """The secretary decides no change is needed: requests are closed and the round goes on."""
    for request in session.exec(select(ChangeRequest).where(
            ChangeRequest.round_id == rnd.id, col(ChangeRequest.resolved_at).is_(None))).all():
        request.resolved_at = now
        request.resolution = resolution
        session.add(request)
    rnd.status = "open"
    session.add(rnd)
    session.flush()
    current = view(session, rnd)
    audit(session, current.organisation.id, actor, "justering.resumed", f"justering_round:{rnd.id}",
          {"resolution": resolution}, now)
    if not current.pending and current.signers:
        complete(session, rnd, actor=actor, now=now)
        current = view(session, rnd)
    return current


# --- a corrected version ------------------------------------------------------------------

_PARAGRAPH_MARK = re.compile(r"(?m)^[^\S\n]*(?:[-*•][^\S\n]*)?(?:\*\*)?§[^\S\n]*(\d+)\b")


def split_paragraph_texts(text: str) -> dict[int, str]:
    """The text of each § of a protocol, keyed by number (0: what comes before the first §).

    Compared between two versions, so the same splitter on both sides is what matters; it
    reads the stored document text, not the parsed paragraphs, because the loader replaces
    those before a new version is announced.
    """
    parts: dict[int, list[str]] = {}
    matches = list(_PARAGRAPH_MARK.finditer(text))
    parts[0] = [text[: matches[0].start()] if matches else text]
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        parts.setdefault(int(m.group(1)), []).append(text[m.start():end])
    return {n: " ".join(" ".join(chunks).split()) for n, chunks in parts.items()}


@dataclass(frozen=True)
class ParagraphChange:
    number: int  # 0: the protocol's opening (attendance, justerare, ...)
    title: str
    kind: str  # changed, added, removed


def diff_paragraphs(old_text: str, new_text: str, titles: dict[int, str]) -> list[ParagraphChange]:
    old, new = split_paragraph_texts(old_text), split_paragraph_texts(new_text)
    changes: list[ParagraphChange] = []
    for number in sorted(set(old) | set(new)):
        if number not in old:
            kind = "added"
        elif number not in new:
            kind = "removed"
        elif old[number] != new[number]:
            kind = "changed"
        else:
            continue
        if number == 0 and not (old.get(0) or new.get(0)):
            continue
        title = titles.get(number) or _first_words(new.get(number) or old.get(number) or "", number)
        changes.append(ParagraphChange(number, title, kind))
    return changes


def _first_words(chunk: str, number: int) -> str:
    rest = re.sub(r"^[-*•\s]*(?:\*\*)?§\s*\d+\.?\s*", "", chunk).replace("*", "")
    return " ".join(rest.split()[:6])


@dataclass
class RoundRestart:
    round_id: int
    status: str  # restarted, changed_after_justering
    old_hash: str
    new_hash: str
    changes: list[ParagraphChange] | None  # None: no earlier text to compare with
    signers: list[str]
    notified: list[str]  # outbox recipients


def on_new_version(session: Session, protocol: Protocol, previous_document: Document | None = None,
                   now: dt.datetime | None = None) -> list[RoundRestart]:
    """A corrected protocol replaced an older version (called by the loader, same transaction).

    Open and paused rounds restart on the new hash: earlier confirmations stop counting, open
    change requests are resolved by the new version, and each signer is told which paragraphs
    changed through the reminder outbox. A round already done is not reopened (the signed
    text stays signed); the secretary is told that the stored text now differs.
    """
    now = now or dt.datetime.now(dt.UTC)
    assert protocol.id is not None
    organisation = session.get(Organisation, protocol.organisation_id)
    new_document = session.get(Document, protocol.document_id)
    assert organisation is not None and new_document is not None
    results: list[RoundRestart] = []
    rounds = session.exec(select(JusteringRound).where(JusteringRound.protocol_id == protocol.id)
                          .order_by(col(JusteringRound.id))).all()
    titles = {p.number: p.title for p in paragraphs(session, protocol)}
    changes = (diff_paragraphs(previous_document.text, new_document.text, titles)
               if previous_document is not None else None)
    for rnd in rounds:
        if rnd.version_hash == protocol.version_hash or rnd.status == "superseded":
            continue
        if rnd.status == "done" and rnd is not rounds[-1]:
            continue
        old_hash = rnd.version_hash
        subject = f"justering_round:{rnd.id}"
        if rnd.status == "done":
            recipients = _notify(session, organisation, rnd, secretaries(session, organisation, protocol),
                                 "justering_changed_after", _changed_after_text(protocol, organisation, old_hash,
                                                                                changes), now)
            audit(session, organisation.id, "ingest", "justering.version_after_done", subject,
                  {"old_hash": old_hash, "new_hash": protocol.version_hash,
                   "changes": [c.__dict__ for c in changes or []]}, now)
            results.append(RoundRestart(rnd.id or 0, "changed_after_justering", old_hash, protocol.version_hash,
                                        changes, [], recipients))
            continue
        rnd.version_hash = protocol.version_hash
        rnd.status = "open"
        rnd.deadline = justering_deadline(protocol.meeting_date, protocol.justering_deadline)
        session.add(rnd)
        for request in session.exec(select(ChangeRequest).where(
                ChangeRequest.round_id == rnd.id, col(ChangeRequest.resolved_at).is_(None))).all():
            request.resolved_at = now
            request.resolution = f"ny version {short_hash(protocol.version_hash)}"
            session.add(request)
        signer_names = _refresh_signers(session, rnd, protocol, organisation, now)
        session.flush()
        people = [s.person for s in view(session, rnd).signers]
        recipients = _notify(session, organisation, rnd, people, "justering_new_version",
                             _new_version_text(protocol, organisation, old_hash, changes), now)
        audit(session, organisation.id, "ingest", "justering.restarted", subject,
              {"old_hash": old_hash, "new_hash": protocol.version_hash, "deadline": rnd.deadline,
               "changes": [c.__dict__ for c in changes or []], "notified": recipients,
               "signer_list": _signer_list([(s.person, s.role) for s in view(session, rnd).signers])}, now)
        results.append(RoundRestart(rnd.id or 0, "restarted", old_hash, protocol.version_hash, changes,
                                    signer_names, recipients))
    session.flush()
    return results


def _refresh_signers(session: Session, rnd: JusteringRound, protocol: Protocol, organisation: Organisation,
                     now: dt.datetime) -> list[str]:
    """The corrected text may name other justerare: follow it, keeping the old ones if it names none."""
    wanted = designated_signers(session, protocol, organisation)
    if not wanted:
        return [s.person.name for s in view(session, rnd).signers]
    assert rnd.id is not None
    wanted_ids = {p.id: role for p, role in wanted}
    for signer in session.exec(select(JusteringSigner).where(JusteringSigner.round_id == rnd.id)).all():
        if signer.person_id not in wanted_ids:
            session.delete(signer)
            audit(session, organisation.id, "ingest", "justering.signer_removed", f"justering_round:{rnd.id}",
                  {"person_id": signer.person_id}, now)
        else:
            signer.role = wanted_ids.pop(signer.person_id)
            session.add(signer)
    for person_id, role in wanted_ids.items():
        assert person_id is not None
        session.add(JusteringSigner(round_id=rnd.id, person_id=person_id, role=role))
        audit(session, organisation.id, "ingest", "justering.signer_added", f"justering_round:{rnd.id}",
              {"person_id": person_id, "role": role}, now)
    return [p.name for p, _ in wanted]


def describe_changes(changes: list[ParagraphChange] | None) -> str:
    if changes is None:
        return "vilka paragrafer som ändrats kunde inte avgöras (den tidigare texten saknas)"
    if not changes:
        return "inga paragrafer har ändrats i sak (bara formen)"
    kinds = {"changed": "ändrad", "added": "ny", "removed": "borttagen"}
    parts = []
    for c in changes:
        label = "inledningen" if c.number == 0 else f"§ {c.number} {c.title}".strip()
        parts.append(f"{label} ({kinds[c.kind]})")
    return ", ".join(parts)


def _new_version_text(protocol: Protocol, organisation: Organisation, old_hash: str,
                      changes: list[ParagraphChange] | None) -> str:
    return (f"Ny version av protokollet från {protocol.meeting_date.isoformat()} ({organisation.name}, ojusterat): "
            f"{short_hash(old_hash)} → {short_hash(protocol.version_hash)}. Ändrat: {describe_changes(changes)}. "
            "Tidigare justeringar gäller inte längre; justera den nya versionen i justeringstråden.")


def _changed_after_text(protocol: Protocol, organisation: Organisation, old_hash: str,
                        changes: list[ParagraphChange] | None) -> str:
    return (f"Protokollet från {protocol.meeting_date.isoformat()} ({organisation.name}) justerades i version "
            f"{short_hash(old_hash)}, men en ny version {short_hash(protocol.version_hash)} har lästs in. "
            f"Ändrat: {describe_changes(changes)}. Den nya texten är inte justerad; starta en ny justering "
            "om den ska gälla.")


def _notify(session: Session, organisation: Organisation, rnd: JusteringRound, people: list[Person],
            kind: str, text: str, now: dt.datetime) -> list[str]:
    """Queues a message per person in the scheduler's outbox, which delivers each exactly once."""
    assert organisation.id is not None
    recipients: list[str] = []
    for person in people:
        if person.slack_user_id and rnd.platform in (None, "slack", "console"):
            recipient = f"slack:{person.slack_user_id}"
        elif rnd.platform and rnd.channel_id and rnd.platform != "console":
            recipient = f"{rnd.platform}:{rnd.channel_id}"
        elif person.slack_user_id:
            recipient = f"slack:{person.slack_user_id}"
        else:
            recipient = "console"
        if recipient not in recipients:
            recipients.append(recipient)
    for recipient in recipients:
        session.add(Reminder(organisation_id=organisation.id, kind=kind,
                             subject=f"justering_round:{rnd.id}:{short_hash(rnd.version_hash)}",
                             recipient=recipient, due_at=now, text=text))
    return recipients


# --- a signer's chat identity ---------------------------------------------------------------


@dataclass
class IdentityChange:
    """A signer's chat identity changed while a round they sign was running."""

    round_id: int
    meeting_date: dt.date
    organisation: str
    person: str
    voided: bool  # their confirmation of the current version no longer counts
    notified: list[str]  # outbox recipients: the old account, the new one, the secretaries


def _account(platform: str, user_id: str | None) -> str:
    return f"{platform}:{user_id}" if user_id else ""


def signer_identity_changed(session: Session, person: Person, platform: str, old_user_id: str | None,
                            new_user_id: str | None, *, by: str, actor: str, now: dt.datetime) -> list[IdentityChange]:
    """Consequences of re-pointing a person's chat identity, for each running round they sign.

    Whoever holds a signer's chat identity can confirm in their name, so a change during a
    round must not pass silently: the signer's confirmation of the current version is voided
    (they confirm again from the account now linked), the change goes to the audit log (and so
    onto the certificate), and the old account, the new account and the secretaries are told
    through the outbox. Called in the same transaction as the change itself.
    """
    if old_user_id == new_user_id or person.id is None:
        return []
    rounds = session.exec(
        select(JusteringRound).join(JusteringSigner, col(JusteringSigner.round_id) == col(JusteringRound.id))
        .where(JusteringSigner.person_id == person.id, col(JusteringRound.status).in_(ACTIVE_STATUSES))
        .order_by(col(JusteringRound.id))).all()
    changes: list[IdentityChange] = []
    for rnd in rounds:
        assert rnd.id is not None
        current = view(session, rnd)
        confirmation = next((s.confirmation for s in current.signers if s.person.id == person.id), None)
        voided: dict[str, object] | None = None
        if confirmation is not None:
            voided = {"confirmed_at": confirmation.confirmed_at, "platform": confirmation.platform,
                      "user_id": confirmation.platform_user_id, "version_hash": confirmation.version_hash}
            session.delete(confirmation)
        meeting = current.protocol.meeting_date.isoformat()
        old_shown, new_shown = old_user_id or "ingen", new_user_id or "ingen"
        text = (f"Säkerhet: {genitive(person.name)} {platform}-konto ändrades under justeringen av protokollet från "
                f"{meeting} ({current.organisation.name}): {old_shown} → {new_shown}, av {by}.")
        text += (f" {genitive(person.name)} justering ({local_time(confirmation.confirmed_at)[:16]}) gäller därför inte "
                 "längre; den behöver göras om från det konto som nu är kopplat." if confirmation is not None
                 else " Ändringen syns i justeringsintyget.")
        text += " Kontakta sekreteraren om ändringen inte var väntad."
        recipients = [r for r in (_account(platform, old_user_id), _account(platform, new_user_id)) if r]
        for secretary in secretaries(session, current.organisation, current.protocol):
            # Told on the platform where the change was made, else wherever they can be reached.
            accounts = {"slack": _account("slack", secretary.slack_user_id),
                        "teams": _account("teams", secretary.teams_aad_id)}
            recipients.append(accounts.get(platform) or accounts["slack"] or accounts["teams"] or "console")
        recipients = list(dict.fromkeys(recipients))
        assert current.organisation.id is not None
        for recipient in recipients:
            session.add(Reminder(organisation_id=current.organisation.id, kind="justering_identity_changed",
                                 subject=f"justering_round:{rnd.id}:person:{person.id}:{now.isoformat()}",
                                 recipient=recipient, due_at=now, text=text))
        audit(session, current.organisation.id, actor, "justering.signer_identity_changed",
              f"justering_round:{rnd.id}",
              {"person_id": person.id, "person": person.name, "platform": platform, "old_user_id": old_user_id,
               "new_user_id": new_user_id, "by": by, "voided_confirmation": voided, "notified": recipients}, now)
        changes.append(IdentityChange(rnd.id, current.protocol.meeting_date, current.organisation.name,
                                      person.name, confirmation is not None, recipients))
    session.flush()
    return changes


# --- the anslag ---------------------------------------------------------------------------


def record_anslag(session: Session, protocol: Protocol, *, posted: dt.date | None, removed: dt.date | None,
                  actor: str, now: dt.datetime) -> None:
    """The secretary tells when the notice went up (and came down); take-down follows the real day."""
    if posted is not None:
        protocol.anslag_posted = posted
        protocol.anslag_take_down_from = earliest_take_down(posted)
    if removed is not None:
        protocol.anslag_removed = removed
    session.add(protocol)
    audit(session, protocol.organisation_id, actor, "anslag.recorded", f"protocol:{protocol.id}",
          {"posted": posted, "removed": removed}, now)
    session.flush()


# --- compliance ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One thing about a protocol's recorded dates that breaks the rules."""

    code: str  # justering_late, anslag_before_justering, anslag_late, anslag_late_after_meeting, anslag_too_short
    protocol: Protocol
    organisation: Organisation
    document: Document
    dates: dict[str, dt.date]
    days: int | None = None


@dataclass
class ComplianceReport:
    findings: list[Finding] = field(default_factory=list)
    correct: list[tuple[Protocol, Organisation, Document]] = field(default_factory=list)
    # Justerat, but without the dates a check needs (e.g. no anslag date recorded).
    unchecked: list[tuple[Protocol, Organisation, Document, str]] = field(default_factory=list)


def check_protocol(protocol: Protocol, organisation: Organisation, document: Document) -> list[Finding]:
    found: list[Finding] = []

    def add(code: str, days: int | None = None, **dates: dt.date) -> None:
        found.append(Finding(code, protocol, organisation, document, dates, days))

    deadline = justering_deadline(protocol.meeting_date, protocol.justering_deadline)
    justerat, posted, removed = protocol.justering_date, protocol.anslag_posted, protocol.anslag_removed
    if justerat is not None and justerat > deadline:
        add("justering_late", (justerat - protocol.meeting_date).days, justerat=justerat, deadline=deadline,
            meeting=protocol.meeting_date)
    if posted is not None and justerat is not None:
        if posted < justerat:
            add("anslag_before_justering", (justerat - posted).days, posted=posted, justerat=justerat)
        elif posted > anslag_post_by(justerat):
            add("anslag_late", (posted - justerat).days, posted=posted, justerat=justerat,
                post_by=anslag_post_by(justerat))
    elif posted is not None:
        # Without a justering date, the latest lawful posting is two days after the last lawful
        # justering day: a notice later than that was late whichever step slipped.
        latest = anslag_post_by(deadline)
        if posted > latest:
            add("anslag_late_after_meeting", (posted - protocol.meeting_date).days, posted=posted,
                meeting=protocol.meeting_date, deadline=deadline, post_by=latest)
    if posted is not None and removed is not None:
        # Notices are dated with the last day they are up (seeds 001 and 004 write posted + 21
        # days), so a take-down dated the last day of the appeal period is in order.
        end = appeal_period_end(posted)
        if removed < end:
            add("anslag_too_short", (removed - posted).days, posted=posted, removed=removed, appeal_end=end)
    return found


def check_compliance(session: Session, organisation_id: int | None = None) -> ComplianceReport:
    """Checks every justerat protocol (in the bot or ingested as justerat) against the date rules."""
    report = ComplianceReport()
    query = (select(Protocol, Organisation, Document)
             .join(Organisation, col(Organisation.id) == col(Protocol.organisation_id))
             .join(Document, col(Document.id) == col(Protocol.document_id))
             .order_by(col(Organisation.name), col(Protocol.meeting_date)))
    if organisation_id is not None:
        query = query.where(Protocol.organisation_id == organisation_id)
    for protocol, organisation, document in session.exec(query).all():
        if not (protocol.status == "justerat" or protocol.justering_date or protocol.anslag_posted):
            continue
        findings = check_protocol(protocol, organisation, document)
        report.findings.extend(findings)
        if protocol.anslag_posted is None:
            report.unchecked.append((protocol, organisation, document, "no_anslag"))
        elif not findings:
            report.correct.append((protocol, organisation, document))
    return report
