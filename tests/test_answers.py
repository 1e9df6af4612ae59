"""Answers over a store written through the models, on SQLite and PostgreSQL.

The store holds two fictional förbund (tests/answer_store.py), so these questions are not
the eval file's: they check that answering generalises, names its source, asks which
förbund when a question fits two, and says so when nothing fits."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine

from handlers.assistant import Assistant
from handlers.messages import Message, Reply
from tests import answer_store
from tests.answer_store import says


@pytest.fixture
def assistant(engine: Engine) -> Assistant:
    answer_store.build(engine)
    return Assistant(engine)


def ask(assistant: Assistant, text: str, org: str | None = None, as_of: dt.date | None = None) -> Reply:
    return assistant.handle(Message(text=text, organisation_hint=org, as_of=as_of))



def test_grant_amount_names_source_paragraph(assistant: Assistant) -> None:
    reply = ask(assistant, "Hur mycket har Vägen ut beviljats?")
    assert reply.answered
    assert says(reply, "420 000 kr", "§ 5", "Fjällbygden", "2025-03-14")


def test_grant_typo_and_english(assistant: Assistant) -> None:
    reply = ask(assistant, "How much was granted to Vägen utt?")
    assert reply.answered and reply.language == "en"
    assert says(reply, "420 000")


def test_grant_period_dnr_conditions(assistant: Assistant) -> None:
    assert says(ask(assistant, "Vilken period gäller finansieringen av Vägen ut?"), "2025-04-01", "2026-03-31")
    assert says(ask(assistant, "Vilket diarienummer har Vägen ut?"), "F25/4")
    assert says(ask(assistant, "Vilka villkor gäller för Vägen ut?"), "Genuskompassen")


def test_grants_by_condition_and_at_meeting(assistant: Assistant) -> None:
    assert says(ask(assistant, "Which grants are conditioned on Genuskompassen?"), "Vägen ut")
    reply = ask(assistant, "Vilka ansökningar beviljades i mars 2025?")
    assert reply.answered and says(reply, "Vägen ut", "420 000")


def test_grants_that_tie_are_asked_about_not_guessed(assistant: Assistant) -> None:
    reply = ask(assistant, "Hur mycket har Steget beviljats?")
    assert not reply.answered
    assert {a.label for a in reply.actions} == {"Steget A", "Steget B"}
    assert "150 000" not in reply.full_text() and "175 000" not in reply.full_text()
    assert says(ask(assistant, "Hur mycket har Steget B beviljats?"), "175 000")


def test_unknown_grant_is_not_answered(assistant: Assistant) -> None:
    reply = ask(assistant, "Hur mycket har Månlandningen beviljats?")
    assert not reply.answered
    assert "420 000" not in reply.full_text()
    assert "Månlandningen" in reply.text


def test_budget_line_inflected_and_year(assistant: Assistant) -> None:
    reply = ask(assistant, "Vad kostar kansliet 2025?", org="Fjäll")
    assert reply.answered and says(reply, "880 000 kr", "Verksamhetsplan 2025")
    assert says(ask(assistant, "Vad är planen för kansliet 2026?", org="Fjäll"), "900 000")
    assert says(ask(assistant, "Hur mycket betalar Fjälls kommun 2025?"), "310 000")


def test_budget_asks_which_forbund_when_two_fit(assistant: Assistant) -> None:
    reply = ask(assistant, "Vad kostar kansliet 2025?")
    assert not reply.answered
    labels = {a.label for a in reply.actions}
    assert labels == {"Samordningsförbundet Fjällbygden", "Samordningsförbundet Kustlandet"}
    chosen = next(a for a in reply.actions if "Kustlandet" in a.label)
    follow = assistant.handle(Message(text="", action_id=chosen.action_id, action_value=chosen.value))
    assert follow.answered and says(follow, "1 234 000 kr", "1 234 tkr")


def test_budget_year_without_figures_is_not_guessed(assistant: Assistant) -> None:
    reply = ask(assistant, "Vad kostar kansliet 2031?", org="Fjäll")
    assert not reply.answered and "880 000" not in reply.full_text()


def test_people_justering_anslag(assistant: Assistant) -> None:
    assert says(ask(assistant, "Vem justerar protokollet från 14 mars 2025?"), "Per Berg")
    assert says(ask(assistant, "Who chaired the March 2025 meeting?"), "Eva Fjällström")
    assert says(ask(assistant, "När ska protokollet från 2025-03-14 vara justerat?"), "2025-03-25")
    assert says(ask(assistant, "När justerades protokollet från 2025-03-14?"), "2025-03-20")
    assert says(ask(assistant, "Hur länge satt anslaget uppe för protokollet från 2025-03-14?"), "2025-03-21",
               "2025-04-11")


def test_next_meeting_relative_to_asking_date(assistant: Assistant) -> None:
    reply = ask(assistant, "När är nästa styrelsemöte?", org="Fjäll", as_of=dt.date(2025, 4, 1))
    assert reply.answered and says(reply, "2025-06-13", "Fjällby")
    later = ask(assistant, "När är nästa möte?", org="Fjäll", as_of=dt.date(2025, 7, 1))
    assert not later.answered


def test_decision_search_stemmed(assistant: Assistant) -> None:
    reply = ask(assistant, "Vad beslutade styrelsen om lokalerna?")
    assert reply.answered and says(reply, "§ 6", "stadshuset")


def test_protocol_for_unknown_date(assistant: Assistant) -> None:
    reply = ask(assistant, "Vem justerar protokollet från 2 januari 2019?")
    assert not reply.answered


def test_help_gives_examples_from_the_store(assistant: Assistant) -> None:
    reply = ask(assistant, "hjälp")
    assert "Steget B" in reply.text and "2025-03-14" in reply.text and "justera" in reply.text
    click = reply.actions[0]
    answered = assistant.handle(Message(text="", action_id=click.action_id, action_value=click.value))
    assert answered.answered and says(answered, "Steget B", "175 000")
    assert "help" in ask(assistant, "help").text.lower() and ask(assistant, "help").language == "en"
