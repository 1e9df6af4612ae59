"""`boardbot demo [--reset]`: fill (or refill) the demo store and print the tour."""

from __future__ import annotations

import typer

from bot.demo import DEMO_DIR, TOUR, fill


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo_command(
        reset: bool = typer.Option(False, "--reset", help="Throw away the demo store's changes and fill it again."),
    ) -> None:
        """The demo store (./demo): filled from the bundled fictional förbund on first use; prints the tour."""
        path, filled = fill(DEMO_DIR, reset=reset)
        if filled:
            typer.echo(f"Demodatabasen {'är återställd' if reset else 'är skapad'}: {path}")
        typer.echo(TOUR.format(path=path))
