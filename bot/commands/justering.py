"""`boardbot justering …`: the secretary's console path to digital justering.

start, confirm, change and resume go through the Assistant as console messages, so they take
the same path (rules, audit) as Slack and Teams; status, certificate, anslag and check read
the store directly.
"""

from __future__ import annotations

import datetime as dt
import getpass
from pathlib import Path

import typer
from sqlalchemy.engine import Engine
from sqlmodel import Session

from handlers.assistant import Assistant, find_organisation
from handlers.context import Context
from handlers.justering import (
    CHANGE_ACTION,
    CONFIRM_ACTION,
    CONFIRM_VERSION_ACTION,
    compliance_text,
    protocol_status,
)
from handlers.messages import Message, Reply
from storage import clock
from storage import justering as j
from storage.audit import verify_chain
from storage.certificate import (
    CertificateCheck,
    NotInLog,
    build,
    check_certificate,
    describe_check,
    read_certificate,
    render_pdf,
    render_text,
)
from storage.db import env_database_url, open_engine
from storage.models import Organisation, Person, Protocol
from storage.organisations import organisation_names


def _now() -> dt.datetime:
    return clock.now()


def _os_user() -> str:
    """Who ran the command when --by does not say: the login, marked as such (the certificate then
    names a person, not "console:?")."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = "okänd"
    return f"{login} (kommandoraden)"


def _engine() -> Engine:
    return open_engine(env_database_url())


def _fail(text: str, code: int = 2) -> typer.Exit:
    typer.echo(text, err=True)
    return typer.Exit(code)


def _organisation(session: Session, hint: str) -> Organisation:
    org = find_organisation(session, hint)
    if org is None:
        names = organisation_names(session)
        if not names:
            raise _fail(f"Förbundet '{hint}' finns inte i registret: det är tomt. Läs in förbundets protokoll "
                        "först (`boardbot ingest MAPP`), eller prova demon: `boardbot --demo …`.")
        raise _fail(f"Hittar inget entydigt förbund som matchar '{hint}' i registret. Förbund i registret: "
                    f"{', '.join(names)}.")
    return org


def _meeting_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _fail(f"'{value}' är inget datum; skriv mötesdatumet som ÅÅÅÅ-MM-DD, t.ex. 2023-11-24.") from None


def _protocol(session: Session, org: Organisation, meeting: str) -> Protocol:
    day = _meeting_date(meeting)
    found = j.protocols_on(session, org.id, day)
    if not found:
        raise _fail(f"{org.name} har inget protokoll från {day.isoformat()} i registret.")
    return found[0]


def _print(reply: Reply, engine: Engine) -> None:
    typer.echo(reply.full_text())
    with Session(engine) as session:
        for followup in reply.followups:
            if followup.kind == "notify_person" and followup.text and followup.person_id is not None:
                person = session.get(Person, followup.person_id)
                typer.echo(f"(till {person.name if person else followup.person_id}: {followup.text})")
    if not reply.answered:
        raise typer.Exit(1)


def _console(org: str, *, text: str = "", user_name: str | None = None, action_id: str | None = None,
             action_value: str | None = None) -> None:
    """Hands the command to the Assistant as a console message and prints its answer."""
    engine = _engine()
    try:
        with Session(engine) as session:
            # "Not in the store" here, before the Assistant would ask which förbund is meant.
            _organisation(session, org)
        _print(Assistant(engine).handle(Message(text=text, platform="console", user_name=user_name,
                                                organisation_hint=org, action_id=action_id,
                                                action_value=action_value)), engine)
    finally:
        engine.dispose()


def _active_round_id(org_hint: str, meeting: str) -> int:
    engine = _engine()
    try:
        with Session(engine) as session:
            org = _organisation(session, org_hint)
            protocol = _protocol(session, org, meeting)
            assert protocol.id is not None
            rnd = j.active_round(session, protocol.id)
            if rnd is None or rnd.id is None:
                raise _fail(f"Ingen justering pågår för protokollet från {protocol.meeting_date}. "
                            f"Starta en med `boardbot justering start --org … --meeting {protocol.meeting_date}`.", 1)
            return rnd.id
    finally:
        engine.dispose()


def register(app: typer.Typer) -> None:
    jt = typer.Typer(help="Digital justering of protocols: start, confirm, status, certificate, checks.",
                     no_args_is_help=True)

    @jt.command("start")
    def start(
        org: str = typer.Option(..., "--org", help="The förbund (a part of its name)."),
        meeting: str = typer.Option(..., "--meeting", help="The meeting date, YYYY-MM-DD."),
        by: str | None = typer.Option(None, "--by", help="Who starts it (the secretary's name)."),
    ) -> None:
        """Start justering of a protocol: prints the message the thread starts with."""
        _meeting_date(meeting)
        _console(org, text=f"justera {meeting}", user_name=by or _os_user())

    @jt.command("confirm")
    def confirm(
        org: str = typer.Option(..., "--org"),
        meeting: str = typer.Option(..., "--meeting"),
        person: str = typer.Option(..., "--person", help="The signer's name as in the protocol."),
        version: str | None = typer.Option(
            None, "--version", help="The version (hash, at least 12 characters) the signer read and confirms."),
    ) -> None:
        """Register a signer's confirmation of one version (the secretary's path, e.g. for a signer without
        chat). Without --version it only shows which version would be confirmed."""
        round_id = _active_round_id(org, meeting)
        if version is None:
            # Ask once more, as the chat does: the answer names the version to pass with --version.
            _console(org, user_name=person, action_id=CONFIRM_ACTION, action_value=str(round_id))
            raise _fail("Inget registrerat. Kör igen med --version <versionen ovan> när protokollet är läst.", 1)
        _console(org, user_name=person, action_id=CONFIRM_VERSION_ACTION, action_value=f"{round_id}:{version}")

    @jt.command("change")
    def change(
        org: str = typer.Option(..., "--org"),
        meeting: str = typer.Option(..., "--meeting"),
        person: str = typer.Option(..., "--person"),
        text: str = typer.Option(..., "--text", help="What should change."),
    ) -> None:
        """Record a change request for a signer; the round pauses."""
        round_id = _active_round_id(org, meeting)
        _console(org, text=text, user_name=person, action_id=CHANGE_ACTION, action_value=str(round_id))

    @jt.command("resume")
    def resume(
        org: str = typer.Option(..., "--org"),
        meeting: str = typer.Option(..., "--meeting"),
        by: str | None = typer.Option(None, "--by"),
    ) -> None:
        """Go on without a change after a change request; earlier confirmations stand."""
        _meeting_date(meeting)
        _console(org, text=f"återuppta justering {meeting}", user_name=by or _os_user())

    @jt.command("status")
    def status(org: str = typer.Option(..., "--org"), meeting: str = typer.Option(..., "--meeting")) -> None:
        """Who has and has not confirmed, and whether the protocol is justerat."""
        engine = _engine()
        try:
            with Session(engine) as session:
                organisation = _organisation(session, org)
                protocol = _protocol(session, organisation, meeting)
                ctx = Context(session, Message(text="", platform="console"), _now(), "sv", organisation, None)
                typer.echo(protocol_status(ctx, protocol).full_text())
        finally:
            engine.dispose()

    @jt.command("certificate")
    def certificate(
        org: str = typer.Option(..., "--org"),
        meeting: str = typer.Option(..., "--meeting"),
        pdf: Path | None = typer.Option(None, "--pdf", help="Also write the certificate as PDF here."),
    ) -> None:
        """The justering certificate (text; with --pdf also a PDF file)."""
        engine = _engine()
        try:
            with Session(engine) as session:
                organisation = _organisation(session, org)
                protocol = _protocol(session, organisation, meeting)
                assert protocol.id is not None
                rnd = j.latest_round(session, protocol.id)
                if rnd is None:
                    raise _fail(f"Protokollet från {protocol.meeting_date} har inte justerats i boardbot, så det "
                                "finns inget justeringsintyg.", 1)
                try:
                    cert = build(session, rnd, _now())
                except NotInLog as exc:
                    raise _fail(str(exc), 1) from None
                typer.echo(render_text(cert))
                if pdf is not None:
                    if not pdf.parent.exists():
                        raise _fail(f"Mappen {pdf.parent} finns inte.")
                    pdf.write_bytes(render_pdf(cert))
                    typer.echo(f"PDF: {pdf}")
        finally:
            engine.dispose()

    @jt.command("verify")
    def verify(
        certificate: Path | None = typer.Argument(
            None, help="A certificate (PDF or text) to check against the log; without it only the log is checked."),
    ) -> None:
        """Check the hash-chained audit log (naming the first broken link) and, given one, a certificate."""
        if certificate is not None and not certificate.is_file():
            raise _fail(f"Filen {certificate} finns inte.")
        engine = _engine()
        try:
            with Session(engine) as session:
                if certificate is None:
                    check = CertificateCheck(verify_chain(session))
                else:
                    check = check_certificate(session, read_certificate(certificate), _now())
                for line in describe_check(check):
                    typer.echo(line)
                if not check.ok:
                    raise typer.Exit(1)
        finally:
            engine.dispose()

    @jt.command("anslag")
    def anslag(
        org: str = typer.Option(..., "--org"),
        meeting: str = typer.Option(..., "--meeting"),
        posted: str | None = typer.Option(None, "--posted", help="The day the notice went up, YYYY-MM-DD."),
        removed: str | None = typer.Option(None, "--removed", help="The day it came down, YYYY-MM-DD."),
    ) -> None:
        """Record when the anslag (notice) went up and came down; then check the dates."""
        if posted is None and removed is None:
            raise _fail("Ange --posted och/eller --removed.")
        posted_day = _meeting_date(posted) if posted else None
        removed_day = _meeting_date(removed) if removed else None
        engine = _engine()
        try:
            with Session(engine) as session:
                organisation = _organisation(session, org)
                protocol = _protocol(session, organisation, meeting)
                if protocol.status != "justerat":
                    raise _fail(f"Protokollet från {protocol.meeting_date} är ojusterat; anslaget sätts upp "
                                "först efter justeringen.", 1)
                start = posted_day or protocol.anslag_posted
                if removed_day is not None and start is not None and removed_day < start:
                    raise _fail("Nedtagningsdagen ligger före uppsättningsdagen.")
                j.record_anslag(session, protocol, posted=posted_day, removed=removed_day, actor="cli",
                                now=_now())
                session.commit()
                findings = j.check_protocol(protocol, organisation, j.view_document(session, protocol))
                report = j.ComplianceReport(findings=findings)
                if not findings:
                    report.correct.append((protocol, organisation, j.view_document(session, protocol)))
                typer.echo(compliance_text(report))
                if protocol.anslag_take_down_from:
                    typer.echo(f"Anslaget får tas ned tidigast {protocol.anslag_take_down_from}.")
        finally:
            engine.dispose()

    @jt.command("check")
    def check(org: str | None = typer.Option(None, "--org", help="Only this förbund.")) -> None:
        """Check the recorded justering and anslag dates of every justerat protocol."""
        engine = _engine()
        try:
            with Session(engine) as session:
                organisation_id = _organisation(session, org).id if org else None
                report = j.check_compliance(session, organisation_id)
                typer.echo(compliance_text(report))
                if report.findings:
                    raise typer.Exit(1)
        finally:
            engine.dispose()

    app.add_typer(jt, name="justering")
