"""Teams in the shared aiohttp app: POST /api/messages, and the notifier the scheduler uses.

Everything that touches botbuilder is in bot/teams/; this module only wires it in. Without
Teams credentials (and without the Emulator mode) nothing is mounted: /api/messages is a 404,
so an unauthenticated caller cannot reach the bot or the store through it.
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.services import Services
from scheduler.notifier import Notifier

log = logging.getLogger(__name__)

ROUTE = "/api/messages"
# The scheduler's notifier for "teams:…" recipients: app[NOTIFIER_KEY] after mount(), when
# Teams is configured.
NOTIFIER_KEY = web.AppKey("teams_notifier", Notifier)


def mount(app: web.Application, services: Services) -> bool:
    """Serves Teams when it is configured; returns whether it is."""
    from bot.teams.runtime import build

    runtime = build(services)
    if runtime is None:
        log.info("Teams: off (MicrosoftAppId is not set); %s is not served", ROUTE)
        return False
    app[NOTIFIER_KEY] = runtime.notifier
    app.router.add_post(ROUTE, runtime.handler)
    return True
