"""The justering certificate: the signature page an e-signing service appends (seeds 000, 001).

It names the protocol and the exact text version (sha256), each signer with role, the
platform and user id they confirmed from and when (Europe/Stockholm), the change requests
and how they were resolved, and confirmations of earlier versions that no longer count.
One `Certificate` is rendered as text (for the chat thread) and as PDF (fpdf2).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, col, select

from storage.audit import ChainReport, verify_chain
from storage.justering import local_time, short_hash, signing_order
from storage.models import AuditLog, Document, JusteringRound, Organisation, Protocol

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
    # Where in the hash-chained audit log it was read: the round, its last entry and that
    # entry's chain hash. `boardbot justering verify` rebuilds the certificate up to there.
    round_id: int = 0
    log_entry: int = 0
    log_hash: str = ""
    issued: str = ""

    @property
    def status(self) -> str:
        if self.justerat and self.justering_date:
            return f"JUSTERAT {self.justering_date.isoformat()}"
        return "OJUSTERAT – alla har inte justerat denna version"


class NotInLog(ValueError):
    """A round the audit log does not tell (its start is missing): no certificate can come from it."""


@dataclass
class _Replay:
    """A round as its audit entries tell it, replayed in order."""

    version: str = ""
    deadline: dt.date | None = None
    started: str = ""
    signers: dict[int, tuple[str, str]] = field(default_factory=dict)  # person id -> (name, role)
    # (person id, version) -> (time, platform, user id)
    confirmed: dict[tuple[int, str], tuple[dt.datetime, str, str | None]] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    requests: list[list[object]] = field(default_factory=list)  # [at, who, text, resolved_at, resolution]
    identity_changes: list[str] = field(default_factory=list)
    completed: tuple[str, dt.date] | None = None  # (version, justering date)
    last_entry: AuditLog | None = None


def _signers(value: object) -> dict[int, tuple[str, str]]:
    rows = value if isinstance(value, list) else []
    return {int(r["person_id"]): (str(r["name"]), str(r["role"])) for r in rows if isinstance(r, dict)}


def _resolve_open(replay: _Replay, at: dt.datetime, resolution: str) -> None:
    for request in replay.requests:
        if request[3] is None:
            request[3], request[4] = at, resolution


def _replay(entries: list[AuditLog]) -> _Replay:
    r = _Replay()
    for entry in entries:
        d = json.loads(entry.detail or "{}")
        action = entry.action
        if action == "justering.started":
            r.version, r.deadline = str(d["version_hash"]), dt.date.fromisoformat(str(d["deadline"]))
            r.started = f"{local_time(entry.at)} av {d.get('started_by') or entry.actor}"
            r.signers = _signers(d.get("signer_list"))
            r.names.update({pid: name for pid, (name, _) in r.signers.items()})
        elif action == "justering.confirmed" and d.get("person_id") is not None:
            pid = int(d["person_id"])
            r.names.setdefault(pid, str(d.get("person")))
            r.confirmed[(pid, str(d["version_hash"]))] = (entry.at, str(d.get("platform")), d.get("user_id"))
        elif action == "justering.signer_identity_changed":
            voided = d.get("voided_confirmation")
            if isinstance(voided, dict):
                r.confirmed.pop((int(d["person_id"]), str(voided.get("version_hash"))), None)
            platform = PLATFORMS.get(str(d.get("platform")), str(d.get("platform")))
            line = (f"{local_time(entry.at)} {d.get('person')}: {platform}-konto {d.get('old_user_id') or 'inget'} "
                    f"→ {d.get('new_user_id') or 'inget'}, ändrat av {d.get('by')}")
            if voided:
                line += " – justering från det tidigare kontot upphävd"
            r.identity_changes.append(line)
        elif action == "justering.change_requested":
            r.requests.append([entry.at, d.get("person"), d.get("text"), None, None])
        elif action == "justering.resumed":
            _resolve_open(r, entry.at, str(d.get("resolution") or ""))
        elif action == "justering.restarted":
            _resolve_open(r, entry.at, f"ny version {short_hash(str(d['new_hash']))}")
            r.version = str(d["new_hash"])
            if d.get("deadline"):
                r.deadline = dt.date.fromisoformat(str(d["deadline"]))
            if d.get("signer_list"):
                r.signers = _signers(d["signer_list"])
                r.names.update({pid: name for pid, (name, _) in r.signers.items()})
        elif action == "justering.completed":
            r.completed = (str(d["version_hash"]), dt.date.fromisoformat(str(d["justering_date"])))
        r.last_entry = entry
    return r


def round_entries(session: Session, round_id: int, up_to: int | None = None) -> list[AuditLog]:
    query = select(AuditLog).where(AuditLog.subject == f"justering_round:{round_id}").order_by(col(AuditLog.id))
    if up_to is not None:
        query = query.where(col(AuditLog.id) <= up_to)
    return list(session.exec(query).all())


def build(session: Session, rnd: JusteringRound, now: dt.datetime, up_to: int | None = None) -> Certificate:
    """The certificate of a round, from its entries in the append-only audit log (up to entry
    `up_to`, for checking an issued certificate): never from the confirmation table, which a
    database user can change."""
    assert rnd.id is not None
    protocol = session.get(Protocol, rnd.protocol_id)
    assert protocol is not None
    organisation = session.get(Organisation, protocol.organisation_id)
    assert organisation is not None
    entries = round_entries(session, rnd.id, up_to)
    r = _replay(entries)
    if not r.version or r.last_entry is None:
        raise NotInLog(f"Justeringsomgång {rnd.id} saknar sin start i granskningsloggen, så inget intyg kan "
                       "utfärdas ur loggen. Kontrollera loggen med `boardbot justering verify`.")
    document = session.exec(select(Document).where(Document.organisation_id == organisation.id,
                                                   Document.content_hash == r.version)).first() \
        or session.get(Document, protocol.document_id)
    assert document is not None
    ordered = sorted(r.signers.items(), key=lambda item: (signing_order(item[1][1]), item[1][0]))
    signers = []
    for pid, (name, role) in ordered:
        confirmed = r.confirmed.get((pid, r.version))
        signers.append(SignerLine(name, role, local_time(confirmed[0]) if confirmed else None,
                                  confirmed[1] if confirmed else None, confirmed[2] if confirmed else None))
    changes = []
    for at, who, request_text, resolved_at, resolution in r.requests:
        assert isinstance(at, dt.datetime)
        line = f"{local_time(at)} {who or '?'}: \"{request_text}\""
        if isinstance(resolved_at, dt.datetime):
            line += f" – löst {local_time(resolved_at)}: {resolution or ''}".rstrip(": ")
        else:
            line += " – ej löst"
        changes.append(line)
    earlier = [
        f"{r.names.get(pid, '?')} justerade version {short_hash(version)} {local_time(at)} "
        f"via {PLATFORMS.get(platform, platform)} – gäller inte den nuvarande texten"
        for (pid, version), (at, platform, _) in sorted(r.confirmed.items(), key=lambda item: item[1][0])
        if version != r.version
    ]
    justerat = r.completed is not None and r.completed[0] == r.version
    assert r.deadline is not None and r.last_entry.id is not None
    return Certificate(
        organisation=organisation.name,
        meeting_date=protocol.meeting_date,
        paragraph_range=protocol.paragraph_range,
        document=document.title or document.file_name,
        version_hash=r.version,
        justerat=justerat,
        justering_date=r.completed[1] if r.completed and justerat else None,
        started=r.started,
        deadline=r.deadline,
        signers=signers,
        changes=changes,
        earlier=earlier,
        identity_changes=r.identity_changes,
        audit_trail=audit_trail(entries),
        round_id=rnd.id,
        log_entry=r.last_entry.id,
        log_hash=r.last_entry.entry_hash,
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


def audit_trail(entries: list[AuditLog]) -> list[str]:
    """The round's log entries as lines: what happened, when, by whom."""
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


def content_sections(cert: Certificate) -> list[tuple[str, list[str]]]:
    """What the certificate attests: everything but when it was printed and how to check it."""
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
    return parts


def fingerprint(cert: Certificate) -> str:
    """sha256 of what the certificate attests and where in the log it was read."""
    payload = json.dumps([content_sections(cert), cert.round_id, cert.log_entry, cert.log_hash],
                         ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def sections(cert: Certificate) -> list[tuple[str, list[str]]]:
    """Heading and lines of each part, shared by the text and the PDF."""
    check = [
        f"Intyg för justeringsomgång {cert.round_id}, läst ur granskningsloggen till och med post "
        f"{cert.log_entry}.",
        f"Kedjehash: {cert.log_hash}",
        f"Kontrollsumma: {fingerprint(cert)}",
        "Kontrollera intyget och loggen: boardbot justering verify <intygsfil>",
        f"Intyget skapades {cert.issued} av boardbot ur den hashkedjade, oföränderliga granskningsloggen.",
    ]
    return [*content_sections(cert), ("Kontroll", check)]


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


# --- checking an issued certificate -------------------------------------------------------

_ROUND = re.compile(r"justeringsomg\S*ng\s+(\d+)", re.IGNORECASE)
_ENTRY = re.compile(r"till\s+och\s+med\s+post\s+(\d+)", re.IGNORECASE)
_CHAIN = re.compile(r"Kedjehash:\s*([0-9a-f\s]{64,})", re.IGNORECASE)
_SUM = re.compile(r"Kontrollsumma:\s*([0-9a-f\s]{64,})", re.IGNORECASE)
# What PDF text extraction may turn typography into; compared without any whitespace, so that
# a line wrapped in the PDF still matches.
_PLAIN = str.maketrans({"–": "-", "—": "-", "“": '"', "”": '"', "’": "'", "…": "...", "→": "->"})


def _squeeze(text: str) -> str:
    return "".join(text.translate(_PLAIN).split())


def _hex(match: re.Match[str] | None) -> str | None:
    return "".join(match.group(1).split())[:64].lower() if match else None


def read_certificate(path: Path) -> str:
    """The text of a certificate file: the PDF's extracted text, or the text file itself."""
    data = path.read_bytes()
    if data.startswith(b"%PDF"):
        import pdfplumber  # only this command reads PDFs here

        with pdfplumber.open(path) as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages)
    return data.decode("utf-8", errors="replace")


@dataclass
class CertificateCheck:
    chain: ChainReport
    round_id: int | None = None
    log_entry: int | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.problems


def check_certificate(session: Session, text: str, now: dt.datetime) -> CertificateCheck:
    """Checks an issued certificate against the hash-chained audit log.

    The chain must hold; the entry the certificate names must carry the chain hash printed on
    it (so a log rewritten with fresh hashes shows); and the certificate rebuilt from the log up
    to that entry must have the same checksum and every line the certificate shows.
    """
    check = CertificateCheck(verify_chain(session))
    round_match, entry_match = _ROUND.search(text), _ENTRY.search(text)
    chain_hash, checksum = _hex(_CHAIN.search(text)), _hex(_SUM.search(text))
    if not (round_match and entry_match and chain_hash and checksum):
        check.problems.append("Filen är inget justeringsintyg från boardbot (omgång, post, kedjehash eller "
                              "kontrollsumma saknas).")
        return check
    check.round_id, check.log_entry = int(round_match.group(1)), int(entry_match.group(1))
    entry = session.get(AuditLog, check.log_entry)
    if entry is None:
        check.problems.append(f"Post {check.log_entry}, som intyget bygger på, finns inte i granskningsloggen.")
        return check
    if entry.entry_hash != chain_hash:
        check.problems.append(f"Post {check.log_entry} har kedjehash {entry.entry_hash} i loggen, men intyget anger "
                              f"{chain_hash}: loggen har skrivits om efter att intyget utfärdades.")
    rnd = session.get(JusteringRound, check.round_id)
    if rnd is None or entry.subject != f"justering_round:{check.round_id}":
        check.problems.append(f"Post {check.log_entry} hör inte till justeringsomgång {check.round_id}.")
        return check
    try:
        rebuilt = build(session, rnd, now, up_to=check.log_entry)
    except NotInLog as exc:
        check.problems.append(str(exc))
        return check
    if fingerprint(rebuilt) != checksum:
        check.problems.append("Kontrollsumman stämmer inte med det som granskningsloggen säger om justeringen.")
    shown = _squeeze(text)
    missing = [line for _, lines in content_sections(rebuilt) for line in lines if _squeeze(line) not in shown]
    if missing:
        check.problems.append("Intygets text skiljer sig från granskningsloggen; enligt loggen ska det stå: "
                              + " | ".join(missing[:3]))
    return check


def describe_check(check: CertificateCheck) -> list[str]:
    """What `boardbot justering verify` prints."""
    chain = check.chain
    if chain.ok:
        lines = [f"Granskningsloggen: {chain.entries} poster, kedjan är hel (sista post {chain.last_id}, "
                 f"kedjehash {chain.last_hash})."]
    elif chain.broken_at is not None:
        lines = [f"Granskningsloggen är BRUTEN vid post {chain.broken_at}: {chain.reason}."]
    else:
        lines = [f"Granskningsloggen är BRUTEN: {chain.reason}."]
    lines += check.problems
    if check.round_id is not None and check.ok:
        lines.append(f"Intyget stämmer med granskningsloggen (justeringsomgång {check.round_id}, post "
                     f"{check.log_entry}).")
    return lines
