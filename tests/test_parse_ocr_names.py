"""Whose document a scan is: the letterhead's förbund or board, read through OCR's slips.

Text-level: each letterhead below is written as Tesseract misreads a scanned page (ö read as o
or 6, å/ä as a, the cue word split or a letter off, the letterhead run into the next line), and
every document also names a neighbouring förbund in a §, spelt correctly.
"""

from __future__ import annotations

import pytest

from storage.ingest.parse import parse_document
from storage.ingest.text_utils import organisation_key

BODY = """
Sammanträdesdatum 14 mars 2019
Plats Kommunhuset, {town}

Ledamöter: Utsedd av:
Anna Berg (S) {town} kommun

§ 12 Mötets öppnande

Ordföranden förklarade mötet öppnat.

§ 13 Remiss om lokal samverkan

Ärendet har beretts tillsammans med Samordningsförbundet Björkdal.
Ärendet har beretts tillsammans med Samordningsförbundet Björkdal.
"""


@pytest.mark.parametrize(("letterhead", "town", "expected"), [
    ("Samordningsforbundet Sjoby", "Sjöby", "Samordningsförbundet Sjöby"),
    ("Samordnings förbundet Sj6by", "Sjöby", "Samordningsförbundet Sjöby"),
    ("Samordningsférbundet Älvsund-Lindnäs", "Älvsund", "Samordningsförbundet Älvsund–Lindnäs"),
    ("Rönnbergas samordningsforbund", "Rönnberga", "Samordningsförbundet Rönnberga"),
    ("Tallnas samordnings förbund", "Tallnäs", "Samordningsförbundet Tallnäs"),
    ("FlNSAM i Hjortmark", "Hjortmark", "Samordningsförbundet Hjortmark"),
    ("Finsarn Myrasen", "Myråsen", "Samordningsförbundet Myråsen"),
    ("Samordningsförbundet Lindnäs Protokoll från styrelsens sammanträde", "Lindnäs",
     "Samordningsförbundet Lindnäs"),
    ("Socialnamnden i Hasselmark kommun", "Hasselmark", "Hasselmark kommun, socialnämnden"),
    ("Sjobacka kommun\nKommunstyrelsen", "Sjöbacka", "Sjöbacka kommun, kommunstyrelsen"),
    ("Lommark kommun Kommunstyrelsen", "Lommark", "Lommark kommun, kommunstyrelsen"),
    ("Socialnarnnden i Hasselmark kornmun", "Hasselmark", "Hasselmark kommun, socialnämnden"),
    ("Lommark kornmun\nKornmunstyrelsen", "Lommark", "Lommark kommun, kommunstyrelsen"),
    # The place itself misread in the letterhead, spelt right where the text names it again.
    ("Samordningsförbundet Kvarnholrn", "Kvarnholm", "Samordningsförbundet Kvarnholm"),
    ("Linclnäs samordningsförbund", "Lindnäs", "Samordningsförbundet Lindnäs"),
    ("FINSAM i Iindvik", "Lindvik", "Samordningsförbundet Lindvik"),
    ("Strancltorp kommun\nKommunstyrelsen", "Strandtorp", "Strandtorp kommun, kommunstyrelsen"),
    ("Lommark kommun.\nKommunstyrelsen.", "Lommark", "Lommark kommun, kommunstyrelsen"),
])
def test_a_misread_letterhead_still_names_who_wrote_it(letterhead: str, town: str, expected: str) -> None:
    parsed = parse_document(f"{letterhead}\n\nProtokoll\n{BODY.format(town=town)}", "scan.pdf")
    assert organisation_key(parsed.organisation or "") == organisation_key(expected)


@pytest.mark.parametrize("word", ["samordningsförbunden", "Finland", "Finska", "Kommunen", "Samarbete"])
def test_words_near_a_cue_word_are_not_read_as_it(word: str) -> None:
    # A plural, or another word sharing a few letters, must not become a förbund's name.
    parsed = parse_document(f"Protokoll\n\n{word} Granvik har yttrat sig.\n{BODY.format(town='Granvik')}")
    assert organisation_key(parsed.organisation or "") == organisation_key("Samordningsförbundet Björkdal")


def test_a_place_is_not_respelt_as_its_own_genitive() -> None:
    text = "Samordningsförbundet Umeå\n\nProtokoll\n" + "Umeås kommun har yttrat sig.\n" * 3 + BODY.format(town="Umeå")
    assert parse_document(text).organisation == "Samordningsförbundet Umeå"


def test_a_labelled_officer_whose_capital_ocr_read_small_is_still_named() -> None:
    # "U", "O", "S", "V" differ from "u", "o", "s", "v" only in size: a scan gives "ulla Sjö".
    text = ("Protokoll från styrelsens sammanträde 14 mars 2019\n\nSammanträdesdatum\t14 mars 2019\n"
            "Ordförande\tolof Berg\nSekreterare\tulla Sjö\n\n§ 12 Mötets öppnande\n\n"
            "Ordföranden förklarade mötet öppnat.\n")
    protocol = parse_document(text).protocol
    assert protocol is not None
    assert (protocol.chair, protocol.secretary) == ("Olof Berg", "Ulla Sjö")
