"""Finding a förbund by a part of its name, the one rule every `--org` and chat hint uses."""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.models import Organisation


def organisations_matching(session: Session, hint: str) -> list[Organisation]:
    """Organisations named exactly `hint` (case-insensitive); if none, those whose name contains it."""
    wanted = hint.strip().casefold()
    if not wanted:
        return []
    organisations = list(session.exec(select(Organisation).order_by(col(Organisation.name))).all())
    exact = [o for o in organisations if o.name.casefold() == wanted]
    return exact or [o for o in organisations if wanted in o.name.casefold()]


def organisation_names(session: Session) -> list[str]:
    return [o.name for o in session.exec(select(Organisation).order_by(col(Organisation.name))).all()]
