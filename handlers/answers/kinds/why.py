"""Why something happened, what was decided on a topic or at a meeting: answered from the
paragraphs themselves, the best ones quoted with their §."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from sqlmodel import col, select

from handlers.answers import passages, protocols
from handlers.answers.core import Question, choose_organisation, cited_document_text, not_found, source_for
from handlers.answers.text import fold, tokens
from handlers.messages import Reply, Source
from handlers.understanding.kinds import KINDS, REASON_CUES, Cues, Kind, register
from storage.ingest.sections import other_citation
from storage.models import Attendance, Document, Paragraph, Person, Protocol

CUES = {
    "why": (1.0, REASON_CUES),
    "decided": (0.9, ("beslut=", "beslutet", "besluten", "beslutade", "beslutades", "beslutat", "beslutar",
                      "delegationsbeslut", "beslöt", "fattade", "fattades", "fattat", "decid", "decision", "resolved", "bestämde", "bestämt", "kom fram",
                      "agreed", "landade", "what came out", "land on", "landed on", "settle on", "settled on", "godkände", "antog", "adopt", "approved", "uppdrag", "fastställ",
                      "assignment", "tasked", "task=", "tasks", "gick igenom", "went through", "bifölls", "bifall",
                      # Whether a motion was carried ("and did it go through / pass?", "fick det gehör?").
                      "go through", "gone through", "pass=", "passed=", "was it carried", "was carried", "gehör", "asked to", "was told to", "instructed", "ombads", "ombedd",
                      # An assignment asked by what is to be done ("vad ska förbundschefen ta fram till nästa möte").
                      "ta fram", "tas fram", "prepare for", "to prepare", "report back on",
                      # Where the board came out, as members say it ("what did we land on", "vad landade vi i").
                      "land on", "landed on", "end up with", "ended up with", "end up deciding", "ended up deciding",
                      "go with", "went with", "settle on", "settled on", "landade i", "landade vi", "landade ni",
                      "kom ni fram", "kom vi fram", "bestämde ni", "bestämde vi")),
    # The conditions set for something that is no grant of the store ("vilka villkor satte styrelsen
    # för att delta i ISF-studien?"): read in the text, where the grant kind has no such grant.
    "conditions": (0.9, ("villkor", "villkorade", "villkorat", "condition", "förutsättning", "förbehåll",
                         "provided that", "krav=", "kraven", "requirement")),
    # The verb by which a text gives its reasons ("vilka skäl angav de?", "what reasons did they give"):
    # the reason's, never the topic's. (Light: it asks nothing on its own.)
    "reason_given": (0.3, ("angav", "angavs", "angett", "angivit", "uppgav", "uppgavs", "anförde", "anfördes",
                           "cited")),
    # What was said on a topic is quoted as said, not read as a decision.
    "said": (0.9, ("sades", "sagt", "said", "tyckte", "sas=", "pratade", "talked about", "hear=", "heard", "were told",
                   "fick höra", "fick veta", "learn=", "learned", "learnt",
                   # What a förbund answered someone ("vad svarade Umeå FK om …").
                   "svarade", "svarar=", "svarat", "replied", "reply to", "responded", "respond to",
                   # What a report at the meeting said ("vad rapporterades om X", "what was reported about X").
                   "rapporterades", "rapporterats", "was reported", "were reported", "reported about",
                   "informerades om", "was the board told", "were we told")),
    # What a matter, a § or an item was about: its account quoted ("vad är grejen med …").
    "about": (0.9, ("grejen med", "grej med", "vad handlar", "vad handlade", "handlade om", "handlar om",
                    "what is it about", "what's it about", "what was it about", "what is the deal", "what's the deal",
                    "what's up with", "what is going on with", "what's going on with", "vad är det med",
                    "vad händer med", "what is happening with", "what's happening with", "what was that about",
                    "what was the matter", "vad gällde", "what did it concern", "what concerned",
                    # What is new on a matter ("nåt nytt om X i tertialrapporten?", "any news on X").
                    # What a thing amounts to ("vad går strategin ut på", "vad gick uppdraget ut på").
                    "går ut på", "gick ut på", "gått ut på", "what does it involve", "what did it involve",
                    "något nytt", "nåt nytt", "nytt om", "nytt kring", "vad är nytt", "anything new",
                    "any news", "news on", "news about", "any update", "an update on")),
    # Whether a goal is met, as a report comments it ("Målet kommer att nås"); the goal's own words
    # stay the topic (GOAL_CUES only keep the figure kinds off such a question).
    "goal": (0.9, ("klarar vi", "klarar förbundet", "will we reach", "will we meet", "are we on track",
                   "is the association on track", "kommer vi att nå", "når vi", "når förbundet",
                   # English says it of the goal's owner ("are we hitting our equity target", "did it meet its goals").
                   # (No word for the goal itself here: a cue's words are no topic for the passages sought.)
                   "hit our", "hitting our", "meet our", "meeting our", "met our", "reach our", "reaching our",
                   "reached our", "hit its", "meet its", "met its", "reach its", "reached its",
                   # Whether a grant's goals were reached, asked in the past ("nådde de sina mål?").
                   "nådde", "uppnådde", "uppnåddes", "uppnått", "uppnåtts", "uppfylldes", "uppfyllts", "fulfilled",
                   "achieved", "måluppfyllelse")),
    # Whether a grant's whole amount is drawn ("tar de ut hela beviljade summan?"): what the
    # grant's owner said of it stands in the text, not in the grant's figures.
    # (Phrases whose words name no topic: the words of a cue are kept out of the topic searched.)
    "used": (1.0, ("tar ut hela", "ta ut hela", "tagit ut hela", "tas ut", "använde hela", "använder hela", "använt hela",
                   "använda hela", "utnyttja hela", "utnyttjar hela", "utnyttjade hela", "utnyttjat hela",
                   "förbrukade hela", "förbrukar hela", "förbrukat hela", "förbruka hela", "use the whole",
                   "used the whole", "use its whole", "used its whole", "use their whole", "used their whole",
                   "use all of", "used all of", "use up", "used up all", "draw the whole", "draw its whole",
                   "drawn in full", "used in full", "use in full", "spend the whole", "spent the whole")),
    # What someone did: the board's decision if it made one, else what the text says was done.
    "did": (0.9, ("vad gjorde", "what did the board do", "what did they do", "vad har gjorts", "what has been done")),
    "what": (0.6, ("vad hände", "what happened", "genomfördes", "genomförs", "carried out", "vad ska hända", "what will happen",
                   "what happens next", "vad händer nu", "vad händer framöver", "outcome of the", "what came out of",
                   "utfallet av diskussion", "resultatet av diskussion", "hur slutade", "how did it end", "vad har det gett", "vad gav det", "ledde till",
                   "lett till", "led to", "resulted in", "effekt", "effect of", "impact of", "what was done", "what will be done", "vad sades", "what was said", "informerade", "informed",
                   "diskuter", "discuss", "hur ska", "how will", "how should", "vad ska", "what will",
                   "vad innebär", "what does", "förväntas", "leda till", "expected to", "syfte", "purpose",
                   "aim", "meant to", "togs upp", "tog upp", "what was discussed",
                   "what was raised", "finns det", "is there", "are there", "frågat", "frågade", "asked about",
                   "hur gick det", "how did it go",
                   # Where a matter stands now ("hur går det med X", "where are we with X").
                   "hur går det", "how is it going", "how's it going", "where are we with", "where do we stand",
                   "var står vi", "hur ligger vi till", "läget med", "läget för", "status of", "status on", "how did", "hur blev det", "how did it turn out", "what came of", "what became of", "vad blev det",
                   "sa=", "sade=", "säger", "says", "what did they say", "vad kom")),
    "who_did": (0.95, ("höll=", "presenterade", "presentation", "muntlig", "oral", "dragning", "yrka", "yrkade", "yrkande",
                       "föreslog", "föreslå", "föreslagit", "proposed", "propose=", "suggest", "moved that", "uttalade",
                       "stöd för", "ställde sig bakom", "ställa sig bakom", "stod bakom", "stödde", "stöttade", "backade",
                       "supported", "support=", "back=", "backed", "endorse", "inbjuden", "inbjudna", "invited", "rapportera=", "rapporterar", "rapporterade", "reports on",
                       "reported on", "gästade", "redogjorde", "föredrog", "föredra", "berättade", "presented",
                       # Informing the board is reporting to it ("Vilka informerade på mötet?").
                       "informerade", "informerar",
                       "gave the", "spoke", "talked", "reported on")),
}


# Words of the kind's cue phrases that also name what is asked about ("hur täcks underskottet"):
# they stay words of the topic the passage must hold.
TOPIC_IN_CUES = frozenset(fold(w) for w in ("underskott", "underskottet", "deficit", "shortfall"))


def _as_written(pairs: list[tuple[tuple[str, ...], str]]) -> str:
    return " ".join(word for _group, word in pairs)


# A topic of more words than this is the question put in other words, not the name of a thing.
TOPIC_NAMED = 2


def _nothing_on(q: Question, words: list[str]) -> Reply:
    """Nothing in the documents on the topic: its words named as the question writes them (never
    their stems), and a topic of many words not echoed back as if it were the name of a thing."""
    if words and len(words) <= TOPIC_NAMED:
        return not_found(q, ", ".join(f"”{w}”" for w in words), ", ".join(f"“{w}”" for w in words))
    return Reply(q.t("Jag hittar inget i handlingarna som tar upp det du frågar om.",
                     "I find nothing in the documents on what you ask about."), answered=False, language=q.language)


def _decisions_of(q: Question) -> Reply | None:
    """'Vad beslutades på senaste mötet?' with no topic: list the meeting's decisions."""
    within = passages.protocols_in_question(q)
    gap = passages.unrecorded_meeting(q) if within == [] else None
    if gap is not None:
        return protocols.missing_minutes(q, gap)
    if within and len({p.organisation_id for p in within}) > 1:
        return choose_organisation(q, [q.organisation(i) for i in sorted({p.organisation_id for p in within})])
    if not within or len(within) != 1:
        return None
    if q.cues.any(passages.RELATIVE_MEETING) and len(q.organisation_ids) > 1:
        # "Förra mötet" is a different meeting in each förbund: which one is asked, not the latest of all.
        held = q.session.exec(select(Protocol.organisation_id).where(
            col(Protocol.organisation_id).in_(q.organisation_ids), Protocol.meeting_date <= q.ctx.today)).all()
        if len(set(held)) > 1:
            return choose_organisation(q, [q.organisation(i) for i in sorted(set(held))])
    protocol = within[0]
    rows = q.session.exec(select(Paragraph).where(Paragraph.protocol_id == protocol.id)
                          .order_by(col(Paragraph.number))).all()
    decided = [p for p in rows if p.decision]
    if not decided:
        return None
    org = q.organisation(protocol.organisation_id)
    lines = [f"• § {p.number} {p.title}: {passages._short(p.decision or '', 160)}" for p in decided]
    # How many, too: "hur många beslut fattades" is answered by the same list.
    text = q.t(f"Beslut vid sammanträdet {protocol.meeting_date.isoformat()} ({len(decided)} paragrafer med beslut):",
               f"Decisions at the meeting of {protocol.meeting_date.isoformat()} ({len(decided)} paragraphs with a "
               f"decision):") + "\n" + "\n".join(lines)
    return Reply(text=text, sources=[source_for(q.session, org, protocol.document_id)], language=q.language)


_PARAGRAPH_NAMED = re.compile(r"(?<!§)§\s*(\d+)(?!\s*[-–]\s*\d)")


def _paragraph_named(q: Question) -> Reply | None:
    """'Vad beslutades i § 11 i juni 2021?': the § the question names, of the meeting it names (or
    of the förbund in scope), quoted; a § number that is in no such protocol is said not to be."""
    numbers = {int(n) for n in _PARAGRAPH_NAMED.findall(q.text)}
    if len(numbers) != 1:
        return None
    number = numbers.pop()
    _rest, cited = other_citation(q.text)
    if cited is not None:
        # "Vad beslutade kommunstyrelsen i § 41?": the matter as fullmäktige's protocol keeps it
        # beside its own § ("§ 88 (KS § 41)").
        kept = list(q.session.exec(select(Paragraph).join(Document, col(Document.id) == Paragraph.document_id)
                                   .where(Paragraph.also == cited, col(Paragraph.organisation_id).in_(q.organisation_ids),
                                          col(Document.superseded_at).is_(None))).all())
        if len(kept) == 1:
            return _quoted(q, kept[0])
    within = passages.protocols_in_question(q)
    if within is None and any(d.year_given and (d.exact or (d.end - d.start).days < 40) for d in q.dates):
        # "§ 3 i aprilprotokollet" where no protocol of April is in the store: not another month's § 3.
        held = sorted({d.isoformat() for d in q.session.exec(select(col(Protocol.meeting_date)).where(
            col(Protocol.organisation_id).in_(q.organisation_ids))).all()})
        reply = not_found(q, f"§ {number} i något protokoll från den tid du nämner",
                          f"§ {number} in any minutes of the time you name")
        if held:
            reply.text += q.t(f" Protokoll som finns: {', '.join(held)}.", f" Minutes there are: {', '.join(held)}.")
        return reply
    query = (select(Paragraph).join(Document, col(Document.id) == Paragraph.document_id)
             .where(Paragraph.number == number, col(Paragraph.organisation_id).in_(q.organisation_ids),
                    col(Document.superseded_at).is_(None)))
    if within:
        query = query.where(col(Paragraph.protocol_id).in_([p.id for p in within]))
    found = list(q.session.exec(query).all())
    if not found:
        return not_found(q, f"§ {number}", f"§ {number}")
    if len(found) > 1:
        return None
    return _quoted(q, found[0])


def _quoted(q: Question, p: Paragraph) -> Reply:
    """A § the question names: its decision when a decision is all that is asked; what it was
    about (its account, then its decision) when the question asks what it dealt with or said, or
    names someone or something the decision does not ("vad yrkade X i § 9 och gick det igenom?":
    X's motion stands in the account, its fate in the decision)."""
    head = f"§ {p.number}{f' ({p.also})' if p.also else ''} {p.title}"
    source = source_for(q.session, q.organisation(p.organisation_id), p.document_id, p.id)
    account = _account_before(p)
    asks_decision = "decided" in q.reading_facets and not {"what", "about", "said"} & set(q.reading_facets)
    if p.decision and (not account or (asks_decision and _decision_holds_all_named(q, p.decision))):
        return Reply(text=f"{head}\n{q.t('Beslut', 'Decision')}: {passages._short(p.decision, 700)}", sources=[source],
                     language=q.language)
    if len(account) > 700:
        # A long account by its sentences on what the question names, not cut off before them.
        cue = passages.kind_cue_words("why") - TOPIC_IN_CUES
        terms = passages.topic_terms(q, cue)
        done = _what_was_done(q)
        shown = passages._best_sentences([*terms, *([done] if done else [])], account) if terms or done else ""
        account = shown or passages._short(account, 700)
    text = f"{head}\n{q.t('Ur paragrafen', 'From the paragraph')}: {passages._short(account or p.body, 900)}"
    if p.decision:
        text += f"\n{q.t('Beslut', 'Decision')}: {passages._short(p.decision, 400)}"
    return Reply(text=text, sources=[source], language=q.language)


def _account_before(p: Paragraph) -> str:
    """A §'s account: its text before the proposal and decision, also where the decision stands in
    a sentence of the running text ("Styrelsen beslutade att …") with no heading before it."""
    account = passages.account_of(p.body)
    if p.decision:
        at = account.find(p.decision[:60])
        if at >= 0:
            account = account[:at].strip()
    return account


def _decision_holds_all_named(q: Question, decision: str) -> bool:
    """Whether a decision names every person and grant the question names, and the act it asks of
    them (a motion, a presentation): the decision alone then answers what was decided of them."""
    names = [m.entry.name for m in q.mentions if m.score >= 0.9 and m.entry.kind in ("person", "grant")]
    if not all(passages.mentions_name(decision, n) for n in names):
        return False
    return _what_was_done(q) is None


# A point of a meeting's agenda named by its number ("punkt 8 på föredragningslistan"): the agenda
# kind reads the point, and its text gives whatever reason the kallelse states.
_AGENDA_POINT = re.compile(r"\b(?:punkt(?:en)?|item|point)\s+\d+\b", re.IGNORECASE)


def answer(q: Question) -> Reply | None:
    named = _paragraph_named(q)
    if named is not None:
        return named
    agenda = KINDS.get("agenda")
    if agenda is not None and _AGENDA_POINT.search(q.text):
        point = agenda.answer(q)
        if point is not None and point.answered:
            return point
    cue = passages.kind_cue_words("why") - TOPIC_IN_CUES
    # A word naming the förbund says where to look, not what to look for (as the guard reads it).
    pairs = [(group, word) for group, word in zip(passages.topic_terms(q, cue), passages._topic_words(q, cue),
                                                  strict=True) if not q.lexicon.organisations_named([word])]
    # The words of an outcome the question takes for given ("varför tackade de nej till X") say
    # what is asked of X (checked against what the documents record), not what X is.
    said_outcome = {fold(w) for words in OUTCOMES.values() for c in words if " " in c and _outcome_cues(q).hit(c)
                    for w in c.split()}
    pairs = [(g, w) for g, w in pairs if fold(w.lower()) not in said_outcome]
    terms = [group for group, _word in pairs]
    done = _what_was_done(q)
    seat_held: tuple[list[str], set[str], list[str]] | None = None
    if done is not None:
        # "Vad yrkade X på?": the motion is what the passage must record, not only X.
        # Named as the question writes it ("informerade", not the stem "informer").
        verb = next((w for w in tokens(q.text) if any(fold(w.lower()).startswith(fold(d)) for d in done)), done[0])
        # The act's other words ("move (yrka)") are the act too, not its topic.
        acts = [fold(c.rstrip("=")) for cues, _stems in ACTS for c in cues if " " not in c]
        pairs = [(g, w) for g, w in pairs if fold(w.lower()) not in acts]
        pairs.insert(0, (done, verb))
        terms = [group for group, _word in pairs if group != done] + [done]
        seat_held = _seat_holders(q)
        if seat_held is not None:
            # "Vad yrkade Försäkringskassans ledamot?": the protocol names the person, not the seat.
            names, seat_words, _holders = seat_held
            pairs = [(g, w) for g, w in pairs if fold(w.lower()) not in seat_words]
            pairs.append((tuple(fold(n.lower()) for n in names), names[0]))
            terms = [group for group, _word in pairs]
    if q.language == "en":
        # In English, a word with Swedish counterparts that no document in scope uses names
        # something the documents do not hold ("the website" where there is no hemsida). Words
        # without counterparts stay in the topic: setting them aside answered near misses.
        # (Swedish phrasing varies too much by inflection to judge a word absent.)
        absent = passages.absent_terms(q, terms)
        named_absent = [g for g, word in pairs if g in absent and passages.english_counterparts(word)]
        if named_absent:
            what = " ".join(g[0] for g in named_absent)
            return not_found(q, f"”{what}”", f"“{what}”")
    if not terms:
        listed = _decisions_of(q)
        if listed is not None:
            return listed
    asks_actor = "who_did" in q.reading_facets and (q.cues.any(("vem", "vilka", "who")) or q.cues.any(PERSONS_ASKED))
    # "Vilka drog ansökningarna?": every § where someone did it is read, not only the best three.
    found = passages.find(q, terms, decisions="decided" in q.reading_facets and "why" not in q.reading_facets,
                          limit=ACTORS_LISTED if asks_actor else 3)
    if "decided" in q.reading_facets and "why" not in q.reading_facets:
        # What was decided is read from a decided § before other text that fits as well (a cover letter).
        found.sort(key=lambda p: (-p.coverage, not (p.paragraph is not None and p.paragraph.decision)))
    # Words that never name a topic ("egentligen", "direkt") need not stand in the passage; but
    # when a reason is asked, the verb is what the reason is for ("why was it held in X").
    core = passages.core_terms(pairs) if "why" not in q.reading_facets else terms
    if len(core) < len(terms):
        for p in found:
            p.coverage = max(p.coverage, passages._coverage(core, passages._full(p)))
    whether = _asks_whether_decided(q)
    if whether:
        # "Beslutade styrelsen att …?" is answered by a decision, not by an agenda or a discussion;
        # where no § decided it, by a text that speaks of deciding it ("… har styrelsen inte fattat").
        on_topic = 0.5 if passages.protocols_in_question(q) else 0.66
        decided = [p for p in found if p.paragraph is not None and p.paragraph.decision and p.coverage >= on_topic]
        spoken = [p for p in found if any(fold(v) in fold(p.text.lower()) for v in (*DECISION_VERBS, "fattat"))]
        found = decided or spoken
        whether = bool(decided)
    topic = " ".join(group[0] for group in terms) or q.text
    # Within one named meeting half the topic words will do; across every document, two thirds.
    enough = 0.5 if passages.protocols_in_question(q) else 0.66
    # A reason is asked, not an amount, even when the topic is costs ("why are staff costs higher").
    # (Whether the whole amount is drawn asks of the amount, not for it: "tar de ut hela beloppet?")
    amount_ok = "why" in q.reading_facets or _asks_used(q) or passages.answers_amount(q, found[0].text) \
        if found else False
    if not found or found[0].coverage < enough or not amount_ok:
        return _nothing_on(q, [word for _group, word in pairs])
    if _asks_outcome(q):
        # "Vad beslutades på mötet den 24 september?": a § written before that day speaks of it only
        # as ahead (a meeting planned, a matter to be taken up), and is no record of what came of it.
        recorded = [p for p in found if not passages.written_before(q, p)]
        if not recorded or recorded[0].coverage < enough:
            first = found[0]
            return Reply(q.t("Handlingarna nämner det bara i förväg och säger inget om vad det blev. Där det nämns:",
                             "The documents only mention it beforehand and say nothing of what came of it. "
                             "Where it is mentioned:") + f"\n• {passages._short(first.text, 300)}",
                         answered=False, sources=[first.source], language=q.language)
        found = recorded
    if passages.asks_definition(q, meaning_only=True) and not passages.defines(terms, found[0].text):
        # "Vad innebär X?" is not answered by a text that only names X: shown as the nearest there is.
        return Reply(q.t("Handlingarna säger inte vad det innebär. Det närmaste som finns:",
                         "The documents do not say what it means. The nearest there is:") + f"\n• {found[0].text}",
                     answered=False, sources=[found[0].source], language=q.language)
    if asks_actor:
        # "Vem föredrog X?": a passage that names a person doing what is asked, not only one on X.
        # A grant or person the question names is what the § must be about: who presented another
        # grant's application is no answer ("Vem föredrog ansökan om Nya vägar?" of "Vägen fram").
        about = [m.entry.name for m in q.mentions if m.score >= 0.9 and m.entry.kind in ("grant", "person")]
        acting = [p for p in found if _person_acting(done, p.text)
                  and all(passages.mentions_name(passages._full(p), n) for n in about)]
        # A meeting named by its day: who acts at that meeting (its kallelse's points), not at another
        # meeting of the same file.
        days = {d.start.isoformat() for d in q.dates if d.exact and d.year_given}
        acting = [p for p in acting if _of_meeting(p, days)] or acting
        if not acting or acting[0].coverage < enough:
            return not_found(q, f"vem som {_as_written(pairs)}", f"who {_as_written(pairs)}")
        found = [_acting_in_part(q, done, terms, p) for p in acting]
    strong = [p for p in found if p.coverage >= max(0.5, found[0].coverage - 0.25)]
    figures = passages.percents_named(q)
    if figures:
        # "Why the 10% deduction": a passage on the words that states no such figure is about
        # something else (another cost, another forecast) ...
        held = [p for p in strong if passages.holds_percents(figures, passages._full(p))]
        if not held and "why" in q.reading_facets:
            # ... unless its document states the figure on the topic apart from the reason ("en
            # förbundschef på 65%" in one part of a plan, why in another): shown beside it below.
            held = [p for p in strong if passages.figure_statement(q, passages.core_terms(pairs), figures, p) is not None]
        strong = held
        if not strong:
            return _nothing_on(q, [word for _group, word in pairs] + [f"{f} %" for f in figures])
    markers = passages.asked_attribute(q)
    if markers and "conditions" in q.reading_facets:
        # Conditions asked: only a passage that sets some answers ("villkorade styrelsen deltagandet
        # med …"); another § on the matter is no answer beside it.
        strong = [p for p in strong if passages.states(markers, passages._full(p))] or strong
    if markers and not any(passages.states(markers, passages._full(p)) for p in strong):
        # "Vad var syftet med X?", "var vi för eller emot?": a § on X that states no purpose or
        # stance is shown as what there is, not given as the answer.
        shown = strong[:2]
        return Reply(text=q.t(f"Handlingarna säger inte det du frågar efter. Det här står om ”{topic}”:",
                              f"The documents do not say what you ask. What they say about “{topic}”:") + "\n"
                     + "\n".join(f"• {passages._short(p.text, 400)}" for p in shown), answered=False,
                     sources=list(dict.fromkeys(p.source for p in shown)), language=q.language)
    if passages.asks_status(q) and "why" not in q.reading_facets:
        # "Vad hände med X, är det nedlagt?": a passage that names X but says nothing of where it
        # stands (a row of a budget table) is no answer.
        thing = passages.core_terms([(g, w) for g, w in pairs if not passages.status_word(w)])
        stating = [p for p in strong if passages.states_status(thing, passages._full(p), enough)]
        if not stating:
            shown = strong[:2]
            return Reply(text=q.t(f"Handlingarna säger inget om hur det står till med ”{topic}”. Det här står:",
                                  f"The documents say nothing of where “{topic}” stands. What they say:") + "\n"
                         + "\n".join(f"• {passages._short(p.text, 400)}" for p in shown), answered=False,
                         sources=list(dict.fromkeys(p.source for p in shown)), language=q.language)
        strong = stating
    bound = passages.bound_pairs(q, pairs)
    if bound:
        # "rekryteringen av ny förbundschef": both words near each other, not one here, one there.
        strong = [p for p in strong if all(passages.together(b, passages._full(p)) for b in bound)]
        if not strong:
            # Named as the question binds them ("rekryteringen av ny förbundschef"), not word by word.
            word_of = {group: word for group, word in pairs}
            spans = [m.group(0) for a, b in bound
                     if (m := re.search(rf"{re.escape(word_of[a])}\b.*?\b{re.escape(word_of[b])}", q.text))]
            return _nothing_on(q, spans or [word for _group, word in pairs])
    named_orgs = {p.source.organisation for p in strong}
    if not q.scoped and len(named_orgs) > 1 and passages.protocols_in_question(q) is not None:
        # "senaste mötet" of several förbund, each saying something on the topic: ask which.
        return choose_organisation(q, [o for o in q.organisations if o.name in named_orgs])
    # A year the question names: the passages of that year, not a like passage of another year.
    of_year = [p for p in strong if passages.of_year(q, p)]
    strong = of_year or strong
    # A day the question names as its period's end ("per 31 augusti 2020"): the passages of the report
    # of that day, not a like passage of another period's report.
    of_day = [p for p in strong if passages.of_day(q, p)]
    strong = of_day or strong
    # A grant or person the question names: only passages about it (not another grant's § alike).
    names = [m.entry.name for m in q.mentions if m.score >= 0.9 and m.entry.kind in ("grant", "person")][:2]
    strong = [p for p in strong if all(passages.mentions_name(passages._full(p), n) for n in names)] or strong
    # A § that only lists the topic as an item ("- f) Slutrapport projekt Efterstöd" among Meddelanden)
    # says nothing of it: a passage that speaks of it goes first, and alone it is no answer.
    spoken = [p for p in strong if not _only_listed(terms, p)]
    if not spoken and ({"what", "about", "did", "why"} & set(q.reading_facets)):
        shown = strong[:1]
        return Reply(text=q.t("Handlingarna nämner det bara i en uppräkning och säger inget mer om det:",
                              "The documents only list it and say nothing more about it:") + "\n"
                     + "\n".join(f"• {passages._short(p.text, 300)}" for p in shown), answered=False,
                     sources=[p.source for p in shown], language=q.language)
    strong = _distinct(spoken or strong)
    if "why" in q.reading_facets and strong and not _gives_reason(terms, strong[0], by_title=False):
        # A report's sentence that states a reason beside the topic ("På grund av corona-pandemin blev
        # processen förskjuten") before a § that only bears the topic's name in its title.
        strong.sort(key=lambda p: not (p.paragraph is None and _gives_reason(terms, p, by_title=False)))
    if "used" in q.reading_facets or _asks_used(q):
        # Whether the whole grant is drawn: only a text that speaks of drawing or using it answers
        # (the grant's final report, naming it, says nothing of that).
        strong = [p for p in strong if any(w in fold(passages._full(p).lower()) for w in DRAWN)]
        if not strong:
            return _nothing_on(q, [word for _group, word in pairs])
    speaker = _speaker(q) if seat_held is None else None
    if speaker and not any(_speaker_said(speaker, passages._full(p)) for p in strong):
        # "Vad sa medlemssamrådet om strategin?": a § that names the medlemssamråd only as where the
        # strategy is to be discussed records nothing it said.
        shown = strong[:1]
        return Reply(text=q.t("Handlingarna säger inte vad som sades där. Där det nämns:",
                              "The documents do not record what was said there. Where it is mentioned:") + "\n"
                     + "\n".join(f"• {passages._short(p.text, 300)}" for p in shown), answered=False,
                     sources=[p.source for p in shown], language=q.language)
    # Who did it, where several §§ record it as well as the best one ("Vilka drog ansökningarna
    # muntligt?": one § for each application): all of them, each by the sentence naming who acted;
    # two of four would answer a list by half of it.
    tied = [p for p in strong if p.coverage >= strong[0].coverage - 0.01] if asks_actor else []
    if len(tied) > 2:
        tied.sort(key=lambda p: (p.source.document or "", p.paragraph.number if p.paragraph is not None else 0))
        strong = [_acting_only(done, p) for p in tied[:ACTORS_LISTED]]
    elif asks_actor and q.cues.any(ACTORS_PLURAL):
        # Each of the best §§ by every sentence of it naming someone doing what is asked ("Vilka
        # informerade?": a) … b) … c) … of one §), not by the sentence the search happened to hit.
        strong = [_acting_only(done, p, whole=True) for p in strong[:2]]
    else:
        strong = strong[:2]
    if q.cues.any(PERSONS_ASKED) and not any(_PERSON.search(passages._full(p)) for p in strong):
        # "Which members did not take part …": a § that names nobody is no answer.
        return not_found(q, f"vilka personer ({topic})", f"which persons ({topic})")
    contrary = _contrary_outcome(q, strong[0])
    if contrary is not None:
        return contrary
    if "why" in q.reading_facets:
        unrecorded = _outcome_unrecorded(q, strong, topic)
        if unrecorded is not None:
            return unrecorded
    # "Var X med när beslutet om hemsidan togs?" asks about a person at a decision, not for the decision.
    # "Vem yrkade på det?" asks who acted: the passage naming them is quoted, not the decision alone.
    if "decided" in q.reading_facets and "why" not in q.reading_facets and not whether and not q.named("person") \
            and not asks_actor and seat_held is None and not _actor_beside_decision(q, strong[0]):
        decision = _decision(q, core, strong, found, enough, topic)
        if not decision.answered or not (q.cues.any(ASKS_MORE) or _DECISION_AS_TIME.search(fold(q.text.lower()))):
            return decision
    if "why" in q.reading_facets:
        # The reason is for the thing the question names ("projekt Efterstöd", a budget line, a
        # grant): a passage that gives a reason but never names it gives another thing's reason.
        things = [m.entry.name for m in q.mentions
                  if m.score >= 0.9 and m.entry.kind in ("grant", "person", "budget_line")][:2]
        strong = [p for p in strong if all(passages.mentions_name(passages._full(p), n) for n in things)] or strong[:1]
    taken_up = q.cues.any(TAKEN_UP) or _TAKEN_UP_APART.search(fold(q.text.lower())) is not None
    if "why" in q.reading_facets and not whether and not any(
            _gives_reason(terms, p) or (taken_up and _point_on_topic(terms, p)) for p in strong):
        # The documents state the thing but not why: shown, not given as the reason.
        shown = strong[:2]
        return Reply(text=q.t(f"Handlingarna säger inte varför. Det här står om ”{topic}”:",
                              f"The documents do not say why. What they say about “{topic}”:") + "\n"
                     + "\n".join(f"• {passages._short(p.text, 400)}" for p in shown), answered=False,
                     sources=list(dict.fromkeys(p.source for p in shown)), language=q.language)
    sources: list[Source] = []
    for p in strong:
        if p.source not in sources:
            sources.append(p.source)
    head = q.t("Det här säger handlingarna (bästa träff först):", "What the documents say (best match first):")
    stated = _figures_stated(q, passages.core_terms(pairs), strong, sources) if "why" in q.reading_facets else None
    if stated is not None:
        head = q.t(f"Siffrorna står i handlingen: ”{stated}”.", f"The figures stand in the document: “{stated}”.") \
            + "\n" + head
    if whether:
        head = q.t("Beslutet i handlingarna (bästa träff först):", "The decision in the documents (best match first):")
    body = "\n".join(f"• {_from_notice(q, p)}{p.text}" for p in strong)
    if seat_held is not None:
        # Who held the seat asked about, as the attendance list says and the quotation names them
        # (another förbund's holder of a seat of the same name is not meant).
        said = "\n".join(passages._full(p) for p in strong)
        holders = [line for name, line in zip(seat_held[0], seat_held[2], strict=True)
                   if passages.mentions_name(said, name)]
        head = q.t(f"Platsen innehades av {', '.join(holders)}.", f"The seat was held by {', '.join(holders)}.") \
            + "\n" + head
    return Reply(text=f"{head}\n{body}", sources=sources, language=q.language)


_ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_A_YEAR = re.compile(r"(?<!\d\s)(?<!\d)\b(?:19|20)\d\d\b(?!\s\d{3}\b)")


def _figures_stated(q: Question, terms: list[tuple[str, ...]], strong: list[passages.Passage],
                    sources: list[Source]) -> str | None:
    """Why figures differ, asked with the figures ("varför 105 tkr i stället för 5?", "far higher
    than the 750 tkr planned"): the reason is prose, the figures a table row or another sentence of
    the same document. That line, where a quoted passage's document states every figure the
    quotation does not (years aside) beside a word of the topic; None when there is nothing to add
    or no such line (the guard then says the figures were not found)."""
    from handlers.answers.guard import missing_numbers

    shown = "\n".join([*(p.text for p in strong), *(s.label() for s in sources)])
    # (A year the question names is when, not a figure: "2 050 tkr" is a figure, "2019" a year.)
    years = {str(y) for d in q.dates for y in (d.start.year, d.end.year)} | set(_A_YEAR.findall(q.text))
    absent = [n for n in missing_numbers(q.text, shown) if n not in years]
    if not absent:
        return None
    for p in strong:
        line = passages.figure_statement(q, terms, absent, p)
        if line is not None:
            return passages._short(line, 300).rstrip(".")
    return None


def _from_notice(q: Question, p: passages.Passage) -> str:
    """Which meeting a quotation of a kallelse is about ("Kallelsen till mötet 2019-09-20: "): a
    point of a notice is what that meeting is to take up."""
    if p.paragraph is not None or p.source.kind != "kallelse":
        return ""
    day = _ISO_DAY.search(p.source.part or p.source.document or "")
    if day is None:
        return ""
    return q.t(f"Kallelsen till mötet {day.group(0)}: ", f"The notice of the meeting of {day.group(0)}: ")


def _decision(q: Question, terms: list[tuple[str, ...]], strong: list[passages.Passage],
              found: list[passages.Passage], enough: float, topic: str) -> Reply:
    """What was decided on a topic: the decision of the § whose title or decision names the topic
    (or whose sentence on the topic is itself a decision: "Försäkringskassan har beslutat att …").
    A topic only mentioned in passing ("… utlagda på förbundets hemsida") was not decided on."""
    # "Vilka beslut om ansvarsfrihet anmäldes?" asks for decisions named in the text ("Beslut KF …").
    named = q.cues.any(DECISION_NOUNS)
    decided = [(p, said) for p in found if (said := _decided_on(terms, p, enough, named)) is not None]
    if not decided:
        shown = strong[:2]
        head = q.t(f"Jag hittar inget beslut om ”{topic}” i handlingarna. Där det nämns:",
                   f"I find no decision about “{topic}” in the documents. Where it is mentioned:")
        return Reply(text=head + "\n" + "\n".join(f"• {passages._short(p.text, 300)}" for p in shown),
                     answered=False, sources=list(dict.fromkeys(p.source for p in shown)), language=q.language)
    # A year the question names: the decisions of that year ("verksamhetsplanen 2019").
    decided = [d for d in decided if passages.of_year(q, d[0])] or decided
    deferred = _deferred_for_year(q, decided[0][0])
    if deferred is not None:
        return deferred
    # A § whose title or decision names the topic before one whose text decides it in passing.
    top = max(said.about for _p, said in decided)
    best = [(p, said) for p, said in decided
            if said.about == top and p.coverage >= decided[0][0].coverage - 0.25][:2]
    head = q.t("Beslutet i handlingarna:", "The decision in the documents:")
    return Reply(text=head + "\n" + "\n".join(f"• {said.text}" for _p, said in best),
                 sources=list(dict.fromkeys(p.source for p, _said in best)), language=q.language)


# How a decision leaves a later period to be decided later (folded phrases).
DEFERRED = tuple(fold(w) for w in (
    "fastställs årligen", "fastställs i samband", "beslutas årligen", "beslutas i samband", "beslutas senare",
    "fattas årligen", "fattas senare", "prövas årligen", "prövas senare", "kommer att beslutas", "ska beslutas",
    "tas upp senare", "decided annually", "decided later", "set annually", "will be decided"))
_ISO_RANGE = re.compile(r"\b((?:19|20)\d\d)-\d\d-\d\d\s*[-–]\s*((?:19|20)\d\d)-\d\d-\d\d\b")


def _deferred_for_year(q: Question, p: passages.Passage) -> Reply | None:
    """A decision asked for a year it only leaves to be decided later ("Beslut om finansiering för
    efterföljande perioder (2023-01-01 – 2026-08-31) fastställs årligen", asked of 2023): no
    decision for that year is recorded; the sentence is shown as what there is."""
    para = p.paragraph
    years = {d.start.year for d in q.dates if d.year_given and not d.exact and d.start.year == d.end.year}
    if para is None or not para.decision or len(years) != 1:
        return None
    year = years.pop()
    def of_year(sentence: str) -> bool:
        return str(year) in sentence or any(int(a) <= year <= int(b) for a, b in _ISO_RANGE.findall(sentence))
    on_year = [x for x in passages._sentences(para.decision) if of_year(x)]
    if not on_year or not all(any(d in fold(x.lower()) for d in DEFERRED) for x in on_year):
        return None
    return Reply(text=q.t(f"Handlingarna har inget beslut för {year}; § {para.number} lämnar det till senare:",
                          f"The documents hold no decision for {year}; § {para.number} leaves it for later:")
                 + "\n" + "\n".join(f"• {passages._short(x, 300)}" for x in on_year), answered=False,
                 sources=[p.source], language=q.language)


def _actor_beside_decision(q: Question, best: passages.Passage) -> bool:
    """The question names a body who concluded or said something ("Vad kom AU fram till …"): a
    body's abbreviation (all capitals) that the § holds, but not its decision.
    What that one concluded stands in the § text, not in the board's decision, so the § is
    quoted, not the decision."""
    para = best.paragraph
    if para is None or not para.decision:
        return False
    raw = re.findall(r"\w+", q.text)
    # Only an abbreviation: a member body named ("Åre kommun here – …") is as often the asker or
    # the applicant as the one who concluded something.
    names = [w for w in raw[1:] if w.isupper() and len(w) >= 2 and not q.lexicon.organisations_named([w.lower()])]
    body = set(re.findall(r"\w+", para.body.lower()))
    decision = set(re.findall(r"\w+", para.decision.lower()))
    return any(w.lower() in body and w.lower() not in decision for w in names)


@dataclass(frozen=True)
class Said:
    text: str  # the line quoted
    about: bool  # the §'s title or decision names the topic (not only a sentence of its text)


# A sentence that records a decision made (folded prefixes): "har beslutat att", "godkände".
DECISION_VERBS = ("beslutat", "beslutade", "beslutar", "beslöt", "fastställ", "godkänt", "godkände", "godkänn",
                  "beviljat", "beviljade", "beviljas", "avslog", "avslag", "antog", "tagit beslut", "tog beslut",
                  "fattat beslut", "fattade beslut", "decided", "approved", "resolved",
                  # An appointment is a decision too ("har … utsett Mari Eliasson").
                  "utsett", "utsåg", "utsågs", "valdes", "appointed", "elected")


# A decision as the thing asked about, not the asking verb: "vilka beslut … anmäldes", "which decisions".
# ("Vad landade styrelsen i för beslut om X" asks for the board's decision, not for one named.)
DECISION_NOUNS = ("vilka beslut", "vilket beslut som", "besluten", "delegationsbeslut", "decisions", "anmälda beslut",
                  "beslut som anmäldes", "beslut från", "beslut av", "which decision")


def _decided_on(terms: list[tuple[str, ...]], p: passages.Passage, enough: float,
                named: bool = False) -> Said | None:
    """How a passage states a decision on the topic (the line to quote), or None."""
    para = p.paragraph
    if para is not None:
        head = f"§ {para.number} {para.title}"
        if para.decision and passages._coverage(terms, f"{para.title}\n{para.decision}") >= enough:
            decision = passages._short(para.decision, passages._decision_limit(para.decision))
            if len(para.decision) < 80:
                # A short decision ("Att lägga beslutet till handlingarna") is read with what it
                # decides on: the §'s own account, shortly.
                return Said(f"{head}: {passages._short(passages.account_of(para.body), 300)} Beslut: {decision}", True)
            return Said(f"{head}: {decision}", True)
        if not para.decision and passages._coverage(terms, para.title) >= enough:
            return Said(p.text, True)  # a § on the topic with no decision of its own: what it records
        text = para.body
    else:
        head, text = "", p.text
    verbs = [fold(v) for v in DECISION_VERBS] + (["beslut"] if named else [])
    sentences = passages._sentences(text)
    for i, sentence in enumerate(sentences):
        if passages._coverage(terms, sentence) >= enough and any(v in fold(sentence.lower()) for v in verbs):
            # A sentence that announces a list ("Anmälda beslut:") is quoted with its list.
            quote = passages._short(" ".join(sentences[i:i + 8]) if sentence.endswith(":") else sentence, 400)
            if para is not None and para.decision and para.decision[:60] not in sentence:
                quote += " Beslut: " + passages._short(para.decision, 300)
            return Said(f"{head}: {quote}" if head else quote, False)
    return None


# Outcomes of an application as questions and decisions word them (folded prefixes), and the
# outcome each rules out: "Varför avslogs X?" of a § that granted X asks on a false premise.
OUTCOMES: dict[str, tuple[str, ...]] = {
    "refused": ("avslog", "avslag", "avslå", "avslås", "rejected", "refused", "denied", "turned down", "declined",
                "turn down", "reject=", "refuse=", "deny=", "decline=", "sa nej", "sade nej", "säga nej", "said no",
                "say no", "nekade", "nekat", "nekades", "tackade nej", "tacka nej", "tackar nej", "avstod", "avstå=",
                "avstår", "avböjde", "avböjt"),
    "granted": ("bevilja", "beviljade", "beviljades", "beviljat", "beviljas", "granted"),
}
# How a text records each outcome (folded word starts): "Det kan finnas skäl att säga ja och nej" records none.
RECORDED: dict[str, tuple[str, ...]] = {
    "refused": ("avslog", "avslag", "avslå", "avslås", "nekad", "nekat", "nekas", "beviljas inte", "beviljades inte",
                "inte bevilja", "ej bevilja", "rejected", "refused", "declined", "denied", "turned down",
                # A no in other words: "Att det inte är aktuellt att teckna något avtal", "väljer att avstå".
                "inte aktuellt", "ej aktuellt", "inte är aktuellt", "avstå", "avstår", "avböj", "tacka nej",
                "tackar nej", "tackade nej"),
    "granted": ("bevilja", "beviljade", "beviljat", "beviljas", "granted", "approved"),
}


def _outcome_cues(q: Question) -> Cues:
    """The question's words without those naming a förbund, for the outcome it takes for given: a
    name may stand inside the phrase ("varför tackade Umeåregionen nej till …")."""
    kept = [w for w in q.words if not q.lexicon.organisations_named([w])]
    return q.cues if len(kept) == len(q.words) else Cues(kept, english=q.cues.english)


def _outcome_unrecorded(q: Question, strong: list[passages.Passage], topic: str) -> Reply | None:
    """A reason asked for an outcome the question takes for given ("varför avslog styrelsen X?",
    "why did they turn down X?") where no passage on X records that outcome (a discussion in a
    kallelse, a proposal): the documents do not say it happened, so no reason for it is quoted."""
    asked = [o for o, words in OUTCOMES.items() if _outcome_cues(q).any(words)]
    if len(asked) != 1:
        return None
    recorded = tuple(fold(w) for w in RECORDED[asked[0]])
    def records(p: passages.Passage) -> bool:
        words = " " + " ".join(re.findall(r"\w+", fold(passages._full(p).lower()))) + " "
        return any(f" {w}" in words for w in recorded)
    if any(records(p) for p in strong):
        return None
    shown = strong[:1]
    what = {"refused": ("avslogs", "was refused"), "granted": ("beviljades", "was granted")}[asked[0]]
    return Reply(text=q.t(f"Handlingarna säger inte att det {what[0]}. Det här står om ”{topic}”:",
                          f"The documents do not say it {what[1]}. What they say about “{topic}”:") + "\n"
                 + "\n".join(f"• {passages._short(p.text, 400)}" for p in shown), answered=False,
                 sources=[p.source for p in shown], language=q.language)
CONTRARY = {"refused": "granted", "granted": "refused"}


def _contrary_outcome(q: Question, best: passages.Passage) -> Reply | None:
    """A question that takes an outcome for given ("varför avslogs ansökan om X?") where the §
    decided the other one: the premise is corrected, not answered."""
    para = best.paragraph
    if para is None or not para.decision:
        return None
    asked = [o for o, words in OUTCOMES.items() if _outcome_cues(q).any(words)]
    if len(asked) != 1:
        return None
    decision = fold(para.decision.lower())
    def says(outcome: str) -> bool:
        return any(fold(w) in decision for w in OUTCOMES[outcome])
    if says(asked[0]) or not says(CONTRARY[asked[0]]):
        return None
    head = q.t("Handlingarna säger något annat än frågan utgår från:",
               "The documents say otherwise than the question assumes:")
    return Reply(text=f"{head}\n• § {para.number} {para.title}: {q.t('Beslut', 'Decision')}: "
                      f"{passages._short(para.decision, 300)}", answered=False, sources=[best.source],
                 language=q.language)


def _distinct(found: list[passages.Passage]) -> list[passages.Passage]:
    """Passages that say different things: a document's sentences that repeat a § already shown
    (the protocol's own text around it) are left out."""
    out: list[passages.Passage] = []
    for p in found:
        said = " ".join(p.text.split())
        if p.paragraph is None and any(
                o.paragraph is not None and " ".join(o.paragraph.body.split())[:80] in said for o in out):
            continue
        out.append(p)
    return out


REASON_MARKERS = passages.REASON_MARKERS


# What someone did at a meeting, by the question's words for it, and the word starts by which the
# record says it was done ("Vem föredrog X?": "Veronika Åström gör en muntlig dragning av X"). A
# quotation answering "who did X" must name a person beside one of them: a § on X that names some
# person doing something else (appointed, elected) is not who did X.
ACTS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    # Positions taken.
    # (English asks by the base form after "did": "what did X propose / back".)
    # ("move" only beside another word of an act: alone it is as often "flytta".)
    (("yrka", "yrkade", "yrkande", "yrkar", "föreslog", "föreslå", "föreslagit", "proposed", "propose=", "suggest",
      "moved that", "move=", "motion=", "motions="),
     ("yrka", "yrkand", "föreslog", "föreslå", "förslag")),
    (("stödde", "stöttade", "backade", "stöd för", "ställde sig bakom", "ställa sig bakom", "stod bakom", "supported",
      "support=", "back=", "backed", "endorse"), ("stöd", "stödde", "stött", "bakom", "instämm")),
    (("uttalade",), ("uttala",)),
    # Presenting, reporting, informing.
    # Informing the board: those who informed or reported, not those who presented a proposal.
    (("informerade", "informerar"), ("informer", "redogj", "redogör", "rapporter", "berätta")),
    (("höll=", "presenterade", "presentation", "muntlig", "oral", "dragning", "föredrog", "föredra", "redogjorde",
      "berättade", "presented", "gave the", "spoke", "talked", "reported on", "rapportera=", "rapporterar", "rapporterade",
      "reports on", "gästade"),
     ("föredr", "dragning", "presenter", "presentation", "redogj", "redogör", "informer", "berätta", "rapporter",
      "muntlig", "gäst", "föreläs", "talade", "visade")),
    (("inbjuden", "inbjudna", "invited"), ("inbjud", "bjuds", "bjöds", "gäst")),
)
_PRONOUN = re.compile(r"\b(?:Han|Hon|He|She)\b")
# How many words may stand between the person and the word of the act ("Åsa Vestling gör en muntlig dragning").
ACT_REACH = 8


def _what_was_done(q: Question) -> tuple[str, ...] | None:
    """The word starts of what the question asks someone did ("Vad yrkade X på?", "Vem föredrog
    X?"), as a group of which the passage must hold one: a passage naming only X is no answer."""
    if "who_did" not in q.reading_facets:
        return None
    from handlers.answers.guard import _in_a_name

    # A cue written as part of a name ("Supported Employment") asks no act.
    stems = tuple(dict.fromkeys(stem for cues, stems in ACTS
                                if any(q.cues.hit(c) and not _in_a_name(q, c) for c in cues) for stem in stems))
    return stems or None


def _person_acting(done: tuple[str, ...] | None, text: str) -> bool:
    """Whether the text names a person (two capitalised words) beside a word of the act asked, or
    names one and then says "Han presenterade …" of them."""
    if not _PERSON.search(text):
        return False
    if done is None:
        return True
    words = [m for m in re.finditer(r"\w+", text)]
    acts = [i for i, m in enumerate(words) if any(fold(m.group(0).lower()).startswith(fold(s)) for s in done)]
    # A person named in full is then often called by the first name alone ("Kerstin Stickler från
    # Coompanion är inbjuden … Kerstin berättar om bakgrunden").
    firsts = {m.group(0).split()[0] for m in _PERSON.finditer(text)}
    by_first = [m for first in firsts for m in re.finditer(rf"\b{re.escape(first)}\b", text)]
    for person in [*_PERSON.finditer(text), *_PRONOUN.finditer(text), *by_first]:
        at = next((i for i, m in enumerate(words) if m.start() >= person.start()), None)
        if at is not None and any(abs(i - at) <= ACT_REACH for i in acts):
            return True
    return False


def _seat_holders(q: Question) -> tuple[list[str], set[str], list[str]] | None:
    """Who held the seat the question names by its member body ("Försäkringskassans ledamot",
    "the Försäkringskassan member") at the meetings in question, by the attendance lists; with the
    question's words (folded) that name the seat, and a line saying who held it. None when no seat
    of a member body is named."""
    from handlers.answers.kinds import people

    words = [fold(w.lower()) for w in q.words]
    seats = [w for w in words if any(w == fold(n[:-1]) if n.endswith("=") else w.startswith(fold(n))
                                     for n in people.SEAT_NOUNS)]
    bodies = people._bodies(q) if seats else []
    if not bodies:
        return None
    within = passages.protocols_in_question(q)
    query = (select(Person.name, Attendance.role).join(Attendance, col(Attendance.person_id) == Person.id)
             .join(Protocol, col(Protocol.id) == col(Attendance.protocol_id))
             .where(col(Attendance.member_body).in_(bodies), col(Protocol.organisation_id).in_(q.organisation_ids)))
    if within:
        query = query.where(col(Protocol.id).in_([p.id for p in within]))
    substitute = any(w.startswith(s) for w in seats for s in SUBSTITUTE_SEATS)
    ordinary = any(w.startswith(s) for w in seats for s in MEMBER_SEATS)
    # ("Arbetsförmedlingens representant" may be anyone there for it, a guest too.)
    wanted = "ersättare" if substitute else "ledamot" if ordinary else None
    names = list(dict.fromkeys(name for name, role in q.session.exec(query).all() if wanted in (None, role)))
    if not names:
        return None
    body_words = {fold(t.lower()) for b in bodies for t in re.findall(r"\w+", b) if len(t) >= 4}
    named = {w for w in words if w in seats or any(w.startswith(b) or b.startswith(w) for b in body_words)}
    role = q.t(f"{wanted}, utsedd av", f"{'substitute' if substitute else 'member'}, appointed by") if wanted \
        else q.t("för", "for")
    return names, named, [f"{n} ({role} {' / '.join(bodies)})" for n in names]


# Seat nouns of a substitute (folded starts); any other seat noun is an ordinary member's.
SUBSTITUTE_SEATS = ("ersattar", "suppleant", "substitut", "deputy", "deputies", "alternate")
MEMBER_SEATS = ("ledamot", "ledamöt", "ledamot", "member", "styrelseplats")


# Who is asked to have said something: "vad sa X om Y", "what did X say about Y" (folded question).
_SAID_BY = (re.compile(r"\b(?:vad|va)\s+(?:sa|sade|tyckte|tycker|ansag|anser|svarade|menade|framforde|sager)\s+"
                       r"(.+?)\s+(?:om|kring|angaende|till|nar|i)\b"),
            re.compile(r"\bwhat did\s+(.+?)\s+(?:say|think|reply|answer|respond|feel)\b"))
# A speaker that is the board itself, or the asker: its saying is its decision, read elsewhere.
BOARD_SPEAKERS = frozenset(fold(w) for w in (
    "styrelsen", "styrelse", "styrelsens", "förbundsstyrelsen", "förbundsstyrelse", "förbundet", "board", "boards",
    "association", "ni", "vi", "de", "dom", "man", "they",
    "we", "you", "it", "alla", "everyone", "them", "någon", "nagon", "anyone", "somebody", "someone"))
_SPEAKER_FILLER = frozenset({"the", "a", "an", "den", "det", "de", "nya", "new"})
# Words by which a text says someone said something (folded starts; "sa"/"sade" whole).
SPEECH = tuple(fold(w) for w in (
    "uttala", "konstater", "framför", "påmin", "menade", "ansåg", "anser", "tyckte", "tycker", "svara", "meddela",
    "informer", "betona", "föreslog", "föreslå", "yrka", "ställ", "stöd", "invänd", "säger", "sagt", "berätta",
    "redogj", "redogör", "presenter", "föredr", "framhöll", "poängter", "lyfte", "kommenter", "uppgav", "skriver",
    "skrev", "sammanfatta", "noterade", "påpeka"))


def _speaker(q: Question) -> tuple[str, ...]:
    """The word starts of who the question asks said something ("medlemssamr" of "vad sa
    medlemssamrådet om …"); none when the board itself or no one in particular is asked."""
    text = fold(q.text.lower())
    for pattern in _SAID_BY:
        m = pattern.search(text)
        if m is None:
            continue
        # (The förbund's name says whose, not who: "Jämtlands styrelse" is the board.)
        words = [w for w in re.findall(r"\w+", m.group(1))
                 if w not in _SPEAKER_FILLER and not q.lexicon.organisations_named([w])]
        if not words or any(w in BOARD_SPEAKERS for w in words) or len(words) > 4:
            return ()
        return tuple(passages.root(w)[:8] for w in words if len(w) >= 3)
    return ()


def _speaker_said(speaker: tuple[str, ...], text: str) -> bool:
    """Whether a sentence of the text has the speaker beside a word of saying."""
    for sentence in passages._sentences(text) or [text]:
        words = [fold(w) for w in re.findall(r"\w+", sentence.lower())]
        at = [i for i, w in enumerate(words) if any(w.startswith(s) for s in speaker)]
        says = [i for i, w in enumerate(words) if w in ("sa", "sade") or w.startswith(SPEECH)]
        if any(abs(i - j) <= ACT_REACH for i in at for j in says):
            return True
    return False


# At most this many §§ are listed for who did something at a meeting (one § per application).
ACTORS_LISTED = 8


def _acting_only(done: tuple[str, ...] | None, p: passages.Passage, whole: bool = False) -> passages.Passage:
    """A passage cut to its § heading and the sentences naming someone doing what is asked; with
    `whole`, those of its whole § (up to ACTING_CHARS), not only of the part the search hit."""
    text = f"{p.paragraph.body}\n{p.paragraph.decision or ''}" if whole and p.paragraph is not None else p.text
    sentences = [s for s in passages._sentences(text) if _person_acting(done, s)]
    if not sentences:
        return p
    head = f"§ {p.paragraph.number} {p.paragraph.title}: " if p.paragraph is not None else ""
    said = " ".join(s.removeprefix(head) for s in sentences)
    return dataclasses.replace(p, text=head + passages._short(said, ACTING_CHARS if whole else 300))


# Asking for everyone who did it ("vilka informerade"), not the one who did.
ACTORS_PLURAL = ("vilka=", "which people", "which persons", "who all", "who were", "who are", "vilka personer")
# How much of a § the sentences naming who acted may fill.
ACTING_CHARS = 700


def _of_meeting(p: passages.Passage, days: set[str]) -> bool:
    """Whether a passage is of a meeting held on one of `days` (its protocol, or its kallelse)."""
    source = p.source
    held = {source.meeting_date.isoformat() if source.meeting_date else "",
            source.attached_to.isoformat() if source.attached_to else ""}
    return bool(days & held) or any(day in (source.part or "") for day in days)


def _acting_in_part(q: Question, done: tuple[str, ...] | None, terms: list[tuple[str, ...]],
                    p: passages.Passage) -> passages.Passage:
    """A passage of a document without §§ (a kallelse's points), as every sentence of its part
    that names someone doing what is asked and holds the topic as well as the passage does: the
    passage is one window of the text, and "vilka föredrar på mötet" is answered by all points."""
    if p.paragraph is not None:
        return p
    sentences = passages._sentences(cited_document_text(q.session, p.source))
    said = [s for i, s in enumerate(sentences) if _person_acting(done, s)
            and passages._coverage(terms, " ".join(sentences[max(i - 1, 0):i + 1])) >= p.coverage]
    if len(said) < 2:
        return p
    return dataclasses.replace(p, text=passages._short(" ".join(said), 600))


def _only_listed(terms: list[tuple[str, ...]], passage: passages.Passage) -> bool:
    return passage.listed or passages.only_listed(terms, passages._full(passage))


def _starts_a_word(terms: list[tuple[str, ...]], text: str) -> bool:
    """Whether a word of the text starts with one of the topic's terms (not only holds it inside:
    "slut" is in "beslutade")."""
    hay = passages._haystack(text)
    return any(f" {fold(t)}" in hay for group in terms for t in group if "+" not in t and " " not in t)


def _gives_reason(terms: list[tuple[str, ...]], passage: passages.Passage, by_title: bool = True) -> bool:
    """Whether the sentence of a passage that holds most of the topic, or one beside it, gives a
    reason (REASON_MARKERS): "X har avslutats i förtid" alone says that, not why. A § whose title
    names the topic, or decides on it, gives its reasoning in its own words, and is taken as doing so."""
    para = passage.paragraph
    if by_title and para is not None and (_starts_a_word(terms, para.title)
                                          or _starts_a_word(terms, para.decision or "")):
        return True  # a § on the topic (or deciding it): its account is the reasoning the board had
    text = passages._full(passage) if para is not None else passage.text
    sentences = passages._sentences(text) or [text]
    scores = [passages._coverage(terms, s) for s in sentences]
    top = max(scores, default=0.0)
    if top < 0.5:
        return False  # the topic's words spread over a long text: no sentence is about it
    for i, score in enumerate(scores):
        if score == top:
            # In a § (one matter) the reason may also come just before; in a report the sentence
            # before is often about something else ("… av flera skäl bli större. … X avslutats i förtid").
            start = max(i - 1, 0) if para is not None else i
            if passages.gives_reason(" ".join(sentences[start:i + 2])):
                return True
    return False


# Why a matter is on a meeting's agenda at all ("varför tas X upp", "why is X on the agenda"):
# the point's own text is the background the board was given, whatever words it uses.
TAKEN_UP = ("tas upp", "tar upp", "togs upp", "tog upp", "tagits upp", "kommer upp", "kom upp", "är uppe",
            "var uppe", "uppe på", "på dagordningen", "på agendan", "on the agenda", "taken up", "brought up",
            "come up", "coming up", "came up", "raised")


# The same with the matter between verb and particle ("varför tas psykologfrågan upp").
_TAKEN_UP_APART = re.compile(r"\b(?:tas|tar|togs|tog|tagits|kommer|kom)\b(?:\s+[\w-]+){1,6}?\s+upp\b")


def _point_on_topic(terms: list[tuple[str, ...]], passage: passages.Passage) -> bool:
    """Whether a passage is a § or an agenda point on the topic: its title (or a kallelse point's
    heading, the first sentence of its window) holds most of the topic."""
    para = passage.paragraph
    head = para.title if para is not None else next(iter(passages._sentences(passage.text)), "")
    return passages._coverage(terms, head) >= 0.5


# A second question after the decision ("…, och vem la fram den?"): the § is quoted, its account
# with its decision, not the decision alone.
ASKS_MORE = ("och vem", "och vems", "och varför", "och hur", "och vad", "och gick", "and who", "and whose", "and why",
             "and how", "and what", "and did")


# A decision named as the time of something else ("var ansökan underskriven när de tog beslutet?",
# "was X present when the decision was made?"): the § is quoted with its account, where that stands.
_DECISION_AS_TIME = re.compile(r"\b(?:nar|when|vid|innan|before|efter|after)\b(?:\s+\w+){0,3}?\s+"
                               r"(?:tog|togs|fattade|fattades|beslut\w*|decid\w*|decision|made|faststall\w*|"
                               r"godkand\w*|antogs|antagits|adopted|approved|set)\b")


# What came of something: asked with a decision, or by these words (a plan asked is not an outcome).
OUTCOME_ASKED = ("vad hände", "what happened", "came out", "kom fram", "kom man fram", "hur gick", "how did",
                 "resultat", "outcome", "came of", "blev det", "slutsats", "conclu", "landade", "ended up")


def _asks_outcome(q: Question) -> bool:
    if passages.asks_ahead(q):
        return False
    return bool({"decided", "did"} & set(q.reading_facets)) or q.cues.any(OUTCOME_ASKED)


# A question that opens with a finite verb of deciding asks whether something was decided.
YES_NO_DECIDED = ("beslutade", "beslöt", "beslutades", "fattade", "fastställde", "godkände", "antog", "beviljade",
                  "did", "has", "have", "was", "were", "har", "blev")


def _asks_whether_decided(q: Question) -> bool:
    return bool(q.words) and fold(q.words[0].lower()) in {fold(w) for w in YES_NO_DECIDED} and \
        "decided" in q.reading_facets


# A question asking for people by the list ("vilka ledamöter …", "which members …"): its answer names them.
PERSONS_ASKED = ("vilka ledamöter", "vilka ledamoter", "vilka ersättare", "vilka personer", "which members",
                 "which ordinary members", "which people", "which persons", "which substitutes", "which deputies")


# A person's name as protocols write it: two capitalised words, the second not an organisation word.
_PERSON = re.compile(r"\b[A-ZÅÄÖ][a-zåäöéü]+ (?!kommun|län|Region|Regionen)[A-ZÅÄÖ][a-zåäöéü]+\b")


# How much more an act asked of a seat named by its member body ("vad föredrog Arbetsförmedlingens
# representant") is this kind's than the people kind's, which reads the seat and the body as its own.
ACT_OF_SEAT = 0.6


def _seat_named(q: Question) -> bool:
    from handlers.answers.kinds import people

    return any(any(w == fold(n[:-1]) if n.endswith("=") else w.startswith(fold(n)) for n in people.SEAT_NOUNS)
               for w in (fold(x.lower()) for x in q.words))


# How a text speaks of drawing or using granted money (folded).
DRAWN = tuple(fold(w) for w in ("ta ut", "tar ut", "tagit ut", "utnyttj", "förbruk", "använt", "använda", "nyttja",
                                "återbetal", "rekvirer"))


# How much more whether a grant's whole amount is drawn is this kind's than the grant kind's: far
# enough that the grant's amount never answers instead when the text says nothing of drawing it.
GRANT_USED = 1.3


# Verbs that ask what someone thought or answered (beside a speaker, "vad tyckte X om Y").
OPINION_ASKED = ("tyckte", "tycker", "ansåg", "anser", "menade", "svarade", "think=", "thought", "felt", "replied")
# How much more what a named person said is this kind's than a figure kind's its topic's words call.
SAID_BY_SOMEONE = 1.0


# A question that opens by asking what (not who) someone did: "vad yrkade ordföranden?".
WHAT_OPENERS = frozenset(fold(w) for w in ("vad", "vilken", "vilket", "what", "which"))


# Whether a grant's whole amount is used, its verb and "hela" apart ("Utnyttjade X hela medlet?",
# "Did X use up all of its grant?"): a verb of drawing or using, and a word of the whole.
_USING = re.compile(r"\b(?:anvand|utnyttj|forbruk|nyttj|use[ds]?\b|using|draw|drew|spen[dt])\w*")
_WHOLE = re.compile(r"\b(?:hela|whole|all of|in full|fullt ut|allt)\b")


def _asks_used(q: Question) -> bool:
    folded = fold(q.text.lower())
    return q.cues.any(CUES["used"][1]) or (_USING.search(folded) is not None and _WHOLE.search(folded) is not None
                                           and not q.cues.any(passages.AMOUNT_CUES))


def _fit(q: Question) -> float:
    if _asks_used(q):
        return GRANT_USED  # over the grant kind, whose figures do not say what was drawn
    # "What did Christer Sjöberg say about the budget strategy?": what someone named said is in the
    # text, whatever figure its topic also names.
    # ("say" only so: "what does the T2 report say about …" asks what a document states.)
    if (q.cues.any(CUES["said"][1]) or q.cues.hit("say=")) and any(m.score >= 0.9 for m in q.named("person")) \
            and _speaker(q):
        return SAID_BY_SOMEONE
    # "Vad tyckte medlemmarna om förslaget?", "vad sa psykiatrin om …": what a body or a group said or
    # thought is in the text too, not the list of the members or the figures its words name.
    if q.cues.any(OPINION_ASKED) and _speaker(q):
        return SAID_BY_SOMEONE
    # "Vem höll dragningen?": a person who did something is found in the text, not in a table.
    who = q.cues.any(("vem", "vilka", "who"))
    if q.cues.any(CUES["who_did"][1]):
        if who:
            return 1.0
        if q.words and fold(q.words[0].lower()) in WHAT_OPENERS:
            # "What did the chair propose?", "Vad föredrog Arbetsförmedlingens representant?": the
            # role or seat is who acted; what they did is in the text, not who holds the seat (a
            # table's answer, which reads the seat's words as its own).
            return ACT_OF_SEAT if _seat_named(q) else 0.1
    return 0.0


KIND = register(Kind(name="why", label_sv="vad som beslutades och varför", label_en="what was decided and why",
                     cues=CUES, answer=answer, fit=_fit, order=9, quotes=True))
