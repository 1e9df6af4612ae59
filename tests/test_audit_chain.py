"""The hash-chained audit log and the certificate built from it, on SQLite and PostgreSQL.

Attacks (issue 12, items 6 and 7): an UPDATE to the mutable confirmation table must not change
the certificate; a rewrite of the log around its append-only guard (triggers dropped or
disabled, as the database's superuser could) must be caught by `boardbot justering verify`,
which names the first broken link, and a log rewritten with fresh hashes must no longer match
a certificate issued before.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from typer.testing import CliRunner

from bot.cli import app
from handlers.assistant import Assistant
from storage import justering as j
from storage.audit import GENESIS, digest_of, entry_digest, verify_chain
from storage.certificate import build, fingerprint, render_text
from storage.db import open_engine
from storage.models import AuditLog, JusteringRound
from tests.conftest import owner_url
from tests.justering_board import (
    PARAGRAPHS,
    Board,
    Clock,
    make_board,
    protocol_text,
    sha,
    slack,
    start_in_slack,
)

NOW = dt.datetime(2023, 11, 27, 9, 0, tzinfo=dt.UTC)
V1 = j.short_hash(sha(protocol_text(PARAGRAPHS)))
ORG = ["--org", "Härnösand", "--meeting", "2023-11-24"]
THREAD = "1700000000.000100"


@pytest.fixture
def signed(store_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Engine, Board, int]]:
    """A round both signers have confirmed in the Slack thread."""
    engine = open_engine(store_url)
    monkeypatch.setenv("BOARDBOT_DATABASE_URL", store_url)
    board = make_board(engine)
    assistant = Assistant(engine, clock=Clock(NOW))
    _, round_id = start_in_slack(assistant)
    assistant.handle(slack(f"justerat {V1}", user="U0NIKLAS", thread=THREAD))
    done = assistant.handle(slack(f"justerat {V1}", user="U0MONICA", thread=THREAD))
    assert "Alla har justerat" in done.text
    yield engine, board, round_id
    engine.dispose()


def certificate_text(engine: Engine, round_id: int) -> str:
    with Session(engine) as session:
        rnd = session.get(JusteringRound, round_id)
        assert rnd is not None
        return render_text(build(session, rnd, NOW))


def entry_of(engine: Engine, action: str) -> AuditLog:
    with Session(engine) as session:
        return session.exec(select(AuditLog).where(AuditLog.action == action)
                            .order_by(col(AuditLog.id))).first()  # type: ignore[return-value]


def around_the_guard(engine: Engine, *statements: str) -> None:
    """Runs statements on the audit log as the tables' owner or a superuser could: guard lifted.
    (The application's own role cannot: tests/test_pg_roles.py.)"""
    owner = create_engine(owner_url(engine.url.render_as_string(hide_password=False)))
    try:
        with owner.begin() as conn:
            if owner.dialect.name == "sqlite":
                conn.execute(text("DROP TRIGGER IF EXISTS auditlog_no_update"))
                conn.execute(text("DROP TRIGGER IF EXISTS auditlog_no_delete"))
            else:
                conn.execute(text("ALTER TABLE auditlog DISABLE TRIGGER USER"))
            for statement in statements:
                conn.execute(text(statement))
    finally:
        owner.dispose()


def test_every_entry_is_chained_to_the_one_before(signed: tuple[Engine, Board, int]) -> None:
    engine, _, _ = signed
    with Session(engine) as session:
        entries = session.exec(select(AuditLog).order_by(col(AuditLog.id))).all()
        assert len(entries) >= 5  # started, thread bound, two confirmed, completed
        assert entries[0].prev_hash == GENESIS
        for before, entry in itertools.pairwise(entries):
            assert entry.prev_hash == before.entry_hash and entry.entry_hash == digest_of(entry)
        report = verify_chain(session)
    assert report.ok and report.entries == len(entries) and report.last_hash == entries[-1].entry_hash


def test_an_update_to_the_confirmation_table_does_not_change_the_certificate(
        signed: tuple[Engine, Board, int]) -> None:
    engine, board, round_id = signed
    before = certificate_text(engine, round_id)
    assert "Justerat 2023-11-27 10:00:00 via Slack, användar-id U0NIKLAS" in before
    with engine.begin() as conn:
        conn.execute(text("UPDATE justeringconfirmation SET confirmed_at = :t, platform_user_id = 'U0EVIL', "
                          "platform = 'teams' WHERE person_id = :p"),
                     {"t": dt.datetime(2023, 12, 30, 12, 0), "p": board.people["Niklas"]})
        conn.execute(text("DELETE FROM justeringconfirmation WHERE person_id = :p"), {"p": board.people["Monica"]})
    assert certificate_text(engine, round_id) == before


def test_verify_checks_the_certificate_and_names_the_first_broken_link(
        signed: tuple[Engine, Board, int], tmp_path: Path) -> None:
    engine, _, _ = signed
    runner = CliRunner()
    issued = runner.invoke(app, ["justering", "certificate", *ORG, "--pdf", str(tmp_path / "intyg.pdf")])
    assert issued.exit_code == 0, issued.output
    (tmp_path / "intyg.txt").write_text(issued.output.rsplit("PDF:", 1)[0], encoding="utf-8")
    for name in ("intyg.txt", "intyg.pdf"):
        ok = runner.invoke(app, ["justering", "verify", str(tmp_path / name)])
        assert ok.exit_code == 0, ok.output
        assert "kedjan är hel" in ok.output and "Intyget stämmer med granskningsloggen" in ok.output

    # An edited certificate: the log says otherwise.
    forged = issued.output.replace("användar-id U0NIKLAS", "användar-id U0OTHER")
    (tmp_path / "forged.txt").write_text(forged, encoding="utf-8")
    edited = runner.invoke(app, ["justering", "verify", str(tmp_path / "forged.txt")])
    assert edited.exit_code == 1 and "Intygets text skiljer sig" in edited.output and "U0NIKLAS" in edited.output

    # Niklas's confirmation rewritten in the log, around the guard: the chain breaks at that entry.
    target = entry_of(engine, "justering.confirmed")
    around_the_guard(engine, f"UPDATE auditlog SET detail = replace(detail, 'U0NIKLAS', 'U0EVIL') "
                             f"WHERE id = {target.id}")
    broken = runner.invoke(app, ["justering", "verify"])
    assert broken.exit_code == 1
    assert f"BRUTEN vid post {target.id}" in broken.output and "changed after it was written" in broken.output
    against = runner.invoke(app, ["justering", "verify", str(tmp_path / "intyg.pdf")])
    assert against.exit_code == 1 and f"BRUTEN vid post {target.id}" in against.output


def test_a_log_rewritten_with_fresh_hashes_no_longer_matches_an_issued_certificate(
        signed: tuple[Engine, Board, int], tmp_path: Path) -> None:
    engine, _, round_id = signed
    runner = CliRunner()
    issued = runner.invoke(app, ["justering", "certificate", *ORG])
    (tmp_path / "intyg.txt").write_text(issued.output, encoding="utf-8")
    # The superuser rewrites Niklas's confirmation and recomputes every hash from there on.
    target = entry_of(engine, "justering.confirmed")
    around_the_guard(engine, f"UPDATE auditlog SET detail = replace(detail, 'U0NIKLAS', 'U0EVIL') "
                             f"WHERE id >= {target.id}")
    with Session(engine) as session:
        previous = session.exec(select(AuditLog.entry_hash).where(col(AuditLog.id) < target.id)
                                .order_by(col(AuditLog.id).desc())).first() or GENESIS
        rows = session.exec(select(AuditLog).where(col(AuditLog.id) >= target.id).order_by(col(AuditLog.id))).all()
        rewritten = []
        for entry in rows:
            digest = entry_digest(previous, entry.at, entry.organisation_id, entry.actor, entry.action, entry.subject,
                                  entry.detail)
            rewritten.append((entry.id, previous, digest))
            previous = digest
    owner = create_engine(owner_url(engine.url.render_as_string(hide_password=False)))
    with owner.begin() as conn:
        # Out of the way first: the unique constraints must not trip while hashes are moved.
        for entry_id, _, _ in rewritten:
            conn.execute(text("UPDATE auditlog SET prev_hash = :p, entry_hash = :e WHERE id = :i"),
                         {"p": str(entry_id).rjust(64, "a"), "e": str(entry_id).rjust(64, "b"), "i": entry_id})
        for entry_id, prev_hash, digest in rewritten:
            conn.execute(text("UPDATE auditlog SET prev_hash = :p, entry_hash = :e WHERE id = :i"),
                         {"p": prev_hash, "e": digest, "i": entry_id})
        conn.execute(text("UPDATE audithead SET last_hash = :h"), {"h": previous})
    owner.dispose()
    assert runner.invoke(app, ["justering", "verify"]).exit_code == 0  # the chain itself holds again
    against = runner.invoke(app, ["justering", "verify", str(tmp_path / "intyg.txt")])
    assert against.exit_code == 1
    assert "loggen har skrivits om efter att intyget utfärdades" in against.output
    assert "U0EVIL" in certificate_text(engine, round_id)


def test_an_entry_removed_from_the_middle_or_the_end_is_found(signed: tuple[Engine, Board, int]) -> None:
    engine, _, _ = signed
    target = entry_of(engine, "justering.confirmed")
    with Session(engine) as session:
        last = session.exec(select(AuditLog).order_by(col(AuditLog.id).desc())).first()
        assert last is not None and last.id is not None
        following = session.exec(select(AuditLog.id).where(col(AuditLog.id) > target.id)
                                 .order_by(col(AuditLog.id))).first()
    around_the_guard(engine, f"DELETE FROM auditlog WHERE id = {last.id}")
    with Session(engine) as session:
        cut = verify_chain(session)
    assert not cut.ok and cut.broken_at is None and "removed from the end" in (cut.reason or "")
    around_the_guard(engine, f"DELETE FROM auditlog WHERE id = {target.id}")
    with Session(engine) as session:
        gap = verify_chain(session)
    assert gap.broken_at == following and "removed, inserted or reordered" in (gap.reason or "")


def test_the_certificate_fingerprint_covers_what_it_attests(signed: tuple[Engine, Board, int]) -> None:
    engine, _, round_id = signed
    with Session(engine) as session:
        rnd = session.get(JusteringRound, round_id)
        assert rnd is not None
        cert = build(session, rnd, NOW)
        later = build(session, rnd, NOW + dt.timedelta(days=3))
        assert fingerprint(cert) == fingerprint(later)  # printing it again does not change it
        cert.signers[0].platform_user_id = "U0OTHER"
        assert fingerprint(cert) != fingerprint(later)


def test_without_its_start_in_the_log_a_round_gets_no_certificate_and_verify_says_why(
        signed: tuple[Engine, Board, int], tmp_path: Path) -> None:
    engine, _, _ = signed
    runner = CliRunner()
    issued = runner.invoke(app, ["justering", "certificate", *ORG])
    (tmp_path / "intyg.txt").write_text(issued.output, encoding="utf-8")
    start = entry_of(engine, "justering.started")
    around_the_guard(engine, f"DELETE FROM auditlog WHERE id = {start.id}")
    refused = runner.invoke(app, ["justering", "certificate", *ORG])
    assert refused.exit_code == 1 and "saknar sin start i granskningsloggen" in refused.output
    checked = runner.invoke(app, ["justering", "verify", str(tmp_path / "intyg.txt")])
    assert checked.exit_code == 1
    assert "BRUTEN vid post" in checked.output and "saknar sin start" in checked.output


def test_without_its_start_in_the_log_the_chat_says_why_in_the_askers_language(
        signed: tuple[Engine, Board, int]) -> None:
    engine, _, _ = signed
    start = entry_of(engine, "justering.started")
    around_the_guard(engine, f"DELETE FROM auditlog WHERE id = {start.id}")
    assistant = Assistant(engine, clock=Clock(NOW))
    swedish = assistant.handle(slack("justeringsintyg 2023-11-24", user="U0ULRIKA"))
    assert not swedish.answered and "saknar sin start i granskningsloggen" in swedish.text
    english = assistant.handle(slack("certificate for the minutes of 2023-11-24", user="U0ULRIKA"))
    assert not english.answered and "lacks the start" in english.text, english.text
