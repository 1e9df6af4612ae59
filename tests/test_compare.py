"""Comparisons and aggregates over two real seeds: every computed figure shows its operands, and
a comparison is never answered with one figure, nor a comparison with something unknown made
into another one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from handlers.assistant import Assistant
from handlers.messages import Message, Reply
from storage.db import open_engine
from storage.ingest.load import ingest_path
from tests.answer_store import says

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
VATTERBYGDEN = SEEDS / "001_372b7140a8d328ab.txt"  # budget 2020/prognos 2020/budget 2021/plan 2022-2023, kr
UMEA = SEEDS / "004_a4db34470421a47c.txt"  # budget/utfall T2/prognos 2019, tkr; kommuner pay in and run efforts
HARNOSAND = SEEDS / "003_6cc3578967e8fc81.txt"  # §§ 120-123: four grants, two applied for by Timrå kommun
# Minutes naming each member body in full; the tertial's lines abbreviate them ("Bidrag Region JH")
# and the kommuner pay in as one line ("Bidrag kommuner").
JAMTLAND = SEEDS / "000_4572de28977e8b68.txt"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    if not VATTERBYGDEN.exists():
        pytest.skip("the shared seeds are not here")
    engine = open_engine(f"sqlite:///{tmp_path_factory.mktemp('compare') / 'store.db'}")
    for path in (VATTERBYGDEN, UMEA, HARNOSAND, JAMTLAND):
        assert ingest_path(engine, path).ok
    yield engine
    engine.dispose()


def ask(engine: Engine, text: str) -> Reply:
    return Assistant(engine).handle(Message(text=text))



@pytest.mark.parametrize("question", ["hur mkt mer än planerat kostade FIA 2020?",
                                      "How much more than budgeted did FIA cost in 2020?"])
def test_a_difference_shows_both_operands_and_the_result(store: Engine, question: str) -> None:
    reply = ask(store, question)
    assert reply.answered and says(reply, "571 000", "611 000", "40 000")
    assert reply.sources and says(reply, "Södra Vätterbygden")


@pytest.mark.parametrize("question", ["Skillnaden mellan budget och utfall för Enter 2020?",
                                      "What is the difference between budget and outcome for Enter in 2020?"])
def test_a_missing_operand_is_said_with_what_exists_never_one_figure_instead(store: Engine, question: str) -> None:
    reply = ask(store, question)
    assert not reply.answered
    assert says(reply, "2 760 800")  # the forecast that does exist, named as such


@pytest.mark.parametrize("question", ["Med hur många procent ökar budgeten för information från 2020 till 2021?",
                                      "By what percentage does the budget for information rise from 2020 to 2021?"])
def test_a_change_between_years_in_kronor_and_per_cent(store: Engine, question: str) -> None:
    reply = ask(store, question)
    assert reply.answered and says(reply, "20 000", "50 000", "30 000")
    assert says(reply, "+150 %")  # exactly whole: no ",0"


def test_a_lines_share_of_its_total(store: Engine) -> None:
    reply = ask(store, "Hur stor andel av kostnaderna 2021 går till Enter?")
    assert reply.answered and says(reply, "32,9 %", "2 878 200", "8 742 900")


@pytest.mark.parametrize("question", ["Jönköpings kommuns bidrag i fjol jämfört med i år?",
                                      "How did Jönköpings kommun's contribution change from last year to this year?"])
def test_two_years_named_relative_to_today_are_both_compared(store: Engine, question: str) -> None:
    import datetime as dt

    reply = Assistant(store).handle(Message(text=question, as_of=dt.date(2021, 5, 5), organisation_hint="Vätterbygden"))
    assert reply.answered and says(reply, "1 345 100", "1 480 000", "134 900")


def test_a_share_is_never_of_a_total_that_is_the_line_itself(store: Engine) -> None:
    # Kansli och styrelse is the only line of its section (Summa kansli och styrelse, the same
    # 2 210 tkr); the costs asked about are "Kostnader totalt".
    reply = ask(store, "Hur stor del av Umeåregionens kostnader 2019 går till kansli och styrelse?")
    assert reply.answered and says(reply, "15,9 %", "2 210 000", "13 890 000")
    assert "100 %" not in reply.full_text()


def test_each_member_with_its_own_figure_and_their_sum(store: Engine) -> None:
    reply = ask(store, "Vad betalar varje kommun till Södra Vätterbygden 2021?")
    assert reply.answered and says(reply, "130 000", "1 480 000", "78 000", "149 000", "1 837 000")


def test_two_lines_the_verb_picks_the_members_contribution(store: Engine) -> None:
    # "Vännäs" is both the kommun's contribution (146 tkr) and its local effort (700 tkr).
    reply = ask(store, "Hur mycket mer betalar Umeå kommun jämfört med Vännäs 2019?")
    assert reply.answered and says(reply, "2 358 000", "146 000", "2 212 000")


def test_a_comparison_with_something_unknown_is_not_made_into_another(store: Engine) -> None:
    reply = ask(store, "Hur mycket mer betalar Försäkringskassan än Skatteverket till Umeåregionen 2019?")
    assert not reply.answered and says(reply, "Skatteverket")


@pytest.mark.parametrize("question", [
    "How much bigger is Försäkringskassan's contribution than Region Jämtland Härjedalen's in Jämtland 2021?",
    "Hur mycket mer betalar Försäkringskassan än Region Jämtland Härjedalen i Jämtland 2021?"])
def test_a_member_body_named_in_full_is_its_abbreviated_contribution_line(store: Engine, question: str) -> None:
    reply = ask(store, question)
    assert reply.answered and says(reply, "4 251 000", "2 125 000", "2 126 000")


def test_a_member_without_a_line_of_its_own_is_not_replaced_by_the_groups_line(store: Engine) -> None:
    reply = ask(store, "Hur mycket mer betalar Region Jämtland Härjedalen än Östersunds kommun 2021?")
    assert not reply.answered and "2 126 000" not in reply.full_text()


def test_a_line_for_a_group_of_members_is_not_counted_as_a_member(store: Engine) -> None:
    reply = ask(store, "How many municipalities are members of the Jämtland association?")
    assert says(reply, "8 municipalities", "Östersunds kommun") and "Bidrag kommuner" not in reply.full_text()
    # The förbund's own name ("Umeåregionen") asks for no kind of member.
    reply = ask(store, "Hur många medlemmar har Umeåregionen?")
    assert says(reply, "9 medlemmar", "Västerbottens läns landsting", "Umeå kommun")


def test_the_sum_of_one_applicants_grants_leaves_the_others_out(store: Engine) -> None:
    reply = ask(store, "Hur mycket beviljades Timrå kommuns ansökningar sammanlagt på mötet i november 2023?")
    assert reply.answered and says(reply, "500 000", "Stärkt samverkan", "Helhetslyftet")
    assert "1 250 000" not in reply.full_text() and "1 950 000" not in reply.full_text()


def test_the_sum_of_two_named_grants_shows_both(store: Engine) -> None:
    reply = ask(store, "Hur mycket fick Arbetsmarknadstorget Härnösand och Helhetslyftet sammanlagt?")
    assert reply.answered and says(reply, "1 350 000", "1 250 000", "100 000")


def test_the_line_that_changed_most_between_two_years(store: Engine) -> None:
    reply = ask(store, "Vilken post minskar mest från budget 2020 till budget 2021 i Södra Vätterbygden?")
    # Efterstöd: 601 000 kr in 2020, 0 kr in 2021; Kansli falls by only 110 000 kr.
    assert reply.answered and says(reply, "Efterstöd", "601 000")


def test_a_line_against_a_group_it_is_compared_with(store: Engine) -> None:
    reply = ask(store, "Hur mycket mer betalar Försäkringskassan än kommunerna tillsammans till Södra Vätterbygden 2021?")
    # 3 674 000 against Habo 130 000 + Jönköping 1 480 000 + Mullsjö 78 000 + Vaggeryd 149 000 = 1 837 000.
    assert reply.answered and says(reply, "3 674 000", "1 837 000", "130 000", "149 000")


def test_an_average_over_a_group_shows_the_sum_and_the_count(store: Engine) -> None:
    reply = ask(store, "Vad betalar kommunerna i snitt till Södra Vätterbygden 2021?")
    assert reply.answered and says(reply, "459 250", "1 837 000")


def test_a_comparison_without_a_year_takes_the_latest_year_with_both_figures_and_says_it(store: Engine) -> None:
    reply = ask(store, "Vad är avvikelsen mot budget för Vuxentorget?")
    assert reply.answered and says(reply, "2019", "2 440 000", "1 969 000", "471 000")


def test_the_share_of_a_budget_used_to_a_tertial(store: Engine) -> None:
    reply = ask(store, "What share of the 2019 budget had Umeåregionen spent by the end of August?")
    assert reply.answered and says(reply, "8 962 000", "13 890 000", "64.5 %")


def test_a_plan_standing_for_a_budget_is_said(store: Engine) -> None:
    reply = ask(store, "What's the percentage change in Enter's budget from 2021 to 2022?")
    assert reply.answered and says(reply, "2 878 200", "2 963 700", "85 500", "+3.0 %", "plan 2022")


@pytest.mark.parametrize("question", ["Hur mycket ökar intäkterna 2021 i Södra Vätterbygden?",
                                      "How much did Södra Vätterbygden's total income change in 2021 compared to the year before?"])
def test_a_change_in_one_year_is_against_the_year_before(store: Engine, question: str) -> None:
    reply = ask(store, question)
    assert reply.answered and says(reply, "6 680 000", "7 348 000", "668 000")


def test_which_member_of_a_kind_rose_the_most(store: Engine) -> None:
    reply = ask(store, "Vilken kommun ökar sitt bidrag mest från 2020 till 2021?")
    assert reply.answered and says(reply, "Jönköpings kommun", "134 900")


def test_a_line_in_several_forbund_asks_which(store: Engine) -> None:
    reply = ask(store, "How much did total income change in 2021 compared to the year before?")
    assert not reply.answered and reply.actions


def test_a_sum_of_a_line_and_something_unnamed_is_never_the_line_alone(store: Engine) -> None:
    reply = ask(store, "sammanlagt kansli och styrelse och hyran 2019 umeåregionen")
    assert not reply.answered and says(reply, "hyran")


def test_the_largest_cost_among_every_cost_section(store: Engine) -> None:
    reply = ask(store, "störst kostnad i umeåregionens budget 2019")
    assert reply.answered and says(reply, "Ungdomstorget", "2 990 000")


def test_the_line_with_the_largest_gap_between_budget_and_forecast(store: Engine) -> None:
    reply = ask(store, "Vilken post har störst avvikelse mellan budget och prognos 2020 i Södra Vätterbygden?")
    assert reply.answered and says(reply, "Efterstöd", "396 300", "601 000", "204 700")


def test_an_amount_asked_of_a_group_in_the_plural_is_their_sum_but_one_member_is_one_figure(store: Engine) -> None:
    reply = ask(store, "Hur mycket har kommunerna i Umeåregionen betalat hittills 2019?")
    assert reply.answered and says(reply, "1 909 000", "t.o.m. 2019-08-31", "1 572 000")
    one = ask(store, "Hur mycket betalar Habo kommun 2021?")
    assert one.answered and says(one, "130 000") and "1 837 000" not in one.full_text()


def test_an_aggregate_naming_no_year_takes_the_latest_decided_year_and_says_it(store: Engine) -> None:
    # Budget 2021 is the latest budget; 2022-2023 are only plans.
    reply = ask(store, "Vilken kommun betalar minst till Södra Vätterbygden?")
    assert reply.answered and says(reply, "Mullsjö kommun", "78 000", "budget 2021")


def test_what_members_receive_is_not_the_sum_of_what_they_pay(store: Engine) -> None:
    received = ask(store, "Hur mycket fick kommunerna totalt i Södra Vätterbygden 2021?")
    assert not received.answered and "1 837 000" not in received.full_text()
    paid = ask(store, "Hur mycket får förbundet från kommunerna totalt i Södra Vätterbygden 2021?")
    assert paid.answered and says(paid, "1 837 000")


@pytest.mark.parametrize("question", ["Hur mycket ökade Enter?", "How much did the Enter budget decrease?"])
def test_a_change_asked_without_a_year_is_the_latest_year_against_the_one_before(store: Engine, question: str) -> None:
    reply = ask(store, question)
    assert reply.answered and says(reply, "2 914 000", "2 878 200", "35 800")


@pytest.mark.parametrize(("question", "bigger"), [("Which is bigger, FIA or IT-spåret in 2021?", "FIA"),
                                                  ("Vilken är störst av Vuxentorget och Vännäs 2019?", "Vuxentorget")])
def test_the_larger_of_two_named_lines_is_one_of_them(store: Engine, question: str, bigger: str) -> None:
    reply = ask(store, question)
    assert reply.answered and reply.full_text().startswith(bigger)


@pytest.fixture(scope="module")
def two_granting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """Two förbund that both granted money: Jämtland (2021) and Härnösand–Timrå (2023)."""
    engine = open_engine(f"sqlite:///{tmp_path_factory.mktemp('granting') / 'store.db'}")
    for path in (SEEDS / "000_4572de28977e8b68.txt", HARNOSAND):
        assert ingest_path(engine, path).ok
    yield engine
    engine.dispose()


@pytest.mark.parametrize("question", ["Hur mycket har förbundet beviljat totalt?", "Vilken insats fick mest pengar?"])
def test_grants_of_several_forbund_are_never_taken_together(two_granting: Engine, question: str) -> None:
    reply = ask(two_granting, question)
    assert not reply.answered and len(reply.actions) == 2  # which förbund: buttons, no sum across them
    assert "3 726 000" not in reply.full_text()


@pytest.mark.parametrize(("question", "costs", "income"), [
    ("Vad är den totala budgeten för Södra Vätterbygden 2021?", "8 742 900", "7 348 000"),
    ("What is Umeåregionen's total budget for 2019?", "13 890 000", "11 540 000")])
def test_the_total_budget_is_the_tables_totals_of_costs_and_income(store: Engine, question: str, costs: str,
                                                                     income: str) -> None:
    reply = ask(store, question)
    assert reply.answered and says(reply, costs, income)


def test_which_fell_most_when_none_fell_says_so(store: Engine) -> None:
    reply = ask(store, "Vilken kommun minskar mest från 2020 till 2021?")
    assert reply.answered and says(reply, "Ingen post minskar") and "minskar mest" not in reply.full_text()


def test_a_groups_share_of_the_total_shows_its_parts(store: Engine) -> None:
    reply = ask(store, "Hur stor andel av intäkterna betalar kommunerna 2021 i Södra Vätterbygden?")
    # (130 000 + 1 480 000 + 78 000 + 149 000) / 7 348 000 = exactly 25 %
    assert reply.answered and says(reply, "25 %", "1 837 000", "7 348 000", "Mullsjö kommun 78 000")


def test_compositions_on_each_database(engine: Engine) -> None:
    """The same figures on SQLite and PostgreSQL: a difference, a group's sum and a share."""
    if not VATTERBYGDEN.exists():
        pytest.skip("the shared seeds are not here")
    assert ingest_path(engine, VATTERBYGDEN).ok
    assert says(ask(engine, "Skillnaden mellan budget och prognos för Enter 2020?"), "153 200")
    assert says(ask(engine, "Hur mycket betalar kommunerna tillsammans 2021?"), "1 837 000")
    assert says(ask(engine, "Hur stor andel av kostnaderna 2021 går till Enter?"), "32,9 %")


def test_a_share_of_a_subtotal_named_in_its_own_words(store: Engine) -> None:
    # "administration" is the subtotal Delsumma administration (882 000), not the line Kansli its
    # English gloss would reach; 882 000 / 8 742 900 = 10,1 %.
    reply = ask(store, "Hur stor del av budgeten 2021 går till administration i Södra Vätterbygden?")
    assert reply.answered and says(reply, "10,1 %", "882 000") and "Kansli är" not in reply.full_text()


def test_a_tertial_without_its_year_is_of_the_year_the_question_names(store: Engine) -> None:
    # "enl T2" beside "2019": the forecast made at 2019-08-31, not a tertial of the asking year.
    reply = ask(store, "Vuxentorget 2019, hur mycket lägre är prognosen än budgeten enl T2?")
    assert reply.answered and says(reply, "2 440 000", "1 969 000", "471 000", "2019-08-31")


def test_how_many_paragraphs_counts_the_protocols_range(store: Engine) -> None:
    reply = ask(store, "Hur många paragrafer har protokollet från 24 november 2023?")
    assert reply.answered and says(reply, "31 paragrafer", "108-138")


def test_second_largest_is_the_next_one_down(store: Engine) -> None:
    reply = ask(store, "Vilken kostnadspost är näst störst i Södra Vätterbygdens budget 2021?")
    assert reply.answered and says(reply, "Tillgängligt nya projekt", "1 500 000")
    assert not says(reply, "Enter har")


def test_a_subtotals_share_of_the_total_it_is_written_of(store: Engine) -> None:
    reply = ask(store, "Hur stor andel av summa kostnader i Södra Vätterbygdens budget 2021 är administration?")
    assert reply.answered and says(reply, "882 000", "8 742 900", "10,1 %")


def test_what_a_year_came_to_is_not_an_outcome_to_a_tertial(store: Engine) -> None:
    reply = ask(store, "Vad blev det faktiska utfallet för Umeåregionens kostnader 2019?")
    assert not reply.answered and says(reply, "8 962 000", "2019-08-31")


def test_why_a_figure_differs_is_not_answered_with_the_difference(store: Engine) -> None:
    reply = ask(store, "Vad beror det på att Vuxentorgets prognos 2019 är lägre än budgeten?")
    assert "Skillnad" not in reply.full_text()


def test_the_members_together_against_one_member(store: Engine) -> None:
    reply = ask(store, "Betalar kommunerna i Södra Vätterbygden tillsammans mer eller mindre än regionen 2021?")
    # 130 000 + 1 480 000 + 78 000 + 149 000 = 1 837 000, the same as Region Jönköpings län
    assert reply.answered and says(reply, "Region Jönköpings län", "1 837 000", "Habo kommun 130 000")


@pytest.mark.parametrize("question", ["Vilken av Umeåregionens kranskommuner har störst budget 2019?",
                                      "Which of Umeåregionen's surrounding municipalities has the largest budget in 2019?"])
def test_the_surrounding_municipalities_are_the_members_but_the_one_the_forbund_is_named_after(
        store: Engine, question: str) -> None:
    reply = ask(store, question)
    assert reply.answered and says(reply, "Vännäs", "700 000", "Bjurholm 460 000") and not says(reply, "Umeå kommun")


def test_a_smallest_shared_by_several_names_them_all(store: Engine) -> None:
    reply = ask(store, "Vilken av Umeåregionens kranskommuner har minst budget 2019?")
    assert reply.answered and says(reply, "Nordmaling, Vindeln och Robertsfors", "400 000")


def test_three_members_added_up(store: Engine) -> None:
    reply = ask(store, "How much do Habo, Mullsjö and Vaggeryd pay together in 2021?")
    assert reply.answered and says(reply, "357 000", "149 000", "78 000", "130 000")


@pytest.mark.parametrize("question", ["Hur mycket mer beviljades för 2024 än den statliga medelstilldelningen i Härnösand?",
                                      "Are Härnösand's grants made for 2024 larger than the state allocation?"])
def test_the_grants_made_added_up_against_a_budget_line(store: Engine, question: str) -> None:
    reply = ask(store, question)
    # §§ 120-123: 400 000 + 100 000 + 1 250 000 + 200 000 = 1 950 000; § 129: 1 873 000
    assert reply.answered and says(reply, "1 950 000", "1 873 000", "77 000", "Helhetslyftet 100 000")


def test_how_many_final_reports_counts_reports_not_meetings(store: Engine) -> None:
    reply = ask(store, "Hur många slutrapporter behandlades på Härnösands möte i november 2023?")
    assert reply.answered and says(reply, "5 (fem)", "slutrapport", "Samordningskoordinator")


def test_a_budget_asked_of_a_planned_year_is_the_plan_said_as_such(store: Engine) -> None:
    reply = ask(store, "budg kansli 2022 södra vätterbygden?")
    assert reply.answered and says(reply, "770 000", "Plan 2022", "Ingen budget 2022")


def test_an_allocation_decided_is_what_it_came_to(store: Engine) -> None:
    reply = ask(store, "statliga pengarna till Härnösand for 2024, hur mkt blev det")
    assert reply.answered and says(reply, "1 873 000")


def test_a_tables_own_total_to_a_tertial_is_its_outcome_then(store: Engine) -> None:
    reply = ask(store, "What were Umeåregionen's total costs (utfall) through T2 2019?")
    assert reply.answered and says(reply, "8 962 000", "2019-08-31") and not says(reply, "13 890 000")


def test_budget_against_outcome_of_a_places_effort_not_its_contribution(store: Engine) -> None:
    reply = ask(store, "Vännäs kommun: budget för vår verksamhet 2019 mot utfall t.o.m. T2?")
    assert reply.answered and says(reply, "700 000", "467 000", "233 000") and not says(reply, "146 000")


def test_budget_against_an_outcome_that_does_not_exist(store: Engine) -> None:
    reply = ask(store, "Enter 2021 i Södra Vätterbygden: budget mot faktiskt utfall?")
    assert not reply.answered and says(reply, "2 878 200")


def test_the_line_asked_about_named_before_than_by_a_word_of_its_own(store: Engine) -> None:
    reply = ask(store, "Hur mycket mer betalar landstinget än Umeå kommun i budget 2019?")
    assert reply.answered and says(reply, "2 863 000", "2 358 000", "505 000")


def test_one_grant_against_a_year_it_has_no_amount_for(store: Engine) -> None:
    reply = ask(store, "Fick Helhetslyftet mer eller mindre 2024 än året innan?")
    assert not reply.answered and says(reply, "2023", "100 000")


def test_of_two_grants_the_bigger_and_by_how_much(store: Engine) -> None:
    reply = ask(store, "Which was bigger, Helhetslyftet or Arbetsförmedlare i samverkan, and by how much?")
    assert reply.answered and says(reply, "200 000", "100 000")


def test_a_tertial_with_no_year_is_the_latest_report_at_that_point(store: Engine) -> None:
    reply = ask(store, "Hur stort bedöms Umeåregionens egna kapital bli vid årsskiftet, enligt uppföljningen per T2?")
    assert reply.answered and says(reply, "2 050 000", "2019-08-31")


def test_the_outcome_to_a_day_and_the_forecast_asked_together(store: Engine) -> None:
    reply = ask(store, "What was Umeåregionen's Vuxentorget at 31 August 2019, and the forecast for the full year?")
    assert reply.answered and says(reply, "1 360 000", "1 969 000")


def test_a_total_since_the_start_is_not_one_years_figure(store: Engine) -> None:
    reply = ask(store, "hur mkt har enter kostat totalt sen starten?")
    assert not reply.answered and says(reply, "2 914 000", "3 006 000")


def test_an_adverb_of_asking_is_no_kind_of_figure(store: Engine) -> None:
    reply = ask(store, "When were the Umeåregionen minutes from 20 June 2019 actually justerade?")
    assert "landsting" not in reply.full_text()


def test_one_grant_against_the_others_of_its_decision_together(store: Engine) -> None:
    reply = ask(store, "Hur mycket mer fick Arbetsmarknadstorget än de tre andra ansökningarna tillsammans 2023-11-24?")
    # 1 250 000 against 400 000 + 100 000 + 200 000
    assert reply.answered and says(reply, "1 250 000", "700 000", "550 000", "Helhetslyftet 100 000")


def test_a_group_added_up_in_two_years(store: Engine) -> None:
    reply = ask(store, "Hur mycket ökar Södra Vätterbygdens medlemsbidrag sammanlagt 2021 jämfört med budget 2020?")
    assert reply.answered and says(reply, "6 680 000", "7 348 000", "668 000")


def test_several_lines_together_as_a_share(store: Engine) -> None:
    reply = ask(store, "Hur mycket av Södra Vätterbygdens budget 2021 går till Enter och SAMverkan tillsammans, i procent?")
    assert reply.answered and says(reply, "3 658 600", "8 742 900", "41,8 %")


def test_the_total_budget_year_against_year(store: Engine) -> None:
    reply = ask(store, "Hur mycket mer är Södra Vätterbygdens totala budget 2021 än 2020?")
    assert reply.answered and says(reply, "7 328 800", "8 742 900", "1 414 100")


@pytest.mark.parametrize("question", ["Vilka verksamheter i Umeåregionen beräknas hamna under sin budget 2019 enligt prognosen?",
                                      "Which of Umeåregionen's budget lines are below budget in the 2019 forecast?"])
def test_which_lines_are_below_budget_lists_them(store: Engine, question: str) -> None:
    reply = ask(store, question)
    assert reply.answered and says(reply, "Ungdomstorget", "Vuxentorget", "NAFS", "förebyggande")
    assert not says(reply, "Total budget")


def test_a_grants_share_of_its_decision(store: Engine) -> None:
    reply = ask(store, "Hur stor andel av det som beviljades i Härnösand den 24 november 2023 gick till Arbetsmarknadstorget?")
    assert reply.answered and says(reply, "1 250 000", "1 950 000", "64,1 %")


@pytest.mark.parametrize("question", ["What was the outcome for Vuxentorget in tertial 3 2019?",
                                      "What was Umeåregionen's actual full-year outcome for 2019 for total costs?"])
def test_the_third_tertial_or_the_full_year_is_not_an_outcome_to_august(store: Engine, question: str) -> None:
    reply = ask(store, question)
    assert not reply.answered and says(reply, "2019-08-31")


def test_an_outcome_asked_by_name_is_not_answered_with_the_budget(store: Engine) -> None:
    reply = ask(store, "enter utfall 2021, blev det som budg?")
    assert not reply.answered and says(reply, "2 878 200")


def test_the_difference_between_two_sides_is_one_question_not_two(store: Engine) -> None:
    reply = ask(store, "Vad är skillnaden mellan vad Umeå kommun betalar och vad Vännäs kommun betalar 2019?")
    assert reply.answered and says(reply, "2 358 000", "146 000", "2 212 000")


def test_second_largest_of_a_group(store: Engine) -> None:
    reply = ask(store, "Vilken kommun betalar näst mest till Södra Vätterbygden 2021?")
    assert reply.answered and says(reply, "Vaggeryds kommun har näst störst", "149 000")


def test_a_group_and_a_line_joined_to_it_as_one_share(store: Engine) -> None:
    reply = ask(store, "hur stor del av södra vätterbygdens intakter 2020 kom fran kommunerna o regionen")
    assert reply.answered and says(reply, "50 %", "3 340 000", "Region Jönköpings län 1 670 000")


def test_two_applicants_each_with_their_own_total(store: Engine) -> None:
    reply = ask(store, "Hur mycket beviljades totalt till Timrå kommuns ansökningar jämfört med Härnösands?")
    assert reply.answered and says(reply, "Timrå kommun: 500 000 kr", "Härnösands kommun: 1 250 000 kr", "750 000")


def test_a_line_holding_the_words_stem_over_one_sharing_its_beginning(store: Engine) -> None:
    # "verksamheterna" is Summa verksamheter (10 980 tkr), not Summa verksamhetsnära kostnader (700 tkr).
    reply = ask(store, "Vad kostar verksamheterna i Umeåregionen totalt 2019?")
    assert reply.answered and says(reply, "10 980 000") and not says(reply, "700 000")


@pytest.mark.parametrize("question", [
    "Av ansökningarna som beviljades den 24 november 2023, vilken fick störst belopp och vilken minst, och hur stor "
    "är skillnaden mellan dem?",
    "Which application got the most on 24 November 2023, which got the least, and what is the difference between "
    "them?"])
def test_three_parts_are_each_answered_and_them_is_the_two_named_before(store: Engine, question: str) -> None:
    reply = ask(store, question)
    assert reply.answered and says(reply, "Arbetsmarknadstorget", "Helhetslyftet", "1 150 000")


def test_the_largest_grant_with_its_share_of_all_granted(store: Engine) -> None:
    reply = ask(store, "Vilken av ansökningarna som beviljades 2023-11-24 var störst, och hur stor andel av det "
                       "totala beviljade var den?")
    # 1 250 000 / 1 950 000 = 64,1 %
    assert reply.answered and says(reply, "Arbetsmarknadstorget", "1 250 000", "64,1 %")


def test_a_part_asking_an_operation_the_whole_did_not_compute_is_not_covered(store: Engine) -> None:
    # "hur mycket mer än budgeten" of a grant has no operand: the largest alone does not answer it.
    reply = ask(store, "Vilken ansökan fick störst belopp 2023-11-24, och hur mycket skiljer den från prognosen?")
    assert not reply.answered


def test_together_at_most_is_a_sum_not_a_difference(store: Engine) -> None:
    reply = ask(store, "Hur mycket får Jobbcenter 2.0 och Yrkesinriktad svenska tillsammans som mest?")
    assert reply.answered and says(reply, "1 776 000") and "mer än" not in reply.full_text()


def test_whose_applications_filters_the_grants_of_a_meeting(store: Engine) -> None:
    reply = ask(store, "Hur mycket beviljades totalt till Timrå kommuns ansökningar i november 2023?")
    assert reply.answered and says(reply, "500 000") and "1 950 000" not in reply.full_text()
    reply = ask(store, "Hur mycket beviljades totalt till Bjurholms kommuns ansökningar i november 2023?")
    assert not reply.answered and "1 950 000" not in reply.full_text()


def test_which_member_has_the_largest_share_is_not_answered_by_the_groups_share(store: Engine) -> None:
    reply = ask(store, "Among the kommuner in Umeåregionen, who pays the biggest share and what's the smallest one?")
    # Each member's share as the table states it beside the name ("82,36% av arb-bef."), both ends.
    assert reply.answered and says(reply, "Umeå kommun has the largest share: 82,36 %",
                                   "Bjurholms kommun has the smallest share: 1,37 %")


@pytest.mark.parametrize(("question", "total", "left_out"), [
    ("Hur mycket beviljades totalt i Härnösand den 24 november 2023 exkl Arbetsmarknadstorget?", "700 000",
     "Arbetsmarknadstorget Härnösand"),
    ("How much did Härnösand grant in total on 24 November 2023, excluding Helhetslyftet?", "1 850 000",
     "Helhetslyftet")])
def test_a_grant_left_out_of_a_sum_is_left_out_and_said(store: Engine, question: str, total: str,
                                                         left_out: str) -> None:
    reply = ask(store, question)
    assert reply.answered and says(reply, total, left_out) and "1 950 000" not in reply.full_text()


def test_a_member_left_out_of_a_group_is_left_out_and_said(store: Engine) -> None:
    reply = ask(store, "Hur mycket betalar kommunerna utom Umeå kommun tillsammans 2019 i Umeåregionen?")
    # 146 + 120 + 89 + 110 + 39 tkr: every kommun but Umeå (2 358 tkr)
    assert reply.answered and says(reply, "504 000", "Utom Umeå kommun") and "2 358 000" not in reply.full_text()


def test_leaving_out_what_the_set_does_not_hold_answers_nothing(store: Engine) -> None:
    reply = ask(store, "Hur mycket beviljades totalt i Härnösand den 24 november 2023 utom Vuxentorget?")
    assert not reply.answered and "1 950 000" not in reply.full_text()


def test_the_largest_line_under_a_total_with_its_share_of_that_total(store: Engine) -> None:
    reply = ask(store, "Vilken insats är störst i Södra Vätterbygdens budget 2021 och hur stor andel av kostnaderna "
                       "är den?")
    # Enter 2 878 200 of Summa kostnader 8 742 900 = 32,9 %
    assert reply.answered and says(reply, "Enter", "2 878 200", "32,9 %", "8 742 900")


def test_leaving_out_a_member_the_group_already_lacks(store: Engine) -> None:
    reply = ask(store, "Hur mycket betalar kranskommunerna i Umeåregionen in tillsammans 2019, alltså allt utom Umeå "
                       "kommun?")
    assert reply.answered and says(reply, "504 000") and "2 358 000" not in reply.full_text()


def test_a_part_pointing_back_is_not_answered_by_a_quotation_of_something_else(store: Engine) -> None:
    reply = ask(store, "Which cost line is the smallest in Södra Vätterbygden's 2021 budget, and what share of total "
                       "costs is it?")
    assert not reply.answered and "Andelen administration" not in reply.full_text()


@pytest.mark.parametrize(("question", "result"), [
    ("Hur stort är underskottet i Jämtlandsförbundets verksamhet i budget 2021, intäkter mot kostnader?", "−636 000"),
    ("How big is the deficit in Södra Vätterbygden's 2021 budget, costs against income?", "−1 394 900")])
def test_a_deficit_of_income_against_costs_is_the_one_less_the_other(store: Engine, question: str,
                                                                      result: str) -> None:
    # Jämtland writes its costs negative (−9 138 tkr), Södra Vätterbygden positive: the result is the same subtraction.
    reply = ask(store, question)
    assert reply.answered and says(reply, result)


def test_by_how_much_after_a_choice_is_the_gap_between_the_two_named(store: Engine) -> None:
    reply = ask(store, "Which got the bigger budget in Umeåregionen 2019, Ungdomstorget or Vuxentorget, and by how "
                       "much?")
    # Ungdomstorget 2 990 tkr against Vuxentorget 2 440 tkr; never Ungdomstorget's budget against its own forecast
    assert reply.answered and says(reply, "Ungdomstorget", "550 000") and "2 836 000" not in reply.full_text()


def test_three_kinds_of_figure_each_against_the_budget(store: Engine) -> None:
    reply = ask(store, "Vuxentorget 2019: budget kontra utfall t.o.m. T2 och prognos?")
    assert reply.answered and says(reply, "2 440 000", "1 360 000", "1 969 000")


def test_a_kind_of_figure_in_a_compound_is_the_other_side(store: Engine) -> None:
    reply = ask(store, "Vuxentorget 2019 – budget jämfört med helårsprognosen?")
    assert reply.answered and says(reply, "2 440 000", "1 969 000", "471 000")


@pytest.fixture(scope="module")
def jamtland_tertials(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """Jämtland's tertial report of 2020-08-31, with the outcome to the same day of 2019 beside it."""
    engine = open_engine(f"sqlite:///{tmp_path_factory.mktemp('tertials') / 'store.db'}")
    assert ingest_path(engine, SEEDS / "002_ce611c3bf67a1f64.txt").ok
    yield engine
    engine.dispose()


def test_the_same_period_of_another_year_is_to_the_same_day(jamtland_tertials: Engine) -> None:
    reply = ask(jamtland_tertials, "Resultatet per T2 2020 jämfört med samma period 2019?")
    assert reply.answered and says(reply, "1 961 000", "2 365 000", "2019-08-31")


@pytest.mark.parametrize(("question", "other", "gap"), [
    ("Vilken insats fick mest pengar i Härnösand i november 2023, och hur mycket mer än tvåan?", "400 000", "850 000"),
    ("Which grant got the least in Härnösand on 24 November 2023, and how much less than the next smallest?",
     "200 000", "100 000")])
def test_the_gap_to_the_runner_up_is_to_the_next_one(store: Engine, question: str, other: str, gap: str) -> None:
    reply = ask(store, question)
    assert reply.answered and says(reply, other, gap)


def test_a_reading_with_nothing_to_say_leaves_the_question_to_a_strong_rival(store: Engine) -> None:
    # Read first as budget lines ("grants"), which hold nothing to choose between; then as the two grants.
    reply = ask(store, "Which of the two Jämtland grants from June 2021 was larger, and by how much?")
    assert reply.answered and says(reply, "Jobbcenter 2.0", "204 000")


def test_a_choice_is_between_the_alternatives_not_a_line_named_by_the_place(store: Engine) -> None:
    reply = ask(store, "Which got the bigger budget in Umeå 2019, Ungdomstorget or Vuxentorget, and by how much?")
    # "Umeå" also names the line Umeå kommun (2 358 tkr): not one of the two set against each other
    assert reply.answered and says(reply, "Ungdomstorget", "550 000") and "2 358 000" not in reply.full_text()


@pytest.mark.parametrize(("question", "name", "amount", "not_said"), [
    ("Vilken insats fick näst mest pengar på Härnösand-Timrås möte 2023-11-24?", "Stärkt samverkan", "400 000",
     "fick störst"),
    ("Which grant got the second smallest amount in Härnösand-Timrå on 24 November 2023?", "Arbetsförmedlare i samverkan",
     "200 000", "was granted the smallest")])
def test_a_place_asked_among_grants_is_that_place_not_the_first(store: Engine, question: str, name: str, amount: str,
                                                                not_said: str) -> None:
    reply = ask(store, question)
    assert reply.answered and name in reply.text and says(reply, amount) and not_said not in reply.text


def test_two_subtotals_set_against_each_other_are_both_operands(store: Engine) -> None:
    # "verksamhet" and "administration" each name a subtotal; answering the administration's budget
    # against its forecast instead was an answer about something else.
    reply = ask(store, "Hur mycket läggs på verksamhet jämfört med administration i Södra Vätterbygdens budget 2020?")
    assert reply.answered and says(reply, "6 370 800") and says(reply, "958 000") and "prognos" not in reply.text


@pytest.mark.parametrize(("question", "pick", "gap"), [
    ("Vilken låg mest under budget i Södra Vätterbygdens prognos 2020, Efterstöd eller Projekt SE-N?", "Efterstöd",
     "396 300"),
    ("Vilken av FIA och Enter gick över budget enligt Södra Vätterbygdens prognos 2020?", "FIA", "40 000")])
def test_which_of_two_lines_is_off_its_own_budget(store: Engine, question: str, pick: str, gap: str) -> None:
    reply = ask(store, question)
    assert reply.answered and reply.text.startswith(pick) and says(reply, gap)


def test_a_breakdown_gives_each_part_named_and_refuses_a_part_without_a_line(store: Engine) -> None:
    reply = ask(store, "Hur fördelar sig Södra Vätterbygdens medlemsbidrag 2021 mellan Försäkringskassan, regionen och "
                       "kommunerna?")
    assert reply.answered and all(says(reply, a) for a in ("3 674 000", "1 837 000", "1 480 000"))
    reply = ask(store, "How is Södra Vätterbygden's funding split between state, region and kommuner?")
    assert not reply.answered and "state" in reply.text


def test_a_line_year_by_year_over_a_run_of_years(store: Engine) -> None:
    reply = ask(store, "Hur utvecklas Enter i Södra Vätterbygden från 2021 till 2023?")
    assert reply.answered and all(says(reply, a) for a in ("2 878 200", "2 963 700", "3 006 000", "127 800"))
    reply = ask(store, "Vilket år 2020–2023 är kansliet i Södra Vätterbygden dyrast?")
    assert reply.answered and "2020" in reply.text and says(reply, "860 000")


def test_income_against_costs_written_negative_is_set_by_size(store: Engine) -> None:
    # Jämtland writes its costs negative: −9 138 tkr against 8 502 tkr is 636 tkr apart, not 17 640.
    reply = ask(store, "Hur mycket överstiger kostnaderna intäkterna i Jämtlandsförbundets budget för 2021?")
    assert reply.answered and says(reply, "636 000") and "17 640" not in reply.text


def test_a_line_written_as_one_compound(store: Engine) -> None:
    reply = ask(store, "Hur mycket lägre prognostiseras Jämtlands verksamhetskostnader 2021 jämfört med budget?")
    assert reply.answered and says(reply, "1 109 000")


@pytest.mark.parametrize(("question", "difference"), [
    ("Kansliet i Södra Vätterbygden - is it budgeted lower in 2021 than in 2020? by how much?", "110 000"),
    ("Är Jönköpings kommuns bidrag till Södra Vätterbygden högre 2021 än 2020, och med hur mycket?", "134 900"),
])
def test_a_comparative_with_the_years_before_its_than_asks_the_difference(store: Engine, question: str,
                                                                           difference: str) -> None:
    reply = ask(store, question)
    assert reply.answered and difference in reply.text.replace("\xa0", " ")


@pytest.mark.parametrize("question", [
    "Hur mycket kunde de två insatser som behandlades i Jämtland den 11 juni 2021 som mest få tillsammans?",
    "Hur mycket kan Jobbcenter 2.0 och Yrkesinriktad svenska få som max sammanlagt?",
])
def test_at_most_beside_a_sum_bounds_each_grant_and_asks_their_total(store: Engine, question: str) -> None:
    reply = ask(store, question)
    assert reply.answered and "1 776 000" in reply.text.replace("\xa0", " ")


def test_a_name_written_whole_is_no_qualifier_of_another_named_in_part(store: Engine) -> None:
    # "Helhetslyftet" is a grant of its own: it does not make "Stärkt samverkan" some other thing.
    reply = ask(store, "Vad fick Stärkt samverkan och Helhetslyftet tillsammans i Härnösand-Timrå?")
    assert reply.answered and says(reply, "500 000")


def test_a_grant_left_out_of_the_meetings_total(store: Engine) -> None:
    reply = ask(store, "How much was granted in Härnösand-Timrå on 24 November 2023 except Arbetsmarknadstorget?")
    assert reply.answered and says(reply, "700 000") and not says(reply, "1 950 000")


def test_a_member_category_and_the_place_after_one_named(store: Engine) -> None:
    # "vilken kommun": neither Försäkringskassan nor the landsting, however much they pay.
    reply = ask(store, "Vilken kommun betalar näst mest efter Umeå kommun till Umeåregionen 2019?")
    assert reply.answered and "Vännäs kommun" in reply.text and says(reply, "146 000") and "landsting har" not in reply.text


@pytest.mark.parametrize(("question", "yes"), [
    ("Was the final report for Arbetsmarknadstorget in Härnösand-Timrå approved?", "Yes, for the earlier effort"),
    ("Godkändes slutrapporten för Arbetsmarknadstorget i Härnösand-Timrå?", "Ja, för den tidigare insatsen"),
])
def test_a_standing_only_the_earlier_grant_of_a_name_reached_is_a_yes_for_that_one(store: Engine, question: str,
                                                                                   yes: str) -> None:
    # § 116 approves the earlier effort's final report; § 122 grants a new effort of the same name.
    reply = ask(store, question)
    assert reply.answered and reply.text.startswith(yes)


def test_a_group_sum_never_mixes_the_members_contributions_with_a_cost_of_the_same_word(store: Engine) -> None:
    # "contributions" is Bidrag in Bidrag Region JH, … and in the cost Bidrag till insatser (−6 400 tkr).
    reply = ask(store, "What is the total of the member contributions in Jämtland's 2021 budget?")
    assert reply.answered and says(reply, "8 502 000") and "insatser" not in reply.text


def test_the_first_few_lines_asked_are_listed_in_order(store: Engine) -> None:
    reply = ask(store, "Which three activities have the largest budgets in Umeåregionen 2019?")
    assert reply.answered and all(n in reply.text for n in ("Ungdomstorget", "Vuxentorget", "De sammanhållan"))
    assert reply.text.index("Ungdomstorget") < reply.text.index("Vuxentorget")


def test_a_count_of_grants_past_an_amount(store: Engine) -> None:
    reply = ask(store, "Hur många insatser fick mindre än 300 000 kr i Härnösand-Timrå i november 2023?")
    assert reply.answered and "2 (två)" in reply.text and "Helhetslyftet" in reply.text \
        and "Arbetsmarknadstorget" not in reply.text


def test_one_line_against_the_sum_of_those_after_than(store: Engine) -> None:
    reply = ask(store, "Är Enter dyrare än SAMS och FIA tillsammans i Södra Vätterbygdens budget 2021?")
    assert reply.answered and says(reply, "2 878 200", "1 386 100", "1 492 100")


@pytest.mark.parametrize("question", [
    "Vilken kostnad är störst efter personalkostnaderna i Umeåregionen 2019?",
    "Which cost is the biggest after staff costs in Jämtland in 2021?",
])
def test_the_largest_after_a_thing_not_among_those_compared_is_not_the_largest_of_all(store: Engine,
                                                                                        question: str) -> None:
    reply = ask(store, question)
    assert not reply.answered
