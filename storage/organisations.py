"""Finding a förbund by a part of its name, the one rule every `--org` and chat hint uses."""

from __future__ import annotations

import re
import unicodedata

from sqlmodel import Session, col, select

from storage.models import Organisation

MAX_ID = 2**31 - 1  # ids are INTEGER columns: 32 bits on PostgreSQL


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


# Words every förbund's name shares; the rest is what people call it ("Norrvik", "Härnösand-Timrå").
GENERIC_NAME_WORDS = {"samordningsförbundet", "samordningsförbund", "finsamförbundet", "förbundet", "i", "och",
                      "län", "läns"}


def slugify(text: str) -> str:
    """ASCII, lower case, words joined by '-': 'Härnösand – Timrå' -> 'harnosand-timra'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def short_name(name: str) -> str:
    """The stable short name of an address: the name without its generic words, as a slug."""
    words = [w for w in re.findall(r"[\wåäöÅÄÖéÉ]+", name) if w.casefold() not in GENERIC_NAME_WORDS]
    return slugify(" ".join(words)) or slugify(name)


def organisation_by_address(session: Session, key: str) -> Organisation | None:
    """The förbund an address or `--org` names, in any reasonable spelling: its id, a part of its
    name (the `--org` rule), its slug or its short name ('norrvik', 'Samordningsforbundet-Norrvik')."""
    key = key.strip()
    if not key:
        return None
    if key.isascii() and key.isdigit():
        # An id past what the database can hold names nothing (and must not reach it: SQLite
        # and PostgreSQL both refuse such a number with an error).
        number = int(key)
        return session.get(Organisation, number) if number <= MAX_ID else None
    matches = organisations_matching(session, key)
    if len(matches) == 1:
        return matches[0]
    wanted = slugify(key)
    if not wanted:
        return None
    organisations = list(session.exec(select(Organisation).order_by(col(Organisation.id))).all())
    for rule in (lambda o: slugify(o.name) == wanted, lambda o: short_name(o.name) == wanted,
                 lambda o: f"-{wanted}-" in f"-{slugify(o.name)}-"):
        found = [o for o in organisations if rule(o)]
        if found:
            return found[0] if len(found) == 1 else None
    return None
