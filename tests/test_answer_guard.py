"""The guard before an answer is given as answered (handlers/answers/guard.py): through the
answer API over the small two-förbund store of tests/answer_store.py, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from handlers.answers.guard import ANSWER_TYPES, asked_type, missing_numbers
from handlers.assistant import Assistant
from handlers.messages import Message, Reply
from tests import answer_store
from tests.answer_store import says


@pytest.fixture
def assistant(engine: Engine) -> Assistant:
    answer_store.build(engine)
    return Assistant(engine)


def ask(assistant: Assistant, text: str, org: str | None = None) -> Reply:
    return assistant.handle(Message(text=text, organisation_hint=org))



def test_numbers_must_match_exactly() -> None:
    assert missing_numbers("Hur mycket fick Jobbcenter 3.0?", "Jobbcenter 2.0: 990 000 kr") == ["3.0"]
    assert missing_numbers("Vad gäller Dnr P21/4?", "Dnr P21/2 Jobbcenter") == ["21/4"]
    assert missing_numbers("hur mkt fick X 2024", "X: 1 250 000 kr för perioden 2024-01-01 – 2024-12-31") == []
    # A day written 11/6 is met by the ISO date; a thousands-spaced amount by the same amount.
    assert missing_numbers("protokollet från 11/6 2021", "protokollet från 2021-06-11") == []
    assert missing_numbers("Vilken insats fick 1 250 000 kr?", "Torget: 1250000 kr") == []
    # A date's day is not the first digits of an amount written after it.
    assert missing_numbers("Vad beviljades 100 000 kr?", "Beviljat 2024-04-30 100 000 kr") == []


def test_right_answers_stay_answered(assistant: Assistant) -> None:
    reply = ask(assistant, "Hur mycket har Vägen ut beviljats?")
    assert reply.answered and says(reply, "420 000")
    reply = ask(assistant, "What is the budget for Kansli in 2025?", org="Fjällbygden")
    assert reply.answered and says(reply, "880 000")


def test_another_version_is_not_answered_as_the_existing_one(assistant: Assistant) -> None:
    reply = ask(assistant, "Hur mycket fick Vägen ut 2.0?")
    assert not reply.answered
    # It points at what the store does hold.
    assert says(reply, "Vägen ut")
    english = ask(assistant, "How much was granted to Vägen ut 2.0?")
    assert not english.answered and english.language == "en"


def test_another_dnr_or_year_is_not_answered(assistant: Assistant) -> None:
    reply = ask(assistant, "Vad beslutades om ärendet Dnr F25/5?")
    assert not reply.answered
    reply = ask(assistant, "Vad är budgeten för Kansli 2027?", org="Fjällbygden")
    assert not reply.answered


def test_a_quotation_must_hold_the_topic(assistant: Assistant) -> None:
    # The documents speak of premises (lokaler) but of no website: no quotation is an answer.
    reply = ask(assistant, "What did the board decide about the website?", org="Fjällbygden")
    assert not reply.answered
    reply = ask(assistant, "Vad beslutade styrelsen om lokalerna?", org="Fjällbygden")
    assert reply.answered and says(reply, "stadshuset")
    # An acronym names the topic: the premises decision is no answer about EU-funded premises.
    reply = ask(assistant, "Vad beslutade styrelsen om EU-lokalerna?", org="Fjällbygden")
    assert not reply.answered and says(reply, "stadshuset")
    # A total asked, and a quotation stating no figure: the decision's words are no sum.
    reply = ask(assistant, "lokalerna totalt, vad landade det på?", org="Fjällbygden")
    assert not reply.answered


@pytest.mark.parametrize(("question", "kind"), [
    ("När är nästa möte?", "when"), ("och nar da?", "when"), ("When were the minutes signed?", "when"),
    ("Hur mycket fick Vägen ut?", "amount"), ("how much is left for new projects", "amount"),
    ("Hur många ledamöter var där?", "count"), ("How many grants were approved?", "count"),
    ("Vem var ordförande när budgeten beslutades?", "who"), ("Who chaired the meeting?", "who"),
    ("Vad beslutades om hemsidan?", None), ("Budget Enter 2021", None),
])
def test_the_question_word_says_what_kind_of_answer_is_asked(question: str, kind: str | None) -> None:
    assert asked_type(question) == kind


@pytest.mark.parametrize(("kind", "holds", "lacks"), [
    ("when", "Nästa möte: fredag 22 mars 2024 kl. 9–12.", "Monica Fällström, ordförande."),
    ("amount", "Beviljat: 1 250 000 kr.", "Beviljad 2023-11-24, § 122."),
    ("count", "Fem ledamöter deltog.", "En av ledamöterna deltog, ett beslut togs."),
    ("who", "Niklas Edén, Region Västernorrland.", "Beviljat 2023-11-24."),
])
def test_an_answer_must_hold_what_its_question_word_asks(kind: str, holds: str, lacks: str) -> None:
    evidence = ANSWER_TYPES[kind][1]
    assert evidence.search(holds) and not evidence.search(lacks)


def test_a_thing_the_answer_does_not_speak_of_withdraws_it(assistant: Assistant) -> None:
    # The budget line Kansli is no answer about parking or a wage subsidy named beside it.
    plain = ask(assistant, "What is the budget for Kansli in 2025?", org="Fjällbygden")
    assert plain.answered
    for question in ("Vad är budgeten för parkeringen på Kansli 2025?",
                     "What is the budget for parking at the Kansli in 2025?"):
        reply = ask(assistant, question, org="Fjällbygden")
        assert not reply.answered, question
        assert says(reply, "park") and says(reply, "880 000")  # says what is missing, shows the nearest


def test_general_words_of_asking_need_no_answer_of_their_own(assistant: Assistant) -> None:
    # Verbs, fillers and compounds of known words ("kansliets", "vårmötet") ask nothing more.
    for question in ("Vad landar budgeten för Kansli på egentligen 2025?",
                     "hur mkt ligger kansliets budget på 2025 typ",
                     "What does the Kansli budget end up at in 2025, exactly?"):
        reply = ask(assistant, question, org="Fjällbygden")
        assert reply.answered and says(reply, "880 000"), question


def test_a_negation_the_answer_does_not_read_withdraws_it(assistant: Assistant) -> None:
    # A grant's amount answers "how much was granted", never "how much was not granted": the
    # grant kind has no reading of "inte" / "not".
    for question in ("Hur mycket har Vägen ut inte beviljats?", "How much was Vägen ut not granted?",
                     "How much wasn't granted to Vägen ut?"):
        reply = ask(assistant, question)
        assert not reply.answered, question
        assert says(reply, "420 000")  # the nearest fact is still shown
    # A negation that negates nothing asked: an alternative, a contrast after what is asked.
    for question in ("Har Vägen ut beviljats pengar eller inte?", "Hur mycket har Vägen ut beviljats, inte sökt?"):
        reply = ask(assistant, question)
        assert reply.answered and says(reply, "420 000"), question


def test_a_question_of_two_parts_is_answered_only_when_both_are(assistant: Assistant) -> None:
    # Both parts found: one reply holding both; the second part is read with the first's subject
    # when it names none of its own.
    both = ask(assistant, "Hur mycket har Vägen ut beviljats, och vem är justerare för senaste protokollet?")
    assert both.answered and says(both, "420 000", "Per Berg")
    period = ask(assistant, "What was granted to Vägen ut, and for which period?")
    assert period.answered and says(period, "420 000", "2025-04-01")
    half = ask(assistant, "Hur mycket har Vägen ut beviljats och vad kostar hyran för bilarna?")
    assert says(half, "420 000") and not half.answered
    assert says(half, "hyran")  # names what it found nothing about
    # Two sentences that are both questions are two parts; a short "… Vilket datum?" asks one more
    # facet of the same thing.
    two = ask(assistant, "Hur mycket har Vägen ut beviljats? Vad kostar hyran för bilarna som används?")
    assert says(two, "420 000") and not two.answered
    both = ask(assistant, "Hur mycket har Vägen ut beviljats? Vem är justerare för senaste protokollet?")
    assert both.answered and says(both, "420 000", "Per Berg")


def test_a_forbund_named_in_one_part_keeps_every_part_to_it(assistant: Assistant) -> None:
    # Asked where no förbund is linked, "… in Fjällbygden" at the end of the second part is where
    # the first part's figure is asked too: not "which förbund?" for it, nor the second part alone.
    both = ask(assistant, "What is the budget for Kansli in 2025, and who is justerare for the latest protocol "
                          "in Samordningsförbundet Fjällbygden?")
    assert both.answered and says(both, "880 000", "Per Berg")



def test_an_english_word_is_accounted_for_by_the_swedish_the_documents_use() -> None:
    from handlers.answers.guard import _accounted_for

    # "bought" is "köpt"/"köper" in the documents, "auditors" "revisorer"; "parking" is in no answer.
    assert _accounted_for("bought", frozenset({"finnveden", "köper", "35"}))
    assert _accounted_for("auditors", frozenset({"revisorer", "kpmg"}))
    assert not _accounted_for("parking", frozenset({"kansli", "880"}))


def test_a_who_question_is_not_answered_by_a_text_naming_no_one() -> None:
    """The search fallback's strong match for 'vem …' must name a person or one who acts for the
    board (förbundschef, AU …): "Styrelsen beslutade att skicka den" names no sender."""
    from handlers.answers.reading import _names_a_person

    assert not _names_a_person("Styrelsen beslutade att fastställa planen och skicka den till medlemmarna.")
    assert not _names_a_person("IFO-nämnden i Jönköpings kommun har meddelat att man inte har något att invända.")
    assert _names_a_person("Att ge AU mandat att genomföra rekryteringen.")
    assert _names_a_person("Mikael Holmlund föredrar förslag på tertialrapport.")


def test_a_share_asked_anywhere_in_the_question_is_answered_only_by_a_percentage() -> None:
    from handlers.answers.guard import lacks_type

    name_only = Reply(text="Peter Hedfors är förbundschef enligt protokollet från 2020-11-16.")
    share = Reply(text="Finnvedens Samordningsförbund köper 35% av tjänsten.")
    assert lacks_type("förbundschefen jobbar hur mycket procent hos oss?", name_only)
    assert lacks_type("so what percentage of the post does the director work?", name_only)
    assert not lacks_type("förbundschefen jobbar hur mycket procent hos oss?", share)


def test_a_period_asked_is_answered_only_by_a_period() -> None:
    """"hur länge", "till när", "for which period", "since when": a meeting's day or a single date is
    no period; two dates, an end, a span of hours or a duration are."""
    from handlers.answers.guard import lacks_type

    identity = Reply(text="Enligt protokollet från 2023-11-24:\n• Niklas Edén (ledamot, utsedd av Region Västernorrland)")
    assert lacks_type("vem har utsett Niklas Edén o till när gäller det?", identity)
    assert lacks_type("hur länge har Peter Hedfors varit förbundschef?", identity)
    assert lacks_type("Since when has Karin Näsmark been on the board?", identity)
    assert not lacks_type("Vem har utsett Niklas Edén?", identity)
    assert not lacks_type("For which period is Niklas Edén appointed?",
                          Reply(text="Utsedd för perioden 230913-260331 av Region Västernorrland."))
    assert not lacks_type("How long did the meeting last?", Reply(text="Mötet 2020-11-16 kl. 09.00–11.20, Teams."))
    assert not lacks_type("hur länge satt anslaget uppe?", Reply(text="Från 2023-12-12 till 2023-12-27 (15 dagar)."))


@pytest.mark.parametrize(("question", "yes_no"), [
    ("Is the förbundschef shared with another förbund?", True),
    ("var Lotta Q med i beslutet om statlig medelstilldelning?", True),
    ("Mathias Haglund, var han beslutande?", True),
    ("btw did we approve it?", True),
    ("var hålls mötet?", False),
    ("var e planeringsdagen?", False),
    ("Vem är förbundschef?", False),
    # A request is no yes/no question, and a place is no verb ("Åre" folds to "are").
    ("Could you explain why the board pulled out of the study?", False),
    ("Åre kommun here - what did the board decide on our application?", False),
])
def test_a_question_opening_with_its_verb_asks_yes_or_no(question: str, yes_no: bool) -> None:
    from handlers.answers.guard import asks_yes_no

    assert asks_yes_no(question) is yes_no


def test_a_yes_no_question_is_not_answered_by_a_fact_that_cannot_decide_it(assistant: Assistant) -> None:
    # Who the chair is does not say whether she is also on another board.
    reply = ask(assistant, "Är ordföranden i Fjällbygden också ledamot i ett annat förbund?", org="Fjällbygden")
    assert not reply.answered
    # Whether one of the parties applied is decided, yes or no, by the grant's applicants.
    yes = ask(assistant, "Sökte Arbetsförmedlingen pengar till Vägen ut?")
    assert yes.answered and yes.text.startswith("Ja") and says(yes, "Arbetsförmedlingen")
    # Whether it was refused is decided by its standing.
    refused = ask(assistant, "Fick Vägen ut avslag?")
    assert refused.answered and refused.text.startswith("Nej")


def test_a_surname_initial_is_not_a_spoken_word() -> None:
    """"Maria E" is Maria with her surname's initial, not "Maria är"; a spoken "e" still is "är"."""
    from handlers.understanding.vocabulary import expand_abbreviations

    assert expand_abbreviations("Did Maria E take part in § 9?") == "Did Maria E take part in § 9?"
    assert expand_abbreviations("var e mötet") == "var är mötet"


def test_a_later_part_that_is_only_its_question_word_asks_of_the_first_part() -> None:
    from handlers.answers.guard import asks_type_only

    assert asks_type_only("o vilken tid?") and asks_type_only("and what time?") and asks_type_only("o när var det?")
    assert not asks_type_only("och när sattes anslaget upp?")
    assert not asks_type_only("and is that figure final?")
