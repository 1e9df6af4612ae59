"""Digital justering in the chat: start, confirm, ask for changes, resume, certificate, questions.

The flow and its rules live in storage/justering.py; this module reads the message, decides
who is asking, and words the outcome. The start message is one Reply with an anchor, so the
adapter posts it as a new thread and binds the round to it (anchor "justering_round:<id>").
"""

from __future__ import annotations

import datetime as dt
import re

from sqlmodel import Session, col, select

from handlers.answers import answer_question
from handlers.answers.dates import find_dates
from handlers.answers.protocols import recorded_source
from handlers.context import Context
from handlers.messages import Action, Followup, Mention, Reply, Source, TextFile
from handlers.registry import action, anchor, command, question_hook, thread_handler
from storage import clock
from storage import justering as j
from storage.certificate import NotInLog, render_text
from storage.certificate import build as build_certificate
from storage.models import Document, JusteringRound, Organisation, Person, Protocol

CONFIRM_ACTION = "justering.confirm"
# The second, explicit step: its value carries the full hash of the version the question showed.
CONFIRM_VERSION_ACTION = "justering.confirm_version"
CHANGE_ACTION = "justering.change"
ANCHOR_PREFIX = "justering_round"

_CONFIRM_PHRASES = (
    "jag justerar", "justerat", "justerar", "justeras", "jag godkänner", "godkänner", "godkänt", "godkänd",
    "i approve", "approved", "approve", "signed", "i sign",
)
_NEGATIONS = {"inte", "ej", "icke", "not", "don't", "dont", "no", "nej", "ännu", "yet"}
_CHANGE = re.compile(
    r"^(?:jag\s+)?(?:begär|begar|önskar)\s+ändring(?:ar)?\b[\s:,.\-–]*(?P<sv>.*)$"
    r"|^(?:i\s+)?(?:request(?:ing)?|want)\s+(?:a\s+)?changes?\b[\s:,.\-–]*(?P<en>.*)$"
    r"|^change\s+request\b[\s:,.\-–]*(?P<en2>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_MENTION = re.compile(r"<@[^>]+>")
# A version typed with the confirmation ("justerat 3f2a9c01b7de"): the hash the thread shows.
_TYPED_VERSION = re.compile(rf"\b([0-9a-f]{{{j.MIN_SHOWN_HASH},64}})\b", re.IGNORECASE)


def _clean(text: str) -> str:
    return _MENTION.sub(" ", text or "").strip()


def is_confirmation(text: str) -> bool:
    """'justerat', 'Jag justerar!', 'approved' – a short statement, not a question or a 'not yet'."""
    lowered = " ".join(_clean(text).lower().split())
    if not lowered or len(lowered) > 80 or lowered.endswith("?"):
        return False
    words = set(re.findall(r"[a-zåäöé']+", lowered))
    if words & _NEGATIONS:
        return False
    return any(lowered == p or (lowered.startswith(p) and not lowered[len(p)].isalpha())
               for p in _CONFIRM_PHRASES)


def typed_version(text: str) -> str | None:
    """The version hash typed with a confirmation, if any."""
    m = _TYPED_VERSION.search(_clean(text))
    return m.group(1).lower() if m else None


def is_bare_confirmation(text: str) -> bool:
    """Only the confirming words (and a version) ('Justerat!', 'approved 3f2a9c01b7de'): what may confirm
    outside a thread."""
    lowered = " ".join(re.sub(r"[^\w\s']", " ", _TYPED_VERSION.sub(" ", _clean(text)).lower()).split())
    return lowered in _CONFIRM_PHRASES


def change_text(text: str) -> str | None:
    """The request in 'Begär ändring: …' / 'Request change: …' ('' when nothing follows), else None."""
    m = _CHANGE.match(_clean(text))
    if m is None:
        return None
    return (m.group("sv") or m.group("en") or m.group("en2") or "").strip()


# --- who and where ------------------------------------------------------------------------


def _account(ctx: Context) -> str | None:
    """The chat account behind the message; the console's fixed user id names nobody."""
    return None if ctx.message.platform == "console" else ctx.message.user_id


def _actor(ctx: Context) -> str:
    """Who acted, for the audit log (and so the certificate): the chat account, or on the
    console the name given with --as."""
    m = ctx.message
    return f"{m.platform}:{_account(ctx) or m.user_name or m.user_id or '?'}"


def _all_organisations(session: Session) -> list[Organisation]:
    return list(session.exec(select(Organisation).order_by(col(Organisation.name))).all())


def _organisation(ctx: Context) -> Organisation | None:
    if ctx.organisation is not None:
        return ctx.organisation
    if ctx.person is not None:
        return ctx.session.get(Organisation, ctx.person.organisation_id)
    organisations = _all_organisations(ctx.session)
    return organisations[0] if len(organisations) == 1 else None


def _named_organisations(session: Session, text: str) -> list[Organisation]:
    """Organisations whose distinctive name words the question uses ('Umeåregionen', 'Jämtlands')."""
    noise = {"samordningsförbundet", "samordningsförbund", "förbundet", "i", "län", "läns"}
    lowered = text.lower()
    found = []
    for org in _all_organisations(session):
        words = [w for w in re.findall(r"[a-zåäöé]+", org.name.lower()) if w not in noise and len(w) >= 4]
        if any(re.search(rf"\b{re.escape(w[:max(4, len(w) - 2)])}", lowered) for w in words):
            found.append(org)
    return found


def _scope(ctx: Context) -> list[Organisation]:
    """The organisations a question is about: named in it, else the conversation's, else all."""
    named = _named_organisations(ctx.session, ctx.message.text or "")
    if named:
        return named
    org = _organisation(ctx)
    return [org] if org is not None else _all_organisations(ctx.session)


def _person_in(ctx: Context, organisation_id: int | None) -> Person | None:
    """The person behind the message inside one organisation: by platform id, or by name on the console."""
    m = ctx.message
    if organisation_id is None:
        return None
    if m.platform in ("slack", "teams"):
        if not m.user_id:
            return None
        column = Person.slack_user_id if m.platform == "slack" else Person.teams_aad_id
        return ctx.session.exec(select(Person).where(Person.organisation_id == organisation_id,
                                                     column == m.user_id)).first()
    if m.user_name:
        return j.person_by_name(ctx.session, organisation_id, m.user_name)
    return None


def _may_administer(ctx: Context, organisation: Organisation, protocol: Protocol | None) -> bool:
    # Whoever runs the console or the command line has the store itself: the secretary's seat.
    if ctx.message.platform == "console":
        return True
    return j.is_secretary(ctx.session, _person_in(ctx, organisation.id), organisation, protocol, ctx.today)


def _source(view: j.RoundView) -> Source:
    return protocol_source(view.organisation, view.document, view.protocol)


def protocol_source(organisation: Organisation, document: Document, protocol: Protocol) -> Source:
    return Source(organisation=organisation.name, document=document.title or document.file_name,
                  meeting_date=protocol.meeting_date, kind="protokoll")


def _refuse(ctx: Context, sv: str, en: str) -> Reply:
    return Reply(ctx.t(sv, en), answered=False, private=True, language=ctx.language)


# --- the round message --------------------------------------------------------------------


def _short(text: str | None, limit: int = 140) -> str:
    """The first line, cut at a word boundary (never mid-word) when it is longer than `limit`."""
    if not text:
        return ""
    first = " ".join(text.strip().splitlines()[0].split()) if text.strip() else ""
    if len(first) <= limit:
        return first
    cut = first[: limit - 1]
    if not first[limit - 1].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:–-") + " …"


def version_file(session: Session, view: j.RoundView, language: str) -> TextFile | None:
    """Exactly the protocol text the round's version hash was taken of, to read before signing."""
    rnd, protocol = view.round, view.protocol
    document: Document | None = view.document
    if document is None or document.content_hash != rnd.version_hash:
        document = session.exec(select(Document).where(Document.organisation_id == protocol.organisation_id,
                                                       Document.content_hash == rnd.version_hash)).first()
    if document is None:
        return None
    short = j.short_hash(rnd.version_hash)
    meeting = protocol.meeting_date.isoformat()
    title = (f"Protokoll {meeting}, version {short} (SHA-256 {rnd.version_hash})" if language != "en"
             else f"Minutes {meeting}, version {short} (SHA-256 {rnd.version_hash})")
    return TextFile(filename=f"protokoll-{meeting}-{short}.txt", title=title, text=document.text)


def _names(states: list[j.SignerState], language: str) -> str:
    names = [f"{s.person.name} ({s.role})" for s in states]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + (" and " if language == "en" else " och ") + names[-1]


def round_message(session: Session, view: j.RoundView, language: str, today: dt.date) -> Reply:
    """The thread's root: what is being verified, by whom, until when, and where each signer stands."""
    en = language == "en"
    rnd, protocol, org = view.round, view.protocol, view.organisation
    meeting = protocol.meeting_date.isoformat()
    lines: list[str] = []
    if rnd.status == "done":
        lines.append(f"Justerat: protokoll från sammanträdet {meeting} – {org.name}" if not en
                     else f"Justerat (verified): minutes of the meeting on {meeting} – {org.name}")
    else:
        lines.append(f"Justering: protokoll från sammanträdet {meeting} – {org.name} (ojusterat)" if not en
                     else f"Justering: minutes of the meeting on {meeting} – {org.name} (ojusterat, not yet verified)")
    parts = [f"Version {j.short_hash(rnd.version_hash)}"]
    if protocol.paragraph_range:
        rng = protocol.paragraph_range
        parts.append(rng if rng.startswith("§") else f"§§ {rng}")
    parts.append(f"justera senast {rnd.deadline.isoformat()}" if not en
                  else f"deadline {rnd.deadline.isoformat()}")
    lines.append(" · ".join(parts))
    if rnd.status != "done" and today > rnd.deadline:
        lines.append(f"Obs: fristen {rnd.deadline.isoformat()} har passerat." if not en
                     else f"Note: the deadline {rnd.deadline.isoformat()} has passed.")
    if rnd.status == "paused":
        for request in view.open_change_requests:
            who = session.get(Person, request.person_id)
            name = who.name if who else "?"
            lines.append(f"Pausad: {name} begär ändring: ”{request.text}”. Väntar på en ny version." if not en
                         else f"Paused: {name} requests a change: “{request.text}”. Waiting for a new version.")
    lines.append("")
    for p in j.paragraphs(session, protocol):
        decision = _short(p.decision)
        lines.append(f"§ {p.number} {p.title}" + (f": {decision}" if decision else ""))
    lines.append("")
    lines.append("Justerare:" if not en else "Signers:")
    for s in view.signers:
        if s.confirmation is not None:
            mark = (f"✓ justerat {j.local_time(s.confirmation.confirmed_at)[:16]}" if not en
                    else f"✓ signed {j.local_time(s.confirmation.confirmed_at)[:16]}")
        else:
            mark = "väntar" if not en else "waiting"
        lines.append(f"• {s.person.name} ({s.role}): {mark}")
    reply = Reply("", sources=[_source(view)], language=language,
                  mentions=[Mention(s.person.name, s.person.slack_user_id, s.person.teams_aad_id)
                            for s in view.signers])
    if rnd.status == "done" and protocol.justering_date:
        lines.append("")
        lines.append(_anslag_sentence(protocol, language))
    elif rnd.status in j.ACTIVE_STATUSES:
        lines.append("")
        short = j.short_hash(rnd.version_hash)
        lines.append(f"Tryck ”Justera” eller svara ”justerat {short}” här i tråden när du har läst version "
                     f"{short} av protokollet. Vill du ändra något: svara ”Begär ändring: …”." if not en else
                     f"Press “Justera” or reply “approved {short}” in this thread once you have read version "
                     f"{short} of the minutes. To ask for a change, reply “Request change: …”.")
        reply.text_file = version_file(session, view, language)
        # The button carries the version shown here: a click after a corrected text is refused.
        reply.actions = [Action("Justera", CONFIRM_ACTION, f"{rnd.id}:{rnd.version_hash}", style="primary"),
                         Action("Begär ändring", CHANGE_ACTION, str(rnd.id), style="danger")]
    reply.text = "\n".join(lines)
    reply.facts = [("Sammanträde" if not en else "Meeting", meeting),
                   ("Version", j.short_hash(rnd.version_hash)),
                   ("Senast" if not en else "Deadline", rnd.deadline.isoformat()),
                   ("Status", protocol.status if rnd.status == "done" else "ojusterat")]
    return reply


def _anslag_sentence(protocol: Protocol, language: str) -> str:
    post_by, take_down = protocol.anslag_post_by, protocol.anslag_take_down_from
    if language == "en":
        text = f"Justerat {protocol.justering_date}."
        if post_by:
            text += f" Post the notice (anslag) no later than {post_by}"
            text += f"; it may come down from {take_down} (after the appeal period)." if take_down else "."
        return text
    text = f"Justerat {protocol.justering_date}."
    if post_by:
        text += f" Anslaget ska sättas upp senast {post_by}"
        text += f" och får tas ned tidigast {take_down} (efter överklagandetiden)." if take_down else "."
    return text


# --- start --------------------------------------------------------------------------------


def _find_protocol(ctx: Context, organisation: Organisation, words: str) -> tuple[Protocol | None, str]:
    """The protocol a command names ('2023-11-24', '24 november', 'senaste'); else why not."""
    assert organisation.id is not None
    words = words.strip()
    if words.lower() in ("senaste", "senast", "latest", "last"):
        protocol = j.latest_protocol(ctx.session, organisation.id)
        if protocol is None:
            return None, ctx.t(f"{organisation.name} har inga protokoll i registret.",
                               f"{organisation.name} has no minutes in the store.")
        return protocol, ""
    spans = [s for s in find_dates(words, ctx.today) if s.exact]
    if not spans:
        return None, ctx.t("Vilket protokoll? Skriv mötesdatumet, t.ex. ”justera 2023-11-24”, eller ”justera senaste”.",
                           "Which minutes? Give the meeting date, e.g. “justera 2023-11-24”, or “justera latest”.")
    span = spans[0]
    found = j.protocols_on(ctx.session, organisation.id, span.start, any_year=not span.year_given)
    if found:
        return found[0], ""
    recent = ctx.session.exec(select(Protocol).where(Protocol.organisation_id == organisation.id)
                              .order_by(col(Protocol.meeting_date).desc()).limit(5)).all()
    known = ", ".join(p.meeting_date.isoformat() for p in recent) or ctx.t("inga", "none")
    return None, ctx.t(f"Jag hittar inget protokoll från {span.start.isoformat()} för {organisation.name}. "
                       f"Protokoll som finns: {known}.",
                       f"I find no minutes of {span.start.isoformat()} for {organisation.name}. "
                       f"Minutes in the store: {known}.")


def _which_organisation(ctx: Context) -> Reply:
    hint = ctx.message.organisation_hint
    if hint:
        return Reply(ctx.t(f"Inget förbund i registret heter ”{hint}”.", f"No förbund in the store is called “{hint}”."),
                     answered=False, language=ctx.language)
    return Reply(ctx.t("Vilket förbund gäller det? Koppla kanalen till förbundet (”koppla …”) eller ange det "
                       "med --org.", "Which förbund is it? Link this channel to it or give --org."),
                 answered=False, language=ctx.language)


@command("justera", "starta justering", "start justering",
         help_sv="justera <mötesdatum|senaste>: starta digital justering av ett protokoll (sekreterare)",
         help_en="start justering <meeting date|latest>: start digital justering of minutes (secretary)")
def start_command(ctx: Context, rest: str) -> Reply:
    organisation = _organisation(ctx)
    if organisation is None:
        return _which_organisation(ctx)
    protocol, problem = _find_protocol(ctx, organisation, rest)
    if protocol is None:
        return Reply(problem, answered=False, language=ctx.language)
    assert protocol.id is not None
    if not _may_administer(ctx, organisation, protocol):
        j.audit(ctx.session, organisation.id, _actor(ctx), "justering.start_refused", f"protocol:{protocol.id}",
                {"user_id": ctx.message.user_id}, ctx.now)
        return _refuse(ctx, "Bara sekreteraren eller en administratör kan starta en justering.",
                       "Only the secretary or an admin can start a justering.")
    starter = _person_in(ctx, organisation.id)
    started_by = starter.name if starter else (ctx.message.user_name or _actor(ctx))
    outcome = j.start_round(ctx.session, protocol, started_by=started_by, actor=_actor(ctx), now=ctx.now)
    meeting = protocol.meeting_date.isoformat()
    if outcome.status == "already_justerat":
        when = f" {protocol.justering_date.isoformat()}" if protocol.justering_date else ""
        return Reply(ctx.t(f"Protokollet från {meeting} är redan justerat{when}.",
                           f"The minutes of {meeting} are already justerat{when}."),
                     answered=False, language=ctx.language)
    if outcome.status == "no_signers":
        roles = ", ".join(j.signer_roles(organisation))
        return Reply(ctx.t(f"Protokollet från {meeting} anger ingen som ska justera ({roles}). Lägg in "
                           "justerare och ordförande i protokollet och läs in det igen.",
                           f"The minutes of {meeting} name nobody who signs ({roles}). Add the justerare and "
                           "the chair to the minutes and load them again."),
                     answered=False, language=ctx.language)
    assert outcome.round is not None
    view = j.view(ctx.session, outcome.round)
    if outcome.status == "exists" and outcome.round.thread_id and outcome.round.platform == ctx.message.platform:
        reply = status_reply(ctx, view)
        reply.text = ctx.t("Justering pågår redan i en tråd. ", "A justering is already running in a thread. ") \
            + reply.text
        return reply
    # New, or started elsewhere (command line, another platform): post it as this thread's root;
    # the buttons carry the round id, so an earlier root keeps working.
    reply = round_message(ctx.session, view, ctx.language, ctx.today)
    reply.anchor = f"{ANCHOR_PREFIX}:{outcome.round.id}"
    return reply


@anchor(ANCHOR_PREFIX)
def bind_round_thread(session: Session, value: str, platform: str, channel_id: str, message_id: str) -> None:
    if value.isdigit():
        # The store's clock (BOARDBOT_NOW in the demo): the log's entries stay in the order they happened.
        j.bind_thread(session, int(value), platform, channel_id, message_id, clock.now())


# --- confirm ------------------------------------------------------------------------------


def _round_from_value(ctx: Context, value: str) -> JusteringRound | None:
    head = value.strip().split(":", 1)[0]
    return ctx.session.get(JusteringRound, int(head)) if head.isdigit() else None


def _version_from_value(value: str) -> str | None:
    """The version hash a button carries ("<round>:<hash>"); None on buttons from before versions."""
    _, _, version = value.strip().partition(":")
    return version or None


def _round_protocol_org(ctx: Context, rnd: JusteringRound) -> tuple[Protocol, Organisation]:
    protocol = ctx.session.get(Protocol, rnd.protocol_id)
    assert protocol is not None
    organisation = ctx.session.get(Organisation, protocol.organisation_id)
    assert organisation is not None
    return protocol, organisation


def _ask_once_more(ctx: Context, view: j.RoundView) -> Reply:
    """The question before recording: which protocol, which version, with the button that records it."""
    meeting = view.protocol.meeting_date.isoformat()
    version = view.round.version_hash
    short = j.short_hash(version)
    text = ctx.t(f"Justera protokollet {meeting} ({view.organisation.name}), version {short}…? Du intygar att "
                 f"protokollet i den versionen (SHA-256 {version}) stämmer med det som beslutades. "
                 f"Tryck ”Ja, justera” (eller svara ”justerat {short}”).",
                 f"Justera (sign) the minutes {meeting} ({view.organisation.name}), version {short}…? You confirm "
                 f"that this version of the text (SHA-256 {version}) is what was decided. "
                 f"Press “Ja, justera” (or reply “approved {short}”).")
    assert view.round.id is not None
    # Private where the platform can show a message to one person inside the thread (Slack,
    # console). Teams cannot: its private answers go to a 1:1 chat, which would take the
    # confirmation out of the thread, so there the question stays in the thread (it names no
    # one, and anyone pressing its button is checked as themselves).
    return Reply(text, sources=[_source(view)], private=ctx.message.platform != "teams", language=ctx.language,
                 actions=[Action(ctx.t(f"Ja, justera version {short}", f"Ja, justera (sign) version {short}"),
                                 CONFIRM_VERSION_ACTION, f"{view.round.id}:{version}", style="primary")])


def _version_changed(ctx: Context, view: j.RoundView, shown: str) -> Reply:
    meeting = view.protocol.meeting_date.isoformat()
    new = j.short_hash(view.round.version_hash)
    old = j.short_hash(shown) if len(shown) >= j.MIN_SHOWN_HASH else shown
    reply = _refuse(
        ctx,
        f"Texten har ändrats: du fick version {old} av protokollet från {meeting}, men nu gäller version {new}. "
        "Ingen justering har registrerats. Läs den nya versionen i justeringstråden och justera den.",
        f"The text has changed: you were shown version {old} of the minutes of {meeting}, but version {new} is now "
        "the current one. Nothing was recorded. Read the new version in the justering thread and sign that.")
    reply.sources = [_source(view)]
    # The thread's root shows the current version (and buttons bound to it) from now on.
    reply.followups = [Followup("update_root", reply=round_message(ctx.session, view, ctx.language, ctx.today))]
    return reply


def confirm_round(ctx: Context, rnd: JusteringRound, shown: str | None = None, *, final: bool = False) -> Reply:
    """A signer's confirmation: the first step asks once more with the version, the second records it.

    `shown` is the version hash the signer was shown (by the button, the question or typed);
    a confirmation is recorded only when `final` and `shown` is the round's current text.
    """
    _, organisation = _round_protocol_org(ctx, rnd)
    person = _person_in(ctx, organisation.id)
    assert rnd.id is not None
    record = final and shown is not None
    outcome = j.confirm(ctx.session, rnd.id, person, version_hash=shown, platform=ctx.message.platform,
                        platform_user_id=_account(ctx), actor=_actor(ctx), now=ctx.now, record=record)
    view = outcome.view
    if outcome.status == "unknown_round" or view is None:
        return _refuse(ctx, "Den justeringen finns inte längre.", "That justering no longer exists.")
    if outcome.status == "ready":
        return _ask_once_more(ctx, view)
    if outcome.status == "changed":
        assert shown is not None
        return _version_changed(ctx, view, shown)
    meeting = view.protocol.meeting_date.isoformat()
    if outcome.status == "not_signer":
        signers = _names(view.signers, ctx.language)
        if person is None and ctx.message.platform != "console":
            return _refuse(ctx, f"Jag känner inte igen dig i {view.organisation.name}s register, så jag kan inte "
                                f"ta emot din justering. Utsedda att justera: {signers}. Be sekreteraren koppla "
                                "ditt konto.",
                           f"I do not recognise you in {view.organisation.name}'s register, so I cannot take your "
                           f"justering. Designated signers: {signers}. Ask the secretary to link your account.")
        return _refuse(ctx, f"Du är inte utsedd att justera protokollet från {meeting}. Utsedda: {signers}.",
                       f"You are not designated to sign the minutes of {meeting}. Designated: {signers}.")
    if outcome.status == "already":
        when = j.local_time(outcome.confirmation.confirmed_at)[:16] if outcome.confirmation else ""
        return _refuse(ctx, f"Du har redan justerat den här versionen av protokollet från {meeting} ({when}).",
                       f"You have already signed this version of the minutes of {meeting} ({when}).")
    if outcome.status == "paused":
        return _refuse(ctx, "Justeringen är pausad eftersom en ändring har begärts. Vänta på den nya versionen "
                            "(eller på att sekreteraren återupptar justeringen).",
                       "The justering is paused because a change was requested. Wait for the new version "
                       "(or for the secretary to resume it).")
    if outcome.status == "closed":
        return _refuse(ctx, f"Justeringen av protokollet från {meeting} är redan avslutad.",
                       f"The justering of the minutes of {meeting} is already finished.")
    assert person is not None
    root = round_message(ctx.session, view, ctx.language, ctx.today)
    if not outcome.completed:
        waiting = _names(view.pending, ctx.language)
        text = ctx.t(f"✓ {person.name} har justerat protokollet från {meeting} (version "
                     f"{j.short_hash(view.round.version_hash)}). {len(view.confirmed)} av {len(view.signers)} klara; "
                     f"väntar på {waiting}.",
                     f"✓ {person.name} has signed the minutes of {meeting} (version "
                     f"{j.short_hash(view.round.version_hash)}). {len(view.confirmed)} of {len(view.signers)} done; "
                     f"waiting for {waiting}.")
        return Reply(text, sources=[_source(view)], language=ctx.language,
                     followups=[Followup("update_root", reply=root)])
    certificate = render_text(build_certificate(ctx.session, view.round, ctx.now))
    done = ctx.t(f"✓ {person.name} har justerat. Alla har justerat: protokollet från {meeting} är justerat. ",
                 f"✓ {person.name} has signed. Everyone has signed: the minutes of {meeting} are justerat. ")
    text = done + _anslag_sentence(view.protocol, ctx.language) + "\n\n" + certificate
    followups = [Followup("update_root", reply=root)]
    for secretary in j.secretaries(ctx.session, view.organisation, view.protocol):
        followups.append(Followup("notify_person", person_id=secretary.id, text=(
            f"Protokollet från {meeting} ({view.organisation.name}) är justerat. "
            + _anslag_sentence(view.protocol, "sv"))))
    return Reply(text, sources=[_source(view)], language=ctx.language, followups=followups)


@thread_handler
def justering_thread(ctx: Context) -> Reply | None:
    m = ctx.message
    if not m.thread_id:
        return None
    rnd = j.round_for_thread(ctx.session, m.platform, m.thread_id, m.conversation_id)
    if rnd is None and m.conversation_id:
        rnd = j.round_for_thread(ctx.session, m.platform, m.thread_id)
    if rnd is None:
        return None
    wanted = change_text(m.text)
    if wanted is not None:
        return change_round(ctx, rnd, wanted)
    if is_confirmation(m.text):
        # "justerat 3f2a9c01b7de" names the version and records; a bare "justerat" asks once more.
        shown = typed_version(m.text)
        return confirm_round(ctx, rnd, shown, final=shown is not None)
    return None


def _my_active_rounds(ctx: Context) -> list[JusteringRound]:
    """Rounds where the asker is a signer (for 'justerat' typed outside the thread)."""
    found: list[JusteringRound] = []
    for org in ([_organisation(ctx)] if _organisation(ctx) else _all_organisations(ctx.session)):
        if org is None:
            continue
        person = _person_in(ctx, org.id)
        if person is None:
            continue
        for rnd in j.rounds_in_progress(ctx.session, org.id):
            if any(s.person.id == person.id for s in j.view(ctx.session, rnd).signers):
                found.append(rnd)
    return found


def _outside_thread(ctx: Context) -> JusteringRound | Reply:
    mine = _my_active_rounds(ctx)
    if len(mine) == 1:
        return mine[0]
    if not mine:
        return _refuse(ctx, "Jag hittar ingen pågående justering där du är utsedd att justera. Svara i "
                            "justeringstråden.",
                       "I find no running justering where you are a designated signer. Reply in the justering thread.")
    dates = ", ".join(j.view(ctx.session, r).protocol.meeting_date.isoformat() for r in mine)
    return _refuse(ctx, f"Flera justeringar pågår ({dates}); svara i tråden för det protokoll du menar.",
                   f"Several justeringar are running ({dates}); reply in the thread of the minutes you mean.")


@command("justerat", "jag justerar", "godkänner", "jag godkänner", "approve", "approved")
def confirm_command(ctx: Context, rest: str) -> Reply:
    if not is_bare_confirmation(ctx.message.text):
        # "approved grants 2023" is a question, not a signature.
        return answer_question(ctx)
    target = _outside_thread(ctx)
    if isinstance(target, Reply):
        return target
    shown = typed_version(ctx.message.text)
    return confirm_round(ctx, target, shown, final=shown is not None)


@action(CONFIRM_ACTION)
def confirm_button(ctx: Context, value: str) -> Reply:
    """'Justera' on the thread's root: checks, then asks once more (nothing is recorded yet)."""
    rnd = _round_from_value(ctx, value)
    if rnd is None:
        return _refuse(ctx, "Den justeringen finns inte längre.", "That justering no longer exists.")
    return confirm_round(ctx, rnd, _version_from_value(value))


@action(CONFIRM_VERSION_ACTION)
def confirm_version_button(ctx: Context, value: str) -> Reply:
    """'Ja, justera version …' under the question: records, if the text is still that version."""
    rnd = _round_from_value(ctx, value)
    if rnd is None:
        return _refuse(ctx, "Den justeringen finns inte längre.", "That justering no longer exists.")
    shown = _version_from_value(value)
    return confirm_round(ctx, rnd, shown, final=shown is not None)


# --- change requests and resume -----------------------------------------------------------


def change_round(ctx: Context, rnd: JusteringRound, wanted: str) -> Reply:
    protocol, organisation = _round_protocol_org(ctx, rnd)
    meeting = protocol.meeting_date.isoformat()
    if not wanted:
        return _refuse(ctx, "Skriv vad som ska ändras, t.ex. ”Begär ändring: § 112 ska ha beloppet 250 000 kr”.",
                       "Say what should change, e.g. “Request change: § 112 should say 250 000 kr”.")
    person = _person_in(ctx, organisation.id)
    assert rnd.id is not None
    outcome = j.request_change(ctx.session, rnd.id, person, wanted,
                               may_request=_may_administer(ctx, organisation, protocol),
                               actor=_actor(ctx), now=ctx.now)
    view = outcome.view
    if outcome.status == "unknown_round" or view is None:
        return _refuse(ctx, "Den justeringen finns inte längre.", "That justering no longer exists.")
    if outcome.status == "not_allowed":
        return _refuse(ctx, "Bara de som ska justera (och sekreteraren) kan begära ändring i protokollet.",
                       "Only the designated signers (and the secretary) can request a change.")
    if outcome.status == "closed":
        return _refuse(ctx, f"Protokollet från {meeting} är redan justerat; en ändring nu kräver ett nytt beslut.",
                       f"The minutes of {meeting} are already justerat; a change now needs a new decision.")
    assert person is not None
    followups = [Followup("update_root", reply=round_message(ctx.session, view, ctx.language, ctx.today))]
    for secretary in j.secretaries(ctx.session, view.organisation, view.protocol):
        followups.append(Followup("notify_person", person_id=secretary.id, text=(
            f"{person.name} begär ändring i protokollet från {meeting} ({view.organisation.name}, ojusterat): "
            f"”{wanted}”. Justeringen är pausad. Läs in en rättad version så startar den om, eller skriv "
            f"”återuppta justering {meeting}” om ingen ändring behövs.")))
    text = ctx.t(f"{person.name} begär ändring: ”{wanted}”. Justeringen av protokollet från {meeting} är pausad "
                 "tills en rättad version finns; sekreteraren har fått besked.",
                 f"{person.name} requests a change: “{wanted}”. The justering of the minutes of {meeting} is "
                 "paused until a corrected version exists; the secretary has been told.")
    return Reply(text, sources=[_source(view)], language=ctx.language, followups=followups)


@command("begär ändring", "begär ändringar", "request change", "request changes",
         help_sv="begär ändring: <vad>: be om ändring i ett protokoll under justering",
         help_en="request change: <what>: ask for a change to minutes being verified")
def change_command(ctx: Context, rest: str) -> Reply:
    wanted = change_text(ctx.message.text) or ""
    target = _outside_thread(ctx)
    return target if isinstance(target, Reply) else change_round(ctx, target, wanted)


@action(CHANGE_ACTION)
def change_button(ctx: Context, value: str) -> Reply:
    rnd = _round_from_value(ctx, value)
    if rnd is None:
        return _refuse(ctx, "Den justeringen finns inte längre.", "That justering no longer exists.")
    # A card with a text field (Teams) sends what was typed; a plain button sends only the round.
    typed = (ctx.message.text or "").strip()
    if typed and typed.lower() not in ("begär ändring", "request change"):
        return change_round(ctx, rnd, change_text(typed) or typed)
    return _refuse(ctx, "Skriv i tråden vad som ska ändras: ”Begär ändring: …”.",
                   "Write in the thread what should change: “Request change: …”.")


def _round_for_command(ctx: Context, rest: str) -> JusteringRound | Reply:
    """The round a secretary's command means: the thread's, or the one of the named meeting."""
    m = ctx.message
    if m.thread_id and not rest.strip():
        rnd = j.round_for_thread(ctx.session, m.platform, m.thread_id)
        if rnd is not None:
            return rnd
    organisation = _organisation(ctx)
    if organisation is None:
        return _which_organisation(ctx)
    protocol, problem = _find_protocol(ctx, organisation, rest or "senaste")
    if protocol is None or protocol.id is None:
        return Reply(problem, answered=False, language=ctx.language)
    rnd = j.latest_round(ctx.session, protocol.id)
    if rnd is None:
        return Reply(ctx.t(f"Ingen justering har startats för protokollet från {protocol.meeting_date}.",
                           f"No justering has been started for the minutes of {protocol.meeting_date}."),
                     answered=False, language=ctx.language)
    return rnd


@command("återuppta justering", "återuppta justeringen", "resume justering",
         help_sv="återuppta justering <mötesdatum>: fortsätt utan ändring efter en ändringsbegäran (sekreterare)",
         help_en="resume justering <meeting date>: go on without a change after a change request (secretary)")
def resume_command(ctx: Context, rest: str) -> Reply:
    target = _round_for_command(ctx, rest)
    if isinstance(target, Reply):
        return target
    protocol, organisation = _round_protocol_org(ctx, target)
    if not _may_administer(ctx, organisation, protocol):
        j.audit(ctx.session, organisation.id, _actor(ctx), "justering.resume_refused",
                f"justering_round:{target.id}", {}, ctx.now)
        return _refuse(ctx, "Bara sekreteraren eller en administratör kan återuppta en justering.",
                       "Only the secretary or an admin can resume a justering.")
    if target.status != "paused":
        return Reply(ctx.t("Justeringen är inte pausad.", "The justering is not paused."), answered=False,
                     language=ctx.language)
    person = _person_in(ctx, organisation.id)
    name = person.name if person else (ctx.message.user_name or "sekreteraren")
    view = j.resume(ctx.session, target, resolution=f"ingen ändring (beslut av {name})", actor=_actor(ctx),
                    now=ctx.now)
    root = round_message(ctx.session, view, ctx.language, ctx.today)
    text = ctx.t(f"Justeringen av protokollet från {protocol.meeting_date} fortsätter utan ändring; "
                 "tidigare justeringar av samma version gäller.",
                 f"The justering of the minutes of {protocol.meeting_date} goes on without a change; "
                 "earlier signatures of the same version stand.")
    if view.round.status == "done":
        text += " " + _anslag_sentence(view.protocol, ctx.language)
    return Reply(text, sources=[_source(view)], language=ctx.language,
                 followups=[Followup("update_root", reply=root)])


@command("justeringsintyg", "intyg", "certificate",
         help_sv="justeringsintyg <mötesdatum>: intyg över vem som justerat vad och när",
         help_en="certificate <meeting date>: who signed which version when")
def certificate_command(ctx: Context, rest: str) -> Reply:
    target = _round_for_command(ctx, rest)
    if isinstance(target, Reply):
        return target
    view = j.view(ctx.session, target)
    try:
        certificate = build_certificate(ctx.session, target, ctx.now)
    except NotInLog as exc:
        return Reply(ctx.t(str(exc), f"The audit log lacks the start of justering round {target.id}, so no "
                                     "certificate can be issued from it. Check the log with "
                                     "`boardbot justering verify`."), answered=False, language=ctx.language)
    return Reply(render_text(certificate), sources=[_source(view)], language=ctx.language)


# --- questions ----------------------------------------------------------------------------

_PENDING = (
    re.compile(r"\b(vem|vilka)\b.*\b(inte|ej)\b.*\bjuster", re.IGNORECASE),
    re.compile(r"\bhar\s+alla\b.*\bjuster", re.IGNORECASE),
    re.compile(r"\bvem\b.*\b(återstår|saknas|väntar)\b.*\bjuster", re.IGNORECASE),
    re.compile(r"\bwho\b.*\b(not|n't)\b.*\b(sign|approv|justera|verif)", re.IGNORECASE),
    re.compile(r"\b(has|have)\s+(everyone|everybody|all)\b.*\b(sign|approv|justera|verif)", re.IGNORECASE),
)
_YES_NO = re.compile(r"^\s*(har|has|have)\b", re.IGNORECASE)
_IS_JUSTERAT = re.compile(
    r"^\s*(är|har|is|has|have)\b.*\b(protokoll\w*|minutes|protocol)\b.*\b(justera\w*|signed|verified|approved)\b",
    re.IGNORECASE)
_NOTICES = (
    re.compile(r"\banslag\w*\b.*\b(korrekt\w*|rätt|riktig\w*|i ordning|stämmer|enligt reglerna|ok)\b",
               re.IGNORECASE),
    re.compile(r"\b(korrekt\w*|rätt|stämmer)\b.*\banslag", re.IGNORECASE),
    re.compile(r"\bnotices?\b.*\b(correct|right|in order|ok|compliant)\b", re.IGNORECASE),
)


def _status_text(ctx: Context, view: j.RoundView) -> str:
    meeting = view.protocol.meeting_date.isoformat()
    org = view.organisation.name
    if view.round.status == "done":
        return ctx.t(f"Alla har justerat protokollet från {meeting} ({org}); det justerades "
                     f"{view.protocol.justering_date}.",
                     f"Everyone has signed the minutes of {meeting} ({org}); they were justerat "
                     f"{view.protocol.justering_date}.")
    waiting = _names(view.pending, ctx.language)
    done = ", ".join(f"{s.person.name} ({j.local_time(s.confirmation.confirmed_at)[:16]})"
                     for s in view.confirmed if s.confirmation is not None)
    text = ctx.t(f"Protokollet från {meeting} ({org}) är ojusterat. Har inte justerat än: {waiting}.",
                 f"The minutes of {meeting} ({org}) are ojusterat (not yet verified). Not signed yet: {waiting}.")
    if done:
        text += ctx.t(f" Har justerat: {done}.", f" Signed: {done}.")
    text += ctx.t(f" Senast {view.round.deadline}.", f" Deadline {view.round.deadline}.")
    if view.round.status == "paused":
        text += ctx.t(" Justeringen är pausad i väntan på en begärd ändring.",
                      " The justering is paused, waiting for a requested change.")
    return text


def status_reply(ctx: Context, view: j.RoundView) -> Reply:
    return Reply(_status_text(ctx, view), sources=[_source(view)], language=ctx.language)


def _rounds_asked_about(ctx: Context) -> list[JusteringRound]:
    m = ctx.message
    if m.thread_id:
        rnd = j.round_for_thread(ctx.session, m.platform, m.thread_id)
        if rnd is not None:
            return [rnd]
    scope = _scope(ctx)
    spans = [s for s in find_dates(m.text or "", ctx.today) if s.exact]
    if spans:
        rounds = []
        for org in scope:
            for protocol in j.protocols_on(ctx.session, org.id, spans[0].start, any_year=not spans[0].year_given):
                assert protocol.id is not None
                rnd = j.latest_round(ctx.session, protocol.id)
                if rnd is not None:
                    rounds.append(rnd)
                    break
        return rounds
    rounds = [r for org in scope for r in j.rounds_in_progress(ctx.session, org.id)]
    if rounds:
        return rounds
    latest = [r for org in scope for r in ctx.session.exec(
        select(JusteringRound).join(Protocol, col(Protocol.id) == col(JusteringRound.protocol_id))
        .where(Protocol.organisation_id == org.id).order_by(col(JusteringRound.id).desc()).limit(1)).all()]
    return latest


def _pending_answer(ctx: Context) -> Reply:
    rounds = _rounds_asked_about(ctx)
    if not rounds:
        return Reply(ctx.t("Ingen justering pågår, och ingen har gjorts här i boardbot.",
                           "No justering is running, and none has been done in boardbot."),
                     language=ctx.language)
    views = [j.view(ctx.session, r) for r in rounds]
    texts = [_status_text(ctx, v) for v in views]
    text = "\n".join(texts)
    if _YES_NO.search(ctx.message.text or ""):
        everyone = all(v.round.status == "done" for v in views)
        text = ctx.t("Ja. " if everyone else "Nej. ", "Yes. " if everyone else "No. ") + text
    return Reply(text, sources=[_source(v) for v in views], language=ctx.language)


def _is_justerat_answer(ctx: Context) -> Reply | None:
    text = ctx.message.text or ""
    spans = [s for s in find_dates(text, ctx.today) if s.exact]
    protocols: list[Protocol] = []
    if spans:
        for org in _scope(ctx):
            protocols += j.protocols_on(ctx.session, org.id, spans[0].start, any_year=not spans[0].year_given)[:1]
        if not protocols:
            return Reply(ctx.t(f"Jag hittar inget protokoll från {spans[0].start.isoformat()}.",
                               f"I find no minutes of {spans[0].start.isoformat()}."),
                         answered=False, language=ctx.language)
    else:
        rounds = _rounds_asked_about(ctx) if ctx.message.thread_id else []
        if not rounds:
            return None
        protocols = [j.view(ctx.session, rounds[0]).protocol]
    replies = [protocol_status(ctx, p) for p in protocols]
    return Reply("\n".join(r.text for r in replies), sources=[s for r in replies for s in r.sources],
                 language=ctx.language)


def protocol_status(ctx: Context, protocol: Protocol) -> Reply:
    """Whether a protocol is justerat, and if not, where its justering stands."""
    organisation = ctx.session.get(Organisation, protocol.organisation_id)
    document = ctx.session.get(Document, protocol.document_id)
    assert organisation is not None and document is not None and protocol.id is not None
    source = protocol_source(organisation, document, protocol)
    meeting = protocol.meeting_date.isoformat()
    if protocol.status == "justerat":
        # Recorded as justerat in a later protocol: cite the § that says so.
        source = recorded_source(ctx.session, organisation, protocol, "justering_date", "anslag_posted") or source
        when = ctx.t(f" {protocol.justering_date}", f" on {protocol.justering_date}") \
            if protocol.justering_date else ""
        line = ctx.t(f"Ja, protokollet från {meeting} ({organisation.name}) justerades{when}",
                     f"Yes, the minutes of {meeting} ({organisation.name}) were justerat{when}")
        if protocol.justering_method:
            line += f" ({protocol.justering_method})"
        if not protocol.justering_date and protocol.anslag_posted:
            line += ctx.t(f"; justeringsdatum anges inte, men anslaget sattes upp {protocol.anslag_posted}",
                          f"; no justering date is given, but the notice went up {protocol.anslag_posted}")
        return Reply(line + ".", sources=[source], language=ctx.language)
    rnd = j.active_round(ctx.session, protocol.id)
    if rnd is not None:
        return Reply(ctx.t("Nej. ", "No. ") + _status_text(ctx, j.view(ctx.session, rnd)), sources=[source],
                     language=ctx.language)
    deadline = j.justering_deadline(protocol.meeting_date, protocol.justering_deadline)
    return Reply(ctx.t(f"Nej, protokollet från {meeting} ({organisation.name}) är ojusterat; ingen justering "
                       f"har startats. Det ska justeras senast {deadline}.",
                       f"No, the minutes of {meeting} ({organisation.name}) are ojusterat (not yet verified); "
                       f"no justering has been started. The deadline is {deadline}."),
                 sources=[source], language=ctx.language)


def describe_finding(f: j.Finding, language: str = "sv") -> str:
    d = f.dates
    head = f"{f.organisation.name}, protokoll {f.protocol.meeting_date.isoformat()}: "
    if language == "en":
        head = f"{f.organisation.name}, minutes of {f.protocol.meeting_date.isoformat()}: "
        texts = {
            "justering_late": f"justerat {d.get('justerat')}, {f.days} days after the meeting; the deadline was "
                              f"{d.get('deadline')} (Local Government Act 5:69).",
            "anslag_before_justering": f"the notice went up {d.get('posted')}, before the justering "
                                       f"{d.get('justerat')}.",
            "anslag_late": f"justerat {d.get('justerat')} but the notice went up {d.get('posted')}, {f.days} days "
                           f"later; it should have gone up by {d.get('post_by')} (the second day after justering, "
                           "Local Government Act 8:12).",
            "anslag_late_after_meeting": f"the notice went up {d.get('posted')}, {f.days} days after the meeting; "
                                         f"with justering by {d.get('deadline')} it should have gone up by "
                                         f"{d.get('post_by')}. The minutes give no justering date, so either the "
                                         "justering or the notice was late.",
            "anslag_too_short": f"the notice was up {d.get('posted')} – {d.get('removed')}, {f.days} days, shorter "
                                f"than three weeks; the appeal period (13:5) ran until {d.get('appeal_end')} and "
                                "the notice must stay up until it has run (8:12).",
        }
        return head + texts[f.code]
    texts = {
        "justering_late": f"justerades {d.get('justerat')}, {f.days} dagar efter sammanträdet; senast "
                          f"{d.get('deadline')} (KL 5 kap. 69 §).",
        "anslag_before_justering": f"anslaget sattes upp {d.get('posted')}, före justeringen {d.get('justerat')}.",
        "anslag_late": f"justerat {d.get('justerat')} men anslaget sattes upp {d.get('posted')}, {f.days} dagar "
                       f"efter justeringen; det skulle ha satts upp senast {d.get('post_by')} (andra dagen efter "
                       "justeringen, KL 8 kap. 12 §).",
        "anslag_late_after_meeting": f"anslaget sattes upp {d.get('posted')}, {f.days} dagar efter sammanträdet. "
                                     f"Med justering senast {d.get('deadline')} skulle det ha satts upp senast "
                                     f"{d.get('post_by')}; protokollet anger inget justeringsdatum, så antingen "
                                     "justeringen eller anslaget kom för sent.",
        "anslag_too_short": f"anslaget var uppe {d.get('posted')}–{d.get('removed')}, {f.days} dagar – kortare än "
                            f"tre veckor. Överklagandetiden (KL 13 kap. 5 §) löpte till {d.get('appeal_end')}, och "
                            "anslaget ska sitta uppe tills den har gått ut (KL 8 kap. 12 §).",
    }
    return head + texts[f.code]


def compliance_text(report: j.ComplianceReport, language: str = "sv") -> str:
    en = language == "en"
    lines: list[str] = []
    if report.findings:
        n = len(report.findings)
        lines.append(f"No – {n} thing{'s' if n > 1 else ''} in the recorded dates break the rules:" if en
                      else f"Nej – {n} {'saker' if n > 1 else 'sak'} i de registrerade datumen följer inte reglerna:")
        lines += [f"• {describe_finding(f, language)}" for f in report.findings]
    elif report.correct:
        lines.append("Yes, the recorded notices follow the rules." if en
                     else "Ja, de registrerade anslagen följer reglerna.")
    else:
        lines.append("There is no justerat protocol with notice dates to check." if en
                     else "Det finns inget justerat protokoll med anslagsdatum att kontrollera.")
    if report.correct:
        ok = "; ".join(
            f"{o.name}, {p.meeting_date.isoformat()} (" + (f"justerat {p.justering_date}, " if p.justering_date
                                                            else "")
            + (f"up {p.anslag_posted} – {p.anslag_removed})" if en else
               f"uppe {p.anslag_posted}–{p.anslag_removed or '?'})")
            for p, o, _ in report.correct)
        lines.append(("In order: " if en else "I ordning: ") + ok + ".")
    if report.unchecked:
        items = "; ".join(
            f"{o.name}, {p.meeting_date.isoformat()}"
            + (f" ({'post by' if en else 'ska sättas upp senast'} {p.anslag_post_by})" if p.anslag_post_by else "")
            for p, o, _, _ in report.unchecked)
        lines.append(("No notice date recorded: " if en else "Inget anslagsdatum registrerat: ") + items + ".")
    return "\n".join(lines)


def _compliance_answer(ctx: Context) -> Reply:
    scope = _scope(ctx)
    report = j.ComplianceReport()
    for org in scope:
        part = j.check_compliance(ctx.session, org.id)
        report.findings += part.findings
        report.correct += part.correct
        report.unchecked += part.unchecked
    sources = [protocol_source(f.organisation, f.document, f.protocol) for f in report.findings]
    sources += [protocol_source(o, d, p) for p, o, d in report.correct]
    return Reply(compliance_text(report, ctx.language), sources=sources, language=ctx.language)


@question_hook
def justering_questions(ctx: Context) -> Reply | None:
    text = ctx.message.text or ""
    if any(p.search(text) for p in _NOTICES):
        return _compliance_answer(ctx)
    if any(p.search(text) for p in _PENDING):
        return _pending_answer(ctx)
    if _IS_JUSTERAT.search(text):
        return _is_justerat_answer(ctx)
    return None
