"""What a § named by its number was about ("What was § 69 about in June 2019?", "vad var § 9 för
något"): the §'s account and decision, quoted, of the meeting the question names."""

from __future__ import annotations

import dataclasses

from handlers.answers import passages
from handlers.answers.core import Question
from handlers.answers.kinds import why
from handlers.messages import Reply
from handlers.understanding.kinds import REASON_CUES, Kind, register

CUES = {
    # Light words of "what was it about", which only with a § number ask what the § dealt with.
    "about": (0.5, ("about=", "om=", "handla", "gäll", "deal with", "dealt with", "concern", "för något", "för nåt",
                    "topic", "ämne", "rörde", "cover", "covered", "innehöll", "contain", "vad stod", "what was in")),
}
# Questions that ask something else of the § (a decision, a person, an amount, a day): other kinds'.
OTHER_ASKS = ("beslut", "decid", "decision", "vem=", "who=", "vilka", "hur mycket", "how much", "belopp", "amount",
              "när=", "when=", "deltog", "attend", "närvar", "jäv")


def _fit(q: Question) -> float:
    if not why._PARAGRAPH_NAMED.search(q.text) or q.cues.any(OTHER_ASKS):
        return -1.0
    return 0.5


def answer(q: Question) -> Reply | None:
    reply = why._paragraph_named(q)
    if reply is None or reply.answered:
        return reply
    # A number the meeting's protocol does not reach: which §§ it does hold.
    within = passages.protocols_in_question(q) or []
    held = [f"{p.meeting_date.isoformat()}: {'' if '§' in p.paragraph_range else '§§ '}{p.paragraph_range}"
            for p in within if p.paragraph_range]
    if held:
        reply = dataclasses.replace(reply, text=reply.text + q.t(f" Protokollet omfattar {'; '.join(held)}.",
                                                                 f" The minutes cover {'; '.join(held)}."))
    return reply


KIND = register(Kind(name="paragraph", label_sv="vad en paragraf handlade om", label_en="what a § was about",
                     cues=CUES, answer=answer, fit=_fit, order=9, quotes=True, vetoes=REASON_CUES))
