"""The `boardbot` command. Each group of subcommands lives in bot/commands/<name>.py."""

from __future__ import annotations

import logging
import sys

import typer

from bot.commands import COMMAND_MODULES
from storage.db import StoreError

app = typer.Typer(
    name="boardbot",
    help="Board assistant for samordningsförbund: answers, reminders and justering.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)



@app.callback()
def _global_options(
    demo: bool = typer.Option(False, "--demo", help="Run the command on the demo store (./demo, filled from the "
                              "bundled fictional förbund on first use, kept) at the demo's date and time."),
) -> None:
    if demo:
        from bot.demo import activate

        activate()


for module in COMMAND_MODULES:
    module.register(app)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except StoreError as exc:
        # A problem the person can fix: one line that says what to do, no traceback.
        print(f"boardbot: {exc}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
