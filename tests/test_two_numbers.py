"""One matter under two §§ as it passes from the kommunstyrelse to fullmäktige: the §
fullmäktige gives it is the matter, the kommunstyrelse's § is kept beside it and cited with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.console import ask
from storage.db import open_engine
from storage.ingest.load import ingest_path
from storage.ingest.parse import parse_document

PROTOCOL = """Lomvik kommun
Kommunfullmäktige

Protokoll från kommunfullmäktiges sammanträde 24 april 2019

Sammanträdesdatum\t24 april 2019
Plats\tStadshuset, Lomvik
Ordförande\tAnna Berg
Sekreterare\tSara Holm
Justerare\tEva Lund

{p}§ 86 Mötets öppnande
Ordföranden hälsade alla välkomna.

{p}§ 87 Val av justerare
Fullmäktige utser Eva Lund att jämte ordföranden justera protokollet.

{matter}
Kommunfullmäktige beslutar att godkänna årsredovisningen 2018 för Samordningsförbundet Lomvik.

{p}§ 89 Mötets avslutande
Ordföranden avslutade mötet.
"""

MATTERS = [
    "KF § 88\tKS § 41\tDnr 2019/114\nÅrsredovisning 2018 för Samordningsförbundet Lomvik",
    "§ 88 Årsredovisning 2018 för Samordningsförbundet Lomvik (KS § 41)",
    "§ 88 Årsredovisning 2018 för Samordningsförbundet Lomvik\nKommunstyrelsen 2019-04-02, § 41",
    "§ 88 Årsredovisning 2018 för Samordningsförbundet Lomvik\nKS § 41",
]


@pytest.mark.parametrize("matter", MATTERS)
def test_the_other_bodys_paragraph_is_kept_beside_the_matter(matter: str) -> None:
    # A protocol that writes its own body before the § does so on every § line.
    proto = parse_document(PROTOCOL.format(matter=matter, p="KF " if matter.startswith("KF") else "")).protocol
    assert proto is not None
    got = [(p.number, p.title, p.also) for p in proto.paragraphs]
    assert got == [(86, "Mötets öppnande", None), (87, "Val av justerare", None),
                   (88, "Årsredovisning 2018 för Samordningsförbundet Lomvik", "KS § 41"),
                   (89, "Mötets avslutande", None)]


def test_a_citation_in_running_text_or_of_the_paragraph_itself_is_no_second_number() -> None:
    text = PROTOCOL.format(p="KF ", matter="KF § 88 Årsredovisning 2018\nEnligt kommunstyrelsens beslut i § 41 har "
                                  "förbundet lämnat sin årsredovisning.")
    proto = parse_document(text).protocol
    assert proto is not None
    assert [(p.number, p.also) for p in proto.paragraphs if p.number == 88] == [(88, None)]


def test_the_answer_cites_both_numbers(tmp_path: Path) -> None:
    path = tmp_path / "kf_2019-04-24.txt"
    path.write_text(PROTOCOL.format(matter=MATTERS[1], p=""), encoding="utf-8")
    engine = open_engine(f"sqlite:///{tmp_path / 's.db'}")
    result = ingest_path(engine, path, organisation_hint="Lomvik kommun, kommunfullmäktige")
    assert result.ok, result.message_sv
    reply = ask(engine, "Vad beslutade fullmäktige om årsredovisningen 2018?")
    by_other_number = ask(engine, "Vad beslutade kommunstyrelsen i § 41?")
    engine.dispose()
    assert reply.answered, reply.text
    labels = [s.label() for s in reply.sources]
    assert any("§ 88 (KS § 41)" in label for label in labels), labels
    # The kommunstyrelse's number leads to the same matter, not to a § 41 of fullmäktige.
    assert by_other_number.answered and by_other_number.text.startswith("§ 88 (KS § 41)"), by_other_number.text
    assert "godkänna årsredovisningen 2018" in by_other_number.text


def test_the_other_body_may_have_given_the_same_number() -> None:
    matter = "§ 88 Årsredovisning 2018 för Samordningsförbundet Lomvik\nKommunstyrelsen 2019-04-02, § 88"
    proto = parse_document(PROTOCOL.format(matter=matter, p="")).protocol
    assert proto is not None
    assert [(p.number, p.also) for p in proto.paragraphs if p.number == 88] == [(88, "KS § 88")]
