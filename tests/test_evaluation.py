"""The eval grading: the same verdicts as ../shared/eval/grade.py, scores per family, and the
answers given as answered but wrong singled out."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
from pathlib import Path
from types import ModuleType

import pytest

from bot.evaluation import (
    EvalFileError,
    EvalItem,
    answered_but_wrong,
    family_scores,
    load_items,
    normalise,
    run_items,
    verdict,
    write_report,
)
from handlers.messages import Reply

GRADE = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "grade.py"

# Answers in the forms a reply takes: no-break and thin spaces in amounts, "§ 10", case.
CASES: list[tuple[dict, bool | None, str]] = [
    ({"expect": ["990 000", "§ 10"]}, True, "Beviljat 990\u00a0000 kr.\nKälla: protokoll, §\u00a010"),
    ({"expect": ["990 000", "§ 10"]}, True, "Beviljat 990\u202f000 kr (§10)"),
    ({"expect": ["990 000"]}, True, "Beviljat 99 000 kr"),
    ({"expect": [["2 990 000", "2 990 tkr"]]}, True, "Ungdomstorget: 2 990 TKR"),
    ({"expect": [["2 990 000", "2 990 tkr"]]}, True, "Ungdomstorget: 2 836 tkr"),
    ({"expect": ["Karin Näsmark"]}, False, "Jag hittar ingen justerare."),
    ({"expect": ["Karin Näsmark"]}, None, ""),
    ({"unanswered": True}, False, "Jag hittar inget om Apollo."),
    ({"unanswered": True}, True, "Apollo: 1 000 kr"),
    ({"unanswered": True}, None, "?"),
]


def item(spec: dict) -> EvalItem:
    return EvalItem(id="q", ask="?", expect=tuple(spec.get("expect", ())), unanswered=spec.get("unanswered", False))


def load_grade() -> ModuleType:
    if not GRADE.exists():
        pytest.skip("../shared/eval/grade.py not found")
    spec = importlib.util.spec_from_file_location("shared_grade", GRADE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("spec", "answered", "text"), CASES)
def test_verdicts_agree_with_the_shared_grader(spec: dict, answered: bool | None, text: str) -> None:
    grade = load_grade()
    expected = grade.verdict(spec, {"answered": answered, "text": text})
    assert verdict(item(spec), answered, text)[0] == expected
    assert normalise(text) == grade.norm(text)


def test_verdicts_and_missing_fragments() -> None:
    assert verdict(item({"expect": ["990 000"]}), True, "990\u00a0000 kr") == ("pass", [])
    assert verdict(item({"expect": ["990 000", "§ 11"]}), True, "990 000 kr, § 10") == ("wrong", ["§ 11"])
    assert verdict(item({"expect": ["990 000"]}), False, "Vet inte")[0] == "miss"
    assert verdict(item({"unanswered": True}), True, "Något annat")[0] == "wrong"


def test_report_scores_families_and_lists_the_wrong(tmp_path: Path) -> None:
    questions = tmp_path / "q.yaml"
    questions.write_text(
        "- {id: a, family: people, ask: 'Vem?', expect: ['Karin']}\n"
        "- {id: b, family: people, ask: 'Vem då?', expect: ['Karin']}\n"
        "- {id: c, family: not-in-documents, ask: 'Apollo?', unanswered: true, as_of: 2024-03-01}\n"
        "- {id: d, family: not-in-documents, ask: 'Gemini?', unanswered: true, org: Umeå}\n",
        encoding="utf-8")
    items = load_items(questions)
    assert items[2].as_of == dt.date(2024, 3, 1) and items[3].org == "Umeå"
    replies = {"Vem?": Reply("Karin Näsmark"), "Vem då?": Reply("Cristine Persson"),
               "Apollo?": Reply("Inget om Apollo.", answered=False), "Gemini?": Reply("Gemini: 5 kr")}
    asked: list[tuple[str, str | None, dt.date | None]] = []

    def asker(text: str, org: str | None, as_of: dt.date | None) -> Reply:
        asked.append((text, org, as_of))
        return replies[text]

    outcomes = run_items(items, asker)
    assert asked[2] == ("Apollo?", None, dt.date(2024, 3, 1)) and asked[3][1] == "Umeå"
    assert [o.id for o in answered_but_wrong(outcomes)] == ["b", "d"]
    assert [(s.family, s.passed, s.total, s.wrong) for s in family_scores(outcomes)] == [
        ("not-in-documents", 1, 2, 1), ("people", 1, 2, 1)]
    full, figures = io.StringIO(), io.StringIO()
    write_report(outcomes, full)
    assert full.getvalue().splitlines()[-3:] == ["answered but wrong: 2", "  b, d", "2 passed, 2 failed"]
    assert "WRONG b: Vem då?" in full.getvalue() and "a: Vem?" not in full.getvalue()
    write_report(outcomes, figures, details=False)  # as for a held-out split: figures only
    assert figures.getvalue().splitlines() == [
        "  not-in-documents: 1/2 (50%), answered but wrong 1", "  people: 1/2 (50%), answered but wrong 1",
        "answered but wrong: 2", "2 passed, 2 failed"]


@pytest.mark.parametrize("body", [
    "- {id: a, ask: 'x'}\n",  # neither expect nor unanswered
    "- {id: a, ask: 'x', unanswered: true}\n- {id: a, ask: 'y', unanswered: true}\n",
    "- {id: a, ask: 'x', unanswered: true, as_of: 'i morgon'}\n",
    "id: a\n",
    "- [unclosed\n",
])
def test_bad_question_files_are_refused_with_the_reason(tmp_path: Path, body: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(EvalFileError, match=r"bad\.yaml"):
        load_items(path)
