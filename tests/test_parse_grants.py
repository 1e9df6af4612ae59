"""parse_document on insatser (grants) and planned meetings.

Seeds are compared with fixtures written by hand (tests/fixtures/seeds/<stem>.yaml); the
snippets are written in other förbund's styles to show the readers generalise.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from storage.ingest.parse import parse_document
from storage.ingest.parsed import ParsedDocument, ParsedGrant

FIXTURES = Path(__file__).parent / "fixtures" / "seeds"
STEMS = sorted(p.stem for p in FIXTURES.glob("*.yaml") if not p.name.endswith(".budget.yaml"))


def _seed(seeds_dir: Path, stem: str) -> tuple[ParsedDocument, dict[str, Any]]:
    import yaml

    text = (seeds_dir / f"{stem}.txt").read_text(encoding="utf-8")
    truth = yaml.safe_load((FIXTURES / f"{stem}.yaml").read_text(encoding="utf-8"))
    return parse_document(text, f"{stem}.txt"), truth


def _key(name: str) -> str:
    """The loader's grant key: lowercase, whitespace collapsed."""
    return " ".join(name.lower().split())


@pytest.mark.parametrize("stem", STEMS)
def test_seed_grants(stem: str, seeds_dir: Path) -> None:
    parsed, truth = _seed(seeds_dir, stem)
    got = {(_key(g.name), g.paragraph_number): g for g in parsed.grants}
    want = {(_key(t["name"]), t["paragraph"]): t for t in truth["grants"]}
    assert set(got) == set(want)
    wrong: list[str] = []
    for k, t in want.items():
        g = got[k]
        period = (g.period_start, g.period_end) if g.period_start else None
        checks = {
            "status": (g.status, t["status"]),
            "extra_statuses": (g.extra_statuses, t.get("extra_statuses", [])),
            "max_amount": (g.max_amount, t.get("max_amount")),
            "period": (period, tuple(t["period"]) if t.get("period") else None),
            "dnr": (g.dnr, t.get("dnr")),
            "full_name": (g.full_name, t.get("full_name")),
            "applicants": (g.applicants, t.get("applicants", [])),
        }
        wrong += [f"{k} {name}: got {a!r}, want {b!r}" for name, (a, b) in checks.items() if a != b]
        for word in t.get("condition_words", []):
            if not any(word.lower() in c.lower() for c in g.conditions):
                wrong.append(f"{k} conditions lack {word!r}: {g.conditions}")
        if t.get("reporting_words") and t["reporting_words"] not in (g.reporting or ""):
            wrong.append(f"{k} reporting: {g.reporting!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("stem", STEMS)
def test_seed_planned_meetings(stem: str, seeds_dir: Path) -> None:
    parsed, truth = _seed(seeds_dir, stem)
    got = [(m.date, m.kind, m.start_time, m.end_time, m.place, m.paragraph_number) for m in parsed.meetings]
    want = [(t["date"], t["kind"], dt.time.fromisoformat(t["start_time"]) if t.get("start_time") else None,
             dt.time.fromisoformat(t["end_time"]) if t.get("end_time") else None, t.get("place"),
             t.get("paragraph")) for t in truth["meetings"]]
    assert got == want
    for m, t in zip(parsed.meetings, truth["meetings"], strict=True):
        if t.get("agenda"):
            assert (m.agenda or "").split("\n") == t["agenda"]
        assert m.status == "planned"


def test_same_insats_gets_the_same_key_in_report_and_application(seeds_dir: Path) -> None:
    parsed, _ = _seed(seeds_dir, "003_6cc3578967e8fc81")
    by_paragraph = {g.paragraph_number: g for g in parsed.grants}
    assert _key(by_paragraph[116].name) == _key(by_paragraph[122].name) == "arbetsmarknadstorget härnösand"
    assert _key(by_paragraph[117].name) == _key(by_paragraph[120].name)
    # A state allocation, an ansvarsfrihet and an economy report are no insatser.
    assert not {125, 128, 129} & set(by_paragraph)


def test_ocr_slip_in_reporting_is_read(seeds_dir: Path) -> None:
    parsed, _ = _seed(seeds_dir, "000_4572de28977e8b68")
    yrkes = next(g for g in parsed.grants if g.paragraph_number == 11)
    # The decision writes "Åtterrapporering"; the grant keeps the sentence, spelt right.
    assert yrkes.reporting and yrkes.reporting.startswith("Återrapportering av insatsen ska ske årligen")


# --- other förbund's grant paragraphs -------------------------------------------------------

HEADER = """Protokoll
Samordningsförbundet Gävleborg
Sammanträdesdatum: 2024-05-17
Plats: Kansliet, Gävle
Beslutande: Agnes Alm, Gävle kommun, ordförande, Björn Bäck, Sandvikens kommun, Cilla Cruz, Region Gävleborg
Justerare: Björn Bäck

"""


def _grants(body: str) -> dict[int, ParsedGrant]:
    doc = parse_document(HEADER + body)
    assert doc.protocol is not None
    return {g.paragraph_number or 0: g for g in doc.grants}


def test_refused_application() -> None:
    grants = _grants("""§ 41 Ansökan om medel – Unga vuxna i arbete
Dnr 2024/07
Gävle kommun och Arbetsförmedlingen ansöker om 450 000 kronor för perioden 2024-08-01 – 2025-07-31.

Förslag till beslut
Att avslå ansökan.

Beslut
Styrelsen beslutar att avslå ansökan med hänvisning till att insatsen saknar tydlig målgrupp.

§ 42 Ansökan – Hälsospåret
Sandvikens kommun ansöker om 250 000 kr.
Beslut: Att inte bevilja ansökan.
""")
    g = grants[41]
    assert (g.name, g.status, g.dnr) == ("Unga vuxna i arbete", "refused", "2024/07")
    assert g.applicants == ["Gävle kommun", "Arbetsförmedlingen"]
    assert g.max_amount == 450_000  # what was applied for
    assert (g.period_start, g.period_end) == (dt.date(2024, 8, 1), dt.date(2025, 7, 31))
    assert (grants[42].name, grants[42].status, grants[42].applicants) == (
        "Hälsospåret", "refused", ["Sandvikens kommun"])


def test_granted_with_conditions_tabled_and_paid_out() -> None:
    grants = _grants("""§ 43 Förlängning av insatsen Steget vidare
Sandvikens kommun har tillsammans med Försäkringskassan ansökt om förlängning av insatsen ”Steget vidare – stöd till arbete”.
Beslut
Styrelsen beslutar att bevilja 300 tkr för 2025 på villkor att en gemensam styrgrupp bildas. Insatsen villkoras med krav på könsuppdelad statistik.
Återrapportering sker till styrelsen i december.

§ 44 Ansökan – Digital vägledning
Region Gävleborg ansöker om 150 000 kr för 2025.
Beslut
Att bordlägga ärendet till nästa sammanträde.

§ 45 Rekvisition – Jobbspåret
Beslut: Att betala ut 250 000 kronor till Gävle kommun.

§ 46 Statlig medelstilldelning 2025
Försäkringskassan har beslutat att tilldela förbundet 2 000 000 kronor.
Beslut: Att lägga informationen till handlingarna.
""")
    g = grants[43]
    assert (g.name, g.status, g.max_amount) == ("Steget vidare", "granted_on_condition", 300_000)
    assert g.full_name == "Steget vidare – stöd till arbete"
    assert (g.period_start, g.period_end) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert g.applicants == ["Sandvikens kommun", "Försäkringskassan"]
    assert any("styrgrupp" in c for c in g.conditions)
    assert any("könsuppdelad statistik" in c for c in g.conditions)
    assert g.reporting and "december" in g.reporting
    assert (grants[44].name, grants[44].status, grants[44].max_amount) == ("Digital vägledning", "applied", 150_000)
    # A decision to pay is not yet a payment.
    assert (grants[45].name, grants[45].status, grants[45].payment_amount) == (
        "Jobbspåret", "payment_approved", 250_000)
    assert 46 not in grants


def test_applicants_shared_noun_and_genitive_slips() -> None:
    grants = _grants("""§ 47 Ansökan – Arbetsförmedlare i samverkan
Ola Ek presenterar Arbetsförmedlingens ansökan, som görs tillsammans med Gävles och Sandvikens kommun, där de ansöker om 200 000 kronor.
Samordningsförbundet beslutar:
Att bevilja finansiellt stöd enligt ansökan med 200 000 kronor för perioden 250101-251231.
""")
    g = grants[47]
    assert g.applicants == ["Arbetsförmedlingen", "Gävle kommun", "Sandvikens kommun"]
    assert (g.period_start, g.period_end) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert g.status == "granted" and g.max_amount == 200_000


def test_final_report_approved_on_condition_and_paid() -> None:
    grants = _grants("""§ 48 Slutredovisning – Vägen in
En skriftlig slutrapport har inkommit.
Beslut
Att godkänna slutrapporten under förutsättning att ekonomisk redovisning kompletteras, samt att betala ut resterande medel.

§ 49 Slutrapport – Lots för unga
Beslut
Styrelsen godkänner slutrapporten.
""")
    assert (grants[48].name, grants[48].status, grants[48].extra_statuses) == (
        "Vägen in", "final_report_approved", ["payment_approved"])
    assert grants[48].conditions == ["ekonomisk redovisning kompletteras"]
    assert (grants[49].name, grants[49].status, grants[49].extra_statuses) == (
        "Lots för unga", "final_report_approved", [])


def test_name_from_a_long_title_and_period_as_applied() -> None:
    grants = _grants("""§ 54 Ansökan från Gävle kommun om medel till projektet Nya vägar
Gävle kommun ansöker om 800 000 kronor för 2024-09-01 – 2025-08-31.
Beslut: Styrelsen beslutar att bevilja 800 000 kronor.
""")
    g = grants[54]
    assert (g.name, g.status, g.max_amount) == ("Nya vägar", "granted", 800_000)
    assert (g.period_start, g.period_end) == (dt.date(2024, 9, 1), dt.date(2025, 8, 31))
    assert g.applicants == ["Gävle kommun"]


# --- planned meetings ----------------------------------------------------------------------


def test_meeting_plan_for_another_year_and_planning_day() -> None:
    doc = parse_document(HEADER + """§ 50 Sammanträdesplan 2025
Styrelsen föreslås sammanträda följande datum:
Torsdag 13 februari 2025 kl. 13.00–16.00, Gävle
Torsdag 24 april kl. 13.00–16.00, Sandviken
Onsdag 10 september kl. 09.00–16.00, planeringsdag, Ockelbo
Beslut
Styrelsen beslutar att fastställa sammanträdesplanen.
""")
    got = [(m.date, m.kind, m.start_time, m.end_time, m.place, m.paragraph_number) for m in doc.meetings]
    assert got == [
        (dt.date(2025, 2, 13), "styrelsemöte", dt.time(13), dt.time(16), "Gävle", 50),
        (dt.date(2025, 4, 24), "styrelsemöte", dt.time(13), dt.time(16), "Sandviken", 50),
        (dt.date(2025, 9, 10), "planeringsdag", dt.time(9), dt.time(16), "Ockelbo", 50),
    ]


def test_next_meeting_rolls_into_next_year_and_past_mentions_are_not_plans() -> None:
    text = HEADER.replace("2024-05-17", "2024-11-29") + """§ 51 Information
Styrelsen beslutade vid sammanträdet den 15 mars att ge förbundschefen i uppdrag att utreda frågan.
Förslaget tas upp vid styrelsemötet den 14 februari i Hofors.

§ 52 Nästa möte
Nästa sammanträde äger rum den 31 januari kl. 9.00–12.00 på kansliet.
"""
    doc = parse_document(text)
    got = [(m.date, m.kind, m.place, m.paragraph_number) for m in doc.meetings]
    assert got == [
        (dt.date(2025, 1, 31), "styrelsemöte", "kansliet", 52),
        (dt.date(2025, 2, 14), "styrelsemöte", "Hofors", 51),
    ]
    assert doc.meetings[0].start_time == dt.time(9)


def test_mention_of_a_planning_day_in_the_same_year() -> None:
    doc = parse_document(HEADER + """§ 53 Information
Frågan diskuteras vidare vid styrelsens planeringsdag den 12 september.
""")
    assert [(m.date, m.kind, m.paragraph_number) for m in doc.meetings] == [
        (dt.date(2024, 9, 12), "planeringsdag", 53)]


def test_kallelse_from_another_forbund() -> None:
    text = """Kallelse till styrelsemöte

Samordningsförbundet Sydväst
Datum: torsdagen den 5 december 2024
Tid: kl. 9.00–12.00
Plats: Kommunhuset, Huddinge, sal Mälaren

Föredragningslista
1. Mötet öppnas
2. Val av justerare
3. Ansökan om medel, Aktivitetshuset
4. Mötet avslutas

Välkomna!
Kalle Karlsson
Förbundschef
"""
    doc = parse_document(text)
    assert doc.kind == "kallelse" and doc.kinds == ["kallelse"]
    assert doc.organisation == "Samordningsförbundet Sydväst"
    assert doc.protocol is None and doc.grants == []
    [m] = doc.meetings
    assert (m.date, m.start_time, m.end_time, m.place, m.kind) == (
        dt.date(2024, 12, 5), dt.time(9), dt.time(12), "Kommunhuset, Huddinge, sal Mälaren", "styrelsemöte")
    assert m.agenda == "1. Mötet öppnas\n2. Val av justerare\n3. Ansökan om medel, Aktivitetshuset\n4. Mötet avslutas"
