"""How long a protocol's anslag (public notice of justering) was up."""

from __future__ import annotations

from handlers.answers import protocols
from handlers.answers.core import Question
from handlers.messages import Reply
from handlers.understanding.kinds import REASON_CUES, Kind, register

CUES = {
    "anslag": (1.2, ("anslag", "anslog", "anslås", "anslå=", "notice", "tillkännag", "anslagstavla", "bulletin", "posted", "uppsatt", "nedtag",
                    "appeal", "överklag")),
    # When it went up and came down: the answer gives both days ("… o när tas det ner?").
    "span": (0.5, ("upp=", "uppe", "ner=", "ned=", "ner?", "nere", "put up", "come down", "comes down", "came down",
                   "taken down", "take down", "removed", "up=", "down=")),
}


def answer(q: Question) -> Reply | None:
    return protocols.answer_anslag(q)


# Where the notice was posted ("On which notice boards …?", "Var anslogs …?"): the stored notice has
# its days, not its places; the protocol's own words say where.
WHERE = ("which notice", "which board", "where=", "vilka anslagstavl", "vilken anslagstavl", "på vilka",
         "hos vilka")


def _fit(q: Question) -> float:
    return -1.0 if q.cues.any(WHERE) else 0.0


KIND = register(Kind(name="anslag", label_sv="anslaget", label_en="the public notice", cues=CUES, answer=answer,
                     order=6, vetoes=REASON_CUES, fit=_fit))
