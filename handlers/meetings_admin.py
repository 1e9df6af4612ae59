"""`möte 2024-02-02 09:00 Timrå`: add, move or cancel a planned meeting (admins only, audited).

    möte 2024-02-02 09:00-12:00 Timrå          adds (or changes time/place of) that day's meeting
    möte planeringsdag 11 oktober 9-15 Timrå   the same for a planning day
    möte flytta 2024-02-02 till 2024-02-09 10:00 Härnösand
    möte ställ in 2024-02-02

The scheduler re-plans reminders from the meeting rows on its next run: pending reminders
for the old time are cancelled, and anyone already reminded of the old time is told of the
change. The command line (`boardbot meeting …`) uses the same functions.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from sqlmodel import Session, col, select

from handlers.admins import may_administer
from handlers.context import Context
from handlers.messages import Reply
from handlers.registry import command
from storage.models import AuditLog, Meeting, Organisation
from storage.swedish import long_date, weekday_short_alternation
from storage.swedish.dates import complete_year, leading_date, make_date
from storage.types import utcnow

KINDS = {"styrelsemöte": "styrelsemöte", "planeringsdag": "planeringsdag",
         "verksamhetsplaneringsdag": "planeringsdag", "board": "styrelsemöte", "planning": "planeringsdag"}
_WEEKDAY_WORD = re.compile(rf"^(?:{weekday_short_alternation()})[a-zåäö]*\.?\s+", re.IGNORECASE)
_TIME = re.compile(
    r"^(?:kl\.?\s*)?(\d{1,2})(?:[:.](\d{2}))?(?:\s*[-–]\s*(\d{1,2})(?:[:.](\d{2}))?)?(?=\s|,|$)", re.IGNORECASE)
# What starts like a date, valid or not ("2024-02-30", "3 februari", "3 feb"): a command to
# change a meeting, answered with what is wrong in it, rather than a question about meetings.
_DATE_SHAPE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}\b|^\d{1,2}\s+[a-zåäö]+\.?(?:\s+\d{4})?\b", re.IGNORECASE)
_CANCEL_WORDS = ("ställ in", "ställa in", "inställt", "avboka", "stryk", "cancel")
_MOVE_WORDS = ("flytta", "move")


class MeetingInputError(ValueError):
    def __init__(self, sv: str, en: str) -> None:
        super().__init__(sv)
        self.sv = sv
        self.en = en


@dataclass(frozen=True)
class MeetingSpec:
    date: dt.date
    start: dt.time | None
    end: dt.time | None
    place: str | None
    kind: str | None  # None: not said (a new meeting is a styrelsemöte)


@dataclass(frozen=True)
class MeetingChange:
    meeting: Meeting
    action: str  # meeting.created, meeting.updated, meeting.moved, meeting.cancelled
    sv: str
    en: str


def describe(meeting: Meeting) -> str:
    text = f"{meeting.kind} {long_date(meeting.date)}"
    if meeting.start_time is not None:
        text += f" kl. {meeting.start_time.strftime('%H.%M')}"
        if meeting.end_time is not None:
            text += f"–{meeting.end_time.strftime('%H.%M')}"
    if meeting.place:
        text += f", {meeting.place}"
    return text


# --- parsing --------------------------------------------------------------------------------


def _bad_date(text: str) -> MeetingInputError:
    return MeetingInputError(
        f"Jag förstår inte datumet i \"{text}\". Skriv t.ex. 2024-02-02 eller 2 februari 2024.",
        f"I do not understand the date in \"{text}\". Write e.g. 2024-02-02 or 2 February 2024.")


def parse_date(text: str, today: dt.date) -> tuple[dt.date, str]:
    """A date at the start of `text` and the rest; a date without year is the next such day."""
    text = _WEEKDAY_WORD.sub("", text.strip(), count=1)
    found = leading_date(text)
    if found is not None:
        if found.year is not None:
            day = make_date(found.year, found.month, found.day)
        else:
            day = complete_year(found.month, found.day, today, behind_days=0)
        if day is not None:
            return day, text[found.end:].strip()
    raise _bad_date(text)


def _clock(hour: str, minute: str | None) -> dt.time:
    h, m = int(hour), int(minute or 0)
    if not (0 <= h <= 23 and 0 <= m <= 59):
        raise MeetingInputError(f"{hour}:{minute or '00'} är ingen giltig tid.", f"{hour}:{minute or '00'} is not a valid time.")
    return dt.time(h, m)


def parse_spec(text: str, today: dt.date) -> MeetingSpec:
    """"[planeringsdag] <datum> [<tid>[-<tid>]] [plats]"."""
    words = text.strip().split(maxsplit=1)
    kind = None
    if words and words[0].lower() in KINDS:
        kind = KINDS[words[0].lower()]
        text = words[1] if len(words) > 1 else ""
    if not text.strip():
        raise MeetingInputError("Skriv datum, tid och plats, t.ex. `möte 2024-02-02 09:00 Kommunhuset`.",
                                "Give date, time and place, e.g. `meeting 2024-02-02 09:00 Town hall`.")
    day, rest = parse_date(text, today)
    start = end = None
    rest = rest.lstrip(", ")
    time_match = _TIME.match(rest)
    # A bare number is a time only as "kl. 9" or a range "9-12"; otherwise it may be an address.
    if time_match and (time_match.group(2) or time_match.group(3) or rest.lower().startswith("kl")):
        start = _clock(time_match.group(1), time_match.group(2))
        if time_match.group(3):
            end = _clock(time_match.group(3), time_match.group(4))
            if end <= start:
                raise MeetingInputError("Sluttiden måste vara efter starttiden.", "The end must be after the start.")
        rest = rest[time_match.end():]
    place = re.sub(r"^(?:[,–-]\s*|i\s+|in\s+|at\s+)", "", rest.strip(), flags=re.IGNORECASE).strip(" ,")
    return MeetingSpec(day, start, end, place or None, kind)


# --- changes --------------------------------------------------------------------------------


def _audit(session: Session, organisation: Organisation, actor: str, action: str, meeting: Meeting,
           before: dict[str, str | None] | None) -> None:
    # The change becomes the meeting's source (who, when); the document and § it was cited to
    # before stay in the audit row's "before".
    meeting.changed_by = actor
    meeting.changed_at = utcnow()
    meeting.document_id = None
    meeting.paragraph_id = None
    meeting.part_id = None
    session.add(meeting)
    after = {"date": meeting.date.isoformat(), "start": meeting.start_time.isoformat() if meeting.start_time else None,
             "end": meeting.end_time.isoformat() if meeting.end_time else None, "place": meeting.place,
             "kind": meeting.kind, "status": meeting.status}
    session.add(AuditLog(organisation_id=organisation.id, actor=actor, action=action, subject=f"meeting:{meeting.id}",
                         detail=json.dumps({"before": before, "after": after}, ensure_ascii=False)))


def _snapshot(meeting: Meeting) -> dict[str, str | None]:
    return {"date": meeting.date.isoformat(), "start": meeting.start_time.isoformat() if meeting.start_time else None,
            "end": meeting.end_time.isoformat() if meeting.end_time else None, "place": meeting.place,
            "kind": meeting.kind, "status": meeting.status,
            "document_id": str(meeting.document_id) if meeting.document_id is not None else None,
            "paragraph_id": str(meeting.paragraph_id) if meeting.paragraph_id is not None else None,
            "changed_by": meeting.changed_by}


def _set_times(meeting: Meeting, spec: MeetingSpec) -> None:
    """A new start without an end keeps the meeting's length ("kl. 10" moves 9-12 to 10-13)."""
    if spec.start is None:
        return
    end = spec.end
    if end is None and meeting.start_time is not None and meeting.end_time is not None:
        length = (dt.datetime.combine(meeting.date, meeting.end_time)
                  - dt.datetime.combine(meeting.date, meeting.start_time))
        shifted = dt.datetime.combine(meeting.date, spec.start) + length
        end = shifted.time() if shifted.date() == meeting.date else None
    meeting.start_time, meeting.end_time = spec.start, end


def _not_past(day: dt.date, today: dt.date) -> None:
    if day < today:
        raise MeetingInputError(f"{day.isoformat()} har redan varit; jag lägger bara in kommande möten.",
                                f"{day.isoformat()} has passed; I only add meetings still ahead.")


def _reminder_note(organisation: Organisation) -> tuple[str, str]:
    days = " och ".join(d.strip() for d in (organisation.meeting_reminder_days or "").split(",") if d.strip())
    at = organisation.reminder_time.strftime("%H.%M") if organisation.reminder_time else "09.00"
    return (f" Påminnelser går ut {days} dagar före, kl. {at}.", f" Reminders go out {days.replace('och', 'and')} "
            f"days before, at {at}.")


def _on_day(session: Session, organisation: Organisation, day: dt.date, kind: str | None,
            include_cancelled: bool = False) -> list[Meeting]:
    query = select(Meeting).where(Meeting.organisation_id == organisation.id, Meeting.date == day)
    if kind:
        query = query.where(Meeting.kind == kind)
    if not include_cancelled:
        query = query.where(Meeting.status != "cancelled")
    return list(session.exec(query.order_by(col(Meeting.id))).all())


def _one_on_day(session: Session, organisation: Organisation, day: dt.date, kind: str | None) -> Meeting:
    found = _on_day(session, organisation, day, kind)
    if not found:
        raise MeetingInputError(f"Jag hittar inget inplanerat möte {day.isoformat()} för {organisation.name}.",
                                f"I find no planned meeting on {day.isoformat()} for {organisation.name}.")
    if len(found) > 1:
        raise MeetingInputError(f"Det finns flera möten {day.isoformat()}; skriv vilket, t.ex. `planeringsdag`.",
                                f"There are several meetings on {day.isoformat()}; say which, e.g. `planeringsdag`.")
    return found[0]


def add_or_update_meeting(session: Session, organisation: Organisation, spec: MeetingSpec, actor: str,
                          today: dt.date) -> MeetingChange:
    _not_past(spec.date, today)
    kind = spec.kind or "styrelsemöte"
    existing = _on_day(session, organisation, spec.date, kind, include_cancelled=True)
    note_sv, note_en = _reminder_note(organisation)
    if existing:
        meeting = existing[0]
        before = _snapshot(meeting)
        _set_times(meeting, spec)
        if spec.place:
            meeting.place = spec.place
        meeting.status = "planned"
        session.add(meeting)
        session.flush()
        _audit(session, organisation, actor, "meeting.updated", meeting, before)
        return MeetingChange(meeting, "meeting.updated", f"Ändrat: {describe(meeting)}.{note_sv}",
                             f"Updated: {describe(meeting)}.{note_en}")
    assert organisation.id is not None
    meeting = Meeting(organisation_id=organisation.id, date=spec.date, start_time=spec.start, end_time=spec.end,
                      place=spec.place, kind=kind, status="planned")
    session.add(meeting)
    session.flush()
    _audit(session, organisation, actor, "meeting.created", meeting, None)
    return MeetingChange(meeting, "meeting.created", f"Inlagt: {describe(meeting)}.{note_sv}",
                         f"Added: {describe(meeting)}.{note_en}")


def move_meeting(session: Session, organisation: Organisation, old_date: dt.date, spec: MeetingSpec, actor: str,
                 today: dt.date) -> MeetingChange:
    _not_past(spec.date, today)
    meeting = _one_on_day(session, organisation, old_date, spec.kind)
    clash = [m for m in _on_day(session, organisation, spec.date, meeting.kind, include_cancelled=True)
             if m.id != meeting.id]
    if clash:
        raise MeetingInputError(
            f"Det finns redan ett {meeting.kind} {spec.date.isoformat()} ({clash[0].status}). Ställ in ett av dem "
            "eller välj en annan dag.",
            f"There is already a {meeting.kind} on {spec.date.isoformat()} ({clash[0].status}). Cancel one of them "
            "or choose another day.")
    before = _snapshot(meeting)
    meeting.date = spec.date
    _set_times(meeting, spec)
    if spec.place:
        meeting.place = spec.place
    session.add(meeting)
    session.flush()
    _audit(session, organisation, actor, "meeting.moved", meeting, before)
    note_sv, note_en = _reminder_note(organisation)
    return MeetingChange(meeting, "meeting.moved",
                         f"Flyttat från {old_date.isoformat()} till {describe(meeting)}. Väntande påminnelser om "
                         f"den gamla tiden skickas inte; den som redan fått en får besked om ändringen.{note_sv}",
                         f"Moved from {old_date.isoformat()} to {describe(meeting)}. Pending reminders for the old "
                         f"time will not go out; anyone already reminded is told of the change.{note_en}")


def cancel_meeting(session: Session, organisation: Organisation, day: dt.date, kind: str | None, actor: str
                   ) -> MeetingChange:
    meeting = _one_on_day(session, organisation, day, kind)
    before = _snapshot(meeting)
    meeting.status = "cancelled"
    session.add(meeting)
    session.flush()
    _audit(session, organisation, actor, "meeting.cancelled", meeting, before)
    return MeetingChange(meeting, "meeting.cancelled",
                         f"Inställt: {describe(meeting)}. Inga fler påminnelser om det; den som redan fått en "
                         "påminnelse får besked om att mötet är inställt.",
                         f"Cancelled: {describe(meeting)}. No more reminders for it; anyone already reminded is "
                         "told that it is cancelled.")


def apply_command(session: Session, organisation: Organisation, rest: str, actor: str, today: dt.date
                  ) -> MeetingChange:
    """Runs the text after `möte`: add/update, `flytta … till …`, or `ställ in …`."""
    lowered = rest.strip().lower()
    for word in _CANCEL_WORDS:
        if lowered.startswith(word + " "):
            spec_text = rest.strip()[len(word):].strip()
            words = spec_text.split(maxsplit=1)
            kind = None
            if words and words[0].lower() in KINDS:
                kind = KINDS[words[0].lower()]
                spec_text = words[1] if len(words) > 1 else ""
            day, _ = parse_date(spec_text, today)
            return cancel_meeting(session, organisation, day, kind, actor)
    for word in _MOVE_WORDS:
        if lowered.startswith(word + " "):
            spec_text = rest.strip()[len(word):].strip()
            words = spec_text.split(maxsplit=1)
            kind = None
            if words and words[0].lower() in KINDS:
                kind = KINDS[words[0].lower()]
                spec_text = words[1] if len(words) > 1 else ""
            old_date, remainder = parse_date(spec_text, today)
            remainder = re.sub(r"^(?:till|to|->|→)\s+", "", remainder.strip(), flags=re.IGNORECASE)
            spec = parse_spec(remainder, today)
            if kind and spec.kind is None:
                spec = MeetingSpec(spec.date, spec.start, spec.end, spec.place, kind)
            return move_meeting(session, organisation, old_date, spec, actor, today)
    return add_or_update_meeting(session, organisation, parse_spec(rest, today), actor, today)


# --- the chat command -----------------------------------------------------------------------

USAGE_SV = ("Så här: `möte 2024-02-02 09:00-12:00 Kommunhuset` lägger in ett möte, "
            "`möte flytta 2024-02-02 till 2024-02-09 10:00` flyttar det och `möte ställ in 2024-02-02` ställer in det.")
USAGE_EN = ("Like this: `meeting 2024-02-02 09:00-12:00 Town hall` adds a meeting, "
            "`meeting move 2024-02-02 to 2024-02-09 10:00` moves it and `meeting cancel 2024-02-02` cancels it.")


def _looks_like_change(rest: str) -> bool:
    lowered = _WEEKDAY_WORD.sub("", rest.strip().lower(), count=1)
    first = lowered.split(maxsplit=1)[0] if lowered else ""
    return (bool(_DATE_SHAPE.match(lowered)) or first in KINDS
            or any(lowered.startswith(w) for w in _CANCEL_WORDS + _MOVE_WORDS))


def _actor(ctx: Context) -> str:
    who = f"{ctx.message.platform}:{ctx.message.user_id or '?'}"
    return f"{who} ({ctx.person.name})" if ctx.person else who


@command("möte", "meeting", help_sv="möte <datum> [tid] [plats]: lägger in, flyttar eller ställer in ett möte "
         "(administratör)", help_en="meeting <date> [time] [place]: adds, moves or cancels a meeting (admin)")
def meeting_command(ctx: Context, rest: str) -> Reply:
    organisation = ctx.organisation
    if organisation is None:
        return Reply(ctx.t("Den här konversationen är inte kopplad till något förbund. Koppla den först med "
                           "`koppla <förbund>`.",
                           "This conversation is not linked to an organisation. Link it first with "
                           "`link <organisation>`."), answered=False, language=ctx.language)
    if not rest.strip():
        return Reply(ctx.t(USAGE_SV, USAGE_EN), answered=False, language=ctx.language)
    if "?" in rest and not _looks_like_change(rest):
        # "Möte i Timrå när?" is a question about meetings, not an order to add one.
        from handlers.answers import answer_question

        return answer_question(ctx)
    if ctx.message.platform != "console":
        permission = may_administer(ctx.session, ctx.message.platform, ctx.message.user_id, organisation)
        if not permission.allowed:
            ctx.session.add(AuditLog(organisation_id=organisation.id, actor=_actor(ctx), action="meeting.refused",
                                     subject=f"{ctx.message.platform}:{ctx.message.conversation_id}",
                                     detail=json.dumps({"text": ctx.message.text[:200]}, ensure_ascii=False)))
            return Reply(ctx.t(f"Bara administratörer för {organisation.name} (oftast sekreteraren) kan lägga in "
                               "eller ändra möten.",
                               f"Only the admins of {organisation.name} (usually the secretary) can add or change "
                               "meetings."), answered=False, private=True, language=ctx.language)
    try:
        change = apply_command(ctx.session, organisation, rest, _actor(ctx), ctx.today)
    except MeetingInputError as exc:
        return Reply(ctx.t(exc.sv, exc.en) + "\n" + ctx.t(USAGE_SV, USAGE_EN), answered=False,
                     language=ctx.language)
    return Reply(ctx.t(change.sv, change.en), language=ctx.language)
