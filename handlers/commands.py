"""Imports every module that registers chat commands or button actions (see registry)."""

from handlers import help as _help  # noqa: F401
