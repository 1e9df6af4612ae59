"""The one aiohttp app: Slack at /slack/events, Teams at /api/messages, calendar, health."""

from __future__ import annotations

from aiohttp import web

from bot import slack_app, teams_app
from bot.services import Services

SERVICES_KEY = web.AppKey("services", Services)


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def create_app(services: Services) -> web.Application:
    app = web.Application(client_max_size=60 * 1024 * 1024)
    app[SERVICES_KEY] = services
    app.router.add_get("/healthz", health)
    slack_app.mount(app, services)
    teams_app.mount(app, services)
    return app
