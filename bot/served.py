"""Files `boardbot serve` hands out at unguessable, expiring addresses.

A Teams card cannot carry a chart of ordinary size inline (a Teams message holds about 28 KB),
and a signer in Teams must be able to open exactly the protocol version they confirm. Both
get an address `/files/<token>/<name>`: the token is 256 random bits; until its time to live
(`BOARDBOT_SERVED_FILE_TTL`) runs out the file is served, and anything else (an unknown,
expired or misspelled address, `/files/` itself) is 404. There is no listing.

Each file is kept in memory and, when a folder is given (`boardbot serve` uses
`<chart folder>/served`), on disk under the SHA-256 of its token, so an address outlives a
restart and works from every `serve` process that shares the folder, while the folder's own
listing reveals no address.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from aiohttp import web

# Past this many live files in memory the oldest go first: a bound whatever the TTL.
MAX_FILES = 2000
# Expired files on disk are swept at most this often: a sweep reads every file's metadata,
# which is not work for each chart a Teams answer publishes.
SWEEP_SECONDS = 300


@dataclass(frozen=True)
class ServedFile:
    body: bytes
    content_type: str
    filename: str
    expires_at: float


class ServedFiles:
    def __init__(self, base_url: str, ttl_seconds: int, clock: Callable[[], float] = time.time,
                 folder: Path | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.ttl_seconds = ttl_seconds
        self.folder = folder
        self._clock = clock
        self._files: dict[str, ServedFile] = {}
        self._lock = threading.Lock()
        self._swept_at: float | None = None

    def publish(self, body: bytes, content_type: str, filename: str) -> str:
        """The address where `body` can be fetched until the time to live runs out."""
        token = secrets.token_urlsafe(32)
        now = self._clock()
        served = ServedFile(body, content_type, filename, now + self.ttl_seconds)
        with self._lock:
            self._expire(now)
            while len(self._files) >= MAX_FILES:
                self._files.pop(next(iter(self._files)))
            self._files[token] = served
        self._store(token, served, now)
        return f"{self.base_url}/files/{token}/{quote(filename)}"

    def get(self, token: str, filename: str) -> ServedFile | None:
        now = self._clock()
        with self._lock:
            self._expire(now)
            found = self._files.get(token)
        if found is None:
            found = self._load(token, now)
        if found is None or found.filename != filename:
            return None
        return found

    def _expire(self, now: float) -> None:
        for token in [t for t, f in self._files.items() if f.expires_at <= now]:
            del self._files[token]

    # --- on disk ------------------------------------------------------------------------------

    def _paths(self, token: str) -> tuple[Path, Path]:
        assert self.folder is not None
        key = hashlib.sha256(token.encode("ascii", "replace")).hexdigest()
        return self.folder / f"{key}.bin", self.folder / f"{key}.json"

    def _store(self, token: str, served: ServedFile, now: float) -> None:
        if self.folder is None:
            return
        try:
            # Only the service's user may read the files (the default folder is under the shared /tmp).
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            body_path, meta_path = self._paths(token)
            for path, data in ((body_path, served.body), (meta_path, json.dumps({
                    "content_type": served.content_type, "filename": served.filename,
                    "expires_at": served.expires_at}).encode())):
                partial = path.with_suffix(f".{os.getpid()}.part")
                partial.write_bytes(data)
                partial.replace(path)
            self._sweep(now)
        except OSError:
            # Memory still serves it from this process; only a restart would lose it.
            return

    def _load(self, token: str, now: float) -> ServedFile | None:
        if self.folder is None:
            return None
        body_path, meta_path = self._paths(token)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if float(meta["expires_at"]) <= now:
                for path in (body_path, meta_path):
                    path.unlink(missing_ok=True)
                return None
            return ServedFile(body_path.read_bytes(), str(meta["content_type"]), str(meta["filename"]),
                              float(meta["expires_at"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _sweep(self, now: float) -> None:
        assert self.folder is not None
        if self._swept_at is not None and now - self._swept_at < SWEEP_SECONDS:
            return
        self._swept_at = now
        for meta_path in self.folder.glob("*.json"):
            with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
                if float(json.loads(meta_path.read_text(encoding="utf-8"))["expires_at"]) <= now:
                    meta_path.with_suffix(".bin").unlink(missing_ok=True)
                    meta_path.unlink(missing_ok=True)


def mount(app: web.Application, served: ServedFiles) -> None:
    async def serve_file(request: web.Request) -> web.Response:
        found = served.get(request.match_info["token"], request.match_info["name"])
        if found is None:
            return web.Response(status=404, text="Finns inte (eller har gått ut).", content_type="text/plain",
                                charset="utf-8")
        left = max(0, int(found.expires_at - time.time()))
        content_type, _, charset = found.content_type.partition("; charset=")
        return web.Response(body=found.body, content_type=content_type, charset=charset or None, headers={
            "Content-Disposition": f"inline; filename*=UTF-8''{quote(found.filename)}",
            "Cache-Control": f"private, max-age={left}",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        })

    app.router.add_get("/files/{token}/{name}", serve_file)
