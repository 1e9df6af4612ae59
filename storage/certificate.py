"""The justering certificate: the signature page an e-signing service appends (seeds 000, 001).

It names the protocol and the exact text version (sha256), each signer with role, the
platform and user id they confirmed from and when (Europe/Stockholm), the change requests
and how they were resolved, and confirmations of earlier versions that no longer count.
One `Certificate` is rendered as text (for the chat thread) and as PDF (fpdf2).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from storage.justering import RoundView, local_time, short_hash, view
from storage.models import AuditLog, JusteringRound, Person

PLATFORMS = {"slack": "Slack", "teams": "Microsoft Teams", "console": "kommandoraden"}


@dataclass
class SignerLine:
    name: str
    role: str
    confirmed_at: str | None  # local time, or None when not yet confirmed
    platform: str | None
    platform_user_id: str | None


@dataclass
class Certificate:
    organisation: str
    meeting_date: dt.date
    paragraph_range: str | None
    document: str
    version_hash: str
    justerat: bool
    justering_date: dt.date | None
    started: str
    deadline: dt.date
    signers: list[SignerLine]
    changes: list[str] = field(default_factory=list)
    earlier: list[str] = field(default_factory=list)
    # A signer's chat account re-pointed while the round ran (from the audit log).
    identity_changes: list[str] = field(default_factory=list)
    issued: str = ""

    @property
    def status(self) -> str:
        if self.justerat and self.justering_date:
            return f"JUSTERAT {self.justering_date.isoformat()}"
        return "OJUSTERAT – alla har inte justerat denna version"


def build(session: Session, rnd: JusteringRound, now: dt.datetime) -> Certificate:
    current: RoundView = view(session, rnd)
    protocol = current.protocol
    signers = [
        SignerLine(
            s.person.name, s.role,
            local_time(s.confirmation.confirmed_at) if s.confirmation else None,
            s.confirmation.platform if s.confirmation else None,
            s.confirmation.platform_user_id if s.confirmation else None,
        )
        for s in current.signers
    ]
    changes: list[str] = []
    for request in current.change_requests:
        who = session.get(Person, request.person_id)
        line = f"{local_time(request.created_at)} {who.name if who else '?'}: \"{request.text}\""
        if request.resolved_at is not None:
            line += f" – löst {local_time(request.resolved_at)}: {request.resolution or ''}".rstrip(": ")
        else:
            line += " – ej löst"
        changes.append(line)
    earlier = [
        f"{person.name} justerade version {short_hash(c.version_hash)} {local_time(c.confirmed_at)} "
        f"via {PLATFORMS.get(c.platform, c.platform)} – gäller inte den nuvarande texten"
        for person, c in current.earlier
    ]
    identity_changes = []
    for entry in session.exec(select(AuditLog).where(AuditLog.subject == f"justering_round:{rnd.id}",
                                                     AuditLog.action == "justering.signer_identity_changed")
                              .order_by(col(AuditLog.id))).all():
        d = json.loads(entry.detail or "{}")
        platform = PLATFORMS.get(str(d.get("platform")), str(d.get("platform")))
        line = (f"{local_time(entry.at)} {d.get('person')}: {platform}-konto {d.get('old_user_id') or 'inget'} → "
                f"{d.get('new_user_id') or 'inget'}, ändrat av {d.get('by')}")
        if d.get("voided_confirmation"):
            line += " – justering från det tidigare kontot upphävd"
        identity_changes.append(line)
    justerat = rnd.status == "done" and protocol.status == "justerat"
    return Certificate(
        organisation=current.organisation.name,
        meeting_date=protocol.meeting_date,
        paragraph_range=protocol.paragraph_range,
        document=current.document.title or current.document.file_name,
        version_hash=rnd.version_hash,
        justerat=justerat,
        justering_date=protocol.justering_date if justerat else None,
        started=f"{local_time(rnd.started_at)} av {rnd.started_by or 'okänd'}",
        deadline=rnd.deadline,
        signers=signers,
        changes=changes,
        earlier=earlier,
        identity_changes=identity_changes,
        issued=local_time(now),
    )


def _signer_detail(s: SignerLine) -> str:
    if s.confirmed_at is None:
        return "Har inte justerat"
    via = PLATFORMS.get(s.platform or "", s.platform or "")
    who = f", användar-id {s.platform_user_id}" if s.platform_user_id else ""
    return f"Justerat {s.confirmed_at} via {via}{who}"


def sections(cert: Certificate) -> list[tuple[str, list[str]]]:
    """Heading and lines of each part, shared by the text and the PDF."""
    head = [
        f"Organisation: {cert.organisation}",
        f"Protokoll: sammanträde {cert.meeting_date.isoformat()}"
        + (f", {cert.paragraph_range}" if cert.paragraph_range else ""),
        f"Dokument: {cert.document}",
        f"Version (SHA-256): {cert.version_hash}",
        f"Status: {cert.status}",
        f"Justering startad {cert.started}; frist {cert.deadline.isoformat()}",
    ]
    signers: list[str] = []
    for i, s in enumerate(cert.signers, 1):
        signers.append(f"{i}. {s.name}, {s.role}")
        signers.append(f"   {_signer_detail(s)}")
    parts = [("JUSTERINGSINTYG", head), ("Underskrifter (tider i svensk tid, Europe/Stockholm)", signers),
             ("Begärda ändringar", cert.changes or ["Inga"])]
    if cert.earlier:
        parts.append(("Justeringar av tidigare versioner", cert.earlier))
    if cert.identity_changes:
        parts.append(("Ändrade chattkonton under justeringen", cert.identity_changes))
    parts.append(("", [f"Intyget skapades {cert.issued} av boardbot ur den oföränderliga granskningsloggen."]))
    return parts


def render_text(cert: Certificate) -> str:
    out: list[str] = []
    for heading, lines in sections(cert):
        if out:
            out.append("")
        if heading:
            out.append(heading)
        out.extend(lines)
    return "\n".join(out)


# The PDF core fonts cover Latin-1 (å ä ö é §), not the typographic dashes and quotes.
_LATIN1 = str.maketrans({"–": "-", "—": "-", "“": '"', "”": '"', "’": "'", "…": "...", "→": "->", "✓": "v"})


def _latin1(text: str) -> str:
    return text.translate(_LATIN1).encode("latin-1", errors="replace").decode("latin-1")


def render_pdf(cert: Certificate) -> bytes:
    # Imported here: fpdf costs half a second at start-up and only this command needs it.
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(f"Justeringsintyg {cert.organisation} {cert.meeting_date.isoformat()}"))
    pdf.set_author("boardbot")
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    for heading, lines in sections(cert):
        if heading:
            pdf.set_font("Helvetica", style="B", size=16 if heading == "JUSTERINGSINTYG" else 12)
            pdf.multi_cell(0, 8, _latin1(heading), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=10)
        for line in lines:
            pdf.multi_cell(0, 5.5, _latin1(line), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output())
