"""Questions about one protocol: who was justerare, chair, secretary, who took part; when it
must be or was justerat; how long its anslag was up."""

from __future__ import annotations

from sqlmodel import Session, col, select

from handlers.answers.core import Question, choose_organisation, not_found, source_for
from handlers.answers.dates import nearest_in_any_year
from handlers.answers.passages import unrecorded_meeting
from handlers.answers.text import day, join_words
from handlers.messages import Reply, Source
from storage import protocol_records
from storage.legal_dates import appeal_period_end, justering_deadline
from storage.models import Attendance, Meeting, Organisation, Person, Protocol, ProtocolOfficer

ROLE_WORDS = {
    "justerare": ("justerar", "justerare", "justera", "justerande", "justerade", "verif", "sign"),
    "ordförande": ("ordförande", "chair", "ordf"),
    "sekreterare": ("sekreterare", "secretary", "förbundschef", "manager", "director"),
}
ATTENDANCE_STEMS = ("deltog", "närvar", "attend", "present", "beslutande", "participa", "deltagare")


def find_protocols(q: Question) -> list[Protocol]:
    """The protocols the question names by date (a day, a month, a year), or the latest."""
    protocols = list(q.session.exec(
        select(Protocol).where(col(Protocol.organisation_id).in_(q.organisation_ids))
        .order_by(col(Protocol.meeting_date).desc())).all())
    for span in q.dates:
        if not span.year_given:
            # "den 16 april", "i juni": the meeting of that day or month nearest the asking day.
            hits = nearest_in_any_year(q.ctx.today, span, protocols, lambda p: p.meeting_date)
        else:
            hits = [p for p in protocols if span.contains(p.meeting_date)]
        if hits:
            return hits
    if q.dates:
        return []
    past = [p for p in protocols if p.meeting_date <= q.ctx.today] or protocols
    if q.scoped:
        return past[:1]
    # Several förbund and none linked or named: the latest of each, so that the caller asks
    # which förbund rather than answering from whichever met last.
    latest: dict[int, Protocol] = {}
    for p in past:
        latest.setdefault(p.organisation_id, p)
    return list(latest.values())


def _one_protocol(q: Question) -> tuple[Protocol, Source] | Reply:
    """The one protocol the question is about, with its source; or the reply saying why not."""
    gap = unrecorded_meeting(q)
    if gap is not None:
        return missing_minutes(q, gap)
    protocols = find_protocols(q)
    if not protocols:
        span = q.dates[0] if q.dates else None
        whole_year = span is not None and (span.start.month, span.start.day, span.end.month, span.end.day) == (1, 1, 12, 31)
        when = "" if span is None else span.start.isoformat() if span.exact else (
            f"{span.start:%Y}" if whole_year else f"{span.start:%Y-%m}")
        reply = not_found(q, f"något protokoll från {when}".strip(), f"a protocol from {when}".strip())
        held = q.session.exec(select(col(Protocol.meeting_date)).where(col(Protocol.organisation_id).in_(q.organisation_ids))
                              .order_by(col(Protocol.meeting_date).desc()).limit(6)).all()
        if held:
            # What does exist, so the question can be asked again of a real meeting.
            days = ", ".join(d.isoformat() for d in held)
            reply.text += q.t(f" Protokoll som finns: {days}.", f" Minutes there are: {days}.")
        return reply
    if len({p.organisation_id for p in protocols}) > 1:
        return choose_organisation(q, [q.organisation(p.organisation_id) for p in protocols])
    protocol = protocols[0]
    return protocol, source_for(q.session, q.organisation(protocol.organisation_id), protocol.document_id)


def missing_minutes(q: Question, meeting: Meeting) -> Reply:
    """The meeting asked about ("förra mötet") was held, but its protocol is not in the store."""
    held = q.session.exec(select(col(Protocol.meeting_date)).where(col(Protocol.organisation_id).in_(q.organisation_ids))
                          .order_by(col(Protocol.meeting_date).desc()).limit(6)).all()
    days = ", ".join(d.isoformat() for d in held) or q.t("inga", "none")
    kind = "" if meeting.kind == "styrelsemöte" else f" ({meeting.kind})"
    return Reply(q.t(f"Det senaste mötet före {q.ctx.today.isoformat()} var {meeting.date.isoformat()}{kind}, men "
                     f"protokollet från det finns inte i handlingarna. Protokoll som finns: {days}.",
                     f"The latest meeting before {q.ctx.today.isoformat()} was on {meeting.date.isoformat()}{kind}, "
                     f"but its minutes are not in the documents. Minutes there are: {days}."),
                 answered=False, language=q.language)


def recorded_source(session: Session, organisation: Organisation, protocol: Protocol, *fields: str) -> Source | None:
    """The § of a later document the protocol's current `fields` come from, if any."""
    for field in fields:
        record = protocol_records.fact_source(session, protocol, field)
        if record is not None:
            return source_for(session, organisation, record.document_id, record.paragraph_id)
    return None


def _label(q: Question, protocol: Protocol) -> str:
    ojusterat = "" if protocol.status == "justerat" else q.t(" (ojusterat)", " (not yet justerat)")
    return q.t(f"protokollet från {protocol.meeting_date.isoformat()}", f"the minutes of {protocol.meeting_date.isoformat()}"
               ) + ojusterat


def _officers(q: Question, protocol: Protocol, role: str) -> list[str]:
    rows = q.session.exec(select(Person.name).join(ProtocolOfficer, col(ProtocolOfficer.person_id) == Person.id)
                          .where(ProtocolOfficer.protocol_id == protocol.id, ProtocolOfficer.role == role)).all()
    return list(rows)


def answer_people(q: Question) -> Reply:
    found = _one_protocol(q)
    if isinstance(found, Reply):
        return found
    protocol, source = found
    if q.has(*ATTENDANCE_STEMS) and not any(q.has(*stems) for stems in ROLE_WORDS.values()):
        rows = q.session.exec(select(Person.name, Attendance).join(Attendance, col(Attendance.person_id) == Person.id)
                              .where(Attendance.protocol_id == protocol.id)).all()
        present = [(name, a) for name, a in rows if a.present or a.voting]
        if not present:
            return Reply(q.t(f"Närvaron framgår inte av {_label(q, protocol)}.",
                             f"Attendance is not recorded in {_label(q, protocol)}."),
                         answered=False, sources=[source], language=q.language)
        lines = []
        for name, a in present:
            extra = ", ".join(x for x in (a.role, a.title, a.member_body, a.note) if x)
            lines.append(f"• {name}" + (f" ({extra})" if extra else ""))
        text = q.t(f"Deltog vid sammanträdet {protocol.meeting_date.isoformat()}:",
                   f"Took part in the meeting of {protocol.meeting_date.isoformat()}:") + "\n" + "\n".join(lines)
        return Reply(text=text, sources=[source], language=q.language)
    if "manager" in q.reading_facets and not set(q.reading_facets) & set(ROLE_WORDS):
        # "Vem är förbundschef?": the person the protocol titles so, not the role they sign in.
        managers = _titled(q, protocol, "förbundschef")
        if managers:
            return Reply(q.t(f"{join_words(managers)} är förbundschef enligt {_label(q, protocol)}.",
                             f"{join_words(managers, 'en')} is the director (förbundschef) according to "
                             f"{_label(q, protocol)}."), sources=[source], language=q.language)
    # Every role asked ("vem var sekreterare och justerare"), each on its line; one the protocol
    # does not name leaves the question unanswered.
    roles = [role for role in ROLE_WORDS if role in q.reading_facets] or [
        role for role, stems in ROLE_WORDS.items() if q.has(*stems)][:1]
    said: list[str] = []
    for role in roles:
        names = _officers(q, protocol, role)
        if not names and role == "sekreterare":
            names = _titled(q, protocol, "förbundschef")
        if not names:
            missing = Reply(q.t(f"{_label(q, protocol).capitalize()} anger ingen {role}.",
                                f"{_label(q, protocol).capitalize()} name no {role}."),
                            answered=False, sources=[source], language=q.language)
            if said:
                missing = Reply("\n".join([*said, missing.text]), answered=False, sources=[source],
                                language=q.language)
            return missing
        role_text = {"justerare": q.t("justerare", "justerare (verifier)"),
                     "ordförande": q.t("ordförande", "chair"),
                     "sekreterare": q.t("sekreterare", "secretary")}[role]
        said.append(q.t(f"{join_words(names)} är {role_text} för {_label(q, protocol)}.",
                         f"{join_words(names, 'en')} {'is' if len(names) == 1 else 'are'} {role_text} for "
                         f"{_label(q, protocol)}."))
    if said:
        return Reply(text="\n".join(said), sources=[source], language=q.language)
    return Reply(q.t("Vilken roll menar du?", "Which role do you mean?"), answered=False, language=q.language)


def _titled(q: Question, protocol: Protocol, title: str) -> list[str]:
    rows = q.session.exec(select(Person.name, Attendance.title).join(Attendance, col(Attendance.person_id) == Person.id)
                          .where(Attendance.protocol_id == protocol.id)).all()
    return [name for name, held in rows if held and title in held.lower()]


# What asks by when the minutes are to be justerat, not when they were.
DEADLINE_CUES = ("ska", "senast", "deadline", "must", "should", "by when", "sista", "last day", "due", "have to",
                 "had to", "has to", "needed to", "need to", "supposed to", "behövde", "behöver", "måste", "skulle")


def answer_justering(q: Question) -> Reply:
    found = _one_protocol(q)
    if isinstance(found, Reply):
        return found
    protocol, source = found
    asks_deadline = q.has(*(c for c in DEADLINE_CUES if " " not in c)) or q.cues.any(
        tuple(c for c in DEADLINE_CUES if " " in c))
    if asks_deadline:
        if protocol.justering_deadline:
            text = q.t(f"{_label(q, protocol).capitalize()} ska vara justerat senast "
                       f"{day(protocol.justering_deadline)}.",
                       f"{_label(q, protocol).capitalize()} must be justerat by "
                       f"{day(protocol.justering_deadline, 'en')}.")
        else:
            legal = justering_deadline(protocol.meeting_date)
            text = q.t(f"Protokollet anger ingen egen tidsgräns; enligt kommunallagen (5 kap. 69 §) ska det "
                       f"justeras senast 14 dagar efter sammanträdet, alltså {day(legal)}.",
                       f"The minutes set no deadline of their own; by law (kommunallagen 5:69) they must be "
                       f"justerat within 14 days of the meeting, i.e. by {day(legal, 'en')}.")
        return Reply(text=text, sources=[source], language=q.language)
    if protocol.justering_date:
        source = recorded_source(q.session, q.organisation(protocol.organisation_id), protocol,
                                 "justering_date") or source
        method = f" ({protocol.justering_method})" if protocol.justering_method else ""
        text = q.t(f"{_label(q, protocol).capitalize()} justerades {day(protocol.justering_date)}{method}.",
                   f"{_label(q, protocol).capitalize()} were justerat on {day(protocol.justering_date, 'en')}{method}.")
        return Reply(text=text, sources=[source], language=q.language)
    if protocol.status == "justerat":
        text = q.t(f"{_label(q, protocol).capitalize()} är justerat, men justeringsdatumet framgår inte av handlingen.",
                   f"{_label(q, protocol).capitalize()} are justerat, but the document does not give the date.")
        return Reply(text=text, sources=[source], answered=False, language=q.language)
    deadline = protocol.justering_deadline or justering_deadline(protocol.meeting_date)
    text = q.t(f"{_label(q, protocol).capitalize()} är inte justerat enligt handlingarna; det ska justeras senast "
               f"{day(deadline)}.",
               f"According to the documents {_label(q, protocol)} are not justerat; they must be by {day(deadline, 'en')}.")
    return Reply(text=text, sources=[source], answered=False, language=q.language)


def answer_justering_manner(q: Question) -> Reply:
    """How the protocol was justerat (on paper, electronically, "digitalt via Oneflow"), as it says."""
    found = _one_protocol(q)
    if isinstance(found, Reply):
        return found
    protocol, source = found
    justerare = _officers(q, protocol, "justerare")
    who = q.t(f" av {join_words(justerare)}", f" by {join_words(justerare, 'en')}") if justerare else ""
    if not protocol.justering_method:
        return Reply(q.t(f"Det framgår inte av {_label(q, protocol)} hur det justerades.",
                         f"{_label(q, protocol).capitalize()} do not say how they were justerat."),
                     answered=False, sources=[source], language=q.language)
    if protocol.justering_date is None:
        # The way is set ("elektronisk justering") but not that it is done, nor when.
        return Reply(q.t(f"{_label(q, protocol).capitalize()}: justeringen sker {protocol.justering_method}"
                         f"{q.t(' (justerare ' + join_words(justerare) + ')', '') if justerare else ''}; "
                         f"datumet framgår inte.",
                         f"{_label(q, protocol).capitalize()}: justering is done {protocol.justering_method}"
                         f"{' (justerare ' + join_words(justerare, 'en') + ')' if justerare else ''}; the date is "
                         f"not recorded."), sources=[source], language=q.language)
    when = q.t(f" {day(protocol.justering_date)}", f" on {day(protocol.justering_date, 'en')}")
    return Reply(q.t(f"{_label(q, protocol).capitalize()} justerades{who}{when}: {protocol.justering_method}.",
                     f"{_label(q, protocol).capitalize()} were justerat{who}{when}: {protocol.justering_method}."),
                 sources=[source], language=q.language)


def answer_anslag(q: Question) -> Reply:
    found = _one_protocol(q)
    if isinstance(found, Reply):
        return found
    protocol, source = found
    if not protocol.anslag_posted:
        return Reply(q.t(f"Anslaget för {_label(q, protocol)} framgår inte av handlingarna.",
                         f"The documents do not record the notice for {_label(q, protocol)}."),
                     answered=False, sources=[source], language=q.language)
    source = recorded_source(q.session, q.organisation(protocol.organisation_id), protocol, "anslag_posted",
                             "anslag_removed") or source
    posted = protocol.anslag_posted
    removed = protocol.anslag_removed
    if removed is None:
        text = q.t(f"Anslaget för {_label(q, protocol)} sattes upp {day(posted)}; nedtagningen framgår inte.",
                   f"The notice for {_label(q, protocol)} went up on {day(posted, 'en')}; its removal is not recorded.")
        return Reply(text=text, sources=[source], language=q.language)
    days = (removed - posted).days
    text = q.t(f"Anslaget för {_label(q, protocol)} satt uppe från {day(posted)} till {day(removed)} ({days} dagar).",
               f"The notice for {_label(q, protocol)} was up from {day(posted, 'en')} to {day(removed, 'en')} "
               f"({days} days).")
    end = appeal_period_end(posted)
    if removed < end:
        text += q.t(f" Observera: överklagandetiden på tre veckor löpte till {end.isoformat()}, så anslaget togs "
                    f"ned för tidigt.",
                    f" Note: the three-week appeal period ran until {end.isoformat()}, so the notice came down "
                    f"too early.")
    return Reply(text=text, sources=[source], language=q.language)

