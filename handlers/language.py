"""Which language a message is written in: Swedish by default, English when it reads English."""

from __future__ import annotations

import re
import unicodedata

_EN = {
    "what", "who", "when", "where", "which", "how", "much", "many", "is", "are", "was", "were", "the",
    "for", "of", "to", "granted", "meeting", "next", "show", "help", "did", "does", "and",
    "has", "have", "about", "decide", "decided", "board", "grants", "conditioned", "on", "using", "with",
    "chair", "secretary", "deadline", "total", "this", "that", "it", "not", "yet", "approve",
    "please", "list", "give", "me", "date", "period", "year", "forecast", "outcome", "equity",
}
_SV = {
    "vad", "vem", "när", "var", "vilka", "vilken", "vilket", "hur", "mycket", "är", "och", "för", "av",
    "till", "om", "på", "har", "beviljats", "beviljades", "styrelsen", "mötet", "nästa", "visa", "hjälp",
    "det", "den", "som", "med", "protokollet", "från", "ska", "vara", "justerat", "budgeten", "kostar",
    "betalar", "gäller", "beslutade", "totalt", "blir", "satt", "uppe", "inte", "än", "jag", "mig",
    "möte", "ställ", "flytta", "lägg",
}
# "in" is left out of both: "ställ in" is Swedish, "in 2021" English.
_WORD = re.compile(r"[a-zåäöéü]+")
# The Swedish words as typed without å/ä/ö ("nar", "mote", "fran"), where they are not English words too.
_SV_FOLDED = {unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode() for w in _SV} - _EN - {"an"}
# Swedish endings no English word of a board question has ("godkandes", "kommunerna", "ersattningen").
_SV_ENDINGS = ("ades", "andes", "ningen", "ningar", "arna", "erna", "orna", "heten", "andet", "ligen")


def detect_language(text: str) -> str:
    words = _WORD.findall(text.lower())
    en = sum(1 for w in words if w in _EN)
    sv = sum(1 for w in words if w in _SV or w in _SV_FOLDED or (len(w) > 6 and w.endswith(_SV_ENDINGS)))
    # A lower-case "i" is the Swedish preposition; the English pronoun is written "I".
    sv += len(re.findall(r"(?<!\S)i(?!\S)", text))
    # å/ä/ö tip the balance only when nothing reads English: names ("Karin Näsmark") carry them too.
    if en == 0 and any(ch in text.lower() for ch in "åäö"):
        sv += 1
    return "en" if en > sv else "sv"
