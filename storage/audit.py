"""The audit log's hash chain: how an entry's hash is made, the hook that chains new entries,
and the check that walks the chain and names the first broken link.

Every transaction that appends takes the lock on the one `AuditHead` row first (an UPDATE),
reads the last hash, chains its own entries in the order they were added, and moves the head.
Concurrent writers therefore append one after another, on SQLite and PostgreSQL alike, and a
rolled-back transaction leaves neither entries nor a moved head.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select

from storage.models import AuditHead, AuditLog

GENESIS = "0" * 64


def entry_digest(prev_hash: str, at: dt.datetime, organisation_id: int | None, actor: str, action: str,
                 subject: str | None, detail: str | None) -> str:
    """sha256 over the entry's content and its predecessor's hash, in one canonical form."""
    when = at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    payload = json.dumps([prev_hash, when, organisation_id, actor, action, subject, detail],
                         ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def digest_of(entry: AuditLog) -> str:
    return entry_digest(entry.prev_hash, entry.at, entry.organisation_id, entry.actor, entry.action, entry.subject,
                        entry.detail)


def _lock_head(conn: Connection) -> str:
    """Locks the chain's end for this transaction and returns its hash.

    The lock comes first: on SQLite this write takes the database's write lock before the head
    is read; on PostgreSQL it locks the head row until commit.
    """
    locked = conn.execute(text("UPDATE audithead SET last_hash = last_hash WHERE id = 1")).rowcount
    if not locked:
        conn.execute(text("INSERT INTO audithead (id, last_hash) VALUES (1, :h)"), {"h": GENESIS})
    return str(conn.execute(text("SELECT last_hash FROM audithead WHERE id = 1")).scalar_one())


def _move_head(conn: Connection, last: str) -> None:
    conn.execute(text("UPDATE audithead SET last_hash = :h WHERE id = 1"), {"h": last})


def append_entry(conn: Connection, values: dict[str, Any]) -> None:
    """Appends one entry through SQL rather than the ORM (the loader's fast path), chained."""
    last = _lock_head(conn)
    digest = entry_digest(last, values["at"], values.get("organisation_id"), values["actor"], values["action"],
                          values.get("subject"), values.get("detail"))
    conn.execute(AuditLog.__table__.insert(), {**values, "prev_hash": last, "entry_hash": digest})  # type: ignore[attr-defined]
    _move_head(conn, digest)


def _chain_new_entries(session: OrmSession, _flush_context: Any, _instances: Any) -> None:
    new = sorted((o for o in session.new if isinstance(o, AuditLog)), key=lambda o: inspect(o).insert_order)
    if not new:
        return
    conn = session.connection()
    last = _lock_head(conn)
    for entry in new:
        entry.prev_hash = last
        entry.entry_hash = last = digest_of(entry)
    _move_head(conn, last)


event.listen(OrmSession, "before_flush", _chain_new_entries)


@dataclass
class ChainReport:
    entries: int
    last_id: int | None
    last_hash: str
    broken_at: int | None = None  # the id of the first entry that does not hold
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_at is None and self.reason is None


def verify_chain(session: Session, up_to: int | None = None) -> ChainReport:
    """Walks the log in order and names the first entry whose link or content does not hold."""
    previous = GENESIS
    count = 0
    last_id: int | None = None
    query = select(AuditLog).order_by(col(AuditLog.id)).execution_options(yield_per=1000)
    if up_to is not None:
        query = query.where(col(AuditLog.id) <= up_to)
    for entry in session.exec(query):
        count += 1
        if entry.prev_hash != previous:
            return ChainReport(count, last_id, previous, entry.id,
                               "its link does not point to the entry before it: an entry before it was "
                               "removed, inserted or reordered")
        if digest_of(entry) != entry.entry_hash:
            return ChainReport(count, last_id, previous, entry.id,
                               "its content no longer matches its hash: it was changed after it was written")
        previous, last_id = entry.entry_hash, entry.id
    if up_to is None:
        head = session.get(AuditHead, 1)
        if head is not None and head.last_hash != previous:
            return ChainReport(count, last_id, previous, None,
                               f"the log ends at entry {last_id} but its recorded end is another entry: "
                               "entries were removed from the end")
    return ChainReport(count, last_id, previous)
