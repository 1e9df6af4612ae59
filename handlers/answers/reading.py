"""How one question is read and answered: the best reading of every kind's cue table answers,
close readings that disagree ask back, none fitting shows what the documents say, and the
guard (handlers/answers/guard.py) lets an answer stand only when it answers what was asked."""

from __future__ import annotations

import dataclasses
import re

from handlers.answers import guard, passages, stated
from handlers.answers.core import EXCLUDABLE, Question
from handlers.answers.dates import expand_short_forms
from handlers.messages import Action, Reply
from handlers.understanding import exclusion
from handlers.understanding.general_words import is_general
from handlers.understanding.kinds import Reading, all_cue_words, rank

# A reading this close to the best is another way to read the question.
TIE = 0.1
# Below this, no kind fits: what the documents say is shown instead.
FLOOR = 0.6


def answer(q: Question, forced: str | None = None) -> Reply:
    """The best reading of the question answers it; close readings that disagree ask back."""
    readings = rank(q)
    if forced is not None:
        readings = [r for r in readings if r.kind.name == forced] or readings
    readings = [r for r in readings if r.score >= FLOOR]
    if not readings:
        return fallback(q)
    best = readings[0]
    reply = _run(q, best)
    if q.answered_by is not best:
        # The kind handed the question to another kind's reading (a name the grant kind knows no
        # grant by, that the documents speak of): that reading's answer, vetted as that kind's.
        return reply or fallback(q, may_answer=False)
    if forced is not None:
        return reply or fallback(q, may_answer=False)
    rivals = [r for r in readings[1:3] if r.score >= best.score - TIE and r.strong and best.strong]
    if reply is not None and reply.answered:
        for rival in rivals:
            if rival.kind.quotes and not best.kind.quotes:
                continue  # facts read from the store beat a quotation that fits as well
            if _operation(best) and not _operation(rival):
                continue  # a count or a difference is asked: a bare figure or list does not answer it
            other = _run(q, rival)
            if other is None or not other.answered or other.text in reply.text:
                continue  # the best reading's answer already says it (a two-part question)
            if _operation(rival) and not _operation(best):
                q.reading_facets = rival.facets
                q.answered_by = rival
                return other
            if reply.text in other.text:
                return other
            if best.kind.quotes and not rival.kind.quotes:
                return other
            return ask_back(q, [best, rival])
        q.reading_facets = best.facets
        q.answered_by = best
        return reply
    # The best reading found nothing; a close second that does find it answers instead.
    for rival in readings[1:3]:
        # (A best reading with nothing at all to say leaves the question to a strong rival however far
        # behind: "which of the two grants was larger" read first as budget lines, then as grants.)
        near = rival.score >= best.score - 0.3 or (reply is None and rival.strong)
        if not near or not (rival.strong or rival.entity >= 0.9 or rival.score >= best.score):
            break
        if reply is not None and guard.composes(best.facets) and not guard.composes(rival.facets):
            continue  # a comparison or a sum that lacks an operand is not answered by one figure instead
        other = _run(q, rival)
        if other is not None and other.answered:
            return other
    if reply is None:
        # A reading fitted but found nothing to answer with: the documents' words are shown, not
        # given as the answer to it.
        return fallback(q, may_answer=False)
    return reply


def _operation(reading: Reading) -> bool:
    """Whether the reading answers an operation the question asks (a count, a sum, a difference …)."""
    return bool(set(reading.facets) & guard.OPERATIONS)


def _run(q: Question, reading: Reading) -> Reply | None:
    q.reading_facets = reading.facets
    q.answered_by = reading
    reply = reading.kind.answer(q)
    if q.answered_by is not reading:
        return reply  # handed to another kind's reading, whose answer is no stored value
    if reply is not None and reply.answered and reading.kind.figure:
        return _accounted(q, reply)
    if reply is not None and not reply.answered and reading.kind.figure and not reply.actions and not reading.strong:
        # The thing named chose the reading, no cue of the kind's own: its stored facts do not hold
        # what is asked of it ("vilken målgrupp hade insatsen X"); its § may say it in words. (A
        # kind that was asked for one of its own facts and has none, has said so.)
        extra = passages.unexplained(q, "")
        quoted = _quoted(q, extra) if extra else None
        if quoted is not None:
            return quoted
    return reply


def _quoted(q: Question, extra: list[str]) -> Reply | None:
    """What the documents say about `extra`, the words of the question a stored value does not
    account for, when a passage holds all the question names (and an amount if one is asked)."""
    terms = passages.topic_terms(q, all_cue_words())
    found = passages.find(q, terms)
    asked = ", ".join(extra)
    # The passage must speak of the thing the value was about too ("hyran för kansliet"), with the
    # topic's words together in a sentence or two, not spread over a report's paragraph.
    named = [m.entry.name for m in q.mentions[:1]]
    # The topic's words together in a sentence or two, not spread over a long passage.
    if found and named and found[0].coverage >= 0.75 and all(passages.mentions_name(found[0].text, n) for n in named) \
            and passages.answers_amount(q, found[0].text) and passages.near_coverage(terms, found[0]) >= 0.75 \
            and (not _asks_who(q) or _names_a_person(found[0].text)):
        # (Asked who, a text naming no one is no answer: "the board decided to send it".)
        sources = list(dict.fromkeys(p.source for p in found[:2]))
        return Reply(text=q.t(f"Det här säger handlingarna om {asked}:", f"What the documents say about {asked}:")
                     + "\n" + "\n".join(f"• {p.text}" for p in found[:2]), sources=sources, language=q.language)
    if found and not named and _asks_who(q) and _person_beside(found[0].text, extra):
        # "Who came from Coompanion?": an organisation the store holds no entry for (no member, no
        # grant), named in a § beside the person asked for ("Kerstin Stickler från Coompanion").
        return Reply(text=q.t(f"Det här säger handlingarna om {asked}:", f"What the documents say about {asked}:")
                     + f"\n• {found[0].text}", sources=[found[0].source], language=q.language)
    return None


# A person named with where they come from, as the protocols write it: "Kerstin Stickler från
# Coompanion", "Elin Strid, KPMG", "Anna Berg (Coompanion)"; at most one word between.
_FROM_LINK = r"(?:\s+från\s+|\s+fran\s+|\s+from\s+|\s+på\s+|\s+vid\s+|\s+at\s+|\s*,\s*|\s*\(\s*)(?:\w+\s+)?"
# Capitalised pairs that name an organisation, not a person ("Samordningsförbundet Umeåregionen").
_NOT_A_PERSON = re.compile(r"förbund|kommun|region|landsting|kassan|förmedling|styrelse", re.IGNORECASE)


def _person_beside(text: str, words: list[str]) -> bool:
    """Whether the text names a person together with where they come from, for every word asked."""
    people = [m for m in _PERSON_NAME.finditer(text) if not _NOT_A_PERSON.search(m.group(0))]
    return bool(people) and bool(words) and all(
        any(re.match(_FROM_LINK + re.escape(w), text[m.end():], re.IGNORECASE) for m in people) for w in words)


def _accounted(q: Question, reply: Reply) -> Reply:
    """A value is the answer only if the question asks nothing the value is not about."""
    extra = passages.unexplained(q, "\n".join([reply.text, *(s.label() for s in reply.sources)]))
    extra = [w for w in extra if not guard.names_the_cited_document(q, w, reply)]
    if not extra:
        return reply
    quoted = _quoted(q, extra)
    if quoted is not None:
        return quoted
    asked = ", ".join(extra)
    return Reply(text=q.t(f"Jag hittar inget om ”{asked}” i handlingarna. Det som finns är:",
                          f"I find nothing about “{asked}” in the documents. What there is:") + "\n" + reply.text,
                 answered=False, sources=reply.sources, facts=reply.facts, language=q.language)


def vetted(q: Question) -> Reply:
    """A question's answer as the guard lets it stand (answered first: the guard checks the reading that answered),
    or else what `or_stated` finds."""
    reply = _left_out_kept(q, answer(q))
    return or_stated(q, guard.vet(q, q.answered_by, reply))


def _left_out_kept(q: Question, reply: Reply) -> Reply:
    """An answer that still counts what the question leaves out ("exkl Arbetsmarknadstorget" answered
    with it among the grants added up) is withdrawn: the filter is applied or nothing is answered.
    The answers that apply it say so as "utom X" / "except X"."""
    words = exclusion.excluded_words(q.text)
    if not reply.answered or words is None:
        return reply
    quoted = q.answered_by is None or q.answered_by.kind.quotes
    if quoted and any(len(w) >= 3 and not is_general(w) and passages.mentions_name(reply.text, w) for w in words):
        # "Vad beslutades mer …, utöver ISF-frågan?" answered with the ISF § itself: what is left out
        # is what the quotation is about.
        return dataclasses.replace(reply, answered=False, text=q.t(
            "Det jag hittar handlar om det frågan vill lämna utanför:",
            "What I find is about what the question leaves out:") + "\n" + reply.text)
    named = {m.entry.name for m in q.lexicon.find(words, kinds=EXCLUDABLE, organisation_ids=q.organisation_ids,
                                                   threshold=0.6)}
    said = reply.text
    for name in named:
        said = re.sub(rf"\b(?:utom|except)\s+{re.escape(name)}", " ", said, flags=re.IGNORECASE)
    if not any(exclusion.names_in(said, name) for name in named):
        return reply
    return dataclasses.replace(reply, answered=False, text=q.t(
        "Svaret nedan räknar inte bort det frågan vill lämna utanför:",
        "The answer below does not leave out what the question leaves out:") + "\n" + reply.text)


def or_stated(q: Question, reply: Reply) -> Reply:
    """`reply` when it answers (or asks back); else a sentence of the documents that states the
    value asked (handlers/answers/stated.py), if the guard lets it stand."""
    # "Which förbund?" is asked when a kind's facts fit several; a sentence found in one förbund's
    # documents alone needs no such choice.
    choosing = bool(reply.actions) and all(a.action_id == "ask.organisation" for a in reply.actions)
    if reply.answered or (reply.actions and not choosing):
        return reply
    found = stated.answer(q)
    if found is None or (choosing and len({s.organisation for s in found.sources}) != 1):
        return reply
    q.answered_by = stated.reading(q)
    # The question's dates are read in one form ("i slutet av augusti" is the 31st): the quotation too.
    as_read = dataclasses.replace(found, text=expand_short_forms(found.text, tertials=False))
    return found if guard.vet(q, q.answered_by, as_read).answered else reply


def ask_back(q: Question, readings: list[Reading]) -> Reply:
    """Two readings fit about equally and answer differently: ask which, with buttons."""
    labels = [q.t(r.kind.label_sv, r.kind.label_en) for r in readings]
    text = q.t("Menar du ", "Do you mean ") + q.t(" eller ", " or ").join(labels) + "?"
    actions = [Action(label=label[:70], action_id="ask.kind", value=f"{r.kind.name}|{q.text}")
               for label, r in zip(labels, readings, strict=True)]
    return Reply(text=text, answered=False, actions=actions, language=q.language)


def fallback(q: Question, may_answer: bool = True) -> Reply:
    """No kind of question fits: show what the documents say, answered only on a strong match."""
    q.answered_by = None
    found = passages.find(q, passages.topic_terms(q, all_cue_words()))
    if not found or found[0].coverage < 0.5:
        return Reply(q.t("Jag hittar inget i handlingarna som svarar på det. Skriv \"hjälp\" för exempel på vad du "
                         "kan fråga.",
                         "I find nothing in the documents that answers that. Type \"help\" for examples."),
                     answered=False, language=q.language)
    terms = passages.topic_terms(q, all_cue_words())
    best = found[0]
    # The topic's words together in a sentence or two (or with the § title), not spread over a long §.
    near = passages.near_coverage(terms, best)
    strong = passages.answers_amount(q, best.text) and (
        (may_answer and near >= 0.75 and len(terms) >= 2)
        # "Vad är Genuskompassen?": one word, and a text that says what it is.
        or (may_answer and len(terms) == 1 and near >= 1 and passages.asks_definition(q)
            and passages.defines(terms, best.text))
        # A reading fitted but found nothing: only a sentence holding every word of a long topic.
        or (len(terms) >= 3 and best.coverage >= 0.99 and near >= 0.99)
        # "När är handläggarforum del 2?": one thing named, and a sentence that names it with the
        # question's own numbers and gives a day.
        or (may_answer and len(terms) == 1 and near >= 1 and _dated_sentence(q, terms, best.text)))
    if strong and len(terms) >= 2 and passages.asks_wording(q) and not passages.states_any(terms, best.text):
        # "What's the new vision in the plan? Just the wording": a text that only mentions the vision
        # ("den nya visionen finns med i förslaget") does not give it.
        strong = False
    if strong and _asks_who(q) and not _names_a_person(best.text):
        # "Vem skickade ut protokollet?" is not answered by a text naming no one ("styrelsen beslutade
        # att skicka den"): shown as what the documents say, not as the answer.
        strong = False
    shown = [p for p in found if p.coverage >= found[0].coverage - 0.25][:2]
    head = q.t("Det här säger handlingarna:", "What the documents say:") if strong else q.t(
        "Jag är inte säker på att det här svarar på frågan, men handlingarna säger:",
        "I am not sure this answers the question, but the documents say:")
    sources = list(dict.fromkeys(p.source for p in shown))
    return Reply(text=head + "\n" + "\n".join(f"• {p.text}" for p in shown), answered=strong, sources=sources,
                 language=q.language)


def _dated_sentence(q: Question, terms: list[tuple[str, ...]], text: str) -> bool:
    """Whether a "when" question is answered by a sentence of the text that holds the topic, every
    number of the question that is no year ("del 2"), and a day or a time."""
    if guard.asked_type(q.text) != "when":
        return False
    numbers = [n for n in re.findall(r"\b\d+\b", q.text) if not re.fullmatch(r"(?:19|20)\d\d", n)]
    day = guard.ANSWER_TYPES["when"][1]
    return any(passages._coverage(terms, s) >= 1 and all(re.search(rf"\b{n}\b", s) for n in numbers)
               and day.search(s) is not None for s in passages._sentences(text))


# A person's name as the documents write it: two capitalised words, not a body's ("Jönköpings kommun").
_PERSON_NAME = re.compile(r"\b[A-ZÅÄÖ][a-zåäöéü]+ (?!kommun|län|Region|Regionen|Kommun)[A-ZÅÄÖ][a-zåäöéü]+\b")


# An actor asked by its kind ("which firm won …", "vilket företag fick …"): as "who" asks one.
ACTOR_NOUNS = ("firm", "firms", "company", "companies", "consultant", "consultancy", "supplier", "contractor",
               "företag", "företaget", "firma", "firman", "konsult", "konsulten", "leverantör", "leverantören")


def _asks_who(q: Question) -> bool:
    words = [w.lower() for w in q.words]
    if not words:
        return False
    return words[0] in ("vem", "vilka", "who", "whom") or (
        words[0] in ("which", "what", "vilket", "vilken", "vilka") and len(words) > 1 and words[1] in ACTOR_NOUNS)


# Those who do things for the board, as the protocols name them (the board itself, which decides
# everything, names no one who did what was decided).
ACTORS = re.compile(r"\b(?:förbundschef\w*|AU|AUs|arbetsutskott\w*|ordförande\w*|sekreterare\w*|"
                    r"beredningsgrupp\w*|presidi\w*|verksamhetsutvecklar\w*|processledar\w*|projektledar\w*)\b")


def _names_a_person(text: str) -> bool:
    return _PERSON_NAME.search(text) is not None or ACTORS.search(text) is not None


def merge(first: Reply, second: Reply) -> Reply:
    """Two answers to a two-part question, as one reply with both sources."""
    sources = list(first.sources) + [s for s in second.sources if s not in first.sources]
    # The second part may restate what the first already said (the justerare beside the deadline).
    said = set(first.text.splitlines())
    kept = [line for line in second.text.splitlines() if line not in said]
    # The first part's heading again ("Enligt protokollet från …:"), with its lines all said already,
    # says nothing. (A heading of its own, "Jag hittar inget om …:", is kept.)
    kept = [line for i, line in enumerate(kept)
            if not (line.rstrip().endswith(":") and (i + 1 == len(kept) or kept[i + 1].rstrip().endswith(":"))
                    and any(s.startswith(line.rstrip()[:-1]) for s in said))]
    rest = "\n".join(kept)
    return Reply(text=f"{first.text}\n{rest}" if rest else first.text, answered=first.answered and second.answered,
                 sources=sources, facts=first.facts + second.facts, language=first.language)
