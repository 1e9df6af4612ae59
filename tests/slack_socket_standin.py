"""Slack's Socket Mode, stood in on 127.0.0.1: `apps.connections.open` (called with the app-level
token) answers with a websocket address on loopback; over that websocket the stand-in says
hello, sends envelopes (events_api, slash_commands, interactive) as Slack does, and records
each acknowledgement (`{"envelope_id": …, "payload"?: …}`) the app sends back.

Everything else (chat.postMessage, files, users.info …) is the Web API stand-in it extends.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.slack_standin import SlackStandin


@dataclass
class SocketModeStandin(SlackStandin):
    app_token: str = "xapp-stand-in"  # short: no secret scanner mistakes it for a real token
    acks: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__post_init__()
        self._envelopes = itertools.count(1)
        self._socket: web.WebSocketResponse | None = None
        self._connected = asyncio.Event()
        self._acked = asyncio.Event()
        self._ws_runner: web.AppRunner | None = None
        self.ws_port = 0

    async def start(self) -> SocketModeStandin:
        await super().start()
        app = web.Application()
        app.router.add_get("/link/", self._link)
        self._ws_runner = web.AppRunner(app)
        await self._ws_runner.setup()
        site = web.TCPSite(self._ws_runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.ws_port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._ws_runner is not None:
            await self._ws_runner.cleanup()
        await super().stop()

    # --- the Web API call that opens a connection ---------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["method"] != "apps.connections.open":
            return await super()._api(request)
        args = await self._args(request)
        token = self._token(request, args)
        if token == self.app_token:
            body = {"ok": True, "url": f"ws://127.0.0.1:{self.ws_port}/link/?ticket=stand-in&app_id=A0001"}
        else:
            # Slack refuses a bot token here: only an app-level token with connections:write opens one.
            body = {"ok": False, "error": "not_allowed_token_type" if token else "not_authed"}
        self._record("apps.connections.open", args, token, body)
        return web.json_response(body)

    # --- the websocket ------------------------------------------------------------------------

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        self._socket = socket
        await socket.send_json({"type": "hello", "num_connections": 1,
                                "debug_info": {"host": "applink-stand-in", "approximate_connection_time": 18060},
                                "connection_info": {"app_id": "A0001"}})
        self._connected.set()
        async for frame in socket:
            if frame.type != WSMsgType.TEXT:
                continue
            with contextlib.suppress(ValueError):
                ack = json.loads(frame.data)
                if isinstance(ack, dict) and ack.get("envelope_id"):
                    self.acks[str(ack["envelope_id"])] = ack
                    self._acked.set()
        return socket

    async def wait_connected(self, timeout: float = 10.0) -> None:
        await asyncio.wait_for(self._connected.wait(), timeout)

    async def send(self, kind: str, payload: dict[str, Any], *, retry_attempt: int = 0,
                   envelope_id: str | None = None) -> str:
        """One envelope as Slack sends it; returns its envelope_id."""
        assert self._socket is not None, "the app has not connected"
        envelope_id = envelope_id or f"env-{next(self._envelopes):04d}"
        message: dict[str, Any] = {"envelope_id": envelope_id, "type": kind, "payload": payload,
                                   "accepts_response_payload": kind != "events_api"}
        if kind == "events_api":
            message["retry_attempt"] = retry_attempt
            message["retry_reason"] = "timeout" if retry_attempt else ""
        await self._socket.send_json(message)
        return envelope_id

    async def wait_ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while envelope_id not in self.acks:
            self._acked.clear()
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"envelope {envelope_id} was never acknowledged")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._acked.wait(), remaining)
        return self.acks[envelope_id]
