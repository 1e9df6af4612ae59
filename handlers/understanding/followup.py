"""Follow-ups: "och 2022?", "och för Enter?", "vem justerade det?" continue the previous
question of the same conversation or thread.

After an answer, the question as understood is kept per conversation and thread in the store
(storage/conversation_context.py), with the words that named its subject and its time. A new
message that reads as a continuation (it starts like one, points back with "det"/"it", or is
too short to stand alone) is merged with it: a new time or subject replaces the old one in the
previous question; a new question about the same subject gets the previous subject and time.
Context older than `TTL` is not used.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from handlers.answers.dates import date_phrases
from handlers.answers.text import fold, matched_words, word_match
from handlers.understanding.kinds import rank

if TYPE_CHECKING:
    from handlers.answers.core import Question
    from handlers.messages import Message
    from storage.models import ConversationContext

TTL = dt.timedelta(hours=1)
# How a continuation starts, Swedish and English (folded, whole words).
STARTS = ("och", "and", "what about", "how about", "hur ar det med", "hur blir det med", "samma for", "same for",
          "men", "but", "then", "sa", "da", "aven", "ocksa", "also")
# Words that point back to the previous question's subject.
POINTERS = frozenset({"det", "den", "dem", "dess", "detta", "denna", "it", "that", "them", "its", "this"})
_WORD = re.compile(r"[0-9A-Za-zÅÄÖåäöÉéÜü.\-]+")


def keys(message: Message) -> tuple[str, list[str]]:
    """The thread a message reads its context from, and those its answer's context is kept for:
    a top-level Slack question also starts the thread its answer opens."""
    read = message.thread_id or ""
    write = [read]
    if message.message_id and not message.thread_id:
        write.append(message.message_id)
    return read, write


def subject_words(q: Question) -> str:
    """The words of the question that named its subject (the best thing it names)."""
    mentions = [m for m in q.mentions if m.score >= 0.8]
    if not mentions:
        return ""
    # The thing that accounts for most of the question's words: "Stegvis till arbete", not the
    # member body "Arbetsförmedlingen" that "arbete" alone resembles.
    best = max(mentions, key=lambda m: (len(matched_words(m.entry.name, q.words)), m.score))
    name = [w.lower() for w in _WORD.findall(best.entry.name)]
    hits = [m for m in _WORD.finditer(q.text) if any(word_match(m.group().lower(), n) >= 0.9 for n in name)]
    return q.text[hits[0].start():hits[-1].end()] if hits else ""


def time_words(text: str) -> str:
    return " ".join(text[a:b] for a, b in date_phrases(text))


def _without_times(text: str) -> str:
    out = text
    for a, b in reversed(date_phrases(text)):
        out = out[:a] + out[b:]
    return re.sub(r"\s+", " ", out).strip()


def _core(text: str) -> tuple[str, bool]:
    """The message without its continuation opener, and whether it had one."""
    folded = fold(text.strip().lower())
    for start in sorted(STARTS, key=len, reverse=True):
        if folded == start or folded.startswith(start + " "):
            return text.strip()[len(start):].strip(" ,"), True
    return text.strip(), False


@dataclass(frozen=True)
class Continued:
    text: str
    organisation_id: int | None


def continue_from(probe: Question, previous: ConversationContext) -> Continued | None:
    """The question `probe` continues from `previous`, written out whole; None when it stands alone."""
    core, opened = _core(probe.text)
    words = [fold(w) for w in probe.words]
    own_subject = [m for m in probe.mentions if m.score >= 0.9]
    own_time = bool(date_phrases(core))
    readings = rank(probe)
    asks = bool(readings) and readings[0].strong
    # "det", "it" point back; "den 19 oktober" is a date, not a pointer.
    points_back = any(w in POINTERS and not (i + 1 < len(words) and words[i + 1][:1].isdigit())
                      for i, w in enumerate(words))
    if not (opened or (points_back and not own_subject) or (len(words) <= 3 and not asks)):
        return None
    if not (own_subject or own_time or asks):
        return None
    if asks and not (own_subject and own_time):
        # A new question about the same thing: "vem justerade det?", "och prognosen?"
        parts = [core]
        if not own_subject and previous.named:
            parts.append(previous.named)
        if not own_time and previous.dates:
            parts.append(previous.dates)
        text = " ".join(parts)
    else:
        # The same question about another time or thing: "och 2022?", "och för Enter?"
        text = previous.question
        if own_time:
            text = f"{_without_times(text).rstrip('?')} {time_words(core)}?"
        if own_subject:
            subject = subject_words(probe) or own_subject[0].entry.name
            if previous.named and previous.named in text:
                text = text.replace(previous.named, subject, 1)
            else:
                text = f"{text.rstrip('?')} {subject}?"
    return Continued(text=text, organisation_id=previous.organisation_id)
