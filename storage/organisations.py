"""Finding a förbund by a part of its name, the one rule every `--org` and chat hint uses."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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


# Two names whose keys are this similar (rapidfuzz ratio, 0-100) are one organisation misspelt,
# not two: "Mölndals stad, kommunstyrelsen" and "Mölndal stad kommunstyrelse".
TOO_CLOSE = 88


@dataclass(frozen=True)
class OrganisationChoice:
    organisation: Organisation | None
    created: bool = False
    message_sv: str = ""
    message_en: str = ""


def find_or_create_organisation(session: Session, name: str, *, dry_run: bool = False) -> OrganisationChoice:
    """The organisation `name` points at (exactly, or as the one name containing it); else a new
    one by that name, unless the name is too close to an existing one (then nothing is created
    and the message names it). The caller commits. With `dry_run`, a new one is not made: the
    answer has no organisation and `created` set, so a caller can check other rights first."""
    from rapidfuzz import fuzz

    from storage.ingest.text_utils import organisation_key

    wanted = " ".join(name.split())
    if len(wanted) < 3:
        return OrganisationChoice(None, message_sv="Ange organisationens namn (minst tre tecken).",
                                  message_en="Give the organisation's name (at least three characters).")
    matches = organisations_matching(session, wanted)
    if len(matches) == 1:
        return OrganisationChoice(matches[0])
    if len(matches) > 1:
        names = ", ".join(o.name for o in matches)
        return OrganisationChoice(None, message_sv=f"”{wanted}” passar flera organisationer: {names}. Skriv hela namnet.",
                                  message_en=f"“{wanted}” fits several organisations: {names}. Give the full name.")
    key = organisation_key(wanted)
    for other in session.exec(select(Organisation)).all():
        other_key = organisation_key(other.name)
        if key and other_key and (key == other_key or fuzz.ratio(key, other_key) >= TOO_CLOSE):
            return OrganisationChoice(
                None,
                message_sv=f"”{wanted}” liknar för mycket den befintliga organisationen ”{other.name}”. Använd "
                           "det namnet, eller ett namn som tydligt skiljer sig.",
                message_en=f"“{wanted}” is too close to the existing organisation “{other.name}”. Use that "
                           "name, or one that is clearly different.")
    if dry_run:
        return OrganisationChoice(None, created=True)
    organisation = Organisation(name=wanted)
    session.add(organisation)
    session.flush()
    return OrganisationChoice(organisation, created=True,
                              message_sv=f"Skapade organisationen ”{wanted}”.",
                              message_en=f"Created the organisation “{wanted}”.")


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


def example_name(session: Session, preferred: Organisation | None = None) -> str | None:
    """What to write in an example ("koppla Norrvik"): a förbund of this store, by the distinctive
    part of its name; None when the store has none (never a förbund that is not there)."""
    org = preferred or session.exec(select(Organisation).order_by(col(Organisation.name))).first()
    if org is None:
        return None
    words = [w for w in org.name.split() if w.casefold() not in GENERIC_NAME_WORDS]
    return " ".join(words) or org.name
