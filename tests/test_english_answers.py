"""English on par with Swedish (issue 14, item 8) over the bundled sample förbund: English
phrasings of every kind of question are read by the same cue tables as the Swedish ones, and a §
written out ("paragraph seven") is the § the protocols write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from bot.console import normalise
from handlers.assistant import Assistant
from handlers.messages import Message, Reply
from handlers.understanding.vocabulary import expand_abbreviations, paragraph_numbers
from tests.answer_store import sample_store, says


@pytest.fixture(scope="module")
def norrvik(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    yield from sample_store(tmp_path_factory.mktemp("english"))


def ask(engine: Engine, text: str) -> Reply:
    return Assistant(engine).handle(Message(text=text, as_of=dt.date(2025, 7, 1)))



@pytest.mark.parametrize(("text", "written"), [
    ("What was decided in paragraph seven?", "What was decided in § 7?"),
    ("Vad beslutades i paragrafen tolv?", "Vad beslutades i § 12?"),
    ("Did she take part in paragraph 130?", "Did she take part in § 130?"),
    ("section twenty-one", "§ 21"),
    ("§§ 7-10 and paragraph one hundred", "§§ 7-10 and paragraph one hundred"),
])
def test_a_paragraph_written_out_is_the_paragraph(text: str, written: str) -> None:
    assert paragraph_numbers(text) == written


@pytest.mark.parametrize("question", ["When does Stegvis till arbete end?",
                                      "What period does the grant for Stegvis till arbete cover?",
                                      "När slutar Stegvis till arbete?"])
def test_when_a_grant_ends_is_its_period(norrvik: Engine, question: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and says(reply, "2026-02-28")


def test_a_grant_given_is_its_amount(norrvik: Engine) -> None:
    reply = ask(norrvik, "What amount was Stegvis till arbete given?")
    assert reply.answered and says(reply, "650 000")


@pytest.mark.parametrize("question", ["Which paragraph deals with Stegvis till arbete?",
                                      "I vilken paragraf behandlas Stegvis till arbete?"])
def test_where_a_grant_stands_in_the_minutes(norrvik: Engine, question: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and says(reply, "§ 5", "2025-02-14")
    assert "650 000" not in reply.text


@pytest.mark.parametrize("question", ["What was decided in paragraph seven at the meeting on 14 February 2025?",
                                      "Vad beslutades i paragraf sju på mötet 2025-02-14?"])
def test_the_decision_of_a_named_paragraph(norrvik: Engine, question: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and says(reply, "§ 7", "Friskvårdscoacher")


def test_a_paragraph_not_in_the_minutes_is_not_found(norrvik: Engine) -> None:
    reply = ask(norrvik, "What was decided in paragraph ninety at the meeting on 14 February 2025?")
    assert not reply.answered and says(reply, "§ 90")


def test_who_opened_the_meeting_is_the_chair(norrvik: Engine) -> None:
    reply = ask(norrvik, "Who opened the board meeting on 14 February 2025?")
    assert reply.answered and says(reply, "Ingrid Vallmo")


def test_most_recent_is_the_latest_meeting(norrvik: Engine) -> None:
    reply = ask(norrvik, "Who was the justerare at the most recent meeting?")
    assert reply.answered and says(reply, "Tove Ekbacka", "2025-06-13")


def test_where_the_board_met(norrvik: Engine) -> None:
    reply = ask(norrvik, "Where did the board meet in June 2025?")
    assert reply.answered and says(reply, "Lärkan")


@pytest.mark.parametrize(("text", "written"), [
    ("What was the result for January to August 2020?", "What was the result for per 2020-08-31?"),
    ("resultatet jan–aug 2020", "resultatet per 2020-08-31"),
    ("budget from January through December 2021", "budget 2021"),
    ("april till juni 2021", "april till juni 2021"),  # not from the year's start: left as it is
])
def test_the_year_to_a_month_is_an_outcome_to_date(text: str, written: str) -> None:
    assert expand_abbreviations(text) == written


@pytest.mark.parametrize("question", ["What was the result for January to April 2025?",
                                      "Vad blev resultatet januari till april 2025?"])
def test_result_for_the_year_to_a_month(norrvik: Engine, question: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and says(reply, "699", "2025-04-30")
    assert "-360" not in normalise(reply.text)  # the budget is something else


def test_minutes_adjusted_is_justerat(norrvik: Engine) -> None:
    reply = Assistant(norrvik).handle(Message(text="On which date were the minutes of the last meeting adjusted?",
                                              as_of=dt.date(2025, 2, 20)))
    assert says(reply, "2025-02-14") and "justerat" in reply.text


@pytest.mark.parametrize(("question", "besides"), [("How many board meetings are there in autumn 2025?", "Besides"),
                                                    ("Hur många styrelsemöten är det hösten 2025?", "Dessutom")])
def test_a_count_of_board_meetings_names_the_planning_day_beside(norrvik: Engine, question: str, besides: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and says(reply, "2025-09-12", "2025-11-21", besides, "planeringsdag 2025-10-10")


def test_cover_and_end_ask_a_grant_only_when_one_is_named(norrvik: Engine) -> None:
    reply = ask(norrvik, "Which paragraphs do the minutes of 14 February 2025 cover?")
    assert reply.answered and says(reply, "2025-02-14") and not reply.actions  # no "a grant or …?"


@pytest.mark.parametrize("question", ["When is the next meeting after 14 February 2025?",
                                      "När är nästa möte efter 14 februari 2025?"])
def test_the_next_meeting_after_a_day_named(norrvik: Engine, question: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and says(reply, "2025-04-25") and "2025-02-14 " not in reply.text


@pytest.mark.parametrize("question", ["Who heads the association?", "Vem är chef för förbundet?", "Who is the CEO?"])
def test_the_head_of_the_forbund_is_its_forbundschef(norrvik: Engine, question: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and says(reply, "Elsa Brännvall")


def test_the_year_after_next() -> None:
    from handlers.answers.dates import find_dates

    for text in ("the budget for the year after next", "budgeten året efter nästa", "the plan in two years"):
        spans = find_dates(text, dt.date(2025, 3, 1))
        assert [(s.start, s.end) for s in spans] == [(dt.date(2027, 1, 1), dt.date(2027, 12, 31))], text


def test_whether_minutes_have_been_signed(norrvik: Engine) -> None:
    reply = ask(norrvik, "Have the minutes of 14 February 2025 been signed?")
    assert "2025-02-14" in reply.text and "justerat" in reply.text


def test_a_meeting_not_held_names_the_minutes_there_are(norrvik: Engine) -> None:
    reply = ask(norrvik, "Who was the chair in 2015?")
    assert not reply.answered and says(reply, "2015", "2025-02-14") and "Ingrid Vallmo" not in reply.text


def test_a_weekdays_meeting_is_the_nearest_of_that_weekday() -> None:
    """"Friday's meeting" is said of the Friday just gone and of the one ahead alike; "last Friday's"
    and "on Friday" keep their one direction."""
    from handlers.answers.dates import relative_spans

    monday = dt.date(2021, 6, 14)
    (span,) = [s for _at, s in relative_spans("who sat for AF at Friday's meeting?", monday)]
    assert (span.start, span.end) == (dt.date(2021, 6, 11), dt.date(2021, 6, 18))
    (span,) = [s for _at, s in relative_spans("What was on last Friday's agenda?", monday)]
    assert (span.start, span.end) == (dt.date(2021, 6, 11), dt.date(2021, 6, 11))
    (span,) = [s for _at, s in relative_spans("What is on the agenda on Friday?", monday)]
    assert (span.start, span.end) == (dt.date(2021, 6, 18), dt.date(2021, 6, 18))


@pytest.mark.parametrize(("text", "names"), [
    ("Is it true another förbund pays for part of Södra Vätterbygden's förbundschef? How much?", []),
    ("Vem är förbundschef i Samordningsförbundet Finnegan?", ["Finnegan"]),
    ("Who chairs the Finnegan förbund?", ["Finnegan"]),
])
def test_a_word_of_the_forbund_is_no_forbund_named(text: str, names: list[str]) -> None:
    """"förbundschef" is someone of a förbund, not a förbund whose name follows it."""
    from handlers.understanding.scope import _names_beside

    assert _names_beside(text) == names


@pytest.mark.parametrize(("text", "written"), [
    ("Who holds AF's seat?", "Who holds Arbetsförmedlingen's seat?"),
    ("Who is FK’s member?", "Who is Försäkringskassan’s member?"),
    ("FK:s bidrag", "Försäkringskassans bidrag"),
    ("fk's", "fk's"),  # only a short form written in capitals takes an English genitive
])
def test_an_english_genitive_of_a_short_form_is_the_full_names(text: str, written: str) -> None:
    assert expand_abbreviations(text) == written


@pytest.mark.parametrize("question", ["Which parties applied together for Stegvis till arbete?",
                                      "Who were the parties applying together for Stegvis till arbete?"])
def test_the_parties_of_an_application_are_its_applicants(norrvik: Engine, question: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and says(reply, "Norrviks kommun", "Försäkringskassan", "Arbetsförmedlingen")


@pytest.mark.parametrize("question", ["What is the Stegvis till arbete grant for?",
                                      "What does Stegvis till arbete pay for?"])
def test_what_a_grant_is_for_is_not_its_amount(norrvik: Engine, question: str) -> None:
    # (The store holds the grant's amount and period, not what it pays for: an honest "not found".)
    reply = ask(norrvik, question)
    assert not reply.answered


def test_a_year_before_the_figure_it_dates_keeps_the_cue_phrase() -> None:
    from handlers.understanding.kinds import Cues

    english = Cues("total costs against the 2025 budget".split(), english=True)
    assert english.hit("against the budget")
    assert not Cues("mot 2025 budget".split()).hit("mot budget")  # Swedish writes the year after


def test_where_a_figure_came_in_is_no_income() -> None:
    assert expand_abbreviations("What did costs come in at last year?") == "What did costs end up at last year?"


@pytest.mark.parametrize(("text", "written"), [
    ("Was it granted SEK 1,250,000?", "Was it granted 1 250 000 kr?"),
    ("Was it 1.25 million?", "Was it 1 250 000 kr?"),
    ("more than SEK 700k?", "more than 700 000 kr?"),
    ("786 000 SEK", "786 000 kr"),
    ("Jobbcenter 2.0 in 2021", "Jobbcenter 2.0 in 2021"),  # a version and a year are no amounts
    ("1,25 miljoner", "1,25 miljoner"),  # a Swedish decimal comma is left as written
])
def test_amounts_written_the_english_way(text: str, written: str) -> None:
    assert expand_abbreviations(text) == written


@pytest.mark.parametrize("question", ["Who adjusted Samordningsförbundet Norrvik's minutes of 14 February 2025?",
                                      "Who adjusted the Samordningsförbundet Norrvik minutes of 14 February 2025?"])
def test_a_forbunds_name_as_an_english_genitive_or_adjective(norrvik: Engine, question: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and says(reply, "Astrid Fjällmark", "2025-02-14")
