"""The source audit over real stores: the seeds, the sample förbund and generated documents.

Every fact's cited § or page must hold its value; the audit must also catch a fact cited to
the wrong place, or it proves nothing.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from storage.db import open_engine
from storage.ingest.load import ingest_path
from storage.models import Meeting, Paragraph
from storage.source_audit import THRESHOLD, audit

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "bot" / "samples"
SEEDS = ROOT.parent / "shared" / "seeds"


def _store(tmp_path: Path, paths: list[Path]) -> Engine:
    engine = open_engine(f"sqlite:///{tmp_path / 'audit.db'}")
    for path in paths:
        assert ingest_path(engine, path).ok, path
    return engine


def _assert_confirmed(engine: Engine) -> None:
    with Session(engine) as session:
        report = audit(session)
    assert report.checked > 0
    unconfirmed = "\n".join(f.line() for f in report.failures[:20])
    assert report.share >= THRESHOLD, f"{report.summary()}\n{unconfirmed}"


def test_sample_foerbund_facts_are_in_their_cited_text(tmp_path: Path) -> None:
    engine = _store(tmp_path, sorted(SAMPLES.glob("norrvik_*.txt")))
    _assert_confirmed(engine)
    engine.dispose()


def test_seed_facts_are_in_their_cited_text(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        pytest.skip(f"seeds not found at {SEEDS}")
    engine = _store(tmp_path, seeds)
    _assert_confirmed(engine)
    engine.dispose()


def test_generated_document_facts_are_in_their_cited_text(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from generate_documents import generate
    finally:
        sys.path.pop(0)
    generate(30, tmp_path / "docs", seed=7)
    engine = _store(tmp_path, sorted((tmp_path / "docs").glob("*.txt")))
    _assert_confirmed(engine)
    engine.dispose()


def test_a_fact_cited_to_the_wrong_paragraph_is_reported(tmp_path: Path) -> None:
    engine = _store(tmp_path, sorted(SAMPLES.glob("norrvik_*.txt")))
    with Session(engine) as session:
        before = audit(session)
        assert before.failures == []
        meeting = session.exec(select(Meeting).where(Meeting.date == dt.date(2025, 9, 12))).one()
        # § 21 (the office lease) says nothing of 12 September.
        wrong = session.exec(select(Paragraph).where(Paragraph.number == 21)).one()
        meeting.paragraph_id = wrong.id
        session.add(meeting)
        session.commit()
        after = audit(session, "Norrvik")
    assert [(f.fact, f.value) for f in after.failures] == [
        ("meeting styrelsemöte: date", "2025-09-12"), ("meeting styrelsemöte 2025-09-12: place", "Sjöbacka")]
    assert after.failures[0].source.endswith("protokoll 2025-04-25, § 21")
    engine.dispose()
