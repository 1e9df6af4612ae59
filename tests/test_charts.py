"""Charts of budget, grants and equity: the data they are drawn from is the store's, the PNG is real.

The store (tests/chart_store.py) is written through the models, independent of the parser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.console import normalise
from handlers.assistant import Assistant
from handlers.chart_render import expected_size, render, sv_amount, sv_axis_amount
from handlers.charts import budget_chart, equity_chart, grants_chart
from handlers.messages import Message, Reply
from storage.models import BudgetFigure, Grant, Organisation
from tests.chart_store import ASKED, FJALL, KUST, build


@pytest.fixture
def ids(engine: Engine) -> dict[str, int]:
    return build(engine)


@pytest.fixture(autouse=True)
def chart_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "charts"
    monkeypatch.setenv("BOARDBOT_CHART_DIR", str(folder))
    return folder


def ask(engine: Engine, text: str, org: str | None = "Fjällbygden") -> Reply:
    return Assistant(engine).handle(Message(text=text, organisation_hint=org, as_of=ASKED))


def flat(reply: Reply) -> str:
    return normalise(reply.full_text())


def org(engine: Engine, organisation_id: int) -> Organisation:
    with Session(engine) as s:
        found = s.get(Organisation, organisation_id)
        assert found is not None
        return found


def test_budget_chart_draws_the_stores_figures(engine: Engine, ids: dict[str, int]) -> None:
    with Session(engine) as s:
        data = budget_chart(s, org(engine, ids["fjall"]), 2025, ASKED)
        assert data is not None
        # What the store holds, read independently: the lines (no totals, no equity) of the ONE
        # document with most kinds, each kind's newest figure known on the asking day.
        figures = s.exec(select(BudgetFigure).where(BudgetFigure.organisation_id == ids["fjall"],
                                                    BudgetFigure.year == 2025)).all()
        known = [f for f in figures if (f.as_of is None or f.as_of <= ASKED) and "kapital" not in (f.section or "")
                 and f.row_type == "line"]
        doc = max({f.document_id for f in known}, key=lambda d: len({f.kind for f in known if f.document_id == d}))
        expected: dict[str, dict[str, int]] = {}
        for f in sorted((f for f in known if f.document_id == doc), key=lambda f: f.as_of or dt.date.min):
            expected.setdefault(f.line, {})[f.kind] = f.amount
        got = {row.label: row.values for row in data.rows}
        assert got == expected
        assert got["Personalkostnader"] == {"budget": -1_210_000, "prognos": -1_230_000, "utfall": -371_000}
        # Neither a total, nor the plan's lines (another document, written with other signs).
        assert "Summa kostnader" not in got and "Kansli" not in got and "Kapital 1 jan" not in got
        drawn = render(data.spec())
        # About a dozen bars on a phone: the largest rows are drawn, each exactly as stored.
        bars = sum(1 for _key, _label, style in data.series if style == "bar")
        assert len(drawn.shown) * bars <= 12 < len(data.rows) * bars
        size = {i: max(abs(v) for v in row.values.values()) for i, row in enumerate(data.rows)}
        assert min(size[i] for i in drawn.shown) >= max(size[i] for i in size if i not in drawn.shown)
        for key, label, _style in data.series:
            assert drawn.drawn[label] == [None if v is None or i not in drawn.shown else float(v)
                                          for i, v in enumerate(data.values(key))]
        with Image.open(drawn.path) as image:
            assert image.format == "PNG"
            assert image.size == expected_size(data.spec()) == (drawn.width, drawn.height)


def test_budget_command_replies_with_png_table_and_sources(engine: Engine, ids: dict[str, int],
                                                           chart_folder: Path) -> None:
    reply = ask(engine, "visa budgeten för 2025")
    assert reply.answered and reply.language == "sv"
    assert reply.image_path is not None
    path = Path(reply.image_path)
    assert path.parent == chart_folder and path.is_file()
    with Image.open(path) as image:
        image.verify()
    text = flat(reply)
    for fragment in ("Personalkostnader: budget \u22121 210 000 kr, prognos \u22121 230 000 kr, utfall \u2212371 000 kr",
                     "utfall t.o.m. 2025-04-30", "Tertialrapport 1 2025", "rader, inte delsummor eller summor"):
        assert normalise(fragment) in text
    assert "800 000" not in text  # dated after the question
    assert "summa kostnader" not in text and "verksamhetsplan 2025" not in text
    assert ask(engine, "budget 2025").image_path is not None


def test_year_without_figures_says_so_and_draws_nothing(engine: Engine, ids: dict[str, int],
                                                        chart_folder: Path) -> None:
    reply = ask(engine, "budget 2030")
    assert not reply.answered and reply.image_path is None
    assert "Inga siffror för 2030" in reply.text and "2025" in reply.text
    english = ask(engine, "chart grants 2030")
    assert english.language == "en" and english.image_path is None
    assert "No figures for 2030" in english.text
    assert not chart_folder.exists() or not list(chart_folder.glob("*.png"))


def test_budget_part_and_a_question_are_told_apart(engine: Engine, ids: dict[str, int]) -> None:
    part = ask(engine, "budget 2025 intäkter")
    assert part.image_path is not None and "Bidrag Försäkringskassan" in part.text
    assert "Personalkostnader" not in part.text and "Summa" not in part.text
    question = ask(engine, "budget för kansli 2025")  # a single figure: the ordinary answer
    assert question.image_path is None
    assert normalise("880 000 kr") in flat(question)


def test_grants_chart_in_english_with_what_is_available(engine: Engine, ids: dict[str, int]) -> None:
    reply = ask(engine, "chart grants 2025")
    assert reply.answered and reply.language == "en" and reply.image_path
    text = flat(reply)
    assert normalise("Vägen ut: 420 000 kr") in text and normalise("Steg för steg: 650 000 kr") in text
    assert normalise("Total granted: 1 070 000 kr") in text
    assert normalise("Available for new efforts according to the budget for 2025") in text
    assert normalise("protokoll 2025-03-14, § 5") in text and normalise("Verksamhetsplan 2025") in text
    with Session(engine) as s:
        data = grants_chart(s, org(engine, ids["fjall"]), 2025, ASKED, "en")
        assert data is not None
        granted = {g.name: g.max_amount for g in s.exec(select(Grant)).all()}
        assert {r.label: r.values["granted"] for r in data.rows if "granted" in r.values} == granted
        assert [r.values for r in data.rows if "remaining" in r.values] == [{"remaining": 1_300_000}]


def test_grants_remaining_is_computed_only_when_it_can_be(engine: Engine, ids: dict[str, int]) -> None:
    with Session(engine) as s:
        available = s.exec(select(BudgetFigure).where(BudgetFigure.line == "Tillgängligt nya insatser")).one()
        s.delete(available)
        s.add(BudgetFigure(organisation_id=ids["fjall"], year=2025, kind="budget", section="kostnader",
                           line="Bidrag till insatser", amount=-3_000_000, unit="tkr", document_id=ids["tertial"]))
        s.commit()
    spanning = ask(engine, "diagram insatser 2025")
    assert spanning.image_path and "kan inte räknas ut" in spanning.text and "Steg för steg" in spanning.text
    with Session(engine) as s:
        long_grant = s.exec(select(Grant).where(Grant.name == "Steg för steg")).one()
        long_grant.period_end = dt.date(2025, 12, 31)
        s.add(long_grant)
        s.commit()
        data = grants_chart(s, org(engine, ids["fjall"]), 2025, ASKED)
        assert data is not None
        assert [r.values for r in data.rows if "remaining" in r.values] == [{"remaining": 3_000_000 - 1_070_000}]
    computed = ask(engine, "diagram insatser 2025")
    assert normalise("3 000 000 kr minus beviljat 1 070 000 kr = 1 930 000 kr") in flat(computed)


def test_equity_chart_against_its_ceiling(engine: Engine, ids: dict[str, int]) -> None:
    with Session(engine) as s:
        data = equity_chart(s, org(engine, ids["fjall"]), ASKED)
        assert data is not None
        by_year = {row.label.split("\n")[0]: row.values for row in data.rows}
    # A year-end outcome beats a forecast; a forecast beats the budget; the opening balance is not equity.
    assert by_year == {"2024": {"equity": 2_793_000}, "2025": {"equity": 2_583_000, "ceiling": 960_000},
                       "2026": {"equity": 2_454_000, "ceiling": 1_000_000}}
    drawn = render(data.spec())
    assert drawn.drawn["Rekommenderat högsta eget kapital"] == [None, 960_000.0, 1_000_000.0]
    assert drawn.drawn["Eget kapital"] == [2_793_000.0, 2_583_000.0, 2_454_000.0]
    reply = ask(engine, "eget kapital diagram")
    assert reply.image_path
    assert normalise("2025: 2 583 000 kr (prognos 2025-04-30); rekommenderat högsta 960 000 kr, "
                     "1 623 000 kr över taket") in flat(reply)


def test_unlinked_request_asks_which_forbund_then_charts_it(engine: Engine, ids: dict[str, int]) -> None:
    reply = ask(engine, "budget 2025", org=None)
    assert not reply.answered and reply.image_path is None
    assert {a.label for a in reply.actions} == {FJALL, KUST}
    choice = next(a for a in reply.actions if a.label == KUST)
    chosen = Assistant(engine).handle(Message(text="", action_id=choice.action_id, action_value=choice.value,
                                              as_of=ASKED))
    assert chosen.image_path and normalise("Kansli: budget 700 000 kr") in flat(chosen)
    assert KUST in chosen.text


def spaced(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")


def test_swedish_numbers_on_the_axes() -> None:
    assert spaced(sv_amount(1_250_000)) == "1 250 000"
    assert spaced(sv_axis_amount(1_300_000, 4_000_000)) == "1,3 mkr"
    assert spaced(sv_axis_amount(-500_000, 4_000_000)) == "\u22120,5 mkr"  # a real minus sign
    assert spaced(sv_amount(-4_100_000)) == "\u22124 100 000"
    assert spaced(sv_axis_amount(250_000, 900_000)) == "250 000"


def test_a_long_chart_fits_a_phone(tmp_path: Path) -> None:
    """30 rows with negative amounts: about 12 bars, the largest; the legend clear of the data."""
    from handlers.chart_render import WIDTH_PX, ChartSpec, Series

    amounts = tuple((i - 10) * 37_000 for i in range(30))
    spec = ChartSpec(title="Fjällbygden: budget och utfall 2025", categories=tuple(f"Rad {i}" for i in range(30)),
                     series=(Series("Budget", amounts), Series("Utfall t.o.m. 2025-04-30", amounts[::-1])),
                     source="Källa: Samordningsförbundet Fjällbygden, Verksamhetsplan 2025")
    drawn = render(spec, tmp_path)
    assert len(drawn.shown) * 2 <= 12
    assert drawn.legend_clear_of_data
    assert "2025" in drawn.title and "Källa: Samordningsförbundet Fjällbygden" in drawn.footer
    assert f"De {len(drawn.shown)} största av 30" in drawn.footer
    with Image.open(drawn.path) as image:
        assert image.width == WIDTH_PX and image.height <= 1500
