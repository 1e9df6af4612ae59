"""People and attendance: who attended (ledamöter, ersättare, tjänstgörande), who left and
from which §, who is appointed by which member, who represents a member, who is new."""

from __future__ import annotations

import re

from sqlmodel import col, select

from handlers.answers import passages, protocols
from handlers.answers.core import Question, choose_organisation, source_for
from handlers.answers.reading import merge
from handlers.answers.text import (
    GENERIC,
    count_noun,
    counted,
    fold,
    join_words,
    name_score,
    tokens,
    word_match,
)
from handlers.messages import Reply, Source
from handlers.understanding.general_words import is_general
from handlers.understanding.kinds import REASON_CUES, Cues, Kind, facets, register
from handlers.understanding.lexicon import Mention
from storage.models import Attendance, BudgetFigure, Paragraph, Person, Protocol, Vacancy
from storage.search import search_paragraphs

CUES = {
    "attendance": (0.9, ("närvar", "deltog", "delta=", "attend", "present=", "presence", "var med", "tjänstgjord",
                         "were there", "was there", "vilka var på", "vem var på", "vilka var där", "vem var där",
                         "vilka var med", "who was at", "who were at", "tjänstgör", "beslutande", "participat", "on site", "med på",
                         "med och beslut", "med i beslut", "var med vid", "med vid mötet", "med vid sammanträdet",
                         "med vid beslut", "med när", "med och röst", "satt med", "sitter med",
                         "sat in on", "sat in at",
                         "how many people", "hur många personer", "were at the meeting", "was at the meeting",
                         "var på mötet", "were present", "på plats", "in attendance", "showed up", "turned up", "kom till",
                         "dök upp", "infann", "hela mötet", "whole meeting",
                         "take part", "took part", "delta i", "part of the decision", "involved in the decision",
                         "del av beslutet", "med i beslutet", "var vi med", "var vi på", "deltog vi", "were at the", "was at the", "were we at", "were we there",
                         "did we attend",
                         # "was our ledamot there", not "what was our result"
                         "was our rep", "was our member", "was our ledamot", "was our ersättare", "was our substitute",
                         "was our delegate")),
    "absent": (1.0, ("frånvar", "absent", "inte närvarande", "ej närvarande", "not present", "saknades", "missing",
                     "inte med", "uteblev", "did not attend", "didn't attend", "not attend", "were not there",
                     "was not there", "wasn't there", "weren't there", "not at the meeting", "missed the", "var inte där",
                     "inte på mötet", "deltog inte", "deltog ej", "var inte med", "did not take part",
                     "didn't take part", "not take part", "did not participate", "not participate", "inte med som",
                     # Not deciding (present or not): the negation read with the deciding word it governs.
                     "inte beslut", "ej beslut", "icke beslut", "inte tjänstgör", "ej tjänstgör", "inte röstberättig",
                     "ej röstberättig", "utan rösträtt", "not decid", "not vot", "didn't vote", "did not vote",
                     "not serving", "did not serve", "not serve", "was not at", "were not at", "not among the decision", "not one of the decision", "inte bland de beslutande",
                     "var borta", "varit borta", "borta från", "was away", "were away")),
    "members": (0.8, ("ledamot", "ledamöter", "ordinarie", "member=", "ordinary member", "regular member",
                      "full member", "voting member")),
    "board": (0.8, ("sitter i styrelsen", "satt i styrelsen", "sat on the board", "were on the board",
                    # ("on the board" alone places a person asked for, as "i styrelsen": "who is AF's
                    # representative on the board" asks who represents AF, a guest too; being on it asks seats.)
                    "styrelsen består", "förbundsstyrelse", "is on the board", "are on the board", "was on the board",
                    "be on the board", "sits on", "sit on", "board members",
                    "who is on", "members")),
    "party": (1.0, ("parti", "party", "partitillhörighet")),
    "term": (0.9, ("för vilken period", "mandatperiod", "term of office", "hur länge", "how long", "until when", "till när ",
                   "period", "när valdes", "när valde", "när utsågs", "när utsåg", "sedan när", "since when",
                   "when was appointed", "when was elected", "when were appointed",
                   # English asks the term by its noun ("for what term", "when does her term end").
                   "what term", "which term", "what period", "which period", "his term", "her term", "their term",
                   "the term", "term end", "term expire", "term run", "appointed until", "appointed through",
                   "appointed till")),
    # How each voted: the minutes record decisions, not votes (unless a reservation is noted).
    "how_voted": (1.0, ("hur röstade", "how did vote", "how did they vote", "röstade för", "röstade emot",
                        "röstade ja", "röstade nej", "voted for", "voted against", "voted in favour", "röstsiffr",
                        "vote count", "how many voted", "hur många röstade")),
    # A member body with no one deciding for it ("Vilken medlem saknade representant?").
    "unseated": (1.0, ("saknade", "saknar=", "saknas=", "utan representant", "inte representerad",
                       "ej representerad", "not represented", "without a representative", "no representative",
                       "lacked", "unrepresented")),
    "substitute": (0.9, ("ersättare", "substitute", "deputy", "deputies", "alternate", "suppleant")),
    # A seat the list gives as vacant.
    "vacant": (1.0, ("vakan", "vacant", "vacancy", "vacancies", "obesatt", "unfilled", "empty seat", "tom plats")),
    # Those present who are neither ledamot nor ersättare: officials, auditors, guests.
    "others": (0.9, ("övriga", "övrig deltagare", "adjungera", "tjänstemän", "tjänstepersoner", "others present",
                     "also present", "other participants", "officials", "staff present", "non-members", "gäster",
                     "guests")),
    "appointed": (1.0, ("utsett", "utsedd", "utsåg", "appoint", "valde=", "valdes", "elected", "chose=", "nominated", "represent", "företräd",
                        "vilken medlem", "which member body", "which member appointed", "which member has",
                        "which member did", "which member is", "för vilken medlem", "för vilken kommun", "from which member",
                        "varifrån", "where from", "sitter för", "satt för", "sits for", "sat for", "on behalf of",
                        "served for", "serving for", "serves for", "tjänstgjorde för", "tjänstgör för",
                        "för räkning", "företrädde",
                        "kom från", "kommer från", "is from", "comes from", "affiliat",
                        # A member's seat held by someone ("AF:s plats i styrelsen", "Bräcke's seat").
                        "plats i styrelsen", "platsen i styrelsen", "styrelseplats", "seat on the board",
                        "board seat", "s seat")),
    # A person's position or organisation ("Vilken roll har X?", "Which organisation is X from?").
    "profile": (0.9, ("roll=", "rollen", "role", "titel", "title=", "befattning", "organisation", "organization",
                      "arbetar", "works for", "jobbar", "myndighet", "employer", "yrke=", "yrket", "works as", "authority",
                      "agency", "come from", "comes from", "kommer ifrån", "tjänst=", "tjänsten=", "position=",
                      "job=", "funktion=", "uppdrag=")),
    # "left" only as leaving: "how many meetings are left" asks what remains.
    "left": (1.0, ("lämnade", "lämna=", "lämnar=", "avvek", "gick ifrån", "gick från", "leave=", "leaves=", "leaving", "who left", "left the", "left early", "left at", "left after",
                   "left before", "had left", "departed", "step out", "stepped out", "walk out", "walked out", "step away",
                   "stepped away", "slip out", "slipped out", "tidigt", "early", "deltog ej", "deltog inte",
                   "gick tidigare", "tidigare från", "i förtid", "gick hem",
                   "did not take part", "från och med", "till och med",
                   "part of the meeting", "del av mötet", "delar av mötet", "delvis", "partly", "partially",
                   # Where someone left, asked beside who left ("… och från vilken §?").
                   "från vilken paragraf", "from which paragraph", "från vilket paragraf", "from what paragraph",
                   # The §§ someone was not there for ("vilka § missade hon", "which items did he miss").
                   "missade", "missat", "missed", "did she miss", "did he miss", "did they miss")),
    # Someone from a member body ("någon från Vindeln", "vem från AF"): the member named by its place.
    "from_body": (0.6, ("någon från", "nån från", "vem från", "vilka från", "vem fran", "nagon fran", "nan fran",
                        "anyone from", "someone from", "somebody from", "who from", "anybody from", "people from")),
    # Taking part in the decisions, not only being in the room.
    "voting": (0.9, ("decision makers", "decision-makers", "decision maker", "decision-maker", "voting rights", "right to vote", "rösträtt",
                     "röstberättig", "could vote", "were voting", "voted", "fick rösta", "vote=", "röstade", "beslutande",
                     "beslutsfattare", "who made decisions", "who made the decisions", "who took decisions",
                     "who took the decisions", "who had a vote", "have a vote", "had the vote",
                     # Allowed to vote or decide ("was Lena Loo allowed to vote"): whether she was beslutande.
                     "allowed to vote", "allowed a vote", "allowed to decide", "allowed to take part in the decision",
                     "permitted to vote", "entitled to vote", "get to vote", "got to vote", "who could vote", "who had voting", "vilka fattade besluten",
                     "vilka fattade beslut", "vilka fick fatta beslut", "made decisions", "made the decisions",
                     "took the decisions", "fattade besluten")),
    # Who served in a member's place: the serving ersättare of the same member body.
    "instead": (1.0, ("i stället för", "istället för", "ersatte", "gick in för", "stood in", "stand in",
                      "substituted for", "replaced", "in place of", "sat in for", "vikarierade",
                      # English phrasal verbs of standing in ("filled in for", "covered for").
                      "fill in for", "filled in for", "cover for", "covered for", "step in for", "stepped in for")),
    "non_voting": (1.0, ("no vote", "not vote", "without vote", "utan rösträtt", "inte rösta", "no voting")),
    # How someone took part, as the attendance note writes it.
    # Adverbs only: "digital" alone is as often a topic ("digital signing").
    "remote": (0.9, ("digitalt", "digitally", "på distans", "remotely", "online", "via teams", "via länk", "på länk",
                     "uppkopplad", "by video", "via video")),
    "new": (0.9, ("ny i", "ny ledamot", "nya ledamöter", "new member", "nyvald", "new on the board", "joined the board",
                  "ny på", "nytillträdd", "newly")),
    # "ny"/"new" alone is as often about a topic ("the new website") as about a person: a hint only.
    "new_word": (0.5, ("ny=", "nya=", "new=")),
    # "Was X there / at the meeting?": attendance only when a person is named in a yes/no question (see _fit).
    "there": (0.5, ("there=", "at the meeting", "på mötet", "på sammanträdet", "på styrelsemötet", "med på mötet")),
    # "Från vilken paragraf …": about people only beside a person or a leaving word; alone it asks
    # where a matter stands in the minutes.
    "paragraph": (0.4, ("vilken paragraf", "which paragraph", "vilka paragrafer", "which paragraphs", "which items",
                        "vilka punkter", "vilken punkt", "which agenda items", "vilka ärenden", "which sections")),
    "who": (0.3, ("vem", "vilka", "who", "whom")),
    "identity": (0.6, ("vem är", "vem var", "who is", "who was")),
    "count": (0.6, ("hur många", "how many", "antal", "number of")),
    # "ledamot respektive ersättare": each seat, which the list answers name by name.
    "each": (0.2, ("respektive", "respectively", "var för sig")),
}


# Words (folded beginnings) of whom an attendance count counts ("hur många ordinarie ledamöter"),
# repeated in the answer beside the number.
COUNTED_PEOPLE = ("ordinarie", "ledamot", "ersattar", "beslutande", "tjanstgorande", "narvarande", "personer", "deltagare", "members", "member", "substitutes", "deputies",
                  "alternates", "voting", "regular", "full", "board", "people", "persons", "participants", "attendees")

# Leaving the meeting, as against taking part only in some §§ ("delvis", "deltog inte").
LEAVING = ("lämnade", "lämna=", "lämnar=", "avvek", "gick ifrån", "gick från", "leave=", "leaves=", "leaving",
           "who left", "left the", "left early", "left at", "left after", "left before", "had left", "departed")

# What an attendance note says of someone taking part from afar (folded).
REMOTE_NOTES = ("digital", "distans", "teams", "lank", "video", "telefon")


# Facets that do not by themselves make a question one about people.
_NOT_ALONE = ("who", "identity", "count", "there", "paragraph", "each")


# What an attendance list tells of a person: who appointed them and in what role, not when.
_SEAT_FACETS = frozenset({"appointed", "members", "board", "substitute", "who", "party", "profile"})


# "Was there any condition …", "is there a deadline": English "there" of being, not of a place; "was
# there" asks who attended only with a person, or with other words of attending ("at the meeting").
_EXISTENTIAL = re.compile(r"\b(?:was|were|is|are) there (?:any|a|an|some|anything|something|no|nothing|enough)\b")
_EXISTENTIAL_ONLY = ("was there", "were there")


def _existential_only(q: Question) -> bool:
    if not _EXISTENTIAL.search(q.text.lower()) or persons_named(q):
        return False
    others = [w for w in CUES["attendance"][1] if w not in _EXISTENTIAL_ONLY]
    return not q.cues.any(others) and not q.cues.any([w for w in CUES["there"][1] if w != "there="])


# "Participants" of an insats are those it served (deltagare), not those at a board meeting.
PARTICIPANT_NOUNS = ("participant", "deltagar")
MEETING_WORDS = ("möte", "mötet", "sammanträd", "styrelsemöt", "meeting", "protokoll", "minutes")


def _participants_of_insats(q: Question) -> bool:
    """'How many participants has IT-spåret had?': a grant or budget line named beside "participants"
    and no meeting: the insats's deltagare, which no attendance list gives."""
    if not q.cues.any(PARTICIPANT_NOUNS) or q.cues.any(MEETING_WORDS) or persons_named(q):
        return False
    # A grant named by part of its name counts ("Arbetsmarknadstorget" for "Arbetsmarknadstorget
    # Härnösand"): no meeting's attendance is asked either way. A budget line only by its whole name.
    return bool(q.named("grant")) or any(m.score >= 0.9 for m in q.named("budget_line"))


# Things, not people, that "vilka …" / "which …" may ask for ("vilka ansökningar kom från Timrå?"):
# the applications or grants of a member, never its people. Whole words ("projektledare" is a person;
# "vilken paragraf" asks where someone was, beside who).
ASKED_THINGS = frozenset(fold(w) for w in (
    "ansökan", "ansökningar", "ansökningarna", "ansökningen", "insats", "insatser", "insatserna", "insatsen",
    "projekt", "projekten", "projektet", "application", "applications", "grant", "grants", "beslut", "besluten",
    "decision", "decisions", "bidrag", "bidragen"))
_WHICH_THING = re.compile(r"\b(?:vilka|vilken|vilket|which|what)\s+(\w+)", re.IGNORECASE)


def _asks_for_things(q: Question) -> bool:
    return any(fold(m.group(1).lower()) in ASKED_THINGS for m in _WHICH_THING.finditer(q.text))


# Applying for a grant, as a verb: who applied is the grant's applicants, never an attendance list
# ("who were the parties applying together for X").
APPLYING = ("applied", "applying", "apply=", "applies=", "ansökte", "sökte=", "har sökt", "har ansökt")


def _fit(q: Question) -> float:
    from handlers.answers.guard import asked_type

    if _existential_only(q) or _participants_of_insats(q):
        return -1.0
    from handlers.answers.kinds.officers import OTHER_DOCUMENTS, SIGNING

    if q.cues.any(OTHER_DOCUMENTS) and q.cues.any(SIGNING) and not q.cues.any(("protokoll", "minutes")):
        return -1.0  # who signed a yttrande or an agreement: its own § says, not who attended
    if q.cues.any(APPLYING) and q.named("grant") and not persons_named(q):
        return -1.0
    if _asks_for_things(q) and not persons_named(q):
        return -1.0  # "vilka ansökningar kom från Timrå?": applications, not who sat for Timrå
    if asked_type(q.text) == "when" and set(facets(KIND, q.cues)) <= _SEAT_FACETS:
        # "När valde KF in Christer Sjöberg i styrelsen?": the list's date is the meeting's, not the appointment's.
        return -1.0
    # "Who" alone does not ask about attendance; money words point at a budget line named like
    # a board ("Styrelse"), not at people.
    if not any(q.cues.any(words) for facet, (_w, words) in CUES.items() if facet not in _NOT_ALONE):
        if opens_yes_no(q) and q.cues.any(CUES["there"][1]) and persons_named(q):
            return 0.6
        if titles_named(q) and q.cues.any(CUES["who"][1] + CUES["identity"][1]):
            return 0.6  # "Vem är verksamhetsutvecklare?": a position the attendance lists give
        return 0.0 if persons_named(q) and q.cues.any(CUES["identity"][1]) else -1.0
    if not persons_named(q) and not titles_named(q) and not any(
            q.cues.any(words) for facet, (_w, words) in CUES.items()
            if facet not in ("who", "term", "paragraph", "profile", "new_word", "others", "each")):
        # "until when" asks a person's term, "which organisation" a person's, only when a person is named
        return -1.0
    if not persons_named(q) and q.cues.any(OFFICER_ROLES) and not q.cues.any(CUES["attendance"][1]):
        return -0.6  # "Vem valdes till ordförande?": the officers kind's, not a list of everyone appointed
    if opens_yes_no(q) and q.cues.any(CUES["attendance"][1]) and (persons_named(q) or _bodies(q)):
        # "Var Försäkringskassans ledamot med när styrelsen behandlade X?": whether someone took part,
        # whatever figure X names.
        return 0.5
    return -0.5 if q.cues.any(("kostar", "cost", "budget", "belopp", "amount", "kronor", "prognos", "forecast",
                               "kapital", "resultat", "utfall", "outcome")) else 0.0


# English renderings of justerare ("adjuster", "minutes checker", "co-signer"): the officers kind's.
JUSTERARE_EN = ("verifier", "adjuster", "checker", "co-signer", "cosigner", "countersign", "scrutineer", "attestor")
# The roles a protocol's officers hold.
OFFICER_ROLES = ("ordförande", "ordf", "chair", "sekreterare", "secretary", "justera", *JUSTERARE_EN)
def persons_named(q: Question) -> list[Mention]:
    """The people the question names: by name, or by a surname alone that one person in scope
    has ("Vem ersatte Nordlander?")."""
    named = [m for m in q.named("person") if m.score >= 0.9]
    if named:
        return named
    words = {fold(w.lower()) for w in q.words if len(w) >= 5}
    if not words:
        return []
    by_surname: dict[str, list[Mention]] = {}
    for m in q.lexicon.find(q.words, kinds=("person",), organisation_ids=q.organisation_ids, threshold=0.3):
        surname = fold(tokens(m.entry.name)[-1].lower())
        if surname in words:
            by_surname.setdefault(surname, []).append(Mention(m.entry, 0.9))
    return [hits[0] for hits in by_surname.values() if len({h.entry.name for h in hits}) == 1]


# Roles the protocol's officers hold: asked of the officers kind, not as a position in the list.
OFFICER_WORDS = ("ordförande", "ordf", "chair", "sekreterare", "secretary", "justera", "förbundschef", "director",
                 "manager", *JUSTERARE_EN)


# Positions in English, by the Swedish words attendance lists use for them.
POSITIONS_EN = {
    "process developer": "processutvecklare", "process leader": "processledare",
    "development officer": "verksamhetsutvecklare", "operations developer": "verksamhetsutvecklare",
    "business developer": "verksamhetsutvecklare", "team leader": "teamledare", "supervisor": "handledare",
    "supervisors": "handledare", "economist": "ekonom", "finance officer": "ekonom", "accountant": "ekonom",
    "coordinator": "samordnare", "project leader": "projektledare", "project manager": "projektledare",
    "audit director": "revisionsdirektör", "expert": "sakkunnigt biträde", "strategist": "strateg",
    "administrator": "administratör", "controller": "controller",
}


def titles_named(q: Question) -> list[str]:
    """Positions the question names that someone in an attendance list holds ("processutvecklare",
    "handledare i Enter", "the process developer"); officers' roles are the officers kind's."""
    if q.cues.any(OFFICER_WORDS):
        return []
    words = list(q.words)
    for english, swedish in POSITIONS_EN.items():
        if q.cues.hit(english if " " in english else f"{english}="):
            words += swedish.split()
    found = q.lexicon.find(words, kinds=("title",), organisation_ids=q.organisation_ids, threshold=0.9)
    # Every word of the position, inflected at most: "revisionen" is not "revisionsdirektör".
    asked = {passages.root(fold(w)) for w in words}
    whole = [m for m in found if all(passages.root(fold(w)) in asked for w in tokens(m.entry.name) if len(w) >= 3)]
    return list(dict.fromkeys(m.entry.name for m in whole))


# Budget sections whose lines are the förbund's members (what each member body pays).
MEMBER_SECTIONS = ("medlemsbidrag", "intäkter")


def _members_without_seat(q: Question, protocol: Protocol, rows: list[tuple[str, Attendance]]) -> list[str]:
    """Members of the förbund the question names (known from their contribution line in a budget)
    that no one in the attendance list is appointed by: "Vem representerar Vaggeryds kommun?"
    must not list every member."""
    seated = {fold(a.member_body.lower()) for _n, a in rows if a.member_body}
    out = []
    for m in q.named("budget_line"):
        if m.entry.organisation_id != protocol.organisation_id:
            continue
        # "Vännäs kommun, 5,11% av arb-bef.": the member is the line's name before its note.
        head = m.entry.name.split(",")[0].strip()
        if m.score < 0.8 and not _distinctive_named(head, q.words):
            continue
        section = q.session.exec(select(BudgetFigure.section).where(
            BudgetFigure.organisation_id == m.entry.organisation_id, BudgetFigure.line == m.entry.name,
            col(BudgetFigure.section).in_(MEMBER_SECTIONS))).first()
        if not _written_as_name(q.text, head, member=section is not None):
            continue  # "board" is no mention of the line Styrelse
        if section is not None and fold(head.lower()) not in seated and not any(
                _distinctive_named(b, tokens(head)) for b in seated):
            out.append(head)
    return list(dict.fromkeys(out))


# A member named by its kind alone, where the förbund has one such member ("Vem representerar
# regionen?", "Who represents the region?"): the word, and how that member's name begins.
MEMBER_BY_KIND = {"regionen=": "region", "regionens=": "region", "region=": "region", "landstinget=": "region",
                  "landstingets=": "region", "county council": "region"}


def _bodies(q: Question) -> list[str]:
    """The member bodies the question names: the best fits only ("Region Jämtland Härjedalen"
    is not also "Härjedalens kommun"), or the förbund's one region when asked for "regionen"."""
    by_kind = _member_by_kind(q)
    if by_kind:
        return by_kind
    outside = _words_outside_organisation_name(q)
    # Asked who sits for a member, its place name alone names it ("Who represented Habo?"); else
    # "mötet i Umeå" names where, not a member.
    loose = bool(set(q.reading_facets) & {"appointed", "instead", "from_body"})
    # "Habos ersättare", "Åre's substitute": a place owning a seat names the member too.
    owners = _seat_owners(q)
    # (A group's members were found above; a member named by its place alone is only asked this way.)
    mentions = [m for m in q.named("member_body")
                if (m.score >= 0.8 and name_score(m.entry.name, outside) >= 0.8)
                or (loose and _distinctive_named(m.entry.name, outside))
                or (owners and _distinctive_named(m.entry.name, owners))]
    top = max((m.score for m in mentions), default=0.0)
    return list(dict.fromkeys(m.entry.name for m in mentions if m.score >= top - 0.02))


# Words for a seat on the board, as a member body's own ("Habos ersättare", "Åre's substitute").
SEAT_NOUNS = ("ersättar", "ledamot", "ledamöt", "representant", "suppleant", "substitut", "deputy", "deputies",
              "member", "alternate", "plats=", "platsen=", "seat=", "styrelseplats")


# Words that put a seat's owner after the seat noun ("ersättare för Habo", "the member for Åre").
SEAT_OWNER_LINKS = ("for", "fran", "from", "hos")


def _seat_owners(q: Question) -> list[str]:
    """The words just before a seat noun (one word may stand between: "Åre's substitute", "Habos
    ordinarie ledamot"), or after it behind "för"/"for" ("ersättare för Habo", "the substitute for
    Åre"): the owner of the seat, when a member body's place is written there."""
    words = [fold(w) for w in q.words]
    out: list[str] = []
    for i, w in enumerate(words):
        if any(w == fold(n[:-1]) if n.endswith("=") else w.startswith(fold(n)) for n in SEAT_NOUNS):
            out += [v for v in words[max(0, i - 2):i] if len(v) >= 3]
            if i + 2 < len(words) and words[i + 1] in SEAT_OWNER_LINKS:
                out += [v for v in words[i + 2:i + 4] if len(v) >= 3]
    return out


# Members named as a group ("kommunerna", "the state"): the words, and what the group's members'
# names hold (folded): the municipalities end in kommun or stad, the state is its two agencies.
MEMBER_GROUPS = {
    ("kommunerna=", "kommunernas=", "municipalities=", "the municipalities", "councils=",
     # Seats of the municipalities: "kommunledamöter", "kommunala ledamöter", "municipal members".
     "kommunledam", "kommunersättar", "kommunrepresentant", "kommunala=", "kommunens ledam", "municipal=",
     "municipality members", "council members"): ("kommun", "stad"),
    ("staten=", "statens=", "the state", "myndigheterna=", "the agencies", "state agencies"):
        ("forsakringskassan", "arbetsformedlingen"),
}


def _member_by_kind(q: Question) -> list[str]:
    if len(q.organisation_ids) != 1 or any(m.score >= 0.8 for m in q.named("member_body")):
        return []
    bodies = sorted({e.name for e in q.lexicon.entries
                     if e.kind == "member_body" and e.organisation_id in q.organisation_ids})
    starts = {start for word, start in MEMBER_BY_KIND.items() if q.cues.hit(word)}
    region = [b for b in bodies if any(fold(b.lower()).startswith(s) for s in starts)]
    if starts and len(region) == 1:
        return region
    for words, parts in MEMBER_GROUPS.items():
        if q.cues.any(words):
            group = [b for b in bodies if any(fold(b.lower()).endswith(p) or fold(b.lower()) == p for p in parts)]
            if group:
                return group
    return []


def _distinctive_named(name: str, words: list[str]) -> bool:
    """Whether every distinctive word of a member body's name is asked, as a name: "Habo" for
    "Habo kommun" ("kommun" says only what kind of member it is)."""
    distinctive = [w for w in tokens(name) if w not in GENERIC]
    return bool(distinctive) and all(max((word_match(d, w) for w in words), default=0.0) >= 0.9
                                     for d in distinctive)


def _words_outside_organisation_name(q: Question) -> list[str]:
    """The question's words less one occurrence of each word of a förbund name it gives: in "mötet
    i Härnösand–Timrå" the förbund is named, not its member Härnösands kommun."""
    words = list(q.words)
    for entry in q.lexicon.organisations_named(q.words):
        for part in tokens(entry.name):
            # A word of the name ("Timrå") or a short form of it ("the Umeå board" for Umeåregionen)
            # names the förbund, unless a member's kind follows it ("Timrå kommun", "Umeå kommun").
            hits = [i for i, w in enumerate(words) if fold(w) == fold(part) and not _member_kind_follows(words, i)]
            hits = hits or [i for i, w in enumerate(words) if len(w) >= 4 and _short_form(w, part)
                            and not _member_kind_follows(words, i)]
            if hits:
                del words[hits[-1]]
    return words


# Words after a place that make it a member's name ("Umeå kommun", "Region Västerbotten" aside).
_MEMBER_KIND_WORDS = frozenset({"kommun", "kommuns", "kommunen", "municipality", "stad", "council"})


def _short_form(word: str, part: str) -> bool:
    """`word` (or its genitive's stem: "Umeås") is a short form of `part` of a förbund's name ("Umeåregionen")."""
    folded, whole = fold(word.lower()), fold(part.lower())
    # A shortening, not an inflection: "Jämtland" is a form of "Jämtlands" and may name Region Jämtland.
    return any(whole.startswith(w) and len(whole) - len(w) >= 4 for w in {folded, folded.removesuffix("s")}
               if len(w) >= 4)


def _member_kind_follows(words: list[str], i: int) -> bool:
    return i + 1 < len(words) and fold(words[i + 1].lower()) in _MEMBER_KIND_WORDS


def _written_as_name(text: str, name: str, member: bool = False) -> bool:
    """Whether the question writes a word of `name` as a name (capitalised after its first word),
    inflected or not: "Vaggeryd" for "Vaggeryds kommun". A member's own place or agency is its name
    however typed ("vaggeryds ersättare?", "forsakringskassans ledamot"): only the word saying what
    kind of member it is ("kommun", "region") must be written as a name."""
    parts = [fold(w.lower()) for w in re.findall(r"\w+", name) if len(w) >= 4]
    raw = re.findall(r"\w+", text)
    if member:
        own = [p for p in parts if p not in {fold(g) for g in GENERIC}]
        if any(word_match(fold(w.lower()), p) >= 0.9 for w in raw for p in own):
            return True
    return any(w[:1].isupper() and any(fold(w.lower())[:5] == p[:5] for p in parts) for w in raw[1:])


def _rows(q: Question, protocol: Protocol) -> list[tuple[str, Attendance]]:
    return [(name, a) for name, a in q.session.exec(
        select(Person.name, Attendance).join(Attendance, col(Attendance.person_id) == Person.id)
        .where(Attendance.protocol_id == protocol.id).order_by(col(Attendance.id))).all()]


def _role(q: Question, role: str) -> str:
    return {"ledamot": q.t("ledamot", "member"), "ersättare": q.t("ersättare", "substitute"),
            "övrig": q.t("övrig deltagare", "also present")}.get(role, role)


def _describe(q: Question, name: str, a: Attendance) -> str:
    # The party first, as the protocols write it beside a name ("Karin Näsmark (S)").
    parts = [a.party, _role(q, a.role)] if a.party else [_role(q, a.role)]
    if a.title:
        parts.append(a.title)
    if a.member_body:
        parts.append(q.t(f"utsedd av {a.member_body}", f"appointed by {a.member_body}") if a.role != "övrig"
                     else a.member_body)
    if a.voting and a.role == "ersättare":
        parts.append(q.t("tjänstgörande", "serving"))
    if not a.present and not a.voting:
        parts.append(q.t("ej närvarande", "not present"))
    if a.note:
        parts.append(a.note)
    if a.paragraphs and "§" not in (a.note or ""):
        parts.append(q.t(f"närvarande §§ {a.paragraphs}", f"present at §§ {a.paragraphs}"))
    return f"{name} ({', '.join(parts)})"


_NEW_ON_BOARD = re.compile(r"\bnyvald[a]?\b|\bnya?\s+(?:\w+\s+)?(?:ledamot|ledamoter|ersattare|i styrelsen|"
                           r"ordforande|styrelseledamot|representant)")


def _new_member(q: Question, protocol: Protocol, rows: list[tuple[str, Attendance]]) -> Reply | None:
    """Who is new on the board: the person named nearest to "ny" in a sentence of the protocol
    (of the member body asked about, if one is named)."""
    bodies = _bodies(q)
    paragraphs = q.session.exec(select(Paragraph).where(Paragraph.protocol_id == protocol.id)
                                .order_by(col(Paragraph.number))).all()
    for p in paragraphs:
        for sentence in re.split(r"(?<=[.!?])\s+|\n", f"{p.body}\n{p.decision or ''}"):
            lowered = fold(sentence.lower())
            # "ny ledamot", "ny i styrelsen", "nyvald": new on the board, not "nya arbetssätt".
            new_at = [m.start() for m in _NEW_ON_BOARD.finditer(lowered)]
            if not new_at:
                continue
            named = []
            for name, a in rows:
                at = lowered.find(fold(name.lower()))
                if at < 0 or (bodies and a.member_body not in bodies and not any(
                        fold(b.lower()) in lowered for b in bodies)):
                    continue
                named.append((min(abs(at - n) for n in new_at), name, a))
            for _distance, name, a in sorted(named, key=lambda x: x[0])[:1]:
                source = source_for(q.session, q.organisation(protocol.organisation_id), p.document_id, p.id)
                text = q.t(f"{name} var ny i styrelsen vid mötet {protocol.meeting_date.isoformat()} (§ {p.number}: "
                           f"”{sentence.strip()}”).", f"{name} was new on the board at the meeting of "
                           f"{protocol.meeting_date.isoformat()} (§ {p.number}: “{sentence.strip()}”).")
                if a.member_body:
                    text += q.t(f" {name} är utsedd av {a.member_body}.", f" {name} is appointed by {a.member_body}.")
                return Reply(text=text, sources=[source], language=q.language)
    return None


def _paragraph_number(text: str) -> int | None:
    m = re.search(r"§\s*(\d+)", text)
    return int(m.group(1)) if m else None


# Words before a § that point past it: "lämnade efter § 8" left before § 9, "med efter § 8" was at § 9.
AFTER_PARAGRAPH = re.compile(r"\b(?:efter|after|from|följande|following)\s+§\s*\d+", re.IGNORECASE)


def _paragraph_meant(text: str) -> int | None:
    """The § whose attendance the question turns on: the one named, or the next one when the
    question says "after" it."""
    number = _paragraph_number(text)
    if number is not None and AFTER_PARAGRAPH.search(text):
        return number + 1
    return number


def _ranges(note: str) -> tuple[list[range], bool]:
    """The § ranges an attendance note gives, and whether they are those the person missed."""
    spans = [range(int(a), int(b or a) + 1) for a, b in re.findall(r"§§?\s*(\d+)\s*(?:[-–]\s*(\d+))?", note)]
    return spans, bool(re.search(r"\b(ej|inte|not)\b", note.lower()))


def _spans(a: Attendance) -> tuple[list[range], bool]:
    """The §§ a person was present at, as ingest read them from arrivals, departures and jäv
    (Attendance.paragraphs, "5-7,9-14"); else the ranges of the attendance note."""
    if a.paragraphs:
        return [range(int(x), int(y or x) + 1) for x, y in re.findall(r"(\d+)(?:-(\d+))?", a.paragraphs)], False
    return _ranges(a.note or "")


def _present_at(a: Attendance, number: int) -> bool:
    """Whether the person's §§ (read at ingest, or the note's ranges) hold § `number`."""
    spans, missed = _spans(a)
    inside = any(number in span for span in spans)
    return not inside if missed else inside


def _took_part(q: Question, protocol: Protocol, source: Source, row: tuple[str, Attendance], number: int) -> Reply:
    """'Deltog X i beslutet i § 12?': yes or no, from the attendance list's § ranges."""
    name, a = row
    spans, missed = _spans(a)
    if spans:
        inside = any(number in s for s in spans)
        took_part = (not inside) if missed else inside
    else:
        took_part = a.voting
    title = q.session.exec(select(Paragraph.title).where(
        Paragraph.protocol_id == protocol.id, Paragraph.number == number)).first()
    about = f" ({title})" if title else ""
    detail = _describe(q, name, a)
    if took_part:
        text = q.t(f"Ja. {detail} deltog i besluten i § {number}{about}.",
                   f"Yes. {detail} took part in the decisions of § {number}{about}.")
    else:
        text = q.t(f"Nej. {detail} deltog inte i besluten i § {number}{about}.",
                   f"No. {detail} did not take part in the decisions of § {number}{about}.")
    return Reply(text=text, sources=[source], language=q.language)


# A question opening with a finite verb asks yes or no ("Får X delta i besluten?", "Was X present?").
YES_NO_OPENERS = ("får", "fick", "var", "deltog", "närvarade", "är", "har", "hade", "tjänstgjorde", "satt",
                  "was", "were", "did", "may", "is", "can", "could", "has", "had", "have", "are", "blev")
# Taking part in the decisions (beslutande, tjänstgörande) rather than only being in the room.
DECIDING = ("beslut", "decision", "decide", "vote", "voting", "rösta", "rösträtt", "tjänstgör", "served", "serving",
            "behandlade", "behandlades", "dealt with", "handled",
            # A decision named by what it did ("när sammanträdesplanen fastställdes").
            "fastställ", "godkände", "godkändes", "antogs", "antog=", "klubbade", "approved", "adopted")


# The whole meeting, as against some of its §§.
WHOLE_MEETING = ("hela mötet", "hela sammanträdet", "hela styrelsemötet", "hela tiden", "whole meeting",
                 "entire meeting", "all of the meeting", "the whole time", "throughout")


# Where a question's asking clause starts after the thing it is about ("Lena Loo from AF — could
# she vote?", "Maria Engberg: was she there?").
_CLAUSE_BREAK = re.compile(r"\s[-–—]\s|[–—:;]")


# A name the question opens with, set off by a comma ("Mathias Haglund, var han beslutande?").
_LEADING_NAME = re.compile(r"^\s*[A-ZÅÄÖ][\w-]+(?:\s+[A-ZÅÄÖ][\w-]+)*\s*,\s*")


def opens_yes_no(q: Question) -> bool:
    openers = {fold(w) for w in YES_NO_OPENERS}
    clauses = [tokens(c) for c in _CLAUSE_BREAK.split(q.text)]
    lead = _LEADING_NAME.match(q.text)
    after_name = tokens(q.text[lead.end():]) if lead else []
    # A later part of a message opens with its join ("And did she vote?", "och var han med?").
    firsts = [next((w for w in c if fold(w.lower()) not in _CLAUSE_OPENERS), c[0])
              for c in (q.words, clauses[-1], after_name) if c]
    return any(fold(w.lower()) in openers for w in firsts)


def _yes_or_no(q: Question, protocol: Protocol, source: Source, row: tuple[str, Attendance],
               facets: set[str]) -> Reply | None:
    """Yes or no, then the attendance row it rests on."""
    if not opens_yes_no(q):
        return None
    name, a = row
    spans, _missed = _spans(a)
    if q.cues.any(DECIDING):
        yes = a.voting
        sv, en = ("deltog|i besluten", "took part in the decisions") if yes else (
            "deltog|inte i besluten", "did not take part in the decisions")
    elif facets & {"attendance", "absent", "there"}:
        present = a.present or a.voting
        yes = not present if "absent" in facets else present
        sv, en = ("var|närvarande", "was present") if present else ("var|inte närvarande", "was not present")
    else:
        return None
    partly = present_in_part(yes, spans, a)
    if partly and "absent" not in facets and q.cues.any(WHOLE_MEETING):
        # "Var X med på hela mötet?": present for some §§ only is a no.
        yes, partly = False, False
        sv, en = (f"var|närvarande bara vid en del av mötet ({a.note})",
                  f"was present for only part of the meeting ({a.note})")
    only = f" ({a.note})" if partly else ""
    label, date = protocols._label(q, protocol), protocol.meeting_date.isoformat()
    verb, rest = sv.split("|")  # Swedish puts the subject after the verb: "Enligt … deltog X i besluten"
    text = q.t(f"{'Ja' if yes else 'Nej'}. Enligt {label} {verb} {name} {rest}{only} vid sammanträdet {date}.",
               f"{'Yes' if yes else 'No'}. According to {label}, {name} {en}{only} at the meeting of {date}.")
    about = DECIDING if q.cues.any(DECIDING) else ("närvar", "deltar", "present")
    return _with_what_is_said(q, protocol, source, text + "\n• " + _describe(q, name, a), name, tuple(about))


def _with_what_is_said(q: Question, protocol: Protocol, source: Source, text: str, name: str,
                       about: tuple[str, ...]) -> Reply:
    """The answer on a person, with the sentence of a § that says it of them, if there is one."""
    sources = [source]
    said = _said_of(q, protocol, name, about)
    if said is not None:
        paragraph, sentence = said
        text += f"\n§ {paragraph.number}: ”{sentence}”"
        sources.append(source_for(q.session, q.organisation(protocol.organisation_id), paragraph.document_id,
                                  paragraph.id))
    return Reply(text=text, sources=sources, language=q.language)


# Where one yes/no question of a message ends and the next begins ("is she a ledamot now? Did she
# vote?", "är han ordinarie ledamot, och var han beslutande?").
_CLAUSE_ENDS = re.compile(r"[?!;:]|,|\s[-–—]\s|\s(?:och|and|o|samt|&|plus)\s", re.IGNORECASE)
# Words before a clause's verb that leave it a yes/no question ("and did she vote", "btw was he …").
_CLAUSE_OPENERS = frozenset({"och", "and", "also", "ocksa", "btw", "plus", "samt", "sa", "so", "but", "men"})
# What a yes/no clause asks of the person: the seat they hold, whether they decided, whether they
# were there. Cue words as in CUES; a clause asking something else leaves the message to the readings
# that read it whole.
SEAT_ASKED = {"ledamot": ("ledamot", "ledamöter", "ordinarie", "member=", "board member", "member of the board",
                          "ordinary member", "full member", "regular member", "styrelseledamot"),
              "ersättare": ("ersättare", "substitute", "deputy", "suppleant", "alternate")}
PRESENCE_ASKED = ("närvar", "var med", "med på", "med under", "med vid", "present", "there=", "at the meeting",
                  "attend", "på mötet", "på plats", "deltog=", *WHOLE_MEETING)


# Verbs of deciding or attending that open a later yes/no clause themselves ("… och röstade hon?").
CLAUSE_VERBS = ("röstade", "beslutade", "närvarade", "voted", "attended", "decided")


def _yes_no_clauses(q: Question) -> list[str]:
    """The clauses of the question that ask yes or no: each opens with a finite verb and runs to the
    next that does ("fick hon va med o besluta" is one question); what comes before the first is a
    statement ("Lena Loo was at the meeting")."""
    openers = {fold(w) for w in (*YES_NO_OPENERS, *CLAUSE_VERBS)}
    out: list[str] = []
    for piece in _CLAUSE_ENDS.split(q.text):
        words = [fold(w.lower()) for w in tokens(piece)]
        while words and words[0] in _CLAUSE_OPENERS:
            words = words[1:]
        if words and words[0] in openers:
            out.append(piece)
        elif out:
            out[-1] += f" {piece}"
    return out


def _asked_of(q: Question, clause: str, name: str) -> str | None:
    """What a yes/no clause asks of the person: "deciding", "presence", a seat, or None."""
    cues = Cues(tokens(clause), names=frozenset(fold(w.lower()) for w in name.split()), english=q.language == "en")
    if cues.any(DECIDING) or cues.any(CUES["voting"][1]):
        return "deciding"
    if cues.any(PRESENCE_ASKED):
        return "presence"
    for seat in ("ersättare", "ledamot"):
        if cues.any(SEAT_ASKED[seat]):
            return seat
    return None


def _verdicts(q: Question, protocol: Protocol, source: Source, row: tuple[str, Attendance]) -> Reply | None:
    """Several yes/no questions of one person in one message ("is she a ledamot now? Did she vote?"),
    or whether they hold a seat ("Är X ordinarie ledamot?"): each answered in turn from the attendance
    list, with what a § says of the person and the seat or the deciding (a list's "övriga" beside "är
    utsedd … som ny ordinarie ledamot" is no plain yes or no). None when a clause asks something else."""
    name, a = row
    asked = [_asked_of(q, clause, name) for clause in _yes_no_clauses(q)]
    if not asked or None in asked or not (set(asked) & set(SEAT_ASKED) or len(set(asked)) >= 2):
        return None
    label, date = protocols._label(q, protocol), protocol.meeting_date.isoformat()
    spans, _missed = _spans(a)
    said_about: list[str] = []
    lines = []
    for what in dict.fromkeys(asked):
        if what in SEAT_ASKED:
            said_about += [*SEAT_ASKED["ledamot"], *SEAT_ASKED["ersättare"]]
            role, body = _role(q, a.role), f" ({q.t('utsedd av', 'appointed by')} {a.member_body})" if (
                a.member_body and a.role != "övrig") else (f" ({a.member_body})" if a.member_body else "")
            if a.role == what:
                lines.append(q.t(f"Ja. Enligt {label} är {name} {role}{body}.",
                                 f"Yes. According to {label}, {name} is a {role}{body}."))
            elif a.role == "övrig" and _said_of(q, protocol, name, SEAT_ASKED["ledamot"] + SEAT_ASKED["ersättare"]):
                # The list and a § say different things: both are given, no yes or no.
                lines.append(q.t(f"I närvarolistan i {label} står {name} som {role}{body}, inte som {_role(q, what)}.",
                                 f"The attendance list of {label} gives {name} as {role}{body}, not as a "
                                 f"{_role(q, what)}."))
            else:
                lines.append(q.t(f"Nej. Enligt {label} är {name} {role}{body}, inte {_role(q, what)}.",
                                 f"No. According to {label}, {name} is {'a ' if a.role != 'övrig' else ''}{role}{body}, "
                                 f"not a {_role(q, what)}."))
        elif what == "deciding":
            said_about += list(DECIDING)
            only = f" ({a.note or a.paragraphs})" if a.voting and spans else ""
            lines.append(q.t(f"{'Ja' if a.voting else 'Nej'}. {name} deltog {'' if a.voting else 'inte '}i besluten"
                             f"{only} vid sammanträdet {date}.",
                             f"{'Yes' if a.voting else 'No'}. {name} {'took' if a.voting else 'did not take'} part in "
                             f"the decisions{only} at the meeting of {date}."))
        else:
            said_about += ["närvar", "deltar", "present"]
            present = a.present or a.voting
            whole = any(Cues(tokens(c)).any(WHOLE_MEETING) for c in _yes_no_clauses(q))
            if present and spans and whole:
                lines.append(q.t(f"Nej. {name} var närvarande bara vid en del av mötet ({a.note or a.paragraphs}).",
                                 f"No. {name} was present for only part of the meeting ({a.note or a.paragraphs})."))
            else:
                lines.append(q.t(f"{'Ja' if present else 'Nej'}. {name} var {'' if present else 'inte '}närvarande "
                                 f"vid sammanträdet {date}.",
                                 f"{'Yes' if present else 'No'}. {name} was {'' if present else 'not '}present at "
                                 f"the meeting of {date}."))
    return _with_what_is_said(q, protocol, source, "\n".join(lines) + "\n• " + _describe(q, name, a), name,
                              tuple(said_about))


# Asking who took a member's seat at the meeting ("vem tjänstgjorde för AF", "who sat for them").
STOOD_IN = frozenset({"instead", "appointed", "voting", "attendance"})


def _stood_in_for_vacant(q: Question, protocol: Protocol, source: Source, rows: list[tuple[str, Attendance]],
                         bodies: list[str], facets: set[str]) -> Reply | None:
    """"AF:s plats var vakant, vem tjänstgjorde för dem?": the vacancy is what the asker knows; who
    served for the member body (its deciding ersättare, and for which §§) is what is asked."""
    if not bodies or not facets & STOOD_IN or not q.cues.any(("vem", "vilka", "who", "anyone", "någon", "nån")):
        return None
    vacant = [b for b in q.session.exec(select(Vacancy.member_body).where(
        Vacancy.protocol_id == protocol.id, Vacancy.role == "ledamot")).all() if b in bodies]
    serving = [(n, a) for n, a in rows if a.member_body in vacant and a.voting]
    if not vacant or not serving:
        return None
    head = q.t(f"Platsen som ledamot för {join_words(vacant)} var vakant. I dess ställe tjänstgjorde enligt "
               f"{protocols._label(q, protocol)}:",
               f"The seat of member for {join_words(vacant, 'en')} was vacant (vakant). Serving in its place "
               f"according to {protocols._label(q, protocol)}:")
    return Reply(text=head + "\n" + "\n".join(f"• {_describe(q, n, a)}" for n, a in serving), sources=[source],
                 language=q.language)


# Asking who appointed someone named ("Vem utsåg Niklas Edén?", "Who appointed X to the board?").
APPOINTING = ("utsåg", "utsett", "utse=", "utses", "utsedd", "appoint", "valde=", "valt=", "elected", "nominated",
              "nominerade")
# How a § records an appointment: by its verb first, then by its saying someone is new.
APPOINTMENT_VERBS = ("utse", "utsett", "utsåg", "utsedd", "vald", "valt", "valde")
APPOINTMENT_NEW = ("ny ledamot", "ny ersättare", "nyval", "ny i styrelsen", "nyvald")


def _appointed_by(q: Question, protocol: Protocol, source: Source, chosen: list[tuple[str, Attendance]]) -> Reply | None:
    """Who appointed a person the question names: the member body the list gives, and the § that
    records the appointment in the words of the body that made it ("Regionfullmäktige har … utsett
    Niklas Edén", "Beslut KF Jönköpings kommun 201008: ny ledamot i styrelsen Christer Sjöberg")."""
    from handlers.answers.guard import asked_type

    if len(chosen) != 1 or asked_type(q.text) != "who" or not q.cues.any(APPOINTING):
        return None
    name, a = chosen[0]
    said = _appointment_of(q, protocol, name)
    if said is None:
        return None
    paragraph, sentence = said
    text = q.t(f"Enligt {protocols._label(q, protocol)}:", f"According to {protocols._label(q, protocol)}:") \
        + f"\n• {_describe(q, name, a)}\n§ {paragraph.number}: ”{sentence}”"
    return Reply(text=text, sources=[source, source_for(q.session, q.organisation(protocol.organisation_id),
                                                         paragraph.document_id, paragraph.id)], language=q.language)


# The bodies that appoint to a förbund's board, as the protocols name them when recording it.
_APPOINTING_BODY = re.compile(r"fullmäktige|kommunstyrelse|regionstyrelse|styrelsen för|nämnd|\bKF\b|\bKS\b|"
                              r"\bRF\b|\bbeslut\b", re.IGNORECASE)


def _appointment_of(q: Question, protocol: Protocol, name: str) -> tuple[Paragraph, str] | None:
    """The sentence of the protocol that records who appointed the person to the board: it names
    them, an appointing body and an appointment ("Regionfullmäktige har … utsett Niklas Edén …");
    being chosen to justera the minutes is no appointment."""
    full = fold(name.lower())
    wanted = [fold(w) for w in (*APPOINTMENT_VERBS, *APPOINTMENT_NEW)]
    for p in q.session.exec(select(Paragraph).where(Paragraph.protocol_id == protocol.id)
                            .order_by(col(Paragraph.number))).all():
        for sentence in re.split(r"(?<=[.!?])\s+|\n", f"{p.body}\n{p.decision or ''}"):
            folded = fold(sentence.lower())
            if full in folded and "justera" not in folded and any(w in folded for w in wanted) \
                    and _APPOINTING_BODY.search(sentence):
                return p, sentence.strip(" -")
    return None


def _said_of(q: Question, protocol: Protocol, name: str, about: tuple[str, ...]) -> tuple[Paragraph, str] | None:
    """A sentence of the protocol's paragraphs that speaks of the person and of what is asked
    ("deltar Lena på mötet, dock inte vid något styrelsebeslut"): the reason behind the list."""
    first, full = fold(name.split()[0].lower()), fold(name.lower())
    wanted = [fold(w) for w in about]
    for p in q.session.exec(select(Paragraph).where(Paragraph.protocol_id == protocol.id)
                            .order_by(col(Paragraph.number))).all():
        if full not in fold(f"{p.body}\n{p.decision or ''}".lower()):
            continue  # the paragraph must name the person in full; the sentence may say only "Lena"
        for sentence in re.split(r"(?<=[.!?])\s+|\n", f"{p.body}\n{p.decision or ''}"):
            folded = fold(sentence.lower())
            if first in folded and any(w in folded for w in wanted):
                return p, sentence.strip()
    return None


def present_in_part(yes: bool, spans: list[range], a: Attendance) -> bool:
    """Whether a yes holds only for some §§ (a note such as "§§ 7-10")."""
    return yes and bool(spans) and bool(a.note)


# Words asking for the ordinary member (ledamot) of a seat, not its substitute.
SEAT_WORDS = ("ledamot", "ledamöter", "ordinarie", "member=", "members=")


def _vacancies(q: Question, protocol: Protocol, source: Source) -> Reply:
    """'Vilken plats var vakant?': the seats the attendance list gives as vacant."""
    seats = q.session.exec(select(Vacancy).where(Vacancy.protocol_id == protocol.id)).all()
    label = protocols._label(q, protocol)
    if not seats:
        return Reply(q.t(f"{label.capitalize()} anger ingen vakant plats.", f"{label.capitalize()} give no vacant seat."),
                     answered=False, sources=[source], language=q.language)
    lines = "\n".join(f"• {_role(q, s.role)}, {s.member_body}" for s in seats)
    return Reply(q.t(f"Vakanta platser enligt {label}:", f"Vacant seats (vakant) according to {label}:") + "\n" + lines,
                 sources=[source], language=q.language)


def _served_instead(q: Question, protocol: Protocol, source: Source, rows: list[tuple[str, Attendance]],
                    row: tuple[str, Attendance]) -> Reply:
    """'Vem tjänstgjorde i stället för X?': the serving ersättare appointed by X's member body."""
    name, a = row
    label = protocols._label(q, protocol)
    if a.present or a.voting:
        return Reply(q.t(f"{name} var själv närvarande enligt {label}.", f"{name} was present according to {label}.")
                     + "\n• " + _describe(q, name, a), sources=[source], language=q.language)
    serving = [(n, s) for n, s in rows if s.role == "ersättare" and s.voting and s.member_body
               and s.member_body == a.member_body]
    if not serving:
        return Reply(q.t(f"Enligt {label} tjänstgjorde ingen ersättare för {name} ({a.member_body or '–'}).",
                         f"According to {label} no substitute served for {name} ({a.member_body or '–'})."),
                     sources=[source], language=q.language)
    lines = "\n".join(f"• {_describe(q, n, s)}" for n, s in serving)
    return Reply(q.t(f"I stället för {name} ({a.member_body}) tjänstgjorde enligt {label}:",
                     f"In place of {name} ({a.member_body}), according to {label}:") + "\n" + lines,
                 sources=[source], language=q.language)


def _no_meeting_in_years(q: Question) -> bool:
    """Whether every date the question gives is a whole year in which the förbund in scope held no
    meeting on record: the year belongs to what is asked about."""
    if not q.dates or not all(not d.exact and (d.start.month, d.start.day, d.end.month, d.end.day) == (1, 1, 12, 31)
                              for d in q.dates):
        return False
    held = q.session.exec(select(col(Protocol.meeting_date)).where(
        col(Protocol.organisation_id).in_(q.organisation_ids))).all()
    return not any(d.contains(day) for d in q.dates for day in held)


def _years_are_topic(q: Question, named: list[Mention]) -> bool:
    """Whether every date the question gives is a whole year in which the named people were at no
    meeting: then the year belongs to what is asked about."""
    whole_years = all(not d.exact and (d.start.month, d.start.day, d.end.month, d.end.day) == (1, 1, 12, 31)
                      for d in q.dates)
    if not whole_years:
        return False
    ids = [m.entry.ref for m in named if m.entry.ref is not None]
    met = q.session.exec(select(col(Protocol.meeting_date)).join(Attendance, col(Attendance.protocol_id) == Protocol.id)
                         .where(col(Attendance.person_id).in_(ids))).all()
    return not any(d.contains(day) for d in q.dates for day in met)


def _protocol_listing(q: Question, column: str, values: list[str]) -> Protocol | Reply | None:
    """The latest protocol (up to the day asked) whose attendance list has someone with one of
    these positions (column "title") or appointed by one of these member bodies ("member_body").
    With no förbund linked or named and such lists in several ("vem representerar AF i
    styrelsen?"), which förbund is asked: one förbund's list is not the answer for all."""
    query = (select(Protocol).join(Attendance, col(Attendance.protocol_id) == Protocol.id)
             .where(col(getattr(Attendance, column)).in_(values),
                    col(Protocol.organisation_id).in_(q.organisation_ids))
             .order_by(col(Protocol.meeting_date).desc()))
    rows = list({p.id: p for p in q.session.exec(query).all()}.values())
    past = [p for p in rows if p.meeting_date <= q.ctx.today]
    chosen = past or rows
    if not q.scoped and len({p.organisation_id for p in chosen}) > 1:
        return choose_organisation(q, [q.organisation(i) for i in sorted({p.organisation_id for p in chosen})])
    if len(chosen) > 1 and q.cues.any(DECIDING) and _paragraph_number(q.text) is None:
        # "Deltog Arbetsförmedlingen i beslutet om X?": the meeting with a § on X.
        on_topic = [p for p in chosen if _paragraph_on_topic(q, p, values)[0] is not None]
        chosen = on_topic[:1] or chosen
    return chosen[0] if chosen else None


def _body_took_part(q: Question, protocol: Protocol, source: Source, bodies: list[str],
                    chosen: list[tuple[str, Attendance]]) -> Reply | None:
    """'Deltog Arbetsförmedlingen i beslutet om X?': yes or no for the member's ledamot and ersättare
    at that §, from the attendance list's § ranges."""
    number = _paragraph_meant(q.text)
    if number is None:
        number = _paragraph_on_topic(q, protocol, bodies)[0]
    if number is None:
        return None
    seated = [(n, a) for n, a in chosen if a.role in ("ledamot", "ersättare")]
    took = [(n, a) for n, a in seated if a.voting and (not _spans(a)[0] or _present_at(a, number))]
    title = q.session.exec(select(Paragraph.title).where(
        Paragraph.protocol_id == protocol.id, Paragraph.number == number)).first()
    about = f" ({title})" if title else ""
    listed = "\n".join(f"• {_describe(q, n, a)}" for n, a in seated)
    who = join_words(bodies)
    if took:
        names = join_words([n for n, _a in took])
        text = q.t(f"Ja. För {who} deltog {names} i besluten i § {number}{about}.",
                   f"Yes. For {join_words(bodies, 'en')}, {join_words([n for n, _a in took], 'en')} took part in "
                   f"the decisions of § {number}{about}.")
    else:
        text = q.t(f"Nej. Ingen utsedd av {who} deltog i besluten i § {number}{about}.",
                   f"No. No one appointed by {join_words(bodies, 'en')} took part in the decisions of § {number}"
                   f"{about}.")
    return Reply(text=text + ("\n" + listed if listed else ""), sources=[source], language=q.language)


def _paragraph_on_topic(q: Question, protocol: Protocol, people: list[str]) -> tuple[int | None, bool]:
    """The § of the protocol a question about taking part names by its topic ("i beslutet om
    strategin för kommande budgetar"): the one § whose title and decision hold every topic word;
    and whether the question names a topic at all."""
    named = {fold(passages.root(w.lower())) for name in people for w in tokens(name)}
    paragraphs = [(p.number, f"{p.title}\n{p.decision or ''}") for p in q.session.exec(
        select(Paragraph).where(Paragraph.protocol_id == protocol.id)).all() if p.number]
    # The cue words of taking part and of deciding say what is asked; the rest names the matter
    # ("the 2024 meeting schedule"), whatever other kind would read those words as its cue.
    cue = passages.kind_cue_words("people", "why")
    # The förbund's name says where, not what.
    asked = [g for g, w in zip(passages.topic_terms(q, cue), passages._topic_words(q, cue), strict=True)
             if not {fold(v) for v in g} & named and not q.lexicon.organisations_named([w]) and not is_general(w)]
    # Words no § of the förbund uses ("togs", "when") are how the question is put; a word only
    # other meetings use rules this one out.
    terms = [g for g in asked if any(passages._coverage([g], text) > 0 for _n, text in paragraphs)
             or any(search_paragraphs(q.session, v, protocol.organisation_id, limit=1) for v in g)]
    if not terms:
        return None, bool(asked)
    fits = [number for number, text in paragraphs if passages._coverage(terms, text) >= 0.99]
    return (fits[0] if len(fits) == 1 else None), True


def _protocol_of(q: Question, person_ids: list[int], people: list[str]) -> Protocol | None:
    """The latest protocol (up to the day asked) that lists one of these people; asked about a
    decision by its topic, the latest of them with a § on that topic."""
    query = (select(Protocol).join(Attendance, col(Attendance.protocol_id) == Protocol.id)
             .where(col(Attendance.person_id).in_(person_ids), col(Protocol.organisation_id).in_(q.organisation_ids))
             .order_by(col(Protocol.meeting_date).desc()))
    rows = list({p.id: p for p in q.session.exec(query).all()}.values())
    past = [p for p in rows if p.meeting_date <= q.ctx.today]
    chosen = past or rows
    if len(chosen) > 1 and q.cues.any(DECIDING) and _paragraph_number(q.text) is None:
        on_topic = [p for p in chosen if _paragraph_on_topic(q, p, people)[0] is not None]
        chosen = on_topic[:1] or chosen
    return chosen[0] if chosen else None


# Words for the förbund's members, and how a budget line or list names one.
MEMBER_WORDS = ("medlem", "member", "kommun", "municipal", "huvudm")
_MEMBER_NAME = re.compile(r"(?:kommun|stad)$|^region\b|^landsting|^försäkringskassan$|^arbetsförmedlingen$", re.I)


def _unseated(q: Question, protocol: Protocol, source: Source, rows: list[tuple[str, Attendance]]) -> Reply:
    """The members with no one deciding for them at the meeting: those of the list, its vacant seats
    and the budget's contribution lines, less those whose ledamot or ersättare was beslutande."""
    listed = {a.member_body for _n, a in rows if a.member_body and a.role != "övrig"}
    listed |= set(q.session.exec(select(Vacancy.member_body).where(Vacancy.protocol_id == protocol.id)).all())
    lines = q.session.exec(select(BudgetFigure.line).where(
        BudgetFigure.organisation_id == protocol.organisation_id, col(BudgetFigure.section).in_(MEMBER_SECTIONS))).all()
    members = {b for b in listed if b}
    for line in sorted({line.split(",")[0].strip() for line in lines}):
        # "Bidrag Norrviks kommun", "Vindeln kommun": a member already listed, named otherwise.
        if _MEMBER_NAME.search(line) and not any(_distinctive_named(m, tokens(line)) or
                                                 _distinctive_named(line, tokens(m)) for m in members):
            members.add(line)
    deciding = {a.member_body for _n, a in rows if a.member_body and a.role != "övrig" and a.voting}
    lacking = sorted(m for m in members if m not in deciding)
    label = protocols._label(q, protocol)
    if not lacking:
        return Reply(q.t(f"Alla medlemmar hade en beslutande ledamot eller ersättare enligt {label}.",
                         f"Every member had a deciding member or substitute according to {label}."),
                     sources=[source], language=q.language)
    return Reply(q.t(f"Utan beslutande ledamot eller ersättare enligt {label}: {join_words(lacking)}.",
                     f"With no deciding member or substitute according to {label}: {join_words(lacking, 'en')}."),
                 sources=[source], language=q.language)


# Roles the protocols give in their text rather than as a title in the list ("Statens revisor, genom
# Elin Stridh, redogjorde …"): the stem the text uses, the Swedish word, and how questions ask for them.
ROLES_IN_TEXT = {"revis": ("revisor", "auditors", ("auditor", "auditors", "revisor", "revisorer", "revisorerna",
                                                   "revisorn", "revisorernas", "audit"))}


def _role_in_text(q: Question) -> tuple[str, str, str] | None:
    words = {fold(w.lower()) for w in q.words}
    for stem, (word, english, asked) in ROLES_IN_TEXT.items():
        if words & {fold(a) for a in asked}:
            return stem, word, english
    return None


def _named_with(q: Question, protocol: Protocol, rows: list[tuple[str, Attendance]],
                stem: str) -> tuple[set[str], list[Paragraph]]:
    """The people of the list whom a sentence of the protocol names beside the role's stem (by surname,
    spelt as the text spells it: "Stridh" for Elin Strid)."""
    out: set[str] = set()
    where: list[Paragraph] = []
    for p in q.session.exec(select(Paragraph).where(Paragraph.protocol_id == protocol.id)).all():
        for sentence in re.split(r"(?<=[.!?])\s+|\n", f"{p.title}\n{p.body}\n{p.decision or ''}"):
            folded = fold(sentence.lower())
            if stem not in folded:
                continue
            starts = {w[:5] for w in re.findall(r"\w+", folded)}
            named = {n for n, _a in rows if fold(tokens(n)[-1].lower())[:5] in starts
                     and fold(tokens(n)[0].lower())[:5] in starts}
            if named and p not in where:
                where.append(p)
            out |= named
    return out, where


def _two_questions(q: Question) -> bool:
    """"Vilka ledamöter var med, och vem var med digitalt?": two questions in one; the list that
    answers the first (with each one's note) answers the second too, a filter for it would not."""
    asking = [w for w in q.cues.words if w in ("vem", "vilka", "vilken", "who", "which")]
    return len(asking) >= 2


def _left_at_all(a: Attendance) -> bool:
    """Whether the attendance row says the person was away from some §§ or left."""
    return bool(_spans(a)[0]) or bool(a.note and re.search(r"avvek|lämna|left|§", a.note, re.IGNORECASE))


def _term(q: Question, people: list[str]) -> Reply | None:
    """'För vilken period är X utsedd?': what the documents say of the person and a period."""
    terms = [tuple(passages.root(w) for w in name.lower().split()[-1:]) for name in people]
    terms += [tuple(passages.root(w) for w in APPOINTMENT_WORDS)]
    found = [p for p in passages.find(q, terms, limit=6) if p.coverage >= 0.99]
    # Chosen to justera one protocol ("Att utse Petter Sjöling att justera protokollet") is no
    # appointment to the board, unless that is what is asked.
    if not q.cues.any(OFFICER_ROLES):
        found = [p for p in found if "justera" not in p.text.lower()]
    if not found:
        return None
    # The passage that gives a day or a period ("för perioden 230913-260331", "KF 201008") first.
    found.sort(key=lambda p: (not _PERIOD.search(p.text), not _DATED.search(p.text)))
    # ("Hur länge var hon med på mötet?" asks her part of a meeting, not a term.)
    if q.cues.any(PERIOD_ASKED) and "attendance" not in q.reading_facets and not _PERIOD.search(found[0].text):
        # A meeting's date beside the name ("Datum: 2023-11-24 … Monica Fällström") is no term of office.
        return Reply(q.t("Handlingarna anger ingen period för uppdraget. Det närmaste som finns:",
                         "The documents give no period for the appointment. The nearest there is:")
                     + "\n• " + found[0].text, sources=[found[0].source], answered=False, language=q.language)
    return Reply(q.t("Det här säger handlingarna:", "What the documents say:") + "\n• " + found[0].text,
                 sources=[found[0].source], language=q.language)


# Words of an appointment as the protocols write it ("utsett … till ordinarie ledamot för perioden").
APPOINTMENT_WORDS = ("period", "mandatperiod", "utse", "utsett", "utsåg", "vald", "valde", "ledamot", "ordinarie",
                     "representant")
# Asking for how long an appointment runs, not when it was made ("när valdes X?").
PERIOD_ASKED = ("för vilken period", "mandatperiod", "term of office", "hur länge", "how long", "until when",
                "till när ", "period")
# A term of office as written: "för perioden 230913-260331", "mandatperioden", "2023-04-01 – 2027-03-31".
_PERIOD = re.compile(r"\bperiod|\b\d{6}\s*[-–]\s*\d{6}\b|\b\d{4}-\d{2}-\d{2}\s*[-–]\s*\d{4}-\d{2}-\d{2}|\bt\.?o\.?m\.?\s+\d",
                     re.IGNORECASE)
_DATED = re.compile(r"\b\d{6}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2} (?:jan|feb|mar|apr|maj|jun|jul|aug|sep|okt|nov|dec)\w* \d{4}")


# "voted for Härjedalen": deciding on a member's behalf, not how a vote went.
_VOTED_FOR = re.compile(r"\b(?:voted|voting|votes|röstade|rostade|röstar|rostar) (?:for|för|for|on behalf of) (\w+)",
                        re.IGNORECASE)


def _voted_for_member(q: Question) -> list[str]:
    """The member bodies the question names right after "voted for" (the words that follow, not
    a förbund name elsewhere in the question that shares a word with another member)."""
    found: list[str] = []
    for m in _VOTED_FOR.finditer(q.text):
        after = fold(m.group(1).lower())
        named = q.named("member_body") + q.lexicon.find([m.group(1)], kinds=("member_body",),
                                                        organisation_ids=q.organisation_ids or None, threshold=0.75)
        found += [name for name in dict.fromkeys(n.entry.name for n in named)
                  if any(word_match(after, w) >= 0.9 for w in tokens(name)) and name not in found]
    return found


# "Från vilken §", "which §": a paragraph asked with the sign (no word for the cue table).
_WHICH_SIGN = re.compile(r"\b(?:vilken|vilka|which|what)\s+§", re.IGNORECASE)


def _asks_paragraph(q: Question) -> bool:
    return q.cues.any(CUES["paragraph"][1]) or _WHICH_SIGN.search(q.text) is not None


# A first name and one letter ("lotta k", "Karin N."): the surname's initial; letters that are
# words of their own ("i", "o" for och, "e" for är, "å") are not read so.
_INITIAL = re.compile(r"\b([^\W\d_]{3,})\s+([^\W\d_iIoOeEåÅaA])\b\.?")


def _unknown_initial(q: Question) -> Reply | None:
    """"Vem har utsett lotta k?" where the store holds only Lotta Qvarnlöf: a person the store does
    not hold, said as such with who of that first name there is, rather than a list of everyone."""
    if persons_named(q):
        return None
    for m in _INITIAL.finditer(q.text):
        first, initial = fold(m.group(1).lower()), fold(m.group(2).lower())
        same_first = [e.name for e in (x.entry for x in q.lexicon.find([m.group(1)], kinds=("person",),
                                                                      organisation_ids=q.organisation_ids,
                                                                      threshold=0.2))
                      if word_match(first, fold(e.name.split()[0].lower())) == 1.0 and len(e.name.split()) > 1]
        if same_first and not any(fold(n.split()[-1].lower()).startswith(initial) for n in same_first):
            asked = f"{m.group(1).capitalize()} {m.group(2).upper()}"
            return Reply(q.t(f"Jag hittar ingen {asked} i handlingarna. Med det förnamnet finns: "
                             f"{join_words(sorted(set(same_first)))}.",
                             f"I find no {asked} in the documents. With that first name there is: "
                             f"{join_words(sorted(set(same_first)), 'en')}."), answered=False, language=q.language)
    return None


def answer(q: Question) -> Reply | None:
    unknown = _unknown_initial(q)
    if unknown is not None:
        return unknown
    facets = set(q.reading_facets)
    voted_for = _voted_for_member(q) if "how_voted" in facets else []
    if voted_for:
        # Deciding for a member is sitting for it: the member is named by its place alone too.
        facets = (facets - {"how_voted"}) | {"voting", "appointed"}
        q.reading_facets = (*(f for f in q.reading_facets if f != "how_voted"), "voting", "appointed")
    if "how_voted" in facets:
        return Reply(q.t("Protokollen redovisar beslut, inte hur var och en röstade: ingen omröstning eller "
                         "reservation finns antecknad i handlingarna.",
                         "The minutes record decisions, not how each member voted: no vote count or "
                         "reservation is noted in the documents."), answered=False, language=q.language)
    if "absent" in facets and _asks_paragraph(q) and _paragraph_number(q.text) is None:
        # "Från vilken § var hon inte med?": the §§ someone was away from, i.e. who left or came late.
        facets = (facets - {"absent"}) | {"left"}
    if {"absent", "left"} <= facets and _paragraph_number(q.text) is None:
        # "Vilka deltog inte?": away from the meeting, not from some §§; but "Vem lämnade mötet, och
        # från vilken § var personen inte med?" asks who left.
        facets.discard("absent" if q.cues.any(LEAVING) else "left")
    named_people = persons_named(q)
    people = list(dict.fromkeys(m.entry.name for m in named_people))
    if people and "term" in facets:
        reply = _term(q, people)
        if reply is not None:
            return reply
        from handlers.answers.guard import asked_type

        if asked_type(q.text) == "when":
            # "När valdes X in i styrelsen?" with no § that says it: a list's meeting day is no answer.
            return Reply(q.t(f"Handlingarna anger inte när {join_words(people)} utsågs.",
                             f"The documents do not say when {join_words(people, 'en')} was appointed."),
                         answered=False, language=q.language)
        if q.cues.any(PERIOD_ASKED) and "attendance" not in facets:
            # "Hur länge har X varit förbundschef?": an attendance list's role is no period.
            return Reply(q.t(f"Handlingarna anger inte för vilken period eller sedan när {join_words(people)} "
                             "har uppdraget.",
                             f"The documents do not say for what period or since when {join_words(people, 'en')} "
                             "has held the position."), answered=False, language=q.language)
    protocol_given = bool(q.dates) or q.cues.any(passages.RELATIVE_MEETING)
    if people and protocol_given and not q.cues.any(passages.RELATIVE_MEETING) and _years_are_topic(q, named_people):
        protocol_given = False  # "the decision on the 2024 meeting schedule": a year of the topic, not a meeting
    if not people and protocol_given and not q.cues.any(passages.RELATIVE_MEETING) and _no_meeting_in_years(q):
        protocol_given = False  # "när styrelsen behandlade medelstilldelningen för 2024": a year of the topic
    titles = [] if people else titles_named(q)
    # Without a date, a position or member body named is asked of the latest list that has it.
    listing = None
    if not people and not protocol_given:
        listing = _protocol_listing(q, "title", titles) if titles else (
            _protocol_listing(q, "member_body", _bodies(q)) if _bodies(q) else None)
    if people and not protocol_given:
        chosen_protocol = _protocol_of(q, [m.entry.ref for m in named_people if m.entry.ref is not None], people)
        if chosen_protocol is None:
            return Reply(q.t(f"{join_words(people)} finns inte med i någon närvarolista i handlingarna.",
                             f"{join_words(people, 'en')} is in no attendance list in the documents."),
                         answered=False, language=q.language)
        found: tuple[Protocol, Source] | Reply = (chosen_protocol, source_for(
            q.session, q.organisation(chosen_protocol.organisation_id), chosen_protocol.document_id))
    elif isinstance(listing, Reply):
        found = listing
    elif listing is not None:
        found = (listing, source_for(q.session, q.organisation(listing.organisation_id), listing.document_id))
    else:
        found = protocols._one_protocol(q)
        if people and not isinstance(found, Reply) and q.cues.any(DECIDING) and _paragraph_number(q.text) is None:
            # "i beslutet om planen för intern kontroll 2025": of the year's meetings, the one with that §.
            on_topic = [p for p in protocols.find_protocols(q) if _paragraph_on_topic(q, p, people)[0] is not None]
            if on_topic and on_topic[0].id != found[0].id:
                found = (on_topic[0], source_for(q.session, q.organisation(on_topic[0].organisation_id),
                                                 on_topic[0].document_id))
    if isinstance(found, Reply):
        return found
    protocol, source = found
    rows = _rows(q, protocol)
    if not rows:
        return Reply(q.t(f"Närvaron framgår inte av {protocols._label(q, protocol)}.",
                         f"Attendance is not recorded in {protocols._label(q, protocol)}."),
                     answered=False, sources=[source], language=q.language)
    if "vacant" in facets and not people and not (_bodies(q) and facets & STOOD_IN):
        return _vacancies(q, protocol, source)
    if facets & {"new", "new_word"}:
        reply = _new_member(q, protocol, rows)
        if reply is not None:
            return reply
        if "new" in facets and not people:
            return Reply(q.t(f"{protocols._label(q, protocol).capitalize()} säger inte att någon är ny i styrelsen.",
                             f"{protocols._label(q, protocol).capitalize()} do not say that anyone is new on the "
                             f"board."), answered=False, sources=[source], language=q.language)
    if people:
        chosen = [(n, a) for n, a in rows if n in people]
        if not chosen:
            return Reply(q.t(f"{join_words(people)} finns inte med i {protocols._label(q, protocol)}.",
                             f"{join_words(people, 'en')} is not listed in {protocols._label(q, protocol)}."),
                         answered=False, sources=[source], language=q.language)
        if "substitute" in facets and "who" in facets and not facets & {"instead", "members"} \
                and not opens_yes_no(q) and all(a.role == "ledamot" for _n, a in chosen):
            # "Vem är X:s ersättare?" of a ledamot: the list names ersättare per member body, not
            # per ledamot; those of the same member are shown, the question is not answered.
            same = [f"{n} ({a.member_body})" for n, a in rows if a.role == "ersättare"
                    and a.member_body in {b.member_body for _m, b in chosen}]
            return Reply(q.t(f"{protocols._label(q, protocol).capitalize()} anger inte någon personlig ersättare för "
                             f"{join_words(people)}." + (f" Ersättare för samma medlem: {', '.join(same)}." if same else ""),
                             f"{protocols._label(q, protocol).capitalize()} give no personal substitute for "
                             f"{join_words(people, 'en')}." + (f" Substitutes for the same member: {', '.join(same)}."
                                                                if same else "")),
                         answered=False, sources=[source], language=q.language)
        if "appointed" in facets and not any(a.member_body for _n, a in chosen):
            return Reply(q.t(f"Protokollet anger inte vem som utsett {join_words(people)}.",
                             f"The minutes do not say who appointed {join_words(people, 'en')}."),
                         answered=False, sources=[source], language=q.language)
        if "instead" in facets and len(chosen) == 1:
            return _served_instead(q, protocol, source, rows, chosen[0])
        paragraph_asked = _paragraph_meant(q.text)
        if paragraph_asked is None and len(chosen) == 1 and q.cues.any(DECIDING) and not q.cues.any(WHOLE_MEETING):
            # (Asked of the whole meeting, no one § is meant.)
            paragraph_asked, topic = _paragraph_on_topic(q, protocol, people)
            if paragraph_asked is None and topic and _spans(chosen[0][1])[0]:
                # A decision named by its topic, and the person there for only some §§: which § it
                # was must be known before saying yes or no.
                return Reply(q.t(f"Jag hittar inte vilken paragraf i {protocols._label(q, protocol)} frågan gäller. "
                                 f"Närvaron: {_describe(q, *chosen[0])}.",
                                 f"I cannot tell which § of {protocols._label(q, protocol)} the question is about. "
                                 f"Attendance: {_describe(q, *chosen[0])}."),
                             answered=False, sources=[source], language=q.language)
        if paragraph_asked is not None and len(chosen) == 1:
            return _took_part(q, protocol, source, chosen[0], paragraph_asked)
        if len(chosen) == 1 and q.cues.any(LEAVING) and not opens_yes_no(q) and not _left_at_all(chosen[0][1]):
            # "När gick X från mötet?" of someone the list gives as there throughout: not a time.
            return Reply(q.t(f"{protocols._label(q, protocol).capitalize()} säger inte att {people[0]} lämnade "
                             f"mötet: {_describe(q, *chosen[0])}.",
                             f"{protocols._label(q, protocol).capitalize()} do not say that {people[0]} left the "
                             f"meeting: {_describe(q, *chosen[0])}."),
                         answered=False, sources=[source], language=q.language)
        if len(chosen) == 1 and paragraph_asked is None:
            verdicts = _verdicts(q, protocol, source, chosen[0])
            if verdicts is not None:
                return verdicts
        if len(chosen) == 1:
            reply = _yes_or_no(q, protocol, source, chosen[0], facets)
            if reply is not None:
                return reply
        appointer = _appointed_by(q, protocol, source, chosen)
        if appointer is not None:
            return appointer
        if "party" in facets:
            with_party = [(n, a) for n, a in chosen if a.party]
            if not with_party:
                return Reply(q.t(f"Handlingarna anger inget parti för {join_words(people)}.",
                                 f"The documents give no party for {join_words(people, 'en')}."),
                             answered=False, sources=[source], language=q.language)
            return Reply("\n".join(q.t(f"{_describe(q, n, a)}: partiet {a.party}.", f"{_describe(q, n, a)}: party {a.party}.")
                                    for n, a in with_party), sources=[source], language=q.language)
        text = "\n".join(f"• {_describe(q, n, a)}" for n, a in chosen)
        head = q.t(f"Enligt {protocols._label(q, protocol)}:", f"According to {protocols._label(q, protocol)}:")
        return Reply(text=f"{head}\n{text}", sources=[source], language=q.language)
    bodies = voted_for or _bodies(q)
    stood_in = _stood_in_for_vacant(q, protocol, source, rows, bodies, facets)
    if stood_in is not None:
        return stood_in
    if "unseated" in facets and not bodies and q.cues.any(MEMBER_WORDS):
        return _unseated(q, protocol, source, rows)
    absent_members = [] if bodies else _members_without_seat(q, protocol, rows)
    if absent_members:
        seated = sorted({a.member_body for _n, a in rows if a.member_body and a.role != "övrig"})
        # "Var Vaggeryds kommun representerad?" is answered by the no; "Vem representerar …?" is not.
        no = opens_yes_no(q)
        return Reply(q.t("Nej. " if no else "", "No. " if no else "") + q.t(f"{join_words(absent_members)} har ingen i närvarolistan i {protocols._label(q, protocol)}. "
                         f"Där finns ledamöter och ersättare utsedda av: {', '.join(seated) or '–'}.",
                         f"{join_words(absent_members, 'en')} has no one in the attendance list of "
                         f"{protocols._label(q, protocol)}. Members and substitutes there are appointed by: "
                         f"{', '.join(seated) or '–'}."),
                     answered=no, sources=[source], language=q.language)
    chosen = rows
    if bodies:
        chosen = [(n, a) for n, a in chosen if a.member_body in bodies]
        if "appointed" in facets and not facets & {"others", "attendance"}:
            # Who represents a member is its ledamot and ersättare, not its staff who also attended.
            chosen = [(n, a) for n, a in chosen if a.role != "övrig"] or chosen
    if titles:
        chosen = [(n, a) for n, a in chosen if a.title in titles]
    in_text = None if titles or people else _role_in_text(q)
    source_list = [source]
    if in_text is not None:
        # "Which auditors were present?": those the list titles so, or the protocol's text names as such.
        stem, word, _english = in_text
        described, stated_in = _named_with(q, protocol, rows, stem)
        chosen = [(n, a) for n, a in chosen if n in described or stem in fold((a.title or "").lower())]
        if not chosen:
            return Reply(q.t(f"{protocols._label(q, protocol).capitalize()} nämner ingen {word} bland deltagarna.",
                             f"{protocols._label(q, protocol).capitalize()} name no {word} among those present."),
                         answered=False, sources=[source], language=q.language)
    # Whether a member was there at a § named ("Var FK med när § 125 togs upp?") is asked as of deciding there.
    if bodies and opens_yes_no(q) and (q.cues.any(DECIDING) or (
            _paragraph_meant(q.text) is not None and facets & {"attendance", "there", "absent"})):
        took_part = _body_took_part(q, protocol, source, bodies, chosen)
        if took_part is not None:
            return took_part
    if bodies and facets & {"members", "board"} and q.cues.any(SEAT_WORDS) and not facets & {"substitute", "instead"} \
            and not any(a.role == "ledamot" for _n, a in chosen):
        # "Vem är Arbetsförmedlingens ledamot?" when the list has no ledamot for it: no one else's name.
        others = [f"{n} ({_role(q, a.role)})" for n, a in chosen]
        vacant = [b for b in q.session.exec(select(Vacancy.member_body).where(
            Vacancy.protocol_id == protocol.id, Vacancy.role == "ledamot")).all() if b in bodies]
        if vacant:
            return Reply(q.t(f"Platsen som ledamot för {join_words(vacant)} är vakant enligt {protocols._label(q, protocol)}."
                             + (f" Där finns: {', '.join(others)}." if others else ""),
                             f"The seat of member for {join_words(vacant, 'en')} is vacant (vakant) according to "
                             f"{protocols._label(q, protocol)}." + (f" Listed: {', '.join(others)}." if others else "")),
                         sources=[source], language=q.language)
        return Reply(q.t(f"{protocols._label(q, protocol).capitalize()} har ingen ledamot utsedd av {join_words(bodies)}."
                         + (f" Där finns: {', '.join(others)}." if others else ""),
                         f"{protocols._label(q, protocol).capitalize()} list no member appointed by "
                         f"{join_words(bodies, 'en')}." + (f" Listed: {', '.join(others)}." if others else "")),
                     answered=False, sources=[source], language=q.language)
    if "others" in facets and not facets & {"substitute", "members", "instead"}:
        chosen = [(n, a) for n, a in chosen if a.role == "övrig"]
    own_seat = ""
    if "instead" in facets and bodies and not any(a.role == "ersättare" and a.voting for _n, a in chosen):
        # "Who sat in for Försäkringskassan?" of a member whose ledamot decided: the seat was
        # taken by the ledamot, which is said, rather than no one.
        chosen = [(n, a) for n, a in chosen if a.voting]
        if chosen:
            own_seat = q.t(f"Ingen ersättare tjänstgjorde för {join_words(bodies)}; ledamoten deltog själv. ",
                           f"No substitute served for {join_words(bodies, 'en')}; the member took part in person. ")
    elif "instead" in facets:
        chosen = [(n, a) for n, a in chosen if a.role == "ersättare" and a.voting]
    elif {"substitute", "members"} <= facets:
        # "ledamot och ersättare", "ledamot respektive ersättare": both seats.
        chosen = [(n, a) for n, a in chosen if a.role in ("ledamot", "ersättare")]
    elif "substitute" in facets:
        chosen = [(n, a) for n, a in chosen if a.role == "ersättare"]
    elif "members" in facets:
        chosen = [(n, a) for n, a in chosen if a.role == "ledamot"]
    elif "board" in facets:
        chosen = [(n, a) for n, a in chosen if a.role in ("ledamot", "ersättare")]
    shown = _paragraph_number(q.text)
    asked = _paragraph_meant(q.text)
    if "absent" in facets and asked is not None:
        # "Vem deltog inte i beslutet i § 8?": the absent, and those whose §§ leave out the one asked.
        chosen = [(n, a) for n, a in chosen
                  if not (a.present or a.voting) or (_spans(a)[0] and not _present_at(a, asked))]
    elif "absent" in facets and ("voting" in facets or q.cues.any(DECIDING)):
        # "Vilka ledamöter var inte med som beslutande?": those who did not decide, present or not.
        chosen = [(n, a) for n, a in chosen if not a.voting]
        facets -= {"voting"}
    elif "absent" in facets:
        chosen = [(n, a) for n, a in chosen if not (a.present or a.voting)]
    elif "attendance" in facets or not (facets & {"substitute", "members", "board"} or bodies):
        chosen = [(n, a) for n, a in chosen if a.present or a.voting]
    if "left" in facets and "absent" not in facets and asked is not None:
        # "Vem lämnade före § 8?": those whose §§ leave out the one asked, not everyone who came
        # or went at some other §.
        chosen = [(n, a) for n, a in chosen if _spans(a)[0] and not _present_at(a, asked)
                  and (asked == shown or _present_at(a, asked - 1))]
    elif "left" in facets and "absent" not in facets:
        chosen = [(n, a) for n, a in chosen
                  if a.paragraphs or (a.note and ("§" in a.note or "avvek" in a.note.lower()))]
        if q.cues.any(LEAVING):
            # "Vilka lämnade sammanträdet?": those whose §§ end before the meeting's last §, not
            # those who came late or stood aside from one § for jäv.
            last = max(q.session.exec(select(Paragraph.number).where(Paragraph.protocol_id == protocol.id)).all(),
                       default=None)
            chosen = [(n, a) for n, a in chosen if not a.paragraphs or last is None
                      or max(max(span) for span in _spans(a)[0]) < last]
    elif asked is not None and "absent" not in facets and facets & {"attendance", "voting"}:
        # "Vilka deltog i beslutet i § 8?": not those the attendance list says were away from it.
        chosen = [(n, a) for n, a in chosen if not _spans(a)[0] or _present_at(a, asked)]
    if "non_voting" in facets:
        chosen = [(n, a) for n, a in chosen if not a.voting]
    elif "voting" in facets:
        chosen = [(n, a) for n, a in chosen if a.voting]
    if "remote" in facets and not _two_questions(q):
        chosen = [(n, a) for n, a in chosen if a.note and any(w in fold(a.note.lower()) for w in REMOTE_NOTES)]
    if not chosen:
        listed = [f"{n} ({_role(q, a.role)})" for n, a in rows if bodies and a.member_body in bodies]
        return Reply(q.t(f"Ingen sådan finns i {protocols._label(q, protocol)}.", f"No one like that is listed in "
                         f"{protocols._label(q, protocol)}.") + (q.t(
                             f" Utsedda av {join_words(bodies)}: {', '.join(listed)}.",
                             f" Appointed by {join_words(bodies, 'en')}: {', '.join(listed)}.") if listed else ""),
                     answered=False, sources=[source], language=q.language)
    head = q.t(f"Enligt {protocols._label(q, protocol)} (sammanträdet {protocol.meeting_date.isoformat()}):",
               f"According to {protocols._label(q, protocol)} (meeting of {protocol.meeting_date.isoformat()}):")
    if in_text is not None:
        head = q.t(f"{in_text[1].capitalize()}er enligt {protocols._label(q, protocol)} "
                   f"(sammanträdet {protocol.meeting_date.isoformat()}):",
                   f"{in_text[2].capitalize()} ({in_text[1]}er) according to {protocols._label(q, protocol)} "
                   f"(meeting of {protocol.meeting_date.isoformat()}):")
        source_list = [source] + [source_for(q.session, q.organisation(protocol.organisation_id), p.document_id, p.id)
                                  for p in stated_in]
    if "count" in facets:
        # The count names who it counts as the question did ("4 ordinarie ledamöter (fyra)").
        noun = count_noun(q.words, lambda w: any(fold(w).startswith(f) for f in COUNTED_PEOPLE))
        head = q.t(f"{counted(len(chosen), noun)} enligt {protocols._label(q, protocol)} (sammanträdet "
                   f"{protocol.meeting_date.isoformat()}):",
                   f"{counted(len(chosen), noun, 'en')} according to {protocols._label(q, protocol)} (meeting of "
                   f"{protocol.meeting_date.isoformat()}):")
    if shown is not None and facets & {"left", "absent", "attendance", "voting"}:
        after = q.t("efter ", "after ") if asked != shown else ""
        head = head.rstrip(":") + f", {after}§ {shown}:"
    if bodies and "appointed" in facets and not facets & {"substitute", "instead", "others"}:
        # "Vem sitter för AF?" when its seat as ledamot is vacant: that first, then who served for it.
        vacant = [b for b in q.session.exec(select(Vacancy.member_body).where(
            Vacancy.protocol_id == protocol.id, Vacancy.role == "ledamot")).all() if b in bodies]
        if vacant:
            head = q.t(f"Platsen som ledamot för {join_words(vacant)} är vakant. ",
                       f"The seat of member for {join_words(vacant, 'en')} is vacant (vakant). ") + head
    text = own_seat + head + "\n" + "\n".join(f"• {_describe(q, n, a)}" for n, a in chosen)
    reply = Reply(text=text, sources=source_list, language=q.language)
    if "term" in facets:
        # "Vem är utsedd av regionen, och för vilken period?": the list, and what the documents say
        # of their appointment.
        term = _term(q, [n for n, a in chosen if a.role != "övrig"][:2])
        if term is not None:
            return merge(reply, term)
    return reply


KIND = register(Kind(name="people", label_sv="vilka som deltog", label_en="who took part", cues=CUES, answer=answer,
                     entities=("person", "member_body"), entity_weight=0.4, fit=_fit, order=8, figure=True,
                     vetoes=(*REASON_CUES, "vad sa", "what was said", "what did they say",
                             # An item of the agenda, not the others present.
                             "övriga frågor", "övrig fråga", "other business",
                             # A motion is read from the § that records it, not from who attended.
                             "yrkade", "yrkande", "yrkar", "motion",
                             # Whom a document went to is read from the § that sends it, not from who
                             # attended ("who was the remissyttrande sent to", "vem skickades det till").
                             "sent to", "sent it to", "sent out to", "send it to", "addressed to", "forwarded to",
                             "submitted to", "skickades", "skickats", "skickas till", "skickas vidare",
                             "översändes", "överlämnades")))
