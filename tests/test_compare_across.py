"""One figure compared across förbund: each förbund's own line (named differently in each table),
the same kind and year on both sides, both cited; a förbund without such a line is said to lack it."""

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
JAMTLAND = SEEDS / "000_4572de28977e8b68.txt"  # tertial 2021-04-30: Bidrag Försäkringskassan budget 2021 4 251 tkr
VATTERBYGDEN = SEEDS / "001_372b7140a8d328ab.txt"  # budget 2021: Försäkringskassan 3 674 000 kr, no personnel line
HARNOSAND = SEEDS / "003_6cc3578967e8fc81.txt"  # §§ 120-123: four grants, 1 950 000 kr


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    if not JAMTLAND.exists():
        pytest.skip("the shared seeds are not here")
    engine = open_engine(f"sqlite:///{tmp_path_factory.mktemp('across') / 'store.db'}")
    for path in (JAMTLAND, VATTERBYGDEN, HARNOSAND):
        assert ingest_path(engine, path).ok
    yield engine
    engine.dispose()


def ask(engine: Engine, text: str) -> Reply:
    return Assistant(engine).handle(Message(text=text))


@pytest.mark.parametrize("question", [
    "Hur mycket mer betalar Försäkringskassan till Jämtland än till Södra Vätterbygden 2021?",
    "How much more does Försäkringskassan pay to Jämtland than to Södra Vätterbygden in 2021?",
    "skillnad mellan fk:s bidrag till jamtland och sodra vatterbygden 2021",
])
def test_the_same_member_in_two_forbund_is_compared_line_by_line(store: Engine, question: str) -> None:
    reply = ask(store, question)
    assert reply.answered and says(reply, "4 251 000", "3 674 000", "577 000")
    cited = {s.organisation for s in reply.sources}
    assert cited == {"Samordningsförbundet i Jämtlands län", "Samordningsförbundet Södra Vätterbygden"}


def test_costs_written_with_opposite_signs_compare_by_size(store: Engine) -> None:
    # Jämtland writes its costs negative (−9 138 tkr), Södra Vätterbygden positive (8 742 900 kr).
    reply = ask(store, "Vilket förbund har högst kostnader 2021, Jämtland eller Södra Vätterbygden?")
    assert reply.answered and says(reply, "Jämtland", "9 138 000", "8 742 900", "395 100")


def test_a_forbund_without_the_line_is_not_compared_with_another_line(store: Engine) -> None:
    reply = ask(store, "Jämför personalkostnaderna 2021 i Jämtland med Södra Vätterbygdens")
    assert not reply.answered
    assert says(reply, "Södra Vätterbygden") and not says(reply, "8 742 900")


def test_grants_to_efforts_is_the_line_itself_not_the_grants_made(store: Engine) -> None:
    # "grants to efforts" is the English of the line Bidrag till insatser: budget 2021 -6 400, prognos -5 400 tkr.
    reply = ask(store, "How big is the difference between budget and forecast for grants to efforts 2021 in Jämtland?")
    assert reply.answered and says(reply, "6 400 000", "5 400 000", "1 000 000") and not says(reply, "1 776 000")


def test_the_grants_of_a_meeting_as_a_share_of_the_years_budget_say_their_periods(store: Engine) -> None:
    reply = ask(store, "Hur stor andel av Jämtlands budget för bidrag till insatser 2021 utgör insatserna som "
                       "beviljades 11 juni 2021?")
    assert reply.answered and says(reply, "1 776 000", "6 400 000", "27,8 %", "2022-12-31")


@pytest.mark.parametrize("question", [
    "Hur mycket över Nationella rådets rekommenderade nivå ligger Jämtlands prognos för eget kapital 2021?",
    "Med hur mycket beräknas Jämtlands eget kapital överstiga Nationella rådets rekommendation vid utgången av 2021?",
])
def test_a_ceiling_named_by_a_later_word_of_the_phrase(store: Engine, question: str) -> None:
    reply = ask(store, question)
    # prognos 2021 5 064 tkr, Rekommenderat högsta eget kapital 1 625 tkr
    assert reply.answered and says(reply, "5 064 000", "1 625 000", "3 439 000")


@pytest.mark.parametrize("question", ["Vilket förbund beviljade mest pengar till insatser?",
                                      "Hur många insatser har beviljats totalt i alla förbund?"])
def test_grants_across_every_forbund_each_on_its_own_line(store: Engine, question: str) -> None:
    reply = ask(store, question)
    assert reply.answered and says(reply, "Härnösand – Timrå: 4 (fyra) insatser, 1 950 000 kr",
                                   "Jämtlands län: 2 (två) insatser, 1 776 000 kr", "6 (sex) insatser")


def test_grants_of_several_forbund_are_not_added_up_unasked(store: Engine) -> None:
    reply = ask(store, "Hur mycket har beviljats sammanlagt?")
    assert not reply.answered and not says(reply, "3 726 000")


def test_a_line_named_by_the_one_word_only_it_holds(store: Engine) -> None:
    # "insatser" is only in Bidrag till insatser: budget 2021 -6 400 tkr, prognos 2021 -5 400 tkr.
    reply = ask(store, "Hur mycket mindre än budgeterat beräknas gå till insatser 2021 i Jämtland?")
    assert reply.answered and says(reply, "6 400 000", "5 400 000", "1 000 000")


def test_which_grant_got_least_is_about_grants_not_the_line(store: Engine) -> None:
    reply = ask(store, "Vilken insats fick minst pengar i Jämtland?")
    assert reply.answered and says(reply, "Yrkesinriktad svenska", "786 000") and not says(reply, "6 400")
