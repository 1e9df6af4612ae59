"""Decisions published as a news item ("Beslut i korthet"): a date, a heading per decision, no §;
stored as decisions of that meeting and cited by document and heading."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import text

from bot.console import ask
from storage.db import open_engine
from storage.ingest.load import ingest_path
from storage.ingest.parse import parse_document
from tests.script_modules import load_script

NEWS = """Samordningsförbundet Lomvik

Nyheter

Beslut i korthet från styrelsemötet 14 mars 2018
Publicerad 2018-03-16

Här är ett urval av besluten från mötet.

Verksamhetsplan 2019
Styrelsen fastställde verksamhetsplan och budget för 2019.

Ny insats: Stegvis
Styrelsen beslutade att bevilja 250 000 kronor till insatsen Stegvis under 2019.

Protokollet från mötet publiceras här när det har justerats.
"""

BULLETS = """Lomviks samordningsförbund

Kort om styrelsens sammanträde
Publicerad 2018-03-16

Styrelsen sammanträdde den 14 mars 2018 i Kommunhuset, Lomvik.

• Ny insats: Stegvis: Styrelsen beslutade att bevilja 250 000 kronor till insatsen Stegvis under 2019.
• Internkontrollplan: Styrelsen godkände internkontrollplanen för 2018.
"""


def test_the_meeting_date_and_each_decision_by_its_heading() -> None:
    for news, headings in ((NEWS, ["Verksamhetsplan 2019", "Ny insats: Stegvis"]),
                           (BULLETS, ["Ny insats: Stegvis", "Internkontrollplan"])):
        parsed = parse_document(news)
        assert parsed.kind == "beslut i korthet" and parsed.protocol is None
        assert parsed.notice is not None
        assert parsed.notice.meeting_date == dt.date(2018, 3, 14)  # not the day it was published
        assert [d.heading for d in parsed.notice.decisions] == headings
        assert parsed.notice.decisions[-1].text.startswith("Styrelsen")


def test_news_without_a_meeting_date_is_no_notice() -> None:
    parsed = parse_document(NEWS.replace(" från styrelsemötet 14 mars 2018", ""))
    assert parsed.notice is None


def test_a_decision_is_stored_for_its_meeting_and_cited_by_heading(tmp_path: Path) -> None:
    render = load_script("render_documents")
    pdf = tmp_path / "beslut-i-korthet.pdf"
    pdf.write_bytes(render.to_pdf(NEWS))
    engine = open_engine(f"sqlite:///{tmp_path / 's.db'}")
    result = ingest_path(engine, pdf)
    assert result.ok, result.message_sv
    with engine.connect() as connection:
        held = connection.execute(text("SELECT date, status, basis FROM meeting")).all()
    assert [(str(d), s, b) for d, s, b in held] == [("2018-03-14", "held", "notice")]
    reply = ask(engine, "Vad beslutade styrelsen om Stegvis?")
    engine.dispose()
    assert reply.answered, reply.text
    assert "250 000" in reply.text
    label = reply.sources[0].label()
    assert "beslut i korthet 2018-03-14" in label and "”Ny insats: Stegvis”" in label, label


def test_items_a_scan_ran_together_or_stripped_of_their_bullets() -> None:
    scanned = ("Beslut i korthet\nPublicerad 2020-09-04\n\nStyrelsen sammanträdde den 31 augusti 2020.\n\n"
               "Sammanträdesplan 2021: Styrelsen antog planen. Internkontrollplan: Styrelsen godkände planen.\n"
               "« Ny insats: Stegvis: Styrelsen beslutade att bevilja 330 000 kronor till insatsen\n"
               "under 2021.\n\nProtokollet publiceras när det har justerats.\n")
    notice = parse_document("Samordningsförbundet Lomvik\n\n" + scanned).notice
    assert notice is not None and notice.meeting_date == dt.date(2020, 8, 31)
    assert [(d.heading, d.text) for d in notice.decisions] == [
        ("Sammanträdesplan 2021", "Styrelsen antog planen."),
        ("Internkontrollplan", "Styrelsen godkände planen."),
        ("Ny insats: Stegvis", "Styrelsen beslutade att bevilja 330 000 kronor till insatsen under 2021."),
    ]
