"""The demo: one kept store filled from the bundled fictional förbund, and one fixed date.

`boardbot --demo <command>` runs any command on it, so a newcomer can ask, start and sign a
justering, see due reminders and the calendar, all on the same data at the same moment;
`boardbot demo --reset` fills it again from the samples.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

from storage.settings import get_settings

SAMPLES_DIR = Path(__file__).resolve().parent / "samples"
# Kept in the working directory (the repo root, where the README's commands run).
DEMO_DIR = Path("demo")
DEMO_FILE = "boardbot-demo.db"
# Monday after the June meeting: its protocol waits for justering (due 2025-06-18), so the
# signers' reminders fall due this morning at 09:00, and the next meeting is in September.
DEMO_NOW = "2025-06-16T09:00"
DEMO_ORG = "Norrvik"
# The June protocol's justerare: the demo chat speaks as her, so she can sign.
DEMO_USER = "Tove Ekbacka"
DEMO_MEETING = "2025-06-13"


def demo_path(folder: Path = DEMO_DIR) -> Path:
    return folder / DEMO_FILE


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal", ".scheduler.lock"):
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


def _usable(path: Path) -> bool:
    from storage.db import StoreError, open_engine

    try:
        open_engine(f"sqlite:///{path}", auto_create=False).dispose()
    except StoreError:
        return False
    return True


def fill(folder: Path = DEMO_DIR, *, reset: bool = False) -> tuple[Path, bool]:
    """The demo store, filled from the samples when missing (or when `reset`); True if filled now."""
    from storage.db import open_engine
    from storage.ingest.load import ingest_path

    path = demo_path(folder)
    if path.exists() and not reset:
        if _usable(path):
            return path, False
        # A demo store from an older boardbot: the demo's data is the samples, so fill it anew.
        print(f"Demodatabasen {path} är från en annan version av boardbot; den fylls på nytt.", file=sys.stderr)
    folder.mkdir(parents=True, exist_ok=True)
    # Filled under another name and renamed, so an interrupted fill never leaves a half store.
    building = folder / f".{DEMO_FILE}.building"
    _remove(building)
    engine = open_engine(f"sqlite:///{building}")
    try:
        for sample in sorted(SAMPLES_DIR.glob("norrvik_*.txt")):
            result = ingest_path(engine, sample)
            if not result.ok:
                print(result.summary("sv"), file=sys.stderr)
    finally:
        engine.dispose()
    _remove(path)
    building.replace(path)
    _remove(building)
    return path, True


_active = False


def demo_active() -> bool:
    return _active


def activate(folder: Path = DEMO_DIR) -> Path:
    """Point this process's settings at the demo store and the demo's date."""
    global _active
    _active = True
    path, _ = fill(folder)
    os.environ["BOARDBOT_DATABASE_URL"] = f"sqlite:///{path}"
    os.environ["BOARDBOT_NOW"] = DEMO_NOW
    get_settings.cache_clear()
    return path


TOUR = f"""\
Demo: det påhittade Samordningsförbundet Norrvik, som om det vore {DEMO_NOW.replace("T", " ")}.
Databasen {{path}} sparas mellan körningarna; `./boardbot demo --reset` fyller den på nytt.
Rundturen (README.md, "The demo tour"):

  ./boardbot --demo ask "När är nästa möte?"
  ./boardbot --demo justering start --org {DEMO_ORG} --meeting {DEMO_MEETING} --by "Elsa Brännvall"
  ./boardbot --demo reminders
  make demo        chatta som {DEMO_USER}: "justera {DEMO_MEETING}", sedan 1 och 1 för att justera
  ./boardbot --demo justering confirm --org {DEMO_ORG} --meeting {DEMO_MEETING} --person "Ingrid Vallmo" \\
      --version <versionen som start skrev ut>
  ./boardbot --demo justering certificate --org {DEMO_ORG} --meeting {DEMO_MEETING} --pdf demo/intyg.pdf
  ./boardbot --demo calendar --org {DEMO_ORG} --url
"""

CHAT_INTRO = f"""\
Demo: det påhittade Samordningsförbundet Norrvik, som om det vore {DEMO_NOW.replace("T", " ")}; du är {{user}}.
Prova: "När är nästa möte?", "Vad beslutade styrelsen om digital signering?", "budget 2025",
"justera {DEMO_MEETING}" (och sedan 1, 1 för att justera), "hjälp". Databasen: {{path}}.
"""
