"""Fixtures: a real store on SQLite (a file) and on PostgreSQL (a fresh database per test).

PostgreSQL comes from BOARDBOT_TEST_POSTGRES_URL (set by .ci/run). Without it the
PostgreSQL variants are skipped with the reason printed; with BOARDBOT_REQUIRE_POSTGRES=1
(as in CI) they fail instead, so CI cannot pass without really running them.

That URL's role owns the test databases and runs the migrations, as in production; the stores
the tests get connect as the application role (BOARDBOT_TEST_POSTGRES_APP_ROLE, default
boardbot_app, made by scripts/start_postgres.sh), which owns nothing and may only append to the
audit log. `owner_url` turns a store's URL back into the owner's, for tests that act as it.
"""

from __future__ import annotations

import os
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from storage.db import open_engine, upgrade
from storage.settings import get_settings

SEEDS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
PG_URL = os.environ.get("BOARDBOT_TEST_POSTGRES_URL")
REQUIRE_PG = os.environ.get("BOARDBOT_REQUIRE_POSTGRES") == "1"
PG_APP_ROLE = os.environ.get("BOARDBOT_TEST_POSTGRES_APP_ROLE", "boardbot_app")
# The role's password: its name, as scripts/start_postgres.sh sets it, unless given.
PG_APP_PASSWORD = os.environ.get("BOARDBOT_TEST_POSTGRES_APP_PASSWORD", PG_APP_ROLE)

_template_db: str | None = None


def _admin_engine() -> Engine:
    assert PG_URL
    return create_engine(PG_URL, isolation_level="AUTOCOMMIT")


def _pg_template() -> str:
    """A database migrated once per session; each test copies it (CREATE DATABASE … TEMPLATE)."""
    global _template_db
    if _template_db is None:
        name = f"bb_tpl_{os.getpid()}"
        admin = _admin_engine()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        upgrade(make_url(PG_URL).set(database=name).render_as_string(hide_password=False), app_role=PG_APP_ROLE)
        _template_db = name
    return _template_db


def new_pg_database() -> str:
    """A fresh copy of the migrated template, and its URL as the application role."""
    name = f"bb_t_{uuid.uuid4().hex[:12]}"
    template = _pg_template()
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    admin.dispose()
    assert PG_URL
    return make_url(PG_URL).set(database=name, username=PG_APP_ROLE,
                                password=PG_APP_PASSWORD).render_as_string(hide_password=False)


def owner_url(url: str) -> str:
    """The same database as the role that owns its tables (a PostgreSQL store's URL is the app role's)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql" or not PG_URL:
        return url
    owner = make_url(PG_URL)
    return parsed.set(username=owner.username, password=owner.password).render_as_string(hide_password=False)


def drop_pg_database(url: str) -> None:
    name = make_url(url).database
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _template_db and PG_URL:
        admin = _admin_engine()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{_template_db}" WITH (FORCE)'))
        admin.dispose()


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """One line per reason for skipped tests (not one line per test, as -ra would print); reasons
    that differ only after their first ":" (the same cause, worded at more or less length) are one."""
    counts: Counter[str] = Counter()
    wording: dict[str, str] = {}
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = getattr(report, "longrepr", None)
        reason = str(longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else "skipped")
        reason = reason.removeprefix("Skipped: ")
        cause = reason.split(":", 1)[0]
        counts[cause] += 1
        if len(reason) > len(wording.get(cause, "")):
            wording[cause] = reason
    for cause, count in counts.most_common():
        terminalreporter.write_line(f"{count} skipped: {wording[cause]}")


@pytest.fixture(autouse=True)
def _fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Settings are cached per process; a test that sets a variable must see it."""
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _require_pg() -> None:
    if PG_URL:
        return
    if REQUIRE_PG:
        pytest.fail("BOARDBOT_REQUIRE_POSTGRES=1 but BOARDBOT_TEST_POSTGRES_URL is not set")
    pytest.skip("no PostgreSQL server: set BOARDBOT_TEST_POSTGRES_URL to run the PostgreSQL variant")


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty store at the current schema, on each database in turn."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
        upgrade(url)
        yield url
    else:
        _require_pg()
        url = new_pg_database()
        try:
            yield url
        finally:
            drop_pg_database(url)


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    eng = open_engine(store_url)
    yield eng
    eng.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    upgrade(url)
    return url


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    eng = open_engine(sqlite_url)
    yield eng
    eng.dispose()


@pytest.fixture
def seeds_dir() -> Path:
    if not SEEDS_DIR.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"seed documents not found at {SEEDS_DIR}")
        pytest.skip(f"seed documents not found at {SEEDS_DIR}")
    return SEEDS_DIR
