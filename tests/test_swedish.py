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


# --- dates ---------------------------------------------------------------------------------

from storage.swedish.dates import (  # noqa: E402
    complete_year,
    find_dates,
    first_date,
    leading_date,
    parse_date,
    parse_period,
    parse_time_range,
    scan,
    written_dates,
)

D = dt.date


@pytest.mark.parametrize(("text", "day"), [
    ("Sammanträdesdatum 2018-03-14", D(2018, 3, 14)),
    ("Sammanträdesdatum 14 mars 2018", D(2018, 3, 14)),
    ("Datum: 14/3 2018", D(2018, 3, 14)),
    ("Datum: 14/3-2018", D(2018, 3, 14)),
    ("onsdagen den 14 mars 2018 kl. 13.00", D(2018, 3, 14)),
    ("den 2:a februari, 2024", D(2024, 2, 2)),
    ("Tid 7 sept. 2019", D(2019, 9, 7)),
    ("Datum 180314", D(2018, 3, 14)),  # only as a labelled value: see the next test
    ("Ankom 2020-11-19", D(2020, 11, 19)),
])
def test_every_document_form_of_a_day(text: str, day: dt.date) -> None:
    value = text.split(" ", 1)[1]
    assert first_date(value) == day


def test_six_digits_are_a_date_only_where_a_date_is_expected() -> None:
    assert first_date("180314") == D(2018, 3, 14)
    assert find_dates("Dnr 180314 avser ärendet") == []


def test_a_day_without_year_takes_the_given_year_and_numeric_fractions_are_no_dates() -> None:
    assert find_dates("Nästa möte 24 september kl 9", default_year=2021) == [(11, D(2021, 9, 24))]
    assert find_dates("Nästa möte 24 september") == []
    assert find_dates("3/4 av deltagarna", default_year=2021) == []
    assert find_dates("31 februari 2021, 30 april 2021") == [(18, D(2021, 4, 30))]


def test_dates_are_found_in_text_order_once_each() -> None:
    text = "Justerat 2019-06-26, anslaget 1 juli 2019 till 22/7 2019."
    assert [d for _p, d in find_dates(text)] == [D(2019, 6, 26), D(2019, 7, 1), D(2019, 7, 22)]


@pytest.mark.parametrize(("value", "day"), [
    ("2021-04-30", D(2021, 4, 30)), ("21-04-30", D(2021, 4, 30)), ("210430", D(2021, 4, 30)),
    ("20210430", D(2021, 4, 30)), ("30 april 2021", D(2021, 4, 30)), (" 30 April 2021 ", D(2021, 4, 30)),
])
def test_a_value_standing_alone(value: str, day: dt.date) -> None:
    assert parse_date(value) == day


@pytest.mark.parametrize("value", ["30 april", "2021-04-31", "utfall 2021-04-30", "1 234", "april 2021"])
def test_a_value_that_is_not_one_whole_day(value: str) -> None:
    assert parse_date(value) is None


def test_the_audit_confirms_every_written_form() -> None:
    full, year_less = written_dates("möte 20 februari (250220), justerat 2025-02-24, 3.3.2025 och 20/2")
    assert full == {D(2025, 2, 20), D(2025, 2, 24), D(2025, 3, 3)}
    assert year_less == {(2, 20)}


def test_english_forms_are_read_only_for_questions() -> None:
    question = ["iso", "words_en", "month_first"]
    assert [(f.year, f.month, f.day) for f in scan("June 11, 2021 and 3rd March 2020", question)] == [
        (2021, 6, 11), (2020, 3, 3)]
    assert scan("June 11, 2021") == []


def test_a_day_without_year_is_completed_from_a_reference() -> None:
    today = D(2024, 3, 1)
    # A question's "24 november" is last November; "2 mars" is this year's.
    assert complete_year(11, 24, today, ahead_days=180) == D(2023, 11, 24)
    assert complete_year(3, 2, today, ahead_days=180) == D(2024, 3, 2)
    # A chat command's "2 februari" is the next such day.
    assert complete_year(2, 2, today, behind_days=0) == D(2025, 2, 2)
    assert complete_year(2, 29, D(2023, 1, 1), behind_days=0) is None


def test_a_chat_command_starts_with_its_day() -> None:
    found = leading_date("2 februari kl 9 Kommunhuset")
    assert found is not None and (found.year, found.month, found.day) == (None, 2, 2)
    assert "2 februari kl 9 Kommunhuset"[found.end:].strip() == "kl 9 Kommunhuset"
    assert leading_date("Kommunhuset 2 februari") is None


def test_periods_and_clock_times() -> None:
    assert parse_period("för perioden 240101-24 1231") == (D(2024, 1, 1), D(2024, 12, 31))
    assert parse_period("2023-01-01 t.o.m. 2023-06-30") == (D(2023, 1, 1), D(2023, 6, 30))
    assert parse_period("perioden 2019–2021") == (D(2019, 1, 1), D(2021, 12, 31))
    assert parse_time_range("onsdagen den 14 mars 2018 kl. 13.00") == (dt.time(13, 0), None)
    assert parse_time_range("Tid 2019-04-03 kl 13:00–15:30") == (dt.time(13, 0), dt.time(15, 30))
    assert parse_time_range("fredag 2 februari 9-12", bare=True) == (dt.time(9, 0), dt.time(12, 0))


# --- amounts -------------------------------------------------------------------------------

from decimal import Decimal  # noqa: E402

from storage.swedish.amounts import (  # noqa: E402
    find_amounts,
    normalise_unit,
    parse_number,
    scan_amounts,
    written_in_some_unit,
    written_numbers,
)


@pytest.mark.parametrize(("text", "kronor"), [
    ("beslutar att bevilja 185 000 kronor för nio månaders verksamhet", 185_000),
    ("högst 250 000 kr per år under två år", 250_000),
    ("en kostnad på 450 tkr", 450_000),
    ("ram om 0,8 mnkr", 800_000),
    ("totalt 1,5 mkr", 1_500_000),
    ("har förbrukat 412 306 kronor", 412_306),
    ("tilldelas 2.400.000 kr", 2_400_000),
    ("med 1\u00a0250\u00a0000 kronor", 1_250_000),
    ("ett 500 000 kronors bidrag", 500_000),
    ("5 miljoner kronor", 5_000_000),
    ("12 tusen kronor", 12_000),
    ("3 milj. kr", 3_000_000),
    ("beviljas 100 000:-", 100_000),
    ("i 2 miljoner", 2_000_000),
])
def test_every_written_amount(text: str, kronor: int) -> None:
    assert [k for _p, k in find_amounts(text)] == [kronor]


def test_a_range_is_two_amounts_at_most_never_one_misread() -> None:
    # "från 4 till 5 miljoner kronor": the 4 has no unit of its own and is no amount.
    assert [a.kronor for a in scan_amounts("från 4 till 5 miljoner kronor")] == [5_000_000]


def test_running_text_reads_only_units_that_say_kronor() -> None:
    text = "2 miljoner invånare och 100 SEK samt 450 tkr"
    assert [a.kronor for a in scan_amounts(text, says_kronor=True)] == [450_000]
    assert [a.kronor for a in scan_amounts(text)] == [2_000_000, 100, 450_000]


def test_no_amount_inside_numbers_words_or_decimals() -> None:
    assert find_amounts("Dnr 2019/12 kravspec") == []
    assert find_amounts("5 krukor") == []
    assert find_amounts("5 miljarder kronor") == []  # not misread as miljoner


def test_a_minus_sign_is_kept_for_the_reader_to_judge() -> None:
    (amount,) = scan_amounts("Resultat −1 969 tkr")
    assert amount.negative and amount.value == Decimal(1969) and amount.unit == "tkr"


@pytest.mark.parametrize(("cell", "value", "unit"), [
    ("8 029", Decimal(8029), None), ("- 8 029", Decimal(-8029), None), ("−8 029", Decimal(-8029), None),
    ("(8 029)", Decimal(-8029), None), ("1 234,5", Decimal("1234.5"), None), ("**13 890**", Decimal(13890), None),
    ("450 tkr", Decimal(450), "tkr"), ("0,8 mnkr", Decimal("0.8"), "mkr"), ("+12", Decimal(12), None),
])
def test_table_cells(cell: str, value: Decimal, unit: str | None) -> None:
    assert parse_number(cell) == (value, unit)


@pytest.mark.parametrize("cell", ["", "-", "Budget", "2019-06-20", "12 %"])
def test_cells_that_are_no_number(cell: str) -> None:
    assert parse_number(cell) is None


@pytest.mark.parametrize(("word", "unit"), [
    ("tkr", "tkr"), ("Tusental kronor", "tkr"), ("(mnkr)", "mkr"), ("miljoner kronor", "mkr"),
    ("kr.", "kr"), ("SEK", "kr"), (":-", "kr"), ("procent", None), (None, None),
])
def test_unit_words(word: str | None, unit: str | None) -> None:
    assert normalise_unit(word) == unit


def test_the_audit_finds_an_amount_in_any_unit_and_in_cells_side_by_side() -> None:
    numbers = written_numbers("Summa\t1 466 1 600\t2.400.000 kr, 0,8 mnkr")
    assert written_in_some_unit(1_466_000, numbers)  # 1 466 tkr
    assert written_in_some_unit(-1_600, numbers)  # the sign is the column's
    assert written_in_some_unit(2_400_000, numbers)
    assert written_in_some_unit(800_000, numbers)
    assert not written_in_some_unit(1_467_000, numbers)


# --- cleaning ------------------------------------------------------------------------------

from storage.swedish.cleaning import (  # noqa: E402
    PAGE_BREAK,
    clean_text,
    collapse_ws,
    is_furniture,
    normalise_characters,
    strip_markup,
)


def test_characters_from_extraction_become_plain() -> None:
    decomposed = "Ha\u0308rno\u0308sand"  # "Härnösand" as some PDFs give it, letters and accents apart
    assert normalise_characters(f"{decomposed}\r\n1\u00a0250\u202f000 kr\u00ad\u200b") == "Härnösand\n1 250 000 kr"


@pytest.mark.parametrize("line", ["Justerandes signatur", "Utdragsbestyrkande", "Sida 2 av 5", "3 (21)", "- 4 -",
                                  "mf", "*KE*", "_____"])
def test_page_furniture(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize("line", ["att", "Ja", "Beslut", "Styrelsen beslutar att bevilja 185 000 kronor.",
                                  "§ 12 Val av justerare"])
def test_text_is_no_furniture(line: str) -> None:
    assert not is_furniture(line)


def test_a_document_keeps_its_layout_and_loses_its_noise() -> None:
    page_head = "Samordningsförbundet Ljungbacka\nProtokoll nr 7\n"
    text = (page_head + "\n§ 1 **Mötets öppnande**\n\nOrdförande ....... Anna Alm\n"
            "Styrelsen beslutar att lägga informationen om ekonomin till handlingarna och att\n\n"
            f"{PAGE_BREAK}\n" + page_head + "\nuppdra åt förbundschefen att återkomma.\nJusterandes signatur\n"
            f"{PAGE_BREAK}\n" + page_head + "\n§ 2 Avslutning\n<b>Klart</b>\n")
    cleaned = clean_text(text).split("\n")
    assert cleaned.count("Protokoll nr 7") == 1  # the letterhead stays, the page heads go
    assert "§ 1 Mötets öppnande" in cleaned
    assert "Ordförande\tAnna Alm" in cleaned  # a dotted leader is a column break
    assert "Klart" in cleaned and "Justerandes signatur" not in cleaned
    # Pages stay citable: both breaks stay, also where the page head around them goes and where
    # a sentence split by one is joined ("§ 2" is on page 3).
    assert cleaned.count(PAGE_BREAK) == 2
    assert cleaned[cleaned.index("§ 2 Avslutning"):].count(PAGE_BREAK) == 0
    assert cleaned[:cleaned.index("§ 2 Avslutning")].count(PAGE_BREAK) == 2
    assert ("Styrelsen beslutar att lägga informationen om ekonomin till handlingarna och att "
            "uppdra åt förbundschefen att återkomma.") in cleaned


def test_a_cell_or_a_line() -> None:
    assert strip_markup("**13\u00a0890**<sup>1</sup>\t tkr") == "13 890 tkr"
    assert strip_markup("## Resultat") == "Resultat"
    assert collapse_ws("  a \t b\n c ") == "a b c"


def test_deadlines_in_any_form_of_a_day() -> None:
    from storage.swedish.dates import deadlines

    text = ("Återrapportering senast 2025-03-31 och slutrapport senast den 30 april 2026. "
            "Senast möjliga datum anges inte; senast 2025-02-30 är ingen dag.")
    assert deadlines(text) == [("senast 2025-03-31", D(2025, 3, 31)), ("senast den 30 april 2026", D(2026, 4, 30))]


@pytest.mark.parametrize("text", ["januari–augusti", "jan-aug", "januari till augusti", "January to August",
                                  "jan. t.o.m. aug."])
def test_a_run_of_months(text: str) -> None:
    import re

    from storage.swedish.dates import MONTH_RANGE

    m = re.fullmatch(MONTH_RANGE, text, re.IGNORECASE)
    assert m is not None
    assert (month_number(m["first"], english=True), month_number(m["last"], english=True)) == (1, 8)


@pytest.mark.parametrize("value", ["2021-04-30", "20210430", "210430", "21-04-30", "30 april 2021"])
def test_the_embeddable_day_is_what_a_value_reader_reads(value: str) -> None:
    import re

    from storage.swedish.dates import DATE_PATTERN

    m = re.search(rf"per\s+({DATE_PATTERN})$", f"Utfall per {value}", re.IGNORECASE)
    assert m is not None and parse_date(m[1]) == D(2021, 4, 30)


def test_weekday_words_in_any_form() -> None:
    from storage.swedish import WEEKDAY_RE

    assert WEEKDAY_RE.sub("#", "Fre. 2 februari, onsdagen den 3, tisdagar") == "# 2 februari, # den 3, #"
    assert WEEKDAY_RE.sub("#", "fredrik torsten") == "fredrik torsten"
