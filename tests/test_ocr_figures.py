"""Which second reading of a scanned word (by Tesseract's English data) replaces the first."""

from __future__ import annotations

import pytest

from storage.ingest.ocr import _accepted, _figure_like, _undoubled


@pytest.mark.parametrize(("first", "second", "kept"), [
    ("-1,2", "-7,2", "-7,2"),  # Swedish data's 7 read as 1
    ("-5,9", "5,9", "-5,9"),  # the short dash lost when cut out of its line
    ("—-2 684", "-2 684", "-2 684"),
    ("8109", "§ 109", "§ 109"),  # a "§" glued to its number
    ("KF8110", "KF § 110", "KF § 110"),  # and to a body's abbreviation
    ("$&", "§", "§"),  # a "§" in running text
    ("$&", "8", None),  # ... is a "§" or nothing
    ("$$", "§§", "§§"),  # a "§§" in a table heading ("Närvaro §§")
    ("$8", "§§", "§§"),
    ("$8&", "§§", "§§"),
    ("88", "§§", None),  # a figure stays a figure
    ("KF8110", "KS § 110", None),  # other letters: not the same word
    ("1976", "Storsjö", None),  # a word is no figure
    ("2 141", "", None),
])
def test_a_second_reading_replaces_the_first_only_when_it_is_the_same_kind_of_word(
        first: str, second: str, kept: str | None) -> None:
    assert _accepted(first, second) == kept


def test_figures_and_unsure_words_with_digits_are_read_again() -> None:
    assert _figure_like({"text": "(2 507", "conf": "95"})
    assert _figure_like({"text": "<21", "conf": "9.6"})  # a lone "1" at a column's start
    assert _figure_like({"text": "KS882", "conf": "22"})
    assert not _figure_like({"text": "KS882", "conf": "96"})
    assert not _figure_like({"text": "Kommunstyrelsen", "conf": "40"})


def test_a_capital_read_twice_by_tesseract_is_one_capital() -> None:
    assert _undoubled("Vv") == "V"  # a party's "V" in a table cell
    assert _undoubled("Vi") == "Vi"
    assert _undoubled("KD") == "KD"
    assert _undoubled("V") == "V"
