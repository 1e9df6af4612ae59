"""When a protocol must be, or was, justerat."""

from __future__ import annotations

from handlers.answers import protocols
from handlers.answers.core import Question
from handlers.answers.kinds import people
from handlers.messages import Reply
from handlers.understanding.kinds import REASON_CUES, Kind, register

CUES = {
    # "Adjusted" is how a Swedish speaker often translates justerat.
    "justering": (0.9, ("justera", "justering", "verified", "verification", "verify", "signed", "signing", "checked",
                        "attested", "adjusted", "adjust=")),
    "when": (0.6, ("när", "when", "datum", "date", "senast=", "deadline", "by when", "sista", "hur länge",
                   "which day", "vilken dag")),
}


# "Adjusted" (how some write justerat in English) is about the minutes only beside them: "the
# budget was adjusted" is not.
ADJUST = ("adjusted", "adjust=")
MINUTES = ("minutes", "protokoll", "protocol")


def _fit(q: Question) -> float:
    hits = [w for w in CUES["justering"][1] if q.cues.hit(w)]
    if hits and all(w in ADJUST for w in hits) and not q.cues.any(MINUTES):
        return -1.0
    # "När justerades …?" asks when; "Har protokollet justerats?" / "Have the minutes been signed?" whether.
    return 0.0 if hits and (q.cues.any(CUES["when"][1]) or (people.opens_yes_no(q) and q.cues.any(MINUTES))) else -1.0


def answer(q: Question) -> Reply | None:
    return protocols.answer_justering(q)


KIND = register(Kind(name="justering", label_sv="när protokollet justeras", label_en="when the minutes are justerat",
                     cues=CUES, answer=answer, fit=_fit, order=5, vetoes=REASON_CUES))
