"""The benchmark document generator: deterministic, n files, each a board document of a förbund."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from storage.legal_dates import earliest_take_down

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "generate_documents.py"


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_documents", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_gives_the_same_files(gen: ModuleType, tmp_path: Path) -> None:
    gen.generate(25, tmp_path / "a", seed=7)
    gen.generate(25, tmp_path / "b", seed=7)
    gen.generate(25, tmp_path / "c", seed=8)
    assert _contents(tmp_path / "a") == _contents(tmp_path / "b")
    assert _contents(tmp_path / "a") != _contents(tmp_path / "c")


def test_a_document_does_not_depend_on_how_many_are_asked_for(gen: ModuleType, tmp_path: Path) -> None:
    gen.generate(5, tmp_path / "few", seed=3)
    gen.generate(12, tmp_path / "many", seed=3)
    many = _contents(tmp_path / "many")
    assert all(many[name] == data for name, data in _contents(tmp_path / "few").items())


def test_writes_n_board_documents_of_named_forbund(gen: ModuleType, tmp_path: Path) -> None:
    docs = gen.generate(60, tmp_path, seed=1)
    files = sorted(tmp_path.glob("*.txt"))
    assert len(docs) == len(files) == 60
    for doc in docs:
        text = doc.path.read_text(encoding="utf-8")
        assert "§" in text, doc.path.name
        assert doc.organisation.startswith("Samordningsförbundet")
        assert doc.organisation in text, doc.path.name
    assert len({d.organisation for d in docs}) > 20
    assert {d.family for d in docs} == {"A", "B", "C", "D", "E", "F"}


def test_anslag_stays_up_for_the_appeal_period(gen: ModuleType, tmp_path: Path) -> None:
    gen.generate(150, tmp_path, seed=2)
    checked = 0
    for path in tmp_path.glob("*protokoll*.txt"):
        text = path.read_text(encoding="utf-8")
        posted = re.search(r"(?:anslags uppsättande:?\s*|Anslaget uppsatt den\n)(\d{4}-\d\d-\d\d)", text)
        removed = re.search(r"(?:anslags nedtagande:?\s*|Anslag nedtas den\n)(\d{4}-\d\d-\d\d)", text)
        if not (posted and removed):
            continue
        up, down = dt.date.fromisoformat(posted[1]), dt.date.fromisoformat(removed[1])
        assert down >= earliest_take_down(up), path.name
        checked += 1
    assert checked > 30


def test_budget_tables_add_up(gen: ModuleType, tmp_path: Path) -> None:
    gen.generate(80, tmp_path, seed=4)

    def amounts(line: str) -> list[int]:
        cells = [re.sub(r"<.*?>|\s", "", c) for c in line.split("\t")[1:6]]
        return [int(c) if c not in ("", "-") else 0 for c in cells]

    checked = 0
    for path in tmp_path.glob("*.txt"):
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if line.startswith("Summa kostnader\t"):
                costs, start, result, end = (amounts(x) for x in lines[i : i + 4])
                income = next(amounts(x) for x in lines[:i] if x.startswith("Summa intäkter\t"))
                assert [a - b for a, b in zip(income, costs, strict=True)] == result, path.name
                assert [a + b for a, b in zip(start, result, strict=True)] == end, path.name
                checked += 1
    assert checked > 5


def test_cli_writes_the_files(gen: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert gen.main(["--count", "3", "--out", str(tmp_path / "out"), "--seed", "5"]) == 0
    assert len(list((tmp_path / "out").glob("*.txt"))) == 3
    assert "wrote 3 documents" in capsys.readouterr().out
