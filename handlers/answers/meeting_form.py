"""How a held meeting was held: on site, at a distance, in Teams; who took part digitally.

Read from the protocol itself: its head (place and time, the list of those present with "digital
närvaro") and a § about the meeting's own form ("Beslut om mötesform": "dagens sammanträde
genomförs på distans"). A § that only speaks of distance meetings in general (a remiss on remote
participation) is not about how this meeting was held.
"""

from __future__ import annotations

import re

from sqlmodel import col, select

from handlers.answers import meetings, passages
from handlers.answers.core import Question, source_for
from handlers.answers.text import fold
from handlers.messages import Reply, Source
from storage.models import Document, DocumentPart, Meeting, Paragraph, Protocol

# Words that say a meeting (or a member's part in it) was not on site, as protocols write them.
REMOTE_WORDS = ("distans", "digital", "teams", "zoom", "skype", "webex", "videolänk", "videokonferens", "videomöte",
                "ljud- och bildöverföring", "telefonmöte", "per telefon", "via länk", "hybrid", "online")
# In a §, only the forms that say how a meeting is held ("genomförs på distans", "hölls digitalt"):
# "digital signering" on the same day's agenda is another matter.
REMOTE_MANNER = ("på distans", "digitalt", "via teams", "i teams", "på teams", "via zoom", "i zoom", "via skype",
                 "ljud- och bildöverföring", "videolänk", "via länk", "per telefon", "telefonmöte", "videomöte",
                 "hybridmöte", "som hybrid")
# Words of a § sentence that make it about this very meeting, not distance meetings in general.
THIS_MEETING = ("dagens sammanträde", "dagens möte", "dagens styrelsemöte", "mötet hölls", "sammanträdet hölls",
                "mötet genomfördes", "sammanträdet genomfördes", "mötet genomförs", "sammanträdet genomförs",
                "mötesform", "sammanträdesform")
# Lines of the head that are about something else done digitally (the justering, the anslag).
OTHER_MATTERS = ("juster", "anslag", "signer", "underskrift")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def _has(text: str, words: tuple[str, ...]) -> bool:
    folded = fold(text)
    return any(fold(w) in folded for w in words)


def _protocol_text(q: Question, protocol: Protocol) -> tuple[str, list[Paragraph]]:
    """The protocol's head (the text before its first §) and its §§."""
    rows = list(q.session.exec(select(Paragraph).where(Paragraph.protocol_id == protocol.id)
                               .order_by(col(Paragraph.number))).all())
    doc = q.session.get(Document, protocol.document_id)
    if doc is None:
        return "", rows
    text = doc.text
    part = q.session.exec(select(DocumentPart).where(DocumentPart.document_id == doc.id,
                                                     DocumentPart.kind == "protokoll")).first()
    if part is not None:
        text = text[part.start_offset:part.end_offset]
    if rows:
        first = re.search(rf"§\s*{rows[0].number}\b", text)
        if first is not None:
            text = text[:first.start()]
    return text, rows


def answer(q: Question, meeting: Meeting) -> Reply:
    protocol = q.session.exec(select(Protocol).where(Protocol.organisation_id == meeting.organisation_id,
                                                     Protocol.meeting_date == meeting.date)).first()
    label = q.t(f"Mötet {meetings._describe(q, meeting)}", f"The meeting of {meetings._describe(q, meeting)}")
    if protocol is None:
        # Only planned or announced: the place it is called to is known, how it went is not.
        return Reply(q.t(f"{label} finns bara som planerat eller kallat; protokollet finns inte i handlingarna, så "
                         f"hur det hölls framgår inte" + (f" (kallat till {meeting.place})." if meeting.place else "."),
                         f"{label} is only planned or announced; its minutes are not in the documents, so how it "
                         f"was held is not recorded" + (f" (called to {meeting.place})." if meeting.place else ".")),
                     answered=False, sources=[meetings._source(q, meeting)], language=q.language)
    organisation = q.organisation(protocol.organisation_id)
    head, rows = _protocol_text(q, protocol)
    said: list[str] = []
    sources: list[Source] = []
    for line in head.split("\n"):
        line = " ".join(line.split())
        if line and _has(line, REMOTE_WORDS) and not _has(line, OTHER_MATTERS):
            said.append(q.t(f"• Protokollet: ”{passages._short(line, 240)}”", f"• The minutes: “{passages._short(line, 240)}”"))
    if said:
        sources.append(source_for(q.session, organisation, protocol.document_id))
    for p in rows:
        own = _has(p.title, THIS_MEETING)
        for sentence in _SENTENCE.split(f"{p.body}\n{p.decision or ''}"):
            s = sentence.strip(" -•\t")
            if s and _has(s, REMOTE_MANNER) and (own or _has(s, THIS_MEETING)):
                said.append(f"• § {p.number} {p.title}: {passages._short(s, 300)}")
                source = source_for(q.session, organisation, p.document_id, p.id)
                if source not in sources:
                    sources.append(source)
                break
    if said:
        return Reply("\n".join([f"{label}:", *said]), sources=sources, language=q.language)
    source = source_for(q.session, organisation, protocol.document_id)
    if meeting.place:
        return Reply(q.t(f"{label}: protokollet anger platsen {meeting.place} och säger inget om att mötet hölls "
                         f"digitalt eller på distans.",
                         f"{label}: the minutes give the place as {meeting.place} and say nothing of the meeting "
                         f"being held remotely."), sources=[source], language=q.language)
    return Reply(q.t(f"Protokollet säger inte hur {label.lower()} hölls.",
                     f"The minutes do not say how {label[0].lower() + label[1:]} was held."),
                 answered=False, sources=[source], language=q.language)
