"""Builds the Teams side of `boardbot serve`: adapter, bot, endpoint and notifier."""

from __future__ import annotations

from dataclasses import dataclass

from botbuilder.integration.aiohttp import CloudAdapter

from bot.services import Services
from bot.teams.adapter import TeamsConfig, config_from_settings, create_adapter
from bot.teams.bot import BoardBot
from bot.teams.endpoint import Handler, make_handler
from bot.teams.notifier import TeamsNotifier
from bot.teams.service_urls import ServiceUrlPolicy


@dataclass
class TeamsRuntime:
    config: TeamsConfig
    adapter: CloudAdapter
    bot: BoardBot
    notifier: TeamsNotifier
    handler: Handler


def build(services: Services) -> TeamsRuntime | None:
    """The Teams runtime, or None when Teams is not configured (then nothing is served)."""
    config = config_from_settings(services.settings)
    if config is None:
        return None
    policy = ServiceUrlPolicy.from_settings(services.settings)
    adapter = create_adapter(config)
    bot = BoardBot(services, config.app_id, policy)
    return TeamsRuntime(
        config=config,
        adapter=adapter,
        bot=bot,
        notifier=TeamsNotifier(adapter, services.engine, config.app_id, policy),
        handler=make_handler(adapter, bot, policy, emulator=config.local, tenants=config.tenants),
    )
