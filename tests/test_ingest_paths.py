"""Many files at once: with worker processes reading and parsing, the results and the store are
the same as one file at a time, in the order given."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from storage.db import open_engine
from storage.ingest.load import ingest_path, ingest_paths

TABLES = ("organisation", "document", "protocol", "paragraph", "person", "attendance", "insats", "grantevent",
          "meeting", "budgetfigure", "auditlog")


def _files(seeds_dir: Path, folder: Path) -> list[Path]:
    seeds = sorted(seeds_dir.glob("*.txt"))
    empty = folder / "tom.txt"
    empty.write_text("", encoding="utf-8")
    corrected = folder / "rättad.txt"
    corrected.write_text(seeds[3].read_text(encoding="utf-8").replace("1 250 000", "1 300 000"), encoding="utf-8")
    # A refusal, a repeat and a corrected version among the seeds.
    return [seeds[0], empty, *seeds[1:], seeds[0], corrected]


def _contents(engine: Engine) -> dict[str, object]:
    with engine.connect() as conn:
        found: dict[str, object] = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in TABLES}
        found["documents"] = conn.execute(text(
            "SELECT file_name, superseded_at IS NULL FROM document ORDER BY id")).all()
        found["grants"] = conn.execute(text("SELECT name, status, max_amount FROM insats ORDER BY id")).all()
    return found


def test_workers_give_the_results_and_store_of_one_at_a_time(
        sqlite_engine: Engine, seeds_dir: Path, tmp_path: Path) -> None:
    files = _files(seeds_dir, tmp_path)
    one_by_one = [ingest_path(sqlite_engine, path) for path in files]

    other = open_engine(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        in_parallel = list(ingest_paths(other, files, workers=2))
        assert [r.summary() for r in in_parallel] == [r.summary() for r in one_by_one]
        assert [r.status for r in in_parallel] == [
            "added", "rejected", "added", "added", "added", "added", "unchanged", "replaced"]
        assert "tom" in (in_parallel[1].message_sv or "")
        assert _contents(other) == _contents(sqlite_engine)
    finally:
        other.dispose()
