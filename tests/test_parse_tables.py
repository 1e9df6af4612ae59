"""parse_budget: every figure of the seeds' money tables, and tables in other förbund's styles.

The seed fixtures (tests/fixtures/seeds/<stem>.budget.yaml) were written by reading the
documents, not by running the parser; a difference is reported as misses, extras and
wrong fields so a regression says exactly which cell it broke.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.ingest.parsed import ParsedBudgetFigure
from storage.ingest.tables import parse_budget, parse_column
from storage.swedish.cleaning import clean_text

FIXTURES = Path(__file__).parent / "fixtures" / "seeds"
FIELDS = ("amount", "unit", "section", "paragraph_number")
Key = tuple[int, str, str, dt.date | None]


def _key(year: int, kind: str, line: str, as_of: dt.date | None) -> Key:
    return (year, kind, line, as_of)


def compare(parsed: list[ParsedBudgetFigure], truth: list[dict]) -> tuple[list[str], list[str], list[str]]:
    """Misses, extras and wrong fields; a fixture entry without a field means None."""
    got = {_key(f.year, f.kind, f.line, f.as_of): f for f in parsed}
    want = {_key(t["year"], t["kind"], t["line"], t.get("as_of")): t for t in truth}
    misses = [f"{k}: {want[k]['amount']}" for k in want if k not in got]
    extras = [f"{k}: {got[k].amount}" for k in got if k not in want]
    wrong = [f"{k} {name}: got {getattr(got[k], name)!r}, want {want[k].get(name)!r}"
             for k in want if k in got for name in FIELDS if getattr(got[k], name) != want[k].get(name)]
    return misses, extras, wrong


def _seed_stems() -> list[str]:
    return sorted(p.name.removesuffix(".budget.yaml") for p in FIXTURES.glob("*.budget.yaml"))


def test_every_seed_has_a_budget_fixture() -> None:
    assert len(_seed_stems()) == 5


@pytest.mark.parametrize("cleaned", [False, True], ids=["raw", "cleaned"])
@pytest.mark.parametrize("stem", _seed_stems())
def test_seed_figures_match_ground_truth(stem: str, cleaned: bool, seeds_dir: Path) -> None:
    """The same figures from the extracted text as it is and as the document parser cleans it
    (HTML and Markdown markup dropped, page furniture blanked)."""
    truth = yaml.safe_load((FIXTURES / f"{stem}.budget.yaml").read_text(encoding="utf-8"))["budget"]
    text = (seeds_dir / f"{stem}.txt").read_text(encoding="utf-8")
    parsed = parse_budget(clean_text(text) if cleaned else text)
    misses, extras, wrong = compare(parsed, truth)
    assert not (misses or extras or wrong), (
        f"{stem}: {len(misses)} missed, {len(extras)} extra, {len(wrong)} wrong\n"
        + "\n".join(["MISS " + m for m in misses] + ["EXTRA " + e for e in extras]
                    + ["WRONG " + w for w in wrong]))


def test_seed_figures_are_unique_per_store_key(seeds_dir: Path) -> None:
    for path in sorted(seeds_dir.glob("*.txt")):
        figures = parse_budget(path.read_text(encoding="utf-8"))
        keys = [(f.year, f.kind, f.line, f.as_of) for f in figures]
        assert len(keys) == len(set(keys)), path.name


def _one(figures: list[ParsedBudgetFigure], line: str, kind: str, year: int) -> ParsedBudgetFigure:
    found = [f for f in figures if f.line == line and f.kind == kind and f.year == year]
    assert len(found) == 1, (line, kind, year, figures)
    return found[0]


# --- other förbund's styles -------------------------------------------------------------------

FINNVEDEN = (
    "Budget 2025 med plan 2026-2027\n"
    "\n"
    "Belopp i kr\tBudget 2024\tBudget 2025\tPlan 2026\tPlan 2027\n"
    "Intäkter\t\t\t\t\n"
    "Gislaveds kommun\t412 000\t453 200\t453 200\t453 200\n"
    "Gnosjö kommun\t92 500\t101 750\t101 750\t101 750\n"
    "Värnamo kommun\t330 000\t363 000\t363 000\t363 000\n"
    "Region Jönköpings län\t834 500\t917 950\t917 950\t917 950\n"
    "Staten via Försäkringskassan\t1 669 000\t1 835 900\t1 835 900\t1 835 900\n"
    "Ränteintäkter\t2 000\t\t2 000\t2 000\n"
    "Summa intäkter\t3 340 000\t3 671 800\t3 673 800\t3 673 800\n"
    "Kostnader\t\t\t\t\n"
    "Jobbspåret Gislaved\t-900 000\t-950 000\t-950 000\t0\n"
    "Kansli\t-600 000\t-620 000\t-640 000\t-660 000\n"
    "Summa kostnader\t-1 500 000\t-1 570 000\t-1 590 000\t-660 000\n"
)


def test_another_member_list_in_kronor() -> None:
    figures = parse_budget(FINNVEDEN)
    gnosjo = _one(figures, "Gnosjö kommun", "budget", 2025)
    assert (gnosjo.amount, gnosjo.unit, gnosjo.section) == (101_750, "kr", "medlemsbidrag")
    assert _one(figures, "Staten via Försäkringskassan", "plan", 2027).section == "medlemsbidrag"
    assert _one(figures, "Ränteintäkter", "budget", 2024).section == "intäkter"
    # An empty cell keeps the next value in its own column.
    assert [f.year for f in figures if f.line == "Ränteintäkter"] == [2024, 2026, 2027]
    kansli = _one(figures, "Kansli", "plan", 2026)
    assert (kansli.amount, kansli.section) == (-640_000, "kostnader")
    assert _one(figures, "Jobbspåret Gislaved", "budget", 2025).section == "kostnader"
    assert len(figures) == 10 * 4 - 1


def test_belopp_i_kr_wins_over_small_numbers() -> None:
    text = "Belopp i kr\tBudget 2022\tUtfall 2021\nStyrelsearvoden\t45 000\t38 250\nResor\t8 000\t2 130\n"
    figures = parse_budget(text)
    resor = _one(figures, "Resor", "utfall", 2021)
    assert (resor.amount, resor.unit, resor.as_of) == (2_130, "kr", dt.date(2021, 12, 31))


def test_unit_only_in_the_column_header() -> None:
    text = "Verksamheter\tBudget 2025 (tkr)\tPrognos 2024 (tkr)\nArbetsmarknadstorget\t1 250\t1 180\n"
    figures = parse_budget(text)
    torget = _one(figures, "Arbetsmarknadstorget", "budget", 2025)
    assert (torget.amount, torget.unit, torget.section) == (1_250_000, "tkr", "verksamheter")
    assert _one(figures, "Arbetsmarknadstorget", "prognos", 2024).amount == 1_180_000


def test_negative_with_a_space_after_the_minus_sign() -> None:
    text = ("Resultaträkning\nBelopp i tkr\tNot\tBudget 2023\tPrognos 2023\n"
            "Verksamhetens kostnader\t3\t- 1 234\t−987\n"
            "Avskrivningar\t\t-\t-\n")
    figures = parse_budget(text)
    assert _one(figures, "Verksamhetens kostnader", "budget", 2023).amount == -1_234_000
    assert _one(figures, "Verksamhetens kostnader", "prognos", 2023).amount == -987_000
    # The note number 3 is not an amount and "-" is nothing.
    assert len(figures) == 2


def test_a_lost_thousands_space_after_the_first_group_still_reads_the_figure() -> None:
    # OCR of "1 976 000" in a sans font gives "1976 000": the "1" stands close to the "9".
    text = "Belopp i kr\tBudget 2022\tUtfall 2021\nMedlemsbidrag staten\t1976 000\t2 141 000\n"
    figures = parse_budget(text)
    assert _one(figures, "Medlemsbidrag staten", "budget", 2022).amount == 1_976_000
    assert _one(figures, "Medlemsbidrag staten", "utfall", 2021).amount == 2_141_000


def test_a_minus_sign_scanned_as_two_dashes_is_one_minus_sign() -> None:
    text = "Belopp i tkr\tBudget 2020\tUtfall 2019\nInsatser\t—-2 624\t-—2 865\n"
    figures = parse_budget(text)
    assert _one(figures, "Insatser", "budget", 2020).amount == -2_624_000
    assert _one(figures, "Insatser", "utfall", 2019).amount == -2_865_000


def test_partial_year_outcome_columns_carry_their_period_end() -> None:
    text = ("Tertialrapport 2 2022\n"
            "Belopp i tkr\tUtfall jan-aug 2022\tBudget 2022\tHelårsprognos 2022\n"
            "Bidrag Region Västernorrland\t1 200\t1 800\t1 800\n"
            "Personalkostnader\t-700\t-1 100\t-1 050\n")
    figures = parse_budget(text)
    outcome = _one(figures, "Bidrag Region Västernorrland", "utfall", 2022)
    assert (outcome.as_of, outcome.section) == (dt.date(2022, 8, 31), "medlemsbidrag")
    assert _one(figures, "Personalkostnader", "prognos", 2022).as_of == dt.date(2022, 8, 31)
    assert _one(figures, "Personalkostnader", "budget", 2022).as_of is None


def test_markdown_pipe_table() -> None:
    text = ("| Belopp i tkr | Budget 2024 | Prognos 2024 |\n|---|---:|---:|\n"
            "| Försäkringskassan | 4 200 | 4 200 |\n| Summa intäkter | 8 400 | 8 350 |\n")
    figures = parse_budget(text)
    assert _one(figures, "Försäkringskassan", "budget", 2024).amount == 4_200_000
    assert _one(figures, "Summa intäkter", "prognos", 2024).amount == 8_350_000


def test_unit_learnt_from_the_text_around_an_unlabelled_table() -> None:
    text = ("Förbundets budget för verksamhetsåret 2023 uppgår till totalt 9 870 tkr.\n\n"
            "\tBudget 2023\tUtfall t.o.m. T1\tPrognos 2023\n"
            "Samverkansteam\t4 100\t1 200\t3 900\n"
            "Kostnader totalt\t9 870\t2 950\t9 400\n")
    figures = parse_budget(text)
    team = _one(figures, "Samverkansteam", "utfall", 2023)
    assert (team.amount, team.unit, team.as_of) == (1_200_000, "tkr", dt.date(2023, 4, 30))
    assert _one(figures, "Total budget", "budget", 2023).amount == 9_870_000


def test_a_total_copied_from_the_block_above_is_named_after_its_own_block() -> None:
    text = ("\tBudget 2019\tPrognos 2019\n"
            "Kansli och styrelse\n- Kansli\t2 210\t2 250\nSumma kansli och styrelse\t2 210\t2 250\n"
            "Verksamhetsnära kostnader\n- Analys\t700\t350\nSumma kansli och styrelse\t700\t350\n")
    figures = parse_budget(text)
    assert _one(figures, "Summa verksamhetsnära kostnader", "budget", 2019).amount == 700_000
    assert _one(figures, "Summa kansli och styrelse", "budget", 2019).amount == 2_210_000
    assert _one(figures, "Analys", "prognos", 2019).section == "verksamhetsnära kostnader"


def test_repeated_header_after_a_page_break() -> None:
    text = ("\tBudget 2021\tPlan 2022\n"
            "Intäkter\t\t\nHabo kommun\t130 000\t130 000\n\n"
            "Samordningsförbundet\nSödra Vätterbygden\n\n"
            "\tBudget 2021\tPlan 2022\n"
            "Kostnader\t\t\nEnter\t2 878 200\t2 963 700\n")
    figures = parse_budget(text)
    enter = _one(figures, "Enter", "budget", 2021)
    assert (enter.amount, enter.unit, enter.section) == (2_878_200, "kr", "kostnader")
    assert len(figures) == 4


# --- figures in prose --------------------------------------------------------------------------

REPORT = (
    "Delårsrapport per 2022-08-31\n\n"
    "Per 2022-08-31 uppgår resultatet till 1 118 tkr.\n"
    "Det prognostiserade resultatet för helåret 2022 uppgår till -450 tkr. "
    "Personalkostnaderna prognostiseras bli 120 tkr högre än budgeterat.\n"
    "Kostnaden beräknas till 300 - 350 tkr.\n"
    "Det egna kapitalet beräknas uppgå till 3 210 tkr vid årets slut. "
    "Nationella rådets rekommendation om högsta nivå på eget kapital motsvarar 1 900 tkr.\n"
)


def test_prose_figures_by_phrase_family() -> None:
    figures = parse_budget(REPORT)
    outcome = _one(figures, "Årets resultat", "utfall", 2022)
    assert (outcome.amount, outcome.as_of) == (1_118_000, dt.date(2022, 8, 31))
    forecast = _one(figures, "Årets resultat", "prognos", 2022)
    assert (forecast.amount, forecast.as_of) == (-450_000, dt.date(2022, 8, 31))
    equity = _one(figures, "Eget kapital", "prognos", 2022)
    assert (equity.amount, equity.unit, equity.section) == (3_210_000, "tkr", "eget kapital")
    assert _one(figures, "Rekommenderat högsta eget kapital", "budget", 2022).amount == 1_900_000
    # A difference against budget and a range are not figures.
    assert len(figures) == 4


def test_state_allocation_in_a_paragraph() -> None:
    text = ("§ 44 Val av justerare\nStyrelsen utser Anna.\n\n"
            "§ 45 Statlig medelstilldelning 2025\n"
            "Försäkringskassan har fattat beslut om fördelning av statliga medel till samordningsförbunden.\n"
            "För 2025 tilldelas förbundet 2 150 000 kr.\n"
            "Beslut\nAtt lägga informationen till handlingarna.\n\n"
            "§ 46 Ansökan om finansiering\nStyrelsen beviljar 400 000 kronor till insatsen.\n")
    figures = parse_budget(text)
    assert len(figures) == 1
    state = figures[0]
    assert (state.line, state.kind, state.year, state.amount, state.paragraph_number, state.section) == (
        "Statlig medelstilldelning", "budget", 2025, 2_150_000, 45, "medlemsbidrag")


# --- what is not money -------------------------------------------------------------------------

def test_survey_and_goal_tables_are_not_money() -> None:
    text = ("Mål\tHelårsprognos\nMinst 100 medarbetare deltar\tMålet kommer att nås.\n\n"
            "\tAntal\tFördelning\n\tDeltagare (n=10)\tDeltagare (n=10)\nNegativt\t0\t0%\nPositivt\t10\t100%\n"
            "<table><tr><th></th><th>Antal</th></tr><tr><td>Positivt</td><td>4</td></tr></table>\n"
            "Datum för anslags uppsättande\t2020-11-18\tDatum för anslags nedtagande\t2020-12-09\n")
    assert parse_budget(text) == []


@pytest.mark.parametrize("text", [
    "", "   \n\t\n", "Protokoll\n§ 1 Mötets öppnande\nOrdföranden öppnade mötet.\n",
    "\tBudget 2021\n", "\tBudget\tPrognos\nRad\t1\t2\n", "§\n§ 99999999999999\n"])
def test_documents_without_money_give_nothing(text: str) -> None:
    assert parse_budget(text) == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("\t\n -–§%()<>/*|,.0123456789 abtkrBudgetPrognos2021Tertial")),
               max_size=400))
def test_odd_text_never_raises(text: str) -> None:
    for figure in parse_budget(text):
        assert figure.kind in ("budget", "prognos", "utfall", "plan")
        assert figure.unit in ("kr", "tkr", "mkr")


def test_column_headers() -> None:
    col = parse_column("Budget 2021")
    assert col is not None and (col.kind, col.year) == ("budget", 2021)
    col = parse_column("200101 200430")
    assert col is not None and (col.kind, col.year, col.as_of) == ("utfall", 2020, dt.date(2020, 4, 30))
    col = parse_column("Utfall t.o.m. T2")
    assert col is not None and (col.kind, col.period_month) == ("utfall", 8)
    col = parse_column("Budget 2025 (tkr)")
    assert col is not None and (col.year, col.unit) == (2025, "tkr")
    assert parse_column("Fördelning") is None
    col = parse_column("Kommentar")
    assert col is not None and col.kind == "ignored"
