"""Reminder texts in Swedish, each ending with where its dates come from.

Dates are always written out ("fredag 2 februari 2024"), never relative ("i morgon"): a
reminder that goes out late after a restart must still be true when it is read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

# Dates are written by the one toolkit; re-exported for the calendar's texts.
from storage.swedish import day_month_year as day_month
from storage.swedish import long_date as long_date

MAX_AGENDA_CHARS = 1500

KIND_LABELS = {"styrelsemöte": "styrelsemöte", "planeringsdag": "planeringsdag"}


def clock(time: dt.time) -> str:
    """"09.00", the Swedish way of writing a time."""
    return f"{time.hour:02d}.{time.minute:02d}"


def time_span(start: dt.time | None, end: dt.time | None) -> str:
    if start is None:
        return ""
    if end is None:
        return f"kl. {clock(start)}"
    return f"kl. {clock(start)}–{clock(end)}"


def source_line(labels: Iterable[str]) -> str:
    seen: list[str] = []
    for label in labels:
        if label and label not in seen:
            seen.append(label)
    if not seen:
        return ""
    head = "Källa" if len(seen) == 1 else "Källor"
    return f"{head}: " + "; ".join(seen)


def _join(*parts: str) -> str:
    return "\n".join(p for p in parts if p)


def meeting_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind or "sammanträde")


def meeting_when_where(kind: str, day: dt.date, start: dt.time | None, end: dt.time | None,
                       place: str | None) -> str:
    """"styrelsemöte fredag 2 februari 2024 kl. 09.00–12.00, Timrå"."""
    text = f"{meeting_label(kind)} {long_date(day)}"
    span = time_span(start, end)
    if span:
        text += f" {span}"
    if place:
        text += f", {place}"
    return text


def _agenda_block(agenda: str | None) -> str:
    if not agenda or not agenda.strip():
        return ""
    body = agenda.strip()
    if len(body) > MAX_AGENDA_CHARS:
        body = body[:MAX_AGENDA_CHARS].rstrip() + " …"
    return f"Dagordning:\n{body}"


def meeting_reminder(organisation: str, when_where: str, agenda: str | None, sources: Sequence[str]) -> str:
    return _join(f"Påminnelse från {organisation}: {when_where}.", _agenda_block(agenda), source_line(sources))


def meeting_moved(organisation: str, when_where: str, agenda: str | None, sources: Sequence[str]) -> str:
    return _join(f"Ändrat möte hos {organisation}: nu {when_where}. Tidigare påminnelser gäller inte längre.",
                 _agenda_block(agenda), source_line(sources))


def meeting_cancelled(organisation: str, when_where: str, sources: Sequence[str]) -> str:
    return _join(f"Inställt hos {organisation}: {when_where} blir inte av.", source_line(sources))


def justering_signer(organisation: str, signer: str, meeting_date: dt.date, deadline: dt.date,
                     sources: Sequence[str]) -> str:
    return _join(
        f"Påminnelse till {signer}: protokollet från sammanträdet {day_month(meeting_date)} "
        f"({organisation}) väntar på din justering. Sista dag är {long_date(deadline)}.",
        source_line(sources),
    )


def justering_late(organisation: str, meeting_date: dt.date, deadline: dt.date, late: Sequence[str],
                   sources: Sequence[str]) -> str:
    names = ", ".join(late)
    return _join(
        f"Justeringen av protokollet från {day_month(meeting_date)} ({organisation}) skulle vara klar "
        f"{long_date(deadline)}. Har inte justerat: {names}.",
        source_line(sources),
    )


def anslag_post(organisation: str, meeting_date: dt.date, justering_date: dt.date, post_by: dt.date,
                sources: Sequence[str]) -> str:
    return _join(
        f"Anslag: protokollet från {day_month(meeting_date)} ({organisation}) justerades "
        f"{justering_date.isoformat()}. Tillkännagivandet ska sättas upp på anslagstavlan senast "
        f"{long_date(post_by)} (kommunallagen 8 kap. 12 §).",
        source_line(sources),
    )


def anslag_remove(organisation: str, meeting_date: dt.date, posted: dt.date, appeal_end: dt.date,
                  take_down: dt.date, sources: Sequence[str]) -> str:
    return _join(
        f"Anslag: tillkännagivandet för protokollet från {day_month(meeting_date)} ({organisation}) "
        f"sattes upp {posted.isoformat()}. Överklagandetiden på tre veckor (kommunallagen 13 kap. 5 §) "
        f"löper ut {appeal_end.isoformat()}; anslaget får tas ned från och med {long_date(take_down)}.",
        source_line(sources),
    )


def grant_final_report(organisation: str, grant: str, period_start: dt.date | None, period_end: dt.date,
                       sources: Sequence[str]) -> str:
    period = f"{period_start.isoformat()}–{period_end.isoformat()}" if period_start else f"till {period_end}"
    return _join(
        f"Insatsen {grant} ({organisation}): finansieringsperioden {period} slutar {long_date(period_end)}. "
        "Dags att begära in slutrapporten.",
        source_line(sources),
    )


def grant_report_at_meeting(organisation: str, grant: str, condition: str, meeting: str,
                            sources: Sequence[str]) -> str:
    return _join(
        f"Återrapportering ({organisation}): insatsen {grant} ska återrapportera vid {meeting}, "
        f"enligt villkoret ”{condition.rstrip('.')}”.",
        source_line(sources),
    )


def grant_report_by_date(organisation: str, grant: str, condition: str, due: dt.date,
                         sources: Sequence[str]) -> str:
    return _join(
        f"Återrapportering ({organisation}): insatsen {grant} ska återrapportera senast {long_date(due)}, "
        f"enligt villkoret ”{condition.rstrip('.')}”.",
        source_line(sources),
    )


def delivery_failed(recipient: str, attempts: int, error: str | None, original: str, maybe_sent: bool) -> str:
    outcome = ("Det går inte att se om det sista försöket kom fram."
               if maybe_sent else "Den har inte kommit fram.")
    return _join(
        f"En påminnelse kunde inte levereras till {recipient} efter {attempts} försök "
        f"(senaste fel: {error or 'okänt'}). {outcome} Den skickas inte igen automatiskt; "
        "skicka den gärna själv.",
        "Påminnelsen:",
        "> " + original.replace("\n", "\n> "),
    )
