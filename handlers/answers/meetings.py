"""Meetings: the next one, the year's plan, place and time."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from handlers.answers.core import Question, choose_organisation, source_for
from handlers.answers.dates import nearest_in_any_year
from handlers.answers.text import day
from handlers.messages import Reply, Source
from storage.models import Meeting
from storage.swedish import month_alternation

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _describe(q: Question, m: Meeting) -> str:
    text = day(m.date, q.language)
    if m.start_time:
        text += f" {q.t('kl.', 'at')} {m.start_time:%H.%M}"
        if m.end_time:
            text += f"–{m.end_time:%H.%M}" + _duration(q, m)
    if m.place:
        text += f", {m.place}"
    if m.kind and m.kind != "styrelsemöte":
        text += f" ({m.kind})"
    return text


def _duration(q: Question, m: Meeting) -> str:
    """How long the meeting lasts, said when the question asks how long ("hur länge håller den på")."""
    from handlers.answers.guard import asks_period

    if m.start_time is None or m.end_time is None or not asks_period(q.text):
        return ""
    minutes = (m.end_time.hour * 60 + m.end_time.minute) - (m.start_time.hour * 60 + m.start_time.minute)
    if minutes <= 0:
        return ""
    hours, rest = divmod(minutes, 60)
    sv = " ".join(p for p in (f"{hours} timm{'e' if hours == 1 else 'ar'}" if hours else "",
                              f"{rest} minuter" if rest else "") if p)
    en = " ".join(p for p in (f"{hours} hour{'' if hours == 1 else 's'}" if hours else "",
                              f"{rest} minutes" if rest else "") if p)
    return f" ({q.t(sv, en)})"


_ACTOR_NAME_RE = re.compile(r"\(([^()]+)\)\s*$")


def _source(q: Question, m: Meeting) -> Source:
    organisation = q.organisation(m.organisation_id)
    if m.document_id is None and m.changed_at is not None:
        # Entered or moved in chat: the source is who did it and when.
        named = _ACTOR_NAME_RE.search(m.changed_by or "")
        who = named.group(1) if named else (m.changed_by or "?")
        when = m.changed_at.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H.%M")
        where_sv = "på kommandoraden" if (m.changed_by or "").startswith("cli") else "i chatten"
        where_en = "on the command line" if (m.changed_by or "").startswith("cli") else "in chat"
        return Source(organisation=organisation.name,
                      document=q.t(f"ändrat {where_sv} av {who} {when}", f"changed {where_en} by {who} {when}"),
                      kind="change")
    return source_for(q.session, organisation, m.document_id, m.paragraph_id, part_id=m.part_id)


# Phrases that count one meeting further than "next" or "previous": "mötet efter nästa", "the
# meeting before last", "förrförra mötet" (folded cue phrases, as the kinds' tables).
ONE_BEYOND = ("efter nästa", "after next", "därpå följande", "förrförra", "forrforra", "näst senaste", "nast senaste",
              "innan det senaste", "före det senaste", "innan förra", "före förra", "before last", "before the last",
              "second to last", "second-to-last", "next to last", "the one before the last")


# Words that make a named day the anchor of the meeting asked, not the meeting itself: "mötet efter
# 13 sept 2024", "the meeting after the one on 24 Nov 2023", "vilket möte var före 22 mars" (folded).
ANCHOR_AFTER = ("efter", "after", "following", "därefter", "darefter", "sedan", "since")
ANCHOR_BEFORE = ("före", "fore", "innan", "before", "prior to", "forut")
# Words that may stand between the anchor word and its day ("after the one on", "efter mötet den").
_ANCHOR_FILLERS = ("den", "det", "the", "one", "on", "of", "mötet", "motet", "möte", "mote", "meeting", "dagen",
                   "day", "sammanträdet", "sammantradet", "styrelsemötet", "styrelsemotet", "board", "that", "som",
                   "hölls", "holls", "held", "was", "var")


def _anchor_re(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    # A month before the year ("mötet efter nov 2023", "första mötet efter november 23") anchors too.
    fillers = "|".join((*map(re.escape, _ANCHOR_FILLERS), month_alternation(english=True)))
    return re.compile(rf"\b(?:{alternatives})\s+(?:(?:{fillers})\s+){{0,4}}\d", re.IGNORECASE)


_AFTER_RE = _anchor_re(ANCHOR_AFTER)
_BEFORE_RE = _anchor_re(ANCHOR_BEFORE)


def anchored(q: Question) -> str | None:
    """'after' or 'before' when the day the question names is the anchor of the meeting asked."""
    text = q.text.lower()
    after, before = bool(_AFTER_RE.search(text)), bool(_BEFORE_RE.search(text))
    return None if after == before else ("after" if after else "before")


def beyond(q: Question) -> int:
    """How many meetings past the next or the previous one the question counts."""
    return 1 if q.cues.any(ONE_BEYOND) else 0


def _none_in_period(q: Question, meetings: list[Meeting]) -> Reply:
    """No meeting in the period asked. "Har vi möte nästa vecka?" is answered no when the förbund's
    plan covers the period (known meetings before and after it), with the next one after it."""
    if not q.dates:
        return Reply(q.t("Inget sådant möte finns i handlingarna.", "No such meeting is in the documents."),
                     answered=False, language=q.language)
    span = q.dates[0]
    before = [m for m in meetings if m.date < span.start]
    after = [m for m in meetings if m.date > span.end]
    if "exists" in q.reading_facets and before and after and len({m.organisation_id for m in meetings}) == 1:
        m = after[0]
        return Reply(q.t(f"Nej, inget möte {span.start.isoformat()} – {span.end.isoformat()} enligt handlingarna. "
                         f"Nästa möte därefter: {_describe(q, m)}.",
                         f"No, no meeting from {span.start.isoformat()} to {span.end.isoformat()} according to the "
                         f"documents. The next one after that: {_describe(q, m)}."),
                     sources=[_source(q, m)], language=q.language)
    return Reply(q.t("Inga möten för den perioden finns i handlingarna.",
                     "No meetings for that period are in the documents."), answered=False, language=q.language)


# Plural meeting words: the meetings on one side of a day are listed, not only the nearest.
PLURAL_MEETINGS = ("möten", "mötena", "moten", "motena", "meetings", "sammanträden", "sammanträdena", "styrelsemöten",
                   "styrelsemoten", "mötesdagar")


def _listed(q: Question, chosen: list[Meeting]) -> Reply:
    if len({m.organisation_id for m in chosen}) > 1:
        return choose_organisation(q, [q.organisation(i) for i in sorted({m.organisation_id for m in chosen})])
    head = q.t("Möten", "Meetings")
    lines = [f"• {_describe(q, m)}" + ("" if m.status == "planned" else q.t(" (hållet)", " (held)")) for m in chosen]
    sources: list[Source] = []
    for m in chosen:
        src = _source(q, m)
        if src not in sources:
            sources.append(src)
    return Reply(text=f"{head}:\n" + "\n".join(lines), sources=sources, language=q.language)


def _before(q: Question, meetings: list[Meeting], anchor: dt.date) -> Reply:
    """The meeting before the day named ("vilket möte var före 22 mars 2024")."""
    earlier = [m for m in meetings if m.date < anchor]
    if not earlier:
        return Reply(q.t(f"Inga möten före {anchor.isoformat()} finns i handlingarna.",
                         f"No meetings before {anchor.isoformat()} are in the documents."),
                     answered=False, language=q.language)
    if len({m.organisation_id for m in earlier}) > 1:
        return choose_organisation(q, [q.organisation(i) for i in sorted({m.organisation_id for m in earlier})])
    m = earlier[-1]
    return Reply(q.t(f"Mötet före {anchor.isoformat()}: {_describe(q, m)}.",
                     f"The meeting before {anchor.isoformat()}: {_describe(q, m)}."),
                 sources=[_source(q, m)], language=q.language)


def answer(q: Question) -> Reply:
    meetings = list(q.session.exec(
        select(Meeting).where(col(Meeting.organisation_id).in_(q.organisation_ids), Meeting.status != "cancelled")
        .order_by(col(Meeting.date))).all())
    # "Nästa möte efter 24 november 2023": the next one counted from the day named, not that day's.
    after = q.dates[0].start if len(q.dates) == 1 and q.dates[0].exact and q.dates[0].year_given else None
    if len(q.dates) == 1 and q.dates[0].exact and not q.dates[0].year_given:
        # "nästa möte efter 24 nov": the day without a year is the meeting held on it (the nearest).
        day = q.dates[0].start
        held = [m.date for m in meetings if (m.date.month, m.date.day) == (day.month, day.day)]
        if held:
            after = min(held, key=lambda d: abs((d - q.ctx.today).days))
    way = anchored(q) or ("after" if q.has("efter", "after") else None)
    if after is None and len(q.dates) == 1 and not q.dates[0].exact and way is not None:
        # "nästa möte efter nov-mötet 2023": a month naming a meeting held in it; counted from its last
        # (from its first for the meeting before it: "vilket möte var före februari 2024").
        held = [m.date for m in meetings if q.dates[0].contains(m.date)]
        if held:
            after = max(held) if way == "after" else min(held)
    anchor = anchored(q) if after is not None else None
    if anchor is not None and after is not None and q.has_word(*PLURAL_MEETINGS):
        # "Vilka möten hålls efter 31 maj 2024?": every meeting on that side of the day, listed.
        side = [m for m in meetings if (m.date > after if anchor == "after" else m.date < after)]
        return _listed(q, side) if side else _none_in_period(q, meetings)
    if anchor == "before" and after is not None and not q.has("nästa", "next", "kommande", "upcoming"):
        return _before(q, meetings, after)
    if (q.has("nästa", "next", "kommande", "upcoming") or anchor == "after") and (not q.dates or after is not None):
        upcoming = [m for m in meetings if (m.date > after if after is not None else m.date >= q.ctx.today)]
        since = (after or q.ctx.today).isoformat()
        if not upcoming:
            return Reply(q.t(f"Inga kommande möten efter {since} finns i handlingarna.",
                             f"No meetings after {since} are in the documents."),
                         answered=False, language=q.language)
        organisations = sorted({m.organisation_id for m in upcoming})
        if len(organisations) > 1:
            return choose_organisation(q, [q.organisation(i) for i in organisations])
        if beyond(q) >= len(upcoming):
            return Reply(q.t(f"Handlingarna har bara {len(upcoming)} kommande möte(n) efter {since}: "
                             f"{', '.join(_describe(q, u) for u in upcoming)}.",
                             f"The documents have only {len(upcoming)} meeting(s) after {since}: "
                             f"{', '.join(_describe(q, u) for u in upcoming)}."), answered=False, language=q.language)
        m = upcoming[beyond(q)]
        if beyond(q):
            return Reply(q.t(f"Mötet efter nästa: {_describe(q, m)}.", f"The meeting after next: {_describe(q, m)}."),
                         sources=[_source(q, m)], language=q.language)
        text = q.t(f"Nästa möte: {_describe(q, m)}.", f"Next meeting: {_describe(q, m)}.") if after is None else \
            q.t(f"Nästa möte efter {since}: {_describe(q, m)}.", f"Next meeting after {since}: {_describe(q, m)}.")
        return Reply(text=text, sources=[_source(q, m)], language=q.language)
    if q.dates:
        span = q.dates[0]
        chosen = [m for m in meetings if span.contains(m.date)]
        if not span.year_given:
            chosen = nearest_in_any_year(q.ctx.today, span, meetings, lambda m: m.date)
    elif q.has("planer", "planned", "scheduled") and not q.has("planeringsdag"):
        chosen = [m for m in meetings if m.status == "planned"]  # what the documents plan, whatever the year
    else:
        chosen = [m for m in meetings if m.date.year == q.ctx.today.year]
    if q.cues.any(("planeringsdag", "planning day", "strategidag", "strategy day")):
        of_kind = [m for m in (chosen if q.dates else meetings) if m.kind and "planering" in m.kind]
        if not q.dates:
            # "När är planeringsdagen?" with no day: the next of that kind, none ahead the latest (per förbund).
            chosen = []
            for org_id in sorted({m.organisation_id for m in of_kind}):
                own = [m for m in of_kind if m.organisation_id == org_id]
                chosen += [m for m in own if m.date >= q.ctx.today][:1] or own[-1:]
        else:
            chosen = of_kind
    elif q.has("planer", "planned") and not q.has("planeringsdag"):
        chosen = [m for m in chosen if m.status == "planned"] or chosen
    if q.cues.any(("kvar=", "återstår", "återstående", "remaining", "still to come", "left=")):
        chosen = [m for m in chosen if m.date >= q.ctx.today]  # those still to come
    if not chosen:
        return _none_in_period(q, meetings)
    return _listed(q, chosen)
