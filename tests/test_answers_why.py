"""What was decided on a topic or at a meeting, answered from the paragraphs themselves, on
SQLite and PostgreSQL: a decision is quoted only from a § whose title or decision holds the
topic; a topic mentioned in passing is no decision on it; a meeting's decisions are listed."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from handlers.assistant import Assistant
from handlers.messages import Message, Reply
from storage.models import Attendance, Document, Paragraph, Person, Protocol
from storage.search import paragraph_search_text
from tests.answer_store import one_protocol, says


@pytest.fixture
def assistant(engine: Engine) -> Assistant:
    with Session(engine) as s:
        org, doc, protocol = one_protocol(s, dt.date(2025, 5, 16))
        assert org.id and doc.id
        for number, title, body, decision in (
            (3, "Hemsidan", "Förbundschefen redovisar två erbjudanden om drift av hemsidan.",
             "Att flytta hemsidan till kommunens plattform."),
            (4, "Information", "Förbundschefen informerar om årsmötet. Bildspelet finns på förbundets webbplats.",
             "Att lägga informationen till handlingarna."),
            (5, "Ansökan – Steget vidare", "Kommunen ansöker om medel till insatsen Steget vidare.",
             "Att bevilja finansiellt stöd enligt ansökan med 100 000 kronor."),
            (6, "Tjänsten som verksamhetsutvecklare", "Extern utannonsering bedöms inte nödvändig.",
             "Att ge arbetsutskottet mandat att rekrytera."),
            (7, "Ansökan – Nya vägar", "Kommunen ansöker om medel till insatsen Nya vägar. Kommunstyrelsen har "
             "utsett Maria Berg till kontaktperson för insatsen.", "Att bevilja finansiellt stöd med 50 000 kronor."),
            (8, "Ansökan – Språkstegen", "Kalle Ek gör en muntlig dragning av kommunens ansökan om Språkstegen.",
             "Att bevilja finansiellt stöd med 80 000 kronor."),
            (9, "Meddelanden", "- a) Slutrapport projekt Bryggan\n- b) Avtal om lokaler\n- c) Uppdragsavtal projekt "
             "Kompassen", None),
            # A discussion in which nothing was refused.
            (10, "Finansiering av coach – diskussion", "Styrelsen diskuterar om en coach ska finansieras. Det kan "
             "finnas skäl att säga ja och nej i frågan.", None),
            # A short item heading the prose under it, not an item of a list.
            (11, "Ekonomi", "- Budgetuppföljning\nFörbundschefen visar ekonomirapporten.\nInsatsägaren till "
             "Ledstången har meddelat att de inte kommer att ta ut hela det beviljade beloppet.", None),
        ):
            s.add(Paragraph(document_id=doc.id, organisation_id=org.id, protocol_id=protocol.id, number=number,
                            title=title, body=body, decision=decision,
                            search_text=paragraph_search_text(org.id, title, body, decision)))
        # An earlier meeting: a long final report whose goals are stated last, and a motion.
        march_doc = Document(organisation_id=org.id, kind="protokoll", file_name="alv-mars.txt",
                             content_hash="f" * 64, text="…")
        s.add(march_doc)
        s.flush()
        assert march_doc.id
        march = Protocol(document_id=march_doc.id, organisation_id=org.id, meeting_date=dt.date(2025, 3, 14),
                         version_hash="f" * 64)
        s.add(march)
        s.flush()
        report = " ".join(f"Under {month} har insatsen arbetat vidare med kartläggning av deltagarnas behov och "
                          f"med samverkan mellan parterna." for month in ("januari", "februari", "mars", "april",
                                                                          "maj", "juni", "augusti", "september"))
        for number, title, body, decision in (
            (2, "Slutrapport – Vägvisaren", f"En skriftlig slutrapport har inkommit. {report} "
             "Av insatsens 4 mål har 3 uppnåtts och ett delvis uppnåtts.", "Att godkänna slutrapporten."),
            (3, "Mötesformer", "Eva Lund yrkar på att styrelsen prövar digitala möten under hösten.",
             "Att bifalla yrkandet."),
            (4, "Strategiprocess", "Förbundschefen sammanfattar strategiprocessen så här långt.",
             "Att ta upp strategin på planeringsdagen den 12 juni."),
            (5, "Lokaler", "Ordföranden yrkar att kansliet flyttar till stadshuset.", "Att bifalla yrkandet."),
            # A decision written as a sentence of the running text, after what it decides on.
            (6, "Budgetstrategi", "Ordföranden presenterade ett förslag. Om bidragen ökar med 5 % varje år räcker "
             "medlen till år 2030.\n\nStyrelsen beslutade att ställa sig bakom strategin.",
             "Styrelsen beslutade att ställa sig bakom strategin."),
            # One application in each §, each presented by someone.
            *((number, f"Ansökan – {grant}", f"{person} gör en muntlig dragning av ansökan om {grant}.",
               "Att bevilja finansiellt stöd enligt ansökan.")
              for number, grant, person in ((7, "Brobygget", "Anna Berg"), (8, "Framsteget", "Per Holm"),
                                            (9, "Ljuspunkten", "Lisa Sjö"))),
            # A decision for a first period that leaves the later ones for later.
            (12, "Finansiering av Stegen", "Kommunen ansöker om medel till insatsen Stegen för 2025–2027.",
             "Att bevilja 100 000 kronor för 2025. Beslut om finansiering för perioden 2026-01-01 – 2027-12-31 "
             "fastställs årligen i samband med budgeten."),
            # A body named only as where a matter is to be discussed.
            (11, "Medlemssamråd", "Ordföranden presenterade en strategi för bidragen. Strategin bör diskuteras med "
             "parterna vid nästa medlemssamråd. Flera påminde om överskottet.", None),
            # A no in other words than "avslag".
            (10, "Digital signering", "Förbundschefen redovisar kostnaden för avtal om digital signering.",
             "Att det inte är aktuellt att teckna avtal, med anledning av att det handlar om så få underskrifter."),
        ):
            s.add(Paragraph(document_id=march_doc.id, organisation_id=org.id, protocol_id=march.id, number=number,
                            title=title, body=body, decision=decision,
                            search_text=paragraph_search_text(org.id, title, body, decision)))
        # Who sat for whom at the March meeting: the protocol's text names the person, not the seat.
        eva = Person(organisation_id=org.id, name="Eva Lund")
        s.add(eva)
        s.flush()
        assert eva.id and march.id
        s.add(Attendance(protocol_id=march.id, person_id=eva.id, role="ledamot", member_body="Habo kommun",
                         voting=True))
        s.add(Document(organisation_id=org.id, kind="tertialuppföljning", title="Tertialuppföljning",
                       file_name="t1.txt", content_hash="e" * 64,
                       text="TERTIALUPPFÖLJNING\n2025-04-30\n\nPersonalkostnaderna blev lägre än budgeterat på grund "
                            "av en vakans under våren. Övriga kostnader följer budget.\n\nInsatsen Nästa steg har "
                            "avslutats i förtid. Årets övriga insatser löper enligt plan.\n\nEkonomi\n\nÅrets budget "
                            "underbalanseras med 300 tkr. Dessa medel tas från det egna kapitalet."))
        # The next report of the year: the same line, another period's reason; and a project's end.
        s.add(Document(organisation_id=org.id, kind="tertialuppföljning", title="Tertialuppföljning",
                       file_name="t2.txt", content_hash="9" * 64,
                       text="TERTIALUPPFÖLJNING\n2025-08-31\n\nPersonalkostnaderna blev lägre än budgeterat till "
                            "följd av sjukskrivningar under sommaren.\n\nProjekt Kompassen har lagts ned under "
                            "sommaren."))
        s.commit()
    return Assistant(engine)


def ask(assistant: Assistant, text: str) -> Reply:
    return assistant.handle(Message(text=text, as_of=dt.date(2025, 9, 1)))



def test_decision_on_a_topic_quotes_the_decision_with_its_paragraph(assistant: Assistant) -> None:
    reply = ask(assistant, "Vad beslutade styrelsen om hemsidan?")
    assert reply.answered and says(reply, "§ 3", "kommunens plattform")


def test_english_question_finds_the_swedish_topic(assistant: Assistant) -> None:
    reply = ask(assistant, "What did the board decide about the website?")
    assert reply.answered and says(reply, "§ 3", "kommunens plattform")


def test_a_topic_mentioned_in_passing_is_no_decision_on_it(assistant: Assistant) -> None:
    reply = ask(assistant, "Vad beslutade styrelsen om bildspelet?")
    assert not reply.answered
    assert says(reply, "beslut", "§ 4") and not says(reply, "kommunens plattform")


def test_a_word_the_documents_write_otherwise_finds_the_topic(assistant: Assistant) -> None:
    # "webbplatsen" and "webbsidan" are what § 3 calls "hemsidan"; a compound's last part too
    # ("slutredovisningen" is a "slutrapport").
    for question in ("Vad beslutade styrelsen om webbplatsen?", "Vad bestämdes kring webbsidan?"):
        reply = ask(assistant, question)
        assert reply.answered and says(reply, "§ 3", "kommunens plattform"), question


def test_the_decisions_of_the_latest_meeting_are_listed_one_line_each(assistant: Assistant) -> None:
    reply = ask(assistant, "Vad beslutades på senaste mötet?")
    assert reply.answered and says(reply, "2025-05-16", "§ 3", "§ 4", "§ 5", "§ 6", "till handlingarna")
    assert len([line for line in reply.text.splitlines() if line.startswith("•")]) == 6


def test_a_reason_in_a_report_is_quoted_and_the_report_cited_with_its_date(assistant: Assistant) -> None:
    reply = ask(assistant, "Varför blev personalkostnaderna lägre än budgeterat?")
    assert reply.answered and says(reply, "vakans")
    assert any("Tertialuppföljning 2025-04-30" in source.label() for source in reply.sources)


def test_a_question_on_a_false_premise_is_corrected_not_answered(assistant: Assistant) -> None:
    reply = ask(assistant, "Varför avslogs ansökan om Steget vidare?")
    assert not reply.answered and says(reply, "§ 5", "bevilja")


def test_a_compound_meets_its_parts_written_apart(assistant: Assistant) -> None:
    reply = ask(assistant, "Vad beslutades om verksamhetsutvecklartjänsten?")
    assert reply.answered and says(reply, "§ 6", "arbetsutskottet")


def test_a_fact_stated_without_its_reason_is_not_given_as_the_reason(assistant: Assistant) -> None:
    # The report says that Nästa steg ended early, not why: shown, not answered.
    reply = ask(assistant, "Varför avslutades Nästa steg i förtid?")
    assert not reply.answered and says(reply, "inte varför", "i förtid")
    # Where the report gives the reason ("på grund av"), it is the answer.
    assert ask(assistant, "Varför blev personalkostnaderna lägre än budgeterat?").answered


def test_who_did_something_is_a_person_named_doing_it(assistant: Assistant) -> None:
    reply = ask(assistant, "Vem föredrog ansökan om Språkstegen?")
    assert reply.answered and "Kalle Ek" in reply.text, reply.text
    assert "§ 8" in reply.text
    # The § on Nya vägar names a person, but appointed, not presenting the application.
    reply = ask(assistant, "Vem föredrog ansökan om Nya vägar?")
    assert not reply.answered, reply.text
    assert not ask(assistant, "Who presented the application for Nya vägar?").answered


def test_how_a_shortfall_is_met_is_quoted_in_the_documents_words(assistant: Assistant) -> None:
    # The question's "underskott" is the plan's "underbalanseras"; the means ("tas från") is the answer.
    for question in ("Hur täcks underskottet i budgeten?", "How is the deficit in the budget covered?"):
        reply = ask(assistant, question)
        assert reply.answered and "egna kapitalet" in reply.text, reply.text


def test_a_meeting_named_by_its_month_in_one_word(assistant: Assistant) -> None:
    # "majprotokollet" is the protocol of May; April has none.
    reply = ask(assistant, "Vad var § 3 i majprotokollet 2025 för nåt?")
    assert reply.answered and "Hemsidan" in reply.text, reply.text
    assert not ask(assistant, "Vad var § 3 i aprilprotokollet 2025 för nåt?").answered


def test_a_topic_only_listed_among_items_is_not_what_happened_to_it(assistant: Assistant) -> None:
    reply = ask(assistant, "vad hände med projekt Bryggan?")
    assert not reply.answered, reply.text


def test_whether_goals_were_reached_quotes_the_sentence_that_says_so(assistant: Assistant) -> None:
    # The report's goals are stated after a long account: the quotation holds that sentence, in any
    # word order the question asks it.
    for question in ("Nådde Vägvisaren sina mål?", "Were the goals of Vägvisaren met?",
                     "Hur gick det med målen för Vägvisaren?"):
        reply = ask(assistant, question)
        assert reply.answered and "3 uppnåtts" in reply.text, (question, reply.text)


def test_a_motion_asked_by_the_verbs_base_form(assistant: Assistant) -> None:
    for question in ("What did Eva Lund propose?", "What did Eva Lund suggest?", "Vad yrkar Eva Lund på?"):
        reply = ask(assistant, question)
        assert reply.answered and "digitala möten" in reply.text, (question, reply.text)


def test_a_meeting_only_mentioned_beforehand_is_no_record_of_what_it_decided(assistant: Assistant) -> None:
    # § 4 of March decides to take the strategy up on 12 June; nothing records that day.
    reply = ask(assistant, "Vad beslutades om strategin på planeringsdagen den 12 juni 2025?")
    assert not reply.answered and "§ 4" in reply.text, reply.text
    # Asked of the March meeting that decided it, the decision is the answer.
    reply = ask(assistant, "Vad beslutades om strategin i mars 2025?")
    assert reply.answered and "12 juni" in reply.text, reply.text



def test_what_the_board_landed_on_is_its_decision(assistant: Assistant) -> None:
    for question in ("btw what did we land on re the website", "what did the board end up with on the website?"):
        reply = ask(assistant, question)
        assert reply.answered and says(reply, "§ 3", "kommunens plattform"), (question, reply.text)
    assert not ask(assistant, "what did we land on re the newsletter").answered


def test_where_a_thing_stands_is_read_where_a_text_says_so(assistant: Assistant) -> None:
    # Kompassen is only listed among the Meddelanden; the report says it was closed.
    reply = ask(assistant, "vad hände med projekt Kompassen, är det nedlagt?")
    assert reply.answered and "lagts ned" in reply.text, reply.text
    # Bryggan is only listed: nothing says where it stands.
    assert not ask(assistant, "vad hände med projekt Bryggan, är det nedlagt?").answered


def test_a_reason_for_an_outcome_no_text_records_is_not_given(assistant: Assistant) -> None:
    # § 10 discusses the coach; nothing was refused, so there is no reason for a refusal to quote.
    for question in ("Varför avslog styrelsen finansieringen av coachen?",
                     "Why did the board turn down funding the coach?"):
        reply = ask(assistant, question)
        assert not reply.answered, (question, reply.text)


def test_a_reason_asked_for_a_period_is_the_reason_its_report_gives(assistant: Assistant) -> None:
    reply = ask(assistant, "Varför blev personalkostnaderna lägre än budgeterat per 31 augusti 2025?")
    assert reply.answered and "sjukskrivningar" in reply.text and "vakans" not in reply.text, reply.text


def test_a_point_of_the_agenda_named_by_its_subject_is_the_paragraph_so_titled(assistant: Assistant) -> None:
    # "hemsidepunkten" is the point titled "Hemsidan"; "i efterhand" and "istället" name no topic.
    reply = ask(assistant, "vad beslutades under hemsidepunkten i maj 2025?")
    assert reply.answered and says(reply, "§ 3", "kommunens plattform"), reply.text


def test_anything_new_on_a_matter_is_what_a_text_says_of_it(assistant: Assistant) -> None:
    reply = ask(assistant, "nåt nytt om projekt Kompassen i tertialuppföljningen?")
    assert reply.answered and "lagts ned" in reply.text, reply.text


def test_a_motion_by_someone_named_is_quoted_with_what_became_of_it(assistant: Assistant) -> None:
    # The decision alone ("Att bifalla yrkandet") does not say what Eva Lund moved.
    reply = ask(assistant, "Vad yrkade Eva Lund i § 3 i mars och gick det igenom?")
    assert reply.answered and says(reply, "digitala möten", "bifalla")


def test_what_a_paragraph_amounted_to_is_its_account_not_only_its_decision(assistant: Assistant) -> None:
    # The decision stands as the last sentence of the § text: the substance is before it.
    reply = ask(assistant, "Vad gick § 6 ut på i mars?")
    assert reply.answered and says(reply, "2030", "ställa sig bakom")


def test_who_did_something_recorded_in_several_paragraphs_names_them_all(assistant: Assistant) -> None:
    reply = ask(assistant, "Vilka drog ansökningarna muntligt på mötet i mars?")
    assert reply.answered and says(reply, "Anna Berg", "Per Holm", "Lisa Sjö")


def test_a_matter_named_as_its_question_is_found_by_its_subject(assistant: Assistant) -> None:
    # "coachfrågan" is the § on financing a coach.
    reply = ask(assistant, "Varför tas coachfrågan upp?")
    assert reply.answered and says(reply, "§ 10", "coach")


def test_a_short_item_heading_prose_is_what_is_said_of_it_not_a_listing(assistant: Assistant) -> None:
    # "- Budgetuppföljning" heads what the follow-up said of Ledstången (lettered items of a list,
    # "- a) Slutrapport projekt Bryggan", only name their thing).
    reply = ask(assistant, "What was said about Ledstången in the budget follow-up?")
    assert reply.answered and says(reply, "§ 11", "hela det beviljade beloppet")


def test_what_a_seat_did_is_read_where_the_protocol_names_who_held_it(assistant: Assistant) -> None:
    # "Habo kommuns ledamot" is Eva Lund by the attendance list; § 3 names her, not the seat.
    reply = ask(assistant, "Vad yrkade Habo kommuns ledamot på mötet i mars?")
    assert reply.answered and says(reply, "Eva Lund", "digitala möten")


def test_a_no_asked_in_other_words_than_the_record_writes_it_is_given_its_reason(assistant: Assistant) -> None:
    # "Inte aktuellt att teckna avtal" is the no that "tackade nej" asks about; "argument" asks a reason.
    for question in ("Varför tackade styrelsen nej till digital signering i mars?",
                     "What was the argument against a contract for digital signering?"):
        reply = ask(assistant, question)
        assert reply.answered and says(reply, "få underskrifter"), question


def test_what_someone_said_needs_them_saying_it_not_only_named(assistant: Assistant) -> None:
    # § 11 names the medlemssamråd only as where the strategy is to be discussed.
    assert not ask(assistant, "Vad tyckte medlemssamrådet om strategin för bidragen?").answered
    reply = ask(assistant, "Vad sa förbundschefen om strategiprocessen?")
    assert reply.answered and says(reply, "§ 4", "sammanfattar")


def test_a_year_the_decision_leaves_for_later_has_no_decision(assistant: Assistant) -> None:
    reply = ask(assistant, "Vad beslutades om finansieringen av Stegen för 2026?")
    assert not reply.answered and says(reply, "2026", "fastställs årligen")
    assert ask(assistant, "Vad beslutades om finansieringen av Stegen för 2025?").answered


@pytest.fixture
def reasons_apart(engine: Engine) -> Assistant:
    """A report whose reason stands in prose and whose figures stand in a table row apart, and a §
    that sets conditions for something that is no grant."""
    with Session(engine) as s:
        org, doc, protocol = one_protocol(s, dt.date(2025, 6, 13))
        assert org.id and doc.id
        body = ("Styrelsen sade ja till att delta i studien. Dock villkorade styrelsen deltagandet med att den "
                "etiska prövningen ska gå igenom.")
        s.add(Paragraph(document_id=doc.id, organisation_id=org.id, protocol_id=protocol.id, number=4,
                        title="Utvärderingsstudien", body=body, decision=None,
                        search_text=paragraph_search_text(org.id, "Utvärderingsstudien", body, None)))
        s.add(Document(organisation_id=org.id, kind="tertialuppföljning", title="Tertialuppföljning",
                       file_name="t1-2025.txt", content_hash="7" * 64,
                       text="TERTIALUPPFÖLJNING\n2025-04-30\n\nFörbundets finansiella kostnader prognostiseras bli "
                            "högre än budgeterat. Prognosen bygger på nya beräkningar av pensionsavsättningar.\n\n"
                            "Belopp i tkr\tBudget 2025\tPrognos 2025\nFinansiella kostnader\t-5\t-105\n"))
        s.commit()
    return Assistant(engine)


def test_a_reason_asked_with_its_figures_quotes_the_reason_and_the_row_that_states_them(
        reasons_apart: Assistant) -> None:
    reply = ask(reasons_apart, "Varför väntas de finansiella kostnaderna bli 105 tkr i stället för 5?")
    assert reply.answered and says(reply, "pensionsavsättningar", "-105")
    # Figures the document does not state beside the topic are not found, whatever reason there is.
    reply = ask(reasons_apart, "Varför väntas de finansiella kostnaderna bli 205 tkr i stället för 5?")
    assert not reply.answered


def test_conditions_of_a_matter_that_is_no_grant_are_quoted_where_they_are_set(reasons_apart: Assistant) -> None:
    reply = ask(reasons_apart, "Vilka villkor satte styrelsen för att delta i studien?")
    assert reply.answered and says(reply, "§ 4", "etiska prövningen")


def test_a_condition_put_to_the_one_asked_is_no_part_of_the_question() -> None:
    from handlers.understanding.courtesy import question_of

    assert question_of("Om du ursäktar en nyfiken ledamot, varför hölls mötet på distans?") == \
        "varför hölls mötet på distans?"
    assert question_of("If you don't mind me asking, why was it held remotely?") == "why was it held remotely?"
    # A condition of the question itself stays ("om vi ökar bidragen …").
    assert question_of("Om vi ökar bidragen med 10 %, när tas hela utrymmet tillvara?").startswith("Om vi ökar")
