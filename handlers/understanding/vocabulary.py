"""How people type on a phone: abbreviations and spoken forms, written out before a question
is read. One table; the mechanism replaces whole words only."""

from __future__ import annotations

import re

ABBREVIATIONS = {
    "mkt": "mycket", "mycke": "mycket", "myke": "mycket", "va": "vad", "e": "är", "vart": "var", "nåt": "något",
    "nat": "något", "ngt": "något", "ngn": "någon", "nån": "någon", "o": "och", "å": "och",
    "bevilj": "beviljat", "bev": "beviljat", "ordf": "ordförande",
    "sekr": "sekreterare", "fk": "Försäkringskassan", "af": "Arbetsförmedlingen", "dnr": "diarienummer",
    "proto": "protokollet", "prot": "protokollet", "sammantr": "sammanträdet",
    "bdg": "budget", "budg": "budget", "progn": "prognos", "whats": "what is", "what's": "what is",
    "who's": "who is", "how's": "how is", "wat": "what", "wen": "when", "u": "you", "plz": "please",
    "mtg": "meeting", "mins": "minutes",
    # Spoken and clipped forms of the field's words.
    "dom": "de", "kap": "kapital", "info": "information", "enl": "enligt", "ang": "angående", "pga": "på grund av",
    "budjet": "budget", "budgett": "budget", "ks": "kommunstyrelsen", "resp": "respektive", "milj": "miljoner",
    "tertialuppfoljn": "tertialuppföljning", "tertialuppföljn": "tertialuppföljning", "verks": "verksamhet",
}
# Whole words only: "AF-handläggare" and "IT-spåret" are names, not abbreviations.
_WORD = re.compile(r"(?<![\w'’-])(" + "|".join(sorted(map(re.escape, ABBREVIATIONS), key=len, reverse=True))
                   + r")(?![\w'’-])", re.IGNORECASE)


def expand_abbreviations(text: str) -> str:
    """The text with abbreviations written out ("hur mkt" -> "hur mycket")."""
    def repl(m: re.Match[str]) -> str:
        word = m.group(1)
        full = ABBREVIATIONS[word.lower()]
        return full if not word[:1].isupper() or full[:1].isupper() else full.capitalize()
    return _WORD.sub(repl, text)
