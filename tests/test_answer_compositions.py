"""Compositions and scope over the small store of tests/answer_store.py plus a few rows of its
own: an outcome to a tertial is not the year's, the largest of a total's parts, a förbund's own
name is no budget line, and an unscoped question about "the latest meeting" asks which förbund."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from handlers.assistant import Assistant
from handlers.messages import Message, Reply
from storage.models import BudgetFigure, Document, Organisation, Person, Protocol, ProtocolOfficer
from tests import answer_store
from tests.answer_store import says


@pytest.fixture
def assistant(engine: Engine) -> Assistant:
    ids = answer_store.build(engine)
    with Session(engine) as s:
        report = Document(organisation_id=ids["fjall"], kind="tertialrapport", title="Tertialrapport 2025",
                          file_name="t1.txt", content_hash="d" * 64, text="…")
        kust_doc = Document(organisation_id=ids["kust"], kind="protokoll", file_name="kust_2025-02-07.txt",
                            content_hash="e" * 64, version_key="protokoll:2025-02-07", text="…")
        s.add_all([report, kust_doc])
        s.flush()
        assert report.id and kust_doc.id
        # An outcome to the end of April only; a total whose parts stand in another section.
        s.add(BudgetFigure(organisation_id=ids["fjall"], year=2025, kind="utfall", section="kostnader", line="Kansli",
                           amount=250_000, as_of=dt.date(2025, 4, 30), document_id=report.id))
        s.add(BudgetFigure(organisation_id=ids["fjall"], year=2025, kind="budget", section="intäkter",
                           line="Summa intäkter", amount=900_000, row_type="total", document_id=report.id))
        for line, amount in (("Bidrag staten", 450_000), ("Bidrag regionen", 225_000), ("Bidrag kommuner", 225_000)):
            s.add(BudgetFigure(organisation_id=ids["fjall"], year=2025, kind="budget", section="bidrag", line=line,
                               amount=amount, document_id=report.id))
        protocol = Protocol(document_id=kust_doc.id, organisation_id=ids["kust"], meeting_date=dt.date(2025, 2, 7),
                            version_hash="e" * 64, status="justerat")
        chair = Person(organisation_id=ids["kust"], name="Kim Kustberg")
        s.add_all([protocol, chair])
        s.flush()
        assert protocol.id and chair.id
        s.add(ProtocolOfficer(protocol_id=protocol.id, person_id=chair.id, role="ordförande"))
        s.commit()
    return Assistant(engine)


def ask(assistant: Assistant, text: str, org: str | None = None, as_of: dt.date | None = None) -> Reply:
    return assistant.handle(Message(text=text, organisation_hint=org, as_of=as_of))



def test_an_outcome_to_a_tertial_is_not_the_full_year(assistant: Assistant) -> None:
    for question in ("Vad blev utfallet för Kansli för helåret 2025?", "Vad blev utfallet för Kansli för hela 2025?",
                     "What was the actual outcome for Kansli for all of 2025?"):
        reply = ask(assistant, question, org="Fjällbygden", as_of=dt.date(2025, 6, 1))
        assert not reply.answered, question
        assert says(reply, "250 000", "2025-04-30")  # what there is, with its date
    # Asked without "helår", the outcome to date is the answer, marked as not the full year.
    reply = ask(assistant, "Vad är utfallet för Kansli 2025?", org="Fjällbygden", as_of=dt.date(2025, 6, 1))
    assert reply.answered and says(reply, "250 000", "inte helår")


def test_a_figure_asked_with_no_kind_named_gives_every_kind_the_year_has(assistant: Assistant) -> None:
    # In June, "Kansli 2025" may mean the budget or what has been spent so far: both, each named.
    reply = ask(assistant, "Vad ligger Kansli på 2025?", org="Fjällbygden", as_of=dt.date(2025, 6, 1))
    assert reply.answered and says(reply, "Budget 2025", "880 000", "Utfall 2025", "250 000", "inte helår")
    # A kind named is that kind alone.
    reply = ask(assistant, "Vad är budgeten för Kansli 2025?", org="Fjällbygden", as_of=dt.date(2025, 6, 1))
    assert reply.answered and says(reply, "880 000") and not says(reply, "250 000")


def test_the_largest_part_of_a_total(assistant: Assistant) -> None:
    reply = ask(assistant, "Vilken intäkt är störst i budget 2025?", org="Fjällbygden")
    assert reply.answered and says(reply, "Bidrag staten", "450 000")


def test_a_forbunds_own_name_is_not_a_budget_line(assistant: Assistant) -> None:
    # "Fjällbygdens" resembles the line "Fjälls kommun", but names the förbund.
    reply = ask(assistant, "Hur stor är Fjällbygdens budget 2025?")
    assert not (reply.answered and says(reply, "310 000"))
    reply = ask(assistant, "Vad betalar Fjälls kommun 2025?")
    assert reply.answered and says(reply, "310 000")


def test_an_unscoped_question_on_the_latest_meeting_asks_which_forbund(assistant: Assistant) -> None:
    for text in ("Vem är ordförande?", "Who is the chair?"):
        reply = ask(assistant, text, as_of=dt.date(2025, 5, 1))
        assert not reply.answered
        assert {a.label for a in reply.actions} >= {"Samordningsförbundet Fjällbygden", "Samordningsförbundet Kustlandet"}
    reply = ask(assistant, "Vem är ordförande?", org="Kustlandet", as_of=dt.date(2025, 5, 1))
    assert reply.answered and says(reply, "Kim Kustberg")


def test_dates_typed_in_a_hurry() -> None:
    from handlers.answers.dates import find_dates
    from handlers.answers.guard import missing_numbers

    today = dt.date(2026, 12, 7)
    assert [(d.start, d.exact) for d in find_dates("vem justerade protokollet 16/11 -20", today)] == [
        (dt.date(2020, 11, 16), True)]
    assert find_dates("resultat per 31/8 2020", today)[0].start == dt.date(2020, 8, 31)
    assert find_dates("ordf i juni -21", today)[0].start == dt.date(2021, 6, 1)
    assert find_dates("Dnr P21/4", today) == []  # a file number, not a day
    # The guard reads the same day in the answer's ISO form.
    assert missing_numbers("protokollet 16/11 -20", "protokollet från 2020-11-16") == []


def test_a_change_between_years_asked_in_spoken_words(assistant: Assistant) -> None:
    reply = ask(assistant, "Hur mycket höjs Kansli från 2025 till 2026?", org="Fjällbygden")
    assert reply.answered and says(reply, "20 000")
    reply = ask(assistant, "By how much does Kansli go up from 2025 to 2026?", org="Fjällbygden")
    assert reply.answered and says(reply, "20 000")


def test_a_part_of_a_year_from_its_start_is_the_outcome_to_date(assistant: Assistant) -> None:
    reply = ask(assistant, "Vad kostade Kansli januari–april 2025?", org="Fjällbygden", as_of=dt.date(2025, 6, 1))
    assert reply.answered and says(reply, "250 000", "2025-04-30")
    reply = ask(assistant, "What did Kansli cost from January to March 2025?", org="Fjällbygden",
                as_of=dt.date(2025, 6, 1))
    assert not reply.answered  # only an outcome to the end of April is known


def test_tertials_and_short_years() -> None:
    from handlers.answers.dates import expand_short_forms, find_dates, period_ends

    today = dt.date(2026, 12, 7)
    assert expand_short_forms("utfall t2 2019") == "utfall januari–augusti 2019"
    assert expand_short_forms("fia budget -21") == "fia budget 2021"
    assert period_ends(find_dates("utfall tom T2 -19", today)) == [dt.date(2019, 8, 31)]
    assert period_ends(find_dates("under första tertialet 2021", today)) == [dt.date(2021, 4, 30)]
    # In the question's own text "tertial 2" stays words the documents may be searched for.
    assert expand_short_forms("rapporten för tertial 2 2019", tertials=False) == "rapporten för tertial 2 2019"
    assert expand_short_forms("Jobbcenter 2.0") == "Jobbcenter 2.0"


def test_a_month_without_a_year_is_the_nearest_such_month_with_a_meeting(assistant: Assistant) -> None:
    # Asked in February 2025, "i juni" is the coming June's meeting, not last year's June.
    reply = ask(assistant, "När är mötet i juni?", org="Fjällbygden", as_of=dt.date(2025, 2, 1))
    assert reply.answered and says(reply, "2025-06-13")


def test_a_meeting_named_by_its_month_is_that_month_s_meeting_of_the_nearest_year(assistant: Assistant) -> None:
    from handlers.answers.dates import expand_short_forms

    # English puts the month before the meeting word; read as the meeting in that month.
    assert expand_short_forms("what did the March meeting decide") == "what did the meeting in March decide"
    assert expand_short_forms("vem justerade juni-mötet") == "vem justerade mötet i juni"
    assert expand_short_forms("you may meet him") == "you may meet him"
    # Asked a year on, "the March meeting" is still the meeting of 2025-03-14: its decisions, its grants.
    later = dt.date(2026, 2, 1)
    reply = ask(assistant, "What was decided at the March meeting?", org="Fjällbygden", as_of=later)
    assert reply.answered and says(reply, "2025-03-14", "§ 5")
    reply = ask(assistant, "Vilka insatser beviljades på mötet i mars?", org="Fjällbygden", as_of=later)
    assert reply.answered and says(reply, "Vägen ut", "420 000")
    # No meeting in December of any year: not another month's.
    reply = ask(assistant, "What was decided at the December meeting?", org="Fjällbygden", as_of=later)
    assert not reply.answered


def test_a_count_asks_a_count_not_a_list_of_figures(assistant: Assistant) -> None:
    # Two member lines of the kind "kommun" would be summed or listed by other readings; a count is asked.
    with Session(assistant.engine) as s:
        org_id = s.exec(select(Organisation.id).where(Organisation.name == "Samordningsförbundet Fjällbygden")).one()
        plan = s.exec(select(Document.id).where(Document.file_name == "plan.txt")).one()
        s.add(BudgetFigure(organisation_id=org_id, year=2025, kind="budget", section="medlemsbidrag",
                           line="Dalby kommun", amount=90_000, document_id=plan))
        s.commit()
    reply = ask(assistant, "Hur många kommuner betalar medlemsbidrag 2025?", org="Fjällbygden")
    # The count names what it counts, as the question called it.
    assert reply.answered and says(reply, "2 kommuner", "Fjälls kommun", "Dalby kommun")


def test_the_end_of_a_month_is_a_day_and_a_figure_on_it_is_the_outcome_to_it(assistant: Assistant) -> None:
    from handlers.answers.dates import find_dates

    assert find_dates("resultatet sista april i fjol", dt.date(2026, 6, 1))[0].start == dt.date(2025, 4, 30)
    assert find_dates("by the end of August 2020", dt.date(2026, 6, 1))[0].start == dt.date(2020, 8, 31)
    reply = ask(assistant, "Vad kostade Kansli i slutet av april i år?", org="Fjällbygden", as_of=dt.date(2025, 6, 1))
    assert reply.answered and says(reply, "250 000", "2025-04-30")


def test_seasons_and_years_counted_back() -> None:
    from handlers.answers.dates import find_dates

    autumn = dt.date(2024, 10, 1)
    # A board's Swedish spring and autumn are its terms: "vårens första möte" is in February.
    spring = find_dates("När var mötet i våras?", autumn)[0]
    assert (spring.start, spring.end) == (dt.date(2024, 1, 1), dt.date(2024, 6, 30))
    assert find_dates("När är mötet i höst?", dt.date(2024, 1, 10))[0].start == dt.date(2024, 8, 1)
    assert find_dates("meetings this spring", dt.date(2024, 1, 10))[0].start == dt.date(2024, 3, 1)
    assert find_dates("möten i vinter", dt.date(2024, 1, 10))[0].start == dt.date(2023, 12, 1)
    assert find_dates("Vad står i vår budget?", autumn) == []  # "vår" is "our" here
    assert find_dates("personalen i förrfjol", dt.date(2021, 7, 1))[0].start == dt.date(2019, 1, 1)
    assert find_dates("budgeten för två år sedan", dt.date(2021, 3, 1))[0].start == dt.date(2019, 1, 1)


def test_days_weeks_and_months_counted_from_the_asking_day() -> None:
    from handlers.answers.dates import find_dates

    thursday = dt.date(2024, 3, 14)
    assert find_dates("protokollet från i fredags", thursday)[0].start == dt.date(2024, 3, 8)
    assert find_dates("mötet på fredag", thursday)[0].start == dt.date(2024, 3, 15)
    assert find_dates("the meeting last Monday", thursday)[0].start == dt.date(2024, 3, 11)
    assert find_dates("har vi mote imorgon", thursday)[0].start == dt.date(2024, 3, 15)
    week = find_dates("något möte nästa vecka?", thursday)[0]
    assert (week.start, week.end, week.exact) == (dt.date(2024, 3, 18), dt.date(2024, 3, 24), False)
    assert find_dates("förra månaden", dt.date(2024, 1, 10))[0].start == dt.date(2023, 12, 1)
    assert find_dates("Vad är budgeten idag?", thursday) == []  # what holds now, not a day
    # "Friday's meeting", "fredagens möte": the Friday gone by or the coming one, whichever held a meeting.
    for text in ("who sat for AF at Friday's meeting?", "vad tas upp på fredagens möte?"):
        near = find_dates(text, thursday)[0]
        assert (near.start, near.end) == (dt.date(2024, 3, 8), dt.date(2024, 3, 15))
    assert find_dates("last Friday's meeting", thursday)[0].end == dt.date(2024, 3, 8)


def test_a_year_counted_back_is_not_answered_with_this_years_figure(assistant: Assistant) -> None:
    reply = ask(assistant, "Vad var budgeten för Kansli för två år sedan?", org="Fjällbygden", as_of=dt.date(2026, 3, 1))
    assert not reply.answered  # 2024: the store has 2025 and 2026 only


def test_dotted_abbreviations_are_not_words_and_to_the_end_of_a_month_is_a_day() -> None:
    from handlers.answers.dates import find_dates
    from handlers.understanding.vocabulary import expand_abbreviations

    assert expand_abbreviations("hur mkt t.o.m. augusti") == "hur mycket t.o.m. augusti"  # not "t.och.m."
    assert find_dates("betalat t.o.m. augusti 2020", dt.date(2026, 1, 1))[0].start == dt.date(2020, 8, 31)


def test_an_unscoped_question_on_the_latest_meeting_asks_which_forbund_when_several_say_it(
        assistant: Assistant) -> None:
    # Only Fjällbygden's latest meeting speaks of the premises: answered from it, with its §.
    reply = ask(assistant, "Vad beslutades om lokaler för kansliet på senaste mötet?", as_of=dt.date(2025, 5, 1))
    assert reply.answered and says(reply, "§ 6", "stadshuset")
    # Every förbund has a latest meeting: which one's decisions, asked back.
    reply = ask(assistant, "Vad beslutades på senaste mötet?", as_of=dt.date(2025, 5, 1))
    assert not reply.answered and len(reply.actions) == 2


def test_the_forbunds_members_counted_once_each(assistant: Assistant) -> None:
    with Session(assistant.engine) as s:
        org_id = s.exec(select(Organisation.id).where(Organisation.name == "Samordningsförbundet Fjällbygden")).one()
        plan = s.exec(select(Document.id).where(Document.file_name == "plan.txt")).one()
        for line in ("Dalby kommun", "Region Fjällen", "Försäkringskassan"):
            s.add(BudgetFigure(organisation_id=org_id, year=2025, kind="budget", section="medlemsbidrag", line=line,
                               amount=90_000, document_id=plan))
        s.commit()
    reply = ask(assistant, "Hur många medlemmar har förbundet?", org="Fjällbygden")
    assert reply.answered and says(reply, "4 medlemmar", "Fjälls kommun", "Dalby kommun", "Region Fjällen")
    reply = ask(assistant, "How many municipalities are members of the association?", org="Fjällbygden")
    assert reply.answered and says(reply, "2 municipalities")
    # The board's members are people, not the förbund's members.
    reply = ask(assistant, "Hur många ledamöter har styrelsen?", org="Fjällbygden")
    assert "medlemmar enligt" not in reply.text


def test_what_a_past_year_came_to_is_not_its_budget(assistant: Assistant) -> None:
    # Asked in 2026, 2025 is gone by and has only a budget and an outcome to April.
    reply = ask(assistant, "Vad kostade Kansli 2025?", org="Fjällbygden", as_of=dt.date(2026, 3, 1))
    assert not reply.answered and says(reply, "880 000", "250 000")
    reply = ask(assistant, "Vad var budgeten för Kansli 2025?", org="Fjällbygden", as_of=dt.date(2026, 3, 1))
    assert reply.answered and says(reply, "880 000")


def test_a_change_runs_from_the_earlier_year(assistant: Assistant) -> None:
    reply = ask(assistant, "Hur mycket ökar Kansli 2026 jmf med 2025?", org="Fjällbygden")
    assert reply.answered and says(reply, "20 000") and "minskar" not in reply.text


def test_a_member_named_by_its_kind(assistant: Assistant) -> None:
    with Session(assistant.engine) as s:
        org_id = s.exec(select(Organisation.id).where(Organisation.name == "Samordningsförbundet Fjällbygden")).one()
        plan = s.exec(select(Document.id).where(Document.file_name == "plan.txt")).one()
        s.add(BudgetFigure(organisation_id=org_id, year=2025, kind="budget", section="medlemsbidrag",
                           line="Fjällens läns landsting", amount=455_000, document_id=plan))
        s.commit()
    reply = ask(assistant, "hur mkt betalar landstinget 2025", org="Fjällbygden")
    assert reply.answered and says(reply, "455 000")
    reply = ask(assistant, "hur mycket betalar kommunen 2025", org="Fjällbygden")
    assert not (reply.answered and says(reply, "455 000"))


def test_the_meeting_after_next_and_before_last(assistant: Assistant) -> None:
    with Session(assistant.engine) as s:
        org_id = s.exec(select(Organisation.id).where(Organisation.name == "Samordningsförbundet Fjällbygden")).one()
        from storage.models import Meeting

        s.add(Meeting(organisation_id=org_id, date=dt.date(2025, 9, 12), status="planned", place="Fjällby"))
        s.add(Meeting(organisation_id=org_id, date=dt.date(2025, 1, 17), status="held", place="Dalby"))
        s.commit()
    today = dt.date(2025, 5, 1)
    assert says(ask(assistant, "När är nästa möte?", org="Fjällbygden", as_of=today), "2025-06-13")
    assert says(ask(assistant, "När är mötet efter nästa?", org="Fjällbygden", as_of=today), "2025-09-12")
    assert says(ask(assistant, "When was the meeting before last?", org="Fjällbygden", as_of=today), "2025-01-17")


def test_a_total_named_whole_is_the_answer_and_never_added_to_its_parts(assistant: Assistant) -> None:
    from handlers.answers.text import subsumed

    assert subsumed(["Summa kostnader", "Övriga externa kostnader"], ["externa", "kostnader"]) == {"Summa kostnader"}
    reply = ask(assistant, "Vad är summa kostnader 2025?", org="Fjällbygden")
    assert reply.answered and says(reply, "4 100 000")


def test_english_words_the_table_translates_do_not_qualify_a_name_away(assistant: Assistant) -> None:
    with Session(assistant.engine) as s:
        org_id = s.exec(select(Organisation.id).where(Organisation.name == "Samordningsförbundet Fjällbygden")).one()
        plan = s.exec(select(Document.id).where(Document.file_name == "plan.txt")).one()
        s.add(BudgetFigure(organisation_id=org_id, year=2025, kind="budget", section="kostnader",
                           line="Övriga externa kostnader", amount=123_000, document_id=plan))
        s.commit()
    reply = ask(assistant, "What are the external costs in the 2025 budget?", org="Fjällbygden")
    assert reply.answered and says(reply, "123 000") and "4 100 000" not in reply.text


def test_a_year_named_from_another_year_of_the_question() -> None:
    from handlers.answers.dates import anchored_years
    today = dt.date(2024, 12, 10)
    assert anchored_years("Vad ligger Kansli på 2025 och året efter?", today) == "Vad ligger Kansli på 2025 och 2026?"
    assert anchored_years("budget 2021 and the year before", today) == "budget 2021 and 2020"
    # A relative anchor is written out too: a written year would hide it from find_dates.
    assert anchored_years("nästa år och året därpå", today) == "2025 och 2026"
    assert anchored_years("2021, året efter och året därpå", today) == "2021, 2022 och 2023"
    # With no year before them they stay; "året efter nästa" is counted from today.
    assert anchored_years("Vad hände året efter?", today) == "Vad hände året efter?"
    assert anchored_years("Kansli 2025 och året efter nästa", today) == "Kansli 2025 och året efter nästa"


def test_two_years_asked_are_both_given_or_the_question_is_not_answered(assistant: Assistant) -> None:
    for question in ("Vad ligger Kansli på 2025 och året efter?", "How much does Kansli get in 2025 and the following year?"):
        reply = ask(assistant, question, org="Fjällbygden", as_of=dt.date(2025, 3, 1))
        assert reply.answered, question
        assert says(reply, "880 000", "900 000"), question
    # The documents hold no 2024: the 2025 figure alone does not answer the question.
    reply = ask(assistant, "Vad ligger Kansli på 2025 och året innan?", org="Fjällbygden", as_of=dt.date(2025, 3, 1))
    assert not reply.answered


def test_one_line_summed_over_years(assistant: Assistant) -> None:
    for question in ("Hur mycket får Kansli sammanlagt 2025–2026?", "Vad kostar Kansli totalt över 2025 och 2026?",
                     "How much does Kansli get altogether for 2025 and 2026?"):
        reply = ask(assistant, question, org="Fjällbygden", as_of=dt.date(2025, 3, 1))
        assert reply.answered, question
        assert says(reply, "1 780 000"), question  # 880 000 + 900 000
    # A year the documents do not hold: no sum of the others.
    reply = ask(assistant, "Hur mycket får Kansli sammanlagt 2025–2027?", org="Fjällbygden", as_of=dt.date(2025, 3, 1))
    assert not reply.answered and not says(reply, "1 780 000")


def test_two_digits_after_a_word_of_a_years_figures_are_the_year() -> None:
    from handlers.answers.dates import expand_short_forms

    assert expand_short_forms("enter budg 21?") == "enter budg 2021?"
    assert expand_short_forms("hur mkt budgeterat till 21") == "hur mkt budgeterat till 2021"
    assert expand_short_forms("eget kapital prognos 21") == "eget kapital prognos 2021"
    # An amount, a share or a day after the word is left as written.
    assert expand_short_forms("budget 21 tkr") == "budget 21 tkr"
    assert expand_short_forms("prognos 21 %") == "prognos 21 %"
    assert expand_short_forms("budget 21 juni") == "budget 21 juni"


def test_an_outcome_to_a_tertial_named_without_a_year_against_the_budget(assistant: Assistant) -> None:
    # Asked a year after the report: "efter T1" is the end of April of the year the figures are of.
    for question in ("Kansli, utfall efter T1 mot budget?", "Hur står sig Kansli efter T1 jämfört med budget?",
                     "How does Kansli's outcome after T1 compare with its budget?"):
        reply = ask(assistant, question, org="Fjällbygden", as_of=dt.date(2026, 6, 1))
        assert reply.answered, question
        assert says(reply, "250 000", "880 000", "2025-04-30"), reply.text


def test_the_same_figure_of_two_lines_joined_by_och_gives_both(assistant: Assistant) -> None:
    for question in ("Budget 2025 för Kansli och Bidrag staten?", "What are the 2025 budgets for Kansli and Bidrag staten?"):
        reply = ask(assistant, question, org="Fjällbygden")
        assert reply.answered, question
        assert says(reply, "880 000", "450 000"), reply.text


def test_two_digits_after_a_day_and_a_month_are_the_year() -> None:
    from handlers.answers.dates import expand_short_forms

    assert expand_short_forms("resultat per sista april 21?") == "resultat per 30 april 2021?"
    assert expand_short_forms("per 31 aug 20") == "per 31 aug 2020"
    assert expand_short_forms("30 april 21 tkr") == "30 april 21 tkr"


def test_the_budget_asked_beside_the_outcome_to_a_day_is_given(assistant: Assistant) -> None:
    reply = ask(assistant, "Kansli 2025: budget och utfall per 30 april?", org="Fjällbygden", as_of=dt.date(2025, 6, 1))
    assert reply.answered
    assert says(reply, "880 000", "250 000"), reply.text

