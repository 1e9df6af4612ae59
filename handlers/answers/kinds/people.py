"""People and attendance: who attended (ledamöter, ersättare, tjänstgörande), who left and
from which §, who is appointed by which member, who represents a member, who is new."""

from __future__ import annotations

import re

from sqlmodel import col, select

from handlers.answers import protocols
from handlers.answers.core import Question, source_for
from handlers.answers.text import fold, join_words, name_score
from handlers.messages import Reply
from handlers.understanding.kinds import Kind, register
from storage.models import Attendance, Paragraph, Person, Protocol

CUES = {
    "attendance": (0.9, ("närvar", "deltog", "delta=", "attend", "present=", "presence", "var med", "were there", "was there",
                         "tjänstgör", "beslutande", "participat", "frånvar", "absent", "on site", "med på")),
    "members": (0.8, ("ledamot", "ledamöter", "member=", "members", "styrelsen består", "sitter i styrelsen",
                      "board members", "ordinarie")),
    "substitute": (0.9, ("ersättare", "substitute", "deputy", "deputies", "alternate", "suppleant")),
    "appointed": (1.0, ("utsett", "utsedd", "utsåg", "appointed", "nominated", "represent", "företräd",
                        "vilken medlem", "which member", "för vilken", "from which member")),
    "left": (1.0, ("lämnade", "avvek", "gick ifrån", "left", "departed", "deltog ej", "deltog inte",
                   "did not take part", "från och med", "till och med", "vilken paragraf", "which paragraph")),
    "new": (0.9, ("ny i", "ny ledamot", "nya ledamöter", "new member", "nyvald", "ny=", "new=")),
    "who": (0.3, ("vem", "vilka", "who", "whom")),
}


def _fit(q: Question) -> float:
    # "Who" alone does not ask about attendance; money words point at a budget line named like
    # a board ("Styrelse"), not at people.
    if not any(q.cues.any(words) for facet, (_w, words) in CUES.items() if facet != "who"):
        return -1.0
    return -0.5 if q.cues.any(("kostar", "cost", "budget", "belopp", "amount", "kronor")) else 0.0


def _rows(q: Question, protocol: Protocol) -> list[tuple[str, Attendance]]:
    return [(name, a) for name, a in q.session.exec(
        select(Person.name, Attendance).join(Attendance, col(Attendance.person_id) == Person.id)
        .where(Attendance.protocol_id == protocol.id).order_by(col(Attendance.id))).all()]


def _describe(q: Question, name: str, a: Attendance) -> str:
    role = {"ledamot": q.t("ledamot", "member"), "ersättare": q.t("ersättare", "substitute"),
            "övrig": q.t("övrig deltagare", "also present")}.get(a.role, a.role)
    parts = [role]
    if a.member_body:
        parts.append(q.t(f"utsedd av {a.member_body}", f"appointed by {a.member_body}") if a.role != "övrig"
                     else a.member_body)
    if a.voting and a.role == "ersättare":
        parts.append(q.t("tjänstgörande", "serving"))
    if not a.present and not a.voting:
        parts.append(q.t("ej närvarande", "not present"))
    if a.note:
        parts.append(a.note)
    return f"{name} ({', '.join(parts)})"


def _new_member(q: Question, protocol: Protocol, rows: list[tuple[str, Attendance]]) -> Reply | None:
    paragraphs = q.session.exec(select(Paragraph).where(Paragraph.protocol_id == protocol.id)
                                .order_by(col(Paragraph.number))).all()
    for p in paragraphs:
        # A clause, so that "X hälsade alla välkomna, särskilt Y som är ny" names Y.
        for sentence in re.split(r"(?<=[.!?])\s+|\n|,", f"{p.body}\n{p.decision or ''}"):
            words = [fold(w) for w in re.findall(r"\w+", sentence)]
            if "ny" not in words and "nya" not in words and "nyvald" not in words:
                continue
            for name, a in rows:
                if a.role == "övrig" or name_score(name, [w.lower() for w in re.findall(r"\w+", sentence)]) < 0.99:
                    continue
                source = source_for(q.session, q.organisation(protocol.organisation_id), p.document_id, p.id)
                text = q.t(f"{name} var ny i styrelsen vid mötet {protocol.meeting_date.isoformat()} (§ {p.number}: "
                           f"”{sentence.strip()}”).", f"{name} was new on the board at the meeting of "
                           f"{protocol.meeting_date.isoformat()} (§ {p.number}: “{sentence.strip()}”).")
                if a.member_body:
                    text += q.t(f" {name} är utsedd av {a.member_body}.", f" {name} is appointed by {a.member_body}.")
                return Reply(text=text, sources=[source], language=q.language)
    return None


def answer(q: Question) -> Reply | None:
    found = protocols._one_protocol(q)
    if isinstance(found, Reply):
        return found
    protocol, source = found
    facets = set(q.reading_facets)
    rows = _rows(q, protocol)
    if not rows:
        return Reply(q.t(f"Närvaron framgår inte av {protocols._label(q, protocol)}.",
                         f"Attendance is not recorded in {protocols._label(q, protocol)}."),
                     answered=False, sources=[source], language=q.language)
    if "new" in facets:
        reply = _new_member(q, protocol, rows)
        if reply is not None:
            return reply
    people = [m.entry.name for m in q.named("person") if m.score >= 0.9]
    if people:
        chosen = [(n, a) for n, a in rows if n in people]
        if not chosen:
            return Reply(q.t(f"{join_words(people)} finns inte med i {protocols._label(q, protocol)}.",
                             f"{join_words(people, 'en')} is not listed in {protocols._label(q, protocol)}."),
                         answered=False, sources=[source], language=q.language)
        if "appointed" in facets and not any(a.member_body for _n, a in chosen):
            return Reply(q.t(f"Protokollet anger inte vem som utsett {join_words(people)}.",
                             f"The minutes do not say who appointed {join_words(people, 'en')}."),
                         answered=False, sources=[source], language=q.language)
        text = "\n".join(f"• {_describe(q, n, a)}" for n, a in chosen)
        head = q.t(f"Enligt {protocols._label(q, protocol)}:", f"According to {protocols._label(q, protocol)}:")
        return Reply(text=f"{head}\n{text}", sources=[source], language=q.language)
    bodies = [m.entry.name for m in q.named("member_body") if m.score >= 0.8]
    chosen = rows
    if bodies:
        chosen = [(n, a) for n, a in chosen if a.member_body in bodies]
    if "substitute" in facets:
        chosen = [(n, a) for n, a in chosen if a.role == "ersättare"]
    elif "members" in facets:
        chosen = [(n, a) for n, a in chosen if a.role == "ledamot"]
    if "attendance" in facets or ("substitute" not in facets and "members" not in facets and not bodies):
        chosen = [(n, a) for n, a in chosen if a.present or a.voting]
    if "left" in facets:
        chosen = [(n, a) for n, a in chosen if a.note and ("§" in a.note or "avvek" in a.note.lower())]
    if not chosen:
        return Reply(q.t(f"Ingen sådan finns i {protocols._label(q, protocol)}.",
                         f"No one like that is listed in {protocols._label(q, protocol)}."),
                     answered=False, sources=[source], language=q.language)
    head = q.t(f"Enligt {protocols._label(q, protocol)} (sammanträdet {protocol.meeting_date.isoformat()}):",
               f"According to {protocols._label(q, protocol)} (meeting of {protocol.meeting_date.isoformat()}):")
    text = head + "\n" + "\n".join(f"• {_describe(q, n, a)}" for n, a in chosen)
    return Reply(text=text, sources=[source], language=q.language)


KIND = register(Kind(name="people", label_sv="vilka som deltog", label_en="who took part", cues=CUES, answer=answer,
                     entities=("person", "member_body"), entity_weight=0.4, fit=_fit, order=8, vetoes=("varför", "why", "how come")))
