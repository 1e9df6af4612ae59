"""The database: engine, sessions, migrations, and clear errors when something is wrong.

A SQLite file is the default (WAL mode, foreign keys enforced); PostgreSQL is used when
`BOARDBOT_DATABASE_URL` says `postgresql+psycopg://…`. Both run the same Alembic
migrations, so both have the same tables, constraints, search index and audit guard.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlmodel import Session, create_engine

from storage.settings import get_settings

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class StoreError(Exception):
    """A problem with the store that a person can fix; the message says how."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # A read-only file cannot switch journal mode; reads still work.
    mode = None
    with contextlib.suppress(sqlite3.OperationalError):
        mode = cursor.execute("PRAGMA journal_mode=WAL").fetchone()
    if mode and str(mode[0]).lower() == "wal":
        # In WAL mode NORMAL syncs at checkpoints, not at every commit: a commit survives a
        # crash of boardbot, and the file never corrupts; only a power loss or OS crash can
        # roll back the last few commits. FULL's fsync per commit cost more than a whole
        # document's inserts, and ingest commits once per document.
        cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def describe_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<malformed URL>"


def parse_url(url: str) -> URL:
    """The parsed URL of a supported database, or a StoreError saying how to write one."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(
            f"BOARDBOT_DATABASE_URL is not a database URL ({exc}). "
            "Use e.g. sqlite:///boardbot.db or postgresql+psycopg://user:password@host/dbname."
        ) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(
            f"Unsupported database '{parsed.get_backend_name()}'. Use sqlite:/// or postgresql+psycopg://."
        )
    return parsed


def make_engine(url: str) -> Engine:
    parsed = parse_url(url)
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 5}
    else:
        kwargs["pool_pre_ping"] = True
        kwargs["connect_args"] = {"connect_timeout": 5}
    try:
        engine = create_engine(url, **kwargs)
    except (NoSuchModuleError, ArgumentError, ImportError) as exc:
        raise StoreError(f"Cannot use database URL {describe_url(url)}: {exc}") from None
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


# Made by raw SQL in migration 0002 (SQLite FTS5 tables, PostgreSQL GIN index): the models
# cannot describe them, so autogenerate must not propose dropping them.
SQL_ONLY_OBJECTS = ("paragraph_fts", "ix_paragraph_search")


def include_in_autogenerate(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic's include_object hook: skip the search objects that live outside the models."""
    return not (reflected and compare_to is None and name is not None and name.startswith(SQL_ONLY_OBJECTS))


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision(url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except DBAPIError as exc:
        raise _friendly(exc, engine.url.render_as_string(hide_password=False)) from None


def _friendly(exc: Exception, url: str) -> StoreError:
    text = str(exc).lower()
    where = describe_url(url)
    if "readonly" in text or "read-only" in text:
        return StoreError(f"The database {where} is read-only. Make the file writable or point "
                          "BOARDBOT_DATABASE_URL at a writable location.")
    if "locked" in text:
        return StoreError(f"The database {where} is locked by another process. Stop the other "
                          "boardbot process or try again in a moment.")
    if "unable to open" in text:
        return StoreError(f"Cannot open the database file {where}. Check that its folder exists "
                          "and is writable.")
    if "not a database" in text:
        return StoreError(f"The file behind {where} is not a SQLite database. Point "
                          "BOARDBOT_DATABASE_URL at boardbot's database file.")
    if "password authentication failed" in text:
        return StoreError(f"The database server refused the login for {where}. Check user and "
                          "password in BOARDBOT_DATABASE_URL.")
    if "does not exist" in text and "database" in text:
        return StoreError(f"The database {where} does not exist on the server. Create it (createdb) "
                          "or fix its name in BOARDBOT_DATABASE_URL.")
    if "connection" in text or "could not" in text or "timeout" in text or "resolve" in text:
        return StoreError(f"Cannot reach the database {where}. Check that the server runs and that "
                          "host, port, user and password in BOARDBOT_DATABASE_URL are right.")
    return StoreError(f"Database error on {where}: {str(exc).splitlines()[0]}")


# What the application role may do on PostgreSQL (run after every upgrade, so new tables are
# covered): read and write the board's tables, append to the audit log and move its chain's
# head, read the schema revision. It owns nothing, so it cannot ALTER or DISABLE a trigger.
_APP_GRANTS = (
    "GRANT USAGE ON SCHEMA public TO {role}",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
    "REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON auditlog FROM {role}",
    "REVOKE INSERT, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audithead FROM {role}",
    "REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM {role}",
    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
)


def grant_app_role(conn: Any, role: str) -> None:
    """Gives the application's PostgreSQL role its rights on the schema the owner just migrated."""
    exists = conn.exec_driver_sql("SELECT 1 FROM pg_roles WHERE rolname = %(r)s", {"r": role}).first()
    if exists is None:
        raise StoreError(f"The PostgreSQL role {role!r} (BOARDBOT_DATABASE_APP_ROLE) does not exist. Create it "
                         "first, e.g. with scripts/start_postgres.sh or CREATE ROLE … LOGIN PASSWORD ….")
    owner = conn.exec_driver_sql("SELECT tableowner FROM pg_tables WHERE tablename = 'auditlog'").scalar()
    if owner == role:
        raise StoreError(f"The role {role!r} owns the tables: run `boardbot db upgrade` as the owner role and "
                         "let the application connect as another one.")
    quoted = conn.dialect.identifier_preparer.quote(role)
    for statement in _APP_GRANTS:
        conn.exec_driver_sql(statement.format(role=quoted))


def upgrade(url: str, revision: str = "head", app_role: str | None = None) -> None:
    """Bring the schema up to `revision` (Alembic); on PostgreSQL then grant `app_role` (default:
    BOARDBOT_DATABASE_APP_ROLE) what the application needs."""
    engine = make_engine(url)
    app_role = app_role or get_settings().database_app_role
    try:
        with engine.begin() as conn:
            cfg = alembic_config(url)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            if app_role and engine.dialect.name == "postgresql":
                grant_app_role(conn, app_role)
    except DBAPIError as exc:
        raise _friendly(exc, url) from None
    except CommandError as exc:
        # An unknown target, or a store migrated by a newer boardbot than this one.
        raise StoreError(f"Cannot upgrade {describe_url(url)}: {str(exc).splitlines()[0]}. "
                         "Run `boardbot db upgrade` without a revision, or a newer boardbot.") from None
    finally:
        engine.dispose()


def _is_new_sqlite(url: str) -> bool:
    parsed = parse_url(url)
    if parsed.get_backend_name() != "sqlite":
        return False
    database = parsed.database or ""
    if database in ("", ":memory:"):
        return True
    path = Path(database)
    if not path.exists() or path.stat().st_size == 0:
        return True
    return _sqlite_has_no_tables(path)


def _sqlite_has_no_tables(path: Path) -> bool:
    """True for a database file with nothing in it yet.

    Any bare connection (`boardbot db status` on a new path, say) leaves such a file behind;
    it must still count as new, or the first real start would refuse to create the store.
    """
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        return int(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]) == 0
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def open_engine(url: str | None = None, *, auto_create: bool = True) -> Engine:
    """An engine for a store at the current schema, or a StoreError saying what to do.

    A new SQLite file is created and migrated on first use; an existing store at an older
    schema is not touched: the person running boardbot decides when to upgrade.
    """
    url = url or get_settings().database_url
    fresh = _is_new_sqlite(url)
    if fresh and auto_create:
        database = make_url(url).database or ""
        if database and database != ":memory:":
            parent = Path(database).parent
            if not parent.exists():
                raise StoreError(f"Cannot create the database {describe_url(url)}: folder {parent} "
                                 "does not exist.")
        upgrade(url)
    engine = make_engine(url)
    try:
        current = current_revision(engine)
    except StoreError:
        engine.dispose()
        raise
    except SQLAlchemyError as exc:
        engine.dispose()
        raise _friendly(exc, url) from None
    head = head_revision(url)
    if current != head:
        engine.dispose()
        if current is None:
            raise StoreError(f"The database {describe_url(url)} has no boardbot schema yet. "
                             "Run `boardbot db upgrade` first.")
        if not _known_revision(url, current):
            raise StoreError(f"The database {describe_url(url)} is at schema {current}, newer than "
                             f"this boardbot knows ({head}). Install the newer boardbot that wrote it.")
        raise StoreError(f"The database {describe_url(url)} is at schema {current}, this boardbot "
                         f"needs {head}. Run `boardbot db upgrade` (back it up first).")
    if engine.dialect.name == "sqlite":
        try:
            _probe_sqlite_write(engine)
        except StoreError:
            engine.dispose()
            raise
    return engine


def _known_revision(url: str, revision: str) -> bool:
    try:
        return ScriptDirectory.from_config(alembic_config(url)).get_revision(revision) is not None
    except CommandError:
        return False


def _probe_sqlite_write(engine: Engine) -> None:
    """Fail now, not at the first reminder, when the file is read-only or locked by another process.

    SQLite reads a read-only or write-locked file without complaint (WAL lets readers past a
    writer), so only a write shows it; this one changes nothing and is rolled back.
    """
    try:
        with engine.connect() as conn, conn.begin() as trans:
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = version_num")
            trans.rollback()
    except DBAPIError as exc:
        raise _friendly(exc, engine.url.render_as_string(hide_password=False)) from None


@lru_cache(maxsize=4)
def _cached_engine(url: str) -> Engine:
    return open_engine(url)


def get_engine(url: str | None = None) -> Engine:
    return _cached_engine(url or get_settings().database_url)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back on any error."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()


def env_database_url() -> str:
    return os.environ.get("BOARDBOT_DATABASE_URL") or get_settings().database_url
