"""The README's demo tour, run as written: each command of its `sh` block, in order, in a shell.

The shell runs in a scratch folder that holds the repository's `boardbot` wrapper, Makefile,
pyproject.toml and .venv (symlinks), so `demo/` (the kept demo store) and the files the tour
writes land there and not in the developer's own demo.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# What the newcomer types in `make demo`: a greeting, a question, the justering message and
# its first button (Justera); a second `1` answers a confirmation question if one is asked.
CHAT_SESSION = ("hej\nNär är nästa möte?\n\nmöte 2025-10-03 09:00-12:00 Kommunhuset\njustera 2025-06-13\n1\n1\n"
                "tack!\nexit\n")


def tour_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### The demo tour", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the README's demo tour has no sh block"
    return [line for line in block.group(1).splitlines() if line.strip()]


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    if not (ROOT / ".venv" / "bin" / "boardbot").exists():
        pytest.skip("no .venv with boardbot in the repository (run make first)")
    for name in ("boardbot", "Makefile", "pyproject.toml", ".venv"):
        (tmp_path / name).symlink_to(ROOT / name)
    return tmp_path


def run(line: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOARDBOT_")}
    env["HOME"] = str(cwd)  # the chat's history file
    if line.startswith("make "):
        # As written, but without rebuilding .venv when pyproject.toml is newer than its stamp.
        line = line.replace("make ", "make --no-print-directory -o .venv/.installed ", 1)
    stdin = CHAT_SESSION if line.split("#")[0].split()[-1] == "demo" and line.startswith("make") else ""
    return subprocess.run(["sh", "-c", line], cwd=cwd, env=env, input=stdin, capture_output=True, text=True,
                          timeout=120)


def test_readme_demo_tour_runs_as_written(scratch: Path) -> None:
    outputs: dict[str, str] = {}
    for line in tour_commands():
        done = run(line, scratch)
        assert done.returncode == 0, f"{line}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
        outputs[line] = done.stdout

    def output_of(fragment: str) -> str:
        return "\n".join(out for line, out in outputs.items() if fragment in line)

    assert "2025-09-12" in output_of('ask "När är nästa möte?"') or "12 september" in output_of('ask "När är')
    assert "Tove Ekbacka" in output_of("justering start") and "Ingrid Vallmo" in output_of("justering start")
    reminders = output_of("--demo reminders")
    assert "Tove Ekbacka" in reminders and "18 juni 2025" in reminders, reminders
    chat = output_of("make demo ")
    assert "Hej!" in chat and "Varsågod" in chat
    assert "Inlagt: styrelsemöte fredag 3 oktober 2025" in chat
    assert re.search(r"Tove Ekbacka har justerat", chat), chat
    certificate = output_of("justering certificate")
    assert "Tove Ekbacka" in certificate and "Ingrid Vallmo" in certificate
    assert "startad 2025-06-16 09:00:00 av Elsa Brännvall" in certificate and "§§ 31–37" in certificate
    # The console's fixed user id names nobody: the audit trail names who signed in the chat.
    assert "console:Tove Ekbacka" in certificate and "console:console" not in certificate, certificate
    assert "användar-id console" not in certificate, certificate
    assert (scratch / "demo" / "intyg.pdf").read_bytes().startswith(b"%PDF")
    ics = (scratch / "demo" / "norrvik.ics").read_text(encoding="utf-8")
    assert "BEGIN:VCALENDAR" in ics and "Sista dag för justering" not in ics  # justerat: no deadline left
    assert "LOCATION:Kommunhuset" in ics  # the meeting planned in the chat
    assert output_of("--url").strip().endswith("/calendar/norrvik.ics")
    # The store is kept: a later command sees the justerat protocol.
    status = run("./boardbot --demo justering status --org Norrvik --meeting 2025-06-13", scratch)
    assert "justerades 2025-06-16" in status.stdout, status.stdout
    # No temporary demo folders: the store is the kept one.
    assert (scratch / "demo" / "boardbot-demo.db").exists()


def test_empty_store_names_the_missing_forbund(tmp_path: Path) -> None:
    if not (ROOT / ".venv" / "bin" / "boardbot").exists():
        pytest.skip("no .venv with boardbot in the repository (run make first)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOARDBOT_")}
    env["BOARDBOT_DATABASE_URL"] = f"sqlite:///{tmp_path / 'empty.db'}"
    done = subprocess.run([str(ROOT / "boardbot"), "justering", "start", "--org", "Norrvik", "--meeting",
                           "2025-06-13"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "Norrvik" in done.stderr and "finns inte i registret" in done.stderr
    assert "--org" not in done.stderr.replace("`boardbot --demo …`", "")
