"""People and attendance (issue 14, item 5) over the bundled sample förbund: a person's position
and organisation, who holds a position, who sat for a member body, whether someone took part in
a given §, in Swedish and English."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from handlers.assistant import Assistant
from handlers.messages import Message, Reply
from storage.db import open_engine
from storage.ingest.attendance import parse_vacancies
from storage.ingest.load import ingest_path
from tests.answer_store import SAMPLES, sample_store, says


@pytest.fixture(scope="module")
def norrvik(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    yield from sample_store(tmp_path_factory.mktemp("people"))


def ask(engine: Engine, text: str) -> Reply:
    return Assistant(engine).handle(Message(text=text, as_of=dt.date(2025, 7, 1)))



@pytest.mark.parametrize("question", ["Vilken roll har Rut Ahlgrind?", "What is Rut Ahlgrind's role?",
                                      "Vilken organisation kommer Rut Ahlgrind från?"])
def test_a_persons_position_and_organisation(norrvik: Engine, question: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and says(reply, "ekonom", "Norrviks kommun")


@pytest.mark.parametrize("question", ["Vem är verksamhetsutvecklare i förbundet?", "Who is the verksamhetsutvecklare?"])
def test_who_holds_a_position(norrvik: Engine, question: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and says(reply, "Jonatan Hällkvist")
    assert "Elsa Brännvall" not in reply.text  # the förbundschef holds another position


def test_a_position_no_one_holds_is_not_someone_else(norrvik: Engine) -> None:
    reply = ask(norrvik, "Vem är revisionsdirektör i förbundet?")
    assert not reply.answered


@pytest.mark.parametrize("question", ["Vem satt för Sjöbacka kommun på mötet 2025-02-14?",
                                      "Who sat for Sjöbacka kommun at the meeting on 14 February 2025?"])
def test_who_sat_for_a_member_body(norrvik: Engine, question: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and says(reply, "Petter Sjöling")
    assert "Tove Ekbacka" not in reply.text


@pytest.mark.parametrize(("question", "answer"), [
    ("Var Petter Sjöling med och beslutade i § 10 den 14 februari 2025?", "Nej"),
    ("Var Petter Sjöling med och beslutade i § 5 den 14 februari 2025?", "Ja"),
    ("Did Petter Sjöling take part in § 10 on 14 February 2025?", "No"),
])
def test_took_part_in_a_paragraph(norrvik: Engine, question: str, answer: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and reply.text.startswith(answer) and says(reply, "§ 1-8")


def test_the_forbund_named_is_not_its_member_body(norrvik: Engine) -> None:
    """"i Samordningsförbundet Norrvik" names the förbund, not its member Norrviks kommun."""
    reply = ask(norrvik, "Vem deltog digitalt på mötet i Samordningsförbundet Norrvik 2025-04-25?")
    assert reply.answered and says(reply, "Tove Ekbacka")


@pytest.mark.parametrize("question", ["Vem tjänstgjorde i stället för Harald Tjärnström den 14 februari 2025?",
                                      "Who stood in for Harald Tjärnström on 14 February 2025?"])
def test_who_served_in_a_members_place(norrvik: Engine, question: str) -> None:
    """Harald Tjärnström (Arbetsförmedlingen) was absent; Samir Ödlund, Arbetsförmedlingen's ersättare, served."""
    reply = ask(norrvik, question)
    assert reply.answered and says(reply, "Samir Ödlund")
    assert "Olof Myrberg" not in reply.text  # another member body's ersättare


@pytest.mark.parametrize(("question", "answer"), [
    ("Var Ingrid Vallmo ordförande vid mötet 14 februari 2025?", "Ja"),
    ("Was Tove Ekbacka the chair on 14 February 2025?", "No, not Tove Ekbacka"),
])
def test_whether_someone_held_a_role(norrvik: Engine, question: str, answer: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and reply.text.startswith(answer) and says(reply, "Ingrid Vallmo")


def test_vacant_seats_are_read_from_the_attendance_table() -> None:
    lines = ["Ledamöter:\tUtsedd av:\tBeslutande\tNärvaro", "Anna Berg (S)\tNorrviks kommun\tX\tX",
             "Vakant\tArbetsförmedlingen\t\t", "Ersättare:\tUtsedd av:\tBeslutande\tNärvaro",
             "Vakant\tRegion Norrland\t\t", "", "§ 1 Mötets öppnande"]
    assert parse_vacancies(lines) == [("ledamot", "Arbetsförmedlingen"), ("ersättare", "Region Norrland")]


@pytest.mark.parametrize(("question", "fragment"), [("Vem är Arbetsförmedlingens ledamot i styrelsen?", "vakant"),
                                                    ("Who is Arbetsförmedlingen's member on the board?", "vacant")])
def test_a_vacant_seat_is_said_to_be_vacant(tmp_path: Path, question: str, fragment: str) -> None:
    text = (SAMPLES / "norrvik_protokoll_2025-02-14.txt").read_text(encoding="utf-8")
    assert "Harald Tjärnström\tArbetsförmedlingen" in text
    protocol = tmp_path / "norrvik_protokoll_2025-02-14.txt"
    protocol.write_text(text.replace("Harald Tjärnström\tArbetsförmedlingen", "Vakant\tArbetsförmedlingen"),
                        encoding="utf-8")
    engine = open_engine(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        assert ingest_path(engine, protocol).ok
        reply = ask(engine, question)
        assert reply.answered and says(reply, fragment, "Samir Ödlund")  # its ersättare, said as such
        seats = ask(engine, "Which member body's seat was vacant on 14 February 2025?")
        assert seats.answered and says(seats, "vacant", "Arbetsförmedlingen") and "Ingrid Vallmo" not in seats.text
    finally:
        engine.dispose()


@pytest.mark.parametrize(("question", "answer"), [
    # § 10 Information/rapporter; Petter Sjöling (Sjöbacka kommun) decided in §§ 1-8 only.
    ("Deltog Petter Sjöling i beslutet om planen för intern kontroll 2025?", "Ja"),  # § 8
    ("Did Petter Sjöling take part in the decision on the internal control plan for 2025?", "Yes"),
])
def test_took_part_in_a_decision_named_by_its_topic(norrvik: Engine, question: str, answer: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and reply.text.startswith(answer) and says(reply, "§ 8")


def test_a_topic_no_paragraph_holds_is_no_yes_or_no(norrvik: Engine) -> None:
    """Present only at §§ 1-8: without knowing the §, neither yes nor no."""
    reply = ask(norrvik, "Deltog Petter Sjöling i beslutet om fikat den 14 februari 2025?")
    assert not reply.answered and not reply.text.startswith(("Ja.", "Nej."))


def test_who_left_at_a_time(norrvik: Engine) -> None:
    reply = ask(norrvik, "Vem gick från mötet klockan 11.15 den 25 april 2025?")
    assert reply.answered and says(reply, "Harald Tjärnström")


@pytest.mark.parametrize("question", ["Var det någon som gick tidigare från mötet den 25 april 2025?",
                                      "Vem gick i förtid från mötet 25 april 2025?"])
def test_who_left_early_with_a_word_between(norrvik: Engine, question: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and says(reply, "Harald Tjärnström")


def test_a_position_asked_in_english(norrvik: Engine) -> None:
    reply = ask(norrvik, "Who is the economist?")
    assert reply.answered and says(reply, "Rut Ahlgrind")


@pytest.mark.parametrize("question", ["Who represented Sjöbacka at the meeting on 14 February 2025?",
                                      "Vem satt för Sjöbacka den 14 februari 2025?"])
def test_a_member_named_by_its_place_alone(norrvik: Engine, question: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and says(reply, "Petter Sjöling")
    assert "Ingrid Vallmo" not in reply.text  # not everyone in the list


@pytest.mark.parametrize("question", ["Vilka övriga deltog på mötet 14 februari 2025?",
                                      "Who else was present at the meeting on 14 February 2025 (other participants)?"])
def test_others_present_are_not_the_members(norrvik: Engine, question: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and says(reply, "Rut Ahlgrind", "Jonatan Hällkvist")
    assert "Ingrid Vallmo" not in reply.text


def test_no_one_said_to_be_new_is_no_list_of_members(norrvik: Engine) -> None:
    reply = ask(norrvik, "Vem var ny ledamot vid mötet 2025-02-14?")
    assert not reply.answered and "Ingrid Vallmo" not in reply.text


@pytest.mark.parametrize("question", ["Which members did not attend on 14 February 2025?",
                                      "Vilka ledamöter deltog inte den 14 februari 2025?"])
def test_who_did_not_attend(norrvik: Engine, question: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and says(reply, "Harald Tjärnström")
    assert "Ingrid Vallmo" not in reply.text


def test_the_member_for_a_body_is_its_ledamot(norrvik: Engine) -> None:
    reply = ask(norrvik, "Who is the member for Försäkringskassan?")
    assert reply.answered and says(reply, "Tove Ekbacka") and "Kerstin Alvhage" not in reply.text


@pytest.mark.parametrize("question", ["Who represents the Swedish Social Insurance Agency?",
                                      "Vem representerar Försäkringskassan?"])
def test_a_member_body_by_its_english_name(norrvik: Engine, question: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and says(reply, "Tove Ekbacka") and "Ingrid Vallmo" not in reply.text


@pytest.mark.parametrize("question", ["Vem representerar regionen?", "Who represents the region on the board?"])
def test_the_region_is_the_forbunds_one_region(norrvik: Engine, question: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and says(reply, "Astrid Fjällmark") and "Ingrid Vallmo" not in reply.text


def test_how_many_people_is_a_count_of_people_not_of_meetings(norrvik: Engine) -> None:
    reply = ask(norrvik, "How many people were at the meeting on 25 April 2025?")
    assert reply.answered and says(reply, "Ingrid Vallmo") and "meetings" not in reply.text


@pytest.mark.parametrize(("question", "fragment"), [("Vem ersatte Tjärnström den 14 februari 2025?", "Samir Ödlund"),
                                                    ("Vilken roll har Ahlgrind?", "ekonom")])
def test_a_person_named_by_surname_alone(norrvik: Engine, question: str, fragment: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and says(reply, fragment)


def test_how_many_were_beslutande_counts_those_deciding(norrvik: Engine) -> None:
    reply = ask(norrvik, "Hur många var beslutande den 14 februari 2025?")
    assert reply.answered and "Elsa Brännvall" not in reply.text  # the förbundschef attends, does not decide


@pytest.mark.parametrize("question", ["Vilka har kommunerna utsett till styrelsen?",
                                      "Who represents the municipalities on the board?"])
def test_the_municipalities_as_a_group(norrvik: Engine, question: str) -> None:
    reply = ask(norrvik, question)
    assert reply.answered and says(reply, "Ingrid Vallmo", "Petter Sjöling")
    assert "Tove Ekbacka" not in reply.text and "Astrid Fjällmark" not in reply.text


def test_people_answers_on_each_database(engine: Engine) -> None:
    """The store's positions, § ranges and vacancies read the same on SQLite and PostgreSQL."""
    for path in sorted(SAMPLES.glob("norrvik_protokoll_*.txt")):
        assert ingest_path(engine, path).ok
    for question, fragment in [("Vilken roll har Rut Ahlgrind?", "ekonom"),
                               ("Who is the verksamhetsutvecklare?", "Jonatan Hällkvist"),
                               ("Vem tjänstgjorde i stället för Harald Tjärnström den 14 februari 2025?", "Samir Ödlund"),
                               ("Did Petter Sjöling take part in § 10 on 14 February 2025?", "No")]:
        reply = ask(engine, question)
        assert reply.answered and says(reply, fragment), question


def test_after_a_paragraph_is_the_next_one(norrvik: Engine) -> None:
    """Present at §§ 1-8: he left after § 8, and was not there after it."""
    reply = ask(norrvik, "Vem lämnade mötet efter § 8 den 14 februari 2025?")
    assert reply.answered and says(reply, "Petter Sjöling") and "• Olof Myrberg" not in reply.text
    reply = ask(norrvik, "Var Petter Sjöling med efter § 8 den 14 februari 2025?")
    assert reply.answered and reply.text.startswith("Nej") and says(reply, "§ 9")


def test_a_subject_inside_the_verb_phrase_and_the_whole_meeting(norrvik: Engine) -> None:
    # "gick Petter Sjöling från": the cue "gick från" with the name between its words.
    reply = ask(norrvik, "Vilken tid gick Harald Tjärnström från mötet den 25 april 2025?")
    assert reply.answered and says(reply, "11.15")
    reply = ask(norrvik, "Vilken tid gick Petter Sjöling från mötet den 25 april 2025?")
    assert not reply.answered  # the list says nothing of his leaving
    reply = ask(norrvik, "Var Petter Sjöling med på hela mötet den 14 februari 2025?")
    assert reply.answered and reply.text.startswith("Nej") and says(reply, "§ 1-8")


def test_the_last_meeting_held_without_minutes_in_the_store_is_not_an_older_one(norrvik: Engine) -> None:
    """§ 36 of 2025-06-13 sets the next meeting for 12 September: asked after it, "förra mötet" is that
    meeting, whose minutes the store lacks, not June's."""
    def asked_on(day: dt.date) -> Reply:
        message = Message(text="Vem justerade protokollet från förra mötet?", as_of=day, organisation_hint="Norrvik")
        return Assistant(norrvik).handle(message)

    before = asked_on(dt.date(2025, 8, 1))
    assert before.answered and says(before, "2025-06-13")
    after = asked_on(dt.date(2025, 9, 20))
    assert not after.answered and says(after, "2025-09-12", "2025-06-13")


def test_how_each_voted_is_not_recorded_and_every_member_had_someone_deciding(norrvik: Engine) -> None:
    reply = ask(norrvik, "Hur röstade Petter Sjöling i § 5 den 14 februari 2025?")
    assert not reply.answered and not reply.text.startswith(("Ja", "Nej"))
    # Harald Tjärnström (Arbetsförmedlingen) was away, but his ersättare Samir Ödlund decided.
    reply = ask(norrvik, "Vilken medlem saknade beslutande representant på mötet 14 februari 2025?")
    assert reply.answered and says(reply, "Alla medlemmar") and "Arbetsförmedlingen" not in reply.text


def test_a_member_body_taking_part_in_a_decision_named_by_its_topic(norrvik: Engine) -> None:
    """Sjöbacka kommun's ledamot decided §§ 1-8 and its ersättare §§ 9-11 on 14 February 2025."""
    reply = ask(norrvik, "Deltog Sjöbacka kommun i beslutet i § 10 den 14 februari 2025?")
    assert reply.answered and reply.text.startswith("Ja") and says(reply, "Olof Myrberg")
    reply = ask(norrvik, "Vem var justerare den 25 april 2025 och vilken kommun utsåg honom?")
    assert reply.answered and says(reply, "Petter Sjöling", "Sjöbacka kommun")


def test_who_signed_the_minutes_names_each_signing_role(norrvik: Engine) -> None:
    reply = ask(norrvik, "Vilka har skrivit under protokollet från 25 april 2025?")
    assert reply.answered and says(reply, "Petter Sjöling", "justerare", "ordförande")


def test_what_a_coming_meeting_takes_up_is_what_a_paragraph_sets_for_its_day(norrvik: Engine) -> None:
    # § 20 of 25 April: "Att arbetet redovisas vid sammanträdet 12 september."
    reply = ask(norrvik, "Vad ska tas upp på mötet den 12 september?")
    assert reply.answered and says(reply, "§ 20", "hemsida")


def test_auditors_are_those_the_protocol_names_as_such_not_everyone_near_the_word(norrvik: Engine) -> None:
    # § of 14 February: "… överlämna den till revisorerna …. Förbundets ekonom Rut Ahlgrind redogör …":
    # the ekonom is named in another sentence, and no one present is an auditor.
    reply = ask(norrvik, "Vilka revisorer var med på mötet 14 februari 2025?")
    assert not reply.answered and "Rut Ahlgrind" not in reply.text


@pytest.mark.parametrize(("question", "first", "second"), [
    ("Samir Ödlund var med den 14 februari 2025, är han ordinarie ledamot? Var han beslutande?", "Nej", "Ja"),
    ("Samir Ödlund was at the meeting on 14 February 2025, is he a member of the board? Did he vote?", "No", "Yes"),
])
def test_several_yes_no_questions_of_one_person_are_each_answered(norrvik: Engine, question: str, first: str,
                                                                   second: str) -> None:
    # The seat asked (ledamot) is not the one he holds (ersättare); he decided all the same.
    reply = ask(norrvik, question)
    lines = reply.text.splitlines()
    assert reply.answered and lines[0].startswith(first) and lines[1].startswith(second)
    assert says(reply, "Arbetsförmedlingen")


def test_whether_someone_holds_a_seat_is_a_yes_or_no(norrvik: Engine) -> None:
    reply = ask(norrvik, "Är Petter Sjöling ledamot?")
    assert reply.answered and reply.text.startswith("Ja") and says(reply, "Sjöbacka kommun")
    reply = ask(norrvik, "Is Olof Myrberg an ordinary member?")
    assert reply.answered and reply.text.startswith("No") and says(reply, "substitute")


def test_who_informed_the_board_names_those_the_minutes_say_informed(norrvik: Engine) -> None:
    # "informerade" asks who reported to the board: not the meeting itself, nor everyone present.
    reply = ask(norrvik, "Vilka informerade på mötet den 14 februari 2025?")
    assert reply.answered and says(reply, "Samir Ödlund")
    assert "Ingrid Vallmo" not in reply.text


def test_who_sat_in_for_a_member_whose_ledamot_decided_is_that_ledamot(norrvik: Engine) -> None:
    reply = ask(norrvik, "Who sat in for Region Norrland at the meeting on 14 February 2025?")
    assert reply.answered and says(reply, "Astrid Fjällmark") and "Lina Granbäck" not in reply.text


@pytest.fixture(scope="module")
def vatterbygden_and_jamtland(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """Two seed protocols: one records a new member's appointment, the other a vacant seat."""
    seeds = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
    engine = open_engine(f"sqlite:///{tmp_path_factory.mktemp('seeds') / 'store.db'}")
    for name in ("000_4572de28977e8b68.txt", "001_372b7140a8d328ab.txt"):
        ingest_path(engine, seeds / name)
    yield engine
    engine.dispose()


@pytest.mark.parametrize("question", ["Vem utsåg Christer Sjöberg till ledamot?", "Who appointed Christer Sjöberg?"])
def test_who_appointed_someone_is_the_body_the_paragraph_records(vatterbygden_and_jamtland: Engine,
                                                                  question: str) -> None:
    # The § that records the appointing body's decision, not the § that welcomed him.
    reply = ask(vatterbygden_and_jamtland, question)
    assert reply.answered and says(reply, "§ 5", "KF Jönköpings kommun")


@pytest.mark.parametrize("question", ["AF:s ledamotsplats var vakant i juni 2021, vem tjänstgjorde för dem?",
                                      "Arbetsförmedlingen's seat was vacant in June 2021 - who stood in for them?"])
def test_who_served_for_a_vacant_seat_is_asked_not_the_vacancy(vatterbygden_and_jamtland: Engine,
                                                               question: str) -> None:
    reply = ask(vatterbygden_and_jamtland, question)
    assert reply.answered and says(reply, "Ola Kereby", "7-10")


def test_whether_a_member_was_there_at_a_paragraph_is_a_yes_or_no(norrvik: Engine) -> None:
    # Sjöbacka kommun's ledamot decided §§ 1-8 only, its ersättare §§ 9-11.
    reply = ask(norrvik, "Var Sjöbacka kommun med när § 5 togs upp den 14 februari 2025?")
    assert reply.answered and reply.text.startswith("Ja") and says(reply, "Petter Sjöling")
