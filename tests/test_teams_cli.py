"""`boardbot teams link|person|list`: linking Teams to the store from the command line."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from bot.cli import app
from storage.db import open_engine
from storage.models import ConversationLink, Organisation, Person

AAD = "6f3c2a1e-1111-4a2b-9c3d-0123456789ab"
TEAM = "19:team-general@thread.tacv2"


@pytest.fixture
def cli(store_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("BOARDBOT_DATABASE_URL", store_url)
    engine = open_engine(store_url)
    with Session(engine) as session:
        for name in ("Samordningsförbundet Norra", "Samordningsförbundet Södra"):
            session.add(Organisation(name=name))
        session.flush()
        norra = session.exec(select(Organisation).where(Organisation.name.endswith("Norra"))).one()
        assert norra.id is not None
        session.add(Person(organisation_id=norra.id, name="Anna Andersson"))
        session.add(Person(organisation_id=norra.id, name="Bertil Berg"))
        # Channels the bot has been in: the team's General channel and one more of that team,
        # and Anna's personal chat.
        session.add(ConversationLink(platform="teams", conversation_id=TEAM, team_id=TEAM, reference="{}"))
        session.add(ConversationLink(platform="teams", conversation_id="19:ekonomi@thread.tacv2",
                                     team_id=TEAM, reference="{}"))
        session.add(ConversationLink(platform="teams", conversation_id="a:1anna", reference=json.dumps({
            "conversation": {"id": "a:1anna", "conversationType": "personal"},
            "user": {"id": "29:1anna", "aadObjectId": AAD}})))
        session.commit()
    engine.dispose()
    return CliRunner()


def links(store_url: str) -> dict[str, str | None]:
    engine = open_engine(store_url)
    with Session(engine) as session:
        names = {o.id: o.name for o in session.exec(select(Organisation))}
        result = {link.conversation_id: names.get(link.organisation_id)
                  for link in session.exec(select(ConversationLink))}
    engine.dispose()
    return result


def test_linking_a_team_links_its_channels(cli: CliRunner, store_url: str) -> None:
    result = cli.invoke(app, ["teams", "link", "--conversation", TEAM, "--org", "norra"])
    assert result.exit_code == 0, result.output
    assert "Samordningsförbundet Norra" in result.output and "1 andra kanaler" in result.output
    linked = links(store_url)
    assert linked[TEAM] == linked["19:ekonomi@thread.tacv2"] == "Samordningsförbundet Norra"
    assert linked["a:1anna"] is None


def test_linking_a_thread_links_its_channel_even_before_the_bot_was_there(cli: CliRunner, store_url: str) -> None:
    result = cli.invoke(app, ["teams", "link", "--conversation", "19:ny@thread.tacv2;messageid=17",
                              "--org", "Södra"])
    assert result.exit_code == 0, result.output
    assert "inte varit där än" in result.output
    assert links(store_url)["19:ny@thread.tacv2"] == "Samordningsförbundet Södra"


def test_unknown_or_ambiguous_organisation_is_a_clear_error(cli: CliRunner, store_url: str) -> None:
    unknown = cli.invoke(app, ["teams", "link", "--conversation", TEAM, "--org", "Västra"])
    assert unknown.exit_code == 1
    assert "Västra" in unknown.output and "Samordningsförbundet Norra" in unknown.output
    ambiguous = cli.invoke(app, ["teams", "link", "--conversation", TEAM, "--org", "samordningsförbundet"])
    assert ambiguous.exit_code == 1 and "flera förbund" in ambiguous.output
    assert links(store_url)[TEAM] is None


def test_linking_a_person_sets_their_teams_id_and_their_personal_chat(cli: CliRunner, store_url: str) -> None:
    result = cli.invoke(app, ["teams", "person", "--aad-id", AAD.upper(), "--name", "anna andersson",
                              "--org", "Norra"])
    assert result.exit_code == 0, result.output
    assert "Anna Andersson" in result.output
    engine = open_engine(store_url)
    with Session(engine) as session:
        anna = session.exec(select(Person).where(Person.name == "Anna Andersson")).one()
        assert anna.teams_aad_id == AAD
    engine.dispose()
    assert links(store_url)["a:1anna"] == "Samordningsförbundet Norra"
    # Moving the id to someone else leaves no two people with it.
    moved = cli.invoke(app, ["teams", "person", "--aad-id", AAD, "--name", "Bertil", "--org", "Norra"])
    assert moved.exit_code == 0, moved.output
    assert "Anna Andersson är inte längre kopplad" in moved.output


@pytest.mark.parametrize(("args", "message"), [
    (["--aad-id", "anna@example.se", "--name", "Anna", "--org", "Norra"], "inget objekt-id"),
    (["--aad-id", AAD, "--name", "Cecilia", "--org", "Norra"], "ingen ledamot"),
])
def test_bad_person_input_is_refused(cli: CliRunner, args: list[str], message: str) -> None:
    result = cli.invoke(app, ["teams", "person", *args])
    assert result.exit_code == 1
    assert message in result.output


def test_list_shows_where_the_bot_can_write(cli: CliRunner) -> None:
    cli.invoke(app, ["teams", "link", "--conversation", TEAM, "--org", "Norra"])
    result = cli.invoke(app, ["teams", "list"])
    assert result.exit_code == 0, result.output
    assert f"{TEAM}  Samordningsförbundet Norra  kan skriva" in result.output
    assert "a:1anna  inte kopplad  kan skriva" in result.output
