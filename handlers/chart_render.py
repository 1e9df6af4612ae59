"""Charts as PNG files: matplotlib on the headless Agg backend, made for a board member's phone.

`render(spec)` draws one figure, writes it to the chart folder and closes it. It returns the
values it actually plotted (read back from the drawn bars and lines), so a test can check the
picture against the store without looking at pixels.

What a phone needs: a narrow picture (720 px, drawn at 150 dpi so the text stays readable when
the chat app scales it to the screen), at most about a dozen bars (the largest rows; the
answer's text lists them all and the chart says how many it shows), Swedish numbers with a
real minus sign, the title on top (what, which year, which kind), the legend between the title
and the bars (never over them), and the source under the chart.

The folder is BOARDBOT_CHART_DIR, else `<tmp>/boardbot-charts`; files older than a day are
removed when a new chart is written (a chat platform has its copy by then). Charts are saved
as palette PNGs: flat colours quantise to a fraction of the RGBA size.
"""

from __future__ import annotations

import logging
import tempfile
import textwrap
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: no display on a server, and no GUI toolkit to import

import matplotlib.pyplot as plt  # after use(): the backend must be chosen first
import numpy as np
from babel.numbers import format_decimal
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from PIL import Image

from storage.settings import get_settings

log = logging.getLogger(__name__)

DPI = 150
WIDTH_PX = 720
VERTICAL_HEIGHT_PX = 900
MIN_HEIGHT_PX = 600
MAX_HEIGHT_PX = 1500
MAX_LABEL_CHARS = 28
# About a dozen bars: more rows than this many bars allow are left to the answer's text.
MAX_BARS = 12
MIN_CATEGORIES = 4
TITLE_CHARS = 44
FOOTER_CHARS = 80
PALETTE_COLOURS = 32
KEEP_SECONDS = 24 * 3600
MINUS = "\u2212"
# Colour-blind-safe (Okabe–Ito), in the order series are given.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
CEILING_COLOUR = "#D55E00"
# pyplot keeps global state; charts may be drawn from several worker threads at once.
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[int | None, ...]  # kronor, one per category; None where the store has none
    style: str = "bar"  # bar, or line (e.g. a ceiling over the years)


@dataclass(frozen=True)
class ChartSpec:
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    # horizontal bars suit long line names; vertical suits years along the bottom
    orientation: str = "horizontal"
    file_stem: str = "chart"
    # Written under the chart, e.g. "Källa: Samordningsförbundet Norrvik, Verksamhetsplan 2025".
    source: str = ""
    language: str = "sv"


@dataclass
class RenderedChart:
    path: Path
    width: int
    height: int
    # What was plotted, per series and category: read back from the figure's artists (None
    # where nothing was drawn, including rows left out to keep the chart to about 12 bars).
    drawn: dict[str, list[float | None]] = field(default_factory=dict)
    shown: list[int] = field(default_factory=list)  # indexes of the categories drawn
    # Measured on the drawn figure: the legend lies wholly outside the plotting area.
    legend_clear_of_data: bool = True
    title: str = ""
    footer: str = ""


def chart_dir() -> Path:
    configured = get_settings().chart_dir
    folder = Path(configured) if configured else Path(tempfile.gettempdir()) / "boardbot-charts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shown_categories(spec: ChartSpec) -> list[int]:
    """The categories drawn: all when they fit about a dozen bars; else, along a time axis
    (vertical charts: years), the latest; otherwise the largest rows, in their order."""
    bars = max(1, sum(1 for s in spec.series if s.style == "bar"))
    room = max(MIN_CATEGORIES, MAX_BARS // bars)
    n = len(spec.categories)
    if n <= room:
        return list(range(n))
    if spec.orientation == "vertical":
        return list(range(n - room, n))

    def size(i: int) -> int:
        return max((abs(v) for s in spec.series if (v := s.values[i]) is not None), default=0)

    largest = sorted(range(n), key=lambda i: (-size(i), i))[:room]
    return sorted(largest)


def expected_size(spec: ChartSpec) -> tuple[int, int]:
    """The PNG's size in pixels: phone width; horizontal charts grow with their rows."""
    if spec.orientation == "vertical":
        return WIDTH_PX, VERTICAL_HEIGHT_PX
    bars = max(1, sum(1 for s in spec.series if s.style == "bar"))
    height = 330 + len(shown_categories(spec)) * (30 * bars + 24)
    return WIDTH_PX, max(MIN_HEIGHT_PX, min(MAX_HEIGHT_PX, height))


def sv_amount(value: float) -> str:
    """1250000 -> "1 250 000", -500 -> "−500": as Swedish readers write it, with a real minus."""
    return format_decimal(round(value), format="#,##0", locale="sv_SE").replace("-", MINUS)


def sv_axis_amount(value: float, span: float) -> str:
    """An axis tick: "1,3 mkr" once the scale reaches millions, else whole kronor."""
    if span >= 1_000_000:
        text = format_decimal(value / 1_000_000, format="#,##0.#", locale="sv_SE")
        return f"{text} mkr".replace("-", MINUS)
    return sv_amount(value)


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[:MAX_LABEL_CHARS - 1].rstrip() + "…"


# About how many characters of 7.5 pt text fit across the picture beside their colour keys.
LEGEND_CHARS = 56
VERTICAL_LABEL_CHARS = 11


def _legend_columns(names: list[str]) -> int:
    """As many legend columns as fit the width (matplotlib fills a legend column by column)."""
    for columns in range(len(names), 1, -1):
        rows = -(-len(names) // columns)
        widths = [max(len(n) for n in names[j * rows:(j + 1) * rows]) + 5
                  for j in range(columns) if names[j * rows:(j + 1) * rows]]
        if sum(widths) <= LEGEND_CHARS:
            return columns
    return 1


def _title(spec: ChartSpec, shown: list[int]) -> str:
    """The title, with the years it covers when the chart runs along years and the title has none."""
    years = [spec.categories[c].split()[0] for c in shown]
    if (spec.orientation == "vertical" and years and all(y.isdigit() and len(y) == 4 for y in years)
            and not any(y in spec.title for y in years)):
        span = years[0] if years[0] == years[-1] else f"{years[0]}–{years[-1]}"
        return f"{spec.title} {span}"
    return spec.title


def _vertical_label(label: str) -> str:
    return "\n".join(textwrap.fill(part, VERTICAL_LABEL_CHARS) for part in label.split("\n"))


def _room_for_labels(spec: ChartSpec, shown: list[int]) -> tuple[float, float]:
    """The value axis from the most negative to the largest amount (always through 0), with
    room beyond each end for the amount written at a bar's end, inside the axes, so it never
    runs into the row names."""
    values = [v for s in spec.series for c in shown if (v := s.values[c]) is not None]
    low, high = min([0, *values]), max([0, *values])
    extent = max(high - low, 1)
    pad = 0.32 * extent if spec.orientation != "vertical" else 0.1 * extent
    return (low - pad if low < 0 else 0.0), (high + pad if high > 0 else 0.0)


def _footer(spec: ChartSpec, shown: list[int]) -> str:
    lines = []
    if len(shown) < len(spec.categories):
        which = ("senaste", "latest") if spec.orientation == "vertical" else ("största", "largest")
        lines.append(f"De {len(shown)} {which[0]} av {len(spec.categories)}; alla står i svaret."
                     if spec.language != "en" else
                     f"The {len(shown)} {which[1]} of {len(spec.categories)}; the answer lists them all.")
    if spec.source:
        lines.append(spec.source)
    return "\n".join(textwrap.fill(line, FOOTER_CHARS) for line in lines)


def render(spec: ChartSpec, folder: Path | None = None) -> RenderedChart:
    if not spec.categories or not spec.series:
        raise ValueError("a chart needs at least one category and one series")
    width, height = expected_size(spec)
    shown = shown_categories(spec)
    target = (folder or chart_dir()) / f"{spec.file_stem}-{uuid.uuid4().hex[:10]}.png"
    with _LOCK:
        # Constrained layout leaves room for the title, the legend above the axes and the source.
        fig = plt.figure(figsize=(width / DPI, height / DPI), dpi=DPI, layout="constrained")
        try:
            ax = fig.add_subplot(1, 1, 1)
            drawn = _draw(fig, ax, spec, shown)
            fig.savefig(target, dpi=DPI, format="png")
            clear = _legend_clear(fig, ax)
        finally:
            plt.close(fig)
    _quantise(target)
    _sweep(target.parent)
    return RenderedChart(path=target, width=width, height=height, drawn=drawn, shown=shown,
                         legend_clear_of_data=clear, title=_title(spec, shown), footer=_footer(spec, shown))


def _legend_clear(fig: Figure, ax: Axes) -> bool:
    legend = ax.get_legend()
    if legend is None:
        return True
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    box, plot = legend.get_window_extent(renderer), ax.get_window_extent(renderer)
    return bool(box.y0 >= plot.y1 - 1 or box.x0 >= plot.x1 - 1)


def _draw(fig: Figure, ax: Axes, spec: ChartSpec, shown: list[int]) -> dict[str, list[float | None]]:
    n = len(shown)
    total = len(spec.categories)
    bars = [s for s in spec.series if s.style == "bar"]
    lines = [s for s in spec.series if s.style == "line"]
    # Where each row has one series at most (granted, or what is left), its bar sits on the row.
    single = all(sum(1 for b in bars if b.values[c] is not None) <= 1 for c in shown)
    slot = 0.8 / max(1, 1 if single else len(bars))
    horizontal = spec.orientation != "vertical"
    drawn: dict[str, list[float | None]] = {}
    values = [abs(v) for s in spec.series for c in shown if (v := s.values[c]) is not None]
    span = max(values, default=0)
    for i, series in enumerate(bars):
        picked = [series.values[c] for c in shown]
        positions = [float(k) if single else k - 0.4 + slot * (i + 0.5) for k in range(n)]
        present = [(p, v) for p, v in zip(positions, picked, strict=True) if v is not None]
        colour = COLOURS[i % len(COLOURS)]
        drawn[series.name] = [None] * total
        if not present:
            continue
        where, amounts = zip(*present, strict=True)
        if horizontal:
            container = ax.barh(where, amounts, height=slot * 0.9, color=colour, label=series.name)
        else:
            container = ax.bar(where, amounts, width=slot * 0.9, color=colour, label=series.name)
        for c, value in zip(shown, _read_back(container, picked, horizontal), strict=True):
            drawn[series.name][c] = value
        ax.bar_label(container, labels=[sv_amount(v) for v in amounts], padding=2, fontsize=6.5)
    for series in lines:
        points = [(k, series.values[c]) for k, c in enumerate(shown) if series.values[c] is not None]
        drawn[series.name] = [None] * total
        if not points:
            continue
        xs, ys = zip(*points, strict=True)
        # A wide dash per category reads as a ceiling over the bar; drawn above the bars.
        (artist,) = ax.plot(xs, ys, color=CEILING_COLOUR, linestyle="--", linewidth=1.2, marker="_",
                            markersize=28 if not horizontal else 12, markeredgewidth=2.5, zorder=3,
                            label=series.name)
        plotted = dict(zip(np.asarray(artist.get_xdata(), dtype=float).tolist(),
                           np.asarray(artist.get_ydata(), dtype=float).tolist(), strict=True))
        for k, c in enumerate(shown):
            drawn[series.name][c] = plotted.get(float(k))
    formatter = FuncFormatter(lambda value, _pos: sv_axis_amount(value, span))
    labels = [_short(spec.categories[c]) if horizontal else _vertical_label(spec.categories[c]) for c in shown]
    if horizontal:
        ax.set_yticks(range(n), labels, fontsize=7.5)
        ax.invert_yaxis()  # the first line of the table on top, as in the document
        ax.xaxis.set_major_formatter(formatter)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(4))
        ax.axvline(0, color="#444444", linewidth=0.8)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_xlim(*_room_for_labels(spec, shown))
    else:
        ax.set_xticks(range(n), labels, fontsize=7.5)
        ax.yaxis.set_major_formatter(formatter)
        ax.axhline(0, color="#444444", linewidth=0.8)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.set_ylim(*_room_for_labels(spec, shown))
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=7.5)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.suptitle(textwrap.fill(_title(spec, shown), TITLE_CHARS), fontsize=10.5, fontweight="bold", x=0.02,
                 horizontalalignment="left")
    # Above the axes, under the title: never over a bar.
    names = [s.name for s in bars + lines]
    ax.legend(fontsize=7.5, frameon=False, loc="lower left", bbox_to_anchor=(0.0, 1.0),
              ncol=_legend_columns(names), borderaxespad=0.3, handlelength=1.6, columnspacing=1.0,
              markerscale=0.35)
    footer = _footer(spec, shown)
    if footer:
        fig.supxlabel(footer, fontsize=6.5, color="#555555", x=0.02, horizontalalignment="left")
    return drawn


def _read_back(container: BarContainer, values: Sequence[int | None], horizontal: bool) -> list[float | None]:
    """The drawn bar lengths, in the series' category order (None where nothing was drawn)."""
    lengths = [float(p.get_width() if horizontal else p.get_height()) for p in container.patches]
    out: list[float | None] = []
    it = iter(lengths)
    for value in values:
        out.append(None if value is None else next(it))
    return out


def _quantise(path: Path) -> None:
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT)
    small.save(path, format="PNG", optimize=True)


def _sweep(folder: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    try:
        for old in folder.glob("*.png"):
            if old.stat().st_mtime < cutoff:
                old.unlink(missing_ok=True)
    except OSError as exc:  # another process may sweep the same folder
        log.debug("chart sweep: %s", exc)
