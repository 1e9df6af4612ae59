"""Subcommands of `boardbot`, one module per group; each has `register(app)`."""

from types import ModuleType

from bot.commands import answers, audit, db, demo, ingest, justering, reminders, serve, teams

COMMAND_MODULES: list[ModuleType] = [db, ingest, answers, demo, serve, teams, justering, reminders, audit]
