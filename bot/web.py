"""The one aiohttp app: Slack at /slack/events, Teams at /api/messages, calendar, health."""

from __future__ import annotations

from aiohttp import web

from bot import calendar_http, served, teams_app
from bot.services import Services
from bot.slack import app as slack_app
from scheduler.console_notifier import ConsoleNotifier
from scheduler.notifier import Notifier, RoutingNotifier
from scheduler.runner import ReminderRunner

SERVICES_KEY = web.AppKey("services", Services)
RUNNER_KEY = web.AppKey("reminder_runner", ReminderRunner)


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def create_app(services: Services, *, reminders: bool = False) -> web.Application:
    """The web app; with `reminders`, it also runs the reminder scheduler while it serves."""
    app = web.Application(client_max_size=60 * 1024 * 1024)
    app[SERVICES_KEY] = services
    app.router.add_get("/healthz", health)
    slack_app.mount(app, services)
    teams_app.mount(app, services)
    calendar_http.mount(app, services)
    served.mount(app, services.served)
    if reminders:
        app.on_startup.append(_start_reminders)
        app.on_cleanup.append(_stop_reminders)
    return app


def _notifiers(app: web.Application, services: Services) -> list[Notifier]:
    """Every platform that is configured, plus the console (organisations with no channel)."""
    notifiers: list[Notifier] = [ConsoleNotifier()]
    if services.settings.slack_bot_token:
        from bot.slack.notifier import SlackNotifier

        notifiers.append(SlackNotifier(services.settings))
    teams = app.get(teams_app.NOTIFIER_KEY)
    if teams is not None:
        notifiers.append(teams)
    return notifiers


async def _start_reminders(app: web.Application) -> None:
    services = app[SERVICES_KEY]
    runner = ReminderRunner(services.engine, RoutingNotifier(_notifiers(app, services)), clock=services.clock)
    app[RUNNER_KEY] = runner
    await runner.start()


async def _stop_reminders(app: web.Application) -> None:
    runner = app.get(RUNNER_KEY)
    if runner is not None:
        await runner.shutdown()
