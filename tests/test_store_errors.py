"""A store that cannot be used gives one line that says what to do, and is left as it was.

Each case is checked twice: `open_engine` raises StoreError, and the real `boardbot db …`
command exits with code 2 and one line on stderr, without a traceback.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from storage.db import StoreError, head_revision, open_engine, upgrade
from tests.conftest import owner_url

BOARDBOT = Path(sys.executable).with_name("boardbot")
PG_URL = os.environ.get("BOARDBOT_TEST_POSTGRES_URL")
# linux/prctl.h and linux/capability.h
PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 1, 2, 3


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def run_cli(url: str, *args: str, cwd: Path, unprivileged: bool = False) -> Run:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOARDBOT_")}
    env["BOARDBOT_DATABASE_URL"] = url
    proc = subprocess.run([str(BOARDBOT), *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=120, **(_unprivileged() if unprivileged else {}))
    return Run(proc.returncode, proc.stdout, proc.stderr)


def assert_fails_in_one_line(run: Run, *phrases: str) -> str:
    assert run.code == 2, (run.code, run.stdout, run.stderr)
    assert "Traceback" not in run.stderr
    message = run.stderr.strip()
    assert message and "\n" not in message, run.stderr
    assert message.startswith("boardbot: ")
    for phrase in phrases:
        assert phrase in message
    return message


def assert_one_line(error: StoreError, *phrases: str) -> None:
    message = str(error)
    assert message and "\n" not in message
    for phrase in phrases:
        assert phrase in message


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _revision(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        conn.close()


# --- malformed and unsupported URLs --------------------------------------------------------


@pytest.mark.parametrize(("url", "phrase"), [
    ("not a url", "sqlite:///"),
    ("://nothing", "sqlite:///"),
    ("mysql://user@127.0.0.1/board", "Unsupported database 'mysql'"),
])
def test_malformed_url(url: str, phrase: str) -> None:
    with pytest.raises(StoreError) as caught:
        open_engine(url)
    assert_one_line(caught.value, phrase)


def test_malformed_url_on_the_command_line(tmp_path: Path) -> None:
    for command in (["db", "status"], ["db", "upgrade"]):
        assert_fails_in_one_line(run_cli("not a url", *command, cwd=tmp_path), "BOARDBOT_DATABASE_URL")
    assert list(tmp_path.iterdir()) == []


# --- an unreachable PostgreSQL -------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_postgres(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://boardbot:secret-pw@127.0.0.1:{_closed_port()}/boardbot"
    with pytest.raises(StoreError) as caught:
        open_engine(url)
    assert_one_line(caught.value, "Cannot reach the database", "BOARDBOT_DATABASE_URL")
    assert "secret-pw" not in str(caught.value)
    for command in (["db", "status"], ["db", "upgrade"]):
        message = assert_fails_in_one_line(run_cli(url, *command, cwd=tmp_path), "Cannot reach")
        assert "secret-pw" not in message


def test_postgres_with_wrong_password(tmp_path: Path) -> None:
    if not PG_URL:
        pytest.skip("no PostgreSQL server: set BOARDBOT_TEST_POSTGRES_URL")
    from sqlalchemy.engine import make_url

    url = make_url(PG_URL).set(password="wrong-password").render_as_string(hide_password=False)
    with pytest.raises(StoreError) as caught:
        open_engine(url)
    assert_one_line(caught.value, "user and password")
    assert "wrong-password" not in str(caught.value)


# --- a SQLite file that is not a database --------------------------------------------------


def test_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("Mötesanteckningar, inte en databas.\n" * 200, encoding="utf-8")
    before = digest(path)
    url = f"sqlite:///{path}"
    with pytest.raises(StoreError) as caught:
        open_engine(url)
    assert_one_line(caught.value, "not a SQLite database")
    assert_fails_in_one_line(run_cli(url, "db", "upgrade", cwd=tmp_path), "not a SQLite database")
    assert digest(path) == before


# --- a read-only SQLite file ---------------------------------------------------------------


def _drop_root_file_override() -> None:
    """Runs in the child before exec: without these capabilities root obeys file modes too."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def _unprivileged() -> dict[str, Any]:
    """Root writes to any file whatever its mode, so as root the check runs without that power."""
    if os.geteuid() != 0:
        return {}
    return {"preexec_fn": _drop_root_file_override}


@pytest.fixture
def store_dir(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "store"
    path.mkdir()
    try:
        yield path
    finally:
        path.chmod(0o755)


def _open_unprivileged(url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    code = ("import sys\nfrom storage.db import StoreError, open_engine\n"
            "try:\n    open_engine(sys.argv[1])\nexcept StoreError as exc:\n"
            "    print(exc)\n    sys.exit(3)\nprint('opened')\n")
    return subprocess.run([sys.executable, "-c", code, url], cwd=cwd, capture_output=True, text=True,
                          timeout=120, **_unprivileged())


@pytest.mark.parametrize("folder_writable", [True, False], ids=["folder-writable", "folder-read-only"])
@pytest.mark.parametrize("schema", ["head", "0001"])
def test_read_only_file(store_dir: Path, folder_writable: bool, schema: str) -> None:
    path = store_dir / "store.db"
    url = f"sqlite:///{path}"
    upgrade(url, schema)
    path.chmod(0o444)
    # A writable folder lets SQLite make its -wal/-shm files, so reads succeed and only a write fails.
    store_dir.chmod(0o777 if folder_writable else 0o555)
    before = digest(path)

    opened = _open_unprivileged(url, store_dir)
    assert opened.returncode == 3, (opened.stdout, opened.stderr)
    message = opened.stdout.strip()
    assert "\n" not in message and "Traceback" not in opened.stderr
    assert "read-only" in message or "is at schema 0001" in message, message
    if schema == "head":
        assert "read-only" in message

    # The command line is slow to start: run it where it has something to refuse.
    if schema == "0001" and folder_writable:
        run = run_cli(url, "db", "upgrade", cwd=store_dir, unprivileged=True)
        assert_fails_in_one_line(run, "read-only", "writable")
        status = run_cli(url, "db", "status", cwd=store_dir, unprivileged=True)
        assert status.code == 0 and "needs upgrade" in status.stdout, status.stderr

    assert digest(path) == before
    assert _revision(path) == ("0001" if schema == "0001" else head_revision(url))


# --- a SQLite file locked by another process -----------------------------------------------


@pytest.fixture
def exclusive_lock() -> Iterator[Any]:
    held: list[sqlite3.Connection] = []

    def lock(path: Path) -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        held.append(conn)

    yield lock
    for conn in held:
        conn.rollback()
        conn.close()


def test_locked_file(tmp_path: Path, exclusive_lock: Any) -> None:
    """WAL lets a reader past the lock, so only open_engine's write probe notices it."""
    path = tmp_path / "store.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    exclusive_lock(path)
    with pytest.raises(StoreError) as caught:
        open_engine(url)
    assert_one_line(caught.value, "locked by another process")


def test_locked_file_is_not_upgraded(tmp_path: Path, exclusive_lock: Any) -> None:
    path = tmp_path / "store.db"
    url = f"sqlite:///{path}"
    upgrade(url, "0001")
    exclusive_lock(path)
    assert_fails_in_one_line(run_cli(url, "db", "upgrade", cwd=tmp_path), "locked by another process")
    assert _revision(path) == "0001"


# --- a store at an older (or newer) schema -------------------------------------------------


def test_older_schema_is_not_upgraded_behind_the_users_back(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    url = f"sqlite:///{path}"
    upgrade(url, "0001")
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO processedevent (platform, event_id, received_at) "
                     "VALUES ('slack', 'Ev1', '2024-01-01 00:00:00')")
    conn.close()
    before = digest(path)

    with pytest.raises(StoreError) as caught:
        open_engine(url)
    assert_one_line(caught.value, "is at schema 0001", "boardbot db upgrade")
    assert digest(path) == before

    status = run_cli(url, "db", "status", cwd=tmp_path)
    assert status.code == 0, status.stderr
    assert f"schema 0001 (needs upgrade to {head_revision(url)})" in status.stdout
    assert digest(path) == before

    upgraded = run_cli(url, "db", "upgrade", cwd=tmp_path)
    assert upgraded.code == 0, upgraded.stderr
    engine = open_engine(url)
    try:
        with engine.connect() as conn2:
            assert conn2.execute(text("SELECT event_id FROM processedevent")).scalars().all() == ["Ev1"]
    finally:
        engine.dispose()


def test_older_schema_on_both_databases(store_url: str) -> None:
    from alembic import command

    from storage.db import alembic_config, current_revision, make_engine

    # Migrations run as the tables' owner (on PostgreSQL the store's own URL is the app role's).
    engine = make_engine(owner_url(store_url))
    try:
        with engine.begin() as conn:
            cfg = alembic_config(store_url)
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0001")
        with pytest.raises(StoreError) as caught:
            open_engine(store_url)
        assert_one_line(caught.value, "is at schema 0001", "boardbot db upgrade")
        assert current_revision(engine) == "0001"
    finally:
        engine.dispose()


def test_schema_newer_than_this_boardbot(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.close()
    with pytest.raises(StoreError) as caught:
        open_engine(url)
    assert_one_line(caught.value, "0099", "newer")
    assert_fails_in_one_line(run_cli(url, "db", "upgrade", cwd=tmp_path), "0099")
    assert _revision(path) == "0099"


def test_unknown_target_revision(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    upgrade(url)
    assert_fails_in_one_line(run_cli(url, "db", "upgrade", "nonsense", cwd=tmp_path), "nonsense")


# --- a new SQLite store is made on first use -----------------------------------------------


def test_new_sqlite_store_is_created_and_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "ny.db"
    url = f"sqlite:///{path}"
    assert not path.exists()
    engine = open_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO processedevent (platform, event_id, received_at) "
                              "VALUES ('slack', 'Ev1', '2024-01-01 00:00:00')"))
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == \
                head_revision(url)
    finally:
        engine.dispose()
    assert path.exists()


def test_empty_file_counts_as_new(tmp_path: Path) -> None:
    path = tmp_path / "tom.db"
    path.touch()
    engine = open_engine(f"sqlite:///{path}")
    engine.dispose()
    assert _revision(path) == head_revision(f"sqlite:///{path}")


def test_missing_folder_is_not_created(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'saknas' / 'store.db'}"
    with pytest.raises(StoreError) as caught:
        open_engine(url)
    assert_one_line(caught.value, "does not exist")
    assert not (tmp_path / "saknas").exists()


def test_status_before_first_use_does_not_spoil_the_new_store(tmp_path: Path) -> None:
    """`db status` on a new path leaves an empty SQLite file; the first open must still create the store."""
    path = tmp_path / "ny.db"
    url = f"sqlite:///{path}"
    run = run_cli(url, "db", "status", cwd=tmp_path)
    assert run.code == 0, run.stderr
    assert "schema none" in run.stdout
    engine = open_engine(url)
    engine.dispose()
    assert _revision(path) == head_revision(url)
