"""A small store for answer tests, written through the models (independent of the parser):
two fictional förbund, so questions must find the right one or ask which."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.console import normalise
from handlers.messages import Reply
from storage.db import open_engine
from storage.ingest.load import ingest_path
from storage.models import (
    BudgetFigure,
    Document,
    Grant,
    GrantEvent,
    Meeting,
    Organisation,
    Paragraph,
    Person,
    Protocol,
    ProtocolOfficer,
)
from storage.search import paragraph_search_text

SAMPLES = Path(__file__).resolve().parents[1] / "bot" / "samples"


def says(reply: Reply, *fragments: str) -> bool:
    """Every fragment is in the reply, compared as the eval grader compares (case, spaces)."""
    answer = normalise(reply.full_text())
    return all(normalise(f) in answer for f in fragments)


def sample_store(folder: Path) -> Iterator[Engine]:
    """The bundled sample förbund (Norrvik) read by the real ingest into a store of its own."""
    engine = open_engine(f"sqlite:///{folder / 'store.db'}")
    for path in sorted(SAMPLES.glob("norrvik_*.txt")):
        assert ingest_path(engine, path).ok
    yield engine
    engine.dispose()


def one_protocol(session: Session, day: dt.date, name: str = "Samordningsförbundet Älvdalen",
                 key: str = "d") -> tuple[Organisation, Document, Protocol]:
    """A förbund of its own with one protocol of `day`, for a test to add its §§ and lists to."""
    org = Organisation(name=name)
    session.add(org)
    session.flush()
    assert org.id
    doc = Document(organisation_id=org.id, kind="protokoll", file_name=f"{key}.txt", content_hash=key * 64, text="…")
    session.add(doc)
    session.flush()
    assert doc.id
    protocol = Protocol(document_id=doc.id, organisation_id=org.id, meeting_date=day, version_hash=key * 64)
    session.add(protocol)
    session.flush()
    return org, doc, protocol


def _paragraph(session: Session, doc: Document, protocol: Protocol, number: int, title: str, body: str,
               decision: str) -> Paragraph:
    assert doc.id is not None and protocol.id is not None
    p = Paragraph(document_id=doc.id, organisation_id=doc.organisation_id, protocol_id=protocol.id, number=number,
                  title=title, body=body, decision=decision, search_text=paragraph_search_text(doc.organisation_id, title, body, decision))
    session.add(p)
    session.flush()
    return p


def build(engine: Engine) -> dict[str, int]:
    with Session(engine) as s:
        fjall = Organisation(name="Samordningsförbundet Fjällbygden")
        kust = Organisation(name="Samordningsförbundet Kustlandet")
        s.add_all([fjall, kust])
        s.flush()
        assert fjall.id and kust.id
        doc = Document(organisation_id=fjall.id, kind="protokoll", file_name="fjall_2025-03-14.txt",
                       content_hash="a" * 64, version_key="protokoll:2025-03-14", text="…")
        s.add(doc)
        s.flush()
        assert doc.id
        protocol = Protocol(document_id=doc.id, organisation_id=fjall.id, meeting_date=dt.date(2025, 3, 14),
                            version_hash="a" * 64, justering_deadline=dt.date(2025, 3, 25),
                            justering_date=dt.date(2025, 3, 20), anslag_posted=dt.date(2025, 3, 21),
                            anslag_removed=dt.date(2025, 4, 11), status="justerat")
        s.add(protocol)
        s.flush()
        p5 = _paragraph(s, doc, protocol, 5, "Beslut om finansiering av insats, Dnr F25/4 Vägen ut",
                        "Fjälls kommun och Arbetsförmedlingen har inkommit med en ansökan.",
                        "Finansiering beviljas med 420 000 kr för perioden 2025-04-01 – 2026-03-31.")
        p6 = _paragraph(s, doc, protocol, 6, "Lokaler för kansliet",
                        "Förbundschefen redovisar tre alternativ för nya lokaler.",
                        "Att hyra lokaler i stadshuset från 1 september.")
        s.add(Meeting(organisation_id=fjall.id, date=dt.date(2025, 3, 14), status="held", place="Fjällby"))
        s.add(Meeting(organisation_id=fjall.id, date=dt.date(2025, 6, 13), status="planned", place="Fjällby",
                      start_time=dt.time(9), end_time=dt.time(12), document_id=doc.id, paragraph_id=p6.id))
        grant = Grant(organisation_id=fjall.id, key="vägen ut", name="Vägen ut", dnr="F25/4",
                      applicants="Fjälls kommun, Arbetsförmedlingen", max_amount=420_000,
                      period_start=dt.date(2025, 4, 1), period_end=dt.date(2026, 3, 31),
                      conditions="villkoras med krav på användning av Genuskompassen", status="granted",
                      document_id=doc.id, paragraph_id=p5.id)
        s.add(grant)
        s.flush()
        assert grant.id
        s.add(GrantEvent(grant_id=grant.id, status="granted", date=dt.date(2025, 3, 14), amount=420_000,
                         document_id=doc.id, paragraph_id=p5.id))
        for name, amount in (("Steget A", 150_000), ("Steget B", 175_000)):
            s.add(Grant(organisation_id=fjall.id, key=name.lower(), name=name, max_amount=amount, status="granted",
                        document_id=doc.id))
        for name, role in (("Eva Fjällström", "ordförande"), ("Per Berg", "justerare"), ("Ola Dal", "sekreterare")):
            person = Person(organisation_id=fjall.id, name=name)
            s.add(person)
            s.flush()
            assert person.id
            s.add(ProtocolOfficer(protocol_id=protocol.id, person_id=person.id, role=role))
        plan = Document(organisation_id=fjall.id, kind="verksamhetsplan", title="Verksamhetsplan 2025",
                        file_name="plan.txt", content_hash="b" * 64, text="…")
        kust_plan = Document(organisation_id=kust.id, kind="verksamhetsplan", title="Verksamhetsplan 2025",
                             file_name="kplan.txt", content_hash="c" * 64, text="…")
        s.add_all([plan, kust_plan])
        s.flush()
        assert plan.id and kust_plan.id
        for line, section, budget, plan_2026 in (
            ("Fjälls kommun", "medlemsbidrag", 310_000, 320_000),
            ("Kansli", "kostnader", 880_000, 900_000),
            ("Summa kostnader", "kostnader", 4_100_000, 4_200_000),
        ):
            s.add(BudgetFigure(organisation_id=fjall.id, year=2025, kind="budget", section=section, line=line,
                               amount=budget, document_id=plan.id))
            s.add(BudgetFigure(organisation_id=fjall.id, year=2026, kind="plan", section=section, line=line,
                               amount=plan_2026, document_id=plan.id))
        s.add(BudgetFigure(organisation_id=kust.id, year=2025, kind="budget", section="kostnader", line="Kansli",
                           amount=1_234_000, unit="tkr", document_id=kust_plan.id))
        s.commit()
        return {"fjall": fjall.id, "kust": kust.id}
