"""POST /api/messages: where the Bot Connector delivers Teams activities.

Botbuilder's own CloudAdapter.process answers a body that is not JSON, or an activity it
cannot read, with a 500 and a traceback; here such requests get a 400 that says what is wrong,
and a request whose token does not verify gets a 401, before the bot sees anything. An
activity whose serviceUrl is not a Bot Framework service host (bot/teams/service_urls.py) gets
a 403, also before anything is handled or stored: the bot would otherwise reply there and keep
the address for reminders; so does an activity from a tenant the bot does not serve. In the
Emulator mode (no tokens) only loopback callers are served.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from botbuilder.core import ActivityHandler, serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity
from msrest.serialization import Model

from bot.teams.service_urls import ServiceUrlPolicy, is_loopback

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.Response]]

# An activity is a few kilobytes (a Teams message holds about 28 KB); nothing larger is read
# before the caller has proven who it is.
MAX_ACTIVITY_BYTES = 512 * 1024


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def _read_activity(raw: bytes) -> tuple[Activity, dict[str, Any]] | str:
    """The activity in a request body (and its JSON), or what is wrong with the body."""
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return "the body is not valid JSON"
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    if not isinstance(body.get("type"), str) or not body["type"]:
        return "not an activity: 'type' is missing"
    try:
        activity = Activity().deserialize(body)
    except Exception as exc:
        return f"not a valid activity: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
    if not activity.service_url or activity.conversation is None or not activity.conversation.id:
        return "not a valid activity: 'serviceUrl' and 'conversation.id' are required"
    return activity, body


async def _read_at_most(request: web.Request, limit: int) -> bytes | None:
    """The body, or None as soon as it grows past `limit` bytes."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def tenants_of(body: dict[str, Any]) -> set[str]:
    """The Entra tenants an activity's JSON names: channelData.tenant.id and conversation.tenantId
    (read from the JSON: botbuilder's model expects "tenantID" and drops Teams' "tenantId")."""
    channel_data = body.get("channelData")
    tenant = channel_data.get("tenant") if isinstance(channel_data, dict) else None
    conversation = body.get("conversation")
    values = [tenant.get("id") if isinstance(tenant, dict) else None]
    if isinstance(conversation, dict):
        values += [conversation.get("tenantId"), conversation.get("tenantID")]
    return {str(v).strip().lower() for v in values if v}


def make_handler(adapter: CloudAdapter, bot: ActivityHandler, policy: ServiceUrlPolicy, *,
                 emulator: bool = False, tenants: frozenset[str] = frozenset()) -> Handler:
    """`tenants`: the Entra tenants served (lower case); the Emulator mode has none and checks none."""
    async def messages(request: web.Request) -> web.Response:
        # A reverse proxy on this machine would make every caller look local: what it forwarded
        # (it says so in its headers) is refused too.
        forwarded = any(h in request.headers for h in ("Forwarded", "X-Forwarded-For", "X-Real-IP"))
        if emulator and (forwarded or not is_loopback(request.remote or "")):
            log.warning("Teams: Emulator mode refused a request from %s (loopback only)", request.remote)
            return _error(403, "the Emulator mode answers only on this machine")
        if request.content_type != "application/json":
            return _error(415, "Content-Type must be application/json")
        too_large = _error(413, f"an activity is at most {MAX_ACTIVITY_BYTES // 1024} KB")
        if (request.content_length or 0) > MAX_ACTIVITY_BYTES:
            return too_large
        raw = await _read_at_most(request, MAX_ACTIVITY_BYTES)
        if raw is None:  # sent in chunks, without a length
            return too_large
        read = _read_activity(raw)
        if isinstance(read, str):
            log.info("Teams: rejected a request to /api/messages: %s", read)
            return _error(400, read)
        activity, body = read
        try:
            authenticated = await adapter.bot_framework_authentication.authenticate_request(
                activity, request.headers.get("Authorization", "")
            )
        except Exception as exc:
            log.warning("Teams: refused a request without a valid token from %s: %s", request.remote, exc)
            return _error(401, "unauthorized")
        if not policy.allows(activity.service_url):
            log.warning("Teams: refused an activity from %s whose serviceUrl %r is not an allowed Bot "
                        "Framework host (BOARDBOT_TEAMS_SERVICE_HOSTS)", request.remote, activity.service_url)
            return _error(403, "serviceUrl is not an allowed Bot Framework service host")
        named = tenants_of(body)
        if not emulator and not (named and named <= tenants):
            # A token proves the Bot Framework delivered the activity, not whose directory the
            # user is in: another organisation that installs the app is not served.
            log.warning("Teams: refused an activity from tenant %s (not in MicrosoftAppTenantId or "
                        "BOARDBOT_TEAMS_OTHER_TENANTS)", ", ".join(sorted(named)) or "(none named)")
            return _error(403, "this Teams tenant is not served by this bot")
        try:
            invoke_response = await adapter.process_activity(authenticated, activity, bot.on_turn)
        except Exception:
            log.exception("Teams: handling a %s activity failed", activity.type)
            return _error(500, "the activity could not be handled")
        if invoke_response:
            body = invoke_response.body
            if isinstance(body, Model):
                body = serializer_helper(body)
            return web.json_response(data=body, status=invoke_response.status)
        return web.Response(status=201)

    return messages
