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
                        "attested", "adjusted", "adjust=",
                        # Minutes are approved by their justering ("when were the minutes approved").
                        "approved", "approve=", "approval", "godkändes", "godkänts", "godkänd")),
    # How it was done: on paper, electronically, digitally via a service ("hur justerades protokollet").
    "manner": (0.95, ("hur justerades", "hur skedde justeringen", "hur gick justeringen", "hur sker justeringen",
                      "how were the minutes", "how was it done", "how was it verified", "how was it signed",
                      "how were they verified", "how were they signed", "på vilket sätt", "in what way",
                      "hur justeras", "justeringsmetod", "digitalt eller", "digital or")),
    "when": (0.6, ("när", "when", "datum", "date", "senast=", "deadline", "by when", "sista", "hur länge",
                   "which day", "vilken dag")),
}


# "Adjusted" (how some write justerat in English) and "approved" are about the minutes only beside
# them: "the budget was adjusted", "the grant was approved" are not.
ADJUST = ("adjusted", "adjust=", "approved", "approve=", "approval", "godkändes", "godkänts", "godkänd")
MINUTES = ("minutes", "protokoll", "protocol")


def _fit(q: Question) -> float:
    hits = [w for w in CUES["justering"][1] if q.cues.hit(w)]
    if hits and all(w in ADJUST for w in hits) and not q.cues.any(MINUTES):
        return -1.0
    if hits and q.cues.any(CUES["manner"][1]):
        return 0.7  # how the minutes were justerade is this kind's, not who signed them
    # "När justerades …?" asks when; "Har protokollet justerats?" / "Have the minutes been signed?" whether.
    return 0.0 if hits and (q.cues.any(CUES["when"][1]) or (people.opens_yes_no(q) and q.cues.any(MINUTES))) else -1.0


def answer(q: Question) -> Reply | None:
    if "manner" in q.reading_facets:
        return protocols.answer_justering_manner(q)
    return protocols.answer_justering(q)


KIND = register(Kind(name="justering", label_sv="när protokollet justeras", label_en="when the minutes are justerat",
                     cues=CUES, answer=answer, fit=_fit, order=5, vetoes=REASON_CUES))
