"""`sammanfattning`: this week's digest now; `sammanfattning på|av`: the Monday digest (admins).

The digest itself is built in storage/digest.py, shared with the scheduler (scheduler/digest.py),
which sends it on Mondays at 08:00 Europe/Stockholm to the förbund's linked channels when
Organisation.digest_enabled is set. Turning it on or off is audited, and so is a refusal.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from sqlmodel import select

from handlers.admins import may_administer
from handlers.answers import answer_question
from handlers.answers.core import ORG_NOISE, org_mentioned
from handlers.answers.text import tokens
from handlers.context import STOCKHOLM, Context
from handlers.messages import Action, Reply
from handlers.registry import action, command
from storage.digest import build_digest
from storage.models import AuditLog, ConversationLink, Organisation

SV_WORDS = ("sammanfattning", "veckosammanfattning", "veckosammanfattningen", "sammanfattningen")
EN_WORDS = ("digest", "weekly digest")
ON = frozenset({"på", "on", "aktivera", "enable", "start"})
OFF = frozenset({"av", "off", "stäng", "avaktivera", "disable", "stop"})
SHOW = frozenset({"nu", "visa", "now", "show", "veckans", "this", "week", "veckan", "för", "for", "the"})
SEND_TIME = "måndagar kl. 08.00"


def _language(ctx: Context) -> Context:
    said = (ctx.message.text or "").strip().lower()
    if any(said == w or said.startswith(w + " ") for w in EN_WORDS):
        return dataclasses.replace(ctx, language="en")
    return dataclasses.replace(ctx, language="sv")


def _actor(ctx: Context) -> str:
    who = f"{ctx.message.platform}:{ctx.message.user_id or '?'}"
    return f"{who} ({ctx.person.name})" if ctx.person else who


def _at(ctx: Context) -> dt.datetime:
    """The moment the digest is for: now, or midday of the date a console question is asked on."""
    if ctx.message.as_of:
        return dt.datetime.combine(ctx.message.as_of, dt.time(12, 0), tzinfo=STOCKHOLM)
    return ctx.now


def _channels(ctx: Context, organisation: Organisation) -> int:
    return len(ctx.session.exec(select(ConversationLink.id).where(
        ConversationLink.organisation_id == organisation.id)).all())


def _setting_note(ctx: Context, organisation: Organisation) -> str:
    if organisation.digest_enabled:
        return ctx.t(f"Den skickas automatiskt {SEND_TIME}; stäng av med `sammanfattning av`.",
                     "It is sent automatically on Mondays at 08:00; turn it off with `digest off`.")
    return ctx.t(f"Vill ni få den {SEND_TIME}? Skriv `sammanfattning på` (administratör).",
                 "Want it every Monday at 08:00? Type `digest on` (admin).")


def show_digest(ctx: Context, organisation: Organisation) -> Reply:
    digest = build_digest(ctx.session, organisation, _at(ctx))
    return Reply(digest.render(ctx.language) + "\n" + _setting_note(ctx, organisation), language=ctx.language)


def set_digest(ctx: Context, organisation: Organisation, enabled: bool) -> Reply:
    if ctx.message.platform != "console":
        # Whoever runs the console has the store itself; in chat only the förbund's admins decide.
        permission = may_administer(ctx.session, ctx.message.platform, ctx.message.user_id, organisation)
        if not permission.allowed:
            ctx.session.add(AuditLog(organisation_id=organisation.id, actor=_actor(ctx), action="digest.refused",
                                     subject=f"organisation:{organisation.id}",
                                     detail=json.dumps({"wanted": enabled, "text": (ctx.message.text or "")[:200]},
                                                       ensure_ascii=False)))
            return Reply(ctx.t(f"Bara administratörer för {organisation.name} (oftast sekreteraren) kan slå på "
                               "eller av veckosammanfattningen.",
                               f"Only the admins of {organisation.name} (usually the secretary) can turn the weekly "
                               "digest on or off."), answered=False, private=True, language=ctx.language)
    if organisation.digest_enabled == enabled:
        state = ctx.t("på" if enabled else "av", "on" if enabled else "off")
        return Reply(ctx.t(f"Veckosammanfattningen för {organisation.name} är redan {state}.",
                           f"The weekly digest for {organisation.name} is already {state}."), language=ctx.language)
    organisation.digest_enabled = enabled
    ctx.session.add(organisation)
    ctx.session.add(AuditLog(organisation_id=organisation.id, actor=_actor(ctx),
                             action="digest.enabled" if enabled else "digest.disabled",
                             subject=f"organisation:{organisation.id}",
                             detail=json.dumps({"before": not enabled, "after": enabled})))
    ctx.session.flush()
    if not enabled:
        return Reply(ctx.t(f"Veckosammanfattningen för {organisation.name} är avstängd. Den går fortfarande att "
                           "läsa med `sammanfattning`.",
                           f"The weekly digest for {organisation.name} is off. You can still read it with `digest`."),
                     language=ctx.language)
    if _channels(ctx, organisation):
        where_sv, where_en = "till förbundets kopplade kanaler", "to the förbund's linked channels"
    else:
        where_sv = "till konsolen, eftersom ingen kanal är kopplad ännu (koppla en med `koppla <förbund>`)"
        where_en = "to the console, as no channel is linked yet (link one with `link <organisation>`)"
    return Reply(ctx.t(f"Veckosammanfattningen för {organisation.name} är på: den skickas {SEND_TIME} "
                       f"{where_sv}, med nya beslut, möten de närmaste 30 dagarna, justeringar som väntar och "
                       "återrapporteringar att bevaka.",
                       f"The weekly digest for {organisation.name} is on: it is sent on Mondays at 08:00 {where_en}, "
                       "with new decisions, meetings in the next 30 days, justering waiting and report-backs due."),
                 language=ctx.language)


@command(*SV_WORDS, *EN_WORDS,
         help_sv="sammanfattning: veckans sammanfattning nu; sammanfattning på|av: varje måndag kl. 08.00 "
                 "(administratör)",
         help_en="digest: this week's digest now; digest on|off: every Monday at 08:00 (admin)")
def digest_command(ctx: Context, rest: str) -> Reply:
    ctx = _language(ctx)
    words = tokens(rest)
    every = sorted(ctx.session.exec(select(Organisation)).all(), key=lambda o: o.name.casefold())
    named = [o for o in every if org_mentioned(o, words)]
    switch: bool | None = None
    for word in words:
        if word in ON and switch is None:
            switch = True
        elif word in OFF and switch is None:
            switch = False
        elif word in SHOW or word in ORG_NOISE or any(org_mentioned(o, [word]) for o in named):
            continue
        else:
            # "sammanfattning av protokollet 2025-02-14" is a question, not a setting.
            return answer_question(ctx)
    organisations = [ctx.organisation] if ctx.organisation is not None else (named or every)
    if not organisations:
        return Reply(ctx.t("Det finns inga förbund i databasen ännu.", "There are no organisations in the store yet."),
                     answered=False, language=ctx.language)
    if len(organisations) > 1:
        verb = {None: "show", True: "on", False: "off"}[switch]
        return Reply(ctx.t("Vilket förbund gäller det?", "Which förbund?"), answered=False, language=ctx.language,
                     actions=[Action(o.name[:70], "digest.organisation", f"{verb}|{o.id}|{ctx.language}")
                              for o in organisations[:5]])
    organisation = organisations[0]
    if switch is None:
        return show_digest(ctx, organisation)
    return set_digest(ctx, organisation, switch)


@action("digest.organisation")
def digest_in_organisation(ctx: Context, value: str) -> Reply:
    verb, _, rest = value.partition("|")
    org_id, _, language = rest.partition("|")
    organisation = ctx.session.get(Organisation, int(org_id)) if org_id.isdigit() else None
    if organisation is None or verb not in ("show", "on", "off"):
        return Reply(ctx.t("Det valet känner jag inte längre igen.", "I no longer recognise that choice."),
                     answered=False, language=ctx.language)
    ctx = dataclasses.replace(ctx, organisation=organisation, language="en" if language == "en" else "sv")
    if verb == "show":
        return show_digest(ctx, organisation)
    return set_digest(ctx, organisation, verb == "on")

