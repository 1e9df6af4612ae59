"""`boardbot ingest`: board documents into the store."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from sqlalchemy import Engine
from tqdm import tqdm

from storage.db import get_engine

SUPPORTED = {".txt", ".md", ".pdf", ".docx", ".png", ".jpg", ".jpeg", ".tif", ".tiff"}


def collect_files(paths: list[Path]) -> list[Path]:
    """Files named directly, and the supported files inside named folders (sorted)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED)
        else:
            files.append(path)
    return files


def register(app: typer.Typer) -> None:
    register_portable(app)

    @app.command("ingest")
    def ingest(
        paths: list[Path] = typer.Argument(..., help="Files or folders (.txt, .md, .pdf, .docx, scanned pages as .png/.jpg/.tif)."),
        org: str | None = typer.Option(None, "--org", help="The organisation the documents belong to, whatever "
                                       "their text names; created when none matches (not when too close to one)."),
        report: bool = typer.Option(False, "--report", help="Print precision and recall per field "
                                    "against ground-truth fixtures (tests/fixtures/seeds)."),
        fixtures: Path = typer.Option(Path("tests/fixtures/seeds"), "--fixtures",
                                      help="Folder of ground-truth fixtures for --report."),
    ) -> None:
        """Read board documents into the store, with a summary per document."""
        from storage.ingest.load import ingest_path

        files = collect_files(paths)
        missing = [f for f in files if not f.exists()]
        for f in missing:
            typer.echo(f"{f}: finns inte / not found", err=True)
        files = [f for f in files if f.exists()]
        engine = get_engine()
        if org is not None:
            org = _organisation_for(engine, org)
        failed = 0
        show_bar = len(files) > 5 and sys.stderr.isatty()
        for path in tqdm(files, disable=not show_bar, unit="dok"):
            result = ingest_path(engine, path, org)
            if not result.ok:
                failed += 1
            tqdm.write(result.summary("sv"), file=sys.stdout if result.ok else sys.stderr)
        added = sum(1 for _ in files) - failed
        typer.echo(f"{added} av {len(files)} dokument inlästa" + (f", {failed} avvisade" if failed else ""))
        if report:
            _print_report(files, fixtures)
        if failed or missing:
            raise typer.Exit(1)


def _organisation_for(engine: Engine, name: str) -> str:
    """The --org organisation's stored name, created first when none matches."""
    from storage.db import session_scope
    from storage.organisations import find_or_create_organisation

    with session_scope(engine) as session:
        choice = find_or_create_organisation(session, name)
        if choice.organisation is None:
            typer.echo(choice.message_sv, err=True)
            raise typer.Exit(2)
        if choice.created:
            typer.echo(choice.message_sv)
        return choice.organisation.name


def register_portable(app: typer.Typer) -> None:
    @app.command("export")
    def export_command(
        org: str = typer.Option(..., "--org", help="The förbund whose name contains TEXT."),
        out: Path | None = typer.Option(None, "--out", help="Write to this file instead of standard output."),
    ) -> None:
        """Write one organisation's facts as YAML, to correct and read back with `import`."""
        from sqlmodel import Session

        from handlers.assistant import find_organisation
        from storage.portable import export_organisation

        with Session(get_engine()) as session:
            organisation = find_organisation(session, org)
            if organisation is None:
                typer.echo(f"Inget förbund (eller flera) matchar {org!r}.", err=True)
                raise typer.Exit(2)
            text = export_organisation(session, organisation)
        if out is None:
            typer.echo(text, nl=False)
        else:
            out.write_text(text, encoding="utf-8")
            typer.echo(f"skrev {out}")

    @app.command("import")
    def import_command(
        file: Path = typer.Argument(..., exists=True, dir_okay=False, help="An edited export (YAML)."),
    ) -> None:
        """Read an edited export back: validated first, errors per line, all or nothing."""
        from storage.db import session_scope
        from storage.portable import import_organisation

        text = file.read_text(encoding="utf-8")
        with session_scope(get_engine()) as session:
            report = import_organisation(session, text, actor=f"import:{file.name}")
            if not report.ok:
                session.rollback()
        if not report.ok:
            for error in report.errors:
                typer.echo(f"{file.name}: {error}", err=True)
            typer.echo("Inget ändrades.", err=True)
            raise typer.Exit(1)
        for change in report.changes:
            typer.echo(f"• {change}")
        typer.echo(f"{len(report.changes)} ändringar inlästa")


def _print_report(files: list[Path], fixtures: Path) -> None:
    from storage.ingest.extract import extract_text
    from storage.ingest.parse import parse_document
    from storage.ingest.report import GroupScore, group_key, layout_lines, load_truth, score
    from storage.settings import get_settings

    totals: dict[str, list[int]] = {}
    groups: dict[tuple[str, str, str], GroupScore] = {}
    for path in files:
        truth = load_truth(fixtures, path.stem)
        if not truth:
            continue
        parsed = parse_document(extract_text(path, get_settings().max_document_bytes).text, path.name)
        scores = score(parsed, truth)
        key = group_key(truth, path.name)
        if key is not None:
            groups.setdefault(key, GroupScore({})).add(scores)
        for name, fs in scores.items():
            t = totals.setdefault(name, [0, 0, 0])
            t[0] += fs.tp
            t[1] += fs.fp
            t[2] += fs.fn
    if not totals:
        typer.echo(f"no fixtures found in {fixtures} for these files")
        return
    typer.echo(f"{'field':<28}{'precision':>10}{'recall':>10}{'tp':>6}{'fp':>6}{'fn':>6}")
    for name, (tp, fp, fn) in sorted(totals.items()):
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        typer.echo(f"{name:<28}{precision:>10.2f}{recall:>10.2f}{tp:>6}{fp:>6}{fn:>6}")
    if groups:
        typer.echo("")
        for line in layout_lines(groups):
            typer.echo(line)
