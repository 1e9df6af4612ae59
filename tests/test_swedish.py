"""The one Swedish text toolkit (storage.swedish): every written form the readers rely on."""

from __future__ import annotations

import datetime as dt

import pytest

from storage.swedish import (
    MONTHS,
    long_date,
    month_number,
    weekday_short_alternation,
)

# --- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("word", "number"), [
    ("januari", 1), ("Mars", 3), ("mar", 3), ("febr.", 2), ("sept", 9), ("sep.", 9), ("okt", 10), ("DECEMBER", 12),
])
def test_swedish_month_words_in_every_written_form(word: str, number: int) -> None:
    assert month_number(word) == number


def test_english_month_words_only_where_asked_for() -> None:
    assert month_number("June", english=True) == 6
    assert month_number("Oct.", english=True) == 10
    assert month_number("June") is None  # a document's "June" is no Swedish month
    assert month_number("onsdag") is None
    assert "may" not in MONTHS


def test_long_dates_written_out_in_both_languages() -> None:
    day = dt.date(2024, 2, 2)
    assert long_date(day) == "fredag 2 februari 2024"
    assert long_date(day, "en") == "Friday 2 February 2024"


def test_short_weekdays_also_start_the_long_forms() -> None:
    import re

    rx = re.compile(rf"^(?:{weekday_short_alternation()})[a-zåäö]*$", re.I)
    for word in ("mån", "tors", "tor", "torsdagen", "Lördag", "sön"):
        assert rx.match(word), word
    assert not rx.match("mars")
