"""`boardbot serve`: the one web app (Slack at /slack/events, Teams, health) on one port."""

from __future__ import annotations

import logging

import typer
from aiohttp import web

from bot.services import Services
from bot.slack import app as slack_app
from bot.teams.service_urls import is_loopback
from bot.web import create_app
from storage.db import get_engine
from storage.settings import Settings, get_settings, public_base_url


def teams_problem(settings: Settings, host: str) -> str | None:
    """Why Teams cannot be served on `host` as configured, or None."""
    from bot.teams.adapter import EMULATOR_SETTING, config_from_settings

    config = config_from_settings(settings)  # a TeamsSetupError says what is half-configured
    if config is not None and config.local and not is_loopback(host):
        return (f"{EMULATOR_SETTING}=1 checks no tokens, so it listens on loopback only: use "
                f"--host 127.0.0.1 (not {host}), or configure MicrosoftAppId, MicrosoftAppPassword "
                "and MicrosoftAppTenantId to serve Teams to the network.")
    return None


def teams_mode(settings: Settings) -> str:
    if settings.microsoft_app_id:
        return "POST /api/messages (Bot Framework tokens required)"
    if settings.teams_emulator:
        return "POST /api/messages (Emulator mode, no tokens, loopback only)"
    return "off (MicrosoftAppId not set)"


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        port: int | None = typer.Option(None, "--port", "-p",
                                        help="Port to listen on (default: BOARDBOT_PORT or PORT, else 3978)."),
        host: str | None = typer.Option(None, "--host",
                                        help="Address to listen on (default: BOARDBOT_HOST, else 127.0.0.1; "
                                             "put a TLS reverse proxy in front rather than 0.0.0.0)."),
    ) -> None:
        """Serve Slack (POST /slack/events, or Socket Mode with SLACK_APP_TOKEN), Teams and /healthz."""
        settings = get_settings()
        logging.getLogger().setLevel(settings.log_level.upper())
        host = host or settings.host
        problem = slack_app.configuration_problem(settings) or teams_problem(settings, host)
        if problem:
            typer.echo(f"boardbot: {problem}", err=True)
            raise typer.Exit(2)
        port = port or settings.port
        # Without BOARDBOT_PUBLIC_URL the addresses handed out (served files) name this port.
        settings = settings.model_copy(update={"port": port})
        engine = get_engine()
        web_app = create_app(Services(engine=engine, settings=settings), reminders=True)
        mode = slack_app.slack_mode(settings)
        slack = {"http": f"POST http://{host}:{port}{slack_app.EVENTS_PATH}", "socket": "Socket Mode",
                 None: "off (SLACK_BOT_TOKEN not set)"}[mode]
        typer.echo(f"boardbot serving on http://{host}:{port} — health: /healthz; Slack: {slack}; "
                   f"Teams: {teams_mode(settings)}; calendars: /calendar/<förbund>.ics; reminders on")
        if not is_loopback(host):
            typer.echo(f"boardbot: note: listening on {host} in plain HTTP; let a TLS reverse proxy be the "
                       "only way in from outside (README: Deploying).", err=True)
        if settings.microsoft_app_id and not settings.public_url:
            # Teams cards link charts and protocol versions at this address: localhost reaches nobody.
            typer.echo(f"boardbot: note: BOARDBOT_PUBLIC_URL is not set, so Teams cards link charts and protocol "
                       f"versions at {public_base_url(settings)}; set it to the proxy's https:// address.", err=True)
        web.run_app(web_app, host=host, port=port, print=None)
