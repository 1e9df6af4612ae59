"""The förbund's members (förbundsmedlemmar: the kommuner, the region, Försäkringskassan and
Arbetsförmedlingen), listed or counted: "Hur många medlemmar har förbundet?", "Vilka kommuner
är med i Södra Vätterbygden?". Not the board's members (ledamöter), which the people kind answers.

The members are read from what the store holds: the member bodies the protocols name (who
appointed each ledamot) and the lines of the budget's member contributions. One member written
two ways ("Vindelns kommun", "Vindeln kommun"; "Region Västerbotten", "Västerbottens läns
landsting") is counted once.
"""

from __future__ import annotations

from sqlmodel import col, select

from handlers.answers.core import Question, choose_organisation, source_for
from handlers.answers.text import fold, join_words, tokens, word_match
from handlers.messages import Reply, Source
from handlers.understanding.kinds import REASON_CUES, Kind, register
from storage.models import Attendance, BudgetFigure, Protocol

CUES = {
    "members": (1.0, ("medlemmar", "medlemmarna", "förbundsmedlem", "medlemskommun", "huvudmän", "members=",
                      "member organisations", "member bodies", "member municipalities", "är med i", "ingår i",
                      "are part of", "belong to", "deltar i förbundet", "make up", "makes up", "utgör", "utgjorde",
                      "consist of", "consists of", "består av", "bestod av")),
    # A hint only: "how many" alone asks about anything.
    "count": (0.5, ("hur många", "how many", "antal", "number of")),
    "list": (0.5, ("vilka", "which", "who are", "lista", "list")),
}
# Words that make "members" the board's (ledamöter), not the förbund's.
BOARD_WORDS = ("styrelse", "board", "ledamot", "ledamöter", "ersättare", "substitute", "mötet", "meeting",
               "sammanträde", "närvar", "present", "attend", "protokoll", "minutes", "utsedd", "appointed",
               # A seat's holder and a vote are the board's: "ordinary members", "members with a vote".
               "ordinary", "regular", "ordinarie", "vote=", "voting", "voted", "rösträtt", "röstberättig", "beslutande",
               # Absent from a meeting is the board's too ("which members were absent on 24 November").
               "absent", "frånvar", "missing", "not there", "not at the")
# Kinds of member, by the words of their names (folded); a question naming one kind counts only it.
MEMBER_TYPES = {
    "kommun": ("kommun", "municipal"),
    "region": ("region", "landsting", "county"),
    "försäkringskassan": ("försäkringskassa", "social insurance"),
    "arbetsförmedlingen": ("arbetsförmedling", "employment service"),
}
# Words of a line that sums a group of members ("Bidrag kommuner", "Övriga kommuner"), not one member.
GROUP_WORDS = ("kommuner", "kommunerna", "regioner", "medlemmar", "medlemmarna", "övriga", "samtliga", "summa",
               "totalt", "bidrag", "från", "medlemsbidrag")
# Budget sections whose lines are what each member pays in.
CONTRIBUTION_SECTIONS = ("medlemsbidrag",)


def _type_of(name: str) -> str | None:
    folded = fold(name)
    for member_type, words in MEMBER_TYPES.items():
        if any(fold(w) in folded for w in words[:1] + (("landsting",) if member_type == "region" else ())):
            return member_type
    return None


def _place(name: str, member_type: str | None) -> str:
    """The word that tells one member of a type from another ("Vännäs" of "Vännäs kommun")."""
    noise = {"kommun", "kommuns", "region", "regionen", "läns", "län", "landsting", "bidrag", "från"}
    words = [w for w in tokens(name) if fold(w) not in {fold(n) for n in noise}]
    return words[0] if words else (member_type or name)


def _is_group(name: str) -> bool:
    """A line naming only a group of members ("Bidrag kommuner"): it names no one member."""
    return all(fold(w) in {fold(g) for g in GROUP_WORDS} for w in tokens(name))


def _same(a: str, b: str) -> bool:
    ta, tb = _type_of(a), _type_of(b)
    if ta != tb:
        return False
    if ta in ("försäkringskassan", "arbetsförmedlingen"):
        return True
    return word_match(_place(a, ta), _place(b, tb)) >= 0.95


def _members(q: Question, org_id: int) -> list[tuple[str, Source]]:
    """Each member once, with where the store has it from."""
    org = q.organisation(org_id)
    found: list[tuple[str, Source]] = []

    def add(name: str, source: Source) -> None:
        if _type_of(name) is None or _is_group(name) or any(_same(name, have) for have, _s in found):
            return
        found.append((name, source))

    for line, document_id, paragraph_id in q.session.exec(
            select(BudgetFigure.line, BudgetFigure.document_id, BudgetFigure.paragraph_id).where(
                BudgetFigure.organisation_id == org_id, col(BudgetFigure.section).in_(CONTRIBUTION_SECTIONS),
                BudgetFigure.row_type == "line").order_by(col(BudgetFigure.year).desc())).all():
        add(line, source_for(q.session, org, document_id, paragraph_id))
    for body, document_id in q.session.exec(
            select(Attendance.member_body, Protocol.document_id).join(Protocol, col(Protocol.id) == Attendance.protocol_id)
            .where(Protocol.organisation_id == org_id, col(Attendance.member_body).is_not(None))
            .order_by(col(Protocol.meeting_date).desc())).all():
        if body:
            add(body, source_for(q.session, org, document_id))
    return found


def _asked_type(q: Question) -> str | None:
    # A word of a förbund's own name ("Umeåregionen") asks for no kind of member.
    words = [w for w in q.cues.words if not q.lexicon.organisations_named([w])]
    for member_type, kind_words in MEMBER_TYPES.items():
        if any(fold(c) in w for w in words for c in kind_words):
            return member_type
    return None


def answer(q: Question) -> Reply | None:
    if len(q.organisation_ids) != 1:
        return choose_organisation(q, q.organisations)
    org = q.organisation(q.organisation_ids[0])
    members = _members(q, org.id or 0)
    if not members:
        return Reply(q.t(f"Handlingarna anger inte vilka medlemmar {org.name} har.",
                         f"The documents do not say which members {org.name} has."), answered=False,
                     language=q.language)
    asked = _asked_type(q)
    chosen = [(name, s) for name, s in members if asked is None or _type_of(name) == asked]
    names = [name for name, _s in chosen]
    sources = list(dict.fromkeys(s for _n, s in chosen))
    what_sv = {"kommun": "kommuner", "region": "regioner"}.get(asked or "", "medlemmar")
    what_en = {"kommun": "municipalities", "region": "regions"}.get(asked or "", "members")
    if "count" in q.reading_facets:
        text = q.t(f"{org.name} har {len(names)} {what_sv} enligt handlingarna: {join_words(names)}.",
                   f"{org.name} has {len(names)} {what_en} according to the documents: {join_words(names, 'en')}.")
    else:
        text = q.t(f"{what_sv.capitalize()} i {org.name} enligt handlingarna: {join_words(names)}.",
                   f"{what_en.capitalize()} of {org.name} according to the documents: {join_words(names, 'en')}.")
    lead = _yes_or_no(q, org.name, [name for name, _s in members])
    return Reply(text=f"{lead}\n{text}" if lead else text, sources=sources, language=q.language)


def _yes_or_no(q: Question, organisation: str, members: list[str]) -> str | None:
    """Yes or no first when a yes/no question asks whether one member body is a member ("… and is
    Arbetsförmedlingen one of them?")."""
    from handlers.answers.guard import asks_yes_no

    if not asks_yes_no(q.text):
        return None
    bodies = list(dict.fromkeys(m.entry.name for m in q.mentions if m.entry.kind == "member_body" and m.score >= 0.9))
    if len(bodies) != 1 or _type_of(bodies[0]) is None:
        return None
    if any(_same(bodies[0], name) for name in members):
        return q.t(f"Ja, {bodies[0]} är medlem i {organisation}.", f"Yes, {bodies[0]} is a member of {organisation}.")
    return q.t(f"Nej, {bodies[0]} är inte medlem i {organisation}.", f"No, {bodies[0]} is not a member of {organisation}.")


# Words that make the question one of money the members pay ("the members' contributions").
MONEY_WORDS = ("bidrag", "betal", "pay", "contribut", "budget", "kostnad", "cost", "belopp", "amount", "kronor", "tkr")


def _fit(q: Question) -> float:
    # "Hur många ledamöter har styrelsen?" asks about the board, "medlemsbidragen" about money.
    if not q.cues.any(CUES["members"][1]) or q.cues.any(BOARD_WORDS) or q.cues.any(MONEY_WORDS):
        return -1.5
    return 0.0


KIND = register(Kind(name="members", label_sv="förbundets medlemmar", label_en="the association's members",
                     cues=CUES, answer=answer, fit=_fit, order=7, vetoes=REASON_CUES))
