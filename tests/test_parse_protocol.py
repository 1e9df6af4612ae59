"""parse_document on protocols: header, officers, justering, anslag, attendance, paragraphs.

The seed fixtures (tests/fixtures/seeds/<stem>.yaml) were written by reading the documents,
not by running the parser. The synthetic snippets below are in other förbund's styles, to show
the parser reads families of layouts rather than the seeds' exact sentences.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.ingest.parse import parse_document
from storage.ingest.parsed import ParsedDocument, ParsedGrant
from storage.ingest.report import load_truth, score
from storage.ingest.text_utils import organisation_key, smart_case
from storage.swedish.amounts import find_amounts
from storage.swedish.cleaning import clean_text
from storage.swedish.dates import first_date, parse_period, parse_time_range

FIXTURES = Path(__file__).parent / "fixtures" / "seeds"
STEMS = sorted(p.stem for p in FIXTURES.glob("*.yaml") if not p.name.endswith(".budget.yaml"))
PROTOCOL_FIELDS = [
    "meeting_date", "start_time", "end_time", "place", "paragraph_range", "chair", "secretary",
    "justering_deadline", "justering_date", "justering_method", "anslag_posted", "anslag_removed",
    "storage_place",
]


def _parse_seed(seeds_dir: Path, stem: str) -> tuple[ParsedDocument, dict[str, Any]]:
    text = (seeds_dir / f"{stem}.txt").read_text(encoding="utf-8")
    return parse_document(text, f"{stem}.txt"), load_truth(FIXTURES, stem)


def _as_time(value: str | None) -> dt.time | None:
    return dt.time.fromisoformat(value) if value else None


def test_every_seed_has_a_fixture() -> None:
    assert len(STEMS) == 5


# --- the seeds, field by field ------------------------------------------------------------


@pytest.mark.parametrize("stem", STEMS)
def test_seed_organisation_and_kinds(stem: str, seeds_dir: Path) -> None:
    parsed, truth = _parse_seed(seeds_dir, stem)
    assert parsed.organisation == truth["organisation"]
    assert parsed.kind == truth["kind"]
    assert parsed.kinds == truth["kinds"]
    assert parsed.is_board_document()


@pytest.mark.parametrize("stem", STEMS)
def test_seed_protocol_header(stem: str, seeds_dir: Path) -> None:
    parsed, truth = _parse_seed(seeds_dir, stem)
    want = truth["protocol"]
    if want is None:
        assert parsed.protocol is None
        return
    assert parsed.protocol is not None
    wrong = {}
    for name in PROTOCOL_FIELDS:
        expected = want.get(name)
        if name.endswith("_time"):
            expected = _as_time(expected)
        got = getattr(parsed.protocol, name)
        if got != expected:
            wrong[name] = (got, expected)
    assert not wrong, f"{stem}: (got, want) {wrong}"
    assert parsed.protocol.justerare == want["justerare"]


@pytest.mark.parametrize("stem", STEMS)
def test_seed_paragraphs(stem: str, seeds_dir: Path) -> None:
    parsed, truth = _parse_seed(seeds_dir, stem)
    if truth["protocol"] is None:
        return
    assert parsed.protocol is not None
    want = [(p[0], p[1], p[2] if len(p) > 2 else None) for p in truth["protocol"]["paragraphs"]]
    got = [(p.number, p.title, p.dnr) for p in parsed.protocol.paragraphs]
    assert got == want


@pytest.mark.parametrize("stem", STEMS)
def test_seed_attendance(stem: str, seeds_dir: Path) -> None:
    parsed, truth = _parse_seed(seeds_dir, stem)
    if truth["protocol"] is None:
        return
    assert parsed.protocol is not None
    got = {p.name: p for p in parsed.protocol.attendance}
    want = {p["name"]: p for p in truth["protocol"]["attendance"]}
    assert set(got) == set(want)
    wrong = [
        f"{name}.{field}: got {getattr(got[name], field)!r}, want {w.get(field)!r}"
        for name, w in want.items()
        for field in ("role", "member_body", "party", "voting", "present")
        if getattr(got[name], field) != w.get(field)
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("stem", STEMS)
def test_seed_scores_are_perfect(stem: str, seeds_dir: Path) -> None:
    """The report's view of the same comparison: no field misses or invents anything."""
    parsed, truth = _parse_seed(seeds_dir, stem)
    bad = {name: fs for name, fs in score(parsed, truth).items() if fs.fp or fs.fn}
    assert not bad, f"{stem}: {bad}"


def test_paragraph_bodies_carry_no_page_furniture(seeds_dir: Path) -> None:
    for stem in STEMS:
        parsed, _ = _parse_seed(seeds_dir, stem)
        for p in parsed.protocol.paragraphs if parsed.protocol else []:
            for line in p.body.split("\n"):
                assert "Justerandes sign" not in line, (stem, p.number)
                assert "Utdragsbestyrkande" not in line, (stem, p.number)
                assert line.strip() not in ("mf", "mf KE", "bjf KE.", "KE"), (stem, p.number, line)


def test_seed_decisions_proposals_and_motions(seeds_dir: Path) -> None:
    parsed, _ = _parse_seed(seeds_dir, "000_4572de28977e8b68")
    assert parsed.protocol is not None
    p9 = next(p for p in parsed.protocol.paragraphs if p.number == 9)
    assert p9.motions and p9.motions.startswith("Annika Källgård yrkar")
    assert p9.proposal and p9.proposal.startswith("Förbundsstyrelsen fastställer tertialredovisning")
    assert p9.decision and "Underlag" not in p9.decision
    p7 = next(p for p in parsed.protocol.paragraphs if p.number == 7)
    assert p7.decision and "beslutar styrelsen enhälligt" in p7.decision
    parsed3, _ = _parse_seed(seeds_dir, "003_6cc3578967e8fc81")
    assert parsed3.protocol is not None
    p129 = next(p for p in parsed3.protocol.paragraphs if p.number == 129)
    assert p129.decision == "Att lägga beslutet till handlingarna."
    # The same standard decision repeated in § after § is the protocol's text, not a page head.
    for number in (114, 115, 125):
        p = next(p for p in parsed3.protocol.paragraphs if p.number == number)
        assert p.decision == "Att lägga beslutet till handlingarna.", number


# --- helpers --------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", [
    "Samordningsförbundet Härnösand – Timrå", "Samordningsförbundet Härnösand Timrå",
    "SAMORDNINGSFÖRBUNDET HÄRNÖSAND-TIMRÅ", "Härnösand - Timrå",
])
def test_organisation_key_joins_variants(variant: str) -> None:
    assert organisation_key(variant) == organisation_key("Härnösand-Timrå") == "harnosandtimra"


def test_organisation_key_keeps_different_forbund_apart() -> None:
    assert organisation_key("Samordningsförbundet i Jämtlands län") == organisation_key(
        "SAMORDNINGSFÖRBUNDET JÄMTLANDS LÄN")
    assert organisation_key("Samordningsförbundet Umeåregionen") != organisation_key("Samordningsförbundet Sydväst")


def test_smart_case_only_touches_capitals() -> None:
    assert smart_case("SAMORDNINGSFÖRBUNDET I JÄMTLANDS LÄN") == "Samordningsförbundet i Jämtlands län"
    assert smart_case("Samordningsförbundet Södra Vätterbygden") == "Samordningsförbundet Södra Vätterbygden"


@pytest.mark.parametrize(("text", "expected"), [
    ("11 juni 2021, kl. 09.00-12.00", dt.date(2021, 6, 11)),
    ("måndagen den 16 november 2020", dt.date(2020, 11, 16)),
    ("Justeringsdatum: 2019-06-26", dt.date(2019, 6, 26)),
    ("den 3:e mars 2024", dt.date(2024, 3, 3)),
])
def test_dates(text: str, expected: dt.date) -> None:
    assert first_date(text) == expected


def test_a_date_without_year_needs_one() -> None:
    assert first_date("den 24 september") is None
    assert first_date("den 24 september", 2021) == dt.date(2021, 9, 24)


@pytest.mark.parametrize(("text", "start", "end"), [
    ("kl. 09.00-12.00", dt.time(9), dt.time(12)),
    ("kl 9-12", dt.time(9), dt.time(12)),
    ("klockan ca 14.00 – 15.00", dt.time(14), dt.time(15)),
    ("kl 09.00-11.20", dt.time(9), dt.time(11, 20)),
    ("kl. 13", dt.time(13), None),
])
def test_times(text: str, start: dt.time, end: dt.time | None) -> None:
    assert parse_time_range(text) == (start, end)


@pytest.mark.parametrize(("text", "period"), [
    ("för perioden 2021-08-01 – 2022-12-31", (dt.date(2021, 8, 1), dt.date(2022, 12, 31))),
    ("för perioden 240101-241231", (dt.date(2024, 1, 1), dt.date(2024, 12, 31))),
    ("för perioden 240101-24 1231", (dt.date(2024, 1, 1), dt.date(2024, 12, 31))),
    ("ansöker om medel under 2024", (dt.date(2024, 1, 1), dt.date(2024, 12, 31))),
    ("för åren 2025-2026", (dt.date(2025, 1, 1), dt.date(2026, 12, 31))),
])
def test_periods(text: str, period: tuple[dt.date, dt.date]) -> None:
    assert parse_period(text) == period


@pytest.mark.parametrize(("text", "amount"), [
    ("maximalt 990 000 kr", 990_000), ("med 1 250 000 kronor", 1_250_000), ("300 tkr", 300_000),
    ("1,5 mkr", 1_500_000), ("1\u00a0873\u00a0000 kronor", 1_873_000),
])
def test_amounts(text: str, amount: int) -> None:
    assert find_amounts(text)[0][1] == amount


def test_cleaning_drops_furniture_and_markup_but_keeps_columns() -> None:
    text = "Justerandes signatur:\tUtdragsbestyrkande:\nmf *KE*\nbjf KE.\n- § 129** **Beslut om X**\nNamn\tKommun"
    lines = clean_text(text).split("\n")
    assert lines[:3] == ["", "", ""]
    assert lines[3] == "- § 129 Beslut om X"
    assert lines[4] == "Namn\tKommun"


# --- other förbund, other layouts -----------------------------------------------------------

MALARDALEN = """SAMORDNINGSFÖRBUNDET VÄSTRA MÄLARDALEN
PROTOKOLL

Sammanträdesdatum: 2024-03-15
Tid: kl. 13.00–15.30
Plats: Kommunhuset, Köping

Beslutande ledamöter:
Anna Andersson (S), Köpings kommun, ordförande
Bo Berg (M), Arboga kommun
Cecilia Carlsson, Försäkringskassan
Tjänstgörande ersättare:
David Dahl (C), Region Västmanland

Övriga närvarande:
Eva Ek, förbundschef
Fredrik Fors, ekonom

Justerare: Bo Berg och Cecilia Carlsson
Justeringens tid och plats: 2024-03-22, förbundets kansli
Paragrafer: §§ 1–4

Sekreterare: Eva Ek
Ordförande: Anna Andersson
Justerare: Bo Berg      Cecilia Carlsson

ANSLAG
Datum då anslaget sätts upp: 2024-03-25
Datum då anslaget tas ned: 2024-04-16
Förvaringsplats för protokollet: Förbundets kansli, Köping

§ 1 Mötets öppnande
Ordföranden öppnade mötet och konstaterade att 13 § i förbundsordningen är uppfylld.
§ 10 i reglementet gäller inte här.

§ 2 Val av justerare
Styrelsen beslutar att utse Bo Berg och Cecilia Carlsson att jämte ordföranden justera protokollet.

§ 3 Information
Förbundschefen informerar.

Justerandes sign

§ 4 Mötets avslutande
Ordföranden avslutade mötet.
"""

KALMAR = """Protokoll
Samordningsförbundet i Kalmar län
Styrelsemöte

Tid: Fredagen den 12 april 2024 kl 9-12
Plats: Regionhuset, Kalmar

Närvarande ledamöter
Gustav Gran (M), Kalmar kommun, ordförande
Helena Holm, Region Kalmar län, vice ordförande
Ivar Isaksson, Arbetsförmedlingen

Närvarande ersättare
Jenny Jonsson (S), Nybro kommun

Frånvarande
Karl Kvist (S), Borgholms kommun

Tjänstemän
Lena Lind, förbundschef, sekreterare

Justerare
Helena Holm och Ivar Isaksson
Justeras senast 2024-04-19 digitalt med BankID

§ 20\tVal av justerare
Helena Holm och Ivar Isaksson utses att justera dagens protokoll.

§ 21\tÖvriga frågor
Inga övriga frågor.

Anslaget publicerat: 2024-04-22
Anslaget tas ned: 2024-05-14
"""

SKARABORG = """SAMORDNINGSFÖRBUNDET SKARABORG
Protokoll nr 4/2022

Styrelsemöte 2022-10-07, kl. 08.30 - 11.45
Digitalt via Teams

Närvarolista
Ledamot\tParti\tRepresenterar\tNärvarande
Maja Mark\tS\tSkövde kommun\tX
Nils Nord\tM\tLidköpings kommun
Olof Ohlsson\t\tVästra Götalandsregionen\tX
Vakant\t\tArbetsförmedlingen
Ersättare\tParti\tRepresenterar\tNärvarande
Petra Palm\tC\tSkövde kommun\tX

Protokollförare: Rita Rask
Justerare: Olof Ohlsson
Justerat 2022-10-12

§31 Val av justerare
Till justerare valdes Olof Ohlsson.

§32 Övriga frågor
Inga.
"""


def test_other_forbund_with_two_justerare_and_labels() -> None:
    doc = parse_document(MALARDALEN)
    assert doc.organisation == "Samordningsförbundet Västra Mälardalen"
    assert doc.kind == "protokoll"
    proto = doc.protocol
    assert proto is not None
    assert (proto.meeting_date, proto.start_time, proto.end_time) == (
        dt.date(2024, 3, 15), dt.time(13), dt.time(15, 30))
    assert proto.place == "Kommunhuset, Köping"
    assert proto.chair == "Anna Andersson"
    assert proto.secretary == "Eva Ek"
    assert proto.justerare == ["Bo Berg", "Cecilia Carlsson"]
    assert proto.justering_date == dt.date(2024, 3, 22)
    assert (proto.anslag_posted, proto.anslag_removed) == (dt.date(2024, 3, 25), dt.date(2024, 4, 16))
    assert proto.storage_place == "Förbundets kansli, Köping"
    assert proto.paragraph_range == "1-4"
    # "13 § i förbundsordningen" and a line starting "§ 10 i reglementet" are references.
    assert [p.number for p in proto.paragraphs] == [1, 2, 3, 4]
    assert "Justerandes" not in proto.paragraphs[2].body
    people = {p.name: p for p in proto.attendance}
    assert people["Anna Andersson"].party == "S"
    assert people["Anna Andersson"].member_body == "Köpings kommun"
    assert people["David Dahl"].role == "ersättare" and people["David Dahl"].voting
    assert people["Eva Ek"].role == "övrig" and not people["Eva Ek"].voting
    assert people["Eva Ek"].title == "förbundschef"


def test_justerare_below_label_anslag_at_the_end_and_officers_from_the_list() -> None:
    doc = parse_document(KALMAR)
    proto = doc.protocol
    assert proto is not None
    assert doc.organisation == "Samordningsförbundet i Kalmar län"
    assert proto.meeting_date == dt.date(2024, 4, 12)
    assert (proto.start_time, proto.end_time) == (dt.time(9), dt.time(12))
    assert proto.justerare == ["Helena Holm", "Ivar Isaksson"]
    assert proto.justering_deadline == dt.date(2024, 4, 19)
    assert proto.justering_method == "digital via BankID"
    assert (proto.anslag_posted, proto.anslag_removed) == (dt.date(2024, 4, 22), dt.date(2024, 5, 14))
    assert proto.chair == "Gustav Gran"
    assert proto.secretary == "Lena Lind"
    people = {p.name: p for p in proto.attendance}
    assert not people["Karl Kvist"].present
    assert people["Jenny Jonsson"].role == "ersättare" and not people["Jenny Jonsson"].voting
    assert proto.paragraphs[0].title == "Val av justerare"
    assert proto.paragraphs[0].decision and "utses att justera" in proto.paragraphs[0].decision


def test_attendance_table_with_a_presence_column() -> None:
    doc = parse_document(SKARABORG)
    proto = doc.protocol
    assert proto is not None
    assert proto.place == "Teams"
    assert proto.secretary == "Rita Rask"
    assert proto.justerare == ["Olof Ohlsson"]
    assert proto.justering_date == dt.date(2022, 10, 12)
    people = {p.name: p for p in proto.attendance}
    assert set(people) == {"Maja Mark", "Nils Nord", "Olof Ohlsson", "Petra Palm"}  # not "Vakant"
    assert people["Maja Mark"].present and people["Maja Mark"].voting and people["Maja Mark"].party == "S"
    assert not people["Nils Nord"].present and not people["Nils Nord"].voting
    assert people["Petra Palm"].role == "ersättare" and not people["Petra Palm"].voting
    assert people["Olof Ohlsson"].member_body == "Västra Götalandsregionen"


def test_names_then_bodies_in_columns() -> None:
    text = ("PROTOKOLL\n\nSamordningsförbundet Norra Norrland\n\nSammanträdesdatum 2023-05-05\n"
            "Plats och tid\tKommunhuset, Luleå, kl. 10.00-12.00\n"
            "Beslutande\tOla Olsson Pia Persson Rut Rosén\tLuleå kommun, ordförande Region Norrbotten "
            "Försäkringskassan\n"
            "Övriga deltagare\tSara Sund Tor Toll\tFörbundschef Bodens kommun\n\n"
            "§ 1 Mötets öppnande\nOrdföranden öppnade mötet.\n§ 2 Val av justerare\nPia Persson valdes till justerare.\n")
    proto = parse_document(text).protocol
    assert proto is not None
    got = [(p.name, p.member_body, p.role, p.title) for p in proto.attendance]
    assert got == [
        ("Ola Olsson", "Luleå kommun", "ledamot", "ordförande"),
        ("Pia Persson", "Region Norrbotten", "ledamot", None),
        ("Rut Rosén", "Försäkringskassan", "ledamot", None),
        ("Sara Sund", None, "övrig", "förbundschef"),
        ("Tor Toll", "Bodens kommun", "övrig", None),
    ]
    assert proto.justerare == ["Pia Persson"]
    assert proto.place == "Kommunhuset, Luleå"


SODERTORN = """Samordningsförbundet Östra Södertörn
Protokoll från styrelsemöte 2023-02-10

Närvarande: Anna Alm (S) ordförande, Berit Bo (M) vice ordförande, Carl Cedergren (Försäkringskassan), Dana Dahl (Arbetsförmedlingen)
Ersättare: Erik Ed (V)
Dessutom närvarande: Frida Fjäll, förbundschef; Gösta Gran, controller

Ordförande ..................... Anna Alm
Sekreterare .................... Frida Fjäll
Justerare ...................... Berit Bo

§ 1 Val av justerare
Berit Bo valdes att jämte ordföranden justera protokollet.

§ 2 Information
Förbundschefen informerade.
"""


def test_run_together_list_with_parties_bodies_in_parentheses_and_dotted_leaders() -> None:
    proto = parse_document(SODERTORN).protocol
    assert proto is not None
    assert (proto.chair, proto.secretary, proto.justerare) == ("Anna Alm", "Frida Fjäll", ["Berit Bo"])
    got = [(p.name, p.role, p.party, p.member_body, p.voting) for p in proto.attendance]
    assert got == [
        ("Anna Alm", "ledamot", "S", None, True),
        ("Berit Bo", "ledamot", "M", None, True),
        ("Carl Cedergren", "ledamot", None, "Försäkringskassan", True),
        ("Dana Dahl", "ledamot", None, "Arbetsförmedlingen", True),
        ("Erik Ed", "ersättare", "V", None, False),
        ("Frida Fjäll", "övrig", None, None, False),
        ("Gösta Gran", "övrig", None, None, False),
    ]
    assert proto.attendance[1].title == "vice ordförande"


@pytest.mark.parametrize("anslag", [
    "Anslaget är uppsatt 2024-02-01 och tas ned 2024-02-22.",
    "Anslagsperiod: 2024-02-01 – 2024-02-22",
    "Anslaget sätts upp den 1 februari 2024 och tas ner den 22 februari 2024",
    "Datum för anslags uppsättande\n2024-02-01\nDatum för anslags nedtagande\n2024-02-22",
])
def test_anslag_wordings(anslag: str) -> None:
    text = (f"Protokoll\nSamordningsförbundet Norra Dalarna\nDatum: 2024-01-19\n{anslag}\n"
            "§ 1 Öppnande\nMötet öppnades.\n§ 2 Avslutning\nMötet avslutades.\n")
    proto = parse_document(text).protocol
    assert proto is not None
    assert (proto.anslag_posted, proto.anslag_removed) == (dt.date(2024, 2, 1), dt.date(2024, 2, 22))


@pytest.mark.parametrize("header", [
    "§ 5 Val av justerare", "§5 Val av justerare", "§ 5. Val av justerare", "- § 5 **Val av justerare**",
    "- § 5** **Val av justerare**", "§ 5\n\nVal av justerare", "§ 5\tVal av justerare",
])
def test_paragraph_header_styles(header: str) -> None:
    text = (f"Protokoll\nSamordningsförbundet Östra Skaraborg\nDatum: 2024-01-19\n\n{header}\n"
            "Att utse Ulla Ulf att justera protokollet.\n\n§ 6 Avslutning\nMötet avslutades.\n")
    proto = parse_document(text).protocol
    assert proto is not None
    assert [(p.number, p.title) for p in proto.paragraphs] == [(5, "Val av justerare"), (6, "Avslutning")]
    assert proto.justerare == ["Ulla Ulf"]


@pytest.mark.parametrize("text", [
    "", "   \n\n", "Pannkakor\n3 dl vetemjöl\n6 dl mjölk\n3 ägg\nStek dem den 24 juni.\n",
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 200,
    "§ § § 1 2 3 \t\t\t kl. 99.99-77.77 2024-13-45 Dnr: //// ” ” ", "\x00\x01\x02 binary \ufffd\ufffd",
    "x" * 200_000, "\n".join(f"§ {i}" for i in range(1, 400)),
])
def test_odd_text_never_raises_and_is_no_board_document(text: str) -> None:
    doc = parse_document(text)
    assert doc.kind == "unknown"
    assert not doc.is_board_document()


_FRAGMENTS = [
    "Protokoll", "KALLELSE", "§ 3 Ansökan – X", "§ 4", "- § 5** **Y", "Beslut", "Samordningsförbundet beslutar:",
    "Att bevilja 100 000 kr för perioden 240101-241231.", "Att avslå ansökan.", "Justerare: Anna Berg",
    "Ledamöter:\tUtsedd av:\tBeslutande", "Anna Berg (S)\tUmeå kommun\tX", "Vakant\tRegion X",
    "Datum för anslags uppsättande\t2024-01-01", "Senast 2024-02-30", "Fre. 2 februari i Timrå, kl. 9-12",
    "Tertialuppföljning 2021-04-30", "VERKSAMHETSPLAN 2021", "mf *KE*", "Justerandes signatur:", "",
    "Beslutande\tA B C D\tUmeå kommun, ordförande", "Nästa möte", "den 31 februari", "1. Mötets öppnande",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=40)), max_size=40))
def test_any_mix_of_board_fragments_never_raises(lines: list[str]) -> None:
    doc = parse_document("\n".join(lines))
    assert doc.kind in ("protokoll", "kallelse", "verksamhetsplan", "tertialuppföljning", "unknown")
    if doc.protocol:
        assert all(p.title is not None for p in doc.protocol.paragraphs)


def test_budget_tables_missing_is_a_warning(monkeypatch: pytest.MonkeyPatch, seeds_dir: Path) -> None:
    monkeypatch.setitem(sys.modules, "storage.ingest.tables", None)
    text = (seeds_dir / "003_6cc3578967e8fc81.txt").read_text(encoding="utf-8")
    doc = parse_document(text)
    assert doc.budget == []
    assert any(w.startswith("budget:") for w in doc.warnings)
    assert doc.protocol is not None and len(doc.grants) == 9


def test_budget_tables_failing_is_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    import storage.ingest.tables as tables

    def broken(text: str) -> list[Any]:
        raise ValueError("boom")

    monkeypatch.setattr(tables, "parse_budget", broken)
    doc = parse_document(MALARDALEN)
    assert doc.budget == []
    assert any("boom" in w for w in doc.warnings)
    assert doc.protocol is not None


# --- the report ----------------------------------------------------------------------------


def test_score_counts_misses_and_inventions() -> None:
    doc = parse_document(MALARDALEN)
    truth = {
        "organisation": "Samordningsförbundet Västra Mälardalen",
        "protocol": {"meeting_date": dt.date(2024, 3, 15), "chair": "Bo Berg",
                     "justerare": ["Bo Berg", "Cecilia Carlsson", "Olle Okänd"]},
        "grants": [{"name": "Något", "paragraph": 3, "status": "granted"}],
        "meetings": [],
    }
    doc.grants.append(ParsedGrant(name="Påhittad", paragraph_number=2, status="granted"))
    scores = score(doc, truth)
    assert (scores["organisation"].tp, scores["organisation"].fp) == (1, 0)
    assert (scores["protocol.meeting_date"].tp, scores["protocol.meeting_date"].fn) == (1, 0)
    assert (scores["protocol.chair"].fp, scores["protocol.chair"].fn) == (1, 1)  # wrong value: both
    assert (scores["protocol.justerare"].tp, scores["protocol.justerare"].fn) == (2, 1)
    assert (scores["grants"].fp, scores["grants"].fn) == (1, 1)
    assert scores["protocol.justerare"].recall == pytest.approx(2 / 3)


def test_load_truth_merges_budget_fixture(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("organisation: A\nkind: protokoll\n", encoding="utf-8")
    (tmp_path / "x.budget.yaml").write_text(
        "budget:\n- {year: 2024, kind: budget, line: Kansli, amount: 1000}\n", encoding="utf-8")
    truth = load_truth(tmp_path, "x")
    assert truth["organisation"] == "A"
    assert truth["budget"][0]["amount"] == 1000
    assert load_truth(tmp_path, "missing") == {}


JUSTERING_IN_A_PARAGRAPH = """Samordningsförbundet Lomvik

Protokoll från styrelsens sammanträde 4 april 2019

Sammanträdesdatum\t4 april 2019
Plats\tKommunhuset, Lomvik
Sekreterare\tSara Holm

§ 12 Mötets öppnande
Mötet öppnades av ordföranden Anna Berg (S), som hälsade alla välkomna.

§ 13 {title}
{sentence}

§ 14 Information
Förbundschefen informerade.
"""


@pytest.mark.parametrize(("title", "sentence", "deadline"), [
    ("Justering", "Protokollet justeras den 2 maj 2019 av Eva Lund (M) och Per Ek (S).", False),
    ("Justering av protokollet", "Protokollet ska justeras den 2 maj 2019. Till justerare utses Eva Lund (M) "
     "och Per Ek (S).", False),
    ("Val av justerare", "Eva Lund (M) och Per Ek (S) utses att justera protokollet senast den 2 maj 2019.", True),
])
def test_justering_as_its_own_paragraph_and_the_chair_in_running_text(title: str, sentence: str,
                                                                       deadline: bool) -> None:
    proto = parse_document(JUSTERING_IN_A_PARAGRAPH.format(title=title, sentence=sentence)).protocol
    assert proto is not None
    assert proto.chair == "Anna Berg"
    assert proto.justerare == ["Eva Lund", "Per Ek"]
    day = dt.date(2019, 5, 2)
    assert (proto.justering_deadline, proto.justering_date) == ((day, None) if deadline else (None, day))
