"""Teams in the shared aiohttp app: POST /api/messages, and the notifier the scheduler uses.

Everything that touches botbuilder is in bot/teams/; this module only wires it in.
"""

from __future__ import annotations

from aiohttp import web

from bot.services import Services
from scheduler.notifier import Notifier

ROUTE = "/api/messages"
# The scheduler's notifier for "teams:…" recipients: app[NOTIFIER_KEY] after mount().
NOTIFIER_KEY = web.AppKey("teams_notifier", Notifier)


def mount(app: web.Application, services: Services) -> None:
    from bot.teams.runtime import build

    runtime = build(services)
    app[NOTIFIER_KEY] = runtime.notifier
    app.router.add_post(ROUTE, runtime.handler)
