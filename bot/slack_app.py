"""Placeholder until the platform adapter lands."""

from __future__ import annotations

from aiohttp import web

from bot.services import Services


def mount(app: web.Application, services: Services) -> None:
    return None
