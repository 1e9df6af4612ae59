"""A Bot Connector stand-in on 127.0.0.1: records what the bot posts to Teams.

It answers the calls botbuilder's ConnectorClient makes against an activity's serviceUrl:
POST /v3/conversations/{id}/activities (a new message), POST …/activities/{replyToId} (a
reply), PUT …/activities/{activityId} (an update) and POST /v3/conversations (a new 1:1 chat),
each with the JSON the real service returns: {"id": …}; and GET …/members/{id}, which the
bot asks to learn the AAD object id of a person @mentioned in a message.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class Call:
    method: str
    conversation_id: str | None
    activity_id: str | None  # replyToId of a POST, the updated id of a PUT
    body: dict[str, Any]
    authorization: str | None
    returned_id: str


@dataclass
class BotConnectorStandIn:
    calls: list[Call] = field(default_factory=list)
    fail_with: int | None = None  # answer every call with this status, as an outage would
    # GET …/members/{id}: the people Teams knows, by their 29:… id (TeamsChannelAccount JSON).
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Another loopback address (127.0.0.2) stands for a host that is not a Bot Framework service:
    # an attacker's, or an internal one.
    host: str = "127.0.0.1"
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _server: TestServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return str(self._server.make_url("/")).rstrip("/") + "/"

    def messages(self) -> list[Call]:
        return [c for c in self.calls if c.method == "POST" and c.conversation_id is not None]

    def updates(self) -> list[Call]:
        """Activities the bot replaced (PUT …/activities/{id}), e.g. a justering thread's root."""
        return [c for c in self.calls if c.method == "PUT"]

    def new_chats(self) -> list[Call]:
        """Conversations the bot opened (POST /v3/conversations), e.g. a private 1:1 chat."""
        return [c for c in self.calls if c.method == "POST" and c.conversation_id is None]

    async def wait_for(self, count: int, timeout: float = 5.0) -> list[Call]:
        """The message posts once at least `count` have arrived."""
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.messages()) < count:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"expected {count} posts, got {len(self.messages())}: {self.calls}")
            await asyncio.sleep(0.02)
        return self.messages()

    async def _record(self, request: web.Request) -> web.Response:
        if self.fail_with is not None:
            return web.json_response({"error": {"code": "ServiceError", "message": "stand-in outage"}},
                                     status=self.fail_with)
        body = await request.json() if request.can_read_body else {}
        returned = f"standin-{next(self._ids)}"
        self.calls.append(Call(
            method=request.method,
            conversation_id=request.match_info.get("conversation_id"),
            activity_id=request.match_info.get("activity_id"),
            body=body,
            authorization=request.headers.get("Authorization"),
            returned_id=returned,
        ))
        if request.path.rstrip("/") == "/v3/conversations":
            return web.json_response({"id": f"a:private-{returned}", "activityId": returned}, status=201)
        return web.json_response({"id": returned}, status=200 if request.method == "PUT" else 201)

    async def _member(self, request: web.Request) -> web.Response:
        member = self.members.get(request.match_info["member_id"])
        if member is None:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation"}}, status=404)
        return web.json_response(member)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/v3/conversations/{conversation_id}/members/{member_id}", self._member)
        app.router.add_post("/v3/conversations", self._record)
        app.router.add_post("/v3/conversations/{conversation_id}/activities", self._record)
        app.router.add_post("/v3/conversations/{conversation_id}/activities/{activity_id}", self._record)
        app.router.add_put("/v3/conversations/{conversation_id}/activities/{activity_id}", self._record)
        self._server = TestServer(app, host=self.host, port=0)
        await self._server.start_server()

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()


# --- real-shaped activities, as the Bot Connector posts them for Teams ----------------------

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
BOT_ID = "28:0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"
ANNA = {"id": "29:1GcS4EyB_oSI8A88XmWBN7NJFyMqe3QGnJdgLfFGkJnVelzRGos0bPbpsfJjcbAD22bmKc4GMbrY2g4JDrrA8vM06X1-cHHle4zOE6U4ttcc",
        "name": "Anna Andersson", "aadObjectId": "6f3c2a1e-1111-4a2b-9c3d-0123456789ab"}
PERSONAL = "a:1Gy-personal-anna-W8T0dvqvqnsEK4n1GY7mFbKCF0dEo6FZHh8lcMu"
CHANNEL = "19:3f8a1c2b9d4e4f5a8b7c6d5e4f3a2b1c@thread.tacv2"
TEAM = "19:0a1b2c3d4e5f4a5b6c7d8e9f0a1b2c3d@thread.tacv2"


def _base(service_url: str, activity_type: str, activity_id: str, conversation: dict[str, Any],
          channel_data: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "type": activity_type,
        "id": activity_id,
        "timestamp": "2024-05-13T07:30:12.345Z",
        "localTimestamp": "2024-05-13T09:30:12.345+02:00",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": dict(ANNA),
        "conversation": {"tenantId": TENANT, **conversation},
        "recipient": {"id": BOT_ID, "name": "Boardbot"},
        "entities": [{"locale": "sv-SE", "country": "SE", "platform": "Web",
                      "timezone": "Europe/Stockholm", "type": "clientInfo"}],
        "channelData": channel_data or {"tenant": {"id": TENANT}},
        "locale": "sv-SE",
    }


def personal_message(service_url: str, text: str, activity_id: str = "1715585412345",
                     sender: dict[str, Any] | None = None, conversation_id: str = PERSONAL) -> dict[str, Any]:
    activity = _base(service_url, "message", activity_id, {"conversationType": "personal", "id": conversation_id})
    activity.update({"text": text, "textFormat": "plain"})
    if sender is not None:
        activity["from"] = dict(sender)
    return activity


def channel_mention(service_url: str, text: str, activity_id: str = "1715585499999",
                    sender: dict[str, Any] | None = None) -> dict[str, Any]:
    """A new post in a channel that @mentions the bot (the thread is the post itself)."""
    activity = _base(
        service_url, "message", activity_id,
        {"isGroup": True, "conversationType": "channel", "id": f"{CHANNEL};messageid={activity_id}"},
        {"teamsChannelId": CHANNEL, "teamsTeamId": TEAM, "channel": {"id": CHANNEL},
         "team": {"id": TEAM}, "tenant": {"id": TENANT}},
    )
    activity["text"] = f"<at>Boardbot</at> {text}"
    activity["textFormat"] = "plain"
    activity["entities"].insert(0, {"type": "mention", "text": "<at>Boardbot</at>",
                                    "mentioned": {"id": BOT_ID, "name": "Boardbot"}})
    if sender is not None:
        activity["from"] = dict(sender)
    return activity


def _in_channel_thread(service_url: str, activity_type: str, activity_id: str, root_id: str,
                       sender: dict[str, Any]) -> dict[str, Any]:
    """An activity inside the thread under channel post `root_id`, from `sender`."""
    activity = _base(
        service_url, activity_type, activity_id,
        {"isGroup": True, "conversationType": "channel", "id": f"{CHANNEL};messageid={root_id}"},
        {"teamsChannelId": CHANNEL, "teamsTeamId": TEAM, "channel": {"id": CHANNEL},
         "team": {"id": TEAM}, "tenant": {"id": TENANT}},
    )
    activity["from"] = dict(sender)
    return activity


def channel_thread_reply(service_url: str, text: str, root_id: str, sender: dict[str, Any],
                         activity_id: str) -> dict[str, Any]:
    """A reply in a channel thread that @mentions the bot (without it the bot sees nothing)."""
    activity = _in_channel_thread(service_url, "message", activity_id, root_id, sender)
    activity.update({"text": f"<at>Boardbot</at> {text}", "textFormat": "plain", "replyToId": root_id})
    activity["entities"].insert(0, {"type": "mention", "text": "<at>Boardbot</at>",
                                    "mentioned": {"id": BOT_ID, "name": "Boardbot"}})
    return activity


def channel_card_execute(service_url: str, action_id: str, value: str, root_id: str, sender: dict[str, Any],
                         activity_id: str, card_id: str | None = None) -> dict[str, Any]:
    """The invoke of an Action.Execute button on a card in a channel thread (the root, by default)."""
    activity = _in_channel_thread(service_url, "invoke", activity_id, root_id, sender)
    activity.update({
        "name": "adaptiveCard/action",
        "replyToId": card_id or root_id,
        "value": {"action": {"type": "Action.Execute", "verb": action_id,
                             "data": {"action_id": action_id, "value": value}},
                  "trigger": "manual"},
    })
    return activity


def channel_card_submit(service_url: str, action_id: str, value: str, root_id: str, sender: dict[str, Any],
                        activity_id: str, card_id: str | None = None) -> dict[str, Any]:
    """What a client without Universal Actions sends for the same button: Action.Submit, a message
    with no text whose value is the button's data."""
    activity = _in_channel_thread(service_url, "message", activity_id, root_id, sender)
    activity.update({"replyToId": card_id or root_id, "value": {"action_id": action_id, "value": value}})
    return activity


def mention(member: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The text and entity of an @mention of a person, as Teams writes them (no AAD id)."""
    tag = f"<at>{member['name']}</at>"
    return tag, {"type": "mention", "text": tag, "mentioned": {"id": member["id"], "name": member["name"]}}


def card_execute(service_url: str, action_id: str, value: str, activity_id: str = "f:7715585400001",
                 card_id: str = "1715585400000") -> dict[str, Any]:
    """The invoke Teams sends when an Action.Execute button on the bot's card is clicked."""
    activity = _base(service_url, "invoke", activity_id, {"conversationType": "personal", "id": PERSONAL})
    activity.update({
        "name": "adaptiveCard/action",
        "replyToId": card_id,
        "value": {"action": {"type": "Action.Execute", "title": "Bekräfta", "verb": action_id,
                             "data": {"action_id": action_id, "value": value}},
                  "trigger": "manual"},
    })
    return activity


def bot_installed_in_team(service_url: str, activity_id: str = "f:8a9b0c1d-install") -> dict[str, Any]:
    return _base(
        service_url, "conversationUpdate", activity_id,
        {"isGroup": True, "conversationType": "channel", "id": TEAM},
        {"team": {"id": TEAM, "name": "Styrelsen"}, "eventType": "teamMemberAdded",
         "tenant": {"id": TENANT}},
    ) | {"membersAdded": [{"id": BOT_ID}]}
