"""Decisions on a topic: full-text search over paragraphs, best matches first, each with its §."""

from __future__ import annotations

from handlers.answers.core import Question, not_found, source_for
from handlers.messages import Reply, Source
from storage.models import Paragraph
from storage.search import query_terms, search_paragraphs

DECISION_STEMS = ("beslut", "decid", "decision", "beslöt", "resolv", "sagt", "tyckte")


def is_decision_question(q: Question) -> bool:
    return q.has(*DECISION_STEMS)


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def answer(q: Question, limit: int = 3) -> Reply:
    org_id = q.organisation_ids[0] if len(q.organisation_ids) == 1 else None
    hits = search_paragraphs(q.session, q.text, org_id, limit=limit * 3)
    allowed = set(q.organisation_ids)
    paragraphs: list[Paragraph] = []
    for hit in hits:
        p = q.session.get(Paragraph, hit.paragraph_id)
        if p is not None and p.organisation_id in allowed:
            paragraphs.append(p)
        if len(paragraphs) == limit:
            break
    topic = " ".join(query_terms(q.text)) or q.text
    if not paragraphs:
        return not_found(q, f"beslut om ”{topic}”", f"decisions on “{topic}”")
    lines: list[str] = []
    sources: list[Source] = []
    for p in paragraphs:
        src = source_for(q.session, q.organisation(p.organisation_id), p.document_id, p.id)
        sources.append(src)
        decision = p.decision or p.body
        when = f"{src.meeting_date.isoformat()} " if src.meeting_date else ""
        where = f"§ {p.number} {p.title}" if p.number else f"{src.document}, {p.title.lower()}"
        lines.append(f"• {when}{where}: {_short(decision)}")
    head = q.t("Det här har styrelsen beslutat (bästa träff först):", "What the board decided (best match first):")
    return Reply(text=head + "\n" + "\n".join(lines), sources=sources, language=q.language)

