"""The last check before an answer is given as answered: it must be about everything the
question names and give what the question asks.

`vet` runs at the one place where a reading's answer becomes the reply. An answer stays
`answered` only if
  (a) every specific thing the question names is in it: each number, year and version exactly
      (a "3.0" is not a "2.0", 2024 is not 2023), and each thing of the store's lexicon the
      question names (a grant, a budget line, a person, a member body, a place);
  (b) every operation or attribute the question asks for (a difference, a sum, a count, a
      reason, a Dnr, what remains, who attended …) is one the answering kind answers: the
      operations are facets of the kinds' own cue tables (handlers/answers/kinds/), so a cue
      word that asks for one must be a cue of the kind that answered;
  (c) a quotation of the documents (the "why" kind, or the search fallback) holds the
      question's topic;
  (d) a question that opens with its question word gets an answer of that kind: a date or a
      time for "när", an amount for "hur mycket", a number for "hur många", a person or a body
      for "vem" (ANSWER_TYPES);
  (e) every other word that may name what the question is about is accounted for: by a thing of
      the store the answer names, by a word of the answer or of the § it cites, or as a general
      word of asking (handlers/understanding/general_words.py). "Vad kostar parkeringen för
      styrelsen?" is not answered by the budget line Styrelse.
Otherwise the reply says what was not found and shows what the store does hold as the nearest
thing, with `answered: false`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sqlmodel import col, select

from handlers.answers import dates, passages
from handlers.answers.dates import MONTHS
from handlers.answers.text import fold, has_digit, matched_words, tokens, word_match
from handlers.messages import Reply
from handlers.understanding import documents_named, english_sv, negation
from handlers.understanding.general_words import is_general
from handlers.understanding.kinds import KINDS, STRONG, Cues
from storage.models import Organisation, Paragraph, Protocol
from storage.search import STOPWORDS
from storage.swedish.names import month_alternation

if TYPE_CHECKING:
    from handlers.answers.core import Question
    from handlers.understanding.kinds import Reading

# Facets (of the kinds' cue tables) that ask for an operation or an attribute no other answer
# stands in for: a bare figure is no difference, a list is no count, an amount is no Dnr.
# Operations that combine figures: a single value never answers one of them.
COMPOSITIONS = frozenset({"difference", "change", "sum", "count", "largest", "smallest", "share", "each"})

# Composition cues that are also plain prepositions ("under vilka paragrafer"): alone, they do not
# make a question one that combines figures.
AMBIGUOUS = frozenset({"under=", "över=", "above=", "below="})

OPERATIONS = frozenset({
    *COMPOSITIONS,
    "why",  # a reason
    "dnr", "remaining", "payment", "conditions",  # attributes of a grant
    "attendance", "absent", "left", "appointed", "substitute",  # people and attendance
    "utfall",  # outcome to date is not a budget or a forecast
})

# Attributes of a person or a role that board documents do not record and no kind answers
# (a name or a role is no salary): asked of a fact read from the store, the answer is withdrawn;
# a quotation of the documents may still speak of them. Cue words as in the kinds' tables.
UNRECORDED: dict[str, tuple[str, ...]] = {
    "salary": ("lön=", "lönen=", "löner=", "lönenivå", "månadslön", "årslön", "salary", "salaries", "wage", "wages",
               "tjänar", "earns", "earn=", "paid to him", "paid to her"),
    "age": ("ålder", "hur gammal", "how old", "age=", "född", "born", "födelse", "birth"),
    "private": ("personnummer", "hemadress", "home address", "civilstånd", "marital", "gift med", "married to"),
    # A förbund's organisationsnummer is no list of its people (only a quotation stating one answers it).
    "orgnr": ("organisationsnummer", "organisation number", "organization number", "orgnr", "org nr",
              "registration number of the"),
    # What a share is based on ("baseras på vad", "based on what"): a key the tables give as a
    # percentage beside the line, not a stored fact; only a quotation stating one answers it.
    "basis": ("baseras på", "baseras pa", "grundar sig på", "grundar sig pa", "based on", "fördelningsnyckel",
              "fordelningsnyckel", "distribution key"),
    # How to reach someone: only a quotation that gives a number or an address answers it.
    "contact": ("telefonnummer", "tel nr", "telnr", "tel.nr", "mobilnummer", "ringa", "phone", "telephone",
                "e-post", "epost", "mejladress", "mailadress", "e-mail", "email", "kontaktuppgifter", "contact details",
                "reach him", "reach her"),
}

# Phrases whose words ask such an attribute but name a document or a matter: a förbund's salary policy
# is a topic of its protocols, not someone's salary.
NOT_UNRECORDED = ("salary policy", "salary policies", "pay policy", "wage policy", "salary review", "age group",
                  "age groups")

# What a quotation must state to answer such an attribute.
UNRECORDED_EVIDENCE: dict[str, re.Pattern[str]] = {
    "salary": re.compile(r"\d[\d\s\u00a0]*(?:kr\b|kronor|tkr|sek\b)", re.IGNORECASE),
    "age": re.compile(r"\b\d{1,3} år\b|\b\d{1,3} years\b|\bfödd\b|\bborn\b", re.IGNORECASE),
    "private": re.compile(r"\d{6,8}-\d{4}"),
    "orgnr": re.compile(r"\b\d{6}-\d{4}\b"),
    "basis": re.compile(r"\d+(?:[.,]\d+)?\s*%|invånarantal", re.IGNORECASE),
    "contact": re.compile(r"\b0\d{1,3}[-\s]?\d{2,3}[\s-]?\d{2}[\s-]?\d{2}\b|[\w.+-]+@[\w-]+\.[\w.]+"),
}

# Phrases whose words are cue words of an operation but ask none: "most recent" is a time,
# "skrev under" signing, "under mötet" a time. Read out of the question before operations are sought.
NOT_OPERATIONS = ("most recent", "most recently", "skrev under", "skriver under", "skrivit under", "under mötet",
                  "under sammanträdet", "under året", "under perioden", "under hösten", "under våren", "at most",
                  "högst upp", "more or less", "mer eller mindre", "som mest", "som max",
                  # Merged is not summed: "styrgrupperna slogs ihop".
                  "slogs ihop", "slagits ihop", "slås ihop", "slog ihop", "slå ihop", "gick ihop", "gått ihop",
                  # "under" an item of the agenda is where in the protocol, not a figure below another.
                  "under övriga frågor", "under punkt", "under punkten", "under paragraf", "under paragrafen",
                  "under rubriken", "under informationen", "under information", "under styrelsemötet",
                  "under dagens möte", "under any other business", "under other business",
                  # "satt" set, not sat: "vilka villkor har förbundet satt för X".
                  "har satt", "hade satt", "har förbundet satt", "har styrelsen satt", "har de satt", "har ni satt",
                  "har vi satt",
                  # "how many kronor" asks an amount, not a count.
                  "hur många mkr", "hur många tkr", "hur många kronor", "hur många kr", "hur många miljoner",
                  "how many kronor", "how many sek", "how many million",
                  # Money paid in to the förbund is its income, no payment out of a grant.
                  "paid in", "pays in", "pay in", "paid into", "had paid in",
                  # Presiding over a meeting is chairing it, no figure above another.
                  "presided over", "presides over", "preside over", "presiding over",
                  # English "under" a decision or an agreement is "according to" it, no figure below another.
                  *(f"under {when}{whose} {what}" for whose in ("the", "this", "that", "the board s", "the latest", "its",
                                                                "monday s", "tuesday s", "wednesday s", "thursday s",
                                                                "friday s", "saturday s", "sunday s", "week s",
                                                                "month s", "meeting s", "year s", "yesterday s",
                                                                "today s")
                    for what in ("decision", "agreement", "contract", "terms") for when in ("", "last ")))

# What a question that opens with its question word asks for, and what any answer to it must hold
# (folded, Swedish and English): a "when" answered without a day or a time, a "how much" without an
# amount, a "how many" without a number, a "who" without a person or a body answers something else.
_MONTH = month_alternation(english=True)
ANSWER_TYPES: dict[str, tuple[tuple[str, ...], re.Pattern[str]]] = {
    # Which § of the minutes: a § number, not the person or figure the § is about.
    "paragraph": (("which paragraph", "which section", "in which paragraph", "under which paragraph", "vilken paragraf",
                   "i vilken paragraf", "under vilken paragraf", "vilket paragrafnummer"),
                  re.compile(r"§\s*\d")),
    # A time of day ("When exactly did the justerare sign?", "hur dags"): a day alone does not say it.
    "clock": (("when exactly", "exactly when", "what time", "at what time", "exakt nar", "nar exakt", "hur dags",
               "vilken tid pa dagen", "vilket klockslag", "vilken tidpunkt", "at which time"),
              re.compile(r"\bkl\.?\s*\d|\b\d{1,2}[.:]\d{2}\b|\b\d{1,2}\s*(?:am|pm)\b", re.IGNORECASE)),
    "when": (("nar", "when", "vilket datum", "what date", "hur dags", "what time", "vilken tid"),
             re.compile(rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}\s*(?:{_MONTH})\b|\b(?:{_MONTH})\s+\d|"
                        r"\b(?:19|20)\d{2}\b|\b\d{6}\b|\bkl\.?\s*\d|\b\d{1,2}[.:]\d{2}\b", re.IGNORECASE)),
    "amount": (("hur mycket", "how much"),
               re.compile(r"\d[\d\s\u00a0\u202f]*(?:,\d+)?\s*(?:kr\b|kronor|tkr|mnkr|mkr|miljon|sek\b|%|procent|"
                          r"per ?cent)", re.IGNORECASE)),
    "count": (("hur manga", "how many", "antalet", "number of"),
              re.compile(r"\d|\b(?:ingen|inga|inget|två|tva|tre|fyra|fem|sex|sju|åtta|atta|nio|tio|none|two|three|"
                         r"four|five|six|seven|eight|nine|ten)\b", re.IGNORECASE)),
    "who": (("vem", "vilka personer", "who", "whom"),
            re.compile(r"\b[A-ZÅÄÖÉ][a-zåäöéü-]+\s+[A-ZÅÄÖÉ][a-zåäöéü-]+|kommun|region|kassan|förmedlingen|"
                       r"fullmäktige|styrelse|nämnd|utskott|\bAU\b|förbundschef|ordförande|sekreterare|vakant|"
                       r"ingen\b|nobody|no one|none\b", re.IGNORECASE)),
}
# Words a question may open with before its question word ("och när …", "so who …").
_OPENERS = ("och", "men", "sa", "so", "and", "but", "ok", "okej", "hej", "hi", "hello")


def asked_type(question: str) -> str | None:
    """The kind of answer a question opening with its question word asks for, if any."""
    words = [w for w in re.findall(r"[\w']+", fold(question))]
    while words and words[0] in _OPENERS:
        words = words[1:]
    head = " ".join(words[:3])
    for kind, (starts, _evidence) in ANSWER_TYPES.items():
        if any(head == s or head.startswith(s + " ") for s in starts):
            return kind
    return None


def asks_type_only(question: str) -> bool:
    """Whether a question (a later part of one) is nothing but its question word ("… o vilken tid?",
    "… och när?"): it asks the type of answer about what the first part asks."""
    words = [w for w in re.findall(r"[\w']+", fold(question.lower()))]
    while words and words[0] in (*_OPENERS, "o", "å"):
        words = words[1:]
    rest = " ".join(words)
    for pointer in _POINTING_BACK:  # "… o när var det?": what the first part asks about
        rest = rest.removesuffix(" " + pointer)
    return any(rest == s for starts, _evidence in ANSWER_TYPES.values() for s in starts)


# A copula with a pronoun pointing back at the first part ("när var det", "what time is it").
_POINTING_BACK = ("var det", "ar det", "blir det", "blev det", "sker det", "hande det", "was it", "was that",
                  "is it", "is that", "will it be", "did it", "does it", "det", "it", "that")


# Lexicon kinds whose names the answer must speak of when the question names them.
NAMED = ("grant", "budget_line", "person", "member_body")

# Digits written with spaces between thousands ("1 250 000"), joined before comparing.
# A space between thousands ("1 250 000"), not the one after a date's day ("2024-04-30 100 000").
_THOUSANDS = re.compile(r"(?<!\d[-./:]\d\d)(?<!\d[-./:]\d)(?<=\d)[ \u00a0\u202f](?=\d{3}\b)")
# A number, a version ("2.0") or a reference with letters in front ("P21/4"); "11/6" is a day.
_NUMBER = re.compile(r"[A-Za-z]*\d+(?:[.,/]\d+)*")
# A quotation holds the question's topic when it covers this share of its topic words.
QUOTE_COVERAGE = 0.5


def vet(q: Question, reading: Reading | None, reply: Reply) -> Reply:
    """The reply as given, or an honest "not found" naming what the answer does not hold."""
    if not reply.answered:
        return reply
    haystack = reply.text + "\n" + "\n".join(s.label_without_title() for s in reply.sources)
    haystack += _meeting_day(q, reply)
    haystack += "\n" + "\n".join(_labels_with_named_day(q, reply))
    missing = missing_numbers(q.text, haystack)
    if missing:
        # A number that identifies the thing ("the grant of 990 000 kr") may stand in the cited §.
        missing = missing_numbers(q.text, haystack + "\n" + _cited_text(q, reply))
    missing += _missing_relative_year(q, haystack) + _missing_period_end(q, reading, reply.text) + \
        _missing_names(q, reading, haystack)
    if not missing and reading is not None and not reading.kind.quotes and _code_missing(q, reply) is not None:
        # (The cited §'s text is read only for a code the answer itself does not hold.)
        code = _code_missing(q, reply, _cited_text(q, reply))
        missing = [code] if code else []
    if not missing:
        missing = unexplained(q, reading, reply)
    unasked = [] if missing else (_unrecorded(q, reading, reply) or _unread_negation(q, reading)
                                  or unanswered_operations(q, reading, reply.text))
    off_topic = not missing and not unasked and (_quote_off_topic(q, reading, reply) or lacks_type(q.text, reply, reading, q)
                                                     or _count_not_quoted(q, reading, reply))
    if not (missing or unasked or off_topic):
        if _written_before(q, reading, reply):
            return _withdrawn(q, reply, "Handlingarna som säger något om det är skrivna före den tid du frågar om, så "
                              "vad som hände då framgår inte. Det som står där:",
                              "The documents that speak of this were written before the time you ask about, so "
                              "what happened then is not recorded. What they say:")
        if _of_the_anchor(q, reading, reply):
            return _withdrawn(q, reply, "Det här gäller dagen du räknar från, inte mötet före eller efter den. "
                              "Det som står där:",
                              "This is about the day you count from, not the meeting before or after it. "
                              "What it says:")
        if _announced_only(q, reading, reply):
            # A kallelse says what a meeting is to take up, never what it decided.
            return _withdrawn(q, reply, "Det här står bara i kallelsen till mötet; vad som beslutades framgår inte, "
                              "eftersom protokollet inte finns i handlingarna.",
                              "This is only in the notice (kallelse) of the meeting; what was decided is not "
                              "recorded, as its minutes are not in the documents.")
        return reply
    if missing:
        what = ", ".join(f"”{m}”" for m in missing)
        sv, en = f"Jag hittar inget om {what} i handlingarna.", f"I find nothing about {what.replace('”', '“', 1)} in " \
            "the documents."
    elif unasked:
        words = ", ".join(f"”{w}”" for w in unasked)
        sv = f"Handlingarna ger inget svar på det du frågar ({words})."
        en = f"The documents give no answer to what you ask ({words.replace('”', '“')})."
    else:
        sv, en = "Jag hittar inget i handlingarna som svarar på det.", "I find nothing in the documents that answers that."
    return _withdrawn(q, reply, sv + " Det närmaste som finns:", en + " The nearest there is:")


def _withdrawn(q: Question, reply: Reply, sv: str, en: str) -> Reply:
    """The reply shown as what the documents hold, not as an answer, after why it is not one."""
    return Reply(text=q.t(sv, en) + "\n" + reply.text, answered=False, sources=reply.sources, facts=reply.facts,
                 actions=reply.actions, language=reply.language)


# What asks for a meeting's outcome, as opposed to what it was to take up.
OUTCOME_CUES = ("beslut", "beslöt", "decid", "decision", "approv", "godkän", "godkand", "antog", "antogs", "adopt",
                "fastställ", "landade", "beviljade", "beviljades", "granted", "resolved", "in the end", "till slut",
                "blev det", "vad blev", "what came of", "outcome", "utfallet av", "funded", "finansierades",
                "fick finansiering", "got funding", "got the money", "fick pengar", "said yes", "said no", "sa ja",
                "sade ja", "sa nej", "sade nej")


# What asks for the final outcome of a matter, after whatever a notice says of it.
FINAL_OUTCOME_CUES = ("in the end", "eventually", "finally", "ultimately", "till slut", "slutligen", "i slutändan",
                      "i slutandan", "till sist", "what came of", "vad blev det av", "landade",
                      # Whether it ever came to a yes or a no ("blev det ja el nej nån gång", "was it ever approved").
                      "någon gång", "nån gång", "nagon gang", "nan gang", "ever=", "ja eller nej", "ja el nej",
                      "ja elr nej", "ja/nej", "yes or no", "yes/no", "blev det ja", "blev det nej", "did it happen")

# Words of a kallelse's own text that state a decision already taken (or not taken).
STATED_DECISION = ("fattat", "fattade", "fattades", "beslutade", "beslutades", "beslöt", "antogs", "antagit",
                   "beviljades", "beviljat", "godkändes", "godkänt")


# A meeting asked of as ahead ("nästa möte", "the upcoming meeting"); a day after the asking day is too.
MEETING_AHEAD = ("nästa", "next", "kommande", "upcoming", "coming")


def _announced_only(q: Question, reading: Reading | None, reply: Reply) -> bool:
    """A reply all of whose sources are a meeting's kallelse, given for what the meeting decided:
    the kallelse holds the proposal, not the decision."""
    if not reply.sources or any(s.kind != "kallelse" for s in reply.sources):
        return False
    cues = q.cues
    if not cues.any(OUTCOME_CUES) or cues.any(("förslag", "proposal", "proposed", "föreslås")):
        return False
    if reading is not None and not reading.kind.quotes:
        # A fact read from a kallelse (its agenda, its day) answers what is asked of the meeting ahead,
        # never what it decided ("beviljade vi nåt till knytpunkten?" is not answered by the agenda).
        ahead = cues.any(MEETING_AHEAD) or (bool(q.dates) and all(d.start >= q.ctx.today for d in q.dates))
        return not (ahead or cues.any(AGENDA_ASKED) or passages.asks_ahead(q))
    # A kallelse that itself states a decision taken before it ("någon finansiering har styrelsen
    # inte fattat") does answer whether one was taken, but not what came of the matter at the
    # meeting it calls to ("in the end", "till slut").
    # Nor what a meeting named by its day or month decided ("at the september meeting"): that is the
    # meeting the kallelse calls to, or another of which it holds no record.
    of_its_meeting = any((d.end - d.start).days <= passages.EVENT_SPAN_DAYS for d in q.dates)
    return cues.any(FINAL_OUTCOME_CUES) or of_its_meeting or not Cues(tokens(reply.text)).any(STATED_DECISION)


def _of_the_anchor(q: Question, reading: Reading | None, reply: Reply) -> bool:
    """A reply all of whose sources are of the very day the question counts from ("vad händer efter mötet
    11 juni 2021" answered with the decisions of 11 June): the meeting kind alone counts from a day."""
    from handlers.answers.meetings import anchored

    if reading is not None and reading.kind.name == "meeting":
        return False
    days = {d.start for d in q.dates if d.exact and d.year_given}
    if len(days) != 1 or not reply.sources or anchored(q) is None:
        return False
    return all((s.meeting_date or s.attached_to) in days for s in reply.sources)


def _written_before(q: Question, reading: Reading | None, reply: Reply) -> bool:
    """A quotation whose every source was written before the month or day the question asks about
    ("what did the follow-up in February 2024 show", quoted from minutes of November 2023 saying
    it is to be reported then): the documents cannot say what happened at a time after them."""
    if reading is not None and not reading.kind.quotes:
        return False
    if not reply.sources or passages.asks_ahead(q) or q.cues.any(AGENDA_ASKED):
        return False
    return all(passages.source_written_before(q, s) for s in reply.sources)


def unexplained(q: Question, reading: Reading | None, reply: Reply) -> list[str]:
    """Words of the question that may name what it is about (q.capitalised: no cue of any kind,
    no function or filler word, no förbund, date or month) and that nothing in the answer accounts
    for: no thing of the store the question names, no word of the answer, its sources or its
    cited §, no translation of an English word. "Vad kostar hyran för kansliet?" answered with the
    budget line Kansli leaves "hyran" unexplained: the answer is about something else."""
    if reading is None or reading.kind.quotes:
        return []  # a quotation is checked for its topic by _quote_off_topic
    candidates = [w for w in dict.fromkeys(q.capitalised) if not has_digit(w)]
    if not candidates:
        return []
    named: set[str] = set()
    for mention in q.mentions:
        named |= matched_words(mention.entry.name, q.words)
    candidates = [w for w in candidates if w not in named]
    if not candidates:
        return []
    said = "\n".join([reply.text, *(f"{label} {value}" for label, value in reply.facts),
                      *(source.label() for source in reply.sources), _cited_text(q, reply)])
    heard = frozenset(tokens(said))
    return [w for w in candidates if not _accounted_for(w, heard) and not _compound_accounted_for(w, heard)
            and not names_the_cited_document(q, w, reply)]


def names_the_cited_document(q: Question, word: str, reply: Reply) -> bool:
    """Whether `word` names where the answer's figure is written ("enligt balansrapporten": the
    report cited has a section so headed), which asks for no fact of its own."""
    from handlers.answers.core import cited_document_text

    stem = documents_named.document_word(word)
    if stem is None or not documents_named.named_as_source(q.text, word):
        return False
    return any(stem in fold((s.part or "").lower()) or documents_named.heads(cited_document_text(q.session, s), stem)
               for s in reply.sources)


def _accounted_for(word: str, heard: frozenset[str]) -> bool:
    """A word the answer holds (in any form, or as the Swedish of an English word), a general word
    of asking, or a word of the question vocabulary."""
    from handlers.understanding.kinds import all_cue_words

    folded = fold(word)
    if is_general(word) or folded in all_cue_words() or folded in passages.FILLER or word in STOPWORDS:
        return True
    forms = [word, *_translations(word)]
    if any(word_match(form, h) >= 0.9 or _part_of(form, h) for form in forms for h in heard):
        return True
    # The word starts the documents use for an English word ("bought": "köp" meets "köper").
    starts = [fold(s) for s in english_sv.counterparts(word) if len(s) >= 3]
    return any(fold(h).startswith(s) or (len(s) >= 6 and s in fold(h)) for s in starts for h in heard)


def _compound_accounted_for(word: str, heard: frozenset[str]) -> bool:
    """A compound whose two parts are each accounted for ("novembermötet", "helårsprognos",
    "styrelsesammanträde" with its linking s)."""
    for cut in range(3, len(word) - 2):
        head, tail = word[:cut], word[cut:]
        tails = [tail, tail[1:]] if tail.startswith("s") and len(tail) > 4 else [tail]
        if (_accounted_for(head, heard) or fold(head) in _MONTH_PARTS) and any(
                _accounted_for(t, heard) for t in tails if len(t) >= 3):
            return True
    return False


# Months and seasons as the first part of a compound ("novembermötet", "höstmötet").
_MONTH_PARTS = frozenset(fold(m) for m in (*MONTHS, "höst", "vår", "sommar", "vinter", "jul"))


def _translations(word: str) -> list[str]:
    """The Swedish words the documents use for an English word of the question."""
    from handlers.answers.budget import ENGLISH
    from handlers.answers.kinds.people import POSITIONS_EN

    # By the word or its English stem ("recommended" as "recommend"), and positions ("economist": "ekonom").
    positions = [sv for en, sv in POSITIONS_EN.items() if word in en.split()]
    return [*passages.english_counterparts(word), *(w for t in ENGLISH.get(word, ()) for w in t.split()), *positions]


def _part_of(word: str, heard: str) -> bool:
    """A word of six letters or more standing inside a compound of the answer ("hyra" no, but
    "medlemsavgift" holds "avgift")."""
    return len(word) >= 6 and word in heard


def _labels_with_named_day(q: Question, reply: Reply) -> list[str]:
    """The whole labels of cited sources whose title dates them to a day the question names
    ("the kallelse for 20 sept" cites "Kallelse föredragningslista 2019-09-20"): that day was found."""
    days = [d.start for d in q.dates if d.exact]
    out = []
    for source in reply.sources:
        label = source.label()
        for day in days:
            if day.isoformat() in label or (f"-{day.month:02d}-{day.day:02d}" in label and not any(
                    d.year_given for d in q.dates if d.exact and d.start == day)):
                out.append(label)
                break
    return out


# Facets a question may ask anywhere in it, and what an answer must hold to give them (question
# cues folded; evidence as written). A name, a figure or a list without the facet answers something else:
# - a share ("förbundschefen jobbar hur mycket procent hos oss?"): a percentage;
# - how large a post is ("heltid eller deltid", "a part time or full time post"): a share of full time
#   or the words for it;
# - the party of people ("vilka partier tillhör ledamöterna", "which party is she in"): a party's letters
#   as protocols write them beside a name ("Karin Näsmark (S)") or a party's name.
FACETS_ASKED: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "percent": (re.compile(r"\b(?:hur (?:mycket|manga|stor) procent|vilken procent|hur manga procent|"
                           r"how (?:much|many) per ?cent|what per ?centage|what per ?cent|which per ?centage)"),
                re.compile(r"%|procent|per ?cent", re.IGNORECASE)),
    "extent": (re.compile(r"\b(?:heltid|deltid|halvtid|full[- ]?time|part[- ]?time|tjanstgoringsgrad|"
                          r"sysselsattningsgrad|hur stor tjanst)"),
               re.compile(r"%|procent|per ?cent|heltid|deltid|halvtid|full[- ]?time|part[- ]?time|tjänstgöringsgrad|"
                          r"sysselsättningsgrad", re.IGNORECASE)),
    # What a thing is for, asked in English with the preposition left at the end ("what is the grant
    # for?", "what does it pay for?"): its purpose as the documents state it, not its amount.
    # Swedish asks it "vad är X till för?" or names it ("syftet med X", "ändamålet med X").
    "purpose": (re.compile(r"^(?:(?:so|and|but|ok)\s+)?what\b(?!\s+(?:period|year|years|month|months|date|dates|"
                           r"time|times)\b)[^?]*\bfor\s*[?.!]*\s*$|\btill\s+for\s*[?.!]*\s*$|"
                           r"\b(?:syfte|syftet|andamal|andamalet)\s+med\b"),
                re.compile(r"syfte|purpose|för att|för avsikt|ändamål|in order to|\baim|målgrupp|target group",
                           re.IGNORECASE)),
    # Money a budget takes from a reserve ("how much was to be covered from equity", "hur mycket tas från
    # det egna kapitalet"): what is drawn, as a report states it, not the reserve's own figure.
    "drawn": (re.compile(r"\b(?:covered|cover|taken|take|drawn|draw|financed|funded|met|tas|tags|togs|tacks|tackas|"
                         r"finansieras)\s+(?:from|out of|by|with|fran|ur|av|med)\s+(?:the\s+|det\s+|our\s+|its\s+)?"
                         r"(?:equity|eget|egna|reserves?|savings|sparade|capital)\b"),
              re.compile(r"underbalanser|tas från|tas ur|taken from|covered from|covered by|ianspråk|förbruka|drawn from|"
                         r"täcks av|täcks med|from equity|ur det egna|från det egna", re.IGNORECASE)),
    # A shortfall asked ("by how much was it underbalanced", "hur stort underskott"): a shortfall or a
    # difference stated, not the two totals it lies between.
    "shortfall": (re.compile(r"\b(?:underbalanced|unbalanced|underbalanser\w*|deficit|deficits|shortfall|underskott\w*)\b"),
                  re.compile(r"underbalanser|underskott|deficit|shortfall|differen|skillnad|negativ|minus|[-−]\s?\d",
                             re.IGNORECASE)),
    # (The English "parties" of an application or an agreement are its parter, not political parties:
    # "which parties applied together for X", "the period the parties intend to work together".)
    "party": (re.compile(r"\b(?:parti|partiet|partier|partierna|partitillhorighet|partibeteckning|partifarg|"
                         r"political affiliation|politiska tillhorighet)\b|^(?!.*\b(?:appl\w*|together|jointly|"
                         r"co-?operat\w*|collaborat\w*|agree\w*|contract\w*|intend\w*|involved|one of the parties)\b).*\bpart(?:y|ies)\b"),
              re.compile(r"\([A-ZÅÄÖ]{1,4}[,)]|(?i:socialdemokrat|moderat|centerpartiet|vänsterpartiet|"
                         r"liberalerna|kristdemokrat|miljöpartiet|sverigedemokrat|social democrat)")),
}


def _count_not_quoted(q: Question, reading: Reading | None, reply: Reply) -> bool:
    """A quotation answering "hur många X" must state a number beside the X, as a sentence of the
    documents is read for a count: a passage on the topic holding some other number ("del 2") is
    no count of it."""
    if (reading is not None and not reading.kind.quotes) or asked_type(q.text) != "count":
        return False
    from handlers.answers import stated

    return stated.states_count(q, reply.text) is False


def lacks_type(question: str, reply: Reply, reading: Reading | None = None, q: Question | None = None) -> bool:
    """The answer holds nothing of the kind the question word asks for (see ANSWER_TYPES), no
    period where one is asked (PERIOD_ASKED), and, when vetting `q`'s own answer, nothing that
    decides a yes/no question (undecided), only a meeting's day where what it takes up is asked
    (AGENDA_ASKED), or no name where one is asked (NAME_ASKED)."""
    folded = fold(question.lower())
    if any(asked.search(folded) and not evidence.search(reply.text) for asked, evidence in FACETS_ASKED.values()):
        return True  # "is it a part time or full time post?" is not answered by the grant's amount
    if _asks_period(folded) and not _PERIOD.search(reply.text) and not (
            _AT_A_MEETING.search(folded) and _SECTIONS_SPAN.search(reply.text)):
        return True
    if q is not None and (undecided(question, reply, reading) or _only_meetings(folded, reply)
                          or _unnamed(q, folded, reply)):
        return True
    kind = asked_type(question)
    if kind is None:
        return False
    evidence = ANSWER_TYPES[kind][1]
    if kind == "when" and (reading is None or reading.kind.quotes) and not _asks_meetings_day(folded):
        # "När startade samordningsteamet?": a quotation answers it only by a time it states; the day
        # of the meeting its source names is when a matter was taken up, not when the thing began.
        return not evidence.search(reply.text)
    # A quoted § answers "when" by the meeting its source names.
    said = "\n".join([reply.text, *(f"{label} {value}" for label, value in reply.facts),
                      *(source.label() for source in reply.sources)])
    return not evidence.search(said)


# Verbs (folded stems) of what a board does at a meeting: "när beslutades X" is answered by the day of
# the meeting whose § is quoted.
MEETING_ACTS = ("beslut", "beslot", "bevilj", "behandl", "diskuter", "godkan", "anto", "antag", "fastst", "tog",
                "togs", "tagit", "tas upp", "tar upp", "fattad", "utsag", "utsedd", "valdes", "vald", "informer",
                "rapporter", "presenter", "redovis", "yttrade", "decid", "approv", "grant", "discuss", "adopt",
                "agreed", "took up", "taken up", "elected", "appointed", "present", "report", "raised", "came up",
                "comes up", "kom upp", "kommer upp", "motet", "mote", "meeting", "sammantrad", "protokoll", "minutes",
                "prat", "talk", "spoke", "traff", "dialog", "besok", "visit", "met ", "hade information", "informed")


def _asks_meetings_day(folded: str) -> bool:
    padded = " " + " ".join(re.findall(r"[\w']+", folded)) + " "
    return any(f" {stem}" in padded for stem in MEETING_ACTS)


# A period or a duration asked anywhere in the question ("till när gäller det", "hur länge har X
# varit …", "for which period", "since when"): a meeting's day or a single date is no period.
PERIOD_ASKED = ("hur lange", "hur lang tid", "sedan nar", "sen nar", "sedan vilket ar", "fran och med nar",
                "till nar", "fram till nar", "tills nar", "for vilken period", "under vilken period", "vilken period",
                "hur manga ar", "how long", "since when", "until when", "till when", "for which period",
                "for what period", "what period", "which period", "for how long", "how many years")
# What holds a period: two dates (as ISO, as YYMMDD, or a day and a month), an end ("t.o.m.",
# "until", "–" after a day), a span of hours, or a duration in days, weeks, months or years.
_DAY = rf"(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{6}}|\d{{1,2}}\s+(?:{_MONTH})(?:\s+\d{{4}})?)"
_PERIOD = re.compile(
    rf"{_DAY}\s*(?:[-–—]|till|to|until|t\.?\s?o\.?\s?m\.?)\s*{_DAY}|"
    rf"(?:t\.?\s?o\.?\s?m\.?|till och med|fram till|until|up to|through|ends?|slutar|upphör)\s+{_DAY}|"
    r"\b\d{1,2}[.:]\d{2}\s*[-–—]\s*\d{1,2}[.:]\d{2}\b|\bkl\.?\s*\d{1,2}\s*[-–—]\s*\d{1,2}\b|"
    r"\b\d+(?:[.,]\d+)?\s*(?:dagar|dag|veckor|vecka|månader|månad|år|timmar|timme|minuter|days?|weeks?|months?|years?|"
    r"hours?|minutes?)\b|\b(?:tills vidare|until further notice|permanent)", re.IGNORECASE)


# How long someone was at a meeting is said by the §§ they were there for ("§§ 1-4b").
_AT_A_MEETING = re.compile(r"\b(?:mote|motet|moten|sammantrade|sammantradet|styrelsemotet|meeting|mtg)\b")
_SECTIONS_SPAN = re.compile(r"§§\s*\d+\s*\w?\s*[-–—]\s*\d+")


def asks_period(question: str) -> bool:
    """Whether a question asks a period or a duration anywhere ("… och hur länge håller den på?")."""
    return _asks_period(fold(question.lower()))


def _asks_period(folded: str) -> bool:
    padded = " " + " ".join(re.findall(r"[\w']+", folded)) + " "
    return any(f" {cue} " in padded for cue in PERIOD_ASKED)


# Finite verbs that open a yes/no question ("Är förbundschefen delad …?", "Was X one of them?").
# "var" also asks where: before a verb ("var hålls mötet") it does (_WHERE_VERBS).
YES_NO_OPENERS = frozenset(f for w in (
    "är", "ar", "var", "blev", "blir", "fick", "får", "far", "har", "hade", "deltog", "närvarade", "satt", "sitter",
    "tjänstgjorde", "finns", "fanns", "kommer", "ska", "skall", "kan", "kunde", "gick", "godkändes", "beviljades",
    "beslutade", "beslöt", "sökte", "söker", "jobbar", "arbetar", "delar", "delas",
    "is", "are", "was", "were", "did", "does", "do", "has", "have", "had", "may", "can", "could", "will", "would",
    "should") for f in (w, fold(w)))
_WHERE_VERBS = frozenset(fold(w) for w in (
    "är", "ar", "e", "ä", "va", "var", "ligger", "låg", "hålls", "hölls", "holls", "hålles", "blir", "blev", "sker",
    "skedde", "äger", "förvaras", "finns", "fanns", "möts", "träffas", "ska", "skall", "kommer", "sitter", "satt",
    "någonstans", "nånstans"))
# Words a question may open with before its verb ("och var …", "btw is …"), and a name set off
# before it ("Mathias Haglund, var han …").
_YES_NO_LEAD = frozenset({*_OPENERS, "btw", "ps", "fast", "sorry", "undrar", "quick", "question"})
_LEADING_NAME = re.compile(r"^\s*[A-ZÅÄÖ][\w-]+(?:\s+[A-ZÅÄÖ][\w-]+)*\s*,\s*")
# A yes/no question that offers its alternatives ("fysiskt eller på Teams", "more or less") or asks
# whether any such thing exists ("Är det något möte …", "Was anyone from …") is decided by what the
# answer gives or lists.
_ALTERNATIVES = frozenset({"eller", "el", "elr", "or", "vs", "versus"})
_EXISTENCE = frozenset({"nagon", "nagot", "nagra", "nat", "nan", "nagonting", "anyone", "anybody", "anything", "any",
                        "someone", "somebody", "something", "inga", "ingen", "inget", "there"})
_EXISTENCE_HEADS = ("ar det", "finns det", "fanns det", "har vi", "har ni", "har de", "blir det", "blev det",
                    "hade vi", "ska vi ha", "do we have", "did we have", "have we", "is it", "was it")
# What in an answer decides a yes/no question by itself: yes or no, a list that names or lacks the
# thing, a status or a comparison stated, a period (whether something is still up), none.
_DECIDES = re.compile(
    r"^\s*(?:ja|nej|yes|no)\b|•|\b(?:beviljad|beviljat|beviljades|godkänd|godkänt|godkändes|beslutad|beslutades|"
    r"avslag|avslogs|avslagen|justerat|justerades|anslaget|vakant|inställt|granted|approved|rejected|declined|"
    r"decided|vacant|cancelled|ökar|ökade|minskar|minskade|oförändrad|oförändrat|högre|lägre|större|mindre|"
    r"increases?|increased|decreases?|decreased|unchanged|higher|lower|more than|less than|ingen|inga|inget|"
    r"none|nobody|no one)\b", re.IGNORECASE | re.MULTILINE)


_ADDRESSED = frozenset({"you", "u", "du", "ni", "dom"})


def _asking_words(question: str) -> list[str]:
    """The question's words (folded) from its verb on: without a leading name set off by a comma or
    an opener ("btw", "och")."""
    lead = _LEADING_NAME.match(question)
    words = re.findall(r"[\w']+", (question[lead.end():] if lead else question).lower())
    while words and fold(words[0]) in _YES_NO_LEAD:
        words = words[1:]
    # The verb as typed ("Åre kommun …" does not open with "are"), the rest folded.
    return words[:1] + [fold(w) for w in words[1:]]


def asks_yes_no(question: str) -> bool:
    """Whether a question opens with a finite verb, so asks yes or no ("Is the förbundschef shared
    with another förbund?", "var Lotta Q med i beslutet …?"), and not where ("var hålls mötet?")."""
    words = _asking_words(question)
    if not words or words[0] not in YES_NO_OPENERS or (len(words) > 1 and words[1] in _ADDRESSED):
        return False  # "Could you explain why …", "kan du visa …" ask for something, not yes or no
    return not (fold(words[0]) == "var" and len(words) > 1 and words[1] in _WHERE_VERBS)


def undecided(question: str, reply: Reply, reading: Reading | None) -> bool:
    """A yes/no question given an answer that cannot decide it: no yes or no, no list, no status,
    comparison or period, only a fact of another type ("Is the förbundschef shared with another
    förbund?" answered with who the förbundschef is). A question offering its alternatives or asking
    whether anything exists is decided by what the answer gives; a quotation of the documents
    decides in their words."""
    if not asks_yes_no(question):
        return False
    words = [fold(w) for w in _asking_words(question)]
    # Whether anything exists is asked right after the verb ("Var någon med …", "Is there …", "Har
    # vi nåt möte …"); "Är ordföranden också ledamot i något annat förbund?" asks about the one named.
    if set(words) & _ALTERNATIVES or set(words[1:3]) & _EXISTENCE or any(
            " ".join(words).startswith(h + " ") for h in _EXISTENCE_HEADS):
        return False
    if reading is None or reading.kind.quotes:
        # A quotation decides in the documents' words, but only about whom the question names: a
        # decision's paragraph that never names the person does not say whether she took part in it.
        said = fold("\n".join([reply.text, *(s.label() for s in reply.sources)]).lower())
        return any(fold(name.lower())[:5] not in said for name in _names_written(question))
    return not (_DECIDES.search(reply.text) or _PERIOD.search(reply.text))


# A name as written inside a sentence: a capitalised word that does not open it.
_CALENDAR_WORDS = frozenset(fold(w.lower()) for w in (*MONTHS, "monday", "tuesday", "wednesday", "thursday", "friday",
                                                     "saturday", "sunday"))
_NAME_WRITTEN = re.compile(r"(?<![.?!:]\s)(?<=\s)([A-ZÅÄÖ][a-zåäöéü][\w-]+)")


def _names_written(question: str) -> list[str]:
    from handlers.understanding.kinds import all_cue_words

    # (A month or a weekday is written with a capital in English: "June", "Friday" name no one.)
    return [w for w in _NAME_WRITTEN.findall(question) if fold(w.lower()) not in all_cue_words()
            and fold(w.lower()).rstrip("s") not in _CALENDAR_WORDS]


# What a meeting is to take up or decide ("vad ska vi besluta om på fredag", "what's planned for the
# next meeting"), asked with "vad"/"what": a list of the meetings' days is no answer.
AGENDA_ASKED = ("beslutspunkt", "beslutsärende", "for decision", "planerat", "planerad", "planerade", "planeras",
                "planned", "planning for", "besluta om", "beslutas om",
                "decide on", "decide about", "be decided", "agenda", "dagordning", "dagordningen", "foredragningslista",
                "tas upp", "ta upp", "tar upp", "take up", "taken up", "prata om", "pratas om", "diskutera",
                "diskuteras", "discuss", "discussed", "behandla", "behandlas", "talk about", "on the table")
_WHAT_HEADS = ("vad", "va", "what", "what's", "whats", "vilka fragor", "vilka arenden", "vilka punkter",
               "which items", "which matters", "which questions")
# A line of the meeting kind's answer: a heading, a day with its time and place, or a source.
_MEETING_LINE = re.compile(
    r"^(?:(?:möten?|meetings?|nästa möte|next meeting|möte|meeting)\b[^:\n]*:\s*)?(?:•\s*)?"
    r"(?:\d{4}-\d{2}-\d{2}\b[^\n]*)?$|^(?:källa|källor|source|sources):", re.IGNORECASE)


def _only_meetings(folded: str, reply: Reply) -> bool:
    padded = " " + " ".join(re.findall(r"[\w']+", folded)) + " "
    words = padded.split()
    while words and words[0] in _OPENERS:
        words = words[1:]
    head = " ".join(words[:2])
    if not any(head == h or head.startswith(h + " ") for h in _WHAT_HEADS) or not any(
            f" {fold(c)} " in padded for c in AGENDA_ASKED):
        return False
    lines = [line.strip() for line in reply.text.split("\n") if line.strip()]
    return all(_MEETING_LINE.match(line) for line in lines)


# A name asked ("vad heter arbetskonsulenten …", "what's the name of the new koordinator"): only a
# person or a grant the store knows by name answers it, not a passage about the role.
NAME_ASKED = ("vad heter", "va heter", "vad hette", "vad kallas", "vilket namn", "namnet pa", "what s the name",
              "whats the name", "what is the name", "what was the name", "what name", "what are the names",
              "what were the names", "vilka namn", "vad heter de")


def _unnamed(q: Question, folded: str, reply: Reply) -> bool:
    padded = " " + " ".join(re.findall(r"\w+", folded)) + " "
    if not any(f" {cue} " in padded for cue in NAME_ASKED):
        return False
    words = tokens(reply.text)
    joined = " ".join(words)
    found = q.lexicon.find(words, kinds=("person", "grant"), organisation_ids=q.organisation_ids,
                           threshold=0.95)
    return not any(" ".join(tokens(m.entry.name)) in joined for m in found)


def _unread_negation(q: Question, reading: Reading | None) -> list[str]:
    """A negation the answering kind does not read: a cue phrase of that kind must hold it ("inte
    närvarande", "did not attend"). A quotation answers in the documents' own words (its topic is
    checked by _quote_off_topic)."""
    if reading is None or reading.kind.quotes:
        return []
    found = negation.negations(q.text)
    if not found:
        return []
    # Read when a cue phrase holding a negation is hit, or when the reading answers a facet that is
    # itself the negative ("absent": "were not beslutande, i.e. absent").
    for facet, (_weight, words) in reading.kind.cues.items():
        negative = [w for w in words if any(negation.is_negation(t) for t in tokens(w))]
        if negative and (facet in reading.facets or any(q.cues.hit(w) for w in negative)):
            return []
    return [found[0]]


def _unrecorded(q: Question, reading: Reading | None, reply: Reply) -> list[str]:
    """Cue words asking an attribute the documents do not record. A fact read from the store
    never answers one; a quotation only when it states such a value (an amount for a salary)."""
    out = []
    cues = without_phrases(q, NOT_UNRECORDED)
    for attribute, words in UNRECORDED.items():
        hits = [w.rstrip("=") for w in words if cues.hit(w)]
        if not hits:
            continue
        quoting = reading is None or reading.kind.quotes
        if not quoting or not UNRECORDED_EVIDENCE[attribute].search(reply.text):
            out.append(hits[0])
    return out[:1]


def _cited_text(q: Question, reply: Reply) -> str:
    """The text of the paragraphs the reply cites."""
    out: list[str] = []
    for source in reply.sources:
        if source.paragraph is None or source.meeting_date is None:
            continue
        rows = q.session.exec(
            select(Paragraph).join(Protocol, col(Paragraph.protocol_id) == col(Protocol.id))
            .join(Organisation, col(Organisation.id) == col(Protocol.organisation_id))
            .where(Protocol.meeting_date == source.meeting_date, Paragraph.number == source.paragraph,
                   Organisation.name == source.organisation)).all()
        out.extend(f"{p.title}\n{p.body}\n{p.decision or ''}" for p in rows)
    return "\n".join(out)


def _numbers(text: str) -> set[str]:
    """The numbers of a text, each as written without leading zeros ("09" is "9", "2.0" stays)."""
    out = set()
    for token in _NUMBER.findall(_THOUSANDS.sub("", text)):
        token = token.rstrip(".,")
        if token[:1].isalpha():
            token = token.lstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
            if "/" in token or "." in token:
                out.add(token)  # a Dnr such as P21/4: whole
                continue
        if re.fullmatch(r"\d{1,2}[.,]00", token):
            out.add(str(int(token[:-3])))  # a full hour: "kl. 12.00" is "klockan 12" (a version "2.0" stays)
        parts = token.split("/") if "/" in token else [token]
        out.update(str(int(p)) if p.isdigit() else p for p in parts if p)
    return out


def _meeting_day(q: Question, reply: Reply) -> str:
    """The day the question names, when it is a meeting of the förbund and a source is that meeting's
    document (a kallelse titled by its day): its numbers name the meeting the answer is from."""
    labels = " ".join(s.label() for s in reply.sources)
    days = [d for d in passages.days_of_meetings(q) if d.isoformat() in labels]
    return "".join(f"\n{d.day} {d.month} {d.year}" for d in days)


def missing_numbers(question: str, answer: str) -> list[str]:
    """Numbers, years and versions of the question that the answer does not hold, exactly."""
    have = _numbers(answer)
    question = dates.expand_short_forms(question)  # "16/11 -20" is the day 2020-11-16
    return [n for n in sorted(_numbers(question), key=question.find) if n not in have]


def _missing_relative_year(q: Question, haystack: str) -> list[str]:
    """A year named relative to the asking day ("nästa år", "i fjol") that the answer is not about."""
    if dates.years_in(q.text):
        return []
    m = dates._RELATIVE_YEAR.search(q.text)
    if m is None or fold(m.group(1)) == fold("årets"):  # "årets resultat" is a line, not a year
        return []
    year = q.ctx.today.year + dates.RELATIVE_YEARS[m.group(1).lower()]
    return [] if str(year) in _numbers(haystack) else [f"{m.group(1)} ({year})"]


def _missing_period_end(q: Question, reading: Reading | None, haystack: str) -> list[str]:
    """A part of a year the question names ("T2", "januari–augusti") that the answer's figures are
    not as of: a budget or a forecast for the year is not what happened up to that day."""
    if reading is None or not reading.kind.figure:
        return []  # a quotation speaks of the period in its own words
    # A figure's own text must say the day (a source's title holding it is no figure as of it); a
    # day that is a meeting names the protocol, not a period.
    meetings = {d for org_id in q.organisation_ids for d in q.lexicon.meeting_dates.get(org_id, [])}
    days = dates.period_ends(q.dates) + [d.start for d in q.dates if d.exact and d.year_given and d.start not in meetings
                                         and (d.start.month, d.start.day) != (12, 31)]
    # A part of a year named without its year ("enligt T2") is that point of whichever year the
    # answer's report is of.
    yearless = {d.end for d in q.dates if not d.year_given and not d.exact}
    return [q.t(f"t.o.m. {end.isoformat()}", f"up to {end.isoformat()}") for end in days
            if end.isoformat() not in haystack and not (end in yearless and end.isoformat()[4:] in haystack)]


def _missing_names(q: Question, reading: Reading | None, haystack: str) -> list[str]:
    """Things of the lexicon the question names with confidence that the answer never speaks of."""
    # A kind must speak of each thing of its own kinds the question names (a list of who took
    # part need not repeat the grant they work in); a quotation of every named thing.
    kinds = NAMED if reading is None or not reading.kind.entities else reading.kind.entities
    out = []
    for mention in q.mentions:
        name = mention.entry.name
        if mention.score < 0.9 or mention.entry.kind not in NAMED or mention.entry.kind not in kinds:
            continue
        # Only a name the question writes as one (a capital inside the sentence): "board" is no
        # mention of the budget line Styrelse.
        if not any(passages._capitalised_in(q.text, w.lower()) for w in re.findall(r"\w+", name) if len(w) >= 3):
            continue
        if not passages.mentions_name(haystack, name):
            out.append(name)
    return out


def _demanded(q: Question, answer: str = "") -> dict[str, set[str]]:
    """Cue words of the question that ask for an operation, by facet, from every kind's table."""
    out: dict[str, set[str]] = {}
    cues = without_phrases(q)
    for kind in KINDS.values():
        for facet, (weight, words) in kind.cues.items():
            if facet not in OPERATIONS or weight < STRONG:
                continue
            hit = {w for w in words if cues.hit(w) and not _in_a_name(q, w) and not _names_the_answer(q, w, answer)}
            if hit:
                out.setdefault(facet, set()).update(hit)
    return out


def unanswered_operations(q: Question, reading: Reading | None, answer: str = "") -> list[str]:
    """Cue words asking an operation that the answering kind does not answer."""
    demanded = _demanded(q, answer)
    if not demanded:
        return []
    own: set[str] = set()
    facets: tuple[str, ...] = ()
    if reading is not None:
        facets = reading.facets
        for _weight, words in reading.kind.cues.values():
            own.update(fold(w) for w in words)
    if reading is not None and reading.kind.quotes:
        return []  # a quotation answers in the documents' words; (c) checks it holds the topic
    out = []
    combining = {f: _combining_cues(q, reading, hit) for f, hit in demanded.items() if f in COMPOSITIONS}
    composed = [f for f, hit in combining.items() if hit]
    for facet, hit in demanded.items():
        if facet in facets and (not composed or facet in COMPOSITIONS):
            return []  # the kind answers one of the operations asked; the rest qualify it
        foreign = sorted(w for w in hit if fold(w) not in own)
        if foreign and len(foreign) == len(hit):
            out.append(foreign[0].rstrip("="))
        elif combining.get(facet) and not set(facets) & COMPOSITIONS:
            # A difference, sum or count asked is never answered by a single figure, even by a kind
            # whose own words include the cue.
            out.append(sorted(combining[facet])[0].rstrip("="))
    return out


def _combining_cues(q: Question, reading: Reading | None, hit: set[str]) -> set[str]:
    """The cues of a composition that do ask to combine figures: not a bare preposition ("under
    vilka paragrafer"), nor a word of a longer cue of the answering kind ("number" of "file number")."""
    own: set[str] = set()
    if reading is not None:
        for _weight, words in reading.kind.cues.values():
            for w in words:
                if " " in w and q.cues.hit(w):
                    own.update(fold(w).split())
    return {c for c in hit - AMBIGUOUS if not set(fold(c).rstrip("=").split()) & own}


def without_phrases(q: Question, phrases: tuple[str, ...] = NOT_OPERATIONS) -> Cues:
    """The question's cue words with `phrases` left out."""
    padded = q.cues.padded
    for phrase in phrases:
        padded = padded.replace(" " + fold(phrase) + " ", " ")
    return Cues(padded.split()) if padded != q.cues.padded else q.cues


def _names_the_answer(q: Question, cue: str, answer: str) -> bool:
    """Whether the question's words that hit a one-word cue are words of the name the answer's
    first line gives its figure ("Total budget", "Summa kostnader"): part of the thing asked, not
    an operation on it."""
    c = fold(cue)
    if " " in c or not answer:
        return False
    c = c.rstrip("=")
    first = {fold(w) for w in re.findall(r"\w+", answer.split("\n", 1)[0]) if w[:1].isupper()}
    hits = [fold(w) for w in q.words if fold(w).startswith(c)]
    return bool(hits) and all(any(h == a or (len(a) >= 5 and h.startswith(a)) for a in first) for h in hits)


def _in_a_name(q: Question, cue: str) -> bool:
    """Whether a one-word cue only hits words the question writes as a name ("Tillsammans för
    inkludering")."""
    c = fold(cue)
    if " " in c:
        return False
    c = c.rstrip("=")
    raw = re.findall(r"\w+", q.text)
    hits = [w for w in raw if fold(w.lower()).startswith(c)]
    if hits and all(fold(w.lower()) in q.named_words for w in hits):
        return True  # part of a line's or grant's name, as written or translated ("highest": "högsta")
    return bool(hits) and all(w[:1].isupper() and i > 0 for i, w in enumerate(raw) if w in hits)


def _quote_off_topic(q: Question, reading: Reading | None, reply: Reply) -> bool:
    """A quotation (a quoting kind, or no kind at all) that does not hold the question's topic."""
    if reading is not None and not reading.kind.quotes:
        return False
    if passages.protocols_in_question(q):
        return False  # quoted from the one meeting the question names: the meeting is the topic's place
    from handlers.understanding.kinds import all_cue_words

    # The quoting kind's own cue words (read from the kind itself: one the dispatcher uses without
    # registering it for the ranking, as handlers/answers/stated.py, has its words too).
    cue = {w for _weight, words in reading.kind.cues.values() for c in words for w in fold(c).rstrip("=").split()} \
        if reading is not None else all_cue_words()
    terms = [group for group, word in zip(passages.topic_terms(q, cue), passages._topic_words(q, cue), strict=True)
             if not q.lexicon.organisations_named([word])]  # where to look, not what to look for
    if _acronym_not_quoted(q, reply) or _figure_not_quoted(q, reply):
        return True
    if not terms:
        return False
    return passages._coverage(terms, reply.text) < QUOTE_COVERAGE


# An acronym the question writes ("EU-medel", "ISF", "NNS"), or the short part of a hyphenated word
# however cased ("eu-medel", "it-spåret", "projekt se-s"), names its topic more surely than any
# other word: an answer without it is about something else, whatever else it shares.
_ACRONYM = re.compile(r"(?<![\w-])([A-ZÅÄÖ]{2,})(?![a-zåäö])")
_SHORT_PART = re.compile(r"(?<![\w-])([^\W\d_]{2,3})-(?=[^\W\d_])|(?<=[^\W\d_])-([^\W\d_]{1,3})(?![\w-])")


# Short parts of hyphenated words that are prefixes or particles, not codes ("re-invoicing",
# "follow-ups", "co-funded", "e-post").
_NOT_CODES = frozenset({"re", "co", "non", "pre", "sub", "ex", "up", "ups", "in", "out", "on", "off", "by", "to", "of",
                        "de", "mid", "pro", "per", "all", "end", "set", "cut", "run", "fri", "och", "ej", "mer",
                        # Months as typed short ("nov-mötet", "juni-protokollet").
                        "jan", "feb", "mar", "apr", "maj", "may", "jun", "jul", "aug", "sep", "okt", "oct", "nov",
                        "dec"})


def _codes(question: str) -> list[str]:
    shorts = [part for a, b in _SHORT_PART.findall(question) if (part := a or b).lower() not in _NOT_CODES]
    return list(dict.fromkeys([*_ACRONYM.findall(question), *shorts]))


def _code_missing(q: Question, reply: Reply, cited: str = "") -> str | None:
    """A code of the question that neither the answer, its sources nor `cited` hold, and that is
    no förbund's, member body's or word of asking ("AF" is Arbetsförmedlingen, "T2" a tertial)."""
    from handlers.answers.core import ENGLISH_FUNCTION_WORDS
    from handlers.understanding.kinds import all_cue_words

    written = reply.text + "\n" + "\n".join(s.label() for s in reply.sources) + "\n" + cited
    said = fold(written)
    for code in _codes(q.text):
        word = fold(code)
        if code.isupper():
            held = re.search(rf"\b{re.escape(word)}\b", said) is not None
        else:
            # Written in lower case ("it-spåret"), held by the code in capitals or joined as typed,
            # not by the common word it spells ("it", "se").
            held = re.search(rf"\b{re.escape(code.upper())}\b", written) is not None or re.search(
                rf"\b{re.escape(word)}-\w", said) is not None
        if held:
            continue
        # A code that is a word of asking ("AU", "T2"); a short part of a hyphenated word is a code
        # even when it spells a common word ("it-spåret", "se-s").
        # (Not an English function word a cue phrase holds: "it" of "is it" is no cue of "it-spåret".)
        # (Capitals joined to a word, "IT-kostnaderna", are a code too: not the English "it".)
        attached = re.search(rf"(?<![\w-]){re.escape(code)}-\w|\w-{re.escape(code)}(?![\w-])", q.text) is not None
        if (_accounted_for(code.lower(), frozenset()) if code.isupper() and not attached
                else word in all_cue_words() and word not in ENGLISH_FUNCTION_WORDS):
            continue
        if any(_initials(s.organisation) == code.upper() for s in reply.sources if s.organisation):
            continue  # "SV" for Södra Vätterbygden
        named = [m for m in q.mentions if m.score >= 0.9 and re.search(rf"\b{re.escape(word)}\b", fold(m.entry.name))]
        if named or q.lexicon.organisations_named([code]) or any(
                passages.mentions_name(reply.text, m.entry.name) for m in q.mentions
                if m.entry.kind in ("member_body", "organisation") and m.score >= 0.75):
            continue
        whole = re.search(rf"(?<![\w-]){re.escape(code)}-[\w-]+|[\w-]+-{re.escape(code)}(?![\w-])", q.text)
        return whole.group(0) if whole is not None and not code.isupper() else code  # "it-spåret", not "it"
    return None


def _acronym_not_quoted(q: Question, reply: Reply) -> bool:
    return _code_missing(q, reply) is not None


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"\w+", name) if w[0].isupper() and not w.startswith("Samordningsförbund"))


def _figure_not_quoted(q: Question, reply: Reply) -> bool:
    """A sum, difference, count or share asked ("budg 2024 totalt, va landade den på?") and a
    quotation stating no figure at all: the documents' words are no figure combined."""
    demanded = _demanded(q, reply.text)
    if "why" in demanded:
        return False  # "varför blev kostnaden lägre än budget?" asks a reason
    if asked_type(q.text) not in (None, "amount", "count") and not q.cues.any(passages.AMOUNT_CUES):
        return False  # "när …", "vem …" ask no figure
    combining = [f for f, hit in demanded.items() if f in ("sum", "difference", "count", "share")
                 and any(w not in AMBIGUOUS for w in hit)]
    return bool(combining) and not re.search(r"\d", _NOT_FIGURES.sub(" ", reply.text))


# Numbers that are no figure of anything: a §, a year, a day.
_NOT_FIGURES = re.compile(rf"§+\s*\d+(?:\s*[-–]\s*\d+)?|\b(?:19|20)\d\d(?:-\d\d-\d\d)?\b|\b\d{{6}}\b|"
                          rf"\b\d{{1,2}}\s+(?:{_MONTH})\b", re.IGNORECASE)


def composes(facets: tuple[str, ...]) -> bool:
    """Whether a reading's facets ask to combine figures (a difference, a sum, a count …)."""
    return bool(set(facets) & COMPOSITIONS)
