"""What a message says besides its question: a greeting or a preamble before it ("Hej! Jag undrar
en sak: …", "Hi, quick question: …") and thanks or a signature after it ("… Tack på förhand!",
"Thanks in advance! /Anna"). Read as part of the question they break it: its question word no
longer opens it, and "advance" is no topic. They are taken off before the question is read.

Language knowledge as data: a leading or trailing segment is courtesy when every word of it is
one of these (folded); a signature is "mvh"/"hälsningar"/"regards" and whatever follows it.
"""

from __future__ import annotations

import itertools
import re

from storage.swedish.cleaning import fold

COURTESY_WORDS = frozenset(fold(w) for w in """
hej hejsan hallå tjena tja hejhej god morgon dag kväll eftermiddag hi hello hey hiya morning afternoon evening
dear there all team
jag undrar en ett sak fråga frågor snabb snabbfråga kort liten har hade skulle vilja gärna veta kan kunde du ni
hjälpa mig oss med att få
i have had a one quick short small question questions wondering was wonder would like to know could can you help me
us with please pls plz snälla
tack tacksam tusen så mycket på förhand thanks thank thx tia ty you in advance much lot very
cheers great appreciated appreciate it would be bra toppen
""".split())

# A signature: the closing word and whatever follows it.
_SIGNATURE = re.compile(r"(?:^|[\s.!?,])(?:mvh|hälsningar|halsningar|vänliga hälsningar|best regards|kind regards|"
                        r"regards|br|/)\s*[\w .-]{0,40}$", re.IGNORECASE)
# Where segments end: after the marks that end a greeting, a preamble or a sentence (a full stop
# only before a space: "Jobbcenter 2.0" is one word).
_BOUNDARY = re.compile(r"(?<=[!?:;,])\s*|(?<=\.)\s+|\s+[-–—]\s+")
_WORD = re.compile(r"[^\W\d_]+")


# The asker's own situation, said before or after the question ("Quick one before my call with the
# auditors - …", "… Need it for a slide", "writing a news piece"): why they ask, not what.
_SITUATION = re.compile(
    r"(?:(?:quick one|quick question|one more thing|sorry|ok|okay)[\s,]*)?"
    r"(?:(?:before|for|ahead of|after|during)\s+(?:my|our|a|an|tomorrow's|today's)\s+(?:[\w'-]+\s+){0,2}?"
    r"(?:call|meeting|chat|talk|presentation|report|slide|slides|article|newsletter|news item|piece|memo|briefing|"
    r"file|notes|review)(?:\s+(?:with|to|for)\s+(?:the\s+|our\s+|my\s+)?[\w-]+(?:\s+[\w-]+)?)?|"
    r"(?:i\s+)?need(?:ed)?\s+(?:it|this|that|them)\s+for\s+(?:a|an|my|the|our)\s+[\w-]+(?:\s+[\w-]+)?|"
    r"(?:i'?m\s+|i am\s+)?(?:writing|preparing|drafting)\s+(?:a|an|the|my|our)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:piece|item|article|report|memo|summary|slide|slides|presentation|newsletter|post))[\s.!]*",
    re.IGNORECASE)


# A condition put to the one asked, before or after the question ("om du ursäktar en gammal
# ordförandes nyfikenhet, varför …", "…, if you don't mind?", "om du vet?"): how it is asked, not
# what. (Only "du"/"ni"/"you": "om vi ökar bidragen med 10 %, när …" is a condition of the question.)
_ASKERS_CONDITION = re.compile(
    r"(?:om|ifall|if)\s+(?:du|ni|you(?:['’](?:ll|d))?)\s+(?:\w+\s+){0,2}?(?:ursäkta\w*|ursakta\w*|förlåt\w*|forlat\w*|vet|hinner|"
    r"har tid|orkar|tillåter|mind|know|excuse|forgive|pardon|allow|have time|have a minute|"
    r"(?:could|can|would|will|kan|kunde|skulle)\s+(?:please\s+|snälla\s+)?(?:tell|help|explain|say|answer|berätta|"
    r"hjälpa|förklara|säga|svara)|"
    r"inte har något emot|don't mind|do not mind)\b[^?\d]{0,60}", re.IGNORECASE)


def _only_courtesy(segment: str) -> bool:
    words = _WORD.findall(segment)
    if words and _SITUATION.fullmatch(segment.strip(" -–—,;:.!")):
        return True
    if words and _ASKERS_CONDITION.fullmatch(segment.strip(" -–—,;:.!")) and not any(
            fold(w) in _QUESTION_WORDS for w in words):
        return True
    return bool(words) and all(fold(w) in COURTESY_WORDS for w in words)


# Question words: a segment holding one asks, whatever it begins with.
_QUESTION_WORDS = frozenset(fold(w) for w in """
vad vem vems vilka vilken vilket varför hur när var vart what who whose which why how when where
""".split())


# Words that open a message without belonging to its question ("btw why …", "förresten, …").
_OPENING = re.compile(r"^(?:btw|fyi|förresten|forresten|by the way|apropå|apropa|oj|ah|hmm+)\b[\s,:;.!-]*(?=\w)",
                      re.IGNORECASE)


# Words that close a message after a comma without asking anything ("…, btw?", "…, by the way?",
# "…, förresten?", "…, again?"): the opening words above, said last.
AFTERTHOUGHT_WORDS = frozenset(fold(w) for w in """
btw fyi förresten forresten by the way anyway anyhow again then apropå apropa just curious out of curiosity
""".split())


# A tag closing a statement asks whether it holds ("…, weren't they?", "…, didn't it?", "…, eller
# hur?"): the negation is the tag's, not what is asked ("were running over, weren't they" asks
# nothing about "not").
_TAG_WORDS = (r"(?:(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|wo|ca)"
              r"(?:n['’]t|\s+not)\s+(?:it|they|we|he|she|you|there|i|that|those|these)|right|correct|"
              r"eller hur|inte sant|visst|va)")
_TAG = re.compile(_TAG_WORDS + r"\s*[?.!]*", re.IGNORECASE)
# The same tag inside a message, before what it goes on to ask ("…, weren't they? By how much?").
_INNER_TAG = re.compile(r"\s*,\s*" + _TAG_WORDS + r"\s*\?(?=\s+\w)", re.IGNORECASE)


def _only_afterthought(segment: str) -> bool:
    if _TAG.fullmatch(segment.strip(" ,;:-–—")):
        return True
    words = _WORD.findall(segment)
    return bool(words) and all(fold(w) in AFTERTHOUGHT_WORDS | COURTESY_WORDS for w in words)


def question_of(text: str) -> str:
    """The question without the courtesy around it (the text itself when nothing else is left)."""
    body = _SIGNATURE.sub("", text.strip()).strip() or text.strip()
    body = _OPENING.sub("", body)
    body = _INNER_TAG.sub("?", body)
    cuts = [0, *(m.end() for m in _BOUNDARY.finditer(body) if 0 < m.end() < len(body)), len(body)]
    spans = [(a, b) for a, b in itertools.pairwise(cuts) if a < b]
    while len(spans) > 1 and _only_courtesy(body[slice(*spans[0])]):
        spans = spans[1:]
    asks = False
    while len(spans) > 1 and (_only_courtesy(body[slice(*spans[-1])])
                               or _only_afterthought(body[slice(*spans[-1])])):
        # An afterthought takes the question mark with it: it is the question's ("…, btw?").
        asks = asks or (body[slice(*spans[-1])].rstrip().endswith("?") and _only_afterthought(body[slice(*spans[-1])]))
        spans = spans[:-1]
    out = body[spans[0][0]:spans[-1][1]].strip().rstrip(",;:").strip() if spans else ""
    if asks and out and not out.endswith("?"):
        out += "?"
    return out or text.strip()
