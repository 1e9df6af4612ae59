"""Who may change things (link conversations and people, load documents): a förbund's admins.

A förbund without any admin is in its first run: whoever sets it up may act, and the reply says
so, until someone is made admin (linking yourself with `person` during first run does that).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from storage.models import Organisation, Person


def identity_column(platform: str) -> Any | None:
    """The Person column holding a user id of this platform, or None for platforms without one."""
    if platform == "slack":
        return Person.slack_user_id
    if platform == "teams":
        return Person.teams_aad_id
    return None


def platform_label(platform: str) -> str:
    return {"slack": "Slack", "teams": "Teams"}.get(platform, platform)


def has_admin(session: Session, organisation_id: int) -> bool:
    row = session.exec(
        select(Person.id).where(Person.organisation_id == organisation_id, col(Person.is_admin).is_(True))
    ).first()
    return row is not None


def admin_organisations(session: Session, platform: str, user_id: str | None) -> list[Organisation]:
    """The organisations in which this platform user is linked to an admin."""
    column = identity_column(platform)
    if column is None or not user_id:
        return []
    return list(
        session.exec(
            select(Organisation)
            .join(Person, col(Person.organisation_id) == col(Organisation.id))
            .where(column == user_id, col(Person.is_admin).is_(True))
            .order_by(col(Organisation.name))
        ).all()
    )


@dataclass(frozen=True)
class Permission:
    allowed: bool
    # True when allowed only because the organisation has no admin yet (first run).
    first_run: bool = False


def may_administer(session: Session, platform: str, user_id: str | None, organisation: Organisation) -> Permission:
    assert organisation.id is not None
    if not has_admin(session, organisation.id):
        return Permission(allowed=True, first_run=True)
    allowed = any(o.id == organisation.id for o in admin_organisations(session, platform, user_id))
    return Permission(allowed=allowed)


def any_admin(session: Session) -> bool:
    return session.exec(select(Person.id).where(col(Person.is_admin).is_(True))).first() is not None
