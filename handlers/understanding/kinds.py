"""Kinds of question, as data: each kind registers its cue words and how to answer.

A kind is one module under `handlers/answers/kinds/` that calls `register(Kind(...))` with
a cue table: for each facet it can answer (an attribute such as "dnr" or "justerare", or an
operation such as "difference" or "count") a weight and the words that ask for it, Swedish
and English together. One mechanism reads every table: `rank` scores each kind by its best
cue and by whether the question names the kind of thing it answers about (a grant, a budget
line, a person …, found in the store's lexicon), and the best interpretation wins.

Cue words are matched accent-insensitively: a single word as the start of a question word
("bevilj" matches "beviljades", "beviljat"), a word ending in "=" only whole ("var="), and
several words as a phrase at word starts ("hur mycket").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from handlers.answers.text import fold, tokens
from handlers.understanding import english_forms
from handlers.understanding.vocabulary import expand_contractions

if TYPE_CHECKING:
    from handlers.answers.core import Question
    from handlers.messages import Reply

AnswerFn = Callable[["Question"], "Reply | None"]


@dataclass(frozen=True)
class Kind:
    name: str
    label_sv: str
    label_en: str
    # facet -> (weight, cue words); a weight of 1 means "this alone says what is asked".
    cues: Mapping[str, tuple[float, Sequence[str]]]
    answer: AnswerFn
    # Lexicon kinds this kind answers about; naming one adds to the score.
    entities: tuple[str, ...] = ()
    entity_weight: float = 0.6
    # Without a cue of its own the kind scores nothing, however well an entity fits.
    needs_cue: bool = True
    # Cues that rule the kind out (e.g. "varför" for a figure).
    vetoes: Sequence[str] = ()
    # Extra, kind-specific evidence (e.g. a date that is a meeting of the förbund).
    fit: Callable[[Question], float] | None = None
    order: int = 0  # breaks exact ties only
    # Quotes the documents rather than reading a table: on a tie with a kind that reads the
    # store's facts, the facts win.
    quotes: bool = False
    # Answers with a stored value of the thing named (an amount, a figure): every other topic
    # word of the question must then be accounted for, or the value may be about something else.
    figure: bool = False


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind


# Particles of Swedish particle verbs (folded) that a question may put after the subject ("vad
# tog styrelsen upp"); prepositions such as "på", "av", "in" are left out, since they also begin
# the next phrase ("procent av", "med på").
PARTICLES = frozenset({"upp", "fram", "ut", "ihop", "samman", "igenom", "tillbaka", "ur", "bort"})
MAX_PARTICLE_GAP = 3
# How many words may stand between a particle verb and its particle when a preposition follows the
# particle ("vad går [strategin om medlemsbidragen] ut på"): three words together are rarely by chance.
MAX_SPLIT_GAP = 8
# How far before a question's last word (a stranded preposition) its verb may stand.
MAX_STRANDED_GAP = 5
# Prepositions (folded) that a question may leave at its end, after the verb's object ("vad räknade de med?").
STRANDED = frozenset({"med", "pa", "till", "om", "for", "at", "av", "fran", "with", "on", "about", "to", "of"})

# Where a question's verb stands when the subject follows it: after one or two question words ("vad
# landar", "hur mycket landar").
INVERTED_VERB_AT = 2
# The light verbs ("var", "står", "satt", "blev", "fick") are short, and a preposition after their subject
# is the subject's own more often than theirs ("vad står Jönköpings kommun för i år"): only longer verbs split.
MIN_INVERTED_VERB = 5
# Words (folded) that open an adverbial after a stranded preposition: "vad landar resultatet på enligt T2".
ADVERBIAL_STARTS = frozenset({"enligt", "vid", "per", "i", "for", "efter", "infor", "till", "under", "according", "at",
                              "by", "in", "after", "nu", "now", "da", "then", "egentligen", "ungefar"})

# "Than" (folded), and how many words may stand between a comparative and it ("högre 2021 än 2020",
# "lower in the 2021 budget than").
THAN = frozenset({"than", "an"})
MAX_COMPARISON_GAP = 4

# Subject pronouns (folded) Swedish puts between a verb and what follows it ("var han inte med").
SUBJECT_PRONOUNS = frozenset({"han", "hon", "hen", "de", "dom", "vi", "ni", "man"})

_YEAR = re.compile(r"(?:19|20)\d{2}")


# Words that start like a cue but are other words ("summary" is no "summa"): matched by no cue's
# start, only by a cue that is the whole word.
NOT_BY_START = frozenset({"summary", "summaries", "summarise", "summarize", "summarised", "summarized",
                          "summarising", "summarizing", "totally", "finally",
                          # "Remote participation in board meetings" is a topic, not who took part.
                          "participation"})


@dataclass
class Cues:
    """A question's words, folded once, for cue lookups."""

    words: list[str]
    # Words of a name the question gives (a person's): a phrase cue holds across them, as Swedish
    # puts the subject between the verb and its particle ("när gick Lotta Qvarnlöf från mötet").
    names: frozenset[str] = frozenset()
    # An English question: a phrase cue also holds with its words in another form ("who signs" for
    # "who signed"), compared base by base (handlers/understanding/english_forms.py).
    english: bool = False
    padded: str = field(init=False)
    unnamed: str = field(init=False)
    unpronouned: str = field(init=False)
    based: str = field(init=False)
    unyeared: str | None = field(init=False)
    _by_start: list[str] | None = field(init=False, default=None, repr=False)
    # Every kind's table and the guard ask the same cues again: each is looked up once.
    _seen: dict[str, bool] = field(init=False, default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.words = [fold(w) for w in self.words]
        self.padded = " " + " ".join(self.words) + " "
        names = {fold(n) for n in self.names}
        self.unnamed = " " + " ".join(w for w in self.words if w not in names) + " " if names else self.padded
        # Swedish puts a pronoun subject after the verb too ("deltog hon inte", "var han med").
        self.unpronouned = " " + " ".join(w for w in self.words if w not in names and w not in SUBJECT_PRONOUNS) + " "
        self.based = " " + " ".join(english_forms.base(w) for w in self.words) + " " if self.english else ""
        # English dates a figure before it ("against the 2019 budget", "Enter's 2021 forecast"), the
        # cue phrases as the documents do, after it ("against the budget", "mot budget 2019").
        years = [w for w in self.words if _YEAR.fullmatch(w)]
        self.unyeared = " " + " ".join(w for w in self.words if w not in years) + " " if self.english and years else None
        # The words a cue may start (all, unless a false friend stands among them).
        false_friends = NOT_BY_START.intersection(self.words)
        self._by_start = [w for w in self.words if w not in false_friends] if false_friends else None

    def hit(self, cue: str) -> bool:
        seen = self._seen.get(cue)
        if seen is None:
            seen = self._seen[cue] = self._hit(cue)
        return seen

    def _hit(self, cue: str) -> bool:
        c = fold(cue)
        if " " in c:
            return (" " + c) in self.padded or (" " + c) in self.unnamed or (" " + c) in self.unpronouned \
                or self._split_particle(c) or (self.english and self._in_other_forms(c)) \
                or (self.unyeared is not None and (" " + c) in self.unyeared) or self._split_comparison(c)
        if c.endswith("="):
            return c[:-1] in self.words
        # A long cue also ends a compound: "delegationsbeslut", "helårsprognos", "personalkostnader".
        # (After a first part of four letters or more: "förväntas" is not a compound of "väntas".)
        words = self.words if self._by_start is None else self._by_start
        return any(w.startswith(c) or (len(c) >= 5 and c in w[4:]) for w in words) or (
            self._by_start is not None and c in self.words)

    def _in_other_forms(self, c: str) -> bool:
        """An English phrase cue with its words in another form: "get from" in "getting from",
        "did not" written "didn't" in the table."""
        if not _PLAIN_PHRASE.fullmatch(c):
            return False  # a cue with a sign ("which §", "t.o.m.") is matched as written
        words = [fold(w) for w in tokens(expand_contractions(c))]
        based = english_forms.phrase_base(" ".join(words))
        # The joined bases first (cheap), then word by word.
        return bool(based) and (" " + based + " ") in self.based and english_forms.same_phrase(self.words, words)

    def _split_comparison(self, c: str) -> bool:
        """A comparative and its "than" with the time or thing compared between them: "lower in 2021
        than in 2020", "högre i år än i fjol" hold the cues "lower than", "högre än"."""
        comparative, _, than = c.partition(" ")
        if than not in THAN or " " in comparative:
            return False
        return any(w == comparative and than in self.words[i + 2:i + 2 + MAX_COMPARISON_GAP]
                   for i, w in enumerate(self.words))

    def _split_particle(self, c: str) -> bool:
        """A Swedish particle verb cue ("tog upp", "kom fram") with the subject between its two
        words, as a question puts it: "vad tog Mia Alfredsson upp", "vad kom AU fram till"."""
        verb, _, particle = c.partition(" ")
        if " " in particle:
            # A particle verb with its preposition ("går ut på"), split by what it is said of: "vad
            # gick Håkan Sandgrens strategi om medlemsbidragen ut på". The particle and the
            # preposition stand together, the verb some words before.
            particle, _, preposition = particle.partition(" ")
            if " " in preposition or particle not in PARTICLES:
                return False
            return any(w == verb and any(self.words[j:j + 2] == [particle, preposition]
                                         for j in range(i + 2, i + 2 + MAX_SPLIT_GAP))
                       for i, w in enumerate(self.words))
        if particle not in PARTICLES:
            if particle not in STRANDED or not self.words:
                return False
            # A question puts its verb second and the subject before the verb's preposition ("vad
            # landar årets resultat på enligt T1", "var hamnar eget kapital på vid årets slut").
            for i, w in enumerate(self.words[:INVERTED_VERB_AT + 1]):
                if w != verb or len(verb) < MIN_INVERTED_VERB:
                    continue
                for j in range(i + 2, min(len(self.words), i + 2 + MAX_PARTICLE_GAP)):
                    # The preposition is the verb's when nothing follows it or an adverbial does
                    # ("på enligt T1", "på vid årets slut"); "vad var syftet med insatsen" has its own object.
                    if self.words[j] == particle and (j + 1 == len(self.words)
                                                      or self.words[j + 1] in ADVERBIAL_STARTS):
                        return True
            # A preposition left at the question's end belongs to the verb before it ("vilket
            # resultat räknade den senaste tertialuppföljningen med?").
            return self.words[-1] == particle and verb in self.words[-2 - MAX_STRANDED_GAP:-2]
        for i, w in enumerate(self.words):
            if w == verb and particle in self.words[i + 2:i + 2 + MAX_PARTICLE_GAP]:
                return True
        return False

    def any(self, cues: Sequence[str]) -> bool:
        return any(self.hit(c) for c in cues)


# Operations whose cue word may be part of a name the question gives: "högsta" in the line
# "Rekommenderat högsta eget kapital" asks for no largest. (A total is read by the sum facet itself.)
NAMEABLE_OPERATIONS = frozenset({"largest", "smallest"})


def facets(kind: Kind, cues: Cues) -> dict[str, float]:
    """The facets of `kind` the question asks for, with their weights."""
    return {facet: weight for facet, (weight, words) in kind.cues.items() if cues.any(words)}


# What asks for a reason, Swedish and English: the "why" kind's own cue, and a veto of every kind
# that answers with a figure, a name or a date (a reason is never one of those).
REASON_CUES = ("varför", "why", "how come", "anledning", "reason", "skäl", "motiver", "orsak", "på grund",
               "hur kommer det", "vad beror", "beror det", "beror på", "what caused", "what led", "what drove", "what drives", "what is driving",
               "what's driving", "what's behind", "what is behind", "vad är förklaringen",
               "förklaringen till", "what explains", "explanation for", "why's", "varfor", "vad förklarar",
               "hur förklaras", "förklaras av", "what accounts for", "how is it explained",
               "reasoning behind", "reason behind", "thinking behind", "rationale", "motivation behind",
               "bakgrunden till", "bakgrund till", "background to", "background of", "the background",
               # The case someone made for a thing ("vad var hans argument för att höja …").
               "argument", "argumenter", "argued", "argue=", "argues", "motivet", "motiven", "motive=", "motives",
               # How a shortfall is met is a reason-like account in prose, not the shortfall's figure.
               "hur finansieras underskott", "hur täcks underskott", "hur ska underskott", "how is the deficit",
               "how will the deficit", "how is the shortfall")


# What asks whether a goal is met: a report's comment on it answers, not the figure it is about
# (a veto of the figure kinds, as REASON_CUES).
GOAL_CUES = ("klarar vi målet", "klarar vi malet", "klarar målet", "klara målet", "nå målet", "nås målet", "målet nås",
             "uppnå målet", "uppnås målet", "målet uppnås", "målet om", "målen om", "reach the goal", "meet the goal",
             "goal be met", "goal met", "achieve the goal", "meet the target", "reach the target", "target be met",
             "on track to", "måluppfyllelse", "goal of", "the goal for",
             # English says it of the goal's owner, the goal named after ("are we hitting our equity target").
             "our goal", "our target", "its goal", "its target", "hit the target", "hit the goal", "hit our",
             "hitting our", "meet our", "meeting our", "reach our", "reaching our", "hit its", "meet its", "reach its")


# A cue at least this heavy says on its own what is asked; lighter ones only hint.
STRONG = 0.9


@dataclass(frozen=True)
class Reading:
    kind: Kind
    score: float
    facets: tuple[str, ...]
    cue: float = 0.0
    entity: float = 0.0  # how well the question names a thing of the kind's own

    @property
    def strong(self) -> bool:
        return self.cue >= STRONG


# English phrase cues whose words may stand in other forms: words only.
_PLAIN_PHRASE = re.compile(r"[a-z'’ -]+")
_BEFORE_A_DAY = re.compile(r"\b([^\W\d_]+)\s+(?:(?:on|den|at|the|vid|på|pa)\s+)*\d{1,4}\b(?!\s*(?:kr|tkr|%|procent))",
                           re.IGNORECASE)


# Words that stand before a year or a day without being its verb ("the 2019 budget", "i 2020"): left in,
# since they are words of other phrases too ("how is the deficit covered").
_NOT_A_VERB = frozenset({"the", "on", "at", "den", "vid", "pa", "i", "in", "of", "for", "per", "from", "fran",
                         "to", "till", "and", "och", "a", "an", "by", "than", "med", "with"})


def rank(q: Question) -> list[Reading]:
    """Every kind's reading of the question, best first."""
    cues = q.cues
    named_words = q.named_words
    # "the grants decided on 11 June", "insatserna som beslutades den 24 november": a verb before a
    # day says which things are meant, not what is asked; it vetoes no kind.
    vetoing: list[Cues] = []  # built only when a veto word is met

    def vetoed(words: Sequence[str]) -> bool:
        if not cues.any(words):
            return False
        if not vetoing:
            dated = {fold(m.group(1).lower()) for m in _BEFORE_A_DAY.finditer(q.text)} - _NOT_A_VERB
            vetoing.append(Cues([w for w in cues.words if w not in dated], english=cues.english) if dated else cues)
        return vetoing[0] is cues or vetoing[0].any(words)

    readings: list[Reading] = []
    for kind in KINDS.values():
        if kind.vetoes and vetoed(kind.vetoes):
            continue
        asked = facets(kind, cues)
        if named_words and asked.keys() & NAMEABLE_OPERATIONS:
            outside = Cues([w for w in cues.words if w not in named_words], english=cues.english)
            asked = {f: w for f, w in asked.items()
                     if f not in NAMEABLE_OPERATIONS or outside.any(kind.cues[f][1])}
        # The heaviest cue, and a little for each further facet the question also asks.
        # Light cues together may reach a reading, never a strong one.
        cue_score = max(asked.values(), default=0.0)
        if cue_score < STRONG:
            cue_score = min(STRONG - 0.01, cue_score + 0.25 * (sum(asked.values()) - cue_score))
        if kind.needs_cue and cue_score == 0.0:
            continue
        entity = max((m.score for m in q.mentions if m.entry.kind in kind.entities), default=0.0)
        # A named thing counts fully only beside a cue that says what is asked of it.
        score = cue_score + kind.entity_weight * entity * (1.0 if cue_score >= STRONG else 0.5)
        if kind.fit is not None:
            score += kind.fit(q)
        if score > 0:
            readings.append(Reading(kind, score, tuple(asked), cue_score, entity))
    readings.sort(key=lambda r: (-r.score, r.kind.order))
    return readings


# What a board gives that is no insats's money: a mandate or a task ("who got the mandate to recruit",
# "fick i uppdrag att"). Beside one of these, and with no grant named nor a word for one, a verb of
# granting or getting ("bevilja", "grant", "got", "fick") asks who was given it, not about grants.
# (Ansvarsfrihet is left out: the passages then found do not check whose discharge is asked.)
NOT_MONEY_GRANTED = ("mandat", "mandate", "uppdrag", "task", "assignment", "befogenhet", "authority",
                     "authorisation", "authorization", "delegation")
GRANT_NOUNS = ("insats", "projekt", "project", "ansökan", "ansökningar", "application", "funding", "finansiering")


# How much of a full post someone works ("hur stor del av en heltid", "is the förbundschef full time"):
# a share of working time, never a share of the budget's figures.
# Where a discussion or a decision "landed" ("vad landade styrelsen i om hemsidan"): what was decided,
# not a figure; "hur mycket under budget landade prognosen" is a figure's own verb.
TALKS_LANDED = ("landade i", "landade vi", "landade ni", "landade de", "landade man", "landade styrelsen",
                "landade beslutet", "landade diskussionen", "landade frågan", "landade det", "landade dom")

WORKING_TIME = ("heltid", "deltid", "halvtid", "full time", "part time", "tjänstgöringsgrad", "sysselsättningsgrad",
                "tjänstgöringsprocent")


def grants_something_else(q: Question) -> bool:
    return not q.named("grant") and q.cues.any(NOT_MONEY_GRANTED) and not q.cues.any(GRANT_NOUNS)


def all_cue_words() -> set[str]:
    """Every single cue word of every kind, folded: the question vocabulary, not its topic."""
    if _ALL_CUES[0] is not None and _ALL_CUES[1] == len(KINDS):
        return _ALL_CUES[0]
    out: set[str] = set()
    for kind in KINDS.values():
        for _weight, words in kind.cues.values():
            for w in words:
                out.update(fold(w).rstrip("=").split())
    _ALL_CUES[0], _ALL_CUES[1] = out, len(KINDS)
    return out


_ALL_CUES: list = [None, 0]


# Words that ask how many; the word after them names what is counted.
COUNT_WORDS = (("hur", "många"), ("hur", "manga"), ("how", "many"), ("antal",), ("antalet",), ("number", "of"))


def counted_word(q: Question) -> str | None:
    """The word a count asks about ("hur många slutrapporter" -> "slutrapporter"), if any."""
    words = q.cues.words
    for i in range(len(words)):
        for phrase in COUNT_WORDS:
            if tuple(words[i:i + len(phrase)]) == phrase and i + len(phrase) < len(words):
                return words[i + len(phrase)]
    return None
