"""Amounts of money as Swedish board documents write them.

"185 000 kronor", "250 000 kr", "450 tkr", "0,8 mnkr", "5 miljoner kronor", "1 250 000:-",
"412 306 kronor", "2.400.000 kr"; in a table cell also "- 8 029", "−8 029" and "(8 029)"
(negative) or "1 234,5". The units are data (`UNITS`), read by one amount pattern; a unit
that does not itself say kronor ("5 miljoner", "100 SEK", "500:-") is read where the text
speaks of money anyway (a grant's decision), not in a report's running text.

Deliberately not read as one amount: ranges ("från 4 till 5 miljoner kronor", "300 - 350
tkr"); each reader decides what the number before an amount means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from storage.swedish.cleaning import strip_markup


@dataclass(frozen=True)
class Unit:
    name: str  # kr, tkr or mkr: the unit a figure is stored with
    factor: int
    words: str  # a regex alternation of its written forms, longest first
    says_kronor: bool = True  # the written form itself says kronor (ends in "kr"/"kronor")


UNITS: tuple[Unit, ...] = (
    Unit("tkr", 1_000, r"tkr|tusen(?:tal|tals)?\s+kronor"),
    Unit("mkr", 1_000_000, r"mnkr|mkr|milj(?:oner|on|\.)?\s*(?:kronor|kr)"),
    Unit("kr", 1, r"kronors?|kr"),
    Unit("mkr", 1_000_000, r"miljon(?:er)?|milj\.?", says_kronor=False),
    Unit("kr", 1, r"sek|:-", says_kronor=False),
)
UNIT_FACTORS: dict[str, int] = {"kr": 1, "tkr": 1_000, "mkr": 1_000_000}


def unit_words(says_kronor: bool = True) -> str:
    """The written forms of every unit as one regex alternation (only those that say kronor,
    unless says_kronor is False)."""
    return "|".join(u.words for u in UNITS if u.says_kronor or not says_kronor)


_UNIT_FORMS = [(re.compile(rf"(?:{u.words})", re.I), u.name) for u in UNITS]


@lru_cache(maxsize=256)
def normalise_unit(word: str | None) -> str | None:
    """'tusen kronor' -> 'tkr', 'mnkr' -> 'mkr', 'Kronor' -> 'kr'; None for no unit."""
    if not word:
        return None
    w = " ".join(word.lower().strip(" .()").split())
    return next((name for rx, name in _UNIT_FORMS if rx.fullmatch(w)), None)


def to_kronor(value: Decimal, unit: str) -> int:
    return int((value * UNIT_FACTORS.get(unit, 1)).to_integral_value())


_MINUS = r"\-−–—"  # every dash a PDF turns a minus sign into, escaped for use inside [...]
# A whole number in Swedish: thousands separated by a space (or a no-break space, or a dot).
_INTEGER = r"\d{1,3}(?:[ \u00a0.]\d{3})+|\d+"


def _decimal(integer: str, decimals: str | None) -> Decimal | None:
    digits = integer.replace(" ", "").replace("\u00a0", "").replace(".", "")
    try:
        return Decimal(digits + ("." + decimals if decimals else ""))
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class Amount:
    """An amount found in a text: where, what was written, and its unit."""

    start: int
    end: int
    value: Decimal  # as written, without its sign
    unit: str
    negative: bool  # written with a minus sign (or the dash of a list item: the reader judges)
    unit_word: str

    @property
    def kronor(self) -> int:
        """The amount in kronor, without its sign."""
        return to_kronor(self.value, self.unit)


# The lookahead changes no match (every amount starts with a sign or a digit) but lets the
# engine skip the other positions fast: whole documents are scanned.
_AMOUNT_RES = {
    says_kronor: re.compile(
        rf"(?=[-−\d])(?<![\d,.])(?P<sign>[-−]\s?)?(?P<int>{_INTEGER})(?:,(?P<dec>\d+))?\s*"
        rf"(?P<unit>{unit_words(says_kronor)})(?![a-zåäö])",
        re.IGNORECASE,
    )
    for says_kronor in (True, False)
}
AMOUNT_RE = _AMOUNT_RES[False]


def scan_amounts(text: str, says_kronor: bool = False) -> list[Amount]:
    """Every amount with a unit in `text`, in order; with says_kronor, only units that say
    kronor (running text speaks of "5 miljoner" deltagare as often as of kronor)."""
    found: list[Amount] = []
    for m in _AMOUNT_RES[says_kronor].finditer(text):
        value, unit = _decimal(m["int"], m["dec"]), normalise_unit(m["unit"])
        if value is not None and unit is not None:
            found.append(Amount(m.start(), m.end(), value, unit, bool(m["sign"]), m["unit"]))
    return found


def find_amounts(text: str) -> list[tuple[int, int]]:
    """Every amount with a unit ("990 000 kr", "1 250 000 kronor", "1,5 mkr") in kronor, with
    its position; the sign is left to the reader."""
    return [(a.start, a.kronor) for a in scan_amounts(text)]


# A table cell's figure: digits grouped by threes ("1 976 000"), or a first group of up to six
# digits before groups of three ("1976 000"): a scan or a hurried typist loses the narrow space
# after a "1", but no figure is ever written with a first group of four before a group of three.
# A minus sign a scan reads as two dashes ("—-2 684") is still one minus sign.
_NUMBER = re.compile(
    rf"^(?P<sign>(?:\+|[{_MINUS}]{{1,2}})\s?)?(?P<int>\d{{1,6}}(?: \d{{3}})+|\d+)(?:,(?P<dec>\d+))?"
    rf"\s*(?P<unit>{unit_words()})?\.?$",
    re.I,
)


@lru_cache(maxsize=16384)  # figures recur ("0", "1 000"); the result is immutable
def parse_number(cell: str) -> tuple[Decimal, str | None] | None:
    """A table cell as a number and any unit written in it; None for empty, "-" or text.

    "- 8 029", "−8 029" and "(8 029)" are negative; "1 234,5" keeps its decimals.
    """
    s = strip_markup(cell)
    negative = False
    if len(s) > 2 and s.startswith("(") and s.endswith(")"):
        s, negative = s[1:-1].strip(), True
    m = _NUMBER.match(s)
    if not m:
        return None
    value = _decimal(m["int"], m["dec"])
    if value is None:
        return None
    sign = m.group("sign")
    if negative or (sign and sign.strip() != "+"):
        value = -value
    return value, normalise_unit(m.group("unit"))


# A run of digit groups: "1 014", "780 000", "2.400.000", "1 466 1 600" (table cells), with an
# optional decimal part.
_NUMBER_RUN_RE = re.compile(r"(?<![\d])(\d+(?:[ .]\d{3})*)(?:,(\d+))?(?![\d])")


def written_numbers(text: str) -> set[Decimal]:
    """Every number `text` may be writing, for confirming a figure rather than reading one:
    table cells stand side by side, so every run of consecutive digit groups counts."""
    found: set[Decimal] = set()
    for m in _NUMBER_RUN_RE.finditer(text):
        groups = re.split(r"[ .]", m.group(1))
        decimals = m.group(2)
        for start in range(len(groups)):
            for end in range(start + 1, len(groups) + 1):
                digits = "".join(groups[start:end])
                found.add(Decimal(digits))
                if decimals and end == len(groups):
                    found.add(Decimal(f"{digits}.{decimals}"))
    return found


def written_in_some_unit(amount: int, numbers: set[Decimal]) -> bool:
    """The amount (in kronor, sign left to the column) is among `numbers` in kr, tkr or mkr."""
    value = Decimal(abs(amount))
    return any(value / factor in numbers for factor in sorted(set(UNIT_FACTORS.values())))
