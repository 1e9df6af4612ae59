"""The weekly digest: what it says in a busy and a quiet week, who may turn it on, and when it goes out."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from handlers.assistant import Assistant
from handlers.messages import Message, Reply
from scheduler.digest import KIND_DIGEST, plan_digests
from storage.digest import build_digest
from storage.models import (
    AuditLog,
    ConversationLink,
    Document,
    Grant,
    GrantEvent,
    JusteringConfirmation,
    JusteringRound,
    JusteringSigner,
    Meeting,
    Organisation,
    Paragraph,
    Person,
    Protocol,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# Monday 5 May 2025, 08:00 in Stockholm.
MONDAY = dt.datetime(2025, 5, 5, 8, 0, tzinfo=STOCKHOLM)
TODAY = MONDAY.date()
BUSY = "Samordningsförbundet Fjällbygden"
QUIET = "Samordningsförbundet Kustlandet"


def _protocol(s: Session, org_id: int, meeting: dt.date, ingested: dt.datetime, paragraphs: list[tuple[int, str, str]]
              ) -> Protocol:
    doc = Document(organisation_id=org_id, kind="protokoll", file_name=f"p{meeting}.txt",
                   content_hash=f"{meeting}{org_id}".ljust(64, "0"), text="…", ingested_at=ingested)
    s.add(doc)
    s.flush()
    assert doc.id
    protocol = Protocol(document_id=doc.id, organisation_id=org_id, meeting_date=meeting, version_hash="v" * 64)
    s.add(protocol)
    s.flush()
    for number, title, decision in paragraphs:
        s.add(Paragraph(document_id=doc.id, organisation_id=org_id, protocol_id=protocol.id, number=number,
                        title=title, body="…", decision=decision))
    s.flush()
    return protocol


def build(engine: Engine) -> dict[str, int]:
    with Session(engine) as s:
        busy, quiet = Organisation(name=BUSY), Organisation(name=QUIET)
        s.add_all([busy, quiet])
        s.flush()
        assert busy.id and quiet.id
        week_ago = MONDAY - dt.timedelta(days=20)
        recent = _protocol(s, busy.id, TODAY - dt.timedelta(days=3), week_ago, [
            (1, "Mötets öppnande", "Ordföranden förklarar mötet öppnat."),
            (2, "Val av justerare", "Att utse Per Berg att justera protokollet."),
            (7, "Lokaler för kansliet", "Att hyra lokaler i stadshuset från 1 september."),
        ])
        # Read in this week, from a meeting 40 days ago: new to the board's bot, so news.
        _protocol(s, busy.id, TODAY - dt.timedelta(days=40), MONDAY - dt.timedelta(days=2), [
            (3, "Revisionsrapport", "Att lägga revisionsrapporten till handlingarna."),
        ])
        # Read in this week, but from 2021: the archive, not news.
        _protocol(s, busy.id, dt.date(2021, 6, 11), MONDAY - dt.timedelta(days=1), [
            (9, "Gammalt beslut", "Att bevilja 990 000 kr."),
        ])
        # A month old and read in long ago: last month's news.
        _protocol(s, busy.id, TODAY - dt.timedelta(days=30), week_ago, [(4, "Förra månaden", "Att göra något.")])
        for days, status, place in ((10, "planned", "Fjällby"), (12, "cancelled", "Inställda salen"),
                                    (45, "planned", "Långt bort")):
            s.add(Meeting(organisation_id=busy.id, date=TODAY + dt.timedelta(days=days), start_time=dt.time(9),
                          place=place, status=status, document_id=recent.document_id))
        per, eva = Person(organisation_id=busy.id, name="Per Berg"), Person(organisation_id=busy.id, name="Eva Fjäll")
        s.add_all([per, eva])
        s.flush()
        assert recent.id
        rnd = JusteringRound(protocol_id=recent.id, version_hash="v" * 64, status="open",
                             deadline=TODAY + dt.timedelta(days=4))
        s.add(rnd)
        s.flush()
        assert rnd.id and per.id and eva.id
        s.add_all([JusteringSigner(round_id=rnd.id, person_id=per.id, role="justerare"),
                   JusteringSigner(round_id=rnd.id, person_id=eva.id, role="ordförande")])
        s.add(JusteringConfirmation(round_id=rnd.id, person_id=eva.id, version_hash="v" * 64, platform="slack"))
        grant = Grant(organisation_id=busy.id, key="vägen ut", name="Vägen ut", max_amount=420_000,
                      period_start=dt.date(2024, 6, 1), period_end=TODAY + dt.timedelta(days=20), status="granted",
                      reporting="Återrapportering ska ske skriftligt senast 2025-05-20.",
                      document_id=recent.document_id)
        done = Grant(organisation_id=busy.id, key="klar", name="Klar insats", max_amount=100_000,
                     period_end=TODAY + dt.timedelta(days=5), status="final_report_approved",
                     document_id=recent.document_id)
        s.add_all([grant, done])
        s.flush()
        assert grant.id and done.id
        for g, status in ((grant, "granted"), (done, "granted"), (done, "final_report_approved")):
            s.add(GrantEvent(grant_id=g.id or 0, status=status, date=TODAY - dt.timedelta(days=300),
                             document_id=recent.document_id))
        admin = Person(organisation_id=busy.id, name="Sekreteraren", slack_user_id="UADMIN", is_admin=True)
        member = Person(organisation_id=busy.id, name="Ledamoten", slack_user_id="UMEMBER")
        s.add_all([admin, member])
        s.add_all([ConversationLink(platform="slack", conversation_id="CBOARD", organisation_id=busy.id),
                   ConversationLink(platform="slack", conversation_id="CQUIET", organisation_id=quiet.id)])
        s.commit()
        return {"busy": busy.id, "quiet": quiet.id}


@pytest.fixture
def ids(engine: Engine) -> dict[str, int]:
    return build(engine)


def organisation(engine: Engine, organisation_id: int) -> Organisation:
    with Session(engine) as s:
        found = s.get(Organisation, organisation_id)
        assert found is not None
        return found


def say(engine: Engine, text: str, user: str = "UADMIN", channel: str = "CBOARD") -> Reply:
    return Assistant(engine, clock=lambda: MONDAY.astimezone(dt.UTC)).handle(
        Message(text=text, platform="slack", user_id=user, conversation_id=channel))


def test_busy_week_lists_each_kind_with_its_source(engine: Engine, ids: dict[str, int]) -> None:
    with Session(engine) as s:
        digest = build_digest(s, organisation(engine, ids["busy"]), MONDAY)
        text = digest.render("sv")
    three_days_ago = (TODAY - dt.timedelta(days=3)).isoformat()
    # In meeting order: the one read in this week from an earlier meeting comes first.
    assert [line.source for line in digest.decisions] == [
        f"{BUSY}, protokoll {(TODAY - dt.timedelta(days=40)).isoformat()}, § 3",
        f"{BUSY}, protokoll {three_days_ago}, § 7",
    ]
    assert "Att hyra lokaler i stadshuset" in text
    assert "Mötets öppnande" not in text and "Val av justerare" not in text  # formalities
    assert "Gammalt beslut" not in text and "Förra månaden" not in text
    assert [line.sv for line in digest.meetings] == [
        "styrelsemöte torsdag 15 maj 2025 kl. 09.00, Fjällby"]
    assert "Inställda salen" not in text and "Långt bort" not in text
    assert len(digest.justering) == 1
    assert "väntar på Per Berg (justerare)" in digest.justering[0].sv and "Eva" not in digest.justering[0].sv
    assert digest.justering[0].source == f"{BUSY}, protokoll {three_days_ago}"
    reports = [line.sv for line in digest.reports]
    assert reports == ["Vägen ut: perioden slutar 2025-05-25; slutrapport ska lämnas",
                       "Vägen ut: återrapportering senast 2025-05-20"]
    assert all(f"(Källa: {BUSY}" in row for row in text.splitlines() if row.startswith("•"))


def test_quiet_week_says_so_briefly(engine: Engine, ids: dict[str, int]) -> None:
    with Session(engine) as s:
        digest = build_digest(s, organisation(engine, ids["quiet"]), MONDAY)
    assert digest.quiet
    text = digest.render("sv")
    assert "\n" not in text and "lugn vecka" in text and len(text) < 300
    reply = say(engine, "sammanfattning", channel="CQUIET")
    assert reply.answered and "lugn vecka" in reply.text and len(reply.text.splitlines()) == 2


def test_digest_in_english(engine: Engine, ids: dict[str, int]) -> None:
    reply = say(engine, "digest")
    assert reply.language == "en"
    assert "Weekly digest for" in reply.text and "Meetings in the next 30 days" in reply.text
    assert "board meeting Thursday 15 May 2025 at 09.00, Fjällby" in reply.text
    assert "`digest on`" in reply.text


def test_opt_in_and_out_is_persisted_audited_and_admin_only(engine: Engine, ids: dict[str, int]) -> None:
    refused = say(engine, "sammanfattning på", user="UMEMBER")
    assert not refused.answered and refused.private
    assert not organisation(engine, ids["busy"]).digest_enabled
    on = say(engine, "sammanfattning på")
    assert on.answered and "måndagar kl. 08.00" in on.text
    assert organisation(engine, ids["busy"]).digest_enabled
    assert not organisation(engine, ids["quiet"]).digest_enabled
    assert "redan på" in say(engine, "sammanfattning på").text
    off = say(engine, "sammanfattning av")
    assert off.answered and not organisation(engine, ids["busy"]).digest_enabled
    with Session(engine) as s:
        rows = s.exec(select(AuditLog).where(AuditLog.organisation_id == ids["busy"]).order_by(col(AuditLog.id))).all()
    assert [r.action for r in rows] == ["digest.refused", "digest.enabled", "digest.disabled"]
    assert "UMEMBER" in rows[0].actor and "Sekreteraren" in rows[1].actor
    assert json.loads(rows[1].detail or "{}") == {"before": False, "after": True}


def test_scheduler_plans_monday_0800_for_opted_in_only(engine: Engine, ids: dict[str, int]) -> None:
    sunday_night = dt.datetime(2025, 5, 4, 20, 0, tzinfo=STOCKHOLM)
    with Session(engine) as s:
        assert plan_digests(s, sunday_night) == []
        s.get(Organisation, ids["busy"]).digest_enabled = True  # type: ignore[union-attr]
        s.commit()
        planned = plan_digests(s, sunday_night)
        assert [(p.kind, p.recipient, p.organisation_id) for p in planned] == [
            (KIND_DIGEST, "slack:CBOARD", ids["busy"])]
        (reminder,) = planned
        assert reminder.due_at == MONDAY.astimezone(dt.UTC) == dt.datetime(2025, 5, 5, 6, 0, tzinfo=dt.UTC)
        assert reminder.subject == f"digest:{ids['busy']}:2025-05-05"
        assert reminder.text == build_digest(s, organisation(engine, ids["busy"]), MONDAY).render("sv")
        # Past Tuesday 08:00 this week's is stale: next Monday's is planned; in winter 08:00 is 07:00 UTC.
        tuesday = dt.datetime(2025, 5, 6, 8, 0, tzinfo=STOCKHOLM)
        assert [p.due_at for p in plan_digests(s, tuesday)] == [dt.datetime(2025, 5, 12, 6, 0, tzinfo=dt.UTC)]
        winter = dt.datetime(2025, 12, 3, 12, 0, tzinfo=STOCKHOLM)
        assert [p.due_at for p in plan_digests(s, winter)] == [dt.datetime(2025, 12, 8, 7, 0, tzinfo=dt.UTC)]
