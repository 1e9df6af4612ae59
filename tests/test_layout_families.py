"""The layout-family generator: the same facts in every family, with truth the scorer reads."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from storage.ingest.parse import parse_document
from storage.ingest.report import GroupScore, group_key, layout_lines, load_truth, score
from tests.script_modules import load_script

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


@pytest.fixture(scope="module")
def families() -> ModuleType:
    return load_script("layout_families")


def test_every_family_writes_truth_that_the_scorer_groups(families: ModuleType, tmp_path: Path) -> None:
    cases = families.generate_families(3, tmp_path, seed=7, formats=["txt"])
    assert {c.family for c in cases} == set(families.FAMILIES) and len(families.FAMILIES) >= 8
    assert sum(c.held_out for c in cases) == len(families.FAMILIES)  # one case in three
    again = families.make_case("datum", 1, 7)
    assert again.text == next(c for c in cases if c.stem == "datum_001").text  # deterministic
    groups: dict[tuple[str, str, str], GroupScore] = {}
    for path in sorted(tmp_path.glob("*.txt")):
        truth = load_truth(tmp_path, path.stem)
        key = group_key(truth, path.name)
        assert key is not None and key[1] == "txt"
        groups.setdefault(key, GroupScore({})).add(score(parse_document(path.read_text("utf-8")), truth))
    table = layout_lines(groups)
    assert len(table) == 1 + 2 * len(families.FAMILIES)  # header, then dev and held-out per family


def test_money_truth_is_in_kronor_whatever_the_unit(families: ModuleType) -> None:
    import random

    for unit_seed in range(12):
        table, truth, variant = families._money_table(random.Random(unit_seed), 2024)
        unit = variant.split()[0]
        assert f"Belopp i {unit}" in table[0]
        result = next(t for t in truth if t["line"] == "Resultat" and t["kind"] == "budget")
        income = next(t for t in truth if t["line"] == "Summa intäkter" and t["kind"] == "budget")
        assert abs(income["amount"]) >= (1000 if unit != "mnkr" else 100_000)
        assert isinstance(result["amount"], int)


def test_every_family_is_read_as_written(families: ModuleType) -> None:
    """The reader's variations live in data (§ forms, name forms, date forms, page heads): each
    family's facts come back from its text, case by case."""
    from storage.ingest.report import FieldScore

    for family in families.FAMILIES:
        totals: dict[str, FieldScore] = {}
        for index in range(2):
            case = families.make_case(family, index, 11)
            for name, fs in score(parse_document(case.text), case.truth).items():
                totals.setdefault(name, FieldScore()).add(fs)
        low = {n: (fs.precision, fs.recall) for n, fs in totals.items() if fs.precision < 0.98 or fs.recall < 0.95}
        assert low == {}, family
