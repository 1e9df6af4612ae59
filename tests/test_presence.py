"""Who was present at which §§: a närvarolista appended to the protocol, and arrivals,
departures and jäv told in running text, read into the store and answered from it."""

from __future__ import annotations

from pathlib import Path

from bot.console import ask
from storage.db import open_engine
from storage.ingest.load import ingest_path
from storage.ingest.parse import parse_document
from storage.ingest.presence import events_in, format_spans, present_at
from tests.script_modules import load_script

PROTOCOL = """Samordningsförbundet Lomvik

Protokoll från styrelsens sammanträde 4 april 2019

Sammanträdesdatum\t4 april 2019
Plats\tKommunhuset, Lomvik
Tid\tkl. 13.00–16.00
Ordförande\tAnna Berg
Sekreterare\tSara Holm
Justerare\tEva Lund
Närvaro\tSe bilaga 1, närvarolista

§ 5 Mötets öppnande
Ordföranden hälsade alla välkomna.

§ 6 Val av justerare
Styrelsen utser Eva Lund att jämte ordföranden justera protokollet.

§ 7 Internkontrollplan
Styrelsen beslutar att anta internkontrollplanen.

§ 8 Ansökan om medel för insatsen Steget
Per Ek (M) deltar inte i handläggningen av § 8 på grund av jäv.
Styrelsen beslutar att bevilja 185 000 kronor.

§ 9 Delegationsbeslut
Styrelsen beslutar att lägga delegationsbesluten till handlingarna.

§ 10 Mötets avslutande
Ordföranden avslutade mötet.

Vid protokollet\tSara Holm

Bilaga 1

Närvarolista

Namn\tParti\tLedamot/Ersättare\tNärvarande §§\tAnteckning
Anna Berg\tS\tOrdförande\t5–10\t
Eva Lund\tC\tLedamot\t5–9\tLämnade sammanträdet efter § 9
Per Ek\tM\tLedamot\t5–10\t
Olle Dahl\tV\tTjänstgörande ersättare\t7–10\tKom kl 13.40 under § 7
Lina Mark\tKD\tErsättare\t–\t
"""


def test_events_read_by_the_words_that_say_them() -> None:
    numbers = list(range(5, 11))
    cases = {
        "lämnar sammanträdet kl 15.00 under § 8": {5, 6, 7},
        "lämnade mötet efter § 8": {5, 6, 7, 8},
        "kom kl 14.10 under § 7": {7, 8, 9, 10},
        "ansluter efter § 7": {8, 9, 10},
        "deltar inte i handläggningen av § 8 på grund av jäv": {5, 6, 7, 9, 10},
        "Jäv § 8": {5, 6, 7, 9, 10},
        "§§ 5-7": {5, 6, 7},
        "tjänstgör från och med § 9": {9, 10},
        "§§ 5-7, 9-10": {5, 6, 7, 9, 10},
        "§§ 5–9; kom kl 13.40 under § 6": {6, 7, 8, 9},
    }
    for text, present in cases.items():
        assert present_at(numbers, events_in(text)) == present, text
    assert format_spans({5, 6, 7, 9, 12, 13}) == "5-7,9,12-13"


def test_appendix_table_and_running_text_give_each_persons_paragraphs() -> None:
    proto = parse_document(PROTOCOL).protocol
    assert proto is not None
    got = {p.name: (p.role, p.party, p.voting, p.present, p.paragraphs) for p in proto.attendance}
    assert got == {
        "Anna Berg": ("ledamot", "S", True, True, None),  # present throughout: nothing to say
        "Eva Lund": ("ledamot", "C", True, True, "5-9"),
        "Per Ek": ("ledamot", "M", True, True, "5-7,9-10"),  # jäv in § 8, told in the § itself
        "Olle Dahl": ("ersättare", "V", True, True, "7-10"),
        "Lina Mark": ("ersättare", "KD", False, False, None),
    }
    notes = {p.name: p.note for p in proto.attendance}
    assert notes["Eva Lund"] == "Lämnade sammanträdet efter § 9"
    assert "jäv" in (notes["Per Ek"] or "")


def test_who_took_part_in_which_decision_is_answered_from_a_pdf(tmp_path: Path) -> None:
    render = load_script("render_documents")
    pdf = tmp_path / "protokoll_2019-04-04.pdf"
    pdf.write_bytes(render.to_pdf(PROTOCOL))
    engine = open_engine(f"sqlite:///{tmp_path / 's.db'}")
    result = ingest_path(engine, pdf)
    assert result.ok, result.message_sv
    jav = ask(engine, "Deltog Per Ek i beslutet i § 8?")
    after = ask(engine, "Deltog Per Ek i beslutet i § 9?")
    left = ask(engine, "Deltog Eva Lund i beslutet i § 10?")
    not_in_8 = ask(engine, "Vem deltog inte i beslutet i § 8?")
    in_8 = ask(engine, "Vilka deltog i beslutet i § 8?")
    who_left = ask(engine, "Vilka lämnade sammanträdet?")
    engine.dispose()
    assert who_left.answered and "Eva Lund" in who_left.text and "efter § 9" in who_left.text
    assert "Per Ek" not in who_left.text and "Olle Dahl" not in who_left.text  # jäv in one §; came late
    assert not_in_8.answered and "Per Ek" in not_in_8.text
    assert "Eva Lund" not in not_in_8.text and "Olle Dahl" not in not_in_8.text  # they came or went elsewhere
    assert in_8.answered and "Per Ek" not in in_8.text and "Eva Lund" in in_8.text and "Olle Dahl" in in_8.text
    assert jav.text.startswith("Nej") and "jäv" in jav.text
    assert after.text.startswith("Ja")
    assert left.text.startswith("Nej") and "efter § 9" in left.text
    assert "protokoll 2019-04-04" in jav.sources[0].label()
