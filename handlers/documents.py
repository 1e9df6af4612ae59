"""A document dropped into a chat: may it be loaded, and what did loading it find?

An adapter asks `check_upload` before it downloads anything (type, size, where, who), then hands
the bytes to `load_upload`, which has them read in a limited child process (no lock held), then
loads what was found in one transaction and describes the result.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from handlers.admins import admin_organisations, any_admin, may_administer
from handlers.assistant import linked_organisation
from handlers.language import detect_language
from handlers.messages import Message, Reply, Source
from storage.models import Document, Organisation
from storage.settings import get_settings

if TYPE_CHECKING:
    from storage.ingest.extract import ExtractedText
    from storage.ingest.load import IngestResult, Read
    from storage.ingest.parsed import ParsedDocument

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".pdf", ".docx", ".txt")


@dataclass(frozen=True)
class UploadDecision:
    """Load the file (`load`), or answer `reply` instead; neither means: stay silent."""

    load: bool = False
    reply: Reply | None = None
    organisation_hint: str | None = None  # the linked förbund, or the uploader's only one


def _t(language: str, sv: str, en: str) -> str:
    return en if language == "en" else sv


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",") + " MB"


def check_upload(engine: Engine, message: Message, file_name: str, size: int | None, *,
                 direct: bool, addressed: bool) -> UploadDecision:
    """Whether a file shared in a conversation should be loaded.

    `direct`: the bot's own DM; `addressed`: the bot was mentioned (or it is a DM). Files in
    channels that are not linked to a förbund are none of the bot's business unless it is asked.
    """
    language = detect_language(message.text or "")
    with Session(engine) as session:
        organisation = None if direct else linked_organisation(session, message)
        if not direct and organisation is None:
            if not addressed:
                return UploadDecision()
            return UploadDecision(reply=Reply(_t(
                language,
                "Den här kanalen är inte kopplad till något förbund, så jag läser inte in filer här. "
                "Koppla kanalen med `koppla <förbund>`, eller skicka filen direkt till mig.",
                "This channel is not linked to an organisation, so I do not load files here. Link it "
                "with `link <organisation>`, or send me the file directly."),
                answered=False, private=True, language=language))
        if PurePath(file_name).suffix.lower() not in SUPPORTED_SUFFIXES:
            if not addressed:
                return UploadDecision()  # images and the like in a channel are people talking
            return UploadDecision(reply=Reply(_t(
                language,
                f"Jag kan läsa in PDF, DOCX och TXT; {file_name} är ingen sådan fil.",
                f"I can load PDF, DOCX and TXT files; {file_name} is none of those."),
                answered=False, language=language))
        limit = get_settings().max_document_bytes
        if size is not None and size > limit:
            return UploadDecision(reply=Reply(_t(
                language,
                f"{file_name} är för stor ({_mb(size)}); jag läser in filer på högst {_mb(limit)}.",
                f"{file_name} is too large ({_mb(size)}); I load files of at most {_mb(limit)}."),
                answered=False, language=language))
        refusal = Reply(_t(
            language,
            "Bara förbundets sekreterare eller administratörer kan läsa in dokument hos mig.",
            "Only the organisation's secretary or admins can load documents."),
            answered=False, private=True, language=language)
        if organisation is not None:
            permission = may_administer(session, message.platform, message.user_id, organisation)
            if not permission.allowed:
                return UploadDecision(reply=refusal)
            return UploadDecision(load=True, organisation_hint=organisation.name)
        mine = admin_organisations(session, message.platform, message.user_id)
        if mine:
            return UploadDecision(load=True, organisation_hint=mine[0].name if len(mine) == 1 else None)
        if any_admin(session):
            return UploadDecision(reply=refusal)
        return UploadDecision(load=True)


def _ingest_entry() -> tuple[Callable[..., Read], Callable[..., IngestResult]] | None:
    """storage's reading and loading entry points, imported late: the chat keeps working while
    they are missing."""
    try:
        from storage.ingest.load import load_parsed
        from storage.ingest.sandbox import read_upload
    except ImportError:
        log.warning("storage.ingest is not available", exc_info=True)
        return None
    return read_upload, load_parsed


def _named_organisation(session: Session, name: str) -> Organisation | None:
    """The stored förbund a document's text names (spelling and dashes aside), if any."""
    from storage.ingest.text_utils import organisation_key

    key = organisation_key(name)
    return next((o for o in session.exec(select(Organisation)).all() if organisation_key(o.name) == key), None)


def _begin_for_real(session: Session) -> None:
    """Load and permission check are one transaction; on SQLite, BEGIN IMMEDIATE takes the write
    lock now rather than meeting a busy writer halfway through the load."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def load_upload(engine: Engine, message: Message, decision: UploadDecision, data: bytes,
                file_name: str) -> Reply:
    """Reads the bytes in a limited child process, then loads what it found in one transaction
    and says what was found, or why nothing was loaded."""
    language = detect_language(message.text or "")
    entry = _ingest_entry()
    if entry is None:
        return Reply(_t(language, "Jag kan inte läsa in dokument i den här versionen ännu.",
                        "I cannot load documents in this version yet."), answered=False, language=language)
    read_upload, load_parsed = entry
    actor = f"{message.platform}:{message.user_id or '?'}"
    try:
        # Reading takes seconds to minutes and holds no lock: the store stays open to everyone
        # else until there is something to write.
        read = read_upload(data, file_name)
        if not isinstance(read, tuple):
            return Reply(read.summary(language), answered=False, language=language)
        return _load(engine, load_parsed, message, decision, read, file_name, language, actor)
    except Exception:
        log.exception("loading %s failed", file_name)
        return Reply(_t(language, f"Något gick fel när jag läste in {file_name}; inget sparades. Försök gärna igen.",
                        f"Something went wrong loading {file_name}; nothing was saved. Please try again."),
                     answered=False, language=language)


def _load(engine: Engine, load_parsed: Callable[..., IngestResult], message: Message, decision: UploadDecision,
          read: tuple[ExtractedText, ParsedDocument], file_name: str, language: str, actor: str) -> Reply:
    extracted, parsed = read
    with Session(engine, expire_on_commit=False) as session:
        _begin_for_real(session)
        # Where a file was dropped only suggests its förbund: a protocol naming another förbund
        # of the store is that förbund's, and the uploader must administer it (checked below).
        named = _named_organisation(session, parsed.organisation) if parsed.organisation else None
        hint = named.name if named is not None else decision.organisation_hint
        result: IngestResult = load_parsed(session, extracted, parsed, hint, actor=actor)
        if not result.ok:
            session.rollback()
            return Reply(result.summary(language), answered=False, language=language)
        document = session.get(Document, result.document_id) if result.document_id else None
        organisation = session.get(Organisation, document.organisation_id) if document else None
        # The text names its förbund, which need not be the one the file was dropped under: the
        # uploader must be allowed to change that förbund, whichever it is.
        permission = (may_administer(session, message.platform, message.user_id, organisation)
                      if organisation is not None else None)
        if organisation is not None and permission is not None and not permission.allowed:
            session.rollback()
            return Reply(_t(
                language,
                f"{file_name} hör till {organisation.name}, där du inte är administratör; inget lästes in.",
                f"{file_name} belongs to {organisation.name}, where you are not an admin; nothing was loaded."),
                answered=False, private=True, language=language)
        session.commit()
        sources = []
        if document is not None and organisation is not None:
            sources.append(Source(organisation=organisation.name, document=document.title or file_name,
                                  meeting_date=result.meeting_date, kind=document.kind))
        text = result.summary(language)
        hint = decision.organisation_hint
        if organisation is not None and hint and organisation.name != hint:
            text += _t(language, f"\nObs: dokumentet hör till {organisation.name}, inte till {hint}.",
                       f"\nNote: the document belongs to {organisation.name}, not to {hint}.")
        if permission is not None and permission.first_run and result.status != "unchanged":
            text += _t(language,
                       "\n(Förbundet har ingen administratör ännu, så jag läste in filen ändå: första "
                       "uppstart. Koppla dig med `person @dig Ditt Namn` för att bli administratör.)",
                       "\n(The organisation has no admin yet, so I loaded the file anyway: first run. "
                       "Link yourself with `person @you Your Name` to become its admin.)")
        return Reply(text, sources=sources, language=language)

