"""English as board members type it (issue 14, item 8): contractions written out, a cue phrase that
holds with its verb in another form ("who signs" as "who signed", "getting from" as "get from"), the
base form that is also a noun kept apart ("the follow-up" is not "followed up"), and the English
words for what the Swedish tables read ("regular members", "for what term", "under budget")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from handlers.answers.dates import expand_short_forms, find_dates
from handlers.assistant import Assistant
from handlers.messages import Message, Reply
from handlers.understanding.kinds import Cues
from handlers.understanding.vocabulary import expand_abbreviations
from tests.answer_store import sample_store, says


@pytest.fixture(scope="module")
def norrvik(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    yield from sample_store(tmp_path_factory.mktemp("english_forms"))


def ask(engine: Engine, text: str) -> Reply:
    return Assistant(engine).handle(Message(text=text, as_of=dt.date(2025, 7, 1)))


@pytest.mark.parametrize(("text", "written"), [
    ("Why didn't the board approve it?", "Why did not the board approve it?"),
    ("When's the next meeting", "When is the next meeting"),
    ("how'd it go", "how did it go"),
    ("Who’s the chair of Härnösand-Timrå's board", "Who is the chair of Härnösand-Timrå's board"),
    ("we can't and won't", "we can not and will not"),
    ("costs came in under budget", "costs came in lower than budget"),
])
def test_english_contractions_and_budget_phrases_are_written_out(text: str, written: str) -> None:
    assert expand_abbreviations(text) == written


@pytest.mark.parametrize(("words", "cue"), [
    (["who", "signs", "the", "minutes"], "who signed"),
    (["how", "much", "is", "it", "getting", "from", "the", "state"], "get from"),
    (["who", "had", "a", "vote"], "have a vote"),
    (["what", "they", "paid", "in"], "pays in"),
])
def test_an_english_phrase_holds_with_its_words_in_another_form(words: list[str], cue: str) -> None:
    assert Cues(words, english=True).hit(cue)
    assert not Cues(words).hit(cue)  # Swedish questions are read as written


@pytest.mark.parametrize(("words", "cue"), [
    (["the", "follow", "up", "of", "the", "plan"], "followed up"),  # the noun, not the verb
    (["who", "was", "given", "the", "task"], "gave the"),  # a passive, not who gave
    (["what", "did", "they", "conclude"], "what does"),  # a helper verb's tense
    (["which", "municipality"], "which §"),  # a cue with a sign is read as written
])
def test_a_form_that_says_something_else_is_not_the_cue(words: list[str], cue: str) -> None:
    assert not Cues(words, english=True).hit(cue)


@pytest.mark.parametrize("question", ["Who signs the minutes of 25 April 2025?",
                                      "Who signed the minutes of 25 April 2025?",
                                      "Vilka skriver under protokollet från 25 april 2025?"])
def test_who_signs_the_minutes_is_every_signer(norrvik: Engine, question: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and says(reply, "Petter Sjöling", "Ingrid Vallmo", "Elsa Brännvall")


@pytest.mark.parametrize("question", ["How many regular members had a vote on 14 February 2025?",
                                      "How many ordinary members had voting rights on Feb 14th 2025?",
                                      "Hur många ordinarie ledamöter var beslutande 14 februari 2025?"])
def test_regular_members_with_a_vote_are_the_deciding_ledamoter(norrvik: Engine, question: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and says(reply, "4", "Ingrid Vallmo", "Astrid Fjällmark")


@pytest.mark.parametrize(("text", "day"), [
    ("the 11th of June 2021", dt.date(2021, 6, 11)),
    ("the twentieth of June 2019", dt.date(2019, 6, 20)),
    ("on Tuesday the 24th of November 2023", dt.date(2023, 11, 24)),
    ("Nov 16 '20", dt.date(2020, 11, 16)),
])
def test_english_days_as_spoken_are_the_day(text: str, day: dt.date) -> None:
    spans = find_dates(expand_short_forms(text, tertials=False), dt.date(2024, 1, 1))
    assert [(s.start, s.end) for s in spans] == [(day, day)]


@pytest.mark.parametrize(("text", "start", "end"), [
    ("in autumn 2024", dt.date(2024, 9, 1), dt.date(2024, 11, 30)),
    ("the spring of 2024", dt.date(2024, 3, 1), dt.date(2024, 5, 31)),
    ("hösten 2024", dt.date(2024, 8, 1), dt.date(2024, 12, 31)),
])
def test_a_season_of_a_year_is_its_months(text: str, start: dt.date, end: dt.date) -> None:
    spans = find_dates(expand_short_forms(text, tertials=False), dt.date(2024, 1, 1))
    assert [(s.start, s.end) for s in spans] == [(start, end)]


@pytest.mark.parametrize(("text", "written"), [
    ("How much had FK paid in by T2 2019?", "How much had Försäkringskassan paid in as of T2 2019?"),
    ("by the end of April 2021", "as of the end of April 2021"),
    ("by how much", "by how much"),  # no day after it
    ("approved by the board in June", "approved by the board in June"),
    ("Who was the chair back in June 2019?", "Who was the chair in June 2019?"),  # a time, not "backed"
    ("who backed the proposal", "who backed the proposal"),
])
def test_by_a_day_is_as_of_that_day(text: str, written: str) -> None:
    assert expand_abbreviations(text) == written
