"""`boardbot db …`: the store's schema."""

from __future__ import annotations

import typer

from storage.db import current_revision, describe_url, env_database_url, head_revision, make_engine, upgrade


def register(app: typer.Typer) -> None:
    db_app = typer.Typer(help="The database: create, upgrade and inspect the schema.", no_args_is_help=True)

    @db_app.command("upgrade")
    def db_upgrade(
        revision: str = typer.Argument("head", help="Target revision (default: the newest)."),
        app_role: str | None = typer.Option(
            None, "--app-role", help="PostgreSQL: the role the application connects as; it is granted what it "
            "needs (default: BOARDBOT_DATABASE_APP_ROLE). Run this as the tables' owner."),
    ) -> None:
        """Create the tables, or bring an existing store up to this boardbot's schema."""
        url = env_database_url()
        upgrade(url, revision, app_role=app_role)
        reached = head_revision(url) if revision == "head" else revision
        typer.echo(f"{describe_url(url)} is at schema {reached}")

    @db_app.command("status")
    def db_status() -> None:
        """Show the store's URL (without password) and schema revision."""
        url = env_database_url()
        engine = make_engine(url)
        try:
            current = current_revision(engine)
        finally:
            engine.dispose()
        head = head_revision(url)
        state = "up to date" if current == head else f"needs upgrade to {head}"
        typer.echo(f"{describe_url(url)}: schema {current or 'none'} ({state})")

    app.add_typer(db_app, name="db")
