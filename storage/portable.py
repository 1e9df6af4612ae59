"""One organisation's facts as YAML, and an edited copy read back.

A secretary exports what the parser found (`boardbot export --org …`), fixes what it got
wrong in any text editor, and imports the file (`boardbot import FILE`). The import is
validated first, with errors that name the line; only a file without errors is written, in
one transaction. Each change is audited, and the edited file itself is stored as a
document of kind "rättelse", so corrected facts still point to a source.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlmodel import Field as SQLField
from sqlmodel import Session, SQLModel, col, select

from storage.grant_status import GrantStatus
from storage.models import (
    AuditLog,
    BudgetFigure,
    Document,
    FigureFacts,
    Grant,
    GrantFacts,
    Meeting,
    Organisation,
    Person,
    Protocol,
    ProtocolOfficer,
)

BudgetKind = Literal["budget", "prognos", "utfall", "plan", "kvar"]


class _Item(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]
    id: int | None = None
    delete: bool = False


# The export forms derive from the models' shared declarations (storage/models.py); what they
# add is the validation an edited file needs: the status and kind vocabularies, bounds.
class GrantIn(_Item, GrantFacts):
    name: str = SQLField(min_length=1)
    applicants: str | None = None
    max_amount: int | None = SQLField(default=None, ge=0)
    conditions: str | None = None
    status: GrantStatus = "applied"


class BudgetIn(_Item, FigureFacts):
    year: int = SQLField(ge=1990, le=2100)
    kind: BudgetKind
    line: str = SQLField(min_length=1)
    unit: Literal["kr", "tkr", "mnkr"] = "kr"
    row_type: Literal["line", "subtotal", "total"] = "line"


class MeetingIn(_Item):
    date: dt.date
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    place: str | None = None
    kind: str = "styrelsemöte"
    status: Literal["planned", "held", "cancelled"] = "planned"


class ProtocolIn(_Item):
    meeting_date: dt.date
    justering_deadline: dt.date | None = None
    justering_date: dt.date | None = None
    anslag_posted: dt.date | None = None
    anslag_removed: dt.date | None = None
    status: Literal["ojusterat", "justerat"] = "ojusterat"
    chair: str | None = None
    secretary: str | None = None
    justerare: list[str] = Field(default_factory=list)


class OrganisationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    organisation: str
    grants: list[GrantIn] = Field(default_factory=list)
    budget: list[BudgetIn] = Field(default_factory=list)
    meetings: list[MeetingIn] = Field(default_factory=list)
    protocols: list[ProtocolIn] = Field(default_factory=list)


@dataclass
class ImportReport:
    errors: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _officers(session: Session, protocol_id: int, role: str) -> list[str]:
    return list(session.exec(
        select(Person.name).join(ProtocolOfficer, col(ProtocolOfficer.person_id) == Person.id)
        .where(ProtocolOfficer.protocol_id == protocol_id, ProtocolOfficer.role == role)).all())


def _shared(row: SQLModel, facts: type[SQLModel]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in facts.model_fields}


def export_organisation(session: Session, organisation: Organisation) -> str:
    """The organisation's grants, budget figures, meetings and protocols as YAML."""
    org_id = organisation.id
    grants = session.exec(select(Grant).where(Grant.organisation_id == org_id).order_by(col(Grant.name))).all()
    figures = session.exec(select(BudgetFigure).where(BudgetFigure.organisation_id == org_id)
                           .order_by(col(BudgetFigure.year), col(BudgetFigure.kind), col(BudgetFigure.line))).all()
    meetings = session.exec(select(Meeting).where(Meeting.organisation_id == org_id).order_by(col(Meeting.date))).all()
    protocols = session.exec(select(Protocol).where(Protocol.organisation_id == org_id)
                             .order_by(col(Protocol.meeting_date))).all()
    data: dict[str, Any] = {
        "organisation": organisation.name,
        # Every field the forms share, read from the row as declared once (GrantFacts, FigureFacts).
        "grants": [GrantIn(id=g.id, applicants=g.applicants, conditions=g.conditions,
                           **_shared(g, GrantFacts)).model_dump(mode="json", exclude={"delete"})
                   for g in grants],
        "budget": [BudgetIn(id=f.id, **_shared(f, FigureFacts)).model_dump(mode="json", exclude={"delete"})
                   for f in figures],
        "meetings": [MeetingIn(id=m.id, date=m.date, start_time=m.start_time, end_time=m.end_time, place=m.place,
                               kind=m.kind, status=m.status).model_dump(mode="json", exclude={"delete"})  # type: ignore[arg-type]
                     for m in meetings],
        "protocols": [],
    }
    for p in protocols:
        assert p.id is not None
        chair = _officers(session, p.id, "ordförande")
        secretary = _officers(session, p.id, "sekreterare")
        data["protocols"].append(ProtocolIn(
            id=p.id, meeting_date=p.meeting_date, justering_deadline=p.justering_deadline,
            justering_date=p.justering_date, anslag_posted=p.anslag_posted, anslag_removed=p.anslag_removed,
            status=p.status, chair=chair[0] if chair else None,  # type: ignore[arg-type]
            secretary=secretary[0] if secretary else None,
            justerare=_officers(session, p.id, "justerare")).model_dump(mode="json", exclude={"delete"}))
    header = (f"# {organisation.name}: fakta ur handlingarna. Rätta det som blivit fel och läs in igen med\n"
              "# `boardbot import FIL`. Nya rader utan id läggs till; `delete: true` tar bort en rad.\n")
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)


def _line_map(text: str) -> dict[tuple[Any, ...], int]:
    """Path of every YAML node (e.g. ("grants", 2, "max_amount")) -> its 1-based line."""
    lines: dict[tuple[Any, ...], int] = {}

    def walk(node: yaml.Node, path: tuple[Any, ...]) -> None:
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, (*path, key.value))
                lines[(*path, key.value)] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for i, value in enumerate(node.value):
                walk(value, (*path, i))

    root = yaml.compose(text)
    if root is not None:
        walk(root, ())
    return lines


def validate(text: str) -> tuple[OrganisationIn | None, list[str]]:
    """The parsed file, or errors in Swedish that each name a line."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"rad {mark.line + 1}: " if mark is not None else ""
        return None, [f"{where}filen är inte giltig YAML ({getattr(exc, 'problem', exc)})"]
    if not isinstance(raw, dict):
        return None, ["rad 1: filen ska börja med 'organisation:' och listor med grants, budget, meetings, protocols"]
    try:
        return OrganisationIn.model_validate(raw), []
    except ValidationError as exc:
        lines = _line_map(text)
        errors = []
        for err in exc.errors():
            path = tuple(err["loc"])
            line = None
            for n in range(len(path), -1, -1):
                if path[:n] in lines:
                    line = lines[path[:n]]
                    break
            where = ".".join(str(p) for p in path)
            errors.append(f"rad {line or '?'}: {where}: {err['msg']} (värde: {err.get('input')!r})")
        return None, errors


def _set(row: Any, values: dict[str, Any], label: str, changes: list[str]) -> None:
    for key, value in values.items():
        if getattr(row, key) != value:
            changes.append(f"{label}: {key} {getattr(row, key)!r} → {value!r}")
            setattr(row, key, value)


def import_organisation(session: Session, text: str, actor: str = "import") -> ImportReport:
    """Validates, then applies every change in the caller's transaction (nothing on errors)."""
    report = ImportReport()
    data, report.errors = validate(text)
    if data is None:
        return report
    org = session.exec(select(Organisation).where(Organisation.name == data.organisation)).first()
    if org is None or org.id is None:
        report.errors.append(f"rad 1: okänt förbund {data.organisation!r}; exportera först med boardbot export")
        return report
    org_id = org.id
    doc = Document(organisation_id=org_id, kind="rättelse", title=f"Rättelse {dt.date.today().isoformat()}",
                   file_name="import.yaml", content_hash=hashlib.sha256(text.encode()).hexdigest(), text=text)
    existing = session.exec(select(Document).where(Document.organisation_id == org_id,
                                                   Document.content_hash == doc.content_hash)).first()
    if existing is not None:
        report.changes.append("samma fil är redan inläst; inget ändrades")
        return report
    session.add(doc)
    session.flush()
    assert doc.id is not None
    lines = _line_map(text)

    def owned(model: type[Any], item_id: int, path: tuple[Any, ...]) -> Any:
        row = session.get(model, item_id)
        if row is None or getattr(row, "organisation_id", None) != org_id:
            report.errors.append(f"rad {lines.get(path, '?')}: id {item_id} finns inte hos {org.name}")
            return None
        return row

    for i, g in enumerate(data.grants):
        values = g.model_dump(exclude={"id", "delete"})
        if g.id is None:
            session.add(Grant(organisation_id=org_id, key=g.name.lower().strip(), document_id=doc.id, **values))
            report.changes.append(f"ny insats {g.name}")
            continue
        row = owned(Grant, g.id, ("grants", i))
        if row is None:
            continue
        if g.delete:
            report.errors.append(f"rad {lines.get(('grants', i), '?')}: insatser tas inte bort här, bara rättas")
            continue
        _set(row, values, f"insats {row.name}", report.changes)
    for i, b in enumerate(data.budget):
        values = b.model_dump(exclude={"id", "delete"})
        if b.id is None:
            session.add(BudgetFigure(organisation_id=org_id, document_id=doc.id, **values))
            report.changes.append(f"ny budgetrad {b.line} {b.kind} {b.year}")
            continue
        row = owned(BudgetFigure, b.id, ("budget", i))
        if row is None:
            continue
        if b.delete:
            session.delete(row)
            report.changes.append(f"budgetrad {row.line} {row.kind} {row.year} borttagen")
            continue
        _set(row, values, f"budgetrad {row.line} {row.kind} {row.year}", report.changes)
    for i, m in enumerate(data.meetings):
        values = m.model_dump(exclude={"id", "delete"})
        if m.id is None:
            session.add(Meeting(organisation_id=org_id, document_id=doc.id, **values))
            report.changes.append(f"nytt möte {m.date}")
            continue
        row = owned(Meeting, m.id, ("meetings", i))
        if row is None:
            continue
        if m.delete:
            values["status"] = "cancelled"
        _set(row, values, f"möte {row.date}", report.changes)
    for i, p in enumerate(data.protocols):
        if p.id is None:
            report.errors.append(f"rad {lines.get(('protocols', i), '?')}: protokoll läses in från sina handlingar")
            continue
        row = owned(Protocol, p.id, ("protocols", i))
        if row is None:
            continue
        _set(row, p.model_dump(include={"justering_deadline", "justering_date", "anslag_posted", "anslag_removed",
                                        "status"}), f"protokoll {row.meeting_date}", report.changes)
        _replace_officers(session, org_id, row, p, report.changes)
    if report.errors:
        return report
    session.add(AuditLog(organisation_id=org_id, actor=actor, action="facts.imported", subject=f"document:{doc.id}",
                         detail=json.dumps({"changes": report.changes}, ensure_ascii=False)))
    return report


def _replace_officers(session: Session, org_id: int, protocol: Protocol, p: ProtocolIn, changes: list[str]) -> None:
    assert protocol.id is not None
    wanted = {"ordförande": [p.chair] if p.chair else [], "sekreterare": [p.secretary] if p.secretary else [],
              "justerare": list(p.justerare)}
    for role, names in wanted.items():
        current = _officers(session, protocol.id, role)
        if sorted(current) == sorted(names):
            continue
        for officer in session.exec(select(ProtocolOfficer).where(ProtocolOfficer.protocol_id == protocol.id,
                                                                  ProtocolOfficer.role == role)).all():
            session.delete(officer)
        session.flush()
        for name in names:
            person = session.exec(select(Person).where(Person.organisation_id == org_id, Person.name == name)).first()
            if person is None:
                person = Person(organisation_id=org_id, name=name)
                session.add(person)
                session.flush()
            assert person.id is not None
            session.add(ProtocolOfficer(protocol_id=protocol.id, person_id=person.id, role=role))
        changes.append(f"protokoll {protocol.meeting_date}: {role} {current} → {names}")
