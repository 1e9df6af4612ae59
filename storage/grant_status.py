"""A grant's statuses, declared once: the parser, the store, the answers, the export and the
ingest summary all read them from here, so their labels cannot disagree.

A grant's status is derived from its events in date order (`derive`). "paid_out" is only
what a text says was paid; a decision to pay ("betala ut", once signatures arrive) is
"payment_approved".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal, get_args

GrantStatus = Literal["applied", "granted_on_condition", "granted", "refused", "final_report_approved",
                      "payment_approved", "paid_out"]
# In the order a grant's life runs: within one day, a later one follows an earlier one.
STATUSES: tuple[str, ...] = get_args(GrantStatus)
GRANTED: tuple[str, ...] = ("granted", "granted_on_condition")
# Done with: a new application or grant under the same name is a new effort.
CLOSED: tuple[str, ...] = ("final_report_approved", "payment_approved", "paid_out")
# After these, a new application or grant under the same name starts another effort.
ENDED: tuple[str, ...] = (*CLOSED, "refused")

LABELS_SV = {"applied": "ansökan inkommen", "granted": "beviljad", "granted_on_condition": "beviljad med villkor",
             "refused": "avslagen", "final_report_approved": "slutrapport godkänd",
             "payment_approved": "utbetalning beslutad", "paid_out": "utbetald"}
LABELS_EN = {"applied": "applied for", "granted": "granted", "granted_on_condition": "granted on condition",
             "refused": "refused", "final_report_approved": "final report approved",
             "payment_approved": "payment approved", "paid_out": "paid out"}
assert set(LABELS_SV) == set(STATUSES) == set(LABELS_EN)


def label(status: str, language: str = "sv") -> str:
    return (LABELS_EN if language == "en" else LABELS_SV).get(status, status)


def rank(status: str) -> int:
    return STATUSES.index(status) if status in STATUSES else 0


def derive(events: Iterable[tuple[dt.date | None, str]]) -> str | None:
    """The status after (date, status) events: the last by date, a day's events in life order."""
    ordered = sorted(events, key=lambda e: (e[0] or dt.date.min, rank(e[1])))
    return ordered[-1][1] if ordered else None
