"""A store for chart tests, written through the models (independent of the parser): one förbund
with a plan, a tertial report and a protocol granting two insatser, and a second förbund so
that an unlinked request must ask which one."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine
from sqlmodel import Session

from storage.models import BudgetFigure, Document, Grant, GrantEvent, Organisation, Paragraph, Protocol

ASKED = dt.date(2025, 6, 2)
FJALL = "Samordningsförbundet Fjällbygden"
KUST = "Samordningsförbundet Kustlandet"
# (line, section, kind, amount, unit, as_of) of the plan and of the tertial report, for 2025.
PLAN_2025 = [
    ("Kansli", "kostnader", "budget", 880_000, "kr", None),
    ("Styrelse", "kostnader", "budget", 120_000, "kr", None),
    ("Summa kostnader", "kostnader", "budget", 4_100_000, "kr", None),
    ("Tillgängligt nya insatser", "kostnader", "budget", 1_300_000, "kr", None),
    ("Kapital 1 jan", "eget kapital", "budget", 2_000_000, "kr", None),
]
TERTIAL_2025 = [
    ("Summa kostnader", "kostnader", "budget", -4_100_000, "tkr", None),
    ("Summa kostnader", "kostnader", "prognos", -3_950_000, "tkr", dt.date(2025, 4, 30)),
    ("Summa kostnader", "kostnader", "utfall", -1_210_000, "tkr", dt.date(2025, 4, 30)),
    # The second tertial's outcome is dated after the question: not yet known on ASKED.
    ("Summa kostnader", "kostnader", "utfall", -2_600_000, "tkr", dt.date(2025, 8, 31)),
    ("Summa intäkter", "intäkter", "budget", 4_000_000, "tkr", None),
    ("Summa intäkter", "intäkter", "utfall", 1_333_000, "tkr", dt.date(2025, 4, 30)),
    ("Bidrag Försäkringskassan", "intäkter", "budget", 2_000_000, "tkr", None),
    ("Bidrag Försäkringskassan", "intäkter", "utfall", 666_000, "tkr", dt.date(2025, 4, 30)),
    ("Personalkostnader", "kostnader", "budget", -1_210_000, "tkr", None),
    ("Personalkostnader", "kostnader", "prognos", -1_230_000, "tkr", dt.date(2025, 4, 30)),
    ("Personalkostnader", "kostnader", "utfall", -371_000, "tkr", dt.date(2025, 4, 30)),
    ("Personalkostnader", "kostnader", "utfall", -800_000, "tkr", dt.date(2025, 8, 31)),
    ("Bidrag Region", "intäkter", "budget", 1_000_000, "tkr", None),
    ("Bidrag Region", "intäkter", "prognos", 1_000_000, "tkr", dt.date(2025, 4, 30)),
    ("Bidrag Region", "intäkter", "utfall", 333_000, "tkr", dt.date(2025, 4, 30)),
    ("Bidrag till insatser", "kostnader", "budget", -2_500_000, "tkr", None),
    ("Bidrag till insatser", "kostnader", "prognos", -2_400_000, "tkr", dt.date(2025, 4, 30)),
    ("Bidrag till insatser", "kostnader", "utfall", -700_000, "tkr", dt.date(2025, 4, 30)),
    ("Övriga externa kostnader", "kostnader", "budget", -390_000, "tkr", None),
    ("Övriga externa kostnader", "kostnader", "prognos", -320_000, "tkr", dt.date(2025, 4, 30)),
    ("Övriga externa kostnader", "kostnader", "utfall", -139_000, "tkr", dt.date(2025, 4, 30)),
]
# (year, kind, line, amount, as_of)
EQUITY = [
    (2024, "utfall", "Eget kapital", 2_793_000, dt.date(2024, 12, 31)),
    (2024, "prognos", "Beräknat kapital 31 dec", 2_700_000, dt.date(2024, 10, 31)),
    (2025, "prognos", "Eget kapital", 2_583_000, dt.date(2025, 4, 30)),
    (2025, "budget", "Beräknat kapital 31 dec", 2_419_000, None),
    (2026, "plan", "Beräknat kapital 31 dec", 2_454_000, None),
]
CEILING = [(2025, 960_000), (2026, 1_000_000)]
GRANTS = [  # name, amount, start, end, §
    ("Vägen ut", 420_000, dt.date(2025, 4, 1), dt.date(2025, 12, 31), 5),
    ("Steg för steg", 650_000, dt.date(2025, 3, 1), dt.date(2026, 2, 28), 6),
]


def build(engine: Engine) -> dict[str, int]:
    with Session(engine) as s:
        fjall, kust = Organisation(name=FJALL), Organisation(name=KUST)
        s.add_all([fjall, kust])
        s.flush()
        assert fjall.id and kust.id
        plan = Document(organisation_id=fjall.id, kind="verksamhetsplan", title="Verksamhetsplan 2025",
                        file_name="plan.txt", content_hash="p" * 64, text="…")
        tertial = Document(organisation_id=fjall.id, kind="tertialuppföljning", title="Tertialrapport 1 2025",
                           file_name="t1.txt", content_hash="t" * 64, text="…")
        protocol_doc = Document(organisation_id=fjall.id, kind="protokoll", file_name="p.txt",
                                content_hash="q" * 64, text="…")
        kust_plan = Document(organisation_id=kust.id, kind="verksamhetsplan", title="Budget 2025",
                             file_name="k.txt", content_hash="k" * 64, text="…")
        s.add_all([plan, tertial, protocol_doc, kust_plan])
        s.flush()
        assert plan.id and tertial.id and protocol_doc.id and kust_plan.id
        for doc_id, rows in ((plan.id, PLAN_2025), (tertial.id, TERTIAL_2025)):
            for line, section, kind, amount, unit, as_of in rows:
                s.add(BudgetFigure(organisation_id=fjall.id, year=2025, kind=kind, section=section, line=line,
                                   amount=amount, unit=unit, as_of=as_of, document_id=doc_id,
                                   row_type="total" if line.startswith("Summa") else "line"))
        for year, kind, line, amount, as_of in EQUITY:
            s.add(BudgetFigure(organisation_id=fjall.id, year=year, kind=kind, section="eget kapital", line=line,
                               amount=amount, as_of=as_of, document_id=tertial.id if as_of else plan.id))
        for year, amount in CEILING:
            s.add(BudgetFigure(organisation_id=fjall.id, year=year, kind="budget", section="eget kapital",
                               line="Rekommenderat högsta eget kapital", amount=amount, document_id=plan.id))
        s.add(BudgetFigure(organisation_id=kust.id, year=2025, kind="budget", section="kostnader", line="Kansli",
                           amount=700_000, document_id=kust_plan.id))
        protocol = Protocol(document_id=protocol_doc.id, organisation_id=fjall.id, meeting_date=dt.date(2025, 3, 14),
                            version_hash="q" * 64)
        s.add(protocol)
        s.flush()
        for name, amount, start, end, number in GRANTS:
            paragraph = Paragraph(document_id=protocol_doc.id, organisation_id=fjall.id, protocol_id=protocol.id,
                                  number=number, title=f"Ansökan {name}", body="…", decision="Beviljas.")
            s.add(paragraph)
            s.flush()
            grant = Grant(organisation_id=fjall.id, key=name.lower(), name=name, max_amount=amount,
                          period_start=start, period_end=end, status="granted", document_id=protocol_doc.id,
                          paragraph_id=paragraph.id)
            s.add(grant)
            s.flush()
            assert grant.id
            s.add(GrantEvent(grant_id=grant.id, status="granted", date=dt.date(2025, 3, 14), amount=amount,
                             document_id=protocol_doc.id, paragraph_id=paragraph.id))
        s.commit()
        return {"fjall": fjall.id, "kust": kust.id, "plan": plan.id, "tertial": tertial.id}
