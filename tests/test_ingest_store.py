"""Ingest into a real store: the five seeds, a corrected protocol, two förbund side by side."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from storage.ingest.load import ingest_path
from storage.models import (
    AuditLog,
    BudgetFigure,
    Document,
    Grant,
    GrantEvent,
    Organisation,
    Paragraph,
    Protocol,
)

SEED_003 = "003_6cc3578967e8fc81.txt"


def test_seeds_go_in_once_and_forbund_never_mix(engine: Engine, seeds_dir: Path) -> None:
    for path in sorted(seeds_dir.glob("*.txt")):
        assert ingest_path(engine, path).status == "added"
    for path in sorted(seeds_dir.glob("*.txt")):
        assert ingest_path(engine, path).status == "unchanged"
    with Session(engine) as s:
        names = sorted(o.name for o in s.exec(select(Organisation)).all())
        # 000 and 002 are both Jämtland's, spelled differently: one förbund.
        assert len(names) == 4, names
        by_name = {o.name: o.id for o in s.exec(select(Organisation)).all()}
        jamtland = next(i for n, i in by_name.items() if "Jämtland" in n)
        harnosand = next(i for n, i in by_name.items() if "Härnösand" in n)
        jobbcenter = s.exec(select(Grant).where(Grant.name == "Jobbcenter 2.0")).one()
        assert jobbcenter.organisation_id == jamtland and jobbcenter.max_amount == 990_000
        earlier, torget = s.exec(select(Grant).where(Grant.name == "Arbetsmarknadstorget Härnösand")
                                 .order_by(col(Grant.id))).all()
        assert torget.organisation_id == harnosand == earlier.organisation_id
        # The final report (§ 116) closes the earlier effort; the grant for 2024 (§ 122) is a new
        # one, linked to it, and the amounts stay with the decision that made them.
        def statuses(grant: Grant) -> list[str]:
            return sorted(e.status for e in s.exec(select(GrantEvent).where(GrantEvent.grant_id == grant.id)).all())
        assert statuses(earlier) == ["final_report_approved", "payment_approved"]
        assert statuses(torget) == ["granted"] and torget.previous_id == earlier.id
        assert (earlier.max_amount, torget.max_amount) == (None, 1_250_000)
        assert len(s.exec(select(Document)).all()) == 5


def test_corrected_protocol_replaces_facts_and_is_audited(engine: Engine, seeds_dir: Path, tmp_path: Path) -> None:
    original = seeds_dir / SEED_003
    assert ingest_path(engine, original).status == "added"
    corrected = tmp_path / "003_rättad.txt"
    text = original.read_text(encoding="utf-8")
    assert text.count("1 250 000") >= 2
    corrected.write_text(text.replace("1 250 000", "1 300 000"), encoding="utf-8")
    result = ingest_path(engine, corrected)
    assert result.status == "replaced"
    with Session(engine) as s:
        docs = s.exec(select(Document).order_by(col(Document.id))).all()
        assert len(docs) == 2 and docs[0].superseded_at is not None and docs[1].superseded_at is None
        protocols = s.exec(select(Protocol)).all()
        assert len(protocols) == 1 and protocols[0].document_id == docs[1].id
        # Paragraphs of the old text are gone; the new ones are there once.
        numbers = [p.number for p in s.exec(select(Paragraph)).all()]
        assert len(numbers) == len(set(numbers)) and 122 in numbers
        torget = s.exec(select(Grant).where(Grant.name == "Arbetsmarknadstorget Härnösand")
                        .order_by(col(Grant.id).desc())).first()
        assert torget is not None and torget.max_amount == 1_300_000
        assert all(e.document_id == docs[1].id for e in s.exec(select(GrantEvent)).all())
        assert s.exec(select(BudgetFigure).where(BudgetFigure.document_id == docs[0].id)).first() is None
        audit = s.exec(select(AuditLog).where(AuditLog.action == "document.replaced")).one()
        assert json.loads(audit.detail or "{}")["replaces"] == docs[0].id
