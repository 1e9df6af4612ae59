"""Full-text search over paragraphs, with Swedish stemming.

Paragraphs keep their stemmed words in `search_text` (written at ingest). SQLite matches
them through the FTS5 table `paragraph_fts` ranked by bm25; PostgreSQL through a GIN index
on to_tsvector('simple', search_text) ranked by ts_rank. Stemming happens here, in Python,
so both databases see the same words and find the same paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from sqlalchemy import text
from sqlmodel import Session

_WORD = re.compile(r"[0-9a-zåäöéüæø]+", re.IGNORECASE)
_stemmer = snowballstemmer.stemmer("swedish")

# Words that carry no topic: question words and function words in both languages.
STOPWORDS = frozenset(
    ["och", "att", "det", "som", "en", "ett", "i", "på", "av", "för", "med", "till", "är", "var", "vad", "vem", "vilka", "vilken", "vilket", "hur", "när", "om", "har", "hade", "den", "de", "dem", "detta", "denna", "dessa", "sig", "så", "men", "eller", "från", "vid", "under", "över", "inom", "kring", "styrelsen", "styrelse", "beslutade", "beslutat", "beslut", "besluta", "beslutar", "beslutades", "förbundet", "samordningsförbundet", "protokoll", "protokollet", "fråga", "frågan", "gäller", "gällande", "något", "några", "mötet", "möte", "sammanträdet", "om", "angående", "the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "with", "about", "what", "which", "who", "how", "when", "did", "does", "do", "is", "are", "was", "were", "board", "decide", "decided", "decision", "decisions", "regarding", "concerning"]
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return str(_stemmer.stemWord(word.lower()))


def words(value: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(value)]


def stem_text(value: str) -> str:
    """The stemmed words of a text, space-separated: what `search_text` holds."""
    return " ".join(stem(w) for w in words(value))


def organisation_token(organisation_id: int) -> str:
    """A word only this organisation's paragraphs hold, so a scoped search stays in its förbund
    inside the index instead of filtering a whole-store match afterwards."""
    return f"orgscope{organisation_id}"


def paragraph_search_text(organisation_id: int, *parts: str | None) -> str:
    """What `paragraph.search_text` holds: the organisation token and the stemmed words."""
    return organisation_token(organisation_id) + " " + stem_text(" ".join(p for p in parts if p))


def query_terms(query: str) -> list[str]:
    """The stemmed topic words of a question, in order, without duplicates."""
    seen: list[str] = []
    for w in words(query):
        if w in STOPWORDS or len(w) < 3:
            continue
        s = stem(w)
        if s and s not in seen:
            seen.append(s)
    return seen


@dataclass(frozen=True)
class SearchHit:
    paragraph_id: int
    score: float


def search_paragraphs(
    session: Session, query: str, organisation_id: int | None = None, limit: int = 5
) -> list[SearchHit]:
    """Paragraphs matching the topic words of `query`, best first.

    All terms must match if any paragraph has them all; otherwise any term may, so a
    question with one extra word still finds its paragraph.
    """
    terms = query_terms(query)
    if not terms:
        return []
    hits = _search(session, terms, organisation_id, limit, require_all=True)
    if not hits and len(terms) > 1:
        hits = _search(session, terms, organisation_id, limit, require_all=False)
    return hits


def _search(
    session: Session, terms: list[str], organisation_id: int | None, limit: int, require_all: bool
) -> list[SearchHit]:
    dialect = session.get_bind().dialect.name
    params: dict[str, object] = {"limit": limit}
    org_filter = ""
    scope = ""
    if organisation_id is not None:
        org_filter = "AND p.organisation_id = :org"
        params["org"] = organisation_id
        scope = organisation_token(organisation_id)
    if dialect == "sqlite":
        # Terms are quoted so FTS5 syntax in user input is never interpreted; prefix match (*)
        # lets "signering" find "signeringen" stems that snowball leaves longer.
        joiner = " AND " if require_all else " OR "
        match = joiner.join(f'"{t}"*' for t in terms)
        params["q"] = f'"{scope}" AND ({match})' if scope else match
        sql = f"""
            SELECT p.id, bm25(paragraph_fts) AS rank
            FROM paragraph_fts JOIN paragraph p ON p.id = paragraph_fts.rowid
            WHERE paragraph_fts MATCH :q {org_filter}
            ORDER BY rank LIMIT :limit
        """
        rows = session.exec(text(sql).bindparams(**params)).all()  # type: ignore[call-overload]
        return [SearchHit(int(r[0]), -float(r[1])) for r in rows]
    joiner = " & " if require_all else " | "
    match = joiner.join(f"{re.sub(r'[^0-9a-zåäöéüæø]', '', t)}:*" for t in terms)
    params["q"] = f"{scope} & ({match})" if scope else match
    sql = f"""
        SELECT p.id, ts_rank(to_tsvector('simple', p.search_text), to_tsquery('simple', :q)) AS rank
        FROM paragraph p
        WHERE to_tsvector('simple', p.search_text) @@ to_tsquery('simple', :q) {org_filter}
        ORDER BY rank DESC, p.id LIMIT :limit
    """
    rows = session.exec(text(sql).bindparams(**params)).all()  # type: ignore[call-overload]
    return [SearchHit(int(r[0]), float(r[1])) for r in rows]
