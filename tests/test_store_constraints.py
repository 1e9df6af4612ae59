"""The database itself refuses duplicates, dangling references and changes to the audit log.

These are the guarantees the rest of the bot leans on: a retried Slack event is handled
once, a signer confirms a text version once, a reminder goes out once, and the audit log
cannot be rewritten. Each runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session, SQLModel, func, select

from storage.db import StoreError, session_scope, upgrade
from storage.models import (
    AuditLog,
    Document,
    JusteringConfirmation,
    JusteringRound,
    Organisation,
    Paragraph,
    Person,
    ProcessedEvent,
    Protocol,
    Reminder,
)
from tests.conftest import owner_url

HASH_V1 = "1" * 64
HASH_V2 = "2" * 64


@dataclass
class Board:
    org: int
    person: int
    document: int
    round: int


def _id(row: SQLModel) -> int:
    value = getattr(row, "id", None)
    assert isinstance(value, int)
    return value


@pytest.fixture
def board(engine: Engine) -> Board:
    with session_scope(engine) as session:
        org = Organisation(name="Samordningsförbundet Väst")
        session.add(org)
        session.flush()
        person = Person(organisation_id=_id(org), name="Pär Ström")
        doc = Document(organisation_id=_id(org), kind="protokoll", file_name="p.pdf",
                       content_hash="c" * 64, text="Protokoll")
        session.add_all([person, doc])
        session.flush()
        protocol = Protocol(document_id=_id(doc), organisation_id=_id(org), meeting_date=dt.date(2024, 3, 1),
                            version_hash=HASH_V1)
        session.add(protocol)
        session.flush()
        rnd = JusteringRound(protocol_id=_id(protocol), version_hash=HASH_V1, deadline=dt.date(2024, 3, 15))
        session.add(rnd)
        session.flush()
        return Board(org=_id(org), person=_id(person), document=_id(doc), round=_id(rnd))


def _count(engine: Engine, model: type[SQLModel]) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


# --- unique constraints --------------------------------------------------------------------


def test_same_document_twice_is_refused(engine: Engine, board: Board) -> None:
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(Document(organisation_id=board.org, kind="protokoll", file_name="copy.pdf",
                             content_hash="c" * 64, text="Protokoll"))
    assert _count(engine, Document) == 1


def test_same_content_in_another_organisation_is_allowed(engine: Engine, board: Board) -> None:
    with session_scope(engine) as session:
        other = Organisation(name="Samordningsförbundet Öst")
        session.add(other)
        session.flush()
        session.add(Document(organisation_id=_id(other), kind="protokoll", file_name="p.pdf",
                             content_hash="c" * 64, text="Protokoll"))
    assert _count(engine, Document) == 2


def test_failed_transaction_leaves_nothing_half_written(engine: Engine, board: Board) -> None:
    """A new document and a duplicate in one transaction: neither is stored."""
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(Document(organisation_id=board.org, kind="budget", file_name="ny.pdf",
                             content_hash="d" * 64, text="Budget"))
        session.flush()
        session.add(Document(organisation_id=board.org, kind="protokoll", file_name="copy.pdf",
                             content_hash="c" * 64, text="Protokoll"))
    with Session(engine) as session:
        hashes = session.exec(select(Document.content_hash)).all()
    assert hashes == ["c" * 64]


def _confirm(engine: Engine, board: Board, version_hash: str, platform: str = "slack") -> None:
    with session_scope(engine) as session:
        session.add(JusteringConfirmation(round_id=board.round, person_id=board.person,
                                          version_hash=version_hash, platform=platform))


def test_same_justering_confirmation_twice_is_refused(engine: Engine, board: Board) -> None:
    _confirm(engine, board, HASH_V1)
    # A second click, even from the other platform, is the same confirmation.
    with pytest.raises(IntegrityError):
        _confirm(engine, board, HASH_V1, platform="teams")
    assert _count(engine, JusteringConfirmation) == 1


def test_confirmation_of_a_new_text_version_is_a_new_row(engine: Engine, board: Board) -> None:
    _confirm(engine, board, HASH_V1)
    _confirm(engine, board, HASH_V2)
    assert _count(engine, JusteringConfirmation) == 2


def test_same_processed_event_twice_is_refused(engine: Engine) -> None:
    with session_scope(engine) as session:
        session.add(ProcessedEvent(platform="slack", event_id="Ev42"))
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(ProcessedEvent(platform="slack", event_id="Ev42"))
    # The same id from another platform is another event.
    with session_scope(engine) as session:
        session.add(ProcessedEvent(platform="teams", event_id="Ev42"))
    assert _count(engine, ProcessedEvent) == 2


def _remind(engine: Engine, board: Board, due_at: dt.datetime, recipient: str = "slack:C1") -> None:
    with session_scope(engine) as session:
        session.add(Reminder(organisation_id=board.org, kind="meeting", subject="meeting:7",
                             recipient=recipient, due_at=due_at, text="Styrelsemöte i morgon"))


def test_same_reminder_key_twice_is_refused(engine: Engine, board: Board) -> None:
    due = dt.datetime(2024, 3, 14, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
    _remind(engine, board, due)
    with pytest.raises(IntegrityError):
        _remind(engine, board, due)
    # The same instant written in UTC is the same key: timestamps are stored as UTC.
    with pytest.raises(IntegrityError):
        _remind(engine, board, due.astimezone(dt.UTC))
    _remind(engine, board, due, recipient="teams:19:abc")
    _remind(engine, board, due + dt.timedelta(days=1))
    assert _count(engine, Reminder) == 3


# --- foreign keys --------------------------------------------------------------------------


def test_foreign_keys_are_enforced_on_every_connection(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL always enforces foreign keys")
    for _ in range(3):
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1


def test_paragraph_of_a_missing_document_is_refused(engine: Engine, board: Board) -> None:
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.add(Paragraph(document_id=board.document + 1000, organisation_id=board.org, number=1,
                              title="§ 1", body="Mötets öppnande"))
    assert _count(engine, Paragraph) == 0


def test_document_with_paragraphs_cannot_be_deleted(engine: Engine, board: Board) -> None:
    with session_scope(engine) as session:
        session.add(Paragraph(document_id=board.document, organisation_id=board.org, number=1,
                              title="§ 1", body="Mötets öppnande"))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("DELETE FROM document WHERE id = :d"), {"d": board.document})
    assert _count(engine, Document) == 1 and _count(engine, Paragraph) == 1


# --- the audit log is append-only ----------------------------------------------------------


def _audit(engine: Engine, board: Board) -> int:
    with session_scope(engine) as session:
        entry = AuditLog(organisation_id=board.org, actor="slack:U1", action="justering.start",
                         subject="protocol:1", detail="ursprunglig")
        session.add(entry)
        session.flush()
        return _id(entry)


# Why a change is refused: on PostgreSQL the application's role has no UPDATE, DELETE or
# TRUNCATE right on the log; behind that, the trigger refuses even the tables' owner.
APP_REFUSAL = {"sqlite": "append-only", "postgresql": "permission denied for table auditlog"}


@pytest.fixture
def owner(engine: Engine) -> Iterator[Engine]:
    """The same store as the role that owns the tables (on SQLite: the same file)."""
    owner_engine = create_engine(owner_url(engine.url.render_as_string(hide_password=False)))
    yield owner_engine
    owner_engine.dispose()


CHANGES = [
    "UPDATE auditlog SET detail = 'ändrad' WHERE id = :id",
    "UPDATE auditlog SET actor = 'someone else'",
    "DELETE FROM auditlog WHERE id = :id",
    "DELETE FROM auditlog",
]


@pytest.mark.parametrize("statement", CHANGES)
def test_audit_log_refuses_change(engine: Engine, owner: Engine, board: Board, statement: str) -> None:
    entry = _audit(engine, board)
    with pytest.raises(DBAPIError, match=APP_REFUSAL[engine.dialect.name]), engine.begin() as conn:
        conn.execute(text(statement), {"id": entry})
    with pytest.raises(DBAPIError, match="append-only"), owner.begin() as conn:
        conn.execute(text(statement), {"id": entry})
    with Session(engine) as session:
        row = session.get(AuditLog, entry)
        assert row is not None
        assert (row.actor, row.detail) == ("slack:U1", "ursprunglig")


def test_audit_log_refuses_change_through_the_orm(engine: Engine, board: Board) -> None:
    entry = _audit(engine, board)
    refusal = APP_REFUSAL[engine.dialect.name]
    with pytest.raises(DBAPIError, match=refusal), session_scope(engine) as session:
        row = session.get(AuditLog, entry)
        assert row is not None
        row.detail = "ändrad"
    with pytest.raises(DBAPIError, match=refusal), session_scope(engine) as session:
        session.delete(session.get(AuditLog, entry))
    assert _count(engine, AuditLog) == 1


def test_audit_log_refuses_truncate_on_postgres(engine: Engine, owner: Engine, board: Board) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    _audit(engine, board)
    with pytest.raises(DBAPIError, match=APP_REFUSAL["postgresql"]), engine.begin() as conn:
        conn.execute(text("TRUNCATE auditlog"))
    with pytest.raises(DBAPIError, match="append-only"), owner.begin() as conn:
        conn.execute(text("TRUNCATE auditlog"))
    assert _count(engine, AuditLog) == 1


def test_the_application_role_cannot_lift_the_guard_on_postgres(engine: Engine, board: Board) -> None:
    """Attack (issue 12, item 7): the application's role disables the triggers, then rewrites the
    log. It does not own the table, so PostgreSQL refuses; and it can neither take ownership nor
    switch to the owner's role."""
    if engine.dialect.name != "postgresql":
        pytest.skip("roles are PostgreSQL's")
    entry = _audit(engine, board)
    with engine.connect() as conn:
        role, owner = conn.execute(text("SELECT current_user, tableowner FROM pg_tables "
                                        "WHERE tablename = 'auditlog'")).one()
    assert role != owner
    for statement in ("ALTER TABLE auditlog DISABLE TRIGGER USER", "ALTER TABLE auditlog DISABLE TRIGGER ALL",
                      "DROP TRIGGER auditlog_no_change ON auditlog", f"ALTER TABLE auditlog OWNER TO {role}",
                      f"SET ROLE {owner}", "SET session_replication_role = replica",
                      "DROP TABLE auditlog"):
        with pytest.raises(DBAPIError, match=r"must be owner|permission denied"), engine.begin() as conn:
            conn.execute(text(statement))
    with Session(engine) as session:
        row = session.get(AuditLog, entry)
        assert row is not None and row.detail == "ursprunglig"


def test_audit_log_still_accepts_new_entries(engine: Engine, board: Board) -> None:
    _audit(engine, board)
    _audit(engine, board)
    assert _count(engine, AuditLog) == 2


def test_db_upgrade_refuses_an_app_role_that_is_missing_or_owns_the_tables(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("roles are PostgreSQL's")
    owner_store = owner_url(engine.url.render_as_string(hide_password=False))
    with pytest.raises(StoreError, match=r"'no_such_role' .* does not exist"):
        upgrade(owner_store, app_role="no_such_role")
    owner_role = make_url(owner_store).username
    assert owner_role is not None
    with pytest.raises(StoreError, match="owns the tables"):
        upgrade(owner_store, app_role=owner_role)
