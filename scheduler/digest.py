"""The Monday digest as planned reminders, in the shape scheduler/plan.py gives the outbox.

`plan_digests(session, now)` holds, for every förbund with Organisation.digest_enabled, one
reminder of kind "digest" per linked channel (the console when none is linked), due Monday
08:00 Europe/Stockholm: this week's while it is still worth sending (until Tuesday 08:00),
else next week's. Its text is the digest as of the moment it is due (storage/digest.py), so
what is read in before Monday morning is in it: the outbox refreshes a pending row's text on
every sync. Like plan(), it is a pure function of the store and `now`.

The subject holds the organisation and the Monday ("digest:5:2025-04-28"), so each week's
digest goes out once per channel; turning the digest off leaves the plan without it and the
outbox cancels the pending row — once the outbox treats "digest" as a planned kind.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from scheduler.plan import Directory, PlannedReminder, local_moment, local_today
from storage.digest import build_digest
from storage.models import Organisation

KIND_DIGEST = "digest"
DIGEST_WEEKDAY = 0  # Monday
DIGEST_TIME = dt.time(8, 0)
# A digest late by more than a day is stale: next Monday's says it better.
DIGEST_VALID = dt.timedelta(days=1)


def digest_due(now: dt.datetime) -> dt.datetime:
    """The Monday 08:00 (Stockholm, as UTC) of the digest that is current or next at `now`."""
    today = local_today(now)
    monday = today - dt.timedelta(days=(today.weekday() - DIGEST_WEEKDAY) % 7)
    due = local_moment(monday, DIGEST_TIME)
    if now >= due + DIGEST_VALID:
        due = local_moment(monday + dt.timedelta(days=7), DIGEST_TIME)
    return due


def digest_subject(organisation_id: int, due: dt.datetime) -> str:
    return f"digest:{organisation_id}:{local_today(due).isoformat()}"


def plan_digests(session: Session, now: dt.datetime, organisation_id: int | None = None) -> list[PlannedReminder]:
    if now.tzinfo is None:
        raise ValueError("plan_digests() needs an aware datetime")
    query = select(Organisation).where(col(Organisation.digest_enabled).is_(True))
    if organisation_id is not None:
        query = query.where(Organisation.id == organisation_id)
    organisations = list(session.exec(query.order_by(col(Organisation.id))).all())
    if not organisations:
        return []
    due = digest_due(now)
    expires = due + DIGEST_VALID
    directory = Directory(session, local_today(now), organisation_id)
    out: list[PlannedReminder] = []
    for organisation in organisations:
        assert organisation.id is not None
        text = build_digest(session, organisation, due).render("sv")
        for recipient in directory.org_targets(organisation.id):
            out.append(PlannedReminder(organisation.id, KIND_DIGEST, digest_subject(organisation.id, due), recipient,
                                       due, expires, text))
    return out
