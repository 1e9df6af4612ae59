"""Full-text search over paragraphs, and the append-only guard on the audit log and its chain.

Search matches `paragraph.search_text`, which holds Swedish-stemmed words (snowball), so
SQLite and PostgreSQL find the same paragraphs for the same query: SQLite through an FTS5
table kept in step by triggers, PostgreSQL through a GIN index on a 'simple' tsvector.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

from alembic import op

# The first entry's predecessor (storage/audit.GENESIS; written out so the migration stays as it is).
GENESIS = "0" * 64

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UP = [
    "CREATE VIRTUAL TABLE paragraph_fts USING fts5(search_text, content='paragraph', content_rowid='id')",
    # Paragraphs written before this revision must be findable too.
    "INSERT INTO paragraph_fts(paragraph_fts) VALUES('rebuild')",
    """CREATE TRIGGER paragraph_fts_ai AFTER INSERT ON paragraph BEGIN
         INSERT INTO paragraph_fts(rowid, search_text) VALUES (new.id, new.search_text);
       END""",
    """CREATE TRIGGER paragraph_fts_ad AFTER DELETE ON paragraph BEGIN
         INSERT INTO paragraph_fts(paragraph_fts, rowid, search_text)
         VALUES ('delete', old.id, old.search_text);
       END""",
    """CREATE TRIGGER paragraph_fts_au AFTER UPDATE ON paragraph BEGIN
         INSERT INTO paragraph_fts(paragraph_fts, rowid, search_text)
         VALUES ('delete', old.id, old.search_text);
         INSERT INTO paragraph_fts(rowid, search_text) VALUES (new.id, new.search_text);
       END""",
    """CREATE TRIGGER auditlog_no_update BEFORE UPDATE ON auditlog BEGIN
         SELECT RAISE(ABORT, 'auditlog is append-only');
       END""",
    """CREATE TRIGGER auditlog_no_delete BEFORE DELETE ON auditlog BEGIN
         SELECT RAISE(ABORT, 'auditlog is append-only');
       END""",
    # The chain's end (storage/audit.py): one row, moved forward, never removed.
    f"INSERT INTO audithead (id, last_hash) VALUES (1, '{GENESIS}')",
    """CREATE TRIGGER audithead_no_delete BEFORE DELETE ON audithead BEGIN
         SELECT RAISE(ABORT, 'the audit chain head cannot be removed');
       END""",
]

SQLITE_DOWN = [
    "DROP TRIGGER audithead_no_delete",
    "DELETE FROM audithead",
    "DROP TRIGGER auditlog_no_delete",
    "DROP TRIGGER auditlog_no_update",
    "DROP TRIGGER paragraph_fts_au",
    "DROP TRIGGER paragraph_fts_ad",
    "DROP TRIGGER paragraph_fts_ai",
    "DROP TABLE paragraph_fts",
]

POSTGRES_UP = [
    "CREATE INDEX ix_paragraph_search ON paragraph USING gin (to_tsvector('simple', search_text))",
    """CREATE FUNCTION auditlog_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'auditlog is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER auditlog_no_change BEFORE UPDATE OR DELETE ON auditlog
       FOR EACH ROW EXECUTE FUNCTION auditlog_append_only()""",
    """CREATE TRIGGER auditlog_no_truncate BEFORE TRUNCATE ON auditlog
       FOR EACH STATEMENT EXECUTE FUNCTION auditlog_append_only()""",
    f"INSERT INTO audithead (id, last_hash) VALUES (1, '{GENESIS}')",
    """CREATE TRIGGER audithead_no_delete BEFORE DELETE OR TRUNCATE ON audithead
       FOR EACH STATEMENT EXECUTE FUNCTION auditlog_append_only()""",
]

POSTGRES_DOWN = [
    "DROP TRIGGER audithead_no_delete ON audithead",
    "DELETE FROM audithead",
    "DROP TRIGGER auditlog_no_truncate ON auditlog",
    "DROP TRIGGER auditlog_no_change ON auditlog",
    "DROP FUNCTION auditlog_append_only()",
    "DROP INDEX ix_paragraph_search",
]


def upgrade() -> None:
    statements = SQLITE_UP if op.get_bind().dialect.name == "sqlite" else POSTGRES_UP
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    statements = SQLITE_DOWN if op.get_bind().dialect.name == "sqlite" else POSTGRES_DOWN
    for statement in statements:
        op.execute(statement)
