"""`boardbot serve`: the one web app (Slack at /slack/events, Teams, health) on one port."""

from __future__ import annotations

import logging

import typer
from aiohttp import web

from bot import slack_app
from bot.services import Services
from bot.web import create_app
from storage.db import get_engine
from storage.settings import get_settings


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        port: int | None = typer.Option(None, "--port", "-p",
                                        help="Port to listen on (default: BOARDBOT_PORT or PORT, else 3978)."),
        host: str = typer.Option("0.0.0.0", "--host", help="Address to listen on."),
    ) -> None:
        """Serve Slack (POST /slack/events, or Socket Mode with SLACK_APP_TOKEN), Teams and /healthz."""
        settings = get_settings()
        logging.getLogger().setLevel(settings.log_level.upper())
        problem = slack_app.configuration_problem(settings)
        if problem:
            typer.echo(f"boardbot: {problem}", err=True)
            raise typer.Exit(2)
        engine = get_engine()
        web_app = create_app(Services(engine=engine, settings=settings), reminders=True)
        port = port or settings.port
        mode = slack_app.slack_mode(settings)
        slack = {"http": f"POST http://{host}:{port}{slack_app.EVENTS_PATH}", "socket": "Socket Mode",
                 None: "off (SLACK_BOT_TOKEN not set)"}[mode]
        typer.echo(f"boardbot serving on http://{host}:{port} — health: /healthz; Slack: {slack}; "
                   f"Teams: POST /api/messages; calendars: /calendar/<förbund>.ics; reminders on")
        web.run_app(web_app, host=host, port=port, print=None)
