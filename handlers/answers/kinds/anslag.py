"""How long a protocol's anslag (public notice of justering) was up."""

from __future__ import annotations

from handlers.answers import protocols
from handlers.answers.core import Question
from handlers.messages import Reply
from handlers.understanding.kinds import REASON_CUES, Kind, register

CUES = {
    "anslag": (1.2, ("anslag", "anslog", "anslås", "anslå=", "notice", "tillkännag", "anslagstavla", "bulletin", "posted", "uppsatt", "nedtag",
                    "appeal", "överklag")),
}


def answer(q: Question) -> Reply | None:
    return protocols.answer_anslag(q)


KIND = register(Kind(name="anslag", label_sv="anslaget", label_en="the public notice", cues=CUES, answer=answer,
                     order=6, vetoes=REASON_CUES))
