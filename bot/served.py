"""Files `boardbot serve` hands out at unguessable, expiring addresses.

A Teams card cannot carry a chart of ordinary size inline (a Teams message holds about 28 KB),
and a signer in Teams must be able to open exactly the protocol version they confirm. Both
get an address `/files/<token>/<name>`: the token is 256 random bits, the file is kept in this
process's memory until its time to live (`BOARDBOT_SERVED_FILE_TTL`) runs out, and anything
else (an unknown, expired or misspelled address, `/files/` itself) is 404. There is no
listing. The addresses do not survive a restart of `boardbot serve`: an older card then shows
no image, and the protocol can be posted again with `justera <datum>`.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from aiohttp import web

# Past this many live files the oldest go first: a bound on memory whatever the TTL.
MAX_FILES = 2000


@dataclass(frozen=True)
class ServedFile:
    body: bytes
    content_type: str
    filename: str
    expires_at: float


class ServedFiles:
    def __init__(self, base_url: str, ttl_seconds: int, clock: Callable[[], float] = time.time) -> None:
        self.base_url = base_url.rstrip("/")
        self.ttl_seconds = ttl_seconds
        self._clock = clock
        self._files: dict[str, ServedFile] = {}
        self._lock = threading.Lock()

    def publish(self, body: bytes, content_type: str, filename: str) -> str:
        """The address where `body` can be fetched until the time to live runs out."""
        token = secrets.token_urlsafe(32)
        now = self._clock()
        with self._lock:
            self._expire(now)
            while len(self._files) >= MAX_FILES:
                self._files.pop(next(iter(self._files)))
            self._files[token] = ServedFile(body, content_type, filename, now + self.ttl_seconds)
        return f"{self.base_url}/files/{token}/{quote(filename)}"

    def get(self, token: str, filename: str) -> ServedFile | None:
        now = self._clock()
        with self._lock:
            self._expire(now)
            found = self._files.get(token)
        if found is None or found.filename != filename:
            return None
        return found

    def _expire(self, now: float) -> None:
        for token in [t for t, f in self._files.items() if f.expires_at <= now]:
            del self._files[token]


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
