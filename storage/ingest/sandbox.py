"""Reading an uploaded file in a child process with limits, so no file can take the service down.

A chat upload is hostile until proven otherwise: a DOCX can unpack a thousandfold, a PDF
stream can inflate 1 MB into 1 GB, a file can have thousands of pages or simply take
forever. So the bytes are read (extracted and parsed) in a separate Python process:

- with an address-space limit (RLIMIT_AS) and a CPU-time limit, at a lower priority;
- killed by the parent when it outlives the wall-time limit;
- after cheap checks that need no parsing: a zip's declared *and* actual unpacked size
  (counted while reading, so a zip that lies about its sizes is caught too), every PDF
  stream's inflated size (inflated in bounded steps, never whole), and the page count;
- before any database transaction is opened: the parent only writes what the child hands
  back, so the store is never locked while a file is read.

Every refusal comes back as an `IngestResult` with a Swedish and an English message; nothing
is written for it. The child runs `storage.ingest.load.read_bytes`, the same extraction and
parsing as `boardbot ingest`, so there is one way of reading a document.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import pickle
import re
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from storage.ingest.extract import ExtractError
from storage.settings import Settings, get_settings

if TYPE_CHECKING:
    from storage.ingest.load import IngestResult, Read

log = logging.getLogger(__name__)

_ROOT = Path(__file__).resolve().parents[2]
# Zip members beyond this are not a Word document but an attack on the zip directory.
MAX_ZIP_MEMBERS = 10_000
_CHUNK = 1024 * 1024
# A PDF stream's data starts after "stream" and one end-of-line; its dictionary (before
# "stream") says whether it is Flate-encoded.
_STREAM_RE = re.compile(rb"stream\r?\n")
_ENDSTREAM = b"endstream"
# Environment variables the reading process must not see.
_SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL|DATABASE_URL|POSTGRES|^SLACK_|^Microsoft",
                          re.IGNORECASE)
# At most this many reads at once: with 2 cores, one child reads while the service answers.
SLOTS = threading.BoundedSemaphore(max(1, (os.cpu_count() or 2) // 2))


@dataclass(frozen=True)
class ReadLimits:
    max_bytes: int
    max_unpacked_bytes: int
    max_stream_bytes: int
    max_pages: int
    max_seconds: float
    max_memory_bytes: int

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> ReadLimits:
        s = settings or get_settings()
        return cls(max_bytes=s.max_document_bytes, max_unpacked_bytes=s.max_unpacked_bytes,
                   max_stream_bytes=s.max_inflated_stream_bytes, max_pages=s.max_document_pages,
                   max_seconds=s.max_read_seconds, max_memory_bytes=s.max_read_memory_bytes)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def _refused(file_name: str, sv: str, en: str) -> IngestResult:
    from storage.ingest.load import IngestResult

    return IngestResult(file_name=file_name, status="rejected", message_sv=sv, message_en=en)


# --- the parent -----------------------------------------------------------------------------


def read_upload(data: bytes, file_name: str, limits: ReadLimits | None = None) -> Read:
    """The file's text and parse, or its refusal; read in a limited child process.

    Blocks the calling thread (run it in a worker thread from async code) for at most about
    `max_seconds`, plus the wait for a free slot when other files are being read.
    """
    limits = limits or ReadLimits.from_settings()
    name = Path(file_name).name or file_name
    if len(data) > limits.max_bytes:
        return _refused(name, f"Filen {name} är för stor; högst {_mb(limits.max_bytes)} tas emot.",
                        f"The file {name} is too large; the limit is {_mb(limits.max_bytes)}.")
    with SLOTS:
        return _run_child(data, name, limits)


def _child_env() -> dict[str, str]:
    """The parent's environment without its secrets: the child reads hostile bytes and needs no
    token, password or database address to do it."""
    env = {k: v for k, v in os.environ.items() if not _SECRET_NAME.search(k)}
    # The child imports this project from the same tree as the parent, installed or not.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def _run_child(data: bytes, name: str, limits: ReadLimits) -> Read:
    started = time.monotonic()
    payload = pickle.dumps((data, name, limits), protocol=pickle.HIGHEST_PROTOCOL)
    process = subprocess.Popen(
        [sys.executable, "-m", "storage.ingest.sandbox"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, env=_child_env(), cwd=tempfile.gettempdir())
    try:
        out, err = process.communicate(payload, timeout=limits.max_seconds)
    except subprocess.TimeoutExpired:
        process.kill()  # the child this call started, and nothing else
        process.communicate()
        log.warning("reading %s took longer than %.0f s; stopped", name, limits.max_seconds)
        seconds = f"{limits.max_seconds:.0f}"
        return _refused(name, f"Det tog för lång tid att läsa {name} (mer än {seconds} sekunder); inget sparades. "
                        "Dela upp dokumentet eller skicka en PDF med text.",
                        f"Reading {name} took too long (more than {seconds} seconds); nothing was saved. "
                        "Split the document or send a PDF with text.")
    elapsed = time.monotonic() - started
    if process.returncode == 0 and out:
        try:
            result: Read = pickle.loads(out)
        except Exception:  # a child that printed garbage is a child that failed
            log.exception("reading %s: the reader's answer could not be understood", name)
        else:
            log.info("read %s in %.1f s in a child process", name, elapsed)
            return result
    log.warning("reading %s failed in its child process (exit %s): %s", name, process.returncode,
                err.decode("utf-8", "replace")[-2000:])
    return _refused(name, f"{name} kunde inte läsas inom gränserna för minne och tid "
                    f"({_mb(limits.max_memory_bytes)}); inget sparades. Dela upp dokumentet eller spara om det.",
                    f"{name} could not be read within the memory and time limits "
                    f"({_mb(limits.max_memory_bytes)}); nothing was saved. Split the document or save it again.")


# --- checks that need no parsing ------------------------------------------------------------


def check_limits(data: bytes, name: str, limits: ReadLimits) -> None:
    """Raises ExtractError when the file would unpack, inflate or run beyond the limits."""
    if data.startswith(b"PK\x03\x04"):
        _check_zip(data, name, limits)
    elif b"%PDF-" in data[:1024]:
        _check_pdf_streams(data, name, limits)
        _check_pdf_pages(data, name, limits)


def _too_much_unpacked(name: str, limits: ReadLimits) -> ExtractError:
    return ExtractError(
        f"{name} packas upp till mer än {_mb(limits.max_unpacked_bytes)} och läses därför inte in; "
        "inget sparades.",
        f"{name} unpacks to more than {_mb(limits.max_unpacked_bytes)}, so it is not loaded; "
        "nothing was saved.")


def _check_zip(data: bytes, name: str, limits: ReadLimits) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_ZIP_MEMBERS:
                raise _too_much_unpacked(name, limits)
            if sum(member.file_size for member in members) > limits.max_unpacked_bytes:
                raise _too_much_unpacked(name, limits)
            # The declared sizes may lie: count what really comes out, a chunk at a time.
            total = 0
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(_CHUNK):
                        total += len(chunk)
                        if total > limits.max_unpacked_bytes:
                            raise _too_much_unpacked(name, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError,
            ValueError, EOFError, zlib.error):
        # Damaged or encrypted: the extractor says so in its own words; nothing big came out.
        return


def _check_pdf_streams(data: bytes, name: str, limits: ReadLimits) -> None:
    """Inflates each Flate stream in bounded steps and stops at the first that grows too big."""
    view = memoryview(data)
    for match in _STREAM_RE.finditer(data):
        start = match.end()
        dictionary = data[max(0, match.start() - 512):match.start()]
        if b"Flate" not in dictionary and b"/Fl" not in dictionary:
            continue
        end = data.find(_ENDSTREAM, start)
        if end < 0:
            end = len(data)
        inflater = zlib.decompressobj()
        produced = 0
        pending = view[start:end]
        try:
            while pending and not inflater.eof:
                produced += len(inflater.decompress(pending, _CHUNK))
                if produced > limits.max_stream_bytes:
                    raise ExtractError(
                        f"{name} innehåller en del som packas upp till mer än "
                        f"{_mb(limits.max_stream_bytes)} och läses därför inte in; inget sparades.",
                        f"{name} holds a part that inflates to more than {_mb(limits.max_stream_bytes)}, "
                        "so it is not loaded; nothing was saved.")
                pending = memoryview(inflater.unconsumed_tail)
        except zlib.error:
            continue  # not Flate after all, or encrypted: the extractor decides


def _check_pdf_pages(data: bytes, name: str, limits: ReadLimits) -> None:
    try:
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(data)
    except Exception:  # damaged or encrypted: the extractor says so in its own words
        return
    try:
        pages = len(document)
    finally:
        document.close()
    if pages > limits.max_pages:
        raise ExtractError(
            f"{name} har {pages} sidor; jag läser in dokument på högst {limits.max_pages} sidor. "
            "Dela upp det och skicka delarna var för sig; inget sparades.",
            f"{name} has {pages} pages; I load documents of at most {limits.max_pages} pages. "
            "Split it and send the parts one by one; nothing was saved.")


# --- the child ------------------------------------------------------------------------------


def _limit_self(limits: ReadLimits) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limits.max_memory_bytes, limits.max_memory_bytes))
    cpu = int(limits.max_seconds) + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    with contextlib.suppress(OSError):
        os.nice(10)  # the service's answers come first


def _read_in_child(data: bytes, name: str, limits: ReadLimits) -> Read:
    from storage.ingest.load import read_bytes

    try:
        check_limits(data, name, limits)
    except ExtractError as exc:
        return _refused(name, exc.message_sv, exc.message_en)
    try:
        return read_bytes(data, name, limits.max_bytes)
    except MemoryError:
        return _refused(name, f"{name} kräver mer minne än {_mb(limits.max_memory_bytes)} för att läsas; "
                        "inget sparades. Dela upp dokumentet eller spara om det.",
                        f"{name} needs more than {_mb(limits.max_memory_bytes)} of memory to read; "
                        "nothing was saved. Split the document or save it again.")


def _child_main() -> None:
    # The answer goes to the real stdout; anything a library prints goes to stderr instead.
    answer = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    data, name, limits = pickle.load(sys.stdin.buffer)
    _limit_self(limits)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    result = _read_in_child(data, name, limits)
    del data
    answer.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    answer.flush()


if __name__ == "__main__":
    _child_main()
