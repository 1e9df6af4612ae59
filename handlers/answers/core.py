"""What every answer needs: the question's words and dates, the organisations in scope,
sources, and the replies for "not found" and "which förbund?"."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property

from sqlmodel import Session, col, func, select

from handlers.answers.dates import MONTHS, DateSpan, anchored_years, expand_short_forms, find_dates
from handlers.answers.text import (
    GENERIC,
    fold,
    matched_words,
    name_score,
    qualified_otherwise,
    subsumed,
    tokens,
    word_match,
)
from handlers.context import Context
from handlers.messages import Action, Reply, Source
from handlers.understanding import exclusion
from handlers.understanding.english_sv import ENGLISH_SV
from handlers.understanding.kinds import Cues, Reading, all_cue_words
from handlers.understanding.lexicon import ORG_NOISE as FOLDED_ORG_NOISE
from handlers.understanding.lexicon import Lexicon, Mention, lexicon
from handlers.understanding.vocabulary import expand_abbreviations, untransposed
from storage.ingest.notices import NOTICE_KIND
from storage.models import BudgetFigure, Document, DocumentPart, Meeting, Organisation, Paragraph, Protocol
from storage.swedish.cleaning import PAGE_BREAK

# What a question can name, as lexicon kinds (förbund are found apart, to set the scope).
MENTIONED = ("grant", "budget_line", "person", "member_body", "place")
# What a question may leave out of a set by name ("utom Umeå kommun", "exkl Arbetsmarknadstorget").
EXCLUDABLE = ("grant", "budget_line", "member_body")
ORG_NOISE = frozenset({"samordningsförbundet", "samordningsförbund", "i", "län", "lans", "regionen"})


# The words the budget line for efforts not yet granted is written with ("Tillgängligt nya projekt",
# "Ej fördelade medel"), to find it in the lexicon.
NEW_EFFORT_WORDS = ("tillgängligt", "nya", "projekt", "insatser", "fördelade", "ofördelade")

ENGLISH_FUNCTION_WORDS = frozenset(
    "are is was were be been the a an of to in on at by for and or as it its do does did has have had who what "
    "which when where how why".split())


# The latest follow-up report named by its place in time, not its date ("senaste tertialen").
LATEST_REPORT = re.compile(r"\b(?:senaste|forra|foregaende|latest|last|most recent|previous)\s+"
                           r"(?:tertial\w*|uppfoljning\w*|delarsrapport\w*|follow-up|follow up|report on the tertial)")


def _known_words() -> frozenset[str]:
    """The words the understanding reads (every kind's cue words, the English vocabulary), folded:
    what a phone typo is set right to."""
    cues = all_cue_words()
    if _KNOWN[0] is None or _KNOWN[1] != len(cues):
        _KNOWN[0], _KNOWN[1] = frozenset(cues) | frozenset(fold(w) for w in ENGLISH_SV), len(cues)
    return _KNOWN[0]


_KNOWN: list = [None, 0]


# Bodies of a place, named before "i <place>" ("KS i Timrå", "socialtjänsten i Umeå"): the place is theirs,
# not the förbund's (folded).
LOCAL_BODIES = frozenset({"ks", "kf", "kommunstyrelsen", "kommunfullmaktige", "kommun", "kommunen", "fullmaktige",
                          "namnden", "socialtjansten", "socialnamnden", "region", "regionen", "kontoret", "council",
                          "municipality", "office"})


@dataclass
class Question:
    ctx: Context
    text: str
    # What the asker wrote of it, when `text` is a later part with the first part's subject and time
    # added ("… and is that figure final?" asked of Stegvis till arbete); else `text`.
    asked: str = ""
    words: list[str] = field(init=False)
    dates: list[DateSpan] = field(init=False)
    # The facets (attributes, operations) of the kind chosen to answer, set by the dispatcher.
    reading_facets: tuple[str, ...] = field(default=(), init=False)
    # The reading whose answer is the reply (None for the search fallback); handlers/answers/guard.py checks it.
    answered_by: Reading | None = field(default=None, init=False)
    # The budget lines for efforts not yet granted the question names by what they are for (mentions).
    new_effort_posts: list[tuple[int, str]] = field(default_factory=list, init=False)
    _forbund_words: dict[str, bool] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self.asked = self.asked or self.text
        self.text = expand_short_forms(expand_abbreviations(untransposed(self.text, _known_words(), fold)),
                                       tertials=False)
        self.text = anchored_years(self.text, self.ctx.today)
        self.words = tokens(self.text)
        self.dates = find_dates(self.text, self.ctx.today)
        if LATEST_REPORT.search(fold(self.text.lower())):
            self.dates += self._latest_report_period()

    def _latest_report_period(self) -> list[DateSpan]:
        """"Senaste tertialen", "the latest follow-up": the year up to the last day a follow-up of the
        förbund in scope reports on, up to the asking day (read as "januari–april 2021")."""
        if not self.scoped:
            return []
        ends = self.session.exec(select(col(BudgetFigure.as_of)).where(
            col(BudgetFigure.organisation_id).in_(self.organisation_ids), BudgetFigure.kind == "utfall",
            col(BudgetFigure.as_of).is_not(None), col(BudgetFigure.as_of) <= self.ctx.today)).all()
        partial = [d for d in ends if d is not None and (d.month, d.day) != (12, 31)]
        if not partial:
            return []
        end = max(partial)
        return [DateSpan(dt.date(end.year, 1, 1), end, False)]

    @cached_property
    def capitalised(self) -> frozenset[str]:
        """Words that may name something else: written with a capital inside the sentence, or
        any word that is neither a cue, a function word nor a number ("Yrkesinriktad engelska")."""
        from handlers.answers.passages import FILLER
        from handlers.understanding.kinds import all_cue_words
        from storage.search import STOPWORDS

        raw = re.findall(r"[0-9A-Za-zÅÄÖåäöÉéÜü]+", self.text)
        capital = {w.lower() for w in raw[1:] if w[:1].isupper()}
        cues = all_cue_words()
        plain = {w for w in self.words if len(w) >= 4 and not any(ch.isdigit() for ch in w)
                 and w not in STOPWORDS and fold(w) not in cues and fold(w) not in FILLER and not any(
                     fold(w).startswith(c) for c in cues if len(c) >= 5)}
        own = {w for w in self.words if self.lexicon.organisations_named([w])
               and not self.lexicon.find([w], kinds=("member_body", "place"), threshold=0.75)}
        return frozenset(w for w in (capital | plain) - own if w not in MONTHS)

    @cached_property
    def foreign(self) -> frozenset[str]:
        """Words that may name something else, less the English words the question's own
        translation table reads as the tables' Swedish ("external costs" is "externa kostnader")."""
        from handlers.answers.budget import ENGLISH

        return frozenset(w for w in self.capitalised if w not in ENGLISH)

    @cached_property
    def own_words(self) -> frozenset[str]:
        """The question's words that the money tables' English would translate but that are a
        word of a line or grant of their own in scope ("administration" is the line "Delsumma
        administration" before it is "Kansli"): a name the store holds beats a translation."""
        from handlers.answers.budget import ENGLISH

        out = set()
        for w in self.words:
            if w not in ENGLISH or not ENGLISH[w] or [w] == ENGLISH[w]:
                continue
            for m in self.lexicon.find([w], kinds=("budget_line", "grant"), organisation_ids=self.organisation_ids,
                                       threshold=0.3):
                # Only where the word is the whole of what the name says ("Delsumma administration"),
                # not one word of a longer name ("total" of "Kostnader totalt").
                distinctive = [t for t in tokens(m.entry.name) if t not in GENERIC]
                if len(distinctive) == 1 and word_match(distinctive[0], w) == 1.0:
                    out.add(w)
                    break
        return frozenset(out)

    def english(self, word: str) -> list[str]:
        """The Swedish the money tables read an English (or other) word as, unless it names a line itself."""
        from handlers.answers.budget import ENGLISH

        return [] if word in self.own_words else ENGLISH.get(word, [])

    @cached_property
    def cues(self) -> Cues:
        people = [m.entry.name for m in self.lexicon.find(self.words, kinds=("person",),
                                                          organisation_ids=self.organisation_ids, threshold=0.9)]
        return Cues(self.words, names=matched_words(" ".join(people), self.words) if people else frozenset(),
                    english=self.language == "en")

    @cached_property
    def lexicon(self) -> Lexicon:
        return lexicon(self.session)

    @cached_property
    def mentions(self) -> list[Mention]:
        """What the question names that the store knows, within its förbund, best first."""
        from handlers.answers.budget import _question_words

        # The figure kinds ("budget", "plan") ask what is wanted; they do not name a line.
        # English function words written without accents name nothing: "are" is no "Åre".
        # (Only as written in lower case: "IT-spåret" keeps its "IT".)
        written = {t.lower() for t in re.findall(r"\w+", self.text) if not t.islower()}
        words = [w for w in _question_words(self)
                 if not (w.isascii() and w.lower() in ENGLISH_FUNCTION_WORDS and w.lower() not in written)]
        found = self.lexicon.find(words, kinds=MENTIONED, organisation_ids=self.organisation_ids,
                                  threshold=0.6, foreign=self.foreign)
        found = self._post_for_new_efforts(found)
        left_out = exclusion.excluded_words(self.text)
        if left_out:
            # "summa beviljat exkl Arbetsmarknadstorget": the grant, line or member named after the
            # exclusion is what is left out of a set, not what the question is about.
            kept = [w for w in words if fold(w) not in {fold(x) for x in left_out}]
            found = [m for m in found if m.entry.kind not in EXCLUDABLE
                     or name_score(m.entry.name, kept) >= 0.6 or name_score(m.entry.name, left_out) < 0.6]
        return found

    def _post_for_new_efforts(self, found: list[Mention]) -> list[Mention]:
        """"Budgeterat för nya projekt", "money for new projects": the line a budget leaves for
        efforts not yet granted ("Tillgängligt nya projekt"), named by what it is for, when no
        line is named by its own words ("Projektgemensamt" is no project of its own)."""
        from handlers.answers.grants import NEW_EFFORT_CUES, NEW_EFFORT_POST

        if any(m.entry.kind == "budget_line" and m.score >= 0.9 for m in found) or not self.cues.any(
                NEW_EFFORT_CUES):
            return found
        posts = [m.entry for m in self.lexicon.find(list(NEW_EFFORT_WORDS), kinds=("budget_line",),
                                                    organisation_ids=self.organisation_ids, threshold=0.2)
                 if NEW_EFFORT_POST.search(m.entry.name)]
        self.new_effort_posts = [(e.organisation_id or 0, e.name) for e in posts]
        known = {m.entry for m in found}
        return [*(Mention(e, 0.9) for e in posts if e not in known), *found]

    @cached_property
    def named_words(self) -> frozenset[str]:
        """The question's words (folded) that are part of the name of a line or grant it names
        ("högsta" of "Rekommenderat högsta eget kapital", or "highest" translated to it)."""
        out: set[str] = set()
        for m in self.mentions:
            if m.score < 0.9 or m.entry.kind not in ("budget_line", "grant"):
                continue
            name = tokens(m.entry.name)
            for w in self.words:
                if any(word_match(n, form) >= 0.9 for n in name for form in (w, *self.english(w))):
                    out.add(fold(w))
        return frozenset(out)

    def names_only_a_forbund(self, word: str) -> bool:
        """A word that is a förbund's own name ("Umeåregionen") names the förbund, not a line or a
        member it only resembles ("Umeå kommun"); it still names a thing that has that very word
        in its name ("Timrå" is also Timrå kommun)."""
        if word in self._forbund_words:
            return self._forbund_words[word]
        self._forbund_words[word] = self._only_forbund(word)
        return self._forbund_words[word]

    def _only_forbund(self, word: str) -> bool:
        if len(word) < 4 or not self.lexicon.organisations_named([word]):
            return False
        if self._where_only(word):
            # "prognosen för helåret i Umeå": "i Umeå" says which förbund (Umeåregionen), not the member
            # Umeå kommun; unless a grant, a line other than a member's or a person bears the word
            # ("Arbetsmarknadstorget i Härnösand" is the grant "Arbetsmarknadstorget Härnösand").
            found = self.lexicon.find([word], kinds=MENTIONED, organisation_ids=self.organisation_ids, threshold=0.3)
            members = {fold(m.entry.name) for m in found if m.entry.kind == "member_body"}
            return not any(word_match(word, t) == 1.0 for m in found for t in tokens(m.entry.name)
                           if m.entry.kind in ("grant", "budget_line", "person") and fold(m.entry.name) not in members)
        if not any(word_match(word, d) == 1.0 for e in self.lexicon.organisations for d in tokens(e.name)
                   if fold(d) not in FOLDED_ORG_NOISE):
            return False
        for m in self.lexicon.find([word], kinds=MENTIONED, organisation_ids=self.organisation_ids, threshold=0.3):
            if any(word_match(word, t) == 1.0 for t in tokens(m.entry.name)):
                return False
        return True

    def _where_only(self, word: str) -> bool:
        """Whether the question writes `word` only right after "i"/"in" ("i Umeå", "in Jämtland")."""
        pairs = re.findall(rf"(\w+)\s+(\w+)\s+{re.escape(word)}\b", self.text, re.IGNORECASE)
        alone = re.findall(rf"(?<!\w)\s*{re.escape(word)}\b", self.text, re.IGNORECASE)
        # (A body before "i" is the place's own: "KS i Timrå" is Timrå's kommunstyrelse.)
        return bool(pairs) and len(pairs) == len(alone) and all(
            b.lower() in ("i", "in") and fold(a.lower()) not in LOCAL_BODIES for a, b in pairs)

    def named(self, *kinds: str) -> list[Mention]:
        return [m for m in self.mentions if m.entry.kind in kinds]

    @property
    def session(self) -> Session:
        return self.ctx.session

    @property
    def language(self) -> str:
        return self.ctx.language

    def t(self, sv: str, en: str) -> str:
        return self.ctx.t(sv, en)

    def has(self, *stems: str) -> bool:
        """Whether any word of the question starts with one of `stems` (accents ignored)."""
        return any(w.startswith(s) for w in self.cues.words for s in map(fold, stems))

    def has_word(self, *options: str) -> bool:
        return any(w in options for w in self.words)

    @property
    def exact_dates(self) -> list[DateSpan]:
        return [d for d in self.dates if d.exact]

    @property
    def year(self) -> int | None:
        """A year the question names (alone or as part of a date)."""
        for span in self.dates:
            if span.year_given:
                return span.start.year
        return None

    @cached_property
    def organisations(self) -> list[Organisation]:
        """The organisations the question is about: the linked one, those it names, or all.

        A linked conversation's förbund is never widened, and neither is one the question names.
        """
        if self.ctx.organisation is not None:
            return [self.ctx.organisation]
        every = list(self.session.exec(select(Organisation)).all())
        named_ids = {e.organisation_id for e in self.lexicon.organisations_named(self.words)}
        named = [o for o in every if o.id in named_ids]
        return named or every

    @property
    def scoped(self) -> bool:
        """Whether the question is about one förbund (linked or named) rather than every one."""
        return self.ctx.organisation is not None or len(self.organisations) == 1

    @property
    def organisation_ids(self) -> list[int]:
        return [o.id for o in self.organisations if o.id is not None]

    def organisation(self, organisation_id: int) -> Organisation:
        for o in self.organisations:
            if o.id == organisation_id:
                return o
        org = self.session.get(Organisation, organisation_id)
        assert org is not None
        return org


def org_mentioned(org: Organisation, words: list[str]) -> bool:
    distinctive = [w for w in tokens(org.name) if w not in ORG_NOISE and len(w) >= 3]
    return any(word_match(d, q) >= 0.9 or (len(q) >= 4 and d.startswith(q)) for d in distinctive for q in words)


def best_matches(names: list[tuple[str, object]], words: list[str], threshold: float = 0.6,
                 foreign: frozenset[str] = frozenset(), lexicon: Lexicon | None = None) -> list[tuple[float, str, object]]:
    """Candidates whose name the question mentions, best first. `foreign` holds the question's
    capitalised words: a name matched only in part is not taken when one of them qualifies it."""
    # Cheap first cut: a name is scored only if one of its words starts like a question word.
    heads = {fold(w)[:3] for w in words if len(w) >= 3 and not w[0].isdigit()}
    scored = []
    for name, item in names:
        name_words = [t for t in tokens(name) if len(t) >= 3 and not t[0].isdigit()]
        if name_words and not any(fold(t)[:3] in heads for t in name_words):
            continue
        score = name_score(name, words)
        qualifiers = lexicon.qualifiers(name, foreign) if lexicon is not None and foreign else foreign
        if score >= threshold and not (score < 1.0 and qualifiers and qualified_otherwise(name, words, qualifiers)):
            scored.append((score, name, item))
    if len(scored) > 1:
        dropped = subsumed([name for _s, name, _i in scored], words)
        scored = [x for x in scored if x[1] not in dropped]
    scored.sort(key=lambda x: (-x[0], -len(x[1])))
    return scored


def source_for(session: Session, organisation: Organisation, document_id: int | None,
               paragraph_id: int | None = None, part_id: int | None = None, page: int | None = None) -> Source:
    """A Source naming the organisation, the document or meeting, and the § if any.

    A fact read from one of the documents a file holds (`part_id`: an attached verksamhetsplan
    or tertialrapport) is cited to that part by its title, "bilaga till protokoll <date>" when it
    came with a protocol, and the page (`page`, else the part's first) of a document with pages;
    a § still cites its protocol.
    """
    number: int | None = None
    meeting_date: dt.date | None = None
    document_label: str | None = None
    kind: str | None = None
    also: str | None = None
    heading: str | None = None
    paragraph: Paragraph | None = None
    part_title: str | None = None
    attached_to: dt.date | None = None
    attached_kind = "protokoll"
    if paragraph_id is not None:
        paragraph = session.get(Paragraph, paragraph_id)
        if paragraph is not None:
            # Number 0 is a page of a document in which no § was recognised: cited by its page.
            number = paragraph.number or None
            page = paragraph.page
            also = paragraph.also
            # A § is cited with the document it stands in, whatever document the fact came with.
            document_id = paragraph.document_id
    if document_id is not None:
        doc = session.get(Document, document_id)
        if doc is not None:
            kind = doc.kind
            protocol = session.exec(select(Protocol).where(Protocol.document_id == doc.id)).first()
            if protocol is not None:
                meeting_date = protocol.meeting_date
                kind = "protokoll"
                document_label = f"protokoll {protocol.meeting_date.isoformat()}"
            elif doc.kind == NOTICE_KIND:
                # Decisions published as a news item: of the meeting it tells of, each by its heading.
                meeting = session.exec(select(Meeting).where(
                    Meeting.document_id == doc.id, Meeting.basis == "notice")).first()
                meeting_date = meeting.date if meeting is not None else None
                document_label = f"{NOTICE_KIND} {meeting_date.isoformat()}" if meeting_date else doc.title
                heading = paragraph.title if paragraph is not None and paragraph.document_id == doc.id else None
            else:
                document_label = _with_date(doc.title or f"{doc.kind} ({doc.file_name})", doc.text)
            part = _cited_part(session, doc, part_id) if paragraph_id is None else None
            if part is not None:
                part_title = part.title or part.kind.capitalize()
                kind = part.kind
                attached_to, attached_kind = part.attached_to_date, part.attached_to_kind or "protokoll"
                meeting_date = None
                document_label = Source(organisation.name, part=part_title, attached_to=attached_to,
                                        attached_to_kind=attached_kind).part_label()
                page = page if page is not None else part.page
            if (number is not None or heading or part is not None or paragraph_id is None) \
                    and PAGE_BREAK not in doc.text:
                page = None  # one page (a text file): the §, heading or part says it all
    return Source(organisation=organisation.name, document=document_label, meeting_date=meeting_date,
                  paragraph=number, kind=kind, page=page, also=also, heading=heading, part=part_title,
                  attached_to=attached_to, attached_to_kind=attached_kind)


def figure_source(session: Session, organisation: Organisation, figure: BudgetFigure) -> Source:
    """Where a figure stands: its §, or the part of the file (and page) its table is in."""
    return source_for(session, organisation, figure.document_id, figure.paragraph_id, part_id=figure.part_id,
                      page=figure.page)


def passage_source(session: Session, organisation: Organisation, document: Document, offset: int) -> Source:
    """Where a passage of a document's text stands (`offset` in Document.text): the part of the
    file that holds it (an attached report, not the protocol beside it) and its page."""
    part = session.exec(select(DocumentPart).where(
        DocumentPart.document_id == document.id, col(DocumentPart.start_offset) <= offset,
        col(DocumentPart.end_offset) > offset)).first() if offset >= 0 else None
    page = document.text.count(PAGE_BREAK, 0, offset) + 1 if offset >= 0 and PAGE_BREAK in document.text else None
    return source_for(session, organisation, document.id, part_id=part.id if part else None, page=page)


def cited_document_text(session: Session, source: Source) -> str:
    """The text of the document, or of the part of a file, that `source` cites (a protocol's
    whole text for a §): what a word naming the document ("enligt balansrapporten") is read in."""
    organisation = session.exec(select(Organisation).where(Organisation.name == source.organisation)).first()
    if organisation is None:
        return ""
    if source.part is not None:
        rows = session.exec(select(DocumentPart, Document).join(Document, col(Document.id) == col(DocumentPart.document_id))
                            .where(Document.organisation_id == organisation.id, DocumentPart.title == source.part,
                                   DocumentPart.attached_to_date == source.attached_to)).all()
        return "\n".join(doc.text[part.start_offset:part.end_offset] for part, doc in rows)
    if source.meeting_date is not None and source.kind == "protokoll":
        rows2 = session.exec(select(Document).join(Protocol, col(Protocol.document_id) == col(Document.id))
                             .where(Protocol.organisation_id == organisation.id,
                                    Protocol.meeting_date == source.meeting_date)).all()
        return "\n".join(doc.text for doc in rows2)
    return ""


def _cited_part(session: Session, doc: Document, part_id: int | None) -> DocumentPart | None:
    """The part a fact is cited to: one of several, and not the protocol (cited as itself)."""
    if part_id is None:
        return None
    part = session.get(DocumentPart, part_id)
    if part is None or part.document_id != doc.id or part.kind == "protokoll":
        return None
    count = session.exec(select(func.count()).select_from(DocumentPart)
                         .where(DocumentPart.document_id == doc.id)).one()
    return part if count > 1 else None


_ISO_DAY = re.compile(r"\b(?:19|20)\d\d-\d\d-\d\d\b")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _with_date(label: str, text: str) -> str:
    """A report cited by its title alone ("Tertialuppföljning") also names the date its first
    lines give ("2020-08-31"): a förbund's reports of different years share one title."""
    if _YEAR.search(label):
        return label
    day = _ISO_DAY.search(text[:400])
    return f"{label} {day.group(0)}" if day else label


def not_found(q: Question, what_sv: str, what_en: str, suggestions: list[str] | None = None) -> Reply:
    """The store holds no answer: say what was not found, offer close matches, never guess."""
    text = q.t(f"Jag hittar inget om {what_sv} i handlingarna.", f"I find nothing about {what_en} in the documents.")
    actions: list[Action] = []
    if suggestions:
        text += q.t(" Menade du: ", " Did you mean: ") + "; ".join(suggestions[:3]) + "?"
        actions = [Action(label=s[:70], action_id="ask.suggestion", value=s) for s in suggestions[:3]]
    return Reply(text=text, answered=False, actions=actions, language=q.language)


def choose_organisation(q: Question, organisations: list[Organisation]) -> Reply:
    """The question fits several förbund: ask which, with the choices as buttons."""
    names = [o.name for o in organisations]
    text = q.t("Frågan passar flera förbund. Vilket menar du? ", "That fits several förbund. Which one? ")
    text += "; ".join(names)
    actions = [Action(label=o.name[:70], action_id="ask.organisation", value=f"{o.id}|{q.text}")
               for o in organisations[:5]]
    return Reply(text=text, answered=False, actions=actions, language=q.language)
