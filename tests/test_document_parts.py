"""A file that holds several documents: a cover letter, a protocol, and attached to it a
verksamhetsplan with budget or a tertialrapport. Figures read from an attached document are
cited to it ("Verksamhetsplan 2021 … (bilaga till protokoll 2020-11-16)"), with its page in a
PDF; the protocol's own §§ keep citing the protocol; the source audit reads a part's own text.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.console import ask
from handlers.home import home_sections
from handlers.messages import Reply
from scheduler.calendar import organisation_calendar
from scheduler.plan import plan
from storage.db import open_engine
from storage.ingest.load import ingest_path
from storage.ingest.parse import parse_document
from storage.ingest.parts import heading_kind
from storage.models import BudgetFigure, Document, DocumentPart, Organisation, Person
from storage.source_audit import audit

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
JAMTLAND = SEEDS / "000_4572de28977e8b68.txt"  # protokoll 2021-06-11 + tertialuppföljning 2021-04-30
VATTERBYGDEN = SEEDS / "001_372b7140a8d328ab.txt"  # följebrev + protokoll 2020-11-16 + verksamhetsplan 2021
UMEA = SEEDS / "004_a4db34470421a47c.txt"  # kallelse 2019-09-20 + protokoll 2019-06-20 + tertialrapport T2

VP = "Verksamhetsplan 2021 med budget 2021 och plan 2022-2023"
VP_CITED = f"Samordningsförbundet Södra Vätterbygden, {VP} (bilaga till protokoll 2020-11-16)"
TERTIAL_CITED = "Samordningsförbundet i Jämtlands län, Tertialuppföljning 2021-04-30 (bilaga till protokoll 2021-06-11)"
# The T2 report (to 2019-08-31) came with the kallelse to the September meeting, not with the
# June protocol the same file holds.
UMEA_CITED = "Samordningsförbundet Umeåregionen, Tertialrapport maj – augusti 2019 (bilaga till kallelse 2019-09-20)"


def _seeds() -> None:
    if not VATTERBYGDEN.exists():
        if os.environ.get("CI"):
            pytest.fail(f"seeds missing at {SEEDS}")
        pytest.skip("seeds not found")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, Path]]:
    _seeds()
    db = tmp_path_factory.mktemp("parts") / "parts.db"
    engine = open_engine(f"sqlite:///{db}")
    for path in (JAMTLAND, VATTERBYGDEN, UMEA):
        assert ingest_path(engine, path).ok, path
    yield engine, db
    engine.dispose()


def asked(engine: Engine, question: str, org: str) -> Reply:
    reply = ask(engine, question, org=org)
    reply.text = reply.text.replace("\xa0", " ")
    return reply


# --- reading the parts ----------------------------------------------------------------------------


def test_the_seeds_parts_are_told_apart() -> None:
    _seeds()
    parts = {path.name[:3]: [(p.kind, p.title) for p in parse_document(path.read_text(encoding="utf-8")).parts]
             for path in (JAMTLAND, VATTERBYGDEN, UMEA)}
    assert parts["000"][1] == ("tertialuppföljning", "Tertialuppföljning 2021-04-30")
    assert [k for k, _ in parts["000"]] == ["protokoll", "tertialuppföljning"]
    # The cover letter's subject line names two kinds: it titles the letter and starts nothing.
    assert parts["001"][0] == ("följebrev", "Följebrev: Protokoll och Verksamhetsplan 2021")
    assert [k for k, _ in parts["001"]] == ["följebrev", "protokoll", "verksamhetsplan"]
    assert parts["001"][2][1] == VP
    # "Verksamhetsberättelse tertial 2 2019" and "Resultatrapport" are sections of the report.
    assert [k for k, _ in parts["004"]] == ["kallelse", "protokoll", "tertialuppföljning"]
    assert parts["004"][2][1] == "Tertialrapport maj – augusti 2019"


@pytest.mark.parametrize(("line", "kind"), [
    ("Tertialrapport maj – augusti 2019", "tertialuppföljning"),
    ("VERKSAMHETSPLAN 2021 med budget 2021 och plan 2022-2023", "verksamhetsplan"),
    ("Årsredovisning 2020", "årsredovisning"),
    ("Delårsrapport januari–augusti 2021", "delårsrapport"),
    ("Verksamhetsberättelse 2020", "verksamhetsberättelse"),
    ("Resultatrapport 210430", "resultatrapport"),
    ("Bilaga 2: Budget 2022", "budget"),
    ("Delårsrapport per den 31 augusti 2021", "delårsrapport"),
    ("Årsredovisning för räkenskapsåret 2020", "årsredovisning"),
    # Sentences name a kind without starting a document of it.
    ("Verksamhetsplanen fastställdes av styrelsen 2020-11-16", None),
    ("Budget för insatser beslutas i september", None),
    ("Årsredovisningen för 2020 godkändes.", None),
    ("Tertialrapport T2 lämnas till styrelsen", None),
])
def test_what_starts_a_document(line: str, kind: str | None) -> None:
    found = heading_kind(line)
    assert (found[0] if found else None) == kind


PROTOCOL = """Samordningsförbundet Tallvik
Protokoll
Sammanträdesdatum 2024-03-08
Plats och tid Kommunhuset, Tallvik, kl 13.00-15.00
Beslutande Anna Alm, ordförande

§ 1 Val av justerare
Bo Berg utses att justera protokollet.

§ 2 Verksamhetsplan 2025
Verksamhetsplanen fastställdes av styrelsen.
Budget för insatser beslutas i september

§ 3 Budget 2025
Styrelsen beslutar att anta budget 2025 enligt bilaga 1.

Bilaga 1 Budget 2025
Belopp i tkr\tBudget 2025
Medlemsbidrag\t4 000
Summa kostnader\t-3 900
"""


@pytest.mark.parametrize("marker", ["Bilaga 1 Budget 2025", "Bilaga 1\n\nBudget 2025"])
def test_a_paragraph_title_or_a_sentence_starts_no_part_and_a_marked_attachment_does(marker: str) -> None:
    text = PROTOCOL.replace("Bilaga 1 Budget 2025", marker)
    doc = parse_document(text)
    # § 2's and § 3's titles and the sentences under them stay in the protocol.
    assert [(p.kind, p.title) for p in doc.parts] == [("protokoll", "Protokoll 2024-03-08"), ("budget", "Budget 2025")]
    assert doc.protocol is not None and [p.number for p in doc.protocol.paragraphs] == [1, 2, 3]
    budget = doc.parts[1]
    assert budget.attached_to is not None and budget.attached_to[0] == "protokoll"
    assert text[budget.start_offset:].startswith(marker)
    assert {f.part_index for f in doc.budget if f.kind == "budget"} == {1}


def test_a_file_of_one_document_is_one_part() -> None:
    text = PROTOCOL.split("Bilaga 1")[0]
    doc = parse_document(text)
    assert [(p.kind, p.start_offset, p.end_offset) for p in doc.parts] == [("protokoll", 0, len(text))]


def test_the_ingest_summary_names_the_parts(tmp_path: Path) -> None:
    _seeds()
    engine = open_engine(f"sqlite:///{tmp_path / 'summary.db'}")
    result = ingest_path(engine, UMEA)
    engine.dispose()
    assert result.ok
    assert "delar: Kallelse föredragningslista 2019-09-20; Protokoll 2019-06-20; Tertialrapport maj – augusti 2019 " \
        "(bilaga till kallelse 2019-09-20)" in result.summary()


# --- citing them ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("org", "question", "amount", "cited"), [
    ("Södra Vätterbygden", "Vad är budgeten för Enter 2021?", "2 878 200", VP_CITED),
    ("Södra Vätterbygden", "What is the budget for Enter in 2021?", "2 878 200", VP_CITED),
    ("Jämtland", "Vad var utfallet för årets resultat per 2021-04-30?", "2 310", TERTIAL_CITED),
    ("Jämtland", "What was the outcome for årets resultat as of 2021-04-30?", "2 310", TERTIAL_CITED),
    ("Umeå", "Vad är prognosen för Plattform förebyggande 2019?", "896", UMEA_CITED),
    ("Umeå", "What is the forecast for Plattform förebyggande in 2019?", "896", UMEA_CITED),
])
def test_a_figure_of_an_attached_document_cites_that_document(
        store: tuple[Engine, Path], org: str, question: str, amount: str, cited: str) -> None:
    reply = asked(store[0], question, org)
    assert reply.answered and amount in reply.text
    assert [s.label() for s in reply.sources] == [cited]
    assert cited in reply.full_text()
    # Not the protocol the file also holds: it says nothing of these figures.
    assert all(s.paragraph is None and s.meeting_date is None for s in reply.sources)


def test_the_protocols_own_paragraphs_keep_citing_the_protocol(store: tuple[Engine, Path]) -> None:
    reply = asked(store[0], "Vilka insatser beviljades 2021-06-11?", "Jämtland")
    assert reply.answered
    assert {(s.document, s.part) for s in reply.sources} == {("protokoll 2021-06-11", None)}
    assert all(s.paragraph is not None for s in reply.sources)


def test_a_passage_of_an_attached_document_cites_that_document(store: tuple[Engine, Path]) -> None:
    # The plan's vision, read from its text (no table, no §): the plan holds it, the protocol not.
    reply = asked(store[0], "Vad står det om egenförsörjning och livskvalitet?", "Södra Vätterbygden")
    assert "EGENFÖRSÖRJNING" in reply.text.upper()
    assert [s.label() for s in reply.sources] == [VP_CITED]


KALLELSE_CITED = "Samordningsförbundet Umeåregionen, Kallelse föredragningslista 2019-09-20"


@pytest.mark.parametrize("question", ["När är nästa möte?", "When is the next meeting?"])
def test_a_meeting_called_by_a_kallelse_in_the_file_cites_the_kallelse(store: tuple[Engine, Path],
                                                                       question: str) -> None:
    # The file is the September kallelse, the June protocol and the T2 report: the June
    # protocol says nothing of 20 September at Folkets hus.
    reply = ask(store[0], question, org="Umeå", as_of=dt.date(2019, 7, 1))
    assert reply.answered and "2019-09-20" in reply.text
    assert [s.label() for s in reply.sources] == [KALLELSE_CITED]


def test_reminders_and_the_calendar_cite_the_kallelse_too(store: tuple[Engine, Path]) -> None:
    with Session(store[0]) as session:
        org = session.exec(select(Organisation).where(col(Organisation.name).contains("Umeå"))).one()
        now = dt.datetime(2019, 9, 13, 8, tzinfo=dt.UTC)
        reminders = [r for r in plan(session, now, org.id) if r.kind == "meeting" and "2019-09-20" in r.subject]
        ics = organisation_calendar(session, org, now).to_ical().decode().replace("\r\n ", "")
    assert reminders and all(KALLELSE_CITED in r.text for r in reminders)
    assert KALLELSE_CITED.replace(",", "\\,") in ics
    assert "protokoll 2019-06-20" not in " ".join(r.text for r in reminders)


def test_the_home_tab_cites_the_kallelse(store: tuple[Engine, Path]) -> None:
    with Session(store[0]) as session:
        org = session.exec(select(Organisation).where(col(Organisation.name).contains("Umeå"))).one()
        assert org.id is not None
        session.add(Person(organisation_id=org.id, name="Provperson Umeå", slack_user_id="U0PARTS"))
        session.commit()
        meetings = home_sections(session, "slack", "U0PARTS", dt.date(2019, 7, 1))[0]
    sources = [item.source.label() for item in meetings.items if item.source is not None and "2019-09-20" in item.text]
    assert sources == [KALLELSE_CITED]


def test_ask_json_names_the_part(store: tuple[Engine, Path]) -> None:
    env = {**os.environ, "BOARDBOT_DATABASE_URL": f"sqlite:///{store[1]}"}
    done = subprocess.run([sys.executable, "-m", "bot.cli", "ask", "--json", "Vad är budgeten för Enter 2021?"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["answered"] and VP_CITED in out["text"]
    assert out["sources"][0]["part"] == VP
    assert out["sources"][0]["attached_to"] == "protokoll 2020-11-16"


# --- the source audit reads the part ---------------------------------------------------------------


def test_the_audit_finds_every_figure_in_its_own_part(store: tuple[Engine, Path]) -> None:
    with Session(store[0]) as session:
        report = audit(session)
    assert report.failures == [], report.summary()


def test_a_figure_moved_to_the_wrong_part_is_reported(engine: Engine) -> None:
    """On SQLite and PostgreSQL: the parts are stored, cited, and audited within themselves."""
    _seeds()
    assert ingest_path(engine, VATTERBYGDEN).ok
    assert [s.label() for s in asked(engine, "Vad är budgeten för Enter 2021?", "Södra Vätterbygden").sources] == [
        VP_CITED]
    with Session(engine) as session:
        assert audit(session).failures == []
        parts = {p.kind: p for p in session.exec(select(DocumentPart)).all()}
        enter = session.exec(select(BudgetFigure).where(BudgetFigure.line == "Enter", BudgetFigure.year == 2021,
                                                        BudgetFigure.kind == "budget")).one()
        assert enter.part_id == parts["verksamhetsplan"].id
        # The cover letter holds the words of the file (förbund, year), but not this figure:
        # it must not pass because the file holds it somewhere else.
        enter.part_id = parts["följebrev"].id
        session.add(enter)
        session.commit()
        report = audit(session)
    assert [(f.fact, f.value) for f in report.failures] == [("figure budget 2021 Enter: amount", "2878200"),
                                                            ("figure budget 2021 Enter: line", "Enter")]
    assert report.failures[0].source == "Följebrev: Protokoll och Verksamhetsplan 2021"


# --- a PDF: the part and its page ---------------------------------------------------------------------


def test_a_pdf_cites_the_part_and_its_page(tmp_path: Path) -> None:
    _seeds()
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from render_documents import to_pdf
    finally:
        sys.path.pop(0)
    pdf = tmp_path / "vatterbygden.pdf"
    pdf.write_bytes(to_pdf(VATTERBYGDEN.read_text(encoding="utf-8")))
    engine = open_engine(f"sqlite:///{tmp_path / 'pdf.db'}")
    assert ingest_path(engine, pdf).ok
    reply = asked(engine, "Vad är budgeten för Enter 2021?", "Södra Vätterbygden")
    assert reply.answered and "2 878 200" in reply.text
    [source] = reply.sources
    assert source.part == VP and source.page is not None
    assert source.label() == f"{VP_CITED}, sida {source.page}"
    with Session(engine) as session:
        doc = session.exec(select(Document)).one()
        part = session.exec(select(DocumentPart).where(DocumentPart.kind == "verksamhetsplan")).one()
        # The cited page is the plan's page that holds the row, not the protocol's pages.
        assert part.page is not None and source.page >= part.page
        page_text = doc.text.split("\f")[source.page - 1]
        assert "Enter" in page_text and "2 878 200" in page_text.replace("\xa0", " ")
        assert audit(session).failures == []
        assert session.exec(select(BudgetFigure).where(col(BudgetFigure.page).is_(None))).first() is None
    engine.dispose()
