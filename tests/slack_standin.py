"""A Slack Web API stand-in: an aiohttp server on 127.0.0.1 (a free port) that answers the
methods boardbot calls, the way Slack does, and records every call.

Point the bot at it with BOARDBOT_SLACK_API_URL = standin.api_url. Files served for download
(`add_file`) demand the bot token as `Authorization: Bearer`, like files.slack.com.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Call:
    method: str  # the Web API method ("chat.postMessage"), or "upload", "download", "response_url"
    args: dict[str, Any]
    token: str | None = None
    result: dict[str, Any] = field(default_factory=dict)  # what the stand-in answered


@dataclass
class StandinFile:
    info: dict[str, Any]
    content: bytes


@dataclass
class SlackStandin:
    token: str = "xoxb-stand-in"  # short: no secret scanner mistakes it for a real token
    bot_user_id: str = "UBOT"
    bot_id: str = "BBOT"
    team_id: str = "T0001"
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, StandinFile] = field(default_factory=dict)
    # method -> Slack error code to answer with instead of ok (e.g. "channel_not_found").
    failures: dict[str, str] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    port: int = 0

    def __post_init__(self) -> None:
        self._ts = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._uploads: dict[str, bytes] = {}
        # channel -> its messages, oldest first, as conversations.history returns them (newest first).
        self.history: dict[str, list[dict[str, Any]]] = {}
        self._runner: web.AppRunner | None = None
        self._changed = asyncio.Event()

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> SlackStandin:
        app = web.Application(client_max_size=100 * 1024 * 1024)
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/files-pri/{file_id}/{name}", self._download)
        app.router.add_post("/response/{key}", self._response_url)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, key: str) -> str:
        return f"{self.base_url}/response/{key}"

    # --- set-up -------------------------------------------------------------------------------

    def add_user(self, user_id: str, name: str, email: str | None = None) -> None:
        self.users[user_id] = {"id": user_id, "name": name, "real_name": name,
                               "profile": {"real_name": name, "email": email} if email else {"real_name": name}}

    def add_file(self, file_id: str, name: str, content: bytes, *, user: str, channel: str, ts: str,
                 thread_ts: str | None = None, public: bool = True) -> dict[str, Any]:
        """A file as files.info describes it; returns the object Slack puts in a message's `files`."""
        share: dict[str, Any] = {"ts": ts}
        if thread_ts:
            share["thread_ts"] = thread_ts
        info = {
            "id": file_id, "name": name, "title": name, "user": user, "size": len(content),
            "filetype": name.rsplit(".", 1)[-1], "mimetype": "application/octet-stream",
            "url_private": f"{self.base_url}/files-pri/{file_id}/{name}",
            "url_private_download": f"{self.base_url}/files-pri/{file_id}/{name}",
            "shares": {("public" if public else "private"): {channel: [share]}},
        }
        self.files[file_id] = StandinFile(info, content)
        return {k: v for k, v in info.items() if k != "shares"}

    # --- reading what happened ----------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def posts(self) -> list[dict[str, Any]]:
        """Everything the bot said: messages, ephemerals, updates and response_url answers."""
        kinds = ("chat.postMessage", "chat.postEphemeral", "chat.update", "response_url")
        return [c.args | {"_method": c.method} for c in self.calls if c.method in kinds]

    async def wait_for(self, method: str, count: int, timeout: float = 15.0) -> list[Call]:
        deadline = time.monotonic() + timeout
        while len(self.calls_to(method)) < count and time.monotonic() < deadline:
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), timeout=max(0.01, deadline - time.monotonic()))
            except TimeoutError:
                break
        return self.calls_to(method)

    def _record(self, method: str, args: dict[str, Any], token: str | None,
                result: dict[str, Any] | None = None) -> None:
        self.calls.append(Call(method, args, token, result or {}))
        self._changed.set()

    # --- handlers -----------------------------------------------------------------------------

    @staticmethod
    async def _args(request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                args.update(await request.json())
            else:
                form = await request.post()
                for key, value in form.items():
                    args[key] = value if isinstance(value, str) else getattr(value, "filename", "")
        for key in ("blocks", "view", "files", "attachments", "metadata"):
            if isinstance(args.get(key), str):
                with contextlib.suppress(ValueError):
                    args[key] = json.loads(args[key])
        return args

    @staticmethod
    def _token(request: web.Request, args: dict[str, Any]) -> str | None:
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            return auth.removeprefix("Bearer ")
        token = args.pop("token", None)
        return str(token) if token else None

    def _next_ts(self) -> str:
        # Like Slack's: the posting time in seconds, unique within the workspace's channel.
        return f"{int(time.time())}.{next(self._ts):06d}"

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._args(request)
        token = self._token(request, args)
        answer = getattr(self, "_m_" + method.replace(".", "_"), None)
        body: dict[str, Any]
        if token != self.token:
            body = {"ok": False, "error": "invalid_auth" if token else "not_authed"}
        elif method in self.failures:
            body = {"ok": False, "error": self.failures[method]}
        elif answer is None:
            body = {"ok": False, "error": "unknown_method"}
        else:
            body = answer(args)
        self._record(method, args, token, body)
        return web.json_response(body)

    def _m_auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": "https://standin.slack.com/", "team": "Standin", "user": "boardbot",
                "team_id": self.team_id, "user_id": self.bot_user_id, "bot_id": self.bot_id}

    def _channel(self, channel: str) -> str:
        # Posting to a user id opens the DM with that user, as Slack does.
        return "D" + channel[1:] if channel.startswith(("U", "W")) else channel

    def _m_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel") or "")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if not args.get("text") and not args.get("blocks"):
            return {"ok": False, "error": "no_text"}
        metadata = args.get("metadata")
        if metadata is not None and not (isinstance(metadata, dict) and isinstance(metadata.get("event_type"), str)
                                         and isinstance(metadata.get("event_payload"), dict)):
            return {"ok": False, "error": "invalid_metadata_format"}
        ts = self._next_ts()
        posted = {"type": "message", "text": args.get("text"), "user": self.bot_user_id, "bot_id": self.bot_id,
                  "ts": ts}
        if args.get("thread_ts"):
            posted["thread_ts"] = args["thread_ts"]
        if metadata is not None:
            posted["metadata"] = metadata
        self.history.setdefault(self._channel(channel), []).append(posted)
        return {"ok": True, "channel": self._channel(channel), "ts": ts, "message": posted}

    def _m_conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        users = str(args.get("users") or "")
        if not users or "," in users:
            return {"ok": False, "error": "users_list_not_supplied" if not users else "not_enough_users"}
        return {"ok": True, "channel": {"id": self._channel(users)}}

    def _m_conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        """Newest first, `oldest`/`latest` exclusive bounds, `limit` with a cursor; metadata only
        with include_all_metadata, as the Web API does."""
        channel = str(args.get("channel") or "")
        if channel not in self.history and not channel.startswith(("C", "D", "G")):
            return {"ok": False, "error": "channel_not_found"}
        oldest = float(args.get("oldest") or 0)
        latest = float(args.get("latest") or "inf")
        limit = min(int(args.get("limit") or 100), 999)
        offset = int(args.get("cursor") or 0)
        with_metadata = str(args.get("include_all_metadata")).lower() in ("true", "1")
        # Top-level messages only: thread replies are conversations.replies' business.
        matching = [m for m in reversed(self.history.get(channel, []))
                    if oldest < float(m["ts"]) < latest and m.get("thread_ts") in (None, m["ts"])]
        page = matching[offset:offset + limit]
        messages = [m if with_metadata else {k: v for k, v in m.items() if k != "metadata"} for m in page]
        more = offset + limit < len(matching)
        return {"ok": True, "messages": messages, "has_more": more,
                "response_metadata": {"next_cursor": str(offset + limit) if more else ""}}

    def _m_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts"), "text": args.get("text")}

    def _m_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("user"):
            return {"ok": False, "error": "user_not_in_channel"}
        return {"ok": True, "message_ts": self._next_ts()}

    def _m_views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "view": {"id": "V1", **(args.get("view") or {})}}

    def _m_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(args.get("user")))
        return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}

    def _m_files_info(self, args: dict[str, Any]) -> dict[str, Any]:
        stored = self.files.get(str(args.get("file")))
        return {"ok": True, "file": stored.info} if stored else {"ok": False, "error": "file_not_found"}

    def _m_files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        file_id = f"FUP{next(self._file_ids):04d}"
        return {"ok": True, "file_id": file_id, "upload_url": f"{self.base_url}/upload/{file_id}"}

    def _m_files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        files = args.get("files") or []
        return {"ok": True, "files": [{"id": f.get("id"), "title": f.get("title"),
                                       "size": len(self._uploads.get(str(f.get("id")), b""))} for f in files]}

    async def _upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        data = await request.read()
        self._uploads[file_id] = data
        self._record("upload", {"file_id": file_id, "size": len(data)}, None)
        return web.Response(text=f"OK - {len(data)}")

    def uploaded(self, file_id: str) -> bytes:
        return self._uploads[file_id]

    async def _download(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        auth = request.headers.get("Authorization", "")
        self._record("download", {"file_id": file_id}, auth.removeprefix("Bearer ") or None)
        stored = self.files.get(file_id)
        if auth != f"Bearer {self.token}":
            # Slack answers a request without the token with its login page.
            return web.Response(text="<html><body>Sign in to Slack</body></html>", content_type="text/html")
        if stored is None:
            return web.Response(status=404, text="file not found")
        return web.Response(body=stored.content, content_type="application/octet-stream")

    async def _response_url(self, request: web.Request) -> web.Response:
        args = await request.json()
        args["key"] = request.match_info["key"]
        self._record("response_url", args, None)
        return web.Response(text="ok")
