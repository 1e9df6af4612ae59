"""`boardbot reminders`, `boardbot calendar` and `boardbot meeting …`.

- `boardbot reminders --at 2024-01-26T09:00 [--org …] [--json]`: what would be due at that
  moment (Europe/Stockholm when no offset is given), without sending anything;
- `boardbot calendar --org … > plan.ics`: meetings and justering deadlines as iCalendar;
- `boardbot meeting add|move|cancel|list --org …`: the same changes as the chat's `möte`.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from zoneinfo import ZoneInfo

import typer
from sqlalchemy import tuple_
from sqlmodel import Session, col, select

from handlers.meetings_admin import (
    KINDS,
    MeetingInputError,
    MeetingSpec,
    add_or_update_meeting,
    cancel_meeting,
    describe,
    move_meeting,
    parse_date,
    parse_spec,
)
from scheduler.calendar import calendar_url, organisation_ics
from scheduler.plan import PlannedReminder, due_at, plan
from storage import clock
from storage.db import open_engine
from storage.models import Meeting, Organisation, Reminder
from storage.organisations import organisation_names, organisations_matching
from storage.settings import get_settings

STOCKHOLM = ZoneInfo("Europe/Stockholm")
CLI_ACTOR = "cli"

_STATUS_SV = {None: "ej i utkorgen än", "pending": "väntar", "claimed": "hämtad", "sending": "skickas",
              "sent": "redan skickad", "unknown": "oklart om skickad", "failed": "misslyckad",
              "cancelled": "struken"}


def _fail(message: str) -> typer.Exit:
    typer.echo(f"boardbot: {message}", err=True)
    return typer.Exit(2)


def parse_moment(value: str) -> dt.datetime:
    """ISO date-time; without an offset it is Stockholm local time."""
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise _fail(f"cannot read --at {value!r}: write e.g. 2024-01-26T09:00 (Stockholm time)") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=STOCKHOLM)
    return moment.astimezone(dt.UTC)


def resolve_organisation(session: Session, hint: str | None, *, required: bool) -> Organisation | None:
    if not hint:
        organisations = list(session.exec(select(Organisation)).all())
        if required and len(organisations) == 1:
            return organisations[0]
        if required:
            names = ", ".join(organisation_names(session)) or "none yet"
            raise _fail(f"say which organisation with --org (known: {names})")
        return None
    matches = organisations_matching(session, hint)
    if not matches:
        names = ", ".join(organisation_names(session)) or "none yet"
        raise _fail(f"no organisation matches --org {hint!r} (known: {names})")
    if len(matches) > 1:
        raise _fail(f"--org {hint!r} matches several: {', '.join(o.name for o in matches)}; be more specific")
    return matches[0]


def _outbox_status(session: Session, planned: list[PlannedReminder]) -> dict[tuple[str, str, str, dt.datetime], str]:
    if not planned:
        return {}
    keys = [p.key for p in planned]
    out: dict[tuple[str, str, str, dt.datetime], str] = {}
    for start in range(0, len(keys), 200):
        chunk = keys[start:start + 200]
        rows = session.exec(select(Reminder).where(
            tuple_(col(Reminder.kind), col(Reminder.subject), col(Reminder.recipient), col(Reminder.due_at)).in_(chunk)
        )).all()
        for row in rows:
            out[(row.kind, row.subject, row.recipient, row.due_at)] = row.status
    return out


def _local(moment: dt.datetime) -> str:
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")


def register(app: typer.Typer) -> None:
    @app.command("reminders")
    def reminders(
        at: str = typer.Option(None, "--at", help="The moment, e.g. 2024-01-26T09:00 (Stockholm time); default now."),
        org: str = typer.Option(None, "--org", help="Only this organisation (a part of its name)."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
    ) -> None:
        """Show the reminders that would be due at a moment, without sending anything."""
        moment = parse_moment(at) if at else clock.now()
        engine = open_engine()
        try:
            with Session(engine) as session:
                organisation = resolve_organisation(session, org, required=False)
                planned = due_at(plan(session, moment, organisation.id if organisation else None), moment)
                status = _outbox_status(session, planned)
        finally:
            engine.dispose()
        if as_json:
            payload = {"at": moment.isoformat(), "at_local": moment.astimezone(STOCKHOLM).isoformat(),
                       "reminders": [p.as_dict() | {"outbox_status": status.get(p.key)} for p in planned]}
            typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        if not planned:
            typer.echo(f"Inga påminnelser att skicka {_local(moment)} (Europe/Stockholm).")
            return
        typer.echo(f"Att skicka {_local(moment)} (Europe/Stockholm): {len(planned)} påminnelse(r)")
        for p in planned:
            typer.echo(f"\n{_local(p.due_at)}  {p.kind}  → {p.recipient}  [{_STATUS_SV.get(status.get(p.key), '?')}]")
            typer.echo("  " + p.text.replace("\n", "\n  "))

    @app.command("calendar")
    def calendar(
        org: str = typer.Option(None, "--org", help="The organisation (a part of its name)."),
        url: bool = typer.Option(False, "--url", help="Print the feed's subscription address instead "
                                 "(BOARDBOT_PUBLIC_URL + /calendar/<short name>.ics)."),
    ) -> None:
        """Print the meetings and justering deadlines as iCalendar: boardbot calendar --org X > plan.ics"""
        engine = open_engine()
        try:
            with Session(engine) as session:
                organisation = resolve_organisation(session, org, required=True)
                assert organisation is not None
                if url:
                    typer.echo(calendar_url(get_settings(), organisation))
                    return
                ics = organisation_ics(session, organisation, clock.now())
        finally:
            engine.dispose()
        sys.stdout.buffer.write(ics)
        sys.stdout.flush()

    meeting_app = typer.Typer(help="Planned meetings: add, move, cancel, list.", no_args_is_help=True)

    def _change(org: str | None, action: str, words: list[str], kind: str | None) -> None:
        engine = open_engine()
        today = clock.today()
        try:
            with Session(engine, expire_on_commit=False) as session:
                organisation = resolve_organisation(session, org, required=True)
                assert organisation is not None
                text = " ".join(words)
                kind_name = KINDS.get(kind.lower()) if kind else None
                if kind and kind_name is None:
                    raise _fail(f"unknown --kind {kind!r}: use styrelsemöte or planeringsdag")
                try:
                    if action == "add":
                        spec = parse_spec(text, today)
                        if kind_name:
                            spec = MeetingSpec(spec.date, spec.start, spec.end, spec.place, kind_name)
                        change = add_or_update_meeting(session, organisation, spec, CLI_ACTOR, today)
                    elif action == "move":
                        old_date, rest = parse_date(text, today)
                        spec = parse_spec(rest.removeprefix("till ").removeprefix("to "), today)
                        if kind_name:
                            spec = MeetingSpec(spec.date, spec.start, spec.end, spec.place, kind_name)
                        change = move_meeting(session, organisation, old_date, spec, CLI_ACTOR, today)
                    else:
                        day, _ = parse_date(text, today)
                        change = cancel_meeting(session, organisation, day, kind_name, CLI_ACTOR)
                except MeetingInputError as exc:
                    raise _fail(exc.sv) from None
                session.commit()
        finally:
            engine.dispose()
        typer.echo(change.sv)

    @meeting_app.command("add")
    def meeting_add(
        words: list[str] = typer.Argument(..., help="DATE [TIME[-END]] [PLACE], e.g. 2024-02-02 09:00-12:00 Timrå"),
        org: str = typer.Option(None, "--org", help="The organisation (a part of its name)."),
        kind: str = typer.Option(None, "--kind", help="styrelsemöte (default) or planeringsdag."),
    ) -> None:
        """Add a planned meeting, or change the time and place of that day's meeting."""
        _change(org, "add", words, kind)

    @meeting_app.command("move")
    def meeting_move(
        words: list[str] = typer.Argument(..., help="OLD-DATE NEW-DATE [TIME[-END]] [PLACE]"),
        org: str = typer.Option(None, "--org", help="The organisation (a part of its name)."),
        kind: str = typer.Option(None, "--kind", help="Which meeting, when a day has several."),
    ) -> None:
        """Move a planned meeting to another day (and time or place)."""
        _change(org, "move", words, kind)

    @meeting_app.command("cancel")
    def meeting_cancel(
        words: list[str] = typer.Argument(..., help="DATE"),
        org: str = typer.Option(None, "--org", help="The organisation (a part of its name)."),
        kind: str = typer.Option(None, "--kind", help="Which meeting, when a day has several."),
    ) -> None:
        """Cancel a planned meeting: its reminders stop, and those already reminded are told."""
        _change(org, "cancel", words, kind)

    @meeting_app.command("list")
    def meeting_list(
        org: str = typer.Option(None, "--org", help="The organisation (a part of its name)."),
    ) -> None:
        """List the meetings still ahead."""
        engine = open_engine()
        try:
            with Session(engine) as session:
                organisation = resolve_organisation(session, org, required=True)
                assert organisation is not None
                today = clock.today()
                meetings = session.exec(select(Meeting).where(
                    Meeting.organisation_id == organisation.id, Meeting.date >= today).order_by(col(Meeting.date))).all()
        finally:
            engine.dispose()
        if not meetings:
            typer.echo(f"Inga kommande möten för {organisation.name}.")
        for meeting in meetings:
            state = "" if meeting.status == "planned" else f" [{meeting.status}]"
            typer.echo(f"{describe(meeting)}{state}")

    app.add_typer(meeting_app, name="meeting")
