"""Alembic migrations: from an empty database to head, down to base and up again, on both
databases, and the migrated schema is exactly what storage/models.py describes."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables)
from storage.db import alembic_config, head_revision, include_in_autogenerate, make_engine, upgrade

PG_URL = os.environ.get("BOARDBOT_TEST_POSTGRES_URL")
REQUIRE_PG = os.environ.get("BOARDBOT_REQUIRE_POSTGRES") == "1"


def _pg_admin(statement: str) -> None:
    assert PG_URL
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(statement))
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no tables at all (not the migrated template the `engine` fixture copies)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    if not PG_URL:
        if REQUIRE_PG:
            pytest.fail("BOARDBOT_REQUIRE_POSTGRES=1 but BOARDBOT_TEST_POSTGRES_URL is not set")
        pytest.skip("no PostgreSQL server: set BOARDBOT_TEST_POSTGRES_URL")
    name = f"bb_mig_{uuid.uuid4().hex[:12]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def downgrade(url: str, revision: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            cfg = alembic_config(url)
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)
    finally:
        engine.dispose()



def schema_differences(url: str) -> list[Any]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={
                "compare_type": True, "include_object": include_in_autogenerate})
            return list(compare_metadata(context, SQLModel.metadata))
    finally:
        engine.dispose()


def revision_of(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _search_and_guard_work(url: str) -> None:
    """The objects 0002 makes by raw SQL are there and do their job."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            org = conn.execute(text(
                "INSERT INTO organisation (name, signer_roles, meeting_reminder_days, reminder_time, "
                "remind_members_personally, digest_enabled, created_at) VALUES ('F', 'justerare', '7', "
                "'09:00:00', false, false, '2024-01-01 00:00:00') RETURNING id")).scalar_one()
            doc = conn.execute(text(
                "INSERT INTO document (organisation_id, kind, file_name, content_hash, text, ingested_at) "
                "VALUES (:o, 'protokoll', 'p', 'h', 't', '2024-01-01 00:00:00') RETURNING id"),
                {"o": org}).scalar_one()
            para = conn.execute(text(
                "INSERT INTO paragraph (document_id, organisation_id, number, title, body, search_text) "
                "VALUES (:d, :o, 1, 'Budget', 'b', 'budget jobbcent') RETURNING id"),
                {"d": doc, "o": org}).scalar_one()
            conn.execute(text("INSERT INTO auditlog (at, actor, action, prev_hash, entry_hash) VALUES "
                              f"('2024-01-01 00:00:00', 'cli', 'ingest', '{'0' * 64}', '{'e' * 64}')"))
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                sql = "SELECT rowid FROM paragraph_fts WHERE paragraph_fts MATCH 'jobbcent'"
            else:
                sql = ("SELECT id FROM paragraph WHERE to_tsvector('simple', search_text) "
                       "@@ to_tsquery('simple', 'jobbcent')")
            assert list(conn.execute(text(sql)).scalars()) == [para]
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text("DELETE FROM auditlog"))
    finally:
        engine.dispose()


def test_empty_to_head_matches_the_models(empty_url: str) -> None:
    upgrade(empty_url)
    assert revision_of(empty_url) == head_revision(empty_url)
    assert set(SQLModel.metadata.tables) <= table_names(empty_url)
    assert schema_differences(empty_url) == []
    _search_and_guard_work(empty_url)


def test_upgrade_at_head_is_a_no_op(empty_url: str) -> None:
    upgrade(empty_url)
    _search_and_guard_work(empty_url)
    upgrade(empty_url)
    engine = make_engine(empty_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM paragraph")).scalar_one() == 1
            assert conn.execute(text("SELECT count(*) FROM auditlog")).scalar_one() == 1
    finally:
        engine.dispose()


def test_down_to_base_and_up_again(empty_url: str) -> None:
    upgrade(empty_url)
    downgrade(empty_url, "base")
    assert revision_of(empty_url) is None
    assert table_names(empty_url) <= {"alembic_version"}
    engine = make_engine(empty_url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                leftovers = conn.execute(text(
                    "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                    "AND name != 'alembic_version'")).scalars().all()
            else:
                leftovers = conn.execute(text(
                    "SELECT proname FROM pg_proc WHERE proname = 'auditlog_append_only'")).scalars().all()
        assert leftovers == []
    finally:
        engine.dispose()

    upgrade(empty_url)
    assert revision_of(empty_url) == head_revision(empty_url)
    assert schema_differences(empty_url) == []
    _search_and_guard_work(empty_url)


def test_each_step_down_and_up(empty_url: str) -> None:
    """0002 can be taken off and put back alone, leaving 0001's tables in place."""
    upgrade(empty_url)
    downgrade(empty_url, "0001")
    assert revision_of(empty_url) == "0001"
    assert set(SQLModel.metadata.tables) <= table_names(empty_url)
    upgrade(empty_url, "0002")
    _search_and_guard_work(empty_url)


def test_autogenerate_filter_hides_only_the_search_objects(empty_url: str) -> None:
    """Without the filter, the only differences are the objects 0002 makes by raw SQL."""
    upgrade(empty_url)
    engine = make_engine(empty_url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            unfiltered = list(compare_metadata(context, SQLModel.metadata))
    finally:
        engine.dispose()
    names = {diff[1].name for diff in unfiltered}
    assert names, "expected the FTS table or GIN index to show without the filter"
    assert all(name.startswith(("paragraph_fts", "ix_paragraph_search")) for name in names)


def test_rows_survive_the_upgrade_from_0001(empty_url: str) -> None:
    upgrade(empty_url, "0001")
    engine = make_engine(empty_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO organisation (name, signer_roles, meeting_reminder_days, reminder_time, "
                "remind_members_personally, digest_enabled, created_at) VALUES ('Förbundet Åre', "
                "'justerare', '7', '09:00:00', true, false, '2024-01-01 00:00:00')"))
    finally:
        engine.dispose()
    upgrade(empty_url)
    engine = make_engine(empty_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM organisation")).scalars().all() == ["Förbundet Åre"]
    finally:
        engine.dispose()


def test_sqlite_paragraphs_from_before_0002_are_searchable(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    url = f"sqlite:///{path}"
    upgrade(url, "0001")
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO organisation (name, signer_roles, meeting_reminder_days, reminder_time, "
                 "remind_members_personally, digest_enabled, created_at) "
                 "VALUES ('F', 'j', '7', '09:00:00', 0, 0, '2024-01-01 00:00:00')")
    conn.execute("INSERT INTO document (organisation_id, kind, file_name, content_hash, text, ingested_at) "
                 "VALUES (1, 'protokoll', 'p', 'h', 't', '2024-01-01 00:00:00')")
    conn.execute("INSERT INTO paragraph (document_id, organisation_id, number, title, body, search_text) "
                 "VALUES (1, 1, 1, 'Budget', 'b', 'budget')")
    conn.commit()
    conn.close()
    upgrade(url)
    conn = sqlite3.connect(path)
    try:
        found = conn.execute("SELECT rowid FROM paragraph_fts WHERE paragraph_fts MATCH 'budget'").fetchall()
    finally:
        conn.close()
    assert found == [(1,)]
