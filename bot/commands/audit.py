"""`boardbot audit-sources`: is every fact found in the place it is cited to?"""

from __future__ import annotations

import typer

from storage.db import get_engine, session_scope


def register(app: typer.Typer) -> None:
    @app.command("audit-sources")
    def audit_sources(
        org: str | None = typer.Option(None, "--org", help="Only the förbund whose name contains TEXT."),
        limit: int = typer.Option(50, "--limit", help="Print at most this many unconfirmed facts (0: all)."),
    ) -> None:
        """Check that each fact's cited § or page holds its value; exit 1 below 99 % confirmed."""
        from storage.source_audit import THRESHOLD, audit

        with session_scope(get_engine()) as session:
            report = audit(session, org)
        shown = report.failures if limit <= 0 else report.failures[:limit]
        for failure in shown:
            typer.echo(failure.line())
        if len(shown) < len(report.failures):
            typer.echo(f"… and {len(report.failures) - len(shown)} more")
        typer.echo(report.summary())
        if report.share < THRESHOLD:
            raise typer.Exit(1)
