"""What shows a text to be a board's document at all, when no structure was recognised.

A protocol, kallelse, plan, report or decision notice is stored even when no § or header was
read from it: its text stays searchable and citable by page. Only a text with none of these
signs (a recipe, an invoice, a novel) is refused as clearly not a board's document. The signs
are data: one pattern per kind of sign, and the kind is what the refusal can name.
"""

from __future__ import annotations

import re

BOARD_SIGNS: dict[str, re.Pattern[str]] = {
    "§": re.compile(r"§"),
    "styrelse eller nämnd": re.compile(
        r"\b(?:\w*styrelse[n]?|\w*nämnd(?:en)?|\w*fullmäktige|presidi(?:et|um)|förbundsordning\w*|"
        r"samordningsförbund\w*|finsam)\b", re.IGNORECASE),
    "sammanträde": re.compile(r"\b(?:sammanträde\w*|styrelsemöte\w*|mötet|ledamöter|ledamot|ersättare|"
                              r"ordförande[n]?|sekreterare[n]?|justera\w*)\b", re.IGNORECASE),
    "beslut": re.compile(r"\b(?:beslut\w*|beviljas|bevilja[rd]?|antas|antog|fastställ\w*|godkänn\w*|"
                         r"yrkande\w*|ärende[nt]?)\b", re.IGNORECASE),
    "handling": re.compile(r"\b(?:protokoll\w*|kallelse\w*|föredragningslista\w*|dagordning\w*|"
                           r"verksamhetsplan\w*|tertial\w*|delårs\w*|årsredovisning\w*|budget\w*|"
                           r"diarienummer|dnr)\b", re.IGNORECASE),
}


def board_signs(text: str) -> list[str]:
    """The kinds of sign found in `text`, in the order of BOARD_SIGNS."""
    return [name for name, pattern in BOARD_SIGNS.items() if pattern.search(text)]
