"""Short forms the documents themselves define for a thing the store names: "SAMS – SAMverkan i
Södra Vätterbygden" (an acronym, a dash, the name) or "Jämställdhet, Genus, Ledarskap (JGL)" (the
name, the acronym in brackets). A board member asks by the short form the förbund uses ("How much
more does Enter cost than SAMS?"); read letter by letter it is only the start of some other word
("samsjuklighet"), so it is written out as the name it stands for before the question is read.

Only a short form whose long form is a name of the store (a budget line or a grant of the same
förbund) and whose letters are that name's letters in order is kept; one that two documents define
as different things is left as written (and so is said not to be found).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from handlers.answers.text import fold

# "SAMS – SAMverkan i Södra Vätterbygden": the acronym first, the name after a dash.
_DASHED = re.compile(r"\b(?P<short>[A-ZÅÄÖ]{2,8})\s+[–—-]\s+(?P<long>[^\n.;:()]{3,120})")
# "Jämställdhet, Genus, Ledarskap (JGL)": the name first, the acronym in brackets.
_BRACKETED = re.compile(r"(?P<long>[^\n.;:()]{3,120}?)\s*\((?P<short>[A-ZÅÄÖ]{2,8})\)")


def _spells(short: str, name: str) -> bool:
    """Whether the short form's letters are the name's letters in order, from its first letter
    ("SAMS" in "SAMverkan i Södra Vätterbygden", capitals first)."""
    s, n = fold(short), fold(name)
    if not n.startswith(s[:1]):
        return False
    capitals = fold("".join(ch for ch in name if ch.isupper()))
    for letters in (capitals, n):
        i = 0
        for ch in letters:
            if i < len(s) and ch == s[i]:
                i += 1
        if i == len(s):
            return True
    return False


def defined(text: str, names: Iterable[str]) -> dict[str, str]:
    """The short forms `text` defines for one of `names`: folded short form -> the name."""
    by_fold = {fold(n): n for n in names if len(n) >= 4}
    out: dict[str, str] = {}
    for pattern, at_start in ((_DASHED, True), (_BRACKETED, False)):
        for m in pattern.finditer(text):
            short, phrase = m.group("short"), fold(" ".join(m.group("long").split()))
            # The longest name the phrase begins with (dash) or ends with (brackets).
            fits = [n for f, n in by_fold.items()
                    if (phrase.startswith(f) and (len(phrase) == len(f) or not phrase[len(f)].isalnum()) if at_start
                        else phrase.endswith(f) and (len(phrase) == len(f) or not phrase[-len(f) - 1].isalnum()))]
            fits = [n for n in fits if _spells(short, n) and fold(short) != fold(n)]
            if fits:
                out[fold(short)] = max(fits, key=len)
    return out


def written_out(text: str, short_forms: dict[str, set[str]]) -> str:
    """`text` with each short form the documents define for exactly one name written as that name.
    A short form of three letters or fewer is read only as typed in capitals ("SAM" in a sentence
    may be a word); a longer one also in small letters ("sams")."""
    if not short_forms:
        return text

    def repl(m: re.Match[str]) -> str:
        word = m.group(0)
        names = short_forms.get(fold(word))
        if not names or len(names) != 1 or (len(word) <= 3 and not word.isupper()):
            return word
        return next(iter(names))

    return _WORD.sub(repl, text)


_WORD = re.compile(r"(?<![\w-])[^\W\d_]{2,8}(?![\w-])")
