"""A reminder dispatcher with the real Slack notifier, in a process of its own, for the test
that kills it with SIGKILL in the middle of sending (tests/test_slack_outbox.py).

    python -m tests.slack_outbox_child <database url> <Slack API url> <token> <now, ISO 8601>
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys

from bot.slack.notifier import SlackNotifier
from scheduler.outbox import Dispatcher
from storage.db import open_engine
from storage.settings import Settings


def main(url: str, api_url: str, token: str, now_iso: str) -> None:
    engine = open_engine(url)
    now = dt.datetime.fromisoformat(now_iso)
    settings = Settings(_env_file=None, SLACK_BOT_TOKEN=token, BOARDBOT_SLACK_API_URL=api_url)  # type: ignore[call-arg]
    dispatcher = Dispatcher(engine, SlackNotifier(settings), clock=lambda: now)
    asyncio.run(dispatcher.run_once())


if __name__ == "__main__":
    main(*sys.argv[1:5])
