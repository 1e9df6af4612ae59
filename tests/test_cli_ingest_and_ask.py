"""The commands others drive from scripts: ingest, ask --json, eval, export/import; run for real."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.db import open_engine

BOARDBOT = [sys.executable, "-m", "bot.cli"]


def run(args: list[str], db: Path, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BOARDBOT_DATABASE_URL": f"sqlite:///{db}"}
    return subprocess.run([*BOARDBOT, *args], cwd=cwd, env=env, capture_output=True, text=True, input=stdin,
                          timeout=300)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    seeds = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
    if not seeds.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"seeds missing at {seeds}")
        pytest.skip("seeds not found")
    folder = tmp_path_factory.mktemp("cli")
    db = folder / "store.db"
    result = run(["ingest", str(seeds)], db, Path(__file__).resolve().parents[1])
    assert result.returncode == 0, result.stderr
    assert "5 av 5 dokument inlästa" in result.stdout
    return db, seeds


def counts(db: Path) -> dict[str, int]:
    engine = open_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        out = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
               for t in ("document", "paragraph", "insats", "grantevent", "budgetfigure", "meeting", "person")}
    engine.dispose()
    return out


def test_reingest_is_a_noop(seeded: tuple[Path, Path], tmp_path: Path) -> None:
    db, seeds = seeded
    before = counts(db)
    result = run(["ingest", str(seeds)], db, tmp_path)
    assert result.returncode == 0
    assert result.stdout.count("finns redan") == 5
    assert counts(db) == before


def test_ask_json_names_source(seeded: tuple[Path, Path], tmp_path: Path) -> None:
    db, _ = seeded
    result = run(["ask", "Hur mycket har Jobbcenter 2.0 beviljats?", "--json"], db, tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["answered"] is True
    assert "990" in data["text"].replace("\u00a0", "").replace(" ", "")
    assert data["sources"][0]["paragraph"] == 10
    assert data["sources"][0]["meeting_date"] == "2021-06-11"
    assert "Jämtland" in data["sources"][0]["organisation"]


def test_ask_with_org_and_as_of(seeded: tuple[Path, Path], tmp_path: Path) -> None:
    db, _ = seeded
    result = run(["ask", "När är nästa styrelsemöte?", "--org", "Härnösand", "--as-of", "2024-05-01", "--json"],
                 db, tmp_path)
    data = json.loads(result.stdout)
    assert data["answered"] and "2024-05-31" in data["text"]
    bad = run(["ask", "x", "--as-of", "igår"], db, tmp_path)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr


def test_eval_command_counts_and_writes_answers(seeded: tuple[Path, Path], tmp_path: Path) -> None:
    db, _ = seeded
    questions = tmp_path / "q.yaml"
    questions.write_text(
        "- id: a\n  family: grants\n  ask: Vilket diarienummer har Jobbcenter 2.0?\n  expect: ['P21/2']\n"
        "- id: b\n  family: not-in-documents\n  ask: Hur mycket har Månraketen beviljats?\n  unanswered: true\n"
        "- id: c\n  family: grants\n  ask: Vem justerar protokollet från 11 juni 2021?\n"
        "  expect: ['Någon Annan']\n",
        encoding="utf-8")
    out = tmp_path / "answers.jsonl"
    result = run(["eval", str(questions), "--answers", str(out)], db, tmp_path)
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == "2 passed, 1 failed"
    # A score per family, and the answer given as answered but wrong named by its id.
    assert "  grants: 1/2 (50%), answered but wrong 1" in lines
    assert "  not-in-documents: 1/1 (100%), answered but wrong 0" in lines
    assert lines[-3:-1] == ["answered but wrong: 1", "  c"]
    assert any(line.startswith("WRONG c: ") for line in lines)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    assert rows[1]["answered"] is False
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: a\n  ask: x\n", encoding="utf-8")
    refused = run(["eval", str(bad)], db, tmp_path)
    assert refused.returncode == 2 and "expect" in refused.stderr and "Traceback" not in refused.stderr


def test_bad_files_are_refused_and_others_go_in(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    samples = Path(__file__).resolve().parents[1] / "bot" / "samples"
    shutil.copy(samples / "norrvik_protokoll_2025-02-14.txt", folder / "good.txt")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "binary.pdf").write_bytes(b"\x00\x01\x02" * 100)
    (folder / "recipe.txt").write_text("Kanelbullar: mjöl, smör, socker och kanel. Grädda i 225 grader.",
                                       encoding="utf-8")
    (folder / "latin1.txt").write_bytes(
        (samples / "norrvik_protokoll_2025-04-25.txt").read_text(encoding="utf-8").encode("cp1252", "replace"))
    db = tmp_path / "store.db"
    result = run(["ingest", str(folder)], db, tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "good.txt: inläst" in result.stdout
    assert "latin1.txt: inläst" in result.stdout
    for name in ("empty.txt", "binary.pdf", "recipe.txt"):
        assert name in result.stderr
    assert counts(db)["document"] == 2


def test_export_edit_import(seeded: tuple[Path, Path], tmp_path: Path) -> None:
    db, _ = seeded
    work = tmp_path / "copy.db"
    shutil.copy(db, work)
    exported = run(["export", "--org", "Härnösand"], work, tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert "Helhetslyftet" in exported.stdout
    broken = tmp_path / "broken.yaml"
    lines = exported.stdout.splitlines()
    index = next(i for i, line in enumerate(lines) if "max_amount: 100000" in line)
    lines[index] = lines[index].replace("100000", "hundratusen")
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    refused = run(["import", str(broken)], work, tmp_path)
    assert refused.returncode == 1
    assert f"rad {index + 1}:" in refused.stderr and "Inget ändrades" in refused.stderr
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text(exported.stdout.replace("max_amount: 100000", "max_amount: 150000"), encoding="utf-8")
    applied = run(["import", str(fixed)], work, tmp_path)
    assert applied.returncode == 0, applied.stderr
    asked = run(["ask", "Hur mycket har Helhetslyftet beviljats?", "--json"], work, tmp_path)
    assert "150" in json.loads(asked.stdout)["text"].replace("\u00a0", "").replace(" ", "")
