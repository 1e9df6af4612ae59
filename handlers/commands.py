"""Imports every module that registers chat commands or button actions (see registry)."""

from handlers import charts as _charts  # noqa: F401
from handlers import digest as _digest  # noqa: F401
from handlers import help as _help  # noqa: F401
from handlers import justering as _justering  # noqa: F401
from handlers import linking as _linking  # noqa: F401
from handlers import meetings_admin as _meetings_admin  # noqa: F401
from handlers import small_talk as _small_talk  # noqa: F401
