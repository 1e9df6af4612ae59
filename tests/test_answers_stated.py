"""Facts a report states in prose (how many took part, what something costs, what share), on
SQLite and PostgreSQL: quoted with their source only from a sentence holding the value asked, the
counted thing beside its number, every topic word and the year asked; else no answer."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from handlers.assistant import Assistant
from handlers.messages import Message, Reply
from storage.models import BudgetFigure, Document, Organisation
from tests.answer_store import says

REPORT = """TERTIALRAPPORT
2025-04-30

Steget vidare

Verksamheten har fortlöpt enligt plan. I slutet av april hade vi totalt 42 deltagare inskrivna i projektet (30 kvinnor och 12 män). Under perioden har 9 deltagare avslutats efter i snitt 5 månader.

Språkcaféet

Språkcaféet har startat i nya lokaler. Vid varje träff kommer ett tjugotal besökare. Förra året hade caféet 8 volontärer.

Coachning

Styrelsen diskuterade en halvtidscoach. Minst 20 medarbetare ska gå utbildningen i coachning. Kostnaden för en halvtidscoach 2025 uppgår till cirka 250 tkr. Förbundschefen arbetar 75 % av heltid.
"""


def report_store(engine: Engine, text: str) -> Assistant:
    """One förbund whose only document is a tertial report with `text`."""
    with Session(engine) as s:
        org = Organisation(name="Samordningsförbundet Älvdalen")
        s.add(org)
        s.flush()
        assert org.id
        s.add(Document(organisation_id=org.id, kind="tertialrapport", title="Tertialrapport januari – april 2025",
                       file_name="t1.txt", content_hash="f" * 64, text=text))
        s.commit()
    return Assistant(engine)


@pytest.fixture
def assistant(engine: Engine) -> Assistant:
    return report_store(engine, REPORT)


def ask(assistant: Assistant, text: str) -> Reply:
    return assistant.handle(Message(text=text, as_of=dt.date(2025, 9, 1)))


def test_a_count_stated_in_a_report_is_quoted_with_its_source(assistant: Assistant) -> None:
    reply = ask(assistant, "Hur många kvinnor var inskrivna i Steget vidare i slutet av april?")
    assert reply.answered, reply.text
    assert "30 kvinnor" in reply.text
    assert any("Tertialrapport" in s.label() for s in reply.sources)


def test_an_amount_and_a_share_stated_in_prose(assistant: Assistant) -> None:
    cost = ask(assistant, "Vad kostar en halvtidscoach ungefär 2025?")
    assert cost.answered and "250 tkr" in cost.text, cost.text
    share = ask(assistant, "Hur stor andel av heltid arbetar förbundschefen?")
    assert share.answered and "75 %" in share.text, share.text


def test_a_number_beside_another_thing_is_no_count_of_what_was_asked(assistant: Assistant) -> None:
    # "9 deltagare avslutats" counts no men, and "5 månader" are no "män".
    assert not ask(assistant, "Hur många män avslutades i Steget vidare?").answered
    # The 42 deltagare are Steget vidare's: the heading above them names it, not Språkcaféet.
    assert not ask(assistant, "Hur många deltagare var inskrivna i Språkcaféet?").answered


def test_a_difference_is_no_amount_unless_a_difference_is_asked(engine: Engine) -> None:
    assistant = report_store(engine, "TERTIALRAPPORT\n2025-04-30\n\nCoachning\n\nInsatsägaren har meddelat att "
                                     "coachningen inte tar ut hela det beviljade beloppet, utan det blir ca 20 000 kr "
                                     "mindre.\n")
    # "20 000 kr mindre" says by how much less, not how much was granted.
    assert not ask(assistant, "Hur mycket beviljades coachningen?").answered
    assert not ask(assistant, "How much was the coaching originally granted?").answered
    reply = ask(assistant, "Hur mycket mindre tar coachningen ut än beviljat?")
    assert reply.answered and "20 000 kr" in reply.text, reply.text


def test_a_goal_is_no_count_of_what_was_done(assistant: Assistant) -> None:
    assert not ask(assistant, "Hur många medarbetare har gått utbildningen i coachning?").answered


def test_a_value_of_another_year_is_no_answer(assistant: Assistant) -> None:
    assert not ask(assistant, "Vad kostar en halvtidscoach 2026?").answered


def test_a_question_that_names_no_grant_is_not_echoed_as_one(assistant: Assistant) -> None:
    reply = ask(assistant, "Hur mycket pengar fick de som jobbar med unga vuxna i år?")
    assert not reply.answered
    assert "heter" not in reply.text and "unga vuxna" not in reply.text, reply.text



GROUPS = """TERTIALRAPPORT 2025-04-30

Lokala samverkansgrupper

De lokala samverkansgrupperna utgör en struktur för gemensamt lärande mellan parterna. Handläggarforum del 2 hölls i mars med fördjupning i brukarmedverkan.
"""


@pytest.fixture
def groups(engine: Engine) -> Assistant:
    return report_store(engine, GROUPS)


def test_a_quotation_with_another_number_is_no_count_of_what_was_asked(groups: Assistant) -> None:
    # The passage speaks of the groups and holds a number ("del 2"), but counts no groups.
    reply = ask(groups, "Hur många lokala samverkansgrupper finns det?")
    assert not reply.answered, reply.text


def test_each_part_of_a_two_part_question_has_its_own_figure(engine: Engine) -> None:
    """"What was the total, and by how much underbalanced?": the total from the budget table, the
    shortfall from the sentence that states it; not that sentence alone (it holds no total)."""
    with Session(engine) as s:
        org = Organisation(name="Samordningsförbundet Älvdalen")
        s.add(org)
        s.flush()
        assert org.id
        plan = Document(organisation_id=org.id, kind="verksamhetsplan", title="Verksamhetsplan 2025",
                        file_name="plan.txt", content_hash="a" * 64,
                        text="VERKSAMHETSPLAN 2025\n\nEkonomi\n\nÅrets intäkter har budgeterats till 3 600 tkr, "
                             "vilket innebär att budgeten underbalanseras med totalt 500 tkr.\n")
        s.add(plan)
        s.flush()
        assert plan.id
        for line, section, amount in (("Kostnader totalt", "kostnader", 4_100_000),
                                      ("Summa intäkter", "intäkter", 3_600_000)):
            s.add(BudgetFigure(organisation_id=org.id, year=2025, kind="budget", section=section, line=line,
                               amount=amount, document_id=plan.id))
        s.commit()
    assistant = Assistant(engine)
    for question in ("Budget 2025: vad är kostnader totalt, och hur mycket underbalanseras budgeten?",
                     "Älvdalen budget 2025 - what are the total costs, and by how much is it underbalanced?"):
        reply = ask(assistant, question)
        assert reply.answered and says(reply, "4 100 000", "500 tkr"), reply.text


def test_an_amount_granted_is_not_answered_by_a_cost_beside_a_sentence_on_funding(engine: Engine) -> None:
    # The board has not decided any funding; the amount stated is what a psychologist would cost.
    assistant = report_store(engine, "TERTIALRAPPORT\n2025-04-30\n\nPsykolog\n\nNågon finansiering för psykolog har "
                                     "styrelsen inte beslutat. Kostnaden för en halvtidspsykolog uppgår till cirka "
                                     "300 tkr.\n")
    assert not ask(assistant, "How much did the board grant for the psychologist?").answered
    cost = ask(assistant, "Hur mycket kostar en halvtidspsykolog?")
    assert cost.answered and says(cost, "300 tkr")
