"""What the store can be asked about, as one lexicon: förbund and their short forms, member
bodies, grants, budget lines, people, positions people hold, places, meeting dates and § titles.

Built from the store once and cached per database; a cheap stamp (counts and highest ids of
the tables it reads) is checked on every question, so a document ingested by any process
(`boardbot ingest` beside a running `boardbot serve`) refreshes it on the next question.
Names are matched by `name_score` (inflection- and accent-insensitive, strict on digits).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from handlers.answers.text import (
    GENERIC,
    fold,
    has_digit,
    matched_words,
    name_score,
    qualified_otherwise,
    subsumed,
    tokens,
)
from handlers.understanding import accents, short_forms, spelling

# Words of förbund names that do not tell one förbund from another.
ORG_NOISE = frozenset({"samordningsforbundet", "samordningsforbund", "i", "lan", "lans", "regionen", "och",
                       "finsam", "forbundet", "forbund"})
KINDS = ("organisation", "member_body", "grant", "budget_line", "person", "place", "paragraph")


@dataclass(frozen=True)
class Entry:
    kind: str
    organisation_id: int | None
    name: str
    ref: int | None = None  # the row's id where one row stands behind the name


@dataclass(frozen=True)
class Mention:
    entry: Entry
    score: float


def _heads(name: str) -> list[str]:
    """Index keys of a name: the first three folded letters of each distinctive word."""
    keys = []
    for w in tokens(name):
        if has_digit(w) or len(w) < 3 or w in GENERIC:
            continue
        folded = fold(w)
        if folded in ORG_NOISE:
            continue
        keys.append(folded[:3])
    if not keys:  # "Projekt SE-N": only generic or short words, so index them all
        keys = [fold(w)[:3] for w in tokens(name) if len(w) >= 2 and not has_digit(w)]
    return keys


@dataclass
class Lexicon:
    entries: list[Entry] = field(default_factory=list)
    meeting_dates: dict[int, list[dt.date]] = field(default_factory=dict)
    # (kind, head) and (kind, organisation, head) -> entries: a question scoped to one förbund
    # only looks at that förbund's names.
    _index: dict[tuple[str, str], list[Entry]] = field(default_factory=lambda: defaultdict(list))
    _by_org: dict[tuple[str, int | None, str], list[Entry]] = field(default_factory=lambda: defaultdict(list))
    built_in: float = 0.0
    organisations: list[Entry] = field(default_factory=list)
    _known: set[Entry] = field(default_factory=set)
    _org_cache: tuple[int, frozenset[str]] = (-1, frozenset())
    _name_words: tuple[int, frozenset[str]] = (-1, frozenset())
    _stored_words: tuple[int, frozenset[str]] = (-1, frozenset())
    _org_names: tuple[int, list[tuple[Entry, list[str]]]] = (-1, [])
    # The long words of the store's documents, by their folded form, as written: a question's
    # typing slip is read as the one such word it is a slip of (handlers/understanding/spelling.py).
    words: dict[str, str] = field(default_factory=dict)
    # Short forms the documents define for a budget line or grant ("SAMS" -> "SAMverkan i Södra
    # Vätterbygden"), by their folded form (handlers/understanding/short_forms.py).
    short_forms: dict[str, set[str]] = field(default_factory=dict)
    # Every word of the documents and names, its spellings counted by its folded form: a question
    # typed without å, ä, ö is read as they spell it (handlers/understanding/accents.py).
    spellings: dict[str, Counter[str]] = field(default_factory=dict)
    # Hyphenated words of the store's names ("af-handläggare", "it-spåret"), folded: such a word in
    # a question is a name, not a short form and a word (handlers/understanding/vocabulary.py).
    hyphenated: set[str] = field(default_factory=set)

    def add(self, entry: Entry) -> None:
        if entry in self._known:
            return  # a budget line or member named again by a later document
        self._known.add(entry)
        self.entries.append(entry)
        for joined in _HYPHENATED.findall(entry.name):
            self.hyphenated.add(fold(joined))
        if entry.kind == "organisation":
            self.organisations.append(entry)
        for key in set(_heads(entry.name)):
            self._index[(entry.kind, key)].append(entry)
            self._by_org[(entry.kind, entry.organisation_id, key)].append(entry)

    def drop_missing_grants(self, session: Session) -> None:
        """Forget grants no longer in the store (a corrected protocol replaced their rows)."""
        present = {row[0] for row in session.connection().execute(text("SELECT id FROM insats"))}
        gone = {e for e in self.entries if e.kind == "grant" and e.ref not in present}
        if not gone:
            return
        self.entries = [e for e in self.entries if e not in gone]
        self._known -= gone
        for bucket in (self._index, self._by_org):
            for key, entries in list(bucket.items()):
                if any(e in gone for e in entries):
                    bucket[key] = [e for e in entries if e not in gone]  # type: ignore[index]

    def _candidates(self, kind: str, head: str, organisation_ids: list[int] | None) -> list[Entry]:
        if organisation_ids is None:
            return self._index.get((kind, head), [])
        out: list[Entry] = []
        for org_id in [*organisation_ids, None]:
            out += self._by_org.get((kind, org_id, head), [])
        return out

    def sharing_a_word(self, kind: str, word: str, organisation_id: int) -> list[Entry]:
        """The förbund's entries of `kind` whose name may hold `word` (by its first letters)."""
        return self._candidates(kind, fold(word)[:3], [organisation_id])

    def find(self, words: list[str], kinds: tuple[str, ...] | None = None,
             organisation_ids: list[int] | None = None, threshold: float = 0.75,
             foreign: frozenset[str] = frozenset()) -> list[Mention]:
        """Entries the words name, best first (several per kind when they tie)."""
        heads = {fold(w)[:3] for w in words if len(w) >= 2 and not has_digit(w)}
        seen: set[Entry] = set()
        scored: list[Mention] = []
        for kind in kinds or KINDS:
            for head in heads:
                for entry in self._candidates(kind, head, organisation_ids):
                    if entry in seen:
                        continue
                    seen.add(entry)
                    score = name_score(entry.name, words)
                    if score >= threshold:
                        scored.append(Mention(entry, score))
        # A capitalised word that is the whole name of another thing named ("Stärkt samverkan och
        # Helhetslyftet") is that thing, not a word qualifying a name matched in part.
        whole = {w for m in scored if m.score >= 1.0 for w in matched_words(m.entry.name, words)}
        qualifying = frozenset(w for w in foreign if w not in whole)
        found = [m for m in scored if m.score >= 1.0 or not qualifying or not qualified_otherwise(
            m.entry.name, words, self.qualifiers(m.entry.name, qualifying))]
        for kind in {m.entry.kind for m in found}:
            of_kind = [m.entry.name for m in found if m.entry.kind == kind]
            if len(of_kind) > 1:
                dropped = subsumed(of_kind, words)
                found = [m for m in found if m.entry.kind != kind or m.entry.name not in dropped]
        found.sort(key=lambda m: (-m.score, -len(m.entry.name)))
        # One row named twice (a grant's short and full name) is one thing, by its best-fitting name.
        rows: set[tuple[str, int]] = set()
        unique = []
        for m in found:
            if m.entry.ref is not None and m.entry.kind != "organisation":
                if (m.entry.kind, m.entry.ref) in rows:
                    continue
                rows.add((m.entry.kind, m.entry.ref))
            unique.append(m)
        return unique

    def qualifiers(self, name: str, foreign: frozenset[str]) -> frozenset[str]:
        """The words that may qualify `name` as another thing: a förbund's own name beside a name
        that holds no place ("statliga medel Härnösand") is where to look, not another thing."""
        org_words = self._org_words()
        if any(fold(t) in org_words for t in tokens(name)):
            return foreign  # "Arbetsmarknadstorget Härnösand": "Timrå" beside it names another one
        return frozenset(w for w in foreign if not any(fold(w).startswith(o) for o in org_words))

    def _org_distinctive(self) -> list[tuple[Entry, list[str]]]:
        """Each förbund with the folded words of its name that tell it apart, worked out once per
        set of förbund (asked for every word of every question)."""
        if self._org_names[0] != len(self.organisations):
            self._org_names = (len(self.organisations), [
                (e, [fold(w) for w in tokens(e.name) if fold(w) not in ORG_NOISE and len(w) >= 3])
                for e in self.organisations])
        return self._org_names[1]

    @property
    def name_words(self) -> frozenset[str]:
        """The folded words of every name the store holds, worked out once per set of names."""
        if self._name_words[0] != len(self.entries):
            self._name_words = (len(self.entries), frozenset(fold(w) for e in self.entries for w in tokens(e.name)))
        return self._name_words[1]

    @property
    def stored_words(self) -> frozenset[str]:
        """The folded words of the names and of the documents' long words, worked out once per set."""
        size = len(self.entries) + len(self.words)
        if self._stored_words[0] != size:
            self._stored_words = (size, self.name_words | frozenset(fold(w) for w in self.words.values()))
        return self._stored_words[1]

    def _org_words(self) -> frozenset[str]:
        if self._org_cache[0] != len(self.organisations):
            words = {fold(w) for e in self.organisations for w in tokens(e.name)
                     if fold(w) not in ORG_NOISE and len(w) >= 4 and w not in GENERIC}
            self._org_cache = (len(self.organisations), frozenset(words))
        return self._org_cache[1]

    def organisations_named(self, words: list[str]) -> list[Entry]:
        """Förbund the words name by a distinctive part of their name ("Jämtlands", "Umeå")."""
        hits = []
        folded_words = [fold(w) for w in words]
        for entry, distinctive in self._org_distinctive():
            if any(d == q or (len(q) >= 4 and d.startswith(q)) or (len(d) >= 4 and q.startswith(d))
                   for d in distinctive for q in folded_words):
                hits.append(entry)
        return hits


# Highest ids only (each an index look-up): every ingest adds a document, and a corrected
# protocol is a new document too.
_STAMP_SQL = text(
    "SELECT (SELECT max(id) FROM document), (SELECT max(id) FROM organisation), (SELECT max(id) FROM person),"
    " (SELECT max(id) FROM meeting), (SELECT max(id) FROM insats), (SELECT max(id) FROM memberbody),"
    " (SELECT count(*) FROM document WHERE superseded_at IS NOT NULL)"
)
_CACHE: dict[str, tuple[tuple[int, ...], Lexicon]] = {}
_LOCK = threading.Lock()


def _stamp(session: Session) -> tuple[int, ...]:
    return tuple(int(v or 0) for v in session.connection().execute(_STAMP_SQL).one())


def build(session: Session, since: tuple[int, ...] | None = None, into: Lexicon | None = None) -> Lexicon:
    """Read every name the store holds into a fresh lexicon; or, with `since` (the stamp it was
    built at) and `into`, only what was added after it: an ingest adds, it does not rename."""
    started = time.perf_counter()
    lex = into if into is not None else Lexicon()
    first_new = len(lex.entries)
    doc, org, person, meeting, grant, body = since or (0, 0, 0, 0, 0, 0)
    conn = session.connection()

    def rows(sql: str, after: int) -> list[Any]:
        return list(conn.execute(text(sql), {"after": after}))

    for org_id, name in rows("SELECT id, name FROM organisation WHERE id > :after", org):
        lex.add(Entry("organisation", org_id, name, org_id))
    bodies: set[tuple[int, str]] = set()
    for org_id, name in rows("SELECT organisation_id, name FROM memberbody WHERE id > :after", body):
        bodies.add((org_id, name))
    for org_id, member in rows(
            "SELECT DISTINCT p.organisation_id, a.member_body FROM attendance a JOIN protocol p ON p.id = a.protocol_id"
            " WHERE a.member_body IS NOT NULL AND p.document_id > :after", doc):
        bodies.add((org_id, member))
    for org_id, name in sorted(bodies):
        lex.add(Entry("member_body", org_id, name))
    # Positions the attendance lists give ("verksamhetsutvecklare", "teamledare Enter"): found only
    # when asked for by kind, as they are words of the question vocabulary too.
    for org_id, title in rows(
            "SELECT DISTINCT p.organisation_id, a.title FROM attendance a JOIN protocol p ON p.id = a.protocol_id"
            " WHERE a.title IS NOT NULL AND p.document_id > :after", doc):
        lex.add(Entry("title", org_id, title))
    for grant_id, org_id, name, full_name in rows(
            "SELECT id, organisation_id, name, full_name FROM insats WHERE id > :after", grant):
        lex.add(Entry("grant", org_id, name, grant_id))
        if full_name and full_name != name:
            lex.add(Entry("grant", org_id, full_name, grant_id))
    for org_id, line in rows("SELECT DISTINCT organisation_id, line FROM budgetfigure WHERE document_id > :after",
                             doc):
        lex.add(Entry("budget_line", org_id, line))
    for person_id, org_id, name in rows("SELECT id, organisation_id, name FROM person WHERE id > :after", person):
        lex.add(Entry("person", org_id, name, person_id))
    places: set[tuple[int, str]] = set()
    for org_id, day, place in rows("SELECT organisation_id, date, place FROM meeting WHERE id > :after", meeting):
        lex.meeting_dates.setdefault(org_id, []).append(
            day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)))
        if place:
            places.add((org_id, place.split(",")[0].strip()))
    for org_id, place in sorted(places):
        lex.add(Entry("place", org_id, place))
    for paragraph_id, org_id, title in rows(
            "SELECT p.id, p.organisation_id, p.title FROM paragraph p JOIN document d ON d.id = p.document_id"
            " WHERE d.superseded_at IS NULL AND p.document_id > :after", doc):
        lex.add(Entry("paragraph", org_id, title, paragraph_id))
    named: dict[int | None, list[str]] = defaultdict(list)
    for entry in lex.entries:
        if entry.kind in ("budget_line", "grant"):
            named[entry.organisation_id].append(entry.name)
    for org_id, body in rows("SELECT organisation_id, text FROM document WHERE superseded_at IS NULL AND id > :after",
                             doc):
        for word in _LONG_WORD.findall(body or ""):
            lex.words.setdefault(spelling.key(word), word.lower())
        accents.count([body or ""], lex.spellings)
        for short, name in short_forms.defined(body or "", named.get(org_id, [])).items():
            lex.short_forms.setdefault(short, set()).add(name)
    for entry in lex.entries[first_new:]:
        for word in _LONG_WORD.findall(entry.name):
            lex.words.setdefault(spelling.key(word), word.lower())
    accents.count((e.name for e in lex.entries[first_new:]), lex.spellings)
    lex.built_in = time.perf_counter() - started
    return lex


_HYPHENATED = re.compile(r"[^\W\d_]+-[^\W\d_]+")
_LONG_WORD = re.compile(rf"[^\W\d_]{{{spelling.MIN_LENGTH},}}")


def lexicon(session: Session) -> Lexicon:
    """The store's lexicon: built once per database, extended with what an ingest added (seen by
    the highest ids moving on), rebuilt whole if the store was emptied or replaced."""
    bind = session.get_bind()
    key = str(getattr(bind, "url", id(bind)))
    stamp = _stamp(session)
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        if cached is not None and all(new >= old for new, old in zip(stamp, cached[0], strict=True)):
            # Added to under the lock: readers only walk lists, which tolerate appends.
            grown = build(session, since=cached[0][:-1], into=cached[1])
            if stamp[-1] != cached[0][-1]:
                # A corrected protocol superseded an earlier one: grants it replaced are gone.
                grown.drop_missing_grants(session)
            _CACHE[key] = (stamp, grown)
            return grown
    fresh = build(session)
    with _LOCK:
        _CACHE[key] = (stamp, fresh)
    return fresh


def forget() -> None:
    """Drop every cached lexicon (tests and benchmarks measure a cold build)."""
    with _LOCK:
        _CACHE.clear()
