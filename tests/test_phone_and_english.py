"""Swedish as typed on a phone and English as board members write it (issue 14, item 8): clipped
words, the spoken "va", a long grant name said by its first words, a phrase cue with a name inside
it, and English names of roles, read by the same tables and matching as the Swedish."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from handlers.answers.text import name_score
from handlers.assistant import Assistant
from handlers.messages import Message, Reply
from handlers.understanding import parts
from handlers.understanding.kinds import Cues
from handlers.understanding.vocabulary import expand_abbreviations
from tests.answer_store import sample_store, says


@pytest.fixture(scope="module")
def norrvik(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    yield from sample_store(tmp_path_factory.mktemp("phone"))


def ask(engine: Engine, text: str) -> Reply:
    return Assistant(engine).handle(Message(text=text, as_of=dt.date(2025, 7, 1)))


@pytest.mark.parametrize(("text", "written"), [
    ("va hölls mötet", "var hölls mötet"),  # where
    ("vem va ordf", "vem var ordförande"),  # was
    ("va e budgeten", "vad är budgeten"),  # what
    ("statl medel 2024", "statliga medel 2024"),
    ("vem e fbchef", "vem är förbundschef"),
])
def test_spoken_and_clipped_words_are_written_out(text: str, written: str) -> None:
    assert expand_abbreviations(text) == written


def test_a_long_name_is_named_by_its_first_words_only() -> None:
    name = "Stärkt samverkan och parallella insatser"
    assert name_score(name, ["starkt", "samverkan", "hur", "mycket"]) >= 0.75
    # Its later words, or its first words apart, do not name it.
    assert name_score(name, ["parallella", "insatser"]) < 0.75
    assert name_score(name, ["stärkt", "budget", "samverkan"]) < 0.75


def test_a_phrase_cue_holds_across_a_name_inside_it() -> None:
    cues = Cues(["när", "gick", "harald", "tjärnström", "från", "mötet"], names=frozenset({"harald", "tjärnström"}))
    assert cues.hit("gick från")
    assert not Cues(["när", "gick", "harald", "tjärnström", "från", "mötet"]).hit("gick från")


@pytest.mark.parametrize("question", ["nar gick harald tjarnstrom fran motet 25 april 2025",
                                      "När lämnade Harald Tjärnström mötet den 25 april 2025?"])
def test_who_left_asked_with_the_name_inside_the_verb(norrvik: Engine, question: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and says(reply, "11.15")


@pytest.mark.parametrize("question", ["Who was the adjuster of the minutes of 25 April 2025?",
                                      "Who was appointed checker of the minutes from 25 April 2025?"])
def test_english_words_for_justerare(norrvik: Engine, question: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and says(reply, "Petter Sjöling")
    assert "Ingrid Vallmo" not in reply.text


def test_a_case_number_asked_in_short(norrvik: Engine) -> None:
    reply = ask(norrvik, "Stegvis till arbete - what's its case no?")
    assert reply.answered and says(reply, "N25/1")


@pytest.mark.parametrize(("text", "first", "second"), [
    ("who did the justering and when was the anslag put up?", "who did the justering", "when was the anslag put up?"),
    ("What was granted to X, and for which period?", "What was granted to X", "for which period?"),
    ("nar sattes anslaget upp och nar tas det ner", "nar sattes anslaget upp", "nar tas det ner"),
])
def test_a_question_asking_two_things_is_read_as_two(text: str, first: str, second: str) -> None:
    assert parts.split(text) == (first, second)


@pytest.mark.parametrize("text", ["Vem var sekreterare och justerare?", "Hur mycket fick Enter och FIA 2021?",
                                  "vem justerade och när?"])
def test_one_question_with_an_and_stays_one(text: str) -> None:
    assert parts.split(text) is None


def test_both_parts_are_answered(norrvik: Engine) -> None:
    reply = ask(norrvik, "Who was the justerare of the minutes of 25 April 2025 and when was the anslag put up?")
    assert reply.answered and says(reply, "Petter Sjöling", "2025-05-06")


def test_two_roles_asked_together(norrvik: Engine) -> None:
    reply = ask(norrvik, "vem va ordf o justerare 25 april 2025")
    assert reply.answered and says(reply, "Petter Sjöling", "Ingrid Vallmo")


def test_a_part_nothing_answers_leaves_the_question_unanswered(norrvik: Engine) -> None:
    """The justerare is known, how the justering was done is not: not answered, the known part shown."""
    reply = ask(norrvik, "Who was the justerare of the minutes of 25 April 2025, and how was it done?")
    assert not reply.answered and says(reply, "Petter Sjöling")


def test_summary_is_no_sum() -> None:
    assert not Cues(["quick", "summary", "pls"]).hit("summa")
    assert Cues(["summa", "kostnader"]).hit("summa")


def test_how_much_of_a_post_is_not_who_holds_it(norrvik: Engine) -> None:
    reply = ask(norrvik, "Is the förbundschef full time or part time?")
    assert not reply.answered or says(reply, "%")


def test_member_and_substitute_asked_together(norrvik: Engine) -> None:
    reply = ask(norrvik, "vilka e utsedda av sjöbacka kommun 14 feb 2025, ledamot o ersättare")
    assert reply.answered and says(reply, "Petter Sjöling", "Olof Myrberg")


def test_a_time_of_day_is_not_answered_by_a_day(norrvik: Engine) -> None:
    reply = ask(norrvik, "When exactly were the minutes of 25 April 2025 justerade?")
    assert not reply.answered
    assert ask(norrvik, "What time did the board meeting on 14 February 2025 start?").answered


def test_when_someone_was_appointed_is_not_the_meeting_they_sat_in(norrvik: Engine) -> None:
    reply = ask(norrvik, "nar valde sjobacka kommun in petter sjöling i styrelsen")
    assert not reply.answered


@pytest.mark.parametrize("question", ["What is the highest recommended level of saved funds?",
                                      "Vilken är högsta rekommenderade nivå på sparade medel?"])
def test_a_word_of_a_lines_name_asks_no_operation(norrvik: Engine, question: str) -> None:
    """"högsta" in "Rekommenderat högsta eget kapital" asks for no largest line."""
    reply = ask(norrvik, question)
    assert reply.answered and says(reply, "960 000")


def test_no_year_asked_reads_the_latest_the_documents_give(norrvik: Engine) -> None:
    reply = Assistant(norrvik).handle(Message(text="What is the highest recommended level of saved funds?",
                                              as_of=dt.date(2027, 3, 1)))
    assert reply.answered and says(reply, "2025", "960 000")
    said_year = Assistant(norrvik).handle(Message(text="What is the highest recommended level of saved funds in 2027?",
                                                  as_of=dt.date(2027, 3, 1)))
    assert not said_year.answered


def test_the_second_part_about_what_the_first_answer_names(norrvik: Engine) -> None:
    reply = ask(norrvik, "Who was the justerare of the minutes of 25 April 2025, and which member appointed him?")
    assert reply.answered and says(reply, "Petter Sjöling", "Sjöbacka kommun")


def test_a_second_part_no_fact_answers_leaves_it_unanswered(norrvik: Engine) -> None:
    reply = ask(norrvik, "Stegvis till arbete - how much was granted, and is that figure final?")
    assert not reply.answered and says(reply, "650 000")


def test_a_total_over_the_years_is_no_one_years_figure(norrvik: Engine) -> None:
    reply = Assistant(norrvik).handle(Message(text="hur mkt har kansliet kostat totalt sen starten?",
                                              as_of=dt.date(2027, 3, 1)))
    assert not reply.answered


def test_which_notice_boards_is_not_when(norrvik: Engine) -> None:
    reply = ask(norrvik, "On which notice boards were the minutes of 25 April 2025 posted?")
    assert not reply.answered or not says(reply, "2025-05-06")


def test_va_before_a_definite_noun_is_var() -> None:
    assert expand_abbreviations("va mötet digitalt?") == "var mötet digitalt?"
    assert expand_abbreviations("va hände på mötet") == "vad hände på mötet"


def test_what_a_share_is_based_on_is_not_a_stored_fact(norrvik: Engine) -> None:
    reply = ask(norrvik, "norrviks kommuns bidrag 2025 baseras pa va?")
    assert not reply.answered


@pytest.mark.parametrize(("text", "written"), [
    ("FK:s bidrag 2025", "Försäkringskassans bidrag 2025"),
    ("va nån me pa mötet", "var någon med pa mötet"),
    ("tell me the budget", "tell me the budget"),
    ("avsatt t nya projekt", "avsatt till nya projekt"),
])
def test_more_phone_forms(text: str, written: str) -> None:
    assert expand_abbreviations(text) == written


def test_how_long_the_meeting_lasted(norrvik: Engine) -> None:
    reply = ask(norrvik, "hur lange holl motet 14 feb 2025 pa")
    assert reply.answered and says(reply, "09.00", "12.00")


def test_an_outcome_asked_beside_the_budget_is_not_the_budget(norrvik: Engine) -> None:
    reply = ask(norrvik, "kansli utfall 2027, blev det som budg?")
    assert not reply.answered


def test_the_next_meeting_after_a_day_without_a_year(norrvik: Engine) -> None:
    reply = ask(norrvik, "nästa mote efter 14 feb, nar o var blir det")
    assert reply.answered and says(reply, "2025-04-25")


@pytest.mark.parametrize(("text", "written"), [
    ("the plan for twenty twenty-three", "the plan for 2023"),
    ("the budget for two thousand and nineteen", "the budget for 2019"),
    ("twenty one members", "twenty one members"),  # a count, not a year
    ("twenty-five people", "twenty-five people"),
])
def test_a_year_in_english_words(text: str, written: str) -> None:
    assert expand_abbreviations(text) == written


def test_a_forbund_named_beside_a_line_is_where_to_look() -> None:
    """"statliga medel Härnösand": the förbund's name beside a line that holds no place is its scope,
    while beside "Arbetsmarknadstorget Härnösand" another place still names another one."""
    from handlers.understanding.lexicon import Entry, Lexicon

    lex = Lexicon()
    lex.add(Entry("organisation", 1, "Samordningsförbundet Härnösand – Timrå", 1))
    foreign = frozenset({"harnosand", "timra"})
    assert lex.qualifiers("Statlig medelstilldelning", foreign) == frozenset()
    assert lex.qualifiers("Arbetsmarknadstorget Härnösand", foreign) == foreign


@pytest.mark.parametrize(("text", "written"), [
    ("eget kap vid arsskiftet 18/19?", "eget kapital i slutet av 2018?"),
    ("equity at the turn of the year 2019/2020", "equity at the end of 2019"),
])
def test_the_turn_of_a_year_written_as_a_pair(text: str, written: str) -> None:
    assert expand_abbreviations(text) == written


@pytest.mark.parametrize(("text", "question"), [
    ("Quick one before my call with the auditors - who chaired the meeting?", "who chaired the meeting?"),
    ("Who chaired the meeting? Need it for a slide", "Who chaired the meeting?"),
    ("For the T2 report: what was the result?", "For the T2 report: what was the result?"),  # names which report
])
def test_the_askers_situation_is_no_part_of_the_question(text: str, question: str) -> None:
    from handlers.understanding.courtesy import question_of

    assert question_of(text) == question


@pytest.mark.parametrize(("text", "question"), [
    ("When did Bjurholm join the association, btw?", "When did Bjurholm join the association?"),
    ("Vart skickades yttrandet, förresten?", "Vart skickades yttrandet?"),
    ("Who chaired it, by the way?", "Who chaired it?"),
    ("What was decided, then and there?", "What was decided, then and there?"),  # 'there' asks where
    # A tag asks whether the statement holds; its "not" is the tag's.
    ("Staff costs ran over, weren't they? By how much?", "Staff costs ran over? By how much?"),
    ("Enter got 5 000 kr, didn't it?", "Enter got 5 000 kr?"),
    ("Budgeten höll, eller hur?", "Budgeten höll?"),
    ("Was it approved or not?", "Was it approved or not?"),
])
def test_an_afterthought_closing_the_question_asks_nothing(text: str, question: str) -> None:
    from handlers.understanding.courtesy import question_of

    assert question_of(text) == question


@pytest.mark.parametrize(("word", "swedish"), [
    ("employs", "arbetsgivare"), ("discussed", "diskuter"), ("participated", "delta"), ("closed", "slut"),
])
def test_an_english_verb_form_reads_as_its_base(word: str, swedish: str) -> None:
    from handlers.answers.passages import english_counterparts

    assert swedish in english_counterparts(word)
