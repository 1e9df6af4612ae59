"""A meeting's agenda: what its kallelse puts on the table, who presents a point, the decision
proposed; what earlier protocols say is to be taken up at it."""

from __future__ import annotations

from handlers.answers import agenda
from handlers.answers.core import Question
from handlers.messages import Reply
from handlers.understanding.kinds import REASON_CUES, Kind, register

CUES = {
    # The agenda itself, or what is to be taken up (present and future forms: what was taken up at
    # a held meeting is its protocol's, answered by the why kind).
    "agenda": (1.0, ("dagordning", "föredragningslist", "agenda", "kallelse", "ska tas upp", "tas upp på",
                     "tas upp vid", "vad tas upp", "ska upp på", "ska behandlas", "behandlas på", "ska diskuteras",
                     "diskuteras på", "ska redovisas", "redovisas på", "vad står på", "står på agendan",
                     "be discussed", "be taken up", "be raised", "be presented", "on the agenda", "will the board",
                     "going to discuss", "going to be discussed", "talk about at", "vad ska vi prata",
                     "vad ska vi ta", "ska vi ta upp", "dagordningen", "punkter på", "items on", "punkterna",
                     # What we take up / cover at a coming meeting, as English puts it.
                     "are we taking up", "we taking up", "will we take up", "are we covering", "will we cover",
                     "we be covering", "be covered", "are we discussing", "will we discuss", "we be discussing",
                     # The same in the active voice, Swedish ("vad ska vi diskutera om X på nästa möte").
                     "ska vi diskutera", "diskuterar vi", "ska vi behandla", "behandlar vi", "ska vi prata om",
                     "pratar vi om", "ska vi gå igenom", "går vi igenom", "will we talk about", "are we talking about",
                     "we take up", "taking up at", "take up at", "we cover at", "covering at", "be dealt with",
                     # (A pronoun subject is read away: "ska man prata om" is "ska prata om".)
                     "ska prata", "ska diskutera", "ska behandla", "ska gå igenom", "ärenden på", "ärenden vid",
                     "för ärenden", "vilka ärenden ska", "what matters are", "which matters are",
                     # What is planned for a meeting is what it is to take up ("what's planned for the next
                     # meeting", "vad är planerat till nästa möte"), not when it is.
                     "planned for the next meeting", "planned for the meeting", "planned for the board meeting",
                     "planned for the next board meeting", "planned at the next meeting", "planned at the meeting",
                     "planerat till nästa möte", "planerat för nästa möte", "planerat på nästa möte",
                     "planerat till mötet", "planerat på mötet", "planerat till nästa sammanträde",
                     "planerat på nästa sammanträde", "planned for the planeringsdag", "planned for the planning day",
                     "planned for the next planning day", "planerat till planeringsdagen", "planerat på planeringsdagen",
                     "planerat för planeringsdagen",
                     # Spoken English for what a meeting takes up ("what's up at the next meeting").
                     "is up at the", "coming up at the", "up for discussion", "on the table at",
                     # "What's on for the planning day", "vad är det på planeringsdagen": what a day holds.
                     "what is on for", "what is on at", "what is on the", "whats on for", "whats on at",
                     "vad händer på planeringsdagen", "vad blir det på planeringsdagen", "vad ska hända på")),
    # Who presents a point ("vem föredrar", "who is reporting on").
    "presenter": (0.95, ("föredrar", "föredragande", "rapporterar", "presenterar", "drar=", "har punkten", "håller i",
                         "who presents", "who is presenting", "who will present", "who is reporting",
                         "who will report", "who reports", "reporting on", "presenting", "who is giving",
                         "who gives")),
    "proposal": (0.95, ("förslag till beslut", "förslaget till beslut", "beslutsförslag", "föreslås",
                        "proposed decision", "proposal for a decision", "draft decision", "what is proposed")),
    # Whether a point is for decision, discussion or information.
    "item_kind": (0.9, ("eller bara diskutera", "bara diskutera", "or just discuss", "beslutspunkt",
                        "diskussionspunkt", "informationspunkt", "for decision", "for discussion", "ska vi besluta",
                        "ska styrelsen besluta", "ska vi ta beslut", "ska det beslutas", "will the board decide",
                        "going to decide", "be decided", "beslutsärende", "informationsärende", "diskussionsfråg",
                        "diskussionspunkt", "beslutspunkt", "informationspunkt", "items for decision",
                        "items for discussion", "discussion items")),
    # Why a point comes up: the kallelse's text under it says so ("Frågan kommer upp för att …").
    "why": (0.3, REASON_CUES),
    # When a matter is to be taken up ("när ska uppföljningen redovisas?"): the meeting an earlier
    # protocol puts it on.
    "announced": (0.6, ("redovisas", "återrapporteras", "tas upp", "behandlas", "be reported", "be taken up",
                        "be presented", "be discussed", "come back", "återkomma", "återkommer", "lyftas")),
    "when": (0.3, ("när=", "nar=", "when=", "vilket möte", "which meeting", "vilket sammanträde")),
    # A point named by its number ("punkt 5", "item 9"): read with a kallelse only (see _fit).
    "item": (0.6, ("punkt=", "punkten=", "item=", "point=")),
    "count": (0.5, ("hur många punkter", "how many items", "antal punkter", "hur manga punkter")),
    # The meeting's time and place, which the answer's heading gives ("… och vilken tid?"): a part
    # asking them is answered with the points (too light to choose this kind on its own).
    "time_place": (0.1, ("vilken tid", "what time", "hur dags", "klockan", "vilken lokal", "which room",
                         "var hålls", "where is it held", "where will it be")),
}
# A held meeting's outcome is the why kind's, not an agenda's.
DECIDED = ("beslutade", "beslutades", "beslöt", "decided", "godkändes", "godkände", "approved", "antogs", "fattades")


def _fit(q: Question) -> float:
    asked = agenda.meetings_for_agenda(q)
    if q.cues.any(CUES["when"][1]) and q.cues.any(CUES["announced"][1]):
        # When a matter is to be taken up: the meeting is what is asked, if a protocol names it.
        return 0.6 if agenda.when_announced(q) is not None else 0.0
    if asked is None:
        # No meeting named: only the kallelse or the agenda itself names what is asked.
        return 0.0 if q.cues.any(("kallelse", "dagordning", "föredragningslist", "agenda")) else -1.0
    if q.cues.any(DECIDED) and not q.cues.any(CUES["proposal"][1]):
        return -1.0
    announced = [m for m in asked if m.basis == "kallelse"]
    if q.cues.any(REASON_CUES) and not (announced and (q.cues.any(agenda.AGENDA_NOUNS)
                                                       or agenda._ITEM_NUMBER.search(q.text))):
        return -1.0  # a reason is the why kind's, unless it is asked of a point of a kallelse
    held = [m for m in asked if agenda._protocol_of(q, m) is not None]
    if held and not announced:
        # A held meeting without a kallelse: who presented a § and what it took up are its protocol's.
        return -1.0 if not q.cues.any(("dagordning", "föredragningslist", "agenda", "kallelse")) else 0.0
    if not announced:
        return 0.0
    # "Vem föredrar …": a person the kallelse names, as the why kind finds one in a protocol's text.
    # The agenda named outright ("föredragningslistan") is this kind's, whatever verb it begins like.
    who = q.cues.any(("vem", "vilka", "who")) and q.cues.any(CUES["presenter"][1])
    if who or q.cues.any(agenda.AGENDA_NOUNS):
        return 1.2
    return 0.5 if agenda._ITEM_NUMBER.search(q.text) else 0.2


def answer(q: Question) -> Reply | None:
    return agenda.answer(q)


KIND = register(Kind(name="agenda", label_sv="mötets dagordning", label_en="the meeting's agenda", cues=CUES,
                     answer=answer, fit=_fit, order=6))
