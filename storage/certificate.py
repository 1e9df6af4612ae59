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
from pathlib import Path

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
    # Every audit log entry of the round, oldest first: what happened, when, by whom.
    audit_trail: list[str] = field(default_factory=list)
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
        audit_trail=audit_trail(session, rnd),
        issued=local_time(now),
    )


# What each logged action is called in the certificate; an action not listed is shown as logged.
AUDIT_LABELS = {
    "justering.started": "justering startad",
    "justering.confirmed": "justerat",
    "justering.completed": "protokollet justerat",
    "justering.change_requested": "ändring begärd",
    "justering.resumed": "justering återupptagen",
    "justering.restarted": "ny version, justering omstartad",
    "justering.signer_identity_changed": "chattkonto ändrat",
    "justering.thread_bound": "tråd skapad",
    "justering.confirm_refused": "justering nekad",
    "justering.confirm_repeated": "justering upprepad",
    "justering.change_refused": "ändringsbegäran nekad",
    "justering.resume_refused": "återupptagande nekat",
    "justering.signer_added": "justerare tillagd",
    "justering.signer_removed": "justerare borttagen",
    "justering.version_after_done": "ny version efter justering",
}


def audit_trail(session: Session, rnd: JusteringRound) -> list[str]:
    entries = session.exec(select(AuditLog).where(AuditLog.subject == f"justering_round:{rnd.id}")
                           .order_by(col(AuditLog.id))).all()
    lines = []
    for entry in entries:
        detail = json.loads(entry.detail or "{}")
        what = AUDIT_LABELS.get(entry.action, entry.action)
        extra = []
        if detail.get("person"):
            extra.append(str(detail["person"]))
        if detail.get("version_hash"):
            extra.append(f"version {short_hash(str(detail['version_hash']))}")
        tail = f" ({', '.join(extra)})" if extra else ""
        lines.append(f"{local_time(entry.at)[:16]} {what}{tail} – {entry.actor}")
    return lines


def paragraphs_label(paragraph_range: str | None) -> str:
    """'31-37' as '§§ 31–37', '5' as '§ 5'; a range already written with § is kept."""
    if not paragraph_range:
        return ""
    text = paragraph_range.strip()
    if text.startswith("§"):
        return text
    text = text.replace("-", "–")
    return f"§§ {text}" if "–" in text or "," in text else f"§ {text}"


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
        + (f", {paragraphs_label(cert.paragraph_range)}" if cert.paragraph_range else ""),
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
    if cert.audit_trail:
        parts.append(("Granskningslogg (svensk tid)", cert.audit_trail))
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


def _font_files() -> tuple[Path, Path]:
    """DejaVu Sans, regular and bold, as matplotlib (a dependency already) ships it: a TrueType
    font with Swedish letters, §, en dash, arrows and ✓, embedded in the PDF as PDF/A requires."""
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"


def render_pdf(cert: Certificate) -> bytes:
    """The certificate as PDF/A-2b (ISO 19005-2, the format Swedish e-archives keep): fonts
    embedded, XMP metadata naming the PDF/A part and conformance, an sRGB output intent."""
    # Imported here: fpdf costs half a second at start-up and only this command needs it.
    from fpdf import FPDF

    regular, bold = _font_files()
    pdf = FPDF(format="A4", enforce_compliance="PDFA_2B")
    pdf.add_font("DejaVu", "", str(regular))
    pdf.add_font("DejaVu", "B", str(bold))
    pdf.set_title(f"Justeringsintyg {cert.organisation} {cert.meeting_date.isoformat()}")
    pdf.set_subject(f"Justering av protokoll, version (SHA-256) {cert.version_hash}")
    pdf.set_author("boardbot")
    pdf.set_creator("boardbot")
    pdf.set_lang("sv-SE")
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    for heading, lines in sections(cert):
        if heading:
            pdf.set_font("DejaVu", style="B", size=16 if heading == "JUSTERINGSINTYG" else 12)
            pdf.multi_cell(0, 8, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=10)
        for line in lines:
            pdf.multi_cell(0, 5.5, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return bytes(pdf.output())
