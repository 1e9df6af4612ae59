"""`koppla <förbund>` and `person <användare> <namn>`: tie a conversation to a förbund and a chat
user to a board member. Only a förbund's admins may do it (or anyone during first run, see
handlers/admins.py); every link, and every refused attempt, goes to the audit log.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable

from rapidfuzz import fuzz, process
from sqlmodel import Session, col, select

from handlers.admins import (
    Permission,
    admin_organisations,
    any_admin,
    identity_column,
    may_administer,
)
from handlers.context import Context
from handlers.messages import Action, Mention, Reply
from handlers.registry import action, command
from storage import justering as j
from storage.models import AuditLog, ConversationLink, Organisation, Person
from storage.organisations import example_name, find_or_create_organisation

log = logging.getLogger(__name__)

MAX_CHOICES = 10
# Slack writes a mentioned user as <@U123> or, in escaped slash-command text, <@U123|name>.
_SLACK_MENTION = re.compile(r"^<@([A-Z0-9]+)(?:\|[^>]*)?>$")
_RAW_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:._\-]{2,}$")

# How an adapter looks up a user's e-mail address (Slack: users.info with users:read.email).
# Registered by bot/ per platform; called from the worker thread that runs the Assistant.
EmailLookup = Callable[[str], "str | None"]
EMAIL_LOOKUPS: dict[str, EmailLookup] = {}


def register_email_lookup(platform: str, lookup: EmailLookup) -> None:
    EMAIL_LOOKUPS[platform] = lookup


def _actor(ctx: Context) -> str:
    who = f"{ctx.message.platform}:{ctx.message.user_id or '?'}"
    return f"{who} ({ctx.person.name})" if ctx.person else who


def _audit(ctx: Context, organisation_id: int | None, action_name: str, subject: str,
           detail: dict[str, object]) -> None:
    ctx.session.add(AuditLog(organisation_id=organisation_id, actor=_actor(ctx), action=action_name,
                             subject=subject, detail=json.dumps(detail, ensure_ascii=False)))


def _refusal(ctx: Context, organisation: Organisation, what: str) -> Reply:
    _audit(ctx, organisation.id, f"{what}.refused", f"{ctx.message.platform}:{ctx.message.conversation_id}",
           {"user": ctx.message.user_id, "text": ctx.message.text[:200]})
    return Reply(
        ctx.t(f"Bara administratörer för {organisation.name} (oftast sekreteraren) kan ändra kopplingar. "
              "Be sekreteraren göra det.",
              f"Only the admins of {organisation.name} (usually the secretary) can change links. "
              "Please ask the secretary."),
        answered=False, private=True, language=ctx.language,
    )


def _first_run_note(ctx: Context, organisation: Organisation) -> str:
    return ctx.t(
        f"\n{organisation.name} har ingen administratör ännu, så jag tillät det (första uppstart). "
        "Koppla dig själv med `person @dig Ditt Namn` så blir du administratör, och sedan kan bara "
        "administratörer ändra kopplingar.",
        f"\n{organisation.name} has no admin yet, so I allowed it (first run). Link yourself with "
        "`person @you Your Name` to become its admin; after that only admins can change links.",
    )


def _in_conversation(ctx: Context) -> bool:
    return ctx.message.platform in ("slack", "teams") and bool(ctx.message.conversation_id)


def _not_in_chat(ctx: Context) -> Reply:
    return Reply(ctx.t("Det här går bara att göra i Slack eller Teams.", "This only works in Slack or Teams."),
                 answered=False, language=ctx.language)


# --- koppla ---------------------------------------------------------------------------------


def _organisation_matches(session: Session, hint: str) -> list[Organisation]:
    wanted = hint.strip().casefold()
    organisations = sorted(session.exec(select(Organisation)).all(), key=lambda o: o.name.casefold())
    exact = [o for o in organisations if o.name.casefold() == wanted]
    if exact:
        return exact
    return [o for o in organisations if wanted in o.name.casefold()]


def _known_organisations(ctx: Context) -> str:
    names = sorted((o.name for o in ctx.session.exec(select(Organisation)).all()), key=str.casefold)
    if not names:
        return ctx.t("Det finns inga förbund i databasen ännu: läs in ett protokoll först "
                     "(`boardbot ingest` eller släpp filen hos mig).",
                     "There are no organisations in the store yet: load a protocol first "
                     "(`boardbot ingest`, or drop the file here).")
    shown = ", ".join(names[:MAX_CHOICES]) + (" …" if len(names) > MAX_CHOICES else "")
    return ctx.t(f"Förbund jag känner till: {shown}.", f"Organisations I know: {shown}.")


@command("koppla", "link", help_sv="kopplar kanalen till ett förbund, t.ex. `koppla {org}` (administratör)",
         help_en="links this channel to an organisation, e.g. `link {org}` (admin)")
def link_conversation_command(ctx: Context, rest: str) -> Reply:
    if not _in_conversation(ctx):
        return _not_in_chat(ctx)
    if not rest.strip():
        example = example_name(ctx.session) or "‹förbund›"
        return Reply(ctx.t(f"Skriv vilket förbund kanalen hör till, t.ex. `koppla {example}`. ",
                           f"Say which organisation this channel belongs to, e.g. `link {example}`. ")
                     + _known_organisations(ctx), answered=False, language=ctx.language)
    new_name = _NEW_ORGANISATION_RE.match(rest.strip())
    if new_name:
        return _create_and_link(ctx, new_name.group(1))
    matches = _organisation_matches(ctx.session, rest)
    if not matches:
        return Reply(ctx.t(f"Jag hittar inget förbund vars namn innehåller \"{rest.strip()}\". ",
                           f"I find no organisation whose name contains \"{rest.strip()}\". ")
                     + _known_organisations(ctx)
                     + ctx.t(f" En ny nämnd eller ett nytt förbund läggs till med `koppla ny {rest.strip()}`.",
                             f" A new board is added with `link new {rest.strip()}`."),
                     answered=False, language=ctx.language)
    _, current = _linked_to(ctx)
    if current is not None and all(o.id != current.id for o in matches) and not _is_admin_of(ctx, current):
        return _move_refusal(ctx, current, matches[0].name)
    permitted = [o for o in matches
                 if may_administer(ctx.session, ctx.message.platform, ctx.message.user_id, o).allowed]
    if not permitted:
        return _refusal(ctx, matches[0], "conversation_link")
    if len(permitted) == 1:
        return link_conversation(ctx, permitted[0])
    return Reply(
        ctx.t(f"Flera förbund matchar \"{rest.strip()}\". Vilket ska kanalen kopplas till?",
              f"Several organisations match \"{rest.strip()}\". Which one should this channel be linked to?"),
        actions=[Action(o.name[:75], "link_conversation", str(o.id)) for o in permitted[:MAX_CHOICES]],
        language=ctx.language,
    )


# "koppla ny Mölndals stad, kommunstyrelsen": a board not in the store yet.
_NEW_ORGANISATION_RE = re.compile(r"^(?:ny|nytt|new)\s+(.{3,120})$", re.IGNORECASE)


def _create_and_link(ctx: Context, name: str) -> Reply:
    """Creates the organisation (as `boardbot ingest --org` does) and links this channel to it.
    Only an admin of some organisation may, or anyone before there is any admin at all."""
    if any_admin(ctx.session) and not admin_organisations(ctx.session, ctx.message.platform, ctx.message.user_id):
        _audit(ctx, None, "organisation_create.refused", f"{ctx.message.platform}:{ctx.message.conversation_id}",
               {"user": ctx.message.user_id, "name": name[:120]})
        return Reply(ctx.t("Bara en administratör kan lägga till en ny nämnd eller ett nytt förbund.",
                           "Only an administrator can add a new board."), answered=False, private=True,
                     language=ctx.language)
    # A channel linked elsewhere moves only with that förbund admin's consent: checked once the
    # name is known to be acceptable, and before anything is created.
    _, current = _linked_to(ctx)
    check = find_or_create_organisation(ctx.session, name, dry_run=True)
    moves = check.created or (check.organisation is not None and current is not None
                              and check.organisation.id != current.id)
    if current is not None and moves and not _is_admin_of(ctx, current):
        return _move_refusal(ctx, current, name)
    choice = find_or_create_organisation(ctx.session, name)
    if choice.organisation is None:
        return Reply(ctx.t(choice.message_sv, choice.message_en), answered=False, private=True,
                     language=ctx.language)
    if choice.created:
        _audit(ctx, choice.organisation.id, "organisation_created", f"organisation:{choice.organisation.id}",
               {"name": choice.organisation.name})
    reply = link_conversation(ctx, choice.organisation)
    if choice.created:
        reply.text = ctx.t(choice.message_sv, choice.message_en) + " " + reply.text
    return reply


@action("link_conversation")
def link_conversation_action(ctx: Context, value: str) -> Reply:
    if not _in_conversation(ctx):
        return _not_in_chat(ctx)
    organisation = ctx.session.get(Organisation, int(value)) if value.isdigit() else None
    if organisation is None:
        return Reply(ctx.t("Det förbundet finns inte längre.", "That organisation no longer exists."),
                     answered=False, private=True, language=ctx.language)
    return link_conversation(ctx, organisation)


def _linked_to(ctx: Context) -> tuple[ConversationLink | None, Organisation | None]:
    link = ctx.session.exec(
        select(ConversationLink).where(ConversationLink.platform == ctx.message.platform,
                                       ConversationLink.conversation_id == (ctx.message.conversation_id or ""))
    ).first()
    return link, (ctx.session.get(Organisation, link.organisation_id) if link and link.organisation_id else None)


def _is_admin_of(ctx: Context, organisation: Organisation) -> bool:
    """A real admin of the organisation: the first-run allowance does not count."""
    return any(o.id == organisation.id
               for o in admin_organisations(ctx.session, ctx.message.platform, ctx.message.user_id))


def _move_refusal(ctx: Context, current: Organisation, wanted: str) -> Reply:
    _audit(ctx, current.id, "conversation_link.refused", f"{ctx.message.platform}:{ctx.message.conversation_id}",
           {"user": ctx.message.user_id, "linked_to": current.name, "wanted": wanted,
            "reason": "not an admin of the organisation the channel is linked to"})
    return Reply(
        ctx.t(f"Kanalen är kopplad till {current.name}. Bara en administratör för {current.name} kan flytta den "
              "till ett annat förbund.",
              f"This channel is linked to {current.name}. Only an admin of {current.name} can move it to "
              "another organisation."),
        answered=False, private=True, language=ctx.language,
    )


def _who(ctx: Context) -> tuple[str, Mention | None]:
    """How the one who acted is named in the channel: their board name, else their chat account."""
    m = ctx.message
    if ctx.person is not None:
        return ctx.person.name, Mention(ctx.person.name, ctx.person.slack_user_id, ctx.person.teams_aad_id)
    handle = f"@{m.user_id or '?'}"
    return handle, Mention(handle, slack_user_id=m.user_id if m.platform == "slack" else None,
                           teams_aad_id=m.user_id if m.platform == "teams" else None)


def link_conversation(ctx: Context, organisation: Organisation) -> Reply:
    link, previous = _linked_to(ctx)
    if previous is not None and previous.id == organisation.id:
        return Reply(ctx.t(f"Kanalen är redan kopplad till {organisation.name}.",
                           f"This channel is already linked to {organisation.name}."), language=ctx.language)
    # A linked channel moves only with the consent of its förbund's admin; the first-run
    # allowance (a förbund without admins) applies only to channels not linked yet.
    if previous is not None and not _is_admin_of(ctx, previous):
        return _move_refusal(ctx, previous, organisation.name)
    permission = may_administer(ctx.session, ctx.message.platform, ctx.message.user_id, organisation)
    if not permission.allowed:
        return _refusal(ctx, organisation, "conversation_link")
    platform, conversation_id = ctx.message.platform, ctx.message.conversation_id or ""
    if link is None:
        link = ConversationLink(platform=platform, conversation_id=conversation_id)
    link.organisation_id = organisation.id
    ctx.session.add(link)
    _audit(ctx, organisation.id, "conversation_linked", f"{platform}:{conversation_id}",
           {"organisation": organisation.name, "previous": previous.name if previous else None,
            "first_run": permission.first_run})
    # Said in the channel, naming who did it, so that its members see a link they did not expect.
    who, mention = _who(ctx)
    text = ctx.t(f"Kanalen är nu kopplad till {organisation.name} av {who}: frågor här besvaras för det förbundet.",
                 f"This channel is now linked to {organisation.name} by {who}: questions here are answered for it.")
    if previous is not None:
        text += ctx.t(f" (Tidigare: {previous.name}.)", f" (Before: {previous.name}.)")
    if permission.first_run:
        text += _first_run_note(ctx, organisation)
    return Reply(text, language=ctx.language, mentions=[mention] if mention else [])


# --- person ---------------------------------------------------------------------------------


def _parse_target(token: str, platform: str) -> str | None:
    mention = _SLACK_MENTION.match(token)
    if mention:
        return mention.group(1) if platform == "slack" else None
    token = token.lstrip("@")
    return token if _RAW_ID.match(token) else None


def _target_organisation(ctx: Context) -> Organisation | None:
    if ctx.organisation is not None:
        return ctx.organisation
    mine = admin_organisations(ctx.session, ctx.message.platform, ctx.message.user_id)
    return mine[0] if len(mine) == 1 else None


def _people_named(session: Session, organisation_id: int, name: str) -> tuple[list[Person], bool]:
    """Board members of the organisation called `name`, and whether the match is exact."""
    people = list(session.exec(select(Person).where(Person.organisation_id == organisation_id)
                               .order_by(col(Person.name))).all())
    wanted = " ".join(name.split()).casefold()
    exact = [p for p in people if p.name.casefold() == wanted]
    if exact:
        return exact, True
    partial = [p for p in people if wanted in p.name.casefold()]
    if partial:
        return partial, False
    # Names in protocols carry OCR slips and initials: a close spelling is offered as a choice.
    close = process.extract(wanted, {p.id: p.name.casefold() for p in people}, scorer=fuzz.WRatio,
                            limit=3, score_cutoff=85)
    by_id = {p.id: p for p in people}
    return [by_id[key] for _, _, key in close], False


@command("person", help_sv="kopplar en användare till en ledamot: `person @användare Förnamn Efternamn` "
         "(administratör)", help_en="links a user to a board member: `person @user First Last` (admin)")
def link_person_command(ctx: Context, rest: str) -> Reply:
    platform = ctx.message.platform
    if identity_column(platform) is None or not _in_conversation(ctx):
        return _not_in_chat(ctx)
    parts = rest.split(maxsplit=1)
    target = _parse_target(parts[0], platform) if parts else None
    if target is None:
        return Reply(ctx.t("Skriv `person @användare Förnamn Efternamn`, med namnet som i protokollen.",
                           "Write `person @user First Last`, with the name as in the protocols."),
                     answered=False, language=ctx.language)
    organisation = _target_organisation(ctx)
    if organisation is None:
        return Reply(ctx.t("Koppla först kanalen till ett förbund med `koppla <förbund>`, så vet jag "
                           "vilken styrelse personen sitter i.",
                           "First link this channel to an organisation with `link <organisation>`, so I "
                           "know which board the person sits on."), answered=False, language=ctx.language)
    assert organisation.id is not None
    if not may_administer(ctx.session, platform, ctx.message.user_id, organisation).allowed:
        return _refusal(ctx, organisation, "person_link")
    name = parts[1].strip() if len(parts) > 1 else ""
    if not name:
        return _suggest_by_email(ctx, organisation, target)
    candidates, exact = _people_named(ctx.session, organisation.id, name)
    if not candidates:
        return Reply(ctx.t(f"Jag hittar ingen ledamot som heter \"{name}\" i {organisation.name}. "
                           "Namnen kommer från protokollens närvarolistor; skriv namnet som där.",
                           f"I find no board member called \"{name}\" in {organisation.name}. The names "
                           "come from the protocols' attendance lists; write it as it appears there."),
                     answered=False, language=ctx.language)
    if exact and len(candidates) == 1:
        return link_person(ctx, candidates[0], target)
    # Anything short of one exact name is confirmed with a click, never guessed.
    return Reply(
        ctx.t(f"Vem menar du med \"{name}\"?", f"Who do you mean by \"{name}\"?"),
        actions=[Action(p.name[:75], "link_person", f"{p.id}:{target}") for p in candidates[:MAX_CHOICES]],
        language=ctx.language,
    )


def _suggest_by_email(ctx: Context, organisation: Organisation, target: str) -> Reply:
    ask_name = ctx.t("Skriv namnet också: `person @användare Förnamn Efternamn`.",
                     "Add the name too: `person @user First Last`.")
    lookup = EMAIL_LOOKUPS.get(ctx.message.platform)
    if lookup is None:
        return Reply(ask_name, answered=False, language=ctx.language)
    try:
        email = lookup(target)
    except Exception:
        log.warning("e-mail lookup of %s failed", target, exc_info=True)
        email = None
    if not email:
        return Reply(ctx.t("Jag kunde inte se användarens e-postadress. ", "I could not see the user's e-mail "
                           "address. ") + ask_name, answered=False, language=ctx.language)
    assert organisation.id is not None
    person = ctx.session.exec(
        select(Person).where(Person.organisation_id == organisation.id,
                             col(Person.email).is_not(None))
    ).all()
    match = [p for p in person if (p.email or "").casefold() == email.casefold()]
    if len(match) != 1:
        return Reply(ctx.t(f"Ingen ledamot i {organisation.name} har e-postadressen {email}. ",
                           f"No board member of {organisation.name} has the e-mail address {email}. ")
                     + ask_name, answered=False, language=ctx.language)
    found = match[0]
    return Reply(
        ctx.t(f"Användaren har e-postadressen {email}, som hör till {found.name} i {organisation.name}. "
              "Ska jag koppla dem?",
              f"The user's e-mail address {email} belongs to {found.name} of {organisation.name}. "
              "Shall I link them?"),
        actions=[Action(ctx.t(f"Ja, koppla till {found.name}", f"Yes, link to {found.name}")[:75],
                        "link_person", f"{found.id}:{target}", style="primary")],
        language=ctx.language,
    )


@action("link_person")
def link_person_action(ctx: Context, value: str) -> Reply:
    person_id, _, target = value.partition(":")
    person = ctx.session.get(Person, int(person_id)) if person_id.isdigit() else None
    if person is None or not target or identity_column(ctx.message.platform) is None:
        return Reply(ctx.t("Den personen finns inte längre.", "That person no longer exists."),
                     answered=False, private=True, language=ctx.language)
    return link_person(ctx, person, target)


def link_person(ctx: Context, person: Person, target: str) -> Reply:
    platform = ctx.message.platform
    organisation = ctx.session.get(Organisation, person.organisation_id)
    assert organisation is not None and organisation.id is not None
    permission: Permission = may_administer(ctx.session, platform, ctx.message.user_id, organisation)
    if not permission.allowed:
        return _refusal(ctx, organisation, "person_link")
    column = identity_column(platform)
    attribute = "slack_user_id" if platform == "slack" else "teams_aad_id"
    # One chat user is one board member per organisation: take the id from anyone else holding it.
    others = ctx.session.exec(
        select(Person).where(Person.organisation_id == organisation.id, column == target, Person.id != person.id)
    ).all()
    for other in others:
        setattr(other, attribute, None)
        ctx.session.add(other)
    previous = getattr(person, attribute)
    setattr(person, attribute, target)
    made_admin = permission.first_run and target == ctx.message.user_id
    if made_admin:
        person.is_admin = True
    ctx.session.add(person)
    _audit(ctx, organisation.id, "person_linked", f"person:{person.id}",
           {"person": person.name, "platform": platform, "user": target, "previous": previous,
            "taken_from": [o.name for o in others], "made_admin": made_admin,
            "first_run": permission.first_run})
    # Whoever holds a signer's chat identity can confirm in their name: a change during a
    # running justering voids that signer's confirmation, is logged, and both accounts and the
    # secretary are told.
    by = ctx.person.name if ctx.person else _actor(ctx)
    changes = j.signer_identity_changed(ctx.session, person, platform, previous, target, by=by, actor=_actor(ctx),
                                        now=ctx.now)
    for other in others:
        changes += j.signer_identity_changed(ctx.session, other, platform, target, None, by=by, actor=_actor(ctx),
                                             now=ctx.now)
    handle = f"@{target}"
    text = ctx.t(f"Klart: {person.name} i {organisation.name} är nu kopplad till {handle}.",
                 f"Done: {person.name} of {organisation.name} is now linked to {handle}.")
    if others:
        text += ctx.t(f" (Användaren var tidigare kopplad till {', '.join(o.name for o in others)}.)",
                      f" (The user was linked to {', '.join(o.name for o in others)} before.)")
    if made_admin:
        text += ctx.t(f"\nDu är nu administratör för {organisation.name} (första uppstart): från och med nu "
                      "kan bara administratörer ändra kopplingar.",
                      f"\nYou are now an admin of {organisation.name} (first run): from now on only admins "
                      "can change links.")
    elif permission.first_run:
        text += _first_run_note(ctx, organisation)
    for change in changes:
        meeting = change.meeting_date.isoformat()
        text += ctx.t(f"\nObs: {change.person} ska justera protokollet från {meeting}, och justeringen pågår. "
                      "Ändringen har loggats och syns i justeringsintyget; båda kontona och sekreteraren får besked.",
                      f"\nNote: {change.person} signs the minutes of {meeting}, and that justering is running. "
                      "The change is logged and shown on the certificate; both accounts and the secretary are told.")
        if change.voided:
            text += ctx.t(f" {j.genitive(change.person)} justering gäller inte längre och behöver göras om.",
                          f" {change.person}'s confirmation no longer counts and must be made again.")
    mention = Mention(handle, slack_user_id=target if platform == "slack" else None,
                      teams_aad_id=target if platform == "teams" else None)
    return Reply(text, mentions=[mention], language=ctx.language)
