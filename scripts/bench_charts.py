"""How long a chart takes to draw and how big its PNG is, for charts of growing size.

    .venv/bin/python scripts/bench_charts.py

Prints one line per size: milliseconds per chart (median of a few runs) and the PNG's bytes.
Teams carries a chart inline in its card (bot/teams/cards.py caps it), so size matters too.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from handlers.chart_render import ChartSpec, Series, render

RUNS = 5


def spec(lines: int) -> ChartSpec:
    return ChartSpec(
        title=f"Samordningsförbundet Provbygden: budget, prognos och utfall 2025 ({lines} rader)",
        categories=tuple(f"Budgetrad nummer {i}" for i in range(lines)),
        series=(Series("Budget", tuple(120_000 * (i + 1) for i in range(lines))),
                Series("Prognos", tuple(110_000 * (i + 1) for i in range(lines))),
                Series("Utfall", tuple(-40_000 * (i + 1) if i % 4 else None for i in range(lines)))),
        file_stem="bench")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        render(spec(3), Path(folder))  # the first chart pays for matplotlib's font cache
        for lines in (3, 10, 20, 40):
            times = []
            size = 0
            for _ in range(RUNS):
                started = time.perf_counter()
                rendered = render(spec(lines), Path(folder))
                times.append((time.perf_counter() - started) * 1000)
                size = rendered.path.stat().st_size
            print(f"{lines:3d} lines: {statistics.median(times):7.1f} ms per chart, {size:7d} bytes "
                  f"({rendered.width}x{rendered.height})")


if __name__ == "__main__":
    main()
