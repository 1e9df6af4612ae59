"""`boardbot teams-package` and `boardbot teams …`: the Teams app package, and links made
from the command line (a team or channel to a förbund, a Teams user to a board member)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from sqlmodel import Session, col, select

from storage.db import env_database_url, get_engine
from storage.justering import signer_identity_changed
from storage.models import ConversationLink, Organisation, Person
from storage.organisations import organisation_names, organisations_matching
from storage.settings import Settings

PLACEHOLDER_URL = "https://example.org/"


def _fail(message: str) -> None:
    typer.echo(f"boardbot: {message}", err=True)
    raise typer.Exit(1)


def _organisation(session: Session, text: str) -> Organisation:
    matches = organisations_matching(session, text)
    if len(matches) == 1:
        return matches[0]
    if not matches:
        names = ", ".join(organisation_names(session)) or "inga ännu"
        _fail(f"inget förbund heter något med \"{text}\" (i databasen: {names})")
    _fail(f"\"{text}\" passar flera förbund: {', '.join(o.name for o in matches)}; skriv mer av namnet")
    raise AssertionError("unreachable")


def _person(session: Session, organisation: Organisation, name: str) -> Person:
    people = session.exec(select(Person).where(Person.organisation_id == organisation.id)).all()
    wanted = " ".join(name.split()).lower()
    exact = [p for p in people if p.name.lower() == wanted]
    partial = [p for p in people if wanted and wanted in p.name.lower()]
    if len(exact) == 1 or len(partial) == 1:
        return (exact or partial)[0]
    if partial:
        _fail(f"\"{name}\" passar flera i {organisation.name}: {', '.join(p.name for p in partial)}")
    _fail(f"ingen ledamot i {organisation.name} heter \"{name}\"; personer läses in från protokollen "
          "(boardbot ingest)")
    raise AssertionError("unreachable")


def _all_zero(app_id: str) -> bool:
    """Unset, or the all-zero placeholder GUID: no bot anyone could reach."""
    return app_id.replace("-", "").strip().strip("0") == ""


def register(app: typer.Typer) -> None:
    @app.command("teams-package")
    def teams_package(
        out: Path = typer.Option(Path("teams-app.zip"), "--out", "-o", help="Where to write the zip."),
        app_id: str | None = typer.Option(None, "--app-id",
                                          help="The Teams app id (a GUID); default: the bot's app id."),
        app_version: str | None = typer.Option(None, "--version", help="App version, e.g. 1.0.1; raise "
                                               "it for every new upload of the same app."),
        developer: str = typer.Option("Styrelseassistenten", "--developer", help="Publisher name (≤ 32)."),
        website: str = typer.Option(PLACEHOLDER_URL, "--website", help="Publisher's https:// web page."),
        privacy: str | None = typer.Option(None, "--privacy-url", help="https:// privacy statement."),
        terms: str | None = typer.Option(None, "--terms-url", help="https:// terms of use."),
        color: Path | None = typer.Option(None, "--color-icon", help="Own 192×192 PNG colour icon."),
        outline: Path | None = typer.Option(None, "--outline-icon",
                                            help="Own 32×32 PNG, white on transparent."),
        test_package: bool = typer.Option(False, "--test-package",
                                          help="Without MicrosoftAppId: build a test package with an all-zero "
                                          "placeholder id (Teams cannot reach a bot through it)."),
    ) -> None:
        """Build the Teams app package (manifest.json, color.png, outline.png) to upload in Teams."""
        from bot.teams_package import PLACEHOLDER_BOT_ID, PackageError, PackageInfo, build, default_version

        bot_id = (Settings().microsoft_app_id or "").strip()
        if _all_zero(bot_id) or (app_id is not None and _all_zero(app_id)):
            if not test_package:
                _fail("MicrosoftAppId är inte satt (eller är bara nollor), så paketet skulle inte nå någon bot. "
                      "Sätt MicrosoftAppId till Azure-botens app-id, eller bygg ett testpaket med "
                      "--test-package.")
                return
            typer.echo(f"Testpaket: platshållar-id {PLACEHOLDER_BOT_ID}; Teams kan inte nå boten med det. "
                       "Sätt MicrosoftAppId och bygg om paketet före uppladdning.", err=True)
            bot_id = PLACEHOLDER_BOT_ID
        if PLACEHOLDER_URL in (website, privacy or website, terms or website):
            typer.echo("Varning: webbadresserna för utgivare, integritet och villkor är platshållare; "
                       "ange --website, --privacy-url och --terms-url före publicering.", err=True)
        info = PackageInfo(
            bot_id=bot_id,
            app_id=app_id or bot_id,
            version=app_version or default_version(),
            developer_name=developer,
            website_url=website,
            privacy_url=privacy or website,
            terms_url=terms or website,
        )
        try:
            path = build(info, out, color, outline)
        except PackageError as exc:
            _fail(str(exc))
            return
        if info.bot_id == PLACEHOLDER_BOT_ID:
            typer.echo(f"{path}: TESTPAKET (Teams-app {info.version} med platshållar-id), inte för uppladdning.")
            return
        typer.echo(f"{path}: Teams-app {info.version} för bot {info.bot_id}. Ladda upp den i Teams "
                   "(Appar → Hantera dina appar → Ladda upp en app) eller i Teams administrationscenter.")

    teams_app = typer.Typer(help="Teams: link teams, channels and people to the store.",
                            no_args_is_help=True)

    @teams_app.command("link")
    def link(
        conversation: str = typer.Option(..., "--conversation", help="Team, channel, group chat or "
                                         "personal chat id (19:…@thread.tacv2, a:…)."),
        org: str = typer.Option(..., "--org", help="The förbund (a unique part of its name)."),
    ) -> None:
        """Link a Teams team, channel or chat to a förbund, so questions there are about it."""
        from bot.teams.references import link_conversation

        conversation = conversation.strip()
        if not conversation or any(c.isspace() for c in conversation):
            _fail("ange konversationens id utan mellanslag, t.ex. 19:abc…@thread.tacv2")
        with Session(get_engine(env_database_url()), expire_on_commit=False) as session:
            organisation = _organisation(session, org)
            known, others = link_conversation(session, conversation, organisation)
            session.commit()
        typer.echo(f"{conversation} är kopplad till {organisation.name}"
                   + (f" (och {others} andra kanaler i samma team)" if others else "")
                   + ("" if known else "; boten har inte varit där än, men kopplingen gäller när den "
                      "läggs till"))

    @teams_app.command("person")
    def person(
        aad_id: str = typer.Option(..., "--aad-id", help="The user's Microsoft Entra (AAD) object id."),
        name: str = typer.Option(..., "--name", help="The board member's name as in the protocols."),
        org: str = typer.Option(..., "--org", help="The förbund (a unique part of its name)."),
    ) -> None:
        """Link a Teams user to a board member, for justering and personal reminders."""
        from bot.teams.references import adopt_personal_chat, is_guid

        aad_id = aad_id.strip().lower()
        if not is_guid(aad_id):
            _fail(f"\"{aad_id}\" är inget objekt-id; det ser ut som 6f3c2a1e-1111-4a2b-9c3d-0123456789ab "
                  "(Microsoft Entra → Användare → Objekt-ID)")
        with Session(get_engine(env_database_url()), expire_on_commit=False) as session:
            organisation = _organisation(session, org)
            member = _person(session, organisation, name)
            previous = session.exec(select(Person).where(
                Person.teams_aad_id == aad_id, Person.organisation_id == organisation.id,
                col(Person.id) != member.id)).all()
            now = dt.datetime.now(dt.UTC)
            changes = []
            for other in previous:
                other.teams_aad_id = None
                changes += signer_identity_changed(session, other, "teams", aad_id, None, by="kommandoraden",
                                                   actor="cli", now=now)
            changes += signer_identity_changed(session, member, "teams", member.teams_aad_id, aad_id,
                                               by="kommandoraden", actor="cli", now=now)
            member.teams_aad_id = aad_id
            session.flush()
            adopted = adopt_personal_chat(session, member)
            session.commit()
        for other in previous:
            typer.echo(f"{other.name} är inte längre kopplad till {aad_id}")
        typer.echo(f"{member.name} ({organisation.name}) är kopplad till Teams-användaren {aad_id}"
                   + ("; den personliga chatten svarar nu för förbundet" if adopted else ""))
        for change in changes:
            typer.echo(f"Obs: {change.person} ska justera protokollet från {change.meeting_date} (pågår); ändringen "
                       "är loggad och syns i intyget" + ("; justeringen gäller inte längre" if change.voided else "")
                       + f". Besked till: {', '.join(change.notified)}.")

    @teams_app.command("list")
    def list_links() -> None:
        """Show the Teams conversations the bot knows, their förbund and whether it can write there."""
        with Session(get_engine(env_database_url()), expire_on_commit=False) as session:
            links = session.exec(select(ConversationLink).where(ConversationLink.platform == "teams")
                                 .order_by(col(ConversationLink.created_at))).all()
            names = {o.id: o.name for o in session.exec(select(Organisation)).all()}
        if not links:
            typer.echo("Inga Teams-konversationer ännu: lägg till appen i ett team eller skriv till boten.")
        for item in links:
            org_name = names.get(item.organisation_id, "inte kopplad") if item.organisation_id else "inte kopplad"
            reach = "kan skriva" if item.reference else "kan inte skriva (appen är inte installerad)"
            typer.echo(f"{item.conversation_id}  {org_name}  {reach}")

    app.add_typer(teams_app, name="teams")
