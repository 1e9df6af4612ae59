"""Comparisons that must compare like with like: two years "per 30 april" are the outcomes to
that day in each year, an "actual" year is not an outcome to a tertial, and "which insats has the
largest budget" chooses among the lines of the efforts (not the administration beside them)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from handlers.assistant import Assistant
from handlers.messages import Message, Reply
from storage.models import BudgetFigure, Document
from tests import answer_store
from tests.answer_store import says


@pytest.fixture
def assistant(engine: Engine) -> Assistant:
    ids = answer_store.build(engine)
    with Session(engine) as s:
        t1_2024 = Document(organisation_id=ids["fjall"], kind="tertialrapport", title="Tertialrapport 2024-04-30",
                           file_name="t1_2024.txt", content_hash="f" * 64, text="…")
        t1_2025 = Document(organisation_id=ids["fjall"], kind="tertialrapport", title="Tertialrapport 2025-04-30",
                           file_name="t1_2025.txt", content_hash="9" * 64, text="…")
        s.add_all([t1_2024, t1_2025])
        s.flush()
        assert t1_2024.id and t1_2025.id
        for doc, year, to_date, budget in ((t1_2024, 2024, -817_000, -2_317_000), (t1_2025, 2025, -576_000, -1_942_000)):
            s.add(BudgetFigure(organisation_id=ids["fjall"], year=year, kind="utfall", section="kostnader",
                               line="Personalkostnader", amount=to_date, as_of=dt.date(year, 4, 30), document_id=doc.id))
            s.add(BudgetFigure(organisation_id=ids["fjall"], year=year, kind="budget", section="kostnader",
                               line="Personalkostnader", amount=budget, document_id=doc.id))
        s.add(BudgetFigure(organisation_id=ids["fjall"], year=2025, kind="utfall", section="resultat", row_type="total",
                           line="Årets resultat", amount=2_310_000, as_of=dt.date(2025, 4, 30), document_id=t1_2025.id))
        s.add(BudgetFigure(organisation_id=ids["fjall"], year=2025, kind="prognos", section="resultat", row_type="total",
                           line="Årets resultat", amount=368_000, as_of=dt.date(2025, 4, 30), document_id=t1_2025.id))
        # A plan whose efforts add up to a subtotal, with the administration after it in the same section.
        plan = Document(organisation_id=ids["fjall"], kind="verksamhetsplan", title="Verksamhetsplan 2027",
                        file_name="plan2027.txt", content_hash="8" * 64, text="…")
        s.add(plan)
        s.flush()
        assert plan.id
        for line, amount, row_type in (("Vägvisaren", 900_000, "line"), ("Bron", 400_000, "line"),
                                       ("Avslutat projekt", 0, "line"), ("Delsumma verksamhet", 1_300_000, "subtotal"),
                                       ("Styrelsearvoden", 5_000, "line"), ("Delsumma administration", 5_000, "subtotal")):
            s.add(BudgetFigure(organisation_id=ids["fjall"], year=2027, kind="budget", section="kostnader",
                               line=line, amount=amount, row_type=row_type, document_id=plan.id))
        # A report whose table writes each member's share on its own key beside the name.
        shares = Document(organisation_id=ids["fjall"], kind="tertialrapport", title="Tertialrapport 2027",
                          file_name="t2_2027.txt", content_hash="7" * 64,
                          text="Intäkter\n- Fjälls kommun, 62,5% av arb-bef.\t500\n- Norrby kommun, 30,1% av arb-bef."
                               "\t240\n- Söderby kommun, 7,4 % av arb-bef.\t60\n")
        s.add(shares)
        s.flush()
        assert shares.id
        for line, amount in (("Fjälls kommun", 500_000), ("Norrby kommun", 240_000), ("Söderby kommun", 60_000)):
            s.add(BudgetFigure(organisation_id=ids["fjall"], year=2027, kind="budget", section="medlemsbidrag",
                               line=line, amount=amount, document_id=shares.id))
        s.add(BudgetFigure(organisation_id=ids["fjall"], year=2028, kind="plan", section="kostnader", line="Vägvisaren",
                           amount=950_000, document_id=plan.id))
        s.commit()
    return Assistant(engine)


def ask(assistant: Assistant, text: str) -> Reply:
    return assistant.handle(Message(text=text, organisation_hint="Fjällbygden", as_of=dt.date(2026, 6, 1)))


def test_two_years_to_the_same_day_compare_the_outcomes_to_that_day(assistant: Assistant) -> None:
    for question in ("Hur förändrades personalkostnaderna per 30 april mellan 2024 och 2025?",
                     "How did Personalkostnader as of 30 April change from 2024 to 2025?"):
        reply = ask(assistant, question)
        assert reply.answered and says(reply, "817 000", "576 000", "241 000"), question
        assert not says(reply, "2 317 000"), question  # never the two years' budgets


def test_the_actual_year_is_not_an_outcome_to_a_tertial(assistant: Assistant) -> None:
    reply = ask(assistant, "How did the actual 2025 result compare with the forecast?")
    assert not reply.answered
    # Asked to date, the outcome to the tertial is the answer.
    reply = ask(assistant, "Hur står sig årets resultat hittills 2025 mot prognosen?")
    assert reply.answered and says(reply, "2 310 000", "368 000")


def test_the_largest_insats_in_a_budget_is_among_the_efforts(assistant: Assistant) -> None:
    reply = ask(assistant, "Vilken insats har störst budget 2027?")
    assert reply.answered and says(reply, "Vägvisaren", "900 000")
    # The smallest is among the efforts that have money that year, not the board's fees beside them.
    reply = ask(assistant, "Vilken insats har minst budget 2027?")
    assert reply.answered and says(reply, "Bron", "400 000") and not says(reply, "Styrelsearvoden")


def test_which_year_sets_a_lines_own_years_against_each_other(assistant: Assistant) -> None:
    reply = ask(assistant, "Vilket år har Vägvisaren mest pengar?")
    assert reply.answered and says(reply, "2028", "950 000", "900 000")
    reply = ask(assistant, "Which year is Vägvisaren smallest?")
    assert reply.answered and says(reply, "2027", "900 000")


def test_a_budget_asked_as_of_a_day_is_the_years_beside_the_outcome_to_that_day(assistant: Assistant) -> None:
    reply = ask(assistant, "How much of the budget for Personalkostnader had been used by 30 April 2025?")
    assert reply.answered and says(reply, "1 942 000", "576 000", "29.7 %")


def test_what_remains_after_a_tertial_is_the_budget_less_the_outcome_to_date(assistant: Assistant) -> None:
    reply = ask(assistant, "Hur mycket återstår av budgeten för Personalkostnader per 30 april 2025?")
    assert reply.answered and says(reply, "1 366 000", "1 942 000", "576 000")


def test_a_share_the_table_states_is_the_share_asked(assistant: Assistant) -> None:
    reply = ask(assistant, "Vilken kommun står för minst andel av medlemsbidragen, och hur stor är den?")
    assert reply.answered and says(reply, "Söderby kommun", "7,4 %", "arb-bef")
