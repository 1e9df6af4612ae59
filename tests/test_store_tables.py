"""Every table is written and read back unchanged, on SQLite and on PostgreSQL.

Values are read in a fresh session, so they come from the database, not from the
identity map. Timestamps are written in Swedish local time (summer and winter offsets)
and must come back aware, in UTC, and equal to the same instant.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import StatementError
from sqlmodel import Session, SQLModel, col, select

from storage.db import session_scope
from storage.models import (
    Attendance,
    AuditHead,
    AuditLog,
    BoardRole,
    BotThread,
    BudgetFigure,
    ChangeRequest,
    ConversationContext,
    ConversationLink,
    Document,
    DocumentPart,
    Grant,
    GrantEvent,
    JusteringConfirmation,
    JusteringRound,
    JusteringSigner,
    Meeting,
    MemberBody,
    Organisation,
    Paragraph,
    Person,
    ProcessedEvent,
    Protocol,
    ProtocolOfficer,
    ProtocolRecord,
    Reminder,
    Vacancy,
)

STHLM = ZoneInfo("Europe/Stockholm")
SUMMER = dt.datetime(2024, 6, 14, 15, 30, 12, 345678, tzinfo=STHLM)  # +02:00
WINTER = dt.datetime(2023, 11, 24, 9, 5, 0, 1, tzinfo=STHLM)  # +01:00
# Long enough to overflow any VARCHAR default; tabs and newlines as in extracted tables.
LONG_TEXT = "§ 5 Beslut om insatsen Jobbcenter 2.0 — ÅÄÖ åäö é ü\n\tBudget\t1 200 000\tkr\n" * 3000


def build_every_row(session: Session) -> list[SQLModel]:
    """One row of every table, every optional column filled, flushed in dependency order."""
    rows: list[SQLModel] = []

    def add(row: SQLModel) -> Any:
        session.add(row)
        session.flush()
        rows.append(row)
        return row

    org = add(Organisation(
        name="Samordningsförbundet Östra Södertörn", org_number="222000-1234",
        signer_roles="justerare,ordförande", meeting_reminder_days="14,2",
        reminder_time=dt.time(7, 45, 30), remind_members_personally=True, digest_enabled=True,
        created_at=WINTER,
    ))
    add(MemberBody(organisation_id=org.id, name="Haninge kommun", kind="kommun"))
    person = add(Person(
        organisation_id=org.id, name="Åsa Öberg", email="asa.oberg@example.se",
        slack_user_id="U0ASA", teams_aad_id="6b1f0c1e-aad", is_admin=True,
    ))
    doc = add(Document(
        organisation_id=org.id, kind="protokoll", title="Protokoll styrelsemöte 2023-11-24",
        file_name="protokoll 2023-11-24.pdf", content_hash="a" * 64,
        version_key="protokoll:2023-11-24", text=LONG_TEXT, ingested_at=SUMMER, superseded_at=WINTER,
    ))
    protocol = add(Protocol(
        document_id=doc.id, organisation_id=org.id, meeting_date=dt.date(2023, 11, 24),
        paragraph_range="§§ 1-12", justering_deadline=dt.date(2023, 12, 8),
        justering_date=dt.date(2023, 12, 1), justering_method="digital",
        anslag_posted=dt.date(2023, 12, 2), anslag_removed=dt.date(2023, 12, 24),
        anslag_post_by=dt.date(2023, 12, 4), anslag_take_down_from=dt.date(2023, 12, 23),
        storage_place="Förbundets kansli, Haninge", version_hash="b" * 64, status="justerat",
    ))
    para = add(Paragraph(
        document_id=doc.id, organisation_id=org.id, protocol_id=protocol.id, number=5,
        title="Ansökan Jobbcenter 2.0", body=LONG_TEXT, dnr="SÖS 2023/17",
        proposal="Styrelsen föreslås bevilja medel.", motions="Ordföranden yrkar bifall.",
        decision="Styrelsen beslutar att bevilja 1 200 000 kr.", search_text="ansökan jobbcent bevilj", page=3, also="KS § 41",
    ))
    part = add(DocumentPart(
        document_id=doc.id, number=2, kind="verksamhetsplan", title="Verksamhetsplan 2024 med budget — ÅÄÖ",
        start_offset=1_200, end_offset=len(LONG_TEXT), page=4, attached_to_kind="protokoll",
        attached_to_date=dt.date(2023, 11, 24),
    ))
    add(BoardRole(
        person_id=person.id, organisation_id=org.id, role="ordförande", member_body="Haninge kommun",
        party="S", valid_from=dt.date(2023, 1, 1), valid_to=dt.date(2026, 12, 31),
        document_id=doc.id, paragraph_id=para.id,
    ))
    add(Meeting(
        organisation_id=org.id, date=dt.date(2023, 11, 24), start_time=dt.time(9, 0),
        end_time=dt.time(12, 15), place="Haninge, Rudsjöterrassen 2", kind="styrelsemöte",
        status="held", document_id=doc.id, paragraph_id=para.id, protocol_id=protocol.id,
        agenda="1. Mötets öppnande\n2. Val av justerare\n" * 200, basis="protocol",
        changed_by="slack:U0ASA (Åsa Öberg)", changed_at=WINTER, part_id=part.id,
    ))
    add(ProtocolRecord(
        organisation_id=org.id, meeting_date=dt.date(2023, 10, 20), field="justering_date",
        value=dt.date(2023, 10, 27), recorded_on=dt.date(2023, 11, 24), document_id=doc.id,
        paragraph_id=para.id, superseded_at=SUMMER,
    ))
    add(Attendance(
        protocol_id=protocol.id, person_id=person.id, role="ledamot", member_body="Haninge kommun",
        party="S", present=False, voting=True, note="§§ 7-10", title="förste vice ordförande", paragraphs="7-10",
    ))
    add(ProtocolOfficer(protocol_id=protocol.id, person_id=person.id, role="justerare"))
    add(Vacancy(protocol_id=protocol.id, role="ledamot", member_body="Arbetsförmedlingen"))
    # The effort the next grant follows (not round-tripped itself: its previous_id is empty).
    earlier = Grant(
        organisation_id=org.id, key="jobbcenter 2.0", name="Jobbcenter 2.0", full_name="Jobbcenter 2.0 (2021)",
        dnr="SÖS 2020/3", applicants="Haninge", max_amount=990_000, period_start=dt.date(2021, 1, 1),
        period_end=dt.date(2023, 12, 31), conditions="Inga.", reporting="Slutrapport 2024-02-28.",
        status="paid_out", document_id=doc.id, paragraph_id=para.id, previous_id=None,
    )
    session.add(earlier)
    session.flush()
    grant = add(Grant(
        organisation_id=org.id, key="jobbcenter 2.0", name="Jobbcenter 2.0", previous_id=earlier.id,
        full_name="Jobbcenter 2.0 – vägen till arbete", dnr="SÖS 2023/17", applicants="Haninge,Nynäshamn",
        max_amount=1_200_000, period_start=dt.date(2024, 1, 1), period_end=dt.date(2025, 12, 31),
        conditions="Delrapport senast 2024-09-30.", reporting="Slutrapport 2026-02-28.",
        status="granted", document_id=doc.id, paragraph_id=para.id,
    ))
    add(GrantEvent(
        grant_id=grant.id, status="granted", date=dt.date(2023, 11, 24), amount=1_200_000,
        document_id=doc.id, paragraph_id=para.id, note="Beviljat med villkor om delrapport.",
    ))
    add(BudgetFigure(
        organisation_id=org.id, year=2024, kind="budget", section="kostnader", line="Insatser",
        amount=-12_345_000, unit="tkr", as_of=dt.date(2023, 11, 24), document_id=doc.id,
        paragraph_id=para.id, part_id=part.id, page=5,
    ))
    rnd = add(JusteringRound(
        protocol_id=protocol.id, version_hash="b" * 64, status="done", deadline=dt.date(2023, 12, 8),
        started_by="U0ASA", started_at=WINTER, completed_at=SUMMER, platform="slack",
        channel_id="C0BOARD", thread_id="1700000000.000100",
    ))
    add(JusteringSigner(round_id=rnd.id, person_id=person.id, role="justerare"))
    add(JusteringConfirmation(
        round_id=rnd.id, person_id=person.id, version_hash="b" * 64, platform="teams",
        platform_user_id="29:1abc", confirmed_at=SUMMER,
    ))
    add(ChangeRequest(
        round_id=rnd.id, person_id=person.id, text="I § 5 ska det stå 1 200 000 kr, inte 1 000 000 kr.",
        created_at=WINTER, resolved_at=SUMMER, resolution="rättat",
    ))
    add(Reminder(
        organisation_id=org.id, kind="meeting", subject="meeting:1", recipient="slack:C0BOARD",
        due_at=SUMMER, status="sent", attempts=2, next_attempt_at=WINTER, claimed_at=WINTER,
        claimed_by="worker-1", sent_at=SUMMER, platform_message_id="1700000000.000200",
        last_error="timeout\nretried", text="Påminnelse: styrelsemöte fredag 9.00 i Haninge.",
    ))
    add(ConversationLink(
        platform="teams", conversation_id="19:abc@thread.tacv2", organisation_id=org.id,
        team_id="T0TEAM", reference='{"conversation": {"id": "19:abc"}, "serviceUrl": "http://127.0.0.1"}',
        created_at=SUMMER,
    ))
    add(ProcessedEvent(platform="slack", event_id="Ev0123ABC", received_at=WINTER))
    add(BotThread(platform="slack", conversation_id="C0BOARD", thread_id="1700000000.000100",
                  created_at=SUMMER))
    add(ConversationContext(platform="slack", conversation_id="C0BOARD", thread_id="1700000000.000100",
                            question="Vad beviljades Jobbcenter 2.0?", named="Jobbcenter 2.0",
                            dates="2021", organisation_id=org.id, updated_at=SUMMER))
    add(AuditLog(
        at=SUMMER, organisation_id=org.id, actor="slack:U0ASA", action="justering.confirm",
        subject="protocol:1", detail="version " + "b" * 64,
    ))
    # The chain's head is made by the migration and moved by every append: read, not added.
    head = session.get(AuditHead, 1)
    assert head is not None and head.last_hash == rows[-1].entry_hash
    rows.append(head)
    return rows


def _datetimes(values: dict[str, Any]) -> dict[str, dt.datetime]:
    return {k: v for k, v in values.items() if isinstance(v, dt.datetime)}


def test_every_table_round_trips(engine: Engine) -> None:
    with session_scope(engine) as session:
        rows = build_every_row(session)
    written = {(type(r), getattr(r, "id")): r.model_dump() for r in rows}  # noqa: B009

    # The test covers the whole schema: a new table must be added here too.
    assert {type(r).__tablename__ for r in rows} == set(SQLModel.metadata.tables)  # type: ignore[attr-defined]
    for (model, _), values in written.items():
        unfilled = [k for k, v in values.items() if v is None]
        assert not unfilled, f"{model.__name__}: fill {unfilled} so they are round-tripped too"

    with Session(engine) as session:
        for (model, row_id), values in written.items():
            row = session.get(model, row_id)
            assert row is not None, model.__name__
            read = row.model_dump()
            assert read == values, model.__name__
            for name, value in _datetimes(read).items():
                assert value.tzinfo is not None, f"{model.__name__}.{name} came back naive"
                assert value.utcoffset() == dt.timedelta(0), f"{model.__name__}.{name} not in UTC"


def test_exact_types_come_back(engine: Engine) -> None:
    with session_scope(engine) as session:
        build_every_row(session)
    with Session(engine) as session:
        org = session.exec(select(Organisation)).one()
        assert org.reminder_time == dt.time(7, 45, 30)
        assert org.remind_members_personally is True and org.digest_enabled is True
        assert org.created_at == WINTER
        assert org.created_at.tzinfo is not None
        assert org.created_at.astimezone(dt.UTC).replace(tzinfo=None) == dt.datetime(2023, 11, 24, 8, 5, 0, 1)
        attendance = session.exec(select(Attendance)).one()
        assert attendance.present is False and attendance.voting is True
        doc = session.exec(select(Document)).one()
        assert doc.text == LONG_TEXT
        assert doc.ingested_at.astimezone(dt.UTC).replace(tzinfo=None) == dt.datetime(2024, 6, 14, 13, 30, 12, 345678)
        protocol = session.exec(select(Protocol)).one()
        assert type(protocol.meeting_date) is dt.date and protocol.meeting_date == dt.date(2023, 11, 24)
        figure = session.exec(select(BudgetFigure)).one()
        assert figure.amount == -12_345_000


def test_defaults_are_stored(engine: Engine) -> None:
    before = dt.datetime.now(dt.UTC)
    with session_scope(engine) as session:
        session.add(Organisation(name="Förbund med standardvärden"))
    with Session(engine) as session:
        org = session.exec(select(Organisation)).one()
    assert org.reminder_time == dt.time(9, 0)
    assert org.remind_members_personally is False and org.digest_enabled is False
    assert org.org_number is None
    assert before - dt.timedelta(seconds=1) <= org.created_at <= dt.datetime.now(dt.UTC)
    assert org.created_at.utcoffset() == dt.timedelta(0)


def test_naive_timestamp_is_refused(engine: Engine) -> None:
    with pytest.raises(StatementError, match="naive datetime"), session_scope(engine) as session:
        session.add(ProcessedEvent(platform="slack", event_id="E1", received_at=dt.datetime(2024, 1, 1, 9, 0)))
    with Session(engine) as session:
        assert session.exec(select(ProcessedEvent)).all() == []


def test_timestamp_comparison_uses_the_instant(engine: Engine) -> None:
    """A filter written in local time finds the rows of the same instant (scheduler queries)."""
    with session_scope(engine) as session:
        org = Organisation(name="Förbund")
        session.add(org)
        session.flush()
        assert org.id is not None
        # 08:00 UTC written as Stockholm summer time; 08:30 written as UTC.
        for subject, due in (("early", dt.datetime(2024, 6, 14, 10, 0, tzinfo=STHLM)),
                             ("late", dt.datetime(2024, 6, 14, 8, 30, tzinfo=dt.UTC))):
            session.add(Reminder(organisation_id=org.id, kind="meeting", subject=subject,
                                 recipient="console", due_at=due))
    cutoff = dt.datetime(2024, 6, 14, 10, 15, tzinfo=STHLM)  # 08:15 UTC
    with Session(engine) as session:
        found = session.exec(select(Reminder.subject).where(col(Reminder.due_at) <= cutoff)).all()
        ordered = session.exec(select(Reminder.subject).order_by(col(Reminder.due_at))).all()
    assert found == ["early"]
    assert ordered == ["early", "late"]


# --- full-text search plumbing ------------------------------------------------------------


def _matches(engine: Engine, word: str) -> list[int]:
    """Ids of paragraphs whose search_text matches `word`, the way each database searches."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            sql = "SELECT rowid FROM paragraph_fts WHERE paragraph_fts MATCH :q ORDER BY rowid"
        else:
            sql = ("SELECT id FROM paragraph WHERE to_tsvector('simple', search_text) "
                   "@@ to_tsquery('simple', :q) ORDER BY id")
        return list(conn.execute(text(sql), {"q": word}).scalars())


def _paragraphs(engine: Engine) -> tuple[int, int]:
    with session_scope(engine) as session:
        org = Organisation(name="Förbund")
        session.add(org)
        session.flush()
        assert org.id is not None
        doc = Document(organisation_id=org.id, kind="protokoll", file_name="p.pdf", content_hash="h",
                       text="t")
        session.add(doc)
        session.flush()
        assert doc.id is not None
        first = Paragraph(document_id=doc.id, organisation_id=org.id, number=1, title="Budget",
                          body="b", search_text="budget 2024 jobbcent")
        second = Paragraph(document_id=doc.id, organisation_id=org.id, number=2, title="Övrigt",
                           body="b", search_text="övrig fråg jobbcent")
        session.add_all([first, second])
        session.flush()
        assert first.id is not None and second.id is not None
        return first.id, second.id


def test_inserted_paragraph_is_searchable(engine: Engine) -> None:
    first, second = _paragraphs(engine)
    assert _matches(engine, "budget") == [first]
    assert _matches(engine, "jobbcent") == [first, second]
    assert _matches(engine, "övrig") == [second]
    assert _matches(engine, "saknas") == []


def test_search_follows_update_and_delete(engine: Engine) -> None:
    first, second = _paragraphs(engine)
    with session_scope(engine) as session:
        para = session.get(Paragraph, first)
        assert para is not None
        para.search_text = "prognos 2025"
    assert _matches(engine, "budget") == []
    assert _matches(engine, "prognos") == [first]
    assert _matches(engine, "jobbcent") == [second]
    with session_scope(engine) as session:
        para = session.get(Paragraph, second)
        session.delete(para)
    assert _matches(engine, "jobbcent") == []
    assert _matches(engine, "övrig") == []
    assert _matches(engine, "prognos") == [first]


def test_postgres_search_uses_the_gin_index(engine: Engine) -> None:
    """The query expression must be the indexed one, or PostgreSQL scans every paragraph."""
    if engine.dialect.name != "postgresql":
        pytest.skip("GIN index is PostgreSQL only")
    first, _ = _paragraphs(engine)
    with engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))
        plan = "\n".join(conn.execute(text(
            "EXPLAIN SELECT id FROM paragraph WHERE to_tsvector('simple', search_text) "
            "@@ to_tsquery('simple', 'budget')")).scalars())
    assert "ix_paragraph_search" in plan
    assert _matches(engine, "budget") == [first]
