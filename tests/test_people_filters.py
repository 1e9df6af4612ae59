"""People questions that constrain the list (issue 14, item 5) over two real seeds: a negation
("inte beslutande"), a group of members ("kommunledamöter"), a member body owning a seat
("Bräckes ersättare"), and "participants" of an insats, which no attendance list gives."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from handlers.assistant import Assistant
from handlers.messages import Message, Reply
from storage.db import open_engine
from storage.ingest.load import ingest_path

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
JAMTLAND = SEEDS / "000_4572de28977e8b68.txt"  # attendance table 2021-06-11: X in "Beslutande" for some
VATTERBYGDEN = SEEDS / "001_372b7140a8d328ab.txt"  # one ersättare listed (Region Jönköpings län)

NOT_DECIDING = ("Daniel Arvastsson", "Lars-Gunnar Nordlander", "Håkan Lindström", "Björn Nilsson", "Magnus Rönnerfjäll")
DECIDING_KOMMUN = ("Barbro Norberg", "Andreas Karlsson", "Karin Näsmark")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    if not JAMTLAND.exists():
        pytest.skip("the shared seeds are not here")
    engine = open_engine(f"sqlite:///{tmp_path_factory.mktemp('people') / 'store.db'}")
    for path in (JAMTLAND, VATTERBYGDEN):
        assert ingest_path(engine, path).ok
    yield engine
    engine.dispose()


def ask(engine: Engine, text: str) -> Reply:
    return Assistant(engine).handle(Message(text=text, as_of=dt.date(2021, 12, 1)))


@pytest.mark.parametrize("question", ["Vilka ordinarie ledamöter i Jämtland var inte beslutande den 11 juni 2021?",
                                      "Which members in Jämtland were not voting on 11 June 2021?"])
def test_not_deciding_lists_those_without_a_vote(store: Engine, question: str) -> None:
    reply = ask(store, question)
    assert reply.answered and all(n in reply.text for n in NOT_DECIDING)
    assert not any(n in reply.text for n in DECIDING_KOMMUN)


def test_kommunledamoter_are_those_appointed_by_a_kommun(store: Engine) -> None:
    reply = ask(store, "Vilka kommunledamöter var beslutande i Jämtland i juni 2021?")
    assert reply.answered and all(n in reply.text for n in DECIDING_KOMMUN)
    assert "Cristine Persson" not in reply.text  # appointed by the region
    assert "Annika Källgård" not in reply.text  # appointed by Försäkringskassan


def test_a_member_bodys_seat_is_filtered_by_that_body(store: Engine) -> None:
    reply = ask(store, "Bräckes ersättare i Jämtlands styrelse, vem är det?")
    assert reply.answered and "Ingrid Kjelsson" in reply.text and "Maria Nerpin" not in reply.text
    none = ask(store, "Habos ersättare i Södra Vätterbygden, vem är det?")
    assert not none.answered and "Elisabeth Wahlström" not in none.text  # the region's, not Habo's


@pytest.mark.parametrize("question", ["How many participants has Jobbcenter 2.0 had?",
                                      "Hur många deltagare har Jobbcenter 2.0 haft?"])
def test_participants_of_an_insats_are_not_a_meetings_attendance(store: Engine, question: str) -> None:
    reply = ask(store, question)
    assert not reply.answered and "Cristine Persson" not in reply.text


def test_someone_from_a_member_body_is_found_by_its_place(store: Engine) -> None:
    reply = ask(store, "Was anyone from Habo at the Södra Vätterbygden meeting in November 2020?")
    assert reply.answered and "Hans Jarstig" in reply.text and "Klas Rydell" not in reply.text


def test_the_paragraphs_someone_was_away_from(store: Engine) -> None:
    reply = ask(store, "AF:s ersättare i Jämtland, från vilken § var han med?")
    assert reply.answered and "Ola Kereby" in reply.text and "7-10" in reply.text


@pytest.mark.parametrize("question", [
    "Var Maria Engberg med och beslutade under hela mötet i Södra Vätterbygden den 16 november 2020?",
    "Maria Engberg, var hon med under hela mötet i Södra Vätterbygden den 16 november 2020?"])
def test_present_for_some_paragraphs_is_no_to_the_whole_meeting(store: Engine, question: str) -> None:
    reply = ask(store, question)
    assert reply.answered and reply.text.startswith("Nej") and "1-8" in reply.text


HARNOSAND = SEEDS / "003_6cc3578967e8fc81.txt"  # Lotta Qvarnlöf: "Avvek kl. 12.00 och deltog ej vid §125-138"


@pytest.fixture(scope="module")
def harnosand(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    if not HARNOSAND.exists():
        pytest.skip("the shared seeds are not here")
    engine = open_engine(f"sqlite:///{tmp_path_factory.mktemp('harnosand') / 'store.db'}")
    assert ingest_path(engine, HARNOSAND).ok
    yield engine
    engine.dispose()


@pytest.mark.parametrize(("question", "paragraph"), [
    ("Var Lotta Qvarnlöf med när sammanträdesplanen för 2024 fastställdes?", "§ 133"),
    ("Var Lotta Qvarnlöf med när styrelsen godkände risk- och väsentlighetsanalysen?", "§ 131")])
def test_a_decision_named_by_what_it_did_is_its_paragraph(harnosand: Engine, question: str, paragraph: str) -> None:
    reply = ask(harnosand, question)
    assert reply.answered and reply.text.startswith("Nej") and paragraph in reply.text


def test_away_from_which_paragraph(harnosand: Engine) -> None:
    reply = ask(harnosand, "Vem gick tidigt från mötet och från vilken paragraf var hon borta?")
    assert reply.answered and "Lotta Qvarnlöf" in reply.text and "125" in reply.text


@pytest.mark.parametrize("question", ["vaggeryds ersättare?", "vem e vaggeryd ledamot", "who sits for vaggeryd?"])
def test_a_member_typed_in_lower_case_without_a_seat_is_said_to_have_none(store: Engine, question: str) -> None:
    # Vaggeryds kommun pays a contribution (the budget) but has no one in the 2020-11-16 list: the
    # region's ersättare, the only one listed, is not its ersättare.
    reply = ask(store, f"{question} Södra Vätterbygden")
    assert not reply.answered and "Vaggeryds kommun" in reply.text and "Elisabeth Wahlström" not in reply.text


def test_a_member_named_like_its_forbund_is_the_member(harnosand: Engine) -> None:
    reply = ask(harnosand, "vem sitter för Timrå kommun?")
    assert reply.answered and "Lars Kempe" in reply.text and "Monica Fällström" not in reply.text


def test_a_member_of_several_forbund_with_none_named_asks_which(store: Engine) -> None:
    reply = ask(store, "vem representerar Försäkringskassan i styrelsen?")
    assert not reply.answered and "Jämtlands län" in reply.text and "Södra Vätterbygden" in reply.text


@pytest.mark.parametrize("question", ["vilka ansökningar kom från Timrå?", "vilka projekt kom från Timrå kommun?"])
def test_which_things_from_a_member_are_not_its_people(harnosand: Engine, question: str) -> None:
    reply = ask(harnosand, question)
    assert "Lars Kempe" not in reply.text and "Monica Fällström" not in reply.text
